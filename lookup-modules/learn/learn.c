// SPDX-License-Identifier: GPL-2.0
/*
 * The learning bridge, the switch's default lookup module.
 *
 * Source MACs are learned into a fixed table of LEARN_BUCKETS sets of
 * LEARN_WAYS entries; a packet to a known unicast MAC goes to the port it
 * was last seen on, everything else (broadcast, multicast, unknown or
 * expired unicast) is flooded to every other port.
 *
 * Senders choose their source MACs, so the table is built to stand up to
 * a hostile one:
 *  - the set of a MAC is chosen by a keyed hash (SipHash-1-3, the kernel's
 *    hsiphash) with a random key per switch, so crafted addresses cannot
 *    be aimed at one set;
 *  - the table never grows: LEARN_ENTRIES entries, allocated with the
 *    switch;
 * Eviction policy, when a new MAC's set is full: reuse an expired entry
 * (not seen for the ageing time) first, the one seen longest ago; else an
 * unconfirmed entry (seen only once, as the addresses of a random-MAC
 * flood are), the one seen longest ago; else do not learn the new MAC
 * (its packets are flooded, as unknown ones are). A MAC that has been seen
 * twice is therefore never pushed out by new addresses, only by ageing.
 *
 * Concurrency: lookups run on several CPUs at once and update the table
 * without a lock. An entry's MAC and port share one 64-bit word written
 * with one store, so a reader sees a whole (MAC, port) pair; racing
 * learners can at worst both take a slot or duplicate a MAC for a
 * moment, which misdirects nothing but a packet already being flooded.
 */
#include "../../vale/vale.h"
#include "learn.h"

#define LEARN_VALID	(1ULL << 63)
#define LEARN_MAC_MASK	((1ULL << 48) - 1)
#define LEARN_PORT_SHIFT 48

struct learn_entry {
	u64 key;		/* LEARN_VALID | port << 48 | MAC */
	u32 seen;		/* vale_now_sec() when last seen */
	u32 hits;		/* times seen, saturating at 2 */
};

struct learn_table {
	vale_hash_key hkey;
	u32 ageing;
	/* Bumped by every change to what the table answers (senders' memos). */
	vale_ctr_t gen;
	struct learn_stats stats;
	struct learn_entry set[LEARN_BUCKETS][LEARN_WAYS];
};

/*
 * A MAC as a number, byte 0 lowest, on any byte order. In two parts the
 * compiler sees a 32-bit and a 16-bit load (little-endian), where one
 * 48-bit expression cost 18 instructions per address.
 */
