"""Persistent virtual interfaces (NETMAP_REQ_VALE_NEWIF/DELIF) and the
switch control requests ATTACH, DETACH and LIST with netmap's semantics
and errors, and detaching an interface while a thread sends through it."""
import errno
import threading
import time

import pytest

from conftest import dmesg_mark, dmesg_since, run, vale_regions
from netmap import (BROADCAST_MAC, errname, NI_PRIV_MEM, eth_frame, mac_addr, recv_packets,
                    send_packets, unique_name, vale_attach, vale_delif, vale_detach,
                    vale_list, vale_list_all, vale_newif)

SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption", "general protection")


def link_exists(name):
    return run("ip", "link", "show", "dev", name, check=False).returncode == 0


@pytest.fixture
def vis(ports):
    """Factory of persistent interfaces, all detached and deleted at the
    end, after the test's ports are closed."""
    made = []

    def make(prefix="vi", **kw):
        name = unique_name(prefix)
        assert vale_newif(name, **kw) == 0
        made.append(name)
        return name

    yield make
    ports.close_all()
    for name in made:
        for n, _, _ in vale_list_all():
            if n.endswith(":" + name):
                vale_detach(n)
        vale_delif(name)


def drain(port, ring=0):
    port.rxsync()
    got = [p for p, _ in recv_packets(port, ring)]
    port.rxsync()
    return got


def names():
    return [n for n, _, _ in vale_list_all()]


# ---------------------------------------------------------------------------


def test_newif_makes_a_network_interface_and_a_port(ports, vis):
    vi = vis(tx_slots=128, rx_slots=256, tx_rings=2, rx_rings=3)
    assert link_exists(vi)
    out = run("ip", "-o", "link", "show", "dev", vi).stdout
    assert (" %s:" % vi) in out and "link/ether" in out, out
    assert vale_newif(vi) == errno.EEXIST
    # the port opens by the interface's name, with the geometry asked for
    p = ports.open(vi)
    assert (p.nifp.ni_tx_rings, p.nifp.ni_rx_rings) == (2, 3)
    assert (p.txring(0).num_slots, p.rxring(0).num_slots) == (128, 256)
    assert p.nifp.ni_flags & NI_PRIV_MEM
    assert p.req.nr_mem_id != 1
    # a second fd shares the port (and its region)
    q = ports.open(vi)
    assert q.req.nr_mem_id == p.req.nr_mem_id
    # not on any switch: not listed, sends go nowhere, no error
    assert not [n for n in names() if n.endswith(":" + vi)]
    f = eth_frame(BROADCAST_MAC, mac_addr(1), 60)
    assert send_packets(p, [f]) == 1
    assert p.txsync(check=False) == 0
    assert drain(q) == []


@pytest.mark.parametrize("name", ["vale0", "valex", "a:b", "vi{1", "vi}1", "",
                                  "x" * 16, "a/b", "a b"])
def test_newif_refuses_bad_names(core, name):
    assert vale_newif(name) == errno.EINVAL, repr(name)
    if name and ":" not in name and "/" not in name and " " not in name:
        assert not link_exists(name[:15])


def test_newif_refuses_a_memory_region_id(core):
    name = unique_name("vm")
    assert vale_newif(name, mem_id=1) == errno.EINVAL
    assert not link_exists(name)


