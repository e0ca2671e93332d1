// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: the output of the show commands. With -j an array of objects,
 * written as the replies come; else a table whose rows are kept until
 * the end of the dump, so that each column is as wide as its widest cell
 * (a switch name may be 63 bytes long) and the heading is printed only
 * when there is a row.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"

void table_init(struct table *t, const char *const *heads, int ncols, const char *align)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
	for (i = 0; i < t->ncols; i++)
		t->heads[i] = heads[i];
	t->align = align;
}

void table_row(struct table *t, ...)
{
	struct table_row *r;
	va_list ap;
	int i;

	if (t->nrows == t->cap) {
		int cap = t->cap ? 2 * t->cap : 16;
		struct table_row *n = realloc(t->rows, sizeof(*n) * (size_t)cap);

		if (!n) {
			t->error = 1;
			return;
		}
		t->rows = n;
		t->cap = cap;
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		const char *s = va_arg(ap, const char *);

		r->cells[i] = strdup(s ? s : "");
		if (!r->cells[i])
			t->error = 1;
	}
	va_end(ap);
}

void table_note(struct table *t, const char *fmt, ...)
{
	struct table_row *r;
	va_list ap;
	char *s;
	int n;

	if (!t->nrows)
		return;
	r = &t->rows[t->nrows - 1];
	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0) {
		t->error = 1;
		return;
	}
	free(r->note);
	r->note = s;
}

int table_print(struct table *t, FILE *f)
{
	size_t width[TABLE_MAX_COLS];
	int i, c;

	if (!t->nrows)
		return t->error ? -1 : 0;
	for (c = 0; c < t->ncols; c++)
		width[c] = strlen(t->heads[c]);
	for (i = 0; i < t->nrows; i++)
		for (c = 0; c < t->ncols; c++)
			if (t->rows[i].cells[c] && strlen(t->rows[i].cells[c]) > width[c])
				width[c] = strlen(t->rows[i].cells[c]);

	for (i = -1; i < t->nrows; i++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = i < 0 ? t->heads[c] : t->rows[i].cells[c];
			bool last = c == t->ncols - 1;

			if (!s)
				s = "";
			if (t->align[c] == 'r')
				fprintf(f, "%*s", (int)width[c], s);
			else if (last)
				fputs(s, f);
			else
				fprintf(f, "%-*s", (int)width[c], s);
			fputs(last ? "\n" : "  ", f);
		}
		if (i >= 0 && t->rows[i].note)
			fputs(t->rows[i].note, f);
	}
	return t->error ? -1 : 0;
}

void table_free(struct table *t)
{
	int i, c;

	for (i = 0; i < t->nrows; i++) {
		for (c = 0; c < t->ncols; c++)
			free(t->rows[i].cells[c]);
		free(t->rows[i].note);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

void printer_begin(struct printer *p, const struct vctl_req *req, FILE *f,
		   const char *const *heads, int ncols, const char *align)
{
	memset(p, 0, sizeof(*p));
	p->req = req;
	p->f = f;
	jw_init(&p->jw, f, req->pretty);
	table_init(&p->t, heads, ncols, align);
	if (req->json)
		jw_arr_open(&p->jw, NULL);
}

int printer_end(struct printer *p)
{
	int ret = 0;

	if (p->req->json) {
		/* a valid document even when a dump failed half way */
		jw_arr_close(&p->jw);
		jw_end(&p->jw);
	} else {
		ret = table_print(&p->t, p->f);
	}
	table_free(&p->t);
	fflush(p->f);
	return ret;
}

int show_run(struct nl *nl, const struct vctl_req *req,
	     void (*begin)(struct printer *, const struct vctl_req *, FILE *),
	     nl_cb_t cb, void *priv)
{
	struct printer p;
	int ret;

	begin(&p, req, stdout);
	p.priv = priv;
	ret = nl_run(nl, req, cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK) {
		fprintf(stderr, "Error: out of memory\n");
		ret = EXIT_ERR;
	}
	return ret;
}
