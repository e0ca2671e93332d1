// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ofswitch in user space (make check-of): the parser on
 * known frames, the classifier and the exact-match cache against a
 * brute-force priority scan on random tables and packets (with adds and
 * deletes in between), actions with the exact bytes they produce,
 * counters, timeouts on a driven clock, lookups racing table changes, and
 * forwarding through a user-space switch with uports.
 */
#include <sched.h>

#include "../../tests/user/check.h"
#include <vale/uport.h>
#include "of_priv.h"

int check_passed, check_failed;

static u32 fake_now;
static u32 fake_clock(void)
{
	return fake_now;
}

static u64 rnd_state = 88172645463325252ULL;
static u32 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (u32)(rnd_state >> 16);
}

/* ------------------------------------------------------- frame builder */
struct pkt_desc {
	u8 dst[6], src[6];
	int vid;		/* -1: untagged */
	u16 type;
	u8 proto;
	u8 sip[16], dip[16];
	u16 sport, dport;
};

static u32 build(const struct pkt_desc *p, u8 *f)
{
	u32 o = 12;

	memset(f, 0, 128);
	memcpy(f, p->dst, 6);
	memcpy(f + 6, p->src, 6);
	if (p->vid >= 0) {
		f[o] = 0x81;
		f[o + 2] = p->vid >> 8;
		f[o + 3] = (u8)p->vid;
		o += 4;
	}
	f[o] = p->type >> 8;
	f[o + 1] = (u8)p->type;
	o += 2;
	if (p->type == 0x0800) {
		f[o] = 0x45;
		f[o + 9] = p->proto;
		memcpy(f + o + 12, p->sip, 4);
		memcpy(f + o + 16, p->dip, 4);
		o += 20;
	} else if (p->type == 0x86dd) {
		f[o] = 0x60;
		f[o + 6] = p->proto;
		memcpy(f + o + 8, p->sip, 16);
		memcpy(f + o + 24, p->dip, 16);
		o += 40;
	} else {
		return 60;
	}
	f[o] = p->sport >> 8;
	f[o + 1] = (u8)p->sport;
	f[o + 2] = p->dport >> 8;
	f[o + 3] = (u8)p->dport;
	return o + 20 < 60 ? 60 : o + 20;
}

/* One lookup on a table, outside a switch: where, and the head after. */
static u32 run(struct of_table *t, const u8 *frame, u32 len, u16 in_port, u8 *out, u32 *out_len)
{
	u8 buf[VALE_HDR_MAX];
	struct vale_pkt pkt;
	u32 copy = min(len, (u32)OF_HDR_COPY), d;

	memcpy(buf, frame, copy);
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = buf;
	pkt.len = pkt.hdr_len = copy;
	pkt.total_len = len;
	pkt.src_port = in_port;
	d = of_ops.lookup(t, &pkt);
	if (out) {
		memcpy(out, buf, pkt.hdr_len);
		memcpy(out + pkt.hdr_len, frame + copy, len - copy);
		*out_len = pkt.hdr_len + len - copy;
	}
	return d;
}

static struct of_table *new_table(void)
{
	void *priv = NULL;

	CHECK(of_ops.create(&priv, "valeof") == 0);
	return priv;
}

static void spec_action(struct of_flow_spec *s, u16 type, u32 port)
{
	s->actions[s->n_actions].type = type;
	s->actions[s->n_actions].port = port;
	s->n_actions++;
}

static void match_ip_prefix(struct of_match *m, bool dst, const u8 *addr, u32 bytes, u32 plen)
{
	u8 *k = dst ? m->key.ip_dst : m->key.ip_src, *mk = dst ? m->mask.ip_dst : m->mask.ip_src;
	u32 i;

	memset(k, 0, 16);
	memset(mk, 0, 16);
	for (i = 0; i < bytes; i++) {
		u32 bits = plen > 8 * i ? min(plen - 8 * i, 8u) : 0;

		mk[i] = bits ? (u8)(0xff << (8 - bits)) : 0;
		k[i] = addr[i] & mk[i];
	}
}