static inline u64 learn_mac(const u8 *p)
{
	u32 lo = (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
	u32 hi = (u32)p[4] | (u32)p[5] << 8;

	return lo | (u64)hi << 32;
}

static inline struct learn_entry *learn_set(struct learn_table *t, u64 mac)
{
	return t->set[vale_hash64(mac, &t->hkey) % LEARN_BUCKETS];
}

static inline bool learn_expired(const struct learn_table *t, u32 seen, u32 now)
{
	return now - seen > t->ageing;
}

/*
 * The table answers differently from now on: a key or the ageing time
 * was written just before. Pairs with learn_memo_check().
 */
static void learn_changed(struct learn_table *t)
{
	smp_wmb();
	vale_ctr_add(&t->gen, 1);
}

/* Learn that mac is on port; returns whether the table's answers changed. */
static bool learn_source(struct learn_table *t, u64 mac, u16 port, u32 now)
{
	struct learn_entry *set = learn_set(t, mac), *victim = NULL;
	u64 want = LEARN_VALID | (u64)port << LEARN_PORT_SHIFT | mac;
	bool victim_expired = false;
	u32 w;

	for (w = 0; w < LEARN_WAYS; w++) {
		struct learn_entry *e = &set[w];
		u64 key = READ_ONCE(e->key);

		if ((key & LEARN_VALID) && (key & LEARN_MAC_MASK) == mac) {
			bool moved = key != want;

			if (unlikely(moved)) {
				WRITE_ONCE(e->key, want);	/* the MAC moved */
				t->stats.moved++;
			}
			/*
			 * Write only what changed: a hot entry stays shared.
			 * An expired entry seen again answers again.
			 */
			moved |= learn_expired(t, READ_ONCE(e->seen), now);
			if (READ_ONCE(e->seen) != now)
				WRITE_ONCE(e->seen, now);
			if (READ_ONCE(e->hits) < 2)
				WRITE_ONCE(e->hits, READ_ONCE(e->hits) + 1);
			if (unlikely(moved))
				learn_changed(t);
			return moved;
		}
	}
	for (w = 0; w < LEARN_WAYS; w++) {
		struct learn_entry *e = &set[w];
		u32 seen = READ_ONCE(e->seen);
		bool expired = learn_expired(t, seen, now);

		if (!(READ_ONCE(e->key) & LEARN_VALID)) {
			victim = e;
			victim_expired = true;
			break;
		}
		if (expired && (!victim_expired || seen < READ_ONCE(victim->seen))) {
			victim = e;
			victim_expired = true;
		} else if (!victim_expired && READ_ONCE(e->hits) < 2 &&
			   (!victim || seen < READ_ONCE(victim->seen))) {
			victim = e;
		}
	}
	if (!victim) {
		t->stats.refused++;
		return false;
	}
	if (READ_ONCE(victim->key) & LEARN_VALID)
		t->stats.replaced++;
	t->stats.learned++;
	WRITE_ONCE(victim->seen, now);
	WRITE_ONCE(victim->hits, 1);
	WRITE_ONCE(victim->key, want);
	learn_changed(t);
	return true;
}

static int learn_find_entry(struct learn_table *t, u64 mac, u32 now, u16 *port)
{
	struct learn_entry *set = learn_set(t, mac);
	u32 w;

	for (w = 0; w < LEARN_WAYS; w++) {
		u64 key = READ_ONCE(set[w].key);

		if ((key & LEARN_VALID) && (key & LEARN_MAC_MASK) == mac &&
		    !learn_expired(t, READ_ONCE(set[w].seen), now)) {
			*port = (key >> LEARN_PORT_SHIFT) & 0xff;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Each sender's recent answers (its sender_mem), so that a destination is
 * hashed about once per second however many destinations a batch spreads
 * over (random-254ports-60B: a 64-entry memo per batch missed on most of
 * its 253 destinations, and hashing was 13% of the instructions). An
 * answer holds while the table and the second it was found in last: any
 * change to what the table answers bumps its generation (learn_changed()),
 * and an entry found unexpired stays so for the rest of that second (a
 * hit only moves its 'seen' forward). Direct mapped on a multiplicative
 * hash of the MAC: a crafted MAC can only cost a miss.
 */
#define LEARN_MEMO_BITS	10

struct learn_memo {
	u64 gen;			/* t->gen when the entries were found */
	u32 now;			/* and the second */
	u64 e[1 << LEARN_MEMO_BITS];	/* LEARN_VALID | port << 48 | MAC, or 0 */
};

_Static_assert(sizeof(struct learn_memo) <= VALE_SENDER_MEM_MAX, "the memo is sender_mem");

static inline u32 learn_memo_slot(u64 mac)
{
	return (u32)((mac * 0x9e3779b97f4a7c15ULL) >> (64 - LEARN_MEMO_BITS));
}

/* Forget the memo's answers if the table or the second changed since. */
static void learn_memo_check(struct learn_table *t, struct learn_memo *memo, u32 now)
{
	u64 gen = vale_ctr_read(&t->gen);

	/* Pairs with learn_changed(): a newer generation shows the new table. */
	smp_rmb();
	if (likely(memo->gen == gen && memo->now == now))
		return;
	memset(memo->e, 0, sizeof(memo->e));
	memo->gen = gen;
	memo->now = now;
}

/* Where a unicast frame to 'dst' goes: its port, or flood when unknown. */
static inline u32 learn_dst(struct learn_table *t, struct learn_memo *memo, u64 dst, u32 now)
{
	u64 *e = &memo->e[learn_memo_slot(dst)];
	u16 port;

	if ((*e & (LEARN_VALID | LEARN_MAC_MASK)) == (LEARN_VALID | dst))
		return (*e >> LEARN_PORT_SHIFT) & 0xff;
	if (learn_find_entry(t, dst, now, &port))
		port = VALE_BROADCAST;	/* unknown: flood */
	*e = LEARN_VALID | (u64)port << LEARN_PORT_SHIFT | dst;
	return port;
}

/* One frame: learn its source (unless it is the one just learned). */
static inline u32 learn_one(struct learn_table *t, const struct vale_pkt *pkt, u32 now,
			    u64 *last_src, struct learn_memo *memo)
{
	const u8 *eth = pkt->data;
	u64 src;

	if (unlikely(pkt->len < 14))
		return VALE_DROP;
	src = learn_mac(eth + 6) | (u64)pkt->src_port << LEARN_PORT_SHIFT;
	if (src != *last_src) {
		/* A unicast source is learned; what it taught may change answers. */
		if (!(eth[6] & 1) && learn_source(t, src & LEARN_MAC_MASK, pkt->src_port, now))
			learn_memo_check(t, memo, now);
		*last_src = src;
	}
	if (eth[0] & 1)		/* broadcast or multicast */
		return VALE_BROADCAST;
	return learn_dst(t, memo, learn_mac(eth), now);
}

static u32 learn_lookup(void *priv, struct vale_pkt *pkt)
{
	const u8 *eth = pkt->data;
	u32 now = vale_now_sec();
	u16 port;

	if (unlikely(pkt->len < 14))
		return VALE_DROP;
	if (!(eth[6] & 1))
		learn_source(priv, learn_mac(eth + 6), pkt->src_port, now);
	if (eth[0] & 1)
		return VALE_BROADCAST;
	return learn_find_entry(priv, learn_mac(eth), now, &port) ? VALE_BROADCAST : port;
}

/*
 * A batch from one sender mostly repeats its source, and often its
 * destinations: learn a source once per run of it, look a destination up
 * once per second (the memo above). Within a batch the table is the one of
 * its start, which only delays by one batch what a racing learner teaches.
 */
static void learn_lookup_batch(void *priv, void *mem, struct vale_pkt *pkts, u32 *dst, u32 n)
{
	struct learn_memo *memo = mem;
	u64 last_src = ~0ULL;
	u32 now = vale_now_sec(), i;

	learn_memo_check(priv, memo, now);
	for (i = 0; i < n; i++)
		dst[i] = learn_one(priv, &pkts[i], now, &last_src, memo);
}

static int learn_create(void **priv, const char *switch_name)
{
	struct learn_table *t = vale_zalloc(sizeof(*t));

	(void)switch_name;
	if (!t)
		return -ENOMEM;
	vale_hash_key_init(&t->hkey);
	t->ageing = LEARN_DEFAULT_AGEING;
	*priv = t;
	return 0;
}

static void learn_destroy(void *priv)
{
	vale_free(priv);
}

/* A port left: forget what was learned on it. */
static void learn_port_detach(void *priv, u16 port)
{
	struct learn_table *t = priv;
	u32 b, w;

	for (b = 0; b < LEARN_BUCKETS; b++)
		for (w = 0; w < LEARN_WAYS; w++) {
			u64 key = READ_ONCE(t->set[b][w].key);

			if ((key & LEARN_VALID) && ((key >> LEARN_PORT_SHIFT) & 0xff) == port)
				WRITE_ONCE(t->set[b][w].key, 0);
		}
	learn_changed(t);
}

int learn_find(void *priv, const u8 mac[6], u16 *port)
{
	return learn_find_entry(priv, learn_mac(mac), vale_now_sec(), port);
}

/*
 * Visit live entries from table position *pos on; stop when fn returns
 * non-zero, leaving *pos at the entry it refused, so a dump can resume.
 */
int learn_walk(void *priv, u32 *pos, int (*fn)(void *arg, const struct learn_fdb_entry *e),
	       void *arg)
{
	struct learn_table *t = priv;
	u32 now = vale_now_sec();
	u32 i;
	int ret;

	for (; *pos < LEARN_ENTRIES; (*pos)++) {
		const struct learn_entry *e = &t->set[*pos / LEARN_WAYS][*pos % LEARN_WAYS];
		u64 key = READ_ONCE(e->key);
		struct learn_fdb_entry out;

		if (!(key & LEARN_VALID) || learn_expired(t, READ_ONCE(e->seen), now))
			continue;
		for (i = 0; i < 6; i++)
			out.mac[i] = key >> (8 * i);
		out.port = (key >> LEARN_PORT_SHIFT) & 0xff;
		out.age = now - READ_ONCE(e->seen);
		out.confirmed = READ_ONCE(e->hits) >= 2;
		ret = fn(arg, &out);
		if (ret)
			return ret;
	}
	return 0;
}

void learn_flush(void *priv)
{
	struct learn_table *t = priv;
	u32 b, w;

	for (b = 0; b < LEARN_BUCKETS; b++)
		for (w = 0; w < LEARN_WAYS; w++)
			WRITE_ONCE(t->set[b][w].key, 0);
	learn_changed(t);
}

void learn_get_stats(void *priv, struct learn_stats *st)
{
	*st = ((struct learn_table *)priv)->stats;
}

void learn_set_ageing(void *priv, u32 seconds)
{
	WRITE_ONCE(((struct learn_table *)priv)->ageing, seconds);
	learn_changed(priv);
}

u32 learn_get_ageing(void *priv)
{
	return READ_ONCE(((struct learn_table *)priv)->ageing);
}

/*
 * The bridge's control, declared once: what LOOKUP_CONFIG takes (its
 * ageing time, a flush) and what its table "fdb" reports per address.
 * The kernel callbacks are in learn_nl.c.
 */
static const struct vale_lookup_attr learn_attrs[] = {
	{ .id = VALE_LEARN_AGEING, .name = "ageing", .type = VALE_TYPE_U32,
	  .flags = VALE_SCHEMA_F_SETTING, .min = 1, .max = 1000000,
	  .doc = "seconds an address is remembered after it was last seen" },
	{ .id = VALE_LEARN_FLUSH, .name = "flush", .type = VALE_TYPE_FLAG,
	  .flags = VALE_SCHEMA_F_ACTION, .doc = "forget every learned address" },
	{ .id = VALE_LEARN_MAC, .name = "mac", .type = VALE_TYPE_MAC,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "a learned source address" },
	{ .id = VALE_LEARN_PORT, .name = "port", .type = VALE_TYPE_PORT,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "the port it was last seen on" },
	{ .id = VALE_LEARN_AGE, .name = "age", .type = VALE_TYPE_U32,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "seconds since it was last seen" },
	{ .id = VALE_LEARN_CONFIRMED, .name = "confirmed", .type = VALE_TYPE_FLAG,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY,
	  .doc = "seen more than once (never pushed out by new addresses)" },
	{ }
};

struct vale_lookup_ops vale_learn_ops = {
	.name = "learn",
	.owner = NULL,		/* built into the core: no module to pin */
	.create = learn_create,
	.destroy = learn_destroy,
	.port_detach = learn_port_detach,
	.lookup = learn_lookup,
	.sender_mem = sizeof(struct learn_memo),
	.lookup_batch_mem = learn_lookup_batch,
	.attrs = learn_attrs,
#ifdef __KERNEL__
	.tables = learn_nl_tables,
	.config = learn_nl_config,
	.get_config = learn_nl_get_config,
#endif
};

struct vale_lookup_ops *const vale_builtin_lookup = &vale_learn_ops;
