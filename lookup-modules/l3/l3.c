// SPDX-License-Identifier: GPL-2.0
/*
 * The l3 router's state and control path: ports, router addresses, static
 * neighbours, next hops and routes, changed by requests (struct l3_req,
 * from netlink or the tests) while the forwarding path (fwd.c) runs.
 * See l3.h for the locking rules.
 *
 * Routes are kept twice: in a hash table of their own, which answers
 * "does this route exist", lists them for dumps and finds the route that
 * covers a deleted IPv4 prefix; and in the lookup structures (lpm4.c,
 * lpm6.c) that forwarding reads. Next hops are shared by the routes
 * through them and hold the gateway's MAC once its neighbour is known, so
 * that forwarding through a gateway reads one word; a connected route's
 * next hop sends forwarding to the neighbour table with the destination.
 */
#include "l3.h"

#define B(attr)		(1u << VALE_L3_ATTR_##attr)
#define L3_NH_MIN	64

/* -------------------------------------------------------- addresses */

static bool l3_mac_unicast(const u8 *m)
{
	return !(m[0] & 1) && (m[0] | m[1] | m[2] | m[3] | m[4] | m[5]);
}

static u32 l3_alen(u8 family)
{
	return family == 4 ? 4 : 16;
}

/* Not a source or destination a router forwards to or answers for. */
static bool l3_addr_special(const struct l3_addr *a)
{
	static const u8 zero[16];

	if (a->family == 4) {
		u32 v = l3_get_be32(a->b);

		return !v || (v >> 24) == 127 || v >= 0xe0000000;
	}
	return !memcmp(a->b, zero, 16) || a->b[0] == 0xff ||
	       (!memcmp(a->b, zero, 15) && a->b[15] == 1);
}

static void l3_addr6_words(const u8 *b, u64 w[2])
{
	w[0] = l3_get_be64(b);
	w[1] = l3_get_be64(b + 8);
}

/* Whether the bits of a past plen are all zero. */
static bool l3_host_bits_zero(const struct l3_addr *a, u32 plen)
{
	u32 i, len = l3_alen(a->family);

	for (i = 0; i < len; i++) {
		u32 keep = plen >= 8 * (i + 1) ? 8 : plen > 8 * i ? plen - 8 * i : 0;
		u8 mask = keep ? (u8)(0xff << (8 - keep)) : 0;

		if (a->b[i] & ~mask)
			return false;
	}
	return true;
}

static void l3_addr_mask(struct l3_addr *a, u32 plen)
{
	u32 i, len = l3_alen(a->family);

	for (i = 0; i < len; i++) {
		u32 keep = plen >= 8 * (i + 1) ? 8 : plen > 8 * i ? plen - 8 * i : 0;

		a->b[i] &= keep ? (u8)(0xff << (8 - keep)) : 0;
	}
}

/* ------------------------------------------------------- neighbours */

struct l3_neigh_key {
	u8 family, port;
	const u8 *addr;
};

static bool l3_neigh_match(const struct l3_obj *o, const void *key)
{
	const struct l3_neigh *n = container_of(o, struct l3_neigh, obj);
	const struct l3_neigh_key *k = key;

	return n->family == k->family && n->port == k->port &&
	       !memcmp(n->addr, k->addr, l3_alen(k->family));
}

static struct l3_neigh *l3_neigh_find(struct l3 *r, u8 family, u8 port, const u8 *addr)
{
	struct l3_neigh_key k = { family, port, addr };
	struct l3_obj *o = l3_tab_find(&r->neighs, l3_neigh_hash(r, family, port, addr),
				       l3_neigh_match, &k);

	return o ? container_of(o, struct l3_neigh, obj) : NULL;
}

/* ------------------------------------------------------- next hops */

struct l3_nh_key {
	u8 family, port;
	const u8 *gw;		/* NULL: connected */
};

static u32 l3_nh_hash(const struct l3 *r, u8 family, u8 port, const u8 *gw)
{
	static const u8 zero[16];

	return l3_hash(r, (u32)family << 16 | (u32)port << 8 | (gw ? 4 : 3), family,
		       gw ? gw : zero);
}

