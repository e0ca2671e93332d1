"""The l3 lookup module (lookup-modules/l3) in the kernel: loaded, set on a
switch over netlink, configured with LOOKUP_CONFIG (router MACs and
addresses, routes, static neighbours), routing frames between ephemeral
ports with rewritten MACs and a decremented TTL / hop limit, dropping and
counting expired ones, answering ARP, and rejecting bad configuration with
an extack message that names the attribute."""
import os
import socket
import struct
import subprocess

import pytest
from pyroute2.netlink import NLA_F_NESTED, nla
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, module_loaded, run
from netmap import Port
from vale_genl import CMD, Genl, attrs, message_class, uapi

L3_KO = os.path.join(MODULES, "lookup", "vale_lookup_l3.ko")

VALE_CMD_PORT_GET = CMD["PORT_GET"]
VALE_CMD_LOOKUP_SET = CMD["LOOKUP_SET"]
OP = {name[len("VALE_L3_OP_"):]: i for i, name in enumerate(uapi.L3_OPS)}

R = [bytes([2, 0, 0, 0, 0xaa, i]) for i in range(3)]     # router MACs
H = [bytes([2, 0, 0, 0, 0xbb, i]) for i in range(3)]     # hosts
GW = bytes([2, 0, 0, 0, 0xcc, 1])
BCAST = b"\xff" * 6


class l3_config(nla):
    """VALE_ATTR_LOOKUP_CONFIG of module l3: enum vale_l3_attr."""
    nla_flags = NLA_F_NESTED
    nla_map = (("VALE_L3_ATTR_UNSPEC", "none"),
               ("VALE_L3_ATTR_OP", "uint32"),
               ("VALE_L3_ATTR_PORT", "uint32"),
               ("VALE_L3_ATTR_MAC", "cdata"),
               ("VALE_L3_ATTR_ADDR", "cdata"),
               ("VALE_L3_ATTR_PREFIX", "cdata"),
               ("VALE_L3_ATTR_PREFIX_LEN", "uint8"),
               ("VALE_L3_ATTR_GATEWAY", "cdata"),
               ("VALE_L3_ATTR_STATS", "l3stats"))

    class l3stats(nla):
        nla_map = tuple((n, "none" if n.endswith(("_UNSPEC", "_PAD")) else "uint64")
                        for n in uapi.L3_STATS)


def ip(a):
    return socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a)


class Vale(Genl):
    """The requests of these tests, about any switch."""

    def __init__(self):
        super().__init__(message_class(l3_config))

    def set_lookup(self, switch, name):
        self.request(VALE_CMD_LOOKUP_SET, [("VALE_ATTR_SWITCH_NAME", switch),
                                           ("VALE_ATTR_LOOKUP_NAME", name)])

    def l3(self, switch, op, **kw):
        """LOOKUP_CONFIG of the l3 module: op and VALE_L3_ATTR_<KEY>=value."""
        attrs = [("VALE_L3_ATTR_OP", OP[op])]
        for k, v in kw.items():
            if k in ("addr", "prefix", "gateway"):
                v = ip(v)
            attrs.append(("VALE_L3_ATTR_" + k.upper(), v))
        self.config(switch, "l3", {"attrs": attrs})

    def port(self, switch, port):
        (reply,) = self.request(VALE_CMD_PORT_GET, [("VALE_ATTR_SWITCH_NAME", switch),
                                                    ("VALE_ATTR_PORT_NAME", port)])
        stats = attrs(reply.get_attr("VALE_ATTR_PORT_STATS"))
        return reply.get_attr("VALE_ATTR_PORT_INDEX"), {
            k[len("VALE_STATS_"):].lower(): v for k, v in stats.items()}

    def dump(self, switch):
        """The module's objects (LOOKUP_DUMP), each a {attribute: value}."""
        replies = super().dump(switch, "l3")
        return [attrs(r.get_attr("VALE_ATTR_LOOKUP_CONFIG")) for r in replies]


@pytest.fixture
def l3():
    if not module_loaded("vale_lookup_l3"):
        run("insmod", L3_KO)
    vale = Vale()
    yield vale
    vale.close()
    if module_loaded("vale_lookup_l3"):
        subprocess.run(["rmmod", "vale_lookup_l3"], check=False)


