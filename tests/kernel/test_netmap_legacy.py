"""The request format before NIOCCTRL, as nm_open() and vale-ctl use it:
NIOCGINFO and NIOCREGIF with a struct nmreq (kmod/legacy.c).  Each legacy
request must do what its NIOCCTRL translation does, so most tests send a
request both ways and compare; the rest check the legacy-only fields
(nr_ringid modes, pipe ids in nr_ringid, nr_arg2/nr_arg3) and errors."""
import ctypes
import errno
import mmap
import os

import pytest

import netmap
from conftest import assert_no_region_in_use, run
from netmap import (NETMAP_API, NETMAP_BDG_ATTACH, NETMAP_BDG_DELIF, NETMAP_BDG_DETACH,
                    NETMAP_BDG_NEWIF, NETMAP_DO_RX_POLL, NETMAP_HW_RING, NETMAP_NO_TX_POLL,
                    NETMAP_SW_RING, NIOCGINFO, NIOCREGIF, NIOCTXSYNC, NR_REG_ALL_NIC,
                    NR_REG_NIC_SW, NR_REG_NULL, NR_REG_ONE_NIC, NR_REG_PIPE_MASTER,
                    NR_REG_PIPE_SLAVE, NR_REG_SW, NR_RX_RINGS_ONLY, NR_TX_RINGS_ONLY,
                    errname, legacy, make_nmreq, unique_name)


class LegacyPort(netmap.Port):
    """A Port bound with NIOCREGIF (nr_cmd 0) instead of NIOCCTRL; the
    reply is self.req.  Raises OSError(errno) when NIOCREGIF fails."""

    def __init__(self, name, **fields):  # Port's mapping code, not its NIOCCTRL
        self.name = name if isinstance(name, str) else name.decode()
        self.fd, self.mem, self.base, self.closed = -1, None, 0, False
        self._rings = {}
        self.fd = netmap.open_dev()
        try:
            self.req = make_nmreq(name, **fields)
            err = netmap.ioctl(self.fd, NIOCREGIF, self.req)
            if err:
                raise OSError(err, "NIOCREGIF %s: %s" % (self.name, os.strerror(err)))
            self.memsize, self.offset = self.req.nr_memsize, self.req.nr_offset
            assert 0 < self.memsize and self.offset < self.memsize, \
                "NIOCREGIF %s: nr_memsize %d nr_offset %d" % (self.name, self.memsize, self.offset)
            self.mem = mmap.mmap(self.fd, self.memsize, mmap.MAP_SHARED,
                                 mmap.PROT_READ | mmap.PROT_WRITE)
            probe = ctypes.c_char.from_buffer(self.mem)
            self.base = ctypes.addressof(probe)
            del probe
            self.nifp = netmap.netmap_if.from_address(self.base + self.offset)
        except BaseException:
            self.close()
            raise


@pytest.fixture
def lports(ports):
    """ports (conftest) that also opens LegacyPorts: lports.legacy(name, ...)."""
    def open_legacy(name, **fields):
        p = LegacyPort(name, **fields)
        ports.opened.append(p)
        return p
    ports.legacy = open_legacy
    return ports


def frames(n, size=60, tag=0):
    return [bytes([tag, i & 0xFF, i >> 8 & 0xFF]) + bytes((i * 7 + k) & 0xFF
                                                          for k in range(size - 3))
            for i in range(n)]


def exchange(tx, rx, sent_frames):
    """Send all frames from tx to rx (syncing both ends); return what rx got."""
    got, sent = [], 0
    for _ in range(4 * len(sent_frames) + 16):
        if len(got) == len(sent_frames):
            break
        sent += tx.send(sent_frames[sent:])
        tx.txsync()
        rx.rxsync()
        got += rx.recv()
    rx.rxsync()
    return got


def info(name, fd=None):
    """NIOCGINFO: (errno, reply)."""
    req = make_nmreq(name)
    return legacy(NIOCGINFO, req, fd), req


def binding(port):
    """What a registration bound: ring counts and which rings are mapped."""
    nifp = port.nifp
    ntx = nifp.ni_tx_rings + nifp.ni_host_tx_rings
    nrx = nifp.ni_rx_rings + nifp.ni_host_rx_rings
    return (nifp.ni_tx_rings, nifp.ni_rx_rings, nifp.ni_host_tx_rings, nifp.ni_host_rx_rings,
            [i for i in range(ntx) if port.ring_ofs(i)],
            [i for i in range(nrx) if port.ring_ofs(ntx + i)])


