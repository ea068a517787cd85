// SPDX-License-Identifier: GPL-2.0
/*
 * The "pg2" generic netlink family: one strict policy per operation, the
 * operation table, and helpers shared by the handlers in request.c,
 * query.c and relay.c.
 */

#include <linux/capability.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

#include "msg.h"
#include "netlink.h"

/*
 * The core's own range checks answer ERANGE; the contract answers EINVAL
 * for every malformed attribute, so the bounds are checked here.  Not as
 * NLA_POLICY_VALIDATE_FN on integers: on 6.1 a policy dump of those WARNs.
 */
static int pg2_nl_validate_data(const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	if (nla_len(attr) <= PG2_DATA_MAX)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr, "member data longer than "
			    __stringify(PG2_DATA_MAX) " bytes");
	return -EINVAL;
}

#define PG2_POLICY_DATA \
	NLA_POLICY_VALIDATE_FN(NLA_BINARY, pg2_nl_validate_data)

/*
 * A group name: 1 to PG2_NAME_MAX bytes and the NUL that ends it, none
 * inside.  Checked here, not by a .len, for a message that says so.
 */
static int pg2_nl_validate_name(const struct nlattr *attr,
				struct netlink_ext_ack *extack)
{
	int len = nla_len(attr) - 1;

	if (len >= 1 && len <= PG2_NAME_MAX &&
	    strnlen(nla_data(attr), len) == len)
		return 0;
	NL_SET_ERR_MSG_ATTR(extack, attr,
			    "group name must be 1 to "
			    __stringify(PG2_NAME_MAX) " bytes without NUL");
	return -EINVAL;
}

#define PG2_POLICY_NAME \
	NLA_POLICY_VALIDATE_FN(NLA_NUL_STRING, pg2_nl_validate_name)

static const struct nla_policy pg2_name_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
};

static const struct nla_policy pg2_join_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_A_PID] = { .type = NLA_U32 },
	[PG2_A_DATA] = PG2_POLICY_DATA,
};

static const struct nla_policy pg2_leave_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_A_PID] = { .type = NLA_U32 },
};

static const struct nla_policy pg2_member_get_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_A_LOCAL_ONLY] = { .type = NLA_FLAG },
};

static const struct nla_policy pg2_node_policy[PG2_A_MAX + 1] = {
	[PG2_A_NODE_ID] = { .type = NLA_U32 },
};

static const struct nla_policy pg2_remote_join_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_A_NODE_ID] = { .type = NLA_U32 },
	[PG2_A_PID] = { .type = NLA_U32 },
	[PG2_A_COUNT] = { .type = NLA_U32 },
	[PG2_A_DATA] = PG2_POLICY_DATA,
};

static const struct nla_policy pg2_remote_leave_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_A_NODE_ID] = { .type = NLA_U32 },
	[PG2_A_PID] = { .type = NLA_U32 },
	[PG2_A_COUNT] = { .type = NLA_U32 },
};

static const struct nla_policy pg2_snapshot_member_policy[PG2_MEMBER_A_MAX + 1] = {
	[PG2_MEMBER_A_GROUP_NAME] = PG2_POLICY_NAME,
	[PG2_MEMBER_A_PID] = { .type = NLA_U32 },
	[PG2_MEMBER_A_COUNT] = { .type = NLA_U32 },
	[PG2_MEMBER_A_DATA] = PG2_POLICY_DATA,
};

static const struct nla_policy pg2_snapshot_policy[PG2_A_MAX + 1] = {
	[PG2_A_MEMBER] = NLA_POLICY_NESTED(pg2_snapshot_member_policy),
};

static const struct nla_policy pg2_node_replace_policy[PG2_A_MAX + 1] = {
	[PG2_A_NODE_ID] = { .type = NLA_U32 },
	[PG2_A_MEMBERS] = NLA_POLICY_NESTED(pg2_snapshot_policy),
};

/* internal_flags of the relay's operations */
#define PG2_NL_RELAY	BIT(0)

