// SPDX-License-Identifier: GPL-2.0
/*
 * PG2_CMD_NODE_REPLACE, the relay's whole-snapshot replace, built byte by
 * byte: a snapshot with a bad entry changes nothing at all (the dump is
 * byte-identical, no event, same generation); a snapshot of several
 * PG2_A_MEMBERS nests is applied whole; the last entry wins for a member
 * named twice; only the difference is announced, and an identical snapshot
 * announces nothing.
 */
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

#define NODE 5

/* One snapshot entry as the test sends it. */
struct entry {
	const char *group;
	uint32_t pid;
	uint32_t count;
	const char *data;	/* NULL: no PG2_MEMBER_A_DATA */
};

/*
 * A NODE_REPLACE of node with n entries, per_nest of them in each
 * PG2_A_MEMBERS; offs[i] (if offs) is where entry i starts.
 */
static void build_replace(struct rawnl_msg *m, const struct rawnl *nl,
			  uint32_t node, const struct entry *e, int n,
			  int per_nest, size_t *offs)
{
	size_t members = 0, entry;
	int i;

	rawnl_msg_init(m, nl, PG2_CMD_NODE_REPLACE, 0);
	rawnl_put_u32(m, PG2_A_NODE_ID, node);
	for (i = 0; i < n; i++) {
		if (i % per_nest == 0) {
			if (i)
				rawnl_nest_end(m, members);
			members = rawnl_nest_start(m, PG2_A_MEMBERS);
		}
		entry = rawnl_nest_start(m, PG2_A_MEMBER);
		if (offs)
			offs[i] = entry;
		rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, e[i].group);
		rawnl_put_u32(m, PG2_MEMBER_A_PID, e[i].pid);
		rawnl_put_u32(m, PG2_MEMBER_A_COUNT, e[i].count);
		if (e[i].data)
			rawnl_put(m, PG2_MEMBER_A_DATA, e[i].data,
				  strlen(e[i].data));
		rawnl_nest_end(m, entry);
	}
	if (n)
		rawnl_nest_end(m, members);
	else
		rawnl_nest_end(m, rawnl_nest_start(m, PG2_A_MEMBERS));
}

/* The member (node, pid) of group as get_members reports it. */
static int member_of(struct pg2_handle *h, const char *group, uint32_t node,
		     uint32_t pid, struct pg2_member *out)
{
	struct pg2_member *m;
	size_t n, i;
	int err;

	err = pg2_get_members(h, group, &m, &n);
	if (err)
		return err;
	err = -ENOENT;
	for (i = 0; i < n; i++)
		if (m[i].node_id == node && m[i].pid == pid) {
			*out = m[i];
			err = 0;
		}
	free(m);
	return err;
}

static bool data_is(const struct pg2_member *m, const char *data)
{
	size_t len = data ? strlen(data) : 0;

	return m->data_len == len && !memcmp(m->data, data ? data : "", len);
}

/* A table every test starts from, and sockets to watch it. */
struct ctx {
	struct pg2_handle *h;
	struct rawnl nl;	/* requests */
	struct rawnl ev;	/* the events group */
	uint64_t gen;		/* generation after the setup */
	struct rawnl_dump before;
};

/*
 * Node 5 has a/50 (count 3, data "old"), a/51 ("keep"), a/53 (count 2),
 * a/56, b/52 (count 2, "gone"); node 6 has a/60; this process is a local
 * member of a.
 */
static void ctx_setup(struct __test_metadata *_metadata, struct ctx *c)
{
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&c->h, -1));
	ASSERT_EQ(0, rawnl_open(&c->nl));
	ASSERT_EQ(0, pg2_create(c->h, "a"));
	ASSERT_EQ(0, pg2_create(c->h, "b"));
	ASSERT_EQ(0, pg2_join(c->h, "a", 0, "local", 5));
	ASSERT_EQ(0, pg2_remote_join(c->h, "a", NODE, 50, 3, "old", 3));
	ASSERT_EQ(0, pg2_remote_join(c->h, "a", NODE, 51, 1, "keep", 4));
	ASSERT_EQ(0, pg2_remote_join(c->h, "a", NODE, 53, 2, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(c->h, "a", NODE, 56, 1, NULL, 0));
	ASSERT_EQ(0, pg2_remote_join(c->h, "b", NODE, 52, 2, "gone", 4));
	ASSERT_EQ(0, pg2_remote_join(c->h, "a", 6, 60, 1, NULL, 0));
	c->gen = generation(c->h);
	ASSERT_EQ(0, rawnl_dump_cmd(&c->nl, PG2_CMD_TABLE_GET, &c->before));
	ASSERT_EQ(0, rawnl_open(&c->ev));
	ASSERT_EQ(0, rawnl_listen(&c->ev));
}

