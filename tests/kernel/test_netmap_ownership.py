"""Buffer ownership (issue 18, items 1 and 2): what a file's close gives
back, and which buffer indexes a peer may ever see.

Every buffer of a region has one holder at a time: the free pool, one slot
of one ring, or one file's extra buffers. The kernel keeps that record
itself; the indexes in the shared slots and in the netmap_if's extra-buffer
list are only requests, checked against it. These tests play the hostile
user: they name buffers they do not hold and check, from user space, that
no buffer ends up with two holders, that the pool counts stay right and
that a peer only ever sees indexes of the region."""
import pytest

import netmap
from conftest import assert_no_region_in_use, vale_regions
from netmap import unique_name


def buf_used(mem_id=1):
    regions = vale_regions()
    if regions is None:
        pytest.skip("no debugfs")
    return regions[mem_id]["buf"][0]


def all_slot_bufs(*ports):
    """The buffers the slots of these pipe ends hold, once per holder: a
    pipe's rx ring is its peer's tx ring seen from the other side (slot k
    of both names one buffer), so the tx rings hold them all. A tx ring
    shows what the receiver swapped in only after the sender's next sync."""
    out = []
    for p in ports:
        for i in range(p.nifp.ni_tx_rings):
            out += [sl.buf_idx for sl in p.txring(i).slots()]
    return out


def test_close_does_not_free_a_buffer_named_in_the_extra_list(ports):
    """Item 1: a file that names another ring's buffer in ni_bufs_head and
    closes must give back its own extra buffers, not that one."""
    m, s = ports.pipe(tx_slots=8, rx_slots=8)
    victim = s.rxring(0).slot(5).buf_idx     # the pipe's: m's tx slot 5
    base = buf_used()
    a = netmap.Port(unique_name("own") + "{1", tx_slots=4, rx_slots=4, extra_bufs=2)
    own = a.extra_bufs()
    assert len(own) == 2
    a.nifp.ni_bufs_head = victim
    a.txring(0).write(victim, (0).to_bytes(4, "little"))
    a.close()
    assert buf_used() == base, "close freed a buffer it did not own, or leaked its own"
    # nobody is handed the victim: it is still the pipe's
    b = ports.open(unique_name("own") + "{1", tx_slots=4, rx_slots=4, extra_bufs=64)
    assert victim not in b.extra_bufs()
    assert victim not in all_slot_bufs(b)
    dup = all_slot_bufs(m, s, b) + b.extra_bufs()
    assert len(dup) == len(set(dup)), "a buffer has two holders"
    # the pipe still carries frames through that slot
    frames = [bytes([k]) * 60 for k in range(7)]
    assert m.send(frames) == 7
    m.txsync()
    s.rxsync()
    assert s.recv() == frames


def test_close_does_not_free_a_buffer_named_in_a_ring_slot(ports):
    """Item 1, ring teardown: the buffers a ring gives back are the ones the
    kernel put there, not whatever its slots name at the end."""
    m, s = ports.pipe(tx_slots=8, rx_slots=8)
    victim = s.rxring(0).slot(3).buf_idx
    base = buf_used()
    name = unique_name("own")
    a, a2 = netmap.pipe(name, tx_slots=4, rx_slots=4)
    for k, sl in enumerate(a.txring(0).slots()):
        sl.buf_idx = victim if k % 2 else 1
    a2.rxring(0).slot(0).buf_idx = victim
    a.close()
    a2.close()
    assert buf_used() == base
    dup = all_slot_bufs(m, s)
    assert len(dup) == len(set(dup))


def test_buffer_not_held_is_not_swapped_into_a_peer(ports):
    """A tx slot naming a buffer the user does not hold (a slot the kernel
    owns) is refused: the slot crosses empty with the sender's own buffer,
    and the buffer named stays where it was."""
    m, s = ports.pipe(tx_slots=8, rx_slots=8)
    base = buf_used()
    t = m.txring(0)
    gap = t.tail                        # kernel-owned until the peer releases
    theirs = t.slot(gap).buf_idx
    own = t.slot(1).buf_idx
    t.write(t.slot(0).buf_idx, b"\x11" * 60)
    t.slot(1).buf_idx = theirs
    t.slot(1).len = 60
    t.slot(0).len = 60
    t.head = t.cur = 2
    m.txsync(check=False)
    assert t.slot(1).buf_idx == own
    s.rxsync()
    r = s.rxring(0)
    assert r.slot(1).buf_idx == own
    got = s.recv()
    assert got == [b"\x11" * 60, b""]
    # theirs is still in its slot only, and no buffer came or went
    assert all_slot_bufs(m, s).count(theirs) == 1
    assert t.slot(gap).buf_idx == theirs
    assert buf_used() == base


