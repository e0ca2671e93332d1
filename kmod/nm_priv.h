/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private interfaces between the files of the netmap device (kmod/).
 *
 * Objects, from the bottom up:
 *  - struct nm_mem: a memory region shared with user space (mem.c): three
 *    pools (netmap_if, netmap_ring, buffers) in one vmalloc_user() area,
 *    mapped whole by mmap() on /dev/netmap.
 *  - struct nm_kring: the kernel's view of one netmap_ring (ring.c): the
 *    validated copies of the user's head/cur and the kernel's hwcur/hwtail.
 *  - struct nm_port: a netmap port (port.c), with krings for each direction
 *    and ops for its kind (pipe.c; the switch and NICs add more kinds).
 *  - struct nm_priv: one open file of /dev/netmap (dev.c), bound to a port
 *    by NETMAP_REQ_REGISTER (register.c).
 *
 * DOC: Locking
 *  - nm_lock (mutex) serialises the control path: port lookup, creation and
 *    destruction, REGISTER and the release of a file. It is never taken on
 *    the datapath. rtnl, when needed (NIC ports, drivers/nic.c), is taken
 *    before it, never after.
 *  - nm_mem.lock (mutex) guards the pool bitmaps and the pools' lifetime.
 *  - nm_kring.sync_lock (mutex) serialises txsync/rxsync of one ring; a
 *    sync never holds two of them, so they have no order among themselves.
 *  - Lifetimes: a file holds a reference on its port while bound; a port
 *    holds a use of its memory region. Syncs run on a bound file, whose
 *    release cannot run concurrently, so they need no extra references.
 */
#ifndef _NM_PRIV_H
#define _NM_PRIV_H

#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/refcount.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <net/netmap.h>

#define NM_TX	0
#define NM_RX	1
#define NM_DIRS	2

/* ---------------------------------------------------------------- mem.c */

enum nm_pool_id { NM_POOL_IF, NM_POOL_RING, NM_POOL_BUF, NM_POOLS };

struct nm_pool {
	u32 objsize;		/* bytes per object */
	u32 objtotal;		/* objects in the pool */
	u64 offset;		/* of the pool from the start of the region */
	unsigned long *bitmap;	/* a set bit is a free object */
	u32 nfree;
	u32 hint;		/* where the next search for a free bit starts */
};

struct nm_kring;

struct nm_mem {
	u16 id;			/* nr_mem_id seen by user space */
	bool private_region;	/* NI_PRIV_MEM: one port only */
	struct mutex lock;
	unsigned int users;	/* ports and files using the pools */
	void *base;		/* vmalloc_user() area, NULL while unused */
	size_t size;
	struct nm_pool pools[NM_POOLS];
	struct list_head list;	/* in the list of all regions */
	/*
	 * Buffer ownership (DOC: Buffer ownership in ring.c), with the pools:
	 * where each buffer is (NM_LOC_*, 0 when free or reserved), and the
	 * kring of each ring object. buf_lock guards both and serialises the
	 * swaps between rings; each kring's arc_lock guards its user's arc
	 * (rhead, rtail) and the record of the slots on it.
	 */
	spinlock_t buf_lock;
	u32 *bufmap;
	struct nm_kring **ring_kring;
};

/*
 * A buffer's holder in nm_mem.bufmap: slot s of the ring object r, or the
 * extra buffers of the file whose netmap_if is object f of the if pool.
 */
#define NM_LOC_SLOT_BITS	12
#define NM_LOC_EXTRA		BIT(31)
#define NM_LOC_RING(r, s)	((((u32)(r) + 1) << NM_LOC_SLOT_BITS) | (s))
#define NM_LOC_FILE(f)		(NM_LOC_EXTRA | (u32)(f))
#define NM_LOC_MAX_RINGS	((NM_LOC_EXTRA >> NM_LOC_SLOT_BITS) - 1)

/*
 * The most slots a ring may have: a ring object is at most 64 KiB (the
 * largest object of a pool), and slot numbers fit NM_LOC_SLOT_BITS.
 */
