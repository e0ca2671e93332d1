// SPDX-License-Identifier: GPL-2.0
/*
 * valectl port: attach, detach, show.
 *
 *	valectl port attach SWITCH IFNAME [host]	VALE_CMD_PORT_ATTACH (host:
 *						PORT_HOST, the NIC's host stack too)
 *	valectl port detach SWITCH IFNAME	VALE_CMD_PORT_DETACH
 *	valectl [-s] port show [SWITCH [PORT]]	VALE_CMD_PORT_GET (dump, or do
 *						with both names); -s adds the
 *						counters of PORT_STATS
 */
#include <stdlib.h>
#include <string.h>

#include "objects.h"

static const char *const kind_names[] = {
	[VALE_PORT_EPHEMERAL]	= "ephemeral",
	[VALE_PORT_VIRTUAL]	= "virtual",
	[VALE_PORT_NIC]		= "nic",
	[VALE_PORT_HOST]	= "host",
};

/* "nic+host" for a NIC whose host stack is on the switch too (the table). */
static const char *kind_text(nl_attrs_t tb)
{
	if (!tb[VALE_ATTR_PORT_KIND])
		return "-";
	if (tb[VALE_ATTR_PORT_HOST] && nl_get_u32(tb[VALE_ATTR_PORT_KIND]) == VALE_PORT_NIC)
		return "nic+host";
	return port_kind_name(nl_get_u32(tb[VALE_ATTR_PORT_KIND]));
}

const char *port_kind_name(uint32_t kind)
{
	static char buf[16];

	if (kind < sizeof(kind_names) / sizeof(kind_names[0]))
		return kind_names[kind];
	snprintf(buf, sizeof(buf), "%u", kind);
	return buf;
}

static const struct {
	uint16_t attr;
	const char *name;
} stats_names[] = {
	{ VALE_STATS_TX_PACKETS,	"tx_packets" },
	{ VALE_STATS_TX_BYTES,		"tx_bytes" },
	{ VALE_STATS_RX_PACKETS,	"rx_packets" },
	{ VALE_STATS_RX_BYTES,		"rx_bytes" },
	{ VALE_STATS_DROP_LOOKUP,	"drop_lookup" },
	{ VALE_STATS_DROP_BAD,		"drop_bad" },
	{ VALE_STATS_DROP_FULL,		"drop_full" },
	{ VALE_STATS_DROP_BAD_BUF,	"drop_bad_buf" },
};

#define NSTATS	(sizeof(stats_names) / sizeof(stats_names[0]))

static const struct {
	uint16_t attr;
	const char *name;
} u32_attrs[] = {
	{ VALE_ATTR_PORT_INDEX,		"index" },
	{ VALE_ATTR_PORT_TX_RINGS,	"tx_rings" },
	{ VALE_ATTR_PORT_RX_RINGS,	"rx_rings" },
	{ VALE_ATTR_PORT_TX_SLOTS,	"tx_slots" },
	{ VALE_ATTR_PORT_RX_SLOTS,	"rx_slots" },
	{ VALE_ATTR_PORT_MEM_ID,	"mem_id" },
};

void port_json(struct jw *w, nl_attrs_t tb, bool stats)
{
	size_t i;

	if (tb[VALE_ATTR_SWITCH_NAME])
		jw_str(w, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	if (tb[VALE_ATTR_PORT_NAME])
		jw_str(w, "port", nl_get_str(tb[VALE_ATTR_PORT_NAME]));
	if (tb[VALE_ATTR_PORT_INDEX])
		jw_u64(w, "index", nl_get_u32(tb[VALE_ATTR_PORT_INDEX]));
	if (tb[VALE_ATTR_PORT_KIND])
		jw_str(w, "kind", port_kind_name(nl_get_u32(tb[VALE_ATTR_PORT_KIND])));
	if (tb[VALE_ATTR_PORT_HOST])
		jw_bool(w, "host", true);
	for (i = 1; i < sizeof(u32_attrs) / sizeof(u32_attrs[0]); i++)
		if (tb[u32_attrs[i].attr])
			jw_u64(w, u32_attrs[i].name, nl_get_u32(tb[u32_attrs[i].attr]));
	if (stats && tb[VALE_ATTR_PORT_STATS]) {
		nl_stats_t st;

		nl_parse_stats(tb[VALE_ATTR_PORT_STATS], st);
		jw_obj_open(w, "stats");
		for (i = 0; i < NSTATS; i++)
			if (st[stats_names[i].attr])
				jw_u64(w, stats_names[i].name, nl_get_u64(st[stats_names[i].attr]));
		jw_obj_close(w);
	}
}

/* "TX 1 packets 60 bytes  RX ...": the counters in words */
static void stats_text(FILE *f, const char *indent, const struct nlattr *nest)
{
	nl_stats_t st;

	nl_parse_stats(nest, st);
	fprintf(f, "%sTX: %llu packets %llu bytes  RX: %llu packets %llu bytes\n", indent,
		(unsigned long long)nl_get_u64(st[VALE_STATS_TX_PACKETS]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_TX_BYTES]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_RX_PACKETS]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_RX_BYTES]));
	fprintf(f, "%sdropped: lookup %llu bad %llu full %llu bad-buf %llu\n", indent,
		(unsigned long long)nl_get_u64(st[VALE_STATS_DROP_LOOKUP]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_DROP_BAD]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_DROP_FULL]),
		(unsigned long long)nl_get_u64(st[VALE_STATS_DROP_BAD_BUF]));
}

