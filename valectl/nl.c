// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: generic netlink plumbing. Resolves the "vale" family (and its
 * "events" group) with CTRL_CMD_GETFAMILY, builds a request from a parsed
 * command line, runs it to its ack or the end of its dump, and turns the
 * kernel's extended ack into a message that names the argument of the
 * command line the bad attribute was made from.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "nl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* Big enough for any message a dump packs (the kernel's are <= 32 KiB);
 * one per socket, so that a callback may ask on another socket. */
#define NL_BUFSIZE	65536

/* ---- reply attributes ------------------------------------------------ */

static const struct {
	enum mnl_attr_data_type type;
	size_t len;
} attr_policy[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[VALE_ATTR_SWITCH_INDEX]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_SWITCH_PORTS]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_SWITCH_PERSISTENT]	= { MNL_TYPE_FLAG, 0 },
	[VALE_ATTR_LOOKUP_NAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[VALE_ATTR_LOOKUP_CONFIG]	= { MNL_TYPE_NESTED, 0 },
	[VALE_ATTR_PORT_NAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[VALE_ATTR_PORT_INDEX]		= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_KIND]		= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_TX_RINGS]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_RX_RINGS]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_TX_SLOTS]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_RX_SLOTS]	= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_MEM_ID]		= { MNL_TYPE_U32, 0 },
	[VALE_ATTR_PORT_STATS]		= { MNL_TYPE_NESTED, 0 },
	[VALE_ATTR_IF_NAME]		= { MNL_TYPE_NUL_STRING, 0 },
	[VALE_ATTR_PAD]			= { MNL_TYPE_UNSPEC, 0 },
	[VALE_ATTR_PORT_HOST]		= { MNL_TYPE_FLAG, 0 },
	[VALE_ATTR_LOOKUP_TABLE]	= { MNL_TYPE_NUL_STRING, 0 },
	/* repeated in a schema: schema.c walks them itself */
	[VALE_ATTR_LOOKUP_ATTR]		= { MNL_TYPE_NESTED, 0 },
	[VALE_ATTR_LOOKUP_TABLE_DEF]	= { MNL_TYPE_NESTED, 0 },
};

static int attr_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type == 0 || type > VALE_ATTR_MAX || attr_policy[type].type == MNL_TYPE_UNSPEC)
		return MNL_CB_OK;	/* newer kernel, or reserved: skip what we don't know */
	if (attr_policy[type].len) {
		if (mnl_attr_get_payload_len(a) != attr_policy[type].len)
			return MNL_CB_OK;
	} else if (mnl_attr_validate(a, attr_policy[type].type) < 0) {
		return MNL_CB_OK;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

int nl_parse(const struct nlmsghdr *nlh, nl_attrs_t tb)
{
	memset(tb, 0, sizeof(nl_attrs_t));
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), attr_cb, tb) < 0 ? -1 : 0;
}

static int stats_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type == 0 || type > VALE_STATS_MAX || type == VALE_STATS_PAD)
		return MNL_CB_OK;
	if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	tb[type] = a;
	return MNL_CB_OK;
}

int nl_parse_stats(const struct nlattr *nest, nl_stats_t tb)
{
	memset(tb, 0, sizeof(nl_stats_t));
	if (!nest)
		return -1;
	return mnl_attr_parse_nested(nest, stats_cb, tb) < 0 ? -1 : 0;
}

const char *nl_get_str(const struct nlattr *a)
{
	return a ? mnl_attr_get_str(a) : NULL;
}

uint32_t nl_get_u32(const struct nlattr *a)
{
	return a ? mnl_attr_get_u32(a) : 0;
}

uint64_t nl_get_u64(const struct nlattr *a)
{
	return a ? mnl_attr_get_u64(a) : 0;
}

/* ---- requests ---------------------------------------------------------- */

static void map_add(struct nl_attrmap *map, const struct nlmsghdr *nlh,
		    const struct nlattr *a, int arg)
{
	if (!map || map->n >= (int)(sizeof(map->e) / sizeof(map->e[0])))
		return;
	map->e[map->n].off = (uint32_t)((const char *)a - (const char *)nlh);
	map->e[map->n].len = a->nla_len;
	map->e[map->n].arg = arg;
	map->n++;
}

