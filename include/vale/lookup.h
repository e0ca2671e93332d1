/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lookup module API of the VALE switch.
 *
 * A switch moves packets in batches; for each packet it asks its lookup
 * module where the packet goes: to one port, to every port but the sender
 * (VALE_BROADCAST), or nowhere (VALE_DROP). The module owns the forwarding
 * logic (a learning bridge, a router, a flow table) and keeps its state per
 * switch; the core owns rings, copies, locking and counters.
 *
 * Writing a module:
 *
 *	static struct vale_lookup_ops hello_ops = {
 *		.name = "hello",
 *		.owner = THIS_MODULE,
 *		.create = hello_create,		// per-switch state
 *		.destroy = hello_destroy,
 *		.lookup = hello_lookup,		// the hot path
 *	};
 *	module_init: return vale_lookup_register(&hello_ops);
 *	module_exit: vale_lookup_unregister(&hello_ops);
 *	MODULE_ALIAS("vale-lookup-hello");
 *
 * A switch is given a module by name; if none of that name is registered,
 * the core asks for "vale-lookup-<name>" with request_module(), hence the
 * alias. The learning bridge, "learn", is built into the core and is every
 * new switch's module.
 *
 * Lifetime: a switch holds a reference on the module it uses (the module's
 * .owner), so rmmod of a module in use fails with EBUSY until every switch
 * using it has been given another module or destroyed. Swapping the module
 * of a switch is safe under traffic: batches that started with the old
 * module finish with it before its state is destroyed.
 *
 * Calling context: .lookup runs in the sender's context (a txsync, in
 * process context in the kernel) with preemption possibly disabled and
 * inside the switch's read-side critical section: it must not sleep, and
 * it may run on several CPUs at once for one switch (one per sending
 * ring). The other callbacks run in process context under the switch's
 * control lock, never concurrently with each other for one switch, but
 * concurrently with .lookup: state that .lookup reads must be updated with
 * that in mind (RCU, or word-sized atomic stores).
 *
 * Control: a module declares the attributes it takes and reports, and
 * its tables (.attrs, .tables); the core checks each request against the
 * declaration of the module the switch runs at that moment, and refuses
 * a request meant for another module, before .config sees it.
 *
 * The same code builds in user space against the core's user-space build
 * (see docs/writing-a-lookup-module.md), where THIS_MODULE is NULL.
 */
#ifndef _VALE_LOOKUP_H
#define _VALE_LOOKUP_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif
#include <uapi/linux/vale.h>	/* enum vale_value_type, VALE_SCHEMA_F_* */

/* Ports of one switch are numbered 0 .. VALE_MAX_PORTS - 1. */
#define VALE_MAX_PORTS		254
/* Special destinations returned by .lookup. */
#define VALE_BROADCAST		254	/* every port but the input port */
#define VALE_DROP		255	/* nowhere (counted as a lookup drop) */
/*
 * Or'ed into a port number: deliver even if it is the input port (a
 * router answering ARP or routing back out the port a packet came in
 * on). Without it the core drops a packet sent back to its input port,
 * as a bridge must. Broadcast never goes back to the input port.
 */
#define VALE_HAIRPIN		0x100
/* pkt->dst_ring when the module does not choose the destination ring. */
#define VALE_RING_ANY		0xffff
/* The largest header copy a module may ask for (hdr_copy below). */
#define VALE_HDR_MAX		192
/* The most memory of its own a module may have per sender (sender_mem below). */
#define VALE_SENDER_MEM_MAX	16384

struct module;
struct nlattr;
struct netlink_ext_ack;
struct sk_buff;

/*
 * One packet, as .lookup sees it. 'data' points at the first bytes of the
 * packet: either into the sender's buffer (read-only, and the sender may
 * change it at any time, so a module that bases a policy on it must use
 * hdr_copy), or, when the module set hdr_copy, into a private copy of the
 * first min(len, hdr_copy) bytes that the module may rewrite and resize:
 * the core delivers data[0 .. hdr_len) followed by the rest of the packet
 * after the original copied bytes. Everything is bounded by len: a module
 * must check lengths before it reads a header.
 */
struct vale_pkt {
	uint8_t *data;		/* first bytes of the packet (see above) */
	uint16_t len;		/* bytes at data (first fragment or copy) */
	uint16_t hdr_len;	/* with hdr_copy: bytes of data to deliver */
	uint32_t total_len;	/* the whole packet, all fragments */
	uint16_t src_port;	/* input port */
	uint16_t src_ring;	/* input ring */
	uint16_t dst_ring;	/* out: destination ring, or VALE_RING_ANY */
	uint16_t frags;		/* slots of the packet (NS_MOREFRAG) */
};

struct vale_lookup_ops {
	const char *name;	/* what users set on a switch */
	struct module *owner;	/* THIS_MODULE */
	/*
	 * Bytes of each packet's head to copy into private, writable
	 * memory before .lookup (0: look at the sender's buffer, no rewrite).
	 */
	uint32_t hdr_copy;

