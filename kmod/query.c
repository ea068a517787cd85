// SPDX-License-Identifier: GPL-2.0
/*
 * Read-only requests, under RCU: group records, get closest, and the dumps.
 *
 * A dump keeps its place as the id of the next group and of the next
 * member (xarray indices), so it resumes in O(log n) however the table
 * changed.  Its first message is a PG2_CMD_GENERATION header.  cb->seq is
 * 1 while the table is as it was at the start and 2 once it changed (a
 * generation bump, or a process marked dead by the exit probe), so the
 * first message after a change carries NLM_F_DUMP_INTR, and the final call
 * changes cb->seq once more so that NLMSG_DONE carries it too.
 */

#include <linux/pid_namespace.h>
#include <linux/random.h>
#include <linux/user_namespace.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "exit.h"
#include "msg.h"
#include "netlink.h"
#include "trace.h"

struct pg2_dump {
	struct pid_namespace *pid_ns;
	struct user_namespace *user_ns;
	u64 start_generation;
	unsigned int start_changes;	/* pg2_net.changes at the start */
	unsigned int start_exits;	/* pg2_net.exits at the start */
	u32 group_id;		/* next group */
	u32 member_id;		/* next member of that group */
	u32 returned;		/* member records so far */
	bool started;		/* header sent */
	bool group_sent;	/* record of group_id sent */
	bool relay;		/* the requester may make relay requests */
	bool stale;		/* started with exited members still to leave */
};

static struct pg2_dump *pg2_dump_ctx(struct netlink_callback *cb)
{
	BUILD_BUG_ON(sizeof(struct pg2_dump) > sizeof(cb->ctx));
	return (struct pg2_dump *)cb->ctx;
}

/*
 * Takes the table's lock, between two changes, to read the table or, with
 * @key, that group at one generation.  Replies leave out a member from
 * the moment it is marked dead, but its leave (event and generation)
 * comes when the reaper removes it: this waits, flushing the reaper,
 * until none is between the two, or gives up and says *@stale.  *@exits
 * is the exits count to watch from now on.  Returns the group (or NULL).
 */
static struct pg2_group *pg2_read_lock(struct pg2_net *pn, const char *key,
				       unsigned int *exits, bool *stale)
{
	struct pg2_group *group;
	int flushes = 0;

	for (;;) {
		mutex_lock(&pn->lock);
		group = key ? pg2_group_find(pn, key) : NULL;
		if (group) {
			*exits = read_seqcount_begin(&group->exits);
			*stale = READ_ONCE(group->exits_pending);
		} else {
			*exits = read_seqcount_begin(&pn->exits);
			*stale = READ_ONCE(pn->exits_pending);
		}
		if (!*stale || flushes++ == 3)
			return group;
		mutex_unlock(&pn->lock);
		pg2_exit_flush();
	}
}

/*
 * Begins a dump of the table or, with @key, of that group's members.  Runs
 * in the requester's sendmsg(), as later dumpit calls may not (they may
 * run in whoever reads the socket).
 */
static int pg2_dump_begin(struct netlink_callback *cb, const char *key)
{
	struct pg2_net *pn = pg2_net(sock_net(cb->skb->sk));
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	struct pg2_group *group;

	dump->pid_ns = get_pid_ns(task_active_pid_ns(current));
	dump->user_ns = get_user_ns(current_user_ns());
	dump->relay = pg2_nl_admin(cb->skb, pn->net);
	group = pg2_read_lock(pn, key, &dump->start_exits, &dump->stale);
	if (key)
		dump->group_id = group ? group->id : PG2_NO_GROUP_ID;
	dump->start_changes = raw_read_seqcount(group ? &group->changes :
							&pn->changes);
	dump->start_generation = pg2_generation(pn);
	mutex_unlock(&pn->lock);
	return 0;
}

int pg2_nl_dump_start(struct netlink_callback *cb)
{
	return pg2_dump_begin(cb, NULL);
}

