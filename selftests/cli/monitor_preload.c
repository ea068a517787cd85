// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD=monitor_preload.so for pg2 monitor's tests, on the
 * monitor's receives (libpg2nl's, with MSG_DONTWAIT; libnl's have none):
 *
 * PG2_TEST_ENOBUFS=N: once a datagram was received, the next N receives
 *   fail with ENOBUFS, as when the socket overflows again and again while
 *   the monitor drops what is queued: pg2_monitor_next() then says
 *   -EAGAIN (temporary), and resyncs at the next call.
 * PG2_TEST_NEVER_EMPTY_MS=MS: a receive that finds the queue empty waits
 *   up to MS for the next datagram, as if events kept coming faster than
 *   the monitor reads them: while they come, the queue is never empty.
 */
#include <dlfcn.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <sys/socket.h>

static long env_number(const char *name)
{
	const char *value = getenv(name);

	return value ? atol(value) : 0;
}

ssize_t recvmsg(int fd, struct msghdr *mh, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	static long failures = -1, wait_ms;	/* -1: not read yet */
	static bool received;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))
			dlsym(RTLD_NEXT, "recvmsg");
	if (failures < 0) {
		failures = env_number("PG2_TEST_ENOBUFS");
		wait_ms = env_number("PG2_TEST_NEVER_EMPTY_MS");
	}
	if (!(flags & MSG_DONTWAIT))
		return real(fd, mh, flags);
	if (received && failures > 0) {
		failures--;
		errno = ENOBUFS;
		return -1;
	}
	n = real(fd, mh, flags);
	if (n < 0 && errno == EAGAIN && wait_ms > 0 &&
	    poll(&pfd, 1, wait_ms) == 1)
		n = real(fd, mh, flags);
	received |= n > 0;
	return n;
}
