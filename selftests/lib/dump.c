// SPDX-License-Identifier: GPL-2.0
/*
 * libpg2nl dumps: 100,000 members across many messages, and dumps that a
 * concurrent change interrupts.
 *
 * Remote members are not subject to max_members_per_group.
 *
 * Linked with -Wl,--wrap=nl_send_auto to count and interrupt dump
 * requests (interrupt.h), and with -Wl,--wrap=nl_recvmsgs, to fail a
 * receive in mid-reply.
 */
#include <signal.h>
#include <time.h>
#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/handlers.h>
#include "lib_test.h"
#include "interrupt.h"
#include "kselftest_harness.h"

#define BIG_MEMBERS	100000
/* Members per node: fill() sends one snapshot per node. */
#define PER_NODE	1000

/*
 * The datagram whose receive fails (-NLE_NOMEM): 1 the next one.  It is
 * left queued, or with failure_consumes read and dropped, as a receive
 * that fails after its read would.  libnl reads a whole dump in one
 * nl_recvmsgs() call, so the wrapper hands it a clone of the library's
 * callbacks with a receive function of ours.
 */
static int datagrams_until_failure;
static bool failure_consumes;

static int failing_recv(struct nl_sock *sk, struct sockaddr_nl *nla,
			unsigned char **buf, struct ucred **creds)
{
	if (datagrams_until_failure > 0 && !--datagrams_until_failure) {
		if (failure_consumes && nl_recv(sk, nla, buf, creds) > 0) {
			free(*buf);
			*buf = NULL;
		}
		return -NLE_NOMEM;
	}
	return nl_recv(sk, nla, buf, creds);
}

int __real_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb);

int __wrap_nl_recvmsgs(struct nl_sock *sk, struct nl_cb *cb)
{
	struct nl_cb *failing;
	int ret;

	if (datagrams_until_failure <= 0)
		return __real_nl_recvmsgs(sk, cb);
	failing = nl_cb_clone(cb);
	if (!failing)
		return -NLE_NOMEM;
	nl_cb_overwrite_recv(failing, failing_recv);
	ret = __real_nl_recvmsgs(sk, failing);
	nl_cb_put(failing);
	return ret;
}

static double seconds_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - start->tv_sec +
	       (now.tv_nsec - start->tv_nsec) / 1e9;
}

/* Fills "big" with count members, PER_NODE per node, pids 1..PER_NODE. */
static int fill(struct pg2_handle *h, size_t count)
{
	struct pg2_snapshot_entry entries[PER_NODE];
	size_t node, i;
	int err;

	for (i = 0; i < PER_NODE; i++)
		entries[i] = (struct pg2_snapshot_entry) {
			.group = "big", .pid = i + 1, .count = 1,
		};
	for (node = 0; node * PER_NODE < count; node++) {
		err = pg2_node_replace(h, node + 100, entries, PER_NODE);
		if (err)
			return err;
	}
	return 0;
}

FIXTURE(dump) {
	struct pg2_handle *h;
	pid_t changer;
	pid_t churner;		/* killed in the teardown, whatever failed */
};

FIXTURE_SETUP(dump)
{
	self->changer = 0;
	self->churner = 0;
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1)) TH_LOG("%s", pg2_errmsg(NULL));
	ASSERT_EQ(0, pg2_create(self->h, "big"));
	ASSERT_EQ(0, pg2_create(self->h, "churn"));
}

FIXTURE_TEARDOWN(dump)
{
	stop_changer(self->changer);
	if (self->churner > 0) {
		kill(self->churner, SIGKILL);
		waitpid(self->churner, NULL, 0);
	}
	pg2_close(self->h);
}