static void put_arg(struct nlmsghdr *nlh, const struct vctl_req *req, const struct vctl_arg *arg)
{
	switch (arg->type) {
	case VT_U32:
		mnl_attr_put_u32(nlh, arg->attr, arg->u32);
		break;
	case VT_U16:
		mnl_attr_put_u16(nlh, arg->attr, (uint16_t)arg->u32);
		break;
	case VT_U8:
		mnl_attr_put_u8(nlh, arg->attr, (uint8_t)arg->u32);
		break;
	case VT_U64:
		mnl_attr_put_u64(nlh, arg->attr, arg->u64);
		break;
	case VT_BIN:
		mnl_attr_put(nlh, arg->attr, arg->len, vctl_bin(req, arg));
		break;
	case VT_FLAG:
		mnl_attr_put(nlh, arg->attr, 0, NULL);
		break;
	case VT_NEST:
		break;		/* put_group() opens it */
	case VT_STR:
		mnl_attr_put_strz(nlh, arg->attr, arg->str);
		break;
	}
}

/* Is argument a in the group of nest (level 1: inner 0) or nest/inner? */
static bool in_group(const struct vctl_arg *a, uint16_t nest, uint16_t inner)
{
	if (a->type == VT_NEST && inner)	/* the marker of the inner nest */
		return a->nest == nest && a->attr == inner;
	if (a->type == VT_NEST)		/* the outer one's, or an inner one's */
		return (!a->nest && a->attr == nest) || a->nest == nest;
	return a->nest == nest && (!inner || a->nest2 == inner);
}

/*
 * The arguments of one nest, from the first (index first) on, in command
 * line order; a second level of nesting groups the same way. The nest
 * is mapped to its VT_NEST marker, or else to its first member.
 */
static void put_group(struct nlmsghdr *nlh, const struct vctl_req *req, bool *done,
		      struct nl_attrmap *map, int first, uint16_t nest, uint16_t inner)
{
	struct nlattr *start = mnl_attr_nest_start(nlh, inner ? inner : nest);
	int j, anchor = first;

	for (j = first; j < req->nargs; j++) {
		const struct vctl_arg *a = &req->args[j];
		struct nlattr *at;

		if (done[j] || !in_group(a, nest, inner))
			continue;
		if (a->type == VT_NEST && (inner || !a->nest)) {
			anchor = j;	/* the marker of this very nest */
			done[j] = true;
			continue;
		}
		if (!inner && (a->nest2 || a->type == VT_NEST)) {
			put_group(nlh, req, done, map, j, nest,
				  a->type == VT_NEST ? a->attr : a->nest2);
			continue;
		}
		at = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
		put_arg(nlh, req, a);
		map_add(map, nlh, at, j);
		done[j] = true;
	}
	mnl_attr_nest_end(nlh, start);
	map_add(map, nlh, start, anchor);
}

/*
 * The request of req: its command, NLM_F_DUMP if it is a dump, and its
 * attributes in command line order, those with the same nest grouped in
 * one nested attribute (two levels deep at most). map (may be NULL)
 * records where each one went.
 */
struct nlmsghdr *nl_build(const struct vctl_req *req, uint16_t family,
			  uint32_t seq, void *buf, size_t size,
			  struct nl_attrmap *map)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	bool done[VCTL_MAX_ARGS] = { false };
	int i;

	if (size < NL_TXSIZE)
		return NULL;
	memset(buf, 0, NL_TXSIZE);
	if (map)
		map->n = 0;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | (req->dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = req->cmd;
	genl->version = VALE_GENL_VERSION;

	for (i = 0; i < req->nargs; i++) {
		const struct vctl_arg *arg = &req->args[i];
		struct nlattr *a;

		if (done[i])
			continue;
		if (arg->nest || arg->type == VT_NEST) {
			put_group(nlh, req, done, map, i, arg->nest ? arg->nest : arg->attr, 0);
			continue;
		}
		a = (struct nlattr *)((char *)nlh + nlh->nlmsg_len);
		put_arg(nlh, req, arg);
		map_add(map, nlh, a, i);
	}
	return nlh;
}

/* ---- errors -------------------------------------------------------------- */

/* Where the extack TLVs of an NLMSG_ERROR start, from its payload. */
size_t nl_err_tlv_offset(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED) && e->msg.nlmsg_len >= sizeof(struct nlmsghdr))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	return off;
}

static int ext_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type > NLMSGERR_ATTR_MAX)
		return MNL_CB_OK;
	switch (type) {
	case NLMSGERR_ATTR_MSG:
		if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
			return MNL_CB_OK;
		break;
	case NLMSGERR_ATTR_POLICY:
		if (mnl_attr_validate(a, MNL_TYPE_NESTED) < 0)
			return MNL_CB_OK;
		break;
	case NLMSGERR_ATTR_OFFS:
	case NLMSGERR_ATTR_MISS_TYPE:
	case NLMSGERR_ATTR_MISS_NEST:
		if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
			return MNL_CB_OK;
		break;
	}
	tb[type] = a;
	return MNL_CB_OK;
}

