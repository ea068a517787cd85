# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What the pg2(8) tests share: kselftest-style TAP, running pg2 with an
# expected exit status, and checks on its output.  Source it, define
# test_* functions, end with "tap_run test_a test_b ...".
#
# Each test runs in a subshell: a failed check prints why and exits 1,
# "skip WHY" exits 4 (kselftest's skip code).  A check that fails in a
# subshell of its own (a pipeline, $(...)) also marks the test failed, so
# no check can fail unnoticed; lastpipe runs the last command of a pipeline
# ("printf ... | pg2_expect 0 -b -") in the test's own shell, so a failure
# there also ends the test at once.
shopt -s lastpipe

cli_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PG2=${PG2:-${PG2_BUILD:-$cli_dir/../../build}/bin/pg2}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A prefix for names this run creates, so runs never see each other's.
# shellcheck disable=SC2034 # used by the tests that source this file
tag=cli$$

fail() {
	: >"$work/failed"
	echo "FAIL: $*"
	[[ -s $work/out ]] && sed 's/^/  stdout: /' "$work/out"
	[[ -s $work/err ]] && sed 's/^/  stderr: /' "$work/err"
	exit 1
}

skip() {
	echo "$*"
	exit 4
}

# pg2_expect STATUS ARGS...: runs pg2 ARGS; its stdout and stderr land in
# $work/out and $work/err.
pg2_expect() {
	local want=$1 rc=0
	shift
	# shellcheck disable=SC2086 # PG2 may be a command with arguments
	$PG2 "$@" >"$work/out" 2>"$work/err" || rc=$?
	((rc == want)) || fail "pg2 $* exited $rc, expected $want"
}

# A process to make members of, in $sleeper; killed when the test's
# subshell ends.  An EXIT trap runs after the test function returned, its
# local variables gone: it names the pid itself.
start_sleeper() {
	sleep 1000 &
	sleeper=$!
	# shellcheck disable=SC2064 # expanded now, on purpose
	trap "kill $sleeper 2>/dev/null" EXIT
}

# start_monitor ARGS...: pg2 ARGS in the background, writing $work/mon,
# returning once it is subscribed: it has reported a group event or a
# member event of the group $tag-sync, which pg2 joins as it runs (in the
# netns named by $sync_netns, if set).  Its pid is $monitor.
start_monitor() {
	local i sync=()

	"$PG2" "$@" >"$work/mon" 2>"$work/mon.err" &
	monitor=$!
	for ((i = 0; i < 100; i++)); do
		[[ -n ${sync_netns:-} ]] && sync=(-n "$sync_netns")
		"$PG2" "${sync[@]}" group create "$tag-sync"
		"$PG2" "${sync[@]}" member join "$tag-sync"
		"$PG2" "${sync[@]}" group delete "$tag-sync"
		grep -q "$tag-sync" "$work/mon" && return
		kill -0 "$monitor" 2>/dev/null || break
		sleep 0.1
	done
	cat "$work/mon.err"
	fail "pg2 $* never reported an event"
}

# stop_monitor SIGNAL: the monitor exits 0 on it; its lines after the sync
# are left in $work/out.
stop_monitor() {
	local rc=0

	kill -"$1" "$monitor"
	wait "$monitor" || rc=$?
	((rc == 0)) || fail "monitor exited $rc on SIG$1"
	[[ ! -s $work/mon.err ]] || fail "monitor: $(cat "$work/mon.err")"
	grep -v -- "$tag-sync" "$work/mon" >"$work/out"
}

# Each of these checks pg2's last output.
out_has() {
	grep -qE -- "$1" "$work/out" || fail "stdout lacks /$1/"
}

out_lacks() {
	! grep -qE -- "$1" "$work/out" || fail "stdout has /$1/"
}

out_empty() {
	[[ ! -s $work/out ]] || fail "stdout not empty"
}

err_is() {
	[[ $(cat "$work/err") == "$1" ]] || fail "stderr is not \"$1\""
}

err_has() {
	grep -qF -- "$1" "$work/err" || fail "stderr lacks \"$1\""
}

# json_check [--lines] EXPR...: stdout is one UTF-8 JSON document (--lines:
# one per line, checked as an array of them) and every jq EXPR is true of
# it.  jq, not python3: python starts in 15 s in the emulated guest.
json_check() {
	local slurp=() expr

	if [[ $1 == --lines ]]; then
		slurp=(--slurp)
		shift
		[[ $(jq -s length "$work/out") == $(wc -l <"$work/out") ]] ||
			fail "not one JSON document per line"
	fi
	# jq would quietly repair text that is not UTF-8.
	iconv -f UTF-8 -t UTF-8 "$work/out" >/dev/null 2>&1 ||
		fail "not UTF-8"
	jq -e "${slurp[@]}" 'true' "$work/out" >/dev/null || fail "not JSON"
	[[ -n ${slurp[*]} ]] || [[ $(jq -s length "$work/out") == 1 ]] ||
		fail "not one JSON document"
	for expr; do
		jq -e "${slurp[@]}" "$expr" "$work/out" >/dev/null ||
			fail "JSON check failed: $expr"
	done
}

tap_run() {
	local n=0 failed=0 rc test

	echo "TAP version 13"
	echo "1..$#"
	for test; do
		n=$((n + 1))
		rc=0
		rm -f "$work/failed"
		("$test") >"$work/log" 2>&1 || rc=$?
		[[ -e $work/failed ]] && rc=1
		if ((rc == 0)); then
			echo "ok $n ${test#test_}"
		elif ((rc == 4)); then
			echo "ok $n ${test#test_} # SKIP $(tail -n 1 "$work/log")"
		else
			echo "not ok $n ${test#test_}"
			sed 's/^/# /' "$work/log"
			failed=$((failed + 1))
		fi
	done
	echo "# $((n - failed)) of $n passed or skipped"
	((failed == 0))
}
