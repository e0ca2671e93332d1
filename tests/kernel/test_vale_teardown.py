"""After switch traffic, closing everything frees every private region;
the module unloads with persistent interfaces still attached (removing
them) and loads again into a clean state."""
import errno
import os

import netmap
from conftest import (assert_no_region_in_use, dmesg_mark, dmesg_since, load_core,
                      module_loaded, run, unload_core, vale_regions)
from netmap import (BROADCAST_MAC, eth_frame, mac_addr, recv_packets, send_packets,
                    unique_name, vale_attach, vale_list_all, vale_newif)

SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption", "general protection")


def traffic(ports_):
    f = eth_frame(BROADCAST_MAC, mac_addr(1), 1514)
    assert send_packets(ports_[0], [f]) == 1
    ports_[0].txsync()
    for p in ports_[1:]:
        p.rxsync()
        assert [x for x, _ in recv_packets(p)] == [f]


def test_all_closed_leaves_only_the_global_region_then_unload_and_reload(core):
    mark = dmesg_mark()
    assert not vale_list_all(), "a port of an earlier test is still there"
    sw = unique_name("vale")
    vi = unique_name("vz")
    assert vale_newif(vi, tx_slots=64, rx_slots=64, tx_rings=2, rx_rings=2) == 0
    opened = []
    try:
        assert vale_attach("%s:%s" % (sw, vi))[0] == 0
        opened = [netmap.Port("%s:p%d" % (sw, i), tx_slots=32, rx_slots=32,
                              tx_rings=1 + i % 3, rx_rings=1 + i % 2) for i in range(6)]
        opened.append(netmap.Port(vi))
        traffic(opened)
        ids = {p.req.nr_mem_id for p in opened}
        regions = vale_regions()
        if regions is not None:
            assert ids <= set(regions)
            assert all(regions[i]["users"] >= 1 for i in ids)
        # an open fd pins the module
        r = run("rmmod", "vale", check=False)
        assert r.returncode != 0 and module_loaded("vale"), r.stderr
    finally:
        for p in opened:
            p.close()
    # the ephemeral ports are gone; the attached VI stays, with its region
    assert [n for n, _, _ in vale_list_all()] == ["%s:%s" % (sw, vi)]
    regions = vale_regions()
    if regions is not None:
        assert len(regions) == 2 and 1 in regions, regions
    assert run("ip", "link", "show", "dev", vi, check=False).returncode == 0
    # unload with the VI still attached: everything goes
    unload_core()
    assert not module_loaded("vale")
    assert run("ip", "link", "show", "dev", vi, check=False).returncode != 0
    assert not os.path.exists("/sys/kernel/debug/vale")
    load_core()
    # a clean slate: no switch, no VI, only the global region, unused
    assert not vale_list_all()
    assert netmap.vale_delif(vi) == errno.ENXIO
    assert_no_region_in_use()
    regions = vale_regions()
    if regions is not None:
        assert set(regions) == {1}, regions
    # and the switch works again
    ps = [netmap.Port("%s:q%d" % (sw, i), tx_slots=16, rx_slots=16) for i in range(3)]
    try:
        traffic(ps)
    finally:
        for p in ps:
            p.close()
    assert not vale_list_all()
    assert_no_region_in_use()
    regions = vale_regions()
    if regions is not None:
        assert set(regions) == {1}, regions
    log = dmesg_since(mark)
    assert not [l for l in log if any(s in l for s in SPLATS)], log[-40:]
