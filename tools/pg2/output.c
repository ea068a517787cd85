// SPDX-License-Identifier: GPL-2.0
/*
 * Text and JSON output from one description.  JSON documents are built
 * with json-c and printed whole, one per line unless pretty.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json.h>
#include <linux/pg2.h>

#include "output.h"

/* Objects and arrays nest this deep at most in pg2's output. */
#define OUT_DEPTH	8

static bool json;
static bool pretty;
static struct json_object *stack[OUT_DEPTH];
static int depth;		/* stack[depth - 1] is the innermost container */

void out_init(bool want_json, bool want_pretty)
{
	json = want_json;
	pretty = want_pretty;
}

void out_of_memory(void)
{
	fputs("Error: out of memory.\n", stderr);
	exit(2);
}

void out_begin(void)
{
	if (!json)
		return;
	stack[0] = json_object_new_object();
	if (!stack[0])
		out_of_memory();
	depth = 1;
}

void out_end(void)
{
	int flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	if (!json)
		return;
	flags |= pretty ? JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED :
			  JSON_C_TO_STRING_PLAIN;
	puts(json_object_to_json_string_ext(stack[0], flags));
	json_object_put(stack[0]);
	depth = 0;
}

/* Adds value to the innermost container, under key if it is an object. */
static void add(const char *key, struct json_object *value)
{
	struct json_object *parent = stack[depth - 1];
	int err;

	if (!value)
		out_of_memory();
	if (json_object_is_type(parent, json_type_array))
		err = json_object_array_add(parent, value);
	else
		err = json_object_object_add(parent, key, value);
	if (err)
		out_of_memory();
}

static void push(const char *key, struct json_object *container)
{
	add(key, container);
	if (depth == OUT_DEPTH) {
		fputs("Error: output nested too deep.\n", stderr);
		exit(2);
	}
	stack[depth++] = container;
}

void out_open_object(const char *key)
{
	if (json)
		push(key, json_object_new_object());
}

void out_close_object(void)
{
	if (json)
		depth--;
}

void out_open_array(const char *key)
{
	if (json)
		push(key, json_object_new_array());
}

void out_close_array(void)
{
	if (json)
		depth--;
}

/*
 * The length of the UTF-8 sequence at s, left bytes long at most, or 0 if
 * it is not valid UTF-8.
 */
static size_t utf8_sequence(const unsigned char *s, size_t left)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4;
	else
		return 0;
	if (len > left)
		return 0;
	c = s[0] & (0x7f >> len);
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	return len;
}

/*
 * The length of the character at s (left bytes on) when it is text: 0 for
 * what is not valid UTF-8, and for a control character, C0 (NUL and the
 * other bytes below 0x20), DEL or C1 (U+0080 to U+009F: U+009B is CSI,
 * as ESC [ is).
 */
static size_t text_char(const unsigned char *s, size_t left)
{
	size_t len = utf8_sequence(s, left);

	if (len == 1 && (s[0] < 0x20 || s[0] == 0x7f))
		return 0;
	if (len == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;
	return len;
}

/* Valid UTF-8 without control characters (see text_char()). */
static bool is_text(const uint8_t *data, size_t len)
{
	size_t i, n;

	for (i = 0; i < len; i += n) {
		n = text_char(data + i, len - i);
		if (!n)
			return false;
	}
	return true;
}

/*
 * A JSON string of value.  Names are bytes, JSON text is UTF-8: a byte
 * that is not part of valid UTF-8 becomes U+FFFD, so the output always
 * parses (member data keeps every byte in data_hex).
 */
static struct json_object *json_text(const char *value)
{
	static const char replacement[] = "\xef\xbf\xbd";
	const unsigned char *s = (const unsigned char *)value;
	size_t left = strlen(value), len, n = 0;
	struct json_object *string;
	char *copy;

	copy = malloc(left * (sizeof(replacement) - 1) + 1);
	if (!copy)
		out_of_memory();
	while (left) {
		len = utf8_sequence(s, left);
		if (len) {
			memcpy(copy + n, s, len);
			n += len;
		} else {
			memcpy(copy + n, replacement, sizeof(replacement) - 1);
			n += sizeof(replacement) - 1;
			len = 1;
		}
		s += len;
		left -= len;
	}
	copy[n] = '\0';
	string = json_object_new_string(copy);
	free(copy);
	return string;
}

/*
 * A name or a word of the user's shown in text: the blank (0x20), the
 * backslash, and every byte of what is not text (a control character, C0,
 * DEL or C1, or bytes that are not valid UTF-8) are shown as \xHH, so a
 * value is one field of its line and can neither forge fields or lines
 * nor send the terminal a control sequence.  Other UTF-8 is shown as it
 * is.
 */
static void print_escaped(FILE *out, const char *value)
{
	const unsigned char *s = (const unsigned char *)value;
	size_t left = strlen(value), len;

	while (left) {
		len = text_char(s, left);
		if (!len || *s == ' ' || *s == '\\') {
			fprintf(out, "\\x%02x", *s);
			len = 1;
		} else {
			fwrite(s, 1, len, out);
		}
		s += len;
		left -= len;
	}
}

void out_vprintf(FILE *out, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		if (fmt[0] == '%' && fmt[1] == 's')
			print_escaped(out, va_arg(ap, const char *));
		else if (fmt[0] == '%' && fmt[1] == 'd')
			fprintf(out, "%d", va_arg(ap, int));
		else if (fmt[0] == '%' && fmt[1] == 'u')
			fprintf(out, "%u", va_arg(ap, unsigned int));
		else {
			putc(*fmt, out);
			continue;
		}
		fmt++;
	}
}

void out_printf(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	out_vprintf(out, fmt, ap);
	va_end(ap);
}

void out_string(const char *key, const char *fmt, const char *value)
{
	if (json && key)
		add(key, json_text(value));
	else if (!json && fmt)
		out_printf(stdout, fmt, value);
}

void out_uint(const char *key, const char *fmt, unsigned long long value)
{
	if (json && key)
		add(key, json_object_new_uint64(value));
	else if (!json && fmt)
		printf(fmt, value);
}

void out_text(const char *fmt, ...)
{
	va_list ap;

	if (json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

void out_newline(void)
{
	if (!json)
		putchar('\n');
}

/*
 * Printable means shown between double quotes as one field without
 * escapes: ASCII from '!' to '~', but no quote or backslash.
 */
static bool printable(const uint8_t *data, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (data[i] <= ' ' || data[i] > '~' || data[i] == '"' ||
		    data[i] == '\\')
			return false;
	return true;
}

/*
 * Member data: in text, data "TEXT" when printable(), else data hex HEX;
 * in JSON, data when it is text (is_text(): a JSON string carries blanks,
 * quotes and backslashes), and data_hex always.
 */
void out_data(const uint8_t *data, size_t len)
{
	char text[2 * PG2_DATA_MAX + 1];
	bool as_text;
	size_t i;

	if (!len)
		return;
	if (len > PG2_DATA_MAX)
		len = PG2_DATA_MAX;
	as_text = json ? is_text(data, len) : printable(data, len);
	if (as_text) {
		memcpy(text, data, len);
		text[len] = '\0';
		out_string("data", " data \"%s\"", text);
	}
	for (i = 0; i < len; i++)
		snprintf(text + 2 * i, 3, "%02x", data[i]);
	out_string("data_hex", as_text ? NULL : " data hex %s", text);
}
