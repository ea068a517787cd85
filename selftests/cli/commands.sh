#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2 group and pg2 member against pg2.ko: every command and option, text
# and JSON, kernel errors (exit 2), batches with and without -f, -n.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

test_group_lifecycle() {
	local g=$tag-life

	pg2_expect 0 group create "$g"
	out_empty
	# Creating an existing group is no error and changes nothing.
	pg2_expect 0 group create "$g"
	pg2_expect 0 group show
	out_has "^group $g creator 0$"
	pg2_expect 0 group
	out_has "^group $g creator 0$"
	pg2_expect 0 group show "$g"
	[[ $(cat "$work/out") == "group $g creator 0" ]] || fail "one line"
	pg2_expect 0 -j group show
	json_check "any(.groups[]; . == {name: \"$g\", creator_uid: 0})"
	pg2_expect 0 --json group show "$g"
	json_check ". == {groups: [{name: \"$g\", creator_uid: 0}]}"
	pg2_expect 0 group delete "$g"
	out_empty
	pg2_expect 0 group show
	out_lacks "^group $g "
	# Deleting an absent group is no error either.
	pg2_expect 0 group delete "$g"
}

test_group_statistics() {
	local g=$tag-stats sleeper

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 0 member join "$g" pid "$sleeper"
	pg2_expect 0 -s group show "$g"
	out_has "^group $g creator 0 members 1 local 1$"
	out_has '^generation [0-9]+$'
	pg2_expect 0 --statistics -j group show
	json_check "[.groups[] | select(.name == \"$g\")] == [{name: \"$g\", creator_uid: 0, member_count: 1, local_member_count: 1}]" \
		'(.generation | type) == "number" and .generation > 0'
	# -p is JSON spread over lines.
	pg2_expect 0 -s -p group show "$g"
	[[ $(wc -l <"$work/out") -gt 3 ]] || fail "-p is not pretty"
	json_check '.groups[0].member_count == 1'
	pg2_expect 0 --pretty group show "$g"
	json_check 'has("generation") | not'
	pg2_expect 0 group delete "$g"
}

# Names are bytes; JSON shows bytes that are not UTF-8 as U+FFFD, text as
# \xHH, and both show UTF-8 as it is.
test_group_names_not_utf8() {
	local bad=$'\xff'$tag-bad good=$'caf\xc3\xa9'$tag-good

	pg2_expect 0 group create "$bad"
	pg2_expect 0 group create "$good"
	pg2_expect 0 group show
	out_has "^group \\\\xff$tag-bad creator 0$"
	out_has "^group $good creator 0$"
	pg2_expect 0 -j group show
	json_check "any(.groups[]; .name == \"\\ufffd$tag-bad\")" \
		"any(.groups[]; .name == \"caf\\u00e9$tag-good\")"
	pg2_expect 0 group delete "$bad"
	pg2_expect 0 group delete "$good"
}

# In text, a name's blanks, control bytes and backslashes are shown as
# \xHH: a name forges no field or line and sends the terminal no escape
# sequence.
test_group_names_with_control_bytes() {
	local g=$tag-nl$'\n'"group forged creator 0"$'\e[2J\\'

	pg2_expect 0 group create "$g"
	pg2_expect 0 group show "$g"
	[[ $(cat "$work/out") == "group $tag-nl\\x0agroup\\x20forged\\x20creator\\x200\\x1b[2J\\x5c creator 0" ]] ||
		fail "control bytes not escaped"
	pg2_expect 0 -j group show "$g"
	json_check ".groups[0].name == \"$tag-nl\\ngroup forged creator 0\\u001b[2J\\\\\""
	pg2_expect 0 group delete "$g"
	# From 0x80 too: C1 controls (U+009B is CSI) and bytes that are not
	# UTF-8; other UTF-8 is shown as it is.
	g=$tag-c1$'\xc2\x9b2J\xff\x9bcaf\xc3\xa9'
	pg2_expect 0 group create "$g"
	pg2_expect 0 group show "$g"
	[[ $(cat "$work/out") == "group $tag-c1\\xc2\\x9b2J\\xff\\x9bcaf"$'\xc3\xa9'" creator 0" ]] ||
		fail "C1 or invalid UTF-8 not escaped"
	pg2_expect 0 group delete "$g"
}

