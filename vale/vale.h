/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VALE switch core: switches, their ports, and the forwarding engine.
 * OS-independent (see os.h); the kernel glue in kmod/vale_port.c ties a
 * port to netmap krings and memory, the user-space tests and benchmark tie
 * it to rings they allocate themselves.
 *
 * DOC: Locking
 *  - vale_core_lock (mutex, switch.c) guards the table of switches, the
 *    registry of lookup modules, and every switch's ports and module:
 *    attach, detach, module changes. Callers may hold nm_lock outside it.
 *  - The forwarding path takes no mutex: it reads the switch's port table
 *    and lookup instance inside vale_read_lock() (RCU in the kernel); the
 *    control path unpublishes, calls vale_synchronize(), then frees.
 *  - vale_rx_ring.lock (spinlock) guards a destination ring's lease state
 *    (hwlease, the finished-lease table, the rx counters) for the short
 *    time a sender reserves or publishes slots; copies run outside it.
 *  - A destination ring's hwcur is written only by its owner (rxsync) and
 *    its hwtail only under its lock, each with a release store.
 *  - A tx ring is forwarded by one thread at a time (the caller's sync
 *    lock): its scratch space and counters have a single writer.
 */
#ifndef _VALE_VALE_H
#define _VALE_VALE_H

#include "os.h"

#include <net/netmap.h>
#include <uapi/linux/vale.h>	/* VALE_NAME_MAX, the same as NETMAP_REQ_IFNAMSIZ */
#include <vale/lookup.h>

#define VALE_MAX_SWITCHES	64
#define VALE_BATCH		1024	/* slots per forwarding pass */
#define VALE_HDR_BATCH		64	/* the same, for modules with hdr_copy */
#define VALE_NOSLOT		0xffffffffu
#define VALE_CACHELINE		64

/* A ring the switch fills: one rx ring of a port. */
struct vale_rx_ring {
	struct netmap_ring *ring;
	u32 num_slots;
	/* Written by the owner (rxsync) only: first slot not released. */
	u32 hwcur;
	void (*notify)(void *arg);	/* wake the owner: new packets */
	void *notify_arg;

	/* Senders' side, under lock. */
	vale_spinlock_t lock __attribute__((aligned(VALE_CACHELINE)));
	u32 hwlease;		/* next slot to lease */
	u32 hwtail;		/* published up to here (release store) */
	u32 *lease_end;		/* [start of a finished lease] = its end */
	u64 rx_pkts, rx_bytes;	/* delivered into this ring */
	u64 drop_full;		/* packets that found no room */
	u64 drop_bad_buf;	/* slots whose buffer index was bad */
};

/* A ring the switch drains: one tx ring of a port, and its counters. */
struct vale_tx_ring {
	struct netmap_ring *ring;
	u32 num_slots;
	u64 pkts, bytes;	/* taken from the ring and looked up */
	u64 drop_lookup;	/* VALE_DROP, or no such port */
	u64 drop_bad;		/* bad buffer index, length or fragments */
	struct vale_fwd_scratch *scratch;
} __attribute__((aligned(VALE_CACHELINE)));

struct vale_switch;

struct vale_port {
	char name[VALE_NAME_MAX];
	struct vale_switch __vale_rcu *sw;	/* NULL while not attached */
	u16 index;
	u16 num_tx_rings, num_rx_rings;
	struct vale_rx_ring *rx;
	struct vale_tx_ring *tx;
	/* The port's buffers (its own memory region). */
	u8 *buf_base;
	u32 buf_size;
	u32 buf_count;
	u32 vnet_hdr_len;		/* virtio-net header before each frame */
	void *owner;			/* whoever made the port */
};

struct vale_port_stats {
	u64 tx_pkts, tx_bytes, rx_pkts, rx_bytes;
	u64 drop_lookup, drop_bad, drop_full, drop_bad_buf;
};

/* The module a switch uses and its per-switch state. */
struct vale_lookup_inst {
	const struct vale_lookup_ops *ops;
	void *priv;
	u64 serial;	/* unique per instance: whose a sender's module memory is */
};

struct vale_switch {
	char name[VALE_NAME_MAX];
	/*
	 * The namespace the switch lives in, opaque to the core (the kernel:
	 * its struct net; NULL in user space). A name is looked up within
	 * one namespace: two namespaces may each have their own "vale0".
	 */
	void *ns;

