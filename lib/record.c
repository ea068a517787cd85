// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Records: the attributes of pg2.ko's replies and events, checked against
 * the types the UAPI header promises.
 */
#include <errno.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "internal.h"

static struct nla_policy pg2nl_policy[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = { .type = NLA_STRING, .maxlen = PG2_NAME_MAX + 1 },
	[PG2_A_PID] = { .type = NLA_U32 },
	[PG2_A_NODE_ID] = { .type = NLA_U32 },
	[PG2_A_COUNT] = { .type = NLA_U32 },
	[PG2_A_DATA] = { .type = NLA_UNSPEC, .maxlen = PG2_DATA_MAX },
	[PG2_A_GENERATION] = { .type = NLA_U64 },
	[PG2_A_REASON] = { .type = NLA_U8 },
	[PG2_A_LOCAL_ONLY] = { .type = NLA_FLAG },
	[PG2_A_MEMBER_COUNT] = { .type = NLA_U32 },
	[PG2_A_LOCAL_MEMBER_COUNT] = { .type = NLA_U32 },
	[PG2_A_CREATOR_UID] = { .type = NLA_U32 },
	[PG2_A_NSPIDS] = { .type = NLA_NESTED },
};

static struct nla_policy nspid_policy[PG2_NSPID_A_MAX + 1] = {
	[PG2_NSPID_A_NS] = { .type = NLA_U32 },
	[PG2_NSPID_A_PID] = { .type = NLA_U32 },
};

/* Returns the genl command of hdr, its attributes in tb. */
int pg2nl_parse(struct nlmsghdr *hdr, struct nlattr **tb)
{
	if (genlmsg_parse(hdr, 0, tb, PG2_A_MAX, pg2nl_policy))
		return -EPROTO;
	return genlmsg_hdr(hdr)->cmd;
}

int pg2nl_parse_name(struct nlattr **tb, char *name)
{
	struct nlattr *attr = tb[PG2_A_GROUP_NAME];

	if (!attr)
		return -EPROTO;
	/* The policy bounds the length and checks the terminating NUL. */
	memcpy(name, nla_data(attr), nla_len(attr));
	return 0;
}

int pg2nl_parse_generation(struct nlattr **tb, uint64_t *generation)
{
	if (!tb[PG2_A_GENERATION])
		return -EPROTO;
	*generation = nla_get_u64(tb[PG2_A_GENERATION]);
	return 0;
}

int pg2nl_parse_member(struct nlattr **tb, struct pg2_member *member)
{
	if (!tb[PG2_A_NODE_ID] || !tb[PG2_A_PID] || !tb[PG2_A_COUNT])
		return -EPROTO;
	member->node_id = nla_get_u32(tb[PG2_A_NODE_ID]);
	member->pid = nla_get_u32(tb[PG2_A_PID]);
	member->count = nla_get_u32(tb[PG2_A_COUNT]);
	member->data_len = 0;
	if (tb[PG2_A_DATA]) {
		member->data_len = nla_len(tb[PG2_A_DATA]);
		memcpy(member->data, nla_data(tb[PG2_A_DATA]),
		       member->data_len);
	}
	return 0;
}

int pg2nl_parse_group(struct nlattr **tb, struct pg2_group_info *info)
{
	if (!tb[PG2_A_MEMBER_COUNT] || !tb[PG2_A_LOCAL_MEMBER_COUNT] ||
	    !tb[PG2_A_CREATOR_UID])
		return -EPROTO;
	info->member_count = nla_get_u32(tb[PG2_A_MEMBER_COUNT]);
	info->local_member_count = nla_get_u32(tb[PG2_A_LOCAL_MEMBER_COUNT]);
	info->creator_uid = nla_get_u32(tb[PG2_A_CREATOR_UID]);
	return pg2nl_parse_name(tb, info->name);
}

int pg2nl_parse_nspid(struct nlattr *nspids, uint32_t pidns, uint32_t *pid)
{
	struct nlattr *tb[PG2_NSPID_A_MAX + 1];
	struct nlattr *nspid;
	int rem;

	nla_for_each_nested(nspid, nspids, rem) {
		if (nla_type(nspid) != PG2_A_NSPID ||
		    nla_parse_nested(tb, PG2_NSPID_A_MAX, nspid, nspid_policy) ||
		    !tb[PG2_NSPID_A_NS] || !tb[PG2_NSPID_A_PID])
			return -EPROTO;
		if (nla_get_u32(tb[PG2_NSPID_A_NS]) == pidns) {
			*pid = nla_get_u32(tb[PG2_NSPID_A_PID]);
			return 1;
		}
	}
	return 0;
}

int pg2nl_parse_record(int cmd, struct nlattr **tb, void *out)
{
	switch (cmd) {
	case PG2_CMD_GENERATION:
		return pg2nl_parse_generation(tb, out);
	case PG2_CMD_GROUP_GET:
		return pg2nl_parse_group(tb, out);
	case PG2_CMD_MEMBER_GET:
		return pg2nl_parse_member(tb, out);
	default:
		return -EPROTO;
	}
}
