"""The flow table's configuration (module "of", lookup-modules/ofswitch) in
ovs-ofctl's text syntax, as valectl flow takes it:

    "priority=100,in_port=1,tcp,nw_src=10.0.0.0/24,tp_dst=80,actions=output:2"

parse() reads a flow strictly (ValueError names the field and says what
is wrong), Flow.text() writes it back in one canonical form (which
parse() reads again), request() makes the LOOKUP_CONFIG payload and
from_dump() reads the flows and the table a LOOKUP_DUMP gives."""
import ipaddress
import re
from dataclasses import dataclass, field
from typing import Optional

from . import tlv, uapi
from .router import mac as parse_mac

OP = {name[len("VALE_OF_OP_"):].lower(): i for i, name in enumerate(uapi.OF_OPS)}
A = {name[len("VALE_OF_ATTR_"):].lower(): i for i, name in enumerate(uapi.OF_ATTRS)}
M = {name[len("VALE_OF_MATCH_"):].lower(): i for i, name in enumerate(uapi.OF_MATCH)}
ACT = {name[len("VALE_OF_ACTION_"):].lower(): i for i, name in enumerate(uapi.OF_ACTIONS)}
ST = {name[len("VALE_OF_STATS_"):].lower(): i for i, name in enumerate(uapi.OF_STATS)}
VLAN_NONE = 0xFFFF

# match fields in the order text() writes them: (name, kind, attribute, max)
FIELDS = (
    ("in_port", "num", "in_port", uapi.MAX_PORTS - 1),
    ("dl_src", "mac", "eth_src", None),
    ("dl_dst", "mac", "eth_dst", None),
    ("dl_vlan", "num", "vlan_vid", VLAN_NONE),
    ("dl_type", "num", "eth_type", 0xFFFF),
    ("nw_proto", "num", "ip_proto", 0xFF),
    ("nw_src", "ip4", "ip_src", None),
    ("nw_dst", "ip4", "ip_dst", None),
    ("ipv6_src", "ip6", "ip_src", None),
    ("ipv6_dst", "ip6", "ip_dst", None),
    ("tp_src", "num", "tp_src", 0xFFFF),
    ("tp_dst", "num", "tp_dst", 0xFFFF),
    ("icmp_type", "num", "tp_src", 0xFF),
    ("icmp_code", "num", "tp_dst", 0xFF),
)
KIND = {f[0]: f for f in FIELDS}
TOP = {"priority": 0xFFFF, "idle_timeout": 0xFFFFFFFF, "hard_timeout": 0xFFFFFFFF,
       "cookie": 0xFFFFFFFFFFFFFFFF}
COUNTERS = ("duration", "n_packets", "n_bytes", "idle_age")
SHORTHANDS = {"ip": (0x0800, None), "ipv6": (0x86DD, None), "arp": (0x0806, None),
              "tcp": (0x0800, 6), "udp": (0x0800, 17), "sctp": (0x0800, 132),
              "icmp": (0x0800, 1), "tcp6": (0x86DD, 6), "udp6": (0x86DD, 17),
              "sctp6": (0x86DD, 132), "icmp6": (0x86DD, 58)}
# actions: name -> (attribute, argument kind, max)
ACTIONS = {"output": ("output", "num", uapi.MAX_PORTS - 1), "flood": ("flood", None, None),
           "drop": ("drop", None, None), "controller": ("controller", None, None),
           "push_vlan": ("push_vlan", "num", 4095), "pop_vlan": ("pop_vlan", None, None),
           "strip_vlan": ("pop_vlan", None, None),
           "mod_vlan_vid": ("set_vlan_vid", "num", 4095),
           "mod_dl_src": ("set_eth_src", "mac", None), "mod_dl_dst": ("set_eth_dst", "mac", None)}
ACTION_NAME = {"output": "output", "flood": "flood", "drop": "drop", "controller": "controller",
               "push_vlan": "push_vlan", "pop_vlan": "pop_vlan", "set_vlan_vid": "mod_vlan_vid",
               "set_eth_src": "mod_dl_src", "set_eth_dst": "mod_dl_dst"}
FINAL = ("output", "flood", "drop", "controller")