/*
 * The range the kernel's policy allows, from NLMSGERR_ATTR_POLICY: ", allowed
 * MIN..MAX" (unsigned ranges only, which are all this family has), or "".
 */
static void policy_range(char *out, size_t size, const struct nlattr *policy)
{
	const struct nlattr *a;
	uint64_t min = 0, max = 0;
	bool has_min = false, has_max = false;

	*out = 0;
	mnl_attr_for_each_nested(a, policy) {
		if (mnl_attr_get_payload_len(a) != sizeof(uint64_t))
			continue;
		if (mnl_attr_get_type(a) == NL_POLICY_TYPE_ATTR_MIN_VALUE_U) {
			min = mnl_attr_get_u64(a);
			has_min = true;
		} else if (mnl_attr_get_type(a) == NL_POLICY_TYPE_ATTR_MAX_VALUE_U) {
			max = mnl_attr_get_u64(a);
			has_max = true;
		}
	}
	if (has_min && has_max)
		snprintf(out, size, ", allowed %llu..%llu", (unsigned long long)min,
			 (unsigned long long)max);
}

/* The command line text an argument came from: "KEYWORD VALUE" or "VALUE". */
void nl_arg_text(char *out, size_t size, const struct vctl_req *req,
		 const struct vctl_arg *arg)
{
	const char *val = arg->argi >= 0 && arg->argi < req->argc ? req->argv[arg->argi] : "?";

	if (arg->tlen > 0 && arg->off >= 0 && (size_t)arg->off + (size_t)arg->tlen <= strlen(val))
		snprintf(out, size, "%.*s", arg->tlen, val + arg->off);
	else if (arg->kwi >= 0 && arg->kwi < req->argc && arg->kwi != arg->argi)
		snprintf(out, size, "%s %s", req->argv[arg->kwi], val);
	else
		snprintf(out, size, "%s", val);
}

/* The argument whose attribute is at offset off of the request. */
static const struct vctl_arg *arg_at(const struct vctl_req *req,
				     const struct nl_attrmap *map, uint32_t off)
{
	int i, best = -1;

	if (!map)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (map->e[i].off == off)
			return &req->args[map->e[i].arg];
	/* inside an attribute: the innermost one that holds it */
	for (i = 0; i < map->n; i++)
		if (off > map->e[i].off && off < map->e[i].off + map->e[i].len &&
		    (best < 0 || map->e[i].len < map->e[best].len))
			best = i;
	return best >= 0 ? &req->args[map->e[best].arg] : NULL;
}

/*
 * "Error: MESSAGE (argument "TEXT"): STRERROR" from the NLMSG_ERROR (or
 * NLMSG_DONE) err, its TLVs at tlv_offset of its payload; error > 0.
 */
void nl_format_error(char *out, size_t size, const struct vctl_req *req,
		     const struct nl_attrmap *map,
		     const struct nlmsghdr *err, size_t tlv_offset, int error)
{
	const struct nlattr *tb[NLMSGERR_ATTR_MAX + 1] = { NULL };
	const char *msg = NULL;
	char where[256] = "", range[64] = "";

	if (err && (err->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    mnl_nlmsg_get_payload_len(err) >= tlv_offset)
		mnl_attr_parse(err, (unsigned int)tlv_offset, ext_cb, tb);

	if (tb[NLMSGERR_ATTR_MSG] && *mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]))
		msg = mnl_attr_get_str(tb[NLMSGERR_ATTR_MSG]);
	if (tb[NLMSGERR_ATTR_POLICY])
		policy_range(range, sizeof(range), tb[NLMSGERR_ATTR_POLICY]);
	if (tb[NLMSGERR_ATTR_OFFS]) {
		const struct vctl_arg *arg = arg_at(req, map, mnl_attr_get_u32(tb[NLMSGERR_ATTR_OFFS]));
		char text[200];

		if (arg) {
			nl_arg_text(text, sizeof(text), req, arg);
			snprintf(where, sizeof(where), " (argument \"%s\")", text);
		}
	} else if (tb[NLMSGERR_ATTR_MISS_TYPE]) {
		uint32_t type = mnl_attr_get_u32(tb[NLMSGERR_ATTR_MISS_TYPE]);

		if (tb[NLMSGERR_ATTR_MISS_NEST])
			snprintf(where, sizeof(where), " (missing attribute %u in a nest)", type);
		else
			snprintf(where, sizeof(where), " (missing attribute %s)",
				 vctl_attr_name((uint16_t)type));
	}

	if (msg)
		snprintf(out, size, "Error: %s%s%s: %s", msg, range, where, strerror(error));
	else
		snprintf(out, size, "Error: %s%s%s", strerror(error), range, where);
}

