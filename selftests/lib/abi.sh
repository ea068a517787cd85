#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libpg2nl's binary interface (host test): the shared library exports
# exactly the functions of pg2nl.h under its soname, and pg2nl.pc is valid.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
build=${PG2_BUILD:-$top/build}
version=$(sed -n 's/^LIBPG2NL_VERSION := //p' "$top/lib/lib.mk")
so=$build/lib/libpg2nl.so.$version

declared=$(grep -Eo '\bpg2_[a-z_]+\(' "$top/lib/include/pg2nl.h" |
	tr -d '(' | sort -u)
exported=$(nm -D --defined-only "$so" | awk '$2 == "T" { print $3 }' |
	sed 's/@.*//' | sort -u)
others=$(nm -D --defined-only "$so" | awk '$2 != "T" && $2 != "A"')

# pg2nl.pc, the one make install installs: pkg-config would read
# pg2nl-uninstalled.pc instead from the same directory.
pc() { PKG_CONFIG_PATH=$build/lib PKG_CONFIG_DISABLE_UNINSTALLED=1 pkg-config "$@"; }
# pg2nl-uninstalled.pc: the tree's headers, the built library.
uninstalled() { PKG_CONFIG_PATH=$build/lib pkg-config "$@"; }
tree_flags() {
	local flags t b
	t=$(cd "$top" && pwd -P) && b=$(cd "$build" && pwd -P) || return 1
	flags=$(uninstalled --cflags --libs pg2nl) || return 1
	echo "# $flags"
	[[ " $flags " == *" -I$t/lib/include "* &&
		" $flags " == *" -I$t/include/uapi "* &&
		" $flags " == *" -L$b/lib "* &&
		" $flags " == *" -Wl,-rpath,$b/lib "* ]]
}

# "STRUCT FIELD" for each field of each struct pg2_* that file $1 defines
# (the header, or the man page's .EX), in order.
struct_fields() {
	awk '/^(struct|.*\\fBstruct) pg2_[a-z_]+ \{/ {
		match($0, /pg2_[a-z_]+/); s = substr($0, RSTART, RLENGTH); next }
	s && /^\}/ { s = ""; next }
	s && /;/ && !/^[ \t]*(\/\*|\*)/ {
		line = $0
		sub(/\/\*.*/, "", line); sub(/\[.*/, "", line); sub(/;.*/, "", line)
		n = split(line, w, /[ \t*]+/)
		if (n) print s, w[n]
	}' "$1"
}

# libpg2nl(3) shows the structures as pg2nl.h defines them.
man_shows_the_structures() {
	local header man
	header=$(struct_fields "$top/lib/include/pg2nl.h")
	man=$(struct_fields "$top/Documentation/man/libpg2nl.3")
	echo "# $(wc -l <<<"$header") fields"
	[[ $(wc -l <<<"$header") -gt 20 && $header == "$man" ]] ||
		{ echo "# header: $header"; echo "# man: $man"; return 1; }
}

tap_plan 10
tap_run exports_the_header_functions \
	diff <(echo "$declared") <(echo "$exported")
tap_run exports_nothing_else test -z "$others"
tap_run soname bash -c "readelf -d '$so' | grep -q 'SONAME.*\[libpg2nl.so.1\]'"
tap_run pkg_config_file pc --validate pg2nl
tap_run pkg_config_version test "$(pc --modversion pg2nl)" = "$version"
tap_run uninstalled_pkg_config_file uninstalled --validate pg2nl
tap_run uninstalled_pkg_config_version \
	test "$(uninstalled --modversion pg2nl)" = "$version"
tap_run uninstalled_pkg_config_is_the_tree tree_flags
tap_run man_shows_the_structures man_shows_the_structures
# The real file, and the links the loader and the linker look for.
tap_run links test "$(readlink "$build/lib/libpg2nl.so.1")" = "libpg2nl.so.$version" -a \
	"$(readlink -f "$build/lib/libpg2nl.so")" = "$(readlink -f "$so")"
tap_exit
