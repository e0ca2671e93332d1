// SPDX-License-Identifier: GPL-2.0
/*
 * ofswitch: an OpenFlow-like flow table as a VALE lookup module ("of").
 *
 * The hot path, OF_CHUNK packets at a time, in passes over the chunk so
 * that each packet's memory loads overlap the work on the others: parse
 * every frame into a key (parse.c) and prefetch its exact-match cache
 * entry; look the keys up in the cache; look those it missed up in the
 * tuple-space classifier (cls.c, itself in passes) and remember some of
 * the answers in the cache; prefetch the actions of the flows that need
 * them (most say only where the packet goes: of_flow.fast);
 * then count each packet on its flow (or on the table-miss rule) and run
 * the actions on the module's private copy of the frame's head: rewrites
 * (VLAN push/pop/set, Ethernet addresses) and one final output, flood,
 * drop or controller.
 *
 * The exact-match cache: OF_EMC_SIZE direct-mapped entries indexed by a
 * keyed hash of the whole key (of_st_hash: NH with the switch's random
 * key, see cls.c), each holding the whole key, the flow and the
 * generation of the table it was found in. A hit needs the same key, the
 * current generation (any change to the table bumps it, so no entry
 * outlives a change) and a flow still live (timeouts expire flows without
 * a change). Entries are seqlocked: a writer that finds one busy does not
 * wait, a reader that sees one change misses. A miss replaces an entry of
 * the current generation only one time in OF_EMC_REPLACE: with more
 * flows than entries, established flows keep their entries instead of
 * evicting each other on every packet.
 */
#include "of_priv.h"

#define OF_EMC_REPLACE	8	/* a power of two */

/*
 * The flow cached for key (*hit; NULL: the table-miss rule), or a miss.
 * Whether the flow is still live is for the caller to check, once the
 * flow is in the cache.
 */
static inline struct of_flow *of_emc_probe(const struct of_emc_entry *e, const struct of_key *key,
					   u32 gen, bool *hit)
{
	struct of_flow *f;
	u64 diff = 0;
	u32 s, i;

	*hit = false;
	s = smp_load_acquire(&e->seq);
	if ((s & 1) || READ_ONCE(e->gen) != gen)
		return NULL;
	for (i = 0; i < OF_KEY_WORDS; i++)
		diff |= e->key[i] ^ key->w[i];
	if (diff)
		return NULL;
	f = READ_ONCE(e->flow);
	smp_rmb();
	if (READ_ONCE(e->seq) != s)
		return NULL;
	*hit = true;
	return f;
}

/* Remember key -> f, unless the entry is busy or (mostly) in use. */
static inline void of_emc_insert(struct of_emc_entry *e, const struct of_key *key,
				 struct of_flow *f, u32 gen, u32 chance)
{
	u32 s = READ_ONCE(e->seq);

	if ((s & 1) || (READ_ONCE(e->gen) == gen && (chance & (OF_EMC_REPLACE - 1))))
		return;
	if (!vale_cas32(&e->seq, s, s + 1))
		return;
	smp_wmb();
	memcpy(e->key, key->w, sizeof(e->key));
	WRITE_ONCE(e->flow, f);
	WRITE_ONCE(e->gen, gen);
	smp_store_release(&e->seq, s + 2);
}

