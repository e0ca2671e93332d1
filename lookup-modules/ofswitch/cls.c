// SPDX-License-Identifier: GPL-2.0
/*
 * The tuple-space search classifier of ofswitch.
 *
 * Flows are grouped by mask into subtables; each subtable is a hash table
 * of the masked keys of its flows. A lookup visits the subtables in
 * decreasing order of the highest rank (priority, then age) they hold,
 * masks the packet's key once per subtable, hashes it and walks one
 * chain, and stops as soon as no later subtable can hold a better flow.
 *
 * Updates run under the control lock concurrently with lookups:
 *  - a flow is linked at the head of its chain with one release store
 *    and unlinked with one store of its successor, so a reader standing
 *    on it still finds the rest of the chain;
 *  - a flow has two chain links (OVS's trick): growing a subtable builds
 *    a new bucket array on the other link and publishes it whole, while
 *    readers of the old one follow the old links, which nothing changes
 *    until a grace period has passed;
 *  - the vector of subtables is copied when its order changes; raising or
 *    lowering a subtable's bound in place is one word store;
 *  - whatever a reader may still hold is retired to a graveyard, freed
 *    after vale_synchronize() when it holds OF_GRAVE_MAX objects, or when
 *    a new bucket array needs the links an old one still uses.
 *
 * The hash: the masked key is compressed by NH (the universal hash of
 * UMAC: sums of products of key words plus random 32-bit keys, 2^-32
 * almost universal) and its 64 bits are mixed down to 32 (of_st_hash).
 * The exact-match cache (of.c) indexes by the same hash of the whole
 * key. The NH key is random per switch, so packets cannot be crafted to
 * collide: two different keys have the same NH value with probability
 * at most 2^-32 whatever they are. (A SipHash of the NH value on top
 * bought nothing more for a table index and took a tenth of the time of
 * a packet through the switch: of-bench, 10 flows, cache on.)
 */
#include "of_priv.h"

void of_hash_key_init(struct of_hash_key *hk)
{
	vale_hash_key seed;
	u32 i;

	vale_hash_key_init(&seed);
	for (i = 0; i < 2 * OF_KEY_WORDS; i++)
		hk->nh[i] = vale_hash64(i, &seed);
}

/*
 * The hash of k's masked key in st, or false when the key does not pass
 * st's prefilter (see of_priv.h): one pass over the words for both.
 */
static inline bool of_st_hash_key(const struct of_table *t, const struct of_subtable *st,
				  const struct of_key *k, u32 *hash)
{
	u64 mk[OF_KEY_WORDS], out = 0;
	u32 i;

	for (i = 0; i < OF_KEY_WORDS; i++) {
		mk[i] = k->w[i] & st->mask[i];
		out |= (mk[i] & ~READ_ONCE(st->any[i])) | (READ_ONCE(st->all[i]) & ~mk[i]);
	}
	if (out)
		return false;
	*hash = of_st_hash(t, mk);
	return true;
}

static inline bool of_key_eq_masked(const struct of_flow *f, const struct of_key *k,
				    const u64 *mask)
{
	u64 diff = 0;
	u32 i;

	for (i = 0; i < OF_KEY_WORDS; i++)
		diff |= (k->w[i] & mask[i]) ^ f->key.w[i];
	return !diff;
}

/*
 * The best live flow for each key whose bit is set in todo, into out[]
 * (NULL: none); keys[] and out[] have OF_CHUNK entries. Called inside
 * the read-side critical section.
 *
 * Subtables are visited in decreasing max_rank; a key leaves the search
 * as soon as the next subtable cannot beat the flow it has. Each visit
 * is three passes over the keys still searching, so that the memory
 * loads of one key overlap the work on the others: hash the masked key
 * and prefetch its bucket; read the bucket and prefetch the head of the
 * chain; walk the chain.
 */
