"""Messages and acks, byte by byte: encoding, decoding, and the extended
ack (message, offending attribute, missing attribute) of errors."""
import errno
import struct

from fakekernel import SCHEMAS

from vale import netlink, tlv as nla, uapi
from vale.control import event_from, fdb_from, port_from, switch_from
from vale.errors import ValeError

LEARN_NAMES = {uapi.ATTR_LOOKUP_CONFIG: SCHEMAS["learn"].names()}


def request(cmd, attrs):
    m = netlink.valemsg()
    m["cmd"] = cmd
    m["version"] = 1
    m["attrs"] = attrs
    m["header"]["type"] = 0x20
    m["header"]["flags"] = 5
    m["header"]["sequence_number"] = 9
    return netlink.encode(m)


def reply(cmd, attrs, flags=0):
    data = request(cmd, attrs)
    msg = netlink.valemsg(data)
    msg.decode()
    return msg


def tlv(t, payload):
    n = 4 + len(payload)
    return struct.pack("HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)


def ack(req, code, tlvs=b"", capped=True, done=False):
    """An NLMSG_ERROR (or NLMSG_DONE) answering req."""
    flags = (0x100 if capped else 0) | (0x200 if tlvs else 0)
    if done:
        body = struct.pack("i", -code) + tlvs
        mtype = 3
    else:
        echo = req[:16] if capped else req
        body = struct.pack("i", -code) + echo + tlvs
        mtype = 2
    return struct.pack("IHHII", 16 + len(body), mtype, flags, 9, 0) + body


CONFIG_REQ = request(uapi.CMD_LOOKUP_CONFIG, [
    ("VALE_ATTR_SWITCH_NAME", "vale0"),
    ("VALE_ATTR_LOOKUP_NAME", "learn"),
    ("VALE_ATTR_LOOKUP_CONFIG", nla.u32(1, 0)),     # the module's nest, as bytes
])


def test_encoding():
    # nlmsghdr, genlmsghdr, then SWITCH_NAME "vale0\0", LOOKUP_NAME
    # "learn\0" and the nest with NLA_F_NESTED holding learn's AGEING
    assert CONFIG_REQ[16:20] == bytes([uapi.CMD_LOOKUP_CONFIG, 1, 0, 0])
    assert CONFIG_REQ[20:32] == struct.pack("HH", 10, 1) + b"vale0\0\0\0"
    assert CONFIG_REQ[32:44] == struct.pack("HH", 10, 5) + b"learn\0\0\0"
    assert CONFIG_REQ[44:48] == struct.pack("HH", 12, 6 | 0x8000)
    assert CONFIG_REQ[48:56] == struct.pack("HHI", 8, 1, 0)
    assert len(CONFIG_REQ) == 56


def test_one_message_class_carries_every_modules_nest_as_bytes():
    # a reply's LOOKUP_CONFIG is bytes whatever the module: the schema reads it
    for nest in (nla.u32(1, 45), nla.u32(1, 9) + nla.u8(6, 24)):
        msg = reply(uapi.CMD_SWITCH_GET, [("VALE_ATTR_SWITCH_NAME", "vale0"),
                                          ("VALE_ATTR_LOOKUP_CONFIG", nest)])
        assert netlink.attrs_of(msg)["VALE_ATTR_LOOKUP_CONFIG"] == nest


def test_success_is_none():
    assert netlink.parse_ack(ack(CONFIG_REQ, 0), 0, CONFIG_REQ) is None
    assert netlink.parse_ack(ack(CONFIG_REQ, 0, done=True), 0, CONFIG_REQ) is None


def test_error_with_message_and_offset():
    tl = tlv(1, b"integer out of range\0") + tlv(2, struct.pack("I", 48))
    for capped in (True, False):
        e = netlink.parse_ack(ack(CONFIG_REQ, errno.ERANGE, tl, capped), 0, CONFIG_REQ,
                              LEARN_NAMES)
        assert isinstance(e, ValeError) and e.errno == errno.ERANGE
        assert e.extack == "integer out of range"
        assert e.attr == "ageing" and e.missing is None
        assert str(e) == "integer out of range (ageing, ERANGE)"
    # without the module's names: its number
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.ERANGE, tl), 0, CONFIG_REQ)
    assert e.attr == "attribute type 1"


