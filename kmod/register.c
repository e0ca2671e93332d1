// SPDX-License-Identifier: GPL-2.0
/*
 * Binding a file to a port (NETMAP_REQ_REGISTER), and what a bound file
 * does with the rings it was given: NIOCTXSYNC, NIOCRXSYNC and poll().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/poll.h>
#include <linux/rtnetlink.h>
#include <linux/string.h>

#include "nm_priv.h"

/*
 * The krings an nr_mode / nr_ringid / nr_flags triple selects, per
 * direction, as [first, last). Host rings follow the hardware rings.
 */
static int nm_bind_range(const struct nm_port *port, const struct nmreq_register *req,
			 u16 first[NM_DIRS], u16 last[NM_DIRS])
{
	u64 only = req->nr_flags & (NR_TX_RINGS_ONLY | NR_RX_RINGS_ONLY);
	int dir;

	if (only == (NR_TX_RINGS_ONLY | NR_RX_RINGS_ONLY))
		return -EINVAL;
	for (dir = 0; dir < NM_DIRS; dir++) {
		u16 nic = port->num_rings[dir], host = port->num_host_rings[dir];
		/* A port may have more rings one way than the other. */
		u16 id = req->nr_ringid;

		switch (req->nr_mode) {
		case NR_REG_ALL_NIC:
			first[dir] = 0;
			last[dir] = nic;
			break;
		case NR_REG_SW:
			if (!port->num_host_rings[NM_TX] && !port->num_host_rings[NM_RX])
				return -EINVAL;
			first[dir] = nic;
			last[dir] = nic + host;
			break;
		case NR_REG_NIC_SW:
			/* As netmap: asking for host rings a port lacks is an error. */
			if (!port->num_host_rings[NM_TX] && !port->num_host_rings[NM_RX])
				return -EINVAL;
			first[dir] = 0;
			last[dir] = nic + host;
			break;
		case NR_REG_ONE_NIC:
			if (req->nr_ringid >= max(port->num_rings[NM_TX], port->num_rings[NM_RX]))
				return -EINVAL;
			first[dir] = min(id, nic);
			last[dir] = min_t(u16, id + 1, nic);
			break;
		case NR_REG_ONE_SW:
			if (req->nr_ringid >= max(port->num_host_rings[NM_TX],
						  port->num_host_rings[NM_RX]))
				return -EINVAL;
			first[dir] = nic + min(id, host);
			last[dir] = nic + min_t(u16, id + 1, host);
			break;
		case NR_REG_NULL:
			first[dir] = last[dir] = 0;
			break;
		default:
			return -EINVAL;
		}
	}
	if (only == NR_TX_RINGS_ONLY)
		first[NM_RX] = last[NM_RX] = 0;
	if (only == NR_RX_RINGS_ONLY)
		first[NM_TX] = last[NM_TX] = 0;
	return 0;
}

#define for_each_bound_kring(priv, dir, kring)					\
	for (kring = &(priv)->port->krings[dir][(priv)->first[dir]];		\
	     kring < &(priv)->port->krings[dir][(priv)->last[dir]]; kring++)

static int nm_bind_krings(struct nm_priv *priv, bool exclusive)
{
	struct nm_kring *kring;
	int dir;

	for (dir = 0; dir < NM_DIRS; dir++)
		for_each_bound_kring(priv, dir, kring)
			if (kring->exclusive || (exclusive && kring->users))
				return -EBUSY;
	for (dir = 0; dir < NM_DIRS; dir++)
		for_each_bound_kring(priv, dir, kring) {
			kring->users++;
			kring->exclusive = exclusive;
		}
	return 0;
}

static void nm_unbind_krings(struct nm_priv *priv)
{
	struct nm_kring *kring;
	int dir;

	for (dir = 0; dir < NM_DIRS; dir++)
		for_each_bound_kring(priv, dir, kring) {
			kring->users--;
			kring->exclusive = false;
		}
}

/* Extra buffers one file may have (nr_extra_bufs is granted up to it). */
static uint max_extra_bufs = 4096;
module_param(max_extra_bufs, uint, 0644);
MODULE_PARM_DESC(max_extra_bufs, "extra buffers one REGISTER may be granted (nr_extra_bufs)");

/*
 * Hand out up to 'want' buffers, linked through their first 4 bytes, and
 * recorded as this file's (if_idx). As in netmap, fewer than asked is not
 * an error: nr_extra_bufs says how many the file got.
 */
static u32 nm_extra_bufs_alloc(struct nm_mem *mem, u32 if_idx, u32 want, u32 *head)
{
	u32 cap = READ_ONCE(max_extra_bufs);
	u32 got, idx, next = 0;

	if (want > cap) {
		pr_warn_ratelimited("nr_extra_bufs %u above the limit (max_extra_bufs=%u): %u granted at most\n",
				    want, cap, cap);
		want = cap;
	}
	for (got = 0; got < want; got++) {
		if (nm_mem_buf_alloc(mem, NM_LOC_FILE(if_idx), &idx))
			break;
		*(u32 *)nm_buf(mem, idx) = next;
		next = idx;
	}
	*head = next;
	return got;
}

