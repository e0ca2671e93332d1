// SPDX-License-Identifier: GPL-2.0
/*
 * vale-bench -s: many senders at once, one thread each, pinned one per
 * core, through one switch running the learning bridge, 60-byte frames:
 *  - shared:   N senders into one receiving port (its ring lock, its lease
 *              table and its counters are shared by all of them);
 *  - separate: sender i into receiver i (nothing of the data path is
 *              shared but the switch and its lookup module).
 * For N = 1 .. the number of online CPUs. What does not scale is what
 * serialises the senders: a lock, or a cache line every batch writes.
 *
 * Each thread does what the single-core cases do, minus the header
 * rewrite: it re-posts its ring of frames (POST slots at a time), runs its
 * txsync, and drains its receiver. A shared receiver is drained by
 * whichever sender holds its drain lock, as the kernel serialises a
 * ring's rxsync; the others go on sending.
 *
 * Figures: per core, the packets a thread's txsync took per second of its
 * CPU time; aggregate, the packets the receivers got per second of the
 * run, by the threads' CPU time (the sum over threads of their share of
 * the deliveries per CPU second: robust to another process taking a core
 * for a while) and by the wall clock. Scaling: the aggregate over the
 * same mode's N = 1 aggregate.
 */
#define _GNU_SOURCE	/* pthread_setaffinity_np */
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define S_SLOTS		1024
#define S_POST		256	/* so that two senders' posts fit one receiver ring */
#define S_LEN		60
#define S_MAX		64	/* senders */
#define MAX_SENDER_ROUNDS 32

enum { S_SHARED, S_SEPARATE };
static const char *const s_mode[] = { "shared", "separate" };

struct sender {
	pthread_t th;
	u32 cpu;
	struct uport *tx, *rx;
	pthread_spinlock_t *drain;	/* the receiver's, shared or its own */
	const volatile bool *stop;
	pthread_barrier_t *start;
	u64 taken;			/* packets its txsyncs took */
	double cpu_secs;
};