# A name with spaces is one field: "web creator 4242 members 9" cannot pass
# for a group "web" with creator 4242 and 9 members.
test_group_names_with_spaces() {
	local g="$tag-web creator 4242 members 9" sleeper name

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 0 member join "$g" pid "$sleeper"
	pg2_expect 0 -s group show "$g"
	[[ $(head -n 1 "$work/out") == "group $tag-web\\x20creator\\x204242\\x20members\\x209 creator 0 members 1 local 1" ]] ||
		fail "spaces not escaped"
	[[ $(awk 'NR == 1 { print NF }' "$work/out") == 8 ]] ||
		fail "not 8 fields"
	# printf %b turns the escapes back into the name.
	name=$(awk 'NR == 1 { print $2 }' "$work/out")
	[[ $(printf %b "$name") == "$g" ]] || fail "%b does not give the name back"
	pg2_expect 0 member show "$g"
	[[ $(cat "$work/out") == "group $tag-web\\x20creator\\x204242\\x20members\\x209 pid $sleeper node 0 count 1" ]] ||
		fail "member line"
	pg2_expect 0 -j member show "$g"
	json_check ".members[0].group == \"$g\""
	pg2_expect 0 group delete "$g"
}

# The kernel's own messages, as it gave them.
test_group_errors() {
	pg2_expect 2 group show "$tag-none"
	err_is "Error: no such group."
	out_empty
	pg2_expect 2 -j group show "$tag-none"
	err_is "Error: no such group."
	out_empty
	pg2_expect 2 -s group show "$tag-none"
	err_is "Error: no such group."
	# However long: past a page, the kernel still sees it all.
	for name in "$(printf 'n%.0s' {1..256})" "$(printf 'x%.0s' {1..5000})" \
		""; do
		pg2_expect 2 group create "$name"
		err_is "Error: group name must be 1 to 255 bytes without NUL."
	done
}

test_member_join_leave() {
	local g=$tag-join sleeper

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 0 member show "$g"
	out_empty
	pg2_expect 0 -j member show "$g"
	json_check '. == {members: []}'
	pg2_expect 0 member join "$g" pid "$sleeper"
	out_empty
	pg2_expect 0 member show "$g"
	[[ $(cat "$work/out") == "group $g pid $sleeper node 0 count 1" ]] ||
		fail "one member, count 1"
	pg2_expect 0 member join "$g" pid "$sleeper" data "hello:world"
	pg2_expect 0 member show "$g"
	out_has "^group $g pid $sleeper node 0 count 2 data \"hello:world\"$"
	pg2_expect 0 -j member show "$g"
	json_check ".members == [{group: \"$g\", pid: $sleeper, node: 0, count: 2, data: \"hello:world\", data_hex: \"68656c6c6f3a776f726c64\"}]"
	pg2_expect 0 member show "$g" local
	out_has "^group $g pid $sleeper node 0 count 2 "
	pg2_expect 0 member show
	out_has "^group $g pid $sleeper node 0 count 2 "
	pg2_expect 0 member
	out_has "^group $g pid $sleeper "
	pg2_expect 0 -j member show
	json_check "any(.members[]; .group == \"$g\" and .pid == $sleeper)"
	pg2_expect 0 member leave "$g" pid "$sleeper"
	pg2_expect 0 member show "$g"
	out_has "^group $g pid $sleeper node 0 count 1 "
	pg2_expect 0 member leave "$g" pid "$sleeper"
	pg2_expect 0 member show "$g"
	out_empty
	# Leaving a group one is not a member of is no error.
	pg2_expect 0 member leave "$g" pid "$sleeper"
	pg2_expect 0 group delete "$g"
}

