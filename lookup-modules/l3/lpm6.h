/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6 longest-prefix match: a path-compressed binary trie (a PATRICIA
 * tree over prefixes, as Linux's fib6 and the BSD radix tree). Each node
 * is a prefix; a node with a route has a next hop, a node without one is a
 * branch point and has two children. A lookup walks down from the root
 * while the node's prefix matches the address, remembering the last next
 * hop it passed: O(depth), the depth being at most the number of distinct
 * prefix lengths on a path (129) and about log2(routes) on random tables.
 *
 * Concurrency (see table.h): a node's prefix never changes; new nodes are
 * filled before a release store links them in; a node that leaves the
 * trie goes to the limbo, so that a reader still standing on it can go on
 * through its children.
 */
#ifndef _VALE_L3_LPM6_H
#define _VALE_L3_LPM6_H

#include "table.h"

struct l3_lpm6_node {
	struct l3_lpm6_node *child[2];
	u64 a[2];		/* the prefix, host order, bits past plen zero */
	u32 nh;			/* 0: no route here (a branch point) */
	u8 plen;
};

struct l3_lpm6 {
	struct l3_lpm6_node *root;
	struct l3_limbo *limbo;	/* where nodes go when they leave */
	u32 nodes;
};

void l3_lpm6_init(struct l3_lpm6 *t, struct l3_limbo *limbo);
void l3_lpm6_fini(struct l3_lpm6 *t);
/* Route a/plen (bits past plen zero) to nh; add or replace. */
int l3_lpm6_add(struct l3_lpm6 *t, const u64 a[2], u8 plen, u32 nh);
/* Remove the route a/plen; -ENOENT. */
int l3_lpm6_del(struct l3_lpm6 *t, const u64 a[2], u8 plen);

/* Bits [64 * w, 64 * w + 64) of a /plen mask. */
static inline u64 l3_mask6(u32 plen, u32 w)
{
	int bits = (int)plen - 64 * (int)w;

	if (bits <= 0)
		return 0;
	if (bits >= 64)
		return ~0ULL;
	return ~0ULL << (64 - bits);
}

static inline u32 l3_bit6(const u64 a[2], u32 i)
{
	return (a[i >> 6] >> (63 - (i & 63))) & 1;
}

/* The next hop of k (host order), 0 if none. Forwarding path. */
static inline u32 l3_lpm6_lookup(const struct l3_lpm6_node *n, const u64 k[2])
{
	u32 best = 0;

	while (n) {
		u32 plen = n->plen, nh;

		if (((n->a[0] ^ k[0]) & l3_mask6(plen, 0)) | ((n->a[1] ^ k[1]) & l3_mask6(plen, 1)))
			break;
		nh = READ_ONCE(n->nh);
		if (nh)
			best = nh;
		if (plen == 128)
			break;
		n = smp_load_acquire(&n->child[l3_bit6(k, plen)]);
	}
	return best;
}

#endif /* _VALE_L3_LPM6_H */
