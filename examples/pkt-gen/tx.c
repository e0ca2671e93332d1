// SPDX-License-Identifier: BSD-2-Clause
/*
 * One pass over a tx ring: build frames straight into the free slots.
 * Frames are rebuilt every time rather than left in place, because on
 * pipes the kernel swaps buffers and a slot rarely gets its old one back.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
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

/* Queue up to budget frames on r; returns how many. */
unsigned int pg_tx_ring(struct pg_thread *t, struct netmap_ring *r,
			unsigned int budget)
{
	const struct pg_config *cfg = &t->run->cfg;
	const struct pg_tmpl *tm = &t->run->tmpl;
	unsigned int len = tm->len, sent = 0;
	uint32_t head = r->head, space = nm_ring_space(r);
	struct pg_frame_info fi = {
		.stream = (uint16_t)t->id,
		.run = t->run->run_id,
	};

	while (sent < budget && space >= t->nfrags) {
		fi.seq = t->seq++;
		if (t->nfrags == 1) {
			struct netmap_slot *s = &r->slot[head];

			pg_frame_build(tm, (uint8_t *)NETMAP_BUF(r, s->buf_idx),
				       &t->flow, &fi);
			s->len = (uint16_t)len;
			s->flags = 0;
			head = nm_ring_next(r, head);
		} else {
			pg_frame_build(tm, t->scratch, &t->flow, &fi);
			head = put_frags(r, head, t->scratch, len);
		}
		pg_flow_next(&t->flow, cfg);
		space -= t->nfrags;
		sent++;
	}
	if (sent) {
		/* slots first, then the index that hands them over */
		__atomic_thread_fence(__ATOMIC_RELEASE);
		r->head = r->cur = head;
		pg_stats_add(&t->tx, sent, (uint64_t)sent * len, pg_now_ns());
	}
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
