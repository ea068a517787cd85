// SPDX-License-Identifier: GPL-2.0
/*
 * The module parameters that cap a user without CAP_NET_ADMIN in the
 * initial user namespace: groups per netns, members per group,
 * memberships per uid (in every netns together).  Each test lowers one
 * cap, hits it from an unprivileged process, and restores it.
 */
#include <poll.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

static const char *const params[] = {
	"max_groups", "max_members_per_group", "max_memberships_per_uid",
};

enum { MAX_GROUPS, MAX_MEMBERS, MAX_MEMBERSHIPS, N_PARAMS };

FIXTURE(lim) {
	struct pg2_handle *root;
	struct pg2_monitor *mon;
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
	if (self->mon)
		pg2_monitor_close(self->mon);
	pg2_close(self->root);
}

/* A monitor of this netns, its snapshot taken: events from now on. */
static int monitor_start(struct pg2_monitor **mon)
{
	struct pg2_table *t;
	int err;

	err = pg2_monitor_open(mon, -1);
	if (err)
		return err;
	err = pg2_monitor_snapshot(*mon, &t);
	pg2_table_free(t);
	return err;
}

/*
 * Waits for n MEMBER_LEFT events with reason exit: the reaper removed
 * that many memberships, and gave back their caps.
 */
static int await_exit_events(struct pg2_monitor *mon, int n, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct pg2_event ev;
	int err;

	while (n > 0) {
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		err = pg2_monitor_next(mon, &ev, deadline - now_ms());
		if (err < 0)
			return err;
		if (err && ev.type == PG2_EVENT_MEMBER_LEFT &&
		    ev.reason == PG2_REASON_EXIT)
			n--;
	}
	return 0;
}

/* Sets a parameter for this test; the teardown restores it. */
static long set_param(FIXTURE_DATA(lim) *self, int param, long value)
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
	CHILD_CHECK(kernel_said(h, PG2_MSG_MAX_GROUPS));
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
	ASSERT_LE(0, set_param(self, MAX_GROUPS, 3));
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

static void create_c_denied(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(pg2_create(h, "d") == -ENOSPC);
	CHILD_CHECK(kernel_said(h, PG2_MSG_MAX_GROUPS));
	pg2_close(h);
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
	CHILD_CHECK(kernel_said(h, PG2_MSG_GROUP_FULL));
	CHILD_CHECK(count_of(h, "g", 0, c->same_uid_process) == 0);
	/* Joining again adds no member. */
	CHILD_CHECK(!pg2_join(h, "g", 0, NULL, 0));
	CHILD_CHECK(count_of(h, "g", 0, getpid()) == 2);
	CHILD_CHECK(members_seen(h, "g") == 2);
	pg2_close(h);
}

static void join_same_uid_process(void *arg)
{
	const struct members_case *c = arg;
	struct pg2_handle *h = open_or_die();

	CHILD_CHECK(!pg2_join(h, "g", c->same_uid_process, NULL, 0));
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
	ASSERT_LE(0, set_param(self, MAX_MEMBERS, 2));
	ASSERT_EQ(0, monitor_start(&self->mon));
	EXPECT_EQ(0, run_as(UNPRIV_UID, fill_group, &c));
	EXPECT_EQ(1, members_seen(self->root, "g"));
	/*
	 * The member that left by exit makes room once the reaper has
	 * removed it, shortly after wait(): its exit event says when.
	 */
	ASSERT_EQ(0, await_exit_events(self->mon, 1, 10000));
	EXPECT_EQ(0, run_as(UNPRIV_UID, join_same_uid_process, &c));
	EXPECT_EQ(1, count_of(self->root, "g", 0, c.same_uid_process));
	child_kill(c.same_uid_process);
}

