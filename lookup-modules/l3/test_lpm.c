// SPDX-License-Identifier: GPL-2.0
/*
 * The l3 router's longest-prefix match against references on random
 * tables: the IPv4 DIR-24-8 table (thousands of prefixes, and 100,000),
 * routes added and deleted through the control path, the IPv6 trie, and
 * tables changing under concurrent lookups. Part of test_l3 (test_l3.c).
 */
#include <pthread.h>
#include <sched.h>

#include "test_l3.h"

/* -------------------------------------------------------- LPM, IPv4 */

struct ref4 {
	u32 prefix, nh;
	u8 len;
	bool live;
};

static u32 mask4(u32 len)
{
	return len ? 0xffffffffu << (32 - len) : 0;
}

static u32 brute4(const struct ref4 *t, u32 n, u32 a)
{
	u32 i, best = 0;
	int best_len = -1;

	for (i = 0; i < n; i++)
		if (t[i].live && (a & mask4(t[i].len)) == t[i].prefix && t[i].len > best_len) {
			best = t[i].nh;
			best_len = t[i].len;
		}
	return best;
}

/* Random prefixes, nested often enough: lengths all over 0..32. */
static u32 rand_len4(void)
{
	u32 x = rnd() % 100;

	return x < 5 ? rnd() % 8 : x < 30 ? 8 + rnd() % 16 : x < 70 ? 24 : 25 + rnd() % 8;
}

/* An address in one of 64 /6s: prefixes nest and share groups. */
static u32 rand_clustered4(void)
{
	u32 hi = (u32)(rnd() % 64) << 26;

	return hi | (u32)rnd() >> 6;
}

static u32 rand_addr_near(const struct ref4 *t, u32 n)
{
	const struct ref4 *e = &t[rnd() % n];

	return rnd() % 4 ? e->prefix | ((u32)rnd() & ~mask4(e->len)) : (u32)rnd();
}

/* The table itself against a linear scan, with the caller's replacement rule. */
void test_lpm4_random_vs_bruteforce(void)
{
	enum { N = 4000, Q = 20000 };
	struct ref4 *t = calloc(N, sizeof(*t));
	struct l3_lpm4 lpm;
	u32 i, j, bad = 0;

	l3_lpm4_init(&lpm);
	for (i = 0; i < N; i++) {
		t[i].len = rand_len4();
		t[i].prefix = rand_clustered4() & mask4(t[i].len);
		for (j = 0; j < i; j++)
			if (t[j].live && t[j].len == t[i].len && t[j].prefix == t[i].prefix)
				break;
		t[i].live = j == i;
		t[i].nh = 2 + i;
		if (t[i].live)
			CHECK_EQ(l3_lpm4_add(&lpm, t[i].prefix, t[i].len, t[i].nh), 0);
	}
	for (i = 0; i < Q; i++) {
		u32 a = rand_addr_near(t, N);

		bad += l3_lpm4_lookup(lpm.tbl24, lpm.tbl8, a) != brute4(t, N, a);
	}
	CHECK_EQ(bad, 0);
	/* Delete half, each falling back to its longest covering prefix. */
	for (i = 0; i < N; i += 2) {
		u32 k, cover = 0;
		int clen = -1;

		if (!t[i].live)
			continue;
		t[i].live = false;
		for (k = 0; k < N; k++)
			if (t[k].live && t[k].len < t[i].len &&
			    (t[i].prefix & mask4(t[k].len)) == t[k].prefix && t[k].len > clen) {
				cover = t[k].nh;
				clen = t[k].len;
			}
		l3_lpm4_del(&lpm, t[i].prefix, t[i].len, cover, clen < 0 ? 0 : clen);
	}
	for (bad = 0, i = 0; i < Q; i++) {
		u32 a = rand_addr_near(t, N);

		bad += l3_lpm4_lookup(lpm.tbl24, lpm.tbl8, a) != brute4(t, N, a);
	}
	CHECK_EQ(bad, 0);
	CHECK(lpm.groups_used > 0);
	l3_lpm4_fini(&lpm);
	free(t);
}

/*
 * The router's next hop for an IPv4 address: its port, its gateway (0
 * when connected), or -1 (none) and -2 (local).
 */
struct rroute {
	u32 prefix, gw;
	u8 len, port;
	bool live;
};

