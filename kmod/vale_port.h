/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Switch ports as netmap ports, shared by the ephemeral ports
 * (vale_port.c) and the persistent virtual interfaces (vale_vi.c).
 */
#ifndef _NM_VALE_PORT_H
#define _NM_VALE_PORT_H

#include "nm_priv.h"
#include "../vale/vale.h"

struct nm_vi;

struct nm_vale_port {
	struct nm_port port;
	struct vale_port *vp;
	struct nm_vi *vi;	/* set for a persistent interface's port */
	struct nm_nic *nic;	/* set for a NIC's (or its host stack's) port */
};

static inline struct nm_vale_port *to_vale(struct nm_port *port)
{
	return container_of(port, struct nm_vale_port, port);
}

struct netlink_ext_ack;
struct nm_vale_port *nm_vale_port_new(const char *pname, const struct nmreq_register *req,
				      int *errp, struct netlink_ext_ack *extack);
void nm_vale_free(struct nm_vale_port *vpp);

#endif /* _NM_VALE_PORT_H */