static bool l3_nh_match(const struct l3_obj *o, const void *key)
{
	const struct l3_nh *nh = container_of(o, struct l3_nh, obj);
	const struct l3_nh_key *k = key;

	return nh->family == k->family && nh->port == k->port && nh->has_gw == !!k->gw &&
	       (!k->gw || !memcmp(nh->gw, k->gw, l3_alen(k->family)));
}

static struct l3_nh *l3_nh_find(struct l3 *r, u8 family, u8 port, const u8 *gw)
{
	struct l3_nh_key k = { family, port, gw };
	struct l3_obj *o = l3_tab_find(&r->nhs, l3_nh_hash(r, family, port, gw), l3_nh_match, &k);

	return o ? container_of(o, struct l3_nh, obj) : NULL;
}

/* The word forwarding reads for a next hop. */
static u64 l3_nh_word(struct l3 *r, const struct l3_nh *nh)
{
	u64 w = (u64)nh->port << L3_NH_PORT_SHIFT;
	const struct l3_neigh *n;

	if (!nh->has_gw)
		return w | L3_NH_CONNECTED;
	n = l3_neigh_find(r, nh->family, nh->port, nh->gw);
	return n ? w | L3_NH_RESOLVED | (n->mac & L3_MAC_MASK) : w;
}

/* Twice the next hop words: publish, wait for the readers of the old ones. */
static int l3_nh_grow(struct l3 *r)
{
	u32 cap = 2 * r->nh_cap;
	u64 *nhw, *old = r->nhw;
	int err;

	if (cap > LPM4_MAX_NH)
		return -ENOSPC;
	nhw = l3_calloc(cap, sizeof(*nhw));
	if (!nhw)
		return -ENOMEM;
	err = l3_ids_grow(&r->nh_ids, r->nh_cap, cap);
	if (err) {
		vale_free(nhw);
		return err;
	}
	memcpy(nhw, old, r->nh_cap * sizeof(*nhw));
	smp_store_release(&r->nhw, nhw);
	r->nh_cap = cap;
	vale_synchronize();
	vale_free(old);
	l3_ids_recycle(&r->nh_ids);
	return 0;
}

static struct l3_nh *l3_nh_get(struct l3 *r, u8 family, u8 port, const u8 *gw, int *err)
{
	struct l3_nh *nh = l3_nh_find(r, family, port, gw);
	u32 id;

	if (nh) {
		nh->refs++;
		return nh;
	}
	if (!r->nh_ids.nfree && r->nh_ids.nlimbo && r->nh_ids.nlimbo >= r->nh_cap / 8) {
		vale_synchronize();
		l3_ids_recycle(&r->nh_ids);
	}
	if (!r->nh_ids.nfree) {
		*err = l3_nh_grow(r);
		if (*err)
			return NULL;
	}
	nh = vale_zalloc(sizeof(*nh));
	if (!nh) {
		*err = -ENOMEM;
		return NULL;
	}
	nh->family = family;
	nh->port = port;
	nh->has_gw = gw;
	if (gw)
		memcpy(nh->gw, gw, l3_alen(family));
	nh->refs = 1;
	nh->obj.hash = l3_nh_hash(r, family, port, gw);
	*err = l3_tab_add(&r->nhs, &nh->obj);
	if (*err) {
		vale_free(nh);
		return NULL;
	}
	l3_ids_get(&r->nh_ids, &id);
	nh->id = id;
	WRITE_ONCE(r->nhw[id], l3_nh_word(r, nh));
	return nh;
}

static void l3_nh_put(struct l3 *r, struct l3_nh *nh)
{
	if (--nh->refs)
		return;
	/* No route leads to it any more; its id is reused after a grace period. */
	WRITE_ONCE(r->nhw[nh->id], 0);
	l3_ids_put(&r->nh_ids, nh->id);
	l3_tab_del(&r->nhs, &nh->obj);
	vale_free(nh);
}

