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
#define VALE_SHORT_LIST	8	/* packets copied under the ring's lock */
#define VALE_PREFETCH_AHEAD 4	/* destination slots prefetched ahead */
#define VALE_BLOCKS_MAX	256	/* longest copy in blocks: vale_copy_within() */

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
	u32 count_to[VALE_MAX_PORTS + 1], slots_to[VALE_MAX_PORTS + 1];
	u32 bytes_to[VALE_MAX_PORTS + 1];
	bool ring_chosen[VALE_MAX_PORTS + 1];
	u8 touched[VALE_MAX_PORTS];
	u16 ntouched;
	u32 src_hdr;		/* the sender's vnet_hdr_len for this batch */
	u32 src_buf_size;	/* and its buffers' size */
	u32 hdr_copy;		/* the module's, for this batch */
	bool multi_frag;	/* some packet of this batch has several slots */
	struct vale_pkt vp[VALE_BATCH];	/* what the lookup module sees */
	u32 dst[VALE_BATCH];		/* what it answered */
	u16 merged[VALE_BATCH];	/* one destination's packets, in order */
	u16 group[VALE_BATCH];	/* those of them going to one ring */
	/* The module's own memory for this ring (sender_mem), and whose it is. */
	u64 mem_serial;
	u64 mem[VALE_SENDER_MEM_MAX / 8];
	/*
	 * Copied in and delivered in whole blocks. 12 KB: a VALE_HDR_BATCH
	 * of 128 or 256 measured no faster in make bench-of (more of it
	 * falls out of L1 between the copy in and the delivery).
	 */
	u8 hdr[VALE_HDR_BATCH][VALE_HDR_MAX] __attribute__((aligned(VALE_CACHELINE)));
};

/* A private header is copied in and out in whole blocks (vale_hdr_fresh()). */
_Static_assert(VALE_HDR_MAX % 64 == 0 && VALE_HDR_MAX <= VALE_BLOCKS_MAX,
	       "whole blocks of a private header stay in it");

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

static inline u32 vale_round_block(u32 len)
{
	return (len + 63) & ~63u;
}

/*
 * Copy len bytes that need not start on a 64-byte boundary (a header
 * after a vnet header, the rest of a frame after its head): whole blocks
 * when rounding up stays within dst_room and src_room, the bytes from dst
 * and src to where they may be written and read, else exactly. The exact
 * memcpys this replaces (one in, three out per packet) held a module that
 * only asks for a header copy at about 80% of the learning bridge's rate
 * (make bench-of), against 90-97% now. Past VALE_BLOCKS_MAX bytes
 * memcpy was faster (the rest of 1514-byte frames, in user space): its
 * long-copy code beats 64-byte blocks, and its call is paid once.
 */
static inline void vale_copy_within(u8 *dst, u32 dst_room, const u8 *src, u32 src_room,
				    u32 len)
{
	u32 blocks = vale_round_block(len);

	if (likely(blocks <= dst_room && blocks <= src_room && len <= VALE_BLOCKS_MAX))
		vale_copy_blocks(dst, src, len);
	else
		memcpy(dst, src, len);
}

/*
 * How much of a packet's private header (hdr_copy) holds this packet's
 * bytes: the whole blocks vale_copy_hdrs() copied in (only 'copied' bytes
 * when a block would have run past the sender's buffer), or the hdr_len
 * bytes the module made of them. Beyond that lies an earlier packet's
 * header, maybe rewritten for another port, which must not reach this
 * receiver, even past the frame's end.
 */
static inline u32 vale_hdr_fresh(const struct vale_fwd_scratch *s, u32 copied, u32 hdr_len)
{
	u32 fresh = vale_round_block(copied);

	if (s->src_hdr + fresh > s->src_buf_size)
		fresh = copied;
	return max(fresh, hdr_len);
}

/*
 * The receiving ring of a port with nrings rx rings that sending ring
 * 'ring' feeds: the same number when there is one (mostly both are
 * ring 0), without the division, which a batch spread over many ports
 * paid several times per destination.
 */
