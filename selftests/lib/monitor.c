// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl monitors: snapshot plus events, event contents, and the
 * resynchronisation after the socket overflowed (ENOBUFS).
 *
 * Linked with -Wl,--wrap=recvmsg: the library's event receives can be
 * truncated, lose a datagram, be flooded with copies of the last one, or
 * fail with ENOBUFS, on demand.
 */
#include <poll.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include "lib_test.h"
#include "kselftest_harness.h"

static bool truncate_next;	/* the next datagram into 16 bytes */
static bool drop_next;		/* the next datagram never arrives */
static bool flood;		/* an empty queue: the last datagram again */
static bool overflowing;	/* every receive: ENOBUFS */
static long flood_copies, overflows;
static unsigned char last[64 << 10];
static ssize_t last_len;

ssize_t __real_recvmsg(int fd, struct msghdr *mh, int flags);

ssize_t __wrap_recvmsg(int fd, struct msghdr *mh, int flags)
{
	size_t room = mh->msg_iov[0].iov_len;
	ssize_t n;

	if (overflowing) {
		overflows++;
		errno = ENOBUFS;
		return -1;
	}
	if (drop_next && __real_recvmsg(fd, mh, flags) > 0)
		drop_next = false;
	if (truncate_next)
		mh->msg_iov[0].iov_len = 16;
	n = __real_recvmsg(fd, mh, flags);
	mh->msg_iov[0].iov_len = room;
	if (n > 0 && truncate_next) {
		truncate_next = false;
		return n;
	}
	if (n > 0 && !(mh->msg_flags & MSG_TRUNC) &&
	    (size_t)n <= sizeof(last)) {
		memcpy(last, mh->msg_iov[0].iov_base, n);
		last_len = n;
	}
	if (n < 0 && errno == EAGAIN && flood && last_len) {
		memcpy(mh->msg_iov[0].iov_base, last, last_len);
		mh->msg_flags = 0;
		((struct sockaddr_nl *)mh->msg_name)->nl_pid = 0;
		flood_copies++;
		return last_len;
	}
	return n;
}

/* The table as a subscriber rebuilds it from a snapshot and events. */
struct model {
	struct pg2_table t;
	size_t groups_cap, members_cap;
};

static void model_load(struct model *m, const struct pg2_table *t)
{
	free(m->t.groups);
	free(m->t.members);
	m->t = *t;
	m->t.groups = malloc((t->n_groups + 1) * sizeof(*t->groups));
	m->t.members = malloc((t->n_members + 1) * sizeof(*t->members));
	memcpy(m->t.groups, t->groups, t->n_groups * sizeof(*t->groups));
	memcpy(m->t.members, t->members, t->n_members * sizeof(*t->members));
	m->groups_cap = t->n_groups + 1;
	m->members_cap = t->n_members + 1;
}

static long model_group(const struct pg2_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_groups; i++)
		if (!strcmp(t->groups[i].name, name))
			return i;
	return -1;
}

static long model_member(const struct pg2_table *t, size_t group,
			 uint32_t node_id, uint32_t pid)
{
	size_t i;

	for (i = 0; i < t->n_members; i++)
		if (t->members[i].group == group &&
		    t->members[i].member.node_id == node_id &&
		    t->members[i].member.pid == pid)
			return i;
	return -1;
}