/* Without a group name the first dumpit call refuses the dump. */
int pg2_nl_member_dump_start(struct netlink_callback *cb)
{
	struct nlattr *name = genl_dumpit_info(cb)->attrs[PG2_A_GROUP_NAME];
	char key[PG2_NAME_MAX + 1];

	if (!name)
		return pg2_dump_begin(cb, NULL);
	pg2_nl_group_key(name, key);
	return pg2_dump_begin(cb, key);
}

int pg2_nl_dump_done(struct netlink_callback *cb)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);

	put_pid_ns(dump->pid_ns);
	put_user_ns(dump->user_ns);
	return 0;
}

static bool pg2_dump_changed(const struct pg2_dump *dump,
			     const seqcount_t *changes,
			     const seqcount_spinlock_t *exits)
{
	return dump->stale || read_seqcount_retry(changes, dump->start_changes) ||
	       read_seqcount_retry(exits, dump->start_exits);
}

static bool pg2_dump_table_changed(const struct pg2_dump *dump,
				   const struct pg2_net *pn)
{
	return pg2_dump_changed(dump, &pn->changes, &pn->exits);
}

/* The group dumped was deleted (and maybe made again), or changed. */
static bool pg2_dump_group_changed(const struct pg2_dump *dump,
				   const struct pg2_group *group)
{
	return !group || group->id != dump->group_id ||
	       pg2_dump_changed(dump, &group->changes, &group->exits);
}

/* cb->seq: 1 while what is dumped is as at the start, 2 once it changed. */
static void pg2_dump_seq(struct netlink_callback *cb, bool changed)
{
	cb->seq = changed ? 2 : 1;
}

/*
 * The last call: returning 0 puts NLMSG_DONE right after the last record,
 * in the same batch, flagged if anything changed.
 */
static int pg2_dump_end(struct netlink_callback *cb, bool changed)
{
	pg2_dump_seq(cb, changed);
	if (changed)
		cb->seq = cb->prev_seq + 1;
	return 0;
}

static void *pg2_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			  u8 cmd)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &pg2_genl_family, NLM_F_MULTI, cmd);
	if (hdr)
		genl_dump_check_consistent(cb, hdr);
	return hdr;
}

static int pg2_dump_header(struct sk_buff *skb, struct netlink_callback *cb,
			   struct pg2_net *pn)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	void *hdr;

	if (dump->started)
		return 0;
	hdr = pg2_dump_put(skb, cb, PG2_CMD_GENERATION);
	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u64_64bit(skb, PG2_A_GENERATION, dump->start_generation,
			      PG2_A_PAD)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	dump->started = true;
	return 0;
}

