// SPDX-License-Identifier: GPL-2.0
/*
 * valectl flow show, flow table, and the command's entry: flows and the
 * table from VALE_CMD_LOOKUP_DUMP, printed in the syntax flow.c parses
 * (the text of a flow is a FLOW again), ports by name (portname.c),
 * filtered by flow show's MATCH (flow_filter.c).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "text.h"

typedef const struct nlattr *of_attrs_t[VALE_OF_ATTR_MAX + 1];
typedef const struct nlattr *of_match_t[VALE_OF_MATCH_MAX + 1];

static int of_attr_cb(const struct nlattr *a, void *data)
{
	static const struct { enum mnl_attr_data_type type; } pol[VALE_OF_ATTR_MAX + 1] = {
		[VALE_OF_ATTR_OP] = { MNL_TYPE_U32 },
		[VALE_OF_ATTR_MATCH] = { MNL_TYPE_NESTED },
		[VALE_OF_ATTR_PRIORITY] = { MNL_TYPE_U32 },
		[VALE_OF_ATTR_IDLE_TIMEOUT] = { MNL_TYPE_U32 },
		[VALE_OF_ATTR_HARD_TIMEOUT] = { MNL_TYPE_U32 },
		[VALE_OF_ATTR_COOKIE] = { MNL_TYPE_U64 },
		[VALE_OF_ATTR_ACTIONS] = { MNL_TYPE_NESTED },
		[VALE_OF_ATTR_STRICT] = { MNL_TYPE_FLAG },
		[VALE_OF_ATTR_CONTROLLER] = { MNL_TYPE_U32 },
		[VALE_OF_ATTR_EMC] = { MNL_TYPE_U8 },
		[VALE_OF_ATTR_STATS] = { MNL_TYPE_NESTED },
	};
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type && type <= VALE_OF_ATTR_MAX && pol[type].type &&
	    mnl_attr_validate(a, pol[type].type) == 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static int match_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a), len = mnl_attr_get_payload_len(a);
	bool ok;

	switch (type) {
	case VALE_OF_MATCH_IN_PORT:
		ok = len == 4;
		break;
	case VALE_OF_MATCH_ETH_SRC:
	case VALE_OF_MATCH_ETH_DST:
		ok = len == 6;
		break;
	case VALE_OF_MATCH_ETH_TYPE:
	case VALE_OF_MATCH_VLAN_VID:
	case VALE_OF_MATCH_TP_SRC:
	case VALE_OF_MATCH_TP_DST:
		ok = len == 2;
		break;
	case VALE_OF_MATCH_IP_PROTO:
	case VALE_OF_MATCH_IP_SRC_LEN:
	case VALE_OF_MATCH_IP_DST_LEN:
		ok = len == 1;
		break;
	case VALE_OF_MATCH_IP_SRC:
	case VALE_OF_MATCH_IP_DST:
		ok = len == 4 || len == 16;
		break;
	default:
		ok = false;
	}
	if (ok)
		tb[type] = a;
	return MNL_CB_OK;
}

struct out {
	char *buf;
	size_t size, len;
};

static void __attribute__((format(printf, 2, 3))) put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->len >= o->size)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
	va_end(ap);
	o->len = n < 0 ? o->size : o->len + (size_t)n;
}

/* One match field's value as text (in_port by name from names): 1 if present. */
static int match_value(char *v, size_t size, of_match_t m, size_t k, uint8_t proto,
		       const struct port_names *names)
{
	const struct field *d = &flow_fields[k];
	const struct nlattr *a = m[d->attr];
	bool icmp = proto == 1 || proto == 58;

	if (!a || (k >= F_TP_SRC && k < F_ICMP_TYPE && icmp) || (k >= F_ICMP_TYPE && !icmp))
		return 0;
	switch (d->kind) {
	case K_MAC:
		vctl_mac_format(v, mnl_attr_get_payload(a));
		return 1;
	case K_IP4:
	case K_IP6: {
		uint16_t len = mnl_attr_get_payload_len(a);
		unsigned int plen = m[d->attr + 1] ? mnl_attr_get_u8(m[d->attr + 1]) : 8u * len;

		if ((len == 4) != (d->kind == K_IP4))
			return 0;
		if (plen == 8u * len)
			vctl_addr_format(v, size, mnl_attr_get_payload(a), len);
		else
			vctl_prefix_format(v, size, mnl_attr_get_payload(a), len, plen);
		return 1;
	}
	default:
		if (k == F_IN_PORT && port_name_text(names, mnl_attr_get_u32(a)))
			snprintf(v, size, "%s", port_name_text(names, mnl_attr_get_u32(a)));
		else if (d->type == VT_U32)
			snprintf(v, size, "%u", mnl_attr_get_u32(a));
		else if (d->type == VT_U8)
			snprintf(v, size, "%u", mnl_attr_get_u8(a));
		else if (k == F_DL_TYPE || (k == 3 && mnl_attr_get_u16(a) == VALE_OF_VLAN_NONE))
			snprintf(v, size, "0x%04x", mnl_attr_get_u16(a));
		else
			snprintf(v, size, "%u", mnl_attr_get_u16(a));
		return 1;
	}
}

