"""Resource limits (issue 18, items 5 and 6): what one request, one file,
one port and the whole module may take, the same by either API, and each
refusal naming its limit (include/uapi/linux/vale.h "Limits",
docs/security.md "Resource limits")."""
import errno
import os
import subprocess

import pytest

import netmap
from conftest import BIN, assert_no_region_in_use, dmesg_mark, dmesg_since, vale_regions
from netmap import Port, unique_name

VALECTL = os.path.join(BIN, "valectl")
MAX_RINGS = 16
MAX_SLOTS = 4080          # VALE_MAX_SLOTS: a ring object of at most 64 KiB
PARAMS = "/sys/module/vale/parameters/"


def param(name):
    with open(PARAMS + name) as f:
        return int(f.read())


def vctl(*args):
    return subprocess.run([VALECTL] + [str(a) for a in args], capture_output=True, text=True)


def vi_name():
    return "lim%d" % (os.getpid() % 1000 + len(unique_name("x")))


def buf_used(mem_id=1):
    r = vale_regions()
    return r[mem_id]["buf"][0] if r and mem_id in r else 0


# ---- item 6: one slots limit, stated once, named in its error -------------

def test_if_add_past_the_slot_limit_names_the_slots_limit(core):
    name = vi_name()
    r = vctl("if", "add", name, "tx-slots", MAX_SLOTS + 16)
    assert r.returncode != 0
    assert "bad interface name" not in r.stderr, r.stderr
    assert "tx-slots %d" % (MAX_SLOTS + 16) in r.stderr, r.stderr
    assert "out of range" in r.stderr and "2..%d" % MAX_SLOTS in r.stderr, r.stderr
    r = vctl("if", "add", name, "rx-rings", MAX_RINGS + 1)
    assert r.returncode != 0 and "rx-rings" in r.stderr and "1..%d" % MAX_RINGS in r.stderr
    # the limit itself is allowed, and made as asked
    r = vctl("if", "add", name, "tx-slots", MAX_SLOTS, "rx-slots", MAX_SLOTS)
    assert r.returncode == 0, r.stderr
    try:
        with Port(name) as p:
            assert p.req.nr_tx_slots == MAX_SLOTS and p.req.nr_rx_slots == MAX_SLOTS
    finally:
        assert vctl("if", "del", name).returncode == 0


def test_netmap_api_clamps_to_the_same_slot_limit(core):
    # REGISTER and NEWIF take geometry as hints (as netmap): clamped to the
    # same limit the netlink policy enforces
    sw = "vale%s" % unique_name("l")[-6:]
    with Port(sw + ":a", tx_slots=MAX_SLOTS + 16, rx_slots=2**32 - 1,
              tx_rings=99, rx_rings=1) as p:
        assert p.req.nr_tx_slots == MAX_SLOTS
        assert p.req.nr_rx_slots == MAX_SLOTS
        assert p.req.nr_tx_rings == MAX_RINGS
        assert p.txring(0).num_slots == MAX_SLOTS
    name = vi_name()
    assert netmap.vale_newif(name, tx_slots=16384, rx_slots=16384) == 0
    try:
        with Port(name) as p:
            assert p.req.nr_tx_slots == MAX_SLOTS
    finally:
        assert netmap.vale_delif(name) == 0


# ---- item 5: per-request caps and the module-wide budget ------------------

def test_extra_buffers_are_capped_per_file(ports):
    cap = param("max_extra_bufs")
    total = netmap.pools_info(unique_name() + "{1").nr_buf_pool_objtotal
    assert cap < total // 4
    mark = dmesg_mark()
    a = ports.open(unique_name() + "{1", tx_slots=4, rx_slots=4, extra_bufs=0xFFFFFFFF)
    assert a.req.nr_extra_bufs == cap == len(a.extra_bufs())
    assert any("max_extra_bufs" in m for m in dmesg_since(mark))
    # others still get theirs
    b = ports.open(unique_name() + "{1", tx_slots=4, rx_slots=4, extra_bufs=100)
    assert b.req.nr_extra_bufs == 100


