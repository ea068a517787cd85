/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_EVENTS_H
#define _PG2_EVENTS_H

#include <linux/types.h>

struct pg2_net;
struct pg2_group;
struct pg2_member;

/* No reason attribute: a PG2_CMD_MEMBER_JOINED event. */
#define PG2_NO_REASON	-1

void pg2_notify_group(struct pg2_net *pn, u8 cmd, const struct pg2_group *group,
		      u64 generation);
void pg2_notify_member(struct pg2_net *pn, u8 cmd,
		       const struct pg2_member *member, u32 count, int reason,
		       u64 generation);
void pg2_notify_node_id(struct pg2_net *pn, u32 node_id, u64 generation);

#endif /* _PG2_EVENTS_H */
