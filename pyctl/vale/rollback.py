"""Undo what a run of a plan did when the kernel refuses a change half
way, so that `apply` (and `down`) is all or nothing: the kernel is left
as the run found it (the Live state read before it), or the report says
what could not be put back.

Three passes:
  1. the structural changes, undone last first: what was attached is
     detached, what was detached is attached again (with its host stack),
     what was made is deleted, what was deleted is made again (a switch
     with its module, an interface with its geometry).  Consecutive
     attaches go in the order of the ports' old numbers: the kernel gives
     a port the lowest free number, so that order gives each its own
     number back when no other number is free below it;
  2. each switch the run touched gets back its lookup module, its
     settings and the module's objects (a router's ports, addresses,
     neighbours and routes; a flow table's flows): a port that leaves a
     switch takes its objects with it, a new module starts empty.  These
     are compared with the kernel's, not undone one by one;
  3. the kernel's state read again and compared with the state before:
     what differs is reported.
A step that fails is reported and the others still run: each puts back
what it can.
"""
from dataclasses import dataclass, field

from . import topology
from .errors import ValeError
from .plan import Action
from .plan_lookup import module_actions

STRUCTURAL = ("if_add", "if_del", "switch_add", "switch_del", "attach", "detach")


@dataclass
class Outcome:
    """steps: the undo requests made; failed: (step, ValeError) of those
    the kernel refused; left: what differs from the state before; notes:
    what the kernel's state does not show (an interface made again is a
    new network device)."""
    steps: list = field(default_factory=list)
    failed: list = field(default_factory=list)
    left: list = field(default_factory=list)
    notes: list = field(default_factory=list)

    @property
    def complete(self):
        return not self.failed and not self.left


def _inverse(a, before, port):
    """The structural request that undoes action a (None: settled in pass 2)."""
    if a.verb == "if_add":
        return Action("if_del", a.target)
    if a.verb == "if_del":
        was = before.interfaces.get(a.target)
        return Action("if_add", a.target, args=tuple(was.geometry().items()) if was else ())
    if a.verb == "switch_add":
        return Action("switch_del", a.target)
    if a.verb == "switch_del":
        lookup = before.switches[a.target].lookup
        return Action("switch_add", a.target, args=(("lookup", lookup),) if lookup else ())
    if a.verb == "attach":
        return Action("detach", a.target, a.port)
    if a.verb == "detach":
        p = port.get((a.target, a.port))
        return Action("attach", a.target, a.port,
                      args=(("host", True),) if p is not None and p.host else ())
    return None


def _old_number(port, step):
    p = port.get((step.target, step.port))
    index = p.index if p is not None else None
    return step.target, index is None, index or 0


def undo_steps(done, before):
    """Pass 1: the structural inverses of the actions done, last first,
    runs of attaches in the ports' old order."""
    port = {(p.switch, p.name): p for p in before.ports}
    steps = [s for s in (_inverse(a, before, port) for a in reversed(done)) if s is not None]
    out, run = [], []
    for s in steps + [None]:
        if s is not None and s.verb == "attach":
            run.append(s)
            continue
        out += sorted(run, key=lambda s2: _old_number(port, s2))
        run = []
        if s is not None:
            out.append(s)
    return out


def _unknown_settings(name, done, before, has_settings):
    """Could the run (or its undoing) have changed settings of switch
    name that the kernel does not report?  has_settings(module): whether
    the module has any (one without reports none either)."""
    was = before.switches[name]
    if was.config is not None or not has_settings(was.lookup):
        return False
    if any(a.target == name and a.verb in ("lookup_set", "lookup_config", "switch_del")
           for a in done):
        return True
    # a switch made by attaching goes with its last port, its settings too
    detached = [a.port for a in done if a.verb == "detach" and a.target == name]
    return not was.persistent and bool(detached)