# ---------------------------------------------------------------- frames

def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def ip4_frame(dmac, smac, src, dst, ttl=64, size=60):
    payload = bytes(range(256)) * 8
    plen = size - 34
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + plen, 7, 0, ttl, 17, 0, ip(src), ip(dst))
    h = h[:10] + struct.pack("!H", ~csum(h) & 0xffff) + h[12:]
    return dmac + smac + b"\x08\x00" + h + payload[:plen]


def ip6_frame(dmac, smac, src, dst, hops=64, size=100):
    payload = bytes(range(256)) * 8
    plen = size - 54
    h = struct.pack("!IHBB16s16s", 0x60000000, plen, 17, hops, ip(src), ip(dst))
    return dmac + smac + b"\x86\xdd" + h + payload[:plen]


def arp_request(sha, spa, tpa):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, sha, ip(spa), b"\0" * 6, ip(tpa))
    return (BCAST + sha + b"\x08\x06" + body).ljust(60, b"\0")


def send(port, frames):
    n = port.send(frames)
    port.txsync()
    return n


def recv(port):
    port.rxsync()
    return port.recv()


# -------------------------------------------------------------- topology

class Router:
    """Switch 'name' with ports a, b, c running l3: a is 10.0.0.1/24 and
    2001:db8::1/64 (host 10.0.0.2, 2001:db8::2), b is 10.1.0.1/24 and
    2001:db8:1::1/64 (host 10.1.0.2, 2001:db8:1::2, gateway 10.1.0.254 to
    192.168.0.0/16); c is attached but not a router port."""

    def __init__(self, vale, name):
        self.vale, self.name = vale, name
        self.ports = {p: Port("%s:%s" % (name, p), tx_slots=64, rx_slots=64) for p in "abc"}
        try:
            vale.set_lookup(name, "l3")
            self.idx = {p: vale.port(name, p)[0] for p in "abc"}
            a, b = self.idx["a"], self.idx["b"]
            cfg = vale.l3
            cfg(name, "PORT_SET", port=a, mac=R[0])
            cfg(name, "PORT_SET", port=b, mac=R[1])
            cfg(name, "ADDR_ADD", port=a, addr="10.0.0.1")
            cfg(name, "ADDR_ADD", port=b, addr="10.1.0.1")
            cfg(name, "ADDR_ADD", port=a, addr="2001:db8::1")
            cfg(name, "ROUTE_ADD", prefix="10.0.0.0", prefix_len=24, port=a)
            cfg(name, "ROUTE_ADD", prefix="10.1.0.0", prefix_len=24, port=b)
            cfg(name, "ROUTE_ADD", prefix="192.168.0.0", prefix_len=16, port=b,
                gateway="10.1.0.254")
            cfg(name, "ROUTE_ADD", prefix="2001:db8::", prefix_len=64, port=a)
            cfg(name, "ROUTE_ADD", prefix="2001:db8:1::", prefix_len=64, port=b)
            cfg(name, "NEIGH_ADD", port=a, addr="10.0.0.2", mac=H[0])
            cfg(name, "NEIGH_ADD", port=b, addr="10.1.0.2", mac=H[1])
            cfg(name, "NEIGH_ADD", port=b, addr="10.1.0.254", mac=GW)
            cfg(name, "NEIGH_ADD", port=a, addr="2001:db8::2", mac=H[0])
            cfg(name, "NEIGH_ADD", port=b, addr="2001:db8:1::2", mac=H[1])
        except BaseException:
            self.close()
            raise

    def __getitem__(self, p):
        return self.ports[p]

    def stats(self):
        """The module's counters, from its LOOKUP_DUMP."""
        for d in self.vale.dump(self.name):
            if d["VALE_L3_ATTR_OP"] == OP["STATS"]:
                return {k[len("VALE_L3_STATS_"):]: v
                        for k, v in attrs(d["VALE_L3_ATTR_STATS"]).items()}
        raise AssertionError("no STATS object in the dump")

    def close(self):
        for p in self.ports.values():
            p.close()


@pytest.fixture
def router(l3, request):
    r = Router(l3, "valel3%d" % (abs(hash(request.node.name)) % 10000))
    yield r
    r.close()


