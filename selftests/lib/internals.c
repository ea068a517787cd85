// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl's internals (host test): the errno of a failed libnl call, the
 * attribute names pg2_errattr() gives, a socket's send buffer.  Links the static library and calls
 * its pg2nl_ functions, which the shared library does not export.
 */
#include <sys/socket.h>
#include <netlink/errno.h>
#include <netlink/socket.h>
#include "../../lib/internal.h"
#include "lib_test.h"
#include "kselftest_harness.h"

TEST(every_attribute_has_its_name)
{
	char want[64];
	int type;

	for (type = 0; type <= PG2_A_MAX; type++) {
		ASSERT_NE(NULL, pg2nl_attr_name(type)) TH_LOG("type %d", type);
		EXPECT_EQ(0, strncmp(pg2nl_attr_name(type), "PG2_A_", 6));
	}
	snprintf(want, sizeof(want), "PG2_A_NSPID");
	EXPECT_STREQ(want, pg2nl_attr_name(PG2_A_NSPID));
	EXPECT_STREQ("PG2_A_NSPIDS", pg2nl_attr_name(PG2_A_NSPIDS));
	EXPECT_EQ(NULL, pg2nl_attr_name(PG2_A_MAX + 1));
	EXPECT_EQ(NULL, pg2nl_attr_name(-1));
}

/* libnl's own verdicts keep their meaning whatever errno holds. */
TEST(libnl_verdicts_map_to_their_errno)
{
	struct pg2_handle h = {};

	EXPECT_EQ(-EPROTO, pg2nl_fail_nl(&h, -NLE_SEQ_MISMATCH, ENOENT, "x"));
	EXPECT_NE(NULL, strstr(h.errmsg, "x: "));
	EXPECT_EQ(-EBADMSG, pg2nl_fail_nl(&h, -NLE_MSG_TRUNC, 0, "x"));
	EXPECT_EQ(-EBADMSG, pg2nl_fail_nl(&h, -NLE_MSG_TRUNC, EINTR, "x"));
	EXPECT_EQ(-ENOBUFS, pg2nl_fail_nl(&h, -NLE_MSG_OVERFLOW, 0, "x"));
}

/* A system call's errno survives libnl's folding of it. */
TEST(system_errno_wins_over_libnl_code)
{
	struct pg2_handle h = {};

	EXPECT_EQ(-EMFILE, pg2nl_fail_nl(&h, -NLE_FAILURE, EMFILE, "open"));
	EXPECT_STREQ("open: Too many open files", h.errmsg);
	EXPECT_EQ(-ENOBUFS, pg2nl_fail_nl(&h, -NLE_NOMEM, ENOBUFS, "send"));
	/* errno lost: libnl's code is all there is. */
	EXPECT_EQ(-ENOMEM, pg2nl_fail_nl(&h, -NLE_NOMEM, 0, "x"));
	EXPECT_EQ(-EPROTO, pg2nl_fail_nl(&h, -NLE_FAILURE, 0, "x"));
}

/* SO_SNDBUF of sock. */
static int send_buffer(struct nl_sock *sock)
{
	socklen_t len = sizeof(int);
	int size = -1;

	getsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_SNDBUF, &size, &len);
	return size;
}

/*
 * A new socket keeps libnl's send buffer: most requests are small, and
 * each request makes the buffer fit it.
 */
TEST(sockets_keep_the_default_send_buffer)
{
	struct nl_sock *sock, *plain = nl_socket_alloc();
	struct pg2_handle h = {};
	int size;

	ASSERT_NE(NULL, plain);
	ASSERT_EQ(0, nl_connect(plain, NETLINK_GENERIC));
	ASSERT_EQ(0, pg2nl_socket_open(&h, &sock, -1)) TH_LOG("%s", h.errmsg);
	h.sock = sock;
	size = send_buffer(sock);
	EXPECT_EQ(send_buffer(plain), size);
	/* Raised when a message needs it (as far as wmem_max lets us). */
	if (!pg2nl_fit_send_buffer(&h, size))
		EXPECT_LT(size, send_buffer(sock));
	nl_socket_free(sock);
	nl_socket_free(plain);
}

TEST_HARNESS_MAIN
