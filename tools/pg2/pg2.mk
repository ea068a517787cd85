# SPDX-License-Identifier: GPL-2.0
#
# pg2(8): $(BUILD)/bin/pg2, linked with the static libpg2nl so it runs from
# the build tree on the host and in the guest; its man pages are checked
# with groff.

PG2_CLI_VERSION := 1.0.0
PG2_CLI_DIR := $(BUILD)/tools/pg2
PG2_CLI := $(BUILD)/bin/pg2
PG2_CLI_SRCS := $(addprefix $(TOP)/tools/pg2/,args.c group.c member.c \
	monitor.c output.c pg2.c signal.c)
PG2_CLI_OBJS := $(PG2_CLI_SRCS:$(TOP)/tools/pg2/%.c=$(PG2_CLI_DIR)/%.o)
PG2_CLI_CFLAGS = $(USER_CPPFLAGS) $(USER_CFLAGS) \
	$(shell pkg-config --cflags json-c) \
	-DPG2_VERSION='"$(PG2_CLI_VERSION)"' -MMD -MP
PG2_CLI_LIBS = $(LIBPG2NL_LDLIBS) $(shell pkg-config --libs json-c)

$(PG2_CLI_DIR)/%.o: $(TOP)/tools/pg2/%.c
	@mkdir -p $(@D)
	$(CC) $(PG2_CLI_CFLAGS) -c -o $@ $<

$(PG2_CLI): $(PG2_CLI_OBJS) $(LIBPG2NL_A)
	@mkdir -p $(@D)
	$(CC) -o $@ $(PG2_CLI_OBJS) $(PG2_CLI_LIBS)

PG2_CLI_MANS := $(addprefix $(TOP)/Documentation/man/,pg2.8 pg2-group.8 \
	pg2-member.8 pg2-monitor.8)
PG2_CLI_MAN_CHECK := $(PG2_CLI_DIR)/man.ok

$(PG2_CLI_MAN_CHECK): $(PG2_CLI_MANS)
	@mkdir -p $(@D)
	groff -man -ww -z $^
	touch $@

USER_TARGETS += $(PG2_CLI) $(PG2_CLI_MAN_CHECK)

-include $(PG2_CLI_OBJS:.o=.d)
