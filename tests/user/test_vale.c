// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the switch core and the learning bridge, in user space:
 * ports are uports (rings in ordinary memory), syncs are called directly.
 * Built and run as is and under AddressSanitizer/UBSan (make check-unit).
 */
#include <pthread.h>
#include <stdbool.h>

#include "../../lookup-modules/learn/learn.h"
#include "../../vale/vale.h"
#include <vale/uport.h>
#include "check.h"

int check_passed, check_failed;

static const u8 BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static void mac_of(u8 mac[6], u32 host)
{
	mac[0] = 0x02;	/* locally administered unicast */
	mac[1] = 0;
	mac[2] = host >> 24;
	mac[3] = host >> 16;
	mac[4] = host >> 8;
	mac[5] = host;
}

/* An Ethernet frame from src to dst carrying seq and a fill pattern. */
static u16 frame(u8 *f, const u8 dst[6], const u8 src[6], u32 seq, u16 len)
{
	u16 i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;	/* local experimental EtherType */
	memcpy(f + 14, &seq, 4);
	for (i = 18; i < len; i++)
		f[i] = (u8)(seq + i);
	return len;
}

static bool frame_ok(const u8 *f, int len, u16 want_len, u32 *seq)
{
	int i;

	*seq = 0xffffffff;
	if (len != want_len)
		return false;
	memcpy(seq, f + 14, 4);
	for (i = 18; i < len; i++)
		if (f[i] != (u8)(*seq + i))
			return false;
	return true;
}

static struct vale_switch *make_switch(const char *name)
{
	struct vale_switch *sw = NULL;

	vale_core_lock();
	CHECK_EQ(vale_switch_create(name, &sw), 0);
	sw->persistent = true;	/* tests destroy it explicitly */
	vale_core_unlock();
	return sw;
}

static struct uport *add_port(struct vale_switch *sw, const char *name, u16 rings, u32 slots)
{
	struct uport *up = uport_new(name, rings, rings, slots);

	CHECK(up != NULL);
	vale_core_lock();
	CHECK_EQ(vale_port_attach(sw, up->vp), 0);
	vale_core_unlock();
	return up;
}

static void del_port(struct uport *up)
{
	vale_core_lock();
	vale_port_detach(up->vp);
	vale_core_unlock();
	uport_free(up);
}

static void del_switch(struct vale_switch *sw)
{
	vale_core_lock();
	sw->persistent = false;
	vale_switch_put_if_unused(sw);
	vale_core_unlock();
}

/* Send one frame from up (ring 0) and forward it. */
static void send1(struct uport *up, const u8 dst[6], const u8 src[6], u32 seq, u16 len)
{
	u8 f[2048];

	CHECK_EQ(uport_send(up, 0, f, frame(f, dst, src, seq, len)), 0);
	uport_txsync(up, 0);
}

static int recv_count(struct uport *up)
{
	uport_rxsync(up, 0);
	return (int)uport_rx_pending(up, 0);
}

static void test_unicast_both_ways_intact(void)
{
	struct vale_switch *sw = make_switch("valeT1");
	struct uport *a = add_port(sw, "a", 1, 256), *b = add_port(sw, "b", 1, 256);
	u8 ma[6], mb[6], f[2048];
	u16 sizes[] = { 60, 61, 128, 1514, 2048 };
	u32 i, seq;
	int len;

	mac_of(ma, 1);
	mac_of(mb, 2);
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		send1(a, mb, ma, i, sizes[i]);
		uport_rxsync(b, 0);
		len = uport_recv(b, 0, f, sizeof(f));
		CHECK(frame_ok(f, len, sizes[i], &seq));
		CHECK_EQ(seq, i);
		send1(b, ma, mb, 100 + i, sizes[i]);
		uport_rxsync(a, 0);
		len = uport_recv(a, 0, f, sizeof(f));
		CHECK(frame_ok(f, len, sizes[i], &seq));
		CHECK_EQ(seq, 100 + i);
	}
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static void test_learning_steers_unicast(void)
{
	struct vale_switch *sw = make_switch("valeT2");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	struct uport *c = add_port(sw, "c", 1, 64);
	u8 ma[6], mb[6];

	mac_of(ma, 1);
	mac_of(mb, 2);
	/* Unknown destination: flooded to b and c, never back to a. */
	send1(a, mb, ma, 1, 60);
	CHECK_EQ(recv_count(b), 1);
	CHECK_EQ(recv_count(c), 1);
	CHECK_EQ(recv_count(a), 0);
	uport_drain(b);
	uport_drain(c);
	/* b answers: a is known, so only a gets it; then b is known too. */
	send1(b, ma, mb, 2, 60);
	CHECK_EQ(recv_count(a), 1);
	CHECK_EQ(recv_count(c), 0);
	send1(a, mb, ma, 3, 60);
	CHECK_EQ(recv_count(b), 1);
	CHECK_EQ(recv_count(c), 0);
	del_port(a);
	del_port(b);
	del_port(c);
	del_switch(sw);
}

