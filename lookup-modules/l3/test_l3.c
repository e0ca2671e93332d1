// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the l3 router in user space (make check-l3), as is and
 * under ASan/UBSan: the longest-prefix match against references on random
 * tables (IPv4 up to 100,000 routes, IPv6) and route changes under
 * concurrent lookups (test_lpm.c); here the TTL decrement's incremental
 * checksum against a full recomputation, every drop reason, ARP and
 * neighbour solicitation answers, the control requests' checks, dumps, and
 * whole frames through a user-space switch with uports.
 *
 * Random inputs come from a fixed seed (L3_SEED=n to change it).
 */
#include "test_l3.h"

int check_passed, check_failed;
u64 rng_state = 0x9e3779b97f4a7c15ULL;

/* ------------------------------------------------- TTL and checksum */

/* RFC 1624 eqn. 3 against a full recomputation, on random headers. */
static void test_csum_incremental_equals_full(void)
{
	u32 i, bad = 0, j;
	u8 h[60];

	for (i = 0; i < 200000; i++) {
		u32 ihl = 20 + 4 * (rnd() % 11);
		u16 hc, old, want;

		for (j = 0; j < ihl; j++)
			h[j] = (u8)rnd();
		/* headers whose sum makes a 0x0000 or 0xffff checksum */
		if (i % 4 == 0)
			memset(h + 12, i % 8 ? 0xff : 0, 8);
		h[8] = 2 + rnd() % 254;
		h[10] = h[11] = 0;
		put16(h + 10, ~l3_csum(h, ihl, 0));
		hc = l3_get_be16(h + 10);
		old = l3_get_be16(h + 8);
		h[8]--;
		h[10] = h[11] = 0;
		want = ~l3_csum(h, ihl, 0);
		bad += l3_csum_replace(hc, old, l3_get_be16(h + 8)) != want;
		/* the forwarding path's word-wide check agrees with the sum */
		if (i % 3 == 0)
			h[rnd() % ihl] ^= 1 << (rnd() % 8);	/* broken, sometimes */
		bad += l3_ip4_csum_ok(h, ihl) != (l3_csum(h, ihl, 0) == 0xffff);
	}
	CHECK_EQ(bad, 0);
}

/* Forwarded IPv4: MACs rewritten, TTL - 1, checksum = full recomputation. */
static void test_forward_ipv4_rewrites(void)
{
	struct l3 *r = router_std();
	u8 f[2048], g[2048], want_ck[2];
	u32 glen, i, bad = 0;

	/* through the gateway, and to a connected host */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "192.168.3.4", 64, 100);
	CHECK_EQ(run(r, 0, f, 100, g, &glen), 1);
	CHECK_EQ(glen, 100);
	CHECK(!memcmp(g, MAC_GW, 6) && !memcmp(g + 6, MAC_R1, 6));
	CHECK_EQ(g[14 + 8], 63);
	CHECK_EQ(l3_csum(g + 14, 20, 0), 0xffff);
	CHECK(!memcmp(g + 34, f + 34, 100 - 34));
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 2, 1514);
	CHECK_EQ(run(r, 0, f, 1514, g, &glen), 1);
	CHECK(!memcmp(g, MAC_H1, 6) && !memcmp(g + 6, MAC_R1, 6));
	CHECK_EQ(g[14 + 8], 1);
	CHECK(!memcmp(g + 34, f + 34, 1514 - 34));	/* past the copy, intact */
	CHECK_EQ(glen, 1514);
	/* With options, random fields: the checksum stays right. */
	for (i = 0; i < 5000; i++) {
		u32 ihl = 20 + 4 * (rnd() % 11), j;

		ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 2 + rnd() % 254, 200);
		f[14] = 0x40 | ihl / 4;
		for (j = 14 + 1; j < 14 + ihl; j++)
			/* not the lengths, TTL or addresses */
			if (j != 16 && j != 17 && j != 22 && (j < 26 || j >= 34))
				f[j] = (u8)rnd();
		f[14 + 10] = f[14 + 11] = 0;
		put16(f + 14 + 10, ~l3_csum(f + 14, ihl, 0));
		if (run(r, 0, f, 200, g, &glen) != 1) {
			bad++;
			continue;
		}
		memcpy(want_ck, g + 14 + 10, 2);
		g[14 + 10] = g[14 + 11] = 0;
		put16(g + 14 + 10, ~l3_csum(g + 14, ihl, 0));
		bad += memcmp(want_ck, g + 14 + 10, 2) || g[14 + 8] != f[14 + 8] - 1;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(stat(r, VALE_L3_STATS_FORWARDED_V4), 5002);
	l3_destroy(r);
}

