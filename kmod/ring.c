// SPDX-License-Identifier: GPL-2.0
/*
 * Ring ownership rules, as netmap defines them, and the checks that make
 * the kernel safe against whatever user space writes into a shared ring.
 *
 * On a tx ring the user owns [head, tail): it fills slots and advances head
 * (and cur, its wake-up point) to hand them to the kernel, which sends
 * [hwcur, head) and gives slots back by moving tail. On an rx ring the user
 * owns [head, tail), the received packets; it releases them by advancing
 * head, and the kernel fills from hwtail on.
 *
 * head and cur live in shared memory, so the prologues read each once and
 * accept only values the rules allow, before any other code sees them.
 * All functions here are called with kring->sync_lock held.
 *
 * DOC: Buffer ownership
 *
 * Every buffer of a region has exactly one holder: the free pool, one slot
 * of one ring, or the extra buffers of one file. The kernel's record of it
 * is nm_mem.bufmap (buffer -> holder) with each kring's bufs[] (slot ->
 * buffer); the buf_idx of the shared slots and the netmap_if's extra-buffer
 * list are only what the user asks for. So:
 *  - a ring gives back, when it goes, the buffers of its bufs[], and a file
 *    its extra buffers as bufmap records them (whatever ni_bufs_head says);
 *  - the kernel uses its record, never a shared slot, for slots it owns
 *    (a pipe hands slot k over with the buffer bufs[k] names);
 *  - a pipe's tx ring and the peer's rx ring share their slots in place
 *    (struct nm_kring.twin): one record, the tx ring's, and a buffer is
 *    user-held on the tx user's arc or on the rx user's;
 *  - when the user hands slots back (txsync: [rhead, head) to send; rxsync:
 *    [rhead, head) released), a slot naming another buffer than the record
 *    is a swap: accepted if the user holds that buffer, i.e. it is one of
 *    this file's extra buffers or sits in a user-owned slot ([rhead, rtail))
 *    of any ring of the region (netmap's zero-copy bridge and lb swap
 *    between rings of two files). The record then trades the two buffers'
 *    places, so ownership is conserved whatever the user does. Any other
 *    index is refused and counted in bad_slots: the record keeps the slot's
 *    own buffer, and a pipe hands the slot over empty (len 0).
 * A region is shared by every file that maps it (the global region: pipes
 * and NICs), so this protects the kernel's accounting and what a peer is
 * handed, not the bytes of a buffer: those every mapper can write.
 * nm_mem.buf_lock guards the records and the rhead/rtail that define the
 * user-owned arcs, so a swap never races with the arc's owner moving it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/time64.h>

#include "nm_priv.h"

/* True when x lies on the arc [from, to] of the ring (inclusive). */
static bool nm_in_arc(u32 x, u32 from, u32 to)
{
	return from <= to ? x >= from && x <= to : x >= from || x <= to;
}

/* True when x lies on [from, to) (empty when from == to). */
static bool nm_in_open_arc(u32 x, u32 from, u32 to)
{
	return from <= to ? x >= from && x < to : x >= from || x < to;
}

/*
 * Does the user of priv hold the buffer that bufmap places at loc: its own
 * extra buffers, or a user-owned slot of a ring of the region? buf_lock.
 */
static struct nm_kring *nm_loc_kring(struct nm_mem *mem, u32 loc)
{
	return mem->ring_kring[(loc >> NM_LOC_SLOT_BITS) - 1];
}

static bool nm_buf_user_held(struct nm_mem *mem, const struct nm_priv *priv, u32 loc)
{
	u32 s = loc & (BIT(NM_LOC_SLOT_BITS) - 1);
	struct nm_kring *k;

	if (loc & NM_LOC_EXTRA)
		return priv && loc == NM_LOC_FILE(priv->if_idx);
	if (!loc)
		return false;	/* free, or reserved */
	k = nm_loc_kring(mem, loc);
	if (!k)
		return false;
	/* A pipe's slot is its tx user's or, on the twin, its rx user's. */
	return nm_in_open_arc(s, k->rhead, k->rtail) ||
	       (k->twin && nm_in_open_arc(s, k->twin->rhead, k->twin->rtail));
}

/* Slot i of kring names buffer idx instead of its own: a swap? buf_lock. */
static bool nm_buf_take(struct nm_kring *kring, const struct nm_priv *priv, u32 i, u32 idx)
{
	struct nm_mem *mem = kring->port->mem;
	u32 mine = kring->bufs[i], loc;

	if (!nm_buf_idx_valid(mem, idx))
		return false;
	loc = mem->bufmap[idx];
	if (!nm_buf_user_held(mem, priv, loc))
		return false;
	if (!(loc & NM_LOC_EXTRA))
		nm_loc_kring(mem, loc)->bufs[loc & (BIT(NM_LOC_SLOT_BITS) - 1)] = mine;
	mem->bufmap[mine] = loc;
	mem->bufmap[idx] = NM_LOC_RING(nm_kring_buf_owner(kring)->ring_idx, i);
	kring->bufs[i] = idx;
	return true;
}

