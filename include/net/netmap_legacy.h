/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/netmap_legacy.h - the pre-NIOCCTRL control interface (struct nmreq
 * with NIOCGINFO / NIOCREGIF), binary compatible with netmap.
 *
 * It is pulled in by net/netmap.h; include that instead.  New code should
 * use NIOCCTRL with the nmreq_* structs.  Kept so that old programs (and
 * nm_open()-era code) still compile and run.
 */
#ifndef _NET_NETMAP_LEGACY_H_
#define _NET_NETMAP_LEGACY_H_

/* Needs the types and NM_IFNAMSIZ; harmless if netmap.h is in progress. */
#include "netmap.h"

/*
 * Argument of NIOCGINFO / NIOCREGIF.  Starts with the interface name so
 * that it overlays the name of a struct ifreq.
 *
 * For NIOCREGIF (nr_cmd == 0) the port is bound according to nr_flags
 * (an NR_REG_* value in the low NR_REG_MASK bits, plus NR_* flags) and the
 * ring number in the low bits of nr_ringid.  nr_arg1 asks for extra rings
 * (e.g. for pipes), nr_arg2 is the memory region id (in/out), nr_arg3 the
 * number of extra buffers (in/out).  A non-zero nr_cmd selects one of the
 * NETMAP_BDG_* / other commands instead.
 */
struct nmreq {
	char		nr_name[NM_IFNAMSIZ];
	uint32_t	nr_version;	/* NETMAP_API of the caller */
	uint32_t	nr_offset;	/* out: netmap_if offset in region */
	uint32_t	nr_memsize;	/* out: size of the region */
	uint32_t	nr_tx_slots;
	uint32_t	nr_rx_slots;
	uint16_t	nr_tx_rings;
	uint16_t	nr_rx_rings;

	uint16_t	nr_ringid;	/* ring number + flags below */
/* legacy ring selection (used only when nr_flags == 0) */
#define NETMAP_HW_RING		0x4000	/* one hardware ring pair */
#define NETMAP_SW_RING		0x2000	/* host ring pair only */
/* bits of nr_ringid holding the ring number */
#define NETMAP_RING_MASK	0x0fff
/* poll() behaviour, same meaning as NR_NO_TX_POLL / NR_DO_RX_POLL */
#define NETMAP_NO_TX_POLL	0x1000
#define NETMAP_DO_RX_POLL	0x8000

	uint16_t	nr_cmd;		/* 0 = register, else below */
#define NETMAP_BDG_ATTACH	1	/* attach a port to a switch */
#define NETMAP_BDG_DETACH	2	/* detach a port from a switch */
#define NETMAP_BDG_REGOPS	3	/* install switch lookup callbacks */
#define NETMAP_BDG_LIST		4	/* enumerate switches/ports */
#define NETMAP_BDG_VNET_HDR	5	/* set virtio-net header length */
#define NETMAP_BDG_NEWIF	6	/* create a persistent port */
#define NETMAP_BDG_DELIF	7	/* destroy a persistent port */
#define NETMAP_PT_HOST_CREATE	8	/* ptnetmap: start kthreads */
#define NETMAP_PT_HOST_DELETE	9	/* ptnetmap: stop kthreads */
#define NETMAP_BDG_POLLING_ON	10	/* start polling kthreads */
#define NETMAP_BDG_POLLING_OFF	11	/* stop polling kthreads */
#define NETMAP_VNET_HDR_GET	12	/* get virtio-net header length */
#define NETMAP_POOLS_INFO_GET	13	/* get memory pool geometry */
	uint16_t	nr_arg1;	/* extra rings / command argument */
#define NETMAP_BDG_HOST		1	/* BDG_ATTACH: attach host port too */

	uint16_t	nr_arg2;	/* memory region id */
	uint32_t	nr_arg3;	/* extra buffers */
	uint32_t	nr_flags;	/* NR_REG_* mode | NR_* flags */
#define NR_REG_MASK		0xf	/* NR_REG_* part of nr_flags */
	uint32_t	spare2[1];
};

/*
 * Old reply format of NETMAP_POOLS_INFO_GET (struct nmreq_pools_info is
 * the current one).
 */
struct netmap_pools_info {
	uint64_t memsize;
	uint32_t memid;
	uint32_t if_pool_offset;
	uint32_t if_pool_objtotal;
	uint32_t if_pool_objsize;
	uint32_t ring_pool_offset;
	uint32_t ring_pool_objtotal;
	uint32_t ring_pool_objsize;
	uint32_t buf_pool_offset;
	uint32_t buf_pool_objtotal;
	uint32_t buf_pool_objsize;
};

/* Opaque request forwarded by NIOCCONFIG to an external switch module. */
#define NM_IFRDATA_LEN 256
struct nm_ifreq {
	char nifr_name[NM_IFNAMSIZ];
	char data[NM_IFRDATA_LEN];
};

/*
 * The encoded sizes must match the structs: FreeBSD copies exactly that
 * many bytes, and Linux programs built against netmap use these numbers.
 */
#define NIOCGINFO	_IOWR('i', 145, struct nmreq)	/* port info */
#define NIOCREGIF	_IOWR('i', 146, struct nmreq)	/* bind port */
#define NIOCCONFIG	_IOWR('i', 150, struct nm_ifreq) /* module config */

#endif /* _NET_NETMAP_LEGACY_H_ */
