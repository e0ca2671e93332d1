// SPDX-License-Identifier: GPL-2.0
/*
 * valectl lookup: the lookup module of a switch, configured, shown and
 * dumped by the module's schema (schema.c), whatever the module:
 *
 *	valectl lookup set SWITCH NAME		VALE_CMD_LOOKUP_SET: the kernel
 *						loads vale-lookup-NAME if needed
 *	valectl lookup config SWITCH KEY [VALUE]...
 *						the schema of the switch's module
 *						(LOOKUP_SCHEMA by SWITCH_NAME),
 *						then VALE_CMD_LOOKUP_CONFIG with
 *						LOOKUP_NAME and the settings
 *						nested in LOOKUP_CONFIG
 *	valectl lookup show SWITCH		SWITCH_GET: the module and its
 *						settings
 *	valectl lookup dump SWITCH [TABLE]	the schema, then LOOKUP_DUMP with
 *						LOOKUP_NAME (and LOOKUP_TABLE)
 *	valectl lookup schema [MODULE|SWITCH]	LOOKUP_SCHEMA (do, or dump)
 *
 * LOOKUP_NAME says which module a request is meant for: if the switch
 * runs another one by the time it arrives, the kernel refuses it.
 */
#include <stdlib.h>
#include <string.h>

#include "schema.h"

/* ---- parsing ------------------------------------------------------------------ */

int lookup_config_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	if (i >= argc)
		return vctl_usage_error(err, "lookup", "lookup config: missing SWITCH");
	if (!argv[i][0])
		return vctl_usage_error(err, "lookup", "lookup config: empty SWITCH");
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[i], 0, i, -1);
	if (i + 1 >= argc)
		return vctl_usage_error(err, "lookup", "lookup config: nothing to set");
	req->kv_first = i + 1;	/* the keys are the module's: read when it runs */
	return EXIT_OK;
}

/* A switch name starts with "vale" (include/uapi/linux/vale.h); anything
 * else names a module. */
int lookup_schema_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	if (i >= argc) {
		req->dump = true;	/* every registered module */
		return EXIT_OK;
	}
	if (!argv[i][0])
		return vctl_usage_error(err, "lookup", "lookup schema: empty MODULE or SWITCH");
	if (i + 1 < argc)
		return vctl_usage_error(err, "lookup", "lookup schema: unexpected argument \"%s\"",
					argv[i + 1]);
	vctl_add_arg(req, strncmp(argv[i], "vale", 4) ? VALE_ATTR_LOOKUP_NAME :
		     VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[i], 0, i, -1);
	return EXIT_OK;
}

/* ---- the module of a switch ------------------------------------------------------ */

static int lookup_name_cb(const struct nlmsghdr *nlh, void *data)
{
	char *name = data;
	nl_attrs_t tb;

	if (nl_parse(nlh, tb) == 0 && tb[VALE_ATTR_LOOKUP_NAME])
		snprintf(name, VALE_NAME_MAX, "%s", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	return MNL_CB_OK;
}

/*
 * Before a module's own command: does the switch use it? The kernel
 * refuses a request whose LOOKUP_NAME is not the switch's module; asking
 * first gives a message that says what to do.
 */
int lookup_expect(struct nl *nl, const struct vctl_req *req, const char *name)
{
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	char have[VALE_NAME_MAX] = "";
	struct vctl_req sub;
	int ret;

	vctl_req_sub(&sub, req, VALE_CMD_SWITCH_GET, false);
	if (sw)
		sub.args[sub.nargs++] = *sw;
	ret = nl_run(nl, &sub, lookup_name_cb, have);
	if (ret != EXIT_OK)
		return ret;
	if (strcmp(have, name)) {
		fprintf(stderr, "Error: switch %s uses lookup module \"%s\", not \"%s\" "
			"(valectl lookup set %s %s)\n", sw ? sw->str : "?", have, name,
			sw ? sw->str : "SWITCH", name);
		return EXIT_ERR;
	}
	return EXIT_OK;
}

/* ---- config ------------------------------------------------------------------------ */

static int config(struct nl *nl, const struct vctl_req *req)
{
	static struct vctl_req enc, named;
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	struct schema s;
	int ret;

	if (!sw)
		return EXIT_USAGE;
	ret = schema_fetch(nl, req, sw, &s);
	if (ret != EXIT_OK)
		return ret;
	enc = *req;
	ret = schema_encode_config(&s, sw->str, &enc, stderr);
	if (ret == EXIT_OK)
		ret = port_names_resolve(nl, &enc, &named);
	if (ret == EXIT_OK)
		ret = nl_run(nl, &named, NULL, NULL);
	schema_free(&s);
	return ret;
}

/* ---- show ---------------------------------------------------------------------------- */

int lookup_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	const struct schema *s = NULL;
	const struct nlattr *nla;
	char value[1024];
	const char *module;
	nl_attrs_t tb;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_SWITCH_NAME] || !tb[VALE_ATTR_LOOKUP_NAME])
		return MNL_CB_OK;
	module = nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]);
	if (p->schemas)
		s = schema_set_get(p->schemas, module);
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
		jw_str(&p->jw, "lookup", module);
		jw_obj_open(&p->jw, "config");
		schema_settings_json(&p->jw, s, tb[VALE_ATTR_LOOKUP_CONFIG], p->names);
		jw_obj_close(&p->jw);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	fprintf(p->f, "lookup %s\n", module);
	if (!s || !tb[VALE_ATTR_LOOKUP_CONFIG])
		return MNL_CB_OK;
	/* one setting a line, in the words "lookup config" takes */
	mnl_attr_for_each_nested(nla, tb[VALE_ATTR_LOOKUP_CONFIG]) {
		const struct schema_attr *a = schema_attr_by_id(s, mnl_attr_get_type(nla));

		if (!a)
			continue;
		schema_format_value(value, sizeof(value), a, nla, p->names);
		fprintf(p->f, "%s%s%s\n", a->name, value[0] || a->type != VALE_TYPE_FLAG ? " " : "",
			value);
	}
	return MNL_CB_OK;
}

