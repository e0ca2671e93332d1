// SPDX-License-Identifier: GPL-2.0
/*
 * vale-bench: per-core throughput of the switch core and of its lookup
 * modules, in user space (make bench). One thread does everything: the
 * sender's txsync (lookup, lease, copy, publish) and the receivers'
 * rxsync; the sender's ring is filled once and re-posted, with 14 header
 * bytes per frame rewritten from a pool of tuples before each post (see
 * bench.h), so what is measured is the switch, not a packet generator.
 *
 * Every module is measured the same way, in the same run: the learning
 * bridge's cases (-m learn, the core's own, printed beside the machine's
 * bare ceiling for the same bytes: a loop that hashes a MAC and copies a
 * frame between cache-resident buffers), the router's (-m l3), the flow
 * table's (-m of), and those of any module built as a shared object
 * (-m FILE.so). Each other module's case is printed as a share of the
 * learning bridge's case with the same frames (unicast-2ports-60B or
 * -1514B), which runs in the same rounds. A round runs every case once,
 * in turn; each case's figure is its best round.
 *
 * vale-bench --help says how to use it; -c lists the cases.
 */
#define _GNU_SOURCE	/* asprintf */
#include <dlfcn.h>
#include <fnmatch.h>
#include <getopt.h>
#include <time.h>

#include "bench.h"

#define RING_SLOTS	1024	/* netmap's default for switch ports */
#define POST		512	/* slots posted per txsync */
#define MAX_ROUNDS	32
#define HDR_OFF		24	/* the bytes a pool entry sets: IPv4 checksum .. UDP ports */
#define HDR_LEN		14

/* A pool entry: the IPv4 header checksum and the tuple, frame bytes 24..37. */
struct bench_hdr {
	u8 b[16];
};

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

static u64 rng = 1;

u32 bench_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (u32)(rng >> 16);
}

/* Every run of a case draws the same numbers (FNV-1a of its name). */
static void bench_seed(const char *name)
{
	u64 h = 0xcbf29ce484222325ULL;

	while (*name)
		h = (h ^ (u8)*name++) * 0x100000001b3ULL;
	rng = h | 1;
}

void bench_mac(u8 mac[6], u32 port)
{
	mac[0] = 0x02;
	mac[1] = 0;
	mac[2] = port >> 24;
	mac[3] = port >> 16;
	mac[4] = port >> 8;
	mac[5] = port;
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* An Ethernet/IPv4/UDP frame of len bytes, checksum, addresses and ports from h. */
static void frame(u8 *f, const u8 dst[6], const u8 src[6], u16 len,
		  const struct bench_hdr *h)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put16(f + 12, 0x0800);
	f[14] = 0x45;
	put16(f + 16, len - 14);
	f[22] = 64;
	f[23] = 17;
	put16(f + 38, len - 34);
	memcpy(f + HDR_OFF, h->b, HDR_LEN);
}

