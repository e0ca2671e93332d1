"""Who may change what through /dev/netmap (docs/security.md, "Who may do
what"): every request that changes switches, interfaces or NICs needs
CAP_NET_ADMIN over the file's network namespace, from whoever opened the
file and whoever sends the request, by NIOCCTRL and by the legacy
NIOCREGIF alike; opening ports (pipes, switch ports) is data-path access,
governed by the device file's mode alone.  Each refusal is EPERM and
changes nothing; with the capability the same requests work."""
import ctypes
import errno
import os
import socket
import subprocess

import pytest

import netmap
from conftest import BIN, run
from netmap import (BROADCAST_MAC, NETMAP_BDG_ATTACH, NETMAP_BDG_DELIF, NETMAP_BDG_DETACH,
                    NETMAP_BDG_HOST, NETMAP_BDG_NEWIF, NETMAP_BDG_VNET_HDR, NIOCCTRL, NIOCREGIF, NR_REG_ALL_NIC, NR_REG_NIC_SW, Port, ctrl, eth_frame,
                    ioctl, legacy, mac_addr, make_header, make_nmreq, nmreq_register,
                    unique_name, vale_attach, vale_delif, vale_detach, vale_list_all, vale_newif)
from sandbox import Child, effective_caps

NETMAP_BDG_POLLING_ON = 10
NETMAP_VNET_HDR_GET = 12


class nmreq_port_hdr(ctypes.Structure):
    _fields_ = [("nr_hdr_len", ctypes.c_uint32), ("pad1", ctypes.c_uint32)]


class nmreq_vale_polling(ctypes.Structure):
    _fields_ = [("nr_mode", ctypes.c_uint32), ("nr_first_cpu_id", ctypes.c_uint32),
                ("nr_num_polling_cpus", ctypes.c_uint32), ("pad1", ctypes.c_uint32)]


def port_hdr(name, length=None, fd=None):
    """PORT_HDR_SET (length given) or PORT_HDR_GET: (errno, length)."""
    req = nmreq_port_hdr(nr_hdr_len=length or 0)
    reqtype = netmap.NETMAP_REQ_PORT_HDR_GET if length is None else netmap.NETMAP_REQ_PORT_HDR_SET
    return ctrl(reqtype, req, name, fd=fd), req.nr_hdr_len


def polling(reqtype, name):
    return ctrl(reqtype, nmreq_vale_polling(nr_mode=1, nr_num_polling_cpus=1), name)


def bdg(cmd, name, **fields):
    return legacy(NIOCREGIF, make_nmreq(name, cmd=cmd, **fields))


def register(name):
    """REGISTER on a fresh fd, closed at once: the errno."""
    fd = netmap.open_dev()
    try:
        req = nmreq_register(nr_mode=NR_REG_ALL_NIC)
        return ioctl(fd, NIOCCTRL, make_header(netmap.NETMAP_REQ_REGISTER, req, name))
    finally:
        os.close(fd)


def link_exists(name):
    return run("ip", "link", "show", "dev", name, check=False).returncode == 0


def on_a_switch(ifname):
    """REGISTER of an interface a switch holds is EBUSY."""
    return register(ifname) == errno.EBUSY


# ---- what the capless child does ------------------------------------------------

def mutating_requests(sw, vi, vi_on, nic, nic_on, newvi):
    """Every request that changes something, as this process: {what: errno}.
    vi: a detached VI; vi_on and nic_on: attached to sw; nic: free."""
    assert effective_caps() == 0
    out = {
        "NEWIF": vale_newif(newvi),
        "DELIF": vale_delif(vi),
        "ATTACH vi": vale_attach("%s:%s" % (sw, vi))[0],
        "ATTACH nic": vale_attach("%s:%s" % (sw, nic))[0],
        "ATTACH nic+host": vale_attach("%s:%s" % (sw, nic), mode=NR_REG_NIC_SW)[0],
        "DETACH vi": vale_detach("%s:%s" % (sw, vi_on))[0],
        "DETACH nic": vale_detach("%s:%s" % (sw, nic_on))[0],
        "POLLING_ENABLE": polling(netmap.NETMAP_REQ_VALE_POLLING_ENABLE, "%s:%s" % (sw, vi_on)),
        "POLLING_DISABLE": polling(netmap.NETMAP_REQ_VALE_POLLING_DISABLE, "%s:%s" % (sw, vi_on)),
        "PORT_HDR_SET another's": port_hdr("%s:%s" % (sw, vi_on), 12)[0],
        "PORT_HDR_SET a VI": port_hdr(vi, 12)[0],
        "REGISTER nic": register(nic),
        "legacy NEWIF": bdg(NETMAP_BDG_NEWIF, newvi),
        "legacy DELIF": bdg(NETMAP_BDG_DELIF, vi),
        "legacy ATTACH": bdg(NETMAP_BDG_ATTACH, "%s:%s" % (sw, vi)),
        "legacy ATTACH nic+host": bdg(NETMAP_BDG_ATTACH, "%s:%s" % (sw, nic), arg1=NETMAP_BDG_HOST),
        "legacy DETACH": bdg(NETMAP_BDG_DETACH, "%s:%s" % (sw, vi_on)),
        "legacy POLLING_ON": bdg(NETMAP_BDG_POLLING_ON, "%s:%s" % (sw, vi_on)),
        "legacy VNET_HDR another's": bdg(NETMAP_BDG_VNET_HDR, "%s:%s" % (sw, vi_on), arg1=12),
    }
    return out


