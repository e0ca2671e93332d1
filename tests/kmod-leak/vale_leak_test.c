// SPDX-License-Identifier: GPL-2.0
/*
 * Leaks a few allocations when loaded. tests/host/test_debug_lane.py loads
 * it in the debug kernel's VM and expects the harness's kmemleak scan to
 * fail the run ("unreferenced object") even though insmod itself succeeds.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>

/*
 * Several, each from its own call: a stale copy of the last pointer (in a
 * register, or a stack slot of a task stack kmemleak scans) can hide that
 * one from kmemleak, never all of them.
 */
#define VALE_LEAKS 4

static noinline int vale_leak_one(int i)
{
	char *p = kmalloc(128, GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	/* The only pointer to it dies with this stack frame. */
	snprintf(p, 128, "vale_leak_test: leak %d, on purpose", i);
	return 0;
}

static int __init vale_leak_test_init(void)
{
	int i, err;

	for (i = 0; i < VALE_LEAKS; i++) {
		err = vale_leak_one(i);
		if (err)
			return err;
	}
	return 0;
}

static void __exit vale_leak_test_exit(void)
{
}

module_init(vale_leak_test_init);
module_exit(vale_leak_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Debug lane self-test: leak a kmalloc on load");