test_member_statistics() {
	local g=$tag-mstats sleeper

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 0 member join "$g" pid "$sleeper"
	pg2_expect 0 -s member show "$g"
	out_has "^group $g pid $sleeper node 0 count 1$"
	out_has '^generation [0-9]+$'
	pg2_expect 0 -s -j member show
	json_check '.generation > 0' \
		"any(.members[]; .pid == $sleeper)"
	pg2_expect 0 -s -j member show "$g" local
	json_check '.generation > 0' '(.members | length) == 1'
	pg2_expect 0 group delete "$g"
}

# -s takes the generation from the listing's own dump: pg2 sends the
# family lookup and that one request, nothing more.
test_statistics_one_request() {
	local g=$tag-sreq listing

	command -v strace >/dev/null || skip "no strace"
	pg2_expect 0 group create "$g"
	for listing in "group show" "group show $g" "member show" \
		"member show $g" "member show $g local"; do
		# shellcheck disable=SC2086 # the words are separate arguments
		strace -f -qq -e trace=sendmsg,sendto -o "$work/trace" \
			"$PG2" -s $listing >"$work/out" ||
			fail "pg2 -s $listing failed"
		out_has '^generation [0-9]+$'
		[[ $(grep -c -e sendmsg -e sendto "$work/trace") == 2 ]] ||
			fail "pg2 -s $listing: not 2 requests: $(cat "$work/trace")"
	done
	pg2_expect 0 group delete "$g"
}

test_member_data_forms() {
	local g=$tag-data sleeper

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 0 member join "$g" pid "$sleeper" data hex 00Ff41
	pg2_expect 0 member show "$g"
	out_has "^group $g pid $sleeper node 0 count 1 data hex 00ff41$"
	pg2_expect 0 -j member show "$g"
	json_check '.members[0].data_hex == "00ff41"' \
		'.members[0] | has("data") | not'
	# Text is shown as hex when quotes could not show it as one field;
	# JSON has it as a string too, blanks, quotes and backslashes and all.
	pg2_expect 0 member join "$g" pid "$sleeper" data 'say "hi"'
	pg2_expect 0 member show "$g"
	out_has "data hex $(printf 'say "hi"' | od -An -tx1 | tr -d ' \n')$"
	pg2_expect 0 -j member show "$g"
	json_check '.members[0].data == "say \"hi\""'
	pg2_expect 0 member join "$g" pid "$sleeper" data 'a b'
	pg2_expect 0 member show "$g"
	out_has "count 3 data hex 612062$"
	pg2_expect 0 -j member show "$g"
	json_check '.members[0] == {group: .members[0].group, pid: .members[0].pid, node: 0, count: 3, data: "a b", data_hex: "612062"}'
	pg2_expect 0 member join "$g" pid "$sleeper" data $'caf\xc3\xa9 \\ \'x\''
	pg2_expect 0 member show "$g"
	out_has "count 4 data hex 636166c3a9205c20277827$"
	pg2_expect 0 -j member show "$g"
	json_check ".members[0].data == \"caf\\u00e9 \\\\ 'x'\""
	# Control characters (C0, C1) and what is not UTF-8: hex only.
	for data in $'a\tb' $'a\xc2\x9bb' $'a\xffb' $'\x7f'; do
		pg2_expect 0 member join "$g" pid "$sleeper" data "$data"
		pg2_expect 0 -j member show "$g"
		json_check '.members[0] | has("data") | not' \
			".members[0].data_hex == \"$(printf %s "$data" | od -An -tx1 | tr -d ' \n')\""
	done
	pg2_expect 0 member leave "$g" pid "$sleeper"
	pg2_expect 0 member join "$g" pid "$sleeper" data hex 414243
	pg2_expect 0 member show "$g"
	out_has "count 8 data \"ABC\"$"
	# The text "hex" as pg2-member(8) says to give it.
	pg2_expect 0 member join "$g" pid "$sleeper" data hex 686578
	pg2_expect 0 member show "$g"
	out_has "count 9 data \"hex\"$"
	for len in 257 5000; do
		pg2_expect 2 member join "$g" pid "$sleeper" \
			data "$(head -c "$len" /dev/zero | tr '\0' d)"
		err_is "Error: member data longer than 256 bytes."
	done
	pg2_expect 0 group delete "$g"
}