static struct hop brute_route4(const struct rroute *t, u32 n, u32 a)
{
	struct hop h = { -1, 0 };
	int best = -1;
	u32 i;

	for (i = 0; i < n; i++)
		if (t[i].live && (a & mask4(t[i].len)) == t[i].prefix && t[i].len > best) {
			best = t[i].len;
			h.port = t[i].port;
			h.gw = t[i].gw;
		}
	return h;
}

static void add_rroute(struct l3 *r, struct rroute *e)
{
	struct l3_addr p = { .family = 4 }, g = { .family = 4 };

	l3_put_be32(p.b, e->prefix);
	l3_put_be32(g.b, e->gw);
	CHECK_EQ(cfg_route_a(r, &p, e->len, e->port, e->gw ? &g : NULL), 0);
}

/* The control path (route store, next hops, deletion fallback) end to end. */
void test_routes4_add_del_random(void)
{
	enum { N = 3000, Q = 20000 };
	struct rroute *t = calloc(N, sizeof(*t));
	struct l3 *r = router(4);
	struct l3_addr p = { .family = 4 };
	u32 i, j, bad, round;

	for (i = 0; i < N; i++) {
		t[i].len = rand_len4();
		t[i].prefix = rand_clustered4() & mask4(t[i].len);
		t[i].port = rnd() % 4;
		t[i].gw = rnd() % 3 ? 0x0a000000 | (u32)(rnd() % 50 + 1) : 0;
		for (j = 0; j < i; j++)
			if (t[j].live && t[j].len == t[i].len && t[j].prefix == t[i].prefix)
				break;
		t[i].live = j == i;
		if (t[i].live)
			add_rroute(r, &t[i]);
	}
	for (round = 0; round < 3; round++) {
		for (bad = 0, i = 0; i < Q; i++) {
			const struct rroute *e = &t[rnd() % N];
			u32 a = rnd() % 4 ? e->prefix | ((u32)rnd() & ~mask4(e->len)) : (u32)rnd();
			struct hop x = route4(r, a), y = brute_route4(t, N, a);

			bad += x.port != y.port || x.gw != y.gw;
		}
		CHECK_EQ(bad, 0);
		/* Delete a third, re-add some, change the mix for the next round. */
		for (i = round; i < N; i += 3) {
			if (!t[i].live)
				continue;
			l3_put_be32(p.b, t[i].prefix);
			CHECK_EQ(del_route_a(r, &p, t[i].len), 0);
			CHECK_EQ(del_route_a(r, &p, t[i].len), -ENOENT);
			t[i].live = false;
		}
		for (i = round + 1; i < N; i += 7) {
			for (j = 0; j < N; j++)
				if (t[j].live && t[j].len == t[i].len && t[j].prefix == t[i].prefix)
					break;
			if (j < N || t[i].live)
				continue;
			t[i].port = rnd() % 4;
			t[i].live = true;
			add_rroute(r, &t[i]);
		}
	}
	/* Everything out: nothing left, no next hop leaked. */
	for (i = 0; i < N; i++) {
		if (!t[i].live)
			continue;
		l3_put_be32(p.b, t[i].prefix);
		CHECK_EQ(del_route_a(r, &p, t[i].len), 0);
	}
	CHECK_EQ(r->routes.n, 0);
	CHECK_EQ(r->nhs.n, 0);
	CHECK_EQ(r->lpm4.groups_used, 0);
	for (bad = 0, i = 0; i < 1000; i++)
		bad += l3_lpm4_lookup(r->lpm4.tbl24, r->lpm4.tbl8, (u32)rnd()) != 0;
	CHECK_EQ(bad, 0);
	l3_destroy(r);
	free(t);
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/*
 * 100,000 routes: the reference probes each prefix length, longest first,
 * in a sorted array of (length, prefix) keys (a linear scan per lookup
 * would be too slow under the sanitizers).
 */
void test_lpm4_100k_routes(void)
{
	enum { N = 100000, Q = 200000 };
	u64 *keys = calloc(N, sizeof(*keys));
	u32 *nhs = calloc(N, sizeof(*nhs));
	struct l3_lpm4 lpm;
	u32 i, n = 0, bad = 0;

	l3_lpm4_init(&lpm);
	for (i = 0; i < N; i++) {
		u32 len = rand_len4(), p = (u32)rnd() & mask4(len);

		keys[n++] = (u64)len << 32 | p;
	}
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 0, n = 0; i < N; i++)		/* unique keys */
		if (!n || keys[i] != keys[n - 1])
			keys[n++] = keys[i];
	for (i = 0; i < n; i++) {
		nhs[i] = 2 + (u32)(rnd() % 100000);
		CHECK_EQ(l3_lpm4_add(&lpm, (u32)keys[i], keys[i] >> 32, nhs[i]), 0);
	}
	for (i = 0; i < Q; i++) {
		u64 k = keys[rnd() % n];
		u32 a = rnd() % 8 ? (u32)k | ((u32)rnd() & ~mask4(k >> 32)) : (u32)rnd();
		u32 want = 0;
		int len;

		for (len = 32; len >= 0; len--) {
			u64 probe = (u64)len << 32 | (a & mask4(len));
			u64 *hit = bsearch(&probe, keys, n, sizeof(*keys), cmp_u64);

			if (hit) {
				want = nhs[hit - keys];
				break;
			}
		}
		bad += l3_lpm4_lookup(lpm.tbl24, lpm.tbl8, a) != want;
	}
	CHECK_EQ(bad, 0);
	CHECK(n > 90000);
	l3_lpm4_fini(&lpm);
	free(keys);
	free(nhs);
}