/*
 * Take back this file's extra buffers: those the kernel's record gives it
 * (they move with the user's swaps), not the list the user left in the
 * netmap_if, which may name anything. There are exactly 'count' of them.
 */
static void nm_extra_bufs_free(struct nm_mem *mem, u32 if_idx, u32 count)
{
	u32 total = mem->pools[NM_POOL_BUF].objtotal;
	u32 idx;

	for (idx = 0; idx < total && count; idx++) {
		if (READ_ONCE(mem->bufmap[idx]) != NM_LOC_FILE(if_idx))
			continue;
		nm_mem_buf_free(mem, idx);
		count--;
	}
	WARN_ONCE(count, "%u extra buffers of file %u not found\n", count, if_idx);
}

static void nm_if_fill(struct nm_priv *priv, struct netmap_if *nifp, u64 if_ofs)
{
	struct nm_port *port = priv->port;
	u32 ntx = nm_port_all_rings(port, NM_TX);
	ssize_t *ofs = (ssize_t *)nifp->ring_ofs;
	int dir;
	u32 i;

	strscpy(nifp->ni_name, port->name, sizeof(nifp->ni_name));
	*(u32 *)&nifp->ni_version = NETMAP_API;
	*(u32 *)&nifp->ni_flags = port->mem->private_region ? NI_PRIV_MEM : 0;
	*(u32 *)&nifp->ni_tx_rings = port->num_rings[NM_TX];
	*(u32 *)&nifp->ni_rx_rings = port->num_rings[NM_RX];
	*(u32 *)&nifp->ni_host_tx_rings = port->num_host_rings[NM_TX];
	*(u32 *)&nifp->ni_host_rx_rings = port->num_host_rings[NM_RX];
	/* Only the rings this file is bound to get an offset, as in netmap. */
	for (dir = 0; dir < NM_DIRS; dir++)
		for (i = 0; i < nm_port_all_rings(port, dir); i++) {
			u32 slot = (dir == NM_TX ? 0 : ntx) + i;

			ofs[slot] = 0;
			if (i >= priv->first[dir] && i < priv->last[dir])
				ofs[slot] = nm_mem_obj_offset(port->mem, NM_POOL_RING,
							      port->krings[dir][i].ring_idx) - if_ofs;
		}
}

int nm_register(struct nm_priv *priv, const char *name, struct nmreq_register *req)
{
	bool rtnl = nm_port_name_needs_rtnl(name);
	struct nm_port *port;
	struct netmap_if *nifp;
	struct nm_mem *mem;
	u32 nrings;
	int err;

	if (rtnl)
		rtnl_lock();	/* before nm_lock: a NIC port may be made */
	mutex_lock(&nm_lock);
	if (priv->port) {
		err = -EBUSY;
		goto out;
	}
	err = nm_port_lookup(priv, name, req, &port);
	if (err)
		goto out;
	priv->port = port;	/* not published to the datapath until the end */
	mem = port->mem;
	if (req->nr_mem_id && req->nr_mem_id != mem->id) {
		err = -EINVAL;
		goto fail_put;
	}
	err = nm_bind_range(port, req, priv->first, priv->last);
	if (err)
		goto fail_put;
	nrings = nm_port_all_rings(port, NM_TX) + nm_port_all_rings(port, NM_RX);
	if (sizeof(*nifp) + nrings * sizeof(ssize_t) > mem->pools[NM_POOL_IF].objsize) {
		err = -EINVAL;
		goto fail_put;
	}
	err = nm_bind_krings(priv, req->nr_flags & NR_EXCLUSIVE);
	if (err)
		goto fail_put;
	err = nm_mem_obj_alloc(mem, NM_POOL_IF, &priv->if_idx);
	if (err)
		goto fail_unbind;
	nifp = nm_mem_obj(mem, NM_POOL_IF, priv->if_idx);
	memset(nifp, 0, mem->pools[NM_POOL_IF].objsize);
	nm_if_fill(priv, nifp, nm_mem_obj_offset(mem, NM_POOL_IF, priv->if_idx));
	priv->extra_bufs = nm_extra_bufs_alloc(mem, priv->if_idx, req->nr_extra_bufs,
					       &nifp->ni_bufs_head);
	priv->flags = req->nr_flags;

	req->nr_offset = nm_mem_obj_offset(mem, NM_POOL_IF, priv->if_idx);
	req->nr_memsize = mem->size;
	req->nr_tx_rings = port->num_rings[NM_TX];
	req->nr_rx_rings = port->num_rings[NM_RX];
	req->nr_host_tx_rings = port->num_host_rings[NM_TX];
	req->nr_host_rx_rings = port->num_host_rings[NM_RX];
	req->nr_tx_slots = port->num_slots[NM_TX];
	req->nr_rx_slots = port->num_slots[NM_RX];
	req->nr_mem_id = mem->id;
	req->nr_extra_bufs = priv->extra_bufs;
	port->bound_files++;
	/* Publish to the datapath (sync, poll, mmap) once all is in place. */
	smp_store_release(&priv->registered, true);
	mutex_unlock(&nm_lock);
	if (rtnl)
		rtnl_unlock();
	return 0;

fail_unbind:
	nm_unbind_krings(priv);
fail_put:
	priv->port = NULL;
	nm_port_put(port);
out:
	mutex_unlock(&nm_lock);
	if (rtnl)
		rtnl_unlock();
	return err;
}

