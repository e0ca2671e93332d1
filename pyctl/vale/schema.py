"""Lookup modules' schemas: what a module declares about the attributes of
its LOOKUP_CONFIG nest (VALE_CMD_LOOKUP_SCHEMA), and the nest encoded and
decoded by name from that declaration, for any module, one pyctl has never
heard of included.

    s = v.schema("learn")
    s["ageing"].type, s["ageing"].range()       # "u32", (1, 1000000)
    nest = s.encode({"ageing": 60})             # LOOKUP_CONFIG's payload
    s.decode(nest)                              # {"ageing": 60}

Values, as the API, topology files and the command line have them:
  flag      True (present); False: left out
  u8..u64   int; an integer with value names (l3's "op") is shown by name
            and takes a name or a number
  string    str
  mac       "02:00:00:00:00:01"
  ip        "10.0.0.1", "fd00::1"
  port      a port's name, or its number (0 .. 253); shown by name where
            the switch's port names are at hand, else by number
  binary    bytes (text: hex digits, "0a0b0c" or "0a:0b:0c")
  nested    bytes, the module's own nest: shown, never set by name (the
            module's own forms do: routes, flows)
Pure: no kernel here; vale.control fetches schemas and port names.
"""
import errno
import ipaddress
import struct
from dataclasses import dataclass, field

from . import tlv, uapi
from .errors import ConfigError

TYPES = tuple(t[len("VALE_TYPE_"):].lower() for t in uapi.VALUE_TYPES)
INT_TYPES = {"u8": 1, "u16": 2, "u32": 4, "u64": 8}
NAME_MAX = 255          # a STRING's default largest length
FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True,
              "0": False, "false": False, "no": False, "off": False}


def _mac_text(b):
    return ":".join("%02x" % x for x in b)


class Nested(bytes):
    """A nest of the module's own (type "nested"): its bytes, shown as
    the numbers of its attributes (type=value), which only the module's
    own forms name (vale.router, vale.flows)."""

    def items(self):
        """[(type, value)]: numbers where the payload is 1, 2, 4 or 8
        bytes, else the bytes."""
        out = []
        for t, payload in tlv.decode(self):
            n = tlv.number(payload)
            out.append((t, n if n is not None else bytes(payload)))
        return out

    def text(self):
        return ",".join("%d=%s" % (t, v if isinstance(v, int) else v.hex() or "true")
                        for t, v in self.items())

    def json(self):
        items = [(t, v if isinstance(v, int) else v.hex()) for t, v in self.items()]
        if len({t for t, _ in items}) == len(items):
            return {str(t): v for t, v in items}
        return [list(i) for i in items]