static void use_quota(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(!pg2_join(h, "g1", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g2", 0, NULL, 0));
	CHILD_CHECK(pg2_join(h, "g3", 0, NULL, 0) == -EDQUOT);
	CHILD_CHECK(kernel_said(h, PG2_MSG_QUOTA));
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
	ASSERT_LE(0, set_param(self, MAX_MEMBERSHIPS, 2));
	ASSERT_EQ(0, monitor_start(&self->mon));
	EXPECT_EQ(0, run_as(UNPRIV_UID, use_quota, NULL));
	EXPECT_EQ(0, members_seen(self->root, "g1"));
	/* Its two memberships are given back as the reaper removes them. */
	ASSERT_EQ(0, await_exit_events(self->mon, 2, 10000));
	EXPECT_EQ(0, run_as(UNPRIV_UID, quota_is_back, NULL));
	/* Not a cap for root. */
	EXPECT_EQ(0, pg2_join(self->root, "g1", 0, NULL, 0));
	EXPECT_EQ(0, pg2_join(self->root, "g2", 0, NULL, 0));
	EXPECT_EQ(0, pg2_join(self->root, "g3", 0, NULL, 0));
}

/*
 * A child that opens a handle in the netns netns_fd, becomes UNPRIV_UID,
 * waits for a byte on the pipe go, joins the groups, writes the result on
 * the pipe done, then sleeps until killed.
 */
static pid_t unpriv_joiner(int netns_fd, const int go[2], const int done[2],
			   const char *const *groups)
{
	struct pg2_handle *h;
	pid_t pid = fork();
	int res = 0;
	char byte;

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	close(go[1]);
	close(done[0]);
	CHILD_CHECK(!pg2_open(&h, netns_fd));
	CHILD_CHECK(!become(UNPRIV_UID));
	CHILD_CHECK(read(go[0], &byte, 1) == 1);
	for (; *groups && !res; groups++)
		res = pg2_join(h, *groups, 0, NULL, 0);
	CHILD_CHECK(write(done[1], &res, sizeof(res)) == sizeof(res));
	for (;;)
		pause();
}

/* Lets an unpriv_joiner() join; its result. */
static int joiner_run(const int go[2], const int done[2])
{
	int res = -EPIPE;

	if (write(go[1], "", 1) != 1 ||
	    read(done[0], &res, sizeof(res)) != sizeof(res))
		return -EPIPE;
	return res;
}

/*
 * Once wait() returned, a dead process's memberships count no more, even
 * while the reaper is still busy with its others: it was in 20000 groups of
 * this netns (root joined it, uncharged), announced to a listener, before
 * it joined two of another netns, charged.  The reaper takes this netns
 * first: the join in the other netns does not meet its table lock.
 */
TEST_F_TIMEOUT(lim, quota_is_back_when_wait_returns, 120)
{
	static const char *const dying_groups[] = { "g1", "g2", NULL };
	static const char *const next_groups[] = { "g3", NULL };
	int go[2][2], done[2][2], here, other, i;
	struct pg2_handle *h;
	pid_t dying, next;
	char name[16];

	here = netns_self_fd();
	ASSERT_EQ(0, enter_new_netns());
	other = netns_self_fd();
	ASSERT_EQ(0, setns(here, CLONE_NEWNET));
	ASSERT_EQ(0, pg2_open(&h, other));
	ASSERT_EQ(0, pg2_create(h, "g1"));
	ASSERT_EQ(0, pg2_create(h, "g2"));
	ASSERT_EQ(0, pg2_create(h, "g3"));
	ASSERT_LE(0, set_param(self, MAX_MEMBERSHIPS, 2));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, pipe2(go[i], O_CLOEXEC));
		ASSERT_EQ(0, pipe2(done[i], O_CLOEXEC));
	}
	dying = unpriv_joiner(other, go[0], done[0], dying_groups);
	next = unpriv_joiner(other, go[1], done[1], next_groups);
	ASSERT_LT(0, dying);
	ASSERT_LT(0, next);
	for (i = 0; i < 20000; i++) {
		snprintf(name, sizeof(name), "busy%d", i);
		ASSERT_EQ(0, pg2_create(self->root, name));
		ASSERT_EQ(0, pg2_join(self->root, name, dying, NULL, 0));
	}
	ASSERT_EQ(0, joiner_run(go[0], done[0]));
	ASSERT_EQ(0, monitor_start(&self->mon));
	ASSERT_EQ(0, child_kill(dying));
	EXPECT_EQ(0, joiner_run(go[1], done[1]));
	EXPECT_EQ(1, count_of(h, "g3", 0, next));
	child_kill(next);
	for (i = 0; i < 2; i++) {
		close(go[i][0]);
		close(go[i][1]);
		close(done[i][0]);
		close(done[i][1]);
	}
	pg2_close(h);
	close(here);
	close(other);
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
	ASSERT_LE(0, set_param(self, MAX_MEMBERSHIPS, 2));
	EXPECT_EQ(0, run_as(UNPRIV_UID, quota_shared, &sibling));
	EXPECT_EQ(1, count_of(self->root, "g1", 0, sibling));
	child_kill(sibling);
}

/* Handles opened as root, in two netns, used as the unprivileged user. */
struct two_tables {
	struct pg2_handle *a, *b;
};

