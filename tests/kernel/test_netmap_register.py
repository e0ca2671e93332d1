"""NETMAP_REQ_REGISTER of pipe ends: what the reply, the netmap_if and the
rings look like, ring selection (NR_REG_ONE_NIC, NR_TX/RX_RINGS_ONLY,
NR_EXCLUSIVE), extra buffers, and the POOLS_INFO_GET / PORT_INFO_GET
queries."""
import ctypes
import errno
import mmap
import os

import pytest

import netmap
from conftest import (assert_no_region_in_use, load_core, module_loaded, run,
                      unload_core, vale_regions)
from netmap import (NR_EXCLUSIVE, NR_REG_ALL_NIC, NR_REG_ONE_NIC,
                    NR_RX_RINGS_ONLY, NR_TX_RINGS_ONLY, Port, ctrl,
                    unique_name)


def frame(tag, size=60):
    return (tag.encode() * size)[:size]


def all_rings(port):
    n = port.nifp
    return ([port.txring(i) for i in range(n.ni_tx_rings)] +
            [port.rxring(i) for i in range(n.ni_rx_rings)])


def register_errno(name, **kw):
    """Errno of a REGISTER on a fresh fd (0 if it succeeded)."""
    try:
        Port(name, **kw).close()
    except OSError as e:
        return e.errno
    return 0


def test_register_reply_has_memory_and_requested_counts(ports):
    base = unique_name()
    m = ports.open(base + "{1", tx_rings=2, rx_rings=3, tx_slots=128, rx_slots=128)
    r = m.req
    assert r.nr_memsize > 0
    assert r.nr_offset < r.nr_memsize
    # the netmap_if with its ring_ofs[] fits in the region
    nrings = 2 + 3 + r.nr_host_tx_rings + r.nr_host_rx_rings
    assert r.nr_offset + ctypes.sizeof(netmap.netmap_if) + 8 * nrings <= r.nr_memsize
    assert (r.nr_tx_rings, r.nr_rx_rings) == (2, 3)
    assert (r.nr_tx_slots, r.nr_rx_slots) == (128, 128)
    assert r.nr_mem_id != 0

    # The slave sees the same pipe from the other side: its tx rings are
    # the master's rx rings (netmap swaps the ring counts), same memory.
    s = ports.open(base + "}1")
    assert (s.req.nr_tx_rings, s.req.nr_rx_rings) == (3, 2)
    assert (s.req.nr_tx_slots, s.req.nr_rx_slots) == (128, 128)
    assert s.req.nr_mem_id == r.nr_mem_id
    assert s.req.nr_memsize == r.nr_memsize


def test_register_with_zero_counts_gets_usable_defaults(ports):
    m = ports.open(unique_name() + "{1")
    r = m.req
    assert r.nr_tx_rings >= 1 and r.nr_rx_rings >= 1
    assert r.nr_tx_slots >= 2 and r.nr_rx_slots >= 2
    assert m.nifp.ni_tx_rings == r.nr_tx_rings
    assert m.nifp.ni_rx_rings == r.nr_rx_rings
    assert m.txring(0).num_slots == r.nr_tx_slots
    assert m.rxring(0).num_slots == r.nr_rx_slots
    assert m.txring(0).nr_buf_size == 2048  # netmap's default buffer size


def test_netmap_if_names_the_port_and_speaks_api_14(ports):
    base = unique_name()
    m, s = ports.pipe(base, tx_rings=2, rx_rings=1)
    for port, name in ((m, base + "{1"), (s, base + "}1")):
        assert port.ni_name == name
        assert port.nifp.ni_version == 14
        assert port.nifp.ni_tx_rings == port.req.nr_tx_rings
        assert port.nifp.ni_rx_rings == port.req.nr_rx_rings
        assert port.nifp.ni_bufs_head == 0  # no extra buffers asked for
    assert (m.nifp.ni_tx_rings, m.nifp.ni_rx_rings) == (2, 1)
    assert (s.nifp.ni_tx_rings, s.nifp.ni_rx_rings) == (1, 2)


