// SPDX-License-Identifier: GPL-2.0
/*
 * The l3 router as a kernel module: its netlink configuration (the nested
 * VALE_ATTR_LOOKUP_CONFIG of VALE_CMD_LOOKUP_CONFIG, enum vale_l3_attr in
 * include/uapi/linux/vale.h) turned into struct l3_req for l3_apply(),
 * dumps turned back into the same attributes, and module init/exit.
 *
 * Attributes are checked by a strict policy (types, lengths, ranges;
 * unknown attributes are rejected by the netlink core, naming them); what
 * an operation requires and accepts, and the meaning of values, by
 * l3_apply(); every rejection carries an extack message that points at
 * the attribute at fault.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <net/netlink.h>

#include "l3.h"

#define L3_ADDR_POLICY	NLA_POLICY_RANGE(NLA_BINARY, 4, 16)

static const struct nla_policy l3_policy[VALE_L3_ATTR_MAX + 1] = {
	[VALE_L3_ATTR_OP] = NLA_POLICY_RANGE(NLA_U32, VALE_L3_OP_PORT_SET, VALE_L3_OP_FLUSH),
	[VALE_L3_ATTR_PORT] = NLA_POLICY_MAX(NLA_U32, VALE_MAX_PORTS - 1),
	[VALE_L3_ATTR_MAC] = NLA_POLICY_ETH_ADDR,
	[VALE_L3_ATTR_ADDR] = L3_ADDR_POLICY,
	[VALE_L3_ATTR_PREFIX] = L3_ADDR_POLICY,
	[VALE_L3_ATTR_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VALE_L3_ATTR_GATEWAY] = L3_ADDR_POLICY,
	/* STATS is in dumps only: left out, the policy rejects it. */
};

/* A 4- or 16-byte address attribute, or an extack message. */
static int l3_nl_addr(const struct nlattr *a, struct l3_addr *out, struct netlink_ext_ack *extack)
{
	if (nla_len(a) != 4 && nla_len(a) != 16) {
		NL_SET_ERR_MSG_ATTR(extack, a, "an address is 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	out->family = nla_len(a) == 4 ? 4 : 6;
	memcpy(out->b, nla_data(a), nla_len(a));
	return 0;
}

/* The address attributes and where they go in struct l3_req. */
static const struct {
	int type;
	size_t offset;
} addrs[] = {
	{ VALE_L3_ATTR_ADDR, offsetof(struct l3_req, addr) },
	{ VALE_L3_ATTR_PREFIX, offsetof(struct l3_req, prefix) },
	{ VALE_L3_ATTR_GATEWAY, offsetof(struct l3_req, gw) },
};

static int l3_nl_config(void *priv, const struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VALE_L3_ATTR_MAX + 1];
	struct l3_req *q;
	struct l3_err why;
	int err, i;

	err = nla_parse_nested(tb, VALE_L3_ATTR_MAX, attr, l3_policy, extack);
	if (err)
		return err;
	q = kzalloc(sizeof(*q), GFP_KERNEL);	/* keeps the stack frame small */
	if (!q)
		return -ENOMEM;
	for (i = 1; i <= VALE_L3_ATTR_MAX; i++)
		if (tb[i])
			q->has |= 1u << i;
	if (tb[VALE_L3_ATTR_OP])
		q->op = nla_get_u32(tb[VALE_L3_ATTR_OP]);
	if (tb[VALE_L3_ATTR_PORT])
		q->port = nla_get_u32(tb[VALE_L3_ATTR_PORT]);
	if (tb[VALE_L3_ATTR_MAC])
		memcpy(q->mac, nla_data(tb[VALE_L3_ATTR_MAC]), ETH_ALEN);
	if (tb[VALE_L3_ATTR_PREFIX_LEN])
		q->plen = nla_get_u8(tb[VALE_L3_ATTR_PREFIX_LEN]);
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		if (!tb[addrs[i].type])
			continue;
		err = l3_nl_addr(tb[addrs[i].type],
				 (struct l3_addr *)((u8 *)q + addrs[i].offset), extack);
		if (err)
			goto out;
	}
	err = l3_apply(priv, q, &why);
	if (err && extack) {
		/* why.msg is a string literal of l3.c, as NL_SET_ERR_MSG wants. */
		extack->_msg = why.msg;
		if (why.missing)
			NL_SET_ERR_ATTR_MISS(extack, attr, why.attr);
		else if (why.attr && tb[why.attr])
			NL_SET_BAD_ATTR(extack, tb[why.attr]);
	}
out:
	kfree(q);
	return err;
}

static int l3_nl_put_addr(struct sk_buff *skb, int type, const struct l3_addr *a)
{
	return nla_put(skb, type, a->family == 4 ? 4 : 16, a->b);
}

static int l3_nl_put_stats(struct sk_buff *skb, const u64 *stats)
{
	struct nlattr *nest = nla_nest_start(skb, VALE_L3_ATTR_STATS);
	int i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 1; i < VALE_L3_STATS_PAD; i++)
		if (nla_put_u64_64bit(skb, i, stats[i], VALE_L3_STATS_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* One object of the router's state, in the attributes that make it. */
static int l3_nl_dump(void *priv, struct sk_buff *skb, u64 *pos)
{
	struct l3_req *o = kzalloc(sizeof(*o), GFP_KERNEL);
	u64 next = *pos;
	int err;

	if (!o)
		return -ENOMEM;
	err = l3_dump_next(priv, &next, o);
	if (err <= 0)
		goto out;
	if (nla_put_u32(skb, VALE_L3_ATTR_OP, o->op) ||
	    ((o->has & 1u << VALE_L3_ATTR_PORT) && nla_put_u32(skb, VALE_L3_ATTR_PORT, o->port)) ||
	    ((o->has & 1u << VALE_L3_ATTR_MAC) &&
	     nla_put(skb, VALE_L3_ATTR_MAC, ETH_ALEN, o->mac)) ||
	    ((o->has & 1u << VALE_L3_ATTR_ADDR) &&
	     l3_nl_put_addr(skb, VALE_L3_ATTR_ADDR, &o->addr)) ||
	    ((o->has & 1u << VALE_L3_ATTR_PREFIX) &&
	     l3_nl_put_addr(skb, VALE_L3_ATTR_PREFIX, &o->prefix)) ||
	    ((o->has & 1u << VALE_L3_ATTR_PREFIX_LEN) &&
	     nla_put_u8(skb, VALE_L3_ATTR_PREFIX_LEN, o->plen)) ||
	    ((o->has & 1u << VALE_L3_ATTR_GATEWAY) &&
	     l3_nl_put_addr(skb, VALE_L3_ATTR_GATEWAY, &o->gw)) ||
	    ((o->has & 1u << VALE_L3_ATTR_STATS) && l3_nl_put_stats(skb, o->stats))) {
		err = -EMSGSIZE;
		goto out;
	}
	*pos = next;
	err = 1;
out:
	kfree(o);
	return err;
}

static int __init l3_init(void)
{
	l3_ops.config = l3_nl_config;
	l3_ops.dump = l3_nl_dump;
	return vale_lookup_register(&l3_ops);
}

static void __exit l3_exit(void)
{
	vale_lookup_unregister(&l3_ops);
}

module_init(l3_init);
module_exit(l3_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VALE lookup module: IPv4/IPv6 router");
/* So that setting lookup module "l3" on a switch loads it on demand. */
MODULE_ALIAS("vale-lookup-l3");
