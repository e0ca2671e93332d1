// SPDX-License-Identifier: GPL-2.0
/*
 * ofswitch: an OpenFlow-like flow table as a VALE lookup module ("of").
 *
 * The hot path: parse the frame into a key (parse.c), look the key up in
 * the exact-match cache, else in the tuple-space classifier (cls.c) and
 * remember the answer in the cache; count the packet on the flow (or on
 * the table-miss rule), then run the flow's actions on the module's
 * private copy of the frame's head: rewrites (VLAN push/pop/set, Ethernet
 * addresses) and one final output, flood, drop or controller.
 *
 * The exact-match cache: OF_EMC_SIZE direct-mapped entries indexed by a
 * keyed hash of the whole key (NH, then SipHash with the switch's random
 * key), each holding the whole key, the flow and the generation of the
 * table it was found in. A hit needs the same key, the current generation
 * (any change to the table bumps it, so no entry outlives a change) and a
 * flow still live (timeouts expire flows without a change). Entries are
 * seqlocked: a writer that finds one busy does not wait, a reader that
 * sees one change misses.
 */
#include "of_priv.h"

/* The best flow for key, through the cache when it is on. */
static struct of_flow *of_find(struct of_table *t, const struct of_svec *sv,
			       const struct of_key *key, u32 gen, u32 now)
{
	struct of_emc_entry *e;
	struct of_flow *f;
	u32 s;

	if (!READ_ONCE(t->emc_on))
		return of_cls_lookup(sv, t, key, now);
	e = &t->emc[vale_hash64(of_nh(&t->hk, key->w), &t->hk.sip) & (OF_EMC_SIZE - 1)];
	s = smp_load_acquire(&e->seq);
	if (!(s & 1) && READ_ONCE(e->gen) == gen &&
	    !memcmp(e->key, key->w, sizeof(e->key))) {
		f = READ_ONCE(e->flow);
		of_rmb();
		if (READ_ONCE(e->seq) == s && (!f || of_flow_live(f, now)))
			return f;
	}
	f = of_cls_lookup(sv, t, key, now);
	s = READ_ONCE(e->seq);
	if (!(s & 1) && of_cas32(&e->seq, s, s + 1)) {
		of_wmb();
		memcpy(e->key, key->w, sizeof(e->key));
		WRITE_ONCE(e->flow, f);
		WRITE_ONCE(e->gen, gen);
		smp_store_release(&e->seq, s + 2);
	}
	return f;
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

static inline u32 of_one(struct of_table *t, const struct of_svec *sv, struct vale_pkt *pkt,
			 u32 gen, u32 now)
{
	struct of_key key;
	struct of_flow *f;

	if (unlikely(of_parse(pkt->data, pkt->len, pkt->src_port, &key)))
		return VALE_DROP;
	f = of_find(t, sv, &key, gen, now);
	if (f) {
		of_ctr_add(&f->pkts, 1);
		of_ctr_add(&f->bytes, pkt->total_len);
		if (READ_ONCE(f->used) != now)
			WRITE_ONCE(f->used, now);
		return of_apply(t, vale_deref(f->acts), pkt);
	}
	of_ctr_add(&t->miss_pkts, 1);
	of_ctr_add(&t->miss_bytes, pkt->total_len);
	return of_apply(t, vale_deref(t->miss), pkt);
}

static u32 of_lookup(void *priv, struct vale_pkt *pkt)
{
	struct of_table *t = priv;
	u32 gen = smp_load_acquire(&t->gen);

	return of_one(t, vale_deref(t->svec), pkt, gen, vale_now_sec());
}

static void of_lookup_batch(void *priv, struct vale_pkt *pkts, u32 *dst, u32 n)
{
	struct of_table *t = priv;
	u32 gen = smp_load_acquire(&t->gen);
	const struct of_svec *sv = vale_deref(t->svec);
	u32 now = vale_now_sec(), i;

	for (i = 0; i < n; i++)
		dst[i] = of_one(t, sv, &pkts[i], gen, now);
}

static int of_create(void **priv, const char *switch_name)
{
	struct of_table *t = vale_zalloc(sizeof(*t));
	static const struct of_action drop = { .type = OF_ACT_DROP };

	(void)switch_name;
	if (!t)
		return -ENOMEM;
	t->emc = vale_zalloc(OF_EMC_SIZE * sizeof(*t->emc));
	t->miss = of_actions_alloc(&drop, 1);
	if (!t->emc || !t->miss) {
		vale_free(t->emc);
		vale_free((void *)t->miss);
		vale_free(t);
		return -ENOMEM;
	}
	of_hash_key_init(&t->hk);
	t->gen = 1;
	t->controller = VALE_DROP;
	t->emc_on = true;
	*priv = t;
	return 0;
}

/* Called with the control lock held; no lookup runs any more. */
static void of_destroy(void *priv)
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
	vale_free(t);
}

/* Not const: the kernel build adds its netlink configuration (netlink.c). */
struct vale_lookup_ops of_ops = {
	.name = "of",
	.owner = THIS_MODULE,
	.hdr_copy = OF_HDR_COPY,
	.create = of_create,
	.destroy = of_destroy,
	.lookup = of_lookup,
	.lookup_batch = of_lookup_batch,
};
