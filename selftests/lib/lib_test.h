/* SPDX-License-Identifier: GPL-2.0 */
/* Helpers shared by libpg2nl's tests. */
#ifndef PG2_LIB_TEST_H
#define PG2_LIB_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include <pg2nl.h>
#include "../pg2_module.h"

/* A private network namespace: a table of our own, generation 1. */
static inline int enter_new_netns(void)
{
	return unshare(CLONE_NEWNET) ? -errno : 0;
}

/* A pid that no process has: a child, reaped. */
static inline pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/*
 * A child that waits until *release_fd closes; returns its pid.  It keeps
 * no other descriptor: it would hold another sleeper's pipe open.
 */
static inline pid_t sleeper(int *release_fd)
{
	int fds[2];
	pid_t pid;
	char c;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(fds[0], STDIN_FILENO);
		close_range(3, ~0U, 0);
		while (read(STDIN_FILENO, &c, 1) > 0)
			;
		_exit(0);
	}
	close(fds[0]);
	*release_fd = fds[1];
	return pid;
}

/*
 * pg2.ko's own words for the last failure of h: its extack message holds
 * words, not merely something other than strerror() (pg2_module.h's
 * kernel_explained()).  The words of each errno a test checks:
 */
#define SAYS_NO_GROUP		"no such group"
#define SAYS_NO_PROCESS		"no such process, or it is exiting"
#define SAYS_EMPTY		"group has no member"
#define SAYS_BAD_NAME		"group name must be 1 to 255 bytes without NUL"
#define SAYS_POLICY		"Attribute failed policy validation"
#define SAYS_LONG_DATA		"member data longer than 256 bytes"
#define SAYS_ZERO		"must not be zero"
#define SAYS_NOT_CREATOR	"only the group's creator or CAP_NET_ADMIN may delete it"
#define SAYS_NO_SIGNAL		"not allowed to signal this process, nor CAP_NET_ADMIN"
#define SAYS_RELAY		"relay commands need CAP_NET_ADMIN in the netns's user namespace"
#define SAYS_CREATE_ADMIN	"creating groups needs CAP_NET_ADMIN"
#define SAYS_MAX_GROUPS		"too many groups in this netns (max_groups)"
#define SAYS_GROUP_FULL		"group is full (max_members_per_group)"
#define SAYS_MAX_MEMBERSHIPS	"too many memberships for this uid (max_memberships_per_uid)"

static inline bool kernel_said(const struct pg2_handle *h, const char *words)
{
	const char *msg = pg2_errmsg(h);

	return msg && strstr(msg, words);
}

/* For kselftest_harness.h tests (macros: expanded where the harness is). */
#define EXPECT_KERNEL_SAID(h, words) \
	EXPECT_TRUE(kernel_said((h), (words))) \
		TH_LOG("expected \"%s\", got \"%s\"", (words), pg2_errmsg(h))

/* A call's errno and the kernel's words for it, in a child's check. */
static inline bool fails_saying(const struct pg2_handle *h, int ret, int err,
				const char *words)
{
	if (ret == err && kernel_said(h, words))
		return true;
	fprintf(stderr, "# expected %d \"%s\", got %d \"%s\"\n", err, words,
		ret, pg2_errmsg(h));
	return false;
}

static inline const struct pg2_member *
find_member(const struct pg2_member *members, size_t n, uint32_t node_id,
	    uint32_t pid)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (members[i].node_id == node_id && members[i].pid == pid)
			return &members[i];
	return NULL;
}

#endif /* PG2_LIB_TEST_H */
