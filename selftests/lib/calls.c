// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl: every call, its results and its exact errnos.  Each test runs
 * in a network namespace of its own, so it sees a fresh table.
 */
#include <limits.h>
#include <sys/socket.h>
#include <sys/types.h>
#include "lib_test.h"
#include "kselftest_harness.h"

FIXTURE(calls) {
	struct pg2_handle *h;
	const char *param;	/* a module parameter to restore */
	long old_value;
};

FIXTURE_SETUP(calls)
{
	self->param = NULL;
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1)) TH_LOG("%s", pg2_errmsg(NULL));
	ASSERT_EQ(0, pg2_create(self->h, "g"));
}

FIXTURE_TEARDOWN(calls)
{
	if (self->param)
		module_param_set(self->param, self->old_value);
	pg2_close(self->h);
}

static void limit(FIXTURE_DATA(calls) *self, const char *param, long value)
{
	self->old_value = module_param_set(param, value);
	if (self->old_value >= 0)
		self->param = param;
}

TEST_F(calls, create_is_idempotent)
{
	struct pg2_group_info *groups, info;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_create(self->h, "empty"));
	ASSERT_EQ(0, pg2_which_groups(self->h, &groups, &n));
	ASSERT_EQ(2, n);
	EXPECT_EQ(0, strcmp(groups[0].name, "g") && strcmp(groups[1].name, "g"));
	EXPECT_EQ(0, strcmp(groups[0].name, "empty") &&
		     strcmp(groups[1].name, "empty"));
	free(groups);
	ASSERT_EQ(0, pg2_group_info(self->h, "g", &info));
	EXPECT_STREQ("g", info.name);
	EXPECT_EQ(getuid(), info.creator_uid);
	EXPECT_EQ(0, info.member_count);
	EXPECT_EQ(0, info.local_member_count);
}

TEST_F(calls, delete_drops_group_and_absent_is_ok)
{
	struct pg2_group_info info;

	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_delete(self->h, "g"));
	EXPECT_EQ(-ENOENT, pg2_group_info(self->h, "g", &info));
	EXPECT_EQ(0, pg2_delete(self->h, "g"));
	EXPECT_EQ(0, pg2_delete(self->h, "never"));
}

TEST_F(calls, missing_group_is_enoent_with_message)
{
	struct pg2_member *members, member;
	struct pg2_group_info info;
	size_t n;

	/*
	 * The same message whatever the request: the attribute apart, which
	 * a dump's error (in NLMSG_DONE or the ACK) does not point at.
	 */
	EXPECT_EQ(-ENOENT, pg2_join(self->h, "nope", 0, NULL, 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-ENOENT, pg2_leave(self->h, "nope", 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-ENOENT, pg2_get_members(self->h, "nope", &members, &n));
	EXPECT_EQ(NULL, members);
	EXPECT_EQ(0, n);
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, NULL);
	EXPECT_EQ(-ENOENT, pg2_get_local_members(self->h, "nope", &members,
						 &n));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, NULL);
	EXPECT_EQ(-ENOENT, pg2_get_members_per_join(self->h, "nope", &members,
						    &n));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, NULL);
	EXPECT_EQ(-ENOENT, pg2_get_closest_pid(self->h, "nope", &member));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-ENOENT, pg2_group_info(self->h, "nope", &info));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-ENOENT, pg2_remote_join(self->h, "nope", 7, 100, 1,
					   NULL, 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-ENOENT, pg2_remote_leave(self->h, "nope", 7, 100, 1));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_NO_GROUP, "PG2_A_GROUP_NAME");
	/* A failure of the library's own names no attribute. */
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "nope", -1, NULL, 0));
	EXPECT_FAILED_WITH(self->h, "pid -1 is negative", NULL);
	EXPECT_EQ(NULL, pg2_errattr(NULL));
}

TEST_F(calls, no_such_process_is_esrch_not_enoent)
{
	pid_t gone = dead_pid();

	EXPECT_EQ(-ESRCH, pg2_join(self->h, "g", gone, NULL, 0));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_NO_PROCESS);
	/* Leaving for a process that does not exist is not an error. */
	EXPECT_EQ(0, pg2_leave(self->h, "g", gone));
}