TEST_F_TIMEOUT(dump, members_100k_across_messages, 600)
{
	struct pg2_member *members;
	struct pg2_table *table;
	struct timespec start;
	size_t n, i;
	unsigned char *seen;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(0, pg2_remote_join(self->h, "churn", 1, i + 1, 1,
					     NULL, 0));
	TH_LOG("1000 single remote joins: %.3f s", seconds_since(&start));
	clock_gettime(CLOCK_MONOTONIC, &start);
	ASSERT_EQ(0, fill(self->h, BIG_MEMBERS)) TH_LOG("%s",
							pg2_errmsg(self->h));
	TH_LOG("%d members by node snapshots: %.3f s", BIG_MEMBERS,
	       seconds_since(&start));

	clock_gettime(CLOCK_MONOTONIC, &start);
	dump_requests = 0;
	ASSERT_EQ(0, pg2_get_members(self->h, "big", &members, &n));
	TH_LOG("dump of %zu members: %.3f s", n, seconds_since(&start));
	EXPECT_EQ(1, dump_requests);
	ASSERT_EQ(BIG_MEMBERS, n);
	/* Every (node, pid) exactly once. */
	seen = calloc(BIG_MEMBERS, 1);
	ASSERT_NE(NULL, seen);
	for (i = 0; i < n; i++) {
		size_t k = (members[i].node_id - 100) * PER_NODE +
			   members[i].pid - 1;

		ASSERT_LT(k, BIG_MEMBERS);
		ASSERT_EQ(0, seen[k]);
		seen[k] = 1;
		ASSERT_EQ(1, members[i].count);
	}
	free(seen);
	free(members);

	ASSERT_EQ(0, pg2_table_get(self->h, false, &table));
	EXPECT_EQ(2, table->n_groups);
	EXPECT_EQ(BIG_MEMBERS + 1000, table->n_members);
	pg2_table_free(table);
}

TEST_F_TIMEOUT(dump, interrupted_dump_is_retried, 300)
{
	struct pg2_member *members;
	struct pg2_table *table;
	uint64_t generation, at;
	size_t i, n, churners = 0;

	ASSERT_EQ(0, fill(self->h, 20000));
	self->changer = start_changer();
	ASSERT_LT(0, self->changer);
	dump_requests = 0;
	dumps_to_interrupt = 1;
	ASSERT_EQ(0, pg2_table_get(self->h, false, &table))
		TH_LOG("%s", pg2_errmsg(self->h));
	/* The first dump saw the change happen: it was sent again. */
	EXPECT_EQ(2, dump_requests);
	ASSERT_EQ(0, pg2_generation(self->h, &generation));
	EXPECT_EQ(generation, table->generation);
	for (i = 0; i < table->n_members; i++)
		if (!strcmp(table->groups[table->members[i].group].name,
			    "churn"))
			churners++;
	EXPECT_EQ(1, churners);
	EXPECT_EQ(20001, table->n_members);
	pg2_table_free(table);
	/*
	 * A listing's generation is its last attempt's, the one it shows.  A
	 * member dump is interrupted by its own group's changes only: the
	 * changer now joins "big".
	 */
	stop_changer(self->changer);
	changer_group = "big";
	self->changer = start_changer();
	ASSERT_LT(0, self->changer);
	dump_requests = 0;
	dumps_to_interrupt = 1;
	ASSERT_EQ(0, pg2_get_members_at(self->h, "big", false, &members, &n,
					&at)) TH_LOG("%s", pg2_errmsg(self->h));
	EXPECT_EQ(2, dump_requests);
	ASSERT_EQ(0, pg2_generation(self->h, &generation));
	EXPECT_EQ(generation, at);
	EXPECT_EQ(20001, n);
	free(members);
}

/* A member dump is as consistent as its group: other groups may change. */
TEST_F_TIMEOUT(dump, member_dump_ignores_other_groups, 300)
{
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, fill(self->h, 20000));
	self->changer = start_changer();
	ASSERT_LT(0, self->changer);
	dump_requests = 0;
	dumps_to_interrupt = 1;
	ASSERT_EQ(0, pg2_get_members(self->h, "big", &members, &n));
	EXPECT_EQ(1, dump_requests);
	EXPECT_EQ(20000, n);
	free(members);
}

TEST_F_TIMEOUT(dump, always_interrupted_dump_is_eagain, 300)
{
	struct pg2_member *members;
	size_t n;

	ASSERT_EQ(0, fill(self->h, 20000));
	changer_group = "big";
	self->changer = start_changer();
	ASSERT_LT(0, self->changer);
	dump_requests = 0;
	dumps_to_interrupt = 1000;
	EXPECT_EQ(-EAGAIN, pg2_get_members(self->h, "big", &members, &n));
	EXPECT_EQ(NULL, members);
	EXPECT_NE(NULL, strstr(pg2_errmsg(self->h), "dump attempts"));
	EXPECT_EQ(8, dump_requests);
	/* The handle is still in step with the kernel. */
	dumps_to_interrupt = 0;
	ASSERT_EQ(0, pg2_get_members(self->h, "big", &members, &n));
	EXPECT_EQ(20000, n);
	free(members);
}

/*
 * A receive that fails with most of a dump still queued: the requests
 * after it must skip that rest, not take it for their own replies.
 */
