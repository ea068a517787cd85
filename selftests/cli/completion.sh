#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/pg2/pg2.bash-completion offers the right words.  bash-completion's
# own helpers are replaced by minimal ones: this tests pg2's script only.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# shellcheck disable=SC2034 # pg2.bash-completion reads them
_init_completion() {
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
	cur=${words[cword]}
	prev=${words[cword - 1]}
	split=false
	# -s: "--opt=value" completes value, with prev "--opt".
	if [[ $1 == -s && $cur == --?*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
		split=true
	fi
}

_filedir() {
	COMPREPLY=(files)
}

_command_offset() {
	COMPREPLY=("command-at-$1")
}

# shellcheck source=../../tools/pg2/pg2.bash-completion disable=SC2154
source "$cli_dir/../../tools/pg2/pg2.bash-completion"

# The completion runs "pg2" for its lists: this one, but with a table of
# groups of its own (no module needed) whose names text output escapes.
pg2() {
	local netns=

	[[ $1 == -n ]] && netns=$2
	if [[ ${*: -2} == "group show" ]]; then
		printf 'group %s creator 0\n' "web${netns:+-$netns}" \
			'web\x20creator\x204242' 'db\x5cx' 'db2'
	else
		# shellcheck disable=SC2086 # PG2 may be a command with arguments
		$PG2 "$@"
	fi
}

# completes_quietly WORDS...: completes the last of WORDS, into COMPREPLY.
completes_quietly() {
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_pg2
}

# completes "EXPECTED" WORDS...: completing the last of WORDS offers EXPECTED.
completes() {
	local want=$1

	shift
	completes_quietly "$@"
	[[ ${COMPREPLY[*]} == "$want" ]] ||
		fail "pg2 ${*:2}: offered \"${COMPREPLY[*]}\", not \"$want\""
}

test_objects_and_options() {
	completes "group member monitor help" pg2 ""
	completes "member monitor" pg2 -j m
	completes "--json" pg2 --j
	completes "--netns" pg2 -s --ne
	completes "--version" pg2 --v
	completes "group member monitor help" pg2 -j -p ""
	# -b FILE takes no object.
	completes "files" pg2 -b ""
	completes "" pg2 -b batch ""
	completes "" pg2 --batch=batch ""
	completes "--force" pg2 -b batch --f
}

# Names are read back from text output's escapes and quoted for the shell;
# the namespace given with -n or --netns=NS is the one asked.
test_group_names() {
	completes 'web web\ creator\ 4242 db\\x db2' pg2 group show ""
	completes 'web\ creator\ 4242' pg2 member show 'web\ '
	completes 'db\\x db2' pg2 member join d
	completes "web-ns" pg2 -n ns member show web-
	completes "web-ns" pg2 --netns=ns group delete web-
	completes "web-ns" pg2 --netns ns member signal web-
	completes "" pg2 group create ""
	completes "" pg2 member show web local ""
}

test_commands() {
	completes "show create delete help" pg2 group ""
	completes "show join leave closest exec signal help" pg2 member ""
	completes "group member help" pg2 monitor ""
	completes "pid data" pg2 member join g ""
	completes "pid" pg2 member leave g ""
	completes "local" pg2 member show g ""
	completes "data --" pg2 member exec g ""
	completes "command-at-5" pg2 member exec g -- ""
	completes "TERM" pg2 member signal g te
	completes "USR1 USR2" pg2 member signal g usr
	completes "SIGUSR1 SIGUSR2" pg2 member signal g sigusr
	completes "" pg2 member signal g TERM ""
	completes "" pg2 monitor group ""
	completes "" pg2 monitor group m
	# A keyword is offered once.
	completes "data" pg2 member join g pid 1 ""
	completes "" pg2 member join g pid 1 data x ""
	completes "--" pg2 member exec g data x ""
}

# Every signal name offered is one pg2 takes (a usage error exits 1; a
# name it takes gets as far as the kernel, which is not here: 2).
test_signal_names_are_pg2s() {
	local name count=0

	completes_quietly pg2 member signal g ""
	((${#COMPREPLY[@]} > 40)) || fail "only ${#COMPREPLY[@]} signal names"
	for name in "${COMPREPLY[@]}" "SIG${COMPREPLY[0]}"; do
		pg2_expect 2 member signal "$tag-none" "$name"
		count=$((count + 1))
	done
	[[ " ${COMPREPLY[*]} " == *" RTMIN+1 "* && " ${COMPREPLY[*]} " == *" RTMAX "* ]] ||
		fail "no real-time signals"
	echo "$count names checked"
}

tap_run test_objects_and_options test_group_names test_commands \
	test_signal_names_are_pg2s
