"""The "vale" generic netlink family, as include/uapi/linux/vale.h declares
it.  The numbers are the header's enums, in order; pyctl/tests/test_uapi.py
checks them against the header when the source tree is at hand."""

GENL_NAME = "vale"
GENL_VERSION = 1
MCGRP_EVENTS = "events"
NAME_MAX = 64           # VALE_NAME_MAX, with the NUL
IFNAMSIZ = 16           # a network interface name, with the NUL
# Limits the kernel enforces (docs/security.md lists them with their errors)
MAX_RINGS = 16          # VALE_MAX_RINGS: rings per direction of a port
MIN_SLOTS = 2           # VALE_MIN_SLOTS, VALE_MAX_SLOTS: slots per ring
MAX_SLOTS = 4080
MAX_SWITCHES = 64       # VALE_MAX_SWITCHES (vale/vale.h): one table for all namespaces

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
    "VALE_CMD_LOOKUP_DUMP",
    "VALE_CMD_LOOKUP_SCHEMA",
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
CMD_FDB_GET = 11        # reserved: gone from the kernel (LOOKUP_DUMP of learn's "fdb")
CMD_FDB_FLUSH = 12      # reserved: gone from the kernel (LOOKUP_CONFIG with learn's "flush")
CMD_LOOKUP_DUMP = 13
CMD_LOOKUP_SCHEMA = 14

# enum vale_attr: (name, how vale.netlink encodes it)
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
    ("VALE_ATTR_FDB_MAC", "none"),          # reserved
    ("VALE_ATTR_FDB_PORT", "none"),         # reserved
    ("VALE_ATTR_FDB_AGE", "none"),          # reserved
    ("VALE_ATTR_FDB_CONFIRMED", "none"),    # reserved
    ("VALE_ATTR_PAD", "none"),
    ("VALE_ATTR_PORT_HOST", "flag"),
    ("VALE_ATTR_LOOKUP_TABLE", "asciiz"),
    ("VALE_ATTR_LOOKUP_ATTR", "schema_attr"),
    ("VALE_ATTR_LOOKUP_TABLE_DEF", "schema_attr"),
)
# The index of VALE_ATTR_LOOKUP_CONFIG: a module's own nest, which pyctl
# carries as bytes and vale.schema encodes and decodes
ATTR_LOOKUP_CONFIG = [a for a, _ in ATTRS].index("VALE_ATTR_LOOKUP_CONFIG")

# enum vale_port_kind
PORT_KINDS = ("ephemeral", "virtual", "nic", "host")
PORT_EPHEMERAL, PORT_VIRTUAL, PORT_NIC, PORT_HOST = range(4)

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

# enum vale_schema_attr: a LOOKUP_ATTR (and LOOKUP_TABLE_DEF) nest, with
# how vale.netlink encodes them
SCHEMA = (
    ("VALE_SCHEMA_UNSPEC", "none"),
    ("VALE_SCHEMA_NAME", "asciiz"),
    ("VALE_SCHEMA_ID", "uint32"),
    ("VALE_SCHEMA_TYPE", "uint32"),
    ("VALE_SCHEMA_FLAGS", "uint32"),
    ("VALE_SCHEMA_LOW", "uint64"),
    ("VALE_SCHEMA_HIGH", "uint64"),
    ("VALE_SCHEMA_DOC", "asciiz"),
    ("VALE_SCHEMA_VALUE_NAME", "asciiz"),
    ("VALE_SCHEMA_PAD", "none"),
)

# enum vale_value_type
VALUE_TYPES = (
    "VALE_TYPE_UNSPEC",
    "VALE_TYPE_FLAG",
    "VALE_TYPE_U8",
    "VALE_TYPE_U16",
    "VALE_TYPE_U32",
    "VALE_TYPE_U64",
    "VALE_TYPE_STRING",
    "VALE_TYPE_MAC",
    "VALE_TYPE_IP",
    "VALE_TYPE_PORT",
    "VALE_TYPE_BINARY",
    "VALE_TYPE_NESTED",
)

# VALE_SCHEMA_FLAGS
SCHEMA_F_SETTING = 0x1      # a setting: SWITCH_GET reports it, may be set alone
SCHEMA_F_ACTION = 0x2       # a flag that does something (flush); never reported
SCHEMA_F_DUMP_ONLY = 0x4    # only in dumps: refused in requests

# enum vale_learn_attr: LOOKUP_CONFIG of module "learn" (the friendly
# forms fdb() and flush_fdb() use them; anything else goes by the schema)
LEARN = (
    "VALE_LEARN_UNSPEC",
    "VALE_LEARN_AGEING",
    "VALE_LEARN_FLUSH",
    "VALE_LEARN_MAC",
    "VALE_LEARN_PORT",
    "VALE_LEARN_AGE",
    "VALE_LEARN_CONFIRMED",
)

