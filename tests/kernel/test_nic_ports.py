"""NIC ports (drivers/nic*.c): Linux interfaces in netmap mode, alone and
attached to a switch, with real traffic from the kernel stack.

Each test builds its own sandbox: network namespaces "nmt<N>..." holding
one end of a veth pair each, the other ("outer") end in the VM's root
namespace. Addresses (10.77.x.y) exist only inside those namespaces; the
fixture removes everything. Helpers that need a socket in a namespace
run tests/kernel/nettool.py there with `ip netns exec`.
"""
import ctypes
import errno
import itertools
import json
import os
import select
import subprocess
import sys
import time

import pytest

import netmap
from conftest import (assert_no_region_in_use, dmesg_mark, dmesg_since, load_core,
                      module_loaded, run, unload_core)
from netmap import (NR_REG_NIC_SW, NR_REG_ONE_NIC, NR_REG_SW, Port, recv_packets,
                    send_packets, vale_attach, vale_detach, vale_list_all)
from vale_genl import Genl, request, uapi

from vale.control import fdb_from  # noqa: E402 (vale_genl puts pyctl on the path)

HERE = os.path.dirname(os.path.abspath(__file__))
NETTOOL = os.path.join(HERE, "nettool.py")
SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption", "leak")
ETH_P_TEST = 0x88B5
_ids = itertools.count(1)

# ---------------------------------------------------------------------------
# Sandbox


def sh(*cmd, check=True):
    return run(*cmd, check=check)