static void quota_across_netns(void *arg)
{
	struct two_tables *t = arg;

	CHILD_CHECK(!pg2_join(t->a, "g1", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(t->b, "g2", 0, NULL, 0));
	CHILD_CHECK(pg2_join(t->a, "g3", 0, NULL, 0) == -EDQUOT);
	CHILD_CHECK(kernel_said(t->a, PG2_MSG_QUOTA));
	CHILD_CHECK(pg2_join(t->b, "g3", 0, NULL, 0) == -EDQUOT);
}

/* A uid's quota counts its memberships in every netns: more gain it none. */
TEST_F(lim, memberships_per_uid_across_netns)
{
	struct two_tables t = { .a = self->root };
	int home = netns_self_fd();

	ASSERT_LE(0, home);
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&t.b, -1));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	close(home);
	ASSERT_EQ(0, pg2_create(t.a, "g1"));
	ASSERT_EQ(0, pg2_create(t.a, "g3"));
	ASSERT_EQ(0, pg2_create(t.b, "g2"));
	ASSERT_EQ(0, pg2_create(t.b, "g3"));
	ASSERT_LE(0, set_param(self, MAX_MEMBERSHIPS, 2));
	EXPECT_EQ(0, run_as(UNPRIV_UID, quota_across_netns, &t));
	pg2_close(t.b);
}

/*
 * A join count is a u32: the join that would wrap it is ENOSPC, with the
 * kernel's message, and changes nothing.
 */
TEST_F(lim, join_count_overflow_is_enospc)
{
	struct rawnl_dump before, after;
	struct rawnl nl;

	ASSERT_EQ(0, pg2_create(self->root, "g"));
	ASSERT_EQ(0, pg2_remote_join(self->root, "g", 5, 50, 0xffffffff,
				     "d", 1));
	EXPECT_EQ(0xffffffff, (uint32_t)count_of(self->root, "g", 5, 50));
	ASSERT_EQ(0, rawnl_open(&nl));
	ASSERT_EQ(0, rawnl_dump_cmd(&nl, PG2_CMD_TABLE_GET, &before));
	EXPECT_EQ(-ENOSPC, pg2_remote_join(self->root, "g", 5, 50, 1, "e", 1));
	EXPECT_TRUE(kernel_said(self->root, PG2_MSG_OVERFLOW));
	ASSERT_EQ(0, rawnl_dump_cmd(&nl, PG2_CMD_TABLE_GET, &after));
	EXPECT_EQ(before.len, after.len);
	EXPECT_EQ(0, memcmp(before.buf, after.buf, before.len));
	rawnl_dump_free(&after);
	rawnl_dump_free(&before);
	rawnl_close(&nl);
	/* The count is still whole: one leave takes exactly one away. */
	ASSERT_EQ(0, pg2_remote_leave(self->root, "g", 5, 50, 1));
	EXPECT_EQ(0xfffffffe, (uint32_t)count_of(self->root, "g", 5, 50));
}

/* A user namespace owner, admin of its own netns, is capped all the same. */
static void admin_of_own_netns(void *arg)
{
	struct pg2_handle *h;

	(void)arg;
	enter_own_userns_and_netns(UNPRIV_UID);
	h = open_or_die();
	CHILD_CHECK(!pg2_create(h, "a"));
	CHILD_CHECK(pg2_create(h, "b") == -ENOSPC);
	CHILD_CHECK(kernel_said(h, PG2_MSG_MAX_GROUPS));
	CHILD_CHECK(!pg2_join(h, "a", 0, NULL, 0));
	CHILD_CHECK(pg2_join(h, "a", getppid(), NULL, 0) == -ENOSPC);
	CHILD_CHECK(kernel_said(h, PG2_MSG_GROUP_FULL));
	pg2_close(h);
}

/* Its relay commands too: they make groups and members like joins do. */
static void relay_of_own_netns(void *arg)
{
	struct pg2_snapshot_entry two_groups[] = {
		{ .group = "a", .pid = 7, .count = 1 },
		{ .group = "b", .pid = 8, .count = 1 },
	};
	struct pg2_handle *h;

	(void)arg;
	enter_own_userns_and_netns(UNPRIV_UID);
	h = open_or_die();
	CHILD_CHECK(!pg2_create(h, "a"));
	CHILD_CHECK(!pg2_remote_join(h, "a", 5, 7, 0, NULL, 0));
	/* The same member again is a count, not a member more. */
	CHILD_CHECK(!pg2_remote_join(h, "a", 5, 7, 0, NULL, 0));
	CHILD_CHECK(pg2_remote_join(h, "a", 5, 8, 0, NULL, 0) == -ENOSPC);
	CHILD_CHECK(kernel_said(h, PG2_MSG_GROUP_FULL));
	CHILD_CHECK(pg2_node_replace(h, 6, two_groups, 2) == -ENOSPC);
	CHILD_CHECK(kernel_said(h, PG2_MSG_ENTRY_OVER_LIMIT));
	CHILD_CHECK(members_seen(h, "b") == -ENOENT);
	pg2_close(h);
}

