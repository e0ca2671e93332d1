/* SPDX-License-Identifier: GPL-2.0 */
/* The OS layer of the switch core, kernel side: thin aliases. */
#ifndef _VALE_OS_KERNEL_H
#define _VALE_OS_KERNEL_H

#include <linux/atomic.h>
#include <linux/compiler.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/prefetch.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/timekeeping.h>
#include <linux/types.h>
#include <linux/vmalloc.h>

/*
 * A destination ring's lock is taken in process context (a port's txsync)
 * and in softirq context (a NIC's received frames, drivers/nic_bridge.c):
 * bh-safe.
 */
typedef spinlock_t vale_spinlock_t;
#define vale_spin_init(l)	spin_lock_init(l)
#define vale_spin_lock(l)	spin_lock_bh(l)
#define vale_spin_unlock(l)	spin_unlock_bh(l)

typedef struct mutex vale_mutex_t;
#define vale_mutex_init(m)	mutex_init(m)
#define vale_mutex_lock(m)	mutex_lock(m)
#define vale_mutex_unlock(m)	mutex_unlock(m)
#define vale_mutex_destroy(m)	mutex_destroy(m)
#define vale_assert_held(m)	lockdep_assert_held(m)

/* Readers of objects replaced under traffic (ports, the lookup module). */
#define vale_read_lock()	rcu_read_lock()
#define vale_read_unlock()	rcu_read_unlock()
#define vale_synchronize()	synchronize_rcu()
#define vale_deref(p)		rcu_dereference(p)
#define vale_deref_ctl(p, m)	rcu_dereference_protected(p, lockdep_is_held(m))
#define vale_publish(p, v)	rcu_assign_pointer(p, v)
#define __vale_rcu		__rcu

/*
 * Counters that several CPUs add to without a lock (statistics read by
 * the control plane), and a 32-bit compare-and-swap for lock-free
 * claims. smp_rmb()/smp_wmb() and fallthrough are the kernel's own.
 */
typedef atomic64_t vale_ctr_t;
#define vale_ctr_add(c, v)	atomic64_add((v), (c))
#define vale_ctr_read(c)	((u64)atomic64_read(c))
#define vale_ctr_set(c, v)	atomic64_set((c), (v))
#define vale_cas32(p, o, n)	(cmpxchg((p), (o), (n)) == (o))

/* Zeroed memory; large tables may come from vmalloc. */
#define vale_zalloc(size)	kvzalloc(size, GFP_KERNEL)
#define vale_free(p)		kvfree(p)

typedef hsiphash_key_t vale_hash_key;
static inline void vale_hash_key_init(vale_hash_key *key)
{
	get_random_bytes(key, sizeof(*key));
}

/* A keyed hash of 64 bits of input (a MAC address, a flow key word). */
static inline u32 vale_hash64(u64 v, const vale_hash_key *key)
{
	return hsiphash_2u32((u32)v, (u32)(v >> 32), key);
}

static inline u32 vale_now_sec(void)
{
	return (u32)ktime_get_seconds();
}

#define vale_log(fmt, ...)	pr_info("vale: " fmt "\n", ##__VA_ARGS__)
#define vale_warn_once(fmt, ...) pr_warn_ratelimited("vale: " fmt "\n", ##__VA_ARGS__)

/* Module references held while a switch uses a lookup module. */
#define vale_module_get(m)	try_module_get(m)
#define vale_module_put(m)	module_put(m)
#define vale_request_module(fmt, ...) request_module(fmt, ##__VA_ARGS__)
#define VALE_EXPORT(sym)	EXPORT_SYMBOL_GPL(sym)

#endif /* _VALE_OS_KERNEL_H */
