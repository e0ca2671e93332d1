// SPDX-License-Identifier: GPL-2.0
/*
 * valectl's command line without a kernel (as ethtool's test-cmdline.c):
 * every command form and every usage error of the object-verb grammar
 * and of the vale-ctl flags. test_output.c goes on from the parsed
 * requests: the netlink messages built from them, the extack messages
 * mapped back to the arguments, the JSON writer, the printing of replies
 * and events synthesized there, and the manual.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

int check_passed, check_failed;

/* ---- helpers ---------------------------------------------------------------- */

struct vctl_req req;
char *words[64];
static int nwords;
static char errbuf[4096];

/* Parse a command line of words split at spaces ("" for an empty word). */
int parse(const char *line)
{
	static char buf[1024];
	char *p, *save = NULL;
	FILE *err;
	int ret;

	snprintf(buf, sizeof(buf), "%s", line);
	errbuf[0] = '\0';
	nwords = 0;
	words[nwords++] = "valectl";
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save))
		words[nwords++] = strcmp(p, "''") ? p : (char *)"";
	words[nwords] = NULL;
	err = fmemopen(errbuf, sizeof(errbuf), "w");
	ret = vctl_parse(nwords, words, &req, err);
	fclose(err);
	return ret;
}

static int parse_as(const char *argv0, const char *line)
{
	int ret = parse(line);
	FILE *err;

	words[0] = (char *)argv0;
	errbuf[0] = '\0';
	err = fmemopen(errbuf, sizeof(errbuf), "w");
	ret = vctl_parse(nwords, words, &req, err);
	fclose(err);
	return ret;
}

static bool err_has(const char *s)
{
	if (strstr(errbuf, s))
		return true;
	fprintf(stderr, "  stderr lacks \"%s\": %s", s, errbuf);
	return false;
}

/* The argument of req for attr (nested in nest), or NULL. */
static const struct vctl_arg *arg(uint16_t attr, uint16_t nest)
{
	int i;

	for (i = 0; i < req.nargs; i++)
		if (req.args[i].attr == attr && req.args[i].nest == nest)
			return &req.args[i];
	return NULL;
}

static bool has_str(uint16_t attr, const char *val, int argi, int kwi)
{
	const struct vctl_arg *a = arg(attr, 0);

	return a && a->type == VT_STR && !strcmp(a->str, val) && a->argi == argi && a->kwi == kwi;
}

static bool has_u32(uint16_t attr, uint16_t nest, uint32_t val, int argi, int kwi)
{
	const struct vctl_arg *a = arg(attr, nest);

	return a && a->type == VT_U32 && a->u32 == val && a->argi == argi && a->kwi == kwi;
}

#define CHECK_USAGE(line, msg) do {			\
	CHECK_EQ(parse(line), EXIT_USAGE);		\
	CHECK(err_has(msg));				\
} while (0)

/* ---- the object-verb grammar ------------------------------------------------------ */

static void test_switch(void)
{
	CHECK_EQ(parse("switch add vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_ADD);
	CHECK_EQ(req.cmd, VALE_CMD_SWITCH_NEW);
	CHECK(!req.dump);
	CHECK_EQ(req.nargs, 1);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));

	CHECK_EQ(parse("switch add vale0 lookup learn"), EXIT_OK);
	CHECK_EQ(req.nargs, 2);
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "learn", 5, 4));

	CHECK_EQ(parse("switch del vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_DEL);
	CHECK_EQ(req.cmd, VALE_CMD_SWITCH_DEL);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));

	CHECK_EQ(parse("switch show"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_SHOW);
	CHECK_EQ(req.cmd, VALE_CMD_SWITCH_GET);
	CHECK(req.dump);
	CHECK_EQ(req.nargs, 0);

	CHECK_EQ(parse("switch show vale0"), EXIT_OK);
	CHECK(!req.dump);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));

	/* no verb: show, as "ip link" */
	CHECK_EQ(parse("switch"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_SHOW);
	CHECK(req.dump);
}

