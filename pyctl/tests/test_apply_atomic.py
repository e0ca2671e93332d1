"""apply is all or nothing (issue 14): on the kernel model, a file apply
cannot make is refused whole, every problem said and nothing changed; a
refusal at any step of a run is undone, the kernel's whole state
(switches, their modules, settings and objects, ports by number,
interfaces) as it was before."""
import pytest

from fakekernel import FakeVale
from test_cli import run


FILE = """\
[switch.vale0]
lookup = "hello"
config = { mask = 3 }
ports = ["vi1", "vi2", "eth0"]

[switch.vale5]
lookup = "l3"
ports = ["vi0"]
router = { vi0 = { mac = "02:00:00:00:05:00", addrs = ["10.5.0.1"] } }

[switch.vale7]
lookup = "l3"
ports = ["vi7"]
router = { vi7 = { mac = "02:00:00:00:07:00", addrs = ["10.7.0.1"] } }
routes = [{ prefix = "10.70.0.0/16", port = "vi7", via = "10.7.0.2" }]
neighbours = [{ addr = "10.7.0.2", lladdr = "02:00:00:00:07:02", port = "vi7" }]

[interface.vi0]
[interface.vi1]
tx_slots = 512
[interface.vi2]
[interface.vi5]
[interface.vi7]
"""


def live_kernel():
    """Switches carrying traffic, of every kind the file changes: vale0
    (learn, ageing 100: its module, settings and ports change; a NIC with
    its host stack, an ephemeral port), vale5 (made by attaching: it goes
    when its port moves, and comes back), vale7 (a router whose routes
    change), vale9 and vi8 on vale8 (pruned)."""
    k = FakeVale(lookups=("learn", "l3", "hello"))
    for name, geo in (("vi0", {}), ("vi1", {"tx_slots": 256}), ("vi5", {}), ("vi7", {}),
                      ("vi8", {})):
        k.add_if(name, **geo)
    k.add_switch("vale0")
    k.configure("vale0", {"ageing": 100})
    for port in ("vi0", "vi1"):
        k.attach("vale0", port)
    k.attach("vale0", "eth0", host=True)
    k.open_ephemeral("vale0", "p0")
    k.attach("vale5", "vi5")
    k.set_lookup("vale5", "l3")
    k.set_router_port("vale5", "vi5", "02:00:00:00:05:05")
    k.add_router_addr("vale5", "vi5", "10.5.5.1")
    k.add_switch("vale7", "l3")
    k.attach("vale7", "vi7")
    k.set_router_port("vale7", "vi7", "02:00:00:00:07:00")
    k.add_router_addr("vale7", "vi7", "10.7.0.1")
    k.add_neigh("vale7", "10.7.0.3", "02:00:00:00:07:03", "vi7")
    k.add_route("vale7", "10.71.0.0/16", "vi7", "10.7.0.3")
    k.add_switch("vale9", "l3")
    k.attach("vale8", "vi8")
    k.calls.clear()
    return k


def write(tmp_path, text=FILE):
    """A topology file with text: its path."""
    path = tmp_path / "topo.toml"
    path.write_text(text)
    return str(path)


@pytest.fixture
def topo(tmp_path):
    return write(tmp_path)


def apply(kernel, capsys, *argv):
    return run(kernel, capsys, "apply", *argv)


def test_the_file_applies_whole(topo, capsys):
    k = live_kernel()
    status, out, err = apply(k, capsys, "--prune", topo)
    assert (status, err) == (0, "")
    made = out.splitlines()
    assert made[-1] == "%s: %d changes made" % (topo, len(made) - 1)
    # every kind of change is in this run
    assert {w.split()[0] + " " + w.split()[1] for w in made[:-1]} >= {
        "port detach", "port attach", "if del", "if add", "switch del", "switch add",
        "lookup set", "lookup config", "route del", "route add", "neigh del", "neigh add"}
    assert apply(k, capsys, "--prune", topo)[1] == "%s: no change, the kernel matches it\n" % topo


