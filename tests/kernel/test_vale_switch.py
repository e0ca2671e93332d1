"""VALE switch ports (valeX:Y): intact delivery, MAC learning, flooding,
254 ports per switch, drops at a full destination, per-port memory
isolation, multi-ring forwarding, and ports closing under traffic."""
import errno
import os
import resource
import select
import signal
import subprocess
import sys
import threading
import time

import pytest

import netmap
from conftest import BIN, assert_no_region_in_use, dmesg_mark, dmesg_since, vale_regions
from netmap import (BROADCAST_MAC, NI_PRIV_MEM, NS_MOREFRAG, eth_frame, mac_addr,
                    recv_packets, send_packets, unique_name, vale_list, vale_list_all)

SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption", "general protection")
KDIR = os.path.dirname(os.path.abspath(__file__))


def switch():
    """A switch name no other test uses."""
    return unique_name("vale")


def drain(port, ring=0):
    """rxsync, then every whole packet waiting on rx ring 'ring'."""
    port.rxsync()
    got = recv_packets(port, ring)
    port.rxsync()  # hand the slots back
    return [p for p, _ in got]


def deliver(tx, rx, frames, ring=0):
    """Send frames from tx, syncing, until rx got them all; return them."""
    sent, got = 0, []
    for _ in range(4 * len(frames) + 16):
        if len(got) >= len(frames):
            break
        sent += send_packets(tx, frames[sent:], ring)
        tx.txsync()
        got += drain(rx, ring)
    assert len(got) == len(frames), "%d of %d frames arrived" % (len(got), len(frames))
    return got


def assert_nothing(*ports):
    for p in ports:
        p.rxsync()
        for i in range(p.nifp.ni_rx_rings):
            r = p.rxring(i)
            assert r.head == r.tail, "%s rx ring %d got %d unexpected slots" % (
                p.name, i, r.space())


def no_splat(mark):
    log = dmesg_since(mark)
    bad = [l for l in log if any(s in l for s in SPLATS)]
    assert not bad, "\n".join(log[-40:])


# ---------------------------------------------------------------------------


def test_two_ports_exchange_intact_frames_both_ways(ports):
    sw = switch()
    a = ports.open(sw + ":a", tx_slots=128, rx_slots=128)
    b = ports.open(sw + ":b", tx_slots=128, rx_slots=128)
    A, B = mac_addr(0xA), mac_addr(0xB)
    for size in (60, 1514, 2048):
        fwd = [eth_frame(B, A, size, i, tag=1) for i in range(100)]
        assert deliver(a, b, fwd) == fwd, "a -> b at %d bytes" % size
        back = [eth_frame(A, B, size, i, tag=2) for i in range(100)]
        assert deliver(b, a, back) == back, "b -> a at %d bytes" % size
    assert_nothing(a, b)


