// SPDX-License-Identifier: GPL-2.0
/*
 * The request format before NIOCCTRL: NIOCGINFO and NIOCREGIF with a
 * struct nmreq, which programs built on netmap's nm_open() still use.
 * Each is translated to its NIOCCTRL equivalent, as netmap does:
 *  - NIOCGINFO: port info (an empty name: the global region's size and
 *    id), or with nr_cmd NETMAP_BDG_LIST the switch port list;
 *  - NIOCREGIF with nr_cmd 0: REGISTER. The mode is NR_REG_* from the low
 *    bits of nr_flags, or, when those are 0, from nr_ringid
 *    (NETMAP_SW_RING: host rings, NETMAP_HW_RING: one ring, else all);
 *    NR_REG_PIPE_MASTER/SLAVE name pipe NAME{N / NAME}N with N in
 *    nr_ringid; nr_arg2 is the memory region id, nr_arg3 the number of
 *    extra buffers;
 *  - NIOCREGIF with nr_cmd NETMAP_BDG_ATTACH / DETACH / NEWIF / DELIF /
 *    VNET_HDR and NETMAP_VNET_HDR_GET (length in nr_arg1): the switch
 *    requests. Other commands: EOPNOTSUPP.
 * Each is held to what its NIOCCTRL twin is: the file's network
 * namespace, and CAP_NET_ADMIN for ATTACH, DETACH, NEWIF, DELIF and the
 * polling and ptnetmap commands we do not implement (EPERM, before
 * anything else is looked at), VNET_HDR of a port the file is not bound
 * to and REGISTER of a NIC.
 */
#include <linux/string.h>
#include <linux/uaccess.h>

#include "nm_priv.h"

static void nm_legacy_to_register(const struct nmreq *nmr, struct nmreq_register *reg)
{
	u32 mode = nmr->nr_flags & NR_REG_MASK;

	memset(reg, 0, sizeof(*reg));
	if (mode == NR_REG_DEFAULT) {
		if (nmr->nr_ringid & NETMAP_SW_RING)
			mode = NR_REG_SW;
		else if (nmr->nr_ringid & NETMAP_HW_RING)
			mode = NR_REG_ONE_NIC;
		else
			mode = NR_REG_ALL_NIC;
	}
	reg->nr_mode = mode;
	reg->nr_ringid = nmr->nr_ringid & NETMAP_RING_MASK;
	reg->nr_flags = nmr->nr_flags & ~NR_REG_MASK;
	if (nmr->nr_ringid & NETMAP_NO_TX_POLL)
		reg->nr_flags |= NR_NO_TX_POLL;
	if (nmr->nr_ringid & NETMAP_DO_RX_POLL)
		reg->nr_flags |= NR_DO_RX_POLL;
	reg->nr_tx_slots = nmr->nr_tx_slots;
	reg->nr_rx_slots = nmr->nr_rx_slots;
	reg->nr_tx_rings = nmr->nr_tx_rings;
	reg->nr_rx_rings = nmr->nr_rx_rings;
	reg->nr_mem_id = nmr->nr_arg2;
	reg->nr_extra_bufs = nmr->nr_arg3;
}

static int nm_legacy_register(struct nm_priv *priv, char *name, struct nmreq *nmr)
{
	struct nmreq_register reg;
	int err;

	nm_legacy_to_register(nmr, &reg);
	err = nm_legacy_pipe_name(name, &reg);
	if (!err)
		err = nm_register(priv, name, &reg);
	if (err)
		return err;
	nmr->nr_offset = reg.nr_offset;
	nmr->nr_memsize = reg.nr_memsize;
	nmr->nr_tx_slots = reg.nr_tx_slots;
	nmr->nr_rx_slots = reg.nr_rx_slots;
	nmr->nr_tx_rings = reg.nr_tx_rings;
	nmr->nr_rx_rings = reg.nr_rx_rings;
	nmr->nr_arg2 = reg.nr_mem_id;
	nmr->nr_arg3 = reg.nr_extra_bufs;
	return 0;
}

static int nm_legacy_info(struct net *net, const char *name, struct nmreq *nmr)
{
	struct nmreq_port_info_get info = {};
	int err;

	if (!*name) {
		nmr->nr_memsize = nm_global_mem.size;
		nmr->nr_arg2 = nm_global_mem.id;
		return 0;
	}
	err = nm_name_check(name);
	if (!err)
		err = nm_port_info(net, name, &info);
	if (err)
		return err;
	nmr->nr_memsize = info.nr_memsize;
	nmr->nr_tx_slots = info.nr_tx_slots;
	nmr->nr_rx_slots = info.nr_rx_slots;
	nmr->nr_tx_rings = info.nr_tx_rings;
	nmr->nr_rx_rings = info.nr_rx_rings;
	nmr->nr_arg2 = info.nr_mem_id;
	return 0;
}

