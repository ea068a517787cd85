/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Loading and unloading pg2.ko from a C suite (the zz_ suites, which run
 * last): whether it is loaded, and running insmod, rmmod or a script.
 */
#ifndef PG2_MODULE_CTL_H
#define PG2_MODULE_CTL_H

#include <stdbool.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static inline bool module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/pg2", &st);
}

/* Runs argv[0] with argv; returns its exit status, or -1. */
static inline int run_argv(char *const argv[])
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		execv(argv[0], argv);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* RUN("/sbin/rmmod", "pg2"): run_argv() of its arguments. */
#define RUN(...) run_argv((char *[]){ __VA_ARGS__, NULL })

#endif /* PG2_MODULE_CTL_H */
