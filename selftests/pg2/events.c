// SPDX-License-Identifier: GPL-2.0
/*
 * Events: every change is announced exactly once, in generation order, and
 * subscribe-then-dump gives an exact copy of the table even while other
 * processes change it.
 */
#include <poll.h>
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

/* One event as the wire carried it. */
struct wire_event {
	int cmd;
	char group[PG2_NAME_MAX + 1];
	uint32_t node_id, pid, count, creator_uid, data_len;
	int reason;		/* -1: absent */
	uint64_t generation;
};

static uint32_t attr_u32(const struct nlattr *a)
{
	return a ? *(const uint32_t *)((const char *)a + NLA_HDRLEN) : 0;
}

/* Receives the next event from a raw listener: 1, 0 on timeout, -errno. */
static int next_wire_event(struct rawnl *nl, struct wire_event *ev,
			   int timeout_ms)
{
	static unsigned char buf[RAWNL_BUF];
	const struct nlattr *tb[PG2_A_MAX + 1];
	const struct nlmsghdr *h = (const void *)buf;
	const struct nlattr *a;
	int n;

	n = rawnl_recv(nl, buf, sizeof(buf), timeout_ms);
	if (n <= 0)
		return n;
	/* Every event is a message of its own. */
	if (!NLMSG_OK(h, (unsigned int)n) || h->nlmsg_len != (unsigned int)n ||
	    rawnl_parse(h, tb, PG2_A_MAX))
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	ev->cmd = ((const struct genlmsghdr *)NLMSG_DATA(h))->cmd;
	a = tb[PG2_A_GROUP_NAME];
	if (a)
		snprintf(ev->group, sizeof(ev->group), "%s",
			 (const char *)a + NLA_HDRLEN);
	ev->node_id = attr_u32(tb[PG2_A_NODE_ID]);
	ev->pid = attr_u32(tb[PG2_A_PID]);
	ev->count = attr_u32(tb[PG2_A_COUNT]);
	ev->creator_uid = attr_u32(tb[PG2_A_CREATOR_UID]);
	ev->data_len = tb[PG2_A_DATA] ? tb[PG2_A_DATA]->nla_len - NLA_HDRLEN : 0;
	ev->reason = tb[PG2_A_REASON] ?
		*((const uint8_t *)tb[PG2_A_REASON] + NLA_HDRLEN) : -1;
	if (!tb[PG2_A_GENERATION])
		return -EPROTO;
	memcpy(&ev->generation, (const char *)tb[PG2_A_GENERATION] + NLA_HDRLEN,
	       sizeof(ev->generation));
	return 1;
}

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
	struct wire_event ev; \
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000)); \
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

#define EXPECT_NO_EVENT() do { \
	struct wire_event ev; \
	EXPECT_EQ(0, next_wire_event(&self->nl, &ev, 300)) \
		TH_LOG("unexpected event %d on %s, generation %llu", ev.cmd, \
		       ev.group, (unsigned long long)ev.generation); \
} while (0)

TEST_F(ev, every_change_exactly_one_event)
{
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

	ASSERT_EQ(0, pg2_delete(self->h, "a"));
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 0, me, 0,
		     PG2_REASON_GROUP_DELETED);
	EXPECT_EVENT(PG2_CMD_GROUP_DELETED, "a", 0, 0, 0, -1);
	EXPECT_NO_EVENT();
	EXPECT_EQ(self->last, generation(self->h));
}

TEST_F(ev, event_fields)
{
	struct wire_event ev;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000));
	EXPECT_EQ(getuid(), ev.creator_uid);
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, "four", 4));
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000));
	EXPECT_EQ(4, ev.data_len);
	ASSERT_EQ(0, pg2_node_set_id(self->h, 12));
	ASSERT_EQ(0, pg2_join(self->h, "a", 0, NULL, 0));
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000));
	EXPECT_EQ(12, ev.node_id);
	EXPECT_EQ(2, ev.count);
	EXPECT_EQ(generation(self->h), ev.generation);
}

/* Events carry pids of the initial pid namespace. */
TEST_F(ev, pids_of_the_initial_pid_namespace)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "a" } },
		{ .groups = { NULL } },
	};
	struct wire_event ev;
	pid_t child;
	int res;

	ASSERT_EQ(0, pg2_create(self->h, "a"));
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000));
	ASSERT_EQ(0, unshare(CLONE_NEWPID));
	child = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, child);
	ASSERT_EQ(0, res);
	ASSERT_EQ(1, next_wire_event(&self->nl, &ev, 5000));
	EXPECT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
	EXPECT_EQ((uint32_t)child, ev.pid);
	child_kill(child);
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

static void churn(int worker, long long until)
{
	static const char *const groups[] = { "g0", "g1", "g2", "g3" };
	struct pg2_handle *h;
	const char *g;

	srand(getpid());
	CHILD_CHECK(!pg2_open(&h, -1));
	while (now_ms() < until) {
		g = groups[rand() % 4];
		switch (rand() % 6) {
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
	pg2_table_free(t);
	pg2_monitor_close(m2);
	pg2_monitor_close(m1);
}

TEST_HARNESS_MAIN
