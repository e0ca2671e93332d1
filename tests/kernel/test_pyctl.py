"""pyctl (the Python package `vale`, pyctl/) against the kernel's "vale"
generic netlink family: every call and the kernel's refusals as
exceptions with its message, dumps of a full switch, events for each
change, topology files applied, applied again, edited and taken down, and
the same state seen through netmap's NIOCCTRL requests.

Names here: switches "valep*", interfaces "pv*"; the fixture removes
whatever a test leaves."""
import contextlib
import errno
import io
import os
import resource
import subprocess
import sys
import time

import pytest

import netmap
from conftest import TOP
from netmap import (BROADCAST_MAC, eth_frame, mac_addr, recv_packets, send_packets,
                    vale_attach, vale_delif, vale_detach, vale_list_all, vale_newif)

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402
import vale.cli  # noqa: E402
from vale import uapi  # noqa: E402
from vale.errors import ConfigError  # noqa: E402

PYCTL_ENV = dict(os.environ, PYTHONPATH=os.path.join(TOP, "pyctl"))


def ours(name):
    return name.startswith("valep") or name.startswith("pv")


def netdev(name):
    return os.path.exists("/sys/class/net/" + name)


def cleanup(v):
    for p in v.ports():
        if p.persistent and ours(p.switch):
            v.detach(p.switch, p.name)
    for name in os.listdir("/sys/class/net"):
        if name.startswith("pv"):
            try:
                v.del_if(name)
            except vale.ValeError as e:     # a NIC a test made
                if e.errno != errno.ENXIO:
                    raise
    for s in v.switches():
        if ours(s.name) and s.persistent:
            v.del_switch(s.name)


@pytest.fixture
def ctl(core):
    v = vale.Vale()
    cleanup(v)
    yield v
    try:
        cleanup(v)
        assert not [s.name for s in v.switches() if ours(s.name)]
    finally:
        v.close()


def refused(code, fn, *args, **kw):
    with pytest.raises(vale.ValeError) as ei:
        fn(*args, **kw)
    assert ei.value.errno == code, str(ei.value)
    return ei.value


def pyctl(*args, check=None, process=False):
    """python3 -m vale ARGS: (status, stdout, stderr).  In this process
    unless 'process' (a Python starts slowly in the VM)."""
    if process:
        r = subprocess.run([sys.executable, "-m", "vale"] + list(args), env=PYCTL_ENV,
                           capture_output=True, text=True, cwd=TOP)
        status, out, err = r.returncode, r.stdout, r.stderr
    else:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = vale.cli.main(list(args))
        out, err = out.getvalue(), err.getvalue()
    if check is not None:
        assert status == check, out + err
    return status, out, err


# ---------------------------------------------------------------------------
# The API, call by call, and its errors


def test_switch_add_show_delete_and_its_refusals(ctl):
    ctl.add_switch("valep0", lookup="learn")
    sw = ctl.switch("valep0")
    assert (sw.name, sw.lookup, sw.nports, sw.persistent) == ("valep0", "learn", 0, True)
    assert sw in ctl.switches()
    e = refused(errno.EEXIST, ctl.add_switch, "valep0")
    assert e.extack == "switch exists" and e.attr == "VALE_ATTR_SWITCH_NAME"
    assert str(e) == "switch add valep0: switch exists (VALE_ATTR_SWITCH_NAME, EEXIST)"
    e = refused(errno.ENOENT, ctl.add_switch, "valep1", lookup="no-such-module")
    assert e.extack == "lookup module not found" and e.attr == "VALE_ATTR_LOOKUP_NAME"
    e = refused(errno.EINVAL, ctl.add_switch, "valep" + "x" * 64)    # name too long
    assert e.attr == "VALE_ATTR_SWITCH_NAME" and e.extack
    e = refused(errno.EINVAL, ctl.add_switch, "bridge0")
    assert "vale" in e.extack and e.attr == "VALE_ATTR_SWITCH_NAME"
    e = refused(errno.ENOENT, ctl.switch, "valep9")                  # unknown switch
    assert e.extack == "no such switch" and e.attr == "VALE_ATTR_SWITCH_NAME"
    refused(errno.ENOENT, ctl.del_switch, "valep9")
    refused(errno.ENOENT, ctl.ports, "valep9")
    assert "valep1" not in [s.name for s in ctl.switches()]
    ctl.del_switch("valep0")
    refused(errno.ENOENT, ctl.switch, "valep0")


