"""Lookup modules on their one control channel (include/uapi/linux/vale.h):
each declares its attributes and tables (LOOKUP_SCHEMA), LOOKUP_CONFIG
names the module it is meant for and is checked against the declaration
of the module the switch runs, SWITCH_GET replies and switch events carry
the settings, LOOKUP_DUMP gives the tables by name. Seen through netlink,
valectl and pyctl (API by the schema, events, show, show --toml, apply,
config, dump, schema), for learn, l3 and a module pyctl has no code for
(examples/lookup-hello's "hello"). The data-loss bug (learn's ageing read
by l3 as op 9, FLUSH) has its regression test here.

Names here: switches "valecfg*", interfaces "cfgv*"; the fixture removes
them."""
import errno
import json
import os
import sys

import pytest
from pyroute2.netlink import NLA_F_NESTED, nla
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, TOP, module_loaded, run
from netmap import BROADCAST_MAC, eth_frame, mac_addr, recv_packets, send_packets
from test_pyctl import pyctl
from test_valectl import VALECTL, vctl, vjson
from vale_genl import Genl, attrs, message_class

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402
from vale import uapi  # noqa: E402
from vale.errors import ConfigError  # noqa: E402

SW = "valecfg0"
L3_KO = os.path.join(MODULES, "lookup", "vale_lookup_l3.ko")
HELLO_KO = os.path.join(MODULES, "lookup", "vale_lookup_hello.ko")


class learn_config(nla):
    """LOOKUP_CONFIG of module "learn", decoded (enum vale_learn_attr)."""
    nla_flags = NLA_F_NESTED
    nla_map = (("VALE_LEARN_UNSPEC", "none"), ("VALE_LEARN_AGEING", "uint32"),
               ("VALE_LEARN_FLUSH", "flag"), ("VALE_LEARN_MAC", "cdata"),
               ("VALE_LEARN_PORT", "uint32"), ("VALE_LEARN_AGE", "uint32"),
               ("VALE_LEARN_CONFIRMED", "flag"))


def learn_nest(ageing):
    return {"attrs": [("VALE_LEARN_AGEING", ageing)]}


def cleanup(v):
    for p in v.ports():
        if p.persistent and (p.switch or "").startswith("valecfg"):
            v.detach(p.switch, p.name)
    for name in os.listdir("/sys/class/net"):
        if name.startswith("cfgv"):
            v.del_if(name)
    for s in v.switches():
        if s.name.startswith("valecfg") and s.persistent:
            v.del_switch(s.name)


@pytest.fixture
def ctl(core):
    v = vale.Vale()
    cleanup(v)
    v.add_switch(SW)
    yield v
    try:
        cleanup(v)
    finally:
        v.close()


def _module(ctl, name, ko):
    loaded = module_loaded("vale_lookup_" + name)
    if not loaded:
        if not os.path.exists(ko):
            pytest.skip("%s is not built" % ko)
        run("insmod", ko)
    yield
    if not loaded:
        for s in ctl.switches():    # a switch still using it keeps it loaded
            if s.lookup == name:
                ctl.set_lookup(s.name, "learn")
        run("rmmod", "vale_lookup_" + name)


@pytest.fixture
def l3(ctl):
    """The router module, a module with no settings to report."""
    yield from _module(ctl, "l3", L3_KO)


@pytest.fixture
def hello(ctl):
    """examples/lookup-hello: a module pyctl has no code for."""
    yield from _module(ctl, "hello", HELLO_KO)


def switch_get(g, name=SW):
    (reply,) = g.request("SWITCH_GET", [("VALE_ATTR_SWITCH_NAME", name)])
    return reply


def refused(code, fn, *args, **kw):
    with pytest.raises(vale.ValeError) as ei:
        fn(*args, **kw)
    assert ei.value.errno == code, str(ei.value)
    return ei.value


# ---------------------------------------------------------------------------
# The channel, over netlink