#define NM_MAX_OBJSIZE		65536
#define NM_MAX_SLOTS		((NM_MAX_OBJSIZE - sizeof(struct netmap_ring)) / \
				 sizeof(struct netmap_slot))

extern struct nm_mem nm_global_mem;

int nm_mem_global_init(void);
void nm_mem_global_exit(void);
struct nm_mem *nm_mem_private_new(const u32 num[NM_POOLS], const u32 size[NM_POOLS]);
void nm_mem_private_free(struct nm_mem *mem);
u32 nm_mem_buf_size(void);
struct netlink_ext_ack;
int nm_mem_use(struct nm_mem *mem, struct netlink_ext_ack *extack);
void nm_mem_unuse(struct nm_mem *mem);
int nm_mem_obj_alloc(struct nm_mem *mem, enum nm_pool_id pool, u32 *idx);
void nm_mem_obj_free(struct nm_mem *mem, enum nm_pool_id pool, u32 idx);
int nm_mem_buf_alloc(struct nm_mem *mem, u32 loc, u32 *idx);
void nm_mem_buf_free(struct nm_mem *mem, u32 idx);
struct nm_mem *nm_mem_find(u16 id);
int nm_mem_mmap(struct nm_mem *mem, struct vm_area_struct *vma);
void nm_mem_fill_info(struct nm_mem *mem, struct nmreq_pools_info *info);

static inline void *nm_mem_obj(struct nm_mem *mem, enum nm_pool_id pool, u32 idx)
{
	const struct nm_pool *p = &mem->pools[pool];

	return mem->base + p->offset + (u64)idx * p->objsize;
}

static inline u64 nm_mem_obj_offset(struct nm_mem *mem, enum nm_pool_id pool, u32 idx)
{
	const struct nm_pool *p = &mem->pools[pool];

	return p->offset + (u64)idx * p->objsize;
}

/* Buffers 0 and 1 are reserved, as in netmap: neither is ever a packet. */
static inline bool nm_buf_idx_valid(const struct nm_mem *mem, u32 idx)
{
	return idx >= 2 && idx < mem->pools[NM_POOL_BUF].objtotal;
}

static inline void *nm_buf(struct nm_mem *mem, u32 idx)
{
	return nm_mem_obj(mem, NM_POOL_BUF, idx);
}

static inline u32 nm_buf_size(const struct nm_mem *mem)
{
	return mem->pools[NM_POOL_BUF].objsize;
}

/* --------------------------------------------------------------- ring.c */

struct nm_port;
struct seq_file;

struct nm_priv;

struct nm_kring {
	struct netmap_ring *ring;	/* in the port's region */
	u32 *bufs;			/* the slots' buffers: the kernel's record */
	struct nm_port *port;
	u32 ring_idx;			/* ring object in the ring pool */
	u32 num_slots;
	u16 id;				/* ring number within the port */
	u8 dir;				/* NM_TX or NM_RX */

	/* Kernel state, changed only with sync_lock held. */
	u32 nr_hwcur;			/* tx: next to send; rx: next to release */
	u32 nr_hwtail;			/* tx: first kernel-owned; rx: next to fill */
	u32 rhead, rcur, rtail;		/* validated copies of the user's view */

	struct mutex sync_lock;
	/*
	 * The user's arc [rhead, rtail) and bufs[] of its slots, against a
	 * swap by another file (which takes it under the region's buf_lock).
	 * The sync that owns the ring takes it alone, so the data path never
	 * waits on the region-wide lock.
	 */
	spinlock_t arc_lock;
	wait_queue_head_t wq;		/* poll() sleeps here */

	int users;			/* files bound to this ring (nm_lock) */
	bool exclusive;			/* bound with NR_EXCLUSIVE (nm_lock) */

	struct nm_kring *peer;		/* pipes: the other end's ring */
	/*
	 * Pipes: the ring whose slots are this ring's slots, in place (tx ring
	 * i of one end and rx ring i of the other). Slot k of both names one
	 * buffer, recorded once: in the tx ring's bufs[], which the rx ring
	 * borrows, and in bufmap as a slot of the tx ring's object.
	 */
	struct nm_kring *twin;