def test_missing_and_unaccepted_attributes(ctl):
    e = refused(errno.EINVAL, ctl._sock.do, uapi.CMD_SWITCH_NEW, [])
    assert e.missing == "VALE_ATTR_SWITCH_NAME"
    e = refused(errno.EINVAL, ctl._sock.do, uapi.CMD_PORT_ATTACH,
                [("VALE_ATTR_SWITCH_NAME", "valep0")])
    assert e.missing == "VALE_ATTR_PORT_NAME"
    e = refused(errno.EINVAL, ctl._sock.do, uapi.CMD_SWITCH_DEL,
                [("VALE_ATTR_SWITCH_NAME", "valep0"), ("VALE_ATTR_IF_NAME", "pv0")])
    assert e.attr == "VALE_ATTR_IF_NAME" and e.extack
    assert "valep0" not in [s.name for s in ctl.switches()]


def test_interfaces_ports_and_their_refusals(ctl):
    ctl.add_if("pv0", tx_rings=2, rx_rings=1, tx_slots=256, rx_slots=512)
    ctl.add_if("pv1")
    assert netdev("pv0") and netdev("pv1")
    e = refused(errno.EEXIST, ctl.add_if, "pv0")
    assert e.attr == "VALE_ATTR_IF_NAME" and e.extack
    refused(errno.EINVAL, ctl.add_if, "pv" + "x" * 20)               # name too long
    e = refused(errno.ERANGE, ctl.add_if, "pv2", tx_rings=0)         # out of range
    assert e.attr == "VALE_ATTR_PORT_TX_RINGS"
    ctl.attach("valep0", "pv0")                 # makes the switch (not persistent)
    ctl.attach("valep0", "pv1")
    sw = ctl.switch("valep0")
    assert (sw.nports, sw.persistent) == (2, False)
    p = ctl.port("valep0", "pv0")
    assert (p.switch, p.name, p.kind, p.index) == ("valep0", "pv0", "virtual", 0)
    assert (p.tx_rings, p.rx_rings, p.tx_slots, p.rx_slots) == (2, 1, 256, 512)
    assert p.stats == vale.Stats()
    assert [q.name for q in ctl.ports("valep0")] == ["pv0", "pv1"]
    assert [i.name for i in ctl.interfaces() if ours(i.name)] == ["pv0", "pv1"]
    # duplicate port, on this switch or another
    e = refused(errno.EBUSY, ctl.attach, "valep0", "pv0")
    assert e.extack == "interface already attached to a switch"
    assert e.attr == "VALE_ATTR_PORT_NAME"
    refused(errno.EBUSY, ctl.attach, "valep1", "pv0")
    e = refused(errno.ENXIO, ctl.attach, "valep0", "pv9")
    assert "no such interface" in e.extack
    e = refused(errno.ENOENT, ctl.port, "valep0", "pv9")
    assert e.attr == "VALE_ATTR_PORT_NAME"
    e = refused(errno.EBUSY, ctl.del_if, "pv0")
    assert e.extack == "interface attached to a switch or open"
    e = refused(errno.EBUSY, ctl.del_switch, "valep0")
    assert "detach" in e.extack
    ctl.detach("valep0", "pv0")
    refused(errno.ENXIO, ctl.detach, "valep0", "pv0")
    ctl.del_if("pv0")
    assert not netdev("pv0")
    e = refused(errno.ENXIO, ctl.del_if, "pv0")
    assert e.extack == "no such persistent interface"
    ctl.detach("valep0", "pv1")     # its last port: the switch goes
    refused(errno.ENOENT, ctl.switch, "valep0")