/* The pool entry of tuple t in len-byte frames: the IPv4 checksum to match. */
static void hdr_of(struct bench_hdr *h, const struct bench_tuple *t, u16 len)
{
	u8 ip[20] = { 0x45, 0, (len - 14) >> 8, (u8)(len - 14), 0, 0, 0, 0, 64, 17 };
	u32 sum = 0, i;

	memcpy(ip + 12, t->b, 8);
	for (i = 0; i < sizeof(ip); i += 2)
		sum += ip[i] << 8 | ip[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	memset(h, 0, sizeof(*h));
	put16(h->b, ~sum);
	memcpy(h->b + 2, t->b, sizeof(t->b));
}

/* ------------------------------------------------------------ the cases */

static const struct bench_case learn_cases[] = {
	{ "unicast-2ports-60B", "learn",
	  "2 ports, port 0 to port 1: the baseline of every other module's 60 B case",
	  2, 60, BENCH_UNICAST, 0, false, NULL, NULL },
	{ "unicast-2ports-1514B", "learn",
	  "the same with 1514 B frames: the baseline of the 1514 B cases",
	  2, 1514, BENCH_UNICAST, 0, false, NULL, NULL },
	{ "1-to-4-60B", "learn", "5 ports, port 0 to ports 1..4 in turn",
	  5, 60, BENCH_ROUND_ROBIN, 0, false, NULL, NULL },
	{ "1-to-64-60B", "learn", "65 ports, port 0 to ports 1..64 in turn",
	  65, 60, BENCH_ROUND_ROBIN, 0, false, NULL, NULL },
	{ "broadcast-8ports-60B", "learn",
	  "8 ports, broadcast from port 0 (figures count deliveries, 7 per frame)",
	  8, 60, BENCH_BROADCAST, 0, false, NULL, NULL },
	{ "random-254ports-60B", "learn", "254 ports, port 0 to a random port for each frame",
	  254, 60, BENCH_RANDOM, 0, false, NULL, NULL },
};

static const struct bench_module bench_learn = {
	.name = "learn",
	.doc = "the learning bridge, built into the core: the core's own cases and the "
	       "baseline of all others",
	.cases = learn_cases,
	.ncases = ARRAY_SIZE(learn_cases),
};

static const struct bench_module *const builtin[] = { &bench_learn, &bench_l3, &bench_of };

/* ------------------------------------------- modules in shared objects */

struct so_module {
	struct bench_module m;
	struct bench_case cases[2];
	struct vale_lookup_ops *ops;
	void *handle;
};

/*
 * Load path[:symbol] and register the module it holds: the object's
 * constructor may have registered it (vale_lookup_register); else it is
 * the struct vale_lookup_ops called symbol, by default STEM_ops.
 */
static struct so_module *so_load(const char *arg)
{
	struct vale_lookup_ops *before[VALE_MAX_LOOKUPS], *ops = NULL, *ctor = NULL;
	char path[4096], sym[256], *colon, *stem, *s;
	struct so_module *so;
	u32 i;
	int err;

	snprintf(path, sizeof(path), "%s%s", strchr(arg, '/') ? "" : "./", arg);
	sym[0] = 0;
	colon = strrchr(path, ':');
	if (colon && !strchr(colon, '/')) {
		*colon = 0;
		snprintf(sym, sizeof(sym), "%s", colon + 1);
	}
	so = calloc(1, sizeof(*so));
	if (!so)
		return NULL;
	vale_core_lock();
	for (i = 0; i < VALE_MAX_LOOKUPS; i++)
		before[i] = vale_lookup_at(i);
	vale_core_unlock();
	so->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!so->handle) {
		fprintf(stderr, "vale-bench: %s\n", dlerror());
		goto fail;
	}
	vale_core_lock();
	for (i = 0; i < VALE_MAX_LOOKUPS && !ctor; i++)
		if (vale_lookup_at(i) && vale_lookup_at(i) != before[i])
			ctor = vale_lookup_at(i);
	vale_core_unlock();
	if (!sym[0]) {
		ops = ctor;
		stem = strrchr(path, '/') + 1;
		if (!strncmp(stem, "lib", 3))
			stem += 3;
		if (!strncmp(stem, "vale_lookup_", 12))
			stem += 12;
		snprintf(sym, sizeof(sym), "%s", stem);
		s = strstr(sym, ".so");
		if (s)
			*s = 0;
		snprintf(sym + strlen(sym), sizeof(sym) - strlen(sym), "_ops");
	}
	if (!ops) {
		ops = dlsym(so->handle, sym);
		if (!ops) {
			fprintf(stderr, "vale-bench: %s: no symbol %s (the module's struct "
				"vale_lookup_ops, not static; name it with -m %s:SYMBOL)\n",
				path, sym, path);
			goto fail;
		}
		err = ops == ctor ? 0 : vale_lookup_register(ops);
		if (err) {
			fprintf(stderr, "vale-bench: %s: registering module \"%s\": %s\n",
				path, ops->name ? ops->name : "", strerror(-err));
			goto fail;
		}
	}
	so->ops = ops;
	return so;
fail:
	if (so->handle)
		dlclose(so->handle);
	free(so);
	return NULL;
}

