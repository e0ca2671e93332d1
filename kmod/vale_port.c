// SPDX-License-Identifier: GPL-2.0
/*
 * Switch ports as netmap ports: the glue between the OS-independent switch
 * core (vale/) and the netmap device.
 *
 * REGISTER on "valeX:Y" opens port Y of switch X, making both if needed
 * (ephemeral: the port goes when its last file closes, the switch with its
 * last port). Each port has a private memory region, so a process that
 * mapped one port sees nothing of another: packets cross by copy only.
 *
 * A port's tx kring i is the core's tx ring i: txsync forwards [hwcur,
 * head). Its rx kring i is the core's rx ring i: senders fill it under the
 * core's lease scheme and wake the kring's wait queue; rxsync hands the
 * user's head to the core as hwcur and takes the core's hwtail.
 *
 * Switches are per network namespace: "valeX" is looked up, and made, in
 * the namespace of the file (or netlink request) that names it; the core
 * keeps the struct net as the switch's opaque ns. Opening a port of a
 * switch (made on the way if needed) is data-path access, open to anyone
 * who may open /dev/netmap; changing one is not (kmod/dev.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <uapi/linux/vale.h>

#include "nm_priv.h"
#include "vale_port.h"

/* The limits: include/uapi/linux/vale.h, "Limits". */
#define NM_VALE_DEF_SLOTS	1024
#define NM_VALE_MAX_EXTRA	4096
static_assert(VALE_MAX_SLOTS == NM_MAX_SLOTS);
#define NM_VALE_IF_OBJS		16	/* files bound to one port at once */


static int nm_vale_txsync(struct nm_kring *kring)
{
	struct vale_port *vp = to_vale(kring->port)->vp;
	u32 cur = kring->nr_hwcur, head = kring->rhead, next;

	while (cur != head) {
		next = vale_forward(vp, kring->id, cur, head);
		if (next == cur)
			break;		/* an incomplete multi-slot packet waits */
		cur = next;
	}
	kring->nr_hwcur = cur;
	kring->nr_hwtail = nm_prev(cur, kring->num_slots);
	return 0;
}

static int nm_vale_rxsync(struct nm_kring *kring)
{
	struct vale_rx_ring *rx = &to_vale(kring->port)->vp->rx[kring->id];

	if (kring->rhead != kring->nr_hwcur) {
		kring->nr_hwcur = kring->rhead;
		smp_store_release(&rx->hwcur, kring->rhead);
	}
	kring->nr_hwtail = smp_load_acquire(&rx->hwtail);
	return 0;
}

static void nm_vale_notify(void *arg)
{
	struct nm_kring *kring = arg;

	/* Most deliveries find nobody asleep: skip the queue's lock then. */
	if (wq_has_sleeper(&kring->wq))
		wake_up(&kring->wq);
}

/* Free a port that is not (or no longer) on a switch. */
void nm_vale_free(struct nm_vale_port *vpp)
{
	struct nm_mem *mem = vpp->port.mem;

	vale_port_free(vpp->vp);
	nm_port_free_rings(&vpp->port);
	nm_mem_unuse(mem);
	nm_mem_private_free(mem);
	kfree(vpp);
}

/*
 * The last reference is gone (nm_lock held): leave the switch, which
 * waits until no sender can still be copying into the port, then free.
 */
static void nm_vale_dtor(struct nm_port *port)
{
	struct nm_vale_port *vpp = to_vale(port);

	vale_core_lock();
	vale_port_detach(vpp->vp);
	vale_core_unlock();
	nm_vale_free(vpp);
}

static const struct nm_port_ops nm_vale_ops = {
	.txsync = nm_vale_txsync,
	.rxsync = nm_vale_rxsync,
	.dtor = nm_vale_dtor,
};

static u32 nm_vale_clamp(u32 v, u32 def, u32 lo, u32 hi)
{
	return v ? clamp(v, lo, hi) : def;
}

/* A private region just big enough for the port's rings and buffers. */
static struct nm_mem *nm_vale_region(const struct nm_port *port, u32 extra_bufs)
{
	u32 nrings = port->num_rings[NM_TX] + port->num_rings[NM_RX];
	u32 max_slots = max(port->num_slots[NM_TX], port->num_slots[NM_RX]);
	u32 num[NM_POOLS], size[NM_POOLS];

