"""The boot-time topology (systemd/, docs/boot-topology.md).

The generator is run here, as installed by make install-systemd, on
topology files. The unit is tested where it matters, at boot: a VM whose PID 1
is systemd (tests/vm/run --systemd) boots with vale-topology.service
enabled, /etc/vale/topology.toml naming a persistent interface and a veth
pair that another unit makes only 10 s into the boot, with nothing ordering
the two units but the generator's drop-in. The guest half
(boot_unit_guest.py) collects the units' states and timestamps, the live
topology, then stops the unit and starts it without the file.
"""
import json
import os
import shlex
import shutil
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(TOP, "pyctl"))

from vale import topology  # noqa: E402

RUN = os.path.join(TOP, "tests", "vm", "run")
VM_IMAGE = os.path.join(TOP, "build", "vm", "image")
PYTHON = "/usr/bin/python3"


def install(dest, **make_vars):
    """make install-systemd into dest (the fragment alone, as make install
    runs it); {path: text} of what it installed."""
    args = ["make", "--no-print-directory", "-f", "systemd/systemd.mk", "install-systemd",
            "DESTDIR=%s" % dest, "PYTHON=%s" % PYTHON]
    args += ["%s=%s" % kv for kv in make_vars.items()]
    r = subprocess.run(args, cwd=TOP, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = {}
    for root, _, files in os.walk(dest):
        for f in files:
            p = os.path.join(root, f)
            out[os.path.relpath(p, dest)] = open(p).read()
    return out


# -- the install rule and the generator, on the host ---------------------------

def test_install_substitutes_every_placeholder(tmp_path):
    files = install(tmp_path, SYSTEMD_UNITDIR="/u", SYSTEMD_GENERATORDIR="/g",
                    BINDIR="/opt/vale/bin", SYSCONFDIR="/cfg")
    assert sorted(files) == ["g/vale-topology-generator", "u/vale-topology.service"]
    unit = files["u/vale-topology.service"]
    assert "@" not in unit.replace("WantedBy", "")
    assert "ExecStart=/opt/vale/bin/vale apply /cfg/vale/topology.toml\n" in unit
    assert "ExecStop=/opt/vale/bin/vale down /cfg/vale/topology.toml\n" in unit
    assert "ConditionPathExists=/cfg/vale/topology.toml\n" in unit
    gen = files["g/vale-topology-generator"]
    assert gen.startswith("#!%s -IS\n" % PYTHON)
    assert 'TOPOLOGY = "/cfg/vale/topology.toml"' in gen
    assert os.access(tmp_path / "g" / "vale-topology-generator", os.X_OK)
    assert (tmp_path / "cfg" / "vale").is_dir()


def test_install_refuses_a_relative_path(tmp_path):
    r = subprocess.run(["make", "--no-print-directory", "-f", "systemd/systemd.mk",
                        "install-systemd", "DESTDIR=%s" % tmp_path, "BINDIR=bin"],
                       cwd=TOP, capture_output=True, text=True)
    assert r.returncode != 0
    assert "'bin' is not an absolute path" in r.stderr
    assert not any(tmp_path.iterdir())


@pytest.fixture
def generator(tmp_path):
    """(topology file, run(topology text or None) -> (status, stderr,
    drop-in text or None)): the generator installed for a SYSCONFDIR in
    tmp_path, run as systemd runs it."""
    etc = tmp_path / "etc"
    install(tmp_path / "root", SYSCONFDIR=str(etc), SYSTEMD_GENERATORDIR="/gen")
    gen = str(tmp_path / "root" / "gen" / "vale-topology-generator")
    (etc / "vale").mkdir(parents=True)
    topo = etc / "vale" / "topology.toml"

    def run(text):
        if text is None:
            topo.unlink(missing_ok=True)
        else:
            topo.write_text(text)
        out = tmp_path / "normal"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        r = subprocess.run([gen, str(out), str(tmp_path / "early"), str(tmp_path / "late")],
                           capture_output=True, text=True, env={})
        dropin = out / "vale-topology.service.d" / "50-devices.conf"
        return r.returncode, r.stderr, dropin.read_text() if dropin.exists() else None
    return run


def deps(dropin):
    """The (Wants, After) units of a drop-in."""
    lines = dropin.splitlines()
    assert "[Unit]" in lines
    return ([ln[6:] for ln in lines if ln.startswith("Wants=")],
            [ln[6:] for ln in lines if ln.startswith("After=")])


MIXED = """
interface.vi0 = {}
interface.vi1 = {}
[switch.vale0]
ports = ["vi0", "eth0", "eth0^", "vt-nic0"]
[switch.vale1]
ports = ["vi1", "wan.7"]
[switch.vale2]
"""


def test_generator_waits_for_each_nic_once(generator):
    status, err, dropin = generator(MIXED)
    assert (status, err) == (0, "")
    units = ["sys-subsystem-net-devices-eth0.device",
             "sys-subsystem-net-devices-vt\\x2dnic0.device",
             "sys-subsystem-net-devices-wan.7.device"]
    assert deps(dropin) == (units, units)


def test_generator_takes_the_nics_that_python3_m_vale_takes(generator):
    # The generator reads the file with the standard library only: its NICs
    # must be the ports that vale.topology attaches as NICs.
    topo = topology.loads(MIXED)
    nics = []
    for sw in topo.switches.values():
        for p in sw.ports:
            kind = topo.port_kind(p)
            name = p[:-1] if kind == "host" else p
            if kind != "virtual" and name not in nics:
                nics.append(name)
    _, _, dropin = generator(MIXED)
    wants = [u[len("sys-subsystem-net-devices-"):-len(".device")] for u in deps(dropin)[0]]
    assert [w.replace("\\x2d", "-") for w in wants] == nics


@pytest.mark.skipif(shutil.which("systemd-escape") is None, reason="no systemd-escape here")
def test_generator_names_device_units_as_systemd_does(generator):
    names = ["e-1", "x.y", "_a:b", "w@1", "p+q", "\u00e9t", "a\\b", "per%c", "t~"]
    toml = "[switch.vale0]\nports = [%s]\n" % ", ".join(json.dumps(n) for n in names)
    status, err, dropin = generator(toml)
    assert (status, err) == (0, "")
    want = subprocess.run(["systemd-escape", "--path", "--suffix=device"]
                          + ["/sys/subsystem/net/devices/" + n for n in names],
                          capture_output=True, text=True, check=True).stdout.split()
    assert deps(dropin)[0] == want


def test_generator_without_the_file_or_nics_writes_nothing(generator):
    assert generator(None) == (0, "", None)
    assert generator("interface.vi0 = {}\nswitch.vale0 = { ports = ['vi0'] }\n") == (0, "", None)


def test_generator_on_a_bad_file_says_so_and_writes_nothing(generator):
    status, err, dropin = generator("[switch.vale0\nports = [\n")
    assert status == 1
    assert "topology.toml" in err and "no NIC waited for" in err
    assert dropin is None


# -- the unit at boot, in the VM --------------------------------------------------

TOPOLOGY = """\
# tests/host/test_boot_unit.py: vt-nic0 and vt-nic1 (a veth pair) are made
# by vale-boot-nic.service, 10 s into the boot.
interface.vbi0 = {}

[switch.valeboot0]
ports = ["vbi0", "vt-nic0"]

[switch.valeboot1]
ports = ["vt-nic1", "vt-nic1^"]
"""

# The NICs come late, from a unit that nothing orders against
# vale-topology.service: only the generator's drop-in holds it back.
NIC_UNIT = """\
[Unit]
Description=The boot test's NICs, made late (tests/host/test_boot_unit.py)

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/bin/sleep 10
ExecStart=/sbin/ip link add vt-nic0 type veth peer name vt-nic1
"""

# The harness's command waits for the unit under test.
COMMAND_DROPIN = """\
[Unit]
After=vale-topology.service
"""

def stage_root(root):
    """The files the guest boots with, as a machine would have them after
    make install-systemd and install-python, writing the topology, and
    systemctl enable (into the harness's boot target, vale-vm.target, for
    multi-user.target)."""
    files = install(root)
    unit = [p for p in files if p.endswith("/vale-topology.service")][0]
    (root / "etc" / "vale" / "topology.toml").write_text(TOPOLOGY)
    # The vale command and its package, as make install puts them.
    (root / "usr" / "local" / "bin").mkdir(parents=True)
    subprocess.run(["make", "-s", "-C", TOP, "--no-print-directory", "install-python",
                    f"DESTDIR={root}", f"PYTHON={PYTHON}"], check=True, capture_output=True)
    system = root / "etc" / "systemd" / "system"
    (system / "vale-vm.target.wants").mkdir(parents=True)
    (system / "vale-boot-nic.service").write_text(NIC_UNIT)
    (system / "vale-vm-command.service.d").mkdir()
    (system / "vale-vm-command.service.d" / "after.conf").write_text(COMMAND_DROPIN)
    for u, target in (("vale-topology.service", "/" + unit),
                      ("vale-boot-nic.service", "/etc/systemd/system/vale-boot-nic.service")):
        os.symlink(target, system / "vale-vm.target.wants" / u)


def usec(props, name):
    return int(props[name])


@pytest.fixture(scope="module")
def booted(tmp_path_factory):
    """What the guest saw (boot_unit_guest.py's JSON), and the run's stdout."""
    if not os.path.isfile(os.path.join(VM_IMAGE, ".complete")):
        pytest.skip("no VM kernel in build/vm: make deps")
    tmp = tmp_path_factory.mktemp("boot-unit")
    root = tmp / "root"
    stage_root(root)
    os.makedirs(os.path.join(TOP, "build"), exist_ok=True)
    result = os.path.join(TOP, "build", "boot-unit-result.json")
    if os.path.exists(result):
        os.unlink(result)
    r = subprocess.run([RUN, "--systemd", "--root-files", str(root), "--timeout", "900", "--",
                        PYTHON, "tests/host/boot_unit_guest.py", result],
                       capture_output=True, text=True, timeout=1000, cwd=TOP)
    assert r.returncode == 0, "guest failed:\n%s\n%s" % (r.stdout, r.stderr)
    with open(result) as f:
        return json.load(f), r.stdout


def test_boot_applies_the_topology_once_its_nics_exist(booted):
    res, _ = booted
    t = res["topology"]
    assert (t["ActiveState"], t["Result"], t["ExecMainStatus"]) == ("active", "success", "0"), \
        res["journal"]
    assert res["vale_loaded"]
    sw = {s["name"]: s for s in res["live_boot"]["json"]["switches"]}
    ports = {(p["switch"], p["name"]): p["kind"] for p in res["live_boot"]["json"]["ports"]}
    assert {"valeboot0", "valeboot1"} <= set(sw)
    assert ports[("valeboot0", "vbi0")] == "virtual"
    assert ports[("valeboot0", "vt-nic0")] == "nic"
    assert ports[("valeboot1", "vt-nic1")] == "nic"
    assert ports[("valeboot1", "vt-nic1^")] == "host"
    # what vale apply printed, in the unit's journal
    assert "/etc/vale/topology.toml: " in res["journal"]["out"], res["journal"]


def test_the_apply_waited_for_the_device_not_for_the_nic_unit(booted):
    res, _ = booted
    dev = "sys-subsystem-net-devices-vt\\x2dnic0.device"
    t, d, nic = res["topology"], res["device"], res["nic"]
    # The generator's drop-in is what orders the unit after the device.
    assert "Wants=%s\n" % dev in res["dropin"] and "After=%s\n" % dev in res["dropin"]
    assert "/run/systemd/generator/vale-topology.service.d/50-devices.conf" in t["DropInPaths"]
    after = shlex.split(t["After"])     # (names with a "\\" come quoted)
    assert dev in after and dev in shlex.split(t["Wants"])
    assert "vale-boot-nic.service" not in after
    # The NIC came at the end of its unit, 10 s after basic.target, when
    # the unit could have started (nothing else orders the two); it started
    # once the device was there.
    assert d["ActiveState"] == "active"
    assert nic["Result"] == "success"
    assert usec(d, "ActiveEnterTimestampMonotonic") >= \
        usec(res["basic"], "ActiveEnterTimestampMonotonic") + 10 * 10**6
    assert usec(t, "ExecMainStartTimestampMonotonic") >= usec(d, "ActiveEnterTimestampMonotonic")
    assert usec(t, "ExecMainStartTimestampMonotonic") >= usec(nic, "ExecMainExitTimestampMonotonic")


def test_the_unit_passes_systemd_analyze_verify(booted):
    res, _ = booted
    v = res["verify"]
    assert v["status"] == 0, v["out"] + v["err"]
    assert "vale-topology" not in v["err"], v["err"]


def test_stop_takes_the_topology_down_and_leaves_the_nics(booted):
    res, _ = booted
    assert res["stop"]["status"] == 0, res["stop"]["err"]
    assert res["topology_stop"]["ActiveState"] == "inactive"
    live = res["live_stop"]["json"]
    assert not [s for s in live["switches"] if s["name"].startswith("valeboot")]
    assert not [p for p in live["ports"] if p["name"] in ("vbi0", "vt-nic0", "vt-nic1")]
    assert "vbi0" not in [i["name"] for i in live["interfaces"]]
    assert res["nic_after_stop"]["status"] == 0
    assert "vt-nic0" in res["nic_after_stop"]["out"]


def test_without_the_file_the_unit_does_nothing(booted):
    res, _ = booted
    assert res["nofile"]["status"] == 0, res["nofile"]["err"]
    t = res["topology_nofile"]
    assert (t["ActiveState"], t["ConditionResult"]) == ("inactive", "no")
    assert not [s for s in res["live_nofile"]["json"]["switches"]
                if s["name"].startswith("valeboot")]


def test_the_generator_says_in_the_journal_what_is_wrong_with_the_file(booted):
    res, _ = booted
    assert res["reload"]["status"] == 0, res["reload"]["err"]
    j = res["journal_generator"]
    assert "/etc/vale/topology.toml" in j["out"] and "no NIC waited for" in j["out"], j
