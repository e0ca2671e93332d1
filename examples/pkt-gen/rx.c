// SPDX-License-Identifier: BSD-2-Clause
/*
 * One pass over an rx ring, and the -C checks.  Frames spanning several
 * slots (NS_MOREFRAG) count once, with the length of all their slots; they
 * are copied together only when something needs to look at them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pktgen.h"

#define MAX_ERR_MSGS	10

static void rx_error(struct pg_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Count an error; describe the first few so a failing run says why. */
static void rx_error(struct pg_thread *t, const char *fmt, ...)
{
	va_list ap;

	pg_add(&t->rx.errors, 1);
	if (t->rxs.err_msgs > MAX_ERR_MSGS)
		return;
	if (t->rxs.err_msgs++ == MAX_ERR_MSGS) {
		fprintf(stderr, "pkt-gen: thread %u: further errors not shown\n",
			t->id);
		return;
	}
	fprintf(stderr, "pkt-gen: thread %u: after %llu frames: ", t->id,
		(unsigned long long)pg_get(&t->rx.pkts));
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static struct pg_stream *find_stream(struct pg_rxstate *s,
				     const struct pg_frame_info *fi)
{
	unsigned int i;

	for (i = 0; i < s->nstreams; i++)
		if (s->streams[i].stream == fi->stream &&
		    s->streams[i].run == fi->run)
			return &s->streams[i];
	if (s->nstreams == PG_MAX_STREAMS)
		return NULL;
	s->streams[s->nstreams] = (struct pg_stream){
		.run = fi->run, .stream = fi->stream, .next_seq = 0,
	};
	return &s->streams[s->nstreams++];
}

/*
 * -C: the frame must be ours, intact, and next in its stream.  A gap is
 * counted as lost (switches may drop under load), going backwards is an
 * error (duplicate or reordering within one ring).  One error per frame
 * at most; a frame with a bad payload but sane headers still moves its
 * stream on, so that one corrupt frame does not also look like a loss.
 */
static void check_frame(struct pg_thread *t, const uint8_t *f,
			unsigned int len)
{
	struct pg_frame_info fi;
	struct pg_stream *st;
	const char *why;
	int32_t d;
	int rc;

	rc = pg_frame_parse(f, len, true, &fi, &why);
	if (rc < 0)
		rx_error(t, "%s (length %u)", why, len);
	if (rc == -1)
		return;		/* not even the sequence number is usable */
	st = find_stream(&t->rxs, &fi);
	if (!st)
		return;
	/* signed distance, so that the 32-bit sequence may wrap */
	d = (int32_t)(fi.seq - st->next_seq);
	if (d < 0) {
		if (rc == 0)
			rx_error(t, "stream %u sequence %u after %u (duplicate "
				 "or reordered)", fi.stream, fi.seq,
				 st->next_seq - 1);
		return;
	}
	if (d > 0)
		pg_add(&t->rx.lost, (uint64_t)d);
	st->next_seq = fi.seq + 1;
}

/* What to do with one whole frame; returns 1 if it counts as received. */
static int rx_frame(struct pg_thread *t, const uint8_t *f, unsigned int len)
{
	if (t->on_frame)
		return t->on_frame(t, f, len);
	if (t->run->cfg.check)
		check_frame(t, f, len);
	return 1;
}

unsigned int pg_rx_ring(struct pg_thread *t, struct netmap_ring *r,
			unsigned int budget)
{
	struct pg_rxstate *s = &t->rxs;
	bool look = t->on_frame || t->run->cfg.check;
	uint32_t head = r->head, tail = r->tail;
	unsigned int n = 0;
	uint64_t bytes = 0;

	/* the slots up to tail are ours only once we have read tail */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	while (head != tail && n < budget) {
		struct netmap_slot *sl = &r->slot[head];
		const uint8_t *buf = (const uint8_t *)NETMAP_BUF(r, sl->buf_idx);
		unsigned int len = sl->len;
		const uint8_t *frame;

		head = nm_ring_next(r, head);
		if (len > r->nr_buf_size) {
			rx_error(t, "slot length %u exceeds the buffer size %u",
				 len, r->nr_buf_size);
			len = r->nr_buf_size;
		}
		if (!(sl->flags & NS_MOREFRAG) && !s->frag_len) {
			frame = buf;	/* the common case: one slot */
		} else {
			if (look && s->frag_len + len <= PG_SCRATCH_LEN)
				memcpy(t->scratch + s->frag_len, buf, len);
			else if (look)
				s->frag_overflow = true;
			s->frag_len += len;
			if (sl->flags & NS_MOREFRAG)
				continue;
			frame = t->scratch;
			len = s->frag_len;
			s->frag_len = 0;
			if (s->frag_overflow) {
				s->frag_overflow = false;
				rx_error(t, "multi-slot frame of %u bytes too long",
					 len);
				look = false;
			}
		}
		if (look ? rx_frame(t, frame, len) : 1) {
			n++;
			bytes += len;
		}
		look = t->on_frame || t->run->cfg.check;
	}
	r->head = r->cur = head;
	if (n)
		pg_stats_add(&t->rx, n, bytes, pg_now_ns());
	return n;
}
