// SPDX-License-Identifier: GPL-2.0
/*
 * The core's header copy (a lookup module's hdr_copy), in user space: a
 * module rewrites and resizes the private copy of each packet's head, and
 * the receiver must get exactly that copy followed by the rest of the
 * original frame, for every frame length a buffer holds, with and without
 * virtio-net headers on either side, whatever the sender does to its
 * buffer meanwhile. Frames sit in the last buffer of their port's pool, so
 * that AddressSanitizer sees any read or write past a buffer's end (the
 * core copies in whole 64-byte blocks where it may).
 * Built and run as is and under AddressSanitizer/UBSan (make check-vale).
 */
#include "../../vale/vale.h"
#include <vale/uport.h>
#include "check.h"

int check_passed, check_failed;

/* What the rewriting module does; the tests set it before each frame. */
static struct {
	int grow;		/* bytes added to the header (negative: removed) */
	u8 *scribble;		/* the sender's frame, overwritten during the lookup */
	bool fill_tail;		/* also write 0xee over the rest of the private header */
	u16 dst;		/* where every packet goes */
	u32 seen_len;		/* the last pkt->len */
} rw;

static int rw_create(void **priv, const char *name)
{
	(void)name;
	*priv = NULL;
	return 0;
}

static void rw_destroy(void *priv)
{
	(void)priv;
}

/* Byte i of the rewritten header of a packet whose copy was h[0 .. len). */
static u8 rw_byte(const u8 *h, u32 len, u32 i)
{
	return i < len ? h[i] ^ 0xa5 : (u8)(0xc0 + i);
}

static u32 rw_out_len(u32 len)
{
	int out = (int)len + rw.grow;

	return out < 0 ? 0 : out > VALE_HDR_MAX ? VALE_HDR_MAX : (u32)out;
}

static u32 rw_lookup(void *priv, struct vale_pkt *pkt)
{
	u8 copy[VALE_HDR_MAX];
	u32 out = rw_out_len(pkt->len), i;

	(void)priv;
	/* A sender changing its frame now must not change what is delivered. */
	if (rw.scribble)
		memset(rw.scribble, 0x77, pkt->len);
	rw.seen_len = pkt->len;
	memcpy(copy, pkt->data, pkt->len);
	for (i = 0; i < out; i++)
		pkt->data[i] = rw_byte(copy, pkt->len, i);
	if (rw.fill_tail)
		memset(pkt->data + out, 0xee, VALE_HDR_MAX - out);
	pkt->hdr_len = out;
	return rw.dst;
}

#define RW_OPS(_name, _copy) {							\
	.name = (_name), .hdr_copy = (_copy), .create = rw_create,		\
	.destroy = rw_destroy, .lookup = rw_lookup,				\
}

/* Header copies around the block size, and those of l3 and ofswitch. */
static struct vale_lookup_ops rw_ops[] = {
	RW_OPS("rw14", 14), RW_OPS("rw63", 63), RW_OPS("rw64", 64), RW_OPS("rw65", 65),
	RW_OPS("rw96", 96), RW_OPS("rw160", 160), RW_OPS("rw192", VALE_HDR_MAX),
};

static const int grows[] = { 0, 4, -4, 37, -14, 200 };

struct pair {
	struct vale_switch *sw;
	struct uport *a, *b;	/* a sends, b receives */
};

/* Every slot of a's tx ring and b's rx ring on its pool's last buffer. */
static void pair_open(struct pair *pr, const char *name, u32 buf_size)
{
	u32 i;

	vale_core_lock();
	CHECK_EQ(vale_switch_create(name, &pr->sw), 0);
	pr->sw->persistent = true;
	vale_core_unlock();
	pr->a = uport_new_sized("a", 1, 1, 8, buf_size);
	pr->b = uport_new_sized("b", 1, 1, 8, buf_size);
	CHECK(pr->a && pr->b);
	vale_core_lock();
	CHECK_EQ(vale_port_attach(pr->sw, pr->a->vp), 0);
	CHECK_EQ(vale_port_attach(pr->sw, pr->b->vp), 0);
	vale_core_unlock();
	for (i = 0; i < 8; i++) {
		pr->a->txr[0]->slot[i].buf_idx = pr->a->nbufs - 1;
		pr->b->rxr[0]->slot[i].buf_idx = pr->b->nbufs - 1;
	}
	rw.dst = pr->b->vp->index;
}

