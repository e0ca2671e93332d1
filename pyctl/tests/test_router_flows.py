"""The router's and the flow table's objects in pyctl: the flow text
syntax (strict, round-tripping), the requests' bytes, the dumps read back,
TOML sections, and apply/down plans against the fake kernel: one apply
reaches the file, a second changes nothing, a change is a minimal diff,
show --toml round-trips."""
import random

import pytest
from fakekernel import FakeVale

from vale import flows, router, tlv, topology, uapi
from vale.errors import TopologyError
from vale.plan import plan_apply

TOPO = """
interface.vi0 = {}
interface.vi1 = {}
interface.vi2 = {}
interface.vi3 = {}

[switch.vale0]
lookup = "l3"
ports = ["vi0", "vi1"]
routes = [{ prefix = "10.0.2.0/24", port = "vi1", via = "10.0.2.254" },
          { prefix = "10.0.1.0/24", port = "vi0" }]
neighbours = [{ addr = "10.0.2.254", lladdr = "02:00:00:00:bb:02", port = "vi1" }]

[switch.vale0.router.vi0]
mac = "02:00:00:00:aa:01"
addrs = ["10.0.1.1"]

[switch.vale0.router.vi1]
mac = "02:00:00:00:aa:02"
addrs = ["10.0.2.1", "fd00:2::1"]

[switch.vale1]
lookup = "of"
ports = ["vi2", "vi3"]
flows = ["priority=100,in_port=0,tcp,tp_dst=80,actions=output:1",
         "in_port=1 actions=0"]
"""


def fake():
    return FakeVale(lookups=("learn", "l3", "of"))


def apply(v, topo):
    plan = plan_apply(topo, v.live(ifnames=topo.interfaces))
    for a in plan.actions + plan.refresh:
        a.run(v)
    return plan


# -- flow text -------------------------------------------------------------------

@pytest.mark.parametrize("text,canonical", [
    ("priority=100,in_port=1,tcp,nw_src=10.0.0.0/24,tp_dst=80,actions=output:2",
     "priority=100,in_port=1,dl_type=0x0800,nw_proto=6,nw_src=10.0.0.0/24,tp_dst=80 "
     "actions=output:2"),
    ("icmp6 icmp_type=128 actions=controller",
     "priority=32768,dl_type=0x86dd,nw_proto=58,icmp_type=128 actions=controller"),
    ("cookie=0x1f,idle_timeout=3,dl_vlan=0xffff,actions=push_vlan:7,strip_vlan,5",
     "cookie=0x1f,idle_timeout=3,priority=32768,dl_vlan=0xffff actions=push_vlan:7,pop_vlan,"
     "output:5"),
    ("dl_dst=02:00:00:00:00:0A,actions=", "priority=32768,dl_dst=02:00:00:00:00:0a actions=drop"),
])
def test_flow_text_round_trips(text, canonical):
    f = flows.parse(text)
    assert f.text() == canonical
    assert flows.parse(f.text()).text() == canonical
    # flow show's counters are read and ignored
    assert flows.parse("duration=5s, n_packets=3, n_bytes=180, idle_age=1, " + canonical).text() \
        == canonical


@pytest.mark.parametrize("text,verb,says", [
    ("in_port=1", "add", "no actions"),
    ("in_port=1,in_port=2,actions=drop", "add", "in_port given twice"),
    ("nw_src=10.0.0.0/24,actions=drop", "add", "nw_src needs dl_type=0x0800"),
    ("ip,nw_src=10.0.0.1/24,actions=drop", "add", "has host bits set"),
    ("ip,tp_dst=80,actions=drop", "add", "tp_dst needs nw_proto"),
    ("in_port=254,actions=drop", "add", "in_port is 0 to 253"),
    ("dl_vlan=4096,actions=drop", "add", "VLAN id is 0 to 4095"),
    ("actions=output:1,flood", "add", "ends the actions"),
    ("actions=pop_vlan,controller", "add", "controller is the only action"),
    ("actions=teleport", "add", "unknown action"),
    ("bogus=1,actions=drop", "add", "unknown field"),
    ("idle_timeout=1,actions=drop", "mod", "only flow add sets the timeouts"),
    ("in_port=1,actions=drop", "del", "flow del takes no actions"),
])
def test_flow_text_errors_name_the_field(text, verb, says):
    with pytest.raises(ValueError, match=says):
        flows.parse(text, verb)


