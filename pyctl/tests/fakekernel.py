"""A model of the kernel's switch control, with vale.Vale's methods, for
testing plans and the command line without a kernel.  It follows the
semantics of include/uapi/linux/vale.h and kmod/genl.c: a switch made by
attaching is not persistent and goes with its last port, persistent
interfaces on no switch are no switch ports (only their netdev shows),
the lookup configuration is not reported, NICs cannot be attached yet."""
import errno

from vale.errors import ValeError
from vale.objects import Interface, Port, Switch
from vale.plan import Live

DEFAULT_GEOMETRY = {"tx_rings": 1, "rx_rings": 1, "tx_slots": 1024, "rx_slots": 1024}


class FakeSwitch:
    def __init__(self, name, index, lookup="learn", persistent=False):
        self.name, self.index, self.lookup, self.persistent = name, index, lookup, persistent
        self.ports = {}     # index -> (name, kind)
        self.config = {}


class FakeVale:
    def __init__(self, lookups=("learn", "l3"), report_config=False):
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

    def attach(self, switch, ifname):
        op = "port attach %s %s" % (switch, ifname)
        self.calls.append(op)
        if ifname not in self.ifs:
            self._err(errno.ENXIO, "no such interface to attach (make one with IF_NEW)", op)
        if self._find(ifname)[0] is not None:
            self._err(errno.EBUSY, "interface already attached to a switch", op)
        sw = self.switches_.get(switch) or self._new_switch(switch, False)
        idx = next(i for i in range(254) if i not in sw.ports)
        sw.ports[idx] = (ifname, "virtual")

    def detach(self, switch, ifname):
        op = "port detach %s %s" % (switch, ifname)
        self.calls.append(op)
        sw = self.switches_.get(switch)
        found = [i for i, (p, _) in (sw.ports.items() if sw else ()) if p == ifname]
        if not found:
            self._err(errno.ENXIO, "no such port on this switch", op)
        if sw.ports[found[0]][1] == "ephemeral":
            self._err(errno.EINVAL, "an ephemeral port leaves when its last file closes", op)
        del sw.ports[found[0]]
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
                       dict(s.config) if self.report_config else None)
                for s in self.switches_.values()]

    def ports(self, switch=None):
        out = []
        for s in self.switches_.values():
            if switch is not None and s.name != switch:
                continue
            for i in sorted(s.ports):
                name, kind = s.ports[i]
                geo = self.ifs.get(name, {}) if kind == "virtual" else DEFAULT_GEOMETRY
                out.append(Port(s.name, name, i, kind, **geo))
        return out

    def live(self, ifnames=()):
        switches = {s.name: s for s in self.switches()}
        ports = self.ports()
        interfaces = {p.name: Interface.from_port(p) for p in ports if p.kind == "virtual"}
        for name in ifnames:
            if name not in interfaces and (name in self.ifs or name in self.netdevs):
                interfaces[name] = Interface(name)
        return Live(switches, ports, interfaces)

    # -- for assertions --------------------------------------------------------
    def state(self):
        """Everything, comparably."""
        return ({n: (s.lookup, s.persistent, tuple(sorted(s.ports.values())), tuple(sorted(s.config.items())))
                 for n, s in self.switches_.items()},
                {n: tuple(sorted(g.items())) for n, g in self.ifs.items()})