/* A neighbour came, went or moved: the next hop through it follows. */
static void l3_nh_neigh_changed(struct l3 *r, u8 family, u8 port, const u8 *addr)
{
	struct l3_nh *nh = l3_nh_find(r, family, port, addr);

	if (nh)
		WRITE_ONCE(r->nhw[nh->id], l3_nh_word(r, nh));
}

/* ---------------------------------------------------------- routes */

struct l3_route_key {
	u8 family, plen;
	const u8 *prefix;
};

static u32 l3_route_hash(const struct l3 *r, u8 family, u8 plen, const u8 *prefix)
{
	return l3_hash(r, (u32)family << 16 | (u32)plen << 8 | 2, family, prefix);
}

static bool l3_route_match(const struct l3_obj *o, const void *key)
{
	const struct l3_route *rt = container_of(o, struct l3_route, obj);
	const struct l3_route_key *k = key;

	return rt->family == k->family && rt->plen == k->plen &&
	       !memcmp(rt->prefix, k->prefix, l3_alen(k->family));
}

static struct l3_route *l3_route_find(struct l3 *r, u8 family, u8 plen, const u8 *prefix)
{
	struct l3_route_key k = { family, plen, prefix };
	struct l3_obj *o = l3_tab_find(&r->routes, l3_route_hash(r, family, plen, prefix),
				       l3_route_match, &k);

	return o ? container_of(o, struct l3_route, obj) : NULL;
}

static u32 l3_route_nh(const struct l3_route *rt)
{
	return rt->nh ? rt->nh->id : L3_NH_LOCAL;
}

/* Add a route to prefix/plen via nh (NULL: a router address). */
static int l3_route_insert(struct l3 *r, const struct l3_addr *prefix, u8 plen, struct l3_nh *nh)
{
	struct l3_route *rt = vale_zalloc(sizeof(*rt));
	u64 a6[2];
	int err;

	if (!rt)
		return -ENOMEM;
	rt->family = prefix->family;
	rt->plen = plen;
	rt->nh = nh;
	rt->local = !nh;
	memcpy(rt->prefix, prefix->b, l3_alen(prefix->family));
	rt->obj.hash = l3_route_hash(r, rt->family, plen, rt->prefix);
	err = l3_tab_add(&r->routes, &rt->obj);
	if (err)
		goto fail;
	if (rt->family == 4) {
		err = l3_lpm4_add(&r->lpm4, l3_get_be32(rt->prefix), plen, l3_route_nh(rt));
	} else {
		l3_addr6_words(rt->prefix, a6);
		err = l3_lpm6_add(&r->lpm6, a6, plen, l3_route_nh(rt));
	}
	if (!err)
		return 0;
	l3_tab_del(&r->routes, &rt->obj);
fail:
	vale_free(rt);
	return err;
}

static void l3_route_remove(struct l3 *r, struct l3_route *rt)
{
	struct l3_route *cover = NULL;
	struct l3_addr p;
	u64 a6[2];
	int len;

	if (rt->family == 4) {
		/* What its addresses fall back to: the longest route covering it. */
		p.family = 4;
		for (len = rt->plen - 1; len >= 0 && !cover; len--) {
			memcpy(p.b, rt->prefix, 4);
			l3_addr_mask(&p, len);
			cover = l3_route_find(r, 4, len, p.b);
		}
		l3_lpm4_del(&r->lpm4, l3_get_be32(rt->prefix), rt->plen,
			    cover ? l3_route_nh(cover) : 0, cover ? cover->plen : 0);
	} else {
		l3_addr6_words(rt->prefix, a6);
		l3_lpm6_del(&r->lpm6, a6, rt->plen);
	}
	l3_tab_del(&r->routes, &rt->obj);
	if (rt->nh)
		l3_nh_put(r, rt->nh);
	vale_free(rt);
}

/* ----------------------------------------------------------- ports */