class Sandbox:
    """Namespaces and veth pairs, removed by cleanup()."""

    def __init__(self):
        self.tag = "nmt%d" % next(_ids)
        self.netns = []
        self.links = []
        self.procs = []

    def ns(self, suffix):
        name = self.tag + suffix
        sh("ip", "netns", "add", name)
        self.netns.append(name)
        sh("ip", "-n", name, "link", "set", "lo", "up")
        # Quieter links: no IPv6 neighbour discovery in the frames we count.
        sh("ip", "netns", "exec", name, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1",
           "net.ipv6.conf.default.disable_ipv6=1")
        return name

    def pair(self, outer, ns, addr=None, inner="eth0", mtu=None, queues=None):
        """veth 'outer' (root namespace, up, no address) <-> 'inner' in ns."""
        cmd = ["ip", "link", "add", outer]
        if queues:
            cmd += ["numtxqueues", str(queues), "numrxqueues", str(queues)]
        cmd += ["type", "veth", "peer", "name", inner, "netns", ns]
        if queues:
            cmd += ["numtxqueues", str(queues), "numrxqueues", str(queues)]
        sh(*cmd)
        self.links.append(outer)
        if mtu:
            sh("ip", "link", "set", outer, "mtu", str(mtu))
            sh("ip", "-n", ns, "link", "set", inner, "mtu", str(mtu))
        sh("ip", "link", "set", outer, "up")
        if addr:
            sh("ip", "-n", ns, "addr", "add", addr, "dev", inner)
        sh("ip", "-n", ns, "link", "set", inner, "up")
        return outer

    def tool(self, ns, *args, timeout=120):
        """Run nettool in ns, wait, return its JSON answer."""
        r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, NETTOOL] + list(args),
                           capture_output=True, text=True, timeout=timeout)
        assert r.stdout, "nettool %r in %s: %s" % (args, ns, r.stderr)
        return json.loads(r.stdout.splitlines()[-1])

    def start(self, ns, *args):
        """Start a nettool server in ns; returns once it listens."""
        p = subprocess.Popen(["ip", "netns", "exec", ns, sys.executable, NETTOOL] + list(args),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.procs.append(p)
        line = p.stderr.readline()
        assert "listening" in line, line + p.stderr.read()
        return p

    @staticmethod
    def result(p, timeout=120):
        out, err = p.communicate(timeout=timeout)
        assert out, err
        return json.loads(out.splitlines()[-1])

    def ctrl(self, ns, code):
        """Run Python with tests/kernel on the path in ns (netmap requests
        name interfaces of the caller's namespace); returns its stdout."""
        r = subprocess.run(["ip", "netns", "exec", ns, sys.executable, "-c",
                            "import sys; sys.path.insert(0, %r); import netmap\n%s" % (HERE, code)],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        return r.stdout.strip()

    def ping(self, ns, dst, count=2, timeout=3):
        return self.tool(ns, "ping", dst, str(count), str(timeout))["received"]

    def unreachable(self, ns, dst):
        """dst does not answer a ping from ns. The failed attempt leaves
        ns's ARP entry for dst half-resolved; if it turned FAILED just after
        the path came back, it would drop the first echo queued behind it
        and fail a later ping that should pass: forget it."""
        got = self.ping(ns, dst, count=1, timeout=2)
        subprocess.run(["ip", "-n", ns, "neigh", "flush", "to", dst], capture_output=True)
        return got == 0

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.communicate()
        for link in self.links:
            subprocess.run(["ip", "link", "del", link], capture_output=True)
        for ns in self.netns:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)


@pytest.fixture
def sb(core):
    subprocess.run(["modprobe", "veth"], check=True)
    mark = dmesg_mark()
    s = Sandbox()
    yield s
    # Whatever a test left on its switches goes with its interfaces.
    for name, _, _ in vale_list_all():
        sw, port = name.split(":", 1)
        if port in s.links:
            vale_detach(name)
    s.cleanup()
    log = dmesg_since(mark)
    assert not [line for line in log if any(x in line for x in SPLATS)], log


def attach(name, host=False):
    err, idx = vale_attach(name, NR_REG_NIC_SW if host else 0)
    assert err == 0, "ATTACH %s: %s" % (name, netmap.errname(err))
    return idx


def detach(name):
    err, idx = vale_detach(name)
    assert err == 0, "DETACH %s: %s" % (name, netmap.errname(err))
    return idx


def switch_ports(sw):
    return sorted(n.split(":", 1)[1] for n, _, _ in vale_list_all() if n.startswith(sw + ":"))


def ns_switch_ports(sb, ns, sw):
    """switch_ports() as network namespace ns sees them."""
    out = sb.ctrl(ns, "for n, _, _ in netmap.vale_list_all(): print(n)")
    return sorted(n.split(":", 1)[1] for n in out.split() if n.startswith(sw + ":"))


def mac(ns, iface="eth0"):
    r = sh("ip", "netns", "exec", ns, "cat", "/sys/class/net/%s/address" % iface)
    return r.stdout.strip()


def two_hosts(sb, sw, mtu=None):
    """ns a (10.77.N.1) and ns b (10.77.N.2) behind outer ends attached to sw."""
    n = int(sb.tag[3:]) % 250
    a, b = sb.ns("a"), sb.ns("b")
    oa = sb.pair(sb.tag + "a", a, "10.77.%d.1/24" % n, mtu=mtu)
    ob = sb.pair(sb.tag + "b", b, "10.77.%d.2/24" % n, mtu=mtu)
    attach("%s:%s" % (sw, oa))
    attach("%s:%s" % (sw, ob))
    return a, b, "10.77.%d.1" % n, "10.77.%d.2" % n


# ---------------------------------------------------------------------------
# Netlink: port kind and the learning bridge's table


def fdb(sw):
    """The learning bridge's table "fdb" (LOOKUP_DUMP): {"02:..": port number}."""
    with Genl() as g:
        rows = [fdb_from(m.get_attr("VALE_ATTR_LOOKUP_CONFIG")) for m in g.dump(sw, "learn", "fdb")]
    return {e.mac: e.port for e in rows}


def port_kinds(sw):
    return {m.get_attr("VALE_ATTR_PORT_NAME"): m.get_attr("VALE_ATTR_PORT_KIND")
            for m in request("PORT_GET", [("VALE_ATTR_SWITCH_NAME", sw)], dump=True)}


# ---------------------------------------------------------------------------
# Through a switch


def test_ping_across_the_switch_between_two_namespaces(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen1")
    assert sb.ping(a, ip_b, count=3) == 3
    assert sb.ping(b, ip_a, count=3) == 3
    assert port_kinds("valen1") == {sb.tag + "a": uapi.PORT_NIC, sb.tag + "b": uapi.PORT_NIC}


def test_tcp_transfer_of_several_megabytes_arrives_intact(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen2")
    srv = sb.start(b, "tcp-recv", "5001")
    sent = sb.tool(a, "tcp-send", ip_b, "5001", str(8 << 20), "42")
    got = sb.result(srv)
    assert got == sent and got["bytes"] == 8 << 20


def test_udp_datagrams_arrive_intact(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen3")
    srv = sb.start(b, "udp-recv", "5002", "300", "20")
    sb.tool(a, "udp-send", ip_b, "5002", "300", "1400")
    got = sb.result(srv)
    assert got["bad"] == 0
    assert got["received"] >= 295, got  # UDP: a rare drop is allowed, corruption is not


def test_jumbo_frames_cross_the_switch_in_multi_slot_packets(sb):
    """MTU 9000: frames of up to 5 buffers, NS_MOREFRAG chains through the
    switch; TCP with full-size segments arrives intact."""
    a, b, ip_a, ip_b = two_hosts(sb, "valen4", mtu=9000)
    srv = sb.start(b, "tcp-recv", "5003")
    sent = sb.tool(a, "tcp-send", ip_b, "5003", str(2 << 20), "9")
    assert sb.result(srv) == sent


def test_learning_bridge_learns_the_namespaces_macs_and_unicasts(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen5")
    c = sb.ns("c")
    oc = sb.pair(sb.tag + "c", c, None)
    attach("valen5:" + oc)
    assert sb.ping(a, ip_b) == 2
    table = fdb("valen5")
    ports = {n.split(":", 1)[1]: p for n, _, p in vale_list_all() if n.startswith("valen5:")}
    assert table.get(mac(a)) == ports[sb.tag + "a"]
    assert table.get(mac(b)) == ports[sb.tag + "b"]
    # Learned: the unicast echo requests no longer reach the third port.
    snoop = sb.start(c, "raw-recv", "eth0", "0x0800", "1", "4")
    assert sb.ping(a, ip_b) == 2
    assert sb.result(snoop)["frames"] == []


def test_arp_broadcast_reaches_both_other_namespaces(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen6")
    c = sb.ns("c")
    attach("valen6:" + sb.pair(sb.tag + "c", c, None))
    target = ip_a.rsplit(".", 1)[0] + ".99"
    snoops = [sb.start(ns, "sniff-arp", "eth0", target, "60") for ns in (b, c)]
    sb.tool(a, "arp-request", "eth0", ip_a, target)
    for s in snoops:
        got = sb.result(s)
        assert got["seen"] and got["src"] == mac(a).replace(":", "")


def host_pair(sb):
    """ns h holds interface x (10.77.N.1) whose peer is in ns p (10.77.N.2)."""
    n = 100 + int(sb.tag[3:]) % 150
    h, p = sb.ns("h"), sb.ns("p")
    sh("ip", "link", "add", "x", "netns", h, "type", "veth", "peer", "name", "eth0", "netns", p)
    sh("ip", "-n", h, "addr", "add", "10.77.%d.1/24" % n, "dev", "x")
    sh("ip", "-n", p, "addr", "add", "10.77.%d.2/24" % n, "dev", "eth0")
    sh("ip", "-n", h, "link", "set", "x", "up")
    sh("ip", "-n", p, "link", "set", "eth0", "up")
    return h, p, "10.77.%d.1" % n


def test_host_port_keeps_the_interfaces_address_reachable(sb):
    h, p, ip_x = host_pair(sb)
    assert sb.ping(p, ip_x) == 2
    # Attached with its host stack ("x^"): through the switch and back.
    assert sb.ctrl(h, "print(netmap.vale_attach('valen7:x', netmap.NR_REG_NIC_SW))") == "(0, 0)"
    # The switch is h's (switches are per network namespace): listed from there.
    assert ns_switch_ports(sb, h, "valen7") == ["x", "x^"]
    assert switch_ports("valen7") == []
    assert sb.ping(p, ip_x, count=3) == 3
    srv = sb.start(h, "tcp-recv", "5004")
    sent = sb.tool(p, "tcp-send", ip_x, "5004", str(2 << 20), "3")
    assert sb.result(srv) == sent
    # Detached: the interface is itself again.
    assert sb.ctrl(h, "print(netmap.vale_detach('valen7:x'))") == "(0, 0)"
    assert ns_switch_ports(sb, h, "valen7") == []
    assert sb.ping(p, ip_x) == 2


def test_without_its_host_port_the_stack_is_cut_off_then_restored(sb):
    h, p, ip_x = host_pair(sb)
    assert sb.ctrl(h, "print(netmap.vale_attach('valen8:x'))") == "(0, 0)"
    assert sb.unreachable(p, ip_x)
    assert sb.ctrl(h, "print(netmap.vale_detach('valen8:x'))") == "(0, 0)"
    assert sb.ping(p, ip_x) == 2


def test_link_del_during_a_transfer_leaves_the_switch_serving_the_others(sb):
    a, b, ip_a, ip_b = two_hosts(sb, "valen9")
    c = sb.ns("c")
    attach("valen9:" + sb.pair(sb.tag + "c", c, ip_b.rsplit(".", 1)[0] + ".3/24"))
    srv = sb.start(b, "tcp-recv", "5005", "20")
    cli = subprocess.Popen(["ip", "netns", "exec", a, sys.executable, NETTOOL, "tcp-send",
                            ip_b, "5005", str(64 << 20), "5", "10"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sb.procs.append(cli)
    time.sleep(1.5)
    sh("ip", "link", "del", sb.tag + "a")
    sb.links.remove(sb.tag + "a")
    assert switch_ports("valen9") == sorted([sb.tag + "b", sb.tag + "c"])
    assert sb.ping(c, ip_b, count=3) == 3
    cli.kill()
    srv.kill()
    detach("valen9:" + sb.tag + "b")
    detach("valen9:" + sb.tag + "c")
    assert_no_region_in_use()


def test_module_unload_with_attached_interfaces_restores_them(sb):
    h, p, ip_x = host_pair(sb)
    assert sb.ctrl(h, "print(netmap.vale_attach('valen10:x'))") == "(0, 0)"
    a, b, ip_a, ip_b = two_hosts(sb, "valen10")
    assert sb.ping(a, ip_b) == 2
    assert sb.unreachable(p, ip_x)
    unload_core()
    try:
        assert not module_loaded("vale")
        assert sb.ping(p, ip_x) == 2
    finally:
        load_core()  # the fixtures' teardown needs /dev/netmap


# ---------------------------------------------------------------------------
# Opened directly (netmap:vethX)


def frames(n, size=60, tag=1):
    return [netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x77), size, i, tag)
            for i in range(n)]


def recv_until(port, want, ring=0, timeout=60.0, slots=False):
    """Packets of our test ethertype on an rx ring (the stacks around send
    IPv6 neighbour discovery too): bytes, or (bytes, slots)."""
    got = []
    end = time.monotonic() + timeout
    while len(got) < want and time.monotonic() < end:
        port.poll(select.POLLIN, 200)
        port.rxsync()
        got += [(f, n) if slots else f for f, n in recv_packets(port, ring)
                if f[12:14] == ETH_P_TEST.to_bytes(2, "big")]
    return got


def test_open_veth_directly_and_exchange_frames_with_the_peer(sb):
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns)
    p = Port(outer)
    try:
        assert (p.req.nr_tx_rings, p.req.nr_rx_rings) == (1, 1)
        assert (p.req.nr_host_tx_rings, p.req.nr_host_rx_rings) == (1, 1)
        assert p.req.nr_tx_slots == 1024 and p.req.nr_mem_id == 1
        # netmap tx -> the peer's stack (an AF_PACKET socket sees them)
        snoop = sb.start(ns, "raw-recv", "eth0", hex(ETH_P_TEST), "32", "60")
        want = frames(32, 200)
        assert send_packets(p, want) == 32
        p.txsync()
        assert [bytes.fromhex(f) for f in sb.result(snoop)["frames"]] == want
        # the peer -> netmap rx ring, in order
        frame = netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x78), 100, 7, 2)
        sb.tool(ns, "raw-send", "eth0", frame.hex(), "20")
        assert recv_until(p, 20) == [frame] * 20
    finally:
        p.close()


def test_one_ring_of_a_multiqueue_veth(sb):
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns, queues=4)
    p = Port(outer, mode=NR_REG_ONE_NIC, ringid=2)
    try:
        assert (p.req.nr_tx_rings, p.req.nr_rx_rings) == (4, 4)
        snoop = sb.start(ns, "raw-recv", "eth0", hex(ETH_P_TEST), "8", "60")
        want = frames(8)
        send_packets(p, want, ring=2)
        p.txsync()
        assert len(sb.result(snoop)["frames"]) == 8
    finally:
        p.close()


def test_jumbo_frames_use_multi_slot_packets(sb):
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns, mtu=9000)
    p = Port(outer)
    try:
        big = netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x79), 9000, 1, 3)
        sb.tool(ns, "raw-send", "eth0", big.hex(), "3")
        r = p.rxring(0)
        got = recv_until(p, 3, slots=True)
        assert got == [(big, 5)] * 3, [(len(f), n) for f, n in got]
        assert r.nr_buf_size == 2048
        snoop = sb.start(ns, "raw-recv", "eth0", hex(ETH_P_TEST), "2", "60")
        out = netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x7a), 7000, 2, 3)
        assert send_packets(p, [out, out]) == 2
        p.txsync()
        assert [bytes.fromhex(f) for f in sb.result(snoop)["frames"]] == [out, out]
    finally:
        p.close()


