// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Dumps: member lists, group lists and whole tables, retried while a
 * concurrent change interrupts them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

/* Sends msg until a dump completes uninterrupted; reset clears arg. */
int pg2nl_dump(struct pg2_handle *handle, struct nl_msg *msg,
	       pg2nl_record_fn record, pg2nl_reset_fn reset, void *arg)
{
	bool interrupted;
	int attempt, err;

	for (attempt = 0; attempt < PG2NL_DUMP_ATTEMPTS; attempt++) {
		reset(arg);
		/* Every attempt is a new request with a sequence number. */
		nlmsg_hdr(msg)->nlmsg_seq = NL_AUTO_SEQ;
		err = pg2nl_exchange(handle, msg, handle->family, record, arg,
				     &interrupted);
		if (err || !interrupted)
			return err;
	}
	return pg2nl_fail(handle, -EAGAIN,
			  "the table changed during each of %d dump attempts",
			  PG2NL_DUMP_ATTEMPTS);
}

/* Makes room for one more element of size bytes in *array. */
static int grow(void **array, size_t *cap, size_t n, size_t size)
{
	size_t new_cap;
	void *p;

	if (n < *cap)
		return 0;
	new_cap = *cap ? *cap * 2 : 64;
	if (new_cap > SIZE_MAX / size)
		return -ENOMEM;
	p = realloc(*array, new_cap * size);
	if (!p)
		return -ENOMEM;
	*array = p;
	*cap = new_cap;
	return 0;
}

struct member_list {
	struct pg2_member *members;
	size_t n, cap;
};

static void member_list_reset(void *arg)
{
	((struct member_list *)arg)->n = 0;
}

static int member_list_record(struct nl_msg *msg, void *arg)
{
	struct member_list *list = arg;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);

	if (cmd != PG2_CMD_MEMBER_GET)
		return cmd < 0 ? cmd : 0;
	if (grow((void **)&list->members, &list->cap, list->n,
		 sizeof(*list->members)))
		return -ENOMEM;
	return pg2nl_parse_member(tb, &list->members[list->n++]);
}

static int dump_members(struct pg2_handle *handle, const char *group,
			bool local_only, struct member_list *list)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_MEMBER_GET,
					   NLM_F_DUMP);
	int err;

	if (!msg)
		return -ENOMEM;
	err = pg2nl_put_group(handle, msg, group);
	if (!err && local_only && nla_put_flag(msg, PG2_A_LOCAL_ONLY))
		err = pg2nl_too_large(handle);
	if (!err)
		err = pg2nl_dump(handle, msg, member_list_record,
				 member_list_reset, list);
	nlmsg_free(msg);
	return err;
}

static int get_members(struct pg2_handle *handle, const char *group,
		       bool local_only, struct pg2_member **members,
		       size_t *count)
{
	struct member_list list = {};
	int err = dump_members(handle, group, local_only, &list);

	if (err || !list.n) {
		free(list.members);
		list.members = NULL;
		list.n = 0;
	}
	*members = list.members;
	*count = list.n;
	return err;
}

int pg2_get_members(struct pg2_handle *handle, const char *group,
		    struct pg2_member **members, size_t *count)
{
	return get_members(handle, group, false, members, count);
}

int pg2_get_local_members(struct pg2_handle *handle, const char *group,
			  struct pg2_member **members, size_t *count)
{
	return get_members(handle, group, true, members, count);
}

int pg2_get_members_per_join(struct pg2_handle *handle, const char *group,
			     struct pg2_member **members, size_t *count)
{
	struct pg2_member *distinct, *joins;
	size_t n, total = 0, i, j, k = 0;
	int err;

	err = pg2_get_members(handle, group, &distinct, &n);
	if (err)
		goto fail;
	for (i = 0; i < n; i++) {
		if (distinct[i].count > SIZE_MAX / sizeof(*joins) - total) {
			free(distinct);
			err = pg2nl_oom(handle);
			goto fail;
		}
		total += distinct[i].count;
	}
	joins = total ? malloc(total * sizeof(*joins)) : NULL;
	if (total && !joins) {
		free(distinct);
		err = pg2nl_oom(handle);
		goto fail;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < distinct[i].count; j++)
			joins[k++] = distinct[i];
	free(distinct);
	*members = joins;
	*count = total;
	return 0;
fail:
	*members = NULL;
	*count = 0;
	return err;
}

