// SPDX-License-Identifier: GPL-2.0
/*
 * rmmod with thousands of members, a listener and live member processes;
 * reload; and loading on demand by the first request for the "pg2" family
 * (MODULE_ALIAS_GENL_FAMILY).  Reloads the module, so it runs last.
 * Needs $PG2_MODULE, the path of pg2.ko.
 */
#include <regex.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "../module_ctl.h"
#include "pg2_test.h"
#include "rawnl.h"
#include <kselftest_harness.h>

#define GROUPS 20
#define REMOTE_PER_GROUP 200
#define MEMBER_PROCESSES 20

/*
 * Installs $PG2_MODULE as extra/pg2.ko for modprobe.  A full "depmod -a"
 * reads every module of the kernel and takes minutes in the emulated
 * guest, so the index is saved, rebuilt from pg2.ko alone, and put back by
 * uninstall_module().
 */
static const char install_script[] =
	"set -e; d=/lib/modules/$(uname -r); b=$d/pg2-selftest-saved\n"
	"mkdir -p $d/extra $b; cp $d/modules.* $b/\n"
	"cp \"$PG2_MODULE\" $d/extra/pg2.ko\n"
	"depmod $(uname -r) $d/extra/pg2.ko\n";

static const char uninstall_script[] =
	"d=/lib/modules/$(uname -r); b=$d/pg2-selftest-saved\n"
	"rm -f $d/extra/pg2.ko; cp $b/modules.* $d/ && rm -rf $b\n";

/* One write(2) per record: /dev/kmsg refuses dprintf()'s. */
static int kmsg_mark(const char *mark)
{
	int fd = open("/dev/kmsg", O_WRONLY), err = 0;
	char line[128];
	int len = snprintf(line, sizeof(line), "%s\n", mark);

	if (fd < 0)
		return -errno;
	if (write(fd, line, len) != len)
		err = -EIO;
	close(fd);
	return err;
}

/*
 * The kernel log's patterns of trouble, as run-guest scans for them
 * (tools/testing/vm/kernel-log-patterns: one extended regex a line, "#"
 * comments, "!" exceptions).  Returns how many were compiled, or -1.
 */
static int load_log_patterns(regex_t *re, bool *exception, int max)
{
	const char *top = getenv("PG2_TOP");
	char path[4096], line[512];
	int n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tools/testing/vm/kernel-log-patterns",
		 top ? top : ".");
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		exception[n] = line[0] == '!';
		if (regcomp(&re[n], line + exception[n], REG_EXTENDED | REG_NOSUB))
			break;
		n++;
	}
	fclose(f);
	return n;
}

static bool log_line_is_trouble(const char *line, regex_t *re,
				const bool *exception, int n)
{
	bool trouble = false;
	int i;

	for (i = 0; i < n; i++) {
		if (regexec(&re[i], line, 0, NULL, 0))
			continue;
		if (exception[i])
			return false;
		trouble = true;
	}
	return trouble;
}

/* Kernel log lines after mark that tell of a bug; 0 when clean. */
static int kmsg_bad_lines_after(const char *mark)
{
	regex_t re[128];
	bool exception[128];
	char rec[8192];
	bool after = false;
	int fd, n, i, patterns, bad_lines = 0;

	patterns = load_log_patterns(re, exception, 128);
	if (patterns <= 0)
		return -1;
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		bad_lines = -1;
	while (fd >= 0 && ((n = read(fd, rec, sizeof(rec) - 1)) > 0 ||
			   (n < 0 && errno == EPIPE))) {
		if (n <= 0)
			continue;
		rec[n] = '\0';
		if (strstr(rec, mark)) {
			after = true;
			continue;
		}
		if (after && log_line_is_trouble(rec, re, exception, patterns)) {
			fprintf(stderr, "# kernel: %s", rec);
			bad_lines++;
		}
	}
	if (fd >= 0)
		close(fd);
	for (i = 0; i < patterns; i++)
		regfree(&re[i]);
	return after ? bad_lines : -1;
}

FIXTURE(unload) {
	const char *module;
	bool installed;
};

FIXTURE_SETUP(unload)
{
	self->module = getenv("PG2_MODULE");
	if (!self->module)
		SKIP(return, "PG2_MODULE is not set");
	ASSERT_TRUE(module_loaded());
	ASSERT_EQ(0, enter_new_netns());
}

FIXTURE_TEARDOWN(unload)
{
	if (self->installed)
		RUN("/bin/sh", "-c", (char *)uninstall_script);
	/* Whatever happened, later users find pg2 loaded. */
	if (self->module && !module_loaded())
		RUN("/sbin/insmod", (char *)self->module);
}

