"""Network namespaces (docs/security.md, "Network namespaces"): switches,
persistent interfaces, pipes and NIC ports belong to one namespace, and
nothing made in one is visible or reachable from another.  A switch name
in a child namespace is another switch than the same name in the init
namespace; the genl family works there and its events stay there; NEWIF
and DELIF act in the caller's namespace; a NIC is a port only from its
own; and a namespace that goes takes its switches and interfaces along,
leaving nothing behind (the module unloads afterwards)."""
import errno
import json
import os
import queue
import signal
import subprocess
import threading
import time

import pytest

from conftest import (BIN, dmesg_mark, dmesg_since, load_core, module_loaded, run,
                      unload_core, vale_regions)
from netmap import (BROADCAST_MAC, NR_REG_ALL_NIC, NIOCCTRL, Port, eth_frame, ioctl, mac_addr,
                    make_header, nmreq_register, open_dev, unique_name, vale_attach,
                    vale_delif, vale_detach, vale_list, vale_list_all, vale_newif)
import netmap
from sandbox import Child, net_ns_id

VALECTL = os.path.join(BIN, "valectl")
SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption", "general protection",
          "unregister_netdevice: waiting")


# ---- steps run on either side (module level: the child looks them up) ---------

HELD = {}


def open_ports(*names):
    for n in names:
        HELD[n] = Port(n, tx_slots=64, rx_slots=64)
    return True


def send_one(name, tag):
    p = HELD[name]
    assert p.send([eth_frame(BROADCAST_MAC, mac_addr(tag), 60, tag=tag)]) == 1
    p.txsync()
    return True


def received_tags(name):
    """The source MAC's last byte of every frame received since last time."""
    p = HELD[name]
    p.rxsync()
    tags = [f[11] for f in p.recv()]
    p.rxsync()
    return tags


def close_all():
    for p in HELD.values():
        p.close()
    HELD.clear()
    return True


def listed():
    return sorted(n for n, _, _ in vale_list_all())


def link_exists(name):
    return run("ip", "link", "show", "dev", name, check=False).returncode == 0


def register(name):
    fd = open_dev()
    try:
        req = nmreq_register(nr_mode=NR_REG_ALL_NIC)
        return ioctl(fd, NIOCCTRL, make_header(netmap.NETMAP_REQ_REGISTER, req, name))
    finally:
        os.close(fd)


def vi_steps(vi, sw):
    """In the child: a VI of the same name as the parent's, used there."""
    out = {"newif": vale_newif(vi), "exists": link_exists(vi)}
    out["attach"] = vale_attach("%s:%s" % (sw, vi))[0]
    out["listed"] = listed()
    out["move out"] = run("ip", "link", "set", vi, "netns", "1", check=False).returncode
    out["still here"] = link_exists(vi)
    return out


def vi_cleanup(vi, sw):
    return [vale_detach("%s:%s" % (sw, vi))[0], vale_delif(vi), link_exists(vi)]


def nic_steps(sw, ifname):
    out = {"exists": link_exists(ifname)}
    out["attach"] = vale_attach("%s:%s" % (sw, ifname))[0]
    out["listed"] = listed()
    return out


def nic_move_home(ifname):
    return run("ip", "link", "set", ifname, "netns", "1", check=False).returncode


def ns_id():
    return net_ns_id()


# ---- switches and ports ----------------------------------------------------------

@pytest.fixture
def clean(core):
    yield
    close_all()


def test_the_same_switch_name_in_two_namespaces_is_two_switches(clean):
    sw = unique_name("valens")
    open_ports(sw + ":inside", sw + ":inside2")
    with Child(netns=True) as c:
        assert c.call(ns_id) != net_ns_id()
        assert c.call(open_ports, sw + ":fromns", sw + ":fromns2")
        # each namespace lists its own ports only, and cannot name the other's
        assert c.call(listed) == [sw + ":fromns", sw + ":fromns2"]
        assert [n for n in listed() if n.startswith(sw)] == [sw + ":inside", sw + ":inside2"]
        assert vale_list(sw + ":fromns")[0] == errno.ENXIO
        assert c.call(vale_list, sw + ":inside")[0] == errno.ENXIO
        assert vale_detach(sw + ":fromns")[0] == errno.ENXIO
        # broadcasts reach the other port of the same namespace, never across
        assert c.call(send_one, sw + ":fromns", 0xc1)
        assert send_one(sw + ":inside", 0x11)
        assert c.call(received_tags, sw + ":fromns2") == [0xc1]
        assert c.call(received_tags, sw + ":fromns") == []
        assert received_tags(sw + ":inside2") == [0x11]
        assert received_tags(sw + ":inside") == []
        assert c.call(close_all)
    # the child's switch went with its ports; ours is as it was
    assert [n for n in listed() if n.startswith(sw)] == [sw + ":inside", sw + ":inside2"]


