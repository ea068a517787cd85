// SPDX-License-Identifier: GPL-2.0
/*
 * Automatic removal on exit: once a process's last thread has exited, it is
 * in no group of any netns by the time its parent's wait() returns.
 */
#include <pthread.h>
#include <sys/syscall.h>

#include "pg2_test.h"
#include <kselftest_harness.h>

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
		ASSERT_EQ(0, members_seen(self->h2, "g3")) TH_LOG("round %d", round);
		ASSERT_EQ(0, members_seen(self->h, "g1")) TH_LOG("round %d", round);
		ASSERT_EQ(0, members_seen(self->h, "g2")) TH_LOG("round %d", round);
	}
	TH_LOG("%d rounds", round);
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
	char path[64], exe[256];
	long long deadline;
	int ready[2], res = -EPIPE, status;
	ssize_t n;
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
	snprintf(path, sizeof(path), "/proc/%d/exe", pid);
	deadline = now_ms() + 10000;
	while (now_ms() < deadline) {
		n = readlink(path, exe, sizeof(exe) - 1);
		exe[n > 0 ? n : 0] = '\0';
		if (strstr(exe, "sleep"))
			break;
		usleep(10000);
	}
	ASSERT_NE(NULL, strstr(exe, "sleep"));
	EXPECT_EQ(1, count_of(self->h, "g1", 0, pid));
	EXPECT_EQ(1, count_of(self->h, "g2", 0, pid));
	kill(pid, SIGTERM);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, members_seen(self->h, "g1"));
	EXPECT_EQ(0, members_seen(self->h, "g2"));
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

TEST_HARNESS_MAIN