static void test_forward_ipv6_rewrites(void)
{
	struct l3 *r = router_std();
	u8 f[2048], g[2048];
	u32 glen;

	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:100:5::9", 64, 200);
	CHECK_EQ(run(r, 0, f, 200, g, &glen), 1);
	CHECK(!memcmp(g, MAC_GW, 6) && !memcmp(g + 6, MAC_R1, 6));
	CHECK_EQ(g[14 + 7], 63);
	CHECK(!memcmp(g + 14 + 8, f + 14 + 8, 200 - 22));
	ip6_frame(f, MAC_R1, MAC_H1, "2001:db8:1::2", "2001:db8::2", 2, 1514);
	CHECK_EQ(run(r, 1, f, 1514, g, &glen), 0);
	CHECK(!memcmp(g, MAC_H0, 6) && !memcmp(g + 6, MAC_R0, 6));
	CHECK_EQ(g[14 + 7], 1);
	CHECK_EQ(glen, 1514);
	CHECK(!memcmp(g + 54, f + 54, 1514 - 54));
	CHECK_EQ(stat(r, VALE_L3_STATS_FORWARDED_V6), 2);
	l3_destroy(r);
}

/* ------------------------------------------------------------- drops */

/* f dropped, and counted under reason (only there). */
static void expect_drop(struct l3 *r, u16 port, const u8 *f, u32 len, u32 reason, int line)
{
	u64 before[L3_NSTATS], after[L3_NSTATS];
	u32 d, i, other = 0;

	l3_get_stats(r, before);
	d = run(r, port, f, len, NULL, NULL);
	l3_get_stats(r, after);
	for (i = 0; i < L3_NSTATS; i++)
		if (i != reason)
			other += after[i] != before[i];
	if (d != VALE_DROP || after[reason] != before[reason] + 1 || other)
		fprintf(stderr, "line %d: dst %u, reason %u: %llu -> %llu\n", line, d, reason,
			(unsigned long long)before[reason], (unsigned long long)after[reason]);
	CHECK(d == VALE_DROP && after[reason] == before[reason] + 1 && !other);
}

#define DROP(port, f, len, why) expect_drop(r, port, f, len, VALE_L3_STATS_##why, __LINE__)

