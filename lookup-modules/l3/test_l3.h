/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the l3 router's unit tests share (test_l3.c, test_lpm.c): random
 * numbers, configuration requests, frames, and running a frame through
 * the router as the core would.
 */
#ifndef _VALE_L3_TEST_H
#define _VALE_L3_TEST_H

#include <arpa/inet.h>

#include "../../tests/user/check.h"
#include "../../vale/vale.h"
#include <vale/uport.h>
#include "l3.h"

#define B(attr)		(1u << VALE_L3_ATTR_##attr)

extern u64 rng_state;

static inline u64 rnd(void)
{
	u64 x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static const u8 MAC_R0[6] = { 0x02, 0, 0, 0, 0xaa, 0 };	/* router, port 0 */
static const u8 MAC_R1[6] = { 0x02, 0, 0, 0, 0xaa, 1 };	/* router, port 1 */
static const u8 MAC_R2[6] = { 0x02, 0, 0, 0, 0xaa, 2 };
static const u8 MAC_H0[6] = { 0x02, 0, 0, 0, 0xbb, 0 };	/* a host on port 0 */
static const u8 MAC_H1[6] = { 0x02, 0, 0, 0, 0xbb, 1 };	/* a host on port 1 */
static const u8 MAC_GW[6] = { 0x02, 0, 0, 0, 0xcc, 1 };	/* a gateway on port 1 */
static const u8 BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ------------------------------------------------------------ config */

static inline struct l3_addr addr_of(const char *s)
{
	struct l3_addr a = { 0 };

	if (inet_pton(AF_INET, s, a.b) == 1)
		a.family = 4;
	else if (inet_pton(AF_INET6, s, a.b) == 1)
		a.family = 6;
	else
		abort();
	return a;
}

static inline int apply(struct l3 *r, struct l3_req *q)
{
	struct l3_err err;
	int e = l3_apply(r, q, &err);

	if (e && getenv("L3_VERBOSE"))
		fprintf(stderr, "l3_apply op %u: %d %s (attr %u)\n", q->op, e, err.msg, err.attr);
	return e;
}

static inline int cfg_port(struct l3 *r, u32 port, const u8 *mac)
{
	struct l3_req q = { .op = VALE_L3_OP_PORT_SET, .has = B(OP) | B(PORT) | B(MAC),
			    .port = port };

	memcpy(q.mac, mac, 6);
	return apply(r, &q);
}

static inline int cfg_addr(struct l3 *r, u32 op, u32 port, const char *a)
{
	struct l3_req q = { .op = op, .has = B(OP) | B(PORT) | B(ADDR), .port = port };

	q.addr = addr_of(a);
	return apply(r, &q);
}

static inline int cfg_route_a(struct l3 *r, const struct l3_addr *p, u8 plen, u32 port,
		       const struct l3_addr *gw)
{
	struct l3_req q = { .op = VALE_L3_OP_ROUTE_ADD,
			    .has = B(OP) | B(PREFIX) | B(PREFIX_LEN) | B(PORT),
			    .port = port, .plen = plen, .prefix = *p };

	if (gw) {
		q.has |= B(GATEWAY);
		q.gw = *gw;
	}
	return apply(r, &q);
}

static inline int cfg_route(struct l3 *r, const char *p, u8 plen, u32 port, const char *gw)
{
	struct l3_addr pa = addr_of(p), ga;

	if (gw)
		ga = addr_of(gw);
	return cfg_route_a(r, &pa, plen, port, gw ? &ga : NULL);
}

static inline int del_route_a(struct l3 *r, const struct l3_addr *p, u8 plen)
{
	struct l3_req q = { .op = VALE_L3_OP_ROUTE_DEL, .has = B(OP) | B(PREFIX) | B(PREFIX_LEN),
			    .plen = plen, .prefix = *p };

	return apply(r, &q);
}

static inline int cfg_neigh(struct l3 *r, u32 port, const char *a, const u8 *mac)
{
	struct l3_req q = { .op = VALE_L3_OP_NEIGH_ADD, .has = B(OP) | B(PORT) | B(ADDR) | B(MAC),
			    .port = port };

	q.addr = addr_of(a);
	memcpy(q.mac, mac, 6);
	return apply(r, &q);
}

static inline struct l3 *router(u32 nports)
{
	void *priv;
	u32 i;

	CHECK_EQ(l3_create(&priv, "valetest"), 0);
	for (i = 0; i < nports; i++)
		CHECK_EQ(l3_ops.port_attach(priv, i), 0);
	return priv;
}

/*
 * The usual topology: port 0 is 10.0.0.1/24 and 2001:db8::1/64 with a host
 * 10.0.0.2 / 2001:db8::2; port 1 is 10.1.0.1/24, 2001:db8:1::1/64 with a
 * host 10.1.0.2 / 2001:db8:1::2 and a gateway 10.1.0.254 / 2001:db8:1::fe
 * to 192.168.0.0/16 and 2001:db8:100::/48.
 */
static inline struct l3 *router_std(void)
{
	struct l3 *r = router(3);

	CHECK_EQ(cfg_port(r, 0, MAC_R0), 0);
	CHECK_EQ(cfg_port(r, 1, MAC_R1), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.0.0.1"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "10.1.0.1"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "2001:db8::1"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "2001:db8:1::1"), 0);
	CHECK_EQ(cfg_route(r, "10.0.0.0", 24, 0, NULL), 0);
	CHECK_EQ(cfg_route(r, "10.1.0.0", 24, 1, NULL), 0);
	CHECK_EQ(cfg_route(r, "192.168.0.0", 16, 1, "10.1.0.254"), 0);
	CHECK_EQ(cfg_route(r, "2001:db8::", 64, 0, NULL), 0);
	CHECK_EQ(cfg_route(r, "2001:db8:1::", 64, 1, NULL), 0);
	CHECK_EQ(cfg_route(r, "2001:db8:100::", 48, 1, "2001:db8:1::fe"), 0);
	CHECK_EQ(cfg_neigh(r, 0, "10.0.0.2", MAC_H0), 0);
	CHECK_EQ(cfg_neigh(r, 1, "10.1.0.2", MAC_H1), 0);
	CHECK_EQ(cfg_neigh(r, 1, "10.1.0.254", MAC_GW), 0);
	CHECK_EQ(cfg_neigh(r, 0, "2001:db8::2", MAC_H0), 0);
	CHECK_EQ(cfg_neigh(r, 1, "2001:db8:1::2", MAC_H1), 0);
	CHECK_EQ(cfg_neigh(r, 1, "2001:db8:1::fe", MAC_GW), 0);
	return r;
}

/* ------------------------------------------------------------ frames */

static inline void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = (u8)v;
}

/* An IPv4 frame of len bytes (total length len - 14), checksum right. */
static inline u32 ip4_frame(u8 *f, const u8 *dmac, const u8 *smac, const char *src, const char *dst,
		     u8 ttl, u32 len)
{
	struct l3_addr s = addr_of(src), d = addr_of(dst);
	u8 *ip = f + 14;
	u32 i;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put16(ip + 2, len - 14);
	put16(ip + 4, 0x1234);
	ip[8] = ttl;
	ip[9] = 17;
	memcpy(ip + 12, s.b, 4);
	memcpy(ip + 16, d.b, 4);
	put16(ip + 10, ~l3_csum(ip, 20, 0));
	for (i = 34; i < len; i++)
		f[i] = (u8)(i * 7);
	return len;
}

static inline u32 ip6_frame(u8 *f, const u8 *dmac, const u8 *smac, const char *src, const char *dst,
		     u8 hops, u32 len)
{
	struct l3_addr s = addr_of(src), d = addr_of(dst);
	u8 *ip = f + 14;
	u32 i;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	put16(f + 12, 0x86dd);
	memset(ip, 0, 40);
	ip[0] = 0x60;
	put16(ip + 4, len - 54);
	ip[6] = 17;
	ip[7] = hops;
	memcpy(ip + 8, s.b, 16);
	memcpy(ip + 24, d.b, 16);
	for (i = 54; i < len; i++)
		f[i] = (u8)(i * 7);
	return len;
}

static inline u32 arp_frame(u8 *f, const u8 *dmac, const u8 *sha, const char *spa, const char *tpa,
		     u16 op)
{
	struct l3_addr s = addr_of(spa), t = addr_of(tpa);

	memset(f, 0, 60);
	memcpy(f, dmac, 6);
	memcpy(f + 6, sha, 6);
	put16(f + 12, 0x0806);
	put16(f + 14, 1);
	put16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, op);
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, s.b, 4);
	memcpy(f + 38, t.b, 4);
	return 60;
}

