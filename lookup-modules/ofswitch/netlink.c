// SPDX-License-Identifier: GPL-2.0
/*
 * ofswitch as a kernel module: its netlink configuration (the nested
 * VALE_ATTR_LOOKUP_CONFIG of VALE_CMD_LOOKUP_CONFIG, enum vale_of_attr in
 * include/uapi/linux/vale.h) turned into the control operations of
 * table.c, dumps turned back into the same attributes, module init/exit.
 *
 * Attributes are checked by strict policies (types, lengths, ranges;
 * unknown attributes are rejected by the netlink core, naming them);
 * what an operation requires, and the meaning of values, here and by
 * of_check_spec(); every rejection carries an extack message pointing at
 * the attribute at fault. Called with the core's lock held; each takes
 * the table's lock (against the expiry tick, tick.c) around the control
 * operations it calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <net/netlink.h>

#include "of_priv.h"

static const struct nla_policy of_match_policy[VALE_OF_MATCH_MAX + 1] = {
	[VALE_OF_MATCH_IN_PORT] = NLA_POLICY_MAX(NLA_U32, VALE_MAX_PORTS - 1),
	[VALE_OF_MATCH_ETH_SRC] = NLA_POLICY_ETH_ADDR,
	[VALE_OF_MATCH_ETH_DST] = NLA_POLICY_ETH_ADDR,
	[VALE_OF_MATCH_ETH_TYPE] = { .type = NLA_U16 },
	[VALE_OF_MATCH_VLAN_VID] = { .type = NLA_U16 },
	[VALE_OF_MATCH_IP_PROTO] = { .type = NLA_U8 },
	[VALE_OF_MATCH_IP_SRC] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[VALE_OF_MATCH_IP_SRC_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VALE_OF_MATCH_IP_DST] = NLA_POLICY_RANGE(NLA_BINARY, 4, 16),
	[VALE_OF_MATCH_IP_DST_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[VALE_OF_MATCH_TP_SRC] = { .type = NLA_U16 },
	[VALE_OF_MATCH_TP_DST] = { .type = NLA_U16 },
};

static const struct nla_policy of_action_policy[VALE_OF_ACTION_MAX + 1] = {
	[VALE_OF_ACTION_OUTPUT] = NLA_POLICY_MAX(NLA_U32, VALE_MAX_PORTS - 1),
	[VALE_OF_ACTION_FLOOD] = { .type = NLA_FLAG },
	[VALE_OF_ACTION_DROP] = { .type = NLA_FLAG },
	[VALE_OF_ACTION_CONTROLLER] = { .type = NLA_FLAG },
	[VALE_OF_ACTION_PUSH_VLAN] = NLA_POLICY_MAX(NLA_U16, OF_VLAN_VID),
	[VALE_OF_ACTION_POP_VLAN] = { .type = NLA_FLAG },
	[VALE_OF_ACTION_SET_VLAN_VID] = NLA_POLICY_MAX(NLA_U16, OF_VLAN_VID),
	[VALE_OF_ACTION_SET_ETH_SRC] = NLA_POLICY_ETH_ADDR,
	[VALE_OF_ACTION_SET_ETH_DST] = NLA_POLICY_ETH_ADDR,
};

static const char *const of_op_names[] = {
	"unspec", "flow_add", "flow_mod", "flow_del", "miss_set", "controller_set", "emc_set",
	"table", "flow", NULL
};

/*
 * The flow table's attributes (enum vale_of_attr), declared once for the
 * core's checks and the tools. MATCH and ACTIONS nest their own
 * attributes, checked below by their policies; what each operation
 * requires and accepts, by of_nl_config.
 */
