"""Routes and flows configured through valectl and pyctl: what they set
shows up in the kernel's dumps (valectl route/flow show, pyctl's
router()/flows()), and frames between netmap ports of the switch are
routed (MACs rewritten, TTL decremented) or steered as configured;
the kernel's refusals name the argument.  Topology files with router and
flow sections are applied, applied again without change, and shown back.

Names: switches "valerf*"; ports are ephemeral netmap ports a, b, c."""
import json
import os
import re
import subprocess
import sys

import pytest

from conftest import BIN, MODULES, TOP, module_loaded, run
from netmap import Port
from test_l3 import H, R, csum, ip4_frame, recv, send

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402
import vale.cli  # noqa: E402

VALECTL = os.path.join(BIN, "valectl")


def vctl(*args, rc=0):
    r = subprocess.run([VALECTL] + [str(a) for a in args], capture_output=True, text=True)
    assert r.returncode == rc, (args, r.stdout, r.stderr)
    return r.stdout if rc == 0 else r.stderr


@pytest.fixture
def modules():
    for m in ("vale_lookup_l3", "vale_lookup_of"):
        if not module_loaded(m):
            run("insmod", os.path.join(MODULES, "lookup", m + ".ko"))
    yield
    for m in ("vale_lookup_l3", "vale_lookup_of"):
        subprocess.run(["rmmod", m], check=False)


class Sw:
    """A switch with ephemeral ports a, b, c and lookup module `module`."""

    def __init__(self, name, module):
        self.name = name
        self.ports = {p: Port("%s:%s" % (name, p), tx_slots=64, rx_slots=64) for p in "abc"}
        vctl("lookup", "set", name, module)
        with vale.Vale() as v:
            self.idx = {p: v.port(name, p).index for p in "abc"}

    def __getitem__(self, p):
        return self.ports[p]

    def close(self):
        for p in self.ports.values():
            p.close()


@pytest.fixture
def sw(modules, request):
    made = []

    def make(module):
        s = Sw("valerf%d" % (len(made) + abs(hash(request.node.name)) % 1000), module)
        made.append(s)
        return s
    yield make
    for s in made:
        s.close()


def test_valectl_routes_show_in_dumps_and_route_frames(sw):
    s = sw("l3")
    a, b = s.idx["a"], s.idx["b"]
    vctl("router", "port", "set", s.name, a, "mac", "02:00:00:00:aa:00")
    vctl("router", "port", "set", s.name, b, "mac", "02:00:00:00:aa:01")
    vctl("addr", "add", s.name, "10.0.0.1", "port", a)
    vctl("route", "add", s.name, "10.0.0.0/24", "port", a)
    vctl("route", "add", s.name, "192.168.0.0/16", "port", b, "via", "10.1.0.254")
    vctl("neigh", "add", s.name, "10.1.0.254", "lladdr", "02:00:00:00:bb:01", "port", b)
    assert sorted(vctl("-N", "route", "show", s.name).splitlines()) == [
        "10.0.0.0/24 port %d" % a, "192.168.0.0/16 via 10.1.0.254 port %d" % b]
    assert json.loads(vctl("-N", "-j", "neigh", "show", s.name)) == [
        {"addr": "10.1.0.254", "lladdr": "02:00:00:00:bb:01", "port": b}]
    assert vctl("-N", "addr", "show", s.name) == "10.0.0.1 port %d\n" % a

    # a frame to 192.168.7.7 leaves b to the gateway's MAC, TTL one less
    f = ip4_frame(R[0], H[0], "10.0.0.2", "192.168.7.7", ttl=64)
    f = b"\x02\x00\x00\x00\xaa\x00" + f[6:]
    assert send(s["a"], [f]) == 1
    (g,) = recv(s["b"])
    assert g[:12] == bytes.fromhex("02000000bb01" "02000000aa01")
    assert g[14 + 8] == 63 and csum(g[14:34]) == 0xffff
    out = vctl("-s", "router", "show", s.name)
    assert "forwarded_v4 1" in out and "routes 2 neighbours 1 addresses 1" in out

    # deleted, the route no longer routes: dropped and counted
    vctl("route", "del", s.name, "192.168.0.0/16")
    assert send(s["a"], [f]) == 1
    assert recv(s["b"]) == []
    assert "drop_no_route 1" in vctl("-s", "router", "show", s.name)

    # the kernel's refusals name the argument
    err = vctl("route", "add", s.name, "10.9.0.0/16", "port", 200, rc=1)
    assert "no such port on the switch" in err and '(argument "port 200")' in err
    err = vctl("route", "add", s.name, "10.0.0.0/24", "port", a, rc=1)
    assert "File exists" in err and '"10.0.0.0/24"' in err
    # and the wrong module is caught before anything is sent
    err = vctl("flow", "add", s.name, "actions=drop", rc=1)
    assert 'uses lookup module "l3", not "of"' in err


