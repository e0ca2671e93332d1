"""The lookup modules' control channel (include/uapi/linux/vale.h, "Lookup
modules"), spoken attribute by attribute: every module declares its
attributes and tables (LOOKUP_SCHEMA); a LOOKUP_CONFIG names the module it
is meant for and is refused, with nothing changed, on a switch that runs
another; each attribute is checked against the running module's
declaration before the module sees it; LOOKUP_DUMP gives the module's
tables by name; the changes are announced.

The regression this pins: "ageing 9" meant for the learning bridge was
read by l3 as its operation 9 (FLUSH) and wiped the router, and "ageing
3" read by ofswitch as FLOW_DEL deleted every flow.

Names here: switches "valech*", interfaces "vch*"."""
import os
import select
import struct

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, module_loaded, run
from vale_genl import Genl

L3_KO = os.path.join(MODULES, "lookup", "vale_lookup_l3.ko")
OF_KO = os.path.join(MODULES, "lookup", "vale_lookup_of.ko")

# enum vale_learn_attr, vale_l3_attr, vale_l3_op, vale_of_attr, vale_of_op
LEARN_AGEING, LEARN_FLUSH, LEARN_MAC = 1, 2, 3
L3_OP, L3_PORT, L3_MAC, L3_ADDR, L3_PREFIX, L3_PLEN, L3_GW, L3_STATS = range(1, 9)
L3_PORT_SET, L3_ROUTE_ADD, L3_NEIGH_ADD, L3_ADDR_ADD = 1, 5, 7, 3
OF_OP, OF_MATCH, OF_PRIORITY = 1, 2, 3
OF_ACTIONS, OF_CONTROLLER, OF_EMC = 7, 9, 10
OF_FLOW_ADD = 1
OF_MATCH_ETH_TYPE, OF_ACTION_DROP = 4, 3
# enum vale_value_type, VALE_SCHEMA_F_*
T_FLAG, T_U8, T_U16, T_U32, T_U64, T_STRING, T_MAC, T_IP, T_PORT, T_BINARY, T_NESTED = range(1, 12)
F_SETTING, F_ACTION, F_DUMP_ONLY = 1, 2, 4


def nla(t, payload=b""):
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * (-n % 4)


def u8(t, v):
    return nla(t, struct.pack("B", v))


def u16(t, v):
    return nla(t, struct.pack("H", v))


def u32(t, v):
    return nla(t, struct.pack("I", v))


def nest(t, *parts):
    return nla(t | 0x8000, b"".join(parts))


def parse(b):
    """[(type, payload)] of a nest's bytes."""
    out, i = [], 0
    while i + 4 <= len(b):
        n, t = struct.unpack_from("HH", b, i)
        out.append((t & 0x3fff, b[i + 4:i + n]))
        i += (n + 3) & ~3
    return out


def get_u32(b):
    return struct.unpack("I", b)[0]


def asciiz(b):
    return b.rstrip(b"\0").decode()


class Channel(Genl):
    """Genl with the channel's requests spelled out."""

    def config(self, switch, module, payload):
        attrs = [("VALE_ATTR_SWITCH_NAME", switch)]
        if module is not None:
            attrs.append(("VALE_ATTR_LOOKUP_NAME", module))
        attrs.append(("VALE_ATTR_LOOKUP_CONFIG", payload))
        return self.request("LOOKUP_CONFIG", attrs)

    def rows(self, switch, table=None, module=None):
        """[(table, [(type, payload)])] of a LOOKUP_DUMP."""
        attrs = [("VALE_ATTR_SWITCH_NAME", switch)]
        if table:
            attrs.append(("VALE_ATTR_LOOKUP_TABLE", table))
        if module:
            attrs.append(("VALE_ATTR_LOOKUP_NAME", module))
        return [(m.get_attr("VALE_ATTR_LOOKUP_TABLE"), parse(m.get_attr("VALE_ATTR_LOOKUP_CONFIG")))
                for m in self.request("LOOKUP_DUMP", attrs, dump=True)]

    def settings(self, switch):
        reply = self.request("SWITCH_GET", [("VALE_ATTR_SWITCH_NAME", switch)])[0]
        cfg = reply.get_attr("VALE_ATTR_LOOKUP_CONFIG")
        return reply.get_attr("VALE_ATTR_LOOKUP_NAME"), dict(parse(cfg)) if cfg else {}

    def schema(self, **by):
        attrs = [("VALE_ATTR_" + k.upper(), v) for k, v in by.items()]
        return [schema_of(m) for m in self.request("LOOKUP_SCHEMA", attrs, dump=not attrs)]


