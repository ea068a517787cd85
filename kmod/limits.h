/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_LIMITS_H
#define _PG2_LIMITS_H

#include <linux/types.h>

/* Module parameters, defined in main.c; read them with READ_ONCE(). */
extern bool pg2_create_needs_admin;
extern unsigned int pg2_max_groups;
extern unsigned int pg2_max_members_per_group;
extern unsigned int pg2_max_memberships_per_uid;

#endif /* _PG2_LIMITS_H */
