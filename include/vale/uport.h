/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switch ports in user space: a vale_port with netmap rings and buffers in
 * ordinary memory, and the sync steps the kernel glue does, so the core
 * and lookup modules can be unit-tested and benchmarked without a kernel.
 */
#ifndef _VALE_UPORT_H
#define _VALE_UPORT_H

#include "../vale.h"

struct uport {
	struct vale_port *vp;
	u8 *bufs;			/* the port's buffer pool */
	u32 nbufs;
	u32 buf_size;			/* bytes per buffer, a multiple of 64 */
	struct netmap_ring **txr, **rxr;
	u32 *tx_hwcur;			/* per tx ring: next slot to forward */
};

struct uport *uport_new(const char *name, u16 ntx, u16 nrx, u32 slots);
/* The same with buffers of buf_size bytes instead of 2048. */
struct uport *uport_new_sized(const char *name, u16 ntx, u16 nrx, u32 slots, u32 buf_size);
void uport_free(struct uport *up);

/* Put one frame at the head of tx ring r; -ENOSPC when the ring is full. */
int uport_send(struct uport *up, u16 r, const void *frame, u16 len);
/* Queue a frame of several slots (NS_MOREFRAG), frag bytes per slot. */
int uport_send_frags(struct uport *up, u16 r, const void *frame, u32 len, u16 frag);
/* Forward what tx ring r holds, like NIOCTXSYNC; returns slots forwarded. */
u32 uport_txsync(struct uport *up, u16 r);
/* Release what was read and see what arrived, like NIOCRXSYNC. */
void uport_rxsync(struct uport *up, u16 r);
/* Slots waiting to be read on rx ring r (after uport_rxsync). */
u32 uport_rx_pending(const struct uport *up, u16 r);
/* Copy out the next frame (all its fragments); returns its length or -1. */
int uport_recv(struct uport *up, u16 r, void *buf, u32 size);
/* Drop everything waiting on every rx ring of the port. */
void uport_drain(struct uport *up);

/* The data of a slot's buffer. */
u8 *uport_buf(const struct uport *up, u32 idx);

#endif /* _VALE_UPORT_H */
