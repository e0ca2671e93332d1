"""The "vale" generic netlink family, as include/uapi/linux/vale.h declares
it.  The numbers are the header's enums, in order; pyctl/tests/test_uapi.py
checks them against the header when the source tree is at hand."""

GENL_NAME = "vale"
GENL_VERSION = 1
MCGRP_EVENTS = "events"
NAME_MAX = 64           # VALE_NAME_MAX, with the NUL
IFNAMSIZ = 16           # a network interface name, with the NUL

# enum vale_cmd
CMDS = (
    "VALE_CMD_UNSPEC",
    "VALE_CMD_SWITCH_NEW",
    "VALE_CMD_SWITCH_DEL",
    "VALE_CMD_SWITCH_GET",
    "VALE_CMD_PORT_ATTACH",
    "VALE_CMD_PORT_DETACH",
    "VALE_CMD_PORT_GET",
    "VALE_CMD_IF_NEW",
    "VALE_CMD_IF_DEL",
    "VALE_CMD_LOOKUP_SET",
    "VALE_CMD_LOOKUP_CONFIG",
    "VALE_CMD_FDB_GET",
    "VALE_CMD_FDB_FLUSH",
)
CMD_SWITCH_NEW = 1
CMD_SWITCH_DEL = 2
CMD_SWITCH_GET = 3
CMD_PORT_ATTACH = 4
CMD_PORT_DETACH = 5
CMD_PORT_GET = 6
CMD_IF_NEW = 7
CMD_IF_DEL = 8
CMD_LOOKUP_SET = 9
CMD_LOOKUP_CONFIG = 10
CMD_FDB_GET = 11
CMD_FDB_FLUSH = 12

# enum vale_attr: (name, pyroute2 nla type)
ATTRS = (
    ("VALE_ATTR_UNSPEC", "none"),
    ("VALE_ATTR_SWITCH_NAME", "asciiz"),
    ("VALE_ATTR_SWITCH_INDEX", "uint32"),
    ("VALE_ATTR_SWITCH_PORTS", "uint32"),
    ("VALE_ATTR_SWITCH_PERSISTENT", "flag"),
    ("VALE_ATTR_LOOKUP_NAME", "asciiz"),
    ("VALE_ATTR_LOOKUP_CONFIG", "lookup_config"),
    ("VALE_ATTR_PORT_NAME", "asciiz"),
    ("VALE_ATTR_PORT_INDEX", "uint32"),
    ("VALE_ATTR_PORT_KIND", "uint32"),
    ("VALE_ATTR_PORT_TX_RINGS", "uint32"),
    ("VALE_ATTR_PORT_RX_RINGS", "uint32"),
    ("VALE_ATTR_PORT_TX_SLOTS", "uint32"),
    ("VALE_ATTR_PORT_RX_SLOTS", "uint32"),
    ("VALE_ATTR_PORT_MEM_ID", "uint32"),
    ("VALE_ATTR_PORT_STATS", "stats"),
    ("VALE_ATTR_IF_NAME", "asciiz"),
    ("VALE_ATTR_FDB_MAC", "cdata"),
    ("VALE_ATTR_FDB_PORT", "uint32"),
    ("VALE_ATTR_FDB_AGE", "uint32"),
    ("VALE_ATTR_FDB_CONFIRMED", "flag"),
    ("VALE_ATTR_PAD", "none"),
)

# enum vale_port_kind
PORT_KINDS = ("ephemeral", "virtual", "nic")
PORT_EPHEMERAL, PORT_VIRTUAL, PORT_NIC = range(3)

# enum vale_stats_attr: all u64
STATS = (
    "VALE_STATS_UNSPEC",
    "VALE_STATS_TX_PACKETS",
    "VALE_STATS_TX_BYTES",
    "VALE_STATS_RX_PACKETS",
    "VALE_STATS_RX_BYTES",
    "VALE_STATS_DROP_LOOKUP",
    "VALE_STATS_DROP_BAD",
    "VALE_STATS_DROP_FULL",
    "VALE_STATS_DROP_BAD_BUF",
    "VALE_STATS_PAD",
)

# enum vale_learn_attr: LOOKUP_CONFIG of module "learn"
LEARN = (
    "VALE_LEARN_UNSPEC",
    "VALE_LEARN_AGEING",
)

# What each lookup module's configuration looks like to pyctl: the keys a
# topology file or config_lookup() may use, each with its attribute and
# its bounds (the kernel checks them again).
LOOKUP_CONFIG = {
    "learn": {
        "ageing": ("VALE_LEARN_AGEING", 1, 1000000),
    },
}
