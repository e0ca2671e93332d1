// SPDX-License-Identifier: GPL-2.0
/*
 * The "vale" generic netlink family (include/uapi/linux/vale.h): switches,
 * ports, persistent interfaces, lookup modules and the learning bridge's
 * table, for valectl and pyctl.
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
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <net/genetlink.h>
#include <uapi/linux/vale.h>

#include "vale_port.h"
#include "../lookup-modules/learn/learn.h"

static struct genl_family vale_genl_family;
static unsigned int vale_genl_gen;	/* changes of switches and ports */

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
	[VALE_ATTR_PORT_TX_RINGS] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
	[VALE_ATTR_PORT_RX_RINGS] = NLA_POLICY_RANGE(NLA_U32, 1, 16),
	[VALE_ATTR_PORT_TX_SLOTS] = NLA_POLICY_RANGE(NLA_U32, 2, 16384),
	[VALE_ATTR_PORT_RX_SLOTS] = NLA_POLICY_RANGE(NLA_U32, 2, 16384),
};

static const struct nla_policy vale_if_del_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_IF_NAME] = VALE_IFNAME_POLICY,
};

static const struct nla_policy vale_lookup_config_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME] = VALE_NAME_POLICY,
	[VALE_ATTR_LOOKUP_CONFIG] = { .type = NLA_NESTED },
};

/* --------------------------------------------------------- resolving */

static struct vale_switch *vale_genl_switch(struct nlattr *attr, struct netlink_ext_ack *extack)
{
	struct vale_switch *sw = vale_switch_find(nla_data(attr));

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
	struct sk_buff *skb;
	int err;

	vale_genl_gen++;
	if (!genl_has_listeners(&vale_genl_family, &init_net, VALE_MCGRP_EVENTS_ID))
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
	genlmsg_multicast(&vale_genl_family, skb, 0, VALE_MCGRP_EVENTS_ID, GFP_KERNEL);
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
	err = vale_switch_new(nla_data(name_attr), true, &sw);
	if (err) {
		if (err == -EEXIST)
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr, "switch exists");
		else
			NL_SET_ERR_MSG_ATTR(info->extack, name_attr,
					    "cannot make the switch (table full?)");
		goto out;
	}
	if (lookup_attr) {
		err = vale_switch_set_lookup(sw, nla_data(lookup_attr));
		if (err) {
			NL_SET_ERR_MSG_ATTR(info->extack, lookup_attr, "lookup module not found");
			sw->persistent = false;
			vale_switch_put_if_unused(sw);
			goto out;
		}
	}
out:
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
	sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
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
	sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
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

		if (!sw)
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
		vi = nm_vi_exists(nla_data(info->attrs[VALE_ATTR_PORT_NAME]));
		mutex_unlock(&nm_lock);
		if (vi) {
			NL_SET_ERR_MSG_ATTR(extack, host,
					    "a persistent VALE interface has no host stack");
			return -EOPNOTSUPP;
		}
		req.reg.nr_mode = NR_REG_NIC_SW;	/* as vale-ctl -h */
	}
	err = nm_vale_attach(full, &req, extack);
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
	case -ENOSPC:
		NL_SET_ERR_MSG(extack, "switch full, or too many switches");
		break;
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
	sw = vale_switch_find(nla_data(info->attrs[VALE_ATTR_SWITCH_NAME]));
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
	err = vale_genl_host_to_nic(info, full) ?: nm_vale_detach(full, &req);
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
	ref.sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
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
	if (only && !vale_switch_find(nla_data(only))) {
		NL_SET_ERR_MSG_ATTR(cb->extack, only, "no such switch");
		vale_core_unlock();
		mutex_unlock(&nm_lock);
		return -ENOENT;
	}
	for (; b < VALE_MAX_SWITCHES; b++, p = 0) {
		struct vale_switch *sw = vale_switch_at(b);

		if (!sw || (only && strcmp(sw->name, nla_data(only))))
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
	err = nm_vi_create(nla_data(name), &req);
	if (err == -EINVAL)
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
	err = nm_vi_delete(nla_data(name));
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
	sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
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

static int vale_cmd_lookup_config(struct sk_buff *skb, struct genl_info *info)
{
	const struct vale_lookup_inst *li;
	struct vale_switch *sw;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME) ||
	    GENL_REQ_ATTR_CHECK(info, VALE_ATTR_LOOKUP_CONFIG))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
	if (!sw) {
		err = -ENOENT;
		goto out;
	}
	li = vale_deref_ctl(sw->lookup, &vale_lock);
	if (!li->ops->config) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[VALE_ATTR_LOOKUP_CONFIG],
				    "the switch's lookup module takes no configuration");
		err = -EOPNOTSUPP;
		goto out;
	}
	err = li->ops->config(li->priv, info->attrs[VALE_ATTR_LOOKUP_CONFIG], info->extack);
