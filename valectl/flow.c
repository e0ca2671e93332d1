// SPDX-License-Identifier: GPL-2.0
/*
 * valectl flow: the OpenFlow-like flow table (lookup-modules/ofswitch),
 * in ovs-ofctl's text syntax, sent as VALE_CMD_LOOKUP_CONFIG with one
 * VALE_OF_OP_* nested in LOOKUP_CONFIG and shown from
 * VALE_CMD_LOOKUP_DUMP:
 *
 *	valectl flow add SWITCH FLOW			FLOW_ADD
 *	valectl flow mod SWITCH FLOW [strict]		FLOW_MOD
 *	valectl flow del SWITCH [FLOW] [strict]		FLOW_DEL (no FLOW: all)
 *	valectl [-j] flow show SWITCH [MATCH]		the flows, FLOW objects;
 *							MATCH: flow_filter.c
 *	valectl flow miss SWITCH ACTIONS		MISS_SET
 *	valectl flow controller SWITCH PORT|none	CONTROLLER_SET
 *	valectl flow emc SWITCH on|off			EMC_SET
 *	valectl [-j] flow table SWITCH			the TABLE object
 *
 * Every request names the module it is meant for (LOOKUP_NAME "of": the
 * kernel refuses it on a switch that runs another one), the dumps the
 * table they read (LOOKUP_TABLE "flows" or "table").
 *
 * FLOW is one argument, fields separated by commas or blanks, the
 * actions last and separated by commas:
 *	"priority=100,in_port=1,tcp,nw_src=10.0.0.0/24,tp_dst=80,actions=output:2"
 * flow show prints each flow in the same syntax, with the counters that
 * ovs-ofctl dump-flows prints first; the parser takes those and ignores
 * them, so that a line of flow show is a FLOW again. Each field becomes
 * an attribute that remembers where in the word it was, so that the
 * kernel's extack names the field ("nw_src=10.0.0.1/24").
 *
 * A port (in_port=, output:, a bare action, flow controller) is a number
 * or a name (portname.c); in actions, the port is everything after the
 * first ':' up to the next ',' ("output:vale0:a"). flow show prints
 * names where the port has one that reads back as itself (-N: numbers).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "text.h"

#define SEPS	", \t"

/* Match fields, in the order flow show prints them; then the others. */
const struct field flow_fields[] = {
	{ "in_port", K_NUM, W_MATCH, VALE_OF_MATCH_IN_PORT, VT_U32, VCTL_MAX_PORTS - 1 },
	{ "dl_src", K_MAC, W_MATCH, VALE_OF_MATCH_ETH_SRC, VT_BIN, 0 },
	{ "dl_dst", K_MAC, W_MATCH, VALE_OF_MATCH_ETH_DST, VT_BIN, 0 },
	{ "dl_vlan", K_NUM, W_MATCH, VALE_OF_MATCH_VLAN_VID, VT_U16, VALE_OF_VLAN_NONE },
	{ "dl_type", K_NUM, W_MATCH, VALE_OF_MATCH_ETH_TYPE, VT_U16, 0xffff },
	{ "nw_proto", K_NUM, W_MATCH, VALE_OF_MATCH_IP_PROTO, VT_U8, 0xff },
	{ "nw_src", K_IP4, W_MATCH, VALE_OF_MATCH_IP_SRC, VT_BIN, 0 },
	{ "nw_dst", K_IP4, W_MATCH, VALE_OF_MATCH_IP_DST, VT_BIN, 0 },
	{ "ipv6_src", K_IP6, W_MATCH, VALE_OF_MATCH_IP_SRC, VT_BIN, 0 },
	{ "ipv6_dst", K_IP6, W_MATCH, VALE_OF_MATCH_IP_DST, VT_BIN, 0 },
	{ "tp_src", K_NUM, W_MATCH, VALE_OF_MATCH_TP_SRC, VT_U16, 0xffff },
	{ "tp_dst", K_NUM, W_MATCH, VALE_OF_MATCH_TP_DST, VT_U16, 0xffff },
	{ "icmp_type", K_NUM, W_MATCH, VALE_OF_MATCH_TP_SRC, VT_U16, 0xff },
	{ "icmp_code", K_NUM, W_MATCH, VALE_OF_MATCH_TP_DST, VT_U16, 0xff },
	{ "priority", K_NUM, W_TOP, VALE_OF_ATTR_PRIORITY, VT_U32, 0xffff },
	{ "idle_timeout", K_NUM, W_TOP, VALE_OF_ATTR_IDLE_TIMEOUT, VT_U32, UINT32_MAX },
	{ "hard_timeout", K_NUM, W_TOP, VALE_OF_ATTR_HARD_TIMEOUT, VT_U32, UINT32_MAX },
	{ "cookie", K_NUM, W_TOP, VALE_OF_ATTR_COOKIE, VT_U64, UINT64_MAX },
	{ "duration", K_COUNTER, W_TOP, 0, VT_U32, 0 },
	{ "n_packets", K_COUNTER, W_TOP, 0, VT_U32, 0 },
	{ "n_bytes", K_COUNTER, W_TOP, 0, VT_U32, 0 },
	{ "idle_age", K_COUNTER, W_TOP, 0, VT_U32, 0 },
	{ NULL, K_NUM, W_TOP, 0, VT_U32, 0 },
};

