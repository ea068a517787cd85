// SPDX-License-Identifier: GPL-2.0
/*
 * Automatic removal on exit: once a process's last thread has exited, it is
 * in no group of any netns by the time its parent's wait() returns.
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <linux/genetlink.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

/* Waits up to 10 s for pid to run the program named name (after exec). */
static bool runs_image(pid_t pid, const char *name)
{
	long long deadline = now_ms() + 10000;
	char path[64], exe[256];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	do {
		n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (strstr(exe, name))
			return true;
		usleep(10000);
	} while (now_ms() < deadline);
	return false;
}

FIXTURE(exit) {
	struct pg2_handle *h;	/* this test's netns */
	struct pg2_handle *h2;	/* a second netns */
	int netns2;
};

FIXTURE_SETUP(exit)
{
	int home;

	ASSERT_EQ(0, enter_new_netns());
	home = netns_self_fd();
	ASSERT_LE(0, home);
	ASSERT_EQ(0, enter_new_netns());
	self->netns2 = netns_self_fd();
	ASSERT_LE(0, self->netns2);
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	close(home);
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	ASSERT_EQ(0, pg2_open(&self->h2, self->netns2));
	ASSERT_EQ(0, pg2_create(self->h, "g1"));
	ASSERT_EQ(0, pg2_create(self->h, "g2"));
	ASSERT_EQ(0, pg2_create(self->h2, "g3"));
}

FIXTURE_TEARDOWN(exit)
{
	pg2_close(self->h2);
	pg2_close(self->h);
	close(self->netns2);
}

/* The child joins, says so on ready, and exits when go is written. */
static pid_t fork_joiner(const struct join_spec *spec, int *go_fd)
{
	int ready[2], go[2], res = -EPIPE;
	pid_t pid;
	char c;

	if (pipe(ready) || pipe(go))
		return -1;
	pid = fork();
	if (!pid) {
		close(ready[0]);
		close(go[1]);
		res = child_join_fn((void *)spec);
		if (write(ready[1], &res, sizeof(res)) != sizeof(res) || res)
			_exit(1);
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &res, sizeof(res)) != sizeof(res) || res) {
		close(go[1]);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	*go_fd = go[1];
	return pid;
}

/*
 * Right after wait() returns, every read leaves the exited process out,
 * whether or not the reaper has removed it yet: member lists, local
 * member lists, closest (ESRCH, or the remote member where there is
 * one), group records' counts and the whole-table dump.
 */
static void assert_gone(struct __test_metadata *_metadata,
			FIXTURE_DATA(exit) *self, int round)
{
	struct pg2_group_info info;
	struct pg2_member *m, c;
	struct pg2_table *t;
	size_t n;

	ASSERT_EQ(0, members_seen(self->h2, "g3")) TH_LOG("round %d", round);
	ASSERT_EQ(0, members_seen(self->h, "g1")) TH_LOG("round %d", round);
	ASSERT_EQ(1, members_seen(self->h, "g2")) TH_LOG("round %d", round);
	ASSERT_EQ(0, pg2_get_local_members(self->h, "g1", &m, &n));
	free(m);
	ASSERT_EQ(0, n) TH_LOG("round %d", round);
	ASSERT_EQ(0, pg2_get_local_members(self->h, "g2", &m, &n));
	free(m);
	ASSERT_EQ(0, n) TH_LOG("round %d", round);
	ASSERT_EQ(-ESRCH, pg2_get_closest_pid(self->h, "g1", &c));
	ASSERT_EQ(-ESRCH, pg2_get_closest_pid(self->h2, "g3", &c));
	ASSERT_EQ(0, pg2_get_closest_pid(self->h, "g2", &c));
	ASSERT_EQ(5, c.node_id) TH_LOG("round %d: closest %u/%u", round,
				       c.node_id, c.pid);
	ASSERT_EQ(77, c.pid);
	ASSERT_EQ(0, pg2_group_info(self->h, "g1", &info));
	ASSERT_EQ(0, info.member_count) TH_LOG("round %d", round);
	ASSERT_EQ(0, info.local_member_count);
	ASSERT_EQ(0, pg2_group_info(self->h, "g2", &info));
	ASSERT_EQ(1, info.member_count) TH_LOG("round %d", round);
	ASSERT_EQ(0, info.local_member_count);
	ASSERT_EQ(0, pg2_group_info(self->h2, "g3", &info));
	ASSERT_EQ(0, info.member_count) TH_LOG("round %d", round);
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	ASSERT_EQ(1, t->n_members) TH_LOG("round %d", round);
	ASSERT_EQ(5, t->members[0].member.node_id);
	pg2_table_free(t);
	ASSERT_EQ(0, pg2_table_get(self->h2, false, &t));
	ASSERT_EQ(0, t->n_members) TH_LOG("round %d", round);
	pg2_table_free(t);
}

