// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
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

static int send_msg(struct rawnl *nl, struct rawnl_msg *m)
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
static void parse_ack_tlvs(const struct nlmsghdr *h, struct rawnl_ack *ack)
{
	const struct nlmsgerr *e = NLMSG_DATA(h);
	size_t off, len;
	const struct nlattr *a;
	const void *data;

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

	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	ack->miss_type = -1;
	err = send_msg(nl, m);
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

int rawnl_parse(const struct nlmsghdr *h, const struct nlattr **tb, int max)
{
	size_t off = NLMSG_HDRLEN + GENL_HDRLEN;
	const struct nlattr *a;

	memset(tb, 0, sizeof(*tb) * (max + 1));
	while (off + NLA_HDRLEN <= h->nlmsg_len) {
		a = (const struct nlattr *)((const char *)h + off);
		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > h->nlmsg_len)
			return -EPROTO;
		if ((a->nla_type & NLA_TYPE_MASK) <= max)
			tb[a->nla_type & NLA_TYPE_MASK] = a;
		off += NLA_ALIGN(a->nla_len);
	}
	return 0;
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
	err = send_msg(nl, &m);
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
	err = resolve_family(nl);
	if (!err)
		return 0;
fail:
	close(nl->fd);
	nl->fd = -1;
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
