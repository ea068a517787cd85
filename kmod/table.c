// SPDX-License-Identifier: GPL-2.0
/*
 * The group table of one network namespace.
 *
 * Readers walk it under RCU.  Writers hold pn->lock, a mutex, and take
 * pg2_procs_lock inside it to link local members to their process.  Every
 * change bumps the generation and sends its event while still holding
 * pn->lock, so events leave in generation order.
 */

#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/rhashtable.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "events.h"
#include "limits.h"
#include "proc.h"
#include "table.h"
#include "trace.h"

/* Memberships held by one unprivileged uid in one netns. */
struct pg2_quota {
	struct hlist_node node;
	kuid_t uid;
	unsigned int count;
};

static const struct rhashtable_params pg2_groups_params = {
	.head_offset = offsetof(struct pg2_group, node),
	.key_offset = offsetof(struct pg2_group, name),
	.key_len = PG2_NAME_MAX + 1,
	.automatic_shrinking = true,
};

static const struct rhashtable_params pg2_members_params = {
	.head_offset = offsetof(struct pg2_member, node),
	.key_offset = offsetof(struct pg2_member, key),
	.key_len = sizeof(struct pg2_member_key),
	.automatic_shrinking = true,
};

u64 pg2_generation(const struct pg2_net *pn)
{
	return atomic64_read(&pn->generation);
}

static u64 pg2_bump(struct pg2_net *pn)
{
	return atomic64_inc_return(&pn->generation);
}

u32 pg2_netns(const struct pg2_net *pn)
{
	return pn->net->ns.inum;
}

int pg2_table_init_net(struct pg2_net *pn, struct net *net)
{
	int err;

	pn->net = net;
	mutex_init(&pn->lock);
	xa_init_flags(&pn->group_ids, XA_FLAGS_ALLOC);
	hash_init(pn->uid_quota);
	atomic64_set(&pn->generation, 1);
	err = rhashtable_init(&pn->groups, &pg2_groups_params);
	if (err)
		return err;
	err = rhashtable_init(&pn->members, &pg2_members_params);
	if (err)
		rhashtable_destroy(&pn->groups);
	return err;
}

/*
 * The _fast lookups take rcu_read_lock() themselves: writers call them
 * under pn->lock only, and the table's resize worker frees old bucket
 * arrays after a grace period whatever pn->lock says.
 */
struct pg2_group *pg2_group_find(struct pg2_net *pn, const char *key)
{
	return rhashtable_lookup_fast(&pn->groups, key, pg2_groups_params);
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

/* Counts the members replies would show, whatever their pid namespace. */
void pg2_group_count(struct pg2_group *group, u32 *members, u32 *local)
{
	struct pg2_member *member;
	unsigned long id;

	*members = 0;
	*local = 0;
	xa_for_each(&group->members, id, member) {
		if (!pg2_member_local(member)) {
			(*members)++;
		} else if (pg2_proc_alive(member->key.proc)) {
			(*members)++;
			(*local)++;
		}
	}
}

static struct pg2_quota *pg2_quota_find(struct pg2_net *pn, kuid_t uid)
{
	struct pg2_quota *quota;

	hash_for_each_possible(pn->uid_quota, quota, node, __kuid_val(uid))
		if (uid_eq(quota->uid, uid))
			return quota;
	return NULL;
}

static int pg2_quota_charge(struct pg2_net *pn, kuid_t uid)
{
	struct pg2_quota *quota;

	if (!uid_valid(uid))
		return 0;
	quota = pg2_quota_find(pn, uid);
	if (!quota) {
		quota = kzalloc(sizeof(*quota), PG2_GFP);
		if (!quota)
			return -ENOMEM;
		quota->uid = uid;
		hash_add(pn->uid_quota, &quota->node, __kuid_val(uid));
	}
	if (quota->count >= READ_ONCE(pg2_max_memberships_per_uid)) {
		if (!quota->count) {
			hash_del(&quota->node);
			kfree(quota);
		}
		return -EDQUOT;
	}
	quota->count++;
	return 0;
}

static void pg2_quota_uncharge(struct pg2_net *pn, kuid_t uid)
{
	struct pg2_quota *quota;

	if (!uid_valid(uid))
		return;
	quota = pg2_quota_find(pn, uid);
	if (WARN_ON_ONCE(!quota))
		return;
	if (!--quota->count) {
		hash_del(&quota->node);
		kfree(quota);
	}
}

static struct pg2_data *pg2_data_new(const struct pg2_blob *blob)
{
	struct pg2_data *data;

