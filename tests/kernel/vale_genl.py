"""The "vale" generic netlink family, spoken directly for the VM tests
that check the kernel's answers attribute by attribute (pyctl hides
them behind its objects).

The attribute table is pyctl's (vale.uapi, which pyctl/tests/test_uapi.py
checks against include/uapi/linux/vale.h), so a new attribute is added
in one place. Each test that configures a lookup module passes the nla
class of that module's LOOKUP_CONFIG nest to message_class() (or keeps
it as bytes, the default). Every LOOKUP_CONFIG names the module it is
meant for (VALE_ATTR_LOOKUP_NAME, required): config() and dump() send it.
"""
import os
import sys

from pyroute2.netlink import NLA_F_NESTED, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, genlmsg, nla
from pyroute2.netlink.generic import GenericNetlinkSocket

from conftest import TOP

sys.path.insert(0, os.path.join(TOP, "pyctl"))
from vale import uapi  # noqa: E402

CMD = {name[len("VALE_CMD_"):]: i for i, name in enumerate(uapi.CMDS)}


class port_stats(nla):
    """VALE_ATTR_PORT_STATS: enum vale_stats_attr, all u64."""
    nla_flags = NLA_F_NESTED
    nla_map = tuple((name, "none" if i in (0, len(uapi.STATS) - 1) else "uint64")
                    for i, name in enumerate(uapi.STATS))


class raw_config(nla.cdata):
    """A LOOKUP_CONFIG nest kept as bytes."""
    nla_flags = NLA_F_NESTED


class schema_attr(nla):
    """LOOKUP_ATTR and LOOKUP_TABLE_DEF (LOOKUP_SCHEMA replies): enum
    vale_schema_attr."""
    nla_flags = NLA_F_NESTED
    nla_map = uapi.SCHEMA


def message_class(config=raw_config):
    """A message class of the family whose VALE_ATTR_LOOKUP_CONFIG is
    encoded and decoded by the nla class 'config'.

    A new class each call, derived from genlmsg alone: pyroute2 compiles
    a class's nla_map once and a subclass would inherit that compiled map,
    whatever nla_map it declares itself."""
    nla_map = tuple((n, "config" if n == "VALE_ATTR_LOOKUP_CONFIG" else
                     "port_stats" if n == "VALE_ATTR_PORT_STATS" else t)
                    for n, t in uapi.ATTRS)
    return type("valemsg_" + config.__name__, (genlmsg,),
                {"nla_map": nla_map, "config": config, "port_stats": port_stats,
                 "schema_attr": schema_attr})


def attrs(nest):
    """{name: value} of a decoded nest's attributes."""
    return {a[0]: a[1] for a in nest["attrs"]}


class Genl:
    """One socket bound to the family; requests raise NetlinkError with the
    kernel's errno (and its extack message in the exception's text)."""

    def __init__(self, msgclass=None):
        self.msgclass = msgclass or message_class()
        self.sock = GenericNetlinkSocket(ext_ack=True)
        try:
            self.sock.bind(uapi.GENL_NAME, self.msgclass)
        except BaseException:
            self.sock.close()
            raise

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def request(self, cmd, attrs, dump=False):
        """Command 'cmd' (a number or a VALE_CMD_* name without the prefix)
        with 'attrs'; the replies, a list (empty for an acked do)."""
        msg = self.msgclass()
        msg["cmd"] = CMD[cmd] if isinstance(cmd, str) else cmd
        msg["version"] = uapi.GENL_VERSION
        msg["attrs"] = attrs
        flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else NLM_F_ACK)
        return list(self.sock.nlm_request(msg, msg_type=self.sock.prid, msg_flags=flags))

    def config(self, switch, module, nest):
        """LOOKUP_CONFIG meant for 'module' (nest: as the message class
        encodes it, bytes by default)."""
        return self.request("LOOKUP_CONFIG", [("VALE_ATTR_SWITCH_NAME", switch),
                                              ("VALE_ATTR_LOOKUP_NAME", module),
                                              ("VALE_ATTR_LOOKUP_CONFIG", nest)])

    def dump(self, switch, module=None, table=None):
        """LOOKUP_DUMP: the reply messages (LOOKUP_TABLE, LOOKUP_CONFIG)."""
        attrs = [("VALE_ATTR_SWITCH_NAME", switch)]
        if module is not None:
            attrs.append(("VALE_ATTR_LOOKUP_NAME", module))
        if table is not None:
            attrs.append(("VALE_ATTR_LOOKUP_TABLE", table))
        return self.request("LOOKUP_DUMP", attrs, dump=True)


def request(cmd, attrs, dump=False):
    """One request on a socket of its own."""
    with Genl() as g:
        return g.request(cmd, attrs, dump)
