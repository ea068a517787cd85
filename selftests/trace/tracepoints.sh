#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The pg2:* tracepoints (guest test) fire with the fields
# Documentation/design.md promises: what eBPF tools and perf rely on.
# shellcheck disable=SC2317 # the checks are called through tap_run
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
build=${PG2_BUILD:-$top/build}
pg2=$build/bin/pg2
relay_ops=$build/selftests/trace/relay-ops
tracing=/sys/kernel/tracing
group=tp$$
empty=tp_empty$$
tmp=$(mktemp -d)
trace=$tmp/trace
trap 'echo 0 >"$tracing/events/pg2/enable"; rm -rf "$tmp"' EXIT

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
# Lookups that find nothing report 0 (closest fails with ESRCH).
"$pg2" group create "$empty"
"$pg2" member show "$empty" >/dev/null
"$pg2" member closest "$empty" >/dev/null 2>&1
"$relay_ops" "$group"
kill "$member"
wait "$member"
# The exit event is sent by a work item after the exit itself.
for _ in $(seq 50); do
	grep -q "pg2_exit_cleanup: pid=$member " "$tracing/trace" && break
	sleep 0.1
done
"$pg2" group delete "$group"
"$pg2" group delete "$empty"
echo 0 >"$tracing/tracing_on"
cp "$tracing/trace" "$trace"

# traced REGEX: one line of the trace matches.  In bash itself: every
# process costs a good fraction of a second in the emulated guest.
mapfile -t trace_lines <"$trace"
traced() {
	local line
	for line in "${trace_lines[@]}"; do
		[[ $line =~ $1 ]] && return 0
	done
	echo "# no trace line matches: $1"
	return 1
}

# The live field list, one "EVENT<TAB>field:...;" line per field.
live_formats() {
	LC_ALL=C awk 'FNR == 1 { n = split(FILENAME, p, "/"); event = p[n - 1] }
		/^[ \t]*field:/ && !/common_/ {
			sub(/^[ \t]*/, ""); print event "\t" $0
		}' "$tracing"/events/pg2/pg2_*/format
}

# diff A B, shown as TAP comments.  (The guest has no /dev/fd for <(...).)
differs_not() {
	diff -u "$1" "$2" >"$tmp/diff" && return 0
	sed 's/^/# /' "$tmp/diff"
	return 1
}

formats_are_the_expected() {
	grep -v '^#' "$here/formats.expected" >"$tmp/expected"
	live_formats >"$tmp/live"
	differs_not "$tmp/expected" "$tmp/live"
}

# "EVENT TYPE NAME" of the expected list, strings as design.md names them.
expected_fields() {
	awk -F '\t' '!/^#/ {
		sub(/^field:/, "", $2); sub(/;$/, "", $2)
		sub(/^__data_loc char\[\]/, "string", $2)
		print $1, $2
	}' "$here/formats.expected" | sort -s -k1,1
}

# The same from the tracepoint table of Documentation/design.md: in a row
# "| `EVENT` | `TYPE NAME` (comment), ... |", every `TYPE NAME`.
documented_fields() {
	awk -F '`' '/^\| `pg2_/ {
		for (i = 4; i <= NF; i += 2)
			if ($i ~ /^(u8|u16|u32|u64|s32|s64|string) [a-z_]+$/)
				print $2, $i
	}' "$top/Documentation/design.md" | sort -s -k1,1
}

design_md_documents_them() {
	documented_fields >"$tmp/documented"
	expected_fields >"$tmp/fields"
	[[ -s $tmp/documented ]] || { echo "# no tracepoint table in design.md"; return 1; }
	differs_not "$tmp/documented" "$tmp/fields"
}

n="netns=$netns group=$group"
tap_plan 16
tap_run group_create traced "pg2_group_create: $n value=0 generation=[0-9]+"
tap_run join_counts traced "pg2_join: $n node=0 pid=$member count=2 generation=[0-9]+"
tap_run leave_reason_leave traced "pg2_leave: $n node=0 pid=$member count=1 reason=0 generation="
tap_run lookup_members traced "pg2_lookup: $n op=0 returned=1"
tap_run lookup_closest traced "pg2_lookup: $n op=1 returned=1"
tap_run lookup_members_empty traced "pg2_lookup: netns=$netns group=$empty op=0 returned=0$"
tap_run lookup_closest_empty traced "pg2_lookup: netns=$netns group=$empty op=1 returned=0$"
tap_run remote_sync_join traced "pg2_remote_sync: netns=$netns op=0 node=7 members=1 generation=[0-9]+"
tap_run remote_sync_leave traced "pg2_remote_sync: netns=$netns op=1 node=7 members=1 generation=[0-9]+"
tap_run remote_sync_drop traced "pg2_remote_sync: netns=$netns op=2 node=7 members=2 generation=[0-9]+"
tap_run remote_sync_replace traced "pg2_remote_sync: netns=$netns op=3 node=8 members=1 generation=[0-9]+"
tap_run exit_leave_reason_exit traced "pg2_leave: $n node=0 pid=$member count=0 reason=1 generation="
tap_run exit_cleanup traced "pg2_exit_cleanup: pid=$member memberships=1"
tap_run group_delete traced "pg2_group_delete: $n value=1 generation="
tap_run formats_are_the_expected formats_are_the_expected
tap_run design_md_documents_them design_md_documents_them
tap_exit
