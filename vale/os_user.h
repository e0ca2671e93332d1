/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The OS layer of the switch core, user-space side: the same names as the
 * kernel side, on pthreads and C11 atomics builtins. Objects replaced under
 * traffic are protected by one process-wide reader/writer lock standing in
 * for RCU: readers take it shared, vale_synchronize() waits for them by
 * taking it exclusive once.
 */
#ifndef _VALE_OS_USER_H
#define _VALE_OS_USER_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v)	__atomic_store_n(p, (v), __ATOMIC_RELEASE)
/* Stronger than the kernel's (acquire/release fences), never weaker. */
#define smp_rmb()		__atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb()		__atomic_thread_fence(__ATOMIC_RELEASE)
#define prefetch(p)		__builtin_prefetch(p)
#define noinline		__attribute__((__noinline__))
#ifndef fallthrough
#define fallthrough		__attribute__((__fallthrough__))
#endif
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define container_of(p, type, member) \
	((type *)((char *)(p) - offsetof(type, member)))

typedef pthread_spinlock_t vale_spinlock_t;
#define vale_spin_init(l)	pthread_spin_init(l, PTHREAD_PROCESS_PRIVATE)
#define vale_spin_lock(l)	pthread_spin_lock(l)
#define vale_spin_unlock(l)	pthread_spin_unlock(l)

typedef pthread_mutex_t vale_mutex_t;
#define vale_mutex_init(m)	pthread_mutex_init(m, NULL)
#define vale_mutex_lock(m)	pthread_mutex_lock(m)
#define vale_mutex_unlock(m)	pthread_mutex_unlock(m)
#define vale_mutex_destroy(m)	pthread_mutex_destroy(m)
#define vale_assert_held(m)	do { (void)(m); } while (0)

extern pthread_rwlock_t vale_user_rcu;
#define vale_read_lock()	pthread_rwlock_rdlock(&vale_user_rcu)
#define vale_read_unlock()	pthread_rwlock_unlock(&vale_user_rcu)
static inline void vale_synchronize(void)
{
	pthread_rwlock_wrlock(&vale_user_rcu);
	pthread_rwlock_unlock(&vale_user_rcu);
}
#define vale_deref(p)		__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#define vale_deref_ctl(p, m)	(p)
#define vale_publish(p, v)	__atomic_store_n(&(p), (v), __ATOMIC_RELEASE)
#define __vale_rcu

/* Lock-free counters and claims: see os_kernel.h. */
typedef struct { u64 v; } vale_ctr_t;
#define vale_ctr_add(c, x)	__atomic_fetch_add(&(c)->v, (x), __ATOMIC_RELAXED)
#define vale_ctr_read(c)	__atomic_load_n(&(c)->v, __ATOMIC_RELAXED)
#define vale_ctr_set(c, x)	__atomic_store_n(&(c)->v, (x), __ATOMIC_RELAXED)
static inline bool vale_cas32(u32 *p, u32 o, u32 n)
{
	return __atomic_compare_exchange_n(p, &o, n, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Cache-line aligned, as the structures that ask for it need. */
static inline void *vale_zalloc(size_t size)
{
	size_t rounded = (size + 63) & ~(size_t)63;
	void *p = aligned_alloc(64, rounded ? rounded : 64);

	if (p)
		memset(p, 0, rounded);
	return p;
}
#define vale_free(p)		free(p)

typedef struct { u64 k0, k1; } vale_hash_key;
void vale_hash_key_init(vale_hash_key *key);
u32 vale_hash64(u64 v, const vale_hash_key *key);

/* Tests may set a clock of their own to drive ageing. */
extern u32 (*vale_user_clock)(void);
u32 vale_now_sec(void);

#define vale_log(fmt, ...)	fprintf(stderr, "vale: " fmt "\n", ##__VA_ARGS__)
#define vale_warn_once(fmt, ...) vale_log(fmt, ##__VA_ARGS__)

struct module;
#define THIS_MODULE		((struct module *)NULL)
#define vale_module_get(m)	((void)(m), true)
#define vale_module_put(m)	((void)(m))
#define vale_request_module(fmt, ...) do { } while (0)
#define VALE_EXPORT(sym)

#endif /* _VALE_OS_USER_H */
