"""Lookup modules' schemas (vale.schema): a LOOKUP_SCHEMA reply read, and
every type of value checked, encoded and decoded by name, for modules
pyctl has code for and for one it has never heard of."""
import errno
import struct

import pytest

from fakekernel import SCHEMAS, message, schema_attrs

from vale import schema, tlv, uapi
from vale.errors import ConfigError, ValeError
from vale.schema import Attr, Nested, Schema, Table

S, A, D = uapi.SCHEMA_F_SETTING, uapi.SCHEMA_F_ACTION, uapi.SCHEMA_F_DUMP_ONLY

# A module no tool has code for, with an attribute of every type
CUSTOM = Schema("custom", [
    Attr("on", 1, "flag", S), Attr("level", 2, "u8", S, 1, 9),
    Attr("vlan", 3, "u16", S), Attr("mode", 4, "u32", S, 0, 2, "", ("off", "fast", "safe")),
    Attr("cookie", 5, "u64"), Attr("label", 6, "string", S, 0, 8),
    Attr("gw_mac", 7, "mac", S), Attr("gw", 8, "ip", S), Attr("uplink", 9, "port", S),
    Attr("key", 10, "binary", S, 2, 4), Attr("rules", 11, "nested"),
    Attr("hits", 12, "u64", D), Attr("reset", 13, "flag", A, doc="forget the counters"),
], [Table("hits", "per port")])


def test_a_schema_reply_read_back():
    # as the kernel writes it: LOOKUP_NAME, LOOKUP_ATTR nests (u64 MIN and
    # MAX with their padding, repeated VALUE_NAME), LOOKUP_TABLE_DEF nests
    for sch in list(SCHEMAS.values()) + [CUSTOM]:
        got = schema.from_reply(message(uapi.CMD_LOOKUP_SCHEMA, schema_attrs(sch)))
        assert got == sch, sch.module
        assert got.by_name.keys() == sch.by_name.keys()
    learn = SCHEMAS["learn"]
    assert [a.name for a in learn.settings] == ["ageing"]
    assert learn["ageing"].range() == (1, 1000000) and learn["flush"].action
    assert learn["age"].dump_only and learn.table("fdb").name == "fdb"
    l3 = schema.from_reply(message(uapi.CMD_LOOKUP_SCHEMA, schema_attrs(SCHEMAS["l3"])))
    assert l3["op"].values[5] == "route_add" and l3.settings == []


def test_full_ranges():
    assert CUSTOM["vlan"].range() == (0, 0xFFFF)
    assert CUSTOM["cookie"].range() == (0, (1 << 64) - 1)
    assert CUSTOM["uplink"].range() == (0, 253)
    assert CUSTOM["label"].range() == (0, 8) and CUSTOM["key"].range() == (2, 4)
    assert CUSTOM["gw"].range() is None


VALUES = [  # (name, as given, canonical, payload)
    ("on", True, True, b""),
    ("on", "yes", True, b""),
    ("level", 3, 3, b"\x03"),
    ("level", "0x9", 9, b"\x09"),
    ("vlan", "4095", 4095, struct.pack("=H", 4095)),
    ("mode", "safe", "safe", struct.pack("=I", 2)),
    ("mode", 1, "fast", struct.pack("=I", 1)),
    ("cookie", 1 << 63, 1 << 63, struct.pack("=Q", 1 << 63)),
    ("label", "blue", "blue", b"blue\0"),
    ("gw_mac", "02:AA:00:00:00:01", "02:aa:00:00:00:01", bytes.fromhex("02aa00000001")),
    ("gw", "10.0.0.1", "10.0.0.1", bytes([10, 0, 0, 1])),
    ("gw", "fd00::0:1", "fd00::1", bytes.fromhex("fd00" + "00" * 13 + "01")),
    ("uplink", "7", 7, struct.pack("=I", 7)),
    ("key", "0a:0b:0c", b"\x0a\x0b\x0c", b"\x0a\x0b\x0c"),
]


@pytest.mark.parametrize("name, given, canonical, payload", VALUES)
def test_values_encoded_and_decoded_by_name(name, given, canonical, payload):
    a = CUSTOM[name]
    assert a.value(given) == canonical
    assert a.encode(canonical) == tlv.attr(a.id, payload)
    assert a.decode(payload) == canonical
    assert CUSTOM.decode(CUSTOM.encode({name: given})) == {name: canonical}


def test_a_port_by_name_needs_the_switchs_ports():
    a = CUSTOM["uplink"]
    assert a.value("eth1") == "eth1"
    assert a.encode("eth1", {"eth1": 4}.get) == tlv.u32(9, 4)
    with pytest.raises(ValueError):
        a.encode("eth1")
    assert a.decode(struct.pack("=I", 4), {4: "eth1"}) == "eth1"
    assert a.decode(struct.pack("=I", 5), {4: "eth1"}) == 5      # unknown: its number
    assert a.decode(struct.pack("=I", 4), lambda n: "p%d" % n) == "p4"