static int l3_port_addr_slot(const struct l3_port *p, const struct l3_addr *a)
{
	u32 i;

	for (i = 0; i < L3_PORT_ADDRS; i++) {
		if (a->family == 4 && p->addr4[i] && p->addr4[i] == l3_get_be32(a->b))
			return i;
		if (a->family == 6 && (p->addr6_used >> i & 1) && !memcmp(p->addr6[i], a->b, 16))
			return i;
	}
	return -1;
}

static void l3_port_addr_remove(struct l3 *r, struct l3_port *p, u8 family, u32 i)
{
	struct l3_route *rt;
	u8 b[16];

	if (family == 4) {
		l3_put_be32(b, p->addr4[i]);
		WRITE_ONCE(p->addr4[i], 0);
	} else {
		memcpy(b, p->addr6[i], 16);
		WRITE_ONCE(p->addr6_used, p->addr6_used & ~(1u << i));
		/* Nobody may still compare against the slot when it is reused. */
		vale_synchronize();
	}
	rt = l3_route_find(r, family, family == 4 ? 32 : 128, b);
	if (rt)
		l3_route_remove(r, rt);
}

/* Forget a port's MAC and addresses. */
static void l3_port_clear(struct l3 *r, u32 port)
{
	struct l3_port *p = &r->port[port];
	u32 i;

	for (i = 0; i < L3_PORT_ADDRS; i++) {
		if (p->addr4[i])
			l3_port_addr_remove(r, p, 4, i);
		if (p->addr6_used >> i & 1)
			l3_port_addr_remove(r, p, 6, i);
	}
	WRITE_ONCE(p->mac, 0);
}

static void l3_neigh_remove(struct l3 *r, struct l3_neigh *n)
{
	l3_tab_del(&r->neighs, &n->obj);
	l3_nh_neigh_changed(r, n->family, n->port, n->addr);
	l3_limbo_add(&r->limbo, n);
}

/* Everything through one port (port < 0: everything). */
static void l3_flush(struct l3 *r, int port)
{
	u32 i;

	for (i = r->routes.n; i-- > 0;) {
		struct l3_route *rt = container_of(r->routes.all[i], struct l3_route, obj);

		if (!rt->local && (port < 0 || rt->nh->port == port))
			l3_route_remove(r, rt);
	}
	for (i = r->neighs.n; i-- > 0;) {
		struct l3_neigh *n = container_of(r->neighs.all[i], struct l3_neigh, obj);

		if (port < 0 || n->port == port)
			l3_neigh_remove(r, n);
	}
	for (i = 0; i < VALE_MAX_PORTS; i++)
		if (port < 0 || (int)i == port)
			l3_port_clear(r, i);
}

static int l3_port_attach(void *priv, u16 port)
{
	struct l3 *r = priv;

	if (port >= VALE_MAX_PORTS)
		return -EINVAL;
	r->port[port].attached = true;
	return 0;
}

/* A port left: what was configured for it goes (its number may be reused). */
static void l3_port_detach(void *priv, u16 port)
{
	struct l3 *r = priv;

	if (port >= VALE_MAX_PORTS)
		return;
	l3_flush(r, port);
	r->port[port].attached = false;
	memset(&r->stats[port], 0, sizeof(r->stats[port]));
}

/* -------------------------------------------------------- requests */

static int l3_fail(struct l3_err *err, int code, u32 attr, const char *msg)
{
	err->msg = msg;
	err->attr = attr;
	return code;
}

static int l3_op_port_set(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	if (!l3_mac_unicast(q->mac))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_MAC, "not a unicast MAC address");
	WRITE_ONCE(r->port[q->port].mac, L3_MAC_VALID | l3_mac_word(q->mac));
	return 0;
}

