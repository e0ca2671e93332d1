// SPDX-License-Identifier: GPL-2.0
/*
 * valectl's router objects (route.c) and flow table (flow.c) without a
 * kernel: the command lines, the attributes and nests built from them,
 * the usage errors, the kernel's extack mapped back to a field of a flow,
 * and the printers. The kernel dumps each object in the attributes of the
 * request that makes it, so a request built here is a dump object too:
 * printing it must give back the command line's words (the round trip),
 * checked on fixed cases and on random flows.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "test.h"
#include "text.h"

static union {
	char buf[NL_TXSIZE];
	struct nlmsghdr align;
} tx, tx2;

char errtext[4096];
static char *argvv[16];

/* Parse argv words as given (a flow may hold blanks); errors to errtext. */
int parse_words(int n, const char *const *w)
{
	FILE *err = fmemopen(errtext, sizeof(errtext), "w");
	int i, ret;

	argvv[0] = "valectl";
	for (i = 0; i < n && i < 14; i++)
		argvv[i + 1] = (char *)w[i];
	argvv[i + 1] = NULL;
	errtext[0] = '\0';
	ret = vctl_parse(i + 1, argvv, &req, err);
	fclose(err);
	return ret;
}

/* "flow VERB SWITCH FLOW": the flow as one word, whatever it holds. */
int parse_flow(const char *verb, const char *flow)
{
	const char *w[] = { "flow", verb, "vale0", flow };

	return parse_words(4, w);
}

/* The LOOKUP_CONFIG nest of the request just parsed, built. */
const struct nlattr *config_of(void *buf, struct nl_attrmap *map)
{
	struct nlmsghdr *nlh = nl_build(&req, 0x1234, 1, buf, NL_TXSIZE, map);
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == VALE_ATTR_LOOKUP_CONFIG)
			return a;
	return NULL;
}

/* The attribute of type t in nest (the first), or NULL. */
const struct nlattr *in(const struct nlattr *nest, uint16_t t)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
		if (mnl_attr_get_type(a) == t)
			return a;
	return NULL;
}

static int count(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest)
		n++;
	return n;
}

static bool bin_is(const struct nlattr *a, const char *text)
{
	uint8_t b[16];
	const char *why;
	int len = vctl_addr_parse(text, strlen(text), b, &why);

	return a && len == mnl_attr_get_payload_len(a) &&
	       !memcmp(mnl_attr_get_payload(a), b, (size_t)len);
}

#define CHECK_RF_USAGE(line, msg) do {					\
	CHECK_EQ(parse(line), EXIT_USAGE);				\
	if (!strstr(errtext_of_parse(), msg))				\
		fprintf(stderr, "  no \"%s\" in: %s", msg, errtext_of_parse()); \
	CHECK(strstr(errtext_of_parse(), msg) != NULL);			\
} while (0)

/* test_parse.c's parse() writes its errors where err_has() reads them; read
 * them again by parsing once more into our buffer. */
static const char *errtext_of_parse(void)
{
	int n = 0;
	const char *w[14];

	while (n < 14 && words[n + 1]) {
		w[n] = words[n + 1];
		n++;
	}
	parse_words(n, w);
	return errtext;
}

#define CHECK_FLOW_USAGE(verb, flow, msg) do {				\
	CHECK_EQ(parse_flow(verb, flow), EXIT_USAGE);			\
	if (!strstr(errtext, msg))					\
		fprintf(stderr, "  no \"%s\" in: %s", msg, errtext);	\
	CHECK(strstr(errtext, msg) != NULL);				\
} while (0)

/* ---- the router ---------------------------------------------------------- */

