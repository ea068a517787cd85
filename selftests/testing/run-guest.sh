#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/testing/vm/run-guest (host test): a guest command's exit status
# comes back; paths the guest cannot carry are refused at once; a hanging
# command is killed at the timeout with the last console lines shown; a
# panic ends the guest at once with its report shown; a failure of its
# own is no result; a module that cannot load, or a kernel WARN while the command passes, fails the run; a
# cancelled run takes its QEMU with it.  Each case boots one guest (a few
# seconds under TCG).
here=$(dirname "$(readlink -f "$0")")
# shellcheck source=selftests/tap.sh disable=SC1091
. "$here/../tap.sh"
top=${PG2_TOP:-$(cd "$here/../.." && pwd)}
build=${PG2_BUILD:-${BUILD:-$top/build}}
export BUILD=$build
run_guest=$top/tools/testing/vm/run-guest
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# guest WANT-STATUS [RUN-GUEST ARGS...]: run-guest exits WANT-STATUS; its
# output is left in $work/out, its stderr in $work/err, its time in $took.
guest() {
	local want=$1 rc=0 start=$SECONDS
	shift
	"$run_guest" "$@" >"$work/out" 2>"$work/err" || rc=$?
	took=$((SECONDS - start))
	((rc == want)) && return 0
	echo "# run-guest $* exited $rc, expected $want; its stderr:"
	sed 's/^/#   /' "$work/err"
	return 1
}

# reported REGEX: run-guest's stderr has a line matching REGEX.
reported() {
	grep -qE -- "$1" "$work/err" && return 0
	echo "# run-guest did not report: $1"
	sed 's/^/#   /' "$work/err"
	return 1
}

# took_at_most SECS
took_at_most() {
	((took <= $1)) || { echo "# took ${took}s, more than $1s"; return 1; }
}

exit_status() {
	guest 3 --timeout 120 -- sh -c 'echo from the guest; exit 3' || return 1
	[[ $(cat "$work/out") == "from the guest" ]] ||
		{ echo "# output: $(cat "$work/out")"; return 1; }
}

refuses_path() {
	BUILD=$1 guest 125 -- true && took_at_most 2 && reported "space, comma or quote"
}

# A failure of run-guest's own (here: a build directory whose vm/ is a
# file) is 125, never 1, which a command that ran may return.
own_failure() {
	mkdir -p "$work/file-for-vm"
	: >"$work/file-for-vm/vm"
	BUILD=$work/file-for-vm guest 125 -- true && reported "run-guest: failed at line [0-9]+"
}

hang() {
	guest 124 --timeout 20 -- sh -c \
		'echo "<2>pg2-test: hanging now" >/dev/kmsg; exec sleep 100000' &&
		took_at_most 30 && reported "timed out after 20s" &&
		reported "last console lines" && reported "pg2-test: hanging now"
}

panic() {
	guest 125 --timeout 120 -- sh -c 'echo c >/proc/sysrq-trigger; sleep 100000' &&
		took_at_most 40 && reported "crashed" &&
		reported "console from its first kernel report" &&
		reported "Kernel panic - not syncing: sysrq triggered crash"
}

insmod_fails() {
	echo "not a module" >"$work/bogus.ko"
	guest 125 --timeout 120 --insmod "$work/bogus.ko" -- true || return 1
	grep -q "cannot load $work/bogus.ko" "$work/out" ||
		{ echo "# output: $(cat "$work/out")"; return 1; }
}

# A module of our own that WARNs at load, built against the kernel the
# guest boots, into the build directory.
warn_module() {
	local kver kdir dir=$build/selftests/testing/warn_on_load
	kver=$("$top/tools/testing/kernel-version") || return 1
	kdir=${KDIR:-/lib/modules/$kver/build}
	mkdir -p "$dir"
	cp "$here/warn_on_load.c" "$dir/"
	echo "obj-m := warn_on_load.o" >"$dir/Kbuild"
	make -s --no-print-directory -C "$kdir" M="$dir" modules >"$work/kbuild" 2>&1 ||
		{ sed 's/^/#   /' "$work/kbuild"; return 1; }
	warn_ko=$dir/warn_on_load.ko
}

warn() {
	[[ -n ${warn_ko:-} ]] || { echo "# no module"; return 1; }
	guest 126 --timeout 120 --insmod "$warn_ko" -- true &&
		reported "^> .*WARNING: .*warn_on_load" &&
		reported "the command exited 0"
}

# SIGTERM to run-guest (a cancelled CI job) kills its QEMU and removes its
# run directory.
cancel() {
	local rg i qemu run_dir
	"$run_guest" --timeout 120 -- sh -c 'echo up; exec sleep 100000' \
		>"$work/out" 2>"$work/err" &
	rg=$!
	for ((i = 0; i < 300; i++)); do
		grep -q up "$work/out" && break
		sleep 0.2
	done
	qemu=$(pgrep -P "$rg" qemu-system)
	[[ -n $qemu ]] || { echo "# no QEMU under run-guest"; kill "$rg"; return 1; }
	run_dir=$(tr '\0' '\n' <"/proc/$qemu/cmdline" | sed -n 's/.*PG2_RUN=\([^ ]*\).*/\1/p')
	kill -TERM "$rg"
	wait "$rg"
	for ((i = 0; i < 50; i++)); do
		[[ -e /proc/$qemu && $(awk '{ print $3 }' "/proc/$qemu/stat") != Z ]] || break
		sleep 0.1
	done
	if [[ -e /proc/$qemu && $(awk '{ print $3 }' "/proc/$qemu/stat") != Z ]]; then
		echo "# QEMU $qemu still runs"
		kill -9 "$qemu"
		return 1
	fi
	[[ -n $run_dir && ! -e $run_dir ]] || { echo "# run directory '$run_dir' left"; return 1; }
}

tap_plan 10
tap_run exit_status_comes_back exit_status
tap_run path_with_space_refused refuses_path "$work/a b"
tap_run path_with_comma_refused refuses_path "$work/a,b"
tap_run own_failure_is_no_result own_failure
tap_run hang_is_killed_at_timeout hang
tap_run panic_ends_guest_at_once panic
tap_run module_that_cannot_load_fails insmod_fails
tap_run warn_module_builds warn_module
tap_run warn_fails_passing_command warn
tap_run cancel_kills_qemu cancel
tap_exit
