// SPDX-License-Identifier: GPL-2.0
/*
 * The module parameters that cap an unprivileged user: groups per netns,
 * members per group, memberships per uid.  Each test lowers one cap, hits
 * it from an unprivileged process, and restores it.
 */
#include "pg2_test.h"
#include <kselftest_harness.h>

static const char *const params[] = {
	"max_groups", "max_members_per_group", "max_memberships_per_uid",
};

enum { MAX_GROUPS, MAX_MEMBERS, MAX_MEMBERSHIPS, N_PARAMS };

FIXTURE(lim) {
	struct pg2_handle *root;
	long saved[N_PARAMS];
	pid_t root_member;
};

FIXTURE_SETUP(lim)
{
	int i;

	for (i = 0; i < N_PARAMS; i++)
		self->saved[i] = -1;
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->root, -1));
	self->root_member = child_start(NULL, NULL, NULL);
	ASSERT_LT(0, self->root_member);
}

FIXTURE_TEARDOWN(lim)
{
	int i;

	for (i = 0; i < N_PARAMS; i++)
		if (self->saved[i] >= 0)
			module_param_set(params[i], self->saved[i]);
	child_kill(self->root_member);
	pg2_close(self->root);
}

static long lower(FIXTURE_DATA(lim) *self, int param, long value)
{
	long old = module_param_set(params[param], value);

	if (old >= 0)
		self->saved[param] = old;
	return old;
}

static struct pg2_handle *open_or_die(void)
{
	struct pg2_handle *h;

	CHILD_CHECK(!pg2_open(&h, -1));
	return h;
}

static void fill_groups(void *arg)
{
	struct pg2_handle *h = open_or_die();
	uint64_t gen;

	(void)arg;
	CHILD_CHECK(!pg2_create(h, "a"));
	CHILD_CHECK(!pg2_create(h, "b"));
	gen = generation(h);
	CHILD_CHECK(pg2_create(h, "c") == -ENOSPC);
	CHILD_CHECK(kernel_explained(h, -ENOSPC));
	CHILD_CHECK(members_seen(h, "c") == -ENOENT);
	CHILD_CHECK(generation(h) == gen);
	/* An existing group is no new group. */
	CHILD_CHECK(!pg2_create(h, "a"));
	pg2_close(h);
}

static void create_c(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(!pg2_create(h, "c"));
	pg2_close(h);
}

TEST_F(lim, groups_per_netns)
{
	ASSERT_EQ(0, pg2_create(self->root, "by_root"));
	ASSERT_LE(0, lower(self, MAX_GROUPS, 3));
	EXPECT_EQ(0, run_as(UNPRIV_UID, fill_groups, NULL));
	ASSERT_EQ(0, pg2_delete(self->root, "a"));
	EXPECT_EQ(0, run_as(UNPRIV_UID, create_c, NULL));
	/* The cap is per netns: a fresh one has room for three again. */
	ASSERT_EQ(0, enter_new_netns());
	pg2_close(self->root);
	ASSERT_EQ(0, pg2_open(&self->root, -1));
	ASSERT_EQ(0, pg2_create(self->root, "by_root"));
	EXPECT_EQ(0, run_as(UNPRIV_UID, fill_groups, NULL));
}

struct members_case {
	pid_t same_uid_process;
};

static void fill_group(void *arg)
{
	const struct members_case *c = arg;
	struct pg2_handle *h = open_or_die();

	CHILD_CHECK(!pg2_join(h, "g", 0, NULL, 0));
	CHILD_CHECK(pg2_join(h, "g", c->same_uid_process, NULL, 0) == -ENOSPC);
	CHILD_CHECK(kernel_explained(h, -ENOSPC));
	CHILD_CHECK(count_of(h, "g", 0, c->same_uid_process) == 0);
	/* Joining again adds no member. */
	CHILD_CHECK(!pg2_join(h, "g", 0, NULL, 0));
	CHILD_CHECK(count_of(h, "g", 0, getpid()) == 2);
	CHILD_CHECK(members_seen(h, "g") == 2);
	pg2_close(h);
}

