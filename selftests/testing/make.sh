#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The top Makefile and tools/testing/check (host test): test selection
# under "make -w" and "make -C DIR", T matched against names from the
# repository top, invalid or quoted T, KVER and KDIR that cannot be used,
# "make clean" without a usable KDIR, and the closing line of a failing
# "make check" being the last thing printed.  What builds or fails on
# purpose runs in a copy of the tree.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh disable=SC1091
. "$here/../tap.sh"
top=${PG2_TOP:-$(cd "$here/../.." && pwd)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
unset MAKEFLAGS MAKELEVEL MFLAGS T
# make check exports BUILD: the copy's "make clean" must not remove it.
unset BUILD PG2_BUILD

# mk ARGS...: make in the tree; output in $work/out, stderr in $work/err.
mk() {
	make "$@" >"$work/out" 2>"$work/err"
}

# fails_saying REGEX ARGS...: make ARGS fails, its stderr matching REGEX.
fails_saying() {
	local want=$1
	shift
	if mk "$@"; then
		echo "# make $* succeeded"
		return 1
	fi
	grep -qE -- "$want" "$work/err" && return 0
	echo "# make $* did not say: $want"
	sed 's/^/#   /' "$work/err"
	return 1
}

# The test names make list-tests prints, all real tests of the fragments.
names_are_tests() {
	local all name
	all=$(make -s --no-print-directory -C "$top" list-host-tests list-guest-tests | tr "\n" " ")
	[[ -s $work/out ]] || { echo "# no tests listed"; return 1; }
	while read -r name; do
		[[ " $all " == *"/$name "* ]] && continue
		echo "# not a test: $name"
		return 1
	done < <(grep -v '^make: ' "$work/out")
}

listing_ignores_w() {
	mk -w -C "$top" list-tests && names_are_tests
}

listing_ignores_makeflags_w() {
	MAKEFLAGS=w mk -C "$top" list-tests && names_are_tests
}

# A T that the repository's own path matches selects nothing: T sees
# names from the top.  T keeps its "$" (make does not expand it).
t_matches_names_from_top() {
	mk -s -C "$top" list-tests T="^$top" || return 1
	[[ ! -s $work/out ]] || { echo "# selected: $(cat "$work/out")"; return 1; }
	mk -s -C "$top" list-tests T='^selftests/testing/(make|run-tests)\.sh$|^selftests/testing/make\.sh$' ||
		return 1
	[[ $(sort "$work/out") == $'selftests/testing/make.sh\nselftests/testing/run-tests.sh' ]] ||
		{ echo "# selected: $(cat "$work/out")"; return 1; }
}

t_with_quote() {
	mk -s -C "$top" list-tests "T=it's" || { sed 's/^/#   /' "$work/err"; return 1; }
	[[ ! -s $work/out && ! -s $work/err ]] ||
		{ echo "# printed: $(cat "$work/out" "$work/err")"; return 1; }
}

t_invalid() {
	local rc=0
	T='(' "$top/tools/testing/check" --list >/dev/null 2>"$work/err" || rc=$?
	((rc == 2)) || { echo "# check exited $rc"; return 1; }
	fails_saying "not a valid extended regular expression" -s -C "$top" list-tests 'T=('
}

# A copy of what builds the module, with a stand-in for tools/testing/check.
# Every make there names its own build directory.
copy=$work/tree
mkc() { mk -C "$copy" BUILD="$copy/build" "$@"; }
mkdir -p "$copy"
cp -r "$top"/{Makefile,Kbuild,kmod,include} "$copy/"
mkdir -p "$copy/tools"
cp -r "$top/tools/testing" "$copy/tools/"
rm -rf "$copy/build"
(cd "$copy/kmod" && rm -rf ./*.o ./*.ko ./*.mod ./*.mod.c ./.*.cmd ./modules.order)

# kernel-version fails when dpkg-query does: module stops with its message.
mkdir -p "$work/bin"
printf '#!/bin/sh\nexit 1\n' >"$work/bin/dpkg-query"
chmod +x "$work/bin/dpkg-query"
kver_unknown() {
	PATH=$work/bin:$PATH fails_saying \
		"cannot tell the kernel to build for: kernel-version: linux-image-amd64 is not installed" \
		-C "$copy" BUILD="$copy/build" module || return 1
	! grep -q "/lib/modules//build" "$work/out" "$work/err"
}

clean_without_kdir() {
	local before
	before=$(cd "$copy" && find . | sort)
	mkc module || { sed 's/^/#   /' "$work/err"; return 1; }
	[[ -e $copy/kmod/pg2.ko ]] || { echo "# no pg2.ko"; return 1; }
	mkc clean KDIR="$work/no-kernel" || return 1
	diff <(echo "$before") <(cd "$copy" && find . | sort) >"$work/diff" && return 0
	echo "# make clean left:"
	sed 's/^/#   /' "$work/diff"
	return 1
}

# fake_check STATUS: the copy's "check" prints a closing line, exits STATUS.
fake_check() {
	printf '#!/bin/bash\necho "0 passed, %s failed"\nexit %s\n' "$1" "$1" \
		>"$copy/tools/testing/check"
}

# make check's output (stdout and stderr) ends with the closing line.
check_fails_quietly() {
	local rc=0
	fake_check 1
	make -C "$copy" --no-print-directory BUILD="$copy/build" check >"$work/out" 2>&1 ||
		rc=$?
	((rc != 0)) || { echo "# make check exited 0"; return 1; }
	[[ $(tail -n 1 "$work/out") == "0 passed, 1 failed" ]] ||
		{ echo "# output ends:"; tail -n 3 "$work/out" | sed 's/^/#   /'; return 1; }
}

check_passes() {
	fake_check 0
	make -s -C "$copy" BUILD="$copy/build" check >/dev/null 2>&1
}

tap_plan 12
tap_run listing_under_make_w listing_ignores_w
tap_run listing_under_makeflags_w listing_ignores_makeflags_w
tap_run t_matches_names_from_top t_matches_names_from_top
tap_run t_with_single_quote t_with_quote
tap_run invalid_t_is_usage_error t_invalid
tap_run empty_kver_stops_module fails_saying "KVER is empty" \
	-C "$copy" BUILD="$copy/build" KVER= module
tap_run unknown_kver_stops_module kver_unknown
tap_run missing_kdir_stops_sparse fails_saying "no kernel build directory $work/no-kernel" \
	-C "$copy" BUILD="$copy/build" KDIR="$work/no-kernel" sparse
tap_run missing_kdir_stops_install fails_saying "no kernel build directory" \
	-C "$copy" BUILD="$copy/build" KDIR="$work/no-kernel" DESTDIR="$work/dest" install
tap_run clean_without_kdir_removes_kbuild_outputs clean_without_kdir
tap_run failing_check_ends_with_closing_line check_fails_quietly
tap_run passing_check_exits_0 check_passes
tap_exit
