/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately small raw generic netlink client for the tests: it builds
 * the malformed requests libpg2nl refuses to build, reports the kernel's
 * extended ACK verbatim, and listens to the events group without any
 * library filtering in between.
 */
#ifndef PG2_RAWNL_H
#define PG2_RAWNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

#define RAWNL_BUF 16384

struct rawnl {
	int fd;
	uint16_t family;
	uint32_t events_group;
	uint32_t seq;
};

/* What the kernel's NLMSG_ERROR said. */
struct rawnl_ack {
	int error;		/* 0 or -errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when absent */
	int offs;		/* NLMSGERR_ATTR_OFFS, -1 when absent */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 when absent */
};

struct rawnl_msg {
	size_t len;
	union {
		struct nlmsghdr hdr;
		unsigned char buf[RAWNL_BUF];
	};
};

/* Opens a generic netlink socket in the caller's netns bound to "pg2". */
int rawnl_open(struct rawnl *nl);
void rawnl_close(struct rawnl *nl);
/* Subscribes the socket to the events group. */
int rawnl_listen(struct rawnl *nl);

/* A request of this family: NLM_F_REQUEST | NLM_F_ACK | extra_flags. */
void rawnl_msg_init(struct rawnl_msg *m, const struct rawnl *nl, uint8_t cmd,
		    uint16_t extra_flags);
/* Each returns the attribute's offset from the start of the message. */
size_t rawnl_put(struct rawnl_msg *m, uint16_t type, const void *data,
		 size_t len);
size_t rawnl_put_u32(struct rawnl_msg *m, uint16_t type, uint32_t value);
size_t rawnl_put_str(struct rawnl_msg *m, uint16_t type, const char *s);
size_t rawnl_nest_start(struct rawnl_msg *m, uint16_t type);
void rawnl_nest_end(struct rawnl_msg *m, size_t offset);

/*
 * Sends m->len bytes as they are (nlmsg_len included, so a test may lie in
 * it) and waits up to 5 s for the NLMSG_ERROR answering them.  Returns
 * ack->error, or -ETIMEDOUT / -errno of the socket.
 */
int rawnl_transact(struct rawnl *nl, struct rawnl_msg *m,
		   struct rawnl_ack *ack);

/*
 * Receives one message of the family (an event on a listening socket) into
 * buf, waiting up to timeout_ms.  Returns its length, 0 on timeout, or
 * -errno (-ENOBUFS: events were lost).
 */
int rawnl_recv(struct rawnl *nl, void *buf, size_t size, int timeout_ms);

/* Fills tb[0..max] with the attributes of a genl message (NULL: absent). */
int rawnl_parse(const struct nlmsghdr *h, const struct nlattr **tb, int max);

#endif /* PG2_RAWNL_H */
