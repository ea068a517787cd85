/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Deterministically interrupted dumps, for tests linked with
 * -Wl,--wrap=nl_send_auto: the wrapper counts the dump requests the
 * library sends and, when asked, has a changer process alter the table
 * right after a dump started, so that the kernel flags it NLM_F_DUMP_INTR
 * and the library sends it again.  The changer toggles its membership of
 * the group changer_group ("churn" unless the test says otherwise), which
 * must exist: a member dump is interrupted by a change of its own group
 * only.  One per test program.
 */
#ifndef PG2_LIB_INTERRUPT_H
#define PG2_LIB_INTERRUPT_H

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include "lib_test.h"

/* Dump requests sent so far. */
static int dump_requests;
/* Interrupt this many dumps, by the changer, right after their request. */
static int dumps_to_interrupt;
static int changer_go = -1, changer_done = -1;
static const char *changer_group = "churn";

int __real_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg);

int __wrap_nl_send_auto(struct nl_sock *sk, struct nl_msg *msg)
{
	int ret = __real_nl_send_auto(sk, msg);
	char c = 0;

	if (ret < 0 || !(nlmsg_hdr(msg)->nlmsg_flags & NLM_F_DUMP))
		return ret;
	dump_requests++;
	/* The kernel has sent the dump's first message by now. */
	if (dumps_to_interrupt > 0) {
		dumps_to_interrupt--;
		if (write(changer_go, &c, 1) != 1 ||
		    read(changer_done, &c, 1) != 1)
			abort();
	}
	return ret;
}

/* A process that toggles its membership of "churn" once per byte read. */
static pid_t start_changer(void)
{
	int go[2], done[2];
	pid_t pid;

	if (pipe(go) || pipe(done))
		return -1;
	pid = fork();
	if (!pid) {
		struct pg2_handle *h;
		bool in = false;
		char c;

		close(go[1]);
		close(done[0]);
		if (pg2_open(&h, -1))
			_exit(2);
		while (read(go[0], &c, 1) == 1) {
			int err = in ? pg2_leave(h, changer_group, 0) :
				       pg2_join(h, changer_group, 0, NULL,
						0);

			in = !in;
			if (err || write(done[1], &c, 1) != 1)
				_exit(1);
		}
		pg2_close(h);
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	changer_go = go[1];
	changer_done = done[0];
	return pid;
}

static inline void stop_changer(pid_t changer)
{
	if (changer <= 0)
		return;
	close(changer_go);
	close(changer_done);
	waitpid(changer, NULL, 0);
}

#endif /* PG2_LIB_INTERRUPT_H */
