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
 * Limits, the same whichever way a request comes (this family or the
 * netmap API of /dev/netmap); docs/security.md lists them with their errors.
 *
 * Geometry of a switch port or persistent interface, per direction:
 * 1..VALE_MAX_RINGS rings of VALE_MIN_SLOTS..VALE_MAX_SLOTS slots. A ring
 * is one object of at most 64 KiB (a netmap_ring header, 256 bytes, and
 * 16 bytes per slot), hence 4080 slots. Here (IF_NEW) a value out of range
 * is refused, ERANGE, the extended ack naming the attribute and its range;
 * the netmap API takes them as hints (as netmap does) and clamps, the reply
 * saying what was made. Pipes: 1..VALE_MAX_RINGS rings; their slots live in
 * the global region, whose ring objects (module parameter ring_size, 36864
 * bytes by default) hold at most (ring_size - 256) / 16 slots, 2288 by
 * default: more is clamped.
 *
 * Memory (module parameters, writable in /sys/module/vale/parameters):
 *  - max_extra_bufs (4096): extra buffers one REGISTER is granted at most;
 *    nr_extra_bufs says how many it got (as in netmap, fewer than asked is
 *    not an error).
 *  - mem_budget_mb (0 = a quarter of RAM): all memory regions together
 *    (the global one and each port's private one). A port or interface
 *    whose region would pass it is refused with ENOMEM; the extended ack
 *    (here) or a rate-limited kernel warning (netmap API, which has no
 *    message channel) names mem_budget_mb.
 *  - every region, ring and buffer record is charged to the memory cgroup
 *    of the process whose request made it (__GFP_ACCOUNT): a container's
 *    memory limit bounds what its processes make, ENOMEM past it.
 * The global region's pools (if_num, ring_num, buf_num) are fixed at load:
 * when one is empty, REGISTER fails with ENOMEM.
 */
#define VALE_MAX_RINGS		16
#define VALE_MIN_SLOTS		2
#define VALE_MAX_SLOTS		4080

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
 *	SWITCH_PERSISTENT (flag), and LOOKUP_CONFIG when the module has
 *	settings: every one of them, nested as LOOKUP_CONFIG takes them
 *	(the learning bridge: LEARN_AGEING), so a reply can be sent back.
 * VALE_CMD_PORT_ATTACH  R: SWITCH_NAME, PORT_NAME  A: PORT_HOST
 *	Attach a persistent interface (IF_NEW) or a network interface
 *	(NIC) to a switch, made if needed; with PORT_HOST, a NIC's host
 *	stack too, as port "NAME^" (netmap's NR_REG_NIC_SW, vale-ctl -h).
 *	ENXIO no such interface, EBUSY already attached, open, or taken by
 *	another rx handler (a Linux bridge, bond, team, Open vSwitch,
 *	macvlan...) or by DSA; EOPNOTSUPP for what cannot be a port
 *	(loopback, not Ethernet, an Open vSwitch internal port, a VRF,
 *	wireless) and for PORT_HOST on a persistent interface (no host
 *	stack). Events: PORT_ATTACH, for each port, sent once both a NIC
 *	and its host stack are attached (the NIC's first): each says what
 *	PORT_GET says from then on. A failed attach announces nothing.
 * VALE_CMD_PORT_DETACH  R: SWITCH_NAME, PORT_NAME
 *	EINVAL for an ephemeral port (it goes with its last file). A NIC
 *	and its host stack leave together, PORT_NAME naming either ("eth0"
 *	or "eth0^"). Event: PORT_DETACH, for each port (the NIC's first),
 *	sent while both are still attached, as PORT_GET said until then.
 * VALE_CMD_PORT_GET     do: R: SWITCH_NAME, PORT_NAME; dump: A: SWITCH_NAME
 *	Reply: SWITCH_NAME, PORT_NAME, PORT_INDEX, PORT_KIND, PORT_TX_RINGS,
 *	PORT_RX_RINGS, PORT_TX_SLOTS, PORT_RX_SLOTS, PORT_MEM_ID, PORT_STATS,
 *	and PORT_HOST on a NIC whose host stack is on the switch too.
 * VALE_CMD_IF_NEW       R: IF_NAME  A: PORT_TX_RINGS, PORT_RX_RINGS,
 *	PORT_TX_SLOTS, PORT_RX_SLOTS. A persistent interface (a netdev and
 *	a switch port behind it), as NETMAP_REQ_VALE_NEWIF. Rings
 *	1..VALE_MAX_RINGS and slots VALE_MIN_SLOTS..VALE_MAX_SLOTS, else
 *	ERANGE; EINVAL for a bad name; ENOMEM past mem_budget_mb (see
 *	Limits above). Event: IF_NEW with IF_NAME.
 * VALE_CMD_IF_DEL       R: IF_NAME. EBUSY while attached or open.
 *	Event: IF_DEL with IF_NAME.
 * VALE_CMD_LOOKUP_SET   R: SWITCH_NAME, LOOKUP_NAME
 *	Give the switch another lookup module, loading "vale-lookup-NAME"
 *	if needed; ENOENT if there is none. Safe under traffic. Event:
 *	LOOKUP_SET, with the attributes of a SWITCH_GET reply.
 *
 * Lookup modules (the module control channel). A module declares, once,
 * every attribute it takes in LOOKUP_CONFIG and reports in replies (its
 * schema: names, types, ranges, which are settings) and the tables it
 * can dump; the core checks requests against the declaration of the
 * module the switch runs at that moment, and tools read the schema to
 * configure, show and dump modules they have no code for.
 *
 * VALE_CMD_LOOKUP_CONFIG R: SWITCH_NAME, LOOKUP_NAME, LOOKUP_CONFIG
 *	Configure the switch's lookup module. LOOKUP_NAME says which
 *	module the request is meant for: EOPNOTSUPP if the switch runs
 *	another one, and the extack names the one it runs (each module
 *	numbers its attributes its own way: a request meant for one must
 *	never reach another). LOOKUP_CONFIG nests the module's attributes;
 *	the core rejects (EINVAL, extack naming it) one the module does
 *	not declare, one of the wrong type, length or range, and one that
 *	only dumps report, before the module sees the request. EOPNOTSUPP
 *	if the module takes no configuration. Event: LOOKUP_CONFIG, with
 *	the attributes of a SWITCH_GET reply.
 * VALE_CMD_LOOKUP_DUMP  dump: R: SWITCH_NAME  A: LOOKUP_NAME, LOOKUP_TABLE
 *	The module's tables, one message per row: SWITCH_NAME, LOOKUP_TABLE
 *	(the table's name) and LOOKUP_CONFIG nesting the row in the
 *	module's attributes; every table in the order declared, or only
 *	LOOKUP_TABLE (ENOENT, naming the tables it has, if there is no
 *	such table). EOPNOTSUPP if the module has no table, or with
 *	LOOKUP_NAME if the switch runs another module.
 * VALE_CMD_LOOKUP_SCHEMA do: R: LOOKUP_NAME or SWITCH_NAME; dump: none
 *	A module's schema: the module named (ENOENT if none of that name
 *	is registered; loading one needs LOOKUP_SET), or the one the
 *	switch runs; a dump gives every registered module's. Reply:
 *	LOOKUP_NAME, then a LOOKUP_ATTR for each attribute it declares
 *	(nested, enum vale_schema_attr) and a LOOKUP_TABLE_DEF for each
 *	table (nested: SCHEMA_NAME, SCHEMA_DOC).
 *
 * The learning bridge ("learn") declares its setting "ageing", its
 * action "flush" (forget every address) and its table "fdb" (mac, port,
 * age, confirmed): enum vale_learn_attr. VALE_CMD_FDB_GET and
 * VALE_CMD_FDB_FLUSH, which named it, are gone (their numbers stay
 * reserved): LOOKUP_DUMP with LOOKUP_TABLE "fdb" and LOOKUP_CONFIG with
 * LEARN_FLUSH do their work.
 *
 * Events (group VALE_MCGRP_EVENTS): SWITCH_NEW and SWITCH_DEL with the
 * attributes of a SWITCH_GET reply (SWITCH_NEW once the switch has the
 * module it was made with), PORT_ATTACH and PORT_DETACH with those of a
 * PORT_GET reply, LOOKUP_SET and LOOKUP_CONFIG with the switch's, IF_NEW
 * and IF_DEL with IF_NAME; sent for every change, whatever made it (this
 * family, netmap's ioctl requests, the last close of an ephemeral port).
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
	VALE_CMD_FDB_GET,	/* reserved: LOOKUP_DUMP of learn's "fdb" */
	VALE_CMD_FDB_FLUSH,	/* reserved: LOOKUP_CONFIG LEARN_FLUSH */
	VALE_CMD_LOOKUP_DUMP,
	VALE_CMD_LOOKUP_SCHEMA,
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
	VALE_ATTR_FDB_MAC,		/* reserved (learn's table "fdb") */
	VALE_ATTR_FDB_PORT,		/* reserved */
	VALE_ATTR_FDB_AGE,		/* reserved */
	VALE_ATTR_FDB_CONFIRMED,	/* reserved */
	VALE_ATTR_PAD,
	VALE_ATTR_PORT_HOST,		/* flag: a NIC with its host stack ("NAME^") */
	VALE_ATTR_LOOKUP_TABLE,		/* string: a table of the module */
	VALE_ATTR_LOOKUP_ATTR,		/* nested: enum vale_schema_attr */
	VALE_ATTR_LOOKUP_TABLE_DEF,	/* nested: SCHEMA_NAME, SCHEMA_DOC */
	__VALE_ATTR_MAX,
};
#define VALE_ATTR_MAX (__VALE_ATTR_MAX - 1)

enum vale_port_kind {
	VALE_PORT_EPHEMERAL,	/* made by opening valeX:Y, gone with its files */
	VALE_PORT_VIRTUAL,	/* a persistent interface (IF_NEW) */
	VALE_PORT_NIC,		/* a network interface attached to the switch */
	VALE_PORT_HOST,		/* the host stack of one ("eth0^"), with it */
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

/*
 * A lookup module's schema: one LOOKUP_ATTR per attribute of its
 * LOOKUP_CONFIG nest, which tools use to encode and decode it by name.
 */
enum vale_schema_attr {
	VALE_SCHEMA_UNSPEC,
	VALE_SCHEMA_NAME,		/* string: "ageing", as tools show it */
	VALE_SCHEMA_ID,			/* u32: its type in LOOKUP_CONFIG */
	VALE_SCHEMA_TYPE,		/* u32: enum vale_value_type */
	VALE_SCHEMA_FLAGS,		/* u32: VALE_SCHEMA_F_* */
	VALE_SCHEMA_LOW,		/* u64: integers: least value; binary: length */
	VALE_SCHEMA_HIGH,		/* u64: integers: largest; string, binary: length */
	VALE_SCHEMA_DOC,		/* string: one line for the user */
	VALE_SCHEMA_VALUE_NAME,		/* string, repeated: names of values 0, 1, ... */
	VALE_SCHEMA_PAD,
	__VALE_SCHEMA_MAX,
};
#define VALE_SCHEMA_MAX (__VALE_SCHEMA_MAX - 1)

/* The types of module attributes, and how they are carried. */
enum vale_value_type {
	VALE_TYPE_UNSPEC,
	VALE_TYPE_FLAG,		/* no payload */
	VALE_TYPE_U8,
	VALE_TYPE_U16,
	VALE_TYPE_U32,
	VALE_TYPE_U64,
	VALE_TYPE_STRING,	/* NUL-terminated, at most MAX bytes before it */
	VALE_TYPE_MAC,		/* 6 bytes */
	VALE_TYPE_IP,		/* 4 (IPv4) or 16 (IPv6) bytes, network order */
	VALE_TYPE_PORT,		/* u32: a port number of the switch, 0 .. 253 */
	VALE_TYPE_BINARY,	/* MIN .. MAX bytes */
	VALE_TYPE_NESTED,	/* the module's own nest (tools: its own forms) */
	__VALE_TYPE_MAX,
};
#define VALE_TYPE_MAX (__VALE_TYPE_MAX - 1)

/* VALE_SCHEMA_FLAGS */
#define VALE_SCHEMA_F_SETTING	0x1	/* a setting: SWITCH_GET reports it, may be set alone */
#define VALE_SCHEMA_F_ACTION	0x2	/* a flag that does something (flush); never reported */
#define VALE_SCHEMA_F_DUMP_ONLY	0x4	/* only in dumps (a counter, an age): refused in requests */

/*
 * The learning bridge's attributes (module "learn"): LOOKUP_CONFIG takes
 * AGEING and FLUSH; its table "fdb" has a row per address.
 */
enum vale_learn_attr {
	VALE_LEARN_UNSPEC,
	VALE_LEARN_AGEING,		/* u32: seconds, 1 .. 1000000 (setting) */
	VALE_LEARN_FLUSH,		/* flag: forget every address (action) */
	VALE_LEARN_MAC,			/* binary, 6 bytes (fdb) */
	VALE_LEARN_PORT,		/* u32: port number (fdb) */
	VALE_LEARN_AGE,			/* u32: seconds since last seen (fdb) */
	VALE_LEARN_CONFIRMED,		/* flag: seen more than once (fdb) */
	__VALE_LEARN_MAX,
};
#define VALE_LEARN_MAX (__VALE_LEARN_MAX - 1)

/*
 * The IPv4/IPv6 router's configuration (LOOKUP_CONFIG of module "l3",
 * lookup-modules/l3/). One operation per request, VALE_L3_ATTR_OP, with
 * the attributes it requires (R) and accepts (A); any other is rejected.
 * Ports are numbers on the switch (VALE_ATTR_PORT_INDEX of PORT_GET);
 * addresses are 4 (IPv4) or 16 (IPv6) bytes in network order.
 *
 * VALE_L3_OP_PORT_SET   R: PORT, MAC
 *	Make the port a router port with that (unicast) MAC address.
 * VALE_L3_OP_PORT_DEL   R: PORT
 *	Forget its MAC and its addresses (its routes and neighbours stay:
 *	packets for it are dropped and counted as DROP_PORT_DOWN).
 * VALE_L3_OP_ADDR_ADD   R: PORT, ADDR
 *	A router address on the port (at most 8 per family): ARP requests
 *	and neighbour solicitations for it are answered, packets to it are
 *	dropped (DROP_LOCAL). EEXIST if it is a router address or a host
 *	route already, ENOSPC if the port has 8 of its family.
 * VALE_L3_OP_ADDR_DEL   R: PORT, ADDR
 * VALE_L3_OP_ROUTE_ADD  R: PREFIX, PREFIX_LEN, PORT  A: GATEWAY
 *	Packets to PREFIX/PREFIX_LEN (host bits zero) leave through PORT,
 *	to GATEWAY's MAC, or without GATEWAY (a connected network) to the
 *	destination's own MAC; either is looked up among the static
 *	neighbours of PORT. EEXIST if the route exists.
 * VALE_L3_OP_ROUTE_DEL  R: PREFIX, PREFIX_LEN. ENOENT if there is none.
 * VALE_L3_OP_NEIGH_ADD  R: PORT, ADDR, MAC
 *	A static neighbour on the port, added or its MAC replaced.
 * VALE_L3_OP_NEIGH_DEL  R: PORT, ADDR
 * VALE_L3_OP_FLUSH      Forget every route, neighbour, address and MAC.
 * VALE_L3_OP_STATS      In dumps only: the counters (STATS).
 *
 * A port that leaves the switch takes its MAC, addresses, neighbours and
 * routes with it. A dump of the module's state gives one object per
 * message, in the same attributes as the request that makes it: STATS,
 * then PORT_SET, ADDR_ADD, NEIGH_ADD and ROUTE_ADD objects.
 */
enum vale_l3_op {
	VALE_L3_OP_UNSPEC,
	VALE_L3_OP_PORT_SET,
	VALE_L3_OP_PORT_DEL,
	VALE_L3_OP_ADDR_ADD,
	VALE_L3_OP_ADDR_DEL,
	VALE_L3_OP_ROUTE_ADD,
	VALE_L3_OP_ROUTE_DEL,
	VALE_L3_OP_NEIGH_ADD,
	VALE_L3_OP_NEIGH_DEL,
	VALE_L3_OP_FLUSH,
	VALE_L3_OP_STATS,
	__VALE_L3_OP_MAX,
};
#define VALE_L3_OP_MAX (__VALE_L3_OP_MAX - 1)

enum vale_l3_attr {
	VALE_L3_ATTR_UNSPEC,
	VALE_L3_ATTR_OP,		/* u32: enum vale_l3_op */
	VALE_L3_ATTR_PORT,		/* u32: port number, 0 .. 253 */
	VALE_L3_ATTR_MAC,		/* binary, 6 bytes */
	VALE_L3_ATTR_ADDR,		/* binary, 4 or 16 bytes */
	VALE_L3_ATTR_PREFIX,		/* binary, 4 or 16 bytes */
	VALE_L3_ATTR_PREFIX_LEN,	/* u8: 0 .. 32 or 0 .. 128 */
	VALE_L3_ATTR_GATEWAY,		/* binary, as long as PREFIX */
	VALE_L3_ATTR_STATS,		/* nested: enum vale_l3_stats (dumps) */
	VALE_L3_ATTR_PAD,
	__VALE_L3_ATTR_MAX,
};
#define VALE_L3_ATTR_MAX (__VALE_L3_ATTR_MAX - 1)

/* The router's counters, all u64, summed over its ports. */
enum vale_l3_stats {
	VALE_L3_STATS_UNSPEC,
	VALE_L3_STATS_FORWARDED_V4,	/* IPv4 packets routed */
	VALE_L3_STATS_FORWARDED_V6,	/* IPv6 packets routed */
	VALE_L3_STATS_ARP_REPLIES,	/* ARP requests for a router address answered */
	VALE_L3_STATS_ND_REPLIES,	/* neighbour solicitations answered */
	VALE_L3_STATS_DROP_NOT_IP,	/* neither IPv4, IPv6 nor ARP */
	VALE_L3_STATS_DROP_TRUNCATED,	/* shorter than its headers or IP length */
	VALE_L3_STATS_DROP_MALFORMED,	/* bad version, header or total length, ARP or ND fields */
	VALE_L3_STATS_DROP_CHECKSUM,	/* bad IPv4 header or ICMPv6 checksum */
	VALE_L3_STATS_DROP_TTL,		/* TTL or hop limit <= 1 */
	VALE_L3_STATS_DROP_NO_ROUTE,	/* no route to the destination */
	VALE_L3_STATS_DROP_NO_NEIGH,	/* the next hop has no (static) neighbour */
	VALE_L3_STATS_DROP_NOT_ROUTER,	/* not a router port, or not to its MAC */
	VALE_L3_STATS_DROP_LOCAL,	/* to a router address (no local stack) */
	VALE_L3_STATS_DROP_ADDR,	/* multicast, broadcast, loopback, link-local... */
	VALE_L3_STATS_DROP_ARP,		/* ARP other than a request for a port's address */
	VALE_L3_STATS_DROP_ND,		/* ICMPv6 ND other than a solicitation answered */
	VALE_L3_STATS_DROP_PORT_DOWN,	/* the route's port has no router MAC */
	VALE_L3_STATS_PAD,
	__VALE_L3_STATS_MAX,
};
#define VALE_L3_STATS_MAX (__VALE_L3_STATS_MAX - 1)

/*
 * The OpenFlow-like flow table's configuration (LOOKUP_CONFIG of module
 * "of", lookup-modules/ofswitch/). One operation per request,
 * VALE_OF_ATTR_OP, with the attributes it requires (R) and accepts (A);
 * any other is rejected. Numbers are in host order, addresses in network
 * order; ports are numbers on the switch (VALE_ATTR_PORT_INDEX).
 *
 * VALE_OF_OP_FLOW_ADD   R: MATCH  A: PRIORITY, IDLE_TIMEOUT, HARD_TIMEOUT,
 *	COOKIE, ACTIONS. A flow; one with the same match and priority is
 *	replaced (actions, timeouts, counters reset). No ACTIONS: drop.
 *	ENOSPC when the table holds 2^20 flows.
 * VALE_OF_OP_FLOW_MOD   R: MATCH  A: PRIORITY, STRICT, COOKIE, ACTIONS
 *	New actions (and cookie) for the flows MATCH covers (every flow
 *	whose match is MATCH or narrower), or with STRICT the one flow
 *	with that match and priority; counters and timeouts stay. ENOENT
 *	if none.
 * VALE_OF_OP_FLOW_DEL   A: MATCH, PRIORITY, STRICT
 *	Delete the flows MATCH covers (no MATCH: all), or with STRICT the
 *	one with that match and priority (ENOENT if none).
 * VALE_OF_OP_MISS_SET   A: ACTIONS. The table-miss rule's actions
 *	(below every flow; the default, and no ACTIONS, is drop).
 * VALE_OF_OP_CONTROLLER_SET  R: CONTROLLER. The port that OUTPUT
 *	CONTROLLER sends to (VALE_DROP, 255: none, the default).
 * VALE_OF_OP_EMC_SET    R: EMC. Turn the exact-match cache on (1) or off.
 * VALE_OF_OP_TABLE      In dumps only: CONTROLLER, EMC, ACTIONS (of the
 *	miss rule), STATS (FLOWS, and the miss rule's PACKETS, BYTES).
 * VALE_OF_OP_FLOW       In dumps only: MATCH, PRIORITY, IDLE_TIMEOUT,
 *	HARD_TIMEOUT, COOKIE, ACTIONS, STATS (PACKETS, BYTES, DURATION,
 *	IDLE_AGE).
 *
 * Flows whose idle or hard timeout passed stop matching and leave dumps
 * at once; the table reclaims them within a second (a periodic tick, with
 * or without traffic), and the table's FLOWS counts them until then.
 */
enum vale_of_op {
	VALE_OF_OP_UNSPEC,
	VALE_OF_OP_FLOW_ADD,
	VALE_OF_OP_FLOW_MOD,
	VALE_OF_OP_FLOW_DEL,
	VALE_OF_OP_MISS_SET,
	VALE_OF_OP_CONTROLLER_SET,
	VALE_OF_OP_EMC_SET,
	VALE_OF_OP_TABLE,
	VALE_OF_OP_FLOW,
	__VALE_OF_OP_MAX,
};
#define VALE_OF_OP_MAX (__VALE_OF_OP_MAX - 1)

enum vale_of_attr {
	VALE_OF_ATTR_UNSPEC,
	VALE_OF_ATTR_OP,		/* u32: enum vale_of_op */
	VALE_OF_ATTR_MATCH,		/* nested: enum vale_of_match */
	VALE_OF_ATTR_PRIORITY,		/* u32: 0 .. 65535, default 0x8000 */
	VALE_OF_ATTR_IDLE_TIMEOUT,	/* u32: seconds, 0: none */
	VALE_OF_ATTR_HARD_TIMEOUT,	/* u32: seconds, 0: none */
	VALE_OF_ATTR_COOKIE,		/* u64: the controller's, opaque */
	VALE_OF_ATTR_ACTIONS,		/* nested: enum vale_of_action, in order */
	VALE_OF_ATTR_STRICT,		/* flag */
	VALE_OF_ATTR_CONTROLLER,	/* u32: port, or 255: none */
	VALE_OF_ATTR_EMC,		/* u8: 0 or 1 */
	VALE_OF_ATTR_STATS,		/* nested: enum vale_of_stats (dumps) */
	VALE_OF_ATTR_PAD,
	__VALE_OF_ATTR_MAX,
};
#define VALE_OF_ATTR_MAX (__VALE_OF_ATTR_MAX - 1)

/*
 * A match: the fields present must be equal; absent ones are wildcards.
 * IP fields need ETH_TYPE 0x0800 or 0x86dd (IPv4 addresses are 4 bytes,
 * IPv6 16), ports need IP_PROTO 6, 17, 132 (the ports), 1 or 58 (ICMP
 * type and code). Bits of an address past its prefix length must be 0.
 */
enum vale_of_match {
	VALE_OF_MATCH_UNSPEC,
	VALE_OF_MATCH_IN_PORT,		/* u32: 0 .. 253 */
	VALE_OF_MATCH_ETH_SRC,		/* binary, 6 bytes */
	VALE_OF_MATCH_ETH_DST,		/* binary, 6 bytes */
	VALE_OF_MATCH_ETH_TYPE,		/* u16: after the VLAN tags */
	VALE_OF_MATCH_VLAN_VID,		/* u16: 0 .. 4095, or 0xffff: untagged */
	VALE_OF_MATCH_IP_PROTO,		/* u8 */
	VALE_OF_MATCH_IP_SRC,		/* binary, 4 or 16 bytes */
	VALE_OF_MATCH_IP_SRC_LEN,	/* u8: prefix length, default all */
	VALE_OF_MATCH_IP_DST,		/* binary, 4 or 16 bytes */
	VALE_OF_MATCH_IP_DST_LEN,	/* u8 */
	VALE_OF_MATCH_TP_SRC,		/* u16 */
	VALE_OF_MATCH_TP_DST,		/* u16 */
	__VALE_OF_MATCH_MAX,
};
#define VALE_OF_MATCH_MAX (__VALE_OF_MATCH_MAX - 1)

#define VALE_OF_VLAN_NONE	0xffff

/*
 * Actions, run in the order given (at most 16): rewrites, then at most
 * one of OUTPUT, FLOOD, DROP, last; CONTROLLER only alone (the packet
 * goes to the controller port unchanged, as a packet-in). No final one:
 * drop. At most 2 PUSH_VLAN. SET_VLAN_VID on an untagged frame does
 * nothing; POP_VLAN likewise.
 */
enum vale_of_action {
	VALE_OF_ACTION_UNSPEC,
	VALE_OF_ACTION_OUTPUT,		/* u32: port */
	VALE_OF_ACTION_FLOOD,		/* flag: every port but the input */
	VALE_OF_ACTION_DROP,		/* flag */
	VALE_OF_ACTION_CONTROLLER,	/* flag */
	VALE_OF_ACTION_PUSH_VLAN,	/* u16: VID of a new outer 802.1Q tag */
	VALE_OF_ACTION_POP_VLAN,	/* flag */
	VALE_OF_ACTION_SET_VLAN_VID,	/* u16: 0 .. 4095 */
	VALE_OF_ACTION_SET_ETH_SRC,	/* binary, 6 bytes */
	VALE_OF_ACTION_SET_ETH_DST,	/* binary, 6 bytes */
	__VALE_OF_ACTION_MAX,
};
#define VALE_OF_ACTION_MAX (__VALE_OF_ACTION_MAX - 1)

/* Counters in dumps, all u64 but FLOWS (u32). */
enum vale_of_stats {
	VALE_OF_STATS_UNSPEC,
	VALE_OF_STATS_PACKETS,
	VALE_OF_STATS_BYTES,
	VALE_OF_STATS_DURATION,		/* seconds since added */
	VALE_OF_STATS_IDLE_AGE,		/* seconds since last matched */
	VALE_OF_STATS_FLOWS,		/* u32: flows in the table */
	VALE_OF_STATS_PAD,
	__VALE_OF_STATS_MAX,
};
#define VALE_OF_STATS_MAX (__VALE_OF_STATS_MAX - 1)

#endif /* _UAPI_LINUX_VALE_H */