#define NFIELDS		(sizeof(flow_fields) / sizeof(flow_fields[0]) - 1)

/* ovs-ofctl's shorthands: an EtherType and an IP protocol (0: none). */
static const struct {
	const char *name;
	uint16_t dl_type;
	uint8_t nw_proto;
} shorthands[] = {
	{ "ip", 0x0800, 0 }, { "ipv6", 0x86dd, 0 }, { "arp", 0x0806, 0 },
	{ "tcp", 0x0800, 6 }, { "udp", 0x0800, 17 }, { "sctp", 0x0800, 132 },
	{ "icmp", 0x0800, 1 }, { "tcp6", 0x86dd, 6 }, { "udp6", 0x86dd, 17 },
	{ "sctp6", 0x86dd, 132 }, { "icmp6", 0x86dd, 58 },
};

/* ---- parsing ------------------------------------------------------------- */

struct fp {
	struct vctl_req *req;
	FILE *err;
	int argi;		/* the FLOW word */
	const char *s;		/* argv[argi] */
	/* what was seen, for prerequisites and duplicates: the field's text */
	int off[NFIELDS], len[NFIELDS];
	uint64_t val[NFIELDS];
	bool seen[NFIELDS];
	bool actions;
};

static int __attribute__((format(printf, 2, 3))) bad(const struct fp *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vctl_usage_error(f->err, "flow", "%s: %s", vctl_op_name(f->req->op), msg);
}

static struct vctl_arg *push(struct fp *f, uint16_t attr, uint16_t nest2, enum vctl_type type,
			     int off, int len)
{
	struct vctl_arg *a = vctl_push(f->req, attr, CFG, nest2, type, f->argi);

	if (a) {
		a->off = off;
		a->tlen = len;
	}
	return a;
}

#define TOO_MANY(f)	bad(f, "too many fields")

/* Record a field (k) given at [off, off + len) of the word, once. */
static int seen(struct fp *f, size_t k, int off, int len, const char *by)
{
	if (f->seen[k])
		return bad(f, "\"%.*s\": %s given twice%s%s", len, f->s + off, flow_fields[k].name,
			   by ? " (" : "", by ? by : "");
	f->seen[k] = true;
	f->off[k] = off;
	f->len[k] = len;
	return EXIT_OK;
}

static int put_num(struct fp *f, size_t k, uint64_t v, int off, int len)
{
	const struct field *d = &flow_fields[k];
	struct vctl_arg *a = push(f, d->attr, d->where == W_MATCH ? VALE_OF_ATTR_MATCH : 0,
				  d->type, off, len);

	if (!a)
		return TOO_MANY(f);
	f->val[k] = v;
	if (d->type == VT_U64)
		a->u64 = v;
	else
		a->u32 = (uint32_t)v;
	return EXIT_OK;
}