def outcome(opener, name, **kw):
    """(errno, binding) of opening name one way, the port closed again."""
    try:
        p = opener(name, **kw)
    except OSError as e:
        return e.errno, None
    try:
        return 0, binding(p)
    finally:
        p.close()


# ---- struct nmreq and the ioctl numbers -------------------------------------

def test_nmreq_layout_and_ioctl_numbers_are_netmaps():
    offsets = {f: getattr(netmap.nmreq, f).offset for f, _ in netmap.nmreq._fields_}
    assert offsets == {"nr_name": 0, "nr_version": 16, "nr_offset": 20, "nr_memsize": 24,
                       "nr_tx_slots": 28, "nr_rx_slots": 32, "nr_tx_rings": 36,
                       "nr_rx_rings": 38, "nr_ringid": 40, "nr_cmd": 42, "nr_arg1": 44,
                       "nr_arg2": 46, "nr_arg3": 48, "nr_flags": 52, "spare2": 56}
    assert ctypes.sizeof(netmap.nmreq) == 60
    assert (NIOCGINFO, NIOCREGIF) == (0xC03C6991, 0xC03C6992)


# ---- NIOCGINFO ---------------------------------------------------------------

def test_ginfo_with_empty_name_reports_the_global_region(core):
    err, req = info("")
    assert err == 0, errname(err)
    pools = netmap.pools_info("")
    assert req.nr_memsize == pools.nr_memsize > 0
    assert req.nr_arg2 == pools.nr_mem_id == 1  # netmap's global region is 1


def test_ginfo_on_a_pipe_matches_port_info_before_and_after_it_exists(lports):
    base = unique_name("gi")
    for _ in range(2):
        for end in ("{1", "}1"):
            err, req = info(base + end)
            assert err == 0, errname(err)
            ref = netmap.port_info(base + end)
            assert (req.nr_memsize, req.nr_tx_rings, req.nr_rx_rings, req.nr_tx_slots,
                    req.nr_rx_slots, req.nr_arg2) == \
                (ref.nr_memsize, ref.nr_tx_rings, ref.nr_rx_rings, ref.nr_tx_slots,
                 ref.nr_rx_slots, ref.nr_mem_id)
        lports.pipe(base, tx_slots=128, rx_slots=128)
    assert req.nr_tx_slots == 128


def test_ginfo_on_an_unknown_port_fails_like_port_info(core):
    err, _ = info("nosuchif0")
    assert err == errno.ENXIO
    assert netmap.ctrl(netmap.NETMAP_REQ_PORT_INFO_GET, netmap.nmreq_port_info_get(),
                       "nosuchif0") == err


def test_ginfo_does_not_bind_the_fd(lports):
    fd = lports.fd()
    assert info("", fd)[0] == 0
    assert info(unique_name("gb") + "{1", fd)[0] == 0
    assert netmap.ioctl(fd, NIOCTXSYNC) == errno.ENXIO


# ---- NIOCREGIF: registration -------------------------------------------------

def test_regif_pipe_master_and_slave_by_mode_exchange_packets(lports):
    base = unique_name("lp")
    m = lports.legacy(base, flags=NR_REG_PIPE_MASTER, ringid=1)
    s = lports.legacy(base, flags=NR_REG_PIPE_SLAVE, ringid=1)
    assert (m.ni_name, s.ni_name) == (base + "{1", base + "}1")
    for p in (m, s):
        ref = netmap.port_info(p.ni_name)
        r = p.req
        assert (r.nr_memsize, r.nr_tx_rings, r.nr_rx_rings, r.nr_tx_slots, r.nr_rx_slots,
                r.nr_arg2) == (ref.nr_memsize, ref.nr_tx_rings, ref.nr_rx_rings,
                               ref.nr_tx_slots, ref.nr_rx_slots, ref.nr_mem_id)
        assert r.nr_tx_rings == r.nr_rx_rings == 1 and r.nr_tx_slots > 0
        assert r.nr_cmd == 0 and r.nr_version == NETMAP_API
    # Three times around the rings, both ways.
    n = 3 * m.txring().num_slots
    sent = frames(n, tag=1)
    assert exchange(m, s, sent) == sent
    sent = frames(n, 1514, tag=2)
    assert exchange(s, m, sent) == sent
    lports.close_all()
    assert_no_region_in_use()