/* ------------------------------------------------------------- parser */
static void test_parse(void)
{
	struct pkt_desc p = { .dst = { 2, 0, 0, 0, 0, 1 }, .src = { 2, 0, 0, 0, 0, 2 }, .vid = 7,
			      .type = 0x0800, .proto = 6, .sip = { 10, 0, 0, 1 },
			      .dip = { 10, 0, 0, 2 }, .sport = 1234, .dport = 80 };
	struct of_key k;
	u8 f[128];
	u32 len = build(&p, f), cut;

	CHECK(of_parse(f, len, 3, &k) == 0);
	CHECK_EQ(k.in_port, 3);
	CHECK_EQ(k.vlan, OF_VLAN_PRESENT | 7);
	CHECK_EQ(k.eth_type, 0x0800);
	CHECK_EQ(k.ip_proto, 6);
	CHECK(!memcmp(k.ip_src, p.sip, 4) && !memcmp(k.ip_dst, p.dip, 4));
	CHECK_EQ(k.tp_src, 1234);
	CHECK_EQ(k.tp_dst, 80);
	CHECK(of_parse(f, 13, 0, &k) == -EINVAL);
	/* Cut anywhere: no fields past the cut. */
	for (cut = 14; cut < len; cut++) {
		CHECK(of_parse(f, cut, 0, &k) == 0);
		if (cut < 18 + 20)
			CHECK(k.ip_proto == 0 && k.ip_src[0] == 0);
		if (cut < 18 + 24)
			CHECK(k.tp_dst == 0);
	}
	/* IPv6 with hop-by-hop and fragment (first) headers before UDP. */
	p.vid = -1;
	p.type = 0x86dd;
	p.proto = 0;
	len = build(&p, f);
	memmove(f + 14 + 40 + 16, f + 14 + 40, 8);
	memset(f + 54, 0, 16);
	f[54] = 44;		/* hop-by-hop, next: fragment */
	f[62] = 17;		/* fragment, next: UDP, offset 0 */
	f[70] = 0x12;		/* UDP source port 0x1234 */
	f[71] = 0x34;
	CHECK(of_parse(f, 78, 0, &k) == 0);
	CHECK_EQ(k.ip_proto, 17);
	CHECK_EQ(k.tp_src, 0x1234);
	f[64] = 0x01;		/* a later fragment: no ports */
	CHECK(of_parse(f, 78, 0, &k) == 0);
	CHECK(k.ip_proto == 17 && k.tp_src == 0);
	/* IPv4 with a bad IHL. */
	p.type = 0x0800;
	p.proto = 6;
	len = build(&p, f);
	f[14] = 0x43;
	CHECK(of_parse(f, len, 0, &k) == 0 && k.ip_proto == 0 && k.ip_src[0] == 0);
}

/* ------------------------------------------- classifier vs brute force */
#define RT_FLOWS	300

struct ref_flow {
	bool live;
	struct of_flow_spec s;
	u64 seq;
};

static void random_desc(struct pkt_desc *p)
{
	static const u16 types[] = { 0x0800, 0x86dd, 0x0806 };
	static const u8 protos[] = { 6, 17, 1, 47 };
	static const u16 ports[] = { 53, 80, 443, 1000 };
	u32 i;

	memset(p, 0, sizeof(*p));
	p->dst[0] = p->src[0] = 2;
	p->dst[5] = rnd() % 4;
	p->src[5] = rnd() % 4;
	p->vid = rnd() % 3 == 0 ? -1 : (int)(rnd() % 3) * 10;
	p->type = types[rnd() % 3];
	p->proto = protos[rnd() % 4];
	for (i = 0; i < 16; i++) {
		p->sip[i] = i < 2 ? 10 : rnd() % 3;
		p->dip[i] = i < 2 ? 10 : rnd() % 3;
	}
	p->sport = ports[rnd() % 4];
	p->dport = ports[rnd() % 4];
}

