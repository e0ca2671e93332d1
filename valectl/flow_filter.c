// SPDX-License-Identifier: GPL-2.0
/*
 * valectl flow show SWITCH MATCH: which flows to show, as ovs-ofctl
 * dump-flows BRIDGE MATCH (non-strict) does. MATCH is parsed as a flow
 * without actions (flow.c), so this reads the request it makes: a flow is
 * shown when, for each field of MATCH,
 *   - its match has the field with the same value, or, for an address
 *     prefix (nw_src, nw_dst, ipv6_src, ipv6_dst), a prefix inside the
 *     one of MATCH (10.0.1.0/24 and 10.0.1.7 are inside 10.0.0.0/16);
 *   - priority=N and cookie=N: the flow has that priority (32768 when
 *     not given) and cookie (0 when not given).
 * A flow that leaves a field of MATCH wildcarded is not shown: it matches
 * more than MATCH asks for (ovs-ofctl's rule). The kernel's dump has
 * no filter: the whole table is read and filtered here.
 */
#include <string.h>

#include <linux/genetlink.h>

#include "objects.h"

static const struct nlattr *find(const struct nlattr *nest, uint16_t type)
{
	const struct nlattr *a;

	if (nest)
		mnl_attr_for_each_nested(a, nest)
			if (mnl_attr_get_type(a) == type)
				return a;
	return NULL;
}

int flow_filter_init(struct flow_filter *ff, const struct vctl_req *req)
{
	struct nlmsghdr *nlh;
	const struct nlattr *a;

	ff->config = NULL;
	nlh = nl_build(req, 0, 0, ff->msg.buf, sizeof(ff->msg.buf), NULL);
	if (!nlh)
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == VALE_ATTR_LOOKUP_CONFIG)
			ff->config = a;
	return 0;
}

/* The prefix length of address attribute a (len: its _LEN attribute). */
static unsigned int prefix_len(const struct nlattr *a, const struct nlattr *len)
{
	unsigned int bits = 8u * mnl_attr_get_payload_len(a);

	if (len && mnl_attr_get_payload_len(len) == 1 && mnl_attr_get_u8(len) < bits)
		return mnl_attr_get_u8(len);
	return bits;
}

/* Is the flow's prefix (a, alen) inside the filter's (f, flen)? */
static bool inside(const struct nlattr *a, const struct nlattr *alen,
		   const struct nlattr *f, const struct nlattr *flen)
{
	const uint8_t *x = mnl_attr_get_payload(a), *y = mnl_attr_get_payload(f);
	unsigned int fl = prefix_len(f, flen), bytes = fl / 8;

	if (mnl_attr_get_payload_len(a) != mnl_attr_get_payload_len(f) || prefix_len(a, alen) < fl)
		return false;
	if (memcmp(x, y, bytes))
		return false;
	return fl % 8 == 0 || !((x[bytes] ^ y[bytes]) & (0xff00u >> (fl % 8)));
}

static bool same(const struct nlattr *a, const struct nlattr *b)
{
	return a && b && mnl_attr_get_payload_len(a) == mnl_attr_get_payload_len(b) &&
	       !memcmp(mnl_attr_get_payload(a), mnl_attr_get_payload(b),
		       mnl_attr_get_payload_len(a));
}

static uint64_t top_value(const struct nlattr *config, uint16_t type, uint64_t dflt)
{
	const struct nlattr *a = find(config, type);

	if (!a)
		return dflt;
	if (mnl_attr_get_payload_len(a) == 8)
		return mnl_attr_get_u64(a);
	return mnl_attr_get_payload_len(a) == 4 ? mnl_attr_get_u32(a) : dflt;
}

bool flow_filter_match(const struct flow_filter *ff, const struct nlattr *config)
{
	const struct nlattr *fm, *m, *f;

	if (!ff || !ff->config)
		return true;
	fm = find(ff->config, VALE_OF_ATTR_MATCH);
	m = find(config, VALE_OF_ATTR_MATCH);
	if (fm) {
		mnl_attr_for_each_nested(f, fm) {
			uint16_t t = mnl_attr_get_type(f);
			const struct nlattr *a = find(m, t);

			if (t == VALE_OF_MATCH_IP_SRC_LEN || t == VALE_OF_MATCH_IP_DST_LEN)
				continue;	/* with their address */
			if (!a)
				return false;
			if (t == VALE_OF_MATCH_IP_SRC || t == VALE_OF_MATCH_IP_DST) {
				if (!inside(a, find(m, t + 1), f, find(fm, t + 1)))
					return false;
			} else if (!same(a, f)) {
				return false;
			}
		}
	}
	if (find(ff->config, VALE_OF_ATTR_PRIORITY) &&
	    top_value(ff->config, VALE_OF_ATTR_PRIORITY, 0) !=
	    top_value(config, VALE_OF_ATTR_PRIORITY, 0x8000))
		return false;
	if (find(ff->config, VALE_OF_ATTR_COOKIE) &&
	    top_value(ff->config, VALE_OF_ATTR_COOKIE, 0) != top_value(config, VALE_OF_ATTR_COOKIE, 0))
		return false;
	return true;
}
