// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Errors: the kernel's exact errno and extended ACK message.
 *
 * libnl's own ACK handling folds errnos together (ESRCH and ENOENT become
 * one code) and drops the extended ACK, so the handle installs its own
 * error, ACK and NLMSG_DONE callbacks and records what the kernel said.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/handlers.h>

#include "internal.h"

/* The message of a failed open, for pg2_errmsg(NULL) in the same thread. */
static __thread char open_errmsg[PG2NL_ERRMSG_MAX];

int pg2nl_fail(struct pg2_handle *handle, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(handle->errmsg, sizeof(handle->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

static int errno_of_nlerr(int nlerr)
{
	switch (-nlerr) {
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_INTR:
		return -EINTR;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_MSGSIZE:
	case NLE_ATTRSIZE:
		return -EMSGSIZE;
	case NLE_PERM:
	case NLE_NOACCESS:
		return -EPERM;
	case NLE_INVAL:
		return -EINVAL;
	default:
		return -EPROTO;
	}
}

/* A failure inside libnl, not an answer of the kernel. */
int pg2nl_fail_nl(struct pg2_handle *handle, int nlerr, const char *what)
{
	return pg2nl_fail(handle, errno_of_nlerr(nlerr), "%s: %s", what,
			  nl_geterror(nlerr));
}

void pg2nl_set_open_error(const char *msg)
{
	snprintf(open_errmsg, sizeof(open_errmsg), "%s", msg);
}

const char *pg2_errmsg(const struct pg2_handle *handle)
{
	return handle ? handle->errmsg : open_errmsg;
}

static const char *const attr_names[PG2_A_MAX + 1] = {
	[PG2_A_GROUP_NAME] = "PG2_A_GROUP_NAME",
	[PG2_A_PID] = "PG2_A_PID",
	[PG2_A_NODE_ID] = "PG2_A_NODE_ID",
	[PG2_A_COUNT] = "PG2_A_COUNT",
	[PG2_A_DATA] = "PG2_A_DATA",
	[PG2_A_LOCAL_ONLY] = "PG2_A_LOCAL_ONLY",
	[PG2_A_MEMBERS] = "PG2_A_MEMBERS",
};

/*
 * The request's attribute at offset offs (NLMSGERR_ATTR_OFFS) or the one
 * holding it: the kernel's policy messages do not say which it rejected.
 */
static const char *rejected_attr(struct nl_msg *request, uint32_t offs)
{
	struct nlmsghdr *hdr = nlmsg_hdr(request);
	struct nlattr *attr;
	int rem;

	nlmsg_for_each_attr(attr, hdr, GENL_HDRLEN, rem) {
		uint32_t start = (char *)attr - (char *)hdr;

		if (offs >= start && offs < start + nla_total_size(nla_len(attr)) &&
		    nla_type(attr) <= PG2_A_MAX)
			return attr_names[nla_type(attr)];
	}
	return NULL;
}

/*
 * Records err as the answer to the request in flight, with the extended
 * ACK message found in the len bytes of attributes at tlvs, if any.
 */
static void record_kernel_error(struct pg2_handle *handle, int err,
				struct nlattr *tlvs, int len)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	struct pg2nl_reply *reply = handle->reply;
	const char *attr = NULL;
	const char *msg = strerror(-err);
	int msg_len = strlen(msg);

	reply->done = true;
	if (!err)
		return;
	reply->error = err;
	if (tlvs && nla_parse(tb, NLMSGERR_ATTR_MAX, tlvs, len, NULL))
		memset(tb, 0, sizeof(tb));
	if (tb[NLMSGERR_ATTR_MSG] && nla_len(tb[NLMSGERR_ATTR_MSG]) > 1) {
		msg = nla_data(tb[NLMSGERR_ATTR_MSG]);
		msg_len = strnlen(msg, nla_len(tb[NLMSGERR_ATTR_MSG]));
	}
	if (tb[NLMSGERR_ATTR_OFFS] && reply->msg_type != GENL_ID_CTRL)
		attr = rejected_attr(reply->request,
				     nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	if (attr && !memmem(msg, msg_len, attr, strlen(attr)))
		pg2nl_fail(handle, err, "%.*s (%s)", msg_len, msg, attr);
	else
		pg2nl_fail(handle, err, "%.*s", msg_len, msg);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct pg2_handle *handle = arg;
	/* libnl hands us the payload of the NLMSG_ERROR message. */
	struct nlmsghdr *hdr = (struct nlmsghdr *)((char *)err - NLMSG_HDRLEN);
	int ack_len = sizeof(*err);
	struct nlattr *tlvs = NULL;

	(void)nla;
	if (!(hdr->nlmsg_flags & NLM_F_CAPPED))
		ack_len += err->msg.nlmsg_len - NLMSG_HDRLEN;
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS &&
	    nlmsg_datalen(hdr) > ack_len)
		tlvs = (struct nlattr *)((char *)err + NLMSG_ALIGN(ack_len));
	record_kernel_error(handle, err->error, tlvs,
			    tlvs ? nlmsg_datalen(hdr) - NLMSG_ALIGN(ack_len) : 0);
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	(void)msg;
	record_kernel_error(arg, 0, NULL, 0);
	return NL_STOP;
}

/* A dump's NLMSG_DONE carries the dump's errno, then maybe an extack. */
static int on_done(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *hdr = nlmsg_hdr(msg);
	int err = 0;
	struct nlattr *tlvs = NULL;
	int len = nlmsg_datalen(hdr) - (int)sizeof(err);

	if (len >= 0)
		memcpy(&err, nlmsg_data(hdr), sizeof(err));
	if (hdr->nlmsg_flags & NLM_F_ACK_TLVS && len > 0)
		tlvs = (struct nlattr *)((char *)nlmsg_data(hdr) + sizeof(err));
	record_kernel_error(arg, err < 0 ? err : 0, tlvs, len);
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct pg2_handle *handle = arg;
	struct pg2nl_reply *reply = handle->reply;
	int err;

	if (nlmsg_hdr(msg)->nlmsg_type != reply->msg_type || reply->error)
		return NL_OK;
	err = reply->record(msg, reply->arg);
	if (err == -ENOMEM)
		reply->error = pg2nl_oom(handle);
	else if (err < 0)
		reply->error = pg2nl_fail(handle, err,
					  "malformed reply from pg2.ko: %s",
					  strerror(-err));
	/* On error keep reading: the rest of a dump must leave the socket. */
	return NL_OK;
}

static int on_dump_intr(struct nl_msg *msg, void *arg)
{
	struct pg2_handle *handle = arg;

	(void)msg;
	handle->reply->interrupted = true;
	return NL_OK;
}

int pg2nl_install_callbacks(struct pg2_handle *handle)
{
	handle->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!handle->cb)
		return pg2nl_oom(handle);
	nl_cb_err(handle->cb, NL_CB_CUSTOM, on_error, handle);
	nl_cb_set(handle->cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, handle);
	nl_cb_set(handle->cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, handle);
	nl_cb_set(handle->cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, handle);
	nl_cb_set(handle->cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, on_dump_intr,
		  handle);
	return 0;
}
