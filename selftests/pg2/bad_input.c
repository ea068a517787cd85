// SPDX-License-Identifier: GPL-2.0
/*
 * Hostile input, crafted byte by byte: every malformed request gets its
 * errno and an extended ACK naming the attribute at fault, and leaves the
 * table exactly as it was.
 */
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

/* How the ACK must point at the fault. */
enum names {
	NAMES_OFFSET,		/* NLMSGERR_ATTR_OFFS: the bad attribute */
	NAMES_MISSING,		/* NLMSGERR_ATTR_MISS_TYPE: the absent one */
	NAMES_NOTHING,		/* no attribute at fault */
	CORE_ONLY,		/* rejected by genetlink before pg2: no message */
};

/* Builds the request; returns the offset of the offending attribute. */
typedef size_t (*build_fn)(struct rawnl_msg *m, const struct rawnl *nl);

FIXTURE(bad) {
	struct pg2_handle *h;
	struct rawnl nl;
	struct pg2_table *before;
};

FIXTURE_VARIANT(bad) {
	build_fn build;
	int error;
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
	ASSERT_EQ(0, pg2_table_get(self->h, false, &self->before));
}

FIXTURE_TEARDOWN(bad)
{
	pg2_table_free(self->before);
	rawnl_close(&self->nl);
	pg2_close(self->h);
}

static bool same_member(const struct pg2_member *a, const struct pg2_member *b)
{
	return a->node_id == b->node_id && a->pid == b->pid &&
	       a->count == b->count && a->data_len == b->data_len &&
	       !memcmp(a->data, b->data, a->data_len);
}

static bool same_table(const struct pg2_table *a, const struct pg2_table *b)
{
	size_t i;

	if (a->generation != b->generation || a->n_groups != b->n_groups ||
	    a->n_members != b->n_members)
		return false;
	for (i = 0; i < a->n_groups; i++)
		if (strcmp(a->groups[i].name, b->groups[i].name) ||
		    a->groups[i].member_count != b->groups[i].member_count)
			return false;
	for (i = 0; i < a->n_members; i++)
		if (a->members[i].group != b->members[i].group ||
		    !same_member(&a->members[i].member, &b->members[i].member))
			return false;
	return true;
}

TEST_F(bad, rejected_and_nothing_changed)
{
	struct rawnl_msg m;
	struct rawnl_ack ack;
	struct pg2_table *after;
	size_t bad_off;

	bad_off = variant->build(&m, &self->nl);
	ASSERT_EQ(variant->error, rawnl_transact(&self->nl, &m, &ack))
		TH_LOG("extack: \"%s\"", ack.msg);
	TH_LOG("extack: \"%s\" offs %d missing %d", ack.msg, ack.offs,
	       ack.miss_type);
	switch (variant->names) {
	case NAMES_OFFSET:
		EXPECT_NE('\0', ack.msg[0]);
		EXPECT_EQ((int)bad_off, ack.offs);
		break;
	case NAMES_MISSING:
		EXPECT_NE('\0', ack.msg[0]);
		EXPECT_EQ(variant->missing, ack.miss_type);
		break;
	case NAMES_NOTHING:
		EXPECT_NE('\0', ack.msg[0]);
		break;
	case CORE_ONLY:
		break;
	}
	ASSERT_EQ(0, pg2_table_get(self->h, false, &after));
	EXPECT_TRUE(same_table(self->before, after));
	pg2_table_free(after);
	/* The socket still works. */
	rawnl_msg_init(&m, &self->nl, PG2_CMD_GENERATION, 0);
	EXPECT_EQ(0, rawnl_transact(&self->nl, &m, &ack));
}

static size_t no_attrs(struct rawnl_msg *m, const struct rawnl *nl, int cmd)
{
	rawnl_msg_init(m, nl, cmd, 0);
	return 0;
}

static size_t create_without_name(struct rawnl_msg *m, const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_GROUP_CREATE);
}

static size_t delete_without_name(struct rawnl_msg *m, const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_GROUP_DELETE);
}

static size_t join_without_name(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_JOIN, 0);
	rawnl_put_u32(m, PG2_A_PID, getpid());
	return 0;
}

static size_t leave_without_name(struct rawnl_msg *m, const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_MEMBER_LEAVE);
}

static size_t members_without_name(struct rawnl_msg *m,
				   const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_GET, NLM_F_DUMP);
	return 0;
}

static size_t closest_without_name(struct rawnl_msg *m,
				   const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_MEMBER_CLOSEST);
}

static size_t remote_join_without_pid(struct rawnl_msg *m,
				      const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_REMOTE_JOIN, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "g");
	rawnl_put_u32(m, PG2_A_NODE_ID, 5);
	return 0;
}

static size_t set_id_without_id(struct rawnl_msg *m, const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_NODE_SET_ID);
}

static size_t name_as_u32(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	return rawnl_put_u32(m, PG2_A_GROUP_NAME, 0x41424344);
}

static size_t name_empty(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	return rawnl_put_str(m, PG2_A_GROUP_NAME, "");
}

static size_t name_with_nul_inside(struct rawnl_msg *m,
				   const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_JOIN, 0);
	/* "ab" exists: a kernel that cut at the NUL would join it. */
	return rawnl_put(m, PG2_A_GROUP_NAME, "ab\0cd", 6);
}

static size_t name_overlong(struct rawnl_msg *m, const struct rawnl *nl)
{
	char name[PG2_NAME_MAX + 2];

	memset(name, 'n', PG2_NAME_MAX + 1);
	name[PG2_NAME_MAX + 1] = '\0';
	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	return rawnl_put_str(m, PG2_A_GROUP_NAME, name);
}

