// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath of NIC ports.
 *
 * Into the rx krings (the producers):
 *  - nm_nic_rx_handler(): what the interface receives, into the rx kring
 *    of the skb's queue;
 *  - nm_nic_host_xmit(), the interface's ndo_start_xmit while in netmap
 *    mode: what the host stack sends out of it, into the host rx kring.
 * Each frame is made whole first: GSO skbs are segmented in software,
 * pending (CHECKSUM_PARTIAL) checksums completed, an out-of-band VLAN tag
 * put back into the frame. A frame longer than a buffer takes several
 * slots chained with NS_MOREFRAG, up to NETMAP_MAX_FRAGS; a longer one,
 * and one that finds its ring full, is dropped and counted, in the
 * interface's rx_dropped (from the wire) or tx_dropped (from the stack).
 *
 * Out of the tx krings (nm_nic_send(), by a file's txsync or, on a
 * switch, by the switch's notify): each packet becomes an skb. The NIC's
 * go to the driver's own ndo_start_xmit under the queue's lock
 * (HARD_TX_LOCK), in batches with xmit_more, rather than through
 * dev_queue_xmit(): the qdisc would only add a second queue behind the
 * ring, and its backpressure would be hidden from us; this way a stopped
 * queue stops the ring at once (the unsent slots stay pending, the ring
 * looks full) and a timer looks again a jiffy later. It is what
 * AF_PACKET's QDISC_BYPASS and AF_XDP do. The host tx kring's packets go
 * to the stack as if received on the interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/if_vlan.h>
#include <linux/skbuff.h>
#include <asm/unaligned.h>

#include "nic.h"

#define NM_NIC_TX_BATCH		64	/* skbs built, then sent, per round */

/* Where a packet's slots are, while its skb waits to be sent. */
struct nm_nic_cb {
	u32 first;
};

#define NM_NIC_CB(skb) ((struct nm_nic_cb *)(skb)->cb)

static void nm_nic_count_drop(struct nm_nic_ring *nr)
{
	/* rx krings hold received frames, the host rx kring the stack's. */
	if (nr->host)
		dev_core_stats_tx_dropped_inc(nr->nic->dev);
	else
		dev_core_stats_rx_dropped_inc(nr->nic->dev);
}

/* Complete an inet checksum on our copy of a frame, as skb_checksum_help(). */
static void nm_nic_csum(u8 *buf, u32 len, u32 start, u32 at)
{
	__wsum csum = csum_partial(buf + start, len - start, 0);

	put_unaligned(csum_fold(csum) ?: CSUM_MANGLED_0, (__sum16 *)(buf + at));
}

/*
 * Copy one frame (not GSO; skb->data at the MAC header) into an rx kring
 * at hwtail. False if it was dropped: too long, or no room.
 */
static bool nm_nic_put(struct nm_nic_ring *nr, struct sk_buff *skb)
{
	struct nm_kring *kring = nr->kring;
	struct netmap_ring *ring = kring->ring;
	struct nm_mem *mem = kring->port->mem;
	u32 bufsize = nm_buf_size(mem), n = kring->num_slots;
	u32 len = skb->len, frags, room, j, off, f;
	int csum_start = -1, csum_at = 0;

	frags = len ? DIV_ROUND_UP(len, bufsize) : 1;
	if (unlikely(frags > NETMAP_MAX_FRAGS))
		return false;
	if (skb->ip_summed == CHECKSUM_PARTIAL) {
		csum_start = skb_checksum_start_offset(skb);
		csum_at = csum_start + skb->csum_offset;
		/* On our copy when it is one slot and an inet checksum. */
		if (frags > 1 || skb->csum_not_inet || csum_start < 0 || csum_start >= len ||
		    csum_at + sizeof(__sum16) > len) {
			if (skb_csum_hwoffload_help(skb, 0))
				return false;
			csum_start = -1;
		}
	}

	spin_lock(&nr->prod_lock);
	j = kring->nr_hwtail;
	room = nm_distance(j, nm_prev(smp_load_acquire(&kring->nr_hwcur), n), n);
	if (unlikely(room < frags)) {
		spin_unlock(&nr->prod_lock);
		return false;
	}
	for (off = 0, f = 0; f < frags; f++, j = nm_next(j, n)) {
		struct netmap_slot *slot = &ring->slot[j];
		u32 idx = READ_ONCE(slot->buf_idx);
		u32 chunk = min(bufsize, len - off);
		u32 put = 0;

		/* A file may have put any index there: only valid ones are written. */
		if (likely(nm_buf_idx_valid(mem, idx))) {
			u8 *buf = nm_buf(mem, idx);

			if (!skb_copy_bits(skb, off, buf, chunk)) {
				put = chunk;
				if (csum_start >= 0)
					nm_nic_csum(buf, len, csum_start, csum_at);
			}
		}
		WRITE_ONCE(slot->len, put);
		WRITE_ONCE(slot->flags, f + 1 < frags ? NS_MOREFRAG : 0);
		off += chunk;
	}
	smp_store_release(&kring->nr_hwtail, j);
	spin_unlock(&nr->prod_lock);
	return true;
}

/*
 * Queue an skb into an rx kring, whole frames only; consumes it. True if
 * anything was queued. skb->data is at the MAC header, the skb not shared.
 * tx_path: it comes from the stack's transmit path (else it was received).
 */
static bool nm_nic_enqueue(struct nm_nic_ring *nr, struct sk_buff *skb, bool tx_path)
{
	struct sk_buff *segs, *seg, *next;
	bool queued = false;

	if (skb_vlan_tag_present(skb)) {
		skb = __vlan_hwaccel_push_inside(skb);
		if (!skb)
			goto drop_gone;
	}
	if (!skb_is_gso(skb)) {
		if (!nm_nic_put(nr, skb))
			goto drop;
		consume_skb(skb);
		return true;
	}
	/* The states in which the kernel's own segmentation would warn. */
	if (tx_path ? skb->ip_summed != CHECKSUM_PARTIAL && skb->ip_summed != CHECKSUM_UNNECESSARY
		    : skb->ip_summed == CHECKSUM_NONE)
		goto drop;
	/* No checksum offload asked for: the segments' checksums are complete. */
	segs = __skb_gso_segment(skb, NETIF_F_SG, tx_path);
	if (IS_ERR_OR_NULL(segs))
		goto drop;
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (nm_nic_put(nr, seg)) {
			queued = true;
			consume_skb(seg);
		} else {
			nm_nic_count_drop(nr);
			kfree_skb(seg);
		}
	}
	return queued;

drop:
	kfree_skb(skb);
drop_gone:
	nm_nic_count_drop(nr);
	return false;
}

