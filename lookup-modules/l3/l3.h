/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The l3 lookup module: an IPv4 and IPv6 router between the ports of a
 * switch. The state of one switch, the control API (the same requests as
 * the netlink configuration, include/uapi/linux/vale.h enum vale_l3_attr)
 * and the forwarding path, all OS-independent: they build in the kernel
 * module and in user space (tests, fuzzing, benchmark). netlink.c, kernel
 * only, turns netlink attributes into struct l3_req and back.
 *
 * DOC: Locking
 * The control path (l3_apply, port_attach/detach, dumps, create/destroy)
 * runs under the switch's control lock, one call at a time, concurrently
 * with the forwarding path (.lookup_batch on any number of CPUs, inside
 * vale_read_lock). What forwarding reads changes by single-word stores
 * (a port's MAC, a next hop, an LPM entry) or by publishing new objects
 * with release stores; what it stops reading is freed or reused after a
 * grace period (table.h). Counters are per input port, written by that
 * port's senders without atomics: two rings of one port sending at the
 * same moment may lose an increment.
 */
#ifndef _VALE_L3_H
#define _VALE_L3_H

#include "../../vale/os.h"
#include <vale/lookup.h>
#include <uapi/linux/vale.h>

#include "lpm4.h"
#include "lpm6.h"
#include "table.h"

/* Enough for Ethernet + IPv4 with options, ARP, and an NS with its option. */
#define L3_HDR_COPY		96
#define L3_PORT_ADDRS		8	/* router addresses per port and family */
#define L3_NSTATS		__VALE_L3_STATS_MAX

/* A MAC address in one word, as the forwarding path reads it. */
#define L3_MAC_MASK		((1ULL << 48) - 1)
#define L3_MAC_VALID		(1ULL << 63)

/*
 * Next hops: id 0 is no route, id 1 the router itself (its addresses'
 * host routes); each other id is (port, gateway or connected), shared by
 * the routes through it, and one word the forwarding path reads:
 */
#define L3_NH_NONE		0
#define L3_NH_LOCAL		1
#define L3_NH_FIRST		2
#define L3_NH_PORT_SHIFT	48		/* bits 48..55: the output port */
#define L3_NH_RESOLVED		(1ULL << 56)	/* bits 0..47: the gateway's MAC */
#define L3_NH_CONNECTED		(1ULL << 57)	/* the destination is a neighbour */
#define L3_NH_IS_LOCAL		(1ULL << 58)

/* An IPv4 (family 4, b[0..3]) or IPv6 (family 6) address, network order. */
struct l3_addr {
	u8 family;		/* 0: none */
	u8 b[16];
};

struct l3_port {
	u64 mac;				/* L3_MAC_VALID | MAC, or 0 */
	u32 addr4[L3_PORT_ADDRS];		/* host order, 0: free */
	u8 addr6[L3_PORT_ADDRS][16];
	u32 addr6_used;				/* bit i: addr6[i] in use */
	bool attached;
};

struct l3_port_stats {
	u64 c[L3_NSTATS];
} __attribute__((aligned(64)));

/* A static neighbour: what (family, port, address) resolves to. */
struct l3_neigh {
	struct l3_obj obj;
	u64 mac;		/* L3_MAC_VALID | MAC */
	u8 family, port;
	u8 addr[16];
};

struct l3_nh {
	struct l3_obj obj;
	u32 id, refs;
	u8 family, port;
	bool has_gw;
	u8 gw[16];
};

struct l3_route {
	struct l3_obj obj;
	struct l3_nh *nh;	/* NULL: a router address (L3_NH_LOCAL) */
	u8 family, plen;
	bool local;		/* a router address's host route */
	u8 prefix[16];
};

struct l3 {
	/* Read by the forwarding path. */
	struct l3_lpm4 lpm4;
	struct l3_lpm6 lpm6;
	u64 *nhw;			/* next hop words, by id */
	struct l3_tab neighs;		/* struct l3_neigh */
	vale_hash_key key;
	struct l3_port port[VALE_MAX_PORTS];
	struct l3_port_stats stats[VALE_MAX_PORTS];

	/* The control path's. */
	struct l3_tab routes;		/* struct l3_route */
	struct l3_tab nhs;		/* struct l3_nh */
	struct l3_ids nh_ids;
	u32 nh_cap;			/* entries of nhw */
	struct l3_limbo limbo;
};

/* One configuration request, as VALE_CMD_LOOKUP_CONFIG carries it. */
struct l3_req {
	u32 op;			/* enum vale_l3_op */
	u32 has;		/* 1 << VALE_L3_ATTR_x for each attribute given */
	u32 port;
	u8 mac[6];
	u8 plen;
	struct l3_addr addr, prefix, gw;
	u64 stats[L3_NSTATS];	/* VALE_L3_OP_STATS in dumps */
};

/* Why a request was refused: a message and the attribute at fault. */
struct l3_err {
	const char *msg;
	u32 attr;		/* VALE_L3_ATTR_x, 0: the request as a whole */
	bool missing;		/* attr is required and absent */
};

/* -------------------------------------------------------------- l3.c */

extern struct vale_lookup_ops l3_ops;

int l3_create(void **priv, const char *switch_name);
void l3_destroy(void *priv);
/* Apply one request; 0 or -errno with *err saying why. Control path. */
int l3_apply(struct l3 *r, const struct l3_req *req, struct l3_err *err);
/*
 * Dumps: the first object at or after *pos as the request that makes it
 * (or the counters, op VALE_L3_OP_STATS); 1 and *pos past it, or 0 at the
 * end.
 */
int l3_dump_next(struct l3 *r, u64 *pos, struct l3_req *out);
/* The kinds of objects, in dump order; *pos >> 32 is the kind. */
enum { L3_DUMP_STATS, L3_DUMP_PORTS, L3_DUMP_ADDRS, L3_DUMP_NEIGHS, L3_DUMP_ROUTES, L3_DUMP_END };
/* The counters, summed over the input ports. */
void l3_get_stats(struct l3 *r, u64 out[L3_NSTATS]);

/*
 * A keyed hash of an address and a tag (what else the key holds), so
 * that configured addresses cannot be aimed at one chain.
 */
static inline u32 l3_hash(const struct l3 *r, u32 tag, u8 family, const u8 *a)
{
	u64 w0 = (u64)a[0] << 24 | (u64)a[1] << 16 | (u64)a[2] << 8 | a[3];
	u64 w1;

	if (family == 4)
		return vale_hash64(w0 << 32 | tag, &r->key);
	w0 = w0 << 32 | ((u64)a[4] << 24 | (u64)a[5] << 16 | (u64)a[6] << 8 | a[7]);
	w1 = (u64)a[8] << 56 | (u64)a[9] << 48 | (u64)a[10] << 40 | (u64)a[11] << 32 |
	     (u64)a[12] << 24 | (u64)a[13] << 16 | (u64)a[14] << 8 | a[15];
	return vale_hash64(w1 ^ ((u64)vale_hash64(w0, &r->key) << 32 | tag), &r->key);
}

static inline u32 l3_neigh_hash(const struct l3 *r, u8 family, u8 port, const u8 *addr)
{
	return l3_hash(r, (u32)family << 16 | (u32)port << 8 | 1, family, addr);
}

/* ------------------------------------------------------------- fwd.c */

u32 l3_lookup(void *priv, struct vale_pkt *pkt);
void l3_lookup_batch(void *priv, struct vale_pkt *pkts, u32 *dst, u32 n);
/* RFC 1624, eqn. 3: the checksum hc once a 16-bit word goes from old to new. */
u16 l3_csum_replace(u16 hc, u16 old, u16 new);
/* The Internet checksum of len bytes (even), folded, not complemented. */
u16 l3_csum(const u8 *p, u32 len, u32 sum);

static inline u32 l3_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline u64 l3_get_be64(const u8 *p)
{
	return (u64)l3_get_be32(p) << 32 | l3_get_be32(p + 4);
}

static inline u16 l3_get_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static inline void l3_put_be16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = (u8)v;
}