TEST_F_TIMEOUT(exit, child_in_three_groups_of_two_netns, 120)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "g1", "g2" } },
		{ .netns_fd = self->netns2, .groups = { "g3" }, .times = 2 },
		{ .groups = { NULL } },
	};
	long long deadline = now_ms() + 20000;
	int round, go, status;
	pid_t pid;

	ASSERT_EQ(0, pg2_remote_join(self->h, "g2", 5, 77, 1, NULL, 0));
	/* Repeated: the exit path races with wait() every time. */
	for (round = 0; round < 30 && now_ms() < deadline; round++) {
		pid = fork_joiner(spec, &go);
		ASSERT_LT(0, pid);
		ASSERT_EQ(1, count_of(self->h, "g1", 0, pid));
		ASSERT_EQ(1, count_of(self->h, "g2", 0, pid));
		ASSERT_EQ(2, count_of(self->h2, "g3", 0, pid));
		ASSERT_EQ(1, write(go, "x", 1));
		close(go);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_EQ(0, status);
		assert_gone(_metadata, self, round);
	}
	TH_LOG("%d rounds", round);
}

static void *park(void *arg)
{
	while (!arg)
		pause();
	return arg;
}

/* child_fn: joins, then becomes 16 threads, all of them killed at once. */
static int join_then_threads(void *arg)
{
	pthread_t t;
	int i, err;

	err = child_join_fn(arg);
	for (i = 0; !err && i < 15; i++)
		if (pthread_create(&t, NULL, park, NULL))
			err = -EAGAIN;
	return err;
}

/* The next event on nl: a member event of pid in group. */
static int next_member_event(struct rawnl *nl, struct rawnl_event *ev,
			     uint64_t *gen)
{
	int n = rawnl_next_event(nl, ev, 5000);

	if (n != 1)
		return n ? n : -ETIMEDOUT;
	if (ev->generation != ++*gen)
		return -ERANGE;
	return 0;
}

/*
 * SIGKILL to a process of 16 threads: they exit together, several may
 * see the thread group dead and call the probe.  Each membership leaves
 * exactly once, with reason exit, in each netns, and nothing lingers
 * after wait().  50 rounds, listening throughout: a duplicate or late
 * event would show as the next round's first.
 */