test_member_errors() {
	local g=$tag-merr sleeper

	start_sleeper
	pg2_expect 2 member show "$tag-none"
	err_is "Error: no such group."
	out_empty
	pg2_expect 2 member show "$tag-none" local
	err_is "Error: no such group."
	pg2_expect 2 -s member show "$tag-none"
	err_is "Error: no such group."
	pg2_expect 2 member join "$tag-none" pid "$sleeper"
	err_is "Error: no such group."
	pg2_expect 2 member leave "$tag-none"
	err_is "Error: no such group."
	pg2_expect 2 member closest "$tag-none"
	err_is "Error: no such group."
	pg2_expect 2 member signal "$tag-none"
	err_is "Error: no such group."
	pg2_expect 0 group create "$g"
	# A pid above pid_max belongs to no process.
	pg2_expect 2 member join "$g" pid 2147483647
	err_is "Error: no such process, or it is exiting."
	pg2_expect 0 member show "$g"
	out_empty
	pg2_expect 0 group delete "$g"
}

# Without pid, join and leave act on pg2's parent: a shell that runs
# "pg2 member join GROUP" is a member until it leaves or exits.  (dash
# execs a -c script's last command: pg2 is not last where its parent
# matters.)
test_member_join_default_parent() {
	local g=$tag-parent

	pg2_expect 0 group create "$g"
	# shellcheck disable=SC2016 # the inner shell expands them
	sh -c 'echo $$; "$0" member join "$1" data sh; "$0" -j member show "$1"
		"$0" member leave "$1"; "$0" -j member show "$1"; true' \
		"$PG2" "$g" >"$work/out"
	json_check --lines '.[0] > 1' \
		".[1].members == [{group: \"$g\", pid: .[0], node: 0, count: 1, data: \"sh\", data_hex: \"7368\"}]" \
		'.[2].members == []'
	# A member until it exits; a batch's parent is the shell as well.
	# shellcheck disable=SC2016
	sh -c 'echo "member join $1" | "$0" -b -; echo $$; "$0" -j member show "$1"' \
		"$PG2" "$g" >"$work/out"
	json_check --lines ".[1].members[0].pid == .[0]"
	pg2_expect 0 member show "$g"
	out_empty
	# bash runs a lone command in $(...) itself: the shell is the
	# member.  With more in it, $(...) is a subshell, gone at once.
	# shellcheck disable=SC2016
	bash -c 'x=$("$0" member join "$1"); echo $$; "$0" -j member show "$1"
		x=$("$0" member leave "$1")
		x=$("$0" member join "$1"; true); "$0" -j member show "$1"' \
		"$PG2" "$g" >"$work/out"
	json_check --lines ".[1].members == [{group: \"$g\", pid: .[0], node: 0, count: 1}]" \
		'.[2].members == []'
	# A shell that joined is signalled with the group's members.
	# shellcheck disable=SC2016
	sh -c 'echo $$; "$0" member join "$1"; "$0" -j member signal "$1" 0
		"$0" member leave "$1"' "$PG2" "$g" >"$work/out"
	json_check --lines '.[1].members == [{group: .[1].members[0].group, pid: .[0], node: 0, count: 1, result: "sent"}]'
	pg2_expect 0 group delete "$g"
}

