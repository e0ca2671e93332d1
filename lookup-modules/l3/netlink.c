// SPDX-License-Identifier: GPL-2.0
/*
 * The l3 router as a kernel module: its netlink configuration (the nested
 * VALE_ATTR_LOOKUP_CONFIG of VALE_CMD_LOOKUP_CONFIG, enum vale_l3_attr in
 * include/uapi/linux/vale.h) turned into struct l3_req for l3_apply(),
 * dumps turned back into the same attributes, and module init/exit.
 *
 * Attributes are declared once (l3_attrs) and checked by the core against
 * the declaration (known, types, lengths, ranges) before l3_nl_config
 * sees them; what an operation requires and accepts, and the meaning of
 * values, by l3_apply(); every rejection carries an extack message that
 * points at the attribute at fault. Dumps give one table per kind of
 * object (l3_tables), each row in the attributes of the request that
 * makes it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <net/netlink.h>

#include "l3.h"

static const char *const l3_op_names[] = {
	"unspec", "port_set", "port_del", "addr_add", "addr_del", "route_add", "route_del",
	"neigh_add", "neigh_del", "flush", "stats", NULL
};

/*
 * The router's attributes (enum vale_l3_attr), declared once for the
 * core's checks and the tools: what each operation requires is l3_apply's.
 */
static const struct vale_lookup_attr l3_attrs[] = {
	{ .id = VALE_L3_ATTR_OP, .name = "op", .type = VALE_TYPE_U32,
	  .min = VALE_L3_OP_PORT_SET, .max = VALE_L3_OP_FLUSH, .values = l3_op_names,
	  .doc = "the operation (port_set, addr_add, route_add, neigh_add, ..., flush)" },
	{ .id = VALE_L3_ATTR_PORT, .name = "port", .type = VALE_TYPE_PORT,
	  .doc = "a router port" },
	{ .id = VALE_L3_ATTR_MAC, .name = "mac", .type = VALE_TYPE_MAC,
	  .doc = "a router port's or a neighbour's MAC address" },
	{ .id = VALE_L3_ATTR_ADDR, .name = "addr", .type = VALE_TYPE_IP,
	  .doc = "a router address or a neighbour's address" },
	{ .id = VALE_L3_ATTR_PREFIX, .name = "prefix", .type = VALE_TYPE_IP,
	  .doc = "a route's destination (host bits zero)" },
	{ .id = VALE_L3_ATTR_PREFIX_LEN, .name = "prefix_len", .type = VALE_TYPE_U8,
	  .max = 128, .doc = "its length in bits (0 .. 32 or 0 .. 128)" },
	{ .id = VALE_L3_ATTR_GATEWAY, .name = "gateway", .type = VALE_TYPE_IP,
	  .doc = "a route's next hop (none: a connected network)" },
	{ .id = VALE_L3_ATTR_STATS, .name = "stats", .type = VALE_TYPE_NESTED,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "the router's counters (enum vale_l3_stats)" },
	{ }
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

static int l3_nl_config(void *priv, const struct nlattr *const *tb,
			struct netlink_ext_ack *extack)
{
	struct l3_req *q;
	struct l3_err why;
	int err = 0, i;

	q = kzalloc(sizeof(*q), GFP_KERNEL);	/* keeps the stack frame small */
	if (!q)
		return -ENOMEM;
	for (i = 1; i <= VALE_L3_ATTR_GATEWAY; i++)	/* what requests carry */
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
			NL_SET_ERR_ATTR_MISS(extack, NULL, why.attr);
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
static int l3_nl_put_obj(struct sk_buff *skb, const struct l3_req *o)
{
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
	    ((o->has & 1u << VALE_L3_ATTR_STATS) && l3_nl_put_stats(skb, o->stats)))
		return -EMSGSIZE;
	return 0;
}

/* The next object of one kind (a table): *pos is l3_dump_next's cursor. */
static int l3_nl_dump_kind(void *priv, struct sk_buff *skb, u64 *pos, u32 kind)
{
	struct l3_req *o = kzalloc(sizeof(*o), GFP_KERNEL);
	u64 next = *pos ?: (u64)kind << 32;
	int err;

	if (!o)
		return -ENOMEM;
	err = l3_dump_next(priv, &next, o);
	if (err <= 0 || next >> 32 != kind) {
		err = 0;	/* past the last of this kind */
		goto out;
	}
	err = l3_nl_put_obj(skb, o);
	if (err)
		goto out;
	*pos = next;
	err = 1;
out:
	kfree(o);
	return err;
}

#define L3_TABLE(fn, kind)							\
static int fn(void *priv, struct sk_buff *skb, u64 *pos)			\
{										\
	return l3_nl_dump_kind(priv, skb, pos, kind);				\
}
L3_TABLE(l3_nl_dump_stats, L3_DUMP_STATS)
L3_TABLE(l3_nl_dump_ports, L3_DUMP_PORTS)
L3_TABLE(l3_nl_dump_addrs, L3_DUMP_ADDRS)
L3_TABLE(l3_nl_dump_neighs, L3_DUMP_NEIGHS)
L3_TABLE(l3_nl_dump_routes, L3_DUMP_ROUTES)

/* Rows are the requests that make each object (op port_set, ...). */
static const struct vale_lookup_table l3_tables[] = {
	{ .name = "stats", .doc = "the router's counters", .dump = l3_nl_dump_stats },
	{ .name = "ports", .doc = "router ports and their MACs", .dump = l3_nl_dump_ports },
	{ .name = "addresses", .doc = "router addresses", .dump = l3_nl_dump_addrs },
	{ .name = "neighbours", .doc = "static neighbours", .dump = l3_nl_dump_neighs },
	{ .name = "routes", .doc = "routes", .dump = l3_nl_dump_routes },
	{ }
};

static int __init l3_init(void)
{
	l3_ops.attrs = l3_attrs;
	l3_ops.tables = l3_tables;
	l3_ops.config = l3_nl_config;
	return vale_lookup_register(&l3_ops);
}

static void __exit l3_exit(void)
{
	vale_lookup_unregister(&l3_ops);
}

module_init(l3_init);
module_exit(l3_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(VALE_VERSION);
MODULE_DESCRIPTION("VALE lookup module: IPv4/IPv6 router");
/* So that setting lookup module "l3" on a switch loads it on demand. */
MODULE_ALIAS("vale-lookup-l3");
