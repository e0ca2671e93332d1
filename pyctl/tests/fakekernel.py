"""A model of the kernel's switch control, with vale.Vale's methods, for
testing plans and the command line without a kernel.  It follows the
semantics of include/uapi/linux/vale.h and kmod/genl.c: a switch made by
attaching is not persistent and goes with its last port, persistent
interfaces on no switch are no switch ports (only their netdev shows),
the learning bridge reports all its settings in SWITCH_GET (its defaults
until set; report_config=False: a kernel that reported none), a NIC (a
netdev but lo) attaches by name, with its host stack "NAME^" when asked,
and both leave together.

Lookup modules declare their attributes as the kernel's do (SCHEMAS:
learn, l3, of, and "hello", a custom module with a setting "mask"); the
model checks configuration against them as the kernel's core does (the
module named must be the one the switch runs: EOPNOTSUPP otherwise).
FakeSocket speaks the netlink commands over the model, for vale.Vale's own
code: Vale(sock=FakeSocket(FakeVale()))."""
import errno

from vale import flows as flowtext, netlink, tlv, uapi
from vale.errors import ValeError
from vale.host import ARPHRD_ETHER, NetDev
from vale.router import Neigh, Route, RouterPort, RouterState
from vale.objects import Interface, Port, Switch
from vale.plan import Live
from vale.schema import TYPES, Attr, Schema, Table

DEFAULT_GEOMETRY = {"tx_rings": 1, "rx_rings": 1, "tx_slots": 1024, "rx_slots": 1024}

S, A, D = uapi.SCHEMA_F_SETTING, uapi.SCHEMA_F_ACTION, uapi.SCHEMA_F_DUMP_ONLY
L3_OPS = tuple(n[len("VALE_L3_OP_"):].lower() for n in uapi.L3_OPS)
OF_OPS = tuple(n[len("VALE_OF_OP_"):].lower() for n in uapi.OF_OPS)

# What each module declares, as its struct vale_lookup_attr table does:
# (name, id, type, flags, min, max, values)
DECLARED = {
    "learn": ([("ageing", 1, "u32", S, 1, 1000000, ()), ("flush", 2, "flag", A, 0, 0, ()),
               ("mac", 3, "mac", D, 0, 0, ()), ("port", 4, "port", D, 0, 0, ()),
               ("age", 5, "u32", D, 0, 0, ()), ("confirmed", 6, "flag", D, 0, 0, ())],
              [("fdb", "the addresses learned")]),
    "l3": ([("op", 1, "u32", 0, 1, 9, L3_OPS), ("port", 2, "port", 0, 0, 0, ()),
            ("mac", 3, "mac", 0, 0, 0, ()), ("addr", 4, "ip", 0, 0, 0, ()),
            ("prefix", 5, "ip", 0, 0, 0, ()), ("prefix_len", 6, "u8", 0, 0, 128, ()),
            ("gateway", 7, "ip", 0, 0, 0, ()), ("stats", 8, "nested", D, 0, 0, ())],
           [("stats", ""), ("ports", ""), ("addresses", ""), ("neighbours", ""), ("routes", "")]),
    "of": ([("op", 1, "u32", 0, 1, 6, OF_OPS), ("match", 2, "nested", 0, 0, 0, ()),
            ("priority", 3, "u32", 0, 0, 65535, ()), ("idle_timeout", 4, "u32", 0, 0, 0, ()),
            ("hard_timeout", 5, "u32", 0, 0, 0, ()), ("cookie", 6, "u64", 0, 0, 0, ()),
            ("actions", 7, "nested", 0, 0, 0, ()), ("strict", 8, "flag", 0, 0, 0, ()),
            ("controller", 9, "u32", S, 0, 255, ()), ("emc", 10, "u8", S, 0, 1, ()),
            ("stats", 11, "nested", D, 0, 0, ())],
           [("table", ""), ("flows", "")]),
    # examples/lookup-hello: a module pyctl has no code for
    "hello": ([("mask", 1, "u32", S, 0, 255, ()), ("port", 2, "port", D, 0, 0, ()),
               ("frames", 3, "u64", D, 0, 0, ())],
              [("counters", "frames sent to each port")]),
}
SCHEMAS = {m: Schema(m, [Attr(n, i, t, f, lo, hi, "the %s" % n, v) for n, i, t, f, lo, hi, v in a],
                     [Table(n, d) for n, d in tb])
           for m, (a, tb) in DECLARED.items()}