#define PG2_DO(_cmd, _doit, _policy, _internal_flags) {		\
	.cmd = _cmd,						\
	.doit = _doit,						\
	.policy = _policy,					\
	.maxattr = PG2_A_MAX,					\
	.internal_flags = _internal_flags,			\
}

#define PG2_DUMP(_cmd, _dumpit, _policy) {			\
	.cmd = _cmd,						\
	.start = pg2_nl_dump_start,				\
	.dumpit = _dumpit,					\
	.done = pg2_nl_dump_done,				\
	.policy = _policy,					\
	.maxattr = PG2_A_MAX,					\
}

static const struct genl_ops pg2_genl_ops[] = {
	/* No policy: the core rejects every attribute. */
	{
		.cmd = PG2_CMD_GENERATION,
		.doit = pg2_nl_generation_doit,
	},
	PG2_DO(PG2_CMD_GROUP_CREATE, pg2_nl_group_create_doit,
	       pg2_name_policy, 0),
	PG2_DO(PG2_CMD_GROUP_DELETE, pg2_nl_group_delete_doit,
	       pg2_name_policy, 0),
	{
		.cmd = PG2_CMD_GROUP_GET,
		.doit = pg2_nl_group_get_doit,
		.start = pg2_nl_dump_start,
		.dumpit = pg2_nl_group_get_dumpit,
		.done = pg2_nl_dump_done,
		.policy = pg2_name_policy,
		.maxattr = PG2_A_MAX,
	},
	PG2_DO(PG2_CMD_MEMBER_JOIN, pg2_nl_member_join_doit,
	       pg2_join_policy, 0),
	PG2_DO(PG2_CMD_MEMBER_LEAVE, pg2_nl_member_leave_doit,
	       pg2_leave_policy, 0),
	{
		.cmd = PG2_CMD_MEMBER_GET,
		.start = pg2_nl_member_dump_start,
		.dumpit = pg2_nl_member_get_dumpit,
		.done = pg2_nl_dump_done,
		.policy = pg2_member_get_policy,
		.maxattr = PG2_A_MAX,
	},
	PG2_DO(PG2_CMD_MEMBER_CLOSEST, pg2_nl_member_closest_doit,
	       pg2_name_policy, 0),
	/* No policy: the core rejects every attribute. */
	PG2_DUMP(PG2_CMD_TABLE_GET, pg2_nl_table_get_dumpit, NULL),
	PG2_DO(PG2_CMD_NODE_SET_ID, pg2_nl_node_set_id_doit,
	       pg2_node_policy, PG2_NL_RELAY),
	PG2_DO(PG2_CMD_REMOTE_JOIN, pg2_nl_remote_join_doit,
	       pg2_remote_join_policy, PG2_NL_RELAY),
	PG2_DO(PG2_CMD_REMOTE_LEAVE, pg2_nl_remote_leave_doit,
	       pg2_remote_leave_policy, PG2_NL_RELAY),
	PG2_DO(PG2_CMD_NODE_DROP, pg2_nl_node_drop_doit,
	       pg2_node_policy, PG2_NL_RELAY),
	PG2_DO(PG2_CMD_NODE_REPLACE, pg2_nl_node_replace_doit,
	       pg2_node_replace_policy, PG2_NL_RELAY),
	/* Relay: pg2_nl_snapshot_get_dumpit() checks CAP_NET_ADMIN. */
	PG2_DUMP(PG2_CMD_SNAPSHOT_GET, pg2_nl_snapshot_get_dumpit, NULL),
};

/* The rejection of a relay request by a caller without CAP_NET_ADMIN. */
int pg2_nl_relay_error(struct netlink_ext_ack *extack)
{
	NL_SET_ERR_MSG(extack,
		       "relay commands need CAP_NET_ADMIN in the netns's user namespace");
	return -EPERM;
}

/*
 * Relay operations are checked here (GENL_UNS_ADMIN_PERM's check, made
 * here so that the rejection carries a message).  Pids, node ids and
 * counts are never 0.
 */