/* ---- running requests ---------------------------------------------------- */

struct run {
	const struct vctl_req *req;
	const struct nl_attrmap *map;
	nl_cb_t cb;
	void *data;
	uint16_t family;
	int error;		/* errno from the kernel, 0 if none */
	bool reported;
	bool quiet;		/* the caller reports errors itself */
	bool intr;		/* NLM_F_DUMP_INTR: the table changed meanwhile */
};

static void report(struct run *r, const struct nlmsghdr *nlh, size_t off, int error)
{
	char line[1024];

	r->error = error;
	if (r->quiet)
		return;
	nl_format_error(line, sizeof(line), r->req, r->map, nlh, off, error);
	fprintf(stderr, "%s\n", line);
	r->reported = true;
}

static int ctl_error(const struct nlmsghdr *nlh, void *data)
{
	struct run *r = data;
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	if (e->error == 0)
		return MNL_CB_STOP;	/* the ack */
	report(r, nlh, nl_err_tlv_offset(nlh), -e->error);
	errno = -e->error;
	return MNL_CB_ERROR;
}

static int ctl_done(const struct nlmsghdr *nlh, void *data)
{
	struct run *r = data;
	int error;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(int))
		return MNL_CB_STOP;
	memcpy(&error, mnl_nlmsg_get_payload(nlh), sizeof(error));
	if (error >= 0)
		return MNL_CB_STOP;
	report(r, nlh, sizeof(int), -error);
	errno = -error;
	return MNL_CB_ERROR;
}

static int ctl_noop(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return MNL_CB_OK;
}

static int data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct run *r = data;

	if (nlh->nlmsg_type != r->family)
		return MNL_CB_OK;
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		r->intr = true;
	return r->cb ? r->cb(nlh, r->data) : MNL_CB_OK;
}

static mnl_cb_t ctl_cbs[NLMSG_MIN_TYPE] = {
	[NLMSG_NOOP]	= ctl_noop,
	[NLMSG_ERROR]	= ctl_error,
	[NLMSG_DONE]	= ctl_done,
	[NLMSG_OVERRUN]	= ctl_noop,
};

static int run_msg(struct nl *nl, struct nlmsghdr *nlh, struct run *r)
{
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t len;
	int ret;

	if (mnl_socket_sendto(nl->sk, nlh, nlh->nlmsg_len) < 0) {
		fprintf(stderr, "Error: sending to the kernel: %s\n", strerror(errno));
		return EXIT_ERR;
	}
	do {
		len = mnl_socket_recvfrom(nl->sk, nl->rx, NL_BUFSIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "Error: receiving from the kernel: %s\n", strerror(errno));
			return EXIT_ERR;
		}
		ret = mnl_cb_run2(nl->rx, (size_t)len, seq, nl->portid,
				  data_cb, r, ctl_cbs, NLMSG_MIN_TYPE);
	} while (ret > MNL_CB_STOP);
	if (ret == MNL_CB_ERROR) {
		if (!r->reported && !r->quiet)
			fprintf(stderr, "Error: %s\n", strerror(errno));
		return EXIT_ERR;
	}
	if (r->intr && !r->quiet)
		fprintf(stderr, "Warning: the table changed during the dump: "
			"it may be inconsistent, run the command again\n");
	return EXIT_OK;
}

int nl_run(struct nl *nl, const struct vctl_req *req, nl_cb_t cb, void *data)
{
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} tx;
	struct nl_attrmap map;
	struct nlmsghdr *nlh;
	struct run r = {
		.req = req, .map = &map, .cb = cb, .data = data,
		.family = nl->family, .quiet = req->quiet,
	};

	nlh = nl_build(req, nl->family, ++nl->seq, tx.buf, sizeof(tx.buf), &map);
	if (!nlh)
		return EXIT_ERR;
	return run_msg(nl, nlh, &r);
}

/* ---- the family ---------------------------------------------------------- */

struct family {
	uint16_t id;
	uint32_t events;
};