@dataclass
class Flow:
    """A flow: match {field name: value} (numbers, "02:..." MACs,
    "10.0.0.0/24" prefixes), actions [(action name, argument or None)]."""
    match: dict = field(default_factory=dict)
    priority: int = 0x8000
    idle_timeout: int = 0
    hard_timeout: int = 0
    cookie: int = 0
    actions: list = field(default_factory=list)
    n_packets: int = 0
    n_bytes: int = 0
    duration: int = 0
    idle_age: int = 0

    def key(self):
        """What names a flow in the table: its match and priority."""
        return (self.priority, tuple(sorted(self.match.items())))

    def actions_text(self):
        return ",".join(n if a is None else "%s:%s" % (n, a) for n, a in self.actions) or "drop"

    def text(self):
        out = []
        if self.cookie:
            out.append("cookie=%#x" % self.cookie)
        for k in ("idle_timeout", "hard_timeout"):
            if getattr(self, k):
                out.append("%s=%d" % (k, getattr(self, k)))
        out.append("priority=%d" % self.priority)
        for name, kind, _, _ in FIELDS:
            if name in self.match:
                v = self.match[name]
                if name == "dl_type" or (name == "dl_vlan" and v == VLAN_NONE):
                    v = "0x%04x" % v
                out.append("%s=%s" % (name, v))
        return ",".join(out) + " actions=" + self.actions_text()

    def __str__(self):
        return self.text()


@dataclass
class FlowTable:
    flows: int = 0
    emc: bool = True
    controller: Optional[int] = None
    miss_actions: list = field(default_factory=list)
    miss_packets: int = 0
    miss_bytes: int = 0


def _num(name, text, hi):
    if not re.fullmatch(r"0[xX][0-9a-fA-F]+|[0-9]+", text):
        raise ValueError("%r: not a number" % ("%s=%s" % (name, text) if name else text))
    v = int(text, 0) if text[:2].lower() == "0x" else int(text, 10)
    if v > hi:
        raise ValueError("%s=%s: %s is 0 to %d" % (name, text, name, hi))
    return v


def _prefix(name, text, version):
    try:
        net = ipaddress.ip_network(text, strict=True)
    except ValueError as e:
        raise ValueError("%s=%s: %s" % (name, text, e)) from None
    if net.version != version:
        raise ValueError("%s=%s: %s takes an IPv%d address" % (name, text, name, version))
    full = net.prefixlen == net.max_prefixlen
    return str(net.network_address) if full else str(net)


def parse_actions(text):
    """[(name, argument)] of "output:2,flood" ("" or "drop": drop)."""
    acts = []
    if not text.strip():
        return acts
    for item in text.split(","):
        item = item.strip()
        if not item:
            raise ValueError("%r: an empty action" % text)
        if acts and acts[-1][0] in FINAL:
            raise ValueError("%s: %s ends the actions: nothing may follow it" % (item, acts[-1][0]))
        name, colon, arg = item.partition(":")
        if name.isdigit():
            name, colon, arg = "output", ":", item
        if name not in ACTIONS:
            raise ValueError("%s: unknown action" % item)
        attr, kind, hi = ACTIONS[name]
        if (kind is None) != (not colon):
            raise ValueError("%s: %s" % (item, "takes no argument" if kind is None
                                         else "needs an argument (ACTION:VALUE)"))
        value = None if kind is None else \
            _num(name, arg, hi) if kind == "num" else parse_mac(arg)
        if name == "controller" and acts:
            raise ValueError("controller is the only action of a flow")
        acts.append((ACTION_NAME[attr], value))
    if len(acts) > 16:
        raise ValueError("more than 16 actions")
    return acts


