/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ABI pin for include/net/netmap.h, netmap_legacy.h and netmap_user.h.
 *
 * Every number below is the x86_64 layout / value of netmap API 14; a
 * mismatch means netmap applications would silently misbehave against our
 * kernel module, so the build fails instead.  The short runtime part
 * exercises the user-space helpers on a fake mapped region.
 *
 * Build and run:
 *   gcc -Wall -Wextra -Werror -Iinclude -o /tmp/abi tests/abi/abi_layout.c
 *   /tmp/abi
 */
#include <net/netmap_user.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#if !defined(__x86_64__)
#error "the literal numbers below are for x86_64"
#endif

/* size and alignment of a whole struct */
#define CHECK_SIZE(s, size, align)					\
	_Static_assert(sizeof(struct s) == (size), #s " size");		\
	_Static_assert(alignof(struct s) == (align), #s " alignment")

/* offset and size of one member */
#define CHECK_MEMBER(s, m, off, size)					\
	_Static_assert(offsetof(struct s, m) == (off), #s "." #m " offset"); \
	_Static_assert(sizeof(((struct s *)0)->m) == (size),		\
		       #s "." #m " size")

/* flexible array member: offset only */
#define CHECK_FLEX(s, m, off)						\
	_Static_assert(offsetof(struct s, m) == (off), #s "." #m " offset")

/* value of a constant */
#define CHECK_VAL(name, val)						\
	_Static_assert((unsigned long long)(name) == (unsigned long long)(val), \
		       #name " value")

/* ---- layouts ---- */
CHECK_SIZE(netmap_slot, 16, 8);
CHECK_MEMBER(netmap_slot, buf_idx, 0, 4);
CHECK_MEMBER(netmap_slot, len, 4, 2);
CHECK_MEMBER(netmap_slot, flags, 6, 2);
CHECK_MEMBER(netmap_slot, ptr, 8, 8);

CHECK_SIZE(netmap_ring, 256, 128);
CHECK_MEMBER(netmap_ring, buf_ofs, 0, 8);
CHECK_MEMBER(netmap_ring, num_slots, 8, 4);
CHECK_MEMBER(netmap_ring, nr_buf_size, 12, 4);
CHECK_MEMBER(netmap_ring, ringid, 16, 2);
CHECK_MEMBER(netmap_ring, dir, 18, 2);
CHECK_MEMBER(netmap_ring, head, 20, 4);
CHECK_MEMBER(netmap_ring, cur, 24, 4);
CHECK_MEMBER(netmap_ring, tail, 28, 4);
CHECK_MEMBER(netmap_ring, flags, 32, 4);
CHECK_MEMBER(netmap_ring, ts, 40, 16);
CHECK_MEMBER(netmap_ring, offset_mask, 56, 8);
CHECK_MEMBER(netmap_ring, buf_align, 64, 8);
CHECK_MEMBER(netmap_ring, sem, 128, 128);
CHECK_FLEX(netmap_ring, slot, 256);

CHECK_SIZE(netmap_if, 56, 8);
CHECK_MEMBER(netmap_if, ni_name, 0, 16);
CHECK_MEMBER(netmap_if, ni_version, 16, 4);
CHECK_MEMBER(netmap_if, ni_flags, 20, 4);
CHECK_MEMBER(netmap_if, ni_tx_rings, 24, 4);
CHECK_MEMBER(netmap_if, ni_rx_rings, 28, 4);
CHECK_MEMBER(netmap_if, ni_bufs_head, 32, 4);
CHECK_MEMBER(netmap_if, ni_host_tx_rings, 36, 4);
CHECK_MEMBER(netmap_if, ni_host_rx_rings, 40, 4);
CHECK_MEMBER(netmap_if, ni_spare1, 44, 12);
CHECK_FLEX(netmap_if, ring_ofs, 56);

CHECK_SIZE(nmreq, 60, 4);
CHECK_MEMBER(nmreq, nr_name, 0, 16);
CHECK_MEMBER(nmreq, nr_version, 16, 4);
CHECK_MEMBER(nmreq, nr_offset, 20, 4);
CHECK_MEMBER(nmreq, nr_memsize, 24, 4);
CHECK_MEMBER(nmreq, nr_tx_slots, 28, 4);
CHECK_MEMBER(nmreq, nr_rx_slots, 32, 4);
CHECK_MEMBER(nmreq, nr_tx_rings, 36, 2);
CHECK_MEMBER(nmreq, nr_rx_rings, 38, 2);
CHECK_MEMBER(nmreq, nr_ringid, 40, 2);
CHECK_MEMBER(nmreq, nr_cmd, 42, 2);
CHECK_MEMBER(nmreq, nr_arg1, 44, 2);
CHECK_MEMBER(nmreq, nr_arg2, 46, 2);
CHECK_MEMBER(nmreq, nr_arg3, 48, 4);
CHECK_MEMBER(nmreq, nr_flags, 52, 4);
CHECK_MEMBER(nmreq, spare2, 56, 4);

CHECK_SIZE(netmap_pools_info, 48, 8);
CHECK_MEMBER(netmap_pools_info, memsize, 0, 8);
CHECK_MEMBER(netmap_pools_info, memid, 8, 4);
CHECK_MEMBER(netmap_pools_info, if_pool_offset, 12, 4);
CHECK_MEMBER(netmap_pools_info, if_pool_objtotal, 16, 4);
CHECK_MEMBER(netmap_pools_info, if_pool_objsize, 20, 4);
CHECK_MEMBER(netmap_pools_info, ring_pool_offset, 24, 4);
CHECK_MEMBER(netmap_pools_info, ring_pool_objtotal, 28, 4);
CHECK_MEMBER(netmap_pools_info, ring_pool_objsize, 32, 4);
CHECK_MEMBER(netmap_pools_info, buf_pool_offset, 36, 4);
CHECK_MEMBER(netmap_pools_info, buf_pool_objtotal, 40, 4);
CHECK_MEMBER(netmap_pools_info, buf_pool_objsize, 44, 4);

CHECK_SIZE(nm_ifreq, 272, 1);
CHECK_MEMBER(nm_ifreq, nifr_name, 0, 16);
CHECK_MEMBER(nm_ifreq, data, 16, 256);

CHECK_SIZE(nmreq_option, 24, 8);
CHECK_MEMBER(nmreq_option, nro_next, 0, 8);
CHECK_MEMBER(nmreq_option, nro_reqtype, 8, 4);
CHECK_MEMBER(nmreq_option, nro_status, 12, 4);
CHECK_MEMBER(nmreq_option, nro_size, 16, 8);

CHECK_SIZE(nmreq_header, 88, 8);
CHECK_MEMBER(nmreq_header, nr_version, 0, 2);
CHECK_MEMBER(nmreq_header, nr_reqtype, 2, 2);
CHECK_MEMBER(nmreq_header, nr_reserved, 4, 4);
CHECK_MEMBER(nmreq_header, nr_name, 8, 64);
CHECK_MEMBER(nmreq_header, nr_options, 72, 8);
CHECK_MEMBER(nmreq_header, nr_body, 80, 8);

CHECK_SIZE(nmreq_register, 56, 8);
CHECK_MEMBER(nmreq_register, nr_offset, 0, 8);
CHECK_MEMBER(nmreq_register, nr_memsize, 8, 8);
CHECK_MEMBER(nmreq_register, nr_tx_slots, 16, 4);
CHECK_MEMBER(nmreq_register, nr_rx_slots, 20, 4);
CHECK_MEMBER(nmreq_register, nr_tx_rings, 24, 2);
CHECK_MEMBER(nmreq_register, nr_rx_rings, 26, 2);
CHECK_MEMBER(nmreq_register, nr_host_tx_rings, 28, 2);
CHECK_MEMBER(nmreq_register, nr_host_rx_rings, 30, 2);
CHECK_MEMBER(nmreq_register, nr_mem_id, 32, 2);
CHECK_MEMBER(nmreq_register, nr_ringid, 34, 2);
CHECK_MEMBER(nmreq_register, nr_mode, 36, 4);
CHECK_MEMBER(nmreq_register, nr_extra_bufs, 40, 4);
CHECK_MEMBER(nmreq_register, nr_flags, 48, 8);

CHECK_SIZE(nmreq_port_info_get, 32, 8);
CHECK_MEMBER(nmreq_port_info_get, nr_memsize, 0, 8);
CHECK_MEMBER(nmreq_port_info_get, nr_tx_slots, 8, 4);
CHECK_MEMBER(nmreq_port_info_get, nr_rx_slots, 12, 4);
CHECK_MEMBER(nmreq_port_info_get, nr_tx_rings, 16, 2);
CHECK_MEMBER(nmreq_port_info_get, nr_rx_rings, 18, 2);
CHECK_MEMBER(nmreq_port_info_get, nr_host_tx_rings, 20, 2);
CHECK_MEMBER(nmreq_port_info_get, nr_host_rx_rings, 22, 2);
CHECK_MEMBER(nmreq_port_info_get, nr_mem_id, 24, 2);
CHECK_MEMBER(nmreq_port_info_get, pad, 26, 6);

CHECK_SIZE(nmreq_vale_attach, 64, 8);
CHECK_MEMBER(nmreq_vale_attach, reg, 0, 56);
CHECK_MEMBER(nmreq_vale_attach, port_index, 56, 4);
CHECK_MEMBER(nmreq_vale_attach, pad1, 60, 4);

CHECK_SIZE(nmreq_vale_detach, 8, 4);
CHECK_MEMBER(nmreq_vale_detach, port_index, 0, 4);
CHECK_MEMBER(nmreq_vale_detach, pad1, 4, 4);

CHECK_SIZE(nmreq_vale_list, 8, 4);
CHECK_MEMBER(nmreq_vale_list, nr_bridge_idx, 0, 2);
CHECK_MEMBER(nmreq_vale_list, pad1, 2, 2);
CHECK_MEMBER(nmreq_vale_list, nr_port_idx, 4, 4);

CHECK_SIZE(nmreq_port_hdr, 8, 4);
CHECK_MEMBER(nmreq_port_hdr, nr_hdr_len, 0, 4);
CHECK_MEMBER(nmreq_port_hdr, pad1, 4, 4);

CHECK_SIZE(nmreq_vale_newif, 16, 4);
CHECK_MEMBER(nmreq_vale_newif, nr_tx_slots, 0, 4);
CHECK_MEMBER(nmreq_vale_newif, nr_rx_slots, 4, 4);
CHECK_MEMBER(nmreq_vale_newif, nr_tx_rings, 8, 2);
CHECK_MEMBER(nmreq_vale_newif, nr_rx_rings, 10, 2);
CHECK_MEMBER(nmreq_vale_newif, nr_mem_id, 12, 2);
CHECK_MEMBER(nmreq_vale_newif, pad1, 14, 2);

CHECK_SIZE(nmreq_vale_polling, 16, 4);
CHECK_MEMBER(nmreq_vale_polling, nr_mode, 0, 4);
CHECK_MEMBER(nmreq_vale_polling, nr_first_cpu_id, 4, 4);
CHECK_MEMBER(nmreq_vale_polling, nr_num_polling_cpus, 8, 4);
CHECK_MEMBER(nmreq_vale_polling, pad1, 12, 4);

CHECK_SIZE(nmreq_pools_info, 64, 8);
CHECK_MEMBER(nmreq_pools_info, nr_memsize, 0, 8);
CHECK_MEMBER(nmreq_pools_info, nr_mem_id, 8, 2);
CHECK_MEMBER(nmreq_pools_info, pad1, 10, 6);
CHECK_MEMBER(nmreq_pools_info, nr_if_pool_offset, 16, 8);
CHECK_MEMBER(nmreq_pools_info, nr_if_pool_objtotal, 24, 4);
CHECK_MEMBER(nmreq_pools_info, nr_if_pool_objsize, 28, 4);
CHECK_MEMBER(nmreq_pools_info, nr_ring_pool_offset, 32, 8);
CHECK_MEMBER(nmreq_pools_info, nr_ring_pool_objtotal, 40, 4);
CHECK_MEMBER(nmreq_pools_info, nr_ring_pool_objsize, 44, 4);
CHECK_MEMBER(nmreq_pools_info, nr_buf_pool_offset, 48, 8);
CHECK_MEMBER(nmreq_pools_info, nr_buf_pool_objtotal, 56, 4);
CHECK_MEMBER(nmreq_pools_info, nr_buf_pool_objsize, 60, 4);

CHECK_SIZE(nmreq_sync_kloop_start, 8, 4);
CHECK_MEMBER(nmreq_sync_kloop_start, sleep_us, 0, 4);
CHECK_MEMBER(nmreq_sync_kloop_start, pad1, 4, 4);

CHECK_SIZE(nm_csb_atok, 64, 4);
CHECK_MEMBER(nm_csb_atok, head, 0, 4);
CHECK_MEMBER(nm_csb_atok, cur, 4, 4);
CHECK_MEMBER(nm_csb_atok, appl_need_kick, 8, 4);
CHECK_MEMBER(nm_csb_atok, sync_flags, 12, 4);
CHECK_MEMBER(nm_csb_atok, pad, 16, 48);

CHECK_SIZE(nm_csb_ktoa, 64, 4);
CHECK_MEMBER(nm_csb_ktoa, hwcur, 0, 4);
CHECK_MEMBER(nm_csb_ktoa, hwtail, 4, 4);
CHECK_MEMBER(nm_csb_ktoa, kern_need_kick, 8, 4);
CHECK_MEMBER(nm_csb_ktoa, pad, 12, 52);

CHECK_SIZE(nmreq_opt_sync_kloop_eventfds, 24, 8);
CHECK_MEMBER(nmreq_opt_sync_kloop_eventfds, nro_opt, 0, 24);
CHECK_FLEX(nmreq_opt_sync_kloop_eventfds, eventfds, 24);

CHECK_SIZE(nmreq_opt_sync_kloop_mode, 32, 8);
CHECK_MEMBER(nmreq_opt_sync_kloop_mode, nro_opt, 0, 24);
CHECK_MEMBER(nmreq_opt_sync_kloop_mode, mode, 24, 4);

CHECK_SIZE(nmreq_opt_extmem, 96, 8);
CHECK_MEMBER(nmreq_opt_extmem, nro_opt, 0, 24);
CHECK_MEMBER(nmreq_opt_extmem, nro_usrptr, 24, 8);
CHECK_MEMBER(nmreq_opt_extmem, nro_info, 32, 64);

CHECK_SIZE(nmreq_opt_csb, 40, 8);
CHECK_MEMBER(nmreq_opt_csb, nro_opt, 0, 24);
CHECK_MEMBER(nmreq_opt_csb, csb_atok, 24, 8);
CHECK_MEMBER(nmreq_opt_csb, csb_ktoa, 32, 8);

CHECK_SIZE(nmreq_opt_offsets, 56, 8);
CHECK_MEMBER(nmreq_opt_offsets, nro_opt, 0, 24);
CHECK_MEMBER(nmreq_opt_offsets, nro_max_offset, 24, 8);
CHECK_MEMBER(nmreq_opt_offsets, nro_initial_offset, 32, 8);
CHECK_MEMBER(nmreq_opt_offsets, nro_offset_bits, 40, 4);
CHECK_MEMBER(nmreq_opt_offsets, nro_tx_align, 44, 4);
CHECK_MEMBER(nmreq_opt_offsets, nro_min_gap, 48, 8);

/* ---- ioctl numbers (Linux _IO/_IOWR encoding) ---- */
CHECK_VAL(NIOCCTRL, 0xc0586997);
CHECK_VAL(NIOCTXSYNC, 0x6994);
CHECK_VAL(NIOCRXSYNC, 0x6995);
CHECK_VAL(NIOCGINFO, 0xc03c6991);
CHECK_VAL(NIOCREGIF, 0xc03c6992);
CHECK_VAL(NIOCCONFIG, 0xc1106996);

/* ---- versions and sizes ---- */
CHECK_VAL(NETMAP_API, 14);
CHECK_VAL(NETMAP_MIN_API, 14);
CHECK_VAL(NETMAP_MAX_API, 15);
CHECK_VAL(NM_CACHE_ALIGN, 128);
CHECK_VAL(NM_IFNAMSIZ, 16);
CHECK_VAL(IFNAMSIZ, 16);
CHECK_VAL(NETMAP_REQ_IFNAMSIZ, 64);
CHECK_VAL(NETMAP_REQ_MAXSIZE, 4096);
CHECK_VAL(NETMAP_MAX_FRAGS, 64);
CHECK_VAL(NM_IFRDATA_LEN, 256);

/* ---- slot flags ---- */
CHECK_VAL(NS_BUF_CHANGED, 0x0001);
CHECK_VAL(NS_REPORT, 0x0002);
CHECK_VAL(NS_FORWARD, 0x0004);
CHECK_VAL(NS_NO_LEARN, 0x0008);
CHECK_VAL(NS_INDIRECT, 0x0010);
CHECK_VAL(NS_MOREFRAG, 0x0020);
CHECK_VAL(NS_TXMON, 0x0040);
CHECK_VAL(NS_PORT_SHIFT, 8);
CHECK_VAL(NS_PORT_MASK, 0xff00);

/* ---- ring and interface flags ---- */
CHECK_VAL(NR_TIMESTAMP, 0x0002);
CHECK_VAL(NR_FORWARD, 0x0004);
CHECK_VAL(NI_PRIV_MEM, 0x1);

/* ---- request types ---- */
CHECK_VAL(NETMAP_REQ_REGISTER, 1);
CHECK_VAL(NETMAP_REQ_PORT_INFO_GET, 2);
CHECK_VAL(NETMAP_REQ_VALE_ATTACH, 3);
CHECK_VAL(NETMAP_REQ_VALE_DETACH, 4);
CHECK_VAL(NETMAP_REQ_VALE_LIST, 5);
CHECK_VAL(NETMAP_REQ_PORT_HDR_SET, 6);
CHECK_VAL(NETMAP_REQ_PORT_HDR_GET, 7);
CHECK_VAL(NETMAP_REQ_VALE_NEWIF, 8);
CHECK_VAL(NETMAP_REQ_VALE_DELIF, 9);
CHECK_VAL(NETMAP_REQ_VALE_POLLING_ENABLE, 10);
CHECK_VAL(NETMAP_REQ_VALE_POLLING_DISABLE, 11);
CHECK_VAL(NETMAP_REQ_POOLS_INFO_GET, 12);
CHECK_VAL(NETMAP_REQ_SYNC_KLOOP_START, 13);
CHECK_VAL(NETMAP_REQ_SYNC_KLOOP_STOP, 14);
CHECK_VAL(NETMAP_REQ_CSB_ENABLE, 15);

/* ---- option types ---- */
CHECK_VAL(NETMAP_REQ_OPT_EXTMEM, 1);
CHECK_VAL(NETMAP_REQ_OPT_SYNC_KLOOP_EVENTFDS, 2);
CHECK_VAL(NETMAP_REQ_OPT_CSB, 3);
CHECK_VAL(NETMAP_REQ_OPT_SYNC_KLOOP_MODE, 4);
CHECK_VAL(NETMAP_REQ_OPT_OFFSETS, 5);
CHECK_VAL(NETMAP_REQ_OPT_MAX, 6);
CHECK_VAL(NM_OPT_SYNC_KLOOP_DIRECT_TX, 1);
CHECK_VAL(NM_OPT_SYNC_KLOOP_DIRECT_RX, 2);

/* ---- register modes and flags ---- */
CHECK_VAL(NR_REG_DEFAULT, 0);
CHECK_VAL(NR_REG_ALL_NIC, 1);
CHECK_VAL(NR_REG_SW, 2);
CHECK_VAL(NR_REG_NIC_SW, 3);
CHECK_VAL(NR_REG_ONE_NIC, 4);
CHECK_VAL(NR_REG_PIPE_MASTER, 5);
CHECK_VAL(NR_REG_PIPE_SLAVE, 6);
CHECK_VAL(NR_REG_NULL, 7);
CHECK_VAL(NR_REG_ONE_SW, 8);
CHECK_VAL(NR_REG_MASK, 0xf);
CHECK_VAL(NR_MONITOR_TX, 0x100);
CHECK_VAL(NR_MONITOR_RX, 0x200);
CHECK_VAL(NR_ZCOPY_MON, 0x400);
CHECK_VAL(NR_EXCLUSIVE, 0x800);
CHECK_VAL(NR_RX_RINGS_ONLY, 0x2000);
CHECK_VAL(NR_TX_RINGS_ONLY, 0x4000);
CHECK_VAL(NR_ACCEPT_VNET_HDR, 0x8000);
CHECK_VAL(NR_DO_RX_POLL, 0x10000);
CHECK_VAL(NR_NO_TX_POLL, 0x20000);
CHECK_VAL(NETMAP_POLLING_MODE_SINGLE_CPU, 1);
CHECK_VAL(NETMAP_POLLING_MODE_MULTI_CPU, 2);

/* ---- legacy nmreq constants ---- */
CHECK_VAL(NETMAP_HW_RING, 0x4000);
CHECK_VAL(NETMAP_SW_RING, 0x2000);
CHECK_VAL(NETMAP_RING_MASK, 0x0fff);
CHECK_VAL(NETMAP_NO_TX_POLL, 0x1000);
CHECK_VAL(NETMAP_DO_RX_POLL, 0x8000);
CHECK_VAL(NETMAP_BDG_ATTACH, 1);
CHECK_VAL(NETMAP_BDG_DETACH, 2);
CHECK_VAL(NETMAP_BDG_REGOPS, 3);
CHECK_VAL(NETMAP_BDG_LIST, 4);
CHECK_VAL(NETMAP_BDG_VNET_HDR, 5);
CHECK_VAL(NETMAP_BDG_NEWIF, 6);
CHECK_VAL(NETMAP_BDG_DELIF, 7);
CHECK_VAL(NETMAP_PT_HOST_CREATE, 8);
CHECK_VAL(NETMAP_PT_HOST_DELETE, 9);
CHECK_VAL(NETMAP_BDG_POLLING_ON, 10);
CHECK_VAL(NETMAP_BDG_POLLING_OFF, 11);
CHECK_VAL(NETMAP_VNET_HDR_GET, 12);
CHECK_VAL(NETMAP_POOLS_INFO_GET, 13);
CHECK_VAL(NETMAP_BDG_HOST, 1);

/* ---- runtime check of the user-space helpers ---- */

static int failures;

#define EXPECT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: FAILED: %s\n",		\
				__FILE__, __LINE__, #cond);		\
			failures++;					\
		}							\
	} while (0)

/*
 * Fake region: netmap_if at 0 with 2 NIC + 1 host tx ring and 2 NIC + 1
 * host rx ring, then 6 rings of 4 slots (rounded to 128 bytes), then 8
 * buffers of 64 bytes.
 */
#define NSLOTS	4
#define BUFSZ	64
/* ring objects keep the 128-byte alignment netmap_ring requires */
#define RINGSZ	((sizeof(struct netmap_ring) + NSLOTS * sizeof(struct netmap_slot) + \
		  NM_CACHE_ALIGN - 1) & ~(size_t)(NM_CACHE_ALIGN - 1))
#define IFSZ	1024
#define NRINGS	6
#define BUFOFS	(IFSZ + NRINGS * RINGSZ)

static struct netmap_ring *
fake_ring(char *mem, int i)
{
	return (struct netmap_ring *)(void *)(mem + IFSZ + (size_t)i * RINGSZ);
}

static void
check_helpers(void)
{
	static alignas(NM_CACHE_ALIGN) char mem[BUFOFS + 8 * BUFSZ];
	struct netmap_if *nifp = NETMAP_IF(mem, 0);
	struct netmap_ring *r;
	struct netmap_slot *s;
	ssize_t *ofs = (ssize_t *)(uintptr_t)nifp->ring_ofs;
	uint64_t src[16], dst[16];
	int i;

	*(uint32_t *)(uintptr_t)&nifp->ni_tx_rings = 2;
	*(uint32_t *)(uintptr_t)&nifp->ni_rx_rings = 2;
	*(uint32_t *)(uintptr_t)&nifp->ni_host_tx_rings = 1;
	*(uint32_t *)(uintptr_t)&nifp->ni_host_rx_rings = 1;
	for (i = 0; i < NRINGS; i++) {
		r = fake_ring(mem, i);
		ofs[i] = (char *)r - (char *)nifp;
		*(int64_t *)(uintptr_t)&r->buf_ofs =
			(int64_t)BUFOFS - ((char *)r - mem);
		*(uint32_t *)(uintptr_t)&r->num_slots = NSLOTS;
		*(uint32_t *)(uintptr_t)&r->nr_buf_size = BUFSZ;
		*(uint16_t *)(uintptr_t)&r->ringid = (uint16_t)i;
	}

	/* ring order: NIC tx 0,1, host tx, NIC rx 0,1, host rx */
	EXPECT(NETMAP_TXRING(nifp, 0) == fake_ring(mem, 0));
	EXPECT(NETMAP_TXRING(nifp, 2) == fake_ring(mem, 2));
	EXPECT(NETMAP_RXRING(nifp, 0) == fake_ring(mem, 3));
	EXPECT(NETMAP_RXRING(nifp, 2) == fake_ring(mem, 5));

	r = NETMAP_RXRING(nifp, 1);
	EXPECT(NETMAP_BUF(r, 0) == mem + BUFOFS);
	EXPECT(NETMAP_BUF(r, 5) == mem + BUFOFS + 5 * BUFSZ);
	EXPECT(NETMAP_BUF_IDX(r, mem + BUFOFS + 3 * BUFSZ + 10) == 3);

	EXPECT(nm_ring_next(r, 0) == 1);
	EXPECT(nm_ring_next(r, NSLOTS - 1) == 0);

	r->head = r->cur = 1;
	r->tail = 3;
	EXPECT(!nm_ring_empty(r));
	EXPECT(nm_ring_space(r) == 2);
	r->head = r->cur = 3;
	r->tail = 1;
	EXPECT(nm_ring_space(r) == 2);
	r->tail = 3;
	EXPECT(nm_ring_empty(r));
	EXPECT(nm_ring_space(r) == 0);
	/* tx: nothing pending when tail is right behind head */
	r->head = 2;
	r->tail = 1;
	EXPECT(!nm_tx_pending(r));
	r->tail = 0;
	EXPECT(nm_tx_pending(r));

	/* offsets in slot->ptr */
	*(uint64_t *)(uintptr_t)&r->offset_mask = 0x3f;
	s = &r->slot[0];
	s->buf_idx = 2;
	s->ptr = 0xabcd000;
	NETMAP_WOFFSET(r, s, 0x1e5);	/* bits above the mask are dropped */
	EXPECT(s->ptr == 0xabcd025);
	EXPECT(NETMAP_ROFFSET(r, s) == 0x25);
	EXPECT(NETMAP_BUF_OFFSET(r, s) == mem + BUFOFS + 2 * BUFSZ + 0x25);

	/* slot flag helpers */
	s->flags = (uint16_t)((3 << NS_PORT_SHIFT) | NS_MOREFRAG);
	EXPECT(NS_RFRAGS(s) == 3);
	EXPECT((s->flags & NS_PORT_MASK) >> NS_PORT_SHIFT == 3);

	/* nm_pkt_copy: fast path (64) and memcpy path (odd size) */
	for (i = 0; i < 16; i++) {
		src[i] = 0x0101010101010101ULL * (uint64_t)(i + 1);
		dst[i] = 0;
	}
	nm_pkt_copy(src, dst, 64);
	EXPECT(dst[7] == src[7] && dst[8] == 0);
	nm_pkt_copy(src, dst, 70);
	EXPECT(((unsigned char *)dst)[69] == ((unsigned char *)src)[69]);
	EXPECT(((unsigned char *)dst)[70] == 0);
}

int
main(void)
{
	check_helpers();
	if (failures) {
		fprintf(stderr, "abi: %d check(s) failed\n", failures);
		return EXIT_FAILURE;
	}
	printf("abi ok\n");
	return EXIT_SUCCESS;
}
