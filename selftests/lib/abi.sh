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

tap_plan 6
tap_run exports_the_header_functions \
	diff <(echo "$declared") <(echo "$exported")
tap_run exports_nothing_else test -z "$others"
tap_run soname bash -c "readelf -d '$so' | grep -q 'SONAME.*\[libpg2nl.so.1\]'"
tap_run pkg_config_file \
	env PKG_CONFIG_PATH="$build/lib" pkg-config --validate pg2nl
tap_run pkg_config_version test \
	"$(env PKG_CONFIG_PATH="$build/lib" pkg-config --modversion pg2nl)" = "$version"
# The real file, and the links the loader and the linker look for.
tap_run links test "$(readlink "$build/lib/libpg2nl.so.1")" = "libpg2nl.so.$version" -a \
	"$(readlink -f "$build/lib/libpg2nl.so")" = "$(readlink -f "$so")"
tap_exit