/* Applies ev; false if it does not fit the model (a lost event). */
static bool model_apply(struct model *m, const struct pg2_event *ev)
{
	struct pg2_table *t = &m->t;
	long g = model_group(t, ev->group), k;

	if (ev->type == PG2_EVENT_RESYNC) {
		model_load(m, ev->table);
		return true;
	}
	t->generation = ev->generation;
	switch (ev->type) {
	case PG2_EVENT_GROUP_CREATED:
		if (g >= 0)
			return false;
		if (t->n_groups == m->groups_cap) {
			m->groups_cap *= 2;
			t->groups = realloc(t->groups, m->groups_cap *
					    sizeof(*t->groups));
		}
		memset(&t->groups[t->n_groups], 0, sizeof(*t->groups));
		strcpy(t->groups[t->n_groups].name, ev->group);
		t->n_groups++;
		return true;
	case PG2_EVENT_GROUP_DELETED:
		if (g < 0)
			return false;
		for (k = 0; k < (long)t->n_members; k++)
			if (t->members[k].group == (size_t)g)
				return false;
		/* Keep indices: rename the group away instead. */
		t->groups[g].name[0] = '\0';
		return true;
	case PG2_EVENT_MEMBER_JOINED:
	case PG2_EVENT_MEMBER_LEFT:
		if (g < 0)
			return false;
		k = model_member(t, g, ev->member.node_id, ev->member.pid);
		if (k < 0) {
			if (ev->type == PG2_EVENT_MEMBER_LEFT)
				return false;
			if (t->n_members == m->members_cap) {
				m->members_cap *= 2;
				t->members = realloc(t->members,
						     m->members_cap *
						     sizeof(*t->members));
			}
			k = t->n_members++;
			t->members[k].group = g;
		}
		t->members[k].member = ev->member;
		if (!ev->member.count)
			t->members[k] = t->members[--t->n_members];
		return true;
	default:
		return false;
	}
}

/* Same groups and same members (group, node, pid, count, data). */
static bool model_equals(const struct model *m, const struct pg2_table *t)
{
	size_t i, groups = 0;
	long g, k;

	for (i = 0; i < m->t.n_groups; i++)
		groups += m->t.groups[i].name[0] != '\0';
	if (groups != t->n_groups || m->t.n_members != t->n_members)
		return false;
	for (i = 0; i < t->n_groups; i++)
		if (model_group(&m->t, t->groups[i].name) < 0)
			return false;
	for (i = 0; i < t->n_members; i++) {
		const struct pg2_member *a = &t->members[i].member;

		g = model_group(&m->t, t->groups[t->members[i].group].name);
		k = model_member(&m->t, g, a->node_id, a->pid);
		if (k < 0 || m->t.members[k].member.count != a->count ||
		    m->t.members[k].member.data_len != a->data_len ||
		    memcmp(m->t.members[k].member.data, a->data, a->data_len))
			return false;
	}
	return true;
}

FIXTURE(monitor) {
	struct pg2_handle *h;
	struct pg2_monitor *mon;
	struct model model;
};

FIXTURE_SETUP(monitor)
{
	memset(&self->model, 0, sizeof(self->model));
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	ASSERT_EQ(0, pg2_monitor_open(&self->mon, -1))
		TH_LOG("%s", pg2_monitor_errmsg(NULL));
}

FIXTURE_TEARDOWN(monitor)
{
	pg2_monitor_close(self->mon);
	pg2_close(self->h);
	free(self->model.t.groups);
	free(self->model.t.members);
}

#define NEXT(ev) ASSERT_EQ(1, pg2_monitor_next(self->mon, (ev), 5000)) \
	TH_LOG("%s", pg2_monitor_errmsg(self->mon))

