#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2 frees everything and touches no memory it should not: every command
# that talks to pg2.ko, text and JSON, and the monitor, under valgrind.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VALGRIND=(valgrind -q --leak-check=full --show-leak-kinds=all
	--errors-for-leak-kinds=all --error-exitcode=99)

# A batch of every command but exec and monitor, with kernel errors (-f).
every_command() {
	local g=$tag-vg

	cat <<-EOF
		group create $g
		group show
		group show $g
		member join $g pid $sleeper data hex 00ff
		member join $g pid $sleeper data text
		member show
		member show $g
		member show $g local
		member closest $g
		member signal $g 0
		member leave $g pid $sleeper
		member join $g
		member leave $g
		member join $tag-none
		group show $tag-none
		member signal $g RTMIN+99
		monitor help extra
		group help
		group delete $g
	EOF
}

test_commands() {
	local sleeper opts

	command -v valgrind >/dev/null || skip "no valgrind"
	start_sleeper
	every_command >"$work/batch"
	for opts in "" "-j -s" "-p"; do
		# shellcheck disable=SC2086 # the options are separate words
		PG2="${VALGRIND[*]} $PG2" pg2_expect 2 $opts -f -b "$work/batch"
		err_has "Command failed $work/batch:14"
		err_has "Command failed $work/batch:15"
		err_has "Command failed $work/batch:16"
		err_has "Command failed $work/batch:17"
		[[ $(grep -v ':10$' "$work/err" | grep -c '^Command failed') == 4 ]] ||
			fail "not 4 lines failed"
		# valgrind 3.19 knows no pidfd_open(2) and says ENOSYS: the
		# signal line then fails, through the same code.
		! grep -q "^Command failed $work/batch:10$" "$work/err" ||
			grep -q 'Function not implemented' "$work/out" ||
			fail "member signal failed"
	done
}

test_monitor() {
	local monitor rc=0 i

	command -v valgrind >/dev/null || skip "no valgrind"
	"${VALGRIND[@]}" "$PG2" -j -s -t monitor >"$work/out" 2>"$work/err" &
	monitor=$!
	for ((i = 0; i < 300; i++)); do
		"$PG2" group create "$tag-vgm"
		"$PG2" member join "$tag-vgm"
		"$PG2" group delete "$tag-vgm"
		[[ -s $work/out ]] && break
		sleep 0.1
	done
	kill -INT "$monitor"
	wait "$monitor" || rc=$?
	((rc == 0)) || fail "monitor under valgrind exited $rc"
	json_check --lines 'any(.[]; .event == "member-left")'
}

tap_run test_commands test_monitor