def test_region_budget_refuses_with_enomem_naming_it(ports):
    """Seven ports of 16 rings x 4080 slots each way (about 255 MiB of
    buffers each) used to bring the OOM killer in a 2 GiB VM: now the
    budget (a quarter of RAM here) refuses them with ENOMEM."""
    budget = param("mem_budget_mb")
    assert budget == 0  # the default: a quarter of RAM
    sw = "vale%s" % unique_name("b")[-6:]
    mark = dmesg_mark()
    held, errs = [], []
    for k in range(7):
        try:
            held.append(ports.open("%s:p%d" % (sw, k), tx_rings=16, rx_rings=16,
                                   tx_slots=MAX_SLOTS, rx_slots=MAX_SLOTS))
        except OSError as e:
            errs.append(e.errno)
    assert held, "not even one port at the limits"
    assert errs and set(errs) == {errno.ENOMEM}, errs
    assert any("mem_budget_mb" in m for m in dmesg_since(mark))
    # what was made works
    p = held[0]
    assert p.send([b"\x01" * 60]) == 1
    p.txsync()
    # netlink says which limit too
    name = vi_name()
    r = vctl("if", "add", name, "tx-rings", 16, "rx-rings", 16,
             "tx-slots", MAX_SLOTS, "rx-slots", MAX_SLOTS)
    assert r.returncode != 0 and "mem_budget_mb" in r.stderr, r.stderr
    ports.close_all()
    # and it is all given back: a port at the limits fits again
    with Port(sw + ":again", tx_rings=16, rx_rings=16, tx_slots=MAX_SLOTS, rx_slots=MAX_SLOTS):
        pass
    assert_no_region_in_use()


def test_every_limit_held_at_once(ports):
    """All at once: a port at the geometry limits, a file at the extra
    buffer cap, the global buffer and netmap_if pools drained, the budget
    reached; each next request fails with ENOMEM and what is held still
    carries traffic; closing gives everything back."""
    cap = param("max_extra_bufs")
    sw = "vale%s" % unique_name("e")[-6:]
    big = ports.open(sw + ":big", tx_rings=16, rx_rings=16, tx_slots=MAX_SLOTS,
                     rx_slots=MAX_SLOTS, extra_bufs=cap)
    assert big.req.nr_extra_bufs == min(cap, 4096)
    with pytest.raises(OSError) as e:
        ports.open(sw + ":big2", tx_rings=16, rx_rings=16, tx_slots=MAX_SLOTS,
                   rx_slots=MAX_SLOTS)
    assert e.value.errno == errno.ENOMEM
    m, s = ports.pipe(tx_rings=16, rx_rings=16, tx_slots=64, rx_slots=64, extra_bufs=cap)
    assert m.req.nr_extra_bufs == cap
    # drain the global buffer pool with files at the cap
    hogs = 0
    while True:
        p = ports.open(unique_name("h") + "{1", tx_slots=2, rx_slots=2, extra_bufs=cap)
        hogs += 1
        if p.req.nr_extra_bufs < cap:
            break
        assert hogs < 20
    with pytest.raises(OSError) as e:
        ports.open(unique_name("h") + "{1", tx_slots=64, rx_slots=64)
    assert e.value.errno == errno.ENOMEM
    # and the netmap_if pool: files bound to no ring
    nfiles = 0
    while True:
        try:
            ports.open(m.name, mode=netmap.NR_REG_NULL)
        except OSError as e:
            assert e.errno == errno.ENOMEM
            break
        nfiles += 1
        assert nfiles <= 256
    # what is held still works
    frames = [bytes([k]) * 70 for k in range(5)]
    assert m.send(frames) == 5
    m.txsync()
    s.rxsync()
    assert s.recv() == frames
    assert big.send([b"\x02" * 60]) == 1
    big.txsync()
    ports.close_all()
    assert_no_region_in_use()
