/* SPDX-License-Identifier: GPL-2.0 */
/* What every C suite needs of pg2.ko itself: its parameters and messages. */
#ifndef PG2_MODULE_H
#define PG2_MODULE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg2nl.h>

/* Sets a pg2.ko parameter; returns its old value (Y/N as 1/0) or -errno. */
static inline long module_param_set(const char *name, long value)
{
	char path[256], buf[32];
	long old;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/pg2/parameters/%s", name);
	f = fopen(path, "r+");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	old = buf[0] == 'Y' ? 1 : buf[0] == 'N' ? 0 : strtol(buf, NULL, 10);
	rewind(f);
	fprintf(f, "%ld\n", value);
	if (fclose(f))
		return -errno;
	return old;
}

/*
 * pg2.ko's extended ACK messages, word for word (from kmod/).  A change of
 * wording is a change of what users see, so the tests pin it.
 */
#define PG2_MSG_RELAY_EPERM \
	"relay commands need CAP_NET_ADMIN in the netns's user namespace"
#define PG2_MSG_SIGNAL_EPERM \
	"joining or leaving another process needs the right to signal it, or CAP_NET_ADMIN"
#define PG2_MSG_DELETE_EPERM \
	"only the group's creator or CAP_NET_ADMIN may delete it"
#define PG2_MSG_CREATE_EPERM	"creating groups needs CAP_NET_ADMIN"
#define PG2_MSG_NO_GROUP	"no such group"
#define PG2_MSG_NO_PROCESS	"no such process, or it is exiting"
#define PG2_MSG_EMPTY_GROUP	"group has no member"
#define PG2_MSG_MAX_GROUPS	"too many groups in this netns (max_groups)"
#define PG2_MSG_GROUP_FULL	"group is full (max_members_per_group)"
#define PG2_MSG_QUOTA \
	"too many memberships for this uid (max_memberships_per_uid)"
#define PG2_MSG_OVERFLOW	"join count would overflow"
#define PG2_MSG_MISSING		"missing required attribute"
#define PG2_MSG_MISSING_NAME	"missing group name"
#define PG2_MSG_ZERO		"must not be zero"
#define PG2_MSG_BAD_NAME \
	"group name must be 1 to 255 bytes without NUL"
#define PG2_MSG_LONG_DATA	"member data longer than 256 bytes"
#define PG2_MSG_OWN_NODE	"node id is this node's own"
#define PG2_MSG_ENTRY_MISSING \
	"snapshot entry needs a group name, pid and count"
#define PG2_MSG_ENTRY_OVER_LIMIT \
	"snapshot entry over max_groups or max_members_per_group"

/* The generic netlink core's policy messages (lib/nlattr.c, 6.1). */
#define NL_MSG_POLICY		"Attribute failed policy validation"
#define NL_MSG_UNKNOWN		"Unknown attribute type"
#define NL_MSG_UNSUPPORTED	"Unsupported attribute"
#define NL_MSG_BAD_LENGTH	"invalid attribute length"
#define NL_MSG_NOT_NESTED	"NLA_F_NESTED is missing"

/* The message is the kernel's, in these words exactly. */
static inline int message_is(const char *msg, const char *words)
{
	return msg && !strcmp(msg, words);
}

/* The last call on h failed with the kernel's message in these words. */
static inline int kernel_said(const struct pg2_handle *h, const char *words)
{
	const char *msg = pg2_errmsg(h);

	if (message_is(msg, words))
		return 1;
	fprintf(stderr, "# kernel said \"%s\", expected \"%s\"\n",
		msg ? msg : "(null)", words);
	return 0;
}

#endif /* PG2_MODULE_H */
