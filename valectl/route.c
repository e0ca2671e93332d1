// SPDX-License-Identifier: GPL-2.0
/*
 * valectl route, neigh, addr, router: the l3 router's configuration
 * (lookup-modules/l3), sent as VALE_CMD_LOOKUP_CONFIG with one
 * VALE_L3_OP_* and its attributes nested in LOOKUP_CONFIG, and shown
 * from VALE_CMD_LOOKUP_DUMP, whose objects carry the attributes of the
 * request that makes them, so that each is printed in the words that
 * make it again (as "ip route" does):
 *
 *	valectl route add SWITCH PREFIX port N [via ADDR]	ROUTE_ADD
 *	valectl route del SWITCH PREFIX				ROUTE_DEL
 *	valectl neigh add SWITCH ADDR lladdr MAC port N		NEIGH_ADD
 *	valectl neigh del SWITCH ADDR port N			NEIGH_DEL
 *	valectl addr add|del SWITCH ADDR port N			ADDR_ADD, ADDR_DEL
 *	valectl router port set SWITCH N mac MAC		PORT_SET
 *	valectl router port del SWITCH N			PORT_DEL
 *	valectl router flush SWITCH				FLUSH
 *	valectl [-j] route|neigh|addr show SWITCH
 *	valectl [-j] [-s] router show SWITCH	ports, MACs, addresses, counts,
 *						and with -s the counters
 *
 * A port N is its number on the switch (INDEX of "valectl port show") or
 * its name (portname.c), and is shown by name when it has one (-N:
 * numbers). Every request names the module it is meant for (LOOKUP_NAME
 * "l3": the kernel refuses it on a switch that runs another one), the
 * shows the table they print (LOOKUP_TABLE); every command first checks
 * that the switch uses l3, for a friendlier message, then resolves the
 * port names.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "text.h"

#define CFG	VALE_ATTR_LOOKUP_CONFIG

static const char *object_of(enum vctl_op op)
{
	switch (op) {
	case OP_ROUTE_ADD: case OP_ROUTE_DEL: case OP_ROUTE_SHOW:
		return "route";
	case OP_NEIGH_ADD: case OP_NEIGH_DEL: case OP_NEIGH_SHOW:
		return "neigh";
	case OP_ADDR_ADD: case OP_ADDR_DEL: case OP_ADDR_SHOW:
		return "addr";
	default:
		return "router";
	}
}

/* ---- parsing ------------------------------------------------------------- */

struct rp {
	int argc;
	char **argv;
	struct vctl_req *req;
	FILE *err;
	const char *obj;
};

static int __attribute__((format(printf, 2, 3))) bad(const struct rp *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vctl_usage_error(r->err, r->obj, "%s %s: %s", r->obj,
				vctl_op_name(r->req->op) + strlen(r->obj) + 1, msg);
}

static int too_many(const struct rp *r)
{
	return bad(r, "too many arguments");
}

static int add_op(const struct rp *r, uint32_t op, int argi)
{
	struct vctl_arg *a = vctl_push(r->req, VALE_L3_ATTR_OP, CFG, 0, VT_U32, argi);

	if (!a)
		return too_many(r);
	a->u32 = op;
	return EXIT_OK;
}

static int add_port(const struct rp *r, int argi, int kwi)
{
	const char *s = r->argv[argi];
	struct vctl_arg *a = vctl_push(r->req, VALE_L3_ATTR_PORT, CFG, 0, VT_U32, argi);
	const char *why;
	uint64_t n;

	if (!a)
		return too_many(r);
	a->kwi = kwi;
	if (!vctl_port_is_number(s, strlen(s))) {
		if (vctl_port_name_arg(a, s, strlen(s)) < 0)
			return bad(r, "port \"%s\": %s", s, *s ? "name too long" : "empty");
		return EXIT_OK;
	}
	if (vctl_num_parse(s, strlen(s), VCTL_MAX_PORTS - 1, &n, &why) < 0)
		return bad(r, "port \"%s\": a port number from 0 to %d (INDEX of \"valectl "
			   "port show\"), or a port name", s, VCTL_MAX_PORTS - 1);
	a->u32 = (uint32_t)n;
	return EXIT_OK;
}

