// SPDX-License-Identifier: GPL-2.0
/*
 * The router's forwarding path: what .lookup_batch does with each packet.
 *
 * The core hands over a private copy of the first L3_HDR_COPY bytes of
 * each packet (hdr_copy), so what is checked here is what is delivered,
 * and the rewrite happens on the copy. Every field is read only after the
 * length checks that cover it: data[0 .. len) is the copy, total_len the
 * whole packet; a header that is not inside the copy is dropped as
 * truncated. A packet is, in order:
 *  - ARP: a request for an address of the input port is answered back out
 *    that port (VALE_HAIRPIN); any other ARP is dropped;
 *  - not addressed to the input port's router MAC, or the port is not a
 *    router port: dropped;
 *  - IPv4 / IPv6: checked (version, header and total lengths, IPv4 header
 *    checksum), neighbour solicitations for a port address answered,
 *    special addresses dropped, the destination looked up (longest prefix
 *    match), its next hop's MAC found (the gateway's, or for a connected
 *    network the destination's among the port's static neighbours), TTL or
 *    hop limit decremented (the IPv4 checksum updated incrementally, RFC
 *    1624), Ethernet addresses rewritten (source: the output port's router
 *    MAC);
 *  - anything else: dropped.
 * Every drop is counted by reason (enum vale_l3_stats), per input port.
 */
#include "l3.h"

#define ETH_HLEN	14
#define ETH_P_IP	0x0800
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86dd
#define IP6_HLEN	40
#define ARP_LEN		28
#define ETH_ZLEN	60	/* the shortest frame on a wire, without FCS */
#define ICMP6_RS	133	/* the neighbour discovery messages: RS, RA, */
#define ICMP6_NS	135	/* NS, NA, redirect */
#define ICMP6_NA	136
#define ICMP6_REDIRECT	137
#define IPPROTO_ICMPV6	58
#define ND_NS_LEN	24	/* type .. target */
#define ND_NA_LEN	32	/* with the target link-layer address option */

/* What one batch reads of the router, loaded once. */
struct l3_ctx {
	struct l3 *r;
	const u32 *tbl24, *tbl8;
	const u64 *nhw;
	const struct l3_lpm6_node *root6;
	const struct l3_buckets *neighs;
	u32 count[L3_NSTATS];
};

static inline u32 l3_drop(struct l3_ctx *c, u32 reason)
{
	c->count[reason]++;
	return VALE_DROP;
}

u16 l3_csum(const u8 *p, u32 len, u32 sum)
{
	u32 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (u32)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (u32)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (u16)sum;
}

u16 l3_csum_replace(u16 hc, u16 old, u16 new)
{
	u32 sum = (u32)(u16)~hc + (u16)~old + new;

	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (u16)~sum;
}

/* The destination's MAC among the static neighbours of port, or 0. */
static u64 l3_neigh_mac(struct l3_ctx *c, u8 family, u8 port, const u8 *addr)
{
	u32 h = l3_neigh_hash(c->r, family, port, addr), alen = family == 4 ? 4 : 16;
	const struct l3_obj *o;

	for (o = l3_chain(c->neighs, h); o; o = l3_chain_next(c->neighs, o)) {
		const struct l3_neigh *n = container_of(o, struct l3_neigh, obj);

		if (o->hash == h && n->family == family && n->port == port &&
		    !memcmp(n->addr, addr, alen))
			return READ_ONCE(n->mac);
	}
	return 0;
}

/*
 * Send the packet out through next hop nh: the MACs rewritten, or the
 * reason it cannot go. dst is the destination address (for connected
 * networks). Returns the output port or VALE_DROP.
 */
static u32 l3_nexthop(struct l3_ctx *c, struct vale_pkt *pkt, u64 w, u8 family, const u8 *dst)
{
	u32 port = (w >> L3_NH_PORT_SHIFT) & 0xff;
	u64 smac = READ_ONCE(c->r->port[port].mac), dmac;

	if (unlikely(!(smac & L3_MAC_VALID)))
		return l3_drop(c, VALE_L3_STATS_DROP_PORT_DOWN);
	if (likely(w & L3_NH_RESOLVED))
		dmac = w;		/* the gateway's */
	else if (w & L3_NH_CONNECTED)
		dmac = l3_neigh_mac(c, family, port, dst);
	else
		dmac = 0;
	if (unlikely(!dmac))
		return l3_drop(c, VALE_L3_STATS_DROP_NO_NEIGH);
	l3_put_mac(pkt->data, dmac);
	l3_put_mac(pkt->data + 6, smac);
	return port == pkt->src_port ? port | VALE_HAIRPIN : port;
}

/* ------------------------------------------------------------ ARP */

