#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libpg2nl under valgrind: the leak workload (every call, failure paths,
# monitor resync) and the man page's example leak nothing and touch no
# invalid memory.  Guest test: pg2.ko loaded.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
build=${PG2_BUILD:-$here/../../build}

# Output becomes TAP comments; the status is valgrind's.
memcheck() {
	valgrind -q --vgdb=no --leak-check=full --error-exitcode=99 "$@" 2>&1 |
		sed 's/^/# /'
	return "${PIPESTATUS[0]}"
}

tap_plan 2
if ! command -v valgrind >/dev/null; then
	tap_skip leak_workload "valgrind not installed"
	tap_skip example "valgrind not installed"
	tap_exit
fi
tap_run leak_workload memcheck "$build/selftests/lib/leak_workload"
tap_run example memcheck "$build/lib/pg2-example" pg2-valgrind-example
tap_exit