static void test_broadcast_reaches_all_but_sender(void)
{
	struct vale_switch *sw = make_switch("valeT3");
	struct uport *p[8];
	u8 m[6];
	char name[8];
	int i;

	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "p%d", i);
		p[i] = add_port(sw, name, 1, 64);
	}
	mac_of(m, 7);
	send1(p[3], BCAST, m, 1, 60);
	for (i = 0; i < 8; i++)
		CHECK_EQ(recv_count(p[i]), i == 3 ? 0 : 1);
	/* The top indexes leave, then one comes back: a broadcast follows. */
	del_port(p[7]);
	del_port(p[6]);
	send1(p[3], BCAST, m, 2, 60);
	for (i = 0; i < 6; i++)
		CHECK_EQ(recv_count(p[i]), i == 3 ? 0 : 2);
	p[6] = add_port(sw, "q6", 1, 64);
	send1(p[3], BCAST, m, 3, 60);
	for (i = 0; i < 7; i++)
		CHECK_EQ(recv_count(p[i]), i == 3 ? 0 : i == 6 ? 1 : 3);
	for (i = 0; i < 7; i++)
		del_port(p[i]);
	del_switch(sw);
}

static void test_full_destination_drops_and_counts(void)
{
	struct vale_switch *sw = make_switch("valeT4");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	struct vale_port_stats st;
	u8 ma[6], mb[6], f[128];
	int i, sent = 0;

	mac_of(ma, 1);
	mac_of(mb, 2);
	send1(b, ma, mb, 0, 60);	/* teach the bridge where b is */
	uport_drain(a);
	for (i = 0; i < 200; i++) {
		if (uport_send(a, 0, f, frame(f, mb, ma, i, 60)) == 0)
			sent++;
		uport_txsync(a, 0);	/* never blocks: b does not read */
	}
	CHECK_EQ(sent, 200);
	/* An rx ring of n slots holds n - 1 packets. */
	CHECK_EQ(recv_count(b), 63);
	vale_port_stats(b->vp, &st);
	CHECK_EQ(st.rx_pkts, 63);
	CHECK_EQ(st.drop_full, 200 - 63);
	/* Once b reads, traffic flows again. */
	uport_drain(b);
	send1(a, mb, ma, 999, 60);
	CHECK_EQ(recv_count(b), 1);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static void test_big_batches_in_order(void)
{
	struct vale_switch *sw = make_switch("valeT5");
	struct uport *a = add_port(sw, "a", 1, 4096), *b = add_port(sw, "b", 1, 4096);
	u8 ma[6], mb[6], f[2048];
	u32 i, seq, ok = 0;

	mac_of(ma, 1);
	mac_of(mb, 2);
	send1(b, ma, mb, 0, 60);
	uport_drain(a);
	for (i = 0; i < 3000; i++)
		CHECK_EQ(uport_send(a, 0, f, frame(f, mb, ma, i, 60 + i % 1400)), 0);
	CHECK_EQ(uport_txsync(a, 0), 3000);	/* several passes of VALE_BATCH */
	uport_rxsync(b, 0);
	for (i = 0; i < 3000; i++) {
		int len = uport_recv(b, 0, f, sizeof(f));

		if (frame_ok(f, len, 60 + i % 1400, &seq) && seq == i)
			ok++;
	}
	CHECK_EQ(ok, 3000);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static void test_multislot_packets_kept_whole(void)
{
	struct vale_switch *sw = make_switch("valeT6");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	u8 ma[6], mb[6], f[9000], g[9000];
	u32 seq;
	int len;

	mac_of(ma, 1);
	mac_of(mb, 2);
	send1(b, ma, mb, 0, 60);
	uport_drain(a);
	frame(f, mb, ma, 42, 5000);
	CHECK_EQ(uport_send_frags(a, 0, f, 5000, 1500), 0);	/* 4 slots */
	/* Only the first three slots are handed over: nothing moves yet. */
	a->txr[0]->head = a->txr[0]->cur = 3;
	uport_txsync(a, 0);
	CHECK_EQ(recv_count(b), 0);
	a->txr[0]->head = a->txr[0]->cur = 4;
	uport_txsync(a, 0);
	CHECK_EQ(recv_count(b), 4);
	len = uport_recv(b, 0, g, sizeof(g));
	CHECK(frame_ok(g, len, 5000, &seq));
	CHECK_EQ(seq, 42);
	/* A packet that does not fit whole is dropped whole. */
	uport_drain(b);
	for (int i = 0; i < 15; i++)
		CHECK_EQ(uport_send_frags(a, 0, f, 5000, 1500), 0);
	uport_txsync(a, 0);
	CHECK_EQ(recv_count(b), 60);	/* 15 packets of 4 in 63 slots */
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static void test_bad_slots_are_dropped(void)
{
	struct vale_switch *sw = make_switch("valeT7");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	struct vale_port_stats st;
	u8 ma[6], mb[6], f[128];
	struct netmap_ring *r = a->txr[0];
	u32 saved;

	mac_of(ma, 1);
	mac_of(mb, 2);
	uport_send(a, 0, f, frame(f, BCAST, ma, 1, 60));
	saved = r->slot[0].buf_idx;
	r->slot[0].buf_idx = 1;				/* reserved */
	uport_send(a, 0, f, frame(f, BCAST, ma, 2, 60));
	r->slot[1].buf_idx = 0x7fffffff;		/* out of the pool */
	uport_send(a, 0, f, frame(f, BCAST, ma, 3, 60));
	r->slot[2].len = 4000;				/* longer than a buffer */
	uport_send(a, 0, f, frame(f, BCAST, ma, 4, 60));	/* fine */
	uport_txsync(a, 0);
	r->slot[0].buf_idx = saved;
	vale_port_stats(a->vp, &st);
	CHECK_EQ(st.drop_bad, 3);
	CHECK_EQ(recv_count(b), 1);
	/* The receiver's broken slot gets an empty frame, nothing else. */
	uport_drain(b);
	b->rxr[0]->slot[b->rxr[0]->head].buf_idx = 99999999;
	send1(a, BCAST, ma, 5, 60);
	CHECK_EQ(recv_count(b), 1);
	CHECK_EQ(b->rxr[0]->slot[b->rxr[0]->head].len, 0);
	vale_port_stats(b->vp, &st);
	CHECK_EQ(st.drop_bad_buf, 1);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static u32 fake_now;
static u32 fake_clock(void)
{
	return fake_now;
}

static void *learn_priv(struct vale_switch *sw)
{
	return vale_deref(sw->lookup)->priv;
}

static void test_learning_moves_ages_and_forgets(void)
{
	struct vale_switch *sw = make_switch("valeT8");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	u8 mx[6], my[6];
	u16 port;

	vale_user_clock = fake_clock;
	fake_now = 1000;
	mac_of(mx, 10);
	mac_of(my, 11);
	send1(a, BCAST, mx, 1, 60);
	CHECK_EQ(learn_find(learn_priv(sw), mx, &port), 0);
	CHECK_EQ(port, a->vp->index);
	/* mx moves to b: relearned there. */
	send1(b, BCAST, mx, 2, 60);
	CHECK_EQ(learn_find(learn_priv(sw), mx, &port), 0);
	CHECK_EQ(port, b->vp->index);
	/* Ageing: not seen for longer than the ageing time, gone. */
	fake_now += LEARN_DEFAULT_AGEING + 1;
	CHECK(learn_find(learn_priv(sw), mx, &port) != 0);
	/* Detach forgets the port's entries. */
	send1(a, BCAST, my, 3, 60);
	CHECK_EQ(learn_find(learn_priv(sw), my, &port), 0);
	vale_core_lock();
	vale_port_detach(a->vp);
	vale_core_unlock();
	CHECK(learn_find(learn_priv(sw), my, &port) != 0);
	uport_free(a);
	del_port(b);
	del_switch(sw);
	vale_user_clock = NULL;
}

/*
 * A sender's memo of answers (the bridge's sender_mem) outlives its
 * batches: every change to the table reaches the next frame it sends.
 */
static void test_sender_memo_follows_the_table(void)
{
	struct vale_switch *sw = make_switch("valeT9");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	struct uport *c = add_port(sw, "c", 1, 64);
	u8 ma[6], mx[6];
	u32 seq = 0;

	vale_user_clock = fake_clock;
	fake_now = 5000;
	mac_of(ma, 1);
	mac_of(mx, 20);
#define TO(up_b, up_c) do {						\
		send1(a, mx, ma, seq++, 60);				\
		CHECK_EQ(recv_count(b), up_b);				\
		CHECK_EQ(recv_count(c), up_c);				\
		uport_drain(b);						\
		uport_drain(c);						\
	} while (0)
	TO(1, 1);			/* unknown: flooded, and remembered so */
	send1(b, BCAST, mx, seq++, 60);	/* mx appears on b */
	uport_drain(a);
	uport_drain(c);
	TO(1, 0);
	TO(1, 0);			/* from the memo */
	send1(c, BCAST, mx, seq++, 60);	/* mx moves to c */
	uport_drain(a);
	uport_drain(b);
	TO(0, 1);
	fake_now += LEARN_DEFAULT_AGEING + 1;	/* mx ages out */
	TO(1, 1);
	send1(c, BCAST, mx, seq++, 60);	/* seen again: known again */
	uport_drain(a);
	uport_drain(b);
	TO(0, 1);
	learn_set_ageing(learn_priv(sw), 1);
	fake_now += 2;
	TO(1, 1);
	learn_set_ageing(learn_priv(sw), LEARN_DEFAULT_AGEING);
	TO(0, 1);			/* its entry is young again */
	learn_flush(learn_priv(sw));
	TO(1, 1);
	send1(c, BCAST, mx, seq++, 60);
	uport_drain(a);
	uport_drain(b);
	TO(0, 1);
	vale_core_lock();
	vale_port_detach(c->vp);	/* forgets mx */
	vale_core_unlock();
	TO(1, 0);
#undef TO
	uport_free(c);
	del_port(a);
	del_port(b);
	del_switch(sw);
	vale_user_clock = NULL;
}

static void test_mac_flood_keeps_established_entries(void)
{
	struct vale_switch *sw = make_switch("valeT9");
	struct uport *a = add_port(sw, "a", 1, 1024), *b = add_port(sw, "b", 1, 64);
	struct learn_stats st;
	u8 mh[8][6], m[6], f[128];
	u16 port;
	u32 i, h;

	vale_user_clock = fake_clock;
	fake_now = 5000;
	/* Eight established hosts behind b: each seen twice. */
	for (h = 0; h < 8; h++) {
		mac_of(mh[h], 0x100 + h);
		send1(b, BCAST, mh[h], h, 60);
		send1(b, BCAST, mh[h], h, 60);
	}
	/* a floods 200000 random source MACs, each once. */
	srand(7);
	for (i = 0; i < 200000; i++) {
		mac_of(m, (u32)rand());
		m[1] = (u8)rand();
		uport_send(a, 0, f, frame(f, mh[0], m, i, 60));
		if (i % 512 == 511) {
			uport_txsync(a, 0);
			uport_drain(b);
		}
		if (i % 50000 == 0)
			fake_now++;
	}
	uport_txsync(a, 0);
	for (h = 0; h < 8; h++)
		CHECK(learn_find(learn_priv(sw), mh[h], &port) == 0 && port == b->vp->index);
	learn_get_stats(learn_priv(sw), &st);
	CHECK(st.replaced > 0);		/* the flood evicted its own entries */
	/* After ageing the flood's entries are stale and make room again. */
	fake_now += LEARN_DEFAULT_AGEING + 1;
	mac_of(m, 0xabcdef);
	send1(a, BCAST, m, 1, 60);
	CHECK_EQ(learn_find(learn_priv(sw), m, &port), 0);
	del_port(a);
	del_port(b);
	del_switch(sw);
	vale_user_clock = NULL;
}

static void test_254_ports_and_no_more(void)
{
	struct vale_switch *sw = make_switch("valeT10");
	struct uport *p[VALE_MAX_PORTS], *extra;
	char name[16];
	u8 m[6];
	u32 i, got = 0;

	for (i = 0; i < VALE_MAX_PORTS; i++) {
		snprintf(name, sizeof(name), "p%u", i);
		p[i] = add_port(sw, name, 1, 8);
	}
	extra = uport_new("extra", 1, 1, 8);
	vale_core_lock();
	CHECK_EQ(vale_port_attach(sw, extra->vp), -ENOSPC);
	CHECK_EQ(vale_port_attach(sw, p[5]->vp), -EBUSY);
	vale_core_unlock();
	uport_free(extra);
	mac_of(m, 1);
	send1(p[0], BCAST, m, 1, 60);
	for (i = 1; i < VALE_MAX_PORTS; i++)
		got += recv_count(p[i]);
	CHECK_EQ(got, VALE_MAX_PORTS - 1);
	for (i = 0; i < VALE_MAX_PORTS; i++)
		del_port(p[i]);
	del_switch(sw);
}

static void test_names(void)
{
	char sw[VALE_NAME_MAX], port[VALE_NAME_MAX];
	char longname[100];

	CHECK_EQ(vale_split_name("vale0:p1", sw, port), 0);
	CHECK(!strcmp(sw, "vale0") && !strcmp(port, "p1"));
	CHECK_EQ(vale_split_name("vale:x", sw, port), 0);
	CHECK_EQ(vale_split_name("vale0:", sw, port), -EINVAL);
	CHECK_EQ(vale_split_name("vale0", sw, port), -EINVAL);
	CHECK_EQ(vale_split_name("valx:p", sw, port), -EINVAL);
	CHECK_EQ(vale_split_name("vale0:a b", sw, port), -EINVAL);
	CHECK_EQ(vale_split_name("vale0:a:b", sw, port), -EINVAL);
	memset(longname, 'a', sizeof(longname));
	memcpy(longname, "vale0:", 6);
	longname[99] = 0;
	CHECK_EQ(vale_split_name(longname, sw, port), -EINVAL);
}

/* A module that sends everything to port 0 and counts its lookups. */
static u64 to0_lookups;
static int to0_create(void **priv, const char *name)
{
	(void)name;
	*priv = &to0_lookups;
	return 0;
}
static void to0_destroy(void *priv)
{
	(void)priv;
}
static u32 to0_lookup(void *priv, struct vale_pkt *pkt)
{
	(void)pkt;
	__atomic_fetch_add((u64 *)priv, 1, __ATOMIC_RELAXED);
	return 0;
}
static struct vale_lookup_ops to0_ops = {
	.name = "to0", .create = to0_create, .destroy = to0_destroy, .lookup = to0_lookup,
};

/* A module that sends every packet back to its input port. */
static u32 back_lookup(void *priv, struct vale_pkt *pkt)
{
	(void)priv;
	if (pkt->data[0] == 0xff)
		return VALE_BROADCAST;
	return pkt->data[0] == 0xaa ? pkt->src_port | VALE_HAIRPIN : pkt->src_port;
}
static struct vale_lookup_ops back_ops = {
	.name = "back", .create = to0_create, .destroy = to0_destroy, .lookup = back_lookup,
};

static void test_hairpin_only_when_asked(void)
{
	struct vale_switch *sw = make_switch("valeT15");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	struct vale_port_stats st;
	u8 m[6], hair[6] = { 0xaa, 0, 0, 0, 0, 1 }, plain[6] = { 0x02, 0, 0, 0, 0, 1 };

	CHECK_EQ(vale_lookup_register(&back_ops), 0);
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "back"), 0);
	vale_core_unlock();
	mac_of(m, 1);
	send1(a, plain, m, 1, 60);	/* to its own port, unasked: dropped */
	CHECK_EQ(recv_count(a), 0);
	vale_port_stats(a->vp, &st);
	CHECK_EQ(st.drop_lookup, 1);
	send1(a, hair, m, 2, 60);	/* asked: delivered back */
	CHECK_EQ(recv_count(a), 1);
	CHECK_EQ(recv_count(b), 0);
	uport_drain(a);
	{
		/* Hairpins and a broadcast in one batch: each where it belongs. */
		u8 f[128], bc[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

		uport_send(a, 0, f, frame(f, hair, m, 3, 60));
		uport_send(a, 0, f, frame(f, bc, m, 4, 60));
		uport_send(a, 0, f, frame(f, hair, m, 5, 60));
		uport_txsync(a, 0);
		CHECK_EQ(recv_count(a), 2);
		CHECK_EQ(recv_count(b), 1);
	}
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "learn"), 0);
	vale_core_unlock();
	vale_lookup_unregister(&back_ops);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

/*
 * A module that rewrites: sets the destination MAC to 02:..:ee and
 * inserts a 4-byte VLAN tag after the MAC addresses, then floods.
 */
static int tag_create(void **priv, const char *name)
{
	(void)name;
	*priv = NULL;
	return 0;
}
static u32 tag_lookup(void *priv, struct vale_pkt *pkt)
{
	(void)priv;
	if (pkt->len < 14)
		return VALE_DROP;
	memset(pkt->data, 0xee, 6);
	memmove(pkt->data + 16, pkt->data + 12, pkt->len - 12);
	pkt->data[12] = 0x81;
	pkt->data[13] = 0x00;
	pkt->data[14] = 0x00;
	pkt->data[15] = 0x07;
	pkt->hdr_len = pkt->len + 4;
	return VALE_BROADCAST;
}
static struct vale_lookup_ops tag_ops = {
	.name = "tag", .hdr_copy = 64, .create = tag_create, .destroy = to0_destroy,
	.lookup = tag_lookup,
};

static void test_module_set_and_rewrite(void)
{
	struct vale_switch *sw = make_switch("valeT11");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	u8 ma[6], f[2048], g[2048];
	int len;

	CHECK_EQ(vale_lookup_register(&to0_ops), 0);
	CHECK_EQ(vale_lookup_register(&to0_ops), -EEXIST);
	CHECK_EQ(vale_lookup_register(&tag_ops), 0);
	mac_of(ma, 1);
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "nosuch"), -ENOENT);
	CHECK_EQ(vale_switch_set_lookup(sw, "to0"), 0);
	vale_core_unlock();
	to0_lookups = 0;
	send1(b, BCAST, ma, 1, 60);	/* to port 0, which is a */
	CHECK_EQ(recv_count(a), 1);
	CHECK_EQ(to0_lookups, 1);
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "tag"), 0);
	vale_core_unlock();
	frame(f, BCAST, ma, 9, 300);
	CHECK_EQ(uport_send(a, 0, f, 300), 0);
	uport_txsync(a, 0);
	uport_rxsync(b, 0);
	len = uport_recv(b, 0, g, sizeof(g));
	CHECK_EQ(len, 304);
	CHECK(g[0] == 0xee && g[5] == 0xee && !memcmp(g + 6, ma, 6));
	CHECK(g[12] == 0x81 && g[15] == 0x07 && g[16] == 0x88 && g[17] == 0xb5);
	CHECK(!memcmp(g + 18, f + 14, 300 - 14));	/* the rest, intact */
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "learn"), 0);
	vale_core_unlock();
	vale_lookup_unregister(&to0_ops);
	vale_lookup_unregister(&tag_ops);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static void test_vnet_header_conversion(void)
{
	struct vale_switch *sw = make_switch("valeT12");
	struct uport *a = add_port(sw, "a", 1, 64), *b = add_port(sw, "b", 1, 64);
	u8 ma[6], f[2048], g[2048];
	int len;

	mac_of(ma, 1);
	b->vp->vnet_hdr_len = 12;
	/* a (no header) -> b (12-byte header): a zeroed header is added. */
	frame(f, BCAST, ma, 1, 100);
	CHECK_EQ(uport_send(a, 0, f, 100), 0);
	uport_txsync(a, 0);
	uport_rxsync(b, 0);
	len = uport_recv(b, 0, g, sizeof(g));
	CHECK_EQ(len, 112);
	CHECK(g[0] == 0 && g[11] == 0 && !memcmp(g + 12, f, 100));
	/* b (header) -> a (none): the header is stripped. */
	memset(g, 0x5a, 12);
	memcpy(g + 12, f, 100);
	CHECK_EQ(uport_send(b, 0, g, 112), 0);
	uport_txsync(b, 0);
	uport_rxsync(a, 0);
	len = uport_recv(a, 0, g, sizeof(g));
	CHECK_EQ(len, 100);
	CHECK(!memcmp(g, f, 100));
	del_port(a);
	del_port(b);
	del_switch(sw);
}