static bool l3_port_has4(const struct l3_port *p, u32 a)
{
	u32 i;

	for (i = 0; i < L3_PORT_ADDRS; i++)
		if (a && READ_ONCE(p->addr4[i]) == a)
			return true;
	return false;
}

static u32 l3_arp(struct l3_ctx *c, struct vale_pkt *pkt, u64 inmac)
{
	u8 *eth = pkt->data, *arp = eth + ETH_HLEN, sha[6], spa[4];
	static const u8 bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u8 us[6];
	u32 out;

	if (pkt->len < ETH_HLEN + ARP_LEN)
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	/* Ethernet, IPv4, 6- and 4-byte addresses */
	if (l3_get_be16(arp) != 1 || l3_get_be16(arp + 2) != ETH_P_IP || arp[4] != 6 || arp[5] != 4)
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	l3_put_mac(us, inmac);
	if (l3_get_be16(arp + 6) != 1 ||				/* a request */
	    (memcmp(eth, bcast, 6) && memcmp(eth, us, 6)) ||		/* to everyone or us */
	    !l3_port_has4(&c->r->port[pkt->src_port], l3_get_be32(arp + 24)))
		return l3_drop(c, VALE_L3_STATS_DROP_ARP);
	if (arp[8] & 1)		/* a multicast sender hardware address */
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);

	/* The reply, in place: to the sender, from us, for the address asked. */
	memcpy(sha, arp + 8, 6);
	memcpy(spa, arp + 14, 4);
	memcpy(eth, sha, 6);
	memcpy(eth + 6, us, 6);
	arp[7] = 2;
	memcpy(arp + 14, arp + 24, 4);	/* spa = the address asked for */
	memcpy(arp + 8, us, 6);
	memcpy(arp + 18, sha, 6);
	memcpy(arp + 24, spa, 4);
	/* Padded to the shortest frame, the padding zeroed. */
	out = max((u32)pkt->len, (u32)ETH_ZLEN);
	memset(eth + ETH_HLEN + ARP_LEN, 0, out - ETH_HLEN - ARP_LEN);
	pkt->hdr_len = out;
	c->count[VALE_L3_STATS_ARP_REPLIES]++;
	return pkt->src_port | VALE_HAIRPIN;
}

/* ----------------------------------------------------------- IPv4 */

static u32 l3_ip4(struct l3_ctx *c, struct vale_pkt *pkt)
{
	u8 *ip = pkt->data + ETH_HLEN;
	u32 avail = pkt->len - ETH_HLEN, wire = pkt->total_len - ETH_HLEN;
	u32 ihl, tot, src, dst, nh;
	u64 w;
	u16 old;

	if (unlikely(avail < 20))
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	ihl = (ip[0] & 0xf) * 4;
	if (unlikely((ip[0] >> 4) != 4 || ihl < 20))
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	tot = l3_get_be16(ip + 2);
	if (unlikely(ihl > avail || tot > wire))
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	if (unlikely(tot < ihl))
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	if (unlikely(!l3_ip4_csum_ok(ip, ihl)))
		return l3_drop(c, VALE_L3_STATS_DROP_CHECKSUM);
	src = l3_get_be32(ip + 12);
	dst = l3_get_be32(ip + 16);
	/* Not from or to: 0/8, loopback, multicast, class E, broadcast. */
	if (unlikely(!(src >> 24) || (src >> 24) == 127 || src >= 0xe0000000 ||
		     !(dst >> 24) || (dst >> 24) == 127 || dst >= 0xe0000000))
		return l3_drop(c, VALE_L3_STATS_DROP_ADDR);
	nh = l3_lpm4_lookup(c->tbl24, c->tbl8, dst);
	if (unlikely(!nh))
		return l3_drop(c, VALE_L3_STATS_DROP_NO_ROUTE);
	w = READ_ONCE(c->nhw[nh]);
	if (unlikely(w & L3_NH_IS_LOCAL))
		return l3_drop(c, VALE_L3_STATS_DROP_LOCAL);
	if (unlikely(ip[8] <= 1))
		return l3_drop(c, VALE_L3_STATS_DROP_TTL);
	nh = l3_nexthop(c, pkt, w, 4, ip + 16);
	if (nh == VALE_DROP)
		return nh;
	old = l3_get_be16(ip + 8);
	ip[8]--;
	l3_put_be16(ip + 10, l3_csum_replace(l3_get_be16(ip + 10), old, l3_get_be16(ip + 8)));
	c->count[VALE_L3_STATS_FORWARDED_V4]++;
	return nh;
}

/* ----------------------------------------------------------- IPv6 */

static bool l3_port_has6(const struct l3_port *p, const u8 *a)
{
	u32 used = smp_load_acquire(&p->addr6_used), i;

	for (i = 0; i < L3_PORT_ADDRS; i++)
		if ((used >> i & 1) && !memcmp(p->addr6[i], a, 16))
			return true;
	return false;
}

