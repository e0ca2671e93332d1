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
/* its helpers: argv words or "flow VERB vale0 FLOW" parsed into req, errors in
 * errtext; the LOOKUP_CONFIG nest of req built in buf; the attribute t of a nest */
extern char errtext[4096];
int parse_words(int n, const char *const *w);
int parse_flow(const char *verb, const char *flow);
const struct nlattr *config_of(void *buf, struct nl_attrmap *map);
const struct nlattr *in(const struct nlattr *nest, uint16_t t);
/* a flow's config as the kernel dumps it (with counters), in buf */
const struct nlattr *with_stats(const struct nlattr *config, void *buf);
/* a vctl_resolver_t over a table (ctx: const struct port_names *) */
int names_resolver(void *ctx, const char *sw, const char *port, uint32_t *index);
/* flow add FLOW printed (names from names, NULL: numbers) parses back to itself */
bool round_trip(const char *flow, const char *canonical, const struct port_names *names);

/* test_port_names.c: ports by name in the router's and the flow table's commands */
void test_port_names(void);

/* test_schema.c: lookup modules by their schema */
void test_schema(void);
struct schema;
struct schema_set;
/* The schema of "learn", "l3", "of" (as they declare theirs), "all" (an
 * attribute of every type) or "hello" (none), read as valectl reads it. */
int test_schema_of(const char *module, struct schema *s);
/* All five in a set. */
void test_schema_set(struct schema_set *set);

#endif /* _VALECTL_TEST_H */
