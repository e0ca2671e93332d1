// SPDX-License-Identifier: GPL-2.0
/*
 * NIOCCTRL: the netmap control requests (struct nmreq_header and a body per
 * request type, with an optional chain of options). Everything here comes
 * from user space and is checked before use; each rejection has its errno:
 *
 *   EFAULT      the header, body or an option is not readable/writable
 *   EINVAL      nr_version outside [NETMAP_MIN_API, NETMAP_MAX_API],
 *               nr_reserved not 0,
 *               unknown nr_reqtype, no body, a name that is empty, not
 *               NUL-terminated or badly formed, a bad mode or ring id,
 *               an option chain that loops or is too long
 *   EPERM       a request that changes switches, interfaces or NICs
 *               (nm_admin_req) without CAP_NET_ADMIN over the file's
 *               network namespace (nm_priv_admin), before anything else
 *               is looked at; PORT_HDR_SET of a port the file is not
 *               bound to, likewise; REGISTER of a NIC, likewise
 *   EOPNOTSUPP  an option we do not handle (its nro_status says so too),
 *               or a request type this module does not implement (yet)
 *   ENXIO       no such port, switch or interface (in the file's network
 *               namespace: another's are never seen)
 *   EBUSY       the file is already registered, the rings are exclusive,
 *               the interface is already attached, or (DELIF) attached or open
 *   EEXIST      NEWIF of a name in use; ATTACH of a name the switch has
 *   ENOSPC      the switch has VALE_MAX_PORTS ports, or there are
 *               VALE_MAX_SWITCHES switches
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "nm_priv.h"
#include "../vale/vale.h"

/* Longest option chain followed; netmap has fewer option types than this. */
#define NM_MAX_OPTIONS	16

static const size_t nm_body_size[] = {
	[NETMAP_REQ_REGISTER] = sizeof(struct nmreq_register),
	[NETMAP_REQ_PORT_INFO_GET] = sizeof(struct nmreq_port_info_get),
	[NETMAP_REQ_VALE_ATTACH] = sizeof(struct nmreq_vale_attach),
	[NETMAP_REQ_VALE_DETACH] = sizeof(struct nmreq_vale_detach),
	[NETMAP_REQ_VALE_LIST] = sizeof(struct nmreq_vale_list),
	[NETMAP_REQ_PORT_HDR_SET] = sizeof(struct nmreq_port_hdr),
	[NETMAP_REQ_PORT_HDR_GET] = sizeof(struct nmreq_port_hdr),
	[NETMAP_REQ_VALE_NEWIF] = sizeof(struct nmreq_vale_newif),
	[NETMAP_REQ_VALE_DELIF] = 0,
	[NETMAP_REQ_VALE_POLLING_ENABLE] = sizeof(struct nmreq_vale_polling),
	[NETMAP_REQ_VALE_POLLING_DISABLE] = sizeof(struct nmreq_vale_polling),
	[NETMAP_REQ_POOLS_INFO_GET] = sizeof(struct nmreq_pools_info),
	[NETMAP_REQ_SYNC_KLOOP_START] = sizeof(struct nmreq_sync_kloop_start),
	[NETMAP_REQ_SYNC_KLOOP_STOP] = 0,
	[NETMAP_REQ_CSB_ENABLE] = 0,
};

/*
 * The requests that change switches, interfaces or NICs: CAP_NET_ADMIN.
 * Those not implemented yet are here too, so that they answer EPERM
 * before EOPNOTSUPP, as they will once they are.
 */
static const bool nm_admin_req[] = {
	[NETMAP_REQ_VALE_ATTACH] = true,
	[NETMAP_REQ_VALE_DETACH] = true,
	[NETMAP_REQ_VALE_NEWIF] = true,
	[NETMAP_REQ_VALE_DELIF] = true,
	[NETMAP_REQ_VALE_POLLING_ENABLE] = true,
	[NETMAP_REQ_VALE_POLLING_DISABLE] = true,
};