static int grp_cb(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	uint16_t type = mnl_attr_get_type(a);

	if (type == CTRL_ATTR_MCAST_GRP_NAME && mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
		tb[type] = a;
	if (type == CTRL_ATTR_MCAST_GRP_ID && mnl_attr_validate(a, MNL_TYPE_U32) == 0)
		tb[type] = a;
	return MNL_CB_OK;
}

static int family_cb(const struct nlmsghdr *nlh, void *data)
{
	struct family *f = data;
	const struct nlattr *a, *g;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				f->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			mnl_attr_for_each_nested(g, a) {
				const struct nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = { NULL };

				mnl_attr_parse_nested(g, grp_cb, tb);
				if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
				    !strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]),
					    VALE_MCGRP_EVENTS))
					f->events = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
			}
			break;
		}
	}
	return MNL_CB_OK;
}

static int resolve_family(struct nl *nl)
{
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} tx;
	struct family f = { 0, 0 };
	struct vctl_req req = { .argc = 0 };
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;
	struct run r = { .req = &req, .cb = family_cb, .data = &f, .family = GENL_ID_CTRL };
	int ret;

	nlh = mnl_nlmsg_put_header(tx.buf);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, VALE_GENL_NAME);

	/* Report ourselves: ENOENT here means the module is not there. */
	r.quiet = true;
	ret = run_msg(nl, nlh, &r);
	if (ret != EXIT_OK || !f.id) {
		if (r.error == ENOENT || (ret == EXIT_OK && !f.id))
			fprintf(stderr, "Error: the generic netlink family \"%s\" is not "
				"available: is the vale module loaded?\n", VALE_GENL_NAME);
		else
			fprintf(stderr, "Error: resolving the generic netlink family \"%s\": %s\n",
				VALE_GENL_NAME, strerror(r.error ? r.error : errno));
		return -1;
	}
	nl->family = f.id;
	nl->events_grp = f.events;
	return 0;
}

int nl_open(struct nl *nl)
{
	int one = 1;

	memset(nl, 0, sizeof(*nl));
	nl->rx = malloc(NL_BUFSIZE);
	if (!nl->rx) {
		fprintf(stderr, "Error: out of memory\n");
		return -1;
	}
	nl->sk = mnl_socket_open(NETLINK_GENERIC);
	if (!nl->sk) {
		fprintf(stderr, "Error: opening a generic netlink socket: %s\n", strerror(errno));
		free(nl->rx);
		nl->rx = NULL;
		return -1;
	}
	if (mnl_socket_bind(nl->sk, 0, MNL_SOCKET_AUTOPID) < 0) {
		fprintf(stderr, "Error: binding the netlink socket: %s\n", strerror(errno));
		goto err;
	}
	/* Both are best effort: an old kernel still answers, less helpfully. */
	mnl_socket_setsockopt(nl->sk, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(nl->sk, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (uint32_t)time(NULL);
	if (resolve_family(nl) < 0)
		goto err;
	return 0;
err:
	mnl_socket_close(nl->sk);
	nl->sk = NULL;
	free(nl->rx);
	nl->rx = NULL;
	return -1;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
	free(nl->rx);
	nl->rx = NULL;
}

int nl_subscribe(struct nl *nl, uint32_t group)
{
	if (mnl_socket_setsockopt(nl->sk, NETLINK_ADD_MEMBERSHIP, &group, sizeof(group)) < 0) {
		fprintf(stderr, "Error: joining the \"%s\" group: %s\n",
			VALE_MCGRP_EVENTS, strerror(errno));
		return -1;
	}
	return 0;
}

void vctl_req_sub(struct vctl_req *sub, const struct vctl_req *req,
		  uint8_t cmd, bool dump)
{
	*sub = *req;
	sub->cmd = cmd;
	sub->dump = dump;
	sub->nargs = 0;
}

/*
 * Notifications until *stop or an error: each message of the family to
 * cb. A receive buffer overrun loses events: say so and go on.
 */
int nl_listen(struct nl *nl, nl_cb_t cb, void *data, volatile sig_atomic_t *stop)
{
	struct run r = { .cb = cb, .data = data, .family = nl->family };
	ssize_t len;
	int ret;

	while (!*stop) {
		len = mnl_socket_recvfrom(nl->sk, nl->rx, NL_BUFSIZE);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				fprintf(stderr, "Warning: events lost (receive buffer overrun)\n");
				continue;
			}
			fprintf(stderr, "Error: receiving from the kernel: %s\n", strerror(errno));
			return EXIT_ERR;
		}
		ret = mnl_cb_run(nl->rx, (size_t)len, 0, 0, data_cb, &r);
		if (ret == MNL_CB_ERROR) {
			fprintf(stderr, "Error: %s\n", strerror(errno));
			return EXIT_ERR;
		}
	}
	return EXIT_OK;
}
