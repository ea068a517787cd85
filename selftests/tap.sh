# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# A minimal kselftest-style TAP writer for shell tests.
tap_n=0
tap_failed=0

tap_plan() { echo "TAP version 13"; echo "1..$1"; }
tap_ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n $1"; }
tap_not_ok() { tap_n=$((tap_n + 1)); tap_failed=1; echo "not ok $tap_n $1"; }
tap_skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n $1 # SKIP $2"; }
# Runs "$@" and reports it as test $1.
tap_run() {
	local name=$1
	shift
	if "$@"; then tap_ok "$name"; else tap_not_ok "$name"; fi
}
tap_exit() { exit "$tap_failed"; }