def schema_of(msg):
    """{"name", "attrs": {name: {...}}, "tables": [names]} of a schema reply."""
    attrs, tables = {}, []
    for name, value in msg["attrs"]:
        if name == "VALE_ATTR_LOOKUP_ATTR":
            fields = {k: v for k, v in value["attrs"]}
            attrs[fields["VALE_SCHEMA_NAME"]] = {
                "id": fields["VALE_SCHEMA_ID"], "type": fields["VALE_SCHEMA_TYPE"],
                "flags": fields["VALE_SCHEMA_FLAGS"], "min": fields["VALE_SCHEMA_LOW"],
                "max": fields["VALE_SCHEMA_HIGH"],
                "values": [v for k, v in value["attrs"] if k == "VALE_SCHEMA_VALUE_NAME"]}
        elif name == "VALE_ATTR_LOOKUP_TABLE_DEF":
            tables.append({k: v for k, v in value["attrs"]}["VALE_SCHEMA_NAME"])
    return {"name": msg.get_attr("VALE_ATTR_LOOKUP_NAME"), "attrs": attrs, "tables": tables}


@pytest.fixture
def ch(core):
    for ko, name in ((L3_KO, "vale_lookup_l3"), (OF_KO, "vale_lookup_of")):
        if not module_loaded(name):
            run("insmod", ko)
    g = Channel()

    def cleanup():
        for m in g.request("SWITCH_GET", [], dump=True):
            name = m.get_attr("VALE_ATTR_SWITCH_NAME")
            if name.startswith("valech"):
                for p in g.request("PORT_GET", [("VALE_ATTR_SWITCH_NAME", name)], dump=True):
                    g.request("PORT_DETACH", [("VALE_ATTR_SWITCH_NAME", name),
                                              ("VALE_ATTR_PORT_NAME",
                                               p.get_attr("VALE_ATTR_PORT_NAME"))])
                # (ephemeral ports went with the ports fixture, before this)
                g.request("SWITCH_DEL", [("VALE_ATTR_SWITCH_NAME", name)])
        for i in range(4):
            try:
                g.request("IF_DEL", [("VALE_ATTR_IF_NAME", "vch%d" % i)])
            except NetlinkError:
                pass
    cleanup()
    yield g
    try:
        cleanup()
    finally:
        g.close()
        for name in ("vale_lookup_l3", "vale_lookup_of"):
            if module_loaded(name):
                run("rmmod", name, check=False)


def switch_with_port(g, name, lookup, ifname):
    """A switch running lookup, with persistent interface ifname as port 0."""
    g.request("SWITCH_NEW", [("VALE_ATTR_SWITCH_NAME", name), ("VALE_ATTR_LOOKUP_NAME", lookup)])
    g.request("IF_NEW", [("VALE_ATTR_IF_NAME", ifname)])
    g.request("PORT_ATTACH", [("VALE_ATTR_SWITCH_NAME", name), ("VALE_ATTR_PORT_NAME", ifname)])


@pytest.fixture
def router(ch):
    """Switch valech1 on l3 with a router port, an address, a neighbour and
    two routes: what the wrong-module ageing used to wipe."""
    switch_with_port(ch, "valech1", "l3", "vch1")
    mac = bytes([2, 0, 0, 0, 0, 1])
    for payload in (
            u32(L3_OP, L3_PORT_SET) + u32(L3_PORT, 0) + nla(L3_MAC, mac),
            u32(L3_OP, L3_ADDR_ADD) + u32(L3_PORT, 0) + nla(L3_ADDR, bytes([10, 0, 0, 1])),
            u32(L3_OP, L3_NEIGH_ADD) + u32(L3_PORT, 0) + nla(L3_ADDR, bytes([10, 0, 0, 2]))
            + nla(L3_MAC, bytes([2, 0, 0, 0, 0, 2])),
            u32(L3_OP, L3_ROUTE_ADD) + nla(L3_PREFIX, bytes([10, 0, 0, 0])) + u8(L3_PLEN, 24)
            + u32(L3_PORT, 0),
            u32(L3_OP, L3_ROUTE_ADD) + nla(L3_PREFIX, bytes([192, 168, 0, 0])) + u8(L3_PLEN, 16)
            + u32(L3_PORT, 0) + nla(L3_GW, bytes([10, 0, 0, 2]))):
        ch.config("valech1", "l3", payload)
    return ch


