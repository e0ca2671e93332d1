// SPDX-License-Identifier: GPL-2.0
/*
 * The "vale" generic netlink family (include/uapi/linux/vale.h): switches,
 * ports, persistent interfaces and lookup modules, for valectl and pyctl.
 * Lookup modules are configured and dumped through one channel (below,
 * "lookup modules"), checked against each module's declaration: this file
 * knows no module by name.
 *
 * Every operation has its own strict policy: an attribute it does not
 * accept is rejected by the core ("Unsupported attribute", pointing at
 * it), required ones are checked up front, and every other rejection
 * carries an extack message naming the attribute at fault.
 *
 * Each request resolves its switch and port once, under nm_lock and the
 * core lock, which are held until the reply is built: nothing it looks at
 * can be detached or freed meanwhile. Dumps resume from (switch, port)
 * numbers, which do not move when others come and go, and flag a dump
 * that spanned a change (NLM_F_DUMP_INTR) through a generation count.
 *
 * The family is netnsok: a request sees and changes only the switches,
 * ports and interfaces of its socket's network namespace (genl_info_net,
 * sock_net for dumps); another namespace's answer as if they did not
 * exist. Events go to listeners in the namespace of what changed. The
 * requests that change anything need CAP_NET_ADMIN over that namespace
 * (GENL_UNS_ADMIN_PERM), as the /dev/netmap requests do (kmod/dev.c;
 * the namespace model: kmod/net.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/stringify.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include <uapi/linux/vale.h>

#include "vale_port.h"

static struct genl_family vale_genl_family;
static unsigned int vale_genl_gen;	/* changes of switches and ports */
static bool vale_genl_registered;	/* events may go out */

enum { VALE_MCGRP_EVENTS_ID };

static const struct genl_multicast_group vale_mcgrps[] = {
	[VALE_MCGRP_EVENTS_ID] = { .name = VALE_MCGRP_EVENTS },
};

#define VALE_NAME_POLICY { .type = NLA_NUL_STRING, .len = VALE_NAME_MAX - 1 }
#define VALE_IFNAME_POLICY { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 }

static const struct nla_policy vale_switch_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_NAME] = VALE_NAME_POLICY,
};

static const struct nla_policy vale_switch_name_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
};

static const struct nla_policy vale_port_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_PORT_NAME] = VALE_NAME_POLICY,
};

static const struct nla_policy vale_port_attach_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_PORT_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_PORT_HOST] = { .type = NLA_FLAG },
};

static const struct nla_policy vale_if_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_IF_NAME] = VALE_IFNAME_POLICY,
	[VALE_ATTR_PORT_TX_RINGS] = NLA_POLICY_RANGE(NLA_U32, 1, VALE_MAX_RINGS),
	[VALE_ATTR_PORT_RX_RINGS] = NLA_POLICY_RANGE(NLA_U32, 1, VALE_MAX_RINGS),
	[VALE_ATTR_PORT_TX_SLOTS] = NLA_POLICY_RANGE(NLA_U32, VALE_MIN_SLOTS, VALE_MAX_SLOTS),
	[VALE_ATTR_PORT_RX_SLOTS] = NLA_POLICY_RANGE(NLA_U32, VALE_MIN_SLOTS, VALE_MAX_SLOTS),
};

static const struct nla_policy vale_if_del_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_IF_NAME] = VALE_IFNAME_POLICY,
};

static const struct nla_policy vale_lookup_config_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_CONFIG] = { .type = NLA_NESTED },
};

static const struct nla_policy vale_lookup_dump_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_TABLE] = VALE_NAME_POLICY,
};

/* --------------------------------------------------------- resolving */

static struct vale_switch *vale_genl_switch(struct net *net, struct nlattr *attr,
					    struct netlink_ext_ack *extack)
{
	struct vale_switch *sw = vale_switch_find(net, nla_data(attr));

	if (!sw)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such switch");
	return sw;
}

static struct vale_port *vale_genl_port(struct vale_switch *sw, struct nlattr *attr,
					struct netlink_ext_ack *extack)
{
	struct vale_port *vp = vale_switch_port(sw, nla_data(attr));

	if (!vp)
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such port on this switch");
	return vp;
}

/* ------------------------------------------------------------ replies */

