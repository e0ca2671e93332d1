"""vale.Vale's own code over the kernel model's netlink commands
(fakekernel.FakeSocket): lookup modules configured, shown and dumped by
their schema, every request meant for a module naming it, and a request
for one module never reaching a switch that runs another."""
import errno

import pytest

from fakekernel import CMD, FakeSocket, FakeVale

from vale import tlv, uapi
from vale.control import Vale
from vale.errors import ConfigError, ValeError
from vale.objects import FdbEntry


@pytest.fixture
def model():
    m = FakeVale(lookups=("learn", "l3", "of", "hello"))
    m.add_switch("vale0", "learn")
    m.add_switch("vale1", "l3")
    m.add_switch("vale2", "hello")
    for sw, p in (("vale0", "vi0"), ("vale1", "vi1"), ("vale2", "vi2")):
        m.add_if(p)
        m.attach(sw, p)
    m.open_ephemeral("vale1", "b")
    return m


@pytest.fixture
def sock(model):
    return FakeSocket(model)


@pytest.fixture
def v(sock):
    return Vale(sock=sock)


def sent(sock, name):
    return [a for n, a in sock.requests if n == name]


def test_every_module_request_names_its_module(v, sock, model):
    v.set_config("vale0", ageing=60)
    v.flush_fdb("vale0")
    list(v.fdb("vale0"))
    v.dump("vale0")
    v.dump("vale1", "routes")
    v.set_router_port("vale1", "b", "02:00:00:00:aa:01")
    v.router("vale1")
    v.set_config("vale2", mask=3)
    model.set_lookup("vale2", "of")
    v.flows("vale2")
    v.set_flow_emc("vale2", False)
    reqs = [(n, a["VALE_ATTR_SWITCH_NAME"], a.get("VALE_ATTR_LOOKUP_NAME"))
            for n, a in sock.requests if n in ("LOOKUP_CONFIG", "LOOKUP_DUMP")]
    assert reqs == [
        ("LOOKUP_CONFIG", "vale0", "learn"), ("LOOKUP_CONFIG", "vale0", "learn"),
        ("LOOKUP_DUMP", "vale0", "learn"), ("LOOKUP_DUMP", "vale0", "learn"),
        ("LOOKUP_DUMP", "vale1", "l3"), ("LOOKUP_CONFIG", "vale1", "l3"),
        ("LOOKUP_DUMP", "vale1", "l3"), ("LOOKUP_CONFIG", "vale2", "hello"),
        ("LOOKUP_DUMP", "vale2", "of"), ("LOOKUP_CONFIG", "vale2", "of")]
    assert not sent(sock, "FDB_GET") and not sent(sock, "FDB_FLUSH")


def test_set_config_by_the_schema(v, sock, model):
    v.set_config("vale0", ageing=60)
    (req,) = sent(sock, "LOOKUP_CONFIG")
    assert req == {"VALE_ATTR_SWITCH_NAME": "vale0", "VALE_ATTR_LOOKUP_NAME": "learn",
                   "VALE_ATTR_LOOKUP_CONFIG": tlv.u32(uapi.LEARN.index("VALE_LEARN_AGEING"), 60)}
    assert v.config("vale0") == {"ageing": 60} and v.switch("vale0").config == {"ageing": 60}
    # a custom module: its setting by the name it declares, from text too
    v.set_config("vale2", mask="0x0f")
    assert model.switches_["vale2"].config == {"mask": 15}
    assert v.config("vale2") == {"mask": 15}
    assert v.config("vale1") == {}      # l3: no settings
    # the schema is asked once per module and connection
    assert [a for a in sent(sock, "LOOKUP_SCHEMA")] == [
        {"VALE_ATTR_LOOKUP_NAME": "learn"}, {"VALE_ATTR_LOOKUP_NAME": "hello"}]


def test_unknown_key_names_the_module_and_the_key_and_sends_nothing(v, sock):
    for sw, kw, says in (("vale0", {"agein": 60}, 'lookup module "learn": no attribute "agein"'),
                         ("vale2", {"ageing": 60}, 'lookup module "hello": no attribute "ageing"'),
                         ("vale0", {"ageing": 0}, "ageing: 0 is out of range 1..1000000"),
                         ("vale0", {"age": 3}, '"age" is only in dumps')):
        with pytest.raises(ConfigError) as ei:
            v.set_config(sw, **kw)
        e = ei.value
        assert says in str(e) and e.key == next(iter(kw)) and e.module in str(e)
        assert str(e).startswith("lookup config %s %s " % (sw, e.key))
    with pytest.raises(ConfigError, match="nothing to set"):
        v.set_config("vale0")
    assert sent(sock, "LOOKUP_CONFIG") == []


