// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 group: list, create and delete groups.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "pg2.h"

static int by_name(const void *a, const void *b)
{
	const struct pg2_group_info *x = a, *y = b;

	return strcmp(x->name, y->name);
}

static void print_group(struct pg2_cli *cli, const struct pg2_group_info *info)
{
	out_open_object(NULL);
	out_string("name", "group %s", info->name);
	out_uint("creator_uid", " creator %llu", info->creator_uid);
	if (cli->statistics) {
		out_uint("member_count", " members %llu", info->member_count);
		out_uint("local_member_count", " local %llu",
			 info->local_member_count);
	}
	out_close_object();
	out_newline();
}

/* Every group, or the one named. */
static int list_groups(struct pg2_handle *handle, const struct cli_args *args,
		       void **items, size_t *count)
{
	struct pg2_group_info *groups = NULL;
	int err;

	if (!args->group) {
		err = pg2_which_groups(handle, &groups, count);
	} else {
		groups = malloc(sizeof(*groups));
		if (!groups)
			out_of_memory();
		*count = 1;
		err = pg2_group_info(handle, args->group, groups);
	}
	*items = groups;
	return err;
}

/* Sorted by name. */
static int group_show(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_group_info *groups;
	uint64_t generation;
	size_t count, i;
	void *items;
	int ret;

	ret = list_at_generation(cli, list_groups, args, &items, &count,
				 &generation);
	if (ret)
		return ret;
	groups = items;
	if (count)
		qsort(groups, count, sizeof(*groups), by_name);
	out_begin();
	out_open_array("groups");
	for (i = 0; i < count; i++)
		print_group(cli, &groups[i]);
	out_close_array();
	print_generation(cli, generation);
	free(groups);
	return end_output();
}

static int group_create(struct pg2_cli *cli, struct cli_args *args)
{
	return pg2_create(cli->handle, args->group) ? handle_error(cli) : 0;
}

static int group_delete(struct pg2_cli *cli, struct cli_args *args)
{
	return pg2_delete(cli->handle, args->group) ? handle_error(cli) : 0;
}

static const struct cli_cmd group_cmds[] = {
	{ "show", "[ NAME ]", TAKES_GROUP | GROUP_OPTIONAL, group_show },
	{ "create", "NAME", TAKES_GROUP, group_create },
	{ "delete", "NAME", TAKES_GROUP, group_delete },
	{ }
};

const struct cli_object group_object = {
	.name = "group",
	.needs = "\"%s\" needs a group NAME",
	.cmds = group_cmds,
};
