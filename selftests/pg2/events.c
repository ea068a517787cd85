// SPDX-License-Identifier: GPL-2.0
/*
 * Events: every change is announced exactly once, in generation order, and
 * subscribe-then-dump gives an exact copy of the table even while other
 * processes change it.
 */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

FIXTURE(ev) {
	struct pg2_handle *h;
	struct rawnl nl;
	uint64_t last;		/* generation of the last event seen */
};

FIXTURE_SETUP(ev)
{
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	ASSERT_EQ(0, rawnl_open(&self->nl));
	ASSERT_EQ(0, rawnl_listen(&self->nl));
	self->last = generation(self->h);
}

FIXTURE_TEARDOWN(ev)
{
	rawnl_close(&self->nl);
	pg2_close(self->h);
}

/* The next event must be this one, one generation after the last. */
#define EXPECT_EVENT(_cmd, _group, _node, _pid, _count, _reason) do { \
	struct rawnl_event ev; \
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000)); \
	EXPECT_EQ(_cmd, ev.cmd); \
	EXPECT_STREQ(_group, ev.group); \
	EXPECT_EQ(self->last + 1, ev.generation); \
	self->last = ev.generation; \
	if ((_cmd) == PG2_CMD_MEMBER_JOINED || (_cmd) == PG2_CMD_MEMBER_LEFT) { \
		EXPECT_EQ((uint32_t)(_node), ev.node_id); \
		EXPECT_EQ((uint32_t)(_pid), ev.pid); \
		EXPECT_EQ((uint32_t)(_count), ev.count); \
	} \
	EXPECT_EQ(_reason, ev.reason); \
} while (0)

/*
 * No event since the last one: the next is that of a marker change made
 * now, one generation after the last event.
 */
#define EXPECT_NO_EVENT() do { \
	ASSERT_EQ(0, pg2_create(self->h, "marker")); \
	EXPECT_EVENT(PG2_CMD_GROUP_CREATED, "marker", 0, 0, 0, -1); \
	ASSERT_EQ(0, pg2_delete(self->h, "marker")); \
	EXPECT_EVENT(PG2_CMD_GROUP_DELETED, "marker", 0, 0, 0, -1); \
} while (0)

TEST_F(ev, every_change_exactly_one_event)
{
	struct pg2_snapshot_entry snap[] = {
		{ .group = "b", .pid = 78, .count = 1 },
		{ .group = "b", .pid = 79, .count = 2, .data = "d", .data_len = 1 },
	};
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "a" } },
		{ .groups = { NULL } },
	};
	pid_t me = getpid(), child;
	int res;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EVENT(PG2_CMD_GROUP_CREATED, "a", 0, 0, 0, -1);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, "x", 1));
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "a", 0, me, 1, -1);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "a", 0, me, 2, -1);
	ASSERT_EQ(0, pg2_leave(self->h, "a", 0));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 0, me, 1, PG2_REASON_LEAVE);

	/* No change, no event. */
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_delete(self->h, "absent"));
	ASSERT_EQ(0, pg2_leave(self->h, "a", dead_pid()));
	EXPECT_EQ(-ENOENT, pg2_join(self->h, "absent", 0, NULL, 0));
	EXPECT_NO_EVENT();

	child = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "a", 0, child, 1, -1);
	ASSERT_EQ(0, child_kill(child));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 0, child, 0, PG2_REASON_EXIT);

	ASSERT_EQ(0, pg2_create(self->h, "b"));
	EXPECT_EVENT(PG2_CMD_GROUP_CREATED, "b", 0, 0, 0, -1);
	ASSERT_EQ(0, pg2_remote_join(self->h, "b", 5, 77, 3, NULL, 0));
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "b", 5, 77, 3, -1);
	ASSERT_EQ(0, pg2_remote_leave(self->h, "b", 5, 77, 1));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "b", 5, 77, 2, PG2_REASON_LEAVE);
	ASSERT_EQ(0, pg2_node_drop(self->h, 5));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "b", 5, 77, 0, PG2_REASON_NODE_DOWN);
	ASSERT_EQ(0, pg2_node_replace(self->h, 6, snap, 2));
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "b", 6, 78, 1, -1);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "b", 6, 79, 2, -1);
	ASSERT_EQ(0, pg2_node_replace(self->h, 6, snap + 1, 1));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "b", 6, 78, 0, PG2_REASON_NODE_DOWN);
	/* The same snapshot again changes nothing. */
	ASSERT_EQ(0, pg2_node_replace(self->h, 6, snap + 1, 1));
	EXPECT_NO_EVENT();

	ASSERT_EQ(0, pg2_delete(self->h, "a"));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 0, me, 0,
		     PG2_REASON_GROUP_DELETED);
	EXPECT_EVENT(PG2_CMD_GROUP_DELETED, "a", 0, 0, 0, -1);
	EXPECT_NO_EVENT();
	EXPECT_EQ(self->last, generation(self->h));
}

