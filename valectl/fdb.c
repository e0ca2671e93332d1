// SPDX-License-Identifier: GPL-2.0
/*
 * valectl fdb: the learning bridge's table of a switch, the friendly form
 * of the module's own control channel (its schema says the same: table
 * "fdb", action "flush"; "valectl lookup dump SWITCH fdb" shows it too).
 *
 *	valectl fdb show SWITCH		VALE_CMD_LOOKUP_DUMP, LOOKUP_NAME
 *					"learn", LOOKUP_TABLE "fdb"; the
 *					port numbers named from a PORT_GET dump
 *	valectl fdb flush SWITCH	VALE_CMD_LOOKUP_CONFIG, LOOKUP_NAME
 *					"learn", LOOKUP_CONFIG { LEARN_FLUSH }
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "text.h"

int fdb_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	const char *verb = vctl_op_name(req->op);
	struct vctl_arg *a;

	if (i >= argc)
		return vctl_usage_error(err, "fdb", "%s: missing SWITCH", verb);
	if (!argv[i][0])
		return vctl_usage_error(err, "fdb", "%s: empty SWITCH", verb);
	if (i + 1 < argc)
		return vctl_usage_error(err, "fdb", "%s: unexpected argument \"%s\"", verb,
					argv[i + 1]);
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[i], 0, i, -1);
	vctl_add_module(req, "learn");
	if (req->op == OP_FDB_SHOW) {
		vctl_add_arg(req, VALE_ATTR_LOOKUP_TABLE, 0, VT_STR, "fdb", 0, i - 1, -1);
		return EXIT_OK;
	}
	/* the action, pointed at by the verb */
	a = vctl_push(req, VALE_LEARN_FLUSH, VALE_ATTR_LOOKUP_CONFIG, 0, VT_FLAG, i - 1);
	if (a)
		a->kwi = i - 1;
	return EXIT_OK;
}

void fdb_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	static const char *const heads[] = { "MAC", "PORT", "INDEX", "AGE", "CONFIRMED" };

	printer_begin(p, req, f, heads, 5, "llrrl");
}

typedef const struct nlattr *learn_attrs_t[VALE_LEARN_MAX + 1];

/* A row's attributes, checked by size; a wrong one counts as absent. */
static int learn_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a), len = mnl_attr_get_payload_len(a);
	bool ok;

	switch (type) {
	case VALE_LEARN_MAC:
		ok = len == 6;
		break;
	case VALE_LEARN_PORT:
	case VALE_LEARN_AGE:
		ok = len == 4;
		break;
	case VALE_LEARN_CONFIRMED:
		ok = len == 0;
		break;
	default:
		ok = false;	/* newer kernel: skip what we don't know */
	}
	if (ok)
		tb[type] = a;
	return MNL_CB_OK;
}

int fdb_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	learn_attrs_t fdb = { NULL };
	nl_attrs_t tb;
	const char *name, *table;
	char mac[18], idx[16], age[16];
	uint32_t port;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_LOOKUP_CONFIG])
		return MNL_CB_OK;
	table = nl_get_str(tb[VALE_ATTR_LOOKUP_TABLE]);
	if ((table && strcmp(table, "fdb")) ||
	    mnl_attr_parse_nested(tb[VALE_ATTR_LOOKUP_CONFIG], learn_attr_cb, fdb) < 0 ||
	    !fdb[VALE_LEARN_MAC])
		return MNL_CB_OK;
	vctl_mac_format(mac, mnl_attr_get_payload(fdb[VALE_LEARN_MAC]));
	port = nl_get_u32(fdb[VALE_LEARN_PORT]);
	name = port_name_of(p->priv, port);

	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "mac", mac);
		if (fdb[VALE_LEARN_PORT])
			jw_u64(&p->jw, "port_index", port);
		if (name)
			jw_str(&p->jw, "port", name);
		if (fdb[VALE_LEARN_AGE])
			jw_u64(&p->jw, "age", nl_get_u32(fdb[VALE_LEARN_AGE]));
		jw_bool(&p->jw, "confirmed", fdb[VALE_LEARN_CONFIRMED] != NULL);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	snprintf(idx, sizeof(idx), "%u", port);
	snprintf(age, sizeof(age), "%u", nl_get_u32(fdb[VALE_LEARN_AGE]));
	table_row(&p->t, mac, name ? name : "-", idx, age,
		  fdb[VALE_LEARN_CONFIRMED] ? "yes" : "no");
	return MNL_CB_OK;
}

static int show(struct nl *nl, const struct vctl_req *req)
{
	struct port_names names;
	int ret;

	port_names_load(nl, req, &names);
	ret = show_run(nl, req, fdb_show_begin, fdb_show_cb, &names);
	port_names_free(&names);
	return ret;
}

int do_fdb(struct nl *nl, const struct vctl_req *req)
{
	int ret = lookup_expect(nl, req, "learn");

	if (ret != EXIT_OK)
		return ret;
	if (req->op == OP_FDB_SHOW)
		return show(nl, req);
	return nl_run(nl, req, NULL, NULL);
}
