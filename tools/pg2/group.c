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

/*
 * The group name of the listing groups, count of them, at one generation
 * (-s): the dump's record of it, or none if it had none (when it was
 * created after the dump; a missing group gets the kernel's error).
 */
static int pick_group(struct pg2_cli *cli, const char *name,
		      struct pg2_group_info *groups, size_t *count)
{
	struct pg2_group_info info;
	size_t i;

	for (i = 0; i < *count; i++)
		if (!strcmp(groups[i].name, name)) {
			groups[0] = groups[i];
			*count = 1;
			return PG2_EXIT_OK;
		}
	*count = 0;
	return pg2_group_info(cli->handle, name, &info) ? handle_error(cli) :
							  PG2_EXIT_OK;
}

/*
 * Every group, sorted by name, or the one named.  With -s the listing is
 * a dump, and its generation the one the table was at.
 */
static int group_show(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_group_info *groups = NULL, one;
	uint64_t generation = 0;
	size_t count = 1, i;
	int ret = PG2_EXIT_OK;

	if (args->group && !cli->statistics) {
		if (pg2_group_info(cli->handle, args->group, &one))
			return handle_error(cli);
	} else if (pg2_which_groups_at(cli->handle, &groups, &count,
				       &generation)) {
		return handle_error(cli);
	} else if (args->group) {
		ret = pick_group(cli, args->group, groups, &count);
	}
	if (!ret && count > 1)
		qsort(groups, count, sizeof(*groups), by_name);
	if (!ret) {
		out_begin();
		out_open_array("groups");
		for (i = 0; i < count; i++)
			print_group(cli, groups ? &groups[i] : &one);
		out_close_array();
		print_generation(cli, generation);
		ret = end_output();
	}
	free(groups);
	return ret;
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
	.missing_group_fmt = "\"%s\" needs a group NAME",
	.cmds = group_cmds,
	.options = "-j, -p (JSON), -s (member counts, the table's generation)",
};