static void so_unload(struct so_module *so)
{
	u32 i;

	vale_lookup_unregister(so->ops);
	dlclose(so->handle);
	for (i = 0; i < ARRAY_SIZE(so->cases); i++) {
		free((char *)so->cases[i].name);
		free((char *)so->cases[i].doc);
	}
	free((char *)so->m.doc);
	free(so);
}

/* The generic cases, for a module the harness knows nothing of. */
static int so_cases(struct so_module *so, const char *file)
{
	static const u16 lens[] = { 60, 1514 };
	const char *name = so->ops->name;
	u32 i;
	int n = 0;

	so->m.name = name;
	so->m.cases = so->cases;
	so->m.ncases = ARRAY_SIZE(so->cases);
	if (asprintf((char **)&so->m.doc, "module \"%s\" from %s", name, file) < 0)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		struct bench_case *c = &so->cases[i];

		c->module = name;
		c->ports = 2;
		c->len = lens[i];
		c->pattern = BENCH_UNICAST;
		n |= asprintf((char **)&c->name, "%s-2ports-%uB", name, lens[i]);
		n |= asprintf((char **)&c->doc, "2 ports, %u B frames from port 0 to "
			      "02:00:00:00:00:01 (port 1's host), random IPv4/UDP tuples",
			      lens[i]);
	}
	return n < 0 ? -ENOMEM : 0;
}

/* ------------------------------------------------------------- a run */

struct result {
	double mpps[MAX_ROUNDS], gbps[MAX_ROUNDS];
	u64 pkts[MAX_ROUNDS], sent[MAX_ROUNDS], drops[MAX_ROUNDS];
	double ceiling_mpps, ceiling_gbps;
	u32 runs, best;
	const struct bench_case *base;	/* what a module's case is a share of */
	bool selected;
};

static const struct bench_hdr *ceiling_pool;

/* The bare loop: hash a MAC, set the header bytes, copy the frame. */
static void ceiling(u16 len, double secs, struct result *r)
{
	static u8 src[2048] __attribute__((aligned(64))), dst[2][2048] __attribute__((aligned(64)));
	vale_hash_key key;
	u64 pkts = 0, sink = 0;
	double t0 = now(), t;
	u32 i, next = 0;

	vale_hash_key_init(&key);
	memset(src, 0x5a, sizeof(src));
	do {
		for (i = 0; i < 4096; i++) {
			u64 mac;

			memcpy(src + HDR_OFF, ceiling_pool[next++ & (BENCH_POOL - 1)].b, HDR_LEN);
			memcpy(&mac, src + (i & 7), 8);
			sink += vale_hash64(mac & 0xffffffffffffULL, &key);
			memcpy(dst[i & 1], src, len);
			__asm__ volatile("" : : "r"(dst) : "memory");
		}
		pkts += 4096;
		t = now() - t0;
	} while (t < secs);
	__asm__ volatile("" : : "r"(sink));
	if (pkts / t / 1e6 > r->ceiling_mpps) {
		r->ceiling_mpps = pkts / t / 1e6;
		r->ceiling_gbps = pkts * len * 8.0 / t / 1e9;
	}
}

/* Frames and bytes the receivers got; frames any port dropped. */
static u64 delivered(struct uport **p, u32 n, u64 *bytes, u64 *drops)
{
	struct vale_port_stats st;
	u64 pkts = 0;
	u32 i;

	*bytes = *drops = 0;
	for (i = 0; i < n; i++) {
		vale_port_stats(p[i]->vp, &st);
		*drops += st.drop_lookup + st.drop_bad + st.drop_full + st.drop_bad_buf;
		if (i) {
			pkts += st.rx_pkts;
			*bytes += st.rx_bytes;
		}
	}
	return pkts;
}