def settle_steps(done, before, now, has_settings=lambda module: True):
    """Pass 2: the requests that give each switch the run touched its
    module, settings and module objects of before, from the kernel's
    state now; and what cannot be known (has_settings: as for
    _unknown_settings)."""
    touched = [n for n in before.switches
               if any(a.target == n and a.verb not in ("if_add", "if_del") for a in done)]
    steps, fresh, unknown = [], set(), []
    for name in touched:
        was, sw = before.switches[name], now.switches.get(name)
        if sw is None:
            continue    # not made again: pass 3 says so
        if was.lookup is not None and sw.lookup != was.lookup:
            steps.append(Action("lookup_set", name, args=(("lookup", was.lookup),)))
            fresh.add(name)
        if was.config:
            send = {k: v for k, v in was.config.items()
                    if name in fresh or (sw.config or {}).get(k) != v}
            if send:
                steps.append(Action("lookup_config", name, args=tuple(send.items()),
                                    module=was.lookup))
        if _unknown_settings(name, done, before, has_settings):
            unknown.append("switch %s: the kernel does not report its lookup module's "
                           "settings, so they may differ from before" % name)
    spec = topology.from_live(before)
    want = topology.Topology(switches={n: spec.switches[n] for n in touched
                                       if n in now.switches and n in spec.switches})
    steps += module_actions(want, now, fresh, exact=set(want.switches))
    return steps, unknown


def _objects(spec):
    """A switch's module objects, in no order (made again, they may be
    dumped in another)."""
    return ({p: (rp["mac"], sorted(rp["addrs"])) for p, rp in spec.router.items()},
            sorted(map(repr, spec.routes)), sorted(map(repr, spec.neighbours)),
            sorted(spec.flows))


def differences(before, after):
    """What differs between two Live states, in words (ephemeral ports,
    which belong to the programs that opened them, left out)."""
    out = []
    for name, was in before.switches.items():
        sw = after.switches.get(name)
        if sw is None:
            out.append("switch %s is gone" % name)
            continue
        if sw.lookup != was.lookup:
            out.append("switch %s runs lookup module %s (was %s)" % (name, sw.lookup, was.lookup))
        if sw.persistent != was.persistent:
            out.append("switch %s is %s now" % (name, "persistent" if sw.persistent
                                                 else "not persistent"))
        if was.config is not None and sw.config is not None and sw.config != was.config:
            out.append("switch %s: settings %s (were %s)" % (name, sw.config, was.config))
    out += ["switch %s was made" % n for n in after.switches if n not in before.switches]
    old = {(p.switch, p.name): p for p in before.ports if p.persistent}
    new = {(p.switch, p.name): p for p in after.ports if p.persistent}
    for key, p in old.items():
        q = new.get(key)
        if q is None:
            out.append("port %s is off its switch" % p.full_name)
        elif q.index != p.index:
            out.append("port %s is number %s (was %s)" % (p.full_name, q.index, p.index))
        elif q.host != p.host:
            out.append("port %s is %s its host stack now" % (p.full_name,
                                                              "with" if q.host else "without"))
    out += ["port %s was attached" % p.full_name for k, p in new.items() if k not in old]
    for name, i in before.interfaces.items():
        j = after.interfaces.get(name)
        if j is None:
            out.append("interface %s is gone" % name)
        elif i.geometry() and j.geometry() and i.geometry() != j.geometry():
            out.append("interface %s: geometry %s (was %s)" % (name, j.geometry(), i.geometry()))
    out += ["interface %s was made" % n for n in after.interfaces if n not in before.interfaces]
    was_t, now_t = topology.from_live(before), topology.from_live(after)
    for name, spec in was_t.switches.items():
        s = now_t.switches.get(name)
        if s is not None and s.lookup == spec.lookup and _objects(s) != _objects(spec):
            out.append("switch %s: the objects of lookup module %s differ from before"
                       % (name, spec.lookup))
    return out


def undo(done, before, vale, ifnames=(), on_step=None):
    """Undo the actions done (in the order they were made) on a vale.Vale;
    before: the Live state the run started from; ifnames: as the run's
    vale.live() read it.  on_step(step): called after each request made.
    Returns an Outcome."""
    out = Outcome()

    def run(steps):
        for step in steps:
            try:
                step.run(vale)
            except ValeError as e:
                if e.op is None:
                    e.op = str(step)
                out.failed.append((step, e))
                continue
            out.steps.append(step)
            if on_step is not None:
                on_step(step)
            if step.verb == "if_add":
                out.notes.append("interface %s was made again: a new network device (its "
                                 "addresses and link settings are not restored)" % step.target)

    def has_settings(module):
        if module is None:
            return True     # not known: it may have
        try:
            return bool(vale.schema(module).settings)
        except ValeError:
            return True     # not known: it may have
    run(undo_steps(done, before))
    try:
        steps, unknown = settle_steps(done, before, vale.live(ifnames=ifnames), has_settings)
        out.left += unknown
        run(steps)
        out.left += differences(before, vale.live(ifnames=ifnames))
    except ValeError as e:
        out.failed.append(("reading the kernel's state", e))
    return out