/* What the helpers did while rmmod ran, in memory shared with the test. */
struct unload_race {
	int dumps, dumps_ok;		/* TABLE_GET and member dumps */
	int joins, joins_ok;		/* by short-lived processes */
	int kills;			/* members SIGKILLed */
	int rmmod;			/* 1 from rmmod's start, 2 when done */
	/* What happened while rmmod (its retries included) was running. */
	int dumps_during, joins_during, kills_during;
};

#define DURING(race) ((race)->rmmod == 1)

/* Dumps the table and a group's members until killed. */
static void dumper(struct unload_race *race)
{
	struct pg2_member *m;
	struct pg2_table *t;
	struct pg2_handle *h;
	size_t n;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (pg2_open(&h, -1))
		_exit(1);
	srand(getpid());
	for (;;) {
		/* Interrupted dumps (EAGAIN) count too: the churn changes all. */
		race->dumps_during += DURING(race);
		race->dumps++;
		if (!pg2_table_get(h, false, &t)) {
			pg2_table_free(t);
			race->dumps_ok++;
		}
		race->dumps_during += DURING(race);
		race->dumps++;
		if (!pg2_get_members(h, "group1", &m, &n)) {
			free(m);
			race->dumps_ok++;
		}
		/* Gaps, so that rmmod finds the module unused now and then. */
		usleep(rand() % 3000);
	}
}

/* Forks processes that join group2 and exit at once, until killed. */
static void churner(struct unload_race *race)
{
	struct pg2_handle *h;
	int status;
	pid_t pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;) {
		pid = fork();
		if (!pid) {
			if (pg2_open(&h, -1))
				_exit(1);
			_exit(pg2_join(h, "group2", 0, NULL, 0) ? 1 : 0);
		}
		race->joins_during += DURING(race);
		race->joins++;
		if (pid > 0 && waitpid(pid, &status, 0) == pid && !status)
			race->joins_ok++;
	}
}

/* SIGKILLs the test's member processes one by one (it reaps them). */
static void killer(struct unload_race *race, const pid_t *procs, int n)
{
	int p;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (p = 0; p < n; p++) {
		race->kills_during += DURING(race);
		kill(procs[p], SIGKILL);
		race->kills++;
		usleep(5000);
	}
	_exit(0);
}

static pid_t start_helper(void (*fn)(struct unload_race *),
			  struct unload_race *race)
{
	pid_t pid = fork();

	if (!pid)
		fn(race);
	return pid;
}

/*
 * delete_module(2) as rmmod does it, retried while a dump in flight holds
 * a reference to the module (EWOULDBLOCK), for up to 30 s.
 */
static int unload(void)
{
	long long deadline = now_ms() + 30000;

	while (syscall(SYS_delete_module, "pg2", O_NONBLOCK)) {
		if ((errno != EWOULDBLOCK && errno != EBUSY) ||
		    now_ms() > deadline)
			return -errno;
		usleep(1000);
	}
	return 0;
}

/* A netns full of members: remote ones and live local processes. */
static void populate(struct __test_metadata *_metadata, struct pg2_handle *h,
		     pid_t *procs)
{
	char name[16];
	int g, p, i;

	for (g = 0; g < GROUPS; g++) {
		snprintf(name, sizeof(name), "group%d", g);
		ASSERT_EQ(0, pg2_create(h, name));
		for (i = 0; i < REMOTE_PER_GROUP; i++)
			ASSERT_EQ(0, pg2_remote_join(h, name, 3, i + 1, 1,
						     "data", 4));
	}
	for (p = 0; p < MEMBER_PROCESSES; p++) {
		procs[p] = child_start(NULL, NULL, NULL);
		ASSERT_LT(0, procs[p]);
		for (g = 0; g < GROUPS; g++) {
			snprintf(name, sizeof(name), "group%d", g);
			ASSERT_EQ(0, pg2_join(h, name, procs[p], NULL, 0));
		}
	}
}