/* The ICMPv6 checksum of len bytes at icmp, with the pseudo-header of ip. */
static u16 l3_icmp6_csum(const u8 *ip, const u8 *icmp, u32 len)
{
	u32 sum = len + IPPROTO_ICMPV6;

	sum = l3_csum(ip + 8, 32, sum);		/* source and destination */
	return l3_csum(icmp, len, sum);
}

/*
 * A neighbour solicitation (RFC 4861 7.1.1, 7.2.4): for an address of the
 * input port, answer with a solicited advertisement, from that address,
 * with the router flag and our MAC, back out the input port.
 */
static u32 l3_nd(struct l3_ctx *c, struct vale_pkt *pkt, u64 inmac, u32 plen)
{
	u8 *eth = pkt->data, *ip = eth + ETH_HLEN, *icmp = ip + IP6_HLEN, target[16];
	static const u8 zero[16];

	if (icmp[0] != ICMP6_NS)
		return l3_drop(c, VALE_L3_STATS_DROP_ND);
	if (ETH_HLEN + IP6_HLEN + plen > pkt->len)	/* all of it, to check its sum */
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	if (plen < ND_NS_LEN || ip[7] != 255 || icmp[1] != 0)
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	if (l3_icmp6_csum(ip, icmp, plen) != 0xffff)
		return l3_drop(c, VALE_L3_STATS_DROP_CHECKSUM);
	memcpy(target, icmp + 8, 16);
	if (target[0] == 0xff)
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	/* Not ours, or duplicate address detection (an unspecified source). */
	if (!l3_port_has6(&c->r->port[pkt->src_port], target) || !memcmp(ip + 8, zero, 16))
		return l3_drop(c, VALE_L3_STATS_DROP_ND);

	memcpy(eth, eth + 6, 6);		/* to the solicitor */
	l3_put_mac(eth + 6, inmac);
	l3_put_be16(ip + 4, ND_NA_LEN);
	ip[6] = IPPROTO_ICMPV6;
	ip[7] = 255;
	memcpy(ip + 24, ip + 8, 16);		/* to its source */
	memcpy(ip + 8, target, 16);		/* from the address asked for */
	memset(icmp, 0, ND_NA_LEN);
	icmp[0] = ICMP6_NA;
	icmp[4] = 0xe0;				/* router, solicited, override */
	memcpy(icmp + 8, target, 16);
	icmp[24] = 2;				/* target link-layer address, */
	icmp[25] = 1;				/* 8 bytes */
	l3_put_mac(icmp + 26, inmac);
	l3_put_be16(icmp + 2, ~l3_icmp6_csum(ip, icmp, ND_NA_LEN));
	pkt->hdr_len = max((u32)pkt->len, (u32)(ETH_HLEN + IP6_HLEN + ND_NA_LEN));
	/* Whatever followed the solicitation in the copy: zeroes. */
	memset(icmp + ND_NA_LEN, 0, pkt->hdr_len - (ETH_HLEN + IP6_HLEN + ND_NA_LEN));
	c->count[VALE_L3_STATS_ND_REPLIES]++;
	return pkt->src_port | VALE_HAIRPIN;
}

static u32 l3_ip6(struct l3_ctx *c, struct vale_pkt *pkt, u64 inmac, bool to_us)
{
	u8 *ip = pkt->data + ETH_HLEN;
	u32 avail = pkt->len - ETH_HLEN, wire = pkt->total_len - ETH_HLEN, plen, nh;
	u64 k[2], w;

	if (unlikely(avail < IP6_HLEN))
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	if (unlikely((ip[0] >> 4) != 6))
		return l3_drop(c, VALE_L3_STATS_DROP_MALFORMED);
	plen = l3_get_be16(ip + 4);
	if (unlikely(IP6_HLEN + plen > wire))
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	/* Neighbour discovery, to a multicast group or to us. */
	if (ip[6] == IPPROTO_ICMPV6 && plen >= 1 && avail > IP6_HLEN &&
	    ip[IP6_HLEN] >= ICMP6_RS && ip[IP6_HLEN] <= ICMP6_REDIRECT)
		return l3_nd(c, pkt, inmac, plen);
	if (unlikely(!to_us))
		return l3_drop(c, VALE_L3_STATS_DROP_NOT_ROUTER);
	k[0] = l3_get_be64(ip + 24);
	k[1] = l3_get_be64(ip + 32);
	/*
	 * Not from or to: multicast, link-local (fe80::/10), unspecified,
	 * loopback. (A multicast destination came with a multicast MAC.)
	 */
	if (unlikely(ip[8] == 0xff || (ip[8] == 0xfe && (ip[9] & 0xc0) == 0x80) ||
		     ip[24] == 0xff || (ip[24] == 0xfe && (ip[25] & 0xc0) == 0x80) ||
		     (!k[0] && k[1] <= 1) || (!l3_get_be64(ip + 8) && l3_get_be64(ip + 16) <= 1)))
		return l3_drop(c, VALE_L3_STATS_DROP_ADDR);
	nh = l3_lpm6_lookup(c->root6, k);
	if (unlikely(!nh))
		return l3_drop(c, VALE_L3_STATS_DROP_NO_ROUTE);
	w = READ_ONCE(c->nhw[nh]);
	if (unlikely(w & L3_NH_IS_LOCAL))
		return l3_drop(c, VALE_L3_STATS_DROP_LOCAL);
	if (unlikely(ip[7] <= 1))
		return l3_drop(c, VALE_L3_STATS_DROP_TTL);
	nh = l3_nexthop(c, pkt, w, 6, ip + 24);
	if (nh == VALE_DROP)
		return nh;
	ip[7]--;
	c->count[VALE_L3_STATS_FORWARDED_V6]++;
	return nh;
}