void of_cls_lookup_batch(const struct of_svec *sv, const struct of_table *t,
			 const struct of_key *keys, u32 todo, struct of_flow **out, u32 now)
{
	struct of_flow __vale_rcu *const *bucket[OF_CHUNK];
	struct of_flow *head[OF_CHUNK];
	u64 best_rank[OF_CHUNK];
	u32 hash[OF_CHUNK];
	u32 i, p, m;

	for (m = todo; m; m &= m - 1) {
		p = __builtin_ctz(m);
		out[p] = NULL;
		best_rank[p] = 0;
	}
	if (!sv)
		return;
	for (i = 0; todo && i < sv->n; i++) {
		const struct of_subtable *st = sv->e[i].st;
		u64 bound = READ_ONCE(sv->e[i].max_rank);
		const struct of_ti *ti = vale_deref(st->ti);
		u32 probe = 0;

		for (m = todo; m; m &= m - 1) {
			p = __builtin_ctz(m);
			if (bound <= best_rank[p]) {
				todo &= ~(1u << p);	/* nothing better further on */
				continue;
			}
			if (!of_st_hash_key(t, st, &keys[p], &hash[p]))
				continue;
			bucket[p] = &ti->b[hash[p] & ti->mask];
			prefetch(bucket[p]);
			probe |= 1u << p;
		}
		for (m = probe; m; m &= m - 1) {
			p = __builtin_ctz(m);
			head[p] = vale_deref(*bucket[p]);
			if (head[p]) {
				prefetch(head[p]);
				prefetch((const u8 *)head[p] + VALE_CACHELINE);
			}
		}
		for (m = probe; m; m &= m - 1) {
			struct of_flow *f;

			p = __builtin_ctz(m);
			for (f = head[p]; f; f = vale_deref(f->next[ti->ver])) {
				if (f->rank <= best_rank[p] ||
				    !of_key_eq_masked(f, &keys[p], st->mask) || !of_flow_live(f, now))
					continue;
				out[p] = f;
				best_rank[p] = f->rank;
			}
		}
	}
}

/* ------------------------------------------------------------ graveyard */

void of_retire_at(struct of_table *t, struct of_rcu_head *h, void *base)
{
	h->base = base;
	h->next = t->grave;
	t->grave = h;
	t->grave_n++;
}

/* Called with the control lock held. */
void of_grave_flush(struct of_table *t)
{
	struct of_rcu_head *h, *n;

	if (!t->grave)
		return;
	vale_synchronize();
	for (h = t->grave; h; h = n) {
		n = h->next;
		vale_free(h->base);
	}
	t->grave = NULL;
	t->grave_n = 0;
	t->grave_has_ti = false;
}

/* The end of a change: new lookups see it and skip what the cache knew. */
void of_commit(struct of_table *t)
{
	u32 gen = t->gen + 1;

	vale_assert_held(&t->lock);
	if (unlikely(gen == 0)) {
		/*
		 * A cache entry of the generation we are coming back to
		 * could be 2^32 changes old: wait for readers, then void
		 * every entry (as a cache writer would, under its seq).
		 */
		u32 i;

		vale_synchronize();
		for (i = 0; i < OF_EMC_SIZE; i++) {
			struct of_emc_entry *e = &t->emc[i];
			u32 s = READ_ONCE(e->seq);

			if (!(s & 1) && vale_cas32(&e->seq, s, s + 1)) {
				smp_wmb();
				WRITE_ONCE(e->gen, 0);
				WRITE_ONCE(e->flow, NULL);
				smp_store_release(&e->seq, s + 2);
			} else {
				WRITE_ONCE(e->gen, 0);
			}
		}
		gen = 1;
	}
	smp_store_release(&t->gen, gen);
	if (t->grave_n >= OF_GRAVE_MAX)
		of_grave_flush(t);
}

/* ------------------------------------------------------------ subtables */

static struct of_ti *of_ti_alloc(u32 buckets, u32 ver)
{
	struct of_ti *ti = vale_zalloc(sizeof(*ti) + buckets * sizeof(ti->b[0]));

	if (!ti)
		return NULL;
	ti->mask = buckets - 1;
	ti->ver = ver;
	return ti;
}

struct of_subtable *of_cls_find_subtable(struct of_table *t, const u64 *mask)
{
	const struct of_svec *sv = of_ctl(t->svec);
	u32 i;

