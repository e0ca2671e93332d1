/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ofswitch internals shared by cls.c (the classifier and the graveyard),
 * table.c (control operations) and of.c (the hot path).
 */
#ifndef _VALE_OF_PRIV_H
#define _VALE_OF_PRIV_H

#include "of.h"

#define OF_MAX_FLOWS	(1u << 20)
#define OF_EMC_SIZE	8192		/* entries, a power of two */
#define OF_GRAVE_MAX	64		/* retired objects before a grace period */
/* Bytes of each frame the module reads and may rewrite: room is left
 * below VALE_HDR_MAX for VLAN pushes (OF_MAX_PUSH of them). */
#define OF_HDR_COPY	160
#define OF_MAX_PUSH	2

/*
 * A pointer readers follow, read by the writer (control lock held; the
 * core's lock is not exported to modules, so it is not named here).
 */
#ifdef __KERNEL__
#define of_ctl(p)	rcu_dereference_protected(p, 1)
#else
#define of_ctl(p)	(p)
#endif

/*
 * Everything a reader may still see after it is unlinked has one: first
 * (of_retire), but in a flow, whose first lines are for lookups.
 */
struct of_rcu_head {
	struct of_rcu_head *next;
	void *base;			/* what to free */
};

struct of_actions {
	struct of_rcu_head rh;
	u32 n;
	struct of_action a[];
};

struct of_subtable;

/*
 * A flow. A lookup reads and writes its first two cache lines only:
 * chain, rank, key, actions, timeouts, counters (which a hit writes
 * anyway). What only the control path reads comes after.
 */
struct of_flow {
	/* Chain links of the subtable's hash, one per table version. */
	struct of_flow __vale_rcu *next[2];
	/* Higher wins: priority, then the older flow (a total order). */
	u64 rank;
	struct of_key key;		/* masked by mask */
	const struct of_actions __vale_rcu *acts;
	u32 idle, hard, created;
	u32 used;			/* last hit, stored only when it changes */
	/* Where the packet goes when that is all the actions say (a single
	 * output, flood or drop; OF_FAST_NONE: run acts): no acts to read. */
	u32 fast;
	vale_ctr_t pkts, bytes;
	/* Control only. */
	struct of_key mask __attribute__((aligned(VALE_CACHELINE)));
	struct of_rcu_head rh;
	u32 hash;			/* of the key, in the subtable */
	u32 slot;			/* index in of_table.all */
	struct of_subtable *st;
	u64 cookie;
	u16 priority;
};
_Static_assert(offsetof(struct of_flow, bytes) + sizeof(vale_ctr_t) <= 2 * VALE_CACHELINE,
	       "a lookup touches the first two cache lines of a flow only");

/* One subtable's hash: a version of the chain links, a bucket array. */
struct of_ti {
	struct of_rcu_head rh;
	u32 mask;			/* buckets - 1 */
	u32 ver;			/* which of of_flow.next[] */
	struct of_flow __vale_rcu *b[];
};

/* The flows of one mask. */
struct of_subtable {
	struct of_rcu_head rh;
	u64 mask[OF_KEY_WORDS];
	/*
	 * The prefilter: the union (any) and the intersection (all) of its
	 * flows' keys. A packet whose masked key has a bit that no flow has,
	 * or lacks one that every flow has, matches none of them: the
	 * subtable is skipped without hashing. Widened before a flow is
	 * linked, narrowed after one is unlinked (word by word, so a reader
	 * sees bounds that hold for every flow it can find).
	 */
	u64 any[OF_KEY_WORDS], all[OF_KEY_WORDS];
	struct of_ti __vale_rcu *ti;
	u32 n;				/* control: flows */
	u32 stale;			/* control: removals since the bounds */
	u64 max_rank;			/* control: >= the highest rank in it */
};

/* The subtables in decreasing max_rank (copy-on-write but for max_rank). */
struct of_svec {
	struct of_rcu_head rh;
	u32 n;
	struct {
		u64 max_rank;		/* an upper bound; WRITE_ONCE in place */
		struct of_subtable *st;
	} e[];
};

/* One exact-match cache entry (seqlocked, see of.h): 72 bytes. */
struct of_emc_entry {
	u32 seq;
	u32 gen;
	struct of_flow *flow;		/* NULL: the table-miss rule */
	u64 key[OF_KEY_WORDS];
};

struct of_table {
	struct of_hash_key hk;		/* random per switch */
	/* Read by lookups. */
	u32 gen;			/* bumped after every change */
	u32 controller;			/* port or VALE_DROP */
	bool emc_on;
	struct of_svec __vale_rcu *svec;
	const struct of_actions __vale_rcu *miss;
	struct of_emc_entry *emc;
	/* Written by lookups (table-miss packets): a line of their own. */
	vale_ctr_t miss_pkts __attribute__((aligned(VALE_CACHELINE)));
	vale_ctr_t miss_bytes;

	/* Control only: under lock (see of.h). */
	vale_mutex_t lock __attribute__((aligned(VALE_CACHELINE)));
	struct of_tick *tick;		/* kernel: the expiry tick (tick.c) */
	u32 n_timed;			/* flows with a timeout */
	struct of_flow **all;		/* by slot; NULL: free */
	u32 all_cap, all_top;		/* slots allocated, slots ever used */
	u32 all_hint;			/* no hole below it */
	u32 n_flows;
	u32 seq;			/* insertion counter (rank tie-break) */
	struct of_rcu_head *grave;	/* retired, waiting for a grace period */
	u32 grave_n;
	bool grave_has_ti;		/* a retired of_ti is among them */
};

/* The hash of a (masked) key: in a subtable, and the cache's index. */
static inline u32 of_st_hash(const struct of_table *t, const u64 *mk)
{
	u64 h = of_nh(&t->hk, mk);

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (u32)h;
}

static inline bool of_flow_live(const struct of_flow *f, u32 now)
{
	if (f->hard && now - f->created >= f->hard)
		return false;
	if (f->idle && now - READ_ONCE(f->used) >= f->idle)
		return false;
	return true;
}

#define OF_FAST_NONE	0xffffffffu

/* Packets a lookup handles at once (its keys live on the stack). */
#define OF_CHUNK	8

/* cls.c */
void of_cls_lookup_batch(const struct of_svec *sv, const struct of_table *t,
			 const struct of_key *keys, u32 todo, struct of_flow **out, u32 now);
int of_cls_insert(struct of_table *t, struct of_flow *f);
void of_cls_remove(struct of_table *t, struct of_flow *f);
struct of_subtable *of_cls_find_subtable(struct of_table *t, const u64 *mask);
void of_retire_at(struct of_table *t, struct of_rcu_head *h, void *base);
/* Retire obj, which starts with its struct of_rcu_head (NULL: nothing). */
static inline void of_retire(struct of_table *t, void *obj)
{
	if (obj)
		of_retire_at(t, obj, obj);
}
void of_commit(struct of_table *t);
void of_grave_flush(struct of_table *t);
void of_cls_destroy(struct of_table *t);

/* table.c */
struct of_actions *of_actions_alloc(const struct of_action *a, u32 n);

/* of.c: the per-switch state, for the kernel's wrappers (tick.c). */
int of_table_create(void **priv, const char *switch_name);
void of_table_destroy(void *priv);

/* tick.c (kernel only): .create and .destroy with a periodic of_expire(). */
struct of_tick;
int of_tick_create(void **priv, const char *switch_name);
void of_tick_destroy(void *priv);

#endif /* _VALE_OF_PRIV_H */
