// SPDX-License-Identifier: GPL-2.0
/*
 * valectl if: persistent virtual interfaces (a netdev and a switch port
 * behind it, as netmap's NETMAP_REQ_VALE_NEWIF).
 *
 *	valectl if add IFNAME [tx-rings N] [rx-rings N] [tx-slots N] [rx-slots N]
 *						VALE_CMD_IF_NEW
 *	valectl if del IFNAME			VALE_CMD_IF_DEL
 *
 * The keywords are parse.c's if_add_kws; a number left out is the
 * kernel's default.
 */
#include "objects.h"

int do_if(struct nl *nl, const struct vctl_req *req)
{
	return nl_run(nl, req, NULL, NULL);
}
