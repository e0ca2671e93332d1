// SPDX-License-Identifier: GPL-2.0
/*
 * Netmap ports: what every kind of port (pipe end, switch port, NIC) has in
 * common, that is its krings and the netmap_rings they describe, carved out
 * of the port's memory region, and its reference count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>

#include "nm_priv.h"
#include "../vale/vale.h"

DEFINE_MUTEX(nm_lock);

static void nm_kring_init(struct nm_kring *kring, struct nm_port *port,
			  int dir, u16 id)
{
	kring->port = port;
	kring->dir = dir;
	kring->id = id;
	kring->num_slots = port->num_slots[dir];
	mutex_init(&kring->sync_lock);
	spin_lock_init(&kring->arc_lock);
	init_waitqueue_head(&kring->wq);
}

/*
 * Free the ring object of a kring and the buffers its slots hold: those of
 * the kernel's record, whatever the shared slots say by now. A ring that
 * borrows its twin's slots (a pipe's rx ring) has none of its own.
 */
static void nm_kring_free_ring(struct nm_kring *kring, struct nm_mem *mem)
{
	u32 i;

	if (!kring->ring)
		return;
	spin_lock(&mem->buf_lock);
	mem->ring_kring[kring->ring_idx] = NULL;
	spin_unlock(&mem->buf_lock);
	if (kring->bufs && nm_kring_buf_owner(kring) == kring) {
		for (i = 0; i < kring->num_slots; i++)
			if (kring->bufs[i])
				nm_mem_buf_free(mem, kring->bufs[i]);
		kvfree(kring->bufs);
	}
	kring->bufs = NULL;
	nm_mem_obj_free(mem, NM_POOL_RING, kring->ring_idx);
	kring->ring = NULL;
}

/*
 * Make the netmap_ring of a kring: header, and one buffer per slot (none
 * for a ring that will borrow its twin's). A tx ring starts with every
 * slot but one free for the user; an rx ring empty.
 */
static int nm_kring_make_ring(struct nm_kring *kring, struct nm_mem *mem)
{
	bool borrows = kring->dir == NM_RX && kring->port->rx_slots_borrowed;
	struct netmap_ring *ring;
	u64 ring_ofs;
	u32 i;
	int err;

	if (!borrows) {
		kring->bufs = kvcalloc(kring->num_slots, sizeof(u32), GFP_KERNEL_ACCOUNT);
		if (!kring->bufs)
			return -ENOMEM;
	}
	err = nm_mem_obj_alloc(mem, NM_POOL_RING, &kring->ring_idx);
	if (err) {
		kvfree(kring->bufs);
		kring->bufs = NULL;
		return err;
	}
	ring = nm_mem_obj(mem, NM_POOL_RING, kring->ring_idx);
	ring_ofs = nm_mem_obj_offset(mem, NM_POOL_RING, kring->ring_idx);
	memset(ring, 0, sizeof(*ring) + kring->num_slots * sizeof(struct netmap_slot));
	kring->ring = ring;

	/* The ABI marks these const for user space; the kernel sets them once. */
	*(s64 *)&ring->buf_ofs = (s64)mem->pools[NM_POOL_BUF].offset - (s64)ring_ofs;
	*(u32 *)&ring->num_slots = kring->num_slots;
	*(u32 *)&ring->nr_buf_size = nm_buf_size(mem);
	*(u16 *)&ring->ringid = kring->id;
	*(u16 *)&ring->dir = kring->dir == NM_TX ? 1 : 0;	/* as netmap sets it */

	for (i = 0; !borrows && i < kring->num_slots; i++) {
		err = nm_mem_buf_alloc(mem, NM_LOC_RING(kring->ring_idx, i), &kring->bufs[i]);
		if (err) {
			/* slots from i on have no buffer (bufs[] 0) */
			nm_kring_free_ring(kring, mem);
			return err;
		}
		ring->slot[i].buf_idx = kring->bufs[i];
	}

	kring->nr_hwcur = 0;
	kring->nr_hwtail = kring->dir == NM_TX ? kring->num_slots - 1 : 0;
	kring->rhead = kring->rcur = 0;
	kring->rtail = kring->nr_hwtail;
	ring->head = ring->cur = 0;
	ring->tail = kring->rtail;
	spin_lock(&mem->buf_lock);
	mem->ring_kring[kring->ring_idx] = kring;
	spin_unlock(&mem->buf_lock);
	return 0;
}