def test_attach_detach_delete_with_netmap_errors(ports, vis):
    sw = unique_name("vale")
    vi = vis()
    full = "%s:%s" % (sw, vi)
    # attach: bad names, unknown interface
    assert vale_attach(vi)[0] == errno.EINVAL  # no switch part
    assert vale_attach(sw + ":")[0] == errno.EINVAL
    assert vale_attach("foo:" + vi)[0] == errno.EINVAL
    assert vale_attach(sw + ":nosuchif0")[0] == errno.ENXIO
    # a failed attach does not leave the switch behind
    assert not [n for n in names() if n.startswith(sw + ":")]
    e = ports.open(sw + ":e", tx_slots=64, rx_slots=64)  # port 0
    err, idx = vale_attach(full)
    assert err == 0
    assert idx == 1
    assert vale_list(full)[2:] == vale_list(sw + ":e")[2:3] + (1,)
    # already attached: to this switch or another one
    assert vale_attach(full)[0] == errno.EBUSY
    assert vale_attach(unique_name("vale") + ":" + vi)[0] == errno.EBUSY
    # attached: open under both names, the same port
    p = ports.open(full)
    q = ports.open(vi)
    assert p.req.nr_mem_id == q.req.nr_mem_id
    assert not e.req.nr_mem_id == p.req.nr_mem_id
    # traffic both ways through the switch
    E, V = mac_addr(0xE), mac_addr(0x71)
    f = eth_frame(E, V, 1514, 1, tag=80)
    assert send_packets(q, [f]) == 1
    q.txsync()
    assert drain(e) == [f]
    g = eth_frame(V, E, 60, 2, tag=81)
    assert send_packets(e, [g]) == 1
    e.txsync()
    assert drain(p) == [g]
    # DELIF refused while attached (and open)
    assert vale_delif(vi) == errno.EBUSY
    # detach: ephemeral ports refuse, unknown ones are ENXIO
    assert vale_detach(sw + ":e")[0] == errno.EINVAL
    assert vale_detach(sw + ":nosuch")[0] == errno.ENXIO
    assert vale_detach(unique_name("vale") + ":" + vi)[0] == errno.ENXIO
    assert vale_detach(vi)[0] == errno.EINVAL
    assert vale_detach(full) == (0, 1)
    assert vale_detach(full)[0] == errno.ENXIO
    assert vale_list(full)[0] == errno.ENXIO
    assert names() == [sw + ":e"]
    # detached: the port still works for its fds, but reaches nobody
    assert send_packets(q, [f]) == 1
    assert q.txsync(check=False) == 0
    assert drain(e) == []
    # DELIF refused while open, even detached
    assert vale_delif(vi) == errno.EBUSY
    p.close()
    assert vale_delif(vi) == errno.EBUSY
    q.close()
    # attach again, to another switch: a new port index there
    sw2 = unique_name("vale")
    assert vale_attach("%s:%s" % (sw2, vi)) == (0, 0)
    assert vale_delif(vi) == errno.EBUSY
    assert vale_detach("%s:%s" % (sw2, vi)) == (0, 0)
    assert not [n for n in names() if n.startswith(sw2 + ":")]
    assert vale_delif(vi) == 0
    assert not link_exists(vi)
    assert vale_delif(vi) == errno.ENXIO
    assert vale_attach(full)[0] == errno.ENXIO
    with pytest.raises(OSError) as ex:
        ports.open(vi)
    assert ex.value.errno == errno.ENXIO


def test_register_valex_ifname_never_shadows_an_interface(ports, vis):
    """netmap refuses REGISTER "valeX:IF" (EINVAL) when IF is an existing
    interface that is not a port of valeX: "valeX:IF" only names the
    interface there for ATTACH/DETACH.  It must not make an ephemeral
    port called IF that then blocks ATTACH of the real one."""
    sw, sw2 = unique_name("vale"), unique_name("vale")
    vi = vis(tx_slots=8, rx_slots=8)
    e = ports.open(sw + ":e", tx_slots=8, rx_slots=8)
    outcomes = {}
    for label, name in (("detached", "%s:%s" % (sw, vi)),):
        try:
            q = ports.open(name, tx_slots=8, rx_slots=8)
        except OSError as ex:
            outcomes[label] = ex.errno
        else:
            outcomes[label] = "opened mem_id %d" % q.req.nr_mem_id
            outcomes["attach after"] = errname(vale_attach("%s:%s" % (sw, vi))[0])
            q.close()
    assert vale_attach("%s:%s" % (sw, vi))[0] == 0
    p = ports.open("%s:%s" % (sw, vi))
    try:
        q = ports.open("%s:%s" % (sw2, vi), tx_slots=8, rx_slots=8)
    except OSError as ex:
        outcomes["attached elsewhere"] = ex.errno
    else:
        outcomes["attached elsewhere"] = "opened mem_id %d (VI's is %d)" % (
            q.req.nr_mem_id, p.req.nr_mem_id)
        q.close()
    assert outcomes == {"detached": errno.EINVAL,
                        "attached elsewhere": errno.EINVAL}, outcomes
    del e