/*
 * NIOCGINFO with NETMAP_BDG_LIST, as vale-ctl -l sends it: the bridge and
 * port numbers travel in nr_arg1 / nr_arg2, and an empty name asks for the
 * next port at or after them, whose name comes back (cut to the 16 bytes
 * of the legacy name, as netmap does).
 */
static int nm_legacy_list(struct net *net, char *name, struct nmreq *nmr)
{
	struct nmreq_vale_list list = {
		.nr_bridge_idx = nmr->nr_arg1,
		.nr_port_idx = nmr->nr_arg2,
	};
	int err = *name ? nm_name_check(name) : 0;

	if (!err)
		err = nm_vale_list(net, name, &list);
	if (err)
		return err;
	strscpy(nmr->nr_name, name, sizeof(nmr->nr_name));
	nmr->nr_arg1 = list.nr_bridge_idx;
	nmr->nr_arg2 = list.nr_port_idx;
	return 0;
}

static int nm_legacy_switch_cmd(struct nm_priv *priv, char *name, struct nmreq *nmr)
{
	struct nmreq_port_hdr hdr = { .nr_hdr_len = nmr->nr_arg1 };
	struct nmreq_vale_attach attach = {};
	struct nmreq_vale_detach detach = {};
	struct nmreq_vale_newif newif = {};
	struct net *net = priv->net;
	int err;

	switch (nmr->nr_cmd) {
	case NETMAP_BDG_ATTACH:
	case NETMAP_BDG_DETACH:
	case NETMAP_BDG_NEWIF:
	case NETMAP_BDG_DELIF:
	case NETMAP_BDG_POLLING_ON:	/* these four: EOPNOTSUPP after this */
	case NETMAP_BDG_POLLING_OFF:
	case NETMAP_PT_HOST_CREATE:
	case NETMAP_PT_HOST_DELETE:
		if (!nm_priv_admin(priv))
			return -EPERM;
		break;
	}
	err = nm_name_check(name);
	if (err)
		return err;
	switch (nmr->nr_cmd) {
	case NETMAP_BDG_ATTACH:
		if (nmr->nr_arg1 == NETMAP_BDG_HOST)	/* a NIC with its host stack */
			attach.reg.nr_mode = NR_REG_NIC_SW;
		return nm_vale_attach(net, name, &attach, NULL);
	case NETMAP_BDG_DETACH:
		return nm_vale_detach(net, name, &detach);
	case NETMAP_BDG_NEWIF:
		newif.nr_tx_slots = nmr->nr_tx_slots;
		newif.nr_rx_slots = nmr->nr_rx_slots;
		newif.nr_tx_rings = nmr->nr_tx_rings;
		newif.nr_rx_rings = nmr->nr_rx_rings;
		return nm_vi_create(net, name, &newif, NULL);
	case NETMAP_BDG_DELIF:
		return nm_vi_delete(net, name);
	case NETMAP_BDG_VNET_HDR:
		return nm_vale_port_hdr(priv, name, &hdr, true);
	case NETMAP_VNET_HDR_GET:
		err = nm_vale_port_hdr(priv, name, &hdr, false);
		if (!err)
			nmr->nr_arg1 = hdr.nr_hdr_len;
		return err;
	default:
		return -EOPNOTSUPP;
	}
}

long nm_legacy_ioctl(struct nm_priv *priv, unsigned int cmd, struct nmreq __user *ureq)
{
	char name[NETMAP_REQ_IFNAMSIZ] = "";
	struct nmreq nmr;
	int err;

	if (copy_from_user(&nmr, ureq, sizeof(nmr)))
		return -EFAULT;
	if (nmr.nr_version < NETMAP_MIN_API || nmr.nr_version > NETMAP_MAX_API)
		return -EINVAL;
	if (!memchr(nmr.nr_name, '\0', sizeof(nmr.nr_name)))
		return -EINVAL;
	strscpy(name, nmr.nr_name, sizeof(name));

	/* As netmap: NIOCGINFO lists with BDG_LIST, else it is port info. */
	if (cmd == NIOCGINFO && nmr.nr_cmd == NETMAP_BDG_LIST)
		err = nm_legacy_list(priv->net, name, &nmr);
	else if (cmd == NIOCGINFO)
		err = nm_legacy_info(priv->net, name, &nmr);
	else if (nmr.nr_cmd)
		err = nm_legacy_switch_cmd(priv, name, &nmr);
	else
		err = nm_name_check(name) ?: nm_legacy_register(priv, name, &nmr);
	if (err)
		return err;
	if (copy_to_user(ureq, &nmr, sizeof(nmr)))
		return -EFAULT;
	return 0;
}