static int pg2_dump_group(struct sk_buff *skb, struct netlink_callback *cb,
			  struct pg2_group *group)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	void *hdr;

	hdr = pg2_dump_put(skb, cb, PG2_CMD_GROUP_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (pg2_nl_put_group(skb, group, dump->user_ns)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int pg2_put_member(struct sk_buff *skb, void *hdr,
			  const struct pg2_member *member, u32 pid)
{
	struct pg2_net *pn = member->key.group->pn;

	if (pg2_msg_put_member(skb, member, pid, READ_ONCE(member->count),
			       pg2_generation(pn))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/* Member records of @group from dump->member_id on, until the skb fills. */
static int pg2_dump_members(struct sk_buff *skb, struct netlink_callback *cb,
			    struct pg2_group *group, bool local_only)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	struct pg2_member *member;
	unsigned long id;
	void *hdr;
	u32 pid;

	xa_for_each_start(&group->members, id, member, dump->member_id) {
		if (local_only && !pg2_member_local(member))
			continue;
		pid = pg2_member_pid(member, dump->pid_ns);
		if (!pid)
			continue;
		hdr = pg2_dump_put(skb, cb, PG2_CMD_MEMBER_GET);
		if (!hdr || pg2_put_member(skb, hdr, member, pid)) {
			dump->member_id = id;
			return -EMSGSIZE;
		}
		dump->returned++;
	}
	return 0;
}

static int pg2_dump_groups_from(struct sk_buff *skb,
				struct netlink_callback *cb, struct pg2_net *pn,
				bool members, bool local_only)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	struct pg2_group *group;
	unsigned long id;
	int err;

	xa_for_each_start(&pn->group_ids, id, group, dump->group_id) {
		if (id != dump->group_id) {
			dump->group_id = id;
			dump->member_id = 0;
			dump->group_sent = false;
		}
		if (!dump->group_sent) {
			err = pg2_dump_group(skb, cb, group);
			if (err)
				return err;
			dump->group_sent = true;
		}
		if (members) {
			err = pg2_dump_members(skb, cb, group, local_only);
			if (err)
				return err;
		}
		if (id == U32_MAX)
			break;
		dump->group_id = id + 1;
		dump->member_id = 0;
		dump->group_sent = false;
	}
	return 0;
}

/* Every group from dump->group_id on, with its members if asked. */
static int pg2_dump_groups(struct sk_buff *skb, struct netlink_callback *cb,
			   bool members, bool local_only)
{
	struct pg2_net *pn = pg2_net(sock_net(skb->sk));
	int err;

	rcu_read_lock();
	pg2_dump_seq(cb, pg2_dump_table_changed(pg2_dump_ctx(cb), pn));
	err = pg2_dump_header(skb, cb, pn);
	if (!err)
		err = pg2_dump_groups_from(skb, cb, pn, members, local_only);
	rcu_read_unlock();

	if (err)
		return skb->len ?: err;
	return pg2_dump_end(cb, pg2_dump_table_changed(pg2_dump_ctx(cb), pn));
}

int pg2_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return pg2_dump_groups(skb, cb, false, false);
}

int pg2_nl_table_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	return pg2_dump_groups(skb, cb, true, false);
}

/* A relay operation: refused by its first call, which has the extack. */
int pg2_nl_snapshot_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb)
{
	struct pg2_dump *dump = pg2_dump_ctx(cb);

	if (!dump->started && !dump->relay)
		return pg2_nl_relay_error(cb->extack);
	return pg2_dump_groups(skb, cb, true, true);
}

int pg2_nl_member_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct pg2_net *pn = pg2_net(sock_net(skb->sk));
	struct pg2_dump *dump = pg2_dump_ctx(cb);
	struct nlattr *name = attrs[PG2_A_GROUP_NAME];
	char key[PG2_NAME_MAX + 1];
	struct pg2_group *group;
	bool changed;
	int err;

	if (!name) {
		NL_SET_ERR_MSG(cb->extack, "missing group name");
		NL_SET_ERR_ATTR_MISS(cb->extack, NULL, PG2_A_GROUP_NAME);
		return -EINVAL;
	}
	pg2_nl_group_key(name, key);

	rcu_read_lock();
	group = pg2_group_find(pn, key);
	if (!group && !dump->started) {
		rcu_read_unlock();
		NL_SET_ERR_MSG_ATTR(cb->extack, name, "no such group");
		return -ENOENT;
	}
	pg2_dump_seq(cb, pg2_dump_group_changed(dump, group));
	err = pg2_dump_header(skb, cb, pn);
	/* A group deleted during the dump ends it, flagged by the seq. */
	if (!err && group)
		err = pg2_dump_members(skb, cb, group,
				       attrs[PG2_A_LOCAL_ONLY]);
	changed = pg2_dump_group_changed(dump, group);
	rcu_read_unlock();

	if (err)
		return skb->len ?: err;
	trace_pg2_lookup(pg2_netns(pn), key, PG2_LOOKUP_MEMBERS,
			 dump->returned);
	return pg2_dump_end(cb, changed);
}

static int pg2_nl_reply_error(struct genl_info *info, int err)
{
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PG2_A_GROUP_NAME],
				    "no such group");
	else if (err == -ESRCH)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[PG2_A_GROUP_NAME],
				    "group has no member");
	return err;
}

