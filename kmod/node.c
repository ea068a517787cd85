// SPDX-License-Identifier: GPL-2.0
/*
 * Nodes: this node's id, and the remote members of a node as a whole,
 * dropped when it is down or replaced by its snapshot when it (re)joins.
 */

#include "events.h"
#include "member.h"

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

/*
 * Applies one snapshot entry: sets the member's count and data (the last
 * entry wins when the snapshot names a member twice), creating the group
 * if needed.
 */
int pg2_node_replace_one(struct pg2_net *pn, u32 node_id, const char *key,
			 u32 pid, u32 count, const struct pg2_blob *blob,
			 bool privileged)
{
	struct pg2_member *member;
	struct pg2_group *group;
	struct pg2_data *data;
	u32 old;
	int err;

	lockdep_assert_held(&pn->lock);
	err = pg2_group_create(pn, key, GLOBAL_ROOT_UID, privileged);
	if (err)
		return err;
	group = pg2_group_find(pn, key);
	member = pg2_remote_find(group, node_id, pid);
	if (!member)
		return pg2_remote_join(group, node_id, pid, count, blob,
				       privileged);

	member->replace_epoch = pn->replace_epoch;
	old = member->count;
	if (count == old && pg2_data_same(member, blob))
		return 0;
	if (count >= old)
		return pg2_remote_join(group, node_id, pid, count - old, blob,
				       privileged);
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

/* Every local member's node id changes: every group is touched. */
void pg2_node_set_id(struct pg2_net *pn, u32 node_id)
{
	struct pg2_group *group;
	unsigned long id;

	lockdep_assert_held(&pn->lock);
	if (node_id == pn->node_id)
		return;
	xa_for_each(&pn->group_ids, id, group)
		pg2_group_touch(group);
	WRITE_ONCE(pn->node_id, node_id);
	pg2_notify_node_id(pn, node_id, pg2_bump(pn));
}
