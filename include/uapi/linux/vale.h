/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * The "vale" generic netlink family: the control plane of the VALE switch.
 *
 * Every request is validated strictly: unknown attributes, wrong types and
 * lengths are rejected, each rejection with an extended ack message that
 * names the attribute. Mutating commands need CAP_NET_ADMIN. Changes to
 * switches and ports are announced on the multicast group
 * VALE_MCGRP_EVENTS with the command that made them and the same
 * attributes as a GET reply.
 *
 * Names: a switch is "vale" followed by letters, digits and "_.-" (as in
 * netmap, "vale0"), at most VALE_NAME_MAX - 1 bytes; a port is named as
 * it is within its switch ("p1" of "vale0:p1", or an interface name).
 */
#ifndef _UAPI_LINUX_VALE_H
#define _UAPI_LINUX_VALE_H

#define VALE_GENL_NAME		"vale"
#define VALE_GENL_VERSION	1
#define VALE_MCGRP_EVENTS	"events"
#define VALE_NAME_MAX		64

/*
 * Commands, with the attributes each requires (R), accepts (A); any other
 * attribute is rejected.
 *
 * VALE_CMD_SWITCH_NEW   R: SWITCH_NAME  A: LOOKUP_NAME
 *	Make a persistent switch (it stays when its last port leaves).
 *	EEXIST if it exists, ENOSPC if the switch table is full, ENOENT if
 *	the lookup module is not found. Event: SWITCH_NEW.
 * VALE_CMD_SWITCH_DEL   R: SWITCH_NAME
 *	Remove a switch; EBUSY while it has ports. Event: SWITCH_DEL.
 * VALE_CMD_SWITCH_GET   A: SWITCH_NAME (do: required; dump: none)
 *	Reply: SWITCH_NAME, SWITCH_INDEX, LOOKUP_NAME, SWITCH_PORTS,
 *	SWITCH_PERSISTENT (flag).
 * VALE_CMD_PORT_ATTACH  R: SWITCH_NAME, PORT_NAME
 *	Attach a persistent interface (IF_NEW) to a switch, made if needed.
 *	ENXIO no such interface, EBUSY already attached. Event: PORT_ATTACH.
 * VALE_CMD_PORT_DETACH  R: SWITCH_NAME, PORT_NAME
 *	EINVAL for an ephemeral port (it goes with its last file).
 *	Event: PORT_DETACH.
 * VALE_CMD_PORT_GET     do: R: SWITCH_NAME, PORT_NAME; dump: A: SWITCH_NAME
 *	Reply: SWITCH_NAME, PORT_NAME, PORT_INDEX, PORT_KIND, PORT_TX_RINGS,
 *	PORT_RX_RINGS, PORT_TX_SLOTS, PORT_RX_SLOTS, PORT_MEM_ID, PORT_STATS.
 * VALE_CMD_IF_NEW       R: IF_NAME  A: PORT_TX_RINGS, PORT_RX_RINGS,
 *	PORT_TX_SLOTS, PORT_RX_SLOTS. A persistent interface (a netdev and
 *	a switch port behind it), as NETMAP_REQ_VALE_NEWIF.
 * VALE_CMD_IF_DEL       R: IF_NAME. EBUSY while attached or open.
 * VALE_CMD_LOOKUP_SET   R: SWITCH_NAME, LOOKUP_NAME
 *	Give the switch another lookup module, loading "vale-lookup-NAME"
 *	if needed; ENOENT if there is none. Safe under traffic.
 * VALE_CMD_LOOKUP_CONFIG R: SWITCH_NAME, LOOKUP_CONFIG
 *	Pass LOOKUP_CONFIG (nested, the module's own attributes and policy)
 *	to the switch's module; EOPNOTSUPP if it takes no configuration.
 * VALE_CMD_FDB_GET      dump: R: SWITCH_NAME
 *	The learning bridge's table: one message per entry with FDB_MAC,
 *	FDB_PORT, FDB_AGE, FDB_CONFIRMED (flag). EOPNOTSUPP if the switch
 *	uses another module.
 * VALE_CMD_FDB_FLUSH    R: SWITCH_NAME. Forget every learned address.
 */