static void random_spec(struct of_flow_spec *s, u32 id)
{
	struct pkt_desc p;
	struct of_key k;
	u8 f[128];
	u32 r = rnd(), bytes;

	memset(s, 0, sizeof(*s));
	random_desc(&p);
	of_parse(f, build(&p, f), rnd() % 4, &k);
	s->match.key = k;
	if (r & 1)
		s->match.mask.in_port = 0xffff;
	if (r & 2)
		memset(s->match.mask.eth_dst, 0xff, 6);
	if (r & 4)
		memset(s->match.mask.eth_src, 0xff, 6);
	if (r & 8)
		s->match.mask.vlan = OF_VLAN_PRESENT | OF_VLAN_VID;
	if ((r & 16) && k.eth_type != 0x0806) {
		s->match.mask.eth_type = 0xffff;
		bytes = k.eth_type == 0x0800 ? 4 : 16;
		if (r & 32)
			match_ip_prefix(&s->match, false, k.ip_src, bytes, rnd() % (8 * bytes + 1));
		if (r & 64)
			match_ip_prefix(&s->match, true, k.ip_dst, bytes, rnd() % (8 * bytes + 1));
		if (r & 128) {
			s->match.mask.ip_proto = 0xff;
			if (k.ip_proto != 47 && (r & 256))
				s->match.mask.tp_dst = 0xffff;
			if (k.ip_proto != 47 && (r & 512))
				s->match.mask.tp_src = 0xffff;
		}
	} else if (r & 16) {
		s->match.mask.eth_type = 0xffff;
	}
	s->priority = rnd() % 8;	/* many ties: the older flow must win */
	s->actions[0].type = OF_ACT_SET_ETH_SRC;
	s->actions[0].mac[0] = 0xee;
	s->actions[0].mac[4] = id >> 8;
	s->actions[0].mac[5] = (u8)id;
	s->actions[1].type = OF_ACT_OUTPUT;
	s->actions[1].port = 1 + id % 200;
	s->n_actions = 2;
}

static int ref_lookup(const struct ref_flow *rf, u32 n, const struct of_key *k)
{
	int best = -1;
	u32 i, w;

	for (i = 0; i < n; i++) {
		const struct of_match *m = &rf[i].s.match;
		bool ok = rf[i].live;

		for (w = 0; ok && w < OF_KEY_WORDS; w++)
			ok = ((k->w[w] ^ m->key.w[w]) & m->mask.w[w]) == 0;
		if (!ok)
			continue;
		if (best < 0 || rf[i].s.priority > rf[best].s.priority ||
		    (rf[i].s.priority == rf[best].s.priority && rf[i].seq < rf[best].seq))
			best = i;
	}
	return best;
}

/* A live flow with the same match and priority as rf[j] (adding rf[j]
 * would replace it, not add one). */
static bool ref_live_twin(const struct ref_flow *rf, u32 n, u32 j)
{
	u32 i, w;

	for (i = 0; i < n; i++) {
		bool same = i != j && rf[i].live && rf[i].s.priority == rf[j].s.priority;

		for (w = 0; same && w < OF_KEY_WORDS; w++)
			same = rf[i].s.match.mask.w[w] == rf[j].s.match.mask.w[w] &&
			       ((rf[i].s.match.key.w[w] ^ rf[j].s.match.key.w[w]) &
				rf[j].s.match.mask.w[w]) == 0;
		if (same)
			return true;
	}
	return false;
}

/*
 * Batches of 64 frames drawn from 16 (so the cache sees repeats within and
 * across batches) through .lookup_batch, which works in chunks and passes,
 * against the reference; the table changes between batches. Returns the
 * number of wrong answers.
 */