def test_a_false_flag_is_left_out():
    assert CUSTOM.encode({"on": False, "level": 2}) == tlv.u8(2, 2)


@pytest.mark.parametrize("settings, code, says", [
    ({"nope": 1}, errno.EINVAL, 'lookup module "custom": no attribute "nope" (it takes: on, '),
    ({"hits": 1}, errno.EINVAL, '"hits" is only in dumps: it cannot be set'),
    ({"rules": b"\0\0\0\0"}, errno.EINVAL, "a nest of the module's own: not settable by name"),
    ({"level": 10}, errno.ERANGE, "level: 10 is out of range 1..9"),
    ({"level": True}, errno.EINVAL, "expected an integer"),
    ({"mode": "slow"}, errno.EINVAL, "'slow' is none of off, fast, safe"),
    ({"label": "123456789"}, errno.EINVAL, "longer than 8 bytes"),
    ({"gw_mac": "02:00:00:00:00"}, errno.EINVAL, "is not a MAC address"),
    ({"gw": "10.0.0.0/8"}, errno.EINVAL, "is not an IPv4 or IPv6 address"),
    ({"uplink": 254}, errno.ERANGE, "254 is out of range 0..253"),
    ({"key": "0a"}, errno.EINVAL, "1 bytes: from 2 to 4"),
    ({"key": "xyz"}, errno.EINVAL, "bytes as hex digits"),
    ({"on": "maybe"}, errno.EINVAL, "a flag: true or false"),
])
def test_refusals_name_the_module_and_the_key(settings, code, says):
    with pytest.raises(ConfigError) as ei:
        CUSTOM.encode(settings)
    e = ei.value
    assert isinstance(e, ValeError) and e.errno == code
    assert (e.module, e.key, e.attr) == ("custom", next(iter(settings)), next(iter(settings)))
    assert says in e.strerror and e.strerror.startswith('lookup module "custom": ')


def test_a_named_value_outside_the_range_is_refused():
    op = SCHEMAS["l3"]["op"]
    assert op.value("route_add") == "route_add" and op.value(9) == "flush"
    with pytest.raises(ValueError, match="not taken here"):
        op.value("stats")       # in dumps only
    assert op.decode(struct.pack("=I", 10)) == "stats"


def test_settings_only():
    with pytest.raises(ConfigError) as ei:
        SCHEMAS["learn"].check({"flush": True}, settings_only=True)
    assert '"flush" is no setting, but an action (its settings: ageing)' in str(ei.value)
    with pytest.raises(ConfigError) as ei:
        SCHEMAS["l3"].check({"op": "flush"}, settings_only=True)
    assert "its settings: none" in str(ei.value)
    assert SCHEMAS["learn"].check({"ageing": "60"}, settings_only=True) == {"ageing": 60}


def test_decoding_keeps_order_repeats_and_skips_the_undeclared():
    assert CUSTOM.decode(b"") == {} and CUSTOM.decode(None) == {}
    got = CUSTOM.decode(tlv.u8(2, 3) + tlv.attr(99, b"xx") + tlv.u8(2, 4) + tlv.attr(1))
    assert got == {"level": [3, 4], "on": True}
    assert list(got) == ["level", "on"]


def test_a_nest_of_the_modules_own():
    nest = tlv.u64(1, 5) + tlv.u16(2, 0) + tlv.attr(3, b"abc")
    v = CUSTOM.decode(tlv.nest(11, nest))["rules"]
    assert isinstance(v, Nested) and v == nest
    assert schema.value_text(v) == "{1=5,2=0,3=616263}"
    assert schema.json_value(v) == {"1": 5, "2": 0, "3": "616263"}
    twice = Nested(tlv.u32(1, 5) + tlv.u32(1, 6))     # repeated types: pairs
    assert schema.json_value(twice) == [[1, 5], [1, 6]]


def test_value_text_is_what_the_command_line_takes_back():
    for name, given, canonical, _ in VALUES:
        text = schema.value_text(canonical)
        assert CUSTOM[name].value(text) == canonical, (name, text)


def test_as_dict():
    d = SCHEMAS["learn"].as_dict()
    assert d["module"] == "learn" and d["tables"][0]["name"] == "fdb"
    assert d["attrs"][0] == {"name": "ageing", "id": 1, "type": "u32", "flags": "setting",
                             "range": [1, 1000000], "doc": "the ageing"}
    assert SCHEMAS["l3"].as_dict()["attrs"][0]["values"][9] == "flush"