/*
 * Deleting a group drops every member of every node, each with its own
 * MEMBER_LEFT (reason group deleted, count 0), then says GROUP_DELETED.
 */
/* A new node id is one change; the id in force is none. */
TEST_F(ev, node_id_change_is_one_event)
{
	struct rawnl_event ev;

	ASSERT_EQ(0, pg2_node_set_id(self->h, 7));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(PG2_CMD_NODE_ID_CHANGED, ev.cmd);
	EXPECT_EQ(7, ev.node_id);
	EXPECT_EQ(self->last + 1, ev.generation);
	EXPECT_EQ(ev.generation, generation(self->h));
	self->last = ev.generation;
	ASSERT_EQ(0, pg2_node_set_id(self->h, 7));
	EXPECT_EQ(self->last, generation(self->h));
	EXPECT_NO_EVENT();
}

TEST_F(ev, delete_announces_every_member_then_the_group)
{
	pid_t child = child_start(NULL, NULL, NULL);
	struct {
		uint32_t node, pid;
		int seen;
	} want[] = {
		{ 0, getpid(), 0 }, { 0, child, 0 }, { 5, 77, 0 },
		{ 6, 77, 0 }, { 6, 78, 0 },
	};
	struct rawnl_event ev;
	size_t i, k;

	ASSERT_LT(0, child);
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(0, pg2_join(self->h, "a", child, "c", 1));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 77, 3, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 6, 77, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 6, 78, 1, "r", 1));
	for (i = 0; i < 7; i++)
		ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	self->last = ev.generation;

	ASSERT_EQ(0, pg2_delete(self->h, "a"));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
		ASSERT_EQ(PG2_CMD_MEMBER_LEFT, ev.cmd);
		EXPECT_STREQ("a", ev.group);
		EXPECT_EQ(PG2_REASON_GROUP_DELETED, ev.reason);
		EXPECT_EQ(0, ev.count);
		EXPECT_EQ(++self->last, ev.generation);
		for (k = 0; k < ARRAY_SIZE(want); k++)
			if (want[k].node == ev.node_id && want[k].pid == ev.pid)
				want[k].seen++;
	}
	for (k = 0; k < ARRAY_SIZE(want); k++) {
		EXPECT_EQ(1, want[k].seen) TH_LOG("member %u/%u", want[k].node,
						  want[k].pid);
	}
	EXPECT_EVENT(PG2_CMD_GROUP_DELETED, "a", 0, 0, 0, -1);
	EXPECT_NO_EVENT();
	child_kill(child);
}

