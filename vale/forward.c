// SPDX-License-Identifier: GPL-2.0
/*
 * The forwarding engine: what a sender's txsync does with its new slots.
 *
 * One pass takes up to VALE_BATCH slots from a tx ring and
 *  1. checks each slot (buffer index and length) and keeps a pointer to its
 *     data, so nothing the sender rewrites later is trusted again; asks the
 *     lookup module for each packet's destination; and threads the packets
 *     into one list per destination (broadcast has its own list);
 *  2. for each destination port and ring, reserves room for the whole
 *     list under the ring's lock (a lease), copies outside the lock, then
 *     publishes under the lock. Several senders can copy into one ring at
 *     once; leases are published in the order they were taken, so the
 *     receiver sees packets in order, and whoever publishes wakes the
 *     receiver once for everything published.
 * A packet that does not fit in its destination is dropped and counted:
 * a sender never waits for a receiver.
 */
#include "vale.h"

#define VALE_NOPKT	0xffff

struct vale_fwd_slot {
	const u8 *buf;		/* checked source data */
	u16 len;
};

struct vale_fwd_pkt {
	u16 first;		/* its first slot in slots[] */
	u16 frags;
	u16 next;		/* next packet to the same destination */
	u16 dst_ring;		/* from the lookup, or VALE_RING_ANY */
	u16 hdr_len;		/* hdr_copy: bytes of hdr[] to deliver */
	u16 hdr_orig;		/* hdr_copy: bytes of the source they replace */
	u32 bytes;
};

struct vale_fwd_scratch {
	struct vale_fwd_slot slots[VALE_BATCH];
	struct vale_fwd_pkt pkts[VALE_BATCH];
	u16 head[VALE_MAX_PORTS + 1], tail[VALE_MAX_PORTS + 1];
	u8 touched[VALE_MAX_PORTS];
	u16 ntouched;
	u16 merged[VALE_BATCH];	/* one destination's packets, in order */
	u16 group[VALE_BATCH];	/* those of them going to one ring */
	u8 hdr[VALE_HDR_BATCH][VALE_HDR_MAX];
};

int vale_tx_scratch_alloc(struct vale_tx_ring *tx)
{
	struct vale_fwd_scratch *s = vale_zalloc(sizeof(*s));
	u32 i;

	if (!s)
		return -ENOMEM;
	for (i = 0; i <= VALE_MAX_PORTS; i++)
		s->head[i] = VALE_NOPKT;
	tx->scratch = s;
	return 0;
}

void vale_tx_scratch_free(struct vale_tx_ring *tx)
{
	vale_free(tx->scratch);
	tx->scratch = NULL;
}

/*
 * Copy whole 64-byte blocks: buffers are multiples of 64 bytes, so
 * rounding up stays inside both, and fixed-size blocks copy faster than an
 * exact memcpy of a short frame.
 */
static inline void vale_copy_blocks(u8 *dst, const u8 *src, u32 len)
{
	u32 done;

	for (done = 0; done < len; done += 64)
		memcpy(dst + done, src + done, 64);
}

/* The ring of 'dst' a packet goes to. */
static inline u16 vale_dst_ring(const struct vale_fwd_pkt *pkt,
				const struct vale_port *dst, u16 src_ring)
{
	if (pkt->dst_ring != VALE_RING_ANY && pkt->dst_ring < dst->num_rx_rings)
		return pkt->dst_ring;
	return src_ring % dst->num_rx_rings;
}

/*
 * Write one packet into the destination slots from j on; returns the slot
 * after it. The first fragment may change: virtio-net headers are added,
 * removed or kept as the two ports want, and a module's rewritten header
 * replaces the bytes it was copied from.
 */
