"""Seeded random fuzzing of the control path and of the shared rings.

Nothing about the answers is asserted beyond "every call returns, with
success or a real errno": the point is that no input a user can produce
hangs, crashes or corrupts the kernel (the VM harness fails the run on any
oops, WARN, KASAN report or hung task), and that the module works and has
given back all its memory afterwards.  A failure prints the seed and the
iteration; VALE_FUZZ_SEED / VALE_FUZZ_ITERS override the defaults."""
import ctypes
import errno
import os
import random
import select
import threading
import time

import netmap
from conftest import assert_no_region_in_use, vale_regions
from sandbox import Child
from netmap import NIOCCTRL, NIOCRXSYNC, NIOCTXSYNC, ioctl, unique_name

SEED = int(os.environ.get("VALE_FUZZ_SEED", "20261124"))
ITERS = int(os.environ.get("VALE_FUZZ_ITERS", "3000"))

BAD_ADDRS = [8, 4096, 0xFFFF888000000000, 0xFFFFFFFFFFFFF000,
             0x8000000000000000, 2**64 - 1, 0x7FFFFFFFF000]
ALL_POLL = (select.POLLIN, select.POLLOUT, select.POLLIN | select.POLLOUT,
            select.POLLPRI, 0)


def valid_errno(e):
    return e == 0 or e in errno.errorcode


def module_works():
    m, s = netmap.pipe(tx_slots=32, rx_slots=32)
    try:
        frames = [bytes([i]) * (60 + i) for i in range(10)]
        assert m.send(frames) == 10
        m.txsync()
        s.rxsync()
        assert s.recv() == frames
    finally:
        m.close()
        s.close()


class Arena:
    """16 KiB of memory the fuzzer owns: bodies in the first half,
    options in the third quarter, the last quarter as slack for anything
    the kernel writes back (a reply never exceeds 4 KiB)."""
    SIZE = 16384

    def __init__(self, rnd):
        self.rnd = rnd
        self.buf = (ctypes.c_ubyte * self.SIZE)()
        self.base = ctypes.addressof(self.buf)

    def scribble(self, off, n):
        ctypes.memmove(self.base + off, self.rnd.randbytes(n), n)

    def put(self, off, obj):
        ctypes.memmove(self.base + off, ctypes.addressof(obj), ctypes.sizeof(obj))


def random_name(rnd):
    k = rnd.randrange(10)
    if k < 3:  # well-formed pipe names, so that some requests succeed
        return "fz%d%s%d" % (rnd.randrange(4), rnd.choice("{}"), rnd.randrange(4))
    if k == 3:
        return rnd.randbytes(64)  # very likely no NUL
    if k == 4:
        return rnd.randbytes(rnd.randrange(64))
    if k == 5:
        alphabet = "ab{}_-.:/ \t\x01\x7f0123456789"
        return "".join(rnd.choice(alphabet) for _ in range(rnd.randrange(1, 63)))
    if k == 6:
        return rnd.choice(["", "nosuchif0", "vale0:p", "lo", "{", "}", "x{1{2",
                           "valeA:", "x" * 63, "a{" + "1" * 61])
    if k == 7:
        return "fz{" + "".join(rnd.choice("0123456789_") for _ in range(rnd.randrange(1, 40)))
    return "%s{%d" % (unique_name("fr"), rnd.randrange(100))


def random_register(rnd):
    req = netmap.nmreq_register()
    req.nr_mode = rnd.choice([0, 1, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, rnd.randrange(2**32)])
    req.nr_ringid = rnd.choice([0, 0, 1, 2, 3, 15, 16, 0xFFF, rnd.randrange(2**16)])
    req.nr_flags = rnd.choice([0, 0, 0x800, 0x2000, 0x4000, 0x6000, 0x8000,
                               0x10000, 0x20000, rnd.randrange(2**64)])
    req.nr_tx_rings = rnd.choice([0, 1, 2, 4, 16, 17, 0xFFFF])
    req.nr_rx_rings = rnd.choice([0, 1, 2, 4, 16, 17, 0xFFFF])
    req.nr_tx_slots = rnd.choice([0, 1, 2, 3, 64, 1024, 2288, 2289, 2**32 - 1])
    req.nr_rx_slots = rnd.choice([0, 1, 2, 3, 64, 1024, 2288, 2289, 2**32 - 1])
    req.nr_host_tx_rings = rnd.choice([0, 0, 1, 0xFFFF])
    req.nr_host_rx_rings = rnd.choice([0, 0, 1, 0xFFFF])
    req.nr_mem_id = rnd.choice([0, 0, 0, 1, 2, 0xFFFF])
    req.nr_extra_bufs = rnd.choice([0, 0, 1, 5, 64, 2**32 - 1])
    req.nr_offset = rnd.randrange(2**64)
    req.nr_memsize = rnd.randrange(2**64)
    return req