/* The module's settings, nested in LOOKUP_CONFIG, if it reports any. */
static int vale_put_lookup_config(struct sk_buff *skb, const struct vale_lookup_inst *li)
{
	struct nlattr *nest;

	if (!li->ops->get_config)
		return 0;
	nest = nla_nest_start(skb, VALE_ATTR_LOOKUP_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (li->ops->get_config(li->priv, skb)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int vale_fill_switch(struct sk_buff *skb, struct vale_switch *sw, u32 portid, u32 seq,
			    int flags, u8 cmd)
{
	const struct vale_lookup_inst *li = vale_deref_ctl(sw->lookup, &vale_lock);
	void *hdr = genlmsg_put(skb, portid, seq, &vale_genl_family, flags, cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, VALE_ATTR_SWITCH_NAME, sw->name) ||
	    nla_put_u32(skb, VALE_ATTR_SWITCH_INDEX, sw->index) ||
	    nla_put_u32(skb, VALE_ATTR_SWITCH_PORTS, sw->nports) ||
	    nla_put_string(skb, VALE_ATTR_LOOKUP_NAME, li->ops->name) ||
	    vale_put_lookup_config(skb, li) ||
	    (sw->persistent && nla_put_flag(skb, VALE_ATTR_SWITCH_PERSISTENT))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static int vale_put_stats(struct sk_buff *skb, const struct vale_port *vp)
{
	struct vale_port_stats st;
	struct nlattr *nest;

	vale_port_stats(vp, &st);
	nest = nla_nest_start(skb, VALE_ATTR_PORT_STATS);
	if (!nest ||
	    nla_put_u64_64bit(skb, VALE_STATS_TX_PACKETS, st.tx_pkts, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_TX_BYTES, st.tx_bytes, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_RX_PACKETS, st.rx_pkts, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_RX_BYTES, st.rx_bytes, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_DROP_LOOKUP, st.drop_lookup, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_DROP_BAD, st.drop_bad, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_DROP_FULL, st.drop_full, VALE_STATS_PAD) ||
	    nla_put_u64_64bit(skb, VALE_STATS_DROP_BAD_BUF, st.drop_bad_buf, VALE_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int vale_fill_port(struct sk_buff *skb, struct vale_switch *sw, struct vale_port *vp,
			  u32 portid, u32 seq, int flags, u8 cmd)
{
	struct nm_vale_port *vpp = vp->owner;
	struct nm_port *port = &vpp->port;
	void *hdr = genlmsg_put(skb, portid, seq, &vale_genl_family, flags, cmd);
	bool with_host = false;
	u32 kind;

	if (!hdr)
		return -EMSGSIZE;
	kind = vpp->nic ? nm_nic_port_kind(vpp, &with_host) :
	       vpp->vi ? VALE_PORT_VIRTUAL : VALE_PORT_EPHEMERAL;
	if (nla_put_string(skb, VALE_ATTR_SWITCH_NAME, sw->name) ||
	    nla_put_string(skb, VALE_ATTR_PORT_NAME, vp->name) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_INDEX, vp->index) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_KIND, kind) ||
	    (with_host && nla_put_flag(skb, VALE_ATTR_PORT_HOST)) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_TX_RINGS, port->num_rings[NM_TX]) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_RX_RINGS, port->num_rings[NM_RX]) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_TX_SLOTS, port->num_slots[NM_TX]) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_RX_SLOTS, port->num_slots[NM_RX]) ||
	    nla_put_u32(skb, VALE_ATTR_PORT_MEM_ID, port->mem->id) ||
	    vale_put_stats(skb, vp)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * Announce a change to listeners, if any: the core calls this for every
 * switch and port change, whoever makes it (core lock held). LOOKUP_SET
 * is announced by its command.
 */
static void vale_announce(struct vale_switch *sw, struct vale_port *vp, u8 cmd)
{
	struct net *net = sw->ns;	/* the switch's namespace */
	struct sk_buff *skb;
	int err;

	vale_genl_gen++;
	if (!genl_has_listeners(&vale_genl_family, net, VALE_MCGRP_EVENTS_ID))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	err = vp ? vale_fill_port(skb, sw, vp, 0, 0, 0, cmd) :
		   vale_fill_switch(skb, sw, 0, 0, 0, cmd);
	if (err) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_multicast_netns(&vale_genl_family, net, skb, 0, VALE_MCGRP_EVENTS_ID, GFP_KERNEL);
}

static void vale_genl_event(struct vale_switch *sw, struct vale_port *vp, enum vale_event ev)
{
	static const u8 cmds[] = {
		[VALE_EV_SWITCH_NEW] = VALE_CMD_SWITCH_NEW,
		[VALE_EV_SWITCH_DEL] = VALE_CMD_SWITCH_DEL,
		[VALE_EV_PORT_ATTACH] = VALE_CMD_PORT_ATTACH,
		[VALE_EV_PORT_DETACH] = VALE_CMD_PORT_DETACH,
	};

	vale_announce(sw, vp, cmds[ev]);
}

/*
 * A persistent interface made or removed (IF_NEW, IF_DEL), whoever asked:
 * kmod/vale_vi.c calls this under nm_lock.
 */
void vale_genl_announce_if(struct net *net, const char *name, bool created)
{
	u8 cmd = created ? VALE_CMD_IF_NEW : VALE_CMD_IF_DEL;
	struct sk_buff *skb;
	void *hdr;

	if (!READ_ONCE(vale_genl_registered) ||
	    !genl_has_listeners(&vale_genl_family, net, VALE_MCGRP_EVENTS_ID))
		return;
	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &vale_genl_family, 0, cmd);
	if (!hdr || nla_put_string(skb, VALE_ATTR_IF_NAME, name)) {
		nlmsg_free(skb);
		return;
	}
	genlmsg_end(skb, hdr);
	genlmsg_multicast_netns(&vale_genl_family, net, skb, 0, VALE_MCGRP_EVENTS_ID, GFP_KERNEL);
}

/* Reply to a doit with one message made by fill. */
static int vale_reply(struct genl_info *info,
		      int (*fill)(struct sk_buff *skb, struct genl_info *info, void *arg),
		      void *arg)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	int err;

	if (!skb)
		return -ENOMEM;
	err = fill(skb, info, arg);
	if (err) {
		nlmsg_free(skb);
		return err;
	}
	return genlmsg_reply(skb, info);
}

/* ----------------------------------------------------------- switches */

static int vale_cmd_switch_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name_attr = info->attrs[VALE_ATTR_SWITCH_NAME];
	struct nlattr *lookup_attr = info->attrs[VALE_ATTR_LOOKUP_NAME];
	struct vale_switch *sw;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	if (!vale_switch_name_valid(nla_data(name_attr))) {
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
				    "a switch name is \"vale\" then letters, digits, '_', '.', '-'");
		return -EINVAL;
	}
	if (lookup_attr)
		vale_lookup_request(nla_data(lookup_attr));	/* loads it, no lock held */

	vale_core_lock();
	err = vale_switch_new(genl_info_net(info), nla_data(name_attr), true,
			      lookup_attr ? nla_data(lookup_attr) : NULL, &sw);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr, "switch exists");
	else if (err == -ENOSPC)
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr, "too many switches (" __stringify(VALE_MAX_SWITCHES) ")");
	else if (err == -ENOENT && lookup_attr)
		NL_SET_ERR_MSG_ATTR(info->extack, lookup_attr, "lookup module not found");
	else if (err && lookup_attr)
		NL_SET_ERR_MSG_ATTR(info->extack, lookup_attr,
				    "the lookup module refused the switch");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, name_attr, "cannot make the switch");
	vale_core_unlock();
	return err;
}