static const struct vale_lookup_attr of_attrs[] = {
	{ .id = VALE_OF_ATTR_OP, .name = "op", .type = VALE_TYPE_U32,
	  .min = VALE_OF_OP_FLOW_ADD, .max = VALE_OF_OP_EMC_SET, .values = of_op_names,
	  .doc = "the operation (flow_add, flow_mod, flow_del, miss_set, ...)" },
	{ .id = VALE_OF_ATTR_MATCH, .name = "match", .type = VALE_TYPE_NESTED,
	  .doc = "a flow's match (enum vale_of_match)" },
	{ .id = VALE_OF_ATTR_PRIORITY, .name = "priority", .type = VALE_TYPE_U32, .max = 65535,
	  .doc = "a flow's priority (default 32768)" },
	{ .id = VALE_OF_ATTR_IDLE_TIMEOUT, .name = "idle_timeout", .type = VALE_TYPE_U32,
	  .doc = "seconds without a match before the flow goes (0: never)" },
	{ .id = VALE_OF_ATTR_HARD_TIMEOUT, .name = "hard_timeout", .type = VALE_TYPE_U32,
	  .doc = "seconds before the flow goes (0: never)" },
	{ .id = VALE_OF_ATTR_COOKIE, .name = "cookie", .type = VALE_TYPE_U64,
	  .doc = "the controller's value for the flow" },
	{ .id = VALE_OF_ATTR_ACTIONS, .name = "actions", .type = VALE_TYPE_NESTED,
	  .doc = "a flow's actions, in order (enum vale_of_action)" },
	{ .id = VALE_OF_ATTR_STRICT, .name = "strict", .type = VALE_TYPE_FLAG,
	  .doc = "flow_mod and flow_del: only the flow with this match and priority" },
	{ .id = VALE_OF_ATTR_CONTROLLER, .name = "controller", .type = VALE_TYPE_U32,
	  .flags = VALE_SCHEMA_F_SETTING, .max = VALE_DROP,
	  .doc = "the port packet-ins go to (255: none)" },
	{ .id = VALE_OF_ATTR_EMC, .name = "emc", .type = VALE_TYPE_U8,
	  .flags = VALE_SCHEMA_F_SETTING, .max = 1, .doc = "the exact-match cache on (1) or off" },
	{ .id = VALE_OF_ATTR_STATS, .name = "stats", .type = VALE_TYPE_NESTED,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "counters (enum vale_of_stats)" },
	{ }
};

/* An address and prefix length into key/mask (16 bytes each). */
static int of_nl_prefix(struct nlattr *a, struct nlattr *alen, u32 want, u8 *key, u8 *mask,
			struct netlink_ext_ack *extack)
{
	u32 bytes = nla_len(a), plen = alen ? nla_get_u8(alen) : 8 * bytes, i;

	if (bytes != want) {
		NL_SET_ERR_MSG_ATTR(extack, a, "address length does not match ETH_TYPE (4 or 16)");
		return -EINVAL;
	}
	if (plen > 8 * bytes) {
		NL_SET_ERR_MSG_ATTR(extack, alen, "prefix length too long for the address");
		return -EINVAL;
	}
	for (i = 0; i < bytes; i++) {
		u32 bits = plen > 8 * i ? min(plen - 8 * i, 8u) : 0;

		mask[i] = bits ? (u8)(0xff << (8 - bits)) : 0;
		key[i] = ((const u8 *)nla_data(a))[i];
		if (key[i] & ~mask[i]) {
			NL_SET_ERR_MSG_ATTR(extack, a, "address bits set past the prefix length");
			return -EINVAL;
		}
	}
	return 0;
}

