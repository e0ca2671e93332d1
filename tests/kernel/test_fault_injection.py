"""Fault injection: every allocation failure is handled cleanly.

With failslab and fail_page_alloc (the debug kernel, make check-debug), the
life of two ports (open /dev/netmap, REGISTER both with random geometry,
mmap, a txsync/rxsync exchange of one frame, close), the two ends of a pipe
or two ephemeral ports of a switch (attached by REGISTER, detached by the
last close), runs thousands of times while the kernel fails this process's
allocations, and module loading runs
with a failure at every allocation point in turn. Every call must succeed or
fail with a clean errno (ENOMEM), a call that succeeded must work, and
afterwards nothing may be held: every region's pools back at 0 in use, the
names usable again, and the module unloadable. Splats and leaks are the
harness's to catch (tests/vm/run --debug-kernel); a splat also fails here.

Two ways of picking the failures:
* random: probability P per allocation (P drawn per round), only in this
  process (task-filter + /proc/self/make-it-fail, switched on around each
  system call under test only, so the test's own Python code is spared);
* systematic: /proc/thread-self/fail-nth fails exactly the N-th allocation
  of one system call, for N = 1, 2, ... until the call makes fewer.

The control plane (generic netlink) has its own suite,
test_fault_injection_ctl.py. Skipped on kernels without fault injection
(Debian's: the normal lane).
"""
import ctypes
import mmap
import os
import random
import re
import shutil
import struct

import pytest

import netmap
from conftest import MODULES, dmesg_mark, load_core, module_loaded, unload_core
from faultinject import (DEBUGFS, SEED, Calls, Injector, assert_quiet, report,
                         requires_fault_injection)

REGIONS = DEBUGFS + "/vale/regions"

pytestmark = requires_fault_injection

# Rounds of the random mode per kind of port, pipe and switch (VALE_FI_ROUNDS
# overrides; the seed is printed): 2000 in all, about 5 minutes on the debug
# kernel of a quiet 2-core machine.
ROUNDS = int(os.environ.get("VALE_FI_ROUNDS", "1000"))
# A module load makes some 500 allocations, most of them the loader's own
# and the module's init near the end: each of the last LOAD_TAIL fails in
# turn, one in LOAD_STRIDE before them (VALE_FI_LOAD_TAIL=100000: all).
LOAD_TAIL = int(os.environ.get("VALE_FI_LOAD_TAIL", "200"))
LOAD_STRIDE = 10

# A small global region (about 4 MB instead of 77), allocated by the first
# user and freed by the last in every round: big enough for the largest
# geometry drawn below (2 ends x 4 rings x 128 slots, + 2 reserved buffers),
# small enough that a round is quick on the debug kernel.
SMALL_REGION = ["if_num=16", "ring_num=32", "ring_size=4352", "buf_num=2048"]
MAX_RINGS, MAX_SLOTS = 2, 128
NAMES = 16  # port ids 0 .. 15, reused: a name left held shows up

SYS_finit_module, SYS_delete_module = 313, 176  # x86-64
_libc = ctypes.CDLL(None, use_errno=True)
# mmap/munmap by hand: Python's mmap.close() ignores a failed munmap (which
# fault injection makes happen) and would leave the mapping behind.
_libc.mmap.restype = ctypes.c_void_p
_libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                       ctypes.c_int, ctypes.c_long]
_libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
MAP_FAILED = ctypes.c_void_p(-1).value


def _ioctl(fd, cmd, arg=None):
    err = netmap.ioctl(fd, cmd, arg)
    if err:
        raise OSError(err, os.strerror(err))


def _errno_error():
    e = ctypes.get_errno()
    return OSError(e, os.strerror(e))


def _mmap(fd, size):
    """The mapping of /dev/netmap as a ctypes byte array over it."""
    ctypes.set_errno(0)
    addr = _libc.mmap(None, size, mmap.PROT_READ | mmap.PROT_WRITE, mmap.MAP_SHARED, fd, 0)
    if addr in (None, MAP_FAILED):
        raise _errno_error()
    return (ctypes.c_char * size).from_address(addr)