/* An address (want: 0 either family, else 4 or 16 bytes) into attr. */
static int add_addr(const struct rp *r, uint16_t attr, int argi, int kwi, int want,
		    const char *what)
{
	const char *s = r->argv[argi], *why;
	struct vctl_arg *a;
	uint8_t b[16];
	int len;

	if (strchr(s, '/'))
		return bad(r, "%s \"%s\": an address, without /LEN", what, s);
	len = vctl_addr_parse(s, strlen(s), b, &why);
	if (len < 0)
		return bad(r, "%s \"%s\": %s", what, s, why);
	if (want && len != want)
		return bad(r, "%s \"%s\": an IPv%d address, as the prefix", what, s,
			   want == 4 ? 4 : 6);
	a = vctl_push(r->req, attr, CFG, 0, VT_BIN, argi);
	if (!a)
		return too_many(r);
	memcpy(a->bin, b, (size_t)len);
	a->len = (uint8_t)len;
	a->kwi = kwi;
	return EXIT_OK;
}

static int add_mac(const struct rp *r, int argi, int kwi)
{
	const char *s = r->argv[argi], *why;
	struct vctl_arg *a;
	uint8_t m[6];

	if (vctl_mac_parse(s, strlen(s), m, &why) < 0)
		return bad(r, "\"%s\": %s", s, why);
	if (m[0] & 1)
		return bad(r, "\"%s\": a unicast MAC address (first byte even)", s);
	a = vctl_push(r->req, VALE_L3_ATTR_MAC, CFG, 0, VT_BIN, argi);
	if (!a)
		return too_many(r);
	memcpy(a->bin, m, 6);
	a->len = 6;
	a->kwi = kwi;
	return EXIT_OK;
}

/* PREFIX: ADDR[/LEN] or "default" (0.0.0.0/0); returns its length, 4 or 16. */
static int add_prefix(const struct rp *r, int argi, int *bytes)
{
	const char *s = r->argv[argi], *why;
	struct vctl_arg *a, *l;
	unsigned int plen;
	uint8_t b[16];
	int len;

	if (!strcmp(s, "default")) {
		memset(b, 0, sizeof(b));
		len = 4;
		plen = 0;
	} else {
		len = vctl_prefix_parse(s, strlen(s), b, &plen, &why);
		if (len < 0)
			return bad(r, "prefix \"%s\": %s", s, why);
	}
	a = vctl_push(r->req, VALE_L3_ATTR_PREFIX, CFG, 0, VT_BIN, argi);
	l = a ? vctl_push(r->req, VALE_L3_ATTR_PREFIX_LEN, CFG, 0, VT_U8, argi) : NULL;
	if (!l)
		return too_many(r);
	memcpy(a->bin, b, (size_t)len);
	a->len = (uint8_t)len;
	l->u32 = plen;
	*bytes = len;
	return EXIT_OK;
}

/*
 * "KEYWORD VALUE" pairs from i on: at[k] is the argv index of the value
 * of names[k] (-1 if not given); those in need (a bitmask) are required.
 */
static int keywords(const struct rp *r, int i, const char *const *names, unsigned int need,
		    int *at)
{
	int k;

	for (k = 0; names[k]; k++)
		at[k] = -1;
	for (; i < r->argc; i += 2) {
		k = vctl_keyword(r->argv[i], names);
		if (k < 0)
			return bad(r, "%s \"%s\"", k == -2 ? "ambiguous keyword" :
				   names[0] ? "unknown keyword" : "unexpected argument", r->argv[i]);
		if (at[k] >= 0)
			return bad(r, "\"%s\" given twice", names[k]);
		if (i + 1 >= r->argc)
			return bad(r, "\"%s\" needs a value", names[k]);
		at[k] = i + 1;
	}
	for (k = 0; names[k]; k++)
		if ((need >> k & 1) && at[k] < 0)
			return bad(r, "missing \"%s %s\"", names[k],
				   !strcmp(names[k], "port") ? "N" :
				   !strcmp(names[k], "via") ? "ADDR" : "MAC");
	return EXIT_OK;
}

