// SPDX-License-Identifier: BSD-2-Clause
/*
 * pkt-gen: open the port (one descriptor per thread, each bound to its
 * own ring pair), start the threads, report until they finish.
 */
#define _GNU_SOURCE		/* pthread_attr_setaffinity_np */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "pktgen.h"

volatile int pg_stop;

static void on_signal(int sig)
{
	(void)sig;
	pg_stop = 1;
}

static bool uses_tx(enum pg_mode m)
{
	return m != PG_RX;
}

static bool uses_rx(enum pg_mode m)
{
	return m != PG_TX;
}

/* Rings of the direction(s) the mode uses; one thread per ring at most. */
static int usable_rings(const struct pg_config *c, const struct nmport *p)
{
	int ntx = p->last_tx_ring - p->first_tx_ring + 1;
	int nrx = p->last_rx_ring - p->first_rx_ring + 1;

	if (c->mode == PG_TX)
		return ntx;
	if (c->mode == PG_RX)
		return nrx;
	return ntx < nrx ? ntx : nrx;
}

/*
 * Thread k's ring selection: ring k of what the spec selected.  With "*"
 * (hardware and host rings) the threads past the hardware rings take the
 * host rings, as netmap pkt-gen does.
 */
static int thread_ring(const struct pg_config *c, const struct nmport *p,
		       unsigned int k, struct nmport_opts *o)
{
	unsigned int hw = c->mode == PG_RX ? p->nifp->ni_rx_rings :
					     p->nifp->ni_tx_rings;

	switch (p->reg.nr_mode) {
	case NR_REG_ALL_NIC:
		o->mode = NR_REG_ONE_NIC;
		o->ringid = (uint16_t)k;
		return 0;
	case NR_REG_SW:
		o->mode = NR_REG_ONE_SW;
		o->ringid = (uint16_t)k;
		return 0;
	case NR_REG_NIC_SW:
		o->mode = k < hw ? NR_REG_ONE_NIC : NR_REG_ONE_SW;
		o->ringid = (uint16_t)(k < hw ? k : k - hw);
		return 0;
	default:
		fprintf(stderr, "pkt-gen: -p %u needs a port spec selecting "
			"several rings (no -N or ^N suffix)\n", c->nthreads);
		return -1;
	}
}

static int check_port(const struct pg_config *c, struct pg_thread *t)
{
	const struct nmport *p = t->port;
	const struct netmap_ring *r;
	int nfrags;

	if (uses_tx(c->mode) && p->last_tx_ring < p->first_tx_ring) {
		fprintf(stderr, "pkt-gen: %s: no tx ring bound (-f %s needs one)\n",
			c->port, pg_mode_name(c->mode));
		return -1;
	}
	if (uses_rx(c->mode) && p->last_rx_ring < p->first_rx_ring) {
		fprintf(stderr, "pkt-gen: %s: no rx ring bound (-f %s needs one)\n",
			c->port, pg_mode_name(c->mode));
		return -1;
	}
	nfrags = pg_frags_for(t, c->len);
	r = uses_tx(c->mode) ? nmport_txring(p, p->first_tx_ring) :
			       nmport_rxring(p, p->first_rx_ring);
	if (uses_tx(c->mode) &&
	    (nfrags > NETMAP_MAX_FRAGS || (uint32_t)nfrags >= r->num_slots)) {
		fprintf(stderr, "pkt-gen: %u-byte frames need %d slots of %u "
			"bytes; a ring has %u slots, a frame may use %d\n",
			c->len, nfrags, r->nr_buf_size, r->num_slots,
			NETMAP_MAX_FRAGS);
		return -1;
	}
	t->nfrags = (unsigned int)nfrags;
	return 0;
}

static void print_port(const struct pg_thread *t)
{
	const struct nmport *p = t->port;
	const struct nmreq_register *r = &p->reg;
	/* only bound rings are sure to be mapped (others have ring_ofs 0) */
	const struct netmap_ring *ring =
		p->last_tx_ring >= p->first_tx_ring ?
		nmport_txring(p, p->first_tx_ring) :
		nmport_rxring(p, p->first_rx_ring);

	fprintf(stderr, "pkt-gen: thread %u: %s mode %u ringid %u: tx rings "
		"%d..%d rx rings %d..%d of %u/%u (+%u/%u host), slots %u/%u, "
		"buffer %u bytes, mem_id %u, %llu bytes mapped, %u frags/frame\n",
		t->id, p->hdr.nr_name, r->nr_mode, r->nr_ringid,
		p->first_tx_ring, p->last_tx_ring, p->first_rx_ring,
		p->last_rx_ring, r->nr_tx_rings, r->nr_rx_rings,
		r->nr_host_tx_rings, r->nr_host_rx_rings, r->nr_tx_slots,
		r->nr_rx_slots, ring->nr_buf_size, r->nr_mem_id,
		(unsigned long long)p->memsize, t->nfrags);
}

