// SPDX-License-Identifier: GPL-2.0
/*
 * Netmap pipes: two ports, NAME{ID (the master end) and NAME}ID (the slave
 * end), whose tx ring i feeds the other end's rx ring i. The two rings are
 * one set of slots seen from both sides, as in netmap: slot k of the tx
 * ring and slot k of the rx ring name the same buffer, which belongs to
 * the sender until it sends it, then to the receiver until it releases it.
 * No byte is copied, and the sender finds each buffer again where it left
 * it, so a program that writes a frame once per buffer (NS_BUF_CHANGED
 * unset) does not write it again.
 *
 * The pair is created when either end is first opened, with the geometry
 * that open asks for, and destroyed when neither end is referenced any
 * more. Each end's rings live as long as the pair, so the sync of one end
 * can always reach the other end's rings, open or not.
 *
 * A txsync of ring i of one end is the only writer of the peer rx ring's
 * hwtail and of its free slots; the rxsync of the peer is the only writer
 * of its hwcur. Each side publishes with a release store and reads the
 * other's index with an acquire load, so the two run without a shared lock.
 * The slots' record (bufs[]) is the tx ring's, borrowed by the rx ring: a
 * sync only reads the record of slots its own side owns, and the user
 * swaps that change it (nm_ring_commit) are of user-owned slots.
 *
 * A pipe belongs to the network namespace of the file that made it: a
 * name is looked up in the opener's namespace only, so two namespaces may
 * each have an "x{1" of their own. Every file holds its namespace, so a
 * pipe never outlives the namespace it names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/vale.h>

#include "nm_priv.h"

#define NM_PIPE_DEF_SLOTS	1024

struct nm_pipe_end {
	struct nm_port port;
	struct nm_pipe *pipe;
	bool alive;		/* holds a reference; nm_lock */
};

struct nm_pipe {
	struct list_head list;		/* nm_pipes, nm_lock */
	const struct net *net;		/* its namespace, for lookups only */
	char key[NETMAP_REQ_IFNAMSIZ];	/* NAME{ID: both ends map to it */
	struct nm_pipe_end end[2];	/* master, slave */
	int alive_ends;
};

static LIST_HEAD(nm_pipes);

/* Split NAME{ID / NAME}ID. Returns the end (0 master, 1 slave) or -EINVAL. */
static int nm_pipe_parse(const char *name, char key[NETMAP_REQ_IFNAMSIZ])
{
	const char *brace = strpbrk(name, "{}");
	const char *id;

	if (!brace || brace == name || strpbrk(brace + 1, "{}"))
		return -EINVAL;
	id = brace + 1;
	if (!*id)
		return -EINVAL;
	for (; *id; id++)
		if (!isalnum(*id) && *id != '_')
			return -EINVAL;
	strscpy(key, name, NETMAP_REQ_IFNAMSIZ);
	key[brace - name] = '{';
	return *brace == '{' ? 0 : 1;
}

bool nm_pipe_name(const char *name)
{
	return strpbrk(name, "{}") != NULL;
}

static u32 nm_pipe_clamp(u32 v, u32 def, u32 max)
{
	if (!v)
		return def;
	return clamp(v, 2U, max);
}

static u32 nm_pipe_max_slots(void)
{
	return (nm_global_mem.pools[NM_POOL_RING].objsize -
		sizeof(struct netmap_ring)) / sizeof(struct netmap_slot);
}

/*
 * The geometry a new pipe gets from a REGISTER's hints, seen from the end
 * being opened: its tx rings are the peer's rx rings and the reverse.
 */
static void nm_pipe_geometry(const struct nmreq_register *req,
			     struct nmreq_port_info_get *info)
{
	info->nr_tx_rings = req->nr_tx_rings ? min_t(u32, req->nr_tx_rings, VALE_MAX_RINGS) : 1;
	info->nr_rx_rings = req->nr_rx_rings ? min_t(u32, req->nr_rx_rings, VALE_MAX_RINGS) : 1;
	info->nr_tx_slots = nm_pipe_clamp(req->nr_tx_slots, NM_PIPE_DEF_SLOTS, nm_pipe_max_slots());
	info->nr_rx_slots = nm_pipe_clamp(req->nr_rx_slots, NM_PIPE_DEF_SLOTS, nm_pipe_max_slots());
	info->nr_host_tx_rings = 0;
	info->nr_host_rx_rings = 0;
	info->nr_memsize = nm_global_mem.size;
	info->nr_mem_id = nm_global_mem.id;
}

/* Wake a ring's poller, if any: most syncs find nobody asleep. */
static void nm_pipe_wake(struct nm_kring *kring)
{
	if (wq_has_sleeper(&kring->wq))
		wake_up(&kring->wq);
}