static int of_nl_match(const struct nlattr *attr, struct of_match *m, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VALE_OF_MATCH_MAX + 1];
	struct of_key *k = &m->key, *mk = &m->mask;
	u32 want;
	int err;

	memset(m, 0, sizeof(*m));
	err = nla_parse_nested(tb, VALE_OF_MATCH_MAX, attr, of_match_policy, extack);
	if (err)
		return err;
	if (tb[VALE_OF_MATCH_IN_PORT]) {
		k->in_port = nla_get_u32(tb[VALE_OF_MATCH_IN_PORT]);
		mk->in_port = 0xffff;
	}
	if (tb[VALE_OF_MATCH_ETH_SRC]) {
		memcpy(k->eth_src, nla_data(tb[VALE_OF_MATCH_ETH_SRC]), ETH_ALEN);
		eth_broadcast_addr(mk->eth_src);
	}
	if (tb[VALE_OF_MATCH_ETH_DST]) {
		memcpy(k->eth_dst, nla_data(tb[VALE_OF_MATCH_ETH_DST]), ETH_ALEN);
		eth_broadcast_addr(mk->eth_dst);
	}
	if (tb[VALE_OF_MATCH_ETH_TYPE]) {
		k->eth_type = nla_get_u16(tb[VALE_OF_MATCH_ETH_TYPE]);
		mk->eth_type = 0xffff;
	}
	if (tb[VALE_OF_MATCH_VLAN_VID]) {
		u16 vid = nla_get_u16(tb[VALE_OF_MATCH_VLAN_VID]);

		if (vid > OF_VLAN_VID && vid != VALE_OF_VLAN_NONE) {
			NL_SET_ERR_MSG_ATTR(extack, tb[VALE_OF_MATCH_VLAN_VID],
					    "VLAN id is 0 .. 4095, or 0xffff for untagged");
			return -EINVAL;
		}
		k->vlan = vid == VALE_OF_VLAN_NONE ? 0 : OF_VLAN_PRESENT | vid;
		mk->vlan = OF_VLAN_PRESENT | OF_VLAN_VID;
	}
	if (tb[VALE_OF_MATCH_IP_PROTO]) {
		k->ip_proto = nla_get_u8(tb[VALE_OF_MATCH_IP_PROTO]);
		mk->ip_proto = 0xff;
	}
	want = k->eth_type == 0x86dd ? 16 : 4;
	if (tb[VALE_OF_MATCH_IP_SRC_LEN] && !tb[VALE_OF_MATCH_IP_SRC]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VALE_OF_MATCH_IP_SRC_LEN], "a prefix length needs IP_SRC");
		return -EINVAL;
	}
	if (tb[VALE_OF_MATCH_IP_DST_LEN] && !tb[VALE_OF_MATCH_IP_DST]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[VALE_OF_MATCH_IP_DST_LEN], "a prefix length needs IP_DST");
		return -EINVAL;
	}
	if (tb[VALE_OF_MATCH_IP_SRC] &&
	    (err = of_nl_prefix(tb[VALE_OF_MATCH_IP_SRC], tb[VALE_OF_MATCH_IP_SRC_LEN], want,
				k->ip_src, mk->ip_src, extack)))
		return err;
	if (tb[VALE_OF_MATCH_IP_DST] &&
	    (err = of_nl_prefix(tb[VALE_OF_MATCH_IP_DST], tb[VALE_OF_MATCH_IP_DST_LEN], want,
				k->ip_dst, mk->ip_dst, extack)))
		return err;
	if (tb[VALE_OF_MATCH_TP_SRC]) {
		k->tp_src = nla_get_u16(tb[VALE_OF_MATCH_TP_SRC]);
		mk->tp_src = 0xffff;
	}
	if (tb[VALE_OF_MATCH_TP_DST]) {
		k->tp_dst = nla_get_u16(tb[VALE_OF_MATCH_TP_DST]);
		mk->tp_dst = 0xffff;
	}
	return 0;
}

