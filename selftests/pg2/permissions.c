// SPDX-License-Identifier: GPL-2.0
/*
 * Who may do what: kill(2)'s credential rule for join/leave of another
 * process, the creator (or CAP_NET_ADMIN) for delete, CAP_NET_ADMIN in the
 * netns's user namespace for the relay's commands.  The test sets things up
 * as root; an unprivileged child (run_as) then tries.
 */
#include "pg2_test.h"
#include <kselftest_harness.h>

FIXTURE(perm) {
	struct pg2_handle *root;
	pid_t root_member;	/* a root process, member of "g" */
	long old_create_needs_admin;
};

FIXTURE_SETUP(perm)
{
	self->old_create_needs_admin = -1;
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->root, -1));
	ASSERT_EQ(0, pg2_create(self->root, "g"));
	self->root_member = child_start(NULL, NULL, NULL);
	ASSERT_LT(0, self->root_member);
	ASSERT_EQ(0, pg2_join(self->root, "g", self->root_member, NULL, 0));
}

FIXTURE_TEARDOWN(perm)
{
	if (self->old_create_needs_admin >= 0)
		module_param_set("create_needs_admin",
				 self->old_create_needs_admin);
	child_kill(self->root_member);
	pg2_close(self->root);
}

static struct pg2_handle *open_or_die(void)
{
	struct pg2_handle *h;

	CHILD_CHECK(!pg2_open(&h, -1));
	return h;
}

/* A child whose real, effective and saved uids are as given. */
struct ids {
	uid_t r, e, s;
};

static int take_ids(void *arg)
{
	const struct ids *ids = arg;

	return setresuid(ids->r, ids->e, ids->s) ? -errno : 0;
}

static pid_t process_with_ids(uid_t r, uid_t e, uid_t s)
{
	struct ids ids = { r, e, s };
	int res;
	pid_t pid = child_start(take_ids, &ids, &res);

	if (pid > 0 && res) {
		child_kill(pid);
		return -1;
	}
	return pid;
}

static void join_leave_other_user(void *arg)
{
	pid_t target = *(pid_t *)arg;
	struct pg2_handle *h = open_or_die();
	uint64_t gen = generation(h);

	CHILD_CHECK(pg2_join(h, "g", target, NULL, 0) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_SIGNAL_EPERM));
	CHILD_CHECK(pg2_leave(h, "g", target) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_SIGNAL_EPERM));
	CHILD_CHECK(count_of(h, "g", 0, target) == 1);
	CHILD_CHECK(generation(h) == gen);
	/* Reads are open. */
	CHILD_CHECK(members_seen(h, "g") == 1);
	pg2_close(h);
}

TEST_F(perm, unprivileged_join_leave_of_other_user_is_eperm)
{
	EXPECT_EQ(0, run_as(UNPRIV_UID, join_leave_other_user,
			    &self->root_member));
}

