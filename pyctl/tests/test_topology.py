"""Topology files: parsing, every kind of error with its location, and
writing them back (dumps -> loads is the identity)."""
import random

import pytest

from fakekernel import SCHEMAS

from vale import topology
from vale.errors import TopologyError
from vale.objects import Interface, Port, Switch
from vale.plan import Live
from vale.topology import InterfaceSpec, SwitchSpec, Topology

FULL = """
[switch.vale0]
lookup = "learn"
ports = ["vi0", "eth1"]
config = { ageing = 300 }

[switch."vale1.x"]
ports = ["vi1"]

[interface.vi0]
tx_rings = 2
rx_slots = 512

[interface.vi1]
"""


def test_parse_full_file():
    t = topology.loads(FULL)
    assert list(t.switches) == ["vale0", "vale1.x"]
    assert t.switches["vale0"] == SwitchSpec("vale0", "learn", {"ageing": 300}, ["vi0", "eth1"])
    assert t.switches["vale1.x"] == SwitchSpec("vale1.x", None, {}, ["vi1"])
    assert t.interfaces["vi0"] == InterfaceSpec("vi0", tx_rings=2, rx_slots=512)
    assert t.interfaces["vi1"] == InterfaceSpec("vi1")
    assert t.port_kind("vi0") == "virtual" and t.port_kind("eth1") == "nic"
    assert t.switch_of("eth1") == "vale0" and t.switch_of("nope") is None


def test_parse_three_line_form():
    t = topology.loads('interface.vi0 = {}\ninterface.vi1 = {}\n'
                       'switch.vale0 = { ports = ["vi0", "vi1"] }\n')
    assert t.switches["vale0"].ports == ["vi0", "vi1"]
    assert set(t.interfaces) == {"vi0", "vi1"}


def test_empty_file_is_an_empty_topology():
    assert topology.loads("") == Topology()


@pytest.mark.parametrize("text, where, what", [
    ("switch = 1", "switch", "expected a table"),
    ("[bridge.vale0]", "bridge", "unknown key"),
    ("[switch.br0]", "switch.br0", "a switch name is"),
    ("[switch.vale0]\nport = []", "switch.vale0.port", "unknown key (known: config, flows, lookup, neighbours, ports, router, routes)"),
    ("[switch.vale0]\nports = \"vi0\"", "switch.vale0.ports", "expected a list"),
    ("[switch.vale0]\nports = [1]", "switch.vale0.ports[0]", "expected an interface name"),
    ("[switch.vale0]\nports = [\"a\", \"a\"]", "switch.vale0.ports[1]", "listed twice"),
    ("[switch.vale0]\nports = [\"x234567890123456\"]", "switch.vale0.ports[0]", "longer than 15"),
    ("[switch.vale0]\nports = [\"a:b\"]", "switch.vale0.ports[0]", "no interface name"),
    ("[switch.vale0]\nports = [\"vale1\"]", "switch.vale0.ports[0]", "taken for a switch"),
    ("[switch.vale0]\nports = [\"a\"]\n[switch.vale1]\nports = [\"a\"]",
     "switch.vale1.ports[0]", "already a port of vale0"),
    ("[switch.vale0]\nlookup = 3", "switch.vale0.lookup", "expected a lookup module name"),
    ("[switch.vale0]\nconfig = { ageing = 3 }", "switch.vale0.config", "needs the lookup module"),
    ("[switch.vale0]\nlookup = \"learn\"\nconfig = { ageing = 1.5 }",
     "switch.vale0.config.ageing", "expected an integer, a string or true/false, not float"),
    ("[switch.vale0]\nlookup = \"learn\"\n[switch.vale0.config]\nageing = [1]",
     "switch.vale0.config.ageing", "not list"),
    ("[switch.vale0]\nports = [\"eth0^\"]", "switch.vale0.ports[0]",
     "the host stack of NIC \"eth0\": list \"eth0\" too"),
    ("[switch.vale0]\nports = [\"eth0^\"]\n[switch.vale1]\nports = [\"eth0\"]",
     "switch.vale0.ports[0]", "list \"eth0\" too"),
    ("[switch.vale0]\nports = [\"vi0\", \"vi0^\"]\n[interface.vi0]", "switch.vale0.ports[1]",
     "\"vi0\" is a persistent interface: it has no host stack"),
    ("[switch.vale0]\nports = [\"x234567890123456^\"]", "switch.vale0.ports[0]", "longer than 15"),
    ("[interface.vi0]\ntx_ring = 1", "interface.vi0.tx_ring", "unknown key"),
    ("[interface.vi0]\ntx_rings = true", "interface.vi0.tx_rings", "expected an integer"),
    ("[interface.vi0]\ntx_rings = 0", "interface.vi0.tx_rings", "out of range"),
    ("[interface.vi0]\ntx_slots = 4294967296", "interface.vi0.tx_slots", "out of range"),
    ("interface.vi0 = 3", "interface.vi0", "expected a table"),
    ("[switch.vale%s]" % ("x" * 60), "switch.vale" + "x" * 60, "longer than 63"),
])
def test_errors_say_where(text, where, what):
    with pytest.raises(TopologyError) as ei:
        topology.loads(text, "t.toml")
    assert ei.value.where == "t.toml: " + where
    assert what in ei.value.message
    assert str(ei.value).startswith("t.toml: " + where + ": ")