TEST_F(monitor, events_after_the_snapshot_only_in_order)
{
	struct pg2_table *table;
	struct pg2_event ev;
	uint64_t last;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	/* Subscribed already: this event is older than the snapshot. */
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	ASSERT_EQ(1, table->n_members);
	last = table->generation;
	pg2_table_free(table);
	EXPECT_EQ(0, pg2_monitor_next(self->mon, &ev, 0));

	ASSERT_EQ(0, pg2_create(self->h, "h"));
	ASSERT_EQ(0, pg2_join(self->h, "h", 0, "dd", 2));
	ASSERT_EQ(0, pg2_remote_join(self->h, "h", 3, 77, 2, NULL, 0));
	ASSERT_EQ(0, pg2_leave(self->h, "h", 0));
	ASSERT_EQ(0, pg2_delete(self->h, "h"));

	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("h", ev.group);
	EXPECT_EQ(getuid(), ev.creator_uid);
	EXPECT_EQ(last + 1, ev.generation);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_JOINED, ev.type);
	EXPECT_EQ(getpid(), ev.member.pid);
	EXPECT_EQ(1, ev.member.count);
	EXPECT_EQ(2, ev.member.data_len);
	EXPECT_EQ(last + 2, ev.generation);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_JOINED, ev.type);
	EXPECT_EQ(3, ev.member.node_id);
	EXPECT_EQ(77, ev.member.pid);
	EXPECT_EQ(2, ev.member.count);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_LEFT, ev.type);
	EXPECT_EQ(getpid(), ev.member.pid);
	EXPECT_EQ(0, ev.member.count);
	EXPECT_EQ(PG2_REASON_LEAVE, ev.reason);
	EXPECT_STREQ("leave", pg2_reason_name(ev.reason));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_LEFT, ev.type);
	EXPECT_EQ(77, ev.member.pid);
	EXPECT_EQ(PG2_REASON_GROUP_DELETED, ev.reason);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_DELETED, ev.type);
	EXPECT_STREQ("h", ev.group);
	EXPECT_EQ(last + 6, ev.generation);
	EXPECT_EQ(0, pg2_monitor_next(self->mon, &ev, 0));
}

TEST_F(monitor, node_drop_is_node_down)
{
	struct pg2_table *table;
	struct pg2_event ev;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 4, 40, 3, NULL, 0));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	pg2_table_free(table);
	ASSERT_EQ(0, pg2_node_drop(self->h, 4));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_LEFT, ev.type);
	EXPECT_EQ(4, ev.member.node_id);
	EXPECT_EQ(40, ev.member.pid);
	EXPECT_EQ(0, ev.member.count);
	EXPECT_EQ(PG2_REASON_NODE_DOWN, ev.reason);
	EXPECT_STREQ("node-down", pg2_reason_name(ev.reason));
}

TEST_F(monitor, exit_is_an_event)
{
	struct pg2_table *table;
	struct pg2_event ev;
	int release;
	pid_t child;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	pg2_table_free(table);
	child = sleeper(&release);
	ASSERT_EQ(0, pg2_join(self->h, "g", child, NULL, 0));
	close(release);
	waitpid(child, NULL, 0);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_JOINED, ev.type);
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_MEMBER_LEFT, ev.type);
	EXPECT_EQ(child, ev.member.pid);
	EXPECT_EQ(PG2_REASON_EXIT, ev.reason);
}

TEST_F(monitor, fd_is_pollable_and_timeout_returns_zero)
{
	struct pollfd pfd = { .fd = pg2_monitor_fd(self->mon),
			      .events = POLLIN };
	struct pg2_event ev;

	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(0, pg2_monitor_next(self->mon, &ev, 100));
	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(1, pg2_monitor_next(self->mon, &ev, 0));
	EXPECT_STREQ("group-created", pg2_event_type_name(ev.type));
}

