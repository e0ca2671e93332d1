// SPDX-License-Identifier: BSD-2-Clause
/*
 * One pass over a tx ring: put the next frames in the free slots.
 *
 * Each slot's buffer is written whole only when it may not hold one of
 * this thread's frames: the first time, and whenever the kernel gave the
 * slot another buffer (its index is not the one written last, or
 * NS_BUF_CHANGED is set), which on a pipe that swaps buffers is every
 * time.  Otherwise (a VALE port copies out of the buffer and leaves it
 * where it is) the frame left there is turned into the next one in place:
 * sequence number, the pattern words that carry it, and the addresses
 * when there are several flows (pg_frame_stamp).  Whole frames are copied
 * from the thread's image of its frame.  Frames of several slots are
 * always written whole.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pktgen.h"

/* Slots a frame of len bytes takes in rings of the thread's port. */
int pg_frags_for(const struct pg_thread *t, unsigned int len)
{
	const struct nmport *p = t->port;
	const struct netmap_ring *r;
	unsigned int bs;

	r = p->last_tx_ring >= p->first_tx_ring ?
		nmport_txring(p, p->first_tx_ring) :
		nmport_rxring(p, p->first_rx_ring);
	bs = r->nr_buf_size;
	return (int)((len + bs - 1) / bs);
}

/*
 * The tx state of a thread whose port is open and nfrags known: its frame
 * image (its first flow, sequence number 0) and the per-slot record of
 * what is in the buffers, empty.  0 or -1 (out of memory).
 */
int pg_tx_setup(struct pg_thread *t)
{
	const struct nmport *p = t->port;
	const struct pg_run *run = t->run;
	struct pg_frame_info fi = {
		.stream = (uint16_t)t->id, .run = run->run_id, .seq = 0,
	};
	size_t i, n;

	t->multiflow = pg_multiflow(&run->cfg);
	t->image = malloc(run->tmpl.len);
	t->tx_slots = nmport_txring(p, p->first_tx_ring)->num_slots;
	n = (size_t)(p->last_tx_ring - p->first_tx_ring + 1) * t->tx_slots;
	t->tx_held = malloc(n * sizeof(*t->tx_held));
	if (!t->image || !t->tx_held)
		return -1;
	for (i = 0; i < n; i++)
		t->tx_held[i] = PG_NO_BUF;
	pg_frame_build(&run->tmpl, t->image, &t->flow, &fi);
	return 0;
}

/* Spread a frame over consecutive slots from head; returns the new head. */
static uint32_t put_frags(struct netmap_ring *r, uint32_t head,
			  const uint8_t *src, unsigned int len)
{
	unsigned int bs = r->nr_buf_size;

	for (;;) {
		struct netmap_slot *s = &r->slot[head];
		unsigned int n = len < bs ? len : bs;

		memcpy(NETMAP_BUF(r, s->buf_idx), src, n);
		s->len = (uint16_t)n;
		len -= n;
		src += n;
		s->flags = len ? NS_MOREFRAG : 0;
		head = nm_ring_next(r, head);
		if (!len)
			return head;
	}
}

/*
 * Queue up to budget frames on r, the thread's tx ring rk (0 = its first
 * bound one); returns how many.  When the ring has no room left for the
 * budget, cur goes to tail: "wake me when there is more room" for poll(),
 * so that a sender does not come back for every slot that frees up.
 */
unsigned int pg_tx_ring(struct pg_thread *t, unsigned int rk,
			struct netmap_ring *r, unsigned int budget)
{
	const struct pg_config *cfg = &t->run->cfg;
	const struct pg_tmpl *tm = &t->run->tmpl;
	const struct pg_flow *ff = t->multiflow ? &t->flow : NULL;
	uint32_t *held = t->tx_held + (size_t)rk * t->tx_slots;
	unsigned int len = tm->len, sent = 0, built = 0;
	uint32_t head = r->head, space = nm_ring_space(r);
	struct pg_frame_info fi = {
		.stream = (uint16_t)t->id,
		.run = t->run->run_id,
	};

	while (sent < budget && space >= t->nfrags) {
		fi.seq = t->seq++;
		if (t->nfrags == 1) {
			struct netmap_slot *s = &r->slot[head];
			uint32_t idx = s->buf_idx;
			uint8_t *buf = (uint8_t *)NETMAP_BUF(r, idx);

			if (idx != held[head] || (s->flags & NS_BUF_CHANGED)) {
				memcpy(buf, t->image, len);
				held[head] = idx;
				built++;
			}
			pg_frame_stamp(tm, buf, ff, &fi);
			s->len = (uint16_t)len;
			s->flags = 0;
			head = nm_ring_next(r, head);
		} else {
			pg_frame_build(tm, t->scratch, &t->flow, &fi);
			head = put_frags(r, head, t->scratch, len);
			built++;
		}
		if (ff)
			pg_flow_next(&t->flow, cfg);
		space -= t->nfrags;
		sent++;
	}
	if (sent) {
		/* slots first, then the index that hands them over */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r->head = r->cur = head;
		pg_stats_add(&t->tx, sent, (uint64_t)sent * len, pg_now_ns());
		t->tx_built += built;
	}
	if (sent < budget)
		r->cur = r->tail;
	return sent;
}

static bool tx_pending(const struct nmport *p)
{
	int i;

	for (i = p->first_tx_ring; i <= p->last_tx_ring; i++)
		if (nm_tx_pending(nmport_txring(p, i)))
			return true;
	return false;
}

/*
 * Push out what is queued and wait (up to a second) for the kernel to
 * complete it, so that the measured time covers the last frames.  A
 * receiver that stopped early can leave frames pending forever; that is
 * reported in verbose mode only, since the frames were counted as sent.
 */
int pg_tx_flush(struct pg_thread *t)
{
	uint64_t deadline = pg_now_ns() + 1000000000ull;

	for (;;) {
		if (ioctl(t->port->fd, NIOCTXSYNC, NULL) < 0) {
			fprintf(stderr, "pkt-gen: thread %u: NIOCTXSYNC: %s\n",
				t->id, strerror(errno));
			return -1;
		}
		if (!tx_pending(t->port))
			return 0;
		if (pg_now_ns() > deadline) {
			if (t->run->cfg.verbose)
				fprintf(stderr, "pkt-gen: thread %u: tx not drained "
					"after 1 s\n", t->id);
			return 0;
		}
		poll(NULL, 0, 1);
	}
}
