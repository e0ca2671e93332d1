/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NIC ports: any Linux network interface opened in netmap mode (the
 * "generic" adapter), private to drivers/nic*.c. See nic.c for the design
 * and its DOC: Locking.
 */
#ifndef _NM_NIC_H
#define _NM_NIC_H

#include <linux/interrupt.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/timer.h>

#include "nm_priv.h"
#include "vale_port.h"

#define NM_NIC_MAX_RINGS	32	/* queues used per direction */
#define NM_NIC_DEF_SLOTS	1024
#define NM_NIC_MIN_SLOTS	64
/*
 * Marks the skbs the host port hands to the stack, so that our own rx
 * handler lets them through (netmap's generic adapter does the same).
 */
#define NM_NIC_HOST_PRIO	0x7e5ad1cau

struct nm_nic;

/* Our state for one kring of a NIC port (same index as the kring). */
struct nm_nic_ring {
	struct nm_kring *kring;
	struct nm_nic *nic;
	bool host;			/* the host ring of its direction */
	/* rx: serialises the producers (rx handler, the stack's xmit). */
	spinlock_t prod_lock;
	/* On a switch: the one consumer at a time, taken with trylock only. */
	spinlock_t cons_lock;
	/* On a switch: forward (rx) or push to the driver (tx) again. */
	struct tasklet_struct tasklet;
	/* tx: the driver stopped the queue: look again in a while. */
	struct timer_list timer;
};

struct nm_nic {
	struct nm_port port;
	struct list_head list;		/* nm_nics (nm_lock), while live */
	struct net_device *dev;		/* not to be used once !live */
	netdevice_tracker dev_tracker;
	bool live;			/* datapath may use dev (read under RCU-bh) */
	bool bridged;			/* made by ATTACH: the switch owns the rings */
	const struct net_device_ops *drv_ops;	/* the driver's own */
	struct net_device_ops ops;	/* drv_ops with nm_nic_host_xmit */
	/* On a switch: the NIC's port and, optionally, the host stack's. */
	struct nm_vale_port *bridge[2];
	struct nm_nic_ring *rings[NM_DIRS];
};

#define NM_NIC_SIDE	0
#define NM_NIC_HOST	1

static inline struct nm_nic *to_nic(struct nm_port *port)
{
	return container_of(port, struct nm_nic, port);
}

static inline struct nm_nic_ring *nm_nic_ring(struct nm_kring *kring)
{
	return &to_nic(kring->port)->rings[kring->dir][kring->id];
}

/* nic_io.c: the datapath. */
rx_handler_result_t nm_nic_rx_handler(struct sk_buff **pskb);
netdev_tx_t nm_nic_host_xmit(struct sk_buff *skb, struct net_device *dev);
int nm_nic_txsync(struct nm_kring *kring);
int nm_nic_rxsync(struct nm_kring *kring);
int nm_nic_send(struct nm_nic_ring *nr, u32 *curp, u32 head);
void nm_nic_tx_timer(struct timer_list *t);

/* nic_bridge.c: the NIC on a switch. */
int nm_nic_bridge_new(struct nm_nic *nic, bool host);
void nm_nic_bridge_free(struct nm_nic *nic);
int nm_nic_bridge_attach(struct nm_nic *nic, const char *swname, u32 *port_index);
void nm_nic_rx_kick(struct nm_nic_ring *nr);
void nm_nic_push(struct nm_nic_ring *nr);
void nm_nic_tasklet(struct tasklet_struct *t);

#endif /* _NM_NIC_H */