/* New packets in an rx kring: wake its files, or forward (on a switch). */
static void nm_nic_rx_done(struct nm_nic_ring *nr)
{
	if (nr->nic->bridged)
		nm_nic_rx_kick(nr);
	else
		wake_up(&nr->kring->wq);
}

/*
 * The rx handler: every frame the interface receives, while it is in
 * netmap mode, goes to an rx kring instead of the stack. Frames our host
 * port hands to the stack pass.
 */
rx_handler_result_t nm_nic_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;
	struct net_device *dev = skb->dev;
	struct nm_nic *nic = rcu_dereference(dev->rx_handler_data);
	struct nm_nic_ring *nr;
	u16 q;

	if (unlikely(skb->priority == NM_NIC_HOST_PRIO)) {
		skb->priority = 0;
		return RX_HANDLER_PASS;
	}
	if (unlikely(!nic || !READ_ONCE(nic->live) || skb->pkt_type == PACKET_LOOPBACK))
		return RX_HANDLER_PASS;
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		dev_core_stats_rx_dropped_inc(dev);
		return RX_HANDLER_CONSUMED;
	}
	if (unlikely(!skb_mac_header_was_set(skb) || skb_mac_offset(skb) > 0)) {
		kfree_skb(skb);
		dev_core_stats_rx_dropped_inc(dev);
		return RX_HANDLER_CONSUMED;
	}
	__skb_push(skb, -skb_mac_offset(skb));
	q = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : 0;
	nr = &nic->rings[NM_RX][q % nic->port.num_rings[NM_RX]];
	if (nm_nic_enqueue(nr, skb, false))
		nm_nic_rx_done(nr);
	return RX_HANDLER_CONSUMED;
}

/*
 * The interface's ndo_start_xmit in netmap mode: what the stack sends
 * goes to the host rx kring. Called with bh off (RCU-bh), maybe with the
 * queue's lock held: so a port on a switch forwards from a tasklet, never
 * from here, which could come back to this very queue.
 */
