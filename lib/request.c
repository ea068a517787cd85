// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Requests: one message out, replies in until the ACK, error or NLMSG_DONE,
 * and the calls that are a single "do" request.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include "internal.h"

int pg2nl_oom(struct pg2_handle *handle)
{
	return pg2nl_fail(handle, -ENOMEM, "%s", strerror(ENOMEM));
}

int pg2nl_too_large(struct pg2_handle *handle)
{
	return pg2nl_fail(handle, -EMSGSIZE,
			  "request does not fit in one netlink message");
}

struct nl_msg *pg2nl_msg_new(struct pg2_handle *handle, uint8_t cmd,
			     int flags, size_t attrs_len)
{
	struct nl_msg *msg;

	msg = nlmsg_alloc_size(NLMSG_HDRLEN + GENL_HDRLEN + attrs_len);
	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, handle->family,
				0, flags, cmd, PG2_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	if (!msg)
		pg2nl_oom(handle);
	return msg;
}

/*
 * The most an attribute carries: its 16-bit length counts its header.
 * libnl does not check that; it would cut a longer one's length short.
 */
#define ATTR_PAYLOAD_MAX	(UINT16_MAX - NLA_HDRLEN)
/* What put_u32() adds. */
#define U32_SIZE		nla_total_size(sizeof(uint32_t))

size_t pg2nl_name_size(const char *name)
{
	return name ? nla_total_size(strnlen(name, ATTR_PAYLOAD_MAX) + 1) : 0;
}

/* As pg2nl_name_size(), for data (none when data_len is 0). */
static size_t data_size(size_t data_len)
{
	if (!data_len)
		return 0;
	return nla_total_size(data_len < ATTR_PAYLOAD_MAX ? data_len :
			      ATTR_PAYLOAD_MAX);
}

/* A group name as attribute type: requests and snapshot entries alike. */
static int put_name(struct pg2_handle *handle, struct nl_msg *msg, int type,
		    const char *group)
{
	if (!group)
		return pg2nl_fail(handle, -EINVAL, "no group name given");
	/* The NUL too: strnlen() reaching the limit is one byte too many. */
	if (strnlen(group, ATTR_PAYLOAD_MAX) == ATTR_PAYLOAD_MAX ||
	    nla_put_string(msg, type, group))
		return pg2nl_too_large(handle);
	return 0;
}

int pg2nl_put_group(struct pg2_handle *handle, struct nl_msg *msg,
		    const char *group)
{
	return put_name(handle, msg, PG2_A_GROUP_NAME, group);
}

/* Reads reply's messages until its end; 0 or the receive's -errno. */
static int receive_reply(struct pg2_handle *handle, struct pg2nl_reply *reply)
{
	int err = 0;

	handle->reply = reply;
	while (!reply->done) {
		errno = 0;
		err = nl_recvmsgs(handle->sock, handle->cb);
		if (err < 0 && !reply->done) {
			err = pg2nl_fail_nl(handle, err, errno, "cannot receive");
			break;
		}
		err = 0;
	}
	handle->reply = NULL;
	return err;
}

/*
 * Drops what is left of a reply a receive error cut short, without waiting
 * for it: the failed receive may have read its end already.  Only that
 * reply can be queued (a handle has one request in flight), and nothing
 * of it can still be on its way: a "do" request's whole reply is queued
 * before sendmsg() returns, and a dump queues its next datagram as the
 * last one queued is read.  So every datagram queued is read and dropped
 * until there is none.
 */
static int drain_abandoned(struct pg2_handle *handle)
{
	int fd = nl_socket_get_fd(handle->sock), err;

	while (handle->abandoned) {
		/* MSG_TRUNC: the datagram's length, its bytes dropped. */
		if (recv(fd, NULL, 0, MSG_DONTWAIT | MSG_TRUNC) >= 0)
			continue;
		err = errno;
		if (err == EINTR)
			continue;
		if (err != EAGAIN && err != EWOULDBLOCK)
			return pg2nl_fail(handle, -err,
					  "cannot receive the rest of an earlier reply: %s",
					  strerror(err));
		handle->abandoned = false;
	}
	return 0;
}