def test_a_refusal_at_each_step_leaves_the_kernel_as_before(topo, capsys):
    steps = len(apply(live_kernel(), capsys, "--prune", topo)[1].splitlines()) - 1
    assert steps >= 20
    for k_th in range(1, steps + 1):
        k = live_kernel()
        before = k.state()
        k.refuse(k_th)
        status, out, err = apply(k, capsys, "--prune", topo)
        lines = err.splitlines()
        assert status == 1, (k_th, err)
        assert "refused by the test (ENOSPC)" in lines[0]
        assert "stopped after %d change%s of %d" % (k_th - 1, "" if k_th == 2 else "s", steps) \
            in err or k_th == 1
        assert lines[-1] == "vale: %s: %s" % (topo, "undone: the kernel is as it was before"
                                              if k_th > 1 else
                                              "stopped before any change: nothing changed")
        assert k.state() == before, k_th
        # what was made is undone, and each undo step is said
        made = [w for w in out.splitlines() if not w.startswith("undo: ")]
        assert len(made) == k_th - 1
        assert ("undo: " in out) == (k_th > 1)


def test_undoing_says_what_it_could_not_put_back(topo, capsys):
    k = live_kernel()
    before = k.state()
    steps = len(apply(live_kernel(), capsys, "--prune", topo)[1].splitlines()) - 1
    k.refuse(steps, steps + 1)          # the last change, and the first undo step
    status, out, err = apply(k, capsys, "--prune", topo)
    assert status == 3
    assert "vale: undo refused: " in err
    assert "not as before: " in err
    assert err.splitlines()[-1] == ("vale: %s: undoing was incomplete: the kernel is not as it "
                                    "was before (see above)" % topo)
    assert k.state() != before


def test_a_port_that_cannot_get_its_number_back_is_reported(tmp_path, capsys):
    k = FakeVale()
    for name in ("vi0", "vi1"):
        k.add_if(name)
    k.add_switch("vale0")
    k.attach("vale0", "vi0")
    k.attach("vale0", "vi1")
    k.detach("vale0", "vi0")            # number 0 is free, vi1 is number 1
    p = write(tmp_path, '[switch.vale0]\nports = ["vi2"]\n[interface.vi2]\n')
    k.refuse(3)                         # detach vi1, if add vi2, [attach vi2]
    status, out, err = apply(k, capsys, str(p))
    assert status == 3
    assert "vale: %s: not as before: port vale0:vi1 is number 0 (was 1)" % p in err.splitlines()
    assert sorted(k.switches_["vale0"].ports.values()) == [("vi1", "virtual")]
    assert set(k.ifs) == {"vi0", "vi1"}


def test_settings_the_kernel_does_not_report_are_said_unknown(tmp_path, capsys):
    k = FakeVale(lookups=("learn", "hello"), report_config=False)
    k.add_switch("vale0")
    k.configure("vale0", {"ageing": 60})
    p = write(tmp_path, '[switch.vale0]\nlookup = "hello"\nconfig = { mask = 3 }\n'
              'ports = ["vi0"]\n[interface.vi0]\n')
    k.refuse(4)         # if add, lookup set, lookup config, [port attach]
    status, out, err = apply(k, capsys, str(p))
    assert status == 3
    assert ("vale: %s: not as before: switch vale0: the kernel does not report its lookup "
            "module's settings, so they may differ from before" % p) in err.splitlines()
    assert "undo: lookup set vale0 learn" in out.splitlines()
    assert k.switches_["vale0"].lookup == "learn" and k.ifs == {}


def test_down_is_undone_too(topo, capsys):
    k = live_kernel()
    before = k.state()
    k.refuse(4)
    status, out, err = run(k, capsys, "down", topo)
    assert status == 1 and err.splitlines()[-1].endswith("undone: the kernel is as it was before")
    assert k.state() == before


# -- refused before any change ----------------------------------------------------

def problems(err, path):
    """The problems said, without the file's name; and the last line."""
    lines = err.splitlines()
    return [ln[len("vale: %s: " % path):] for ln in lines[:-1]], lines[-1]


def refused_whole(k, capsys, path, *argv):
    before, mutations = k.state(), k.mutations
    status, out, err = apply(k, capsys, path, *argv)
    assert (status, out) == (2, "")
    assert k.mutations == mutations and k.state() == before
    return problems(err, path)


LONG = "vale" + "x" * 55     # a switch name the kernel takes, too long with ":eth0"