# The settings each module reports, as a new switch has them (LEARN_DEFAULT_AGEING)
DEFAULT_CONFIG = {"learn": {"ageing": 300}, "of": {"controller": 255, "emc": 1},
                  "hello": {"mask": 255}}


class FakeSwitch:
    def __init__(self, name, index, lookup="learn", persistent=False):
        self.name, self.index, self.lookup, self.persistent = name, index, lookup, persistent
        self.ports = {}     # index -> (name, kind)
        self.config = {}
        self.router = RouterState()     # module "l3", ports by index
        self.flows = {}                 # module "of": key -> Flow
        self.fdb = []                   # module "learn": (mac, port, age, confirmed)
        self.counters = {}              # module "hello": port -> frames


class FakeVale:
    def __init__(self, lookups=("learn", "l3"), report_config=True):
        self.switches_ = {}
        self.ifs = {}            # name -> geometry dict
        self.netdevs = {"lo", "eth0"}
        self.taken = {}          # netdev -> (kind, master): a bridge's or bond's port
        self.lookups = set(lookups)
        self.loadable = set()    # modules modprobe would load (vale-lookup-NAME)
        self.report_config = report_config
        self.calls = []
        self.mutations = 0       # requests that change something, so far
        self.refusals = {}       # mutation number -> (errno, message)

    def refuse(self, *nth, code=errno.ENOSPC, message="refused by the test"):
        """The nth requests that change something, counted from now (1:
        the next), are refused with code, changing nothing, as the kernel
        refuses what only it knows (a full table, memory)."""
        for n in nth:
            self.refusals[self.mutations + n] = (code, message)

    def _call(self, op, mutating=True):
        self.calls.append(op)
        if mutating:
            self.mutations += 1
            if self.mutations in self.refusals:
                self._err(*self.refusals.pop(self.mutations), op)

    def _request_module(self, name):
        """As the kernel's request_module("vale-lookup-NAME")."""
        if name in self.loadable:
            self.lookups.add(name)

    # -- what the host says (vale.host) ------------------------------------------
    def netdev(self, name):
        if name not in self.netdevs and name not in self.ifs:
            return None
        kind, master = self.taken.get(name, (None, None))
        return NetDev(name, 1 + sorted(self.netdevs | set(self.ifs)).index(name),
                      type=772 if name == "lo" else ARPHRD_ETHER, loopback=name == "lo",
                      addr_len=6, master=master, master_kind=kind)

    def lookup_loadable(self, module):
        return module in self.loadable

    # -- helpers -----------------------------------------------------------
    def _err(self, code, msg, op):
        raise ValeError(code, msg, op=op)

    def _find(self, name):
        for sw in self.switches_.values():
            for i, (p, kind) in sw.ports.items():
                if p == name and kind != "ephemeral":
                    return sw, i
        return None, None

    def _new_switch(self, name, persistent):
        used = {s.index for s in self.switches_.values()}
        idx = next(i for i in range(64) if i not in used)
        sw = self.switches_[name] = FakeSwitch(name, idx, persistent=persistent)
        return sw

    def _vanish_if_unused(self, sw):
        if not sw.persistent and not sw.ports:
            del self.switches_[sw.name]

    def open_ephemeral(self, switch, name):
        """A program opens switch:name."""
        sw = self.switches_.get(switch) or self._new_switch(switch, False)
        idx = next(i for i in range(254) if i not in sw.ports)
        sw.ports[idx] = (name, "ephemeral")

    def close_ephemeral(self, switch, name):
        sw = self.switches_[switch]
        for i, (p, kind) in list(sw.ports.items()):
            if p == name and kind == "ephemeral":
                del sw.ports[i]
        self._vanish_if_unused(sw)

    # -- vale.Vale's methods ---------------------------------------------------
    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def add_switch(self, name, lookup=None):
        op = "switch add %s" % name
        self._call(op)
        if name in self.switches_:
            self._err(errno.EEXIST, "switch exists", op)
        self._request_module(lookup)
        if lookup is not None and lookup not in self.lookups:
            self._err(errno.ENOENT, "lookup module not found", op)
        sw = self._new_switch(name, True)
        if lookup:
            sw.lookup = lookup

    def del_switch(self, name):
        op = "switch del %s" % name
        self._call(op)
        sw = self.switches_.get(name)
        if sw is None:
            self._err(errno.ENOENT, "no such switch", op)
        if sw.ports:
            self._err(errno.EBUSY, "switch has ports: detach them first", op)
        del self.switches_[name]

    def attach(self, switch, ifname, host=False):
        op = "port attach %s %s%s" % (switch, ifname, " host" if host else "")
        self._call(op)
        if ifname not in self.ifs and ifname not in self.netdevs:
            self._err(errno.ENXIO, "no such interface to attach (make one with IF_NEW)", op)
        if ifname == "lo":
            self._err(errno.EOPNOTSUPP, "the loopback interface cannot be a port", op)
        if host and ifname in self.ifs:
            self._err(errno.EOPNOTSUPP, "a persistent VALE interface has no host stack", op)
        if self._find(ifname)[0] is not None:
            self._err(errno.EBUSY, "interface already attached to a switch", op)
        if ifname in self.taken:
            self._err(errno.EBUSY, "the interface is a port of a Linux bridge", op)
        sw = self.switches_.get(switch) or self._new_switch(switch, False)
        for name, kind in [(ifname, "virtual" if ifname in self.ifs else "nic")] + \
                ([(ifname + "^", "host")] if host else []):
            idx = next(i for i in range(254) if i not in sw.ports)
            sw.ports[idx] = (name, kind)

    def detach(self, switch, ifname):
        op = "port detach %s %s" % (switch, ifname)
        self._call(op)
        sw = self.switches_.get(switch)
        found = [i for i, (p, _) in (sw.ports.items() if sw else ()) if p == ifname]
        if not found:
            self._err(errno.ENXIO, "no such port on this switch", op)
        if sw.ports[found[0]][1] == "ephemeral":
            self._err(errno.EINVAL, "an ephemeral port leaves when its last file closes", op)
        nic = ifname[:-1] if sw.ports[found[0]][1] == "host" else ifname
        for i, (p, _) in list(sw.ports.items()):
            if p in (nic, nic + "^"):   # a NIC and its host stack go together
                del sw.ports[i]
                self._port_left(sw, i)
        self._vanish_if_unused(sw)

    @staticmethod
    def _port_left(sw, i):
        """The router forgets a port that leaves (its MAC, addresses,
        neighbours and routes), as lookup-modules/l3 does."""
        r = sw.router
        r.ports.pop(i, None)
        r.neighs = [n for n in r.neighs if n.port != i]
        r.routes = [x for x in r.routes if x.port != i]

    def add_if(self, name, **geometry):
        op = "if add %s" % name
        self._call(op)
        if name in self.ifs or name in self.netdevs:
            self._err(errno.EEXIST, "an interface of that name exists", op)
        self.ifs[name] = dict(DEFAULT_GEOMETRY, **geometry)

    def del_if(self, name):
        op = "if del %s" % name
        self._call(op)
        if name not in self.ifs:
            self._err(errno.ENXIO, "no such persistent interface", op)
        if self._find(name)[0] is not None:
            self._err(errno.EBUSY, "interface attached to a switch or open", op)
        del self.ifs[name]

    def set_lookup(self, switch, name):
        op = "lookup set %s %s" % (switch, name)
        self._call(op)
        if switch not in self.switches_:
            self._err(errno.ENOENT, "no such switch", op)
        self._request_module(name)
        if name not in self.lookups:
            self._err(errno.ENOENT, "lookup module not found", op)
        sw = self.switches_[switch]
        # a new instance of the module: its settings and objects start afresh
        sw.lookup, sw.config, sw.router, sw.flows, sw.fdb = name, {}, RouterState(), {}, []

    def schema(self, module=None, switch=None):
        if module is None:
            module = self._sw(switch, "lookup schema %s" % switch).lookup
        if module not in self.lookups or module not in SCHEMAS:
            self._err(errno.ENOENT, "no lookup module of that name", "lookup schema %s" % module)
        return SCHEMAS[module]

    def schemas(self):
        return [SCHEMAS[m] for m in sorted(self.lookups) if m in SCHEMAS]

    def _sw(self, switch, op):
        if switch not in self.switches_:
            self._err(errno.ENOENT, "no such switch", op)
        return self.switches_[switch]

    def configure(self, switch, settings, module=None):
        """As the kernel's core and modules take LOOKUP_CONFIG: for the
        module the switch runs, checked against its declaration."""
        op = "lookup config %s" % switch
        self._call(op)
        sw = self._sw(switch, op)
        module = module or sw.lookup
        if module != sw.lookup:
            self._err(errno.EOPNOTSUPP, "the switch runs lookup module \"%s\"" % sw.lookup, op)
        sch = self.schema(module)
        checked = sch.check(settings)
        for k, v in checked.items():
            if sch[k].setting:
                sw.config[k] = v
        if module == "learn" and checked.get("flush"):
            sw.fdb = []
        if module == "l3" and checked.get("op") == "flush":
            sw.router = RouterState()

    def set_config(self, switch, **settings):
        self.configure(switch, settings)

    def config_lookup(self, switch, module=None, **config):
        self.configure(switch, config, module)

    def config(self, switch):
        return dict(self._reported_config(self._sw(switch, "switch show")) or {})

    def fdb(self, switch):
        from vale.objects import FdbEntry
        sw = self._sw(switch, "fdb show")
        if sw.lookup != "learn":
            self._err(errno.EOPNOTSUPP, "the switch runs lookup module \"%s\"" % sw.lookup,
                      "fdb show")
        return [FdbEntry(*e) for e in sw.fdb]

    def flush_fdb(self, switch):
        self.configure(switch, {"flush": True}, "learn")

    def rows(self, sw, table=None):
        """The module's table rows, as LOOKUP_DUMP gives them: (table,
        {name: value}), ports by number."""
        sch = self.schema(sw.lookup)
        if not sch.tables:
            self._err(errno.EOPNOTSUPP, "the lookup module has no table", "lookup dump")
        if table is not None and sch.table(table) is None:
            self._err(errno.ENOENT, "no such table (tables: %s)"
                      % ", ".join(t.name for t in sch.tables), "lookup dump")
        out = []
        if sw.lookup == "learn":
            out += [("fdb", dict(mac=m, port=p, age=a, **({"confirmed": True} if c else {})))
                    for m, p, a, c in sw.fdb]
        elif sw.lookup == "hello":
            out += [("counters", {"port": p, "frames": n}) for p, n in sorted(sw.counters.items())]
        elif sw.lookup == "l3":
            out.append(("stats", {"op": "stats", "stats": tlv.u64(1, 0)}))
            out += [("ports", {"op": "port_set", "port": p, "mac": rp.mac})
                    for p, rp in sw.router.ports.items() if rp.mac]
            out += [("addresses", {"op": "addr_add", "port": p, "addr": a})
                    for p, rp in sw.router.ports.items() for a in rp.addrs]
            out += [("neighbours", {"op": "neigh_add", "port": n.port, "addr": n.addr,
                                    "mac": n.lladdr}) for n in sw.router.neighs]
            for r in sw.router.routes:
                addr, plen = r.prefix.split("/")
                row = {"op": "route_add", "port": r.port, "prefix": addr, "prefix_len": int(plen)}
                if r.via:
                    row["gateway"] = r.via
                out.append(("routes", row))
        return [(t, r) for t, r in out if table is None or t == table]

    def dump(self, switch, table=None, numeric=False):
        sw = self._sw(switch, "lookup dump %s" % switch)
        names = {i: n for i, (n, _) in sw.ports.items()}
        sch = self.schema(sw.lookup)
        out = []
        for t, row in self.rows(sw, table):
            if not numeric:
                row = {k: names.get(v, v) if sch[k].type == "port" else v for k, v in row.items()}
            out.append(dict(table=t, **row))
        return out

    def switches(self):
        return [Switch(s.name, s.index, s.lookup, len(s.ports), s.persistent,
                       self._reported_config(s))
                for s in self.switches_.values()]

    def switch(self, name):
        s = self._sw(name, "switch show %s" % name)
        return Switch(s.name, s.index, s.lookup, len(s.ports), s.persistent,
                      self._reported_config(s))

    def _reported_config(self, s):
        if not self.report_config or s.lookup not in DEFAULT_CONFIG:
            return None
        return {k: s.config.get(k, v) for k, v in DEFAULT_CONFIG[s.lookup].items()}

    def ports(self, switch=None):
        out = []
        for s in self.switches_.values():
            if switch is not None and s.name != switch:
                continue
            names = {p for p, _ in s.ports.values()}
            for i in sorted(s.ports):
                name, kind = s.ports[i]
                geo = self.ifs.get(name, {}) if kind == "virtual" else DEFAULT_GEOMETRY
                out.append(Port(s.name, name, i, kind, **geo,
                                host=kind == "nic" and name + "^" in names))
        return out

    def live(self, ifnames=()):
        switches = {s.name: s for s in self.switches()}
        ports = self.ports()
        interfaces = {p.name: Interface.from_port(p) for p in ports if p.kind == "virtual"}
        for name in ifnames:
            if name not in interfaces and (name in self.ifs or name in self.netdevs):
                interfaces[name] = Interface(name)
        modules = {n: (self.router(n) if s.lookup == "l3" else self.flows(n))
                   for n, s in self.switches_.items() if s.lookup in ("l3", "of")}
        return Live(switches, ports, interfaces, modules)

    # -- the lookup modules' objects (l3, of) ----------------------------------------
    def _module(self, switch, module, op):
        self._call(op, mutating=not op.startswith(("router show", "flow show")))
        sw = self.switches_.get(switch)
        if sw is None:
            self._err(errno.ENOENT, "no such switch", op)
        if sw.lookup != module:
            self._err(errno.EOPNOTSUPP, "the switch runs lookup module \"%s\"" % sw.lookup, op)
        return sw

    def _index(self, sw, port, op):
        for i, (name, _) in sw.ports.items():
            if port in (i, name):
                return i
        self._err(errno.ENODEV, "no such port on the switch", op)

    def set_router_port(self, switch, port, mac):
        sw = self._module(switch, "l3", "router port set %s %s" % (switch, port))
        i = self._index(sw, port, "router port set")
        sw.router.ports.setdefault(i, RouterPort(i)).mac = mac

    def del_router_port(self, switch, port):
        sw = self._module(switch, "l3", "router port del %s %s" % (switch, port))
        sw.router.ports.pop(self._index(sw, port, "router port del"), None)

    def add_router_addr(self, switch, port, addr):
        sw = self._module(switch, "l3", "addr add %s %s" % (switch, addr))
        rp = sw.router.ports.setdefault(self._index(sw, port, "addr add"), RouterPort(port))
        if addr in rp.addrs:
            self._err(errno.EEXIST, "address exists", "addr add")
        rp.addrs.append(addr)

    def del_router_addr(self, switch, port, addr):
        sw = self._module(switch, "l3", "addr del %s %s" % (switch, addr))
        rp = sw.router.ports.get(self._index(sw, port, "addr del"))
        if rp is None or addr not in rp.addrs:
            self._err(errno.ENOENT, "no such address", "addr del")
        rp.addrs.remove(addr)

    def add_route(self, switch, prefix, port, via=None):
        sw = self._module(switch, "l3", "route add %s %s" % (switch, prefix))
        if any(r.prefix == prefix for r in sw.router.routes):
            self._err(errno.EEXIST, "the route exists", "route add")
        sw.router.routes.append(Route(prefix, self._index(sw, port, "route add"), via))

    def del_route(self, switch, prefix):
        sw = self._module(switch, "l3", "route del %s %s" % (switch, prefix))
        if not any(r.prefix == prefix for r in sw.router.routes):
            self._err(errno.ENOENT, "no such route", "route del")
        sw.router.routes = [r for r in sw.router.routes if r.prefix != prefix]

    def add_neigh(self, switch, addr, lladdr, port):
        sw = self._module(switch, "l3", "neigh add %s %s" % (switch, addr))
        i = self._index(sw, port, "neigh add")
        sw.router.neighs = [n for n in sw.router.neighs if (n.port, n.addr) != (i, addr)]
        sw.router.neighs.append(Neigh(addr, lladdr, i))

    def del_neigh(self, switch, addr, port):
        sw = self._module(switch, "l3", "neigh del %s %s" % (switch, addr))
        i = self._index(sw, port, "neigh del")
        sw.router.neighs = [n for n in sw.router.neighs if (n.port, n.addr) != (i, addr)]

    def router(self, switch):
        sw = self._module(switch, "l3", "router show %s" % switch)
        st = sw.router
        return RouterState({i: RouterPort(i, p.mac, list(p.addrs)) for i, p in st.ports.items()},
                           list(st.routes), list(st.neighs), {})

    def add_flow(self, switch, flow):
        sw = self._module(switch, "of", "flow add %s %s" % (switch, flow))
        f = flowtext.parse(flow)
        sw.flows[f.key()] = f

    def del_flows(self, switch, flow=None, strict=False):
        sw = self._module(switch, "of", "flow del %s %s" % (switch, flow))
        f = flowtext.parse(flow, "del")
        if strict:
            if sw.flows.pop(f.key(), None) is None:
                self._err(errno.ENOENT, "no such flow", "flow del")
        else:
            raise NotImplementedError("the fake deletes strictly only")

    def flows(self, switch):
        sw = self._module(switch, "of", "flow show %s" % switch)
        return list(sw.flows.values())

    # -- for assertions --------------------------------------------------------
    def state(self):
        """Everything, comparably: each switch's module, persistence, ports
        by number, settings in effect (defaults included) and module
        objects; each persistent interface's geometry."""
        def objects(s):
            r = s.router
            return (tuple(sorted((i, p.mac, tuple(p.addrs)) for i, p in r.ports.items())),
                    tuple(sorted(map(repr, r.routes))), tuple(sorted(map(repr, r.neighs))),
                    tuple(sorted(f.text() for f in s.flows.values())))
        return ({n: (s.lookup, s.persistent, tuple(sorted(s.ports.items())),
                     tuple(sorted({**DEFAULT_CONFIG.get(s.lookup, {}), **s.config}.items())),
                     objects(s))
                 for n, s in self.switches_.items()},
                {n: tuple(sorted(g.items())) for n, g in self.ifs.items()})