static inline void l3_put_be32(u8 *p, u32 v)
{
	l3_put_be16(p, v >> 16);
	l3_put_be16(p + 2, (u16)v);
}

/* A MAC address as the low 48 bits of a word, m[0] the most significant. */
static inline u64 l3_mac_word(const u8 *m)
{
	/* Two loads, not a 6-byte copy read back as 8: that would stall. */
	u32 hi;
	u16 lo;

	memcpy(&hi, m, 4);
	memcpy(&lo, m + 4, 2);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	return (u64)__builtin_bswap32(hi) << 16 | __builtin_bswap16(lo);
#else
	return (u64)hi << 16 | lo;
#endif
}

static inline void l3_put_mac(u8 *p, u64 w)
{
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	u64 v = __builtin_bswap64(w << 16);
#else
	u64 v = w << 16;
#endif
	memcpy(p, &v, 6);
}

/*
 * Whether an IPv4 header's checksum is right: its ones' complement sum,
 * taken here 32 bits at a time in the machine's byte order (RFC 1071: the
 * sum does not depend on either), is 0xffff.
 */
static inline bool l3_ip4_csum_ok(const u8 *ip, u32 ihl)
{
	u32 w[5], i;
	u64 sum;

	memcpy(w, ip, 20);	/* every header has these: loads, no loop */
	sum = (u64)w[0] + w[1] + w[2] + w[3] + w[4];
	for (i = 20; i < ihl; i += 4) {
		memcpy(w, ip + i, 4);
		sum += w[0];
	}
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return sum == 0xffff;
}

#endif /* _VALE_L3_H */
