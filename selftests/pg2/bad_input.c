// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input, crafted byte by byte, for every command: each malformed
 * request gets its errno and the kernel's extended ACK in its exact
 * words, pointing at the attribute at fault (its offset, or the type
 * that is missing), and leaves the table byte for byte as it was.
 */
#include <sys/socket.h>
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

/* This node's id in every test: requests may name it. */
#define OWN_NODE 9

/* How the ACK must point at the fault. */
enum names {
	NAMES_OFFSET,		/* NLMSGERR_ATTR_OFFS: the bad attribute */
	NAMES_MISSING,		/* NLMSGERR_ATTR_MISS_TYPE: the absent one */
	NAMES_NOTHING,		/* a message, no attribute */
	CORE_ONLY,		/* rejected by genetlink before pg2: no message */
};

/* One attribute of a request. */
enum kind { K_END, K_U32, K_U16, K_STR, K_BYTES, K_FLAG, K_LONG_NAME,
	    K_LONG_DATA };

struct attr {
	uint16_t type;
	enum kind kind;
	uint32_t u32;
	const char *bytes;
	int len;
	bool at_fault;		/* the ACK's offset must be this one's */
};

#define U32(t, v)	{ .type = t, .kind = K_U32, .u32 = v }
#define STR(t, s)	{ .type = t, .kind = K_STR, .bytes = s }
#define FLAG(t)		{ .type = t, .kind = K_FLAG }
#define NAME		STR(PG2_A_GROUP_NAME, "g")
#define FAULT(...)	{ __VA_ARGS__, .at_fault = true }
#define BAD_U32(t, v)	FAULT(.type = t, .kind = K_U32, .u32 = v)
#define BAD_U16(t)	FAULT(.type = t, .kind = K_U16)
#define BAD_STR(t, s)	FAULT(.type = t, .kind = K_STR, .bytes = s)
#define BAD_BYTES(t, b, l) FAULT(.type = t, .kind = K_BYTES, .bytes = b, \
				 .len = l)
#define BAD_FLAG(t)	FAULT(.type = t, .kind = K_FLAG)
#define LONG_NAME	FAULT(.type = PG2_A_GROUP_NAME, .kind = K_LONG_NAME)
#define LONG_DATA	FAULT(.type = PG2_A_DATA, .kind = K_LONG_DATA)

/* A request the table cannot say: returns the offset at fault, or 0. */
typedef size_t (*build_fn)(struct rawnl_msg *m, const struct rawnl *nl);

FIXTURE(bad) {
	struct pg2_handle *h;
	struct rawnl nl;
	struct rawnl_dump before;
};

FIXTURE_VARIANT(bad) {
	uint8_t cmd;
	uint16_t flags;		/* NLM_F_DUMP for dumps */
	struct attr attrs[6];	/* up to the first K_END */
	build_fn build;		/* instead of cmd and attrs */
	int error;
	const char *msg;	/* NULL: none (CORE_ONLY) */
	enum names names;
	int missing;		/* NAMES_MISSING: the attribute type */
};

FIXTURE_SETUP(bad)
{
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	ASSERT_EQ(0, rawnl_open(&self->nl));
	ASSERT_EQ(0, pg2_create(self->h, "g"));
	ASSERT_EQ(0, pg2_create(self->h, "ab"));
	ASSERT_EQ(0, pg2_join(self->h, "g", 0, "data", 4));
	ASSERT_EQ(0, pg2_remote_join(self->h, "g", 5, 50, 2, NULL, 0));
	ASSERT_EQ(0, pg2_node_set_id(self->h, OWN_NODE));
	ASSERT_EQ(0, rawnl_dump_cmd(&self->nl, PG2_CMD_TABLE_GET,
				    &self->before));
}

FIXTURE_TEARDOWN(bad)
{
	rawnl_dump_free(&self->before);
	rawnl_close(&self->nl);
	pg2_close(self->h);
}