	num[NM_POOL_IF] = NM_VALE_IF_OBJS;
	size[NM_POOL_IF] = ALIGN(sizeof(struct netmap_if) + nrings * sizeof(ssize_t), 64);
	num[NM_POOL_RING] = nrings;
	size[NM_POOL_RING] = ALIGN(sizeof(struct netmap_ring) +
				   max_slots * sizeof(struct netmap_slot), 64);
	num[NM_POOL_BUF] = 2 + port->num_rings[NM_TX] * port->num_slots[NM_TX] +
			   port->num_rings[NM_RX] * port->num_slots[NM_RX] +
			   min_t(u32, extra_bufs, NM_VALE_MAX_EXTRA);
	size[NM_POOL_BUF] = nm_mem_buf_size();
	return nm_mem_private_new(num, size);
}

/* Point the core's port at the rings and buffers of the netmap port. */
static void nm_vale_bind_core(struct nm_vale_port *vpp)
{
	struct nm_port *port = &vpp->port;
	struct vale_port *vp = vpp->vp;
	struct nm_mem *mem = port->mem;
	u32 i;

	vp->buf_base = mem->base + mem->pools[NM_POOL_BUF].offset;
	vp->buf_size = nm_buf_size(mem);
	vp->buf_count = mem->pools[NM_POOL_BUF].objtotal;
	vp->owner = vpp;
	for (i = 0; i < port->num_rings[NM_TX]; i++)
		vp->tx[i].ring = port->krings[NM_TX][i].ring;
	for (i = 0; i < port->num_rings[NM_RX]; i++) {
		struct nm_kring *kring = &port->krings[NM_RX][i];

		vale_rx_ring_init(&vp->rx[i], kring->ring, kring->num_slots);
		vp->rx[i].notify = nm_vale_notify;
		vp->rx[i].notify_arg = kring;
	}
}

struct nm_vale_port *nm_vale_port_new(const char *pname,
					      const struct nmreq_register *req, int *errp,
					      struct netlink_ext_ack *extack)
{
	struct nm_vale_port *vpp;
	struct nm_port *port;
	struct nm_mem *mem;
	int err;

	vpp = kzalloc(sizeof(*vpp), GFP_KERNEL);
	if (!vpp) {
		*errp = -ENOMEM;
		return NULL;
	}
	port = &vpp->port;
	port->ops = &nm_vale_ops;
	port->num_rings[NM_TX] = nm_vale_clamp(req->nr_tx_rings, 1, 1, VALE_MAX_RINGS);
	port->num_rings[NM_RX] = nm_vale_clamp(req->nr_rx_rings, 1, 1, VALE_MAX_RINGS);
	port->num_slots[NM_TX] = nm_vale_clamp(req->nr_tx_slots, NM_VALE_DEF_SLOTS, VALE_MIN_SLOTS,
					       VALE_MAX_SLOTS);
	port->num_slots[NM_RX] = nm_vale_clamp(req->nr_rx_slots, NM_VALE_DEF_SLOTS, VALE_MIN_SLOTS,
					       VALE_MAX_SLOTS);
	refcount_set(&port->ref, 1);

	mem = nm_vale_region(port, req->nr_extra_bufs);
	if (IS_ERR(mem)) {
		err = PTR_ERR(mem);
		goto fail_free;
	}
	port->mem = mem;
	err = nm_mem_use(mem, extack);
	if (err)
		goto fail_mem;
	err = nm_port_init_rings(port);
	if (err)
		goto fail_use;
	vpp->vp = vale_port_alloc(pname, port->num_rings[NM_TX], port->num_slots[NM_TX],
				  port->num_rings[NM_RX], port->num_slots[NM_RX]);
	if (!vpp->vp) {
		err = -ENOMEM;
		goto fail_rings;
	}
	nm_vale_bind_core(vpp);
	return vpp;

fail_rings:
	nm_port_free_rings(port);
fail_use:
	nm_mem_unuse(mem);
fail_mem:
	nm_mem_private_free(mem);
fail_free:
	kfree(vpp);
	*errp = err;
	return NULL;
}

