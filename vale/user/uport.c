// SPDX-License-Identifier: GPL-2.0
/*
 * User-space switch ports (include/vale/uport.h). The sync steps mirror
 * the kernel glue: a txsync forwards [hwcur, head) and hands back every
 * slot but one; an rxsync publishes the receiver's head as hwcur and takes
 * hwtail.
 */
#include <vale/uport.h>

#include "../vale.h"

#define UPORT_BUF_SIZE 2048

static struct netmap_ring *uport_ring_new(struct uport *up, u32 slots, u32 *next_buf,
					  int tx)
{
	size_t size = sizeof(struct netmap_ring) + slots * sizeof(struct netmap_slot);
	struct netmap_ring *ring = aligned_alloc(128, (size + 127) & ~(size_t)127);
	u32 i;

	if (!ring)
		return NULL;
	memset(ring, 0, size);
	*(u32 *)&ring->num_slots = slots;
	*(u32 *)&ring->nr_buf_size = up->buf_size;
	*(u16 *)&ring->dir = tx;
	*(s64 *)&ring->buf_ofs = (s64)((intptr_t)up->bufs - (intptr_t)ring);
	for (i = 0; i < slots; i++)
		ring->slot[i].buf_idx = (*next_buf)++;
	ring->tail = tx ? slots - 1 : 0;
	return ring;
}

struct uport *uport_new(const char *name, u16 ntx, u16 nrx, u32 slots)
{
	return uport_new_sized(name, ntx, nrx, slots, UPORT_BUF_SIZE);
}

struct uport *uport_new_sized(const char *name, u16 ntx, u16 nrx, u32 slots, u32 buf_size)
{
	struct uport *up = calloc(1, sizeof(*up));
	u32 i, next_buf = 2;

	if (!up)
		return NULL;
	up->buf_size = buf_size;
	up->nbufs = 2 + (u32)(ntx + nrx) * slots;
	up->bufs = aligned_alloc(64, (size_t)up->nbufs * buf_size);
	up->txr = calloc(ntx, sizeof(*up->txr));
	up->rxr = calloc(nrx, sizeof(*up->rxr));
	up->tx_hwcur = calloc(ntx, sizeof(u32));
	up->vp = vale_port_alloc(name, ntx, slots, nrx, slots);
	if (!up->bufs || !up->txr || !up->rxr || !up->tx_hwcur || !up->vp)
		goto fail;
	memset(up->bufs, 0, (size_t)up->nbufs * buf_size);
	up->vp->buf_base = up->bufs;
	up->vp->buf_size = buf_size;
	up->vp->buf_count = up->nbufs;
	up->vp->owner = up;
	for (i = 0; i < ntx; i++) {
		up->txr[i] = uport_ring_new(up, slots, &next_buf, 1);
		if (!up->txr[i])
			goto fail;
		up->vp->tx[i].ring = up->txr[i];
	}
	for (i = 0; i < nrx; i++) {
		up->rxr[i] = uport_ring_new(up, slots, &next_buf, 0);
		if (!up->rxr[i])
			goto fail;
		vale_rx_ring_init(&up->vp->rx[i], up->rxr[i], slots);
	}
	return up;
fail:
	uport_free(up);
	return NULL;
}

void uport_free(struct uport *up)
{
	u32 i;

	if (!up)
		return;
	if (up->vp) {
		for (i = 0; up->txr && i < up->vp->num_tx_rings; i++)
			free(up->txr[i]);
		for (i = 0; up->rxr && i < up->vp->num_rx_rings; i++)
			free(up->rxr[i]);
		vale_port_free(up->vp);
	}
	free(up->txr);
	free(up->rxr);
	free(up->tx_hwcur);
	free(up->bufs);
	free(up);
}

u8 *uport_buf(const struct uport *up, u32 idx)
{
	return up->bufs + (size_t)idx * up->buf_size;
}

int uport_send_frags(struct uport *up, u16 r, const void *frame, u32 len, u16 frag)
{
	struct netmap_ring *ring = up->txr[r];
	u32 n = ring->num_slots, need = len ? (len + frag - 1) / frag : 1;
	u32 h = ring->head, done = 0, k;

	if (vale_dist(ring->head, ring->tail, n) < need)
		return -ENOSPC;
	for (k = 0; k < need; k++) {
		struct netmap_slot *s = &ring->slot[h];
		u32 chunk = min(len - done, (u32)frag);

		memcpy(uport_buf(up, s->buf_idx), (const u8 *)frame + done, chunk);
		s->len = chunk;
		s->flags = k + 1 < need ? NS_MOREFRAG : 0;
		done += chunk;
		h = vale_next(h, n);
	}
	ring->head = ring->cur = h;
	return 0;
}

int uport_send(struct uport *up, u16 r, const void *frame, u16 len)
{
	return uport_send_frags(up, r, frame, len, up->buf_size);
}

u32 uport_txsync(struct uport *up, u16 r)
{
	struct netmap_ring *ring = up->txr[r];
	u32 n = ring->num_slots, head = ring->head;
	u32 cur = up->tx_hwcur[r], start = cur, next;

	while (cur != head) {
		next = vale_forward(up->vp, r, cur, head);
		if (next == cur)
			break;		/* an incomplete packet waits */
		cur = next;
	}
	up->tx_hwcur[r] = cur;
	ring->tail = vale_prev(cur, n);
	return vale_dist(start, cur, n);
}

void uport_rxsync(struct uport *up, u16 r)
{
	struct vale_rx_ring *rx = &up->vp->rx[r];

	smp_store_release(&rx->hwcur, rx->ring->head);
	rx->ring->tail = smp_load_acquire(&rx->hwtail);
}

u32 uport_rx_pending(const struct uport *up, u16 r)
{
	const struct netmap_ring *ring = up->rxr[r];

	return vale_dist(ring->head, ring->tail, ring->num_slots);
}

int uport_recv(struct uport *up, u16 r, void *buf, u32 size)
{
	struct netmap_ring *ring = up->rxr[r];
	u32 n = ring->num_slots, h = ring->head, got = 0;
	u16 flags;

	if (h == ring->tail)
		return -1;
	do {
		const struct netmap_slot *s = &ring->slot[h];
		u32 chunk = min((u32)s->len, size - got);

		memcpy((u8 *)buf + got, uport_buf(up, s->buf_idx), chunk);
		got += chunk;
		flags = s->flags;
		h = vale_next(h, n);
	} while ((flags & NS_MOREFRAG) && h != ring->tail);
	ring->head = ring->cur = h;
	return (int)got;
}

void uport_drain(struct uport *up)
{
	u32 r;

	for (r = 0; r < up->vp->num_rx_rings; r++) {
		uport_rxsync(up, r);
		up->rxr[r]->head = up->rxr[r]->cur = up->rxr[r]->tail;
		uport_rxsync(up, r);
	}
}

void *uport_lookup_priv(struct vale_switch *sw)
{
	struct vale_lookup_inst *li = vale_deref_ctl(sw->lookup, &vale_lock);

	return li ? li->priv : NULL;
}