# -- the netlink commands, over the model -------------------------------------------

CMD = {name[len("VALE_CMD_"):]: i for i, name in enumerate(uapi.CMDS)}


def message(cmd, attrs):
    """A message as the kernel sends it: encoded, then decoded as pyctl
    reads replies."""
    m = netlink.valemsg()
    m["cmd"] = cmd
    m["version"] = uapi.GENL_VERSION
    m["attrs"] = attrs
    m["header"]["type"] = 0x20
    m["header"]["flags"] = 0
    m["header"]["sequence_number"] = 1
    r = netlink.valemsg(netlink.encode(m))
    r.decode()
    return r


def schema_attrs(sch):
    """The attributes of a LOOKUP_SCHEMA reply for sch, as the kernel
    writes them."""
    out = [("VALE_ATTR_LOOKUP_NAME", sch.module)]
    for a in sch.attrs:
        nest = [("VALE_SCHEMA_NAME", a.name), ("VALE_SCHEMA_ID", a.id),
                ("VALE_SCHEMA_TYPE", TYPES.index(a.type)), ("VALE_SCHEMA_FLAGS", a.flags),
                ("VALE_SCHEMA_LOW", a.min), ("VALE_SCHEMA_HIGH", a.max)]
        if a.doc:
            nest.append(("VALE_SCHEMA_DOC", a.doc))
        nest += [("VALE_SCHEMA_VALUE_NAME", v) for v in a.values]
        out.append(("VALE_ATTR_LOOKUP_ATTR", {"attrs": nest}))
    for t in sch.tables:
        out.append(("VALE_ATTR_LOOKUP_TABLE_DEF", {"attrs": [("VALE_SCHEMA_NAME", t.name),
                                                             ("VALE_SCHEMA_DOC", t.doc)]}))
    return out


