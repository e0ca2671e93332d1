"""Declarative topologies: a TOML file naming switches, their lookup module
and its configuration, their ports, and the persistent interfaces to make.

    [switch.vale0]
    lookup = "learn"            # optional: the lookup module
    ports = ["vi0", "eth1"]     # the switch's persistent ports, in order
    config = { ageing = 300 }   # optional: the module's settings, by the names
                                # it declares (or a [switch.vale0.config] table)

    [interface.vi0]             # a persistent interface to make
    tx_rings = 1                # optional, each: the kernel's default
    rx_rings = 1
    tx_slots = 1024
    rx_slots = 1024

A port that is declared under [interface] is made and attached; any other
port is a NIC, attached by name.  A NIC's name followed by "^" is its host
stack (netmap's "eth0^"): listed with the NIC on the same switch, the two
are attached together (valectl port attach SWITCH eth0 host):

    [switch.vale1]
    ports = ["eth0", "eth0^"]   # eth0, and the machine's stack behind it

The same as the first, shorter:

    interface.vi0 = {}
    interface.vi1 = {}
    switch.vale0 = { ports = ["vi0", "vi1"] }

loads()/load() read and check a file (TopologyError says where it is
wrong), dumps() writes one, from_live() describes what the kernel has.
"""
import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Optional

from . import flows as flowtext, router, uapi
from .errors import ConfigError, TopologyError
from .objects import GEOMETRY

SWITCH_RE = re.compile(r"vale[A-Za-z0-9_.\-]*\Z")
HOST_SUFFIX = "^"       # "eth0^": the host stack of NIC eth0
IFNAME_BAD = re.compile(r"[\s/:{}]")
U32_MAX = 0xFFFFFFFF


@dataclass
class SwitchSpec:
    name: str
    lookup: Optional[str] = None        # None: whatever the switch has
    config: dict = field(default_factory=dict)
    ports: list = field(default_factory=list)
    # lookup "l3": router ports {port name: {"mac": .., "addrs": [..]}},
    # [router.Route], [router.Neigh]; lookup "of": flows as canonical text
    router: dict = field(default_factory=dict)
    routes: list = field(default_factory=list)
    neighbours: list = field(default_factory=list)
    flows: list = field(default_factory=list)


@dataclass
class InterfaceSpec:
    name: str
    tx_rings: Optional[int] = None      # None: the kernel's default
    rx_rings: Optional[int] = None
    tx_slots: Optional[int] = None
    rx_slots: Optional[int] = None

    def geometry(self):
        return {k: getattr(self, k) for k in GEOMETRY if getattr(self, k) is not None}


@dataclass
class Topology:
    switches: dict = field(default_factory=dict)      # name -> SwitchSpec
    interfaces: dict = field(default_factory=dict)    # name -> InterfaceSpec

    def port_kind(self, name):
        """"virtual" for a declared interface, "host" for a NIC's host
        stack ("eth0^"), else "nic"."""
        if name in self.interfaces:
            return "virtual"
        return "host" if name.endswith(HOST_SUFFIX) else "nic"

    def switch_of(self, port):
        """The switch a port is declared on, or None."""
        for sw in self.switches.values():
            if port in sw.ports:
                return sw.name
        return None


# -- reading -------------------------------------------------------------------

def _bare(k):
    return k if re.fullmatch(r"[A-Za-z0-9_\-]+", k) else json.dumps(k)


def _key(where, *parts):
    """A location in the file: where (already a location, or "") and then
    keys (quoted as TOML needs) and list indexes."""
    out = where
    for p in parts:
        if isinstance(p, int):
            out += "[%d]" % p
        else:
            out += ("." if out else "") + _bare(p)
    return out


def check_switch_name(name, where):
    if not isinstance(name, str) or not SWITCH_RE.match(name):
        raise TopologyError(where, "a switch name is \"vale\" followed by letters, "
                            "digits and \"_.-\", not %s" % json.dumps(name))
    if len(name.encode()) > uapi.NAME_MAX - 1:
        raise TopologyError(where, "switch name longer than %d bytes" % (uapi.NAME_MAX - 1))