TEST_F_TIMEOUT(exit, sixteen_threads_killed_at_once, 180)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "g1", "g2" } },
		{ .netns_fd = self->netns2, .groups = { "g3" }, .times = 2 },
		{ .groups = { NULL } },
	};
	struct rawnl ev1, ev2;
	struct rawnl_event ev;
	uint64_t gen1 = generation(self->h), gen2 = generation(self->h2);
	int round, res, i, left_g1, left_g2;
	pid_t pid;

	ASSERT_EQ(0, pg2_remote_join(self->h, "g2", 5, 77, 1, NULL, 0));
	gen1++;
	ASSERT_EQ(0, rawnl_open(&ev1));
	ASSERT_EQ(0, rawnl_listen(&ev1));
	ASSERT_EQ(0, rawnl_open_in(&ev2, self->netns2));
	ASSERT_EQ(0, rawnl_listen(&ev2));
	for (round = 0; round < 50; round++) {
		pid = child_start(join_then_threads, spec, &res);
		ASSERT_LT(0, pid);
		ASSERT_EQ(0, res);
		ASSERT_EQ(0, child_kill(pid));
		assert_gone(_metadata, self, round);

		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, next_member_event(&ev1, &ev, &gen1)) TH_LOG("round %d", round);
			ASSERT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
			ASSERT_EQ((uint32_t)pid, ev.pid);
		}
		left_g1 = left_g2 = 0;
		for (i = 0; i < 2; i++) {
			ASSERT_EQ(0, next_member_event(&ev1, &ev, &gen1)) TH_LOG("round %d", round);
			ASSERT_EQ(PG2_CMD_MEMBER_LEFT, ev.cmd) TH_LOG("round %d", round);
			ASSERT_EQ(PG2_REASON_EXIT, ev.reason);
			ASSERT_EQ((uint32_t)pid, ev.pid);
			ASSERT_EQ(0, ev.count);
			left_g1 += !strcmp(ev.group, "g1");
			left_g2 += !strcmp(ev.group, "g2");
		}
		ASSERT_EQ(1, left_g1);
		ASSERT_EQ(1, left_g2);
		for (i = 1; i <= 2; i++) {
			ASSERT_EQ(0, next_member_event(&ev2, &ev, &gen2)) TH_LOG("round %d", round);
			ASSERT_EQ(PG2_CMD_MEMBER_JOINED, ev.cmd);
			ASSERT_EQ(i, ev.count);
		}
		ASSERT_EQ(0, next_member_event(&ev2, &ev, &gen2)) TH_LOG("round %d", round);
		ASSERT_EQ(PG2_CMD_MEMBER_LEFT, ev.cmd) TH_LOG("round %d", round);
		ASSERT_EQ(PG2_REASON_EXIT, ev.reason);
		ASSERT_STREQ("g3", ev.group);
		ASSERT_EQ((uint32_t)pid, ev.pid);
		ASSERT_EQ(0, ev.count);
	}
	/* Nothing after the last round: the next events are markers'. */
	ASSERT_EQ(0, pg2_create(self->h, "marker"));
	ASSERT_EQ(0, next_member_event(&ev1, &ev, &gen1));
	EXPECT_EQ(PG2_CMD_GROUP_CREATED, ev.cmd);
	ASSERT_EQ(0, pg2_create(self->h2, "marker"));
	ASSERT_EQ(0, next_member_event(&ev2, &ev, &gen2));
	EXPECT_EQ(PG2_CMD_GROUP_CREATED, ev.cmd);
	rawnl_close(&ev2);
	rawnl_close(&ev1);
}

TEST_F(exit, exit_event_has_reason_exit)
{
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "g1" } },
		{ .groups = { NULL } },
	};
	struct pg2_monitor *mon;
	struct pg2_table *t;
	struct pg2_event ev;
	pid_t pid;
	int res;

	ASSERT_EQ(0, pg2_monitor_open(&mon, -1));
	ASSERT_EQ(0, pg2_monitor_snapshot(mon, &t));
	pg2_table_free(t);
	pid = child_start(child_join_fn, spec, &res);
	ASSERT_LT(0, pid);
	ASSERT_EQ(0, res);
	ASSERT_EQ(0, child_kill(pid));
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000));
	EXPECT_EQ(PG2_EVENT_MEMBER_JOINED, ev.type);
	ASSERT_EQ(1, pg2_monitor_next(mon, &ev, 5000));
	EXPECT_EQ(PG2_EVENT_MEMBER_LEFT, ev.type);
	EXPECT_EQ(PG2_REASON_EXIT, ev.reason);
	EXPECT_EQ(pid, ev.member.pid);
	EXPECT_EQ(0, ev.member.count);
	EXPECT_STREQ("g1", ev.group);
	pg2_monitor_close(mon);
}

static int hold_fd = -1;

static void *last_thread(void *arg)
{
	char c;

	(void)arg;
	/* Exits the whole process once the test closes the pipe. */
	while (read(hold_fd, &c, 1) > 0)
		;
	exit(0);
}

/* The leader thread exits first: the process lives on in its thread. */
static int leader_exits_first(void *arg)
{
	pthread_t t;
	int err;

	err = join_spec_run(arg);
	if (err)
		return err;
	if (pthread_create(&t, NULL, last_thread, NULL))
		return -EAGAIN;
	return 0;
}

