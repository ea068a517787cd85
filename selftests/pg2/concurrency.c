// SPDX-License-Identifier: GPL-2.0
/*
 * 64 processes join, leave, fork members that exit, and half of them exit
 * themselves, for PG2_STRESS_SECONDS (default 20).  Each knows exactly what
 * it holds; afterwards the table must be exactly what the survivors hold.
 */
#include <sys/mman.h>

#include "pg2_test.h"
#include <kselftest_harness.h>

#define WORKERS 64
#define GROUPS 8

struct worker {
	pid_t pid;
	int32_t counts[GROUPS];
	int error;		/* first unexpected result, 0 if none */
	int line;
	int ops;
	int ghosts;		/* exited children still listed after wait() */
	int unfinished_reads;	/* get_members gave up: -EAGAIN */
};

struct shared {
	struct worker w[WORKERS];
	int survivors_ready;
};

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

static void work(struct shared *sh, int i, long long until)
{
	struct worker *w = &sh->w[i];
	struct pg2_handle *h;
	int g, err;

	srand(getpid());
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	err = pg2_open(&h, -1);
	NOTE(w, err);
	if (err)
		_exit(1);
	while (now_ms() < until) {
		g = rand() % GROUPS;
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
	pg2_close(h);
	if (i % 2 == 0)
		_exit(0);
	__atomic_add_fetch(&sh->survivors_ready, 1, __ATOMIC_SEQ_CST);
	for (;;)
		pause();
}

FIXTURE(conc) {
	struct pg2_handle *h;
	struct shared *sh;
};

FIXTURE_SETUP(conc)
{
	int g;

	ASSERT_EQ(0, enter_new_netns());
	ASSERT_EQ(0, pg2_open(&self->h, -1));
	for (g = 0; g < GROUPS; g++)
		ASSERT_EQ(0, pg2_create(self->h, group_name(g)));
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
	pg2_close(self->h);
}

TEST_F_TIMEOUT(conc, survivors_hold_exactly_the_table, 600)
{
	long seconds = env_long("PG2_STRESS_SECONDS", 20);
	long long until, deadline;
	struct pg2_table *t;
	size_t expected = 0, k;
	int i, g, status, ops = 0, ghosts = 0, unfinished = 0;
	pid_t pid;

	ASSERT_LT(0, seconds);
	ASSERT_GE(500, seconds);
	until = now_ms() + seconds * 1000;
	for (i = 0; i < WORKERS; i++) {
		pid = fork();
		ASSERT_LE(0, pid);
		if (!pid)
			work(self->sh, i, until);
		self->sh->w[i].pid = pid;
	}
	for (i = 0; i < WORKERS; i += 2) {
		ASSERT_EQ(self->sh->w[i].pid,
			  waitpid(self->sh->w[i].pid, &status, 0));
		self->sh->w[i].pid = 0;
		EXPECT_EQ(0, status);
	}
	deadline = now_ms() + 60000;
	while (__atomic_load_n(&self->sh->survivors_ready, __ATOMIC_SEQ_CST) <
	       WORKERS / 2 && now_ms() < deadline)
		usleep(10000);
	ASSERT_EQ(WORKERS / 2, self->sh->survivors_ready);

	for (i = 0; i < WORKERS; i++) {
		struct worker *w = &self->sh->w[i];

		EXPECT_EQ(0, w->error) TH_LOG("worker %d: line %d", i, w->line);
		ops += w->ops;
		ghosts += w->ghosts;
		unfinished += w->unfinished_reads;
		for (g = 0; i % 2 && g < GROUPS; g++)
			expected += w->counts[g] > 0;
	}
	TH_LOG("%d operations in %ld s", ops, seconds);
	EXPECT_EQ(0, ghosts);
	/* Reads must complete however busy the table is. */
	EXPECT_EQ(0, unfinished) TH_LOG("get_members gave up with -EAGAIN");

	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	EXPECT_EQ(GROUPS, t->n_groups);
	EXPECT_EQ(expected, t->n_members);
	for (k = 0; k < t->n_members; k++) {
		const struct pg2_member *m = &t->members[k].member;
		const char *name = t->groups[t->members[k].group].name;

		for (i = 1; i < WORKERS; i += 2)
			if ((uint32_t)self->sh->w[i].pid == m->pid)
				break;
		ASSERT_GT(WORKERS, i) TH_LOG("ghost %u in %s", m->pid, name);
		g = name[1] - '0';
		EXPECT_EQ((uint32_t)self->sh->w[i].counts[g], m->count)
			TH_LOG("worker %d in %s", i, name);
	}
	pg2_table_free(t);

	for (i = 1; i < WORKERS; i += 2) {
		ASSERT_EQ(0, child_kill(self->sh->w[i].pid));
		self->sh->w[i].pid = 0;
	}
	ASSERT_EQ(0, pg2_table_get(self->h, false, &t));
	EXPECT_EQ(0, t->n_members);
	pg2_table_free(t);
}

TEST_HARNESS_MAIN