union nm_body {
	struct nmreq_register reg;
	struct nmreq_port_info_get info;
	struct nmreq_pools_info pools;
	struct nmreq_vale_list list;
	struct nmreq_vale_attach attach;
	struct nmreq_vale_detach detach;
	struct nmreq_vale_newif newif;
	struct nmreq_port_hdr port_hdr;
	u8 raw[sizeof(struct nmreq_vale_attach)];
};

/*
 * Port names: letters, digits and "_.:-", plus one pipe brace. The name of
 * the request must be NUL-terminated inside its field and not empty.
 */
int nm_name_check(const char *name)
{
	const char *c;

	if (!*name)
		return -EINVAL;
	for (c = name; *c; c++)
		if (!isalnum(*c) && !strchr("_.:-{}", *c))
			return -EINVAL;
	return 0;
}

/*
 * Walk the option chain. We handle no option yet: each one is marked
 * EOPNOTSUPP in its nro_status and fails the request, as netmap does for
 * options it does not know. The chain is bounded and must not loop.
 */
static int nm_options_check(u64 uptr)
{
	u64 seen[NM_MAX_OPTIONS];
	struct nmreq_option opt;
	int n = 0, i, err = 0;

	while (uptr) {
		struct nmreq_option __user *uopt = u64_to_user_ptr(uptr);

		for (i = 0; i < n; i++)
			if (seen[i] == uptr)
				return -EINVAL;
		if (n == NM_MAX_OPTIONS)
			return -EINVAL;
		seen[n++] = uptr;
		if (copy_from_user(&opt, uopt, sizeof(opt)))
			return -EFAULT;
		if (put_user((u32)EOPNOTSUPP, &uopt->nro_status))
			return -EFAULT;
		err = -EOPNOTSUPP;
		uptr = opt.nro_next;
	}
	return err;
}

/* NR_REG_PIPE_MASTER/SLAVE: the old way of naming pipe ends (NAME{N). */
int nm_legacy_pipe_name(char *name, struct nmreq_register *req)
{
	char suffix[8];

	if (req->nr_mode != NR_REG_PIPE_MASTER && req->nr_mode != NR_REG_PIPE_SLAVE)
		return 0;
	if (strpbrk(name, "{}"))
		return -EINVAL;
	snprintf(suffix, sizeof(suffix), "%c%u",
		 req->nr_mode == NR_REG_PIPE_MASTER ? '{' : '}', req->nr_ringid);
	if (strlen(name) + strlen(suffix) >= NETMAP_REQ_IFNAMSIZ)
		return -EINVAL;
	strcat(name, suffix);
	req->nr_mode = NR_REG_ALL_NIC;
	req->nr_ringid = 0;
	return 0;
}

/*
 * NETMAP_REQ_PORT_INFO_GET: the geometry of a port, without binding it.
 * An empty name, as in netmap, asks for a memory region (nr_mem_id, or
 * the global one): only nr_memsize and nr_mem_id are set.
 */
int nm_port_info(struct net *net, const char *name, struct nmreq_port_info_get *info)
{
	int err;

	if (!*name) {
		struct nm_mem *mem = nm_mem_find(info->nr_mem_id ?: nm_global_mem.id);

		if (!mem)
			return -EINVAL;
		memset(info, 0, sizeof(*info));
		info->nr_memsize = mem->size;
		info->nr_mem_id = mem->id;
		return 0;
	}
	err = nm_name_check(name);
	if (err)
		return err;
	if (nm_pipe_name(name))
		return nm_pipe_info(net, name, info);
	err = nm_vale_port_info(net, name, info);	/* switch ports, persistent ones */
	if (err != -ENXIO || vale_switch_name(name))
		return err;
	return nm_nic_info(net, name, info);
}

static int nm_pools_info(struct net *net, const char *name, struct nmreq_pools_info *pools)
{
	struct nm_mem *mem;

	if (*name) {
		/* Pipes and NICs live in the global region. */
		if (!nm_pipe_name(name) &&
		    (!nm_port_name_needs_rtnl(name) || nm_nic_info(net, name, NULL)))
			return -ENXIO;
		mem = &nm_global_mem;
	} else {
		mem = nm_mem_find(pools->nr_mem_id ? pools->nr_mem_id : nm_global_mem.id);
		if (!mem)
			return -EINVAL;
	}
	nm_mem_fill_info(mem, pools);
	return 0;
}

