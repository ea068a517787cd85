/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the pg2.ko selftests.  Every test runs in a network
 * namespace of its own (a private table, generation 1), so tests never see
 * each other's groups.
 */
#ifndef PG2_TEST_H
#define PG2_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <grp.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <pg2nl.h>
#include "../pg2_module.h"

#define UNPRIV_UID 1000
#define OTHER_UID 1001

/* Reports a failed check from a child process by exit status. */
#define CHILD_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: child check failed: %s\n", \
			__FILE__, __LINE__, #cond); \
		_exit(1); \
	} \
} while (0)

static inline long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static inline long env_long(const char *name, long fallback)
{
	const char *s = getenv(name);

	return s && *s ? strtol(s, NULL, 10) : fallback;
}

/* Gives the caller a network namespace, and so a pg2 table, of its own. */
static inline int enter_new_netns(void)
{
	return unshare(CLONE_NEWNET) ? -errno : 0;
}

/* An fd of the caller's netns. */
static inline int netns_self_fd(void)
{
	return open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
}

/* Drops every privilege: real, effective and saved ids become uid/gid. */
static inline int become(uid_t uid)
{
	if (setgroups(0, NULL) || setresgid(uid, uid, uid) ||
	    setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

/*
 * For a child that became an unprivileged uid: enters a user namespace of
 * its own, as its root (mapped to uid), and a network namespace it owns.
 */
static inline void enter_own_userns_and_netns(uid_t uid)
{
	const char *files[] = { "/proc/self/setgroups", "/proc/self/uid_map",
				"/proc/self/gid_map" };
	char map[32];
	const char *text;
	size_t i;
	int fd;

	/* become() made it undumpable: /proc/self would be root's. */
	CHILD_CHECK(!prctl(PR_SET_DUMPABLE, 1));
	CHILD_CHECK(!unshare(CLONE_NEWUSER | CLONE_NEWNET));
	snprintf(map, sizeof(map), "0 %u 1\n", uid);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		text = i ? map : "deny";
		fd = open(files[i], O_WRONLY);
		CHILD_CHECK(fd >= 0);
		CHILD_CHECK(write(fd, text, strlen(text)) ==
			    (ssize_t)strlen(text));
		close(fd);
	}
}

/* The join count of (node_id, pid) in group, 0 when absent, or -errno. */
static inline int count_of(struct pg2_handle *h, const char *group,
			   uint32_t node_id, pid_t pid)
{
	struct pg2_member *m;
	size_t n, i;
	int err, count = 0;

	err = pg2_get_members(h, group, &m, &n);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (m[i].node_id == node_id && m[i].pid == (uint32_t)pid)
			count = m[i].count;
	free(m);
	return count;
}

/* How many members group has, as the caller sees them, or -errno. */
static inline int members_seen(struct pg2_handle *h, const char *group)
{
	struct pg2_member *m;
	size_t n;
	int err;

	err = pg2_get_members(h, group, &m, &n);
	if (err)
		return err;
	free(m);
	return n;
}

static inline uint64_t generation(struct pg2_handle *h)
{
	uint64_t gen = 0;

	return pg2_generation(h, &gen) ? 0 : gen;
}

/*
 * A child process that runs fn (in the child), reports its result, then
 * sleeps until killed.  The child dies with the test.
 */
typedef int (*child_fn)(void *arg);

static inline pid_t child_start(child_fn fn, void *arg, int *result)
{
	int ready[2], res = -EPIPE;
	pid_t pid;

	if (pipe2(ready, O_CLOEXEC))
		return -1;
	pid = fork();
	if (!pid) {
		close(ready[0]);
		res = fn ? fn(arg) : 0;
		/* After fn: a change of credentials clears it. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (write(ready[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		close(ready[1]);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &res, sizeof(res)) != sizeof(res))
		res = -EPIPE;
	close(ready[0]);
	if (result)
		*result = res;
	return pid;
}

/*
 * Runs fn in a child process whose real, effective and saved uids are
 * r, e and s (and every gid r), so the test itself stays root for its
 * cleanup.  Returns the child's wait status: 0 when every CHILD_CHECK of
 * fn held.
 */
static inline int run_with_ids(uid_t r, uid_t e, uid_t s,
			       void (*fn)(void *arg), void *arg)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return -errno;
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		CHILD_CHECK(!setgroups(0, NULL) && !setresgid(r, r, r));
		CHILD_CHECK(!setresuid(r, e, s));
		fn(arg);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -errno;
	return status;
}

/* As run_with_ids(), every id uid. */
static inline int run_as(uid_t uid, void (*fn)(void *arg), void *arg)
{
	return run_with_ids(uid, uid, uid, fn, arg);
}

/* Kills a child and reaps it: once this returns, wait() has returned. */
static inline int child_kill(pid_t pid)
{
	int status;

	kill(pid, SIGKILL);
	return waitpid(pid, &status, 0) == pid ? 0 : -errno;
}

/* A pid no process has: a child, reaped. */
static inline pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

/* What child_join_fn does: join these groups, through handles it opens. */
struct join_spec {
	int netns_fd;			/* -1: the caller's */
	const char *groups[4];		/* NULL-terminated */
	int times;			/* joins per group, default 1 */
};

static inline int join_spec_run(const struct join_spec *spec)
{
	struct pg2_handle *h;
	int i, t, err;

	err = pg2_open(&h, spec->netns_fd);
	if (err)
		return err;
	for (i = 0; i < 4 && spec->groups[i]; i++)
		for (t = 0; t < (spec->times ? spec->times : 1); t++) {
			err = pg2_join(h, spec->groups[i], 0, NULL, 0);
			if (err)
				goto out;
		}
out:
	pg2_close(h);
	return err;
}

/* child_fn: runs each join_spec of an array ended by { .groups = { NULL } }. */
static inline int child_join_fn(void *arg)
{
	const struct join_spec *spec = arg;
	int err = 0;

	for (; spec->groups[0] && !err; spec++)
		err = join_spec_run(spec);
	return err;
}

#endif /* PG2_TEST_H */
