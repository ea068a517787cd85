// SPDX-License-Identifier: GPL-2.0
/*
 * 64 processes, half of them unprivileged (two uids), join, leave, fork
 * members that exit, join a group another worker keeps deleting and
 * re-creating, and half of them exit themselves, for PG2_STRESS_SECONDS
 * (default 20).  Each knows exactly what it holds; afterwards the table
 * must be exactly what the survivors hold, every exit must have been
 * announced once per membership, and each uid's quota must be exactly
 * its survivors' holdings.
 */
#include <poll.h>
#include <sys/mman.h>

#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

#define WORKERS 64
#define GROUPS 8
#define DELETER 1		/* a root survivor */

struct worker {
	pid_t pid;		/* 0 once reaped */
	pid_t exited;		/* an exiter's pid, once reaped */
	uid_t uid;		/* 0, UNPRIV_UID or OTHER_UID */
	int32_t counts[GROUPS];
	int32_t churn;		/* joins of "churn" not yet left */
	int error;		/* first unexpected result, 0 if none */
	int line;
	int ops;
	int ghosts;		/* exited children still listed after wait() */
	int unfinished_reads;	/* get_members gave up: -EAGAIN */
	int deletes;		/* DELETER: deletes of "churn" */
};

struct shared {
	struct worker w[WORKERS];
	int done;		/* workers past their last operation */
};

/* Workers 0 and 1 of every four are root, 2 and 3 not; even ones exit. */
static uid_t worker_uid(int i)
{
	if (i % 4 < 2)
		return 0;
	return (i / 4) % 2 ? OTHER_UID : UNPRIV_UID;
}

static const char *group_name(int g)
{
	static const char *const names[GROUPS] = {
		"g0", "g1", "g2", "g3", "g4", "g5", "g6", "g7",
	};

	return names[g];
}

#define NOTE(w, err) do { \
	if ((err) && !(w)->error) { \
		(w)->error = (err); \
		(w)->line = __LINE__; \
	} \
} while (0)

/* A member that exits at once: gone by the time wait() returns. */
static void short_lived_member(struct pg2_handle *h, struct worker *w)
{
	int g = rand() % GROUPS, status;
	pid_t pid = fork();

	if (pid < 0) {
		NOTE(w, -errno);
		return;
	}
	if (!pid) {
		if (pg2_join(h, group_name(g), 0, NULL, 0) ||
		    pg2_join(h, group_name((g + 1) % GROUPS), 0, "x", 1))
			_exit(1);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid || status)
		NOTE(w, -ECHILD);
	if (count_of(h, group_name(g), 0, pid) ||
	    count_of(h, group_name((g + 1) % GROUPS), 0, pid))
		w->ghosts++;
}

/* The deleter's turn: "churn" goes, with its members, and comes back. */
static void churn_again(struct pg2_handle *h, struct worker *w)
{
	int err = pg2_delete(h, "churn");

	NOTE(w, err);
	w->deletes += !err;
	NOTE(w, pg2_create(h, "churn"));
}

/* An exiter's turn with "churn", which may be gone at any moment. */
static void churn_join_or_leave(struct pg2_handle *h, struct worker *w)
{
	int err;

	if (rand() % 2) {
		err = pg2_join(h, "churn", 0, NULL, 0);
		if (err != -ENOENT)
			NOTE(w, err);
		w->churn += !err;
	} else {
		err = pg2_leave(h, "churn", 0);
		if (err != -ENOENT)
			NOTE(w, err);
		w->churn -= !err && w->churn > 0;
	}
}

static void work(struct shared *sh, int i, long long until, int go)
{
	struct worker *w = &sh->w[i];
	struct pg2_handle *h;
	int g, err;
	char c;

	srand(getpid());
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (w->uid && become(w->uid))
		_exit(1);
	err = pg2_open(&h, -1);
	NOTE(w, err);
	if (err)
		_exit(1);
	while (now_ms() < until) {
		g = rand() % GROUPS;
		if (i == DELETER && rand() % 4 == 0) {
			churn_again(h, w);
			continue;
		}
		if (i % 2 == 0 && rand() % 12 == 0) {
			churn_join_or_leave(h, w);
			continue;
		}
		switch (rand() % 10) {
		case 0 ... 3:
			err = pg2_join(h, group_name(g), 0, NULL, 0);
			NOTE(w, err);
			w->counts[g] += !err;
			break;
		case 4 ... 7:
			err = pg2_leave(h, group_name(g), 0);
			NOTE(w, err);
			w->counts[g] -= !err && w->counts[g] > 0;
			break;
		case 8:
			short_lived_member(h, w);
			break;
		case 9:
			err = members_seen(h, group_name(g));
			if (err == -EAGAIN)
				w->unfinished_reads++;
			else
				NOTE(w, err < 0 ? err : 0);
			break;
		}
		w->ops++;
	}
	if (i % 2 == 0) {
		/*
		 * An exiter leaves "churn" as often as it may still be in it
		 * (it is in it at most that often), and joins "last": it
		 * exits a member of at least one group.
		 */
		while (w->churn-- > 0)
			pg2_leave(h, "churn", 0);
		NOTE(w, pg2_join(h, "last", 0, NULL, 0));
	}
	pg2_close(h);
	__atomic_add_fetch(&sh->done, 1, __ATOMIC_SEQ_CST);
	/* The test closes its end when it is ready to watch the exits. */
	while (read(go, &c, 1) > 0)
		;
	if (i % 2 == 0)
		_exit(0);
	for (;;)
		pause();
}

