"""Messages and acks, byte by byte: encoding, decoding, and the extended
ack (message, offending attribute, missing attribute) of errors."""
import errno
import struct

from vale import netlink, uapi
from vale.control import config_attrs, event_from, fdb_from, port_from, switch_from
from vale.errors import ValeError


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
    ("VALE_ATTR_LOOKUP_CONFIG", {"attrs": [("VALE_LEARN_AGEING", 0)]}),
])


def test_encoding():
    # nlmsghdr, genlmsghdr, then SWITCH_NAME "vale0\0" and the nest with
    # NLA_F_NESTED holding AGEING
    assert CONFIG_REQ[16:20] == bytes([uapi.CMD_LOOKUP_CONFIG, 1, 0, 0])
    assert CONFIG_REQ[20:32] == struct.pack("HH", 10, 1) + b"vale0\0\0\0"
    assert CONFIG_REQ[32:36] == struct.pack("HH", 12, 6 | 0x8000)
    assert CONFIG_REQ[36:44] == struct.pack("HHI", 8, 1, 0)
    assert len(CONFIG_REQ) == 44


def test_success_is_none():
    assert netlink.parse_ack(ack(CONFIG_REQ, 0), 0, CONFIG_REQ) is None
    assert netlink.parse_ack(ack(CONFIG_REQ, 0, done=True), 0, CONFIG_REQ) is None


def test_error_with_message_and_offset():
    tl = tlv(1, b"integer out of range\0") + tlv(2, struct.pack("I", 36))
    for capped in (True, False):
        e = netlink.parse_ack(ack(CONFIG_REQ, errno.ERANGE, tl, capped), 0, CONFIG_REQ)
        assert isinstance(e, ValeError) and e.errno == errno.ERANGE
        assert e.extack == "integer out of range"
        assert e.attr == "VALE_LEARN_AGEING" and e.missing is None
        assert str(e) == "integer out of range (VALE_LEARN_AGEING, ERANGE)"


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
    req = request(uapi.CMD_LOOKUP_CONFIG, [("VALE_ATTR_LOOKUP_CONFIG", {"attrs": []})])
    tl = tlv(5, struct.pack("I", 1)) + tlv(6, struct.pack("I", 20))
    e = netlink.parse_ack(ack(req, errno.EINVAL, tl), 0, req)
    assert e.missing == "VALE_LEARN_AGEING"


def test_error_without_extack():
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.EPERM), 0, CONFIG_REQ)
    assert e.errno == errno.EPERM and e.extack is None and e.attr is None
    assert str(e) == "Operation not permitted (EPERM)"


def test_error_at_the_end_of_a_dump():
    tl = tlv(1, b"no such switch\0")
    e = netlink.parse_ack(ack(CONFIG_REQ, errno.ENOENT, tl, done=True), 0, CONFIG_REQ)
    assert e.errno == errno.ENOENT and e.extack == "no such switch"


def test_attr_at_inside_a_nest_names_the_nest():
    assert netlink.attr_at(CONFIG_REQ, 32)[0] == "VALE_ATTR_LOOKUP_CONFIG"
    assert netlink.attr_at(CONFIG_REQ, 38)[0] == "VALE_ATTR_LOOKUP_CONFIG"
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
    fdb = fdb_from(netlink.attrs_of(reply(uapi.CMD_FDB_GET, [
        ("VALE_ATTR_FDB_MAC", b"\x02\x00\x00\x00\x00\x0a"), ("VALE_ATTR_FDB_PORT", 1),
        ("VALE_ATTR_FDB_AGE", 5), ("VALE_ATTR_FDB_CONFIRMED", True)])))
    assert (fdb.mac, fdb.port, fdb.age, fdb.confirmed) == ("02:00:00:00:00:0a", 1, 5, True)


def test_switch_reply_and_event_carry_the_modules_settings():
    attrs = [("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_LOOKUP_NAME", "learn"),
             ("VALE_ATTR_LOOKUP_CONFIG", {"attrs": [("VALE_LEARN_AGEING", 42)]})]
    assert switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, attrs))).config == \
        {"ageing": 42}
    ev = event_from(reply(uapi.CMD_SWITCH_NEW, attrs))
    assert (ev.cmd, ev.switch.config) == ("switch_new", {"ageing": 42})
    # settings pyctl has no key for (another module's, a newer kernel's) are left out
    sw = switch_from(netlink.attrs_of(reply(uapi.CMD_SWITCH_GET, [
        ("VALE_ATTR_SWITCH_NAME", "vale0"), ("VALE_ATTR_LOOKUP_NAME", "l3"),
        ("VALE_ATTR_LOOKUP_CONFIG", {"attrs": [("VALE_LEARN_AGEING", 42)]})])))
    assert sw.config == {}


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


def test_config_attrs():
    assert config_attrs("learn", {"ageing": 5}) == {"attrs": [("VALE_LEARN_AGEING", 5)]}
    for module, cfg in (("learn", {"agein": 5}), ("l3", {"x": 1})):
        try:
            config_attrs(module, cfg)
        except ValueError as e:
            assert module in str(e)
        else:
            raise AssertionError("accepted %r" % cfg)


def test_errno_names_as_the_kernel_spells_them():
    assert ValeError(errno.EOPNOTSUPP).errname == "EOPNOTSUPP"
    assert ValeError(errno.EAGAIN).errname == "EAGAIN"
    assert ValeError(4095).errname == "4095"