	/* Make the state of one switch (*priv); 0 or -errno. */
	int (*create)(void **priv, const char *switch_name);
	/* Free it; no lookup is running any more. */
	void (*destroy)(void *priv);
	/* A port joins or leaves the switch (optional). */
	int (*port_attach)(void *priv, uint16_t port);
	void (*port_detach)(void *priv, uint16_t port);
	/* The hot path: VALE_BROADCAST, VALE_DROP or a port (| VALE_HAIRPIN). */
	uint32_t (*lookup)(void *priv, struct vale_pkt *pkt);
	/*
	 * Optional: the same for a batch of n packets, answers in dst[].
	 * The core calls it instead of .lookup when it is set, once per
	 * batch, so that a module can keep what consecutive packets share
	 * (the learning bridge skips relearning a source it just saw).
	 */
	void (*lookup_batch)(void *priv, struct vale_pkt *pkts, uint32_t *dst, uint32_t n);
	/*
	 * Optional, preferred to .lookup_batch: the same with 'mem',
	 * sender_mem bytes (8-byte aligned, at most VALE_SENDER_MEM_MAX)
	 * that belong to the sending ring and are kept from one of its
	 * batches to the next, for what a module remembers per sender
	 * without a lock (the learning bridge: its recent answers, which a
	 * batch-sized memo on the stack cannot hold for hundreds of
	 * destinations). Zeroed before the first batch of each sending ring
	 * with each instance of the module (a switch given another module,
	 * a port on another switch); one batch at a time uses it. What it
	 * holds must be checked against the module's state, which other
	 * CPUs change meanwhile.
	 */
	uint32_t sender_mem;
	void (*lookup_batch_mem)(void *priv, void *mem, struct vale_pkt *pkts, uint32_t *dst,
				 uint32_t n);
	/*
	 * The module's control channel (optional): every attribute it takes
	 * in a configuration request or reports in replies and dumps,
	 * declared once (see struct vale_lookup_attr), and the tables it
	 * dumps. Tools read the declaration (VALE_CMD_LOOKUP_SCHEMA) and need
	 * no code of their own to configure, show and dump the module.
	 */
	const struct vale_lookup_attr *attrs;	/* ends with a { } entry */
	const struct vale_lookup_table *tables;	/* ends with a { } entry */
	/*
	 * Optional, kernel only: a configuration request
	 * (VALE_CMD_LOOKUP_CONFIG) meant for this module. The core has
	 * checked every attribute against .attrs (declared, type, length,
	 * range, not dump-only) and indexed them: tb[id] is the attribute
	 * of that id or NULL, for id up to the highest declared. The module
	 * checks what they mean together (report through extack, pointing
	 * at the attribute at fault). Runs in process context under the
	 * switch's control lock, concurrently with .lookup.
	 */
	int (*config)(void *priv, const struct nlattr *const *tb, struct netlink_ext_ack *extack);
	/*
	 * Optional, kernel only: the module's settings (the attributes
	 * declared VALE_SCHEMA_F_SETTING), for SWITCH_GET replies and
	 * switch events (as an Open vSwitch vport's get_options). The core
	 * opens a nested VALE_ATTR_LOOKUP_CONFIG in skb; get_config puts
	 * every setting in it, so that what it reports can be sent back as
	 * it is. Returns 0, or -EMSGSIZE when they do not fit. Runs under
	 * the switch's control lock, like .config.
	 */
	int (*get_config)(void *priv, struct sk_buff *skb);
};

/*
 * One attribute of a module's LOOKUP_CONFIG nest: in requests, in
 * get_config's settings, in table rows. Types and flags are those of
 * include/uapi/linux/vale.h (enum vale_value_type, VALE_SCHEMA_F_*).
 * Integers (and PORT) must lie in min .. max, unless both are 0 (the
 * type's whole range); STRING holds at most max bytes (0: 255); BINARY
 * is min .. max bytes long. 'values' optionally names the values of an
 * integer from 0 up (an operation code, say), ending with NULL: tools
 * take and show those names.
 *
 *	static const struct vale_lookup_attr hello_attrs[] = {
 *		{ .id = HELLO_MASK, .name = "mask", .type = VALE_TYPE_U32,
 *		  .flags = VALE_SCHEMA_F_SETTING, .max = 255,
 *		  .doc = "ports that see broadcasts (bits)" },
 *		{ }
 *	};
 */
struct vale_lookup_attr {
	const char *name;
	uint16_t id;		/* 1 .. VALE_LOOKUP_ATTR_MAX, unique */
	uint16_t type;		/* enum vale_value_type */
	uint32_t flags;		/* VALE_SCHEMA_F_* */
	uint64_t min, max;
	const char *doc;
	const char *const *values;
};

#define VALE_LOOKUP_ATTR_MAX	255

/*
 * A table a module dumps (VALE_CMD_LOOKUP_DUMP), one row per message.
 * Kernel only: the core opens a message and a nested
 * VALE_ATTR_LOOKUP_CONFIG in skb; dump puts the attributes of the first
 * row at or after *pos (the module's cursor, 0 at the start), sets *pos
 * past it and returns 1; returns 0 when there is none left, -EMSGSIZE
 * (leaving *pos) when it does not fit. Runs under the switch's control
 * lock, like .config.
 */
struct vale_lookup_table {
	const char *name;
	const char *doc;
	int (*dump)(void *priv, struct sk_buff *skb, uint64_t *pos);
};

int vale_lookup_register(struct vale_lookup_ops *ops);
void vale_lookup_unregister(struct vale_lookup_ops *ops);

#endif /* _VALE_LOOKUP_H */
