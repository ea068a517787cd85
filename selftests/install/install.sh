#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install (host test): into a staging root, every piece lands where a
# user looks for it; libpg2nl is the real file libpg2nl.so.VERSION with its
# two links, and pg2nl.pc builds the man page's example against the
# staging root alone, nothing from the build tree, which then runs with
# the installed library.  An install with another PREFIX than the build's
# installs a pg2nl.pc of that PREFIX.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
prefix=/usr/local
libdir=$root$prefix/lib
kver=$("$top/tools/testing/kernel-version")

installed() {
	local file
	for file in "$@"; do
		[[ -e $root/$file ]] || { echo "# missing $file"; return 1; }
	done
}

# pg2nl.pc with its prefix moved into the staging root (libnl's paths
# move too, harmlessly: pg2nl.h needs none of libnl's headers).
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
example_runs() {
	local out status
	out=$("$root/example" install-test 2>&1)
	status=$?
	sed 's/^/# /' <<<"$out"
	((status == 0)) ||
		grep -q 'pg2 kernel module not loaded (modprobe pg2)' <<<"$out"
}

static_libs_name_libnl() {
	local libs
	libs=$(pc --static --libs pg2nl) &&
		[[ $libs == *-lnl-genl-3* && $libs == *-lnl-3* ]]
}

# "make" built pg2nl.pc for the default PREFIX; an install for another
# one after it installs a pg2nl.pc that says so.
other_root=$root/other
# other_var NAME VALUE: the pg2nl.pc installed for PREFIX=/usr says so.
other_var() {
	local got

	got=$(PKG_CONFIG_PATH=$other_root/usr/lib/pkgconfig \
		pkg-config --variable="$1" pg2nl) || return 1
	[[ $got == "$2" ]] || { echo "# $1 is \"$got\", not \"$2\""; return 1; }
}

pc_of_other_prefix() {
	other_var prefix /usr && other_var libdir /usr/lib &&
		other_var includedir /usr/include
}

# quiet_make ARGS...: make -s ARGS in the tree, its output shown only when
# it fails.
quiet_make() {
	make -s -C "$top" "$@" >"$root/log" 2>&1 || sed 's/^/# /' "$root/log"
}

tap_plan 10
quiet_make
quiet_make install DESTDIR="$other_root" PREFIX=/usr
tap_run pc_of_other_prefix pc_of_other_prefix
quiet_make install DESTDIR="$root" PREFIX="$prefix"
tap_run module_and_boot_config installed \
	"lib/modules/$kver/extra/kmod/pg2.ko" etc/modules-load.d/pg2.conf
tap_run headers installed usr/local/include/pg2nl.h usr/local/include/linux/pg2.h
tap_run tool_man_pages_completion installed usr/local/sbin/pg2 \
	usr/local/share/man/man8/pg2.8 usr/local/share/man/man8/pg2-member.8 \
	usr/local/share/man/man3/libpg2nl.3 \
	usr/local/share/bash-completion/completions/pg2
tap_run library_files library_files
tap_run builds_with_pkg_config builds_with_pkg_config
tap_run loads_the_installed_library loads_the_installed_library
tap_run example_runs example_runs
tap_run static_libs_name_libnl static_libs_name_libnl
tap_run installed_tool_runs "$root$prefix/sbin/pg2" -V
tap_exit