def test_host_rings_carry_the_stacks_traffic(sb):
    """NR_REG_NIC_SW: what the stack sends out of the interface arrives on
    the host rx ring (not on the wire); what we put on the host tx ring
    reaches the stack as if received (AF_PACKET on the interface sees it)."""
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns)
    p = Port(outer, mode=NR_REG_NIC_SW)
    try:
        host = p.req.nr_rx_rings  # host rings follow the NIC rings
        f = netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x7b), 80, 1, 4)
        peer = sb.start(ns, "raw-recv", "eth0", hex(ETH_P_TEST), "1", "3")
        sh(sys.executable, NETTOOL, "raw-send", outer, f.hex(), "4")
        assert recv_until(p, 4, ring=host) == [f] * 4
        assert sb.result(peer)["frames"] == []  # nothing on the wire
        g = netmap.eth_frame(netmap.BROADCAST_MAC, netmap.mac_addr(0x7c), 90, 2, 4)
        stack = subprocess.Popen([sys.executable, NETTOOL, "raw-recv", outer, hex(ETH_P_TEST),
                                  "1", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        sb.procs.append(stack)
        assert "listening" in stack.stderr.readline()
        send_packets(p, [g], ring=host)
        p.txsync()
        assert [bytes.fromhex(x) for x in sb.result(stack)["frames"]] == [g]
    finally:
        p.close()


def test_fds_see_enxio_after_the_interface_goes(sb):
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns)
    p = Port(outer)
    q = Port(outer, mode=NR_REG_SW)
    try:
        sh("ip", "link", "del", outer)
        sb.links.remove(outer)
        send_packets(p, frames(4))
        assert p.txsync(check=False) == errno.ENXIO
        assert p.rxsync(check=False) == errno.ENXIO
        assert q.poll(select.POLLIN, 0) & select.POLLERR
        # A new interface of the same name is a new port.
        outer2 = sb.pair(outer, ns, inner="eth1")
        r = Port(outer2)
        r.close()
    finally:
        p.close()
        q.close()
    assert_no_region_in_use()


def test_the_interface_is_restored_when_the_last_file_closes(sb):
    h, p, ip_x = host_pair(sb)
    out = sb.ctrl(h, "import time\n"
                     "p = netmap.Port('x')\n"
                     "print(p.req.nr_rx_rings)\n")
    assert out == "1"
    assert sb.ping(p, ip_x) == 2


def test_control_errors(sb):
    ns = sb.ns("a")
    outer = sb.pair(sb.tag + "a", ns)
    assert vale_attach("valen11:nosuchif0")[0] == errno.ENXIO
    assert vale_attach("valen11:lo")[0] == errno.EOPNOTSUPP
    assert vale_attach("valen11:" + outer, NR_REG_SW)[0] == errno.EINVAL
    with Port(outer):
        assert vale_attach("valen11:" + outer)[0] == errno.EBUSY  # open
    attach("valen11:" + outer)
    try:
        assert vale_attach("valen11:" + outer)[0] == errno.EBUSY
        assert vale_attach("valen12:" + outer)[0] == errno.EBUSY
        for name in (outer, "valen11:" + outer):
            with pytest.raises(OSError) as e:
                Port(name)
            assert e.value.errno == errno.EBUSY
        hdr = (ctypes.c_uint32 * 2)(12, 0)  # struct nmreq_port_hdr
        assert netmap.ctrl(netmap.NETMAP_REQ_PORT_HDR_SET, hdr, "valen11:" + outer) == errno.EINVAL
    finally:
        detach("valen11:" + outer)
    info = netmap.port_info(outer)
    assert (info.nr_tx_rings, info.nr_host_rx_rings, info.nr_mem_id) == (1, 1, 1)
    with pytest.raises(OSError) as e:
        netmap.port_info("nosuchif0")
    assert e.value.errno == errno.ENXIO
