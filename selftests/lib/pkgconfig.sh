#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# libpg2nl as installed (host test): "make install DESTDIR=..." puts the
# real file libpg2nl.so.VERSION and its two links in place, and pg2nl.pc
# builds the man page's example against that staging root alone, with
# nothing from the build tree; the program runs with the installed library.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
prefix=/usr/local
libdir=$root$prefix/lib
# pg2nl.pc as a package manager would use a relocated copy: its prefix
# moved, libnl's flags left as they are.
pc() {
	PKG_CONFIG_PATH=$libdir/pkgconfig \
		pkg-config --define-variable=prefix="$root$prefix" "$@"
}

library_files() {
	local version
	version=$(pc --modversion pg2nl) || return 1
	echo "# pg2nl $version"
	grep -qx "prefix=$prefix" "$libdir/pkgconfig/pg2nl.pc" || return 1
	[[ -f $libdir/libpg2nl.so.$version && ! -L $libdir/libpg2nl.so.$version ]] &&
		[[ $(readlink "$libdir/libpg2nl.so.1") == "libpg2nl.so.$version" ]] &&
		[[ $(readlink -f "$libdir/libpg2nl.so") == "$libdir/libpg2nl.so.$version" ]] &&
		readelf -d "$libdir/libpg2nl.so.$version" |
		grep -q 'SONAME.*\[libpg2nl.so.1\]'
}

# Only the staging root: the build tree's headers and libraries are not
# on any path the compiler is given.
builds_with_pkg_config() {
	local flags
	flags=$(pc --cflags --libs pg2nl) || return 1
	echo "# cc $flags"
	[[ $flags != *"$top"* ]] || return 1
	# shellcheck disable=SC2086 # several words
	cc -Wall -Wextra -Werror -o "$root/example" \
		"$top/lib/examples/pg2-example.c" $flags -Wl,-rpath,"$libdir" &&
		readelf -d "$root/example" | grep -q 'NEEDED.*\[libpg2nl.so.1\]'
}

loads_the_installed_library() {
	ldd "$root/example" | grep -q "libpg2nl.so.1 => $libdir/libpg2nl.so.1"
}

# The host has no pg2.ko: the installed library says so, in its words.
runs() {
	local out
	out=$("$root/example" pkgconfig-test 2>&1)
	local status=$?
	sed 's/^/# /' <<<"$out"
	((status == 0)) ||
		grep -q 'pg2 kernel module not loaded (modprobe pg2)' <<<"$out"
}

static_libs_name_libnl() {
	local libs
	libs=$(pc --static --libs pg2nl) &&
		[[ $libs == *-lnl-genl-3* && $libs == *-lnl-3* ]]
}

tap_plan 5
if ! make -s -C "$top" install DESTDIR="$root" PREFIX="$prefix" \
	>"$root/log" 2>&1; then
	sed 's/^/# /' "$root/log"
fi
tap_run library_files library_files
tap_run builds_with_pkg_config builds_with_pkg_config
tap_run loads_the_installed_library loads_the_installed_library
tap_run runs runs
tap_run static_libs_name_libnl static_libs_name_libnl
tap_exit