def test_lookup_modules_and_the_learning_table(ctl, ports):
    ctl.add_switch("valep0")
    assert ctl.switch("valep0").lookup == "learn"
    ctl.set_lookup("valep0", "learn")
    e = refused(errno.ENOENT, ctl.set_lookup, "valep0", "no-such-module")
    assert e.extack == "lookup module not found" and e.attr == "VALE_ATTR_LOOKUP_NAME"
    refused(errno.ENOENT, ctl.set_lookup, "valep9", "learn")
    ctl.set_config("valep0", ageing=60)
    assert ctl.config("valep0") == {"ageing": 60}
    # checked against the module's schema before anything is sent
    e = refused(errno.ERANGE, ctl.set_config, "valep0", ageing=0)
    assert isinstance(e, ConfigError) and e.attr == "ageing" and e.module == "learn"
    e = refused(errno.EINVAL, ctl.set_config, "valep0", ageng=60)
    assert (e.module, e.key) == ("learn", "ageng")
    assert ctl.config("valep0") == {"ageing": 60}
    assert list(ctl.fdb("valep0")) == []
    a = ports.open("valep0:a", tx_slots=64, rx_slots=64)
    b = ports.open("valep0:b", tx_slots=64, rx_slots=64)
    for src, dst, mac in ((a, b, 1), (b, a, 2)):
        assert send_packets(src, [eth_frame(BROADCAST_MAC, mac_addr(mac), 60)]) == 1
        src.txsync()
        dst.rxsync()
        assert len(recv_packets(dst)) == 1
        dst.rxsync()
    fdb = sorted(ctl.fdb("valep0"), key=lambda e: e.mac)
    assert [(e.mac, e.port) for e in fdb] == [("02:00:00:00:00:01", 0), ("02:00:00:00:00:02", 1)]
    assert all(e.age <= 2 and not e.confirmed for e in fdb)
    pa = ctl.port("valep0", "a")
    assert (pa.kind, pa.stats.tx_packets, pa.stats.tx_bytes, pa.stats.rx_packets) == \
        ("ephemeral", 1, 60, 1)
    e = refused(errno.EINVAL, ctl.detach, "valep0", "a")
    assert "ephemeral" in e.extack
    ctl.flush_fdb("valep0")
    assert list(ctl.fdb("valep0")) == []
    e = refused(errno.ENOENT, lambda: list(ctl.fdb("valep9")))
    assert e.extack == "no such switch"
    refused(errno.ENOENT, ctl.flush_fdb, "valep9")
    refused(errno.ENOENT, ctl.set_config, "valep9", ageing=60)
    ports.close_all()


def test_unprivileged_caller_reads_but_cannot_change(ctl):
    ctl.add_switch("valep0")
    pid = os.fork()
    if pid == 0:    # the child: nobody
        status = 1
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with vale.Vale() as v:
                assert "valep0" in [s.name for s in v.switches()]
                try:
                    v.add_switch("valep1")
                except vale.ValeError as e:
                    status = 0 if e.errno == errno.EPERM else 2
                try:
                    v.del_switch("valep0")
                    status = 3
                except vale.ValeError as e:
                    status = status if e.errno == errno.EPERM else 4
        finally:
            os._exit(status)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert [s.name for s in ctl.switches() if ours(s.name)] == ["valep0"]
    # and the command line says so
    r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                        sys.executable, "-m", "vale", "apply", "-"],
                       input="[switch.valep2]\n", env=PYCTL_ENV, capture_output=True,
                       text=True, cwd="/")
    assert r.returncode == 1, r.stderr
    assert r.stderr.splitlines()[:2] == [
        "vale: switch add valep2: Operation not permitted (EPERM)",
        "vale: hint: changing switches needs CAP_NET_ADMIN"]


# ---------------------------------------------------------------------------
# Dumps of a full switch


def test_dump_of_254_ports_with_counters(ctl, ports):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:     # each Port holds two fds
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    ps = [ports.open("valep0:p%d" % i, tx_slots=8, rx_slots=8) for i in range(254)]
    f = eth_frame(BROADCAST_MAC, mac_addr(7), 100)
    assert send_packets(ps[0], [f]) == 1
    ps[0].txsync()
    listed = ctl.ports("valep0")
    assert [p.name for p in listed] == ["p%d" % i for i in range(254)]
    assert [p.index for p in listed] == list(range(254))
    assert {p.kind for p in listed} == {"ephemeral"}
    assert {(p.tx_slots, p.rx_slots) for p in listed} == {(8, 8)}
    assert len({p.mem_id for p in listed}) == 254
    assert (listed[0].stats.tx_packets, listed[0].stats.tx_bytes) == (1, 100)
    for p in listed[1:]:
        assert (p.stats.rx_packets, p.stats.rx_bytes, p.stats.tx_packets) == (1, 100, 0), p
    assert ctl.switch("valep0").nports == 254
    # all switches' ports: the same 254 among them
    assert [p.name for p in ctl.ports() if p.switch == "valep0"] == [p.name for p in listed]
    # the full switch refuses one more, through pyctl too
    ctl.add_if("pv0")
    e = refused(errno.ENOSPC, ctl.attach, "valep0", "pv0")
    assert e.extack == "switch full: 254 ports", e.extack
    st, out, _ = pyctl("show", check=0)
    assert out.count("ephemeral") >= 254
    ports.close_all()
    refused(errno.ENOENT, ctl.switch, "valep0")