static int l3_op_addr_add(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	struct l3_port *p = &r->port[q->port];
	const struct l3_addr *a = &q->addr;
	u8 plen = a->family == 4 ? 32 : 128;
	int e;
	u32 i;

	if (l3_addr_special(a))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_ADDR, "not a unicast address");
	if (l3_port_addr_slot(p, a) >= 0)
		return l3_fail(err, -EEXIST, VALE_L3_ATTR_ADDR, "already an address of this port");
	if (l3_route_find(r, a->family, plen, a->b))
		return l3_fail(err, -EEXIST, VALE_L3_ATTR_ADDR,
			       "a router address or a host route already");
	for (i = 0; i < L3_PORT_ADDRS; i++)
		if (a->family == 4 ? !p->addr4[i] : !(p->addr6_used >> i & 1))
			break;
	if (i == L3_PORT_ADDRS)
		return l3_fail(err, -ENOSPC, VALE_L3_ATTR_ADDR,
			       "the port has as many addresses of this family as it can");
	e = l3_route_insert(r, a, plen, NULL);
	if (e)
		return l3_fail(err, e, VALE_L3_ATTR_ADDR, "no memory for the address's route");
	if (a->family == 4) {
		WRITE_ONCE(p->addr4[i], l3_get_be32(a->b));
	} else {
		memcpy(p->addr6[i], a->b, 16);
		smp_store_release(&p->addr6_used, p->addr6_used | 1u << i);
	}
	return 0;
}

static int l3_op_addr_del(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	struct l3_port *p = &r->port[q->port];
	int i = l3_port_addr_slot(p, &q->addr);

	if (i < 0)
		return l3_fail(err, -ENOENT, VALE_L3_ATTR_ADDR, "not an address of this port");
	l3_port_addr_remove(r, p, q->addr.family, i);
	return 0;
}

static int l3_op_route_add(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	const struct l3_addr *pfx = &q->prefix;
	const u8 *gw = NULL;
	struct l3_nh *nh;
	int e;

	if (q->plen > (pfx->family == 4 ? 32 : 128))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_PREFIX_LEN, "longer than the address");
	if (!l3_host_bits_zero(pfx, q->plen))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_PREFIX,
			       "bits set past the prefix length");
	if (q->has & B(GATEWAY)) {
		if (q->gw.family != pfx->family)
			return l3_fail(err, -EINVAL, VALE_L3_ATTR_GATEWAY,
				       "not of the prefix's address family");
		if (l3_addr_special(&q->gw))
			return l3_fail(err, -EINVAL, VALE_L3_ATTR_GATEWAY,
				       "not a unicast address");
		gw = q->gw.b;
	}
	if (l3_route_find(r, pfx->family, q->plen, pfx->b))
		return l3_fail(err, -EEXIST, VALE_L3_ATTR_PREFIX, "the route exists");
	nh = l3_nh_get(r, pfx->family, q->port, gw, &e);
	if (!nh)
		return l3_fail(err, e, 0, e == -ENOSPC ? "too many next hops" : "no memory");
	e = l3_route_insert(r, pfx, q->plen, nh);
	if (e) {
		l3_nh_put(r, nh);
		return l3_fail(err, e, 0, e == -ENOSPC ? "too many routes longer than /24" :
				   "no memory for the route");
	}
	return 0;
}

static int l3_op_route_del(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	struct l3_route *rt;

	if (q->plen > (q->prefix.family == 4 ? 32 : 128))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_PREFIX_LEN, "longer than the address");
	rt = l3_route_find(r, q->prefix.family, q->plen, q->prefix.b);
	if (!rt)
		return l3_fail(err, -ENOENT, VALE_L3_ATTR_PREFIX, "no such route");
	if (rt->local)
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_PREFIX,
			       "the route of a router address: delete the address");
	l3_route_remove(r, rt);
	return 0;
}

