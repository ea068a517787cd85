/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_MSG_H
#define _PG2_MSG_H

#include <linux/types.h>

struct sk_buff;
struct user_namespace;
struct pg2_group;
struct pg2_member;

/* Attributes of a group and of a member record, shared by replies and events. */
int pg2_msg_put_group(struct sk_buff *skb, const struct pg2_group *group,
		      struct user_namespace *user_ns, u64 generation);
int pg2_msg_put_member(struct sk_buff *skb, const struct pg2_member *member,
		       u32 pid, u32 count, u64 generation);

#endif /* _PG2_MSG_H */
