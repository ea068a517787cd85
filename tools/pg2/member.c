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

void member_usage(FILE *out)
{
	fputs("Usage: pg2 member show [ GROUP [ local ] ]\n"
	      "       pg2 member join GROUP [ pid PID ] [ data DATA ]\n"
	      "       pg2 member leave GROUP [ pid PID ]\n"
	      "       pg2 member closest GROUP\n"
	      "       pg2 member exec GROUP [ data DATA ] -- COMMAND [ ARGS... ]\n"
	      "       pg2 member signal GROUP [ SIGNAL ]\n"
	      "where  DATA := { TEXT | hex HEXDIGITS }\n"
	      "       SIGNAL := { NAME | NUMBER } (default TERM)\n", out);
}

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

/* Every member of every group, at one generation. */
static int show_all(struct pg2_cli *cli, struct pg2_handle *handle)
{
	struct pg2_table *table;
	size_t i;

	if (pg2_table_get(handle, false, &table))
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

static int member_show(struct pg2_cli *cli, int argc, char **argv)
{
	struct pg2_member *members;
	struct pg2_handle *handle;
	uint64_t generation;
	size_t count, i;
	bool local = false;
	int ret;

	if (argc > 1 && !strcmp(argv[1], "local"))
		local = true;
	else if (argc > 1)
		return usage_error("member", "unexpected argument \"%s\"",
				   argv[1]);
	if (argc > 2)
		return usage_error("member", "unexpected argument \"%s\"",
				   argv[2]);
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (!argc)
		return show_all(cli, handle);
	ret = read_generation(cli, &generation);
	if (ret)
		return ret;
	if (local)
		ret = pg2_get_local_members(handle, argv[0], &members, &count);
	else
		ret = pg2_get_members(handle, argv[0], &members, &count);
	if (ret)
		return handle_error(cli);
	out_begin();
	out_open_array("members");
	for (i = 0; i < count; i++)
		print_member_line(argv[0], &members[i]);
	out_close_array();
	print_generation(cli, generation);
	free(members);
	return end_output();
}

/* What join, leave and exec accept after GROUP. */
#define ACCEPT_PID	0x1
#define ACCEPT_DATA	0x2
#define ACCEPT_COMMAND	0x4

struct member_args {
	const char *group;
	pid_t pid;			/* 0: pg2 itself */
	char *data;
	size_t data_len;
	char **command;			/* after "--" */
};

/*
 * The parsers of "pid PID" and "data [ hex ] DATA": *argv is the keyword;
 * they leave it at the keyword's last word.
 */
static int parse_pid_arg(int *argc, char ***argv, struct member_args *args)
{
	if (args->pid)
		return usage_error("member", "\"pid\" given twice");
	if (*argc < 2)
		return usage_error("member", "\"pid\" needs a value");
	(*argc)--;
	(*argv)++;
	if (parse_pid(**argv, &args->pid))
		return usage_error("member", "invalid pid \"%s\"", **argv);
	return PG2_EXIT_OK;
}

static int parse_data_arg(int *argc, char ***argv, struct member_args *args)
{
	bool hex = *argc > 1 && !strcmp((*argv)[1], "hex");

	if (args->data)
		return usage_error("member", "\"data\" given twice");
	if (hex) {
		(*argc)--;
		(*argv)++;
	}
	if (*argc < 2)
		return usage_error("member", "\"data\" needs a value");
	(*argc)--;
	(*argv)++;
	args->data = **argv;
	if (parse_data(args->data, hex, &args->data_len))
		return usage_error("member", "\"%s\" is not an even number of hex digits",
				   args->data);
	return PG2_EXIT_OK;
}

static int parse_member_args(const char *command, int argc, char **argv,
			     unsigned int accept, struct member_args *args)
{
	int ret;

	memset(args, 0, sizeof(*args));
	if (!argc)
		return usage_error("member", "\"%s\" needs a GROUP", command);
	args->group = argv[0];
	for (argc--, argv++; argc; argc--, argv++) {
		if (accept & ACCEPT_COMMAND && !strcmp(argv[0], "--")) {
			args->command = argv + 1;
			break;
		}
		if (accept & ACCEPT_PID && !strcmp(argv[0], "pid"))
			ret = parse_pid_arg(&argc, &argv, args);
		else if (accept & ACCEPT_DATA && !strcmp(argv[0], "data"))
			ret = parse_data_arg(&argc, &argv, args);
		else
			ret = usage_error("member", "unexpected argument \"%s\"",
					  argv[0]);
		if (ret)
			return ret;
	}
	if (accept & ACCEPT_COMMAND && !(args->command && args->command[0]))
		return usage_error("member", "\"%s\" needs -- COMMAND", command);
	return PG2_EXIT_OK;
}

static int member_join(struct pg2_cli *cli, int argc, char **argv)
{
	struct member_args args;
	struct pg2_handle *handle;
	int ret;

	ret = parse_member_args("join", argc, argv, ACCEPT_PID | ACCEPT_DATA,
				&args);
	if (ret)
		return ret;
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (pg2_join(handle, args.group, args.pid, args.data, args.data_len))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

static int member_leave(struct pg2_cli *cli, int argc, char **argv)
{
	struct member_args args;
	struct pg2_handle *handle;
	int ret;

	ret = parse_member_args("leave", argc, argv, ACCEPT_PID, &args);
	if (ret)
		return ret;
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (pg2_leave(handle, args.group, args.pid))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

static int member_closest(struct pg2_cli *cli, int argc, char **argv)
{
	struct pg2_member member;
	struct pg2_handle *handle;

	if (!argc)
		return usage_error("member", "\"closest\" needs a GROUP");
	if (argc > 1)
		return usage_error("member", "unexpected argument \"%s\"",
				   argv[1]);
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (pg2_get_closest_pid(handle, argv[0], &member))
		return handle_error(cli);
	out_begin();
	out_open_object("member");
	print_member(argv[0], &member);
	out_close_object();
	out_newline();
	return end_output();
}

/*
 * Joins pg2's own process and execs the command in it: the membership
 * survives exec and ends with the process, by the kernel's exit cleanup.
 */
static int member_exec(struct pg2_cli *cli, int argc, char **argv)
{
	struct member_args args;
	struct pg2_handle *handle;
	int ret, err;

	ret = parse_member_args("exec", argc, argv,
				ACCEPT_DATA | ACCEPT_COMMAND, &args);
	if (ret)
		return ret;
	if (cli->in_batch)
		return usage_error("member", "\"exec\" cannot run in a batch");
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (pg2_join(handle, args.group, 0, args.data, args.data_len))
		return handle_error(cli);
	pg2_close(handle);
	cli->handle = NULL;
	if (cli->netns_fd >= 0)
		close(cli->netns_fd);
	cli->netns_fd = -1;
	fflush(stdout);
	execvp(args.command[0], args.command);
	err = errno;
	fprintf(stderr, "Error: cannot run \"%s\": %s.\n", args.command[0],
		strerror(err));
	/* As shells report a command that is missing or cannot run. */
	return err == ENOENT ? 127 : 126;
}

int do_member(struct pg2_cli *cli, int argc, char **argv)
{
	const char *command;

	if (!argc)
		return member_show(cli, 0, NULL);
	if (is_help(argc, argv)) {
		member_usage(stdout);
		return PG2_EXIT_OK;
	}
	command = argv[0];
	argc--;
	argv++;
	if (!strcmp(command, "show"))
		return member_show(cli, argc, argv);
	if (!strcmp(command, "join"))
		return member_join(cli, argc, argv);
	if (!strcmp(command, "leave"))
		return member_leave(cli, argc, argv);
	if (!strcmp(command, "closest"))
		return member_closest(cli, argc, argv);
	if (!strcmp(command, "exec"))
		return member_exec(cli, argc, argv);
	if (!strcmp(command, "signal"))
		return do_member_signal(cli, argc, argv);
	return usage_error("member", "unknown command \"%s\"", command);
}
