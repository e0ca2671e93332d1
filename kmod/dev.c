// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/netmap: the character device through which applications open ports,
 * map the shared memory and sync their rings. Each open file is one
 * struct nm_priv, bound to a port by NIOCCTRL(NETMAP_REQ_REGISTER).
 *
 * Who may do what (docs/security.md): opening the device, and through it
 * opening ports (REGISTER on a pipe, a switch port, a persistent
 * interface) is data-path access, governed by the device file's mode
 * (root only by default), as in netmap. Requests that change switches,
 * interfaces or a NIC (ATTACH, DETACH, NEWIF, DELIF, setting another
 * port's header length, REGISTER of a NIC, which takes its traffic)
 * also need CAP_NET_ADMIN over the file's network namespace:
 * nm_priv_admin().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "nm_priv.h"

static int nm_open(struct inode *inode, struct file *file)
{
	struct nm_priv *priv = kzalloc(sizeof(*priv), GFP_KERNEL);

	if (!priv)
		return -ENOMEM;
	priv->file = file;
	priv->net = get_net(current->nsproxy->net_ns);
	file->private_data = priv;
	return 0;
}

/* The last reference to the file is gone: no ioctl, poll or mapping left. */
static int nm_release(struct inode *inode, struct file *file)
{
	struct nm_priv *priv = file->private_data;

	nm_unregister(priv);
	put_net(priv->net);
	kfree(priv);
	return 0;
}

/*
 * May the request change switches, interfaces or NICs? As netlink asks
 * it of a socket (netlink_ns_capable): both whoever opened the file and
 * whoever sends the request need CAP_NET_ADMIN over the user namespace
 * that owns the file's network namespace, so that a file handed to an
 * unprivileged process, or opened by one, confers nothing.
 */
bool nm_priv_admin(const struct nm_priv *priv)
{
	struct user_namespace *ns = priv->net->user_ns;

	return file_ns_capable(priv->file, ns, CAP_NET_ADMIN) && ns_capable(ns, CAP_NET_ADMIN);
}

static bool nm_registered(struct nm_priv *priv)
{
	return smp_load_acquire(&priv->registered);
}

static long nm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct nm_priv *priv = file->private_data;

	switch (cmd) {
	case NIOCCTRL:
		return nm_ctrl(priv, (struct nmreq_header __user *)arg);
	case NIOCGINFO:
	case NIOCREGIF:
		return nm_legacy_ioctl(priv, cmd, (struct nmreq __user *)arg);
	case NIOCTXSYNC:
	case NIOCRXSYNC:
		/* netmap answers ENXIO when no port is bound to the file. */
		if (!nm_registered(priv))
			return -ENXIO;
		return nm_sync(priv, cmd == NIOCTXSYNC ? NM_TX : NM_RX);
	default:
		return -ENOTTY;
	}
}

static int nm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct nm_priv *priv = file->private_data;

	if (!nm_registered(priv))
		return -ENXIO;
	return nm_mem_mmap(priv->port->mem, vma);
}

static __poll_t nm_poll(struct file *file, poll_table *wait)
{
	struct nm_priv *priv = file->private_data;

	if (!nm_registered(priv))
		return EPOLLERR;
	return nm_poll_rings(priv, file, wait, poll_requested_events(wait));
}

static const struct file_operations nm_fops = {
	.owner = THIS_MODULE,
	.open = nm_open,
	.release = nm_release,
	.unlocked_ioctl = nm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = nm_mmap,
	.poll = nm_poll,
	.llseek = noop_llseek,
};

/* Root only by default, as netmap's device: it gives raw access to NICs. */
static struct miscdevice nm_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "netmap",
	.fops = &nm_fops,
	.mode = 0600,
};

int nm_dev_init(void)
{
	return misc_register(&nm_miscdev);
}

void nm_dev_exit(void)
{
	misc_deregister(&nm_miscdev);
}