def random_options(rnd, arena):
    """Address of a random option chain built in the arena (or a bad one)."""
    k = rnd.randrange(10)
    if k < 5:
        return 0
    if k == 5:
        return rnd.choice(BAD_ADDRS)
    n = rnd.randrange(1, 6)
    offs = [8192 + 64 * rnd.randrange(64) for _ in range(n)]
    for i, off in enumerate(offs):
        opt = netmap.nmreq_option()
        opt.nro_reqtype = rnd.choice([0, 1, 2, 3, 4, 5, 6, 999, rnd.randrange(2**32)])
        opt.nro_size = rnd.choice([0, 24, 40, 4096, 65536, rnd.randrange(2**64)])
        opt.nro_status = rnd.randrange(2**32)
        j = rnd.randrange(8)
        if i + 1 < n and j < 5:
            opt.nro_next = arena.base + offs[i + 1]
        elif j == 5:
            opt.nro_next = arena.base + rnd.choice(offs)  # maybe a loop
        elif j == 6:
            opt.nro_next = rnd.choice(BAD_ADDRS)
        else:
            opt.nro_next = 0
        arena.put(off, opt)
        if rnd.random() < 0.2:  # random option body after the header
            arena.scribble(off + 24, 40)
    return arena.base + offs[0]


def random_body(rnd, arena, reqtype):
    k = rnd.randrange(10)
    if k == 0:
        return 0
    if k == 1:
        return rnd.choice(BAD_ADDRS)
    off = rnd.randrange(0, 8192 - 128)
    if k < 6 and reqtype in (netmap.NETMAP_REQ_REGISTER, netmap.NETMAP_REQ_VALE_ATTACH):
        arena.scribble(off, 128)
        arena.put(off, random_register(rnd))
    else:
        arena.scribble(off, 128)
    return arena.base + off


def fuzz_control_requests(seed, iters):
    """Random NIOCCTRL requests on /dev/netmap fds of this process, each
    fd closed once it may be bound; the errno histogram {errno: count}
    (JSON-friendly keys), and {reqtype: [errnos]} of the requests that
    change switches and interfaces."""
    rnd = random.Random(seed)
    arena = Arena(rnd)
    fd = netmap.open_dev()
    results, admin = {}, {}
    try:
        for it in range(iters):
            version = rnd.choice([14, 14, 14, 14, 14, 15, 13, 0, rnd.randrange(2**16)])
            reqtype = rnd.choice([1, 1, 1, 2, 2, 12, 12, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                                  14, 15, 0, 16, rnd.randrange(2**16)])
            name = random_name(rnd)
            body = random_body(rnd, arena, reqtype)
            options = random_options(rnd, arena)
            reserved = 0 if rnd.random() < 0.9 else rnd.randrange(2**32)
            hdr = netmap.make_header(reqtype, body, name, version, options, reserved)
            err = ioctl(fd, NIOCCTRL, hdr)
            assert valid_errno(err), "iteration %d (seed %d): errno %d" % (it, seed, err)
            results[str(err)] = results.get(str(err), 0) + 1
            if reqtype in ADMIN_REQS and version == 14 and not reserved:
                admin.setdefault(str(reqtype), []).append(err)
            if rnd.random() < 0.05:
                for cmd in (NIOCTXSYNC, NIOCRXSYNC):
                    assert valid_errno(ioctl(fd, cmd))
                p = select.poll()
                p.register(fd, rnd.choice(ALL_POLL))
                p.poll(0)
            if err == 0 or rnd.random() < 0.02:
                # maybe bound now: start over with a fresh fd
                os.close(fd)
                fd = netmap.open_dev()
        # a sync-loop start must fail on an unbound fd rather than block (it
        # needs a registered fd in CSB mode)
        body = netmap.nmreq_register()
        assert netmap.ctrl(netmap.NETMAP_REQ_SYNC_KLOOP_START, body, "fz0{0") != 0
    finally:
        os.close(fd)
    return results, admin


