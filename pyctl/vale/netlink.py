"""The netlink transport: pyroute2's generic netlink socket and message
classes for the "vale" family, with requests, dumps and acks read here so
that every error carries the kernel's extended ack (message, offending or
missing attribute).

pyroute2 (Debian's python3-pyroute2, 0.7) resolves the family, joins the
multicast group and encodes and decodes the attributes.  Replies are read
by this module rather than by pyroute2's get(): that one retries EBUSY
for nine seconds and reads neither the missing-attribute report nor the
errors a dump ends with.
"""
import errno
import select
import socket
import struct

from pyroute2.netlink import (NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP,
                              NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
                              NLMSG_DONE, NLMSG_ERROR, NLMSG_NOOP, NLMSG_OVERRUN,
                              genlmsg, nla)
from pyroute2.netlink.exceptions import NetlinkError
from pyroute2.netlink.generic import GenericNetlinkSocket

from . import uapi
from .errors import ValeError

SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NLM_F_CAPPED = 0x100
NLM_F_ACK_TLVS = 0x200
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLMSGERR_ATTR_MISS_NEST = 6
NLA_TYPE_MASK = ~(NLA_F_NESTED | 0x4000) & 0xFFFF
HDRLEN = 16 + 4         # struct nlmsghdr + struct genlmsghdr
RECV_SIZE = 1 << 18     # more than a dump skb


class valemsg(genlmsg):
    """A message of the family: the header's attributes.  LOOKUP_CONFIG,
    the lookup module's own nest (each module numbers its attributes its
    own way), is kept as bytes: vale.schema encodes and decodes it from
    the module's declaration, vale.router and vale.flows for "l3" and
    "of".  One class for every message: pyroute2 compiles a class's
    nla_map once, and a subclass would inherit the compiled map."""
    prefix = "VALE_ATTR_"
    nla_map = uapi.ATTRS

    class stats(nla):
        prefix = "VALE_STATS_"
        nla_flags = NLA_F_NESTED
        nla_map = tuple((name, "none" if i in (0, len(uapi.STATS) - 1) else "uint64")
                        for i, name in enumerate(uapi.STATS))

    class lookup_config(nla.cdata):
        nla_flags = NLA_F_NESTED

    class schema_attr(nla):
        """LOOKUP_ATTR and LOOKUP_TABLE_DEF: enum vale_schema_attr."""
        prefix = "VALE_SCHEMA_"
        nla_flags = NLA_F_NESTED
        nla_map = uapi.SCHEMA


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


def _family_error(e):
    if e.code == errno.ENOENT:
        return ValeError(errno.ENOENT, "generic netlink family %r not found: "
                         "is the vale module loaded?" % uapi.GENL_NAME)
    return ValeError(e.code, e.args[1] if len(e.args) > 1 else None)


class Socket:
    """One generic netlink socket bound to the family, with extended acks
    on.  groups: multicast groups to join (by name)."""

    def __init__(self, groups=()):
        self.sock = GenericNetlinkSocket(ext_ack=True)
        self.sock.module_err_level = "debug"  # we say it ourselves
        try:
            try:
                self.sock.bind(uapi.GENL_NAME, valemsg)
            except NetlinkError as e:
                raise _family_error(e) from None
            # Errors need not echo the request (pyroute2's own lookup of
            # the family above decodes the echo: only after it).
            self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
            for g in groups:
                if g not in self.sock.mcast_groups:
                    raise ValeError(errno.ENOENT, "the %r family has no multicast "
                                    "group %r" % (uapi.GENL_NAME, g))
                self.sock.add_membership(g)
        except BaseException:
            self.sock.close()
            raise
        self.family = self.sock.prid
        self.seq = 0

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
        msg["version"] = uapi.GENL_VERSION
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
        if isinstance(value, nla) and "attrs" in value:
            value = attrs_of(value)
        out[slot.name] = value
    return out
