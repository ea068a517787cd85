// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Monitors: the events multicast group on a socket of its own, plus a
 * handle for the snapshots.  Events no newer than the last snapshot are
 * dropped; a receive queue overflow (ENOBUFS) triggers a new snapshot.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

/* Events are far smaller; one datagram may hold several. */
#define PG2NL_EVENT_BUF		(64 << 10)

struct pg2_monitor {
	struct pg2_handle *handle;	/* snapshots and error messages */
	struct nl_sock *events;
	uint64_t generation;		/* of the last snapshot or event */
	struct pg2_table *resync;	/* the table of the last RESYNC */
	bool lost;			/* events lost, no new table yet */
	size_t len, off;		/* of unread messages in buf */
	unsigned char buf[PG2NL_EVENT_BUF];
};

static int subscribe(struct pg2_monitor *monitor, int netns_fd)
{
	struct pg2_handle *handle = monitor->handle;
	int err;

	err = pg2nl_socket_open(handle, &monitor->events, netns_fd);
	if (err)
		return err;
	errno = 0;
	err = nl_socket_add_membership(monitor->events, handle->events_group);
	if (err < 0)
		return pg2nl_fail_nl(handle, err, errno,
				     "cannot subscribe to pg2 events");
	return 0;
}

int pg2_monitor_open(struct pg2_monitor **monitorp, int netns_fd)
{
	struct pg2_monitor *monitor;
	int err;

	*monitorp = NULL;
	monitor = calloc(1, sizeof(*monitor));
	if (!monitor) {
		pg2nl_set_open_error(strerror(ENOMEM));
		return -ENOMEM;
	}
	err = pg2_open(&monitor->handle, netns_fd);
	if (!err) {
		err = subscribe(monitor, netns_fd);
		if (err)
			pg2nl_set_open_error(monitor->handle->errmsg);
	}
	if (err) {
		pg2_monitor_close(monitor);
		return err;
	}
	*monitorp = monitor;
	return 0;
}

void pg2_monitor_close(struct pg2_monitor *monitor)
{
	if (!monitor)
		return;
	nl_socket_free(monitor->events);
	pg2_close(monitor->handle);
	pg2_table_free(monitor->resync);
	free(monitor);
}

int pg2_monitor_fd(const struct pg2_monitor *monitor)
{
	return nl_socket_get_fd(monitor->events);
}

const char *pg2_monitor_errmsg(const struct pg2_monitor *monitor)
{
	return pg2_errmsg(monitor ? monitor->handle : NULL);
}

int pg2_monitor_snapshot(struct pg2_monitor *monitor,
			 struct pg2_table **table)
{
	int err = pg2_table_get(monitor->handle, false, table);

	if (!err)
		monitor->generation = (*table)->generation;
	return err;
}

static const enum pg2_event_type event_of_cmd[] = {
	[PG2_CMD_GROUP_CREATED] = PG2_EVENT_GROUP_CREATED,
	[PG2_CMD_GROUP_DELETED] = PG2_EVENT_GROUP_DELETED,
	[PG2_CMD_MEMBER_JOINED] = PG2_EVENT_MEMBER_JOINED,
	[PG2_CMD_MEMBER_LEFT] = PG2_EVENT_MEMBER_LEFT,
};

static int parse_event_attrs(struct nlattr **tb, struct pg2_event *event)
{
	int err = pg2nl_parse_generation(tb, &event->generation);

	if (!err)
		err = pg2nl_parse_name(tb, event->group);
	if (err)
		return err;
	switch (event->type) {
	case PG2_EVENT_GROUP_CREATED:
		if (!tb[PG2_A_CREATOR_UID])
			return -EPROTO;
		event->creator_uid = nla_get_u32(tb[PG2_A_CREATOR_UID]);
		return 0;
	case PG2_EVENT_MEMBER_LEFT:
		if (!tb[PG2_A_REASON])
			return -EPROTO;
		event->reason = nla_get_u8(tb[PG2_A_REASON]);
		return pg2nl_parse_member(tb, &event->member);
	case PG2_EVENT_MEMBER_JOINED:
		return pg2nl_parse_member(tb, &event->member);
	default:
		return 0;
	}
}

/*
 * Parses the netlink message hdr into event.  Returns 1 for an event to
 * deliver, 0 for a message to skip, or a negative errno.
 */
static int parse_event(struct pg2_monitor *monitor, struct nlmsghdr *hdr,
		       struct pg2_event *event)
{
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd, err;

	if (hdr->nlmsg_type != monitor->handle->family)
		return 0;
	cmd = pg2nl_parse(hdr, tb);
	if (cmd < 0)
		return cmd;
	if (cmd < PG2_CMD_GROUP_CREATED || cmd > PG2_CMD_MEMBER_LEFT)
		return 0;
	memset(event, 0, sizeof(*event));
	event->type = event_of_cmd[cmd];
	err = parse_event_attrs(tb, event);
	if (err)
		return err;
	if (event->generation <= monitor->generation)
		return 0;
	monitor->generation = event->generation;
	return 1;
}

