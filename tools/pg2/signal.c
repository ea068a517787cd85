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
	if (sent) {
		out_text(" sent");
	} else {
		out_string("error", NULL, strerror(err));
		out_text(" failed: %s", strerror(err));
	}
	out_close_object();
	out_newline();
	return sent;
}

int member_signal(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_member *members;
	size_t count, sent = 0, i;
	const char *name;
	char number[16];
	int ret;

	name = signal_name(args->signal, number, sizeof(number));
	if (pg2_get_local_members(cli->handle, args->group, &members, &count))
		return handle_error(cli);
	out_begin();
	out_string("signal", NULL, name);
	out_open_array("members");
	for (i = 0; i < count; i++)
		sent += signal_member(args->group, &members[i], args->signal,
				      name);
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