/* The memberships an exiter holds when it exits. */
static int held_at_exit(const struct worker *w)
{
	int g, n = 1;		/* "last" */

	for (g = 0; g < GROUPS; g++)
		n += w->counts[g] > 0;
	return n;
}

/* The memberships of uid's survivors: what its quota must hold. */
static int held_by_survivors(const struct shared *sh, uid_t uid)
{
	int i, g, n = 0;

	for (i = 1; i < WORKERS; i += 2)
		for (g = 0; sh->w[i].uid == uid && g < GROUPS; g++)
			n += sh->w[i].counts[g] > 0;
	return n;
}

static int quota_join_result;

static void join_last(void *arg)
{
	struct pg2_handle *h;

	(void)arg;
	CHILD_CHECK(!pg2_open(&h, -1));
	quota_join_result = pg2_join(h, "last", 0, NULL, 0);
	if (quota_join_result == -EDQUOT)
		CHILD_CHECK(kernel_said(h, PG2_MSG_QUOTA));
	pg2_close(h);
	_exit(quota_join_result == -EDQUOT ? 3 : quota_join_result ? 1 : 0);
}

FIXTURE(conc) {
	struct pg2_handle *h;
	struct shared *sh;
	long saved_quota;
};

FIXTURE_SETUP(conc)
{
	int g;

	self->saved_quota = -1;
	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	for (g = 0; g < GROUPS; g++)
		ASSERT_EQ(0, pg2_create(self->h, group_name(g)));
	ASSERT_EQ(0, pg2_create(self->h, "churn"));
	ASSERT_EQ(0, pg2_create(self->h, "last"));
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
}

FIXTURE_TEARDOWN(conc)
{
	int i;

	for (i = 0; i < WORKERS; i++)
		if (self->sh->w[i].pid > 0)
			kill(self->sh->w[i].pid, SIGKILL);
	while (wait(NULL) > 0)
		;
	munmap(self->sh, sizeof(*self->sh));
	if (self->saved_quota >= 0)
		module_param_set("max_memberships_per_uid", self->saved_quota);
	pg2_close(self->h);
}

/*
 * Waits for every exiter's exit to be announced, one MEMBER_LEFT (reason
 * exit) per membership it held, and for no more than that.  The reaper
 * works through dead processes in the order they died, so then every
 * process that died before them (their short-lived members) is reaped too.
 */
static void await_exits(struct __test_metadata *_metadata, struct rawnl *nl,
			struct pg2_handle *h, struct shared *sh)
{
	long long deadline = now_ms() + 60000;
	int want[WORKERS] = { 0 }, missing = 0, i;
	struct rawnl_event ev;
	bool marker = false;

	for (i = 0; i < WORKERS; i += 2) {
		want[i] = held_at_exit(&sh->w[i]);
		missing += want[i];
	}
	while (missing > 0 || !marker) {
		ASSERT_LT(now_ms(), deadline) TH_LOG("%d exit events missing",
						     missing);
		ASSERT_EQ(1, rawnl_next_event(nl, &ev, 5000))
			TH_LOG("%d exit events missing", missing);
		if (ev.cmd == PG2_CMD_GROUP_CREATED &&
		    !strcmp(ev.group, "marker")) {
			marker = true;
			continue;
		}
		if (ev.cmd != PG2_CMD_MEMBER_LEFT)
			continue;
		for (i = 0; i < WORKERS; i += 2)
			if ((uint32_t)sh->w[i].exited == ev.pid)
				break;
		if (i == WORKERS)
			continue;	/* a short-lived member */
		ASSERT_EQ(PG2_REASON_EXIT, ev.reason);
		ASSERT_EQ(0, ev.count);
		ASSERT_LT(0, want[i]) TH_LOG("worker %d: one exit event too many",
					     i);
		want[i]--;
		/* All announced: a marker shows whether any more follow. */
		if (!--missing)
			ASSERT_EQ(0, pg2_create(h, "marker"));
	}
}

/*
 * Each uid's quota holds exactly its survivors' memberships: one more is
 * EDQUOT with the quota at that number, and fits with one more allowed.
 */
