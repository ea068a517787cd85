#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pg2(8) without the kernel module: help, version, usage errors (exit 1),
# batch parsing, and the "module not loaded" error (exit 2).  Runs on the
# host, where no pg2 family exists.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

test_help() {
	local args

	for args in help -h --help "group help" "member help" "monitor help"; do
		# shellcheck disable=SC2086 # the words are separate arguments
		pg2_expect 0 $args
		out_has '^Usage: pg2 '
		[[ ! -s $work/err ]] || fail "pg2 $args wrote to stderr"
	done
	pg2_expect 0 help
	out_has 'OBJECT := \{ group \| member \| monitor \}'
	out_has 'See pg2\(8\)'
	pg2_expect 0 member help
	for command in show join leave closest exec signal; do
		out_has "^(Usage: | +)pg2 member $command "
	done
	# Each object's help names its options and its page.
	pg2_expect 0 group help
	out_has '^Options: -j, -p \(JSON\), -s \(member counts'
	out_has 'See pg2-group\(8\)\.$'
	pg2_expect 0 member help
	out_has '^Options: -j, -p \(JSON\), -s '
	out_has 'See pg2-member\(8\)\.$'
	pg2_expect 0 monitor help
	out_has '^Options: .*-s \(each event.s generation\), -t \(timestamps\)'
	out_has 'See pg2-monitor\(8\)\.$'
	out_has '-n, -b, -f as for every object'
}

# The options are spelt as pg2 takes them: -j or --json, not -json, and
# never abbreviated (getopt_long() alone would take --js).
test_option_spellings() {
	local word

	pg2_expect 0 --json help
	pg2_expect 0 -j help
	pg2_expect 1 -json help
	err_has 'Usage: pg2 '
	pg2_expect 0 --pretty help
	pg2_expect 0 --version
	out_has '^pg2 '
	for word in --js --pre --vers; do
		pg2_expect 1 "$word" group help
		err_has "unrecognized option '$word'"
		err_has 'Usage: pg2 '
		out_empty
	done
	# Whether its argument follows in the word or in the next one.
	pg2_expect 2 --netns "$tag-none" group show
	err_has "cannot open network namespace \"$tag-none\""
	pg2_expect 2 --netns="$tag-none" group show
	err_has "cannot open network namespace \"$tag-none\""
	pg2_expect 1 --net "$tag-none" group show
	err_has "unrecognized option '--net'"
	pg2_expect 1 --net="$tag-none" group show
	err_has "unrecognized option '--net=$tag-none'"
}

test_version() {
	pg2_expect 0 -V
	out_has '^pg2 [0-9]+\.[0-9]+\.[0-9]+$'
	pg2_expect 0 --version
	out_has '^pg2 [0-9]+\.[0-9]+\.[0-9]+$'
}

# usage_error "STDERR PART" ARGS...: exit 1, the message, nothing on stdout.
usage_error() {
	local message=$1

	shift
	pg2_expect 1 "$@"
	err_has "Error: $message"
	out_empty
}

