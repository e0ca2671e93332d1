/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * nmport.h - libnmport, a small library to open netmap ports.
 *
 *	char err[256];
 *	struct nmport *p = nmport_open("netmap:eth0-1", err, sizeof(err));
 *	if (!p)
 *		errx(1, "%s", err);
 *	for (i = p->first_tx_ring; i <= p->last_tx_ring; i++)
 *		... nmport_txring(p, i) ...
 *	nmport_close(p);
 *
 * Port specs (same grammar as netmap's libnetmap):
 *
 *	[netmap:]NAME[RINGS][/FLAGS][@MEMID]
 *	valeSW:PORT[RINGS][/FLAGS][@MEMID]
 *
 * NAME is an interface name made of letters, digits and '_', optionally
 * followed by "{ID" (pipe master end) or "}ID" (pipe slave end); VALE
 * ports keep their "valeSW:" part in the name passed to the kernel.
 * RINGS:  (none) all hardware rings    -N  hardware ring pair N
 *         ^      all host rings        ^N  host ring pair N
 *         *      hardware and host rings
 * FLAGS:  x exclusive, R rx rings only, T tx rings only,
 *         t/r monitor the tx/rx side, z zero-copy monitor.
 * MEMID:  a positive memory region id.
 *
 * Errors: functions returning a pointer return NULL, those returning an
 * int return -1; errno is set and, when the caller passed a buffer, a
 * one-line message naming the offending part of the spec is written to it.
 */
#ifndef NMPORT_H
#define NMPORT_H

#include <stddef.h>
#include <stdint.h>
#include <net/netmap_user.h>

/*
 * Geometry wanted for the port, passed in the REGISTER request.  Zeroes
 * leave the choice to the kernel.  Ring and slot counts only matter for
 * ports created on the fly (pipes, VALE ports); hardware ports keep theirs.
 */
struct nmport_opts {
	uint16_t tx_rings;
	uint16_t rx_rings;
	uint32_t tx_slots;
	uint32_t rx_slots;
	uint32_t extra_bufs;	/* buffers wanted on nifp->ni_bufs_head */
	uint64_t flags;		/* NR_* flags added to those of the spec */
	/*
	 * Replace the ring selection of the spec (mode != 0): e.g. one
	 * thread per ring opens NR_REG_ONE_NIC, ringid k of the same spec.
	 */
	uint32_t mode;		/* NR_REG_*, 0 = as the spec says */
	uint16_t ringid;	/* with mode NR_REG_ONE_NIC / NR_REG_ONE_SW */
};

/* An open port.  Read-only for the caller except the rings themselves. */
struct nmport {
	int fd;				/* bound /dev/netmap descriptor */
	void *mem;			/* the mapped region */
	uint64_t memsize;
	struct netmap_if *nifp;		/* this descriptor's netmap_if */
	struct nmreq_header hdr;	/* the request as sent */
	struct nmreq_register reg;	/* the kernel's reply */

	/*
	 * Rings bound to fd, as indexes for nmport_txring()/nmport_rxring()
	 * (host rings come after the hardware ones).  Inclusive bounds, as
	 * in libnetmap; last < first when no ring of that direction is
	 * bound (NR_RX_RINGS_ONLY, NR_TX_RINGS_ONLY, NR_REG_NULL).
	 */
	int first_tx_ring, last_tx_ring;
	int first_rx_ring, last_rx_ring;

	int cur_tx_ring;		/* where nmport_inject() looks first */
};

/*
 * Parse a port spec into a REGISTER request: fills hdr->nr_version,
 * nr_reqtype and nr_name, and reg's nr_mode, nr_ringid, nr_flags and
 * nr_mem_id; everything else is zeroed.  No kernel needed.
 */
int nmport_parse(const char *spec, struct nmreq_header *hdr,
		 struct nmreq_register *reg, char *err, size_t errlen);

/* Open /dev/netmap, register the port, map its memory. */
struct nmport *nmport_open(const char *spec, char *err, size_t errlen);
struct nmport *nmport_open_opts(const char *spec,
				const struct nmport_opts *opts,
				char *err, size_t errlen);
/* Unmap and close; NULL is accepted. */
void nmport_close(struct nmport *p);

/* Ring i as counted by first/last_tx_ring and first/last_rx_ring. */
static inline struct netmap_ring *
nmport_txring(const struct nmport *p, int i)
{
	return NETMAP_TXRING(p->nifp, i);
}

static inline struct netmap_ring *
nmport_rxring(const struct nmport *p, int i)
{
	return NETMAP_RXRING(p->nifp, i);
}

/*
 * Copy one packet into the first bound tx ring with room for it (frames
 * longer than a buffer take several slots chained with NS_MOREFRAG) and
 * hand it to the kernel at the next sync.  Returns 1 if queued, 0 if no
 * ring had room (sync and retry).
 */
int nmport_inject(struct nmport *p, const void *buf, size_t len);

/* NIOCTXSYNC / NIOCRXSYNC on the bound rings; 0 or -1 with errno. */
int nmport_txsync(struct nmport *p);
int nmport_rxsync(struct nmport *p);

#endif /* NMPORT_H */