/* One round: msg out, its replies in. */
static int exchange_once(struct pg2_handle *handle, struct pg2nl_reply *reply)
{
	int err = drain_abandoned(handle);

	if (!err)
		err = pg2nl_fit_send_buffer(handle,
					    nlmsg_hdr(reply->request)->nlmsg_len);
	if (err)
		return err;
	errno = 0;
	err = nl_send_auto(handle->sock, reply->request);
	if (err < 0)
		return pg2nl_fail_nl(handle, err, errno, "cannot send");
	/* nl_send_auto() gave the request its sequence number. */
	reply->seq = nlmsg_hdr(reply->request)->nlmsg_seq;
	err = receive_reply(handle, reply);
	if (err) {
		handle->abandoned = true;
		return err;
	}
	return reply->error;
}

int pg2nl_exchange(struct pg2_handle *handle, struct nl_msg *msg,
		   int msg_type, pg2nl_record_fn record, void *arg,
		   bool *interrupted)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	struct pg2nl_reply reply;
	bool retried = false;
	int err;

	for (;;) {
		reply = (struct pg2nl_reply) {
			.request = msg,
			.msg_type = msg_type,
			.record = record,
			.arg = arg,
		};
		err = exchange_once(handle, &reply);
		/*
		 * Every rejection of pg2.ko carries a message; a bare ENOENT
		 * is the genl core's: no family has our id (any more).  The
		 * module was unloaded, maybe loaded again under a new id.
		 * The core rejected the request before any handler ran, so
		 * sending it again under the new id cannot do anything twice.
		 */
		if (err != -ENOENT || reply.explained ||
		    msg_type == GENL_ID_CTRL || retried)
			break;
		err = pg2nl_resolve_family(handle);
		if (err)
			break;
		retried = true;
		hdr->nlmsg_type = msg_type = handle->family;
		hdr->nlmsg_seq = NL_AUTO_SEQ;
	}
	if (interrupted)
		*interrupted = reply.interrupted;
	return err;
}

/* A request answered by the ACK alone; consumes msg. */
static int request_ack(struct pg2_handle *handle, struct nl_msg *msg, int err)
{
	if (!err)
		err = pg2nl_exchange(handle, msg, handle->family, NULL, NULL,
				     NULL);
	nlmsg_free(msg);
	return err;
}

static int group_request(struct pg2_handle *handle, uint8_t cmd,
			 const char *group)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, cmd, 0,
					   pg2nl_name_size(group));

	if (!msg)
		return -ENOMEM;
	return request_ack(handle, msg, pg2nl_put_group(handle, msg, group));
}

int pg2_create(struct pg2_handle *handle, const char *group)
{
	return group_request(handle, PG2_CMD_GROUP_CREATE, group);
}

int pg2_delete(struct pg2_handle *handle, const char *group)
{
	return group_request(handle, PG2_CMD_GROUP_DELETE, group);
}

static int put_data(struct pg2_handle *handle, struct nl_msg *msg, int type,
		    const void *data, size_t data_len)
{
	if (!data_len)
		return 0;
	if (!data)
		return pg2nl_fail(handle, -EINVAL, "member data is NULL");
	if (data_len > ATTR_PAYLOAD_MAX || nla_put(msg, type, data_len, data))
		return pg2nl_too_large(handle);
	return 0;
}

static int put_u32(struct pg2_handle *handle, struct nl_msg *msg, int type,
		   uint32_t value)
{
	return nla_put_u32(msg, type, value) ? pg2nl_too_large(handle) : 0;
}

/*
 * The process of a join or leave: none for 0, the caller.  A negative pid
 * would travel as a large u32 and come back as "no such process".
 */
static int put_pid(struct pg2_handle *handle, struct nl_msg *msg, pid_t pid)
{
	if (pid < 0)
		return pg2nl_fail(handle, -EINVAL, "pid %d is negative",
				  (int)pid);
	return pid ? put_u32(handle, msg, PG2_A_PID, pid) : 0;
}

int pg2_join(struct pg2_handle *handle, const char *group, pid_t pid,
	     const void *data, size_t data_len)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_MEMBER_JOIN, 0,
					   pg2nl_name_size(group) + U32_SIZE +
					   data_size(data_len));
	int err;

	if (!msg)
		return -ENOMEM;
	err = pg2nl_put_group(handle, msg, group);
	if (!err)
		err = put_pid(handle, msg, pid);
	if (!err)
		err = put_data(handle, msg, PG2_A_DATA, data, data_len);
	return request_ack(handle, msg, err);
}

