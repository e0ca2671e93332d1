// SPDX-License-Identifier: GPL-2.0
/*
 * A NIC on a switch (netmap's "bridge wrapper"). ATTACH "valeX:eth0"
 * makes a switch port "eth0" whose tx rings ARE the NIC's rx krings'
 * netmap_rings and whose rx rings ARE its tx krings' (and, with the host
 * stack, a port "eth0^" on the host krings), all in the global region, so
 * the switch copies straight from a received frame to its destination and
 * into the NIC's tx ring:
 *  - received frames: the rx handler fills the rx kring and schedules the
 *    ring's tasklet, which forwards [hwcur, hwtail) with vale_forward()
 *    and moves hwcur; when the ring is half full the rx handler forwards
 *    at once instead. Either way the switch runs in softirq context,
 *    after a whole NAPI / backlog batch when it can, with no thread to
 *    wake, as the Linux bridge does; the switch's ring locks are
 *    therefore bh-safe (vale/os_kernel.h). Frames the stack sends out of
 *    the interface (the host rx kring) are forwarded by the tasklet only:
 *    we may be inside the very queue lock the switch would need.
 *  - the switch fills a tx kring under its lease scheme and calls our
 *    notify, which pushes what it published to the driver (nic_io.c) and
 *    releases those slots by storing the new hwcur into the switch's
 *    vale_rx_ring. When the driver's queue is stopped, the rest stays in
 *    the ring (the switch drops what finds it full) until the queue's
 *    timer pushes again.
 *
 * One consumer per kring at a time, by trylock of cons_lock: whoever
 * finds it held leaves, and the holder looks at the ring again after
 * unlocking (full barriers on both sides: either the newcomer gets the
 * lock or the holder sees its packets) and reschedules the tasklet.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "nic.h"

static struct vale_rx_ring *nm_nic_switch_ring(struct nm_nic_ring *nr)
{
	struct nm_vale_port *vpp = nr->nic->bridge[nr->host ? NM_NIC_HOST : NM_NIC_SIDE];

	return &vpp->vp->rx[nr->host ? 0 : nr->kring->id];
}

/* Forward what the rx kring holds into the switch. bh context. */
static void nm_nic_forward(struct nm_nic_ring *nr)
{
	struct nm_nic *nic = nr->nic;
	struct nm_kring *kring = nr->kring;
	struct nm_vale_port *vpp = nic->bridge[nr->host ? NM_NIC_HOST : NM_NIC_SIDE];
	u32 n = kring->num_slots, budget = 2 * VALE_BATCH, cur, tail, next;

	smp_mb();	/* the producer's hwtail before the lock word */
	if (!spin_trylock(&nr->cons_lock))
		return;
	cur = kring->nr_hwcur;
	tail = smp_load_acquire(&kring->nr_hwtail);
	if (unlikely(!vpp || !READ_ONCE(nic->live)))
		cur = tail;
	while (cur != tail && budget) {
		next = vale_forward(vpp->vp, nr->host ? 0 : kring->id, cur, tail);
		if (next == cur)
			break;
		budget -= min(budget, nm_distance(cur, next, n));
		cur = next;
	}
	smp_store_release(&kring->nr_hwcur, cur);
	spin_unlock(&nr->cons_lock);
	smp_mb();	/* our unlock before the second look */
	if (cur != smp_load_acquire(&kring->nr_hwtail) && READ_ONCE(nic->live))
		tasklet_schedule(&nr->tasklet);
}

/* New frames in a NIC rx kring (the rx handler, softirq). */
void nm_nic_rx_kick(struct nm_nic_ring *nr)
{
	struct nm_kring *kring = nr->kring;
	u32 pending = nm_distance(READ_ONCE(kring->nr_hwcur), READ_ONCE(kring->nr_hwtail),
				  kring->num_slots);

	if (pending >= kring->num_slots / 2)
		nm_nic_forward(nr);
	else
		tasklet_schedule(&nr->tasklet);
}

/*
 * Push what the switch published in a tx kring to the driver (or the
 * stack), then give the slots back to the switch. Any context.
 */
void nm_nic_push(struct nm_nic_ring *nr)
{
	struct nm_kring *kring = nr->kring;
	struct vale_rx_ring *rx = nm_nic_switch_ring(nr);
	u32 cur;
	int ret;

	smp_mb();	/* the switch's hwtail before the lock word */
	if (!spin_trylock_bh(&nr->cons_lock))
		return;
	cur = kring->nr_hwcur;
	ret = nm_nic_send(nr, &cur, smp_load_acquire(&rx->hwtail));
	if (ret >= 0 && cur != kring->nr_hwcur) {
		kring->nr_hwcur = cur;
		smp_store_release(&rx->hwcur, cur);
	}
	spin_unlock_bh(&nr->cons_lock);
	smp_mb();	/* our unlock before the second look */
	/* More came meanwhile, and the queue is not stopped (then: the timer). */
	if (ret == 0 && cur != smp_load_acquire(&rx->hwtail))
		tasklet_schedule(&nr->tasklet);
}

static void nm_nic_notify(void *arg)
{
	nm_nic_push(arg);
}