# group show sorts by name; member show lists in join order.
test_listing_order() {
	local g=$tag-order one two

	two_members "$g"
	pg2_expect 0 group create "$tag-order-b"
	pg2_expect 0 group create "$tag-order-a"
	pg2_expect 0 group show
	[[ $(grep -o "^group $tag-order[^ ]*" "$work/out" | cut -d' ' -f2 | paste -sd' ') == \
		"$g $tag-order-a $tag-order-b" ]] || fail "groups not by name"
	pg2_expect 0 member leave "$g" pid "$one"
	pg2_expect 0 member join "$g" pid "$one"
	pg2_expect 0 member join "$g" pid "$two"
	pg2_expect 0 -j member show "$g"
	json_check "[.members[].pid] == [$two, $one]"
	pg2_expect 0 group delete "$g"
	pg2_expect 0 group delete "$tag-order-a"
	pg2_expect 0 group delete "$tag-order-b"
	kill "$one" "$two"
}

test_member_closest() {
	local g=$tag-close sleeper

	start_sleeper
	pg2_expect 0 group create "$g"
	pg2_expect 2 member closest "$g"
	err_is "Error: group has no member."
	pg2_expect 0 member join "$g" pid "$sleeper" data x
	pg2_expect 0 member closest "$g"
	[[ $(cat "$work/out") == "group $g pid $sleeper node 0 count 1 data \"x\"" ]] ||
		fail "closest is the one member"
	pg2_expect 0 -j member closest "$g"
	json_check ". == {member: {group: \"$g\", pid: $sleeper, node: 0, count: 1, data: \"x\", data_hex: \"78\"}}"
	pg2_expect 0 group delete "$g"
}

# two_members GROUP: two sleepers joined to GROUP, in $one and $two.
two_members() {
	sleep 1000 &
	one=$!
	sleep 1000 &
	two=$!
	# shellcheck disable=SC2064 # expanded now: see start_sleeper
	trap "kill $one $two 2>/dev/null" EXIT
	pg2_expect 0 group create "$1"
	pg2_expect 0 member join "$1" pid "$one"
	pg2_expect 0 member join "$1" pid "$two"
}

# wait_signalled PID SIGNAL: PID ended by SIGNAL, within 10 s.
wait_signalled() {
	local i rc=0 state

	for ((i = 0; i < 100; i++)); do
		state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)
		[[ $state == Z || -z $state ]] && break
		sleep 0.1
	done
	[[ $state == Z || -z $state ]] || fail "pid $1 still runs"
	wait "$1" || rc=$?
	((rc == 128 + $2)) || fail "pid $1 ended with $rc, not by signal $2"
}

test_member_signal() {
	local g=$tag-sig one two

	two_members "$g"
	pg2_expect 0 member signal "$g"
	out_has "^group $g pid $one node 0 count 1 signal TERM sent$"
	out_has "^group $g pid $two node 0 count 1 signal TERM sent$"
	wait_signalled "$one" 15
	wait_signalled "$two" 15
	pg2_expect 0 member signal "$g"
	out_empty
	pg2_expect 0 -j member signal "$g" KILL
	json_check '. == {signal: "KILL", members: []}'
	pg2_expect 0 group delete "$g"
}

# pg2 never signals itself: a member that runs "pg2 member signal" of its
# own group is skipped, no failure.
test_member_signal_self() {
	local g=$tag-sigself one two

	two_members "$g"
	pg2_expect 0 member exec "$g" -- "$PG2" member signal "$g" 0
	out_has "^group $g pid $one node 0 count 1 signal 0 sent$"
	out_has "^group $g pid [0-9]+ node 0 count 1 signal 0 self, skipped$"
	[[ $(wc -l <"$work/out") == 3 ]] || fail "three members"
	pg2_expect 0 member exec "$g" -- "$PG2" -j member signal "$g" KILL
	json_check '[.members[].result] | sort == ["sent", "sent", "skipped"]' \
		'all(.members[]; has("error") | not)'
	wait_signalled "$one" 9
	wait_signalled "$two" 9
	pg2_expect 0 group delete "$g"
}