@dataclass(frozen=True)
class Attr:
    """One attribute of a module's LOOKUP_CONFIG nest."""
    name: str
    id: int
    type: str                   # a name of TYPES: "u32", "mac", ...
    flags: int = 0              # uapi.SCHEMA_F_*
    min: int = 0
    max: int = 0
    doc: str = ""
    values: tuple = ()          # names of the values 0, 1, ... of an integer

    @property
    def setting(self):
        return bool(self.flags & uapi.SCHEMA_F_SETTING)

    @property
    def action(self):
        return bool(self.flags & uapi.SCHEMA_F_ACTION)

    @property
    def dump_only(self):
        return bool(self.flags & uapi.SCHEMA_F_DUMP_ONLY)

    def kind(self):
        """"setting", "action", "dump-only" or "request"."""
        return ("setting" if self.setting else "action" if self.action
                else "dump-only" if self.dump_only else "request")

    def range(self):
        """(least, largest): an integer's or a port's values, a string's or
        binary's length; None for other types."""
        if self.type in INT_TYPES:
            full = (0, (1 << (8 * INT_TYPES[self.type])) - 1)
        elif self.type == "port":
            full = (0, uapi.MAX_PORTS - 1)
        elif self.type == "string":
            return (0, self.max or NAME_MAX)
        elif self.type == "binary":
            return (self.min, self.max) if self.min or self.max else (0, 0xFFFF - 4)
        else:
            return None
        return (self.min, self.max) if self.min or self.max else full

    def flags_text(self):
        words = [w for f, w in ((uapi.SCHEMA_F_SETTING, "setting"),
                                (uapi.SCHEMA_F_ACTION, "action"),
                                (uapi.SCHEMA_F_DUMP_ONLY, "dump-only")) if self.flags & f]
        rest = self.flags & ~(uapi.SCHEMA_F_SETTING | uapi.SCHEMA_F_ACTION
                              | uapi.SCHEMA_F_DUMP_ONLY)
        if rest:
            words.append("0x%x" % rest)
        return ",".join(words)

    # -- values ------------------------------------------------------------
    def value(self, v):
        """v (from the API, a topology file or the command line, where
        everything is text) as this attribute's canonical value; ValueError
        saying what is wrong."""
        t = self.type
        if t == "flag":
            if isinstance(v, bool):
                return v
            if isinstance(v, str) and v.lower() in FLAG_WORDS:
                return FLAG_WORDS[v.lower()]
            raise ValueError("a flag: true or false, not %r" % (v,))
        if t in INT_TYPES or t == "port":
            return self._integer(v)
        if t == "string":
            if not isinstance(v, str):
                raise ValueError("a string, not %r" % (v,))
            lo, hi = self.range()
            if len(v.encode()) > hi:
                raise ValueError("longer than %d bytes" % hi)
            if "\0" in v:
                raise ValueError("a string without NUL")
            return v
        if t == "mac":
            parts = v.split(":") if isinstance(v, str) else []
            if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdefABCDEF"
                                                              for c in p) for p in parts):
                raise ValueError("%r is not a MAC address (six pairs of hex digits: "
                                 "02:00:00:00:00:01)" % (v,))
            return v.lower()
        if t == "ip":
            if isinstance(v, bytes) and len(v) in (4, 16):
                return str(ipaddress.ip_address(v))
            try:
                return str(ipaddress.ip_address(v))
            except ValueError:
                raise ValueError("%r is not an IPv4 or IPv6 address" % (v,)) from None
        if t == "binary":
            if isinstance(v, str):
                try:
                    v = bytes.fromhex(v.replace(":", ""))
                except ValueError:
                    raise ValueError("%r: bytes as hex digits (0a0b0c)" % v) from None
            if not isinstance(v, (bytes, bytearray)):
                raise ValueError("bytes, or hex digits, not %r" % (v,))
            lo, hi = self.range()
            if not lo <= len(v) <= hi:
                raise ValueError("%d bytes: from %d to %d" % (len(v), lo, hi))
            return bytes(v)
        if t == "nested":
            raise ValueError("a nest of the module's own: not settable by name")
        raise ValueError("of a type pyctl does not know (%s)" % t)

    def _integer(self, v):
        if isinstance(v, str):
            text = v.strip()
            if text in self.values and text:
                v = self.values.index(text)
                lo, hi = self.range()
                if not lo <= v <= hi:
                    raise ValueError("%s is not taken here (%s)" % (text, ", ".join(
                        n for n in self.values[lo:hi + 1] if n)))
                return text
            try:
                v = int(text, 0) if not text.isdigit() else int(text)
            except ValueError:
                if self.type == "port" and text:
                    return text             # a port's name, made a number by the caller
                if self.values:
                    raise ValueError("%r is none of %s" % (v, ", ".join(
                        n for n in self.values if n))) from None
                raise ValueError("expected an integer, not %r" % v) from None
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError("expected an integer, not %r" % (v,))
        lo, hi = self.range()
        if not lo <= v <= hi:
            raise ValueError("%d is out of range %d..%d" % (v, lo, hi))
        if v < len(self.values) and self.values[v]:
            return self.values[v]
        return v

    def number(self, v, port_index=None):
        """The integer to send for canonical value v."""
        if isinstance(v, int):
            return v
        if self.type == "port":
            if port_index is None:
                raise ValueError("port %r: by number here (the switch's port names "
                                 "are not at hand)" % v)
            n = port_index(v)
            self._integer(n)
            return n
        return self.values.index(v)

    def encode(self, v, port_index=None):
        """One attribute, for canonical value v (see value()); b"" for a
        flag that is False."""
        t = self.type
        if t == "flag":
            return tlv.attr(self.id) if v else b""
        if t in INT_TYPES or t == "port":
            n = self.number(v, port_index)
            size = INT_TYPES.get(t, 4)
            return tlv.attr(self.id, struct.pack("=" + {1: "B", 2: "H", 4: "I", 8: "Q"}[size], n))
        if t == "string":
            return tlv.attr(self.id, v.encode() + b"\0")
        if t == "mac":
            return tlv.attr(self.id, bytes.fromhex(v.replace(":", "")))
        if t == "ip":
            return tlv.attr(self.id, ipaddress.ip_address(v).packed)
        if t == "binary":
            return tlv.attr(self.id, v)
        raise ValueError("not settable by name")

    def decode(self, payload, port_name=None):
        """The value of one attribute's payload; port_name: {number: name}
        (or a callable) to show ports by name."""
        t = self.type
        if t == "flag":
            return True
        if t in INT_TYPES or t == "port":
            n = tlv.number(payload)
            if n is None:
                return payload
            if t == "port":
                name = port_name(n) if callable(port_name) else (port_name or {}).get(n)
                return name if name is not None else n
            return self.values[n] if n < len(self.values) and self.values[n] else n
        if t == "string":
            return payload.split(b"\0", 1)[0].decode(errors="replace")
        if t == "mac" and len(payload) == 6:
            return _mac_text(payload)
        if t == "ip" and len(payload) in (4, 16):
            return str(ipaddress.ip_address(payload))
        if t == "nested":
            return Nested(payload)
        return bytes(payload)

    def as_dict(self):
        d = {"name": self.name, "id": self.id, "type": self.type, "flags": self.flags_text(),
             "range": list(self.range()) if self.range() else None, "doc": self.doc}
        if self.values:
            d["values"] = list(self.values)
        return d


