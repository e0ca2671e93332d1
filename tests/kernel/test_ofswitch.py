"""The ofswitch lookup module ("of", lookup-modules/ofswitch) in the
kernel, configured over netlink (of_netlink.py): the table-miss rule,
flows that permit, drop, rewrite (Ethernet destination, VLAN push, pop and
set) and steer frames between ports and between network namespaces,
per-flow counters against what was sent, idle and hard timeouts reaped by
the module's tick without traffic or requests, packet-ins on a controller
port, bad flows rejected with extack, and the module set on a switch,
swapped under traffic and unloaded."""
import os
import socket
import struct
import subprocess
import threading
import time

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, assert_no_region_in_use, module_loaded, run
from netmap import Port
from of_netlink import NO_CONTROLLER, OfSwitch

OF_KO = os.path.join(MODULES, "lookup", "vale_lookup_of.ko")
IPV4, IPV6, ARP = 0x0800, 0x86DD, 0x0806
H = [bytes([2, 0, 0, 0, 0xbb, i]) for i in range(4)]     # hosts
X = bytes([2, 0, 0, 0, 0xee, 0xee])                       # a rewritten destination


def ip(a):
    return socket.inet_pton(socket.AF_INET6 if ":" in a else socket.AF_INET, a)


def udp4(dmac, smac, src, dst, sport, dport, size=60, vid=None):
    """An IPv4/UDP frame of 'size' bytes (before any VLAN tag)."""
    plen = size - 42
    ip_hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 28 + plen, 1, 0, 64, 17, 0, ip(src), ip(dst))
    l4 = struct.pack("!HHHH", sport, dport, 8 + plen, 0) + bytes(range(256))[:plen] * 1
    l4 = l4.ljust(8 + plen, b"\x5a")
    tag = b"" if vid is None else b"\x81\x00" + struct.pack("!H", vid)
    return dmac + smac + tag + b"\x08\x00" + ip_hdr + l4


def tagged(frame, vid):
    return frame[:12] + b"\x81\x00" + struct.pack("!H", vid) + frame[12:]


def send(port, frames):
    n = port.send(frames)
    port.txsync()
    assert n == len(frames)


def recv(port):
    port.rxsync()
    return port.recv()


@pytest.fixture
def ofmod(core):
    if not module_loaded("vale_lookup_of"):
        run("insmod", OF_KO)
    yield
    # Leave the core unloadable for the suites after this one.
    if module_loaded("vale_lookup_of"):
        subprocess.run(["rmmod", "vale_lookup_of"], check=False)


class Switch:
    """Switch 'name' running 'of' with ephemeral netmap ports (by letter)."""

    def __init__(self, name, letters):
        self.name = name
        self.ports = {}
        self.of = OfSwitch(name)
        try:
            for p in letters:
                self.ports[p] = Port("%s:%s" % (name, p), tx_slots=256, rx_slots=256)
            self.of.set_lookup("of")
            self.idx = {p: self.of.port(p) for p in letters}
        except BaseException:
            self.close()
            raise

    def __getitem__(self, p):
        return self.ports[p]

    def quiet(self, *letters):
        """No frame reached any of these ports."""
        for p in letters or self.ports:
            assert recv(self.ports[p]) == [], "port %s received" % p

    def close(self):
        for p in self.ports.values():
            p.close()
        self.of.close()


@pytest.fixture
def sw(ofmod, request):
    s = Switch("valeof%d" % (abs(hash(request.node.name)) % 10000), "abc")
    yield s
    s.close()