/*
 * The caps bind everyone but CAP_NET_ADMIN in the initial user namespace
 * (root here): not a user namespace owner in its own netns, which could
 * otherwise make itself as many as it likes.
 */
TEST_F(lim, only_the_initial_net_admin_is_not_capped)
{
	pid_t other = child_start(NULL, NULL, NULL);

	ASSERT_LT(0, other);
	ASSERT_LE(0, set_param(self, MAX_GROUPS, 1));
	ASSERT_LE(0, set_param(self, MAX_MEMBERS, 1));
	ASSERT_EQ(0, pg2_create(self->root, "a"));
	ASSERT_EQ(0, pg2_create(self->root, "b"));
	ASSERT_EQ(0, pg2_create(self->root, "c"));
	ASSERT_EQ(0, pg2_join(self->root, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->root, "a", self->root_member, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->root, "a", other, NULL, 0));
	EXPECT_EQ(3, members_seen(self->root, "a"));
	/* The cap still holds for others: */
	EXPECT_EQ(0, run_as(UNPRIV_UID, create_c_denied, NULL));
	EXPECT_EQ(0, run_as(UNPRIV_UID, admin_of_own_netns, NULL));
	EXPECT_EQ(0, run_as(UNPRIV_UID, relay_of_own_netns, NULL));
	child_kill(other);
}

/* What the child of the memcg test did, in memory shared with the test. */
struct memcg_run {
	int groups;		/* created before the first failure */
	int create_error;	/* that failure */
	int joins;		/* joined before the first failure */
	int join_error;
	int delete_error;	/* first failed delete, 0 if none */
};

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		err = -errno;
	close(fd);
	return err;
}

/* A number a cgroup file holds (the value after key, if given), or -1. */
static long long cgroup_value(const char *dir, const char *file,
			      const char *key)
{
	char path[256], line[256];
	long long value = -1;
	size_t n = key ? strlen(key) : 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!key || (!strncmp(line, key, n) && line[n] == ' ')) {
			value = strtoll(line + n, NULL, 10);
			break;
		}
	fclose(f);
	return value;
}

/* In the cgroup, unprivileged: create until refused, join until refused. */
static void memcg_child(const char *cg, struct memcg_run *run, int ready,
			int go)
{
	static const char data[PG2_DATA_MAX];
	struct pg2_handle *h;
	char path[256], name[16], c;
	int i, err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	snprintf(path, sizeof(path), "%s/cgroup.procs", cg);
	CHILD_CHECK(!write_text(path, "0"));
	CHILD_CHECK(!become(UNPRIV_UID));
	h = open_or_die();
	/* Every allocation of its own made before the limit is set. */
	CHILD_CHECK(!pg2_create(h, "warm_up"));
	CHILD_CHECK(!pg2_join(h, "warm_up", 0, data, sizeof(data)));
	CHILD_CHECK(!pg2_delete(h, "warm_up"));
	CHILD_CHECK(write(ready, "r", 1) == 1);
	CHILD_CHECK(read(go, &c, 1) == 1);

	/* Counted as it goes: the test reads them even if this is killed. */
	for (i = 0; i < 400000; i++) {
		snprintf(name, sizeof(name), "m%d", i);
		err = pg2_create(h, name);
		if (err)
			break;
		run->groups = i + 1;
	}
	run->create_error = err;
	/* Room for members: every other group goes. */
	for (i = 1; i < run->groups; i += 2) {
		snprintf(name, sizeof(name), "m%d", i);
		err = pg2_delete(h, name);
		if (err && !run->delete_error)
			run->delete_error = err;
	}
	for (i = 0; i < run->groups; i += 2) {
		snprintf(name, sizeof(name), "m%d", i);
		err = pg2_join(h, name, 0, data, sizeof(data));
		if (err)
			break;
		run->joins++;
	}
	run->join_error = err;
	for (i = 0; i < run->groups; i += 2) {
		snprintf(name, sizeof(name), "m%d", i);
		err = pg2_delete(h, name);
		if (err && !run->delete_error)
			run->delete_error = err;
	}
	CHILD_CHECK(write(ready, "d", 1) == 1);
	CHILD_CHECK(read(go, &c, 1) == 1);
	pg2_close(h);
	_exit(0);
}