static void ctx_teardown(struct ctx *c)
{
	rawnl_dump_free(&c->before);
	rawnl_close(&c->ev);
	rawnl_close(&c->nl);
	pg2_close(c->h);
}

/* The table is byte for byte what the setup left. */
static bool table_untouched(struct ctx *c)
{
	struct rawnl_dump now;
	bool same;

	if (rawnl_dump_cmd(&c->nl, PG2_CMD_TABLE_GET, &now))
		return false;
	same = now.len == c->before.len &&
	       !memcmp(now.buf, c->before.buf, now.len);
	rawnl_dump_free(&now);
	return same;
}

/*
 * No event since the last one read: the next event is that of a marker
 * change made now, one generation after the last change.
 */
#define ASSERT_NO_EVENT_SINCE(_gen) do { \
	struct rawnl_event _ev; \
	ASSERT_EQ(0, pg2_create(c->h, "marker")); \
	ASSERT_EQ(1, rawnl_next_event(&c->ev, &_ev, 5000)); \
	EXPECT_EQ(PG2_CMD_GROUP_CREATED, _ev.cmd) \
		TH_LOG("unexpected event %d on %s", _ev.cmd, _ev.group); \
	EXPECT_STREQ("marker", _ev.group); \
	EXPECT_EQ((_gen) + 1, _ev.generation); \
} while (0)

FIXTURE(replace) {
	struct ctx c;
};

FIXTURE_SETUP(replace)
{
	ctx_setup(_metadata, &self->c);
}

FIXTURE_TEARDOWN(replace)
{
	ctx_teardown(&self->c);
}

/* How the third entry is broken, and what the kernel must answer. */
enum bad_entry {
	NO_COUNT, NO_NAME, ZERO_PID, ZERO_COUNT, EMPTY_NAME, NAME_WITH_NUL,
	LONG_NAME, PID_AS_U16, UNKNOWN_ATTR, NOT_NESTED, LONG_DATA,
};

FIXTURE(bad_entry) {
	struct ctx c;
};

FIXTURE_SETUP(bad_entry)
{
	ctx_setup(_metadata, &self->c);
}

FIXTURE_TEARDOWN(bad_entry)
{
	ctx_teardown(&self->c);
}

FIXTURE_VARIANT(bad_entry) {
	enum bad_entry bad;
	const char *msg;
	int miss_type;		/* -1: none */
	bool at_entry;		/* the offset is the entry's own */
};

FIXTURE_VARIANT_ADD(bad_entry, no_count) {
	.bad = NO_COUNT, .msg = PG2_MSG_ENTRY_MISSING,
	.miss_type = PG2_MEMBER_A_COUNT, .at_entry = true,
};
FIXTURE_VARIANT_ADD(bad_entry, no_name) {
	.bad = NO_NAME, .msg = PG2_MSG_ENTRY_MISSING,
	.miss_type = PG2_MEMBER_A_GROUP_NAME, .at_entry = true,
};
FIXTURE_VARIANT_ADD(bad_entry, zero_pid) {
	.bad = ZERO_PID, .msg = PG2_MSG_ZERO, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, zero_count) {
	.bad = ZERO_COUNT, .msg = PG2_MSG_ZERO, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, empty_name) {
	.bad = EMPTY_NAME, .msg = PG2_MSG_BAD_NAME, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, name_with_nul) {
	.bad = NAME_WITH_NUL, .msg = PG2_MSG_BAD_NAME, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, long_name) {
	.bad = LONG_NAME, .msg = PG2_MSG_BAD_NAME, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, pid_as_u16) {
	.bad = PID_AS_U16, .msg = NL_MSG_BAD_LENGTH, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, unknown_attr) {
	.bad = UNKNOWN_ATTR, .msg = NL_MSG_UNKNOWN, .miss_type = -1,
};
FIXTURE_VARIANT_ADD(bad_entry, not_nested) {
	.bad = NOT_NESTED, .msg = NL_MSG_NOT_NESTED, .miss_type = -1,
	.at_entry = true,
};
FIXTURE_VARIANT_ADD(bad_entry, long_data) {
	.bad = LONG_DATA, .msg = PG2_MSG_LONG_DATA, .miss_type = -1,
};