/* An NS from src (MAC smac) for target, to its solicited-node group. */
static inline u32 ns_frame(u8 *f, const u8 *smac, const char *src, const char *target)
{
	struct l3_addr s = addr_of(src), t = addr_of(target);
	u8 *ip = f + 14, *icmp = ip + 40;
	u32 sum;

	memset(f, 0, 86);
	f[0] = 0x33;
	f[1] = 0x33;
	f[2] = 0xff;
	memcpy(f + 3, t.b + 13, 3);
	memcpy(f + 6, smac, 6);
	put16(f + 12, 0x86dd);
	ip[0] = 0x60;
	put16(ip + 4, 32);
	ip[6] = 58;
	ip[7] = 255;
	memcpy(ip + 8, s.b, 16);
	ip[24] = 0xff;
	ip[25] = 0x02;
	ip[35] = 1;
	ip[36] = 0xff;
	memcpy(ip + 37, t.b + 13, 3);
	icmp[0] = 135;
	memcpy(icmp + 8, t.b, 16);
	icmp[24] = 1;		/* source link-layer address */
	icmp[25] = 1;
	memcpy(icmp + 26, smac, 6);
	sum = l3_csum(ip + 8, 32, 32 + 58);
	put16(icmp + 2, ~l3_csum(icmp, 32, sum));
	return 86;
}

