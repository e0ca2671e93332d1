/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl: the output of the show commands (output.c): JSON, an array of
 * objects, or a human table whose columns are as wide as their widest
 * cell.
 */
#ifndef _VALECTL_OUTPUT_H
#define _VALECTL_OUTPUT_H

#include <stdio.h>

#include "json.h"
#include "valectl.h"

#define TABLE_MAX_COLS	12

struct table {
	int ncols;
	const char *heads[TABLE_MAX_COLS];
	const char *align;	/* per column: 'l' or 'r' */
	struct table_row {
		char *cells[TABLE_MAX_COLS];
		char *note;	/* lines printed under the row, or NULL */
	} *rows;
	int nrows, cap;
	int error;		/* out of memory */
};

void table_init(struct table *t, const char *const *heads, int ncols, const char *align);
void table_row(struct table *t, ...);	/* ncols strings */
void table_note(struct table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int table_print(struct table *t, FILE *f);	/* -1 if a row was lost */
void table_free(struct table *t);

struct port_names;
struct schema_set;

struct printer {
	const struct vctl_req *req;
	FILE *f;
	struct jw jw;
	struct table t;
	void *priv;		/* the object's own data */
	const struct port_names *names;	/* ports printed by name, or NULL */
	struct schema_set *schemas;	/* lookup modules' settings decoded by these, or NULL */
};

void printer_begin(struct printer *p, const struct vctl_req *req, FILE *f,
		   const char *const *heads, int ncols, const char *align);
int printer_end(struct printer *p);	/* -1 if out of memory */

#endif /* _VALECTL_OUTPUT_H */
