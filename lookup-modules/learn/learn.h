/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The learning bridge's table, as the control plane and the tests see it.
 */
#ifndef _VALE_LEARN_H
#define _VALE_LEARN_H

#include "../../vale/os.h"

#define LEARN_BUCKETS		1024
#define LEARN_WAYS		4
#define LEARN_ENTRIES		(LEARN_BUCKETS * LEARN_WAYS)
#define LEARN_DEFAULT_AGEING	300	/* seconds, as the Linux bridge */

struct learn_fdb_entry {
	u8 mac[6];
	u16 port;
	u32 age;		/* seconds since last seen */
	bool confirmed;		/* seen more than once */
};

struct learn_stats {
	u64 learned;		/* new entries */
	u64 moved;		/* a MAC seen on another port */
	u64 replaced;		/* expired or unconfirmed entries reused */
	u64 refused;		/* new MACs not learned: their set was full */
};

/* Look a MAC up as forwarding would; 0 and *port, or -ENOENT. */
int learn_find(void *priv, const u8 mac[6], u16 *port);
/* Visit live entries from *pos on; stop (and keep *pos) when fn returns non-zero. */
int learn_walk(void *priv, u32 *pos, int (*fn)(void *arg, const struct learn_fdb_entry *e),
	       void *arg);
void learn_flush(void *priv);
void learn_get_stats(void *priv, struct learn_stats *st);
void learn_set_ageing(void *priv, u32 seconds);
u32 learn_get_ageing(void *priv);

extern struct vale_lookup_ops vale_learn_ops;

#ifdef __KERNEL__
/* learn_nl.c: the bridge's netlink side (its table and settings). */
extern const struct vale_lookup_table learn_nl_tables[];
int learn_nl_config(void *priv, const struct nlattr *const *tb, struct netlink_ext_ack *extack);
int learn_nl_get_config(void *priv, struct sk_buff *skb);
#endif

#endif /* _VALE_LEARN_H */
