/* SPDX-License-Identifier: GPL-2.0 */
/* valectl: generic netlink plumbing on libmnl (nl.c). */
#ifndef _VALECTL_NL_H
#define _VALECTL_NL_H

#include <signal.h>
#include <stddef.h>
#include <libmnl/libmnl.h>

#include "valectl.h"

struct nl {
	struct mnl_socket *sk;
	uint16_t family;	/* the id of the "vale" family */
	uint32_t events_grp;	/* the id of its "events" group, 0 if none */
	uint32_t seq;
	uint32_t portid;
	void *rx;		/* its receive buffer (NL_BUFSIZE, 8-byte aligned) */
};

/*
 * Where each attribute of a request sits in the message (byte offset from
 * its nlmsghdr, as NLMSGERR_ATTR_OFFS counts), and which req->args entry
 * it carries (-1 for a nest that groups several).
 */
struct nl_attrmap {
	int n;
	struct {
		uint32_t off, len;
		int arg;		/* index in req->args */
	} e[VCTL_MAX_ARGS * 2];
};

/* Reply attributes, validated by type: an attribute of the wrong size
 * is left out, as if absent. */
typedef const struct nlattr *nl_attrs_t[VALE_ATTR_MAX + 1];
typedef const struct nlattr *nl_stats_t[VALE_STATS_MAX + 1];

typedef int (*nl_cb_t)(const struct nlmsghdr *nlh, void *data);

int nl_open(struct nl *nl);
void nl_close(struct nl *nl);
int nl_subscribe(struct nl *nl, uint32_t group);
int nl_listen(struct nl *nl, nl_cb_t cb, void *data, volatile sig_atomic_t *stop);

/* buf: at least NL_TXSIZE bytes */
#define NL_TXSIZE	8192
struct nlmsghdr *nl_build(const struct vctl_req *req, uint16_t family,
			  uint32_t seq, void *buf, size_t size,
			  struct nl_attrmap *map);
int nl_run(struct nl *nl, const struct vctl_req *req, nl_cb_t cb, void *data);

void nl_format_error(char *out, size_t size, const struct vctl_req *req,
		     const struct nl_attrmap *map,
		     const struct nlmsghdr *err, size_t tlv_offset, int error);
size_t nl_err_tlv_offset(const struct nlmsghdr *nlh);
/* The command line text an argument came from: "KEYWORD VALUE" or "VALUE". */
void nl_arg_text(char *out, size_t size, const struct vctl_req *req,
		 const struct vctl_arg *arg);

int nl_parse(const struct nlmsghdr *nlh, nl_attrs_t tb);
int nl_parse_stats(const struct nlattr *nest, nl_stats_t tb);
const char *nl_get_str(const struct nlattr *a);	/* NULL if absent */
uint32_t nl_get_u32(const struct nlattr *a);	/* 0 if absent */
uint64_t nl_get_u64(const struct nlattr *a);	/* 0 if absent */

/* A sub-request for the data a command needs besides its own. */
void vctl_req_sub(struct vctl_req *sub, const struct vctl_req *req,
		  uint8_t cmd, bool dump);

#endif /* _VALECTL_NL_H */
