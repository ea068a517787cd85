#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install (host test): into a staging root, every piece lands where a
# user looks for it, and a program builds against the installed library
# with nothing but pkg-config.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
prefix=$root/usr/local
kver=$("$top/tools/testing/kernel-version")

installed() {
	local file
	for file in "$@"; do
		[[ -e $root/$file ]] || { echo "# missing $file"; return 1; }
	done
}

builds_against_installed_library() {
	local pc="env PKG_CONFIG_PATH=$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$root"
	# shellcheck disable=SC2046 # pkg-config prints several words
	cc -Wall -Wextra -Werror -o "$root/example" \
		"$top/lib/examples/pg2-example.c" \
		$($pc pkg-config --cflags --libs pg2nl) -Wl,-rpath,"$prefix/lib" &&
		readelf -d "$root/example" | grep -q 'NEEDED.*libpg2nl.so.1'
}

tap_plan 5
if ! make -s -C "$top" install DESTDIR="$root" >"$root/log" 2>&1; then
	sed 's/^/# /' "$root/log"
fi
tap_run module_and_boot_config installed \
	"lib/modules/$kver/extra/kmod/pg2.ko" etc/modules-load.d/pg2.conf
tap_run library_and_headers installed \
	usr/local/lib/libpg2nl.so.1 usr/local/lib/libpg2nl.so \
	usr/local/lib/libpg2nl.a usr/local/lib/pkgconfig/pg2nl.pc \
	usr/local/include/pg2nl.h usr/local/include/linux/pg2.h
tap_run tool_man_pages_completion installed usr/local/sbin/pg2 \
	usr/local/share/man/man8/pg2.8 usr/local/share/man/man8/pg2-member.8 \
	usr/local/share/man/man3/libpg2nl.3 \
	usr/local/share/bash-completion/completions/pg2
tap_run builds_against_installed_library builds_against_installed_library
tap_run installed_tool_runs "$prefix/sbin/pg2" -V
tap_exit