static void test_drops_by_reason(void)
{
	struct l3 *r = router_std();
	u8 f[2048];
	u32 len;

	/* not IP */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	put16(f + 12, 0x88b5);
	DROP(0, f, 60, DROP_NOT_IP);
	put16(f + 12, 0x8100);		/* VLAN-tagged: not routed either */
	DROP(0, f, 60, DROP_NOT_IP);
	/* truncated */
	DROP(0, f, 13, DROP_TRUNCATED);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	DROP(0, f, 30, DROP_TRUNCATED);			/* no whole header */
	put16(f + 16, 100);				/* total length past the frame */
	f[24] = f[25] = 0;
	put16(f + 24, ~l3_csum(f + 14, 20, 0));
	DROP(0, f, 60, DROP_TRUNCATED);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	f[14] = 0x4f;					/* 60-byte header, 46 bytes here */
	DROP(0, f, 60, DROP_TRUNCATED);
	/* malformed */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	f[14] = 0x55;
	DROP(0, f, 60, DROP_MALFORMED);
	f[14] = 0x44;
	DROP(0, f, 60, DROP_MALFORMED);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	put16(f + 16, 19);
	f[24] = f[25] = 0;
	put16(f + 24, ~l3_csum(f + 14, 20, 0));
	DROP(0, f, 60, DROP_MALFORMED);
	/* checksum */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	f[24] ^= 1;
	DROP(0, f, 60, DROP_CHECKSUM);
	/* expired: 1 and 0 */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 1, 60);
	DROP(0, f, 60, DROP_TTL);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 0, 60);
	DROP(0, f, 60, DROP_TTL);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::2", 1, 80);
	DROP(0, f, 80, DROP_TTL);
	/* no route, no neighbour (connected and through a gateway) */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "172.16.0.1", 64, 60);
	DROP(0, f, 60, DROP_NO_ROUTE);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db9::1", 64, 80);
	DROP(0, f, 80, DROP_NO_ROUTE);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.99", 64, 60);
	DROP(0, f, 60, DROP_NO_NEIGH);
	CHECK_EQ(cfg_route(r, "172.16.0.0", 12, 1, "10.1.0.253"), 0);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "172.16.0.1", 64, 60);
	DROP(0, f, 60, DROP_NO_NEIGH);
	CHECK_EQ(cfg_neigh(r, 1, "10.1.0.253", MAC_GW), 0);	/* now it resolves */
	CHECK_EQ(run(r, 0, f, 60, NULL, NULL), 1);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::99", 64, 80);
	DROP(0, f, 80, DROP_NO_NEIGH);
	/* not a router port, not to the router's MAC */
	ip4_frame(f, MAC_R2, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	DROP(2, f, 60, DROP_NOT_ROUTER);
	ip4_frame(f, MAC_H1, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	DROP(0, f, 60, DROP_NOT_ROUTER);
	ip4_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.1.0.2", 64, 60);
	DROP(0, f, 60, DROP_NOT_ROUTER);
	/* to the router itself */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.1", 64, 60);
	DROP(0, f, 60, DROP_LOCAL);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8::1", 64, 80);
	DROP(0, f, 80, DROP_LOCAL);
	/* special addresses */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "224.0.0.5", 64, 60);
	DROP(0, f, 60, DROP_ADDR);
	ip4_frame(f, MAC_R0, MAC_H0, "127.0.0.1", "10.1.0.2", 64, 60);
	DROP(0, f, 60, DROP_ADDR);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "255.255.255.255", 64, 60);
	DROP(0, f, 60, DROP_ADDR);
	ip6_frame(f, MAC_R0, MAC_H0, "fe80::2", "2001:db8:1::2", 64, 80);
	DROP(0, f, 80, DROP_ADDR);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "::1", 64, 80);
	DROP(0, f, 80, DROP_ADDR);
	/* IPv6 malformed and truncated */
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::2", 64, 80);
	f[14] = 0x40;
	DROP(0, f, 80, DROP_MALFORMED);
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::2", 64, 80);
	DROP(0, f, 79, DROP_TRUNCATED);
	DROP(0, f, 50, DROP_TRUNCATED);
	/* the route's port is not a router port (any more) */
	CHECK_EQ(cfg_route(r, "10.2.0.0", 16, 2, NULL), 0);
	CHECK_EQ(cfg_neigh(r, 2, "10.2.0.5", MAC_H1), 0);
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.2.0.5", 64, 60);
	DROP(0, f, 60, DROP_PORT_DOWN);
	CHECK_EQ(cfg_port(r, 2, MAC_R2), 0);
	CHECK_EQ(run(r, 0, f, 60, NULL, NULL), 2);
	/* ARP not answered: a reply, for someone else, malformed, short */
	len = arp_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.0.0.1", 2);
	DROP(0, f, len, DROP_ARP);
	len = arp_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.0.0.3", 1);
	DROP(0, f, len, DROP_ARP);
	len = arp_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.1.0.1", 1);	/* port 1's */
	DROP(0, f, len, DROP_ARP);
	len = arp_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.0.0.1", 1);
	f[18] = 8;
	DROP(0, f, len, DROP_MALFORMED);
	DROP(0, f, 41, DROP_TRUNCATED);
	/* ND: a solicitation for someone else, other ND messages, bad sum */
	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::7");
	DROP(0, f, len, DROP_ND);
	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::1");
	f[14 + 40 + 2] ^= 1;
	DROP(0, f, len, DROP_CHECKSUM);
	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::1");
	f[14 + 7] = 64;						/* hop limit not 255 */
	DROP(0, f, len, DROP_MALFORMED);
	len = ns_frame(f, MAC_H0, "::", "2001:db8::1");		/* DAD */
	DROP(0, f, len, DROP_ND);
	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::1");
	f[14 + 40] = 134;					/* an RA */
	DROP(0, f, len, DROP_ND);
	l3_destroy(r);
}

