"""The control API: a connection to the kernel's "vale" family.

    import vale
    with vale.Vale() as v:
        v.add_switch("vale0", lookup="learn")
        v.add_if("vi0")
        v.attach("vale0", "vi0")
        for p in v.ports("vale0"):
            print(p.full_name, p.stats.rx_packets)

Every method is one request (two or three for the few that say so); a
refusal raises ValeError with the kernel's message.  Mutating requests
need CAP_NET_ADMIN.

Lookup modules are driven through what they declare (their schema,
vale.schema): set_config(), config() and dump() work for any module,
one pyctl has no code for included, and every request meant for a
module names it (VALE_ATTR_LOOKUP_NAME): a switch that runs another
module refuses it (EOPNOTSUPP) rather than read it in its own numbers.
"""
import collections
import errno
import ipaddress
import time

from . import flows as flowtext, host, netlink, router, schema as schemas, tlv, uapi
from .errors import ConfigError, ValeError
from .objects import EVENT_NAMES, Event, FdbEntry, Interface, Port, Stats, Switch

DUMP_RETRIES = 10


def _op(*words):
    return " ".join(str(w) for w in words if w is not None)


def switch_from(a, schema_of=None, port_name=None):
    """A Switch from a SWITCH_GET reply's (or a switch event's) attributes.
    schema_of(module) -> Schema (or None): decodes the module's settings
    (LOOKUP_CONFIG) by name; port_name: shows PORT settings by name."""
    module = a.get("VALE_ATTR_LOOKUP_NAME")
    raw = a.get("VALE_ATTR_LOOKUP_CONFIG")
    return Switch(name=a.get("VALE_ATTR_SWITCH_NAME"),
                  index=a.get("VALE_ATTR_SWITCH_INDEX"),
                  lookup=module,
                  nports=a.get("VALE_ATTR_SWITCH_PORTS", 0),
                  persistent=bool(a.get("VALE_ATTR_SWITCH_PERSISTENT")),
                  config=decode_config(raw, module, schema_of, port_name),
                  raw_config=raw)


def decode_config(raw, module, schema_of, port_name=None):
    """The settings {name: value} of a LOOKUP_CONFIG nest, or None if there
    is none (the module reports no settings) or no schema to read it by."""
    if raw is None or schema_of is None or module is None:
        return None
    sch = schema_of(module)
    return sch.decode(raw, port_name) if sch is not None else None


def port_from(a):
    kind = a.get("VALE_ATTR_PORT_KIND", uapi.PORT_EPHEMERAL)
    st = a.get("VALE_ATTR_PORT_STATS") or {}
    return Port(switch=a.get("VALE_ATTR_SWITCH_NAME"),
                name=a.get("VALE_ATTR_PORT_NAME"),
                index=a.get("VALE_ATTR_PORT_INDEX"),
                kind=uapi.PORT_KINDS[kind] if kind < len(uapi.PORT_KINDS) else "kind%d" % kind,
                tx_rings=a.get("VALE_ATTR_PORT_TX_RINGS"),
                rx_rings=a.get("VALE_ATTR_PORT_RX_RINGS"),
                tx_slots=a.get("VALE_ATTR_PORT_TX_SLOTS"),
                rx_slots=a.get("VALE_ATTR_PORT_RX_SLOTS"),
                mem_id=a.get("VALE_ATTR_PORT_MEM_ID"),
                host=bool(a.get("VALE_ATTR_PORT_HOST")),
                stats=Stats(**{name[len("VALE_STATS_"):].lower(): v
                               for name, v in st.items()
                               if name not in ("VALE_STATS_UNSPEC", "VALE_STATS_PAD")}))


LEARN = {name[len("VALE_LEARN_"):].lower(): i for i, name in enumerate(uapi.LEARN)}


def fdb_from(raw):
    """An FdbEntry from a row of learn's table "fdb" (LOOKUP_CONFIG's bytes)."""
    a = dict(tlv.decode(raw or b""))
    return FdbEntry(mac=":".join("%02x" % b for b in a.get(LEARN["mac"], b"")),
                    port=tlv.number(a.get(LEARN["port"], b"")),
                    age=tlv.number(a.get(LEARN["age"], b"")),
                    confirmed=LEARN["confirmed"] in a)