def test_regif_pipe_by_name_talks_to_a_niocctrl_peer(lports):
    base = unique_name("lx")
    m = lports.legacy(base + "{3")
    s = lports.open(base + "}3")
    assert m.ni_name == base + "{3"
    sent = frames(100, 200, tag=3)
    assert exchange(m, s, sent) == sent
    assert exchange(s, m, sent) == sent


def test_regif_pipe_id_is_the_ring_number_part_of_nr_ringid(lports):
    base = unique_name("li")
    m = lports.legacy(base, flags=NR_REG_PIPE_MASTER,
                      ringid=NETMAP_NO_TX_POLL | NETMAP_DO_RX_POLL | 42)
    assert m.ni_name == base + "{42"
    s = lports.open(base + "}42")
    sent = frames(10)
    assert exchange(m, s, sent) == sent


@pytest.mark.parametrize("legacy_mode, ctrl_mode", [
    (dict(), dict(mode=NR_REG_ALL_NIC)),
    (dict(ringid=NETMAP_HW_RING | 1), dict(mode=NR_REG_ONE_NIC, ringid=1)),
    (dict(ringid=NETMAP_HW_RING | 2), dict(mode=NR_REG_ONE_NIC, ringid=2)),
    (dict(ringid=NETMAP_SW_RING), dict(mode=NR_REG_SW)),
    (dict(ringid=NETMAP_NO_TX_POLL), dict(mode=NR_REG_ALL_NIC, flags=netmap.NR_NO_TX_POLL)),
    (dict(flags=NR_REG_ALL_NIC), dict(mode=NR_REG_ALL_NIC)),
    (dict(flags=NR_REG_ONE_NIC), dict(mode=NR_REG_ONE_NIC)),
    (dict(flags=NR_REG_ONE_NIC, ringid=1), dict(mode=NR_REG_ONE_NIC, ringid=1)),
    # nr_flags wins over the nr_ringid bits when it names a mode
    (dict(flags=NR_REG_ALL_NIC, ringid=NETMAP_HW_RING | 1), dict(mode=NR_REG_ALL_NIC, ringid=1)),
    (dict(flags=NR_REG_SW), dict(mode=NR_REG_SW)),
    (dict(flags=NR_REG_NIC_SW), dict(mode=NR_REG_NIC_SW)),
    (dict(flags=NR_REG_NULL), dict(mode=NR_REG_NULL)),
    (dict(flags=NR_REG_ALL_NIC | NR_TX_RINGS_ONLY),
     dict(mode=NR_REG_ALL_NIC, flags=NR_TX_RINGS_ONLY)),
    (dict(flags=NR_REG_ONE_NIC | NR_RX_RINGS_ONLY, ringid=1),
     dict(mode=NR_REG_ONE_NIC, ringid=1, flags=NR_RX_RINGS_ONLY)),
    (dict(flags=9), dict(mode=9)),
], ids=lambda d: ",".join("%s=%#x" % kv for kv in sorted(d.items())) or "default")
def test_regif_mode_binds_what_niocctrl_binds(lports, legacy_mode, ctrl_mode):
    """On a two-ring pipe end: the legacy mode (nr_flags & 0xf, or the
    nr_ringid bits when that is 0) binds the rings its NIOCCTRL translation
    binds, or fails with the same errno."""
    base = unique_name("lm")
    name = base + "{1"
    peer = lports.open(base + "}1", tx_rings=2, rx_rings=2)  # makes a 2-ring pipe
    got = outcome(LegacyPort, name, tx_rings=2, rx_rings=2, **legacy_mode)
    want = outcome(netmap.Port, name, tx_rings=2, rx_rings=2, **ctrl_mode)
    assert got == want, "legacy %r -> %s, NIOCCTRL %r -> %s" % (
        legacy_mode, got, ctrl_mode, want)
    peer.close()