static u32 batches_vs_brute_force(struct of_table *t, struct ref_flow *rf, u32 n, u64 *seq,
				  u32 *checked)
{
	static u8 bufs[64][VALE_HDR_MAX];
	struct pkt_desc pool[16];
	struct vale_pkt pk[64];
	u32 dst[64], pick[64], lens[16], b, i, bad = 0;
	u8 frames[16][128];
	const char *why;

	for (i = 0; i < 16; i++) {
		random_desc(&pool[i]);
		lens[i] = build(&pool[i], frames[i]);
	}
	for (b = 0; b < 60; b++) {
		for (i = 0; i < 64; i++) {
			pick[i] = rnd() % 16;
			memcpy(bufs[i], frames[pick[i]], lens[pick[i]]);
			memset(&pk[i], 0, sizeof(pk[i]));
			pk[i].data = bufs[i];
			pk[i].len = pk[i].hdr_len = lens[pick[i]];
			pk[i].total_len = lens[pick[i]];
			pk[i].src_port = pick[i] % 4;
		}
		of_ops.lookup_batch(t, pk, dst, 64);
		for (i = 0; i < 64; i++) {
			struct of_key k;
			u32 want = VALE_DROP;
			int best;

			of_parse(frames[pick[i]], lens[pick[i]], pick[i] % 4, &k);
			best = ref_lookup(rf, n, &k);
			if (best >= 0)
				want = rf[best].s.actions[1].port;
			(*checked)++;
			if (dst[i] != want || (best >= 0 && memcmp(bufs[i] + 6, rf[best].s.actions[0].mac, 6)))
				bad++;
		}
		if (b % 3 == 0) {
			u32 j = rnd() % n;

			if (rf[j].live && of_flow_del(t, &rf[j].s, true, &why) == 1) {
				rf[j].live = false;
			} else if (!rf[j].live && !ref_live_twin(rf, n, j) &&
				   !of_flow_add(t, &rf[j].s, &why)) {
				rf[j].live = true;
				rf[j].seq = ++*seq;
			}
		}
	}
	return bad;
}

static void test_classifier_vs_brute_force(void)
{
	static struct ref_flow rf[RT_FLOWS];
	u32 round, i, mismatches = 0, checked = 0;
	u64 seq = 0;

	for (round = 0; round < 6; round++) {
		struct of_table *t = new_table();
		u32 n = round < 2 ? 20 : RT_FLOWS;
		const char *why;

		of_set_emc(t, round & 1);
		memset(rf, 0, sizeof(rf));
		for (i = 0; i < n; i++) {
			random_spec(&rf[i].s, i);
			if (of_flow_add(t, &rf[i].s, &why) == 0) {
				u32 j, w;

				/* A duplicate of match and priority replaces. */
				for (j = 0; j < i; j++) {
					bool same = rf[j].live && rf[j].s.priority == rf[i].s.priority;

					for (w = 0; same && w < OF_KEY_WORDS; w++)
						same = rf[j].s.match.mask.w[w] == rf[i].s.match.mask.w[w] &&
						       ((rf[j].s.match.key.w[w] ^ rf[i].s.match.key.w[w]) &
							rf[i].s.match.mask.w[w]) == 0;
					if (same)
						break;
				}
				if (j < i) {
					rf[j].s.actions[0] = rf[i].s.actions[0];
					rf[j].s.actions[1] = rf[i].s.actions[1];
				} else {
					rf[i].live = true;
					rf[i].seq = ++seq;
				}
			} else {
				fprintf(stderr, "add refused: %s\n", why);
				check_failed++;
			}
		}
		for (i = 0; i < 4000; i++) {
			struct pkt_desc p;
			struct of_key k;
			u8 f[128], out[VALE_HDR_MAX + 128];
			u32 len, olen, d, in = rnd() % 4, want_d = VALE_DROP;
			int best;

			random_desc(&p);
			len = build(&p, f);
			of_parse(f, len, in, &k);
			best = ref_lookup(rf, n, &k);
			d = run(t, f, len, in, out, &olen);
			if (best >= 0)
				want_d = rf[best].s.actions[1].port;
			checked++;
			if (d != want_d || (best >= 0 && memcmp(out + 6, rf[best].s.actions[0].mac, 6)))
				mismatches++;
			/* Now and then change the table: the cache must follow. */
			if (i % 97 == 0) {
				u32 j = rnd() % n;

				if (rf[j].live && !of_flow_del(t, &rf[j].s, true, &why)) {
					mismatches++;
				} else if (rf[j].live) {
					rf[j].live = false;
				} else if (!ref_live_twin(rf, n, j) && !of_flow_add(t, &rf[j].s, &why)) {
					rf[j].live = true;
					rf[j].seq = ++seq;
				}
			}
		}
		mismatches += batches_vs_brute_force(t, rf, n, &seq, &checked);
		/* Non-strict delete of everything matching in_port 0. */
		{
			struct of_flow_spec s;
			u32 before = t->n_flows, want = 0;
			int got;

			memset(&s, 0, sizeof(s));
			s.match.mask.in_port = 0xffff;
			for (i = 0; i < n; i++)
				if (rf[i].live && rf[i].s.match.mask.in_port && rf[i].s.match.key.in_port == 0)
					want++;
			got = of_flow_del(t, &s, false, &why);
			CHECK_EQ(got, want);
			CHECK_EQ(t->n_flows, before - want);
		}
		of_ops.destroy(t);
	}
	printf("  %u lookups compared, %u mismatches\n", checked, mismatches);
	CHECK_EQ(mismatches, 0);
}

