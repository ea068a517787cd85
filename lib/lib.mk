# SPDX-License-Identifier: LGPL-2.1-or-later
#
# libpg2nl: $(BUILD)/lib/libpg2nl.so.$(LIBPG2NL_VERSION), the real file
# (soname libpg2nl.so.1, exports only lib/libpg2nl.map), the links
# libpg2nl.so.1 (what programs load) and libpg2nl.so (what -lpg2nl finds),
# libpg2nl.a, pg2nl.pc (installed) and pg2nl-uninstalled.pc (the tree).
#
# Installing it (the top Makefile's install target):
#   $(LIBPG2NL_SO)        the real file, installed under its own name
#   $(LIBPG2NL_SONAME)    a link to it, as ldconfig makes
#   libpg2nl.so           the development link
#
# Linking against it from another fragment:
#   LIBPG2NL_LDLIBS     the static library and libnl: what the project's
#                       tools use, so they run from the build tree (host or
#                       guest) with no library path to set up;
#   LIBPG2NL_SO_LDLIBS  the shared library with an rpath into $(BUILD)/lib,
#                       for programs that must exercise the .so itself.
# Both need $(LIBPG2NL_A) or $(LIBPG2NL_SO) as a prerequisite.

LIBPG2NL_VERSION := 1.0.0
LIBPG2NL_SONAME := libpg2nl.so.1
LIB_DIR := $(BUILD)/lib
LIB_SRCS := $(addprefix $(TOP)/lib/,dump.c error.c handle.c monitor.c \
	record.c request.c)
LIB_PIC_OBJS := $(LIB_SRCS:$(TOP)/lib/%.c=$(LIB_DIR)/pic/%.o)
LIB_OBJS := $(LIB_SRCS:$(TOP)/lib/%.c=$(LIB_DIR)/obj/%.o)
LIB_MAP := $(TOP)/lib/libpg2nl.map

LIBPG2NL_SO := $(LIB_DIR)/libpg2nl.so.$(LIBPG2NL_VERSION)
LIBPG2NL_A := $(LIB_DIR)/libpg2nl.a
LIBPG2NL_PC := $(LIB_DIR)/pg2nl.pc
LIBPG2NL_LDLIBS = $(LIBPG2NL_A) $(NL_LIBS)
LIBPG2NL_SO_LDLIBS = -L$(LIB_DIR) -Wl,-rpath,$(LIB_DIR) -lpg2nl $(NL_LIBS)

LIB_CFLAGS = $(USER_CPPFLAGS) $(USER_CFLAGS) $(NL_CFLAGS) -MMD -MP

$(LIB_DIR)/pic/%.o: $(TOP)/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -fPIC -c -o $@ $<

$(LIB_DIR)/obj/%.o: $(TOP)/lib/%.c
	@mkdir -p $(@D)
	$(CC) $(LIB_CFLAGS) -c -o $@ $<

$(LIBPG2NL_SO): $(LIB_PIC_OBJS) $(LIB_MAP)
	$(CC) -shared -o $@ -Wl,-soname,$(LIBPG2NL_SONAME) \
		-Wl,--version-script=$(LIB_MAP) -Wl,-z,defs \
		$(LIB_PIC_OBJS) $(NL_LIBS)

$(LIB_DIR)/$(LIBPG2NL_SONAME): $(LIBPG2NL_SO)
	ln -sf $(<F) $@

$(LIB_DIR)/libpg2nl.so: $(LIB_DIR)/$(LIBPG2NL_SONAME)
	ln -sf $(<F) $@

$(LIBPG2NL_A): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# pg2nl.pc carries PREFIX, which make cannot see change: the stamp holds
# the value it was made with and is rewritten (so pg2nl.pc remade) only
# when PREFIX differs, e.g. for "make install PREFIX=/usr" after "make".
LIBPG2NL_PC_PREFIX := $(LIB_DIR)/pg2nl.pc.prefix
$(LIBPG2NL_PC_PREFIX): FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' | cmp -s - $@ || echo '$(PREFIX)' > $@

