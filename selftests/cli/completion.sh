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
}

_command_offset() {
	COMPREPLY=("command-at-$1")
}

# shellcheck source=../../tools/pg2/pg2.bash-completion disable=SC2154
source "$cli_dir/../../tools/pg2/pg2.bash-completion"

# completes "EXPECTED" WORDS...: completing the last of WORDS offers EXPECTED.
completes() {
	local want=$1

	shift
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMPREPLY=()
	_pg2
	[[ ${COMPREPLY[*]} == "$want" ]] ||
		fail "pg2 ${*:2}: offered \"${COMPREPLY[*]}\", not \"$want\""
}

test_objects_and_options() {
	completes "group member monitor help" pg2 ""
	completes "member monitor" pg2 -j m
	completes "--json" pg2 --j
	completes "--netns" pg2 -s --ne
	completes "group member monitor help" pg2 -j -p ""
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
	completes "" pg2 monitor group ""
}

tap_run test_objects_and_options test_commands
