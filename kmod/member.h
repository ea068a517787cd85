/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _PG2_MEMBER_H
#define _PG2_MEMBER_H

#include "table.h"

/* Between the files that change a table: table.c, member.c, node.c. */

int pg2_members_init(struct pg2_net *pn);
void pg2_members_destroy(struct pg2_net *pn);

/* Unlinks and frees a published member; no event. */
void pg2_member_destroy(struct pg2_member *member);
/* Takes @count joins away, removing the member at 0, with its event. */
void pg2_member_left(struct pg2_member *member, u32 count, u8 reason);
/* Removes the member whatever its count; reason exit if it exited. */
void pg2_member_drop(struct pg2_member *member, u8 reason);
struct pg2_member *pg2_remote_find(struct pg2_group *group, u32 node_id,
				   u32 pid);

/* Member data: allocated first, so that a failure changes nothing. */
int pg2_data_prepare(const struct pg2_blob *blob, struct pg2_data **data);
void pg2_data_set(struct pg2_member *member, const struct pg2_blob *blob,
		  struct pg2_data *data);
bool pg2_data_same(const struct pg2_member *member,
		   const struct pg2_blob *blob);

#endif /* _PG2_MEMBER_H */
