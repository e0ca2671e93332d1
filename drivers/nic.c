// SPDX-License-Identifier: GPL-2.0
/*
 * NIC ports: any Ethernet interface of the kernel (veth, virtio-net, a
 * real NIC) opened in netmap mode through the driver-independent
 * ("generic") adapter, as "netmap:eth0", or attached to a switch.
 *
 * A port has one rx and one tx kring per queue of the interface
 * (real_num_rx_queues / real_num_tx_queues when it is opened), plus one
 * host rx and one host tx kring (the host stack's port, "eth0^",
 * NR_REG_SW), 1024 slots each by default (nr_*_slots hints are honoured),
 * in the global memory region as pipes. There is one port per interface,
 * made on first use and destroyed with its last reference; while it
 * exists the interface is in netmap mode:
 *  - an rx handler takes every frame the interface receives into the rx
 *    kring of its queue: the host stack no longer sees it;
 *  - the interface's netdev_ops are replaced by a copy whose
 *    ndo_start_xmit puts what the stack sends out of the interface into
 *    the host rx kring (netmap's generic adapter does the same): the wire
 *    no longer sees it;
 *  - a txsync hands the tx krings' packets to the driver, and the host tx
 *    kring's to the stack as if received on the interface.
 * When the port goes, both are undone and the interface passes traffic to
 * the host stack again.
 *
 * Ownership: a port is either opened by files (REGISTER, any number) or
 * attached to a switch (ATTACH "valeX:eth0"), never both: REGISTER of an
 * attached interface and ATTACH of an open one fail with EBUSY, as in
 * netmap. So the krings have one kind of consumer for the port's life.
 *
 * Unregister (ip link del, a move to another namespace): the notifier
 * takes the interface off its switch, undoes netmap mode and drops our
 * reference on the net_device at once. Files still bound keep a dead
 * port: their rings stay mapped, but every later sync fails with ENXIO
 * and poll() reports EPOLLERR. Names are looked up in the network
 * namespace of the request (the file's, or the netlink socket's), so an
 * interface is only ever a port from its own namespace, and on a switch
 * of that namespace; one that moves away is unregistered from the old
 * one first, which ends its port. REGISTER of an interface takes its
 * traffic from the host: it needs CAP_NET_ADMIN there (nm_priv_admin),
 * as ATTACH does. MTU and link changes need nothing: frames of any
 * length up to NETMAP_MAX_FRAGS buffers are carried (nic_io.c), and a
 * link that is down drops what is sent to it (counted in tx_dropped).
 *
 * DOC: Locking
 *  - rtnl is always taken before nm_lock. REGISTER of a name that may be
 *    a NIC, the release of a file bound to a NIC port (nm_port_ops.rtnl),
 *    ATTACH, DETACH and module unload take rtnl then nm_lock; the netdev
 *    notifier is called with rtnl held and takes nm_lock. A NIC port is
 *    made and destroyed with both held. nm_lock is taken before
 *    vale_core_lock, as elsewhere.
 *  - nm_nic.live: the datapath (syncs, tasklets, timers, the switch's
 *    notify) uses nm_nic.dev only with bh disabled (an RCU-bh read side)
 *    after seeing live set; teardown clears it and waits for a grace
 *    period (synchronize_net) before it lets the device go.
 *  - The rx handler and the replaced ndo_start_xmit run under RCU too:
 *    netmap mode is entered with the rx handler registered first and
 *    netdev_ops swapped second, and left in the reverse order with a
 *    grace period after each step; the copy of netdev_ops lives in the
 *    port, freed only after that.
 *  - nm_nic_ring.prod_lock (bh context) serialises the producers of an rx
 *    kring: the rx handler on several CPUs, the stack's xmit.
 *  - nm_nic_ring.cons_lock: the single consumer of a kring of a port on a
 *    switch, only ever trylocked (nic_bridge.c). It nests outside the
 *    switch's ring locks and the driver's queue lock and nothing waits
 *    for it.
 *  - kring->sync_lock (a file's sync) is taken outside the driver's queue
 *    lock (HARD_TX_LOCK) by txsync.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/dsa.h>
#include <net/net_namespace.h>

#include "nic.h"

static LIST_HEAD(nm_nics);		/* live NIC ports, nm_lock */

static void nm_nic_dtor(struct nm_port *port);

