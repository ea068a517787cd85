# SPDX-License-Identifier: GPL-2.0
#
# pg2: one make for the kernel module, the library, the tools and the tests.
#   make            build everything (module and user space)
#   make check      install dependencies, build, run every test
#                   (T=REGEX: only the tests whose name, their path from
#                   the top, matches; make list-tests T=REGEX names them)
#   make demo       install dependencies, build, show pg2 at work in a guest
#   make install    install module, library, tool, headers, man pages
#                   (PREFIX=/usr/local, DESTDIR for a staging root)
#   make deps       install the Debian packages the project needs
#   make checkpatch, make sparse   kernel style and static checks
#   make clean

SHELL := /bin/bash
.DEFAULT_GOAL := all

TOP := $(CURDIR)
BUILD ?= $(TOP)/build
TESTING := $(TOP)/tools/testing

# Evaluated on first use only, and once: on a fresh machine the kernel
# packages appear with "make deps".  Empty when kernel-version fails.
ifeq ($(origin KVER),undefined)
KVER = $(eval KVER := $(shell $(TESTING)/kernel-version 2>/dev/null))$(KVER)
endif
KDIR ?= /lib/modules/$(KVER)/build

# In the recipes that need KDIR: stop with why it cannot be used.
kver_error = $(or $(shell $(TESTING)/kernel-version 2>&1 >/dev/null),KVER is empty)
need_kdir = $(if $(KVER),,$(error cannot tell the kernel to build for: $(kver_error)))$\
	$(if $(wildcard $(KDIR)/Makefile),,$(error no kernel build directory \
	$(KDIR): install the headers of $(KVER), or set KDIR))

# What kbuild leaves in the tree, removed by "make clean" even when KDIR
# cannot be used.
KBUILD_OUTPUTS = $(foreach d,. kmod,$(addprefix $(d)/,*.o *.ko *.mod *.mod.c \
	.*.cmd *.o.d .*.d modules.order Module.symvers *.dwo *.su *.gcno)) \
	.tmp_versions

PREFIX ?= /usr/local
DESTDIR ?=

CC ?= gcc
USER_CPPFLAGS = -D_GNU_SOURCE -I$(TOP)/include/uapi -I$(TOP)/lib/include
USER_CFLAGS = -std=gnu11 -O2 -g -Wall -Wextra -Werror -fno-strict-aliasing
NL_CFLAGS = $(shell pkg-config --cflags libnl-genl-3.0)
NL_LIBS = $(shell pkg-config --libs libnl-genl-3.0)

# kselftest_harness.h and kselftest.h, from Debian's linux-source package.
KSFT_DIR := $(BUILD)/kselftest
KSFT_HEADERS := $(KSFT_DIR)/kselftest_harness.h $(KSFT_DIR)/kselftest.h
LINUX_SOURCE_TARBALL ?= /usr/src/linux-source-6.1.tar.xz

# Fragments add to these:
#   USER_TARGETS  files "make" builds
#   HOST_TESTS    executables "make check" runs on the host (no kernel)
#   GUEST_TESTS   executables "make check" runs in the guest, pg2.ko loaded
USER_TARGETS :=
HOST_TESTS :=
GUEST_TESTS :=

include $(sort $(wildcard lib/*.mk tools/*/*.mk selftests/*.mk selftests/*/*.mk))

.PHONY: all module user install deps check list-tests demo checkpatch sparse clean

all: module user

module:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 modules

user: $(USER_TARGETS) $(HOST_TESTS) $(GUEST_TESTS)

$(KSFT_HEADERS) &:
	@mkdir -p $(KSFT_DIR)
	xz -T0 -dc $(LINUX_SOURCE_TARBALL) | tar -x -C $(KSFT_DIR) \
		--strip-components=4 --wildcards \
		'*/tools/testing/selftests/kselftest_harness.h' \
		'*/tools/testing/selftests/kselftest.h'
	@touch $(KSFT_HEADERS)

