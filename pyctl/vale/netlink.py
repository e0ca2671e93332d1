"""The netlink transport: a generic netlink socket for the "vale" family,
its messages encoded and decoded by the table of vale.uapi, with
requests, dumps and acks read here so that every error carries the
kernel's extended ack (message, offending or missing attribute).

All of it is written on the socket module and struct: no netlink library
is imported, because importing pyroute2 (which this module used before)
cost a command most of its run time where Python starts slowly, as in a
VM that reads its disk over 9p: pyroute2's package scans every installed
distribution's entry points and imports its whole API at first import.
"""
import errno
import select
import socket
import struct

from . import tlv, uapi
from .errors import ValeError

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_ADD_MEMBERSHIP = 1
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_MULTI = 0x2
NLM_F_ACK = 0x4
NLM_F_DUMP_INTR = 0x10
NLM_F_DUMP = 0x300
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSG_NOOP = 1
NLMSG_ERROR = 2
NLMSG_DONE = 3
NLMSG_OVERRUN = 4
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = ~(NLA_F_NESTED | 0x4000) & 0xFFFF
HDRLEN = 16 + 4         # struct nlmsghdr + struct genlmsghdr
RECV_SIZE = 1 << 18     # more than a dump skb
SOCKBUF = 1 << 20       # socket buffers asked for (the kernel caps them)

# The generic netlink controller (linux/genetlink.h), to resolve the family
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_MCAST_GRP_NAME = 1
CTRL_ATTR_MCAST_GRP_ID = 2

_SCALARS = {"uint16": "=H", "uint32": "=I", "uint64": "=Q"}


class Attr:
    """A decoded attribute: its name (from the message's table) and
    value: str, int, True (a flag), bytes (a module's own nest, or an
    attribute of a type the table does not know, named "UNKNOWN"), None
    (a type with no payload) or a Nest."""
    __slots__ = ("name", "value")

    def __init__(self, name, value):
        self.name, self.value = name, value

    def __repr__(self):
        return "Attr(%r, %r)" % (self.name, self.value)


class Nest:
    """A decoded nest: nest["attrs"] is its attributes, [Attr]."""
    __slots__ = ("attrs",)

    def __init__(self, attrs):
        self.attrs = attrs

    def __getitem__(self, key):
        if key != "attrs":
            raise KeyError(key)
        return self.attrs

    def __contains__(self, key):
        return key == "attrs"

    def __repr__(self):
        return "Nest(%r)" % (self.attrs,)


def _table(nla_map):
    """name -> (type, kind) of an attribute table ((name, kind) by type)."""
    return {name: (t, kind) for t, (name, kind) in enumerate(nla_map)}


class genlmsg:
    """A generic netlink message: m["header"] (length, type, flags,
    sequence_number, pid), m["cmd"], m["version"] and m["attrs"]: to
    send, (name, value) pairs (a nest's value: {"attrs": [pairs]}); once
    decoded, [Attr].  nla_map: (name, kind) by attribute type; a kind is
    "asciiz", "flag", "none", "uint16", "uint32", "uint64", "binary" (the
    payload as bytes), or the name of a NESTS entry (a nest of another
    table) or of a BYTE_NESTS entry (a nest kept as bytes)."""
    nla_map = ()
    NESTS = {}
    BYTE_NESTS = ()

    def __init__(self, data=None, offset=0):
        self.data = data
        self.offset = offset
        self.fields = {"header": {"length": 0, "type": 0, "flags": 0,
                                  "sequence_number": 0, "pid": 0},
                       "cmd": 0, "version": 0, "reserved": 0, "attrs": []}

    def __getitem__(self, key):
        return self.fields[key]

    def __setitem__(self, key, value):
        self.fields[key] = value

    # -- encoding ------------------------------------------------------------
    @classmethod
    def _encode_attrs(cls, pairs, nla_map):
        names = _TABLES.get(nla_map)
        if names is None:
            names = _TABLES[nla_map] = _table(nla_map)
        out = []
        for name, value in pairs:
            try:
                t, kind = names[name]
            except KeyError:
                raise ValueError("no attribute %r in this message" % (name,)) from None
            if kind in cls.NESTS:
                inner = value.attrs if isinstance(value, Nest) else value["attrs"]
                if inner and isinstance(inner[0], Attr):
                    inner = [(a.name, a.value) for a in inner]
                out.append(tlv.attr(t, cls._encode_attrs(inner, cls.NESTS[kind]), nested=True))
            elif value is None or kind in ("flag", "none"):
                out.append(tlv.attr(t))
            elif kind == "asciiz":
                out.append(tlv.attr(t, value.encode() + b"\0"))
            elif kind in _SCALARS:
                out.append(tlv.attr(t, struct.pack(_SCALARS[kind], value)))
            elif kind in cls.BYTE_NESTS:
                out.append(tlv.attr(t, bytes(value), nested=True))
            else:
                out.append(tlv.attr(t, bytes(value)))
        return b"".join(out)

    def encode(self):
        """Make self.data, and set the header's length."""
        body = struct.pack("BBH", self["cmd"], self["version"], 0) + \
            self._encode_attrs(self["attrs"], self.nla_map)
        h = self["header"]
        h["length"] = 16 + len(body)
        self.data = struct.pack("IHHII", h["length"], h["type"], h["flags"],
                                h["sequence_number"], h["pid"]) + body
        self.offset = 0
        return self

    # -- decoding ------------------------------------------------------------
    @classmethod
    def _decode_attrs(cls, data, nla_map):
        out = []
        for t, payload in tlv.decode(data):
            if t >= len(nla_map):
                out.append(Attr("UNKNOWN", payload))
                continue
            name, kind = nla_map[t]
            if kind in cls.NESTS:
                value = Nest(cls._decode_attrs(payload, cls.NESTS[kind]))
            elif kind == "flag":
                value = True
            elif kind == "none":
                value = None
            elif kind == "asciiz":
                value = payload.split(b"\0", 1)[0].decode(errors="replace")
            elif kind in _SCALARS:
                fmt = _SCALARS[kind]
                value = struct.unpack_from(fmt, payload)[0] \
                    if len(payload) >= struct.calcsize(fmt) else tlv.number(payload)
            else:
                value = payload
            out.append(Attr(name, value))
        return out

    def decode(self):
        """Read the message at self.offset of self.data."""
        off = self.offset
        length, mtype, flags, seq, pid = struct.unpack_from("IHHII", self.data, off)
        self["header"] = {"length": length, "type": mtype, "flags": flags,
                          "sequence_number": seq, "pid": pid}
        self["cmd"], self["version"], self["reserved"] = \
            struct.unpack_from("BBH", self.data, off + 16)
        self["attrs"] = self._decode_attrs(bytes(self.data[off + HDRLEN:off + length]),
                                           self.nla_map)
        return self


