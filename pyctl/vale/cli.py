"""python3 -m vale: apply, take down and show topologies; watch events.

    python3 -m vale apply [-n|--dry-run] [-v] [--prune] FILE   (FILE "-": stdin)
    python3 -m vale down [-n|--dry-run] [-v] FILE
    python3 -m vale show [--toml | -j|--json]
    python3 -m vale monitor [-c|--count N] [-t|--timeout S]
    python3 -m vale config [-j] SWITCH [KEY=VALUE ...]   (KEY alone: a flag)
    python3 -m vale dump [-j] [-N] SWITCH [TABLE]
    python3 -m vale schema [-j] [MODULE]
    python3 -m vale --version

config, dump and schema work for any lookup module, by the names it
declares (its schema): config shows the module's settings, or sets them
(and actions: "flush"); dump prints its tables; schema what it declares.

apply checks what it can before it changes anything (vale.apply_check:
the NICs and lookup modules the file names, the module's settings, the
kernel's limits) and reports every problem at once, changing nothing.
apply and down are all or nothing: when the kernel refuses a change half
way, they undo what they did, last first (vale.rollback), and say whether
the kernel is as it was before.

Exit status: 0 done (or nothing to do), 1 the kernel refused something
(the message says what; apply and down undo what they did and the kernel
is as before), 2 bad usage, a bad topology file, a file apply cannot make
(its problems said, nothing sent) or settings the module does not take,
3 apply or down refused half way and could not wholly undo what it did
(what differs is said), 130 interrupted (what was done is undone).
"""
import argparse
import errno
import json
import os
import sys

from . import __version__, rollback, topology, uapi
from .apply_check import Checker
from .control import Vale
from .errors import ConfigError, TopologyError, ValeError
from .plan import plan_apply, plan_down
from .schema import json_value, value_text

PROG = "python3 -m vale"


def prog():
    """How the user called us: the installed command (make install's
    `vale`), or the module."""
    return "vale" if os.path.basename(sys.argv[0] or "") == "vale" else PROG


def _err(msg):
    print("vale: %s" % msg, file=sys.stderr)


def _changes(n):
    return "%d change%s" % (n, "" if n == 1 else "s")


def _hint(e, action, topo):
    """A word more about refusals with a likely cause."""
    if action.verb == "attach" and topo.port_kind(action.port) == "nic":
        hint = "%s is not declared under [interface], so it is taken for a NIC" % action.port
        if e.errno == errno.ENXIO:
            hint += " (or this kernel attaches no NICs)"
        return hint
    if e.errno == errno.EPERM:
        return "changing switches needs CAP_NET_ADMIN"
    return None


def _run(plan, topo, path, vale, live, undo_ifnames):
    """Make the plan's changes, each printed as it is made; if the kernel
    refuses one (or the user interrupts), undo those made (vale.rollback)
    and say how that went.  Returns the exit status."""
    done = []
    for action, change in [(a, True) for a in plan.actions] + [(a, False) for a in plan.refresh]:
        try:
            action.run(vale)
        except (ValeError, KeyboardInterrupt) as e:
            if isinstance(e, KeyboardInterrupt):
                _err("interrupted at: %s" % action)
            else:
                if e.op is None:
                    e.op = str(action)
                _err(str(e))
                hint = _hint(e, action, topo)
                if hint:
                    _err("hint: %s" % hint)
            status = _undo(done, plan, path, vale, live, undo_ifnames)
            return 130 if isinstance(e, KeyboardInterrupt) and status == 1 else status
        done.append(action)
        if change:
            print(action)
            sys.stdout.flush()
    return 0


