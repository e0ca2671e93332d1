// SPDX-License-Identifier: BSD-2-Clause
/*
 * Output: a rate line per direction every report interval while the
 * threads run, then one summary line per direction in key=value form
 * that scripts can rely on (see --help for the fields).
 */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include <pthread.h>

#include "pktgen.h"

/* A direction reported for a mode, and which counters it reads. */
struct pg_dir {
	const char *name;
	size_t stats;		/* offset of a struct pg_stats in pg_thread */
};

static unsigned int mode_dirs(enum pg_mode m, struct pg_dir d[2])
{
	const size_t tx = offsetof(struct pg_thread, tx);
	const size_t rx = offsetof(struct pg_thread, rx);

	switch (m) {
	case PG_TX:
		d[0] = (struct pg_dir){ "tx", tx };
		return 1;
	case PG_TXRX:
		d[0] = (struct pg_dir){ "tx", tx };
		d[1] = (struct pg_dir){ "rx", rx };
		return 2;
	case PG_PING:
		d[0] = (struct pg_dir){ "ping", rx };	/* echoes received */
		return 1;
	case PG_PONG:
		d[0] = (struct pg_dir){ "pong", rx };	/* frames echoed */
		return 1;
	case PG_RX:
	default:
		d[0] = (struct pg_dir){ "rx", rx };
		return 1;
	}
}

static struct pg_stats *stats_of(struct pg_thread *t, const struct pg_dir *d)
{
	return (struct pg_stats *)((char *)t + d->stats);
}

uint64_t pg_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static bool all_done(const struct pg_run *run)
{
	unsigned int i;

	for (i = 0; i < run->nthreads; i++)
		if (run->th[i].started &&
		    !__atomic_load_n(&run->th[i].done, __ATOMIC_ACQUIRE))
			return false;
	return true;
}

/*
 * The reporter sleeps a whole interval and is woken early only when a
 * thread finishes: a reporter that looked every few milliseconds woke the
 * CPU a sender or receiver was using (and made the scheduler move them).
 */
static pthread_mutex_t done_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cv;
static pthread_once_t done_once = PTHREAD_ONCE_INIT;

static void done_init(void)
{
	pthread_condattr_t a;

	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);	/* as pg_now_ns */
	pthread_cond_init(&done_cv, &a);
	pthread_condattr_destroy(&a);
}

void pg_thread_done(struct pg_thread *t)
{
	pthread_once(&done_once, done_init);
	pthread_mutex_lock(&done_mu);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	pthread_cond_broadcast(&done_cv);
	pthread_mutex_unlock(&done_mu);
}

/* Sleep until deadline or until every thread is done (returns true). */
static bool wait_until(const struct pg_run *run, uint64_t deadline)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline / 1000000000ull),
		.tv_nsec = (long)(deadline % 1000000000ull),
	};
	bool done;

	pthread_once(&done_once, done_init);
	pthread_mutex_lock(&done_mu);
	while (!(done = all_done(run)) && pg_now_ns() < deadline)
		pthread_cond_timedwait(&done_cv, &done_mu, &ts);
	pthread_mutex_unlock(&done_mu);
	return done;
}

static void print_rate(const struct pg_config *c, const char *dir,
		       uint64_t pkts, uint64_t bytes, uint64_t dt_ns)
{
	double secs = (double)dt_ns / 1e9;
	double pps = (double)pkts / secs;
	double bits = (double)(bytes + (c->framing ? PG_ETH_OVERHEAD * pkts : 0))
		      * 8.0 / secs;

	if (c->raw_units)
		printf("pkt-gen: %.0f pps %.0f bps (%s)\n", pps, bits, dir);
	else
		printf("pkt-gen: %.0f pps %.2f Gbps (%s)\n", pps, bits / 1e9, dir);
}

