// SPDX-License-Identifier: GPL-2.0
/*
 * ofswitch control operations: flow add, modify, delete, expiry, the
 * table-miss rule, the controller port, and the walk that dumps use.
 * Every function here is called with the table's lock held (one
 * writer), concurrently with lookups; each change ends with
 * of_commit(), which makes it visible to the exact-match cache.
 */
#include "of_priv.h"

static bool of_is_prefix(const u8 *m, u32 n)
{
	u32 i;
	bool zero = false;

	for (i = 0; i < n; i++) {
		if (zero && m[i])
			return false;
		if (m[i] != 0xff) {
			u8 inv = (u8)~m[i];

			if (inv & (inv + 1))	/* not 0b1..10..0 */
				return false;
			zero = true;
		}
	}
	return true;
}

static int of_check_actions(const struct of_action *a, u32 n, const char **why)
{
	u32 i, push = 0;

	if (n > OF_MAX_ACTIONS) {
		*why = "too many actions";
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		switch (a[i].type) {
		case OF_ACT_OUTPUT:
			if (a[i].port >= VALE_MAX_PORTS) {
				*why = "output port out of range";
				return -EINVAL;
			}
			fallthrough;
		case OF_ACT_FLOOD:
		case OF_ACT_DROP:
			if (i + 1 != n) {
				*why = "output, flood and drop must be the last action";
				return -EINVAL;
			}
			break;
		case OF_ACT_CONTROLLER:
			if (n != 1) {
				*why = "controller sends the packet unchanged: it must be the only action";
				return -EINVAL;
			}
			break;
		case OF_ACT_PUSH_VLAN:
			if (++push > OF_MAX_PUSH) {
				*why = "too many VLAN pushes";
				return -EINVAL;
			}
			fallthrough;
		case OF_ACT_SET_VLAN:
			if (a[i].arg16 > OF_VLAN_VID) {
				*why = "VLAN id out of range";
				return -EINVAL;
			}
			break;
		case OF_ACT_POP_VLAN:
		case OF_ACT_SET_ETH_SRC:
		case OF_ACT_SET_ETH_DST:
			break;
		default:
			*why = "unknown action";
			return -EINVAL;
		}
	}
	return 0;
}

/* Match fields are whole or absent but for addresses; OpenFlow's
 * prerequisites: IP fields need an IP EtherType, ports a protocol. */
int of_check_spec(const struct of_flow_spec *s, const char **why)
{
	const struct of_key *k = &s->match.key, *m = &s->match.mask;
	bool ip4 = m->eth_type == 0xffff && k->eth_type == 0x0800;
	bool ip6 = m->eth_type == 0xffff && k->eth_type == 0x86dd;

	*why = NULL;
	if ((m->in_port && m->in_port != 0xffff) || (m->eth_type && m->eth_type != 0xffff) ||
	    (m->vlan && m->vlan != (OF_VLAN_PRESENT | OF_VLAN_VID)) ||
	    (m->ip_proto && m->ip_proto != 0xff) || (m->tp_src && m->tp_src != 0xffff) ||
	    (m->tp_dst && m->tp_dst != 0xffff) || m->pad0) {
		*why = "a partial mask on a field that takes none";
		return -EINVAL;
	}
	if (m->in_port && k->in_port >= VALE_MAX_PORTS) {
		*why = "input port out of range";
		return -EINVAL;
	}
	if (m->vlan && k->vlan && !(k->vlan & OF_VLAN_PRESENT)) {
		*why = "bad VLAN match";
		return -EINVAL;
	}
	if (!of_is_prefix(m->ip_src, 16) || !of_is_prefix(m->ip_dst, 16)) {
		*why = "IP address masks must be prefixes";
		return -EINVAL;
	}
	if ((m->ip_proto || m->ip_src[0] || m->ip_dst[0]) && !ip4 && !ip6) {
		*why = "IP fields need EtherType 0x0800 or 0x86dd";
		return -EINVAL;
	}
	if (ip4 && (m->ip_src[4] || m->ip_dst[4])) {
		*why = "an IPv4 prefix is at most 32 bits";
		return -EINVAL;
	}
	if ((m->tp_src || m->tp_dst) &&
	    (m->ip_proto != 0xff || !(k->ip_proto == 6 || k->ip_proto == 17 || k->ip_proto == 132 ||
				     k->ip_proto == 1 || k->ip_proto == 58))) {
		*why = "ports need IP protocol TCP, UDP, SCTP, ICMP or ICMPv6";
		return -EINVAL;
	}
	return of_check_actions(s->actions, s->n_actions, why);
}