def test_valectl_flows_steer_frames_and_round_trip(sw):
    s = sw("of")
    a, b, c = s.idx["a"], s.idx["b"], s.idx["c"]
    flow = "priority=100,in_port=%d,dl_type=0x0800,nw_dst=10.0.0.2,actions=output:%d" % (a, c)
    vctl("flow", "add", s.name, flow)
    vctl("flow", "add", s.name, "priority=5,actions=drop")
    f = ip4_frame(H[1], H[0], "10.0.0.1", "10.0.0.2")
    assert send(s["a"], [f, f, f]) == 3
    got = recv(s["c"])
    assert got == [f, f, f]
    assert recv(s["b"]) == []
    # another destination: the priority-5 drop
    assert send(s["a"], [ip4_frame(H[1], H[0], "10.0.0.1", "10.0.0.9")]) == 1
    assert recv(s["b"]) == [] and recv(s["c"]) == []

    lines = vctl("-N", "flow", "show", s.name).splitlines()
    mine = [ln for ln in lines if "priority=100" in ln]
    assert len(mine) == 1 and "n_packets=3," in mine[0] and "n_bytes=%d," % (3 * len(f)) in mine[0]
    assert mine[0].endswith("priority=100,in_port=%d,dl_type=0x0800,nw_dst=10.0.0.2 "
                            "actions=output:%d" % (a, c))
    js = [x for x in json.loads(vctl("-j", "flow", "show", s.name)) if x["priority"] == 100]
    assert js[0]["match"] == {"in_port": a, "dl_type": 0x0800, "nw_dst": "10.0.0.2"}
    assert js[0]["n_packets"] == 3

    # show's line is a flow again: delete everything, add it back from it
    vctl("flow", "del", s.name)
    assert vctl("flow", "show", s.name) == ""
    vctl("flow", "add", s.name, mine[0].strip())
    again = vctl("-N", "flow", "show", s.name).splitlines()
    assert len(again) == 1 and again[0].split("priority=")[1] == mine[0].split("priority=")[1]
    assert "n_packets=0," in again[0]

    # mod changes where it goes; strict delete of the exact flow
    vctl("flow", "mod", s.name, "in_port=%d,actions=output:%d" % (a, b))
    assert send(s["a"], [f]) == 1
    assert recv(s["b"]) == [f]
    vctl("flow", "del", s.name, "priority=100,in_port=%d,ip,nw_dst=10.0.0.2" % a, "strict")
    assert vctl("flow", "show", s.name) == ""
    err = vctl("flow", "del", s.name, "priority=100,in_port=%d" % a, "strict", rc=1)
    assert "No such file or directory" in err

    # the table: miss rule to the controller port, emc off
    vctl("flow", "controller", s.name, c)
    vctl("flow", "miss", s.name, "controller")
    vctl("flow", "emc", s.name, "off")
    t = json.loads(vctl("-j", "flow", "table", s.name))[0]
    assert t["controller"] == c and t["emc"] is False and t["miss"]["actions"] == "controller"
    assert send(s["a"], [f]) == 1
    assert recv(s["c"]) == [f]      # the packet-in
    assert json.loads(vctl("-j", "flow", "table", s.name))[0]["miss"]["n_packets"] == 1

    # the kernel's refusal names the part of the flow at fault
    err = vctl("flow", "add", s.name, "in_port=%d,actions=push_vlan:1,push_vlan:2,push_vlan:3,"
               "output:%d" % (a, b), rc=1)
    assert "too many VLAN pushes" in err and \
        '(argument "actions=push_vlan:1,push_vlan:2,push_vlan:3,output:%d")' % b in err


