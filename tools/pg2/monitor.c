// SPDX-License-Identifier: GPL-2.0
/*
 * pg2 monitor: print every change to the table as it happens, one line
 * (one JSON object) per event, until SIGINT or SIGTERM.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "output.h"
#include "pg2.h"

/* ISO 8601 local time with microseconds, as -t shows it. */
static void print_timestamp(void)
{
	char date[32], zone[8], stamp[64];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);
	snprintf(stamp, sizeof(stamp), "%s.%06ld%s", date,
		 now.tv_nsec / 1000, zone);
	out_string("timestamp", "[%s] ", stamp);
}

static int print_event(struct pg2_cli *cli, const struct pg2_event *event)
{
	out_begin();
	if (cli->timestamp)
		print_timestamp();
	out_string("event", "%s", pg2_event_type_name(event->type));
	switch (event->type) {
	case PG2_EVENT_GROUP_CREATED:
		out_string("group", " group %s", event->group);
		out_uint("creator_uid", " creator %llu", event->creator_uid);
		break;
	case PG2_EVENT_GROUP_DELETED:
		out_string("group", " group %s", event->group);
		break;
	case PG2_EVENT_MEMBER_JOINED:
	case PG2_EVENT_MEMBER_LEFT:
		out_text(" ");
		print_member(event->group, &event->member);
		if (event->type == PG2_EVENT_MEMBER_LEFT)
			out_string("reason", " reason %s",
				   pg2_reason_name(event->reason));
		break;
	case PG2_EVENT_RESYNC:
		out_uint("group_count", " groups %llu", event->table->n_groups);
		out_uint("member_count", " members %llu",
			 event->table->n_members);
		break;
	}
	if (cli->statistics)
		out_uint("generation", " generation %llu", event->generation);
	out_newline();
	return end_output();
}

/* Which events "monitor [ group | member ]" prints; RESYNC always. */
static bool wanted(const char *filter, enum pg2_event_type type)
{
	switch (type) {
	case PG2_EVENT_GROUP_CREATED:
	case PG2_EVENT_GROUP_DELETED:
		return !filter || !strcmp(filter, "group");
	case PG2_EVENT_MEMBER_JOINED:
	case PG2_EVENT_MEMBER_LEFT:
		return !filter || !strcmp(filter, "member");
	case PG2_EVENT_RESYNC:
		return true;
	}
	return true;
}

/* Events printed between two looks at SIGINT and SIGTERM, at most. */
#define EVENTS_PER_PASS	64

/*
 * Prints the events received so far, up to EVENTS_PER_PASS of them and,
 * when until is not 0, none past generation until.  Returns true when
 * events may be left; *status is the exit status when one ends pg2.
 */
static bool print_pending(struct pg2_cli *cli, struct pg2_monitor *monitor,
			  const char *filter, uint64_t until, int *status)
{
	struct pg2_event event;
	int n, ret;

	for (n = 0; n < EVENTS_PER_PASS; n++) {
		ret = pg2_monitor_next(monitor, &event, 0);
		/*
		 * Temporary (events kept overflowing the socket while the
		 * monitor dropped them): the next call goes on.  Once
		 * stopped, the events before the stop are lost anyway.
		 */
		if (ret == -EAGAIN && !until)
			continue;
		if (ret == -EAGAIN)
			return false;
		if (ret < 0) {
			*status = system_error(pg2_monitor_errmsg(monitor));
			return false;
		}
		if (!ret || (until && event.generation > until))
			return false;
		if (!wanted(filter, event.type))
			continue;
		*status = print_event(cli, &event);
		if (*status)
			return false;
	}
	return true;
}

/*
 * SIGINT or SIGTERM: the events of the changes made before it are still
 * printed, and no more.  They are those up to the table's generation now,
 * a bound however fast new changes come.  With pg2.ko gone no change
 * comes that the monitor has not received.
 */
static int stop(struct pg2_cli *cli, struct pg2_monitor *monitor,
		const char *filter)
{
	uint64_t until = 0;
	int status = PG2_EXIT_OK;

	cli->stopped = true;
	if (!cli->handle && pg2_open(&cli->handle, -1))
		return PG2_EXIT_OK;
	if (pg2_generation(cli->handle, &until))
		return PG2_EXIT_OK;
	while (print_pending(cli, monitor, filter, until, &status))
		;
	return status;
}

/*
 * SIGINT and SIGTERM arrive through stop_fd, looked at between passes of
 * a few events: a stop is seen however many events keep coming.
 */
static int watch(struct pg2_cli *cli, struct pg2_monitor *monitor,
		 const char *filter, int stop_fd)
{
	struct pollfd fds[] = {
		{ .fd = stop_fd, .events = POLLIN },
		{ .fd = pg2_monitor_fd(monitor), .events = POLLIN },
	};
	int status = PG2_EXIT_OK, timeout = -1;

	for (;;) {
		if (poll(fds, 2, timeout) < 0) {
			if (errno == EINTR)
				continue;
			return system_error(strerror(errno));
		}
		if (fds[0].revents)
			return stop(cli, monitor, filter);
		/* Events left: look at stop_fd again first, without waiting. */
		timeout = print_pending(cli, monitor, filter, 0, &status) ? 0 :
									   -1;
		if (status)
			return status;
	}
}

static int monitor(struct pg2_cli *cli, struct cli_args *args)
{
	struct pg2_monitor *monitor = NULL;
	struct signalfd_siginfo info;
	sigset_t stop, old;
	int stop_fd, ret;

	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &old);
	stop_fd = signalfd(-1, &stop, SFD_CLOEXEC | SFD_NONBLOCK);
	if (stop_fd < 0)
		ret = system_error(strerror(errno));
	else if (pg2_monitor_open(&monitor, -1))
		ret = system_error(pg2_monitor_errmsg(NULL));
	else
		ret = watch(cli, monitor, args->filter, stop_fd);
	if (stop_fd >= 0) {
		pg2_monitor_close(monitor);
		/* Consume the stop signal: unblocked, it would kill pg2. */
		while (read(stop_fd, &info, sizeof(info)) == sizeof(info))
			;
		close(stop_fd);
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return ret;
}

static const struct cli_cmd monitor_cmds[] = {
	{ NULL, "[ group | member ]", TAKES_FILTER | NO_HANDLE, monitor },
	{ }
};

const struct cli_object monitor_object = {
	.name = "monitor",
	.cmds = monitor_cmds,
	.options = "-j, -p (JSON), -s (each event's generation), -t (timestamps)",
};
