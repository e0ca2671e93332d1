"""Netmap pipes NAME{ID / NAME}ID: delivery, flow control, poll, zero-copy
buffer swaps, multi-ring and many-pipe isolation, and what a sync does
with rings and slots a user has corrupted."""
import random
import select
import struct
import threading
import time

import errno

import pytest

import netmap
from conftest import assert_no_region_in_use, vale_regions
from netmap import NS_BUF_CHANGED, unique_name

POLLIN, POLLOUT, POLLERR = select.POLLIN, select.POLLOUT, select.POLLERR


def frames_of(n, size, seed=0, tag=0):
    """n distinct frames of 'size' bytes: tag, sequence number, random."""
    rnd = random.Random(seed * 1000003 + size * 31 + tag)
    out = []
    for i in range(n):
        head = struct.pack("<HI", tag, i)
        out.append((head + rnd.randbytes(size))[:size])
    return out


def pump(tx, rx, frames, ring=0, sent=0, got=None):
    """Send frames[sent:] from tx to rx through ring 'ring', syncing both
    ends, until rx has received all of frames (got: what it already has,
    the first 'sent' frames having been sent before); return got."""
    got = [] if got is None else got
    for _ in range(4 * len(frames) + 16):
        if len(got) >= len(frames):
            break
        sent += tx.send(frames[sent:], ring)
        tx.txsync()
        rx.rxsync()  # also releases what the last recv() consumed
        got += rx.recv(ring)
    rx.rxsync()
    assert len(got) == len(frames), "only %d of %d frames arrived" % (len(got), len(frames))
    return got


def fill(tx, frames, ring=0):
    """Send until the tx ring has no room left; return how many left."""
    sent = 0
    for _ in range(8 * tx.txring(ring).num_slots):
        n = tx.send(frames[sent:], ring)
        sent += n
        tx.txsync()
        if n == 0:
            return sent
    raise AssertionError("the tx ring never filled up")


def ring_bufs(*ports):
    """Every buffer index in every bound ring of the ports."""
    out = []
    for p in ports:
        for i in range(p.nifp.ni_tx_rings):
            out += [sl.buf_idx for sl in p.txring(i).slots()]
        for i in range(p.nifp.ni_rx_rings):
            out += [sl.buf_idx for sl in p.rxring(i).slots()]
    return out


def in_thread(fn, timeout=20):
    """Run fn in a daemon thread; fail (instead of hanging) if it blocks."""
    box = {}

    def run():
        try:
            box["ret"] = fn()
        except BaseException as e:  # reported below
            box["exc"] = e
    th = threading.Thread(target=run, daemon=True)
    th.start()
    th.join(timeout)
    assert not th.is_alive(), "%s did not return within %d s" % (fn.__name__, timeout)
    if "exc" in box:
        raise box["exc"]
    return box.get("ret")


def test_pipe_delivers_frames_of_every_size_in_order_both_ways(ports):
    m, s = ports.pipe(tx_slots=64, rx_slots=64)
    for size in (60, 1514, 2048):
        down = frames_of(100, size, tag=1)
        assert pump(m, s, down) == down
        up = frames_of(100, size, tag=2)
        assert pump(s, m, up) == up


def test_pipe_with_default_geometry_delivers(ports):
    m, s = ports.pipe()
    frames = frames_of(300, 60, seed=3)
    assert pump(m, s, frames) == frames
    assert pump(s, m, frames) == frames


def test_full_ring_stops_the_sender_until_the_receiver_drains(ports):
    n = 32
    m, s = ports.pipe(tx_slots=n, rx_slots=n)
    frames = frames_of(200, 60, seed=4)
    sent = fill(m, frames)
    t = m.txring(0)
    assert t.space() == 0 and t.head == t.tail
    # The two rings are one set of slots: one ring of frames, less the
    # slot that tells a full ring from an empty one.
    assert sent == n - 1
    s.rxsync()
    r = s.rxring(0)
    assert r.space() == n - 1, "slave rx ring not full: %r" % r
    # nothing moves while the receiver holds its slots
    before = (t.head, t.cur, t.tail)
    m.txsync()
    assert (t.head, t.cur, t.tail) == before
    assert m.send(frames[sent:]) == 0
    # head cannot pass tail.  The reset puts head back to the kernel's
    # view, which may hand the frames still waiting in [hwcur, head) back
    # to the user (netmap_ring_reinit does that too): hand them over again.
    t.head = t.cur = t.next(t.tail)
    assert m.txsync(check=False) == errno.EINVAL
    assert t.head == t.cur and t.tail == before[2]
    assert t.head < n and t.cur < n
    t.head = t.cur = before[0]
    assert m.txsync(check=False) == 0
    # drain, and the rest flows
    got = s.recv()
    assert got == frames[:len(got)]
    s.rxsync()
    m.txsync()
    assert t.space() > 0
    assert pump(m, s, frames, sent=sent, got=got) == frames