/*
 * The switch port a "valeX:Y" name designates, made with its switch if
 * needed, with a reference for the caller. Called with nm_lock held.
 */
int nm_vale_get(struct net *net, const char *name, const struct nmreq_register *req,
		struct nm_port **portp)
{
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct nm_vale_port *vpp;
	struct vale_switch *sw;
	struct vale_port *vp;
	bool new_switch = false;
	int err;

	lockdep_assert_held(&nm_lock);
	err = vale_split_name(name, swname, pname);
	if (err)
		return err;

	vale_core_lock();
	sw = vale_switch_find(net, swname);
	if (sw) {
		vp = vale_switch_port(sw, pname);
		if (vp) {
			/* Another file on the same port (or a VI): share it. */
			vpp = vp->owner;
			if (vpp->nic) {
				err = -EBUSY;	/* a NIC's: the switch owns its rings */
				goto out;
			}
			nm_port_get(&vpp->port);
			*portp = &vpp->port;
			vale_core_unlock();
			return 0;
		}
		if (nm_vi_exists(net, pname)) {
			/* As netmap: valeX:IF never shadows an interface IF. */
			err = -EINVAL;
			goto out;
		}
		if (sw->nports == VALE_MAX_PORTS) {
			err = -ENOSPC;
			goto out;
		}
	} else {
		if (nm_vi_exists(net, pname)) {
			err = -EINVAL;
			goto out;
		}
		err = vale_switch_new(net, swname, false, NULL, &sw);
		if (err)
			goto out;
		new_switch = true;
	}
	vpp = nm_vale_port_new(pname, req, &err, NULL);
	if (!vpp)
		goto out_switch;
	strscpy(vpp->port.name, name, sizeof(vpp->port.name));
	err = vale_port_attach(sw, vpp->vp);
	if (err) {
		nm_vale_free(vpp);
		goto out_switch;
	}
	*portp = &vpp->port;
	vale_core_unlock();
	return 0;

out_switch:
	if (new_switch)
		vale_switch_put_if_unused(sw);
out:
	vale_core_unlock();
	return err;
}

/*
 * NETMAP_REQ_VALE_LIST, as netmap answers it: with a port name, where the
 * port is (switch and port numbers); without one, the first port at or
 * after (nr_bridge_idx, nr_port_idx), its full name written back to
 * name, or ENOENT when there is none. Only the switches of net.
 */
int nm_vale_list(struct net *net, char *name, struct nmreq_vale_list *req)
{
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct vale_switch *sw;
	struct vale_port *vp;
	u32 b, p;
	int err = -ENOENT;

	vale_core_lock();
	if (*name) {
		err = vale_split_name(name, swname, pname);
		if (err)
			goto out;
		err = -ENXIO;
		sw = vale_switch_find(net, swname);
		vp = sw ? vale_switch_port(sw, pname) : NULL;
		if (vp) {
			req->nr_bridge_idx = sw->index;
			req->nr_port_idx = vp->index;
			err = 0;
		}
		goto out;
	}
	for (b = req->nr_bridge_idx, p = req->nr_port_idx; b < VALE_MAX_SWITCHES; b++, p = 0) {
		sw = vale_switch_at(b);
		if (!sw || sw->ns != net)
			continue;
		for (; p < VALE_MAX_PORTS; p++) {
			vp = vale_deref_ctl(sw->ports[p], &vale_lock);
			if (!vp)
				continue;
			snprintf(name, NETMAP_REQ_IFNAMSIZ, "%s:%s", sw->name, vp->name);
			req->nr_bridge_idx = b;
			req->nr_port_idx = p;
			err = 0;
			goto out;
		}
	}
out:
	vale_core_unlock();
	return err;
}

/*
 * Namespace net goes (kmod/net.c), after its NICs and VIs left their
 * switches: what remains of its switches are persistent ones without
 * ports (ephemeral ports are files', and files hold their namespace).
 * They go, announced as SWITCH_DEL would.
 */
