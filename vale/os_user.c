// SPDX-License-Identifier: GPL-2.0
/*
 * What the user-space OS layer cannot do inline: the stand-in for RCU, the
 * clock, and the keyed hash, SipHash-1-3 on one 64-bit word (the function
 * the kernel's hsiphash is on 64-bit machines), written from its
 * published description.
 */
#include <sys/random.h>
#include <time.h>

#include "os.h"

pthread_rwlock_t vale_user_rcu = PTHREAD_RWLOCK_INITIALIZER;
u32 (*vale_user_clock)(void);

u32 vale_now_sec(void)
{
	struct timespec ts;

	if (vale_user_clock)
		return vale_user_clock();
	/* Seconds are all we need: the coarse clock costs a memory read. */
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (u32)ts.tv_sec;
}

void vale_hash_key_init(vale_hash_key *key)
{
	if (getrandom(key, sizeof(*key), 0) != sizeof(*key)) {
		/* No entropy source: still a key, just not a secret one. */
		key->k0 = (u64)(uintptr_t)key ^ 0x736f6d6570736575ULL;
		key->k1 = (u64)time(NULL) ^ 0x646f72616e646f6dULL;
	}
}

static inline u64 rotl64(u64 x, int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = rotl64(v1, 13); v1 ^= v0; v0 = rotl64(v0, 32);	\
	v2 += v3; v3 = rotl64(v3, 16); v3 ^= v2;			\
	v0 += v3; v3 = rotl64(v3, 21); v3 ^= v0;			\
	v2 += v1; v1 = rotl64(v1, 17); v1 ^= v2; v2 = rotl64(v2, 32);	\
} while (0)

u32 vale_hash64(u64 m, const vale_hash_key *key)
{
	/* Initial state: the key xored with "somepseudorandomlygeneratedbytes". */
	u64 v0 = key->k0 ^ 0x736f6d6570736575ULL;
	u64 v1 = key->k1 ^ 0x646f72616e646f6dULL;
	u64 v2 = key->k0 ^ 0x6c7967656e657261ULL;
	u64 v3 = key->k1 ^ 0x7465646279746573ULL;
	u64 b = 8ULL << 56;	/* message length in the last block */

	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (u32)(v0 ^ v1 ^ v2 ^ v3);
}
