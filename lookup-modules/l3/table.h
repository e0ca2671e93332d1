/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The router's containers, OS-independent (vale/os.h):
 *  - l3_tab: a hash table that the forwarding path may read while the
 *    control path changes it, plus a dense array of its objects for
 *    dumps and flushes;
 *  - l3_limbo: memory unlinked from what the forwarding path reads,
 *    freed after a grace period;
 *  - l3_ids: small integers (table slots) freed the same way.
 *
 * DOC: Locking
 * Every function here runs on the control path, which the switch's control
 * lock serializes; readers (.lookup, under vale_read_lock) run concurrently.
 * Objects are published with release stores and never changed in place
 * except through single-word stores; what is unlinked is reused or freed
 * only after vale_synchronize(). The calls that wait for a grace period
 * (growing a table, flushing a limbo) are amortized: each one pays for a
 * number of changes proportional to the table's size.
 */
#ifndef _VALE_L3_TABLE_H
#define _VALE_L3_TABLE_H

#include "../../vale/os.h"

/*
 * The head of an object in an l3_tab. Each bucket array chains objects
 * through one of next[]: growing the table links every object into the
 * other chains, so readers still walking the old array are undisturbed.
 */
struct l3_obj {
	struct l3_obj *next[2];
	u32 hash;
	u32 pos;		/* index in all[] */
};

struct l3_buckets {
	u32 mask;
	u32 link;		/* the next[] these buckets chain through */
	struct l3_obj *b[];
};

struct l3_tab {
	struct l3_buckets *bk;	/* read by the forwarding path */
	struct l3_obj **all;	/* every object: all[0 .. n) */
	u32 n, cap;
	bool rcu;		/* read by the forwarding path: grow with a grace period */
};

int l3_tab_init(struct l3_tab *t, bool rcu);
/* Free the arrays (not the objects). */
void l3_tab_fini(struct l3_tab *t);
/* Insert o (o->hash set); -ENOMEM. */
int l3_tab_add(struct l3_tab *t, struct l3_obj *o);
/* Unlink o; readers may still be at it: free it through a limbo. */
void l3_tab_del(struct l3_tab *t, struct l3_obj *o);
/* The object of that hash that match() accepts, or NULL. Control path. */
struct l3_obj *l3_tab_find(const struct l3_tab *t, u32 hash,
			   bool (*match)(const struct l3_obj *o, const void *key), const void *key);

/* Forwarding path: the first object of a hash's chain, then the next. */
static inline const struct l3_buckets *l3_tab_buckets(const struct l3_tab *t)
{
	return smp_load_acquire(&t->bk);
}

static inline const struct l3_obj *l3_chain(const struct l3_buckets *bk, u32 hash)
{
	return smp_load_acquire(&bk->b[hash & bk->mask]);
}

static inline const struct l3_obj *l3_chain_next(const struct l3_buckets *bk,
						 const struct l3_obj *o)
{
	return smp_load_acquire(&o->next[bk->link]);
}

/* Memory to free after a grace period. */
struct l3_limbo {
	void **p;
	u32 n, cap;
};

#define L3_LIMBO_FLUSH	4096	/* objects kept before waiting for a grace period */

void l3_limbo_add(struct l3_limbo *l, void *p);
/* Wait for a grace period and free everything. */
void l3_limbo_flush(struct l3_limbo *l);
/* Free everything now: no reader is left (the switch's state is going). */
void l3_limbo_fini(struct l3_limbo *l);

/* A pool of integer ids; freed ones are reused after a grace period. */
struct l3_ids {
	u32 *free, nfree;
	u32 *limbo, nlimbo;
	u32 cap;		/* ids 0 .. cap - 1 exist */
};

/* Make ids [from, to) free; -ENOMEM. */
int l3_ids_grow(struct l3_ids *ids, u32 from, u32 to);
bool l3_ids_get(struct l3_ids *ids, u32 *id);
void l3_ids_put(struct l3_ids *ids, u32 id);
/* A grace period has passed: the ids in limbo may be reused. */
void l3_ids_recycle(struct l3_ids *ids);
void l3_ids_fini(struct l3_ids *ids);

/* Allocate n elements of size each, zeroed; NULL on overflow or failure. */
static inline void *l3_calloc(size_t n, size_t size)
{
	size_t bytes;

	if (size && n > (size_t)-1 / size)
		return NULL;
	bytes = n * size;
	return vale_zalloc(bytes ? bytes : 1);
}

#endif /* _VALE_L3_TABLE_H */
