// SPDX-License-Identifier: GPL-2.0
/*
 * The operations table and acceptance scenarios 1-4, 6 and 8 of
 * pg2-semantics.md, with exact errno, plus the relay's commands.
 */
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

FIXTURE(ops) {
	struct pg2_handle *h;
};

FIXTURE_SETUP(ops)
{
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1)) TH_LOG("%s", pg2_errmsg(NULL));
}

FIXTURE_TEARDOWN(ops)
{
	pg2_close(self->h);
}

TEST_F(ops, new_netns_starts_at_generation_1)
{
	struct pg2_group_info *g;
	size_t n;

	EXPECT_EQ(1, generation(self->h));
	ASSERT_EQ(0, pg2_which_groups(self->h, &g, &n));
	EXPECT_EQ(0, n);
	free(g);
}

TEST_F(ops, create_is_idempotent)
{
	struct pg2_group_info info;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EQ(2, generation(self->h));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EQ(3, generation(self->h));
	ASSERT_EQ(0, pg2_group_info(self->h, "a", &info));
	EXPECT_STREQ("a", info.name);
	EXPECT_EQ(1, info.member_count);
	EXPECT_EQ(1, info.local_member_count);
	EXPECT_EQ(getuid(), info.creator_uid);
}

TEST_F(ops, delete_absent_is_ok_and_changes_nothing)
{
	ASSERT_EQ(0, pg2_delete(self->h, "nothing"));
	EXPECT_EQ(1, generation(self->h));
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_delete(self->h, "a"));
	EXPECT_EQ(3, generation(self->h));
	EXPECT_EQ(-ENOENT, members_seen(self->h, "a"));
}

TEST_F(ops, names_of_every_length_and_byte)
{
	char longest[PG2_NAME_MAX + 1], odd[] = "\x01 \xff/\"\\";
	struct pg2_group_info *g;
	size_t n;

	memset(longest, 'x', PG2_NAME_MAX);
	longest[PG2_NAME_MAX] = '\0';
	ASSERT_EQ(0, pg2_create(self->h, longest));
	ASSERT_EQ(0, pg2_create(self->h, "y"));
	ASSERT_EQ(0, pg2_create(self->h, odd));
	ASSERT_EQ(0, pg2_join(self->h, longest, 0, NULL, 0));
	EXPECT_EQ(1, count_of(self->h, longest, 0, getpid()));
	ASSERT_EQ(0, pg2_which_groups(self->h, &g, &n));
	EXPECT_EQ(3, n);
	free(g);
}

/* Scenario 1. */
TEST_F(ops, empty_group_is_listed_and_has_no_closest)
{
	struct pg2_group_info *g;
	struct pg2_member m;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_which_groups(self->h, &g, &n));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("a", g[0].name);
	EXPECT_EQ(0, g[0].member_count);
	EXPECT_EQ(0, g[0].local_member_count);
	free(g);
	EXPECT_EQ(-ESRCH, pg2_get_closest_pid(self->h, "a", &m));
	EXPECT_TRUE(kernel_said(self->h, PG2_MSG_EMPTY_GROUP));
	EXPECT_EQ(0, members_seen(self->h, "a"));
}

/* Scenario 2. */
TEST_F(ops, join_self_then_closest_is_self)
{
	struct pg2_member m;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_closest_pid(self->h, "a", &m));
	EXPECT_EQ(getpid(), m.pid);
	EXPECT_EQ(0, m.node_id);
	EXPECT_EQ(1, m.count);
	EXPECT_EQ(0, m.data_len);
}

/* Scenario 3, first half: every op but create/delete on a missing group. */
TEST_F(ops, missing_group_is_enoent)
{
	struct pg2_member *ms, m;
	struct pg2_group_info info;
	size_t n;

	EXPECT_EQ(-ENOENT, pg2_join(self->h, "none", 0, NULL, 0));
	EXPECT_TRUE(kernel_said(self->h, PG2_MSG_NO_GROUP));
	/* As in pg2, the missing group is the answer, not the process. */
	EXPECT_EQ(-ENOENT, pg2_join(self->h, "none", dead_pid(), NULL, 0));
	EXPECT_TRUE(kernel_said(self->h, PG2_MSG_NO_GROUP));
	EXPECT_EQ(-ENOENT, pg2_leave(self->h, "none", 0));
	EXPECT_EQ(-ENOENT, pg2_get_members(self->h, "none", &ms, &n));
	EXPECT_EQ(-ENOENT, pg2_get_local_members(self->h, "none", &ms, &n));
	EXPECT_EQ(-ENOENT, pg2_get_closest_pid(self->h, "none", &m));
	EXPECT_EQ(-ENOENT, pg2_group_info(self->h, "none", &info));
	EXPECT_EQ(-ENOENT, pg2_remote_join(self->h, "none", 5, 10, 1, NULL, 0));
	EXPECT_EQ(-ENOENT, pg2_remote_leave(self->h, "none", 5, 10, 1));
	EXPECT_EQ(1, generation(self->h));
}