TEST_F_TIMEOUT(monitor, overflow_resyncs_to_the_right_table, 300)
{
	int tiny = 1, resyncs = 0, ret;
	struct pg2_table *table;
	struct pg2_event ev;
	uint32_t pid;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 2, 1, 1, NULL, 0));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	model_load(&self->model, table);
	pg2_table_free(table);
	/* The smallest receive buffer: a few events fill it. */
	ASSERT_EQ(0, setsockopt(pg2_monitor_fd(self->mon), SOL_SOCKET,
				SO_RCVBUF, &tiny, sizeof(tiny)));
	for (pid = 2; pid < 1000; pid++)
		ASSERT_EQ(0, pg2_remote_join(self->h, "g", 2, pid, 1, "x", 1));
	ASSERT_EQ(0, pg2_create(self->h, "late"));
	while ((ret = pg2_monitor_next(self->mon, &ev, 0)) == 1) {
		resyncs += ev.type == PG2_EVENT_RESYNC;
		ASSERT_TRUE(model_apply(&self->model, &ev))
			TH_LOG("event %s of %s does not apply",
			       pg2_event_type_name(ev.type), ev.group);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", pg2_monitor_errmsg(self->mon));
	EXPECT_LE(1, resyncs);
	ASSERT_EQ(0, pg2_table_get(self->h, false, &table));
	EXPECT_EQ(table->generation, self->model.t.generation);
	EXPECT_TRUE(model_equals(&self->model, table));
	pg2_table_free(table);

	/* And it keeps following changes after the resync. */
	ASSERT_EQ(0, pg2_node_drop(self->h, 2));
	ASSERT_EQ(0, pg2_delete(self->h, "late"));
	while ((ret = pg2_monitor_next(self->mon, &ev, 500)) == 1)
		ASSERT_TRUE(model_apply(&self->model, &ev));
	ASSERT_EQ(0, pg2_table_get(self->h, false, &table));
	EXPECT_EQ(table->generation, self->model.t.generation);
	EXPECT_TRUE(model_equals(&self->model, table));
	EXPECT_EQ(1, table->n_groups);
	pg2_table_free(table);
}

/*
 * After an overflow the kernel drops the socket's events until its queue
 * is empty: a change made right after the RESYNC must still arrive.
 */
TEST_F(monitor, change_right_after_resync_is_not_lost)
{
	struct pg2_event ev;
	int tiny = 1;
	uint32_t pid;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, setsockopt(pg2_monitor_fd(self->mon), SOL_SOCKET,
				SO_RCVBUF, &tiny, sizeof(tiny)));
	for (pid = 1; pid < 100; pid++)
		ASSERT_EQ(0, pg2_remote_join(self->h, "g", 2, pid, 1, NULL, 0));
	NEXT(&ev);
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(99, ev.table->n_members);
	ASSERT_EQ(0, pg2_create(self->h, "after"));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
}

/* Counts a failed check of a process that is not the test's. */
#define CHILD_CHECK(failures, cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "# %s:%d: check failed: %s\n", __FILE__, \
			__LINE__, #cond); \
		(failures)++; \
	} \
} while (0)

/*
 * The container's side of pid_namespace_monitor_matches_its_dumps(): the
 * init (pid 1) of a new pid namespace and netns.  Returns its failures.
 */
