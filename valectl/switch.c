// SPDX-License-Identifier: GPL-2.0
/*
 * valectl switch: add, del, show.
 *
 *	valectl switch add SWITCH [lookup NAME]	VALE_CMD_SWITCH_NEW
 *	valectl switch del SWITCH		VALE_CMD_SWITCH_DEL
 *	valectl switch show [SWITCH]		VALE_CMD_SWITCH_GET (do, or dump)
 */
#include "objects.h"

void switch_json(struct jw *w, nl_attrs_t tb)
{
	if (tb[VALE_ATTR_SWITCH_NAME])
		jw_str(w, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	if (tb[VALE_ATTR_SWITCH_INDEX])
		jw_u64(w, "index", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		jw_str(w, "lookup", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (tb[VALE_ATTR_SWITCH_PORTS])
		jw_u64(w, "ports", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	jw_bool(w, "persistent", tb[VALE_ATTR_SWITCH_PERSISTENT] != NULL);
}

void switch_line(FILE *f, nl_attrs_t tb)
{
	fputs(tb[VALE_ATTR_SWITCH_NAME] ? nl_get_str(tb[VALE_ATTR_SWITCH_NAME]) : "?", f);
	if (tb[VALE_ATTR_SWITCH_INDEX])
		fprintf(f, " index %u", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		fprintf(f, " lookup %s", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (tb[VALE_ATTR_SWITCH_PORTS])
		fprintf(f, " ports %u", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	if (tb[VALE_ATTR_SWITCH_PERSISTENT])
		fputs(" persistent", f);
}

void switch_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	static const char *const heads[] = { "SWITCH", "INDEX", "LOOKUP", "PORTS", "PERSISTENT" };

	printer_begin(p, req, f, heads, 5, "lrlrl");
}

int switch_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	nl_attrs_t tb;
	char idx[16], ports[16];

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_SWITCH_NAME])
		return MNL_CB_OK;
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		switch_json(&p->jw, tb);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	snprintf(idx, sizeof(idx), "%u", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	snprintf(ports, sizeof(ports), "%u", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	table_row(&p->t, nl_get_str(tb[VALE_ATTR_SWITCH_NAME]), idx,
		  tb[VALE_ATTR_LOOKUP_NAME] ? nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]) : "-",
		  ports, tb[VALE_ATTR_SWITCH_PERSISTENT] ? "yes" : "no");
	return MNL_CB_OK;
}

int do_switch(struct nl *nl, const struct vctl_req *req)
{
	if (req->op == OP_SWITCH_SHOW)
		return show_run(nl, req, switch_show_begin, switch_show_cb, NULL);
	return nl_run(nl, req, NULL, NULL);
}