def encode_row(sch, row):
    """A LOOKUP_CONFIG nest of {name: value} as a module writes it (ports
    by number, nests as bytes, dump-only attributes too)."""
    out = []
    for k, v in row.items():
        a = sch[k]
        if a.type == "nested":
            out.append(tlv.attr(a.id, v, nested=True))
        else:
            out.append(a.encode(v))
    return b"".join(out)


class FakeSocket:
    """netlink.Socket's do() and dump() over a FakeVale, checking requests
    as the kernel does for the lookup commands.  requests: (command name,
    {attribute: value}) of each request, for assertions."""

    def __init__(self, model):
        self.model = model
        self.requests = []

    def close(self):
        pass

    def do(self, cmd, attrs=(), ack=True, msg_class=None, nests=None):
        replies = self._handle(cmd, list(attrs), False)
        return replies[0] if replies else None

    def dump(self, cmd, attrs=(), msg_class=None, nests=None):
        yield from self._handle(cmd, list(attrs), True)

    def _switch_attrs(self, sw):
        out = [("VALE_ATTR_SWITCH_NAME", sw.name), ("VALE_ATTR_SWITCH_INDEX", sw.index),
               ("VALE_ATTR_LOOKUP_NAME", sw.lookup), ("VALE_ATTR_SWITCH_PORTS", len(sw.ports))]
        if sw.persistent:
            out.append(("VALE_ATTR_SWITCH_PERSISTENT", True))
        cfg = self.model._reported_config(sw)
        if cfg is not None:
            out.append(("VALE_ATTR_LOOKUP_CONFIG", encode_row(SCHEMAS[sw.lookup], cfg)))
        return out

    def _port_attrs(self, p):
        out = [("VALE_ATTR_SWITCH_NAME", p.switch), ("VALE_ATTR_PORT_NAME", p.name),
               ("VALE_ATTR_PORT_INDEX", p.index),
               ("VALE_ATTR_PORT_KIND", ("ephemeral", "virtual", "nic", "host").index(p.kind))]
        for k in DEFAULT_GEOMETRY:
            out.append(("VALE_ATTR_PORT_" + k.upper(), getattr(p, k)))
        if p.host:
            out.append(("VALE_ATTR_PORT_HOST", True))
        return out

    def _lookup(self, a, op):
        """The switch and the schema of the module a lookup request names."""
        m = self.model
        sw = m._sw(a.get("VALE_ATTR_SWITCH_NAME"), op)
        module = a.get("VALE_ATTR_LOOKUP_NAME")
        if module is None and op == "lookup config":
            raise ValeError(errno.EINVAL, missing="VALE_ATTR_LOOKUP_NAME")
        if module is not None and module != sw.lookup:
            raise ValeError(errno.EOPNOTSUPP, "the switch runs lookup module \"%s\"" % sw.lookup,
                            attr="VALE_ATTR_LOOKUP_NAME")
        return sw, SCHEMAS[sw.lookup]

    def _handle(self, cmd, attrs, dump):
        name = uapi.CMDS[cmd][len("VALE_CMD_"):]
        a = dict(attrs)
        self.requests.append((name, a))
        m = self.model
        sw_name = a.get("VALE_ATTR_SWITCH_NAME")
        if name == "SWITCH_GET":
            sws = m.switches_.values() if dump else [m._sw(sw_name, "switch show")]
            return [message(cmd, self._switch_attrs(s)) for s in sws]
        if name == "PORT_GET":
            ports = m.ports(sw_name)
            if not dump:
                ports = [p for p in ports if p.name == a.get("VALE_ATTR_PORT_NAME")]
                if not ports:
                    raise ValeError(errno.ENOENT, "no such port", attr="VALE_ATTR_PORT_NAME")
            return [message(cmd, self._port_attrs(p)) for p in ports]
        if name == "SWITCH_NEW":
            m.add_switch(sw_name, a.get("VALE_ATTR_LOOKUP_NAME"))
        elif name == "SWITCH_DEL":
            m.del_switch(sw_name)
        elif name == "LOOKUP_SET":
            m.set_lookup(sw_name, a["VALE_ATTR_LOOKUP_NAME"])
        elif name == "PORT_ATTACH":
            m.attach(sw_name, a["VALE_ATTR_PORT_NAME"], bool(a.get("VALE_ATTR_PORT_HOST")))
        elif name == "PORT_DETACH":
            m.detach(sw_name, a["VALE_ATTR_PORT_NAME"])
        elif name == "IF_NEW":
            m.add_if(a["VALE_ATTR_IF_NAME"], **{k[len("VALE_ATTR_PORT_"):].lower(): v
                                               for k, v in a.items() if k != "VALE_ATTR_IF_NAME"})
        elif name == "IF_DEL":
            m.del_if(a["VALE_ATTR_IF_NAME"])
        elif name == "LOOKUP_SCHEMA":
            if dump:
                return [message(cmd, schema_attrs(s)) for s in m.schemas()]
            return [message(cmd, schema_attrs(m.schema(a.get("VALE_ATTR_LOOKUP_NAME"),
                                                        sw_name)))]
        elif name == "LOOKUP_CONFIG":
            sw, sch = self._lookup(a, "lookup config")
            settings = {}
            for t, payload in tlv.decode(a["VALE_ATTR_LOOKUP_CONFIG"]):
                at = sch.by_id.get(t)
                if at is None or at.dump_only:
                    raise ValeError(errno.EINVAL, "attribute %d: not taken by lookup module "
                                    "\"%s\"" % (t, sw.lookup))
                settings[at.name] = at.decode(payload)
            m.configure(sw.name, settings, sw.lookup)
        elif name == "LOOKUP_DUMP":
            sw, sch = self._lookup(a, "lookup dump")
            return [message(cmd, [("VALE_ATTR_SWITCH_NAME", sw.name),
                                  ("VALE_ATTR_LOOKUP_TABLE", t),
                                  ("VALE_ATTR_LOOKUP_CONFIG", encode_row(sch, row))])
                    for t, row in m.rows(sw, a.get("VALE_ATTR_LOOKUP_TABLE"))]
        else:
            raise NotImplementedError(name)
        return []
