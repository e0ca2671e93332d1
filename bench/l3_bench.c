// SPDX-License-Identifier: GPL-2.0
/*
 * l3-bench: per-core cost of routing (the l3 lookup module) against the
 * learning bridge, in user space (make bench-l3). One thread does the
 * sender's txsync and the receiver's rxsync on a switch of two ports, as
 * vale-bench does, with 60-byte IPv4 frames; every frame is routed to the
 * second port through a gateway (or, in the "connected" case, to one of
 * 1,000 hosts looked up among the static neighbours).
 *
 * Destinations are random addresses over the whole table, 65,536 of them:
 * before each post, the slots get the next destinations of the pool (with
 * the IPv4 header checksum to match), so a large table is read all over,
 * not through the few entries a re-posted ring would touch. The bridge
 * case gets the same rewrites, so the sender's work is the same in all.
 * Route prefixes follow the shape of an Internet table: mostly /24, then
 * /16../23, a few shorter and longer. A null module with l3's header copy
 * (null-hdrcopy96) shows what the core's copy path costs by itself.
 *
 * Usage: l3-bench [-t SECONDS] [-j FILE] [-c CASE]
 * With -j FILE it appends one JSON object per case, as vale-bench does.
 */
#include <getopt.h>
#include <time.h>

#include "../lookup-modules/l3/l3.h"
#include "../vale/user/uport.h"
#include "null_lookup.h"

#define RING_SLOTS	1024
#define POST		512
#define POOL		65536
#define LEN		60

static const u8 MAC_R0[6] = { 2, 0, 0, 0, 0xaa, 0 }, MAC_R1[6] = { 2, 0, 0, 0, 0xaa, 1 };
static const u8 MAC_H0[6] = { 2, 0, 0, 0, 0xbb, 0 }, MAC_H1[6] = { 2, 0, 0, 0, 0xbb, 1 };

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static u64 rng = 0x2545f4914f6cdd1dULL;

static u32 rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 16);
}

enum mode { LEARN, NULL_COPY, GATEWAY, CONNECTED };

/* The core's own cost for a module with l3's header copy. */
static struct vale_lookup_ops null_ops = NULL_LOOKUP_OPS("nullcopy", L3_HDR_COPY);

struct bench_case {
	const char *name;
	enum mode mode;
	u32 routes;
};

/* A destination of the pool: its address and the header checksum with it. */
struct dest {
	u8 addr[4];
	u8 sum[2];
};