/* The actions as text ("drop" for none), comma-separated, ports named from names. */
static void actions_text(struct out *o, const struct nlattr *nest, const struct port_names *names)
{
	const struct nlattr *a;
	char mac[18], num[16];
	int n = 0;

	if (nest) {
		mnl_attr_for_each_nested(a, nest) {
			uint16_t len = mnl_attr_get_payload_len(a);

			put(o, "%s", n++ ? "," : "");
			switch (mnl_attr_get_type(a)) {
			case VALE_OF_ACTION_OUTPUT:
				put(o, "output:%s", port_word(names, len == 4 ? mnl_attr_get_u32(a) : 0,
							      num));
				break;
			case VALE_OF_ACTION_FLOOD:
				put(o, "flood");
				break;
			case VALE_OF_ACTION_DROP:
				put(o, "drop");
				break;
			case VALE_OF_ACTION_CONTROLLER:
				put(o, "controller");
				break;
			case VALE_OF_ACTION_PUSH_VLAN:
				put(o, "push_vlan:%u", len == 2 ? mnl_attr_get_u16(a) : 0);
				break;
			case VALE_OF_ACTION_POP_VLAN:
				put(o, "pop_vlan");
				break;
			case VALE_OF_ACTION_SET_VLAN_VID:
				put(o, "mod_vlan_vid:%u", len == 2 ? mnl_attr_get_u16(a) : 0);
				break;
			case VALE_OF_ACTION_SET_ETH_SRC:
			case VALE_OF_ACTION_SET_ETH_DST:
				if (len != 6)
					break;
				vctl_mac_format(mac, mnl_attr_get_payload(a));
				put(o, "mod_dl_%s:%s", mnl_attr_get_type(a) ==
				    VALE_OF_ACTION_SET_ETH_SRC ? "src" : "dst", mac);
				break;
			default:
				put(o, "unknown%u", mnl_attr_get_type(a));
			}
		}
	}
	if (!n)
		put(o, "drop");
}

struct flow_stats {
	uint64_t v[VALE_OF_STATS_MAX + 1];
	bool has[VALE_OF_STATS_MAX + 1];
};

static int fstats_cb(const struct nlattr *a, void *data)
{
	struct flow_stats *st = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type == VALE_OF_STATS_FLOWS && mnl_attr_validate(a, MNL_TYPE_U32) == 0) {
		st->v[type] = mnl_attr_get_u32(a);
		st->has[type] = true;
	} else if (type && type < VALE_OF_STATS_PAD && mnl_attr_validate(a, MNL_TYPE_U64) == 0) {
		st->v[type] = mnl_attr_get_u64(a);
		st->has[type] = true;
	}
	return MNL_CB_OK;
}

/* The match nest and the flow's attributes, or -1. */
static int flow_attrs(const struct nlattr *config, of_attrs_t tb, of_match_t m,
		      struct flow_stats *st)
{
	memset(tb, 0, sizeof(of_attrs_t));
	memset(m, 0, sizeof(of_match_t));
	memset(st, 0, sizeof(*st));
	if (!config || mnl_attr_parse_nested(config, of_attr_cb, tb) < 0 || !tb[VALE_OF_ATTR_OP])
		return -1;
	if (tb[VALE_OF_ATTR_MATCH])
		mnl_attr_parse_nested(tb[VALE_OF_ATTR_MATCH], match_cb, m);
	if (tb[VALE_OF_ATTR_STATS])
		mnl_attr_parse_nested(tb[VALE_OF_ATTR_STATS], fstats_cb, st);
	return 0;
}

