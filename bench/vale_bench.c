// SPDX-License-Identifier: GPL-2.0
/*
 * vale-bench: per-core throughput of the switch core with the learning
 * bridge, in user space (make bench). One thread does everything: the
 * sender's txsync (lookup, lease, copy, publish) and the receivers'
 * rxsync; the sender's ring is filled with frames once and re-posted, so
 * what is measured is the switch, not a packet generator.
 *
 * Beside each case it prints the machine's bare ceiling for the same
 * bytes: a loop that hashes a MAC and copies a frame between
 * cache-resident buffers. With -j FILE it appends one JSON object per case.
 *
 * Usage: vale-bench [-t SECONDS] [-j FILE] [-c CASE] [-n]
 * -n skips the ceiling loop (for profiling the switch alone).
 */
#include <getopt.h>
#include <time.h>

#include "../vale/user/uport.h"

#define RING_SLOTS	1024	/* netmap's default for switch ports */
#define POST		512	/* slots posted per txsync */

/*
 * The thread's CPU time, not the wall clock: a per-core figure should not
 * depend on what else the machine runs (other processes take turns on the
 * core; what they do to the caches still shows).
 */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void mac_of(u8 mac[6], u32 host)
{
	mac[0] = 0x02;
	mac[1] = 0;
	mac[2] = host >> 24;
	mac[3] = host >> 16;
	mac[4] = host >> 8;
	mac[5] = host;
}

static void frame(u8 *f, const u8 dst[6], const u8 src[6], u16 len)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x08;
	f[13] = 0x00;
}

enum pattern { UNICAST, ROUND_ROBIN, BROADCAST, RANDOM };

struct bench_case {
	const char *name;
	u32 ports;		/* including the sender */
	enum pattern pattern;
	u16 len;
};

struct result {
	double mpps, gbps, ceiling_mpps, ceiling_gbps;
};

/* The bare loop: hash a MAC, copy the frame, between two buffers. */
static void ceiling(u16 len, double secs, struct result *r)
{
	static u8 src[2048] __attribute__((aligned(64))), dst[2][2048] __attribute__((aligned(64)));
	vale_hash_key key;
	u64 pkts = 0, sink = 0;
	double t0 = now(), t;
	u32 i;

	vale_hash_key_init(&key);
	memset(src, 0x5a, sizeof(src));
	do {
		for (i = 0; i < 4096; i++) {
			u64 mac;

			memcpy(&mac, src + (i & 7), 8);
			sink += vale_hash64(mac & 0xffffffffffffULL, &key);
			memcpy(dst[i & 1], src, len);
			__asm__ volatile("" : : "r"(dst) : "memory");
		}
		pkts += 4096;
		t = now() - t0;
	} while (t < secs);
	__asm__ volatile("" : : "r"(sink));
	r->ceiling_mpps = pkts / t / 1e6;
	r->ceiling_gbps = pkts * len * 8.0 / t / 1e9;
}