static u32 vale_put_pkt(struct vale_fwd_scratch *s, u16 p, const struct vale_port *src,
			const struct vale_port *dst, struct netmap_ring *ring, u32 j,
			u32 n, u64 *bad_bufs)
{
	const struct vale_fwd_pkt *pkt = &s->pkts[p];
	const struct vale_fwd_slot *fs = &s->slots[pkt->first];
	u32 f;

	for (f = 0; f < pkt->frags; f++, fs++, j = vale_next(j, n)) {
		struct netmap_slot *ds = &ring->slot[j];
		u8 *dbuf = vale_port_buf(dst, READ_ONCE(ds->buf_idx));
		u16 flags = f + 1 < pkt->frags ? NS_MOREFRAG : 0;
		u32 len = fs->len;

		if (unlikely(!dbuf))
			goto bad;
		if (f == 0 && (src->vnet_hdr_len != dst->vnet_hdr_len || pkt->hdr_orig ||
			       pkt->hdr_len)) {
			/* The first fragment, the slow way. */
			u32 skip = src->vnet_hdr_len + pkt->hdr_orig;
			u32 rest = len - skip;
			u32 out = dst->vnet_hdr_len + pkt->hdr_len + rest;

			if (out > dst->buf_size)
				goto bad;
			if (dst->vnet_hdr_len == src->vnet_hdr_len)
				memcpy(dbuf, fs->buf, dst->vnet_hdr_len);
			else
				memset(dbuf, 0, dst->vnet_hdr_len);
			memcpy(dbuf + dst->vnet_hdr_len, s->hdr[p % VALE_HDR_BATCH], pkt->hdr_len);
			memcpy(dbuf + dst->vnet_hdr_len + pkt->hdr_len, fs->buf + skip, rest);
			len = out;
		} else if (likely(len <= dst->buf_size)) {
			vale_copy_blocks(dbuf, fs->buf, len);
		} else {
			goto bad;
		}
		WRITE_ONCE(ds->len, len);
		WRITE_ONCE(ds->flags, flags);
		continue;
bad:
		/* The receiver broke its ring or the frame outgrew it: empty slot. */
		(*bad_bufs)++;
		WRITE_ONCE(ds->len, 0);
		WRITE_ONCE(ds->flags, flags);
	}
	return j;
}

/* Deliver s->group[0 .. count) into one ring of dst. */
static void vale_deliver_group(struct vale_fwd_scratch *s, u32 count,
			       const struct vale_port *src, const struct vale_port *dst,
			       struct vale_rx_ring *rx)
{
	u32 n = rx->num_slots;
	u32 k, take, slots = 0, start, j, pos;
	u64 bytes = 0, bad_bufs = 0;
	bool advanced = false;

	vale_spin_lock(&rx->lock);
	{
		u32 hwcur = smp_load_acquire(&rx->hwcur);
		u32 room = vale_dist(rx->hwlease, vale_prev(hwcur, n), n);

		for (take = 0; take < count; take++) {
			const struct vale_fwd_pkt *pkt = &s->pkts[s->group[take]];

			if (slots + pkt->frags > room)
				break;
			slots += pkt->frags;
			bytes += pkt->bytes;
		}
		start = rx->hwlease;
		rx->hwlease = (start + slots) % n;
		rx->rx_pkts += take;
		rx->rx_bytes += bytes;
		rx->drop_full += count - take;
	}
	vale_spin_unlock(&rx->lock);
	if (!slots)
		return;

	for (k = 0, j = start; k < take; k++)
		j = vale_put_pkt(s, s->group[k], src, dst, rx->ring, j, n, &bad_bufs);

	vale_spin_lock(&rx->lock);
	rx->drop_bad_buf += bad_bufs;
	rx->lease_end[start] = j;
	if (rx->hwtail == start) {
		/* Ours is the oldest lease: publish it and every finished one after it. */
		for (pos = start; rx->lease_end[pos] != VALE_NOSLOT; ) {
			u32 end = rx->lease_end[pos];

			rx->lease_end[pos] = VALE_NOSLOT;
			pos = end;
		}
		smp_store_release(&rx->hwtail, pos);
		advanced = true;
	}
	vale_spin_unlock(&rx->lock);
	if (advanced && rx->notify)
		rx->notify(rx->notify_arg);
}