@dataclass(frozen=True)
class Table:
    name: str
    doc: str = ""


@dataclass
class Schema:
    """A module's declaration: its attributes (by name: schema["ageing"],
    by id: schema.by_id[1]) and the tables it dumps."""
    module: str
    attrs: list = field(default_factory=list)
    tables: list = field(default_factory=list)

    def __post_init__(self):
        self.by_name = {a.name: a for a in self.attrs}
        self.by_id = {a.id: a for a in self.attrs}

    def __getitem__(self, name):
        return self.by_name[name]

    def __contains__(self, name):
        return name in self.by_name

    @property
    def settings(self):
        return [a for a in self.attrs if a.setting]

    def names(self):
        """{id: name}: to name what an extack points at."""
        return {a.id: a.name for a in self.attrs}

    def table(self, name):
        for t in self.tables:
            if t.name == name:
                return t
        return None

    # -- requests ----------------------------------------------------------
    def _refuse(self, key, text, code=errno.EINVAL):
        return ConfigError(code, "lookup module %s: %s" % (_q(self.module), text), attr=key,
                           module=self.module, key=key)

    def check(self, settings, settings_only=False):
        """settings {name: value} as canonical values (Attr.value), in the
        schema's order; ConfigError naming the module and the key for a key
        it does not declare (or, settings_only, that is no setting), one
        only dumps report, one of a nest of its own, or a bad value."""
        out = {}
        for key, v in settings.items():
            a = self.by_name.get(key)
            if a is None or (settings_only and not a.setting):
                if settings_only:
                    have = ", ".join(s.name for s in self.settings) or "none"
                    what = "no setting %s (its settings: %s)" % (_q(key), have)
                    if a is not None:
                        what = "%s is no setting, but %s %s (its settings: %s)" % (
                            _q(key), "an" if a.kind()[0] in "aeiou" else "a", a.kind()
                            if a.kind() != "request" else "request attribute", have)
                else:
                    have = ", ".join(x.name for x in self.attrs if not x.dump_only) or "nothing"
                    what = "no attribute %s (it takes: %s)" % (_q(key), have)
                raise self._refuse(key, what)
            if a.dump_only:
                raise self._refuse(key, "%s is only in dumps: it cannot be set" % _q(key))
            try:
                out[key] = a.value(v)
            except ValueError as e:
                code = errno.ERANGE if "out of range" in str(e) else errno.EINVAL
                raise self._refuse(key, "%s: %s" % (key, e), code) from None
        order = {a.name: i for i, a in enumerate(self.attrs)}
        return dict(sorted(out.items(), key=lambda kv: order[kv[0]]))

    def encode(self, settings, port_index=None):
        """The LOOKUP_CONFIG payload for {name: value} (checked by check());
        port_index(name) -> number for ports given by name."""
        out = []
        for key, v in self.check(settings).items():
            try:
                out.append(self[key].encode(v, port_index))
            except ValueError as e:
                raise self._refuse(key, "%s: %s" % (key, e)) from None
        return b"".join(out)

    # -- replies -----------------------------------------------------------
    def decode(self, payload, port_name=None):
        """{name: value} of a LOOKUP_CONFIG nest (a reply's settings, a dump
        row); an attribute repeated gives a list; attributes the schema does
        not declare (padding) are left out."""
        out = {}
        for t, data in tlv.decode(payload or b""):
            a = self.by_id.get(t)
            if a is None:
                continue
            v = a.decode(data, port_name)
            if a.name in out:
                prev = out[a.name]
                out[a.name] = (prev if isinstance(prev, list) else [prev]) + [v]
            else:
                out[a.name] = v
        return out

    def as_dict(self):
        return {"module": self.module, "attrs": [a.as_dict() for a in self.attrs],
                "tables": [{"name": t.name, "doc": t.doc} for t in self.tables]}