# wait_pidfd_open: the one pg2 running is held in pidfd_open(2) (434).
wait_pidfd_open() {
	local i pid

	for ((i = 0; i < 100; i++)); do
		pid=$(pgrep -x pg2) &&
			[[ $(cut -d' ' -f1 "/proc/$pid/syscall" 2>/dev/null) == 434 ]] &&
			return
		sleep 0.1
	done
	fail "pg2 never reached pidfd_open"
}

# A member that is gone by the time its pidfd is open, or whose membership
# ended after, is reported "gone" and never signalled.  strace holds pg2 in
# pidfd_open() meanwhile.
test_member_signal_gone() {
	local g=$tag-siggone one two bg rc=0
	local strace=(strace -qq -o /dev/null -e trace=pidfd_open)

	command -v strace >/dev/null || skip "no strace"
	two_members "$g"
	# Both pidfds open (2 s each), both members leave: neither is
	# signalled, though both processes are alive.
	PG2="${strace[*]} -e inject=pidfd_open:delay_exit=2000000 $PG2" \
		pg2_expect 0 member signal "$g" KILL &
	bg=$!
	wait_pidfd_open
	"$PG2" member leave "$g" pid "$one"
	"$PG2" member leave "$g" pid "$two"
	wait "$bg" || fail "member signal failed"
	out_has "^group $g pid $one node 0 count 1 signal KILL gone$"
	out_has "^group $g pid $two node 0 count 1 signal KILL gone$"
	kill -0 "$one" "$two" || fail "a member that left was signalled"
	# A member that exits before its pidfd is opened.
	pg2_expect 0 member join "$g" pid "$one"
	PG2="${strace[*]} -e inject=pidfd_open:delay_enter=2000000 $PG2" \
		pg2_expect 0 -j member signal "$g" &
	bg=$!
	wait_pidfd_open
	kill -KILL "$one"
	wait "$one" || rc=$?
	wait "$bg" || fail "member signal failed"
	json_check ".members == [{group: \"$g\", pid: $one, node: 0, count: 1, result: \"gone\"}]"
	kill -0 "$two" || fail "pid $two was signalled"
	pg2_expect 0 group delete "$g"
}

test_member_signal_names() {
	local g=$tag-sign one two

	two_members "$g"
	pg2_expect 0 -j member signal "$g" SIGUSR1
	json_check '.signal == "USR1"' '(.members | length) == 2' \
		'all(.members[]; .result == "sent" and (has("error") | not))' \
		"([.members[].pid] | sort) == ([$one, $two] | sort)"
	wait_signalled "$one" 10
	wait_signalled "$two" 10
	two_members "$g"
	# Not 2 or 3: background commands of a script ignore SIGINT and SIGQUIT.
	pg2_expect 0 member signal "$g" 12
	out_has "pid $one node 0 count 1 signal USR2 sent$"
	wait_signalled "$one" 12
	wait_signalled "$two" 12
	two_members "$g"
	pg2_expect 0 member signal "$g" kill
	out_has "signal KILL sent$"
	wait_signalled "$one" 9
	wait_signalled "$two" 9
	# Real-time signals by name (as kill -l numbers them) and number.
	two_members "$g"
	pg2_expect 0 member signal "$g" rtmin+2
	out_has "pid $one node 0 count 1 signal RTMIN\+2 sent$"
	wait_signalled "$one" $(($(kill -l RTMIN) + 2))
	wait_signalled "$two" $(($(kill -l RTMIN) + 2))
	two_members "$g"
	pg2_expect 0 -j member signal "$g" SIGRTMAX-1
	json_check ".signal == \"RTMIN+$(($(kill -l RTMAX) - 1 - $(kill -l RTMIN)))\""
	wait_signalled "$one" $(($(kill -l RTMAX) - 1))
	two_members "$g"
	pg2_expect 0 member signal "$g" "$(kill -l RTMAX)"
	out_has "signal RTMAX sent$"
	wait_signalled "$two" "$(kill -l RTMAX)"
	pg2_expect 0 group delete "$g"
}

