// SPDX-License-Identifier: GPL-2.0
/*
 * valectl switch: add, del, show.
 *
 *	valectl switch add SWITCH [lookup NAME]	VALE_CMD_SWITCH_NEW
 *	valectl switch del SWITCH		VALE_CMD_SWITCH_DEL
 *	valectl switch show [SWITCH]		VALE_CMD_SWITCH_GET (do, or dump)
 *
 * show prints the lookup module's settings that the reply carries
 * (LOOKUP_CONFIG) in the words "valectl lookup config" takes, decoded by
 * the module's schema: every registered module's is read first, by one
 * LOOKUP_SCHEMA dump.
 */
#include "schema.h"

/* The settings as the words of "valectl lookup config": "ageing 300". */
static const char *settings_text(char *buf, size_t size, nl_attrs_t tb,
				 struct schema_set *schemas)
{
	const struct schema *s = NULL;

	if (schemas && tb[VALE_ATTR_LOOKUP_NAME])
		s = schema_set_get(schemas, nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	schema_settings_text(buf, size, s, tb[VALE_ATTR_LOOKUP_CONFIG], NULL);
	return buf;
}

void switch_json(struct jw *w, nl_attrs_t tb, struct schema_set *schemas)
{
	const struct schema *s = NULL;

	if (tb[VALE_ATTR_SWITCH_NAME])
		jw_str(w, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	if (tb[VALE_ATTR_SWITCH_INDEX])
		jw_u64(w, "index", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		jw_str(w, "lookup", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (tb[VALE_ATTR_LOOKUP_CONFIG]) {
		if (schemas && tb[VALE_ATTR_LOOKUP_NAME])
			s = schema_set_get(schemas, nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
		jw_obj_open(w, "config");
		schema_settings_json(w, s, tb[VALE_ATTR_LOOKUP_CONFIG], NULL);
		jw_obj_close(w);
	}
	if (tb[VALE_ATTR_SWITCH_PORTS])
		jw_u64(w, "ports", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	jw_bool(w, "persistent", tb[VALE_ATTR_SWITCH_PERSISTENT] != NULL);
}

void switch_line(FILE *f, nl_attrs_t tb, struct schema_set *schemas)
{
	char settings[1024];

	fputs(tb[VALE_ATTR_SWITCH_NAME] ? nl_get_str(tb[VALE_ATTR_SWITCH_NAME]) : "?", f);
	if (tb[VALE_ATTR_SWITCH_INDEX])
		fprintf(f, " index %u", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		fprintf(f, " lookup %s", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (*settings_text(settings, sizeof(settings), tb, schemas))
		fprintf(f, " %s", settings);
	if (tb[VALE_ATTR_SWITCH_PORTS])
		fprintf(f, " ports %u", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	if (tb[VALE_ATTR_SWITCH_PERSISTENT])
		fputs(" persistent", f);
}

void switch_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	static const char *const heads[] = { "SWITCH", "INDEX", "LOOKUP", "PORTS", "PERSISTENT",
					     "CONFIG" };

	printer_begin(p, req, f, heads, 6, "lrlrll");
}

int switch_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	nl_attrs_t tb;
	char idx[16], ports[16], settings[1024];

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_SWITCH_NAME])
		return MNL_CB_OK;
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		switch_json(&p->jw, tb, p->schemas);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	snprintf(idx, sizeof(idx), "%u", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	snprintf(ports, sizeof(ports), "%u", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	table_row(&p->t, nl_get_str(tb[VALE_ATTR_SWITCH_NAME]), idx,
		  tb[VALE_ATTR_LOOKUP_NAME] ? nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]) : "-",
		  ports, tb[VALE_ATTR_SWITCH_PERSISTENT] ? "yes" : "no",
		  *settings_text(settings, sizeof(settings), tb, p->schemas) ? settings : "-");
	return MNL_CB_OK;
}

static int show(struct nl *nl, const struct vctl_req *req)
{
	struct schema_set schemas = { 0, NULL, NULL, NULL };
	struct printer p;
	int ret;

	schema_set_load(nl, req, &schemas);
	switch_show_begin(&p, req, stdout);
	p.schemas = &schemas;
	ret = nl_run(nl, req, switch_show_cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK) {
		fprintf(stderr, "Error: out of memory\n");
		ret = EXIT_ERR;
	}
	schema_set_free(&schemas);
	return ret;
}

int do_switch(struct nl *nl, const struct vctl_req *req)
{
	if (req->op == OP_SWITCH_SHOW)
		return show(nl, req);
	return nl_run(nl, req, NULL, NULL);
}