_TABLES = {}    # an nla_map -> its names' (type, kind), made on first use


class valemsg(genlmsg):
    """A message of the family: the header's attributes.  LOOKUP_CONFIG,
    the lookup module's own nest (each module numbers its attributes its
    own way), is kept as bytes: vale.schema encodes and decodes it from
    the module's declaration, vale.router and vale.flows for "l3" and
    "of"."""
    nla_map = uapi.ATTRS
    NESTS = {
        "stats": tuple((name, "none" if i in (0, len(uapi.STATS) - 1) else "uint64")
                       for i, name in enumerate(uapi.STATS)),
        # LOOKUP_ATTR and LOOKUP_TABLE_DEF: enum vale_schema_attr
        "schema_attr": uapi.SCHEMA,
    }
    BYTE_NESTS = ("lookup_config",)


class ctrlmsg(genlmsg):
    """A message of the generic netlink controller: what resolving the
    family asks and reads (the groups' nest is read by _mcast_groups)."""
    nla_map = (("CTRL_ATTR_UNSPEC", "none"), ("CTRL_ATTR_FAMILY_ID", "uint16"),
               ("CTRL_ATTR_FAMILY_NAME", "asciiz"), ("CTRL_ATTR_VERSION", "uint32"),
               ("CTRL_ATTR_HDRSIZE", "uint32"), ("CTRL_ATTR_MAXATTR", "uint32"),
               ("CTRL_ATTR_OPS", "binary"), ("CTRL_ATTR_MCAST_GROUPS", "binary"))


def _mcast_groups(data):
    """{name: id} of a CTRL_ATTR_MCAST_GROUPS nest (a nest per group)."""
    out = {}
    for _, group in tlv.decode(data or b""):
        a = dict(tlv.decode(group))
        name = a.get(CTRL_ATTR_MCAST_GRP_NAME, b"").split(b"\0", 1)[0].decode(errors="replace")
        gid = tlv.number(a.get(CTRL_ATTR_MCAST_GRP_ID, b""))
        if name and gid is not None:
            out[name] = gid
    return out


# The names of attribute types in each nest, to name what an extack
# points at: top level, then nests by their attribute type (the names in
# LOOKUP_CONFIG are the module's: the caller passes them, from its schema).
_NAMES = {None: [a[0] for a in uapi.ATTRS]}
_NESTS = {[a[0] for a in uapi.ATTRS].index("VALE_ATTR_PORT_STATS"): list(uapi.STATS),
          uapi.ATTR_LOOKUP_CONFIG: {}}


def _attr_name(names, t):
    """names: a list (index: type) or a dict {type: name}."""
    if isinstance(names, dict):
        return names.get(t, "attribute type %d" % t)
    return names[t] if 0 <= t < len(names) else "attribute type %d" % t