def check_ifname(name, where):
    if not isinstance(name, str) or not name:
        raise TopologyError(where, "expected an interface name, not %s" % json.dumps(name))
    if len(name.encode()) > uapi.IFNAMSIZ - 1:
        raise TopologyError(where, "interface name %s is longer than %d bytes"
                            % (json.dumps(name), uapi.IFNAMSIZ - 1))
    if IFNAME_BAD.search(name) or name in (".", ".."):
        raise TopologyError(where, "%s is no interface name (no blanks, \"/\", \":\", "
                            "\"{\" or \"}\")" % json.dumps(name))
    if SWITCH_RE.match(name):
        raise TopologyError(where, "%s would be taken for a switch name" % json.dumps(name))


def _table(value, where):
    if not isinstance(value, dict):
        raise TopologyError(where, "expected a table, not %s" % type(value).__name__)
    return value


def _unknown(table, known, where):
    for k in table:
        if k not in known:
            raise TopologyError(_key(where, k), "unknown key (known: %s)"
                                % ", ".join(sorted(known)))


def _uint(value, where, lo=1, hi=U32_MAX):
    if not isinstance(value, int) or isinstance(value, bool):
        raise TopologyError(where, "expected an integer, not %s" % json.dumps(value))
    if not lo <= value <= hi:
        raise TopologyError(where, "%d is out of range %d..%d" % (value, lo, hi))
    return value


def _switch(name, t, where):
    check_switch_name(name, where)
    t = _table(t, where)
    _unknown(t, ("lookup", "config", "ports", "router", "routes", "neighbours", "flows"), where)
    spec = SwitchSpec(name)
    if "lookup" in t:
        lk = t["lookup"]
        if not isinstance(lk, str) or not lk or len(lk.encode()) > uapi.NAME_MAX - 1:
            raise TopologyError(_key(where, "lookup"), "expected a lookup module name, "
                                "not %s" % json.dumps(lk))
        spec.lookup = lk
    if "config" in t:
        cw = _key(where, "config")
        cfg = _table(t["config"], cw)
        if cfg and spec.lookup is None:
            raise TopologyError(cw, "a configuration needs the lookup module that "
                                "reads it: set %s" % _key(where, "lookup"))
        for k, v in cfg.items():
            # what each key means is the module's to say (check_config)
            if isinstance(v, float) or not isinstance(v, (bool, int, str)):
                raise TopologyError(_key(cw, k), "expected an integer, a string or true/false, "
                                    "not %s" % type(v).__name__)
            spec.config[k] = v
    if "ports" in t:
        pw = _key(where, "ports")
        ports = t["ports"]
        if not isinstance(ports, list):
            raise TopologyError(pw, "expected a list of interface names")
        for i, p in enumerate(ports):
            check_ifname(p[:-1] if isinstance(p, str) and p.endswith(HOST_SUFFIX) else p,
                         _key(pw, i))
            if p in spec.ports:
                raise TopologyError(_key(pw, i), "%s is listed twice" % json.dumps(p))
            spec.ports.append(p)
        for i, p in enumerate(spec.ports):
            nic = p[:-1]
            if p.endswith(HOST_SUFFIX) and nic not in spec.ports:
                raise TopologyError(_key(pw, i), "%s is the host stack of NIC %s: list %s "
                                    "too" % (json.dumps(p), json.dumps(nic), json.dumps(nic)))
    _module_sections(spec, t, where)
    return spec


def _port_ref(spec, value, where):
    """A port in a router section: a name among the switch's ports, or a number."""
    if isinstance(value, str):
        if value not in spec.ports:
            raise TopologyError(where, "%s is not among the ports of %s" % (json.dumps(value),
                                                                             spec.name))
        return value
    return _uint(value, where, 0, uapi.MAX_PORTS - 1)


def _checked(fn, value, where):
    try:
        return fn(value)
    except ValueError as e:
        raise TopologyError(where, str(e)) from None


