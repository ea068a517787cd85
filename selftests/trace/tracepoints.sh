#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pg2:* tracepoints (guest test) fire with the fields
# Documentation/design.md promises: what eBPF tools and perf rely on.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
pg2=${PG2_BUILD:-$top/build}/bin/pg2
tracing=/sys/kernel/tracing
group=tp$$
trace=$(mktemp)
trap 'echo 0 >"$tracing/events/pg2/enable"; rm -f "$trace"' EXIT

netns=$(stat -L -c %i /proc/self/ns/net)
echo 0 >"$tracing/tracing_on"
: >"$tracing/trace"
echo 1 >"$tracing/events/pg2/enable"
echo 1 >"$tracing/tracing_on"

"$pg2" group create "$group"
sleep 1000 &
member=$!
"$pg2" member join "$group" pid "$member"
"$pg2" member join "$group" pid "$member"
"$pg2" member leave "$group" pid "$member"
"$pg2" member show "$group" >/dev/null
"$pg2" member closest "$group" >/dev/null
kill "$member"
wait "$member"
# The exit event is sent by a work item after the exit itself.
for _ in $(seq 50); do
	grep -q "pg2_exit_cleanup: pid=$member " "$tracing/trace" && break
	sleep 0.1
done
"$pg2" group delete "$group"
echo 0 >"$tracing/tracing_on"
cp "$tracing/trace" "$trace"

# traced REGEX: one line of the trace matches.
traced() {
	grep -qE "$1" "$trace" || { echo "# no trace line matches: $1"; return 1; }
}

n="netns=$netns group=$group"
tap_plan 8
tap_run group_create traced "pg2_group_create: $n value=0 generation=[0-9]+"
tap_run join_counts traced "pg2_join: $n node=0 pid=$member count=2 generation=[0-9]+"
tap_run leave_reason_leave traced "pg2_leave: $n node=0 pid=$member count=1 reason=0 generation="
tap_run lookup_members traced "pg2_lookup: $n op=0 returned=1"
tap_run lookup_closest traced "pg2_lookup: $n op=1 returned=1"
tap_run exit_leave_reason_exit traced "pg2_leave: $n node=0 pid=$member count=0 reason=1 generation="
tap_run exit_cleanup traced "pg2_exit_cleanup: pid=$member memberships=1"
tap_run group_delete traced "pg2_group_delete: $n value=0 generation="
tap_exit
