// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group.  Called under the table lock right after
 * each change, so events leave in generation order.  Pids and uids are
 * those of the initial namespaces: one message serves every listener.
 */

#include <linux/pid.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>

#include "events.h"
#include "msg.h"
#include "netlink.h"
#include "proc.h"
#include "table.h"

static struct sk_buff *pg2_event_new(struct pg2_net *pn, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&pg2_genl_family, pn->net, PG2_MCGRP_EVENTS_ID))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return NULL;
	*hdr = genlmsg_put(skb, 0, 0, &pg2_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static void pg2_event_send(struct pg2_net *pn, struct sk_buff *skb, void *hdr)
{
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&pg2_genl_family, pn->net, skb, 0,
				PG2_MCGRP_EVENTS_ID, GFP_KERNEL);
}

void pg2_notify_group(struct pg2_net *pn, u8 cmd, const struct pg2_group *group,
		      u64 generation)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	skb = pg2_event_new(pn, cmd, &hdr);
	if (!skb)
		return;
	if (cmd == PG2_CMD_GROUP_CREATED)
		err = pg2_msg_put_group(skb, (struct pg2_group *)group,
					&init_user_ns, generation);
	else
		err = nla_put_string(skb, PG2_A_GROUP_NAME, group->name) ||
		      nla_put_u64_64bit(skb, PG2_A_GENERATION, generation,
					PG2_A_PAD);
	if (err) {
		nlmsg_free(skb);
		return;
	}
	pg2_event_send(pn, skb, hdr);
}

void pg2_notify_member(struct pg2_net *pn, u8 cmd,
		       const struct pg2_member *member, u32 count, int reason,
		       u64 generation)
{
	const struct pg2_proc *proc = member->key.proc;
	struct sk_buff *skb;
	void *hdr;
	u32 pid;

	skb = pg2_event_new(pn, cmd, &hdr);
	if (!skb)
		return;
	pid = proc ? pid_nr(proc->pid) : member->key.pid;
	if (pg2_msg_put_member(skb, member, pid, count, generation) ||
	    (reason != PG2_NO_REASON &&
	     nla_put_u8(skb, PG2_A_REASON, reason))) {
		nlmsg_free(skb);
		return;
	}
	pg2_event_send(pn, skb, hdr);
}