/* Run the actions on the packet's private head; where it goes. */
static u32 of_apply(const struct of_table *t, const struct of_actions *acts, struct vale_pkt *pkt)
{
	u8 *d = pkt->data;
	u32 i;

	if (!acts)
		return VALE_DROP;
	for (i = 0; i < acts->n; i++) {
		const struct of_action *a = &acts->a[i];
		u32 hl = pkt->hdr_len;

		switch (a->type) {
		case OF_ACT_OUTPUT:
			return a->port;
		case OF_ACT_FLOOD:
			return VALE_BROADCAST;
		case OF_ACT_CONTROLLER:
			return READ_ONCE(t->controller);
		case OF_ACT_PUSH_VLAN:
			if (hl < 12 || hl + 4 > VALE_HDR_MAX)
				return VALE_DROP;
			memmove(d + 16, d + 12, hl - 12);
			d[12] = 0x81;
			d[13] = 0x00;
			d[14] = a->arg16 >> 8;
			d[15] = (u8)a->arg16;
			pkt->hdr_len = hl + 4;
			break;
		case OF_ACT_POP_VLAN:
			if (hl >= 18 && ((d[12] == 0x81 && d[13] == 0x00) ||
					 (d[12] == 0x88 && d[13] == 0xa8))) {
				memmove(d + 12, d + 16, hl - 16);
				pkt->hdr_len = hl - 4;
			}
			break;
		case OF_ACT_SET_VLAN:
			if (hl >= 16 && ((d[12] == 0x81 && d[13] == 0x00) ||
					 (d[12] == 0x88 && d[13] == 0xa8))) {
				d[14] = (d[14] & 0xf0) | (a->arg16 >> 8);
				d[15] = (u8)a->arg16;
			}
			break;
		case OF_ACT_SET_ETH_SRC:
			if (hl >= 12)
				memcpy(d + 6, a->mac, 6);
			break;
		case OF_ACT_SET_ETH_DST:
			if (hl >= 6)
				memcpy(d, a->mac, 6);
			break;
		default:
			return VALE_DROP;
		}
	}
	return VALE_DROP;	/* no output: OpenFlow drops */
}

/* Count the packet and run its flow's (or the table-miss rule's) actions. */
static inline u32 of_finish(struct of_table *t, struct of_flow *f, struct vale_pkt *pkt, u32 now)
{
	if (f) {
		u32 fast = READ_ONCE(f->fast);

		vale_ctr_add(&f->pkts, 1);
		vale_ctr_add(&f->bytes, pkt->total_len);
		if (READ_ONCE(f->used) != now)
			WRITE_ONCE(f->used, now);
		if (fast != OF_FAST_NONE)
			return fast;
		return of_apply(t, vale_deref(f->acts), pkt);
	}
	vale_ctr_add(&t->miss_pkts, 1);
	vale_ctr_add(&t->miss_bytes, pkt->total_len);
	return of_apply(t, vale_deref(t->miss), pkt);
}

/* Up to OF_CHUNK packets (see the top of the file). */
static void of_chunk(struct of_table *t, const struct of_svec *sv, struct vale_pkt *pkts,
		     u32 *dst, u32 n, u32 gen, u32 now)
{
	struct of_emc_entry *e[OF_CHUNK];
	struct of_flow *fl[OF_CHUNK];
	struct of_key key[OF_CHUNK];
	bool emc = READ_ONCE(t->emc_on);
	u32 hash[OF_CHUNK];
	u32 parsed = 0, miss, p, m;

	for (p = 0; p < n; p++) {
		e[p] = NULL;	/* unused unless parsed and emc: for the compiler */
		hash[p] = 0;
		if (likely(!of_parse(pkts[p].data, pkts[p].len, pkts[p].src_port, &key[p])))
			parsed |= 1u << p;
	}
	miss = parsed;
	if (emc) {
		/* A pass of its own: the parser stores the key in small
		 * pieces, and reading whole words right after would stall on
		 * store forwarding. */
		for (m = parsed; m; m &= m - 1) {
			p = __builtin_ctz(m);
			hash[p] = of_st_hash(t, key[p].w);
			e[p] = &t->emc[hash[p] & (OF_EMC_SIZE - 1)];
			prefetch(e[p]);
			prefetch((const u8 *)e[p] + sizeof(*e[p]) - 1);
		}
		for (m = parsed; m; m &= m - 1) {
			bool hit;

			p = __builtin_ctz(m);
			fl[p] = of_emc_probe(e[p], &key[p], gen, &hit);
			if (hit) {
				miss &= ~(1u << p);
				if (fl[p]) {
					prefetch(fl[p]);
					prefetch((const u8 *)fl[p] + VALE_CACHELINE);
				}
			}
		}
		/* A timeout expires a flow without a change to the table. */
		for (m = parsed & ~miss; m; m &= m - 1) {
			p = __builtin_ctz(m);
			if (fl[p] && !of_flow_live(fl[p], now))
				miss |= 1u << p;
		}
	}
	if (miss) {
		of_cls_lookup_batch(sv, t, key, miss, fl, now);
		/* The chance to replace an entry: bits of the hash the index
		 * does not use, and the packet's place in the batch. */
		for (m = emc ? miss : 0; m; m &= m - 1) {
			p = __builtin_ctz(m);
			of_emc_insert(e[p], &key[p], fl[p], gen,
				      (hash[p] >> 16) ^ (hash[p] >> 24) ^ (u32)(uintptr_t)&pkts[p] >> 4 ^ now);
		}
	}
	for (m = parsed; m; m &= m - 1) {
		p = __builtin_ctz(m);
		if (fl[p] && READ_ONCE(fl[p]->fast) == OF_FAST_NONE)
			prefetch(vale_deref(fl[p]->acts));
	}
	for (p = 0; p < n; p++)
		dst[p] = parsed & (1u << p) ? of_finish(t, fl[p], &pkts[p], now) : VALE_DROP;
}

