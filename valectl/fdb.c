// SPDX-License-Identifier: GPL-2.0
/*
 * valectl fdb: the learning bridge's table of a switch.
 *
 *	valectl fdb show SWITCH		VALE_CMD_FDB_GET (dump); the port
 *					indexes are named from a PORT_GET dump
 *	valectl fdb flush SWITCH	VALE_CMD_FDB_FLUSH
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"

void fdb_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	static const char *const heads[] = { "MAC", "PORT", "INDEX", "AGE", "CONFIRMED" };

	printer_begin(p, req, f, heads, 5, "llrrl");
}

int fdb_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	nl_attrs_t tb;
	const uint8_t *m;
	const char *name;
	char mac[18], idx[16], age[16];
	uint32_t port;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_FDB_MAC])
		return MNL_CB_OK;
	m = mnl_attr_get_payload(tb[VALE_ATTR_FDB_MAC]);
	snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
		 m[0], m[1], m[2], m[3], m[4], m[5]);
	port = nl_get_u32(tb[VALE_ATTR_FDB_PORT]);
	name = port_name_of(p->priv, port);

	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "mac", mac);
		if (tb[VALE_ATTR_FDB_PORT])
			jw_u64(&p->jw, "port_index", port);
		if (name)
			jw_str(&p->jw, "port", name);
		if (tb[VALE_ATTR_FDB_AGE])
			jw_u64(&p->jw, "age", nl_get_u32(tb[VALE_ATTR_FDB_AGE]));
		jw_bool(&p->jw, "confirmed", tb[VALE_ATTR_FDB_CONFIRMED] != NULL);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	snprintf(idx, sizeof(idx), "%u", port);
	snprintf(age, sizeof(age), "%u", nl_get_u32(tb[VALE_ATTR_FDB_AGE]));
	table_row(&p->t, mac, name ? name : "-", idx, age,
		  tb[VALE_ATTR_FDB_CONFIRMED] ? "yes" : "no");
	return MNL_CB_OK;
}

static int show(struct nl *nl, const struct vctl_req *req)
{
	struct port_names names;
	int ret;

	/* the port names first, quietly: FDB_GET reports a bad switch */
	port_names_load(nl, req, &names);
	ret = show_run(nl, req, fdb_show_begin, fdb_show_cb, &names);
	port_names_free(&names);
	return ret;
}

int do_fdb(struct nl *nl, const struct vctl_req *req)
{
	if (req->op == OP_FDB_SHOW)
		return show(nl, req);
	return nl_run(nl, req, NULL, NULL);
}