/* ---------------------------------------------------------- ARP, ND */

static void test_arp_reply(void)
{
	struct l3 *r = router_std();
	struct l3_addr us = addr_of("10.1.0.1"), h = addr_of("10.1.0.2");
	u8 f[128], g[256];
	u32 glen, len, i;

	len = arp_frame(f, BCAST, MAC_H1, "10.1.0.2", "10.1.0.1", 1);
	CHECK_EQ(run(r, 1, f, len, g, &glen), 1 | VALE_HAIRPIN);
	CHECK_EQ(glen, 60);
	CHECK(!memcmp(g, MAC_H1, 6) && !memcmp(g + 6, MAC_R1, 6));
	CHECK_EQ(l3_get_be16(g + 12), 0x0806);
	CHECK_EQ(l3_get_be16(g + 20), 2);			/* a reply */
	CHECK(!memcmp(g + 22, MAC_R1, 6) && !memcmp(g + 28, us.b, 4));
	CHECK(!memcmp(g + 32, MAC_H1, 6) && !memcmp(g + 38, h.b, 4));
	for (i = 42; i < 60; i++)
		CHECK_EQ(g[i], 0);
	/* unicast to us, and a 42-byte request (padded in the reply) */
	len = arp_frame(f, MAC_R1, MAC_H1, "10.1.0.2", "10.1.0.1", 1);
	CHECK_EQ(run(r, 1, f, 42, g, &glen), 1 | VALE_HAIRPIN);
	CHECK_EQ(glen, 60);
	CHECK_EQ(stat(r, VALE_L3_STATS_ARP_REPLIES), 2);
	/* a second address on the port is answered too, a removed one no more */
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "10.1.1.1"), 0);
	len = arp_frame(f, BCAST, MAC_H1, "10.1.1.2", "10.1.1.1", 1);
	CHECK_EQ(run(r, 1, f, len, g, &glen), 1 | VALE_HAIRPIN);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_DEL, 1, "10.1.1.1"), 0);
	CHECK_EQ(run(r, 1, f, len, g, &glen), VALE_DROP);
	l3_destroy(r);
}