static int open_ports(struct pg_run *run)
{
	const struct pg_config *c = &run->cfg;
	struct nmport_opts o = { 0 }, *opts = NULL;
	struct nmport *first;
	char err[512];
	unsigned int k;
	int n;

	/* a hint for ports created on the fly (pipes, VALE ports) */
	if (c->nthreads > 1)
		o.tx_rings = o.rx_rings = (uint16_t)c->nthreads;
	first = nmport_open_opts(c->port, &o, err, sizeof(err));
	if (!first) {
		fprintf(stderr, "pkt-gen: %s\n", err);
		return -1;
	}
	if (c->nthreads == 1) {
		run->th[0].port = first;
		return 0;
	}
	n = usable_rings(c, first);
	if ((int)c->nthreads > n) {
		fprintf(stderr, "pkt-gen: -p %u: %s has %d usable ring%s\n",
			c->nthreads, c->port, n, n == 1 ? "" : "s");
		nmport_close(first);
		return -1;
	}
	opts = calloc(c->nthreads, sizeof(*opts));
	if (!opts) {
		fprintf(stderr, "pkt-gen: out of memory\n");
		goto fail;
	}
	for (k = 0; k < c->nthreads; k++) {
		opts[k] = o;
		if (thread_ring(c, first, k, &opts[k]) < 0)
			goto fail;
	}
	/*
	 * Each thread gets its own descriptor on its own ring.  The one
	 * opened to learn the geometry is bound to all rings: close it
	 * first, or with /x (exclusive) the per-ring opens would fail.
	 */
	nmport_close(first);
	first = NULL;
	for (k = 0; k < c->nthreads; k++) {
		run->th[k].port = nmport_open_opts(c->port, &opts[k], err,
						   sizeof(err));
		if (!run->th[k].port) {
			fprintf(stderr, "pkt-gen: thread %u: %s\n", k, err);
			goto fail;
		}
	}
	free(opts);
	return 0;
fail:
	free(opts);
	nmport_close(first);
	return -1;
}

static uint32_t random_run_id(void)
{
	uint32_t v = 0;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		v = (uint32_t)getpid() ^ (uint32_t)pg_now_ns();
	return v ? v : 1;
}

static int setup_threads(struct pg_run *run)
{
	const struct pg_config *c = &run->cfg;
	unsigned int k;

	for (k = 0; k < run->nthreads; k++) {
		struct pg_thread *t = &run->th[k];

		t->run = run;
		t->id = k;
		/* -n is shared out; the first threads take the remainder */
		if (c->count)
			t->quota = c->count / run->nthreads +
				   (k < c->count % run->nthreads);
		else
			t->quota = UINT64_MAX;
		pg_flow_init(&t->flow, c, k);
		t->scratch = malloc(PG_SCRATCH_LEN);
		if (!t->scratch)
			goto oom;
		if (c->mode == PG_PING) {
			t->hist = pg_hist_new();
			if (!t->hist)
				goto oom;
		}
		if (check_port(c, t) < 0)
			return -1;
		if (uses_tx(c->mode) && pg_tx_setup(t) < 0)
			goto oom;
		if (c->verbose)
			print_port(t);
	}
	return 0;
oom:
	fprintf(stderr, "pkt-gen: out of memory\n");
	return -1;
}

static void *(*const bodies[])(void *) = {
	[PG_TX] = pg_tx_body, [PG_RX] = pg_rx_body, [PG_TXRX] = pg_txrx_body,
	[PG_PING] = pg_ping_body, [PG_PONG] = pg_pong_body,
};

static int start_threads(struct pg_run *run)
{
	const struct pg_config *c = &run->cfg;
	long ncpus = sysconf(_SC_NPROCESSORS_CONF);
	unsigned int k;
	int rc;

	for (k = 0; k < run->nthreads; k++) {
		struct pg_thread *t = &run->th[k];
		pthread_attr_t attr;

		pthread_attr_init(&attr);
		if (c->cpu >= 0) {
			cpu_set_t set;
			int cpu = (int)((c->cpu + (long)k) % (ncpus > 0 ? ncpus : 1));

			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		}
		rc = pthread_create(&t->tid, &attr, bodies[c->mode], t);
		pthread_attr_destroy(&attr);
		if (rc) {
			fprintf(stderr, "pkt-gen: thread %u: %s\n", k, strerror(rc));
			pg_stop = 1;
			return -1;
		}
		t->started = true;
	}
	return 0;
}

static void join_threads(struct pg_run *run)
{
	unsigned int k;

	for (k = 0; k < run->nthreads; k++) {
		if (run->th[k].started)
			pthread_join(run->th[k].tid, NULL);
		run->th[k].started = false;
	}
}

static void cleanup(struct pg_run *run)
{
	unsigned int k;

	join_threads(run);
	for (k = 0; k < run->nthreads; k++) {
		nmport_close(run->th[k].port);
		free(run->th[k].scratch);
		free(run->th[k].image);
		free(run->th[k].tx_held);
		pg_hist_free(run->th[k].hist);
	}
	free(run->th);
}

int main(int argc, char **argv)
{
	static struct pg_run run;
	struct sigaction sa;
	int rc;

	/* one line per report even when stdout is a pipe */
	setvbuf(stdout, NULL, _IOLBF, 0);
	rc = pg_parse_args(argc, argv, &run.cfg);
	if (rc)
		return rc < 0 ? 0 : rc;

	run.nthreads = run.cfg.nthreads;
	run.th = calloc(run.nthreads, sizeof(*run.th));
	if (!run.th) {
		fprintf(stderr, "pkt-gen: out of memory\n");
		return 1;
	}
	pg_tmpl_init(&run.tmpl, &run.cfg);
	run.run_id = random_run_id();

	/* no SA_RESTART: ^C must also cut a sleep or a poll short */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	if (open_ports(&run) < 0 || setup_threads(&run) < 0) {
		cleanup(&run);
		return 1;
	}
	if (run.cfg.wait_s)
		sleep(run.cfg.wait_s);
	if (start_threads(&run) < 0) {
		cleanup(&run);
		return 1;
	}
	pg_report_loop(&run);
	join_threads(&run);
	rc = pg_report_summary(&run);
	cleanup(&run);
	return rc;
}