static const char *const kw_route[] = { "port", "via", NULL };
static const char *const kw_neigh[] = { "lladdr", "port", NULL };
static const char *const kw_port[] = { "port", NULL };
static const char *const kw_mac[] = { "mac", NULL };
static const char *const kw_none[] = { NULL };

/* An argument that must be there: its index, or EXIT_USAGE said. */
static int need(const struct rp *r, int i, const char *metavar)
{
	if (i >= r->argc)
		return bad(r, "missing %s", metavar), -1;
	if (!r->argv[i][0])
		return bad(r, "empty %s", metavar), -1;
	return i;
}

/* "router port set|del SWITCH N [mac MAC]": the sub-verb was read as the
 * switch (at argv[sw]); take it back. */
static int router_port_parse(const struct rp *rr, int sw)
{
	static const char *const sub[] = { "set", "del", NULL };
	const struct rp r = *rr;
	struct vctl_req *req = r.req;
	char **argv = r.argv;
	int s = vctl_keyword(argv[sw], sub), at[1], verb, ret, x;

	req->nargs = 0;
	if (s < 0)
		return bad(&r, "%s \"%s\" (set or del)", s == -2 ? "ambiguous command" :
			   "unknown command", argv[sw]);
	verb = sw;
	sw = need(&r, verb + 1, "SWITCH");
	if (sw < 0)
		return EXIT_USAGE;
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[sw], 0, sw, -1);
	x = need(&r, sw + 1, "port N");
	if (x < 0)
		return EXIT_USAGE;
	ret = add_op(&r, s == 0 ? VALE_L3_OP_PORT_SET : VALE_L3_OP_PORT_DEL, verb);
	if (ret == EXIT_OK)
		ret = add_port(&r, x, -1);
	if (ret == EXIT_OK)
		ret = keywords(&r, x + 1, s == 0 ? kw_mac : kw_none, 1, at);
	if (ret == EXIT_OK && s == 0)
		ret = add_mac(&r, at[0], at[0] - 1);
	return ret;
}

static int route_words(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	struct rp r = { argc, argv, req, err, object_of(req->op) };
	int verb = i - 1, at[3], bytes = 0, ret, sw, x;

	sw = need(&r, i, "SWITCH");
	if (sw < 0)
		return EXIT_USAGE;
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[sw], 0, sw, -1);
	i++;
	switch (req->op) {
	case OP_ROUTE_SHOW:
	case OP_NEIGH_SHOW:
	case OP_ADDR_SHOW:
	case OP_ROUTER_SHOW:
		return i < argc ? bad(&r, "unexpected argument \"%s\"", argv[i]) : EXIT_OK;
	case OP_ROUTER_FLUSH:
		if (i < argc)
			return bad(&r, "unexpected argument \"%s\"", argv[i]);
		return add_op(&r, VALE_L3_OP_FLUSH, verb);
	case OP_ROUTE_ADD:
	case OP_ROUTE_DEL:
		x = need(&r, i, "PREFIX");
		if (x < 0)
			return EXIT_USAGE;
		ret = add_op(&r, req->op == OP_ROUTE_ADD ? VALE_L3_OP_ROUTE_ADD :
			     VALE_L3_OP_ROUTE_DEL, verb);
		if (ret == EXIT_OK)
			ret = add_prefix(&r, x, &bytes);
		if (ret == EXIT_OK)
			ret = keywords(&r, x + 1, req->op == OP_ROUTE_ADD ? kw_route : kw_none,
				       1, at);
		if (ret != EXIT_OK || req->op == OP_ROUTE_DEL)
			return ret;
		ret = add_port(&r, at[0], at[0] - 1);
		if (ret == EXIT_OK && at[1] >= 0)
			ret = add_addr(&r, VALE_L3_ATTR_GATEWAY, at[1], at[1] - 1, bytes, "via");
		return ret;
	case OP_NEIGH_ADD:
	case OP_NEIGH_DEL:
	case OP_ADDR_ADD:
	case OP_ADDR_DEL:
		x = need(&r, i, "ADDR");
		if (x < 0)
			return EXIT_USAGE;
		ret = add_op(&r, req->op == OP_NEIGH_ADD ? VALE_L3_OP_NEIGH_ADD :
			     req->op == OP_NEIGH_DEL ? VALE_L3_OP_NEIGH_DEL :
			     req->op == OP_ADDR_ADD ? VALE_L3_OP_ADDR_ADD : VALE_L3_OP_ADDR_DEL, verb);
		if (ret == EXIT_OK)
			ret = add_addr(&r, VALE_L3_ATTR_ADDR, x, -1, 0, "address");
		if (ret != EXIT_OK)
			return ret;
		if (req->op == OP_NEIGH_ADD) {
			ret = keywords(&r, x + 1, kw_neigh, 3, at);
			if (ret == EXIT_OK)
				ret = add_mac(&r, at[0], at[0] - 1);
			return ret == EXIT_OK ? add_port(&r, at[1], at[1] - 1) : ret;
		}
		ret = keywords(&r, x + 1, kw_port, 1, at);
		return ret == EXIT_OK ? add_port(&r, at[0], at[0] - 1) : ret;
	case OP_ROUTER_PORT:
		return router_port_parse(&r, sw);
	default:
		return bad(&r, "internal error: no parser");
	}
}
int route_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	const struct vctl_arg *sw;
	const char *table = NULL;
	int ret = route_words(argc, argv, i, req, err);

	if (ret != EXIT_OK)
		return ret;
	switch (req->op) {
	case OP_ROUTE_SHOW:
		table = "routes";
		break;
	case OP_NEIGH_SHOW:
		table = "neighbours";
		break;
	case OP_ADDR_SHOW:
		table = "addresses";
		break;
	default:
		break;	/* router show: every table */
	}
	sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	if (vctl_add_module(req, "l3") < 0 ||
	    (table && vctl_add_arg(req, VALE_ATTR_LOOKUP_TABLE, 0, VT_STR, table, 0,
				   sw ? sw->argi : -1, -1) < 0))
		return vctl_usage_error(err, object_of(req->op), "%s: too many arguments",
					vctl_op_name(req->op));
	return EXIT_OK;
}

