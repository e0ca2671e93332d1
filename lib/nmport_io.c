// SPDX-License-Identifier: BSD-2-Clause
/*
 * Small conveniences for moving packets: a copying inject and the sync
 * ioctls.  Fast paths should work on the rings directly.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "nmport.h"

/* Queue len bytes at the head of ring r, which must have room for them. */
static void put_frame(struct netmap_ring *r, const char *src, size_t len,
		      unsigned int nslots)
{
	uint32_t head = r->head;
	unsigned int i;

	for (i = 0; i < nslots; i++) {
		struct netmap_slot *s = &r->slot[head];
		size_t n = len < r->nr_buf_size ? len : r->nr_buf_size;

		memcpy(NETMAP_BUF(r, s->buf_idx), src, n);
		s->len = (uint16_t)n;
		s->flags = i + 1 < nslots ? NS_MOREFRAG : 0;
		src += n;
		len -= n;
		head = nm_ring_next(r, head);
	}
	/*
	 * head moves after the slots are written: the kernel may read them
	 * as soon as it sees the new head.
	 */
	__atomic_thread_fence(__ATOMIC_RELEASE);
	r->head = r->cur = head;
}

int nmport_inject(struct nmport *p, const void *buf, size_t len)
{
	int n = p->last_tx_ring - p->first_tx_ring + 1;
	int i, ri = p->cur_tx_ring;

	for (i = 0; i < n; i++, ri++) {
		struct netmap_ring *r;
		unsigned int nslots;

		if (ri > p->last_tx_ring)
			ri = p->first_tx_ring;
		r = nmport_txring(p, ri);
		/* a zero-length packet still takes a slot */
		nslots = len ? (unsigned int)((len + r->nr_buf_size - 1) /
					      r->nr_buf_size) : 1;
		if (nslots > NETMAP_MAX_FRAGS || nslots > r->num_slots - 1)
			return 0;
		if (nm_ring_space(r) < nslots)
			continue;
		put_frame(r, buf, len, nslots);
		p->cur_tx_ring = ri;
		return 1;
	}
	return 0;
}

int nmport_txsync(struct nmport *p)
{
	return ioctl(p->fd, NIOCTXSYNC, NULL);
}

int nmport_rxsync(struct nmport *p)
{
	return ioctl(p->fd, NIOCRXSYNC, NULL);
}