static void test_route_parse(void)
{
	const struct nlattr *c;

	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port 1 via 10.0.1.254"), EXIT_OK);
	CHECK_EQ(req.op, OP_ROUTE_ADD);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_CONFIG);
	CHECK(!req.dump);
	c = config_of(tx.buf, NULL);
	CHECK(c != NULL);
	CHECK_EQ(count(c), 5);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_ROUTE_ADD);
	CHECK(bin_is(in(c, VALE_L3_ATTR_PREFIX), "10.0.1.0"));
	CHECK_EQ(mnl_attr_get_u8(in(c, VALE_L3_ATTR_PREFIX_LEN)), 24);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_PORT)), 1);
	CHECK(bin_is(in(c, VALE_L3_ATTR_GATEWAY), "10.0.1.254"));

	/* keywords in any order, abbreviated; IPv6; a host route */
	CHECK_EQ(parse("route add vale0 fd00:2::/64 v fd00:2::1 p 2"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK(bin_is(in(c, VALE_L3_ATTR_PREFIX), "fd00:2::"));
	CHECK_EQ(mnl_attr_get_u8(in(c, VALE_L3_ATTR_PREFIX_LEN)), 64);
	CHECK(bin_is(in(c, VALE_L3_ATTR_GATEWAY), "fd00:2::1"));
	CHECK_EQ(parse("route add vale0 10.9.9.9 port 0"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u8(in(c, VALE_L3_ATTR_PREFIX_LEN)), 32);
	CHECK_EQ(parse("route add vale0 default port 3"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK(bin_is(in(c, VALE_L3_ATTR_PREFIX), "0.0.0.0"));
	CHECK_EQ(mnl_attr_get_u8(in(c, VALE_L3_ATTR_PREFIX_LEN)), 0);

	CHECK_EQ(parse("route del vale0 10.0.1.0/24"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(count(c), 3);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_ROUTE_DEL);

	CHECK_EQ(parse("neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port 1"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_NEIGH_ADD);
	CHECK(!memcmp(mnl_attr_get_payload(in(c, VALE_L3_ATTR_MAC)), "\x02\0\0\0\xbb\x01", 6));
	CHECK_EQ(parse("neigh del vale0 fd00::2 port 4"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_NEIGH_DEL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_PORT)), 4);

	CHECK_EQ(parse("addr add vale0 10.0.1.1 port 1"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_ADDR_ADD);
	CHECK(bin_is(in(c, VALE_L3_ATTR_ADDR), "10.0.1.1"));
	CHECK_EQ(parse("addr del vale0 10.0.1.1 port 1"), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(config_of(tx.buf, NULL), VALE_L3_ATTR_OP)),
		 VALE_L3_OP_ADDR_DEL);

	CHECK_EQ(parse("router port set vale0 2 mac 02:00:00:00:aa:02"), EXIT_OK);
	CHECK_EQ(req.op, OP_ROUTER_PORT);
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_SWITCH_NAME), "vale0"));
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_PORT_SET);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_PORT)), 2);
	CHECK_EQ(parse("router port del vale0 2"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(count(c), 2);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_PORT_DEL);
	CHECK_EQ(parse("router flush vale0"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(count(c), 1);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_L3_ATTR_OP)), VALE_L3_OP_FLUSH);

	/* the shows are dumps of the module's state */
	CHECK_EQ(parse("route show vale0"), EXIT_OK);
	CHECK(req.dump);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_DUMP);
	CHECK_EQ(req.nargs, 3);		/* the switch, the module "l3", the table "routes" */
	CHECK_EQ(parse("route vale0"), EXIT_USAGE);	/* "vale0" is no command */
	CHECK_EQ(parse("neigh list vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_NEIGH_SHOW);
	CHECK_EQ(parse("router show vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_ROUTER_SHOW);
}

static void test_route_errors(void)
{
	CHECK_RF_USAGE("route add", "route add: missing SWITCH");
	CHECK_RF_USAGE("route add vale0", "missing PREFIX");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24", "missing \"port N\"");
	CHECK_RF_USAGE("route add vale0 10.0.1.5/24 port 1", "address bits set past the prefix");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/33 port 1", "prefix length is 0 to 32");
	CHECK_RF_USAGE("route add vale0 fd00::/129 port 1", "prefix length is 0 to 128");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/ port 1", "prefix length");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/0x18 port 1", "prefix length");
	CHECK_RF_USAGE("route add vale0 10.0.1/24 port 1", "not an IPv4 or IPv6 address");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 254", "port number from 0 to 253");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 0x100", "port number from 0 to 253");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port ''", "port \"\": empty");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 1 via fd00::1", "an IPv4 address, as the prefix");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 1 via 10.0.1.1/32", "without /LEN");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 1 port 2", "\"port\" given twice");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port", "\"port\" needs a value");
	CHECK_RF_USAGE("route add vale0 10.0.1.0/24 port 1 dev x", "unknown keyword \"dev\"");
	CHECK_RF_USAGE("route del vale0 10.0.1.0/24 port 1", "unexpected argument \"port\"");
	CHECK_RF_USAGE("route show vale0 x", "unexpected argument \"x\"");
	CHECK_RF_USAGE("route show", "missing SWITCH");
	CHECK_RF_USAGE("neigh add vale0 10.0.1.2 port 1", "missing \"lladdr MAC\"");
	CHECK_RF_USAGE("neigh add vale0 10.0.1.2 lladdr 02:00:00:00:00 port 1", "not a MAC address");
	CHECK_RF_USAGE("neigh add vale0 10.0.1.2 lladdr 02-00-00-00-00-01 port 1", "not a MAC address");
	CHECK_RF_USAGE("neigh add vale0 10.0.1.2 lladdr ff:ff:ff:ff:ff:ff port 1", "unicast");
	CHECK_RF_USAGE("neigh del vale0 10.0.1.2", "missing \"port N\"");
	CHECK_RF_USAGE("addr add vale0 10.0.1.1/24 port 1", "without /LEN");
	CHECK_RF_USAGE("addr add vale0 nope port 1", "not an IPv4 or IPv6 address");
	CHECK_RF_USAGE("router port set vale0 1", "missing \"mac MAC\"");
	CHECK_RF_USAGE("router port set vale0", "missing port N");
	CHECK_RF_USAGE("router port sat vale0 1", "unknown command \"sat\" (set or del)");
	CHECK_RF_USAGE("router port del vale0 1 mac 02:00:00:00:00:01", "unexpected argument \"mac\"");
	CHECK_RF_USAGE("router flush vale0 now", "unexpected argument \"now\"");
	/* the usage printed is the object's */
	CHECK_RF_USAGE("route add vale0", "Usage: valectl route add SWITCH PREFIX port N [via ADDR]");
	CHECK_RF_USAGE("router port set vale0 1", "valectl router port set SWITCH N mac MAC");
}

/* What a show callback prints for the requests (dump objects) of lines. */
static char *printed;
static size_t printed_len;

static struct printer pr;

static void show_begin(const char *show)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "%s", show);
	CHECK_EQ(parse(cmd), EXIT_OK);
	free(printed);
	printed = NULL;
	l3_show_begin(&pr, &req, open_memstream(&printed, &printed_len));
}

