#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2 when pg2.ko goes away: a monitor says so and exits 2.  Unloads and
# reloads the module ($PG2_MODULE, as make check sets it), so it runs
# last (zz_).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

test_monitor_exits_when_the_module_is_unloaded() {
	local i rc=0

	[[ -n ${PG2_MODULE:-} ]] || skip "PG2_MODULE is not set"
	[[ -d /sys/module/pg2 ]] || skip "pg2.ko is not loaded"
	# shellcheck disable=SC2064 # expanded now: see start_sleeper
	trap "[[ -d /sys/module/pg2 ]] || insmod '$PG2_MODULE'" EXIT
	start_monitor monitor
	rmmod pg2 || fail "cannot rmmod pg2"
	for ((i = 0; i < 100; i++)); do
		kill -0 "$monitor" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$monitor" 2>/dev/null && fail "monitor still runs"
	wait "$monitor" || rc=$?
	((rc == 2)) || fail "monitor exited $rc, not 2"
	[[ $(cat "$work/mon.err") == "Error: pg2 kernel module unloaded (modprobe pg2)." ]] ||
		fail "monitor said: $(cat "$work/mon.err")"
	insmod "$PG2_MODULE" || fail "cannot insmod $PG2_MODULE"
	pg2_expect 0 group show
}

tap_run test_monitor_exits_when_the_module_is_unloaded