# ATTACH, DETACH, NEWIF, DELIF, POLLING_ENABLE, POLLING_DISABLE
ADMIN_REQS = (3, 4, 8, 9, 10, 11)


def check_histogram(results):
    print("errno histogram:", {netmap.errname(int(k)): v for k, v in sorted(results.items())})
    assert results.get("0", 0) > 0, "the fuzzer never reached a successful request"
    assert len(results) > 3


def wait_no_region_in_use(timeout=30):
    """assert_no_region_in_use(), once a namespace that went has been
    cleaned up (the kernel does it asynchronously)."""
    end = time.monotonic() + timeout
    while True:
        try:
            assert_no_region_in_use()
            return
        except AssertionError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)


def test_fuzz_control_requests(ports):
    results, _ = fuzz_control_requests(SEED, ITERS)
    check_histogram(results)
    module_works()
    assert_no_region_in_use()


def test_fuzz_control_requests_without_capabilities(ports):
    """The same, as uid 0 with every capability dropped: whatever the rest
    of a request holds, one that changes switches or interfaces is EPERM."""
    with Child(drop_caps=True) as c:
        results, admin = c.call(fuzz_control_requests, SEED + 7, ITERS)
    check_histogram(results)
    assert admin, "the fuzzer sent no request that needs CAP_NET_ADMIN"
    for reqtype, errs in admin.items():
        assert set(errs) == {errno.EPERM}, (reqtype, errs)
    module_works()
    assert_no_region_in_use()


def test_fuzz_control_requests_from_a_child_namespace(ports):
    """The same from a fresh network namespace, which then goes, with
    whatever the fuzzer made in it."""
    with Child(netns=True) as c:
        results, _ = c.call(fuzz_control_requests, SEED + 11, ITERS)
    check_histogram(results)
    module_works()
    wait_no_region_in_use()