enum vale_cmd {
	VALE_CMD_UNSPEC,
	VALE_CMD_SWITCH_NEW,
	VALE_CMD_SWITCH_DEL,
	VALE_CMD_SWITCH_GET,
	VALE_CMD_PORT_ATTACH,
	VALE_CMD_PORT_DETACH,
	VALE_CMD_PORT_GET,
	VALE_CMD_IF_NEW,
	VALE_CMD_IF_DEL,
	VALE_CMD_LOOKUP_SET,
	VALE_CMD_LOOKUP_CONFIG,
	VALE_CMD_FDB_GET,
	VALE_CMD_FDB_FLUSH,
	__VALE_CMD_MAX,
};
#define VALE_CMD_MAX (__VALE_CMD_MAX - 1)

enum vale_attr {
	VALE_ATTR_UNSPEC,
	VALE_ATTR_SWITCH_NAME,		/* string */
	VALE_ATTR_SWITCH_INDEX,		/* u32 */
	VALE_ATTR_SWITCH_PORTS,		/* u32: ports attached */
	VALE_ATTR_SWITCH_PERSISTENT,	/* flag */
	VALE_ATTR_LOOKUP_NAME,		/* string */
	VALE_ATTR_LOOKUP_CONFIG,	/* nested: the module's attributes */
	VALE_ATTR_PORT_NAME,		/* string */
	VALE_ATTR_PORT_INDEX,		/* u32 */
	VALE_ATTR_PORT_KIND,		/* u32: enum vale_port_kind */
	VALE_ATTR_PORT_TX_RINGS,	/* u32 */
	VALE_ATTR_PORT_RX_RINGS,	/* u32 */
	VALE_ATTR_PORT_TX_SLOTS,	/* u32 */
	VALE_ATTR_PORT_RX_SLOTS,	/* u32 */
	VALE_ATTR_PORT_MEM_ID,		/* u32 */
	VALE_ATTR_PORT_STATS,		/* nested: enum vale_stats_attr */
	VALE_ATTR_IF_NAME,		/* string */
	VALE_ATTR_FDB_MAC,		/* binary, 6 bytes */
	VALE_ATTR_FDB_PORT,		/* u32 */
	VALE_ATTR_FDB_AGE,		/* u32: seconds since last seen */
	VALE_ATTR_FDB_CONFIRMED,	/* flag: seen more than once */
	VALE_ATTR_PAD,
	__VALE_ATTR_MAX,
};
#define VALE_ATTR_MAX (__VALE_ATTR_MAX - 1)

enum vale_port_kind {
	VALE_PORT_EPHEMERAL,	/* made by opening valeX:Y, gone with its files */
	VALE_PORT_VIRTUAL,	/* a persistent interface (IF_NEW) */
	VALE_PORT_NIC,		/* a network interface attached to the switch */
};

/* Counters of a port, all u64. */
enum vale_stats_attr {
	VALE_STATS_UNSPEC,
	VALE_STATS_TX_PACKETS,		/* sent by the port into the switch */
	VALE_STATS_TX_BYTES,
	VALE_STATS_RX_PACKETS,		/* delivered by the switch to the port */
	VALE_STATS_RX_BYTES,
	VALE_STATS_DROP_LOOKUP,		/* sent, but the module said drop */
	VALE_STATS_DROP_BAD,		/* sent with a bad index, length or fragments */
	VALE_STATS_DROP_FULL,		/* for the port, but its ring was full */
	VALE_STATS_DROP_BAD_BUF,	/* for the port, but its slot was broken */
	VALE_STATS_PAD,
	__VALE_STATS_MAX,
};
#define VALE_STATS_MAX (__VALE_STATS_MAX - 1)

/* The learning bridge's configuration (LOOKUP_CONFIG of module "learn"). */
enum vale_learn_attr {
	VALE_LEARN_UNSPEC,
	VALE_LEARN_AGEING,		/* u32: seconds, 1 .. 1000000 */
	__VALE_LEARN_MAX,
};
#define VALE_LEARN_MAX (__VALE_LEARN_MAX - 1)

#endif /* _UAPI_LINUX_VALE_H */
