/* SPDX-License-Identifier: GPL-2.0 */
/* What every C suite needs of pg2.ko itself: its parameters and messages. */
#ifndef PG2_MODULE_H
#define PG2_MODULE_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pg2nl.h>

/* Sets a pg2.ko parameter; returns its old value (Y/N as 1/0) or -errno. */
static inline long module_param_set(const char *name, long value)
{
	char path[256], buf[32];
	long old;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/pg2/parameters/%s", name);
	f = fopen(path, "r+");
	if (!f)
		return -errno;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -EIO;
	}
	old = buf[0] == 'Y' ? 1 : buf[0] == 'N' ? 0 : strtol(buf, NULL, 10);
	rewind(f);
	fprintf(f, "%ld\n", value);
	if (fclose(f))
		return -errno;
	return old;
}

/* The kernel explained itself: the message is not just strerror(). */
static inline int kernel_explained(struct pg2_handle *h, int err)
{
	const char *msg = pg2_errmsg(h);

	return msg && *msg && strcmp(msg, strerror(-err));
}

#endif /* PG2_MODULE_H */