/* Print the object of a command line (built as the kernel dumps it). */
static void show_object(const char *line, const struct vctl_req *show)
{
	struct vctl_req saved = *show;
	struct nlmsghdr *nlh;

	CHECK_EQ(parse(line), EXIT_OK);
	nlh = nl_build(&req, 0x1234, 1, tx.buf, NL_TXSIZE, NULL);
	req = saved;
	pr.req = &req;
	l3_show_cb(nlh, &pr);
}

static void show_end(void)
{
	FILE *f = pr.f;

	l3_show_end(&pr);
	fclose(f);
}

static void test_route_print(void)
{
	static const char *const routes[] = {
		"10.0.1.0/24 port 1",
		"10.0.2.0/24 via 10.0.2.1 port 2",
		"default via 10.0.1.254 port 1",
		"fd00:2::/64 via fd00:2::1 port 2",
		"::/0 port 3",
		"192.168.0.7/32 port 0",
	};
	char want[1024] = "", line[128];
	struct vctl_req show;
	size_t i;

	/* route show prints each route in the words of route add */
	show_begin("route show vale0");
	show = req;
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		snprintf(line, sizeof(line), "route add vale0 %s", routes[i]);
		show_object(line, &show);
		strcat(want, routes[i]);
		strcat(want, "\n");
	}
	/* and only routes */
	show_object("neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port 1", &show);
	show_end();
	CHECK(printed && !strcmp(printed, want));
	if (printed && strcmp(printed, want))
		fprintf(stderr, "  got:\n%s  want:\n%s", printed, want);

	show_begin("neigh show vale0");
	show = req;
	show_object("neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port 1", &show);
	show_object("neigh add vale0 fd00:1::2 lladdr 02:00:00:00:bb:02 port 1", &show);
	show_object("addr add vale0 10.0.1.1 port 1", &show);
	show_end();
	CHECK(!strcmp(printed, "10.0.1.2 lladdr 02:00:00:00:bb:01 port 1\n"
			       "fd00:1::2 lladdr 02:00:00:00:bb:02 port 1\n"));

	show_begin("addr show vale0");
	show = req;
	show_object("addr add vale0 10.0.1.1 port 1", &show);
	show_object("addr add vale0 fd00:1::1 port 1", &show);
	show_end();
	CHECK(!strcmp(printed, "10.0.1.1 port 1\nfd00:1::1 port 1\n"));

	/* JSON: one object per route, the default route as a prefix */
	CHECK_EQ(parse("-j route show vale0"), EXIT_OK);
	free(printed);
	printed = NULL;
	l3_show_begin(&pr, &req, open_memstream(&printed, &printed_len));
	show = req;
	show_object("route add vale0 default via 10.0.1.254 port 1", &show);
	show_object("route add vale0 10.0.1.0/24 port 1", &show);
	show_end();
	CHECK(!strcmp(printed, "[{\"prefix\":\"0.0.0.0/0\",\"via\":\"10.0.1.254\",\"port\":1},"
			       "{\"prefix\":\"10.0.1.0/24\",\"port\":1}]\n"));
}

/* A STATS object as the kernel dumps it: counter i holds 100 + i. */
static struct nlmsghdr *stats_object(void)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(tx.buf);
	struct nlattr *c, *s;
	uint16_t i;

	nlh->nlmsg_type = 0x1234;
	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, "vale0");
	c = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put_u32(nlh, VALE_L3_ATTR_OP, VALE_L3_OP_STATS);
	s = mnl_attr_nest_start(nlh, VALE_L3_ATTR_STATS);
	for (i = 1; i < VALE_L3_STATS_PAD; i++)
		mnl_attr_put_u64(nlh, i, 100 + i);
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, c);
	return nlh;
}

static bool starts(const char *s, const char *prefix)
{
	if (s && !strncmp(s, prefix, strlen(prefix)))
		return true;
	fprintf(stderr, "  got:\n%s  want a start of:\n%s\n", s ? s : "(null)", prefix);
	return false;
}

static void test_router_show(void)
{
	const char *const setup[] = {
		"router port set vale0 1 mac 02:00:00:00:aa:01",
		"router port set vale0 2 mac 02:00:00:00:aa:02",
		"addr add vale0 10.0.1.1 port 1",
		"addr add vale0 fd00:1::1 port 1",
		"addr add vale0 10.0.3.1 port 3",	/* a port without its MAC */
		"route add vale0 10.0.1.0/24 port 1",
		"neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port 1",
	};
	struct vctl_req show;
	size_t i;

	show_begin("-s router show vale0");
	show = req;
	l3_show_cb(stats_object(), &pr);
	for (i = 0; i < sizeof(setup) / sizeof(setup[0]); i++)
		show_object(setup[i], &show);
	show_end();
	CHECK(starts(printed,
		     "port 1 mac 02:00:00:00:aa:01 addr 10.0.1.1 addr fd00:1::1\n"
		     "port 2 mac 02:00:00:00:aa:02\n"
		     "port 3 mac none addr 10.0.3.1\n"
		     "routes 1 neighbours 1 addresses 3\n"
		     "    forwarded_v4 101  forwarded_v6 102  arp_replies 103  nd_replies 104\n"));
	CHECK(strstr(printed, "drop_ttl 109") != NULL);
	CHECK(strstr(printed, "drop_port_down 117\n") != NULL);

	/* without -s, no counters; JSON with them */
	show_begin("router show vale0");
	show = req;
	l3_show_cb(stats_object(), &pr);
	show_object(setup[0], &show);
	show_end();
	CHECK(!strcmp(printed, "port 1 mac 02:00:00:00:aa:01\nroutes 0 neighbours 0 addresses 0\n"));
	show_begin("-j -s router show vale0");
	show = req;
	l3_show_cb(stats_object(), &pr);
	show_object(setup[0], &show);
	show_object(setup[2], &show);
	show_end();
	CHECK(starts(printed, "[{\"ports\":[{\"port\":1,\"mac\":\"02:00:00:00:aa:01\","
		     "\"addrs\":[\"10.0.1.1\"]}],\"routes\":0,\"neighbours\":0,"
		     "\"addresses\":1,\"stats\":{\"forwarded_v4\":101,"));
	CHECK(strstr(printed, "\"drop_port_down\":117}}]\n") != NULL);
}