/* ---- printing ------------------------------------------------------------ */

static const char *const l3_stats_names[VALE_L3_STATS_PAD] = {
	[VALE_L3_STATS_FORWARDED_V4] = "forwarded_v4",
	[VALE_L3_STATS_FORWARDED_V6] = "forwarded_v6",
	[VALE_L3_STATS_ARP_REPLIES] = "arp_replies",
	[VALE_L3_STATS_ND_REPLIES] = "nd_replies",
	[VALE_L3_STATS_DROP_NOT_IP] = "drop_not_ip",
	[VALE_L3_STATS_DROP_TRUNCATED] = "drop_truncated",
	[VALE_L3_STATS_DROP_MALFORMED] = "drop_malformed",
	[VALE_L3_STATS_DROP_CHECKSUM] = "drop_checksum",
	[VALE_L3_STATS_DROP_TTL] = "drop_ttl",
	[VALE_L3_STATS_DROP_NO_ROUTE] = "drop_no_route",
	[VALE_L3_STATS_DROP_NO_NEIGH] = "drop_no_neigh",
	[VALE_L3_STATS_DROP_NOT_ROUTER] = "drop_not_router",
	[VALE_L3_STATS_DROP_LOCAL] = "drop_local",
	[VALE_L3_STATS_DROP_ADDR] = "drop_addr",
	[VALE_L3_STATS_DROP_ARP] = "drop_arp",
	[VALE_L3_STATS_DROP_ND] = "drop_nd",
	[VALE_L3_STATS_DROP_PORT_DOWN] = "drop_port_down",
};

typedef const struct nlattr *l3_attrs_t[VALE_L3_ATTR_MAX + 1];