	data = kmalloc(struct_size(data, bytes, blob->len), PG2_GFP);
	if (!data)
		return ERR_PTR(-ENOMEM);
	data->len = blob->len;
	memcpy(data->bytes, blob->bytes, blob->len);
	return data;
}

/* Allocates first so that a failure changes nothing. */
static int pg2_data_prepare(const struct pg2_blob *blob, struct pg2_data **data)
{
	*data = NULL;
	if (blob->len <= 0)
		return 0;
	*data = pg2_data_new(blob);
	return PTR_ERR_OR_ZERO(*data);
}

static void pg2_data_set(struct pg2_member *member, const struct pg2_blob *blob,
			 struct pg2_data *data)
{
	struct pg2_data *old;

	if (blob->len < 0)
		return;
	old = rcu_replace_pointer(member->data, data, true);
	if (old)
		kfree_rcu(old, rcu);
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

	err = rhashtable_insert_fast(&pn->members, &member->node,
				     pg2_members_params);
	if (err)
		return err;
	err = xa_alloc_cyclic(&group->members, &member->id, member,
			      xa_limit_32b, &group->next_member_id,
			      PG2_GFP);
	if (err < 0) {
		rhashtable_remove_fast(&pn->members, &member->node,
				       pg2_members_params);
		return err;
	}
	group->nr_members++;
	return 0;
}

static void pg2_member_free_rcu(struct rcu_head *rcu)
{
	struct pg2_member *member = container_of(rcu, struct pg2_member, rcu);

	kfree(rcu_access_pointer(member->data));
	kfree(member);
}

/* Unlinks and frees a published member; no event. */
static void pg2_member_destroy(struct pg2_member *member)
{
	struct pg2_group *group = member->key.group;
	struct pg2_proc *proc = member->key.proc;
	struct pg2_net *pn = group->pn;

	xa_erase(&group->members, member->id);
	rhashtable_remove_fast(&pn->members, &member->node, pg2_members_params);
	group->nr_members--;
	pg2_quota_uncharge(pn, member->charged);
	if (proc) {
		spin_lock(&pg2_procs_lock);
		list_del(&member->proc_link);
		/* A dead process belongs to the reaper, which frees it. */
		if (list_empty(&proc->members) && !proc->dead) {
			pg2_proc_unhash(proc);
			pg2_proc_free(proc);
		}
		spin_unlock(&pg2_procs_lock);
	}
	call_rcu(&member->rcu, pg2_member_free_rcu);
}

static u32 pg2_member_event_pid(const struct pg2_member *member)
{
	struct pg2_proc *proc = member->key.proc;

	return proc ? pid_nr(proc->pid) : member->key.pid;
}

static void pg2_member_joined(struct pg2_member *member)
{
	struct pg2_net *pn = member->key.group->pn;
	u64 gen = pg2_bump(pn);

	trace_pg2_join(pg2_netns(pn), member->key.group->name,
		       pg2_member_node(pn, member), pg2_member_event_pid(member),
		       member->count, gen);
	pg2_notify_member(pn, PG2_CMD_MEMBER_JOINED, member, member->count,
			  PG2_NO_REASON, gen);
}

/* Takes @count joins away, removing the member at 0, with its event. */
static void pg2_member_left(struct pg2_member *member, u32 count, u8 reason)
{
	struct pg2_net *pn = member->key.group->pn;
	u64 gen = pg2_bump(pn);

	member->count -= min(count, member->count);
	trace_pg2_leave(pg2_netns(pn), member->key.group->name,
			pg2_member_node(pn, member),
			pg2_member_event_pid(member), member->count, reason,
			gen);
	pg2_notify_member(pn, PG2_CMD_MEMBER_LEFT, member, member->count,
			  reason, gen);
	if (!member->count)
		pg2_member_destroy(member);
}

static void pg2_member_drop(struct pg2_member *member, u8 reason)
{
	struct pg2_proc *proc = member->key.proc;

	if (proc && READ_ONCE(proc->dead))
		reason = PG2_REASON_EXIT;
	pg2_member_left(member, member->count, reason);
}

int pg2_group_create(struct pg2_net *pn, const char *key, kuid_t creator,
		     bool privileged)
{
	struct pg2_group *group;
	u64 gen;
	int err;

	lockdep_assert_held(&pn->lock);
	if (pg2_group_find(pn, key))
		return 0;
	if (!privileged && pn->nr_groups >= READ_ONCE(pg2_max_groups))
		return -ENOSPC;

	group = kzalloc(sizeof(*group), PG2_GFP);
	if (!group)
		return -ENOMEM;
	group->pn = pn;
	group->creator = creator;
	xa_init_flags(&group->members, XA_FLAGS_ALLOC);
	memcpy(group->name, key, sizeof(group->name));

	err = xa_alloc_cyclic(&pn->group_ids, &group->id, group, xa_limit_32b,
			      &pn->next_group_id, PG2_GFP);
	if (err < 0)
		goto free;
	err = rhashtable_insert_fast(&pn->groups, &group->node,
				     pg2_groups_params);
	if (err)
		goto erase;
	pn->nr_groups++;

	gen = pg2_bump(pn);
	trace_pg2_group_create(pg2_netns(pn), group->name,
			       from_kuid(&init_user_ns, creator), gen);
	pg2_notify_group(pn, PG2_CMD_GROUP_CREATED, group, gen);
	return 0;

erase:
	xa_erase(&pn->group_ids, group->id);
free:
	kfree(group);
	return err;
}

/* Drops every member, without events on teardown of the netns. */
static unsigned int pg2_group_empty(struct pg2_group *group, bool notify)
{
	struct pg2_member *member;
	unsigned int dropped = 0;
	unsigned long id;

	xa_for_each(&group->members, id, member) {
		if (notify)
			pg2_member_drop(member, PG2_REASON_GROUP_DELETED);
		else
			pg2_member_destroy(member);
		dropped++;
	}
	return dropped;
}

static void pg2_group_remove(struct pg2_group *group)
{
	struct pg2_net *pn = group->pn;

	rhashtable_remove_fast(&pn->groups, &group->node, pg2_groups_params);
	xa_erase(&pn->group_ids, group->id);
	pn->nr_groups--;
	xa_destroy(&group->members);
	kfree_rcu(group, rcu);
}

int pg2_group_delete(struct pg2_net *pn, struct pg2_group *group)
{
	unsigned int dropped;
	u64 gen;

	lockdep_assert_held(&pn->lock);
	dropped = pg2_group_empty(group, true);
	gen = pg2_bump(pn);
	trace_pg2_group_delete(pg2_netns(pn), group->name, dropped, gen);
	pg2_notify_group(pn, PG2_CMD_GROUP_DELETED, group, gen);
	pg2_group_remove(group);
	return 0;
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

static void pg2_member_unlink(struct pg2_member *member)
{
	struct pg2_proc *proc = member->key.proc;

	spin_lock(&pg2_procs_lock);
	list_del(&member->proc_link);
	if (list_empty(&proc->members) && !proc->dead) {
		pg2_proc_unhash(proc);
		pg2_proc_free(proc);
	}
	spin_unlock(&pg2_procs_lock);
}

static int pg2_local_add(struct pg2_group *group, struct task_struct *task,
			 struct pid *pid, struct pg2_data *data, kuid_t charge)
{
	struct pg2_net *pn = group->pn;
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
	err = pg2_quota_charge(pn, charge);
	if (err)
		goto free;
	member->charged = charge;
	member->count = 1;
	RCU_INIT_POINTER(member->data, data);

	err = pg2_member_link(member, pid, &spare);
	if (err)
		goto uncharge;
	err = pg2_member_publish(member);
	if (err)
		goto unlink;

	/*
	 * Pairs with the barrier in do_exit()'s decrement of live: either the
	 * probe sees this process in the index or this sees live at 0.
	 */
	smp_mb();
	if (!atomic_read(&task->signal->live)) {
		pg2_member_destroy(member);
		err = -ESRCH;
		goto free_spare;
	}
	pg2_member_joined(member);
	err = 0;
	goto free_spare;

unlink:
	pg2_member_unlink(member);
uncharge:
	pg2_quota_uncharge(pn, charge);
free:
	kfree(member);
	kfree(data);
free_spare:
	if (spare) {
		put_pid(spare->pid);
		kfree(spare);
	}
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
		err = -ENOSPC;
	} else {
		WRITE_ONCE(member->count, member->count + 1);
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

static struct pg2_member *pg2_remote_find(struct pg2_group *group,
					  u32 node_id, u32 pid)
{
	struct pg2_member_key key = {
		.group = group,
		.node_id = node_id,
		.pid = pid,
	};

	return pg2_member_find(group->pn, &key);
}

int pg2_remote_join(struct pg2_group *group, u32 node_id, u32 pid, u32 count,
		    const struct pg2_blob *blob)
{
	struct pg2_member *member;
	struct pg2_data *data;
	int err;

	lockdep_assert_held(&group->pn->lock);
	member = pg2_remote_find(group, node_id, pid);
	if (member && count > U32_MAX - member->count)
		return -ENOSPC;
	err = pg2_data_prepare(blob, &data);
	if (err)
		return err;

	if (member) {
		pg2_data_set(member, blob, data);
		WRITE_ONCE(member->count, member->count + count);
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

/* Drops the members of @node_id not refreshed since @epoch; 0: all. */
static unsigned int pg2_node_drop_stale(struct pg2_net *pn, u32 node_id,
					u32 epoch)
{
	struct pg2_member *member;
	struct pg2_group *group;
	unsigned int dropped = 0;
	unsigned long gid, mid;

	xa_for_each(&pn->group_ids, gid, group) {
		xa_for_each(&group->members, mid, member) {
			if (member->key.proc || member->key.node_id != node_id)
				continue;
			if (epoch && member->replace_epoch == epoch)
				continue;
			pg2_member_drop(member, PG2_REASON_NODE_DOWN);
			dropped++;
		}
	}
	return dropped;
}

unsigned int pg2_node_drop(struct pg2_net *pn, u32 node_id)
{
	lockdep_assert_held(&pn->lock);
	return pg2_node_drop_stale(pn, node_id, 0);
}

void pg2_node_replace_begin(struct pg2_net *pn)
{
	lockdep_assert_held(&pn->lock);
	if (!++pn->replace_epoch)
		pn->replace_epoch = 1;
}

/* Whether @blob would leave the member's data as it is. */
static bool pg2_data_same(const struct pg2_member *member,
			  const struct pg2_blob *blob)
{
	const struct pg2_data *data;

	if (blob->len < 0)
		return true;
	data = rcu_dereference_protected(member->data,
					 lockdep_is_held(&member->key.group->pn->lock));
	if (!data)
		return !blob->len;
	return data->len == blob->len && !memcmp(data->bytes, blob->bytes,
						 blob->len);
}

/*
 * Applies one snapshot entry: sets the member's count and data (the last
 * entry wins when the snapshot names a member twice), creating the group
 * if needed.
 */
int pg2_node_replace_one(struct pg2_net *pn, u32 node_id, const char *key,
			 u32 pid, u32 count, const struct pg2_blob *blob)
{
	struct pg2_member *member;
	struct pg2_group *group;
	struct pg2_data *data;
	u32 old;
	int err;

	lockdep_assert_held(&pn->lock);
	err = pg2_group_create(pn, key, GLOBAL_ROOT_UID, true);
	if (err)
		return err;
	group = pg2_group_find(pn, key);
	member = pg2_remote_find(group, node_id, pid);
	if (!member)
		return pg2_remote_join(group, node_id, pid, count, blob);

	member->replace_epoch = pn->replace_epoch;
	old = member->count;
	if (count == old && pg2_data_same(member, blob))
		return 0;
	if (count >= old)
		return pg2_remote_join(group, node_id, pid, count - old, blob);
	err = pg2_data_prepare(blob, &data);
	if (err)
		return err;
	pg2_data_set(member, blob, data);
	pg2_member_left(member, old - count, PG2_REASON_NODE_DOWN);
	return 0;
}

unsigned int pg2_node_replace_end(struct pg2_net *pn, u32 node_id)
{
	lockdep_assert_held(&pn->lock);
	return pg2_node_drop_stale(pn, node_id, pn->replace_epoch);
}

void pg2_node_set_id(struct pg2_net *pn, u32 node_id)
{
	lockdep_assert_held(&pn->lock);
	WRITE_ONCE(pn->node_id, node_id);
	pg2_bump(pn);
}

/* The first membership of @proc in this netns, or NULL. */
static struct pg2_member *pg2_proc_member_in(struct pg2_net *pn,
					     struct pg2_proc *proc)
{
	struct pg2_member *member, *found = NULL;

	spin_lock(&pg2_procs_lock);
	list_for_each_entry(member, &proc->members, proc_link) {
		if (member->key.group->pn == pn) {
			found = member;
			break;
		}
	}
	spin_unlock(&pg2_procs_lock);
	return found;
}

/*
 * The reaper: drops every membership of a dead process in this netns.  The
 * member found stays valid after pg2_procs_lock is released because only
 * holders of pn->lock unlink this netns's members.
 */
unsigned int pg2_table_drop_proc(struct pg2_net *pn, struct pg2_proc *proc)
{
	struct pg2_member *member;
	unsigned int dropped = 0;

	lockdep_assert_held(&pn->lock);
	while ((member = pg2_proc_member_in(pn, proc))) {
		pg2_member_left(member, member->count, PG2_REASON_EXIT);
		dropped++;
	}
	return dropped;
}

void pg2_table_exit_net(struct pg2_net *pn)
{
	struct pg2_group *group;
	unsigned long id;

	mutex_lock(&pn->lock);
	xa_for_each(&pn->group_ids, id, group) {
		pg2_group_empty(group, false);
		pg2_group_remove(group);
	}
	mutex_unlock(&pn->lock);
	rhashtable_destroy(&pn->members);
	rhashtable_destroy(&pn->groups);
	xa_destroy(&pn->group_ids);
}
