// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/pg2.h>

#include "rawnl.h"

#define GENL_OFF (NLMSG_HDRLEN + GENL_HDRLEN)

static void msg_start(struct rawnl_msg *m, uint16_t type, uint16_t flags,
		      uint8_t cmd, uint8_t version)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, GENL_OFF);
	m->hdr.nlmsg_type = type;
	m->hdr.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	g = (struct genlmsghdr *)(m->buf + NLMSG_HDRLEN);
	g->cmd = cmd;
	g->version = version;
	m->len = GENL_OFF;
	m->hdr.nlmsg_len = m->len;
}

void rawnl_msg_init(struct rawnl_msg *m, const struct rawnl *nl, uint8_t cmd,
		    uint16_t extra_flags)
{
	msg_start(m, nl->family, extra_flags, cmd, PG2_GENL_VERSION);
}

size_t rawnl_put(struct rawnl_msg *m, uint16_t type, const void *data,
		 size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + m->len);
	size_t offset = m->len;

	if (m->len + NLA_ALIGN(NLA_HDRLEN + len) > sizeof(m->buf))
		return 0;
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memset((char *)a + NLA_HDRLEN, 0, NLA_ALIGN(len));
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
	m->hdr.nlmsg_len = m->len;
	return offset;
}

size_t rawnl_put_u32(struct rawnl_msg *m, uint16_t type, uint32_t value)
{
	return rawnl_put(m, type, &value, sizeof(value));
}

size_t rawnl_put_str(struct rawnl_msg *m, uint16_t type, const char *s)
{
	return rawnl_put(m, type, s, strlen(s) + 1);
}

size_t rawnl_nest_start(struct rawnl_msg *m, uint16_t type)
{
	return rawnl_put(m, type | NLA_F_NESTED, NULL, 0);
}

void rawnl_nest_end(struct rawnl_msg *m, size_t offset)
{
	struct nlattr *a = (struct nlattr *)(m->buf + offset);

	a->nla_len = m->len - offset;
}

int rawnl_send(struct rawnl *nl, struct rawnl_msg *m)
{
	struct sockaddr_nl to = { .nl_family = AF_NETLINK };

	m->hdr.nlmsg_seq = ++nl->seq;
	if (sendto(nl->fd, m->buf, m->len, 0, (struct sockaddr *)&to,
		   sizeof(to)) < 0)
		return -errno;
	return 0;
}

static int wait_readable(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	return n < 0 ? -errno : n;
}

/* The TLVs of an NLMSG_ERROR, or of the NLMSG_DONE ending a failed dump. */
static void ack_init(struct rawnl_ack *ack)
{
	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	ack->miss_type = -1;
	ack->miss_nest = -1;
}

