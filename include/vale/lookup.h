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
	 * Optional, kernel only: a configuration request from the control
	 * plane (VALE_CMD_LOOKUP_CONFIG). attr is the nested
	 * VALE_ATTR_LOOKUP_CONFIG; parse it with the module's own strict
	 * policy and report errors through extack. Runs in process context
	 * under the switch's control lock, concurrently with .lookup.
	 */
	int (*config)(void *priv, const struct nlattr *attr, struct netlink_ext_ack *extack);
	/*
	 * Optional, kernel only: one object of the module's state for a
	 * dump (VALE_CMD_LOOKUP_DUMP). The core opens a message and a
	 * nested VALE_ATTR_LOOKUP_CONFIG in skb; dump puts the attributes
	 * of the first object at or after *pos (the module's cursor, 0 at
	 * the start), sets *pos past it and returns 1; returns 0 when
	 * there is none left, -EMSGSIZE (leaving *pos) when it does not
	 * fit. Runs under the switch's control lock, like .config.
	 */
	int (*dump)(void *priv, struct sk_buff *skb, uint64_t *pos);
	/*
	 * Optional, kernel only: the module's settings, for SWITCH_GET
	 * replies and switch events (as an Open vSwitch vport's
	 * get_options). The core opens a nested VALE_ATTR_LOOKUP_CONFIG
	 * in skb; get_config puts every setting in it, in the attributes
	 * .config takes, so that what it reports can be sent back as it
	 * is. Returns 0, or -EMSGSIZE when they do not fit. Runs under
	 * the switch's control lock, like .config.
	 */
	int (*get_config)(void *priv, struct sk_buff *skb);
};

int vale_lookup_register(struct vale_lookup_ops *ops);
void vale_lookup_unregister(struct vale_lookup_ops *ops);

#endif /* _VALE_LOOKUP_H */
