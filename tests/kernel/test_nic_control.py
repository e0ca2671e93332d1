"""NIC ports through the control plane (kmod/genl.c, drivers/nic.c): a NIC
attached with its host stack by pyctl, valectl and a topology file (the
uapi flag VALE_ATTR_PORT_HOST), and the interfaces that cannot be ports,
refused with the errno a netmap user expects and a message naming the
reason, and left as they were.

The generic netlink family lives in the VM's root namespace, so the
interfaces attached here are there too (named after the sandbox, with
addresses 10.78.N.x that exist only in this VM); their peers and the
hosts that use them are in namespaces of their own.
"""
import dataclasses
import errno
import json
import os
import resource
import shutil
import subprocess
import sys

import pytest

import netmap
from conftest import BIN, TOP
from netmap import NR_REG_NIC_SW, Port, vale_attach, vale_detach
from test_nic_ports import sb, sh  # noqa: F401 (sb: the sandbox fixture)

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402
import vale.cli  # noqa: E402
import vale.objects  # noqa: E402

VALECTL = os.path.join(BIN, "valectl")


@pytest.fixture
def ctl(sb):
    v = vale.Vale()
    yield v
    for p in v.ports():
        if p.name in sb.links and p.kind == "nic":     # its host port goes with it
            v.detach(p.switch, p.name)
    v.close()


def root_host(sb, suffix="x"):
    """Interface TAGx in the root namespace (10.78.N.1), its peer in ns p
    (10.78.N.2). Returns (TAGx, p, "10.78.N.1")."""
    n = int(sb.tag[3:]) % 250
    p = sb.ns("p" + suffix)
    x = sb.pair(sb.tag + suffix, p, "10.78.%d.2/24" % n)
    sh("ip", "addr", "add", "10.78.%d.1/24" % n, "dev", x)
    return x, p, "10.78.%d.1" % n


def port_view(v, sw):
    return [(p.name, p.kind, p.host) for p in v.ports(sw)]


def refused(v, sw, ifname, code, says, host=False):
    with pytest.raises(vale.ValeError) as e:
        v.attach(sw, ifname, host=host)
    assert e.value.errno == code, e.value
    assert says in e.value.extack, e.value
    return e.value


def valectl(*args, rc=0):
    r = subprocess.run([VALECTL] + list(args), capture_output=True, text=True, timeout=60)
    assert r.returncode == rc, "valectl %s: %d\n%s%s" % (args, r.returncode, r.stdout, r.stderr)
    return r


# ---------------------------------------------------------------------------
# The host stack, through the control plane


def test_pyctl_attach_with_host_keeps_the_address_reachable(sb, ctl):
    x, p, ip_x = root_host(sb)
    assert sb.ping(p, ip_x) == 2
    ctl.attach("valenc1", x, host=True)
    assert port_view(ctl, "valenc1") == [(x, "nic", True), (x + "^", "host", False)]
    assert sb.ping(p, ip_x, count=3) == 3
    # the same through netmap's list: both ports, as vale-ctl -h makes them
    assert sorted(n for n, _, _ in netmap.vale_list_all() if n.startswith("valenc1:")) == \
        ["valenc1:" + x, "valenc1:" + x + "^"]
    # both go with one detach, named by either; the interface is itself again
    ctl.detach("valenc1", x + "^")
    assert "valenc1" not in [s.name for s in ctl.switches()]
    assert sb.ping(p, ip_x) == 2


def test_pyctl_attach_without_host_cuts_the_stack_off(sb, ctl):
    x, p, ip_x = root_host(sb)
    ctl.attach("valenc2", x)
    port = ctl.port("valenc2", x)
    assert (port.kind, port.host) == ("nic", False)
    assert sb.unreachable(p, ip_x)
    ctl.detach("valenc2", x)
    assert sb.ping(p, ip_x) == 2


def test_topology_file_with_a_host_stack(sb, ctl, tmp_path):
    x, p, ip_x = root_host(sb)
    topo = tmp_path / "t.toml"
    topo.write_text('[switch.valenc3]\nports = ["%s", "%s^"]\n' % (x, x))
    run = lambda *a: subprocess.run([sys.executable, "-m", "vale"] + list(a), capture_output=True,
                                    text=True, timeout=300,  # Python starts slowly under TCG
                                    env=dict(os.environ, PYTHONPATH=os.path.join(TOP, "pyctl")))
    r = run("apply", str(topo))
    assert r.returncode == 0, r.stderr
    assert "port attach valenc3 %s host" % x in r.stdout
    assert port_view(ctl, "valenc3") == [(x, "nic", True), (x + "^", "host", False)]
    assert sb.ping(p, ip_x) == 2
    assert "no change" in run("apply", str(topo)).stdout
    r = run("show", "--toml")
    assert '"%s", "%s^"' % (x, x) in r.stdout, r.stdout
    r = run("down", str(topo))
    assert r.returncode == 0, r.stderr
    assert "valenc3" not in [s.name for s in ctl.switches()]   # made by apply, gone by down
    assert sb.ping(p, ip_x) == 2