static size_t put_attr(struct rawnl_msg *m, const struct attr *a)
{
	char name[PG2_NAME_MAX + 2], data[PG2_DATA_MAX + 1];
	uint16_t u16 = 1;

	switch (a->kind) {
	case K_U32:
		return rawnl_put_u32(m, a->type, a->u32);
	case K_U16:
		return rawnl_put(m, a->type, &u16, sizeof(u16));
	case K_STR:
		return rawnl_put_str(m, a->type, a->bytes);
	case K_BYTES:
		return rawnl_put(m, a->type, a->bytes, a->len);
	case K_FLAG:
		return rawnl_put(m, a->type, NULL, 0);
	case K_LONG_NAME:
		/* One byte over PG2_NAME_MAX, NUL-terminated. */
		memset(name, 'n', sizeof(name) - 1);
		name[sizeof(name) - 1] = '\0';
		return rawnl_put_str(m, a->type, name);
	case K_LONG_DATA:
		memset(data, 'd', sizeof(data));
		return rawnl_put(m, a->type, data, sizeof(data));
	case K_END:
		break;
	}
	return 0;
}

static size_t build(struct rawnl_msg *m, const struct rawnl *nl,
		    const FIXTURE_VARIANT(bad) *v)
{
	size_t at = 0, off;
	int i;

	if (v->build)
		return v->build(m, nl);
	rawnl_msg_init(m, nl, v->cmd, v->flags);
	for (i = 0; i < 6 && v->attrs[i].kind != K_END; i++) {
		off = put_attr(m, &v->attrs[i]);
		if (v->attrs[i].at_fault)
			at = off;
	}
	return at;
}

TEST_F(bad, rejected_and_nothing_changed)
{
	static struct rawnl_msg m;
	struct rawnl_dump after;
	struct rawnl_ack ack;
	size_t bad_off;

	bad_off = build(&m, &self->nl, variant);
	ASSERT_EQ(variant->error, rawnl_transact(&self->nl, &m, &ack))
		TH_LOG("extack: \"%s\"", ack.msg);
	TH_LOG("extack: \"%s\" offs %d missing %d", ack.msg, ack.offs,
	       ack.miss_type);
	if (variant->msg)
		EXPECT_TRUE(message_is(ack.msg, variant->msg))
			TH_LOG("expected \"%s\"", variant->msg);
	switch (variant->names) {
	case NAMES_OFFSET:
		ASSERT_NE(0, bad_off);
		EXPECT_EQ((int)bad_off, ack.offs);
		EXPECT_EQ(-1, ack.miss_type);
		break;
	case NAMES_MISSING:
		EXPECT_EQ(variant->missing, ack.miss_type);
		break;
	case NAMES_NOTHING:
		EXPECT_EQ(-1, ack.offs);
		EXPECT_EQ(-1, ack.miss_type);
		break;
	case CORE_ONLY:
		EXPECT_STREQ("", ack.msg);
		break;
	}
	ASSERT_EQ(0, rawnl_dump_cmd(&self->nl, PG2_CMD_TABLE_GET, &after));
	EXPECT_EQ(self->before.len, after.len);
	EXPECT_EQ(0, memcmp(self->before.buf, after.buf,
			    after.len < self->before.len ? after.len :
			    self->before.len));
	rawnl_dump_free(&after);
	/* The socket still works. */
	rawnl_msg_init(&m, &self->nl, PG2_CMD_GENERATION, 0);
	EXPECT_EQ(0, rawnl_transact(&self->nl, &m, &ack));
}

#define REQ(_name, _cmd, _flags, _error, _msg, _names, _missing, ...) \
	FIXTURE_VARIANT_ADD(bad, _name) { \
		.cmd = _cmd, .flags = _flags, .attrs = { __VA_ARGS__ }, \
		.error = _error, .msg = _msg, .names = _names, \
		.missing = _missing, \
	}
/* The attribute marked FAULT is at fault. */
#define BAD(_name, _cmd, _msg, ...) \
	REQ(_name, _cmd, 0, -EINVAL, _msg, NAMES_OFFSET, -1, __VA_ARGS__)
#define BAD_DUMP(_name, _cmd, _msg, ...) \
	REQ(_name, _cmd, NLM_F_DUMP, -EINVAL, _msg, NAMES_OFFSET, -1, \
	    __VA_ARGS__)
/* A required attribute is absent. */
#define MISSING(_name, _cmd, _type, ...) \
	REQ(_name, _cmd, 0, -EINVAL, PG2_MSG_MISSING, NAMES_MISSING, _type, \
	    __VA_ARGS__)