def test_regif_extra_buffers_in_nr_arg3(lports):
    m = lports.legacy(unique_name("le"), flags=NR_REG_PIPE_MASTER, ringid=1, arg3=8)
    assert 0 < m.req.nr_arg3 <= 8
    bufs = m.extra_bufs()
    assert len(bufs) == m.req.nr_arg3 and len(set(bufs)) == len(bufs)
    ring = m.txring()
    assert not set(bufs) & {ring.slot(i).buf_idx for i in range(ring.num_slots)}


def test_regif_memory_region_in_nr_arg2(lports):
    base = unique_name("la")
    m = lports.legacy(base, flags=NR_REG_PIPE_MASTER, ringid=1, arg2=1)
    assert m.req.nr_arg2 == 1
    got = outcome(LegacyPort, base + "{2", arg2=999)
    want = outcome(netmap.Port, base + "{2", mem_id=999)
    assert got == want and got[0] != 0, (got, want)


def test_regif_twice_on_one_fd_fails_like_niocctrl(lports):
    m = lports.legacy(unique_name("lt") + "{1")
    again = make_nmreq(unique_name("lt") + "{1")
    err = netmap.ioctl(m.fd, NIOCREGIF, again)
    reg = netmap.nmreq_register(nr_mode=NR_REG_ALL_NIC)
    assert err == errno.EBUSY  # as netmap: the fd is already bound
    assert err == netmap.ctrl(netmap.NETMAP_REQ_REGISTER, reg, unique_name("lt") + "{1", fd=m.fd)
    sent = frames(5)
    assert exchange(m, lports.open(m.ni_name[:-2] + "}1"), sent) == sent


def test_failed_regif_leaves_the_fd_unbound_and_reusable(lports):
    fd = lports.fd()
    name = unique_name("lf") + "{1"
    err = netmap.ioctl(fd, NIOCREGIF, make_nmreq(name, flags=NR_REG_ONE_NIC, ringid=7))
    assert err == errno.EINVAL
    assert err == outcome(netmap.Port, name, mode=NR_REG_ONE_NIC, ringid=7)[0]
    assert netmap.ioctl(fd, NIOCTXSYNC) == errno.ENXIO
    req = make_nmreq(name)
    assert netmap.ioctl(fd, NIOCREGIF, req) == 0
    assert req.nr_memsize > 0 and netmap.ioctl(fd, NIOCTXSYNC) == 0


# ---- NIOCREGIF: switch commands ----------------------------------------------

@pytest.fixture
def vis(lports):
    """Persistent interfaces created in the test, detached and deleted at
    the end whatever the test left."""
    made = []
    yield made
    lports.close_all()
    for name in made:
        for n, _, _ in netmap.vale_list_all():
            if n.endswith(":" + name):
                netmap.vale_detach(n)
        netmap.vale_delif(name)


def bdg(cmd, name, **fields):
    return legacy(NIOCREGIF, make_nmreq(name, cmd=cmd, **fields))


def link_exists(name):
    return run("ip", "link", "show", "dev", name, check=False).returncode == 0


def test_bdg_newif_attach_detach_delif_like_vale_ctl(vis):
    vi = unique_name("lv")
    sw = "vale" + unique_name("ls")
    vis.append(vi)
    # vale-ctl -n vi -C 256,256,1,1
    assert bdg(NETMAP_BDG_NEWIF, vi, tx_slots=256, rx_slots=256, tx_rings=1, rx_rings=1) == 0
    assert link_exists(vi)
    assert bdg(NETMAP_BDG_NEWIF, vi) == netmap.vale_newif(vi) == errno.EEXIST
    # vale-ctl -a sw:vi, as vale-ctl sends it (nr_flags NR_REG_ALL_NIC)
    assert bdg(NETMAP_BDG_ATTACH, sw + ":" + vi, flags=NR_REG_ALL_NIC) == 0
    assert [n for n, _, _ in netmap.vale_list_all() if n == sw + ":" + vi]
    assert bdg(NETMAP_BDG_ATTACH, sw + ":" + vi, flags=NR_REG_ALL_NIC) == \
        netmap.vale_attach(sw + ":" + vi)[0] != 0
    assert bdg(NETMAP_BDG_DELIF, vi) == errno.EBUSY  # attached
    # vale-ctl -d sw:vi
    assert bdg(NETMAP_BDG_DETACH, sw + ":" + vi, flags=NR_REG_ALL_NIC) == 0
    assert not [n for n, _, _ in netmap.vale_list_all() if n.endswith(":" + vi)]
    assert bdg(NETMAP_BDG_DETACH, sw + ":" + vi) == netmap.vale_detach(sw + ":" + vi)[0] != 0
    # vale-ctl -r vi
    assert bdg(NETMAP_BDG_DELIF, vi) == 0
    assert not link_exists(vi)
    assert bdg(NETMAP_BDG_DELIF, vi) == netmap.vale_delif(vi) == errno.ENXIO