@pytest.mark.skipif(not os.access(VALECTL, os.X_OK), reason="valectl not built")
def test_valectl_attach_host_and_show(sb, ctl):
    x, p, ip_x = root_host(sb)
    valectl("port", "attach", "valenc4", x, "host")
    shown = {q["port"]: q for q in json.loads(valectl("-j", "port", "show", "valenc4").stdout)}
    assert (shown[x]["kind"], shown[x].get("host")) == ("nic", True)
    assert shown[x + "^"]["kind"] == "host" and "host" not in shown[x + "^"]
    assert "nic+host" in valectl("port", "show", "valenc4").stdout
    assert sb.ping(p, ip_x) == 2
    valectl("port", "detach", "valenc4", x)
    # vale-ctl's -h: the same request
    valectl("-h", "valenc4:" + x)
    assert port_view(ctl, "valenc4") == [(x, "nic", True), (x + "^", "host", False)]
    valectl("-d", "valenc4:" + x)


@pytest.mark.skipif(not os.access(VALECTL, os.X_OK), reason="valectl not built")
def test_valectl_host_on_a_persistent_interface_points_at_host(sb, ctl):
    name = sb.tag + "vi"
    ctl.add_if(name)
    try:
        r = valectl("port", "attach", "valenc5", name, "host", rc=1)
        assert "has no host stack" in r.stderr and '(argument "host")' in r.stderr, r.stderr
    finally:
        ctl.del_if(name)


def test_host_on_a_persistent_interface_is_eopnotsupp(sb, ctl):
    name = sb.tag + "vi"
    ctl.add_if(name)
    try:
        e = refused(ctl, "valenc6", name, errno.EOPNOTSUPP, "has no host stack", host=True)
        assert e.attr == "VALE_ATTR_PORT_HOST"
        # the ioctl with NR_REG_NIC_SW says the same; nothing was attached
        assert vale_attach("valenc6:" + name, NR_REG_NIC_SW)[0] == errno.EOPNOTSUPP
        assert "valenc6" not in [s.name for s in ctl.switches()]
        ctl.attach("valenc6", name)     # without it: fine
        ctl.detach("valenc6", name)
    finally:
        ctl.del_if(name)


# ---------------------------------------------------------------------------
# What cannot be a port


def link(name):
    return json.loads(sh("ip", "-j", "-d", "link", "show", name).stdout)[0]


def need_module(name):
    """Skip where the kernel lacks it (the debug kernel has no bonding, macvlan, vrf)."""
    if subprocess.run(["modprobe", name], capture_output=True).returncode:
        pytest.skip("no module %s in this kernel" % name)


def new_link(sb, suffix, kind, *args):
    """A device TAG+suffix of this kind (its module loaded), removed with the sandbox."""
    name = sb.tag + suffix
    need_module({"bond": "bonding"}.get(kind, kind))
    sh("ip", "link", "add", name, "type", kind, *args)
    sb.links.append(name)
    return name


def test_loopback_and_non_ethernet_are_eopnotsupp(sb, ctl):
    e = refused(ctl, "valenc7", "lo", errno.EOPNOTSUPP, "loopback")
    assert e.attr == "VALE_ATTR_PORT_NAME"
    need_module("tun")
    tun = sb.tag + "tun"
    sh("ip", "tuntap", "add", tun, "mode", "tun")
    sb.links.append(tun)
    refused(ctl, "valenc7", tun, errno.EOPNOTSUPP, "not an Ethernet interface")
    with pytest.raises(OSError) as oe:
        Port(tun)
    assert oe.value.errno == errno.EOPNOTSUPP
    assert "valenc7" not in [s.name for s in ctl.switches()]


def test_a_linux_bridge_port_is_ebusy_and_stays_bridged(sb, ctl):
    br = new_link(sb, "br", "bridge")
    x, p, ip_x = root_host(sb)
    sh("ip", "link", "set", x, "master", br)
    refused(ctl, "valenc8", x, errno.EBUSY, "port of a Linux bridge")
    refused(ctl, "valenc8", x, errno.EBUSY, "port of a Linux bridge", host=True)
    assert vale_attach("valenc8:" + x)[0] == errno.EBUSY
    with pytest.raises(OSError) as oe:
        Port(x)
    assert oe.value.errno == errno.EBUSY
    assert link(x)["master"] == br
    # the bridge itself is an Ethernet interface like any other
    ctl.attach("valenc8", br)
    assert port_view(ctl, "valenc8") == [(br, "nic", False)]
    ctl.detach("valenc8", br)


def test_a_bond_slave_is_ebusy(sb, ctl):
    bond = new_link(sb, "bd", "bond")
    x, p, ip_x = root_host(sb)
    sh("ip", "link", "set", x, "down")
    sh("ip", "link", "set", x, "master", bond)
    refused(ctl, "valenc9", x, errno.EBUSY, "enslaved to a bond")
    assert link(x)["master"] == bond