class RingFuzzer:
    """Random writes into every field a user can reach (the slots the
    kernel owns and the extra-buffer list included), and random syncs.
    Two oracles for buffer ownership: check_indexes() (the kernel never
    puts an index outside the region into a slot: any such index must be
    one the fuzzer wrote there itself) and, at the end, Witness.check()."""

    def __init__(self, rnd, ports_list, total_bufs, foreign=()):
        self.rnd = rnd
        self.total = total_bufs
        self.foreign = list(foreign)  # buffers of files the fuzzer does not use
        self.written = {}  # (port name, kind, ring, slot) -> bad index we wrote
        self.set_ports(ports_list)

    def set_ports(self, ports_list):
        """Use these ports; remember the rings each one has mapped (a
        ONE_NIC binding has no offset for the other rings)."""
        self.ports = list(ports_list)
        self.rings = []
        for p in self.ports:
            for get, n in ((p.txring, p.nifp.ni_tx_rings), (p.rxring, p.nifp.ni_rx_rings)):
                for i in range(n):
                    try:
                        self.rings.append((p, get(i)))
                    except ValueError:
                        pass

    def ring(self):
        return self.rnd.choice(self.rings)

    def index(self, n):
        r = self.rnd.randrange(10)
        if r < 6:
            return self.rnd.randrange(n)
        return self.rnd.choice([n, n + 1, 2 * n, 2**31, 2**32 - 1, self.rnd.randrange(2**32)])

    def buf_idx(self, ring):
        r = self.rnd.randrange(10)
        if r < 4:
            return ring.slot(self.rnd.randrange(ring.num_slots)).buf_idx  # a duplicate
        if r < 5 and self.foreign:
            return self.rnd.choice(self.foreign)  # another file's buffer
        if r < 7:
            return self.rnd.randrange(self.total)
        return self.rnd.choice([0, 1, self.total, self.total + 1, 2**32 - 1,
                                self.rnd.randrange(2**32)])

    def scribble(self):
        p, ring = self.ring()
        n = ring.num_slots
        what = self.rnd.randrange(6)
        if what == 0:
            ring.head = self.index(n)
        elif what == 1:
            ring.cur = self.index(n)
        elif what == 2:
            ring.tail = self.index(n)
        elif what == 3:
            ring.flags = self.rnd.randrange(2**32)
        else:
            for _ in range(self.rnd.randrange(1, 8)):
                sl = ring.slot(self.rnd.randrange(n))
                field = self.rnd.randrange(4)
                if field == 0:
                    self.set_buf_idx(p, ring, sl, self.buf_idx(ring))
                elif field == 1:
                    sl.len = self.rnd.choice([0, 1, 60, 2048, 2049, 65535,
                                              self.rnd.randrange(2**16)])
                elif field == 2:
                    sl.flags = self.rnd.randrange(2**16)
                else:
                    sl.ptr = self.rnd.randrange(2**64)

    def set_buf_idx(self, p, ring, sl, idx):
        sl.buf_idx = idx
        if not 2 <= idx < self.total:
            i = (ctypes.addressof(sl) - ring.addr - ctypes.sizeof(netmap.netmap_ring)) \
                // ctypes.sizeof(netmap.netmap_slot)
            self.written[(p.name, ring.kind, ring.index, i)] = idx

    def scribble_kernel_owned(self):
        """Plant indexes in the slots the kernel owns ([tail, head) of an
        rx ring: the free slots a pipe's peer fills): foreign buffers,
        duplicates and indexes outside the region."""
        p, ring = self.ring()
        if ring.kind != "rx":
            return
        i, n = ring.tail % ring.num_slots, 0
        while i != ring.head % ring.num_slots and n < 8:
            self.set_buf_idx(p, ring, ring.slot(i), self.buf_idx(ring))
            i, n = ring.next(i), n + 1

    def check_indexes(self, where):
        """Every index outside the region in any slot is one we wrote."""
        for p, ring in self.rings:
            if p.closed:
                continue
            for i in range(ring.num_slots):
                idx = ring.slot(i).buf_idx
                if not 2 <= idx < self.total:
                    assert self.written.get((p.name, ring.kind, ring.index, i)) == idx, \
                        "%s: the kernel put index %#x in %s %s ring %d slot %d" % (
                            where, idx, p.name, ring.kind, ring.index, i)

    def scribble_extra_list(self, p):
        if self.rnd.random() < 0.5:
            p.nifp.ni_bufs_head = self.buf_idx(p.txring(0))
        else:
            idx = self.rnd.randrange(2, self.total)
            link = self.rnd.choice([0, idx, self.rnd.randrange(self.total), 2**32 - 1])
            p.txring(0).write(idx, link.to_bytes(4, "little"))

    def use(self):
        """What a correct program would do next, tolerant of the mess."""
        p = self.rnd.choice(self.ports)
        k = self.rnd.randrange(6)
        try:
            if k == 0:
                nt = p.nifp.ni_tx_rings
                p.send([b"\x55" * self.rnd.choice([60, 1514, 2048])] * self.rnd.randrange(1, 40),
                       ring=self.rnd.randrange(nt))
            elif k == 1:
                p.recv(ring=self.rnd.randrange(p.nifp.ni_rx_rings))
        except (IndexError, ValueError):
            pass  # the user's own mess (a bad buf_idx or tail), not the kernel's
        if k in (2, 0):
            return p.txsync(check=False)
        if k in (3, 1):
            return p.rxsync(check=False)
        if k == 4:
            p.poll(self.rnd.choice(ALL_POLL), 0)
            return 0
        return ioctl(p.fd, self.rnd.choice([NIOCTXSYNC, NIOCRXSYNC]))


