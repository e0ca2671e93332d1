// SPDX-License-Identifier: GPL-2.0
/*
 * Ports by name in valectl's router and flow commands, without a kernel:
 * the parsers keep a name where a number is taken, vctl_resolve_ports
 * turns it into the number a fake resolver (a table) gives, once per
 * name, and says which word it could not; the show commands print the
 * names that read back as the same port, and flow show's MATCH keeps the
 * flows it should.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "test.h"

/* The switch vale0's ports: names as "valectl port show" lists them. */
static struct {
	uint32_t index;
	char name[VALE_NAME_MAX];
} table[] = {
	{ 1, "a" }, { 2, "b" }, { 3, "eth0" }, { 4, "eth0^" }, { 5, "c" },
	{ 9, "7" },		/* a NIC named "7": printed as 9, never as 7 */
	{ 10, "x,y" },		/* a NIC whose name would split a flow */
	{ 11, "none" },		/* flow controller's keyword */
	{ 12, "broken" },	/* the resolver fails with EIO */
};

static struct port_names names = {
	sizeof(table) / sizeof(table[0]), (void *)table,
};

static int calls;

/* names_resolver, counting the calls; "broken" fails as a kernel could. */
static int fake_resolver(void *ctx, const char *sw, const char *port, uint32_t *index)
{
	calls++;
	if (!strcmp(port, "broken"))
		return -EIO;
	return names_resolver(ctx, sw, port, index);
}

/* Resolve the names of the request just parsed: EXIT_*, errors in errtext. */
static int resolve(void)
{
	FILE *err = fmemopen(errtext, sizeof(errtext), "w");
	int ret;

	calls = 0;
	errtext[0] = '\0';
	ret = vctl_resolve_ports(&req, fake_resolver, &names, err);
	fclose(err);
	return ret;
}

static uint32_t l3_port(void)
{
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} b;

	return mnl_attr_get_u32(in(config_of(b.buf, NULL), VALE_L3_ATTR_PORT));
}

static bool err_is(const char *want)
{
	if (strstr(errtext, want))
		return true;
	fprintf(stderr, "  no \"%s\" in: %s", want, errtext);
	return false;
}