static size_t pid_as_u16(struct rawnl_msg *m, const struct rawnl *nl)
{
	uint16_t pid = 1;

	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_JOIN, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "g");
	return rawnl_put(m, PG2_A_PID, &pid, sizeof(pid));
}

static size_t data_overlong(struct rawnl_msg *m, const struct rawnl *nl)
{
	char data[PG2_DATA_MAX + 1];

	memset(data, 'd', sizeof(data));
	rawnl_msg_init(m, nl, PG2_CMD_MEMBER_JOIN, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "g");
	return rawnl_put(m, PG2_A_DATA, data, sizeof(data));
}

static size_t unknown_attribute(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_GROUP_CREATE, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "new");
	return rawnl_put_u32(m, PG2_A_MAX + 1, 1);
}

static size_t node_id_zero(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_NODE_SET_ID, 0);
	return rawnl_put_u32(m, PG2_A_NODE_ID, 0);
}

static size_t remote_count_zero(struct rawnl_msg *m, const struct rawnl *nl)
{
	rawnl_msg_init(m, nl, PG2_CMD_REMOTE_JOIN, 0);
	rawnl_put_str(m, PG2_A_GROUP_NAME, "g");
	rawnl_put_u32(m, PG2_A_NODE_ID, 5);
	rawnl_put_u32(m, PG2_A_PID, 51);
	return rawnl_put_u32(m, PG2_A_COUNT, 0);
}

static size_t snapshot_entry_without_pid(struct rawnl_msg *m,
					 const struct rawnl *nl)
{
	size_t members, entry;

	rawnl_msg_init(m, nl, PG2_CMD_NODE_REPLACE, 0);
	rawnl_put_u32(m, PG2_A_NODE_ID, 5);
	members = rawnl_nest_start(m, PG2_A_MEMBERS);
	entry = rawnl_nest_start(m, PG2_A_MEMBER);
	rawnl_put_str(m, PG2_MEMBER_A_GROUP_NAME, "g");
	rawnl_put_u32(m, PG2_MEMBER_A_COUNT, 1);
	rawnl_nest_end(m, entry);
	rawnl_nest_end(m, members);
	return entry;
}

static size_t snapshot_entry_not_nested(struct rawnl_msg *m,
					const struct rawnl *nl)
{
	size_t members, entry;

	rawnl_msg_init(m, nl, PG2_CMD_NODE_REPLACE, 0);
	rawnl_put_u32(m, PG2_A_NODE_ID, 5);
	members = rawnl_nest_start(m, PG2_A_MEMBERS);
	entry = rawnl_put_u32(m, PG2_A_MEMBER, 7);
	rawnl_nest_end(m, members);
	return entry;
}

static size_t unknown_command(struct rawnl_msg *m, const struct rawnl *nl)
{
	return no_attrs(m, nl, PG2_CMD_MAX + 1);
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

#define MISSING(_name, _build, _type) \
	FIXTURE_VARIANT_ADD(bad, _name) { \
		.build = _build, .error = -EINVAL, \
		.names = NAMES_MISSING, .missing = _type, \
	}
#define MALFORMED(_name, _build, _error) \
	FIXTURE_VARIANT_ADD(bad, _name) { \
		.build = _build, .error = _error, .names = NAMES_OFFSET, \
	}

MISSING(create_without_name, create_without_name, PG2_A_GROUP_NAME);
MISSING(delete_without_name, delete_without_name, PG2_A_GROUP_NAME);
MISSING(join_without_name, join_without_name, PG2_A_GROUP_NAME);
MISSING(leave_without_name, leave_without_name, PG2_A_GROUP_NAME);
MISSING(closest_without_name, closest_without_name, PG2_A_GROUP_NAME);
MISSING(remote_join_without_pid, remote_join_without_pid, PG2_A_PID);
MISSING(set_id_without_id, set_id_without_id, PG2_A_NODE_ID);
MALFORMED(name_as_u32, name_as_u32, -EINVAL);
MALFORMED(name_empty, name_empty, -EINVAL);
MALFORMED(name_with_nul_inside, name_with_nul_inside, -EINVAL);
MALFORMED(name_overlong, name_overlong, -EINVAL);
MALFORMED(pid_as_u16, pid_as_u16, -EINVAL);
MALFORMED(data_overlong, data_overlong, -EINVAL);
MALFORMED(unknown_attribute, unknown_attribute, -EINVAL);
MALFORMED(node_id_zero, node_id_zero, -EINVAL);
MALFORMED(remote_count_zero, remote_count_zero, -EINVAL);
MALFORMED(snapshot_entry_without_pid, snapshot_entry_without_pid, -EINVAL);
MALFORMED(snapshot_entry_not_nested, snapshot_entry_not_nested, -EINVAL);

/* A dump's error ends it (NLMSG_DONE), which carries the message only. */
FIXTURE_VARIANT_ADD(bad, members_without_name) {
	.build = members_without_name, .error = -EINVAL,
	.names = NAMES_NOTHING,
};

FIXTURE_VARIANT_ADD(bad, truncated_attribute) {
	.build = truncated_attribute, .error = -EINVAL,
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
 * Tools read the family's policies; on 6.1 an integer policy with a
 * validation function makes that dump WARN, which the guest's kernel log
 * check turns into a failure.
 */
TEST(policy_dump_is_clean)
{
	ASSERT_EQ(0, system("genl ctrl policy name pg2 >/dev/null"));
}

TEST_HARNESS_MAIN