static int of_nl_actions(const struct nlattr *attr, struct of_action *acts, u32 *n,
			 struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int rem, err;

	*n = 0;
	err = nla_validate_nested(attr, VALE_OF_ACTION_MAX, of_action_policy, extack);
	if (err)
		return err;
	nla_for_each_nested(a, attr, rem) {
		struct of_action *o = &acts[*n];

		if (*n == OF_MAX_ACTIONS) {
			NL_SET_ERR_MSG_ATTR(extack, a, "more than 16 actions");
			return -E2BIG;
		}
		memset(o, 0, sizeof(*o));
		switch (nla_type(a)) {
		case VALE_OF_ACTION_OUTPUT:
			o->type = OF_ACT_OUTPUT;
			o->port = nla_get_u32(a);
			break;
		case VALE_OF_ACTION_FLOOD:
			o->type = OF_ACT_FLOOD;
			break;
		case VALE_OF_ACTION_DROP:
			o->type = OF_ACT_DROP;
			break;
		case VALE_OF_ACTION_CONTROLLER:
			o->type = OF_ACT_CONTROLLER;
			break;
		case VALE_OF_ACTION_PUSH_VLAN:
			o->type = OF_ACT_PUSH_VLAN;
			o->arg16 = nla_get_u16(a);
			break;
		case VALE_OF_ACTION_POP_VLAN:
			o->type = OF_ACT_POP_VLAN;
			break;
		case VALE_OF_ACTION_SET_VLAN_VID:
			o->type = OF_ACT_SET_VLAN;
			o->arg16 = nla_get_u16(a);
			break;
		case VALE_OF_ACTION_SET_ETH_SRC:
			o->type = OF_ACT_SET_ETH_SRC;
			memcpy(o->mac, nla_data(a), ETH_ALEN);
			break;
		case VALE_OF_ACTION_SET_ETH_DST:
			o->type = OF_ACT_SET_ETH_DST;
			memcpy(o->mac, nla_data(a), ETH_ALEN);
			break;
		default:
			NL_SET_ERR_MSG_ATTR(extack, a, "unknown action");
			return -EINVAL;
		}
		(*n)++;
	}
	return 0;
}

/*
 * The table's settings, without an operation (what get_config reports):
 * the controller port and the exact-match cache.
 */
static int of_nl_settings(struct of_table *t, const struct nlattr *const *tb,
			  struct netlink_ext_ack *extack)
{
	const char *why = NULL;
	int err = 0;

	/* tb holds the declared attributes, up to STATS (not PAD). */
	for (int i = 1; i <= VALE_OF_ATTR_STATS; i++) {
		if (tb[i] && i != VALE_OF_ATTR_CONTROLLER && i != VALE_OF_ATTR_EMC) {
			NL_SET_ERR_MSG_ATTR(extack, tb[i],
					    "not a setting: this needs an operation (OP)");
			return -EINVAL;
		}
	}
	vale_mutex_lock(&t->lock);
	if (tb[VALE_OF_ATTR_CONTROLLER]) {
		err = of_set_controller(t, nla_get_u32(tb[VALE_OF_ATTR_CONTROLLER]), &why);
		if (err < 0 && why) {
			extack->_msg = why;
			extack->bad_attr = tb[VALE_OF_ATTR_CONTROLLER];
		}
	}
	if (err >= 0 && tb[VALE_OF_ATTR_EMC])
		of_set_emc(t, nla_get_u8(tb[VALE_OF_ATTR_EMC]));
	vale_mutex_unlock(&t->lock);
	return err < 0 ? err : 0;
}

/* The settings of_nl_settings takes, for SWITCH_GET replies and events. */
static int of_nl_get_config(void *priv, struct sk_buff *skb)
{
	struct of_table_info *ti = kmalloc(sizeof(*ti), GFP_KERNEL);
	struct of_table *t = priv;
	int err;

	if (!ti)
		return -EMSGSIZE;
	vale_mutex_lock(&t->lock);
	of_table_info(t, ti);
	vale_mutex_unlock(&t->lock);
	err = nla_put_u32(skb, VALE_OF_ATTR_CONTROLLER, ti->controller) ||
	      nla_put_u8(skb, VALE_OF_ATTR_EMC, ti->emc) ? -EMSGSIZE : 0;
	kfree(ti);
	return err;
}

static int of_nl_config(void *priv, const struct nlattr *const *tb,
			struct netlink_ext_ack *extack)
{
	struct of_table *t = priv;
	struct of_flow_spec *s;
	const char *why = NULL;
	const struct nlattr *bad;
	bool strict;
	u32 op;
	int err;