@pytest.fixture
def flows(ch):
    """Switch valech2 on of with three flows and its settings changed."""
    switch_with_port(ch, "valech2", "of", "vch2")
    for prio, etype in ((100, 0x0800), (200, 0x86dd), (300, 0x0806)):
        ch.config("valech2", "of", u32(OF_OP, OF_FLOW_ADD) + u32(OF_PRIORITY, prio)
                  + nest(OF_MATCH, u16(OF_MATCH_ETH_TYPE, etype))
                  + nest(OF_ACTIONS, nla(OF_ACTION_DROP)))
    ch.config("valech2", "of", u8(OF_EMC, 0))
    return ch


def router_state(g):
    return [(t, sorted(r)) for t, r in g.rows("valech1") if t != "stats"]


def test_schema_dump_declares_every_loaded_module(ch):
    mods = {s["name"]: s for s in ch.schema()}
    assert {"learn", "l3", "of"} <= set(mods)
    learn = mods["learn"]
    assert learn["tables"] == ["fdb"]
    assert learn["attrs"]["ageing"] == {"id": LEARN_AGEING, "type": T_U32, "flags": F_SETTING,
                                        "min": 1, "max": 1000000, "values": []}
    assert learn["attrs"]["flush"]["flags"] == F_ACTION
    assert learn["attrs"]["mac"]["type"] == T_MAC
    assert learn["attrs"]["port"]["type"] == T_PORT
    assert learn["attrs"]["confirmed"]["flags"] == F_DUMP_ONLY
    l3 = mods["l3"]
    assert l3["tables"] == ["stats", "ports", "addresses", "neighbours", "routes"]
    assert l3["attrs"]["op"]["values"][L3_ROUTE_ADD] == "route_add"
    assert l3["attrs"]["prefix"]["type"] == T_IP
    assert l3["attrs"]["stats"]["flags"] == F_DUMP_ONLY
    assert not any(a["flags"] & F_SETTING for a in l3["attrs"].values())
    of = mods["of"]
    assert of["tables"] == ["table", "flows"]
    assert of["attrs"]["emc"] == {"id": OF_EMC, "type": T_U8, "flags": F_SETTING, "min": 0,
                                  "max": 1, "values": []}
    assert of["attrs"]["controller"]["flags"] == F_SETTING
    assert of["attrs"]["match"]["type"] == T_NESTED


def test_schema_by_module_and_by_switch(router):
    assert router.schema(lookup_name="of")[0]["name"] == "of"
    assert router.schema(switch_name="valech1")[0]["name"] == "l3"
    with pytest.raises(NetlinkError) as e:
        router.schema(lookup_name="nosuchmodule")
    assert e.value.code == 2 and "no lookup module of that name" in str(e.value)
    with pytest.raises(NetlinkError) as e:
        router.schema(switch_name="valech1", lookup_name="learn")
    assert e.value.code == 95 and "runs lookup module l3, not learn" in str(e.value)


def test_ageing_meant_for_learn_never_reaches_l3(router):
    before = router_state(router)
    assert [t for t, _ in before] == ["ports", "addresses", "neighbours", "routes", "routes"]
    with pytest.raises(NetlinkError) as e:
        router.config("valech1", "learn", u32(LEARN_AGEING, 9))
    assert e.value.code == 95
    assert "switch valech1 runs lookup module l3, not learn" in str(e.value)
    assert router_state(router) == before


def test_ageing_meant_for_learn_never_reaches_of(flows):
    before = flows.rows("valech2", "flows")
    assert len(before) == 3
    with pytest.raises(NetlinkError) as e:
        flows.config("valech2", "learn", u32(LEARN_AGEING, 3))
    assert e.value.code == 95 and "runs lookup module of, not learn" in str(e.value)
    assert flows.rows("valech2", "flows") == before


