"""The l3 router's configuration (module "l3", lookup-modules/l3): router
ports with their MAC and addresses, routes and static neighbours, as
LOOKUP_CONFIG requests and from LOOKUP_DUMP objects.  Ports are numbers
on the switch here; vale.control turns port names into them."""
import ipaddress
from dataclasses import dataclass, field
from typing import Optional

from . import tlv, uapi

OP = {name[len("VALE_L3_OP_"):].lower(): i for i, name in enumerate(uapi.L3_OPS)}
A = {name[len("VALE_L3_ATTR_"):].lower(): i for i, name in enumerate(uapi.L3_ATTRS)}
STATS = [name[len("VALE_L3_STATS_"):].lower() for name in uapi.L3_STATS]


@dataclass(frozen=True)
class Route:
    prefix: str                 # "10.0.1.0/24", "fd00::/64"
    port: object                # a port number, or a name before it is resolved
    via: Optional[str] = None   # the gateway; None: a connected network


@dataclass(frozen=True)
class Neigh:
    addr: str
    lladdr: str
    port: object


@dataclass
class RouterPort:
    port: object
    mac: Optional[str] = None   # None: addresses but no MAC (not routing)
    addrs: list = field(default_factory=list)


@dataclass
class RouterState:
    """What a LOOKUP_DUMP of "l3" says."""
    ports: dict = field(default_factory=dict)      # port -> RouterPort
    routes: list = field(default_factory=list)
    neighs: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)      # "forwarded_v4" -> n


# -- text ------------------------------------------------------------------

def mac(text):
    """A MAC address as six pairs of hex digits, normalized; ValueError."""
    parts = text.split(":") if isinstance(text, str) else []
    if len(parts) != 6 or not all(len(p) == 2 and all(c in "0123456789abcdefABCDEF" for c in p)
                                  for p in parts):
        raise ValueError("%r is not a MAC address (six pairs of hex digits: "
                         "02:00:00:00:00:01)" % (text,))
    return text.lower()


def unicast_mac(text):
    m = mac(text)
    if int(m[:2], 16) & 1:
        raise ValueError("%r: a unicast MAC address (first byte even)" % text)
    return m


def address(text):
    """An IPv4 or IPv6 address (no /LEN), normalized; ValueError."""
    if not isinstance(text, str) or "/" in text:
        raise ValueError("%r: an address, without /LEN" % (text,))
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError("%r is not an IPv4 or IPv6 address" % text) from None


def prefix(text):
    """ADDR[/LEN] or "default", normalized as ADDR/LEN; bits past LEN must
    be zero; ValueError."""
    if text == "default":
        return "0.0.0.0/0"
    try:
        return str(ipaddress.ip_network(text, strict=True))
    except ValueError as e:
        raise ValueError("prefix %r: %s" % (text, e)) from None


def port_number(p):
    if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p < uapi.MAX_PORTS:
        raise ValueError("port %r: a port number from 0 to %d, or a port name"
                         % (p, uapi.MAX_PORTS - 1))
    return p


# -- requests ---------------------------------------------------------------

def _addr_attr(t, text):
    return tlv.attr(t, ipaddress.ip_address(text).packed)


def request(op, port=None, mac=None, addr=None, prefix=None, via=None):
    """The LOOKUP_CONFIG payload of one operation (names of OP)."""
    out = [tlv.u32(A["op"], OP[op])]
    if port is not None:
        out.append(tlv.u32(A["port"], port_number(port)))
    if mac is not None:
        out.append(tlv.attr(A["mac"], bytes(int(b, 16) for b in mac.split(":"))))
    if addr is not None:
        out.append(_addr_attr(A["addr"], addr))
    if prefix is not None:
        net = ipaddress.ip_network(prefix, strict=True)
        out.append(tlv.attr(A["prefix"], net.network_address.packed))
        out.append(tlv.u8(A["prefix_len"], net.prefixlen))
    if via is not None:
        out.append(_addr_attr(A["gateway"], via))
    return b"".join(out)


# -- dumps -------------------------------------------------------------------

def _ip(b):
    return str(ipaddress.ip_address(b)) if len(b) in (4, 16) else None


def _mac(b):
    return ":".join("%02x" % x for x in b) if len(b) == 6 else None


def from_dump(configs):
    """A RouterState from the LOOKUP_CONFIG payloads of a dump."""
    st = RouterState()
    for data in configs:
        a = dict(tlv.decode(data))
        op = tlv.number(a.get(A["op"], b""))
        port = tlv.number(a.get(A["port"], b""))
        if op == OP["stats"]:
            st.stats = {STATS[t]: tlv.number(v) for t, v in tlv.decode(a.get(A["stats"], b""))
                        if 0 < t < len(STATS) - 1}
        elif op == OP["port_set"] and port is not None:
            st.ports.setdefault(port, RouterPort(port)).mac = _mac(a.get(A["mac"], b""))
        elif op == OP["addr_add"] and port is not None:
            st.ports.setdefault(port, RouterPort(port)).addrs.append(_ip(a.get(A["addr"], b"")))
        elif op == OP["neigh_add"]:
            st.neighs.append(Neigh(_ip(a.get(A["addr"], b"")), _mac(a.get(A["mac"], b"")), port))
        elif op == OP["route_add"]:
            p = a.get(A["prefix"], b"")
            plen = tlv.number(a.get(A["prefix_len"], b""))
            gw = a.get(A["gateway"])
            st.routes.append(Route("%s/%d" % (_ip(p), plen), port,
                                   _ip(gw) if gw is not None else None))
    return st
