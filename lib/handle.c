// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Handles: a generic netlink socket in a chosen network namespace, bound to
 * the pg2 family.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/socket.h>

#include "internal.h"

static const char module_missing[] =
	"pg2 kernel module not loaded (modprobe pg2)";

/* Privileged callers get the full size; others get what rmem_max allows. */
static void raise_buffer(int fd, int force_opt, int opt, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, force_opt, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, opt, &bytes, sizeof(bytes));
}

/* Reads the send buffer into handle->sndbuf, 0 when it cannot. */
static void read_send_buffer(struct pg2_handle *handle, int fd)
{
	int sndbuf = 0;
	socklen_t optlen = sizeof(sndbuf);

	if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, &optlen))
		sndbuf = 0;
	handle->sndbuf = sndbuf;
}

int pg2nl_fit_send_buffer(struct pg2_handle *handle, size_t len)
{
	int fd = nl_socket_get_fd(handle->sock);
	/* netlink_sendmsg() wants len <= sk_sndbuf - 32. */
	size_t need = len + 32;

	if (handle->sndbuf >= need)
		return 0;
	read_send_buffer(handle, fd);
	if (handle->sndbuf >= need)
		return 0;
	/* The kernel doubles what it is given. */
	raise_buffer(fd, SO_SNDBUFFORCE, SO_SNDBUF, need / 2 + 1);
	read_send_buffer(handle, fd);
	if (handle->sndbuf >= need)
		return 0;
	return pg2nl_fail(handle, -EMSGSIZE,
			  "message of %zu bytes exceeds the send buffer of %zu bytes (net.core.wmem_max limits it without CAP_NET_ADMIN)",
			  len, handle->sndbuf);
}

static int set_flag(struct pg2_handle *handle, int fd, int opt,
		    const char *name)
{
	int one = 1;

	if (setsockopt(fd, SOL_NETLINK, opt, &one, sizeof(one)))
		return pg2nl_fail(handle, -errno, "cannot set %s: %s", name,
				  strerror(errno));
	return 0;
}

static int connect_socket(struct pg2_handle *handle, struct nl_sock *sock)
{
	int fd, err;

	errno = 0;
	err = nl_connect(sock, NETLINK_GENERIC);
	if (err < 0)
		return pg2nl_fail_nl(handle, err, errno,
				     "cannot open a netlink socket");
	fd = nl_socket_get_fd(sock);
	err = set_flag(handle, fd, NETLINK_EXT_ACK, "NETLINK_EXT_ACK");
	if (!err)
		err = set_flag(handle, fd, NETLINK_CAP_ACK, "NETLINK_CAP_ACK");
	if (err)
		return err;
	raise_buffer(fd, SO_RCVBUFFORCE, SO_RCVBUF, PG2NL_RCVBUF);
	/*
	 * The send buffer keeps libnl's default, 64 KiB, until a request
	 * needs more: a relay's node snapshot, or long names or data, which
	 * go to the kernel as given.  Each request makes it fit
	 * (pg2nl_fit_send_buffer()).  A monitor never sends.
	 */
	nl_socket_enable_msg_peek(sock);
	return 0;
}

/*
 * A netlink socket belongs to the network namespace of the thread that
 * creates it, so the thread visits netns_fd for the socket() call only.
 */
static int connect_in_netns(struct pg2_handle *handle, struct nl_sock *sock,
			    int netns_fd)
{
	int home, err;

	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return pg2nl_fail(handle, -errno,
				  "cannot open this thread's netns: %s",
				  strerror(errno));
	if (setns(netns_fd, CLONE_NEWNET)) {
		err = pg2nl_fail(handle, -errno,
				 "cannot enter the network namespace: %s",
				 strerror(errno));
		close(home);
		return err;
	}
	err = connect_socket(handle, sock);
	/*
	 * A thread that cannot go home would go on in the wrong netns: every
	 * socket it opens later, and so every route, address and interface
	 * it sees, would be another namespace's, silently.  No error return
	 * undoes that, and the caller cannot repair it either (it has no fd
	 * of its own netns).  Going back to a netns left a moment ago only
	 * fails when the kernel is out of memory or something is badly
	 * wrong: stop here.
	 */
	if (setns(home, CLONE_NEWNET))
		abort();
	close(home);
	return err;
}