def data_path(sw, vi_on):
    """What needs no capability: reading, and ports of one's own."""
    assert effective_caps() == 0
    out = {"PORT_HDR_GET": port_hdr("%s:%s" % (sw, vi_on)),
           "legacy VNET_HDR_GET": bdg(NETMAP_VNET_HDR_GET, "%s:%s" % (sw, vi_on)),
           "LIST": sorted(n for n, _, _ in vale_list_all())}
    # switch ports (on the existing switch) and pipes open and carry frames
    with Port("%s:ca" % sw, tx_slots=64, rx_slots=64) as a, \
            Port("%s:cb" % sw, tx_slots=64, rx_slots=64) as b:
        # a file sets its own port's header length
        out["PORT_HDR_SET own"] = port_hdr(a.name, 12, fd=a.fd)
        out["PORT_HDR_SET own, again"] = port_hdr(a.name, 0, fd=a.fd)
        out["legacy VNET_HDR own"] = legacy(NIOCREGIF, make_nmreq(a.name, cmd=NETMAP_BDG_VNET_HDR,
                                                                   arg1=0), a.fd)
        f = eth_frame(BROADCAST_MAC, mac_addr(0xca), 60)
        a.send([f])
        a.txsync()
        b.rxsync()
        out["switch frames"] = len(b.recv())
    m, s = netmap.pipe(unique_name("cap"), tx_slots=32, rx_slots=32)
    try:
        m.send([b"\x11" * 60])
        m.txsync()
        s.rxsync()
        out["pipe frames"] = len(s.recv())
    finally:
        m.close()
        s.close()
    return out


def ctrl_on_inherited_fd(fd, newvi):
    """NEWIF on an fd opened by the parent (with its capabilities)."""
    assert effective_caps() == 0
    return ctrl(netmap.NETMAP_REQ_VALE_NEWIF, netmap.nmreq_vale_newif(), newvi, fd=fd)


def send_capless_fd(path):
    """Open /dev/netmap without capabilities and hand the fd over a unix
    socket at path."""
    assert effective_caps() == 0
    fd = netmap.open_dev()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.connect(path)
        socket.send_fds(s, [b"x"], [fd])
    os.close(fd)
    return True


# ---- the tests -------------------------------------------------------------------

@pytest.fixture
def setup(core, tmp_path):
    """A switch with a VI and a NIC (one end of a veth pair) on it, a
    second VI and a second NIC free; all removed at the end."""
    run("modprobe", "veth")
    made = {"vis": [], "links": []}
    sw = unique_name("valec")  # "SW:PORT" fits the 16 bytes of a legacy name
    d = {"sw": sw}
    for key in ("vi", "vi_on"):
        d[key] = unique_name("vcap")
        assert vale_newif(d[key]) == 0
        made["vis"].append(d[key])
    for key in ("nic", "nic_on"):
        d[key] = unique_name("rcap")[:15]
        run("ip", "link", "add", d[key], "type", "veth", "peer", "name", d[key][:12] + "p")
        run("ip", "link", "set", d[key], "up")
        made["links"].append(d[key])
    assert vale_attach("%s:%s" % (sw, d["vi_on"]))[0] == 0
    assert vale_attach("%s:%s" % (sw, d["nic_on"]))[0] == 0
    d["newvi"] = unique_name("vnew")
    yield d
    for n, _, _ in vale_list_all():
        if n.startswith(sw + ":"):
            vale_detach(n)
    for vi in made["vis"] + [d["newvi"]]:
        vale_delif(vi)
    for link in made["links"]:
        run("ip", "link", "del", link, check=False)


def state(d):
    """What the mutating requests could have changed."""
    return {"ports": sorted(n for n, _, _ in vale_list_all()),
            "links": {k: link_exists(d[k]) for k in ("vi", "vi_on", "newvi")},
            "hdr": port_hdr("%s:%s" % (d["sw"], d["vi_on"])),
            "nic free": register(d["nic"])}


def test_every_mutating_request_without_cap_net_admin_is_eperm(setup):
    d = setup
    before = state(d)
    assert before["nic free"] == 0  # a free NIC opens (with the capability)
    with Child(drop_caps=True) as c:
        got = c.call(mutating_requests, d["sw"], d["vi"], d["vi_on"], d["nic"], d["nic_on"],
                     d["newvi"])
    assert got == {k: errno.EPERM for k in got}, {k: netmap.errname(v) for k, v in got.items()}
    assert state(d) == before
    assert sorted(before["ports"]) == sorted("%s:%s" % (d["sw"], d[k]) for k in ("vi_on", "nic_on"))


