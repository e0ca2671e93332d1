"""vale: control VALE switches over the kernel's "vale" generic netlink
family, and keep them as a topology file declares.

    import vale
    with vale.Vale() as v:
        v.add_switch("vale0"); v.add_if("vi0"); v.attach("vale0", "vi0")

See vale.control (the API), vale.schema (lookup modules driven by what
they declare), vale.topology (the file format) and vale.plan (how apply
and down decide what to do).

The names of vale.plan and vale.topology (Topology, load, plan_apply...)
are imported on first use, so that a program that only talks to the
kernel does not pay for the topology file format and the planner: every
module costs where Python starts slowly, as in a VM reading its disk
over 9p with no compiled .pyc at hand.
"""
import importlib

from .control import Events, Vale
from .errors import ConfigError, TopologyError, ValeError
from .objects import Event, FdbEntry, Interface, Port, Stats, Switch
from .schema import Schema

Control = Vale

# The version of the package, as pyproject.toml says (tests/test_cli.py
# checks that they agree)
__version__ = "0.2.0"

# name -> the module that defines it, imported when the name is first asked for
_LAZY = {name: "plan" for name in ("Action", "Live", "Plan", "plan_apply", "plan_down")}
_LAZY.update((name, "topology") for name in ("InterfaceSpec", "SwitchSpec", "Topology",
                                              "dumps", "from_live", "load", "loads"))

__all__ = [
    "Action", "ConfigError", "Control", "Event", "Events", "FdbEntry", "Interface",
    "InterfaceSpec", "Live", "Plan", "Port", "Schema", "Stats", "Switch", "SwitchSpec", "Topology",
    "TopologyError", "Vale", "ValeError", "dumps", "from_live", "load", "loads",
    "plan_apply", "plan_down",
]


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError("module %r has no attribute %r" % (__name__, name))
    value = getattr(importlib.import_module("." + module, __name__), name)
    globals()[name] = value     # asked once
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