/* One exit, memberships in two netns: each netns announces its own. */
TEST_F(ev, exit_is_announced_in_every_netns)
{
	struct rawnl other;
	struct rawnl_event ev;
	struct pg2_handle *h2;
	int home, netns2, res;
	uint64_t gen2;
	pid_t child;

	home = netns_self_fd();
	ASSERT_LE(0, home);
	ASSERT_EQ(0, enter_new_netns());
	netns2 = netns_self_fd();
	ASSERT_LE(0, netns2);
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	close(home);
	ASSERT_EQ(0, pg2_open(&h2, netns2));
	ASSERT_EQ(0, rawnl_open_in(&other, netns2));
	ASSERT_EQ(0, rawnl_listen(&other));
	ASSERT_EQ(0, pg2_create(self->h, "a"));
	EXPECT_EVENT(PG2_CMD_GROUP_CREATED, "a", 0, 0, 0, -1);
	ASSERT_EQ(0, pg2_create(h2, "b"));
	ASSERT_EQ(1, rawnl_next_event(&other, &ev, 5000));
	gen2 = ev.generation;
	{
		struct join_spec spec[] = {
			{ .netns_fd = -1, .groups = { "a" } },
			{ .netns_fd = netns2, .groups = { "b" }, .times = 2 },
			{ .groups = { NULL } },
		};

		child = child_start(child_join_fn, spec, &res);
	}
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "a", 0, child, 1, -1);
	ASSERT_EQ(0, child_kill(child));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 0, child, 0, PG2_REASON_EXIT);
	EXPECT_NO_EVENT();

	ASSERT_EQ(1, rawnl_next_event(&other, &ev, 5000));
	EXPECT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
	EXPECT_EQ(++gen2, ev.generation);
	ASSERT_EQ(1, rawnl_next_event(&other, &ev, 5000));
	EXPECT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
	EXPECT_EQ(2, ev.count);
	EXPECT_EQ(++gen2, ev.generation);
	ASSERT_EQ(1, rawnl_next_event(&other, &ev, 5000));
	EXPECT_EQ(PG2_CMD_MEMBER_LEFT, ev.cmd);
	EXPECT_STREQ("b", ev.group);
	EXPECT_EQ((uint32_t)child, ev.pid);
	EXPECT_EQ(0, ev.count);
	EXPECT_EQ(PG2_REASON_EXIT, ev.reason);
	EXPECT_EQ(++gen2, ev.generation);
	/* Nothing more: the next event there is a marker's. */
	ASSERT_EQ(0, pg2_create(h2, "marker"));
	ASSERT_EQ(1, rawnl_next_event(&other, &ev, 5000));
	EXPECT_EQ(PG2_CMD_GROUP_CREATED, ev.cmd);
	EXPECT_EQ(++gen2, ev.generation);
	rawnl_close(&other);
	pg2_close(h2);
	close(netns2);
}

TEST_F(ev, event_fields)
{
	struct rawnl_event ev;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(getuid(), ev.creator_uid);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, "four", 4));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(4, ev.data_len);
	EXPECT_EQ(0, memcmp("four", ev.data, 4));
	ASSERT_EQ(0, pg2_node_set_id(self->h, 12));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(PG2_CMD_NODE_ID_CHANGED, ev.cmd);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(12, ev.node_id);
	EXPECT_EQ(2, ev.count);
	EXPECT_EQ(generation(self->h), ev.generation);
}

/* The inode number of a pid namespace file, 0 if unreadable. */
static uint32_t ns_inode(const char *path)
{
	struct stat st;

	return stat(path, &st) ? 0 : st.st_ino;
}

/* The NSpid line of /proc/pid/status: the pid at every level, or -1. */
static int nspid_line(pid_t pid, uint32_t *nr, int max)
{
	char path[64], line[256], *p, *end;
	FILE *f;
	int n = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "NSpid:", 6)) {
			p = line + 6;
			for (n = 0; n < max; n++) {
				nr[n] = strtoul(p, &end, 10);
				if (end == p)
					break;
				p = end;
			}
			break;
		}
	fclose(f);
	return n;
}

/*
 * Events carry the pid of the initial pid namespace and, for a local
 * member, PG2_A_NSPIDS: its number at every level, each with that pid
 * namespace's inode, exactly as /proc says.  A remote member has none.
 */