def test_rings_start_empty_with_netmap_geometry(ports):
    m, s = ports.pipe(tx_rings=2, rx_rings=2, tx_slots=64, rx_slots=64)
    for port in (m, s):
        seen = set()
        for i in range(port.nifp.ni_tx_rings):
            t = port.txring(i)
            assert (t.num_slots, t.nr_buf_size, t.dir, t.ringid) == (64, 2048, 1, i)
            # tx: every slot but one is the user's
            assert (t.head, t.cur, t.tail) == (0, 0, t.num_slots - 1)
            seen.add(t.addr)
        for i in range(port.nifp.ni_rx_rings):
            r = port.rxring(i)
            assert (r.num_slots, r.nr_buf_size, r.dir, r.ringid) == (64, 2048, 0, i)
            assert (r.head, r.cur, r.tail) == (0, 0, 0)  # rx: nothing yet
            seen.add(r.addr)
        assert len(seen) == 4, "two rings share an address"
        for ring in all_rings(port):
            # the whole ring and all its buffers lie inside the mapping
            end = ring.addr - port.base + 256 + 16 * ring.num_slots
            assert end <= port.memsize
            for sl in ring.slots():
                off = ring.buf_addr(sl.buf_idx) - port.base
                assert 0 <= off and off + ring.nr_buf_size <= port.memsize


def test_every_slot_has_its_own_buffer(ports):
    m = ports.open(unique_name() + "{1", tx_rings=2, rx_rings=2, tx_slots=64, rx_slots=64)
    idx = [sl.buf_idx for ring in all_rings(m) for sl in ring.slots()]
    assert len(idx) == 4 * 64
    assert min(idx) >= 2  # buffers 0 and 1 are reserved in netmap
    assert len(set(idx)) == len(idx), "a buffer is in two slots"


def test_second_register_on_the_same_fd_is_ebusy(ports):
    base = unique_name()
    m, s = ports.pipe(base)
    for name in (base + "{1", base + "{2", base + "}1"):
        req = netmap.nmreq_register(nr_mode=NR_REG_ALL_NIC)
        assert ctrl(netmap.NETMAP_REQ_REGISTER, req, name, fd=m.fd) == errno.EBUSY
    # the first binding is untouched
    assert m.send([frame("a")]) == 1
    m.txsync()
    s.rxsync()
    assert s.recv() == [frame("a")]


def test_tx_rings_only_binds_no_rx_ring(ports):
    base = unique_name()
    m = ports.open(base + "{1", flags=NR_TX_RINGS_ONLY)
    s = ports.open(base + "}1")
    # tx works
    assert m.send([frame("t")]) == 1
    m.txsync()
    s.rxsync()
    assert s.recv() == [frame("t")]
    # rx does not: the slave's frame stays pending
    assert s.send([frame("r")]) == 1
    s.txsync()
    assert m.rxsync(check=False) == 0
    if m.ring_ofs(m.nifp.ni_tx_rings + m.nifp.ni_host_tx_rings) != 0:
        assert m.rxring(0).tail == 0, "rx ring of a tx-only binding was synced"


def test_rx_rings_only_binds_no_tx_ring(ports):
    base = unique_name()
    m = ports.open(base + "{1", flags=NR_RX_RINGS_ONLY)
    s = ports.open(base + "}1")
    assert s.send([frame("r")]) == 1
    s.txsync()
    m.rxsync()
    assert m.recv() == [frame("r")]
    if m.ring_ofs(0) != 0:
        # a frame queued on the unbound tx ring does not leave on txsync
        t = m.txring(0)
        assert m.send([frame("t")]) == 1
        assert m.txsync(check=False) == 0
        s.rxsync()
        assert s.recv() == []
        t.head = t.cur = 0  # take it back
    else:
        assert m.txsync(check=False) == 0