	if (!tb[VALE_OF_ATTR_OP]) {
		if (tb[VALE_OF_ATTR_CONTROLLER] || tb[VALE_OF_ATTR_EMC])
			return of_nl_settings(t, tb, extack);
		NL_SET_ERR_ATTR_MISS(extack, NULL, VALE_OF_ATTR_OP);
		NL_SET_ERR_MSG(extack, "missing OP");
		return -EINVAL;
	}
	op = nla_get_u32(tb[VALE_OF_ATTR_OP]);
	s = kzalloc(sizeof(*s), GFP_KERNEL);	/* keeps the stack frame small */
	if (!s)
		return -ENOMEM;
	vale_mutex_lock(&t->lock);
	s->priority = tb[VALE_OF_ATTR_PRIORITY] ? nla_get_u32(tb[VALE_OF_ATTR_PRIORITY]) : 0x8000;
	if (tb[VALE_OF_ATTR_IDLE_TIMEOUT])
		s->idle_timeout = nla_get_u32(tb[VALE_OF_ATTR_IDLE_TIMEOUT]);
	if (tb[VALE_OF_ATTR_HARD_TIMEOUT])
		s->hard_timeout = nla_get_u32(tb[VALE_OF_ATTR_HARD_TIMEOUT]);
	if (tb[VALE_OF_ATTR_COOKIE])
		s->cookie = nla_get_u64(tb[VALE_OF_ATTR_COOKIE]);
	strict = tb[VALE_OF_ATTR_STRICT];
	/* What each operation accepts; anything else is an error. */
	bad = NULL;
	if (op != VALE_OF_OP_FLOW_ADD && (tb[VALE_OF_ATTR_IDLE_TIMEOUT] || tb[VALE_OF_ATTR_HARD_TIMEOUT]))
		bad = tb[VALE_OF_ATTR_IDLE_TIMEOUT] ?: tb[VALE_OF_ATTR_HARD_TIMEOUT];
	else if (op >= VALE_OF_OP_MISS_SET && (tb[VALE_OF_ATTR_MATCH] || tb[VALE_OF_ATTR_PRIORITY] ||
					      tb[VALE_OF_ATTR_STRICT] || tb[VALE_OF_ATTR_COOKIE]))
		bad = tb[VALE_OF_ATTR_MATCH] ?: tb[VALE_OF_ATTR_PRIORITY] ?:
		      tb[VALE_OF_ATTR_STRICT] ?: tb[VALE_OF_ATTR_COOKIE];
	else if (op == VALE_OF_OP_FLOW_ADD && tb[VALE_OF_ATTR_STRICT])
		bad = tb[VALE_OF_ATTR_STRICT];
	else if ((op == VALE_OF_OP_FLOW_DEL || op >= VALE_OF_OP_CONTROLLER_SET) &&
		 tb[VALE_OF_ATTR_ACTIONS])
		bad = tb[VALE_OF_ATTR_ACTIONS];
	else if (op != VALE_OF_OP_CONTROLLER_SET && tb[VALE_OF_ATTR_CONTROLLER])
		bad = tb[VALE_OF_ATTR_CONTROLLER];
	else if (op != VALE_OF_OP_EMC_SET && tb[VALE_OF_ATTR_EMC])
		bad = tb[VALE_OF_ATTR_EMC];
	if (bad) {
		NL_SET_ERR_MSG_ATTR(extack, bad, "attribute not accepted by this operation");
		err = -EINVAL;
		goto out;
	}
	if ((op == VALE_OF_OP_FLOW_ADD || op == VALE_OF_OP_FLOW_MOD) && !tb[VALE_OF_ATTR_MATCH]) {
		NL_SET_ERR_ATTR_MISS(extack, NULL, VALE_OF_ATTR_MATCH);
		NL_SET_ERR_MSG(extack, "missing MATCH");
		err = -EINVAL;
		goto out;
	}
	if (tb[VALE_OF_ATTR_MATCH]) {
		err = of_nl_match(tb[VALE_OF_ATTR_MATCH], &s->match, extack);
		if (err)
			goto out;
	}
	if (tb[VALE_OF_ATTR_ACTIONS]) {
		err = of_nl_actions(tb[VALE_OF_ATTR_ACTIONS], s->actions, &s->n_actions, extack);
		if (err)
			goto out;
	}
	switch (op) {
	case VALE_OF_OP_FLOW_ADD:
		err = of_flow_add(t, s, &why);
		break;
	case VALE_OF_OP_FLOW_MOD:
		err = of_flow_mod(t, s, strict, &why);
		break;
	case VALE_OF_OP_FLOW_DEL:
		err = of_flow_del(t, s, strict, &why);
		break;
	case VALE_OF_OP_MISS_SET:
		err = of_set_miss(t, s->actions, s->n_actions, &why);
		break;
	case VALE_OF_OP_CONTROLLER_SET:
		if (!tb[VALE_OF_ATTR_CONTROLLER]) {
			NL_SET_ERR_ATTR_MISS(extack, NULL, VALE_OF_ATTR_CONTROLLER);
			NL_SET_ERR_MSG(extack, "missing CONTROLLER");
			err = -EINVAL;
			break;
		}
		err = of_set_controller(t, nla_get_u32(tb[VALE_OF_ATTR_CONTROLLER]), &why);
		bad = tb[VALE_OF_ATTR_CONTROLLER];
		break;
	case VALE_OF_OP_EMC_SET:
		if (!tb[VALE_OF_ATTR_EMC]) {
			NL_SET_ERR_ATTR_MISS(extack, NULL, VALE_OF_ATTR_EMC);
			NL_SET_ERR_MSG(extack, "missing EMC");
			err = -EINVAL;
			break;
		}
		of_set_emc(t, nla_get_u8(tb[VALE_OF_ATTR_EMC]));
		break;
	}
	if (err < 0 && why) {
		/* why is a string literal of table.c, as NL_SET_ERR_MSG wants;
		 * a bad spec is in MATCH or ACTIONS. */
		if (!bad)
			bad = (err == -ENOENT || !tb[VALE_OF_ATTR_ACTIONS] ||
			       !strncmp(why, "a partial", 9) || strstr(why, "IP") || strstr(why, "port"))
				? tb[VALE_OF_ATTR_MATCH] : tb[VALE_OF_ATTR_ACTIONS];
		if (strstr(why, "output port") || strstr(why, "action") || strstr(why, "VLAN id") ||
		    strstr(why, "controller") || strstr(why, "VLAN push"))
			bad = tb[VALE_OF_ATTR_ACTIONS] ?: bad;
		extack->_msg = why;
		if (bad)
			extack->bad_attr = bad;
	}
out:
	vale_mutex_unlock(&t->lock);
	kfree(s);
	return err < 0 ? err : 0;
}