static int field(struct fp *f, int off, int len)
{
	const char *tok = f->s + off, *eq = memchr(tok, '=', (size_t)len), *val, *why;
	size_t nlen = eq ? (size_t)(eq - tok) : (size_t)len, vlen, k, i;
	struct vctl_arg *a, *l;
	unsigned int plen;
	uint64_t v;
	int bytes, ret;

	for (k = 0; flow_fields[k].name; k++)
		if (strlen(flow_fields[k].name) == nlen && !strncmp(flow_fields[k].name, tok, nlen))
			break;
	if (!flow_fields[k].name) {
		for (i = 0; i < sizeof(shorthands) / sizeof(shorthands[0]); i++) {
			if (eq || strlen(shorthands[i].name) != nlen ||
			    strncmp(shorthands[i].name, tok, nlen))
				continue;
			ret = seen(f, F_DL_TYPE, off, len, "by the shorthand)");
			if (ret == EXIT_OK)
				ret = put_num(f, F_DL_TYPE, shorthands[i].dl_type, off, len);
			if (ret != EXIT_OK || !shorthands[i].nw_proto)
				return ret;
			ret = seen(f, F_NW_PROTO, off, len, "by the shorthand)");
			return ret == EXIT_OK ?
			       put_num(f, F_NW_PROTO, shorthands[i].nw_proto, off, len) : ret;
		}
		return bad(f, "\"%.*s\": unknown field (see \"valectl flow help\")", len, tok);
	}
	if (!eq)
		return bad(f, "\"%.*s\": needs a value (%s=VALUE)", len, tok, flow_fields[k].name);
	val = eq + 1;
	vlen = (size_t)len - nlen - 1;
	if (flow_fields[k].kind == K_COUNTER) {
		/* flow show's counters: a number, seconds may say "s" */
		if (vlen && val[vlen - 1] == 's' && (!strcmp(flow_fields[k].name, "duration") ||
						    !strcmp(flow_fields[k].name, "idle_age")))
			vlen--;
		if (vctl_num_parse(val, vlen, UINT64_MAX, &v, &why) < 0)
			return bad(f, "\"%.*s\": %s", len, tok, why);
		return seen(f, k, off, len, NULL);
	}
	ret = seen(f, k, off, len, NULL);
	if (ret != EXIT_OK)
		return ret;
	if (k == F_IN_PORT && vlen && !vctl_port_is_number(val, vlen)) {
		a = push(f, flow_fields[k].attr, VALE_OF_ATTR_MATCH, flow_fields[k].type, off, len);
		if (!a)
			return TOO_MANY(f);
		if (vctl_port_name_arg(a, val, vlen) < 0)
			return bad(f, "\"%.*s\": port name too long", len, tok);
		return EXIT_OK;
	}
	switch (flow_fields[k].kind) {
	case K_NUM:
		if (vctl_num_parse(val, vlen, flow_fields[k].max, &v, &why) < 0)
			return bad(f, "\"%.*s\": %s (%s is 0 to %llu)", len, tok, why,
				   flow_fields[k].name, (unsigned long long)flow_fields[k].max);
		if (k == F_DL_VLAN && v > 4095 && v != VALE_OF_VLAN_NONE)
			return bad(f, "\"%.*s\": a VLAN id is 0 to 4095, or 0xffff for "
				   "untagged frames", len, tok);
		return put_num(f, k, v, off, len);
	case K_MAC:
		a = push(f, flow_fields[k].attr, VALE_OF_ATTR_MATCH, VT_BIN, off, len);
		if (!a)
			return TOO_MANY(f);
		if (vctl_mac_parse(val, vlen, a->bin, &why) < 0)
			return bad(f, "\"%.*s\": %s", len, tok, why);
		a->len = 6;
		return EXIT_OK;
	case K_IP4:
	case K_IP6:
		a = push(f, flow_fields[k].attr, VALE_OF_ATTR_MATCH, VT_BIN, off, len);
		l = a ? push(f, flow_fields[k].attr + 1, VALE_OF_ATTR_MATCH, VT_U8, off, len) : NULL;
		if (!l)
			return TOO_MANY(f);
		bytes = vctl_prefix_parse(val, vlen, a->bin, &plen, &why);
		if (bytes < 0)
			return bad(f, "\"%.*s\": %s", len, tok, why);
		if (bytes != (flow_fields[k].kind == K_IP4 ? 4 : 16))
			return bad(f, "\"%.*s\": %s takes an IPv%d address%s", len, tok,
				   flow_fields[k].name, bytes == 4 ? 6 : 4,
				   bytes == 4 ? " (nw_src, nw_dst for IPv4)" :
				   " (ipv6_src, ipv6_dst for IPv6)");
		a->len = (uint8_t)bytes;
		l->u32 = plen;
		return EXIT_OK;
	default:
		return bad(f, "internal error");
	}
}

