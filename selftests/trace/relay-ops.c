// SPDX-License-Identifier: GPL-2.0
/*
 * relay-ops GROUP: the relay's four table operations, for tracepoints.sh
 * (the pg2 tool has none of them), each making pg2_remote_sync fire once:
 *   remote join   node 7 pid 70          op=0 node=7 members=1
 *   remote leave  node 7 pid 70          op=1 node=7 members=1
 *   node drop     node 7 (71 and 72)     op=2 node=7 members=2
 *   node replace  node 8 (keeps 80)      op=3 node=8 members=1 (81 dropped)
 */
#include <stdio.h>
#include <string.h>

#include <pg2nl.h>

#define CHECK(call) do { \
	int _err = (call); \
	if (_err) { \
		fprintf(stderr, "relay-ops: %s: %s (%s)\n", #call, \
			strerror(-_err), pg2_errmsg(h)); \
		return 1; \
	} \
} while (0)

int main(int argc, char **argv)
{
	struct pg2_snapshot_entry keep = { .pid = 80, .count = 1 };
	struct pg2_handle *h = NULL;

	if (argc != 2) {
		fprintf(stderr, "usage: relay-ops GROUP\n");
		return 2;
	}
	keep.group = argv[1];
	CHECK(pg2_open(&h, -1));
	CHECK(pg2_remote_join(h, argv[1], 7, 70, 1, NULL, 0));
	CHECK(pg2_remote_leave(h, argv[1], 7, 70, 1));
	CHECK(pg2_remote_join(h, argv[1], 7, 71, 1, NULL, 0));
	CHECK(pg2_remote_join(h, argv[1], 7, 72, 1, NULL, 0));
	CHECK(pg2_node_drop(h, 7));
	CHECK(pg2_remote_join(h, argv[1], 8, 80, 1, NULL, 0));
	CHECK(pg2_remote_join(h, argv[1], 8, 81, 1, NULL, 0));
	CHECK(pg2_node_replace(h, 8, &keep, 1));
	pg2_close(h);
	return 0;
}
