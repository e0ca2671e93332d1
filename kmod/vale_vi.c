// SPDX-License-Identifier: GPL-2.0
/*
 * Persistent virtual interfaces (NETMAP_REQ_VALE_NEWIF / _DELIF), and
 * attaching them to switches (NETMAP_REQ_VALE_ATTACH / _DETACH), with
 * netmap's semantics:
 *  - NEWIF "vi0" makes a network interface vi0 and a switch port behind
 *    it, with its own memory region, on no switch yet. A netmap program
 *    opens it as "vi0" (or "valeX:vi0" once attached to valeX).
 *  - ATTACH "valeX:vi0" puts it on switch valeX (made if needed); DETACH
 *    takes it off. Ephemeral ports cannot be detached: they go with their
 *    last file.
 *  - DELIF "vi0" removes it; refused (EBUSY) while it is attached or open.
 *  - ATTACH / DETACH of a name that is no VI: a network interface
 *    (drivers/nic.c), with its host stack when nr_mode is NR_REG_NIC_SW.
 * The interface itself carries no host-stack traffic: what the stack
 * sends on it is dropped and counted (tx_dropped).
 *
 * A VI is made in the network namespace of the request (a file's, or a
 * netlink socket's), is known by name there only, and cannot be moved
 * to another (NETIF_F_NETNS_LOCAL): it goes with its namespace
 * (nm_vi_net_exit, from kmod/net.c).
 *
 * Locking: nm_lock around the registry and the ports; rtnl (register and
 * unregister of the netdev) is never taken with nm_lock held. ATTACH and
 * DETACH take rtnl before nm_lock, for NICs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "vale_port.h"

struct nm_vi {
	struct list_head list;		/* nm_vis, nm_lock */
	struct net_device *dev;
	struct nm_vale_port *vpp;	/* holds one reference of the port */
};

static LIST_HEAD(nm_vis);

