// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * pg2-example: watch a group, join it, list it, leave it.
 * Build: cc pg2-example.c $(pkg-config --cflags --libs pg2nl)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pg2nl.h>

static int report(const char *call, const char *msg, int err)
{
	fprintf(stderr, "%s: %s (%s)\n", call, msg, strerror(-err));
	return err;
}

static void print_event(const struct pg2_event *event)
{
	printf("event %s group %s generation %" PRIu64,
	       pg2_event_type_name(event->type), event->group,
	       event->generation);
	if (event->type == PG2_EVENT_MEMBER_JOINED ||
	    event->type == PG2_EVENT_MEMBER_LEFT)
		printf(" pid %" PRIu32 " count %" PRIu32, event->member.pid,
		       event->member.count);
	if (event->type == PG2_EVENT_MEMBER_LEFT)
		printf(" reason %s", pg2_reason_name(event->reason));
	printf("\n");
}

/* Joins group twice, shows it, leaves, deletes it. */
static int use_group(struct pg2_handle *handle, const char *group)
{
	struct pg2_member *members, closest;
	size_t i, count;
	int err;

	err = pg2_create(handle, group);
	if (!err)
		err = pg2_join(handle, group, 0, "hello", 5);
	if (!err)
		err = pg2_join(handle, group, 0, NULL, 0);
	if (err)
		return report("join", pg2_errmsg(handle), err);
	err = pg2_get_members(handle, group, &members, &count);
	if (err)
		return report("get_members", pg2_errmsg(handle), err);
	for (i = 0; i < count; i++)
		printf("member node %" PRIu32 " pid %" PRIu32 " count %" PRIu32
		       " data '%.*s'\n", members[i].node_id, members[i].pid,
		       members[i].count, (int)members[i].data_len,
		       (const char *)members[i].data);
	free(members);
	err = pg2_get_closest_pid(handle, group, &closest);
	if (err)
		return report("get_closest_pid", pg2_errmsg(handle), err);
	printf("closest pid %" PRIu32 "\n", closest.pid);
	err = pg2_leave(handle, group, 0);
	if (!err)
		err = pg2_delete(handle, group);
	if (err)
		return report("leave", pg2_errmsg(handle), err);
	/* The group is gone: the kernel says so, with its reason. */
	err = pg2_leave(handle, group, 0);
	printf("leave again: %s: %s\n", strerror(-err), pg2_errmsg(handle));
	return 0;
}

/* Prints the events of our changes, until the group's deletion. */
static int watch(struct pg2_monitor *monitor, const char *group)
{
	struct pg2_event event;
	int ret;

	while ((ret = pg2_monitor_next(monitor, &event, 5000)) > 0) {
		print_event(&event);
		if (event.type == PG2_EVENT_GROUP_DELETED &&
		    !strcmp(event.group, group))
			return 0;
	}
	if (!ret)
		return report("monitor", "no event within 5 s", -ETIMEDOUT);
	return report("monitor", pg2_monitor_errmsg(monitor), ret);
}

int main(int argc, char **argv)
{
	const char *group = argc > 1 ? argv[1] : "example";
	struct pg2_monitor *monitor = NULL;
	struct pg2_handle *handle = NULL;
	struct pg2_table *table;
	int err;

	err = pg2_open(&handle, -1);
	if (err) {
		report("open", pg2_errmsg(NULL), err);
		return 1;
	}
	err = pg2_monitor_open(&monitor, -1);
	if (err) {
		report("monitor_open", pg2_monitor_errmsg(NULL), err);
		goto out;
	}
	/* Subscribed first, then the table: no change falls in between. */
	err = pg2_monitor_snapshot(monitor, &table);
	if (err) {
		report("snapshot", pg2_monitor_errmsg(monitor), err);
		goto out;
	}
	printf("snapshot generation %" PRIu64 ": %zu groups, %zu members\n",
	       table->generation, table->n_groups, table->n_members);
	pg2_table_free(table);
	err = use_group(handle, group);
	if (!err)
		err = watch(monitor, group);
out:
	pg2_monitor_close(monitor);
	pg2_close(handle);
	return err ? 1 : 0;
}