/* ---- the flow table -------------------------------------------------------- */

static void test_flow_parse(void)
{
	const struct nlattr *c, *m, *a;
	int n = 0;

	CHECK_EQ(parse_flow("add", "priority=100,in_port=1,dl_type=0x0800,nw_src=10.0.0.0/24,"
			    "tp_dst=80,nw_proto=6,idle_timeout=10,hard_timeout=60,cookie=0xabc,"
			    "actions=mod_dl_dst:02:00:00:00:00:09,push_vlan:7,output:2"), EXIT_OK);
	CHECK_EQ(req.op, OP_FLOW_ADD);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_CONFIG);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_OP)), VALE_OF_OP_FLOW_ADD);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_PRIORITY)), 100);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_IDLE_TIMEOUT)), 10);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_HARD_TIMEOUT)), 60);
	CHECK_EQ(mnl_attr_get_u64(in(c, VALE_OF_ATTR_COOKIE)), 0xabc);
	m = in(c, VALE_OF_ATTR_MATCH);
	CHECK(m != NULL);
	CHECK_EQ(count(m), 6);
	CHECK_EQ(mnl_attr_get_u32(in(m, VALE_OF_MATCH_IN_PORT)), 1);
	CHECK_EQ(mnl_attr_get_u16(in(m, VALE_OF_MATCH_ETH_TYPE)), 0x0800);
	CHECK(bin_is(in(m, VALE_OF_MATCH_IP_SRC), "10.0.0.0"));
	CHECK_EQ(mnl_attr_get_u8(in(m, VALE_OF_MATCH_IP_SRC_LEN)), 24);
	CHECK_EQ(mnl_attr_get_u16(in(m, VALE_OF_MATCH_TP_DST)), 80);
	CHECK_EQ(mnl_attr_get_u8(in(m, VALE_OF_MATCH_IP_PROTO)), 6);
	/* the actions in order */
	mnl_attr_for_each_nested(a, in(c, VALE_OF_ATTR_ACTIONS)) {
		static const uint16_t want[] = { VALE_OF_ACTION_SET_ETH_DST,
						 VALE_OF_ACTION_PUSH_VLAN, VALE_OF_ACTION_OUTPUT };

		CHECK(n < 3 && mnl_attr_get_type(a) == want[n]);
		n++;
	}
	CHECK_EQ(n, 3);

	/* blanks separate too; shorthands; IPv6; an empty match is a match */
	CHECK_EQ(parse_flow("add", " tcp6 ipv6_dst=fd00::/16  actions=drop"), EXIT_OK);
	m = in(c = config_of(tx.buf, NULL), VALE_OF_ATTR_MATCH);
	CHECK_EQ(mnl_attr_get_u16(in(m, VALE_OF_MATCH_ETH_TYPE)), 0x86dd);
	CHECK_EQ(mnl_attr_get_u8(in(m, VALE_OF_MATCH_IP_PROTO)), 6);
	CHECK_EQ(mnl_attr_get_u8(in(m, VALE_OF_MATCH_IP_DST_LEN)), 16);
	CHECK(in(c, VALE_OF_ATTR_PRIORITY) == NULL);	/* the kernel's default */
	CHECK_EQ(parse_flow("add", "actions="), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK(in(c, VALE_OF_ATTR_MATCH) != NULL && count(in(c, VALE_OF_ATTR_MATCH)) == 0);
	CHECK(in(c, VALE_OF_ATTR_ACTIONS) != NULL && count(in(c, VALE_OF_ATTR_ACTIONS)) == 0);
	/* a bare number is output to that port, as in ovs-ofctl */
	CHECK_EQ(parse_flow("add", "in_port=3,actions=1"), EXIT_OK);
	a = in(in(config_of(tx.buf, NULL), VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_OUTPUT);
	CHECK(a && mnl_attr_get_u32(a) == 1);

	/* mod and del, strict or not; del without a flow: all of them */
	CHECK_EQ(parse("flow mod vale0 in_port=1,actions=flood strict"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_OP)), VALE_OF_OP_FLOW_MOD);
	CHECK(in(c, VALE_OF_ATTR_STRICT) != NULL);
	CHECK(in(in(c, VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_FLOOD) != NULL);
	CHECK_EQ(parse("flow del vale0 strict priority=5,in_port=1"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_OP)), VALE_OF_OP_FLOW_DEL);
	CHECK(in(c, VALE_OF_ATTR_STRICT) != NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_PRIORITY)), 5);
	CHECK_EQ(parse("flow del vale0"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(count(c), 1);
	CHECK_EQ(parse("flow del vale0 priority=5"), EXIT_OK);	/* no match: all */
	c = config_of(tx.buf, NULL);
	CHECK(in(c, VALE_OF_ATTR_MATCH) == NULL);

	/* the table's settings */
	CHECK_EQ(parse("flow miss vale0 controller"), EXIT_OK);
	c = config_of(tx.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(c, VALE_OF_ATTR_OP)), VALE_OF_OP_MISS_SET);
	CHECK(in(in(c, VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_CONTROLLER) != NULL);
	CHECK_EQ(parse("flow miss vale0 actions=output:3"), EXIT_OK);
	CHECK(in(in(config_of(tx.buf, NULL), VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_OUTPUT));
	CHECK_EQ(parse("flow controller vale0 5"), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(config_of(tx.buf, NULL), VALE_OF_ATTR_CONTROLLER)), 5);
	CHECK_EQ(parse("flow controller vale0 none"), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(config_of(tx.buf, NULL), VALE_OF_ATTR_CONTROLLER)), 255);
	CHECK_EQ(parse("flow emc vale0 off"), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u8(in(config_of(tx.buf, NULL), VALE_OF_ATTR_EMC)), 0);
	CHECK_EQ(parse("flow show vale0"), EXIT_OK);
	CHECK(req.dump && req.cmd == VALE_CMD_LOOKUP_DUMP && req.nargs == 2);	/* and "of" */
	CHECK_EQ(parse("flow table vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_FLOW_TABLE);
}

static void test_flow_errors(void)
{
	CHECK_FLOW_USAGE("add", "in_port=1", "no actions");
	CHECK_FLOW_USAGE("add", "in_port=1,in_port=2,actions=drop", "\"in_port=2\": in_port given twice");
	CHECK_FLOW_USAGE("add", "tcp,dl_type=0x0800,actions=drop", "dl_type given twice");
	CHECK_FLOW_USAGE("add", "in_port=254,actions=drop", "in_port is 0 to 253");
	CHECK_FLOW_USAGE("add", "in_port=,actions=drop", "\"in_port=\": not a number");
	CHECK_FLOW_USAGE("add", "in_port,actions=drop", "needs a value");
	CHECK_FLOW_USAGE("add", "in_prot=1,actions=drop", "\"in_prot=1\": unknown field");
	CHECK_FLOW_USAGE("add", "priority=65536,actions=drop", "priority is 0 to 65535");
	CHECK_FLOW_USAGE("add", "dl_src=02:00:00:00:00,actions=drop", "not a MAC address");
	CHECK_FLOW_USAGE("add", "dl_vlan=4096,actions=drop", "a VLAN id is 0 to 4095");
	CHECK_FLOW_USAGE("add", "nw_src=10.0.0.0/24,actions=drop", "nw_src needs dl_type=0x0800");
	CHECK_FLOW_USAGE("add", "ipv6,nw_dst=10.0.0.1,actions=drop", "nw_dst needs dl_type=0x0800");
	CHECK_FLOW_USAGE("add", "ip,ipv6_src=fd00::1,actions=drop", "ipv6_src needs dl_type=0x86dd");
	CHECK_FLOW_USAGE("add", "ip,nw_src=fd00::1,actions=drop", "nw_src takes an IPv4 address");
	CHECK_FLOW_USAGE("add", "ip,nw_src=10.0.0.1/8,actions=drop", "bits set past the prefix");
	CHECK_FLOW_USAGE("add", "nw_proto=6,actions=drop", "nw_proto needs dl_type");
	CHECK_FLOW_USAGE("add", "ip,tp_dst=80,actions=drop", "tp_dst needs nw_proto=6, 17 or 132");
	CHECK_FLOW_USAGE("add", "tcp,icmp_type=8,actions=drop", "icmp_type needs nw_proto=1 or 58");
	CHECK_FLOW_USAGE("add", "icmp,icmp_type=8,tp_src=1,actions=drop", "icmp_type and icmp_code");
	CHECK_FLOW_USAGE("add", "actions=output:1,flood", "\"flood\": output:1 ends the actions");
	CHECK_FLOW_USAGE("add", "actions=controller,output:1", "controller ends the actions");
	CHECK_FLOW_USAGE("add", "actions=pop_vlan,controller", "controller is the only action");
	CHECK_FLOW_USAGE("add", "actions=output:254", "\"output:254\": number out of range");
	CHECK_FLOW_USAGE("add", "actions=output", "needs an argument");
	CHECK_FLOW_USAGE("add", "actions=flood:1", "takes no argument");
	CHECK_FLOW_USAGE("add", "actions=output:1,,output:2", "an empty action");
	CHECK_FLOW_USAGE("add", "actions=output:", "\"output:\": needs a port (output:PORT)");
	CHECK_FLOW_USAGE("add", "actions=mod_vlan_vid:4096", "0 to 4095");
	CHECK_FLOW_USAGE("add", "actions=pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,"
			 "pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,pop_vlan,"
			 "pop_vlan,pop_vlan,drop", "more than 16 actions");
	CHECK_FLOW_USAGE("mod", "idle_timeout=5,actions=drop", "only flow add sets the timeouts");
	CHECK_FLOW_USAGE("mod", "in_port=1", "no actions");
	CHECK_FLOW_USAGE("del", "in_port=1,actions=drop", "flow del takes no actions");
	CHECK_FLOW_USAGE("del", "cookie=1", "flow del takes no cookie");
	CHECK_FLOW_USAGE("add", "n_packets=x,actions=drop", "not a number");
	CHECK_RF_USAGE("flow add vale0", "flow add: missing FLOW");
	CHECK_RF_USAGE("flow add vale0 in_port=1 actions=drop", "unexpected argument \"actions=drop\" "
		       "(quote the flow");
	CHECK_RF_USAGE("flow add vale0 actions=drop strict", "unexpected argument \"strict\"");
	CHECK_RF_USAGE("flow add", "flow add: missing SWITCH");
	CHECK_RF_USAGE("flow controller vale0 254", "a port number from 0 to 253, a port name, or none");
	CHECK_RF_USAGE("flow emc vale0 yes", "on or off");
	CHECK_RF_USAGE("flow miss vale0", "missing ACTIONS");
	CHECK_RF_USAGE("flow miss vale0 output:1,flood", "ends the actions");
	CHECK_RF_USAGE("flow show vale0 x", "\"x\": unknown field");
	CHECK_RF_USAGE("flow show vale0 in_port=1 ip", "unexpected argument \"ip\" (quote the match");
	CHECK_RF_USAGE("flow show vale0 in_port=1,actions=drop", "flow show takes no actions");
	CHECK_RF_USAGE("flow show vale0 idle_timeout=5", "only flow add sets the timeouts");
	CHECK_RF_USAGE("flow table vale0 x", "unexpected argument \"x\"");
	CHECK_RF_USAGE("flow add vale0 in_port=1", "Usage: valectl flow add SWITCH FLOW");
}

/* A field of a flow is the argument the kernel's extack names. */
static void test_flow_extack(void)
{
	static union {
		char buf[16384];
		struct nlmsghdr align;
	} rb;
	const struct nlattr *c, *m;
	struct nl_attrmap map;
	struct nlmsghdr *nlh, *err;

	CHECK_EQ(parse("flow add vale0 priority=7,ip,nw_src=10.0.0.0/24,actions=output:9"), EXIT_OK);
	nlh = nl_build(&req, 0x1234, 1, tx.buf, NL_TXSIZE, &map);
	c = config_of(tx.buf, &map);
	m = in(c, VALE_OF_ATTR_MATCH);
	err = make_error(rb.buf, nlh, EINVAL, true, "address length does not match ETH_TYPE",
			 (const char *)in(m, VALE_OF_MATCH_IP_SRC) - (const char *)nlh, -1);
	CHECK(!strcmp(format(&map, err), "Error: address length does not match ETH_TYPE "
			  "(argument \"nw_src=10.0.0.0/24\"): Invalid argument"));
	/* the ACTIONS nest: "actions=...", an action: itself */
	err = make_error(rb.buf, nlh, ENODEV, true, "no such output port",
			 (const char *)in(c, VALE_OF_ATTR_ACTIONS) - (const char *)nlh, -1);
	CHECK(strstr(format(&map, err), "(argument \"actions=output:9\")") != NULL);
	err = make_error(rb.buf, nlh, ENODEV, true, "no such output port",
			 (const char *)in(in(c, VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_OUTPUT) -
			 (const char *)nlh, -1);
	CHECK(strstr(format(&map, err), "(argument \"output:9\")") != NULL);
	/* the MATCH nest: the fields before the actions */
	err = make_error(rb.buf, nlh, EINVAL, true, "a partial match", (const char *)m -
			 (const char *)nlh, -1);
	CHECK(strstr(format(&map, err), "(argument \"priority=7,ip,nw_src=10.0.0.0/24\")") != NULL);
	/* a shorthand: both of its attributes name it */
	err = make_error(rb.buf, nlh, EINVAL, true, "bad", (const char *)in(m, VALE_OF_MATCH_ETH_TYPE) -
			 (const char *)nlh, -1);
	CHECK(strstr(format(&map, err), "(argument \"ip\")") != NULL);

	/* l3: the prefix word, a keyword and its value */
	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port 7 via 10.0.1.1"), EXIT_OK);
	nlh = nl_build(&req, 0x1234, 1, tx.buf, NL_TXSIZE, &map);
	c = config_of(tx.buf, &map);
	err = make_error(rb.buf, nlh, EEXIST, true, "the route exists",
			 (const char *)in(c, VALE_L3_ATTR_PREFIX_LEN) - (const char *)nlh, -1);
	CHECK(strstr(format(&map, err), "(argument \"10.0.1.0/24\")") != NULL);
	err = make_error(rb.buf, nlh, ENODEV, true, "no such port on the switch",
			 (const char *)in(c, VALE_L3_ATTR_PORT) - (const char *)nlh, -1);
	CHECK(!strcmp(format(&map, err), "Error: no such port on the switch (argument \"port 7\"): "
			  "No such device"));
}

/* A flow object as the kernel dumps it: the request's nest plus STATS. */
const struct nlattr *with_stats(const struct nlattr *config, void *buf)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *c, *s;
	const struct nlattr *a;

	mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
	c = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_for_each_nested(a, config) {
		if (mnl_attr_get_type(a) == VALE_OF_ATTR_OP) {
			mnl_attr_put_u32(nlh, VALE_OF_ATTR_OP, VALE_OF_OP_FLOW);
			continue;
		}
		mnl_attr_put(nlh, a->nla_type, mnl_attr_get_payload_len(a), mnl_attr_get_payload(a));
	}
	s = mnl_attr_nest_start(nlh, VALE_OF_ATTR_STATS);
	mnl_attr_put_u64(nlh, VALE_OF_STATS_PACKETS, 3);
	mnl_attr_put_u64(nlh, VALE_OF_STATS_BYTES, 180);
	mnl_attr_put_u64(nlh, VALE_OF_STATS_DURATION, 12);
	mnl_attr_put_u64(nlh, VALE_OF_STATS_IDLE_AGE, 4);
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, c);
	return c;
}

/* Same attributes in the same order? (What a flow is, to the kernel.) */
static bool same_config(const struct nlattr *a, const struct nlattr *b)
{
	return a && b && a->nla_len == b->nla_len &&
	       !memcmp(mnl_attr_get_payload(a), mnl_attr_get_payload(b), mnl_attr_get_payload_len(a));
}

/* A resolver of port names from a table of them (ctx: a struct port_names). */
int names_resolver(void *ctx, const char *sw, const char *port, uint32_t *index)
{
	const struct port_names *names = ctx;
	int i;

	CHECK(!strcmp(sw, "vale0"));
	for (i = 0; i < names->n; i++) {
		if (!strcmp(names->e[i].name, port)) {
			*index = names->e[i].index;
			return 0;
		}
	}
	return -ENOENT;
}

/* parse_flow, then its port names resolved from names */
static int parse_flow_named(const char *flow, const struct port_names *names)
{
	FILE *err;
	int ret = parse_flow("add", flow);

	if (ret != EXIT_OK || !names)
		return ret;
	err = fmemopen(errtext, sizeof(errtext), "w");
	ret = vctl_resolve_ports(&req, names_resolver, (void *)names, err);
	fclose(err);
	return ret;
}

/* flow show's line (ports named from names, if any), parsed again, is the same flow. */
bool round_trip(const char *flow, const char *canonical, const struct port_names *names)
{
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} dump;
	const struct nlattr *c, *c2;
	char text[1024], line[1024];
	bool ok = true;

	if (parse_flow_named(flow, names) != EXIT_OK) {
		fprintf(stderr, "  \"%s\": %s", flow, errtext);
		return false;
	}
	c = config_of(tx.buf, NULL);
	if (flow_format(text, sizeof(text), c, false, names) < 0)
		return false;
	if (canonical && strcmp(text, canonical)) {
		fprintf(stderr, "  \"%s\" printed \"%s\", not \"%s\"\n", flow, text, canonical);
		ok = false;
	}
	/* the show line, with counters: parsed, the same request */
	if (flow_format(line, sizeof(line), with_stats(c, dump.buf), true, names) < 0 ||
	    parse_flow_named(line, names) != EXIT_OK) {
		fprintf(stderr, "  \"%s\": %s", line, errtext);
		return false;
	}
	c2 = config_of(tx2.buf, NULL);
	if (!same_config(c, c2)) {
		/* printing adds the defaults it shows: compare the text then */
		if (flow_format(text, sizeof(text), c, false, names) < 0 ||
		    flow_format(line, sizeof(line), c2, false, names) < 0 || strcmp(text, line)) {
			fprintf(stderr, "  \"%s\" came back as \"%s\"\n", text, line);
			ok = false;
		}
	}
	return ok;
}

