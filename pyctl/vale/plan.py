"""Plans: what to do to make the kernel match a topology (apply), or to
take a topology down (down).  Pure: a desired Topology and a Live state
in, a Plan (a list of Actions, and notes) out; nothing here talks to the
kernel, so every rule below is unit-tested without one.

apply, for a topology file:
  - a declared interface is made if missing, and made again (detached,
    deleted, made, attached again where it belongs) if its declared
    geometry differs from the kernel's;
  - a declared switch is made if missing, with its lookup module; it gets
    the declared lookup module and configuration; its persistent ports
    become exactly the declared ones, in order (others are detached,
    ephemeral ports are left to the programs that opened them);
  - a port declared on one switch but attached to another moves;
  - a NIC's host stack ("eth0^") is no port of its own: it comes and goes
    with its NIC, which is attached again when the file wants it with its
    host stack and the kernel has it without, or the other way round;
  - what the file does not declare is left alone, unless prune: then
    switches and persistent interfaces it does not name are removed.
  The lookup configuration (the module's settings, by the names its
  schema declares: topology.check_config) is compared with what
  SWITCH_GET reports (every setting, as the learning bridge's ageing),
  and only settings that differ are sent; a module (or kernel) that reports none has it sent again each
  time, as a "refresh": that changes nothing when it is already so, and
  does not count as a change.
down removes what the file declares: its ports come off its switches,
its interfaces and switches are deleted (a switch still holding ports
the file does not name is kept, with a note).

A switch made by attaching or opening a port (not persistent) goes when
its last port leaves; the plan knows, and makes it again (persistent) if
the file declares it.
"""
from dataclasses import dataclass, field
from typing import Optional

from .plan_lookup import module_actions
from .schema import value_text
from .topology import HOST_SUFFIX


@dataclass
class Live:
    """The kernel's state: switches by name (objects.Switch), the ports on
    switches ([objects.Port]) and persistent interfaces by name
    (objects.Interface, geometry None where unknown)."""
    switches: dict = field(default_factory=dict)
    ports: list = field(default_factory=list)
    interfaces: dict = field(default_factory=dict)
    # switch -> its module's objects: router.RouterState ("l3") or
    # [flows.Flow] ("of"), for the switches whose module has them
    modules: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    """One request.  verb: if_add, if_del, switch_add, switch_del,
    lookup_set, lookup_config, attach, detach; target: the switch (the
    interface for if_*); port: for attach/detach; args: (key, value)
    pairs (geometry, lookup module name, configuration)."""
    verb: str
    target: str
    port: Optional[str] = None
    args: tuple = ()
    module: Optional[str] = None    # lookup_config: whose keys these are

    def words(self):
        obj, _, verb = self.verb.partition("_")
        if obj in ("attach", "detach"):
            obj, verb = "port", obj
        w = [obj, verb, self.target]
        if self.port is not None:
            w.append(self.port)
        if self.verb == "attach":
            w += [k for k, v in self.args if v]     # "host": valectl's keyword
        elif self.verb in ("lookup_set",):
            w.append(self.args[0][1])
        else:
            for k, v in self.args:
                w += [k, value_text(v)]
        return w

    def __str__(self):
        return " ".join(self.words())

    def run(self, vale):
        """Do it through a vale.Vale (or anything with its methods)."""
        a = dict(self.args)
        if self.verb == "if_add":
            vale.add_if(self.target, **a)
        elif self.verb == "if_del":
            vale.del_if(self.target)
        elif self.verb == "switch_add":
            vale.add_switch(self.target, **a)
        elif self.verb == "switch_del":
            vale.del_switch(self.target)
        elif self.verb == "lookup_set":
            vale.set_lookup(self.target, a["lookup"])
        elif self.verb == "lookup_config":
            vale.configure(self.target, a, module=self.module)
        elif self.verb == "attach":
            vale.attach(self.target, self.port, **a)
        elif self.verb == "detach":
            vale.detach(self.target, self.port)
        else:
            raise ValueError("unknown action %r" % self.verb)


@dataclass
class Plan:
    """actions: the changes, in order; refresh: requests to send after
    them that set what the kernel does not report (so may already be so);
    notes: what the plan could not do or know."""
    actions: list = field(default_factory=list)
    refresh: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    def __len__(self):
        return len(self.actions)

    def __iter__(self):
        return iter(self.actions)

    def __str__(self):
        return "".join("%s\n" % a for a in self.actions)