/* The library's own answer: nothing is sent, nothing changes. */
TEST_F(calls, negative_pid_is_einval_from_the_library)
{
	uint64_t before, after;

	ASSERT_EQ(0, pg2_generation(self->h, &before));
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "g", -5, NULL, 0));
	EXPECT_STREQ("pid -5 is negative", pg2_errmsg(self->h));
	EXPECT_EQ(-EINVAL, pg2_leave(self->h, "g", -1));
	EXPECT_STREQ("pid -1 is negative", pg2_errmsg(self->h));
	/* Even for a missing group: the kernel is not asked. */
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "nope", -1, NULL, 0));
	ASSERT_EQ(0, pg2_generation(self->h, &after));
	EXPECT_EQ(before, after);
}

TEST_F(calls, closest_empty_is_esrch_missing_is_enoent)
{
	struct pg2_member m;

	EXPECT_EQ(-ESRCH, pg2_get_closest_pid(self->h, "g", &m));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_EMPTY_GROUP);
	EXPECT_EQ(-ENOENT, pg2_get_closest_pid(self->h, "nope", &m));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_NO_GROUP);
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_closest_pid(self->h, "g", &m));
	EXPECT_EQ(getpid(), m.pid);
	EXPECT_EQ(1, m.count);
}

TEST_F(calls, join_counts_and_per_join_listing)
{
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(getpid(), members[0].pid);
	EXPECT_EQ(0, members[0].node_id);
	EXPECT_EQ(2, members[0].count);
	free(members);
	ASSERT_EQ(0, pg2_get_members_per_join(self->h, "g", &members, &n));
	ASSERT_EQ(2, n);
	EXPECT_EQ(getpid(), members[0].pid);
	EXPECT_EQ(getpid(), members[1].pid);
	free(members);
	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(1, members[0].count);
	free(members);
	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(NULL, members);
	EXPECT_EQ(0, pg2_leave(self->h, "g", 0));
}

TEST_F(calls, last_join_with_data_sets_it)
{
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, pg2_join(self->h, "g", 0, "first", 5));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(5, members[0].data_len);
	EXPECT_EQ(0, memcmp(members[0].data, "first", 5));
	free(members);
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, "second!", 7));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	ASSERT_EQ(7, members[0].data_len);
	EXPECT_EQ(0, memcmp(members[0].data, "second!", 7));
	EXPECT_EQ(3, members[0].count);
	free(members);
}

TEST_F(calls, other_process_joins_and_leaves_by_exit)
{
	struct pg2_member *members;
	int release;
	pid_t child = sleeper(&release);
	size_t n;

	ASSERT_LT(0, child);
	ASSERT_EQ(0, pg2_join(self->h, "g", child, "c", 1));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(child, members[0].pid);
	free(members);
	close(release);
	ASSERT_EQ(child, waitpid(child, NULL, 0));
	/* Gone before wait() returned. */
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	EXPECT_EQ(0, n);
	free(members);
}

TEST_F(calls, local_and_remote_members)
{
	struct pg2_member *members, m;
	struct pg2_group_info info;
	size_t n;

	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 7, 1234, 2, "r", 1));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(2, n);
	ASSERT_NE(NULL, find_member(members, n, 0, getpid()));
	ASSERT_NE(NULL, find_member(members, n, 7, 1234));
	EXPECT_EQ(2, find_member(members, n, 7, 1234)->count);
	EXPECT_EQ(1, find_member(members, n, 7, 1234)->data_len);
	free(members);
	ASSERT_EQ(0, pg2_get_local_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(getpid(), members[0].pid);
	free(members);
	ASSERT_EQ(0, pg2_group_info(self->h, "g", &info));
	EXPECT_EQ(2, info.member_count);
	EXPECT_EQ(1, info.local_member_count);
	/* Local first; with no local member, the remote one. */
	ASSERT_EQ(0, pg2_get_closest_pid(self->h, "g", &m));
	EXPECT_EQ(getpid(), m.pid);
	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_get_closest_pid(self->h, "g", &m));
	EXPECT_EQ(7, m.node_id);
	EXPECT_EQ(1234, m.pid);
	ASSERT_EQ(0, pg2_remote_leave(self->h, "g", 7, 1234, 1));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(1, members[0].count);
	free(members);
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 8, 99, 0, NULL, 0));
	ASSERT_EQ(0, pg2_node_drop(self->h, 7));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(8, members[0].node_id);
	EXPECT_EQ(1, members[0].count);
	free(members);
}

