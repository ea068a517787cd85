/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_NETLINK_H
#define _PG2_NETLINK_H

#include <net/genetlink.h>

#include "table.h"

/* Index of PG2_MCGRP_EVENTS in the family's multicast groups. */
enum pg2_mcgrp_id {
	PG2_MCGRP_EVENTS_ID,
};

extern struct genl_family pg2_genl_family;

int pg2_genl_init(void);
void pg2_genl_fini(void);

/* Helpers shared by the request handlers. */
bool pg2_nl_missing(struct genl_info *info, int type);
void pg2_nl_group_key(const struct nlattr *attr, char key[PG2_NAME_MAX + 1]);
int pg2_nl_request_key(struct genl_info *info, char key[PG2_NAME_MAX + 1]);
bool pg2_nl_nonzero(const struct nlattr *attr, struct netlink_ext_ack *extack);
bool pg2_nl_admin(const struct sk_buff *skb, const struct net *net);
bool pg2_nl_unlimited(const struct sk_buff *skb);
int pg2_nl_relay_error(struct netlink_ext_ack *extack);
struct pg2_blob pg2_nl_blob(const struct nlattr *attr);
int pg2_nl_put_group(struct sk_buff *skb, struct pg2_group *group,
		     struct user_namespace *user_ns);

/* Handlers, by file. */
int pg2_nl_generation_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_group_create_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_group_delete_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_member_join_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_member_leave_doit(struct sk_buff *skb, struct genl_info *info);

int pg2_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_member_closest_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_dump_start(struct netlink_callback *cb);
int pg2_nl_member_dump_start(struct netlink_callback *cb);
int pg2_nl_dump_done(struct netlink_callback *cb);
int pg2_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pg2_nl_member_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pg2_nl_table_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int pg2_nl_snapshot_get_dumpit(struct sk_buff *skb,
			       struct netlink_callback *cb);

int pg2_nl_node_set_id_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_remote_join_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_remote_leave_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_node_drop_doit(struct sk_buff *skb, struct genl_info *info);
int pg2_nl_node_replace_doit(struct sk_buff *skb, struct genl_info *info);

#endif /* _PG2_NETLINK_H */