def test_poll_wakes_a_blocked_receiver(ports):
    m, s = ports.pipe(tx_slots=64, rx_slots=64)
    assert s.poll(POLLIN, 0) == 0
    t0 = time.monotonic()
    assert s.poll(POLLIN, 200) == 0  # nothing: times out
    assert time.monotonic() - t0 >= 0.15
    ready, out = threading.Event(), {}

    def receiver():
        ready.set()
        out["revents"] = s.poll(POLLIN, 10000)
        out["t"] = time.monotonic()
    th = threading.Thread(target=receiver, daemon=True)
    th.start()
    ready.wait()
    time.sleep(0.5)  # let it block
    assert "revents" not in out, "poll returned before anything was sent"
    frame = frames_of(1, 60, seed=5)
    assert m.send(frame) == 1
    m.txsync()
    sent_at = time.monotonic()
    th.join(10)
    assert not th.is_alive(), "the receiver was never woken"
    assert out["revents"] & POLLIN
    assert out["t"] - sent_at < 1.0
    s.rxsync()
    assert s.recv() == frame


def test_poll_reports_pollout_when_the_tx_ring_has_room(ports):
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    assert m.poll(POLLOUT, 0) & POLLOUT
    assert not m.poll(POLLOUT, 0) & POLLERR
    frames = frames_of(100, 60, seed=6)
    sent = fill(m, frames)
    assert not m.poll(POLLOUT, 0) & POLLOUT, "POLLOUT on a full tx ring"
    out = {}

    def sender():
        out["revents"] = m.poll(POLLOUT, 10000)
    th = threading.Thread(target=sender, daemon=True)
    th.start()
    time.sleep(0.3)
    s.rxsync()
    got = s.recv()
    s.rxsync()  # release: the sender must be woken
    th.join(10)
    assert not th.is_alive(), "the sender was never woken"
    assert out["revents"] & POLLOUT
    assert pump(m, s, frames, sent=sent, got=got) == frames


def test_zero_copy_the_receiver_gets_the_sent_buffer(ports):
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    before = sorted(ring_bufs(m, s))
    t = m.txring(0)
    sent_idx = [t.slot(i).buf_idx for i in range(5)]
    frames = frames_of(5, 200, seed=7)
    assert m.send(frames) == 5
    m.txsync()
    s.rxsync()
    r = s.rxring(0)
    assert [r.slot(i).buf_idx for i in range(5)] == sent_idx
    assert s.recv() == frames
    # a swap, not a copy: no buffer is now in two slots, none was lost
    assert sorted(ring_bufs(m, s)) == before


def test_a_slot_keeps_its_buffer_round_after_round(ports):
    """The sender finds each buffer where it left it, without
    NS_BUF_CHANGED, so a program that writes a frame only into a buffer
    new to it (netmap's pkt-gen) need not write it again; the receiver's
    slot k names the sender's slot k buffer."""
    n = 16
    m, s = ports.pipe(tx_slots=n, rx_slots=n)
    t, r = m.txring(0), s.rxring(0)
    own = [sl.buf_idx for sl in t.slots()]
    for rnd in range(5):
        frames = frames_of(3 * n, 60, seed=rnd)
        assert pump(m, s, frames) == frames
        m.txsync()
        assert [sl.buf_idx for sl in t.slots()] == own
        assert not any(sl.flags & NS_BUF_CHANGED for sl in t.slots())
    assert [sl.buf_idx for sl in r.slots()] == own
    # a frame written once is sent again as it is: head moved, no write
    for _ in range(3):
        i = t.head
        expect = t.read(own[i], t.slot(i).len)
        t.head = t.cur = t.next(i)
        m.txsync()
        s.rxsync()
        assert s.recv() == [expect]


