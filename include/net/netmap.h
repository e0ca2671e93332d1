/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/netmap.h - user/kernel ABI of this project's netmap-compatible
 * software switch.
 *
 * Everything in this file is shared memory layout or ioctl argument
 * layout.  It must stay binary compatible with netmap API version 14 so
 * that unmodified netmap/VALE applications (pkt-gen, vale-ctl, bridge,
 * libnetmap users, ...) work against our kernel module.  Member names and
 * macro names are therefore the netmap ones; the layout of every struct is
 * pinned by tests/abi/abi_layout.c.
 *
 * The file is usable from user space (C, stdint types) and from a Linux
 * kernel module (__KERNEL__ defined).
 */
#ifndef _NET_NETMAP_H_
#define _NET_NETMAP_H_

#ifdef __KERNEL__
#include <linux/types.h>	/* uint*_t, int64_t, ssize_t */
#include <linux/ioctl.h>	/* _IO, _IOWR */
#include <linux/time_types.h>	/* struct __kernel_old_timeval */
#include <asm/barrier.h>	/* smp_wmb, smp_rmb, smp_mb */
#else
#include <stdint.h>
#include <sys/types.h>		/* ssize_t */
#include <sys/time.h>		/* struct timeval */
#include <sys/ioctl.h>		/* _IO, _IOWR */
#endif

/*
 * The kernel no longer has 'struct timeval'.  The ring timestamp is two
 * longs in both worlds; the kernel spells it __kernel_old_timeval.
 */
#ifdef __KERNEL__
#define _NM_RING_TIMEVAL	struct __kernel_old_timeval
#else
#define _NM_RING_TIMEVAL	struct timeval
#endif

/* API version spoken by this header, and the range the kernel accepts. */
#define	NETMAP_API	14
#define	NETMAP_MIN_API	14
#define	NETMAP_MAX_API	15

/*
 * Alignment used to keep kernel-written and user-written parts of shared
 * structures on separate cache lines.  128 covers every CPU we care about
 * (including adjacent-line prefetch on x86).
 */
#define NM_CACHE_ALIGN	128

/*
 * Interface name length used inside the ABI structs (netmap_if, legacy
 * nmreq).  It equals IFNAMSIZ on Linux and FreeBSD; we use our own name so
 * that this header does not need <net/if.h> or <linux/if.h>.
 */
#define NM_IFNAMSIZ	16
#if defined(IFNAMSIZ) && (IFNAMSIZ != NM_IFNAMSIZ)
#error "IFNAMSIZ differs from NM_IFNAMSIZ: netmap ABI would break"
#endif

/*
 * Memory model in short: after registration the process mmap()s one
 * region containing a netmap_if (per file descriptor), the netmap_rings
 * and the packet buffers.  All cross references inside the region are
 * offsets or indexes, never pointers, so the same bytes are valid in the
 * kernel and in every process mapping them.
 */

/* ------------------------------------------------------------------ */
/* Slots                                                              */
/* ------------------------------------------------------------------ */

/* One descriptor of a ring: which buffer, how many bytes, and flags. */
struct netmap_slot {
	uint32_t buf_idx;	/* index of the buffer in the buffer pool */
	uint16_t len;		/* bytes of valid data (of this fragment) */
	uint16_t flags;		/* NS_* below */
	uint64_t ptr;		/* user pointer (NS_INDIRECT) or offset */
};

/*
 * Slot flags.  Low byte: per-slot control bits.  High byte: on VALE tx a
 * destination port override, on VALE rx the fragment count.
 */
/* buf_idx was swapped by the user (or by the kernel, e.g. pipes) */
#define	NS_BUF_CHANGED	0x0001
/* ask for an explicit completion report for this slot */
#define	NS_REPORT	0x0002
/* rx ring with NR_FORWARD: hand this slot to the peer (host <-> NIC) */
#define	NS_FORWARD	0x0004
/* VALE: do not learn the source MAC address of this packet */
#define	NS_NO_LEARN	0x0008
/* VALE tx: payload lives at the user address in 'ptr', not in buf_idx */
#define	NS_INDIRECT	0x0010
/* not the last fragment of a multi-slot packet */
#define	NS_MOREFRAG	0x0020
/* monitor rings: this copy came from the tx side of the monitored port */
#define NS_TXMON	0x0040