struct of_actions *of_actions_alloc(const struct of_action *a, u32 n)
{
	struct of_actions *acts = vale_zalloc(sizeof(*acts) + n * sizeof(*a));

	if (!acts)
		return NULL;
	acts->n = n;
	memcpy(acts->a, a, n * sizeof(*a));
	return acts;
}

static void of_masked_spec(const struct of_flow_spec *s, struct of_match *m)
{
	u32 i;

	*m = s->match;
	for (i = 0; i < OF_KEY_WORDS; i++)
		m->key.w[i] &= m->mask.w[i];
}

/* The flow with exactly this match and priority, or NULL. */
static struct of_flow *of_find_strict(struct of_table *t, const struct of_match *m, u16 prio)
{
	struct of_subtable *st = of_cls_find_subtable(t, m->mask.w);
	struct of_ti *ti;
	struct of_flow *f;
	u32 h;

	if (!st)
		return NULL;
	ti = of_ctl(st->ti);
	h = of_st_hash(t, m->key.w);
	for (f = of_ctl(ti->b[h & ti->mask]); f; f = of_ctl(f->next[ti->ver]))
		if (f->priority == prio && !memcmp(&f->key, &m->key, sizeof(m->key)))
			return f;
	return NULL;
}

/* s (masked) covers f: f matches only packets s matches. */
static bool of_covers(const struct of_match *s, const struct of_flow *f)
{
	u32 i;

	for (i = 0; i < OF_KEY_WORDS; i++)
		if ((s->mask.w[i] & ~f->mask.w[i]) ||
		    (f->key.w[i] & s->mask.w[i]) != s->key.w[i])
			return false;
	return true;
}

/* Where a packet goes under these actions if they only say that. */
static u32 of_fast(const struct of_action *a, u32 n)
{
	if (n == 0)
		return VALE_DROP;	/* no output: OpenFlow drops */
	if (n > 1)
		return OF_FAST_NONE;
	switch (a->type) {
	case OF_ACT_OUTPUT:
		return a->port;
	case OF_ACT_FLOOD:
		return VALE_BROADCAST;
	case OF_ACT_DROP:
		return VALE_DROP;
	default:
		return OF_FAST_NONE;	/* controller: read at each packet */
	}
}

/*
 * A lookup that reads the old fast answer or the old actions sees the
 * flow as it was before the change: either is right while it happens.
 */
static int of_set_actions(struct of_table *t, struct of_flow *f, const struct of_flow_spec *s)
{
	struct of_actions *acts = of_actions_alloc(s->actions, s->n_actions);

	if (!acts)
		return -ENOMEM;
	of_retire(t, (void *)of_ctl(f->acts));
	vale_publish(f->acts, acts);
	WRITE_ONCE(f->fast, of_fast(s->actions, s->n_actions));
	f->cookie = s->cookie;
	return 0;
}

static int of_slot_get(struct of_table *t, u32 *slot)
{
	u32 i;

	for (i = t->all_hint; i < t->all_top; i++)	/* reuse a hole first */
		if (!t->all[i])
			break;
	t->all_hint = i + 1;
	if (i == t->all_cap) {
		u32 cap = t->all_cap ? 2 * t->all_cap : 64;
		struct of_flow **all = vale_zalloc(cap * sizeof(*all));

		if (!all)
			return -ENOMEM;
		if (t->all)
			memcpy(all, t->all, t->all_cap * sizeof(*all));
		vale_free(t->all);
		t->all = all;
		t->all_cap = cap;
	}
	if (i == t->all_top)
		t->all_top++;
	*slot = i;
	return 0;
}