/*
 * ACTIONS: comma-separated, from s[off] to the end of the word; the
 * ACTIONS nest is sent even when empty (no action: drop), named by the
 * text from moff on ("actions=...").
 */
static int actions(struct fp *f, int off, int moff)
{
	static const struct {
		const char *name;
		uint16_t attr;
		enum vctl_type type;	/* VT_FLAG: no argument */
		uint64_t max;
	} acts[] = {
		{ "output", VALE_OF_ACTION_OUTPUT, VT_U32, VCTL_MAX_PORTS - 1 },
		{ "flood", VALE_OF_ACTION_FLOOD, VT_FLAG, 0 },
		{ "drop", VALE_OF_ACTION_DROP, VT_FLAG, 0 },
		{ "controller", VALE_OF_ACTION_CONTROLLER, VT_FLAG, 0 },
		{ "push_vlan", VALE_OF_ACTION_PUSH_VLAN, VT_U16, 4095 },
		{ "pop_vlan", VALE_OF_ACTION_POP_VLAN, VT_FLAG, 0 },
		{ "strip_vlan", VALE_OF_ACTION_POP_VLAN, VT_FLAG, 0 },
		{ "mod_vlan_vid", VALE_OF_ACTION_SET_VLAN_VID, VT_U16, 4095 },
		{ "mod_dl_src", VALE_OF_ACTION_SET_ETH_SRC, VT_BIN, 0 },
		{ "mod_dl_dst", VALE_OF_ACTION_SET_ETH_DST, VT_BIN, 0 },
	};
	const char *s = f->s, *why;
	int end = (int)strlen(s), n = 0, last = -1, last_len = 0, pos;
	struct vctl_arg *a;

	f->actions = true;
	if (!push(f, VALE_OF_ATTR_ACTIONS, 0, VT_NEST, moff, end - moff))
		return TOO_MANY(f);
	if (off < end && strspn(s + off, " \t") == (size_t)(end - off))
		off = end;	/* only blanks: no action */
	for (pos = off; pos < end; pos++) {
		int b = pos + (int)strspn(s + pos, " \t"), e, tl;
		const char *colon;
		size_t i, nl;
		uint64_t v;

		e = b + (int)strcspn(s + b, ",");
		pos = e;
		tl = e - b;
		while (tl > 0 && (s[b + tl - 1] == ' ' || s[b + tl - 1] == '\t'))
			tl--;
		if (!tl)
			return bad(f, "\"%s\": an empty action", s + off);
		if (last >= 0)
			return bad(f, "\"%.*s\": %.*s ends the actions: nothing may follow it",
				   tl, s + b, last_len, s + last);
		if (++n > 16)
			return bad(f, "\"%.*s\": more than 16 actions", tl, s + b);
		colon = memchr(s + b, ':', (size_t)tl);
		nl = colon ? (size_t)(colon - (s + b)) : (size_t)tl;
		for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
			if (strlen(acts[i].name) == nl && !strncmp(acts[i].name, s + b, nl))
				break;
		/* a bare port, number or name, is output to it, as in ovs-ofctl */
		if (i == sizeof(acts) / sizeof(acts[0]) || vctl_port_is_number(s + b, (size_t)tl)) {
			colon = s + b - 1;
			i = 0;
		}
		if ((acts[i].type == VT_FLAG) != !colon)
			return bad(f, "\"%.*s\": %s", tl, s + b, acts[i].type == VT_FLAG ?
				   "takes no argument" : "needs an argument (ACTION:VALUE)");
		a = push(f, acts[i].attr, VALE_OF_ATTR_ACTIONS, acts[i].type, b, tl);
		if (!a)
			return TOO_MANY(f);
		if (acts[i].type == VT_BIN) {
			if (vctl_mac_parse(colon + 1, (size_t)(s + b + tl - colon - 1), a->bin, &why) < 0)
				return bad(f, "\"%.*s\": %s", tl, s + b, why);
			a->len = 6;
		} else if (acts[i].attr == VALE_OF_ACTION_OUTPUT &&
			   !vctl_port_is_number(colon + 1, (size_t)(s + b + tl - colon - 1))) {
			if (vctl_port_name_arg(a, colon + 1, (size_t)(s + b + tl - colon - 1)) < 0)
				return bad(f, "\"%.*s\": %s", tl, s + b, colon + 1 == s + b + tl ?
					   "needs a port (output:PORT)" : "port name too long");
		} else if (acts[i].type != VT_FLAG) {
			if (vctl_num_parse(colon + 1, (size_t)(s + b + tl - colon - 1), acts[i].max,
					   &v, &why) < 0)
				return bad(f, "\"%.*s\": %s (0 to %llu)", tl, s + b, why,
					   (unsigned long long)acts[i].max);
			a->u32 = (uint32_t)v;
		}
		if (acts[i].attr == VALE_OF_ACTION_CONTROLLER && n > 1)
			return bad(f, "\"%.*s\": controller is the only action of a flow", tl, s + b);
		if (acts[i].attr == VALE_OF_ACTION_OUTPUT || acts[i].attr == VALE_OF_ACTION_FLOOD ||
		    acts[i].attr == VALE_OF_ACTION_DROP || acts[i].attr == VALE_OF_ACTION_CONTROLLER) {
			last = b;
			last_len = tl;
		}
	}
	return EXIT_OK;
}