class _State:
    """Where persistent ports are and how many ports each switch holds,
    updated as actions are planned."""

    def __init__(self, live):
        ports = [p for p in live.ports if p.persistent and p.kind != "host"]
        self.loc = {p.name: p.switch for p in ports}
        self.order = [(p.switch, p.name) for p in ports]
        # NICs whose host stack is on their switch: it leaves with them
        self.host = {p.name for p in ports if p.host}
        self.count = {n: s.nports for n, s in live.switches.items()}
        self.live = live
        self.gone = set()   # non-persistent switches that lost their last port

    def detach(self, plan, sw, port):
        plan.actions.append(Action("detach", sw, port))
        del self.loc[port]
        self.count[sw] -= 2 if port in self.host else 1
        self.host.discard(port)
        s = self.live.switches.get(sw)
        if self.count[sw] <= 0 and s is not None and not s.persistent:
            self.gone.add(sw)

    def present(self, sw):
        return sw in self.live.switches and sw not in self.gone


def plan_apply(desired, live, prune=False):
    """The Plan that makes live match desired (a topology.Topology)."""
    plan, st = Plan(), _State(live)
    want = {p: sw.name for sw in desired.switches.values() for p in sw.ports
            if not p.endswith(HOST_SUFFIX)}
    want_host = {p[:-1] for sw in desired.switches.values() for p in sw.ports
                 if p.endswith(HOST_SUFFIX)}

    remake = []
    for name, spec in desired.interfaces.items():
        li = live.interfaces.get(name)
        if li is None:
            continue
        have = li.geometry()
        if any(k in have and have[k] != v for k, v in spec.geometry().items()):
            remake.append(name)
        elif any(k not in have for k in spec.geometry()):
            plan.notes.append("interface %s: its geometry is not known (it is on no "
                              "switch), so it is left as it is" % name)
    drop_ifs = [n for n in live.interfaces
                if prune and n not in desired.interfaces and n not in want]
    drop_sws = [n for n in live.switches if prune and n not in desired.switches]

    reattach = []   # remade interfaces go back to the undeclared switch they were on
    for sw, port in st.order:
        if want.get(port) == sw and port not in remake \
                and (port in want_host) == (port in st.host):
            continue
        if (sw in desired.switches or port in want or port in remake
                or sw in drop_sws or port in drop_ifs):
            st.detach(plan, sw, port)
            if port in remake and port not in want and sw not in desired.switches \
                    and sw not in drop_sws:
                reattach.append(Action("attach", sw, port))

    for name in remake + drop_ifs:
        plan.actions.append(Action("if_del", name))
    for sw in drop_sws:
        if not st.present(sw):
            continue
        if st.count[sw] > 0:
            plan.notes.append("switch %s kept: %d ephemeral port(s) still on it"
                              % (sw, st.count[sw]))
        else:
            plan.actions.append(Action("switch_del", sw))

    for name, spec in desired.interfaces.items():
        if name not in live.interfaces or name in remake:
            plan.actions.append(Action("if_add", name, args=tuple(spec.geometry().items())))

    for name, spec in desired.switches.items():
        new = not st.present(name)
        changed = False
        if new:
            args = (("lookup", spec.lookup),) if spec.lookup else ()
            plan.actions.append(Action("switch_add", name, args=args))
        elif spec.lookup and live.switches[name].lookup != spec.lookup:
            plan.actions.append(Action("lookup_set", name, args=(("lookup", spec.lookup),)))
            changed = True
        if spec.config:
            have = None if new or changed else live.switches[name].config
            if have is None:
                send = tuple(spec.config.items())
            else:
                send = tuple((k, v) for k, v in spec.config.items() if have.get(k) != v)
            if send:
                action = Action("lookup_config", name, args=send, module=spec.lookup)
                if new or changed or have is not None:
                    plan.actions.append(action)
                else:
                    plan.refresh.append(action)

    for name, spec in desired.switches.items():
        for port in spec.ports:
            if st.loc.get(port) != name and not port.endswith(HOST_SUFFIX):
                host = (("host", True),) if port in want_host else ()
                plan.actions.append(Action("attach", name, port, args=host))
    plan.actions += reattach
    # the module's objects, once the ports they name are attached
    fresh = {a.target for a in plan.actions if a.verb in ("switch_add", "lookup_set")}
    plan.actions += module_actions(desired, live, fresh)
    return plan


def plan_down(desired, live):
    """The Plan that removes what desired declares (and only that)."""
    plan, st = Plan(), _State(live)
    for sw, port in st.order:
        if (sw in desired.switches and port in desired.switches[sw].ports) \
                or port in desired.interfaces:
            st.detach(plan, sw, port)
    for name in desired.interfaces:
        if name in live.interfaces:
            plan.actions.append(Action("if_del", name))
    for name in desired.switches:
        if not st.present(name):
            continue
        if st.count[name] > 0:
            plan.notes.append("switch %s kept: %d port(s) the file does not declare "
                              "still on it" % (name, st.count[name]))
        else:
            plan.actions.append(Action("switch_del", name))
    return plan