/* -------------------------------------------------------- LPM, IPv6 */

struct ref6 {
	u64 a[2];
	u8 len;
	bool live;
	u32 nh;
};

static bool match6(const u64 *p, u32 len, const u64 *a)
{
	return !((p[0] ^ a[0]) & l3_mask6(len, 0)) && !((p[1] ^ a[1]) & l3_mask6(len, 1));
}

static u32 brute6(const struct ref6 *t, u32 n, const u64 *a)
{
	u32 i, best = 0;
	int best_len = -1;

	for (i = 0; i < n; i++)
		if (t[i].live && match6(t[i].a, t[i].len, a) && t[i].len > best_len) {
			best = t[i].nh;
			best_len = t[i].len;
		}
	return best;
}

static void rand_addr6_near(const struct ref6 *t, u32 n, u64 *a)
{
	const struct ref6 *e = &t[rnd() % n];

	a[0] = rnd();
	a[1] = rnd();
	if (rnd() % 4) {
		a[0] = e->a[0] | (a[0] & ~l3_mask6(e->len, 0));
		a[1] = e->a[1] | (a[1] & ~l3_mask6(e->len, 1));
	}
}

void test_lpm6_random_vs_bruteforce(void)
{
	enum { N = 3000, Q = 20000 };
	struct ref6 *t = calloc(N, sizeof(*t));
	u64 bases[8][2], a[2];
	struct l3_limbo limbo = { 0 };
	struct l3_lpm6 lpm;
	u32 i, j, bad = 0, round;

	l3_lpm6_init(&lpm, &limbo);
	for (i = 0; i < 8; i++) {
		bases[i][0] = rnd();
		bases[i][1] = rnd();
	}
	for (i = 0; i < N; i++) {
		const u64 *b = bases[rnd() % 8];
		u32 x = rnd() % 10, shift;

		t[i].len = x < 1 ? rnd() % 16 : x < 8 ? 16 + rnd() % 49 : 64 + rnd() % 65;
		/* near a base: shared prefixes, many branch points */
		shift = 8 + rnd() % 50;
		t[i].a[0] = (b[0] ^ (rnd() >> shift)) & l3_mask6(t[i].len, 0);
		t[i].a[1] = (b[1] ^ rnd()) & l3_mask6(t[i].len, 1);
		t[i].nh = 2 + i;
		for (j = 0; j < i; j++)
			if (t[j].live && t[j].len == t[i].len && match6(t[j].a, 128, t[i].a))
				break;
		t[i].live = j == i;
		if (t[i].live)
			CHECK_EQ(l3_lpm6_add(&lpm, t[i].a, t[i].len, t[i].nh), 0);
	}
	for (round = 0; round < 3; round++) {
		for (bad = 0, i = 0; i < Q; i++) {
			rand_addr6_near(t, N, a);
			bad += l3_lpm6_lookup(lpm.root, a) != brute6(t, N, a);
		}
		CHECK_EQ(bad, 0);
		for (i = round; i < N; i += 2) {
			if (!t[i].live)
				continue;
			CHECK_EQ(l3_lpm6_del(&lpm, t[i].a, t[i].len), 0);
			CHECK_EQ(l3_lpm6_del(&lpm, t[i].a, t[i].len), -ENOENT);
			t[i].live = false;
		}
		/* Re-add some with new next hops (add over an existing one replaces). */
		for (i = round + 1; i < N; i += 5) {
			for (j = 0; j < N; j++)
				if (j != i && t[j].live && t[j].len == t[i].len &&
				    match6(t[j].a, 128, t[i].a))
					break;
			if (j < N)
				continue;
			t[i].nh = 2 + (u32)(rnd() % 1000000);
			t[i].live = true;
			CHECK_EQ(l3_lpm6_add(&lpm, t[i].a, t[i].len, t[i].nh), 0);
		}
	}
	for (i = 0; i < N; i++)
		if (t[i].live)
			CHECK_EQ(l3_lpm6_del(&lpm, t[i].a, t[i].len), 0);
	CHECK(lpm.root == NULL);
	CHECK_EQ(lpm.nodes, 0);
	l3_lpm6_fini(&lpm);
	l3_limbo_fini(&limbo);
	free(limbo.p);
	free(t);
}