static int of_nl_put_actions(struct sk_buff *skb, const struct of_action *a, u32 n)
{
	struct nlattr *nest = nla_nest_start(skb, VALE_OF_ATTR_ACTIONS);
	u32 i;
	int err = 0;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < n && !err; i++) {
		switch (a[i].type) {
		case OF_ACT_OUTPUT:
			err = nla_put_u32(skb, VALE_OF_ACTION_OUTPUT, a[i].port);
			break;
		case OF_ACT_FLOOD:
			err = nla_put_flag(skb, VALE_OF_ACTION_FLOOD);
			break;
		case OF_ACT_DROP:
			err = nla_put_flag(skb, VALE_OF_ACTION_DROP);
			break;
		case OF_ACT_CONTROLLER:
			err = nla_put_flag(skb, VALE_OF_ACTION_CONTROLLER);
			break;
		case OF_ACT_PUSH_VLAN:
			err = nla_put_u16(skb, VALE_OF_ACTION_PUSH_VLAN, a[i].arg16);
			break;
		case OF_ACT_POP_VLAN:
			err = nla_put_flag(skb, VALE_OF_ACTION_POP_VLAN);
			break;
		case OF_ACT_SET_VLAN:
			err = nla_put_u16(skb, VALE_OF_ACTION_SET_VLAN_VID, a[i].arg16);
			break;
		case OF_ACT_SET_ETH_SRC:
			err = nla_put(skb, VALE_OF_ACTION_SET_ETH_SRC, ETH_ALEN, a[i].mac);
			break;
		case OF_ACT_SET_ETH_DST:
			err = nla_put(skb, VALE_OF_ACTION_SET_ETH_DST, ETH_ALEN, a[i].mac);
			break;
		}
	}
	if (err)
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static u32 of_plen(const u8 *m, u32 bytes)
{
	u32 i, n = 0;

	for (i = 0; i < bytes; i++)
		n += hweight8(m[i]);
	return n;
}

