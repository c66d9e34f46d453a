// SPDX-License-Identifier: GPL-2.0-only
/*
 * The print layer: text or JSON (RFC 8259) on stdout, see print.h.
 */
#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "print.h"

#define JSON_DEPTH_MAX 8

struct json_level {
	bool array;
	unsigned int count;
};

static struct {
	bool json;
	bool pretty;
	unsigned int depth;
	struct json_level level[JSON_DEPTH_MAX];
} pr;

void print_init(bool json, bool pretty)
{
	memset(&pr, 0, sizeof(pr));
	pr.json = json;
	pr.pretty = json && pretty;
}

bool print_is_json(void)
{
	return pr.json;
}

static bool want_json(enum print_to to)
{
	return pr.json && to != PRINT_TEXT;
}

static bool want_text(enum print_to to)
{
	return !pr.json && to != PRINT_JSON;
}

static void newline_indent(void)
{
	unsigned int i;

	putchar('\n');
	for (i = 0; i < pr.depth; i++)
		fputs("  ", stdout);
}

/* Length of the valid UTF-8 sequence at @s, 0 if there is none. */
static unsigned int utf8_seq(const unsigned char *s)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;

	/* No overlong forms, no surrogates, nothing above U+10FFFF. */
	if (s[0] == 0xe0)
		lo = 0xa0;
	else if (s[0] == 0xed)
		hi = 0x9f;
	else if (s[0] == 0xf0)
		lo = 0x90;
	else if (s[0] == 0xf4)
		hi = 0x8f;

	for (i = 1; i < n; i++) {
		if (s[i] < lo || s[i] > hi)
			return 0;
		lo = 0x80;
		hi = 0xbf;
	}
	return n;
}

/* A JSON string; bytes that are not UTF-8 become U+FFFD. */
static void json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned int n;

	putchar('"');
	while (*s) {
		switch (*s) {
		case '"':
			fputs("\\\"", stdout);
			break;
		case '\\':
			fputs("\\\\", stdout);
			break;
		case '\n':
			fputs("\\n", stdout);
			break;
		case '\t':
			fputs("\\t", stdout);
			break;
		case '\r':
			fputs("\\r", stdout);
			break;
		default:
			if (*s < 0x20) {
				printf("\\u%04x", *s);
				break;
			}
			n = utf8_seq(s);
			if (!n) {
				fputs("\\ufffd", stdout);
				break;
			}
			fwrite(s, 1, n, stdout);
			s += n - 1;
		}
		s++;
	}
	putchar('"');
}

/* Start a value: the comma, the indentation and, in an object, the key. */
static void json_value(const char *key)
{
	struct json_level *l;

	if (!pr.depth)
		return;
	l = &pr.level[pr.depth - 1];
	if (l->count++)
		putchar(',');
	if (pr.pretty)
		newline_indent();
	if (!l->array) {
		json_string(key ? key : "");
		fputs(pr.pretty ? ": " : ":", stdout);
	}
}

static void json_open(const char *key, bool array)
{
	if (!pr.json)
		return;
	assert(pr.depth < JSON_DEPTH_MAX);
	json_value(key);
	putchar(array ? '[' : '{');
	pr.level[pr.depth].array = array;
	pr.level[pr.depth].count = 0;
	pr.depth++;
}

static void json_close(void)
{
	bool array, empty;

	if (!pr.json)
		return;
	assert(pr.depth > 0);
	pr.depth--;
	array = pr.level[pr.depth].array;
	empty = !pr.level[pr.depth].count;
	if (pr.pretty && !empty)
		newline_indent();
	putchar(array ? ']' : '}');
	if (!pr.depth)
		putchar('\n');
}

void open_obj(const char *key)
{
	json_open(key, false);
}

void close_obj(void)
{
	json_close();
}

void open_arr(const char *key)
{
	json_open(key, true);
}

void close_arr(void)
{
	json_close();
}

void print_str(enum print_to to, const char *key, const char *fmt,
	       const char *val)
{
	if (want_json(to)) {
		json_value(key);
		if (val)
			json_string(val);
		else
			fputs("null", stdout);
	} else if (want_text(to) && fmt && val) {
		printf(fmt, val);
	}
}

void print_uint(enum print_to to, const char *key, const char *fmt,
		unsigned long long val)
{
	if (want_json(to)) {
		json_value(key);
		printf("%llu", val);
	} else if (want_text(to) && fmt) {
		printf(fmt, val);
	}
}

void print_bool(enum print_to to, const char *key, const char *fmt, bool val)
{
	if (want_json(to)) {
		json_value(key);
		fputs(val ? "true" : "false", stdout);
	} else if (want_text(to) && fmt && val) {
		fputs(fmt, stdout);
	}
}

void print_null(enum print_to to, const char *key, const char *fmt)
{
	if (want_json(to)) {
		json_value(key);
		fputs("null", stdout);
	} else if (want_text(to) && fmt) {
		fputs(fmt, stdout);
	}
}

void print_text(const char *fmt, ...)
{
	va_list ap;

	if (pr.json)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

/* Flush stdout; a write error (full disk, closed pipe) is an error. */
int print_finish(void)
{
	if (fflush(stdout) || ferror(stdout))
		return errno ? -errno : -EIO;
	return 0;
}
