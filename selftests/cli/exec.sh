#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2 member exec: the command is a member for exactly its lifetime.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# wait_member GROUP PID: PID shows up in GROUP within 10 s.
wait_member() {
	local i

	for ((i = 0; i < 100; i++)); do
		"$PG2" member show "$1" | grep -q " pid $2 " && return
		sleep 0.1
	done
	fail "pid $2 never joined $1"
}

test_exec_member_while_running() {
	local g=$tag-exec pid rc=0

	pg2_expect 0 group create "$g"
	"$PG2" member exec "$g" data "10.0.0.2:80" -- sleep 1000 &
	pid=$!
	# exec keeps the pid: the member is the command itself.
	wait_member "$g" "$pid"
	pg2_expect 0 member show "$g"
	[[ $(cat "$work/out") == "group $g pid $pid node 0 count 1 data \"10.0.0.2:80\"" ]] ||
		fail "the command is the one member"
	[[ $(readlink "/proc/$pid/exe") == "$(readlink -f "$(command -v sleep)")" ]] ||
		fail "pid $pid does not run sleep"
	kill "$pid"
	wait "$pid" || rc=$?
	((rc == 143)) || fail "sleep ended with $rc"
	# Gone before wait() returned.
	pg2_expect 0 member show "$g"
	out_empty
	pg2_expect 0 group delete "$g"
}

test_exec_status_and_cleanup() {
	local g=$tag-exec2

	pg2_expect 0 group create "$g"
	# shellcheck disable=SC2016 # the inner shell expands them
	pg2_expect 3 member exec "$g" data hex 0001 -- \
		sh -c 'echo $$; "$0" -j member show "$1"; exit 3' "$PG2" "$g"
	json_check --lines ".[1].members == [{group: \"$g\", pid: .[0], node: 0, count: 1, data_hex: \"0001\"}]"
	pg2_expect 0 member show "$g"
	out_empty
	pg2_expect 0 group delete "$g"
}

test_exec_failures() {
	local g=$tag-exec3

	pg2_expect 0 group create "$g"
	pg2_expect 127 member exec "$g" -- "$tag-no-such-command"
	err_is "Error: cannot run \"$tag-no-such-command\": No such file or directory."
	pg2_expect 126 member exec "$g" -- /dev/null
	err_has "Error: cannot run \"/dev/null\": Permission denied."
	pg2_expect 0 member show "$g"
	out_empty
	pg2_expect 2 member exec "$tag-none" -- true
	err_has "Error: "
	pg2_expect 0 group delete "$g"
}

tap_run test_exec_member_while_running test_exec_status_and_cleanup \
	test_exec_failures
