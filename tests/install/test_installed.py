"""make install on a host that has none of the project: the files land
where the system looks for them, and from there the kernel modules load on
demand, by their aliases, as they would on a user's machine (issue 14)."""
import os

import pytest

from conftest import TOP, loaded, run

KVER = os.uname().release
UPDATES = f"/lib/modules/{KVER}/updates/vale"
with open(os.path.join(TOP, "VERSION")) as _f:
    VERSION = _f.read().strip()


@pytest.fixture(scope="module", autouse=True)
def installed():
    assert "vale" not in loaded(), "the guest must start with no vale module"
    r = run("make", "-C", TOP, "--no-print-directory", "install", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"the kernel modules for Linux {KVER}" in r.stdout
    yield r.stdout


def test_modules_are_in_the_kernels_tree_and_indexed():
    assert sorted(os.listdir(UPDATES)) == ["vale.ko", "vale_lookup_l3.ko", "vale_lookup_of.ko"]
    with open(f"/lib/modules/{KVER}/modules.alias") as f:
        aliases = f.read()
    # depmod ran: the lookup modules' aliases and the core's genl family.
    assert "alias vale-lookup-l3 vale_lookup_l3" in aliases
    assert "alias vale-lookup-of vale_lookup_of" in aliases
    assert "alias net-pf-16-proto-16-family-vale vale" in aliases
    assert run("modinfo", "-F", "version", "vale").stdout.strip() == VERSION
    assert run("modinfo", "-n", "vale").stdout.strip() == f"{UPDATES}/vale.ko"


def test_installed_programs_report_the_release():
    for prog in ("valectl", "pkt-gen"):
        r = run(prog, "--version")
        assert r.stdout.startswith(f"{prog} {VERSION}"), r.stdout
        assert os.path.dirname(run("sh", "-c", f"command -v {prog}").stdout.strip()) == "/usr/local/bin"
    assert os.path.isfile("/usr/local/share/man/man8/valectl.8")
    with open("/lib/systemd/system/vale-topology.service") as f:
        assert "ExecStart=/usr/local/bin/vale apply /etc/vale/topology.toml" in f.read()


def test_installed_vale_command_loads_what_a_topology_needs(tmp_path):
    """pyctl's command, installed: its first request loads the core, and a
    topology naming a lookup module nobody loaded passes apply's checks
    (modprobe knows its alias) and gets it loaded."""
    assert run("vale", "--version").stdout.startswith(f"vale {VERSION} ")
    assert not {"vale", "vale_lookup_of"} & loaded()
    topo = tmp_path / "topo.toml"
    topo.write_text('interface.vpy0 = {}\nswitch.valepy = { lookup = "of", ports = ["vpy0"] }\n')
    r = run("vale", "apply", str(topo), check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert {"vale", "vale_lookup_of"} <= loaded()
    assert "valepy" in run("valectl", "switch", "show").stdout
    r = run("vale", "down", str(topo), check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    # Back to nothing loaded, for the tests below.
    run("rmmod", "vale_lookup_of")
    run("rmmod", "vale")


def test_first_valectl_request_loads_the_core():
    assert "vale" not in loaded()
    r = run("valectl", "switch", "add", "vale0", check=False)
    assert r.returncode == 0, r.stderr
    assert "vale" in loaded()
    assert "vale0" in run("valectl", "switch", "show").stdout


@pytest.mark.parametrize("lookup,module", [("l3", "vale_lookup_l3"), ("of", "vale_lookup_of")])
def test_lookup_set_loads_the_module_by_its_alias(lookup, module):
    assert module not in loaded()
    r = run("valectl", "lookup", "set", "vale0", lookup, check=False)
    assert r.returncode == 0, r.stderr
    assert module in loaded()
    show = run("valectl", "-j", "switch", "show", "vale0").stdout
    assert f'"lookup":"{lookup}"' in show.replace(" ", ""), show


def test_a_lookup_module_nobody_installed_is_a_clear_error():
    r = run("valectl", "lookup", "set", "vale0", "nosuch", check=False)
    assert r.returncode != 0
    assert "nosuch" in r.stderr and "not found" in r.stderr, r.stderr


def test_veth_autoloads_in_this_guest():
    assert "veth" not in loaded()
    run("ip", "link", "add", "ia0", "type", "veth", "peer", "name", "ia1")
    assert "veth" in loaded()
    run("valectl", "port", "attach", "vale0", "ia0")
    assert "ia0" in run("valectl", "port", "show", "vale0").stdout
    run("valectl", "port", "detach", "vale0", "ia0")
    run("ip", "link", "del", "ia0")


def test_uninstall_removes_what_install_put():
    run("valectl", "switch", "del", "vale0")
    for m in ("vale_lookup_of", "vale_lookup_l3", "vale"):
        run("rmmod", m)
    r = run("make", "-C", TOP, "--no-print-directory", "uninstall", check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert not os.path.exists(UPDATES)
    assert run("modprobe", "-n", "vale", check=False).returncode != 0
    for f in ("bin/valectl", "bin/pkt-gen", "bin/vale", "share/man/man8/valectl.8",
              "include/vale/lookup.h", "lib/pkgconfig/vale-module.pc"):
        assert not os.path.exists(f"/usr/local/{f}"), f
