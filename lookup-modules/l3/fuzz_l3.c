// SPDX-License-Identifier: GPL-2.0
/*
 * Fuzz target of the l3 router's packet path (fwd.c): any bytes, as a
 * frame from any port of a configured router, must neither crash, nor
 * read outside the header copy, nor loop, and what comes out must make
 * sense. Input: [port] [flags] [frame...]:
 *   port   input port, modulo 4 (port 3 is attached but not a router port)
 *   flags  bit 0: fix the IPv4 header checksum, bit 1: fix the ICMPv6
 *          checksum (so that mutations get past those checks), bits 4..7:
 *          the packet is longer than the frame given by that many 128-byte
 *          units (more slots, not in the copy).
 *
 * Each frame runs twice, through .lookup and .lookup_batch, with different
 * bytes in the copy buffer past the copied ones: the answers must be the
 * same (nothing is read past len).
 * Built with clang -fsanitize=fuzzer,address,undefined (make fuzz-l3), or
 * with -DL3_FUZZ_REPLAY and any compiler as a program that runs the files
 * given (make check-l3 replays the committed corpus).
 */
#include "l3.h"

#define B(attr)		(1u << VALE_L3_ATTR_##attr)

static struct l3 *fuzz_router;

static void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz_l3: %s\n", what);
	abort();
}

static void fuzz_apply(u32 op, u32 has, u32 port, const u8 *mac, u8 family, const u8 *a,
		       u8 plen, const u8 *gw)
{
	struct l3_req q = { .op = op, .has = B(OP) | has, .port = port, .plen = plen };
	struct l3_err err;
	int alen = family == 4 ? 4 : 16;

	if (mac)
		memcpy(q.mac, mac, 6);
	if (a) {
		q.addr.family = q.prefix.family = family;
		memcpy(q.addr.b, a, alen);
		memcpy(q.prefix.b, a, alen);
	}
	if (gw) {
		q.gw.family = family;
		memcpy(q.gw.b, gw, alen);
	}
	if (l3_apply(fuzz_router, &q, &err))
		fuzz_fail(err.msg);
}

#define V4(a, b, c, d)	((const u8[]){ a, b, c, d })
#define V6(...)		((const u8[16]){ 0x20, 0x01, 0x0d, 0xb8, __VA_ARGS__ })

/* The topology of test_l3.c's router_std(), and a default route. */
static void fuzz_setup(void)
{
	static const u8 mac[3][6] = {
		{ 2, 0, 0, 0, 0xaa, 0 }, { 2, 0, 0, 0, 0xaa, 1 }, { 2, 0, 0, 0, 0xaa, 2 },
	};
	static const u8 host[6] = { 2, 0, 0, 0, 0xbb, 1 };
	u32 addr = B(PORT) | B(ADDR), route = B(PREFIX) | B(PREFIX_LEN) | B(PORT);
	void *priv;
	u32 i;

	if (l3_create(&priv, "valefuzz"))
		fuzz_fail("l3_create");
	fuzz_router = priv;
	for (i = 0; i < 4; i++)
		l3_ops.port_attach(priv, i);
	for (i = 0; i < 3; i++)
		fuzz_apply(VALE_L3_OP_PORT_SET, B(PORT) | B(MAC), i, mac[i], 4, NULL, 0, NULL);
	fuzz_apply(VALE_L3_OP_ADDR_ADD, addr, 0, NULL, 4, V4(10, 0, 0, 1), 0, NULL);
	fuzz_apply(VALE_L3_OP_ADDR_ADD, addr, 1, NULL, 4, V4(10, 1, 0, 1), 0, NULL);
	fuzz_apply(VALE_L3_OP_ADDR_ADD, addr, 0, NULL, 6, V6(0, 0, [15] = 1), 0, NULL);
	fuzz_apply(VALE_L3_OP_ADDR_ADD, addr, 1, NULL, 6, V6(0, 1, [15] = 1), 0, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 0, NULL, 4, V4(10, 0, 0, 0), 24, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 1, NULL, 4, V4(10, 1, 0, 0), 24, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route | B(GATEWAY), 1, NULL, 4, V4(192, 168, 0, 0), 16,
		   V4(10, 1, 0, 254));
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route | B(GATEWAY), 2, NULL, 4, V4(0, 0, 0, 0), 0,
		   V4(10, 2, 0, 254));
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 0, NULL, 4, V4(10, 0, 0, 128), 25, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 3, NULL, 4, V4(172, 16, 0, 0), 12, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 0, NULL, 6, V6(0, 0), 64, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route, 1, NULL, 6, V6(0, 1), 64, NULL);
	fuzz_apply(VALE_L3_OP_ROUTE_ADD, route | B(GATEWAY), 1, NULL, 6, V6(1, 0), 48,
		   V6(0, 1, [15] = 0xfe));
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 0, host, 4, V4(10, 0, 0, 2), 0, NULL);
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 1, host, 4, V4(10, 1, 0, 2), 0, NULL);
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 1, host, 4, V4(10, 1, 0, 254), 0, NULL);
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 2, host, 4, V4(10, 2, 0, 254), 0, NULL);
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 0, host, 6, V6(0, 0, [15] = 2), 0, NULL);
	fuzz_apply(VALE_L3_OP_NEIGH_ADD, addr | B(MAC), 1, host, 6, V6(0, 1, [15] = 0xfe), 0,
		   NULL);
}