static inline u16 vale_rx_of(u16 ring, u16 nrings)
{
	return likely(ring < nrings) ? ring : ring % nrings;
}

/* The ring of 'dst' a packet goes to. */
static inline u16 vale_dst_ring(const struct vale_fwd_pkt *pkt,
				const struct vale_port *dst, u16 src_ring)
{
	if (pkt->dst_ring != VALE_RING_ANY && pkt->dst_ring < dst->num_rx_rings)
		return pkt->dst_ring;
	return vale_rx_of(src_ring, dst->num_rx_rings);
}

/*
 * The first fragment of packet p when it changes on the way, in up to
 * three parts: the vnet header, the private header, the rest of the
 * source. Each part's block copy may run past its end into where the next
 * part goes, so they go in order. Sets *len to the bytes written;
 * false when they would not fit dbuf.
 */
static bool vale_put_head(const struct vale_fwd_scratch *s, u16 p,
			  const struct vale_fwd_slot *fs, const struct vale_port *dst,
			  u32 dst_hdr, u8 *dbuf, u32 *len)
{
	const struct vale_fwd_pkt *pkt = &s->pkts[p];
	u32 skip = s->src_hdr + pkt->hdr_orig;
	u32 rest = fs->len - skip;
	u32 at = dst_hdr + pkt->hdr_len;
	u32 out = at + rest;

	if (unlikely(out > dst->buf_size))
		return false;
	if (dst_hdr && dst_hdr == s->src_hdr)
		memcpy(dbuf, fs->buf, dst_hdr);
	else if (dst_hdr)	/* added: no offloads asked for */
		memset(dbuf, 0, dst_hdr);
	vale_copy_within(dbuf + dst_hdr, dst->buf_size - dst_hdr, s->hdr[p % VALE_HDR_BATCH],
			 vale_hdr_fresh(s, pkt->hdr_orig, pkt->hdr_len), pkt->hdr_len);
	if (rest)
		vale_copy_within(dbuf + at, dst->buf_size - at, fs->buf + skip,
				 s->src_buf_size - skip, rest);
	*len = out;
	return true;
}

/*
 * Write one packet into the destination slots from j on; returns the slot
 * after it. The first fragment may change: virtio-net headers are added,
 * removed or kept as the two ports want, and a module's rewritten header
 * replaces the bytes it was copied from.
 */
