#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The man page's example program (lib/examples/pg2-example.c, linked with
# the shared library) runs and prints what libpg2nl(3) says it does.
# Guest test: pg2.ko loaded.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
build=${PG2_BUILD:-$here/../../build}

out=$(unshare --net "$build/lib/pg2-example" pg2-example-test 2>&1)
status=$?
sed 's/^/# /' <<<"$out"
pid='[0-9]+'
top=${PG2_TOP:-$here/../..}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# As libpg2nl(3) says a program is built against the tree before make
# install: pkg-config finds build/lib/pg2nl-uninstalled.pc.  It runs from
# there as it is (an rpath), and does what the tree's own build does.
builds_and_runs_against_the_tree() {
	local flags again
	flags=$(PKG_CONFIG_PATH=$build/lib pkg-config --cflags --libs pg2nl) ||
		return 1
	echo "# cc $flags"
	# shellcheck disable=SC2086 # several words
	cc -Wall -Wextra -Werror -o "$tmp/example" \
		"$top/lib/examples/pg2-example.c" $flags || return 1
	ldd "$tmp/example" | grep -q "libpg2nl.so.1 => $build/lib/libpg2nl.so.1" ||
		return 1
	again=$(unshare --net "$tmp/example" pg2-example-test 2>&1) || return 1
	# The same lines, but for the pids.
	[[ $(sed -E 's/pid [0-9]+/pid N/g' <<<"$out") == \
		"$(sed -E 's/pid [0-9]+/pid N/g' <<<"$again")" ]]
}

expect() { grep -Eq "$1" <<<"$out"; }
event_kinds() {
	test "$(grep -E '^event' <<<"$out" | cut -d' ' -f2 | paste -sd' ')" = \
		"group-created member-joined member-joined member-left member-left group-deleted"
}

tap_plan 8
tap_run exits_0 test "$status" -eq 0
tap_run snapshot expect '^snapshot generation 1: 0 groups, 0 members$'
tap_run member_with_data \
	expect "^member node 0 pid $pid count 2 data 'hello'$"
# The kernel's words, not the library's strerror() fallback.
kernel_message() {
	expect '^leave again: No such file or directory: .+' &&
		! expect '^leave again: No such file or directory: No such file'
}
tap_run kernel_message_for_missing_group kernel_message
tap_run events_in_order event_kinds
tap_run left_by_leave expect \
	"^event member-left group pg2-example-test generation [0-9]+ pid $pid count 1 reason leave$"
tap_run left_by_delete expect \
	"^event member-left group pg2-example-test generation [0-9]+ pid $pid count 0 reason group-deleted$"
tap_run builds_and_runs_against_the_tree builds_and_runs_against_the_tree
tap_exit