test_member_signal_not_permitted() {
	local g=$tag-sigperm one two

	command -v setpriv >/dev/null || skip "no setpriv"
	two_members "$g"
	PG2="setpriv --reuid=65534 --regid=65534 --clear-groups $PG2" \
		pg2_expect 2 member signal "$g"
	out_has "^group $g pid $one node 0 count 1 signal TERM failed: Operation not permitted$"
	err_is "Error: 2 of 2 members not signalled."
	PG2="setpriv --reuid=65534 --regid=65534 --clear-groups $PG2" \
		pg2_expect 2 -j member signal "$g"
	json_check 'all(.members[]; .result == "failed" and .error == "Operation not permitted")'
	kill -0 "$one" "$two" || fail "members were signalled"
	pg2_expect 0 group delete "$g"
}

batch_lines() {
	printf '%s\n' "group create $tag-batch" "member join $tag-none" \
		"group delete $tag-batch"
}

test_batch_stops_at_kernel_error() {
	batch_lines | pg2_expect 2 -b -
	err_has "Command failed -:2"
	pg2_expect 0 group show "$tag-batch"
	pg2_expect 0 group delete "$tag-batch"
}

test_batch_force() {
	batch_lines >"$work/batch"
	pg2_expect 2 -f -b "$work/batch"
	err_has "Command failed $work/batch:2"
	pg2_expect 2 group show "$tag-batch"
	printf '%s\n' "group create $tag-b1" "group create $tag-b2" \
		"-j group show $tag-b1" | pg2_expect 1 -b -
	err_has 'unknown object "-j"'
	printf '%s\n' "group create $tag-b1" "group show $tag-b1" \
		"group delete $tag-b1" "group delete $tag-b2" |
		pg2_expect 0 -j -b -
	json_check ". == {groups: [{name: \"$tag-b1\", creator_uid: 0}]}"
	pg2_expect 0 group show
	out_lacks "^group $tag-b"
}

test_netns() {
	local ns=$tag-ns

	command -v ip >/dev/null || skip "no ip(8)"
	ip netns add "$ns" || skip "cannot make a network namespace"
	# shellcheck disable=SC2064 # expanded now: see start_sleeper
	trap "ip netns del $ns" EXIT
	pg2_expect 0 -n "$ns" group create "$tag-in-ns"
	pg2_expect 0 --netns "$ns" group show
	[[ $(cat "$work/out") == "group $tag-in-ns creator 0" ]] ||
		fail "the netns's own table"
	pg2_expect 0 group show
	out_lacks "^group $tag-in-ns "
	pg2_expect 2 group show "$tag-in-ns"
	# -n enters the namespace before the socket opens: a command run by
	# member exec is there, and its group is.
	# shellcheck disable=SC2016 # the inner shell expands them
	pg2_expect 0 -n "$ns" member exec "$tag-in-ns" -- \
		sh -c 'echo $$; readlink /proc/self/ns/net; "$0" -j member show "$1"' \
		"$PG2" "$tag-in-ns"
	[[ $(sed -n 2p "$work/out") == "net:[$(stat -L -c %i "/run/netns/$ns")]" ]] ||
		fail "the command is not in $ns"
	sed -i 2d "$work/out"
	json_check --lines ".[1].members == [{group: \"$tag-in-ns\", pid: .[0], node: 0, count: 1}]"
	pg2_expect 0 -n "$ns" group delete "$tag-in-ns"
	pg2_expect 2 -n "$ns" group show "$tag-in-ns"
}

tap_run test_group_lifecycle test_group_statistics \
	test_group_names_not_utf8 test_group_names_with_control_bytes \
	test_group_names_with_spaces test_group_errors \
	test_member_join_leave test_member_statistics \
	test_statistics_one_request test_member_data_forms \
	test_member_errors test_member_join_default_parent test_listing_order \
	test_member_closest test_member_signal test_member_signal_self \
	test_member_signal_gone \
	test_member_signal_names test_member_signal_not_permitted \
	test_batch_stops_at_kernel_error test_batch_force test_netns