/*
 * Appends the broken third entry; returns the offset the ACK must name
 * (the entry's, or that of the attribute at fault inside it) and sets
 * *entry_start, *entry_end to the entry's bytes.
 */
static size_t put_bad_entry(struct rawnl_msg *m, enum bad_entry bad,
			    size_t *entry_start, size_t *entry_end)
{
	char longest[PG2_NAME_MAX + 2], data[PG2_DATA_MAX + 1];
	uint16_t pid16 = 57;
	size_t entry, at;

	memset(longest, 'n', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(data, 'd', sizeof(data));
	if (bad == NOT_NESTED) {
		/* PG2_A_MEMBER without NLA_F_NESTED, holding a u32. */
		entry = rawnl_put_u32(m, PG2_A_MEMBER, 57);
		*entry_start = entry;
		*entry_end = m->len;
		return entry;
	}
	entry = rawnl_nest_start(m, PG2_A_MEMBER);
	at = entry;
	if (bad == EMPTY_NAME)
		at = rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, "");
	else if (bad == NAME_WITH_NUL)
		at = rawnl_put(m, PG2_MEMBER_A_GROUP_NAME, "a\0b", 4);
	else if (bad == LONG_NAME)
		at = rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, longest);
	else if (bad != NO_NAME)
		rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, "a");
	if (bad == ZERO_PID)
		at = rawnl_put_u32(m, PG2_MEMBER_A_PID, 0);
	else if (bad == PID_AS_U16)
		at = rawnl_put(m, PG2_MEMBER_A_PID, &pid16, sizeof(pid16));
	else
		rawnl_put_u32(m, PG2_MEMBER_A_PID, 57);
	if (bad == ZERO_COUNT)
		at = rawnl_put_u32(m, PG2_MEMBER_A_COUNT, 0);
	else if (bad != NO_COUNT)
		rawnl_put_u32(m, PG2_MEMBER_A_COUNT, 1);
	if (bad == UNKNOWN_ATTR)
		at = rawnl_put_u32(m, PG2_MEMBER_A_MAX + 1, 1);
	if (bad == LONG_DATA)
		at = rawnl_put(m, PG2_MEMBER_A_DATA, data, sizeof(data));
	rawnl_nest_end(m, entry);
	*entry_start = entry;
	*entry_end = m->len;
	return at;
}

/*
 * Entries 1 and 2 (in the first PG2_A_MEMBERS) would create a group and
 * lower a count; entry 3, broken, is in a second PG2_A_MEMBERS: the whole
 * snapshot is checked before anything is applied.
 */
TEST_F(bad_entry, third_entry_bad_changes_nothing)
{
	static const struct entry good[] = {
		{ "fresh", 70, 1, NULL },
		{ "a", 50, 1, "new" },
	};
	static struct rawnl_msg m;
	struct ctx *c = &self->c;
	struct rawnl_ack ack;
	size_t members, at, start, end;

	build_replace(&m, &c->nl, NODE, good, 2, 2, NULL);
	members = rawnl_nest_start(&m, PG2_A_MEMBERS);
	at = put_bad_entry(&m, variant->bad, &start, &end);
	rawnl_nest_end(&m, members);

	EXPECT_EQ(-EINVAL, rawnl_transact(&c->nl, &m, &ack));
	TH_LOG("extack \"%s\" offs %d miss %d/%d (entry at %zu)", ack.msg,
	       ack.offs, ack.miss_type, ack.miss_nest, start);
	EXPECT_TRUE(message_is(ack.msg, variant->msg));
	/* The ACK names the third entry, or an attribute inside it. */
	EXPECT_EQ((int)at, ack.offs);
	EXPECT_LE((int)start, ack.offs);
	EXPECT_GT((int)end, ack.offs);
	if (variant->at_entry)
		EXPECT_EQ((int)start, ack.offs);
	EXPECT_EQ(variant->miss_type, ack.miss_type);
	if (variant->miss_type >= 0)
		EXPECT_EQ((int)start, ack.miss_nest);

	EXPECT_EQ(c->gen, generation(c->h));
	EXPECT_TRUE(table_untouched(c));
	EXPECT_EQ(-ENOENT, members_seen(c->h, "fresh"));
	ASSERT_NO_EVENT_SINCE(c->gen);
}

