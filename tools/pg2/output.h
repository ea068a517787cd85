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

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void out_init(bool json, bool pretty);
bool out_json(void);

void out_begin(void);
/* Returns 0, or -EIO when stdout could not take the output. */
int out_end(void);

/* key: the member's name inside an object; NULL inside an array. */
void out_open_object(const char *key);
void out_close_object(void);
void out_open_array(const char *key);
void out_close_array(void);

void out_string(const char *key, const char *fmt, const char *value);
void out_uint(const char *key, const char *fmt, unsigned long long value);
void out_bool(const char *key, const char *fmt, bool value);
/* Text only. */
void out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void out_newline(void);

/* Member data: text when printable, else hex (see pg2-member(8)). */
void out_data(const uint8_t *data, size_t len);

#endif /* PG2_OUTPUT_H */
