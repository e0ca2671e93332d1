/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * net/netmap_user.h - user-space helpers for netmap applications.
 *
 * Given the region mapped with mmap() after NETMAP_REQ_REGISTER:
 *
 *	nifp = NETMAP_IF(mem, reg.nr_offset);
 *	txr  = NETMAP_TXRING(nifp, i);   rxr = NETMAP_RXRING(nifp, i);
 *	buf  = NETMAP_BUF(ring, ring->slot[j].buf_idx);
 *	j    = nm_ring_next(ring, j);
 *
 * Macro and function names are the netmap ones so that existing programs
 * build unchanged.
 *
 * Not provided: the deprecated NETMAP_WITH_LIBS section of netmap's header
 * (nm_open(), nm_close(), nm_inject(), nm_dispatch(), nm_nextpkt() and
 * struct nm_desc).  This project ships its own port-opening library
 * separately; defining NETMAP_WITH_LIBS here has no effect.
 */
#ifndef _NET_NETMAP_USER_H_
#define _NET_NETMAP_USER_H_

#ifdef __KERNEL__
#error "net/netmap_user.h is for user space only"
#endif

#define NETMAP_DEVICE_NAME	"/dev/netmap"

#include <stdint.h>
#include <stdio.h>		/* fprintf for D() */
#include <string.h>		/* memcpy for nm_pkt_copy() */
#include <sys/time.h>		/* gettimeofday for D()/RD() */
#include <sys/socket.h>
#include <net/if.h>		/* IFNAMSIZ, expected by netmap programs */

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif

#include "netmap.h"

/* Add a byte offset to a base pointer and cast to the wanted type. */
#define _NETMAP_OFFSET(type, ptr, offset) \
	((type)(void *)((char *)(ptr) + (offset)))

/* netmap_if at offset _ofs (nr_offset) of the mapped region _base */
#define NETMAP_IF(_base, _ofs)	_NETMAP_OFFSET(struct netmap_if *, _base, _ofs)

/* tx ring 'index' (host tx rings follow the NIC tx rings) */
#define NETMAP_TXRING(nifp, index)					\
	_NETMAP_OFFSET(struct netmap_ring *, nifp, (nifp)->ring_ofs[(index)])

/* rx ring 'index': rx entries come after all NIC and host tx entries */
#define NETMAP_RXRING(nifp, index)					\
	_NETMAP_OFFSET(struct netmap_ring *, nifp,			\
		(nifp)->ring_ofs[(index) + (nifp)->ni_tx_rings +	\
				 (nifp)->ni_host_tx_rings])

/* address of buffer number 'index' */
#define NETMAP_BUF(ring, index)						\
	((char *)(ring) + (ring)->buf_ofs + ((index) * (ring)->nr_buf_size))

/* inverse of NETMAP_BUF: buffer number of an address inside a buffer */
#define NETMAP_BUF_IDX(ring, buf)					\
	(((char *)(buf) - ((char *)(ring) + (ring)->buf_ofs)) /		\
		(ring)->nr_buf_size)

/*
 * Per-slot data offsets (NETMAP_REQ_OPT_OFFSETS): the offset lives in the
 * bits of slot->ptr selected by ring->offset_mask.
 */
#define NETMAP_ROFFSET(ring, slot)					\
	((slot)->ptr & (ring)->offset_mask)

#define NETMAP_WOFFSET(ring, slot, offset)				\
	do {								\
		(slot)->ptr = ((slot)->ptr & ~(ring)->offset_mask) |	\
			((uint64_t)(offset) & (ring)->offset_mask);	\
	} while (0)

/* start of the packet data of a slot, offset included */
#define NETMAP_BUF_OFFSET(ring, slot)					\
	(NETMAP_BUF(ring, (slot)->buf_idx) + NETMAP_ROFFSET(ring, slot))

/* index following i, wrapping at the end of the ring */
static inline uint32_t
nm_ring_next(struct netmap_ring *r, uint32_t i)
{
	uint32_t n = i + 1;

	return unlikely(n == r->num_slots) ? 0 : n;
}

/*
 * Non-zero while transmissions are outstanding: once the kernel has
 * completed everything, tail sits right behind head.
 */
static inline int
nm_tx_pending(struct netmap_ring *r)
{
	return nm_ring_next(r, r->tail) != r->head;
}

/* Slots owned by the user, i.e. from head up to (excluding) tail. */
static inline uint32_t
nm_ring_space(struct netmap_ring *ring)
{
	uint32_t head = ring->head, tail = ring->tail;

	return tail >= head ? tail - head : tail + ring->num_slots - head;
}

/*
 * Debug printing.  D() prints "sss.uuuuuu func [line] msg" to stderr,
 * ND() compiles to nothing, RD(lps, ...) prints at most lps messages per
 * second from each call site.  A program may supply its own set by
 * defining ND before including this header.
 */
#ifndef ND
#define ND(_fmt, ...)	do {} while (0)

#define D(_fmt, ...)							\
	do {								\
		struct timeval _nm_d_tv;				\
		gettimeofday(&_nm_d_tv, NULL);				\
		fprintf(stderr, "%03d.%06d %s [%d] " _fmt "\n",		\
			(int)(_nm_d_tv.tv_sec % 1000),			\
			(int)_nm_d_tv.tv_usec,				\
			__func__, __LINE__, ##__VA_ARGS__);		\
	} while (0)

#define RD(lps, _fmt, ...)						\
	do {								\
		static time_t _nm_rd_sec;				\
		static int _nm_rd_cnt;					\
		struct timeval _nm_rd_tv;				\
		gettimeofday(&_nm_rd_tv, NULL);				\
		if (_nm_rd_sec != _nm_rd_tv.tv_sec) {			\
			_nm_rd_sec = _nm_rd_tv.tv_sec;			\
			_nm_rd_cnt = 0;					\
		}							\
		if (_nm_rd_cnt++ < (lps))				\
			D(_fmt, ##__VA_ARGS__);				\
	} while (0)
#endif /* !ND */

/*
 * Packet copy tuned for short frames: lengths that are a multiple of 64
 * and below 1024 are copied in 64-byte blocks of 8-byte words; anything
 * else goes to memcpy().  Source and destination must not overlap and
 * must be 8-byte aligned (netmap buffers are).
 */
static inline void
nm_pkt_copy(const void *_src, void *_dst, int l)
{
	const uint64_t *src = (const uint64_t *)_src;
	uint64_t *dst = (uint64_t *)_dst;
	int k;

	if (unlikely(l <= 0))
		return;
	if (unlikely(l >= 1024 || (l & 63) != 0)) {
		memcpy(_dst, _src, (size_t)l);
		return;
	}
	for (; l > 0; l -= 64) {
		for (k = 0; k < 8; k++)
			dst[k] = src[k];
		dst += 8;
		src += 8;
	}
}

#endif /* _NET_NETMAP_USER_H_ */