/* Make the switch, run c for secs of CPU time, tear it down. */
static int run_case(const struct bench_case *c, double secs, struct result *r)
{
	struct bench_run run = { .c = c };
	struct vale_switch *sw = NULL;
	struct uport **p = calloc(c->ports, sizeof(*p));
	struct bench_hdr *hdrs = aligned_alloc(64, BENCH_POOL * sizeof(*hdrs));
	u8 f[2048], mac[6], dmac[6], bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	u64 pkts0, bytes0, drops0, pkts, bytes, drops, posts = 0;
	struct netmap_ring *tx;
	double t0, t;
	u32 i, next = 0;
	char name[16];
	int err = -ENOMEM;

	run.tuples = malloc(BENCH_POOL * sizeof(*run.tuples));
	if (!p || !hdrs || !run.tuples)
		goto out;
	bench_seed(c->name);
	for (i = 0; i < BENCH_POOL * sizeof(*run.tuples) / 2; i++)
		((u16 *)run.tuples)[i] = bench_rand();
	bench_mac(run.dmac, 1);

	vale_core_lock();
	err = vale_switch_create("valebench", &sw);
	for (i = 0; i < c->ports && !err; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		p[i] = uport_new(name, 1, 1, RING_SLOTS);
		err = p[i] ? vale_port_attach(sw, p[i]->vp) : -ENOMEM;
	}
	if (!err && strcmp(c->module, "learn"))
		err = vale_switch_set_lookup(sw, c->module);
	if (!err && c->setup) {
		run.sw = sw;
		run.priv = vale_deref_ctl(sw->lookup, &vale_lock)->priv;
		err = c->setup(&run);
	}
	vale_core_unlock();
	if (err) {
		fprintf(stderr, "vale-bench: %s: setting up: %s\n", c->name, strerror(-err));
		goto out;
	}
	for (i = 0; i < BENCH_POOL; i++)
		hdr_of(&hdrs[i], &run.tuples[i], c->len);

	/* Every receiver says hello once, so the bridge knows where it is. */
	for (i = 1; i < c->ports; i++) {
		bench_mac(mac, i);
		frame(f, bcast, mac, 60, &hdrs[0]);
		uport_send(p[i], 0, f, 60);
		uport_txsync(p[i], 0);
	}
	for (i = 0; i < c->ports; i++)
		uport_drain(p[i]);

	/* Fill the sender's ring once; every post re-sends these frames. */
	tx = p[0]->txr[0];
	bench_mac(mac, 0);
	for (i = 0; i < RING_SLOTS; i++) {
		const u8 *d = run.dmac;

		if (c->pattern == BENCH_ROUND_ROBIN)
			d = (bench_mac(dmac, 1 + i % (c->ports - 1)), dmac);
		else if (c->pattern == BENCH_RANDOM)
			d = (bench_mac(dmac, 1 + bench_rand() % (c->ports - 1)), dmac);
		else if (c->pattern == BENCH_BROADCAST)
			d = bcast;
		frame(uport_buf(p[0], tx->slot[i].buf_idx), d, mac, c->len, &hdrs[i]);
		tx->slot[i].len = c->len;
	}
	pkts0 = delivered(p, c->ports, &bytes0, &drops0);
	t0 = now();
	do {
		u32 k, j;

		for (k = 0; k < 64; k++) {
			u32 h = tx->head;

			/* The next tuples into the slots about to go. */
			for (j = 0; j < POST; j++) {
				u8 *b = uport_buf(p[0], tx->slot[(h + j) % RING_SLOTS].buf_idx);

				memcpy(b + HDR_OFF, hdrs[next++ & (BENCH_POOL - 1)].b, HDR_LEN);
			}
			tx->head = tx->cur = (h + POST) % RING_SLOTS;
			uport_txsync(p[0], 0);
			for (i = 1; i < c->ports; i++) {
				struct uport *rp = p[i];

				uport_rxsync(rp, 0);
				rp->rxr[0]->head = rp->rxr[0]->cur = rp->rxr[0]->tail;
			}
		}
		posts += 64;
		t = now() - t0;
	} while (t < secs);
	pkts = delivered(p, c->ports, &bytes, &drops) - pkts0;
	bytes -= bytes0;
	drops -= drops0;
	i = r->runs++;
	r->mpps[i] = pkts / t / 1e6;
	r->gbps[i] = bytes * 8.0 / t / 1e9;
	r->pkts[i] = pkts;
	r->sent[i] = posts * POST;
	r->drops[i] = drops;
	if (r->mpps[i] > r->mpps[r->best])
		r->best = i;
out:
	if (sw) {
		vale_core_lock();
		for (i = 0; i < c->ports && p[i]; i++)
			vale_port_detach(p[i]->vp);
		vale_core_unlock();
	}
	for (i = 0; p && i < c->ports; i++)
		uport_free(p[i]);
	free(p);
	free(hdrs);
	free(run.tuples);
	return err;
}