def _undo(done, plan, path, vale, live, ifnames):
    """Undo the requests done of plan; the exit status: 1 undone, 3 not
    wholly (what differs is said)."""
    made = sum(1 for a in done if a in plan.actions)   # refreshes are no changes
    if not done:
        _err("%s: stopped before any change: nothing changed" % path)
        return 1
    _err("%s: stopped after %s of %d: undoing what was done" % (path, _changes(made), len(plan)))

    def said(step):
        print("undo: %s" % step)
        sys.stdout.flush()
    out = rollback.undo(done, live, vale, ifnames, on_step=said)
    for step, e in out.failed:
        _err("undo refused: %s" % e if e.op else "undo: %s: %s" % (step, e))
    for note in out.notes:
        _err("note: %s" % note)
    for what in out.left:
        _err("%s: not as before: %s" % (path, what))
    if out.complete:
        _err("%s: undone: the kernel is as it was before" % path)
        return 1
    _err("%s: undoing was incomplete: the kernel is not as it was before (see above)" % path)
    return 3


def _execute(plan, topo, path, dry_run, verbose, vale, what, live, problems=()):
    """Print or run a plan: each change as it is made, then a summary.
    problems (found before any change, vale.apply_check): each said, and
    nothing done."""
    if dry_run or verbose:
        for note in plan.notes:
            print("note: %s" % note)
        for action in plan.refresh:
            print("refresh: %s (the kernel does not report it: sent again)" % action)
    if dry_run:
        sys.stdout.write(str(plan))
        if plan.actions:
            print("%s: %s to make (dry run: nothing done)" % (path, _changes(len(plan))))
        else:
            print("%s: no change, %s" % (path, what))
    for p in problems:
        _err(str(p))
    if problems:
        _err("%s: %d problem%s: %s" % (path, len(problems), "" if len(problems) == 1 else "s",
                                      "apply would change nothing" if dry_run
                                      else "nothing changed"))
        return 2
    if dry_run:
        return 0
    status = _run(plan, topo, path, vale, live, list(topo.interfaces))
    if status:
        return status
    if plan.actions:
        print("%s: %s made" % (path, _changes(len(plan))))
    else:
        print("%s: no change, %s" % (path, what))
    return 0


def cmd_apply(args, vale):
    topo = args.topo
    live = vale.live(ifnames=topo.interfaces)
    check = Checker(topo, live, vale, args.file)
    notes = check.modules()     # first: the settings made canonical, as the plan compares them
    plan = plan_apply(topo, live, prune=args.prune)
    plan.notes[:0] = notes
    check.plan(plan)
    return _execute(plan, topo, args.file, args.dry_run, args.verbose, vale,
                    "the kernel matches it", live, check.problems)


def cmd_down(args, vale):
    topo = args.topo
    live = vale.live(ifnames=topo.interfaces)
    plan = plan_down(topo, live)
    return _execute(plan, topo, args.file, args.dry_run, args.verbose, vale,
                    "none of it is there", live)


def _table(rows, indent="  "):
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "".join(indent + "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
                   + "\n" for r in rows)


def format_live(live):
    """The human form of show."""
    out = []
    for sw in sorted(live.switches.values(), key=lambda s: (s.index is None, s.index, s.name)):
        head = "%s  lookup %s  %d port%s" % (sw.name, sw.lookup or "?", sw.nports,
                                            "" if sw.nports == 1 else "s")
        if sw.persistent:
            head += "  persistent"
        if sw.config:
            head += "  " + "  ".join("%s %s" % (k, value_text(v)) for k, v in sw.config.items())
        out.append(head + "\n")
        ports = sorted((p for p in live.ports if p.switch == sw.name),
                       key=lambda p: (p.index is None, p.index, p.name))
        if ports:
            rows = [("PORT", "NAME", "KIND", "RINGS", "SLOTS", "TX-PKTS", "TX-BYTES",
                     "RX-PKTS", "RX-BYTES", "DROPS")]
            for p in ports:
                s = p.stats
                drops = s.drop_lookup + s.drop_bad + s.drop_full + s.drop_bad_buf
                rows.append((p.index, p.name, p.kind, "%s/%s" % (p.tx_rings, p.rx_rings),
                             "%s/%s" % (p.tx_slots, p.rx_slots), s.tx_packets, s.tx_bytes,
                             s.rx_packets, s.rx_bytes, drops))
            out.append(_table(rows))
    free = [i for i in live.interfaces.values() if i.switch is None]
    if free:
        out.append("interfaces on no switch: %s\n" % " ".join(i.name for i in free))
    if not out:
        out.append("no switches\n")
    return "".join(out)


