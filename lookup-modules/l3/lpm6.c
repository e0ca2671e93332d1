// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 longest-prefix match, a path-compressed binary trie: see lpm6.h.
 * Invariant: a node without a next hop has two children.
 */
#include "lpm6.h"

void l3_lpm6_init(struct l3_lpm6 *t, struct l3_limbo *limbo)
{
	memset(t, 0, sizeof(*t));
	t->limbo = limbo;
}

/* Free every node, without recursion: rotate left children up. */
void l3_lpm6_fini(struct l3_lpm6 *t)
{
	struct l3_lpm6_node *n = t->root, *l;

	while (n) {
		l = n->child[0];
		if (l) {
			n->child[0] = l->child[1];
			l->child[1] = n;
			n = l;
		} else {
			l = n->child[1];
			vale_free(n);
			n = l;
		}
	}
	t->root = NULL;
	t->nodes = 0;
}

static struct l3_lpm6_node *lpm6_node(struct l3_lpm6 *t, const u64 a[2], u32 plen, u32 nh)
{
	struct l3_lpm6_node *n = vale_zalloc(sizeof(*n));

	if (n) {
		n->a[0] = a[0] & l3_mask6(plen, 0);
		n->a[1] = a[1] & l3_mask6(plen, 1);
		n->plen = plen;
		n->nh = nh;
		t->nodes++;
	}
	return n;
}

static void lpm6_retire(struct l3_lpm6 *t, struct l3_lpm6_node *n)
{
	t->nodes--;
	l3_limbo_add(t->limbo, n);
}

/* Leading bits a and b share, at most max. */
static u32 lpm6_common(const u64 a[2], const u64 b[2], u32 max)
{
	u64 x0 = a[0] ^ b[0], x1 = a[1] ^ b[1];
	u32 c;

	if (x0)
		c = __builtin_clzll(x0);
	else if (x1)
		c = 64 + __builtin_clzll(x1);
	else
		c = 128;
	return min(c, max);
}

int l3_lpm6_add(struct l3_lpm6 *t, const u64 a[2], u8 plen, u32 nh)
{
	struct l3_lpm6_node **pp = &t->root, *n, *leaf, *branch;
	u32 common;

	if (plen > 128 || !nh)
		return -EINVAL;
	while ((n = *pp)) {
		common = lpm6_common(n->a, a, min((u32)n->plen, (u32)plen));
		if (common < n->plen) {
			/* The new prefix goes above n: n's prefix is not a prefix of it. */
			leaf = lpm6_node(t, a, plen, nh);
			if (!leaf)
				return -ENOMEM;
			if (common == plen) {
				leaf->child[l3_bit6(n->a, plen)] = n;
				smp_store_release(pp, leaf);
				return 0;
			}
			branch = lpm6_node(t, a, common, 0);
			if (!branch) {
				vale_free(leaf);
				t->nodes--;
				return -ENOMEM;
			}
			branch->child[l3_bit6(a, common)] = leaf;
			branch->child[l3_bit6(n->a, common)] = n;
			smp_store_release(pp, branch);
			return 0;
		}
		if (n->plen == plen) {
			WRITE_ONCE(n->nh, nh);
			return 0;
		}
		pp = &n->child[l3_bit6(a, n->plen)];
	}
	leaf = lpm6_node(t, a, plen, nh);
	if (!leaf)
		return -ENOMEM;
	smp_store_release(pp, leaf);
	return 0;
}

int l3_lpm6_del(struct l3_lpm6 *t, const u64 a[2], u8 plen)
{
	struct l3_lpm6_node **pp = &t->root, **ppp = NULL, *n, *parent = NULL, *child, *other;

	while ((n = *pp)) {
		if (n->plen > plen || lpm6_common(n->a, a, n->plen) < n->plen)
			return -ENOENT;
		if (n->plen == plen)
			break;
		ppp = pp;
		parent = n;
		pp = &n->child[l3_bit6(a, n->plen)];
	}
	if (!n || !n->nh)
		return -ENOENT;
	if (n->child[0] && n->child[1]) {
		WRITE_ONCE(n->nh, 0);	/* it stays, a branch point */
		return 0;
	}
	child = n->child[0] ? n->child[0] : n->child[1];
	smp_store_release(pp, child);
	lpm6_retire(t, n);
	if (!child && parent && !parent->nh) {
		/* A branch point left with one child: splice it out. */
		other = parent->child[0] ? parent->child[0] : parent->child[1];
		smp_store_release(ppp, other);
		lpm6_retire(t, parent);
	}
	return 0;
}