TEST_F(ev, nspids_name_a_member_in_every_pid_namespace)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "a" } },
		{ .groups = { NULL } },
	};
	uint32_t nr[8], ns_mine, ns_child;
	struct rawnl_event ev, left;
	char path[64];
	pid_t child;
	int res, levels, i;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));

	/* This process: one number per level it lives at. */
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	levels = nspid_line(getpid(), nr, 8);
	ASSERT_LE(1, levels);
	ASSERT_EQ(levels, ev.n_nspids);
	EXPECT_EQ(ns_inode("/proc/self/ns/pid"), ev.nspids[levels - 1].ns);
	for (i = 0; i < levels; i++) {
		EXPECT_EQ(nr[i], ev.nspids[i].pid);
	}

	/* A child in a pid namespace of its own, one level further down. */
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	ASSERT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
	ASSERT_EQ(levels + 1, nspid_line(child, nr, 8));
	EXPECT_EQ(1, nr[levels]);
	ns_mine = ns_inode("/proc/self/ns/pid");
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", child);
	ns_child = ns_inode(path);
	ASSERT_NE(0, ns_child);
	ASSERT_NE(ns_mine, ns_child);
	/* PG2_A_PID is the initial namespace's number: the first level's. */
	EXPECT_EQ(nr[0], ev.pid);
	ASSERT_EQ(levels + 1, ev.n_nspids);
	for (i = 0; i <= levels; i++) {
		EXPECT_EQ(nr[i], ev.nspids[i].pid) TH_LOG("level %d", i);
	}
	EXPECT_EQ(ns_mine, ev.nspids[levels - 1].ns);
	EXPECT_EQ(ns_child, ev.nspids[levels].ns);
	EXPECT_EQ(1, ev.nspids[levels].pid);

	/* Its exit says the same, though /proc has forgotten it by then. */
	ASSERT_EQ(0, child_kill(child));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &left, 5000));
	ASSERT_EQ(PG2_CMD_MEMBER_LEFT, left.cmd);
	EXPECT_EQ(PG2_REASON_EXIT, left.reason);
	ASSERT_EQ(ev.n_nspids, left.n_nspids);
	for (i = 0; i <= levels; i++) {
		EXPECT_EQ(ev.nspids[i].ns, left.nspids[i].ns);
		EXPECT_EQ(ev.nspids[i].pid, left.nspids[i].pid);
	}

	/* Remote members have no pid namespace here. */
	ASSERT_EQ(0, pg2_remote_join(self->h, "a", 5, 77, 1, NULL, 0));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(77, ev.pid);
	EXPECT_EQ(-1, ev.n_nspids);
	ASSERT_EQ(0, pg2_remote_leave(self->h, "a", 5, 77, 1));
	ASSERT_EQ(1, rawnl_next_event(&self->nl, &ev, 5000));
	EXPECT_EQ(PG2_CMD_MEMBER_LEFT, ev.cmd);
	EXPECT_EQ(-1, ev.n_nspids);
}

/* A copy of a table, kept by applying events. */
#define MODEL_GROUPS 8
#define MODEL_MEMBERS 256

struct model {
	int n_groups, n_members;
	char groups[MODEL_GROUPS][16];
	struct {
		char group[16];
		uint32_t node_id, pid, count;
	} m[MODEL_MEMBERS];
	uint64_t generation;
	int events, resyncs;
	bool broken;
	struct pg2_monitor *mon;		/* an event made no sense */
};

static int model_member(struct model *md, const char *group, uint32_t node,
			uint32_t pid)
{
	int i;

	for (i = 0; i < md->n_members; i++)
		if (!strcmp(md->m[i].group, group) && md->m[i].node_id == node &&
		    md->m[i].pid == pid)
			return i;
	return -1;
}

static int model_group(struct model *md, const char *group)
{
	int i;

	for (i = 0; i < md->n_groups; i++)
		if (!strcmp(md->groups[i], group))
			return i;
	return -1;
}

static void model_set(struct model *md, const char *group, uint32_t node,
		      uint32_t pid, uint32_t count)
{
	int i = model_member(md, group, node, pid);

	if (i < 0 && count) {
		if (md->n_members == MODEL_MEMBERS || model_group(md, group) < 0) {
			md->broken = true;
			return;
		}
		i = md->n_members++;
		snprintf(md->m[i].group, sizeof(md->m[i].group), "%.15s", group);
		md->m[i].node_id = node;
		md->m[i].pid = pid;
	}
	if (i < 0)
		return;
	md->m[i].count = count;
	if (!count)
		md->m[i] = md->m[--md->n_members];
}