int pg2nl_socket_open(struct pg2_handle *handle, struct nl_sock **sock,
		      int netns_fd)
{
	int err;

	*sock = nl_socket_alloc();
	if (!*sock)
		return pg2nl_oom(handle);
	if (netns_fd < 0)
		err = connect_socket(handle, *sock);
	else
		err = connect_in_netns(handle, *sock, netns_fd);
	if (err) {
		nl_socket_free(*sock);
		*sock = NULL;
	}
	return err;
}

struct family_lookup {
	const char *group;
	int family;
	uint32_t group_id;
};

static int group_id_of(struct nlattr *groups, const char *name, uint32_t *id)
{
	struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1];
	struct nlattr *group;
	int rem;

	nla_for_each_nested(group, groups, rem) {
		if (nla_parse_nested(tb, CTRL_ATTR_MCAST_GRP_MAX, group, NULL))
			return -EPROTO;
		if (!tb[CTRL_ATTR_MCAST_GRP_NAME] || !tb[CTRL_ATTR_MCAST_GRP_ID])
			return -EPROTO;
		if (!strcmp(nla_get_string(tb[CTRL_ATTR_MCAST_GRP_NAME]), name)) {
			*id = nla_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
			return 0;
		}
	}
	return -EPROTO;
}

static int parse_family(struct nl_msg *msg, void *arg)
{
	struct family_lookup *lookup = arg;
	struct nlattr *tb[CTRL_ATTR_MAX + 1];

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, CTRL_ATTR_MAX, NULL))
		return -EPROTO;
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_MCAST_GROUPS])
		return -EPROTO;
	lookup->family = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	return group_id_of(tb[CTRL_ATTR_MCAST_GROUPS], lookup->group,
			   &lookup->group_id);
}

int pg2nl_lookup_family(struct pg2_handle *handle, const char *name,
			const char *group, int *family, uint32_t *group_id)
{
	struct family_lookup lookup = { .group = group };
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc();
	if (!msg)
		return pg2nl_oom(handle);
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name)) {
		nlmsg_free(msg);
		return pg2nl_oom(handle);
	}
	err = pg2nl_exchange(handle, msg, GENL_ID_CTRL, parse_family, &lookup,
			     NULL);
	nlmsg_free(msg);
	if (!err && !lookup.family)
		err = pg2nl_fail(handle, -EPROTO,
				 "genl controller did not answer for %s", name);
	if (!err) {
		*family = lookup.family;
		*group_id = lookup.group_id;
	}
	return err;
}

int pg2nl_resolve_family(struct pg2_handle *handle)
{
	int err = pg2nl_lookup_family(handle, PG2_GENL_NAME, PG2_MCGRP_EVENTS,
				      &handle->family, &handle->events_group);

	if (err == -ENOENT)
		return pg2nl_fail(handle, -ENOPROTOOPT, module_missing);
	return err;
}

void pg2_close(struct pg2_handle *handle)
{
	if (!handle)
		return;
	nl_socket_free(handle->sock);
	nl_cb_put(handle->cb);
	free(handle);
}

int pg2_open(struct pg2_handle **handlep, int netns_fd)
{
	struct pg2_handle *handle;
	int err;

	*handlep = NULL;
	handle = calloc(1, sizeof(*handle));
	if (!handle) {
		pg2nl_set_open_error(strerror(ENOMEM));
		return -ENOMEM;
	}
	err = pg2nl_install_callbacks(handle);
	if (!err)
		err = pg2nl_socket_open(handle, &handle->sock, netns_fd);
	if (!err)
		err = pg2nl_resolve_family(handle);
	if (err) {
		pg2nl_set_open_error(handle->errmsg);
		pg2_close(handle);
		return err;
	}
	*handlep = handle;
	return 0;
}

int pg2_netns_fd(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -EINVAL;
	if (snprintf(path, sizeof(path), "/run/netns/%s", name) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