def event_from(msg, schema_of=None):
    """An Event from a message of the events group.  schema_of(module):
    to decode a switch's settings by name (see switch_from)."""
    a = netlink.attrs_of(msg)
    cmd = EVENT_NAMES.get(msg["cmd"], "cmd%d" % msg["cmd"])
    ev = Event(cmd=cmd, attrs=a)
    if "VALE_ATTR_PORT_NAME" in a:
        ev.port = port_from(a)
    elif "VALE_ATTR_SWITCH_NAME" in a:
        ev.switch = switch_from(a, schema_of)
    return ev


class Vale:
    """A connection to the kernel's switch control (generic netlink).
    sock: what speaks to the kernel (a netlink.Socket; tests give a model)."""

    def __init__(self, sock=None):
        self._sock = sock if sock is not None else netlink.Socket()
        self._schemas = {}      # module name -> Schema, as this connection saw it

    def close(self):
        self._sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- plumbing ------------------------------------------------------------
    def _do(self, op, cmd, attrs, ack=True, **kw):
        try:
            return self._sock.do(cmd, attrs, ack, **kw)
        except ValeError as e:
            e.op = op
            raise

    def _dump(self, op, cmd, attrs=(), raw=False, **kw):
        """A whole dump as a list of attribute dicts (raw: the messages),
        taken again if the table changed while it was read."""
        for _ in range(DUMP_RETRIES):
            try:
                msgs = list(self._sock.dump(cmd, attrs, **kw))
                return msgs if raw else [netlink.attrs_of(m) for m in msgs]
            except netlink.DumpInterrupted:
                continue
            except ValeError as e:
                e.op = op
                raise
        raise ValeError(errno.EAGAIN, "the table kept changing during the dump", op=op)

    # -- switches ------------------------------------------------------------
    def switches(self):
        """Every switch: [Switch]."""
        return [switch_from(a, self._schema_of, self._port_namer(a.get("VALE_ATTR_SWITCH_NAME")))
                for a in self._dump("switch show", uapi.CMD_SWITCH_GET)]

    def switch(self, name):
        """One switch; ValeError ENOENT if there is none.  Its config: the
        module's settings by name (one more request for a module's schema
        the first time)."""
        reply = self._do(_op("switch show", name), uapi.CMD_SWITCH_GET,
                         [("VALE_ATTR_SWITCH_NAME", name)], ack=False)
        return switch_from(netlink.attrs_of(reply), self._schema_of, self._port_namer(name))

    def add_switch(self, name, lookup=None):
        """Make a persistent switch, with lookup module 'lookup' (the
        kernel's default if None)."""
        attrs = [("VALE_ATTR_SWITCH_NAME", name)]
        if lookup is not None:
            attrs.append(("VALE_ATTR_LOOKUP_NAME", lookup))
        self._do(_op("switch add", name, "lookup" if lookup else None, lookup),
                 uapi.CMD_SWITCH_NEW, attrs)

    def del_switch(self, name):
        """Remove a switch (EBUSY while it has ports)."""
        self._do(_op("switch del", name), uapi.CMD_SWITCH_DEL,
                 [("VALE_ATTR_SWITCH_NAME", name)])

    # -- ports ---------------------------------------------------------------
    def ports(self, switch=None):
        """The ports of one switch, or of all: [Port], with counters."""
        attrs = [("VALE_ATTR_SWITCH_NAME", switch)] if switch is not None else []
        return [port_from(a) for a in
                self._dump(_op("port show", switch), uapi.CMD_PORT_GET, attrs)]

    def port(self, switch, name):
        """One port of a switch, with counters."""
        reply = self._do(_op("port show", "%s:%s" % (switch, name)), uapi.CMD_PORT_GET,
                         [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_PORT_NAME", name)],
                         ack=False)
        return port_from(netlink.attrs_of(reply))

    def attach(self, switch, ifname, host=False):
        """Attach a persistent interface (or a NIC) to a switch, which is
        made if needed.  host: a NIC's host stack too, as port "ifname^"
        (EOPNOTSUPP for a persistent interface)."""
        attrs = [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_PORT_NAME", ifname)]
        if host:
            attrs.append(("VALE_ATTR_PORT_HOST", True))
        self._do(_op("port attach", switch, ifname, "host" if host else None),
                 uapi.CMD_PORT_ATTACH, attrs)

    def detach(self, switch, ifname):
        """Take a persistent port off a switch (EINVAL for an ephemeral one)."""
        self._do(_op("port detach", switch, ifname), uapi.CMD_PORT_DETACH,
                 [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_PORT_NAME", ifname)])

    # -- persistent interfaces -------------------------------------------------
    def add_if(self, name, tx_rings=None, rx_rings=None, tx_slots=None, rx_slots=None):
        """Make a persistent interface: a netdev and a switch port behind
        it, on no switch yet.  Geometry left out: the kernel's default."""
        attrs = [("VALE_ATTR_IF_NAME", name)]
        words = ["if add", name]
        for key, value in (("tx_rings", tx_rings), ("rx_rings", rx_rings),
                           ("tx_slots", tx_slots), ("rx_slots", rx_slots)):
            if value is not None:
                attrs.append(("VALE_ATTR_PORT_" + key.upper(), value))
                words += [key, value]
        self._do(_op(*words), uapi.CMD_IF_NEW, attrs)

    def del_if(self, name):
        """Remove a persistent interface (EBUSY while attached or open)."""
        self._do(_op("if del", name), uapi.CMD_IF_DEL, [("VALE_ATTR_IF_NAME", name)])

    def interfaces(self):
        """The persistent interfaces the kernel reports: those on a switch
        (virtual ports), and those on none if its port dump lists them."""
        return [Interface.from_port(p) for p in self.ports() if p.kind == "virtual"]

    # -- lookup modules --------------------------------------------------------
    def set_lookup(self, switch, name):
        """Give the switch lookup module 'name' (loaded on demand)."""
        self._do(_op("lookup set", switch, name), uapi.CMD_LOOKUP_SET,
                 [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", name)])

    def schema(self, module=None, switch=None):
        """What a lookup module declares (vale.schema.Schema): module by
        name (it must be registered: loaded, or built in), or the one
        switch runs now.  Kept for the connection's life (a module's
        schema is fixed while it is loaded)."""
        if module is None and switch is None:
            raise TypeError("schema(): a module or a switch")
        if module is not None and module in self._schemas:
            return self._schemas[module]
        attrs = [("VALE_ATTR_LOOKUP_NAME", module)] if module is not None else \
            [("VALE_ATTR_SWITCH_NAME", switch)]
        reply = self._do(_op("lookup schema", module if module is not None else switch),
                         uapi.CMD_LOOKUP_SCHEMA, attrs, ack=False)
        sch = schemas.from_reply(reply)
        self._schemas[sch.module] = sch
        return sch

    def schemas(self):
        """Every registered module's schema: [Schema]."""
        out = [schemas.from_reply(m) for m in
               self._dump("lookup schema", uapi.CMD_LOOKUP_SCHEMA, raw=True)]
        self._schemas.update((s.module, s) for s in out)
        return out

    def _schema_of(self, module):
        """The module's schema, None if the kernel has none to give (the
        module went meanwhile)."""
        try:
            return self.schema(module)
        except ValeError:
            return None

    def _port_namer(self, switch):
        """A function: port number -> its name on switch (None if none),
        asking the kernel once, on first use."""
        names = []

        def name(n):
            if not names:
                try:
                    names.append({p.index: p.name for p in self.ports(switch)})
                except ValeError:
                    names.append({})
            return names[0].get(n)
        return name

    def set_config(self, switch, **settings):
        """Configure the switch's lookup module by the names it declares:
        set_config("vale0", ageing=60) on a learning bridge.  Checked
        against the module's schema first (ConfigError, a ValeError naming
        the module and the key, and nothing sent); then sent for the module
        the switch runs (asked first: one request more), which the kernel
        refuses if the switch has changed module meanwhile.  Ports go by
        name or number."""
        self.configure(switch, settings)

    def configure(self, switch, settings, module=None):
        """set_config() with settings as a dict, meant for 'module' (None:
        the one the switch runs now)."""
        words = ["lookup config", switch]
        for k, v in settings.items():
            words += [k, schemas.value_text(v)]
        op = _op(*words)
        if module is None:
            module = self.switch(switch).lookup
        try:
            sch = self.schema(module)
        except ValeError as e:
            e.op = op
            raise
        if not settings:
            raise ConfigError(errno.EINVAL, "nothing to set", op=op, module=module)
        try:
            nest = sch.encode(settings, port_index=lambda p: self.port_index(switch, p))
        except ValeError as e:
            e.op = e.op or op
            raise
        self._do(op, uapi.CMD_LOOKUP_CONFIG,
                 [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", module),
                  ("VALE_ATTR_LOOKUP_CONFIG", nest)],
                 nests={uapi.ATTR_LOOKUP_CONFIG: sch.names()})

    def config_lookup(self, switch, module=None, **config):
        """set_config() by its former name (module: the module meant)."""
        self.configure(switch, config, module)

    def config(self, switch):
        """The settings of the switch's lookup module, {name: value} ({}
        for a module that has none)."""
        return dict(self.switch(switch).config or {})

    def dump(self, switch, table=None, numeric=False):
        """The tables of the switch's lookup module, or only 'table': a row
        per object, each a dict with "table" (its table's name) and the
        row's attributes by name (ports by name, unless numeric).  Asks the
        module's schema by the switch first, and the dump names that
        module: if the switch changes module in between, EOPNOTSUPP."""
        sch = self.schema(switch=switch)
        attrs = [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", sch.module)]
        if table is not None:
            attrs.append(("VALE_ATTR_LOOKUP_TABLE", table))
        names = None if numeric else self._port_namer(switch)
        return [{"table": a.get("VALE_ATTR_LOOKUP_TABLE"),
                 **{k: v for k, v in sch.decode(a.get("VALE_ATTR_LOOKUP_CONFIG"), names).items()
                    if k != "table"}}
                for a in self._dump(_op("lookup dump", switch, table), uapi.CMD_LOOKUP_DUMP,
                                    attrs)]

    # -- the learning bridge's friendly forms ------------------------------------
    def fdb(self, switch):
        """Iterate over the learning bridge's table ("fdb"), as the dump
        comes in: FdbEntry per address, ports by number (EOPNOTSUPP if the
        switch runs another module).  Not retried if the table changes
        meanwhile."""
        op = _op("fdb show", switch)
        try:
            for m in self._sock.dump(uapi.CMD_LOOKUP_DUMP, [
                    ("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", "learn"),
                    ("VALE_ATTR_LOOKUP_TABLE", "fdb")]):
                yield fdb_from(netlink.attrs_of(m).get("VALE_ATTR_LOOKUP_CONFIG"))
        except netlink.DumpInterrupted:
            pass    # entries come and go: a dump of a moving table is a sample
        except ValeError as e:
            e.op = op
            raise

    def flush_fdb(self, switch):
        """Forget every learned address (learn's action "flush")."""
        self._do(_op("fdb flush", switch), uapi.CMD_LOOKUP_CONFIG,
                 [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", "learn"),
                  ("VALE_ATTR_LOOKUP_CONFIG", tlv.attr(LEARN["flush"]))],
                 nests={uapi.ATTR_LOOKUP_CONFIG: list(uapi.LEARN)})

    # -- the lookup modules' own objects: l3 (router) and of (flows) ---------------
    def _module_do(self, op, switch, module, payload):
        """A request in the module's own numbering, which names the module:
        a switch that runs another one refuses it (EOPNOTSUPP, and the
        kernel's message names the one it runs)."""
        names = list(uapi.L3_ATTRS if module == "l3" else uapi.OF_ATTRS)
        self._do(op, uapi.CMD_LOOKUP_CONFIG,
                 [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", module),
                  ("VALE_ATTR_LOOKUP_CONFIG", payload)],
                 nests={uapi.ATTR_LOOKUP_CONFIG: names})

    def _module_dump(self, op, switch, module):
        return [a["VALE_ATTR_LOOKUP_CONFIG"] for a in
                self._dump(op, uapi.CMD_LOOKUP_DUMP, [("VALE_ATTR_SWITCH_NAME", switch),
                                                      ("VALE_ATTR_LOOKUP_NAME", module)])
                if "VALE_ATTR_LOOKUP_CONFIG" in a]

    def port_index(self, switch, port):
        """A port's number on the switch: port itself if it is one, else
        the index of the port of that name (one request)."""
        if isinstance(port, int) and not isinstance(port, bool):
            return router.port_number(port)
        return self.port(switch, port).index

    def set_router_port(self, switch, port, mac):
        """Make a port (number or name) a router port with that MAC."""
        op = _op("router port set", switch, port, "mac", mac)
        self._module_do(op, switch, "l3", router.request(
            "port_set", port=self.port_index(switch, port), mac=router.unicast_mac(mac)))

    def del_router_port(self, switch, port):
        op = _op("router port del", switch, port)
        self._module_do(op, switch, "l3", router.request(
            "port_del", port=self.port_index(switch, port)))

    def add_router_addr(self, switch, port, addr):
        """A router address on the port (ARP and ND for it are answered)."""
        op = _op("addr add", switch, addr, "port", port)
        self._module_do(op, switch, "l3", router.request(
            "addr_add", port=self.port_index(switch, port), addr=router.address(addr)))

    def del_router_addr(self, switch, port, addr):
        op = _op("addr del", switch, addr, "port", port)
        self._module_do(op, switch, "l3", router.request(
            "addr_del", port=self.port_index(switch, port), addr=router.address(addr)))

    def add_route(self, switch, prefix, port, via=None):
        """Route PREFIX ("10.0.1.0/24", "default") out of port, to the
        neighbour via (None: a connected network)."""
        op = _op("route add", switch, prefix, "port", port, "via" if via else None, via)
        pfx = router.prefix(prefix)
        if via is not None and ipaddress.ip_address(router.address(via)).version != \
                ipaddress.ip_network(pfx).version:
            raise ValueError("via %r: not of the prefix's family" % via)
        self._module_do(op, switch, "l3", router.request(
            "route_add", port=self.port_index(switch, port), prefix=pfx,
            via=router.address(via) if via is not None else None))

    def del_route(self, switch, prefix):
        op = _op("route del", switch, prefix)
        self._module_do(op, switch, "l3", router.request("route_del", prefix=router.prefix(prefix)))

    def add_neigh(self, switch, addr, lladdr, port):
        """A static neighbour on the port (its MAC replaced if it is one)."""
        op = _op("neigh add", switch, addr, "lladdr", lladdr, "port", port)
        self._module_do(op, switch, "l3", router.request(
            "neigh_add", port=self.port_index(switch, port), addr=router.address(addr),
            mac=router.unicast_mac(lladdr)))

    def del_neigh(self, switch, addr, port):
        op = _op("neigh del", switch, addr, "port", port)
        self._module_do(op, switch, "l3", router.request(
            "neigh_del", port=self.port_index(switch, port), addr=router.address(addr)))

    def flush_router(self, switch):
        self._module_do(_op("router flush", switch), switch, "l3", router.request("flush"))

    def router(self, switch):
        """The router's state: router.RouterState (ports by number)."""
        return router.from_dump(self._module_dump(_op("router show", switch), switch, "l3"))

    def add_flow(self, switch, flow):
        """Add (or replace) a flow, given as ovs-ofctl text
        ("priority=100,in_port=1,actions=output:2") or a flows.Flow."""
        f = flowtext.parse(flow) if isinstance(flow, str) else flow
        self._module_do(_op("flow add", switch, f.text()), switch, "of",
                        flowtext.request("flow_add", f))

    def mod_flow(self, switch, flow, strict=False):
        f = flowtext.parse(flow, "mod") if isinstance(flow, str) else flow
        self._module_do(_op("flow mod", switch, f.text(), "strict" if strict else None),
                        switch, "of", flowtext.request("flow_mod", f, strict=strict))

    def del_flows(self, switch, flow=None, strict=False):
        """Delete the flows the match covers (None: every flow), or with
        strict the one with that match and priority."""
        f = flowtext.parse(flow, "del") if isinstance(flow, str) else flow
        self._module_do(_op("flow del", switch, f.text().split(" actions=")[0] if f else None,
                            "strict" if strict else None),
                        switch, "of", flowtext.request("flow_del", f, strict=strict))

    def flows(self, switch):
        """The flows of the table, with counters: [flows.Flow]."""
        return flowtext.from_dump(self._module_dump(_op("flow show", switch), switch, "of"))[1]

    def flow_table(self, switch):
        """The table: flows.FlowTable (miss rule, controller, emc)."""
        return flowtext.from_dump(self._module_dump(_op("flow table", switch), switch, "of"))[0]

    def set_flow_miss(self, switch, actions):
        """The table-miss rule's actions ("controller", "output:3", "drop")."""
        self._module_do(_op("flow miss", switch, actions), switch, "of",
                        flowtext.request("miss_set", actions=flowtext.parse_actions(actions)))

    def set_flow_controller(self, switch, port):
        """The controller port (number or name), None for none."""
        idx = uapi.NO_PORT if port is None else self.port_index(switch, port)
        self._module_do(_op("flow controller", switch, port if port is not None else "none"),
                        switch, "of", flowtext.request("controller_set", controller=idx))

    def set_flow_emc(self, switch, on):
        self._module_do(_op("flow emc", switch, "on" if on else "off"), switch, "of",
                        flowtext.request("emc_set", emc=bool(on)))

    # -- events ----------------------------------------------------------------
    def events(self, timeout=None):
        """An Events stream, subscribed before this returns: iterate over it
        for each change (until 'timeout' seconds pass without one, if
        given), or call get(timeout).  Switch events' settings are decoded
        by the schemas this connection reads."""
        return Events(timeout, schema_of=self._schema_of)

    # -- what the host says about names the kernel looks up ----------------------
    def netdev(self, name):
        """The network interface 'name' of this network namespace
        (host.NetDev: a NIC attaches by name), or None."""
        return host.netdev(name)

    def lookup_loadable(self, module):
        """Whether the kernel can load lookup module 'module' on demand
        (modprobe knows "vale-lookup-MODULE")."""
        return host.lookup_loadable(module)

    # -- the whole state -------------------------------------------------------
    def live(self, ifnames=()):
        """The state a plan starts from (vale.plan.Live): switches, ports
        and persistent interfaces.  ifnames: interface names to look for
        among the network devices when the kernel does not list them (a
        persistent interface on no switch is no switch port)."""
        from .plan import Live  # plan is pure; it does not import us
        switches = {s.name: s for s in self.switches()}
        ports = self.ports()
        interfaces = {p.name: Interface.from_port(p) for p in ports if p.kind == "virtual"}
        for name in ifnames:
            if name not in interfaces and netdev_exists(name):
                interfaces[name] = Interface(name)
        modules = {}
        for name, sw in switches.items():   # the module's objects, where it has them
            try:
                if sw.lookup == "l3":
                    modules[name] = self.router(name)
                elif sw.lookup == "of":
                    modules[name] = self.flows(name)
            except ValeError:
                pass    # gone meanwhile, or a module that dumps nothing
        return Live(switches, [p for p in ports if p.switch], interfaces, modules)


def netdev_exists(name):
    return host.netdev(name) is not None


class Events:
    """Changes announced on the family's "events" multicast group."""

    def __init__(self, timeout=None, schema_of=None):
        self._sock = netlink.Socket(groups=(uapi.MCGRP_EVENTS,))
        self._pending = collections.deque()
        self.timeout = timeout
        self._schema_of = schema_of
        self._ctl = None        # a connection of our own for schemas, made if needed

    def _schema(self, module):
        if self._schema_of is None:
            if self._ctl is None:
                self._ctl = Vale()
            self._schema_of = self._ctl._schema_of
        return self._schema_of(module)

    def get(self, timeout=None):
        """The next Event, or None if none comes within timeout seconds
        (None: wait as long as it takes)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._pending:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left < 0:
                return None
            for msg in self._sock.notifications(left):
                self._pending.append(event_from(msg, self._schema))
        return self._pending.popleft()

    def drain(self, timeout=0.2):
        """Every event until none comes for 'timeout' seconds."""
        out = []
        while True:
            ev = self.get(timeout)
            if ev is None:
                return out
            out.append(ev)

    def __iter__(self):
        while True:
            ev = self.get(self.timeout)
            if ev is None:
                return
            yield ev

    def fileno(self):
        return self._sock.fileno()

    def close(self):
        self._sock.close()
        if self._ctl is not None:
            self._ctl.close()
            self._ctl = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
