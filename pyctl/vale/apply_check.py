"""What `apply` checks before it changes anything, so that a file the
kernel would refuse half way is refused whole, with every reason at once
(a file naming a missing NIC once detached four live ports before it
failed: issue 14).  Each problem is a TopologyError naming the place in
the file; nothing here changes the kernel.

Checked, against the kernel's state and the plan:
  - lookup modules: registered, or loadable (modprobe knows the alias
    "vale-lookup-NAME" the kernel asks for), and the file's settings
    against the module's schema;
  - NICs the plan attaches: there is such an interface in this network
    namespace, the kernel can make it a port (Ethernet, not loopback) and
    no Linux bridge or bond holds it; no host stack for a persistent
    interface;
  - names: "SWITCH:PORT" fits the kernel's name buffer (the file's own
    names are checked as it is read: vale.topology);
  - limits: interface geometry, ports per switch and switches, counted at
    every step of the plan.
What only the kernel knows (another namespace's switches, which share the
table; memory; a NIC open in netmap mode) can still refuse a change: the
run is then rolled back (vale.rollback).
"""
import errno
import json

from . import topology, uapi
from .errors import TopologyError, ValeError

RINGS = (1, uapi.MAX_RINGS)
SLOTS = (uapi.MIN_SLOTS, uapi.MAX_SLOTS)


class Checker:
    def __init__(self, topo, live, vale, source=""):
        self.topo, self.live, self.vale, self.source = topo, live, vale, source
        self.problems = []

    def add(self, where, message):
        at = "%s: %s" % (self.source, where) if self.source and where else self.source or where
        self.problems.append(TopologyError(at, message))

    def port_at(self, switch, port):
        spec = self.topo.switches.get(switch)
        if spec is not None and port in spec.ports:
            return topology._key("", "switch", switch, "ports", spec.ports.index(port))
        return topology._key("", "switch", switch)

    # -- before the plan: modules and their settings --------------------------
    def modules(self):
        """Check the lookup modules the file names and its settings of
        them (made canonical for the plan to compare); returns notes."""
        schemas = {}
        for spec in self.topo.switches.values():
            m = spec.lookup
            if m is None:
                continue
            if m not in schemas:
                schemas[m] = self._schema(m)
            if schemas[m] is None and not self.vale.lookup_loadable(m):
                self.add(topology._key("", "switch", spec.name, "lookup"),
                         "no lookup module %s: none is registered, and modprobe knows no "
                         "\"vale-lookup-%s\" to load" % (json.dumps(m), m))
        names = {}
        for p in self.live.ports:
            names.setdefault(p.switch, {})[p.index] = p.name
        return topology.check_config(self.topo, schemas, names, self.source, self.problems)

    def _schema(self, module):
        """The module's schema; None if it is not registered (yet)."""
        try:
            return self.vale.schema(module)
        except ValeError as e:
            if e.errno != errno.ENOENT:
                raise
            return None

    # -- with the plan: interfaces, names, limits -------------------------------
    def plan(self, plan):
        self.geometry()
        for a in plan.actions:
            if a.verb == "attach":
                self.attach(a.target, a.port, bool(dict(a.args).get("host")))
        self.counts(plan)

    def geometry(self):
        for spec in self.topo.interfaces.values():
            for k, v in spec.geometry().items():
                lo, hi = RINGS if k.endswith("rings") else SLOTS
                if not lo <= v <= hi:
                    self.add(topology._key("", "interface", spec.name, k),
                             "%d is out of the kernel's range %d..%d" % (v, lo, hi))

    def attach(self, switch, port, host):
        where = self.port_at(switch, port)
        full = "%s:%s" % (switch, port)
        if len(full.encode()) > uapi.NAME_MAX - 1:
            self.add(where, "%s is longer than the kernel's %d bytes for a switch and "
                     "port name together" % (json.dumps(full), uapi.NAME_MAX - 1))
        if port in self.topo.interfaces or port in self.live.interfaces:
            if host:
                self.add(where, "%s is a persistent interface: it has no host stack"
                         % json.dumps(port))
            return
        dev = self.vale.netdev(port)
        if dev is None:
            self.add(where, "no network interface %s in this network namespace (a port "
                     "not declared under [interface] is taken for a NIC)" % json.dumps(port))
            return
        why = dev.unusable() or dev.taken()
        if why:
            self.add(where, "%s cannot be attached: %s" % (json.dumps(port), why))

    def counts(self, plan):
        """Switches and ports per switch at each step of the plan (the
        kernel counts a NIC's host stack as a port, ephemeral ports too)."""
        live = self.live
        nports = {n: s.nports for n, s in live.switches.items()}
        persistent = {n for n, s in live.switches.items() if s.persistent}
        host = {(p.switch, p.name) for p in live.ports if p.host}
        most_switches, most_ports = len(nports), dict(nports)
        for a in plan.actions:
            t = a.target
            if a.verb == "switch_add":
                nports[t] = 0
                persistent.add(t)
            elif a.verb == "switch_del":
                nports.pop(t, None)
            elif a.verb == "attach":
                with_host = bool(dict(a.args).get("host"))
                nports[t] = nports.get(t, 0) + (2 if with_host else 1)
                if with_host:
                    host.add((t, a.port))
            elif a.verb == "detach":
                nports[t] -= 2 if (t, a.port) in host else 1
                host.discard((t, a.port))
                if nports[t] <= 0 and t not in persistent:
                    del nports[t]   # a switch made by attaching goes with its last port
            most_switches = max(most_switches, len(nports))
            if t in nports:
                most_ports[t] = max(most_ports.get(t, 0), nports[t])
        if most_switches > uapi.MAX_SWITCHES:
            self.add("", "the plan needs %d switches at once; the kernel has room for %d "
                     "(in all network namespaces together)"
                     % (most_switches, uapi.MAX_SWITCHES))
        for name, n in most_ports.items():
            if n > uapi.MAX_PORTS:
                self.add(topology._key("", "switch", name, "ports"),
                         "%d ports at once on %s (its ephemeral ports and a NIC's host stack "
                         "count too): a switch takes %d" % (n, name, uapi.MAX_PORTS))
