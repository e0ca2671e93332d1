"""The lookup modules' own objects in a plan: the router's ports, addresses,
neighbours and routes (module "l3") and the flow table (module "of") of a
switch that declares them become exactly the declared ones.  Pure, as
vale.plan: the desired SwitchSpec and the kernel's state (Live.modules)
in, ModuleActions out.  Deletions come first, then additions; an object
that differs is replaced (a neighbour or a flow is replaced by adding it
again, a route or a router port's MAC by deleting it first or setting it).
Ports are compared by name, the kernel's numbers named from Live.ports."""
from dataclasses import dataclass
from typing import Optional

from . import flows as flowtext
from .router import RouterState


@dataclass(frozen=True)
class ModuleAction:
    """One request on a module's objects: verb (route_add, route_del,
    neigh_add, neigh_del, addr_add, addr_del, router_port_set,
    router_port_del, flow_add, flow_del), the switch, valectl's words
    after it, and the vale.Vale method with its arguments."""
    verb: str
    target: str
    tail: tuple
    method: str
    args: tuple
    port: Optional[str] = None

    def words(self):
        obj, _, verb = self.verb.rpartition("_")
        if obj == "router_port":
            return ["router", "port", verb, self.target] + [str(w) for w in self.tail]
        return [obj, verb, self.target] + [str(w) for w in self.tail]

    def __str__(self):
        return " ".join(self.words())

    def run(self, vale):
        getattr(vale, self.method)(self.target, *self.args)


def _router_actions(name, spec, st, pname):
    dels, adds = [], []
    A = ModuleAction
    have_ports = {pname(p): rp for p, rp in st.ports.items()}
    have_addrs = {(pname(p), a) for p, rp in st.ports.items() for a in rp.addrs}
    want_addrs = {(p, a) for p, rp in spec.router.items() for a in rp["addrs"]}
    have_routes = {r.prefix: (pname(r.port), r.via) for r in st.routes}
    want_routes = {r.prefix: (r.port, r.via) for r in spec.routes}
    have_neighs = {(pname(n.port), n.addr): n.lladdr for n in st.neighs}
    want_neighs = {(n.port, n.addr): n.lladdr for n in spec.neighbours}

    for pfx, (port, via) in have_routes.items():
        if want_routes.get(pfx) != (port, via):
            dels.append(A("route_del", name, (pfx,), "del_route", (pfx,)))
    for (port, addr) in have_neighs:
        if (port, addr) not in want_neighs:
            dels.append(A("neigh_del", name, (addr, "port", port), "del_neigh", (addr, port)))
    for port, addr in sorted(have_addrs - want_addrs, key=str):
        dels.append(A("addr_del", name, (addr, "port", port), "del_router_addr", (port, addr)))
    for port, rp in have_ports.items():
        if rp.mac is not None and port not in spec.router:
            dels.append(A("router_port_del", name, (port,), "del_router_port", (port,)))

    for port, rp in spec.router.items():
        have = have_ports.get(port)
        if have is None or have.mac != rp["mac"]:
            adds.append(A("router_port_set", name, (port, "mac", rp["mac"]), "set_router_port",
                          (port, rp["mac"])))
    for port, rp in spec.router.items():
        for addr in rp["addrs"]:
            if (port, addr) not in have_addrs:
                adds.append(A("addr_add", name, (addr, "port", port), "add_router_addr",
                              (port, addr)))
    for (port, addr), lladdr in want_neighs.items():
        if have_neighs.get((port, addr)) != lladdr:
            adds.append(A("neigh_add", name, (addr, "lladdr", lladdr, "port", port), "add_neigh",
                          (addr, lladdr, port)))
    for r in spec.routes:
        if have_routes.get(r.prefix) != (r.port, r.via):
            tail = (r.prefix, "port", r.port) + (("via", r.via) if r.via else ())
            adds.append(A("route_add", name, tail, "add_route", (r.prefix, r.port, r.via)))
    return dels + adds


def _flow_actions(name, spec, have):
    A = ModuleAction
    live = {f.key(): f for f in have}
    want = {}
    for text in spec.flows:
        f = flowtext.parse(text)
        want[f.key()] = f
    out = []
    for key, f in live.items():
        if key not in want:
            match = f.text().split(" actions=")[0]
            out.append(A("flow_del", name, (match, "strict"), "del_flows", (match, True)))
    for key, f in want.items():
        if key not in live or live[key].text() != f.text():
            out.append(A("flow_add", name, (f.text(),), "add_flow", (f.text(),)))
    return out


def module_actions(desired, live, fresh=(), exact=()):
    """The ModuleActions for the switches of desired that declare module
    objects; fresh: switches made (or given their module) by the plan, whose
    module state starts empty; exact: switches whose module objects become
    exactly the declared ones even if it declares none (a rollback puts a
    switch's objects back as they were, none included)."""
    out = []
    for name, spec in desired.switches.items():
        st = None if name in fresh else live.modules.get(name)
        names = {p.index: p.name for p in live.ports if p.switch == name}
        whole = name in exact
        if spec.router or spec.routes or spec.neighbours or (whole and spec.lookup == "l3"):
            out += _router_actions(name, spec, st if isinstance(st, RouterState)
                                   else RouterState(), lambda p: names.get(p, p))
        if spec.flows or (whole and spec.lookup == "of"):
            out += _flow_actions(name, spec, st if isinstance(st, list) else [])
    return out