def attr_at(request, offset, nests=None):
    """The name of the attribute at byte offset 'offset' of the encoded
    request (an extack NLMSGERR_ATTR_OFFS), looking into nests (an offset
    inside a nest but at none of its attributes names the nest), and the
    names of the attribute types within it if it is a nest (to name what
    a missing-attribute report pointing at a nest misses)."""
    nests = {**_NESTS, **(nests or {})}
    pos, end, names, inner = HDRLEN, len(request), _NAMES[None], None
    while pos + 4 <= end:
        length, t = struct.unpack_from("HH", request, pos)
        if length < 4:
            break
        t &= NLA_TYPE_MASK
        if pos == offset:
            return _attr_name(names, t), nests.get(t, names)
        if pos < offset < pos + length and t in nests and names is _NAMES[None]:
            pos, end, inner = pos + 4, pos + length, _attr_name(names, t)
            names = nests[t]
            continue
        pos += (length + 3) & ~3
    return (inner, names) if inner else (None, names)


def parse_ack(buf, off, request=b"", nests=None):
    """Decode the NLMSG_ERROR or NLMSG_DONE message at off: None for a
    success, else a ValeError with the extended ack."""
    length, mtype, flags = struct.unpack_from("IHH", buf, off)
    code = -struct.unpack_from("i", buf, off + 16)[0] if length >= 20 else 0
    if code <= 0:
        return None
    pos = off + 20
    if mtype == NLMSG_ERROR:
        inner = struct.unpack_from("I", buf, pos)[0] if pos + 4 <= off + length else 16
        pos += 16 if flags & NLM_F_CAPPED else (inner + 3) & ~3
    msg = offs = miss = miss_nest = None
    end = off + length
    while flags & NLM_F_ACK_TLVS and pos + 4 <= end:
        alen, t = struct.unpack_from("HH", buf, pos)
        if alen < 4:
            break
        val = bytes(buf[pos + 4:pos + alen])
        t &= NLA_TYPE_MASK
        if t == NLMSGERR_ATTR_MSG:
            msg = val.split(b"\0", 1)[0].decode(errors="replace") or None
        elif t == NLMSGERR_ATTR_OFFS and len(val) >= 4:
            offs = struct.unpack("I", val[:4])[0]
        elif t == NLMSGERR_ATTR_MISS_TYPE and len(val) >= 4:
            miss = struct.unpack("I", val[:4])[0]
        elif t == NLMSGERR_ATTR_MISS_NEST and len(val) >= 4:
            miss_nest = struct.unpack("I", val[:4])[0]
        pos += (alen + 3) & ~3
    attr = missing = None
    if offs is not None:
        attr = attr_at(request, offs, nests)[0]
    if miss is not None:
        names = _NAMES[None]
        if miss_nest is not None:
            names = attr_at(request, miss_nest, nests)[1]
        missing = _attr_name(names, miss)
    return ValeError(code, msg, attr=attr, missing=missing)


class DumpInterrupted(Exception):
    """The table changed while it was being dumped (NLM_F_DUMP_INTR)."""


def _family_error(e, name):
    if e.errno == errno.ENOENT:
        return ValeError(errno.ENOENT, "generic netlink family %r not found: "
                         "is the %s module loaded?" % (name, name))
    return e


