// SPDX-License-Identifier: GPL-2.0
/*
 * of-bench: per-core throughput of the switch with ofswitch ("of") against
 * the learning bridge, in user space (make bench-of). One thread sends
 * 60-byte IPv4/UDP frames with random 5-tuples from port 0 and drains port
 * 1, as vale-bench does. ofswitch holds N exact 5-tuple flows (priority
 * 100, output to port 1) over three wildcard flows of lower priorities
 * (other masks, so four subtables), and every frame hits one of the N.
 * Before each post the posted slots are given fresh tuples drawn from the
 * N flows (a 12-byte write per frame, in every case, the bridge's too),
 * so the cache sees as many distinct flows as the table holds. The
 * hdrcopy-floor case is the core with ofswitch's header copy and a module
 * that does nothing else: the best any rewriting module can do.
 *
 * Usage: of-bench [-t SECONDS] [-j FILE] [-c CASE]
 * With -j FILE it appends one JSON object per case:
 *   {"case", "where": "user", "mpps", "gbps", "len", "flows", "emc"}
 */
#include <getopt.h>
#include <time.h>

#include "../vale/user/uport.h"
#include "null_lookup.h"
#include "../lookup-modules/ofswitch/of_priv.h"	/* OF_HDR_COPY */

#define RING_SLOTS	1024
#define POST		512
#define LEN		60

struct tuple {
	u8 b[12];	/* IPv4 source, destination, UDP ports: frame bytes 26..37 */
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static u64 rs = 0x9e3779b97f4a7c15ULL;
static u32 rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (u32)(rs >> 11);
}

static const u8 mac0[6] = { 2, 0, 0, 0, 0, 0x10 }, mac1[6] = { 2, 0, 0, 0, 0, 0x11 };

static void frame(u8 *f, const struct tuple *tp)
{
	memset(f, 0, LEN);
	memcpy(f, mac1, 6);
	memcpy(f + 6, mac0, 6);
	f[12] = 0x08;
	f[14] = 0x45;
	f[17] = 46;
	f[22] = 64;
	f[23] = 17;
	memcpy(f + 26, tp->b, 12);
}

static void add_flows(void *priv, const struct tuple *tp, u32 n)
{
	struct of_flow_spec s;
	const char *why;
	u32 i;

	memset(&s, 0, sizeof(s));
	s.match.key.eth_type = 0x0800;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_proto = 17;
	s.match.mask.ip_proto = 0xff;
	memset(s.match.mask.ip_src, 0xff, 4);
	memset(s.match.mask.ip_dst, 0xff, 4);
	s.match.mask.tp_src = s.match.mask.tp_dst = 0xffff;
	s.priority = 100;
	s.n_actions = 1;
	s.actions[0].type = OF_ACT_OUTPUT;
	s.actions[0].port = 1;
	for (i = 0; i < n; i++) {
		memcpy(s.match.key.ip_src, tp[i].b, 4);
		memcpy(s.match.key.ip_dst, tp[i].b + 4, 4);
		s.match.key.tp_src = tp[i].b[8] << 8 | tp[i].b[9];
		s.match.key.tp_dst = tp[i].b[10] << 8 | tp[i].b[11];
		if (of_flow_add(priv, &s, &why))
			abort();
	}
	/* Three wildcard flows under them: a /16, a port, the input port. */
	memset(&s.match, 0, sizeof(s.match));
	s.match.key.eth_type = 0x0800;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_dst[0] = 192;
	s.match.key.ip_dst[1] = 168;
	s.match.mask.ip_dst[0] = s.match.mask.ip_dst[1] = 0xff;
	s.priority = 50;
	of_flow_add(priv, &s, &why);
	s.match.mask.ip_dst[0] = s.match.mask.ip_dst[1] = 0;
	s.match.key.ip_dst[0] = s.match.key.ip_dst[1] = 0;
	s.match.key.ip_proto = 6;
	s.match.mask.ip_proto = 0xff;
	s.match.key.tp_dst = 22;
	s.match.mask.tp_dst = 0xffff;
	s.priority = 40;
	s.actions[0].type = OF_ACT_DROP;
	of_flow_add(priv, &s, &why);
	memset(&s.match, 0, sizeof(s.match));
	s.match.mask.in_port = 0xffff;
	s.priority = 1;
	s.actions[0].type = OF_ACT_FLOOD;
	of_flow_add(priv, &s, &why);
}

/*
 * The floor under any module that rewrites headers: one that asks for
 * ofswitch's header copy and sends every frame to port 1 without looking.
 * What separates it from the learning bridge is the core's cost of the
 * copy; what separates ofswitch from it is ofswitch's own.
 */
static struct vale_lookup_ops null_ops = NULL_LOOKUP_OPS("hdrcopy", OF_HDR_COPY);

struct bench_case {
	const char *name;
	const char *lookup;	/* "learn", "hdrcopy" or "of" */
	u32 flows;
	bool emc;
};