	u64 errors;			/* corrupt ring states seen */
	u64 bad_slots;			/* slots dropped for a bad index or length */
};

/* The kring whose ring object bufmap names for this kring's slots. */
static inline struct nm_kring *nm_kring_buf_owner(struct nm_kring *kring)
{
	return kring->twin && kring->dir == NM_RX ? kring->twin : kring;
}

int nm_ring_txsync_prologue(struct nm_kring *kring, struct nm_priv *priv);
int nm_ring_rxsync_prologue(struct nm_kring *kring, struct nm_priv *priv);
void nm_ring_reinit(struct nm_kring *kring);
void nm_ring_finalize(struct nm_kring *kring);

static inline u32 nm_next(u32 i, u32 n)
{
	return unlikely(i + 1 == n) ? 0 : i + 1;
}

static inline u32 nm_prev(u32 i, u32 n)
{
	return unlikely(i == 0) ? n - 1 : i - 1;
}

/* Slots from a to b going forward on a ring of n slots. */
static inline u32 nm_distance(u32 a, u32 b, u32 n)
{
	return b >= a ? b - a : b + n - a;
}

/* --------------------------------------------------------------- port.c */

struct nm_port_ops {
	/* Move packets; called with kring->sync_lock held. 0 or -errno. */
	int (*txsync)(struct nm_kring *kring);
	int (*rxsync)(struct nm_kring *kring);
	/* The last reference is gone: free the port (nm_lock held). */
	void (*dtor)(struct nm_port *port);
	/* Made and destroyed under rtnl, taken before nm_lock (NICs). */
	bool rtnl;
};

struct nm_port {
	char name[NETMAP_REQ_IFNAMSIZ];
	refcount_t ref;
	const struct nm_port_ops *ops;
	struct nm_mem *mem;
	u16 num_rings[NM_DIRS];		/* hardware (or pipe) rings */
	u16 num_host_rings[NM_DIRS];	/* host stack rings, after those */
	u32 num_slots[NM_DIRS];
	struct nm_kring *krings[NM_DIRS];
	int bound_files;		/* nm_lock */
	bool rx_slots_borrowed;		/* pipes: rx rings get their twin's */
};

extern struct mutex nm_lock;

int nm_port_init_rings(struct nm_port *port);
void nm_port_free_rings(struct nm_port *port);
int nm_kring_share_slots(struct nm_kring *tx, struct nm_kring *rx);
void nm_port_get(struct nm_port *port);
void nm_port_put(struct nm_port *port);

static inline u32 nm_port_all_rings(const struct nm_port *port, int dir)
{
	return port->num_rings[dir] + port->num_host_rings[dir];
}

/* --------------------------------------------------------------- pipe.c */

/* Port name syntax: NAME{ID (master end) and NAME}ID (slave end). */
struct net;
struct nm_priv;

bool nm_pipe_name(const char *name);
int nm_pipe_get(struct net *net, const char *name, const struct nmreq_register *req,
		struct nm_port **portp);
int nm_pipe_info(struct net *net, const char *name, struct nmreq_port_info_get *info);
void nm_pipe_exit(void);

/* ----------------------------------------------------------- vale_port.c */

int nm_vale_get(struct net *net, const char *name, const struct nmreq_register *req,
		struct nm_port **portp);
int nm_vale_list(struct net *net, char *name, struct nmreq_vale_list *req);
int nm_vale_port_hdr(const struct nm_priv *priv, const char *name, struct nmreq_port_hdr *req,
		     bool set);
int nm_vale_port_info(struct net *net, const char *name, struct nmreq_port_info_get *info);
void nm_vale_net_exit(struct net *net);
int nm_vale_init(void);
void nm_vale_exit(void);

/* ------------------------------------------------------------ vale_vi.c */

/*
 * Names are looked up, and interfaces made, in network namespace net
 * (a file's, or a netlink request's): see "DOC: Network namespaces".
 */