def test_a_buffer_the_receiver_swaps_reaches_the_sender_flagged(ports):
    """A receiver that keeps a received buffer (zero-copy forwarding) and
    puts one of its own extra buffers in the slot: the sender gets that
    buffer in the slot, with NS_BUF_CHANGED, and everything else as before."""
    base = unique_name()
    m = ports.open(base + "{1", tx_slots=8, rx_slots=8)
    s = ports.open(base + "}1", extra_bufs=2)
    t, r = m.txring(0), s.rxring(0)
    own = [sl.buf_idx for sl in t.slots()]
    frames = frames_of(3, 100, seed=9)
    assert m.send(frames) == 3
    m.txsync()
    s.rxsync()
    extra = s.extra_bufs()
    kept = r.slot(1).buf_idx
    assert kept == own[1]
    r.slot(1).buf_idx = extra[0]
    r.slot(1).flags = NS_BUF_CHANGED
    s.nifp.ni_bufs_head = kept
    r.write(kept, extra[1].to_bytes(4, "little"))
    r.head = r.cur = r.tail
    s.rxsync()
    m.txsync()
    assert t.slot(1).buf_idx == extra[0]
    assert t.slot(1).flags & NS_BUF_CHANGED
    for k in (0, 2):
        assert t.slot(k).buf_idx == own[k]
        assert not t.slot(k).flags & NS_BUF_CHANGED
    assert sorted(s.extra_bufs()) == sorted([kept, extra[1]])
    # and the pipe goes on with the new buffer in slot 1
    more = frames_of(20, 70, seed=10)
    assert pump(m, s, more) == more


