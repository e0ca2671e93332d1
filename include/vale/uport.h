/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user-space test harness of the VALE switch: switch ports whose netmap
 * rings and buffers are ordinary memory, and the sync steps the kernel glue
 * does, on the switch core built as a user-space library. A lookup module
 * is unit-tested (and benchmarked) with it without a kernel: register the
 * module, make a switch, attach uports, set the module, send frames and see
 * where they land.
 *
 *	vale_core_init();
 *	vale_lookup_register(&hello_ops);
 *	vale_core_lock();
 *	vale_switch_create("vale0", &sw);
 *	p0 = uport_new("p0", 1, 1, 64);
 *	vale_port_attach(sw, p0->vp);
 *	vale_switch_set_lookup(sw, "hello");
 *	vale_core_unlock();
 *	uport_send(p0, 0, frame, len);
 *	uport_txsync(p0, 0);		// the switch forwards here
 *	uport_rxsync(p1, 0);
 *	n = uport_rx_pending(p1, 0);
 *
 * Link with the core's user-space build: in the tree, the sources of
 * VALE_SRCS (vale/vale.mk); out of it, the library that `make
 * install-headers` installs (pkg-config vale-module: cflags and libs).
 *
 * Self-contained on purpose: it declares the few calls of the core that a
 * test needs. The tree's own tests, which look inside the core, include
 * vale/vale.h as well (the declarations are the same).
 */
#ifndef _VALE_UPORT_H
#define _VALE_UPORT_H

#include <stdint.h>

#include <net/netmap.h>		/* struct netmap_ring, netmap_slot */
#include <vale/lookup.h>	/* struct vale_lookup_ops */

struct vale_switch;
struct vale_port;

/* ---- the core (vale/vale.h declares the same) ---- */

/* Once per process, before anything else; vale_core_exit() at the end. */
int vale_core_init(void);
void vale_core_exit(void);
/* Switches, their ports and their modules change under this lock only. */
void vale_core_lock(void);
void vale_core_unlock(void);
/* Make switch "valeX" (core lock held); 0 or -errno. */
int vale_switch_create(const char *name, struct vale_switch **swp);
/* Give it a registered module by name (core lock held). */
int vale_switch_set_lookup(struct vale_switch *sw, const char *name);
/* Ports join and leave (core lock held); the last to leave takes the switch. */
int vale_port_attach(struct vale_switch *sw, struct vale_port *port);
void vale_port_detach(struct vale_port *port);

/* ---- the harness (vale/user/uport.c) ---- */

struct uport {
	struct vale_port *vp;		/* the switch's side, for vale_port_attach() */
	uint8_t *bufs;			/* the port's buffer pool */
	uint32_t nbufs;
	uint32_t buf_size;		/* bytes per buffer, a multiple of 64 */
	struct netmap_ring **txr, **rxr;
	uint32_t *tx_hwcur;		/* per tx ring: next slot to forward */
};

/* A port with ntx tx and nrx rx rings of slots slots, 2048-byte buffers. */
struct uport *uport_new(const char *name, uint16_t ntx, uint16_t nrx, uint32_t slots);
/* The same with buffers of buf_size bytes instead of 2048. */
struct uport *uport_new_sized(const char *name, uint16_t ntx, uint16_t nrx, uint32_t slots,
			      uint32_t buf_size);
/* Free a port that is not attached (any more). */
void uport_free(struct uport *up);

/* Put one frame at the head of tx ring r; -ENOSPC when the ring is full. */
int uport_send(struct uport *up, uint16_t r, const void *frame, uint16_t len);
/* Queue a frame of several slots (NS_MOREFRAG), frag bytes per slot. */
int uport_send_frags(struct uport *up, uint16_t r, const void *frame, uint32_t len,
		     uint16_t frag);
/* Forward what tx ring r holds, like NIOCTXSYNC; returns slots forwarded. */
uint32_t uport_txsync(struct uport *up, uint16_t r);
/* Release what was read and see what arrived, like NIOCRXSYNC. */
void uport_rxsync(struct uport *up, uint16_t r);
/* Slots waiting to be read on rx ring r (after uport_rxsync). */
uint32_t uport_rx_pending(const struct uport *up, uint16_t r);
/* Copy out the next frame (all its fragments); returns its length or -1. */
int uport_recv(struct uport *up, uint16_t r, void *buf, uint32_t size);
/* Drop everything waiting on every rx ring of the port. */
void uport_drain(struct uport *up);

/* The data of a slot's buffer. */
uint8_t *uport_buf(const struct uport *up, uint32_t idx);

/*
 * The per-switch state of the module the switch runs (what its .create
 * put in *priv), or NULL: so that a test can call the module's own
 * functions on it, such as what its kernel-only .config would do. Core
 * lock held, or no module change running.
 */
void *uport_lookup_priv(struct vale_switch *sw);

#endif /* _VALE_UPORT_H */