static u32 vale_put_pkt(struct vale_fwd_scratch *s, u16 p, const struct vale_port *dst,
			u32 dst_hdr, struct netmap_ring *ring, u32 j, u32 n, u64 *bad_bufs)
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
		if (f == 0 && (s->src_hdr != dst_hdr || pkt->hdr_orig || pkt->hdr_len)) {
			if (!vale_put_head(s, p, fs, dst, dst_hdr, dbuf, &len))
				goto bad;
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

/*
 * A destination's packets: either the array list[0 .. count) or, when list
 * is NULL, the chain from 'first' through pkts[].next.
 */
struct vale_batch_list {
	const u16 *list;
	u16 first;
	u32 count, slots, bytes;	/* the whole list's totals */
};

static inline u16 vale_list_at(const struct vale_fwd_scratch *s,
			       const struct vale_batch_list *l, u32 k, u16 prev)
{
	return l->list ? l->list[k] : (k ? s->pkts[prev].next : l->first);
}

/*
 * The common case of vale_copy_lease(): every packet one slot, delivered
 * as it was sent (same vnet header length, no private header). A third
 * of the general loop's instructions per packet in
 * unicast-2ports-60B: no per-fragment flags, no head rewrite to test.
 */
static u32 vale_copy_plain(const struct vale_fwd_scratch *s, const struct vale_batch_list *l,
			   const struct vale_port *dst, struct netmap_ring *ring, u32 n,
			   u32 start, u32 take, u64 *bad_bufs)
{
	u32 buf_size = dst->buf_size, k, j;
	u16 p = 0;

	for (k = 0, j = start; k < take; k++) {
		u32 ahead = j + VALE_PREFETCH_AHEAD;
		struct netmap_slot *ds = &ring->slot[j];
		const u8 *next = vale_port_buf(dst, READ_ONCE(ring->slot[ahead >= n ?
							ahead - n : ahead].buf_idx));
		const struct vale_fwd_slot *fs;
		u8 *dbuf;
		u32 len;

		if (next)
			__builtin_prefetch(next, 1);
		p = vale_list_at(s, l, k, p);
		fs = &s->slots[p];	/* one slot per packet: packet p is slot p */
		len = fs->len;
		dbuf = vale_port_buf(dst, READ_ONCE(ds->buf_idx));
		if (likely(dbuf && len <= buf_size)) {
			vale_copy_blocks(dbuf, fs->buf, len);
		} else {
			(*bad_bufs)++;	/* see vale_put_pkt() */
			len = 0;
		}
		WRITE_ONCE(ds->len, len);
		WRITE_ONCE(ds->flags, 0);
		j = vale_next(j, n);
	}
	return j;
}

/* Copy the first 'take' packets of l into the lease from 'start' on. */
static u32 vale_copy_lease(struct vale_fwd_scratch *s, const struct vale_batch_list *l,
			   const struct vale_port *dst, struct vale_rx_ring *rx, u32 start,
			   u32 take, u64 *bad_bufs)
{
	/* Read once: a header length set under traffic applies per batch. */
	u32 dst_hdr = READ_ONCE(dst->vnet_hdr_len);
	u32 n = rx->num_slots, k, j;
	u16 p = 0;

	if (likely(!s->multi_frag && !s->hdr_copy && dst_hdr == s->src_hdr))
		return vale_copy_plain(s, l, dst, rx->ring, n, start, take, bad_bufs);
	for (k = 0, j = start; k < take; k++) {
		/* Ask for the destination buffer a few slots ahead, for writing. */
		u32 ahead = j + VALE_PREFETCH_AHEAD;
		const u8 *next = vale_port_buf(dst, READ_ONCE(rx->ring->slot[ahead >= n ?
							ahead - n : ahead].buf_idx));

		if (next)
			__builtin_prefetch(next, 1);
		p = vale_list_at(s, l, k, p);
		j = vale_put_pkt(s, p, dst, dst_hdr, rx->ring, j, n, bad_bufs);
	}
	return j;
}

/*
 * The lease [start, end) is written: publish it if it is the oldest, with
 * every finished lease after it, else leave it for the older lease's
 * owner to publish. Returns whether hwtail moved. Called with rx->lock.
 */
static bool vale_publish_lease(struct vale_rx_ring *rx, u32 start, u32 end, u64 bad_bufs)
{
	u32 pos = end;

	rx->drop_bad_buf += bad_bufs;
	if (rx->hwtail != start) {
		rx->lease_end[start] = end;
		return false;
	}
	/* When no lease was taken after ours (one sender) there is nothing to look up. */
	while (pos != rx->hwlease && rx->lease_end[pos] != VALE_NOSLOT) {
		u32 next = rx->lease_end[pos];

		rx->lease_end[pos] = VALE_NOSLOT;
		pos = next;
	}
	smp_store_release(&rx->hwtail, pos);
	return true;
}

/* Lease room in rx, copy, publish. */
static void vale_deliver_list(struct vale_fwd_scratch *s, const struct vale_batch_list *l,
			      const struct vale_port *dst, struct vale_rx_ring *rx)
{
	u32 n = rx->num_slots;
	u32 take, slots, start, j;
	u64 bytes, bad_bufs = 0;
	bool advanced;
	u16 p = 0;

	vale_spin_lock(&rx->lock);
	{
		u32 room = vale_dist(rx->hwlease, vale_prev(smp_load_acquire(&rx->hwcur), n), n);

		if (likely(l->slots <= room)) {
			take = l->count;
			slots = l->slots;
			bytes = l->bytes;
		} else {
			/* Not all fit: whole packets, in order, while they do. */
			for (take = slots = bytes = 0; take < l->count; take++) {
				p = vale_list_at(s, l, take, p);
				if (slots + s->pkts[p].frags > room)
					break;
				slots += s->pkts[p].frags;
				bytes += s->pkts[p].bytes;
			}
		}
		start = rx->hwlease;
		rx->hwlease = start + slots >= n ? start + slots - n : start + slots;
		rx->rx_pkts += take;
		rx->rx_bytes += bytes;
		rx->drop_full += l->count - take;
	}
	if (!slots) {
		vale_spin_unlock(&rx->lock);
		return;
	}
	/*
	 * A few packets are copied under the lock: one lock round trip
	 * instead of two, which matters when a batch is spread over many
	 * destinations. Longer lists are copied outside it, in parallel with
	 * other senders to the same ring.
	 */
	if (l->count <= VALE_SHORT_LIST) {
		j = vale_copy_lease(s, l, dst, rx, start, take, &bad_bufs);
		advanced = vale_publish_lease(rx, start, j, bad_bufs);
		vale_spin_unlock(&rx->lock);
	} else {
		vale_spin_unlock(&rx->lock);
		j = vale_copy_lease(s, l, dst, rx, start, take, &bad_bufs);
		vale_spin_lock(&rx->lock);
		advanced = vale_publish_lease(rx, start, j, bad_bufs);
		vale_spin_unlock(&rx->lock);
	}
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

/* Deliver s->merged[0 .. count) to dst, one lease per ring they go to. */
static void vale_deliver_merged(struct vale_fwd_scratch *s, u16 src_ring,
				struct vale_port *dst, u32 count)
{
	u32 i, left = count;

	while (left) {
		struct vale_batch_list l = { .list = s->group };
		u16 ring = VALE_RING_ANY;
		u32 keep = 0;

		for (i = 0; i < left; i++) {
			u16 p = s->merged[i];
			u16 r = vale_dst_ring(&s->pkts[p], dst, src_ring);

			if (ring == VALE_RING_ANY)
				ring = r;
			if (r == ring) {
				s->group[l.count++] = p;
				l.slots += s->pkts[p].frags;
				l.bytes += s->pkts[p].bytes;
			} else {
				s->merged[keep++] = p;
			}
		}
		vale_deliver_list(s, &l, dst, &dst->rx[ring]);
		left = keep;
	}
}

/*
 * Unicast to one port: the chain built by vale_enqueue(), straight into
 * one ring when the module chose no ring (the common case), else sorted
 * out by ring.
 */
static void vale_deliver_unicast(struct vale_fwd_scratch *s, u16 src_ring,
				 struct vale_port *dst, u16 d)
{
	struct vale_batch_list l = {
		.first = s->head[d],
		.count = s->count_to[d],
		.slots = s->slots_to[d],
		.bytes = s->bytes_to[d],
	};

	if (likely(!s->ring_chosen[d]))
		vale_deliver_list(s, &l, dst, &dst->rx[vale_rx_of(src_ring, dst->num_rx_rings)]);
	else
		vale_deliver_merged(s, src_ring, dst, vale_merge(s, s->head[d], VALE_NOPKT));
}

/*
 * A batch spread over many destinations pays a few cache misses for each
 * (its port, its ring's two lines, the slot and the buffer it fills
 * first). Start them a few destinations ahead, each stage using what the
 * previous one brought in.
 */
static inline const struct vale_rx_ring *vale_dst_rx(const struct vale_fwd_scratch *s,
						     struct vale_switch *sw, u32 t, u16 ring)
{
	const struct vale_port *vp = vale_deref(sw->ports[s->touched[t]]);

	return vp ? &vp->rx[vale_rx_of(ring, vp->num_rx_rings)] : NULL;
}

static inline void vale_prefetch_dsts(const struct vale_fwd_scratch *s,
				      struct vale_switch *sw, u32 t, u16 ring)
{
	const struct vale_rx_ring *rx;
	const struct vale_port *vp;

	if (t + 4 < s->ntouched) {
		vp = vale_deref(sw->ports[s->touched[t + 4]]);
		if (vp)
			__builtin_prefetch(vp);
	}
	if (t + 3 < s->ntouched && (rx = vale_dst_rx(s, sw, t + 3, ring))) {
		__builtin_prefetch(&rx->hwcur);
		__builtin_prefetch(&rx->hwlease, 1);
	}
	if (t + 2 < s->ntouched && (rx = vale_dst_rx(s, sw, t + 2, ring)))
		__builtin_prefetch(&rx->ring->slot[READ_ONCE(rx->hwlease) % rx->num_slots], 1);
	if (t + 1 < s->ntouched && (rx = vale_dst_rx(s, sw, t + 1, ring))) {
		u32 idx = READ_ONCE(rx->ring->slot[READ_ONCE(rx->hwlease) % rx->num_slots].buf_idx);
		const u8 *buf;

		vp = vale_deref(sw->ports[s->touched[t + 1]]);
		buf = vale_port_buf(vp, idx);
		if (buf)
			__builtin_prefetch(buf, 1);
	}
}

static inline void vale_enqueue(struct vale_fwd_scratch *s, u16 dst, u16 p)
{
	const struct vale_fwd_pkt *pkt = &s->pkts[p];

	s->pkts[p].next = VALE_NOPKT;
	if (s->head[dst] == VALE_NOPKT) {
		s->head[dst] = p;
		s->count_to[dst] = s->slots_to[dst] = s->bytes_to[dst] = 0;
		s->ring_chosen[dst] = false;
		if (dst != VALE_BROADCAST)
			s->touched[s->ntouched++] = dst;
	} else {
		s->pkts[s->tail[dst]].next = p;
	}
	s->tail[dst] = p;
	s->count_to[dst]++;
	s->slots_to[dst] += pkt->frags;
	s->bytes_to[dst] += pkt->bytes;
	s->ring_chosen[dst] |= pkt->dst_ring != VALE_RING_ANY;
}

/*
 * Describe packet p to the lookup module; with hdr_copy, its head is to
 * be copied to private memory (vale_copy_hdrs()) before the lookup, so
 * that what the module decides on and rewrites is what gets delivered.
 */
static inline void vale_prepare_pkt(struct vale_fwd_scratch *s, u16 p,
				    const struct vale_fwd_slot *fs, u32 bytes, u16 frags,
				    u16 src_port, u16 ring, u32 hdr_copy)
{
	/* Everything comes in as arguments: reading back what was just
	 * stored into pkts[p] would stall on store forwarding. */
	struct vale_pkt *vp = &s->vp[p];
	u32 src_hdr = s->src_hdr, copy = 0;

	vp->data = (u8 *)fs->buf + src_hdr;
	vp->len = fs->len - src_hdr;
	vp->hdr_len = 0;
	vp->total_len = bytes - src_hdr;
	vp->src_port = src_port;
	vp->src_ring = ring;
	vp->dst_ring = VALE_RING_ANY;
	vp->frags = frags;
	if (hdr_copy) {
		copy = min(hdr_copy, (u32)vp->len);
		vp->len = copy;
		vp->hdr_len = copy;
	}
	/* Kept here: the module may write anything into *vp. */
	s->pkts[p].hdr_orig = copy;
}

/*
 * The heads of a batch's packets into private memory, once all their
 * buffers have been asked for (one pass after another, not one packet's
 * prefetch and copy back to back, as the learning bridge reads them).
 */
static void vale_copy_hdrs(struct vale_fwd_scratch *s, u32 npkts)
{
	u32 room = s->src_buf_size - s->src_hdr, p;

	for (p = 0; p < npkts; p++) {
		struct vale_pkt *vp = &s->vp[p];
		u8 *h = s->hdr[p % VALE_HDR_BATCH];

		/* Within the sender's checked buffer; see vale_hdr_fresh(). */
		vale_copy_within(h, VALE_HDR_MAX, vp->data, room, vp->len);
		vp->data = h;
	}
}

/* Take the module's answer for packet p: header changes, ring. */
static void vale_lookup_done(struct vale_fwd_scratch *s, u16 p, u32 hdr_copy)
{
	struct vale_fwd_pkt *pkt = &s->pkts[p];
	const struct vale_pkt *vp = &s->vp[p];

	pkt->dst_ring = vp->dst_ring;
	pkt->hdr_len = 0;
	if (hdr_copy) {
		pkt->hdr_len = min(vp->hdr_len, (u16)VALE_HDR_MAX);
		pkt->bytes += (u32)pkt->hdr_len - pkt->hdr_orig;
	}
}

/*
 * Check one tx slot into fs (the buffer's address, its length); flags
 * gets the slot's. Returns whether it is bad.
 */
static inline bool vale_take_slot(const struct vale_port *src, const struct netmap_slot *sl,
				  struct vale_fwd_slot *fs, u16 *flags)
{
	u32 idx = READ_ONCE(sl->buf_idx);
	u16 len = READ_ONCE(sl->len);

	*flags = READ_ONCE(sl->flags);
	fs->buf = vale_port_buf(src, idx);
	fs->len = len;
	if (unlikely(!fs->buf || len > src->buf_size))
		return true;
	/* The lookup reads it after the gathering loop: start now. */
	__builtin_prefetch(fs->buf);
	return false;
}

/*
 * The slots after a packet's first, from j on (fs: its first slot's
 * entry), while they have NS_MOREFRAG. Returns the slot after the packet,
 * or VALE_NOSLOT when its last slot is not there yet (head reached); a
 * packet over NETMAP_MAX_FRAGS slots is bad. Out of line: most packets
 * take one slot.
 */
static noinline u32 vale_take_frags(const struct vale_port *src, const struct netmap_ring *r,
				    u32 n, u32 j, u32 head, struct vale_fwd_slot *fs, u32 *frags,
				    u32 *total, bool *bad)
{
	u16 flags = NS_MOREFRAG;

	while ((flags & NS_MOREFRAG) && j != head && *frags < NETMAP_MAX_FRAGS) {
		*bad |= vale_take_slot(src, &r->slot[j], &fs[*frags], &flags);
		*total += fs[*frags].len;
		(*frags)++;
		j = vale_next(j, n);
	}
	if (flags & NS_MOREFRAG) {
		if (j == head)
			return VALE_NOSLOT;
		*bad = true;		/* more than NETMAP_MAX_FRAGS slots */
	}
	return j;
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
	struct vale_switch *sw;
	const struct vale_lookup_inst *li;
	u32 nslots = 0, npkts = 0, pkt_limit, i = cur, t, p, hdr_copy;
	u64 bytes = 0, drop_bad = 0;

	vale_read_lock();
	sw = vale_deref(src->sw);
	if (unlikely(!sw)) {
		/* Not on a switch (a detached persistent port): nowhere to go. */
		tx->drop_lookup += vale_dist(cur, head, n);
		vale_read_unlock();
		return head;
	}
	li = vale_deref(sw->lookup);
	hdr_copy = li->ops->hdr_copy;
	s->hdr_copy = hdr_copy;
	s->src_hdr = READ_ONCE(src->vnet_hdr_len);
	s->src_buf_size = src->buf_size;
	pkt_limit = hdr_copy ? VALE_HDR_BATCH : VALE_BATCH;

	/* 1. Take whole, valid packets; drop and count the others. */
	while (i != head && npkts < pkt_limit && nslots <= VALE_BATCH - NETMAP_MAX_FRAGS) {
		struct vale_fwd_slot *fs = &s->slots[nslots];
		u32 frags = 1, first = i, total;
		bool bad;
		u16 flags;

		bad = vale_take_slot(src, &r->slot[i], fs, &flags);
		total = fs->len;
		i = vale_next(i, n);
		if (unlikely(flags & NS_MOREFRAG)) {
			u32 j = vale_take_frags(src, r, n, i, head, fs, &frags, &total, &bad);

			if (j == VALE_NOSLOT) {
				i = first;	/* the rest of it is not there yet */
				break;
			}
			i = j;
		}
		if (unlikely(bad || fs->len < s->src_hdr)) {
			drop_bad++;
			continue;
		}
		s->pkts[npkts].first = nslots;
		s->pkts[npkts].frags = frags;
		s->pkts[npkts].bytes = total;
		bytes += total;
		vale_prepare_pkt(s, npkts, fs, total, frags, src->index, ring, hdr_copy);
		nslots += frags;
		npkts++;
	}
	/* Counted once: stores through tx could alias the scratch space. */
	tx->pkts += npkts;
	tx->bytes += bytes;
	tx->drop_bad += drop_bad;
	s->multi_frag = nslots != npkts;

	if (hdr_copy)
		vale_copy_hdrs(s, npkts);

	/* 2. Ask the module, for the whole batch at once if it can. */
	if (li->ops->lookup_batch_mem) {
		if (unlikely(s->mem_serial != li->serial)) {
			memset(s->mem, 0, li->ops->sender_mem);
			s->mem_serial = li->serial;
		}
		li->ops->lookup_batch_mem(li->priv, s->mem, s->vp, s->dst, npkts);
	} else if (li->ops->lookup_batch) {
		li->ops->lookup_batch(li->priv, s->vp, s->dst, npkts);
	} else {
		for (p = 0; p < npkts; p++)
			s->dst[p] = li->ops->lookup(li->priv, &s->vp[p]);
	}

	/* 3. One list per destination. */
	for (p = 0; p < npkts; p++) {
		u32 dst = s->dst[p];
		bool hairpin = dst & VALE_HAIRPIN;

		dst &= ~VALE_HAIRPIN;
		vale_lookup_done(s, p, hdr_copy);
		/* Back out of the input port only when the module says so. */
		if (unlikely((dst == src->index && !hairpin) ||
			     (dst >= VALE_MAX_PORTS && dst != VALE_BROADCAST))) {
			tx->drop_lookup++;
			continue;
		}
		vale_enqueue(s, dst, p);
	}

	if (s->head[VALE_BROADCAST] != VALE_NOPKT) {
		/*
		 * Only the attached ports' indexes, not all VALE_MAX_PORTS: a
		 * batch of one frame (a NIC's, one per softirq) would spend
		 * most of its time on empty slots. A port attached meanwhile
		 * may be missed, as if it came after this batch; the unicast
		 * lists are all covered.
		 */
		u32 limit = READ_ONCE(sw->port_limit);

		for (t = 0; t < s->ntouched; t++)
			if (s->touched[t] >= limit)
				limit = s->touched[t] + 1u;
		for (t = 0; t < limit; t++) {
			/* Broadcast skips the input port, a hairpin does not. */
			u16 bc = t == src->index ? VALE_NOPKT : s->head[VALE_BROADCAST];
			struct vale_port *dst = vale_deref(sw->ports[t]);

			if (dst)
				vale_deliver_merged(s, ring, dst, vale_merge(s, s->head[t], bc));
			else if (s->head[t] != VALE_NOPKT)
				tx->drop_lookup += vale_merge(s, s->head[t], VALE_NOPKT);
		}
	} else {
		for (t = 0; t < s->ntouched; t++) {
			u16 d = s->touched[t];
			struct vale_port *dst = vale_deref(sw->ports[d]);

			vale_prefetch_dsts(s, sw, t, ring);
			if (dst)
				vale_deliver_unicast(s, ring, dst, d);
			else
				tx->drop_lookup += s->count_to[d];
		}
	}
	for (t = 0; t < s->ntouched; t++)
		s->head[s->touched[t]] = VALE_NOPKT;
	s->ntouched = 0;
	s->head[VALE_BROADCAST] = VALE_NOPKT;
	vale_read_unlock();
	return i;
}