static void test_nd_reply(void)
{
	struct l3 *r = router_std();
	struct l3_addr us = addr_of("2001:db8::1"), h = addr_of("2001:db8::2");
	u8 f[256], g[256], *ip = g + 14, *icmp = ip + 40;
	u32 glen, len, sum;

	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::1");
	CHECK_EQ(run(r, 0, f, len, g, &glen), 0 | VALE_HAIRPIN);
	CHECK_EQ(glen, 86);
	CHECK(!memcmp(g, MAC_H0, 6) && !memcmp(g + 6, MAC_R0, 6));
	CHECK_EQ(l3_get_be16(ip + 4), 32);
	CHECK_EQ(ip[6], 58);
	CHECK_EQ(ip[7], 255);
	CHECK(!memcmp(ip + 8, us.b, 16) && !memcmp(ip + 24, h.b, 16));
	CHECK_EQ(icmp[0], 136);
	CHECK_EQ(icmp[4], 0xe0);
	CHECK(!memcmp(icmp + 8, us.b, 16));
	CHECK(icmp[24] == 2 && icmp[25] == 1 && !memcmp(icmp + 26, MAC_R0, 6));
	sum = l3_csum(ip + 8, 32, 32 + 58);
	CHECK_EQ(l3_csum(icmp, 32, sum), 0xffff);
	/* unicast to the router's address */
	len = ns_frame(f, MAC_H0, "2001:db8::2", "2001:db8::1");
	memcpy(f, MAC_R0, 6);
	memcpy(f + 14 + 24, us.b, 16);
	f[14 + 40 + 2] = f[14 + 40 + 3] = 0;
	sum = l3_csum(f + 14 + 8, 32, 32 + 58);
	put16(f + 14 + 40 + 2, ~l3_csum(f + 14 + 40, 32, sum));
	CHECK_EQ(run(r, 0, f, len, g, &glen), 0 | VALE_HAIRPIN);
	CHECK_EQ(stat(r, VALE_L3_STATS_ND_REPLIES), 2);
	l3_destroy(r);
}

/* ---------------------------------------------------------- control */

static int req_err(struct l3 *r, struct l3_req *q, u32 *attr, bool *missing)
{
	struct l3_err err;
	int e = l3_apply(r, q, &err);

	*attr = err.attr;
	*missing = err.missing;
	CHECK(!e || err.msg);
	return e;
}

static void test_requests_checked(void)
{
	struct l3 *r = router(3);
	struct l3_req q;
	bool missing;
	u32 attr;

	memset(&q, 0, sizeof(q));
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	CHECK(attr == VALE_L3_ATTR_OP && missing);
	q = (struct l3_req){ .op = VALE_L3_OP_ROUTE_ADD, .has = B(OP) | B(PREFIX) | B(PORT),
			     .prefix = addr_of("10.0.0.0") };
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	CHECK(attr == VALE_L3_ATTR_PREFIX_LEN && missing);
	q.has |= B(PREFIX_LEN) | B(MAC);
	q.plen = 8;
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);	/* MAC: not accepted */
	CHECK(attr == VALE_L3_ATTR_MAC && !missing);
	q.has &= ~B(MAC);
	q.port = 7;
	CHECK_EQ(req_err(r, &q, &attr, &missing), -ENODEV);
	CHECK_EQ(attr, VALE_L3_ATTR_PORT);
	q.port = 1;
	q.plen = 4;					/* 10/4: host bits set */
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	CHECK_EQ(attr, VALE_L3_ATTR_PREFIX);
	q.plen = 33;
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	CHECK_EQ(attr, VALE_L3_ATTR_PREFIX_LEN);
	q.plen = 8;
	q.has |= B(GATEWAY);
	q.gw = addr_of("2001:db8::1");
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);	/* family mismatch */
	CHECK_EQ(attr, VALE_L3_ATTR_GATEWAY);
	q.gw = addr_of("224.0.0.1");
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	q.gw = addr_of("10.0.0.1");
	CHECK_EQ(req_err(r, &q, &attr, &missing), 0);
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EEXIST);
	CHECK_EQ(attr, VALE_L3_ATTR_PREFIX);
	q = (struct l3_req){ .op = 99, .has = B(OP) };
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EOPNOTSUPP);
	q.op = VALE_L3_OP_STATS;
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EOPNOTSUPP);
	/* ports, addresses, neighbours */
	q = (struct l3_req){ .op = VALE_L3_OP_PORT_SET, .has = B(OP) | B(PORT) | B(MAC) };
	memcpy(q.mac, BCAST, 6);
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);
	CHECK_EQ(attr, VALE_L3_ATTR_MAC);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "0.0.0.0"), -EINVAL);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "ff02::1"), -EINVAL);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.1"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.1"), -EEXIST);
	/* another port's, a host route */
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "10.9.0.1"), -EEXIST);
	CHECK_EQ(cfg_route(r, "10.9.0.1", 32, 1, NULL), -EEXIST);
	q = (struct l3_req){ .op = VALE_L3_OP_ROUTE_DEL, .has = B(OP) | B(PREFIX) | B(PREFIX_LEN),
			     .prefix = addr_of("10.9.0.1"), .plen = 32 };
	CHECK_EQ(req_err(r, &q, &attr, &missing), -EINVAL);	/* a router address's */
	CHECK_EQ(cfg_route(r, "10.9.0.2", 32, 1, NULL), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.2"), -EEXIST);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_DEL, 0, "10.9.0.3"), -ENOENT);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.11"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.12"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.13"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.14"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.15"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.16"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.17"), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.9.0.18"), -ENOSPC);
	CHECK_EQ(cfg_neigh(r, 0, "10.9.0.50", BCAST), -EINVAL);
	CHECK_EQ(cfg_neigh(r, 9, "10.9.0.50", MAC_H0), -ENODEV);
	q = (struct l3_req){ .op = VALE_L3_OP_NEIGH_DEL, .has = B(OP) | B(PORT) | B(ADDR),
			     .port = 0, .addr = addr_of("10.9.0.50") };
	CHECK_EQ(req_err(r, &q, &attr, &missing), -ENOENT);
	q = (struct l3_req){ .op = VALE_L3_OP_FLUSH, .has = B(OP) };
	CHECK_EQ(req_err(r, &q, &attr, &missing), 0);
	CHECK_EQ(r->routes.n, 0);
	CHECK_EQ(r->nhs.n, 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "10.9.0.1"), 0);	/* free again */
	l3_destroy(r);
}