test_usage_errors() {
	usage_error 'no object given. Try "pg2 help".'
	usage_error 'unknown object "grp". Try "pg2 help".' grp
	# Words match exactly, never by prefix as iproute2's matches() would.
	usage_error 'unknown object "gr"' gr
	usage_error 'unknown command "sh". Try "pg2 group help".' group sh
	usage_error 'unknown command "Show"' group Show
	usage_error '"create" needs a group NAME' group create
	usage_error '"delete" needs a group NAME' group delete
	usage_error 'unexpected argument "b"' group create a b
	usage_error 'unexpected argument "b"' group show a b
	usage_error 'unknown command "add"' member add g
	usage_error '"join" needs a GROUP' member join
	usage_error '"leave" needs a GROUP' member leave
	usage_error '"closest" needs a GROUP' member closest
	usage_error '"signal" needs a GROUP' member signal
	usage_error 'unexpected argument "b"' member closest a b
	usage_error 'unexpected argument "remote"' member show g remote
	usage_error 'unexpected argument "x"' member show g local x
	usage_error '"pid" needs a value' member join g pid
	usage_error 'invalid pid "0"' member join g pid 0
	usage_error 'invalid pid "12x"' member leave g pid 12x
	usage_error 'invalid pid "-1"' member leave g pid -1
	usage_error 'invalid pid "99999999999"' member join g pid 99999999999
	usage_error '"pid" given twice' member join g pid 1 pid 2
	usage_error '"data" given twice' member join g data a data b
	usage_error '"data" needs a value' member join g data
	usage_error '"data" needs a value' member join g data hex
	usage_error '"abc" is not an even number of hex digits' \
		member join g data hex abc
	usage_error '"zz" is not hex digits' member join g data hex zz
	usage_error '"abz" is not hex digits' member join g data hex abz
	# Empty data would be no data, silently: one byte at least.
	usage_error '"data" needs at least one byte' member join g data ''
	usage_error '"data" needs at least one byte' member join g data hex ''
	usage_error '"data" needs at least one byte' member exec g data '' -- true
	# The message shows the value as given, not half decoded.
	usage_error '"4142zz" is not hex digits' member join g data hex 4142zz
	usage_error 'unexpected argument "data"' member leave g data x
	usage_error 'unexpected argument "pid"' member exec g pid 1 -- true
	usage_error '"exec" needs -- COMMAND' member exec g
	usage_error '"exec" needs -- COMMAND' member exec g data x --
	usage_error 'unexpected argument "true"' member exec g true
	usage_error 'unknown signal "NOPE"' member signal g NOPE
	usage_error 'unknown signal "SIGJUNK"' member signal g SIGJUNK
	usage_error 'unknown signal "EXIT"' member signal g EXIT
	usage_error 'unknown signal "RTMIN+31"' member signal g RTMIN+31
	usage_error 'unknown signal "RTMAX-31"' member signal g RTMAX-31
	usage_error 'unknown signal "RTMIN-1"' member signal g RTMIN-1
	usage_error 'unknown signal "RTMAX+"' member signal g RTMAX+
	usage_error 'signal number "99999" is not from 0 to 64' \
		member signal g 99999
	usage_error 'signal number "65" is not from 0 to 64' member signal g 65
	usage_error 'signal 32 is reserved by the C library (use RTMIN to RTMAX)' \
		member signal g 32
	usage_error 'signal 33 is reserved' member signal g 33
	usage_error 'unexpected argument "x"' member signal g TERM x
	usage_error 'unknown event kind "groups". Try "pg2 monitor help".' \
		monitor groups
	usage_error 'unexpected argument "member"' monitor group member
	usage_error '-b takes no command, only FILE' -b - group show
	usage_error 'invalid network namespace name "a/b"' -n a/b group show
	# help takes no more words.
	usage_error 'unexpected argument "extra". Try "pg2 monitor help".' \
		monitor help extra
	usage_error 'unexpected argument "x". Try "pg2 group help".' \
		group help x
	usage_error 'unexpected argument "me". Try "pg2 help".' help me
}

# The user's words are quoted as text output shows names: blanks, control
# bytes and backslashes as \xHH.
test_usage_errors_escape_words() {
	usage_error 'unexpected argument "a\x20b\x1b[2J\x0a\x5c". Try' \
		group show g $'a b\e[2J\n\\'
	[[ $(wc -l <"$work/err") == 1 ]] || fail "the message is one line"
	usage_error 'unknown object "x\x09y"' $'x\ty'
	usage_error 'invalid pid "1\x20"' member join g pid '1 '
	# Bytes from 0x80 too: C1 controls (U+009B is CSI, as ESC [ is) and
	# what is not UTF-8; other UTF-8 is shown as it is.
	usage_error 'unknown object "a\xc2\x9b2Jb\xff\x9bc\xc3caf'$'\xc3\xa9''"' \
		$'a\xc2\x9b2Jb\xff\x9bc\xc3caf\xc3\xa9'
	usage_error 'unknown object "\xc2\x80\xc2\x9f'$'\xc2\xa0''"' \
		$'\xc2\x80\xc2\x9f\xc2\xa0'
	# Overlong and surrogate forms are no UTF-8.
	usage_error 'unknown object "\xc0\xaf\xed\xa0\x80"' $'\xc0\xaf\xed\xa0\x80'
}

