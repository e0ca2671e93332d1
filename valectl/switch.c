// SPDX-License-Identifier: GPL-2.0
/*
 * valectl switch: add, del, show.
 *
 *	valectl switch add SWITCH [lookup NAME]	VALE_CMD_SWITCH_NEW
 *	valectl switch del SWITCH		VALE_CMD_SWITCH_DEL
 *	valectl switch show [SWITCH]		VALE_CMD_SWITCH_GET (do, or dump)
 *
 * show prints the lookup module's settings that the reply carries
 * (LOOKUP_CONFIG) in the words "valectl lookup config" takes.
 */
#include "objects.h"

/*
 * The lookup module's settings in a reply (LOOKUP_CONFIG), each given to
 * fn with the keyword "valectl lookup config" takes for it; those valectl
 * has no keyword for are left out.
 */
static void switch_settings(nl_attrs_t tb, void (*fn)(void *arg, const char *key, uint32_t v),
			    void *arg)
{
	const char *module = nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]);
	const struct nlattr *a;

	if (!tb[VALE_ATTR_LOOKUP_CONFIG])
		return;
	mnl_attr_for_each_nested(a, tb[VALE_ATTR_LOOKUP_CONFIG]) {
		const char *key = vctl_lookup_setting(module, mnl_attr_get_type(a));

		if (key && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
			fn(arg, key, mnl_attr_get_u32(a));
	}
}

static void setting_json(void *jw, const char *key, uint32_t v)
{
	jw_u64(jw, key, v);
}

struct settings_text {
	char buf[128];
	size_t len;
};

static void setting_text(void *arg, const char *key, uint32_t v)
{
	struct settings_text *t = arg;
	int n;

	if (t->len >= sizeof(t->buf))
		return;
	n = snprintf(t->buf + t->len, sizeof(t->buf) - t->len, "%s%s %u",
		     t->len ? " " : "", key, v);
	if (n > 0)
		t->len += (size_t)n;
}

/* The settings as the words of "valectl lookup config": "ageing 300". */
static const char *switch_settings_text(nl_attrs_t tb, struct settings_text *t)
{
	t->buf[0] = '\0';
	t->len = 0;
	switch_settings(tb, setting_text, t);
	return t->buf;
}

void switch_json(struct jw *w, nl_attrs_t tb)
{
	if (tb[VALE_ATTR_SWITCH_NAME])
		jw_str(w, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	if (tb[VALE_ATTR_SWITCH_INDEX])
		jw_u64(w, "index", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		jw_str(w, "lookup", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (tb[VALE_ATTR_LOOKUP_CONFIG]) {
		jw_obj_open(w, "config");
		switch_settings(tb, setting_json, w);
		jw_obj_close(w);
	}
	if (tb[VALE_ATTR_SWITCH_PORTS])
		jw_u64(w, "ports", nl_get_u32(tb[VALE_ATTR_SWITCH_PORTS]));
	jw_bool(w, "persistent", tb[VALE_ATTR_SWITCH_PERSISTENT] != NULL);
}

void switch_line(FILE *f, nl_attrs_t tb)
{
	struct settings_text t;

	fputs(tb[VALE_ATTR_SWITCH_NAME] ? nl_get_str(tb[VALE_ATTR_SWITCH_NAME]) : "?", f);
	if (tb[VALE_ATTR_SWITCH_INDEX])
		fprintf(f, " index %u", nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		fprintf(f, " lookup %s", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	if (*switch_settings_text(tb, &t))
		fprintf(f, " %s", t.buf);
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
	struct settings_text t;
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
		  ports, tb[VALE_ATTR_SWITCH_PERSISTENT] ? "yes" : "no",
		  *switch_settings_text(tb, &t) ? t.buf : "-");
	return MNL_CB_OK;
}

int do_switch(struct nl *nl, const struct vctl_req *req)
{
	if (req->op == OP_SWITCH_SHOW)
		return show_run(nl, req, switch_show_begin, switch_show_cb, NULL);
	return nl_run(nl, req, NULL, NULL);
}