def test_pipes_of_the_same_name_in_two_namespaces_are_not_connected(clean):
    base = unique_name("nsp")
    open_ports(base + "{1")
    with Child(netns=True) as c:
        assert c.call(open_ports, base + "}1")
        assert send_one(base + "{1", 0x21)
        assert c.call(received_tags, base + "}1") == []
        assert c.call(close_all)
    open_ports(base + "}1")
    assert received_tags(base + "}1") == [0x21]


def test_newif_and_delif_act_in_the_callers_namespace_only(clean):
    vi, sw = unique_name("vins"), unique_name("valensv")
    with Child(netns=True) as c:
        got = c.call(vi_steps, vi, sw)
        assert got["newif"] == 0 and got["exists"] and got["attach"] == 0
        assert got["listed"] == ["%s:%s" % (sw, vi)]
        assert got["move out"] != 0 and got["still here"]  # a VI stays in its namespace
        # not here: not listed, not deleted nor detached from here
        assert not link_exists(vi)
        assert "%s:%s" % (sw, vi) not in listed()
        assert vale_detach("%s:%s" % (sw, vi))[0] == errno.ENXIO
        assert vale_delif(vi) == errno.ENXIO
        assert register(vi) == errno.ENXIO
        # our own of the same name comes and goes without touching theirs
        assert vale_newif(vi) == 0 and link_exists(vi)
        assert vale_delif(vi) == 0 and not link_exists(vi)
        assert c.call(link_exists, vi)
        assert c.call(vi_cleanup, vi, sw) == [0, 0, False]


def test_a_nic_is_a_port_only_in_its_own_namespace(clean):
    run("modprobe", "veth")
    nic, sw = unique_name("nsv"), unique_name("valensn")
    run("ip", "link", "add", nic, "type", "veth", "peer", "name", nic + "p")
    try:
        with Child(netns=True) as c:
            run("ip", "link", "set", nic, "netns", str(c.pid))
            assert not link_exists(nic)
            assert register(nic) == errno.ENXIO
            assert vale_attach("%s:%s" % (sw, nic))[0] == errno.ENXIO
            got = c.call(nic_steps, sw, nic)
            assert got["exists"] and got["attach"] == 0
            assert got["listed"] == ["%s:%s" % (sw, nic)]
            assert "%s:%s" % (sw, nic) not in listed()
            # moved back here, it left the child's switch: a free interface
            assert c.call(nic_move_home, nic) == 0
            assert c.call(listed) == []
        assert link_exists(nic)
        assert register(nic) == 0
    finally:
        run("ip", "link", "del", nic, check=False)


# ---- netlink -----------------------------------------------------------------------

def vctl(ns, *args, rc=0):
    cmd = (["ip", "netns", "exec", ns] if ns else []) + [VALECTL] + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert rc is None or r.returncode == rc, "%s: %d\n%s" % (cmd, r.returncode, r.stderr)
    return r


def switches(ns=None):
    return {s["switch"] for s in json.loads(vctl(ns, "-j", "switch", "show").stdout)}


@pytest.fixture
def netns(core):
    made = []

    def make():
        name = unique_name("vns")
        run("ip", "netns", "add", name)
        made.append(name)
        return name

    yield make
    for name in made:
        run("ip", "netns", "del", name, check=False)


class Monitor:
    """valectl -j monitor in namespace ns (None: here), its lines queued."""

    def __init__(self, ns):
        self.ns = ns
        cmd = (["ip", "netns", "exec", ns] if ns else []) + [VALECTL, "-j", "monitor"]
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(json.loads(line))

    def until(self, sw, event):
        """Events up to and including 'event' of switch sw."""
        got = []
        while True:
            e = self.lines.get(timeout=10)
            got.append(e)
            if e.get("switch") == sw and e["event"] == event:
                return got

    def sync(self):
        """Poke with switches until the monitor has subscribed."""
        for _ in range(40):
            sw = unique_name("valesync")
            vctl(self.ns, "switch", "add", sw)
            vctl(self.ns, "switch", "del", sw)
            try:
                e = self.lines.get(timeout=0.5)
            except queue.Empty:
                continue
            self.lines.put(e)
            self.until(sw, "switch_del")
            return
        raise AssertionError("monitor never subscribed: %s" % self.p.stderr.read())

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        return self.p.wait(timeout=10)


