// SPDX-License-Identifier: GPL-2.0
/*
 * The group table of one network namespace: its lock, generation and
 * groups (members are member.c's, nodes node.c's).
 *
 * Readers walk it under RCU.  Writers take it with pg2_table_lock() and
 * take pg2_procs_lock inside to link local members to their process.
 * Every change bumps the generation and sends its event while the table
 * is held, so events leave in generation order.
 */

#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "events.h"
#include "limits.h"
#include "member.h"
#include "proc.h"
#include "trace.h"

/* Names are NUL-padded to PG2_NAME_MAX + 1: hash and compare the name only. */
static u32 pg2_name_hash(const void *name, u32 len, u32 seed)
{
	return jhash(name, strnlen(name, len), seed);
}

static u32 pg2_group_hash(const void *obj, u32 len, u32 seed)
{
	const struct pg2_group *group = obj;

	return pg2_name_hash(group->name, len, seed);
}

static int pg2_group_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct pg2_group *group = obj;

	return strcmp(group->name, arg->key);
}

static const struct rhashtable_params pg2_groups_params = {
	.head_offset = offsetof(struct pg2_group, node),
	.key_offset = offsetof(struct pg2_group, name),
	.key_len = PG2_NAME_MAX + 1,
	.hashfn = pg2_name_hash,
	.obj_hashfn = pg2_group_hash,
	.obj_cmpfn = pg2_group_cmp,
	.automatic_shrinking = true,
};

u64 pg2_generation(const struct pg2_net *pn)
{
	return atomic64_read(&pn->generation);
}

u64 pg2_bump(struct pg2_net *pn)
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
	seqcount_init(&pn->changes);
	seqcount_spinlock_init(&pn->exits, &pg2_procs_lock);
	INIT_LIST_HEAD(&pn->exit_link);
	INIT_LIST_HEAD(&pn->touched);
	xa_init_flags(&pn->group_ids, XA_FLAGS_ALLOC);
	atomic64_set(&pn->generation, 1);
	err = rhashtable_init(&pn->groups, &pg2_groups_params);
	if (err)
		return err;
	err = pg2_members_init(pn);
	if (err)
		rhashtable_destroy(&pn->groups);
	return err;
}

void pg2_table_lock(struct pg2_net *pn)
{
	mutex_lock(&pn->lock);
	/*
	 * Dumps never wait for an even count (they are retried instead), so
	 * the writer may sleep: the raw, preemptible form.
	 */
	raw_write_seqcount_begin(&pn->changes);
}

/* Before a change of @group's members: their dumps across it are retried. */
void pg2_group_touch(struct pg2_group *group)
{
	lockdep_assert_held(&group->pn->lock);
	if (!list_empty(&group->touch_link))
		return;
	raw_write_seqcount_begin(&group->changes);
	list_add(&group->touch_link, &group->pn->touched);
}

static void pg2_group_untouch(struct pg2_group *group)
{
	list_del_init(&group->touch_link);
	raw_write_seqcount_end(&group->changes);
}

void pg2_table_unlock(struct pg2_net *pn)
{
	struct pg2_group *group, *next;

	list_for_each_entry_safe(group, next, &pn->touched, touch_link)
		pg2_group_untouch(group);
	raw_write_seqcount_end(&pn->changes);
	mutex_unlock(&pn->lock);
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
	seqcount_init(&group->changes);
	seqcount_spinlock_init(&group->exits, &pg2_procs_lock);
	INIT_LIST_HEAD(&group->touch_link);
	memcpy(group->name, key, sizeof(group->name));

	err = xa_alloc_cyclic(&pn->group_ids, &group->id, group,
			      XA_LIMIT(0, PG2_NO_GROUP_ID - 1),
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
	if (!list_empty(&group->touch_link))
		pg2_group_untouch(group);
	xa_destroy(&group->members);
	kfree_rcu(group, rcu);
}

void pg2_group_delete(struct pg2_net *pn, struct pg2_group *group)
{
	unsigned int dropped;
	u64 gen;

	lockdep_assert_held(&pn->lock);
	dropped = pg2_group_empty(group, true);
	gen = pg2_bump(pn);
	trace_pg2_group_delete(pg2_netns(pn), group->name, dropped, gen);
	pg2_notify_group(pn, PG2_CMD_GROUP_DELETED, group, gen);
	pg2_group_remove(group);
}

void pg2_table_exit_net(struct pg2_net *pn)
{
	struct pg2_group *group;
	unsigned long id;

	pg2_table_lock(pn);
	xa_for_each(&pn->group_ids, id, group) {
		pg2_group_empty(group, false);
		pg2_group_remove(group);
	}
	pg2_table_unlock(pn);
	pg2_members_destroy(pn);
	rhashtable_destroy(&pn->groups);
	xa_destroy(&pn->group_ids);
}