def _munmap(mem):
    ctypes.set_errno(0)
    if _libc.munmap(ctypes.addressof(mem), len(mem)) < 0:
        raise _errno_error()


# ---- one round: the life of a pipe -----------------------------------------

def _u32(mem, off):
    return struct.unpack_from("<I", mem, off)[0]


class End:
    """One pipe end, opened, registered and mapped step by step."""

    def __init__(self, name, geometry):
        self.name = name
        self.fd = -1
        self.mem = None
        self.req = netmap.nmreq_register()
        self.req.nr_mode = netmap.NR_REG_ALL_NIC
        (self.req.nr_tx_rings, self.req.nr_rx_rings,
         self.req.nr_tx_slots, self.req.nr_rx_slots) = geometry
        self.hdr = netmap.make_header(netmap.NETMAP_REQ_REGISTER, self.req, name)

    def open(self, call):
        self.fd, err = call("open", netmap.open_dev)
        if err:
            self.fd = -1
            return False
        _, err = call("register", _ioctl, self.fd, netmap.NIOCCTRL, self.hdr)
        if err:
            return False
        size = self.req.nr_memsize
        assert 0 < size < 1 << 32 and self.req.nr_offset < size, (self.name, size)
        self.mem, err = call("mmap", _mmap, self.fd, size)
        return not err

    def ring(self, kind):
        """Offset in the mapping of tx or rx ring 0."""
        nifp = self.req.nr_offset
        i = 0
        if kind == "rx":
            i = (_u32(self.mem, nifp + netmap.netmap_if.ni_tx_rings.offset) +
                 _u32(self.mem, nifp + netmap.netmap_if.ni_host_tx_rings.offset))
        ofs = struct.unpack_from("<q", self.mem, nifp + ctypes.sizeof(netmap.netmap_if) + 8 * i)[0]
        return nifp + ofs

    def close(self, call):
        if self.mem is not None:
            _, err = call("munmap", _munmap, self.mem)
            if err:  # a clean failure: the mapping is still there
                _munmap(self.mem)
            self.mem = None
        if self.fd >= 0:
            call("close", os.close, self.fd)
            self.fd = -1


R = netmap.netmap_ring


def _ring_geometry(mem, r):
    return (_u32(mem, r + R.num_slots.offset), _u32(mem, r + R.nr_buf_size.offset),
            struct.unpack_from("<q", mem, r + R.buf_ofs.offset)[0])


def send_frame(end, frame):
    """Place one frame in tx ring 0 (no sync); False if the ring is full."""
    mem, r = end.mem, end.ring("tx")
    n, bufsize, buf_ofs = _ring_geometry(mem, r)
    head, tail = _u32(mem, r + R.head.offset), _u32(mem, r + R.tail.offset)
    if head == tail:
        return False
    slot = r + ctypes.sizeof(R) + 16 * head
    idx = _u32(mem, slot)
    at = r + buf_ofs + idx * bufsize
    assert 0 <= at and at + len(frame) <= len(mem), (end.name, idx)
    mem[at:at + len(frame)] = frame
    struct.pack_into("<HH", mem, slot + 4, len(frame), 0)
    head = head + 1 if head + 1 < n else 0
    struct.pack_into("<II", mem, r + R.head.offset, head, head)  # head, cur
    return True


def recv_frames(end):
    """Frames in rx ring 0 [head, tail), released."""
    mem, r = end.mem, end.ring("rx")
    n, bufsize, buf_ofs = _ring_geometry(mem, r)
    head, tail = _u32(mem, r + R.head.offset), _u32(mem, r + R.tail.offset)
    assert head < n and tail < n, (end.name, head, tail, n)
    out = []
    while head != tail:
        slot = r + ctypes.sizeof(R) + 16 * head
        idx, length = struct.unpack_from("<IH", mem, slot)
        at = r + buf_ofs + idx * bufsize
        assert length <= bufsize and 0 <= at and at + length <= len(mem), (end.name, idx, length)
        out.append(bytes(mem[at:at + length]))
        head = head + 1 if head + 1 < n else 0
    struct.pack_into("<II", mem, r + R.head.offset, head, head)
    return out