def test_valectl_routes_by_port_name_route_frames(sw):
    s = sw("l3")
    a, b = s.idx["a"], s.idx["b"]
    # names as "port show" lists them, or netmap's whole SWITCH:NAME
    vctl("router", "port", "set", s.name, "a", "mac", "02:00:00:00:aa:00")
    vctl("router", "port", "set", s.name, "%s:b" % s.name, "mac", "02:00:00:00:aa:01")
    vctl("addr", "add", s.name, "10.0.0.1", "port", "a")
    vctl("route", "add", s.name, "192.168.0.0/16", "port", "b", "via", "10.1.0.254")
    vctl("neigh", "add", s.name, "10.1.0.254", "lladdr", "02:00:00:00:bb:01", "port", "b")
    # shown by name, by number with -N, both in JSON
    assert vctl("route", "show", s.name) == "192.168.0.0/16 via 10.1.0.254 port b\n"
    assert vctl("-N", "route", "show", s.name) == "192.168.0.0/16 via 10.1.0.254 port %d\n" % b
    assert json.loads(vctl("-j", "neigh", "show", s.name)) == [
        {"addr": "10.1.0.254", "lladdr": "02:00:00:00:bb:01", "port": b, "port_name": "b"}]
    assert vctl("router", "show", s.name).splitlines()[:2] == sorted(
        ["port a mac 02:00:00:00:aa:00 addr 10.0.0.1", "port b mac 02:00:00:00:aa:01"],
        key=lambda ln: {"a": a, "b": b}[ln.split()[1]])

    f = ip4_frame(b"\x02\x00\x00\x00\xaa\x00", H[0], "10.0.0.2", "192.168.7.7", ttl=64)
    assert send(s["a"], [f]) == 1
    (g,) = recv(s["b"])
    assert g[:12] == bytes.fromhex("02000000bb01" "02000000aa01") and g[14 + 8] == 63

    # route show's line is a route add again: by name
    line = vctl("route", "show", s.name).split()
    vctl("route", "del", s.name, "192.168.0.0/16")
    vctl("route", "add", s.name, *line)
    assert send(s["a"], [f]) == 1
    assert len(recv(s["b"])) == 1

    # an unknown name: ENOENT, the word named, nothing sent
    err = vctl("route", "add", s.name, "10.9.0.0/16", "port", "nope", rc=1)
    assert err == ('Error: no port "nope" on switch %s (argument "port nope"): '
                   "No such file or directory\n" % s.name)
    err = vctl("addr", "add", s.name, "10.0.0.9", "port", "valeother:a", rc=1)
    assert 'no port "valeother:a" on switch %s' % s.name in err
    assert "10.9.0.0" not in vctl("route", "show", s.name)


def ages_out(line):
    """A flow show line without the fields that grow with time."""
    return re.sub(r" (duration|idle_age)=[0-9.]+s?,", "", line)


def test_valectl_flows_by_port_name_steer_frames_and_filter(sw):
    s = sw("of")
    a, b, c = s.idx["a"], s.idx["b"], s.idx["c"]
    vctl("flow", "add", s.name, "priority=100,in_port=a,ip,nw_dst=10.0.0.2,actions=output:%s:c"
         % s.name)
    vctl("flow", "add", s.name, "priority=50,in_port=b,actions=a")    # a bare name: output
    vctl("flow", "add", s.name, "priority=5,actions=drop")
    f = ip4_frame(H[1], H[0], "10.0.0.1", "10.0.0.2")
    assert send(s["a"], [f, f]) == 2
    assert recv(s["c"]) == [f, f] and recv(s["b"]) == []
    assert send(s["b"], [f]) == 1
    assert recv(s["a"]) == [f] and recv(s["c"]) == []

    # shown by name; with -N and in JSON's "flow" by number
    lines = vctl("flow", "show", s.name).splitlines()
    mine = [ln for ln in lines if "priority=100" in ln]
    assert mine[0].endswith("priority=100,in_port=a,dl_type=0x0800,nw_dst=10.0.0.2 "
                            "actions=output:c"), mine
    assert "n_packets=2," in mine[0]
    assert any(ln.endswith("priority=50,in_port=b actions=output:a") for ln in lines), lines
    assert ("priority=100,in_port=%d,dl_type=0x0800,nw_dst=10.0.0.2 actions=output:%d" % (a, c)
            in vctl("-N", "flow", "show", s.name))
    js = [x for x in json.loads(vctl("-j", "flow", "show", s.name)) if x["priority"] == 100][0]
    assert js["match"]["in_port"] == a and js["actions"] == "output:%d" % c
    assert js["port_names"] == {str(a): "a", str(c): "c"}

    # flow show MATCH: the flows whose match has these fields
    shown = vctl("flow", "show", s.name, "in_port=a").splitlines()
    assert len(shown) == 1 and ages_out(shown[0]) == ages_out(mine[0])
    assert len(vctl("flow", "show", s.name, "ip,nw_dst=10.0.0.0/24").splitlines()) == 1
    assert len(vctl("flow", "show", s.name, "priority=5").splitlines()) == 1
    assert vctl("flow", "show", s.name, "in_port=c") == ""
    assert len(json.loads(vctl("-j", "flow", "show", s.name, "in_port=%s:b" % s.name))) == 1

    # show's line, by name, is a flow again
    vctl("flow", "del", s.name)
    vctl("flow", "add", s.name, mine[0].strip())
    again = vctl("flow", "show", s.name).splitlines()
    assert len(again) == 1 and again[0].split("priority=")[1] == mine[0].split("priority=")[1]
    assert send(s["a"], [f]) == 1
    assert recv(s["c"]) == [f]

    # the controller port by name
    vctl("flow", "controller", s.name, "b")
    assert json.loads(vctl("-j", "flow", "table", s.name))[0]["controller"] == b
    assert "controller b\n" in vctl("flow", "table", s.name)

    # unknown names: ENOENT, naming the word; the table is unchanged
    err = vctl("flow", "add", s.name, "in_port=nope,actions=drop", rc=1)
    assert err == ('Error: no port "nope" on switch %s (argument "in_port=nope"): '
                   "No such file or directory\n" % s.name)
    err = vctl("flow", "add", s.name, "in_port=a,actions=teleport", rc=1)
    assert '"teleport" is no action, nor a port of switch %s' % s.name in err
    err = vctl("flow", "show", s.name, "in_port=nope", rc=1)
    assert 'no port "nope"' in err
    assert len(vctl("flow", "show", s.name).splitlines()) == 1