@pytest.mark.parametrize("emc", [1, 0], ids=["emc", "noemc"])
def test_of_table_miss_then_flows_permit_rewrite_steer_drop_and_count(sw, emc):
    of, a, b, c = sw.of, sw.idx["a"], sw.idx["b"], sw.idx["c"]
    of.config("EMC_SET", emc=emc)
    f = udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 1000, 53)
    # The default table-miss rule drops, and counts.
    send(sw["a"], [f, f, f])
    sw.quiet()
    table, flows = of.dump()
    assert (table["flows"], table["miss_packets"], table["miss_bytes"]) == (0, 3, 180)
    assert table["emc"] == emc and table["controller"] == NO_CONTROLLER and flows == []
    # A table-miss rule that floods: every other port, unchanged.
    of.config("MISS_SET", actions=[("flood", None)])
    send(sw["a"], [f])
    assert recv(sw["b"]) == [f] and recv(sw["c"]) == [f]
    sw.quiet("a")
    # Permit DNS from a, rewritten and steered to c; the rest still floods.
    dns = {"in_port": a, "eth_type": IPV4, "ip_proto": 17, "tp_dst": 53}
    of.add(dns, [("set_eth_dst", X), ("output", c)], priority=10, cookie=0x1234)
    sizes = (60, 100, 1000, 1514)
    frames = [udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 1000 + i, 53, size=n)
              for i, n in enumerate(sizes)]
    other = udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 1000, 54)
    for _ in range(2):                   # twice: the cache, if on, answers the second time
        send(sw["a"], frames + [other])
        assert recv(sw["c"]) == [X + g[6:] for g in frames] + [other]
        assert recv(sw["b"]) == [other]
    fl = of.flow(10, **dns)
    assert (fl["packets"], fl["bytes"]) == (2 * len(sizes), 2 * sum(sizes))
    assert fl["actions"] == [("set_eth_dst", X), ("output", c)] and fl["cookie"] == 0x1234
    # From b, the same frame is no DNS flow's (in_port): the miss rule.
    send(sw["b"], [f])
    assert recv(sw["a"]) == [f] and recv(sw["c"]) == [f]
    # Drop 10.0.0.0/8 above it: nothing goes anywhere, the drop flow counts.
    drop = {"eth_type": IPV4, "ip_src": ip("10.0.0.0"), "ip_src_len": 8}
    of.add(drop, [("drop", None)], priority=20)
    send(sw["a"], frames)
    sw.quiet()
    assert of.flow(20, **drop)["packets"] == len(sizes)
    assert of.flow(10, **dns)["packets"] == 2 * len(sizes)
    # Deleted (strict), the DNS flow is back in charge; modified, it steers to b.
    of.config("FLOW_DEL", match=drop, priority=20, strict=True)
    of.config("FLOW_MOD", match=dns, actions=[("output", b)], priority=10, strict=True)
    send(sw["a"], frames[:1])
    assert recv(sw["b"]) == frames[:1]
    sw.quiet()
    table, flows = of.dump()
    assert table["flows"] == 1 and len(flows) == 1
    assert table["miss_packets"] == 3 + 1 + 2 + 1          # drop, flood, 'other' twice, from b


def test_of_vlan_push_pop_and_set(sw):
    of, a, b, c = sw.of, sw.idx["a"], sw.idx["b"], sw.idx["c"]
    f = udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 7, 8, size=200)
    of.add({"in_port": a}, [("push_vlan", 100), ("output", b)])
    of.add({"in_port": b, "vlan_vid": 100}, [("pop_vlan", None), ("output", a)])
    of.add({"in_port": c, "vlan_vid": 5}, [("set_vlan_vid", 7), ("output", b)])
    of.add({"in_port": c, "vlan_vid": 0xFFFF}, [("output", a)])      # untagged only
    send(sw["a"], [f])
    assert recv(sw["b"]) == [tagged(f, 100)]
    send(sw["b"], [tagged(f, 100), tagged(f, 101)])                    # 101: no flow
    assert recv(sw["a"]) == [f]
    send(sw["c"], [tagged(f, 5), f])
    assert recv(sw["b"]) == [tagged(f, 7)]
    assert recv(sw["a"]) == [f]
    sw.quiet()


def test_of_controller_port_receives_packet_ins(sw):
    of, a = sw.of, sw.idx["a"]
    with Port(sw.name + ":ctl", tx_slots=64, rx_slots=64) as ctl:
        of.config("CONTROLLER_SET", controller=of.port("ctl"))
        of.add({"eth_type": IPV4, "ip_proto": 17, "tp_dst": 67}, [("controller", None)],
               priority=50)
        of.add({"in_port": a}, [("output", sw.idx["b"])], priority=10)
        of.config("MISS_SET", actions=[("controller", None)])
        dhcp = udp4(b"\xff" * 6, H[0], "0.0.0.0", "255.255.255.255", 68, 67)
        plain = udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 5, 6)
        send(sw["a"], [dhcp, plain])
        send(sw["c"], [plain])              # no flow for c: table miss, to the controller
        assert recv(ctl) == [dhcp, plain]
        assert recv(sw["b"]) == [plain]
        sw.quiet()
        assert of.dump()[0]["controller"] == of.port("ctl")
        # Without a controller, packet-ins are dropped.
        of.config("CONTROLLER_SET", controller=NO_CONTROLLER)
        send(sw["a"], [dhcp])
        assert recv(ctl) == []
        sw.quiet()