long nm_ctrl(struct nm_priv *priv, struct nmreq_header __user *uhdr)
{
	struct nmreq_header hdr;
	union nm_body body;
	void __user *ubody;
	size_t size;
	int err;

	if (copy_from_user(&hdr, uhdr, sizeof(hdr)))
		return -EFAULT;
	if (hdr.nr_version < NETMAP_MIN_API || hdr.nr_version > NETMAP_MAX_API)
		return -EINVAL;
	if (hdr.nr_reserved)	/* as netmap: reserved for later, must be 0 */
		return -EINVAL;
	if (hdr.nr_reqtype == 0 || hdr.nr_reqtype >= ARRAY_SIZE(nm_body_size))
		return -EINVAL;
	if (hdr.nr_reqtype < ARRAY_SIZE(nm_admin_req) && nm_admin_req[hdr.nr_reqtype] &&
	    !nm_priv_admin(priv))
		return -EPERM;
	if (!memchr(hdr.nr_name, '\0', sizeof(hdr.nr_name)))
		return -EINVAL;
	size = nm_body_size[hdr.nr_reqtype];
	ubody = u64_to_user_ptr(hdr.nr_body);
	if (size && !ubody)
		return -EINVAL;
	if (size && copy_from_user(&body, ubody, size))
		return -EFAULT;
	err = nm_options_check(hdr.nr_options);
	if (err)
		return err;

	switch (hdr.nr_reqtype) {
	case NETMAP_REQ_REGISTER:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_legacy_pipe_name(hdr.nr_name, &body.reg);
		if (!err)
			err = nm_register(priv, hdr.nr_name, &body.reg);
		break;
	case NETMAP_REQ_PORT_INFO_GET:
		err = nm_port_info(priv->net, hdr.nr_name, &body.info);
		break;
	case NETMAP_REQ_POOLS_INFO_GET:
		err = *hdr.nr_name ? nm_name_check(hdr.nr_name) : 0;
		if (!err)
			err = nm_pools_info(priv->net, hdr.nr_name, &body.pools);
		break;
	case NETMAP_REQ_VALE_LIST:
		err = *hdr.nr_name ? nm_name_check(hdr.nr_name) : 0;
		if (!err)
			err = nm_vale_list(priv->net, hdr.nr_name, &body.list);
		if (!err && copy_to_user(uhdr->nr_name, hdr.nr_name, sizeof(hdr.nr_name)))
			err = -EFAULT;
		break;
	case NETMAP_REQ_VALE_ATTACH:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_vale_attach(priv->net, hdr.nr_name, &body.attach, NULL);
		break;
	case NETMAP_REQ_VALE_DETACH:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_vale_detach(priv->net, hdr.nr_name, &body.detach);
		break;
	case NETMAP_REQ_VALE_NEWIF:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_vi_create(priv->net, hdr.nr_name, &body.newif, NULL);
		break;
	case NETMAP_REQ_VALE_DELIF:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_vi_delete(priv->net, hdr.nr_name);
		break;
	case NETMAP_REQ_PORT_HDR_SET:
	case NETMAP_REQ_PORT_HDR_GET:
		err = nm_name_check(hdr.nr_name);
		if (!err)
			err = nm_vale_port_hdr(priv, hdr.nr_name, &body.port_hdr,
					       hdr.nr_reqtype == NETMAP_REQ_PORT_HDR_SET);
		break;
	default:
		/* Polling, kloop and CSB requests: not implemented. */
		err = -EOPNOTSUPP;
		break;
	}
	if (err)
		return err;
	if (size && copy_to_user(ubody, &body, size)) {
		/* A registered file stays registered; close() undoes it. */
		return -EFAULT;
	}
	return 0;
}