static int vale_cmd_switch_del(struct sk_buff *skb, struct genl_info *info)
{
	struct vale_switch *sw;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(genl_info_net(info), info->attrs[VALE_ATTR_SWITCH_NAME],
			      info->extack);
	if (!sw) {
		err = -ENOENT;
	} else if (sw->nports) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_SWITCH_NAME],
				    "switch has ports: detach them first");
		err = -EBUSY;
	} else {
		sw->persistent = false;	/* the core announces its going */
		vale_switch_put_if_unused(sw);
	}
	vale_core_unlock();
	return err;
}

static int vale_switch_reply_fill(struct sk_buff *skb, struct genl_info *info, void *sw)
{
	return vale_fill_switch(skb, sw, info->snd_portid, info->snd_seq, 0, VALE_CMD_SWITCH_GET);
}

static int vale_cmd_switch_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vale_switch *sw;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(genl_info_net(info), info->attrs[VALE_ATTR_SWITCH_NAME],
			      info->extack);
	err = sw ? vale_reply(info, vale_switch_reply_fill, sw) : -ENOENT;
	vale_core_unlock();
	return err;
}

static int vale_dump_switches(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 i;

	vale_core_lock();
	cb->seq = vale_genl_gen;
	for (i = cb->args[0]; i < VALE_MAX_SWITCHES; i++) {
		struct vale_switch *sw = vale_switch_at(i);

		if (!sw || sw->ns != sock_net(cb->skb->sk))
			continue;
		if (vale_fill_switch(skb, sw, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				     NLM_F_MULTI, VALE_CMD_SWITCH_GET))
			break;
		nl_dump_check_consistent(cb, nlmsg_hdr(skb));
	}
	vale_core_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* --------------------------------------------------------------- ports */

/* "valeX" + "ifname" -> "valeX:ifname", for the netmap-side helpers. */
static int vale_genl_port_name(struct genl_info *info, char *full)
{
	const char *sw = nla_data(info->attrs[VALE_ATTR_SWITCH_NAME]);
	const char *port = nla_data(info->attrs[VALE_ATTR_PORT_NAME]);

	if (!vale_switch_name_valid(sw)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_SWITCH_NAME],
				    "bad switch name");
		return -EINVAL;
	}
	if (snprintf(full, NETMAP_REQ_IFNAMSIZ, "%s:%s", sw, port) >= NETMAP_REQ_IFNAMSIZ) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_PORT_NAME],
				    "switch and port names too long together");
		return -EINVAL;
	}
	return 0;
}