/* ---------------------------------------------------------- entry */

static u32 l3_fwd(struct l3_ctx *c, struct vale_pkt *pkt)
{
	const u8 *eth = pkt->data;
	u64 inmac;
	bool to_us;

	if (unlikely(pkt->src_port >= VALE_MAX_PORTS))
		return VALE_DROP;
	if (unlikely(pkt->len < ETH_HLEN || pkt->total_len < pkt->len))
		return l3_drop(c, VALE_L3_STATS_DROP_TRUNCATED);
	inmac = READ_ONCE(c->r->port[pkt->src_port].mac);
	if (unlikely(!(inmac & L3_MAC_VALID)))
		return l3_drop(c, VALE_L3_STATS_DROP_NOT_ROUTER);
	to_us = l3_mac_word(eth) == (inmac & L3_MAC_MASK);
	switch (l3_get_be16(eth + 12)) {
	case ETH_P_IP:
		if (unlikely(!to_us))
			return l3_drop(c, VALE_L3_STATS_DROP_NOT_ROUTER);
		return l3_ip4(c, pkt);
	case ETH_P_IPV6:
		if (unlikely(!to_us && !(eth[0] & 1)))
			return l3_drop(c, VALE_L3_STATS_DROP_NOT_ROUTER);
		return l3_ip6(c, pkt, inmac, to_us);
	case ETH_P_ARP:
		return l3_arp(c, pkt, inmac);
	}
	return l3_drop(c, VALE_L3_STATS_DROP_NOT_IP);
}

static void l3_ctx_init(struct l3_ctx *c, struct l3 *r)
{
	c->r = r;
	c->tbl24 = smp_load_acquire(&r->lpm4.tbl24);
	c->tbl8 = smp_load_acquire(&r->lpm4.tbl8);
	c->nhw = smp_load_acquire(&r->nhw);
	c->root6 = smp_load_acquire(&r->lpm6.root);
	c->neighs = l3_tab_buckets(&r->neighs);
	memset(c->count, 0, sizeof(c->count));
}

static void l3_ctx_done(struct l3_ctx *c, u32 src_port)
{
	struct l3_port_stats *st;
	u32 i;

	if (src_port >= VALE_MAX_PORTS)
		return;
	st = &c->r->stats[src_port];
	for (i = 0; i < L3_NSTATS; i++)
		if (c->count[i])
			WRITE_ONCE(st->c[i], st->c[i] + c->count[i]);
}

u32 l3_lookup(void *priv, struct vale_pkt *pkt)
{
	struct l3_ctx c;
	u32 dst;

	l3_ctx_init(&c, priv);
	dst = l3_fwd(&c, pkt);
	l3_ctx_done(&c, pkt->src_port);
	return dst;
}

/*
 * A batch comes from one port. The IPv4 destinations' tbl24 entries are
 * asked for first, so that a large table's cache misses overlap.
 */
void l3_lookup_batch(void *priv, struct vale_pkt *pkts, u32 *dst, u32 n)
{
	struct l3_ctx c;
	u32 i;

	if (!n)
		return;
	l3_ctx_init(&c, priv);
	if (c.tbl24) {
		for (i = 0; i < n; i++) {
			const u8 *d = pkts[i].data;

			if (pkts[i].len >= ETH_HLEN + 20 && d[12] == 0x08 && d[13] == 0x00)
				__builtin_prefetch(&c.tbl24[l3_get_be32(d + ETH_HLEN + 16) >> 8]);
		}
	}
	for (i = 0; i < n; i++)
		dst[i] = l3_fwd(&c, &pkts[i]);
	l3_ctx_done(&c, pkts[0].src_port);
}
