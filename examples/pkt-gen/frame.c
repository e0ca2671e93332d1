// SPDX-License-Identifier: BSD-2-Clause
/*
 * What pkt-gen puts on the wire: Ethernet + IPv4 + UDP, then a 12-byte
 * payload header and a fill pattern up to the frame length.
 *
 *   42  magic 0x7067 ("pg") or 0x7066    44  stream (tx thread)
 *   46  run id (random per tx process)      50  sequence number
 *   54  pattern derived from (run, stream) and, under 0x7067, seq
 *
 * All header fields are big endian.  The fill pattern is made of 8-byte
 * words derived from (run, stream).  A sender run with -C (magic 0x7067)
 * also mixes the sequence number into the words that end each 64-byte
 * block of the frame (fill words 7, 15, 23, ...) and into the frame's
 * last word.  So every 64-byte block of such a frame holds bytes that
 * change from one frame to the next (the first block holds the sequence
 * number itself): a frame of which a block was not copied (stale bytes of
 * an earlier frame of the same length) fails the check, and yet the
 * sender can turn the frame it left in a buffer into the next one by
 * rewriting only those words, the sequence number and, with several
 * flows, the addresses (pg_frame_stamp).  By default (magic 0x7066) the
 * fill is the same in every frame of a stream and only the header's
 * sequence number (and the addresses) change: a receiver's -C still
 * checks every byte, but cannot tell a block left over from an earlier
 * frame; the sender then writes one word per frame, not one per block,
 * as netmap's pkt-gen writes none.
 */
#include <endian.h>
#include <string.h>

#include "pktgen.h"

#define PG_MAGIC	0x7067	/* every 64-byte block carries the sequence */
#define PG_MAGIC_FIXED	0x7066	/* only the header does; the fill is fixed */
#define OFF_IP		14
#define OFF_UDP		34
#define OFF_PAYLOAD	PG_HDR_LEN
#define OFF_FILL	(PG_HDR_LEN + PG_PAYLOAD_HDR)

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* Sum of the big-endian 16-bit words of [p, p + n), n even. */
static uint32_t sum16(const uint8_t *p, unsigned int n)
{
	uint32_t s = 0;
	unsigned int i;

	for (i = 0; i < n; i += 2)
		s += get16(p + i);
	return s;
}

static uint16_t fold(uint32_t s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (uint16_t)s;
}

void pg_tmpl_init(struct pg_tmpl *t, const struct pg_config *cfg)
{
	uint8_t *h = t->hdr;
	unsigned int len = cfg->len;

	memset(t, 0, sizeof(*t));
	t->len = len;
	t->stamp_blocks = cfg->check;
	memcpy(h, cfg->dst_mac, 6);
	memcpy(h + 6, cfg->src_mac, 6);
	put16(h + 12, 0x0800);

	h[OFF_IP] = 0x45;			/* IPv4, 20-byte header */
	put16(h + OFF_IP + 2, (uint16_t)(len - OFF_IP));
	h[OFF_IP + 8] = 64;			/* TTL */
	h[OFF_IP + 9] = 17;			/* UDP */
	/* checksum and addresses stay 0 here; filled per frame */
	t->csum_base = sum16(h + OFF_IP, 20);

	put16(h + OFF_UDP + 4, (uint16_t)(len - OFF_UDP));
	/* UDP checksum 0: "not computed", valid over IPv4 */
}

void pg_flow_init(struct pg_flow *f, const struct pg_config *cfg,
		  unsigned int skip)
{
	f->sip = cfg->src.ip0;
	f->dip = cfg->dst.ip0;
	f->sport = cfg->src.port0;
	f->dport = cfg->dst.port0;
	/* threads start at different flows so rings do not carry clones */
	while (skip--)
		pg_flow_next(f, cfg);
}

/* Do the address ranges make more than one flow? */
bool pg_multiflow(const struct pg_config *cfg)
{
	return cfg->src.ip0 != cfg->src.ip1 || cfg->src.port0 != cfg->src.port1 ||
	       cfg->dst.ip0 != cfg->dst.ip1 || cfg->dst.port0 != cfg->dst.port1;
}