def test_pyctl_routes_and_flows(sw):
    l3, of = sw("l3"), sw("of")
    with vale.Vale() as v:
        v.set_router_port(l3.name, "a", "02:00:00:00:aa:00")
        v.set_router_port(l3.name, "b", "02:00:00:00:aa:01")
        v.add_route(l3.name, "10.1.0.0/24", "b")
        v.add_neigh(l3.name, "10.1.0.2", "02:00:00:00:bb:01", "b")
        st = v.router(l3.name)
        assert st.routes == [vale.router.Route("10.1.0.0/24", l3.idx["b"], None)]
        assert st.ports[l3.idx["a"]].mac == "02:00:00:00:aa:00"
        f = ip4_frame(b"\x02\x00\x00\x00\xaa\x00", H[0], "10.0.0.2", "10.1.0.2", ttl=9)
        assert send(l3["a"], [f]) == 1
        (g,) = recv(l3["b"])
        assert g[:12] == bytes.fromhex("02000000bb01" "02000000aa01") and g[14 + 8] == 8
        assert v.router(l3.name).stats["forwarded_v4"] == 1
        with pytest.raises(vale.ValeError) as e:
            v.add_route(l3.name, "10.1.0.0/24", "b")
        assert e.value.errno == 17

        v.add_flow(of.name, "priority=10,in_port=%d,actions=output:%d" % (of.idx["a"], of.idx["b"]))
        (fl,) = v.flows(of.name)
        assert fl.match == {"in_port": of.idx["a"]} and fl.actions == [("output", of.idx["b"])]
        assert send(of["a"], [f]) == 1
        assert recv(of["b"]) == [f] and recv(of["c"]) == []
        assert v.flows(of.name)[0].n_packets == 1
        with pytest.raises(vale.ValeError):
            v.add_route(of.name, "10.0.0.0/8", 0)   # not an l3 switch
        v.del_flows(of.name)
        assert v.flows(of.name) == []


def test_pyctl_apply_topology_with_routes_and_flows(modules):
    path = os.path.join(TOP, "build", "test-route-flow.toml")
    text = """
interface.rfv0 = {}
interface.rfv1 = {}
interface.rfv2 = {}

[switch.valerfa]
lookup = "l3"
ports = ["rfv0", "rfv1"]
routes = [{ prefix = "10.1.0.0/24", port = "rfv1", via = "10.1.0.254" },
          { prefix = "fd00:1::/64", port = "rfv1" }]
neighbours = [{ addr = "10.1.0.254", lladdr = "02:00:00:00:bb:01", port = "rfv1" }]
router = { rfv0 = { mac = "02:00:00:00:aa:00", addrs = ["10.0.0.1"] }, rfv1 = { mac = "02:00:00:00:aa:01" } }

[switch.valerfb]
lookup = "of"
ports = ["rfv2"]
flows = ["priority=7,in_port=0,udp,tp_dst=53,actions=drop"]
"""
    with open(path, "w") as f:
        f.write(text)
    try:
        assert vale.cli.main(["apply", path]) == 0
        with vale.Vale() as v:
            st = v.router("valerfa")
            assert {r.prefix for r in st.routes} == {"10.1.0.0/24", "fd00:1::/64"}
            assert [x.text() for x in v.flows("valerfb")] == [
                "priority=7,in_port=0,dl_type=0x0800,nw_proto=17,tp_dst=53 actions=drop"]
            plan = vale.plan_apply(vale.load(path), v.live(ifnames=("rfv0", "rfv1", "rfv2")))
            assert len(plan) == 0, str(plan)
            shown = vale.from_live(v.live())
        back = vale.loads(vale.dumps(shown))
        assert back.switches["valerfa"].router["rfv0"] == {"mac": "02:00:00:00:aa:00",
                                                          "addrs": ["10.0.0.1"]}
        assert back.switches["valerfb"].flows == vale.load(path).switches["valerfb"].flows
    finally:
        vale.cli.main(["down", path])
        os.unlink(path)