static char proc_state(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] ? p[2] : 0;
}

TEST_F(exit, member_until_last_thread_exits)
{
	struct join_spec spec = { .netns_fd = -1, .groups = { "g1" } };
	long long deadline;
	int hold[2], ready[2], res = -EPIPE, status;
	pid_t pid;

	ASSERT_EQ(0, pipe(hold));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(hold[1]);
		close(ready[0]);
		hold_fd = hold[0];
		res = leader_exits_first(&spec);
		if (write(ready[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		/* The leader alone: the thread group lives on. */
		syscall(SYS_exit, 0);
	}
	close(hold[0]);
	close(ready[1]);
	ASSERT_EQ(sizeof(res), read(ready[0], &res, sizeof(res)));
	ASSERT_EQ(0, res);
	deadline = now_ms() + 10000;
	while (proc_state(pid) != 'Z' && now_ms() < deadline)
		usleep(10000);
	ASSERT_EQ('Z', proc_state(pid));
	EXPECT_EQ(1, count_of(self->h, "g1", 0, pid));
	close(hold[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, status);
	EXPECT_EQ(0, members_seen(self->h, "g1"));
}

static void *return_at_once(void *arg)
{
	return arg;
}

TEST_F(exit, other_thread_exit_keeps_membership)
{
	pthread_t t;

	ASSERT_EQ(0, pg2_join(self->h, "g1", 0, NULL, 0));
	ASSERT_EQ(0, pthread_create(&t, NULL, return_at_once, NULL));
	ASSERT_EQ(0, pthread_join(t, NULL));
	EXPECT_EQ(1, count_of(self->h, "g1", 0, getpid()));
}

TEST_F(exit, exec_keeps_membership)
{
	struct join_spec spec = { .netns_fd = -1, .groups = { "g1", "g2" } };
	int ready[2], res = -EPIPE, status;
	pid_t pid;

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		res = join_spec_run(&spec);
		if (write(ready[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		execl("/bin/sleep", "sleep", "600", (char *)NULL);
		_exit(127);
	}
	close(ready[1]);
	ASSERT_EQ(sizeof(res), read(ready[0], &res, sizeof(res)));
	ASSERT_EQ(0, res);
	/* The pipe closes on exec: then the new image runs. */
	ASSERT_EQ(0, read(ready[0], &res, 1));
	ASSERT_TRUE(runs_image(pid, "sleep"));
	EXPECT_EQ(1, count_of(self->h, "g1", 0, pid));
	EXPECT_EQ(1, count_of(self->h, "g2", 0, pid));
	kill(pid, SIGTERM);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, members_seen(self->h, "g1"));
	EXPECT_EQ(0, members_seen(self->h, "g2"));
}

static void *exec_sleep(void *arg)
{
	(void)arg;
	execl("/bin/sleep", "sleep", "600", (char *)NULL);
	_exit(127);
}

/* The Tgid line of /proc/pid/status, or -1. */
static pid_t status_tgid(pid_t pid)
{
	char path[64], line[256];
	pid_t tgid = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

/*
 * A thread other than the leader execs: the kernel kills every other
 * thread, the leader included, and gives the exec'ing thread the
 * process's id.  The process never exited: it stays a member.
 */
TEST_F(exit, exec_from_another_thread_keeps_membership)
{
	struct join_spec spec = { .netns_fd = -1, .groups = { "g1" } };
	struct join_spec spec2 = { .netns_fd = self->netns2,
				   .groups = { "g3" } };
	int ready[2], res = -EPIPE, status;
	pthread_t t;
	pid_t pid;

	ASSERT_EQ(0, pipe2(ready, O_CLOEXEC));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		res = join_spec_run(&spec);
		if (!res)
			res = join_spec_run(&spec2);
		if (write(ready[1], &res, sizeof(res)) != sizeof(res) || res)
			_exit(1);
		if (pthread_create(&t, NULL, exec_sleep, NULL))
			_exit(2);
		for (;;)
			pause();
	}
	close(ready[1]);
	ASSERT_EQ(sizeof(res), read(ready[0], &res, sizeof(res)));
	ASSERT_EQ(0, res);
	/* The pipe closes on exec: then the new image runs. */
	ASSERT_EQ(0, read(ready[0], &res, 1));
	close(ready[0]);
	ASSERT_TRUE(runs_image(pid, "sleep"));
	ASSERT_EQ(pid, status_tgid(pid));
	EXPECT_EQ(1, count_of(self->h, "g1", 0, pid));
	EXPECT_EQ(1, count_of(self->h2, "g3", 0, pid));
	/* Still a live member: its own exit still removes it. */
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, members_seen(self->h, "g1"));
	EXPECT_EQ(0, members_seen(self->h2, "g3"));
}

/*
 * Starts a dump of netns 1's table on nl and reads its first datagram:
 * the PG2_CMD_GENERATION header and the first records.  Returns that
 * header's generation, 0 on error.
 */
static uint64_t dump_start(struct rawnl *nl, unsigned char *buf, size_t size)
{
	static struct rawnl_msg m;
	const struct nlattr *tb[PG2_A_MAX + 1];
	const struct nlmsghdr *h = (const void *)buf;
	uint64_t gen;
	int n;

	rawnl_msg_init(&m, nl, PG2_CMD_TABLE_GET, NLM_F_DUMP);
	if (rawnl_send(nl, &m))
		return 0;
	n = rawnl_recv(nl, buf, size, 5000);
	if (n <= 0 || !NLMSG_OK(h, (unsigned int)n) ||
	    h->nlmsg_type != nl->family || rawnl_cmd(h) != PG2_CMD_GENERATION ||
	    (h->nlmsg_flags & NLM_F_DUMP_INTR) || rawnl_parse(h, tb, PG2_A_MAX) ||
	    !tb[PG2_A_GENERATION])
		return 0;
	/* The first datagram holds more than the header: the dump is on. */
	if (NLMSG_ALIGN(h->nlmsg_len) >= (unsigned int)n)
		return 0;
	memcpy(&gen, rawnl_data(tb[PG2_A_GENERATION]), sizeof(gen));
	return gen;
}

/*
 * Reads the rest of the dump; returns the or of every message's flags
 * (NLMSG_DONE's included), and the member records in *records.
 */
static int dump_rest(struct rawnl *nl, unsigned char *buf, size_t size,
		     int *records)
{
	const struct nlmsghdr *h;
	int n, flags = 0;

	for (;;) {
		n = rawnl_recv(nl, buf, size, 5000);
		if (n <= 0)
			return -1;
		for (h = (void *)buf; NLMSG_OK(h, (unsigned int)n);
		     h = NLMSG_NEXT(h, n)) {
			flags |= h->nlmsg_flags;
			if (h->nlmsg_type == NLMSG_DONE)
				return flags;
			if (h->nlmsg_type == NLMSG_ERROR)
				return -1;
			*records += rawnl_cmd(h) == PG2_CMD_MEMBER_GET;
		}
	}
}

/* Fills group g1 of netns 1 with remote members, enough for many datagrams. */
static void fill_g1(struct __test_metadata *_metadata, FIXTURE_DATA(exit) *self,
		    struct rawnl *nl)
{
	enum { NODES = 4, PER_NODE = 5000 };
	static struct rawnl_msg m;
	struct rawnl_ack ack;
	size_t members, entry;
	int node, i;

	for (node = 1; node <= NODES; node++) {
		rawnl_msg_init(&m, nl, PG2_CMD_NODE_REPLACE, 0);
		rawnl_put_u32(&m, PG2_A_NODE_ID, node);
		for (i = 0; i < PER_NODE; i++) {
			if (i % 1500 == 0) {
				if (i)
					rawnl_nest_end(&m, members);
				members = rawnl_nest_start(&m, PG2_A_MEMBERS);
			}
			entry = rawnl_nest_start(&m, PG2_A_MEMBER);
			rawnl_put_str(&m, PG2_MEMBER_A_GROUP_NAME, "g1");
			rawnl_put_u32(&m, PG2_MEMBER_A_PID, i + 1);
			rawnl_put_u32(&m, PG2_MEMBER_A_COUNT, 1);
			rawnl_nest_end(&m, entry);
		}
		rawnl_nest_end(&m, members);
		ASSERT_EQ(0, rawnl_transact(nl, &m, &ack)) TH_LOG("%s", ack.msg);
	}
	ASSERT_EQ(NODES * PER_NODE, members_seen(self->h, "g1"));
}

/*
 * The flags of a dump of g1 (netns 1) during which a process that joined
 * as spec says is killed and reaped, after the first datagram.
 */
static int dump_across_exit(struct __test_metadata *_metadata,
			    struct rawnl *nl, const struct join_spec *spec)
{
	static unsigned char buf[65536];
	int records = 0, flags, res;
	pid_t pid;

	pid = child_start(child_join_fn, (void *)spec, &res);
	if (pid <= 0 || res)
		return -1;
	if (!dump_start(nl, buf, sizeof(buf)))
		return -1;
	if (child_kill(pid))
		return -1;
	flags = dump_rest(nl, buf, sizeof(buf), &records);
	TH_LOG("%d records after the first datagram", records);
	return flags;
}

/*
 * A member's exit makes a dump of its table running meanwhile end
 * NLM_F_DUMP_INTR: the dump may already have sent the member, which
 * replies leave out from the exit probe on, before the reaper bumps the
 * generation.  A dump without an exit is not flagged.
 */
TEST_F_TIMEOUT(exit, exit_in_the_table_interrupts_a_dump, 120)
{
	static unsigned char buf[65536];
	struct join_spec spec[] = {
		{ .netns_fd = -1, .groups = { "g2" } },
		{ .groups = { NULL } },
	};
	struct rawnl nl;
	int records = 0, flags;

	ASSERT_EQ(0, rawnl_open(&nl));
	fill_g1(_metadata, self, &nl);

	ASSERT_NE(0, dump_start(&nl, buf, sizeof(buf)));
	flags = dump_rest(&nl, buf, sizeof(buf), &records);
	ASSERT_LE(0, flags);
	EXPECT_FALSE(flags & NLM_F_DUMP_INTR);
	EXPECT_LT(10000, records);

	flags = dump_across_exit(_metadata, &nl, spec);
	ASSERT_LE(0, flags);
	EXPECT_TRUE(flags & NLM_F_DUMP_INTR);
	EXPECT_EQ(0, members_seen(self->h, "g2"));
	rawnl_close(&nl);
}

/*
 * The exit of a member of another netns's table leaves the dump alone:
 * containers' exits do not make the host's dumps retry.
 */
TEST_F_TIMEOUT(exit, exit_in_another_netns_leaves_a_dump_alone, 120)
{
	struct join_spec spec[] = {
		{ .netns_fd = self->netns2, .groups = { "g3" } },
		{ .groups = { NULL } },
	};
	struct rawnl nl;
	uint64_t gen;
	int flags;

	ASSERT_EQ(0, rawnl_open(&nl));
	fill_g1(_metadata, self, &nl);
	gen = generation(self->h);

	flags = dump_across_exit(_metadata, &nl, spec);
	ASSERT_LE(0, flags);
	EXPECT_FALSE(flags & NLM_F_DUMP_INTR);
	EXPECT_EQ(gen, generation(self->h));
	EXPECT_EQ(0, members_seen(self->h2, "g3"));
	rawnl_close(&nl);
}

/* A join racing with the target's exit never leaves a ghost. */
TEST_F_TIMEOUT(exit, join_racing_exit_leaves_no_ghost, 120)
{
	long long deadline = now_ms() + 15000;
	int round, joined = 0, late = 0, err;
	pid_t pid;

	for (round = 0; round < 500 && now_ms() < deadline; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
		err = pg2_join(self->h, "g1", pid, NULL, 0);
		ASSERT_TRUE(err == 0 || err == -ESRCH) TH_LOG("%d", err);
		joined += !err;
		late += !!err;
		ASSERT_EQ(pid, waitpid(pid, NULL, 0));
		ASSERT_EQ(0, members_seen(self->h, "g1")) TH_LOG("round %d", round);
	}
	TH_LOG("%d rounds: %d joins won the race, %d lost it", round, joined,
	       late);
}

static void *reap(void *arg)
{
	return (void *)(long)waitpid(*(pid_t *)arg, NULL, 0);
}

/* Lists g1 until killed: a reader that may meet a half-made member. */
static pid_t start_reader(void)
{
	struct pg2_handle *h;
	pid_t pid = fork();

	if (pid)
		return pid;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (pg2_open(&h, -1))
		_exit(1);
	for (;;)
		members_seen(h, "g1");
}

/*
 * A join racing with the parent's wait(), not only with the exit: once the
 * process is reaped its task has no thread group pid any more, and a join
 * must neither crash a concurrent reader nor leave a ghost.
 */
TEST_F_TIMEOUT(exit, join_racing_parent_wait_leaves_no_ghost, 120)
{
	long long deadline = now_ms() + 10000;
	int round, err;
	pthread_t thread;
	pid_t pid, reader;
	void *reaped;

	reader = start_reader();
	ASSERT_LE(0, reader);
	for (round = 0; round < 500 && now_ms() < deadline; round++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			_exit(0);
		ASSERT_EQ(0, pthread_create(&thread, NULL, reap, &pid));
		err = pg2_join(self->h, "g1", pid, NULL, 0);
		ASSERT_EQ(0, pthread_join(thread, &reaped));
		ASSERT_EQ(pid, (pid_t)(long)reaped);
		ASSERT_TRUE(err == 0 || err == -ESRCH) TH_LOG("%d", err);
		ASSERT_EQ(0, members_seen(self->h, "g1")) TH_LOG("round %d", round);
	}
	kill(reader, SIGKILL);
	ASSERT_EQ(reader, waitpid(reader, NULL, 0));
	TH_LOG("%d rounds", round);
}

/* A zombie is not alive: joining it is ESRCH, and it is never listed. */
TEST_F(exit, zombie_cannot_join)
{
	pid_t pid = fork();
	long long deadline = now_ms() + 10000;

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(0);
	while (proc_state(pid) != 'Z' && now_ms() < deadline)
		usleep(1000);
	ASSERT_EQ('Z', proc_state(pid));
	EXPECT_EQ(-ESRCH, pg2_join(self->h, "g1", pid, NULL, 0));
	EXPECT_EQ(0, members_seen(self->h, "g1"));
	waitpid(pid, NULL, 0);
}

/*
 * Joins a process to n groups named pPREFIXi in each of a and b (b NULL:
 * a only, twice as many), alternating between the two, then has it exit;
 * returns how long the reaper took to remove every membership, in ms.
 */
static long long reap_time(struct __test_metadata *_metadata,
			   struct pg2_handle *a, struct pg2_handle *b,
			   const char *prefix, int n)
{
	uint64_t until_a, until_b = 0;
	long long start;
	char name[32];
	int i, status;
	pid_t pid;

	for (i = 0; i < 2 * n; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		ASSERT_EQ(0, pg2_create(b && i % 2 ? b : a, name));
	}
	/* Every join and every leave is one generation. */
	until_a = generation(a) + 2 * (b ? n : 2 * n);
	if (b)
		until_b = generation(b) + 2 * n;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 2 * n; i++) {
			snprintf(name, sizeof(name), "%s%d", prefix, i);
			if (pg2_join(b && i % 2 ? b : a, name, 0, NULL, 0))
				_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	start = now_ms();
	ASSERT_EQ(0, status);
	while (generation(a) < until_a || (b && generation(b) < until_b)) {
		ASSERT_GT(start + 60000, now_ms());
		usleep(1000);
	}
	return now_ms() - start;
}

/*
 * The reaper's work is linear in the memberships, however they mix
 * netns: a process in 16,000 groups of two netns, alternating, is reaped
 * about as fast as one in 16,000 groups of one.
 */
TEST_F_TIMEOUT(exit, reaping_is_linear_across_netns, 300)
{
	long long one, two;

	one = reap_time(_metadata, self->h, NULL, "one", 8000);
	two = reap_time(_metadata, self->h, self->h2, "two", 8000);
	TH_LOG("reaped 16000 memberships in one netns in %lld ms, in two in %lld ms",
	       one, two);
	EXPECT_LT(two, 10 * (one > 20 ? one : 20));
}

TEST_HARNESS_MAIN
