/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one output path of pg2(8): every command prints through these calls,
 * which write text or build JSON (with json-c) from the same description.
 *
 * A key names the value in JSON (NULL: text only); a printf format shows
 * it in text (NULL: JSON only).  A document is one command's answer or one
 * monitor event: out_begin() starts it, out_end() prints and flushes it.
 */
#ifndef PG2_OUTPUT_H
#define PG2_OUTPUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void out_init(bool json, bool pretty);
/* Says so and exits 2. */
void out_of_memory(void) __attribute__((noreturn));

void out_begin(void);
/* Prints the JSON document (nothing to do in text); see end_output(). */
void out_end(void);

/* key: the member's name inside an object; NULL inside an array. */
void out_open_object(const char *key);
void out_close_object(void);
void out_open_array(const char *key);
void out_close_array(void);

void out_string(const char *key, const char *fmt, const char *value);
void out_uint(const char *key, const char *fmt, unsigned long long value);
/* Text only. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_newline(void);

/*
 * Member data: in text, as text when printable, else hex; in JSON, as a
 * string when it is UTF-8 text, and in hex always (see pg2-member(8)).
 */
void out_data(const uint8_t *data, size_t len);

/*
 * printf for text: fmt takes %s, %d and %u only, and every %s (a name, a
 * word of the user's) is escaped as names are in text output.  Messages
 * on stderr quote the user's words through it too.
 */
void out_printf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void out_vprintf(FILE *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif /* PG2_OUTPUT_H */