def parse(text, verb="add"):
    """A Flow from its text; verb "add", "mod" or "del" says what it may
    hold (the timeouts are add's, del takes no actions nor cookie)."""
    flow, seen = Flow(), set()
    match_part, sep, acts = text.partition("actions=")
    has_actions = bool(sep)
    if has_actions and match_part and match_part[-1] not in ", \t":
        raise ValueError("%r: unknown field" % text)

    def once(name, by):
        if name in seen:
            raise ValueError("%s: %s given twice" % (by, name))
        seen.add(name)

    for tok in re.split(r"[,\s]+", match_part.strip(", \t")) if match_part.strip(", \t") else []:
        name, eq, value = tok.partition("=")
        if name in SHORTHANDS and not eq:
            dl_type, proto = SHORTHANDS[name]
            once("dl_type", tok)
            flow.match["dl_type"] = dl_type
            if proto is not None:
                once("nw_proto", tok)
                flow.match["nw_proto"] = proto
            continue
        if name not in KIND and name not in TOP and name not in COUNTERS:
            raise ValueError("%s: unknown field" % tok)
        if not eq:
            raise ValueError("%s: needs a value (%s=VALUE)" % (tok, name))
        once(name, tok)
        if name in COUNTERS:
            _num(name, value[:-1] if value.endswith("s") else value, 2 ** 64 - 1)
        elif name in TOP:
            setattr(flow, name, _num(name, value, TOP[name]))
        else:
            _, kind, _, hi = KIND[name]
            if kind == "num":
                v = _num(name, value, hi)
                if name == "dl_vlan" and 4095 < v != VLAN_NONE:
                    raise ValueError("%s: a VLAN id is 0 to 4095, or 0xffff for untagged" % tok)
                flow.match[name] = v
            elif kind == "mac":
                flow.match[name] = parse_mac(value)
            else:
                flow.match[name] = _prefix(name, value, 4 if kind == "ip4" else 6)
    m = flow.match
    dl_type, proto = m.get("dl_type"), m.get("nw_proto")
    for name in m:
        want = None
        if name == "nw_proto" and dl_type not in (0x0800, 0x86DD):
            want = "dl_type=0x0800 or 0x86dd"
        elif KIND[name][1] == "ip4" and dl_type != 0x0800:
            want = "dl_type=0x0800 (or ip, tcp, udp, icmp)"
        elif KIND[name][1] == "ip6" and dl_type != 0x86DD:
            want = "dl_type=0x86dd (or ipv6, tcp6, udp6, icmp6)"
        elif name in ("tp_src", "tp_dst") and proto not in (6, 17, 132):
            want = "nw_proto=6, 17 or 132 (tcp, udp, sctp)"
        elif name in ("icmp_type", "icmp_code") and proto not in (1, 58):
            want = "nw_proto=1 or 58 (icmp, icmp6)"
        if want:
            raise ValueError("%s=%s: %s needs %s" % (name, m[name], name, want))
    if ("tp_src" in m and "icmp_type" in m) or ("tp_dst" in m and "icmp_code" in m):
        raise ValueError("icmp_type and icmp_code are tp_src and tp_dst")
    if verb != "add" and ({"idle_timeout", "hard_timeout"} & seen):
        raise ValueError("only flow add sets the timeouts")
    if verb == "del" and "cookie" in seen:
        raise ValueError("flow del takes no cookie")
    if verb == "del" and has_actions:
        raise ValueError("flow del takes no actions")
    if verb != "del" and not has_actions:
        raise ValueError("%r: no actions (end the flow with actions=ACTION,... or "
                         "actions=drop)" % text)
    flow.actions = parse_actions(acts)
    return flow


# -- requests ----------------------------------------------------------------

def _match_attrs(match):
    out = []
    for name, kind, attr, _ in FIELDS:
        if name not in match:
            continue
        v = match[name]
        if kind == "num":
            size = {"in_port": tlv.u32, "ip_proto": tlv.u8}.get(attr, tlv.u16)
            out.append(size(M[attr], v))
        elif kind == "mac":
            out.append(tlv.attr(M[attr], bytes(int(b, 16) for b in v.split(":"))))
        else:
            net = ipaddress.ip_network(v)
            out.append(tlv.attr(M[attr], net.network_address.packed))
            out.append(tlv.u8(M[attr + "_len"], net.prefixlen))
    return out


def _action_attrs(actions):
    out = []
    for name, arg in actions:
        attr = ACTIONS[name][0]
        if arg is None:
            out.append(tlv.attr(ACT[attr]))
        elif isinstance(arg, str):
            out.append(tlv.attr(ACT[attr], bytes(int(b, 16) for b in arg.split(":"))))
        else:
            out.append((tlv.u32 if attr == "output" else tlv.u16)(ACT[attr], arg))
    return tlv.nest(A["actions"], *out)


