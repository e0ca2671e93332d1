"""A small client of the ofswitch ("of") lookup module's netlink
configuration, for the VM tests: LOOKUP_SET, LOOKUP_CONFIG with the
VALE_OF_ATTR_* attributes, LOOKUP_DUMP decoded into the table and its
flows, PORT_GET for port numbers. Numbers follow include/uapi/linux/vale.h.

Matches are dicts of VALE_OF_MATCH_* names in lower case without the
prefix (in_port, eth_src, eth_dst, eth_type, vlan_vid, ip_proto, ip_src,
ip_src_len, ip_dst, ip_dst_len, tp_src, tp_dst); addresses are bytes.
Actions are lists of (name, arg) with the VALE_OF_ACTION_* names in lower
case ("output", 2), ("push_vlan", 10), ("pop_vlan", None), ...
"""
from pyroute2.netlink import NLA_F_NESTED, nla

from vale_genl import CMD, Genl, attrs as _attrs, message_class, uapi

VALE_CMD_PORT_GET = CMD["PORT_GET"]
VALE_CMD_LOOKUP_SET = CMD["LOOKUP_SET"]
VALE_CMD_LOOKUP_CONFIG = CMD["LOOKUP_CONFIG"]
VALE_CMD_LOOKUP_DUMP = CMD["LOOKUP_DUMP"]

OP = {name[len("VALE_OF_OP_"):]: i for i, name in enumerate(uapi.OF_OPS)}
VLAN_NONE = 0xFFFF
NO_CONTROLLER = 255

_MATCH = (("in_port", "uint32"), ("eth_src", "cdata"), ("eth_dst", "cdata"),
          ("eth_type", "uint16"), ("vlan_vid", "uint16"), ("ip_proto", "uint8"),
          ("ip_src", "cdata"), ("ip_src_len", "uint8"), ("ip_dst", "cdata"),
          ("ip_dst_len", "uint8"), ("tp_src", "uint16"), ("tp_dst", "uint16"))
_ACTION = (("output", "uint32"), ("flood", "flag"), ("drop", "flag"), ("controller", "flag"),
           ("push_vlan", "uint16"), ("pop_vlan", "flag"), ("set_vlan_vid", "uint16"),
           ("set_eth_src", "cdata"), ("set_eth_dst", "cdata"))
_FLAGS = {name for name, kind in _ACTION if kind == "flag"}


class of_config(nla):
    """VALE_ATTR_LOOKUP_CONFIG of module of: enum vale_of_attr."""
    nla_flags = NLA_F_NESTED
    nla_map = (("VALE_OF_ATTR_UNSPEC", "none"),
               ("VALE_OF_ATTR_OP", "uint32"),
               ("VALE_OF_ATTR_MATCH", "ofmatch"),
               ("VALE_OF_ATTR_PRIORITY", "uint32"),
               ("VALE_OF_ATTR_IDLE_TIMEOUT", "uint32"),
               ("VALE_OF_ATTR_HARD_TIMEOUT", "uint32"),
               ("VALE_OF_ATTR_COOKIE", "uint64"),
               ("VALE_OF_ATTR_ACTIONS", "ofactions"),
               ("VALE_OF_ATTR_STRICT", "flag"),
               ("VALE_OF_ATTR_CONTROLLER", "uint32"),
               ("VALE_OF_ATTR_EMC", "uint8"),
               ("VALE_OF_ATTR_STATS", "ofstats"),
               ("VALE_OF_ATTR_PAD", "none"))

    class ofmatch(nla):
        nla_flags = NLA_F_NESTED
        nla_map = (("VALE_OF_MATCH_UNSPEC", "none"),) + tuple(
            ("VALE_OF_MATCH_" + n.upper(), t) for n, t in _MATCH)

    class ofactions(nla):
        nla_flags = NLA_F_NESTED
        nla_map = (("VALE_OF_ACTION_UNSPEC", "none"),) + tuple(
            ("VALE_OF_ACTION_" + n.upper(), t) for n, t in _ACTION)

    class ofstats(nla):
        nla_flags = NLA_F_NESTED
        nla_map = (("VALE_OF_STATS_UNSPEC", "none"),
                   ("VALE_OF_STATS_PACKETS", "uint64"),
                   ("VALE_OF_STATS_BYTES", "uint64"),
                   ("VALE_OF_STATS_DURATION", "uint64"),
                   ("VALE_OF_STATS_IDLE_AGE", "uint64"),
                   ("VALE_OF_STATS_FLOWS", "uint32"),
                   ("VALE_OF_STATS_PAD", "none"))


