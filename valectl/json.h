/* SPDX-License-Identifier: GPL-2.0 */
/* valectl: a small JSON writer (json.c). */
#ifndef _VALECTL_JSON_H
#define _VALECTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_DEPTH	8

struct jw {
	FILE *f;
	bool pretty;
	int depth;
	bool first[JW_DEPTH];	/* nothing written yet at this depth */
};

void jw_init(struct jw *w, FILE *f, bool pretty);
void jw_obj_open(struct jw *w, const char *key);	/* key NULL in arrays */
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w, const char *key);
void jw_arr_close(struct jw *w);
void jw_str(struct jw *w, const char *key, const char *s);
void jw_u64(struct jw *w, const char *key, uint64_t v);
void jw_bool(struct jw *w, const char *key, bool v);
void jw_null(struct jw *w, const char *key);
void jw_end(struct jw *w);	/* a newline after the top level value */

#endif /* _VALECTL_JSON_H */