/*
 * 5,000 entries, more than one 64 KiB nest can hold, in several
 * PG2_A_MEMBERS: every one is applied.  A member named in the first and
 * in the last nest has the last entry's count and data.
 */
TEST_F_TIMEOUT(replace, snapshot_of_several_nests_is_applied_whole, 120)
{
	struct ctx *c = &self->c;
	enum { GROUPS = 5, PER_GROUP = 1000, N = GROUPS * PER_GROUP + 1 };
	static struct entry e[N];
	static char names[GROUPS][8], data[N][8];
	static struct rawnl_msg m;
	struct pg2_member *ms, one;
	struct rawnl_ack ack;
	size_t n, k, nests = 0, off;
	int i, g;

	/* No listener: 5,000 events would only overflow it. */
	rawnl_close(&c->ev);
	for (g = 0; g < GROUPS; g++)
		snprintf(names[g], sizeof(names[g]), "big%d", g);
	for (i = 0; i < N - 1; i++) {
		e[i].group = names[i / PER_GROUP];
		e[i].pid = 1 + i % PER_GROUP;
		e[i].count = 1 + i % 3;
		if (i % 7 == 0) {
			snprintf(data[i], sizeof(data[i]), "d%d", i);
			e[i].data = data[i];
		}
	}
	/* The duplicate: big0/1 is e[0] (count 1, data "d0") and e[N - 1]. */
	e[N - 1] = (struct entry){ "big0", 1, 2, "last" };
	/* 1,700 entries of 32 to 40 bytes fill most of one nest. */
	build_replace(&m, &c->nl, NODE, e, N, 1700, NULL);
	for (off = NLMSG_HDRLEN + GENL_HDRLEN; off < m.len;
	     off += NLA_ALIGN(((struct nlattr *)(m.buf + off))->nla_len))
		nests += (((struct nlattr *)(m.buf + off))->nla_type &
			  NLA_TYPE_MASK) == PG2_A_MEMBERS;
	/* Walked to the end: no nest's 16-bit length overflowed. */
	ASSERT_EQ(m.len, off);
	ASSERT_LE(3, nests);
	ASSERT_LT(64 << 10, m.len);
	TH_LOG("%d entries, %zu bytes in %zu PG2_A_MEMBERS", N, m.len, nests);

	ASSERT_EQ(0, rawnl_transact(&c->nl, &m, &ack)) TH_LOG("%s", ack.msg);
	for (g = 0; g < GROUPS; g++) {
		ASSERT_EQ(0, pg2_get_members(c->h, names[g], &ms, &n));
		ASSERT_EQ(PER_GROUP, n);
		for (k = 0; k < n; k++) {
			i = g * PER_GROUP + ms[k].pid - 1;
			ASSERT_EQ(NODE, ms[k].node_id);
			if (i == 0)
				continue;
			ASSERT_EQ(e[i].count, ms[k].count) TH_LOG("entry %d", i);
			ASSERT_TRUE(data_is(&ms[k], e[i].data)) TH_LOG("entry %d", i);
		}
		free(ms);
	}
	ASSERT_EQ(0, member_of(c->h, "big0", NODE, 1, &one));
	EXPECT_EQ(2, one.count);
	EXPECT_TRUE(data_is(&one, "last"));
	/* Node 5's old members are gone; node 6's and the local one stay. */
	EXPECT_EQ(2, members_seen(c->h, "a"));
	EXPECT_EQ(1, count_of(c->h, "a", 6, 60));
	EXPECT_EQ(1, count_of(c->h, "a", 0, getpid()));
	EXPECT_EQ(0, members_seen(c->h, "b"));
}

/* The event has exactly this data; NULL: no PG2_A_DATA at all. */
static bool ev_data_is(const struct rawnl_event *ev, const char *data)
{
	if (!data)
		return !ev->has_data;
	return ev->has_data && ev->data_len == strlen(data) &&
	       !memcmp(ev->data, data, ev->data_len);
}