/*
 * Send [hwcur, head): slot k of the tx ring becomes slot k of the peer's
 * rx ring, with the buffer the kernel's record gives it (nm_ring_commit
 * checked the user's swaps) and never one the peer's user may have written
 * into that rx slot. Nothing is copied and, unless a user swapped it, a
 * slot keeps its buffer round after round: the sender is not told
 * NS_BUF_CHANGED and need not write its frames again. A slot whose index
 * the kernel refused, or whose length is over the buffer size, still has
 * to cross (the two rings move in step) and crosses empty.
 *
 * Only whole packets are published: slots of a frame still waiting for its
 * last fragment (NS_MOREFRAG) stay out of the peer's sight.
 *
 * The sender gets back what the receiver released: slots up to the one
 * before the peer's hwcur. A buffer the receiver swapped for another on
 * the way is shown to the sender with NS_BUF_CHANGED.
 */
static int nm_pipe_txsync(struct nm_kring *txk)
{
	struct nm_kring *rxk = txk->peer;
	struct netmap_ring *txr = txk->ring, *rxr = rxk->ring;
	u32 bufsize = nm_buf_size(txk->port->mem);
	u32 n = txk->num_slots;
	u32 head = txk->rhead;
	u32 i = txk->nr_hwcur;
	u32 whole = n;		/* after the last slot ending a packet */
	u32 released;

	for (; i != head; i = nm_next(i, n)) {
		struct netmap_slot *ts = &txr->slot[i], *rs = &rxr->slot[i];
		u32 idx = txk->bufs[i];
		u16 len = READ_ONCE(ts->len);
		u16 flags = READ_ONCE(ts->flags);

		if (unlikely(READ_ONCE(ts->buf_idx) != idx || len > bufsize)) {
			txk->bad_slots++;
			WRITE_ONCE(ts->buf_idx, idx);
			len = 0;
		}
		if (flags & NS_BUF_CHANGED)
			WRITE_ONCE(ts->flags, flags & ~NS_BUF_CHANGED);
		WRITE_ONCE(rs->len, len);
		WRITE_ONCE(rs->flags, (flags & NS_MOREFRAG) |
			   (READ_ONCE(rs->buf_idx) != idx ? NS_BUF_CHANGED : 0));
		WRITE_ONCE(rs->buf_idx, idx);
		if (!(flags & NS_MOREFRAG))
			whole = nm_next(i, n);
	}
	txk->nr_hwcur = i;
	if (whole != n) {
		smp_store_release(&rxk->nr_hwtail, whole);
		nm_pipe_wake(rxk);
	}

	/* Released: up to the peer's hwcur; the sender's tail stops one short. */
	released = smp_load_acquire(&rxk->nr_hwcur);
	for (i = txk->nr_hwtail; i != released; i = nm_next(i, n)) {
		struct netmap_slot *ts = &txr->slot[i];

		if (unlikely(READ_ONCE(ts->buf_idx) != txk->bufs[i])) {
			WRITE_ONCE(ts->buf_idx, txk->bufs[i]);
			WRITE_ONCE(ts->flags, READ_ONCE(ts->flags) | NS_BUF_CHANGED);
		}
	}
	txk->nr_hwtail = nm_prev(released, n);
	return 0;
}

static int nm_pipe_rxsync(struct nm_kring *rxk)
{
	/* Slots [hwcur, head) were released: the sender may fill them again. */
	if (rxk->rhead != rxk->nr_hwcur) {
		smp_store_release(&rxk->nr_hwcur, rxk->rhead);
		nm_pipe_wake(rxk->peer);
	}
	return 0;
}

/* The last reference to one end is gone (nm_lock held). */
static void nm_pipe_end_dtor(struct nm_port *port)
{
	struct nm_pipe_end *end = container_of(port, struct nm_pipe_end, port);
	struct nm_pipe *pipe = end->pipe;
	int e;

	lockdep_assert_held(&nm_lock);
	end->alive = false;
	if (--pipe->alive_ends)
		return;
	list_del(&pipe->list);
	for (e = 0; e < 2; e++)
		nm_port_free_rings(&pipe->end[e].port);
	nm_mem_unuse(&nm_global_mem);
	kfree(pipe);
}

static const struct nm_port_ops nm_pipe_ops = {
	.txsync = nm_pipe_txsync,
	.rxsync = nm_pipe_rxsync,
	.dtor = nm_pipe_end_dtor,
};

/* The pipe of that key in net, or NULL. nm_lock held. */
static struct nm_pipe *nm_pipe_find(const struct net *net, const char *key)
{
	struct nm_pipe *pipe;

	lockdep_assert_held(&nm_lock);
	list_for_each_entry(pipe, &nm_pipes, list)
		if (pipe->net == net && !strcmp(pipe->key, key))
			return pipe;
	return NULL;
}

