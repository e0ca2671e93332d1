// SPDX-License-Identifier: GPL-2.0
/*
 * vale-bench -m l3: the router's cases. Two ports; every frame is sent to
 * the router's MAC on port 0 and routed to port 1 through one of 16
 * gateways (or, in the connected case, to one of 1,000 static
 * neighbours), rewritten on the way (MACs, TTL, checksum).
 *
 * The destinations of the pool are random addresses over the whole
 * table, so a large table is read all over, not through the few entries
 * a re-posted ring would touch. Route prefixes follow the shape of an
 * Internet table: mostly /24, then /16../23, a few shorter and longer.
 * null-hdrcopy96 is a module that asks for l3's header copy and sends
 * every frame to port 1 without a look: what the core's copy path costs
 * by itself, the floor under l3.
 */
#include "../lookup-modules/l3/l3.h"
#include "bench.h"
#include "null_lookup.h"

static const u8 MAC_R0[6] = { 2, 0, 0, 0, 0xaa, 0 }, MAC_R1[6] = { 2, 0, 0, 0, 0xaa, 1 };

static struct vale_lookup_ops null_ops = NULL_LOOKUP_OPS("null-hdrcopy96", L3_HDR_COPY);

static int apply(struct l3 *r, const struct l3_req *q)
{
	struct l3_err err = { 0 };
	int e = l3_apply(r, q, &err);

	if (e && e != -EEXIST)
		fprintf(stderr, "vale-bench: l3: %s\n", err.msg ? err.msg : strerror(-e));
	return e;
}

#define B(attr)		(1u << VALE_L3_ATTR_##attr)

static int neigh(struct l3 *r, u32 port, u32 addr, const u8 *mac)
{
	struct l3_req q = { .op = VALE_L3_OP_NEIGH_ADD, .has = B(OP) | B(PORT) | B(ADDR) | B(MAC),
			    .port = port, .addr.family = 4 };

	l3_put_be32(q.addr.b, addr);
	memcpy(q.mac, mac, 6);
	return apply(r, &q);
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
	u32 x = bench_rand() % 100;

	return x < 60 ? 24 : x < 88 ? 16 + bench_rand() % 8 :
	       x < 94 ? 8 + bench_rand() % 8 : 25 + bench_rand() % 8;
}

/* From 10.0.0.2 to addr; the UDP ports stay random. */
static void tuple(struct bench_tuple *t, u32 addr)
{
	l3_put_be32(t->b, 0x0a000002);
	l3_put_be32(t->b + 4, addr);
}

/* The router: two ports, c->n routes through 16 gateways on port 1. */
static int setup(struct bench_run *run)
{
	const struct bench_case *c = run->c;
	struct l3_req q = { .op = VALE_L3_OP_PORT_SET, .has = B(OP) | B(PORT) | B(MAC) };
	struct l3 *r = run->priv;
	u32 *pfx = NULL, i, n = 0;
	u8 *lens = NULL, host1[6];
	int err = -ENOMEM;

	bench_mac(host1, 1);
	memcpy(q.mac, MAC_R0, 6);
	if ((err = apply(r, &q)))
		return err;
	q.port = 1;
	memcpy(q.mac, MAC_R1, 6);
	if ((err = apply(r, &q)))
		return err;
	memcpy(run->dmac, MAC_R0, 6);
	for (i = 0; i < 16; i++)
		if ((err = neigh(r, 1, 0x0a010000 | (100 + i), host1)))
			return err;
	if (!c->n) {
		/* 20.0.0.0/16, connected, 1,000 hosts. */
		if ((err = route(r, 0x14000000, 16, 0)))
			return err;
		for (i = 0; i < 1000; i++)
			if ((err = neigh(r, 1, 0x14000000 | (i + 1), host1)))
				return err;
		for (i = 0; i < BENCH_POOL; i++)
			tuple(&run->tuples[i], 0x14000000 | (bench_rand() % 1000 + 1));
		return 0;
	}
	pfx = calloc(c->n, sizeof(*pfx));
	lens = calloc(c->n, 1);
	if (!pfx || !lens)
		goto out;
	while (n < c->n) {
		u32 len = rand_len();
		u32 p = (0x0b000000 + (bench_rand() % 0xd0000000)) & (0xffffffffu << (32 - len));

		err = route(r, p, len, 0x0a010000 | (100 + n % 16));
		if (err == -EEXIST)
			continue;
		if (err)
			goto out;
		pfx[n] = p;
		lens[n++] = len;
	}
	for (i = 0; i < BENCH_POOL; i++) {
		u32 k = bench_rand() % n;

		tuple(&run->tuples[i], pfx[k] | (bench_rand() & ~(0xffffffffu << (32 - lens[k]))));
	}
	err = 0;
out:
	free(pfx);
	free(lens);
	return err;
}

static const struct bench_case cases[] = {
	{ "null-hdrcopy96-60B", "null-hdrcopy96",
	  "the core's header copy (96 B, l3's) with a module that does nothing else: l3's floor",
	  2, 60, BENCH_UNICAST, 0, false, "\"hdr_copy\": 96", NULL },
	{ "l3-10routes-60B", "l3", "l3 routing through 16 gateways, 10 random IPv4 routes",
	  2, 60, BENCH_UNICAST, 10, false, "\"routes\": 10", setup },
	{ "l3-10000routes-60B", "l3", "the same with 10,000 routes",
	  2, 60, BENCH_UNICAST, 10000, false, "\"routes\": 10000", setup },
	{ "l3-100000routes-60B", "l3", "the same with 100,000 routes",
	  2, 60, BENCH_UNICAST, 100000, false, "\"routes\": 100000", setup },
	{ "l3-connected-1000hosts-60B", "l3",
	  "l3 to 1,000 hosts of a connected /16 (static neighbours), no gateway",
	  2, 60, BENCH_UNICAST, 0, false, "\"routes\": 1", setup },
};

static int init(void)
{
	int err = vale_lookup_register(&l3_ops);

	if (err)
		return err;
	err = vale_lookup_register(&null_ops);
	if (err)
		vale_lookup_unregister(&l3_ops);
	return err;
}

static void fini(void)
{
	vale_lookup_unregister(&null_ops);
	vale_lookup_unregister(&l3_ops);
}

const struct bench_module bench_l3 = {
	.name = "l3",
	.doc = "the router (lookup-modules/l3)",
	.cases = cases,
	.ncases = ARRAY_SIZE(cases),
	.init = init,
	.exit = fini,
};