.PHONY: FORCE
FORCE:

$(LIBPG2NL_PC): $(TOP)/lib/pg2nl.pc.in $(LIBPG2NL_PC_PREFIX)
	@mkdir -p $(@D)
	sed -e 's|@PREFIX@|$(PREFIX)|' \
	    -e 's|@VERSION@|$(LIBPG2NL_VERSION)|' $< > $@

# Building against the tree before installing:
#   PKG_CONFIG_PATH=build/lib pkg-config --cflags --libs pg2nl
# finds this one (NAME-uninstalled.pc wins over NAME.pc in a directory of
# PKG_CONFIG_PATH): the tree's headers, and build/lib with an rpath, so
# the program runs from there.
LIBPG2NL_UNINSTALLED_PC := $(LIB_DIR)/pg2nl-uninstalled.pc
$(LIBPG2NL_UNINSTALLED_PC): $(TOP)/lib/pg2nl-uninstalled.pc.in
	@mkdir -p $(@D)
	sed -e 's|@TOP@|$(TOP)|g' -e 's|@LIBDIR@|$(LIB_DIR)|g' \
	    -e 's|@VERSION@|$(LIBPG2NL_VERSION)|' $< > $@

# The example of libpg2nl(3) is lib/examples/pg2-example.c, roff-escaped:
# the build fails when the two differ.
LIB_MAN := $(TOP)/Documentation/man/libpg2nl.3
LIB_EXAMPLE_SRC := $(TOP)/lib/examples/pg2-example.c
LIB_EXAMPLE := $(LIB_DIR)/pg2-example
LIB_MAN_CHECK := $(LIB_DIR)/man-example.ok

$(LIB_MAN_CHECK): $(LIB_MAN) $(LIB_EXAMPLE_SRC)
	@mkdir -p $(@D)
	awk '/^\.\\" example end/ { f = 0 } f && !/^\.E[XE]$$/ { print } \
	     /^\.\\" example begin/ { f = 1 }' $(LIB_MAN) > $@.man
	sed -e 's/\\/\\e/g' -e 's/-/\\-/g' $(LIB_EXAMPLE_SRC) > $@.c
	diff -u $@.c $@.man
	groff -man -ww -z $(LIB_MAN)
	rm -f $@.man $@.c
	touch $@

# Linked against the shared library: the example proves the .so works.
$(LIB_EXAMPLE): $(LIB_EXAMPLE_SRC) $(LIB_DIR)/$(LIBPG2NL_SONAME) \
		$(LIB_DIR)/libpg2nl.so
	$(CC) $(USER_CPPFLAGS) $(USER_CFLAGS) -o $@ $< $(LIBPG2NL_SO_LDLIBS)

USER_TARGETS += $(LIBPG2NL_SO) $(LIB_DIR)/$(LIBPG2NL_SONAME) \
	$(LIB_DIR)/libpg2nl.so $(LIBPG2NL_A) \
	$(LIBPG2NL_PC) $(LIBPG2NL_UNINSTALLED_PC) $(LIB_EXAMPLE) \
	$(LIB_MAN_CHECK)

-include $(LIB_PIC_OBJS:.o=.d) $(LIB_OBJS:.o=.d)

# Rewrites the example of libpg2nl(3) from lib/examples/pg2-example.c.
.PHONY: lib-man-example
lib-man-example:
	awk -v src=$(LIB_EXAMPLE_SRC) ' \
	    /^\.\\" example end/ { f = 0; \
		print ".EX"; \
		while ((getline line < src) > 0) { \
			gsub(/\\/, "\\e", line); gsub(/-/, "\\-", line); \
			print line } \
		print ".EE" } \
	    !f { print } \
	    /^\.\\" example begin/ { f = 1 }' $(LIB_MAN) > $(LIB_MAN).new
	mv $(LIB_MAN).new $(LIB_MAN)