static struct nm_pipe *nm_pipe_create(const struct net *net, const char *key, int opened,
				      const struct nmreq_register *req)
{
	struct nmreq_port_info_get g = {};
	struct nm_pipe *pipe;
	int e, err;
	u32 i;

	pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);
	if (!pipe)
		return ERR_PTR(-ENOMEM);
	pipe->net = net;
	strscpy(pipe->key, key, sizeof(pipe->key));
	nm_pipe_geometry(req, &g);
	for (e = 0; e < 2; e++) {
		struct nm_port *port = &pipe->end[e].port;
		/* The end being opened gets the hints as they are. */
		int tx = e == opened ? NM_TX : NM_RX;

		pipe->end[e].pipe = pipe;
		strscpy(port->name, key, sizeof(port->name));
		port->name[strcspn(key, "{")] = e ? '}' : '{';
		port->ops = &nm_pipe_ops;
		port->mem = &nm_global_mem;
		port->rx_slots_borrowed = true;
		port->num_rings[tx] = g.nr_tx_rings;
		port->num_rings[!tx] = g.nr_rx_rings;
		port->num_slots[tx] = g.nr_tx_slots;
		port->num_slots[!tx] = g.nr_rx_slots;
		refcount_set(&port->ref, 0);	/* not open yet */
	}

	err = nm_mem_use(&nm_global_mem, NULL);
	if (err)
		goto fail_free;
	for (e = 0; e < 2; e++) {
		err = nm_port_init_rings(&pipe->end[e].port);
		if (err)
			goto fail_rings;
	}
	for (e = 0; e < 2; e++) {
		struct nm_port *a = &pipe->end[e].port, *b = &pipe->end[!e].port;

		for (i = 0; i < a->num_rings[NM_TX]; i++) {
			a->krings[NM_TX][i].peer = &b->krings[NM_RX][i];
			b->krings[NM_RX][i].peer = &a->krings[NM_TX][i];
			err = nm_kring_share_slots(&a->krings[NM_TX][i], &b->krings[NM_RX][i]);
			if (err) {
				e = 2;
				goto fail_rings;
			}
		}
	}
	list_add(&pipe->list, &nm_pipes);
	return pipe;

fail_rings:
	while (e-- > 0)
		nm_port_free_rings(&pipe->end[e].port);
	nm_mem_unuse(&nm_global_mem);
fail_free:
	kfree(pipe);
	return ERR_PTR(err);
}

/*
 * The end of the pipe a name designates, created with its pair if needed,
 * with a reference for the caller. An end nobody references is "dead" but
 * keeps its rings until the pair goes with the last reference to either
 * end; opening it again revives it. Called with nm_lock held, as is every
 * nm_port_put() of a pipe end, so revival cannot race with the destructor.
 */
int nm_pipe_get(struct net *net, const char *name, const struct nmreq_register *req,
		struct nm_port **portp)
{
	char key[NETMAP_REQ_IFNAMSIZ];
	struct nm_pipe *pipe;
	struct nm_pipe_end *end;
	int e;

	lockdep_assert_held(&nm_lock);
	e = nm_pipe_parse(name, key);
	if (e < 0)
		return e;
	pipe = nm_pipe_find(net, key);
	if (!pipe)
		pipe = nm_pipe_create(net, key, e, req);
	if (IS_ERR(pipe))
		return PTR_ERR(pipe);
	end = &pipe->end[e];
	if (!end->alive) {
		refcount_set(&end->port.ref, 1);
		end->alive = true;
		pipe->alive_ends++;
	} else {
		nm_port_get(&end->port);
	}
	*portp = &end->port;
	return 0;
}

/*
 * NETMAP_REQ_PORT_INFO_GET on a pipe name: the real geometry of an existing
 * end, or what a REGISTER without hints would create. Nothing is created.
 */
int nm_pipe_info(struct net *net, const char *name, struct nmreq_port_info_get *info)
{
	const struct nmreq_register none = {};
	char key[NETMAP_REQ_IFNAMSIZ];
	struct nm_pipe *pipe;
	struct nm_port *port;
	int e;

	e = nm_pipe_parse(name, key);
	if (e < 0)
		return e;
	mutex_lock(&nm_lock);
	pipe = nm_pipe_find(net, key);
	if (pipe) {
		port = &pipe->end[e].port;
		info->nr_tx_rings = port->num_rings[NM_TX];
		info->nr_rx_rings = port->num_rings[NM_RX];
		info->nr_tx_slots = port->num_slots[NM_TX];
		info->nr_rx_slots = port->num_slots[NM_RX];
		info->nr_host_tx_rings = 0;
		info->nr_host_rx_rings = 0;
		info->nr_memsize = port->mem->size;
		info->nr_mem_id = port->mem->id;
		mutex_unlock(&nm_lock);
		return 0;
	}
	mutex_unlock(&nm_lock);
	nm_pipe_geometry(&none, info);
	return 0;
}

void nm_pipe_exit(void)
{
	/* Files hold references on their pipes: none is left at exit. */
	WARN_ON(!list_empty(&nm_pipes));
}