static netdev_tx_t nm_vi_xmit(struct sk_buff *skb, struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops nm_vi_netdev_ops = {
	.ndo_start_xmit = nm_vi_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void nm_vi_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &nm_vi_netdev_ops;
	/* Its namespace's: "ip link set vi0 netns X" is refused (EINVAL). */
	dev->features |= NETIF_F_NETNS_LOCAL;
	eth_hw_addr_random(dev);
}

static struct nm_vi *nm_vi_find(const struct net *net, const char *name)
{
	struct nm_vi *vi;

	lockdep_assert_held(&nm_lock);
	list_for_each_entry(vi, &nm_vis, list)
		if (net_eq(dev_net(vi->dev), net) && !strcmp(vi->dev->name, name))
			return vi;
	return NULL;
}

/* Is there a persistent interface of that name in net? nm_lock held. */
bool nm_vi_exists(struct net *net, const char *name)
{
	return nm_vi_find(net, name) != NULL;
}

/* REGISTER on a VI's name: its port, with a reference. nm_lock held. */
int nm_vi_get(struct net *net, const char *name, struct nm_port **portp)
{
	struct nm_vi *vi = nm_vi_find(net, name);

	if (!vi)
		return -ENXIO;
	nm_port_get(&vi->vpp->port);
	*portp = &vi->vpp->port;
	return 0;
}

int nm_vi_create(struct net *net, const char *name, const struct nmreq_vale_newif *req,
		 struct netlink_ext_ack *extack)
{
	struct nmreq_register reg = {
		.nr_tx_rings = req->nr_tx_rings,
		.nr_rx_rings = req->nr_rx_rings,
		.nr_tx_slots = req->nr_tx_slots,
		.nr_rx_slots = req->nr_rx_slots,
	};
	struct net_device *dev;
	struct nm_vi *vi;
	int err;

	/* A name that could be a switch port or a pipe would be ambiguous. */
	if (!dev_valid_name(name) || vale_switch_name(name) || strpbrk(name, "{}:"))
		return -EINVAL;
	if (req->nr_mem_id)
		return -EINVAL;		/* a VI always has its own region */
	vi = kzalloc(sizeof(*vi), GFP_KERNEL);
	if (!vi)
		return -ENOMEM;
	dev = alloc_netdev(0, name, NET_NAME_USER, nm_vi_setup);
	if (!dev) {
		err = -ENOMEM;
		goto fail_vi;
	}
	dev_net_set(dev, net);
	err = register_netdev(dev);
	/*
	 * Linux 6.1's netdev_register_kobject() ignores a failed dev_set_name()
	 * (out of memory) and device_add() then says -EINVAL. The name passed
	 * the checks above, so that -EINVAL only means memory (found by the
	 * fault-injection tests); say so rather than "bad interface name".
	 */
	if (err == -EINVAL)
		err = -ENOMEM;
	if (err)
		goto fail_dev;
	vi->dev = dev;

	mutex_lock(&nm_lock);
	vi->vpp = nm_vale_port_new(name, &reg, &err, extack);
	if (!vi->vpp) {
		mutex_unlock(&nm_lock);
		goto fail_register;
	}
	vi->vpp->vi = vi;
	strscpy(vi->vpp->port.name, name, sizeof(vi->vpp->port.name));
	list_add_tail(&vi->list, &nm_vis);
	vale_genl_announce_if(net, name, true);
	mutex_unlock(&nm_lock);
	return 0;

fail_register:
	unregister_netdev(dev);
fail_dev:
	free_netdev(dev);
fail_vi:
	kfree(vi);
	return err;
}

/* Take a VI out of the registry and drop its port. nm_lock held. */
static void nm_vi_unlink(struct nm_vi *vi)
{
	list_del(&vi->list);
	vi->vpp->vi = NULL;
	nm_port_put(&vi->vpp->port);
}

int nm_vi_delete(struct net *net, const char *name)
{
	struct nm_vi *vi;
	int err = 0;

	mutex_lock(&nm_lock);
	vi = nm_vi_find(net, name);
	if (!vi) {
		err = -ENXIO;
	} else if (rcu_access_pointer(vi->vpp->vp->sw) ||
		   refcount_read(&vi->vpp->port.ref) > 1) {
		err = -EBUSY;	/* on a switch, or open */
	} else {
		vale_genl_announce_if(net, name, false);
		nm_vi_unlink(vi);
	}
	mutex_unlock(&nm_lock);
	if (err)
		return err;
	unregister_netdev(vi->dev);
	free_netdev(vi->dev);
	kfree(vi);
	return 0;
}

int nm_vale_attach(struct net *net, const char *name, struct nmreq_vale_attach *req,
		   struct netlink_ext_ack *extack)
{
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct vale_switch *sw;
	struct vale_port *vp;
	bool new_switch = false;
	struct nm_vi *vi;
	int err;

	err = vale_split_name(name, swname, pname);
	if (err)
		return err;
	rtnl_lock();	/* before nm_lock: a NIC may be attached */
	mutex_lock(&nm_lock);
	vi = nm_vi_find(net, pname);
	if (!vi) {
		err = nm_nic_attach(net, swname, pname, req, extack);	/* a network interface? */
		goto out;
	}
	if (req->reg.nr_mode == NR_REG_NIC_SW) {
		/* netmap ignores it; a "-h" that did half of what it says would mislead */
		NL_SET_ERR_MSG(extack, "a persistent VALE interface has no host stack");
		err = -EOPNOTSUPP;
		goto out;
	}
	vp = vi->vpp->vp;
	vale_core_lock();
	if (rcu_access_pointer(vp->sw)) {
		NL_SET_ERR_MSG(extack, "interface already attached to a switch");
		err = -EBUSY;
		goto out_core;
	}
	sw = vale_switch_find(net, swname);
	if (!sw) {
		err = vale_switch_new(net, swname, false, NULL, &sw);
		if (err)
			goto out_core;
		new_switch = true;
	}
	err = vale_port_attach(sw, vp);
	if (err) {
		if (new_switch)
			vale_switch_put_if_unused(sw);
		goto out_core;
	}
	req->port_index = vp->index;
out_core:
	vale_core_unlock();
out:
	mutex_unlock(&nm_lock);
	rtnl_unlock();
	return err;
}

int nm_vale_detach(struct net *net, const char *name, struct nmreq_vale_detach *req)
{
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct nm_nic *nic = NULL;
	struct nm_vale_port *vpp;
	struct vale_switch *sw;
	struct vale_port *vp;
	int err;

	err = vale_split_name(name, swname, pname);
	if (err)
		return err;
	rtnl_lock();	/* before nm_lock: a NIC may leave netmap mode */
	mutex_lock(&nm_lock);
	vale_core_lock();
	sw = vale_switch_find(net, swname);
	vp = sw ? vale_switch_port(sw, pname) : NULL;
	if (!vp) {
		err = -ENXIO;
		goto out;
	}
	vpp = vp->owner;
	if (!vpp->vi && !vpp->nic) {
		err = -EINVAL;	/* ephemeral: it leaves when its files close */
		goto out;
	}
	req->port_index = vp->index;
	if (vpp->nic)
		nic = vpp->nic;	/* it leaves with its host port, below */
	else
		vale_port_detach(vp);
out:
	vale_core_unlock();
	if (nic)
		nm_nic_detach(nic);
	mutex_unlock(&nm_lock);
	rtnl_unlock();
	return err;
}

/*
 * Remove the VIs of net (NULL: all), announced as DELIF would. No file is
 * bound to any of them: every file holds its namespace, and the module
 * is only unloaded when no file is open.
 */
static void nm_vi_remove(const struct net *net)
{
	struct nm_vi *vi, *tmp;
	LIST_HEAD(gone);

	mutex_lock(&nm_lock);
	list_for_each_entry_safe(vi, tmp, &nm_vis, list) {
		if (net && !net_eq(dev_net(vi->dev), net))
			continue;
		vale_genl_announce_if(dev_net(vi->dev), vi->dev->name, false);
		nm_vi_unlink(vi);	/* the port's dtor leaves its switch */
		list_add(&vi->list, &gone);
	}
	mutex_unlock(&nm_lock);
	list_for_each_entry_safe(vi, tmp, &gone, list) {
		unregister_netdev(vi->dev);
		free_netdev(vi->dev);
		kfree(vi);
	}
}

/* Namespace net goes (kmod/net.c): its VIs go with it. */
void nm_vi_net_exit(struct net *net)
{
	nm_vi_remove(net);
}

/* Module unload: no file is open any more; remove every VI. */
void nm_vi_exit(void)
{
	nm_vi_remove(NULL);
}