static void test_switch_errors(void)
{
	CHECK_USAGE("switch add", "missing SWITCH");
	CHECK_USAGE("switch add lookup learn", "missing SWITCH");
	CHECK_USAGE("switch add vale0 lookup", "\"lookup\" needs a value");
	CHECK_USAGE("switch add vale0 lookup learn lookup l2", "\"lookup\" given twice");
	CHECK_USAGE("switch add vale0 color red", "unknown keyword \"color\"");
	CHECK_USAGE("switch add ''", "empty SWITCH");
	CHECK_USAGE("switch add vale0 lookup ''", "empty value for \"lookup\"");
	CHECK_USAGE("switch del", "missing SWITCH");
	CHECK_USAGE("switch del vale0 vale1", "unexpected argument \"vale1\"");
	CHECK_USAGE("switch show vale0 vale1", "unexpected argument \"vale1\"");
	CHECK_USAGE("switch frob", "unknown command \"frob\" for switch");
	/* the usage of the object follows the message */
	CHECK_USAGE("switch frob", "Usage: valectl switch add SWITCH [lookup NAME]");
}

static void test_port(void)
{
	CHECK_EQ(parse("port attach vale0 vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK_EQ(req.cmd, VALE_CMD_PORT_ATTACH);
	CHECK_EQ(req.nargs, 2);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));
	CHECK(has_str(VALE_ATTR_PORT_NAME, "vi0", 4, -1));

	CHECK_EQ(parse("port detach vale0 eth1"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_DETACH);
	CHECK_EQ(req.cmd, VALE_CMD_PORT_DETACH);
	CHECK(has_str(VALE_ATTR_PORT_NAME, "eth1", 4, -1));

	CHECK_EQ(parse("port show"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_SHOW);
	CHECK_EQ(req.cmd, VALE_CMD_PORT_GET);
	CHECK(req.dump);
	CHECK_EQ(req.nargs, 0);

	CHECK_EQ(parse("port show vale0"), EXIT_OK);
	CHECK(req.dump);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));

	CHECK_EQ(parse("port show vale0 vi0"), EXIT_OK);
	CHECK(!req.dump);
	CHECK(has_str(VALE_ATTR_PORT_NAME, "vi0", 4, -1));

	CHECK_EQ(parse("-s port show"), EXIT_OK);
	CHECK_EQ(req.stats, 1);
	CHECK_EQ(parse("-s -s -j port"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_SHOW);
	CHECK_EQ(req.stats, 2);
	CHECK(req.json);
}

/* "host": a keyword with no value, the flag PORT_HOST, pointing at itself. */
static void test_port_host(void)
{
	const struct vctl_arg *a;

	CHECK_EQ(parse("port attach vale0 eth0 host"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK_EQ(req.nargs, 3);
	CHECK(has_str(VALE_ATTR_PORT_NAME, "eth0", 4, -1));
	a = arg(VALE_ATTR_PORT_HOST, 0);
	CHECK(a && a->type == VT_FLAG && a->argi == 5 && a->kwi == 5);

	CHECK_EQ(parse("port add vale0 eth0 ho"), EXIT_OK);	/* a unique prefix */
	CHECK(arg(VALE_ATTR_PORT_HOST, 0) != NULL);
	CHECK_EQ(parse("port attach vale0 eth0"), EXIT_OK);
	CHECK(arg(VALE_ATTR_PORT_HOST, 0) == NULL);

	CHECK_USAGE("port attach vale0 eth0 host host", "\"host\" given twice");
	CHECK_USAGE("port attach vale0 eth0 host 1", "unknown keyword \"1\"");
	CHECK_USAGE("port attach vale0 host", "missing IFNAME");
	CHECK_USAGE("port detach vale0 eth0 host", "unexpected argument \"host\"");

	/* vale-ctl -h: the flag points at the -h */
	CHECK_EQ(parse("-h vale0:eth0"), EXIT_OK);
	a = arg(VALE_ATTR_PORT_HOST, 0);
	CHECK(a && a->type == VT_FLAG && a->argi == 1 && a->kwi == 1);
	CHECK_EQ(parse("-v -hvale1:eth1"), EXIT_OK);
	a = arg(VALE_ATTR_PORT_HOST, 0);
	CHECK(a && a->argi == 2);
	CHECK_EQ(parse("-a vale0:eth0"), EXIT_OK);
	CHECK(arg(VALE_ATTR_PORT_HOST, 0) == NULL);
}

static void test_port_errors(void)
{
	CHECK_USAGE("port attach", "missing SWITCH");
	CHECK_USAGE("port attach vale0", "missing IFNAME");
	CHECK_USAGE("port attach vale0 vi0 vi1", "unknown keyword \"vi1\"");
	CHECK_USAGE("port detach vale0", "missing IFNAME");
	CHECK_USAGE("port detach vale0 ''", "empty IFNAME");
	CHECK_USAGE("port show vale0 vi0 x", "unexpected argument \"x\"");
	CHECK_USAGE("port plug vale0 vi0", "unknown command \"plug\" for port");
}

static void test_if(void)
{
	CHECK_EQ(parse("if add vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_IF_ADD);
	CHECK_EQ(req.cmd, VALE_CMD_IF_NEW);
	CHECK_EQ(req.nargs, 1);
	CHECK(has_str(VALE_ATTR_IF_NAME, "vi0", 3, -1));

	CHECK_EQ(parse("if add vi0 tx-rings 2 rx-rings 3 tx-slots 512 rx-slots 4096"), EXIT_OK);
	CHECK_EQ(req.nargs, 5);
	CHECK(has_u32(VALE_ATTR_PORT_TX_RINGS, 0, 2, 5, 4));
	CHECK(has_u32(VALE_ATTR_PORT_RX_RINGS, 0, 3, 7, 6));
	CHECK(has_u32(VALE_ATTR_PORT_TX_SLOTS, 0, 512, 9, 8));
	CHECK(has_u32(VALE_ATTR_PORT_RX_SLOTS, 0, 4096, 11, 10));

	/* any order, unique prefixes */
	CHECK_EQ(parse("if add vi0 rx-s 8 tx-r 1"), EXIT_OK);
	CHECK(has_u32(VALE_ATTR_PORT_RX_SLOTS, 0, 8, 5, 4));
	CHECK(has_u32(VALE_ATTR_PORT_TX_RINGS, 0, 1, 7, 6));

	CHECK_EQ(parse("if add vi0 tx-slots 4294967295"), EXIT_OK);
	CHECK(has_u32(VALE_ATTR_PORT_TX_SLOTS, 0, 4294967295u, 5, 4));

	CHECK_EQ(parse("if del vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_IF_DEL);
	CHECK_EQ(req.cmd, VALE_CMD_IF_DEL);
	CHECK(has_str(VALE_ATTR_IF_NAME, "vi0", 3, -1));
}

static void test_if_errors(void)
{
	CHECK_USAGE("if", "if: a command is needed");
	CHECK_USAGE("if add", "missing IFNAME");
	CHECK_USAGE("if add tx-rings 2", "missing IFNAME");
	CHECK_USAGE("if add vi0 tx-rings", "\"tx-rings\" needs a value");
	CHECK_USAGE("if add vi0 tx-rings two", "\"tx-rings\" needs a number");
	CHECK_USAGE("if add vi0 tx-rings -1", "needs a number");
	CHECK_USAGE("if add vi0 tx-rings +1", "needs a number");
	CHECK_USAGE("if add vi0 tx-rings 1x", "needs a number");
	CHECK_USAGE("if add vi0 tx-rings 4294967296", "needs a number");
	CHECK_USAGE("if add vi0 tx-rings ''", "needs a number");
	CHECK_USAGE("if add vi0 tx 2", "ambiguous keyword \"tx\"");
	CHECK_USAGE("if add vi0 rings 2", "unknown keyword \"rings\"");
	CHECK_USAGE("if add vi0 tx-rings 1 tx-rings 2", "\"tx-rings\" given twice");
	CHECK_USAGE("if add vi0 tx-rings 1 tx-r 2", "\"tx-rings\" given twice");
	CHECK_USAGE("if del", "missing IFNAME");
	CHECK_USAGE("if del vi0 vi1", "unexpected argument \"vi1\"");
	CHECK_USAGE("if show", "unknown command \"show\" for if");
}

static void test_lookup(void)
{
	CHECK_EQ(parse("lookup set vale0 l3"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_SET);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_SET);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "l3", 4, -1));

	/* the keys are the module's: kept as words until its schema is read
	 * (test_schema.c encodes them) */
	CHECK_EQ(parse("lookup config vale0 ageing 300"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_CONFIG);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_CONFIG);
	CHECK_EQ(req.nargs, 1);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));
	CHECK_EQ(req.kv_first, 4);
	CHECK_EQ(parse("lookup config vale0 hash 7 flush"), EXIT_OK);
	CHECK_EQ(req.kv_first, 4);
	CHECK_EQ(parse("lookup configure vale0 flush"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_CONFIG);

	CHECK_EQ(parse("lookup show vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_SHOW);
	CHECK_EQ(req.cmd, VALE_CMD_SWITCH_GET);
	CHECK(!req.dump);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));

	CHECK_EQ(parse("lookup dump vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_DUMP);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_DUMP);
	CHECK(req.dump);
	CHECK_EQ(req.nargs, 1);
	CHECK_EQ(parse("lookup dump vale0 fdb"), EXIT_OK);
	CHECK(has_str(VALE_ATTR_LOOKUP_TABLE, "fdb", 4, -1));

	CHECK_EQ(parse("lookup schema"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_SCHEMA);
	CHECK(req.dump);
	CHECK_EQ(parse("lookup schema l3"), EXIT_OK);
	CHECK(!req.dump);
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "l3", 3, -1));
	CHECK_EQ(parse("lookup schema vale1"), EXIT_OK);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale1", 3, -1));
}

static void test_lookup_errors(void)
{
	CHECK_USAGE("lookup", "lookup: a command is needed");
	CHECK_USAGE("lookup set", "missing SWITCH");
	CHECK_USAGE("lookup set vale0", "missing NAME");
	CHECK_USAGE("lookup set vale0 l3 l2", "unexpected argument \"l2\"");
	CHECK_USAGE("lookup config", "missing SWITCH");
	CHECK_USAGE("lookup config vale0", "nothing to set");
	CHECK_USAGE("lookup config ''", "empty SWITCH");
	CHECK_USAGE("lookup get vale0", "unknown command \"get\" for lookup");
	CHECK_USAGE("lookup show", "missing SWITCH");
	CHECK_USAGE("lookup show vale0 learn", "unexpected argument \"learn\"");
	CHECK_USAGE("lookup dump", "missing SWITCH");
	CHECK_USAGE("lookup dump vale0 fdb routes", "unexpected argument \"routes\"");
	CHECK_USAGE("lookup schema learn l3", "unexpected argument \"l3\"");
	CHECK_USAGE("lookup schema ''", "empty MODULE or SWITCH");
	CHECK_USAGE("lookup", "lookup: a command is needed");
}

/* The learning bridge's table and flush, on its module's channel. */
static void test_fdb(void)
{
	const struct vctl_arg *a;

	CHECK_EQ(parse("fdb show vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_FDB_SHOW);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_DUMP);
	CHECK(req.dump);
	CHECK_EQ(req.nargs, 3);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "learn", 3, -1));	/* points at the switch */
	CHECK(has_str(VALE_ATTR_LOOKUP_TABLE, "fdb", 2, -1));

	CHECK_EQ(parse("fdb flush vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_FDB_FLUSH);
	CHECK_EQ(req.cmd, VALE_CMD_LOOKUP_CONFIG);
	CHECK(!req.dump);
	CHECK_EQ(req.nargs, 3);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 3, -1));
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "learn", 3, -1));
	a = arg(VALE_LEARN_FLUSH, VALE_ATTR_LOOKUP_CONFIG);
	CHECK(a && a->type == VT_FLAG && a->argi == 2 && a->kwi == 2);	/* "flush" */

	CHECK_USAGE("fdb", "missing SWITCH");
	CHECK_USAGE("fdb show", "missing SWITCH");
	CHECK_USAGE("fdb flush", "missing SWITCH");
	CHECK_USAGE("fdb show vale0 vale1", "unexpected argument \"vale1\"");
	CHECK_USAGE("fdb flush ''", "empty SWITCH");
	CHECK_USAGE("fdb add vale0", "unknown command \"add\" for fdb");
}

static void test_monitor(void)
{
	CHECK_EQ(parse("monitor"), EXIT_OK);
	CHECK_EQ(req.op, OP_MONITOR);
	CHECK_EQ(req.cmd, 0);
	CHECK_EQ(parse("-j monitor"), EXIT_OK);
	CHECK_EQ(req.op, OP_MONITOR);
	CHECK(req.json);
	CHECK_EQ(parse("mon"), EXIT_OK);
	CHECK_EQ(req.op, OP_MONITOR);
	CHECK_USAGE("monitor switch", "monitor takes no argument");
}

static void test_words(void)
{
	/* aliases */
	CHECK_EQ(parse("switch new vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_ADD);
	CHECK_EQ(parse("switch delete vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_DEL);
	CHECK_EQ(parse("switch list"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_SHOW);
	CHECK_EQ(parse("port ls"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_SHOW);
	CHECK_EQ(parse("if delete vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_IF_DEL);
	/* unique prefixes */
	CHECK_EQ(parse("sw a vale0 l learn"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_ADD);
	CHECK(has_str(VALE_ATTR_LOOKUP_NAME, "learn", 5, 4));
	CHECK_EQ(parse("p at vale0 vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK_EQ(parse("l c vale0 age 10"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_CONFIG);
	CHECK_EQ(parse("fd fl vale0"), EXIT_OK);	/* "f": fdb or flow */
	CHECK_EQ(req.op, OP_FDB_FLUSH);
	CHECK_EQ(parse("f fl vale0"), EXIT_USAGE);
	/* ambiguous: "port detach" and "port del" both start with "de" */
	CHECK_EQ(parse("port de vale0 vi0"), EXIT_OK);	/* all name one verb */
	CHECK_EQ(req.op, OP_PORT_DETACH);
	CHECK_USAGE("bridge show", "unknown object \"bridge\"");
	CHECK_USAGE("bridge show", "Try \"valectl -h\"");
	CHECK_USAGE("''", "unknown object");
	/* options go before the object */
	CHECK_USAGE("switch show -j", "\"-j\": options go before the object");
	CHECK_USAGE("port attach vale0 -s", "\"-s\": options go before the object");
	CHECK_USAGE("if add vi0 tx-rings 1 --json", "options go before the object");
}

static void test_options(void)
{
	CHECK_USAGE("", "an object is needed");
	CHECK_EQ(parse("-j switch show"), EXIT_OK);
	CHECK(req.json);
	CHECK(!req.pretty);
	CHECK_EQ(parse("--json --pretty switch"), EXIT_OK);
	CHECK(req.json);
	CHECK(req.pretty);
	CHECK_EQ(parse("-json -pretty -stats port"), EXIT_OK);
	CHECK(req.json && req.pretty && req.stats == 1);
	CHECK_EQ(parse("-p -j switch"), EXIT_OK);
	CHECK(req.json && req.pretty);
	CHECK_EQ(parse("--stats port"), EXIT_OK);
	CHECK_EQ(req.stats, 1);
	CHECK_EQ(parse("-- switch"), EXIT_OK);
	CHECK_EQ(req.op, OP_SWITCH_SHOW);

	CHECK_EQ(parse("-h"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK(req.help_obj == NULL);
	CHECK_EQ(parse("--help"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK_EQ(parse("-h switch"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK(req.help_obj && !strcmp(req.help_obj, "switch"));
	CHECK_EQ(parse("-j -h"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK_EQ(parse("help"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK_EQ(parse("help port"), EXIT_OK);
	CHECK(req.help_obj && !strcmp(req.help_obj, "port"));
	CHECK_EQ(parse("fdb help"), EXIT_OK);
	CHECK_EQ(req.op, OP_HELP);
	CHECK(req.help_obj && !strcmp(req.help_obj, "fdb"));
	CHECK_USAGE("help frob", "unknown object \"frob\"");

	CHECK_EQ(parse("-V"), EXIT_OK);
	CHECK_EQ(req.op, OP_VERSION);
	CHECK_EQ(parse("--version"), EXIT_OK);
	CHECK_EQ(req.op, OP_VERSION);

	CHECK_USAGE("-x switch", "unknown option \"-x\"");
	CHECK_USAGE("--frob switch", "unknown option \"--frob\"");
	CHECK_USAGE("-j", "an object is needed");
}

static void test_usage_text(void)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	static const char *const objs[] = { "switch", "port", "if", "lookup", "fdb", "monitor" };
	size_t i;

	vctl_usage(f, NULL);
	fclose(f);
	for (i = 0; i < sizeof(objs) / sizeof(objs[0]); i++) {
		char needle[64];

		snprintf(needle, sizeof(needle), "valectl %s", objs[i]);
		CHECK(strstr(text, needle) != NULL);
	}
	CHECK(strstr(text, "-a SW:IF") != NULL);
	free(text);

	text = NULL;
	f = open_memstream(&text, &len);
	vctl_usage(f, "lookup");
	fclose(f);
	CHECK(!strncmp(text, "Usage: valectl lookup set SWITCH NAME\n"
		       "       valectl lookup config SWITCH KEY [VALUE] [KEY [VALUE]]...\n"
		       "       valectl [-N] lookup show SWITCH\n"
		       "       valectl [-N] lookup dump SWITCH [TABLE]\n"
		       "       valectl lookup schema [MODULE | SWITCH]\n", 236));
	CHECK(strstr(text, "ageing SECONDS") != NULL);
	free(text);
}

/* ---- vale-ctl's flags ------------------------------------------------------------ */

static void test_compat(void)
{
	CHECK_EQ(parse("-n vi0"), EXIT_OK);
	CHECK(req.compat);
	CHECK_EQ(req.op, OP_IF_ADD);
	CHECK_EQ(req.cmd, VALE_CMD_IF_NEW);
	CHECK_EQ(req.nargs, 1);
	CHECK(has_str(VALE_ATTR_IF_NAME, "vi0", 2, -1));

	CHECK_EQ(parse("-nvi0"), EXIT_OK);	/* getopt's attached argument */
	CHECK(has_str(VALE_ATTR_IF_NAME, "vi0", 1, -1));

	CHECK_EQ(parse("-r vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_IF_DEL);
	CHECK_EQ(req.cmd, VALE_CMD_IF_DEL);
	CHECK(has_str(VALE_ATTR_IF_NAME, "vi0", 2, -1));

	CHECK_EQ(parse("-a vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK_EQ(req.cmd, VALE_CMD_PORT_ATTACH);
	CHECK_EQ(req.nargs, 2);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 2, -1));
	CHECK(has_str(VALE_ATTR_PORT_NAME, "vi0", 2, -1));
	CHECK(!strcmp(words[2], "vale0:vi0"));	/* argv kept as given */

	CHECK_EQ(parse("-h vale0:eth0"), EXIT_OK);
	CHECK(req.compat);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 2, -1));
	CHECK(has_str(VALE_ATTR_PORT_NAME, "eth0", 2, -1));

	CHECK_EQ(parse("-hvale1:eth1"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK(has_str(VALE_ATTR_PORT_NAME, "eth1", 1, -1));

	CHECK_EQ(parse("-d vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_DETACH);
	CHECK_EQ(req.cmd, VALE_CMD_PORT_DETACH);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 2, -1));
	CHECK(has_str(VALE_ATTR_PORT_NAME, "vi0", 2, -1));

	/* the port name is everything after the first colon */
	CHECK_EQ(parse("-a vale0:a:b"), EXIT_OK);
	CHECK(has_str(VALE_ATTR_PORT_NAME, "a:b", 2, -1));

	CHECK_EQ(parse("-l"), EXIT_OK);
	CHECK_EQ(req.op, OP_COMPAT_LIST);
	CHECK_EQ(req.nargs, 0);
	CHECK_EQ(parse("-l vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_COMPAT_LIST);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 2, -1));
	CHECK(has_str(VALE_ATTR_PORT_NAME, "vi0", 2, -1));
	CHECK_EQ(parse("-l vale0"), EXIT_OK);
	CHECK_EQ(req.nargs, 1);
	CHECK(has_str(VALE_ATTR_SWITCH_NAME, "vale0", 2, -1));
	CHECK_EQ(parse("-l -v"), EXIT_OK);
	CHECK_EQ(req.op, OP_COMPAT_LIST);
	CHECK_EQ(req.verbose, 1);

	CHECK_EQ(parse("-v -a vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.verbose, 1);
	CHECK_EQ(parse("-vv -d vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.verbose, 2);
	CHECK_EQ(req.op, OP_PORT_DETACH);
}

static void test_compat_config(void)
{
	/* -C tx_slots[,rx_slots[,tx_rings[,rx_rings]]] */
	CHECK_EQ(parse("-n vi0 -C 1024"), EXIT_OK);
	CHECK_EQ(req.nargs, 3);
	CHECK(has_u32(VALE_ATTR_PORT_TX_SLOTS, 0, 1024, 4, 3));
	CHECK(has_u32(VALE_ATTR_PORT_RX_SLOTS, 0, 1024, 4, 3));

	CHECK_EQ(parse("-C 1024,512 -n vi0"), EXIT_OK);
	CHECK(has_u32(VALE_ATTR_PORT_TX_SLOTS, 0, 1024, 2, 1));
	CHECK(has_u32(VALE_ATTR_PORT_RX_SLOTS, 0, 512, 2, 1));
	CHECK(arg(VALE_ATTR_PORT_TX_RINGS, 0) == NULL);

	CHECK_EQ(parse("-n vi0 -C 1024,512,4"), EXIT_OK);
	CHECK(has_u32(VALE_ATTR_PORT_TX_RINGS, 0, 4, 4, 3));
	CHECK(has_u32(VALE_ATTR_PORT_RX_RINGS, 0, 4, 4, 3));

	CHECK_EQ(parse("-n vi0 -C 0,0,2,3"), EXIT_OK);
	CHECK(arg(VALE_ATTR_PORT_TX_SLOTS, 0) == NULL);	/* 0: the default */
	CHECK(has_u32(VALE_ATTR_PORT_TX_RINGS, 0, 2, 4, 3));
	CHECK(has_u32(VALE_ATTR_PORT_RX_RINGS, 0, 3, 4, 3));

	CHECK_EQ(parse("-n vi0 -C2048"), EXIT_OK);
	CHECK(has_u32(VALE_ATTR_PORT_TX_SLOTS, 0, 2048, 3, 3));

	CHECK_USAGE("-n vi0 -C 1,2,3,4,5", "at most 4 numbers");
	CHECK_USAGE("-n vi0 -C 1,x", "not a list of numbers");
	CHECK_USAGE("-n vi0 -C ,", "no number");
	CHECK_USAGE("-a vale0:vi0 -C 1024", "-C goes with -n");
	CHECK_USAGE("-n vi0 -C", "\"-C\" needs an argument");
}

static void test_compat_errors(void)
{
	CHECK_USAGE("-n", "\"-n\" needs an argument");
	CHECK_USAGE("-a", "\"-a\" needs an argument");
	CHECK_USAGE("-d", "\"-d\" needs an argument");
	CHECK_USAGE("-r", "\"-r\" needs an argument");
	CHECK_USAGE("-a vale0", "expected SWITCH:PORT");
	CHECK_USAGE("-a :vi0", "expected SWITCH:PORT");
	CHECK_USAGE("-a vale0:", "expected SWITCH:PORT");
	CHECK_USAGE("-d vale0", "expected SWITCH:PORT");
	CHECK_USAGE("-h eth0", "expected SWITCH:PORT");
	CHECK_USAGE("-n ''", "empty name");
	CHECK_USAGE("-l eth0", "invalid vale port name");
	CHECK_USAGE("-n vi0 -a vale0:vi0", "one command flag at a time");
	CHECK_USAGE("-n vi0 extra", "unexpected argument \"extra\"");
	CHECK_USAGE("-n vi0 -x", "unknown flag \"-x\"");
	CHECK_USAGE("-n vi0 -j", "unknown flag \"-j\"");
	CHECK_USAGE("-n vi0 --json", "unknown flag \"--json\"");
	CHECK_USAGE("-v", "no command flag");
	CHECK_USAGE("-g vale0:vi0", "vale-ctl -g");
	CHECK_USAGE("-p vale0:vi0", "polling");
	CHECK_USAGE("-P vale0:vi0", "polling");
	CHECK_USAGE("-n vi0 -m 3", "memory ids");
	CHECK_USAGE("-l vale0:vi0 -x", "unknown flag");
	/* the compat usage line */
	CHECK_USAGE("-v", "Usage: valectl [-v] -n IF");
}

static void test_compat_detect(void)
{
	char *a1[] = { "valectl", "-h", NULL };
	char *a2[] = { "valectl", "-h", "switch", NULL };
	char *a3[] = { "valectl", "-h", "vale0:eth0", NULL };
	char *a4[] = { "valectl", "-j", "-l", NULL };
	char *a5[] = { "valectl", "-p", "-j", "switch", NULL };
	char *a6[] = { "valectl", "-p", "vale0:vi0", NULL };
	char *a7[] = { "valectl", "switch", "-n", NULL };
	char *a8[] = { "valectl", "--help", NULL };
	char *a9[] = { "valectl", "-s", "-a", "vale0:x", NULL };

	CHECK(!compat_wanted(2, a1, 1));
	CHECK(!compat_wanted(3, a2, 1));
	CHECK(compat_wanted(3, a3, 1));
	CHECK(compat_wanted(3, a4, 1));
	CHECK(!compat_wanted(4, a5, 1));
	CHECK(compat_wanted(3, a6, 1));
	CHECK(!compat_wanted(3, a7, 1));
	CHECK(!compat_wanted(2, a8, 1));
	CHECK(compat_wanted(4, a9, 1));

	/* mixing valectl's options in: vale-ctl has none of them */
	CHECK_USAGE("-s -a vale0:x", "unknown flag \"-s\"");
	CHECK_USAGE("-j -l", "unknown flag \"-j\"");

	/* called as vale-ctl, no argument lists every port, as vale-ctl does */
	CHECK_EQ(parse_as("/usr/sbin/vale-ctl", ""), EXIT_OK);
	CHECK(req.compat);
	CHECK_EQ(req.op, OP_COMPAT_LIST);
	CHECK_EQ(parse_as("vale-ctl", "-a vale0:vi0"), EXIT_OK);
	CHECK_EQ(req.op, OP_PORT_ATTACH);
	CHECK_EQ(parse_as("vale-ctl", "-h"), EXIT_USAGE);
	CHECK(err_has("\"-h\" needs an argument"));
}

int main(void)
{
	RUN(test_switch);
	RUN(test_switch_errors);
	RUN(test_port);
	RUN(test_port_host);
	RUN(test_port_errors);
	RUN(test_if);
	RUN(test_if_errors);
	RUN(test_lookup);
	RUN(test_lookup_errors);
	RUN(test_fdb);
	RUN(test_monitor);
	RUN(test_words);
	RUN(test_options);
	RUN(test_usage_text);
	RUN(test_compat);
	RUN(test_compat_config);
	RUN(test_compat_errors);
	test_route_flow();
	test_port_names();
	RUN(test_compat_detect);
	test_schema();
	test_output();
	return check_summary();
}