/* High byte of 'flags': VALE destination port (tx) */
#define	NS_PORT_SHIFT	8
#define	NS_PORT_MASK	(0xff << NS_PORT_SHIFT)

/* High byte of 'flags': number of fragments (VALE rx) */
#define	NS_RFRAGS(_slot)	(((_slot)->flags >> 8) & 0xff)

/* Upper bound on the slots one packet may span. */
#define NETMAP_MAX_FRAGS	64

/* ------------------------------------------------------------------ */
/* Rings                                                              */
/* ------------------------------------------------------------------ */

/*
 * A tx or rx ring as seen by the application.  The circular array of
 * num_slots slots is split by three indexes:
 *   head  first slot owned by the user (advanced by the user)
 *   cur   wakeup point for poll()/select() (advanced by the user,
 *         may run ahead of head)
 *   tail  first slot owned by the kernel (advanced only by the kernel)
 * Slots [head, tail) belong to the user; the rest belong to the kernel
 * and must not be touched.  The kernel only looks at head/cur during
 * *sync ioctls and poll().
 */
struct netmap_ring {
	/* offset of the buffer pool from the start of this struct */
	const int64_t	buf_ofs;
	const uint32_t	num_slots;	/* slots in the ring */
	const uint32_t	nr_buf_size;	/* bytes per buffer */
	const uint16_t	ringid;		/* ring index within its port */
	const uint16_t	dir;		/* 1 = tx, 0 = rx (what netmap really sets) */

	uint32_t	head;		/* user: first user-owned slot */
	uint32_t	cur;		/* user: wakeup point */
	uint32_t	tail;		/* kernel: first kernel-owned slot */

	uint32_t	flags;		/* NR_TIMESTAMP, NR_FORWARD */

	_NM_RING_TIMEVAL ts;		/* kernel: time of the last sync */

	/*
	 * Bits of slot->ptr that carry a per-slot data offset (see
	 * NETMAP_REQ_OPT_OFFSETS); 0 when offsets are not enabled.
	 */
	const uint64_t	offset_mask;
	/* alignment the user must honour for buffer + offset on tx */
	const uint64_t	buf_align;

	/* space for a lock or similar, on its own cache line(s) */
	uint8_t	__attribute__((__aligned__(NM_CACHE_ALIGN))) sem[128];

	/* num_slots descriptors follow */
	struct netmap_slot slot[];
};

/* Ring flags (netmap_ring.flags), set by the user. */
#define	NR_TIMESTAMP	0x0002	/* refresh 'ts' on every sync */
#define	NR_FORWARD	0x0004	/* honour NS_FORWARD on this ring */

/*
 * True when the user owns no slot.  Uses head (what has actually been
 * returned to the kernel), not cur, which may legitimately run past tail.
 */
static inline int
nm_ring_empty(struct netmap_ring *ring)
{
	return ring->head == ring->tail;
}

/* ------------------------------------------------------------------ */
/* Interface descriptor                                               */
/* ------------------------------------------------------------------ */

/*
 * One per registered file descriptor, read-only for the user.  ring_ofs[]
 * holds the offset (from this struct) of every ring, in the order:
 * NIC tx, host tx, NIC rx, host rx.
 */
struct netmap_if {
	char		ni_name[NM_IFNAMSIZ];	/* port name */
	const uint32_t	ni_version;		/* API version */
	const uint32_t	ni_flags;		/* NI_* below */

	const uint32_t	ni_tx_rings;		/* hardware tx rings */
	const uint32_t	ni_rx_rings;		/* hardware rx rings */

