/* SPDX-License-Identifier: GPL-2.0 */
/* valectl's unit test (test_parse.c, test_output.c): what the two share. */
#ifndef _VALECTL_TEST_H
#define _VALECTL_TEST_H

#include "check.h"
#include "nl.h"
#include "objects.h"
#include "valectl.h"

#ifndef VALECTL_MAN
#define VALECTL_MAN "valectl/valectl.8"
#endif

/* The request of the last parse(), and its words (words[0] "valectl"). */
extern struct vctl_req req;
extern char *words[64];

/* Parse a command line of words split at spaces ("''" for an empty word). */
int parse(const char *line);

/* test_output.c */
void test_output(void);
/* An NLMSG_ERROR for sent, with an extack message, offset, missing type (-1: none). */
struct nlmsghdr *make_error(void *buf, const struct nlmsghdr *sent, int error,
			    bool capped, const char *msg, int64_t offs, int64_t miss);
/* valectl's line for err, as nl_format_error writes it. */
const char *format(const struct nl_attrmap *map, const struct nlmsghdr *err);

/* test_route_flow.c: the router's objects and the flow table */
void test_route_flow(void);

#endif /* _VALECTL_TEST_H */