static int container(int ready_fd, int go_fd)
{
	struct model model = { 0 };
	struct pg2_monitor *mon;
	struct pg2_handle *h;
	struct pg2_table *t;
	struct pg2_event ev;
	int fails = 0, ret, rel1, rel2, rel3;
	pid_t in1, in2, in3;
	char c;

	if (pg2_open(&h, -1) || pg2_monitor_open(&mon, -1))
		return 100;
	CHILD_CHECK(fails, getpid() == 1);
	CHILD_CHECK(fails, pg2_create(h, "g") == 0);
	CHILD_CHECK(fails, pg2_join(h, "g", 0, "init", 4) == 0);
	in1 = sleeper(&rel1);
	CHILD_CHECK(fails, pg2_join(h, "g", in1, NULL, 0) == 0);
	CHILD_CHECK(fails, pg2_monitor_snapshot(mon, &t) == 0);
	model_load(&model, t);
	CHILD_CHECK(fails, t->n_members == 2);
	CHILD_CHECK(fails, model_member(t, 0, 0, 1) >= 0);
	pg2_table_free(t);
	CHILD_CHECK(fails, write(ready_fd, "r", 1) == 1);

	/* The container's own changes, while the outside makes others. */
	in2 = sleeper(&rel2);
	in3 = sleeper(&rel3);
	CHILD_CHECK(fails, pg2_join(h, "g", in2, "two", 3) == 0);
	CHILD_CHECK(fails, pg2_join(h, "g", in2, NULL, 0) == 0);
	CHILD_CHECK(fails, pg2_join(h, "g", in3, NULL, 0) == 0);
	CHILD_CHECK(fails, pg2_leave(h, "g", in1) == 0);
	CHILD_CHECK(fails, pg2_join(h, "g", 0, NULL, 0) == 0);
	close(rel1);
	close(rel2);
	waitpid(in1, NULL, 0);
	waitpid(in2, NULL, 0);

	/* Every outside change happened before this byte was written. */
	CHILD_CHECK(fails, read(go_fd, &c, 1) == 1);
	CHILD_CHECK(fails, pg2_create(h, "end") == 0);
	while ((ret = pg2_monitor_next(mon, &ev, 5000)) == 1) {
		if (!model_apply(&model, &ev)) {
			fprintf(stderr, "# event %s pid %u of %s does not apply\n",
				pg2_event_type_name(ev.type), ev.member.pid,
				ev.group);
			fails++;
		}
		if (ev.type == PG2_EVENT_GROUP_CREATED &&
		    !strcmp(ev.group, "end"))
			break;
	}
	CHILD_CHECK(fails, ret == 1);
	CHILD_CHECK(fails, pg2_table_get(h, false, &t) == 0);
	CHILD_CHECK(fails, model_equals(&model, t));
	/* Ourselves (twice), in3, and the outside's remote member. */
	CHILD_CHECK(fails, t->n_members == 3);
	CHILD_CHECK(fails, model_member(t, 0, 0, 1) >= 0);
	CHILD_CHECK(fails, model_member(t, 0, 0, in3) >= 0);
	CHILD_CHECK(fails, model_member(t, 0, 7, 4242) >= 0);
	pg2_table_free(t);
	close(rel3);
	waitpid(in3, NULL, 0);
	free(model.t.groups);
	free(model.t.members);
	pg2_monitor_close(mon);
	pg2_close(h);
	return fails;
}

/*
 * A monitor in a container (a pid namespace and a netns of its own) while
 * members inside and outside its pid namespace join, leave and exit: its
 * snapshot plus its events equal a fresh dump, both numbered in its pid
 * namespace, without the members it cannot see.
 */
