// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl across an unload and a reload of pg2.ko: handles opened before
 * rmmod say the module is gone, and work again after insmod (the family's
 * new id); monitors report the unload and resynchronise after the reload.
 * Unloads the module, so it runs last (zz_).  Needs $PG2_MODULE, the path
 * of pg2.ko, as selftests/pg2/zz_unload.c does.
 *
 * Linked with -Wl,--wrap=recvmsg: a monitor's next datagram can be lost,
 * as in an overflow of its socket.
 */
#include <poll.h>
#include <time.h>
#include <sys/socket.h>
#include "lib_test.h"
#include "../module_ctl.h"
#include "kselftest_harness.h"

static const char missing[] = "pg2 kernel module not loaded (modprobe pg2)";

/* The next datagram a monitor receives is dropped: ENOBUFS instead. */
static bool lose_next_datagram;

ssize_t __real_recvmsg(int fd, struct msghdr *mh, int flags);

ssize_t __wrap_recvmsg(int fd, struct msghdr *mh, int flags)
{
	ssize_t n = __real_recvmsg(fd, mh, flags);

	if (n > 0 && lose_next_datagram) {
		lose_next_datagram = false;
		errno = ENOBUFS;
		return -1;
	}
	return n;
}

FIXTURE(reload) {
	const char *module;
};

FIXTURE_SETUP(reload)
{
	self->module = getenv("PG2_MODULE");
	if (!self->module)
		SKIP(return, "PG2_MODULE is not set");
	ASSERT_TRUE(module_loaded());
	ASSERT_EQ(0, enter_new_netns());
}

FIXTURE_TEARDOWN(reload)
{
	/* Whatever happened, later suites find pg2 loaded. */
	if (self->module && !module_loaded())
		RUN("/sbin/insmod", (char *)self->module);
}

static void unload(struct __test_metadata *_metadata)
{
	ASSERT_EQ(0, RUN("/sbin/rmmod", "pg2"));
	ASSERT_FALSE(module_loaded());
}

static void load(struct __test_metadata *_metadata,
		 FIXTURE_DATA(reload) *self)
{
	ASSERT_EQ(0, RUN("/sbin/insmod", (char *)self->module));
	ASSERT_TRUE(module_loaded());
}

TEST_F_TIMEOUT(reload, handles_follow_the_module, 120)
{
	struct pg2_handle *used, *idle, *idle_dump;
	struct pg2_group_info *groups;
	uint64_t gen;
	size_t n;

	ASSERT_EQ(0, pg2_open(&used, -1));
	ASSERT_EQ(0, pg2_open(&idle, -1));
	ASSERT_EQ(0, pg2_open(&idle_dump, -1));
	ASSERT_EQ(0, pg2_create(used, "before"));

	unload(_metadata);
	/* Not the genl core's bare ENOENT, "no such group" in disguise. */
	EXPECT_EQ(-ENOPROTOOPT, pg2_generation(used, &gen));
	EXPECT_STREQ(missing, pg2_errmsg(used));
	EXPECT_EQ(-ENOPROTOOPT, pg2_create(used, "while_gone"));
	EXPECT_STREQ(missing, pg2_errmsg(used));
	EXPECT_EQ(-ENOPROTOOPT, pg2_which_groups(used, &groups, &n));
	EXPECT_EQ(NULL, groups);

	load(_metadata, self);
	/* The family has a new id: every handle finds it, once. */
	ASSERT_EQ(0, pg2_generation(idle, &gen)) TH_LOG("%s", pg2_errmsg(idle));
	/* A new module, a new table. */
	EXPECT_EQ(1, gen);
	ASSERT_EQ(0, pg2_which_groups(idle_dump, &groups, &n))
		TH_LOG("%s", pg2_errmsg(idle_dump));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, pg2_create(used, "after")) TH_LOG("%s", pg2_errmsg(used));
	ASSERT_EQ(0, pg2_generation(used, &gen));
	/* The create happened once. */
	EXPECT_EQ(2, gen);
	ASSERT_EQ(0, pg2_which_groups(idle, &groups, &n));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("after", groups[0].name);
	free(groups);
	/* And a real "no such group" is still one. */
	EXPECT_EQ(-ENOENT, pg2_join(idle, "before", 0, NULL, 0));
	EXPECT_NE(NULL, strstr(pg2_errmsg(idle), "no such group"));
	pg2_close(idle_dump);
	pg2_close(idle);
	pg2_close(used);
}

