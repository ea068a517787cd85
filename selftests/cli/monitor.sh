#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2 monitor: a line per event of each kind, text and JSON, filters, -t,
# -s, a clean exit on SIGINT and SIGTERM, and RESYNC after lost events.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Fails or holds up the monitor's receives: see monitor_preload.c.
preload=${PG2_BUILD:-$cli_dir/../../build}/selftests/cli/monitor_preload.so
[[ -f $preload ]] || { echo "no $preload"; exit 1; }

# Every kind of event for group $1: created, joined twice (with data), left,
# exited, joined, group deleted.  Sets $first and $second.
make_events() {
	local g=$1

	"$PG2" group create "$g"
	sleep 1000 &
	first=$!
	"$PG2" member join "$g" pid "$first" data d
	"$PG2" member join "$g" pid "$first"
	"$PG2" member leave "$g" pid "$first"
	kill "$first"
	wait "$first"
	sleep 1000 &
	second=$!
	"$PG2" member join "$g" pid "$second"
	"$PG2" group delete "$g"
	kill "$second"
	wait "$second"
} 2>/dev/null

test_text_events() {
	local g=$tag-text first second expected

	start_monitor -s monitor
	make_events "$g"
	stop_monitor INT
	expected="group-created group $g creator 0
member-joined group $g pid $first node 0 count 1 data \"d\"
member-joined group $g pid $first node 0 count 2 data \"d\"
member-left group $g pid $first node 0 count 1 data \"d\" reason leave
member-left group $g pid $first node 0 count 0 data \"d\" reason exit
member-joined group $g pid $second node 0 count 1
member-left group $g pid $second node 0 count 0 reason group-deleted
group-deleted group $g"
	[[ $(sed 's/ generation [0-9]*$//' "$work/out") == "$expected" ]] ||
		fail "events differ from: $expected"
	# -s: every event has its generation, one more than the last.
	awk '{ g = $NF } NR > 1 && g != last + 1 { exit 1 } { last = g }' \
		"$work/out" || fail "generations are not consecutive"
}

test_json_events() {
	local g=$tag-json first second

	start_monitor -j -t monitor
	make_events "$g"
	stop_monitor TERM
	json_check --lines 'length == 8' \
		'[.[].event] == ["group-created", "member-joined", "member-joined", "member-left", "member-left", "member-joined", "member-left", "group-deleted"]' \
		"all(.[]; .group == \"$g\" and (has(\"generation\") | not))" \
		'all(.[]; .timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}[+-][0-9]{4}$"))' \
		'.[0].creator_uid == 0' \
		"(.[1] | del(.timestamp)) == {event: \"member-joined\", group: \"$g\", pid: $first, node: 0, count: 1, data: \"d\", data_hex: \"64\"}" \
		'[.[].reason] == [null, null, null, "leave", "exit", null, "group-deleted", null]' \
		".[5].pid == $second and (.[5] | has(\"data\") | not)"
}

test_timestamp_text() {
	local g=$tag-ts

	start_monitor --timestamp monitor group
	"$PG2" group create "$g"
	"$PG2" group delete "$g"
	stop_monitor INT
	out_has "^\[[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{6}[+-][0-9]{4}\] group-created group $g creator 0$"
	out_has "^\[[^]]*\] group-deleted group $g$"
}

test_filters() {
	local g=$tag-filter first second

	start_monitor monitor group
	make_events "$g"
	stop_monitor INT
	[[ $(cut -d' ' -f1 "$work/out" | tr '\n' ' ') == "group-created group-deleted " ]] ||
		fail "monitor group shows group events only"
	start_monitor -j monitor member
	make_events "$g"
	stop_monitor INT
	json_check --lines 'length == 6' \
		'all(.[]; .event | startswith("member-"))'
}