int flow_format(char *buf, size_t size, const struct nlattr *config, bool stats,
		const struct port_names *names)
{
	struct out o = { buf, size, 0 };
	struct flow_stats st;
	of_attrs_t tb;
	of_match_t m;
	uint8_t proto;
	char v[VCTL_ADDR_STRLEN];
	size_t k;

	if (size)
		buf[0] = '\0';
	if (flow_attrs(config, tb, m, &st) < 0 || mnl_attr_get_u32(tb[VALE_OF_ATTR_OP]) ==
	    VALE_OF_OP_TABLE)
		return -1;
	proto = m[VALE_OF_MATCH_IP_PROTO] ? mnl_attr_get_u8(m[VALE_OF_MATCH_IP_PROTO]) : 0;
	if (stats)
		put(&o, "cookie=0x%llx, duration=%llus, n_packets=%llu, n_bytes=%llu, "
		    "idle_timeout=%u, hard_timeout=%u, idle_age=%llu, ",
		    (unsigned long long)(tb[VALE_OF_ATTR_COOKIE] ?
					 mnl_attr_get_u64(tb[VALE_OF_ATTR_COOKIE]) : 0),
		    (unsigned long long)st.v[VALE_OF_STATS_DURATION],
		    (unsigned long long)st.v[VALE_OF_STATS_PACKETS],
		    (unsigned long long)st.v[VALE_OF_STATS_BYTES],
		    nl_get_u32(tb[VALE_OF_ATTR_IDLE_TIMEOUT]),
		    nl_get_u32(tb[VALE_OF_ATTR_HARD_TIMEOUT]),
		    (unsigned long long)st.v[VALE_OF_STATS_IDLE_AGE]);
	else {
		if (tb[VALE_OF_ATTR_COOKIE] && mnl_attr_get_u64(tb[VALE_OF_ATTR_COOKIE]))
			put(&o, "cookie=0x%llx,",
			    (unsigned long long)mnl_attr_get_u64(tb[VALE_OF_ATTR_COOKIE]));
		if (nl_get_u32(tb[VALE_OF_ATTR_IDLE_TIMEOUT]))
			put(&o, "idle_timeout=%u,", nl_get_u32(tb[VALE_OF_ATTR_IDLE_TIMEOUT]));
		if (nl_get_u32(tb[VALE_OF_ATTR_HARD_TIMEOUT]))
			put(&o, "hard_timeout=%u,", nl_get_u32(tb[VALE_OF_ATTR_HARD_TIMEOUT]));
	}
	put(&o, "priority=%u", tb[VALE_OF_ATTR_PRIORITY] ?
	    mnl_attr_get_u32(tb[VALE_OF_ATTR_PRIORITY]) : 0x8000);
	for (k = 0; k < F_PRIORITY; k++)
		if (match_value(v, sizeof(v), m, k, proto, names))
			put(&o, ",%s=%s", flow_fields[k].name, v);
	put(&o, " actions=");
	actions_text(&o, tb[VALE_OF_ATTR_ACTIONS], names);
	return o.len < size ? 0 : -1;
}

/* JSON: "port_names", the names of the ports the flow matches or outputs
 * to, by number ({"1": "a"}), beside the numbers of "match" and "actions". */
static void port_names_json(struct jw *w, of_match_t m, const struct nlattr *actions,
			    const struct port_names *names)
{
	const struct nlattr *a;
	uint32_t ports[17];
	char key[16];
	int n = 0, i, j;

	if (m[VALE_OF_MATCH_IN_PORT])
		ports[n++] = mnl_attr_get_u32(m[VALE_OF_MATCH_IN_PORT]);
	if (actions)
		mnl_attr_for_each_nested(a, actions)
			if (mnl_attr_get_type(a) == VALE_OF_ACTION_OUTPUT &&
			    mnl_attr_get_payload_len(a) == 4 && n < 17)
				ports[n++] = mnl_attr_get_u32(a);
	for (i = 0, j = 0; i < n; i++)
		j += port_name_of(names, ports[i]) != NULL;
	if (!j)
		return;
	jw_obj_open(w, "port_names");
	for (i = 0; i < n; i++) {
		for (j = 0; j < i && ports[j] != ports[i]; j++)
			;
		if (j < i || !port_name_of(names, ports[i]))
			continue;	/* once each */
		snprintf(key, sizeof(key), "%u", ports[i]);
		jw_str(w, key, port_name_of(names, ports[i]));
	}
	jw_obj_close(w);
}

