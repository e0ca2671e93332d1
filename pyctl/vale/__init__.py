"""vale: control VALE switches over the kernel's "vale" generic netlink
family, and keep them as a topology file declares.

    import vale
    with vale.Vale() as v:
        v.add_switch("vale0"); v.add_if("vi0"); v.attach("vale0", "vi0")

See vale.control (the API), vale.schema (lookup modules driven by what
they declare), vale.topology (the file format) and vale.plan (how apply
and down decide what to do).
"""
from .control import Events, Vale
from .errors import ConfigError, TopologyError, ValeError
from .objects import Event, FdbEntry, Interface, Port, Stats, Switch
from .plan import Action, Live, Plan, plan_apply, plan_down
from .schema import Schema
from .topology import InterfaceSpec, SwitchSpec, Topology, dumps, from_live, load, loads

Control = Vale

__version__ = "0.2.0"
__all__ = [
    "Action", "ConfigError", "Control", "Event", "Events", "FdbEntry", "Interface",
    "InterfaceSpec", "Live", "Plan", "Port", "Schema", "Stats", "Switch", "SwitchSpec", "Topology",
    "TopologyError", "Vale", "ValeError", "dumps", "from_live", "load", "loads",
    "plan_apply", "plan_down",
]