def _module_sections(spec, t, where):
    """router, routes, neighbours (module "l3") and flows (module "of")."""
    for key, module in (("router", "l3"), ("routes", "l3"), ("neighbours", "l3"), ("flows", "of")):
        if key in t and spec.lookup != module:
            raise TopologyError(_key(where, key), "%s needs lookup = %s" % (key, json.dumps(module)))
    if "router" in t:
        rw = _key(where, "router")
        for port, rp in _table(t["router"], rw).items():
            pw = _key(rw, port)
            _port_ref(spec, port, pw)
            rp = _table(rp, pw)
            _unknown(rp, ("mac", "addrs"), pw)
            if "mac" not in rp:
                raise TopologyError(pw, "a router port needs its mac")
            addrs = rp.get("addrs", [])
            if not isinstance(addrs, list):
                raise TopologyError(_key(pw, "addrs"), "expected a list of addresses")
            spec.router[port] = {
                "mac": _checked(router.unicast_mac, rp["mac"], _key(pw, "mac")),
                "addrs": [_checked(router.address, a, _key(pw, "addrs", i))
                          for i, a in enumerate(addrs)]}
    for key, known, need in (("routes", ("prefix", "port", "via"), ("prefix", "port")),
                             ("neighbours", ("addr", "lladdr", "port"), ("addr", "lladdr", "port"))):
        if key not in t:
            continue
        kw = _key(where, key)
        if not isinstance(t[key], list):
            raise TopologyError(kw, "expected a list of tables")
        for i, e in enumerate(t[key]):
            ew = _key(kw, i)
            e = _table(e, ew)
            _unknown(e, known, ew)
            for k in need:
                if k not in e:
                    raise TopologyError(ew, "missing %s" % k)
            port = _port_ref(spec, e["port"], _key(ew, "port"))
            if key == "routes":
                pfx = _checked(router.prefix, e["prefix"], _key(ew, "prefix"))
                via = _checked(router.address, e["via"], _key(ew, "via")) if "via" in e else None
                spec.routes.append(router.Route(pfx, port, via))
            else:
                spec.neighbours.append(router.Neigh(
                    _checked(router.address, e["addr"], _key(ew, "addr")),
                    _checked(router.unicast_mac, e["lladdr"], _key(ew, "lladdr")), port))
    if "flows" in t:
        fw = _key(where, "flows")
        if not isinstance(t["flows"], list):
            raise TopologyError(fw, "expected a list of flows (ovs-ofctl text)")
        for i, f in enumerate(t["flows"]):
            if not isinstance(f, str):
                raise TopologyError(_key(fw, i), "expected a flow (ovs-ofctl text)")
            spec.flows.append(_checked(flowtext.parse, f, _key(fw, i)).text())


def check_config(topo, schemas, port_names=None, source="", problems=None):
    """Check each switch's config against its lookup module's schema and
    make its values canonical (as the kernel's are read back, so that they
    compare).  schemas: {module: vale.schema.Schema, or None where the
    module is not registered yet (its settings are checked when a switch
    gets it)}; port_names: {switch: {number: name}}, to compare ports
    given by number.  A key the module has no setting of, or a bad value:
    a TopologyError naming the key and the module, raised (the first one)
    or, given a list 'problems', appended there (every one: apply reports
    them all at once).  Returns notes."""
    notes = []
    for name, spec in topo.switches.items():
        if not spec.config:
            continue
        sch = schemas.get(spec.lookup)
        where = _key("", "switch", name, "config")
        if sch is None:
            notes.append("lookup module %s is not loaded: %s is checked when %s gets it"
                         % (json.dumps(spec.lookup), where, name))
            continue
        bad = []
        for k, v in spec.config.items():    # key by key: each bad one is said
            try:
                sch.check({k: v}, settings_only=True)
            except ConfigError as e:
                at = _key(where, e.key) if e.key else where
                bad.append(TopologyError("%s: %s" % (source, at) if source else at, e.strerror))
        if bad and problems is None:
            raise bad[0]
        if bad:
            problems += bad
            continue
        cfg = sch.check(spec.config, settings_only=True)
        names = (port_names or {}).get(name, {})
        for k, v in cfg.items():
            if sch[k].type == "port" and isinstance(v, int) and v in names:
                cfg[k] = names[v]
        spec.config = cfg
    return notes


def _interface(name, t, where):
    check_ifname(name, where)
    t = _table(t, where)
    _unknown(t, GEOMETRY, where)
    spec = InterfaceSpec(name)
    for k, v in t.items():
        setattr(spec, k, _uint(v, _key(where, k)))
    return spec


def from_dict(doc):
    """A Topology from a parsed document; TopologyError if it is not one."""
    _unknown(doc, ("switch", "interface"), "")
    topo = Topology()
    for name, t in _table(doc.get("interface", {}), "interface").items():
        topo.interfaces[name] = _interface(name, t, _key("", "interface", name))
    owner = {}
    for name, t in _table(doc.get("switch", {}), "switch").items():
        spec = _switch(name, t, _key("", "switch", name))
        for i, p in enumerate(spec.ports):
            if p.endswith(HOST_SUFFIX) and p[:-1] in topo.interfaces:
                raise TopologyError(_key("", "switch", name, "ports", i),
                                    "%s is a persistent interface: it has no host stack"
                                    % json.dumps(p[:-1]))
            if p in owner:
                raise TopologyError(_key("", "switch", name, "ports", i),
                                    "%s is already a port of %s" % (json.dumps(p), owner[p]))
            owner[p] = name
        topo.switches[name] = spec
    return topo