static int show(struct nl *nl, const struct vctl_req *req)
{
	struct schema_set schemas = { 0, NULL, NULL, NULL };
	struct port_names names = { 0, NULL };
	struct printer p;
	int ret;

	schema_set_load(nl, req, &schemas);
	if (!req->numeric)
		port_names_load(nl, req, &names);
	printer_begin(&p, req, stdout, NULL, 0, "");
	p.schemas = &schemas;
	p.names = &names;
	ret = nl_run(nl, req, lookup_show_cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK)
		ret = EXIT_ERR;
	port_names_free(&names);
	schema_set_free(&schemas);
	return ret;
}

/* ---- dump ------------------------------------------------------------------------------ */

int lookup_dump_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	struct lookup_dump *d = p->priv;
	char row[4096];
	const char *table;
	nl_attrs_t tb;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_LOOKUP_CONFIG])
		return MNL_CB_OK;
	table = tb[VALE_ATTR_LOOKUP_TABLE] ? nl_get_str(tb[VALE_ATTR_LOOKUP_TABLE]) : "";
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "table", table);
		schema_row_json(&p->jw, d->schema, tb[VALE_ATTR_LOOKUP_CONFIG], p->names);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	/* grouped by table: its name, then its rows */
	if (!d->rows || strcmp(d->table, table)) {
		snprintf(d->table, sizeof(d->table), "%s", table);
		fprintf(p->f, "%s:\n", table);
	}
	d->rows++;
	schema_row_text(row, sizeof(row), d->schema, tb[VALE_ATTR_LOOKUP_CONFIG], p->names);
	fprintf(p->f, "    %s\n", row);
	return MNL_CB_OK;
}

/* The module's tables for messages: "stats, ports" or "none". */
static void tables_list(char *buf, size_t size, const struct schema *s)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < s->ntables && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "", s->tables[i].name);
	if (!buf[0])
		snprintf(buf, size, "none");
}

int lookup_dump_req(const struct vctl_req *req, const struct schema *s, struct vctl_req *dump,
		    FILE *err)
{
	const char *sw = vctl_str(req, VALE_ATTR_SWITCH_NAME);
	const char *table = vctl_str(req, VALE_ATTR_LOOKUP_TABLE);
	char list[512];

	tables_list(list, sizeof(list), s);
	if (table && !schema_table_by_name(s, table)) {
		fprintf(err, "Error: lookup module \"%s\" of switch %s has no table \"%s\" "
			"(tables: %s)\n", s->module, sw ? sw : "?", table, list);
		return EXIT_ERR;
	}
	if (!s->ntables) {
		fprintf(err, "Error: lookup module \"%s\" of switch %s has no tables to dump\n",
			s->module, sw ? sw : "?");
		return EXIT_ERR;
	}
	*dump = *req;
	if (vctl_add_module(dump, s->module) < 0)
		return EXIT_ERR;
	return EXIT_OK;
}

static int dump(struct nl *nl, const struct vctl_req *req)
{
	static struct vctl_req dreq;
	struct port_names names = { 0, NULL };
	struct lookup_dump d;
	struct printer p;
	struct schema s;
	int ret;

	ret = schema_fetch(nl, req, vctl_find(req, VALE_ATTR_SWITCH_NAME), &s);
	if (ret != EXIT_OK)
		return ret;
	ret = lookup_dump_req(req, &s, &dreq, stderr);
	if (ret != EXIT_OK) {
		schema_free(&s);
		return ret;
	}
	if (!req->numeric)
		port_names_load(nl, req, &names);
	memset(&d, 0, sizeof(d));
	d.schema = &s;
	printer_begin(&p, req, stdout, NULL, 0, "");
	p.priv = &d;
	p.names = &names;
	ret = nl_run(nl, &dreq, lookup_dump_cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK)
		ret = EXIT_ERR;
	port_names_free(&names);
	schema_free(&s);
	return ret;
}

/* ---- schema ------------------------------------------------------------------------------ */

static int schema_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct schema s = { .module = NULL };

	if (schema_parse(nlh, &s) == 0)
		schema_print(printer, &s);
	schema_free(&s);
	return MNL_CB_OK;
}

static int schema(struct nl *nl, const struct vctl_req *req)
{
	struct printer p;
	int ret;

	printer_begin(&p, req, stdout, NULL, 0, "");
	ret = nl_run(nl, req, schema_cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK)
		ret = EXIT_ERR;
	return ret;
}

int do_lookup(struct nl *nl, const struct vctl_req *req)
{
	switch (req->op) {
	case OP_LOOKUP_CONFIG:
		return config(nl, req);
	case OP_LOOKUP_SHOW:
		return show(nl, req);
	case OP_LOOKUP_DUMP:
		return dump(nl, req);
	case OP_LOOKUP_SCHEMA:
		return schema(nl, req);
	default:
		return nl_run(nl, req, NULL, NULL);
	}
}
