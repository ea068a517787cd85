// SPDX-License-Identifier: GPL-2.0
/*
 * pg2(8): process groups from the shell, in the style of iproute2.
 *
 *   pg2 [ OPTIONS ] OBJECT { COMMAND | help }
 *   pg2 [ OPTIONS ] -b FILE
 *
 * This file reads the options, runs one command or a batch of them, and
 * turns failures into messages and exit statuses.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pg2.h"

/* Words on one batch line, at most. */
#define BATCH_MAX_ARGS	64

static const struct cli_object *const objects[] = {
	&group_object, &member_object, &monitor_object,
};
#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

static void usage(FILE *out)
{
	size_t i;

	fputs("Usage: pg2 [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       pg2 [ OPTIONS ] -b FILE\n"
	      "where  OBJECT := {", out);
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(out, "%s %s", i ? " |" : "", objects[i]->name);
	fputs(" }\n"
	      "       OPTIONS := { -j, --json | -p, --pretty | -s, --statistics |\n"
	      "                    -t, --timestamp | -n, --netns NAME |\n"
	      "                    -b, --batch FILE | -f, --force | -V, --version |\n"
	      "                    -h, --help }\n"
	      "Try \"pg2 OBJECT help\" for the commands of an object.  See pg2(8), and\n"
	      "pg2-OBJECT(8) for each object.\n", out);
}

static void object_usage(const struct cli_object *object)
{
	const struct cli_cmd *cmd;
	const char *lead = "Usage:";

	for (cmd = object->cmds; cmd->run; cmd++, lead = "      ") {
		printf("%s pg2 %s", lead, object->name);
		if (cmd->name)
			printf(" %s", cmd->name);
		if (*cmd->synopsis)
			printf(" %s", cmd->synopsis);
		putchar('\n');
	}
	if (object->where)
		fputs(object->where, stdout);
	printf("Options: %s;\n"
	       "         -n, -b, -f as for every object (\"pg2 help\").  See pg2-%s(8).\n",
	       object->options, object->name);
}

/* Prints msg as "Error: msg." (the kernel's messages have no period). */
int system_error(const char *msg)
{
	size_t len = strlen(msg);

	while (len && msg[len - 1] == '.')
		len--;
	fprintf(stderr, "Error: %.*s.\n", (int)len, msg);
	return PG2_EXIT_KERNEL;
}

int handle_error(struct pg2_cli *cli)
{
	return system_error(pg2_errmsg(cli->handle));
}

/* "Error: cannot WHAT "NAME": strerror(err)." */
static int name_error(int status, const char *what, const char *name, int err)
{
	fprintf(stderr, "Error: cannot %s ", what);
	out_printf(stderr, "\"%s\"", name);
	fprintf(stderr, ": %s.\n", strerror(err));
	return status;
}

int usage_error(const char *object, const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	out_vprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ". Try \"pg2 %s%shelp\".\n", object ? object : "",
		object ? " " : "");
	return PG2_EXIT_USAGE;
}

/* As iproute2's close_stdout(): output that was lost is a failure. */
int flush_output(void)
{
	if (fflush(stdout) || ferror(stdout))
		return system_error("cannot write to standard output");
	return PG2_EXIT_OK;
}

int end_output(void)
{
	out_end();
	return flush_output();
}

void print_generation(struct pg2_cli *cli, uint64_t generation)
{
	if (cli->statistics)
		out_uint("generation", "generation %llu\n", generation);
}

/* "help" with nothing after it prints the usage. */
static int help(const char *object, int argc, char **argv)
{
	const struct cli_object *const *obj;

	if (argc > 1)
		return usage_error(object, "unexpected argument \"%s\"",
				   argv[1]);
	for (obj = objects; obj < objects + N_OBJECTS; obj++)
		if (object && !strcmp(object, (*obj)->name))
			object_usage(*obj);
	if (!object)
		usage(stdout);
	return flush_output();
}

/*
 * OBJECT [ COMMAND ] ARGS: no command word runs the object's first command
 * (show, or the monitor itself).
 */
static int run_object(struct pg2_cli *cli, const struct cli_object *object,
		      int argc, char **argv)
{
	const struct cli_cmd *cmd = object->cmds;
	struct cli_args args;
	int ret;

	if (argc && !strcmp(argv[0], "help"))
		return help(object->name, argc, argv);
	if (cmd->name && argc) {
		while (cmd->run && strcmp(cmd->name, argv[0]))
			cmd++;
		if (!cmd->run)
			return usage_error(object->name, "unknown command \"%s\"",
					   argv[0]);
		argc--;
		argv++;
	}
	if (cmd->flags & NOT_IN_BATCH && cli->in_batch)
		return usage_error(object->name, "\"%s\" cannot run in a batch",
				   cmd->name);
	ret = parse_args(object, cmd, argc, argv, &args);
	if (ret)
		return ret;
	if (!(cmd->flags & NO_HANDLE) && !cli->handle &&
	    pg2_open(&cli->handle, -1))
		return system_error(pg2_errmsg(NULL));
	return cmd->run(cli, &args);
}

static int run(struct pg2_cli *cli, int argc, char **argv)
{
	size_t i;

	if (!argc)
		return usage_error(NULL, "no object given");
	if (!strcmp(argv[0], "help"))
		return help(NULL, argc, argv);
	for (i = 0; i < N_OBJECTS; i++)
		if (!strcmp(argv[0], objects[i]->name))
			return run_object(cli, objects[i], argc - 1, argv + 1);
	return usage_error(NULL, "unknown object \"%s\"", argv[0]);
}

