// SPDX-License-Identifier: GPL-2.0
/*
 * The packet parser of ofswitch: from an untrusted frame to a flow key.
 *
 * Every read is checked against len first; every loop is bounded (at most
 * OF_MAX_TAGS VLAN tags, OF_MAX_EXT IPv6 extension headers, each of which
 * moves forward by at least 8 bytes). A header that does not fit, or does
 * not make sense (an IPv4 header length below 20, a version that does not
 * match the EtherType), leaves its fields and those after it zero, so such
 * a frame can only match flows that do not look at them. Later fragments
 * have no L4 ports.
 */
#include "of.h"

#define OF_MAX_TAGS	2	/* 802.1Q / 802.1ad tags looked through */
#define OF_MAX_EXT	8	/* IPv6 extension headers looked through */

static inline u16 of_be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static bool of_has_ports(u8 proto)
{
	return proto == 6 || proto == 17 || proto == 132 || proto == 1 || proto == 58;
}

/* Ports (or ICMP type and code) at data[off ..], if they fit. */
static void of_parse_l4(const u8 *data, u32 len, u32 off, struct of_key *key)
{
	u8 proto = key->ip_proto;

	if (!of_has_ports(proto))
		return;
	if (proto == 1 || proto == 58) {
		if (off + 2 > len)
			return;
		key->tp_src = data[off];
		key->tp_dst = data[off + 1];
		return;
	}
	if (off + 4 > len)
		return;
	key->tp_src = of_be16(data + off);
	key->tp_dst = of_be16(data + off + 2);
}

static void of_parse_ipv4(const u8 *data, u32 len, u32 off, struct of_key *key)
{
	const u8 *ip = data + off;
	u32 ihl;

	if (off + 20 > len || ip[0] >> 4 != 4)
		return;
	ihl = (ip[0] & 0xf) * 4u;
	if (ihl < 20 || off + ihl > len)
		return;
	memcpy(key->ip_src, ip + 12, 4);
	memcpy(key->ip_dst, ip + 16, 4);
	key->ip_proto = ip[9];
	if (of_be16(ip + 6) & 0x1fff)	/* not the first fragment */
		return;
	of_parse_l4(data, len, off + ihl, key);
}

static void of_parse_ipv6(const u8 *data, u32 len, u32 off, struct of_key *key)
{
	const u8 *ip = data + off;
	u8 nh;
	int i;

	if (off + 40 > len || ip[0] >> 4 != 6)
		return;
	memcpy(key->ip_src, ip + 8, 16);
	memcpy(key->ip_dst, ip + 24, 16);
	nh = ip[6];
	off += 40;
	for (i = 0; i < OF_MAX_EXT; i++) {
		const u8 *h = data + off;
		u32 hlen;

		switch (nh) {
		case 0:		/* hop-by-hop options */
		case 43:	/* routing */
		case 60:	/* destination options */
			if (off + 8 > len)
				goto stop;
			hlen = (h[1] + 1u) * 8;
			break;
		case 51:	/* authentication header */
			if (off + 8 > len)
				goto stop;
			hlen = (h[1] + 2u) * 4;
			break;
		case 44:	/* fragment */
			if (off + 8 > len)
				goto stop;
			if (of_be16(h + 2) & 0xfff8) {	/* not the first fragment */
				key->ip_proto = h[0];
				return;
			}
			hlen = 8;
			break;
		default:
			key->ip_proto = nh;
			of_parse_l4(data, len, off, key);
			return;
		}
		if (off + hlen > len)
			goto stop;
		nh = h[0];
		off += hlen;
	}
stop:
	/* Too many or cut short: the extension header is the protocol. */
	key->ip_proto = nh;
}

int of_parse(const u8 *data, u32 len, u16 in_port, struct of_key *key)
{
	u32 off = 12;
	u16 type;
	int i;

	memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	if (len < 14)
		return -EINVAL;
	memcpy(key->eth_dst, data, 6);
	memcpy(key->eth_src, data + 6, 6);
	type = of_be16(data + 12);
	for (i = 0; i < OF_MAX_TAGS && (type == 0x8100 || type == 0x88a8); i++) {
		if (off + 6 > len) {
			/* A tag cut short: keep its TPID as the EtherType. */
			key->eth_type = type;
			return 0;
		}
		if (i == 0)
			key->vlan = OF_VLAN_PRESENT | (of_be16(data + off + 2) & OF_VLAN_VID);
		off += 4;
		type = of_be16(data + off);
	}
	key->eth_type = type;
	off += 2;
	if (type == 0x0800)
		of_parse_ipv4(data, len, off, key);
	else if (type == 0x86dd)
		of_parse_ipv6(data, len, off, key);
	return 0;
}
