// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 member signal: kill(2) every member of a group on this node, and say
 * what happened to each.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "pg2.h"

/* Returns 1 if the member got the signal, else 0. */
static int signal_member(const char *group, const struct pg2_member *member,
			 int sig, const char *name)
{
	int sent = !kill(member->pid, sig);
	int err = errno;

	out_open_object(NULL);
	print_member(group, member);
	out_string(NULL, " signal %s", name);
	out_bool("sent", NULL, sent);
	if (sent)
		out_text(" sent");
	else
		out_string("error", " failed: %s", strerror(err));
	out_close_object();
	out_newline();
	return sent;
}

int do_member_signal(struct pg2_cli *cli, int argc, char **argv)
{
	struct pg2_member *members;
	struct pg2_handle *handle;
	size_t count, sent = 0, i;
	int sig = SIGTERM, ret;
	const char *name;
	char number[16];

	if (!argc)
		return usage_error("member", "\"signal\" needs a GROUP");
	if (argc > 2)
		return usage_error("member", "unexpected argument \"%s\"",
				   argv[2]);
	if (argc == 2 && parse_signal(argv[1], &sig))
		return usage_error("member", "unknown signal \"%s\"", argv[1]);
	name = signal_name(sig, number, sizeof(number));
	handle = cli_handle(cli);
	if (!handle)
		return PG2_EXIT_KERNEL;
	if (pg2_get_local_members(handle, argv[0], &members, &count))
		return handle_error(cli);
	out_begin();
	out_string("signal", NULL, name);
	out_open_array("members");
	for (i = 0; i < count; i++)
		sent += signal_member(argv[0], &members[i], sig, name);
	out_close_array();
	free(members);
	ret = end_output();
	if (!ret && sent < count) {
		fprintf(stderr, "Error: %zu of %zu members not signalled.\n",
			count - sent, count);
		ret = PG2_EXIT_KERNEL;
	}
	return ret;
}
