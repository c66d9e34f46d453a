/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One print call per field serves both outputs: in text mode the call
 * prints its printf format with the value, in JSON mode the key and the
 * value (the format is ignored).  @to restricts a call to one output.
 *
 * Keys are ignored inside arrays.  A NULL string prints JSON null and
 * nothing in text.  print_bool() prints its text format, which takes no
 * argument, only when the value is true.
 */
#ifndef HVCTL_PRINT_H
#define HVCTL_PRINT_H

#include <stdbool.h>

enum print_to {
	PRINT_ANY, /* text and JSON */
	PRINT_JSON, /* JSON only */
	PRINT_TEXT, /* text only */
};

void print_init(bool json, bool pretty);
bool print_is_json(void);
int print_finish(void);

void open_obj(const char *key);
void close_obj(void);
void open_arr(const char *key);
void close_arr(void);

void print_str(enum print_to to, const char *key, const char *fmt,
	       const char *val);
void print_uint(enum print_to to, const char *key, const char *fmt,
		unsigned long long val);
void print_bool(enum print_to to, const char *key, const char *fmt, bool val);
void print_null(enum print_to to, const char *key, const char *fmt);
void print_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* HVCTL_PRINT_H */
