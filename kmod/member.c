// SPDX-License-Identifier: GPL-2.0
/*
 * Members of a group: local ones, a process held by its struct pid through
 * the global index (proc.c), and remote ones, a (node id, pid) the relay
 * reports.  Every change is made under the table lock and announced by a
 * generation bump, an event and a tracepoint.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "events.h"
#include "limits.h"
#include "member.h"
#include "proc.h"
#include "quota.h"
#include "trace.h"

static const struct rhashtable_params pg2_members_params = {
	.head_offset = offsetof(struct pg2_member, node),
	.key_offset = offsetof(struct pg2_member, key),
	.key_len = sizeof(struct pg2_member_key),
	.automatic_shrinking = true,
};

int pg2_members_init(struct pg2_net *pn)
{
	return rhashtable_init(&pn->members, &pg2_members_params);
}

void pg2_members_destroy(struct pg2_net *pn)
{
	rhashtable_destroy(&pn->members);
}

bool pg2_member_local(const struct pg2_member *member)
{
	return member->key.proc;
}

u32 pg2_member_node(const struct pg2_net *pn, const struct pg2_member *member)
{
	return pg2_member_local(member) ? READ_ONCE(pn->node_id) :
					  member->key.node_id;
}

/*
 * The member's pid number as seen from @ns (remote pids are not
 * translated); 0 when it must be left out of a reply.
 */
u32 pg2_member_pid(const struct pg2_member *member, struct pid_namespace *ns)
{
	struct pg2_proc *proc = member->key.proc;

	if (!proc)
		return member->key.pid;
	if (!pg2_proc_alive(proc))
		return 0;
	return pid_nr_ns(proc->pid, ns);
}

/* The pid of events and tracepoints: the initial pid namespace's. */
u32 pg2_member_init_pid(const struct pg2_member *member)
{
	struct pg2_proc *proc = member->key.proc;

	return proc ? pid_nr(proc->pid) : member->key.pid;
}

int pg2_data_prepare(const struct pg2_blob *blob, struct pg2_data **data)
{
	*data = NULL;
	if (blob->len <= 0)
		return 0;
	*data = kmalloc(struct_size(*data, bytes, blob->len), PG2_GFP);
	if (!*data)
		return -ENOMEM;
	(*data)->len = blob->len;
	memcpy((*data)->bytes, blob->bytes, blob->len);
	return 0;
}

static struct pg2_data *pg2_data_get(const struct pg2_member *member)
{
	return rcu_dereference_protected(member->data,
					 lockdep_is_held(&member->key.group->pn->lock));
}

/* Sets the data @blob asks for (none: left as it is) to @data. */
void pg2_data_set(struct pg2_member *member, const struct pg2_blob *blob,
		  struct pg2_data *data)
{
	struct pg2_data *old = pg2_data_get(member);

	if (blob->len < 0)
		return;
	pg2_group_touch(member->key.group);
	rcu_assign_pointer(member->data, data);
	if (old)
		kfree_rcu(old, rcu);
}

bool pg2_data_same(const struct pg2_member *member,
		   const struct pg2_blob *blob)
{
	const struct pg2_data *data = pg2_data_get(member);

	if (blob->len < 0)
		return true;
	if (!data)
		return !blob->len;
	return data->len == blob->len &&
	       !memcmp(data->bytes, blob->bytes, blob->len);
}

static struct pg2_member *pg2_member_find(struct pg2_net *pn,
					  const struct pg2_member_key *key)
{
	return rhashtable_lookup_fast(&pn->members, key, pg2_members_params);
}

static struct pg2_member *pg2_member_alloc(struct pg2_group *group)
{
	struct pg2_member *member;

	member = kzalloc(sizeof(*member), PG2_GFP);
	if (!member)
		return NULL;
	member->key.group = group;
	member->charged = INVALID_UID;
	INIT_LIST_HEAD(&member->proc_link);
	return member;
}

/* Makes a fully built member visible: the hash first, readers' xarray last. */
static int pg2_member_publish(struct pg2_member *member)
{
	struct pg2_group *group = member->key.group;
	struct pg2_net *pn = group->pn;
	int err;

	pg2_group_touch(group);
	err = rhashtable_insert_fast(&pn->members, &member->node,
				     pg2_members_params);
	if (err)
		return err;
	err = xa_alloc_cyclic(&group->members, &member->id, member,
			      xa_limit_32b, &group->next_member_id, PG2_GFP);
	if (err < 0) {
		rhashtable_remove_fast(&pn->members, &member->node,
				       pg2_members_params);
		return err;
	}
	group->nr_members++;
	return 0;
}