static const struct nm_port_ops nm_nic_ops = {
	.txsync = nm_nic_txsync,
	.rxsync = nm_nic_rxsync,
	.dtor = nm_nic_dtor,
	.rtnl = true,
};

static void nm_nic_assert_locked(void)
{
	lockdep_assert(lockdep_rtnl_is_held());
	lockdep_assert_held(&nm_lock);
}

/* The interface a name designates in net. rtnl held. */
static struct net_device *nm_nic_dev(struct net *net, const char *name)
{
	if (strlen(name) >= IFNAMSIZ)
		return NULL;
	return __dev_get_by_name(net, name);
}

static struct nm_nic *nm_nic_find(struct net_device *dev)
{
	struct nm_nic *nic;

	list_for_each_entry(nic, &nm_nics, list)
		if (nic->dev == dev)
			return nic;
	return NULL;
}

/*
 * Can dev ever be a port? Ethernet interfaces only (the host port speaks
 * Ethernet to the stack), and not those whose frames are not theirs to
 * give: 0, or EOPNOTSUPP and why (for the extack). rtnl held.
 */
static int nm_nic_usable(struct net_device *dev, const char **why)
{
	if (dev->flags & IFF_LOOPBACK)
		*why = "the loopback interface cannot be a port";
	else if (dev->type != ARPHRD_ETHER || dev->addr_len != ETH_ALEN)
		*why = "not an Ethernet interface";
	else if (netif_is_ovs_master(dev))
		*why = "an Open vSwitch internal port belongs to its datapath";
	else if (netif_is_l3_master(dev))
		*why = "a VRF device carries no frames of its own";
	else if (dev->priv_flags & IFF_DONT_BRIDGE)
		*why = "the interface may not be bridged (a wireless station?)";
	else if (dev->priv_flags & IFF_NO_RX_HANDLER)
		*why = "the interface's driver takes no rx handler";
	else
		return 0;
	return -EOPNOTSUPP;
}

/*
 * Is dev taken by someone else who receives its frames? Another rx
 * handler (there is one per device: netdev_rx_handler_register() would
 * say EBUSY, as netmap's generic adapter does) or DSA: 0, or EBUSY and
 * whose it is. rtnl held.
 */
static int nm_nic_taken(struct net_device *dev, const char **why)
{
	rx_handler_func_t *h = rtnl_dereference(dev->rx_handler);

	if (netdev_uses_dsa(dev))
		*why = "the interface is a DSA conduit: its frames are the DSA switch's";
	else if (!h || h == nm_nic_rx_handler)
		return 0;	/* ours: the callers tell who has it */
	else if (netif_is_bridge_port(dev))
		*why = "the interface is a port of a Linux bridge";
	else if (netif_is_ovs_port(dev))
		*why = "the interface is a port of an Open vSwitch datapath";
	else if (netif_is_bond_slave(dev))
		*why = "the interface is enslaved to a bond";
	else if (netif_is_team_port(dev))
		*why = "the interface is a port of a team";
	else if (netif_is_macvlan_port(dev))
		*why = "the interface is the lower device of a macvlan or macvtap";
	else if (netif_is_failover_slave(dev))
		*why = "the interface is a failover slave";
	else
		*why = "the interface has another rx handler (ipvlan, hsr, ...)";
	return -EBUSY;
}

static u32 nm_nic_slots(u32 hint)
{
	u32 max = (nm_global_mem.pools[NM_POOL_RING].objsize -
		   sizeof(struct netmap_ring)) / sizeof(struct netmap_slot);

	return hint ? clamp_t(u32, hint, NM_NIC_MIN_SLOTS, max) : min_t(u32, NM_NIC_DEF_SLOTS, max);
}

static void nm_nic_geometry(struct net_device *dev, const struct nmreq_register *req,
			    struct nm_port *port)
{
	port->num_rings[NM_TX] = clamp_t(u32, dev->real_num_tx_queues, 1, NM_NIC_MAX_RINGS);
	port->num_rings[NM_RX] = clamp_t(u32, dev->real_num_rx_queues, 1, NM_NIC_MAX_RINGS);
	port->num_host_rings[NM_TX] = 1;
	port->num_host_rings[NM_RX] = 1;
	port->num_slots[NM_TX] = nm_nic_slots(req->nr_tx_slots);
	port->num_slots[NM_RX] = nm_nic_slots(req->nr_rx_slots);
}

