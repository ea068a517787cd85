/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A deliberately small raw generic netlink client for the tests: it builds
 * the malformed requests libpg2nl refuses to build, reports the kernel's
 * extended ACK verbatim, reads dumps message by message, and listens to the
 * events group without any library filtering in between.
 */
#ifndef PG2_RAWNL_H
#define PG2_RAWNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/pg2.h>

/* Receive buffer of one event. */
#define RAWNL_BUF 16384
/* Largest request: room for several full 64 KiB PG2_A_MEMBERS nests. */
#define RAWNL_MSG_MAX (256 << 10)

struct rawnl {
	int fd;
	uint16_t family;
	uint32_t events_group;
	uint32_t seq;
};

/* What the kernel's NLMSG_ERROR (or a failed dump's NLMSG_DONE) said. */
struct rawnl_ack {
	int error;		/* 0 or -errno */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" when absent */
	int offs;		/* NLMSGERR_ATTR_OFFS, -1 when absent */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 when absent */
	int miss_nest;		/* NLMSGERR_ATTR_MISS_NEST, -1 when absent */
	uint16_t flags;		/* nlmsg_flags of that message */
};

struct rawnl_msg {
	size_t len;
	union {
		struct nlmsghdr hdr;
		unsigned char buf[RAWNL_MSG_MAX];
	};
};

/* Every message of one dump reply, as received. */
struct rawnl_dump {
	unsigned char *buf;	/* the messages, NLMSG_DONE excluded */
	size_t len;
	int messages;
	uint16_t flags;		/* every message's nlmsg_flags, or'ed */
	struct rawnl_ack done;	/* the NLMSG_DONE (or NLMSG_ERROR) ending it */
};

/*
 * Opens a generic netlink socket in the caller's netns (or in netns_fd)
 * bound to "pg2", with large buffers when the caller may have them.
 */
int rawnl_open(struct rawnl *nl);
int rawnl_open_in(struct rawnl *nl, int netns_fd);
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

/* Sends m->len bytes as they are, with the next sequence number. */
int rawnl_send(struct rawnl *nl, struct rawnl_msg *m);

/*
 * Sends m->len bytes as they are (nlmsg_len included, so a test may lie in
 * it) and waits up to 5 s for the NLMSG_ERROR answering them.  Returns
 * ack->error, or -ETIMEDOUT / -errno of the socket.
 */
int rawnl_transact(struct rawnl *nl, struct rawnl_msg *m,
		   struct rawnl_ack *ack);

/*
 * Sends a dump request and collects its whole reply.  In d->buf every
 * message has its nlmsg_seq and nlmsg_pid zeroed, so that two dumps of the
 * same table compare equal byte for byte.  Returns d->done.error, or
 * -errno of the socket; free d with rawnl_dump_free().
 */
int rawnl_dump(struct rawnl *nl, struct rawnl_msg *m, struct rawnl_dump *d);
/* The same for a dump of cmd without attributes. */
int rawnl_dump_cmd(struct rawnl *nl, uint8_t cmd, struct rawnl_dump *d);
void rawnl_dump_free(struct rawnl_dump *d);

/*
 * Receives one datagram of the family (an event on a listening socket, or
 * part of a dump) into buf, waiting up to timeout_ms.  Returns its length,
 * 0 on timeout, or -errno (-ENOBUFS: events were lost).
 */
int rawnl_recv(struct rawnl *nl, void *buf, size_t size, int timeout_ms);

/* One event as the wire carried it. */
struct rawnl_event {
	int cmd;
	char group[PG2_NAME_MAX + 1];
	uint32_t node_id, pid, count, creator_uid;
	bool has_creator_uid;
	bool has_data;
	uint16_t data_len;
	unsigned char data[PG2_DATA_MAX];
	int reason;		/* -1: absent */
	uint64_t generation;
	int n_nspids;		/* -1: no PG2_A_NSPIDS */
	struct {
		uint32_t ns, pid;
	} nspids[8];
};

/*
 * Receives the next event of a listening socket: 1, 0 on timeout, or
 * -errno (-EPROTO: not one well-formed event per datagram).
 */
int rawnl_next_event(struct rawnl *nl, struct rawnl_event *ev,
		     int timeout_ms);

/* Fills tb[0..max] with the attributes of a genl message (NULL: absent). */
int rawnl_parse(const struct nlmsghdr *h, const struct nlattr **tb, int max);
/* The same for the attributes nested in nest. */
int rawnl_parse_nested(const struct nlattr *nest, const struct nlattr **tb,
		       int max);
/* The genl command of a message. */
uint8_t rawnl_cmd(const struct nlmsghdr *h);

static inline const void *rawnl_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static inline size_t rawnl_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

static inline uint32_t rawnl_u32(const struct nlattr *a)
{
	return a ? *(const uint32_t *)rawnl_data(a) : 0;
}

#endif /* PG2_RAWNL_H */
