/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl: a lookup module's schema (schema.c), as VALE_CMD_LOOKUP_SCHEMA
 * gives it: each attribute of its LOOKUP_CONFIG nest with its name, id,
 * type, range, flags and doc, and the tables it dumps. With it valectl
 * configures, shows and dumps any module, one it has never seen included:
 * text to attributes ("lookup config SWITCH ageing 60") and attributes to
 * text and JSON (settings, table rows), with the type and range errors
 * caught before anything is sent.
 */
#ifndef _VALECTL_SCHEMA_H
#define _VALECTL_SCHEMA_H

#include "objects.h"

struct schema_attr {
	char *name;
	uint16_t id;
	uint16_t type;		/* enum vale_value_type */
	uint32_t flags;		/* VALE_SCHEMA_F_* */
	uint64_t min, max;	/* as declared: 0, 0 is the type's whole range */
	char *doc;		/* or NULL */
	char **values;		/* names of the values 0 .. nvalues - 1 */
	int nvalues;
};

struct schema_table {
	char *name;
	char *doc;		/* or NULL */
};

struct schema {
	char *module;		/* NULL: none read */
	int nattrs, ntables;
	struct schema_attr *attrs;
	struct schema_table *tables;
	bool missing;		/* in a set: a module whose schema could not be read */
};

/* The schemas of several modules (every registered one, by a dump). */
struct schema_set {
	int n;
	struct schema *s;
	/* optional: fetch a module missing from the set (0, or -1) */
	int (*load)(void *ctx, const char *module, struct schema *out);
	void *ctx;
};

/* ---- reading ---------------------------------------------------------------- */

/* A LOOKUP_SCHEMA reply into *s (which it frees first): 0, or -1 if it is
 * malformed (no module name, an attribute without name, id or type) or
 * memory ran out. Unknown attributes of a newer kernel are skipped. */
int schema_parse(const struct nlmsghdr *nlh, struct schema *s);
void schema_free(struct schema *s);

const struct schema_attr *schema_attr_by_id(const struct schema *s, uint16_t id);
const struct schema_attr *schema_attr_by_name(const struct schema *s, const char *name);
const struct schema_table *schema_table_by_name(const struct schema *s, const char *name);

/* The range of an integer (PORT too) as the kernel enforces it. */
void schema_range(const struct schema_attr *a, uint64_t *min, uint64_t *max);
const char *schema_type_name(uint16_t type);	/* "u32", "mac"... or "type N" */

void schema_set_free(struct schema_set *set);
/* The schema of module in the set, loaded (set->load) if missing; NULL if
 * none (a failed load is remembered: not tried again). */
const struct schema *schema_set_get(struct schema_set *set, const char *module);
/* Add *s (moved into the set, *s emptied); -1 out of memory. */
int schema_set_add(struct schema_set *set, struct schema *s);

/* ---- from the kernel ---------------------------------------------------------- */

/*
 * One module's schema: the one switch sw runs (by a SWITCH_NAME) or the
 * module named (by a LOOKUP_NAME): by is an argument of req, so that the
 * kernel's error points at it. Errors are reported unless req->quiet.
 */
int schema_fetch(struct nl *nl, const struct vctl_req *req, const struct vctl_arg *by,
		 struct schema *s);
/* Every registered module's (a dump), quietly: an old kernel leaves it empty. */
void schema_set_load(struct nl *nl, const struct vctl_req *req, struct schema_set *set);

/* ---- text to attributes --------------------------------------------------------- */

/*
 * "lookup config": the words of req's argv from req->kv_first on, KEY
 * alone for a flag, KEY VALUE for any other type, as attributes nested in
 * LOOKUP_CONFIG of req, and the module's name as LOOKUP_NAME. Only
 * settings and actions are taken. Integers are decimal, 0x-hex or one of
 * the value names; ports a number or a name (resolved afterwards,
 * portname.c); BINARY hex; NESTED never. EXIT_OK, or EXIT_ERR after an
 * "Error: ..." on err naming the key, the module and the switch sw.
 */
int schema_encode_config(const struct schema *s, const char *sw, struct vctl_req *req, FILE *err);

/*
 * One value as text (value, of attr a) into arg (its type and value set,
 * its attr, nest and argv indexes left to the caller); 0, or -1 with why
 * (what the value must be) written.
 */
int schema_parse_value(const struct schema_attr *a, const char *value, struct vctl_req *req,
		       struct vctl_arg *arg, char *why, size_t whysize);

/* ---- attributes to text ------------------------------------------------------------ */

/*
 * The value of attribute nla (declared by a, or NULL if the schema has
 * no such attribute: hex bytes) as text: as "lookup config" takes it, a
 * port by name from names (NULL: numbers), a flag as "" (its key alone).
 * A payload that does not fit the type is written as hex bytes.
 */
void schema_format_value(char *buf, size_t size, const struct schema_attr *a,
			 const struct nlattr *nla, const struct port_names *names);
/* The same as a JSON member: key: number, string or true; a port's
 * number and, beside it, "KEY_name" when it has a name. */
void schema_json_member(struct jw *w, const char *key, const struct schema_attr *a,
			const struct nlattr *nla, const struct port_names *names);

/*
 * The settings of a module in a nest (a SWITCH_GET reply's LOOKUP_CONFIG)
 * as the words "lookup config" takes ("ageing 300"), undeclared ones left
 * out; "" when there are none. s NULL: none known, "".
 */
void schema_settings_text(char *buf, size_t size, const struct schema *s,
			  const struct nlattr *config, const struct port_names *names);
/* As members of the JSON object open in w. */
void schema_settings_json(struct jw *w, const struct schema *s, const struct nlattr *config,
			  const struct port_names *names);
/* One table row (a LOOKUP_DUMP reply's LOOKUP_CONFIG) as "key=value ..." */
void schema_row_text(char *buf, size_t size, const struct schema *s,
		     const struct nlattr *config, const struct port_names *names);
void schema_row_json(struct jw *w, const struct schema *s, const struct nlattr *config,
		     const struct port_names *names);

/* "lookup schema": the schema in text (attributes as a table, then the
 * tables) or, with req->json, as a JSON object in p's array; p->priv is
 * set once one was printed (a blank line goes before the next). */
void schema_print(struct printer *p, const struct schema *s);

/* ---- lookup.c: lookup show and lookup dump ------------------------------------------ */

/* A SWITCH_GET reply: the module and its settings, decoded by p->schemas,
 * ports named from p->names. */
int lookup_show_cb(const struct nlmsghdr *nlh, void *printer);

/* lookup dump: p->priv is one of these */
struct lookup_dump {
	const struct schema *schema;	/* the switch's module's */
	char table[VALE_NAME_MAX];	/* the table of the last row printed */
	unsigned long rows;
};
/* One row: text grouped by table ("fdb:" then "    mac=... port=a"), or
 * a JSON object with "table" and the row's attributes. */
int lookup_dump_cb(const struct nlmsghdr *nlh, void *printer);
/* The dump of req (SWITCH_NAME, LOOKUP_TABLE if given) for module s:
 * with its LOOKUP_NAME, the table checked against s; EXIT_ERR said on err. */
int lookup_dump_req(const struct vctl_req *req, const struct schema *s, struct vctl_req *dump,
		    FILE *err);

#endif /* _VALECTL_SCHEMA_H */