TEST_F_TIMEOUT(monitor, pid_namespace_monitor_matches_its_dumps, 120)
{
	int ready[2], go[2], release1, release2, status, netns;
	struct pg2_handle *out;
	pid_t m, out1, out2;
	char path[64], c;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(go));
	m = fork();
	ASSERT_LE(0, m);
	if (!m) {
		pid_t init;

		close(ready[0]);
		close(go[1]);
		if (unshare(CLONE_NEWPID | CLONE_NEWNET))
			_exit(101);
		init = fork();
		if (!init)
			_exit(container(ready[1], go[0]));
		if (waitpid(init, &status, 0) != init || !WIFEXITED(status))
			_exit(102);
		_exit(WEXITSTATUS(status));
	}
	close(ready[1]);
	close(go[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	snprintf(path, sizeof(path), "/proc/%d/ns/net", m);
	netns = open(path, O_RDONLY);
	ASSERT_LE(0, netns);
	ASSERT_EQ(0, pg2_open(&out, netns));
	close(netns);

	/* Members the container cannot see, and a remote one it can. */
	out1 = sleeper(&release1);
	out2 = sleeper(&release2);
	ASSERT_EQ(0, pg2_join(out, "g", out1, NULL, 0));
	ASSERT_EQ(0, pg2_join(out, "g", out2, "out", 3));
	ASSERT_EQ(0, pg2_remote_join(out, "g", 7, 4242, 2, "r", 1));
	ASSERT_EQ(0, pg2_leave(out, "g", out1));
	ASSERT_EQ(0, pg2_join(out, "g", out1, NULL, 0));
	close(release1);
	ASSERT_EQ(out1, waitpid(out1, NULL, 0));
	ASSERT_EQ(1, write(go[1], "g", 1));

	ASSERT_EQ(m, waitpid(m, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(release2);
	waitpid(out2, NULL, 0);
	pg2_close(out);
}

/* A datagram cut short lost events as surely as an overflow. */
TEST_F(monitor, truncated_datagram_resyncs)
{
	struct pg2_table *table;
	struct pg2_event ev;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	pg2_table_free(table);
	ASSERT_EQ(0, pg2_create(self->h, "cut"));
	truncate_next = true;
	NEXT(&ev);
	EXPECT_FALSE(truncate_next);
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(2, ev.table->n_groups);
	ASSERT_EQ(0, pg2_create(self->h, "after"));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
}

/* Every change has its generation: one missing is events lost. */
TEST_F(monitor, missing_generation_resyncs)
{
	struct pg2_table *table;
	struct pg2_event ev;
	uint64_t now;

	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	pg2_table_free(table);
	ASSERT_EQ(0, pg2_create(self->h, "lost"));
	ASSERT_EQ(0, pg2_create(self->h, "next"));
	drop_next = true;
	NEXT(&ev);
	EXPECT_FALSE(drop_next);
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(2, ev.table->n_groups);
	ASSERT_EQ(0, pg2_generation(self->h, &now));
	EXPECT_EQ(now, ev.generation);
}

/* A new node id is every local member's: the monitor reads the table. */
TEST_F(monitor, node_id_change_resyncs)
{
	struct pg2_table *table;
	struct pg2_event ev;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, NULL, 0));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	ASSERT_EQ(1, table->n_members);
	EXPECT_EQ(0, table->members[0].member.node_id);
	pg2_table_free(table);
	ASSERT_EQ(0, pg2_node_set_id(self->h, 9));
	NEXT(&ev);
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	ASSERT_EQ(1, ev.table->n_members);
	EXPECT_EQ(9, ev.table->members[0].member.node_id);
	EXPECT_EQ(getpid(), (pid_t)ev.table->members[0].member.pid);
	ASSERT_EQ(0, pg2_create(self->h, "after"));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
}

/* Overflows the monitor's socket: a tiny buffer, many events. */
static void overflow(struct __test_metadata *_metadata,
		     FIXTURE_DATA(monitor) *self)
{
	struct pg2_table *table;
	uint32_t pid;
	int tiny = 1;

	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_monitor_snapshot(self->mon, &table));
	pg2_table_free(table);
	ASSERT_EQ(0, setsockopt(pg2_monitor_fd(self->mon), SOL_SOCKET,
				SO_RCVBUF, &tiny, sizeof(tiny)));
	for (pid = 1; pid < 200; pid++)
		ASSERT_EQ(0, pg2_remote_join(self->h, "g", 2, pid, 1, NULL, 0));
}

/*
 * After an overflow the monitor drops what is queued, but a producer that
 * never lets the queue run empty must not keep it there for ever.
 */
TEST_F_TIMEOUT(monitor, drain_after_overflow_is_bounded, 60)
{
	struct pg2_event ev;
	int ret;

	overflow(_metadata, self);
	flood = true;
	ret = pg2_monitor_next(self->mon, &ev, 0);
	flood = false;
	ASSERT_EQ(1, ret) TH_LOG("%s", pg2_monitor_errmsg(self->mon));
	EXPECT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(199, ev.table->n_members);
	EXPECT_LT(0, flood_copies);
	ASSERT_EQ(0, pg2_create(self->h, "after"));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
}

/* Overflow after overflow: -EAGAIN, temporary; the next call resyncs. */
TEST_F_TIMEOUT(monitor, overflow_storm_is_eagain_then_resync, 60)
{
	struct pg2_event ev;

	overflow(_metadata, self);
	overflowing = true;
	EXPECT_EQ(-EAGAIN, pg2_monitor_next(self->mon, &ev, 0));
	overflowing = false;
	EXPECT_LT(1, overflows);
	EXPECT_NE(NULL, strstr(pg2_monitor_errmsg(self->mon), "call again"));
	NEXT(&ev);
	EXPECT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(199, ev.table->n_members);
}

TEST_HARNESS_MAIN