/* One object's attributes, checked by size; a wrong one counts as absent. */
static int l3_attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);
	uint16_t len = mnl_attr_get_payload_len(a);
	bool ok;

	switch (type) {
	case VALE_L3_ATTR_OP:
	case VALE_L3_ATTR_PORT:
		ok = len == 4;
		break;
	case VALE_L3_ATTR_MAC:
		ok = len == 6;
		break;
	case VALE_L3_ATTR_ADDR:
	case VALE_L3_ATTR_PREFIX:
	case VALE_L3_ATTR_GATEWAY:
		ok = len == 4 || len == 16;
		break;
	case VALE_L3_ATTR_PREFIX_LEN:
		ok = len == 1;
		break;
	case VALE_L3_ATTR_STATS:
		ok = mnl_attr_validate(a, MNL_TYPE_NESTED) == 0;
		break;
	default:
		ok = false;	/* newer kernel: skip what we don't know */
	}
	if (ok)
		tb[type] = a;
	return MNL_CB_OK;
}

static void addr_text(char *buf, size_t size, const struct nlattr *a)
{
	vctl_addr_format(buf, size, mnl_attr_get_payload(a), mnl_attr_get_payload_len(a));
}

/* JSON: the number, and beside it the name when the port has one. */
static void port_members(struct printer *p, uint32_t port)
{
	const char *name = port_name_of(p->names, port);

	jw_u64(&p->jw, "port", port);
	if (name)
		jw_str(&p->jw, "port_name", name);
}

/* What the router show collects before it prints. */
struct router_port {
	uint32_t port;
	bool has_mac;
	uint8_t mac[6];
	int naddrs;
	char addrs[16][VCTL_ADDR_STRLEN];
};

struct l3_show {
	struct router_port ports[VCTL_MAX_PORTS];
	bool used[VCTL_MAX_PORTS];
	unsigned int routes, neighs, addrs;
	bool have_stats;
	uint64_t stats[VALE_L3_STATS_PAD];
};

void l3_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	printer_begin(p, req, f, NULL, 0, "");
	p->priv = calloc(1, sizeof(struct l3_show));
}

/* "10.0.2.0/24 via 10.0.2.1 port 2": the words of "route add" after SWITCH */
static void route_line(struct printer *p, l3_attrs_t tb)
{
	char pfx[VCTL_ADDR_STRLEN], gw[VCTL_ADDR_STRLEN] = "";
	const uint8_t *a = mnl_attr_get_payload(tb[VALE_L3_ATTR_PREFIX]);
	uint16_t len = mnl_attr_get_payload_len(tb[VALE_L3_ATTR_PREFIX]);
	unsigned int plen = mnl_attr_get_u8(tb[VALE_L3_ATTR_PREFIX_LEN]);
	uint32_t port = mnl_attr_get_u32(tb[VALE_L3_ATTR_PORT]);
	char num[16];

	if (len == 4 && plen == 0)
		snprintf(pfx, sizeof(pfx), "default");
	else
		vctl_prefix_format(pfx, sizeof(pfx), a, len, plen);
	if (tb[VALE_L3_ATTR_GATEWAY])
		addr_text(gw, sizeof(gw), tb[VALE_L3_ATTR_GATEWAY]);
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		vctl_prefix_format(pfx, sizeof(pfx), a, len, plen);
		jw_str(&p->jw, "prefix", pfx);
		if (gw[0])
			jw_str(&p->jw, "via", gw);
		port_members(p, port);
		jw_obj_close(&p->jw);
	} else {
		fprintf(p->f, "%s%s%s port %s\n", pfx, gw[0] ? " via " : "", gw,
			port_word(p->names, port, num));
	}
}

static void neigh_line(struct printer *p, l3_attrs_t tb)
{
	char addr[VCTL_ADDR_STRLEN], mac[18], num[16];
	uint32_t port = mnl_attr_get_u32(tb[VALE_L3_ATTR_PORT]);

	addr_text(addr, sizeof(addr), tb[VALE_L3_ATTR_ADDR]);
	vctl_mac_format(mac, mnl_attr_get_payload(tb[VALE_L3_ATTR_MAC]));
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "addr", addr);
		jw_str(&p->jw, "lladdr", mac);
		port_members(p, port);
		jw_obj_close(&p->jw);
	} else {
		fprintf(p->f, "%s lladdr %s port %s\n", addr, mac, port_word(p->names, port, num));
	}
}