int pg2_leave(struct pg2_handle *handle, const char *group, pid_t pid)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_MEMBER_LEAVE, 0,
					   pg2nl_name_size(group) + U32_SIZE);
	int err;

	if (!msg)
		return -ENOMEM;
	err = pg2nl_put_group(handle, msg, group);
	if (!err)
		err = put_pid(handle, msg, pid);
	return request_ack(handle, msg, err);
}

/* A "do" request answered by one record, of kind cmd, into out. */
struct one_record {
	int cmd;
	void *out;
	bool seen;
};

static int record_one(struct nl_msg *msg, void *arg)
{
	struct one_record *one = arg;
	struct nlattr *tb[PG2_A_MAX + 1];
	int cmd = pg2nl_parse(nlmsg_hdr(msg), tb);

	if (cmd < 0)
		return cmd;
	if (cmd != one->cmd || one->seen)
		return -EPROTO;
	one->seen = true;
	return pg2nl_parse_record(cmd, tb, one->out);
}

/* As request_ack(), for a reply of one record of kind cmd into out. */
static int request_one(struct pg2_handle *handle, struct nl_msg *msg, int err,
		       int cmd, void *out)
{
	struct one_record one = { .cmd = cmd, .out = out };

	if (!err)
		err = pg2nl_exchange(handle, msg, handle->family, record_one,
				     &one, NULL);
	nlmsg_free(msg);
	if (!err && !one.seen)
		err = pg2nl_fail(handle, -EPROTO,
				 "pg2.ko answered without a record");
	return err;
}

int pg2_get_closest_pid(struct pg2_handle *handle, const char *group,
			struct pg2_member *member)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_MEMBER_CLOSEST, 0,
					   pg2nl_name_size(group));

	if (!msg)
		return -ENOMEM;
	return request_one(handle, msg, pg2nl_put_group(handle, msg, group),
			   PG2_CMD_MEMBER_GET, member);
}

int pg2_group_info(struct pg2_handle *handle, const char *group,
		   struct pg2_group_info *info)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_GROUP_GET, 0,
					   pg2nl_name_size(group));

	if (!msg)
		return -ENOMEM;
	/* The record's name is copied without clearing the rest. */
	memset(info, 0, sizeof(*info));
	return request_one(handle, msg, pg2nl_put_group(handle, msg, group),
			   PG2_CMD_GROUP_GET, info);
}

int pg2_generation(struct pg2_handle *handle, uint64_t *generation)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_GENERATION, 0, 0);

	if (!msg)
		return -ENOMEM;
	return request_one(handle, msg, 0, PG2_CMD_GENERATION, generation);
}

int pg2_node_set_id(struct pg2_handle *handle, uint32_t node_id)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_NODE_SET_ID, 0,
					   U32_SIZE);

	if (!msg)
		return -ENOMEM;
	return request_ack(handle, msg,
			   put_u32(handle, msg, PG2_A_NODE_ID, node_id));
}

int pg2_node_drop(struct pg2_handle *handle, uint32_t node_id)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, PG2_CMD_NODE_DROP, 0,
					   U32_SIZE);

	if (!msg)
		return -ENOMEM;
	return request_ack(handle, msg,
			   put_u32(handle, msg, PG2_A_NODE_ID, node_id));
}

/* count 0 sends no PG2_A_COUNT: the kernel's default of 1 applies. */
static int remote_request(struct pg2_handle *handle, uint8_t cmd,
			  const char *group, uint32_t node_id, uint32_t pid,
			  uint32_t count, const void *data, size_t data_len)
{
	struct nl_msg *msg = pg2nl_msg_new(handle, cmd, 0,
					   pg2nl_name_size(group) +
					   3 * U32_SIZE + data_size(data_len));
	int err;

	if (!msg)
		return -ENOMEM;
	err = pg2nl_put_group(handle, msg, group);
	if (!err)
		err = put_u32(handle, msg, PG2_A_NODE_ID, node_id);
	if (!err)
		err = put_u32(handle, msg, PG2_A_PID, pid);
	if (!err && count)
		err = put_u32(handle, msg, PG2_A_COUNT, count);
	if (!err)
		err = put_data(handle, msg, PG2_A_DATA, data, data_len);
	return request_ack(handle, msg, err);
}

int pg2_remote_join(struct pg2_handle *handle, const char *group,
		    uint32_t node_id, uint32_t pid, uint32_t count,
		    const void *data, size_t data_len)
{
	return remote_request(handle, PG2_CMD_REMOTE_JOIN, group, node_id, pid,
			      count, data, data_len);
}