static int become_unpriv(void *arg)
{
	(void)arg;
	return become(UNPRIV_UID);
}

TEST_F(lim, members_per_group)
{
	struct members_case c;
	int res;

	c.same_uid_process = child_start(become_unpriv, NULL, &res);
	ASSERT_LT(0, c.same_uid_process);
	ASSERT_EQ(0, res);
	ASSERT_EQ(0, pg2_create(self->root, "g"));
	ASSERT_EQ(0, pg2_join(self->root, "g", self->root_member, NULL, 0));
	ASSERT_LE(0, lower(self, MAX_MEMBERS, 2));
	EXPECT_EQ(0, run_as(UNPRIV_UID, fill_group, &c));
	/* The member that left (by exit) made room. */
	EXPECT_EQ(1, members_seen(self->root, "g"));
	EXPECT_EQ(0, pg2_join(self->root, "g", c.same_uid_process, NULL, 0));
	child_kill(c.same_uid_process);
}

static void use_quota(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(!pg2_join(h, "g1", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g2", 0, NULL, 0));
	CHILD_CHECK(pg2_join(h, "g3", 0, NULL, 0) == -EDQUOT);
	CHILD_CHECK(kernel_explained(h, -EDQUOT));
	CHILD_CHECK(count_of(h, "g3", 0, getpid()) == 0);
	/* Joining again is no new membership. */
	CHILD_CHECK(!pg2_join(h, "g1", 0, NULL, 0));
	CHILD_CHECK(!pg2_leave(h, "g2", 0));
	CHILD_CHECK(!pg2_join(h, "g3", 0, NULL, 0));
	CHILD_CHECK(pg2_join(h, "g2", 0, NULL, 0) == -EDQUOT);
	pg2_close(h);
	/* Exiting gives the quota back. */
}

static void quota_is_back(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(!pg2_join(h, "g2", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g3", 0, NULL, 0));
	pg2_close(h);
}

TEST_F(lim, memberships_per_uid)
{
	ASSERT_EQ(0, pg2_create(self->root, "g1"));
	ASSERT_EQ(0, pg2_create(self->root, "g2"));
	ASSERT_EQ(0, pg2_create(self->root, "g3"));
	ASSERT_LE(0, lower(self, MAX_MEMBERSHIPS, 2));
	EXPECT_EQ(0, run_as(UNPRIV_UID, use_quota, NULL));
	EXPECT_EQ(0, members_seen(self->root, "g1"));
	EXPECT_EQ(0, run_as(UNPRIV_UID, quota_is_back, NULL));
	/* Not a cap for root. */
	EXPECT_EQ(0, pg2_join(self->root, "g1", 0, NULL, 0));
	EXPECT_EQ(0, pg2_join(self->root, "g2", 0, NULL, 0));
	EXPECT_EQ(0, pg2_join(self->root, "g3", 0, NULL, 0));
}

/* A uid's quota covers all its processes. */
static void quota_shared(void *arg)
{
	pid_t sibling = *(pid_t *)arg;
	struct pg2_handle *h = open_or_die();

	CHILD_CHECK(!pg2_join(h, "g1", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g1", sibling, NULL, 0));
	CHILD_CHECK(pg2_join(h, "g2", 0, NULL, 0) == -EDQUOT);
	CHILD_CHECK(pg2_join(h, "g2", sibling, NULL, 0) == -EDQUOT);
	pg2_close(h);
}

TEST_F(lim, memberships_per_uid_across_processes)
{
	pid_t sibling;
	int res;

	sibling = child_start(become_unpriv, NULL, &res);
	ASSERT_LT(0, sibling);
	ASSERT_EQ(0, res);
	ASSERT_EQ(0, pg2_create(self->root, "g1"));
	ASSERT_EQ(0, pg2_create(self->root, "g2"));
	ASSERT_LE(0, lower(self, MAX_MEMBERSHIPS, 2));
	EXPECT_EQ(0, run_as(UNPRIV_UID, quota_shared, &sibling));
	EXPECT_EQ(1, count_of(self->root, "g1", 0, sibling));
	child_kill(sibling);
}

TEST_HARNESS_MAIN