# Signal names as kill(1) takes them; none reaches a kernel without pg2.ko
# (exit 2), a usage error would exit 1.
test_signal_names() {
	local sig

	[[ -d /sys/module/pg2 ]] && skip "pg2.ko is loaded here"
	for sig in HUP sighup SigTerm KILL usr1 STKFLT CHLD CLD POLL IO IOT PWR \
		SYS RTMIN rtmin+0 SIGRTMIN+1 RTMIN+30 RTMAX rtmax-1 SIGRTMAX-30 \
		0 1 31 34 64; do
		pg2_expect 2 member signal g "$sig"
		err_is "Error: pg2 kernel module not loaded (modprobe pg2)."
	done
}

# As iproute2's close_stdout(): output that could not be written fails.
test_write_errors() {
	local args rc

	for args in help -V -h --help "group help" "member help" \
		"monitor help"; do
		rc=0
		# shellcheck disable=SC2086 # the words are separate arguments
		$PG2 $args >/dev/full 2>"$work/err" || rc=$?
		((rc == 2)) || fail "pg2 $args >/dev/full exited $rc"
		err_is "Error: cannot write to standard output."
	done
	rc=0
	echo 'group help' | $PG2 -b - >/dev/full 2>"$work/err" || rc=$?
	((rc == 2)) || fail "a batch writing to /dev/full exited $rc"
	err_has "Error: cannot write to standard output."
	err_has "Command failed -:1"
}

test_unknown_option() {
	pg2_expect 1 --bogus group show
	err_has 'Usage: pg2 '
	pg2_expect 1 -n
	err_has 'Usage: pg2 '
}

test_batch_stops_at_first_failure() {
	printf '%s\n' 'group help' 'group bogus' 'member help' >"$work/batch"
	pg2_expect 1 -b "$work/batch"
	out_has '^Usage: pg2 group show'
	out_lacks 'pg2 member join'
	err_has 'Error: unknown command "bogus"'
	err_has "Command failed $work/batch:2"
}

test_batch_force_continues() {
	printf '%s\n' 'group help' 'group bogus' 'member help' 'bogus' \
		>"$work/batch"
	pg2_expect 1 -f -b "$work/batch"
	out_has '^Usage: pg2 group show'
	out_has 'pg2 member join'
	err_has "Command failed $work/batch:2"
	err_has "Command failed $work/batch:4"
	pg2_expect 1 --force --batch "$work/batch"
	out_has 'pg2 member join'
	err_has "Command failed $work/batch:4"
}

test_batch_words() {
	printf '%s\n' '# a comment' '' '   group   help   # trailing' \
		'member help' | pg2_expect 0 -b -
	[[ $(grep -c '^Usage: pg2 ' "$work/out") == 2 ]] || fail "two helps"
	# Quotes keep blanks inside one word.
	echo "group show \"a b\" 'c d'" | pg2_expect 1 -b -
	err_has 'unexpected argument "c\x20d"'
	err_has 'Command failed -:1'
	echo 'group show "a b' | pg2_expect 1 -b -
	err_is 'Error: unbalanced quote. Try "pg2 help".
Command failed -:1'
	# 64 words fit on a line, 65 do not.
	echo "group show $(printf 'x%.0s ' {1..62})" | pg2_expect 1 -b -
	err_has 'unexpected argument "x"'
	echo "group show $(printf 'x%.0s ' {1..63})" | pg2_expect 1 -b -
	err_is 'Error: more than 64 words. Try "pg2 help".
Command failed -:1'
}

# Whatever words follow: exec is refused before they are parsed.
test_batch_rejects_exec() {
	local line

	for line in 'member exec g -- true' 'member exec g --' 'member exec g' \
		'member exec' 'member exec g data hex zz --'; do
		echo "$line" | pg2_expect 1 -b -
		err_is "Error: \"exec\" cannot run in a batch. Try \"pg2 member help\".
Command failed -:1"
	done
}

