// SPDX-License-Identifier: GPL-2.0
/*
 * The relay's requests (CAP_NET_ADMIN, see pg2_nl_pre_doit()): this node's
 * id and the members of other nodes.
 */

#include <net/genetlink.h>

#include "netlink.h"
#include "trace.h"

int pg2_nl_node_set_id_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));

	if (pg2_nl_missing(info, PG2_A_NODE_ID))
		return -EINVAL;
	pg2_table_lock(pn);
	pg2_node_set_id(pn, nla_get_u32(info->attrs[PG2_A_NODE_ID]));
	pg2_table_unlock(pn);
	return 0;
}

/* Checks what remote join and leave need; returns the node id or 0. */
static u32 pg2_nl_remote_check(struct pg2_net *pn, struct genl_info *info,
			       char *key)
{
	struct nlattr *node = info->attrs[PG2_A_NODE_ID];

	if (pg2_nl_request_key(info, key) ||
	    pg2_nl_missing(info, PG2_A_NODE_ID) ||
	    pg2_nl_missing(info, PG2_A_PID))
		return 0;
	if (nla_get_u32(node) == READ_ONCE(pn->node_id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, node,
				    "node id is this node's own");
		return 0;
	}
	return nla_get_u32(node);
}

static u32 pg2_nl_count(struct genl_info *info)
{
	struct nlattr *count = info->attrs[PG2_A_COUNT];

	return count ? nla_get_u32(count) : 1;
}

static int pg2_nl_remote_error(struct genl_info *info, int err)
{
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PG2_A_GROUP_NAME],
				    "no such group");
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PG2_A_GROUP_NAME],
				    "group is full (max_members_per_group)");
	if (err != -EOVERFLOW)
		return err;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PG2_A_COUNT],
			    "join count would overflow");
	return -ENOSPC;
}

int pg2_nl_remote_join_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct pg2_blob data = pg2_nl_blob(info->attrs[PG2_A_DATA]);
	char key[PG2_NAME_MAX + 1];
	struct pg2_group *group;
	u32 node_id;
	int err;

	node_id = pg2_nl_remote_check(pn, info, key);
	if (!node_id)
		return -EINVAL;

	pg2_table_lock(pn);
	group = pg2_group_find(pn, key);
	err = group ? pg2_remote_join(group, node_id,
				      nla_get_u32(info->attrs[PG2_A_PID]),
				      pg2_nl_count(info), &data,
				      pg2_nl_unlimited(skb)) : -ENOENT;
	if (!err)
		trace_pg2_remote_sync(pg2_netns(pn), PG2_SYNC_JOIN, node_id, 1,
				      pg2_generation(pn));
	pg2_table_unlock(pn);
	return pg2_nl_remote_error(info, err);
}

int pg2_nl_remote_leave_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	char key[PG2_NAME_MAX + 1];
	struct pg2_group *group;
	u32 node_id;
	int err = 0;

	node_id = pg2_nl_remote_check(pn, info, key);
	if (!node_id)
		return -EINVAL;

	pg2_table_lock(pn);
	group = pg2_group_find(pn, key);
	if (group) {
		pg2_remote_leave(group, node_id,
				 nla_get_u32(info->attrs[PG2_A_PID]),
				 pg2_nl_count(info));
		trace_pg2_remote_sync(pg2_netns(pn), PG2_SYNC_LEAVE, node_id, 1,
				      pg2_generation(pn));
	} else {
		err = -ENOENT;
	}
	pg2_table_unlock(pn);
	return pg2_nl_remote_error(info, err);
}

int pg2_nl_node_drop_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	unsigned int dropped;
	u32 node_id;

	if (pg2_nl_missing(info, PG2_A_NODE_ID))
		return -EINVAL;
	node_id = nla_get_u32(info->attrs[PG2_A_NODE_ID]);

	pg2_table_lock(pn);
	dropped = pg2_node_drop(pn, node_id);
	trace_pg2_remote_sync(pg2_netns(pn), PG2_SYNC_DROP, node_id, dropped,
			      pg2_generation(pn));
	pg2_table_unlock(pn);
	return 0;
}

