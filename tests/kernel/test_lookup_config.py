"""A lookup module's settings read back (include/uapi/linux/vale.h): SWITCH_GET
replies and switch events carry LOOKUP_CONFIG, filled by the module's
get_config, with every setting in the attributes LOOKUP_CONFIG takes. The
learning bridge's ageing, set by LOOKUP_CONFIG, is seen through netlink,
valectl (table, JSON, monitor), pyctl (API, events, show, show --toml) and
pyctl's apply, which sends an ageing only when it differs.

Names here: switches "valecfg*"; the fixture removes them."""
import json
import os
import sys

import pytest
from pyroute2.netlink import NLA_F_NESTED, nla
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, TOP, module_loaded, run
from test_pyctl import pyctl
from test_valectl import VALECTL, vctl, vjson
from vale_genl import Genl, attrs, message_class

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402
from vale import uapi  # noqa: E402

SW = "valecfg0"
L3_KO = os.path.join(MODULES, "lookup", "vale_lookup_l3.ko")


class learn_config(nla):
    """LOOKUP_CONFIG of module "learn", decoded."""
    nla_flags = NLA_F_NESTED
    nla_map = tuple((n, "none" if i == 0 else "uint32") for i, n in enumerate(uapi.LEARN))


def learn_nest(ageing):
    return {"attrs": [("VALE_LEARN_AGEING", ageing)]}


@pytest.fixture
def ctl(core):
    v = vale.Vale()

    def cleanup():
        for s in v.switches():
            if s.name.startswith("valecfg"):
                v.del_switch(s.name)
    cleanup()
    v.add_switch(SW)
    yield v
    try:
        cleanup()
    finally:
        v.close()


@pytest.fixture
def l3(ctl):
    """The router module, a module with no settings to report."""
    loaded = module_loaded("vale_lookup_l3")
    if not loaded:
        run("insmod", L3_KO)
    yield
    if not loaded:
        for s in ctl.switches():    # a switch still using it keeps it loaded
            if s.lookup == "l3":
                ctl.set_lookup(s.name, "learn")
        run("rmmod", "vale_lookup_l3")


def switch_get(g, name=SW):
    (reply,) = g.request("SWITCH_GET", [("VALE_ATTR_SWITCH_NAME", name)])
    return reply


def test_switch_get_reports_the_ageing_set(ctl):
    with Genl(message_class(learn_config)) as g:
        # a new learning bridge: the default, 300 s, as the Linux bridge
        nest = switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")
        assert attrs(nest) == {"VALE_LEARN_AGEING": 300}
        g.request("LOOKUP_CONFIG", [("VALE_ATTR_SWITCH_NAME", SW),
                                    ("VALE_ATTR_LOOKUP_CONFIG", learn_nest(45))])
        assert attrs(switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
            {"VALE_LEARN_AGEING": 45}
        # the dump says the same
        dumped = [m for m in g.request("SWITCH_GET", [], dump=True)
                  if m.get_attr("VALE_ATTR_SWITCH_NAME") == SW]
        assert [attrs(m.get_attr("VALE_ATTR_LOOKUP_CONFIG")) for m in dumped] == \
            [{"VALE_LEARN_AGEING": 45}]
        # a refused setting changes nothing
        with pytest.raises(NetlinkError):
            g.request("LOOKUP_CONFIG", [("VALE_ATTR_SWITCH_NAME", SW),
                                        ("VALE_ATTR_LOOKUP_CONFIG", learn_nest(0))])
        assert attrs(switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")) == \
            {"VALE_LEARN_AGEING": 45}


def test_the_reported_nest_is_a_request_as_it_is(ctl):
    ctl.config_lookup(SW, ageing=77)
    ctl.add_switch("valecfg1")
    with Genl() as g:   # the nest kept as bytes, sent back untouched
        raw = switch_get(g).get_attr("VALE_ATTR_LOOKUP_CONFIG")
        g.request("LOOKUP_CONFIG", [("VALE_ATTR_SWITCH_NAME", "valecfg1"),
                                    ("VALE_ATTR_LOOKUP_CONFIG", raw)])
    assert ctl.switch("valecfg1").config == {"ageing": 77}


def test_a_module_without_settings_reports_none_and_learn_starts_afresh(ctl, l3):
    ctl.config_lookup(SW, ageing=45)
    with ctl.events() as events:
        ctl.set_lookup(SW, "l3")
        assert ctl.switch(SW).config is None    # no LOOKUP_CONFIG at all
        ctl.set_lookup(SW, "learn")             # a new bridge: its default again
        assert ctl.switch(SW).config == {"ageing": 300}
        got = [(e.cmd, e.switch.lookup, e.switch.config) for e in events.drain(0.5)
               if e.switch_name == SW]
    # LOOKUP_SET events describe the switch as SWITCH_GET does
    assert got == [("lookup_set", "l3", None), ("lookup_set", "learn", {"ageing": 300})]


def test_switch_new_event_carries_the_settings(ctl):
    with ctl.events() as events:
        ctl.add_switch("valecfg1")
        ev = [e for e in events.drain(0.5) if e.switch_name == "valecfg1"]
    assert [(e.cmd, e.switch.config) for e in ev] == [("switch_new", {"ageing": 300})]


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
    ctl.config_lookup(SW, ageing=120)
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