@pytest.mark.parametrize("text, where, what", [
    ('lookup = "l3"\nconfig = { x = 3 }', "switch.vale0.config.x",
     'lookup module "l3": no setting "x" (its settings: none)'),
    ('lookup = "learn"\nconfig = { ageng = 3 }', "switch.vale0.config.ageng",
     'lookup module "learn": no setting "ageng" (its settings: ageing)'),
    ('lookup = "learn"\nconfig = { flush = true }', "switch.vale0.config.flush",
     '"flush" is no setting, but an action'),
    ('lookup = "learn"\nconfig = { ageing = 0 }', "switch.vale0.config.ageing",
     "ageing: 0 is out of range 1..1000000"),
    ('lookup = "learn"\nconfig = { ageing = "soon" }', "switch.vale0.config.ageing",
     "expected an integer"),
    ('lookup = "hello"\n[switch.vale0.config]\nmask = 256', "switch.vale0.config.mask",
     "out of range 0..255"),
])
def test_config_checked_against_the_modules_schema(text, where, what):
    t = topology.loads("[switch.vale0]\n" + text, "t.toml")
    with pytest.raises(TopologyError) as ei:
        topology.check_config(t, SCHEMAS, source="t.toml")
    assert ei.value.where == "t.toml: " + where
    assert what in ei.value.message, ei.value.message


def test_config_made_canonical_and_unloaded_modules_noted():
    t = topology.loads('[switch.vale0]\nlookup = "hello"\nconfig = { mask = "0x0f" }\n'
                       '[switch.vale1]\nlookup = "learn"\n[switch.vale1.config]\nageing = 60\n'
                       '[switch.vale2]\nlookup = "custom"\nconfig = { knob = "x" }\n')
    notes = topology.check_config(t, {**SCHEMAS, "custom": None})
    assert t.switches["vale0"].config == {"mask": 15}
    assert t.switches["vale1"].config == {"ageing": 60}
    assert notes == ['lookup module "custom" is not loaded: switch.vale2.config is checked '
                     'when vale2 gets it']


def test_toml_syntax_error():
    with pytest.raises(TopologyError) as ei:
        topology.loads("[switch.vale0\n", "t.toml")
    assert ei.value.where == "t.toml" and "not valid TOML" in ei.value.message


def test_load_missing_file(tmp_path):
    with pytest.raises(TopologyError) as ei:
        topology.load(str(tmp_path / "nope.toml"))
    assert "No such file" in str(ei.value)


def test_load_file(tmp_path):
    p = tmp_path / "t.toml"
    p.write_text(FULL)
    assert topology.load(str(p)) == topology.loads(FULL)


def test_dumps_round_trip():
    t = topology.loads(FULL)
    text = topology.dumps(t, comments=["a comment", ""])
    assert text.startswith("# a comment\n#\n")
    assert topology.loads(text) == t
    assert topology.dumps(topology.loads(text)) == topology.dumps(t)


def test_dumps_empty():
    assert topology.loads(topology.dumps(Topology())) == Topology()


def _random_topology(rnd):
    t = Topology()
    names = ["vi%d" % i for i in range(8)] + ["eth%d" % i for i in range(3)] + ["a-b.c", "x_y"]
    rnd.shuffle(names)
    for n in names[:rnd.randrange(6)]:
        t.interfaces[n] = InterfaceSpec(n, **{k: rnd.randrange(1, 4096) for k in
                                              ("tx_rings", "rx_rings", "tx_slots", "rx_slots")
                                              if rnd.random() < 0.5})
    free = list(names)
    for i in range(rnd.randrange(4)):
        name = rnd.choice(["vale%d" % i, "vale-%d.x" % i, "vale_%d" % i])
        lookup = rnd.choice([None, "learn", "l3"])
        config = {"ageing": rnd.randrange(1, 1000001)} if lookup == "learn" and rnd.random() < .5 else {}
        ports = [free.pop() for _ in range(min(len(free), rnd.randrange(4)))]
        t.switches[name] = SwitchSpec(name, lookup, config, ports)
    return t


def test_dumps_round_trip_random():
    rnd = random.Random(6)
    for _ in range(300):
        t = _random_topology(rnd)
        assert topology.loads(topology.dumps(t)) == t


def test_a_nic_with_its_host_stack():
    t = topology.loads('[switch.vale1]\nports = ["eth0^", "eth0"]\n')
    assert t.switches["vale1"].ports == ["eth0^", "eth0"]
    assert (t.port_kind("eth0"), t.port_kind("eth0^")) == ("nic", "host")
    assert topology.loads(topology.dumps(t)) == t
    live = Live(switches={"vale1": Switch("vale1", 0, "learn", 2, False)},
                ports=[Port("vale1", "eth0", 0, "nic", host=True),
                       Port("vale1", "eth0^", 1, "host")])
    assert topology.from_live(live).switches["vale1"].ports == ["eth0", "eth0^"]


def test_from_live():
    live = Live(
        switches={"vale1": Switch("vale1", 1, "l3", 1, False),
                  "vale0": Switch("vale0", 0, "learn", 3, True)},
        ports=[Port("vale0", "p1", 2, "ephemeral"),
               Port("vale0", "vi1", 1, "virtual", 1, 1, 256, 256),
               Port("vale0", "vi0", 0, "virtual", 2, 2, 1024, 1024),
               Port("vale1", "eth1", 0, "nic")],
        interfaces={"vi0": Interface("vi0", "vale0", 2, 2, 1024, 1024),
                    "vi1": Interface("vi1", "vale0", 1, 1, 256, 256),
                    "vi9": Interface("vi9")})
    t = topology.from_live(live)
    assert list(t.switches) == ["vale0", "vale1"]
    assert t.switches["vale0"] == SwitchSpec("vale0", "learn", {}, ["vi0", "vi1"])
    assert t.switches["vale1"] == SwitchSpec("vale1", "l3", {}, ["eth1"])
    assert t.interfaces["vi1"] == InterfaceSpec("vi1", 1, 1, 256, 256)
    assert t.interfaces["vi9"] == InterfaceSpec("vi9")
    assert topology.loads(topology.dumps(t)) == t
