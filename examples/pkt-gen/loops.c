// SPDX-License-Identifier: BSD-2-Clause
/*
 * The tx, rx and txrx threads: wait for the kernel, then one pass over
 * each bound ring.  Waiting is poll() (which also syncs the rings) with a
 * short timeout so that ^C and the end of the run are noticed, or with -y
 * the sync ioctls in a loop.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pktgen.h"

#define WAIT_MS		100

/* >0 ready (or busy mode), 0 timeout or signal, -1 error (printed). */
int pg_wait(struct pg_thread *t, short events, int timeout_ms)
{
	struct pollfd pfd = { .fd = t->port->fd, .events = events };
	const char *what = "poll";
	int rc;

	if (t->run->cfg.busy) {
		what = "NIOCTXSYNC";
		if ((events & POLLOUT) && ioctl(pfd.fd, NIOCTXSYNC, NULL) < 0)
			goto fail;
		what = "NIOCRXSYNC";
		if ((events & POLLIN) && ioctl(pfd.fd, NIOCRXSYNC, NULL) < 0)
			goto fail;
		return 1;
	}
	rc = poll(&pfd, 1, timeout_ms);
	if (rc < 0) {
		if (errno == EINTR)
			return 0;
		goto fail;
	}
	if (pfd.revents & (POLLERR | POLLNVAL)) {
		fprintf(stderr, "pkt-gen: thread %u: poll() reported %s\n",
			t->id, pfd.revents & POLLERR ? "POLLERR" : "POLLNVAL");
		return -1;
	}
	return rc;
fail:
	fprintf(stderr, "pkt-gen: thread %u: %s: %s\n", t->id, what,
		strerror(errno));
	return -1;
}

/* Fill every bound tx ring once; returns frames still to send. */
static uint64_t tx_pass(struct pg_thread *t, uint64_t left)
{
	const struct nmport *p = t->port;
	unsigned int batch = t->run->cfg.batch;
	int i;

	for (i = p->first_tx_ring; i <= p->last_tx_ring && left; i++)
		left -= pg_tx_ring(t, (unsigned int)(i - p->first_tx_ring),
				   nmport_txring(p, i),
				   left < batch ? (unsigned int)left : batch);
	return left;
}

/* Drain every bound rx ring once; returns frames received. */
static unsigned int rx_pass(struct pg_thread *t)
{
	const struct pg_config *cfg = &t->run->cfg;
	const struct nmport *p = t->port;
	unsigned int got = 0, budget;
	uint64_t total;
	int i;

	for (i = p->first_rx_ring; i <= p->last_rx_ring; i++) {
		budget = cfg->batch;
		if (cfg->count) {
			/* stop at -n exactly when one thread receives */
			total = pg_get(&t->run->rx_total) + got;
			if (total >= cfg->count)
				break;
			if (cfg->count - total < budget)
				budget = (unsigned int)(cfg->count - total);
		}
		got += pg_rx_ring(t, nmport_rxring(p, i), budget);
	}
	if (got)
		__atomic_add_fetch(&t->run->rx_total, got, __ATOMIC_RELAXED);
	return got;
}

static bool rx_target_reached(const struct pg_thread *t)
{
	uint64_t n = t->run->cfg.count;

	return n && pg_get(&t->run->rx_total) >= n;
}

static void finish(struct pg_thread *t)
{
	pg_thread_done(t);
}

void *pg_tx_body(void *arg)
{
	struct pg_thread *t = arg;
	uint64_t left = t->quota;

	while (!pg_stop && left) {
		if (pg_wait(t, POLLOUT, WAIT_MS) < 0) {
			t->failed = true;
			break;
		}
		left = tx_pass(t, left);
	}
	if (pg_tx_flush(t) < 0)
		t->failed = true;
	/* the time to send includes draining the ring */
	if (pg_get(&t->tx.pkts))
		__atomic_store_n(&t->tx.t_last, pg_now_ns(), __ATOMIC_RELAXED);
	finish(t);
	return NULL;
}

void *pg_rx_body(void *arg)
{
	struct pg_thread *t = arg;
	const struct pg_config *cfg = &t->run->cfg;
	uint64_t idle_ns = 2ull * cfg->report_ms * 1000000;
	uint64_t last = pg_now_ns(), now;

	while (!pg_stop && !rx_target_reached(t)) {
		if (pg_wait(t, POLLIN, WAIT_MS) < 0) {
			t->failed = true;
			break;
		}
		now = pg_now_ns();
		if (rx_pass(t))
			last = now;
		else if (cfg->idle_exit && now - last > idle_ns)
			break;
	}
	/* -n reached: the other rx threads need not wait for more */
	if (rx_target_reached(t))
		pg_stop = 1;
	finish(t);
	return NULL;
}

/*
 * Send and receive on the same port (traffic looped back by a switch or
 * a peer).  Once everything is sent, keep receiving until -n frames came
 * back or nothing arrived for two report intervals.
 */
void *pg_txrx_body(void *arg)
{
	struct pg_thread *t = arg;
	const struct pg_config *cfg = &t->run->cfg;
	uint64_t idle_ns = 2ull * cfg->report_ms * 1000000;
	uint64_t left = t->quota, last = pg_now_ns(), now;

	while (!pg_stop && !rx_target_reached(t)) {
		if (pg_wait(t, (short)(POLLIN | (left ? POLLOUT : 0)),
			    WAIT_MS) < 0) {
			t->failed = true;
			break;
		}
		now = pg_now_ns();
		if (left) {
			left = tx_pass(t, left);
			if (!left) {
				/* push the last frames without waiting for poll */
				ioctl(t->port->fd, NIOCTXSYNC, NULL);
				last = now;
			}
		}
		if (rx_pass(t))
			last = now;
		else if (!left && now - last > idle_ns)
			break;
	}
	if (pg_tx_flush(t) < 0)
		t->failed = true;
	finish(t);
	return NULL;
}