int nm_vi_get(struct net *net, const char *name, struct nm_port **portp);
bool nm_vi_exists(struct net *net, const char *name);
int nm_vi_create(struct net *net, const char *name, const struct nmreq_vale_newif *req,
		 struct netlink_ext_ack *extack);
int nm_vi_delete(struct net *net, const char *name);
struct netlink_ext_ack;
/* Why it failed goes to extack when there is one (genl), else nowhere. */
int nm_vale_attach(struct net *net, const char *name, struct nmreq_vale_attach *req,
		   struct netlink_ext_ack *extack);
int nm_vale_detach(struct net *net, const char *name, struct nmreq_vale_detach *req);
void nm_vi_net_exit(struct net *net);
void nm_vi_exit(void);

/* ------------------------------------------------ drivers/nic*.c (NICs) */

struct nm_nic;

/* These three: called with rtnl, then nm_lock, held. */
int nm_nic_get(const struct nm_priv *priv, const char *name, const struct nmreq_register *req,
	       struct nm_port **portp);
int nm_nic_attach(struct net *net, const char *swname, const char *ifname,
		  struct nmreq_vale_attach *req, struct netlink_ext_ack *extack);
void nm_nic_detach(struct nm_nic *nic);
struct nm_vale_port;
/* The VALE_PORT_* kind of a NIC's switch port; nm_lock held. */
u32 nm_nic_port_kind(const struct nm_vale_port *vpp, bool *with_host);
/* Takes rtnl and nm_lock. */
int nm_nic_info(struct net *net, const char *name, struct nmreq_port_info_get *info);
/* Namespace net goes: its NICs leave their switches. rtnl and nm_lock held. */
void nm_nic_net_exit(struct net *net);
int nm_nic_init(void);
void nm_nic_exit(void);

/* --------------------------------------------------------------- genl.c */

int vale_genl_init(void);
void vale_genl_exit(void);
void vale_genl_announce_if(struct net *net, const char *name, bool created);

/* ---------------------------------------------------- register.c, dev.c */

struct nm_priv {
	struct file *file;
	/*
	 * The network namespace of the process that opened the file, held
	 * while it is open, as a socket holds its own: every request on the
	 * file acts there, whoever sends it.
	 */
	struct net *net;
	struct nm_port *port;		/* bound port, NULL before REGISTER */
	bool registered;		/* port and rings ready (release/acquire) */
	u16 first[NM_DIRS], last[NM_DIRS];	/* bound krings [first, last) */
	u32 if_idx;			/* our netmap_if in the if pool */
	u32 extra_bufs;			/* granted with nr_extra_bufs */
	u64 flags;			/* NR_* of the registration */
};

int nm_port_lookup(const struct nm_priv *priv, const char *name,
		   const struct nmreq_register *req, struct nm_port **portp);
bool nm_port_name_needs_rtnl(const char *name);
int nm_register(struct nm_priv *priv, const char *name, struct nmreq_register *req);
void nm_unregister(struct nm_priv *priv);
int nm_sync(struct nm_priv *priv, int dir);
__poll_t nm_poll_rings(struct nm_priv *priv, struct file *file, poll_table *wait,
		       __poll_t events);

/* ---------------------------------------------------------------- ctrl.c */

long nm_ctrl(struct nm_priv *priv, struct nmreq_header __user *uhdr);
int nm_name_check(const char *name);
int nm_legacy_pipe_name(char *name, struct nmreq_register *req);
int nm_port_info(struct net *net, const char *name, struct nmreq_port_info_get *info);

/* -------------------------------------------------------------- legacy.c */

struct nmreq;
long nm_legacy_ioctl(struct nm_priv *priv, unsigned int cmd, struct nmreq __user *ureq);

/* dev.c */
bool nm_priv_admin(const struct nm_priv *priv);
int nm_dev_init(void);
void nm_dev_exit(void);
int nm_net_init(void);
void nm_net_exit(void);
void nm_debugfs_init(void);
void nm_debugfs_exit(void);
void nm_mem_show_all(struct seq_file *m);

#endif /* _NM_PRIV_H */