static void model_load(struct model *md, const struct pg2_table *t)
{
	const struct pg2_table_member *tm;
	size_t i;

	md->n_groups = 0;
	md->n_members = 0;
	md->generation = t->generation;
	for (i = 0; i < t->n_groups && i < MODEL_GROUPS; i++)
		snprintf(md->groups[md->n_groups++], 16, "%.15s",
			 t->groups[i].name);
	for (i = 0; i < t->n_members; i++) {
		tm = &t->members[i];
		model_set(md, t->groups[tm->group].name, tm->member.node_id,
			  tm->member.pid, tm->member.count);
	}
}

static void model_apply(struct model *md, const struct pg2_event *ev)
{
	int i;

	if (ev->type == PG2_EVENT_RESYNC) {
		model_load(md, ev->table);
		md->resyncs++;
		return;
	}
	md->events++;
	if (ev->generation != md->generation + 1)
		md->broken = true;
	md->generation = ev->generation;
	switch (ev->type) {
	case PG2_EVENT_GROUP_CREATED:
		if (model_group(md, ev->group) >= 0 ||
		    md->n_groups == MODEL_GROUPS)
			md->broken = true;
		else
			snprintf(md->groups[md->n_groups++], 16, "%.15s",
				 ev->group);
		break;
	case PG2_EVENT_GROUP_DELETED:
		/* Its members left first, each with an event. */
		for (i = 0; i < md->n_members; i++)
			if (!strcmp(md->m[i].group, ev->group))
				md->broken = true;
		i = model_group(md, ev->group);
		if (i < 0)
			md->broken = true;
		else
			memcpy(md->groups[i], md->groups[--md->n_groups], 16);
		break;
	case PG2_EVENT_MEMBER_JOINED:
	case PG2_EVENT_MEMBER_LEFT:
		model_set(md, ev->group, ev->member.node_id, ev->member.pid,
			  ev->member.count);
		break;
	default:
		md->broken = true;
	}
}

static bool model_matches(const struct model *md, const struct pg2_table *t)
{
	struct model copy = *md;
	size_t i;
	int k;

	if ((size_t)md->n_groups != t->n_groups ||
	    (size_t)md->n_members != t->n_members ||
	    md->generation != t->generation)
		return false;
	for (i = 0; i < t->n_groups; i++)
		if (model_group(&copy, t->groups[i].name) < 0)
			return false;
	for (i = 0; i < t->n_members; i++) {
		k = model_member(&copy, t->groups[t->members[i].group].name,
				 t->members[i].member.node_id,
				 t->members[i].member.pid);
		if (k < 0 || copy.m[k].count != t->members[i].member.count)
			return false;
	}
	return true;
}

static const char *const churn_groups[] = { "g0", "g1", "g2", "g3" };