def test_one_nic_binds_just_the_chosen_ring_pair(ports):
    base = unique_name()
    m = ports.open(base + "{1", mode=NR_REG_ONE_NIC, ringid=2,
                   tx_rings=4, rx_rings=4, tx_slots=64, rx_slots=64)
    s = ports.open(base + "}1")
    assert (m.req.nr_tx_rings, m.req.nr_rx_rings) == (4, 4)
    t = m.txring(2)
    assert t.ringid == 2
    assert m.send([frame("2")], ring=2) == 1
    # frames put on the unbound rings (where mapped) must not leave
    unbound = [j for j in (0, 1, 3) if m.ring_ofs(j) != 0]
    for j in unbound:
        assert m.send([frame(str(j))], ring=j) == 1
    m.txsync()
    s.rxsync()
    assert s.recv(2) == [frame("2")]
    for j in (0, 1, 3):
        assert s.recv(j) == [], "txsync of a ONE_NIC binding sent on ring %d" % j
    for j in unbound:
        r = m.txring(j)
        r.head = r.cur = 0
    # rx: only ring 2 is synced
    for j in range(4):
        assert s.send([frame("s%d" % j)], ring=j) == 1
    s.txsync()
    m.rxsync()
    assert m.recv(2) == [frame("s2")]
    rx0 = m.ring_ofs(0 + 4 + m.nifp.ni_host_tx_rings)
    if rx0 != 0:
        assert m.rxring(0).tail == 0


def test_one_nic_with_an_out_of_range_ring_is_einval(ports):
    base = unique_name()
    ports.open(base + "{1", tx_rings=2, rx_rings=2)
    for ringid in (2, 3, 0xfff, 0xffff):
        assert register_errno(base + "{1", mode=NR_REG_ONE_NIC, ringid=ringid) == errno.EINVAL
    # and on a pipe created by this very request
    assert register_errno(unique_name() + "{1", mode=NR_REG_ONE_NIC, ringid=5,
                          tx_rings=4, rx_rings=4) == errno.EINVAL


def test_exclusive_binding_keeps_others_out(ports):
    base = unique_name()
    ports.open(base + "{1", flags=NR_EXCLUSIVE)
    assert register_errno(base + "{1") == errno.EBUSY
    assert register_errno(base + "{1", flags=NR_EXCLUSIVE) == errno.EBUSY
    # the other end is another port
    ports.open(base + "}1")


def test_exclusive_fails_on_a_ring_someone_already_bound(ports):
    # netmap: NR_EXCLUSIVE needs the rings to have no other user
    base = unique_name()
    ports.open(base + "{1")
    assert register_errno(base + "{1", flags=NR_EXCLUSIVE) == errno.EBUSY


def test_exclusive_only_covers_the_bound_rings(ports):
    # netmap allows several fds on one port; exclusivity is per ring
    base = unique_name()
    ports.open(base + "{1", mode=NR_REG_ONE_NIC, ringid=0, flags=NR_EXCLUSIVE,
               tx_rings=2, rx_rings=2)
    ports.open(base + "{1", mode=NR_REG_ONE_NIC, ringid=1, flags=NR_EXCLUSIVE)
    assert register_errno(base + "{1", mode=NR_REG_ONE_NIC, ringid=0) == errno.EBUSY
    assert register_errno(base + "{1") == errno.EBUSY  # ALL_NIC includes ring 0


def test_exclusive_is_released_on_close(ports):
    base = unique_name()
    p = Port(base + "{1", flags=NR_EXCLUSIVE)
    keep = ports.open(base + "}1")  # keeps the pipe alive
    p.close()
    ports.open(base + "{1", flags=NR_EXCLUSIVE)
    assert keep.txsync(check=False) == 0


def test_extra_buffers_form_a_list_apart_from_the_rings(ports):
    base = unique_name()
    m = ports.open(base + "{1", extra_bufs=16, tx_slots=64, rx_slots=64)
    s = ports.open(base + "}1")
    granted = m.req.nr_extra_bufs
    assert granted == 16
    extra = m.extra_bufs()  # raises on a loop
    assert len(extra) == granted
    assert min(extra) >= 2
    assert len(set(extra)) == len(extra)
    ring_bufs = {sl.buf_idx for p in (m, s) for r in all_rings(p) for sl in r.slots()}
    assert not ring_bufs & set(extra), "an extra buffer is also in a ring"
    # buffers are usable memory
    for i in extra:
        m.txring(0).buf(i)[4:8] = b"\xaa\xbb\xcc\xdd"
    assert s.nifp.ni_bufs_head == 0