/* The next event must be this one, one generation after the last. */
#define EXPECT_EVENT(_cmd, _group, _pid, _count, _data, _reason) do { \
	struct rawnl_event _ev; \
	ASSERT_EQ(1, rawnl_next_event(&c->ev, &_ev, 5000)); \
	EXPECT_EQ(_cmd, _ev.cmd); \
	EXPECT_STREQ(_group, _ev.group); \
	EXPECT_EQ(++gen, _ev.generation); \
	if ((_cmd) == PG2_CMD_GROUP_CREATED) { \
		EXPECT_TRUE(_ev.has_creator_uid); \
		EXPECT_EQ(0, _ev.creator_uid); \
	} else { \
		EXPECT_EQ(NODE, _ev.node_id); \
		EXPECT_EQ(_pid, _ev.pid); \
		EXPECT_EQ(_count, _ev.count); \
		EXPECT_TRUE(ev_data_is(&_ev, _data)); \
		/* A remote member's event has no pid namespaces. */ \
		EXPECT_EQ(-1, _ev.n_nspids); \
	} \
	EXPECT_EQ(_reason, _ev.reason); \
} while (0)

/*
 * Each kind of difference gets its event, in snapshot order, then the
 * members the snapshot left out; an unchanged member gets none.
 */
TEST_F(replace, only_the_difference_is_announced)
{
	struct ctx *c = &self->c;
	static const struct entry snap[] = {
		{ "a", 50, 1, "old" },	/* lower count */
		{ "a", 51, 1, "new" },	/* new data, same count */
		{ "b", 52, 2, NULL },	/* data removed */
		{ "a", 53, 2, NULL },	/* unchanged: no event */
		{ "c", 54, 1, NULL },	/* new group, new member */
	};
	static struct rawnl_msg m;
	struct rawnl_ack ack;
	struct pg2_member one;
	struct pg2_group_info info;
	uint64_t gen = c->gen;

	build_replace(&m, &c->nl, NODE, snap, 5, 2, NULL);
	ASSERT_EQ(0, rawnl_transact(&c->nl, &m, &ack)) TH_LOG("%s", ack.msg);
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 50, 1, "old",
		     PG2_REASON_NODE_DOWN);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "a", 51, 1, "new", -1);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "b", 52, 2, NULL, -1);
	EXPECT_EVENT(PG2_CMD_GROUP_CREATED, "c", 0, 0, NULL, -1);
	EXPECT_EVENT(PG2_CMD_MEMBER_JOINED, "c", 54, 1, NULL, -1);
	/* a/56 is not in the snapshot. */
	EXPECT_EVENT(PG2_CMD_MEMBER_LEFT, "a", 56, 0, NULL,
		     PG2_REASON_NODE_DOWN);
	EXPECT_EQ(gen, generation(c->h));
	ASSERT_NO_EVENT_SINCE(gen);

	ASSERT_EQ(0, member_of(c->h, "a", NODE, 50, &one));
	EXPECT_EQ(1, one.count);
	EXPECT_TRUE(data_is(&one, "old"));
	ASSERT_EQ(0, member_of(c->h, "a", NODE, 51, &one));
	EXPECT_TRUE(data_is(&one, "new"));
	ASSERT_EQ(0, member_of(c->h, "b", NODE, 52, &one));
	EXPECT_EQ(2, one.count);
	EXPECT_TRUE(data_is(&one, NULL));
	EXPECT_EQ(2, count_of(c->h, "a", NODE, 53));
	EXPECT_EQ(0, count_of(c->h, "a", NODE, 56));
	ASSERT_EQ(0, pg2_group_info(c->h, "c", &info));
	EXPECT_EQ(0, info.creator_uid);
	/* Other nodes and this one are not the snapshot's. */
	EXPECT_EQ(1, count_of(c->h, "a", 6, 60));
	EXPECT_EQ(1, count_of(c->h, "a", 0, getpid()));
}