static void parse_ack_tlvs(const struct nlmsghdr *h, struct rawnl_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off, len;
	const struct nlattr *a;
	const void *data;

	ack->flags = h->nlmsg_flags;
	if (h->nlmsg_type == NLMSG_DONE) {
		off = NLMSG_HDRLEN + sizeof(int);
	} else {
		off = NLMSG_HDRLEN + sizeof(*e);
		if (!(h->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	if (!(h->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		a = (const struct nlattr *)((const char *)h + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			break;
		data = (const char *)a + NLA_HDRLEN;
		len = a->nla_len - NLA_HDRLEN;

		switch (a->nla_type) {
		case NLMSGERR_ATTR_MSG:
			if (len >= sizeof(ack->msg))
				len = sizeof(ack->msg) - 1;
			memcpy(ack->msg, data, len);
			ack->msg[len] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			ack->offs = *(const uint32_t *)data;
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			ack->miss_type = *(const uint32_t *)data;
			break;
		case NLMSGERR_ATTR_MISS_NEST:
			ack->miss_nest = *(const uint32_t *)data;
			break;
		}
		off += NLA_ALIGN(a->nla_len);
	}
}

int rawnl_transact(struct rawnl *nl, struct rawnl_msg *m,
		   struct rawnl_ack *ack)
{
	static unsigned char buf[65536];
	const struct nlmsghdr *h;
	int err, n;

	ack_init(ack);
	err = rawnl_send(nl, m);
	if (err)
		return ack->error = err;
	for (;;) {
		err = wait_readable(nl->fd, 5000);
		if (err <= 0)
			return ack->error = err ? err : -ETIMEDOUT;
		n = recv(nl->fd, buf, sizeof(buf), 0);
		if (n < 0)
			return ack->error = -errno;
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			if (h->nlmsg_type != NLMSG_ERROR &&
			    h->nlmsg_type != NLMSG_DONE)
				continue;
			/* Both begin with the error. */
			if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
				ack->error = *(const int *)NLMSG_DATA(h);
			parse_ack_tlvs(h, ack);
			return ack->error;
		}
	}
}

static int parse_attrs(const char *start, size_t len,
		       const struct nlattr **tb, int max)
{
	const struct nlattr *a;
	size_t off = 0;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (off + NLA_HDRLEN <= len) {
		a = (const struct nlattr *)(start + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			return -EPROTO;
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

int rawnl_parse(const struct nlmsghdr *h, const struct nlattr **tb, int max)
{
	if (h->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN)
		return -EPROTO;
	return parse_attrs((const char *)h + GENL_OFF,
			   h->nlmsg_len - GENL_OFF, tb, max);
}

int rawnl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		       int max)
{
	return parse_attrs(rawnl_data(nest), rawnl_len(nest), tb, max);
}

uint8_t rawnl_cmd(const struct nlmsghdr *h)
{
	return ((const struct genlmsghdr *)NLMSG_DATA(h))->cmd;
}

static int parse_nspids(const struct nlattr *nspids, struct rawnl_event *ev)
{
	const struct nlattr *tb[PG2_NSPID_A_MAX + 1], *a;
	size_t off = 0;

	ev->n_nspids = 0;
	while (off + NLA_HDRLEN <= rawnl_len(nspids)) {
		a = (const struct nlattr *)((const char *)rawnl_data(nspids) + off);
		if (a->nla_len < NLA_HDRLEN || (a->nla_type & NLA_TYPE_MASK) !=
		    PG2_A_NSPID || ev->n_nspids == 8 ||
		    rawnl_parse_nested(a, tb, PG2_NSPID_A_MAX) ||
		    !tb[PG2_NSPID_A_NS] || !tb[PG2_NSPID_A_PID])
			return -EPROTO;
		ev->nspids[ev->n_nspids].ns = rawnl_u32(tb[PG2_NSPID_A_NS]);
		ev->nspids[ev->n_nspids].pid = rawnl_u32(tb[PG2_NSPID_A_PID]);
		ev->n_nspids++;
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
}

int rawnl_next_event(struct rawnl *nl, struct rawnl_event *ev,
		     int timeout_ms)
{
	static unsigned char buf[RAWNL_BUF];
	const struct nlattr *tb[PG2_A_MAX + 1], *a;
	const struct nlmsghdr *h = (const void *)buf;
	int n;

	n = rawnl_recv(nl, buf, sizeof(buf), timeout_ms);
	if (n <= 0)
		return n;
	/* Every event is a message of its own. */
	if (!NLMSG_OK(h, (unsigned int)n) || h->nlmsg_len != (unsigned int)n ||
	    h->nlmsg_type != nl->family || rawnl_parse(h, tb, PG2_A_MAX))
		return -EPROTO;
	memset(ev, 0, sizeof(*ev));
	ev->cmd = rawnl_cmd(h);
	a = tb[PG2_A_GROUP_NAME];
	if (a)
		snprintf(ev->group, sizeof(ev->group), "%.*s",
			 (int)rawnl_len(a), (const char *)rawnl_data(a));
	ev->node_id = rawnl_u32(tb[PG2_A_NODE_ID]);
	ev->pid = rawnl_u32(tb[PG2_A_PID]);
	ev->count = rawnl_u32(tb[PG2_A_COUNT]);
	ev->creator_uid = rawnl_u32(tb[PG2_A_CREATOR_UID]);
	ev->has_creator_uid = tb[PG2_A_CREATOR_UID];
	a = tb[PG2_A_DATA];
	if (a) {
		if (rawnl_len(a) > PG2_DATA_MAX)
			return -EPROTO;
		ev->has_data = true;
		ev->data_len = rawnl_len(a);
		memcpy(ev->data, rawnl_data(a), ev->data_len);
	}
	ev->reason = tb[PG2_A_REASON] ?
		*(const uint8_t *)rawnl_data(tb[PG2_A_REASON]) : -1;
	ev->n_nspids = -1;
	if (tb[PG2_A_NSPIDS] && parse_nspids(tb[PG2_A_NSPIDS], ev))
		return -EPROTO;
	if (!tb[PG2_A_GENERATION])
		return -EPROTO;
	memcpy(&ev->generation, rawnl_data(tb[PG2_A_GENERATION]),
	       sizeof(ev->generation));
	return 1;
}

/* Appends one message of a dump to d, its sequence number and port zeroed. */
static int dump_add(struct rawnl_dump *d, const struct nlmsghdr *h)
{
	struct nlmsghdr *copy;
	unsigned char *buf;
	size_t len = NLMSG_ALIGN(h->nlmsg_len);

	buf = realloc(d->buf, d->len + len);
	if (!buf)
		return -ENOMEM;
	d->buf = buf;
	copy = (struct nlmsghdr *)(d->buf + d->len);
	memset(copy, 0, len);
	memcpy(copy, h, h->nlmsg_len);
	copy->nlmsg_seq = 0;
	copy->nlmsg_pid = 0;
	d->len += len;
	d->messages++;
	return 0;
}

int rawnl_dump(struct rawnl *nl, struct rawnl_msg *m, struct rawnl_dump *d)
{
	static unsigned char buf[65536];
	const struct nlmsghdr *h;
	int err, n;

	memset(d, 0, sizeof(*d));
	ack_init(&d->done);
	m->hdr.nlmsg_flags |= NLM_F_DUMP;
	err = rawnl_send(nl, m);
	if (err)
		return d->done.error = err;
	for (;;) {
		n = rawnl_recv(nl, buf, sizeof(buf), 5000);
		if (n <= 0)
			return d->done.error = n ? n : -ETIMEDOUT;
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != nl->seq)
				continue;
			d->flags |= h->nlmsg_flags;
			if (h->nlmsg_type == NLMSG_DONE ||
			    h->nlmsg_type == NLMSG_ERROR) {
				if (h->nlmsg_len >= NLMSG_HDRLEN + sizeof(int))
					d->done.error =
						*(const int *)NLMSG_DATA(h);
				parse_ack_tlvs(h, &d->done);
				return d->done.error;
			}
			err = dump_add(d, h);
			if (err)
				return d->done.error = err;
		}
	}
}

int rawnl_dump_cmd(struct rawnl *nl, uint8_t cmd, struct rawnl_dump *d)
{
	struct rawnl_msg m;

	rawnl_msg_init(&m, nl, cmd, NLM_F_DUMP);
	return rawnl_dump(nl, &m, d);
}

void rawnl_dump_free(struct rawnl_dump *d)
{
	free(d->buf);
	memset(d, 0, sizeof(*d));
}

int rawnl_recv(struct rawnl *nl, void *buf, size_t size, int timeout_ms)
{
	int n = wait_readable(nl->fd, timeout_ms);

	if (n <= 0)
		return n;
	n = recv(nl->fd, buf, size, 0);
	return n < 0 ? -errno : n;
}

static void parse_events_group(const struct nlattr *groups, uint32_t *id)
{
	const struct nlattr *g, *a;
	size_t goff, aoff;
	const char *name;
	uint32_t gid;

	for (goff = NLA_HDRLEN; goff + NLA_HDRLEN <= groups->nla_len;
	     goff += NLA_ALIGN(g->nla_len)) {
		g = (const void *)((const char *)groups + goff);
		if (g->nla_len < NLA_HDRLEN)
			return;
		name = NULL;
		gid = 0;
		for (aoff = NLA_HDRLEN; aoff + NLA_HDRLEN <= g->nla_len;
		     aoff += NLA_ALIGN(a->nla_len)) {
			a = (const void *)((const char *)g + aoff);
			if (a->nla_len < NLA_HDRLEN)
				return;
			if (a->nla_type == CTRL_ATTR_MCAST_GRP_NAME)
				name = (const char *)a + NLA_HDRLEN;
			else if (a->nla_type == CTRL_ATTR_MCAST_GRP_ID)
				gid = *(const uint32_t *)((const char *)a +
							  NLA_HDRLEN);
		}
		if (name && !strcmp(name, PG2_MCGRP_EVENTS))
			*id = gid;
	}
}

static int resolve_family(struct rawnl *nl)
{
	static unsigned char buf[8192];
	const struct nlattr *tb[CTRL_ATTR_MAX + 1];
	struct rawnl_msg m;
	struct nlmsghdr *h;
	int n, err;

	msg_start(&m, GENL_ID_CTRL, 0, CTRL_CMD_GETFAMILY, 1);
	m.hdr.nlmsg_flags &= ~NLM_F_ACK;
	rawnl_put_str(&m, CTRL_ATTR_FAMILY_NAME, PG2_GENL_NAME);
	err = rawnl_send(nl, &m);
	if (err)
		return err;
	err = wait_readable(nl->fd, 5000);
	if (err <= 0)
		return err ? err : -ETIMEDOUT;
	n = recv(nl->fd, buf, sizeof(buf), 0);
	if (n < (int)NLMSG_HDRLEN)
		return n < 0 ? -errno : -EPROTO;
	h = (struct nlmsghdr *)buf;
	if (h->nlmsg_type == NLMSG_ERROR)
		return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
	if (rawnl_parse(h, tb, CTRL_ATTR_MAX) || !tb[CTRL_ATTR_FAMILY_ID])
		return -EPROTO;
	nl->family = *(const uint16_t *)((const char *)tb[CTRL_ATTR_FAMILY_ID] +
					 NLA_HDRLEN);
	if (tb[CTRL_ATTR_MCAST_GROUPS])
		parse_events_group(tb[CTRL_ATTR_MCAST_GROUPS],
				   &nl->events_group);
	return 0;
}

/* As large as the caller may have it: root forces, others get the sysctl cap. */
static void raise_buffer(int fd, int force, int opt, int size)
{
	if (setsockopt(fd, SOL_SOCKET, force, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, opt, &size, sizeof(size));
}

int rawnl_open(struct rawnl *nl)
{
	int one = 1, err;

	memset(nl, 0, sizeof(*nl));
	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		return -errno;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		err = -errno;
		goto fail;
	}
	/* Listeners hold many events; snapshots exceed the default 208 KiB. */
	raise_buffer(nl->fd, SO_RCVBUFFORCE, SO_RCVBUF, 4 << 20);
	raise_buffer(nl->fd, SO_SNDBUFFORCE, SO_SNDBUF, 2 * RAWNL_MSG_MAX);
	err = resolve_family(nl);
	if (!err)
		return 0;
fail:
	close(nl->fd);
	nl->fd = -1;
	return err;
}

int rawnl_open_in(struct rawnl *nl, int netns_fd)
{
	int home, err;

	home = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (home < 0)
		return -errno;
	if (setns(netns_fd, CLONE_NEWNET)) {
		err = -errno;
		close(home);
		return err;
	}
	err = rawnl_open(nl);
	if (setns(home, CLONE_NEWNET) && !err) {
		err = -errno;
		rawnl_close(nl);
	}
	close(home);
	return err;
}

void rawnl_close(struct rawnl *nl)
{
	if (nl->fd >= 0)
		close(nl->fd);
	nl->fd = -1;
}

int rawnl_listen(struct rawnl *nl)
{
	if (!nl->events_group)
		return -ENOENT;
	if (setsockopt(nl->fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
		       &nl->events_group, sizeof(nl->events_group)))
		return -errno;
	return 0;
}