/*
 * Allocations are charged to the caller's memory cgroup: an unprivileged
 * user in a cgroup with a small memory.max who creates and joins until
 * refused gets a clean error (ENOMEM, or a cap), is never OOM-killed,
 * and once its groups are deleted the cgroup's usage is back down.
 */
TEST_F_TIMEOUT(lim, memcg_limit_is_a_clean_error, 180)
{
	long long base, peak, now, deadline, kill0;
	struct pollfd p;
	struct memcg_run *run;
	int ready[2], go[2], status;
	char cg[64], max[96], text[32], c;
	pid_t pid;

	if (access("/sys/fs/cgroup/cgroup.subtree_control", W_OK))
		SKIP(return, "no cgroup2 at /sys/fs/cgroup");
	write_text("/sys/fs/cgroup/cgroup.subtree_control", "+memory");
	snprintf(cg, sizeof(cg), "/sys/fs/cgroup/pg2-limits-%d", getpid());
	ASSERT_EQ(0, mkdir(cg, 0755));
	if (cgroup_value(cg, "memory.current", NULL) < 0) {
		rmdir(cg);
		SKIP(return, "no memory controller");
	}
	/* Only memory may stop it: the caps are far away. */
	ASSERT_LE(0, set_param(self, MAX_GROUPS, 1000000));
	ASSERT_LE(0, set_param(self, MAX_MEMBERSHIPS, 1000000));
	run = mmap(NULL, sizeof(*run), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, run);
	memset(run, 0, sizeof(*run));
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		memcg_child(cg, run, ready[1], go[0]);
	close(ready[1]);
	close(go[0]);

	ASSERT_EQ(1, read(ready[0], &c, 1));
	base = cgroup_value(cg, "memory.current", NULL);
	kill0 = cgroup_value(cg, "memory.events", "oom_kill");
	ASSERT_LT(0, base);
	snprintf(text, sizeof(text), "%lld", base + (4 << 20));
	snprintf(max, sizeof(max), "%s/memory.max", cg);
	ASSERT_EQ(0, write_text(max, text));
	ASSERT_EQ(1, write(go[1], "g", 1));
	p = (struct pollfd){ .fd = ready[0], .events = POLLIN };
	ASSERT_EQ(1, poll(&p, 1, 150000));
	peak = cgroup_value(cg, "memory.peak", NULL);
	if (read(ready[0], &c, 1) != 1) {
		/* The child died before it was done: OOM-killed, most likely. */
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		TH_LOG("the child died (%s %d) after %d groups, %d joins; oom_kill %lld -> %lld",
		       WIFSIGNALED(status) ? "signal" : "exit status",
		       WIFSIGNALED(status) ? WTERMSIG(status) :
		       WEXITSTATUS(status), run->groups, run->joins, kill0,
		       cgroup_value(cg, "memory.events", "oom_kill"));
		now = cgroup_value(cg, "memory.events", "oom_kill");
		rmdir(cg);
		/* An OOM kill, not a clean error. */
		ASSERT_EQ(kill0, now);
		ASSERT_TRUE(WIFEXITED(status));
	}
	TH_LOG("base %lld, peak %lld: %d groups (%d), %d joins (%d)", base,
	       peak, run->groups, run->create_error, run->joins,
	       run->join_error);
	/* RCU frees the deleted groups: their charge goes soon after. */
	deadline = now_ms() + 20000;
	while ((now = cgroup_value(cg, "memory.current", NULL)) >
	       base + (1 << 20) && now_ms() < deadline)
		usleep(20000);
	TH_LOG("after delete %lld", now);
	ASSERT_EQ(1, write(go[1], "x", 1));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
		TH_LOG("child: status %#x", status);
	EXPECT_EQ(kill0, cgroup_value(cg, "memory.events", "oom_kill"));
	EXPECT_EQ(-ENOMEM, run->create_error);
	EXPECT_LT(100, run->groups);
	EXPECT_EQ(-ENOMEM, run->join_error);
	EXPECT_LT(100, run->joins);
	EXPECT_EQ(0, run->delete_error);
	/* At least three of the four MiB it held are given back. */
	EXPECT_GE(base + (1 << 20), now);
	rmdir(cg);
	munmap(run, sizeof(*run));
}

TEST_HARNESS_MAIN