	uint32_t	ni_bufs_head;		/* list of extra buffers */
	const uint32_t	ni_host_tx_rings;	/* host-stack tx rings */
	const uint32_t	ni_host_rx_rings;	/* host-stack rx rings */
	uint32_t	ni_spare1[3];

	const ssize_t	ring_ofs[];
};

/* netmap_if.ni_flags */
#define	NI_PRIV_MEM	0x1	/* port uses a private memory region */

/* Old NIOCREGIF/NIOCGINFO interface, kept so old programs still build. */
#include "netmap_legacy.h"

/* ------------------------------------------------------------------ */
/* NIOCCTRL request API                                               */
/* ------------------------------------------------------------------ */

/*
 * Every control operation is a single NIOCCTRL ioctl whose argument is an
 * nmreq_header.  nr_reqtype selects the operation, nr_body points (as a
 * 64-bit integer) to the operation-specific struct nmreq_xyz, and
 * nr_options to a singly linked list of nmreq_option extensions.
 *
 * nr_name carries the port name exactly as the user wrote it minus the
 * "netmap:" prefix and the ring-selection suffix: "eth0", "valeA:p1",
 * "eth0{pipe1" / "eth0}pipe1" (pipe master / slave end), ...
 */

/* Largest request accepted, header + body + all options. */
#define NETMAP_REQ_MAXSIZE	4096

/* Common prefix of every option in the nr_options list. */
struct nmreq_option {
	uint64_t	nro_next;	/* next option (user pointer) or 0 */
	uint32_t	nro_reqtype;	/* NETMAP_REQ_OPT_* */
	uint32_t	nro_status;	/* out: 0 if handled, else errno */
	uint64_t	nro_size;	/* size of variable-length options */
};

/*
 * Header of every NIOCCTRL request.  The kernel reads nr_reqtype before
 * knowing anything else, so the field order must never change.
 */
struct nmreq_header {
	uint16_t	nr_version;	/* NETMAP_API of the caller */
	uint16_t	nr_reqtype;	/* NETMAP_REQ_* */
	uint32_t	nr_reserved;	/* must be 0 */
#define NETMAP_REQ_IFNAMSIZ	64
	char		nr_name[NETMAP_REQ_IFNAMSIZ];	/* port name */
	uint64_t	nr_options;	/* first nmreq_option, or 0 */
	uint64_t	nr_body;	/* nmreq_xyz for nr_reqtype */
};

/* Request types (nmreq_header.nr_reqtype). */
enum {
	NETMAP_REQ_REGISTER		= 1,	/* bind fd to a port */
	NETMAP_REQ_PORT_INFO_GET	= 2,	/* query rings/slots/memory */
	NETMAP_REQ_VALE_ATTACH		= 3,	/* attach port to a switch */
	NETMAP_REQ_VALE_DETACH		= 4,	/* detach port from switch */
	NETMAP_REQ_VALE_LIST		= 5,	/* enumerate switch ports */
	NETMAP_REQ_PORT_HDR_SET		= 6,	/* set port header length */
	NETMAP_REQ_PORT_HDR_GET		= 7,	/* get port header length */
	NETMAP_REQ_VALE_NEWIF		= 8,	/* create persistent port */
	NETMAP_REQ_VALE_DELIF		= 9,	/* destroy persistent port */
	NETMAP_REQ_VALE_POLLING_ENABLE	= 10,	/* start polling kthreads */
	NETMAP_REQ_VALE_POLLING_DISABLE	= 11,	/* stop polling kthreads */
	NETMAP_REQ_POOLS_INFO_GET	= 12,	/* memory pool geometry */
	NETMAP_REQ_SYNC_KLOOP_START	= 13,	/* run sync loop in ioctl */
	NETMAP_REQ_SYNC_KLOOP_STOP	= 14,	/* make that loop return */
	NETMAP_REQ_CSB_ENABLE		= 15,	/* switch fd to CSB mode */
};

