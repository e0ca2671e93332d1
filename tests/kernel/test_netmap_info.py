"""Port information and listing as netmap's own tools ask for them:
PORT_INFO_GET (empty name, switch ports, persistent interfaces) and the
legacy NIOCGINFO forms vale-ctl uses (-g, -l) and its header commands."""
import errno

from netmap import (NIOCGINFO, NIOCREGIF, NETMAP_BDG_LIST, NETMAP_BDG_VNET_HDR, Port,
                    legacy, make_nmreq, nmreq_port_info_get, ctrl, NETMAP_REQ_PORT_INFO_GET,
                    vale_delif, vale_newif)

NETMAP_VNET_HDR_GET = 12


def info(name, mem_id=0):
    req = nmreq_port_info_get()
    req.nr_mem_id = mem_id
    return ctrl(NETMAP_REQ_PORT_INFO_GET, req, name), req


def test_empty_name_is_the_global_region(core):
    err, req = info("")
    assert err == 0 and req.nr_mem_id == 1 and req.nr_memsize > 0
    assert info("", mem_id=4000)[0] == errno.EINVAL


def test_switch_port_and_interface_info(core):
    p = Port("valeinfo:a", tx_slots=128, rx_slots=256, tx_rings=2)
    try:
        err, req = info("valeinfo:a")
        assert err == 0
        assert (req.nr_tx_slots, req.nr_rx_slots, req.nr_tx_rings) == (128, 256, 2)
        assert req.nr_mem_id == p.req.nr_mem_id and req.nr_memsize == p.memsize
        assert info("valeinfo:nosuch")[0] == errno.ENXIO
        assert info("valeinfo:")[0] == errno.EINVAL
    finally:
        p.close()
    assert vale_newif("vinfo0", tx_slots=64) == 0
    try:
        err, req = info("vinfo0")
        assert err == 0 and req.nr_tx_slots == 64
        nmr = make_nmreq("vinfo0")
        assert legacy(NIOCGINFO, nmr) == 0          # vale-ctl -g
        assert nmr.nr_tx_slots == 64 and nmr.nr_arg2 == req.nr_mem_id
    finally:
        assert vale_delif("vinfo0") == 0


def test_legacy_list_walks_every_port(core):
    ports = [Port("valelst:p%d" % i, tx_slots=8, rx_slots=8) for i in range(3)]
    try:
        names, b, p = [], 0, 0
        while True:
            nmr = make_nmreq("", cmd=NETMAP_BDG_LIST, arg1=b, arg2=p)
            err = legacy(NIOCGINFO, nmr)
            if err:
                assert err == errno.ENOENT
                break
            names.append(nmr.nr_name.decode())
            b, p = nmr.nr_arg1, nmr.nr_arg2 + 1
        assert [n for n in names if n.startswith("valelst:")] == \
            ["valelst:p0", "valelst:p1", "valelst:p2"]
        nmr = make_nmreq("valelst:p2", cmd=NETMAP_BDG_LIST)
        assert legacy(NIOCGINFO, nmr) == 0 and nmr.nr_arg2 == 2
    finally:
        for port in ports:
            port.close()


def test_legacy_vnet_header_set_and_get(core):
    p = Port("valehdr:a", tx_slots=8, rx_slots=8)
    try:
        assert legacy(NIOCREGIF, make_nmreq("valehdr:a", cmd=NETMAP_BDG_VNET_HDR, arg1=12)) == 0
        nmr = make_nmreq("valehdr:a", cmd=NETMAP_VNET_HDR_GET)
        assert legacy(NIOCREGIF, nmr) == 0 and nmr.nr_arg1 == 12
        assert legacy(NIOCREGIF, make_nmreq("valehdr:a", cmd=NETMAP_BDG_VNET_HDR,
                                            arg1=7)) == errno.EINVAL
    finally:
        p.close()
