"""What a command costs before it does anything: the modules `import
vale` loads (no netlink library: pyctl speaks netlink itself; the
topology format and the planner only when asked for), the generic netlink
family resolved by pyctl's own socket, and --version."""
import errno
import os
import subprocess
import sys
import tomllib

import pytest

import vale
from vale import netlink
from vale.cli import main

PYCTL = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def modules_after(code):
    """The names in sys.modules after running code in a new interpreter
    (this tree's package first on the path)."""
    r = subprocess.run([sys.executable, "-c", code + "\nimport sys\nprint(' '.join(sys.modules))"],
                       env=dict(os.environ, PYTHONPATH=PYCTL), capture_output=True, text=True,
                       check=True)
    return set(r.stdout.split())


def test_import_vale_loads_no_netlink_library_nor_the_topology_format():
    mods = modules_after("import vale")
    assert "vale.control" in mods and "vale.netlink" in mods
    assert not {m for m in mods if m.split(".")[0] == "pyroute2"}
    assert not {"vale.plan", "vale.plan_lookup", "vale.topology", "tomllib"} & mods


def test_the_command_and_the_whole_api_load_no_netlink_library():
    mods = modules_after("import vale.cli\nfrom vale import *")
    assert {"vale.cli", "vale.plan", "vale.topology"} <= mods
    assert not {m for m in mods if m.split(".")[0] == "pyroute2"}
    assert "importlib.metadata" not in mods     # what pyroute2's import scanned


def test_lazy_names_are_the_modules_own():
    from vale import plan, topology
    assert vale.plan_apply is plan.plan_apply and vale.Live is plan.Live
    assert vale.Topology is topology.Topology and vale.loads is topology.loads
    assert set(vale.__all__) <= set(dir(vale))
    with pytest.raises(AttributeError):
        vale.no_such_name   # noqa: B018


def test_version_is_the_projects(capsys):
    with open(os.path.join(PYCTL, "pyproject.toml"), "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert vale.__version__ == version

    def no_kernel():
        raise AssertionError("--version connected to the kernel")

    with pytest.raises(SystemExit) as ei:
        main(["--version"], connect=no_kernel)
    assert ei.value.code == 0
    out, err = capsys.readouterr()
    assert out == 'vale %s (generic netlink family "vale" version 1)\n' % version
    assert err == ""
    r = subprocess.run([sys.executable, "-m", "vale", "--version"], capture_output=True, text=True,
                       env=dict(os.environ, PYTHONPATH=PYCTL))
    assert (r.returncode, r.stdout, r.stderr) == (0, out, "")


# -- the socket, on this machine's kernel: its generic netlink controller
# ("nlctrl") is a family that is always there

def test_family_resolved_and_group_joined_by_pyctls_own_socket():
    s = netlink.Socket(groups=("notify",), family="nlctrl")
    try:
        assert s.family == netlink.GENL_ID_CTRL
        assert s.mcast_groups["notify"] > 0
        # a dump through the same reader: every family the kernel has, nlctrl among them
        families = [{a.name: a.value for a in m["attrs"]}
                    for m in s.dump(netlink.CTRL_CMD_GETFAMILY, msg_class=netlink.ctrlmsg)]
        names = {f["CTRL_ATTR_FAMILY_NAME"]: f["CTRL_ATTR_FAMILY_ID"] for f in families}
        assert names["nlctrl"] == netlink.GENL_ID_CTRL
        assert len(names) > 1
    finally:
        s.close()


def test_unknown_family_and_group_are_refused():
    with pytest.raises(vale.ValeError) as ei:
        netlink.Socket(family="no-such-fam")
    assert ei.value.errno == errno.ENOENT
    assert str(ei.value).startswith("generic netlink family 'no-such-fam' not found")
    with pytest.raises(vale.ValeError) as ei:
        netlink.Socket(groups=("no-such-group",), family="nlctrl")
    assert ei.value.errno == errno.ENOENT and "no-such-group" in str(ei.value)


def test_controller_reply_decoded():
    # CTRL_ATTR_FAMILY_ID (u16), CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS:
    # a nest per group, of its name and id
    from vale import tlv
    groups = tlv.nest(7, tlv.nest(1, tlv.attr(1, b"events\0"), tlv.u32(2, 9)),
                      tlv.nest(2, tlv.attr(1, b"other\0"), tlv.u32(2, 10)))
    body = bytes([1, 2, 0, 0]) + tlv.u16(1, 0x21) + tlv.attr(2, b"vale\0") + groups
    data = netlink.struct.pack("IHHII", 16 + len(body), 0x10, 0, 1, 0) + body
    m = netlink.ctrlmsg(data).decode()
    a = {x.name: x.value for x in m["attrs"]}
    assert (m["cmd"], a["CTRL_ATTR_FAMILY_ID"], a["CTRL_ATTR_FAMILY_NAME"]) == (1, 0x21, "vale")
    assert netlink._mcast_groups(a["CTRL_ATTR_MCAST_GROUPS"]) == {"events": 9, "other": 10}
