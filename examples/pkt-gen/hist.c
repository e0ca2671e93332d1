// SPDX-License-Identifier: BSD-2-Clause
/*
 * Latency histogram with bounded memory, so that ping can run forever.
 * Log-linear buckets: values below 128 ns are exact, above that each
 * power of two is split into 128 buckets, so a percentile is off by at
 * most 1/256 of its value.  Minimum and maximum are kept exactly.
 */
#include <stdlib.h>

#include "pktgen.h"

#define SUB_BITS	7
#define SUB		(1u << SUB_BITS)			/* 128 */
#define NBUCKETS	((64 - SUB_BITS + 1) * SUB)

struct pg_hist {
	uint64_t n, min, max;
	uint64_t b[NBUCKETS];
};

struct pg_hist *pg_hist_new(void)
{
	struct pg_hist *h = calloc(1, sizeof(*h));

	if (h)
		h->min = UINT64_MAX;
	return h;
}

void pg_hist_free(struct pg_hist *h)
{
	free(h);
}

static unsigned int bucket_of(uint64_t v)
{
	unsigned int e;

	if (v < SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);	/* top bit, >= 7 */
	/* the SUB_BITS bits below the top one pick the sub-bucket */
	return (e - SUB_BITS + 1) * SUB +
	       (unsigned int)((v >> (e - SUB_BITS)) - SUB);
}

/* Middle of bucket i's value range. */
static uint64_t bucket_value(unsigned int i)
{
	unsigned int e, sub;
	uint64_t lo;

	if (i < SUB)
		return i;
	e = i / SUB + SUB_BITS - 1;
	sub = i % SUB;
	lo = (uint64_t)(SUB + sub) << (e - SUB_BITS);
	return lo + ((1ull << (e - SUB_BITS)) >> 1);
}

void pg_hist_add(struct pg_hist *h, uint64_t v)
{
	h->b[bucket_of(v)]++;
	h->n++;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void pg_hist_merge(struct pg_hist *dst, const struct pg_hist *src)
{
	unsigned int i;

	for (i = 0; i < NBUCKETS; i++)
		dst->b[i] += src->b[i];
	dst->n += src->n;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

uint64_t pg_hist_count(const struct pg_hist *h)
{
	return h->n;
}

uint64_t pg_hist_min(const struct pg_hist *h)
{
	return h->n ? h->min : 0;
}

uint64_t pg_hist_max(const struct pg_hist *h)
{
	return h->max;
}

/* The smallest value with at least p percent of the samples at or below. */
uint64_t pg_hist_percentile(const struct pg_hist *h, double p)
{
	uint64_t rank, seen = 0, v;
	unsigned int i;

	if (!h->n)
		return 0;
	rank = (uint64_t)(p / 100.0 * (double)h->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > h->n)
		rank = h->n;
	for (i = 0; i < NBUCKETS; i++) {
		seen += h->b[i];
		if (seen >= rank)
			break;
	}
	v = bucket_value(i);
	/* a bucket's middle may lie outside what was actually seen */
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}
