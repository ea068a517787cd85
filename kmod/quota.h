/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_QUOTA_H
#define _PG2_QUOTA_H

#include <linux/uidgid.h>

/*
 * Memberships per uid (max_memberships_per_uid), across every netns.  An
 * invalid uid is one the limits do not bind: nothing is counted.
 */
int pg2_quota_charge(kuid_t uid);
void pg2_quota_uncharge(kuid_t uid);

#endif /* _PG2_QUOTA_H */