/* --------------------------------------------------- concurrent change */

struct reader {
	struct l3 *r;
	volatile bool stop;
	u64 lookups;
};

static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	u8 f[128];
	u32 i;

	while (!rd->stop) {
		vale_read_lock();
		for (i = 0; i < 64; i++) {
			char dst[32];

			snprintf(dst, sizeof(dst), "10.%u.%u.7", (u32)(i % 8), (u32)(i * 37 % 256));
			ip4_frame(f, MAC_R0, MAC_H0, "10.0.0.2", dst, 64, 60);
			run(rd->r, 0, f, 60, NULL, NULL);
			ip6_frame(f, MAC_R0, MAC_H0, "2001:db8::2", "2001:db8:1::2", 64, 80);
			run(rd->r, 0, f, 80, NULL, NULL);
		}
		vale_read_unlock();
		rd->lookups += 128;
		sched_yield();	/* let a writer in: the stand-in for RCU is a rwlock */
	}
	return NULL;
}

/* 3,000 distinct /28s under 10.0.0.0/13 */
static u32 churn_prefix(u32 i)
{
	return 0x0a000000 | (i % 8) << 16 | (i & 0xff) << 8 | (i >> 8 & 0xf) << 4;
}

/* Routes, neighbours and tables grow, shrink and change under lookups. */
void test_changes_under_lookups(void)
{
	struct reader rd = { .r = router_std() };
	struct l3_addr p = { .family = 4 }, g = { .family = 4 };
	pthread_t th;
	u32 i, k;

	CHECK_EQ(pthread_create(&th, NULL, reader_main, &rd), 0);
	for (k = 0; k < 4; k++) {
		for (i = 0; i < 3000; i++) {
			l3_put_be32(p.b, churn_prefix(i));
			l3_put_be32(g.b, 0x0a010000 | (i % 200 + 2));
			cfg_route_a(rd.r, &p, 28, i % 3, i % 2 ? &g : NULL);
		}
		for (i = 0; i < 3000; i++) {
			l3_put_be32(p.b, churn_prefix(i));
			del_route_a(rd.r, &p, 28);
		}
		CHECK_EQ(cfg_neigh(rd.r, 1, "2001:db8:1::2", k % 2 ? MAC_GW : MAC_H1), 0);
		CHECK_EQ(cfg_addr(rd.r, VALE_L3_OP_ADDR_DEL, 1, "2001:db8:1::1"), 0);
		CHECK_EQ(cfg_addr(rd.r, VALE_L3_OP_ADDR_ADD, 1, "2001:db8:1::1"), 0);
	}
	rd.stop = true;
	pthread_join(th, NULL);
	CHECK(rd.lookups > 0);
	CHECK_EQ(rd.r->routes.n, 10);	/* 6 routes, 4 router addresses */
	l3_destroy(rd.r);
}

