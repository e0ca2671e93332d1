/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ofswitch: an OpenFlow-like flow table as a VALE lookup module ("of").
 * The private header of the module: the flow key and match, actions, the
 * packet parser (parse.c), the classifier (cls.c), the module and its
 * control operations (of.c). netlink.c (kernel only) turns the control
 * operations into netlink attributes (enum vale_of_attr, uapi vale.h).
 *
 * DOC: Locking
 *  - .lookup/.lookup_batch run on several CPUs at once without a lock,
 *    inside the switch's read-side critical section (vale_read_lock).
 *  - Every of_* control function below is called with the table's
 *    lock held (of_table.lock; the kernel takes it under the core's
 *    vale_lock in .config and .dump, and alone in the expiry tick), so
 *    there is one writer at a time.
 *  - Writers publish with vale_publish() (release) and retire what
 *    readers may still see to a graveyard, freed after vale_synchronize().
 *  - Per-flow counters are relaxed atomic adds; a flow's last-use time is
 *    a word stored only when it changes.
 *  - The exact-match cache is a table of seqlocked entries: a writer that
 *    finds an entry busy gives up, a reader that sees it change misses.
 */
#ifndef _VALE_OF_H
#define _VALE_OF_H

#include "../../vale/vale.h"

/* ----------------------------------------------------------- the key */
#define OF_KEY_WORDS	7
#define OF_VLAN_PRESENT	0x1000	/* in key.vlan: the frame has a tag */
#define OF_VLAN_VID	0x0fff

/*
 * What the parser extracts from a frame, in 64-bit words so that a match
 * is a masked compare of words. IPv4 addresses take the first 4 bytes of
 * ip_src/ip_dst. All multi-byte numbers are in host order, addresses in
 * network order.
 */
struct of_key {
	union {
		u64 w[OF_KEY_WORDS];
		struct {
			u16 in_port;
			u16 vlan;	/* OF_VLAN_PRESENT | VID, 0: untagged */
			u16 eth_type;	/* after the VLAN tags */
			u8 ip_proto;	/* IPv4 protocol, IPv6 last next header */
			u8 pad0;
			u8 eth_dst[6];
			u16 tp_src;	/* TCP/UDP/SCTP port, ICMP type */
			u8 eth_src[6];
			u16 tp_dst;	/* TCP/UDP/SCTP port, ICMP code */
			u8 ip_src[16];
			u8 ip_dst[16];
		};
	};
};

/* A match: the fields of key where mask has bits; key is kept masked. */
struct of_match {
	struct of_key key, mask;
};

/*
 * Parse a frame into key (zeroed first). Reads only data[0 .. len).
 * Returns 0, or -EINVAL for a frame too short for an Ethernet header.
 * Headers that are truncated or malformed leave their fields zero.
 */
int of_parse(const u8 *data, u32 len, u16 in_port, struct of_key *key);

/* ------------------------------------------------------------ actions */
enum of_act_type {
	OF_ACT_OUTPUT = 1,	/* arg: port */
	OF_ACT_FLOOD,
	OF_ACT_DROP,
	OF_ACT_CONTROLLER,	/* to the controller port, unchanged */
	OF_ACT_PUSH_VLAN,	/* arg: VID (a new outer 802.1Q tag) */
	OF_ACT_POP_VLAN,
	OF_ACT_SET_VLAN,	/* arg: VID of the outer tag (untagged: none) */
	OF_ACT_SET_ETH_SRC,	/* mac */
	OF_ACT_SET_ETH_DST,	/* mac */
};

struct of_action {
	u16 type;
	u16 arg16;
	u32 port;
	u8 mac[6];
};

#define OF_MAX_ACTIONS	16

/* What a control request describes: a flow, or the table-miss rule. */
struct of_flow_spec {
	struct of_match match;
	u16 priority;
	u32 idle_timeout, hard_timeout;	/* seconds, 0: none */
	u64 cookie;
	u32 n_actions;
	struct of_action actions[OF_MAX_ACTIONS];
};

/* A flow as dumps and tests see it. */
struct of_flow_info {
	struct of_flow_spec spec;
	u64 packets, bytes;
	u32 duration, idle_age;	/* seconds since added, since last hit */
};

/* The table's own state (first object of a dump). */
struct of_table_info {
	u32 controller;			/* port, or VALE_DROP: none */
	bool emc;
	u32 n_flows;
	u32 n_subtables;
	u32 n_miss_actions;
	struct of_action miss[OF_MAX_ACTIONS];
	u64 miss_packets, miss_bytes;
};

struct of_table;

/* of.c: the module. */
extern struct vale_lookup_ops of_ops;

/*
 * Control operations, called with the control lock held. Failures are
 * -errno with a static message in *why (for extack).
 */
int of_check_spec(const struct of_flow_spec *s, const char **why);
int of_flow_add(struct of_table *t, const struct of_flow_spec *s, const char **why);
/* Modify actions (and cookie) of the flows matching s; strict: same match
 * and priority only, else every flow s covers. Returns the number, or
 * -ENOENT. */
int of_flow_mod(struct of_table *t, const struct of_flow_spec *s, bool strict, const char **why);
/* Delete likewise; returns the number deleted (0 for a non-strict delete
 * that finds none). */
int of_flow_del(struct of_table *t, const struct of_flow_spec *s, bool strict, const char **why);
void of_flush(struct of_table *t);
int of_set_miss(struct of_table *t, const struct of_action *a, u32 n, const char **why);
int of_set_controller(struct of_table *t, u32 port, const char **why);
void of_set_emc(struct of_table *t, bool on);
/* Reclaim expired flows; returns how many. */
u32 of_expire(struct of_table *t);
/* Dump cursor: the live flow at or after *pos (then *pos is past it): 1,
 * or 0. An expired flow the tick has not reaped yet is skipped. */
int of_flow_next(struct of_table *t, u64 *pos, struct of_flow_info *out);
void of_table_info(struct of_table *t, struct of_table_info *out);

/* The keyed hash of a key (NH compression, then a mix: see cls.c). */
struct of_hash_key {
	u32 nh[2 * OF_KEY_WORDS];
};
void of_hash_key_init(struct of_hash_key *hk);

static inline u64 of_nh(const struct of_hash_key *hk, const u64 *w)
{
	u64 s = 0;
	int i;

	for (i = 0; i < OF_KEY_WORDS; i++)
		s += (u64)(u32)((u32)w[i] + hk->nh[2 * i]) *
		     (u64)(u32)((u32)(w[i] >> 32) + hk->nh[2 * i + 1]);
	return s;
}

#endif /* _VALE_OF_H */