static int vale_cmd_port_attach(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *host = info->attrs[VALE_ATTR_PORT_HOST];
	struct netlink_ext_ack *extack = info->extack;
	struct nmreq_vale_attach req = {};
	char full[NETMAP_REQ_IFNAMSIZ];
	struct nlattr *at;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_PORT_NAME))
		return -EINVAL;
	err = vale_genl_port_name(info, full);
	if (err)
		return err;
	if (host) {
		bool vi;

		/* Said here to point at HOST; nm_vale_attach() checks it again. */
		mutex_lock(&nm_lock);
		vi = nm_vi_exists(genl_info_net(info), nla_data(info->attrs[VALE_ATTR_PORT_NAME]));
		mutex_unlock(&nm_lock);
		if (vi) {
			NL_SET_ERR_MSG_ATTR(extack, host,
					    "a persistent VALE interface has no host stack");
			return -EOPNOTSUPP;
		}
		req.reg.nr_mode = NR_REG_NIC_SW;	/* as vale-ctl -h */
	}
	err = nm_vale_attach(genl_info_net(info), full, &req, extack);
	if (!err)
		return 0;	/* announced by the core */
	/* The attribute at fault, and a message if the attach gave none. */
	at = info->attrs[err == -ENOSPC ? VALE_ATTR_SWITCH_NAME : VALE_ATTR_PORT_NAME];
	NL_SET_BAD_ATTR(extack, at);
	if (extack->_msg)
		return err;
	switch (err) {
	case -ENXIO:
		NL_SET_ERR_MSG(extack, "no such interface to attach (make one with IF_NEW)");
		break;
	case -EEXIST:
		NL_SET_ERR_MSG(extack, "the switch has a port of that name");
		break;
	case -ENOSPC: {
		bool exists;

		/* Which limit: the switch existed (full), or would be new. */
		vale_core_lock();
		exists = vale_switch_find(genl_info_net(info),
					  nla_data(info->attrs[VALE_ATTR_SWITCH_NAME]));
		vale_core_unlock();
		if (exists)
			NL_SET_ERR_MSG(extack, "switch full: " __stringify(VALE_MAX_PORTS) " ports");
		else
			NL_SET_ERR_MSG(extack, "too many switches ("
				       __stringify(VALE_MAX_SWITCHES) ")");
		break;
	}
	default:
		NL_SET_ERR_MSG(extack, "cannot attach");
	}
	return err;
}

/*
 * "eth0^", a NIC's host port, has no name netmap's requests take: it
 * leaves with its NIC, so DETACH of it is DETACH of "eth0". Only a host
 * port's name ends in '^' (no other port name may hold one): ENXIO if
 * there is no such port.
 */
static int vale_genl_host_to_nic(struct genl_info *info, char *full)
{
	size_t len = strlen(full);
	struct vale_switch *sw;
	int err = -ENXIO;

	if (!len || full[len - 1] != '^')
		return 0;
	vale_core_lock();
	sw = vale_switch_find(genl_info_net(info), nla_data(info->attrs[VALE_ATTR_SWITCH_NAME]));
	if (sw && vale_switch_port(sw, nla_data(info->attrs[VALE_ATTR_PORT_NAME]))) {
		full[len - 1] = '\0';
		err = 0;
	}
	vale_core_unlock();
	return err;
}

static int vale_cmd_port_detach(struct sk_buff *skb, struct genl_info *info)
{
	struct nmreq_vale_detach req = {};
	char full[NETMAP_REQ_IFNAMSIZ];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_PORT_NAME))
		return -EINVAL;
	err = vale_genl_port_name(info, full);
	if (err)
		return err;
	err = vale_genl_host_to_nic(info, full) ?: nm_vale_detach(genl_info_net(info), full, &req);
	if (err == -ENXIO)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_PORT_NAME],
				    "no such port on this switch");
	else if (err == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_PORT_NAME],
				    "an ephemeral port leaves when its last file closes");
	return err;
}

struct vale_port_ref {
	struct vale_switch *sw;
	struct vale_port *vp;
};

static int vale_port_reply_fill(struct sk_buff *skb, struct genl_info *info, void *arg)
{
	struct vale_port_ref *ref = arg;

	return vale_fill_port(skb, ref->sw, ref->vp, info->snd_portid, info->snd_seq, 0,
			      VALE_CMD_PORT_GET);
}

static int vale_cmd_port_get(struct sk_buff *skb, struct genl_info *info)
{
	struct vale_port_ref ref;
	int err = -ENOENT;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_PORT_NAME))
		return -EINVAL;
	mutex_lock(&nm_lock);	/* the port's netmap side stays as it is */
	vale_core_lock();
	ref.sw = vale_genl_switch(genl_info_net(info), info->attrs[VALE_ATTR_SWITCH_NAME],
				  info->extack);
	ref.vp = ref.sw ? vale_genl_port(ref.sw, info->attrs[VALE_ATTR_PORT_NAME], info->extack) :
			  NULL;
	if (ref.vp)
		err = vale_reply(info, vale_port_reply_fill, &ref);
	vale_core_unlock();
	mutex_unlock(&nm_lock);
	return err;
}

