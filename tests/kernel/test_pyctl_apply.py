"""python3 -m vale apply is all or nothing, against the kernel (issue 14):
on a live topology (persistent interfaces, a veth NIC with its host
stack, a router, an open ephemeral port), a file naming a missing NIC is
refused whole, nothing changed and nothing announced; and when the
kernel refuses a change half way for a reason pyctl cannot see first (the
switch table, shared by every network namespace, full; a NIC open in
netmap mode), what the run did is undone: the state after is the state
before, port numbers, settings and the router's objects included.

Names: switches "valep*", interfaces "pv*" (test_pyctl's fixtures remove
them)."""
import os
import subprocess

import pytest

from conftest import BIN, MODULES, module_loaded, run
from test_pyctl import ctl, pyctl, veth  # noqa: F401 (fixtures)

BASE = """\
interface.pva0 = {}
interface.pva1 = { tx_slots = 256 }
interface.pvb0 = {}

[switch.valepa]
lookup = "learn"
config = { ageing = 120 }
ports = ["pva0", "pva1", "pvd0", "pvd0^"]

[switch.valepb]
lookup = "l3"
ports = ["pvb0"]
router = { pvb0 = { mac = "02:00:00:00:0b:00", addrs = ["10.11.0.1"] } }
routes = [{ prefix = "10.12.0.0/16", port = "pvb0", via = "10.11.0.2" }]
neighbours = [{ addr = "10.11.0.2", lladdr = "02:00:00:00:0b:02", port = "pvb0" }]
"""

# Every kind of change before the last one: ports move and leave, an
# interface is made again, a module and its settings change, a router
# loses a port; then a new switch (valepc) with a new interface.
EDITED = """\
interface.pva0 = {}
interface.pva1 = { tx_slots = 512 }
interface.pvc0 = {}
switch.valepa = { lookup = "learn", config = { ageing = 30 }, ports = ["pva1", "pvd0"] }
switch.valepb = { lookup = "learn", ports = ["pva0"] }
switch.valepc = { ports = ["pvc0", "%s"] }
"""


def state(v):
    """What the kernel has of ours, comparably: switches (module,
    persistence, settings), ports by switch and number (kind, host stack,
    geometry), the router's objects, and our network interfaces."""
    switches = {s.name: (s.lookup, s.persistent, s.config) for s in v.switches()
                if s.name.startswith("valep")}
    ports = sorted((p.switch, p.index, p.name, p.kind, p.host, p.tx_slots, p.rx_slots)
                   for p in v.ports() if p.switch.startswith("valep"))
    router = None
    if switches.get("valepb", ("",))[0] == "l3":
        r = v.router("valepb")      # its objects (its counters are no state apply sets)
        router = (r.ports, r.routes, r.neighs)
    netdevs = sorted(n for n in os.listdir("/sys/class/net") if n.startswith("pv"))
    return switches, ports, router, netdevs


@pytest.fixture
def l3(core):
    """The router module (the guest's modprobe does not know our modules)."""
    loaded = module_loaded("vale_lookup_l3")
    if not loaded:
        run("insmod", os.path.join(MODULES, "lookup", "vale_lookup_l3.ko"))
    yield
    if not loaded:
        subprocess.run(["rmmod", "vale_lookup_l3"], check=False)


@pytest.fixture
def live(l3, ctl, veth, ports, tmp_path):  # noqa: F811 (fixtures)
    """BASE applied, and a program's port open on valepa."""
    base = tmp_path / "base.toml"
    base.write_text(BASE)
    st, out, err = pyctl("apply", str(base))
    assert st == 0, out + err
    ports.open("valepa:pve")
    return ctl


def applied(tmp_path, text, *argv):
    path = tmp_path / "topo.toml"
    path.write_text(text)
    return (str(path),) + pyctl("apply", *argv, str(path))


def test_a_missing_nic_changes_nothing(live, tmp_path):
    before = state(live)
    assert [p[1:4] for p in before[1] if p[0] == "valepa"] == [
        (0, "pva0", "virtual"), (1, "pva1", "virtual"), (2, "pvd0", "nic"), (3, "pvd0^", "host"),
        (4, "pve", "ephemeral")]
    assert before[2][1] and before[2][2]        # a route and a neighbour
    for argv, last in (((), "nothing changed"), (("--dry-run",), "apply would change nothing")):
        with live.events() as events:
            path, st, out, err = applied(tmp_path, EDITED % "pvzz", *argv)
            assert events.drain(0.3) == []
        assert st == 2, out + err
        assert err.splitlines() == [
            'vale: %s: switch.valepc.ports[1]: no network interface "pvzz" in this network '
            'namespace (a port not declared under [interface] is taken for a NIC)' % path,
            "vale: %s: 1 problem: %s" % (path, last)]
        assert state(live) == before


def test_the_switch_table_full_half_way_is_undone(live, tmp_path):
    """The table is shared: another namespace's switches fill it, which
    this namespace cannot see; the kernel refuses valepc (ENOSPC)."""
    before = state(live)
    ns, valectl = "pvns-apply", os.path.join(BIN, "valectl")
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        fill = "i=0; while %s switch add valef$i 2>/dev/null; do i=$((i+1)); done" % valectl
        subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", fill], check=True, timeout=300)
        path, st, out, err = applied(tmp_path, EDITED % "pvd1")
    finally:
        # the namespace's switches go now, not whenever the namespace is cleaned up
        empty = "for s in $(%s switch show | awk '/^valef/ {print $1}'); do %s switch del $s; " \
            "done" % (valectl, valectl)
        subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", empty], timeout=300)
        subprocess.run(["ip", "netns", "del", ns])
    assert st == 1, out + err
    made = [ln for ln in out.splitlines() if not ln.startswith("undo: ")]
    assert made[-1] == "lookup set valepb learn" and "if del pva1" in made
    assert "vale: switch add valepc: too many switches (64) (VALE_ATTR_SWITCH_NAME, ENOSPC)" \
        in err.splitlines()
    assert err.splitlines()[-1] == "vale: %s: undone: the kernel is as it was before" % path
    assert state(live) == before


def test_a_nic_open_in_netmap_mode_half_way_is_undone(live, ports, tmp_path):
    """pvd1 (pvd0's peer) open in netmap mode by a program: the kernel
    refuses to attach it (EBUSY), after every other change was made."""
    before = state(live)
    ports.open("pvd1")
    path, st, out, err = applied(tmp_path, EDITED % "pvd1")
    assert st == 1, out + err
    made = [ln for ln in out.splitlines() if not ln.startswith("undo: ")]
    assert made[-1] == "port attach valepc pvc0"
    assert err.splitlines()[0].startswith("vale: port attach valepc pvd1: ")
    assert err.splitlines()[0].endswith("(VALE_ATTR_PORT_NAME, EBUSY)")
    assert err.splitlines()[-1] == "vale: %s: undone: the kernel is as it was before" % path
    assert state(live) == before