/* Every required attribute of every command, missing. */
MISSING(create_without_name, PG2_CMD_GROUP_CREATE, PG2_A_GROUP_NAME);
MISSING(delete_without_name, PG2_CMD_GROUP_DELETE, PG2_A_GROUP_NAME);
MISSING(group_get_without_name, PG2_CMD_GROUP_GET, PG2_A_GROUP_NAME);
MISSING(join_without_name, PG2_CMD_MEMBER_JOIN, PG2_A_GROUP_NAME,
	U32(PG2_A_PID, 1));
MISSING(leave_without_name, PG2_CMD_MEMBER_LEAVE, PG2_A_GROUP_NAME);
MISSING(closest_without_name, PG2_CMD_MEMBER_CLOSEST, PG2_A_GROUP_NAME);
MISSING(set_id_without_id, PG2_CMD_NODE_SET_ID, PG2_A_NODE_ID);
MISSING(remote_join_without_name, PG2_CMD_REMOTE_JOIN, PG2_A_GROUP_NAME,
	U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 51));
MISSING(remote_join_without_node, PG2_CMD_REMOTE_JOIN, PG2_A_NODE_ID,
	NAME, U32(PG2_A_PID, 51));
MISSING(remote_join_without_pid, PG2_CMD_REMOTE_JOIN, PG2_A_PID,
	NAME, U32(PG2_A_NODE_ID, 5));
MISSING(remote_leave_without_name, PG2_CMD_REMOTE_LEAVE, PG2_A_GROUP_NAME,
	U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 50));
MISSING(remote_leave_without_node, PG2_CMD_REMOTE_LEAVE, PG2_A_NODE_ID,
	NAME, U32(PG2_A_PID, 50));
MISSING(remote_leave_without_pid, PG2_CMD_REMOTE_LEAVE, PG2_A_PID,
	NAME, U32(PG2_A_NODE_ID, 5));
MISSING(node_drop_without_node, PG2_CMD_NODE_DROP, PG2_A_NODE_ID);
MISSING(node_replace_without_node, PG2_CMD_NODE_REPLACE, PG2_A_NODE_ID,
	{ .type = PG2_A_MEMBERS | NLA_F_NESTED, .kind = K_BYTES });
MISSING(node_replace_without_members, PG2_CMD_NODE_REPLACE, PG2_A_MEMBERS,
	U32(PG2_A_NODE_ID, 5));
/* A dump's error comes in its NLMSG_DONE, with the message only. */
REQ(members_without_name, PG2_CMD_MEMBER_GET, NLM_F_DUMP, -EINVAL,
    PG2_MSG_MISSING_NAME, NAMES_NOTHING, -1);

