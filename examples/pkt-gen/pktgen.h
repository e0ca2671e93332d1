/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkt-gen: packet generator and sink on netmap ports.  Shared types of
 * its files: args.c (command line), frame.c (what goes on the wire),
 * tx.c / rx.c (one ring pass in each direction), loops.c (the tx, rx and
 * txrx threads), pingpong.c, hist.c (latency histogram), report.c
 * (periodic and final output) and main.c (ports and threads).
 */
#ifndef PKTGEN_H
#define PKTGEN_H

#include <stdbool.h>
#include <stdint.h>
#include <pthread.h>

#include "nmport.h"

#define PG_MIN_LEN	60	/* Ethernet minimum without CRC */
#define PG_MAX_LEN	65535	/* IPv4 total length bound, roughly */
#define PG_HDR_LEN	42	/* Ethernet + IPv4 + UDP */
#define PG_PAYLOAD_HDR	12	/* magic, stream, run id, sequence */
#define PG_ETH_OVERHEAD	24	/* preamble 8 + CRC 4 + inter-frame gap 12 */
#define PG_MAX_STREAMS	256	/* tx threads one rx can tell apart */
#define PG_SCRATCH_LEN	(PG_MAX_LEN + 1)	/* bytes of pg_thread.scratch */
#define PG_NO_BUF	UINT32_MAX	/* pg_thread.tx_held: nothing known */

enum pg_mode { PG_TX, PG_RX, PG_TXRX, PG_PING, PG_PONG };

/* An address range "a.b.c.d[:port][-e.f.g.h[:port]]", host byte order. */
struct pg_range {
	uint32_t ip0, ip1;
	uint16_t port0, port1;
};

struct pg_config {
	const char *port;
	enum pg_mode mode;
	unsigned int len;		/* frame length, no CRC */
	uint64_t count;			/* packets, 0 = until interrupted */
	unsigned int batch;		/* packets per ring per pass */
	unsigned int nthreads;
	int cpu;			/* first CPU to pin to, -1 = none */
	unsigned int report_ms;
	unsigned int wait_s;
	struct pg_range src, dst;
	uint8_t src_mac[6], dst_mac[6];
	bool check;			/* -C: rx verifies, tx stamps every block */
	bool raw_units;			/* -N: bps, not Gbps */
	bool framing;			/* -B: count Ethernet overhead */
	bool busy;			/* -y: sync ioctls, no poll() */
	bool idle_exit;			/* -W: rx stops when traffic stops */
	int verbose;
};

/* One direction's counters; written by the owning thread only. */
struct pg_stats {
	uint64_t pkts, bytes;
	uint64_t errors;		/* failed checks, sync errors */
	uint64_t lost;			/* sequence gaps (-C), ping timeouts */
	uint64_t t_first, t_last;	/* ns, CLOCK_MONOTONIC; 0 = idle */
};

/* The fields of a received frame that pkt-gen wrote. */
struct pg_frame_info {
	uint16_t stream;
	uint32_t run;
	uint32_t seq;
};

/* Rx sequence tracking, one entry per (run, stream) seen. */
struct pg_stream {
	uint32_t run;
	uint16_t stream;
	uint32_t next_seq;
};

/* Receive state that spans ring passes: a frame split across slots. */
struct pg_rxstate {
	unsigned int frag_len;		/* bytes of the frame so far */
	bool frag_overflow;		/* frame did not fit scratch */
	unsigned int nstreams;
	struct pg_stream streams[PG_MAX_STREAMS];
	unsigned int err_msgs;		/* printed so far (rate limit) */
};

/* Source/destination of the next generated frame. */
struct pg_flow {
	uint32_t sip, dip;
	uint16_t sport, dport;
};

/* Frame template: everything that does not change per packet. */
struct pg_tmpl {
	uint8_t hdr[PG_HDR_LEN];
	uint32_t csum_base;	/* IP header sum without the addresses */
	unsigned int len;
	bool stamp_blocks;	/* tx -C: the sequence number in every block */
};

struct pg_hist;

struct pg_thread {
	struct pg_run *run;
	unsigned int id;
	struct nmport *port;
	pthread_t tid;
	bool started;
	int done;			/* atomic: thread finished */
	bool failed;

	struct pg_stats tx, rx;