/* Scenario 3, second half. */
TEST_F(ops, join_count_and_leave)
{
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EQ(0, pg2_leave(self->h, "a", 0));
	EXPECT_EQ(2, generation(self->h));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", getpid(), NULL, 0));
	EXPECT_EQ(2, count_of(self->h, "a", 0, getpid()));
	ASSERT_EQ(0, pg2_leave(self->h, "a", 0));
	EXPECT_EQ(1, count_of(self->h, "a", 0, getpid()));
	ASSERT_EQ(0, pg2_leave(self->h, "a", getpid()));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	EXPECT_EQ(0, pg2_leave(self->h, "a", 0));
	EXPECT_EQ(6, generation(self->h));
}

TEST_F(ops, members_per_join_lists_a_pid_per_join)
{
	struct pg2_member *m;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_members_per_join(self->h, "a", &m, &n));
	ASSERT_EQ(3, n);
	EXPECT_EQ(getpid(), m[2].pid);
	free(m);
}

TEST_F(ops, join_of_missing_process_is_esrch)
{
	pid_t gone = dead_pid();

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EQ(-ESRCH, pg2_join(self->h, "a", gone, NULL, 0));
	EXPECT_TRUE(kernel_said(self->h, PG2_MSG_NO_PROCESS));
	EXPECT_EQ(0, pg2_leave(self->h, "a", gone));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	EXPECT_EQ(2, generation(self->h));
}

static int tid_pipe[2];

static void *report_tid(void *arg)
{
	pid_t tid = syscall(SYS_gettid);

	(void)arg;
	if (write(tid_pipe[1], &tid, sizeof(tid)) != sizeof(tid))
		_exit(1);
	for (;;)
		pause();
}

/* child_fn: starts a second thread; returns that thread's id. */
static int start_thread(void *arg)
{
	pthread_t thread;
	pid_t tid;

	(void)arg;
	if (pipe(tid_pipe) || pthread_create(&thread, NULL, report_tid, NULL))
		return -EAGAIN;
	if (read(tid_pipe[0], &tid, sizeof(tid)) != sizeof(tid))
		return -EIO;
	return tid;
}

/*
 * A thread id that is not its thread group's id names no process: pids
 * in requests are processes (tgids), never threads.
 */
TEST_F(ops, join_of_thread_id_is_esrch)
{
	struct stat st;
	char path[64];
	pid_t child, tid;
	uint64_t gen;

	child = child_start(start_thread, NULL, &tid);
	ASSERT_LT(0, child);
	ASSERT_LT(0, tid);
	ASSERT_NE(child, tid);
	/* It is a thread of the child, not a process of its own. */
	snprintf(path, sizeof(path), "/proc/%d/task/%d", child, tid);
	ASSERT_EQ(0, stat(path, &st));
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	gen = generation(self->h);
	EXPECT_EQ(-ESRCH, pg2_join(self->h, "a", tid, NULL, 0));
	EXPECT_TRUE(kernel_said(self->h, PG2_MSG_NO_PROCESS));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	EXPECT_EQ(gen, generation(self->h));
	/* Leave of a thread id: no such member, nothing happens. */
	EXPECT_EQ(0, pg2_leave(self->h, "a", tid));
	EXPECT_EQ(gen, generation(self->h));
	/* Its process joins by its own number. */
	ASSERT_EQ(0, pg2_join(self->h, "a", child, NULL, 0));
	EXPECT_EQ(1, count_of(self->h, "a", 0, child));
	EXPECT_EQ(0, count_of(self->h, "a", 0, tid));
	child_kill(child);
}

