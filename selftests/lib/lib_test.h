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

/*
 * The last call on h failed with exactly the message words and the
 * rejected attribute attr (NULL: none named).
 */
static inline bool failed_with(const struct pg2_handle *h, const char *words,
			       const char *attr)
{
	const char *msg = pg2_errmsg(h), *got = pg2_errattr(h);

	if (!strcmp(msg, words) && (attr ? got && !strcmp(got, attr) : !got))
		return true;
	fprintf(stderr, "# expected \"%s\" (%s), got \"%s\" (%s)\n", words,
		attr ? attr : "no attribute", msg, got ? got : "no attribute");
	return false;
}

#define EXPECT_FAILED_WITH(h, words, attr) \
	EXPECT_TRUE(failed_with((h), (words), (attr)))

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
