// SPDX-License-Identifier: GPL-2.0
/* Requests that change the local table: create, delete, join, leave. */

#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <net/genetlink.h>

#include "exit.h"
#include "limits.h"
#include "netlink.h"

int pg2_nl_generation_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct sk_buff *reply;
	void *hdr;

	reply = genlmsg_new(nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &pg2_genl_family, 0,
				PG2_CMD_GENERATION);
	if (!hdr ||
	    nla_put_u64_64bit(reply, PG2_A_GENERATION, pg2_generation(pn),
			      PG2_A_PAD)) {
		nlmsg_free(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int pg2_nl_group_create_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct nlattr *name = info->attrs[PG2_A_GROUP_NAME];
	char key[PG2_NAME_MAX + 1];
	int err;

	err = pg2_nl_request_key(info, key);
	if (err)
		return err;
	if (READ_ONCE(pg2_create_needs_admin) && !pg2_nl_admin(skb, pn->net)) {
		NL_SET_ERR_MSG(info->extack,
			       "creating groups needs CAP_NET_ADMIN");
		return -EPERM;
	}

	pg2_table_lock(pn);
	err = pg2_group_create(pn, key, current_euid(), pg2_nl_unlimited(skb));
	pg2_table_unlock(pn);
	if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "too many groups in this netns (max_groups)");
	return err;
}

int pg2_nl_group_delete_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct nlattr *name = info->attrs[PG2_A_GROUP_NAME];
	char key[PG2_NAME_MAX + 1];
	struct pg2_group *group;
	int err;

	err = pg2_nl_request_key(info, key);
	if (err)
		return err;

	pg2_table_lock(pn);
	group = pg2_group_find(pn, key);
	if (!group) {
		err = 0;
	} else if (!uid_eq(group->creator, current_euid()) &&
		   !pg2_nl_admin(skb, pn->net)) {
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "only the group's creator or CAP_NET_ADMIN may delete it");
		err = -EPERM;
	} else {
		pg2_group_delete(pn, group);
	}
	pg2_table_unlock(pn);
	return err;
}

/* kill(2)'s rule: our real or effective uid is the target's real or saved. */
static bool pg2_may_signal(struct task_struct *task)
{
	const struct cred *cred = current_cred();
	const struct cred *tcred;
	bool ok;

	rcu_read_lock();
	tcred = __task_cred(task);
	ok = uid_eq(cred->euid, tcred->suid) || uid_eq(cred->euid, tcred->uid) ||
	     uid_eq(cred->uid, tcred->suid) || uid_eq(cred->uid, tcred->uid);
	rcu_read_unlock();
	return ok;
}

/*
 * The process a join or leave is about: PG2_A_PID in the caller's pid
 * namespace, or the caller.  A thread id that is not a thread group's is
 * no process.  Returns a task reference, NULL when there is no process, or
 * an ERR_PTR(-EPERM).
 */
static struct task_struct *pg2_nl_target(struct sk_buff *skb,
					 struct genl_info *info)
{
	struct nlattr *attr = info->attrs[PG2_A_PID];
	struct task_struct *task;

	if (!attr)
		return get_task_struct(current->group_leader);

	rcu_read_lock();
	task = pid_task(find_vpid(nla_get_u32(attr)), PIDTYPE_TGID);
	if (task)
		get_task_struct(task);
	rcu_read_unlock();
	if (!task || same_thread_group(task, current))
		return task;
	if (pg2_may_signal(task) || pg2_nl_admin(skb, genl_info_net(info)))
		return task;
	put_task_struct(task);
	NL_SET_ERR_MSG_ATTR(info->extack, attr,
			    "joining or leaving another process needs the right to signal it, or CAP_NET_ADMIN");
	return ERR_PTR(-EPERM);
}

/* The message for a join's or leave's error; the errno to answer. */
static int pg2_nl_join_error(struct genl_info *info, int err)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr **attrs = info->attrs;

	switch (err) {
	case -ENOENT:
		NL_SET_ERR_MSG_ATTR(extack, attrs[PG2_A_GROUP_NAME],
				    "no such group");
		break;
	case -ESRCH:
		if (attrs[PG2_A_PID])
			NL_SET_ERR_MSG_ATTR(extack, attrs[PG2_A_PID],
					    "no such process, or it is exiting");
		else
			NL_SET_ERR_MSG(extack, "the calling process is exiting");
		break;
	case -ENOSPC:
		NL_SET_ERR_MSG_ATTR(extack, attrs[PG2_A_GROUP_NAME],
				    "group is full (max_members_per_group)");
		break;
	case -EDQUOT:
		NL_SET_ERR_MSG_ATTR(extack, attrs[PG2_A_GROUP_NAME],
				    "too many memberships for this uid (max_memberships_per_uid)");
		break;
	case -EOVERFLOW:
		NL_SET_ERR_MSG_ATTR(extack, attrs[PG2_A_GROUP_NAME],
				    "join count would overflow");
		return -ENOSPC;
	}
	return err;
}

static int pg2_join(struct pg2_net *pn, const char *key,
		    struct task_struct *task, const struct pg2_blob *data,
		    kuid_t charge)
{
	struct pg2_group *group;
	int err;

	/* As in pg2, a missing group is the answer before a missing process. */
	pg2_table_lock(pn);
	group = pg2_group_find(pn, key);
	if (!group)
		err = -ENOENT;
	else if (!task)
		err = -ESRCH;
	else
		err = pg2_local_join(group, task, data, charge);
	pg2_table_unlock(pn);
	return err;
}

int pg2_nl_member_join_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	struct pg2_blob data = pg2_nl_blob(info->attrs[PG2_A_DATA]);
	char key[PG2_NAME_MAX + 1];
	struct task_struct *task;
	kuid_t charge;
	int err;

	err = pg2_nl_request_key(info, key);
	if (err)
		return err;
	task = pg2_nl_target(skb, info);
	if (IS_ERR(task))
		return PTR_ERR(task);
	charge = pg2_nl_unlimited(skb) ? INVALID_UID : current_euid();

	err = pg2_join(pn, key, task, &data, charge);
	/*
	 * A dead process's memberships count against the limits until the
	 * reaper has removed them: after a wait() they must not, so wait for
	 * the reaper once before saying a limit is reached.
	 */
	if (err == -ENOSPC || err == -EDQUOT) {
		pg2_exit_flush();
		err = pg2_join(pn, key, task, &data, charge);
	}
	if (task)
		put_task_struct(task);
	return pg2_nl_join_error(info, err);
}

int pg2_nl_member_leave_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct pg2_net *pn = pg2_net(genl_info_net(info));
	char key[PG2_NAME_MAX + 1];
	struct task_struct *task;
	struct pg2_group *group;
	struct pid *pid = NULL;
	int err;

	err = pg2_nl_request_key(info, key);
	if (err)
		return err;
	task = pg2_nl_target(skb, info);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* A reference: a reaped process's struct pid may be freed and reused. */
	if (task) {
		pid = get_task_pid(task, PIDTYPE_TGID);
		put_task_struct(task);
	}

	pg2_table_lock(pn);
	group = pg2_group_find(pn, key);
	if (!group)
		err = -ENOENT;
	else if (pid)
		pg2_local_leave(group, pid);
	pg2_table_unlock(pn);
	put_pid(pid);
	return pg2_nl_join_error(info, err);
}
