// SPDX-License-Identifier: GPL-2.0
/*
 * The router's containers: a hash table readable under traffic, a limbo
 * for memory freed after a grace period, a pool of ids. See table.h.
 */
#include "table.h"

#define L3_TAB_MIN	16	/* buckets of a new table */

static struct l3_buckets *l3_buckets_new(u32 n, u32 link)
{
	struct l3_buckets *bk = vale_zalloc(sizeof(*bk) + (size_t)n * sizeof(bk->b[0]));

	if (bk) {
		bk->mask = n - 1;
		bk->link = link;
	}
	return bk;
}

int l3_tab_init(struct l3_tab *t, bool rcu)
{
	memset(t, 0, sizeof(*t));
	t->rcu = rcu;
	t->bk = l3_buckets_new(L3_TAB_MIN, 0);
	return t->bk ? 0 : -ENOMEM;
}

void l3_tab_fini(struct l3_tab *t)
{
	vale_free(t->bk);
	vale_free(t->all);
	t->bk = NULL;
	t->all = NULL;
	t->n = t->cap = 0;
}

static void l3_chain_in(struct l3_buckets *bk, struct l3_obj *o)
{
	struct l3_obj **head = &bk->b[o->hash & bk->mask];

	o->next[bk->link] = *head;
	smp_store_release(head, o);
}

/*
 * Twice the buckets, chained through the other next[]: readers on the
 * old array keep their chains until the grace period ends. A table that
 * cannot grow stays as it is, with longer chains.
 */
static void l3_tab_grow(struct l3_tab *t)
{
	struct l3_buckets *old = t->bk, *bk;
	u32 i;

	if (old->mask >= (1u << 30))
		return;
	bk = l3_buckets_new(2 * (old->mask + 1), !old->link);
	if (!bk)
		return;
	for (i = 0; i < t->n; i++)
		l3_chain_in(bk, t->all[i]);
	smp_store_release(&t->bk, bk);
	if (t->rcu)
		vale_synchronize();
	vale_free(old);
}

int l3_tab_add(struct l3_tab *t, struct l3_obj *o)
{
	if (t->n == t->cap) {
		u32 cap = t->cap ? 2 * t->cap : 64;
		struct l3_obj **all;

		if (cap <= t->cap)
			return -ENOMEM;
		all = l3_calloc(cap, sizeof(*all));
		if (!all)
			return -ENOMEM;
		if (t->n)
			memcpy(all, t->all, t->n * sizeof(*all));
		vale_free(t->all);
		t->all = all;
		t->cap = cap;
	}
	if (t->n >= 2 * (t->bk->mask + 1))
		l3_tab_grow(t);
	o->pos = t->n;
	t->all[t->n++] = o;
	l3_chain_in(t->bk, o);
	return 0;
}

void l3_tab_del(struct l3_tab *t, struct l3_obj *o)
{
	struct l3_buckets *bk = t->bk;
	struct l3_obj **pp = &bk->b[o->hash & bk->mask];
	struct l3_obj *last;

	while (*pp && *pp != o)
		pp = &(*pp)->next[bk->link];
	if (*pp)	/* readers at o go on through o->next[] */
		smp_store_release(pp, o->next[bk->link]);
	last = t->all[--t->n];
	t->all[o->pos] = last;
	last->pos = o->pos;
}

struct l3_obj *l3_tab_find(const struct l3_tab *t, u32 hash,
			   bool (*match)(const struct l3_obj *o, const void *key), const void *key)
{
	const struct l3_buckets *bk = t->bk;
	struct l3_obj *o;

	for (o = bk->b[hash & bk->mask]; o; o = o->next[bk->link])
		if (o->hash == hash && match(o, key))
			return o;
	return NULL;
}

/* ----------------------------------------------------------- limbo */

void l3_limbo_add(struct l3_limbo *l, void *p)
{
	if (l->n == l->cap) {
		u32 cap = l->cap ? 2 * l->cap : 64;
		void **np = cap <= L3_LIMBO_FLUSH ? l3_calloc(cap, sizeof(*np)) : NULL;

		if (!np) {
			/* Full, or no memory to grow: pay the grace period now. */
			l3_limbo_flush(l);
			if (l->n == l->cap) {
				vale_synchronize();
				vale_free(p);
				return;
			}
		} else {
			if (l->n)
				memcpy(np, l->p, l->n * sizeof(*np));
			vale_free(l->p);
			l->p = np;
			l->cap = cap;
		}
	}
	l->p[l->n++] = p;
}

void l3_limbo_flush(struct l3_limbo *l)
{
	if (!l->n)
		return;
	vale_synchronize();
	l3_limbo_fini(l);
}

void l3_limbo_fini(struct l3_limbo *l)
{
	u32 i;

	for (i = 0; i < l->n; i++)
		vale_free(l->p[i]);
	l->n = 0;
}

/* ------------------------------------------------------------- ids */

int l3_ids_grow(struct l3_ids *ids, u32 from, u32 to)
{
	u32 *f, *lb, i;

	if (to <= from || to < ids->cap)
		return -EINVAL;
	f = l3_calloc(to, sizeof(*f));
	lb = l3_calloc(to, sizeof(*lb));
	if (!f || !lb) {
		vale_free(f);
		vale_free(lb);
		return -ENOMEM;
	}
	if (ids->nfree)
		memcpy(f, ids->free, ids->nfree * sizeof(*f));
	if (ids->nlimbo)
		memcpy(lb, ids->limbo, ids->nlimbo * sizeof(*lb));
	vale_free(ids->free);
	vale_free(ids->limbo);
	ids->free = f;
	ids->limbo = lb;
	for (i = to; i > from; i--)	/* the lowest new id comes out first */
		ids->free[ids->nfree++] = i - 1;
	ids->cap = to;
	return 0;
}

bool l3_ids_get(struct l3_ids *ids, u32 *id)
{
	if (!ids->nfree)
		return false;
	*id = ids->free[--ids->nfree];
	return true;
}

void l3_ids_put(struct l3_ids *ids, u32 id)
{
	ids->limbo[ids->nlimbo++] = id;
}

void l3_ids_recycle(struct l3_ids *ids)
{
	while (ids->nlimbo)
		ids->free[ids->nfree++] = ids->limbo[--ids->nlimbo];
}

void l3_ids_fini(struct l3_ids *ids)
{
	vale_free(ids->free);
	vale_free(ids->limbo);
	memset(ids, 0, sizeof(*ids));
}