	/* tx */
	uint64_t quota;			/* packets to send, 0 = forever */
	uint32_t seq;
	unsigned int nfrags;		/* slots per frame */
	struct pg_flow flow;
	bool multiflow;			/* more than one flow: stamp addresses */
	uint8_t *image;			/* this thread's frame (seq 0), len bytes */
	/*
	 * Per slot of each bound tx ring (tx_slots a ring): the index of the
	 * buffer that a whole frame of this thread was written into, or
	 * PG_NO_BUF.
	 */
	uint32_t *tx_held;
	unsigned int tx_slots;
	uint64_t tx_built;		/* frames written whole (the rest: stamped) */
	/* rx */
	struct pg_rxstate rxs;
	/* a frame assembled from (or split into) several slots */
	uint8_t *scratch;
	/*
	 * Called for each whole received frame instead of the -C check
	 * (ping looks for its echo); returns 1 if the frame counts.
	 */
	int (*on_frame)(struct pg_thread *t, const uint8_t *f,
			unsigned int len);
	/* ping */
	struct pg_hist *hist;
	uint32_t ping_seq;		/* the frame waiting for its echo */
	bool ping_answered;
};

struct pg_run {
	struct pg_config cfg;
	struct pg_tmpl tmpl;
	uint32_t run_id;		/* random, tells our frames apart */
	uint64_t rx_total;		/* atomic: frames received, all threads */
	unsigned int nthreads;
	struct pg_thread *th;
};

/* Set by SIGINT/SIGTERM or when -n is reached on rx; threads poll it. */
extern volatile int pg_stop;

/* args.c */
int pg_parse_args(int argc, char **argv, struct pg_config *cfg);
const char *pg_mode_name(enum pg_mode m);

/* frame.c */
void pg_tmpl_init(struct pg_tmpl *t, const struct pg_config *cfg);
void pg_flow_init(struct pg_flow *f, const struct pg_config *cfg,
		  unsigned int skip);
void pg_flow_next(struct pg_flow *f, const struct pg_config *cfg);
void pg_frame_build(const struct pg_tmpl *t, uint8_t *dst,
		    const struct pg_flow *f, const struct pg_frame_info *fi);
void pg_frame_stamp(const struct pg_tmpl *t, uint8_t *dst,
		    const struct pg_flow *f, const struct pg_frame_info *fi);
bool pg_multiflow(const struct pg_config *cfg);
int pg_frame_parse(const uint8_t *f, unsigned int len, bool check_payload,
		   struct pg_frame_info *fi, const char **why);

/* tx.c */
unsigned int pg_tx_ring(struct pg_thread *t, unsigned int rk,
			struct netmap_ring *r, unsigned int budget);
int pg_tx_setup(struct pg_thread *t);
int pg_tx_flush(struct pg_thread *t);
int pg_frags_for(const struct pg_thread *t, unsigned int len);

/* rx.c */
unsigned int pg_rx_ring(struct pg_thread *t, struct netmap_ring *r,
			unsigned int budget);

/* loops.c */
void *pg_tx_body(void *arg);
void *pg_rx_body(void *arg);
void *pg_txrx_body(void *arg);
int pg_wait(struct pg_thread *t, short events, int timeout_ms);

/* pingpong.c */
void *pg_ping_body(void *arg);
void *pg_pong_body(void *arg);

/* hist.c */
struct pg_hist *pg_hist_new(void);
void pg_hist_free(struct pg_hist *h);
void pg_hist_add(struct pg_hist *h, uint64_t v);
void pg_hist_merge(struct pg_hist *dst, const struct pg_hist *src);
uint64_t pg_hist_count(const struct pg_hist *h);
uint64_t pg_hist_min(const struct pg_hist *h);
uint64_t pg_hist_max(const struct pg_hist *h);
uint64_t pg_hist_percentile(const struct pg_hist *h, double p);

/* report.c */
void pg_thread_done(struct pg_thread *t);
void pg_report_loop(struct pg_run *run);
int pg_report_summary(struct pg_run *run);

/* time and counters */
uint64_t pg_now_ns(void);

/* Counters are read by the reporter while their thread updates them. */
static inline void pg_add(uint64_t *c, uint64_t v)
{
	__atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v,
			 __ATOMIC_RELAXED);
}

static inline uint64_t pg_get(const uint64_t *c)
{
	return __atomic_load_n(c, __ATOMIC_RELAXED);
}

static inline void pg_stats_add(struct pg_stats *s, uint64_t pkts,
				uint64_t bytes, uint64_t now)
{
	if (!s->t_first)
		__atomic_store_n(&s->t_first, now, __ATOMIC_RELAXED);
	__atomic_store_n(&s->t_last, now, __ATOMIC_RELAXED);
	pg_add(&s->pkts, pkts);
	pg_add(&s->bytes, bytes);
}

#endif /* PKTGEN_H */