# ---------------------------------------------------------------------------
# Events


def test_an_event_for_each_change(ctl):
    with ctl.events() as events:
        ctl.add_switch("valep0")
        ctl.add_if("pv0")
        ctl.attach("valep0", "pv0")
        ctl.set_lookup("valep0", "learn")
        ctl.detach("valep0", "pv0")
        ctl.del_if("pv0")
        ctl.del_switch("valep0")
        got = events.drain(timeout=0.5)
    got = [e for e in got if ours(e.switch_name or e.ifname or "")]
    seen = [(e.cmd, e.switch_name or e.ifname, e.port_name) for e in got]
    assert seen == [
        ("switch_new", "valep0", None),
        ("if_new", "pv0", None),
        ("port_attach", "valep0", "pv0"),
        ("lookup_set", "valep0", None),
        ("port_detach", "valep0", "pv0"),
        ("if_del", "pv0", None),
        ("switch_del", "valep0", None),
    ]
    new = got[0]
    assert new.switch.persistent and new.switch.lookup == "learn"
    assert new.switch.config == {"ageing": 300}
    assert got[2].port.kind == "virtual" and got[2].port.index == 0
    # a stream that waits: nothing comes, get() gives up
    with ctl.events() as events:
        assert events.get(timeout=0.1) is None
    with ctl.events(timeout=0.1) as events:
        assert list(events) == []


def test_monitor_prints_events(ctl):
    mon = subprocess.Popen([sys.executable, "-m", "vale", "monitor", "-c", "2"],
                           env=PYCTL_ENV, stdout=subprocess.PIPE, text=True, cwd=TOP)
    out = None
    deadline = time.monotonic() + 300   # a Python starts slowly on the debug kernel
    try:
        while out is None and time.monotonic() < deadline:
            ctl.add_switch("valep0")    # again until the monitor has joined the group
            ctl.del_switch("valep0")
            try:
                out, _ = mon.communicate(timeout=0.2)
            except subprocess.TimeoutExpired:
                pass
    finally:
        mon.kill()
        mon.wait()
    assert out is not None, "the monitor printed no two events"
    assert out.splitlines() in (["switch_new valep0", "switch_del valep0"],
                                ["switch_del valep0", "switch_new valep0"])


# ---------------------------------------------------------------------------
# Topology files

TOPO = """\
[switch.valepa]
lookup = "learn"
ports = ["pva0", "pva1"]
config = { ageing = 120 }

[switch.valepb]
ports = ["pvb0"]

[interface.pva0]
[interface.pva1]
tx_slots = 256
[interface.pvb0]
"""

EDITED = """\
[switch.valepa]
lookup = "learn"
ports = ["pva1", "pvb0"]
config = { ageing = 60 }

[switch.valepc]
ports = ["pvc0"]

[interface.pva0]
[interface.pva1]
tx_slots = 512
[interface.pvb0]
[interface.pvc0]
rx_rings = 2
"""


def live_summary(v):
    return ({s.name: (s.lookup, s.persistent) for s in v.switches() if ours(s.name)},
            [(p.switch, p.name, p.kind, p.tx_slots, p.rx_rings) for p in v.ports()
             if ours(p.switch)])


