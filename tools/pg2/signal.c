// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 member signal: signal every member of a group on this node, and say
 * what happened to each.
 *
 * A pid from the listing may have been reused by the time it is signalled,
 * so each member is signalled through a pidfd: it pins the process it was
 * opened on, and the membership is checked again after it was opened.  A
 * process that is still a member then is the member; one that exits
 * afterwards makes pidfd_send_signal() fail with ESRCH, never hits another.
 * The permission rules are kill(2)'s.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/pidfd.h>

#include "output.h"
#include "pg2.h"

/* pidfds open at once: members are signalled in chunks of this many. */
#define SIGNAL_CHUNK	256

enum outcome { SENT, GONE, SELF, FAILED };

static int by_pid(const void *a, const void *b)
{
	const struct pg2_member *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* The local members of args->group now, sorted by pid; NULL if none. */
static int members_now(struct pg2_cli *cli, const struct cli_args *args,
		       struct pg2_member **now, size_t *count)
{
	int err = pg2_get_local_members(cli->handle, args->group, now, count);

	if (err == -ENOENT) {	/* the group was deleted: no member is left */
		*count = 0;
		return 0;
	}
	if (!err && *count)
		qsort(*now, *count, sizeof(**now), by_pid);
	return err;
}

static bool still_member(const struct pg2_member *now, size_t count,
			 const struct pg2_member *member)
{
	return count && bsearch(member, now, count, sizeof(*now), by_pid);
}

/*
 * Signals member through pidfd if it is still a member.  *err is why not:
 * on entry, why its pidfd or the new listing could not be had.
 */
static enum outcome signal_one(const struct pg2_member *member, int pidfd,
			       const struct pg2_member *now, size_t n_now,
			       int sig, int *err)
{
	if (member->pid == (uint32_t)getpid())
		return SELF;
	if (!*err && !still_member(now, n_now, member))
		return GONE;
	if (!*err && pidfd_send_signal(pidfd, sig, NULL, 0))
		*err = errno;
	if (!*err)
		return SENT;
	return *err == ESRCH ? GONE : FAILED;
}

static void report(const char *group, const struct pg2_member *member,
		   const char *name, enum outcome outcome, int err)
{
	static const char *const results[] = {
		[SENT] = "sent", [GONE] = "gone", [SELF] = "skipped",
		[FAILED] = "failed",
	};

	out_open_object(NULL);
	print_member(group, member);
	out_string(NULL, " signal %s", name);
	out_string("result", NULL, results[outcome]);
	if (outcome == FAILED) {
		out_string("error", NULL, strerror(err));
		out_text(" failed: %s", strerror(err));
	} else {
		out_text(" %s", outcome == SELF ? "self, skipped" :
			 results[outcome]);
	}
	out_close_object();
	out_newline();
}

int member_signal(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_member *members, *now;
	size_t count, n_now, failed = 0, start, n, i;
	int pidfds[SIGNAL_CHUNK], errs[SIGNAL_CHUNK], now_err, err;
	enum outcome outcome;
	const char *name;
	char number[16];

	name = signal_name(args->signal, number, sizeof(number));
	if (pg2_get_local_members(cli->handle, args->group, &members, &count))
		return handle_error(cli);
	out_begin();
	out_string("signal", NULL, name);
	out_open_array("members");
	for (start = 0; start < count; start += n) {
		n = count - start < SIGNAL_CHUNK ? count - start : SIGNAL_CHUNK;
		for (i = 0; i < n; i++) {
			pidfds[i] = pidfd_open(members[start + i].pid, 0);
			errs[i] = pidfds[i] < 0 ? errno : 0;
		}
		now = NULL;
		now_err = -members_now(cli, args, &now, &n_now);
		for (i = 0; i < n; i++) {
			err = errs[i] ? errs[i] : now_err;
			outcome = signal_one(&members[start + i], pidfds[i], now,
					     n_now, args->signal, &err);
			report(args->group, &members[start + i], name, outcome,
			       err);
			failed += outcome == FAILED;
			if (pidfds[i] >= 0)
				close(pidfds[i]);
		}
		free(now);
	}
	out_close_array();
	free(members);
	err = end_output();
	if (!err && failed) {
		fprintf(stderr, "Error: %zu of %zu members not signalled.\n",
			failed, count);
		err = PG2_EXIT_KERNEL;
	}
	return err;
}