/*
 * The user hands [rhead, head) back: take each slot's buffer as it is
 * recorded, or as a swap the user may make. Called with buf_lock held.
 */
static void nm_ring_commit(struct nm_kring *kring, const struct nm_priv *priv, u32 head)
{
	struct netmap_ring *ring = kring->ring;
	u32 i;

	for (i = kring->rhead; i != head; i = nm_next(i, kring->num_slots)) {
		u32 idx = READ_ONCE(ring->slot[i].buf_idx);

		if (likely(idx == kring->bufs[i]))
			continue;
		if (!nm_buf_take(kring, priv, i, idx))
			kring->bad_slots++;
	}
}

static int nm_ring_bad(struct nm_kring *kring, u32 head, u32 cur)
{
	kring->errors++;
	pr_warn_ratelimited("%s: %s ring %u: bad head %u / cur %u (hwcur %u hwtail %u): ring reset\n",
			    kring->port->name, kring->dir == NM_TX ? "tx" : "rx",
			    kring->id, head, cur, kring->nr_hwcur, kring->nr_hwtail);
	return -EINVAL;
}

/*
 * Check the user's head and cur: head may move forward from 'from' up to
 * tail, cur anywhere from head to tail. On a tx ring 'from' is the head
 * of the last sync (slots before it were handed over already); on an rx
 * ring it is hwcur (the user may release up to tail).
 */
static int nm_ring_prologue(struct nm_kring *kring, const struct nm_priv *priv, u32 from)
{
	struct nm_mem *mem = kring->port->mem;
	struct netmap_ring *ring = kring->ring;
	u32 n = kring->num_slots;
	u32 head = READ_ONCE(ring->head);
	u32 cur = READ_ONCE(ring->cur);

	if (head >= n || cur >= n ||
	    !nm_in_arc(head, from, kring->rtail) ||
	    !nm_in_arc(cur, head, kring->rtail))
		return nm_ring_bad(kring, head, cur);
	/* tail is the kernel's: a user that wrote it gets it back. */
	if (READ_ONCE(ring->tail) != kring->rtail)
		WRITE_ONCE(ring->tail, kring->rtail);
	spin_lock(&mem->buf_lock);
	nm_ring_commit(kring, priv, head);
	kring->rhead = head;
	spin_unlock(&mem->buf_lock);
	kring->rcur = cur;
	return 0;
}

int nm_ring_txsync_prologue(struct nm_kring *kring, struct nm_priv *priv)
{
	return nm_ring_prologue(kring, priv, kring->rhead);
}

int nm_ring_rxsync_prologue(struct nm_kring *kring, struct nm_priv *priv)
{
	return nm_ring_prologue(kring, priv, kring->nr_hwcur);
}

/*
 * Put the user's view back to the kernel's after a bad prologue: head and
 * cur at hwcur, tail at hwtail. Slots are left alone; every path that uses
 * a slot's buffer index or length checks it first.
 */
void nm_ring_reinit(struct nm_kring *kring)
{
	struct nm_mem *mem = kring->port->mem;
	struct netmap_ring *ring = kring->ring;

	spin_lock(&mem->buf_lock);
	kring->rhead = kring->rcur = kring->nr_hwcur;
	kring->rtail = READ_ONCE(kring->nr_hwtail);
	spin_unlock(&mem->buf_lock);
	WRITE_ONCE(ring->head, kring->rhead);
	WRITE_ONCE(ring->cur, kring->rcur);
	WRITE_ONCE(ring->tail, kring->rtail);
}

/*
 * Publish the kernel's progress: slots first, then tail. An rx ring's
 * hwtail may be moved by a peer on another CPU (pipes, the switch): the
 * acquire pairs with the peer's release, so the slots it filled are seen.
 */
void nm_ring_finalize(struct nm_kring *kring)
{
	struct nm_mem *mem = kring->port->mem;
	struct netmap_ring *ring = kring->ring;
	u32 tail = smp_load_acquire(&kring->nr_hwtail);

	spin_lock(&mem->buf_lock);
	kring->rtail = tail;
	spin_unlock(&mem->buf_lock);
	if (READ_ONCE(ring->flags) & NR_TIMESTAMP) {
		struct timespec64 ts;

		ktime_get_real_ts64(&ts);
		ring->ts.tv_sec = ts.tv_sec;
		ring->ts.tv_usec = ts.tv_nsec / NSEC_PER_USEC;
	}
	smp_store_release(&ring->tail, kring->rtail);
}