def test_list_by_name_and_by_iteration(ports, vis):
    sws = [unique_name("vale") for _ in range(3)]
    opened = {}
    for k, sw in enumerate(sws):
        for i in range(k + 3):
            opened["%s:p%d" % (sw, i)] = ports.open("%s:p%d" % (sw, i),
                                                    tx_slots=8, rx_slots=8)
    vi = vis(tx_slots=8, rx_slots=8)
    assert vale_attach("%s:%s" % (sws[1], vi))[0] == 0
    # make a hole: port 1 of the first switch leaves
    opened.pop("%s:p1" % sws[0]).close()
    expect = set(opened) | {"%s:%s" % (sws[1], vi)}

    listed = vale_list_all()
    assert {n for n, _, _ in listed} == expect
    assert len(listed) == len(expect)
    # iteration order: by switch, then port number; per name, the same
    # indexes as a lookup by name
    assert [(b, p) for _, b, p in listed] == sorted((b, p) for _, b, p in listed)
    for name, b, p in listed:
        err, back, b2, p2 = vale_list(name)
        assert err == 0 and (b2, p2) == (b, p), name
        assert back == name  # a lookup by name leaves the name alone
    by_sw = {}
    for name, b, p in listed:
        by_sw.setdefault(name.split(":")[0], set()).add(b)
    assert all(len(v) == 1 for v in by_sw.values()), by_sw
    assert len({next(iter(v)) for v in by_sw.values()}) == 3
    # the hole: p0 is port 0, p2 port 2 of the first switch
    ports0 = {n: p for n, _, p in listed if n.startswith(sws[0] + ":")}
    assert ports0 == {sws[0] + ":p0": 0, sws[0] + ":p2": 2}
    # starting in the hole gives the next port; past the end, ENOENT
    b0 = vale_list(sws[0] + ":p0")[2]
    err, name, b, p = vale_list("", b0, 1)
    assert (err, name, b, p) == (0, sws[0] + ":p2", b0, 2)
    last_b = max(b for _, b, _ in listed)
    assert vale_list("", last_b + 1, 0)[0] == errno.ENOENT
    assert vale_list("", 63, 300)[0] == errno.ENOENT
    assert vale_list("", 64, 0)[0] == errno.ENOENT
    # by name: unknown port or switch ENXIO, a bad name EINVAL
    assert vale_list(sws[0] + ":p1")[0] == errno.ENXIO
    assert vale_list(unique_name("vale") + ":p0")[0] == errno.ENXIO
    assert vale_list("foo:p0")[0] == errno.EINVAL
    assert vale_list(vi)[0] == errno.EINVAL
    # everything closed and detached: nothing listed
    assert vale_detach("%s:%s" % (sws[1], vi))[0] == 0
    ports.close_all()
    assert not [n for n in names() if n.split(":")[0] in sws]


def test_detach_while_other_threads_send_through_it_both_ways(ports, vis):
    """One thread sends from the VI, another one sends broadcasts that the
    VI receives, while the main thread detaches and re-attaches it."""
    mark = dmesg_mark()
    sw = unique_name("vale")
    vi = vis(tx_slots=128, rx_slots=64, rx_rings=2)
    full = "%s:%s" % (sw, vi)
    assert vale_attach(full)[0] == 0
    r = ports.open(sw + ":r", tx_slots=64, rx_slots=1024)
    o = ports.open(sw + ":o", tx_slots=128, rx_slots=8)
    s = ports.open(vi)
    V, O = mac_addr(0x71), mac_addr(0x0F)
    stop = threading.Event()
    stats = {"syncs": 0, "errors": [], "osyncs": 0}

    def sender():
        frames = [eth_frame(BROADCAST_MAC, V, 60 + 300 * (i % 5), i, tag=90)
                  for i in range(64)]
        while not stop.is_set():
            send_packets(s, frames)
            err = s.txsync(check=False)
            stats["syncs"] += 1
            if err:
                stats["errors"].append(("vi tx", err))
            s.rxsync(check=False)  # also take what the other thread sends
            recv_packets(s, 0)
            recv_packets(s, 1)

    def other():
        frames = [eth_frame(BROADCAST_MAC, O, 1514, i, tag=91) for i in range(32)]
        while not stop.is_set():
            send_packets(o, frames)
            err = o.txsync(check=False)
            stats["osyncs"] += 1
            if err:
                stats["errors"].append(("other tx", err))

    def from_vi(frames):
        return [f for f in frames if f[6:12] == V]

    def wait_frames(n, timeout=8):
        got, deadline = 0, time.monotonic() + timeout
        while got < n and time.monotonic() < deadline:
            got += len(from_vi(drain(r)))
        return got

    def wait_syncs(n, timeout=8):
        s0, deadline = stats["syncs"], time.monotonic() + timeout
        while stats["syncs"] < s0 + n and time.monotonic() < deadline:
            time.sleep(0.01)
        return stats["syncs"] - s0

    ths = [threading.Thread(target=f, daemon=True) for f in (sender, other)]
    for th in ths:
        th.start()
    try:
        for rnd in range(3):
            assert wait_frames(300) >= 300, "round %d: no traffic before detach" % rnd
            assert vale_detach(full)[0] == 0
            assert wait_syncs(20) >= 20, "the sender stalled after the detach"
            drain(r)  # what was in flight
            assert wait_syncs(20) >= 20
            assert from_vi(drain(r)) == [], "frames crossed a detached interface"
            assert vale_delif(vi) == errno.EBUSY  # still open
            assert vale_attach(full)[0] == 0
    finally:
        stop.set()
        for th in ths:
            th.join(10)
    assert not any(th.is_alive() for th in ths)
    assert stats["errors"] == [], stats["errors"][:5]
    assert stats["osyncs"] > 0
    assert vale_detach(full)[0] == 0
    s.close()
    assert vale_delif(vi) == 0
    log = dmesg_since(mark)
    assert not [l for l in log if any(x in l for x in SPLATS)], log[-40:]


def test_vis_left_nothing_allocated(core):
    assert not [n for n in names()]
    regions = vale_regions()
    if regions is not None:
        assert set(regions) == {1}, regions
        assert regions[1]["users"] == 0