/*
 * Allocate the krings and rings of a port whose geometry (rings, host
 * rings, slots) and region are set. The caller has a use of the region.
 */
int nm_port_init_rings(struct nm_port *port)
{
	u32 max_slots = (port->mem->pools[NM_POOL_RING].objsize -
			 sizeof(struct netmap_ring)) / sizeof(struct netmap_slot);
	int dir, err;
	u32 i;

	for (dir = 0; dir < NM_DIRS; dir++) {
		u32 n = nm_port_all_rings(port, dir);

		if (port->num_slots[dir] < 2 || port->num_slots[dir] > max_slots)
			return -EINVAL;
		port->krings[dir] = kcalloc(n, sizeof(struct nm_kring), GFP_KERNEL_ACCOUNT);
		if (!port->krings[dir]) {
			err = -ENOMEM;
			goto fail;
		}
		for (i = 0; i < n; i++) {
			struct nm_kring *kring = &port->krings[dir][i];

			nm_kring_init(kring, port, dir, i);
			err = nm_kring_make_ring(kring, port->mem);
			if (err)
				goto fail;
		}
	}
	return 0;
fail:
	nm_port_free_rings(port);
	return err;
}

void nm_port_free_rings(struct nm_port *port)
{
	int dir;
	u32 i;

	for (dir = 0; dir < NM_DIRS; dir++) {
		if (!port->krings[dir])
			continue;
		for (i = 0; i < nm_port_all_rings(port, dir); i++)
			nm_kring_free_ring(&port->krings[dir][i], port->mem);
		kfree(port->krings[dir]);
		port->krings[dir] = NULL;
	}
}

/*
 * Pipes: rx kring rx (made without buffers) takes the slots of tx kring tx
 * as its own, in place: slot k of both names the buffer tx's record gives
 * it. Before either ring is bound.
 */
int nm_kring_share_slots(struct nm_kring *tx, struct nm_kring *rx)
{
	u32 i;

	if (tx->num_slots != rx->num_slots || rx->bufs)
		return -EINVAL;
	tx->twin = rx;
	rx->twin = tx;
	rx->bufs = tx->bufs;
	for (i = 0; i < rx->num_slots; i++)
		rx->ring->slot[i].buf_idx = tx->bufs[i];
	return 0;
}

void nm_port_get(struct nm_port *port)
{
	refcount_inc(&port->ref);
}

void nm_port_put(struct nm_port *port)
{
	if (refcount_dec_and_test(&port->ref))
		port->ops->dtor(port);
}

/*
 * Find (or create, for the kinds created on first open) the port a name
 * designates in the file's network namespace, with a reference for the
 * caller. Called with nm_lock held.
 */
int nm_port_lookup(const struct nm_priv *priv, const char *name,
		   const struct nmreq_register *req, struct nm_port **portp)
{
	struct net *net = priv->net;
	int err;

	lockdep_assert_held(&nm_lock);
	if (nm_pipe_name(name))
		return nm_pipe_get(net, name, req, portp);
	if (vale_switch_name(name))
		return nm_vale_get(net, name, req, portp);
	/* A persistent interface, else a network interface (rtnl held). */
	err = nm_vi_get(net, name, portp);
	if (err != -ENXIO)
		return err;
	return nm_nic_get(priv, name, req, portp);
}

/* May REGISTER of this name make or destroy a NIC port (nm_port_ops.rtnl)? */
bool nm_port_name_needs_rtnl(const char *name)
{
	return !nm_pipe_name(name) && !vale_switch_name(name);
}
