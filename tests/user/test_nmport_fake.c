// SPDX-License-Identifier: BSD-2-Clause
/*
 * libnmport against fake_netmap.so (run with LD_PRELOAD): open both ends
 * of a pipe, inject frames of one and several slots on one end, sync, and
 * find them intact on the other.  Prints "N passed, N failed".
 */
#include <stdio.h>
#include <string.h>

#include "nmport.h"

static int passed, failed;

static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s\n", what);
}

static void fill(unsigned char *b, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		b[i] = (unsigned char)(i * 7 + seed);
}

/* Read one frame (all its slots) from the first rx ring of p. */
static size_t take(struct nmport *p, unsigned char *out, size_t max)
{
	struct netmap_ring *r = nmport_rxring(p, p->first_rx_ring);
	size_t len = 0;

	while (!nm_ring_empty(r)) {
		struct netmap_slot *s = &r->slot[r->head];

		if (len + s->len <= max)
			memcpy(out + len, NETMAP_BUF(r, s->buf_idx), s->len);
		len += s->len;
		r->head = r->cur = nm_ring_next(r, r->head);
		if (!(s->flags & NS_MOREFRAG))
			return len;
	}
	return 0;
}

int main(void)
{
	static unsigned char in[8192], out[8192];
	static const size_t sizes[] = { 60, 1514, 2048, 2049, 5000, 8192 };
	struct nmport_opts o = { .tx_rings = 2, .rx_rings = 2, .tx_slots = 64,
				 .rx_slots = 64 };
	char err[256];
	struct nmport *a, *b, *one;
	size_t i, n;
	int k, queued;

	a = nmport_open_opts("netmap:t{0", &o, err, sizeof(err));
	check(a != NULL, err);
	b = nmport_open("t}0", err, sizeof(err));
	check(b != NULL, err);
	if (!a || !b)
		goto out;
	check(a->reg.nr_tx_rings == 2 && a->reg.nr_tx_slots == 64,
	      "geometry from the options");
	check(a->first_tx_ring == 0 && a->last_tx_ring == 1 &&
	      a->first_rx_ring == 0 && a->last_rx_ring == 1, "all rings bound");
	check(!strcmp(a->hdr.nr_name, "t{0") && !strcmp(b->hdr.nr_name, "t}0"),
	      "names");

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		fill(in, sizes[i], (unsigned int)i);
		check(nmport_inject(a, in, sizes[i]) == 1, "inject");
		check(nmport_txsync(a) == 0, "txsync");
		check(nmport_rxsync(b) == 0, "rxsync");
		memset(out, 0, sizeof(out));
		n = take(b, out, sizeof(out));
		check(n == sizes[i] && !memcmp(in, out, n), "frame intact");
	}

	/* full rings refuse, and take frames again once drained */
	for (queued = 0; queued < 1000 && nmport_inject(a, in, 60); queued++)
		;
	check(queued == 2 * 63, "two rings of 64 slots take 63 frames each");
	check(nmport_inject(a, in, 60) == 0, "full rings refuse");
	nmport_txsync(a);
	check(nmport_inject(a, in, 60) == 1, "room again after txsync");

	/* one ring only */
	one = nmport_open("netmap:t}0-1", err, sizeof(err));
	check(one != NULL, err);
	if (one) {
		check(one->first_tx_ring == 1 && one->last_tx_ring == 1 &&
		      one->first_rx_ring == 1 && one->last_rx_ring == 1,
		      "ring 1 bound");
		nmport_close(one);
	}
	k = nmport_open("netmap:t}0-7", err, sizeof(err)) == NULL;
	check(k && strstr(err, "cannot register") != NULL,
	      "ring past the port's refused with a message");
out:
	nmport_close(a);
	nmport_close(b);
	nmport_close(NULL);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
