// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Monitors: the events multicast group on a socket of its own, plus a
 * handle for the snapshots.  Events no newer than the last snapshot are
 * dropped; lost events (ENOBUFS, a truncated datagram) and a reload of
 * pg2.ko trigger a new snapshot.  The socket also listens to the genl
 * controller's "notify" group, which tells when pg2's family goes away
 * (rmmod) and comes back (insmod).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "internal.h"

/* Events are far smaller; one datagram may hold several. */
#define PG2NL_EVENT_BUF		(64 << 10)
/*
 * No datagram takes less of a receive buffer than this (its truesize
 * counts the sk_buff and its shared info): the receive buffer's size
 * divided by it bounds how many datagrams the queue can hold.
 */
#define PG2NL_MIN_TRUESIZE	256
/* Overflows one drain() goes through before it gives up for now. */
#define PG2NL_DRAIN_OVERFLOWS	4

struct pg2_monitor {
	struct pg2_handle *handle;	/* snapshots and error messages */
	struct nl_sock *events;
	uint32_t ctrl_group;		/* nlctrl's "notify" */
	uint32_t pidns;			/* our pid namespace's inode, or 0 */
	uint64_t generation;		/* of the last snapshot or event */
	struct pg2_table *resync;	/* the table of the last RESYNC */
	bool lost;			/* events lost, no new table yet */
	bool unloaded;			/* pg2's family is gone */
	size_t len, off;		/* of unread messages in buf */
	unsigned char buf[PG2NL_EVENT_BUF];
};

static const char module_unloaded[] =
	"pg2 kernel module unloaded (modprobe pg2)";

/* Joining a group twice is harmless: a reload needs the new events group. */
static int join(struct pg2_monitor *monitor, uint32_t group, const char *what)
{
	int err;

	errno = 0;
	err = nl_socket_add_membership(monitor->events, group);
	return err < 0 ? pg2nl_fail_nl(monitor->handle, err, errno, what) : 0;
}

static int subscribe(struct pg2_monitor *monitor, int netns_fd)
{
	struct pg2_handle *handle = monitor->handle;
	int ctrl, err;

	err = pg2nl_socket_open(handle, &monitor->events, netns_fd);
	if (!err)
		err = pg2nl_lookup_family(handle, "nlctrl", "notify", &ctrl,
					  &monitor->ctrl_group);
	if (!err)
		err = join(monitor, monitor->ctrl_group,
			   "cannot subscribe to genl notifications");
	if (!err)
		err = join(monitor, handle->events_group,
			   "cannot subscribe to pg2 events");
	return err;
}

/*
 * The inode number of the caller's pid namespace: the one its dumps'
 * pids are numbered in (task_active_pid_ns(), what /proc/self/ns/pid
 * shows, not pid_for_children).  0 without /proc.
 */
static uint32_t own_pidns(void)
{
	struct stat st;

	return stat("/proc/self/ns/pid", &st) ? 0 : st.st_ino;
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
	monitor->pidns = own_pidns();
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

/*
 * A member event's member, its pid as our pid namespace numbers it, as
 * our dumps do: 1, or 0 when the member is invisible to us (absent from
 * our dumps too, so its events are not ours either).  A remote member's
 * events carry no PG2_A_NSPIDS: PG2_A_PID, the relay's number, it is.
 */
static int parse_event_member(struct pg2_monitor *monitor, struct nlattr **tb,
			      struct pg2_member *member)
{
	int err = pg2nl_parse_member(tb, member);

	if (err || !tb[PG2_A_NSPIDS] || !monitor->pidns)
		return err ? err : 1;
	return pg2nl_parse_nspid(tb[PG2_A_NSPIDS], monitor->pidns,
				 &member->pid);
}

/* 1, 0 for an event to skip, or a negative errno. */
static int parse_event_attrs(struct pg2_monitor *monitor, struct nlattr **tb,
			     struct pg2_event *event)
{
	int err = pg2nl_parse_name(tb, event->group);

	if (err)
		return err;
	switch (event->type) {
	case PG2_EVENT_GROUP_CREATED:
		if (!tb[PG2_A_CREATOR_UID])
			return -EPROTO;
		event->creator_uid = nla_get_u32(tb[PG2_A_CREATOR_UID]);
		return 1;
	case PG2_EVENT_MEMBER_LEFT:
		if (!tb[PG2_A_REASON])
			return -EPROTO;
		event->reason = nla_get_u8(tb[PG2_A_REASON]);
		return parse_event_member(monitor, tb, &event->member);
	case PG2_EVENT_MEMBER_JOINED:
		return parse_event_member(monitor, tb, &event->member);
	default:
		return 1;
	}
}

/*
 * A genl controller notification: pg2's family went away or came back.
 * Its own ones are the only notifications that matter here.
 */
static void parse_ctrl(struct pg2_monitor *monitor, struct nlmsghdr *hdr)
{
	struct nlattr *tb[CTRL_ATTR_MAX + 1];
	int cmd;

	if (genlmsg_parse(hdr, 0, tb, CTRL_ATTR_MAX, NULL) ||
	    !tb[CTRL_ATTR_FAMILY_NAME] ||
	    strcmp(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]), PG2_GENL_NAME))
		return;
	cmd = genlmsg_hdr(hdr)->cmd;
	if (cmd == CTRL_CMD_DELFAMILY) {
		monitor->unloaded = true;
		monitor->lost = false;
	} else if (cmd == CTRL_CMD_NEWFAMILY) {
		/* A new module, a new table: take it whole. */
		monitor->unloaded = false;
		monitor->lost = true;
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

	if (hdr->nlmsg_type == GENL_ID_CTRL) {
		parse_ctrl(monitor, hdr);
		return 0;
	}
	if (hdr->nlmsg_type != monitor->handle->family || !event)
		return 0;
	cmd = pg2nl_parse(hdr, tb);
	if (cmd < 0)
		return cmd;
	if (cmd < PG2_CMD_GROUP_CREATED || cmd > PG2_CMD_NODE_ID_CHANGED)
		return 0;
	memset(event, 0, sizeof(*event));
	err = pg2nl_parse_generation(tb, &event->generation);
	if (err)
		return err;
	if (event->generation <= monitor->generation)
		return 0;
	/*
	 * Each change has its generation: a gap after a snapshot is events
	 * lost.  A new node id is every local member's: the table is taken
	 * whole then too.
	 */
	if ((monitor->generation &&
	     event->generation != monitor->generation + 1) ||
	    cmd == PG2_CMD_NODE_ID_CHANGED) {
		monitor->lost = true;
		return 0;
	}
	monitor->generation = event->generation;
	event->type = event_of_cmd[cmd];
	return parse_event_attrs(monitor, tb, event);
}

