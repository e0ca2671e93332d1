// SPDX-License-Identifier: GPL-2.0
/*
 * Triggers one WARN_ON when loaded. tests/host/test_vm_harness.py loads it
 * in the VM and expects the harness to fail the run even though insmod
 * itself succeeds.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init vale_warn_test_init(void)
{
	WARN_ON(1);
	return 0;
}

static void __exit vale_warn_test_exit(void)
{
}

module_init(vale_warn_test_init);
module_exit(vale_warn_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VM harness self-test: WARN on load");
