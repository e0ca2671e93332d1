/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The thin OS layer under the switch core (vale/) and the lookup modules,
 * so that the same source builds as kernel code and as a user-space
 * library (unit tests, fuzzing, the per-core benchmark). It provides
 * fixed-width types, memory ordering, prefetch, lock-free counters and a
 * compare-and-swap, locks, read-side critical sections
 * for objects that are replaced under traffic, allocation, a keyed hash,
 * a clock and logging. Nothing else in vale/ may include OS headers.
 */
#ifndef _VALE_OS_H
#define _VALE_OS_H

#ifdef __KERNEL__
#include "os_kernel.h"
#else
#include "os_user.h"
#endif

#endif /* _VALE_OS_H */