def test_multi_slot_frame_arrives_whole(ports):
    sw = switch()
    a = ports.open(sw + ":a", tx_slots=64, rx_slots=64)
    b = ports.open(sw + ":b", tx_slots=64, rx_slots=64)
    bs = a.txring(0).nr_buf_size
    A, B = mac_addr(0xA), mac_addr(0xB)
    big = [eth_frame(B, A, 5000, i, tag=3) for i in range(8)]
    nslots = -(-5000 // bs)
    assert nslots >= 2
    # one at a time, so that each is checked slot by slot
    for f in big:
        assert send_packets(a, [f]) == 1
        a.txsync()
        b.rxsync()
        r = b.rxring(0)
        flags = [r.slot((r.head + k) % r.num_slots).flags & NS_MOREFRAG
                 for k in range(r.space())]
        assert flags == [NS_MOREFRAG] * (nslots - 1) + [0], flags
        got = recv_packets(b)
        assert got == [(f, nslots)]
        b.rxsync()
    # and mixed with single-slot frames, in both directions
    mix = []
    for i in range(10):
        mix += [eth_frame(A, B, 60, i, tag=4), eth_frame(A, B, 5000, i, tag=4),
                eth_frame(A, B, 1514, i, tag=4)]
    assert deliver(b, a, mix) == mix
    # a packet whose last slot still says NS_MOREFRAG waits for the rest
    f = eth_frame(B, A, 5000, 99, tag=5)
    t = a.txring(0)
    start = t.head
    assert send_packets(a, [f]) == 1
    end = t.head
    t.head = t.cur = (end - 1) % t.num_slots  # hold back the last fragment
    a.txsync()
    assert_nothing(b)
    t.head = t.cur = end
    a.txsync()
    assert drain(b) == [f], "held-back fragment (from slot %d)" % start


def test_learning_sends_unicast_only_to_the_learned_port(ports):
    sw = switch()
    a, b, c = (ports.open("%s:%s" % (sw, n), tx_slots=64, rx_slots=64) for n in "abc")
    A, B, C = mac_addr(0xA), mac_addr(0xB), mac_addr(0xC)
    # B is unknown: flooded to b and c (so c is alive and listening)
    probe = eth_frame(B, A, 60, 0, tag=10)
    assert send_packets(a, [probe]) == 1
    a.txsync()
    assert drain(b) == [probe]
    assert drain(c) == [probe]
    # one reply from b: A was learned from the probe, so only a gets it
    reply = eth_frame(A, B, 60, 0, tag=11)
    assert send_packets(b, [reply]) == 1
    b.txsync()
    assert drain(a) == [reply]
    assert_nothing(c)
    # now B is learned too: unicast to b only, c receives nothing at all
    frames = [eth_frame(B, A, 60 + i % 1400, i, tag=12) for i in range(200)]
    assert deliver(a, b, frames) == frames
    assert_nothing(a, c)
    # c still receives: C is unknown (c never sent), so this one floods
    mine = eth_frame(C, A, 60, 0, tag=13)
    assert send_packets(a, [mine]) == 1
    a.txsync()
    assert drain(c) == [mine]
    assert drain(b) == [mine]
    # a MAC that moves is relearned: B now sends from c
    moved = eth_frame(A, B, 60, 1, tag=14)
    assert send_packets(c, [moved]) == 1
    c.txsync()
    assert drain(a) == [moved]
    after = eth_frame(B, A, 60, 2, tag=15)
    assert send_packets(a, [after]) == 1
    a.txsync()
    assert drain(c) == [after]
    assert_nothing(b)


def test_broadcast_and_multicast_reach_every_other_port_not_the_sender(ports):
    sw = switch()
    ps = [ports.open("%s:p%d" % (sw, i), tx_slots=64, rx_slots=64) for i in range(5)]
    mcast = b"\x01\x00\x5e\x00\x00\x01"
    for k, sender in enumerate(ps):
        frames = [eth_frame(BROADCAST_MAC, mac_addr(k), 60, 0, tag=20 + k),
                  eth_frame(mcast, mac_addr(k), 1514, 1, tag=20 + k)]
        assert send_packets(sender, frames) == 2
        sender.txsync()
        for j, p in enumerate(ps):
            if j == k:
                assert_nothing(p)
            else:
                assert drain(p) == frames, "port %d from port %d" % (j, k)


def test_254_ports_all_receive_a_broadcast_and_the_255th_is_refused(ports):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:  # each Port holds two fds (its own and mmap's)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    sw = switch()
    before = set(vale_regions() or {})
    small = dict(tx_slots=8, rx_slots=8)
    ps = [ports.open("%s:%d" % (sw, i), **small) for i in range(254)]
    assert len({p.req.nr_mem_id for p in ps}) == 254
    with pytest.raises(OSError) as e:
        ports.open(sw + ":one-too-many", **small)
    assert e.value.errno == errno.ENOSPC
    # a persistent interface cannot be attached to the full switch either
    vi = unique_name("vf")
    assert netmap.vale_newif(vi, tx_slots=8, rx_slots=8) == 0
    try:
        assert netmap.vale_attach("%s:%s" % (sw, vi))[0] == errno.ENOSPC
    finally:
        assert netmap.vale_delif(vi) == 0
    # another switch is not affected by this one being full
    other = ports.open(switch() + ":x", **small)
    other.close()
    listed = [n for n, _, _ in vale_list_all() if n.startswith(sw + ":")]
    assert sorted(listed) == sorted("%s:%d" % (sw, i) for i in range(254))
    f = eth_frame(BROADCAST_MAC, mac_addr(0), 60, 0, tag=30)
    assert send_packets(ps[0], [f]) == 1
    ps[0].txsync()
    for i, p in enumerate(ps[1:], 1):
        assert drain(p) == [f], "port %d" % i
    assert_nothing(ps[0])
    # and from the last port to the first, the other way round the table
    g = eth_frame(BROADCAST_MAC, mac_addr(253), 60, 1, tag=31)
    assert send_packets(ps[253], [g]) == 1
    ps[253].txsync()
    assert drain(ps[0]) == [g] and drain(ps[127]) == [g]
    regions = vale_regions()
    if regions is not None:
        assert {p.req.nr_mem_id for p in ps} <= set(regions)
    ports.close_all()
    # once full and emptied, the switch is gone and its regions freed
    assert vale_list(sw + ":0")[0] == errno.ENXIO
    assert not [n for n, _, _ in vale_list_all() if n.startswith(sw + ":")]
    regions = vale_regions()
    if regions is not None:
        assert set(regions) <= before, "private regions left: %r" % (
            {k: v for k, v in regions.items() if k not in before})
    p = ports.open(sw + ":again", **small)
    assert p.req.nr_mem_id not in before


def test_full_destination_drops_and_never_blocks_the_sender(ports):
    sw = switch()
    n = 64
    a = ports.open(sw + ":a", tx_slots=256, rx_slots=64)
    b = ports.open(sw + ":b", tx_slots=64, rx_slots=n)
    A, B = mac_addr(0xA), mac_addr(0xB)
    frames = [eth_frame(B, A, 60, i, tag=40) for i in range(8 * n)]

    def blast():
        sent = 0
        t0 = time.monotonic()
        while sent < len(frames):
            k = send_packets(a, frames[sent:])
            sent += k
            a.txsync()
            assert a.poll(select.POLLOUT, 0), "sender not writable"
        return sent, time.monotonic() - t0

    box = {}
    th = threading.Thread(target=lambda: box.setdefault("r", blast()), daemon=True)
    th.start()
    th.join(20)
    assert not th.is_alive(), "the sender blocked on a full destination"
    sent, secs = box["r"]
    assert sent == len(frames)
    t = a.txring(0)
    assert t.space() == t.num_slots - 1, "tx slots not all given back: %r" % t
    got = drain(b)
    assert 0 < len(got) <= n - 1
    assert got == frames[:len(got)], "the first frames are the ones kept"
    # the destination recovers once drained
    more = [eth_frame(B, A, 60, i, tag=41) for i in range(10)]
    assert deliver(a, b, more) == more
    # a blocking-style sender (pkt-gen with poll()) finishes too
    r = subprocess.run([os.path.join(BIN, "pkt-gen"), "-i", sw + ":pg", "-f", "tx",
                        "-n", "20000", "-l", "60", "-D", "02:00:00:00:00:0b"],
                       capture_output=True, text=True, timeout=25)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "pkt-gen summary: dir=tx pkts=20000" in r.stdout, r.stdout
    got = drain(b)
    assert 0 < len(got) <= n - 1


ISOLATION_CHILD = r"""
import mmap, sys
sys.path.insert(0, sys.argv[1])
import netmap
p = netmap.Port(sys.argv[2])
print("ready", p.req.nr_mem_id, p.memsize, flush=True)
marker = bytes.fromhex(sys.stdin.readline().strip())
p.rxsync()
data = bytes(p.mem)          # every byte of the mapping, nr_memsize of them
assert len(data) == p.memsize, (len(data), p.memsize)
p.recv()
beyond = []
for length, offset in ((p.memsize + mmap.PAGESIZE, 0), (mmap.PAGESIZE, p.memsize),
                       (mmap.PAGESIZE, p.memsize + 16 * mmap.PAGESIZE)):
    try:
        m = mmap.mmap(p.fd, length, mmap.MAP_SHARED, mmap.PROT_READ, offset=offset)
    except OSError as e:
        beyond.append(e.errno)
    else:
        m.close()
        beyond.append(0)
print("scanned", len(data), "found" if marker in data else "clean",
      " ".join(map(str, beyond)), flush=True)
sys.stdin.readline()
"""


def test_isolation_a_port_mapping_never_shows_other_ports_traffic(ports):
    sw = switch()
    a_name = sw + ":a"
    child = subprocess.Popen([sys.executable, "-c", ISOLATION_CHILD, KDIR, a_name],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        line = child.stdout.readline().split()
        assert line and line[0] == "ready", line
        a_mem_id, a_size = int(line[1]), int(line[2])
        b = ports.open(sw + ":b", tx_slots=128, rx_slots=256)
        c = ports.open(sw + ":c", tx_rings=2, rx_rings=3, tx_slots=32, rx_slots=64)
        B, C = mac_addr(0xB), mac_addr(0xC)
        # c makes itself known (this one floods, to a too: no marker in it)
        hello = eth_frame(B, C, 60, 0, tag=50)
        assert send_packets(c, [hello]) == 1
        c.txsync()
        assert drain(b) == [hello]
        marker = os.urandom(32)
        secret = [eth_frame(C, B, 1514, i, tag=51)[:100] + marker +
                  eth_frame(C, B, 1514, i, tag=51)[132:] for i in range(20)]
        assert send_packets(b, secret) == 20
        b.txsync()
        c.rxsync()
        # the marker is in c's mapping (where it was delivered) ...
        assert marker in bytes(c.mem)
        assert [p for p in drain(c)] == secret
        # ... and nowhere in a's, which holds all that a's fd can map
        child.stdin.write(marker.hex() + "\n")
        child.stdin.flush()
        line = child.stdout.readline().split()
        assert line[:3] == ["scanned", str(a_size), "clean"], line
        assert [int(x) for x in line[3:]] == [errno.EINVAL] * 3, (
            "mmap past nr_memsize: %r" % line)
        # every port has its own region, of its own size
        ids = {a_mem_id, b.req.nr_mem_id, c.req.nr_mem_id}
        assert len(ids) == 3 and 1 not in ids, ids
        sizes = {a_size, b.memsize, c.memsize}
        assert len(sizes) == 3, sizes
        for p in (b, c):
            assert p.nifp.ni_flags & NI_PRIV_MEM
        regions = vale_regions()
        if regions is not None:
            for mid, size in ((a_mem_id, a_size), (b.req.nr_mem_id, b.memsize),
                              (c.req.nr_mem_id, c.memsize)):
                assert regions[mid]["size"] == size, (mid, regions[mid], size)
        # a second fd on the same port shares that port's region
        b2 = ports.open(sw + ":b")
        assert b2.req.nr_mem_id == b.req.nr_mem_id and b2.memsize == b.memsize
        assert (b2.nifp.ni_rx_rings, b2.rxring(0).num_slots) == (1, 256)
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(10) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def test_bogus_buffer_index_forwards_nothing_from_outside_the_region(ports):
    sw = switch()
    mark = dmesg_mark()
    a = ports.open(sw + ":a", tx_slots=64, rx_slots=64)
    b = ports.open(sw + ":b", tx_slots=64, rx_slots=64)
    t = a.txring(0)
    good = eth_frame(mac_addr(0xB), mac_addr(0xA), 60, 0, tag=55)
    for bad_idx in (0xFFFFFFFF, 0x7FFFFFFF, 1 << 20, 0):
        s = t.slot(t.head)
        saved = s.buf_idx
        s.buf_idx, s.len, s.flags = bad_idx, 1500, 0
        t.head = t.cur = t.next(t.head)
        assert a.txsync(check=False) in (0, errno.EINVAL)
        s.buf_idx = saved
        got = drain(b)
        # buffer 0 is the port's own reserved buffer: harmless if sent
        assert got == [] or bad_idx == 0, (hex(bad_idx), got[:1])
    assert deliver(a, b, [good]) == [good]
    no_splat(mark)


def test_tx_ring_i_lands_on_rx_ring_i(ports):
    sw = switch()
    a = ports.open(sw + ":a", tx_rings=4, rx_rings=4, tx_slots=32, rx_slots=32)
    b = ports.open(sw + ":b", tx_rings=1, rx_rings=4, tx_slots=32, rx_slots=32)
    c = ports.open(sw + ":c", tx_rings=1, rx_rings=2, tx_slots=32, rx_slots=32)
    assert (a.nifp.ni_tx_rings, b.nifp.ni_rx_rings, c.nifp.ni_rx_rings) == (4, 4, 2)
    sent = {}
    for i in range(4):
        sent[i] = [eth_frame(BROADCAST_MAC, mac_addr(0xA), 60 + 100 * i, k, tag=60 + i)
                   for k in range(3)]
        assert send_packets(a, sent[i], ring=i) == 3
    a.txsync()
    b.rxsync()
    c.rxsync()
    for i in range(4):
        assert recv_packets(b, i) == [(f, 1) for f in sent[i]], "b rx ring %d" % i
    # fewer rx rings: ring i mod 2
    for j in range(2):
        got = [f for f, _ in recv_packets(c, j)]
        want = sorted(sent[j] + sent[j + 2])
        assert sorted(got) == want, "c rx ring %d" % j
    assert_nothing(a)
    # and the other way: b's single tx ring lands on a's rx ring 0
    f = eth_frame(BROADCAST_MAC, mac_addr(0xB), 60, 0, tag=65)
    assert send_packets(b, [f]) == 1
    b.txsync()
    a.rxsync()
    assert [recv_packets(a, i) for i in range(4)] == [[(f, 1)], [], [], []]


def test_closing_a_port_under_traffic_from_a_thread(ports):
    sw = switch()
    mark = dmesg_mark()
    a = ports.open(sw + ":a", tx_slots=256, rx_slots=64)
    b = ports.open(sw + ":b", tx_slots=64, rx_slots=256)
    c = ports.open(sw + ":c", tx_slots=64, rx_slots=256)
    A, B = mac_addr(0xA), mac_addr(0xB)
    hello = eth_frame(A, B, 60, 0, tag=70)
    assert send_packets(b, [hello]) == 1
    b.txsync()  # B learned on b
    stop = threading.Event()
    stats = {"syncs": 0, "errors": []}

    def sender():
        frames = [eth_frame(B, A, 60 + (i % 4) * 400, i, tag=71) for i in range(64)]
        while not stop.is_set():
            send_packets(a, frames)
            err = a.txsync(check=False)
            stats["syncs"] += 1
            if err:
                stats["errors"].append(err)

    th = threading.Thread(target=sender, daemon=True)
    th.start()
    try:
        deadline = time.monotonic() + 10
        got = 0
        while got < 500 and time.monotonic() < deadline:
            got += len(drain(b))
        assert got >= 500, "b received only %d frames" % got
        b.close()  # while the sender keeps going
        s0 = stats["syncs"]
        while stats["syncs"] < s0 + 50 and time.monotonic() < deadline + 5:
            time.sleep(0.02)
        assert stats["syncs"] >= s0 + 50, "the sender stalled after the close"
    finally:
        stop.set()
        th.join(10)
    assert not th.is_alive()
    assert stats["errors"] == [], stats["errors"][:5]
    # B's port is gone: its frames now flood, and c keeps being served
    drain(c)
    f = eth_frame(B, A, 60, 999, tag=72)
    assert send_packets(a, [f]) == 1
    a.txsync()
    assert drain(c) == [f]
    assert [n for n, _, _ in vale_list_all() if n.startswith(sw + ":")] == [
        sw + ":a", sw + ":c"]
    no_splat(mark)


def test_ports_come_and_go_under_broadcast_traffic(ports):
    """Two threads flood the switch from multi-ring ports while the main
    thread opens and closes receivers of varied geometry, 30 times."""
    sw = switch()
    mark = dmesg_mark()
    a = ports.open(sw + ":a", tx_rings=2, rx_rings=1, tx_slots=128, rx_slots=8)
    d = ports.open(sw + ":d", tx_rings=1, rx_rings=1, tx_slots=64, rx_slots=8)
    c = ports.open(sw + ":c", tx_slots=8, rx_slots=1024)
    stop = threading.Event()
    stats = {"a": 0, "d": 0, "errors": []}

    def flood(port, key, nrings, size):
        frames = [eth_frame(BROADCAST_MAC, mac_addr(ord(key)), size, i, tag=75)
                  for i in range(32)]
        while not stop.is_set():
            for ring in range(nrings):
                send_packets(port, frames, ring)
            err = port.txsync(check=False)
            stats[key] += 1
            if err:
                stats["errors"].append((key, err))

    ths = [threading.Thread(target=flood, args=(a, "a", 2, 60), daemon=True),
           threading.Thread(target=flood, args=(d, "d", 1, 5000), daemon=True)]
    for th in ths:
        th.start()
    try:
        for k in range(30):
            x = netmap.Port("%s:x%d" % (sw, k % 3), rx_rings=1 + k % 4,
                            tx_slots=8, rx_slots=16 << (k % 3))
            try:
                if k % 2:
                    time.sleep(0.02)
                    drain(x)
            finally:
                x.close()
        a0, d0, deadline = stats["a"], stats["d"], time.monotonic() + 5
        while (stats["a"] == a0 or stats["d"] == d0) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert stats["a"] > a0 and stats["d"] > d0, "a sender stalled"
    finally:
        stop.set()
        for th in ths:
            th.join(10)
    assert not any(th.is_alive() for th in ths)
    assert stats["errors"] == [], stats["errors"][:5]
    drain(c)
    f = eth_frame(BROADCAST_MAC, mac_addr(0xA), 60, 0, tag=76)
    assert send_packets(a, [f]) == 1
    a.txsync()
    assert drain(c) == [f]
    assert [n for n, _, _ in vale_list_all() if n.startswith(sw + ":")] == [
        sw + ":a", sw + ":d", sw + ":c"]
    no_splat(mark)


def test_killing_a_pktgen_receiver_under_pktgen_traffic(ports):
    sw = switch()
    mark = dmesg_mark()
    pg = os.path.join(BIN, "pkt-gen")
    w = ports.open(sw + ":w", tx_slots=64, rx_slots=1024)
    rx = subprocess.Popen([pg, "-i", sw + ":r", "-f", "rx", "-C"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    tx = None
    try:
        deadline = time.monotonic() + 10
        while sw + ":r" not in [n for n, _, _ in vale_list_all()]:
            assert time.monotonic() < deadline and rx.poll() is None, "pkt-gen rx never opened"
            time.sleep(0.05)
        tx = subprocess.Popen([pg, "-i", sw + ":t", "-f", "tx", "-l", "60", "-T", "200"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        got = 0
        while got < 2000 and time.monotonic() < deadline:
            got += len(drain(w))
            time.sleep(0.01)
        assert got >= 2000, "w saw only %d frames" % got
        rx.kill()  # its fd closes while frames are being forwarded to it
        rx.wait(10)
        time.sleep(0.3)
        drain(w)
        time.sleep(0.3)
        assert len(drain(w)) > 0, "the switch stopped serving w"
        assert tx.poll() is None, "pkt-gen tx died: " + (tx.stdout.read() if tx.stdout else "")
        tx.send_signal(signal.SIGINT)
        out = tx.communicate(timeout=10)[0]
        assert tx.returncode == 0, out
        assert "pkt-gen summary: dir=tx" in out, out
        assert sw + ":r" not in [n for n, _, _ in vale_list_all()]
    finally:
        for p in (rx, tx):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
    no_splat(mark)


def test_ports_left_nothing_allocated(ports):
    """Every port of the tests above is closed: only the global region
    remains and nothing is in use (the module reload test is separate)."""
    assert not [n for n, _, _ in vale_list_all()]
    assert_no_region_in_use()
    regions = vale_regions()
    if regions is not None:
        assert set(regions) == {1}, regions