TEST_F(calls, node_id_labels_local_members)
{
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_node_set_id(self->h, 5));
	ASSERT_EQ(0, pg2_get_local_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(5, members[0].node_id);
	free(members);
	EXPECT_EQ(-EINVAL, pg2_node_set_id(self->h, 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_ZERO, "PG2_A_NODE_ID");
}

TEST_F(calls, node_replace_swaps_a_nodes_members)
{
	const struct pg2_snapshot_entry first[] = {
		{ .group = "g", .pid = 10, .count = 2 },
		{ .group = "g", .pid = 11, .count = 1, .data = "d", .data_len = 1 },
		{ .group = "made", .pid = 10, .count = 3 },
	};
	const struct pg2_snapshot_entry second[] = {
		{ .group = "g", .pid = 11, .count = 4 },
	};
	struct pg2_group_info info;
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, pg2_node_replace(self->h, 9, first, 3));
	ASSERT_EQ(0, pg2_group_info(self->h, "made", &info));
	EXPECT_EQ(0, info.creator_uid);
	EXPECT_EQ(1, info.member_count);
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(2, n);
	EXPECT_EQ(2, find_member(members, n, 9, 10)->count);
	free(members);
	ASSERT_EQ(0, pg2_node_replace(self->h, 9, second, 1));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(1, n);
	EXPECT_EQ(11, members[0].pid);
	EXPECT_EQ(4, members[0].count);
	free(members);
	ASSERT_EQ(0, pg2_get_members(self->h, "made", &members, &n));
	EXPECT_EQ(0, n);
	free(members);
	ASSERT_EQ(0, pg2_node_replace(self->h, 9, NULL, 0));
	ASSERT_EQ(0, pg2_group_info(self->h, "g", &info));
	EXPECT_EQ(0, info.member_count);
}

/* An entry names a member's whole state: no data is no data. */
TEST_F(calls, node_replace_entry_says_all_last_one_wins)
{
	const struct pg2_snapshot_entry first[] = {
		{ .group = "g", .pid = 10, .count = 2, .data = "d", .data_len = 1 },
	};
	const struct pg2_snapshot_entry second[] = {
		{ .group = "g", .pid = 10, .count = 3 },
		{ .group = "g", .pid = 11, .count = 1, .data = "x", .data_len = 1 },
		{ .group = "g", .pid = 11, .count = 4, .data = "y", .data_len = 1 },
	};
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, pg2_node_replace(self->h, 9, first, 1));
	ASSERT_EQ(0, pg2_node_replace(self->h, 9, second, 3));
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(2, n);
	EXPECT_EQ(3, find_member(members, n, 9, 10)->count);
	EXPECT_EQ(0, find_member(members, n, 9, 10)->data_len);
	EXPECT_EQ(4, find_member(members, n, 9, 11)->count);
	EXPECT_EQ('y', find_member(members, n, 9, 11)->data[0]);
	free(members);
}

#define SNAPSHOT_ENTRIES 20000

/* Entry i of the big snapshot: two groups, counts 1-5, data on a third. */
static void big_entry(size_t i, struct pg2_snapshot_entry *entry)
{
	static uint8_t pool[128 + PG2_DATA_MAX];
	size_t k;

	for (k = 0; !pool[1] && k < sizeof(pool); k++)
		pool[k] = k * 7 + 1;
	*entry = (struct pg2_snapshot_entry) {
		.group = i % 2 ? "odd" : "even-members-under-a-longer-name",
		.pid = i + 1,
		.count = i % 5 + 1,
	};
	if (i % 3 == 0) {
		entry->data = pool + i % 128;
		entry->data_len = 100 + i % 150;
	}
}