static void flow_json(struct jw *w, const struct nlattr *config, const struct port_names *names)
{
	struct flow_stats st;
	of_attrs_t tb;
	of_match_t m;
	char text[1024], v[VCTL_ADDR_STRLEN];
	struct out o = { text, sizeof(text), 0 };
	uint8_t proto;
	size_t k;

	flow_attrs(config, tb, m, &st);
	proto = m[VALE_OF_MATCH_IP_PROTO] ? mnl_attr_get_u8(m[VALE_OF_MATCH_IP_PROTO]) : 0;
	jw_obj_open(w, NULL);
	jw_u64(w, "priority", tb[VALE_OF_ATTR_PRIORITY] ?
	       mnl_attr_get_u32(tb[VALE_OF_ATTR_PRIORITY]) : 0x8000);
	jw_u64(w, "cookie", tb[VALE_OF_ATTR_COOKIE] ? mnl_attr_get_u64(tb[VALE_OF_ATTR_COOKIE]) : 0);
	jw_u64(w, "idle_timeout", nl_get_u32(tb[VALE_OF_ATTR_IDLE_TIMEOUT]));
	jw_u64(w, "hard_timeout", nl_get_u32(tb[VALE_OF_ATTR_HARD_TIMEOUT]));
	jw_obj_open(w, "match");
	for (k = 0; k < F_PRIORITY; k++) {
		if (!match_value(v, sizeof(v), m, k, proto, NULL))
			continue;
		if (flow_fields[k].kind == K_NUM)
			jw_u64(w, flow_fields[k].name, strtoull(v, NULL, 0));
		else
			jw_str(w, flow_fields[k].name, v);
	}
	jw_obj_close(w);
	actions_text(&o, tb[VALE_OF_ATTR_ACTIONS], NULL);
	jw_str(w, "actions", text);
	jw_u64(w, "n_packets", st.v[VALE_OF_STATS_PACKETS]);
	jw_u64(w, "n_bytes", st.v[VALE_OF_STATS_BYTES]);
	jw_u64(w, "duration", st.v[VALE_OF_STATS_DURATION]);
	jw_u64(w, "idle_age", st.v[VALE_OF_STATS_IDLE_AGE]);
	if (flow_format(text, sizeof(text), config, false, NULL) == 0)
		jw_str(w, "flow", text);
	port_names_json(w, m, tb[VALE_OF_ATTR_ACTIONS], names);
	jw_obj_close(w);
}

/* The TABLE object: flows, exact-match cache, controller port, miss rule. */
static void table_show(struct printer *p, const struct nlattr *config)
{
	struct flow_stats st;
	of_attrs_t tb;
	of_match_t m;
	char acts[512], num[16];
	struct out o = { acts, sizeof(acts), 0 };
	const char *name;
	uint32_t ctl;

	flow_attrs(config, tb, m, &st);
	actions_text(&o, tb[VALE_OF_ATTR_ACTIONS], p->req->json ? NULL : p->names);
	ctl = tb[VALE_OF_ATTR_CONTROLLER] ? mnl_attr_get_u32(tb[VALE_OF_ATTR_CONTROLLER]) :
	      VCTL_NO_PORT;
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_u64(&p->jw, "flows", st.v[VALE_OF_STATS_FLOWS]);
		jw_bool(&p->jw, "emc", tb[VALE_OF_ATTR_EMC] && mnl_attr_get_u8(tb[VALE_OF_ATTR_EMC]));
		if (ctl == VCTL_NO_PORT)
			jw_null(&p->jw, "controller");
		else
			jw_u64(&p->jw, "controller", ctl);
		if (ctl != VCTL_NO_PORT && port_name_of(p->names, ctl))
			jw_str(&p->jw, "controller_name", port_name_of(p->names, ctl));
		jw_obj_open(&p->jw, "miss");
		jw_str(&p->jw, "actions", acts);
		jw_u64(&p->jw, "n_packets", st.v[VALE_OF_STATS_PACKETS]);
		jw_u64(&p->jw, "n_bytes", st.v[VALE_OF_STATS_BYTES]);
		jw_obj_close(&p->jw);
		jw_obj_close(&p->jw);
		return;
	}
	fprintf(p->f, "flows %llu\nemc %s\n", (unsigned long long)st.v[VALE_OF_STATS_FLOWS],
		tb[VALE_OF_ATTR_EMC] && mnl_attr_get_u8(tb[VALE_OF_ATTR_EMC]) ? "on" : "off");
	if (ctl == VCTL_NO_PORT)
		fprintf(p->f, "controller none\n");
	else
		fprintf(p->f, "controller %s\n", (name = port_name_text(p->names, ctl)) &&
			strcmp(name, "none") ? name : port_word(NULL, ctl, num));
	fprintf(p->f, "miss n_packets=%llu, n_bytes=%llu, actions=%s\n",
		(unsigned long long)st.v[VALE_OF_STATS_PACKETS],
		(unsigned long long)st.v[VALE_OF_STATS_BYTES], acts);
}