@pytest.mark.parametrize("cmd, name", [
    (NETMAP_BDG_ATTACH, "vale0:nosuchvi"),
    (NETMAP_BDG_ATTACH, "nosuchvi"),
    (NETMAP_BDG_DETACH, "vale0:nosuchvi"),
    (NETMAP_BDG_DETACH, "nosuchvi"),
    (NETMAP_BDG_NEWIF, "vale0:x"),
    (NETMAP_BDG_NEWIF, "p{1"),
    (NETMAP_BDG_DELIF, "nosuchvi"),
])
def test_bdg_errors_are_the_niocctrl_ones(core, cmd, name):
    want = {NETMAP_BDG_ATTACH: lambda: netmap.vale_attach(name)[0],
            NETMAP_BDG_DETACH: lambda: netmap.vale_detach(name)[0],
            NETMAP_BDG_NEWIF: lambda: netmap.vale_newif(name),
            NETMAP_BDG_DELIF: lambda: netmap.vale_delif(name)}[cmd]()
    assert want != 0
    assert bdg(cmd, name) == want


# ---- errors --------------------------------------------------------------------

@pytest.mark.parametrize("cmd", [3, 4, 8, 9, 99, 0xFFFF],
                         ids=["REGOPS", "LIST", "PT_HOST_CREATE", "PT_HOST_DELETE", "99",
                              "0xffff"])
def test_regif_other_commands_are_not_supported(core, cmd):
    assert bdg(cmd, "vale0:x") == errno.EOPNOTSUPP


@pytest.mark.parametrize("ioc", [NIOCGINFO, NIOCREGIF], ids=["GINFO", "REGIF"])
@pytest.mark.parametrize("version", [0, 11, 13, 16, 0xFFFFFFFF])
def test_bad_version_is_einval(core, ioc, version):
    assert legacy(ioc, make_nmreq(unique_name("v") + "{1", version=version)) == errno.EINVAL


def test_versions_14_and_15_are_accepted(lports):
    for version in (14, 15):
        assert legacy(NIOCGINFO, make_nmreq("", version=version)) == 0
        lports.legacy(unique_name("lv") + "{1", version=version)


@pytest.mark.parametrize("cmd", [0, NETMAP_BDG_NEWIF, NETMAP_BDG_ATTACH, NETMAP_BDG_DELIF])
def test_name_without_nul_is_einval(core, cmd):
    name = b"vale0:abcdefghij"
    assert len(name) == netmap.NM_IFNAMSIZ
    assert legacy(NIOCREGIF, make_nmreq(name, cmd=cmd)) == errno.EINVAL
    assert legacy(NIOCGINFO, make_nmreq(b"p" * 14 + b"{1")) == errno.EINVAL


@pytest.mark.parametrize("name", [b"bad name", b"a\x01b", b"x/y{1"])
def test_bad_characters_are_einval(core, name):
    assert legacy(NIOCGINFO, make_nmreq(name)) == errno.EINVAL
    assert legacy(NIOCREGIF, make_nmreq(name)) == errno.EINVAL
    assert bdg(NETMAP_BDG_NEWIF, name) == errno.EINVAL


def test_regif_with_empty_name_is_einval(core):
    assert legacy(NIOCREGIF, make_nmreq(b"")) == errno.EINVAL


def test_pipe_mode_with_a_pipe_name_is_einval(core):
    assert legacy(NIOCREGIF, make_nmreq(unique_name("pp") + "{1",
                                        flags=NR_REG_PIPE_MASTER, ringid=1)) == errno.EINVAL


def test_bad_pointer_is_efault(core):
    for ioc in (NIOCGINFO, NIOCREGIF):
        assert legacy(ioc, 8) == errno.EFAULT