class Witness:
    """A pipe the fuzzer never uses, with extra buffers: its slots and its
    extras are buffers no other file may free, take or be given. Both ends
    fill their tx rings first, so every slot of the pair is in flight,
    owned by the kernel (a pipe's rx ring is its peer's tx ring seen from
    the other side). check() after the fuzzed files are closed: the region
    holds exactly the witness's buffers, a new file is given none of them,
    and the witness still carries every frame."""

    def __init__(self, ports):
        self.m, self.s = ports.pipe(unique_name("wit"), tx_slots=8, rx_slots=8,
                                    extra_bufs=8)
        self.mine = set(self.m.extra_bufs()) | set(self.s.extra_bufs())
        for p in (self.m, self.s):
            self.mine |= {sl.buf_idx for sl in p.txring(0).slots()}
            self.inflight = p.send([bytes([0x70]) * 60] * 8)
            p.txsync()
        self.used = vale_regions()[1]["buf"][0] if vale_regions() else None

    def foreign(self):
        return sorted(self.mine)

    def check(self, ports):
        for p in (self.m, self.s):
            assert {sl.buf_idx for sl in p.rxring(0).slots()} <= self.mine
        if self.used is not None:
            # only the witness is left: 2 ends x 8 slots (an end's rx ring
            # borrows the other end's tx slots) + 2 x 8 extras
            assert vale_regions()[1]["buf"][0] == 2 * 8 + 2 * 8, \
                "buffers freed twice or leaked: %r" % (vale_regions()[1],)
        p = ports.open(unique_name("wit") + "{1", tx_slots=64, rx_slots=64, extra_bufs=4096)
        got = set(p.extra_bufs()) | {sl.buf_idx for r in (p.txring(0), p.rxring(0))
                                     for sl in r.slots()}
        assert not got & self.mine, "a witness buffer was handed out again"
        p.close()
        for p in (self.m, self.s):
            p.rxsync()
            # the bytes are anybody's (any mapper may write them), the slots not
            assert len(p.recv()) == self.inflight == 7
            p.rxsync()
        frames = [bytes([k]) * 60 for k in range(6)]
        self.m.txsync()
        assert self.m.send(frames) == 6
        self.m.txsync()
        self.s.rxsync()
        assert self.s.recv() == frames
        self.m.close()
        self.s.close()


def open_fuzz_pipes(ports):
    base = unique_name("rf")
    m = ports.open(base + "{1", tx_rings=2, rx_rings=3, tx_slots=32, rx_slots=32,
                   extra_bufs=8)
    s = ports.open(base + "}1", extra_bufs=8)
    # a second file on the master, bound to one ring pair
    m1 = ports.open(base + "{1", mode=netmap.NR_REG_ONE_NIC, ringid=1)
    return [m, s, m1]


def test_fuzz_ring_states(ports):
    rnd = random.Random(SEED + 1)
    witness = Witness(ports)
    plist = open_fuzz_pipes(ports)
    total = netmap.pools_info(plist[0].name).nr_buf_pool_objtotal
    fz = RingFuzzer(rnd, plist, total, witness.foreign())
    start = time.monotonic()
    for it in range(ITERS):
        for _ in range(rnd.randrange(1, 4)):
            fz.scribble()
        if rnd.random() < 0.2:
            fz.scribble_kernel_owned()
        if rnd.random() < 0.03:
            fz.scribble_extra_list(rnd.choice(plist[:2]))
        for _ in range(rnd.randrange(1, 3)):
            err = fz.use()
            assert valid_errno(err), "iteration %d (seed %d): errno %d" % (it, SEED + 1, err)
        if it % 10 == 0:
            fz.check_indexes("iteration %d (seed %d)" % (it, SEED + 1))
        if rnd.random() < 0.01:
            # close and reopen one end in the middle of it all
            i = rnd.randrange(2)
            name = plist[i].name
            plist[i].close()
            plist[i] = ports.open(name, extra_bufs=rnd.choice([0, 3]))
            fz.set_ports(plist)
        assert time.monotonic() - start < 120, "too slow: %d iterations" % it
    fz.check_indexes("the end")
    for p in plist:
        p.close()
    witness.check(ports)
    ports.close_all()
    module_works()
    assert_no_region_in_use()