void nm_vale_net_exit(struct net *net)
{
	struct vale_switch *sw;
	u32 i;

	vale_core_lock();
	for (i = 0; i < VALE_MAX_SWITCHES; i++) {
		sw = vale_switch_at(i);
		if (!sw || sw->ns != net)
			continue;
		WARN_ON_ONCE(sw->nports);
		sw->persistent = false;
		vale_switch_put_if_unused(sw);
	}
	vale_core_unlock();
}

int nm_vale_init(void)
{
	return vale_core_init();
}

void nm_vale_exit(void)
{
	vale_core_exit();
}

/*
 * NETMAP_REQ_PORT_HDR_SET / _GET: the length of the virtio-net header that
 * precedes each frame in the port's buffers (0, 10 or 12, as netmap
 * accepts). The switch adds, strips or keeps headers between ports that
 * differ. A switch port is named "valeX:Y"; a persistent one also by its
 * interface name. Setting it is the file's own business on the port it
 * is bound to; on any other port it needs CAP_NET_ADMIN (EPERM).
 */
int nm_vale_port_hdr(const struct nm_priv *priv, const char *name, struct nmreq_port_hdr *req,
		     bool set)
{
	struct net *net = priv->net;
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct vale_port *vp = NULL;
	struct vale_switch *sw;
	struct nm_port *port;
	int err = 0;

	if (set && req->nr_hdr_len != 0 && req->nr_hdr_len != 10 && req->nr_hdr_len != 12)
		return -EINVAL;
	mutex_lock(&nm_lock);
	vale_core_lock();
	if (!vale_split_name(name, swname, pname)) {
		sw = vale_switch_find(net, swname);
		vp = sw ? vale_switch_port(sw, pname) : NULL;
	} else if (!nm_vi_get(net, name, &port)) {
		vp = to_vale(port)->vp;
		nm_port_put(port);	/* the VI's own reference keeps it */
	}
	if (!vp)
		err = -ENXIO;
	else if (set && priv->port != &((struct nm_vale_port *)vp->owner)->port &&
		 !nm_priv_admin(priv))
		err = -EPERM;
	else if (set && ((struct nm_vale_port *)vp->owner)->nic)
		err = -EINVAL;	/* a NIC's frames carry no virtio-net header */
	else if (set)
		WRITE_ONCE(vp->vnet_hdr_len, req->nr_hdr_len);
	else
		req->nr_hdr_len = READ_ONCE(vp->vnet_hdr_len);
	vale_core_unlock();
	mutex_unlock(&nm_lock);
	return err;
}

/*
 * PORT_INFO_GET of an existing switch port ("valeX:Y") or persistent
 * interface: its geometry. Nothing is made. ENXIO if there is none.
 */
int nm_vale_port_info(struct net *net, const char *name, struct nmreq_port_info_get *info)
{
	char swname[VALE_NAME_MAX], pname[VALE_NAME_MAX];
	struct nm_port *port = NULL;
	struct vale_switch *sw;
	struct vale_port *vp;
	int err = 0;

	mutex_lock(&nm_lock);
	if (!vale_split_name(name, swname, pname)) {
		vale_core_lock();
		sw = vale_switch_find(net, swname);
		vp = sw ? vale_switch_port(sw, pname) : NULL;
		if (vp) {
			port = &((struct nm_vale_port *)vp->owner)->port;
			nm_port_get(port);
		}
		vale_core_unlock();
	} else if (vale_switch_name(name)) {
		err = -EINVAL;
	} else {
		nm_vi_get(net, name, &port);
	}
	if (!port) {
		mutex_unlock(&nm_lock);
		return err ?: -ENXIO;
	}
	info->nr_memsize = port->mem->size;
	info->nr_tx_slots = port->num_slots[NM_TX];
	info->nr_rx_slots = port->num_slots[NM_RX];
	info->nr_tx_rings = port->num_rings[NM_TX];
	info->nr_rx_rings = port->num_rings[NM_RX];
	info->nr_host_tx_rings = port->num_host_rings[NM_TX];
	info->nr_host_rx_rings = port->num_host_rings[NM_RX];
	info->nr_mem_id = port->mem->id;
	nm_port_put(port);
	mutex_unlock(&nm_lock);
	return 0;
}