out:
	vale_core_unlock();
	return err;
}

/* ----------------------------------------------------- learning bridge */

static struct netlink_range_validation vale_ageing_range __ro_after_init = {
	.min = 1,
	.max = 1000000,
};

static const struct nla_policy vale_learn_policy[VALE_LEARN_MAX + 1] = {
	[VALE_LEARN_AGEING] = NLA_POLICY_FULL_RANGE(NLA_U32, &vale_ageing_range),
};

static int learn_nl_config(void *priv, const struct nlattr *attr,
			   struct netlink_ext_ack *extack)
{
	struct nlattr *tb[VALE_LEARN_MAX + 1];
	int err;

	err = nla_parse_nested(tb, VALE_LEARN_MAX, attr, vale_learn_policy, extack);
	if (err)
		return err;
	if (tb[VALE_LEARN_AGEING])
		learn_set_ageing(priv, nla_get_u32(tb[VALE_LEARN_AGEING]));
	return 0;
}

/* What learn_nl_config sets, for SWITCH_GET replies and switch events. */
static int learn_nl_get_config(void *priv, struct sk_buff *skb)
{
	return nla_put_u32(skb, VALE_LEARN_AGEING, learn_get_ageing(priv));
}

/* The switch's learning bridge table, or NULL (and why, in extack). */
static void *vale_genl_learn(struct vale_switch *sw, struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	const struct vale_lookup_inst *li = vale_deref_ctl(sw->lookup, &vale_lock);

	if (li->ops != &vale_learn_ops) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "the switch does not use the learning bridge");
		return NULL;
	}
	return li->priv;
}

struct vale_fdb_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

static int vale_fill_fdb(void *arg, const struct learn_fdb_entry *e)
{
	struct vale_fdb_dump *d = arg;
	void *hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid, d->cb->nlh->nlmsg_seq,
				&vale_genl_family, NLM_F_MULTI, VALE_CMD_FDB_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put(d->skb, VALE_ATTR_FDB_MAC, ETH_ALEN, e->mac) ||
	    nla_put_u32(d->skb, VALE_ATTR_FDB_PORT, e->port) ||
	    nla_put_u32(d->skb, VALE_ATTR_FDB_AGE, e->age) ||
	    (e->confirmed && nla_put_flag(d->skb, VALE_ATTR_FDB_CONFIRMED))) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

static int vale_dump_fdb(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	struct vale_fdb_dump d = { skb, cb };
	struct vale_switch *sw;
	u32 pos = cb->args[0];
	void *table;
	int err;

	if (NL_REQ_ATTR_CHECK(cb->extack, NULL, attrs, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(attrs[VALE_ATTR_SWITCH_NAME], cb->extack);
	table = sw ? vale_genl_learn(sw, attrs[VALE_ATTR_SWITCH_NAME], cb->extack) : NULL;
	if (!table) {
		vale_core_unlock();
		return sw ? -EOPNOTSUPP : -ENOENT;
	}
	err = learn_walk(table, &pos, vale_fill_fdb, &d);
	vale_core_unlock();
	cb->args[0] = pos;
	if (err && err != -EMSGSIZE)
		return err;
	return skb->len;
}

static int vale_cmd_fdb_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct vale_switch *sw;
	void *table;
	int err = 0;

	if (GENL_REQ_ATTR_CHECK(info, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(info->attrs[VALE_ATTR_SWITCH_NAME], info->extack);
	table = sw ? vale_genl_learn(sw, info->attrs[VALE_ATTR_SWITCH_NAME], info->extack) : NULL;
	if (table)
		learn_flush(table);
	else
		err = sw ? -EOPNOTSUPP : -ENOENT;
	vale_core_unlock();
	return err;
}

/*
 * The lookup module's state, one object per message (its .dump callback
 * fills a nested LOOKUP_CONFIG). The module's cursor is kept in args[0];
 * a dump that finds another module than it started with ends there.
 */
static int vale_dump_lookup(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct nlattr **attrs = genl_dumpit_info(cb)->attrs;
	const struct vale_lookup_inst *li;
	struct vale_switch *sw;
	u64 pos = cb->args[0];
	int ret = 0;

	if (NL_REQ_ATTR_CHECK(cb->extack, NULL, attrs, VALE_ATTR_SWITCH_NAME))
		return -EINVAL;
	vale_core_lock();
	sw = vale_genl_switch(attrs[VALE_ATTR_SWITCH_NAME], cb->extack);
	if (!sw) {
		ret = -ENOENT;
		goto out;
	}
	li = vale_deref_ctl(sw->lookup, &vale_lock);
	if (!li->ops->dump) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[VALE_ATTR_SWITCH_NAME],
				    "the switch's lookup module has nothing to dump");
		ret = -EOPNOTSUPP;
		goto out;
	}
	if (cb->args[1] && cb->args[1] != (unsigned long)li->ops)
		goto out;	/* the module changed under the dump */
	cb->args[1] = (unsigned long)li->ops;
	for (;;) {
		void *hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
					&vale_genl_family, NLM_F_MULTI, VALE_CMD_LOOKUP_DUMP);
		struct nlattr *nest;

		if (!hdr)
			break;
		if (nla_put_string(skb, VALE_ATTR_SWITCH_NAME, sw->name) ||
		    !(nest = nla_nest_start(skb, VALE_ATTR_LOOKUP_CONFIG))) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		ret = li->ops->dump(li->priv, skb, &pos);
		if (ret <= 0) {
			genlmsg_cancel(skb, hdr);
			if (ret == -EMSGSIZE)
				ret = 0;	/* the rest in the next message */
			break;
		}
		ret = 0;
		nla_nest_end(skb, nest);
		genlmsg_end(skb, hdr);
	}
out:
	vale_core_unlock();
	cb->args[0] = pos;
	return ret ?: skb->len;
}