/* A port leaves: its routes, neighbours and addresses go with it. */
static void test_port_detach_forgets(void)
{
	struct l3 *r = router_std();
	u8 f[128];

	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "192.168.1.1", 64, 60);
	CHECK_EQ(run(r, 0, f, 60, NULL, NULL), 1);
	l3_ops.port_detach(r, 1);
	CHECK_EQ(run(r, 0, f, 60, NULL, NULL), VALE_DROP);
	CHECK_EQ(stat(r, VALE_L3_STATS_DROP_NO_ROUTE), 1);
	CHECK_EQ(r->routes.n, 4);		/* port 0's: 2 routes, 2 addresses */
	CHECK_EQ(r->neighs.n, 2);
	CHECK_EQ(cfg_route(r, "10.1.0.0", 24, 1, NULL), -ENODEV);
	CHECK_EQ(l3_ops.port_attach(r, 1), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 1, "10.1.0.1"), 0);	/* free again */
	l3_destroy(r);
}

/* A dump, applied to a new router, makes the same router. */
static void test_dump_round_trip(void)
{
	struct l3 *r = router_std(), *s = router(3);
	u32 counts[VALE_L3_OP_MAX + 1] = { 0 }, i, bad = 0;
	struct l3_req o;
	u64 pos = 0;
	u8 f[128];

	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "192.168.1.1", 1, 60);
	run(r, 0, f, 60, NULL, NULL);				/* one TTL drop */
	while (l3_dump_next(r, &pos, &o) == 1) {
		counts[o.op]++;
		if (o.op == VALE_L3_OP_STATS) {
			CHECK_EQ(o.stats[VALE_L3_STATS_DROP_TTL], 1);
			continue;
		}
		CHECK_EQ(apply(s, &o), 0);
	}
	CHECK_EQ(l3_dump_next(r, &pos, &o), 0);
	CHECK_EQ(counts[VALE_L3_OP_STATS], 1);
	CHECK_EQ(counts[VALE_L3_OP_PORT_SET], 2);
	CHECK_EQ(counts[VALE_L3_OP_ADDR_ADD], 4);
	CHECK_EQ(counts[VALE_L3_OP_NEIGH_ADD], 6);
	CHECK_EQ(counts[VALE_L3_OP_ROUTE_ADD], 6);
	/* a dump resumes where it stopped */
	pos = 0;
	for (i = 0; i < 5; i++)
		CHECK_EQ(l3_dump_next(r, &pos, &o), 1);
	CHECK_EQ(o.op, VALE_L3_OP_ADDR_ADD);
	for (i = 0; i < 2000; i++) {
		u32 a = 0x0a000000 | (u32)(rnd() % 0x20000);
		struct hop x = route4(r, a), y = route4(s, a);

		bad += x.port != y.port || x.gw != y.gw;
	}
	CHECK_EQ(bad, 0);
	l3_destroy(r);
	l3_destroy(s);
}