/* Option types (nmreq_option.nro_reqtype). */
enum {
	NETMAP_REQ_OPT_EXTMEM			= 1, /* user-supplied memory */
	NETMAP_REQ_OPT_SYNC_KLOOP_EVENTFDS	= 2, /* kloop eventfds */
	NETMAP_REQ_OPT_CSB			= 3, /* pointers via CSB */
	NETMAP_REQ_OPT_SYNC_KLOOP_MODE		= 4, /* kloop direct modes */
	NETMAP_REQ_OPT_OFFSETS			= 5, /* offsets in slot->ptr */
	NETMAP_REQ_OPT_MAX			= 6, /* one past the last */
};

/*
 * NETMAP_REQ_REGISTER body.  Ring/slot counts are hints on input and the
 * real values on output.  nr_mode (NR_REG_*) with nr_ringid selects the
 * rings bound to the fd; nr_flags adds the NR_* options below.
 */
struct nmreq_register {
	uint64_t	nr_offset;	/* out: netmap_if offset in region */
	uint64_t	nr_memsize;	/* out: size of the region */
	uint32_t	nr_tx_slots;
	uint32_t	nr_rx_slots;
	uint16_t	nr_tx_rings;
	uint16_t	nr_rx_rings;
	uint16_t	nr_host_tx_rings;
	uint16_t	nr_host_rx_rings;

	uint16_t	nr_mem_id;	/* in/out: memory region id (0 = any) */
	uint16_t	nr_ringid;	/* ring index for NR_REG_ONE_* */
	uint32_t	nr_mode;	/* NR_REG_* */
	uint32_t	nr_extra_bufs;	/* in/out: extra buffers wanted/got */

	uint64_t	nr_flags;	/* NR_* flags below */
/* monitor ports: copy the tx / rx side of the selected rings */
#define NR_MONITOR_TX		0x100
#define NR_MONITOR_RX		0x200
/* monitor ports: zero-copy monitoring */
#define NR_ZCOPY_MON		0x400
/* fail if any selected ring is already bound by someone else */
#define NR_EXCLUSIVE		0x800
/* 0x1000 is free (was the ptnetmap host flag) */
/* bind only the rx (resp. tx) rings of the selection */
#define NR_RX_RINGS_ONLY	0x2000
#define NR_TX_RINGS_ONLY	0x4000
/* caller copes with frames prefixed by a virtio-net header */
#define NR_ACCEPT_VNET_HDR	0x8000
/* poll(): also rxsync without POLLIN / do not txsync without POLLOUT */
#define NR_DO_RX_POLL		0x10000
#define NR_NO_TX_POLL		0x20000
};

/* nmreq_register.nr_mode */
enum {
	NR_REG_DEFAULT		= 0,	/* legacy, do not use */
	NR_REG_ALL_NIC		= 1,	/* all hardware rings */
	NR_REG_SW		= 2,	/* all host rings */
	NR_REG_NIC_SW		= 3,	/* hardware + host rings */
	NR_REG_ONE_NIC		= 4,	/* hardware ring pair nr_ringid */
	NR_REG_PIPE_MASTER	= 5,	/* deprecated: use "port{x" name */
	NR_REG_PIPE_SLAVE	= 6,	/* deprecated: use "port}x" name */
	NR_REG_NULL		= 7,	/* no rings (memory only) */
	NR_REG_ONE_SW		= 8,	/* host ring pair nr_ringid */
};

/*
 * The one ioctl for all requests.  The encoded size is that of the header
 * only; the kernel copies body and options according to nr_reqtype.
 */
#define NIOCCTRL	_IOWR('i', 151, struct nmreq_header)

/* Argument-less syncs of the rings selected at registration time. */
#define NIOCTXSYNC	_IO('i', 148)
#define NIOCRXSYNC	_IO('i', 149)