static int pg2_nl_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	static const int nonzero[] = { PG2_A_PID, PG2_A_NODE_ID, PG2_A_COUNT };
	int i;

	if ((ops->internal_flags & PG2_NL_RELAY) &&
	    !pg2_nl_admin(skb, genl_info_net(info)))
		return pg2_nl_relay_error(info->extack);
	/* info->attrs holds ops->maxattr + 1 entries, none without a policy. */
	for (i = 0; i < ARRAY_SIZE(nonzero); i++) {
		if (nonzero[i] <= ops->maxattr &&
		    !pg2_nl_nonzero(info->attrs[nonzero[i]], info->extack))
			return -EINVAL;
	}
	return 0;
}

static const struct genl_multicast_group pg2_mcgrps[] = {
	[PG2_MCGRP_EVENTS_ID] = { .name = PG2_MCGRP_EVENTS },
};

struct genl_family pg2_genl_family __ro_after_init = {
	.name = PG2_GENL_NAME,
	.version = PG2_GENL_VERSION,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.pre_doit = pg2_nl_pre_doit,
	.ops = pg2_genl_ops,
	.n_ops = ARRAY_SIZE(pg2_genl_ops),
	.mcgrps = pg2_mcgrps,
	.n_mcgrps = ARRAY_SIZE(pg2_mcgrps),
};

int pg2_genl_init(void)
{
	return genl_register_family(&pg2_genl_family);
}

void pg2_genl_fini(void)
{
	genl_unregister_family(&pg2_genl_family);
}

bool pg2_nl_missing(struct genl_info *info, int type)
{
	if (info->attrs[type])
		return false;
	NL_SET_ERR_MSG(info->extack, "missing required attribute");
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, type);
	return true;
}

/* Copies a group name, valid by its policy, into a NUL-padded table key. */
void pg2_nl_group_key(const struct nlattr *attr, char key[PG2_NAME_MAX + 1])
{
	memset(key, 0, PG2_NAME_MAX + 1);
	memcpy(key, nla_data(attr), nla_len(attr) - 1);
}

/* The request's group name, which it must carry, as a table key. */
int pg2_nl_request_key(struct genl_info *info, char key[PG2_NAME_MAX + 1])
{
	if (pg2_nl_missing(info, PG2_A_GROUP_NAME))
		return -EINVAL;
	pg2_nl_group_key(info->attrs[PG2_A_GROUP_NAME], key);
	return 0;
}

/* False, with the message, for a u32 attribute that is present and 0. */
bool pg2_nl_nonzero(const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	if (!attr || nla_get_u32(attr))
		return true;
	NL_SET_ERR_MSG_ATTR(extack, attr, "must not be zero");
	return false;
}

/* CAP_NET_ADMIN in the user namespace owning the netns. */
bool pg2_nl_admin(const struct sk_buff *skb, const struct net *net)
{
	return netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
}

/*
 * CAP_NET_ADMIN in the initial user namespace, which the limits do not
 * bind: an owner of a user namespace of its own (a container's root) is
 * bound by them like anyone.
 */
bool pg2_nl_unlimited(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_NET_ADMIN);
}

struct pg2_blob pg2_nl_blob(const struct nlattr *attr)
{
	struct pg2_blob blob = { .len = -1 };

	if (attr) {
		blob.bytes = nla_data(attr);
		blob.len = nla_len(attr);
	}
	return blob;
}

/* A group record's attributes; under RCU or the table lock. */
int pg2_nl_put_group(struct sk_buff *skb, struct pg2_group *group,
		     struct user_namespace *user_ns)
{
	u32 members, local;

	pg2_group_count(group, &members, &local);
	if (pg2_msg_put_group(skb, group, user_ns,
			      pg2_generation(group->pn)) ||
	    nla_put_u32(skb, PG2_A_MEMBER_COUNT, members) ||
	    nla_put_u32(skb, PG2_A_LOCAL_MEMBER_COUNT, local))
		return -EMSGSIZE;
	return 0;
}
