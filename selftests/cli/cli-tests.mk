# SPDX-License-Identifier: GPL-2.0
#
# pg2(8)'s tests: shell scripts printing kselftest TAP, run against
# $(BUILD)/bin/pg2.  usage.sh and completion.sh need no module (host); the
# others run in the guest with pg2.ko loaded.  They check JSON with jq.

PG2_CLI_TEST_DIR := $(TOP)/selftests/cli

HOST_TESTS += $(addprefix $(PG2_CLI_TEST_DIR)/,usage.sh completion.sh)
GUEST_TESTS += $(addprefix $(PG2_CLI_TEST_DIR)/,commands.sh exec.sh \
	monitor.sh valgrind.sh)