def request(op, flow=None, strict=False, actions=None, controller=None, emc=None):
    """The LOOKUP_CONFIG payload of one operation (a name of OP)."""
    out = [tlv.u32(A["op"], OP[op])]
    if flow is not None and (op != "flow_del" or flow.match or strict):
        out.append(tlv.nest(A["match"], *_match_attrs(flow.match)))
    if flow is not None and (op != "flow_del" or strict or flow.priority != 0x8000):
        out.append(tlv.u32(A["priority"], flow.priority))
    if flow is not None and op == "flow_add":
        out.append(tlv.u32(A["idle_timeout"], flow.idle_timeout))
        out.append(tlv.u32(A["hard_timeout"], flow.hard_timeout))
    if flow is not None and op != "flow_del" and flow.cookie:
        out.append(tlv.u64(A["cookie"], flow.cookie))
    if flow is not None and op != "flow_del":
        out.append(_action_attrs(flow.actions))
    if actions is not None:
        out.append(_action_attrs(actions))
    if strict:
        out.append(tlv.attr(A["strict"]))
    if controller is not None:
        out.append(tlv.u32(A["controller"], controller))
    if emc is not None:
        out.append(tlv.u8(A["emc"], 1 if emc else 0))
    return b"".join(out)


# -- dumps ---------------------------------------------------------------------

def _decode_actions(data):
    out = []
    for t, v in tlv.decode(data):
        name = uapi.OF_ACTIONS[t][len("VALE_OF_ACTION_"):].lower() if t < len(uapi.OF_ACTIONS) \
            else None
        if name is None or name == "unspec":
            continue
        arg = None
        if len(v) == 6:
            arg = ":".join("%02x" % b for b in v)
        elif v:
            arg = tlv.number(v)
        out.append((ACTION_NAME[name], arg))
    return out


def _decode_match(data):
    a = dict(tlv.decode(data))
    m = {}
    eth_type = tlv.number(a.get(M["eth_type"], b""))
    proto = tlv.number(a.get(M["ip_proto"], b""))
    for name, kind, attr, _ in FIELDS:
        v = a.get(M[attr])
        if v is None:
            continue
        icmp = proto in (1, 58)
        if (name.startswith("tp_") and icmp) or (name.startswith("icmp_") and not icmp):
            continue
        if kind == "num":
            m[name] = tlv.number(v)
        elif kind == "mac":
            m[name] = ":".join("%02x" % b for b in v)
        else:
            if (len(v) == 4) != (kind == "ip4"):
                continue
            plen = tlv.number(a.get(M[attr + "_len"], b"")) if M[attr + "_len"] in a \
                else 8 * len(v)
            addr = ipaddress.ip_address(v)
            m[name] = str(addr) if plen == 8 * len(v) else "%s/%d" % (addr, plen)
    if eth_type is None:
        m.pop("dl_type", None)
    return m


def from_dump(configs):
    """(FlowTable, [Flow]) from the LOOKUP_CONFIG payloads of a dump."""
    table, flows = FlowTable(), []
    for data in configs:
        a = dict(tlv.decode(data))
        op = tlv.number(a.get(A["op"], b""))
        st = {t: tlv.number(v) for t, v in tlv.decode(a.get(A["stats"], b""))}
        if op == OP["table"]:
            ctl = tlv.number(a.get(A["controller"], b""))
            table = FlowTable(flows=st.get(ST["flows"], 0), emc=bool(tlv.number(a.get(A["emc"], b"\1"))),
                              controller=None if ctl in (None, uapi.NO_PORT) else ctl,
                              miss_actions=_decode_actions(a.get(A["actions"], b"")),
                              miss_packets=st.get(ST["packets"], 0), miss_bytes=st.get(ST["bytes"], 0))
        elif op == OP["flow"]:
            flows.append(Flow(
                match=_decode_match(a.get(A["match"], b"")),
                priority=tlv.number(a.get(A["priority"], b"")) or 0,
                idle_timeout=tlv.number(a.get(A["idle_timeout"], b"")) or 0,
                hard_timeout=tlv.number(a.get(A["hard_timeout"], b"")) or 0,
                cookie=tlv.number(a.get(A["cookie"], b"")) or 0,
                actions=_decode_actions(a.get(A["actions"], b"")),
                n_packets=st.get(ST["packets"], 0), n_bytes=st.get(ST["bytes"], 0),
                duration=st.get(ST["duration"], 0), idle_age=st.get(ST["idle_age"], 0)))
    return table, flows
