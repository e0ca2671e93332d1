// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 longest-prefix match, DIR-24-8: see lpm4.h.
 */
#include "lpm4.h"

#define TBL24_SIZE	(1u << 24)
#define GROUP		256u

static inline u32 lpm4_entry(u32 nh, u8 depth)
{
	return (u32)depth << LPM4_DEPTH_SHIFT | nh;
}

static inline u8 lpm4_depth(u32 e)
{
	return (e >> LPM4_DEPTH_SHIFT) & 0x3f;
}

void l3_lpm4_init(struct l3_lpm4 *t)
{
	memset(t, 0, sizeof(*t));
}

void l3_lpm4_fini(struct l3_lpm4 *t)
{
	vale_free(t->tbl24);
	vale_free(t->tbl8);
	l3_ids_fini(&t->groups);
	memset(t, 0, sizeof(*t));
}

/*
 * Twice the groups: copy, publish, wait until no reader holds the old
 * array, free it. Groups waiting for a grace period are free after it.
 */
static int lpm4_grow(struct l3_lpm4 *t)
{
	u32 n = t->ngroups ? 2 * t->ngroups : 64;
	u32 *tbl8, *old = t->tbl8;
	int err;

	if (n > LPM4_MAX_GROUPS)
		return -ENOSPC;
	tbl8 = l3_calloc((size_t)n * GROUP, sizeof(*tbl8));
	if (!tbl8)
		return -ENOMEM;
	err = l3_ids_grow(&t->groups, t->ngroups, n);
	if (err) {
		vale_free(tbl8);
		return err;
	}
	if (old)
		memcpy(tbl8, old, (size_t)t->ngroups * GROUP * sizeof(*tbl8));
	smp_store_release(&t->tbl8, tbl8);
	t->ngroups = n;
	vale_synchronize();
	vale_free(old);
	l3_ids_recycle(&t->groups);
	return 0;
}

static int lpm4_group_alloc(struct l3_lpm4 *t, u32 *g)
{
	/* Enough groups in limbo to be worth a grace period, or grow. */
	if (!t->groups.nfree && t->groups.nlimbo && t->groups.nlimbo >= t->ngroups / 8) {
		vale_synchronize();
		l3_ids_recycle(&t->groups);
	}
	if (!t->groups.nfree) {
		int err = lpm4_grow(t);

		if (err)
			return err;
	}
	l3_ids_get(&t->groups, g);
	t->groups_used++;
	return 0;
}

static void lpm4_group_free(struct l3_lpm4 *t, u32 g)
{
	l3_ids_put(&t->groups, g);
	t->groups_used--;
}

/* Set the entries of [first, first + n) that prefixes up to depth set. */
static void lpm4_fill(u32 *e, u32 n, u32 val, u8 depth)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!(e[i] & LPM4_EXT) && lpm4_depth(e[i]) <= depth)
			WRITE_ONCE(e[i], val);
}

/* Replace the entries that the prefix of exactly depth set. */
static void lpm4_unfill(u32 *e, u32 n, u32 val, u8 depth)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (!(e[i] & LPM4_EXT) && lpm4_depth(e[i]) == depth)
			WRITE_ONCE(e[i], val);
}

int l3_lpm4_add(struct l3_lpm4 *t, u32 prefix, u8 len, u32 nh)
{
	u32 val = lpm4_entry(nh, len), i, first, e, g;
	int err;

	if (len > 32 || nh > LPM4_MAX_NH || (len < 32 && (prefix & (0xffffffffu >> len))))
		return -EINVAL;
	if (!t->tbl24) {
		u32 *tbl24 = l3_calloc(TBL24_SIZE, sizeof(*tbl24));

		if (!tbl24)
			return -ENOMEM;
		smp_store_release(&t->tbl24, tbl24);
	}
	if (len <= 24) {
		first = prefix >> 8;
		for (i = first; i < first + (1u << (24 - len)); i++) {
			e = t->tbl24[i];
			if (e & LPM4_EXT)	/* longer prefixes under it: their group */
				lpm4_fill(&t->tbl8[(e & LPM4_IDX) * GROUP], GROUP, val, len);
			else if (lpm4_depth(e) <= len)
				WRITE_ONCE(t->tbl24[i], val);
		}
		return 0;
	}
	i = prefix >> 8;
	e = t->tbl24[i];
	if (!(e & LPM4_EXT)) {
		/* A new group: what the /24 said, then the new prefix, then publish. */
		err = lpm4_group_alloc(t, &g);
		if (err)
			return err;
		for (first = 0; first < GROUP; first++)
			t->tbl8[g * GROUP + first] = e;
		lpm4_fill(&t->tbl8[g * GROUP + (prefix & 0xff)], 1u << (32 - len), val, len);
		smp_store_release(&t->tbl24[i], LPM4_EXT | g);
		return 0;
	}
	lpm4_fill(&t->tbl8[(e & LPM4_IDX) * GROUP + (prefix & 0xff)], 1u << (32 - len), val, len);
	return 0;
}

void l3_lpm4_del(struct l3_lpm4 *t, u32 prefix, u8 len, u32 repl_nh, u8 repl_len)
{
	u32 repl = repl_nh ? lpm4_entry(repl_nh, repl_len) : 0, i, first, e, g, *grp;

	if (!t->tbl24 || len > 32)
		return;
	if (len <= 24) {
		first = prefix >> 8;
		for (i = first; i < first + (1u << (24 - len)); i++) {
			e = t->tbl24[i];
			if (e & LPM4_EXT)
				lpm4_unfill(&t->tbl8[(e & LPM4_IDX) * GROUP], GROUP, repl, len);
			else if (lpm4_depth(e) == len)
				WRITE_ONCE(t->tbl24[i], repl);
		}
		return;
	}
	i = prefix >> 8;
	e = t->tbl24[i];
	if (!(e & LPM4_EXT))
		return;
	g = e & LPM4_IDX;
	grp = &t->tbl8[g * GROUP];
	lpm4_unfill(grp + (prefix & 0xff), 1u << (32 - len), repl, len);
	/* No prefix longer than /24 left: the group collapses into its /24. */
	for (first = 0; first < GROUP; first++)
		if (lpm4_depth(grp[first]) > 24)
			return;
	WRITE_ONCE(t->tbl24[i], grp[0]);
	lpm4_group_free(t, g);
}
