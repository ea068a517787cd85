# SPDX-License-Identifier: GPL-2.0
#
# libpg2nl's tests.  The C tests link the static library; the example
# (built by lib/lib.mk) links the shared one.

LIBT_SRC := $(TOP)/selftests/lib
LIBT_DIR := $(BUILD)/selftests/lib
LIBT_CFLAGS = $(USER_CPPFLAGS) $(USER_CFLAGS) -isystem $(KSFT_DIR) $(NL_CFLAGS)

$(LIBT_DIR)/%: $(LIBT_SRC)/%.c $(LIBT_SRC)/lib_test.h $(LIBT_SRC)/interrupt.h \
		$(TOP)/selftests/pg2_module.h $(TOP)/selftests/module_ctl.h \
		$(KSFT_HEADERS) \
		$(LIBPG2NL_A)
	@mkdir -p $(@D)
	$(CC) $(LIBT_CFLAGS) -o $@ $< $(LIBT_LDFLAGS) $(LIBPG2NL_LDLIBS)

# The dump test counts (and interrupts) the library's dump requests and
# fails its receives.
$(LIBT_DIR)/dump: LIBT_LDFLAGS := -Wl,--wrap=nl_send_auto -Wl,--wrap=nl_recvmsgs
# The leak workload retries an interrupted dump.
$(LIBT_DIR)/leak_workload: LIBT_LDFLAGS := -Wl,--wrap=nl_send_auto
# The monitor test truncates, floods and overflows the library's receives.
$(LIBT_DIR)/monitor: LIBT_LDFLAGS := -Wl,--wrap=recvmsg
# The reload test loses a monitor's datagram.
$(LIBT_DIR)/zz_reload: LIBT_LDFLAGS := -Wl,--wrap=recvmsg
# The no-module test fails the library's return to its netns.
$(LIBT_DIR)/nomodule: LIBT_LDFLAGS := -Wl,--wrap=setns
# Tests of the library's internal functions see its internal header.
$(LIBT_DIR)/internals: $(TOP)/lib/internal.h

HOST_TESTS += $(LIBT_DIR)/nomodule $(LIBT_DIR)/internals $(LIBT_SRC)/abi.sh
# zz_reload unloads the module: the top Makefile runs zz_* suites last.
GUEST_TESTS += $(addprefix $(LIBT_DIR)/,calls dump monitor netns) \
	$(LIBT_SRC)/example.sh $(LIBT_SRC)/valgrind.sh $(LIBT_DIR)/zz_reload

# Run by valgrind.sh, not a test by itself.
USER_TARGETS += $(LIBT_DIR)/leak_workload