static int pg2_nl_reply_start(struct genl_info *info, u8 cmd,
			      struct sk_buff **reply, void **hdr, char *key)
{
	int err;

	err = pg2_nl_request_key(info, key);
	if (err)
		return err;
	*reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!*reply)
		return -ENOMEM;
	*hdr = genlmsg_put_reply(*reply, info, &pg2_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(*reply);
		return -EMSGSIZE;
	}
	return 0;
}

static int pg2_nl_reply_end(struct genl_info *info, struct sk_buff *reply,
			    void *hdr, int err)
{
	if (err) {
		nlmsg_free(reply);
		return pg2_nl_reply_error(info, err);
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int pg2_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	char key[PG2_NAME_MAX + 1];
	struct pg2_group *group;
	struct sk_buff *reply;
	unsigned int exits;
	bool stale;
	void *hdr;
	int err;

	err = pg2_nl_reply_start(info, PG2_CMD_GROUP_GET, &reply, &hdr, key);
	if (err)
		return err;
	/*
	 * The record's counts at its generation: read between two changes,
	 * again if a member was marked dead meanwhile.
	 */
	group = pg2_read_lock(pn, key, &exits, &stale);
	for (;;) {
		err = group ? pg2_nl_put_group(reply, group, current_user_ns()) :
			      -ENOENT;
		if (err || !read_seqcount_retry(&group->exits, exits))
			break;
		nlmsg_trim(reply, hdr);
		exits = read_seqcount_begin(&group->exits);
	}
	mutex_unlock(&pn->lock);
	return pg2_nl_reply_end(info, reply, hdr, err);
}

/* The @nth member closest() may return, or the last one seen. */
static struct pg2_member *pg2_closest_nth(struct pg2_group *group,
					  struct pid_namespace *ns,
					  bool local_only, u32 nth, u32 *pid)
{
	struct pg2_member *member, *found = NULL;
	unsigned long id;
	u32 nr;

	xa_for_each(&group->members, id, member) {
		if (local_only && !pg2_member_local(member))
			continue;
		nr = pg2_member_pid(member, ns);
		if (!nr)
			continue;
		found = member;
		*pid = nr;
		if (!nth--)
			break;
	}
	return found;
}

/* A random visible local member, else a random visible member. */
static struct pg2_member *pg2_closest(struct pg2_group *group,
				      struct pid_namespace *ns, u32 *pid)
{
	struct pg2_member *member;
	u32 all = 0, local = 0;
	unsigned long id;

	xa_for_each(&group->members, id, member) {
		if (!pg2_member_pid(member, ns))
			continue;
		all++;
		if (pg2_member_local(member))
			local++;
	}
	if (!all)
		return NULL;
	/* The locals counted may have exited since: then any member. */
	member = local ? pg2_closest_nth(group, ns, true,
					 get_random_u32_below(local), pid) :
			 NULL;
	return member ?: pg2_closest_nth(group, ns, false,
					 get_random_u32_below(all), pid);
}

int pg2_nl_member_closest_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	char key[PG2_NAME_MAX + 1];
	struct pg2_member *member;
	struct pg2_group *group;
	struct sk_buff *reply;
	u32 pid = 0;
	void *hdr;
	int err;

	err = pg2_nl_reply_start(info, PG2_CMD_MEMBER_GET, &reply, &hdr, key);
	if (err)
		return err;
	rcu_read_lock();
	group = pg2_group_find(pn, key);
	member = group ? pg2_closest(group, task_active_pid_ns(current), &pid) :
			 NULL;
	if (!group)
		err = -ENOENT;
	else if (!member)
		err = -ESRCH;
	else
		err = pg2_msg_put_member(reply, member, pid,
					 READ_ONCE(member->count),
					 pg2_generation(pn));
	rcu_read_unlock();
	trace_pg2_lookup(pg2_netns(pn), key, PG2_LOOKUP_CLOSEST, !!member);
	return pg2_nl_reply_end(info, reply, hdr, err);
}