# A batch line's words end with a NULL, as main()'s do: nothing reads
# past them (valgrind), whatever the line.
test_batch_lines_under_valgrind() {
	command -v valgrind >/dev/null || skip "no valgrind"
	printf '%s\n' 'member exec g --' 'member exec g -- a b' \
		"group show $(printf 'x%.0s ' {1..62})" \
		"group show $(printf 'x%.0s ' {1..63})" 'group show "a b' \
		'member join g data' 'member join g data hex' 'member signal g BOGUS' \
		'monitor group member' '# comment' '' >"$work/batch"
	PG2="valgrind -q --error-exitcode=99 --leak-check=full $PG2" \
		pg2_expect 1 -f -b "$work/batch"
	[[ $(grep -c '^Command failed' "$work/err") == 9 ]] ||
		fail "not 9 lines failed"
	! grep -q '^==' "$work/err" || fail "valgrind found errors"
}

test_batch_missing_file() {
	pg2_expect 1 -b "$work/none"
	err_is "Error: cannot open batch file \"$work/none\": No such file or directory."
}

# A batch that cannot be read is no success (a directory opens, but
# reading it fails).
test_batch_unreadable() {
	pg2_expect 1 -b "$work"
	err_is "Error: cannot read batch file \"$work\": Is a directory."
	out_empty
	pg2_expect 1 -f -b "$work"
	err_is "Error: cannot read batch file \"$work\": Is a directory."
	pg2_expect 1 -b - <"$work"
	err_is 'Error: cannot read batch file "-": Is a directory.'
}

# pg2 -V is the one place the version is: the man pages name none.
test_man_pages_name_no_version() {
	local man=$cli_dir/../../Documentation/man page

	for page in pg2 pg2-group pg2-member pg2-monitor; do
		grep -q '^\.TH ' "$man/$page.8" || fail "$page.8 has no .TH"
		! grep -qE '^\.TH .*[0-9]+\.[0-9]+\.[0-9]+' "$man/$page.8" ||
			fail "$page.8's .TH names a version"
	done
}

# Every command "pg2 OBJECT help" lists has its entry in pg2-OBJECT(8), and
# every option "pg2 help" lists is in pg2(8).
test_man_pages_cover_help() {
	local man=$cli_dir/../../Documentation/man object command option

	for object in group member; do
		pg2_expect 0 "$object" help
		# shellcheck disable=SC2013 # one word a line
		for command in $(sed -n "s/^\(Usage:\)\{0,1\} *pg2 $object \([a-z]*\).*/\2/p" "$work/out"); do
			grep -qE "^\.(B|BR|BI) \"?$command\b" "$man/pg2-$object.8" ||
				fail "pg2-$object.8 lacks $command"
		done
	done
	pg2_expect 0 help
	[[ $(grep -cE -- '-[a-zA-Z], --[a-z]+' "$work/out") -ge 3 ]] ||
		fail "no options in pg2 help"
	grep -oE -- '-[a-zA-Z], --[a-z]+' "$work/out" | tr -d ,- |
		while read -r option long; do
			grep -qE "^\.BR \\\\-$option \", \" \\\\-\\\\-$long\b" "$man/pg2.8" ||
				fail "pg2.8 lacks -$option, --$long"
		done
}

test_netns_missing() {
	pg2_expect 2 -n "$tag-none" group show
	err_is "Error: cannot open network namespace \"$tag-none\": No such file or directory."
}

test_module_not_loaded() {
	local args

	[[ -d /sys/module/pg2 ]] && skip "pg2.ko is loaded here"
	for args in "group show" "group create g" "-j group show" \
		"member show" "member join g" "member exec g -- true" \
		"member signal g" "monitor"; do
		# shellcheck disable=SC2086 # the words are separate arguments
		pg2_expect 2 $args
		err_is "Error: pg2 kernel module not loaded (modprobe pg2)."
		out_empty
	done
	printf '%s\n' 'group help' 'group show' 'member help' |
		pg2_expect 2 -b -
	err_has 'Command failed -:2'
	out_lacks 'pg2 member join'
}

tap_run test_help test_option_spellings test_version test_usage_errors \
	test_usage_errors_escape_words test_signal_names test_write_errors \
	test_unknown_option \
	test_batch_stops_at_first_failure test_batch_force_continues \
	test_batch_words test_batch_rejects_exec \
	test_batch_lines_under_valgrind test_batch_missing_file \
	test_batch_unreadable test_netns_missing test_module_not_loaded \
	test_man_pages_name_no_version test_man_pages_cover_help