/* --------------------------------------------------------------- family */

#define VALE_OP(_cmd, _doit, _dumpit, _policy, _flags) {	\
	.cmd = _cmd, .doit = _doit, .dumpit = _dumpit,		\
	.policy = _policy, .maxattr = VALE_ATTR_MAX, .flags = _flags }

static const struct genl_ops vale_genl_ops[] = {
	VALE_OP(VALE_CMD_SWITCH_NEW, vale_cmd_switch_new, NULL, vale_switch_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_SWITCH_DEL, vale_cmd_switch_del, NULL, vale_switch_name_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_SWITCH_GET, vale_cmd_switch_get, vale_dump_switches,
		vale_switch_name_policy, 0),
	VALE_OP(VALE_CMD_PORT_ATTACH, vale_cmd_port_attach, NULL, vale_port_attach_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_PORT_DETACH, vale_cmd_port_detach, NULL, vale_port_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_PORT_GET, vale_cmd_port_get, vale_dump_ports, vale_port_policy, 0),
	VALE_OP(VALE_CMD_IF_NEW, vale_cmd_if_new, NULL, vale_if_policy, GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_IF_DEL, vale_cmd_if_del, NULL, vale_if_del_policy, GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_SET, vale_cmd_lookup_set, NULL, vale_switch_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_CONFIG, vale_cmd_lookup_config, NULL,
		vale_lookup_config_policy, GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_FDB_GET, NULL, vale_dump_fdb, vale_switch_name_policy, 0),
	VALE_OP(VALE_CMD_FDB_FLUSH, vale_cmd_fdb_flush, NULL, vale_switch_name_policy,
		GENL_ADMIN_PERM),
	VALE_OP(VALE_CMD_LOOKUP_DUMP, NULL, vale_dump_lookup, vale_switch_name_policy, 0),
};

static struct genl_family vale_genl_family __ro_after_init = {
	.name = VALE_GENL_NAME,
	.version = VALE_GENL_VERSION,
	.maxattr = VALE_ATTR_MAX,
	.module = THIS_MODULE,
	.ops = vale_genl_ops,
	.n_ops = ARRAY_SIZE(vale_genl_ops),
	.resv_start_op = VALE_CMD_SWITCH_NEW,	/* strict everywhere */
	.mcgrps = vale_mcgrps,
	.n_mcgrps = ARRAY_SIZE(vale_mcgrps),
};

int vale_genl_init(void)
{
	int err;

	vale_learn_ops.config = learn_nl_config;
	vale_learn_ops.get_config = learn_nl_get_config;
	err = genl_register_family(&vale_genl_family);
	if (!err) {
		vale_core_lock();
		vale_event_hook = vale_genl_event;
		vale_core_unlock();
	}
	return err;
}

void vale_genl_exit(void)
{
	vale_core_lock();
	vale_event_hook = NULL;
	vale_core_unlock();
	genl_unregister_family(&vale_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(VALE_GENL_NAME);
