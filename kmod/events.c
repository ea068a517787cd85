// SPDX-License-Identifier: GPL-2.0
/*
 * The "events" multicast group.  Called under the table lock right after
 * each change, so events leave in generation order.  One message serves
 * every listener: uids are those of the initial user namespace, and a
 * local member's pid comes in every pid namespace that sees it.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>

#include "events.h"
#include "msg.h"
#include "netlink.h"
#include "proc.h"
#include "table.h"

/*
 * An event that cannot be built is lost: its listeners learn it as they
 * learn of an overflow, by ENOBUFS, and take a new dump.
 */
static void pg2_event_lost(struct pg2_net *pn, struct sk_buff *skb)
{
	nlmsg_free(skb);
	genl_set_err(&pg2_genl_family, pn->net, 0, PG2_MCGRP_EVENTS_ID,
		     -ENOBUFS);
}

/* NULL when nobody listens or the event is lost. */
static struct sk_buff *pg2_event_new(struct pg2_net *pn, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	if (!genl_has_listeners(&pg2_genl_family, pn->net, PG2_MCGRP_EVENTS_ID))
		return NULL;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	*hdr = skb ? genlmsg_put(skb, 0, 0, &pg2_genl_family, 0, cmd) : NULL;
	if (!*hdr) {
		pg2_event_lost(pn, skb);
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
		err = pg2_msg_put_group(skb, group, &init_user_ns,
					generation);
	else
		err = nla_put_string(skb, PG2_A_GROUP_NAME, group->name) ||
		      nla_put_u64_64bit(skb, PG2_A_GENERATION, generation,
					PG2_A_PAD);
	if (err) {
		pg2_event_lost(pn, skb);
		return;
	}
	pg2_event_send(pn, skb, hdr);
}

/* A local member's pid in every pid namespace that sees it (NSpid). */
static int pg2_event_put_nspids(struct sk_buff *skb, const struct pid *pid)
{
	struct nlattr *nspids, *nspid;
	unsigned int level;

	nspids = nla_nest_start(skb, PG2_A_NSPIDS);
	if (!nspids)
		return -EMSGSIZE;
	for (level = 0; level <= pid->level; level++) {
		const struct upid *upid = &pid->numbers[level];

		nspid = nla_nest_start(skb, PG2_A_NSPID);
		if (!nspid ||
		    nla_put_u32(skb, PG2_NSPID_A_NS, upid->ns->ns.inum) ||
		    nla_put_u32(skb, PG2_NSPID_A_PID, upid->nr))
			return -EMSGSIZE;
		nla_nest_end(skb, nspid);
	}
	nla_nest_end(skb, nspids);
	return 0;
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
	    (proc && pg2_event_put_nspids(skb, proc->pid)) ||
	    (reason != PG2_NO_REASON &&
	     nla_put_u8(skb, PG2_A_REASON, reason))) {
		pg2_event_lost(pn, skb);
		return;
	}
	pg2_event_send(pn, skb, hdr);
}

void pg2_notify_node_id(struct pg2_net *pn, u32 node_id, u64 generation)
{
	struct sk_buff *skb;
	void *hdr;

	skb = pg2_event_new(pn, PG2_CMD_NODE_ID_CHANGED, &hdr);
	if (!skb)
		return;
	if (nla_put_u32(skb, PG2_A_NODE_ID, node_id) ||
	    nla_put_u64_64bit(skb, PG2_A_GENERATION, generation, PG2_A_PAD)) {
		pg2_event_lost(pn, skb);
		return;
	}
	pg2_event_send(pn, skb, hdr);
}