TEST_F_TIMEOUT(unload, rmmod_with_members_and_listener, 400)
{
	pid_t procs_a[MEMBER_PROCESSES], procs_b[MEMBER_PROCESSES];
	struct pg2_handle *a, *b;
	struct pg2_monitor *mon;
	struct pg2_table *t;
	struct unload_race *race;
	struct rawnl listener;
	pid_t helpers[3];
	long long deadline;
	char mark[64];
	int home, netns_b, p;
	uint64_t gen;

	if (!self->module)
		return;
	home = netns_self_fd();
	ASSERT_EQ(0, enter_new_netns());
	netns_b = netns_self_fd();
	ASSERT_EQ(0, rawnl_open(&listener));
	ASSERT_EQ(0, rawnl_listen(&listener));
	ASSERT_EQ(0, setns(home, CLONE_NEWNET));
	ASSERT_EQ(0, pg2_open(&a, -1));
	ASSERT_EQ(0, pg2_open(&b, netns_b));
	ASSERT_EQ(0, pg2_monitor_open(&mon, -1));
	ASSERT_EQ(0, pg2_monitor_snapshot(mon, &t));
	pg2_table_free(t);
	populate(_metadata, a, procs_a);
	populate(_metadata, b, procs_b);
	ASSERT_EQ(0, pg2_table_get(b, false, &t));
	EXPECT_EQ(GROUPS * (REMOTE_PER_GROUP + MEMBER_PROCESSES), t->n_members);
	pg2_table_free(t);

	snprintf(mark, sizeof(mark), "pg2-selftest: rmmod %d", getpid());
	ASSERT_EQ(0, kmsg_mark(mark));
	/*
	 * rmmod while dumps, joins of processes that exit at once, and the
	 * killing of members go on.
	 */
	race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, race);
	memset(race, 0, sizeof(*race));
	helpers[0] = start_helper(dumper, race);
	helpers[1] = start_helper(churner, race);
	/* Let them get going: a dump and a join done. */
	deadline = now_ms() + 10000;
	while ((!race->dumps || !race->joins_ok) && now_ms() < deadline)
		usleep(1000);
	race->rmmod = 1;
	helpers[2] = fork();
	if (!helpers[2])
		killer(race, procs_a, MEMBER_PROCESSES);
	for (p = 0; p < 3; p++)
		ASSERT_LT(0, helpers[p]);
	ASSERT_EQ(0, unload());
	race->rmmod = 2;
	ASSERT_FALSE(module_loaded());
	for (p = 0; p < 3; p++)
		child_kill(helpers[p]);
	TH_LOG("during rmmod: %d dumps, %d joins, %d kills; in all %d dumps (%d whole), %d joins (%d done), %d kills",
	       race->dumps_during, race->joins_during, race->kills_during,
	       race->dumps, race->dumps_ok, race->joins, race->joins_ok,
	       race->kills);
	EXPECT_LT(0, race->dumps_during);
	EXPECT_LT(0, race->kills_during);
	EXPECT_LT(0, race->joins_ok);
	munmap(race, sizeof(*race));
	/* The exit probe is gone: members dying now must not reach it. */
	for (p = 0; p < MEMBER_PROCESSES; p++) {
		child_kill(procs_a[p]);
		child_kill(procs_b[p]);
	}
	EXPECT_GT(0, pg2_generation(a, &gen));
	pg2_monitor_close(mon);
	rawnl_close(&listener);
	pg2_close(b);
	pg2_close(a);

	ASSERT_EQ(0, RUN("/sbin/insmod", (char *)self->module));
	ASSERT_TRUE(module_loaded());
	/* Both netns live on; their tables start afresh. */
	ASSERT_EQ(0, pg2_open(&a, -1));
	ASSERT_EQ(0, pg2_open(&b, netns_b));
	EXPECT_EQ(1, generation(a));
	EXPECT_EQ(1, generation(b));
	EXPECT_EQ(-ENOENT, members_seen(a, "group0"));
	ASSERT_EQ(0, pg2_create(b, "again"));
	{
		struct join_spec spec[] = {
			{ .netns_fd = netns_b, .groups = { "again" } },
			{ .groups = { NULL } },
		};
		int res;
		pid_t child = child_start(child_join_fn, spec, &res);

		ASSERT_LT(0, child);
		ASSERT_EQ(0, res);
		EXPECT_EQ(1, count_of(b, "again", 0, child));
		ASSERT_EQ(0, child_kill(child));
		EXPECT_EQ(0, members_seen(b, "again"));
	}
	pg2_close(b);
	pg2_close(a);
	close(netns_b);
	close(home);
	EXPECT_EQ(0, kmsg_bad_lines_after(mark));
}

TEST_F_TIMEOUT(unload, first_request_loads_the_module, 120)
{
	struct pg2_handle *h;

	if (!self->module)
		return;
	self->installed = true;
	ASSERT_EQ(0, RUN("/bin/sh", "-c", (char *)install_script));
	ASSERT_EQ(0, RUN("/sbin/rmmod", "pg2"));
	ASSERT_FALSE(module_loaded());

	/* Nothing but the family lookup of an ordinary request. */
	ASSERT_EQ(0, pg2_open(&h, -1)) TH_LOG("%s", pg2_errmsg(NULL));
	EXPECT_TRUE(module_loaded());
	EXPECT_EQ(0, pg2_create(h, "on_demand"));
	EXPECT_EQ(0, members_seen(h, "on_demand"));
	pg2_close(h);
}

TEST_HARNESS_MAIN
