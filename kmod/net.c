// SPDX-License-Identifier: GPL-2.0
/*
 * DOC: Network namespaces
 *
 * Switches, persistent interfaces (VIs), pipes and NIC ports belong to a
 * network namespace, and a name is only ever looked up in one:
 *  - the namespace of a /dev/netmap file is that of the process that
 *    opened it (as a socket's is its creator's); every request on the
 *    file acts there, and the file holds the namespace while it is open;
 *  - a netlink request acts in its socket's namespace (the family is
 *    netnsok), and events go to listeners in the namespace of what
 *    changed;
 *  - a switch "vale0" made in one namespace and a "vale0" made in another
 *    are two switches; a port opened in one never sees frames of the
 *    other, and each namespace lists, attaches, detaches and deletes its
 *    own only (another's answer as if they did not exist);
 *  - a VI is made in its namespace and cannot leave it; a NIC is a port,
 *    or on a switch, only in its own namespace, and a NIC that moves out
 *    is unregistered from the old one first, which ends its port.
 *
 * When a namespace goes (nm_net_exit, run before the core's own device
 * teardown, which deletes or moves its interfaces), what is left of it
 * goes too: its NICs leave their switches and netmap mode, its VIs are
 * removed with their netdevs, and its persistent switches are deleted.
 * No file can be bound to any of it then: each file holds its namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/rtnetlink.h>
#include <net/net_namespace.h>

#include "nm_priv.h"

static void __net_exit nm_net_exit_one(struct net *net)
{
	rtnl_lock();
	mutex_lock(&nm_lock);
	nm_nic_net_exit(net);
	mutex_unlock(&nm_lock);
	rtnl_unlock();
	nm_vi_net_exit(net);	/* takes nm_lock, then rtnl to unregister */
	mutex_lock(&nm_lock);
	nm_vale_net_exit(net);
	mutex_unlock(&nm_lock);
}

/*
 * A device op, not a subsystem one: namespaces exit in the reverse order
 * of registration, so ours runs before the core's default_device_exit,
 * while the namespace's interfaces are still in it.
 */
static struct pernet_operations nm_net_ops = {
	.exit = nm_net_exit_one,
};

int nm_net_init(void)
{
	return register_pernet_device(&nm_net_ops);
}

/* Runs nm_net_exit_one() for every namespace left, init_net included. */
void nm_net_exit(void)
{
	unregister_pernet_device(&nm_net_ops);
}
