// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/netmap: the character device through which applications open ports,
 * map the shared memory and sync their rings.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "nm_priv.h"

static long nm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

static const struct file_operations nm_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = nm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
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