/* The next buffered event: 1, or 0 when the buffer is used up. */
static int next_buffered(struct pg2_monitor *monitor, struct pg2_event *event)
{
	while (monitor->off < monitor->len) {
		struct nlmsghdr *hdr =
			(struct nlmsghdr *)(monitor->buf + monitor->off);
		int left = monitor->len - monitor->off;
		int ret;

		if (!nlmsg_ok(hdr, left)) {
			monitor->off = monitor->len;
			return pg2nl_fail(monitor->handle, -EPROTO,
					  "truncated event message");
		}
		monitor->off += NLMSG_ALIGN(hdr->nlmsg_len);
		ret = parse_event(monitor, hdr, event);
		if (ret < 0)
			return pg2nl_fail(monitor->handle, ret,
					  "malformed event from pg2.ko: %s",
					  strerror(-ret));
		if (ret)
			return 1;
	}
	return 0;
}

/* Receives one datagram; 0 when none is queued. */
static int receive(struct pg2_monitor *monitor)
{
	struct sockaddr_nl from;
	struct iovec iov = { monitor->buf, sizeof(monitor->buf) };
	struct msghdr mh = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	n = recvmsg(pg2_monitor_fd(monitor), &mh, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return pg2nl_fail(monitor->handle, -EMSGSIZE,
				  "event datagram larger than %zu bytes",
				  sizeof(monitor->buf));
	/* Only the kernel speaks on the events group. */
	if (from.nl_pid)
		return 1;
	monitor->off = 0;
	monitor->len = n;
	return 1;
}

/*
 * Discards every queued event.  After an overflow the kernel drops this
 * socket's events, silently, until its queue has been emptied: a table
 * read before that would miss the changes dropped after it.
 */
static int drain(struct pg2_monitor *monitor)
{
	int ret;

	do
		ret = receive(monitor);
	while (ret > 0 || ret == -ENOBUFS || ret == -EMSGSIZE);
	monitor->off = monitor->len;
	if (ret < 0)
		return pg2nl_fail(monitor->handle, ret,
				  "cannot receive events: %s", strerror(-ret));
	return 0;
}

/* Events were lost: a new table replaces everything before it. */
static int resync(struct pg2_monitor *monitor, struct pg2_event *event)
{
	int err;

	monitor->lost = true;
	err = drain(monitor);
	if (!err)
		err = pg2_monitor_snapshot(monitor, &monitor->resync);
	if (err)
		return err;
	monitor->lost = false;
	memset(event, 0, sizeof(*event));
	event->type = PG2_EVENT_RESYNC;
	event->generation = monitor->resync->generation;
	event->table = monitor->resync;
	return 1;
}

static int remaining_ms(const struct timespec *deadline)
{
	struct timespec now;
	long long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (deadline->tv_sec - now.tv_sec) * 1000LL +
	     (deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms < 0 ? 0 : ms;
}

int pg2_monitor_next(struct pg2_monitor *monitor, struct pg2_event *event,
		     int timeout_ms)
{
	struct pollfd pfd = { .fd = pg2_monitor_fd(monitor), .events = POLLIN };
	struct timespec deadline;
	int ret;

	pg2_table_free(monitor->resync);
	monitor->resync = NULL;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	/* A failed resync is tried again before any further event. */
	if (monitor->lost)
		return resync(monitor, event);
	for (;;) {
		ret = next_buffered(monitor, event);
		if (ret)
			return ret;
		ret = receive(monitor);
		if (ret == -ENOBUFS)
			return resync(monitor, event);
		if (ret < 0)
			return pg2nl_fail(monitor->handle, ret,
					  "cannot receive events: %s",
					  strerror(-ret));
		if (ret)
			continue;
		ret = poll(&pfd, 1, timeout_ms < 0 ? -1 :
			   remaining_ms(&deadline));
		if (ret < 0)
			return pg2nl_fail(monitor->handle, -errno,
					  "waiting for events: %s",
					  strerror(errno));
		if (!ret)
			return 0;
	}
}

const char *pg2_reason_name(enum pg2_reason reason)
{
	switch (reason) {
	case PG2_REASON_LEAVE:
		return "leave";
	case PG2_REASON_EXIT:
		return "exit";
	case PG2_REASON_GROUP_DELETED:
		return "group-deleted";
	case PG2_REASON_NODE_DOWN:
		return "node-down";
	}
	return "unknown";
}

const char *pg2_event_type_name(enum pg2_event_type type)
{
	switch (type) {
	case PG2_EVENT_GROUP_CREATED:
		return "group-created";
	case PG2_EVENT_GROUP_DELETED:
		return "group-deleted";
	case PG2_EVENT_MEMBER_JOINED:
		return "member-joined";
	case PG2_EVENT_MEMBER_LEFT:
		return "member-left";
	case PG2_EVENT_RESYNC:
		return "resync";
	}
	return "unknown";
}