static void frame(u8 *f, const u8 *dmac)
{
	u8 *ip = f + 14;

	memset(f, 0, LEN);
	memcpy(f, dmac, 6);
	memcpy(f + 6, MAC_H0, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	l3_put_be16(ip + 2, LEN - 14);
	ip[8] = 64;
	ip[9] = 17;
	l3_put_be32(ip + 12, 0x0a000002);	/* 10.0.0.2 */
}

static void dest_set(struct dest *d, u8 *f, u32 addr)
{
	u8 *ip = f + 14;

	l3_put_be32(ip + 16, addr);
	ip[10] = ip[11] = 0;
	l3_put_be16(ip + 10, ~l3_csum(ip, 20, 0));
	memcpy(d->addr, ip + 16, 4);
	memcpy(d->sum, ip + 10, 2);
}

static int apply(struct l3 *r, struct l3_req *q)
{
	struct l3_err err;
	int e = l3_apply(r, q, &err);

	if (e && e != -EEXIST) {
		fprintf(stderr, "l3-bench: %s\n", err.msg);
		abort();
	}
	return e;
}

#define B(attr)		(1u << VALE_L3_ATTR_##attr)

static void neigh(struct l3 *r, u32 port, u32 addr, const u8 *mac)
{
	struct l3_req q = { .op = VALE_L3_OP_NEIGH_ADD, .has = B(OP) | B(PORT) | B(ADDR) | B(MAC),
			    .port = port, .addr.family = 4 };

	l3_put_be32(q.addr.b, addr);
	memcpy(q.mac, mac, 6);
	apply(r, &q);
}

static int route(struct l3 *r, u32 prefix, u8 len, u32 gw)
{
	struct l3_req q = { .op = VALE_L3_OP_ROUTE_ADD,
			    .has = B(OP) | B(PREFIX) | B(PREFIX_LEN) | B(PORT),
			    .port = 1, .plen = len, .prefix.family = 4 };

	l3_put_be32(q.prefix.b, prefix);
	if (gw) {
		q.has |= B(GATEWAY);
		q.gw.family = 4;
		l3_put_be32(q.gw.b, gw);
	}
	return apply(r, &q);
}

static u32 rand_len(void)
{
	u32 x = rnd() % 100;

	return x < 60 ? 24 : x < 88 ? 16 + rnd() % 8 : x < 94 ? 8 + rnd() % 8 : 25 + rnd() % 8;
}

/* The router: two ports, n routes through 16 gateways on port 1. */
static void setup_router(struct l3 *r, const struct bench_case *c, struct dest *pool, u8 *f)
{
	struct l3_req q = { .op = VALE_L3_OP_PORT_SET, .has = B(OP) | B(PORT) | B(MAC) };
	u32 *pfx = calloc(c->routes, sizeof(*pfx)), i, n = 0;
	u8 *lens = calloc(c->routes, 1);

	memcpy(q.mac, MAC_R0, 6);
	apply(r, &q);
	q.port = 1;
	memcpy(q.mac, MAC_R1, 6);
	apply(r, &q);
	for (i = 0; i < 16; i++)
		neigh(r, 1, 0x0a010000 | (100 + i), MAC_H1);
	if (c->mode == CONNECTED) {
		route(r, 0x14000000, 16, 0);		/* 20.0.0.0/16, 1,000 hosts */
		for (i = 0; i < 1000; i++)
			neigh(r, 1, 0x14000000 | (i + 1), MAC_H1);
		for (i = 0; i < POOL; i++)
			dest_set(&pool[i], f, 0x14000000 | (rnd() % 1000 + 1));
		goto out;
	}
	while (n < c->routes) {
		u32 len = rand_len();
		u32 p = (0x0b000000 + (rnd() % 0xd0000000)) & (0xffffffffu << (32 - len));

		if (!route(r, p, len, 0x0a010000 | (100 + n % 16))) {
			pfx[n] = p;
			lens[n++] = len;
		}
	}
	for (i = 0; i < POOL; i++) {
		u32 k = rnd() % n;

		dest_set(&pool[i], f, pfx[k] | (rnd() & ~(0xffffffffu << (32 - lens[k]))));
	}
out:
	free(pfx);
	free(lens);
}

static double run_case(const struct bench_case *c, double secs)
{
	struct vale_switch *sw = NULL;
	struct dest *pool = calloc(POOL, sizeof(*pool));
	struct uport *p[2];
	struct netmap_ring *tx;
	struct vale_port_stats st;
	u8 f[LEN], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u32 i, next = 0;
	double t0, t;

	vale_core_lock();
	if (vale_switch_create("valel3bench", &sw))
		abort();
	for (i = 0; i < 2; i++) {
		p[i] = uport_new(i ? "p1" : "p0", 1, 1, RING_SLOTS);
		if (!p[i] || vale_port_attach(sw, p[i]->vp))
			abort();
	}
	if (c->mode != LEARN &&
	    vale_switch_set_lookup(sw, c->mode == NULL_COPY ? "nullcopy" : "l3"))
		abort();
	vale_core_unlock();

	if (c->mode == LEARN || c->mode == NULL_COPY) {
		/* The receiver says hello once, so the bridge knows where it is. */
		frame(f, bcast);
		memcpy(f + 6, MAC_H1, 6);
		uport_send(p[1], 0, f, LEN);
		uport_txsync(p[1], 0);
		uport_drain(p[0]);
		frame(f, MAC_H1);
		for (i = 0; i < POOL; i++)
			dest_set(&pool[i], f, 0x0b000000 | rnd());
	} else {
		struct l3 *r = vale_deref_ctl(sw->lookup, &vale_lock)->priv;

		frame(f, MAC_R0);
		setup_router(r, c, pool, f);
	}
	tx = p[0]->txr[0];
	for (i = 0; i < RING_SLOTS; i++) {
		memcpy(uport_buf(p[0], tx->slot[i].buf_idx), f, LEN);
		tx->slot[i].len = LEN;
	}
	t0 = now();
	do {
		u32 k, j;

		for (k = 0; k < 64; k++) {
			/* The next destinations into the slots about to go. */
			for (j = 0; j < POST; j++) {
				const struct dest *d = &pool[next++ & (POOL - 1)];
				u32 slot = (tx->head + j) % RING_SLOTS;
				u8 *ip = uport_buf(p[0], tx->slot[slot].buf_idx) + 14;

				memcpy(ip + 16, d->addr, 4);
				memcpy(ip + 10, d->sum, 2);
				ip[8] = 64;
			}
			tx->head = tx->cur = (tx->head + POST) % RING_SLOTS;
			uport_txsync(p[0], 0);
			uport_rxsync(p[1], 0);
			p[1]->rxr[0]->head = p[1]->rxr[0]->cur = p[1]->rxr[0]->tail;
		}
		t = now() - t0;
	} while (t < secs);
	vale_port_stats(p[1]->vp, &st);
	vale_core_lock();
	for (i = 0; i < 2; i++)
		vale_port_detach(p[i]->vp);
	vale_core_unlock();
	for (i = 0; i < 2; i++)
		uport_free(p[i]);
	free(pool);
	return st.rx_pkts / t / 1e6;
}

static const struct bench_case cases[] = {
	{ "learn-2ports-60B", LEARN, 0 },
	{ "null-hdrcopy96-60B", NULL_COPY, 0 },
	{ "l3-10routes-60B", GATEWAY, 10 },
	{ "l3-10000routes-60B", GATEWAY, 10000 },
	{ "l3-100000routes-60B", GATEWAY, 100000 },
	{ "l3-connected-1000hosts-60B", CONNECTED, 1 },
};

int main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL;
	double secs = 1.0, learn = 0;
	FILE *jf = NULL;
	u32 i;
	int opt;

	while ((opt = getopt(argc, argv, "t:j:c:")) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 'j':
			json = optarg;
			break;
		case 'c':
			only = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-t SECONDS] [-j FILE] [-c CASE]\n", argv[0]);
			return 2;
		}
	}
	if (vale_core_init() || vale_lookup_register(&l3_ops) || vale_lookup_register(&null_ops))
		return 1;
	if (json && !(jf = fopen(json, "a"))) {
		perror(json);
		return 1;
	}
	printf("%-28s %10s %10s %10s\n", "case (user, 1 core)", "Mpps", "Gbit/s", "vs learn");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bench_case *c = &cases[i];
		double mpps;

		if (only && strcmp(only, c->name))
			continue;
		mpps = run_case(c, secs);
		if (c->mode == LEARN)
			learn = mpps;
		printf("%-28s %10.2f %10.2f %9.0f%%\n", c->name, mpps, mpps * LEN * 8 / 1e3,
		       learn ? 100 * mpps / learn : 0);
		if (jf)
			fprintf(jf, "{\"case\": \"%s\", \"where\": \"user\", \"mpps\": %.3f, "
				"\"gbps\": %.3f, \"len\": %u, \"ports\": 2, \"module\": \"%s\", "
				"\"routes\": %u, \"ratio_to_learn\": %.3f}\n",
				c->name, mpps, mpps * LEN * 8 / 1e3, LEN,
				c->mode == LEARN ? "learn" :
				c->mode == NULL_COPY ? "nullcopy" : "l3", c->routes,
				learn ? mpps / learn : 0);
	}
	if (jf)
		fclose(jf);
	vale_lookup_unregister(&null_ops);
	vale_lookup_unregister(&l3_ops);
	vale_core_exit();
	return 0;
}