/* Far past one 64 KiB nest: the library splits it, the kernel joins it. */
TEST_F_TIMEOUT(calls, node_replace_of_20000_entries, 120)
{
	static const char *const groups[] = {
		"odd", "even-members-under-a-longer-name",
	};
	struct pg2_snapshot_entry *entries, want;
	struct pg2_member *members;
	size_t i, g, n, total = 0;

	entries = calloc(SNAPSHOT_ENTRIES, sizeof(*entries));
	ASSERT_NE(NULL, entries);
	for (i = 0; i < SNAPSHOT_ENTRIES; i++)
		big_entry(i, &entries[i]);
	ASSERT_EQ(0, pg2_node_replace(self->h, 9, entries, SNAPSHOT_ENTRIES))
		TH_LOG("%s", pg2_errmsg(self->h));
	free(entries);
	for (g = 0; g < 2; g++) {
		ASSERT_EQ(0, pg2_get_members(self->h, groups[g], &members, &n));
		EXPECT_EQ(SNAPSHOT_ENTRIES / 2, n);
		for (i = 0; i < n; i++) {
			ASSERT_LT(0, members[i].pid);
			big_entry(members[i].pid - 1, &want);
			ASSERT_STREQ(groups[g], want.group);
			EXPECT_EQ(9, members[i].node_id);
			EXPECT_EQ(want.count, members[i].count);
			ASSERT_EQ(want.data_len, members[i].data_len);
			EXPECT_EQ(0, memcmp(want.data, members[i].data,
					    want.data_len));
		}
		total += n;
		free(members);
	}
	EXPECT_EQ(SNAPSHOT_ENTRIES, total);
}

/* The largest send buffer SO_SNDBUF gives: twice net.core.wmem_max. */
static long largest_sndbuf(void)
{
	int fd = socket(AF_UNIX, SOCK_DGRAM, 0), size = INT_MAX;
	socklen_t len = sizeof(size);

	if (fd < 0)
		return -1;
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size)) ||
	    getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, &len))
		size = -1;
	close(fd);
	return size;
}

/*
 * A relay in a user namespace (CAP_NET_ADMIN there, not SO_SNDBUFFORCE's
 * CAP_NET_ADMIN in the initial one) cannot raise its send buffer past
 * net.core.wmem_max: a larger snapshot is -EMSGSIZE, saying why.
 */
TEST_F(calls, node_replace_beyond_the_send_buffer_is_emsgsize)
{
	long max = largest_sndbuf();
	int status;
	pid_t pid;

	ASSERT_LT(0, max);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* 232 bytes per entry: name, pid, count, 200 bytes of data. */
		size_t n = (max + (64 << 10)) / 232 + 1, i;
		struct pg2_snapshot_entry *entries = calloc(n, sizeof(*entries));
		static const char data[200];
		struct pg2_handle *h;
		uint64_t before, after;
		int fails = 0, err;

		if (!entries || unshare(CLONE_NEWUSER | CLONE_NEWNET) ||
		    pg2_open(&h, -1))
			_exit(100);
		for (i = 0; i < n; i++)
			entries[i] = (struct pg2_snapshot_entry) {
				.group = "g", .pid = i + 1, .count = 1,
				.data = data, .data_len = sizeof(data),
			};
		/* The relay's calls work here. */
		fails += pg2_node_replace(h, 9, entries, 10) != 0;
		fails += pg2_generation(h, &before) != 0;
		err = pg2_node_replace(h, 9, entries, n);
		if (err != -EMSGSIZE ||
		    !strstr(pg2_errmsg(h), "exceeds the send buffer")) {
			fprintf(stderr, "# %zu entries: %d %s\n", n, err,
				pg2_errmsg(h));
			fails++;
		}
		fails += pg2_generation(h, &after) != 0 || after != before;
		pg2_close(h);
		free(entries);
		_exit(fails);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(calls, generation_counts_changes_only)
{
	struct pg2_member *members;
	uint64_t g0, g1;
	size_t n;

	ASSERT_EQ(0, pg2_generation(self->h, &g0));
	/* Fresh netns: 1 at the start, then our create of "g". */
	EXPECT_EQ(2, g0);
	ASSERT_EQ(0, pg2_get_members(self->h, "g", &members, &n));
	ASSERT_EQ(0, pg2_generation(self->h, &g1));
	EXPECT_EQ(g0, g1);
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_generation(self->h, &g1));
	EXPECT_EQ(g0 + 2, g1);
	/* A rejected request changes nothing. */
	EXPECT_EQ(-ENOENT, pg2_join(self->h, "nope", 0, NULL, 0));
	ASSERT_EQ(0, pg2_generation(self->h, &g0));
	EXPECT_EQ(g1, g0);
}

