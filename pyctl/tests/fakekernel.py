"""A model of the kernel's switch control, with vale.Vale's methods, for
testing plans and the command line without a kernel.  It follows the
semantics of include/uapi/linux/vale.h and kmod/genl.c: a switch made by
attaching is not persistent and goes with its last port, persistent
interfaces on no switch are no switch ports (only their netdev shows),
the learning bridge reports all its settings in SWITCH_GET (its defaults
until set; report_config=False: a kernel that reported none), a NIC (a
netdev but lo) attaches by name, with its host stack "NAME^" when asked,
and both leave together."""
import errno

from vale import flows as flowtext
from vale.errors import ValeError
from vale.router import Neigh, Route, RouterPort, RouterState
from vale.objects import Interface, Port, Switch
from vale.plan import Live

DEFAULT_GEOMETRY = {"tx_rings": 1, "rx_rings": 1, "tx_slots": 1024, "rx_slots": 1024}
# The settings each module reports, as a new switch has them (LEARN_DEFAULT_AGEING)
DEFAULT_CONFIG = {"learn": {"ageing": 300}}


class FakeSwitch:
    def __init__(self, name, index, lookup="learn", persistent=False):
        self.name, self.index, self.lookup, self.persistent = name, index, lookup, persistent
        self.ports = {}     # index -> (name, kind)
        self.config = {}
        self.router = RouterState()     # module "l3", ports by index
        self.flows = {}                 # module "of": key -> Flow


class FakeVale:
    def __init__(self, lookups=("learn", "l3"), report_config=True):
        self.switches_ = {}
        self.ifs = {}            # name -> geometry dict
        self.netdevs = {"lo", "eth0"}
        self.lookups = set(lookups)
        self.report_config = report_config
        self.calls = []

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
        self.calls.append(op)
        if name in self.switches_:
            self._err(errno.EEXIST, "switch exists", op)
        if lookup is not None and lookup not in self.lookups:
            self._err(errno.ENOENT, "lookup module not found", op)
        sw = self._new_switch(name, True)
        if lookup:
            sw.lookup = lookup

    def del_switch(self, name):
        op = "switch del %s" % name
        self.calls.append(op)
        sw = self.switches_.get(name)
        if sw is None:
            self._err(errno.ENOENT, "no such switch", op)
        if sw.ports:
            self._err(errno.EBUSY, "switch has ports: detach them first", op)
        del self.switches_[name]

    def attach(self, switch, ifname, host=False):
        op = "port attach %s %s%s" % (switch, ifname, " host" if host else "")
        self.calls.append(op)
        if ifname not in self.ifs and ifname not in self.netdevs:
            self._err(errno.ENXIO, "no such interface to attach (make one with IF_NEW)", op)
        if ifname == "lo":
            self._err(errno.EOPNOTSUPP, "the loopback interface cannot be a port", op)
        if host and ifname in self.ifs:
            self._err(errno.EOPNOTSUPP, "a persistent VALE interface has no host stack", op)
        if self._find(ifname)[0] is not None:
            self._err(errno.EBUSY, "interface already attached to a switch", op)
        sw = self.switches_.get(switch) or self._new_switch(switch, False)
        for name, kind in [(ifname, "virtual" if ifname in self.ifs else "nic")] + \
                ([(ifname + "^", "host")] if host else []):
            idx = next(i for i in range(254) if i not in sw.ports)
            sw.ports[idx] = (name, kind)

    def detach(self, switch, ifname):
        op = "port detach %s %s" % (switch, ifname)
        self.calls.append(op)
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
        self._vanish_if_unused(sw)

    def add_if(self, name, **geometry):
        op = "if add %s" % name
        self.calls.append(op)
        if name in self.ifs or name in self.netdevs:
            self._err(errno.EEXIST, "an interface of that name exists", op)
        self.ifs[name] = dict(DEFAULT_GEOMETRY, **geometry)

    def del_if(self, name):
        op = "if del %s" % name
        self.calls.append(op)
        if name not in self.ifs:
            self._err(errno.ENXIO, "no such persistent interface", op)
        if self._find(name)[0] is not None:
            self._err(errno.EBUSY, "interface attached to a switch or open", op)
        del self.ifs[name]

    def set_lookup(self, switch, name):
        op = "lookup set %s %s" % (switch, name)
        self.calls.append(op)
        if switch not in self.switches_:
            self._err(errno.ENOENT, "no such switch", op)
        if name not in self.lookups:
            self._err(errno.ENOENT, "lookup module not found", op)
        self.switches_[switch].lookup = name
        self.switches_[switch].config = {}

    def config_lookup(self, switch, module=None, **config):
        op = "lookup config %s" % switch
        self.calls.append(op)
        if switch not in self.switches_:
            self._err(errno.ENOENT, "no such switch", op)
        self.switches_[switch].config.update(config)

    def switches(self):
        return [Switch(s.name, s.index, s.lookup, len(s.ports), s.persistent,
                       self._reported_config(s))
                for s in self.switches_.values()]

    def _reported_config(self, s):
        if not self.report_config or s.lookup not in DEFAULT_CONFIG:
            return None
        return {**DEFAULT_CONFIG[s.lookup], **s.config}

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
        self.calls.append(op)
        sw = self.switches_.get(switch)
        if sw is None:
            self._err(errno.ENOENT, "no such switch", op)
        if sw.lookup != module:
            self._err(errno.EINVAL, "switch uses another lookup module", op)
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
        """Everything, comparably."""
        return ({n: (s.lookup, s.persistent, tuple(sorted(s.ports.values())), tuple(sorted(s.config.items())))
                 for n, s in self.switches_.items()},
                {n: tuple(sorted(g.items())) for n, g in self.ifs.items()})