def test_apply_again_edit_and_down(ctl, tmp_path):
    topo = tmp_path / "topo.toml"
    topo.write_text(TOPO)
    st, out, _ = pyctl("apply", "--dry-run", str(topo), check=0)
    assert "9 changes to make (dry run" in out
    assert live_summary(ctl) == ({}, [])
    with ctl.events() as events:
        st, out, err = pyctl("apply", str(topo), check=0, process=True)
        got = [(e.cmd, e.switch_name or e.ifname, e.port_name) for e in events.drain(0.5)]
    assert out.splitlines() == [
        "if add pva0", "if add pva1 tx_slots 256", "if add pvb0",
        "switch add valepa lookup learn", "lookup config valepa ageing 120",
        "switch add valepb",
        "port attach valepa pva0", "port attach valepa pva1", "port attach valepb pvb0",
        "%s: 9 changes made" % topo]
    assert got == [("if_new", "pva0", None), ("if_new", "pva1", None), ("if_new", "pvb0", None),
                   ("switch_new", "valepa", None), ("lookup_config", "valepa", None),
                   ("switch_new", "valepb", None),
                   ("port_attach", "valepa", "pva0"), ("port_attach", "valepa", "pva1"),
                   ("port_attach", "valepb", "pvb0")]
    applied = live_summary(ctl)
    assert applied == ({"valepa": ("learn", True), "valepb": ("learn", True)},
                       [("valepa", "pva0", "virtual", 1024, 1),
                        ("valepa", "pva1", "virtual", 256, 1),
                        ("valepb", "pvb0", "virtual", 1024, 1)])

    # the same file again: nothing changes, and it says so
    with ctl.events() as events:
        st, out, _ = pyctl("apply", str(topo), check=0)
        assert events.drain(0.3) == []
    assert out == "%s: no change, the kernel matches it\n" % topo
    assert live_summary(ctl) == applied

    # show's TOML, applied, is no change either
    st, shown, _ = pyctl("show", "--toml", check=0)
    (tmp_path / "shown.toml").write_text(shown)
    st, out, _ = pyctl("apply", str(tmp_path / "shown.toml"), check=0)
    assert out.endswith("no change, the kernel matches it\n"), shown

    # an edited file: exactly the difference
    topo.write_text(EDITED)
    st, out, _ = pyctl("apply", str(topo), check=0)
    assert out.splitlines() == [
        "port detach valepa pva0",      # no longer on valepa
        "port detach valepa pva1",      # geometry changed: made again
        "port detach valepb pvb0",      # moves to valepa
        "if del pva1", "if add pva1 tx_slots 512", "if add pvc0 rx_rings 2",
        "lookup config valepa ageing 60",   # the kernel reports 120: a change
        "switch add valepc",
        "port attach valepa pva1", "port attach valepa pvb0", "port attach valepc pvc0",
        "%s: 11 changes made" % topo]
    assert ctl.switch("valepa").config == {"ageing": 60}
    # the ageing matches now: not even sent again
    st, out, _ = pyctl("apply", "--dry-run", "-v", str(topo), check=0)
    assert "refresh" not in out and "no change" in out, out
    assert live_summary(ctl) == (
        {"valepa": ("learn", True), "valepb": ("learn", True), "valepc": ("learn", True)},
        [("valepa", "pva1", "virtual", 512, 1), ("valepa", "pvb0", "virtual", 1024, 1),
         ("valepc", "pvc0", "virtual", 1024, 2)])
    assert netdev("pva0")           # declared, on no switch: kept
    st, out, _ = pyctl("apply", str(topo), check=0)
    assert out == "%s: no change, the kernel matches it\n" % topo

    # --prune: valepb is not in the file any more
    st, out, _ = pyctl("apply", "--prune", str(topo), check=0)
    assert out.splitlines() == ["switch del valepb", "%s: 1 change made" % topo]

    # down: what the file declares goes, nothing is left
    st, out, _ = pyctl("down", str(topo), check=0)
    assert out.splitlines() == [
        "port detach valepa pva1", "port detach valepa pvb0", "port detach valepc pvc0",
        "if del pva0", "if del pva1", "if del pvb0", "if del pvc0",
        "switch del valepa", "switch del valepc", "%s: 9 changes made" % topo]
    assert live_summary(ctl) == ({}, [])
    assert not [n for n in os.listdir("/sys/class/net") if n.startswith("pv")]
    st, out, _ = pyctl("down", str(topo), check=0)
    assert out == "%s: no change, none of it is there\n" % topo