/* The _at listings give the generation of the table they are. */
TEST_F(calls, listings_at_their_generation)
{
	struct pg2_group_info *groups;
	struct pg2_member *members;
	uint64_t now, at;
	size_t n;

	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 4, 40, 1, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_generation(self->h, &now));
	ASSERT_EQ(0, pg2_get_members_at(self->h, "g", false, &members, &n,
					&at));
	EXPECT_EQ(now, at);
	EXPECT_EQ(2, n);
	free(members);
	ASSERT_EQ(0, pg2_get_members_at(self->h, "g", true, &members, &n,
					&at));
	EXPECT_EQ(now, at);
	ASSERT_EQ(1, n);
	EXPECT_EQ(getpid(), members[0].pid);
	free(members);
	ASSERT_EQ(0, pg2_leave(self->h, "g", 0));
	ASSERT_EQ(0, pg2_which_groups_at(self->h, &groups, &n, &at));
	EXPECT_EQ(now + 1, at);
	ASSERT_EQ(1, n);
	EXPECT_EQ(1, groups[0].member_count);
	free(groups);
	/* No generation wanted: NULL. */
	ASSERT_EQ(0, pg2_get_members_at(self->h, "g", false, &members, &n,
					NULL));
	EXPECT_EQ(1, n);
	free(members);
	ASSERT_EQ(0, pg2_which_groups_at(self->h, &groups, &n, NULL));
	free(groups);
	/* A failed listing: no array, generation 0. */
	EXPECT_EQ(-ENOENT, pg2_get_members_at(self->h, "nope", false,
					      &members, &n, &at));
	EXPECT_EQ(NULL, members);
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, at);
}

/*
 * The orders libpg2nl(3) states: groups as they were created, members as
 * they first joined (one that left for good and joins again is last).
 */