def test_switch_get_reports_the_ageing_set(ctl):
    with Genl(message_class(learn_config)) as g:
        # a new learning bridge: the default, 300 s, as the Linux bridge
        nest = switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")
        assert attrs(nest) == {"VALE_LEARN_AGEING": 300}
        g.config(SW, "learn", learn_nest(45))
        assert attrs(switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
            {"VALE_LEARN_AGEING": 45}
        # the dump says the same
        dumped = [m for m in g.request("SWITCH_GET", [], dump=True)
                  if m.get_attr("VALE_ATTR_SWITCH_NAME") == SW]
        assert [attrs(m.get_attr("VALE_ATTR_LOOKUP_CONFIG")) for m in dumped] == \
            [{"VALE_LEARN_AGEING": 45}]
        # a refused setting changes nothing: the core checks the declared range
        with pytest.raises(NetlinkError) as ei:
            g.config(SW, "learn", learn_nest(0))
        assert ei.value.code == errno.ERANGE and "ageing" in str(ei.value.args[1])
        assert attrs(switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
            {"VALE_LEARN_AGEING": 45}


def test_lookup_config_names_the_module_it_is_meant_for(ctl):
    with Genl(message_class(learn_config)) as g:
        with pytest.raises(NetlinkError) as ei:     # no LOOKUP_NAME: refused
            g.request("LOOKUP_CONFIG", [("VALE_ATTR_SWITCH_NAME", SW),
                                        ("VALE_ATTR_LOOKUP_CONFIG", learn_nest(45))])
        assert ei.value.code == errno.EINVAL and "LOOKUP_NAME" in str(ei.value.args[1])
        with pytest.raises(NetlinkError) as ei:     # meant for another module
            g.config(SW, "l3", learn_nest(45))
        assert ei.value.code == errno.EOPNOTSUPP
        assert "runs lookup module learn, not l3" in str(ei.value.args[1])
        with pytest.raises(NetlinkError) as ei:     # dump-only attributes: refused
            g.config(SW, "learn", {"attrs": [("VALE_LEARN_AGE", 3)]})
        assert ei.value.code == errno.EINVAL
        assert attrs(switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
            {"VALE_LEARN_AGEING": 300}


def test_the_reported_nest_is_a_request_as_it_is(ctl):
    ctl.set_config(SW, ageing=77)
    ctl.add_switch("valecfg1")
    with Genl() as g:   # the nest kept as bytes, sent back untouched
        raw = switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")
        g.config("valecfg1", "learn", raw)
    assert ctl.switch("valecfg1").config == {"ageing": 77}


def test_schemas_say_what_each_module_takes(ctl, l3):
    learn = ctl.schema("learn")
    assert [(a.name, a.id, a.type, a.kind()) for a in learn.attrs] == [
        ("ageing", uapi.LEARN.index("VALE_LEARN_AGEING"), "u32", "setting"),
        ("flush", uapi.LEARN.index("VALE_LEARN_FLUSH"), "flag", "action"),
        ("mac", 3, "mac", "dump-only"), ("port", 4, "port", "dump-only"),
        ("age", 5, "u32", "dump-only"), ("confirmed", 6, "flag", "dump-only")]
    assert learn["ageing"].range() == (1, 1000000) and learn["ageing"].doc
    assert [t.name for t in learn.tables] == ["fdb"]
    assert ctl.schema(switch=SW).module == "learn"
    r = ctl.schema("l3")
    assert r.settings == [] and r["op"].values[:3] == ("unspec", "port_set", "port_del")
    assert r["op"].values[uapi.L3_OPS.index("VALE_L3_OP_FLUSH")] == "flush"
    assert [t.name for t in r.tables] == ["stats", "ports", "addresses", "neighbours", "routes"]
    assert {"learn", "l3"} <= {s.module for s in ctl.schemas()}
    e = refused(errno.ENOENT, ctl.schema, "no-such-module")
    assert e.extack
    st, out, _ = pyctl("schema", "learn", check=0)
    assert out.splitlines()[0] == "module learn"
    assert out.splitlines()[2].split()[:5] == ["ageing", "1", "u32", "setting", "1..1000000"]
    st, out, _ = pyctl("schema", "-j", check=0)
    assert {"learn", "l3"} <= {s["module"] for s in json.loads(out)}


# ---------------------------------------------------------------------------
# pyctl: set_config, config, dump by the schema


def test_set_config_on_learn_and_its_refusals(ctl):
    ctl.set_config(SW, ageing=45)
    assert ctl.config(SW) == {"ageing": 45} == ctl.switch(SW).config
    # checked by pyctl against learn's schema: nothing sent
    with pytest.raises(ConfigError) as ei:
        ctl.set_config(SW, agein=60)
    assert (ei.value.module, ei.value.key) == ("learn", "agein")
    assert 'lookup module "learn": no attribute "agein"' in str(ei.value)
    with pytest.raises(ConfigError):
        ctl.set_config(SW, ageing=0)
    # and by the kernel, the same declaration, when pyctl's check is passed by
    e = refused(errno.ERANGE, ctl._sock.do, uapi.CMD_LOOKUP_CONFIG, [
        ("VALE_ATTR_SWITCH_NAME", SW), ("VALE_ATTR_LOOKUP_NAME", "learn"),
        ("VALE_ATTR_LOOKUP_CONFIG", ctl.schema("learn")["ageing"].encode(2000000))],
        nests={uapi.ATTR_LOOKUP_CONFIG: ctl.schema("learn").names()})
    assert e.attr == "ageing" and "ageing" in e.extack
    assert ctl.config(SW) == {"ageing": 45}


def test_ageing_on_a_router_is_refused_and_the_routes_stay(ctl, l3):
    """The data-loss bug: "ageing 9" sent to an l3 switch was read as l3's
    op 9, FLUSH, and wiped its routes, neighbours and addresses."""
    ctl.add_if("cfgv0")
    ctl.attach(SW, "cfgv0")
    ctl.set_lookup(SW, "l3")
    ctl.set_router_port(SW, "cfgv0", "02:00:00:00:aa:01")
    ctl.add_router_addr(SW, "cfgv0", "10.0.0.1")
    ctl.add_neigh(SW, "10.0.0.2", "02:00:00:00:bb:01", "cfgv0")
    ctl.add_route(SW, "10.1.0.0/24", "cfgv0", via="10.0.0.2")
    before = ctl.router(SW)
    assert before.routes and before.neighs and before.ports
    # pyctl: l3 declares no "ageing"
    with pytest.raises(ConfigError) as ei:
        ctl.set_config(SW, ageing=9)
    assert 'lookup module "l3": no attribute "ageing"' in str(ei.value)
    # sent anyway as learn's: the kernel refuses it, naming the module it runs
    e = refused(errno.EOPNOTSUPP, ctl.config_lookup, SW, module="learn", ageing=9)
    assert "runs lookup module l3" in e.extack
    e = refused(errno.EOPNOTSUPP, ctl.flush_fdb, SW)
    refused(errno.EOPNOTSUPP, lambda: list(ctl.fdb(SW)))
    # and through the command line
    st, out, err = pyctl("config", SW, "ageing=9", check=2)
    assert 'lookup module "l3": no attribute "ageing"' in err
    # nothing was lost
    assert ctl.router(SW) == before
    assert [r["prefix"] for r in ctl.dump(SW, "routes")] == ["10.1.0.0"]


def test_dump_of_learn_and_of_l3_by_table(ctl, ports, l3):
    a = ports.open(SW + ":a", tx_slots=64, rx_slots=64)
    b = ports.open(SW + ":b", tx_slots=64, rx_slots=64)
    for src, dst, mac in ((a, b, 1), (b, a, 2)):
        assert send_packets(src, [eth_frame(BROADCAST_MAC, mac_addr(mac), 60)]) == 1
        src.txsync()
        dst.rxsync()
        assert len(recv_packets(dst)) == 1
    rows = sorted(ctl.dump(SW), key=lambda r: r["mac"])
    assert [(r["table"], r["mac"], r["port"]) for r in rows] == [
        ("fdb", "02:00:00:00:00:01", "a"), ("fdb", "02:00:00:00:00:02", "b")]
    assert all(r["age"] <= 2 and "confirmed" not in r for r in rows)
    assert [r["port"] for r in sorted(ctl.dump(SW, "fdb", numeric=True),
                                      key=lambda r: r["mac"])] == [0, 1]
    e = refused(errno.ENOENT, ctl.dump, SW, "routes")
    assert "fdb" in e.extack or "routes" in e.extack
    st, out, _ = pyctl("dump", SW, check=0)
    assert out.splitlines()[:2] == ["fdb", "  MAC                PORT  AGE"]
    ctl.set_config(SW, flush=True)      # learn's action, by name
    assert ctl.dump(SW) == []
    # the router's tables
    ctl.set_lookup(SW, "l3")
    ctl.set_router_port(SW, "b", "02:00:00:00:aa:01")
    ctl.add_route(SW, "10.1.0.0/24", "b")
    assert ctl.dump(SW, "routes") == [{"table": "routes", "op": "route_add", "port": "b",
                                       "prefix": "10.1.0.0", "prefix_len": 24}]
    assert [r["table"] for r in ctl.dump(SW)] == ["stats", "ports", "routes"]
    ports.close_all()


def test_a_module_pyctl_has_no_code_for(ctl, hello, tmp_path):
    ctl.set_lookup(SW, "hello")
    sch = ctl.schema(switch=SW)
    assert sch.module == "hello" and [a.name for a in sch.settings] == ["mask"]
    default = ctl.config(SW)["mask"]
    ctl.set_config(SW, mask=3)
    assert ctl.config(SW) == {"mask": 3}
    with pytest.raises(ConfigError) as ei:
        ctl.set_config(SW, ageing=3)
    assert 'lookup module "hello": no attribute "ageing"' in str(ei.value)
    assert ctl.config(SW) == {"mask": 3}
    assert pyctl("config", SW, check=0)[1] == "mask=3\n"
    pyctl("config", SW, "mask=0x05", check=0)
    assert ctl.config(SW) == {"mask": 5}
    assert all(r["table"] == "counters" for r in ctl.dump(SW))
    # in a topology file, applied idempotently, and written back by show --toml
    topo = tmp_path / "t.toml"
    topo.write_text('[switch.%s]\nlookup = "hello"\n[switch.%s.config]\nmask = %d\n'
                    % (SW, SW, default))
    st, out, _ = pyctl("apply", str(topo), check=0)
    assert out.splitlines() == ["lookup config %s mask %d" % (SW, default),
                                "%s: 1 change made" % topo]
    st, out, _ = pyctl("apply", "-v", str(topo), check=0)
    assert out == "%s: no change, the kernel matches it\n" % topo
    st, shown, _ = pyctl("show", "--toml", check=0)
    block = shown[shown.index("[switch.%s]" % SW):].split("\n\n")[0]
    assert "config = { mask = %d }" % default in block, shown
    topo.write_text(block + "\n")
    st, out, _ = pyctl("apply", "-v", str(topo), check=0)
    assert out == "%s: no change, the kernel matches it\n" % topo


# ---------------------------------------------------------------------------
# Events


def test_a_module_without_settings_reports_none_and_learn_starts_afresh(ctl, l3):
    ctl.set_config(SW, ageing=45)
    with ctl.events() as events:
        ctl.set_lookup(SW, "l3")
        assert ctl.switch(SW).config is None    # no LOOKUP_CONFIG at all
        ctl.set_lookup(SW, "learn")             # a new bridge: its default again
        assert ctl.switch(SW).config == {"ageing": 300}
        got = [(e.cmd, e.switch.lookup, e.switch.config) for e in events.drain(0.5)
               if e.switch_name == SW]
    # LOOKUP_SET events describe the switch as SWITCH_GET does
    assert got == [("lookup_set", "l3", None), ("lookup_set", "learn", {"ageing": 300})]


def test_events_of_switch_new_lookup_config_and_interfaces(ctl, l3):
    with ctl.events() as events:
        ctl.add_switch("valecfg1")
        ctl.add_switch("valecfg2", lookup="l3")
        ctl.set_config("valecfg1", ageing=61)
        ctl.flush_fdb("valecfg1")
        ctl.add_if("cfgv1")
        ctl.del_if("cfgv1")
        got = [e for e in events.drain(0.5)
               if (e.switch_name or e.ifname or "").startswith(("valecfg", "cfgv"))]
    assert [(e.cmd, e.switch_name or e.ifname) for e in got] == [
        ("switch_new", "valecfg1"), ("switch_new", "valecfg2"),
        ("lookup_config", "valecfg1"), ("lookup_config", "valecfg1"),
        ("if_new", "cfgv1"), ("if_del", "cfgv1")]
    # SWITCH_NEW with the module the switch was made with, and its settings
    assert (got[0].switch.lookup, got[0].switch.config) == ("learn", {"ageing": 300})
    assert (got[1].switch.lookup, got[1].switch.config) == ("l3", None)
    assert got[2].switch.config == {"ageing": 61} == got[3].switch.config


# ---------------------------------------------------------------------------
# valectl and pyctl's files


@pytest.mark.skipif(not os.access(VALECTL, os.X_OK), reason="valectl not built")
def test_valectl_shows_the_ageing(ctl, l3):
    vctl("lookup", "config", SW, "ageing", "90")
    assert vjson("switch", "show", SW)[0]["config"] == {"ageing": 90}
    rows = [line.split() for line in vctl("switch", "show").stdout.splitlines()]
    assert rows[0][-1] == "CONFIG"
    assert [r for r in rows if r[0] == SW][0][-2:] == ["ageing", "90"]
    # the words shown are the command that sets them
    ctl.add_switch("valecfg1")
    vctl("lookup", "config", "valecfg1", *rows[[r[0] for r in rows].index(SW)][-2:])
    assert vjson("switch", "show", "valecfg1")[0]["config"] == {"ageing": 90}
    # a module without settings: no config in JSON, "-" in the table
    vctl("lookup", "set", SW, "l3")
    assert "config" not in vjson("switch", "show", SW)[0]
    assert vctl("switch", "show", SW).stdout.splitlines()[1].split()[-1] == "-"


def test_pyctl_show_toml_and_an_idempotent_apply(ctl, tmp_path):
    ctl.set_config(SW, ageing=120)
    assert ctl.switch(SW).config == {"ageing": 120}
    st, out, _ = pyctl("show", check=0)
    assert [line for line in out.splitlines() if line.startswith(SW + " ")] == \
        ["%s  lookup learn  0 ports  persistent  ageing 120" % SW]
    st, out, _ = pyctl("show", "--json", check=0)
    assert [s["config"] for s in json.loads(out)["switches"] if s["name"] == SW] == \
        [{"ageing": 120}]
    st, shown, _ = pyctl("show", "--toml", check=0)
    block = shown[shown.index("[switch.%s]" % SW):].split("\n\n")[0]
    assert "config = { ageing = 120 }" in block, shown
    topo = tmp_path / "t.toml"
    topo.write_text(block + "\n")
    # what show wrote is what the kernel has: nothing sent, not even a refresh
    st, out, _ = pyctl("apply", "-v", str(topo), check=0)
    assert out == "%s: no change, the kernel matches it\n" % topo, out
    # another ageing is one change, and then the kernel has it
    topo.write_text(block.replace("ageing = 120", "ageing = 121") + "\n")
    st, out, _ = pyctl("apply", "-v", str(topo), check=0)
    assert out.splitlines() == ["lookup config %s ageing 121" % SW,
                                "%s: 1 change made" % topo]
    assert ctl.switch(SW).config == {"ageing": 121}
    # the table form, [switch.X.config], is the same file
    topo.write_text('[switch.%s]\nlookup = "learn"\n\n[switch.%s.config]\nageing = 121\n'
                    % (SW, SW))
    st, out, _ = pyctl("apply", "-v", str(topo), check=0)
    assert out == "%s: no change, the kernel matches it\n" % topo, out


def test_apply_refuses_an_unknown_setting_before_any_change(ctl, tmp_path):
    topo = tmp_path / "t.toml"
    topo.write_text('[switch.valecfg1]\nlookup = "learn"\nconfig = { ageing = 60, agein = 1 }\n')
    for dry in ([], ["--dry-run"]):
        st, out, err = pyctl("apply", *dry, str(topo), check=2)
        # A dry run shows the plan it would have carried out; nothing else
        # prints one.
        assert ("switch add valecfg1 lookup learn" in out) if dry else out == "", out
        assert err == ('vale: %s: switch.valecfg1.config.agein: lookup module "learn": no '
                       'setting "agein" (its settings: ageing)\n'
                       'vale: %s: 1 problem: %s\n'
                       % (topo, topo, "apply would change nothing" if dry else "nothing changed"))
    assert "valecfg1" not in [s.name for s in ctl.switches()]