/* Names one byte too long, for every command that takes a name. */
BAD(create_long_name, PG2_CMD_GROUP_CREATE, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(delete_long_name, PG2_CMD_GROUP_DELETE, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(group_get_long_name, PG2_CMD_GROUP_GET, PG2_MSG_BAD_NAME, LONG_NAME);
BAD_DUMP(groups_dump_long_name, PG2_CMD_GROUP_GET, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(join_long_name, PG2_CMD_MEMBER_JOIN, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(leave_long_name, PG2_CMD_MEMBER_LEAVE, PG2_MSG_BAD_NAME, LONG_NAME);
BAD_DUMP(members_long_name, PG2_CMD_MEMBER_GET, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(closest_long_name, PG2_CMD_MEMBER_CLOSEST, PG2_MSG_BAD_NAME, LONG_NAME);
BAD(remote_join_long_name, PG2_CMD_REMOTE_JOIN, PG2_MSG_BAD_NAME, LONG_NAME,
    U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 51));
BAD(remote_leave_long_name, PG2_CMD_REMOTE_LEAVE, PG2_MSG_BAD_NAME, LONG_NAME,
    U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 50));

/* Member data one byte too long, for every command that takes data. */
BAD(join_long_data, PG2_CMD_MEMBER_JOIN, PG2_MSG_LONG_DATA, NAME,
    LONG_DATA);
BAD(remote_join_long_data, PG2_CMD_REMOTE_JOIN, PG2_MSG_LONG_DATA, NAME,
    U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 51), LONG_DATA);

/* Malformed names: not a string, empty, a NUL inside. */
BAD(name_as_u32, PG2_CMD_GROUP_CREATE, NL_MSG_POLICY,
    BAD_U32(PG2_A_GROUP_NAME, 0x41424344));
BAD(name_empty, PG2_CMD_GROUP_CREATE, PG2_MSG_BAD_NAME,
    BAD_STR(PG2_A_GROUP_NAME, ""));
/* "ab" exists: a kernel that cut at the NUL would join it. */
BAD(name_with_nul_inside, PG2_CMD_MEMBER_JOIN, PG2_MSG_BAD_NAME,
    BAD_BYTES(PG2_A_GROUP_NAME, "ab\0cd", 6));
BAD(pid_as_u16, PG2_CMD_MEMBER_JOIN, NL_MSG_BAD_LENGTH, NAME,
    BAD_U16(PG2_A_PID));

/* Attributes the command does not take: in range, and beyond. */
BAD(join_with_count, PG2_CMD_MEMBER_JOIN, NL_MSG_UNSUPPORTED, NAME,
    BAD_U32(PG2_A_COUNT, 2));
BAD(leave_with_data, PG2_CMD_MEMBER_LEAVE, NL_MSG_UNSUPPORTED, NAME,
    BAD_BYTES(PG2_A_DATA, "d", 1));
BAD(create_with_pid, PG2_CMD_GROUP_CREATE, NL_MSG_UNSUPPORTED,
    STR(PG2_A_GROUP_NAME, "new"), BAD_U32(PG2_A_PID, 1));
BAD(closest_local_only, PG2_CMD_MEMBER_CLOSEST, NL_MSG_UNSUPPORTED, NAME,
    BAD_FLAG(PG2_A_LOCAL_ONLY));
BAD(remote_leave_with_data, PG2_CMD_REMOTE_LEAVE, NL_MSG_UNSUPPORTED, NAME,
    U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 50),
    BAD_BYTES(PG2_A_DATA, "d", 1));
BAD(node_drop_with_name, PG2_CMD_NODE_DROP, NL_MSG_UNSUPPORTED,
    U32(PG2_A_NODE_ID, 5), BAD_STR(PG2_A_GROUP_NAME, "g"));
BAD(unknown_attribute, PG2_CMD_GROUP_CREATE, NL_MSG_UNKNOWN,
    STR(PG2_A_GROUP_NAME, "new"), BAD_U32(PG2_A_MAX + 1, 1));
/* Commands that take nothing take nothing at all. */
BAD(generation_with_name, PG2_CMD_GENERATION, NL_MSG_UNKNOWN,
    BAD_STR(PG2_A_GROUP_NAME, "g"));
BAD(generation_with_pad, PG2_CMD_GENERATION, NL_MSG_POLICY,
    BAD_U32(PG2_A_PAD, 0));
/* TABLE_GET's old flag, now PG2_CMD_SNAPSHOT_GET's job. */
BAD_DUMP(table_get_local_only, PG2_CMD_TABLE_GET, NL_MSG_UNKNOWN,
	 BAD_FLAG(PG2_A_LOCAL_ONLY));
BAD_DUMP(table_get_with_name, PG2_CMD_TABLE_GET, NL_MSG_UNKNOWN,
	 BAD_STR(PG2_A_GROUP_NAME, "g"));
BAD_DUMP(snapshot_get_local_only, PG2_CMD_SNAPSHOT_GET, NL_MSG_UNKNOWN,
	 BAD_FLAG(PG2_A_LOCAL_ONLY));
BAD_DUMP(snapshot_get_with_node, PG2_CMD_SNAPSHOT_GET, NL_MSG_UNKNOWN,
	 BAD_U32(PG2_A_NODE_ID, 5));

/* Numbers that are never valid. */
BAD(join_pid_zero, PG2_CMD_MEMBER_JOIN, PG2_MSG_ZERO, NAME,
    BAD_U32(PG2_A_PID, 0));
REQ(join_pid_all_ones, PG2_CMD_MEMBER_JOIN, 0, -ESRCH, PG2_MSG_NO_PROCESS,
    NAMES_OFFSET, -1, NAME, BAD_U32(PG2_A_PID, 0xffffffff));
BAD(leave_pid_zero, PG2_CMD_MEMBER_LEAVE, PG2_MSG_ZERO, NAME,
    BAD_U32(PG2_A_PID, 0));
BAD(node_id_zero, PG2_CMD_NODE_SET_ID, PG2_MSG_ZERO,
    BAD_U32(PG2_A_NODE_ID, 0));
BAD(remote_count_zero, PG2_CMD_REMOTE_JOIN, PG2_MSG_ZERO, NAME,
    U32(PG2_A_NODE_ID, 5), U32(PG2_A_PID, 51), BAD_U32(PG2_A_COUNT, 0));
BAD(remote_pid_zero, PG2_CMD_REMOTE_LEAVE, PG2_MSG_ZERO, NAME,
    U32(PG2_A_NODE_ID, 5), BAD_U32(PG2_A_PID, 0));
BAD(remote_join_own_node, PG2_CMD_REMOTE_JOIN, PG2_MSG_OWN_NODE, NAME,
    BAD_U32(PG2_A_NODE_ID, OWN_NODE), U32(PG2_A_PID, 51));
BAD(remote_leave_own_node, PG2_CMD_REMOTE_LEAVE, PG2_MSG_OWN_NODE, NAME,
    BAD_U32(PG2_A_NODE_ID, OWN_NODE), U32(PG2_A_PID, 50));

/* Snapshot entries: what goes wrong inside a PG2_A_MEMBER. */
enum entry_fault { NO_NAME, NO_PID, NO_COUNT, ENTRY_LONG_NAME,
		   ENTRY_LONG_DATA, NOT_NESTED, OWN_ID };

static size_t snapshot(struct rawnl_msg *m, const struct rawnl *nl,
		       enum entry_fault fault)
{
	char name[PG2_NAME_MAX + 2], data[PG2_DATA_MAX + 1];
	size_t members, entry, at;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memset(data, 'd', sizeof(data));
	rawnl_msg_init(m, nl, PG2_CMD_NODE_REPLACE, 0);
	at = rawnl_put_u32(m, PG2_A_NODE_ID, fault == OWN_ID ? OWN_NODE : 5);
	members = rawnl_nest_start(m, PG2_A_MEMBERS);
	if (fault == NOT_NESTED) {
		at = rawnl_put_u32(m, PG2_A_MEMBER, 7);
		rawnl_nest_end(m, members);
		return at;
	}
	entry = rawnl_nest_start(m, PG2_A_MEMBER);
	if (fault != OWN_ID)
		at = entry;
	if (fault == ENTRY_LONG_NAME)
		at = rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, name);
	else if (fault != NO_NAME)
		rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, "g");
	if (fault != NO_PID)
		rawnl_put_u32(m, PG2_MEMBER_A_PID, 51);
	if (fault != NO_COUNT)
		rawnl_put_u32(m, PG2_MEMBER_A_COUNT, 1);
	if (fault == ENTRY_LONG_DATA)
		at = rawnl_put(m, PG2_MEMBER_A_DATA, data, sizeof(data));
	rawnl_nest_end(m, entry);
	rawnl_nest_end(m, members);
	return at;
}

