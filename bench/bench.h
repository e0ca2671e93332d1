/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vale-bench's cases (bench/vale_bench.c runs them).
 *
 * A case is a switch of 'ports' ports running 'module', port 0 sending
 * 'len'-byte Ethernet/IPv4/UDP frames as fast as one thread can forward
 * them, the other ports receiving. Every case gets the same traffic
 * machinery, so that their figures compare: the sender's ring is filled
 * once, and before each post the 14 bytes of each posted frame that hold
 * the IPv4 checksum, addresses and UDP ports are rewritten from a pool of
 * BENCH_POOL precomputed headers, read in order. The pool's tuples are
 * random unless the case's setup chooses them (a router's cases send to
 * the routes it installed, a flow table's to its flows); so a module
 * with a large table sees many flows, and the learning bridge pays the
 * same rewrite as every module it is compared with.
 *
 * A module's cases are provided by a struct bench_module: learn (the
 * core's cases and the baseline of all others) and l3 and of are built in
 * (l3_cases.c, of_cases.c); a module built as a shared object gets the
 * generic cases (vale_bench.c).
 */
#ifndef _VALE_BENCH_H
#define _VALE_BENCH_H

#include "../vale/vale.h"
#include <vale/uport.h>

#define BENCH_POOL	65536	/* pool tuples; a power of 2 */

/* The bytes of a frame a tuple sets: IPv4 source, destination, UDP ports. */
struct bench_tuple {
	u8 b[12];		/* frame bytes 26..37 */
};

/* Where the frames of a case go (destination MAC of each ring slot). */
enum bench_pattern {
	BENCH_UNICAST,		/* all to dmac (port 1's host unless setup changes it) */
	BENCH_ROUND_ROBIN,	/* slot i to port 1 + i % (ports - 1)'s host */
	BENCH_BROADCAST,	/* ff:ff:ff:ff:ff:ff */
	BENCH_RANDOM,		/* each slot to a random receiver's host */
};

/* One run of a case, as its setup sees it. */
struct bench_run {
	const struct bench_case *c;
	struct vale_switch *sw;
	void *priv;		/* the module's state on sw */
	u8 dmac[6];		/* BENCH_UNICAST's destination MAC */
	/* BENCH_POOL tuples, random when setup is called; it may change them. */
	struct bench_tuple *tuples;
};

struct bench_case {
	const char *name;
	const char *module;	/* the lookup module the switch runs */
	const char *doc;	/* one line for -c: what the case measures */
	u32 ports;		/* including port 0, the sender */
	u16 len;		/* frame length */
	enum bench_pattern pattern;
	u32 n;			/* for setup: routes, flows */
	bool flag;		/* for setup: EMC on */
	const char *json;	/* the case's own fields for -j ("\"routes\": 10") */
	/*
	 * Configure the module and choose the traffic (optional): called
	 * with the core lock held, ports attached and the module set, with
	 * the random generator seeded by the case's name (every run of a
	 * case sees the same table and the same traffic). 0 or -errno.
	 */
	int (*setup)(struct bench_run *r);
};

/* The cases of one module (-m NAME). */
struct bench_module {
	const char *name;
	const char *doc;	/* one line for -c */
	const struct bench_case *cases;
	u32 ncases;
	/* Register what the cases need (optional); 0 or -errno. */
	int (*init)(void);
	void (*exit)(void);
};

extern const struct bench_module bench_l3, bench_of;

/*
 * vale-bench -s (senders.c): N sender threads into shared and separate
 * receivers, N = 1 .. the CPUs; prints the table, appends JSON lines to
 * jf (if not NULL). 0 or -errno.
 */
int bench_senders(double secs, u32 rounds, FILE *jf);

/* The host behind port i: 02:00:00:00:00:<i> (big-endian i). */
void bench_mac(u8 mac[6], u32 port);
/* The harness's random generator (xorshift64), seeded per case. */
u32 bench_rand(void);

#endif /* _VALE_BENCH_H */
