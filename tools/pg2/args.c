// SPDX-License-Identifier: GPL-2.0
/*
 * Values on the command line: pids, member data, signals.
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

int parse_pid(const char *text, pid_t *pid)
{
	long value;
	int err = parse_number(text, 1, INT_MAX, &value);

	if (!err)
		*pid = value;
	return err;
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
 * digits spell, decoded in place: text never grows.
 */
int parse_data(char *text, bool hex, size_t *len)
{
	size_t n = strlen(text), i;

	if (!hex) {
		*len = n;
		return 0;
	}
	if (!n || n % 2)
		return -EINVAL;
	/* All checked first: text is left as it was on error. */
	for (i = 0; i < n; i++)
		if (hex_digit(text[i]) < 0)
			return -EINVAL;
	for (i = 0; i < n / 2; i++)
		text[i] = hex_digit(text[2 * i]) << 4 | hex_digit(text[2 * i + 1]);
	*len = n / 2;
	return 0;
}

/* A number, or a name with or without "SIG", in any case: TERM, sigkill. */
int parse_signal(const char *text, int *sig)
{
	long value;
	int i;

	if (isdigit((unsigned char)*text)) {
		if (parse_number(text, 0, SIGRTMAX, &value))
			return -EINVAL;
		*sig = value;
		return 0;
	}
	if (!strncasecmp(text, "SIG", 3))
		text += 3;
	for (i = 1; i < NSIG; i++) {
		const char *name = sigabbrev_np(i);

		if (name && !strcasecmp(text, name)) {
			*sig = i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *signal_name(int sig, char *buf, size_t size)
{
	const char *name = sigabbrev_np(sig);

	if (name)
		return name;
	snprintf(buf, size, "%d", sig);
	return buf;
}