netdev_tx_t nm_nic_host_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct nm_nic *nic = rcu_dereference_bh(dev->rx_handler_data);
	struct nm_nic_ring *nr;

	if (unlikely(!nic)) {		/* cannot be: see nm_nic_start() */
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	/* netpoll (netconsole) sends with interrupts off: to the wire. */
	if (unlikely(irqs_disabled()))
		return nic->drv_ops->ndo_start_xmit(skb, dev);
	nr = &nic->rings[NM_RX][nic->port.num_rings[NM_RX]];
	if (nic->bridged && !nic->bridge[NM_NIC_HOST]) {
		/* On a switch without its host port: the stack is cut off. */
		dev_core_stats_tx_dropped_inc(dev);
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	skb = skb_share_check(skb, GFP_ATOMIC);
	if (unlikely(!skb)) {
		dev_core_stats_tx_dropped_inc(dev);
		return NETDEV_TX_OK;
	}
	if (nm_nic_enqueue(nr, skb, true)) {
		if (nic->bridged)
			tasklet_schedule(&nr->tasklet);
		else
			wake_up(&nr->kring->wq);
	}
	return NETDEV_TX_OK;
}

/*
 * The skb of the packet starting at slot i of a tx kring, whose slots
 * are [i, *next). NULL with *next past the packet when it is bad (a bad
 * buffer index or length, too many fragments, shorter than an Ethernet
 * header; counted), or when no skb could be had (counted); NULL with
 * *next == i when its last slot is not there yet (NS_MOREFRAG up to
 * head). Slots are read once each for the checks and once for the copy,
 * and the copy is bounded by the skb whatever a file wrote in between.
 */
static struct sk_buff *nm_nic_build(struct nm_nic_ring *nr, struct net_device *dev,
				    u32 i, u32 head, u32 *next)
{
	struct nm_kring *kring = nr->kring;
	struct netmap_ring *ring = kring->ring;
	struct nm_mem *mem = kring->port->mem;
	u32 bufsize = nm_buf_size(mem), n = kring->num_slots;
	u32 j = i, frags = 0, total = 0, room;
	struct sk_buff *skb;
	bool bad = false;
	u16 flags;

	do {
		const struct netmap_slot *slot = &ring->slot[j];
		u32 len = READ_ONCE(slot->len);

		flags = READ_ONCE(slot->flags);
		if (len > bufsize || !nm_buf_idx_valid(mem, READ_ONCE(slot->buf_idx)))
			bad = true;
		total += len;
		frags++;
		j = nm_next(j, n);
	} while ((flags & NS_MOREFRAG) && j != head && frags < NETMAP_MAX_FRAGS);
	if (unlikely(flags & NS_MOREFRAG)) {
		if (j == head) {
			*next = i;
			return NULL;
		}
		bad = true;
	}
	*next = j;
	if (unlikely(bad || total < ETH_HLEN)) {
		kring->bad_slots += frags;
		goto drop;
	}
	room = LL_RESERVED_SPACE(dev);
	skb = netdev_alloc_skb(dev, room + total);
	if (unlikely(!skb))
		goto drop;
	skb_reserve(skb, room);
	for (j = i; j != *next; j = nm_next(j, n)) {
		const struct netmap_slot *slot = &ring->slot[j];
		u32 idx = READ_ONCE(slot->buf_idx);
		u32 len = READ_ONCE(slot->len);

		if (len <= bufsize && nm_buf_idx_valid(mem, idx))
			skb_put_data(skb, nm_buf(mem, idx), min_t(u32, len, skb_tailroom(skb)));
	}
	if (unlikely(skb->len < ETH_HLEN)) {	/* rewritten meanwhile */
		kfree_skb(skb);
		goto drop;
	}
	return skb;
drop:
	dev_core_stats_tx_dropped_inc(dev);
	return NULL;
}

/* Drop the packets of [cur, head) (the link is down), as __dev_direct_xmit(). */
static u32 nm_nic_drop_all(struct nm_nic_ring *nr, u32 cur, u32 head)
{
	const struct netmap_ring *ring = nr->kring->ring;
	u32 n = nr->kring->num_slots;

	for (; cur != head; cur = nm_next(cur, n))
		if (!(READ_ONCE(ring->slot[cur].flags) & NS_MOREFRAG))
			dev_core_stats_tx_dropped_inc(nr->nic->dev);
	return cur;
}

/*
 * Send [*curp, head) of a NIC tx kring to the driver. Returns 1 when the
 * queue stopped (the rest stays pending, the timer is armed), 0 when all
 * was sent (but for a packet still incomplete), -ENXIO when the interface
 * is gone. Advances *curp over what was sent or dropped.
 */
static int nm_nic_to_driver(struct nm_nic_ring *nr, u32 *curp, u32 head)
{
	struct nm_nic *nic = nr->nic;
	struct net_device *dev = nic->dev;
	const struct net_device_ops *ops = nic->drv_ops;
	u32 cur = *curp, scan, next;
	struct sk_buff_head q;
	struct netdev_queue *txq;
	struct sk_buff *skb;
	bool incomplete = false;
	int ret = 0;

	__skb_queue_head_init(&q);
	while (cur != head && !ret && !incomplete) {
		u16 qid;

		local_bh_disable();
		if (unlikely(!READ_ONCE(nic->live))) {
			local_bh_enable();
			return -ENXIO;
		}
		if (unlikely(!netif_running(dev) || !netif_carrier_ok(dev))) {
			cur = nm_nic_drop_all(nr, cur, head);
			local_bh_enable();
			break;
		}
		qid = nr->kring->id % READ_ONCE(dev->real_num_tx_queues);
		txq = netdev_get_tx_queue(dev, qid);

		/* Build a batch outside the queue's lock. */
		for (scan = cur; scan != head && skb_queue_len(&q) < NM_NIC_TX_BATCH; scan = next) {
			skb = nm_nic_build(nr, dev, scan, head, &next);
			if (!skb) {
				if (next == scan) {
					incomplete = true;	/* waits for its last slot */
					break;
				}
				continue;			/* dropped */
			}
			skb_reset_mac_header(skb);
			skb->protocol = eth_proto_is_802_3(eth_hdr(skb)->h_proto) ?
					eth_hdr(skb)->h_proto : htons(ETH_P_802_2);
			skb_set_network_header(skb, ETH_HLEN);
			skb_set_queue_mapping(skb, qid);
			NM_NIC_CB(skb)->first = scan;
			__skb_queue_tail(&q, skb);
		}

		/* Send it under the lock, as __dev_direct_xmit(), with xmit_more. */
		dev_xmit_recursion_inc();
		HARD_TX_LOCK(dev, txq, smp_processor_id());
		while ((skb = skb_peek(&q))) {
			u32 first = NM_NIC_CB(skb)->first;
			netdev_tx_t rc;

			if (netif_xmit_frozen_or_drv_stopped(txq)) {
				ret = 1;
				cur = first;
				break;
			}
			__skb_unlink(skb, &q);
			rc = __netdev_start_xmit(ops, skb, dev, !skb_queue_empty(&q));
			if (rc == NETDEV_TX_OK) {
				txq_trans_update(txq);
			} else if (!dev_xmit_complete(rc)) {
				/* NETDEV_TX_BUSY: not taken, to be sent again. */
				kfree_skb(skb);
				ret = 1;
				cur = first;
				break;
			}
		}
		HARD_TX_UNLOCK(dev, txq);
		dev_xmit_recursion_dec();
		if (!ret)
			cur = scan;	/* all sent, and the bad packets among them dropped */
		__skb_queue_purge(&q);
		if (ret && !timer_pending(&nr->timer))
			mod_timer(&nr->timer, jiffies + 1);
		local_bh_enable();
	}
	*curp = cur;
	return ret;
}

/* Hand [*curp, head) of the host tx kring to the stack, as received. */
static int nm_nic_to_stack(struct nm_nic_ring *nr, u32 *curp, u32 head)
{
	struct nm_nic *nic = nr->nic;
	struct net_device *dev = nic->dev;
	u32 cur = *curp, next, budget;
	struct sk_buff *skb;

	while (cur != head) {
		local_bh_disable();
		if (unlikely(!READ_ONCE(nic->live))) {
			local_bh_enable();
			return -ENXIO;
		}
		for (budget = NM_NIC_TX_BATCH; cur != head && budget; budget--, cur = next) {
			skb = nm_nic_build(nr, dev, cur, head, &next);
			if (!skb) {
				if (next == cur)
					break;
				continue;
			}
			if (unlikely(!netif_running(dev))) {
				dev_core_stats_rx_dropped_inc(dev);
				kfree_skb(skb);
				continue;
			}
			skb->protocol = eth_type_trans(skb, dev);
			skb->priority = NM_NIC_HOST_PRIO;	/* our rx handler lets it pass */
			netif_receive_skb(skb);
		}
		local_bh_enable();
		if (budget && cur != head)
			break;		/* an incomplete packet at the end */
	}
	*curp = cur;
	return 0;
}

int nm_nic_send(struct nm_nic_ring *nr, u32 *curp, u32 head)
{
	if (nr->host)
		return nm_nic_to_stack(nr, curp, head);
	return nm_nic_to_driver(nr, curp, head);
}

/* A queue stopped a jiffy ago: its files poll again, or the switch pushes. */
void nm_nic_tx_timer(struct timer_list *t)
{
	struct nm_nic_ring *nr = from_timer(nr, t, timer);

	if (nr->nic->bridged)
		nm_nic_push(nr);
	else
		wake_up(&nr->kring->wq);
}

/* A file's txsync: send [hwcur, head); the slots are free once copied. */
int nm_nic_txsync(struct nm_kring *kring)
{
	u32 cur = kring->nr_hwcur;
	int err = nm_nic_send(nm_nic_ring(kring), &cur, kring->rhead);

	kring->nr_hwcur = cur;
	kring->nr_hwtail = nm_prev(cur, kring->num_slots);
	return err < 0 ? err : 0;
}

/* A file's rxsync: the slots it released may be filled again. */
int nm_nic_rxsync(struct nm_kring *kring)
{
	if (!READ_ONCE(to_nic(kring->port)->live))
		return -ENXIO;
	if (kring->rhead != kring->nr_hwcur)
		smp_store_release(&kring->nr_hwcur, kring->rhead);
	return 0;
}
