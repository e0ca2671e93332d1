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
static int nm_ring_prologue(struct nm_kring *kring, u32 from)
{
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
	kring->rhead = head;
	kring->rcur = cur;
	return 0;
}

int nm_ring_txsync_prologue(struct nm_kring *kring)
{
	return nm_ring_prologue(kring, kring->rhead);
}

int nm_ring_rxsync_prologue(struct nm_kring *kring)
{
	return nm_ring_prologue(kring, kring->nr_hwcur);
}

/*
 * Put the user's view back to the kernel's after a bad prologue: head and
 * cur at hwcur, tail at hwtail. Slots are left alone; every path that uses
 * a slot's buffer index or length checks it first.
 */
void nm_ring_reinit(struct nm_kring *kring)
{
	struct netmap_ring *ring = kring->ring;

	kring->rhead = kring->rcur = kring->nr_hwcur;
	kring->rtail = READ_ONCE(kring->nr_hwtail);
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

	kring->rtail = smp_load_acquire(&kring->nr_hwtail);
	if (READ_ONCE(ring->flags) & NR_TIMESTAMP) {
		struct timespec64 ts;

		ktime_get_real_ts64(&ts);
		ring->ts.tv_sec = ts.tv_sec;
		ring->ts.tv_usec = ts.tv_nsec / NSEC_PER_USEC;
	}
	smp_store_release(&ring->tail, kring->rtail);
}