/* Unlinks a local member from its process, freeing one left with none. */
static void pg2_member_unlink(struct pg2_member *member)
{
	struct pg2_group *group = member->key.group;
	struct pg2_proc *proc = member->key.proc;
	struct pg2_net *pn = group->pn;

	spin_lock(&pg2_procs_lock);
	list_del(&member->proc_link);
	if (proc->dead) {
		WRITE_ONCE(pn->exits_pending, pn->exits_pending - 1);
		WRITE_ONCE(group->exits_pending, group->exits_pending - 1);
	} else if (list_empty(&proc->members)) {
		/* A dead process belongs to the reaper, which frees it. */
		pg2_proc_unhash(proc);
		pg2_proc_free(proc);
	}
	spin_unlock(&pg2_procs_lock);
}

static void pg2_member_free_rcu(struct rcu_head *rcu)
{
	struct pg2_member *member = container_of(rcu, struct pg2_member, rcu);

	kfree(rcu_access_pointer(member->data));
	kfree(member);
}

void pg2_member_destroy(struct pg2_member *member)
{
	struct pg2_group *group = member->key.group;

	pg2_group_touch(group);
	xa_erase(&group->members, member->id);
	rhashtable_remove_fast(&group->pn->members, &member->node,
			       pg2_members_params);
	group->nr_members--;
	pg2_quota_uncharge(member->charged);
	if (pg2_member_local(member))
		pg2_member_unlink(member);
	call_rcu(&member->rcu, pg2_member_free_rcu);
}

static void pg2_member_set_count(struct pg2_member *member, u32 count)
{
	pg2_group_touch(member->key.group);
	WRITE_ONCE(member->count, count);
}

static void pg2_member_joined(struct pg2_member *member)
{
	struct pg2_net *pn = member->key.group->pn;
	u64 gen = pg2_bump(pn);

	trace_pg2_join(pg2_netns(pn), member->key.group->name,
		       pg2_member_node(pn, member), pg2_member_init_pid(member),
		       member->count, gen);
	pg2_notify_member(pn, PG2_CMD_MEMBER_JOINED, member, member->count,
			  PG2_NO_REASON, gen);
}

void pg2_member_left(struct pg2_member *member, u32 count, u8 reason)
{
	struct pg2_net *pn = member->key.group->pn;
	u64 gen = pg2_bump(pn);

	pg2_member_set_count(member, member->count - min(count, member->count));
	trace_pg2_leave(pg2_netns(pn), member->key.group->name,
			pg2_member_node(pn, member),
			pg2_member_init_pid(member), member->count, reason,
			gen);
	pg2_notify_member(pn, PG2_CMD_MEMBER_LEFT, member, member->count,
			  reason, gen);
	if (!member->count)
		pg2_member_destroy(member);
}

void pg2_member_drop(struct pg2_member *member, u8 reason)
{
	struct pg2_proc *proc = member->key.proc;

	if (proc && READ_ONCE(proc->dead))
		reason = PG2_REASON_EXIT;
	pg2_member_left(member, member->count, reason);
}

static struct pg2_member *pg2_local_find(struct pg2_group *group,
					 struct pid *pid)
{
	struct pg2_member_key key = { .group = group };

	key.proc = pg2_proc_lookup(pid);
	return key.proc ? pg2_member_find(group->pn, &key) : NULL;
}

/*
 * Links @member to the index entry of @pid, inserting *@spare (and
 * clearing it) if there is none.  -ESRCH when the process was already
 * marked dead.
 */
static int pg2_member_link(struct pg2_member *member, struct pid *pid,
			   struct pg2_proc **spare)
{
	struct pg2_proc *proc;
	int err = 0;

	spin_lock(&pg2_procs_lock);
	proc = pg2_proc_lookup(pid);
	if (!proc) {
		proc = pg2_proc_insert(*spare);
		if (IS_ERR(proc)) {
			err = PTR_ERR(proc);
			goto unlock;
		}
		*spare = NULL;
	} else if (proc->dead) {
		err = -ESRCH;
		goto unlock;
	}
	member->key.proc = proc;
	list_add_tail(&member->proc_link, &proc->members);
unlock:
	spin_unlock(&pg2_procs_lock);
	return err;
}

/*
 * Races with the process's exit: the member is linked to the index first,
 * and published only once the process is known to be alive after that.
 */
static int pg2_local_add(struct pg2_group *group, struct task_struct *task,
			 struct pid *pid, struct pg2_data *data, kuid_t charge)
{
	struct pg2_member *member;
	struct pg2_proc *spare;
	int err = -ENOMEM;

	if (uid_valid(charge) &&
	    group->nr_members >= READ_ONCE(pg2_max_members_per_group)) {
		kfree(data);
		return -ENOSPC;
	}
	member = pg2_member_alloc(group);
	spare = pg2_proc_alloc(pid);
	if (!member || !spare)
		goto free;
	err = pg2_quota_charge(charge);
	if (err)
		goto free;
	member->charged = charge;
	member->count = 1;
	RCU_INIT_POINTER(member->data, data);