static void pair_close(struct pair *pr)
{
	vale_core_lock();
	vale_port_detach(pr->a->vp);
	vale_port_detach(pr->b->vp);
	pr->sw->persistent = false;
	vale_switch_put_if_unused(pr->sw);
	vale_core_unlock();
	uport_free(pr->a);
	uport_free(pr->b);
}

static void set_lookup(struct vale_switch *sw, const char *name)
{
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, name), 0);
	vale_core_unlock();
}

static u64 bad_bufs(const struct uport *up)
{
	struct vale_port_stats st;

	vale_port_stats(up->vp, &st);
	return st.drop_bad_buf;
}

/*
 * One frame of len bytes (after a src_hdr-byte vnet header) from a to b
 * through a module copying hdr_copy bytes; checks what b gets.
 */
static bool one_frame(struct pair *pr, u32 hdr_copy, u32 src_hdr, u32 dst_hdr, u32 len,
		      u32 seq)
{
	u32 buf_size = pr->a->buf_size, copy = min(len, hdr_copy);
	u32 out = rw_out_len(copy), want = dst_hdr + out + len - copy, i;
	u8 f[4096], g[4096], *sent = uport_buf(pr->a, pr->a->nbufs - 1) + src_hdr;
	u64 bad = bad_bufs(pr->b);
	bool ok = true;
	int got;

	for (i = 0; i < src_hdr; i++)
		f[i] = (u8)(0x30 + i);
	for (i = 0; i < len; i++)
		f[src_hdr + i] = (u8)(seq * 7 + i * 13);
	pr->a->vp->vnet_hdr_len = src_hdr;
	pr->b->vp->vnet_hdr_len = dst_hdr;
	if (uport_send(pr->a, 0, f, (u16)(src_hdr + len)))
		return false;
	rw.scribble = sent;
	rw.seen_len = ~0u;
	uport_txsync(pr->a, 0);
	rw.scribble = NULL;
	uport_rxsync(pr->b, 0);
	got = uport_recv(pr->b, 0, g, sizeof(g));
	ok &= rw.seen_len == copy;
	if (want > buf_size) {
		/* The rewrite outgrew the receiver's buffer: an empty slot. */
		ok &= got == 0 && bad_bufs(pr->b) == bad + 1;
		return ok;
	}
	ok &= got == (int)want && bad_bufs(pr->b) == bad;
	if (!ok)
		return false;
	for (i = 0; i < dst_hdr; i++)
		ok &= g[i] == (dst_hdr == src_hdr ? f[i] : 0);
	for (i = 0; i < out; i++)
		ok &= g[dst_hdr + i] == rw_byte(f + src_hdr, copy, i);
	ok &= !memcmp(g + dst_hdr + out, f + src_hdr + copy, len - copy);
	return ok;
}

/* Every length a buffer holds, every header copy, each pair of vnet header lengths. */
static void every_length(u32 buf_size)
{
	static const u32 vnet[][2] = { { 0, 0 }, { 12, 12 }, { 0, 12 }, { 12, 0 }, { 10, 12 } };
	struct pair pr;
	u32 o, v, len, seq = 0, failed = 0;

	pair_open(&pr, "valeHC", buf_size);
	for (o = 0; o < ARRAY_SIZE(rw_ops); o++) {
		set_lookup(pr.sw, rw_ops[o].name);
		for (v = 0; v < ARRAY_SIZE(vnet); v++) {
			for (len = 0; vnet[v][0] + len <= buf_size; len++, seq++) {
				rw.grow = grows[seq % ARRAY_SIZE(grows)];
				if (!one_frame(&pr, rw_ops[o].hdr_copy, vnet[v][0], vnet[v][1],
					       len, seq) && failed++ < 5)
					fprintf(stderr, "buf %u copy %u vnet %u->%u len %u grow %d: "
						"wrong frame\n", buf_size, rw_ops[o].hdr_copy,
						vnet[v][0], vnet[v][1], len, rw.grow);
			}
		}
	}
	CHECK_EQ(failed, 0);
	pair_close(&pr);
}

static void test_every_length_2048(void)
{
	every_length(2048);
}

/* Buffers so small that whole-block copies would run past their ends. */
static void test_every_length_small_buffers(void)
{
	every_length(64);
	every_length(128);
	every_length(192);
	every_length(256);
}

