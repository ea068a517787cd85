// SPDX-License-Identifier: GPL-2.0
/*
 * The memberships each uid holds, counted across every network namespace:
 * a user who makes namespaces of its own gets no more.
 */

#include <linux/hashtable.h>
#include <linux/mutex.h>
#include <linux/slab.h>

#include "limits.h"
#include "quota.h"

struct pg2_quota {
	struct hlist_node node;
	kuid_t uid;
	unsigned int count;
};

/* Taken under a table's lock, never the other way round. */
static DEFINE_MUTEX(pg2_quota_lock);
static DEFINE_HASHTABLE(pg2_quotas, 8);

static struct pg2_quota *pg2_quota_find(kuid_t uid)
{
	struct pg2_quota *quota;

	hash_for_each_possible(pg2_quotas, quota, node, __kuid_val(uid))
		if (uid_eq(quota->uid, uid))
			return quota;
	return NULL;
}

static int pg2_quota_charge_locked(kuid_t uid)
{
	struct pg2_quota *quota = pg2_quota_find(uid);

	if (!quota) {
		if (!READ_ONCE(pg2_max_memberships_per_uid))
			return -EDQUOT;
		quota = kzalloc(sizeof(*quota), PG2_GFP);
		if (!quota)
			return -ENOMEM;
		quota->uid = uid;
		hash_add(pg2_quotas, &quota->node, __kuid_val(uid));
	} else if (quota->count >= READ_ONCE(pg2_max_memberships_per_uid)) {
		return -EDQUOT;
	}
	quota->count++;
	return 0;
}

int pg2_quota_charge(kuid_t uid)
{
	int err;

	if (!uid_valid(uid))
		return 0;
	mutex_lock(&pg2_quota_lock);
	err = pg2_quota_charge_locked(uid);
	mutex_unlock(&pg2_quota_lock);
	return err;
}

void pg2_quota_uncharge(kuid_t uid)
{
	struct pg2_quota *quota;

	if (!uid_valid(uid))
		return;
	mutex_lock(&pg2_quota_lock);
	quota = pg2_quota_find(uid);
	if (!WARN_ON_ONCE(!quota) && !--quota->count) {
		hash_del(&quota->node);
		kfree(quota);
	}
	mutex_unlock(&pg2_quota_lock);
}