struct group_list {
	struct pg2_group_info *groups;
	size_t n, cap;
};

static void group_list_reset(void *arg)
{
	((struct group_list *)arg)->n = 0;
}

static int group_list_record(struct nl_msg *msg, void *arg)
{
	struct group_list *list = arg;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);

	if (cmd != PG2_CMD_GROUP_GET)
		return cmd < 0 ? cmd : 0;
	if (grow((void **)&list->groups, &list->cap, list->n,
		 sizeof(*list->groups)))
		return -ENOMEM;
	return pg2nl_parse_group(tb, &list->groups[list->n++]);
}

int pg2_which_groups(struct pg2_handle *handle,
		     struct pg2_group_info **groups, size_t *count)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_GROUP_GET,
					   NLM_F_DUMP);
	struct group_list list = {};
	int err;

	if (!msg)
		return -ENOMEM;
	err = pg2nl_dump(handle, msg, group_list_record, group_list_reset,
			 &list);
	nlmsg_free(msg);
	if (err || !list.n) {
		free(list.groups);
		list.groups = NULL;
		list.n = 0;
	}
	*groups = list.groups;
	*count = list.n;
	return err;
}

struct table_build {
	struct pg2_table *table;
	size_t groups_cap, members_cap;
};

static void table_reset(void *arg)
{
	struct table_build *build = arg;

	build->table->generation = 0;
	build->table->n_groups = 0;
	build->table->n_members = 0;
}

static int table_add_member(struct table_build *build, struct nlattr **tb)
{
	struct pg2_table *table = build->table;
	struct pg2_table_member *entry;
	char name[PG2_NAME_MAX + 1];
	int err;

	/* A group's member records follow its group record. */
	err = pg2nl_parse_name(tb, name);
	if (err)
		return err;
	if (!table->n_groups ||
	    strcmp(name, table->groups[table->n_groups - 1].name))
		return -EPROTO;
	if (grow((void **)&table->members, &build->members_cap,
		 table->n_members, sizeof(*table->members)))
		return -ENOMEM;
	entry = &table->members[table->n_members];
	entry->group = table->n_groups - 1;
	err = pg2nl_parse_member(tb, &entry->member);
	if (!err)
		table->n_members++;
	return err;
}

static int table_record(struct nl_msg *msg, void *arg)
{
	struct table_build *build = arg;
	struct pg2_table *table = build->table;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);

	switch (cmd) {
	case PG2_CMD_GENERATION:
		return pg2nl_parse_generation(tb, &table->generation);
	case PG2_CMD_GROUP_GET:
		if (grow((void **)&table->groups, &build->groups_cap,
			 table->n_groups, sizeof(*table->groups)))
			return -ENOMEM;
		return pg2nl_parse_group(tb, &table->groups[table->n_groups++]);
	case PG2_CMD_MEMBER_GET:
		return table_add_member(build, tb);
	default:
		return cmd < 0 ? cmd : 0;
	}
}

void pg2_table_free(struct pg2_table *table)
{
	if (!table)
		return;
	free(table->groups);
	free(table->members);
	free(table);
}

int pg2_table_get(struct pg2_handle *handle, bool local_only,
		  struct pg2_table **tablep)
{
	struct table_build build = {};
	struct nl_msg *msg;
	int err;

	*tablep = NULL;
	build.table = calloc(1, sizeof(*build.table));
	if (!build.table)
		return pg2nl_oom(handle);
	msg = pg2nl_msg_new(handle, local_only ? PG2_CMD_SNAPSHOT_GET :
						 PG2_CMD_TABLE_GET, NLM_F_DUMP);
	if (!msg) {
		pg2_table_free(build.table);
		return -ENOMEM;
	}
	err = pg2nl_dump(handle, msg, table_record, table_reset, &build);
	nlmsg_free(msg);
	if (!err && !build.table->generation)
		err = pg2nl_fail(handle, -EPROTO,
				 "pg2.ko's dump had no generation header");
	if (err) {
		pg2_table_free(build.table);
		return err;
	}
	*tablep = build.table;
	return 0;
}