TEST_F(ops, last_join_with_data_sets_it)
{
	unsigned char big[PG2_DATA_MAX];
	struct pg2_member *m;
	size_t n;

	memset(big, 0xa5, sizeof(big));
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, "one", 3));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "a", &m, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(2, m[0].count);
	ASSERT_EQ(3, m[0].data_len);
	EXPECT_EQ(0, memcmp(m[0].data, "one", 3));
	free(m);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, big, sizeof(big)));
	ASSERT_EQ(0, pg2_get_members(self->h, "a", &m, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(PG2_DATA_MAX, m[0].data_len);
	EXPECT_EQ(0, memcmp(m[0].data, big, sizeof(big)));
	free(m);
}

TEST_F(ops, local_members_and_closest_prefer_this_node)
{
	struct pg2_member *m, c;
	int i, first, second;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 7, 4242, 2, "r", 1));
	ASSERT_EQ(2, count_of(self->h, "a", 7, 4242));
	ASSERT_EQ(0, pg2_get_local_members(self->h, "a", &m, &n));
	EXPECT_EQ(0, n);
	free(m);
	/* Only remote members: closest falls back to them, at random. */
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 8, 4343, 1, NULL, 0));
	for (i = 0, first = 0, second = 0; i < 200 && !(first && second); i++) {
		ASSERT_EQ(0, pg2_get_closest_pid(self->h, "a", &c));
		first += c.node_id == 7 && c.pid == 4242;
		second += c.node_id == 8 && c.pid == 4343;
		ASSERT_EQ(i + 1, first + second);
	}
	EXPECT_LT(0, first);
	EXPECT_LT(0, second);
	ASSERT_EQ(0, pg2_remote_leave(self->h, "a", 8, 4343, 1));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_local_members(self->h, "a", &m, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(getpid(), m[0].pid);
	free(m);
	EXPECT_EQ(2, members_seen(self->h, "a"));
	for (i = 0; i < 50; i++) {
		ASSERT_EQ(0, pg2_get_closest_pid(self->h, "a", &c));
		ASSERT_EQ(0, c.node_id);
		ASSERT_EQ(getpid(), c.pid);
	}
}

TEST_F(ops, closest_is_random_among_local_members)
{
	pid_t child = child_start(NULL, NULL, NULL);
	struct pg2_member c;
	int i, mine = 0, by_child = 0;

	ASSERT_LT(0, child);
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", child, NULL, 0));
	for (i = 0; i < 200 && !(mine && by_child); i++) {
		ASSERT_EQ(0, pg2_get_closest_pid(self->h, "a", &c));
		mine += c.pid == (uint32_t)getpid();
		by_child += c.pid == (uint32_t)child;
	}
	EXPECT_LT(0, mine);
	EXPECT_LT(0, by_child);
	child_kill(child);
}

/* Scenario 4. */
TEST_F(ops, killed_member_is_gone_when_wait_returns)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "a", "b" } },
		{ .groups = { NULL } },
	};
	struct pg2_member *m;
	pid_t child;
	size_t n;
	int res;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_create(self->h, "b"));
	child = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	ASSERT_EQ(1, count_of(self->h, "a", 0, child));
	ASSERT_EQ(0, child_kill(child));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	ASSERT_EQ(0, pg2_get_local_members(self->h, "b", &m, &n));
	EXPECT_EQ(0, n);
	free(m);
}

/* Scenario 6. */
TEST_F(ops, leave_from_other_group_then_kill)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "x" } },
		{ .groups = { NULL } },
	};
	pid_t child;
	int res;

	ASSERT_EQ(0, pg2_create(self->h, "x"));
	ASSERT_EQ(0, pg2_create(self->h, "y"));
	child = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	EXPECT_EQ(0, pg2_leave(self->h, "y", child));
	EXPECT_EQ(1, count_of(self->h, "x", 0, child));
	ASSERT_EQ(0, child_kill(child));
	EXPECT_EQ(0, members_seen(self->h, "x"));
}

/* Scenario 8, with remote members as well. */
TEST_F(ops, delete_group_with_double_joined_member)
{
	struct pg2_group_info info;
	struct pg2_member *m;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 2, "r", 1));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 6, 60, 1, NULL, 0));
	ASSERT_EQ(0, pg2_delete(self->h, "a"));
	EXPECT_EQ(-ENOENT, pg2_get_members(self->h, "a", &m, &n));
	EXPECT_EQ(-ENOENT, pg2_get_local_members(self->h, "a", &m, &n));
	/* Recreated, it starts empty: no old membership survived. */
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	ASSERT_EQ(0, pg2_group_info(self->h, "a", &info));
	EXPECT_EQ(0, info.member_count);
	EXPECT_EQ(0, info.local_member_count);
	/* A leave finds nothing to undo; a join starts at 1 again. */
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 1, NULL, 0));
	EXPECT_EQ(1, count_of(self->h, "a", 5, 50));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	EXPECT_EQ(1, count_of(self->h, "a", 0, getpid()));
}