static int nm_nic_rings_alloc(struct nm_nic *nic)
{
	struct nm_port *port = &nic->port;
	int dir;
	u32 i;

	for (dir = 0; dir < NM_DIRS; dir++) {
		u32 n = nm_port_all_rings(port, dir);

		nic->rings[dir] = kcalloc(n, sizeof(struct nm_nic_ring), GFP_KERNEL);
		if (!nic->rings[dir])
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			struct nm_nic_ring *nr = &nic->rings[dir][i];

			nr->kring = &port->krings[dir][i];
			nr->nic = nic;
			nr->host = i >= port->num_rings[dir];
			spin_lock_init(&nr->prod_lock);
			spin_lock_init(&nr->cons_lock);
			tasklet_setup(&nr->tasklet, nm_nic_tasklet);
			timer_setup(&nr->timer, nm_nic_tx_timer, 0);
		}
	}
	return 0;
}

/* Free what nm_nic_new() made. The port is stopped (or never started). */
static void nm_nic_free(struct nm_nic *nic)
{
	int dir;

	nm_nic_bridge_free(nic);
	for (dir = 0; dir < NM_DIRS; dir++)
		kfree(nic->rings[dir]);
	nm_port_free_rings(&nic->port);
	nm_mem_unuse(&nm_global_mem);
	kfree(nic);
}

/*
 * A port for dev, not in netmap mode yet; with the switch ports that
 * stand for it (and its host stack) when it is made for a switch.
 */
