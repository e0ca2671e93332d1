// SPDX-License-Identifier: BSD-2-Clause
/*
 * Round-trip latency.  ping sends one frame, notes the time and waits for
 * the same frame (run id, stream, sequence) to come back; pong returns
 * every frame it receives with the MAC addresses swapped.  One frame in
 * flight at a time, so the time is the round trip and not queueing.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pktgen.h"

#define PING_TIMEOUT_NS	1000000000ull	/* a frame not back by then is lost */

/* rx callback: is this the echo we are waiting for? */
static int ping_on_frame(struct pg_thread *t, const uint8_t *f,
			 unsigned int len)
{
	struct pg_frame_info fi;
	const char *why;

	if (pg_frame_parse(f, len, t->run->cfg.check, &fi, &why) < 0) {
		if (t->run->cfg.check)
			pg_add(&t->rx.errors, 1);
		return 0;
	}
	if (fi.run != t->run->run_id || fi.stream != t->id ||
	    fi.seq != t->ping_seq)
		return 0;	/* someone else's, or a late echo */
	t->ping_answered = true;
	return 1;
}

/* Wait until the first tx ring can take a frame. */
static int ping_tx_room(struct pg_thread *t, struct netmap_ring *r)
{
	while (nm_ring_space(r) < t->nfrags) {
		if (pg_stop)
			return 0;
		if (pg_wait(t, POLLOUT, 100) < 0)
			return -1;
	}
	return 1;
}

void *pg_ping_body(void *arg)
{
	struct pg_thread *t = arg;
	const struct nmport *p = t->port;
	struct netmap_ring *txr = nmport_txring(p, p->first_tx_ring);
	uint64_t sent_ns, now;
	int i, rc;

	t->on_frame = ping_on_frame;
	while (!pg_stop && t->quota) {
		rc = ping_tx_room(t, txr);
		if (rc <= 0) {
			t->failed = rc < 0;
			break;
		}
		t->ping_seq = t->seq;
		t->ping_answered = false;
		pg_tx_ring(t, 0, txr, 1);
		sent_ns = pg_now_ns();
		if (ioctl(p->fd, NIOCTXSYNC, NULL) < 0) {
			fprintf(stderr, "pkt-gen: thread %u: NIOCTXSYNC: %s\n",
				t->id, strerror(errno));
			t->failed = true;
			break;
		}
		for (;;) {
			now = pg_now_ns();
			if (now - sent_ns > PING_TIMEOUT_NS) {
				pg_add(&t->rx.lost, 1);
				break;
			}
			if (pg_stop)
				break;
			if (pg_wait(t, POLLIN, 10) < 0) {
				t->failed = true;
				goto out;
			}
			for (i = p->first_rx_ring; i <= p->last_rx_ring; i++)
				pg_rx_ring(t, nmport_rxring(p, i), ~0u);
			if (t->ping_answered) {
				pg_hist_add(t->hist, pg_now_ns() - sent_ns);
				break;
			}
		}
		if (t->quota != UINT64_MAX)
			t->quota--;
	}
out:
	pg_thread_done(t);
	return NULL;
}

/*
 * Slots taken by the frame starting at rx slot i, or 0 if its last
 * fragment has not arrived yet.
 */
static unsigned int frame_slots(const struct netmap_ring *r, uint32_t i,
				uint32_t tail)
{
	unsigned int n = 1;

	while (r->slot[i].flags & NS_MOREFRAG) {
		i = nm_ring_next((struct netmap_ring *)r, i);
		if (i == tail)
			return 0;
		n++;
	}
	return n;
}

static void swap_macs(uint8_t *f, unsigned int len)
{
	uint8_t tmp[6];

	if (len < 12)
		return;
	memcpy(tmp, f, 6);
	memcpy(f, f + 6, 6);
	memcpy(f + 6, tmp, 6);
}

/*
 * Echo whole frames from rx to tx while both allow; copies rather than
 * swapping buffers, which costs nothing at ping rates and keeps the rx
 * ring's buffers where the kernel put them.
 */
static unsigned int pong_ring(struct pg_thread *t, struct netmap_ring *rx,
			      struct netmap_ring *tx, uint64_t budget)
{
	uint32_t rh = rx->head, rt = rx->tail, th = tx->head;
	unsigned int space = nm_ring_space(tx), n = 0, k, len;
	uint64_t bytes = 0;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (rh != rt && n < budget) {
		unsigned int nslots = frame_slots(rx, rh, rt);

		if (!nslots || nslots > space)
			break;
		for (k = 0; k < nslots; k++) {
			struct netmap_slot *rs = &rx->slot[rh];
			struct netmap_slot *ts = &tx->slot[th];
			uint8_t *dst = (uint8_t *)NETMAP_BUF(tx, ts->buf_idx);

			len = rs->len <= tx->nr_buf_size ? rs->len : tx->nr_buf_size;
			memcpy(dst, NETMAP_BUF(rx, rs->buf_idx), len);
			if (k == 0)
				swap_macs(dst, len);
			ts->len = (uint16_t)len;
			ts->flags = rs->flags & NS_MOREFRAG;
			bytes += len;
			rh = nm_ring_next(rx, rh);
			th = nm_ring_next(tx, th);
		}
		space -= nslots;
		n++;
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rx->head = rx->cur = rh;
	tx->head = tx->cur = th;
	if (n)
		pg_stats_add(&t->rx, n, bytes, pg_now_ns());
	return n;
}

void *pg_pong_body(void *arg)
{
	struct pg_thread *t = arg;
	const struct nmport *p = t->port;
	const uint64_t count = t->run->cfg.count;
	uint64_t left = UINT64_MAX;
	unsigned int n, moved;
	short events = POLLIN;
	int i, ti;

	while (!pg_stop) {
		/* -n counts the frames echoed by all threads together */
		if (count) {
			uint64_t done = pg_get(&t->run->rx_total);

			if (done >= count)
				break;
			left = count - done;
		}
		if (pg_wait(t, events, 100) < 0) {
			t->failed = true;
			break;
		}
		moved = 0;
		events = POLLIN;
		for (i = p->first_rx_ring; i <= p->last_rx_ring && left; i++) {
			struct netmap_ring *rx = nmport_rxring(p, i);

			/* answer on the tx ring paired with this rx ring */
			ti = p->first_tx_ring + (i - p->first_rx_ring);
			if (ti > p->last_tx_ring)
				ti = p->first_tx_ring;
			n = pong_ring(t, rx, nmport_txring(p, ti), left);
			moved += n;
			left -= n;
			/* frames left behind: wait for tx room as well */
			if (!nm_ring_empty(rx))
				events = POLLIN | POLLOUT;
		}
		if (moved)
			__atomic_add_fetch(&t->run->rx_total, moved,
					   __ATOMIC_RELAXED);
		if (moved && ioctl(p->fd, NIOCTXSYNC, NULL) < 0) {
			fprintf(stderr, "pkt-gen: thread %u: NIOCTXSYNC: %s\n",
				t->id, strerror(errno));
			t->failed = true;
			break;
		}
	}
	if (count && pg_get(&t->run->rx_total) >= count)
		pg_stop = 1;	/* the other threads are done too */
	if (pg_tx_flush(t) < 0)
		t->failed = true;
	pg_thread_done(t);
	return NULL;
}
