/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libpg2nl internals shared by the library's files.  Internal symbols are
 * prefixed pg2nl_ and are not exported from the shared library.
 */
#ifndef PG2NL_INTERNAL_H
#define PG2NL_INTERNAL_H

#include <stdarg.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

#include "pg2nl.h"

#define PG2NL_ERRMSG_MAX	512
/* Receive buffer asked for on every socket: dumps of large groups and event
 * bursts arrive faster than one skb at a time.
 */
#define PG2NL_RCVBUF		(4 << 20)
/* Dumps interrupted this many times in a row give -EAGAIN. */
#define PG2NL_DUMP_ATTEMPTS	8

/* Called for every reply message of the expected netlink type. */
typedef int (*pg2nl_record_fn)(struct nl_msg *msg, void *arg);

/* The state of the one request in flight on a handle. */
struct pg2nl_reply {
	struct nl_msg *request;
	uint32_t seq;		/* the request's sequence number */
	int msg_type;		/* netlink type of expected replies */
	pg2nl_record_fn record;
	void *arg;
	int error;		/* the kernel's errno, or the first record's */
	bool done;		/* the ACK, error or NLMSG_DONE arrived */
	bool explained;		/* the error came with an extack message */
	bool interrupted;	/* a dump message carried NLM_F_DUMP_INTR */
};

struct pg2_handle {
	struct nl_sock *sock;
	struct nl_cb *cb;
	int family;
	uint32_t events_group;
	struct pg2nl_reply *reply;
	/*
	 * A request whose reply was cut short by a receive error: the rest
	 * is read and dropped before the next request (a dump still running
	 * in the kernel would make the next one fail with EBUSY).
	 */
	bool abandoned;
	/* The send buffer as last read: most requests need no syscall more. */
	size_t sndbuf;
	char errmsg[PG2NL_ERRMSG_MAX];
	const char *errattr;	/* for pg2_errattr(); static, or NULL */
};

/* error.c */
int pg2nl_fail(struct pg2_handle *handle, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * A libnl call failed with nlerr; saved_errno is errno read right after
 * it (0 beforehand), the system call's errno when one failed.
 */
int pg2nl_fail_nl(struct pg2_handle *handle, int nlerr, int saved_errno,
		  const char *what);
/* "PG2_A_PID" for PG2_A_PID; NULL past PG2_A_MAX.  Static strings. */
const char *pg2nl_attr_name(int type);
int pg2nl_install_callbacks(struct pg2_handle *handle);
void pg2nl_set_open_error(const char *msg);

/* handle.c */
int pg2nl_socket_open(struct pg2_handle *handle, struct nl_sock **sock,
		      int netns_fd);
/*
 * Makes the handle's send buffer take a message of len bytes (as the
 * relay, SO_SNDBUFFORCE past net.core.wmem_max); -EMSGSIZE when it cannot.
 */
int pg2nl_fit_send_buffer(struct pg2_handle *handle, size_t len);
/*
 * Asks genl's controller for family name's id and the id of its multicast
 * group called group; -ENOENT when no such family is registered.
 */
int pg2nl_lookup_family(struct pg2_handle *handle, const char *name,
			const char *group, int *family, uint32_t *group_id);
/*
 * Looks pg2 up again into handle->family and ->events_group: -ENOPROTOOPT
 * when the module is not loaded (the lookup loads it when installed).
 */
int pg2nl_resolve_family(struct pg2_handle *handle);

/* request.c */
/*
 * A request with room for attrs_len bytes of attributes, the sum of their
 * nla_total_size(): sized to what the caller gave, so that the kernel, the
 * one judge of names and data, sees them whatever their length.
 */
struct nl_msg *pg2nl_msg_new(struct pg2_handle *handle, uint8_t cmd,
			     int flags, size_t attrs_len);
/*
 * The room name takes as an attribute, its NUL included (0 for NULL); of
 * a name too long for any attribute, less: pg2nl_put_group() refuses it.
 */
size_t pg2nl_name_size(const char *name);
int pg2nl_put_group(struct pg2_handle *handle, struct nl_msg *msg,
		    const char *group);
/*
 * Sends msg and hands every reply of type msg_type to record until the
 * kernel's ACK, error or NLMSG_DONE.  Returns 0 or -errno, the message in
 * handle->errmsg; *interrupted (if not NULL) tells of NLM_F_DUMP_INTR.
 */
int pg2nl_exchange(struct pg2_handle *handle, struct nl_msg *msg,
		   int msg_type, pg2nl_record_fn record, void *arg,
		   bool *interrupted);
int pg2nl_oom(struct pg2_handle *handle);
int pg2nl_too_large(struct pg2_handle *handle);

/* dump.c */
typedef void (*pg2nl_reset_fn)(void *arg);
int pg2nl_dump(struct pg2_handle *handle, struct nl_msg *msg,
	       pg2nl_record_fn record, pg2nl_reset_fn reset, void *arg);

/* record.c */
int pg2nl_parse(struct nlmsghdr *hdr, struct nlattr **tb);
int pg2nl_parse_member(struct nlattr **tb, struct pg2_member *member);
int pg2nl_parse_group(struct nlattr **tb, struct pg2_group_info *info);
int pg2nl_parse_name(struct nlattr **tb, char *name);
int pg2nl_parse_generation(struct nlattr **tb, uint64_t *generation);
/*
 * The pid that pid namespace pidns (its inode number) sees in an event's
 * PG2_A_NSPIDS: 1 with *pid, 0 when the member is not visible there.
 */
int pg2nl_parse_nspid(struct nlattr *nspids, uint32_t pidns, uint32_t *pid);
/*
 * A record of kind cmd into out: a uint64_t for PG2_CMD_GENERATION, a
 * struct pg2_group_info for PG2_CMD_GROUP_GET, a struct pg2_member for
 * PG2_CMD_MEMBER_GET; -EPROTO for any other kind.
 */
int pg2nl_parse_record(int cmd, struct nlattr **tb, void *out);

#endif /* PG2NL_INTERNAL_H */
