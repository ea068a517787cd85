/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pg2(8): what the command's files share.
 */
#ifndef PG2_CLI_H
#define PG2_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pg2nl.h>

/* Exit statuses, as pg2(8) documents them. */
#define PG2_EXIT_OK	0
#define PG2_EXIT_USAGE	1	/* bad command line or batch line */
#define PG2_EXIT_KERNEL	2	/* the kernel (or the system) said no */

struct pg2_cli {
	bool statistics;
	bool timestamp;
	bool in_batch;
	int netns_fd;			/* -1: the caller's netns */
	struct pg2_handle *handle;	/* opened on first use */
};

/* pg2.c */
struct pg2_handle *cli_handle(struct pg2_cli *cli);
/* Print "Error: msg." and return PG2_EXIT_KERNEL. */
int system_error(const char *msg);
int handle_error(struct pg2_cli *cli);
/* The generation the -s listings print; 0 without -s. */
int read_generation(struct pg2_cli *cli, uint64_t *generation);
void print_generation(struct pg2_cli *cli, uint64_t generation);
/* Ends a command's output: 0, or PG2_EXIT_KERNEL if stdout failed. */
int end_output(void);
int usage_error(const char *object, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool is_help(int argc, char **argv);

/* args.c: parsers of command-line values; -EINVAL on bad input. */
int parse_pid(const char *text, pid_t *pid);
int parse_data(char *text, bool hex, size_t *len);
int parse_signal(const char *text, int *sig);
const char *signal_name(int sig, char *buf, size_t size);

/* Each object's entry point: argv[0] is its first word after the object. */
int do_group(struct pg2_cli *cli, int argc, char **argv);
int do_member(struct pg2_cli *cli, int argc, char **argv);
int do_member_signal(struct pg2_cli *cli, int argc, char **argv);
int do_monitor(struct pg2_cli *cli, int argc, char **argv);

/* member.c: one member's fields, in text and JSON (output.h). */
void print_member(const char *group, const struct pg2_member *member);

void group_usage(FILE *out);
void member_usage(FILE *out);
void monitor_usage(FILE *out);

#endif /* PG2_CLI_H */