def cmd_show(args, vale):
    live = vale.live()
    if args.toml:
        eph = ["%s (ephemeral, left out)" % p.full_name for p in live.ports if not p.persistent]
        sys.stdout.write(topology.dumps(topology.from_live(live),
                                        comments=["the live topology (python3 -m vale show --toml)"]
                                        + eph))
    elif args.json:
        json.dump({"switches": [s.as_dict() for s in live.switches.values()],
                   "ports": [p.as_dict() for p in live.ports],
                   "interfaces": [vars(i) for i in live.interfaces.values()]},
                  sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_live(live))
    return 0


def format_event(ev):
    if ev.port is not None:
        return "%s %s" % (ev.cmd, ev.port.full_name)
    if ev.ifname is not None:
        return "%s %s" % (ev.cmd, ev.ifname)
    words = [ev.cmd, ev.switch_name or ""]
    if ev.cmd == "lookup_set" and ev.switch is not None:
        words.append(ev.switch.lookup or "?")
    if ev.cmd == "lookup_config" and ev.switch is not None and ev.switch.config:
        words += ["%s=%s" % (k, value_text(v)) for k, v in ev.switch.config.items()]
    return " ".join(words)


def cmd_monitor(args, vale):
    with vale.events(timeout=args.timeout) as events:
        for n, ev in enumerate(events, 1):
            print(format_event(ev))
            sys.stdout.flush()
            if args.count and n >= args.count:
                break
    return 0


def _pairs(words):
    """KEY=VALUE words as {key: value text}; KEY alone: a flag, "true"."""
    out = {}
    for w in words:
        key, eq, value = w.partition("=")
        if not key:
            raise ConfigError(errno.EINVAL, "%r: KEY=VALUE, or KEY for a flag" % w)
        out[key] = value if eq else "true"
    return out