/*
 * A module that uses its whole private header as scratch space leaves
 * bytes there; a later packet in the same place, grown by the module
 * past what was copied for it, must not carry them to a receiver, not
 * even past the frame's end.
 */
static void test_no_stale_header_past_the_frame(void)
{
	struct pair pr;
	u8 f[256], *dbuf;
	u32 i, leaked = 0;

	pair_open(&pr, "valeHC", 2048);
	set_lookup(pr.sw, "rw192");
	dbuf = uport_buf(pr.b, pr.b->nbufs - 1);
	memset(f, 0x11, sizeof(f));
	rw.grow = 0;
	rw.fill_tail = true;
	CHECK_EQ(uport_send(pr.a, 0, f, 150), 0);
	uport_txsync(pr.a, 0);
	uport_drain(pr.b);
	rw.fill_tail = false;
	rw.grow = 50;
	memset(dbuf, 0, pr.b->buf_size);
	CHECK_EQ(uport_send(pr.a, 0, f, 20), 0);
	uport_txsync(pr.a, 0);
	uport_rxsync(pr.b, 0);
	CHECK_EQ(uport_recv(pr.b, 0, f, sizeof(f)), 70);
	/* The first packet's header as the module left it: rewritten or 0xee. */
	for (i = 70; i < VALE_HDR_MAX + 64; i++)
		leaked += dbuf[i] == 0xee || dbuf[i] == (0x11 ^ 0xa5);
	CHECK_EQ(leaked, 0);
	pair_close(&pr);
}

/* Frames of several slots: the header comes from the first, the rest follows. */
static void test_fragmented_frames(void)
{
	struct vale_switch *sw = NULL;
	struct uport *a, *b;
	u32 len, frag, i, copy, out, failed = 0;
	u8 f[4096], g[4096];
	int got;

	vale_core_lock();
	CHECK_EQ(vale_switch_create("valeHF", &sw), 0);
	vale_core_unlock();
	a = uport_new("a", 1, 1, 64);
	b = uport_new("b", 1, 1, 64);
	vale_core_lock();
	CHECK_EQ(vale_port_attach(sw, a->vp), 0);
	CHECK_EQ(vale_port_attach(sw, b->vp), 0);
	CHECK_EQ(vale_switch_set_lookup(sw, "rw96"), 0);
	vale_core_unlock();
	rw.dst = b->vp->index;
	for (frag = 64; frag <= 192; frag += 64) {
		for (len = 1; len <= 1000; len += 7) {
			rw.grow = grows[len % ARRAY_SIZE(grows)];
			for (i = 0; i < len; i++)
				f[i] = (u8)(len + i * 3);
			CHECK_EQ(uport_send_frags(a, 0, f, len, frag), 0);
			uport_txsync(a, 0);
			uport_rxsync(b, 0);
			got = uport_recv(b, 0, g, sizeof(g));
			copy = min(min(len, frag), 96u);
			out = rw_out_len(copy);
			for (i = 0; i < out && got == (int)(out + len - copy); i++)
				if (g[i] != rw_byte(f, copy, i))
					break;
			if ((got != (int)(out + len - copy) || i < out ||
			     memcmp(g + out, f + copy, len - copy)) && failed++ < 5)
				fprintf(stderr, "frag %u len %u grow %d: wrong frame (%d bytes)\n",
					frag, len, rw.grow, got);
		}
	}
	CHECK_EQ(failed, 0);
	vale_core_lock();
	vale_port_detach(a->vp);
	vale_port_detach(b->vp);
	vale_core_unlock();
	uport_free(a);
	uport_free(b);
}

int main(void)
{
	u32 i;

	CHECK_EQ(vale_core_init(), 0);
	for (i = 0; i < ARRAY_SIZE(rw_ops); i++)
		CHECK_EQ(vale_lookup_register(&rw_ops[i]), 0);
	RUN(test_every_length_2048);
	RUN(test_every_length_small_buffers);
	RUN(test_no_stale_header_past_the_frame);
	RUN(test_fragmented_frames);
	for (i = 0; i < ARRAY_SIZE(rw_ops); i++)
		vale_lookup_unregister(&rw_ops[i]);
	vale_core_exit();
	return check_summary();
}