void nm_nic_tasklet(struct tasklet_struct *t)
{
	struct nm_nic_ring *nr = from_tasklet(nr, t, tasklet);

	if (nr->kring->dir == NM_RX)
		nm_nic_forward(nr);
	else
		nm_nic_push(nr);
}

/*
 * The switch port standing for the NIC (host false) or its host stack:
 * it sends what the rx krings received and receives into the tx krings.
 * Its nm_vale_port is only a handle for the control path (netlink, names):
 * its nm_port has no krings of its own.
 */
int nm_nic_bridge_new(struct nm_nic *nic, bool host)
{
	struct nm_port *np = &nic->port;
	struct nm_mem *mem = np->mem;
	u16 first[NM_DIRS], count[NM_DIRS];
	char name[VALE_NAME_MAX];
	struct nm_vale_port *vpp;
	struct vale_port *vp;
	int dir;
	u32 i;

	for (dir = 0; dir < NM_DIRS; dir++) {
		first[dir] = host ? np->num_rings[dir] : 0;
		count[dir] = host ? 1 : np->num_rings[dir];
	}
	snprintf(name, sizeof(name), host ? "%s^" : "%s", np->name);
	vpp = kzalloc(sizeof(*vpp), GFP_KERNEL);
	if (!vpp)
		return -ENOMEM;
	/* Into the switch: the rx krings. Out of it: the tx krings. */
	vp = vale_port_alloc(name, count[NM_RX], np->num_slots[NM_RX],
			     count[NM_TX], np->num_slots[NM_TX]);
	if (!vp) {
		kfree(vpp);
		return -ENOMEM;
	}
	vp->buf_base = mem->base + mem->pools[NM_POOL_BUF].offset;
	vp->buf_size = nm_buf_size(mem);
	vp->buf_count = mem->pools[NM_POOL_BUF].objtotal;
	vp->owner = vpp;
	for (i = 0; i < count[NM_RX]; i++)
		vp->tx[i].ring = np->krings[NM_RX][first[NM_RX] + i].ring;
	for (i = 0; i < count[NM_TX]; i++) {
		struct nm_kring *kring = &np->krings[NM_TX][first[NM_TX] + i];

		vale_rx_ring_init(&vp->rx[i], kring->ring, kring->num_slots);
		vp->rx[i].notify = nm_nic_notify;
		vp->rx[i].notify_arg = &nic->rings[NM_TX][first[NM_TX] + i];
	}

	/* What netlink reports: the switch's view, as for its own ports. */
	strscpy(vpp->port.name, name, sizeof(vpp->port.name));
	vpp->port.mem = mem;
	vpp->port.num_rings[NM_TX] = count[NM_RX];
	vpp->port.num_rings[NM_RX] = count[NM_TX];
	vpp->port.num_slots[NM_TX] = np->num_slots[NM_RX];
	vpp->port.num_slots[NM_RX] = np->num_slots[NM_TX];
	refcount_set(&vpp->port.ref, 1);
	vpp->vp = vp;
	vpp->nic = nic;
	nic->bridge[host ? NM_NIC_HOST : NM_NIC_SIDE] = vpp;
	return 0;
}

/* Free the switch ports, off their switch (or never on one). */
void nm_nic_bridge_free(struct nm_nic *nic)
{
	int side;

	for (side = 0; side < 2; side++) {
		struct nm_vale_port *vpp = nic->bridge[side];

		if (!vpp)
			continue;
		vale_port_free(vpp->vp);
		kfree(vpp);
		nic->bridge[side] = NULL;
	}
}

/*
 * Put the NIC's switch ports on switch swname, made if needed: both or
 * neither, announced once both are on (vale_ports_attach). *port_index:
 * the NIC's. Called with nm_lock held.
 */
int nm_nic_bridge_attach(struct nm_nic *nic, const char *swname, u32 *port_index)
{
	struct vale_port *group[2] = { nic->bridge[NM_NIC_SIDE]->vp };
	struct vale_switch *sw;
	bool new_switch = false;
	int err;

	if (nic->bridge[NM_NIC_HOST])
		group[1] = nic->bridge[NM_NIC_HOST]->vp;
	vale_core_lock();
	sw = vale_switch_find(dev_net(nic->dev), swname);	/* its own namespace's */
	if (!sw) {
		err = vale_switch_new(dev_net(nic->dev), swname, false, NULL, &sw);
		if (err)
			goto out;
		new_switch = true;
	}
	err = vale_ports_attach(sw, group, group[1] ? 2 : 1);
	if (err) {
		if (new_switch)
			vale_switch_put_if_unused(sw);
		goto out;
	}
	*port_index = group[0]->index;
out:
	vale_core_unlock();
	return err;
}

/*
 * DETACH (or the interface goes): the NIC and its host port leave their
 * switch, then the switch's reference on the port goes, which ends
 * netmap mode. rtnl and nm_lock held, not the core lock.
 */
void nm_nic_detach(struct nm_nic *nic)
{
	struct vale_port *group[2];
	u32 n = 0;
	int side;

	lockdep_assert_held(&nm_lock);
	for (side = 0; side < 2; side++)
		if (nic->bridge[side])
			group[n++] = nic->bridge[side]->vp;
	vale_core_lock();
	vale_ports_detach(group, n);	/* both announced, then both gone */
	vale_core_unlock();
	nm_port_put(&nic->port);
}
