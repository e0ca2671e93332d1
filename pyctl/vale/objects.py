"""What the kernel reports: switches, ports and their counters, persistent
interfaces, learned addresses and change events.  Plain values, built from
netlink replies by vale.control and compared by vale.plan."""
from dataclasses import dataclass, field, fields
from typing import Optional

from . import uapi
from .schema import json_value


@dataclass(frozen=True)
class Stats:
    """The counters of a port (VALE_ATTR_PORT_STATS)."""
    tx_packets: int = 0     # sent by the port into the switch
    tx_bytes: int = 0
    rx_packets: int = 0     # delivered by the switch to the port
    rx_bytes: int = 0
    drop_lookup: int = 0    # sent, but the lookup module said drop
    drop_bad: int = 0       # sent with a bad index, length or fragments
    drop_full: int = 0      # for the port, but its ring was full
    drop_bad_buf: int = 0   # for the port, but its slot was broken

    def as_dict(self):
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class Switch:
    name: str
    index: Optional[int] = None
    lookup: Optional[str] = None
    nports: int = 0             # ports attached, ephemeral ones included
    persistent: bool = False    # made by add_switch: stays without ports
    # the lookup module's settings by name (from its schema), if it reports
    # any; None: it reports none (or its schema could not be read)
    config: Optional[dict] = None
    # the LOOKUP_CONFIG nest as the kernel sent it
    raw_config: Optional[bytes] = field(default=None, compare=False, repr=False)

    def as_dict(self):
        return {"name": self.name, "index": self.index, "lookup": self.lookup,
                "ports": self.nports, "persistent": self.persistent,
                "config": None if self.config is None else
                {k: json_value(v) for k, v in self.config.items()}}


@dataclass
class Port:
    switch: Optional[str]       # None: a persistent interface on no switch
    name: str                   # within the switch: "p1" of "vale0:p1"
    index: Optional[int] = None
    kind: str = "ephemeral"     # "ephemeral", "virtual", "nic" or "host" (a NIC's "eth0^")
    tx_rings: Optional[int] = None
    rx_rings: Optional[int] = None
    tx_slots: Optional[int] = None
    rx_slots: Optional[int] = None
    mem_id: Optional[int] = None
    stats: Stats = field(default_factory=Stats)
    host: bool = False          # a NIC whose host stack is on the switch too

    @property
    def full_name(self):
        return "%s:%s" % (self.switch, self.name) if self.switch else self.name

    @property
    def persistent(self):
        return self.kind != "ephemeral"

    def as_dict(self):
        d = {f.name: getattr(self, f.name) for f in fields(self)}
        d["stats"] = self.stats.as_dict()
        return d


GEOMETRY = ("tx_rings", "rx_rings", "tx_slots", "rx_slots")


@dataclass
class Interface:
    """A persistent interface (a netdev with a switch port behind it)."""
    name: str
    switch: Optional[str] = None    # the switch it is attached to
    tx_rings: Optional[int] = None  # None: not known (or: the default)
    rx_rings: Optional[int] = None
    tx_slots: Optional[int] = None
    rx_slots: Optional[int] = None

    def geometry(self):
        return {k: getattr(self, k) for k in GEOMETRY if getattr(self, k) is not None}

    @classmethod
    def from_port(cls, port):
        return cls(port.name, port.switch, port.tx_rings, port.rx_rings,
                   port.tx_slots, port.rx_slots)


@dataclass(frozen=True)
class FdbEntry:
    """One address the learning bridge knows."""
    mac: str            # "02:00:00:00:00:01"
    port: int           # the port index it was last seen on
    age: int            # seconds since
    confirmed: bool     # seen more than once


EVENT_NAMES = {i: name[len("VALE_CMD_"):].lower()
               for i, name in enumerate(uapi.CMDS)}


@dataclass
class Event:
    """A change announced on the "events" group: cmd is the command that
    made it ("switch_new", "switch_del", "port_attach", "port_detach",
    "lookup_set", "lookup_config", "if_new", "if_del"), switch and port
    what a GET reply would say about its object (a switch's config: its
    module's settings by name), ifname the interface of if_new and if_del."""
    cmd: str
    switch: Optional[Switch] = None
    port: Optional[Port] = None
    attrs: dict = field(default_factory=dict)

    @property
    def switch_name(self):
        if self.port is not None and self.port.switch:
            return self.port.switch
        return self.switch.name if self.switch else self.attrs.get("VALE_ATTR_SWITCH_NAME")

    @property
    def port_name(self):
        return self.port.name if self.port else self.attrs.get("VALE_ATTR_PORT_NAME")

    @property
    def ifname(self):
        return self.attrs.get("VALE_ATTR_IF_NAME")