/*
 * The next buffered event: 1, or 0 when the buffer is used up or a
 * controller message changed the monitor's state.  event NULL: only the
 * controller's messages are looked at.
 */
static int next_buffered(struct pg2_monitor *monitor, struct pg2_event *event)
{
	while (monitor->off < monitor->len) {
		struct nlmsghdr *hdr =
			(struct nlmsghdr *)(monitor->buf + monitor->off);
		int left = monitor->len - monitor->off;
		bool lost = monitor->lost, unloaded = monitor->unloaded;
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
		if (event && (lost != monitor->lost ||
			      unloaded != monitor->unloaded))
			return 0;
	}
	return 0;
}

/*
 * Receives one datagram: 1, 0 when none is queued, -ENOBUFS when events
 * were lost (the queue overflowed, or a datagram did not fit the buffer
 * and its end was cut off), or another negative errno.
 */
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

	monitor->off = monitor->len = 0;
	n = recvmsg(pg2_monitor_fd(monitor), &mh, MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN ? 0 : -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -ENOBUFS;
	/* Only the kernel speaks on these groups. */
	if (from.nl_pid)
		return 1;
	monitor->len = n;
	return 1;
}

/*
 * Discards queued events, keeping what the controller says.  After an
 * overflow the kernel drops this socket's events, silently, until its
 * queue has been empty once: a table read before that would miss the
 * changes dropped after it.  Either the queue runs empty, or more
 * datagrams arrive in a row than the receive buffer can hold: then it was
 * empty in between and the kernel delivers again.  A producer faster
 * than this loop cannot keep it going for longer than that, except by
 * overflowing the queue again: after a few such rounds the caller gets
 * control back (-EAGAIN) and the next call goes on.
 */
static int drain(struct pg2_monitor *monitor)
{
	int rcvbuf = 0, overflows = 0, ret = 0;
	socklen_t len = sizeof(rcvbuf);
	long most, left;

	/* SO_RCVBUF reads the kernel's own, doubled, value. */
	getsockopt(pg2_monitor_fd(monitor), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		   &len);
	most = rcvbuf / PG2NL_MIN_TRUESIZE + 1;
	/* The rest of the datagram at hand first. */
	next_buffered(monitor, NULL);
	for (left = most; left > 0; left--) {
		ret = receive(monitor);
		if (ret == -ENOBUFS) {
			if (++overflows > PG2NL_DRAIN_OVERFLOWS)
				return pg2nl_fail(monitor->handle, -EAGAIN,
						  "events arrive faster than they can be dropped; call again");
			left = most + 1;
			continue;
		}
		if (ret <= 0)
			break;
		next_buffered(monitor, NULL);
	}
	monitor->off = monitor->len;
	if (ret < 0)
		return pg2nl_fail(monitor->handle, ret,
				  "cannot receive events: %s", strerror(-ret));
	return 0;
}

/*
 * Events were lost, or pg2.ko was loaded again: a new table replaces
 * everything before it.  The family is looked up again first, whatever
 * the controller said before: a reload gives it a new id and a new events
 * group, and the notification of the reload may be among the messages
 * lost, after the one of the unload.  The socket joins the events group
 * before the table is read.
 */
static int resync(struct pg2_monitor *monitor, struct pg2_event *event)
{
	struct pg2_handle *handle = monitor->handle;
	int err;

	err = drain(monitor);
	if (!err)
		err = pg2nl_resolve_family(handle);
	if (err == -ENOPROTOOPT) {
		monitor->unloaded = true;
		monitor->lost = false;
		return pg2nl_fail(handle, err, module_unloaded);
	}
	if (!err)
		err = join(monitor, handle->events_group,
			   "cannot subscribe to pg2 events");
	if (!err)
		err = pg2_monitor_snapshot(monitor, &monitor->resync);
	if (err)
		return err;
	monitor->unloaded = false;
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
	for (;;) {
		/* A failed resync is tried again before any further event. */
		if (monitor->lost)
			return resync(monitor, event);
		ret = next_buffered(monitor, event);
		if (ret)
			return ret;
		/* A controller message changed the state: look again. */
		if (monitor->off < monitor->len || monitor->lost)
			continue;
		ret = receive(monitor);
		if (ret == -ENOBUFS) {
			monitor->lost = true;
			continue;
		}
		if (ret < 0)
			return pg2nl_fail(monitor->handle, ret,
					  "cannot receive events: %s",
					  strerror(-ret));
		if (ret)
			continue;
		/* Nothing queued: the module's return would be. */
		if (monitor->unloaded)
			return pg2nl_fail(monitor->handle, -ENOPROTOOPT,
					  module_unloaded);
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