static void join_leave_self(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(!pg2_join(h, "g", 0, NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g", getpid(), "d", 1));
	CHILD_CHECK(count_of(h, "g", 0, getpid()) == 2);
	CHILD_CHECK(!pg2_leave(h, "g", getpid()));
	CHILD_CHECK(!pg2_leave(h, "g", 0));
	CHILD_CHECK(count_of(h, "g", 0, getpid()) == 0);
	pg2_close(h);
}

static void leave_other_user(void *arg)
{
	pid_t target = *(pid_t *)arg;
	struct pg2_handle *h = open_or_die();
	uint64_t gen = generation(h);

	CHILD_CHECK(pg2_leave(h, "g", target) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_SIGNAL_EPERM));
	CHILD_CHECK(count_of(h, "g", 0, target) == 2);
	CHILD_CHECK(generation(h) == gen);
	pg2_close(h);
}

/* Leave is join's mirror: another user's (not root's) member stays. */
TEST_F(perm, unprivileged_leave_of_other_users_process_is_eperm)
{
	pid_t other = process_with_ids(OTHER_UID, OTHER_UID, OTHER_UID);

	ASSERT_LT(0, other);
	ASSERT_EQ(0, pg2_join(self->root, "g", other, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->root, "g", other, NULL, 0));
	EXPECT_EQ(0, run_as(UNPRIV_UID, leave_other_user, &other));
	EXPECT_EQ(2, count_of(self->root, "g", 0, other));
	child_kill(other);
}

TEST_F(perm, unprivileged_may_join_and_leave_itself)
{
	EXPECT_EQ(0, run_as(UNPRIV_UID, join_leave_self, NULL));
}

enum { SAME, SAVED, REAL, EUID_ONLY, N_TARGETS };

static void kill_rule(void *arg)
{
	const pid_t *t = arg;
	struct pg2_handle *h = open_or_die();

	CHILD_CHECK(!pg2_join(h, "g", t[SAME], NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g", t[SAVED], NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g", t[REAL], NULL, 0));
	CHILD_CHECK(pg2_join(h, "g", t[EUID_ONLY], NULL, 0) == -EPERM);
	CHILD_CHECK(members_seen(h, "g") == 4);
	CHILD_CHECK(!pg2_leave(h, "g", t[SAME]));
	CHILD_CHECK(!pg2_leave(h, "g", t[SAVED]));
	CHILD_CHECK(members_seen(h, "g") == 2);
	pg2_close(h);
}

/* kill(2): the caller's real or effective uid is the target's real or saved. */
TEST_F(perm, kill_rule_decides_join_of_another_process)
{
	pid_t t[N_TARGETS];
	int i;

	t[SAME] = process_with_ids(UNPRIV_UID, UNPRIV_UID, UNPRIV_UID);
	t[SAVED] = process_with_ids(OTHER_UID, OTHER_UID, UNPRIV_UID);
	t[REAL] = process_with_ids(UNPRIV_UID, OTHER_UID, OTHER_UID);
	t[EUID_ONLY] = process_with_ids(OTHER_UID, UNPRIV_UID, OTHER_UID);
	for (i = 0; i < N_TARGETS; i++)
		ASSERT_LT(0, t[i]);
	EXPECT_EQ(0, run_as(UNPRIV_UID, kill_rule, t));
	EXPECT_EQ(1, count_of(self->root, "g", 0, t[REAL]));
	for (i = 0; i < N_TARGETS; i++)
		child_kill(t[i]);
}

#define THIRD_UID 1002

enum { BY_REAL, BY_EFFECTIVE, BY_SAVED, NO_MATCH, TARGET_EUID, N_CALLER };

static void caller_ids(void *arg)
{
	const pid_t *t = arg;
	struct pg2_handle *h = open_or_die();
	uint64_t gen;

	CHILD_CHECK(getuid() == UNPRIV_UID && geteuid() == OTHER_UID);
	CHILD_CHECK(!pg2_join(h, "g", t[BY_REAL], NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g", t[BY_EFFECTIVE], NULL, 0));
	CHILD_CHECK(!pg2_join(h, "g", t[BY_SAVED], NULL, 0));
	gen = generation(h);
	CHILD_CHECK(pg2_join(h, "g", t[NO_MATCH], NULL, 0) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_SIGNAL_EPERM));
	CHILD_CHECK(pg2_join(h, "g", t[TARGET_EUID], NULL, 0) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_SIGNAL_EPERM));
	CHILD_CHECK(generation(h) == gen);
	CHILD_CHECK(!pg2_leave(h, "g", t[BY_REAL]));
	CHILD_CHECK(!pg2_leave(h, "g", t[BY_EFFECTIVE]));
	CHILD_CHECK(count_of(h, "g", 0, t[BY_SAVED]) == 1);
	pg2_close(h);
}

/*
 * The caller's side of kill(2)'s rule: its real uid (1000) or its
 * effective uid (1001) may match the target's real or saved uid; the
 * target's effective uid counts for nothing.
 */
TEST_F(perm, caller_real_or_effective_uid_may_match)
{
	pid_t t[N_CALLER];
	int i;

	t[BY_REAL] = process_with_ids(UNPRIV_UID, THIRD_UID, THIRD_UID);
	t[BY_EFFECTIVE] = process_with_ids(OTHER_UID, THIRD_UID, THIRD_UID);
	t[BY_SAVED] = process_with_ids(THIRD_UID, THIRD_UID, OTHER_UID);
	t[NO_MATCH] = process_with_ids(THIRD_UID, THIRD_UID, THIRD_UID);
	t[TARGET_EUID] = process_with_ids(THIRD_UID, UNPRIV_UID, THIRD_UID);
	for (i = 0; i < N_CALLER; i++)
		ASSERT_LT(0, t[i]);
	EXPECT_EQ(0, run_with_ids(UNPRIV_UID, OTHER_UID, OTHER_UID,
				  caller_ids, t));
	EXPECT_EQ(0, count_of(self->root, "g", 0, t[BY_REAL]));
	EXPECT_EQ(1, count_of(self->root, "g", 0, t[BY_SAVED]));
	EXPECT_EQ(0, count_of(self->root, "g", 0, t[NO_MATCH]));
	EXPECT_EQ(0, count_of(self->root, "g", 0, t[TARGET_EUID]));
	for (i = 0; i < N_CALLER; i++)
		child_kill(t[i]);
}

TEST_F(perm, root_may_join_and_leave_anyone)
{
	pid_t other = process_with_ids(OTHER_UID, OTHER_UID, OTHER_UID);

	ASSERT_LT(0, other);
	EXPECT_EQ(0, pg2_join(self->root, "g", other, NULL, 0));
	EXPECT_EQ(1, count_of(self->root, "g", 0, other));
	EXPECT_EQ(0, pg2_leave(self->root, "g", other));
	EXPECT_EQ(0, count_of(self->root, "g", 0, other));
	child_kill(other);
}

static void relay_commands(void *arg)
{
	struct pg2_snapshot_entry snap = { .group = "g", .pid = 5, .count = 1 };
	struct pg2_handle *h = open_or_die();
	uint64_t gen = generation(h);
	struct pg2_table *t;

	(void)arg;
	CHILD_CHECK(pg2_node_set_id(h, 3) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	CHILD_CHECK(pg2_remote_join(h, "g", 9, 91, 1, NULL, 0) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	CHILD_CHECK(pg2_remote_leave(h, "g", 9, 90, 1) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	CHILD_CHECK(pg2_node_drop(h, 9) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	CHILD_CHECK(pg2_node_replace(h, 9, &snap, 1) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	/* The relay's snapshot dump, checked in its first dumpit call. */
	CHILD_CHECK(pg2_table_get(h, true, &t) == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_RELAY_EPERM));
	/* The whole table is a read, open to everyone. */
	CHILD_CHECK(!pg2_table_get(h, false, &t));
	CHILD_CHECK(t->n_groups == 1 && t->n_members == 2);
	pg2_table_free(t);
	CHILD_CHECK(generation(h) == gen);
	CHILD_CHECK(count_of(h, "g", 9, 90) == 1);
	pg2_close(h);
}

TEST_F(perm, unprivileged_relay_commands_are_eperm)
{
	ASSERT_EQ(0, pg2_remote_join(self->root, "g", 9, 90, 1, NULL, 0));
	EXPECT_EQ(0, run_as(UNPRIV_UID, relay_commands, NULL));
	EXPECT_EQ(1, count_of(self->root, "g", 9, 90));
	EXPECT_EQ(1, count_of(self->root, "g", 0, self->root_member));
}

static void create_and_delete_own(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(pg2_delete(h, "g") == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_DELETE_EPERM));
	CHILD_CHECK(!pg2_create(h, "mine"));
	CHILD_CHECK(!pg2_create(h, "deleted"));
	CHILD_CHECK(!pg2_delete(h, "deleted"));
	pg2_close(h);
}

static void delete_others(void *arg)
{
	struct pg2_handle *h = open_or_die();
	struct pg2_group_info info;

	(void)arg;
	CHILD_CHECK(pg2_delete(h, "mine") == -EPERM);
	CHILD_CHECK(!pg2_group_info(h, "mine", &info));
	pg2_close(h);
}

TEST_F(perm, delete_needs_creator_or_admin)
{
	struct pg2_group_info info;

	ASSERT_EQ(0, run_as(UNPRIV_UID, create_and_delete_own, NULL));
	ASSERT_EQ(0, pg2_group_info(self->root, "mine", &info));
	EXPECT_EQ(UNPRIV_UID, info.creator_uid);
	EXPECT_EQ(-ENOENT, pg2_group_info(self->root, "deleted", &info));
	EXPECT_EQ(1, members_seen(self->root, "g"));
	EXPECT_EQ(0, run_as(OTHER_UID, delete_others, NULL));
	/* CAP_NET_ADMIN deletes anyone's. */
	EXPECT_EQ(0, pg2_delete(self->root, "mine"));
	EXPECT_EQ(-ENOENT, members_seen(self->root, "mine"));
}

static void create_denied(void *arg)
{
	struct pg2_handle *h = open_or_die();

	(void)arg;
	CHILD_CHECK(pg2_create(h, "by_user") == -EPERM);
	CHILD_CHECK(kernel_said(h, PG2_MSG_CREATE_EPERM));
	CHILD_CHECK(members_seen(h, "by_user") == -ENOENT);
	pg2_close(h);
}

TEST_F(perm, create_needs_admin_parameter)
{
	long old = module_param_set("create_needs_admin", 1);

	ASSERT_LE(0, old);
	self->old_create_needs_admin = old;
	EXPECT_EQ(0, pg2_create(self->root, "by_root"));
	EXPECT_EQ(0, run_as(UNPRIV_UID, create_denied, NULL));
}

/*
 * In a user namespace of its own, an unprivileged user is CAP_NET_ADMIN
 * for the netns it makes there, and for no other.
 */
static void userns_owner(void *arg)
{
	struct pg2_snapshot_entry snap = { .group = "theirs", .pid = 90,
					   .count = 1 };
	pid_t root_member = *(pid_t *)arg;
	struct pg2_handle *outer = open_or_die(), *inner;
	struct pg2_group_info info;
	struct pg2_table *t;

	CHILD_CHECK(!pg2_create(outer, "outer_mine"));
	enter_own_userns_and_netns(UNPRIV_UID);
	inner = open_or_die();

	/* Its own netns: the relay's commands and any delete. */
	CHILD_CHECK(generation(inner) == 1);
	CHILD_CHECK(!pg2_create(inner, "g"));
	CHILD_CHECK(!pg2_node_set_id(inner, 4));
	CHILD_CHECK(!pg2_remote_join(inner, "g", 9, 90, 1, NULL, 0));
	CHILD_CHECK(count_of(inner, "g", 9, 90) == 1);
	CHILD_CHECK(!pg2_node_drop(inner, 9));
	CHILD_CHECK(members_seen(inner, "g") == 0);
	CHILD_CHECK(!pg2_node_replace(inner, 9, &snap, 1));
	CHILD_CHECK(count_of(inner, "theirs", 9, 90) == 1);
	CHILD_CHECK(!pg2_delete(inner, "theirs"));
	/*
	 * Its CAP_NET_ADMIN over its own netns lets it put any process it
	 * can see (no pid namespace of its own here) into that netns's
	 * groups, root's included: the table is its own, and membership
	 * gives it no power over the process.  kill(2)'s rule is for
	 * callers without that capability.
	 */
	CHILD_CHECK(!pg2_join(inner, "g", root_member, NULL, 0));
	CHILD_CHECK(count_of(inner, "g", 4, root_member) == 1);
	/* The relay's snapshot of its own netns: local members only. */
	CHILD_CHECK(!pg2_remote_join(inner, "g", 9, 91, 1, NULL, 0));
	CHILD_CHECK(!pg2_table_get(inner, true, &t));
	CHILD_CHECK(t->n_groups == 1 && t->n_members == 1);
	CHILD_CHECK(t->members[0].member.pid == (uint32_t)root_member);
	CHILD_CHECK(t->members[0].member.node_id == 4);
	pg2_table_free(t);
	CHILD_CHECK(!pg2_leave(inner, "g", root_member));
	CHILD_CHECK(count_of(inner, "g", 4, root_member) == 0);

	/* The original netns belongs to the initial user namespace: no. */
	CHILD_CHECK(pg2_table_get(outer, true, &t) == -EPERM);
	CHILD_CHECK(kernel_said(outer, PG2_MSG_RELAY_EPERM));
	CHILD_CHECK(!pg2_table_get(outer, false, &t));
	pg2_table_free(t);
	CHILD_CHECK(pg2_node_set_id(outer, 4) == -EPERM);
	CHILD_CHECK(pg2_remote_join(outer, "g", 9, 90, 1, NULL, 0) == -EPERM);
	CHILD_CHECK(pg2_delete(outer, "g") == -EPERM);
	CHILD_CHECK(pg2_join(outer, "g", root_member, NULL, 0) == -EPERM);
	CHILD_CHECK(members_seen(outer, "g") == 1);
	/* Creator uids are shown in the caller's user namespace. */
	CHILD_CHECK(!pg2_group_info(outer, "outer_mine", &info));
	CHILD_CHECK(info.creator_uid == 0);
	CHILD_CHECK(!pg2_group_info(outer, "g", &info));
	CHILD_CHECK(info.creator_uid == 65534);
	pg2_close(inner);
	pg2_close(outer);
}

TEST_F(perm, userns_owner_is_admin_of_its_own_netns_only)
{
	EXPECT_EQ(0, run_as(UNPRIV_UID, userns_owner, &self->root_member));
}

/*
 * The initial netns itself: its snapshot is the host relay's, whoever
 * holds a socket there.  The socket is opened as root (setns there
 * needs it), then used by a user namespace owner.
 */
TEST_F(perm, userns_owner_gets_no_snapshot_of_the_initial_netns)
{
	struct pg2_handle *init;
	struct pg2_table *t;
	int fd, status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		fd = open("/proc/1/ns/net", O_RDONLY | O_CLOEXEC);
		CHILD_CHECK(fd >= 0);
		CHILD_CHECK(!pg2_open(&init, fd));
		CHILD_CHECK(!become(UNPRIV_UID));
		CHILD_CHECK(!unshare(CLONE_NEWUSER | CLONE_NEWNET));
		CHILD_CHECK(pg2_table_get(init, true, &t) == -EPERM);
		CHILD_CHECK(kernel_said(init, PG2_MSG_RELAY_EPERM));
		CHILD_CHECK(!pg2_table_get(init, false, &t));
		pg2_table_free(t);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
}

TEST_HARNESS_MAIN
