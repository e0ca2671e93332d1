// SPDX-License-Identifier: GPL-2.0
/*
 * Module entry points of the 'vale' core: the netmap device and the switch.
 * Only init and exit live here; each subsystem has its own file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "nm_priv.h"

static int __init vale_init(void)
{
	int err;

	err = nm_mem_global_init();
	if (err)
		return err;
	err = nm_vale_init();
	if (err)
		goto fail_mem;
	err = nm_nic_init();
	if (err)
		goto fail_vale;
	err = nm_dev_init();
	if (err)
		goto fail_nic;
	err = nm_net_init();
	if (err)
		goto fail_dev;
	err = vale_genl_init();
	if (err)
		goto fail_net;
	nm_debugfs_init();
	pr_info("netmap API %d ready on /dev/netmap\n", NETMAP_API);
	return 0;

fail_net:
	nm_net_exit();
fail_dev:
	nm_dev_exit();
fail_nic:
	nm_nic_exit();
fail_vale:
	nm_vale_exit();
fail_mem:
	nm_mem_global_exit();
	return err;
}

static void __exit vale_exit(void)
{
	nm_debugfs_exit();
	vale_genl_exit();
	nm_net_exit();
	nm_dev_exit();
	nm_nic_exit();
	nm_vi_exit();
	nm_pipe_exit();
	nm_vale_exit();
	nm_mem_global_exit();
}

module_init(vale_init);
module_exit(vale_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(VALE_VERSION);
MODULE_DESCRIPTION("netmap API and VALE software switch");
