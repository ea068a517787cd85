# SPDX-License-Identifier: GPL-2.0
#
# The pg2:* tracepoints, seen from the shell; relay-ops drives the relay's
# operations for it.

TRACET_DIR := $(BUILD)/selftests/trace

$(TRACET_DIR)/relay-ops: $(TOP)/selftests/trace/relay-ops.c $(LIBPG2NL_A)
	@mkdir -p $(@D)
	$(CC) $(USER_CPPFLAGS) $(USER_CFLAGS) $(NL_CFLAGS) -o $@ $< \
		$(LIBPG2NL_LDLIBS)

USER_TARGETS += $(TRACET_DIR)/relay-ops
GUEST_TESTS += $(TOP)/selftests/trace/tracepoints.sh