static int vale_dump_ports(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct nlattr *only = attrs[VALE_ATTR_SWITCH_NAME];
	u32 b = cb->args[0], p = cb->args[1];

	mutex_lock(&nm_lock);
	vale_core_lock();
	cb->seq = vale_genl_gen;
	if (only && !vale_switch_find(sock_net(cb->skb->sk), nla_data(only))) {
		NL_SET_ERR_MSG_ATTR(cb->extack, only, "no such switch");
		vale_core_unlock();
		mutex_unlock(&nm_lock);
		return -ENOENT;
	}
	for (; b < VALE_MAX_SWITCHES; b++, p = 0) {
		struct vale_switch *sw = vale_switch_at(b);

		if (!sw || sw->ns != sock_net(cb->skb->sk) ||
		    (only && strcmp(sw->name, nla_data(only))))
			continue;
		for (; p < VALE_MAX_PORTS; p++) {
			struct vale_port *vp = vale_deref_ctl(sw->ports[p], &vale_lock);

			if (!vp)
				continue;
			if (vale_fill_port(skb, sw, vp, NETLINK_CB(cb->skb).portid,
					   cb->nlh->nlmsg_seq, NLM_F_MULTI, VALE_CMD_PORT_GET))
				goto full;
			nl_dump_check_consistent(cb, nlmsg_hdr(skb));
		}
	}
full:
	vale_core_unlock();
	mutex_unlock(&nm_lock);
	cb->args[0] = b;
	cb->args[1] = p;
	return skb->len;
}

/* -------------------------------------------------- persistent interfaces */

static int vale_cmd_if_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[VALE_ATTR_IF_NAME];
	struct nmreq_vale_newif req = {};
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_IF_NAME))
		return -EINVAL;
	if (info->attrs[VALE_ATTR_PORT_TX_RINGS])
		req.nr_tx_rings = nla_get_u32(info->attrs[VALE_ATTR_PORT_TX_RINGS]);
	if (info->attrs[VALE_ATTR_PORT_RX_RINGS])
		req.nr_rx_rings = nla_get_u32(info->attrs[VALE_ATTR_PORT_RX_RINGS]);
	if (info->attrs[VALE_ATTR_PORT_TX_SLOTS])
		req.nr_tx_slots = nla_get_u32(info->attrs[VALE_ATTR_PORT_TX_SLOTS]);
	if (info->attrs[VALE_ATTR_PORT_RX_SLOTS])
		req.nr_rx_slots = nla_get_u32(info->attrs[VALE_ATTR_PORT_RX_SLOTS]);
	err = nm_vi_create(genl_info_net(info), nla_data(name), &req, info->extack);
	if (err && info->extack->_msg)
		;	/* the limit that refused it said so */
	else if (err == -EINVAL)
		NL_SET_ERR_MSG_ATTR(info->extack, name,
				    "bad interface name (it may not start with \"vale\" or hold ':{}')");
	else if (err == -EEXIST)
		NL_SET_ERR_MSG_ATTR(info->extack, name, "an interface of that name exists");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, name, "cannot make the interface");
	return err;
}

static int vale_cmd_if_del(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[VALE_ATTR_IF_NAME];
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_IF_NAME))
		return -EINVAL;
	err = nm_vi_delete(genl_info_net(info), nla_data(name));
	if (err == -ENXIO)
		NL_SET_ERR_MSG_ATTR(info->extack, name, "no such persistent interface");
	else if (err == -EBUSY)
		NL_SET_ERR_MSG_ATTR(info->extack, name, "interface attached to a switch or open");
	return err;
}

/* ------------------------------------------------------- lookup modules */

static int vale_cmd_lookup_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *lookup = info->attrs[VALE_ATTR_LOOKUP_NAME];
	struct vale_switch *sw;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_LOOKUP_NAME))
		return -EINVAL;
	vale_lookup_request(nla_data(lookup));	/* loads it, no lock held */
	vale_core_lock();
	sw = vale_genl_switch(genl_info_net(info), info->attrs[VALE_ATTR_SWITCH_NAME],
			      info->extack);
	if (!sw) {
		err = -ENOENT;
		goto out;
	}
	err = vale_switch_set_lookup(sw, nla_data(lookup));
	if (err == -ENOENT)
		NL_SET_ERR_MSG_ATTR(info->extack, lookup, "lookup module not found");
	else if (err)
		NL_SET_ERR_MSG_ATTR(info->extack, lookup, "the lookup module refused the switch");
	else
		vale_announce(sw, NULL, VALE_CMD_LOOKUP_SET);
out:
	vale_core_unlock();
	return err;
}

/*
 * An extack message that names a module: 6.1 has no formatted extack
 * messages, and the ack is built after the request's locks are gone (a
 * module's own strings could be unloaded by then), so the text goes in a
 * buffer of this file. Requests of this family run one at a time (it is
 * not parallel_ops), but an ack is built after the next one may start: a
 * message can at worst read another request's, never past the buffer.
 */
static char vale_genl_msg[160];