#define SNAPSHOT(_fault, _msg, _names, _missing) \
	static size_t snapshot_##_fault(struct rawnl_msg *m, \
					const struct rawnl *nl) \
	{ \
		return snapshot(m, nl, _fault); \
	} \
	FIXTURE_VARIANT_ADD(bad, snapshot_##_fault) { \
		.build = snapshot_##_fault, .error = -EINVAL, .msg = _msg, \
		.names = _names, .missing = _missing, \
	}

SNAPSHOT(NO_NAME, PG2_MSG_ENTRY_MISSING, NAMES_MISSING,
	 PG2_MEMBER_A_GROUP_NAME);
SNAPSHOT(NO_PID, PG2_MSG_ENTRY_MISSING, NAMES_MISSING, PG2_MEMBER_A_PID);
SNAPSHOT(NO_COUNT, PG2_MSG_ENTRY_MISSING, NAMES_MISSING, PG2_MEMBER_A_COUNT);
SNAPSHOT(ENTRY_LONG_NAME, PG2_MSG_BAD_NAME, NAMES_OFFSET, -1);
SNAPSHOT(ENTRY_LONG_DATA, PG2_MSG_LONG_DATA, NAMES_OFFSET, -1);
SNAPSHOT(NOT_NESTED, NL_MSG_NOT_NESTED, NAMES_OFFSET, -1);
SNAPSHOT(OWN_ID, PG2_MSG_OWN_NODE, NAMES_OFFSET, -1);