static void check_quota(struct __test_metadata *_metadata,
			FIXTURE_DATA(conc) *self, uid_t uid)
{
	int held = held_by_survivors(self->sh, uid), status;
	long old;

	old = module_param_set("max_memberships_per_uid", held);
	ASSERT_LE(0, old);
	if (self->saved_quota < 0)
		self->saved_quota = old;
	status = run_as(uid, join_last, NULL);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3)
		TH_LOG("uid %u holding %d: status %#x, not EDQUOT", uid, held,
		       status);
	ASSERT_LE(0, module_param_set("max_memberships_per_uid", held + 1));
	EXPECT_EQ(0, run_as(uid, join_last, NULL))
		TH_LOG("uid %u holding %d: no room for one more", uid, held);
	ASSERT_LE(0, module_param_set("max_memberships_per_uid",
				      self->saved_quota));
	TH_LOG("uid %u: quota is its %d memberships", uid, held);
}

TEST_F_TIMEOUT(conc, survivors_hold_exactly_the_table, 600)
{
	long seconds = env_long("PG2_STRESS_SECONDS", 20);
	long long until, deadline;
	struct pg2_table *t;
	struct rawnl nl;
	size_t expected = 0, k;
	int i, g, status, ops = 0, ghosts = 0, unfinished = 0, go[2];
	pid_t pid;

	ASSERT_LT(0, seconds);
	ASSERT_GE(500, seconds);
	ASSERT_EQ(0, pipe(go));
	until = now_ms() + seconds * 1000;
	for (i = 0; i < WORKERS; i++) {
		self->sh->w[i].uid = worker_uid(i);
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid) {
			close(go[1]);
			work(self->sh, i, until, go[0]);
		}
		self->sh->w[i].pid = pid;
	}
	close(go[0]);
	deadline = now_ms() + seconds * 1000 + 60000;
	while (__atomic_load_n(&self->sh->done, __ATOMIC_SEQ_CST) < WORKERS &&
	       now_ms() < deadline)
		usleep(10000);
	ASSERT_EQ(WORKERS, self->sh->done);

	/* Every worker is done: now the exiters go, watched. */
	ASSERT_EQ(0, rawnl_open(&nl));
	ASSERT_EQ(0, rawnl_listen(&nl));
	close(go[1]);
	for (i = 0; i < WORKERS; i += 2) {
		ASSERT_EQ(self->sh->w[i].pid,
			  waitpid(self->sh->w[i].pid, &status, 0));
		self->sh->w[i].exited = self->sh->w[i].pid;
		self->sh->w[i].pid = 0;
		EXPECT_EQ(0, status);
	}
	await_exits(_metadata, &nl, self->h, self->sh);
	rawnl_close(&nl);

	for (i = 0; i < WORKERS; i++) {
		struct worker *w = &self->sh->w[i];

		EXPECT_EQ(0, w->error) TH_LOG("worker %d: line %d", i, w->line);
		ops += w->ops;
		ghosts += w->ghosts;
		unfinished += w->unfinished_reads;
		for (g = 0; i % 2 && g < GROUPS; g++)
			expected += w->counts[g] > 0;
	}
	TH_LOG("%d operations in %ld s, %d deletes of churn", ops, seconds,
	       self->sh->w[DELETER].deletes);
	EXPECT_LT(0, self->sh->w[DELETER].deletes);
	EXPECT_EQ(0, ghosts);
	/* Reads must complete however busy the table is. */
	EXPECT_EQ(0, unfinished) TH_LOG("get_members gave up with -EAGAIN");

	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	/* g0 to g7, churn, last, marker */
	EXPECT_EQ(GROUPS + 3, t->n_groups);
	EXPECT_EQ(expected, t->n_members);
	for (k = 0; k < t->n_members; k++) {
		const struct pg2_member *m = &t->members[k].member;
		const char *name = t->groups[t->members[k].group].name;

		for (i = 1; i < WORKERS; i += 2)
			if ((uint32_t)self->sh->w[i].pid == m->pid)
				break;
		ASSERT_GT(WORKERS, i) TH_LOG("ghost %u in %s", m->pid, name);
		ASSERT_TRUE(name[0] == 'g' && name[1] >= '0' &&
			    name[1] < '0' + GROUPS && !name[2])
			TH_LOG("worker %d in %s", i, name);
		g = name[1] - '0';
		EXPECT_EQ((uint32_t)self->sh->w[i].counts[g], m->count)
			TH_LOG("worker %d in %s", i, name);
	}
	pg2_table_free(t);

	check_quota(_metadata, self, UNPRIV_UID);
	check_quota(_metadata, self, OTHER_UID);

	for (i = 1; i < WORKERS; i += 2) {
		ASSERT_EQ(0, child_kill(self->sh->w[i].pid));
		self->sh->w[i].pid = 0;
	}
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	EXPECT_EQ(0, t->n_members);
	pg2_table_free(t);
}

TEST_HARNESS_MAIN
