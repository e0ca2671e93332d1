/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl flow: what the parser (flow.c) and the printers (flow_show.c)
 * share: the fields of a flow in ovs-ofctl's syntax and the attributes
 * they are sent as.
 */
#ifndef _VALECTL_FLOW_H
#define _VALECTL_FLOW_H

#include "objects.h"

#define CFG	VALE_ATTR_LOOKUP_CONFIG

enum fkind {
	K_NUM,		/* a number up to max */
	K_MAC,
	K_IP4,		/* an IPv4 prefix: attr, and attr + 1 for its length */
	K_IP6,
	K_PROTO,	/* shorthand: dl_type = max >> 8 ... see shorthands[] */
	K_COUNTER,	/* printed by flow show, ignored here */
};

enum fwhere { W_MATCH, W_TOP };

struct field {
	const char *name;
	enum fkind kind;
	enum fwhere where;
	uint16_t attr;
	enum vctl_type type;
	uint64_t max;
};

/* Match fields, in the order flow show prints them; then the others, up
 * to one with no name. */
extern const struct field flow_fields[];

#define F_IN_PORT	0
#define F_DL_VLAN	3
#define F_DL_TYPE	4
#define F_NW_PROTO	5
#define F_TP_SRC	10
#define F_TP_DST	11
#define F_ICMP_TYPE	12
#define F_ICMP_CODE	13
#define F_PRIORITY	14

#endif /* _VALECTL_FLOW_H */
