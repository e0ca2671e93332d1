/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 longest-prefix match, DIR-24-8 (Gupta, Lin, McKeown, "Routing
 * lookups in hardware at memory access speeds", 1998; DPDK's rte_lpm):
 * one table entry per /24 (tbl24, 2^24 entries), and for a /24 that holds
 * longer prefixes a group of 256 entries, one per address (tbl8). A lookup
 * is one memory access, two for addresses under a prefix longer than /24,
 * whatever the number of routes.
 *
 * An entry is a next-hop id (0: no route) and the length of the prefix
 * that set it, so that adding a prefix overwrites only what shorter ones
 * set, and deleting one restores what the next shorter covering prefix
 * says (the caller finds it: see l3_route_del). A tbl24 entry with
 * LPM4_EXT holds a group number instead.
 *
 * Concurrency: see table.h. Entries change by single-word stores; a new
 * group is filled before the tbl24 entry that points to it is published;
 * a group no longer pointed to is reused only after a grace period, and
 * when tbl8 grows, the new array is published and a grace period passes
 * before any entry points past the end of the old one.
 */
#ifndef _VALE_L3_LPM4_H
#define _VALE_L3_LPM4_H

#include "table.h"

#define LPM4_EXT		(1u << 31)
#define LPM4_DEPTH_SHIFT	24
#define LPM4_IDX		((1u << 24) - 1)
#define LPM4_MAX_NH		LPM4_IDX
#define LPM4_MAX_GROUPS		(1u << 18)	/* 256 MB of tbl8 */

struct l3_lpm4 {
	u32 *tbl24;		/* NULL until the first route */
	u32 *tbl8;		/* ngroups * 256 entries */
	u32 ngroups;
	struct l3_ids groups;
	u32 groups_used;
};

void l3_lpm4_init(struct l3_lpm4 *t);
void l3_lpm4_fini(struct l3_lpm4 *t);
/* Route prefix/len (host order, host bits zero) to nh; add or replace. */
int l3_lpm4_add(struct l3_lpm4 *t, u32 prefix, u8 len, u32 nh);
/*
 * Remove prefix/len; its addresses fall back to repl_nh, the next hop of
 * the longest prefix shorter than len that covers it (repl_len), or to no
 * route (repl_nh 0).
 */
void l3_lpm4_del(struct l3_lpm4 *t, u32 prefix, u8 len, u32 repl_nh, u8 repl_len);

/* The next hop of addr (host order), 0 if none. Forwarding path. */
static inline u32 l3_lpm4_lookup(const u32 *tbl24, const u32 *tbl8, u32 addr)
{
	u32 e;

	if (unlikely(!tbl24))
		return 0;
	e = READ_ONCE(tbl24[addr >> 8]);
	if (unlikely(e & LPM4_EXT))
		e = READ_ONCE(tbl8[(e & LPM4_IDX) << 8 | (addr & 0xff)]);
	return e & LPM4_IDX;
}

#endif /* _VALE_L3_LPM4_H */