def test_every_problem_is_said_and_nothing_changes(tmp_path, capsys):
    k = live_kernel()
    k.netdevs |= {"eth1", "eth2"}
    k.taken["eth1"] = ("bridge", "br0")
    k.taken["eth2"] = ("bond", "bond0")
    p = write(tmp_path, """\
[switch.vale0]
ports = ["vi0", "eth9", "eth1", "eth2", "lo"]
[switch.vale1]
lookup = "nosuch"
ports = ["vi1"]
[switch.valexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]
ports = ["eth0"]
[switch.vale3]
lookup = "hello"
config = { mask = 300 }
[interface.vi0]
tx_slots = 5000
rx_rings = 17
""")
    said, last = refused_whole(k, capsys, str(p))
    assert said == [
        'switch.vale1.lookup: no lookup module "nosuch": none is registered, and modprobe '
        'knows no "vale-lookup-nosuch" to load',
        "switch.vale3.config.mask: lookup module \"hello\": mask: 300 is out of range 0..255",
        "interface.vi0.rx_rings: 17 is out of the kernel's range 1..16",
        "interface.vi0.tx_slots: 5000 is out of the kernel's range 2..4080",
        'switch.vale0.ports[1]: no network interface "eth9" in this network namespace (a port '
        'not declared under [interface] is taken for a NIC)',
        'switch.vale0.ports[2]: "eth1" cannot be attached: a port of Linux bridge br0',
        'switch.vale0.ports[3]: "eth2" cannot be attached: enslaved to bond bond0',
        'switch.vale0.ports[4]: "lo" cannot be attached: the loopback interface cannot be '
        'a port',
        'switch.%s.ports[0]: "%s:eth0" is longer than the kernel\'s 63 bytes for a switch '
        'and port name together' % (LONG, LONG)]
    assert last == "vale: %s: 9 problems: nothing changed" % p


def test_dry_run_says_the_same_problems_and_the_plan(tmp_path, capsys):
    k = live_kernel()
    p = write(tmp_path, '[switch.vale0]\nports = ["vi0", "eth9"]\n[interface.vi0]\n')
    before = k.state()
    status, out, err = apply(k, capsys, "--dry-run", str(p))
    assert status == 2
    assert "port attach vale0 eth9\n" in out and "(dry run: nothing done)" in out
    said, last = problems(err, p)
    assert said == ['switch.vale0.ports[1]: no network interface "eth9" in this network '
                    'namespace (a port not declared under [interface] is taken for a NIC)']
    assert last == "vale: %s: 1 problem: apply would change nothing" % p
    assert k.state() == before


def test_a_module_modprobe_can_load_is_no_problem(tmp_path, capsys):
    k = FakeVale()
    k.loadable.add("hello")
    p = write(tmp_path, '[switch.vale0]\nlookup = "hello"\nconfig = { mask = 3 }\n')
    status, out, err = apply(k, capsys, str(p))
    assert (status, err) == (0, "")
    assert k.switch("vale0").lookup == "hello" and k.switch("vale0").config == {"mask": 3}


def test_too_many_ports_on_a_switch(tmp_path, capsys):
    k = FakeVale()
    for i in range(250):
        k.open_ephemeral("vale0", "e%d" % i)
    p = write(tmp_path, '[switch.vale0]\nports = ["vi0", "vi1", "vi2", "eth0", "eth0^"]\n'
              '[interface.vi0]\n[interface.vi1]\n[interface.vi2]\n')
    said, last = refused_whole(k, capsys, str(p))
    assert said == ["switch.vale0.ports: 255 ports at once on vale0 (its ephemeral ports and "
                    "a NIC's host stack count too): a switch takes 254"]
    # one fewer fits
    p = write(tmp_path, '[switch.vale0]\nports = ["vi0", "vi1", "eth0", "eth0^"]\n'
              '[interface.vi0]\n[interface.vi1]\n')
    assert apply(k, capsys, str(p))[0] == 0
    assert len(k.switches_["vale0"].ports) == 254


def test_too_many_switches(tmp_path, capsys):
    k = FakeVale()
    for i in range(63):
        k.open_ephemeral("vale%d" % i, "p")
    p = write(tmp_path, "[switch.valex]\n[switch.valey]\n")
    said, last = refused_whole(k, capsys, str(p))
    assert said == ["the plan needs 65 switches at once; the kernel has room for 64 (in all "
                    "network namespaces together)"]