/*
 * Seen from a child pid namespace, this process (a local member) is
 * invisible: closest falls back to the remote member, member lists leave
 * it out, and the group record still counts it.  Counts are of every
 * live member whatever its pid namespace (Documentation/design.md,
 * Requests; the UAPI's group record: "members of every node"): they are
 * numbers, not member records, so nothing is disclosed but how many.
 */
static void invisible_local_member(void *arg)
{
	struct pg2_group_info info;
	struct pg2_member c, *m;
	struct pg2_handle *h;
	size_t n;
	int i;

	(void)arg;
	CHILD_CHECK(getpid() == 1);
	CHILD_CHECK(!pg2_open(&h, -1));
	for (i = 0; i < 50; i++) {
		CHILD_CHECK(!pg2_get_closest_pid(h, "a", &c));
		CHILD_CHECK(c.node_id == 7 && c.pid == 77);
	}
	CHILD_CHECK(!pg2_get_members(h, "a", &m, &n));
	CHILD_CHECK(n == 1 && m[0].node_id == 7);
	free(m);
	CHILD_CHECK(!pg2_get_local_members(h, "a", &m, &n));
	CHILD_CHECK(n == 0);
	free(m);
	CHILD_CHECK(!pg2_group_info(h, "a", &info));
	CHILD_CHECK(info.member_count == 2);
	CHILD_CHECK(info.local_member_count == 1);
	/* Nothing visible at all: ESRCH, as for an empty group. */
	CHILD_CHECK(pg2_get_closest_pid(h, "only_local", &c) == -ESRCH);
	CHILD_CHECK(kernel_said(h, PG2_MSG_EMPTY_GROUP));
	pg2_close(h);
}

TEST_F(ops, closest_skips_members_the_caller_cannot_see)
{
	pid_t init;
	int status;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_create(self->h, "only_local"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "only_local", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 7, 77, 1, NULL, 0));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	ASSERT_LE(0, init);
	if (!init) {
		invisible_local_member(NULL);
		_exit(0);
	}
	ASSERT_EQ(init, waitpid(init, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_F(ops, group_info_counts_every_node)
{
	struct pg2_group_info *g;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_create(self->h, "b"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 3, 30, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 4, 30, 1, NULL, 0));
	ASSERT_EQ(0, pg2_which_groups(self->h, &g, &n));
	ASSERT_EQ(2, n);
	if (strcmp(g[0].name, "a"))
		g[0] = g[1];
	EXPECT_STREQ("a", g[0].name);
	EXPECT_EQ(3, g[0].member_count);
	EXPECT_EQ(1, g[0].local_member_count);
	free(g);
}

TEST_F(ops, node_set_id_names_local_members)
{
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_node_set_id(self->h, 11));
	EXPECT_EQ(1, count_of(self->h, "a", 11, getpid()));
	EXPECT_EQ(0, count_of(self->h, "a", 0, getpid()));
	/* This node's id is no remote node. */
	EXPECT_EQ(-EINVAL, pg2_remote_join(self->h, "a", 11, 5, 1, NULL, 0));
	EXPECT_EQ(-EINVAL, pg2_node_set_id(self->h, 0));
}

TEST_F(ops, remote_join_and_leave_count)
{
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 3, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 1, NULL, 0));
	EXPECT_EQ(4, count_of(self->h, "a", 5, 50));
	ASSERT_EQ(0, pg2_remote_leave(self->h, "a", 5, 50, 3));
	EXPECT_EQ(1, count_of(self->h, "a", 5, 50));
	ASSERT_EQ(0, pg2_remote_leave(self->h, "a", 5, 50, 1));
	EXPECT_EQ(0, members_seen(self->h, "a"));
	EXPECT_EQ(0, pg2_remote_leave(self->h, "a", 5, 50, 1));
}

TEST_F(ops, node_drop_drops_only_that_node)
{
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_create(self->h, "b"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "b", 5, 51, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "b", 6, 50, 1, NULL, 0));
	ASSERT_EQ(0, pg2_node_drop(self->h, 5));
	EXPECT_EQ(1, members_seen(self->h, "a"));
	EXPECT_EQ(1, count_of(self->h, "a", 0, getpid()));
	EXPECT_EQ(1, members_seen(self->h, "b"));
	EXPECT_EQ(1, count_of(self->h, "b", 6, 50));
}