/* Odometer over source port, source IP, destination port, destination IP. */
void pg_flow_next(struct pg_flow *f, const struct pg_config *cfg)
{
	if (f->sport < cfg->src.port1) {
		f->sport++;
		return;
	}
	f->sport = cfg->src.port0;
	if (f->sip < cfg->src.ip1) {
		f->sip++;
		return;
	}
	f->sip = cfg->src.ip0;
	if (f->dport < cfg->dst.port1) {
		f->dport++;
		return;
	}
	f->dport = cfg->dst.port0;
	if (f->dip < cfg->dst.ip1) {
		f->dip++;
		return;
	}
	f->dip = cfg->dst.ip0;
}

static uint64_t pattern_seed(const struct pg_frame_info *fi)
{
	return ((uint64_t)fi->run << 32) ^
	       ((uint64_t)fi->stream * 0x100000001b3ull);
}

/*
 * What the sequence number adds to its words: never 0, and different for
 * different sequence numbers in every byte-aligned low part (an odd
 * multiplier is a bijection modulo any power of two).
 */
static uint64_t seq_mix(uint32_t seq)
{
	return ((uint64_t)seq + 1) * 0xff51afd7ed558ccdull;
}

/* Word i of the pattern before the sequence number: a cheap mix. */
static uint64_t pattern_word(uint64_t seed, uint64_t i)
{
	uint64_t w = (seed + i) * 0x9e3779b97f4a7c15ull;

	return w ^ (w >> 29);
}

/* Does fill word i of nwords carry the sequence number? */
static bool seq_word(uint64_t i, uint64_t nwords)
{
	return (i & 7) == 7 || i == nwords - 1;
}

/*
 * Word i as it goes on the wire: n (1..8) bytes at p.  A copy of constant
 * size per case, so that it compiles to plain stores, not a call.
 */
static inline void put_word(uint8_t *p, unsigned int n, uint64_t w)
{
	w = htole64(w);
	switch (n) {
	case 8: memcpy(p, &w, 8); break;
	case 7: memcpy(p, &w, 7); break;
	case 6: memcpy(p, &w, 6); break;
	case 5: memcpy(p, &w, 5); break;
	case 4: memcpy(p, &w, 4); break;
	case 3: memcpy(p, &w, 3); break;
	case 2: memcpy(p, &w, 2); break;
	default: memcpy(p, &w, 1); break;
	}
}

static void pattern_fill(uint8_t *p, unsigned int n, uint64_t seed, uint64_t mix)
{
	uint64_t i, nwords = (n + 7) / 8;

	for (i = 0; i < nwords; i++, p += 8, n -= 8)
		put_word(p, n < 8 ? n : 8, pattern_word(seed, i) ^
			 (seq_word(i, nwords) ? mix : 0));
}

static int pattern_ok(const uint8_t *p, unsigned int n, uint64_t seed, uint64_t mix)
{
	uint64_t i, w, nwords = (n + 7) / 8;

	for (i = 0; i < nwords; i++, p += 8, n -= 8) {
		w = htole64(pattern_word(seed, i) ^ (seq_word(i, nwords) ? mix : 0));
		if (memcmp(p, &w, n < 8 ? n : 8))
			return 0;
	}
	return 1;
}

static void put_flow(uint8_t *dst, const struct pg_tmpl *t, const struct pg_flow *f)
{
	uint32_t sum;

	put32(dst + OFF_IP + 12, f->sip);
	put32(dst + OFF_IP + 16, f->dip);
	sum = t->csum_base + (f->sip >> 16) + (f->sip & 0xffff) +
	      (f->dip >> 16) + (f->dip & 0xffff);
	put16(dst + OFF_IP + 10, (uint16_t)~fold(sum));
	put16(dst + OFF_UDP, f->sport);
	put16(dst + OFF_UDP + 2, f->dport);
}

/*
 * What the sequence number adds to the fill words that carry it: nothing
 * in a frame whose fill is fixed (PG_MAGIC_FIXED).
 */
static uint64_t fill_mix(bool stamped, uint32_t seq)
{
	return stamped ? seq_mix(seq) : 0;
}