static double clock_secs(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *sender_main(void *arg)
{
	struct sender *s = arg;
	struct netmap_ring *ring = s->tx->txr[0];
	cpu_set_t set;
	double t0;

	CPU_ZERO(&set);
	CPU_SET(s->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	pthread_barrier_wait(s->start);
	t0 = clock_secs(CLOCK_THREAD_CPUTIME_ID);
	while (!*s->stop) {
		u32 k;

		for (k = 0; k < 16; k++) {
			ring->head = ring->cur = (ring->head + S_POST) % S_SLOTS;
			s->taken += uport_txsync(s->tx, 0);
			if (!pthread_spin_trylock(s->drain)) {
				struct netmap_ring *rr = s->rx->rxr[0];

				uport_rxsync(s->rx, 0);
				rr->head = rr->cur = rr->tail;
				pthread_spin_unlock(s->drain);
			}
		}
	}
	s->cpu_secs = clock_secs(CLOCK_THREAD_CPUTIME_ID) - t0;
	return NULL;
}

struct s_result {
	double agg_cpu, agg_wall, per_core[S_MAX];
	u64 delivered, dropped;
};

/* An Ethernet frame from src to dst, S_LEN bytes, IPv4/UDP type. */
static void s_frame(u8 *f, u32 dst, u32 src)
{
	memset(f, 0, S_LEN);
	bench_mac(f, dst);
	bench_mac(f + 6, src);
	f[12] = 0x08;
	f[14] = 0x45;
}

/* Frames the receivers got, frames any port dropped. */
static void s_count(struct uport **rx, u32 nrx, struct uport **tx, u32 n, struct s_result *res)
{
	struct vale_port_stats st;
	u32 i;

	res->delivered = res->dropped = 0;
	for (i = 0; i < nrx; i++) {
		vale_port_stats(rx[i]->vp, &st);
		res->delivered += st.rx_pkts;
		res->dropped += st.drop_full + st.drop_bad_buf + st.drop_lookup + st.drop_bad;
	}
	for (i = 0; i < n; i++) {
		vale_port_stats(tx[i]->vp, &st);
		res->dropped += st.drop_full + st.drop_bad_buf + st.drop_lookup + st.drop_bad;
	}
}

/* One run: n senders in mode m for secs of wall clock. 0 or -errno. */
static int s_run(u32 m, u32 n, double secs, struct s_result *res)
{
	u32 nrx = m == S_SHARED ? 1 : n, i, k;
	struct uport *tx[S_MAX] = { 0 }, *rx[S_MAX] = { 0 };
	pthread_spinlock_t drain[S_MAX];
	struct sender snd[S_MAX] = { 0 };
	struct vale_switch *sw = NULL;
	struct s_result before;
	pthread_barrier_t start;
	volatile bool stop = false;
	u64 taken = 0;
	double wall = 0;
	char name[16];
	u8 f[S_LEN];
	int err;

	vale_core_lock();
	err = vale_switch_create("valesenders", &sw);
	for (i = 0; i < nrx && !err; i++) {
		snprintf(name, sizeof(name), "r%u", i);
		rx[i] = uport_new(name, 1, 1, S_SLOTS);
		err = rx[i] ? vale_port_attach(sw, rx[i]->vp) : -ENOMEM;
	}
	for (i = 0; i < n && !err; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		tx[i] = uport_new(name, 1, 1, S_SLOTS);
		err = tx[i] ? vale_port_attach(sw, tx[i]->vp) : -ENOMEM;
	}
	vale_core_unlock();
	if (err)
		goto out;
	/* The receivers say hello, so the bridge knows them (0x100 + i). */
	for (i = 0; i < nrx; i++) {
		s_frame(f, 0xffffffff, 0x100 + i);
		memset(f, 0xff, 6);
		uport_send(rx[i], 0, f, S_LEN);
		uport_txsync(rx[i], 0);
	}
	for (i = 0; i < n; i++) {
		struct netmap_ring *ring = tx[i]->txr[0];

		uport_drain(tx[i]);
		s_frame(f, 0x100 + (m == S_SHARED ? 0 : i), 0x200 + i);
		for (k = 0; k < S_SLOTS; k++) {
			memcpy(uport_buf(tx[i], ring->slot[k].buf_idx), f, S_LEN);
			ring->slot[k].len = S_LEN;
		}
	}
	for (i = 0; i < nrx; i++) {
		uport_drain(rx[i]);
		pthread_spin_init(&drain[i], PTHREAD_PROCESS_PRIVATE);
	}

	/* What the hellos counted stays out of the figures. */
	s_count(rx, nrx, tx, n, &before);
	pthread_barrier_init(&start, NULL, n + 1);
	for (i = 0; i < n; i++) {
		snd[i] = (struct sender){ .cpu = i % (u32)sysconf(_SC_NPROCESSORS_ONLN),
			.tx = tx[i], .rx = rx[m == S_SHARED ? 0 : i],
			.drain = &drain[m == S_SHARED ? 0 : i], .stop = &stop, .start = &start };
		err = -pthread_create(&snd[i].th, NULL, sender_main, &snd[i]);
		if (err) {
			/* Let the barrier go for the threads already made. */
			stop = true;
			n = i;
			pthread_barrier_wait(&start);
			goto join;
		}
	}
	pthread_barrier_wait(&start);
	wall = clock_secs(CLOCK_MONOTONIC);
	usleep((useconds_t)(secs * 1e6));
	stop = true;
join:
	for (i = 0; i < n; i++)
		pthread_join(snd[i].th, NULL);
	wall = clock_secs(CLOCK_MONOTONIC) - wall;
	pthread_barrier_destroy(&start);
	if (err)
		goto out;

	s_count(rx, nrx, tx, n, res);
	res->delivered -= before.delivered;
	res->dropped -= before.dropped;
	for (i = 0; i < n; i++)
		taken += snd[i].taken;
	res->agg_cpu = 0;
	for (i = 0; i < n; i++) {
		double share = taken ? (double)res->delivered * snd[i].taken / taken : 0;

		res->per_core[i] = snd[i].cpu_secs ? snd[i].taken / snd[i].cpu_secs / 1e6 : 0;
		res->agg_cpu += snd[i].cpu_secs ? share / snd[i].cpu_secs / 1e6 : 0;
	}
	res->agg_wall = res->delivered / wall / 1e6;
out:
	vale_core_lock();
	for (i = 0; i < S_MAX; i++) {
		if (tx[i])
			vale_port_detach(tx[i]->vp);
		if (rx[i])
			vale_port_detach(rx[i]->vp);
	}
	vale_core_unlock();
	for (i = 0; i < S_MAX; i++) {
		uport_free(tx[i]);
		uport_free(rx[i]);
	}
	return err;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * The table: every mode and sender count 'rounds' times, interleaved;
 * each figure is the run with the median aggregate (a single rate per
 * run, not the best of them: scaling compares typical runs).
 */
int bench_senders(double secs, u32 rounds, FILE *jf)
{
	u32 ncpu = (u32)sysconf(_SC_NPROCESSORS_ONLN), m, n, r, i, med;
	struct s_result (*res)[S_MAX][MAX_SENDER_ROUNDS];
	double base[2] = { 0 }, agg[MAX_SENDER_ROUNDS];
	int err = 0;

	ncpu = min(max(ncpu, 1u), (u32)S_MAX);
	rounds = min(rounds, (u32)MAX_SENDER_ROUNDS);
	res = calloc(2, sizeof(*res));
	if (!res)
		return -ENOMEM;
	printf("senders: 1 to %u threads (one per core), 60 B frames, learning bridge; "
	       "%u rounds of %g s, median run\n", ncpu, rounds, secs);
	fflush(stdout);
	for (r = 0; r < rounds && !err; r++)
		for (m = 0; m < 2 && !err; m++)
			for (n = 1; n <= ncpu && !err; n++)
				err = s_run(m, n, secs, &res[m][n - 1][r]);
	if (err) {
		fprintf(stderr, "vale-bench: senders: %s\n", strerror(-err));
		goto out;
	}
	printf("\n%-10s %7s %12s %12s %8s  %s\n", "dest", "senders", "agg Mpps",
	       "wall Mpps", "scaling", "per core Mpps");
	for (m = 0; m < 2; m++) {
		for (n = 1; n <= ncpu; n++) {
			struct s_result *rr = res[m][n - 1], *x;
			char per[256];
			int at = 0;

			for (r = 0; r < rounds; r++)
				agg[r] = rr[r].agg_cpu;
			qsort(agg, rounds, sizeof(agg[0]), cmp_double);
			for (med = 0; rr[med].agg_cpu != agg[rounds / 2]; med++)
				;
			x = &rr[med];
			if (n == 1)
				base[m] = x->agg_cpu;
			for (i = 0; i < n && at < (int)sizeof(per) - 16; i++)
				at += snprintf(per + at, sizeof(per) - at, "%s%.2f", i ? " " : "",
					       x->per_core[i]);
			printf("%-10s %7u %12.2f %12.2f %8.2f  %s\n", s_mode[m], n, x->agg_cpu,
			       x->agg_wall, base[m] ? x->agg_cpu / base[m] : 0, per);
			if (!x->delivered) {
				fprintf(stderr, "vale-bench: senders %s %u delivered nothing\n",
					s_mode[m], n);
				err = -EIO;
			}
			if (!jf)
				continue;
			fprintf(jf, "{\"case\": \"senders-%s-%u-60B\", \"where\": \"user\", "
				"\"module\": \"learn\", \"len\": %u, \"dest\": \"%s\", "
				"\"senders\": %u, \"mpps\": %.3f, \"wall_mpps\": %.3f, "
				"\"scaling\": %.3f, \"pkts\": %llu, \"dropped\": %llu, "
				"\"per_core_mpps\": [", s_mode[m], n, S_LEN, s_mode[m], n,
				x->agg_cpu, x->agg_wall, base[m] ? x->agg_cpu / base[m] : 0,
				(unsigned long long)x->delivered, (unsigned long long)x->dropped);
			for (i = 0; i < n; i++)
				fprintf(jf, "%s%.3f", i ? ", " : "", x->per_core[i]);
			fprintf(jf, "], \"runs_mpps\": [");
			for (r = 0; r < rounds; r++)
				fprintf(jf, "%s%.3f", r ? ", " : "", rr[r].agg_cpu);
			fprintf(jf, "]}\n");
		}
	}
	printf("agg: deliveries per second of the senders' CPU time (each thread's share "
	       "over its CPU seconds, summed); wall: per second of the run;\nscaling: agg "
	       "over the same destination's 1-sender agg; per core: packets each sender's "
	       "txsync took per CPU second\n");
out:
	free(res);
	return err;
}