def test_without_cap_net_admin_ports_still_open_and_carry_frames(setup):
    d = setup
    with Child(drop_caps=True) as c:
        got = c.call(data_path, d["sw"], d["vi_on"])
    assert got["PORT_HDR_GET"] == [0, 0]
    assert got["legacy VNET_HDR_GET"] == 0
    assert got["LIST"] == sorted("%s:%s" % (d["sw"], d[k]) for k in ("vi_on", "nic_on"))
    assert got["PORT_HDR_SET own"] == [0, 12]
    assert got["PORT_HDR_SET own, again"] == [0, 0]
    assert got["legacy VNET_HDR own"] == 0
    assert got["switch frames"] == 1
    assert got["pipe frames"] == 1


def test_with_cap_net_admin_the_same_requests_work(setup):
    d = setup
    sw, vi, nic = d["sw"], d["vi"], d["nic"]
    assert polling(netmap.NETMAP_REQ_VALE_POLLING_ENABLE, "%s:%s" % (sw, d["vi_on"])) == \
        errno.EOPNOTSUPP  # not implemented: past the permission check
    assert bdg(NETMAP_BDG_POLLING_ON, "%s:%s" % (sw, d["vi_on"])) == errno.EOPNOTSUPP
    assert port_hdr("%s:%s" % (sw, d["vi_on"]), 12) == (0, 12)
    assert port_hdr("%s:%s" % (sw, d["vi_on"])) == (0, 12)
    assert port_hdr(d["vi_on"], 0) == (0, 0)
    assert vale_newif(d["newvi"]) == 0 and link_exists(d["newvi"])
    assert vale_delif(d["newvi"]) == 0 and not link_exists(d["newvi"])
    assert bdg(NETMAP_BDG_NEWIF, d["newvi"]) == 0 and link_exists(d["newvi"])
    assert bdg(NETMAP_BDG_DELIF, d["newvi"]) == 0 and not link_exists(d["newvi"])
    assert vale_attach("%s:%s" % (sw, vi))[0] == 0
    assert vale_detach("%s:%s" % (sw, vi))[0] == 0
    assert bdg(NETMAP_BDG_ATTACH, "%s:%s" % (sw, vi)) == 0
    assert bdg(NETMAP_BDG_DETACH, "%s:%s" % (sw, vi)) == 0
    assert vale_attach("%s:%s" % (sw, nic), mode=NR_REG_NIC_SW)[0] == 0
    assert on_a_switch(nic)
    assert vale_detach("%s:%s" % (sw, nic))[0] == 0
    assert register(nic) == 0


def test_a_file_opened_with_the_capability_confers_nothing_on_a_capless_user(setup):
    fd = netmap.open_dev()
    try:
        with Child(drop_caps=True) as c:
            assert c.call(ctrl_on_inherited_fd, fd, setup["newvi"]) == errno.EPERM
    finally:
        os.close(fd)
    assert not link_exists(setup["newvi"])


def test_a_file_opened_without_the_capability_confers_nothing_on_root(setup, tmp_path):
    path = str(tmp_path / "fd.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as srv:
        srv.bind(path)
        os.chmod(path, 0o777)
        srv.listen(1)
        with Child(drop_caps=True) as c:
            assert c.call(send_capless_fd, path) is True
            conn, _ = srv.accept()
            with conn:
                _, fds, _, _ = socket.recv_fds(conn, 1, 1)
    fd = fds[0]
    try:
        # root with every capability, on a file a capless process opened
        assert ctrl(netmap.NETMAP_REQ_VALE_NEWIF, netmap.nmreq_vale_newif(), setup["newvi"],
                    fd=fd) == errno.EPERM
        assert port_hdr("%s:%s" % (setup["sw"], setup["vi_on"]), 12, fd=fd)[0] == errno.EPERM
        # reading is fine
        assert port_hdr("%s:%s" % (setup["sw"], setup["vi_on"]), fd=fd) == (0, 0)
    finally:
        os.close(fd)
    assert not link_exists(setup["newvi"])


def test_valectl_as_capless_root_is_eperm(setup):
    """The netlink side asks the same of the same user (GENL_UNS_ADMIN_PERM)."""
    capless = ["setpriv", "--inh-caps=-all", "--bounding-set=-all"]
    valectl = os.path.join(BIN, "valectl")
    for args in (["if", "add", setup["newvi"]], ["if", "del", setup["vi"]],
                 ["port", "attach", setup["sw"], setup["vi"]],
                 ["port", "detach", setup["sw"], setup["vi_on"]],
                 ["switch", "add", unique_name("valecapx")]):
        r = subprocess.run(capless + [valectl] + args, capture_output=True, text=True, timeout=60)
        assert r.returncode == 1 and "Operation not permitted" in r.stderr, (args, r.stderr)
    r = subprocess.run(capless + [valectl, "-j", "port", "show", setup["sw"]],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert not link_exists(setup["newvi"]) and link_exists(setup["vi"])