# The two ends of a round's ports: a pipe (fi{ID and fi}ID), or two
# ephemeral ports of switch valefiID, made by the first REGISTER and gone with
# the last close (attach and detach).
PIPE = ("fi{%d", "fi}%d")
SWITCH = ("valefi%d:a", "valefi%d:b")


def port_round(call, rnd, rno, names=PIPE):
    """One life of the ports 'names' % ID, ID = rno % NAMES: open and
    register both, send from the first, receive on the second, close.
    Returns whether a frame went through."""
    pid = rno % NAMES
    geometry = (rnd.randint(1, MAX_RINGS), rnd.randint(1, MAX_RINGS),
                rnd.randint(2, MAX_SLOTS), rnd.randint(2, MAX_SLOTS))
    master, slave = End(names[0] % pid, geometry), End(names[1] % pid, geometry)
    ends = [master, slave] if rnd.random() < 0.5 else [slave, master]
    # Broadcast, from a unicast source: the switch floods it to the other port.
    frame = b"\xff" * 6 + b"\x02\x00" + struct.pack("<I", rno) + rnd.randbytes(48)
    try:
        ok = [e.open(call) for e in ends]
        if not all(ok):
            return False
        assert send_frame(master, frame), "the tx ring of a new pipe is full"
        _, err = call("txsync", _ioctl, master.fd, netmap.NIOCTXSYNC)
        if err:
            return False
        _, err = call("rxsync", _ioctl, slave.fd, netmap.NIOCRXSYNC)
        if err:
            return False
        got = recv_frames(slave)
        assert got == [frame], "round %d: sent one frame, received %r" % (rno, got)
        return True
    finally:
        for e in reversed(ends):
            e.close(call)


# ---- module loading ---------------------------------------------------------

def finit_module(path, params):
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        ctypes.set_errno(0)
        if _libc.syscall(SYS_finit_module, fd, params.encode(), 0) < 0:
            e = ctypes.get_errno()
            raise OSError(e, os.strerror(e))
    finally:
        os.close(fd)


def delete_module(name):
    ctypes.set_errno(0)
    if _libc.syscall(SYS_delete_module, name.encode(), os.O_NONBLOCK) < 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


# ---- checks -----------------------------------------------------------------

def regions_in_use():
    """The lines of /sys/kernel/debug/vale/regions with anything in use,
    and what this process still holds of /dev/netmap (nothing, or the
    test is at fault)."""
    busy = []
    with open(REGIONS) as f:
        for line in f:
            users = re.search(r"\busers (\d+)", line)
            used = [int(u) for u in re.findall(r"\b(\d+)/\d+", line)]
            if users is None or int(users.group(1)) or any(used):
                busy.append(line.strip())
    if busy:
        for fd in os.listdir("/proc/self/fd"):
            try:
                if os.readlink("/proc/self/fd/" + fd) == netmap.NETMAP_DEVICE:
                    busy.append("this process holds fd %s" % fd)
            except OSError:
                pass
        with open("/proc/self/maps") as f:
            busy += ["this process maps " + l.strip() for l in f if "netmap" in l]
    return busy


def assert_names_work(names=PIPE):
    """Every port name the rounds used opens and carries a frame again."""
    frame = b"\xff" * 6 + b"\x02" + b"x" * 53
    for pid in range(NAMES):
        geometry = dict(tx_slots=64, rx_slots=64)  # the small region's size
        with netmap.Port(names[0] % pid, **geometry) as m, \
                netmap.Port(names[1] % pid, **geometry) as s:
            assert m.send([frame]) == 1
            m.txsync()
            s.rxsync()
            assert s.recv() == [frame]


# The module file, copied out of the 9p share once: a rebuild on the host
# while the test loads it a thousand times must not hand it a torn file.
KO = "/tmp/vale-fault-injection.ko"


@pytest.fixture
def small_core():
    """vale loaded with a small global region; the default one again after."""
    shutil.copyfile(os.path.join(MODULES, "vale.ko"), KO)
    unload_core()
    finit_module(KO, " ".join(SMALL_REGION))
    inj = Injector()
    try:
        yield Calls(inj)
    finally:
        inj.close()
        if module_loaded("vale"):
            delete_module("vale")
        load_core()