# The router's and the flow table's LOOKUP_CONFIG (modules "l3" and "of"):
# the names of enum vale_l3_* and vale_of_*, in order (index = value).
L3_OPS = ("VALE_L3_OP_UNSPEC", "VALE_L3_OP_PORT_SET", "VALE_L3_OP_PORT_DEL",
          "VALE_L3_OP_ADDR_ADD", "VALE_L3_OP_ADDR_DEL", "VALE_L3_OP_ROUTE_ADD",
          "VALE_L3_OP_ROUTE_DEL", "VALE_L3_OP_NEIGH_ADD", "VALE_L3_OP_NEIGH_DEL",
          "VALE_L3_OP_FLUSH", "VALE_L3_OP_STATS")
L3_ATTRS = ("VALE_L3_ATTR_UNSPEC", "VALE_L3_ATTR_OP", "VALE_L3_ATTR_PORT", "VALE_L3_ATTR_MAC",
            "VALE_L3_ATTR_ADDR", "VALE_L3_ATTR_PREFIX", "VALE_L3_ATTR_PREFIX_LEN",
            "VALE_L3_ATTR_GATEWAY", "VALE_L3_ATTR_STATS", "VALE_L3_ATTR_PAD")
L3_STATS = ("VALE_L3_STATS_UNSPEC", "VALE_L3_STATS_FORWARDED_V4", "VALE_L3_STATS_FORWARDED_V6",
            "VALE_L3_STATS_ARP_REPLIES", "VALE_L3_STATS_ND_REPLIES", "VALE_L3_STATS_DROP_NOT_IP",
            "VALE_L3_STATS_DROP_TRUNCATED", "VALE_L3_STATS_DROP_MALFORMED",
            "VALE_L3_STATS_DROP_CHECKSUM", "VALE_L3_STATS_DROP_TTL",
            "VALE_L3_STATS_DROP_NO_ROUTE", "VALE_L3_STATS_DROP_NO_NEIGH",
            "VALE_L3_STATS_DROP_NOT_ROUTER", "VALE_L3_STATS_DROP_LOCAL",
            "VALE_L3_STATS_DROP_ADDR", "VALE_L3_STATS_DROP_ARP", "VALE_L3_STATS_DROP_ND",
            "VALE_L3_STATS_DROP_PORT_DOWN", "VALE_L3_STATS_PAD")
OF_OPS = ("VALE_OF_OP_UNSPEC", "VALE_OF_OP_FLOW_ADD", "VALE_OF_OP_FLOW_MOD",
          "VALE_OF_OP_FLOW_DEL", "VALE_OF_OP_MISS_SET", "VALE_OF_OP_CONTROLLER_SET",
          "VALE_OF_OP_EMC_SET", "VALE_OF_OP_TABLE", "VALE_OF_OP_FLOW")
OF_ATTRS = ("VALE_OF_ATTR_UNSPEC", "VALE_OF_ATTR_OP", "VALE_OF_ATTR_MATCH",
            "VALE_OF_ATTR_PRIORITY", "VALE_OF_ATTR_IDLE_TIMEOUT", "VALE_OF_ATTR_HARD_TIMEOUT",
            "VALE_OF_ATTR_COOKIE", "VALE_OF_ATTR_ACTIONS", "VALE_OF_ATTR_STRICT",
            "VALE_OF_ATTR_CONTROLLER", "VALE_OF_ATTR_EMC", "VALE_OF_ATTR_STATS",
            "VALE_OF_ATTR_PAD")
OF_MATCH = ("VALE_OF_MATCH_UNSPEC", "VALE_OF_MATCH_IN_PORT", "VALE_OF_MATCH_ETH_SRC",
            "VALE_OF_MATCH_ETH_DST", "VALE_OF_MATCH_ETH_TYPE", "VALE_OF_MATCH_VLAN_VID",
            "VALE_OF_MATCH_IP_PROTO", "VALE_OF_MATCH_IP_SRC", "VALE_OF_MATCH_IP_SRC_LEN",
            "VALE_OF_MATCH_IP_DST", "VALE_OF_MATCH_IP_DST_LEN", "VALE_OF_MATCH_TP_SRC",
            "VALE_OF_MATCH_TP_DST")
OF_ACTIONS = ("VALE_OF_ACTION_UNSPEC", "VALE_OF_ACTION_OUTPUT", "VALE_OF_ACTION_FLOOD",
              "VALE_OF_ACTION_DROP", "VALE_OF_ACTION_CONTROLLER", "VALE_OF_ACTION_PUSH_VLAN",
              "VALE_OF_ACTION_POP_VLAN", "VALE_OF_ACTION_SET_VLAN_VID",
              "VALE_OF_ACTION_SET_ETH_SRC", "VALE_OF_ACTION_SET_ETH_DST")
OF_STATS = ("VALE_OF_STATS_UNSPEC", "VALE_OF_STATS_PACKETS", "VALE_OF_STATS_BYTES",
            "VALE_OF_STATS_DURATION", "VALE_OF_STATS_IDLE_AGE", "VALE_OF_STATS_FLOWS",
            "VALE_OF_STATS_PAD")
MAX_PORTS = 254         # VALE_MAX_PORTS: port numbers are 0 .. 253
NO_PORT = 255           # VALE_DROP: no controller port