/*
 * Run one frame through the router as the core does: a private copy of
 * its head, the answer, and the frame as it would be delivered.
 */
static inline u32 run(struct l3 *r, u16 src_port, const u8 *f, u32 len, u8 *out, u32 *out_len)
{
	u8 hdr[VALE_HDR_MAX];
	u32 copy = min(len, (u32)L3_HDR_COPY), dst;
	struct vale_pkt p = {
		.data = hdr, .len = copy, .hdr_len = copy, .total_len = len,
		.src_port = src_port, .dst_ring = VALE_RING_ANY, .frags = 1,
	};

	memset(hdr, 0x5a, sizeof(hdr));
	memcpy(hdr, f, copy);
	l3_lookup_batch(r, &p, &dst, 1);
	if (out) {
		memcpy(out, hdr, p.hdr_len);
		memcpy(out + p.hdr_len, f + copy, len - copy);
		*out_len = p.hdr_len + len - copy;
	}
	return dst;
}

static inline u64 stat(struct l3 *r, u32 which)
{
	u64 st[L3_NSTATS];

	l3_get_stats(r, st);
	return st[which];
}

struct hop {
	int port;
	u32 gw;
};

static inline struct hop route4(struct l3 *r, u32 a)
{
	u32 id = l3_lpm4_lookup(r->lpm4.tbl24, r->lpm4.tbl8, a), i;
	struct hop h = { -1, 0 };

	if (id == L3_NH_LOCAL)
		h.port = -2;
	for (i = 0; id >= L3_NH_FIRST && i < r->nhs.n; i++) {
		const struct l3_nh *nh = container_of(r->nhs.all[i], struct l3_nh, obj);

		if (nh->id == id) {
			h.port = nh->port;
			h.gw = nh->has_gw ? l3_get_be32(nh->gw) : 0;
		}
	}
	return h;
}


/* test_lpm.c */
void test_lpm4_random_vs_bruteforce(void);
void test_routes4_add_del_random(void);
void test_lpm4_100k_routes(void);
void test_lpm6_random_vs_bruteforce(void);
void test_changes_under_lookups(void);

#endif /* _VALE_L3_TEST_H */
