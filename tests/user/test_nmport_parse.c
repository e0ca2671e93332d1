// SPDX-License-Identifier: BSD-2-Clause
/*
 * Unit test of libnmport's port-spec parser and of its ring-range rules.
 * Needs no kernel: nmport_parse() and nmport_bind_rings() are pure.
 * Prints one line per failure and "N passed, N failed" at the end.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "nmport_priv.h"

static int passed, failed;

static void check(int ok, const char *what, const char *spec)
{
	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL: %s: %s\n", spec, what);
}

struct ok_case {
	const char *spec;
	const char *name;
	uint32_t mode;
	uint16_t ringid;
	uint64_t flags;
	uint16_t mem_id;
};

static const struct ok_case ok_cases[] = {
	{ "netmap:eth0", "eth0", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "eth0", "eth0", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "netmap:eth0-3", "eth0", NR_REG_ONE_NIC, 3, 0, 0 },
	{ "netmap:eth0-0", "eth0", NR_REG_ONE_NIC, 0, 0, 0 },
	{ "netmap:eth0-4094", "eth0", NR_REG_ONE_NIC, 4094, 0, 0 },
	{ "netmap:eth0^", "eth0", NR_REG_SW, 0, 0, 0 },
	{ "netmap:eth0^2", "eth0", NR_REG_ONE_SW, 2, 0, 0 },
	{ "netmap:eth0*", "eth0", NR_REG_NIC_SW, 0, 0, 0 },
	{ "netmap:x{1", "x{1", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "netmap:x}1", "x}1", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "x}pipe_a-2", "x}pipe_a", NR_REG_ONE_NIC, 2, 0, 0 },
	{ "netmap:x{1/x", "x{1", NR_REG_ALL_NIC, 0, NR_EXCLUSIVE, 0 },
	{ "vale0:p1", "vale0:p1", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "vale:p1", "vale:p1", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "valeA_b:port_2-1", "valeA_b:port_2", NR_REG_ONE_NIC, 1, 0, 0 },
	{ "netmap:vale1:v0", "vale1:v0", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "vale0:p{3", "vale0:p{3", NR_REG_ALL_NIC, 0, 0, 0 },
	{ "netmap:eth0/R", "eth0", NR_REG_ALL_NIC, 0, NR_RX_RINGS_ONLY, 0 },
	{ "netmap:eth0/T", "eth0", NR_REG_ALL_NIC, 0, NR_TX_RINGS_ONLY, 0 },
	{ "netmap:eth0/rt", "eth0", NR_REG_ALL_NIC, 0,
	  NR_MONITOR_RX | NR_MONITOR_TX, 0 },
	{ "netmap:eth0-1/zt", "eth0", NR_REG_ONE_NIC, 1,
	  NR_ZCOPY_MON | NR_MONITOR_TX, 0 },
	{ "netmap:eth0*/xRT", "eth0", NR_REG_NIC_SW, 0,
	  NR_EXCLUSIVE | NR_RX_RINGS_ONLY | NR_TX_RINGS_ONLY, 0 },
	{ "netmap:eth0@2", "eth0", NR_REG_ALL_NIC, 0, 0, 2 },
	{ "netmap:eth0@65535", "eth0", NR_REG_ALL_NIC, 0, 0, 65535 },
	{ "netmap:eth0-1@7", "eth0", NR_REG_ONE_NIC, 1, 0, 7 },
	{ "netmap:eth0^1/x@3", "eth0", NR_REG_ONE_SW, 1, NR_EXCLUSIVE, 3 },
	{ "netmap:eth0@3/x", "eth0", NR_REG_ALL_NIC, 0, NR_EXCLUSIVE, 3 },
	{ "netmap:eth0/x/R", "eth0", NR_REG_ALL_NIC, 0,
	  NR_EXCLUSIVE | NR_RX_RINGS_ONLY, 0 },
	/* 63 characters: the longest name that fits nr_name */
	{ "netmap:abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789a",
	  NULL, NR_REG_ALL_NIC, 0, 0, 0 },
};

