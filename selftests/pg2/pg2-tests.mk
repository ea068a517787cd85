# SPDX-License-Identifier: GPL-2.0
#
# pg2.ko's selftests: one kselftest-harness executable per theme, run in the
# guest with the module loaded.  zz_unload reloads the module: the top
# Makefile runs zz_* suites last.

PG2T_SRC := $(TOP)/selftests/pg2
PG2T_DIR := $(BUILD)/selftests/pg2
PG2T_NAMES := operations exit_cleanup permissions namespaces bad_input \
	limits events node_replace concurrency zz_unload
PG2T_TESTS := $(addprefix $(PG2T_DIR)/,$(PG2T_NAMES))
PG2T_RAWNL := $(PG2T_DIR)/rawnl.o
PG2T_CFLAGS = $(USER_CPPFLAGS) $(USER_CFLAGS) -isystem $(KSFT_DIR) \
	-pthread -MMD -MP

$(PG2T_DIR)/%.o: $(PG2T_SRC)/%.c $(KSFT_HEADERS)
	@mkdir -p $(@D)
	$(CC) $(PG2T_CFLAGS) -c -o $@ $<

$(PG2T_TESTS): %: %.o $(PG2T_RAWNL) $(LIBPG2NL_A)
	$(CC) -pthread -o $@ $< $(PG2T_RAWNL) $(LIBPG2NL_LDLIBS)

GUEST_TESTS += $(PG2T_TESTS)

-include $(PG2T_TESTS:=.d) $(PG2T_RAWNL:.o=.d)