static size_t unknown_command(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_MAX + 1, 0);
	return 0;
}

/* Events are the kernel's to send, never a request. */
static size_t event_as_request(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_LEFT, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "g");
	return 0;
}

static size_t truncated_header(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	m->len = NLMSG_HDRLEN + 2;
	m->hdr.nlmsg_len = m->len;
	return 0;
}

/* The attribute claims more bytes than the message holds. */
static size_t truncated_attribute(struct rawnl_msg *m, const struct rawnl *nl)
{
	size_t off;

	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	off = rawnl_put_str(m, PG2_A_GROUP_NAME, "new");
	((struct nlattr *)(m->buf + off))->nla_len = 64;
	return off;
}

FIXTURE_VARIANT_ADD(bad, truncated_attribute) {
	.build = truncated_attribute, .error = -EINVAL,
	.msg = "bytes leftover after parsing attributes",
	.names = NAMES_NOTHING,
};

/* genetlink rejects these itself and, on 6.1, without a message. */
FIXTURE_VARIANT_ADD(bad, unknown_command) {
	.build = unknown_command, .error = -EOPNOTSUPP, .names = CORE_ONLY,
};

FIXTURE_VARIANT_ADD(bad, event_as_request) {
	.build = event_as_request, .error = -EOPNOTSUPP, .names = CORE_ONLY,
};

FIXTURE_VARIANT_ADD(bad, truncated_header) {
	.build = truncated_header, .error = -EINVAL, .names = CORE_ONLY,
};

/*
 * A message whose nlmsg_len claims more bytes than were sent: netlink
 * drops it unanswered (netlink_rcv_skb), before pg2 sees it.  Requests
 * are handled within sendmsg(), so once the next request is answered an
 * answer to the bad one would already be queued: there is none, and
 * nothing changed.
 */
TEST(nlmsg_len_beyond_the_datagram_is_dropped)
{
	static struct rawnl_msg m;
	struct rawnl_dump before, after;
	unsigned char buf[4096];
	const struct nlmsghdr *h;
	struct pg2_handle *ph;
	struct rawnl_ack ack;
	struct rawnl nl;
	uint32_t bad_seq;
	int n;

	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&ph, -1));
	ASSERT_EQ(0, rawnl_open(&nl));
	ASSERT_EQ(0, pg2_create(ph, "g"));
	ASSERT_EQ(0, pg2_join(ph, "g", 0, NULL, 0));
	ASSERT_EQ(0, rawnl_dump_cmd(&nl, PG2_CMD_TABLE_GET, &before));
	rawnl_msg_init(&m, &nl, PG2_CMD_GROUP_CREATE, 0);
	rawnl_put_str(&m, PG2_A_GROUP_NAME, "new");
	m.hdr.nlmsg_len = m.len + 64;
	ASSERT_EQ(0, rawnl_send(&nl, &m));
	bad_seq = nl.seq;
	rawnl_msg_init(&m, &nl, PG2_CMD_GENERATION, 0);
	EXPECT_EQ(0, rawnl_transact(&nl, &m, &ack));
	while ((n = recv(nl.fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n))
			EXPECT_NE(bad_seq, h->nlmsg_seq);
	EXPECT_EQ(-ENOENT, members_seen(ph, "new"));
	ASSERT_EQ(0, rawnl_dump_cmd(&nl, PG2_CMD_TABLE_GET, &after));
	EXPECT_EQ(before.len, after.len);
	EXPECT_EQ(0, memcmp(before.buf, after.buf,
			    after.len < before.len ? after.len : before.len));
	rawnl_dump_free(&after);
	rawnl_dump_free(&before);
	rawnl_close(&nl);
	pg2_close(ph);
}

/*
 * Tools read the family's policies; on 6.1 an integer policy with a
 * validation function makes that dump WARN, which the guest's kernel log
 * check turns into a failure.
 */
TEST(policy_dump_is_clean)
{
	ASSERT_EQ(0, system("genl ctrl policy name pg2 >/dev/null"));
}

TEST_HARNESS_MAIN
