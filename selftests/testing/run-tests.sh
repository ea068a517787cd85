#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/run-tests (host test): how make check counts suites that
# pass, fail, skip, crash, stop short or hang.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# suite NAME EXIT-STATUS LINES...: a fake suite printing LINES.
suite() {
	local name=$1 status=$2
	shift 2
	printf '#!/bin/bash\n' >"$work/$name"
	printf 'echo "%s"\n' "$@" >>"$work/$name"
	printf 'exit %s\n' "$status" >>"$work/$name"
	chmod +x "$work/$name"
}

# counts EXPECTED [--timeout S] SUITE...: run-tests counts "p f s".
counts() {
	local want=$1
	shift
	"$top/tools/testing/run-tests" --counts "$work/counts" "$@" >/dev/null
	[[ $(cat "$work/counts") == "$want" ]] ||
		{ echo "# counted $(cat "$work/counts"), expected $want"; return 1; }
}

suite pass 0 "1..2" "ok 1 a" "ok 2 b"
suite fail 1 "1..2" "ok 1 a" "not ok 2 b"
suite skip 0 "1..2" "ok 1 a" "ok 2 b # SKIP why"
suite crash 139 "1..2" "ok 1 a"
suite short 0 "1..3" "ok 1 a"
suite silent_failure 1
printf '#!/bin/bash\necho 1..1\nsleep 30\n' >"$work/hang"
chmod +x "$work/hang"

tap_plan 8
tap_run passing_suite counts "2 0 0" "$work/pass"
tap_run failing_result counts "1 1 0" "$work/fail"
tap_run skipped_result counts "1 0 1" "$work/skip"
tap_run crash_is_one_failure_more counts "1 1 0" "$work/crash"
tap_run short_plan_is_one_failure_more counts "1 1 0" "$work/short"
tap_run nonzero_exit_without_results_fails counts "0 1 0" "$work/silent_failure"
tap_run hang_is_killed_and_fails counts "0 1 0" --timeout 2 "$work/hang"
tap_run suites_add_up counts "5 2 1" "$work/pass" "$work/fail" "$work/skip" "$work/crash"
tap_exit