def test_a_macvlan_lower_device_is_ebusy_the_macvlan_is_fine(sb, ctl):
    need_module("macvlan")
    x, p, ip_x = root_host(sb)
    mv = sb.tag + "mv"
    sh("ip", "link", "add", "link", x, "name", mv, "type", "macvlan", "mode", "bridge")
    sb.links.insert(0, mv)
    refused(ctl, "valenc10", x, errno.EBUSY, "lower device of a macvlan")
    ctl.attach("valenc10", mv, host=True)
    assert port_view(ctl, "valenc10") == [(mv, "nic", True), (mv + "^", "host", False)]
    ctl.detach("valenc10", mv)


def test_a_vrf_is_eopnotsupp(sb, ctl):
    vrf = new_link(sb, "vrf", "vrf", "table", "77")
    refused(ctl, "valenc11", vrf, errno.EOPNOTSUPP, "VRF")


@pytest.mark.skipif(not shutil.which("ovs-dpctl"), reason="Open vSwitch userland not installed")
def test_open_vswitch_ports_are_ebusy_its_internal_port_eopnotsupp(sb, ctl):
    need_module("openvswitch")
    dp = sb.tag + "dp"
    x, p, ip_x = root_host(sb)
    # ovs-dpctl talks to the datapath directly: no ovsdb-server, no vswitchd
    sh("ovs-dpctl", "add-dp", dp)
    try:
        sh("ovs-dpctl", "add-if", dp, x)
        refused(ctl, "valenc12", x, errno.EBUSY, "port of an Open vSwitch datapath")
        refused(ctl, "valenc12", dp, errno.EOPNOTSUPP, "Open vSwitch internal port")
        assert x in sh("ovs-dpctl", "show", dp).stdout
    finally:
        sh("ovs-dpctl", "del-dp", dp, check=False)
    # out of the datapath: an ordinary interface again
    ctl.attach("valenc12", x)
    ctl.detach("valenc12", x)


def test_an_attached_or_open_interface_is_ebusy(sb, ctl):
    x, p, ip_x = root_host(sb)
    ctl.attach("valenc13", x)
    refused(ctl, "valenc14", x, errno.EBUSY, "on a switch already")
    ctl.detach("valenc13", x)
    with Port(x):
        refused(ctl, "valenc14", x, errno.EBUSY, "open in netmap mode")
    assert vale_detach("valenc14:" + x)[0] == errno.ENXIO


# ---------------------------------------------------------------------------
# Events of a NIC with its host stack


def without_stats(port):
    return dataclasses.replace(port, stats=vale.objects.Stats())


def test_nic_and_host_port_events_say_what_port_get_says(sb, ctl):
    """Attached together, a NIC and its host port are announced once both
    are on, each as PORT_GET describes it (the NIC with HOST); detached,
    both are announced while both are still on. The same whether pyctl
    or netmap's ioctl (vale-ctl -h) asks."""
    x, p, ip_x = root_host(sb)
    for how in ("netlink", "ioctl"):
        with ctl.events() as events:
            if how == "netlink":
                ctl.attach("valenc15", x, host=True)
            else:
                assert vale_attach("valenc15:" + x, NR_REG_NIC_SW)[0] == 0
            shown = {q.name: without_stats(q) for q in ctl.ports("valenc15")}
            if how == "netlink":
                ctl.detach("valenc15", x + "^")
            else:
                assert vale_detach("valenc15:" + x)[0] == 0
            got = [e for e in events.drain(timeout=0.5) if e.switch_name == "valenc15"]
        assert [(e.cmd, e.port_name) for e in got] == [
            ("switch_new", None), ("port_attach", x), ("port_attach", x + "^"),
            ("port_detach", x), ("port_detach", x + "^"), ("switch_del", None)], how
        assert (shown[x].kind, shown[x].host, shown[x + "^"].kind) == ("nic", True, "host")
        for e in got[1:5]:
            assert without_stats(e.port) == shown[e.port_name], (how, e)
    assert sb.ping(p, ip_x) == 2


def test_a_nic_whose_host_port_finds_the_switch_full_is_not_announced(sb, ctl, ports):
    """253 ports and a NIC with its host stack: the NIC would fit, its host
    port not. Neither is attached, nothing is announced, and the
    interface is itself again."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 1200:     # each Port holds two fds
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    x, p, ip_x = root_host(sb)
    for i in range(253):
        ports.open("valenc16:p%d" % i, tx_slots=8, rx_slots=8)
    with ctl.events() as events:
        e = refused(ctl, "valenc16", x, errno.ENOSPC, "full", host=True)
        got = [(ev.cmd, ev.port_name) for ev in events.drain(timeout=0.5)
               if ev.switch_name == "valenc16"]
    assert e.attr == "VALE_ATTR_SWITCH_NAME"
    assert got == []
    assert ctl.switch("valenc16").nports == 253
    assert x not in [q.name for q in ctl.ports("valenc16")]
    assert sb.ping(p, ip_x) == 2
    ports.close_all()