/* NETMAP_REQ_PORT_INFO_GET body (no prior registration needed). */
struct nmreq_port_info_get {
	uint64_t	nr_memsize;
	uint32_t	nr_tx_slots;
	uint32_t	nr_rx_slots;
	uint16_t	nr_tx_rings;
	uint16_t	nr_rx_rings;
	uint16_t	nr_host_tx_rings;
	uint16_t	nr_host_rx_rings;
	uint16_t	nr_mem_id;	/* in/out */
	uint16_t	pad[3];
};

/* Port names starting with this prefix belong to a VALE switch. */
#define	NM_BDG_NAME		"vale"

/*
 * NETMAP_REQ_VALE_ATTACH body: nr_name is "valeX:ifname"; the embedded
 * register request configures the port being attached.
 */
struct nmreq_vale_attach {
	struct nmreq_register reg;
	uint32_t port_index;	/* out: switch port number */
	uint32_t pad1;
};

/* NETMAP_REQ_VALE_DETACH body. */
struct nmreq_vale_detach {
	uint32_t port_index;	/* out: switch port number it had */
	uint32_t pad1;
};

/*
 * NETMAP_REQ_VALE_LIST body: iterator over (switch, port) pairs; nr_name
 * may name a specific port or be empty.
 */
struct nmreq_vale_list {
	uint16_t	nr_bridge_idx;
	uint16_t	pad1;
	uint32_t	nr_port_idx;
};

/* NETMAP_REQ_PORT_HDR_SET / _GET body (virtio-net header length). */
struct nmreq_port_hdr {
	uint32_t	nr_hdr_len;
	uint32_t	pad1;
};

/* NETMAP_REQ_VALE_NEWIF body: geometry of the new persistent port. */
struct nmreq_vale_newif {
	uint32_t	nr_tx_slots;
	uint32_t	nr_rx_slots;
	uint16_t	nr_tx_rings;
	uint16_t	nr_rx_rings;
	uint16_t	nr_mem_id;
	uint16_t	pad1;
};

/* NETMAP_REQ_VALE_POLLING_ENABLE / _DISABLE body. */
struct nmreq_vale_polling {
	uint32_t	nr_mode;
#define NETMAP_POLLING_MODE_SINGLE_CPU	1
#define NETMAP_POLLING_MODE_MULTI_CPU	2
	uint32_t	nr_first_cpu_id;
	uint32_t	nr_num_polling_cpus;
	uint32_t	pad1;
};

/*
 * NETMAP_REQ_POOLS_INFO_GET body, also embedded in the extmem option:
 * offset, object count and object size of the if/ring/buffer pools.
 */
struct nmreq_pools_info {
	uint64_t	nr_memsize;
	uint16_t	nr_mem_id;	/* in/out */
	uint16_t	pad1[3];
	uint64_t	nr_if_pool_offset;
	uint32_t	nr_if_pool_objtotal;
	uint32_t	nr_if_pool_objsize;
	uint64_t	nr_ring_pool_offset;
	uint32_t	nr_ring_pool_objtotal;
	uint32_t	nr_ring_pool_objsize;
	uint64_t	nr_buf_pool_offset;
	uint32_t	nr_buf_pool_objtotal;
	uint32_t	nr_buf_pool_objsize;
};

/*
 * NETMAP_REQ_SYNC_KLOOP_START body.  The calling thread stays inside the
 * ioctl syncing rings (fd must be in CSB mode) until SYNC_KLOOP_STOP.
 */
struct nmreq_sync_kloop_start {
	uint32_t	sleep_us;	/* idle sleep between iterations */
	uint32_t	pad1;
};

/*
 * CSB (communication status block) entries, one per ring, one cache line
 * each.  atok: written by the application, read by the kernel.
 */
struct nm_csb_atok {
	uint32_t head;
	uint32_t cur;
	uint32_t appl_need_kick;	/* app wants kernel->app notifications */
	uint32_t sync_flags;
	uint32_t pad[12];
};

/* ktoa: written by the kernel, read by the application. */
struct nm_csb_ktoa {
	uint32_t hwcur;
	uint32_t hwtail;
	uint32_t kern_need_kick;	/* kernel wants app->kernel notifications */
	uint32_t pad[13];
};