static double run_case(const struct bench_case *c, double secs, u64 *delivered_out)
{
	struct vale_switch *sw = NULL;
	struct uport *p[2];
	struct tuple *tp;
	struct netmap_ring *tx;
	u32 ntp = c->flows ? c->flows : 10000, i, k;
	u64 delivered;
	struct vale_port_stats st;
	double t0, t;
	u8 f[LEN];

	tp = calloc(ntp, sizeof(*tp));
	for (i = 0; i < ntp; i++)
		for (k = 0; k < 12; k++)
			tp[i].b[k] = (u8)rnd();
	vale_core_lock();
	if (vale_switch_create("valeofbench", &sw))
		abort();
	p[0] = uport_new("p0", 1, 1, RING_SLOTS);
	p[1] = uport_new("p1", 1, 1, RING_SLOTS);
	if (vale_port_attach(sw, p[0]->vp) || vale_port_attach(sw, p[1]->vp))
		abort();
	if (strcmp(c->lookup, "learn") && vale_switch_set_lookup(sw, c->lookup))
		abort();
	if (!strcmp(c->lookup, "of")) {
		struct vale_lookup_inst *li = sw->lookup;

		add_flows(li->priv, tp, c->flows);
		of_set_emc(li->priv, c->emc);
	}
	vale_core_unlock();

	/* The receiver says hello, so the bridge knows where it is. */
	frame(f, &tp[0]);
	memcpy(f, mac0, 6);
	memcpy(f + 6, mac1, 6);
	uport_send(p[1], 0, f, LEN);
	uport_txsync(p[1], 0);
	uport_drain(p[0]);
	uport_drain(p[1]);

	tx = p[0]->txr[0];
	for (i = 0; i < RING_SLOTS; i++) {
		frame(uport_buf(p[0], tx->slot[i].buf_idx), &tp[rnd() % ntp]);
		tx->slot[i].len = LEN;
	}
	vale_port_stats(p[1]->vp, &st);
	delivered = st.rx_pkts;
	t0 = now();
	do {
		u32 n;

		for (n = 0; n < 64; n++) {
			u32 h = tx->head;

			for (i = 0; i < POST; i++) {
				u8 *b = uport_buf(p[0], tx->slot[(h + i) % RING_SLOTS].buf_idx);

				memcpy(b + 26, tp[rnd() % ntp].b, 12);
			}
			tx->head = tx->cur = (h + POST) % RING_SLOTS;
			uport_txsync(p[0], 0);
			uport_rxsync(p[1], 0);
			p[1]->rxr[0]->head = p[1]->rxr[0]->cur = p[1]->rxr[0]->tail;
		}
		t = now() - t0;
	} while (t < secs);
	vale_port_stats(p[1]->vp, &st);
	delivered = st.rx_pkts - delivered;
	*delivered_out = delivered;

	vale_core_lock();
	vale_port_detach(p[0]->vp);
	vale_port_detach(p[1]->vp);
	vale_core_unlock();
	uport_free(p[0]);
	uport_free(p[1]);
	free(tp);
	return delivered / t / 1e6;
}

static const struct bench_case cases[] = {
	{ "learn-60B", "learn", 0, false },
	{ "hdrcopy-floor-60B", "hdrcopy", 0, false },
	{ "of-10flows-emc-60B", "of", 10, true },
	{ "of-10flows-noemc-60B", "of", 10, false },
	{ "of-1000flows-emc-60B", "of", 1000, true },
	{ "of-1000flows-noemc-60B", "of", 1000, false },
	{ "of-10000flows-emc-60B", "of", 10000, true },
	{ "of-10000flows-noemc-60B", "of", 10000, false },
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
	if (vale_core_init() || vale_lookup_register(&of_ops) || vale_lookup_register(&null_ops))
		return 1;
	if (json && !(jf = fopen(json, "a"))) {
		perror(json);
		return 1;
	}
	printf("%-26s %10s %10s %12s\n", "case (user, 1 core)", "Mpps", "Gbit/s", "vs learn");
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct bench_case *c = &cases[i];
		u64 pkts;
		double mpps;

		if (only && strcmp(only, c->name))
			continue;
		mpps = run_case(c, secs, &pkts);
		if (!strcmp(c->lookup, "learn"))
			learn = mpps;
		printf("%-26s %10.2f %10.2f %11.0f%%\n", c->name, mpps, mpps * LEN * 8 / 1e3,
		       learn ? 100 * mpps / learn : 0);
		if (jf)
			fprintf(jf, "{\"case\": \"%s\", \"where\": \"user\", \"mpps\": %.3f, "
				"\"gbps\": %.3f, \"len\": %u, \"lookup\": \"%s\", \"flows\": %u, "
				"\"emc\": %s%s%.3f}\n", c->name, mpps, mpps * LEN * 8 / 1e3, LEN,
				c->lookup, c->flows, c->emc ? "true" : "false",
				", \"ratio_to_learn\": ", learn ? mpps / learn : 0);
	}
	if (jf)
		fclose(jf);
	vale_lookup_unregister(&null_ops);
	vale_lookup_unregister(&of_ops);
	vale_core_exit();
	return 0;
}