void port_line(FILE *f, nl_attrs_t tb, bool stats)
{
	fprintf(f, "%s %s",
		tb[VALE_ATTR_SWITCH_NAME] ? nl_get_str(tb[VALE_ATTR_SWITCH_NAME]) : "?",
		tb[VALE_ATTR_PORT_NAME] ? nl_get_str(tb[VALE_ATTR_PORT_NAME]) : "?");
	if (tb[VALE_ATTR_PORT_INDEX])
		fprintf(f, " index %u", nl_get_u32(tb[VALE_ATTR_PORT_INDEX]));
	if (tb[VALE_ATTR_PORT_KIND])
		fprintf(f, " kind %s", kind_text(tb));
	if (tb[VALE_ATTR_PORT_TX_RINGS] || tb[VALE_ATTR_PORT_RX_RINGS])
		fprintf(f, " rings %u/%u", nl_get_u32(tb[VALE_ATTR_PORT_TX_RINGS]),
			nl_get_u32(tb[VALE_ATTR_PORT_RX_RINGS]));
	if (tb[VALE_ATTR_PORT_TX_SLOTS] || tb[VALE_ATTR_PORT_RX_SLOTS])
		fprintf(f, " slots %u/%u", nl_get_u32(tb[VALE_ATTR_PORT_TX_SLOTS]),
			nl_get_u32(tb[VALE_ATTR_PORT_RX_SLOTS]));
	if (tb[VALE_ATTR_PORT_MEM_ID])
		fprintf(f, " mem %u", nl_get_u32(tb[VALE_ATTR_PORT_MEM_ID]));
	if (stats && tb[VALE_ATTR_PORT_STATS]) {
		fputc('\n', f);
		stats_text(f, "    ", tb[VALE_ATTR_PORT_STATS]);
	}
}

void port_show_begin(struct printer *p, const struct vctl_req *req, FILE *f)
{
	static const char *const heads[] = {
		"SWITCH", "PORT", "INDEX", "KIND", "RINGS", "SLOTS", "MEM",
	};

	printer_begin(p, req, f, heads, 7, "llrlrrr");
}

int port_show_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	nl_attrs_t tb;
	char idx[16], rings[32], slots[32], mem[16];

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_PORT_NAME])
		return MNL_CB_OK;
	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		port_json(&p->jw, tb, p->req->stats > 0);
		jw_obj_close(&p->jw);
		return MNL_CB_OK;
	}
	snprintf(idx, sizeof(idx), "%u", nl_get_u32(tb[VALE_ATTR_PORT_INDEX]));
	snprintf(rings, sizeof(rings), "%u/%u", nl_get_u32(tb[VALE_ATTR_PORT_TX_RINGS]),
		 nl_get_u32(tb[VALE_ATTR_PORT_RX_RINGS]));
	snprintf(slots, sizeof(slots), "%u/%u", nl_get_u32(tb[VALE_ATTR_PORT_TX_SLOTS]),
		 nl_get_u32(tb[VALE_ATTR_PORT_RX_SLOTS]));
	snprintf(mem, sizeof(mem), "%u", nl_get_u32(tb[VALE_ATTR_PORT_MEM_ID]));
	table_row(&p->t, nl_get_str(tb[VALE_ATTR_SWITCH_NAME]),
		  nl_get_str(tb[VALE_ATTR_PORT_NAME]), idx,
		  kind_text(tb),
		  rings, slots, mem);
	if (p->req->stats && tb[VALE_ATTR_PORT_STATS]) {
		char *text = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&text, &len);

		if (m) {
			stats_text(m, "    ", tb[VALE_ATTR_PORT_STATS]);
			fclose(m);
			table_note(&p->t, "%s", text);
		}
		free(text);
	}
	return MNL_CB_OK;
}

/* vale-ctl -v: the index of the port attached or detached. */
static int64_t port_index(struct nl *nl, const struct vctl_req *req)
{
	struct vctl_req sub;
	int64_t idx = -1;
	int i;

	vctl_req_sub(&sub, req, VALE_CMD_PORT_GET, false);
	for (i = 0; i < req->nargs; i++)
		sub.args[sub.nargs++] = req->args[i];
	sub.quiet = true;
	nl_run(nl, &sub, port_index_cb, &idx);
	return idx;
}

int do_port(struct nl *nl, const struct vctl_req *req)
{
	int64_t idx = -1;
	int ret;

	if (req->op == OP_PORT_SHOW)
		return show_run(nl, req, port_show_begin, port_show_cb, NULL);
	if (req->compat && req->verbose && req->op == OP_PORT_DETACH)
		idx = port_index(nl, req);
	ret = nl_run(nl, req, NULL, NULL);
	if (ret == EXIT_OK && req->compat && req->verbose) {
		if (req->op == OP_PORT_ATTACH)
			idx = port_index(nl, req);
		if (idx >= 0)
			printf("port_index: %lld\n", (long long)idx);
	}
	return ret;
}