/* Merge a unicast list and the broadcast list, both in packet order. */
static u32 vale_merge(struct vale_fwd_scratch *s, u16 a, u16 b)
{
	u32 n = 0;

	while (a != VALE_NOPKT || b != VALE_NOPKT) {
		if (b == VALE_NOPKT || (a != VALE_NOPKT && a < b)) {
			s->merged[n++] = a;
			a = s->pkts[a].next;
		} else {
			s->merged[n++] = b;
			b = s->pkts[b].next;
		}
	}
	return n;
}

/* Deliver a destination's packets, one lease per ring they go to. */
static void vale_deliver(struct vale_fwd_scratch *s, const struct vale_port *src,
			 u16 src_ring, struct vale_port *dst, u32 count)
{
	u32 i, left = count;
	u16 ring0 = vale_dst_ring(&s->pkts[s->merged[0]], dst, src_ring);

	/* The common case: everything to one ring, in order. */
	for (i = 0; i < count; i++)
		if (vale_dst_ring(&s->pkts[s->merged[i]], dst, src_ring) != ring0)
			break;
	if (i == count) {
		memcpy(s->group, s->merged, count * sizeof(s->group[0]));
		vale_deliver_group(s, count, src, dst, &dst->rx[ring0]);
		return;
	}
	while (left) {
		u16 ring = VALE_RING_ANY;
		u32 g = 0, keep = 0;

		for (i = 0; i < left; i++) {
			u16 p = s->merged[i];
			u16 r = vale_dst_ring(&s->pkts[p], dst, src_ring);

			if (ring == VALE_RING_ANY)
				ring = r;
			if (r == ring)
				s->group[g++] = p;
			else
				s->merged[keep++] = p;
		}
		vale_deliver_group(s, g, src, dst, &dst->rx[ring]);
		left = keep;
	}
}

static inline void vale_enqueue(struct vale_fwd_scratch *s, u16 dst, u16 p)
{
	s->pkts[p].next = VALE_NOPKT;
	if (s->head[dst] == VALE_NOPKT) {
		s->head[dst] = p;
		if (dst != VALE_BROADCAST)
			s->touched[s->ntouched++] = dst;
	} else {
		s->pkts[s->tail[dst]].next = p;
	}
	s->tail[dst] = p;
}

/* Look a packet up; the packet is s->pkts[p], its slots already checked. */
static u32 vale_lookup_pkt(struct vale_fwd_scratch *s, u16 p, const struct vale_port *src,
			   u16 ring, const struct vale_lookup_inst *li)
{
	struct vale_fwd_pkt *pkt = &s->pkts[p];
	const struct vale_fwd_slot *fs = &s->slots[pkt->first];
	u32 hdr_copy = li->ops->hdr_copy;
	struct vale_pkt vp = {
		.len = fs->len - src->vnet_hdr_len,
		.total_len = pkt->bytes - src->vnet_hdr_len,
		.src_port = src->index,
		.src_ring = ring,
		.dst_ring = VALE_RING_ANY,
		.frags = pkt->frags,
	};
	u32 dst;

	if (!hdr_copy) {
		vp.data = (u8 *)fs->buf + src->vnet_hdr_len;
		dst = li->ops->lookup(li->priv, &vp);
		pkt->hdr_len = pkt->hdr_orig = 0;
	} else {
		u8 *h = s->hdr[p % VALE_HDR_BATCH];
		u32 copy = min(min(hdr_copy, (u32)VALE_HDR_MAX), (u32)vp.len);

		memcpy(h, fs->buf + src->vnet_hdr_len, copy);
		vp.data = h;
		vp.len = copy;
		vp.hdr_len = copy;
		dst = li->ops->lookup(li->priv, &vp);
		pkt->hdr_orig = copy;
		pkt->hdr_len = min(vp.hdr_len, (u16)VALE_HDR_MAX);
		pkt->bytes += pkt->hdr_len - copy;
	}
	pkt->dst_ring = vp.dst_ring;
	return dst;
}

