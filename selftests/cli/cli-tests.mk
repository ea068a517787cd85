# SPDX-License-Identifier: GPL-2.0
#
# pg2(8)'s tests: shell scripts printing kselftest TAP, run against
# $(BUILD)/bin/pg2.  usage.sh and completion.sh need no module (host); the
# others run in the guest with pg2.ko loaded (zz_unload.sh, which unloads
# it, last).  They check JSON with jq.

PG2_CLI_TEST_DIR := $(TOP)/selftests/cli
PG2_CLI_TEST_BUILD := $(BUILD)/selftests/cli

HOST_TESTS += $(addprefix $(PG2_CLI_TEST_DIR)/,usage.sh completion.sh)
GUEST_TESTS += $(addprefix $(PG2_CLI_TEST_DIR)/,commands.sh exec.sh \
	monitor.sh valgrind.sh zz_unload.sh)

# monitor.sh's LD_PRELOAD on the monitor's receives.
$(PG2_CLI_TEST_BUILD)/monitor_preload.so: $(PG2_CLI_TEST_DIR)/monitor_preload.c
	@mkdir -p $(@D)
	$(CC) $(USER_CFLAGS) -D_GNU_SOURCE -shared -fPIC -o $@ $< -ldl

USER_TARGETS += $(PG2_CLI_TEST_BUILD)/monitor_preload.so