def test_pools_info_matches_the_mapping(ports):
    base = unique_name()
    m, s = ports.pipe(base, tx_rings=2, rx_rings=2, tx_slots=64, rx_slots=64)
    pi = netmap.pools_info(base + "{1")
    assert pi.nr_memsize == m.memsize
    assert pi.nr_mem_id == m.req.nr_mem_id
    assert pi.nr_if_pool_offset == 0
    assert 0 < pi.nr_ring_pool_offset < pi.nr_buf_pool_offset < pi.nr_memsize
    assert pi.nr_buf_pool_objsize == 2048
    for what in ("if", "ring", "buf"):
        assert getattr(pi, "nr_%s_pool_objtotal" % what) > 0
        assert getattr(pi, "nr_%s_pool_objsize" % what) > 0
    # the pools do not overlap and fit in the region
    assert pi.nr_if_pool_objtotal * pi.nr_if_pool_objsize <= pi.nr_ring_pool_offset
    assert (pi.nr_ring_pool_offset + pi.nr_ring_pool_objtotal * pi.nr_ring_pool_objsize
            <= pi.nr_buf_pool_offset)
    assert (pi.nr_buf_pool_offset + pi.nr_buf_pool_objtotal * pi.nr_buf_pool_objsize
            <= pi.nr_memsize)
    # the netmap_if is in the if pool, rings in the ring pool, and buffer
    # index i is at buf_pool_offset + i * objsize for every ring
    assert m.offset < pi.nr_ring_pool_offset
    for p in (m, s):
        for r in all_rings(p):
            rofs = r.addr - p.base
            assert pi.nr_ring_pool_offset <= rofs < pi.nr_buf_pool_offset
            assert rofs + r.buf_ofs == pi.nr_buf_pool_offset
            assert max(sl.buf_idx for sl in r.slots()) < pi.nr_buf_pool_objtotal
    # same answer through the slave's name
    pi2 = netmap.pools_info(base + "}1")
    assert (pi2.nr_memsize, pi2.nr_buf_pool_offset) == (pi.nr_memsize, pi.nr_buf_pool_offset)


def test_port_info_get_describes_a_pipe(ports):
    base = unique_name()
    m, s = ports.pipe(base, tx_rings=2, rx_rings=3, tx_slots=128, rx_slots=128)
    pi = netmap.port_info(base + "{1")
    assert pi.nr_memsize == m.memsize
    assert pi.nr_mem_id == m.req.nr_mem_id
    assert (pi.nr_tx_rings, pi.nr_rx_rings) == (2, 3)
    assert (pi.nr_tx_slots, pi.nr_rx_slots) == (128, 128)
    pi = netmap.port_info(base + "}1")
    assert (pi.nr_tx_rings, pi.nr_rx_rings) == (3, 2)
    # a query does not bind: the ports keep working
    assert m.send([frame("q")]) == 1
    m.txsync()
    s.rxsync()
    assert s.recv() == [frame("q")]


@pytest.mark.parametrize("mode", [netmap.NR_REG_SW, netmap.NR_REG_NIC_SW,
                                  netmap.NR_REG_ONE_SW, 99])
def test_pipes_accept_only_nic_ring_modes(ports, mode):
    # netmap_get_pipe_na: "We only accept modes involving hardware rings"
    assert register_errno(unique_name() + "{1", mode=mode) == errno.EINVAL


def test_counts_out_of_range_are_clamped_and_reported_truthfully(ports):
    for kw in ({"tx_slots": 1, "rx_slots": 1}, {"tx_slots": 100000, "rx_slots": 100000},
               {"tx_rings": 1000, "rx_rings": 1000, "tx_slots": 16, "rx_slots": 16}):
        p = ports.open(unique_name() + "{1", **kw)
        r = p.req
        assert 1 <= r.nr_tx_slots and 1 <= r.nr_rx_slots
        assert r.nr_tx_slots < 100000 and r.nr_rx_slots < 100000
        assert 1 <= r.nr_tx_rings < 1000 and 1 <= r.nr_rx_rings < 1000
        # whatever was granted is what the rings really are
        assert (p.nifp.ni_tx_rings, p.nifp.ni_rx_rings) == (r.nr_tx_rings, r.nr_rx_rings)
        for i in range(r.nr_tx_rings):
            assert p.txring(i).num_slots == r.nr_tx_slots
        for i in range(r.nr_rx_rings):
            assert p.rxring(i).num_slots == r.nr_rx_slots
        p.close()