int flow_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	nl_attrs_t top;
	of_attrs_t tb = { NULL };
	char line[1024];
	uint32_t op;

	if (nl_parse(nlh, top) < 0 || !top[VALE_ATTR_LOOKUP_CONFIG] ||
	    mnl_attr_parse_nested(top[VALE_ATTR_LOOKUP_CONFIG], of_attr_cb, tb) < 0 ||
	    !tb[VALE_OF_ATTR_OP])
		return MNL_CB_OK;
	op = mnl_attr_get_u32(tb[VALE_OF_ATTR_OP]);
	if (p->req->op == OP_FLOW_TABLE && op == VALE_OF_OP_TABLE) {
		table_show(p, top[VALE_ATTR_LOOKUP_CONFIG]);
	} else if (p->req->op == OP_FLOW_SHOW && op == VALE_OF_OP_FLOW &&
		   flow_filter_match(p->priv, top[VALE_ATTR_LOOKUP_CONFIG])) {
		if (p->req->json)
			flow_json(&p->jw, top[VALE_ATTR_LOOKUP_CONFIG], p->names);
		else if (flow_format(line, sizeof(line), top[VALE_ATTR_LOOKUP_CONFIG], true,
				     p->names) == 0)
			fprintf(p->f, " %s\n", line);
	}
	return MNL_CB_OK;
}

void flow_dump_req(const struct vctl_req *req, struct vctl_req *dump)
{
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);

	vctl_req_sub(dump, req, VALE_CMD_LOOKUP_DUMP, true);
	if (sw)
		dump->args[dump->nargs++] = *sw;
	vctl_add_module(dump, "of");
	vctl_add_arg(dump, VALE_ATTR_LOOKUP_TABLE, 0, VT_STR,
		     req->op == OP_FLOW_TABLE ? "table" : "flows", 0, sw ? sw->argi : -1, -1);
}

/*
 * flow show, flow table: the port names first (unless -N), then the dump,
 * which carries the switch, the module and the table only: flow show's
 * MATCH filters here.
 */
static int show(struct nl *nl, const struct vctl_req *req)
{
	static struct flow_filter filter;
	struct port_names names = { 0, NULL };
	struct vctl_req dump;
	struct printer p;
	int ret;

	if (flow_filter_init(&filter, req) < 0) {
		fprintf(stderr, "Error: the match does not fit in a message\n");
		return EXIT_ERR;
	}
	flow_dump_req(req, &dump);
	if (!req->numeric)
		port_names_load(nl, req, &names);
	printer_begin(&p, req, stdout, NULL, 0, "");
	p.priv = &filter;
	p.names = &names;
	ret = nl_run(nl, &dump, flow_show_cb, &p);
	if (printer_end(&p) < 0 && ret == EXIT_OK) {
		fprintf(stderr, "Error: out of memory\n");
		ret = EXIT_ERR;
	}
	port_names_free(&names);
	return ret;
}

int do_flow(struct nl *nl, const struct vctl_req *req)
{
	static struct vctl_req named;
	int ret = lookup_expect(nl, req, "of");

	if (ret != EXIT_OK)
		return ret;
	/* the port names of the flow (or of the match) by number */
	ret = port_names_resolve(nl, req, &named);
	if (ret != EXIT_OK)
		return ret;
	if (req->dump)
		return show(nl, &named);
	return nl_run(nl, &named, NULL, NULL);
}
