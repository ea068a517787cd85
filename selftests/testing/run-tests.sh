#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/run-tests (host test): how make check counts suites that
# pass, fail, skip, crash, stop short, say too much, say nothing, hang or
# leave a child behind.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh disable=SC1091
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# suite NAME EXIT-STATUS LINES...: a fake suite printing LINES.
suite() {
	local name=$1 status=$2
	shift 2
	printf '#!/bin/bash\n' >"$work/$name"
	(($#)) && printf 'echo "%s"\n' "$@" >>"$work/$name"
	printf 'exit %s\n' "$status" >>"$work/$name"
	chmod +x "$work/$name"
}

# script NAME BODY: a fake suite running BODY.
script() {
	printf '#!/bin/bash\n%s\n' "$2" >"$work/$1"
	chmod +x "$work/$1"
}

# counts EXPECTED [--timeout S] SUITE...: the per-suite lines run-tests
# appends add up to "p f s"; its output is left in $work/log.
counts() {
	local want=$1 got
	shift
	rm -f "$work/counts"
	"$top/tools/testing/run-tests" --counts "$work/counts" "$@" >"$work/log" 2>&1
	got=$(awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }' "$work/counts")
	[[ $got == "$want" ]] ||
		{ echo "# counted $got, expected $want"; sed 's/^/#   /' "$work/log"; return 1; }
}

# said REGEX: the last run-tests output has a line matching REGEX.
said() {
	grep -qE "$1" "$work/log" || { echo "# no line matching: $1"; return 1; }
}

suite pass 0 "1..2" "ok 1 a" "ok 2 b"
suite fail 1 "1..2" "ok 1 a" "not ok 2 b"
suite skip 0 "1..2" "ok 1 a" "ok 2 b # SKIP why"
suite skip_all 0 "1..0 # SKIP no module"
suite crash 139 "1..2" "ok 1 a"
suite short 0 "1..3" "ok 1 a"
suite long 0 "1..1" "ok 1 a" "ok 2 b"
suite silent_failure 1
suite silent_success 0
suite no_plan 0 "ok 1 a" "ok 2 b"
script hang 'echo 1..1; sleep 30'
# A suite that passes but leaves a child holding its output open.
# shellcheck disable=SC2016 # expanded by the suite
script leaves_child 'echo 1..1; echo ok 1 a; sleep 300 & echo $! >"$(dirname "$0")/child"'
# A hanging suite that says which process group to clean up.
# shellcheck disable=SC2016
script hang_pid 'echo $$ >"$(dirname "$0")/hang.pid"; echo 1..1; exec sleep 30'

# The child left behind is killed, and run-tests does not wait for it.
child_killed() {
	local start=$SECONDS pid
	counts "1 0 0" --timeout 20 "$work/leaves_child" || return 1
	((SECONDS - start < 10)) || { echo "# took $((SECONDS - start))s"; return 1; }
	pid=$(cat "$work/child")
	# Killed, it may stay a zombie where nothing reaps orphans.
	[[ $(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null) != [RSD] ]] ||
		{ echo "# child $pid still runs"; kill "$pid"; return 1; }
}

# Counts are appended suite by suite: a run killed midway keeps the
# suites that finished.
appended_per_suite() {
	rm -f "$work/counts"
	{ timeout -s KILL 5 "$top/tools/testing/run-tests" --counts "$work/counts" \
		"$work/pass" "$work/fail" "$work/hang_pid" >/dev/null; } 2>/dev/null
	kill "$(cat "$work/hang.pid")"
	[[ $(cut -d' ' -f1-3 "$work/counts") == $'2 0 0\n1 1 0' ]] ||
		{ echo "# counts file:"; sed 's/^/#   /' "$work/counts"; return 1; }
}

tap_plan 16
tap_run passing_suite counts "2 0 0" "$work/pass"
tap_run failing_result counts "1 1 0" "$work/fail"
tap_run skipped_result counts "1 0 1" "$work/skip"
tap_run skip_all_plan_is_one_skip counts "0 0 1" "$work/skip_all"
tap_run crash_is_one_failure_more counts "1 1 0" "$work/crash"
tap_run short_plan_is_one_failure_more counts "1 1 0" "$work/short"
tap_run more_than_planned_is_one_failure_more counts "2 1 0" "$work/long"
tap_run nonzero_exit_without_results_fails counts "0 1 0" "$work/silent_failure"
tap_run silent_success_fails counts "0 1 0" "$work/silent_success"
tap_run silent_success_says_no_plan said "^# suite .*silent_success: no TAP plan"
tap_run results_without_plan_fail counts "2 1 0" "$work/no_plan"
tap_run hang_is_killed_and_fails counts "0 1 0" --timeout 2 "$work/hang"
tap_run hang_says_timed_out said "^# suite .*hang: timed out after 2s"
tap_run child_left_behind_is_killed child_killed
tap_run counts_appended_per_suite appended_per_suite
tap_run suites_add_up counts "5 2 1" "$work/pass" "$work/fail" "$work/skip" "$work/crash"
tap_exit