/* Prerequisites, as the kernel has them, but saying which field wants what. */
static int prerequisites(struct fp *f)
{
	uint64_t type = f->seen[F_DL_TYPE] ? f->val[F_DL_TYPE] : 0;
	uint64_t proto = f->seen[F_NW_PROTO] ? f->val[F_NW_PROTO] : 256;
	size_t k;

	if ((f->seen[F_TP_SRC] && f->seen[F_ICMP_TYPE]) ||
	    (f->seen[F_TP_DST] && f->seen[F_ICMP_CODE])) {
		k = f->seen[F_ICMP_TYPE] ? F_ICMP_TYPE : F_ICMP_CODE;
		return bad(f, "\"%.*s\": icmp_type and icmp_code are tp_src and tp_dst",
			   f->len[k], f->s + f->off[k]);
	}
	for (k = F_NW_PROTO; k < F_PRIORITY; k++) {
		const char *want = NULL;

		if (!f->seen[k])
			continue;
		if (k == F_NW_PROTO && type != 0x0800 && type != 0x86dd)
			want = "dl_type=0x0800 or 0x86dd (or ip, ipv6)";
		else if (flow_fields[k].kind == K_IP4 && type != 0x0800)
			want = "dl_type=0x0800 (or ip, tcp, udp, icmp)";
		else if (flow_fields[k].kind == K_IP6 && type != 0x86dd)
			want = "dl_type=0x86dd (or ipv6, tcp6, udp6, icmp6)";
		else if (k >= F_ICMP_TYPE && proto != 1 && proto != 58)
			want = "nw_proto=1 or 58 (icmp, icmp6)";
		else if (k < F_ICMP_TYPE && flow_fields[k].kind == K_NUM && k != F_NW_PROTO &&
			 proto != 6 && proto != 17 && proto != 132)
			want = "nw_proto=6, 17 or 132 (tcp, udp, sctp)";
		if (want)
			return bad(f, "\"%.*s\": %s needs %s", f->len[k], f->s + f->off[k],
				   flow_fields[k].name, want);
	}
	return EXIT_OK;
}

