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

/*
 * A growing array of the records of one kind (cmd) a dump returns, and the
 * generation of the dump's header.
 */
struct list {
	int cmd;
	size_t size;		/* of one element */
	void *items;
	size_t n, cap;
	uint64_t generation;
};

/* A new element at the end of list, or NULL when out of memory. */
static void *list_add(struct list *list)
{
	size_t new_cap;
	void *p;

	if (list->n == list->cap) {
		new_cap = list->cap ? list->cap * 2 : 64;
		if (new_cap > SIZE_MAX / list->size)
			return NULL;
		p = realloc(list->items, new_cap * list->size);
		if (!p)
			return NULL;
		list->items = p;
		list->cap = new_cap;
	}
	return (char *)list->items + list->n++ * list->size;
}

/*
 * What a listing call hands its caller: the array of *count elements, or
 * NULL (and 0) when the list is empty or the call failed.
 */
static void *list_result(struct list *list, int err, size_t *count)
{
	if (err || !list->n) {
		free(list->items);
		list->items = NULL;
		list->n = 0;
	}
	*count = list->n;
	return list->items;
}

static void list_reset(void *arg)
{
	struct list *list = arg;

	list->n = 0;
	list->generation = 0;
}

/*
 * A dump's records of the list's kind into the list, its header's
 * generation into list->generation; others are skipped.
 */
static int list_record(struct nl_msg *msg, void *arg)
{
	struct list *list = arg;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);
	void *item;

	if (cmd == PG2_CMD_GENERATION)
		return pg2nl_parse_record(cmd, tb, &list->generation);
	if (cmd != list->cmd)
		return cmd < 0 ? cmd : 0;
	item = list_add(list);
	if (!item)
		return -ENOMEM;
	return pg2nl_parse_record(cmd, tb, item);
}

/* Every dump starts with its generation header (generation >= 1). */
static int check_header(struct pg2_handle *handle, int err,
			uint64_t generation)
{
	if (!err && !generation)
		err = pg2nl_fail(handle, -EPROTO,
				 "pg2.ko's dump had no generation header");
	return err;
}

/*
 * Sends the dump request msg (NULL: it could not be made; err: it could
 * not be filled) and frees it.  Returns the list's elements, *count of
 * them, as a listing call hands them to its caller, the dump's generation
 * in *generation (if not NULL; 0 on failure), and the error in *err.
 */
static void *dump_list(struct pg2_handle *handle, struct nl_msg *msg,
		       int *err, struct list *list, size_t *count,
		       uint64_t *generation)
{
	if (!msg)
		*err = -ENOMEM;
	if (!*err)
		*err = pg2nl_dump(handle, msg, list_record, list_reset, list);
	nlmsg_free(msg);
	*err = check_header(handle, *err, list->generation);
	if (generation)
		*generation = *err ? 0 : list->generation;
	return list_result(list, *err, count);
}

int pg2_get_members_at(struct pg2_handle *handle, const char *group,
		       bool local_only, struct pg2_member **members,
		       size_t *count, uint64_t *generation)
{
	struct list list = { .cmd = PG2_CMD_MEMBER_GET,
			     .size = sizeof(**members) };
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_MEMBER_GET,
					   NLM_F_DUMP, pg2nl_name_size(group) +
					   nla_total_size(0));
	int err = 0;

	if (msg) {
		err = pg2nl_put_group(handle, msg, group);
		if (!err && local_only && nla_put_flag(msg, PG2_A_LOCAL_ONLY))
			err = pg2nl_too_large(handle);
	}
	*members = dump_list(handle, msg, &err, &list, count, generation);
	return err;
}

int pg2_get_members(struct pg2_handle *handle, const char *group,
		    struct pg2_member **members, size_t *count)
{
	return pg2_get_members_at(handle, group, false, members, count, NULL);
}