def _q(s):
    return '"%s"' % s


def attr_from(fields, value_names=()):
    """An Attr from a LOOKUP_ATTR nest's {VALE_SCHEMA_* name: value}."""
    t = fields.get("VALE_SCHEMA_TYPE", 0)
    return Attr(name=fields.get("VALE_SCHEMA_NAME") or "attr%d" % fields.get("VALE_SCHEMA_ID", 0),
                id=fields.get("VALE_SCHEMA_ID", 0),
                type=TYPES[t] if 0 <= t < len(TYPES) else "type%d" % t,
                flags=fields.get("VALE_SCHEMA_FLAGS", 0),
                min=fields.get("VALE_SCHEMA_LOW", 0), max=fields.get("VALE_SCHEMA_HIGH", 0),
                doc=fields.get("VALE_SCHEMA_DOC") or "", values=tuple(value_names))


def from_reply(msg):
    """The Schema of a LOOKUP_SCHEMA reply (a decoded vale.netlink.valemsg):
    LOOKUP_NAME, then LOOKUP_ATTR and LOOKUP_TABLE_DEF nests, repeated."""
    module, attrs, tables = None, [], []
    for slot in msg["attrs"]:
        if slot.name == "VALE_ATTR_LOOKUP_NAME":
            module = slot.value
        elif slot.name in ("VALE_ATTR_LOOKUP_ATTR", "VALE_ATTR_LOOKUP_TABLE_DEF"):
            fields, names = {}, []
            for inner in slot.value["attrs"]:
                if inner.name == "VALE_SCHEMA_VALUE_NAME":
                    names.append(inner.value)
                else:
                    fields[inner.name] = inner.value
            if slot.name == "VALE_ATTR_LOOKUP_ATTR":
                attrs.append(attr_from(fields, names))
            else:
                tables.append(Table(fields.get("VALE_SCHEMA_NAME") or "",
                                    fields.get("VALE_SCHEMA_DOC") or ""))
    return Schema(module, attrs, tables)


def value_text(v):
    """A decoded value as the command line shows it (and takes it back)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Nested):
        return "{%s}" % v.text()
    if isinstance(v, (bytes, bytearray)):
        return v.hex() if v else '""'
    if isinstance(v, list):
        return ",".join(value_text(x) for x in v)
    return str(v)


def json_value(v):
    """A decoded value for JSON: bytes as hex, a nest as its numbers."""
    if isinstance(v, Nested):
        return v.json()
    if isinstance(v, (bytes, bytearray)):
        return v.hex()
    if isinstance(v, list):
        return [json_value(x) for x in v]
    return v