def cmd_config(args, vale):
    if args.settings:
        vale.set_config(args.switch, **_pairs(args.settings))
        return 0
    sw = vale.switch(args.switch)
    cfg = sw.config or {}
    if args.json:
        json.dump({k: json_value(v) for k, v in cfg.items()}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    elif not cfg:
        print("# %s: lookup module %s reports no settings" % (sw.name, sw.lookup))
    else:
        for k, v in cfg.items():
            print("%s=%s" % (k, value_text(v)))
    return 0


def cmd_dump(args, vale):
    rows = vale.dump(args.switch, args.table, numeric=args.numeric)
    if args.json:
        json.dump([{k: json_value(v) for k, v in r.items()} for r in rows], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    tables = {}
    for r in rows:
        tables.setdefault(r["table"], []).append(r)
    for name, trows in tables.items():
        cols = []
        for r in trows:
            cols += [k for k in r if k != "table" and k not in cols]
        out = [[c.upper() for c in cols]]
        out += [[value_text(r[c]) if c in r else "-" for c in cols] for r in trows]
        print(name)
        sys.stdout.write(_table(out) if cols else "")
    return 0


def format_schema(sch):
    out = ["module %s\n" % sch.module]
    rows = [("ATTR", "ID", "TYPE", "KIND", "RANGE", "DOC")]
    for a in sch.attrs:
        rng = a.range()
        doc = a.doc
        if a.values:
            doc += (" " if doc else "") + "(values: %s)" % ", ".join(v for v in a.values if v)
        rows.append((a.name, a.id, a.type, a.kind(),
                     "%d..%d" % rng if rng else "-", doc or "-"))
    if sch.attrs:
        out.append(_table(rows))
    for t in sch.tables:
        out.append("  table %s%s\n" % (t.name, ": " + t.doc if t.doc else ""))
    return "".join(out)


def cmd_schema(args, vale):
    schs = [vale.schema(args.module)] if args.module else vale.schemas()
    if args.json:
        json.dump([s.as_dict() for s in schs], sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write("\n".join(format_schema(s) for s in schs))
    return 0


def version_text():
    """What --version prints: the package's version, and the family's."""
    return "vale %s (generic netlink family \"%s\" version %d)" % (
        __version__, uapi.GENL_NAME, uapi.GENL_VERSION)


def parser():
    p = argparse.ArgumentParser(prog=prog(), description="Control VALE switches: "
                                "apply, take down and show topologies.")
    p.add_argument("--version", action="version", version=version_text())
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND", required=True)
    a = sub.add_parser("apply", help="make the kernel match a topology file")
    a.add_argument("file", help="the topology file (TOML; - for standard input)")
    a.add_argument("-n", "--dry-run", action="store_true", help="print the plan, do nothing")
    a.add_argument("-v", "--verbose", action="store_true", help="print the plan's notes")
    a.add_argument("--prune", action="store_true",
                   help="also remove switches and interfaces the file does not name")
    a.set_defaults(func=cmd_apply)
    d = sub.add_parser("down", help="remove what a topology file declares")
    d.add_argument("file", help="the topology file (TOML; - for standard input)")
    d.add_argument("-n", "--dry-run", action="store_true", help="print the plan, do nothing")
    d.add_argument("-v", "--verbose", action="store_true", help="print the plan's notes")
    d.set_defaults(func=cmd_down)
    s = sub.add_parser("show", help="print the live topology")
    g = s.add_mutually_exclusive_group()
    g.add_argument("--toml", action="store_true", help="as a topology file")
    g.add_argument("-j", "--json", action="store_true", help="as JSON")
    s.set_defaults(func=cmd_show)
    m = sub.add_parser("monitor", help="print switch and port changes as they happen")
    m.add_argument("-c", "--count", type=int, default=0, help="stop after N events")
    m.add_argument("-t", "--timeout", type=float, default=None,
                   help="stop when no event comes for S seconds")
    m.set_defaults(func=cmd_monitor)
    c = sub.add_parser("config", help="show or set a switch's lookup module settings")
    c.add_argument("-j", "--json", action="store_true", help="as JSON")
    c.add_argument("switch", help="the switch")
    c.add_argument("settings", nargs="*", metavar="KEY=VALUE",
                   help="what to set, by the names the module declares (KEY alone: a flag)")
    c.set_defaults(func=cmd_config)
    u = sub.add_parser("dump", help="print the tables of a switch's lookup module")
    u.add_argument("-j", "--json", action="store_true", help="as JSON")
    u.add_argument("-N", "--numeric", action="store_true", help="ports by number")
    u.add_argument("switch", help="the switch")
    u.add_argument("table", nargs="?", help="only this table")
    u.set_defaults(func=cmd_dump)
    h = sub.add_parser("schema", help="what lookup modules declare: attributes, tables")
    h.add_argument("-j", "--json", action="store_true", help="as JSON")
    h.add_argument("module", nargs="?", help="one module (default: every registered one)")
    h.set_defaults(func=cmd_schema)
    return p


def main(argv=None, connect=Vale):
    args = parser().parse_args(argv)
    try:
        if args.cmd in ("apply", "down"):
            args.topo = topology.load(args.file)   # a bad file: status 2, no request
        with connect() as vale:
            return args.func(args, vale)
    except (TopologyError, ConfigError) as e:
        _err(str(e))
        return 2
    except ValeError as e:
        _err(str(e))
        return 1
    except KeyboardInterrupt:
        return 130