# With DESTDIR, modules_install runs depmod on the staging root only.
# Debian's headers carry no signing key: an unsigned module, no OpenSSL
# errors.
install: all
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(TOP) INSTALL_MOD_PATH=$(DESTDIR) \
		INSTALL_MOD_DIR=extra CONFIG_MODULE_SIG_ALL= modules_install
	install -D -m 0644 kmod/pg2.conf $(DESTDIR)/etc/modules-load.d/pg2.conf
	install -D -m 0755 $(PG2_CLI) $(DESTDIR)$(PREFIX)/sbin/pg2
	install -D -m 0755 $(LIBPG2NL_SO) $(DESTDIR)$(PREFIX)/lib/$(notdir $(LIBPG2NL_SO))
	# ldconfig would make the soname link, but not in a DESTDIR.
	ln -sf $(notdir $(LIBPG2NL_SO)) $(DESTDIR)$(PREFIX)/lib/$(LIBPG2NL_SONAME)
	ln -sf $(LIBPG2NL_SONAME) $(DESTDIR)$(PREFIX)/lib/libpg2nl.so
	install -m 0644 $(LIBPG2NL_A) $(DESTDIR)$(PREFIX)/lib/
	install -D -m 0644 $(LIBPG2NL_PC) $(DESTDIR)$(PREFIX)/lib/pkgconfig/pg2nl.pc
	install -D -m 0644 lib/include/pg2nl.h $(DESTDIR)$(PREFIX)/include/pg2nl.h
	install -D -m 0644 include/uapi/linux/pg2.h $(DESTDIR)$(PREFIX)/include/linux/pg2.h
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/man/man3 Documentation/man/*.3
	install -D -m 0644 -t $(DESTDIR)$(PREFIX)/share/man/man8 Documentation/man/*.8
	install -D -m 0644 tools/pg2/pg2.bash-completion \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/pg2
	$(if $(DESTDIR),,depmod -a $(KVER) && ldconfig)

deps:
	@$(TESTING)/deps install

# T, PG2_GUEST_TIMEOUT and PG2_SUITE_TIMEOUT reach the script through the
# environment (make exports what the command line sets), never through the
# shell's quoting.  T is a regular expression: its "$" must stay a "$", not
# be expanded by make.
ifeq ($(origin T),command line)
override T := $(value T)
export T
endif
#
# A failing check would have make print "make: *** [Makefile:NN: check]
# Error 1" after the closing "N passed, N failed" line.  When check is the
# only goal of a top-level make without -k, the recipe ends make with
# SIGPIPE instead, which make cannot comment on and shells do not report:
# make check then exits with status 141.  Elsewhere (or if make ignores
# SIGPIPE) make fails as usual.
quiet_fail = $(and $(filter check,$(MAKECMDGOALS)),$(filter 1,$(words $(MAKECMDGOALS))),$\
	$(filter 0,$(MAKELEVEL)),$(if $(findstring k,$(firstword -$(MAKEFLAGS))),,1))
check:
	@$(TESTING)/check || { rc=$$?; $(if $(quiet_fail),((rc == 1)) && kill -PIPE $$PPID;) exit $$rc; }

list-tests:
	@$(TESTING)/check --list

demo:
	@$(TESTING)/demo

checkpatch:
	@$(TESTING)/checkpatch

sparse:
	$(need_kdir)
	$(MAKE) -C $(KDIR) M=$(TOP) W=1 C=2 modules

clean:
	$(if $(and $(KVER),$(wildcard $(KDIR)/Makefile)),-$(MAKE) -C $(KDIR) M=$(TOP) clean 2>/dev/null)
	@echo "rm -rf kbuild outputs in . and kmod/"
	@cd $(TOP) && rm -rf $(KBUILD_OUTPUTS)
	rm -rf $(BUILD)

.PHONY: list-host-tests list-guest-tests
list-host-tests:
	@echo $(HOST_TESTS)

# zz_* tests unload the module: they run last.
GUEST_TESTS_LAST = $(foreach t,$(GUEST_TESTS),$(if $(findstring /zz_,$(t)),$(t)))
list-guest-tests:
	@echo $(filter-out $(GUEST_TESTS_LAST),$(GUEST_TESTS)) $(GUEST_TESTS_LAST)