def test_error_pointing_at_a_top_level_attribute():
    tl = tlv(1, b"no such switch\0") + tlv(2, struct.pack("I", 20))
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.ENOENT, tl), 0, CONFIG_REQ)
    assert e.attr == "VALE_ATTR_SWITCH_NAME"
    e.op = "lookup config vale0"
    assert str(e) == "lookup config vale0: no such switch (VALE_ATTR_SWITCH_NAME, ENOENT)"


def test_missing_attribute():
    req = request(uapi.CMD_SWITCH_NEW, [])
    e = netlink.parse_ack(ack(req, errno.EINVAL, tlv(5, struct.pack("I", 1))), 0, req)
    assert e.missing == "VALE_ATTR_SWITCH_NAME" and e.extack is None
    assert str(e) == "missing attribute (VALE_ATTR_SWITCH_NAME, EINVAL)"


def test_missing_attribute_in_a_nest():
    req = request(uapi.CMD_LOOKUP_CONFIG, [("VALE_ATTR_LOOKUP_CONFIG", b"")])
    tl = tlv(5, struct.pack("I", 1)) + tlv(6, struct.pack("I", 20))
    e = netlink.parse_ack(ack(req, errno.EINVAL, tl), 0, req, LEARN_NAMES)
    assert e.missing == "ageing"


def test_error_without_extack():
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.EPERM), 0, CONFIG_REQ)
    assert e.errno == errno.EPERM and e.extack is None and e.attr is None
    assert str(e) == "Operation not permitted (EPERM)"


def test_error_at_the_end_of_a_dump():
    tl = tlv(1, b"no such switch\0")
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.ENOENT, tl, done=True), 0, CONFIG_REQ)
    assert e.errno == errno.ENOENT and e.extack == "no such switch"


def test_attr_at_inside_a_nest_names_the_nest():
    assert netlink.attr_at(CONFIG_REQ, 32)[0] == "VALE_ATTR_LOOKUP_NAME"
    assert netlink.attr_at(CONFIG_REQ, 44)[0] == "VALE_ATTR_LOOKUP_CONFIG"
    assert netlink.attr_at(CONFIG_REQ, 50)[0] == "VALE_ATTR_LOOKUP_CONFIG"
    assert netlink.attr_at(CONFIG_REQ, 100)[0] is None


def test_replies_to_objects():
    sw = switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_SWITCH_INDEX", 3),
        ("VALE_ATTR_SWITCH_PORTS", 2), ("VALE_ATTR_LOOKUP_NAME", "learn"),
        ("VALE_ATTR_SWITCH_PERSISTENT", True)])))
    assert (sw.name, sw.index, sw.nports, sw.lookup, sw.persistent, sw.config) == \
        ("vale0", 3, 2, "learn", True, None)
    port = port_from(netlink.attrs_of(reply(uapi.CMD_PORT_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_PORT_NAME", "p1"),
        ("VALE_ATTR_PORT_INDEX", 4), ("VALE_ATTR_PORT_KIND", 0),
        ("VALE_ATTR_PORT_TX_RINGS", 1), ("VALE_ATTR_PORT_RX_SLOTS", 64),
        ("VALE_ATTR_PORT_STATS", {"attrs": [("VALE_STATS_TX_PACKETS", 1 << 40),
                                            ("VALE_STATS_PAD", None),
                                            ("VALE_STATS_DROP_BAD_BUF", 7)]})])))
    assert port.full_name == "vale0:p1" and port.kind == "ephemeral" and not port.persistent
    assert (port.index, port.tx_rings, port.rx_slots) == (4, 1, 64)
    assert port.stats.tx_packets == 1 << 40 and port.stats.drop_bad_buf == 7
    assert port.stats.rx_bytes == 0
    # a row of learn's table "fdb" (LOOKUP_DUMP)
    row = netlink.attrs_of(reply(uapi.CMD_LOOKUP_DUMP, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_LOOKUP_TABLE", "fdb"),
        ("VALE_ATTR_LOOKUP_CONFIG", nla.attr(3, b"\x02\x00\x00\x00\x00\x0a") + nla.u32(4, 1)
         + nla.u32(5, 5) + nla.attr(6))]))
    assert row["VALE_ATTR_LOOKUP_TABLE"] == "fdb"
    fdb = fdb_from(row["VALE_ATTR_LOOKUP_CONFIG"])
    assert (fdb.mac, fdb.port, fdb.age, fdb.confirmed) == ("02:00:00:00:00:0a", 1, 5, True)
    assert SCHEMAS["learn"].decode(row["VALE_ATTR_LOOKUP_CONFIG"], {1: "b"}) == \
        {"mac": "02:00:00:00:00:0a", "port": "b", "age": 5, "confirmed": True}