# ---- the tests --------------------------------------------------------------

@pytest.mark.parametrize("names", [PIPE, SWITCH], ids=["pipe", "switch"])
def test_port_life_with_random_allocation_failures(small_core, names):
    calls, rnd = small_core, random.Random(SEED)
    mark = dmesg_mark()
    passed = 0
    for rno in range(ROUNDS):
        calls.inj.probability(rnd.choice((1, 2, 5, 10)))
        calls.start_round("random")
        passed += port_round(calls, rnd, rno, names)
        calls.check()
    calls.inj.probability(0)
    calls.start_round(None)
    report(calls, "random")
    assert_quiet(mark, "random failures")
    assert regions_in_use() == [], "something is still held after closing everything"
    assert_names_work(names)
    assert regions_in_use() == []
    # Some rounds must have got through, and some must have failed.
    assert 0 < passed < ROUNDS, "%d of %d rounds passed" % (passed, ROUNDS)
    delete_module("vale")


@pytest.mark.parametrize("names", [PIPE, SWITCH], ids=["pipe", "switch"])
def test_port_life_with_each_allocation_failing_in_turn(small_core, names):
    """Every allocation point of every call of a round, one at a time."""
    calls = small_core
    mark = dmesg_mark()
    calls.start_round(None)
    assert port_round(calls, random.Random(SEED), 0, names), "an undisturbed round failed"
    ncalls, trace = calls.index, calls.trace
    points = {}
    for call in range(ncalls):
        n = 1
        while True:
            calls.start_round(("nth", call, n))
            port_round(calls, random.Random(SEED), 0, names)  # the same round each time
            calls.check(lambda: (calls.start_round(("nth", call, n)),
                                 port_round(calls, random.Random(SEED), 0, names)))
            if not calls.injected:
                break
            n += 1
            assert n < 5000, "call %d of the round never runs out of allocations" % call
        points["%d:%s" % (call, trace[call])] = n - 1
    calls.start_round(None)
    report(calls, "fail-nth")
    print("allocation points per call of the round:", points)
    assert sum(points.values()) > 0, "no allocation failure was injected at all"
    assert_quiet(mark, "fail-nth")
    assert regions_in_use() == []
    assert_names_work(names)
    assert regions_in_use() == []
    delete_module("vale")


def test_module_load_with_each_allocation_failing_in_turn(small_core):
    """finit_module of vale.ko failing at each allocation point in turn
    (the module's init and the tail of the loader; LOAD_TAIL), then a
    clean load."""
    calls = small_core
    params = " ".join(SMALL_REGION)
    delete_module("vale")
    # How many allocations a load makes: arm a failure it never reaches.
    calls.inj.arm_nth(1 << 30)
    finit_module(KO, params)
    total = (1 << 30) - calls.inj.disarm_nth()
    delete_module("vale")
    tail = max(1, total - LOAD_TAIL)
    todo = list(range(1, tail, LOAD_STRIDE)) + list(range(tail, total + 64))
    mark = dmesg_mark()
    tried = 0
    for n in todo:
        calls.start_round(("nth", 0, n))
        _, err = calls("finit_module", finit_module, KO, params)
        calls.check(lambda: (calls.start_round(("nth", 0, n)),
                             calls("finit_module", finit_module, KO, params)))
        tried += 1
        if err == 0:  # not injected, or a failure the loader absorbed
            delete_module("vale")
        if not calls.injected and n >= total:
            break
        assert not module_loaded("vale")
    else:
        pytest.fail("the load still had allocations after %d" % todo[-1])
    calls.start_round(None)
    report(calls, "module load")
    print("allocations in a module load: %d, failed in turn: %d" % (total, tried))
    assert_quiet(mark, "module load")
    finit_module(KO, params)
    assert module_loaded("vale") and os.path.exists("/dev/netmap")
    assert_names_work()
    assert regions_in_use() == []
    delete_module("vale")
