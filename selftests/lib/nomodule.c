// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl without pg2.ko (host test): opening fails with ENOPROTOOPT and
 * the message that tells what to do; the calls that need no kernel work.
 */
#include <signal.h>
#include <sys/resource.h>
#include "lib_test.h"
#include "kselftest_harness.h"

static const char missing[] = "pg2 kernel module not loaded (modprobe pg2)";

TEST(open_says_module_not_loaded)
{
	struct pg2_handle *h = (struct pg2_handle *)1;

	ASSERT_EQ(-ENOPROTOOPT, pg2_open(&h, -1));
	EXPECT_EQ(NULL, h);
	EXPECT_STREQ(missing, pg2_errmsg(NULL));
}

TEST(monitor_open_says_module_not_loaded)
{
	struct pg2_monitor *m = (struct pg2_monitor *)1;

	ASSERT_EQ(-ENOPROTOOPT, pg2_monitor_open(&m, -1));
	EXPECT_EQ(NULL, m);
	EXPECT_STREQ(missing, pg2_monitor_errmsg(NULL));
}

/*
 * Linked with -Wl,--wrap=setns.  When faking, the first setns() (into the
 * handle's netns) pretends to succeed and the second (back home) fails.
 */
static bool fake_setns;
static int setns_calls;

int __real_setns(int fd, int nstype);

int __wrap_setns(int fd, int nstype)
{
	if (!fake_setns)
		return __real_setns(fd, nstype);
	if (++setns_calls == 1)
		return 0;
	errno = ENOMEM;
	return -1;
}

/*
 * A thread that cannot return to its netns must not go on in another.
 * In a child: the harness takes SIGABRT for a failed assertion.
 */
TEST(failed_return_from_netns_aborts)
{
	const struct rlimit no_core = {};
	int status;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		struct pg2_handle *h;

		setrlimit(RLIMIT_CORE, &no_core);
		fake_setns = true;
		pg2_open(&h, 0);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status)) TH_LOG("status %#x", status);
	EXPECT_EQ(SIGABRT, WTERMSIG(status));
}

/* No descriptor left: socket() fails with EMFILE, and so do the opens. */
TEST(open_keeps_the_errno_of_socket)
{
	struct pg2_monitor *m = (struct pg2_monitor *)1;
	struct pg2_handle *h = (struct pg2_handle *)1;
	struct rlimit old, none;
	int lowest = dup(0);

	ASSERT_LE(0, lowest);
	close(lowest);
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
	none = old;
	none.rlim_cur = lowest;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &none));
	EXPECT_EQ(-EMFILE, pg2_open(&h, -1));
	EXPECT_EQ(NULL, h);
	EXPECT_STREQ("cannot open a netlink socket: Too many open files",
		     pg2_errmsg(NULL));
	EXPECT_EQ(-EMFILE, pg2_monitor_open(&m, -1));
	EXPECT_EQ(NULL, m);
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
}

/* Needs no module: here, not in the guest's netns suite. */
TEST(netns_fd_checks_names)
{
	EXPECT_EQ(-ENOENT, pg2_netns_fd("pg2-lib-no-such-netns"));
	EXPECT_EQ(-EINVAL, pg2_netns_fd("../etc"));
	EXPECT_EQ(-EINVAL, pg2_netns_fd("a/b"));
	EXPECT_EQ(-EINVAL, pg2_netns_fd("."));
	EXPECT_EQ(-EINVAL, pg2_netns_fd(".."));
	EXPECT_EQ(-EINVAL, pg2_netns_fd(""));
	EXPECT_EQ(-EINVAL, pg2_netns_fd(NULL));
}

TEST(names_of_reasons_and_events)
{
	EXPECT_STREQ("leave", pg2_reason_name(PG2_REASON_LEAVE));
	EXPECT_STREQ("exit", pg2_reason_name(PG2_REASON_EXIT));
	EXPECT_STREQ("group-deleted",
		     pg2_reason_name(PG2_REASON_GROUP_DELETED));
	EXPECT_STREQ("node-down", pg2_reason_name(PG2_REASON_NODE_DOWN));
	EXPECT_STREQ("unknown", pg2_reason_name(99));
	EXPECT_STREQ("group-created",
		     pg2_event_type_name(PG2_EVENT_GROUP_CREATED));
	EXPECT_STREQ("resync", pg2_event_type_name(PG2_EVENT_RESYNC));
	EXPECT_STREQ("unknown", pg2_event_type_name(99));
}

TEST_HARNESS_MAIN