def test_apply_refuses_a_nic_the_kernel_cannot_attach_before_any_change(ctl, tmp_path):
    topo = tmp_path / "nic.toml"
    topo.write_text('[switch.valepn]\nports = ["lo"]\n')
    st, out, err = pyctl("apply", str(topo), check=2)
    assert out == ""
    assert err.splitlines() == [
        'vale: %s: switch.valepn.ports[0]: "lo" cannot be attached: the loopback interface '
        'cannot be a port' % topo,
        "vale: %s: 1 problem: nothing changed" % topo]
    assert live_summary(ctl) == ({}, [])


@pytest.fixture
def veth():
    """An Ethernet interface, pvd0 (a veth pair with pvd1), removed at the end."""
    subprocess.run(["modprobe", "veth"], capture_output=True)
    r = subprocess.run(["ip", "link", "add", "pvd0", "type", "veth", "peer", "name", "pvd1"],
                       capture_output=True, text=True)
    if r.returncode:
        pytest.skip("no veth interface: " + r.stderr.strip())
    yield "pvd0"
    subprocess.run(["ip", "link", "del", "pvd0"], capture_output=True)


def test_apply_attaches_a_nic_and_down_leaves_it(ctl, veth, tmp_path):
    topo = tmp_path / "nic.toml"
    topo.write_text('[switch.valepn]\nports = ["pvd0"]\n')
    st, out, err = pyctl("apply", str(topo))
    if st == 1 and "ENXIO" in err:
        pytest.skip("this kernel attaches no NICs yet")
    assert (st, err) == (0, "")
    assert out.splitlines() == ["switch add valepn", "port attach valepn pvd0",
                                "%s: 2 changes made" % topo]
    p = ctl.port("valepn", "pvd0")
    assert p.kind == "nic"
    st, out, _ = pyctl("apply", str(topo), check=0)
    assert out.endswith("no change, the kernel matches it\n")
    st, shown, _ = pyctl("show", "--toml", check=0)
    assert '[switch.valepn]\nlookup = "learn"\nports = ["pvd0"]\n' in shown
    assert "[interface.pvd0]" not in shown
    st, out, _ = pyctl("down", str(topo), check=0)
    assert out.splitlines() == ["port detach valepn pvd0", "switch del valepn",
                                "%s: 2 changes made" % topo]
    assert netdev("pvd0") and live_summary(ctl) == ({}, [])


def test_apply_rejects_a_bad_file_before_any_request(ctl, tmp_path):
    topo = tmp_path / "bad.toml"
    topo.write_text('[switch.valepx]\nports = ["pv0", "pv0"]\n')
    st, out, err = pyctl("apply", str(topo), check=2)
    assert err == "vale: %s: switch.valepx.ports[1]: \"pv0\" is listed twice\n" % topo
    assert live_summary(ctl) == ({}, [])


# ---------------------------------------------------------------------------
# pyctl and netmap's requests see the same switches


def test_netmap_and_pyctl_see_the_same_state(ctl, ports):
    assert vale_newif("pvn0") == 0
    err, idx = vale_attach("valepn:pvn0")
    assert err == 0
    p = ctl.port("valepn", "pvn0")
    assert (p.kind, p.index) == ("virtual", idx)
    assert "pvn0" in [i.name for i in ctl.interfaces()]

    ctl.add_if("pvn1", tx_slots=128)
    ctl.attach("valepn", "pvn1")
    listed = {n: (b, i) for n, b, i in vale_list_all()}
    assert listed["valepn:pvn1"][1] == ctl.port("valepn", "pvn1").index
    assert listed["valepn:pvn0"][0] == ctl.switch("valepn").index
    with netmap.Port("valepn:pvn1") as opened:     # made by pyctl, opened by netmap
        assert opened.req.nr_tx_slots == 128

    eph = ports.open("valepn:e0", tx_slots=16, rx_slots=16)
    q = ctl.port("valepn", "e0")
    assert (q.kind, q.mem_id) == ("ephemeral", eph.req.nr_mem_id)
    assert "valepn:e0" in [n for n, _, _ in vale_list_all()]

    # each side detaches what the other attached
    ctl.detach("valepn", "pvn0")
    assert vale_detach("valepn:pvn1")[0] == 0
    assert [x.name for x in ctl.ports("valepn")] == ["e0"]
    ctl.del_if("pvn0")
    assert vale_delif("pvn1") == 0
    eph.close()
    refused(errno.ENOENT, ctl.switch, "valepn")
    assert not [n for n, _, _ in vale_list_all() if n.startswith("valepn:")]
