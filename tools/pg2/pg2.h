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
	bool stopped;			/* a monitor ended by SIGINT or SIGTERM */
	struct pg2_handle *handle;	/* opened before the first command
					 * (NO_HANDLE: when it needs one) */
};

/* A command's words after COMMAND, parsed (args.c). */
struct cli_args {
	const char *group;	/* GROUP or NAME; NULL when optional, absent */
	pid_t pid;		/* pid PID; 0 when not given */
	char *data;		/* data [ hex ] DATA, decoded; NULL: none */
	size_t data_len;
	bool local;		/* local */
	int signal;		/* SIGNAL; SIGTERM when not given */
	const char *filter;	/* monitor's group | member; NULL: both */
	char **command;		/* -- COMMAND [ ARGS... ] */
};

/* The words a command takes, and how it runs (cli_cmd.flags). */
#define TAKES_GROUP	0x001	/* GROUP first */
#define GROUP_OPTIONAL	0x002	/* ... or nothing */
#define TAKES_PID	0x004	/* pid PID */
#define TAKES_DATA	0x008	/* data [ hex ] DATA */
#define TAKES_LOCAL	0x010	/* local */
#define TAKES_SIGNAL	0x020	/* SIGNAL */
#define TAKES_FILTER	0x040	/* group | member */
#define TAKES_COMMAND	0x080	/* -- COMMAND [ ARGS... ], required */
#define NOT_IN_BATCH	0x100
#define NO_HANDLE	0x200	/* cli->handle is not opened before it runs */

/*
 * One command of an object: the one list its usage, dispatch and (through
 * "pg2 OBJECT help") its bash completion come from.
 */
struct cli_cmd {
	const char *name;	/* NULL: the object takes no command word */
	const char *synopsis;	/* the words after name, for usage */
	unsigned int flags;
	int (*run)(struct pg2_cli *cli, struct cli_args *args);
};

struct cli_object {
	const char *name;
	/* The usage error's format for a missing GROUP: "%s" is the command. */
	const char *missing_group_fmt;
	const struct cli_cmd *cmds; /* ends with { }; the first is the default */
	const char *where;	/* usage's "where" lines, or NULL */
	const char *options;	/* for usage: the options that apply */
};

extern const struct cli_object group_object, member_object, monitor_object;

/* pg2.c */
/* Print "Error: msg." and return PG2_EXIT_KERNEL. */
int system_error(const char *msg);
int handle_error(struct pg2_cli *cli);
/* fmt as out_printf()'s: the user's words are escaped. */
int usage_error(const char *object, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Ends a command's output: 0, or PG2_EXIT_KERNEL if stdout failed. */
int end_output(void);
int flush_output(void);

/* -s: a listing's last line, the generation the table was at. */
void print_generation(struct pg2_cli *cli, uint64_t generation);

/* args.c */
int parse_args(const struct cli_object *object, const struct cli_cmd *cmd,
	       int argc, char **argv, struct cli_args *args);
const char *signal_name(int sig, char *buf, size_t size);

/* member.c: one member's fields, in text and JSON (output.h). */
void print_member(const char *group, const struct pg2_member *member);

/* signal.c */
int member_signal(struct pg2_cli *cli, struct cli_args *args);

#endif /* PG2_CLI_H */