static void test_route_by_name(void)
{
	/* every command that takes a port, by name: its number is sent */
	static const struct {
		const char *line;
		uint32_t port;
	} cases[] = {
		{ "route add vale0 10.0.1.0/24 port eth0^ via 10.0.1.1", 4 },
		{ "route add vale0 10.0.1.0/24 port vale0:a", 1 },	/* netmap's SWITCH:PORT */
		{ "neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port b", 2 },
		{ "neigh del vale0 10.0.1.2 port eth0", 3 },
		{ "addr add vale0 10.0.1.1 port c", 5 },
		{ "addr del vale0 10.0.1.1 port a", 1 },
		{ "router port set vale0 b mac 02:00:00:00:aa:02", 2 },
		{ "router port del vale0 eth0^", 4 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse(cases[i].line), EXIT_OK);
		CHECK_EQ(resolve(), EXIT_OK);
		CHECK_EQ(calls, 1);
		CHECK_EQ(l3_port(), cases[i].port);
	}
	/* numbers are numbers, in decimal or hex: nothing to ask */
	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port 0x3"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(calls, 0);
	CHECK_EQ(l3_port(), 3);

	/* an unknown name: the word and the argument, ENOENT */
	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port nope"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK(err_is("Error: no port \"nope\" on switch vale0 (argument \"port nope\"): "
		     "No such file or directory\n"));
	/* another switch's port is no port of this one: not even asked */
	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port vale1:a"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK_EQ(calls, 0);
	CHECK(err_is("no port \"vale1:a\" on switch vale0"));
	CHECK_EQ(parse("route add vale0 10.0.1.0/24 port vale0:"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK_EQ(calls, 0);
	/* any other failure says so, with the kernel's errno */
	CHECK_EQ(parse("addr add vale0 10.0.1.1 port broken"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK(err_is("cannot look up port \"broken\" on switch vale0 (argument \"port broken\"): "
		     "Input/output error"));
}

static void test_flow_by_name(void)
{
	const struct nlattr *c, *a;
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} b;
	int n = 0;

	/* in_port, output: and a bare name; "a" is asked once */
	CHECK_EQ(parse_flow("add", "in_port=a,actions=mod_vlan_vid:3,output:vale0:eth0^,a"),
		 EXIT_USAGE);	/* output ends the actions */
	CHECK_EQ(parse_flow("add", "in_port=a,ip,actions=output:vale0:eth0^"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	c = config_of(b.buf, NULL);
	CHECK_EQ(mnl_attr_get_u32(in(in(c, VALE_OF_ATTR_MATCH), VALE_OF_MATCH_IN_PORT)), 1);
	CHECK_EQ(mnl_attr_get_u32(in(in(c, VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_OUTPUT)), 4);
	CHECK_EQ(parse_flow("add", "in_port=b,actions=pop_vlan,b"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(calls, 1);
	c = config_of(b.buf, NULL);
	mnl_attr_for_each_nested(a, in(c, VALE_OF_ATTR_ACTIONS))
		n++;
	CHECK_EQ(n, 2);
	CHECK_EQ(mnl_attr_get_u32(in(in(c, VALE_OF_ATTR_ACTIONS), VALE_OF_ACTION_OUTPUT)), 2);
	/* a name that is an action is the action; output: makes it a port */
	CHECK_EQ(parse_flow("add", "actions=output:none"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(in(config_of(b.buf, NULL), VALE_OF_ATTR_ACTIONS),
				     VALE_OF_ACTION_OUTPUT)), 11);

	/* the words that fail, and how they are named */
	CHECK_EQ(parse_flow("add", "in_port=nope,actions=drop"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK(err_is("Error: no port \"nope\" on switch vale0 (argument \"in_port=nope\"): "
		     "No such file or directory\n"));
	CHECK_EQ(parse_flow("add", "in_port=a,actions=output:vale0:nope"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK(err_is("no port \"vale0:nope\" on switch vale0 (argument \"output:vale0:nope\")"));
	CHECK_EQ(parse_flow("add", "actions=teleport"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_ERR);
	CHECK(err_is("Error: \"teleport\" is no action, nor a port of switch vale0: "
		     "No such file or directory\n"));

	/* the table's controller and miss rule */
	CHECK_EQ(parse("flow controller vale0 c"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(config_of(b.buf, NULL), VALE_OF_ATTR_CONTROLLER)), 5);
	CHECK_EQ(parse("flow controller vale0 none"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(calls, 0);
	CHECK_EQ(mnl_attr_get_u32(in(config_of(b.buf, NULL), VALE_OF_ATTR_CONTROLLER)), 255);
	CHECK_EQ(parse("flow miss vale0 output:eth0"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	CHECK_EQ(mnl_attr_get_u32(in(in(config_of(b.buf, NULL), VALE_OF_ATTR_ACTIONS),
				     VALE_OF_ACTION_OUTPUT)), 3);
}

/* ---- printing ------------------------------------------------------------ */

static char *out;
static size_t out_len;

/* What l3_show_cb prints for the objects of lines, under show. */
static const char *l3_printed(const char *show, const char *const *lines, int n)
{
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} b;
	struct vctl_req saved;
	struct printer p;
	FILE *f;
	int i;

	CHECK_EQ(parse(show), EXIT_OK);
	saved = req;
	free(out);
	out = NULL;
	f = open_memstream(&out, &out_len);
	l3_show_begin(&p, &saved, f);
	p.names = saved.numeric ? NULL : &names;
	for (i = 0; i < n; i++) {
		CHECK_EQ(parse(lines[i]), EXIT_OK);
		CHECK_EQ(resolve(), EXIT_OK);
		l3_show_cb(nl_build(&req, 0x1234, 1, b.buf, NL_TXSIZE, NULL), &p);
	}
	l3_show_end(&p);
	fclose(f);
	return out;
}

static bool printed_is(const char *got, const char *want)
{
	if (got && !strcmp(got, want))
		return true;
	fprintf(stderr, "  got:\n%s  want:\n%s", got ? got : "(null)\n", want);
	return false;
}

static void test_l3_show_names(void)
{
	static const char *const routes[] = {
		"route add vale0 10.0.1.0/24 port a",
		"route add vale0 10.0.2.0/24 via 10.0.2.1 port eth0^",
		"route add vale0 10.0.9.0/24 port 9",	/* named "7" */
		"route add vale0 10.0.10.0/24 port 10",	/* named "x,y" */
		"route add vale0 default port 20",	/* no such port now */
	};
	static const char *const router[] = {
		"router port set vale0 a mac 02:00:00:00:aa:01",
		"addr add vale0 10.0.1.1 port a",
		"router port set vale0 20 mac 02:00:00:00:aa:14",
		"neigh add vale0 10.0.1.2 lladdr 02:00:00:00:bb:01 port b",
	};
	static const uint32_t numbers[] = { 1, 4, 9, 10, 20 };
	char line[128];
	const char *l;
	int i;

	CHECK(printed_is(l3_printed("route show vale0", routes, 5),
			 "10.0.1.0/24 port a\n"
			 "10.0.2.0/24 via 10.0.2.1 port eth0^\n"
			 "10.0.9.0/24 port 9\n"
			 "10.0.10.0/24 port 10\n"
			 "default port 20\n"));
	/* each line is a "route add" again, to the same port */
	for (i = 0, l = out; i < 5 && l && strchr(l, '\n'); i++) {
		snprintf(line, sizeof(line), "route add vale0 %.*s", (int)(strchr(l, '\n') - l), l);
		CHECK_EQ(parse(line), EXIT_OK);
		CHECK_EQ(resolve(), EXIT_OK);
		CHECK_EQ(l3_port(), numbers[i]);
		l = strchr(l, '\n') + 1;
	}
	CHECK_EQ(i, 5);
	/* -N: numbers */
	CHECK(printed_is(l3_printed("-N route show vale0", routes, 2),
			 "10.0.1.0/24 port 1\n10.0.2.0/24 via 10.0.2.1 port 4\n"));
	/* JSON: the number, and the name beside it (any name) */
	CHECK(printed_is(l3_printed("-j route show vale0", routes, 5),
			 "[{\"prefix\":\"10.0.1.0/24\",\"port\":1,\"port_name\":\"a\"},"
			 "{\"prefix\":\"10.0.2.0/24\",\"via\":\"10.0.2.1\",\"port\":4,"
			 "\"port_name\":\"eth0^\"},"
			 "{\"prefix\":\"10.0.9.0/24\",\"port\":9,\"port_name\":\"7\"},"
			 "{\"prefix\":\"10.0.10.0/24\",\"port\":10,\"port_name\":\"x,y\"},"
			 "{\"prefix\":\"0.0.0.0/0\",\"port\":20}]\n"));
	CHECK(printed_is(l3_printed("neigh show vale0", router, 4),
			 "10.0.1.2 lladdr 02:00:00:00:bb:01 port b\n"));
	CHECK(printed_is(l3_printed("addr show vale0", router, 4), "10.0.1.1 port a\n"));
	CHECK(printed_is(l3_printed("router show vale0", router, 4),
			 "port a mac 02:00:00:00:aa:01 addr 10.0.1.1\n"
			 "port 20 mac 02:00:00:00:aa:14\n"
			 "routes 0 neighbours 1 addresses 1\n"));
	CHECK(printed_is(l3_printed("-j router show vale0", router, 2),
			 "[{\"ports\":[{\"port\":1,\"port_name\":\"a\",\"mac\":\"02:00:00:00:aa:01\","
			 "\"addrs\":[\"10.0.1.1\"]}],\"routes\":0,\"neighbours\":0,"
			 "\"addresses\":1}]\n"));
}

static void test_flow_show_names(void)
{
	static const char *const cases[][2] = {
		{ "in_port=a,actions=output:eth0^", "priority=32768,in_port=a actions=output:eth0^" },
		{ "in_port=vale0:b,actions=pop_vlan,c", "priority=32768,in_port=b actions=pop_vlan,"
		  "output:c" },
		{ "in_port=9,actions=output:10", "priority=32768,in_port=9 actions=output:10" },
		{ "in_port=20,actions=output:none", "priority=32768,in_port=20 actions=output:none" },
		{ "actions=output:0x7", "priority=32768 actions=output:7" },
	};
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} b, d;
	struct vctl_req show;
	struct printer p;
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(round_trip(cases[i][0], cases[i][1], &names));

	/* the JSON keeps its numbers, and names them beside */
	CHECK_EQ(parse("-j flow show vale0"), EXIT_OK);
	show = req;
	free(out);
	out = NULL;
	f = open_memstream(&out, &out_len);
	printer_begin(&p, &show, f, NULL, 0, "");
	p.names = &names;
	CHECK_EQ(parse_flow("add", "priority=9,in_port=a,actions=mod_vlan_vid:5,output:b"), EXIT_OK);
	CHECK_EQ(resolve(), EXIT_OK);
	{
		const struct nlattr *c = with_stats(config_of(b.buf, NULL), d.buf);
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(b.buf);

		mnl_nlmsg_put_extra_header(nlh, sizeof(struct genlmsghdr));
		mnl_attr_put(nlh, VALE_ATTR_LOOKUP_CONFIG, mnl_attr_get_payload_len(c),
			     mnl_attr_get_payload(c));
		flow_show_cb(nlh, &p);
	}
	printer_end(&p);
	fclose(f);
	CHECK(printed_is(out, "[{\"priority\":9,\"cookie\":0,\"idle_timeout\":0,\"hard_timeout\":0,"
			 "\"match\":{\"in_port\":1},\"actions\":\"mod_vlan_vid:5,output:2\","
			 "\"n_packets\":3,\"n_bytes\":180,\"duration\":12,\"idle_age\":4,"
			 "\"flow\":\"priority=9,in_port=1 actions=mod_vlan_vid:5,output:2\","
			 "\"port_names\":{\"1\":\"a\",\"2\":\"b\"}}]\n"));
	CHECK_EQ(parse("-N flow show vale0"), EXIT_OK);
	CHECK(req.numeric);
}

/* ---- flow show MATCH --------------------------------------------------------- */

static const char *const flows[] = {
	"priority=100,in_port=1,tcp,nw_dst=10.0.1.0/24,tp_dst=80,actions=output:2",
	"priority=5,actions=drop",
	"in_port=2,ip,nw_dst=10.0.1.7,actions=output:1",
	"cookie=0x7,udp6,ipv6_src=fd00::/64,actions=flood",
};

/* Which of flows MATCH keeps: a bit each. */
static unsigned int kept(const char *match)
{
	static struct flow_filter ff;
	static union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} b, d;
	const char *w[] = { "flow", "show", "vale0", match };
	unsigned int bits = 0, i;

	if (parse_words(4, w) != EXIT_OK || resolve() != EXIT_OK)
		return ~0u;	/* errtext says why */
	if (flow_filter_init(&ff, &req) < 0)
		return ~0u;
	for (i = 0; i < sizeof(flows) / sizeof(flows[0]); i++) {
		CHECK_EQ(parse_flow("add", flows[i]), EXIT_OK);
		if (flow_filter_match(&ff, with_stats(config_of(b.buf, NULL), d.buf)))
			bits |= 1u << i;
	}
	return bits;
}

static void test_flow_show_match(void)
{
	CHECK_EQ(kept(""), 0xf);
	CHECK_EQ(kept("in_port=1"), 0x1);
	CHECK_EQ(kept("in_port=a"), 0x1);	/* by name: a is port 1 */
	CHECK_EQ(kept("in_port=b"), 0x4);
	CHECK_EQ(kept("ip"), 0x5);		/* tcp is ip too */
	CHECK_EQ(kept("tcp"), 0x1);
	CHECK_EQ(kept("tcp,tp_dst=80"), 0x1);
	CHECK_EQ(kept("udp,tp_dst=80"), 0x0);
	CHECK_EQ(kept("ip,nw_dst=10.0.0.0/16"), 0x5);	/* prefixes inside it */
	CHECK_EQ(kept("ip,nw_dst=10.0.1.0/24"), 0x5);
	CHECK_EQ(kept("ip,nw_dst=10.0.1.0/25"), 0x4);	/* the /24 is wider */
	CHECK_EQ(kept("ip,nw_dst=10.0.1.7"), 0x4);
	CHECK_EQ(kept("ip,nw_dst=10.0.1.6/31"), 0x4);
	CHECK_EQ(kept("ip,nw_dst=10.0.1.8/29"), 0x0);
	CHECK_EQ(kept("ip,nw_src=10.0.0.0/8"), 0x0);	/* they leave nw_src out */
	CHECK_EQ(kept("ipv6,ipv6_src=fd00::/48"), 0x8);
	CHECK_EQ(kept("ipv6,ipv6_src=fd00::/65"), 0x0);
	CHECK_EQ(kept("priority=5"), 0x2);
	CHECK_EQ(kept("priority=32768"), 0xc);	/* the default */
	CHECK_EQ(kept("cookie=0x7"), 0x8);
	CHECK_EQ(kept("cookie=0"), 0x7);
	/* a flow's text, less its actions, is a match that keeps it; counters
	 * are no filter */
	CHECK_EQ(kept("priority=100,in_port=1,dl_type=0x0800,nw_proto=6,nw_dst=10.0.1.0/24,"
		      "tp_dst=80"), 0x1);
	CHECK_EQ(kept("n_packets=0, priority=5"), 0x2);
	CHECK_EQ(kept("in_port=nope"), ~0u);
	CHECK(err_is("no port \"nope\" on switch vale0 (argument \"in_port=nope\")"));
}

void test_port_names(void)
{
	RUN(test_route_by_name);
	RUN(test_flow_by_name);
	RUN(test_l3_show_names);
	RUN(test_flow_show_names);
	RUN(test_flow_show_match);
	free(out);
	out = NULL;
}
