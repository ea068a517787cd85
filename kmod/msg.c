// SPDX-License-Identifier: GPL-2.0
/* Record attributes shared by replies and events. */

#include <linux/uidgid.h>
#include <net/netlink.h>

#include "msg.h"
#include "table.h"

int pg2_msg_put_group(struct sk_buff *skb, const struct pg2_group *group,
		      struct user_namespace *user_ns, u64 generation)
{
	if (nla_put_string(skb, PG2_A_GROUP_NAME, group->name) ||
	    nla_put_u32(skb, PG2_A_CREATOR_UID,
			from_kuid_munged(user_ns, group->creator)) ||
	    nla_put_u64_64bit(skb, PG2_A_GENERATION, generation, PG2_A_PAD))
		return -EMSGSIZE;
	return 0;
}

int pg2_msg_put_member(struct sk_buff *skb, const struct pg2_member *member,
		       u32 pid, u32 count, u64 generation)
{
	const struct pg2_group *group = member->key.group;
	const struct pg2_data *data;
	int err = 0;

	if (nla_put_string(skb, PG2_A_GROUP_NAME, group->name) ||
	    nla_put_u32(skb, PG2_A_NODE_ID, pg2_member_node(group->pn, member)) ||
	    nla_put_u32(skb, PG2_A_PID, pid) ||
	    nla_put_u32(skb, PG2_A_COUNT, count) ||
	    nla_put_u64_64bit(skb, PG2_A_GENERATION, generation, PG2_A_PAD))
		return -EMSGSIZE;

	rcu_read_lock();
	data = rcu_dereference(member->data);
	if (data && nla_put(skb, PG2_A_DATA, data->len, data->bytes))
		err = -EMSGSIZE;
	rcu_read_unlock();
	return err;
}