struct bad_case {
	const char *spec;
	int err;
	const char *msg_part;	/* must appear in the error message */
};

static const struct bad_case bad_cases[] = {
	{ "", EINVAL, "empty port name" },
	{ "netmap:", EINVAL, "empty port name" },
	{ "netmap:-1", EINVAL, "empty port name" },
	{ "netmap:eth0-", EINVAL, "ring number" },
	{ "netmap:eth0-x", EINVAL, "ring number" },
	{ "netmap:eth0-4095", EINVAL, "ring number" },
	{ "netmap:eth0-99999999999999999999", EINVAL, "ring number" },
	{ "netmap:eth0-+1", EINVAL, "ring number" },
	{ "netmap:eth0^4095", EINVAL, "host ring" },
	{ "netmap:eth0-1-2", EINVAL, "unexpected '-2'" },
	{ "netmap:eth0^*", EINVAL, "unexpected '*'" },
	{ "netmap:eth0/", EINVAL, "followed by flags" },
	{ "netmap:eth0/@1", EINVAL, "followed by flags" },
	{ "netmap:eth0/q", EINVAL, "unknown flag 'q'" },
	{ "netmap:eth0@", EOPNOTSUPP, "not supported" },
	{ "netmap:eth0@conf:rings=4", EOPNOTSUPP, "not supported" },
	{ "netmap:eth0@0", EINVAL, "memory id" },
	{ "netmap:eth0@65536", EINVAL, "memory id" },
	{ "netmap:eth0@1@2", EINVAL, "twice" },
	{ "netmap:eth.0", EINVAL, "unexpected '.'" },
	{ "netmap:x{", EINVAL, "pipe id" },
	{ "netmap:x}", EINVAL, "pipe id" },
	{ "netmap:x{a{b", EINVAL, "pipe id" },
	{ "netmap:{1", EINVAL, "invalid port name" },
	{ "vale0", EINVAL, "valeSWITCH:PORT" },
	{ "vale0:", EINVAL, "invalid port name" },
	{ "vale-0:p", EINVAL, "valeSWITCH:PORT" },
	{ "vale0:p:q", EINVAL, "unexpected ':'" },
	{ "netmap:abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789ab",
	  ENAMETOOLONG, "longer than 63" },
};

static void test_ok(const struct ok_case *c)
{
	struct nmreq_header h;
	struct nmreq_register r;
	char err[256] = "";
	const char *want = c->name ? c->name : c->spec + 7;

	if (nmport_parse(c->spec, &h, &r, err, sizeof(err)) < 0) {
		check(0, err, c->spec);
		return;
	}
	check(!strcmp(h.nr_name, want), "nr_name", c->spec);
	check(h.nr_version == NETMAP_API, "nr_version", c->spec);
	check(h.nr_reqtype == NETMAP_REQ_REGISTER, "nr_reqtype", c->spec);
	check(h.nr_options == 0 && h.nr_body == 0, "header pointers", c->spec);
	check(r.nr_mode == c->mode, "nr_mode", c->spec);
	check(r.nr_ringid == c->ringid, "nr_ringid", c->spec);
	check(r.nr_flags == c->flags, "nr_flags", c->spec);
	check(r.nr_mem_id == c->mem_id, "nr_mem_id", c->spec);
	check(r.nr_tx_rings == 0 && r.nr_extra_bufs == 0 && r.nr_offset == 0,
	      "other fields zeroed", c->spec);
}

static void test_bad(const struct bad_case *c)
{
	struct nmreq_header h;
	struct nmreq_register r;
	char err[256] = "";
	char what[400];

	errno = 0;
	if (nmport_parse(c->spec, &h, &r, err, sizeof(err)) == 0) {
		check(0, "accepted", c->spec);
		return;
	}
	snprintf(what, sizeof(what), "errno %d, want %d", errno, c->err);
	check(errno == c->err, what, c->spec);
	snprintf(what, sizeof(what), "message '%s' lacks '%s'", err,
		 c->msg_part);
	check(strstr(err, c->msg_part) != NULL, what, c->spec);
	/* the message names the spec so that a user sees what was wrong */
	check(!strncmp(err, c->spec, strlen(c->spec)) || !*c->spec,
	      "message does not start with the spec", c->spec);
}

