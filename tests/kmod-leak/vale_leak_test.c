// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks one allocation when loaded. tests/host/test_debug_lane.py loads it
 * in the debug kernel's VM and expects the harness's kmemleak scan to fail
 * the run ("unreferenced object") even though insmod itself succeeds.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

static int __init vale_leak_test_init(void)
{
	char *p = kmalloc(128, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	/* The only pointer to it dies with this stack frame. */
	strscpy(p, "vale_leak_test: leaked on purpose", 128);
	return 0;
}

static void __exit vale_leak_test_exit(void)
{
}

module_init(vale_leak_test_init);
module_exit(vale_leak_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Debug lane self-test: leak a kmalloc on load");