/* Several senders fill one receiver at once: the lease scheme. */
struct sender_arg {
	struct uport *up;
	u32 id, count;
	const u8 *dst;
};

static void *sender(void *p)
{
	struct sender_arg *s = p;
	u8 src[6], f[128];
	u32 i = 0;

	mac_of(src, 0x1000 + s->id);
	while (i < s->count) {
		while (i < s->count && uport_send(s->up, 0, f, frame(f, s->dst, src, i, 60)) == 0)
			i++;
		uport_txsync(s->up, 0);
	}
	return NULL;
}

static void test_lease_scheme_with_threads(void)
{
	enum { SENDERS = 4, COUNT = 100000 };
	struct vale_switch *sw = make_switch("valeT13");
	struct uport *rx = add_port(sw, "rx", 1, 1024), *tx[SENDERS];
	struct sender_arg args[SENDERS];
	pthread_t th[SENDERS];
	struct vale_port_stats st;
	u32 next[SENDERS] = { 0 }, got = 0, order_bad = 0, seq;
	u8 mrx[6], f[2048];
	char name[8];
	int i, len;
	u64 total = 0;

	mac_of(mrx, 0x99);
	for (i = 0; i < SENDERS; i++) {
		snprintf(name, sizeof(name), "tx%d", i);
		tx[i] = add_port(sw, name, 1, 512);
	}
	send1(rx, BCAST, mrx, 0, 60);	/* learn rx */
	for (i = 0; i < SENDERS; i++)
		uport_drain(tx[i]);
	for (i = 0; i < SENDERS; i++) {
		args[i] = (struct sender_arg){ tx[i], (u32)i, COUNT, mrx };
		pthread_create(&th[i], NULL, sender, &args[i]);
	}
	for (;;) {
		uport_rxsync(rx, 0);
		while ((len = uport_recv(rx, 0, f, sizeof(f))) >= 0) {
			int s = f[11] - 0x00;	/* low byte of the sender's MAC */

			CHECK(frame_ok(f, len, 60, &seq));
			if (s < 0 || s >= SENDERS || seq < next[s])
				order_bad++;
			else
				next[s] = seq + 1;
			got++;
		}
		vale_port_stats(rx->vp, &st);
		if (st.rx_pkts + st.drop_full >= (u64)SENDERS * COUNT && got == st.rx_pkts)
			break;
	}
	for (i = 0; i < SENDERS; i++)
		pthread_join(th[i], NULL);
	vale_port_stats(rx->vp, &st);
	total = st.rx_pkts + st.drop_full;
	CHECK_EQ(total, (u64)SENDERS * COUNT);	/* each packet delivered or counted */
	CHECK_EQ(got, st.rx_pkts);
	CHECK_EQ(order_bad, 0);			/* each sender's packets in order */
	CHECK(got > 0);
	for (i = 0; i < SENDERS; i++)
		del_port(tx[i]);
	del_port(rx);
	del_switch(sw);
}