def test_a_request_must_name_its_module(router):
    before = router_state(router)
    with pytest.raises(NetlinkError) as e:
        router.config("valech1", None, u32(LEARN_AGEING, 9))
    assert e.value.code == 22 and "LOOKUP_NAME is required" in str(e.value)
    assert router_state(router) == before


def test_l3_and_of_requests_never_reach_each_other_or_learn(router, flows):
    ch = router
    ch.request("SWITCH_NEW", [("VALE_ATTR_SWITCH_NAME", "valech3")])
    ch.config("valech3", "learn", u32(LEARN_AGEING, 77))
    l3_before, of_before = router_state(ch), ch.rows("valech2")
    for switch, module in (("valech1", "of"), ("valech2", "l3"), ("valech3", "l3"),
                           ("valech3", "of")):
        with pytest.raises(NetlinkError) as e:
            ch.config(switch, module, u32(1, 9))	# op 9: l3's FLUSH
        assert e.value.code == 95, (switch, module)
    assert router_state(ch) == l3_before
    assert ch.rows("valech2") == of_before
    assert ch.settings("valech3") == ("learn", {LEARN_AGEING: struct.pack("I", 77)})


@pytest.mark.parametrize("payload, code, words", [
    (u32(99, 1), 22, "has no attribute 99"),
    (u32(LEARN_AGEING, 0), 34, "ageing: value out of the range"),
    (u32(LEARN_AGEING, 1000001), 34, "ageing: value out of the range"),
    (u16(LEARN_AGEING, 5), 22, "ageing: wrong length"),
    (nla(LEARN_FLUSH, b"\1"), 22, "flush: a flag has no payload"),
    (nla(LEARN_MAC, bytes(6)), 22, "mac: the module only reports this attribute"),
])
def test_each_attribute_is_checked_against_the_declaration(ch, payload, code, words):
    ch.request("SWITCH_NEW", [("VALE_ATTR_SWITCH_NAME", "valech4")])
    ch.config("valech4", "learn", u32(LEARN_AGEING, 55))
    with pytest.raises(NetlinkError) as e:
        ch.config("valech4", "learn", u32(LEARN_AGEING, 66) + payload)
    assert e.value.code == code
    assert "lookup module learn" in str(e.value) and words in str(e.value)
    # Checked before the module saw anything: the good ageing beside it did not apply.
    assert ch.settings("valech4")[1] == {LEARN_AGEING: struct.pack("I", 55)}


def test_settings_without_an_operation(flows):
    assert flows.settings("valech2") == ("of", {OF_CONTROLLER: struct.pack("I", 255),
                                                OF_EMC: b"\0"})
    flows.config("valech2", "of", u8(OF_EMC, 1) + u32(OF_CONTROLLER, 0))
    assert flows.settings("valech2")[1] == {OF_CONTROLLER: struct.pack("I", 0), OF_EMC: b"\1"}
    with pytest.raises(NetlinkError) as e:	# a flow's attribute is no setting
        flows.config("valech2", "of", u32(OF_PRIORITY, 5))
    assert e.value.code == 22 and "missing OP" in str(e.value)
    with pytest.raises(NetlinkError) as e:	# nor beside one
        flows.config("valech2", "of", u8(OF_EMC, 0) + u32(OF_PRIORITY, 5))
    assert e.value.code == 22 and "not a setting" in str(e.value)
    assert flows.settings("valech2")[1][OF_EMC] == b"\1"
    assert len(flows.rows("valech2", "flows")) == 3


def test_dump_by_table(router):
    tables = [t for t, _ in router.rows("valech1")]
    assert tables == ["stats", "ports", "addresses", "neighbours", "routes", "routes"]
    routes = router.rows("valech1", "routes")
    assert [dict(r)[L3_PREFIX] for _, r in routes] == [bytes([10, 0, 0, 0]),
                                                       bytes([192, 168, 0, 0])]
    assert router.rows("valech1", "ports", module="l3")[0][1][0] == (L3_OP, struct.pack("I", 1))
    with pytest.raises(NetlinkError) as e:
        router.rows("valech1", "fdb")
    assert e.value.code == 2 and "lookup module l3 has no table fdb" in str(e.value)
    with pytest.raises(NetlinkError) as e:
        router.rows("valech1", module="learn")
    assert e.value.code == 95


