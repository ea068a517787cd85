#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Kernel style (host test): the module and the UAPI header are clean under
# checkpatch.pl --strict (make checkpatch), and a W=1 build of the module
# with sparse on every file (C=1, from scratch, in a copy: the tree's own
# objects stay as they are) prints no warning.
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh
. "$here/../tap.sh"
top=${PG2_TOP:-$here/../..}
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT

checkpatch_clean() {
	make -s -C "$top" --no-print-directory checkpatch | sed 's/^/# /'
	((PIPESTATUS[0] == 0))
}

w1_sparse_clean() {
	local kver log=$copy/build.log
	kver=$("$top/tools/testing/kernel-version") || return 1
	cp -r "$top/Kbuild" "$top/kmod" "$top/include" "$copy/"
	make -C "/lib/modules/$kver/build" M="$copy/" W=1 C=1 modules \
		>"$log" 2>&1 || { sed 's/^/# /' "$log"; return 1; }
	grep -c '^  CHECK' "$log" | sed 's/^/# files checked by sparse: /'
	grep -E 'warning:|error:' "$log" >"$copy/warnings" || return 0
	sed 's/^/# /' "$copy/warnings"
	return 1
}

tap_plan 2
tap_run checkpatch_clean checkpatch_clean
tap_run w1_sparse_clean w1_sparse_clean
tap_exit
