// SPDX-License-Identifier: BSD-2-Clause
/*
 * Command line of pkt-gen.  Option letters are netmap pkt-gen's where the
 * option exists there, so that existing scripts keep working.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pktgen.h"

static const char *const mode_names[] = {
	[PG_TX] = "tx", [PG_RX] = "rx", [PG_TXRX] = "txrx",
	[PG_PING] = "ping", [PG_PONG] = "pong",
};

const char *pg_mode_name(enum pg_mode m)
{
	return mode_names[m];
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: pkt-gen -i PORT [-f tx|rx|txrx|ping|pong] [options]\n"
"\n"
"  -i PORT    netmap port: [netmap:]NAME[-N|^|^N|*][/xRTtrz][@MEMID],\n"
"             e.g. netmap:eth0, netmap:x{1 (pipe), vale0:p1\n"
"  -f MODE    tx: send; rx: receive (default); txrx: both on one port;\n"
"             ping: one frame at a time, timing its echo; pong: echo all\n"
"  -l LEN     frame length without CRC, %d..%d (default 60); frames\n"
"             longer than a netmap buffer span slots (NS_MOREFRAG)\n"
"  -n COUNT   packets to send / receive / ping (default 0 = until ^C)\n"
"  -b BATCH   packets per ring per pass (default 512)\n"
"  -p N       N threads, thread k on ring k (port suffix -k)\n"
"  -a CPU     pin thread k to CPU+k\n"
"  -T MS      report interval in milliseconds (default 1000)\n"
"  -w S       seconds to wait after opening the port (default 0)\n"
"  -s RANGE   source IP[:PORT][-IP[:PORT]] (default 10.0.0.1:1234)\n"
"  -d RANGE   destination, same form (default 10.1.0.1:1234); every\n"
"             combination of the two ranges is a flow, sent in turn\n"
"  -S MAC     source MAC (default 02:00:00:00:00:01)\n"
"  -D MAC     destination MAC (default ff:ff:ff:ff:ff:ff)\n"
"  -C         rx: check every frame's headers, sequence number and\n"
"             payload pattern; errors make the exit status 1.\n"
"             tx: carry the sequence number in every 64-byte block of\n"
"             the frame (a store per block per frame), so that the\n"
"             receiver's -C also catches a block a switch failed to copy;\n"
"             without it only the header's sequence number changes\n"
"  -W         rx: stop once no frame arrived for 2 report intervals\n"
"  -N         report bits per second as plain bps, not Gbps\n"
"  -B         per-interval rate includes %d bytes of Ethernet overhead\n"
"             (preamble, CRC, gap) per frame, as netmap pkt-gen -B\n"
"  -y         busy-wait with NIOCTXSYNC/NIOCRXSYNC instead of poll()\n"
"  -v         verbose: print the port's geometry, and at the end how\n"
"             many frames the sender wrote whole (into a buffer new to\n"
"             its slot; the others were updated in place: sequence\n"
"             number, the pattern words that carry it, flow addresses)\n"
"  -h, --help this help      --version  the release and netmap API\n"
"\n"
"Output (stdout): each interval 'pkt-gen: PPS pps RATE Gbps (DIR)', then\n"
"  pkt-gen summary: dir=D pkts=N bytes=N secs=S pps=X gbps=Y wire_gbps=Z\n"
"                   errors=E lost=L\n"
"where bytes and gbps count frame bytes (no CRC), wire_gbps adds the %d\n"
"bytes of Ethernet overhead per frame, and lost counts sequence gaps (-C)\n"
"or unanswered pings. ping also prints\n"
"  pkt-gen latency: n=N min_us=.. p50_us=.. p90_us=.. p99_us=.. max_us=..\n"
"Exit status: 0 ok, 1 runtime error or failed checks, 2 bad usage.\n",
		PG_MIN_LEN, PG_MAX_LEN, PG_ETH_OVERHEAD, PG_ETH_OVERHEAD);
}

/* Unsigned decimal in [min, max]; anything else is a usage error. */
static int parse_uint(const char *opt, const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (*s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	fprintf(stderr, "pkt-gen: %s: '%s' is not a number in %llu..%llu\n",
		opt, s, min, max);
	return -1;
}

static int parse_mac(const char *opt, const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;
	int i;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6) {
		fprintf(stderr, "pkt-gen: %s: '%s' is not a MAC address\n",
			opt, s);
		return -1;
	}
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

/* "a.b.c.d[:port]" into host byte order; port left alone if absent. */
static int parse_endpoint(const char *opt, char *s, uint32_t *ip,
			  uint16_t *port)
{
	char *colon = strchr(s, ':');
	struct in_addr a;
	unsigned long long v;

	if (colon) {
		*colon = '\0';
		if (parse_uint(opt, colon + 1, 0, 65535, &v) < 0)
			return -1;
		*port = (uint16_t)v;
	}
	if (inet_pton(AF_INET, s, &a) != 1) {
		fprintf(stderr, "pkt-gen: %s: '%s' is not an IPv4 address\n",
			opt, s);
		return -1;
	}
	*ip = ntohl(a.s_addr);
	return 0;
}

/* "IP[:PORT][-IP[:PORT]]"; the bounds may come in either order. */
static int parse_range(const char *opt, const char *arg, struct pg_range *r)
{
	char buf[128], *dash;
	uint32_t t;
	uint16_t tp;

	if (strlen(arg) >= sizeof(buf)) {
		fprintf(stderr, "pkt-gen: %s: '%s' too long\n", opt, arg);
		return -1;
	}
	strcpy(buf, arg);
	r->port0 = 1234;
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (parse_endpoint(opt, buf, &r->ip0, &r->port0) < 0)
		return -1;
	r->ip1 = r->ip0;
	r->port1 = r->port0;
	if (dash && parse_endpoint(opt, dash + 1, &r->ip1, &r->port1) < 0)
		return -1;
	if (r->ip0 > r->ip1) {
		t = r->ip0;
		r->ip0 = r->ip1;
		r->ip1 = t;
	}
	if (r->port0 > r->port1) {
		tp = r->port0;
		r->port0 = r->port1;
		r->port1 = tp;
	}
	return 0;
}

static void set_defaults(struct pg_config *c)
{
	static const uint8_t src[6] = { 0x02, 0, 0, 0, 0, 0x01 };

	memset(c, 0, sizeof(*c));
	c->mode = PG_RX;
	c->len = PG_MIN_LEN;
	c->batch = 512;
	c->nthreads = 1;
	c->cpu = -1;
	c->report_ms = 1000;
	c->src = (struct pg_range){ 0x0a000001, 0x0a000001, 1234, 1234 };
	c->dst = (struct pg_range){ 0x0a010001, 0x0a010001, 1234, 1234 };
	memcpy(c->src_mac, src, 6);
	memset(c->dst_mac, 0xff, 6);
}

/* 0: go on; -1: help or version was printed (exit 0); 2: usage error (exit 2). */
int pg_parse_args(int argc, char **argv, struct pg_config *c)
{
	unsigned long long v;
	unsigned int i;
	int ch;

	set_defaults(c);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return -1;
		}
		if (!strcmp(argv[i], "--version")) {
			printf("pkt-gen %s (netmap API %d)\n", VALE_VERSION, NETMAP_API);
			return -1;
		}
	}
	while ((ch = getopt(argc, argv, "i:f:l:n:b:p:a:T:w:s:d:S:D:CWNByvh")) != -1) {
		char opt[3] = { '-', (char)ch, '\0' };

		switch (ch) {
		case 'i':
			c->port = optarg;
			break;
		case 'f':
			for (i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
				if (!strcmp(optarg, mode_names[i]))
					break;
			if (i == sizeof(mode_names) / sizeof(mode_names[0])) {
				fprintf(stderr, "pkt-gen: -f: unknown mode '%s' "
					"(tx, rx, txrx, ping, pong)\n", optarg);
				return 2;
			}
			c->mode = (enum pg_mode)i;
			break;
		case 'l':
			if (parse_uint(opt, optarg, PG_MIN_LEN, PG_MAX_LEN, &v) < 0)
				return 2;
			c->len = (unsigned int)v;
			break;
		case 'n':
			if (parse_uint(opt, optarg, 0, UINT64_MAX, &v) < 0)
				return 2;
			c->count = v;
			break;
		case 'b':
			if (parse_uint(opt, optarg, 1, 1 << 20, &v) < 0)
				return 2;
			c->batch = (unsigned int)v;
			break;
		case 'p':
			if (parse_uint(opt, optarg, 1, NETMAP_RING_MASK, &v) < 0)
				return 2;
			c->nthreads = (unsigned int)v;
			break;
		case 'a':
			if (parse_uint(opt, optarg, 0, 1 << 16, &v) < 0)
				return 2;
			c->cpu = (int)v;
			break;
		case 'T':
			if (parse_uint(opt, optarg, 10, 3600 * 1000, &v) < 0)
				return 2;
			c->report_ms = (unsigned int)v;
			break;
		case 'w':
			if (parse_uint(opt, optarg, 0, 3600, &v) < 0)
				return 2;
			c->wait_s = (unsigned int)v;
			break;
		case 's':
			if (parse_range(opt, optarg, &c->src) < 0)
				return 2;
			break;
		case 'd':
			if (parse_range(opt, optarg, &c->dst) < 0)
				return 2;
			break;
		case 'S':
			if (parse_mac(opt, optarg, c->src_mac) < 0)
				return 2;
			break;
		case 'D':
			if (parse_mac(opt, optarg, c->dst_mac) < 0)
				return 2;
			break;
		case 'C':
			c->check = true;
			break;
		case 'W':
			c->idle_exit = true;
			break;
		case 'N':
			c->raw_units = true;
			break;
		case 'B':
			c->framing = true;
			break;
		case 'y':
			c->busy = true;
			break;
		case 'v':
			c->verbose++;
			break;
		case 'h':
			usage(stdout);
			return -1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "pkt-gen: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!c->port) {
		fprintf(stderr, "pkt-gen: no port given (-i PORT); -h for help\n");
		return 2;
	}
	return 0;
}