static int l3_op_neigh_add(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	const struct l3_addr *a = &q->addr;
	struct l3_neigh *n;
	int e;

	if (l3_addr_special(a))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_ADDR, "not a unicast address");
	if (!l3_mac_unicast(q->mac))
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_MAC, "not a unicast MAC address");
	n = l3_neigh_find(r, a->family, q->port, a->b);
	if (n) {
		WRITE_ONCE(n->mac, L3_MAC_VALID | l3_mac_word(q->mac));
	} else {
		n = vale_zalloc(sizeof(*n));
		if (!n)
			return l3_fail(err, -ENOMEM, 0, "no memory for the neighbour");
		n->family = a->family;
		n->port = q->port;
		memcpy(n->addr, a->b, l3_alen(a->family));
		n->mac = L3_MAC_VALID | l3_mac_word(q->mac);
		n->obj.hash = l3_neigh_hash(r, n->family, n->port, n->addr);
		e = l3_tab_add(&r->neighs, &n->obj);
		if (e) {
			vale_free(n);
			return l3_fail(err, e, 0, "no memory for the neighbour");
		}
	}
	l3_nh_neigh_changed(r, a->family, q->port, a->b);
	return 0;
}

static int l3_op_neigh_del(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	struct l3_neigh *n = l3_neigh_find(r, q->addr.family, q->port, q->addr.b);

	if (!n)
		return l3_fail(err, -ENOENT, VALE_L3_ATTR_ADDR, "no such neighbour on this port");
	l3_neigh_remove(r, n);
	return 0;
}

/* What each operation requires, and what else it accepts (besides OP). */
static const struct {
	u32 req, opt;
} l3_op_attrs[] = {
	[VALE_L3_OP_PORT_SET] = { B(PORT) | B(MAC), 0 },
	[VALE_L3_OP_PORT_DEL] = { B(PORT), 0 },
	[VALE_L3_OP_ADDR_ADD] = { B(PORT) | B(ADDR), 0 },
	[VALE_L3_OP_ADDR_DEL] = { B(PORT) | B(ADDR), 0 },
	[VALE_L3_OP_ROUTE_ADD] = { B(PREFIX) | B(PREFIX_LEN) | B(PORT), B(GATEWAY) },
	[VALE_L3_OP_ROUTE_DEL] = { B(PREFIX) | B(PREFIX_LEN), 0 },
	[VALE_L3_OP_NEIGH_ADD] = { B(PORT) | B(ADDR) | B(MAC), 0 },
	[VALE_L3_OP_NEIGH_DEL] = { B(PORT) | B(ADDR), 0 },
	[VALE_L3_OP_FLUSH] = { 0, 0 },
};

int l3_apply(struct l3 *r, const struct l3_req *q, struct l3_err *err)
{
	u32 req, extra, a;

	memset(err, 0, sizeof(*err));
	if (!(q->has & B(OP))) {
		err->missing = true;
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_OP, "an operation is required");
	}
	if (q->op >= ARRAY_SIZE(l3_op_attrs) || q->op == VALE_L3_OP_UNSPEC)
		return l3_fail(err, -EOPNOTSUPP, VALE_L3_ATTR_OP, "not an operation");
	req = l3_op_attrs[q->op].req;
	extra = q->has & ~(req | l3_op_attrs[q->op].opt | B(OP));
	for (a = 1; a <= VALE_L3_ATTR_MAX; a++) {
		if ((req >> a & 1) && !(q->has >> a & 1)) {
			err->missing = true;
			return l3_fail(err, -EINVAL, a, "required by this operation");
		}
		if (extra >> a & 1)
			return l3_fail(err, -EINVAL, a, "not accepted by this operation");
	}
	if (q->has & B(PORT)) {
		if (q->port >= VALE_MAX_PORTS || !r->port[q->port].attached)
			return l3_fail(err, -ENODEV, VALE_L3_ATTR_PORT,
				       "no such port on the switch");
	}
	if ((q->has & B(ADDR)) && q->addr.family != 4 && q->addr.family != 6)
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_ADDR, "not 4 or 16 bytes");
	if ((q->has & B(PREFIX)) && q->prefix.family != 4 && q->prefix.family != 6)
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_PREFIX, "not 4 or 16 bytes");
	if ((q->has & B(GATEWAY)) && q->gw.family != 4 && q->gw.family != 6)
		return l3_fail(err, -EINVAL, VALE_L3_ATTR_GATEWAY, "not 4 or 16 bytes");

	switch (q->op) {
	case VALE_L3_OP_PORT_SET:
		return l3_op_port_set(r, q, err);
	case VALE_L3_OP_PORT_DEL:
		l3_port_clear(r, q->port);
		return 0;
	case VALE_L3_OP_ADDR_ADD:
		return l3_op_addr_add(r, q, err);
	case VALE_L3_OP_ADDR_DEL:
		return l3_op_addr_del(r, q, err);
	case VALE_L3_OP_ROUTE_ADD:
		return l3_op_route_add(r, q, err);
	case VALE_L3_OP_ROUTE_DEL:
		return l3_op_route_del(r, q, err);
	case VALE_L3_OP_NEIGH_ADD:
		return l3_op_neigh_add(r, q, err);
	case VALE_L3_OP_NEIGH_DEL:
		return l3_op_neigh_del(r, q, err);
	case VALE_L3_OP_FLUSH:
		l3_flush(r, -1);
		return 0;
	}
	return l3_fail(err, -EOPNOTSUPP, VALE_L3_ATTR_OP, "not an operation");
}