/* Make the checksums right where asked, so that mutations get further. */
static void fuzz_fix_sums(u8 *f, u32 len, u8 flags)
{
	if ((flags & 1) && len >= 34 && f[12] == 0x08 && f[13] == 0x00) {
		u32 ihl = (f[14] & 0xf) * 4;

		if (ihl >= 20 && 14 + ihl <= len) {
			f[24] = f[25] = 0;
			l3_put_be16(f + 24, ~l3_csum(f + 14, ihl, 0));
		}
	}
	if ((flags & 2) && len >= 58 && f[12] == 0x86 && f[13] == 0xdd && f[20] == 58) {
		u32 plen = l3_get_be16(f + 18);

		if (54 + plen <= len && plen >= 4) {
			f[56] = f[57] = 0;
			l3_put_be16(f + 56, ~l3_csum(f + 54, plen, l3_csum(f + 22, 32, plen + 58)));
		}
	}
}

struct fuzz_run {
	u32 dst;
	u16 hdr_len;
	u8 out[VALE_HDR_MAX];
	u64 stats[L3_NSTATS];
};

static void fuzz_one(const u8 *f, u32 len, u32 total, u16 port, u8 fill, struct fuzz_run *o)
{
	u8 *hdr = malloc(VALE_HDR_MAX);		/* exactly: ASan sees past it */
	u32 copy = min(len, (u32)L3_HDR_COPY);
	struct vale_pkt p = {
		.data = hdr, .len = copy, .hdr_len = copy, .total_len = total,
		.src_port = port, .dst_ring = VALE_RING_ANY, .frags = 1,
	};

	memset(hdr, fill, VALE_HDR_MAX);
	memcpy(hdr, f, copy);
	if (fill)
		l3_lookup_batch(fuzz_router, &p, &o->dst, 1);
	else
		o->dst = l3_lookup(fuzz_router, &p);
	o->hdr_len = p.hdr_len;
	if (p.hdr_len > VALE_HDR_MAX)
		fuzz_fail("hdr_len past VALE_HDR_MAX");
	memcpy(o->out, hdr, p.hdr_len);
	memcpy(o->stats, fuzz_router->stats[port].c, sizeof(o->stats));
	free(hdr);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct fuzz_run ra, rb;
	struct fuzz_run *a = &ra, *b = &rb;
	u64 before[L3_NSTATS], counted;
	u32 len, total, out, i;
	u16 port;
	u8 *f;

	if (!fuzz_router)
		fuzz_setup();
	if (size < 2 || size > 4096)
		return 0;
	port = data[0] % 4;
	len = size - 2;
	total = len + (data[1] >> 4) * 128;
	f = malloc(len ? len : 1);
	memcpy(f, data + 2, len);
	fuzz_fix_sums(f, len, data[1]);
	memcpy(before, fuzz_router->stats[port].c, sizeof(before));
	fuzz_one(f, len, total, port, 0x00, a);
	fuzz_one(f, len, total, port, 0xff, b);
	if (a->dst != b->dst || a->hdr_len != b->hdr_len || memcmp(a->out, b->out, a->hdr_len))
		fuzz_fail("the answer depends on bytes past the copy");
	/* Each run counted one thing, the same thing. */
	for (i = 0, counted = 0; i < L3_NSTATS; i++) {
		if (a->stats[i] - before[i] != b->stats[i] - a->stats[i])
			fuzz_fail("the two runs counted different things");
		counted += a->stats[i] - before[i];
	}
	if (counted != 1)
		fuzz_fail("a packet not counted exactly once");
	out = a->dst & ~VALE_HAIRPIN;
	if (a->dst != VALE_DROP && out >= 3)
		fuzz_fail("sent to a port that is not a router port");
	if ((a->dst & VALE_HAIRPIN) && out != port)
		fuzz_fail("hairpin to another port");
	if (a->dst != VALE_DROP && a->hdr_len < 14)
		fuzz_fail("delivered without an Ethernet header");
	if (a->dst != VALE_DROP && !(a->dst & VALE_HAIRPIN) && a->out[12] == 0x08 &&
	    a->out[13] == 0x00) {
		/* Routed IPv4: TTL one less, checksum still right. */
		if (a->out[14 + 8] + 1 != f[14 + 8] ||
		    l3_csum(a->out + 14, (a->out[14] & 0xf) * 4, 0) != 0xffff)
			fuzz_fail("routed IPv4 with a wrong TTL or checksum");
	}
	free(f);
	return 0;
}

#ifdef L3_FUZZ_REPLAY
/* Run the target once over each file given. */
int main(int argc, char **argv)
{
	static u8 buf[4096];
	u64 before[L3_NSTATS] = { 0 }, after[L3_NSTATS];
	bool verbose = getenv("L3_FUZZ_VERBOSE");
	int i, n = 0;
	u32 k;

	for (i = 1; i < argc; i++) {
		FILE *fp = fopen(argv[i], "rb");
		size_t len;

		if (!fp) {
			perror(argv[i]);
			return 1;
		}
		len = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		if (fuzz_router)
			l3_get_stats(fuzz_router, before);
		LLVMFuzzerTestOneInput(buf, len);
		n++;
		if (verbose) {	/* which counter each input moved (twice) */
			l3_get_stats(fuzz_router, after);
			for (k = 0; k < L3_NSTATS; k++)
				if (after[k] != before[k])
					printf("%s: counter %u +%llu\n", argv[i], k,
					       (unsigned long long)(after[k] - before[k]));
		}
	}
	if (fuzz_router)
		l3_destroy(fuzz_router);
	printf("fuzz_l3: %d inputs replayed, no failure\n", n);
	return 0;
}
#endif