/* Swap the module while senders run: no crash, nothing lost uncounted. */
static volatile int swap_stop;
static void *swap_sender(void *p)
{
	struct uport *up = p;
	u8 src[6], f[128];

	mac_of(src, 0x4242);
	while (!swap_stop) {
		while (uport_send(up, 0, f, frame(f, BCAST, src, 1, 60)) == 0)
			;
		uport_txsync(up, 0);
	}
	return NULL;
}

static void test_module_swap_under_traffic(void)
{
	struct vale_switch *sw = make_switch("valeT14");
	struct uport *a = add_port(sw, "a", 1, 256), *b = add_port(sw, "b", 1, 256);
	struct vale_port_stats sa, sb = { 0 };
	pthread_t th;
	int i;

	CHECK_EQ(vale_lookup_register(&to0_ops), 0);
	swap_stop = 0;
	pthread_create(&th, NULL, swap_sender, b->vp->owner);
	/* Keep swapping until the sender has forwarded plenty across swaps. */
	for (i = 0; i < 2000 || sb.tx_pkts < 100000; i++) {
		vale_core_lock();
		CHECK_EQ(vale_switch_set_lookup(sw, i % 2 ? "learn" : "to0"), 0);
		vale_core_unlock();
		uport_drain(a);
		vale_port_stats(b->vp, &sb);
	}
	swap_stop = 1;
	pthread_join(th, NULL);
	uport_drain(a);
	vale_port_stats(a->vp, &sa);
	vale_port_stats(b->vp, &sb);
	CHECK_EQ(sb.tx_pkts, sa.rx_pkts + sa.drop_full + sb.drop_lookup);
	CHECK(sa.rx_pkts > 0);
	vale_core_lock();
	CHECK_EQ(vale_switch_set_lookup(sw, "learn"), 0);
	vale_core_unlock();
	vale_lookup_unregister(&to0_ops);
	del_port(a);
	del_port(b);
	del_switch(sw);
}