/* ------------------------------------------------------------- main */

static const char usage[] =
"usage: vale-bench [-t SECONDS] [-r ROUNDS] [-j FILE] [-n] [-m MODULE]... [CASE...]\n"
"       vale-bench -c [-m MODULE]...\n"
"       vale-bench -s [-t SECONDS] [-r ROUNDS] [-j FILE]\n"
"\n"
"Per-core throughput of the switch core in user space: one thread forwards\n"
"frames from port 0 of a switch to the others (the sender's txsync and the\n"
"receivers' rxsync), per second of the thread's CPU time. Every case runs\n"
"ROUNDS times, the cases in turn (round 1 of each, then round 2...); its\n"
"figure is its best run. A case of a module other than learn is printed as a\n"
"share of the learning bridge's case with the same frames, run in the same\n"
"rounds: unicast-2ports-60B (or -1514B).\n"
"\n"
"  -m MODULE   the cases of MODULE (repeatable; default learn):\n"
"                learn   the learning bridge: the core's own cases\n"
"                l3      the router, 10 to 100,000 routes\n"
"                of      ofswitch, 10 to 10,000 flows, exact-match cache on/off\n"
"                FILE.so[:SYMBOL]  a lookup module built as a shared object\n"
"  -c          list the cases (of the -m modules, else of every built-in one)\n"
"  -t SECONDS  the length of a run (default 1)\n"
"  -r ROUNDS   runs of each case (default 3, at most 32)\n"
"  -j FILE     append one JSON object per case to FILE\n"
"  -n          skip the ceiling loop (for profiling the switch alone)\n"
"  -s          many senders instead (bench/senders.c): 1 to one thread per CPU\n"
"              into one shared receiver and into one receiver each; aggregate\n"
"              and per-core rates, scaling; the median of the -r rounds\n"
"  CASE        only the cases of these names (shell patterns: 'l3-*'), among\n"
"              those of the -m modules and the learning bridge's (without -m:\n"
"              of every built-in module)\n"
"  -h, --help  this text\n"
"\n"
"A module in a shared object is built from the same source as its kernel\n"
"module, in user space (THIS_MODULE is NULL there), e.g.:\n"
"  cc -O3 -march=native -fPIC -shared -Iinclude -o hello.so examples/lookup-hello/hello.c\n"
"  build/bin/vale-bench -m ./hello.so\n"
"vale-bench loads it and registers its struct vale_lookup_ops: the symbol\n"
"SYMBOL, by default STEM_ops, STEM being the file's name without \"lib\",\n"
"\"vale_lookup_\" and \".so\" (hello.so: hello_ops), unless a constructor of\n"
"the object registered its module itself. It gets two cases, NAME-2ports-60B\n"
"and NAME-2ports-1514B: port 0 sends to 02:00:00:00:00:01 (port 1's host),\n"
"with random IPv4/UDP addresses and ports; what the module delivers to any\n"
"port counts.\n";

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ }
};

#define MAX_MODULES	16

struct plan {
	const struct bench_module *mod[MAX_MODULES];
	struct so_module *so[MAX_MODULES];
	bool inited[MAX_MODULES];
	u32 nmod;
};