	for (i = 0; sv && i < sv->n; i++)
		if (!memcmp(sv->e[i].st->mask, mask, sizeof(sv->e[i].st->mask)))
			return sv->e[i].st;
	return NULL;
}

/*
 * Publish a new vector: the old one without 'drop' (if set), with 'add'
 * (if set), sorted by max_rank. -ENOMEM leaves the old one.
 */
static int of_svec_rebuild(struct of_table *t, struct of_subtable *add, struct of_subtable *drop)
{
	struct of_svec *old = of_ctl(t->svec), *sv;
	u32 n = old ? old->n : 0, i, j, k;

	sv = vale_zalloc(sizeof(*sv) + (n + 1) * sizeof(sv->e[0]));
	if (!sv)
		return -ENOMEM;
	for (i = 0, k = 0; i < n; i++)
		if (old->e[i].st != drop)
			sv->e[k++].st = old->e[i].st;
	if (add)
		sv->e[k++].st = add;
	sv->n = k;
	/* Insertion sort: a handful of subtables, mostly in order already. */
	for (i = 1; i < k; i++) {
		struct of_subtable *st = sv->e[i].st;

		for (j = i; j > 0 && sv->e[j - 1].st->max_rank < st->max_rank; j--)
			sv->e[j].st = sv->e[j - 1].st;
		sv->e[j].st = st;
	}
	for (i = 0; i < k; i++)
		sv->e[i].max_rank = sv->e[i].st->max_rank;
	vale_publish(t->svec, sv);
	of_retire(t, old);
	return 0;
}

/* st->max_rank changed: update the vector in place if it stays sorted. */
static int of_svec_update(struct of_table *t, struct of_subtable *st)
{
	struct of_svec *sv = of_ctl(t->svec);
	u32 i;

	for (i = 0; i < sv->n && sv->e[i].st != st; i++)
		;
	if ((i == 0 || sv->e[i - 1].max_rank >= st->max_rank) &&
	    (i + 1 >= sv->n || sv->e[i + 1].max_rank <= st->max_rank)) {
		WRITE_ONCE(sv->e[i].max_rank, st->max_rank);
		return 0;
	}
	return of_svec_rebuild(t, NULL, NULL);
}

/* Double the buckets of st (on the other chain link). */
static int of_ti_grow(struct of_table *t, struct of_subtable *st)
{
	struct of_ti *old = of_ctl(st->ti), *ti;
	u32 i;

	/* The other link may still be walked by readers of an older array. */
	if (t->grave_has_ti)
		of_grave_flush(t);
	ti = of_ti_alloc(2 * (old->mask + 1), !old->ver);
	if (!ti)
		return -ENOMEM;
	for (i = 0; i <= old->mask; i++) {
		struct of_flow *f;

		for (f = of_ctl(old->b[i]); f;
		     f = of_ctl(f->next[old->ver])) {
			/* ti is not published yet: the order does not matter. */
			u32 b = f->hash & ti->mask;

			vale_publish(f->next[ti->ver], of_ctl(ti->b[b]));
			vale_publish(ti->b[b], f);
		}
	}
	vale_publish(st->ti, ti);
	of_retire(t, old);
	t->grave_has_ti = true;
	return 0;
}

/* Widen st's prefilter to let key through; before the flow is linked. */
static void of_st_widen(struct of_subtable *st, const struct of_key *key, bool first)
{
	u32 i;

	for (i = 0; i < OF_KEY_WORDS; i++) {
		WRITE_ONCE(st->any[i], first ? key->w[i] : st->any[i] | key->w[i]);
		WRITE_ONCE(st->all[i], first ? key->w[i] : st->all[i] & key->w[i]);
	}
}

/*
 * Narrow st's prefilter and max_rank to the flows left in it, after
 * removals: a walk of the whole subtable, so it is done once the bounds
 * have gone stale for a quarter of the flows (amortized O(1) a removal).
 * Stale bounds are only wider than needed, never wrong.
 */