/* A member that lives for one join: joined by pid, then it exits. */
static void short_lived_member(struct pg2_handle *h, const char *group)
{
	int go[2];
	pid_t pid;
	char c;

	if (pipe(go))
		return;
	pid = fork();
	if (!pid) {
		close(go[1]);
		/* Exits once the worker closes its end. */
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(go[0]);
	if (pid > 0)
		pg2_join(h, group, pid, "short", 5);
	close(go[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/* This worker's node's whole membership, replaced at random. */
static void random_replace(struct pg2_handle *h, int worker)
{
	struct pg2_snapshot_entry snap[3];
	int i, n = rand() % 4;

	for (i = 0; i < n; i++) {
		snap[i] = (struct pg2_snapshot_entry){
			.group = churn_groups[rand() % 4],
			.pid = 200 + i,
			.count = 1 + rand() % 3,
		};
	}
	pg2_node_replace(h, 10 + worker, snap, n);
}

static void churn(int worker, long long until)
{
	struct pg2_handle *h;
	const char *g;

	srand(getpid());
	CHILD_CHECK(!pg2_open(&h, -1));
	while (now_ms() < until) {
		g = churn_groups[rand() % 4];
		switch (rand() % 8) {
		case 0:
			pg2_join(h, g, 0, NULL, 0);
			break;
		case 1:
			pg2_leave(h, g, 0);
			break;
		case 2:
			pg2_remote_join(h, g, 1 + worker % 2, 100 + rand() % 4,
					1 + rand() % 2, NULL, 0);
			break;
		case 3:
			pg2_remote_leave(h, g, 1 + worker % 2,
					 100 + rand() % 4, 1);
			break;
		case 4:
			if (rand() % 8 == 0)
				pg2_delete(h, "g3");
			else
				pg2_create(h, "g3");
			break;
		case 5:
			if (rand() % 16 == 0)
				pg2_node_drop(h, 1 + worker % 2);
			break;
		case 6:
			short_lived_member(h, g);
			break;
		case 7:
			random_replace(h, worker);
			break;
		}
		/* Busy, not saturated: dumps can complete between changes. */
		usleep(rand() % 2000);
	}
	pg2_close(h);
	_exit(0);
}

static int drain(struct pg2_monitor *mon, struct model *md, int timeout_ms)
{
	struct pg2_event ev;
	int n = 0, err;

	while ((err = pg2_monitor_next(mon, &ev, timeout_ms)) == 1) {
		model_apply(md, &ev);
		n++;
	}
	return err < 0 ? err : n;
}

/*
 * An interrupted dump (-EAGAIN) is retried for up to 20 s; meanwhile the
 * other monitor keeps draining its events.
 */
static int snapshot(struct pg2_monitor *mon, struct pg2_table **t,
		    struct model *other)
{
	long long deadline = now_ms() + 20000;
	struct pg2_monitor *other_mon = other ? other->mon : NULL;
	int err;

	while ((err = pg2_monitor_snapshot(mon, t)) == -EAGAIN &&
	       now_ms() < deadline)
		if (other_mon && drain(other_mon, other, 0) < 0)
			return -EIO;
	return err;
}

TEST_F_TIMEOUT(ev, snapshot_plus_subscribe_under_churn, 180)
{
	enum { WORKERS = 4 };
	long long ms = env_long("PG2_EVENTS_SECONDS", 4) * 1000;
	long long start = now_ms(), until = start + ms;
	static struct model early, late;
	struct pg2_monitor *m1, *m2 = NULL;
	pid_t workers[WORKERS];
	struct pg2_table *t;
	int i, status;

	for (i = 0; i < 4; i++) {
		char name[4] = { 'g', '0' + i };

		ASSERT_EQ(0, pg2_create(self->h, name));
	}
	ASSERT_EQ(0, pg2_monitor_open(&m1, -1));
	ASSERT_EQ(0, snapshot(m1, &t, NULL));
	model_load(&early, t);
	early.mon = m1;
	pg2_table_free(t);
	for (i = 0; i < WORKERS; i++) {
		workers[i] = fork();
		ASSERT_LE(0, workers[i]);
		if (!workers[i])
			churn(i, until);
	}
	while (now_ms() < until) {
		ASSERT_LE(0, drain(m1, &early, 0));
		if (!m2 && now_ms() > start + ms / 3) {
			ASSERT_EQ(0, pg2_monitor_open(&m2, -1));
			ASSERT_EQ(0, snapshot(m2, &t, &early));
			model_load(&late, t);
			pg2_table_free(t);
		}
		if (m2)
			ASSERT_LE(0, drain(m2, &late, 0));
		usleep(2000);
	}
	for (i = 0; i < WORKERS; i++) {
		ASSERT_EQ(workers[i], waitpid(workers[i], &status, 0));
		EXPECT_EQ(0, status);
	}
	ASSERT_LE(0, drain(m1, &early, 500));
	ASSERT_NE(NULL, m2);
	ASSERT_LE(0, drain(m2, &late, 500));
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	TH_LOG("generation %llu; early monitor %d events, %d resyncs; late %d, %d",
	       (unsigned long long)t->generation, early.events, early.resyncs,
	       late.events, late.resyncs);
	EXPECT_FALSE(early.broken);
	EXPECT_FALSE(late.broken);
	EXPECT_TRUE(model_matches(&early, t));
	EXPECT_TRUE(model_matches(&late, t));
	EXPECT_LT(100, early.events);
	/*
	 * The events alone kept both copies exact: a resync (the 4 MiB
	 * receive queue of a monitor overflowed) would have hidden a lost or
	 * wrong event behind a fresh dump.
	 */
	EXPECT_EQ(0, early.resyncs);
	EXPECT_EQ(0, late.resyncs);
	pg2_table_free(t);
	pg2_monitor_close(m2);
	pg2_monitor_close(m1);
}

/* Joins and leaves "x", with data the join's number, until told to stop. */
struct churn_x {
	struct pg2_handle *h;
	atomic_int stop;
	int error;
};

static void *churn_x(void *arg)
{
	struct churn_x *c = arg;
	uint32_t k;

	/* Join k makes generation 2k + 3, its leave 2k + 4. */
	for (k = 0; !atomic_load(&c->stop); k++) {
		c->error = pg2_join(c->h, "x", 0, &k, sizeof(k)) ?:
			   pg2_leave(c->h, "x", 0);
		if (c->error)
			break;
	}
	return NULL;
}

/* Reads events, so that they are built and sent, until told to stop. */
static void *drain_events(void *arg)
{
	static unsigned char buf[RAWNL_BUF];
	struct churn_x *c = arg;
	struct rawnl nl;

	if (rawnl_open(&nl) || rawnl_listen(&nl))
		return NULL;
	while (!atomic_load(&c->stop))
		rawnl_recv(&nl, buf, sizeof(buf), 100);
	rawnl_close(&nl);
	return NULL;
}

/*
 * A dump that is not flagged NLM_F_DUMP_INTR shows the table exactly at
 * the generation its header gives, however the changes are made: never
 * a member (or a count 0 record) that generation says has left.
 */
TEST_F_TIMEOUT(ev, unflagged_dump_is_at_its_generation, 120)
{
	struct churn_x c = { .h = NULL };
	static struct rawnl_msg m;
	int dumps = 0, flagged = 0, wrong = 0;
	pthread_t churner, drainer;
	struct rawnl nl;
	long long end;

	ASSERT_EQ(0, pg2_create(self->h, "x"));
	ASSERT_EQ(2, generation(self->h));
	ASSERT_EQ(0, pg2_open(&c.h, -1));
	ASSERT_EQ(0, rawnl_open(&nl));
	ASSERT_EQ(0, pthread_create(&drainer, NULL, drain_events, &c));
	ASSERT_EQ(0, pthread_create(&churner, NULL, churn_x, &c));
	for (end = now_ms() + 5000; now_ms() < end; dumps++) {
		const struct nlattr *tb[PG2_A_MAX + 1];
		const struct nlmsghdr *h;
		struct rawnl_dump d;
		uint64_t gen = 0;
		uint32_t k = 0;
		int n, count = -1;

		rawnl_msg_init(&m, &nl, PG2_CMD_MEMBER_GET, NLM_F_DUMP);
		rawnl_put_str(&m, PG2_A_GROUP_NAME, "x");
		ASSERT_EQ(0, rawnl_dump(&nl, &m, &d));
		n = d.len;
		for (h = (void *)d.buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			ASSERT_EQ(0, rawnl_parse(h, tb, PG2_A_MAX));
			if (rawnl_cmd(h) == PG2_CMD_GENERATION) {
				memcpy(&gen, rawnl_data(tb[PG2_A_GENERATION]),
				       sizeof(gen));
			} else if (rawnl_cmd(h) == PG2_CMD_MEMBER_GET) {
				count = rawnl_u32(tb[PG2_A_COUNT]);
				k = rawnl_u32(tb[PG2_A_DATA]);
			}
		}
		if ((d.flags | d.done.flags) & NLM_F_DUMP_INTR)
			flagged++;
		else if (count == 0 || (count > 0 && gen >= 2ULL * k + 4))
			wrong++;
		rawnl_dump_free(&d);
	}
	atomic_store(&c.stop, 1);
	pthread_join(churner, NULL);
	pthread_join(drainer, NULL);
	TH_LOG("%d dumps, %d flagged, %d unflagged at the wrong generation",
	       dumps, flagged, wrong);
	EXPECT_EQ(0, c.error);
	EXPECT_EQ(0, wrong);
	EXPECT_LT(flagged, dumps);
	rawnl_close(&nl);
	pg2_close(c.h);
}

TEST_HARNESS_MAIN