static int add_module(struct plan *pl, const char *arg)
{
	u32 i;

	for (i = 0; i < pl->nmod; i++)
		if (!pl->so[i] && (!strcmp(arg, pl->mod[i]->name) ||
				   (!strcmp(arg, "ofswitch") && pl->mod[i] == &bench_of)))
			return 0;	/* given twice */
	if (pl->nmod == MAX_MODULES) {
		fprintf(stderr, "vale-bench: at most %u modules\n", MAX_MODULES);
		return -1;
	}
	if (strchr(arg, '/') || strstr(arg, ".so")) {
		struct so_module *so = so_load(arg);

		if (!so || so_cases(so, arg)) {
			if (so)
				so_unload(so);
			return -1;
		}
		pl->so[pl->nmod] = so;
		pl->inited[pl->nmod] = true;
		pl->mod[pl->nmod++] = &so->m;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(builtin); i++) {
		if (strcmp(arg, builtin[i]->name) && !(i == 2 && !strcmp(arg, "ofswitch")))
			continue;
		pl->mod[pl->nmod++] = builtin[i];
		return 0;
	}
	fprintf(stderr, "vale-bench: no module %s: learn, l3, of, or a FILE.so (--help)\n", arg);
	return -1;
}

static void list(const struct plan *pl)
{
	u32 i, k;

	for (i = 0; i < pl->nmod; i++) {
		const struct bench_module *m = pl->mod[i];

		printf("%s%s: %s\n", i ? "\n" : "", m->name, m->doc);
		for (k = 0; k < m->ncases; k++)
			printf("  %-28s %s\n", m->cases[k].name, m->cases[k].doc);
	}
}

static bool wanted(const char *name, char **pat, int npat)
{
	int i;

	for (i = 0; i < npat; i++)
		if (!fnmatch(pat[i], name, 0))
			return true;
	return !npat;
}

/* The learning bridge's case a module's case is a share of. */
static const struct bench_case *baseline(const struct bench_case *c)
{
	u32 i;

	for (i = 0; i < ARRAY_SIZE(learn_cases); i++)
		if (learn_cases[i].pattern == BENCH_UNICAST && learn_cases[i].len == c->len &&
		    learn_cases[i].ports == c->ports)
			return &learn_cases[i];
	return NULL;
}

static void json_runs(FILE *jf, const struct result *r)
{
	u32 i;

	fprintf(jf, ", \"pkts\": %llu, \"sent\": %llu, \"dropped\": %llu, \"runs_mpps\": [",
		(unsigned long long)r->pkts[r->best], (unsigned long long)r->sent[r->best],
		(unsigned long long)r->drops[r->best]);
	for (i = 0; i < r->runs; i++)
		fprintf(jf, "%s%.3f", i ? ", " : "", r->mpps[i]);
	fprintf(jf, "]}\n");
}

/* (best - worst) / best over the runs of a case, in %. */
static double spread(const struct result *r)
{
	double lo = r->mpps[r->best];
	u32 i;

	for (i = 0; i < r->runs; i++)
		lo = min(lo, r->mpps[i]);
	return r->mpps[r->best] ? 100 * (r->mpps[r->best] - lo) / r->mpps[r->best] : 0;
}