def test_random_flows_round_trip():
    rnd = random.Random(7)
    for _ in range(500):
        parts = ["priority=%d" % rnd.randrange(65536)]
        proto = rnd.choice(["", "tcp", "udp6", "icmp", "ipv6"])
        if proto:
            parts.append(proto)
        if rnd.random() < .5:
            parts.append("in_port=%d" % rnd.randrange(254))
        if proto in ("tcp", "udp6") and rnd.random() < .5:
            parts.append("tp_src=%d" % rnd.randrange(65536))
        if proto == "tcp" and rnd.random() < .5:
            parts.append("nw_dst=10.%d.0.0/16" % rnd.randrange(256))
        acts = rnd.choice(["drop", "flood", "output:%d" % rnd.randrange(254),
                           "mod_vlan_vid:%d,output:1" % rnd.randrange(4096)])
        f = flows.parse(",".join(parts) + ",actions=" + acts)
        g = flows.parse(f.text())
        assert g == f and g.text() == f.text()
        # the request's match, read back as the kernel dumps it
        nest = dict(tlv.decode(flows.request("flow_add", f)))
        assert flows._decode_match(nest[flows.A["match"]]) == f.match


# -- requests and dumps ----------------------------------------------------------

def test_route_request_bytes():
    data = router.request("route_add", port=2, prefix="10.0.2.0/24", via="10.0.2.254")
    attrs = tlv.decode(data)
    assert [t for t, _ in attrs] == [router.A["op"], router.A["port"], router.A["prefix"],
                                     router.A["prefix_len"], router.A["gateway"]]
    assert tlv.number(attrs[0][1]) == router.OP["route_add"] == 5
    assert attrs[2][1] == bytes([10, 0, 2, 0]) and attrs[3][1] == b"\x18"
    # the kernel dumps a route as the request that makes it
    st = router.from_dump([data.replace(tlv.u32(1, 5), tlv.u32(1, 5)),
                           router.request("port_set", port=2, mac="02:00:00:00:aa:02"),
                           router.request("addr_add", port=2, addr="fd00::1")])
    assert st.routes == [router.Route("10.0.2.0/24", 2, "10.0.2.254")]
    assert st.ports[2].mac == "02:00:00:00:aa:02" and st.ports[2].addrs == ["fd00::1"]


def test_flow_dump_read_back():
    f = flows.parse("priority=9,udp,nw_dst=10.0.0.0/8,tp_dst=53,actions=mod_dl_src:02:00:00:00:00:01,2")
    data = flows.request("flow_add", f).replace(tlv.u32(1, flows.OP["flow_add"]),
                                                tlv.u32(1, flows.OP["flow"]))
    data += tlv.nest(flows.A["stats"], tlv.u64(flows.ST["packets"], 3), tlv.u64(flows.ST["bytes"], 9))
    table = tlv.u32(1, flows.OP["table"]) + tlv.u32(flows.A["controller"], uapi.NO_PORT) + \
        tlv.u8(flows.A["emc"], 1) + tlv.nest(flows.A["actions"], tlv.attr(flows.ACT["controller"]))
    t, got = flows.from_dump([table, data])
    assert t.controller is None and t.emc and t.miss_actions == [("controller", None)]
    assert got[0].text() == f.text() and got[0].n_packets == 3 and got[0].n_bytes == 9


# -- topology files ----------------------------------------------------------------

def test_topology_sections_round_trip():
    topo = topology.loads(TOPO)
    sw = topo.switches["vale0"]
    assert sw.router["vi1"] == {"mac": "02:00:00:00:aa:02", "addrs": ["10.0.2.1", "fd00:2::1"]}
    assert sw.routes[0] == router.Route("10.0.2.0/24", "vi1", "10.0.2.254")
    assert topo.switches["vale1"].flows[1] == "priority=32768,in_port=1 actions=output:0"
    assert topology.loads(topology.dumps(topo)) == topo