/* Which top-level fields each verb takes (ovs-ofctl's rules, the kernel's). */
static int allowed(struct fp *f)
{
	enum vctl_op op = f->req->op;
	static const char *const only_add[] = { "idle_timeout", "hard_timeout", NULL };
	size_t k;

	for (k = F_PRIORITY; k < NFIELDS; k++) {
		const char *const *n;

		if (!f->seen[k] || flow_fields[k].kind == K_COUNTER)
			continue;
		for (n = only_add; *n; n++)
			if (op != OP_FLOW_ADD && !strcmp(*n, flow_fields[k].name))
				return bad(f, "\"%.*s\": only flow add sets the timeouts",
					   f->len[k], f->s + f->off[k]);
		if (op == OP_FLOW_DEL && !strcmp(flow_fields[k].name, "cookie"))
			return bad(f, "\"%.*s\": flow del takes no cookie", f->len[k],
				   f->s + f->off[k]);
	}
	if ((op == OP_FLOW_DEL || op == OP_FLOW_SHOW) && f->actions)
		return bad(f, "\"%s\": %s takes no actions", f->s,
			   op == OP_FLOW_DEL ? "flow del" : "flow show");
	if (op != OP_FLOW_DEL && op != OP_FLOW_SHOW && !f->actions)
		return bad(f, "\"%s\": no actions (end the flow with actions=ACTION,... or "
			   "actions=drop)", f->s);
	return EXIT_OK;
}

/* The FLOW word at argv[argi]. */
static int parse_flow(struct vctl_req *req, FILE *err, char **argv, int argi, bool strict)
{
	struct fp *f = calloc(1, sizeof(*f));
	const char *s = argv[argi];
	struct vctl_arg *m;
	int pos, end = (int)strlen(s), ret = EXIT_OK, mend = end;
	size_t k;

	if (!f)
		return vctl_usage_error(err, NULL, "out of memory");
	f->req = req;
	f->err = err;
	f->argi = argi;
	f->s = s;
	m = push(f, VALE_OF_ATTR_MATCH, 0, VT_NEST, 0, end);
	for (pos = 0; m && ret == EXIT_OK && pos < end;) {
		int b = pos + (int)strspn(s + pos, SEPS), e = b + (int)strcspn(s + b, SEPS);

		if (b >= end)
			break;
		if (!strncmp(s + b, "actions=", 8)) {
			mend = b;
			ret = actions(f, b + 8, b);
			break;
		}
		ret = field(f, b, e - b);
		pos = e;
	}
	if (!m)
		ret = TOO_MANY(f);
	if (ret == EXIT_OK)
		ret = prerequisites(f);
	if (ret == EXIT_OK)
		ret = allowed(f);
	if (ret == EXIT_OK) {
		bool any = false;

		/* the match's text: the fields before the actions */
		while (mend > 0 && strchr(SEPS, s[mend - 1]))
			mend--;
		m->tlen = mend;
		for (k = 0; k < F_PRIORITY; k++)
			any |= f->seen[k];
		if (!mend)
			m->tlen = end;
		/* flow del without match fields (nor strict): every flow, no MATCH */
		if (req->op == OP_FLOW_DEL && !any && !strict) {
			int mi = (int)(m - req->args);

			memmove(m, m + 1, sizeof(*m) * (size_t)(req->nargs - mi - 1));
			req->nargs--;
		}
	}
	free(f);
	return ret;
}

static int add_u32(struct vctl_req *req, uint16_t attr, uint32_t v, enum vctl_type type, int argi)
{
	struct vctl_arg *a = vctl_push(req, attr, CFG, 0, type, argi);

	if (!a)
		return -1;
	a->u32 = v;
	return 0;
}

