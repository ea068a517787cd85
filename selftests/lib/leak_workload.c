// SPDX-License-Identifier: GPL-2.0
/*
 * Every libpg2nl call, its failure paths, a dump retried after a change
 * interrupted it, a monitor resync and a monitor in another netns, in a
 * private netns: run under valgrind by valgrind.sh.  Exits 0 when every
 * result was as expected.  Linked with -Wl,--wrap=nl_send_auto for the
 * interrupted dump (interrupt.h).
 */
#include <sys/socket.h>
#include "lib_test.h"
#include "interrupt.h"

static int failures;

#define CHECK(expr) do { \
	if (!(expr)) { \
		fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, \
			#expr); \
		failures++; \
	} \
} while (0)

static void calls(struct pg2_handle *h)
{
	const struct pg2_snapshot_entry snap[] = {
		{ .group = "a", .pid = 5, .count = 2, .data = "s", .data_len = 1 },
	};
	struct pg2_group_info *groups, info;
	struct pg2_member *members, m;
	struct pg2_table *table;
	uint64_t gen;
	size_t n;

	CHECK(pg2_create(h, "a") == 0);
	CHECK(pg2_join(h, "a", 0, "data", 4) == 0);
	CHECK(pg2_join(h, "a", 0, NULL, 0) == 0);
	CHECK(pg2_join(h, "missing", 0, NULL, 0) == -ENOENT);
	CHECK(pg2_errattr(h) && !strcmp(pg2_errattr(h), "PG2_A_GROUP_NAME"));
	CHECK(pg2_join(h, "a", dead_pid(), NULL, 0) == -ESRCH);
	CHECK(pg2_get_members(h, "a", &members, &n) == 0 && n == 1);
	free(members);
	CHECK(pg2_get_members(h, "missing", &members, &n) == -ENOENT);
	CHECK(pg2_get_local_members(h, "a", &members, &n) == 0 && n == 1);
	free(members);
	CHECK(pg2_get_members_per_join(h, "a", &members, &n) == 0 && n == 2);
	free(members);
	CHECK(pg2_get_closest_pid(h, "a", &m) == 0 && m.pid == (uint32_t)getpid());
	CHECK(pg2_which_groups(h, &groups, &n) == 0 && n == 1);
	free(groups);
	CHECK(pg2_which_groups_at(h, &groups, &n, &gen) == 0 && n == 1);
	free(groups);
	CHECK(pg2_get_members_at(h, "a", true, &members, &n, &gen) == 0 &&
	      n == 1);
	free(members);
	CHECK(pg2_get_members_at(h, "missing", false, &members, &n, &gen) ==
	      -ENOENT && !members && !gen);
	CHECK(pg2_group_info(h, "a", &info) == 0);
	CHECK(pg2_generation(h, &gen) == 0);
	CHECK(pg2_remote_join(h, "a", 4, 40, 2, "r", 1) == 0);
	CHECK(pg2_remote_leave(h, "a", 4, 40, 1) == 0);
	CHECK(pg2_node_replace(h, 6, snap, 1) == 0);
	CHECK(pg2_node_drop(h, 4) == 0);
	CHECK(pg2_node_set_id(h, 1) == 0);
	CHECK(pg2_table_get(h, false, &table) == 0 && table->n_members == 2);
	pg2_table_free(table);
	CHECK(pg2_table_get(h, true, &table) == 0 && table->n_members == 1);
	pg2_table_free(table);
	CHECK(pg2_leave(h, "a", 0) == 0);
	CHECK(pg2_create(h, "") == -EINVAL);
}