static void addr_line(struct printer *p, l3_attrs_t tb)
{
	char addr[VCTL_ADDR_STRLEN], num[16];
	uint32_t port = mnl_attr_get_u32(tb[VALE_L3_ATTR_PORT]);

	addr_text(addr, sizeof(addr), tb[VALE_L3_ATTR_ADDR]);
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "addr", addr);
		port_members(p, port);
		jw_obj_close(&p->jw);
	} else {
		fprintf(p->f, "%s port %s\n", addr, port_word(p->names, port, num));
	}
}

static struct router_port *router_port(struct l3_show *s, uint32_t port)
{
	if (port >= VCTL_MAX_PORTS)
		return NULL;
	s->used[port] = true;
	s->ports[port].port = port;
	return &s->ports[port];
}

static int stats_cb(const struct nlattr *a, void *data)
{
	struct l3_show *s = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > 0 && type < VALE_L3_STATS_PAD && mnl_attr_validate(a, MNL_TYPE_U64) == 0)
		s->stats[type] = mnl_attr_get_u64(a);
	return MNL_CB_OK;
}

/* Router show: remember the object, print at the end. */
static void router_collect(struct l3_show *s, uint32_t op, l3_attrs_t tb)
{
	struct router_port *rp;

	switch (op) {
	case VALE_L3_OP_ROUTE_ADD:
		s->routes++;
		break;
	case VALE_L3_OP_NEIGH_ADD:
		s->neighs++;
		break;
	case VALE_L3_OP_STATS:
		s->have_stats = true;
		mnl_attr_parse_nested(tb[VALE_L3_ATTR_STATS], stats_cb, s);
		break;
	case VALE_L3_OP_PORT_SET:
		rp = router_port(s, mnl_attr_get_u32(tb[VALE_L3_ATTR_PORT]));
		if (rp) {
			rp->has_mac = true;
			memcpy(rp->mac, mnl_attr_get_payload(tb[VALE_L3_ATTR_MAC]), 6);
		}
		break;
	case VALE_L3_OP_ADDR_ADD:
		s->addrs++;
		rp = router_port(s, mnl_attr_get_u32(tb[VALE_L3_ATTR_PORT]));
		if (rp && rp->naddrs < 16)
			addr_text(rp->addrs[rp->naddrs++], VCTL_ADDR_STRLEN, tb[VALE_L3_ATTR_ADDR]);
		break;
	}
}

/* Each attribute an object of op needs to be printed. */
static bool complete(uint32_t op, l3_attrs_t tb)
{
	switch (op) {
	case VALE_L3_OP_ROUTE_ADD:
		return tb[VALE_L3_ATTR_PREFIX] && tb[VALE_L3_ATTR_PREFIX_LEN] &&
		       tb[VALE_L3_ATTR_PORT];
	case VALE_L3_OP_NEIGH_ADD:
		return tb[VALE_L3_ATTR_ADDR] && tb[VALE_L3_ATTR_MAC] && tb[VALE_L3_ATTR_PORT];
	case VALE_L3_OP_ADDR_ADD:
		return tb[VALE_L3_ATTR_ADDR] && tb[VALE_L3_ATTR_PORT];
	case VALE_L3_OP_PORT_SET:
		return tb[VALE_L3_ATTR_MAC] && tb[VALE_L3_ATTR_PORT];
	case VALE_L3_OP_STATS:
		return tb[VALE_L3_ATTR_STATS];
	}
	return false;
}

int l3_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	l3_attrs_t tb = { NULL };
	nl_attrs_t top;
	uint32_t op;

	if (nl_parse(nlh, top) < 0 || !top[VALE_ATTR_LOOKUP_CONFIG] ||
	    mnl_attr_parse_nested(top[VALE_ATTR_LOOKUP_CONFIG], l3_attr_cb, tb) < 0 ||
	    !tb[VALE_L3_ATTR_OP])
		return MNL_CB_OK;
	op = mnl_attr_get_u32(tb[VALE_L3_ATTR_OP]);
	if (!complete(op, tb))
		return MNL_CB_OK;
	if (p->req->op == OP_ROUTE_SHOW && op == VALE_L3_OP_ROUTE_ADD)
		route_line(p, tb);
	else if (p->req->op == OP_NEIGH_SHOW && op == VALE_L3_OP_NEIGH_ADD)
		neigh_line(p, tb);
	else if (p->req->op == OP_ADDR_SHOW && op == VALE_L3_OP_ADDR_ADD)
		addr_line(p, tb);
	else if (p->req->op == OP_ROUTER_SHOW && p->priv)
		router_collect(p->priv, op, tb);
	return MNL_CB_OK;
}