/*
 * Splits line into words in place: blanks separate words, single or double
 * quotes keep blanks inside one, and '#' at the start of a word begins a
 * comment.  Returns the number of words, -EINVAL for an unbalanced quote,
 * -E2BIG for more than max words.  argv has room for max + 1: a NULL ends
 * the words, as it ends main()'s.
 */
static int split_words(char *line, char **argv, int max)
{
	char *src = line, *dst;
	int argc = 0;
	char quote;

	for (;;) {
		while (isspace((unsigned char)*src))
			src++;
		argv[argc] = NULL;
		if (!*src || *src == '#')
			return argc;
		if (argc == max)
			return -E2BIG;
		dst = src;
		argv[argc++] = dst;
		quote = 0;
		while (*src && (quote || !isspace((unsigned char)*src))) {
			if (quote ? *src == quote : *src == '"' || *src == '\'')
				quote = quote ? 0 : *src;
			else
				*dst++ = *src;
			src++;
		}
		if (quote)
			return -EINVAL;
		if (*src)
			src++;
		*dst = '\0';
	}
}

static int run_line(struct pg2_cli *cli, char *line)
{
	char *argv[BATCH_MAX_ARGS + 1];
	int argc = split_words(line, argv, BATCH_MAX_ARGS);

	if (argc == -EINVAL)
		return usage_error(NULL, "unbalanced quote");
	if (argc == -E2BIG)
		return usage_error(NULL, "more than %d words", BATCH_MAX_ARGS);
	return argc ? run(cli, argc, argv) : PG2_EXIT_OK;
}

/*
 * Runs every line of the file name ("-": standard input).  Stops at the
 * first failing line unless force, and after a monitor that a signal
 * stopped; returns the first failure's status.
 */
static int run_batch(struct pg2_cli *cli, const char *name, bool force)
{
	FILE *in = strcmp(name, "-") ? fopen(name, "r") : stdin;
	int status = PG2_EXIT_OK, ret;
	unsigned int lineno = 0;
	size_t size = 0;
	char *line = NULL;

	if (!in)
		return name_error(PG2_EXIT_USAGE, "open batch file", name,
				  errno);
	cli->in_batch = true;
	while (!cli->stopped && getline(&line, &size, in) >= 0) {
		lineno++;
		ret = run_line(cli, line);
		if (!ret)
			continue;
		out_printf(stderr, "Command failed %s:%u\n", name, lineno);
		if (!status)
			status = ret;
		if (!force)
			break;
	}
	if (ferror(in)) {
		name_error(PG2_EXIT_USAGE, "read batch file", name, errno);
		if (!status)
			status = PG2_EXIT_USAGE;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return status;
}

/*
 * -n: pg2 moves to the named network namespace before anything opens a
 * socket, as ip -n does, so the command member exec runs is there too.
 */
static int enter_netns(const char *name)
{
	int fd = pg2_netns_fd(name), err = 0;

	if (fd == -EINVAL)
		return usage_error(NULL, "invalid network namespace name \"%s\"",
				   name);
	if (fd < 0)
		return name_error(PG2_EXIT_KERNEL, "open network namespace",
				  name, -fd);
	if (setns(fd, CLONE_NEWNET))
		err = errno;
	close(fd);
	if (err)
		return name_error(PG2_EXIT_KERNEL, "enter network namespace",
				  name, err);
	return PG2_EXIT_OK;
}

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "pretty", no_argument, NULL, 'p' },
	{ "statistics", no_argument, NULL, 's' },
	{ "timestamp", no_argument, NULL, 't' },
	{ "netns", required_argument, NULL, 'n' },
	{ "batch", required_argument, NULL, 'b' },
	{ "force", no_argument, NULL, 'f' },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

/*
 * getopt_long(), but a long option only by its whole name: getopt_long()
 * takes any unambiguous prefix, pg2(8) matches every word exactly.  The
 * option's word is argv[optind - 1], or the one before when that was the
 * option's argument; its name ends at any '='.
 */
static int next_option(int argc, char **argv)
{
	int long_index = -1, opt;
	const char *word, *name;
	size_t len;

	/* "+": options end at the object, so a command's own stay its own. */
	opt = getopt_long(argc, argv, "+jpstn:b:fVh", long_options,
			  &long_index);
	if (long_index < 0)
		return opt;
	name = long_options[long_index].name;
	word = argv[optind - (optarg == argv[optind - 1] ? 2 : 1)];
	len = strcspn(word + 2, "=");
	if (len == strlen(name) && !strncmp(word + 2, name, len))
		return opt;
	/* getopt_long()'s words for an unknown option. */
	fprintf(stderr, "%s: unrecognized option '%s'\n", argv[0], word);
	return '?';
}

int main(int argc, char **argv)
{
	bool json = false, pretty = false, force = false;
	const char *batch = NULL, *netns = NULL;
	struct pg2_cli cli = { };
	int opt, ret;

	while ((opt = next_option(argc, argv)) != -1) {
		switch (opt) {
		case 'j':
			json = true;
			break;
		case 'p':
			pretty = true;
			json = true;
			break;
		case 's':
			cli.statistics = true;
			break;
		case 't':
			cli.timestamp = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'b':
			batch = optarg;
			break;
		case 'f':
			force = true;
			break;
		case 'V':
			printf("pg2 %s\n", PG2_VERSION);
			return flush_output();
		case 'h':
			usage(stdout);
			return flush_output();
		default:
			usage(stderr);
			return PG2_EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (batch && argc)
		return usage_error(NULL, "-b takes no command, only FILE");
	out_init(json, pretty);
	ret = netns ? enter_netns(netns) : PG2_EXIT_OK;
	if (!ret && batch)
		ret = run_batch(&cli, batch, force);
	else if (!ret)
		ret = run(&cli, argc, argv);
	pg2_close(cli.handle);
	return ret;
}
