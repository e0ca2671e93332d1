// SPDX-License-Identifier: GPL-2.0
/*
 * The learning bridge's control over netlink, on the lookup modules'
 * common channel (include/vale/lookup.h): its settings (ageing), its
 * action (flush) and its table "fdb", in the attributes learn.c declares
 * (enum vale_learn_attr). The core has checked every attribute against
 * that declaration before these run.
 */
#include <linux/etherdevice.h>
#include <net/netlink.h>

#include "../../vale/vale.h"
#include "learn.h"

int learn_nl_config(void *priv, const struct nlattr *const *tb, struct netlink_ext_ack *extack)
{
	if (tb[VALE_LEARN_AGEING])
		learn_set_ageing(priv, nla_get_u32(tb[VALE_LEARN_AGEING]));
	if (tb[VALE_LEARN_FLUSH])
		learn_flush(priv);
	return 0;
}

/* What learn_nl_config sets, for SWITCH_GET replies and switch events. */
int learn_nl_get_config(void *priv, struct sk_buff *skb)
{
	return nla_put_u32(skb, VALE_LEARN_AGEING, learn_get_ageing(priv));
}

/* Put one entry and stop the walk there (one row per message). */
static int learn_nl_put_entry(void *arg, const struct learn_fdb_entry *e)
{
	struct sk_buff *skb = arg;

	if (nla_put(skb, VALE_LEARN_MAC, ETH_ALEN, e->mac) ||
	    nla_put_u32(skb, VALE_LEARN_PORT, e->port) ||
	    nla_put_u32(skb, VALE_LEARN_AGE, e->age) ||
	    (e->confirmed && nla_put_flag(skb, VALE_LEARN_CONFIRMED)))
		return -EMSGSIZE;
	return 1;
}

static int learn_nl_dump_fdb(void *priv, struct sk_buff *skb, u64 *pos)
{
	u32 at = *pos;
	int ret;

	if (*pos >= LEARN_ENTRIES)
		return 0;
	ret = learn_walk(priv, &at, learn_nl_put_entry, skb);
	if (ret < 0)
		return ret;	/* -EMSGSIZE: *pos stays, the row goes in the next message */
	*pos = ret ? (u64)at + 1 : LEARN_ENTRIES;
	return ret;
}

const struct vale_lookup_table learn_nl_tables[] = {
	{ .name = "fdb", .doc = "learned addresses: mac, port, age, confirmed",
	  .dump = learn_nl_dump_fdb },
	{ }
};