/* Errors must be reported safely whatever buffer the caller gives. */
static void test_err_buffers(void)
{
	struct nmreq_header h;
	struct nmreq_register r;
	char small[8];

	memset(small, 'z', sizeof(small));
	check(nmport_parse("netmap:eth0/q", &h, &r, small, sizeof(small)) < 0 &&
	      small[7] == '\0' && !strncmp(small, "netmap:", 7),
	      "message truncated to the buffer", "small buffer");
	errno = 0;
	check(nmport_parse("netmap:eth0/q", &h, &r, NULL, 0) < 0 &&
	      errno == EINVAL, "NULL buffer", "NULL err");
	errno = 0;
	check(nmport_parse(NULL, &h, &r, NULL, 0) < 0 && errno == EINVAL,
	      "NULL spec refused", "NULL spec");
}

struct ring_case {
	const char *spec;
	struct nmport_geom g;
	int ftx, ltx, frx, lrx;
};

/* Ring indexes count hardware rings first, then host rings. */
static const struct ring_case ring_cases[] = {
	{ "eth0", { 4, 2, 1, 1 }, 0, 3, 0, 1 },
	{ "eth0-2", { 4, 4, 1, 1 }, 2, 2, 2, 2 },
	{ "eth0-3", { 4, 2, 1, 1 }, 3, 3, 0, 0 },	/* rx falls back to 0 */
	{ "eth0^", { 4, 2, 1, 1 }, 4, 4, 2, 2 },
	{ "eth0^", { 4, 2, 2, 3 }, 4, 5, 2, 4 },
	{ "eth0^1", { 4, 2, 2, 2 }, 5, 5, 3, 3 },
	{ "eth0*", { 4, 2, 1, 1 }, 0, 4, 0, 2 },
	{ "eth0/R", { 4, 2, 1, 1 }, 0, -1, 0, 1 },
	{ "eth0-1/T", { 4, 2, 1, 1 }, 1, 1, 0, -1 },
	{ "x{1", { 1, 1, 0, 0 }, 0, 0, 0, 0 },
	{ "eth0^", { 4, 2, 0, 0 }, 4, 3, 2, 1 },	/* no host rings */
};

static void test_rings(const struct ring_case *c)
{
	struct nmport p;
	char err[256];

	memset(&p, 0, sizeof(p));
	if (nmport_parse(c->spec, &p.hdr, &p.reg, err, sizeof(err)) < 0) {
		check(0, err, c->spec);
		return;
	}
	nmport_bind_rings(&p, &c->g);
	check(p.first_tx_ring == c->ftx && p.last_tx_ring == c->ltx,
	      "tx ring range", c->spec);
	check(p.first_rx_ring == c->frx && p.last_rx_ring == c->lrx,
	      "rx ring range", c->spec);
	check(p.cur_tx_ring == p.first_tx_ring, "cur_tx_ring", c->spec);
}

static void test_null_mode(void)
{
	struct nmport p;
	struct nmport_geom g = { 2, 2, 1, 1 };

	memset(&p, 0, sizeof(p));
	p.reg.nr_mode = NR_REG_NULL;
	nmport_bind_rings(&p, &g);
	check(p.last_tx_ring < p.first_tx_ring &&
	      p.last_rx_ring < p.first_rx_ring, "no rings bound", "NR_REG_NULL");
}

int main(void)
{
	size_t i;

	for (i = 0; i < sizeof(ok_cases) / sizeof(ok_cases[0]); i++)
		test_ok(&ok_cases[i]);
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++)
		test_bad(&bad_cases[i]);
	test_err_buffers();
	for (i = 0; i < sizeof(ring_cases) / sizeof(ring_cases[0]); i++)
		test_rings(&ring_cases[i]);
	test_null_mode();

	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