static void test_flow_print(void)
{
	static const char *const cases[][2] = {
		{ "priority=100,in_port=1,dl_type=0x0800,nw_src=10.0.0.0/24,nw_proto=6,tp_dst=80,"
		  "actions=output:2",
		  "priority=100,in_port=1,dl_type=0x0800,nw_proto=6,nw_src=10.0.0.0/24,tp_dst=80 "
		  "actions=output:2" },
		{ "udp6,ipv6_src=fd00::1,ipv6_dst=fd00:1::/32,tp_src=53,actions=drop",
		  "priority=32768,dl_type=0x86dd,nw_proto=17,ipv6_src=fd00::1,ipv6_dst=fd00:1::/32,"
		  "tp_src=53 actions=drop" },
		{ "icmp,icmp_type=8,icmp_code=0,actions=controller",
		  "priority=32768,dl_type=0x0800,nw_proto=1,icmp_type=8,icmp_code=0 actions=controller" },
		{ "dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_vlan=0xffff,"
		  "actions=push_vlan:10,mod_vlan_vid:11,pop_vlan,mod_dl_src:02:00:00:00:00:03,"
		  "mod_dl_dst:02:00:00:00:00:04,flood",
		  "priority=32768,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_vlan=0xffff "
		  "actions=push_vlan:10,mod_vlan_vid:11,pop_vlan,mod_dl_src:02:00:00:00:00:03,"
		  "mod_dl_dst:02:00:00:00:00:04,flood" },
		{ "cookie=0x10,idle_timeout=5,hard_timeout=9,priority=0,dl_vlan=7,actions=",
		  "cookie=0x10,idle_timeout=5,hard_timeout=9,priority=0,dl_vlan=7 actions=drop" },
		{ "actions=1", "priority=32768 actions=output:1" },
	};
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} dump;
	struct printer p;
	char line[1024];
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(round_trip(cases[i][0], cases[i][1], NULL));

	/* the show line: ovs-ofctl dump-flows' counters first */
	CHECK_EQ(parse_flow("add", "priority=100,in_port=1,idle_timeout=10,actions=output:2"), EXIT_OK);
	CHECK_EQ(flow_format(line, sizeof(line), with_stats(config_of(tx.buf, NULL), dump.buf), true,
			     NULL), 0);
	CHECK(!strcmp(line, "cookie=0x0, duration=12s, n_packets=3, n_bytes=180, idle_timeout=10, "
			    "hard_timeout=0, idle_age=4, priority=100,in_port=1 actions=output:2"));

	/* flow show and its JSON, from the dump message */
	CHECK_EQ(parse("-j flow show vale0"), EXIT_OK);
	free(printed);
	f = open_memstream(&printed, &printed_len);
	printer_begin(&p, &req, f, NULL, 0, "");
	{
		struct vctl_req show = req;
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(tx2.buf);
		const struct nlattr *c;

		CHECK_EQ(parse_flow("add", "priority=9,tcp,tp_dst=22,actions=output:1"), EXIT_OK);
		c = with_stats(config_of(tx.buf, NULL), dump.buf);
		mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
		mnl_attr_put(nlh, VALE_ATTR_LOOKUP_CONFIG, mnl_attr_get_payload_len(c),
			     mnl_attr_get_payload(c));
		req = show;
		p.req = &req;
		flow_show_cb(nlh, &p);
	}
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(printed, "[{\"priority\":9,\"cookie\":0,\"idle_timeout\":0,\"hard_timeout\":0,"
			       "\"match\":{\"dl_type\":2048,\"nw_proto\":6,\"tp_dst\":22},"
			       "\"actions\":\"output:1\",\"n_packets\":3,\"n_bytes\":180,\"duration\":12,"
			       "\"idle_age\":4,\"flow\":\"priority=9,dl_type=0x0800,nw_proto=6,"
			       "tp_dst=22 actions=output:1\"}]\n"));
	if (strncmp(printed, "[{", 2))
		fprintf(stderr, "  got %s", printed);
}