/* The same snapshot twice: the second changes nothing, says nothing. */
TEST_F(replace, identical_snapshot_is_silent)
{
	struct ctx *c = &self->c;
	static const struct entry snap[] = {
		{ "a", 50, 3, "old" },
		{ "a", 51, 1, "keep" },
		{ "a", 53, 2, NULL },
		{ "a", 56, 1, NULL },
		{ "b", 52, 2, "gone" },
	};
	static struct rawnl_msg m;
	struct rawnl_ack ack;

	/* The table already holds exactly this snapshot. */
	build_replace(&m, &c->nl, NODE, snap, 5, 3, NULL);
	ASSERT_EQ(0, rawnl_transact(&c->nl, &m, &ack)) TH_LOG("%s", ack.msg);
	EXPECT_EQ(c->gen, generation(c->h));
	EXPECT_TRUE(table_untouched(c));
	ASSERT_NO_EVENT_SINCE(c->gen);
}

/*
 * A member named twice: the last entry is the member, whatever came
 * before (here a higher count with other data, in another nest).
 */
TEST_F(replace, last_entry_wins)
{
	struct ctx *c = &self->c;
	static const struct entry snap[] = {
		{ "a", 50, 7, "first" },
		{ "a", 51, 1, "keep" },
		{ "b", 58, 4, NULL },
		{ "a", 50, 2, "last" },
		{ "b", 58, 1, "b-last" },
	};
	static struct rawnl_msg m;
	struct rawnl_ack ack;
	struct pg2_member one;

	build_replace(&m, &c->nl, NODE, snap, 5, 3, NULL);
	ASSERT_EQ(0, rawnl_transact(&c->nl, &m, &ack)) TH_LOG("%s", ack.msg);
	ASSERT_EQ(0, member_of(c->h, "a", NODE, 50, &one));
	EXPECT_EQ(2, one.count);
	EXPECT_TRUE(data_is(&one, "last"));
	ASSERT_EQ(0, member_of(c->h, "b", NODE, 58, &one));
	EXPECT_EQ(1, one.count);
	EXPECT_TRUE(data_is(&one, "b-last"));
	/* b/52 is not in the snapshot. */
	EXPECT_EQ(1, members_seen(c->h, "b"));
}

/*
 * Groups a snapshot creates belong to uid 0, not to the relay that sent
 * it: seen from a relay whose own uid is not 0 (a user namespace owner).
 */
static void creator_zero(void *arg)
{
	struct entry snap = { "made_by_snapshot", 9, 1, NULL };
	static struct rawnl_msg m;
	struct rawnl nl, ev;
	struct rawnl_event e;
	struct rawnl_ack ack;

	(void)arg;
	enter_own_userns_and_netns(UNPRIV_UID);

	CHILD_CHECK(!rawnl_open(&nl));
	CHILD_CHECK(!rawnl_open(&ev));
	CHILD_CHECK(!rawnl_listen(&ev));
	/* Its own create: the creator is its uid, in the initial user ns. */
	rawnl_msg_init(&m, &nl, PG2_CMD_GROUP_CREATE, 0);
	rawnl_put_str(&m, PG2_A_GROUP_NAME, "made_by_relay");
	CHILD_CHECK(!rawnl_transact(&nl, &m, &ack));
	CHILD_CHECK(rawnl_next_event(&ev, &e, 5000) == 1);
	CHILD_CHECK(e.cmd == PG2_CMD_GROUP_CREATED && e.has_creator_uid &&
		    e.creator_uid == UNPRIV_UID);
	build_replace(&m, &nl, NODE, &snap, 1, 1, NULL);
	CHILD_CHECK(!rawnl_transact(&nl, &m, &ack));
	CHILD_CHECK(rawnl_next_event(&ev, &e, 5000) == 1);
	CHILD_CHECK(e.cmd == PG2_CMD_GROUP_CREATED);
	CHILD_CHECK(!strcmp(e.group, "made_by_snapshot"));
	CHILD_CHECK(e.has_creator_uid && e.creator_uid == 0);
	CHILD_CHECK(rawnl_next_event(&ev, &e, 5000) == 1);
	CHILD_CHECK(e.cmd == PG2_CMD_MEMBER_JOINED && e.pid == 9);
	rawnl_close(&ev);
	rawnl_close(&nl);
}

TEST_F(replace, created_groups_belong_to_uid_0)
{
	EXPECT_EQ(0, run_as(UNPRIV_UID, creator_zero, NULL));
}

TEST_HARNESS_MAIN