def test_valectl_works_in_a_child_namespace_and_sees_its_own(netns):
    ns = netns()
    sw, vi = unique_name("valensc"), unique_name("vinc")
    vctl(ns, "switch", "add", sw)
    vctl(ns, "if", "add", vi)
    vctl(ns, "port", "attach", sw, vi)
    assert sw in switches(ns) and sw not in switches()
    # the same name here is another switch; theirs cannot be deleted from here
    vctl(None, "switch", "add", sw)
    vctl(None, "switch", "del", sw)
    r = vctl(None, "port", "detach", sw, vi, rc=1)
    assert "No such" in r.stderr, r.stderr
    r = vctl(None, "if", "del", vi, rc=1)
    assert "No such" in r.stderr, r.stderr
    assert sw in switches(ns)
    ports = json.loads(vctl(ns, "-j", "port", "show", sw).stdout)
    assert [p["port"] for p in ports] == [vi]
    r = run("ip", "netns", "exec", ns, "ip", "link", "show", vi, check=False)
    assert r.returncode == 0 and not link_exists(vi)
    vctl(ns, "port", "detach", sw, vi)
    vctl(ns, "if", "del", vi)
    vctl(ns, "switch", "del", sw)


def test_events_go_to_listeners_of_the_switchs_namespace_only(netns):
    ns = netns()
    here, there = Monitor(None), Monitor(ns)
    try:
        here.sync()
        there.sync()
        sw_ns, sw_here, vi = unique_name("valeevn"), unique_name("valeevh"), unique_name("vev")
        vctl(ns, "switch", "add", sw_ns)
        vctl(ns, "if", "add", vi)
        vctl(ns, "port", "attach", sw_ns, vi)
        vctl(ns, "port", "detach", sw_ns, vi)
        vctl(ns, "if", "del", vi)
        vctl(ns, "switch", "del", sw_ns)
        vctl(None, "switch", "add", sw_here)
        vctl(None, "switch", "del", sw_here)
        # a last switch on each side marks the end of what each may see
        end = unique_name("valeend")
        vctl(ns, "switch", "add", end)
        vctl(None, "switch", "add", end)
        seen_there = there.until(end, "switch_new")
        seen_here = here.until(end, "switch_new")
        vctl(ns, "switch", "del", end)
        vctl(None, "switch", "del", end)
    finally:
        assert here.stop() == 0 and there.stop() == 0
    names = lambda evs: {e.get("switch") or e.get("interface") or e.get("name") for e in evs}
    assert [e["event"] for e in seen_there if e.get("switch") == sw_ns] == [
        "switch_new", "port_attach", "port_detach", "switch_del"]
    assert sw_here not in names(seen_there)
    assert [e["event"] for e in seen_here if e.get("switch") == sw_here] == [
        "switch_new", "switch_del"]
    assert sw_ns not in names(seen_here)
    assert not [e for e in seen_here if vi in json.dumps(e)]
    assert [e for e in seen_there if vi in json.dumps(e)]


# ---- a namespace that goes --------------------------------------------------------

def regions_in_use():
    r = vale_regions()
    return None if r is None else sorted(i for i, d in r.items() if d["users"])


def wait_for(cond, what, timeout=30):
    end = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.2)


def test_deleting_a_namespace_removes_its_switches_and_interfaces(netns):
    run("modprobe", "veth")
    before = regions_in_use()
    switches_before = len(switches())
    ns = netns()
    sw, vi, nic = unique_name("valensd"), unique_name("vind"), unique_name("nsd")
    run("ip", "link", "add", nic, "type", "veth", "peer", "name", nic + "i", "netns", ns)
    run("ip", "netns", "exec", ns, "ip", "link", "set", nic + "i", "up")
    vctl(ns, "switch", "add", sw)                 # persistent
    vctl(ns, "switch", "add", sw + "x")           # persistent, no port
    vctl(ns, "if", "add", vi)
    vctl(ns, "port", "attach", sw, vi)
    vctl(ns, "port", "attach", sw, nic + "i", "host")
    vctl(ns, "if", "add", vi + "f")               # on no switch
    if before is not None:  # the two VIs' regions (and the global one, for the NIC)
        assert len(regions_in_use()) >= len(before) + 2
    mark = dmesg_mark()
    run("ip", "netns", "del", ns)
    # the namespace goes asynchronously: its veth end, then the outer one
    wait_for(lambda: not link_exists(nic), "the veth pair to go with the namespace")
    if before is not None:
        wait_for(lambda: regions_in_use() == before, "the VIs' regions to be freed")
    # every switch slot is free again but ours: 64 switches fit
    made = []
    try:
        for _ in range(64 - switches_before):
            name = unique_name("valefill")
            vctl(None, "switch", "add", name)
            made.append(name)
        r = vctl(None, "switch", "add", unique_name("valefill"), rc=1)
        assert "too many switches" in r.stderr, r.stderr
    finally:
        for name in made:
            vctl(None, "switch", "del", name)
    assert not [m for m in dmesg_since(mark) if any(s in m for s in SPLATS)]
    # nothing holds the module: it unloads, and comes back
    try:
        unload_core()
        assert not module_loaded("vale")
    finally:
        load_core()