static void run_case(const struct bench_case *c, double secs, struct result *r)
{
	struct vale_switch *sw = NULL;
	struct uport **p = calloc(c->ports, sizeof(*p));
	u8 f[2048], mac[6], dmac[6], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	struct netmap_ring *tx;
	u64 delivered = 0, bytes = 0;
	double t0, t;
	u32 i, iter = 0;
	char name[16];

	vale_core_lock();
	if (vale_switch_create("valebench", &sw))
		abort();
	for (i = 0; i < c->ports; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		p[i] = uport_new(name, 1, 1, RING_SLOTS);
		if (!p[i] || vale_port_attach(sw, p[i]->vp))
			abort();
	}
	vale_core_unlock();

	/* Every receiver says hello once, so the bridge knows where it is. */
	for (i = 1; i < c->ports; i++) {
		mac_of(mac, i);
		frame(f, bcast, mac, 60);
		uport_send(p[i], 0, f, 60);
		uport_txsync(p[i], 0);
	}
	for (i = 0; i < c->ports; i++)
		uport_drain(p[i]);

	/* Fill the sender's ring once; every post re-sends these frames. */
	tx = p[0]->txr[0];
	mac_of(mac, 0);
	srand(1);
	for (i = 0; i < RING_SLOTS; i++) {
		u32 d = 1;

		if (c->pattern == ROUND_ROBIN)
			d = 1 + i % (c->ports - 1);
		else if (c->pattern == RANDOM)
			d = 1 + (u32)rand() % (c->ports - 1);
		mac_of(dmac, d);
		frame(uport_buf(p[0], tx->slot[i].buf_idx), c->pattern == BROADCAST ? bcast : dmac,
		      mac, c->len);
		tx->slot[i].len = c->len;
	}
	/* Learn the sender too, so the receivers' hellos do not flood later. */
	t0 = now();
	do {
		u32 k;

		for (k = 0; k < 64; k++, iter++) {
			tx->head = tx->cur = (tx->head + POST) % RING_SLOTS;
			uport_txsync(p[0], 0);
			for (i = 1; i < c->ports; i++) {
				struct uport *rp = p[i];

				uport_rxsync(rp, 0);
				rp->rxr[0]->head = rp->rxr[0]->cur = rp->rxr[0]->tail;
			}
		}
		t = now() - t0;
	} while (t < secs);
	for (i = 1; i < c->ports; i++) {
		struct vale_port_stats st;

		vale_port_stats(p[i]->vp, &st);
		delivered += st.rx_pkts;
		bytes += st.rx_bytes;
	}
	r->mpps = delivered / t / 1e6;
	r->gbps = bytes * 8.0 / t / 1e9;

	vale_core_lock();
	for (i = 0; i < c->ports; i++)
		vale_port_detach(p[i]->vp);
	vale_core_unlock();
	for (i = 0; i < c->ports; i++)
		uport_free(p[i]);
	free(p);
}

static const struct bench_case cases[] = {
	{ "unicast-2ports-60B", 2, UNICAST, 60 },
	{ "unicast-2ports-1514B", 2, UNICAST, 1514 },
	{ "1-to-4-60B", 5, ROUND_ROBIN, 60 },
	{ "1-to-64-60B", 65, ROUND_ROBIN, 60 },
	{ "broadcast-8ports-60B", 8, BROADCAST, 60 },
	{ "random-254ports-60B", 254, RANDOM, 60 },
};

int main(int argc, char **argv)
{
	const char *json = NULL, *only = NULL;
	bool no_ceiling = false;
	double secs = 1.0;
	FILE *jf = NULL;
	u32 i;
	int opt;

	while ((opt = getopt(argc, argv, "t:j:c:n")) != -1) {
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
		case 'n':
			no_ceiling = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-t SECONDS] [-j FILE] [-c CASE] [-n]\n", argv[0]);
			return 2;
		}
	}
	if (vale_core_init())
		return 1;
	if (json && !(jf = fopen(json, "a"))) {
		perror(json);
		return 1;
	}
	printf("%-24s %10s %10s %14s %14s %8s\n", "case (user, 1 core)", "Mpps", "Gbit/s",
	       "ceiling Mpps", "ceiling Gb/s", "ratio");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bench_case *c = &cases[i];
		struct result r;

		if (only && strcmp(only, c->name))
			continue;
		memset(&r, 0, sizeof(r));
		run_case(c, secs, &r);
		if (!no_ceiling)
			ceiling(c->len, secs / 2, &r);
		printf("%-24s %10.2f %10.2f %14.2f %14.2f %7.0f%%\n", c->name, r.mpps, r.gbps,
		       r.ceiling_mpps, r.ceiling_gbps,
		       r.ceiling_mpps ? 100.0 * r.mpps / r.ceiling_mpps : 0);
		if (jf)
			fprintf(jf, "{\"case\": \"%s\", \"where\": \"user\", \"mpps\": %.3f, "
				"\"gbps\": %.3f, \"len\": %u, \"ports\": %u, "
				"\"ceiling_mpps\": %.3f, \"ceiling_gbps\": %.3f}\n",
				c->name, r.mpps, r.gbps, c->len, c->ports, r.ceiling_mpps,
				r.ceiling_gbps);
	}
	if (jf)
		fclose(jf);
	vale_core_exit();
	return 0;
}