/* One snapshot entry's attributes, already validated by the policy. */
static int pg2_nl_snapshot_entry(const struct nlattr *entry,
				 struct netlink_ext_ack *extack,
				 struct nlattr **tb, char *key)
{
	static const int required[] = {
		PG2_MEMBER_A_GROUP_NAME, PG2_MEMBER_A_PID, PG2_MEMBER_A_COUNT,
	};
	int err, i;

	err = nla_parse_nested(tb, PG2_MEMBER_A_MAX, entry, NULL, extack);
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(required); i++) {
		if (!tb[required[i]]) {
			NL_SET_ERR_MSG_ATTR(extack, entry,
					    "snapshot entry needs a group name, pid and count");
			NL_SET_ERR_ATTR_MISS(extack, entry, required[i]);
			return -EINVAL;
		}
	}
	if (!pg2_nl_nonzero(tb[PG2_MEMBER_A_PID], extack) ||
	    !pg2_nl_nonzero(tb[PG2_MEMBER_A_COUNT], extack))
		return -EINVAL;
	pg2_nl_group_key(tb[PG2_MEMBER_A_GROUP_NAME], key);
	return 0;
}

static int pg2_nl_snapshot_apply(struct pg2_net *pn, u32 node_id,
				 bool privileged, const struct nlattr *entry,
				 struct nlattr **tb, const char *key,
				 struct netlink_ext_ack *extack)
{
	/* An entry says all there is: no data is no data. */
	struct pg2_blob data = { .len = 0 };
	int err;

	if (tb[PG2_MEMBER_A_DATA])
		data = pg2_nl_blob(tb[PG2_MEMBER_A_DATA]);
	err = pg2_node_replace_one(pn, node_id, key,
				   nla_get_u32(tb[PG2_MEMBER_A_PID]),
				   nla_get_u32(tb[PG2_MEMBER_A_COUNT]), &data,
				   privileged);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "snapshot entry over max_groups or max_members_per_group");
	else if (err)
		NL_SET_ERR_MSG_ATTR(extack, entry,
				    "cannot apply this snapshot entry");
	return err;
}

/*
 * Validates every entry of every PG2_A_MEMBERS of the request and, given
 * a table, applies it there.
 */
static int pg2_nl_snapshot_walk(struct genl_info *info, struct pg2_net *pn,
				u32 node_id, bool privileged)
{
	struct nlattr *tb[PG2_MEMBER_A_MAX + 1];
	const struct nlattr *members, *entry;
	char key[PG2_NAME_MAX + 1];
	int rem, entry_rem, err;

	nlmsg_for_each_attr(members, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(members) != PG2_A_MEMBERS)
			continue;
		nla_for_each_nested(entry, members, entry_rem) {
			err = pg2_nl_snapshot_entry(entry, info->extack, tb,
						    key);
			if (!err && pn)
				err = pg2_nl_snapshot_apply(pn, node_id,
							    privileged, entry,
							    tb, key,
							    info->extack);
			if (err)
				return err;
		}
	}
	return 0;
}

int pg2_nl_node_replace_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct nlattr *node = info->attrs[PG2_A_NODE_ID];
	unsigned int dropped;
	int err;

	if (pg2_nl_missing(info, PG2_A_NODE_ID) ||
	    pg2_nl_missing(info, PG2_A_MEMBERS))
		return -EINVAL;
	if (nla_get_u32(node) == READ_ONCE(pn->node_id)) {
		NL_SET_ERR_MSG_ATTR(info->extack, node,
				    "node id is this node's own");
		return -EINVAL;
	}
	err = pg2_nl_snapshot_walk(info, NULL, 0, false);
	if (err)
		return err;

	pg2_table_lock(pn);
	pg2_node_replace_begin(pn);
	err = pg2_nl_snapshot_walk(info, pn, nla_get_u32(node),
				   pg2_nl_unlimited(skb));
	if (!err) {
		dropped = pg2_node_replace_end(pn, nla_get_u32(node));
		trace_pg2_remote_sync(pg2_netns(pn), PG2_SYNC_REPLACE,
				      nla_get_u32(node), dropped,
				      pg2_generation(pn));
	}
	pg2_table_unlock(pn);
	return err;
}