/* ----------------------------------------------------------- dumps */


static void l3_addr_set(struct l3_addr *a, u8 family, const u8 *b)
{
	a->family = family;
	memcpy(a->b, b, l3_alen(family));
}

/* Fill o with the object i of kind, if there is one. */
static bool l3_dump_obj(struct l3 *r, u32 kind, u32 i, struct l3_req *o)
{
	const struct l3_port *p;
	u8 b[16];

	switch (kind) {
	case L3_DUMP_STATS:
		if (i)
			return false;
		o->op = VALE_L3_OP_STATS;
		o->has = B(OP) | B(STATS);
		l3_get_stats(r, o->stats);
		return true;
	case L3_DUMP_PORTS:
		p = &r->port[i];
		if (!p->mac)
			return false;
		o->op = VALE_L3_OP_PORT_SET;
		o->has = B(OP) | B(PORT) | B(MAC);
		o->port = i;
		l3_put_mac(o->mac, p->mac);
		return true;
	case L3_DUMP_ADDRS:
		p = &r->port[i / (2 * L3_PORT_ADDRS)];
		i %= 2 * L3_PORT_ADDRS;
		if (i < L3_PORT_ADDRS) {
			if (!p->addr4[i])
				return false;
			l3_put_be32(b, p->addr4[i]);
			l3_addr_set(&o->addr, 4, b);
		} else {
			if (!(p->addr6_used >> (i - L3_PORT_ADDRS) & 1))
				return false;
			l3_addr_set(&o->addr, 6, p->addr6[i - L3_PORT_ADDRS]);
		}
		o->op = VALE_L3_OP_ADDR_ADD;
		o->has = B(OP) | B(PORT) | B(ADDR);
		o->port = p - r->port;
		return true;
	case L3_DUMP_NEIGHS: {
		const struct l3_neigh *n = container_of(r->neighs.all[i], struct l3_neigh, obj);

		o->op = VALE_L3_OP_NEIGH_ADD;
		o->has = B(OP) | B(PORT) | B(ADDR) | B(MAC);
		o->port = n->port;
		l3_addr_set(&o->addr, n->family, n->addr);
		l3_put_mac(o->mac, n->mac);
		return true;
	}
	case L3_DUMP_ROUTES: {
		const struct l3_route *rt = container_of(r->routes.all[i], struct l3_route, obj);

		if (rt->local)
			return false;
		o->op = VALE_L3_OP_ROUTE_ADD;
		o->has = B(OP) | B(PREFIX) | B(PREFIX_LEN) | B(PORT);
		l3_addr_set(&o->prefix, rt->family, rt->prefix);
		o->plen = rt->plen;
		o->port = rt->nh->port;
		if (rt->nh->has_gw) {
			o->has |= B(GATEWAY);
			l3_addr_set(&o->gw, rt->family, rt->nh->gw);
		}
		return true;
	}
	}
	return false;
}

