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
	handle->errattr = NULL;
	return err;
}

/*
 * libnl's own verdicts on what it read: no system call failed, so errno
 * says nothing about them.
 */
static int errno_of_libnl_verdict(int nlerr)
{
	switch (nlerr) {
	case NLE_SEQ_MISMATCH:		/* a reply to some other request */
	case NLE_MSGTYPE_NOSUPPORT:
		return EPROTO;
	case NLE_MSG_TRUNC:		/* a reply shorter than its header says */
	case NLE_MSG_TOOSHORT:
		return EBADMSG;
	case NLE_MSG_OVERFLOW:		/* the kernel dropped messages */
		return ENOBUFS;
	case NLE_DUMP_INTR:
		return EINTR;
	default:
		return 0;
	}
}

/* libnl's code for a system call's errno, when errno itself is gone. */
static int errno_of_nlerr(int nlerr)
{
	switch (nlerr) {
	case NLE_NOMEM:
		return ENOMEM;
	case NLE_INTR:
		return EINTR;
	case NLE_AGAIN:
		return EAGAIN;
	case NLE_BAD_SOCK:
		return EBADF;
	case NLE_MSGSIZE:
	case NLE_ATTRSIZE:
		return EMSGSIZE;
	case NLE_PERM:
	case NLE_NOACCESS:
		return EPERM;
	case NLE_INVAL:
		return EINVAL;
	case NLE_OBJ_NOTFOUND:
		return ENOENT;
	case NLE_EXIST:
		return EEXIST;
	case NLE_BUSY:
		return EBUSY;
	case NLE_RANGE:
		return ERANGE;
	case NLE_OPNOTSUPP:
		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:
		return EAFNOSUPPORT;
	case NLE_NOADDR:
		return EADDRNOTAVAIL;
	default:
		return EPROTO;
	}
}

/*
 * A failure inside libnl, not an answer of the kernel.  libnl folds many
 * errnos into one code (EMFILE, ENFILE and others into "Unspecific
 * failure"), so the errno the caller saved right after the call wins when
 * a system call failed.
 */
int pg2nl_fail_nl(struct pg2_handle *handle, int nlerr, int saved_errno,
		  const char *what)
{
	int err;

	nlerr = nlerr < 0 ? -nlerr : nlerr;
	err = errno_of_libnl_verdict(nlerr);
	if (err)
		return pg2nl_fail(handle, -err, "%s: %s", what,
				  nl_geterror(nlerr));
	if (saved_errno > 0)
		return pg2nl_fail(handle, -saved_errno, "%s: %s", what,
				  strerror(saved_errno));
	return pg2nl_fail(handle, -errno_of_nlerr(nlerr), "%s: %s", what,
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

const char *pg2_errattr(const struct pg2_handle *handle)
{
	return handle ? handle->errattr : NULL;
}

#define ATTR_NAME(type) [type] = #type

/* Every PG2_A_*, for pg2_errattr(). */
static const char *const attr_names[] = {
	ATTR_NAME(PG2_A_UNSPEC),
	ATTR_NAME(PG2_A_PAD),
	ATTR_NAME(PG2_A_GROUP_NAME),
	ATTR_NAME(PG2_A_PID),
	ATTR_NAME(PG2_A_NODE_ID),
	ATTR_NAME(PG2_A_COUNT),
	ATTR_NAME(PG2_A_DATA),
	ATTR_NAME(PG2_A_GENERATION),
	ATTR_NAME(PG2_A_REASON),
	ATTR_NAME(PG2_A_LOCAL_ONLY),
	ATTR_NAME(PG2_A_MEMBER_COUNT),
	ATTR_NAME(PG2_A_LOCAL_MEMBER_COUNT),
	ATTR_NAME(PG2_A_CREATOR_UID),
	ATTR_NAME(PG2_A_MEMBERS),
	ATTR_NAME(PG2_A_MEMBER),
	ATTR_NAME(PG2_A_NSPIDS),
	ATTR_NAME(PG2_A_NSPID),
};

/* A new attribute at the end of enum pg2_attr must be named above too. */
_Static_assert(sizeof(attr_names) / sizeof(attr_names[0]) == PG2_A_MAX + 1,
	       "attr_names lacks a PG2_A_* attribute");

const char *pg2nl_attr_name(int type)
{
	return type >= 0 && type <= PG2_A_MAX ? attr_names[type] : NULL;
}

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
			return pg2nl_attr_name(nla_type(attr));
	}
	return NULL;
}

/*
 * Records err as the answer to the request in flight, with the extended
 * ACK message and the rejected attribute found in the len bytes of
 * attributes at tlvs, if any.  The message is the kernel's as it is, the
 * same whatever the request, its attribute apart (pg2_errattr()): a dump's
 * NLMSG_DONE carries no attribute offset, a do request's error may.
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
		reply->explained = true;
	}
	if (tb[NLMSGERR_ATTR_OFFS] && reply->msg_type != GENL_ID_CTRL)
		attr = rejected_attr(reply->request,
				     nla_get_u32(tb[NLMSGERR_ATTR_OFFS]));
	pg2nl_fail(handle, err, "%.*s", msg_len, msg);
	handle->errattr = attr;
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

/*
 * Only replies to the request in flight count.  A request that failed
 * half-way through its reply (a receive error, an allocation failure)
 * leaves the rest of that reply queued: it is skipped here, so the handle
 * stays usable, instead of being taken for the next request's reply.
 */
static int on_seq_check(struct nl_msg *msg, void *arg)
{
	struct pg2_handle *handle = arg;

	if (!handle->reply ||
	    nlmsg_hdr(msg)->nlmsg_seq != handle->reply->seq)
		return NL_SKIP;
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
	nl_cb_set(handle->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, on_seq_check,
		  handle);
	return 0;
}