static void router_print(struct printer *p, const struct l3_show *s)
{
	char mac[18], num[16];
	int i, j, n = 0;

	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_arr_open(&p->jw, "ports");
	}
	for (i = 0; i < VCTL_MAX_PORTS; i++) {
		const struct router_port *rp = &s->ports[i];

		if (!s->used[i])
			continue;
		if (rp->has_mac)
			vctl_mac_format(mac, rp->mac);
		if (p->req->json) {
			jw_obj_open(&p->jw, NULL);
			port_members(p, rp->port);
			if (rp->has_mac)
				jw_str(&p->jw, "mac", mac);
			else
				jw_null(&p->jw, "mac");
			jw_arr_open(&p->jw, "addrs");
			for (j = 0; j < rp->naddrs; j++)
				jw_str(&p->jw, NULL, rp->addrs[j]);
			jw_arr_close(&p->jw);
			jw_obj_close(&p->jw);
			continue;
		}
		fprintf(p->f, "port %s mac %s", port_word(p->names, rp->port, num),
			rp->has_mac ? mac : "none");
		for (j = 0; j < rp->naddrs; j++)
			fprintf(p->f, " addr %s", rp->addrs[j]);
		fputc('\n', p->f);
	}
	if (p->req->json) {
		jw_arr_close(&p->jw);
		jw_u64(&p->jw, "routes", s->routes);
		jw_u64(&p->jw, "neighbours", s->neighs);
		jw_u64(&p->jw, "addresses", s->addrs);
		if (p->req->stats && s->have_stats) {
			jw_obj_open(&p->jw, "stats");
			for (i = 1; i < VALE_L3_STATS_PAD; i++)
				jw_u64(&p->jw, l3_stats_names[i], s->stats[i]);
			jw_obj_close(&p->jw);
		}
		jw_obj_close(&p->jw);
		return;
	}
	fprintf(p->f, "routes %u neighbours %u addresses %u\n", s->routes, s->neighs, s->addrs);
	if (!p->req->stats || !s->have_stats)
		return;
	/* four to a line, as "ip -s" does */
	for (i = 1; i < VALE_L3_STATS_PAD; i++, n++)
		fprintf(p->f, "%s%s %llu%s", n % 4 ? "  " : "    ", l3_stats_names[i],
			(unsigned long long)s->stats[i],
			n % 4 == 3 || i == VALE_L3_STATS_PAD - 1 ? "\n" : "");
}

int l3_show_end(struct printer *p)
{
	if (p->req->op == OP_ROUTER_SHOW && p->priv)
		router_print(p, p->priv);
	free(p->priv);
	p->priv = NULL;
	return printer_end(p);
}

/* Configure: the port names resolved in a copy of the request, then sent. */
static int route_config(struct nl *nl, const struct vctl_req *req)
{
	static struct vctl_req named;
	int ret = port_names_resolve(nl, req, &named);

	return ret == EXIT_OK ? nl_run(nl, &named, NULL, NULL) : ret;
}

int do_route(struct nl *nl, const struct vctl_req *req)
{
	struct port_names names = { 0, NULL };
	struct printer p;
	int ret = lookup_expect(nl, req, "l3");

	if (ret != EXIT_OK)
		return ret;
	if (!req->dump)
		return route_config(nl, req);
	if (!req->numeric)
		port_names_load(nl, req, &names);
	l3_show_begin(&p, req, stdout);
	p.names = &names;
	if (!p.priv) {
		printer_end(&p);
		port_names_free(&names);
		fprintf(stderr, "Error: out of memory\n");
		return EXIT_ERR;
	}
	ret = nl_run(nl, req, l3_show_cb, &p);
	if (l3_show_end(&p) < 0 && ret == EXIT_OK)
		ret = EXIT_ERR;
	port_names_free(&names);
	return ret;
}
