// SPDX-License-Identifier: GPL-2.0
/*
 * Each netns has its own table; pid numbers are those of the caller's pid
 * namespace, and members it cannot see are left out.
 */
#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

FIXTURE(ns) {
	struct pg2_handle *a, *b;
	int netns_b;
};

FIXTURE_SETUP(ns)
{
	int home;

	ASSERT_EQ(0, enter_new_netns());
	home = netns_self_fd();
	ASSERT_EQ(0, enter_new_netns());
	self->netns_b = netns_self_fd();
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	close(home);
	ASSERT_EQ(0, pg2_open(&self->a, -1));
	ASSERT_EQ(0, pg2_open(&self->b, self->netns_b));
}

FIXTURE_TEARDOWN(ns)
{
	pg2_close(self->b);
	pg2_close(self->a);
	close(self->netns_b);
}

TEST_F(ns, tables_are_independent)
{
	struct pg2_group_info *g;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->a, "shared_name"));
	ASSERT_EQ(0, pg2_create(self->a, "only_a"));
	ASSERT_EQ(0, pg2_join(self->a, "shared_name", 0, NULL, 0));
	EXPECT_EQ(4, generation(self->a));
	EXPECT_EQ(1, generation(self->b));
	EXPECT_EQ(-ENOENT, members_seen(self->b, "only_a"));
	EXPECT_EQ(-ENOENT, pg2_join(self->b, "only_a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_which_groups(self->b, &g, &n));
	EXPECT_EQ(0, n);
	free(g);

	ASSERT_EQ(0, pg2_create(self->b, "shared_name"));
	EXPECT_EQ(0, members_seen(self->b, "shared_name"));
	ASSERT_EQ(0, pg2_join(self->b, "shared_name", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->b, "shared_name", 0, NULL, 0));
	EXPECT_EQ(1, count_of(self->a, "shared_name", 0, getpid()));
	EXPECT_EQ(2, count_of(self->b, "shared_name", 0, getpid()));
	ASSERT_EQ(0, pg2_delete(self->b, "shared_name"));
	EXPECT_EQ(1, count_of(self->a, "shared_name", 0, getpid()));
	EXPECT_EQ(4, generation(self->a));
}

TEST_F(ns, node_id_is_per_netns)
{
	ASSERT_EQ(0, pg2_create(self->a, "g"));
	ASSERT_EQ(0, pg2_create(self->b, "g"));
	ASSERT_EQ(0, pg2_join(self->a, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->b, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_node_set_id(self->a, 7));
	EXPECT_EQ(1, count_of(self->a, "g", 7, getpid()));
	EXPECT_EQ(1, count_of(self->b, "g", 0, getpid()));
}

TEST_F(ns, netns_teardown_keeps_other_tables)
{
	ASSERT_EQ(0, pg2_create(self->a, "g"));
	ASSERT_EQ(0, pg2_create(self->b, "g"));
	ASSERT_EQ(0, pg2_join(self->a, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->b, "g", 0, NULL, 0));
	/* The last references to netns b go: its table is freed. */
	pg2_close(self->b);
	self->b = NULL;
	close(self->netns_b);
	self->netns_b = -1;
	EXPECT_EQ(1, count_of(self->a, "g", 0, getpid()));
	ASSERT_EQ(0, pg2_leave(self->a, "g", 0));
	EXPECT_EQ(0, members_seen(self->a, "g"));
}

/*
 * child_fn: a member of s1 and s2 in the test's netns, then, in a netns
 * of its own that it alone keeps alive (with the test's references),
 * creator and member of four groups there.
 */
static int doomed_netns_member(void *arg)
{
	static const char *const groups[] = { "d1", "d2", "d3", "d4" };
	struct pg2_handle *a, *d;
	int i, err;

	(void)arg;
	err = pg2_open(&a, -1);
	if (err)
		return err;
	err = pg2_join(a, "s1", 0, NULL, 0);
	if (!err)
		err = pg2_join(a, "s2", 0, "x", 1);
	pg2_close(a);
	if (!err && unshare(CLONE_NEWNET))
		err = -errno;
	if (!err)
		err = pg2_open(&d, -1);
	for (i = 0; !err && i < 4; i++) {
		err = pg2_create(d, groups[i]);
		if (!err)
			err = pg2_join(d, groups[i], 0, NULL, 0);
	}
	/* d stays open: one more reference the child's death drops. */
	return err;
}

/*
 * A netns goes away while its only member process is being killed: the
 * netns's teardown and the reaper meet (the kernel log must stay clean,
 * which the guest checks), and the process's groups in the netns that
 * survives are empty as soon as wait() returns.  200 rounds, alternating
 * which goes first.
 */
TEST_F_TIMEOUT(ns, netns_dies_with_its_member, 300)
{
	struct pg2_table *t;
	struct rawnl nl;
	char path[64];
	int round, res, fd;
	pid_t child;

	ASSERT_EQ(0, pg2_create(self->a, "s1"));
	ASSERT_EQ(0, pg2_create(self->a, "s2"));
	for (round = 0; round < 200; round++) {
		child = child_start(doomed_netns_member, NULL, &res);
		ASSERT_LT(0, child);
		ASSERT_EQ(0, res) TH_LOG("round %d", round);
		ASSERT_EQ(1, count_of(self->a, "s2", 0, child));
		/* The test's own references to the child's netns. */
		snprintf(path, sizeof(path), "/proc/%d/ns/net", child);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, rawnl_open_in(&nl, fd));
		if (round % 2) {
			kill(child, SIGKILL);
			rawnl_close(&nl);
			close(fd);
		} else {
			rawnl_close(&nl);
			close(fd);
			kill(child, SIGKILL);
		}
		ASSERT_EQ(child, waitpid(child, NULL, 0));
		ASSERT_EQ(0, members_seen(self->a, "s1")) TH_LOG("round %d", round);
		ASSERT_EQ(0, members_seen(self->a, "s2")) TH_LOG("round %d", round);
	}
	ASSERT_EQ(0, pg2_table_get(self->a, false, &t));
	EXPECT_EQ(2, t->n_groups);
	EXPECT_EQ(0, t->n_members);
	pg2_table_free(t);
}

/*
 * Runs in a new pid namespace as its init (pid 1), in netns a, with the
 * test process (outside, invisible) already a member of "g" and "outer".
 */
static void pidns_init(void)
{
	struct pg2_member *m, c;
	struct pg2_handle *h;
	pid_t grandchild;
	size_t n;
	int status;

	CHILD_CHECK(getpid() == 1);
	CHILD_CHECK(!pg2_open(&h, -1));
	CHILD_CHECK(!pg2_join(h, "g", 0, NULL, 0));
	CHILD_CHECK(!pg2_get_members(h, "g", &m, &n));
	CHILD_CHECK(n == 1 && m[0].pid == 1 && m[0].count == 1);
	free(m);
	CHILD_CHECK(!pg2_get_local_members(h, "g", &m, &n));
	CHILD_CHECK(n == 1 && m[0].pid == 1);
	free(m);
	CHILD_CHECK(members_seen(h, "outer") == 0);
	CHILD_CHECK(pg2_get_closest_pid(h, "outer", &c) == -ESRCH);
	CHILD_CHECK(!pg2_get_closest_pid(h, "g", &c) && c.pid == 1);

	/* A pid in a request is a number of this namespace. */
	grandchild = fork();
	if (!grandchild) {
		CHILD_CHECK(getpid() == 2);
		CHILD_CHECK(!pg2_join(h, "by_number", 1, NULL, 0));
		CHILD_CHECK(count_of(h, "by_number", 0, 1) == 1);
		CHILD_CHECK(count_of(h, "by_number", 0, 2) == 0);
		_exit(0);
	}
	CHILD_CHECK(waitpid(grandchild, &status, 0) == grandchild);
	CHILD_CHECK(status == 0);
	pg2_close(h);
	/* Stay a member until the test has looked from outside. */
	for (;;)
		pause();
}

TEST_F(ns, pid_numbers_are_the_callers)
{
	struct pg2_member *m;
	int status;
	long long deadline;
	pid_t init;
	size_t n;

	ASSERT_EQ(0, pg2_create(self->a, "g"));
	ASSERT_EQ(0, pg2_create(self->a, "outer"));
	ASSERT_EQ(0, pg2_create(self->a, "by_number"));
	ASSERT_EQ(0, pg2_join(self->a, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->a, "outer", 0, NULL, 0));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	init = fork();
	ASSERT_LE(0, init);
	if (!init) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pidns_init();
	}
	/* It joined by_number (through its child) last: wait for it. */
	deadline = now_ms() + 10000;
	while (count_of(self->a, "by_number", 0, init) != 1 &&
	       waitpid(init, &status, WNOHANG) == 0 && now_ms() < deadline)
		usleep(10000);
	/* Still running: none of its own checks failed. */
	ASSERT_EQ(0, waitpid(init, &status, WNOHANG));
	ASSERT_EQ(1, count_of(self->a, "by_number", 0, init));
	ASSERT_EQ(0, pg2_get_members(self->a, "g", &m, &n));
	ASSERT_EQ(2, n);
	free(m);
	EXPECT_EQ(1, count_of(self->a, "g", 0, init));
	EXPECT_EQ(1, count_of(self->a, "g", 0, getpid()));
	ASSERT_EQ(0, kill(init, SIGKILL));
	ASSERT_EQ(init, waitpid(init, &status, 0));
	EXPECT_EQ(SIGKILL, WTERMSIG(status));
	EXPECT_EQ(1, members_seen(self->a, "g"));
	EXPECT_EQ(0, members_seen(self->a, "by_number"));
}

TEST_HARNESS_MAIN