int pg2_get_local_members(struct pg2_handle *handle, const char *group,
			  struct pg2_member **members, size_t *count)
{
	return pg2_get_members_at(handle, group, true, members, count, NULL);
}

int pg2_get_members_per_join(struct pg2_handle *handle, const char *group,
			     struct pg2_member **members, size_t *count)
{
	struct list joins = { .size = sizeof(**members) };
	struct pg2_member *distinct, *join;
	size_t n, i, j;
	int err;

	err = pg2_get_members(handle, group, &distinct, &n);
	for (i = 0; !err && i < n; i++)
		for (j = 0; !err && j < distinct[i].count; j++) {
			join = list_add(&joins);
			if (join)
				*join = distinct[i];
			else
				err = pg2nl_oom(handle);
		}
	free(distinct);
	*members = list_result(&joins, err, count);
	return err;
}

int pg2_which_groups_at(struct pg2_handle *handle,
			struct pg2_group_info **groups, size_t *count,
			uint64_t *generation)
{
	struct list list = { .cmd = PG2_CMD_GROUP_GET,
			     .size = sizeof(**groups) };
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_GROUP_GET,
					   NLM_F_DUMP, 0);
	int err = 0;

	*groups = dump_list(handle, msg, &err, &list, count, generation);
	return err;
}

int pg2_which_groups(struct pg2_handle *handle,
		     struct pg2_group_info **groups, size_t *count)
{
	return pg2_which_groups_at(handle, groups, count, NULL);
}

/* A table as its dump arrives: the generation header, groups, members. */
struct table_build {
	uint64_t generation;
	struct list groups, members;
};

static void table_reset(void *arg)
{
	struct table_build *build = arg;

	build->generation = 0;
	list_reset(&build->groups);
	list_reset(&build->members);
}

static int table_add_member(struct table_build *build, struct nlattr **tb)
{
	const struct pg2_group_info *groups = build->groups.items;
	struct pg2_table_member *entry;
	char name[PG2_NAME_MAX + 1];
	int err;

	/* A group's member records follow its group record. */
	err = pg2nl_parse_name(tb, name);
	if (err)
		return err;
	if (!build->groups.n || strcmp(name, groups[build->groups.n - 1].name))
		return -EPROTO;
	entry = list_add(&build->members);
	if (!entry)
		return -ENOMEM;
	entry->group = build->groups.n - 1;
	return pg2nl_parse_member(tb, &entry->member);
}

static int table_record(struct nl_msg *msg, void *arg)
{
	struct table_build *build = arg;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);
	void *group;

	switch (cmd) {
	case PG2_CMD_GENERATION:
		return pg2nl_parse_record(cmd, tb, &build->generation);
	case PG2_CMD_GROUP_GET:
		group = list_add(&build->groups);
		return group ? pg2nl_parse_record(cmd, tb, group) : -ENOMEM;
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
	struct table_build build = {
		.groups = { .size = sizeof(struct pg2_group_info) },
		.members = { .size = sizeof(struct pg2_table_member) },
	};
	struct pg2_table *table;
	struct nl_msg *msg;
	int err;

	*tablep = NULL;
	table = calloc(1, sizeof(*table));
	if (!table)
		return pg2nl_oom(handle);
	/* The local members are the relay's snapshot: a relay command. */
	msg = pg2nl_msg_new(handle, local_only ? PG2_CMD_SNAPSHOT_GET :
						 PG2_CMD_TABLE_GET, NLM_F_DUMP, 0);
	err = -ENOMEM;
	if (msg) {
		err = pg2nl_dump(handle, msg, table_record, table_reset,
				 &build);
		nlmsg_free(msg);
	}
	err = check_header(handle, err, build.generation);
	table->generation = build.generation;
	table->groups = list_result(&build.groups, err, &table->n_groups);
	table->members = list_result(&build.members, err, &table->n_members);
	if (err) {
		pg2_table_free(table);
		return err;
	}
	*tablep = table;
	return 0;
}
