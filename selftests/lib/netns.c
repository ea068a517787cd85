// SPDX-License-Identifier: GPL-2.0
/* libpg2nl handles and monitors in other network namespaces. */
#include <sys/stat.h>
#include "lib_test.h"
#include "kselftest_harness.h"

static ino_t netns_inode(void)
{
	struct stat st;

	if (stat("/proc/thread-self/ns/net", &st))
		return 0;
	return st.st_ino;
}

static bool has_group(struct pg2_handle *h, const char *name)
{
	struct pg2_group_info info;

	return pg2_group_info(h, name, &info) == 0;
}

FIXTURE(netns) {
	int home_fd, other_fd;
	ino_t home;
	struct pg2_handle *here;
	char name[64];
};

/* Makes "other", a second netns, and comes back home. */
FIXTURE_SETUP(netns)
{
	self->name[0] = '\0';
	ASSERT_EQ(0, enter_new_netns());
	self->home = netns_inode();
	self->home_fd = open("/proc/thread-self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->home_fd);
	ASSERT_EQ(0, enter_new_netns());
	self->other_fd = open("/proc/thread-self/ns/net", O_RDONLY);
	ASSERT_LE(0, self->other_fd);
	ASSERT_EQ(0, setns(self->home_fd, CLONE_NEWNET));
	ASSERT_EQ(0, pg2_open(&self->here, -1));
}

FIXTURE_TEARDOWN(netns)
{
	char cmd[128];

	pg2_close(self->here);
	close(self->home_fd);
	close(self->other_fd);
	if (self->name[0]) {
		snprintf(cmd, sizeof(cmd), "ip netns del %s", self->name);
		system(cmd);
	}
}

TEST_F(netns, handle_by_fd_sees_that_netns_only)
{
	struct pg2_handle *there;

	ASSERT_EQ(0, pg2_open(&there, self->other_fd));
	/* The thread is back home at once. */
	EXPECT_EQ(self->home, netns_inode());
	ASSERT_EQ(0, pg2_create(there, "there"));
	ASSERT_EQ(0, pg2_create(self->here, "here"));
	EXPECT_TRUE(has_group(there, "there"));
	EXPECT_FALSE(has_group(there, "here"));
	EXPECT_TRUE(has_group(self->here, "here"));
	EXPECT_FALSE(has_group(self->here, "there"));
	pg2_close(there);
}

TEST_F(netns, handle_by_name)
{
	struct pg2_handle *there, *again;
	char cmd[128];
	int fd;

	snprintf(self->name, sizeof(self->name), "pg2-lib-%d", getpid());
	snprintf(cmd, sizeof(cmd), "ip netns add %s", self->name);
	ASSERT_EQ(0, system(cmd));
	fd = pg2_netns_fd(self->name);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pg2_open(&there, fd));
	close(fd);
	ASSERT_EQ(0, pg2_create(there, "named"));
	EXPECT_FALSE(has_group(self->here, "named"));
	fd = pg2_netns_fd(self->name);
	ASSERT_EQ(0, pg2_open(&again, fd));
	close(fd);
	EXPECT_TRUE(has_group(again, "named"));
	pg2_close(again);
	pg2_close(there);
}

TEST_F(netns, open_with_a_non_netns_fd_fails_cleanly)
{
	struct pg2_handle *h = (struct pg2_handle *)1;
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EINVAL, pg2_open(&h, fd));
	EXPECT_EQ(NULL, h);
	EXPECT_NE(NULL, strstr(pg2_errmsg(NULL), "network namespace"));
	EXPECT_EQ(self->home, netns_inode());
	close(fd);
}

TEST_F(netns, monitor_in_other_netns_sees_its_events_only)
{
	struct pg2_handle *there;
	struct pg2_monitor *mon;
	struct pg2_table *table;
	struct pg2_event ev;

	ASSERT_EQ(0, pg2_monitor_open(&mon, self->other_fd));
	EXPECT_EQ(self->home, netns_inode());
	ASSERT_EQ(0, pg2_monitor_snapshot(mon, &table));
	EXPECT_EQ(0, table->n_groups);
	pg2_table_free(table);
	ASSERT_EQ(0, pg2_open(&there, self->other_fd));
	ASSERT_EQ(0, pg2_create(self->here, "here"));
	ASSERT_EQ(0, pg2_create(there, "there"));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000));
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("there", ev.group);
	EXPECT_EQ(0, pg2_monitor_next(mon, &ev, 200));
	pg2_close(there);
	pg2_monitor_close(mon);
}

TEST_HARNESS_MAIN