static int events[4];
static void count_event(struct vale_switch *sw, struct vale_port *vp, enum vale_event ev)
{
	(void)sw;
	CHECK((ev == VALE_EV_PORT_ATTACH || ev == VALE_EV_PORT_DETACH) == (vp != NULL));
	events[ev]++;
}

static void test_events_for_every_change(void)
{
	struct vale_switch *sw = NULL;
	struct uport *a = uport_new("a", 1, 1, 8), *b = uport_new("b", 1, 1, 8);

	vale_event_hook = count_event;
	vale_core_lock();
	CHECK_EQ(vale_switch_create("valeEv", &sw), 0);
	CHECK_EQ(vale_port_attach(sw, a->vp), 0);
	CHECK_EQ(vale_port_attach(sw, b->vp), 0);
	vale_port_detach(a->vp);
	vale_port_detach(b->vp);	/* the last port: the switch goes too */
	vale_core_unlock();
	vale_event_hook = NULL;
	CHECK_EQ(events[VALE_EV_SWITCH_NEW], 1);
	CHECK_EQ(events[VALE_EV_PORT_ATTACH], 2);
	CHECK_EQ(events[VALE_EV_PORT_DETACH], 2);
	CHECK_EQ(events[VALE_EV_SWITCH_DEL], 1);
	uport_free(a);
	uport_free(b);
}