static __printf(3, 4) void vale_set_msg(struct netlink_ext_ack *extack,
					 const struct nlattr *attr, const char *fmt, ...)
{
	va_list ap;

	if (!extack)
		return;
	va_start(ap, fmt);
	vsnprintf(vale_genl_msg, sizeof(vale_genl_msg) - 1, fmt, ap);
	va_end(ap);
	extack->_msg = vale_genl_msg;
	extack->bad_attr = attr;
}

/*
 * The switch's module, when a request names the module it is meant for
 * (want, may be NULL): a request for one module must never reach another,
 * whose attribute numbers mean something else.
 */
static const struct vale_lookup_inst *vale_genl_lookup(struct vale_switch *sw,
						       const struct nlattr *want,
						       struct netlink_ext_ack *extack)
{
	const struct vale_lookup_inst *li = vale_deref_ctl(sw->lookup, &vale_lock);

	if (want && strcmp(nla_data(want), li->ops->name)) {
		vale_set_msg(extack, want, "switch %s runs lookup module %s, not %s",
			     sw->name, li->ops->name, (const char *)nla_data(want));
		return NULL;
	}
	return li;
}

/*
 * A LOOKUP_CONFIG nest against the module's declaration: every attribute
 * declared, of its type, length and range, not one only dumps report.
 * Fills tb[id] (the last of repeated ones, as nla_parse does).
 */
static int vale_lookup_parse(const struct vale_lookup_ops *ops, const struct nlattr *nest,
			     const struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *a;
	int rem, err;

	nla_for_each_nested(a, nest, rem) {
		const struct vale_lookup_attr *d = vale_schema_attr(ops, nla_type(a));
		const char *why;

		if (!d) {
			vale_set_msg(extack, a, "lookup module %s has no attribute %u",
				     ops->name, nla_type(a));
			return -EINVAL;
		}
		err = vale_schema_check_value(d, nla_data(a), nla_len(a), &why);
		if (err) {
			vale_set_msg(extack, a, "lookup module %s, %s: %s", ops->name, d->name, why);
			return err;
		}
		tb[d->id] = a;
	}
	if (rem > 0) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "trailing bytes after the last attribute");
		return -EINVAL;
	}
	return 0;
}

static int vale_cmd_lookup_config(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nest = info->attrs[VALE_ATTR_LOOKUP_CONFIG];
	const struct vale_lookup_inst *li;
	const struct nlattr **tb = NULL;
	struct vale_switch *sw;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_LOOKUP_CONFIG))
		return -EINVAL;
	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_LOOKUP_NAME)) {
		NL_SET_ERR_MSG(info->extack,
			       "LOOKUP_NAME is required: the lookup module the request is meant for");
		return -EINVAL;
	}
	vale_core_lock();
	sw = vale_genl_switch(genl_info_net(info), info->attrs[VALE_ATTR_SWITCH_NAME],
			      info->extack);
	if (!sw) {
		err = -ENOENT;
		goto out;
	}
	li = vale_genl_lookup(sw, info->attrs[VALE_ATTR_LOOKUP_NAME], info->extack);
	if (!li) {
		err = -EOPNOTSUPP;
		goto out;
	}
	if (!li->ops->config) {
		vale_set_msg(info->extack, nest, "lookup module %s takes no configuration",
			     li->ops->name);
		err = -EOPNOTSUPP;
		goto out;
	}
	tb = kcalloc(vale_schema_max_id(li->ops) + 1, sizeof(*tb), GFP_KERNEL);
	if (!tb) {
		err = -ENOMEM;
		goto out;
	}
	err = vale_lookup_parse(li->ops, nest, tb, info->extack) ?:
	      li->ops->config(li->priv, tb, info->extack);
	if (!err)
		vale_announce(sw, NULL, VALE_CMD_LOOKUP_CONFIG);
out:
	vale_core_unlock();
	kfree(tb);
	return err;
}

/*
 * The module's tables, one row per message. The cursor: args[0] the
 * module's position in the table, args[1] the table's index, args[2]
 * the module it started with (a dump that finds another ends there).
 */