int of_flow_add(struct of_table *t, const struct of_flow_spec *s, const char **why)
{
	u32 now = vale_now_sec();
	struct of_actions *acts;
	struct of_match m;
	struct of_flow *f;
	int err;

	err = of_check_spec(s, why);
	if (err)
		return err;
	of_masked_spec(s, &m);
	f = of_find_strict(t, &m, s->priority);
	if (f) {
		/* The same match and priority: replace it, counters and all. */
		err = of_set_actions(t, f, s);
		if (err)
			goto nomem;
		t->n_timed -= f->idle || f->hard;
		f->idle = s->idle_timeout;
		f->hard = s->hard_timeout;
		t->n_timed += f->idle || f->hard;
		f->created = now;
		WRITE_ONCE(f->used, now);
		vale_ctr_set(&f->pkts, 0);
		vale_ctr_set(&f->bytes, 0);
		of_commit(t);
		return 0;
	}
	if (t->n_flows >= OF_MAX_FLOWS) {
		*why = "the flow table is full";
		return -ENOSPC;
	}
	f = vale_zalloc(sizeof(*f));
	if (!f)
		goto nomem;
	acts = of_actions_alloc(s->actions, s->n_actions);
	if (!acts || of_slot_get(t, &f->slot)) {
		vale_free(acts);
		vale_free(f);
		goto nomem;
	}
	vale_publish(f->acts, acts);
	f->fast = of_fast(s->actions, s->n_actions);
	f->key = m.key;
	f->mask = m.mask;
	f->priority = s->priority;
	f->rank = (u64)s->priority << 32 | (u32)~++t->seq;
	f->idle = s->idle_timeout;
	f->hard = s->hard_timeout;
	f->cookie = s->cookie;
	f->created = now;
	f->used = now;
	err = of_cls_insert(t, f);
	if (err) {
		of_retire(t, (void *)of_ctl(f->acts));
		of_retire_at(t, &f->rh, f);	/* it may have been seen */
		of_commit(t);
		goto nomem;
	}
	t->all[f->slot] = f;
	t->n_flows++;
	t->n_timed += f->idle || f->hard;
	of_commit(t);
	return 0;
nomem:
	*why = "out of memory";
	return -ENOMEM;
}

static void of_flow_unlink(struct of_table *t, struct of_flow *f)
{
	of_cls_remove(t, f);
	t->all[f->slot] = NULL;
	t->all_hint = min(t->all_hint, f->slot);
	t->n_flows--;
	t->n_timed -= f->idle || f->hard;
	of_retire(t, (void *)of_ctl(f->acts));
	of_retire_at(t, &f->rh, f);
}

int of_flow_mod(struct of_table *t, const struct of_flow_spec *s, bool strict, const char **why)
{
	struct of_match m;
	int err, n = 0;
	u32 i;

	err = of_check_spec(s, why);
	if (err)
		return err;
	of_masked_spec(s, &m);
	if (strict) {
		struct of_flow *f = of_find_strict(t, &m, s->priority);

		if (f) {
			err = of_set_actions(t, f, s);
			n = 1;
		}
	} else {
		for (i = 0; i < t->all_top && !err; i++)
			if (t->all[i] && of_covers(&m, t->all[i])) {
				err = of_set_actions(t, t->all[i], s);
				n++;
			}
	}
	of_commit(t);
	if (err) {
		*why = "out of memory";
		return err;
	}
	if (!n) {
		*why = "no such flow";
		return -ENOENT;
	}
	return n;
}

