#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Write the seed corpus of fuzz_l3.c into corpus/ (committed; make
check-l3 replays it, make fuzz-l3 starts from it). One file per case:
[input port] [flags] [frame], for the router fuzz_setup() configures.

    lookup-modules/l3/mkcorpus.py [DIR]
"""
import ipaddress
import os
import struct
import sys

R = [bytes([2, 0, 0, 0, 0xaa, i]) for i in range(3)]   # router MACs, ports 0..2
H0 = bytes([2, 0, 0, 0, 0xbb, 0])
BCAST = b"\xff" * 6
FIX4, FIX6 = 1, 2


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def ip4(src, dst, ttl=64, payload=b"x" * 26, options=b""):
    ihl = 5 + len(options) // 4
    h = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(payload), 1, 0, ttl, 17, 0,
                    ipaddress.IPv4Address(src).packed, ipaddress.IPv4Address(dst).packed)
    h += options
    h = h[:10] + struct.pack("!H", ~csum(h) & 0xffff) + h[12:]
    return h + payload


def bad_sum(h):
    return h[:10] + bytes([h[10] ^ 0xff]) + h[11:]


def ip6(src, dst, hops=64, nh=17, payload=b"y" * 26):
    return struct.pack("!IHBB16s16s", 0x60000000, len(payload), nh, hops,
                       ipaddress.IPv6Address(src).packed, ipaddress.IPv6Address(dst).packed) + payload


def eth(dst, src, etype, body):
    f = dst + src + struct.pack("!H", etype) + body
    return f.ljust(60, b"\0")


def arp(op, sha, spa, tpa):
    return struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, op, sha,
                       ipaddress.IPv4Address(spa).packed, b"\0" * 6,
                       ipaddress.IPv4Address(tpa).packed)


def ns(src, target, mac):
    t = ipaddress.IPv6Address(target).packed
    icmp = struct.pack("!BBHI16sBB6s", 135, 0, 0, 0, t, 1, 1, mac)
    dst = b"\xff\x02" + b"\0" * 9 + b"\x01\xff" + t[13:]
    pseudo = ipaddress.IPv6Address(src).packed + dst + struct.pack("!IxxxB", len(icmp), 58)
    icmp = icmp[:2] + struct.pack("!H", ~csum(pseudo + icmp) & 0xffff) + icmp[4:]
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(icmp), 58, 255,
                      ipaddress.IPv6Address(src).packed, dst)
    return eth(b"\x33\x33\xff" + t[13:], mac, 0x86dd, hdr + icmp)


CASES = {
    "ipv4-gateway": (0, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "192.168.1.1"))),
    "ipv4-connected": (0, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "10.1.0.2"))),
    "ipv4-default": (1, FIX4, eth(R[1], H0, 0x0800, ip4("10.1.0.2", "8.8.8.8"))),
    "ipv4-options": (0, FIX4, eth(R[0], H0, 0x0800,
                                  ip4("10.0.0.2", "10.1.0.2", options=b"\x01" * 40))),
    "ipv4-ttl1": (0, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "10.1.0.2", ttl=1))),
    "ipv4-local": (0, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "10.0.0.1"))),
    "ipv4-long": (0, FIX4 | 0x30, eth(R[0], H0, 0x0800,
                                      ip4("10.0.0.2", "10.1.0.2", payload=b"z" * 400))),
    "ipv4-badsum": (0, 0, eth(R[0], H0, 0x0800, bad_sum(ip4("10.0.0.2", "10.1.0.2")))),
    "ipv6-gateway": (0, 0, eth(R[0], H0, 0x86dd, ip6("2001:db8::2", "2001:db8:100::9"))),
    "ipv6-connected": (1, 0, eth(R[1], H0, 0x86dd, ip6("2001:db8:1::2", "2001:db8::2"))),
    "ipv6-hop1": (0, 0, eth(R[0], H0, 0x86dd, ip6("2001:db8::2", "2001:db8:1::2", hops=1))),
    "arp-request": (0, 0, eth(BCAST, H0, 0x0806, arp(1, H0, "10.0.0.2", "10.0.0.1"))),
    "arp-other": (0, 0, eth(BCAST, H0, 0x0806, arp(1, H0, "10.0.0.2", "10.0.0.9"))),
    "ns-router": (0, FIX6, ns("2001:db8::2", "2001:db8::1", H0)),
    "ns-dad": (0, FIX6, ns("::", "2001:db8::1", H0)),
    "not-ip": (0, 0, eth(R[0], H0, 0x88b5, b"hello")),
    "vlan": (0, 0, eth(R[0], H0, 0x8100, b"\0\1\x08\0" + ip4("10.0.0.2", "10.1.0.2"))),
    "short": (2, 0, R[2] + H0),
    "port-down": (0, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "172.16.0.9"))),
    "unconfigured-port": (3, FIX4, eth(R[0], H0, 0x0800, ip4("10.0.0.2", "10.1.0.2"))),
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, (port, flags, frame) in CASES.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([port, flags]) + frame)


if __name__ == "__main__":
    main()