/* Called when the file is released: nothing else can use priv any more. */
void nm_unregister(struct nm_priv *priv)
{
	struct nm_port *port = priv->port;
	struct nm_mem *mem;
	bool rtnl;

	if (!port)
		return;
	mem = port->mem;
	rtnl = port->ops->rtnl;
	if (rtnl)
		rtnl_lock();	/* before nm_lock: the port may go */
	mutex_lock(&nm_lock);
	nm_unbind_krings(priv);
	nm_extra_bufs_free(mem, priv->if_idx, priv->extra_bufs);
	nm_mem_obj_free(mem, NM_POOL_IF, priv->if_idx);
	port->bound_files--;
	priv->port = NULL;
	nm_port_put(port);
	mutex_unlock(&nm_lock);
	if (rtnl)
		rtnl_unlock();
}

/*
 * One sync of one ring: check what the user wrote, move packets, publish.
 * A corrupt ring is reset to the kernel's view and reported with -EINVAL.
 */
static int nm_kring_sync(struct nm_kring *kring, struct nm_priv *priv)
{
	const struct nm_port_ops *ops = kring->port->ops;
	int err;

	mutex_lock(&kring->sync_lock);
	if (kring->dir == NM_TX) {
		err = nm_ring_txsync_prologue(kring, priv);
		if (!err)
			err = ops->txsync(kring);
	} else {
		err = nm_ring_rxsync_prologue(kring, priv);
		if (!err)
			err = ops->rxsync(kring);
	}
	if (err)
		nm_ring_reinit(kring);
	else
		nm_ring_finalize(kring);
	mutex_unlock(&kring->sync_lock);
	return err;
}

int nm_sync(struct nm_priv *priv, int dir)
{
	struct nm_kring *kring;
	int err, ret = 0;

	for_each_bound_kring(priv, dir, kring) {
		err = nm_kring_sync(kring, priv);
		if (err && !ret)
			ret = err;
	}
	return ret;
}

/*
 * poll(): sync the bound rings, as netmap does (tx rings always, unless
 * NR_NO_TX_POLL; rx rings when reading is wanted), then report a tx ring
 * with room past cur as writable and an rx ring with packets past cur as
 * readable. The wait queues are registered first, so that a peer's wake-up
 * between the checks and the sleep is not lost.
 */
__poll_t nm_poll_rings(struct nm_priv *priv, struct file *file, poll_table *wait,
		       __poll_t events)
{
	bool want_tx = events & (EPOLLOUT | EPOLLWRNORM);
	bool want_rx = events & (EPOLLIN | EPOLLRDNORM);
	struct nm_kring *kring;
	__poll_t mask = 0;

	for_each_bound_kring(priv, NM_TX, kring)
		if (want_tx)
			poll_wait(file, &kring->wq, wait);
	for_each_bound_kring(priv, NM_RX, kring)
		if (want_rx)
			poll_wait(file, &kring->wq, wait);
	/*
	 * Peers wake a ring only when wq_has_sleeper() sees a waiter: order our
	 * joining the queues before reading the rings (as sock_poll_wait does),
	 * against their barrier between filling a ring and that check.
	 */
	smp_mb();

	if (want_tx || !(priv->flags & NR_NO_TX_POLL)) {
		for_each_bound_kring(priv, NM_TX, kring) {
			if (nm_kring_sync(kring, priv))
				mask |= EPOLLERR;
			else if (want_tx && READ_ONCE(kring->rcur) != READ_ONCE(kring->nr_hwtail))
				mask |= EPOLLOUT | EPOLLWRNORM;
		}
	}
	if (want_rx) {
		for_each_bound_kring(priv, NM_RX, kring) {
			if (nm_kring_sync(kring, priv))
				mask |= EPOLLERR;
			else if (READ_ONCE(kring->rcur) != READ_ONCE(kring->rtail))
				mask |= EPOLLIN | EPOLLRDNORM;
		}
	}
	return mask;
}