def test_of_timeouts_are_reaped_by_the_tick_without_traffic(sw):
    of, b = sw.of, sw.idx["b"]
    m = {t: {"eth_type": IPV4, "ip_proto": 17, "tp_dst": t} for t in (1, 2, 3)}
    of.add(m[1], [("output", b)], hard_timeout=2)
    of.add(m[2], [("output", b)], idle_timeout=2)
    of.add(m[3], [("output", b)])
    frame = {t: udp4(H[1], H[0], "10.0.0.1", "10.0.0.2", 9, t) for t in (1, 2, 3)}
    assert of.dump()[0]["flows"] == 3
    # Traffic keeps the idle flow alive; the hard timeout takes the other,
    # and the table's own count drops with no request to the module.
    end = time.monotonic() + 8
    while of.dump()[0]["flows"] != 2:
        assert time.monotonic() < end, "the hard-timeout flow was not reaped"
        send(sw["a"], [frame[2]])
        assert recv(sw["b"]) == [frame[2]]
        time.sleep(0.3)
    flows = of.dump()[1]
    assert sorted(f["match"]["tp_dst"] for f in flows) == [2, 3]
    assert all(f["hard_timeout"] == 0 for f in flows)
    send(sw["a"], [frame[1]])            # its flow is gone: the table miss drops it
    sw.quiet()
    # Without traffic the idle flow goes too; the permanent one stays.
    time.sleep(2.5)
    end = time.monotonic() + 6
    while of.dump()[0]["flows"] != 1:
        assert time.monotonic() < end, "the idle flow was not reaped"
        time.sleep(0.3)
    table, flows = of.dump()
    assert [f["match"]["tp_dst"] for f in flows] == [3]
    assert table["miss_packets"] == 1
    send(sw["a"], [frame[2], frame[3]])
    assert recv(sw["b"]) == [frame[3]]


def test_of_bad_flows_are_rejected_with_extack(sw):
    of, b = sw.of, sw.idx["b"]
    cases = [
        (dict(op="FLOW_ADD", match={"ip_proto": 6}, actions=[("output", b)]),
         22, "IP fields need EtherType"),
        (dict(op="FLOW_ADD", match={"eth_type": IPV4, "tp_dst": 80}, actions=[("output", b)]),
         22, "ports need IP protocol"),
        (dict(op="FLOW_ADD", match={"eth_type": IPV4, "ip_dst": ip("10.1.0.0"), "ip_dst_len": 8},
              actions=[("output", b)]), 22, "address bits set past the prefix length"),
        (dict(op="FLOW_ADD", match={"eth_type": IPV6, "ip_dst": ip("10.1.0.0")},
              actions=[("output", b)]), 22, "address length does not match ETH_TYPE"),
        (dict(op="FLOW_ADD", match={}, actions=[("output", b), ("pop_vlan", None)]),
         22, "must be the last action"),
        (dict(op="FLOW_ADD", match={}, actions=[("controller", None), ("output", b)]),
         22, "it must be the only action"),
        (dict(op="FLOW_ADD", match={}, actions=[("push_vlan", 1), ("push_vlan", 2),
                                                ("push_vlan", 3), ("output", b)]),
         22, "too many VLAN pushes"),
        (dict(op="FLOW_ADD", match={}, actions=[("output", b)], strict=True),
         22, "not accepted by this operation"),
        (dict(op="FLOW_MOD", actions=[("output", b)]), 22, "missing MATCH"),
        (dict(op="FLOW_ADD", match={}, actions=[("output", b)], priority=65536),
         34, "priority: value out of the range the module declares"),
        (dict(op="FLOW_DEL", match={"in_port": 9}, priority=1, strict=True), 2, "no such flow"),
    ]
    for kw, code, msg in cases:
        op = kw.pop("op")
        with pytest.raises(NetlinkError) as err:
            of.config(op, **kw)
        assert err.value.code == code, (op, kw, err.value)
        assert msg in str(err.value.args[1]), (op, kw, err.value.args)
    assert of.dump()[0]["flows"] == 0