def test_pipe_too_big_for_memory_fails_cleanly(ports):
    pools = netmap.pools_info(ports.open(unique_name() + "{1", tx_slots=16, rx_slots=16).name)
    ports.close_all()
    # enough rings and slots to need more buffers than the region has
    need_slots = 2 * pools.nr_buf_pool_objtotal // (2 * 16) + 1
    name = unique_name() + "{1"
    err = register_errno(name, tx_rings=16, rx_rings=16,
                         tx_slots=need_slots, rx_slots=need_slots)
    if err == 0:
        pytest.skip("the region is large enough for a %d-slot pipe" % need_slots)
    assert err in (errno.ENOMEM, errno.EINVAL)
    assert_no_region_in_use()
    m, s = ports.pipe(tx_slots=32, rx_slots=32)
    assert m.send([frame("z")]) == 1
    m.txsync()
    s.rxsync()
    assert s.recv() == [frame("z")]


def test_extra_buffers_are_granted_as_far_as_memory_goes(ports):
    m = ports.open(unique_name() + "{1", tx_slots=16, rx_slots=16, extra_bufs=2**32 - 1)
    pools = netmap.pools_info(m.name)
    granted = m.req.nr_extra_bufs
    assert 0 < granted < pools.nr_buf_pool_objtotal
    extra = m.extra_bufs()
    assert len(extra) == granted
    assert not set(extra) & {sl.buf_idx for r in all_rings(m) for sl in r.slots()}
    # little or nothing is left for another port's rings
    try:
        other = ports.open(unique_name() + "{1", tx_slots=2, rx_slots=2, extra_bufs=10)
        assert len(other.extra_bufs()) == other.req.nr_extra_bufs <= 10
    except OSError as e:
        assert e.errno == errno.ENOMEM
    # closing the greedy port gives everything back
    m.close()
    other = ports.open(unique_name() + "{1", tx_slots=2, rx_slots=2, extra_bufs=10)
    assert len(other.extra_bufs()) == other.req.nr_extra_bufs == 10
    ports.close_all()
    assert_no_region_in_use()


def test_two_mappings_of_one_fd_share_the_memory(ports):
    p = ports.open(unique_name() + "{1", tx_slots=16, rx_slots=16)
    m2 = mmap.mmap(p.fd, p.memsize)
    try:
        idx = p.txring(0).slot(0).buf_idx
        p.txring(0).write(idx, b"shared!")
        off = p.txring(0).buf_addr(idx) - p.base
        assert m2[off:off + 7] == b"shared!"
        assert m2[p.offset:p.offset + len(p.name)] == p.name.encode()
    finally:
        m2.close()


def test_mapping_outlives_the_fd(ports):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int,
                          ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    name = unique_name() + "{1"
    fd = netmap.open_dev()
    req = netmap.nmreq_register(nr_mode=NR_REG_ALL_NIC, nr_tx_slots=16, nr_rx_slots=16)
    try:
        assert ctrl(netmap.NETMAP_REQ_REGISTER, req, name, fd=fd) == 0
        addr = libc.mmap(None, req.nr_memsize, mmap.PROT_READ | mmap.PROT_WRITE,
                         mmap.MAP_SHARED, fd, 0)
        assert addr not in (None, ctypes.c_void_p(-1).value)
    finally:
        os.close(fd)
    try:
        # the mapping keeps the file, hence the port and its memory
        nifp = netmap.netmap_if.from_address(addr + req.nr_offset)
        assert nifp.ni_name.decode() == name
        regions = vale_regions()
        if regions is not None:
            assert regions[req.nr_mem_id]["users"] >= 1
        with Port(name) as again:  # the pipe end still exists
            assert again.req.nr_tx_slots == 16
    finally:
        libc.munmap(addr, req.nr_memsize)
    assert_no_region_in_use()


def test_module_stays_loaded_while_a_port_is_open(ports):
    p = ports.open(unique_name() + "{1")
    res = run("rmmod", "vale", check=False)
    assert res.returncode != 0 and module_loaded("vale")
    assert p.txsync(check=False) == 0
    p.close()
    unload_core()
    assert not module_loaded("vale")
    load_core()