def loads(text, source=""):
    """Parse a topology from TOML text."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise TopologyError(source, "not valid TOML: %s" % e) from None
    try:
        return from_dict(doc)
    except TopologyError as e:
        raise TopologyError("%s: %s" % (source, e.where) if source and e.where
                            else source or e.where, e.message) from None


def load(path):
    """Parse the topology file at path ("-": standard input)."""
    try:
        if path == "-":
            text, path = sys.stdin.buffer.read().decode(), "<stdin>"
        else:
            with open(path, "rb") as f:
                text = f.read().decode()
    except (OSError, UnicodeDecodeError) as e:
        raise TopologyError(path, str(e)) from None
    return loads(text, path)


# -- writing -------------------------------------------------------------------

def _value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, (bytes, bytearray)):
        return json.dumps(v.hex())
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join("%s = %s" % (_bare(k), _value(x)) for k, x in v.items()) + " }" \
            if v else "{}"
    raise TypeError("cannot write %r as TOML" % (v,))


def dumps(topo, comments=()):
    """The topology as TOML that loads() reads back to the same Topology.
    comments: lines to put at the top (each gets its "# ")."""
    out = ["# " + c if c else "#" for c in comments]
    for sw in topo.switches.values():
        out += ["", "[%s]" % _key("", "switch", sw.name)]
        if sw.lookup is not None:
            out.append("lookup = %s" % _value(sw.lookup))
        out.append("ports = %s" % _value(list(sw.ports)))
        if sw.config:
            out.append("config = %s" % _value(sw.config))
        if sw.router:
            out.append("router = %s" % _value(sw.router))
        if sw.routes:
            out.append("routes = [%s]" % ", ".join(_value(
                {k: v for k, v in (("prefix", r.prefix), ("port", r.port), ("via", r.via))
                 if v is not None}) for r in sw.routes))
        if sw.neighbours:
            out.append("neighbours = [%s]" % ", ".join(_value(
                {"addr": n.addr, "lladdr": n.lladdr, "port": n.port}) for n in sw.neighbours))
        if sw.flows:
            out.append("flows = %s" % _value(list(sw.flows)))
    for spec in topo.interfaces.values():
        out += ["", "[%s]" % _key("", "interface", spec.name)]
        out += ["%s = %d" % kv for kv in spec.geometry().items()]
    return "\n".join(out).lstrip("\n") + "\n"


def from_live(live):
    """A Topology of what the kernel has (a vale.plan.Live): every switch
    with its lookup module and persistent ports in index order, every
    persistent interface with its geometry.  Ephemeral ports belong to
    the programs that opened them and are left out."""
    topo = Topology()
    for sw in sorted(live.switches.values(), key=lambda s: (s.index is None, s.index, s.name)):
        ports = sorted((p for p in live.ports if p.switch == sw.name and p.persistent),
                       key=lambda p: (p.index is None, p.index, p.name))
        topo.switches[sw.name] = SwitchSpec(sw.name, sw.lookup, dict(sw.config or {}),
                                            [p.name for p in ports])
        _module_state(topo.switches[sw.name], live, sw.name)
    for name in sorted(live.interfaces):
        i = live.interfaces[name]
        topo.interfaces[name] = InterfaceSpec(name, i.tx_rings, i.rx_rings,
                                              i.tx_slots, i.rx_slots)
    return topo


def _module_state(spec, live, name):
    """The router's or the flow table's state into spec (ports by name)."""
    names = {p.index: p.name for p in live.ports if p.switch == name}
    st = live.modules.get(name)
    if isinstance(st, router.RouterState):
        for rp in st.ports.values():
            if rp.mac is not None:
                spec.router[names.get(rp.port, rp.port)] = {"mac": rp.mac, "addrs": list(rp.addrs)}
        spec.routes = [router.Route(r.prefix, names.get(r.port, r.port), r.via) for r in st.routes]
        spec.neighbours = [router.Neigh(n.addr, n.lladdr, names.get(n.port, n.port))
                           for n in st.neighs]
    elif isinstance(st, list):
        spec.flows = [f.text() for f in st]