@pytest.mark.parametrize("body,where,says", [
    ('lookup = "learn"\nports = ["vi0"]\nroutes = []', "switch.vale0.routes", "needs lookup = \"l3\""),
    ('lookup = "l3"\nports = ["vi0"]\nroutes = [{ prefix = "10.0.0.1/24", port = "vi0" }]',
     "switch.vale0.routes[0].prefix", "host bits"),
    ('lookup = "l3"\nports = ["vi0"]\nroutes = [{ prefix = "10.0.0.0/24", port = "vi9" }]',
     "switch.vale0.routes[0].port", "not among the ports"),
    ('lookup = "l3"\nports = ["vi0"]\nneighbours = [{ addr = "10.0.0.1", port = "vi0" }]',
     "switch.vale0.neighbours[0]", "missing lladdr"),
    ('lookup = "l3"\nports = ["vi0"]\nrouter = { vi0 = { mac = "ff:ff:ff:ff:ff:ff" } }',
     "switch.vale0.router.vi0.mac", "unicast"),
    ('lookup = "of"\nflows = ["in_port=1"]', "switch.vale0.flows[0]", "no actions"),
])
def test_topology_section_errors_say_where(body, where, says):
    with pytest.raises(TopologyError) as e:
        topology.loads("[switch.vale0]\n" + body)
    assert e.value.where == where and says in e.value.message


# -- plans ---------------------------------------------------------------------------

def test_apply_makes_routes_and_flows_then_nothing():
    v, topo = fake(), topology.loads(TOPO)
    plan = apply(v, topo)
    words = [str(a) for a in plan]
    assert "router port set vale0 vi0 mac 02:00:00:00:aa:01" in words
    assert "route add vale0 10.0.2.0/24 port vi1 via 10.0.2.254" in words
    assert "neigh add vale0 10.0.2.254 lladdr 02:00:00:00:bb:02 port vi1" in words
    assert "flow add vale1 priority=32768,in_port=1 actions=output:0" in words
    # module objects after the attaches that make their ports
    assert max(i for i, w in enumerate(words) if w.startswith("port attach")) < \
        min(i for i, w in enumerate(words) if w.startswith(("route", "router", "flow")))
    st = v.router("vale0")
    assert {r.prefix for r in st.routes} == {"10.0.1.0/24", "10.0.2.0/24"}
    assert len(v.flows("vale1")) == 2
    assert len(plan_apply(topo, v.live(ifnames=topo.interfaces))) == 0
    # show --toml of the result reads back as the file's objects
    back = topology.from_live(v.live())
    assert back.switches["vale0"].router == topo.switches["vale0"].router
    assert sorted(back.switches["vale0"].routes, key=str) == sorted(topo.switches["vale0"].routes, key=str)
    assert sorted(back.switches["vale1"].flows) == sorted(topo.switches["vale1"].flows)


def test_changes_are_minimal_diffs():
    v, topo = fake(), topology.loads(TOPO)
    apply(v, topo)
    changed = topology.loads(TOPO.replace('via = "10.0.2.254"', 'via = "10.0.2.253"')
                             .replace('"fd00:2::1"', '"fd00:2::9"')
                             .replace("tp_dst=80", "tp_dst=443"))
    words = [str(a) for a in plan_apply(changed, v.live(ifnames=changed.interfaces))]
    assert words == [
        "route del vale0 10.0.2.0/24",
        "addr del vale0 fd00:2::1 port vi1",
        "addr add vale0 fd00:2::9 port vi1",
        "route add vale0 10.0.2.0/24 port vi1 via 10.0.2.253",
        "flow del vale1 priority=100,in_port=0,dl_type=0x0800,nw_proto=6,tp_dst=80 strict",
        "flow add vale1 priority=100,in_port=0,dl_type=0x0800,nw_proto=6,tp_dst=443 "
        "actions=output:1",
    ]
    apply(v, changed)
    assert len(plan_apply(changed, v.live(ifnames=changed.interfaces))) == 0
    assert [r.via for r in v.router("vale0").routes if r.prefix == "10.0.2.0/24"] == ["10.0.2.253"]
