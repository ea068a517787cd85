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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "pg2.h"

/* Words on one batch line, at most. */
#define BATCH_MAX_ARGS	64

static void usage(FILE *out)
{
	fputs("Usage: pg2 [ OPTIONS ] OBJECT { COMMAND | help }\n"
	      "       pg2 [ OPTIONS ] -b FILE\n"
	      "where  OBJECT := { group | member | monitor }\n"
	      "       OPTIONS := { -j[son] | -p[retty] | -s[tatistics] | -t[imestamp] |\n"
	      "                    -n[etns] NAME | -b[atch] FILE | -f[orce] |\n"
	      "                    -V[ersion] | -h[elp] }\n"
	      "Try \"pg2 OBJECT help\" for the commands of an object.\n", out);
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

int usage_error(const char *object, const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ". Try \"pg2 %s%shelp\".\n", object ? object : "",
		object ? " " : "");
	return PG2_EXIT_USAGE;
}

bool is_help(int argc, char **argv)
{
	return argc && !strcmp(argv[0], "help");
}

struct pg2_handle *cli_handle(struct pg2_cli *cli)
{
	if (!cli->handle && pg2_open(&cli->handle, cli->netns_fd)) {
		system_error(pg2_errmsg(NULL));
		return NULL;
	}
	return cli->handle;
}

int read_generation(struct pg2_cli *cli, uint64_t *generation)
{
	*generation = 0;
	if (cli->statistics && pg2_generation(cli->handle, generation))
		return handle_error(cli);
	return PG2_EXIT_OK;
}

void print_generation(struct pg2_cli *cli, uint64_t generation)
{
	if (cli->statistics)
		out_uint("generation", "generation %llu\n", generation);
}

int end_output(void)
{
	if (out_end())
		return system_error("cannot write to standard output");
	return PG2_EXIT_OK;
}

static int run(struct pg2_cli *cli, int argc, char **argv)
{
	if (!argc)
		return usage_error(NULL, "no object given");
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return PG2_EXIT_OK;
	}
	if (!strcmp(argv[0], "group"))
		return do_group(cli, argc - 1, argv + 1);
	if (!strcmp(argv[0], "member"))
		return do_member(cli, argc - 1, argv + 1);
	if (!strcmp(argv[0], "monitor"))
		return do_monitor(cli, argc - 1, argv + 1);
	return usage_error(NULL, "unknown object \"%s\"", argv[0]);
}

/*
 * Splits line into words in place: blanks separate words, single or double
 * quotes keep blanks inside one, and '#' at the start of a word begins a
 * comment.  Returns the number of words or -EINVAL.
 */
static int split_words(char *line, char **argv, int max)
{
	char *src = line, *dst;
	int argc = 0;
	char quote;

	for (;;) {
		while (isspace((unsigned char)*src))
			src++;
		if (!*src || *src == '#')
			return argc;
		if (argc == max)
			return -EINVAL;
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

/*
 * Runs every line of the file name ("-": standard input).  Stops at the
 * first failing line unless force; returns the first failure's status.
 */
static int run_batch(struct pg2_cli *cli, const char *name, bool force)
{
	FILE *in = strcmp(name, "-") ? fopen(name, "r") : stdin;
	char *argv[BATCH_MAX_ARGS];
	int argc, status = PG2_EXIT_OK, ret;
	unsigned int lineno = 0;
	size_t size = 0;
	char *line = NULL;

	if (!in) {
		fprintf(stderr, "Error: cannot open batch file \"%s\": %s.\n",
			name, strerror(errno));
		return PG2_EXIT_USAGE;
	}
	cli->in_batch = true;
	while (getline(&line, &size, in) >= 0) {
		lineno++;
		argc = split_words(line, argv, BATCH_MAX_ARGS);
		if (!argc)
			continue;
		if (argc < 0)
			ret = usage_error(NULL, "unbalanced quote or more than %d words",
					  BATCH_MAX_ARGS);
		else
			ret = run(cli, argc, argv);
		if (!ret)
			continue;
		fprintf(stderr, "Command failed %s:%u\n", name, lineno);
		if (!status)
			status = ret;
		if (!force)
			break;
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return status;
}

static int open_netns(struct pg2_cli *cli, const char *name)
{
	cli->netns_fd = pg2_netns_fd(name);
	if (cli->netns_fd >= 0)
		return PG2_EXIT_OK;
	if (cli->netns_fd == -EINVAL)
		return usage_error(NULL, "invalid network namespace name \"%s\"",
				   name);
	fprintf(stderr, "Error: cannot open network namespace \"%s\": %s.\n",
		name, strerror(-cli->netns_fd));
	return PG2_EXIT_KERNEL;
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

int main(int argc, char **argv)
{
	struct pg2_cli cli = { .netns_fd = -1 };
	bool json = false, pretty = false, force = false;
	const char *batch = NULL, *netns = NULL;
	int opt, ret;

	/* "+": options end at the object, so a command's own stay its own. */
	while ((opt = getopt_long(argc, argv, "+jpstn:b:fVh", long_options,
				  NULL)) != -1) {
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
			return PG2_EXIT_OK;
		case 'h':
			usage(stdout);
			return PG2_EXIT_OK;
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
	if (netns) {
		ret = open_netns(&cli, netns);
		if (ret)
			return ret;
	}
	if (batch)
		ret = run_batch(&cli, batch, force);
	else
		ret = run(&cli, argc, argv);
	pg2_close(cli.handle);
	if (cli.netns_fd >= 0)
		close(cli.netns_fd);
	return ret;
}