def test_of_set_on_a_switch_swapped_under_traffic_and_unloaded(ofmod):
    """Frames flow a -> b the whole time while the switch goes back and forth
    between the learning bridge and 'of'; while a switch uses 'of' it cannot
    be unloaded; afterwards it unloads and every region is free."""
    name = "valeofswap"
    a = Port(name + ":a", tx_slots=256, rx_slots=256)
    b = Port(name + ":b", tx_slots=256, rx_slots=256)
    of = OfSwitch(name)
    stop = threading.Event()
    sent = []

    def sender():
        f = udp4(b"\xff" * 6, H[0], "10.0.0.1", "10.0.0.2", 1, 2)
        n = 0
        while not stop.is_set():
            n += a.send([f] * 32)
            a.txsync()
        sent.append(n)

    t = threading.Thread(target=sender)
    try:
        ia, ib = of.port("a"), of.port("b")
        t.start()
        for i in range(6):
            of.set_lookup("of")
            of.add({"in_port": ia}, [("output", ib)], idle_timeout=1 + i % 2)
            of.add({"eth_type": IPV4, "ip_proto": 17}, [("output", ib)], priority=9,
                   hard_timeout=1)
            time.sleep(0.2)
            if i == 0:
                r = subprocess.run(["rmmod", "vale_lookup_of"], capture_output=True, text=True)
                assert r.returncode != 0 and module_loaded("vale_lookup_of")
            of.set_lookup("learn")
            time.sleep(0.1)
        stop.set()
        t.join()
        assert sent and sent[0] > 0
        got = len(recv(b))
        assert got > 0
    finally:
        stop.set()
        if t.is_alive():
            t.join()
        a.close()
        b.close()
        of.close()
    run("rmmod", "vale_lookup_of")
    assert not module_loaded("vale_lookup_of")
    assert_no_region_in_use()


# ---------------------------------------------------------------- namespaces

@pytest.fixture
def sb(core):
    from test_nic_ports import Sandbox
    subprocess.run(["modprobe", "veth"], check=True)
    s = Sandbox()
    yield s
    from netmap import vale_detach, vale_list_all
    for port_name, _, _ in vale_list_all():
        if port_name.split(":", 1)[1] in s.links:
            vale_detach(port_name)
    s.cleanup()


def test_of_flows_govern_traffic_between_namespaces(ofmod, sb):
    """Three namespaces on one switch running 'of': nothing passes until
    flows allow it; ARP floods and IPv4 goes by input port; a flow drops
    ICMP from a while UDP from a still passes; a rewrite steers a's IPv4
    to c instead, with c's MAC as destination."""
    from test_nic_ports import attach, mac
    sw = "valeofns"
    n = int(sb.tag[3:]) % 250
    ns = {p: sb.ns(p) for p in "abc"}
    addr = {p: "10.78.%d.%d" % (n, i + 1) for i, p in enumerate("abc")}
    outer = {p: sb.pair(sb.tag + p, ns[p], addr[p] + "/24") for p in "abc"}
    for p in "abc":
        attach("%s:%s" % (sw, outer[p]))
    of = OfSwitch(sw)
    try:
        of.set_lookup("of")
        idx = {p: of.port(outer[p]) for p in "abc"}
        # Table miss: drop. The ping cannot even resolve b's address.
        assert sb.ping(ns["a"], addr["b"], count=1, timeout=1) == 0
        of.add({"eth_type": ARP}, [("flood", None)], priority=100)
        for x, y in (("a", "b"), ("b", "a")):
            of.add({"in_port": idx[x], "eth_type": IPV4}, [("output", idx[y])], priority=10)
        assert sb.ping(ns["a"], addr["b"], count=3) == 3
        fl = of.flow(10, in_port=idx["a"], eth_type=IPV4)
        assert fl["packets"] >= 3
        # Drop ICMP from a; UDP still passes.
        icmp = {"in_port": idx["a"], "eth_type": IPV4, "ip_proto": 1}
        of.add(icmp, [("drop", None)], priority=20)
        assert sb.ping(ns["a"], addr["b"], count=2, timeout=1) == 0
        assert of.flow(20, **icmp)["packets"] == 2
        rx = sb.start(ns["b"], "udp-recv", "9999", "5", "20")
        assert sb.tool(ns["a"], "udp-send", addr["b"], "9999", "5", "200")["sent"] == 5
        assert sb.result(rx)["received"] == 5
        # Steer a's UDP to c, rewritten to c's MAC: c's stack sees it.
        udp = {"in_port": idx["a"], "eth_type": IPV4, "ip_proto": 17}
        mac_c = bytes.fromhex(mac(ns["c"]).replace(":", ""))
        of.add(udp, [("set_eth_dst", mac_c), ("output", idx["c"])], priority=30)
        sniff = sb.start(ns["c"], "raw-recv", "eth0", "0x0800", "3", "20")
        rx_b = sb.start(ns["b"], "udp-recv", "9998", "3", "5")
        sb.tool(ns["a"], "udp-send", addr["b"], "9998", "3", "100")
        got = [bytes.fromhex(h) for h in sb.result(sniff)["frames"]]
        assert len(got) == 3
        assert all(g[:6] == mac_c and g[30:34] == ip(addr["b"]) for g in got)
        assert sb.result(rx_b)["received"] == 0
        assert of.flow(30, **udp)["packets"] == 3
    finally:
        of.close()
