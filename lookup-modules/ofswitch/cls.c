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
 * almost universal) and mixed; the exact-match cache (of.c) puts the NH
 * value through the switch's keyed SipHash (vale_hash64). Both keys are
 * random per switch, so packets cannot be crafted to collide.
 */
#include "of_priv.h"

void of_hash_key_init(struct of_hash_key *hk)
{
	vale_hash_key seed;
	u32 i;

	vale_hash_key_init(&seed);
	for (i = 0; i < 2 * OF_KEY_WORDS; i++)
		hk->nh[i] = vale_hash64(i, &seed);
	vale_hash_key_init(&hk->sip);
}

/*
 * The best live flow for key, or NULL. Called inside the read-side
 * critical section.
 */
struct of_flow *of_cls_lookup(const struct of_svec *sv, const struct of_table *t,
			      const struct of_key *key, u32 now)
{
	struct of_flow *best = NULL;
	u64 best_rank = 0;
	u32 i;

	if (!sv)
		return NULL;
	for (i = 0; i < sv->n; i++) {
		const struct of_subtable *st = sv->e[i].st;
		const struct of_ti *ti;
		struct of_flow *f;
		u64 mk[OF_KEY_WORDS];
		u32 h, k;

		if (READ_ONCE(sv->e[i].max_rank) < best_rank)
			break;
		for (k = 0; k < OF_KEY_WORDS; k++)
			mk[k] = key->w[k] & st->mask[k];
		h = of_st_hash(t, mk);
		ti = vale_deref(st->ti);
		for (f = vale_deref(ti->b[h & ti->mask]); f; f = vale_deref(f->next[ti->ver])) {
			if (f->hash != h || f->rank <= best_rank ||
			    memcmp(f->match.key.w, mk, sizeof(mk)) || !of_flow_live(f, now))
				continue;
			best = f;
			best_rank = f->rank;
		}
	}
	return best;
}

/* ------------------------------------------------------------ graveyard */

void of_retire(struct of_table *t, void *obj)
{
	struct of_rcu_head *h = obj;

	if (!h)
		return;
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
		vale_free(h);
	}
	t->grave = NULL;
	t->grave_n = 0;
	t->grave_has_ti = false;
}

/* The end of a change: new lookups see it and skip what the cache knew. */
void of_commit(struct of_table *t)
{
	u32 gen = t->gen + 1;

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

			if (!(s & 1) && of_cas32(&e->seq, s, s + 1)) {
				of_wmb();
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
			struct of_flow **b = (struct of_flow **)&ti->b[f->hash & ti->mask];

			f->next[ti->ver] = *b;
			*b = f;
		}
	}
	vale_publish(st->ti, ti);
	of_retire(t, old);
	t->grave_has_ti = true;
	return 0;
}

/* Link f (match, rank, hash unset) into the classifier. */
int of_cls_insert(struct of_table *t, struct of_flow *f)
{
	struct of_subtable *st = of_cls_find_subtable(t, f->match.mask.w);
	struct of_ti *ti;
	bool new_st = false;
	int err;

	if (!st) {
		st = vale_zalloc(sizeof(*st));
		if (!st)
			return -ENOMEM;
		memcpy(st->mask, f->match.mask.w, sizeof(st->mask));
		ti = of_ti_alloc(4, 0);
		if (!ti) {
			vale_free(st);
			return -ENOMEM;
		}
		st->ti = ti;
		new_st = true;
	} else if (st->n >= of_ctl(st->ti)->mask + 1) {
		err = of_ti_grow(t, st);
		if (err)
			return err;
	}
	ti = of_ctl(st->ti);
	f->st = st;
	f->hash = of_st_hash(t, f->match.key.w);
	f->next[ti->ver] = of_ctl(ti->b[f->hash & ti->mask]);
	if (new_st) {
		st->max_rank = f->rank;
		ti->b[f->hash & ti->mask] = f;
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
	u32 i;

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
	if (f->rank != st->max_rank)
		return;
	st->max_rank = 0;
	for (i = 0; i <= ti->mask; i++)
		for (g = of_ctl(ti->b[i]); g;
		     g = of_ctl(g->next[ti->ver]))
			st->max_rank = max(st->max_rank, g->rank);
	/* On failure the old, higher bound stays: still an upper bound. */
	if (of_svec_update(t, st))
		st->max_rank = f->rank;
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