def test_l3_routes_ipv4_with_rewritten_macs_and_ttl(router):
    for dst, dmac in (("10.1.0.2", H[1]), ("192.168.7.7", GW)):
        f = ip4_frame(R[0], H[0], "10.0.0.2", dst, ttl=64, size=1000)
        assert send(router["a"], [f]) == 1
        (g,) = recv(router["b"])
        assert g[:6] == dmac and g[6:12] == R[1]
        assert g[14 + 8] == 63
        assert csum(g[14:34]) == 0xffff
        assert g[34:] == f[34:]
    assert recv(router["a"]) == [] and recv(router["c"]) == []
    # and back
    send(router["b"], [ip4_frame(R[1], H[1], "10.1.0.2", "10.0.0.2", ttl=2)])
    (g,) = recv(router["a"])
    assert g[:12] == H[0] + R[0] and g[14 + 8] == 1


def test_l3_routes_ipv6_with_decremented_hop_limit(router):
    f = ip6_frame(R[0], H[0], "2001:db8::2", "2001:db8:1::2", hops=9)
    send(router["a"], [f])
    (g,) = recv(router["b"])
    assert g[:12] == H[1] + R[1]
    assert g[14 + 7] == 8
    assert g[22:] == f[22:]


def test_l3_expired_ttl_is_dropped_and_counted(router):
    _, before = router.vale.port(router.name, "a")
    send(router["a"], [ip4_frame(R[0], H[0], "10.0.0.2", "10.1.0.2", ttl=1),
                       ip4_frame(R[0], H[0], "10.0.0.2", "10.1.0.2", ttl=0),
                       ip6_frame(R[0], H[0], "2001:db8::2", "2001:db8:1::2", hops=1)])
    assert recv(router["b"]) == []
    _, after = router.vale.port(router.name, "a")
    assert after["drop_lookup"] - before["drop_lookup"] == 3
    stats = router.stats()
    if stats is not None:
        assert stats["DROP_TTL"] == 3
        assert stats["FORWARDED_V4"] == 0


def test_l3_drops_unroutable_and_counts_by_reason(router):
    send(router["a"], [ip4_frame(R[0], H[0], "10.0.0.2", "172.16.0.1"),      # no route
                       ip4_frame(R[0], H[0], "10.0.0.2", "10.1.0.99"),       # no neighbour
                       ip4_frame(H[1], H[0], "10.0.0.2", "10.1.0.2"),        # not to us
                       (R[0] + H[0] + b"\x88\xb5").ljust(60, b"\0")])        # not IP
    assert recv(router["b"]) == []
    stats = router.stats()
    assert (stats["DROP_NO_ROUTE"], stats["DROP_NO_NEIGH"], stats["DROP_NOT_ROUTER"],
            stats["DROP_NOT_IP"]) == (1, 1, 1, 1)


def test_l3_answers_arp_for_its_address(router):
    _, before = router.vale.port(router.name, "a")
    send(router["a"], [arp_request(H[0], "10.0.0.2", "10.0.0.1"),
                       arp_request(H[0], "10.0.0.2", "10.0.0.77")])   # not ours: dropped
    (g,) = recv(router["a"])          # back out the input port (VALE_HAIRPIN)
    assert recv(router["b"]) == [] and recv(router["c"]) == []
    _, after = router.vale.port(router.name, "a")
    assert after["drop_lookup"] - before["drop_lookup"] == 1
    assert g[:12] == H[0] + R[0] and g[12:14] == b"\x08\x06"
    op, sha, spa, tha, tpa = struct.unpack("!6xH6s4s6s4s", g[14:42])
    assert (op, sha, spa, tha, tpa) == (2, R[0], ip("10.0.0.1"), H[0], ip("10.0.0.2"))