/* ---------------------------------------------------- actions, counters */
static void test_actions(void)
{
	struct pkt_desc p = { .dst = { 2, 0, 0, 0, 0, 1 }, .src = { 2, 0, 0, 0, 0, 2 }, .vid = -1,
			      .type = 0x0800, .proto = 17, .sip = { 10, 0, 0, 1 },
			      .dip = { 10, 0, 0, 2 }, .sport = 5, .dport = 53 };
	struct of_table *t = new_table();
	struct of_flow_spec s;
	const char *why;
	u8 f[128], tagged[128], out[VALE_HDR_MAX + 128];
	u32 len, olen, tlen;
	u8 newmac[6] = { 0x0a, 1, 2, 3, 4, 5 };

	len = build(&p, f);
	/* Default miss rule: drop. */
	CHECK_EQ(run(t, f, len, 0, NULL, NULL), VALE_DROP);

	/* Push VLAN 100 then output 2. */
	memset(&s, 0, sizeof(s));
	s.match.key.in_port = 0;
	s.match.mask.in_port = 0xffff;
	s.actions[0].type = OF_ACT_PUSH_VLAN;
	s.actions[0].arg16 = 100;
	s.n_actions = 1;
	spec_action(&s, OF_ACT_OUTPUT, 2);
	CHECK(of_flow_add(t, &s, &why) == 0);
	CHECK_EQ(run(t, f, len, 0, out, &olen), 2);
	CHECK_EQ(olen, len + 4);
	CHECK(!memcmp(out, f, 12) && out[12] == 0x81 && out[13] == 0 && out[14] == 0 &&
	      out[15] == 100 && !memcmp(out + 16, f + 12, len - 12));

	/* Pop on a tagged frame gives the untagged one back. */
	p.vid = 100;
	tlen = build(&p, tagged);
	s.match.key.in_port = 1;
	s.actions[0].type = OF_ACT_POP_VLAN;
	CHECK(of_flow_add(t, &s, &why) == 0);
	CHECK_EQ(run(t, tagged, tlen, 1, out, &olen), 2);
	CHECK_EQ(olen, tlen - 4);
	CHECK(!memcmp(out, tagged, 12) && !memcmp(out + 12, tagged + 16, tlen - 16));

	/* Set VID and both MACs. */
	s.match.key.in_port = 3;
	s.actions[0].type = OF_ACT_SET_VLAN;
	s.actions[0].arg16 = 0xabc;
	s.actions[1].type = OF_ACT_SET_ETH_SRC;
	memcpy(s.actions[1].mac, newmac, 6);
	s.actions[2].type = OF_ACT_SET_ETH_DST;
	memcpy(s.actions[2].mac, newmac, 6);
	s.actions[3].type = OF_ACT_OUTPUT;
	s.actions[3].port = 7;
	s.n_actions = 4;
	CHECK(of_flow_add(t, &s, &why) == 0);
	CHECK_EQ(run(t, tagged, tlen, 3, out, &olen), 7);
	CHECK_EQ(olen, tlen);
	CHECK(!memcmp(out, newmac, 6) && !memcmp(out + 6, newmac, 6));
	CHECK(out[14] == 0x0a && out[15] == 0xbc && !memcmp(out + 16, tagged + 16, tlen - 16));

	/* Flood, drop, controller (unconfigured: drop; configured: there). */
	memset(&s, 0, sizeof(s));
	s.match.key.in_port = 4;
	s.match.mask.in_port = 0xffff;
	spec_action(&s, OF_ACT_FLOOD, 0);
	CHECK(of_flow_add(t, &s, &why) == 0);
	CHECK_EQ(run(t, f, len, 4, NULL, NULL), VALE_BROADCAST);
	s.actions[0].type = OF_ACT_DROP;
	CHECK(of_flow_mod(t, &s, true, &why) == 1);
	CHECK_EQ(run(t, f, len, 4, NULL, NULL), VALE_DROP);
	s.actions[0].type = OF_ACT_CONTROLLER;
	CHECK(of_flow_mod(t, &s, false, &why) == 1);
	CHECK_EQ(run(t, f, len, 4, NULL, NULL), VALE_DROP);
	CHECK(of_set_controller(t, 9, &why) == 0);
	CHECK_EQ(run(t, f, len, 4, out, &olen), 9);
	CHECK(olen == len && !memcmp(out, f, len));
	/* Table miss configured to the controller. */
	CHECK(of_set_miss(t, s.actions, 1, &why) == 0);
	CHECK_EQ(run(t, f, len, 5, NULL, NULL), 9);

	/* Refused specs. */
	s.actions[1].type = OF_ACT_SET_ETH_SRC;
	s.n_actions = 2;
	CHECK(of_flow_add(t, &s, &why) == -EINVAL && why);
	memset(&s, 0, sizeof(s));
	s.match.mask.tp_dst = 0xffff;
	CHECK(of_flow_add(t, &s, &why) == -EINVAL && why);
	memset(&s, 0, sizeof(s));
	s.match.mask.ip_src[0] = 0xf0;
	CHECK(of_flow_add(t, &s, &why) == -EINVAL && why);
	s.match.mask.eth_type = 0xffff;
	s.match.key.eth_type = 0x0800;
	s.match.mask.ip_src[0] = 0x0f;
	CHECK(of_flow_add(t, &s, &why) == -EINVAL && why);
	of_ops.destroy(t);
}