TEST_F(ops, node_replace_is_the_snapshot)
{
	struct pg2_snapshot_entry snap[] = {
		{ .group = "a", .pid = 50, .count = 2, .data = "d", .data_len = 1 },
		{ .group = "new", .pid = 52, .count = 1 },
	};
	struct pg2_group_info info;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 51, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 6, 51, 1, NULL, 0));
	ASSERT_EQ(0, pg2_node_replace(self->h, 5, snap, 2));
	EXPECT_EQ(2, count_of(self->h, "a", 5, 50));
	EXPECT_EQ(0, count_of(self->h, "a", 5, 51));
	EXPECT_EQ(1, count_of(self->h, "a", 6, 51));
	EXPECT_EQ(1, count_of(self->h, "new", 5, 52));
	ASSERT_EQ(0, pg2_group_info(self->h, "new", &info));
	EXPECT_EQ(0, info.creator_uid);
	ASSERT_EQ(0, pg2_node_replace(self->h, 5, NULL, 0));
	EXPECT_EQ(1, members_seen(self->h, "a"));
	EXPECT_EQ(0, members_seen(self->h, "new"));
}

/* PG2_CMD_SNAPSHOT_GET: every group, and only this node's members. */
TEST_F(ops, snapshot_get_has_only_local_members)
{
	const struct nlattr *tb[PG2_A_MAX + 1];
	const struct nlmsghdr *h;
	struct rawnl_dump d;
	struct pg2_table *t;
	struct rawnl nl;
	int groups = 0, members = 0;
	size_t off;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_create(self->h, "empty"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 50, 1, NULL, 0));
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	EXPECT_EQ(generation(self->h), t->generation);
	EXPECT_EQ(2, t->n_groups);
	EXPECT_EQ(2, t->n_members);
	pg2_table_free(t);
	ASSERT_EQ(0, pg2_table_get(self->h, true, &t));
	EXPECT_EQ(2, t->n_groups);
	ASSERT_EQ(1, t->n_members);
	EXPECT_EQ(getpid(), t->members[0].member.pid);
	EXPECT_STREQ("a", t->groups[t->members[0].group].name);
	pg2_table_free(t);

	/* On the wire: a header, then group and local member records. */
	ASSERT_EQ(0, pg2_node_set_id(self->h, 3));
	ASSERT_EQ(0, rawnl_open(&nl));
	ASSERT_EQ(0, rawnl_dump_cmd(&nl, PG2_CMD_SNAPSHOT_GET, &d));
	for (off = 0; off < d.len; off += NLMSG_ALIGN(h->nlmsg_len)) {
		h = (const struct nlmsghdr *)(d.buf + off);
		ASSERT_EQ(0, rawnl_parse(h, tb, PG2_A_MAX));
		if (!off) {
			EXPECT_EQ(PG2_CMD_GENERATION, rawnl_cmd(h));
			continue;
		}
		groups += rawnl_cmd(h) == PG2_CMD_GROUP_GET;
		if (rawnl_cmd(h) == PG2_CMD_MEMBER_GET) {
			members++;
			EXPECT_EQ(3, rawnl_u32(tb[PG2_A_NODE_ID]));
			EXPECT_EQ((uint32_t)getpid(), rawnl_u32(tb[PG2_A_PID]));
		}
	}
	EXPECT_EQ(2, groups);
	EXPECT_EQ(1, members);
	rawnl_dump_free(&d);
	rawnl_close(&nl);
}

/* Large groups span many dump messages; every member arrives once. */
TEST_F_TIMEOUT(ops, large_group_dump, 120)
{
	enum { N = 3000 };
	static unsigned char seen[N];
	struct pg2_member *m;
	size_t n, i;

	ASSERT_EQ(0, pg2_create(self->h, "big"));
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, pg2_remote_join(self->h, "big", 9, i + 1, 1,
					     "0123456789abcdef", 16));
	ASSERT_EQ(0, pg2_get_members(self->h, "big", &m, &n));
	ASSERT_EQ(N, n);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(9, m[i].node_id);
		ASSERT_LT(0, m[i].pid);
		ASSERT_GE(N, m[i].pid);
		ASSERT_EQ(0, seen[m[i].pid - 1]++);
	}
	free(m);
}

TEST_HARNESS_MAIN