int flow_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	static const uint32_t ops[] = {
		[OP_FLOW_ADD - OP_FLOW_ADD] = VALE_OF_OP_FLOW_ADD,
		[OP_FLOW_MOD - OP_FLOW_ADD] = VALE_OF_OP_FLOW_MOD,
		[OP_FLOW_DEL - OP_FLOW_ADD] = VALE_OF_OP_FLOW_DEL,
		[OP_FLOW_MISS - OP_FLOW_ADD] = VALE_OF_OP_MISS_SET,
		[OP_FLOW_CONTROLLER - OP_FLOW_ADD] = VALE_OF_OP_CONTROLLER_SET,
		[OP_FLOW_EMC - OP_FLOW_ADD] = VALE_OF_OP_EMC_SET,
	};
	const char *verb = vctl_op_name(req->op);
	int vi = i - 1, flow = -1, strict = -1, j;
	struct vctl_arg *a;
	uint64_t n;
	const char *why;

	if (i >= argc || !argv[i][0])
		return vctl_usage_error(err, "flow", "%s: %s SWITCH", verb,
					i >= argc ? "missing" : "empty");
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, argv[i], 0, i, -1);
	vctl_add_module(req, "of");
	i++;
	/* flow show's MATCH: a flow without actions, kept to filter the dump */
	if (req->op == OP_FLOW_SHOW && i + 1 == argc)
		return parse_flow(req, err, argv, i, false);
	if (req->dump)
		return i < argc ? vctl_usage_error(err, "flow", "%s: unexpected argument \"%s\"%s",
						   verb, argv[i + (req->op == OP_FLOW_SHOW)],
						   req->op == OP_FLOW_SHOW ? " (quote the match: one "
						   "argument)" : "") : EXIT_OK;
	add_u32(req, VALE_OF_ATTR_OP, ops[req->op - OP_FLOW_ADD], VT_U32, vi);
	/* the rest: FLOW (or ACTIONS, N, on|off) and "strict" */
	for (j = i; j < argc; j++) {
		if (!strcmp(argv[j], "strict") && strict < 0 &&
		    (req->op == OP_FLOW_MOD || req->op == OP_FLOW_DEL))
			strict = j;
		else if (flow < 0)
			flow = j;
		else
			return vctl_usage_error(err, "flow", "%s: unexpected argument \"%s\" (quote "
						"the flow: one argument)", verb, argv[j]);
	}
	if (flow < 0 && req->op != OP_FLOW_DEL)
		return vctl_usage_error(err, "flow", "%s: missing %s", verb,
					req->op == OP_FLOW_MISS ? "ACTIONS" :
					req->op == OP_FLOW_CONTROLLER ? "N|none" :
					req->op == OP_FLOW_EMC ? "on|off" : "FLOW");
	if (strict >= 0 && add_u32(req, VALE_OF_ATTR_STRICT, 0, VT_FLAG, strict) < 0)
		return vctl_usage_error(err, "flow", "%s: too many arguments", verb);
	switch (req->op) {
	case OP_FLOW_CONTROLLER:
		a = vctl_push(req, VALE_OF_ATTR_CONTROLLER, CFG, 0, VT_U32, flow);
		if (!a)
			return vctl_usage_error(err, "flow", "%s: too many arguments", verb);
		if (!strcmp(argv[flow], "none"))
			n = VCTL_NO_PORT;
		else if (!vctl_port_is_number(argv[flow], strlen(argv[flow])))
			return vctl_port_name_arg(a, argv[flow], strlen(argv[flow])) < 0 ?
			       vctl_usage_error(err, "flow", "%s: \"%s\": an empty or too long port "
						"name", verb, argv[flow]) : EXIT_OK;
		else if (vctl_num_parse(argv[flow], strlen(argv[flow]), VCTL_MAX_PORTS - 1, &n,
					&why) < 0)
			return vctl_usage_error(err, "flow", "%s: \"%s\": a port number from 0 to "
						"%d, a port name, or none", verb, argv[flow],
						VCTL_MAX_PORTS - 1);
		a->u32 = (uint32_t)n;
		return EXIT_OK;
	case OP_FLOW_EMC:
		if (strcmp(argv[flow], "on") && strcmp(argv[flow], "off"))
			return vctl_usage_error(err, "flow", "%s: \"%s\": on or off", verb, argv[flow]);
		add_u32(req, VALE_OF_ATTR_EMC, !strcmp(argv[flow], "on"), VT_U8, flow);
		return EXIT_OK;
	case OP_FLOW_MISS: {
		struct fp f = { .req = req, .err = err, .argi = flow, .s = argv[flow] };

		return actions(&f, strncmp(f.s, "actions=", 8) ? 0 : 8, 0);
	}
	default:
		if (flow < 0)
			return EXIT_OK;	/* flow del: every flow */
		return parse_flow(req, err, argv, flow, strict >= 0);
	}
}
