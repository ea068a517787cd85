// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 member: list, join, leave, find the closest member, run a command
 * as a member (signal.c signals them).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pg2.h"

void print_member(const char *group, const struct pg2_member *member)
{
	out_string("group", "group %s", group);
	out_uint("pid", " pid %llu", member->pid);
	out_uint("node", " node %llu", member->node_id);
	out_uint("count", " count %llu", member->count);
	out_data(member->data, member->data_len);
}

static void print_member_line(const char *group,
			      const struct pg2_member *member)
{
	out_open_object(NULL);
	print_member(group, member);
	out_close_object();
	out_newline();
}

/* Every member of every group, from one table. */
static int show_all(struct pg2_cli *cli)
{
	struct pg2_table *table;
	size_t i;

	if (pg2_table_get(cli->handle, false, &table))
		return handle_error(cli);
	out_begin();
	out_open_array("members");
	for (i = 0; i < table->n_members; i++)
		print_member_line(table->groups[table->members[i].group].name,
				  &table->members[i].member);
	out_close_array();
	print_generation(cli, table->generation);
	pg2_table_free(table);
	return end_output();
}

static int member_show(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_member *members;
	uint64_t generation;
	size_t count, i;

	if (!args->group)
		return show_all(cli);
	if (pg2_get_members_at(cli->handle, args->group, args->local,
			       &members, &count, &generation))
		return handle_error(cli);
	out_begin();
	out_open_array("members");
	for (i = 0; i < count; i++)
		print_member_line(args->group, &members[i]);
	out_close_array();
	print_generation(cli, generation);
	free(members);
	return end_output();
}

/* Without pid: the process that ran pg2, e.g. the shell. */
static pid_t member_pid(const struct cli_args *args)
{
	return args->pid ? args->pid : getppid();
}

static int member_join(struct pg2_cli *cli, struct cli_args *args)
{
	if (pg2_join(cli->handle, args->group, member_pid(args), args->data,
		     args->data_len))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

static int member_leave(struct pg2_cli *cli, struct cli_args *args)
{
	if (pg2_leave(cli->handle, args->group, member_pid(args)))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

static int member_closest(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_member member;

	if (pg2_get_closest_pid(cli->handle, args->group, &member))
		return handle_error(cli);
	out_begin();
	out_open_object("member");
	print_member(args->group, &member);
	out_close_object();
	out_newline();
	return end_output();
}

/*
 * Joins pg2's own process and execs the command in it: the membership
 * survives exec and ends with the process, by the kernel's exit cleanup.
 */
static int member_exec(struct pg2_cli *cli, struct cli_args *args)
{
	int err;

	if (pg2_join(cli->handle, args->group, 0, args->data, args->data_len))
		return handle_error(cli);
	pg2_close(cli->handle);
	cli->handle = NULL;
	fflush(stdout);
	execvp(args->command[0], args->command);
	err = errno;
	out_printf(stderr, "Error: cannot run \"%s\": ", args->command[0]);
	fprintf(stderr, "%s.\n", strerror(err));
	/* As shells report a command that is missing or cannot run. */
	return err == ENOENT ? 127 : 126;
}

static const struct cli_cmd member_cmds[] = {
	{ "show", "[ GROUP [ local ] ]",
	  TAKES_GROUP | GROUP_OPTIONAL | TAKES_LOCAL, member_show },
	{ "join", "GROUP [ pid PID ] [ data DATA ]",
	  TAKES_GROUP | TAKES_PID | TAKES_DATA, member_join },
	{ "leave", "GROUP [ pid PID ]", TAKES_GROUP | TAKES_PID, member_leave },
	{ "closest", "GROUP", TAKES_GROUP, member_closest },
	{ "exec", "GROUP [ data DATA ] -- COMMAND [ ARGS... ]",
	  TAKES_GROUP | TAKES_DATA | TAKES_COMMAND | NOT_IN_BATCH,
	  member_exec },
	{ "signal", "GROUP [ SIGNAL ]", TAKES_GROUP | TAKES_SIGNAL,
	  member_signal },
	{ }
};

const struct cli_object member_object = {
	.name = "member",
	.missing_group_fmt = "\"%s\" needs a GROUP",
	.cmds = member_cmds,
	.options = "-j, -p (JSON), -s (show: the table's generation)",
	.where = "where  PID := NUMBER (default: the process that ran pg2, e.g. the shell)\n"
		 "       DATA := { TEXT | hex HEXDIGITS }\n"
		 "       SIGNAL := { NAME | RTMIN[+N] | RTMAX[-N] | NUMBER } (default TERM)\n",
};