/* ------------------------------------------------------ the switch */

static struct uport *sw_port(struct vale_switch *sw, const char *name)
{
	struct uport *up = uport_new(name, 1, 1, 256);

	CHECK(up != NULL);
	vale_core_lock();
	CHECK_EQ(vale_port_attach(sw, up->vp), 0);
	vale_core_unlock();
	return up;
}

static int recv1(struct uport *up, u8 *buf)
{
	uport_rxsync(up, 0);
	return uport_recv(up, 0, buf, 4096);
}

/* The router set on a switch: uports, frames in, frames out. */
static void test_switch_forwards(void)
{
	struct vale_switch *sw = NULL;
	struct vale_port_stats st;
	struct uport *p[3];
	struct l3 *r;
	u8 f[4096], g[4096];
	int len, i;

	vale_core_lock();
	CHECK_EQ(vale_switch_create("valel3", &sw), 0);
	sw->persistent = true;
	vale_core_unlock();
	for (i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "p%d", i);
		p[i] = sw_port(sw, name);
	}
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "l3"), 0);
	r = vale_deref_ctl(sw->lookup, &vale_lock)->priv;
	vale_core_unlock();
	/* the standard topology, by hand: port numbers are attach order */
	CHECK_EQ(cfg_port(r, 0, MAC_R0), 0);
	CHECK_EQ(cfg_port(r, 1, MAC_R1), 0);
	CHECK_EQ(cfg_addr(r, VALE_L3_OP_ADDR_ADD, 0, "10.0.0.1"), 0);
	CHECK_EQ(cfg_route(r, "10.0.0.0", 24, 0, NULL), 0);
	CHECK_EQ(cfg_route(r, "10.1.0.0", 24, 1, NULL), 0);
	CHECK_EQ(cfg_route(r, "2001:db8:1::", 64, 1, NULL), 0);
	CHECK_EQ(cfg_neigh(r, 0, "10.0.0.2", MAC_H0), 0);
	CHECK_EQ(cfg_neigh(r, 1, "10.1.0.2", MAC_H1), 0);
	CHECK_EQ(cfg_neigh(r, 1, "2001:db8:1::2", MAC_H1), 0);

	/* IPv4, short and long frames, and one in three slots */
	for (i = 0; i < 3; i++) {
		u32 n = i == 0 ? 60 : i == 1 ? 1514 : 3000;

		ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 64, n);
		if (i < 2)
			CHECK_EQ(uport_send(p[0], 0, f, n), 0);
		else
			CHECK_EQ(uport_send_frags(p[0], 0, f, n, 1024), 0);
		uport_txsync(p[0], 0);
		len = recv1(p[1], g);
		CHECK_EQ(len, (int)n);
		CHECK(!memcmp(g, MAC_H1, 6) && !memcmp(g + 6, MAC_R1, 6));
		CHECK_EQ(g[14 + 8], 63);
		CHECK_EQ(l3_csum(g + 14, 20, 0), 0xffff);
		CHECK(len == (int)n && !memcmp(g + 34, f + 34, n - 34));
	}
	/* IPv6 */
	ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::2", 9, 120);
	CHECK_EQ(uport_send(p[0], 0, f, 120), 0);
	uport_txsync(p[0], 0);
	len = recv1(p[1], g);
	CHECK_EQ(len, 120);
	CHECK(!memcmp(g, MAC_H1, 6) && g[14 + 7] == 8);
	/* expired: dropped, counted by the core as a lookup drop too */
	ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", "10.1.0.2", 1, 60);
	CHECK_EQ(uport_send(p[0], 0, f, 60), 0);
	uport_txsync(p[0], 0);
	CHECK_EQ(recv1(p[1], g), -1);
	CHECK_EQ(stat(r, VALE_L3_STATS_DROP_TTL), 1);
	vale_port_stats(p[0]->vp, &st);
	CHECK_EQ(st.drop_lookup, 1);
	/* ARP: the answer goes back out the input port (VALE_HAIRPIN) */
	arp_frame(f, BCAST, MAC_H0, "10.0.0.2", "10.0.0.1", 1);
	CHECK_EQ(uport_send(p[0], 0, f, 60), 0);
	uport_txsync(p[0], 0);
	CHECK_EQ(stat(r, VALE_L3_STATS_ARP_REPLIES), 1);
	len = recv1(p[0], g);
	CHECK_EQ(len, 60);
	CHECK(!memcmp(g, MAC_H0, 6) && !memcmp(g + 6, MAC_R0, 6));
	CHECK_EQ(l3_get_be16(g + 20), 2);
	vale_port_stats(p[0]->vp, &st);
	CHECK_EQ(st.drop_lookup, 1);		/* only the expired one */
	CHECK_EQ(recv1(p[1], g), -1);
	CHECK_EQ(recv1(p[2], g), -1);
	/* a batch with everything mixed: each lands where it should */
	for (i = 0; i < 40; i++) {
		ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", i % 2 ? "10.1.0.2" : "10.9.9.9", 64, 60);
		CHECK_EQ(uport_send(p[0], 0, f, 60), 0);
	}
	uport_txsync(p[0], 0);
	uport_rxsync(p[1], 0);
	CHECK_EQ(uport_rx_pending(p[1], 0), 20);
	CHECK_EQ(stat(r, VALE_L3_STATS_DROP_NO_ROUTE), 20);
	uport_drain(p[1]);

	vale_core_lock();
	for (i = 0; i < 3; i++)
		vale_port_detach(p[i]->vp);
	sw->persistent = false;
	vale_switch_put_if_unused(sw);
	vale_core_unlock();
	for (i = 0; i < 3; i++)
		uport_free(p[i]);
}

int main(void)
{
	const char *seed = getenv("L3_SEED");

	if (seed)
		rng_state = strtoull(seed, NULL, 0) | 1;
	printf("seed %#llx\n", (unsigned long long)rng_state);
	if (vale_core_init() || vale_lookup_register(&l3_ops))
		return 1;
	RUN(test_lpm4_random_vs_bruteforce);
	RUN(test_routes4_add_del_random);
	RUN(test_lpm4_100k_routes);
	RUN(test_lpm6_random_vs_bruteforce);
	RUN(test_changes_under_lookups);
	RUN(test_csum_incremental_equals_full);
	RUN(test_forward_ipv4_rewrites);
	RUN(test_forward_ipv6_rewrites);
	RUN(test_drops_by_reason);
	RUN(test_arp_reply);
	RUN(test_nd_reply);
	RUN(test_requests_checked);
	RUN(test_port_detach_forgets);
	RUN(test_dump_round_trip);
	RUN(test_switch_forwards);
	vale_lookup_unregister(&l3_ops);
	vale_core_exit();
	return check_summary();
}