static u32 of_lookup(void *priv, struct vale_pkt *pkt)
{
	struct of_table *t = priv;
	u32 gen = smp_load_acquire(&t->gen), dst;

	of_chunk(t, vale_deref(t->svec), pkt, &dst, 1, gen, vale_now_sec());
	return dst;
}

static void of_lookup_batch(void *priv, struct vale_pkt *pkts, u32 *dst, u32 n)
{
	struct of_table *t = priv;
	u32 gen = smp_load_acquire(&t->gen);
	const struct of_svec *sv = vale_deref(t->svec);
	u32 now = vale_now_sec(), i;

	for (i = 0; i < n; i += OF_CHUNK)
		of_chunk(t, sv, pkts + i, dst + i, min(n - i, (u32)OF_CHUNK), gen, now);
}

int of_table_create(void **priv, const char *switch_name)
{
	struct of_table *t = vale_zalloc(sizeof(*t));
	static const struct of_action drop = { .type = OF_ACT_DROP };
	struct of_actions *miss;

	(void)switch_name;
	if (!t)
		return -ENOMEM;
	t->emc = vale_zalloc(OF_EMC_SIZE * sizeof(*t->emc));
	miss = of_actions_alloc(&drop, 1);
	if (!t->emc || !miss) {
		vale_free(t->emc);
		vale_free(miss);
		vale_free(t);
		return -ENOMEM;
	}
	vale_publish(t->miss, miss);
	of_hash_key_init(&t->hk);
	vale_mutex_init(&t->lock);
	t->gen = 1;
	t->controller = VALE_DROP;
	t->emc_on = true;
	*priv = t;
	return 0;
}

/* Called with the core's lock held; no lookup runs any more. */
void of_table_destroy(void *priv)
{
	struct of_table *t = priv;
	u32 i;

	for (i = 0; i < t->all_top; i++)
		if (t->all[i]) {
			vale_free((void *)of_ctl(t->all[i]->acts));
			vale_free(t->all[i]);
		}
	of_cls_destroy(t);
	vale_free((void *)of_ctl(t->miss));
	vale_free(t->all);
	vale_free(t->emc);
	vale_mutex_destroy(&t->lock);
	vale_free(t);
}

/* Not const: the kernel build adds its netlink configuration (netlink.c). */
struct vale_lookup_ops of_ops = {
	.name = "of",
	.owner = THIS_MODULE,
	.hdr_copy = OF_HDR_COPY,
	.create = of_table_create,
	.destroy = of_table_destroy,
	.lookup = of_lookup,
	.lookup_batch = of_lookup_batch,
};