	err = pg2_member_link(member, pid, &spare);
	if (err)
		goto uncharge;
	/*
	 * Pairs with the barrier in do_exit()'s decrement of live: either the
	 * probe finds this process in the index (and marks it dead), or this
	 * sees live at 0 and no reader ever sees the member.
	 */
	smp_mb();
	err = atomic_read(&task->signal->live) ? pg2_member_publish(member) :
						 -ESRCH;
	if (err)
		goto unlink;
	pg2_member_joined(member);
	goto free_spare;

unlink:
	pg2_member_unlink(member);
uncharge:
	pg2_quota_uncharge(charge);
free:
	kfree(member);
	kfree(data);
free_spare:
	if (spare)
		pg2_proc_discard(spare);
	return err;
}

int pg2_local_join(struct pg2_group *group, struct task_struct *task,
		   const struct pg2_blob *blob, kuid_t charge)
{
	struct pg2_member *member;
	struct pg2_data *data;
	struct pid *pid;
	int err;

	lockdep_assert_held(&group->pn->lock);
	if (!atomic_read(&task->signal->live))
		return -ESRCH;
	/* NULL once the parent has reaped the process since that check. */
	pid = get_task_pid(task, PIDTYPE_TGID);
	if (!pid)
		return -ESRCH;
	err = pg2_data_prepare(blob, &data);
	if (err)
		goto put_pid;

	rcu_read_lock();
	member = pg2_local_find(group, pid);
	rcu_read_unlock();
	if (!member) {
		err = pg2_local_add(group, task, pid, data, charge);
	} else if (READ_ONCE(member->key.proc->dead)) {
		kfree(data);
		err = -ESRCH;
	} else if (member->count == U32_MAX) {
		kfree(data);
		err = -EOVERFLOW;
	} else {
		pg2_member_set_count(member, member->count + 1);
		pg2_data_set(member, blob, data);
		pg2_member_joined(member);
	}
put_pid:
	put_pid(pid);
	return err;
}

/* Not a member, or an exiting one the reaper is about to drop: nothing. */
void pg2_local_leave(struct pg2_group *group, struct pid *pid)
{
	struct pg2_member *member;

	lockdep_assert_held(&group->pn->lock);
	rcu_read_lock();
	member = pg2_local_find(group, pid);
	rcu_read_unlock();
	if (member && !READ_ONCE(member->key.proc->dead))
		pg2_member_left(member, 1, PG2_REASON_LEAVE);
}

struct pg2_member *pg2_remote_find(struct pg2_group *group, u32 node_id,
				   u32 pid)
{
	struct pg2_member_key key = {
		.group = group,
		.node_id = node_id,
		.pid = pid,
	};

	return pg2_member_find(group->pn, &key);
}

/* A relay that is not privileged is bound by max_members_per_group. */
int pg2_remote_join(struct pg2_group *group, u32 node_id, u32 pid, u32 count,
		    const struct pg2_blob *blob, bool privileged)
{
	struct pg2_member *member;
	struct pg2_data *data;
	int err;

	lockdep_assert_held(&group->pn->lock);
	member = pg2_remote_find(group, node_id, pid);
	if (member && count > U32_MAX - member->count)
		return -EOVERFLOW;
	if (!member && !privileged &&
	    group->nr_members >= READ_ONCE(pg2_max_members_per_group))
		return -ENOSPC;
	err = pg2_data_prepare(blob, &data);
	if (err)
		return err;

	if (member) {
		pg2_data_set(member, blob, data);
		pg2_member_set_count(member, member->count + count);
	} else {
		member = pg2_member_alloc(group);
		if (!member) {
			kfree(data);
			return -ENOMEM;
		}
		member->key.node_id = node_id;
		member->key.pid = pid;
		member->count = count;
		RCU_INIT_POINTER(member->data, data);
		err = pg2_member_publish(member);
		if (err) {
			kfree(member);
			kfree(data);
			return err;
		}
	}
	member->replace_epoch = group->pn->replace_epoch;
	pg2_member_joined(member);
	return 0;
}

void pg2_remote_leave(struct pg2_group *group, u32 node_id, u32 pid, u32 count)
{
	struct pg2_member *member;

	lockdep_assert_held(&group->pn->lock);
	member = pg2_remote_find(group, node_id, pid);
	if (member)
		pg2_member_left(member, count, PG2_REASON_LEAVE);
}

/*
 * The reaper: drops every membership of a dead process in this netns.
 * They are moved to a list of their own in one pass; they stay valid
 * after pg2_procs_lock is released because only holders of pn->lock
 * unlink this netns's members.
 */
unsigned int pg2_table_drop_proc(struct pg2_net *pn, struct pg2_proc *proc)
{
	struct pg2_member *member, *next;
	unsigned int dropped = 0;
	LIST_HEAD(here);

	lockdep_assert_held(&pn->lock);
	spin_lock(&pg2_procs_lock);
	list_for_each_entry_safe(member, next, &proc->members, proc_link)
		if (member->key.group->pn == pn)
			list_move_tail(&member->proc_link, &here);
	spin_unlock(&pg2_procs_lock);

	list_for_each_entry_safe(member, next, &here, proc_link) {
		pg2_member_left(member, member->count, PG2_REASON_EXIT);
		dropped++;
	}
	return dropped;
}