static void test_counters_and_timeouts(void)
{
	struct pkt_desc p = { .dst = { 2, 0, 0, 0, 0, 1 }, .src = { 2, 0, 0, 0, 0, 2 }, .vid = -1,
			      .type = 0x0800, .proto = 6, .sip = { 10, 0, 0, 1 },
			      .dip = { 10, 0, 0, 2 }, .sport = 5, .dport = 80 };
	struct of_table *t;
	struct of_flow_spec s;
	struct of_flow_info fi;
	struct of_table_info ti;
	const char *why;
	u8 f[128];
	u32 len = build(&p, f), i;
	u64 pos;

	vale_user_clock = fake_clock;
	fake_now = 1000;
	t = new_table();
	memset(&s, 0, sizeof(s));
	s.match.key.eth_type = 0x0800;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_proto = 6;
	s.match.mask.ip_proto = 0xff;
	s.match.key.tp_dst = 80;
	s.match.mask.tp_dst = 0xffff;
	s.priority = 10;
	s.hard_timeout = 10;
	spec_action(&s, OF_ACT_OUTPUT, 1);
	CHECK(of_flow_add(t, &s, &why) == 0);
	s.priority = 5;			/* under it: idle 15 s */
	s.hard_timeout = 0;
	s.idle_timeout = 15;
	s.actions[0].port = 2;
	CHECK(of_flow_add(t, &s, &why) == 0);
	for (i = 0; i < 3; i++)
		CHECK_EQ(run(t, f, len, 0, NULL, NULL), 1);
	pos = 0;
	CHECK(of_flow_next(t, &pos, &fi) == 1);
	CHECK(fi.packets == 3 && fi.bytes == 3 * len && fi.spec.priority == 10);
	CHECK(of_flow_next(t, &pos, &fi) == 1 && fi.packets == 0);
	CHECK(of_flow_next(t, &pos, &fi) == 0);
	fake_now = 1009;
	CHECK_EQ(run(t, f, len, 0, NULL, NULL), 1);
	fake_now = 1010;		/* hard timeout: the idle flow under it */
	CHECK_EQ(run(t, f, len, 0, NULL, NULL), 2);
	fake_now = 1024;		/* hit 14 s after the last one */
	CHECK_EQ(run(t, f, len, 0, NULL, NULL), 2);
	fake_now = 1039;		/* idle for 15 s */
	CHECK_EQ(run(t, f, len, 0, NULL, NULL), VALE_DROP);
	of_table_info(t, &ti);
	CHECK(ti.n_flows == 2 && ti.miss_packets == 1 && ti.miss_bytes == len);
	CHECK_EQ(of_expire(t), 2);
	of_table_info(t, &ti);
	CHECK_EQ(ti.n_flows, 0);
	CHECK_EQ(ti.n_subtables, 0);
	of_ops.destroy(t);
	vale_user_clock = NULL;
}