/* Random valid flows survive print -> parse -> print. */
static void test_flow_random_round_trip(void)
{
	static const char *const protos[] = { "", "ip", "ipv6", "tcp", "udp6", "icmp", "icmp6", "arp" };
	static const char *const acts[] = { "output:%u", "flood", "drop", "push_vlan:%u",
					    "pop_vlan", "mod_vlan_vid:%u", "mod_dl_src:02:00:00:00:00:%02x" };
	unsigned int seed = 12345, i, fails = 0;
	char flow[512];

	for (i = 0; i < 2000; i++) {
		int n = 0, k, na;
		const char *pr = protos[rand_r(&seed) % 8];
		bool v4 = strstr(pr, "6") == NULL && strcmp(pr, "arp") && *pr;
		bool v6 = strstr(pr, "6") != NULL || !strcmp(pr, "ipv6");
		bool l4 = !strcmp(pr, "tcp") || !strcmp(pr, "udp6");
		bool icmp = !strncmp(pr, "icmp", 4);

		n += snprintf(flow + n, sizeof(flow) - (size_t)n, "priority=%u,%s", rand_r(&seed) % 65536, pr);
		if (rand_r(&seed) % 2)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",in_port=%u", rand_r(&seed) % 254);
		if (rand_r(&seed) % 3 == 0)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",dl_vlan=%u", rand_r(&seed) % 4096);
		if (v4 && rand_r(&seed) % 2)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",nw_src=10.%u.0.0/16",
				      rand_r(&seed) % 256);
		if (v6 && rand_r(&seed) % 2)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",ipv6_dst=fd00:%x::/%u",
				      rand_r(&seed) % 65536, 32 + rand_r(&seed) % 97);
		if (l4 && rand_r(&seed) % 2)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",tp_dst=%u", rand_r(&seed) % 65536);
		if (icmp && rand_r(&seed) % 2)
			n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",icmp_type=%u", rand_r(&seed) % 256);
		n += snprintf(flow + n, sizeof(flow) - (size_t)n, ",actions=");
		na = (int)(rand_r(&seed) % 4);
		for (k = 0; k < na; k++) {
			unsigned int a = 3 + rand_r(&seed) % 4;

			n += snprintf(flow + n, sizeof(flow) - (size_t)n, acts[a], rand_r(&seed) % 254);
			flow[n++] = ',';
		}
		snprintf(flow + n, sizeof(flow) - (size_t)n, acts[rand_r(&seed) % 3], rand_r(&seed) % 254);
		/* ipv6_dst=fd00:x::/len may set bits past len: then it is an error */
		if (parse_flow("add", flow) != EXIT_OK) {
			if (!strstr(errtext, "past the prefix"))
				fails++, fprintf(stderr, "  \"%s\": %s", flow, errtext);
			continue;
		}
		if (!round_trip(flow, NULL, NULL))
			fails++;
	}
	CHECK_EQ(fails, 0);
}

/* The manual covers the new objects' syntax. */
static void test_route_flow_usage(void)
{
	CHECK_EQ(parse("help route"), EXIT_OK);
	CHECK_EQ(parse("flow help"), EXIT_OK);
	CHECK(!strcmp(req.help_obj, "flow"));
}

void test_route_flow(void)
{
	RUN(test_route_parse);
	RUN(test_route_errors);
	RUN(test_route_print);
	RUN(test_router_show);
	RUN(test_flow_parse);
	RUN(test_flow_errors);
	RUN(test_flow_extack);
	RUN(test_flow_print);
	RUN(test_flow_random_round_trip);
	RUN(test_route_flow_usage);
	free(printed);
	printed = NULL;
}