/*
 * Forward the packets in slots [cur, head) of tx ring 'ring' of src, at
 * most one batch. Returns the slot after the last one consumed: head, or
 * earlier when the batch filled up or the last packet is still incomplete
 * (its last slot has NS_MOREFRAG), which stays for the next sync.
 * Called by the ring's only sender at a time, on an attached port.
 */
u32 vale_forward(struct vale_port *src, u16 ring, u32 cur, u32 head)
{
	struct vale_tx_ring *tx = &src->tx[ring];
	struct vale_fwd_scratch *s = tx->scratch;
	struct netmap_ring *r = tx->ring;
	u32 n = tx->num_slots;
	struct vale_switch *sw = src->sw;
	const struct vale_lookup_inst *li;
	u32 nslots = 0, npkts = 0, pkt_limit, i = cur, t;

	vale_read_lock();
	li = vale_deref(sw->lookup);
	pkt_limit = li->ops->hdr_copy ? VALE_HDR_BATCH : VALE_BATCH;

	while (i != head && npkts < pkt_limit && nslots <= VALE_BATCH - NETMAP_MAX_FRAGS) {
		struct vale_fwd_pkt *pkt = &s->pkts[npkts];
		u32 j = i, frags = 0, total = 0;
		bool bad = false;
		u16 flags;
		u32 dst;

		do {
			const struct netmap_slot *sl = &r->slot[j];
			u32 idx = READ_ONCE(sl->buf_idx);
			u16 len = READ_ONCE(sl->len);
			struct vale_fwd_slot *fs = &s->slots[nslots + frags];

			flags = READ_ONCE(sl->flags);
			fs->buf = vale_port_buf(src, idx);
			fs->len = len;
			if (unlikely(!fs->buf || len > src->buf_size))
				bad = true;
			total += len;
			frags++;
			j = vale_next(j, n);
		} while ((flags & NS_MOREFRAG) && j != head && frags < NETMAP_MAX_FRAGS);
		if (unlikely(flags & NS_MOREFRAG)) {
			if (j == head)
				break;		/* the rest of it is not there yet */
			bad = true;		/* more than NETMAP_MAX_FRAGS slots */
		}
		i = j;
		if (unlikely(bad || s->slots[nslots].len < src->vnet_hdr_len)) {
			tx->drop_bad++;
			continue;
		}
		pkt->first = nslots;
		pkt->frags = frags;
		pkt->bytes = total;
		tx->pkts++;
		tx->bytes += total;

		dst = vale_lookup_pkt(s, npkts, src, ring, li);
		if (unlikely(dst == src->index || (dst >= VALE_MAX_PORTS && dst != VALE_BROADCAST))) {
			tx->drop_lookup++;
			continue;
		}
		vale_enqueue(s, dst, npkts);
		nslots += frags;
		npkts++;
	}

	if (s->head[VALE_BROADCAST] != VALE_NOPKT) {
		for (t = 0; t < VALE_MAX_PORTS; t++) {
			struct vale_port *dst;

			if (t == src->index)
				continue;
			dst = vale_deref(sw->ports[t]);
			if (dst)
				vale_deliver(s, src, ring, dst,
					     vale_merge(s, s->head[t], s->head[VALE_BROADCAST]));
			else if (s->head[t] != VALE_NOPKT)
				tx->drop_lookup += vale_merge(s, s->head[t], VALE_NOPKT);
		}
	} else {
		for (t = 0; t < s->ntouched; t++) {
			u16 d = s->touched[t];
			struct vale_port *dst = vale_deref(sw->ports[d]);
			u32 count = vale_merge(s, s->head[d], VALE_NOPKT);

			if (dst)
				vale_deliver(s, src, ring, dst, count);
			else
				tx->drop_lookup += count;
		}
	}
	for (t = 0; t < s->ntouched; t++)
		s->head[s->touched[t]] = VALE_NOPKT;
	s->ntouched = 0;
	s->head[VALE_BROADCAST] = VALE_NOPKT;
	vale_read_unlock();
	return i;
}