void pg_frame_build(const struct pg_tmpl *t, uint8_t *dst,
		    const struct pg_flow *f, const struct pg_frame_info *fi)
{
	memcpy(dst, t->hdr, PG_HDR_LEN);
	put_flow(dst, t, f);
	put16(dst + OFF_PAYLOAD, t->stamp_blocks ? PG_MAGIC : PG_MAGIC_FIXED);
	put16(dst + OFF_PAYLOAD + 2, fi->stream);
	put32(dst + OFF_PAYLOAD + 4, fi->run);
	put32(dst + OFF_PAYLOAD + 8, fi->seq);
	pattern_fill(dst + OFF_FILL, t->len - OFF_FILL, pattern_seed(fi),
		     fill_mix(t->stamp_blocks, fi->seq));
}

/*
 * Turn dst, a whole frame that pg_frame_build made from the same template
 * for the same run and stream, into the frame of fi->seq: the sequence
 * number, the fill words that carry it (tx -C only: a store per 64-byte
 * block, which is most of a sender's work on a zero-copy path for large
 * frames), and the flow's fields when f is not NULL (NULL: dst already
 * has this flow).
 */
void pg_frame_stamp(const struct pg_tmpl *t, uint8_t *dst,
		    const struct pg_flow *f, const struct pg_frame_info *fi)
{
	unsigned int n = t->len - OFF_FILL;
	uint64_t i, nwords = (n + 7) / 8, seed = pattern_seed(fi);
	uint64_t mix = seq_mix(fi->seq);
	uint8_t *p = dst + OFF_FILL;

	uint32_t be_seq = htobe32(fi->seq);

	if (f)
		put_flow(dst, t, f);
	memcpy(dst + OFF_PAYLOAD + 8, &be_seq, 4);	/* one store */
	if (!t->stamp_blocks)
		return;
	for (i = 7; i < nwords - 1; i += 8)
		put_word(p + 8 * i, 8, pattern_word(seed, i) ^ mix);
	i = nwords - 1;
	put_word(p + 8 * i, n - 8 * (unsigned int)i, pattern_word(seed, i) ^ mix);
}

/*
 * Is f a well-formed pkt-gen frame of len bytes?  Returns 0 and fills fi,
 * or -1 (headers bad) or -2 (payload bad; fi is filled, so the sequence
 * can still be followed) with *why saying what was wrong.  The payload
 * pattern is checked only when asked, as it reads the whole frame.
 */
int pg_frame_parse(const uint8_t *f, unsigned int len, bool check_payload,
		   struct pg_frame_info *fi, const char **why)
{
	uint16_t magic;

	if (len < OFF_FILL) {
		*why = "frame too short";
		return -1;
	}
	if (get16(f + 12) != 0x0800) {
		*why = "not IPv4";
		return -1;
	}
	if (f[OFF_IP] != 0x45 || f[OFF_IP + 9] != 17) {
		*why = "not IPv4/UDP with a 20-byte header";
		return -1;
	}
	if (get16(f + OFF_IP + 2) != len - OFF_IP) {
		*why = "IP total length does not match the frame length";
		return -1;
	}
	if (fold(sum16(f + OFF_IP, 20)) != 0xffff) {
		*why = "bad IP header checksum";
		return -1;
	}
	if (get16(f + OFF_UDP + 4) != len - OFF_UDP) {
		*why = "UDP length does not match the frame length";
		return -1;
	}
	magic = get16(f + OFF_PAYLOAD);
	if (magic != PG_MAGIC && magic != PG_MAGIC_FIXED) {
		*why = "no pkt-gen payload header";
		return -1;
	}
	fi->stream = get16(f + OFF_PAYLOAD + 2);
	fi->run = get32(f + OFF_PAYLOAD + 4);
	fi->seq = get32(f + OFF_PAYLOAD + 8);
	if (check_payload &&
	    !pattern_ok(f + OFF_FILL, len - OFF_FILL, pattern_seed(fi),
			fill_mix(magic == PG_MAGIC, fi->seq))) {
		*why = "payload pattern mismatch";
		return -2;
	}
	return 0;
}