static void of_st_narrow(struct of_table *t, struct of_subtable *st)
{
	const struct of_ti *ti = of_ctl(st->ti);
	u64 any[OF_KEY_WORDS] = { 0 }, all[OF_KEY_WORDS], old_rank = st->max_rank;
	const struct of_flow *g;
	u32 i;

	if (++st->stale * 4 < st->n)
		return;
	st->stale = 0;
	memset(all, 0xff, sizeof(all));
	st->max_rank = 0;
	for (i = 0; i <= ti->mask; i++)
		for (g = of_ctl(ti->b[i]); g; g = of_ctl(g->next[ti->ver])) {
			u32 k;

			st->max_rank = max(st->max_rank, g->rank);
			for (k = 0; k < OF_KEY_WORDS; k++) {
				any[k] |= g->key.w[k];
				all[k] &= g->key.w[k];
			}
		}
	for (i = 0; i < OF_KEY_WORDS; i++) {
		WRITE_ONCE(st->any[i], any[i]);
		WRITE_ONCE(st->all[i], all[i]);
	}
	/* On failure the old, higher bound stays: still an upper bound. */
	if (st->max_rank != old_rank && of_svec_update(t, st))
		st->max_rank = old_rank;
}

/* Link f (key, mask, rank set) into the classifier. */
int of_cls_insert(struct of_table *t, struct of_flow *f)
{
	struct of_subtable *st = of_cls_find_subtable(t, f->mask.w);
	struct of_ti *ti;
	bool new_st = false;
	int err;

	if (!st) {
		st = vale_zalloc(sizeof(*st));
		if (!st)
			return -ENOMEM;
		memcpy(st->mask, f->mask.w, sizeof(st->mask));
		ti = of_ti_alloc(4, 0);
		if (!ti) {
			vale_free(st);
			return -ENOMEM;
		}
		vale_publish(st->ti, ti);
		new_st = true;
	} else if (st->n >= of_ctl(st->ti)->mask + 1) {
		err = of_ti_grow(t, st);
		if (err)
			return err;
	}
	ti = of_ctl(st->ti);
	f->st = st;
	f->hash = of_st_hash(t, f->key.w);
	vale_publish(f->next[ti->ver], of_ctl(ti->b[f->hash & ti->mask]));
	of_st_widen(st, &f->key, new_st);
	if (new_st) {
		st->max_rank = f->rank;
		vale_publish(ti->b[f->hash & ti->mask], f);
		st->n = 1;
		err = of_svec_rebuild(t, st, NULL);
		if (err) {
			vale_free(ti);
			vale_free(st);
		}
		return err;
	}
	vale_publish(ti->b[f->hash & ti->mask], f);
	st->n++;
	if (f->rank > st->max_rank) {
		st->max_rank = f->rank;
		if (of_svec_update(t, st)) {
			/* Keep the vector correct: an upper bound it must be. */
			of_cls_remove(t, f);
			return -ENOMEM;
		}
	}
	return 0;
}

/* Unlink f; the caller retires it. */
void of_cls_remove(struct of_table *t, struct of_flow *f)
{
	struct of_subtable *st = f->st;
	struct of_ti *ti = of_ctl(st->ti);
	struct of_flow __vale_rcu **pp = &ti->b[f->hash & ti->mask];
	struct of_flow *g;

	while ((g = of_ctl(*pp)) != f)
		pp = &g->next[ti->ver];
	vale_publish(*pp, of_ctl(f->next[ti->ver]));
	if (--st->n == 0) {
		/* On failure the empty subtable stays: harmless. */
		if (!of_svec_rebuild(t, NULL, st)) {
			of_retire(t, ti);
			t->grave_has_ti = true;
			of_retire(t, st);
		}
		return;
	}
	of_st_narrow(t, st);
}

/* Free everything; no lookup runs any more. */
void of_cls_destroy(struct of_table *t)
{
	struct of_svec *sv = of_ctl(t->svec);
	u32 i;

	of_grave_flush(t);
	for (i = 0; sv && i < sv->n; i++) {
		vale_free(of_ctl(sv->e[i].st->ti));
		vale_free(sv->e[i].st);
	}
	vale_free(sv);
	t->svec = NULL;
}