def test_l3_bad_configuration_is_rejected_with_extack(router):
    cfg, name, b = router.vale.l3, router.name, router.idx["b"]
    cases = [
        (dict(op="ROUTE_ADD", prefix="10.2.0.0", prefix_len=8, port=b), 22,
         "bits set past the prefix length"),
        (dict(op="ROUTE_ADD", prefix="10.2.0.0", port=b), 22, "required by this operation"),
        (dict(op="ROUTE_ADD", prefix="10.2.0.0", prefix_len=16, port=b, mac=H[1]), 22,
         "not accepted by this operation"),
        (dict(op="ROUTE_ADD", prefix="10.2.0.0", prefix_len=16, port=b,
              gateway="2001:db8::9"), 22, "not of the prefix's address family"),
        (dict(op="ROUTE_ADD", prefix="10.1.0.0", prefix_len=24, port=b), 17, "the route exists"),
        (dict(op="ROUTE_DEL", prefix="10.9.0.0", prefix_len=24), 2, "no such route"),
        (dict(op="NEIGH_ADD", port=200, addr="10.1.0.9", mac=H[1]), 19,
         "no such port on the switch"),
        (dict(op="PORT_SET", port=b, mac=BCAST), 22, "not a unicast MAC address"),
        (dict(op="ADDR_ADD", port=b, addr="10.0.0.1"), 17, "a router address or a host route"),
    ]
    for kw, code, msg in cases:
        op = kw.pop("op")
        with pytest.raises(NetlinkError) as err:
            cfg(name, op, **kw)
        assert err.value.code == code, (op, kw)
        assert msg in str(err.value.args[1]), (op, kw, err.value.args)
    # an address of 5 bytes: the module's own check
    with pytest.raises(NetlinkError) as err:
        router.vale.config(name, "l3", {"attrs": [("VALE_L3_ATTR_OP", OP["ADDR_ADD"]),
                                                  ("VALE_L3_ATTR_PORT", b),
                                                  ("VALE_L3_ATTR_ADDR", b"\1" * 5)]})
    assert err.value.code == 22 and "4 (IPv4) or 16 (IPv6) bytes" in str(err.value.args[1])
    # the configuration is unchanged: routing still works
    send(router["a"], [ip4_frame(R[0], H[0], "10.0.0.2", "10.1.0.2")])
    assert len(recv(router["b"])) == 1


def test_l3_dump_lists_the_configuration(router):
    objs = router.vale.dump(router.name)
    ops = [o["VALE_L3_ATTR_OP"] for o in objs]
    assert ops.count(OP["STATS"]) == 1
    assert ops.count(OP["PORT_SET"]) == 2
    assert ops.count(OP["ADDR_ADD"]) == 3
    assert ops.count(OP["NEIGH_ADD"]) == 5
    assert ops.count(OP["ROUTE_ADD"]) == 5
    routes = {(o["VALE_L3_ATTR_PREFIX"], o["VALE_L3_ATTR_PREFIX_LEN"],
               o.get("VALE_L3_ATTR_GATEWAY")) for o in objs
              if o["VALE_L3_ATTR_OP"] == OP["ROUTE_ADD"]}
    assert (ip("192.168.0.0"), 16, ip("10.1.0.254")) in routes


def test_l3_many_routes_and_unload(l3):
    """4,000 routes over netlink, lookups right, then the switch goes back
    to the learning bridge and the module unloads."""
    name = "valel3m"
    a, b = Port(name + ":a", tx_slots=256, rx_slots=256), Port(name + ":b", tx_slots=256, rx_slots=256)
    try:
        l3.set_lookup(name, "l3")
        ia, ib = l3.port(name, "a")[0], l3.port(name, "b")[0]
        l3.l3(name, "PORT_SET", port=ia, mac=R[0])
        l3.l3(name, "PORT_SET", port=ib, mac=R[1])
        l3.l3(name, "NEIGH_ADD", port=ib, addr="10.255.0.1", mac=GW)
        for i in range(4000):
            l3.l3(name, "ROUTE_ADD", prefix="20.%d.%d.0" % (i // 256, i % 256), prefix_len=24,
                  port=ib, gateway="10.255.0.1")
        frames = [ip4_frame(R[0], H[0], "10.0.0.2", "20.%d.%d.9" % (i // 256, i % 256))
                  for i in range(0, 4000, 41)]
        assert send(a, frames) == len(frames)
        got = recv(b)
        assert len(got) == len(frames)
        assert all(g[:12] == GW + R[1] for g in got)
        l3.set_lookup(name, "learn")
        run("rmmod", "vale_lookup_l3")
        assert not module_loaded("vale_lookup_l3")
    finally:
        a.close()
        b.close()