TEST_F(calls, listings_in_creation_and_join_order)
{
	const char *names[] = { "g", "zz", "a", "m" };
	struct pg2_group_info *groups;
	struct pg2_member *members;
	struct pg2_table *t;
	size_t n, i;

	for (i = 1; i < 4; i++)
		ASSERT_EQ(0, pg2_create(self->h, names[i]));
	ASSERT_EQ(0, pg2_which_groups(self->h, &groups, &n));
	ASSERT_EQ(4, n);
	for (i = 0; i < 4; i++)
		EXPECT_STREQ(names[i], groups[i].name);
	free(groups);
	ASSERT_EQ(0, pg2_remote_join(self->h, "m", 1, 30, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "m", 1, 10, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "m", 1, 20, 1, NULL, 0));
	/* A join of a member keeps its place; a leave to 0 loses it. */
	ASSERT_EQ(0, pg2_remote_join(self->h, "m", 1, 30, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_leave(self->h, "m", 1, 10, 1));
	ASSERT_EQ(0, pg2_remote_join(self->h, "m", 1, 10, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 1, 5, 1, NULL, 0));
	ASSERT_EQ(0, pg2_get_members(self->h, "m", &members, &n));
	ASSERT_EQ(3, n);
	EXPECT_EQ(30, members[0].pid);
	EXPECT_EQ(2, members[0].count);
	EXPECT_EQ(20, members[1].pid);
	EXPECT_EQ(10, members[2].pid);
	free(members);
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	ASSERT_EQ(4, t->n_groups);
	for (i = 0; i < 4; i++)
		EXPECT_STREQ(names[i], t->groups[i].name);
	ASSERT_EQ(4, t->n_members);
	EXPECT_STREQ("a", t->groups[t->members[0].group].name);
	EXPECT_EQ(5, t->members[0].member.pid);
	EXPECT_EQ(30, t->members[1].member.pid);
	EXPECT_EQ(20, t->members[2].member.pid);
	EXPECT_EQ(10, t->members[3].member.pid);
	pg2_table_free(t);
}

TEST_F(calls, table_lists_groups_with_their_members)
{
	struct pg2_table *t;
	uint64_t gen;
	size_t i;

	ASSERT_EQ(0, pg2_create(self->h, "h"));
	ASSERT_EQ(0, pg2_join(self->h, "h", 0, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "h", 3, 30, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 3, 31, 1, NULL, 0));
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	ASSERT_EQ(2, t->n_groups);
	ASSERT_EQ(3, t->n_members);
	for (i = 0; i < t->n_members; i++) {
		const char *name = t->groups[t->members[i].group].name;

		EXPECT_STREQ(t->members[i].member.pid == 31 ? "g" : "h", name);
	}
	ASSERT_EQ(0, pg2_generation(self->h, &gen));
	EXPECT_EQ(gen, t->generation);
	pg2_table_free(t);
	ASSERT_EQ(0, pg2_table_get(self->h, true, &t));
	ASSERT_EQ(2, t->n_groups);
	ASSERT_EQ(1, t->n_members);
	EXPECT_EQ(getpid(), t->members[0].member.pid);
	pg2_table_free(t);
}

TEST_F(calls, bad_input_is_einval_naming_the_attribute)
{
	char name[PG2_NAME_MAX + 2];
	char data[PG2_DATA_MAX + 1] = {};
	uint64_t before, after;

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ASSERT_EQ(0, pg2_generation(self->h, &before));
	EXPECT_EQ(-EINVAL, pg2_create(self->h, name));
	/* The kernel's message, and the attribute it points at. */
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_create(self->h, ""));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "g", 0, data, sizeof(data)));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_LONG_DATA, "PG2_A_DATA");
	EXPECT_EQ(-EINVAL, pg2_join(self->h, NULL, 0, NULL, 0));
	EXPECT_FAILED_WITH(self->h, "no group name given", NULL);
	ASSERT_EQ(0, pg2_generation(self->h, &after));
	EXPECT_EQ(before, after);
}

/*
 * Past the one page libnl gives a message by default: the request still
 * carries it all, and the kernel, not the library, says what is wrong.
 */
#define LONG_DATA_LEN	5000
#define LONG_NAME_LEN	5999