/* Waits up to 5 s for the monitor's fd to be readable. */
static int readable(struct pg2_monitor *mon)
{
	struct pollfd pfd = { .fd = pg2_monitor_fd(mon), .events = POLLIN };

	return poll(&pfd, 1, 5000);
}

TEST_F_TIMEOUT(reload, monitor_reports_unload_and_resyncs, 120)
{
	struct pg2_monitor *mon;
	struct pg2_handle *h;
	struct pg2_table *t;
	struct pg2_event ev;
	time_t start;
	int ret;

	ASSERT_EQ(0, pg2_open(&h, -1));
	ASSERT_EQ(0, pg2_monitor_open(&mon, -1));
	ASSERT_EQ(0, pg2_monitor_snapshot(mon, &t));
	pg2_table_free(t);
	ASSERT_EQ(0, pg2_create(h, "before"));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000));
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);

	unload(_metadata);
	/* The controller's notification wakes a waiting monitor. */
	ASSERT_EQ(1, readable(mon));
	while ((ret = pg2_monitor_next(mon, &ev, 5000)) == 1)
		TH_LOG("event %s before the unload",
		       pg2_event_type_name(ev.type));
	EXPECT_EQ(-ENOPROTOOPT, ret);
	EXPECT_STREQ("pg2 kernel module unloaded (modprobe pg2)",
		     pg2_monitor_errmsg(mon));
	/* Still gone: the same answer, without waiting. */
	start = time(NULL);
	EXPECT_EQ(-ENOPROTOOPT, pg2_monitor_next(mon, &ev, 5000));
	EXPECT_GT(3, time(NULL) - start);

	load(_metadata, self);
	ASSERT_EQ(1, readable(mon));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000))
		TH_LOG("%s", pg2_monitor_errmsg(mon));
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	/* The new module's table, and its events from then on. */
	EXPECT_EQ(0, ev.table->n_groups);
	EXPECT_EQ(1, ev.generation);
	ASSERT_EQ(0, pg2_create(h, "after")) TH_LOG("%s", pg2_errmsg(h));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000))
		TH_LOG("%s", pg2_monitor_errmsg(mon));
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
	EXPECT_EQ(2, ev.generation);
	EXPECT_EQ(0, pg2_monitor_next(mon, &ev, 200));
	pg2_monitor_close(mon);
	pg2_close(h);
}

/*
 * The controller's notice of the reload is lost, as in an overflow of the
 * monitor's socket: the monitor looks pg2 up again by itself and resyncs,
 * instead of saying "unloaded" for ever.
 */
TEST_F_TIMEOUT(reload, monitor_resyncs_when_the_reload_notice_is_lost, 120)
{
	struct pg2_monitor *mon;
	struct pg2_handle *h;
	struct pg2_table *t;
	struct pg2_event ev;
	int ret;

	ASSERT_EQ(0, pg2_monitor_open(&mon, -1));
	ASSERT_EQ(0, pg2_monitor_snapshot(mon, &t));
	pg2_table_free(t);
	unload(_metadata);
	ASSERT_EQ(1, readable(mon));
	while ((ret = pg2_monitor_next(mon, &ev, 5000)) == 1)
		;
	ASSERT_EQ(-ENOPROTOOPT, ret);

	lose_next_datagram = true;
	load(_metadata, self);
	ASSERT_EQ(1, readable(mon));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000))
		TH_LOG("%s", pg2_monitor_errmsg(mon));
	EXPECT_FALSE(lose_next_datagram);
	ASSERT_EQ(PG2_EVENT_RESYNC, ev.type);
	EXPECT_EQ(1, ev.generation);
	ASSERT_EQ(0, pg2_open(&h, -1));
	ASSERT_EQ(0, pg2_create(h, "after")) TH_LOG("%s", pg2_errmsg(h));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000))
		TH_LOG("%s", pg2_monitor_errmsg(mon));
	EXPECT_EQ(PG2_EVENT_GROUP_CREATED, ev.type);
	EXPECT_STREQ("after", ev.group);
	pg2_close(h);
	pg2_monitor_close(mon);
}

TEST_HARNESS_MAIN