int pg2_remote_leave(struct pg2_handle *handle, const char *group,
		     uint32_t node_id, uint32_t pid, uint32_t count)
{
	return remote_request(handle, PG2_CMD_REMOTE_LEAVE, group, node_id,
			      pid, count, NULL, 0);
}

static int put_snapshot_entry(struct pg2_handle *handle, struct nl_msg *msg,
			      const struct pg2_snapshot_entry *entry)
{
	struct nlattr *nest = nla_nest_start(msg, PG2_A_MEMBER | NLA_F_NESTED);
	int err;

	if (!nest)
		return pg2nl_too_large(handle);
	err = put_name(handle, msg, PG2_MEMBER_A_GROUP_NAME, entry->group);
	if (!err)
		err = put_u32(handle, msg, PG2_MEMBER_A_PID, entry->pid);
	if (!err)
		err = put_u32(handle, msg, PG2_MEMBER_A_COUNT, entry->count);
	if (!err)
		err = put_data(handle, msg, PG2_MEMBER_A_DATA, entry->data,
			       entry->data_len);
	if (!err && nla_nest_end(msg, nest))
		err = pg2nl_too_large(handle);
	return err;
}

/* An attribute's length is 16 bits: a PG2_A_MEMBERS holds at most this. */
#define MEMBERS_NEST_MAX	0xffff

/* What entry takes in its PG2_A_MEMBERS (when it can be sent at all). */
static size_t entry_size(const struct pg2_snapshot_entry *entry)
{
	return nla_total_size(pg2nl_name_size(entry->group) + 2 * U32_SIZE +
			      data_size(entry->data_len));
}

/*
 * The entries go into PG2_A_MEMBERS nests in order, a new nest whenever
 * the next entry would take the current one past 64 KiB.  Sizing and
 * building walk them by this one rule.
 */
static bool new_nest(size_t *nest_len, size_t entry_len)
{
	bool full = *nest_len + entry_len > MEMBERS_NEST_MAX;

	if (full)
		*nest_len = NLA_HDRLEN;
	*nest_len += entry_len;
	return full;
}

/* The message's attributes: node id, nests and entries. */
static size_t snapshot_size(const struct pg2_snapshot_entry *entries,
			    size_t count)
{
	size_t size = U32_SIZE + NLA_HDRLEN;
	size_t nest_len = NLA_HDRLEN, i, len;

	for (i = 0; i < count; i++) {
		len = entry_size(&entries[i]);
		size += len + (new_nest(&nest_len, len) ? NLA_HDRLEN : 0);
	}
	return size;
}

static int put_snapshot(struct pg2_handle *handle, struct nl_msg *msg,
			const struct pg2_snapshot_entry *entries, size_t count)
{
	/* The kernel wants a PG2_A_MEMBERS even for an empty snapshot. */
	struct nlattr *members = nla_nest_start(msg, PG2_A_MEMBERS |
						NLA_F_NESTED);
	size_t nest_len = NLA_HDRLEN, i;
	int err = 0;

	if (!members)
		return pg2nl_too_large(handle);
	for (i = 0; !err && i < count; i++) {
		if (new_nest(&nest_len, entry_size(&entries[i]))) {
			if (nla_nest_end(msg, members))
				return pg2nl_too_large(handle);
			members = nla_nest_start(msg, PG2_A_MEMBERS |
						 NLA_F_NESTED);
			if (!members)
				return pg2nl_too_large(handle);
		}
		err = put_snapshot_entry(handle, msg, &entries[i]);
	}
	if (!err && nla_nest_end_keep_empty(msg, members))
		err = pg2nl_too_large(handle);
	return err;
}

int pg2_node_replace(struct pg2_handle *handle, uint32_t node_id,
		     const struct pg2_snapshot_entry *entries, size_t count)
{
	size_t size = snapshot_size(entries, count);
	struct nl_msg *msg;
	int err;

	/* nlmsg_len is 32 bits, and the send buffer an int. */
	if (size > INT_MAX / 2)
		return pg2nl_fail(handle, -EMSGSIZE,
				  "node snapshot of %zu members takes %zu bytes: too large for one message",
				  count, size);
	msg = pg2nl_msg_new(handle, PG2_CMD_NODE_REPLACE, 0, size);
	if (!msg)
		return -ENOMEM;
	err = put_u32(handle, msg, PG2_A_NODE_ID, node_id);
	if (!err)
		err = put_snapshot(handle, msg, entries, count);
	return request_ack(handle, msg, err);
}