TEST_F(calls, long_input_is_the_kernels_einval)
{
	static const char data[LONG_DATA_LEN];
	char name[LONG_NAME_LEN + 1];
	struct pg2_member *members, member;
	struct pg2_group_info info;
	struct pg2_table *t;
	uint64_t before;
	size_t n;

	memset(name, 'x', LONG_NAME_LEN);
	name[LONG_NAME_LEN] = '\0';
	ASSERT_EQ(0, pg2_generation(self->h, &before));
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "g", 0, data, sizeof(data)));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_LONG_DATA, "PG2_A_DATA");
	EXPECT_EQ(-EINVAL, pg2_remote_join(self->h, "g", 7, 70, 1, data,
					   sizeof(data)));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_LONG_DATA, "PG2_A_DATA");
	EXPECT_EQ(-EINVAL, pg2_create(self->h, name));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_join(self->h, name, 0, NULL, 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	/* Every other request that names a group sizes for it too. */
	EXPECT_EQ(-EINVAL, pg2_join(self->h, name, 0, data, sizeof(data)));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_BAD_NAME);
	EXPECT_EQ(-EINVAL, pg2_delete(self->h, name));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_leave(self->h, name, 0));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_get_closest_pid(self->h, name, &member));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_group_info(self->h, name, &info));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	EXPECT_EQ(-EINVAL, pg2_get_local_members(self->h, name, &members, &n));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_BAD_NAME);
	EXPECT_EQ(-EINVAL, pg2_remote_join(self->h, name, 7, 70, 1, data,
					   sizeof(data)));
	EXPECT_KERNEL_SAID(self->h, PG2_MSG_BAD_NAME);
	EXPECT_EQ(-EINVAL, pg2_remote_leave(self->h, name, 7, 70, 1));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	/* Nothing changed: "g" alone, empty, at the same generation. */
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	EXPECT_EQ(before, t->generation);
	ASSERT_EQ(1, t->n_groups);
	EXPECT_STREQ("g", t->groups[0].name);
	EXPECT_EQ(0, t->n_members);
	pg2_table_free(t);
}

/* An attribute's 16-bit length counts its 4-byte header. */
#define ATTR_PAYLOAD_MAX	(65535 - 4)

/*
 * The longest name and data an attribute carries still reach the kernel;
 * a byte more cannot be sent at all, and the library says so.
 */
TEST_F(calls, past_an_attribute_is_emsgsize)
{
	static char data[ATTR_PAYLOAD_MAX + 1];
	static char name[ATTR_PAYLOAD_MAX + 1];
	uint64_t before, after;

	memset(name, 'x', ATTR_PAYLOAD_MAX);
	ASSERT_EQ(0, pg2_generation(self->h, &before));
	EXPECT_EQ(-EINVAL, pg2_join(self->h, "g", 0, data, ATTR_PAYLOAD_MAX));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_LONG_DATA, "PG2_A_DATA");
	EXPECT_EQ(-EMSGSIZE, pg2_join(self->h, "g", 0, data, sizeof(data)));
	EXPECT_FAILED_WITH(self->h, "request does not fit in one netlink message",
			   NULL);
	/* With its NUL, the longest name fills the attribute. */
	name[ATTR_PAYLOAD_MAX - 1] = '\0';
	EXPECT_EQ(-EINVAL, pg2_create(self->h, name));
	EXPECT_FAILED_WITH(self->h, PG2_MSG_BAD_NAME, "PG2_A_GROUP_NAME");
	name[ATTR_PAYLOAD_MAX - 1] = 'x';
	EXPECT_EQ(-EMSGSIZE, pg2_create(self->h, name));
	EXPECT_FAILED_WITH(self->h, "request does not fit in one netlink message",
			   NULL);
	ASSERT_EQ(0, pg2_generation(self->h, &after));
	EXPECT_EQ(before, after);
}