def test_ageing_on_a_router_is_refused_and_the_routes_stay(v, sock, model):
    """The data-loss bug: learn's ageing (attribute 1) read by l3 as op 9,
    FLUSH.  pyctl refuses it from l3's schema; sent anyway for learn, the
    kernel refuses it (the switch runs l3)."""
    model.set_router_port("vale1", "b", "02:00:00:00:aa:01")
    model.add_route("vale1", "10.1.0.0/24", "b")
    before = v.router("vale1")
    with pytest.raises(ConfigError) as ei:
        v.set_config("vale1", ageing=9)
    assert 'lookup module "l3": no attribute "ageing"' in str(ei.value)
    assert sent(sock, "LOOKUP_CONFIG") == []
    with pytest.raises(ValeError) as ei:
        v.config_lookup("vale1", module="learn", ageing=9)
    assert ei.value.errno == errno.EOPNOTSUPP and "runs lookup module \"l3\"" in str(ei.value)
    with pytest.raises(ValeError) as ei:
        v.flush_fdb("vale1")
    assert ei.value.errno == errno.EOPNOTSUPP
    assert v.router("vale1") == before and before.routes


def test_a_module_change_in_between_is_refused_not_misread(v, sock, model):
    sch = v.schema(switch="vale0")
    assert sch.module == "learn"
    model.set_lookup("vale0", "l3")     # someone else, meanwhile
    with pytest.raises(ValeError) as ei:
        v.configure("vale0", {"ageing": 9}, module="learn")
    assert ei.value.errno == errno.EOPNOTSUPP


def test_dump_rows_by_the_schema(v, model):
    model.switches_["vale0"].fdb = [("02:00:00:00:00:01", 0, 3, False),
                                    ("02:00:00:00:00:02", 1, 0, True)]
    rows = v.dump("vale0")
    assert rows == [
        {"table": "fdb", "mac": "02:00:00:00:00:01", "port": "vi0", "age": 3},
        {"table": "fdb", "mac": "02:00:00:00:00:02", "port": 1, "age": 0, "confirmed": True}]
    assert v.dump("vale0", "fdb", numeric=True)[0]["port"] == 0
    assert list(v.fdb("vale0")) == [FdbEntry("02:00:00:00:00:01", 0, 3, False),
                                    FdbEntry("02:00:00:00:00:02", 1, 0, True)]
    v.flush_fdb("vale0")
    assert v.dump("vale0") == [] and list(v.fdb("vale0")) == []
    # a custom module's table
    model.switches_["vale2"].counters = {0: 5}
    assert v.dump("vale2") == [{"table": "counters", "port": "vi2", "frames": 5}]
    # the router's tables: routes by name, ops by name
    model.set_router_port("vale1", "b", "02:00:00:00:aa:01")
    model.add_route("vale1", "10.1.0.0/24", "b", via="10.1.0.1")
    assert v.dump("vale1", "routes") == [
        {"table": "routes", "op": "route_add", "port": "b", "prefix": "10.1.0.0",
         "prefix_len": 24, "gateway": "10.1.0.1"}]
    assert [r["table"] for r in v.dump("vale1")] == ["stats", "ports", "routes"]
    with pytest.raises(ValeError) as ei:
        v.dump("vale1", "fdb")
    assert ei.value.errno == errno.ENOENT and ei.value.op == "lookup dump vale1 fdb"


def test_schemas_of_every_registered_module(v, sock):
    assert [s.module for s in v.schemas()] == ["hello", "l3", "learn", "of"]
    assert v.schema("hello")["mask"].setting
    assert sent(sock, "LOOKUP_SCHEMA") == [{}]      # the dump filled the cache
    with pytest.raises(ValeError) as ei:
        v.schema("nope")
    assert ei.value.errno == errno.ENOENT
    with pytest.raises(TypeError):
        v.schema()


def test_switches_decode_each_modules_settings(v, model):
    model.configure("vale2", {"mask": 7})
    got = {s.name: s.config for s in v.switches()}
    assert got == {"vale0": {"ageing": 300}, "vale1": None, "vale2": {"mask": 7}}


def test_set_lookup_then_configure_the_new_module(v, model):
    v.set_lookup("vale1", "hello")
    v.set_config("vale1", mask=1)
    assert v.config("vale1") == {"mask": 1}
    assert CMD["LOOKUP_SCHEMA"] == uapi.CMD_LOOKUP_SCHEMA