static int of_nl_put_match(struct sk_buff *skb, const struct of_match *m)
{
	const struct of_key *k = &m->key, *mk = &m->mask;
	struct nlattr *nest = nla_nest_start(skb, VALE_OF_ATTR_MATCH);
	u32 bytes = k->eth_type == 0x86dd ? 16 : 4;

	if (!nest ||
	    (mk->in_port && nla_put_u32(skb, VALE_OF_MATCH_IN_PORT, k->in_port)) ||
	    (mk->eth_src[0] && nla_put(skb, VALE_OF_MATCH_ETH_SRC, ETH_ALEN, k->eth_src)) ||
	    (mk->eth_dst[0] && nla_put(skb, VALE_OF_MATCH_ETH_DST, ETH_ALEN, k->eth_dst)) ||
	    (mk->eth_type && nla_put_u16(skb, VALE_OF_MATCH_ETH_TYPE, k->eth_type)) ||
	    (mk->vlan && nla_put_u16(skb, VALE_OF_MATCH_VLAN_VID,
				     k->vlan ? k->vlan & OF_VLAN_VID : VALE_OF_VLAN_NONE)) ||
	    (mk->ip_proto && nla_put_u8(skb, VALE_OF_MATCH_IP_PROTO, k->ip_proto)) ||
	    (mk->ip_src[0] && (nla_put(skb, VALE_OF_MATCH_IP_SRC, bytes, k->ip_src) ||
			       nla_put_u8(skb, VALE_OF_MATCH_IP_SRC_LEN, of_plen(mk->ip_src, bytes)))) ||
	    (mk->ip_dst[0] && (nla_put(skb, VALE_OF_MATCH_IP_DST, bytes, k->ip_dst) ||
			       nla_put_u8(skb, VALE_OF_MATCH_IP_DST_LEN, of_plen(mk->ip_dst, bytes)))) ||
	    (mk->tp_src && nla_put_u16(skb, VALE_OF_MATCH_TP_SRC, k->tp_src)) ||
	    (mk->tp_dst && nla_put_u16(skb, VALE_OF_MATCH_TP_DST, k->tp_dst)))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* Table "table": one row, the table's settings, miss rule and counters. */
static int of_nl_dump_table(void *priv, struct sk_buff *skb, u64 *pos)
{
	struct of_table *t = priv;
	struct nlattr *st;
	int err = -EMSGSIZE;

	if (*pos == 0) {
		struct of_table_info *ti = kmalloc(sizeof(*ti), GFP_KERNEL);

		if (!ti)
			return -ENOMEM;
		vale_mutex_lock(&t->lock);
		of_table_info(t, ti);
		vale_mutex_unlock(&t->lock);
		if (nla_put_u32(skb, VALE_OF_ATTR_OP, VALE_OF_OP_TABLE) ||
		    nla_put_u32(skb, VALE_OF_ATTR_CONTROLLER, ti->controller) ||
		    nla_put_u8(skb, VALE_OF_ATTR_EMC, ti->emc) ||
		    of_nl_put_actions(skb, ti->miss, ti->n_miss_actions) ||
		    !(st = nla_nest_start(skb, VALE_OF_ATTR_STATS)) ||
		    nla_put_u32(skb, VALE_OF_STATS_FLOWS, ti->n_flows) ||
		    nla_put_u64_64bit(skb, VALE_OF_STATS_PACKETS, ti->miss_packets, VALE_OF_STATS_PAD) ||
		    nla_put_u64_64bit(skb, VALE_OF_STATS_BYTES, ti->miss_bytes, VALE_OF_STATS_PAD))
			goto out_ti;
		nla_nest_end(skb, st);
		*pos = 1;
		err = 1;
out_ti:
		kfree(ti);
		return err;
	}
	return 0;
}

/* Table "flows": a row per flow, from the flow in slot *pos on. */
static int of_nl_dump_flows(void *priv, struct sk_buff *skb, u64 *pos)
{
	struct of_flow_info *fi = kmalloc(sizeof(*fi), GFP_KERNEL);
	struct of_table *t = priv;
	u64 next = *pos;
	struct nlattr *st;
	int err;

	if (!fi)
		return -ENOMEM;
	vale_mutex_lock(&t->lock);
	err = of_flow_next(t, &next, fi);
	vale_mutex_unlock(&t->lock);
	if (err <= 0)
		goto out_fi;
	err = -EMSGSIZE;
	if (nla_put_u32(skb, VALE_OF_ATTR_OP, VALE_OF_OP_FLOW) ||
	    of_nl_put_match(skb, &fi->spec.match) ||
	    nla_put_u32(skb, VALE_OF_ATTR_PRIORITY, fi->spec.priority) ||
	    nla_put_u32(skb, VALE_OF_ATTR_IDLE_TIMEOUT, fi->spec.idle_timeout) ||
	    nla_put_u32(skb, VALE_OF_ATTR_HARD_TIMEOUT, fi->spec.hard_timeout) ||
	    nla_put_u64_64bit(skb, VALE_OF_ATTR_COOKIE, fi->spec.cookie, VALE_OF_ATTR_PAD) ||
	    of_nl_put_actions(skb, fi->spec.actions, fi->spec.n_actions) ||
	    !(st = nla_nest_start(skb, VALE_OF_ATTR_STATS)) ||
	    nla_put_u64_64bit(skb, VALE_OF_STATS_PACKETS, fi->packets, VALE_OF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_OF_STATS_BYTES, fi->bytes, VALE_OF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_OF_STATS_DURATION, fi->duration, VALE_OF_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_OF_STATS_IDLE_AGE, fi->idle_age, VALE_OF_STATS_PAD))
		goto out_fi;
	nla_nest_end(skb, st);
	*pos = next;
	err = 1;
out_fi:
	kfree(fi);
	return err;
}

static const struct vale_lookup_table of_tables[] = {
	{ .name = "table", .doc = "the table: controller, emc, the miss rule, counters",
	  .dump = of_nl_dump_table },
	{ .name = "flows", .doc = "flows, with their counters", .dump = of_nl_dump_flows },
	{ }
};

static int __init of_init(void)
{
	of_ops.create = of_tick_create;
	of_ops.destroy = of_tick_destroy;
	of_ops.attrs = of_attrs;
	of_ops.tables = of_tables;
	of_ops.config = of_nl_config;
	of_ops.get_config = of_nl_get_config;
	return vale_lookup_register(&of_ops);
}

static void __exit of_exit(void)
{
	vale_lookup_unregister(&of_ops);
}

module_init(of_init);
module_exit(of_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(VALE_VERSION);
MODULE_DESCRIPTION("VALE lookup module: OpenFlow-like flow table");
/* So that setting lookup module "of" on a switch loads it on demand. */
MODULE_ALIAS("vale-lookup-of");