TEST_F(calls, unprivileged_is_eperm)
{
	pid_t pid = fork();
	int status;

	ASSERT_LE(0, pid);
	if (!pid) {
		struct pg2_handle *h;
		int ok;

		/* The handle keeps its netns; the uid drop takes all caps. */
		if (setresuid(65534, 65534, 65534) || pg2_open(&h, -1))
			_exit(2);
		ok = fails_saying(h, pg2_delete(h, "g"), -EPERM,
				  PG2_MSG_DELETE_EPERM) &&
		     fails_saying(h, pg2_join(h, "g", getppid(), NULL, 0),
				  -EPERM, PG2_MSG_SIGNAL_EPERM) &&
		     fails_saying(h, pg2_node_set_id(h, 3), -EPERM,
				  PG2_MSG_RELAY_EPERM) &&
		     fails_saying(h, pg2_remote_join(h, "g", 3, 1, 1, NULL, 0),
				  -EPERM, PG2_MSG_RELAY_EPERM) &&
		     pg2_join(h, "g", 0, NULL, 0) == 0;
		pg2_close(h);
		_exit(ok ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* Runs check(handle) as uid 65534 with no capabilities; its verdict. */
static bool unprivileged(bool (*check)(struct pg2_handle *h))
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		struct pg2_handle *h;
		bool ok;

		if (setresuid(65534, 65534, 65534) || pg2_open(&h, -1))
			_exit(2);
		ok = check(h);
		pg2_close(h);
		_exit(ok ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static bool create_is_enospc(struct pg2_handle *h)
{
	return fails_saying(h, pg2_create(h, "h"), -ENOSPC, PG2_MSG_MAX_GROUPS) &&
	       pg2_create(h, "g") == 0;
}

/* Limits bind unprivileged users (root and the relay are exempt). */
TEST_F(calls, groups_limit_is_enospc)
{
	limit(self, "max_groups", 1);
	ASSERT_NE(NULL, self->param);
	EXPECT_TRUE(unprivileged(create_is_enospc));
}

static bool second_join_is_edquot(struct pg2_handle *h)
{
	return pg2_join(h, "g", 0, NULL, 0) == 0 &&
	       fails_saying(h, pg2_join(h, "h", 0, NULL, 0), -EDQUOT,
			    PG2_MSG_QUOTA);
}

TEST_F(calls, memberships_limit_is_edquot)
{
	ASSERT_EQ(0, pg2_create(self->h, "h"));
	limit(self, "max_memberships_per_uid", 1);
	ASSERT_NE(NULL, self->param);
	EXPECT_TRUE(unprivileged(second_join_is_edquot));
}

static bool second_member_is_enospc(struct pg2_handle *h)
{
	return fails_saying(h, pg2_join(h, "g", 0, NULL, 0), -ENOSPC,
			    PG2_MSG_GROUP_FULL);
}

TEST_F(calls, members_limit_is_enospc)
{
	/* Root is exempt: its member fills the group of one. */
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	limit(self, "max_members_per_group", 1);
	ASSERT_NE(NULL, self->param);
	EXPECT_TRUE(unprivileged(second_member_is_enospc));
}

static bool create_is_eperm(struct pg2_handle *h)
{
	/* Even a group that exists: the check comes first. */
	return fails_saying(h, pg2_create(h, "new"), -EPERM,
			    PG2_MSG_CREATE_EPERM) &&
	       fails_saying(h, pg2_create(h, "g"), -EPERM, PG2_MSG_CREATE_EPERM);
}

TEST_F(calls, create_needs_admin_is_eperm)
{
	limit(self, "create_needs_admin", 1);
	ASSERT_NE(NULL, self->param);
	EXPECT_TRUE(unprivileged(create_is_eperm));
	/* Root still may. */
	EXPECT_EQ(0, pg2_create(self->h, "by_root"));
}

/* The test process (root) is the parent: another user's process. */
static bool leaving_for_root_is_eperm(struct pg2_handle *h)
{
	return fails_saying(h, pg2_leave(h, "g", getppid()), -EPERM,
			    PG2_MSG_SIGNAL_EPERM) &&
	       pg2_leave(h, "g", 0) == 0;
}

TEST_F(calls, leaving_another_users_process_is_eperm)
{
	struct pg2_group_info info;

	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	EXPECT_TRUE(unprivileged(leaving_for_root_is_eperm));
	ASSERT_EQ(0, pg2_group_info(self->h, "g", &info));
	EXPECT_EQ(1, info.member_count);
}

/* PG2_CMD_SNAPSHOT_GET, the local members, is the relay's. */
static bool snapshot_is_eperm(struct pg2_handle *h)
{
	struct pg2_table *table = (struct pg2_table *)1;

	return fails_saying(h, pg2_table_get(h, true, &table), -EPERM,
			    PG2_MSG_RELAY_EPERM) &&
	       !table &&
	       pg2_table_get(h, false, &table) == 0 &&
	       (pg2_table_free(table), true);
}

TEST_F(calls, local_table_is_the_relays)
{
	EXPECT_TRUE(unprivileged(snapshot_is_eperm));
}

TEST_HARNESS_MAIN