def _short(d, prefix):
    return {k[len(prefix):].lower(): v for k, v in d.items()}


class OfSwitch:
    """LOOKUP_* requests about one switch running (or about to run) 'of'."""

    def __init__(self, switch):
        self.switch = switch
        self.genl = Genl(message_class(of_config))

    def close(self):
        self.genl.close()

    def request(self, cmd, attrs, dump=False):
        return self.genl.request(cmd, [("VALE_ATTR_SWITCH_NAME", self.switch)] + attrs, dump)

    def set_lookup(self, name):
        self.request(VALE_CMD_LOOKUP_SET, [("VALE_ATTR_LOOKUP_NAME", name)])

    def port(self, name):
        """The number of port 'name' on the switch."""
        (reply,) = self.request(VALE_CMD_PORT_GET, [("VALE_ATTR_PORT_NAME", name)])
        return reply.get_attr("VALE_ATTR_PORT_INDEX")

    def config(self, op, match=None, actions=None, **kw):
        """One LOOKUP_CONFIG: op, MATCH, ACTIONS and VALE_OF_ATTR_<KEY>=value."""
        a = [("VALE_OF_ATTR_OP", OP[op])]
        if match is not None:
            a.append(("VALE_OF_ATTR_MATCH", {"attrs": [("VALE_OF_MATCH_" + k.upper(), v)
                                                       for k, v in match.items()]}))
        if actions is not None:
            a.append(("VALE_OF_ATTR_ACTIONS", {"attrs": [
                ("VALE_OF_ACTION_" + n.upper(), True if n in _FLAGS else v)
                for n, v in actions]}))
        for k, v in kw.items():
            a.append(("VALE_OF_ATTR_" + k.upper(), True if k == "strict" else v))
        self.request(VALE_CMD_LOOKUP_CONFIG, [("VALE_ATTR_LOOKUP_NAME", "of"),
                                              ("VALE_ATTR_LOOKUP_CONFIG", {"attrs": a})])

    def add(self, match, actions, **kw):
        self.config("FLOW_ADD", match, actions, **kw)

    def dump(self):
        """(table, flows): the TABLE object as a dict (controller, emc,
        flows, miss_packets, miss_bytes, miss_actions) and each FLOW as a
        dict (match, actions, priority, idle_timeout, hard_timeout,
        cookie, packets, bytes, duration, idle_age)."""
        table, flows = None, []
        for r in self.request(VALE_CMD_LOOKUP_DUMP, [("VALE_ATTR_LOOKUP_NAME", "of")], dump=True):
            o = _attrs(r.get_attr("VALE_ATTR_LOOKUP_CONFIG"))
            stats = _short(_attrs(o["VALE_OF_ATTR_STATS"]), "VALE_OF_STATS_")
            acts = [(k[len("VALE_OF_ACTION_"):].lower(), v)
                    for k, v in o.get("VALE_OF_ATTR_ACTIONS", {"attrs": []})["attrs"]]
            if o["VALE_OF_ATTR_OP"] == OP["TABLE"]:
                table = {"controller": o["VALE_OF_ATTR_CONTROLLER"],
                         "emc": o["VALE_OF_ATTR_EMC"], "flows": stats["flows"],
                         "miss_packets": stats["packets"], "miss_bytes": stats["bytes"],
                         "miss_actions": acts}
            else:
                f = _short({k: v for k, v in o.items()
                            if k not in ("VALE_OF_ATTR_MATCH", "VALE_OF_ATTR_ACTIONS",
                                         "VALE_OF_ATTR_STATS", "VALE_OF_ATTR_OP")},
                           "VALE_OF_ATTR_")
                f["match"] = _short(_attrs(o["VALE_OF_ATTR_MATCH"]), "VALE_OF_MATCH_")
                f["actions"] = acts
                f.update(stats)
                flows.append(f)
        return table, flows

    def flow(self, priority, **match):
        """The dumped flow with this priority and match, or None."""
        for f in self.dump()[1]:
            if f["priority"] == priority and f["match"] == match:
                return f
        return None