def test_pipe_peer_never_sees_an_invalid_index(ports):
    """Item 2: indexes planted in free rx slots never reach the peer."""
    m, s = ports.pipe(tx_slots=8, rx_slots=8)
    total = netmap.pools_info(m.name).nr_buf_pool_objtotal
    r = s.rxring(0)
    for j in range(r.num_slots):
        r.slot(j).buf_idx = 0xdead0000 + j
    frames = [bytes([0x40 + k]) * 64 for k in range(5)]
    assert m.send(frames) == 5
    m.txsync()
    t = m.txring(0)
    for j in range(t.num_slots):
        assert 2 <= t.slot(j).buf_idx < total, (j, hex(t.slot(j).buf_idx))
    s.rxsync()
    for j in range(r.head, r.tail):
        assert 2 <= r.slot(j).buf_idx < total
    assert s.recv() == frames
    dup = all_slot_bufs(m, s)
    assert len(dup) == len(set(dup)), "a buffer has two holders"


def test_pipe_peer_never_sees_a_duplicate_index(ports):
    """Item 2, the other half: a free rx slot naming a buffer already in
    the peer's tx ring is not swapped there twice."""
    m, s = ports.pipe(tx_slots=8, rx_slots=8)
    base = buf_used()
    r, t = s.rxring(0), m.txring(0)
    for j in range(r.num_slots):
        r.slot(j).buf_idx = t.slot(6).buf_idx
    frames = [bytes([0x50 + k]) * 64 for k in range(4)]
    assert m.send(frames) == 4
    m.txsync()
    s.rxsync()
    assert s.recv() == frames
    s.rxsync()
    dup = [t.slot(j).buf_idx for j in range(t.num_slots)]
    assert len(dup) == len(set(dup)), dup
    m.close()
    s.close()
    # a pipe end's rx ring borrows its peer's tx slots: 2 rings of 8
    assert buf_used() == base - 2 * 8


def test_swaps_between_rings_and_extras_keep_every_buffer_once(ports):
    """Legitimate zero-copy use (netmap's bridge and lb): received buffers
    swapped into another pipe's tx ring and extra buffers swapped in; at
    the end every buffer is back exactly once."""
    base = buf_used()
    a, a2 = ports.pipe(tx_slots=16, rx_slots=16)
    b, b2 = ports.pipe(tx_slots=16, rx_slots=16, extra_bufs=4)
    frames = [bytes([k]) * 80 for k in range(6)]
    assert a.send(frames) == 6
    a.txsync()
    a2.rxsync()
    rx, tx = a2.rxring(0), b.txring(0)
    i, j = rx.head, tx.head
    while i != rx.tail:
        rs, ts = rx.slot(i), tx.slot(j)
        rs.buf_idx, ts.buf_idx = ts.buf_idx, rs.buf_idx
        ts.len = rs.len
        ts.flags = netmap.NS_BUF_CHANGED
        i, j = rx.next(i), tx.next(j)
    rx.head = rx.cur = i
    tx.head = tx.cur = j
    # and one extra buffer sent in place of the ring's own
    extra = b.extra_bufs()
    e = extra[0]
    tx.write(e, b"\x77" * 70)
    old = tx.slot(j).buf_idx
    tx.slot(j).buf_idx = e
    tx.slot(j).len = 70
    tx.write(old, extra[1].to_bytes(4, "little"))
    b.nifp.ni_bufs_head = old
    tx.head = tx.cur = tx.next(j)
    a2.rxsync()
    b.txsync()
    b2.rxsync()
    assert b2.recv() == frames + [b"\x77" * 70]
    b2.rxsync()
    a.txsync()     # the sender sees what a2 swapped in once it syncs
    dup = all_slot_bufs(a, a2, b, b2) + b.extra_bufs()
    assert len(dup) == len(set(dup))
    ports.close_all()
    assert buf_used() == base
    if base == 0:
        assert_no_region_in_use()
