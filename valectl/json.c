// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: a small JSON writer. Values go out as they come, with commas
 * and (with -p) indentation tracked per depth; strings are escaped so
 * that any byte sequence makes valid JSON (bytes above 0x7f are written
 * as \u00XX: the kernel's names are ASCII, this keeps anything else
 * parseable rather than guessing an encoding).
 */
#include "json.h"

void jw_init(struct jw *w, FILE *f, bool pretty)
{
	w->f = f;
	w->pretty = pretty;
	w->depth = 0;
	w->first[0] = true;
}

static void indent(struct jw *w)
{
	int i;

	if (!w->pretty)
		return;
	fputc('\n', w->f);
	for (i = 0; i < w->depth; i++)
		fputs("    ", w->f);
}

static void put_string(struct jw *w, const char *s)
{
	const unsigned char *p;

	fputc('"', w->f);
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", w->f);
			break;
		case '\\':
			fputs("\\\\", w->f);
			break;
		case '\n':
			fputs("\\n", w->f);
			break;
		case '\t':
			fputs("\\t", w->f);
			break;
		case '\r':
			fputs("\\r", w->f);
			break;
		default:
			if (*p < 0x20 || *p > 0x7e)
				fprintf(w->f, "\\u%04x", *p);
			else
				fputc(*p, w->f);
		}
	}
	fputc('"', w->f);
}

/* The separator and key before a value. */
static void member(struct jw *w, const char *key)
{
	if (w->depth > 0) {
		if (!w->first[w->depth])
			fputc(',', w->f);
		indent(w);
	}
	w->first[w->depth] = false;
	if (key) {
		put_string(w, key);
		fputs(w->pretty ? ": " : ":", w->f);
	}
}

static void nest_open(struct jw *w, const char *key, char c)
{
	member(w, key);
	fputc(c, w->f);
	if (w->depth < JW_DEPTH - 1)
		w->depth++;
	w->first[w->depth] = true;
}

static void nest_close(struct jw *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth > 0)
		w->depth--;
	if (!empty)
		indent(w);
	fputc(c, w->f);
}

void jw_obj_open(struct jw *w, const char *key)
{
	nest_open(w, key, '{');
}

void jw_obj_close(struct jw *w)
{
	nest_close(w, '}');
}

void jw_arr_open(struct jw *w, const char *key)
{
	nest_open(w, key, '[');
}

void jw_arr_close(struct jw *w)
{
	nest_close(w, ']');
}

void jw_str(struct jw *w, const char *key, const char *s)
{
	member(w, key);
	if (s)
		put_string(w, s);
	else
		fputs("null", w->f);
}

void jw_u64(struct jw *w, const char *key, uint64_t v)
{
	member(w, key);
	fprintf(w->f, "%llu", (unsigned long long)v);
}

void jw_bool(struct jw *w, const char *key, bool v)
{
	member(w, key);
	fputs(v ? "true" : "false", w->f);
}

void jw_null(struct jw *w, const char *key)
{
	member(w, key);
	fputs("null", w->f);
}

void jw_end(struct jw *w)
{
	fputc('\n', w->f);
	w->first[0] = true;
}
