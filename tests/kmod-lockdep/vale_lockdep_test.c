// SPDX-License-Identifier: GPL-2.0
/*
 * Takes two mutexes in both orders when loaded. One thread cannot deadlock
 * on that, but lockdep reports the inversion ("possible circular locking
 * dependency detected"): tests/host/test_debug_lane.py loads it in the
 * debug kernel's VM and expects the harness to fail the run even though
 * insmod itself succeeds.
 */
#include <linux/module.h>
#include <linux/mutex.h>

static DEFINE_MUTEX(vale_lockdep_a);
static DEFINE_MUTEX(vale_lockdep_b);

static int __init vale_lockdep_test_init(void)
{
	mutex_lock(&vale_lockdep_a);
	mutex_lock(&vale_lockdep_b);
	mutex_unlock(&vale_lockdep_b);
	mutex_unlock(&vale_lockdep_a);

	mutex_lock(&vale_lockdep_b);
	mutex_lock(&vale_lockdep_a);
	mutex_unlock(&vale_lockdep_a);
	mutex_unlock(&vale_lockdep_b);
	return 0;
}

static void __exit vale_lockdep_test_exit(void)
{
}

module_init(vale_lockdep_test_init);
module_exit(vale_lockdep_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Debug lane self-test: a lock-order inversion on load");