static u32 l3_dump_count(struct l3 *r, u32 kind)
{
	switch (kind) {
	case L3_DUMP_STATS:
		return 1;
	case L3_DUMP_PORTS:
		return VALE_MAX_PORTS;
	case L3_DUMP_ADDRS:
		return VALE_MAX_PORTS * 2 * L3_PORT_ADDRS;
	case L3_DUMP_NEIGHS:
		return r->neighs.n;
	case L3_DUMP_ROUTES:
		return r->routes.n;
	}
	return 0;
}

int l3_dump_next(struct l3 *r, u64 *pos, struct l3_req *o)
{
	u32 kind = *pos >> 32, i = (u32)*pos;

	for (; kind < L3_DUMP_END; kind++, i = 0) {
		for (; i < l3_dump_count(r, kind); i++) {
			memset(o, 0, sizeof(*o));
			if (l3_dump_obj(r, kind, i, o)) {
				*pos = (u64)kind << 32 | (i + 1);
				return 1;
			}
		}
	}
	*pos = (u64)L3_DUMP_END << 32;
	return 0;
}

void l3_get_stats(struct l3 *r, u64 out[L3_NSTATS])
{
	u32 p, i;

	memset(out, 0, sizeof(u64) * L3_NSTATS);
	for (p = 0; p < VALE_MAX_PORTS; p++)
		for (i = 0; i < L3_NSTATS; i++)
			out[i] += READ_ONCE(r->stats[p].c[i]);
}

/* ------------------------------------------------------- lifetime */

int l3_create(void **priv, const char *switch_name)
{
	struct l3 *r = vale_zalloc(sizeof(*r));
	int err = -ENOMEM;

	(void)switch_name;
	if (!r)
		return -ENOMEM;
	vale_hash_key_init(&r->key);
	l3_lpm4_init(&r->lpm4);
	l3_lpm6_init(&r->lpm6, &r->limbo);
	if (l3_tab_init(&r->neighs, true) || l3_tab_init(&r->routes, false) ||
	    l3_tab_init(&r->nhs, false))
		goto fail;
	r->nh_cap = L3_NH_MIN;
	r->nhw = l3_calloc(r->nh_cap, sizeof(*r->nhw));
	if (!r->nhw)
		goto fail;
	err = l3_ids_grow(&r->nh_ids, L3_NH_FIRST, r->nh_cap);
	if (err)
		goto fail;
	r->nhw[L3_NH_LOCAL] = L3_NH_IS_LOCAL;
	*priv = r;
	return 0;
fail:
	l3_destroy(r);
	return err;
}

/* No lookup runs any more: free everything at once. */
void l3_destroy(void *priv)
{
	struct l3 *r = priv;
	u32 i;

	for (i = 0; i < r->routes.n; i++)
		vale_free(container_of(r->routes.all[i], struct l3_route, obj));
	for (i = 0; i < r->nhs.n; i++)
		vale_free(container_of(r->nhs.all[i], struct l3_nh, obj));
	for (i = 0; i < r->neighs.n; i++)
		vale_free(container_of(r->neighs.all[i], struct l3_neigh, obj));
	l3_tab_fini(&r->routes);
	l3_tab_fini(&r->nhs);
	l3_tab_fini(&r->neighs);
	l3_lpm4_fini(&r->lpm4);
	l3_lpm6_fini(&r->lpm6);
	l3_limbo_fini(&r->limbo);
	vale_free(r->limbo.p);
	l3_ids_fini(&r->nh_ids);
	vale_free(r->nhw);
	vale_free(r);
}

/* Not const: the kernel build adds the netlink callbacks (netlink.c). */
struct vale_lookup_ops l3_ops = {
	.name = "l3",
	.owner = THIS_MODULE,
	.hdr_copy = L3_HDR_COPY,
	.create = l3_create,
	.destroy = l3_destroy,
	.port_attach = l3_port_attach,
	.port_detach = l3_port_detach,
	.lookup = l3_lookup,
	.lookup_batch = l3_lookup_batch,
};
