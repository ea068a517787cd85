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

/* Prints every event received so far. */
static int print_pending(struct pg2_cli *cli, struct pg2_monitor *monitor,
			 const char *filter)
{
	struct pg2_event event;
	int ret;

	while ((ret = pg2_monitor_next(monitor, &event, 0)) > 0) {
		if (!wanted(filter, event.type))
			continue;
		ret = print_event(cli, &event);
		if (ret)
			return ret;
	}
	if (ret < 0)
		return system_error(pg2_monitor_errmsg(monitor));
	return PG2_EXIT_OK;
}

/*
 * SIGINT and SIGTERM arrive through stop_fd, so a stop is seen between
 * events, never inside one: events received before it are still printed.
 */
static int watch(struct pg2_cli *cli, struct pg2_monitor *monitor,
		 const char *filter, int stop_fd)
{
	struct pollfd fds[] = {
		{ .fd = stop_fd, .events = POLLIN },
		{ .fd = pg2_monitor_fd(monitor), .events = POLLIN },
	};
	int ret;

	for (;;) {
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return system_error(strerror(errno));
		ret = print_pending(cli, monitor, filter);
		cli->stopped = fds[0].revents;
		if (ret || cli->stopped)
			return ret;
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
	{ NULL, "[ group | member ]", TAKES_FILTER | OWN_SOCKET, monitor },
	{ }
};

const struct cli_object monitor_object = {
	.name = "monitor",
	.cmds = monitor_cmds,
};
