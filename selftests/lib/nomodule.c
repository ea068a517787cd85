// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl without pg2.ko (host test): opening fails with ENOPROTOOPT and
 * the message that tells what to do; the calls that need no kernel work.
 */
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

TEST(netns_fd_checks_names)
{
	EXPECT_EQ(-ENOENT, pg2_netns_fd("pg2-lib-no-such-netns"));
	EXPECT_EQ(-EINVAL, pg2_netns_fd("../etc"));
	EXPECT_EQ(-EINVAL, pg2_netns_fd("."));
	EXPECT_EQ(-EINVAL, pg2_netns_fd(""));
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