	u16 index;			/* in the table of switches */
	u16 nports;
	/* One past the highest index in use: what a broadcast scans. */
	u16 port_limit;
	bool persistent;		/* stays when its last port leaves */
	struct vale_port __vale_rcu *ports[VALE_MAX_PORTS];
	struct vale_lookup_inst __vale_rcu *lookup;
};

/* ------------------------------------------------------------ switch.c */

/*
 * Changes the control plane announces (kernel: the netlink events group).
 * The hook, if set, is called with the core lock held, after a switch or
 * port appears and before it goes, whoever made the change (netlink, the
 * netmap ioctls, an ephemeral port's last close).
 */
enum vale_event {
	VALE_EV_SWITCH_NEW,
	VALE_EV_SWITCH_DEL,
	VALE_EV_PORT_ATTACH,
	VALE_EV_PORT_DETACH,
};
extern void (*vale_event_hook)(struct vale_switch *sw, struct vale_port *vp,
			       enum vale_event ev);

int vale_core_init(void);
void vale_core_exit(void);
extern vale_mutex_t vale_lock;
void vale_core_lock(void);
void vale_core_unlock(void);

bool vale_switch_name(const char *name);
bool vale_switch_name_valid(const char *name);
int vale_split_name(const char *name, char *sw, char *port);
struct vale_switch *vale_switch_find(const void *ns, const char *name);
struct vale_switch *vale_switch_at(u32 index);
int vale_switch_new(void *ns, const char *name, bool persistent, const char *lookup,
		    struct vale_switch **swp);
int vale_switch_create(const char *name, struct vale_switch **swp);
void vale_switch_put_if_unused(struct vale_switch *sw);
struct vale_port *vale_switch_port(struct vale_switch *sw, const char *name);

struct vale_port *vale_port_alloc(const char *name, u16 num_tx, u32 tx_slots,
				  u16 num_rx, u32 rx_slots);
void vale_port_free(struct vale_port *port);
int vale_port_attach(struct vale_switch *sw, struct vale_port *port);
void vale_port_detach(struct vale_port *port);
/* A group that comes and goes as one (a NIC and its host stack). */
int vale_ports_attach(struct vale_switch *sw, struct vale_port *const *ports, u32 n);
void vale_ports_detach(struct vale_port *const *ports, u32 n);
void vale_port_stats(const struct vale_port *port, struct vale_port_stats *st);
void vale_rx_ring_init(struct vale_rx_ring *rx, struct netmap_ring *ring, u32 num_slots);

/* ------------------------------------------------------------ lookup.c */

int vale_lookup_request(const char *name);
int vale_switch_set_lookup(struct vale_switch *sw, const char *name);
void vale_lookup_inst_free(struct vale_lookup_inst *inst);
#define VALE_MAX_LOOKUPS	32	/* modules registered at once */
struct vale_lookup_ops *vale_lookup_at(u32 index);
struct vale_lookup_ops *vale_lookup_get(const char *name);
/*
 * The module every new switch gets unless told otherwise, linked into
 * the core by the build (the learning bridge): the core itself names no
 * module.
 */
extern struct vale_lookup_ops *const vale_builtin_lookup;

/* ----------------------------------------------------- lookup_schema.c */
int vale_schema_check(const struct vale_lookup_ops *ops);
int vale_schema_check_value(const struct vale_lookup_attr *a, const void *data, u32 len,
			    const char **why);
const struct vale_lookup_attr *vale_schema_attr(const struct vale_lookup_ops *ops, u32 id);
u32 vale_schema_max_id(const struct vale_lookup_ops *ops);
const struct vale_lookup_table *vale_schema_table(const struct vale_lookup_ops *ops,
						  const char *name);

/* ----------------------------------------------------------- forward.c */

u32 vale_forward(struct vale_port *src, u16 ring, u32 cur, u32 head);
int vale_tx_scratch_alloc(struct vale_tx_ring *tx);
void vale_tx_scratch_free(struct vale_tx_ring *tx);

static inline u32 vale_next(u32 i, u32 n)
{
	return unlikely(i + 1 == n) ? 0 : i + 1;
}

static inline u32 vale_prev(u32 i, u32 n)
{
	return unlikely(i == 0) ? n - 1 : i - 1;
}

static inline u32 vale_dist(u32 a, u32 b, u32 n)
{
	return b >= a ? b - a : b + n - a;
}

static inline u8 *vale_port_buf(const struct vale_port *port, u32 idx)
{
	if (unlikely(idx < 2 || idx >= port->buf_count))
		return NULL;
	return port->buf_base + (u64)idx * port->buf_size;
}

#endif /* _VALE_VALE_H */