int main(int argc, char **argv)
{
	struct plan pl = { .nmod = 0 };
	struct result learn_res[ARRAY_SIZE(learn_cases)] = { 0 }, *res[MAX_MODULES] = { 0 };
	const char *json = NULL, *margs[MAX_MODULES];
	bool no_ceiling = false, do_list = false, any_other = false, learn_in = false;
	bool senders = false;
	u32 i, k, n, round, rounds = 3, nm = 0, ncases = 0, ret = 0;
	double secs = 1.0;
	struct bench_hdr *cpool;
	FILE *jf = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "t:r:j:m:cnsh", long_opts, NULL)) != -1) {
		switch (opt) {
		case 't':
			secs = atof(optarg);
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'j':
			json = optarg;
			break;
		case 'm':
			if (nm == MAX_MODULES) {
				fprintf(stderr, "vale-bench: at most %u modules\n", MAX_MODULES);
				return 2;
			}
			margs[nm++] = optarg;
			break;
		case 'c':
			do_list = true;
			break;
		case 'n':
			no_ceiling = true;
			break;
		case 's':
			senders = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (secs <= 0 || rounds < 1 || rounds > MAX_ROUNDS) {
		fprintf(stderr, "vale-bench: -t wants seconds > 0, -r 1 to %u\n", MAX_ROUNDS);
		return 2;
	}
	if (vale_core_init())
		return 1;
	if (senders) {
		if (json && !(jf = fopen(json, "a"))) {
			perror(json);
			return 1;
		}
		ret = bench_senders(secs, rounds, jf) ? 1 : 0;
		if (jf)
			fclose(jf);
		vale_core_exit();
		return ret;
	}
	for (i = 0; i < nm; i++)
		if (add_module(&pl, margs[i]))
			return 1;
	if (!nm && (do_list || optind < argc))
		for (i = 0; i < ARRAY_SIZE(builtin); i++)
			pl.mod[pl.nmod++] = builtin[i];
	else if (!nm)
		pl.mod[pl.nmod++] = &bench_learn;
	if (do_list) {
		list(&pl);
		goto out;
	}

	/* What runs: the selected cases, and the baselines they need. */
	for (i = 0; i < pl.nmod; i++) {
		const struct bench_module *m = pl.mod[i];
		bool some = false;

		if (m == &bench_learn)
			continue;
		res[i] = calloc(m->ncases, sizeof(*res[i]));
		if (!res[i])
			return 1;
		for (k = 0; k < m->ncases; k++) {
			struct result *r = &res[i][k];

			if (!wanted(m->cases[k].name, argv + optind, argc - optind))
				continue;
			r->base = baseline(&m->cases[k]);
			if (!r->base) {
				fprintf(stderr, "vale-bench: %s: no learning-bridge case to compare "
					"it with\n", m->cases[k].name);
				return 1;
			}
			r->selected = true;
			learn_res[r->base - learn_cases].selected = true;
			any_other = some = true;
			ncases++;
		}
		if (some && m->init && !pl.inited[i]) {
			int err = m->init();

			if (err) {
				fprintf(stderr, "vale-bench: %s: registering its modules: %s\n",
					m->name, strerror(-err));
				return 1;
			}
			pl.inited[i] = true;
		}
	}
	/* The bridge's cases: with -m learn, or named (a baseline, say). */
	for (i = 0; i < pl.nmod; i++)
		if (pl.mod[i] == &bench_learn)
			learn_in = true;
	for (k = 0; k < ARRAY_SIZE(learn_cases); k++) {
		if ((learn_in || optind < argc) &&
		    wanted(learn_cases[k].name, argv + optind, argc - optind))
			learn_res[k].selected = true;
		ncases += learn_res[k].selected;
	}
	for (k = optind; k < (u32)argc; k++) {
		bool found = false;

		for (i = 0; i < ARRAY_SIZE(learn_cases); i++)
			found |= !fnmatch(argv[k], learn_cases[i].name, 0);
		for (i = 0; i < pl.nmod; i++)
			for (n = 0; n < pl.mod[i]->ncases; n++)
				found |= !fnmatch(argv[k], pl.mod[i]->cases[n].name, 0);
		if (!found) {
			fprintf(stderr, "vale-bench: no case %s (-c lists them)\n", argv[k]);
			return 1;
		}
	}
	if (json && !(jf = fopen(json, "a"))) {
		perror(json);
		return 1;
	}
	cpool = aligned_alloc(64, BENCH_POOL * sizeof(*cpool));
	if (!cpool)
		return 1;
	for (i = 0; i < BENCH_POOL * sizeof(*cpool); i++)
		((u8 *)cpool)[i] = (u8)bench_rand();
	ceiling_pool = cpool;

	printf("%u cases, %u rounds of %g s each, interleaved; best run per case "
	       "(thread CPU time)\n", ncases, rounds, secs);
	fflush(stdout);
	for (round = 0; round < rounds; round++) {
		for (k = 0; k < ARRAY_SIZE(learn_cases); k++) {
			if (!learn_res[k].selected)
				continue;
			if (run_case(&learn_cases[k], secs, &learn_res[k]))
				return 1;
			if (!no_ceiling)
				ceiling(learn_cases[k].len, secs / 2, &learn_res[k]);
		}
		for (i = 0; i < pl.nmod; i++)
			for (k = 0; res[i] && k < pl.mod[i]->ncases; k++)
				if (res[i][k].selected &&
				    run_case(&pl.mod[i]->cases[k], secs, &res[i][k]))
					return 1;
	}

	printf("\n%-28s %10s %10s %14s %14s %8s %7s\n", "case (user, 1 core)", "Mpps",
	       "Gbit/s", "ceiling Mpps", "ceiling Gb/s", "ratio", "spread");
	for (k = 0; k < ARRAY_SIZE(learn_cases); k++) {
		const struct bench_case *c = &learn_cases[k];
		const struct result *r = &learn_res[k];
		double mpps = r->mpps[r->best], gbps = r->gbps[r->best];

		if (!r->selected)
			continue;
		printf("%-28s %10.2f %10.2f %14.2f %14.2f %7.0f%% %6.0f%%\n", c->name, mpps, gbps,
		       r->ceiling_mpps, r->ceiling_gbps,
		       r->ceiling_mpps ? 100.0 * mpps / r->ceiling_mpps : 0, spread(r));
		if (jf) {
			fprintf(jf, "{\"case\": \"%s\", \"where\": \"user\", \"mpps\": %.3f, "
				"\"gbps\": %.3f, \"len\": %u, \"ports\": %u, "
				"\"ceiling_mpps\": %.3f, \"ceiling_gbps\": %.3f, "
				"\"module\": \"learn\"", c->name, mpps, gbps, c->len, c->ports,
				r->ceiling_mpps, r->ceiling_gbps);
			json_runs(jf, r);
		}
		if (!r->pkts[r->best]) {
			fprintf(stderr, "vale-bench: %s delivered nothing\n", c->name);
			ret = 1;
		}
	}
	if (any_other)
		printf("\n%-28s %10s %10s %10s %7s\n", "case (user, 1 core)", "Mpps", "Gbit/s",
		       "vs learn", "spread");
	for (i = 0; i < pl.nmod; i++) {
		for (k = 0; res[i] && k < pl.mod[i]->ncases; k++) {
			const struct bench_case *c = &pl.mod[i]->cases[k];
			const struct result *r = &res[i][k], *b;
			double mpps = r->mpps[r->best], gbps = r->gbps[r->best], base;

			if (!r->selected)
				continue;
			b = &learn_res[r->base - learn_cases];
			base = b->mpps[b->best];
			printf("%-28s %10.2f %10.2f %9.0f%% %6.0f%%\n", c->name, mpps, gbps,
			       base ? 100 * mpps / base : 0, spread(r));
			if (jf) {
				fprintf(jf, "{\"case\": \"%s\", \"where\": \"user\", \"mpps\": %.3f, "
					"\"gbps\": %.3f, \"len\": %u, \"ports\": %u, "
					"\"module\": \"%s\", %s%s\"baseline\": \"%s\", "
					"\"learn_mpps\": %.3f, \"ratio_to_learn\": %.3f",
					c->name, mpps, gbps, c->len, c->ports, c->module,
					c->json ? c->json : "", c->json ? ", " : "", r->base->name,
					base, base ? mpps / base : 0);
				json_runs(jf, r);
			}
			if (!r->pkts[r->best]) {
				fprintf(stderr, "vale-bench: %s delivered nothing: the module drops "
					"this traffic (-c says what the case sends)\n", c->name);
				ret = 1;
			}
		}
	}
	if (any_other)
		printf("vs learn: the share of the learning bridge's case with the same "
		       "frames, in the same rounds\n");
	printf("spread: (best - worst) / best over the %u runs\n", rounds);
	if (jf)
		fclose(jf);
	free(cpool);
out:
	for (i = 0; i < pl.nmod; i++) {
		if (pl.so[i])
			so_unload(pl.so[i]);
		else if (pl.inited[i] && pl.mod[i]->exit)
			pl.mod[i]->exit();
		free(res[i]);
	}
	vale_core_exit();
	return ret;
}