static void monitor(struct pg2_handle *h)
{
	struct pg2_monitor *mon;
	struct pg2_table *table;
	struct pg2_event ev;
	int tiny = 1, resyncs = 0, events = 0, ret;
	uint32_t pid;

	CHECK(pg2_monitor_open(&mon, -1) == 0);
	if (!mon)
		return;
	CHECK(pg2_monitor_snapshot(mon, &table) == 0);
	pg2_table_free(table);
	CHECK(setsockopt(pg2_monitor_fd(mon), SOL_SOCKET, SO_RCVBUF, &tiny,
			 sizeof(tiny)) == 0);
	for (pid = 100; pid < 300; pid++)
		CHECK(pg2_remote_join(h, "a", 9, pid, 1, NULL, 0) == 0);
	while ((ret = pg2_monitor_next(mon, &ev, 0)) == 1) {
		events++;
		resyncs += ev.type == PG2_EVENT_RESYNC;
	}
	CHECK(ret == 0);
	CHECK(resyncs >= 1);
	CHECK(pg2_delete(h, "a") == 0);
	CHECK(pg2_monitor_next(mon, &ev, 5000) == 1);
	pg2_monitor_close(mon);
}

/* A table big enough for several messages, and a change after the first. */
static void retried_dumps(struct pg2_handle *h)
{
	struct pg2_snapshot_entry *entries = calloc(3000, sizeof(*entries));
	struct pg2_member *members;
	struct pg2_table *table;
	pid_t changer;
	size_t i, n;

	CHECK(entries != NULL);
	if (!entries)
		return;
	for (i = 0; i < 3000; i++)
		entries[i] = (struct pg2_snapshot_entry) {
			.group = "big", .pid = i + 1, .count = 1,
			.data = "some member data", .data_len = 16,
		};
	CHECK(pg2_create(h, "churn") == 0);
	CHECK(pg2_node_replace(h, 8, entries, 3000) == 0);
	free(entries);
	/* A change of "big" interrupts its member dump and the table's. */
	changer_group = "big";
	changer = start_changer();
	CHECK(changer > 0);
	dump_requests = 0;
	dumps_to_interrupt = 1;
	CHECK(pg2_table_get(h, false, &table) == 0);
	CHECK(dump_requests == 2);
	pg2_table_free(table);
	dump_requests = 0;
	dumps_to_interrupt = 1;
	CHECK(pg2_get_members(h, "big", &members, &n) == 0 && n == 3000);
	CHECK(dump_requests == 2);
	free(members);
	stop_changer(changer);
	CHECK(pg2_node_drop(h, 8) == 0);
}

/* A handle and a monitor in a netns the thread is not in. */
static void monitor_elsewhere(void)
{
	int home = open("/proc/thread-self/ns/net", O_RDONLY), other = -1;
	struct pg2_monitor *mon = NULL;
	struct pg2_handle *there = NULL;
	struct pg2_table *table;
	struct pg2_event ev;

	CHECK(home >= 0 && enter_new_netns() == 0);
	other = open("/proc/thread-self/ns/net", O_RDONLY);
	CHECK(other >= 0 && setns(home, CLONE_NEWNET) == 0);
	CHECK(pg2_monitor_open(&mon, other) == 0);
	CHECK(pg2_open(&there, other) == 0);
	if (mon && there) {
		CHECK(pg2_monitor_snapshot(mon, &table) == 0);
		pg2_table_free(table);
		CHECK(pg2_create(there, "elsewhere") == 0);
		CHECK(pg2_monitor_next(mon, &ev, 5000) == 1 &&
		      ev.type == PG2_EVENT_GROUP_CREATED);
	}
	pg2_close(there);
	pg2_monitor_close(mon);
	close(other);
	close(home);
}

int main(void)
{
	struct pg2_handle *h, *other;
	int fd;

	if (enter_new_netns())
		return 2;
	CHECK(pg2_open(&h, -1) == 0);
	if (!h)
		return 1;
	calls(h);
	retried_dumps(h);
	monitor(h);
	monitor_elsewhere();
	fd = open("/proc/thread-self/ns/net", O_RDONLY);
	CHECK(pg2_open(&other, fd) == 0);
	pg2_close(other);
	close(fd);
	CHECK(pg2_open(&other, 12345) == -EBADF && !other);
	pg2_close(h);
	return failures ? 1 : 0;
}