/* -------------------------------------------- lookups racing changes */
struct racer {
	struct of_table *t;
	volatile bool stop;
	u64 lookups;
};

static void *race_lookups(void *arg)
{
	struct racer *r = arg;
	struct pkt_desc p;
	u8 f[64][128], bufs[64][VALE_HDR_MAX];
	struct vale_pkt pk[64];
	u32 dst[64], i, lens[64];

	for (i = 0; i < 64; i++) {
		random_desc(&p);
		lens[i] = build(&p, f[i]);
	}
	while (!r->stop) {
		for (i = 0; i < 64; i++) {
			memcpy(bufs[i], f[i], lens[i]);
			memset(&pk[i], 0, sizeof(pk[i]));
			pk[i].data = bufs[i];
			pk[i].len = pk[i].hdr_len = lens[i];
			pk[i].total_len = lens[i];
			pk[i].src_port = i % 4;
		}
		vale_read_lock();
		of_ops.lookup_batch(r->t, pk, dst, 64);
		vale_read_unlock();
		__atomic_fetch_add(&r->lookups, 64, __ATOMIC_RELAXED);
	}
	return NULL;
}

static void test_race(void)
{
	struct racer r = { .t = new_table() };
	static struct of_flow_spec s[64];
	pthread_t th[2];
	const char *why;
	u32 i, j;

	for (i = 0; i < 64; i++)
		random_spec(&s[i], i);
	for (i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, race_lookups, &r);
	/* Changes only once lookups run, or a fast writer races nothing. */
	while (!__atomic_load_n(&r.lookups, __ATOMIC_RELAXED))
		sched_yield();
	for (j = 0; j < 3000; j++) {
		i = rnd() % 64;
		if (rnd() & 1)
			of_flow_add(r.t, &s[i], &why);
		else
			of_flow_del(r.t, &s[i], true, &why);
	}
	r.stop = true;
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	CHECK(r.lookups > 0);
	of_ops.destroy(r.t);
}

