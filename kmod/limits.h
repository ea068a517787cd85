/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_LIMITS_H
#define _PG2_LIMITS_H

#include <linux/gfp.h>
#include <linux/types.h>

/*
 * What a request allocates for the tables is charged to the caller's
 * memory cgroup.  At the cgroup's limit the allocation fails and the
 * request with ENOMEM: a table entry is no reason to wake the OOM killer.
 */
#define PG2_GFP (GFP_KERNEL_ACCOUNT | __GFP_NORETRY)

/* Module parameters, defined in main.c; read them with READ_ONCE(). */
extern bool pg2_create_needs_admin;
extern unsigned int pg2_max_groups;
extern unsigned int pg2_max_members_per_group;
extern unsigned int pg2_max_memberships_per_uid;

#endif /* _PG2_LIMITS_H */