static int vale_dump_lookup(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct nlattr *only = attrs[VALE_ATTR_LOOKUP_TABLE];
	const struct vale_lookup_table *t;
	const struct vale_lookup_inst *li;
	struct vale_switch *sw;
	u64 pos = cb->args[0];
	int ret = 0;

	if (NL_REQ_ATTR_CHECK(cb->extack, NULL, attrs, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(sock_net(cb->skb->sk), attrs[VALE_ATTR_SWITCH_NAME], cb->extack);
	if (!sw) {
		ret = -ENOENT;
		goto out;
	}
	li = vale_genl_lookup(sw, attrs[VALE_ATTR_LOOKUP_NAME], cb->extack);
	if (!li) {
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (!li->ops->tables || !li->ops->tables[0].name) {
		vale_set_msg(cb->extack, attrs[VALE_ATTR_SWITCH_NAME],
			     "lookup module %s has no table to dump", li->ops->name);
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (only && !vale_schema_table(li->ops, nla_data(only))) {
		vale_set_msg(cb->extack, only, "lookup module %s has no table %s",
			     li->ops->name, (const char *)nla_data(only));
		ret = -ENOENT;
		goto out;
	}
	if (cb->args[2] && cb->args[2] != (unsigned long)li->ops)
		goto out;	/* the module changed under the dump */
	cb->args[2] = (unsigned long)li->ops;
	for (t = li->ops->tables + cb->args[1]; t->name; t++, cb->args[1]++, pos = 0) {
		if (only && strcmp(t->name, nla_data(only)))
			continue;
		for (;;) {
			void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
						cb->nlh->nlmsg_seq, &vale_genl_family,
						NLM_F_MULTI, VALE_CMD_LOOKUP_DUMP);
			struct nlattr *nest;

			if (!hdr)
				goto out;
			if (nla_put_string(skb, VALE_ATTR_SWITCH_NAME, sw->name) ||
			    nla_put_string(skb, VALE_ATTR_LOOKUP_TABLE, t->name) ||
			    !(nest = nla_nest_start(skb, VALE_ATTR_LOOKUP_CONFIG))) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			ret = t->dump(li->priv, skb, &pos);
			if (ret > 0) {
				ret = 0;
				nla_nest_end(skb, nest);
				genlmsg_end(skb, hdr);
				continue;
			}
			genlmsg_cancel(skb, hdr);
			if (!ret)
				break;		/* this table is done */
			if (ret == -EMSGSIZE && skb->len)
				ret = 0;	/* the row goes in the next message */
			goto out;
		}
	}
out:
	vale_core_unlock();
	cb->args[0] = pos;
	return ret ?: skb->len;
}

/* One declared attribute, for schema replies. */
static int vale_put_schema_attr(struct sk_buff *skb, const struct vale_lookup_attr *a)
{
	struct nlattr *nest = nla_nest_start(skb, VALE_ATTR_LOOKUP_ATTR);
	const char *const *v;

	if (!nest ||
	    nla_put_string(skb, VALE_SCHEMA_NAME, a->name) ||
	    nla_put_u32(skb, VALE_SCHEMA_ID, a->id) ||
	    nla_put_u32(skb, VALE_SCHEMA_TYPE, a->type) ||
	    nla_put_u32(skb, VALE_SCHEMA_FLAGS, a->flags) ||
	    nla_put_u64_64bit(skb, VALE_SCHEMA_LOW, a->min, VALE_SCHEMA_PAD) ||
	    nla_put_u64_64bit(skb, VALE_SCHEMA_HIGH, a->max, VALE_SCHEMA_PAD) ||
	    (a->doc && nla_put_string(skb, VALE_SCHEMA_DOC, a->doc)))
		return -EMSGSIZE;
	for (v = a->values; v && *v; v++)
		if (nla_put_string(skb, VALE_SCHEMA_VALUE_NAME, *v))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/* The payload of a schema reply, however large a module's declaration. */
static size_t vale_schema_size(const struct vale_lookup_ops *ops)
{
	const struct vale_lookup_table *t;
	const struct vale_lookup_attr *a;
	const char *const *v;
	size_t n = nla_total_size(strlen(ops->name) + 1);

	for (a = ops->attrs; a && a->name; a++) {
		n += nla_total_size(0) + nla_total_size(strlen(a->name) + 1) +
		     3 * nla_total_size(4) + 2 * nla_total_size_64bit(8) +
		     (a->doc ? nla_total_size(strlen(a->doc) + 1) : 0);
		for (v = a->values; v && *v; v++)
			n += nla_total_size(strlen(*v) + 1);
	}
	for (t = ops->tables; t && t->name; t++)
		n += nla_total_size(0) + nla_total_size(strlen(t->name) + 1) +
		     (t->doc ? nla_total_size(strlen(t->doc) + 1) : 0);
	return n;
}

static int vale_fill_schema(struct sk_buff *skb, const struct vale_lookup_ops *ops, u32 portid,
			    u32 seq, int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &vale_genl_family, flags,
				VALE_CMD_LOOKUP_SCHEMA);
	const struct vale_lookup_table *t;
	const struct vale_lookup_attr *a;
	struct nlattr *nest;

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_string(skb, VALE_ATTR_LOOKUP_NAME, ops->name))
		goto full;
	for (a = ops->attrs; a && a->name; a++)
		if (vale_put_schema_attr(skb, a))
			goto full;
	for (t = ops->tables; t && t->name; t++) {
		nest = nla_nest_start(skb, VALE_ATTR_LOOKUP_TABLE_DEF);
		if (!nest || nla_put_string(skb, VALE_SCHEMA_NAME, t->name) ||
		    (t->doc && nla_put_string(skb, VALE_SCHEMA_DOC, t->doc)))
			goto full;
		nla_nest_end(skb, nest);
	}
	genlmsg_end(skb, hdr);
	return 0;
full:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

static int vale_cmd_lookup_schema(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[VALE_ATTR_LOOKUP_NAME];
	struct nlattr *swname = info->attrs[VALE_ATTR_SWITCH_NAME];
	const struct vale_lookup_ops *ops = NULL;
	struct sk_buff *msg = NULL;
	struct vale_switch *sw;
	int err = -ENOENT;

	if (!name && !swname) {
		NL_SET_ERR_MSG(info->extack, "LOOKUP_NAME or SWITCH_NAME is required");
		return -EINVAL;
	}
	vale_core_lock();
	if (swname) {
		sw = vale_genl_switch(genl_info_net(info), swname, info->extack);
		if (sw) {
			const struct vale_lookup_inst *li = vale_genl_lookup(sw, name, info->extack);

			ops = li ? li->ops : NULL;
			err = li ? 0 : -EOPNOTSUPP;
		}
	} else {
		ops = vale_lookup_get(nla_data(name));
		if (!ops)
			NL_SET_ERR_MSG_ATTR(info->extack, name,
					    "no lookup module of that name is loaded");
	}
	if (ops) {
		msg = genlmsg_new(vale_schema_size(ops), GFP_KERNEL);
		err = msg ? vale_fill_schema(msg, ops, info->snd_portid, info->snd_seq, 0) :
			    -ENOMEM;
	}
	vale_core_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

static int vale_dump_schemas(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 i;

	vale_core_lock();
	for (i = cb->args[0]; i < VALE_MAX_LOOKUPS; i++) {
		struct vale_lookup_ops *ops = vale_lookup_at(i);

		if (ops && vale_fill_schema(skb, ops, NETLINK_CB(cb->skb).portid,
					    cb->nlh->nlmsg_seq, NLM_F_MULTI))
			break;
	}
	vale_core_unlock();
	cb->args[0] = i;
	return skb->len;
}

/* --------------------------------------------------------------- family */

#define VALE_OP(_cmd, _doit, _dumpit, _policy, _flags) {	\
	.cmd = _cmd, .doit = _doit, .dumpit = _dumpit,		\
	.policy = _policy, .maxattr = VALE_ATTR_MAX, .flags = _flags }

static const struct genl_ops vale_genl_ops[] = {
	VALE_OP(VALE_CMD_SWITCH_NEW, vale_cmd_switch_new, NULL, vale_switch_policy,
		GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_SWITCH_DEL, vale_cmd_switch_del, NULL, vale_switch_name_policy,
		GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_SWITCH_GET, vale_cmd_switch_get, vale_dump_switches,
		vale_switch_name_policy, 0),
	VALE_OP(VALE_CMD_PORT_ATTACH, vale_cmd_port_attach, NULL, vale_port_attach_policy,
		GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_PORT_DETACH, vale_cmd_port_detach, NULL, vale_port_policy,
		GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_PORT_GET, vale_cmd_port_get, vale_dump_ports, vale_port_policy, 0),
	VALE_OP(VALE_CMD_IF_NEW, vale_cmd_if_new, NULL, vale_if_policy, GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_IF_DEL, vale_cmd_if_del, NULL, vale_if_del_policy, GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_SET, vale_cmd_lookup_set, NULL, vale_switch_policy,
		GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_CONFIG, vale_cmd_lookup_config, NULL,
		vale_lookup_config_policy, GENL_UNS_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_DUMP, NULL, vale_dump_lookup, vale_lookup_dump_policy, 0),
	VALE_OP(VALE_CMD_LOOKUP_SCHEMA, vale_cmd_lookup_schema, vale_dump_schemas,
		vale_switch_policy, 0),
};

static struct genl_family vale_genl_family __ro_after_init = {
	.name = VALE_GENL_NAME,
	.version = VALE_GENL_VERSION,
	.maxattr = VALE_ATTR_MAX,
	.module = THIS_MODULE,
	.ops = vale_genl_ops,
	.n_ops = ARRAY_SIZE(vale_genl_ops),
	.resv_start_op = VALE_CMD_SWITCH_NEW,	/* strict everywhere */
	.netnsok = true,
	.mcgrps = vale_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vale_mcgrps),
};

int vale_genl_init(void)
{
	int err;

	err = genl_register_family(&vale_genl_family);
	if (!err) {
		vale_core_lock();
		vale_event_hook = vale_genl_event;
		vale_core_unlock();
		WRITE_ONCE(vale_genl_registered, true);
	}
	return err;
}

void vale_genl_exit(void)
{
	mutex_lock(&nm_lock);	/* no IF event is being sent */
	WRITE_ONCE(vale_genl_registered, false);
	mutex_unlock(&nm_lock);
	vale_core_lock();
	vale_event_hook = NULL;
	vale_core_unlock();
	genl_unregister_family(&vale_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(VALE_GENL_NAME);