def test_switch_reply_and_event_carry_the_modules_settings():
    attrs = [("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_LOOKUP_NAME", "learn"),
             ("VALE_ATTR_LOOKUP_CONFIG", nla.u32(1, 42))]
    sw = switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, attrs)), SCHEMAS.get)
    assert sw.config == {"ageing": 42} and sw.raw_config == nla.u32(1, 42)
    ev = event_from(reply(uapi.CMD_SWITCH_NEW, attrs), SCHEMAS.get)
    assert (ev.cmd, ev.switch.config) == ("switch_new", {"ageing": 42})
    ev = event_from(reply(uapi.CMD_LOOKUP_CONFIG, attrs), SCHEMAS.get)
    assert (ev.cmd, ev.switch_name, ev.switch.config) == ("lookup_config", "vale0", {"ageing": 42})
    # the same number is another module's own: read by that module's schema
    sw = switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_LOOKUP_NAME", "hello"),
        ("VALE_ATTR_LOOKUP_CONFIG", nla.u32(1, 42))])), SCHEMAS.get)
    assert sw.config == {"mask": 42}
    # no schema to read it by (the module went): not guessed
    assert switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, attrs)),
                       lambda m: None).config is None
    # a module that reports no settings: no nest, no config
    sw = switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, attrs[:2])), SCHEMAS.get)
    assert sw.config is None


def test_host_flag_on_the_wire_and_in_replies():
    # attach(..., host=True): PORT_HOST, a flag, is an attribute with no payload
    req = request(uapi.CMD_PORT_ATTACH, [("VALE_ATTR_SWITCH_NAME", "vale0"),
                                         ("VALE_ATTR_PORT_NAME", "eth0"),
                                         ("VALE_ATTR_PORT_HOST", True)])
    host = [i for i, (n, _) in enumerate(uapi.ATTRS) if n == "VALE_ATTR_PORT_HOST"][0]
    assert req[-4:] == struct.pack("HH", 4, host)
    nic = port_from(netlink.attrs_of(reply(uapi.CMD_PORT_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_PORT_NAME", "eth0"),
        ("VALE_ATTR_PORT_KIND", uapi.PORT_NIC), ("VALE_ATTR_PORT_HOST", True)])))
    assert (nic.kind, nic.host, nic.persistent) == ("nic", True, True)
    stack = port_from(netlink.attrs_of(reply(uapi.CMD_PORT_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_PORT_NAME", "eth0^"),
        ("VALE_ATTR_PORT_KIND", uapi.PORT_HOST)])))
    assert (stack.kind, stack.host, stack.persistent) == ("host", False, True)


def test_events():
    ev = event_from(reply(uapi.CMD_PORT_ATTACH, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_PORT_NAME", "vi0"),
        ("VALE_ATTR_PORT_KIND", 1)]))
    assert (ev.cmd, ev.switch_name, ev.port_name, ev.port.kind) == \
        ("port_attach", "vale0", "vi0", "virtual")
    ev = event_from(reply(uapi.CMD_SWITCH_DEL, [("VALE_ATTR_SWITCH_NAME", "vale0")]))
    assert (ev.cmd, ev.switch_name, ev.port_name) == ("switch_del", "vale0", None)
    for cmd, name in ((uapi.CMD_IF_NEW, "if_new"), (uapi.CMD_IF_DEL, "if_del")):
        ev = event_from(reply(cmd, [("VALE_ATTR_IF_NAME", "vi0")]))
        assert (ev.cmd, ev.ifname, ev.switch, ev.port) == (name, "vi0", None, None)


def test_errno_names_as_the_kernel_spells_them():
    assert ValeError(errno.EOPNOTSUPP).errname == "EOPNOTSUPP"
    assert ValeError(errno.EAGAIN).errname == "EAGAIN"
    assert ValeError(4095).errname == "4095"
