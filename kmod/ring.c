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
 * nm_mem.buf_lock serialises the swaps (bufmap, and the records they
 * trade); each kring's arc_lock guards its user's arc [rhead, rtail) and
 * the record of the slots on it, so a swap never races with the ring's
 * owner moving the arc. The owner's sync takes only its own arc_lock,
 * and moves head off the arc before it reads the slots it got back, so
 * the data path never waits on the region-wide lock: it takes buf_lock
 * only for a slot whose index is not the recorded one.
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

static struct nm_kring *nm_loc_kring(struct nm_mem *mem, u32 loc)
{
	return mem->ring_kring[(loc >> NM_LOC_SLOT_BITS) - 1];
}

/*
 * If slot s of k is on k's user's arc, record buffer mine there in place
 * of the one taken, and return true. A pipe's slot may be on its twin's
 * arc instead (one record for both). buf_lock held; takes the arc's lock.
 */
static bool nm_arc_trade_one(struct nm_kring *k, u32 s, u32 mine)
{
	bool held;

	spin_lock(&k->arc_lock);
	held = nm_in_open_arc(s, k->rhead, k->rtail);
	if (held)
		k->bufs[s] = mine;
	spin_unlock(&k->arc_lock);
	return held;
}

static bool nm_arc_trade(struct nm_kring *k, u32 s, u32 mine)
{
	return nm_arc_trade_one(k, s, mine) ||
	       (k->twin && nm_arc_trade_one(k->twin, s, mine));
}

/*
 * Slot i of kring, no longer on its user's arc, names buffer idx instead
 * of its own: a swap, if the user of priv holds idx: one of its own extra
 * buffers, or a user-owned slot of a ring of the region. buf_lock held.
 */
static bool nm_buf_take(struct nm_kring *kring, const struct nm_priv *priv, u32 i, u32 idx)
{
	struct nm_mem *mem = kring->port->mem;
	u32 mine = kring->bufs[i], loc;
	struct nm_kring *k;

	if (!nm_buf_idx_valid(mem, idx))
		return false;
	loc = mem->bufmap[idx];
	if (loc & NM_LOC_EXTRA) {
		if (!priv || loc != NM_LOC_FILE(priv->if_idx))
			return false;
	} else {
		if (!loc)
			return false;	/* free, or reserved */
		k = nm_loc_kring(mem, loc);
		if (!k || !nm_arc_trade(k, loc & (BIT(NM_LOC_SLOT_BITS) - 1), mine))
			return false;
	}
	mem->bufmap[mine] = loc;
	mem->bufmap[idx] = NM_LOC_RING(nm_kring_buf_owner(kring)->ring_idx, i);
	kring->bufs[i] = idx;
	return true;
}

/*
 * The user handed [from, head) back and they are off its arc: take each
 * slot's buffer as it is recorded or, rarely, as a swap the user made.
 */
static void nm_ring_commit(struct nm_kring *kring, const struct nm_priv *priv,
			   u32 from, u32 head)
{
	struct nm_mem *mem = kring->port->mem;
	struct netmap_ring *ring = kring->ring;
	u32 i;

	for (i = from; i != head; i = nm_next(i, kring->num_slots)) {
		u32 idx = READ_ONCE(ring->slot[i].buf_idx);

		if (likely(idx == kring->bufs[i]))
			continue;
		spin_lock(&mem->buf_lock);
		if (!nm_buf_take(kring, priv, i, idx))
			kring->bad_slots++;
		spin_unlock(&mem->buf_lock);
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
	struct netmap_ring *ring = kring->ring;
	u32 n = kring->num_slots;
	u32 head = READ_ONCE(ring->head);
	u32 cur = READ_ONCE(ring->cur);
	u32 handed;

	if (head >= n || cur >= n ||
	    !nm_in_arc(head, from, kring->rtail) ||
	    !nm_in_arc(cur, head, kring->rtail))
		return nm_ring_bad(kring, head, cur);
	/* tail is the kernel's: a user that wrote it gets it back. */
	if (READ_ONCE(ring->tail) != kring->rtail)
		WRITE_ONCE(ring->tail, kring->rtail);
	/* Off the arc first, so that nobody swaps them while we look. */
	spin_lock(&kring->arc_lock);
	handed = kring->rhead;
	kring->rhead = head;
	spin_unlock(&kring->arc_lock);
	nm_ring_commit(kring, priv, handed, head);
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
	struct netmap_ring *ring = kring->ring;

	spin_lock(&kring->arc_lock);
	kring->rhead = kring->rcur = kring->nr_hwcur;
	kring->rtail = READ_ONCE(kring->nr_hwtail);
	spin_unlock(&kring->arc_lock);
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
	struct netmap_ring *ring = kring->ring;
	u32 tail = smp_load_acquire(&kring->nr_hwtail);

	spin_lock(&kring->arc_lock);
	kring->rtail = tail;
	spin_unlock(&kring->arc_lock);
	if (READ_ONCE(ring->flags) & NR_TIMESTAMP) {
		struct timespec64 ts;

		ktime_get_real_ts64(&ts);
		ring->ts.tv_sec = ts.tv_sec;
		ring->ts.tv_usec = ts.tv_nsec / NSEC_PER_USEC;
	}
	smp_store_release(&ring->tail, kring->rtail);
}