class Socket:
    """One generic netlink socket bound to the family, with extended acks
    on.  groups: multicast groups to join (by name).  family: the generic
    netlink family's name ("vale"; another is for tests: "nlctrl", the
    controller, is always there)."""

    def __init__(self, groups=(), family=uapi.GENL_NAME):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW | socket.SOCK_CLOEXEC,
                                  NETLINK_GENERIC)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKBUF)
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKBUF)
            self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
            # errors need not echo the request
            self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
            self.sock.bind((0, 0))
            self.seq = 0
            # resolve the family: its number and multicast groups (one
            # request, answered by the controller)
            self.family = GENL_ID_CTRL
            try:
                reply = self.do(CTRL_CMD_GETFAMILY, [("CTRL_ATTR_FAMILY_NAME", family)],
                                msg_class=ctrlmsg)
            except ValeError as e:
                raise _family_error(e, family) from None
            a = {slot.name: slot.value for slot in reply["attrs"]}
            self.family = a["CTRL_ATTR_FAMILY_ID"]
            self.mcast_groups = _mcast_groups(a.get("CTRL_ATTR_MCAST_GROUPS"))
            for g in groups:
                if g not in self.mcast_groups:
                    raise ValeError(errno.ENOENT, "the %r family has no multicast "
                                    "group %r" % (family, g))
                self.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, self.mcast_groups[g])
        except BaseException:
            self.sock.close()
            raise

    def fileno(self):
        return self.sock.fileno()

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    # -- requests ----------------------------------------------------------
    def _send(self, cmd, attrs, flags, msg_class=valemsg):
        msg = msg_class()
        msg["cmd"] = cmd
        msg["version"] = uapi.GENL_VERSION      # the controller's is 1 too
        msg["attrs"] = list(attrs)
        self.seq = self.seq % 0x7FFFFFFF + 1
        msg["header"]["type"] = self.family
        msg["header"]["flags"] = flags
        msg["header"]["sequence_number"] = self.seq
        msg["header"]["pid"] = 0
        data = encode(msg)
        self.sock.sendto(data, (0, 0))
        return data

    def _replies(self, seq, request, ack, msg_class=valemsg, nests=None):
        """Yield (flags, message) for each reply to request seq until its
        end: the ack if one was asked for, else NLMSG_DONE or a single (not
        multipart) reply.  Errors raise ValeError."""
        while True:
            buf = self.sock.recv(RECV_SIZE)
            if not buf:
                raise ValeError(errno.EIO, "netlink socket closed")
            off, done = 0, False
            while off + 16 <= len(buf):
                length, mtype, flags, mseq = struct.unpack_from("IHHI", buf, off)
                if length < 16 or off + length > len(buf):
                    break
                if mseq == seq and not done:
                    if mtype in (NLMSG_ERROR, NLMSG_DONE):
                        err = parse_ack(buf, off, request, nests)
                        if err is not None:
                            raise err
                        if mtype == NLMSG_DONE:
                            yield flags, None
                        done = True
                    elif mtype == self.family:
                        msg = msg_class(buf, offset=off)
                        msg.decode()
                        yield flags, msg
                        if not flags & NLM_F_MULTI and not ack:
                            done = True
                    elif mtype == NLMSG_OVERRUN:
                        raise ValeError(errno.ENOBUFS, "netlink overrun")
                    elif mtype != NLMSG_NOOP:
                        raise ValeError(errno.EPROTO, "unexpected netlink message "
                                        "type %d" % mtype)
                off += (length + 3) & ~3
            if done:
                return

    def do(self, cmd, attrs=(), ack=True, msg_class=valemsg, nests=None):
        """One request; returns its reply message or None.  nests:
        {attribute type: names of the types in it (a list by type, or a
        dict)}, to name what an extack points at (uapi.ATTR_LOOKUP_CONFIG:
        the module's attribute names, from its schema)."""
        request = self._send(cmd, attrs, NLM_F_REQUEST | (NLM_F_ACK if ack else 0), msg_class)
        reply = None
        for _, msg in self._replies(self.seq, request, ack, msg_class, nests):
            if reply is None:
                reply = msg
        return reply

    def dump(self, cmd, attrs=(), msg_class=valemsg, nests=None):
        """A dump: yields each message; raises DumpInterrupted at the end if
        the kernel marked the dump inconsistent.  The replies are read to
        the end even if the caller stops early."""
        request = self._send(cmd, attrs, NLM_F_REQUEST | NLM_F_DUMP, msg_class)
        replies = self._replies(self.seq, request, False, msg_class, nests)
        intr = False
        try:
            for flags, msg in replies:
                intr |= bool(flags & NLM_F_DUMP_INTR)
                if msg is not None:
                    yield msg
        finally:
            for _ in replies:       # drain what the kernel still sends
                pass
        if intr:
            raise DumpInterrupted()

    # -- notifications -----------------------------------------------------
    def notifications(self, timeout=None):
        """The messages of the next datagram of the groups joined: a list,
        empty when timeout (seconds) passes first."""
        if timeout is not None:
            r, _, _ = select.select([self.sock.fileno()], [], [], max(timeout, 0))
            if not r:
                return []
        try:
            buf = self.sock.recv(RECV_SIZE)
        except socket.error as e:
            if e.errno == errno.ENOBUFS:
                raise ValeError(errno.ENOBUFS, "events were lost (socket "
                                "receive buffer overrun)") from None
            raise
        out, off = [], 0
        while off + 16 <= len(buf):
            length, mtype, flags, mseq = struct.unpack_from("IHHI", buf, off)
            if length < 16 or off + length > len(buf):
                break
            if mtype == self.family:
                msg = valemsg(buf, offset=off)
                msg.decode()
                out.append(msg)
            off += (length + 3) & ~3
        return out


def encode(msg):
    """The bytes of a message (header fields already set)."""
    msg.encode()
    return bytes(msg.data[:msg["header"]["length"]])


def attrs_of(msg):
    """A message's attributes as {uapi name: value}, nests as dicts."""
    out = {}
    for slot in msg["attrs"]:
        value = slot.value
        if isinstance(value, Nest):
            value = attrs_of(value)
        out[slot.name] = value
    return out