def test_fuzz_rings_changing_under_concurrent_syncs(ports):
    """The kernel must read each shared field once: a second thread keeps
    rewriting the rings while the syncs run on the other CPU."""
    rnd = random.Random(SEED + 2)
    witness = Witness(ports)
    plist = open_fuzz_pipes(ports)
    total = netmap.pools_info(plist[0].name).nr_buf_pool_objtotal
    fz = RingFuzzer(rnd, plist, total, witness.foreign())
    stop = threading.Event()
    bad = []

    def syncer(seed):
        r = random.Random(seed)
        while not stop.is_set():
            p = r.choice(plist)
            e = ioctl(p.fd, r.choice([NIOCTXSYNC, NIOCRXSYNC]))
            if not valid_errno(e):
                bad.append(e)
            if r.random() < 0.1:
                pl = select.poll()
                pl.register(p.fd, r.choice(ALL_POLL))
                pl.poll(0)

    threads = [threading.Thread(target=syncer, args=(SEED + 10 + i,), daemon=True)
               for i in range(2)]
    for th in threads:
        th.start()
    deadline = time.monotonic() + 8
    n = 0
    while time.monotonic() < deadline:
        fz.scribble()
        if rnd.random() < 0.2:
            fz.scribble_kernel_owned()
        if rnd.random() < 0.02:
            fz.scribble_extra_list(rnd.choice(plist[:2]))
        n += 1
    stop.set()
    for th in threads:
        th.join(20)
    assert not any(th.is_alive() for th in threads), "a sync never returned"
    assert not bad, bad
    assert n > 100
    for p in plist:
        p.close()
    witness.check(ports)
    ports.close_all()
    module_works()
    assert_no_region_in_use()


def test_fuzz_open_close_races_with_traffic(ports):
    """One thread keeps a master busy while others open and close its peer,
    reopen the master on a second fd, and create and destroy other pipes:
    the lifetime of pipe ends and rings against syncs in flight."""
    base = unique_name("oc")
    m = ports.open(base + "{1", tx_slots=32, rx_slots=32)
    stop = threading.Event()
    bad, counts = [], {"syncs": 0, "opens": 0}

    def traffic():
        r = random.Random(SEED + 30)
        while not stop.is_set():
            try:
                m.send([b"\x42" * 60] * r.randrange(1, 8))
                m.recv()
            except (IndexError, ValueError) as e:
                bad.append(repr(e))
            for e in (m.txsync(check=False), m.rxsync(check=False)):
                if not valid_errno(e):
                    bad.append(e)
            m.poll(r.choice(ALL_POLL), 0)
            counts["syncs"] += 1

    def churn(seed, names):
        r = random.Random(seed)
        while not stop.is_set():
            name = r.choice(names)
            try:
                p = netmap.Port(name, tx_slots=r.choice([0, 16, 32]),
                                rx_slots=r.choice([0, 16, 32]),
                                extra_bufs=r.choice([0, 0, 4]))
            except OSError as e:
                if e.errno not in (errno.ENOMEM, errno.EBUSY):
                    bad.append("open %s: %s" % (name, e))
                continue
            counts["opens"] += 1
            try:
                for _ in range(r.randrange(3)):
                    p.send([b"\x17" * 100])
                    p.txsync(check=False)
                    p.rxsync(check=False)
                    p.recv()
            except (IndexError, ValueError) as e:
                bad.append(repr(e))
            finally:
                p.close()

    other = unique_name("oc")
    threads = [threading.Thread(target=traffic, daemon=True),
               threading.Thread(target=churn, args=(SEED + 31, [base + "}1"]), daemon=True),
               threading.Thread(target=churn, args=(SEED + 32, [base + "{1", base + "}1"]),
                                daemon=True),
               threading.Thread(target=churn, args=(SEED + 33, [other + "{1", other + "}1",
                                                                other + "{2"]), daemon=True)]
    for th in threads:
        th.start()
    # Run for at least 8 s and until both sides did enough, whatever the
    # host's load makes of the emulated CPUs' speed (60 s at the most).
    deadline = time.monotonic() + 60
    time.sleep(8)
    while (counts["syncs"] <= 50 or counts["opens"] <= 50) and time.monotonic() < deadline:
        time.sleep(1)
    stop.set()
    for th in threads:
        th.join(30)
    assert not any(th.is_alive() for th in threads), "a thread is stuck"
    assert not bad, bad[:10]
    assert counts["syncs"] > 50 and counts["opens"] > 50, counts
    ports.close_all()
    module_works()
    assert_no_region_in_use()