TEST_F_TIMEOUT(dump, failed_receive_mid_reply_leaves_handle_usable, 300)
{
	struct pg2_member *members;
	struct pg2_group_info info;
	uint64_t before, after;
	size_t n;

	ASSERT_EQ(0, fill(self->h, 20000));
	ASSERT_EQ(0, pg2_generation(self->h, &before));
	datagrams_until_failure = 3;
	EXPECT_EQ(-ENOMEM, pg2_get_members(self->h, "big", &members, &n));
	EXPECT_EQ(NULL, members);
	ASSERT_EQ(0, datagrams_until_failure);
	ASSERT_EQ(0, pg2_generation(self->h, &after))
		TH_LOG("%s", pg2_errmsg(self->h));
	EXPECT_EQ(before, after);
	ASSERT_EQ(0, pg2_group_info(self->h, "big", &info))
		TH_LOG("%s", pg2_errmsg(self->h));
	EXPECT_EQ(20000, info.member_count);
	ASSERT_EQ(0, pg2_get_members(self->h, "big", &members, &n))
		TH_LOG("%s", pg2_errmsg(self->h));
	EXPECT_EQ(20000, n);
	free(members);
}

/*
 * A receive that fails after it read the last datagram of its reply: none
 * of that reply is left, and the next request must not wait for the rest.
 */
TEST_F_TIMEOUT(dump, failed_receive_of_the_last_datagram_leaves_handle_usable,
	       60)
{
	struct pg2_member *members;
	uint64_t before, after;
	size_t n;

	ASSERT_EQ(0, pg2_join(self->h, "churn", 0, NULL, 0));
	ASSERT_EQ(0, pg2_generation(self->h, &before));
	failure_consumes = true;
	/* A small dump is one datagram: header, record and NLMSG_DONE. */
	datagrams_until_failure = 1;
	EXPECT_EQ(-ENOMEM, pg2_get_members(self->h, "churn", &members, &n));
	ASSERT_EQ(0, datagrams_until_failure);
	/* A "do" reply is two: the record, then the ACK, read and lost. */
	datagrams_until_failure = 2;
	EXPECT_EQ(-ENOMEM, pg2_generation(self->h, &after));
	ASSERT_EQ(0, datagrams_until_failure);
	failure_consumes = false;
	ASSERT_EQ(0, pg2_generation(self->h, &after))
		TH_LOG("%s", pg2_errmsg(self->h));
	EXPECT_EQ(before, after);
	ASSERT_EQ(0, pg2_get_members(self->h, "churn", &members, &n))
		TH_LOG("%s", pg2_errmsg(self->h));
	ASSERT_EQ(1, n);
	EXPECT_EQ(getpid(), members[0].pid);
	free(members);
}

/* A changer running freely: every dump is exact or -EAGAIN, never torn. */
TEST_F_TIMEOUT(dump, concurrent_changes_never_tear_a_dump, 300)
{
	int done = 0, retried = 0, round;
	struct pg2_table *table;

	ASSERT_EQ(0, fill(self->h, 5000));
	self->churner = fork();
	ASSERT_LE(0, self->churner);
	if (!self->churner) {
		struct pg2_handle *h;

		if (pg2_open(&h, -1))
			_exit(2);
		/* Slow enough that some dumps complete, some retried. */
		for (;;) {
			pg2_join(h, "churn", 0, NULL, 0);
			usleep(20000);
			pg2_leave(h, "churn", 0);
			usleep(20000);
		}
	}
	for (round = 0; round < 20; round++) {
		size_t i, g, churners = 0;
		int err;

		dump_requests = 0;
		err = pg2_table_get(self->h, false, &table);
		if (err == -EAGAIN)
			continue;
		ASSERT_EQ(0, err);
		done++;
		retried += dump_requests > 1;
		for (g = 0; strcmp(table->groups[g].name, "churn"); g++)
			ASSERT_LT(g + 1, table->n_groups);
		for (i = 0; i < table->n_members; i++)
			churners += table->members[i].group == g;
		EXPECT_EQ(table->groups[g].member_count, churners);
		EXPECT_EQ(5000, table->n_members - churners);
		pg2_table_free(table);
	}
	TH_LOG("%d of 20 dumps completed, %d of them after a retry", done,
	       retried);
	/* The churner sleeps between changes: not every dump can lose. */
	EXPECT_LT(0, done);
}

TEST_HARNESS_MAIN