# A monitor stopped while 20,000 events go by loses some (ENOBUFS): it says
# RESYNC, with the table it read again, and goes on.
test_resync() {
	local g=$tag-resync i sleeper

	start_sleeper
	"$PG2" group create "$g"
	for ((i = 0; i < 10000; i++)); do
		echo "member join $g pid $sleeper"
		echo "member leave $g pid $sleeper"
	done >"$work/batch"
	start_monitor -s monitor member
	kill -STOP "$monitor"
	"$PG2" -b "$work/batch" || fail "batch failed"
	"$PG2" member join "$g" pid "$sleeper"
	kill -CONT "$monitor"
	for ((i = 0; i < 100; i++)); do
		grep -q '^resync ' "$work/mon" && break
		sleep 0.1
	done
	"$PG2" member leave "$g" pid "$sleeper"
	sleep 1
	stop_monitor INT
	"$PG2" group delete "$g"
	out_has '^resync groups [0-9]+ members [0-9]+ generation [0-9]+$'
	# Events after the new table are reported as before.
	out_has "^member-left group $g pid $sleeper node 0 count 0 reason leave generation [0-9]+$"
	(($(wc -l <"$work/out") < 20000)) || fail "no event was lost"
}

# -n: the events of that network namespace's table only.
test_netns() {
	local sync_netns=$tag-ns

	command -v ip >/dev/null || skip "no ip(8)"
	ip netns add "$sync_netns" || skip "cannot make a network namespace"
	# shellcheck disable=SC2064 # expanded now: see start_sleeper
	trap "ip netns del $sync_netns" EXIT
	start_monitor -n "$sync_netns" monitor group
	"$PG2" group create "$tag-outside"
	"$PG2" -n "$sync_netns" group create "$tag-inside"
	"$PG2" group delete "$tag-outside"
	"$PG2" -n "$sync_netns" group delete "$tag-inside"
	stop_monitor INT
	[[ $(cat "$work/out") == "group-created group $tag-inside creator 0
group-deleted group $tag-inside" ]] || fail "events of the netns only"
}

# -s: a listing's generation is that of the monitor's last event before it.
test_statistics_generation() {
	local g=$tag-gen sleeper last listing

	start_sleeper
	start_monitor -s monitor
	"$PG2" group create "$g"
	"$PG2" member join "$g" pid "$sleeper" data x
	"$PG2" member join "$g" pid "$sleeper"
	"$PG2" member leave "$g" pid "$sleeper"
	stop_monitor INT
	last=$(tail -n 1 "$work/out" | awk '{ print $NF }')
	[[ $(tail -n 1 "$work/out") == "member-left group $g pid $sleeper node 0 count 1 data \"x\" reason leave generation $last" ]] ||
		fail "the last event is not the leave"
	for listing in "group show" "group show $g" "member show" \
		"member show $g" "member show $g local"; do
		# shellcheck disable=SC2086 # the words are separate arguments
		pg2_expect 0 -s $listing
		[[ $(tail -n 1 "$work/out") == "generation $last" ]] ||
			fail "pg2 -s $listing: not generation $last"
		# shellcheck disable=SC2086
		pg2_expect 0 -s -j $listing
		json_check ".generation == $last"
	done
	"$PG2" group delete "$g"
}

# While the table changes, each -s listing is the table at its generation:
# its member count is the one the monitor's events give at that generation.
test_statistics_generation_while_changing() {
	local g=$tag-gen2 sleeper churn i

	start_sleeper
	"$PG2" group create "$g"
	for ((i = 0; i < 2000; i++)); do
		echo "member join $g pid $sleeper"
		echo "member leave $g pid $sleeper"
	done >"$work/batch"
	# As many listings, from one pg2 (a process start takes longer than
	# many changes).  Under this many changes some fail, as dumps give up
	# after 8 attempts: -f.
	sed "s/.*/member show $g/" "$work/batch" >"$work/show"
	start_monitor -s monitor member
	"$PG2" -b "$work/batch" &
	churn=$!
	"$PG2" -s -j -f -b "$work/show" >"$work/listings" 2>"$work/err"
	wait "$churn" || fail "the batch failed"
	! grep -v -e '^Command failed' -e 'changed during each of 8' "$work/err" ||
		fail "listings failed otherwise"
	stop_monitor INT
	"$PG2" group delete "$g"
	! grep -q '^resync ' "$work/out" || skip "events were lost"
	# "GENERATION COUNT" per event, then per listing.
	awk -v g="$g" '$3 == g { print $NF, $9 }' "$work/out" >"$work/events"
	jq -r '"\(.generation) \(.members[0].count // 0)"' "$work/listings" \
		>"$work/counts"
	(($(wc -l <"$work/counts") > 1000)) || fail "too few listings"
	echo "$(wc -l <"$work/counts") listings"
	# Some listings saw the member, some did not.
	sort -u -k2 "$work/counts" | wc -l | grep -qx 2 ||
		fail "the listings did not see the table change"
	# Both in generation order: the count is the last event's at or before.
	awk 'NR == FNR { gen[NR] = $1; count[NR] = $2; n = NR; next }
	     { while (j < n && gen[j + 1] <= $1) j++
	       c = j ? count[j] : 0
	       if (c != $2) { print "generation " $1 ": count " $2 ", events say " c; bad = 1 } }
	     END { exit bad }' "$work/events" "$work/counts" ||
		fail "a listing is not the table at its generation"
}

# SIGINT and SIGTERM stop a monitor that events keep busy, at once: it
# prints the events of the changes made before the signal and exits 0.
# Three churners make events, and while they come the monitor's queue is
# never empty (monitor_preload.so).
test_stops_while_events_keep_coming() {
	local g=$tag-busy sig i rc churners=() last

	start_sleeper
	"$PG2" group create "$g"
	for ((i = 0; i < 500; i++)); do
		echo "member join $g pid $sleeper"
		echo "member leave $g pid $sleeper"
	done >"$work/batch"
	for sig in INT TERM; do
		LD_PRELOAD=$preload PG2_TEST_NEVER_EMPTY_MS=500 \
			start_monitor -s monitor member
		for ((i = 0; i < 3; i++)); do
			while "$PG2" -b "$work/batch"; do :; done &
			churners+=($!)
		done
		# shellcheck disable=SC2064 # expanded now: see start_sleeper
		trap "kill ${churners[*]} $sleeper $monitor 2>/dev/null" EXIT
		for ((i = 0; i < 100; i++)); do
			grep -q "group $g " "$work/mon" && break
			sleep 0.1
		done
		kill -"$sig" "$monitor"
		for ((i = 0; i < 100; i++)); do
			kill -0 "$monitor" 2>/dev/null || break
			sleep 0.1
		done
		kill -0 "$monitor" 2>/dev/null &&
			fail "monitor still runs 10 s after SIG$sig"
		last=$("$PG2" -s group show "$g" | tail -n 1)
		kill "${churners[@]}"
		wait "${churners[@]}" 2>/dev/null
		churners=()
		rc=0
		wait "$monitor" || rc=$?
		((rc == 0)) || fail "monitor exited $rc on SIG$sig"
		[[ ! -s $work/mon.err ]] || fail "monitor: $(cat "$work/mon.err")"
		grep -q "group $g " "$work/mon" || fail "no event of $g"
		echo "SIG$sig: $(wc -l <"$work/mon") lines, stopped in $((i / 10)).$((i % 10)) s; then $last"
	done
	"$PG2" group delete "$g"
}

# Events overflowing the socket while the monitor drops them make
# libpg2nl say EAGAIN, temporary: pg2 goes on, with a RESYNC.
test_eagain_is_temporary() {
	local i

	LD_PRELOAD=$preload PG2_TEST_ENOBUFS=10 start_monitor monitor group
	"$PG2" group create "$tag-after"
	"$PG2" group delete "$tag-after"
	for ((i = 0; i < 50; i++)); do
		grep -q "group-deleted group $tag-after" "$work/mon" && break
		sleep 0.1
	done
	stop_monitor INT
	out_has '^resync groups [0-9]+ members [0-9]+$'
	[[ $(grep -v '^resync ' "$work/out") == "group-created group $tag-after creator 0
group-deleted group $tag-after" ]] || fail "events after the resync"
}

# A monitor line of a batch that SIGINT or SIGTERM stops ends the batch.
test_batch_stops_after_monitor() {
	local opts

	printf '%s\n' "monitor group" "group create $tag-after" >"$work/batch"
	for opts in "" "-f"; do
		# shellcheck disable=SC2086 # the options are separate words
		start_monitor $opts -b "$work/batch"
		stop_monitor INT
		pg2_expect 2 group show "$tag-after"
	done
	start_monitor -b "$work/batch"
	stop_monitor TERM
	pg2_expect 2 group show "$tag-after"
}

tap_run test_text_events test_json_events test_timestamp_text test_filters \
	test_netns test_resync test_statistics_generation \
	test_statistics_generation_while_changing test_batch_stops_after_monitor \
	test_stops_while_events_keep_coming test_eagain_is_temporary
