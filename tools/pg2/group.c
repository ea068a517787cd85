// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 group: list, create and delete groups.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "pg2.h"

void group_usage(FILE *out)
{
	fputs("Usage: pg2 group show [ NAME ]\n"
	      "       pg2 group create NAME\n"
	      "       pg2 group delete NAME\n", out);
}

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

/* Every group sorted by name, or the one named. */
static int group_show(struct pg2_cli *cli, int argc, char **argv)
{
	struct pg2_group_info one, *groups = &one;
	struct pg2_handle *handle;
	uint64_t generation;
	size_t count = 1, i;
	int ret;

	if (argc > 1)
		return usage_error("group", "unexpected argument \"%s\"",
				   argv[1]);
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	ret = read_generation(cli, &generation);
	if (ret)
		return ret;
	if (argc)
		ret = pg2_group_info(handle, argv[0], &one);
	else
		ret = pg2_which_groups(handle, &groups, &count);
	if (ret)
		return handle_error(cli);
	qsort(groups, count, sizeof(*groups), by_name);
	out_begin();
	out_open_array("groups");
	for (i = 0; i < count; i++)
		print_group(cli, &groups[i]);
	out_close_array();
	print_generation(cli, generation);
	if (groups != &one)
		free(groups);
	return end_output();
}

static int group_change(struct pg2_cli *cli, const char *command, int argc,
			char **argv,
			int (*change)(struct pg2_handle *, const char *))
{
	struct pg2_handle *handle;

	if (!argc)
		return usage_error("group", "\"%s\" needs a group NAME", command);
	if (argc > 1)
		return usage_error("group", "unexpected argument \"%s\"",
				   argv[1]);
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (change(handle, argv[0]))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

int do_group(struct pg2_cli *cli, int argc, char **argv)
{
	const char *command;

	if (!argc)
		return group_show(cli, 0, NULL);
	if (is_help(argc, argv)) {
		group_usage(stdout);
		return PG2_EXIT_OK;
	}
	command = argv[0];
	argc--;
	argv++;
	if (!strcmp(command, "show"))
		return group_show(cli, argc, argv);
	if (!strcmp(command, "create"))
		return group_change(cli, command, argc, argv, pg2_create);
	if (!strcmp(command, "delete"))
		return group_change(cli, command, argc, argv, pg2_delete);
	return usage_error("group", "unknown command \"%s\"", command);
}