int of_flow_del(struct of_table *t, const struct of_flow_spec *s, bool strict, const char **why)
{
	struct of_match m;
	int n = 0;
	u32 i;

	*why = NULL;
	of_masked_spec(s, &m);
	if (strict) {
		struct of_flow *f = of_find_strict(t, &m, s->priority);

		if (!f) {
			*why = "no such flow";
			return -ENOENT;
		}
		of_flow_unlink(t, f);
		n = 1;
	} else {
		for (i = 0; i < t->all_top; i++)
			if (t->all[i] && of_covers(&m, t->all[i])) {
				of_flow_unlink(t, t->all[i]);
				n++;
			}
	}
	of_commit(t);
	return n;
}

void of_flush(struct of_table *t)
{
	u32 i;

	for (i = 0; i < t->all_top; i++)
		if (t->all[i])
			of_flow_unlink(t, t->all[i]);
	t->all_top = 0;
	t->all_hint = 0;
	of_commit(t);
}

u32 of_expire(struct of_table *t)
{
	u32 now = vale_now_sec(), i, n = 0;

	if (!t->n_timed)
		return 0;
	for (i = 0; i < t->all_top; i++)
		if (t->all[i] && !of_flow_live(t->all[i], now)) {
			of_flow_unlink(t, t->all[i]);
			n++;
		}
	if (n)
		of_commit(t);
	return n;
}

int of_set_miss(struct of_table *t, const struct of_action *a, u32 n, const char **why)
{
	struct of_actions *acts;
	int err;

	*why = NULL;
	err = of_check_actions(a, n, why);
	if (err)
		return err;
	acts = of_actions_alloc(a, n);
	if (!acts) {
		*why = "out of memory";
		return -ENOMEM;
	}
	of_retire(t, (void *)of_ctl(t->miss));
	vale_publish(t->miss, acts);
	of_commit(t);
	return 0;
}

int of_set_controller(struct of_table *t, u32 port, const char **why)
{
	*why = NULL;
	if (port >= VALE_MAX_PORTS && port != VALE_DROP) {
		*why = "controller port out of range";
		return -EINVAL;
	}
	WRITE_ONCE(t->controller, port);
	return 0;
}

void of_set_emc(struct of_table *t, bool on)
{
	WRITE_ONCE(t->emc_on, on);
	of_commit(t);
}

int of_flow_next(struct of_table *t, u64 *pos, struct of_flow_info *out)
{
	u32 now = vale_now_sec();
	u64 i;

	for (i = *pos; i < t->all_top; i++) {
		const struct of_flow *f = t->all[i];
		const struct of_actions *acts;

		/* An expired flow the tick has not reaped yet is gone already. */
		if (!f || !of_flow_live(f, now))
			continue;
		memset(out, 0, sizeof(*out));
		acts = of_ctl(f->acts);
		out->spec.match.key = f->key;
		out->spec.match.mask = f->mask;
		out->spec.priority = f->priority;
		out->spec.idle_timeout = f->idle;
		out->spec.hard_timeout = f->hard;
		out->spec.cookie = f->cookie;
		out->spec.n_actions = acts->n;
		memcpy(out->spec.actions, acts->a, acts->n * sizeof(acts->a[0]));
		out->packets = vale_ctr_read(&f->pkts);
		out->bytes = vale_ctr_read(&f->bytes);
		out->duration = now - f->created;
		out->idle_age = now - READ_ONCE(f->used);
		*pos = i + 1;
		return 1;
	}
	*pos = i;
	return 0;
}

void of_table_info(struct of_table *t, struct of_table_info *out)
{
	const struct of_actions *miss = of_ctl(t->miss);
	const struct of_svec *sv = of_ctl(t->svec);

	memset(out, 0, sizeof(*out));
	out->controller = READ_ONCE(t->controller);
	out->emc = READ_ONCE(t->emc_on);
	out->n_flows = t->n_flows;
	out->n_subtables = sv ? sv->n : 0;
	if (miss) {
		out->n_miss_actions = miss->n;
		memcpy(out->miss, miss->a, miss->n * sizeof(miss->a[0]));
	}
	out->miss_packets = vale_ctr_read(&t->miss_pkts);
	out->miss_bytes = vale_ctr_read(&t->miss_bytes);
}