void pg_report_loop(struct pg_run *run)
{
	const struct pg_config *c = &run->cfg;
	uint64_t interval = (uint64_t)c->report_ms * 1000000;
	uint64_t prev[2][2] = { { 0, 0 }, { 0, 0 } }, t_prev = pg_now_ns();
	struct pg_dir d[2];
	unsigned int nd = mode_dirs(c->mode, d), k, i;
	bool done;

	do {
		uint64_t now, dt;

		done = wait_until(run, t_prev + interval);
		now = pg_now_ns();
		dt = now - t_prev;
		for (k = 0; k < nd; k++) {
			uint64_t pkts = 0, bytes = 0;

			for (i = 0; i < run->nthreads; i++) {
				struct pg_stats *s = stats_of(&run->th[i], &d[k]);

				pkts += pg_get(&s->pkts);
				bytes += pg_get(&s->bytes);
			}
			/* a short last interval is only worth a line if busy */
			if (dt >= interval || (pkts > prev[k][0] && dt >= 10000000))
				print_rate(c, d[k].name, pkts - prev[k][0],
					   bytes - prev[k][1], dt);
			prev[k][0] = pkts;
			prev[k][1] = bytes;
		}
		t_prev = now;
	} while (!done);
}

static int ping_latency(struct pg_run *run)
{
	struct pg_hist *all = pg_hist_new();
	unsigned int i;

	if (!all) {
		fprintf(stderr, "pkt-gen: out of memory\n");
		return 1;
	}
	for (i = 0; i < run->nthreads; i++)
		if (run->th[i].hist)
			pg_hist_merge(all, run->th[i].hist);
	printf("pkt-gen latency: n=%llu min_us=%.3f p50_us=%.3f p90_us=%.3f "
	       "p99_us=%.3f max_us=%.3f\n",
	       (unsigned long long)pg_hist_count(all),
	       pg_hist_min(all) / 1e3, pg_hist_percentile(all, 50) / 1e3,
	       pg_hist_percentile(all, 90) / 1e3,
	       pg_hist_percentile(all, 99) / 1e3, pg_hist_max(all) / 1e3);
	i = pg_hist_count(all) == 0;
	pg_hist_free(all);
	if (i) {
		fprintf(stderr, "pkt-gen: no echo received\n");
		return 1;
	}
	return 0;
}

/* Print the summary; returns the exit status the run deserves. */
int pg_report_summary(struct pg_run *run)
{
	const struct pg_config *c = &run->cfg;
	struct pg_dir d[2];
	unsigned int nd = mode_dirs(c->mode, d), k, i;
	int status = 0;

	for (k = 0; k < nd; k++) {
		uint64_t pkts = 0, bytes = 0, errors = 0, lost = 0;
		uint64_t first = 0, last = 0;
		double secs, pps = 0, gbps = 0, wire = 0;

		for (i = 0; i < run->nthreads; i++) {
			const struct pg_stats *s = stats_of(&run->th[i], &d[k]);

			pkts += s->pkts;
			bytes += s->bytes;
			errors += s->errors;
			lost += s->lost;
			if (s->t_first && (!first || s->t_first < first))
				first = s->t_first;
			if (s->t_last > last)
				last = s->t_last;
		}
		secs = last > first ? (double)(last - first) / 1e9 : 0;
		if (secs > 0) {
			pps = (double)pkts / secs;
			gbps = (double)bytes * 8 / secs / 1e9;
			wire = (double)(bytes + PG_ETH_OVERHEAD * pkts) * 8 /
			       secs / 1e9;
		}
		printf("pkt-gen summary: dir=%s pkts=%llu bytes=%llu secs=%.6f "
		       "pps=%.0f gbps=%.3f wire_gbps=%.3f errors=%llu lost=%llu\n",
		       d[k].name, (unsigned long long)pkts,
		       (unsigned long long)bytes, secs, pps, gbps, wire,
		       (unsigned long long)errors, (unsigned long long)lost);
		if (errors)
			status = 1;
	}
	if (c->verbose && (c->mode == PG_TX || c->mode == PG_TXRX ||
			   c->mode == PG_PING))
		for (i = 0; i < run->nthreads; i++)
			fprintf(stderr, "pkt-gen: thread %u: %llu frames sent, %llu "
				"written whole, the others updated in place\n", i,
				(unsigned long long)run->th[i].tx.pkts,
				(unsigned long long)run->th[i].tx_built);
	if (c->mode == PG_PING && ping_latency(run))
		status = 1;
	for (i = 0; i < run->nthreads; i++)
		if (run->th[i].failed)
			status = 1;
	return status;
}