/* Each event of a group's attach or detach, and how many ports its switch held then. */
#define MAX_SEEN 8
static struct {
	enum vale_event ev;
	const struct vale_port *vp;
	u16 nports;
} seen[MAX_SEEN];
static int nseen;

static void record_event(struct vale_switch *sw, struct vale_port *vp, enum vale_event ev)
{
	if (nseen < MAX_SEEN) {
		seen[nseen].ev = ev;
		seen[nseen].vp = vp;
		seen[nseen].nports = sw->nports;
	}
	nseen++;
}

/* Exactly one event ev per port of group, in order, each seeing nports ports. */
static void check_group_seen(enum vale_event ev, struct vale_port *const *group, int n, u16 nports)
{
	int i;

	CHECK_EQ(nseen, n);
	for (i = 0; i < n && i < nseen; i++) {
		CHECK_EQ(seen[i].ev, ev);
		CHECK(seen[i].vp == group[i]);
		CHECK_EQ(seen[i].nports, nports);
	}
}

/*
 * A NIC and its host stack come and go as one: both announced once both
 * are on (an event says what a PORT_GET says from then on), both
 * announced before either leaves, and a group that fails half way is
 * neither announced nor left half attached.
 */
static void test_group_attach_and_detach_are_announced_whole(void)
{
	struct vale_switch *sw = make_switch("valeGrp");
	struct uport *nic = uport_new("eth0", 1, 1, 8), *host = uport_new("eth0^", 1, 1, 8);
	struct uport *clash = uport_new("eth0^", 1, 1, 8), *elsewhere;
	struct vale_port *group[2] = { nic->vp, host->vp };
	struct vale_switch *other;

	vale_event_hook = record_event;
	nseen = 0;
	vale_core_lock();
	CHECK_EQ(vale_ports_attach(sw, group, 2), 0);
	vale_core_unlock();
	check_group_seen(VALE_EV_PORT_ATTACH, group, 2, 2);
	CHECK_EQ(nic->vp->index, 0);
	CHECK_EQ(host->vp->index, 1);

	nseen = 0;
	vale_core_lock();
	vale_ports_detach(group, 2);
	CHECK(vale_deref_ctl(nic->vp->sw, &vale_lock) == NULL);
	CHECK(vale_deref_ctl(host->vp->sw, &vale_lock) == NULL);
	vale_core_unlock();
	check_group_seen(VALE_EV_PORT_DETACH, group, 2, 2);
	CHECK_EQ(sw->nports, 0);
	CHECK_EQ(sw->port_limit, 0);

	/* the host port's name is taken: the NIC, on first, comes off unannounced */
	vale_core_lock();
	CHECK_EQ(vale_port_attach(sw, clash->vp), 0);
	nseen = 0;
	CHECK_EQ(vale_ports_attach(sw, group, 2), -EEXIST);
	CHECK_EQ(nseen, 0);
	CHECK(vale_deref_ctl(nic->vp->sw, &vale_lock) == NULL);
	CHECK(vale_deref_ctl(sw->ports[1], &vale_lock) == NULL);
	CHECK_EQ(sw->nports, 1);
	CHECK_EQ(sw->port_limit, 1);

	/* ports of two switches are no group: nothing happens */
	CHECK_EQ(vale_switch_create("valeGrp2", &other), 0);
	elsewhere = uport_new("p", 1, 1, 8);
	CHECK_EQ(vale_port_attach(other, elsewhere->vp), 0);
	group[1] = elsewhere->vp;
	group[0] = clash->vp;
	nseen = 0;
	vale_ports_detach(group, 2);
	CHECK_EQ(nseen, 0);
	CHECK_EQ(sw->nports, 1);
	CHECK_EQ(other->nports, 1);
	vale_port_detach(elsewhere->vp);	/* the last port: valeGrp2 goes */
	vale_port_detach(clash->vp);
	vale_core_unlock();
	vale_event_hook = NULL;
	uport_free(elsewhere);
	uport_free(clash);
	uport_free(host);
	uport_free(nic);
	del_switch(sw);
}

int main(void)
{
	CHECK_EQ(vale_core_init(), 0);
	RUN(test_names);
	RUN(test_unicast_both_ways_intact);
	RUN(test_learning_steers_unicast);
	RUN(test_broadcast_reaches_all_but_sender);
	RUN(test_full_destination_drops_and_counts);
	RUN(test_big_batches_in_order);
	RUN(test_multislot_packets_kept_whole);
	RUN(test_bad_slots_are_dropped);
	RUN(test_learning_moves_ages_and_forgets);
	RUN(test_sender_memo_follows_the_table);
	RUN(test_mac_flood_keeps_established_entries);
	RUN(test_254_ports_and_no_more);
	RUN(test_module_set_and_rewrite);
	RUN(test_vnet_header_conversion);
	RUN(test_lease_scheme_with_threads);
	RUN(test_module_swap_under_traffic);
	RUN(test_events_for_every_change);
	RUN(test_group_attach_and_detach_are_announced_whole);
	RUN(test_hairpin_only_when_asked);
	vale_core_exit();
	return check_summary();
}