/*
 * Barriers for the CSB protocol: store-store on the writer side and
 * load-load on the reader side.
 */
#ifdef __KERNEL__
#define nm_stst_barrier()	smp_wmb()
#define nm_ldld_barrier()	smp_rmb()
#define nm_stld_barrier()	smp_mb()
#else
static inline void
nm_stst_barrier(void)
{
	/* a release fence orders earlier stores before later stores */
	__atomic_thread_fence(__ATOMIC_RELEASE);
}

static inline void
nm_ldld_barrier(void)
{
	/* an acquire fence orders earlier loads before later loads */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
}
#endif

/*
 * Application publishes new ring indexes to the kernel.  Ring/buffer
 * writes must be visible first; then cur is stored before head, so the
 * kernel (which loads head, then cur) can never see head ahead of cur.
 */
static inline void
nm_sync_kloop_appl_write(struct nm_csb_atok *atok, uint32_t cur,
			 uint32_t head)
{
	nm_stst_barrier();
	atok->cur = cur;
	nm_stst_barrier();
	atok->head = head;
}

/*
 * Application reads the kernel's ring indexes: hwtail before hwcur (the
 * mirror of the kernel's write order), and both before any ring access
 * that follows.
 */
static inline void
nm_sync_kloop_appl_read(struct nm_csb_ktoa *ktoa, uint32_t *hwtail,
			uint32_t *hwcur)
{
	*hwtail = ktoa->hwtail;
	nm_ldld_barrier();
	*hwcur = ktoa->hwcur;
	nm_ldld_barrier();
}

/* ------------------------------------------------------------------ */
/* Option bodies                                                      */
/* ------------------------------------------------------------------ */

/*
 * NETMAP_REQ_OPT_SYNC_KLOOP_EVENTFDS: one eventfd pair per ring, same
 * order as the CSB arrays.  A negative ioeventfd makes the loop fall back
 * to sleeping; a negative irqfd disables notifications for that ring.
 */
struct nmreq_opt_sync_kloop_eventfds {
	struct nmreq_option	nro_opt;
	struct {
		int32_t ioeventfd;	/* app -> kernel loop kick */
		int32_t irqfd;		/* kernel loop -> app kick */
	} eventfds[];
};

/* NETMAP_REQ_OPT_SYNC_KLOOP_MODE: sync tx/rx directly in the notifier. */
struct nmreq_opt_sync_kloop_mode {
	struct nmreq_option	nro_opt;
#define NM_OPT_SYNC_KLOOP_DIRECT_TX	(1 << 0)
#define NM_OPT_SYNC_KLOOP_DIRECT_RX	(1 << 1)
	uint32_t mode;
};

/* NETMAP_REQ_OPT_EXTMEM: build the memory region in user memory. */
struct nmreq_opt_extmem {
	struct nmreq_option	nro_opt;
	uint64_t		nro_usrptr;	/* base of the user memory */
	struct nmreq_pools_info	nro_info;	/* in: wanted, out: actual */
};

/* NETMAP_REQ_OPT_CSB: user addresses of the atok and ktoa arrays. */
struct nmreq_opt_csb {
	struct nmreq_option	nro_opt;
	uint64_t		csb_atok;
	uint64_t		csb_ktoa;
};

/*
 * NETMAP_REQ_OPT_OFFSETS: reserve the low nro_offset_bits of slot->ptr
 * (0 = all of it) as a data offset into the buffer.
 */
struct nmreq_opt_offsets {
	struct nmreq_option	nro_opt;
	uint64_t		nro_max_offset;	/* in/out: largest offset */
	uint64_t		nro_initial_offset; /* preset in every slot */
	uint32_t		nro_offset_bits; /* in/out */
	uint32_t		nro_tx_align;	/* out: tx start alignment */
	uint64_t		nro_min_gap;	/* reserved, must be 0 */
};

#endif /* _NET_NETMAP_H_ */