/* ------------------------------------------------ through a switch */
static int recv_one(struct uport *up, u8 *buf)
{
	uport_rxsync(up, 0);
	return uport_recv(up, 0, buf, 2048);
}

static void test_switch(void)
{
	struct pkt_desc p = { .dst = { 2, 0, 0, 0, 0, 1 }, .src = { 2, 0, 0, 0, 0, 2 }, .vid = -1,
			      .type = 0x0800, .proto = 17, .sip = { 10, 0, 0, 1 },
			      .dip = { 10, 0, 0, 2 }, .sport = 5, .dport = 53 };
	struct vale_switch *sw;
	struct vale_lookup_inst *li;
	struct of_table *t;
	struct of_flow_spec s;
	struct uport *up[4];
	const char *why;
	u8 f[1600], out[2048];
	u32 len, i;

	CHECK(vale_lookup_register(&of_ops) == 0);
	vale_core_lock();
	CHECK(vale_switch_create("valeoft", &sw) == 0);
	for (i = 0; i < 4; i++) {
		char name[8];

		snprintf(name, sizeof(name), "p%u", i);
		up[i] = uport_new(name, 1, 1, 64);
		CHECK(vale_port_attach(sw, up[i]->vp) == 0);
	}
	CHECK(vale_switch_set_lookup(sw, "of") == 0);
	li = sw->lookup;
	t = li->priv;
	memset(&s, 0, sizeof(s));
	s.match.key.in_port = 0;
	s.match.mask.in_port = 0xffff;
	s.actions[0].type = OF_ACT_PUSH_VLAN;
	s.actions[0].arg16 = 42;
	s.n_actions = 1;
	spec_action(&s, OF_ACT_OUTPUT, 2);
	CHECK(of_flow_add(t, &s, &why) == 0);
	s.match.key.in_port = 1;
	s.n_actions = 0;
	spec_action(&s, OF_ACT_FLOOD, 0);
	CHECK(of_flow_add(t, &s, &why) == 0);
	CHECK(of_set_controller(t, 3, &why) == 0);
	s.actions[0].type = OF_ACT_CONTROLLER;
	CHECK(of_set_miss(t, s.actions, 1, &why) == 0);
	vale_core_unlock();

	/* A long frame: the pushed tag goes in front of bytes past the copy. */
	len = build(&p, f);
	len = 1000;
	for (i = 60; i < len; i++)
		f[i] = (u8)i;
	CHECK(uport_send(up[0], 0, f, len) == 0);
	uport_txsync(up[0], 0);
	CHECK_EQ(recv_one(up[2], out), (int)len + 4);
	CHECK(out[12] == 0x81 && out[15] == 42 && !memcmp(out + 16, f + 12, len - 12));
	CHECK_EQ(recv_one(up[1], out), -1);
	/* Flood from port 1. */
	uport_send(up[1], 0, f, 60);
	uport_txsync(up[1], 0);
	CHECK_EQ(recv_one(up[0], out), 60);
	CHECK_EQ(recv_one(up[2], out), 60);
	CHECK_EQ(recv_one(up[3], out), 60);
	/* Miss from port 2: to the controller, unchanged. */
	uport_send(up[2], 0, f, 60);
	uport_txsync(up[2], 0);
	CHECK_EQ(recv_one(up[3], out), 60);
	CHECK(!memcmp(out, f, 60));
	CHECK_EQ(recv_one(up[0], out), -1);

	vale_core_lock();
	for (i = 0; i < 4; i++)
		vale_port_detach(up[i]->vp);
	vale_core_unlock();
	for (i = 0; i < 4; i++)
		uport_free(up[i]);
	vale_lookup_unregister(&of_ops);
}

int main(void)
{
	if (vale_core_init())
		return 1;
	RUN(test_parse);
	RUN(test_classifier_vs_brute_force);
	RUN(test_actions);
	RUN(test_counters_and_timeouts);
	RUN(test_race);
	RUN(test_switch);
	vale_core_exit();
	return check_summary();
}
