// SPDX-License-Identifier: GPL-2.0
/*
 * The words after a command: GROUP, pid PID, data [ hex ] DATA, local,
 * SIGNAL, a monitor's group | member, and -- COMMAND, each only where the
 * command's flags take it.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pg2.h"

/* A decimal number in [min, max], nothing else. */
static int parse_number(const char *text, long min, long max, long *value)
{
	char *end;

	if (!isdigit((unsigned char)*text))
		return -EINVAL;
	errno = 0;
	*value = strtol(text, &end, 10);
	if (errno || *end || *value < min || *value > max)
		return -EINVAL;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * Member data is the bytes of text, or with hex the bytes its pairs of hex
 * digits spell, decoded in place: text never grows.  -ENODATA: empty (the
 * library would send no data at all); -EINVAL: not hex digits; -EDOM: an
 * odd number of them.
 */
static int parse_data(char *text, bool hex, size_t *len)
{
	size_t n = strlen(text), i;

	if (!n)
		return -ENODATA;
	if (!hex) {
		*len = n;
		return 0;
	}
	/* All checked first: text is left as it was on error. */
	for (i = 0; i < n; i++)
		if (hex_digit(text[i]) < 0)
			return -EINVAL;
	if (n % 2)
		return -EDOM;
	for (i = 0; i < n / 2; i++)
		text[i] = hex_digit(text[2 * i]) << 4 | hex_digit(text[2 * i + 1]);
	*len = n / 2;
	return 0;
}

/* Names kill(1) knows that sigabbrev_np() does not give. */
static const struct {
	const char *name;
	int sig;
} signal_aliases[] = {
	{ "IO", SIGIO },
	{ "IOT", SIGIOT },
	{ "CLD", SIGCHLD },
};

/* RTMIN, RTMIN+n, RTMAX, RTMAX-n (text without SIG); 0 if none of them. */
static int rt_signal(const char *text)
{
	int base, dir;
	long n = 0;

	if (!strncasecmp(text, "RTMIN", 5)) {
		base = SIGRTMIN;
		dir = 1;
	} else if (!strncasecmp(text, "RTMAX", 5)) {
		base = SIGRTMAX;
		dir = -1;
	} else {
		return 0;
	}
	text += 5;
	if (*text) {
		if (*text != (dir > 0 ? '+' : '-') ||
		    parse_number(text + 1, 0, SIGRTMAX - SIGRTMIN, &n))
			return 0;
	}
	return base + dir * n;
}

/*
 * A signal as kill(1) takes it: a name from sigabbrev_np(), RTMIN[+n] or
 * RTMAX[-n], with or without SIG, in any case; or a number from 0 to 31 or
 * SIGRTMIN to SIGRTMAX (glibc keeps the ones between for itself).
 */
static int parse_signal(const char *object, const char *text, int *sig)
{
	const char *name = text;
	size_t i;
	long n;

	if (isdigit((unsigned char)*text)) {
		if (parse_number(text, 0, SIGRTMAX, &n))
			return usage_error(object, "signal number \"%s\" is not from 0 to %d",
					   text, SIGRTMAX);
		if (n >= 32 && n < SIGRTMIN)
			return usage_error(object, "signal %s is reserved by the C library (use RTMIN to RTMAX)",
					   text);
		*sig = n;
		return PG2_EXIT_OK;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	*sig = rt_signal(name);
	for (i = 1; !*sig && i < 32; i++)
		if (sigabbrev_np(i) && !strcasecmp(name, sigabbrev_np(i)))
			*sig = i;
	for (i = 0; !*sig && i < sizeof(signal_aliases) / sizeof(signal_aliases[0]); i++)
		if (!strcasecmp(name, signal_aliases[i].name))
			*sig = signal_aliases[i].sig;
	if (!*sig)
		return usage_error(object, "unknown signal \"%s\"", text);
	return PG2_EXIT_OK;
}

const char *signal_name(int sig, char *buf, size_t size)
{
	if (sig == SIGRTMIN)
		return "RTMIN";
	if (sig == SIGRTMAX)
		return "RTMAX";
	if (sig > SIGRTMIN && sig < SIGRTMAX)
		snprintf(buf, size, "RTMIN+%d", sig - SIGRTMIN);
	else if (sigabbrev_np(sig))
		return sigabbrev_np(sig);
	else
		snprintf(buf, size, "%d", sig);
	return buf;
}

/* pid PID: argv[0] is the keyword, argv[1] its value. */
static int parse_pid_arg(const char *object, int argc, char **argv,
			 struct cli_args *args)
{
	long value;

	if (args->pid)
		return usage_error(object, "\"pid\" given twice");
	if (argc < 2)
		return usage_error(object, "\"pid\" needs a value");
	if (parse_number(argv[1], 1, INT_MAX, &value))
		return usage_error(object, "invalid pid \"%s\"", argv[1]);
	args->pid = value;
	return PG2_EXIT_OK;
}

/* data [ hex ] DATA: *words is how many words that is. */
static int parse_data_arg(const char *object, int argc, char **argv,
			  struct cli_args *args, int *words)
{
	bool hex = argc > 1 && !strcmp(argv[1], "hex");

	*words = hex ? 3 : 2;
	if (args->data)
		return usage_error(object, "\"data\" given twice");
	if (argc < *words)
		return usage_error(object, "\"data\" needs a value");
	args->data = argv[*words - 1];
	switch (parse_data(args->data, hex, &args->data_len)) {
	case 0:
		return PG2_EXIT_OK;
	case -ENODATA:
		return usage_error(object, "\"data\" needs at least one byte");
	case -EDOM:
		return usage_error(object, "\"%s\" is not an even number of hex digits",
				   args->data);
	default:
		return usage_error(object, "\"%s\" is not hex digits",
				   args->data);
	}
}

/* The monitor's group | member, once. */
static int parse_filter(const char *object, const char *word,
			struct cli_args *args)
{
	if (args->filter)
		return usage_error(object, "unexpected argument \"%s\"", word);
	if (strcmp(word, "group") && strcmp(word, "member"))
		return usage_error(object, "unknown event kind \"%s\"", word);
	args->filter = word;
	return PG2_EXIT_OK;
}

/*
 * Fills args from the words after the command; a usage error (printed) if
 * one does not fit.
 */
int parse_args(const struct cli_object *object, const struct cli_cmd *cmd,
	       int argc, char **argv, struct cli_args *args)
{
	const char *name = cmd->name ? cmd->name : object->name;
	const char *obj = object->name;
	unsigned int flags = cmd->flags;
	bool signal_given = false;
	int ret, words;

	memset(args, 0, sizeof(*args));
	args->signal = SIGTERM;
	if (flags & TAKES_GROUP) {
		if (!argc && !(flags & GROUP_OPTIONAL))
			return usage_error(obj, object->missing_group_fmt,
					   name);
		if (argc) {
			args->group = argv[0];
			argc--;
			argv++;
		}
	}
	for (; argc; argc -= words, argv += words) {
		words = 1;
		if (flags & TAKES_COMMAND && !strcmp(argv[0], "--")) {
			args->command = argv + 1;
			break;
		}
		if (flags & TAKES_PID && !strcmp(argv[0], "pid")) {
			ret = parse_pid_arg(obj, argc, argv, args);
			words = 2;
		} else if (flags & TAKES_DATA && !strcmp(argv[0], "data")) {
			ret = parse_data_arg(obj, argc, argv, args, &words);
		} else if (flags & TAKES_LOCAL && !strcmp(argv[0], "local") &&
			   !args->local) {
			args->local = true;
			ret = PG2_EXIT_OK;
		} else if (flags & TAKES_SIGNAL && !signal_given) {
			ret = parse_signal(obj, argv[0], &args->signal);
			signal_given = true;
		} else if (flags & TAKES_FILTER) {
			ret = parse_filter(obj, argv[0], args);
		} else {
			ret = usage_error(obj, "unexpected argument \"%s\"",
					  argv[0]);
		}
		if (ret)
			return ret;
	}
	if (flags & TAKES_COMMAND && !(args->command && args->command[0]))
		return usage_error(obj, "\"%s\" needs -- COMMAND", name);
	return PG2_EXIT_OK;
}