def test_a_packet_is_seen_only_once_whole(ports):
    """Slots of a frame still waiting for its last fragment (NS_MOREFRAG)
    stay out of the receiver's sight until the frame is complete."""
    m, s = ports.pipe(tx_slots=16, rx_slots=16)
    t = m.txring(0)
    size = t.nr_buf_size
    pkt = bytes(range(256)) * ((2 * size + 100) // 256 + 1)
    pkt = pkt[:2 * size + 100]
    chunks = [pkt[:size], pkt[size:2 * size], pkt[2 * size:]]
    i = t.head
    for k, c in enumerate(chunks[:2]):
        sl = t.slot(i)
        t.write(sl.buf_idx, c)
        sl.len, sl.flags = len(c), netmap.NS_MOREFRAG
        i = t.next(i)
    t.head = t.cur = i
    m.txsync()
    s.rxsync()
    r = s.rxring(0)
    assert r.tail == r.head, "half a packet was published"
    sl = t.slot(i)
    t.write(sl.buf_idx, chunks[2])
    sl.len, sl.flags = len(chunks[2]), 0
    t.head = t.cur = t.next(i)
    m.txsync()
    s.rxsync()
    assert netmap.recv_packets(s) == [(pkt, 3)]


def test_swapped_in_extra_buffer_is_delivered(ports):
    base = unique_name()
    m = ports.open(base + "{1", extra_bufs=4, tx_slots=32, rx_slots=32)
    s = ports.open(base + "}1")
    extra = m.extra_bufs()
    assert len(extra) == 4
    t = m.txring(0)
    e = extra[0]
    payload = frames_of(1, 1000, seed=8)[0]
    # unlink e from the list, fill it, put it in the next tx slot and
    # park the slot's old buffer on the list instead
    m.nifp.ni_bufs_head = extra[1]
    t.write(e, payload)
    i = t.head
    sl = t.slot(i)
    old = sl.buf_idx
    sl.buf_idx, sl.len, sl.flags = e, len(payload), NS_BUF_CHANGED
    t.write(old, m.nifp.ni_bufs_head.to_bytes(4, "little"))
    m.nifp.ni_bufs_head = old
    t.head = t.cur = t.next(i)
    m.txsync()
    s.rxsync()
    r = s.rxring(0)
    assert r.slot(r.head).buf_idx == e
    assert s.recv() == [payload]
    assert sorted(m.extra_bufs()) == sorted([old] + extra[1:])


def test_closing_one_end_mid_transfer_leaves_the_other_working(ports):
    base = unique_name()
    m = ports.open(base + "{1", tx_slots=32, rx_slots=32)
    s = netmap.Port(base + "}1")
    frames = frames_of(100, 60, seed=9)
    sent = m.send(frames[:20])
    m.txsync()
    s.close()

    def keep_going():
        errs = []
        nonlocal sent
        for _ in range(3 * 32):
            sent += m.send(frames[sent:])
            errs.append(m.txsync(check=False))
            errs.append(m.rxsync(check=False))
            m.poll(POLLIN | POLLOUT, 0)
        return errs
    errs = in_thread(keep_going)
    # 0, or a clean errno (never a hang, a crash or a bogus value)
    assert all(e == 0 or e in errno.errorcode for e in errs), errs
    t = m.txring(0)
    assert t.head < t.num_slots and t.tail < t.num_slots


def test_closing_the_sender_keeps_what_was_sent_readable(ports):
    base = unique_name()
    s = ports.open(base + "}1", tx_slots=32, rx_slots=32)
    m = netmap.Port(base + "{1")
    frames = frames_of(10, 300, seed=10)
    assert m.send(frames) == 10
    m.txsync()
    m.close()

    def read():
        err = s.rxsync(check=False)
        return err, (s.recv() if err == 0 else None)
    err, got = in_thread(read)
    assert err == 0 or err in errno.errorcode
    if err == 0:
        # the pipe lives as long as one end is open (netmap does the same)
        assert got == frames


def test_a_closed_end_can_be_opened_again(ports):
    base = unique_name()
    s = ports.open(base + "}1", tx_slots=32, rx_slots=32)
    for round_ in range(3):
        with netmap.Port(base + "{1") as m:
            assert m.req.nr_tx_slots == 32
            frames = frames_of(40, 100, seed=11, tag=round_)
            assert pump(m, s, frames) == frames
            assert pump(s, m, frames) == frames


def test_pipe_goes_away_with_both_ends(ports):
    base = unique_name()
    m, s = netmap.pipe(base, tx_slots=32, rx_slots=32)
    assert m.send(frames_of(5, 60)) == 5
    m.txsync()
    m.close()
    s.close()
    # a new pipe with the same name: new geometry, nothing left over
    m, s = ports.pipe(base, tx_slots=64, rx_slots=64)
    assert m.req.nr_tx_slots == 64 and s.req.nr_rx_slots == 64
    s.rxsync()
    assert s.recv() == []


def test_many_pipes_on_one_name_are_independent(ports):
    base = unique_name("x")
    pipes = [(ports.open("%s{%d" % (base, i), tx_slots=16, rx_slots=16),
              ports.open("%s}%d" % (base, i))) for i in range(1, 33)]
    for i, (m, s) in enumerate(pipes):
        assert m.send(frames_of(i % 3 + 1, 64, tag=i)) == i % 3 + 1
        m.txsync()
    for i, (m, s) in enumerate(pipes):
        s.rxsync()
        assert s.recv() == frames_of(i % 3 + 1, 64, tag=i), "pipe %d" % (i + 1)
        assert s.send(frames_of(1, 80, tag=100 + i)) == 1
        s.txsync()
    for i, (m, s) in enumerate(pipes):
        m.rxsync()
        assert m.recv() == frames_of(1, 80, tag=100 + i), "pipe %d" % (i + 1)
    assert len(set(m.memsize for m, s in pipes)) == 1


def test_multi_ring_pipe_delivers_per_ring(ports):
    m, s = ports.pipe(tx_rings=4, rx_rings=4, tx_slots=32, rx_slots=32)
    assert (s.nifp.ni_tx_rings, s.nifp.ni_rx_rings) == (4, 4)
    for a, b in ((m, s), (s, m)):
        sent = {}
        for i in range(4):
            sent[i] = frames_of(i + 1, 100 + i, tag=10 * i + (a is m))
            assert a.send(sent[i], ring=i) == i + 1
        a.txsync()  # one sync covers all bound rings
        b.rxsync()
        for i in range(4):
            assert b.recv(ring=i) == sent[i], "ring %d" % i
    # and a longer run on one ring wraps it without disturbing the others
    frames = frames_of(70, 60, seed=12)
    assert pump(m, s, frames, ring=3) == frames
    s.rxsync()
    for i in range(3):
        assert s.recv(ring=i) == []


def test_corrupted_tx_ring_is_rejected_and_reset(ports):
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    t = m.txring(0)
    n = t.num_slots
    for head, cur in ((0, n + 7), (n, n), (n + 100, 0), (5, 3), (0xFFFFFFFF, 0)):
        before = (t.head, t.cur, t.tail)
        t.head, t.cur = head, cur
        assert m.txsync(check=False) == errno.EINVAL, (head, cur)
        # reset to the kernel's view: the same indexes as before
        assert (t.head, t.cur, t.tail) == before, (head, cur)
        assert t.head < n and t.cur < n and t.tail < n
        # and correct use works again
        frames = frames_of(3, 60, seed=head & 0xFF)
        assert pump(m, s, frames) == frames


def test_corrupted_rx_ring_is_rejected_and_reset(ports):
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    frames = frames_of(3, 60, seed=13)
    assert m.send(frames) == 3
    m.txsync()
    s.rxsync()
    r = s.rxring(0)
    assert (r.head, r.tail) == (0, 3)
    n = r.num_slots
    for head, cur in ((10, 10), (0, 10), (2, 1), (n, 0), (0, n + 1)):
        r.head, r.cur = head, cur
        assert s.rxsync(check=False) == errno.EINVAL, (head, cur)
        assert (r.head, r.cur, r.tail) == (0, 0, 3), (head, cur)
    # nothing was lost or released by the bad syncs
    assert s.recv() == frames
    s.rxsync()
    more = frames_of(40, 60, seed=14)
    assert pump(m, s, more) == more


def test_poll_reports_pollerr_on_a_corrupted_ring(ports):
    # netmap_poll: a bad rx ring is reinitialised and POLLERR returned
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    r = s.rxring(0)
    r.head = r.cur = 17
    assert s.poll(POLLIN, 0) & POLLERR
    assert (r.head, r.cur, r.tail) == (0, 0, 0)
    t = m.txring(0)
    t.cur = t.num_slots + 1
    assert m.poll(POLLOUT, 0) & POLLERR
    assert t.cur == t.head == 0
    frames = frames_of(5, 60, seed=15)
    assert pump(m, s, frames) == frames


def test_user_written_tail_is_ignored(ports):
    # tail belongs to the kernel: a sync puts it back
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    t, r = m.txring(0), s.rxring(0)
    t.tail = 3
    r.tail = 20
    assert m.txsync(check=False) == 0
    assert t.tail == t.num_slots - 1
    assert s.rxsync(check=False) == 0
    assert r.tail == 0
    assert s.recv() == []


def test_bad_slots_cross_empty(ports):
    """A slot naming a buffer the sender does not hold, or longer than a
    buffer, cannot be skipped (the pipe's two rings move in step): it
    reaches the peer empty, with a valid buffer, and the sender gets its
    own buffer back in that slot."""
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    pools = netmap.pools_info(m.name)
    total = pools.nr_buf_pool_objtotal
    t = m.txring(0)
    size = t.nr_buf_size
    before = sorted(ring_bufs(m, s))
    good = frames_of(2, 60, seed=16)
    saved = {}
    bad = [(total, 60), (0xFFFFFFF0, 60), (None, size + 1), (None, 0xFFFF), (0, 60), (1, 60)]
    i = t.head
    t.write(t.slot(i).buf_idx, good[0])
    t.slot(i).len = 60
    i = t.next(i)
    for idx, length in bad:
        sl = t.slot(i)
        saved[i] = sl.buf_idx
        if idx is not None:
            sl.buf_idx = idx
        sl.len = length
        i = t.next(i)
    t.write(t.slot(i).buf_idx, good[1])
    t.slot(i).len = 60
    t.head = t.cur = t.next(i)
    assert m.txsync(check=False) in (0, errno.EINVAL)
    s.rxsync()
    r = s.rxring(0)
    got = []
    j = r.head
    while j != r.tail:
        sl = r.slot(j)
        assert 2 <= sl.buf_idx < total and sl.len <= size, (j, sl.buf_idx, sl.len)
        j = r.next(j)
    got = s.recv()
    assert got == [good[0]] + [b""] * len(bad) + [good[1]]
    # the kernel put the sender's own buffers back; keep going until the
    # ring has wrapped over those slots
    for k, idx in saved.items():
        assert t.slot(k).buf_idx == idx, (k, t.slot(k).buf_idx, idx)
    more = frames_of(80, 60, seed=17)
    assert pump(m, s, more) == more
    assert sorted(ring_bufs(m, s)) == before


def test_concurrent_traffic_both_ways_with_poll(ports):
    m, s = ports.pipe(tx_slots=64, rx_slots=64)
    n = 2000
    down, up = frames_of(n, 64, seed=18, tag=1), frames_of(n, 64, seed=18, tag=2)
    results = {}

    def sender(port, frames, key):
        sent = 0
        t = port.txring(0)
        deadline = time.monotonic() + 40
        # done when all is sent and nothing waits in the ring any more
        # (only a sync moves waiting frames: poll does one)
        while ((sent < len(frames) or t.next(t.tail) != t.head)
               and time.monotonic() < deadline):
            if port.poll(POLLOUT, 1000) & POLLOUT:
                sent += port.send(frames[sent:sent + 16])
                port.txsync()
        results[key] = sent

    def receiver(port, count, key):
        got = []
        deadline = time.monotonic() + 40
        while len(got) < count and time.monotonic() < deadline:
            if port.poll(POLLIN, 1000) & POLLIN:
                got += port.recv()
                port.rxsync()
        results[key] = got

    # one fd per direction and role, as netmap applications do; the
    # master and slave each need a second fd bound to the same end
    m_rx = ports.open(m.name, flags=netmap.NR_RX_RINGS_ONLY)
    m_tx = ports.open(m.name, flags=netmap.NR_TX_RINGS_ONLY)
    s_rx = ports.open(s.name, flags=netmap.NR_RX_RINGS_ONLY)
    s_tx = ports.open(s.name, flags=netmap.NR_TX_RINGS_ONLY)
    m.close()
    s.close()
    threads = [threading.Thread(target=sender, args=(m_tx, down, "down_sent"), daemon=True),
               threading.Thread(target=receiver, args=(s_rx, n, "down_got"), daemon=True),
               threading.Thread(target=sender, args=(s_tx, up, "up_sent"), daemon=True),
               threading.Thread(target=receiver, args=(m_rx, n, "up_got"), daemon=True)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(60)
    assert not any(th.is_alive() for th in threads), "traffic stalled"
    assert results["down_got"] == down
    assert results["up_got"] == up


def test_closing_everything_gives_all_memory_back(ports):
    if vale_regions() is None:
        pytest.skip("no /sys/kernel/debug/vale/regions")
    pipes = [ports.pipe(tx_slots=32, rx_slots=32, extra_bufs=5) for _ in range(3)]
    used = vale_regions()[pipes[0][0].req.nr_mem_id]
    assert used["users"] >= 1
    # 3 pipes x 2 ends x 32 slots (an end's rx ring borrows the other
    # end's tx slots), plus the extra buffers
    assert used["buf"][0] >= 3 * 2 * 32 + 3 * 2 * 5
    assert used["if"][0] >= 6
    for m, s in pipes:
        frames = frames_of(50, 60)
        assert pump(m, s, frames) == frames
    # a buffer swapped out of a ring onto the extra list comes back too
    m = pipes[0][0]
    t = m.txring(0)
    e = m.nifp.ni_bufs_head
    sl = t.slot(t.head)
    old, sl.buf_idx, sl.flags = sl.buf_idx, e, NS_BUF_CHANGED
    m.nifp.ni_bufs_head = int.from_bytes(t.read(e, 4), "little")
    t.write(old, m.nifp.ni_bufs_head.to_bytes(4, "little"))
    m.nifp.ni_bufs_head = old
    ports.close_all()
    assert_no_region_in_use()


def test_asymmetric_pipe_is_mirrored_on_the_slave(ports):
    # the master's tx rings are the slave's rx rings, slot counts included
    base = unique_name()
    m = ports.open(base + "{1", tx_rings=3, rx_rings=1, tx_slots=16, rx_slots=64)
    s = ports.open(base + "}1")
    assert (s.req.nr_tx_rings, s.req.nr_rx_rings) == (1, 3)
    assert (s.req.nr_tx_slots, s.req.nr_rx_slots) == (64, 16)
    for i in range(3):
        assert s.rxring(i).num_slots == m.txring(i).num_slots == 16
    assert s.txring(0).num_slots == m.rxring(0).num_slots == 64
    for i in range(3):
        frames = frames_of(50, 100, tag=i)
        assert pump(m, s, frames, ring=i) == frames
    frames = frames_of(150, 100, tag=9)
    assert pump(s, m, frames) == frames