static struct nm_nic *nm_nic_new(struct net_device *dev, const struct nmreq_register *req,
				 bool bridged, bool host)
{
	struct nm_nic *nic;
	struct nm_port *port;
	int err;

	nic = kzalloc(sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return ERR_PTR(-ENOMEM);
	port = &nic->port;
	strscpy(port->name, dev->name, sizeof(port->name));
	port->ops = &nm_nic_ops;
	port->mem = &nm_global_mem;
	nm_nic_geometry(dev, req, port);
	refcount_set(&port->ref, 1);
	nic->dev = dev;
	nic->bridged = bridged;
	INIT_LIST_HEAD(&nic->list);

	err = nm_mem_use(&nm_global_mem, NULL);
	if (err) {
		kfree(nic);
		return ERR_PTR(err);
	}
	err = nm_port_init_rings(port);
	if (!err)
		err = nm_nic_rings_alloc(nic);
	if (!err && bridged)
		err = nm_nic_bridge_new(nic, false);
	if (!err && bridged && host)
		err = nm_nic_bridge_new(nic, true);
	if (err) {
		nm_nic_free(nic);
		return ERR_PTR(err);
	}
	return nic;
}

/*
 * Netmap mode on: the rx handler first (it may fail: the interface is in
 * a Linux bridge, a bond...), then the stack's transmit path, whose
 * replacement finds the port through rx_handler_data. Called with rtnl.
 */
static int nm_nic_start(struct nm_nic *nic)
{
	struct net_device *dev = nic->dev;
	int err;

	nic->drv_ops = dev->netdev_ops;
	nic->ops = *dev->netdev_ops;
	nic->ops.ndo_start_xmit = nm_nic_host_xmit;
	WRITE_ONCE(nic->live, true);
	err = netdev_rx_handler_register(dev, nm_nic_rx_handler, nic);
	if (err) {
		WRITE_ONCE(nic->live, false);
		return err;
	}
	netdev_hold(dev, &nic->dev_tracker, GFP_KERNEL);
	/* Frozen queues: no driver xmit in progress under the queue locks. */
	netif_tx_lock_bh(dev);
	WRITE_ONCE(dev->netdev_ops, &nic->ops);
	netif_tx_unlock_bh(dev);
	list_add(&nic->list, &nm_nics);
	return 0;
}

/*
 * Netmap mode off, for good: the interface is restored and let go; the
 * port stays, dead, while files hold it. Called with rtnl and nm_lock.
 */
static void nm_nic_stop(struct nm_nic *nic)
{
	struct net_device *dev = nic->dev;
	int dir;
	u32 i;

	if (!nic->live)
		return;
	netif_tx_lock_bh(dev);
	WRITE_ONCE(dev->netdev_ops, nic->drv_ops);
	netif_tx_unlock_bh(dev);
	synchronize_net();		/* nobody is in nm_nic_host_xmit() any more */
	netdev_rx_handler_unregister(dev);	/* waits for the rx handlers */
	WRITE_ONCE(nic->live, false);
	synchronize_net();		/* nor in a sync, tasklet or timer using dev */
	for (dir = 0; dir < NM_DIRS; dir++)
		for (i = 0; i < nm_port_all_rings(&nic->port, dir); i++) {
			struct nm_nic_ring *nr = &nic->rings[dir][i];

			tasklet_kill(&nr->tasklet);
			del_timer_sync(&nr->timer);
			wake_up(&nr->kring->wq);	/* pollers see EPOLLERR */
		}
	list_del_init(&nic->list);
	netdev_put(dev, &nic->dev_tracker);
}

/* The last reference is gone: rtnl and nm_lock held (nm_port_ops.rtnl). */
static void nm_nic_dtor(struct nm_port *port)
{
	struct nm_nic *nic = to_nic(port);

	nm_nic_assert_locked();
	nm_nic_stop(nic);
	nm_nic_free(nic);
}

/*
 * A port made and in netmap mode, or an error and, when the interface
 * cannot be one, why. rtnl and nm_lock held.
 */
static struct nm_nic *nm_nic_open(struct net_device *dev, const struct nmreq_register *req,
				  bool bridged, bool host, const char **why)
{
	struct nm_nic *nic;
	int err;

	err = nm_nic_usable(dev, why) ?: nm_nic_taken(dev, why);
	if (err)
		return ERR_PTR(err);
	nic = nm_nic_new(dev, req, bridged, host);
	if (IS_ERR(nic))
		return nic;
	err = nm_nic_start(nic);
	if (err) {
		*why = "the interface refused an rx handler";
		nm_nic_free(nic);
		return ERR_PTR(err);
	}
	return nic;
}

/*
 * REGISTER on an interface name: its port, made if needed, with a
 * reference for the caller. rtnl and nm_lock held.
 */
int nm_nic_get(const struct nm_priv *priv, const char *name, const struct nmreq_register *req,
	       struct nm_port **portp)
{
	struct net_device *dev;
	struct nm_nic *nic;
	const char *why;

	nm_nic_assert_locked();
	dev = nm_nic_dev(priv->net, name);
	if (!dev)
		return -ENXIO;
	if (!nm_priv_admin(priv))
		return -EPERM;
	nic = nm_nic_find(dev);
	if (nic) {
		if (nic->bridged)
			return -EBUSY;	/* the switch owns its rings */
		nm_port_get(&nic->port);
	} else {
		nic = nm_nic_open(dev, req, false, false, &why);
		if (IS_ERR(nic))
			return PTR_ERR(nic);
	}
	*portp = &nic->port;
	return 0;
}

/*
 * ATTACH "valeX:eth0": the interface on switch valeX, with its host
 * stack too ("eth0^") when nr_mode is NR_REG_NIC_SW. Why it failed goes
 * to extack (NULL for the ioctl). rtnl and nm_lock held; the switch's
 * reference is the port's only one.
 */
int nm_nic_attach(struct net *net, const char *swname, const char *ifname,
		  struct nmreq_vale_attach *req, struct netlink_ext_ack *extack)
{
	const char *why = NULL;
	struct net_device *dev;
	struct nm_nic *nic;
	bool host;
	int err;

	nm_nic_assert_locked();
	switch (req->reg.nr_mode) {
	case NR_REG_DEFAULT:
	case NR_REG_ALL_NIC:
		host = false;
		break;
	case NR_REG_NIC_SW:
		host = true;
		break;
	default:
		NL_SET_ERR_MSG(extack, "a NIC is attached with NR_REG_ALL_NIC or NR_REG_NIC_SW");
		return -EINVAL;
	}
	dev = nm_nic_dev(net, ifname);
	if (!dev)
		return -ENXIO;
	if (nm_nic_find(dev)) {
		NL_SET_ERR_MSG(extack, "interface open in netmap mode or on a switch already");
		return -EBUSY;
	}
	nic = nm_nic_open(dev, &req->reg, true, host, &why);
	if (IS_ERR(nic)) {
		if (why && extack)
			extack->_msg = why;	/* a literal: NL_SET_ERR_MSG takes none by pointer */
		return PTR_ERR(nic);
	}
	err = nm_nic_bridge_attach(nic, swname, &req->port_index);
	if (err)
		nm_port_put(&nic->port);
	return err;
}

/*
 * PORT_GET: the kind of a NIC's switch port, and if its host stack is on
 * the switch too (attached, not merely made). Core lock held.
 */
u32 nm_nic_port_kind(const struct nm_vale_port *vpp, bool *with_host)
{
	const struct nm_nic *nic = vpp->nic;
	const struct nm_vale_port *host = nic->bridge[NM_NIC_HOST];

	*with_host = vpp == nic->bridge[NM_NIC_SIDE] && host &&
		     vale_deref_ctl(host->vp->sw, &vale_lock);
	return vpp == host ? VALE_PORT_HOST : VALE_PORT_NIC;
}

/*
 * The interface went away (or the module goes): off its switch, out of
 * netmap mode. Files keep a dead port. rtnl and nm_lock held.
 */
static void nm_nic_gone(struct nm_nic *nic)
{
	nm_port_get(&nic->port);
	if (nic->bridged)
		nm_nic_detach(nic);
	nm_nic_stop(nic);
	nm_port_put(&nic->port);
}

static int nm_nic_event(struct notifier_block *nb, unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct nm_nic *nic;

	/* MTU, link and feature changes need nothing (see the top). */
	if (event != NETDEV_UNREGISTER)
		return NOTIFY_DONE;
	if (rcu_access_pointer(dev->rx_handler) != nm_nic_rx_handler)
		return NOTIFY_DONE;	/* not in netmap mode: not ours */
	mutex_lock(&nm_lock);
	nic = nm_nic_find(dev);
	if (nic)
		nm_nic_gone(nic);
	mutex_unlock(&nm_lock);
	return NOTIFY_DONE;
}

static struct notifier_block nm_nic_notifier = {
	.notifier_call = nm_nic_event,
};

/*
 * NETMAP_REQ_PORT_INFO_GET (and POOLS_INFO_GET) on an interface name:
 * the geometry of its port, or what a REGISTER without hints would make.
 * info may be NULL: does the interface exist?
 */
int nm_nic_info(struct net *net, const char *name, struct nmreq_port_info_get *info)
{
	const struct nmreq_register none = {};
	struct nm_port geom = {}, *port;
	struct net_device *dev;
	struct nm_nic *nic;
	const char *why;
	int err = 0;

	rtnl_lock();
	mutex_lock(&nm_lock);
	if (!nm_vi_get(net, name, &port)) {
		nm_port_put(port);	/* a persistent VALE interface: not a NIC */
		err = -ENXIO;
		goto out;
	}
	dev = nm_nic_dev(net, name);
	err = dev ? nm_nic_usable(dev, &why) : -ENXIO;
	if (err || !info)
		goto out;
	nic = nm_nic_find(dev);
	if (nic) {
		port = &nic->port;
	} else {
		port = &geom;
		nm_nic_geometry(dev, &none, port);
	}
	info->nr_tx_rings = port->num_rings[NM_TX];
	info->nr_rx_rings = port->num_rings[NM_RX];
	info->nr_host_tx_rings = port->num_host_rings[NM_TX];
	info->nr_host_rx_rings = port->num_host_rings[NM_RX];
	info->nr_tx_slots = port->num_slots[NM_TX];
	info->nr_rx_slots = port->num_slots[NM_RX];
	info->nr_memsize = nm_global_mem.size;
	info->nr_mem_id = nm_global_mem.id;
out:
	mutex_unlock(&nm_lock);
	rtnl_unlock();
	return err;
}

/*
 * Namespace net goes (kmod/net.c), before its interfaces are moved out or
 * deleted: those on switches leave them now, while the switches are
 * still there. No file holds one (each file holds its namespace).
 */
void nm_nic_net_exit(struct net *net)
{
	struct nm_nic *nic, *tmp;

	nm_nic_assert_locked();
	list_for_each_entry_safe(nic, tmp, &nm_nics, list)
		if (net_eq(dev_net(nic->dev), net))
			nm_nic_gone(nic);
}

int nm_nic_init(void)
{
	return register_netdevice_notifier(&nm_nic_notifier);
}

/*
 * Module unload: no file is open (each holds the module), so the ports
 * left are on switches: take them off, restoring their interfaces.
 */
void nm_nic_exit(void)
{
	struct nm_nic *nic, *tmp;

	rtnl_lock();
	mutex_lock(&nm_lock);
	list_for_each_entry_safe(nic, tmp, &nm_nics, list)
		nm_nic_gone(nic);
	mutex_unlock(&nm_lock);
	rtnl_unlock();
	unregister_netdevice_notifier(&nm_nic_notifier);
}