def test_a_dump_larger_than_a_message_resumes_where_it_stopped(ch):
    switch_with_port(ch, "valech1", "l3", "vch1")
    ch.config("valech1", "l3", u32(L3_OP, L3_PORT_SET) + u32(L3_PORT, 0)
              + nla(L3_MAC, bytes([2, 0, 0, 0, 0, 1])))
    want = set()
    for i in range(600):
        prefix = bytes([10, i >> 8, i & 0xff, 0])
        ch.config("valech1", "l3", u32(L3_OP, L3_ROUTE_ADD) + nla(L3_PREFIX, prefix)
                  + u8(L3_PLEN, 24) + u32(L3_PORT, 0))
        want.add(prefix)
    rows = ch.rows("valech1")
    got = [dict(r)[L3_PREFIX] for t, r in rows if t == "routes"]
    assert sorted(got) == sorted(want)	# each once, none lost at a message boundary
    assert [t for t, _ in rows][:2] == ["stats", "ports"]


def test_learn_fdb_and_flush_through_the_channel(ch, ports):
    """Addresses learned from traffic appear in table fdb, and the action
    flush forgets them."""
    ch.request("SWITCH_NEW", [("VALE_ATTR_SWITCH_NAME", "valech5")])
    a, b = ports.open("valech5:a"), ports.open("valech5:b")
    src = bytes([2, 0, 0, 0, 0, 0x5a])
    a.send([b"\xff" * 6 + src + b"\x88\xb5" + bytes(46)])
    a.txsync()
    b.rxsync()
    assert len(b.recv()) == 1
    rows = ch.rows("valech5", "fdb")
    assert [(t, dict(r)[LEARN_MAC], get_u32(dict(r)[4])) for t, r in rows] == \
        [("fdb", src, 0)]
    ch.config("valech5", "learn", nla(LEARN_FLUSH))
    assert ch.rows("valech5", "fdb") == []


def events_socket():
    g = Channel()
    g.sock.add_membership("events")
    return g


def drain(g, timeout=2.0):
    """(command, message) of the events that arrived."""
    out = []
    while select.select([g.sock], [], [], timeout)[0]:
        for m in g.sock.get():
            out.append((m["cmd"], m))
        timeout = 0.2
    return out


def test_events_name_the_real_module_and_every_change(ch):
    ev = events_socket()
    try:
        ch.request("SWITCH_NEW", [("VALE_ATTR_SWITCH_NAME", "valech6"),
                                  ("VALE_ATTR_LOOKUP_NAME", "l3")])
        ch.request("LOOKUP_SET", [("VALE_ATTR_SWITCH_NAME", "valech6"),
                                  ("VALE_ATTR_LOOKUP_NAME", "of")])
        ch.config("valech6", "of", u8(OF_EMC, 0))
        ch.request("IF_NEW", [("VALE_ATTR_IF_NAME", "vch3")])
        ch.request("IF_DEL", [("VALE_ATTR_IF_NAME", "vch3")])
        got = drain(ev)
    finally:
        ev.close()
    cmds = [c for c, _ in got]
    assert cmds == [1, 9, 10, 7, 8]	# SWITCH_NEW, LOOKUP_SET, LOOKUP_CONFIG, IF_NEW, IF_DEL
    assert got[0][1].get_attr("VALE_ATTR_LOOKUP_NAME") == "l3"
    assert got[1][1].get_attr("VALE_ATTR_LOOKUP_NAME") == "of"
    assert parse(got[2][1].get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
        [(OF_CONTROLLER, struct.pack("I", 255)), (OF_EMC, b"\0")]
    assert [m.get_attr("VALE_ATTR_IF_NAME") for _, m in got[3:]] == ["vch3", "vch3"]


def test_a_refused_request_sends_no_event(router):
    ev = events_socket()
    try:
        with pytest.raises(NetlinkError):
            router.config("valech1", "learn", u32(LEARN_AGEING, 9))
        with pytest.raises(NetlinkError):
            router.config("valech1", "l3", u32(99, 1))
        assert drain(ev, timeout=0.5) == []
    finally:
        ev.close()
