// SPDX-License-Identifier: GPL-2.0
/*
 * valectl's lookup module schemas (schema.c) without a kernel: schemas
 * built here as the kernel sends them (the learning bridge's, the
 * router's and the flow table's as they declare them, and a module with
 * an attribute of every type), read back, then every type encoded from
 * words and decoded to text and JSON, the errors caught before sending
 * (naming the key, the module and the switch), the show and dump
 * printers, and the rule that every request meant for a module says
 * which (VALE_ATTR_LOOKUP_NAME).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "schema.h"
#include "test.h"

/* ---- schemas as the kernel sends them ---------------------------------------------- */

struct tattr {
	const char *name;
	uint16_t id, type;
	uint32_t flags;
	uint64_t min, max;
	const char *doc;
	const char *const *values;
};

struct ttable {
	const char *name, *doc;
};

#define SET	VALE_SCHEMA_F_SETTING
#define ACT	VALE_SCHEMA_F_ACTION
#define DUMP	VALE_SCHEMA_F_DUMP_ONLY

static const struct tattr learn_attrs[] = {
	{ "ageing", VALE_LEARN_AGEING, VALE_TYPE_U32, SET, 1, 1000000,
	  "seconds an address is remembered unseen", NULL },
	{ "flush", VALE_LEARN_FLUSH, VALE_TYPE_FLAG, ACT, 0, 0, "forget every address", NULL },
	{ "mac", VALE_LEARN_MAC, VALE_TYPE_MAC, DUMP, 0, 0, "an address", NULL },
	{ "port", VALE_LEARN_PORT, VALE_TYPE_PORT, DUMP, 0, 0, "where it was seen", NULL },
	{ "age", VALE_LEARN_AGE, VALE_TYPE_U32, DUMP, 0, 0, "seconds since seen", NULL },
	{ "confirmed", VALE_LEARN_CONFIRMED, VALE_TYPE_FLAG, DUMP, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

static const struct ttable learn_tables[] = {
	{ "fdb", "learned addresses: mac, port, age, confirmed" }, { NULL, NULL },
};

static const char *const l3_ops[] = {
	"unspec", "port_set", "port_del", "addr_add", "addr_del", "route_add", "route_del",
	"neigh_add", "neigh_del", "flush", "stats", NULL,
};

static const struct tattr l3_attrs[] = {
	{ "op", VALE_L3_ATTR_OP, VALE_TYPE_U32, 0, 0, 0, "the operation", l3_ops },
	{ "port", VALE_L3_ATTR_PORT, VALE_TYPE_PORT, 0, 0, 0, NULL, NULL },
	{ "mac", VALE_L3_ATTR_MAC, VALE_TYPE_MAC, 0, 0, 0, NULL, NULL },
	{ "addr", VALE_L3_ATTR_ADDR, VALE_TYPE_IP, 0, 0, 0, NULL, NULL },
	{ "prefix", VALE_L3_ATTR_PREFIX, VALE_TYPE_IP, 0, 0, 0, NULL, NULL },
	{ "prefix_len", VALE_L3_ATTR_PREFIX_LEN, VALE_TYPE_U8, 0, 0, 128, NULL, NULL },
	{ "gateway", VALE_L3_ATTR_GATEWAY, VALE_TYPE_IP, 0, 0, 0, NULL, NULL },
	{ "stats", VALE_L3_ATTR_STATS, VALE_TYPE_NESTED, DUMP, 0, 0, "counters", NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

static const struct ttable l3_tables[] = {
	{ "stats", NULL }, { "ports", NULL }, { "addresses", NULL }, { "neighbours", NULL },
	{ "routes", NULL }, { NULL, NULL },
};

static const char *const of_ops[] = {
	"unspec", "flow_add", "flow_mod", "flow_del", "miss_set", "controller_set", "emc_set",
	"table", "flow", NULL,
};

static const struct tattr of_attrs[] = {
	{ "op", VALE_OF_ATTR_OP, VALE_TYPE_U32, 0, 0, 0, NULL, of_ops },
	{ "match", VALE_OF_ATTR_MATCH, VALE_TYPE_NESTED, 0, 0, 0, NULL, NULL },
	{ "priority", VALE_OF_ATTR_PRIORITY, VALE_TYPE_U32, 0, 0, 65535, NULL, NULL },
	{ "cookie", VALE_OF_ATTR_COOKIE, VALE_TYPE_U64, 0, 0, 0, NULL, NULL },
	{ "actions", VALE_OF_ATTR_ACTIONS, VALE_TYPE_NESTED, 0, 0, 0, NULL, NULL },
	{ "strict", VALE_OF_ATTR_STRICT, VALE_TYPE_FLAG, 0, 0, 0, NULL, NULL },
	{ "controller", VALE_OF_ATTR_CONTROLLER, VALE_TYPE_U32, SET, 0, 255,
	  "the controller's port, 255: none", NULL },
	{ "emc", VALE_OF_ATTR_EMC, VALE_TYPE_U8, SET, 0, 1, "the exact-match cache", NULL },
	{ "stats", VALE_OF_ATTR_STATS, VALE_TYPE_NESTED, DUMP, 0, 0, NULL, NULL },
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

static const struct ttable of_tables[] = { { "table", NULL }, { "flows", NULL }, { NULL, NULL } };

/* A module with a setting of every type. */
static const char *const modes[] = { "off", "on", "auto", NULL };

static const struct tattr all_attrs[] = {
	{ "f", 1, VALE_TYPE_FLAG, SET, 0, 0, NULL, NULL },
	{ "b", 2, VALE_TYPE_U8, SET, 1, 10, NULL, NULL },
	{ "w", 3, VALE_TYPE_U16, SET, 0, 0, NULL, NULL },
	{ "mode", 4, VALE_TYPE_U32, SET, 0, 2, NULL, modes },
	{ "q", 5, VALE_TYPE_U64, SET, 0, 0, NULL, NULL },
	{ "s", 6, VALE_TYPE_STRING, SET, 0, 8, NULL, NULL },
	{ "m", 7, VALE_TYPE_MAC, SET, 0, 0, NULL, NULL },
	{ "ip", 8, VALE_TYPE_IP, SET, 0, 0, NULL, NULL },
	{ "pt", 9, VALE_TYPE_PORT, SET, 0, 0, NULL, NULL },
	{ "bin", 10, VALE_TYPE_BINARY, SET, 2, 4, NULL, NULL },
	{ "big", 11, VALE_TYPE_BINARY, SET, 20, 40, NULL, NULL },
	{ "n", 12, VALE_TYPE_NESTED, SET, 0, 0, NULL, NULL },
	{ "reset", 13, VALE_TYPE_FLAG, ACT, 0, 0, NULL, NULL },
	{ "hits", 14, VALE_TYPE_U64, DUMP, 0, 0, NULL, NULL },
	{ "str", 15, VALE_TYPE_STRING, 0, 0, 0, NULL, NULL },
	{ "odd", 16, 99, SET, 0, 0, NULL, NULL },	/* a type of a newer kernel */
	{ NULL, 0, 0, 0, 0, 0, NULL, NULL },
};

static const struct ttable all_tables[] = { { "things", "one row per thing" }, { NULL, NULL } };

static union {
	char buf[16384];
	struct nlmsghdr align;
} msg;

static struct nlmsghdr *genl_msg(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x1234;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VALE_GENL_VERSION;
	return nlh;
}

static struct nlmsghdr *schema_msg(const char *module, const struct tattr *attrs,
				   const struct ttable *tables)
{
	struct nlmsghdr *nlh = genl_msg(msg.buf, VALE_CMD_LOOKUP_SCHEMA);
	const struct tattr *t;
	const struct ttable *tt;

	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, module);
	for (t = attrs; t && t->name; t++) {
		struct nlattr *n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_ATTR);
		const char *const *v;

		mnl_attr_put_strz(nlh, VALE_SCHEMA_NAME, t->name);
		mnl_attr_put_u32(nlh, VALE_SCHEMA_ID, t->id);
		mnl_attr_put_u32(nlh, VALE_SCHEMA_TYPE, t->type);
		mnl_attr_put_u32(nlh, VALE_SCHEMA_FLAGS, t->flags);
		mnl_attr_put_u64(nlh, VALE_SCHEMA_LOW, t->min);
		mnl_attr_put_u64(nlh, VALE_SCHEMA_HIGH, t->max);
		if (t->doc)
			mnl_attr_put_strz(nlh, VALE_SCHEMA_DOC, t->doc);
		for (v = t->values; v && *v; v++)
			mnl_attr_put_strz(nlh, VALE_SCHEMA_VALUE_NAME, *v);
		mnl_attr_nest_end(nlh, n);
	}
	for (tt = tables; tt && tt->name; tt++) {
		struct nlattr *n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_TABLE_DEF);

		mnl_attr_put_strz(nlh, VALE_SCHEMA_NAME, tt->name);
		if (tt->doc)
			mnl_attr_put_strz(nlh, VALE_SCHEMA_DOC, tt->doc);
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

/* The schema of one of the modules above, read as valectl reads it. */
int test_schema_of(const char *module, struct schema *s)
{
	static const struct {
		const char *module;
		const struct tattr *attrs;
		const struct ttable *tables;
	} mods[] = {
		{ "learn", learn_attrs, learn_tables }, { "l3", l3_attrs, l3_tables },
		{ "of", of_attrs, of_tables }, { "all", all_attrs, all_tables },
		{ "hello", NULL, NULL },
	};
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++)
		if (!strcmp(mods[i].module, module))
			return schema_parse(schema_msg(module, mods[i].attrs, mods[i].tables), s);
	return -1;
}

void test_schema_set(struct schema_set *set)
{
	static const char *const mods[] = { "learn", "l3", "of", "all", "hello" };
	struct schema s;
	size_t i;

	memset(set, 0, sizeof(*set));
	for (i = 0; i < sizeof(mods) / sizeof(mods[0]); i++) {
		CHECK_EQ(test_schema_of(mods[i], &s), 0);
		CHECK_EQ(schema_set_add(set, &s), 0);
	}
}

/* ---- reading ---------------------------------------------------------------------------- */

static void test_schema_read(void)
{
	struct nlmsghdr *nlh;
	const struct schema_attr *a;
	struct schema s;
	struct nlattr *n;

	CHECK_EQ(test_schema_of("learn", &s), 0);
	CHECK(!strcmp(s.module, "learn"));
	CHECK_EQ(s.nattrs, 6);
	CHECK_EQ(s.ntables, 1);
	a = schema_attr_by_name(&s, "ageing");
	CHECK(a && a->id == VALE_LEARN_AGEING && a->type == VALE_TYPE_U32 && a->flags == SET &&
	      a->min == 1 && a->max == 1000000 && a->doc && !strcmp(a->doc,
	      "seconds an address is remembered unseen") && a->nvalues == 0);
	CHECK(schema_attr_by_id(&s, VALE_LEARN_CONFIRMED) == &s.attrs[5]);
	CHECK(schema_attr_by_id(&s, 77) == NULL);
	CHECK(schema_attr_by_name(&s, "agein") == NULL);
	CHECK(!strcmp(schema_table_by_name(&s, "fdb")->doc,
		      "learned addresses: mac, port, age, confirmed"));
	CHECK(schema_table_by_name(&s, "routes") == NULL);
	schema_free(&s);
	CHECK(s.module == NULL && s.nattrs == 0 && s.attrs == NULL);

	CHECK_EQ(test_schema_of("l3", &s), 0);
	a = schema_attr_by_name(&s, "op");
	CHECK(a && a->nvalues == 11 && !strcmp(a->values[5], "route_add"));
	CHECK_EQ(s.ntables, 5);
	schema_free(&s);

	/* a module that declares nothing: a schema all the same */
	CHECK_EQ(test_schema_of("hello", &s), 0);
	CHECK(!strcmp(s.module, "hello") && s.nattrs == 0 && s.ntables == 0);
	schema_free(&s);

	/* ranges: 0, 0 is the type's whole range; a port's is 0 .. 253 */
	CHECK_EQ(test_schema_of("all", &s), 0);
	{
		uint64_t min, max;

		schema_range(schema_attr_by_name(&s, "w"), &min, &max);
		CHECK(min == 0 && max == 65535);
		schema_range(schema_attr_by_name(&s, "q"), &min, &max);
		CHECK(min == 0 && max == UINT64_MAX);
		schema_range(schema_attr_by_name(&s, "pt"), &min, &max);
		CHECK(min == 0 && max == 253);
		schema_range(schema_attr_by_name(&s, "b"), &min, &max);
		CHECK(min == 1 && max == 10);
		schema_range(schema_attr_by_name(&s, "str"), &min, &max);
		CHECK(max == 255);
	}
	CHECK(!strcmp(schema_type_name(VALE_TYPE_PORT), "port"));
	CHECK(!strcmp(schema_type_name(99), "type 99"));
	schema_free(&s);

	/* malformed: no module name; an attribute without its id */
	nlh = genl_msg(msg.buf, VALE_CMD_LOOKUP_SCHEMA);
	mnl_attr_put_u32(nlh, VALE_ATTR_SWITCH_INDEX, 1);
	CHECK_EQ(schema_parse(nlh, &s), -1);
	CHECK(s.module == NULL);
	nlh = genl_msg(msg.buf, VALE_CMD_LOOKUP_SCHEMA);
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, "x");
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_ATTR);
	mnl_attr_put_strz(nlh, VALE_SCHEMA_NAME, "y");
	mnl_attr_put_u32(nlh, VALE_SCHEMA_TYPE, VALE_TYPE_U32);
	mnl_attr_nest_end(nlh, n);
	CHECK_EQ(schema_parse(nlh, &s), -1);
	/* a name without its NUL */
	nlh = genl_msg(msg.buf, VALE_CMD_LOOKUP_SCHEMA);
	mnl_attr_put(nlh, VALE_ATTR_LOOKUP_NAME, 3, "abc");
	CHECK_EQ(schema_parse(nlh, &s), -1);
	/* what a newer kernel adds is skipped */
	nlh = genl_msg(msg.buf, VALE_CMD_LOOKUP_SCHEMA);
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, "x");
	mnl_attr_put_u32(nlh, VALE_ATTR_MAX + 3, 1);
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_ATTR);
	mnl_attr_put_strz(nlh, VALE_SCHEMA_NAME, "y");
	mnl_attr_put_u32(nlh, VALE_SCHEMA_ID, 4);
	mnl_attr_put_u32(nlh, VALE_SCHEMA_TYPE, VALE_TYPE_U32);
	mnl_attr_put_u32(nlh, VALE_SCHEMA_MAX + 2, 7);
	mnl_attr_nest_end(nlh, n);
	CHECK_EQ(schema_parse(nlh, &s), 0);
	CHECK(s.nattrs == 1 && s.attrs[0].id == 4 && s.attrs[0].flags == 0);
	schema_free(&s);
}

static int loads;

static int fake_load(void *ctx, const char *module, struct schema *out)
{
	(void)ctx;
	loads++;
	return test_schema_of(module, out);
}

static void test_schema_sets(void)
{
	struct schema_set set = { 0, NULL, fake_load, NULL };

	loads = 0;
	CHECK(schema_set_get(&set, "learn") != NULL);
	CHECK(schema_set_get(&set, "learn") == &set.s[0]);
	CHECK_EQ(loads, 1);
	/* one the loader cannot give is remembered, not asked again */
	CHECK(schema_set_get(&set, "nosuch") == NULL);
	CHECK(schema_set_get(&set, "nosuch") == NULL);
	CHECK_EQ(loads, 2);
	CHECK(schema_set_get(&set, NULL) == NULL);
	CHECK(!strcmp(schema_set_get(&set, "of")->module, "of"));
	CHECK_EQ(set.n, 3);
	schema_set_free(&set);
	CHECK(set.n == 0 && set.s == NULL);

	/* without a loader, only what it holds */
	test_schema_set(&set);
	CHECK(schema_set_get(&set, "l3") != NULL);
	CHECK(schema_set_get(&set, "hello") != NULL);
	CHECK(schema_set_get(&set, "nosuch") == NULL);
	schema_set_free(&set);
}

/* ---- encoding ------------------------------------------------------------------------------- */

static char errout[4096];

/* "lookup config SWITCH WORDS" with the schema of module: the exit status
 * of parsing then encoding, the errors in errout. */
static int encode(const char *module, const char *line, struct schema *s)
{
	FILE *err;
	int ret;

	errout[0] = '\0';
	if (test_schema_of(module, s) < 0)
		return -1;
	ret = parse(line);
	if (ret != EXIT_OK)
		return ret;
	err = fmemopen(errout, sizeof(errout), "w");
	ret = schema_encode_config(s, vctl_str(&req, VALE_ATTR_SWITCH_NAME), &req, err);
	fclose(err);
	return ret;
}

static bool err_is(const char *want)
{
	if (!strcmp(errout, want))
		return true;
	fprintf(stderr, "  got:  %s  want: %s\n", errout, want);
	return false;
}

static bool err_says(const char *want)
{
	if (strstr(errout, want))
		return true;
	fprintf(stderr, "  \"%s\" not in: %s", want, errout);
	return false;
}

static union {
	char buf[NL_TXSIZE];
	struct nlmsghdr align;
} tx;

/* The top-level attribute t of the request built from req (the first). */
static const struct nlattr *top(const struct nlmsghdr *nlh, uint16_t t)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == t)
			return a;
	return NULL;
}

static int nattrs(const struct nlattr *nest)
{
	const struct nlattr *a;
	int n = 0;

	mnl_attr_for_each_nested(a, nest)
		n++;
	return n;
}

static void test_encode_learn(void)
{
	struct nl_attrmap map;
	struct nlmsghdr *nlh;
	const struct nlattr *cfg, *a;
	struct schema s;

	CHECK_EQ(encode("learn", "lookup config vale0 ageing 300", &s), EXIT_OK);
	CHECK(err_is(""));
	nlh = nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), &map);
	CHECK_EQ(((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd, VALE_CMD_LOOKUP_CONFIG);
	CHECK(!strcmp(mnl_attr_get_str(top(nlh, VALE_ATTR_SWITCH_NAME)), "vale0"));
	CHECK(!strcmp(mnl_attr_get_str(top(nlh, VALE_ATTR_LOOKUP_NAME)), "learn"));
	cfg = top(nlh, VALE_ATTR_LOOKUP_CONFIG);
	CHECK(cfg && nattrs(cfg) == 1);
	a = in(cfg, VALE_LEARN_AGEING);
	CHECK(a && mnl_attr_get_payload_len(a) == 4 && mnl_attr_get_u32(a) == 300);
	schema_free(&s);

	/* a unique prefix of a setting; the action, a flag alone; any order */
	CHECK_EQ(encode("learn", "lookup config vale0 flush ag 0x10", &s), EXIT_OK);
	nlh = nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), &map);
	cfg = top(nlh, VALE_ATTR_LOOKUP_CONFIG);
	CHECK_EQ(nattrs(cfg), 2);
	CHECK(in(cfg, VALE_LEARN_FLUSH) && mnl_attr_get_payload_len(in(cfg, VALE_LEARN_FLUSH)) == 0);
	CHECK_EQ(mnl_attr_get_u32(in(cfg, VALE_LEARN_AGEING)), 16);
	schema_free(&s);

	/* the kernel's extack points back at "ageing 0", whether at the
	 * setting or at the nest, and at the switch for the module */
	CHECK_EQ(encode("learn", "lookup config vale0 ageing 1000000", &s), EXIT_OK);
	nlh = nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), &map);
	{
		static union {
			char buf[16384];
			struct nlmsghdr align;
		} rb;
		const struct nlattr *name = top(nlh, VALE_ATTR_LOOKUP_NAME);
		struct nlmsghdr *err;

		cfg = top(nlh, VALE_ATTR_LOOKUP_CONFIG);
		a = in(cfg, VALE_LEARN_AGEING);
		err = make_error(rb.buf, nlh, ERANGE, true, "value out of range",
				 (const char *)a - (const char *)nlh, -1);
		CHECK(!strcmp(format(&map, err), "Error: value out of range (argument "
				 "\"ageing 1000000\"): Numerical result out of range"));
		err = make_error(rb.buf, nlh, EINVAL, true, "bad config",
				 (const char *)cfg - (const char *)nlh, -1);
		CHECK(strstr(format(&map, err), "(argument \"ageing 1000000\")") != NULL);
		err = make_error(rb.buf, nlh, EOPNOTSUPP, true, "switch vale0 runs l3",
				 (const char *)name - (const char *)nlh, -1);
		CHECK(!strcmp(format(&map, err), "Error: switch vale0 runs l3 (argument "
				 "\"vale0\"): Operation not supported"));
	}
	schema_free(&s);
}

static void test_encode_every_type(void)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 1 }, v6[16] = { 0xfd, [15] = 1 };
	static const uint8_t bin[3] = { 0x0a, 0x0b, 0xcc };
	struct port_names names;
	struct nlmsghdr *nlh;
	const struct nlattr *cfg, *a;
	struct schema s;
	uint8_t big[40];
	char line[512];
	int i;

	for (i = 0; i < 40; i++)
		big[i] = (uint8_t)i;
	snprintf(line, sizeof(line), "lookup config vale0 f b 10 w 0xffff mode auto q "
		 "18446744073709551615 s abcdefgh m 02:00:00:00:00:01 ip fd00::1 pt 253 "
		 "bin 0a:0b:CC big 0x%s reset",
		 "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627");
	CHECK_EQ(encode("all", line, &s), EXIT_OK);
	CHECK(err_is(""));
	nlh = nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL);
	CHECK(!strcmp(mnl_attr_get_str(top(nlh, VALE_ATTR_LOOKUP_NAME)), "all"));
	cfg = top(nlh, VALE_ATTR_LOOKUP_CONFIG);
	CHECK_EQ(nattrs(cfg), 12);
	CHECK(mnl_attr_get_payload_len(in(cfg, 1)) == 0);
	a = in(cfg, 2);
	CHECK(mnl_attr_get_payload_len(a) == 1 && mnl_attr_get_u8(a) == 10);
	a = in(cfg, 3);
	CHECK(mnl_attr_get_payload_len(a) == 2 && mnl_attr_get_u16(a) == 0xffff);
	a = in(cfg, 4);
	CHECK(mnl_attr_get_payload_len(a) == 4 && mnl_attr_get_u32(a) == 2);	/* "auto" */
	a = in(cfg, 5);
	CHECK(mnl_attr_get_payload_len(a) == 8 && mnl_attr_get_u64(a) == UINT64_MAX);
	a = in(cfg, 6);
	CHECK(mnl_attr_get_payload_len(a) == 9 && !strcmp(mnl_attr_get_str(a), "abcdefgh"));
	a = in(cfg, 7);
	CHECK(mnl_attr_get_payload_len(a) == 6 && !memcmp(mnl_attr_get_payload(a), mac, 6));
	a = in(cfg, 8);
	CHECK(mnl_attr_get_payload_len(a) == 16 && !memcmp(mnl_attr_get_payload(a), v6, 16));
	a = in(cfg, 9);
	CHECK(mnl_attr_get_payload_len(a) == 4 && mnl_attr_get_u32(a) == 253);
	a = in(cfg, 10);
	CHECK(mnl_attr_get_payload_len(a) == 3 && !memcmp(mnl_attr_get_payload(a), bin, 3));
	a = in(cfg, 11);	/* longer than an argument holds: in the request's blob */
	CHECK(mnl_attr_get_payload_len(a) == 40 && !memcmp(mnl_attr_get_payload(a), big, 40));
	CHECK(mnl_attr_get_payload_len(in(cfg, 13)) == 0);
	schema_free(&s);

	/* IPv4; the smallest of each range; a value given by number too */
	CHECK_EQ(encode("all", "lookup config vale0 ip 10.0.0.1 b 1 w 0 mode 1 pt 0 s ''", &s),
		 EXIT_OK);
	cfg = top(nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL),
		  VALE_ATTR_LOOKUP_CONFIG);
	CHECK_EQ(mnl_attr_get_payload_len(in(cfg, 8)), 4);
	CHECK_EQ(mnl_attr_get_u32(in(cfg, 4)), 1);
	CHECK_EQ(mnl_attr_get_payload_len(in(cfg, 6)), 1);	/* "": its NUL */
	schema_free(&s);

	/* a port by name: resolved afterwards, as the router's ports are */
	CHECK_EQ(encode("all", "lookup config vale0 pt eth0^", &s), EXIT_OK);
	names.n = 1;
	names.e = calloc(1, sizeof(names.e[0]));
	names.e[0].index = 7;
	strcpy(names.e[0].name, "eth0^");
	CHECK_EQ(vctl_resolve_ports(&req, names_resolver, &names, stderr), EXIT_OK);
	cfg = top(nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL),
		  VALE_ATTR_LOOKUP_CONFIG);
	CHECK_EQ(mnl_attr_get_u32(in(cfg, 9)), 7);
	free(names.e);
	schema_free(&s);

	/* the controller of the flow table: a setting, sent without an op */
	CHECK_EQ(encode("of", "lookup config vale0 controller 255 emc 1", &s), EXIT_OK);
	cfg = top(nl_build(&req, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL),
		  VALE_ATTR_LOOKUP_CONFIG);
	CHECK(nattrs(cfg) == 2 && !in(cfg, VALE_OF_ATTR_OP));
	CHECK_EQ(mnl_attr_get_u8(in(cfg, VALE_OF_ATTR_EMC)), 1);
	schema_free(&s);
}

#define CHECK_ENCODE_ERR(module, line, says) do {			\
	struct schema _s;						\
	CHECK_EQ(encode(module, line, &_s), EXIT_ERR);			\
	CHECK(err_says(says));						\
	schema_free(&_s);						\
} while (0)

static void test_encode_errors(void)
{
	struct schema s;

	/* the data-loss bug: learn's ageing meant for an l3 or of switch */
	CHECK_EQ(encode("l3", "lookup config vale1 ageing 9", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"l3\" of switch vale1 has no setting \"ageing\" "
		     "(settings: none)\n"));
	schema_free(&s);
	CHECK_EQ(encode("of", "lookup config vale2 ageing 3", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"of\" of switch vale2 has no setting \"ageing\" "
		     "(settings: controller, emc)\n"));
	schema_free(&s);
	CHECK_EQ(encode("hello", "lookup config vale3 ageing 3", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"hello\" of switch vale3 has no setting \"ageing\" "
		     "(settings: none)\n"));
	schema_free(&s);
	CHECK_EQ(encode("learn", "lookup config vale0 hash 7", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"learn\" of switch vale0 has no setting \"hash\" "
		     "(settings: ageing; actions: flush)\n"));
	schema_free(&s);

	/* what is no setting: the module's own commands, its dumps */
	CHECK_EQ(encode("l3", "lookup config vale1 op 9", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"l3\" of switch vale1: \"op\" is not a setting "
		     "(settings: none); \"valectl route\", \"neigh\", \"addr\" and \"router\" "
		     "configure it\n"));
	schema_free(&s);
	CHECK_ENCODE_ERR("of", "lookup config vale2 priority 5", "\"valectl flow\" configures it");
	CHECK_ENCODE_ERR("all", "lookup config vale2 str x", "\"str\" is not a setting "
			 "(settings: f, b, w, mode, q, s, m, ip, pt, bin, big, n, odd; actions: "
			 "reset); only a tool of its own configures it");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 age 5", "lookup module \"learn\" of switch "
			 "vale0: \"age\" is only reported in its tables (valectl lookup dump vale0)");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 confirmed", "only reported in its tables");
	CHECK_ENCODE_ERR("all", "lookup config vale0 n 01", "\"n\" is nested");

	/* values */
	CHECK_EQ(encode("learn", "lookup config vale0 ageing 0", &s), EXIT_ERR);
	CHECK(err_is("Error: lookup module \"learn\" of switch vale0: \"ageing 0\": a number "
		     "from 1 to 1000000\n"));
	schema_free(&s);
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing 1000001", "a number from 1 to 1000000");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing soon", "\"ageing soon\": a number");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing -1", "a number");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing 99999999999999999999",
			 "a number from 1 to 1000000");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing", "\"ageing\" needs a value: a number "
			 "from 1 to 1000000");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing 1 ageing 2", "\"ageing\" given twice");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 ageing 1 ag 2", "\"ageing\" given twice");
	CHECK_ENCODE_ERR("learn", "lookup config vale0 flush 1", "has no setting \"1\"");
	CHECK_ENCODE_ERR("of", "lookup config vale0 controller 256", "a number from 0 to 255");
	CHECK_ENCODE_ERR("all", "lookup config vale0 b 11", "\"b 11\": a number from 1 to 10");
	CHECK_ENCODE_ERR("all", "lookup config vale0 b 0", "a number from 1 to 10");
	CHECK_ENCODE_ERR("all", "lookup config vale0 w 65536", "a number from 0 to 65535");
	CHECK_ENCODE_ERR("all", "lookup config vale0 mode maybe", "\"mode maybe\": a number from 0 "
			 "to 2, or one of: off, on, auto");
	CHECK_ENCODE_ERR("all", "lookup config vale0 mode 3", "or one of: off, on, auto");
	CHECK_ENCODE_ERR("all", "lookup config vale0 s abcdefghi", "a string of at most 8 bytes");
	CHECK_ENCODE_ERR("all", "lookup config vale0 m 02:00", "a MAC address");
	CHECK_ENCODE_ERR("all", "lookup config vale0 ip 10.1", "an IPv4 or IPv6 address");
	CHECK_ENCODE_ERR("all", "lookup config vale0 pt 254", "a port number from 0 to 253, or a "
			 "port name");
	CHECK_ENCODE_ERR("all", "lookup config vale0 bin 0a", "2 to 4 bytes in hex");
	CHECK_ENCODE_ERR("all", "lookup config vale0 bin 0a0b0c0d0e", "2 to 4 bytes in hex");
	CHECK_ENCODE_ERR("all", "lookup config vale0 bin 0a0", "2 to 4 bytes in hex");
	CHECK_ENCODE_ERR("all", "lookup config vale0 bin xyz1", "2 to 4 bytes in hex");
	CHECK_ENCODE_ERR("all", "lookup config vale0 odd 1", "a value of type 99, which valectl "
			 "does not know");
	/* a prefix of two settings */
	CHECK_ENCODE_ERR("all", "lookup config vale0 bi 0a0b", "\"bi\" is ambiguous");
}

/* ---- decoding -------------------------------------------------------------------------------- */

static union {
	char buf[8192];
	struct nlmsghdr align;
} rep;

static char *out;
static size_t outlen;

static FILE *out_open(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static bool out_is(const char *want)
{
	if (out && !strcmp(out, want))
		return true;
	fprintf(stderr, "  got:\n%s  want:\n%s", out ? out : "(null)", want);
	return false;
}

/* A nest of every type of "all", as a dump row or a SWITCH_GET reply has it. */
static struct nlattr *every_value(struct nlmsghdr *nlh)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0xab }, v4[4] = { 10, 0, 0, 1 };
	static const uint8_t bin[2] = { 0xde, 0xad };
	struct nlattr *n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG), *in;

	mnl_attr_put(nlh, 1, 0, NULL);
	mnl_attr_put_u8(nlh, 2, 5);
	mnl_attr_put_u16(nlh, 3, 300);
	mnl_attr_put_u32(nlh, 4, 2);
	mnl_attr_put_u64(nlh, 5, 1ull << 40);
	mnl_attr_put_strz(nlh, 6, "a b");
	mnl_attr_put(nlh, 7, 6, mac);
	mnl_attr_put(nlh, 8, 4, v4);
	mnl_attr_put_u32(nlh, 9, 1);
	mnl_attr_put(nlh, 10, 2, bin);
	in = mnl_attr_nest_start(nlh, 12);
	mnl_attr_put_u32(nlh, 1, 1);
	mnl_attr_nest_end(nlh, in);
	mnl_attr_put_u64(nlh, 14, 42);
	mnl_attr_put_u32(nlh, 77, 0x01020304);	/* undeclared */
	mnl_attr_put_u16(nlh, 9, 1);		/* a port of the wrong size */
	mnl_attr_nest_end(nlh, n);
	return n;
}

static struct port_names *two_names(void)
{
	static struct port_names names;
	static typeof(*names.e) e[2] = { { 1, "a" }, { 2, "2" } };

	names.n = 2;
	names.e = e;
	return &names;
}

static void test_decode(void)
{
	const struct schema_attr *a;
	struct nlmsghdr *nlh;
	struct nlattr *cfg;
	struct schema s;
	struct jw w;
	char buf[1024];
	FILE *f;

	CHECK_EQ(test_schema_of("all", &s), 0);
	nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	cfg = every_value(nlh);

	schema_row_text(buf, sizeof(buf), &s, cfg, two_names());
	CHECK(!strcmp(buf, "f b=5 w=300 mode=auto q=1099511627776 s=\"a b\" m=02:00:00:00:00:ab "
		      "ip=10.0.0.1 pt=a bin=dead n=<nested, 8 bytes> hits=42 attr77=04030201 "
		      "pt=0100"));
	/* -N: ports by number */
	schema_row_text(buf, sizeof(buf), &s, cfg, NULL);
	CHECK(strstr(buf, " pt=1 ") != NULL);

	f = out_open();
	jw_init(&w, f, false);
	jw_obj_open(&w, NULL);
	schema_row_json(&w, &s, cfg, two_names());
	jw_obj_close(&w);
	fclose(f);
	CHECK(out_is("{\"f\":true,\"b\":5,\"w\":300,\"mode\":\"auto\",\"q\":1099511627776,"
		     "\"s\":\"a b\",\"m\":\"02:00:00:00:00:ab\",\"ip\":\"10.0.0.1\",\"pt\":1,"
		     "\"pt_name\":\"a\",\"bin\":\"dead\",\"n\":\"<nested, 8 bytes>\",\"hits\":42,"
		     "\"attr77\":\"04030201\",\"pt\":\"0100\"}"));

	/* settings: the declared ones, as the words of lookup config */
	schema_settings_text(buf, sizeof(buf), &s, cfg, NULL);
	CHECK(!strcmp(buf, "f b 5 w 300 mode auto q 1099511627776 s \"a b\" m 02:00:00:00:00:ab "
		      "ip 10.0.0.1 pt 1 bin dead n <nested, 8 bytes> hits 42 pt 0100"));
	schema_settings_text(buf, sizeof(buf), NULL, cfg, NULL);
	CHECK(!strcmp(buf, ""));
	schema_settings_text(buf, 10, &s, cfg, NULL);	/* cut, never overrun */
	CHECK(strlen(buf) == 9);

	/* one value at a time; a port whose name is a number is printed by number */
	a = schema_attr_by_name(&s, "pt");
	nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	mnl_attr_put_u32(nlh, 9, 2);
	schema_format_value(buf, sizeof(buf), a,
			    (const struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN),
			    two_names());
	CHECK(!strcmp(buf, "2"));
	/* a value with no name (past the names) as a number */
	a = schema_attr_by_name(&s, "mode");
	nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	mnl_attr_put_u32(nlh, 4, 7);
	schema_format_value(buf, sizeof(buf), a,
			    (const struct nlattr *)((char *)nlh + NLMSG_HDRLEN + GENL_HDRLEN), NULL);
	CHECK(!strcmp(buf, "7"));
	schema_free(&s);

	/* l3's operations by name */
	CHECK_EQ(test_schema_of("l3", &s), 0);
	nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	cfg = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put_u32(nlh, VALE_L3_ATTR_OP, VALE_L3_OP_ROUTE_ADD);
	{
		static const uint8_t p[16] = { 0xfd, 0, 0, 2 };

		mnl_attr_put(nlh, VALE_L3_ATTR_PREFIX, 16, p);
	}
	mnl_attr_put_u8(nlh, VALE_L3_ATTR_PREFIX_LEN, 64);
	mnl_attr_put_u32(nlh, VALE_L3_ATTR_PORT, 2);
	mnl_attr_nest_end(nlh, cfg);
	schema_row_text(buf, sizeof(buf), &s, cfg, NULL);
	CHECK(!strcmp(buf, "op=route_add prefix=fd00:2:: prefix_len=64 port=2"));
	schema_free(&s);
}

/* ---- lookup show, lookup dump, lookup schema ------------------------------------------------- */

static struct nlmsghdr *switch_get(const char *sw, const char *module, bool learn)
{
	struct nlmsghdr *nlh = genl_msg(rep.buf, VALE_CMD_SWITCH_GET);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, sw);
	mnl_attr_put_u32(nlh, VALE_ATTR_SWITCH_INDEX, 3);
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, module);
	if (learn) {
		n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
		mnl_attr_put_u32(nlh, VALE_LEARN_AGEING, 60);
		mnl_attr_nest_end(nlh, n);
	}
	return nlh;
}

static void test_lookup_show(void)
{
	struct schema_set set;
	struct printer p;
	struct nlmsghdr *nlh;
	struct nlattr *n;
	FILE *f;

	test_schema_set(&set);
	CHECK_EQ(parse("lookup show vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_SHOW);
	CHECK_EQ(req.cmd, VALE_CMD_SWITCH_GET);
	CHECK(!req.dump);
	f = out_open();
	printer_begin(&p, &req, f, NULL, 0, "");
	p.schemas = &set;
	lookup_show_cb(switch_get("vale0", "learn", true), &p);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("lookup learn\nageing 60\n"));

	/* every type, ports by name; a module without settings */
	f = out_open();
	printer_begin(&p, &req, f, NULL, 0, "");
	p.schemas = &set;
	p.names = two_names();
	nlh = switch_get("vale0", "all", false);
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put(nlh, 1, 0, NULL);
	mnl_attr_put_u32(nlh, 4, 0);
	mnl_attr_put_u32(nlh, 9, 1);
	mnl_attr_put_u32(nlh, 99, 1);	/* undeclared: left out */
	mnl_attr_nest_end(nlh, n);
	lookup_show_cb(nlh, &p);
	lookup_show_cb(switch_get("vale1", "l3", false), &p);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("lookup all\nf\nmode off\npt a\nlookup l3\n"));

	CHECK_EQ(parse("-j lookup show vale0"), EXIT_OK);
	f = out_open();
	printer_begin(&p, &req, f, NULL, 0, "");
	p.schemas = &set;
	lookup_show_cb(switch_get("vale0", "learn", true), &p);
	lookup_show_cb(switch_get("vale1", "l3", false), &p);
	/* a module whose schema valectl could not read: its name, no settings */
	lookup_show_cb(switch_get("vale2", "nosuch", true), &p);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("[{\"switch\":\"vale0\",\"lookup\":\"learn\",\"config\":{\"ageing\":60}},"
		     "{\"switch\":\"vale1\",\"lookup\":\"l3\",\"config\":{}},"
		     "{\"switch\":\"vale2\",\"lookup\":\"nosuch\",\"config\":{}}]\n"));
	schema_set_free(&set);

	CHECK_EQ(parse("lookup show"), EXIT_USAGE);
	CHECK_EQ(parse("lookup show vale0 x"), EXIT_USAGE);
}

static struct nlmsghdr *fdb_row(const char *table, uint8_t last, uint32_t port, bool confirmed)
{
	const uint8_t mac[6] = { 2, 0, 0, 0, 0, last };
	struct nlmsghdr *nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, "vale0");
	if (table)
		mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_TABLE, table);
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put(nlh, VALE_LEARN_MAC, 6, mac);
	mnl_attr_put_u32(nlh, VALE_LEARN_PORT, port);
	mnl_attr_put_u32(nlh, VALE_LEARN_AGE, 3);
	if (confirmed)
		mnl_attr_put(nlh, VALE_LEARN_CONFIRMED, 0, NULL);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void test_lookup_dump(void)
{
	static struct vctl_req dreq;
	struct lookup_dump d;
	struct printer p;
	struct schema s;
	struct nlmsghdr *nlh;
	struct nlattr *n;
	FILE *f, *err;

	CHECK_EQ(test_schema_of("learn", &s), 0);
	CHECK_EQ(parse("lookup dump vale0"), EXIT_OK);
	CHECK_EQ(req.op, OP_LOOKUP_DUMP);
	CHECK(req.dump && req.cmd == VALE_CMD_LOOKUP_DUMP);
	f = out_open();
	memset(&d, 0, sizeof(d));
	d.schema = &s;
	printer_begin(&p, &req, f, NULL, 0, "");
	p.priv = &d;
	p.names = two_names();
	lookup_dump_cb(fdb_row("fdb", 0xa1, 1, true), &p);
	lookup_dump_cb(fdb_row("fdb", 0xb2, 4, false), &p);
	lookup_dump_cb(fdb_row("other", 0xc3, 4, false), &p);
	lookup_dump_cb(genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP), &p);	/* no row */
	printer_end(&p);
	fclose(f);
	CHECK(out_is("fdb:\n"
		     "    mac=02:00:00:00:00:a1 port=a age=3 confirmed\n"
		     "    mac=02:00:00:00:00:b2 port=4 age=3\n"
		     "other:\n"
		     "    mac=02:00:00:00:00:c3 port=4 age=3\n"));

	CHECK_EQ(parse("-j lookup dump vale0 fdb"), EXIT_OK);
	f = out_open();
	memset(&d, 0, sizeof(d));
	d.schema = &s;
	printer_begin(&p, &req, f, NULL, 0, "");
	p.priv = &d;
	p.names = two_names();
	lookup_dump_cb(fdb_row("fdb", 0xa1, 1, true), &p);
	lookup_dump_cb(fdb_row("fdb", 0xb2, 4, false), &p);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("[{\"table\":\"fdb\",\"mac\":\"02:00:00:00:00:a1\",\"port\":1,"
		     "\"port_name\":\"a\",\"age\":3,\"confirmed\":true},{\"table\":\"fdb\","
		     "\"mac\":\"02:00:00:00:00:b2\",\"port\":4,\"age\":3}]\n"));

	/* the request: the module it is meant for, the table checked first */
	err = fmemopen(errout, sizeof(errout), "w");
	CHECK_EQ(lookup_dump_req(&req, &s, &dreq, err), EXIT_OK);
	fclose(err);
	nlh = nl_build(&dreq, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL);
	CHECK(nlh->nlmsg_flags & NLM_F_DUMP);
	CHECK(!strcmp(mnl_attr_get_str(top(nlh, VALE_ATTR_LOOKUP_NAME)), "learn"));
	CHECK(!strcmp(mnl_attr_get_str(top(nlh, VALE_ATTR_LOOKUP_TABLE)), "fdb"));
	CHECK_EQ(parse("lookup dump vale0 routes"), EXIT_OK);
	err = fmemopen(errout, sizeof(errout), "w");
	CHECK_EQ(lookup_dump_req(&req, &s, &dreq, err), EXIT_ERR);
	fclose(err);
	CHECK(err_is("Error: lookup module \"learn\" of switch vale0 has no table \"routes\" "
		     "(tables: fdb)\n"));
	schema_free(&s);
	CHECK_EQ(test_schema_of("hello", &s), 0);
	CHECK_EQ(parse("lookup dump vale9"), EXIT_OK);
	err = fmemopen(errout, sizeof(errout), "w");
	CHECK_EQ(lookup_dump_req(&req, &s, &dreq, err), EXIT_ERR);
	fclose(err);
	CHECK(err_is("Error: lookup module \"hello\" of switch vale9 has no tables to dump\n"));
	schema_free(&s);

	/* the router's stats row: a nested value, by its size */
	CHECK_EQ(test_schema_of("l3", &s), 0);
	CHECK_EQ(parse("lookup dump vale1"), EXIT_OK);
	f = out_open();
	memset(&d, 0, sizeof(d));
	d.schema = &s;
	printer_begin(&p, &req, f, NULL, 0, "");
	p.priv = &d;
	nlh = genl_msg(rep.buf, VALE_CMD_LOOKUP_DUMP);
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_TABLE, "stats");
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put_u32(nlh, VALE_L3_ATTR_OP, VALE_L3_OP_STATS);
	{
		struct nlattr *st = mnl_attr_nest_start(nlh, VALE_L3_ATTR_STATS);

		mnl_attr_put_u64(nlh, VALE_L3_STATS_FORWARDED_V4, 1);
		mnl_attr_nest_end(nlh, st);
	}
	mnl_attr_nest_end(nlh, n);
	lookup_dump_cb(nlh, &p);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("stats:\n    op=stats stats=<nested, 12 bytes>\n"));
	schema_free(&s);

	CHECK_EQ(parse("lookup dump"), EXIT_USAGE);
	CHECK_EQ(parse("lookup dump vale0 fdb x"), EXIT_USAGE);
}

static void test_lookup_schema(void)
{
	struct printer p;
	struct schema s;
	FILE *f;

	CHECK_EQ(parse("lookup schema"), EXIT_OK);
	CHECK(req.op == OP_LOOKUP_SCHEMA && req.cmd == VALE_CMD_LOOKUP_SCHEMA && req.dump);
	CHECK_EQ(req.nargs, 0);
	CHECK_EQ(parse("lookup schema learn"), EXIT_OK);
	CHECK(!req.dump && req.nargs == 1);
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_LOOKUP_NAME), "learn"));
	CHECK_EQ(parse("lookup schema vale0"), EXIT_OK);	/* a switch: its module */
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_SWITCH_NAME), "vale0"));
	CHECK(vctl_find(&req, VALE_ATTR_LOOKUP_NAME) == NULL);
	CHECK_EQ(parse("lookup schema learn vale0"), EXIT_USAGE);
	CHECK_EQ(parse("lookup schema ''"), EXIT_USAGE);

	CHECK_EQ(parse("lookup schema"), EXIT_OK);
	f = out_open();
	printer_begin(&p, &req, f, NULL, 0, "");
	CHECK_EQ(test_schema_of("learn", &s), 0);
	schema_print(&p, &s);
	schema_free(&s);
	CHECK_EQ(test_schema_of("l3", &s), 0);
	s.nattrs = 1;	/* its op alone, for brevity */
	s.ntables = 2;
	schema_print(&p, &s);
	s.nattrs = 8;
	s.ntables = 5;
	schema_free(&s);
	CHECK_EQ(printer_end(&p), 0);
	fclose(f);
	CHECK(out_is(
		"lookup learn\n"
		"ATTRIBUTE  ID  TYPE  RANGE          FLAGS      DOC\n"
		"ageing      1  u32   1..1000000     setting    seconds an address is remembered unseen\n"
		"flush       2  flag  -              action     forget every address\n"
		"mac         3  mac   -              dump-only  an address\n"
		"port        4  port  0..253         dump-only  where it was seen\n"
		"age         5  u32   0..4294967295  dump-only  seconds since seen\n"
		"confirmed   6  flag  -              dump-only  \n"
		"table fdb: learned addresses: mac, port, age, confirmed\n"
		"\n"
		"lookup l3\n"
		"ATTRIBUTE  ID  TYPE  RANGE          FLAGS  DOC\n"
		"op          1  u32   0..4294967295  -      the operation\n"
		"    values: 0 unspec, 1 port_set, 2 port_del, 3 addr_add, 4 addr_del, 5 route_add, "
		"6 route_del, 7 neigh_add, 8 neigh_del, 9 flush, 10 stats\n"
		"table stats\n"
		"table ports\n"));

	CHECK_EQ(parse("-j lookup schema learn"), EXIT_OK);
	f = out_open();
	printer_begin(&p, &req, f, NULL, 0, "");
	CHECK_EQ(test_schema_of("learn", &s), 0);
	s.nattrs = 2;
	schema_print(&p, &s);
	s.nattrs = 6;
	schema_free(&s);
	printer_end(&p);
	fclose(f);
	CHECK(out_is("[{\"lookup\":\"learn\",\"attrs\":[{\"name\":\"ageing\",\"id\":1,"
		     "\"type\":\"u32\",\"flags\":[\"setting\"],\"min\":1,\"max\":1000000,"
		     "\"doc\":\"seconds an address is remembered unseen\"},{\"name\":\"flush\","
		     "\"id\":2,\"type\":\"flag\",\"flags\":[\"action\"],"
		     "\"doc\":\"forget every address\"}],\"tables\":[{\"name\":\"fdb\","
		     "\"doc\":\"learned addresses: mac, port, age, confirmed\"}]}]\n"));
}

/* ---- one module per request ------------------------------------------------------------------- */

/* The request built from req: its command, and the module it names (or NULL). */
static const char *module_of(const struct vctl_req *r, uint8_t *cmd)
{
	struct nlmsghdr *nlh = nl_build(r, 0x1234, 1, tx.buf, sizeof(tx.buf), NULL);
	const struct nlattr *a = top(nlh, VALE_ATTR_LOOKUP_NAME);

	*cmd = ((struct genlmsghdr *)mnl_nlmsg_get_payload(nlh))->cmd;
	return a ? mnl_attr_get_str(a) : NULL;
}

/*
 * Every LOOKUP_CONFIG and LOOKUP_DUMP that valectl sends says which module
 * it is meant for: a request of one module never reaches another (the
 * data-loss bug: learn's "ageing 9" read by l3 as its op FLUSH).
 */
static void test_every_request_names_its_module(void)
{
	static const struct {
		const char *line, *module;
	} cases[] = {
		{ "route add vale1 10.0.2.0/24 port 2 via 10.0.2.1", "l3" },
		{ "route del vale1 10.0.2.0/24", "l3" },
		{ "route show vale1", "l3" },
		{ "neigh add vale1 10.0.2.1 lladdr 02:00:00:00:00:01 port 2", "l3" },
		{ "neigh del vale1 10.0.2.1 port 2", "l3" },
		{ "neigh show vale1", "l3" },
		{ "addr add vale1 10.0.2.254 port 2", "l3" },
		{ "addr del vale1 10.0.2.254 port 2", "l3" },
		{ "addr show vale1", "l3" },
		{ "router port set vale1 2 mac 02:00:00:00:00:02", "l3" },
		{ "router port del vale1 2", "l3" },
		{ "router flush vale1", "l3" },
		{ "router show vale1", "l3" },
		{ "flow add vale2 in_port=1,actions=drop", "of" },
		{ "flow mod vale2 in_port=1,actions=flood strict", "of" },
		{ "flow del vale2 in_port=1", "of" },
		{ "flow del vale2", "of" },
		{ "flow miss vale2 controller", "of" },
		{ "flow controller vale2 none", "of" },
		{ "flow emc vale2 on", "of" },
		{ "fdb show vale0", "learn" },
		{ "fdb flush vale0", "learn" },
	};
	static struct vctl_req dump;
	struct schema s;
	uint8_t cmd;
	size_t i;
	const char *m;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_EQ(parse(cases[i].line), EXIT_OK);
		m = module_of(&req, &cmd);
		CHECK(cmd == VALE_CMD_LOOKUP_CONFIG || cmd == VALE_CMD_LOOKUP_DUMP);
		if (!m || strcmp(m, cases[i].module)) {
			fprintf(stderr, "  \"%s\" names %s\n", cases[i].line, m ? m : "no module");
			CHECK(0);
		}
	}
	/* flow show and flow table send a dump of their own */
	CHECK_EQ(parse("flow show vale2 tcp"), EXIT_OK);
	flow_dump_req(&req, &dump);
	m = module_of(&dump, &cmd);
	CHECK(cmd == VALE_CMD_LOOKUP_DUMP && m && !strcmp(m, "of"));
	CHECK(!strcmp(vctl_str(&dump, VALE_ATTR_LOOKUP_TABLE), "flows"));
	CHECK_EQ(parse("flow table vale2"), EXIT_OK);
	flow_dump_req(&req, &dump);
	CHECK(!strcmp(vctl_str(&dump, VALE_ATTR_LOOKUP_TABLE), "table"));
	CHECK(!strcmp(module_of(&dump, &cmd), "of"));
	/* lookup config and dump: the module of the switch's schema */
	CHECK_EQ(encode("l3", "lookup config vale1 x 1", &s), EXIT_ERR);
	schema_free(&s);
	CHECK_EQ(encode("of", "lookup config vale2 emc 0", &s), EXIT_OK);
	m = module_of(&req, &cmd);
	CHECK(cmd == VALE_CMD_LOOKUP_CONFIG && m && !strcmp(m, "of"));
	schema_free(&s);

	/* the tables the router's shows read */
	CHECK_EQ(parse("route show vale1"), EXIT_OK);
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_LOOKUP_TABLE), "routes"));
	CHECK_EQ(parse("neigh show vale1"), EXIT_OK);
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_LOOKUP_TABLE), "neighbours"));
	CHECK_EQ(parse("addr show vale1"), EXIT_OK);
	CHECK(!strcmp(vctl_str(&req, VALE_ATTR_LOOKUP_TABLE), "addresses"));
	CHECK_EQ(parse("router show vale1"), EXIT_OK);
	CHECK(vctl_find(&req, VALE_ATTR_LOOKUP_TABLE) == NULL);
}

void test_schema(void)
{
	RUN(test_schema_read);
	RUN(test_schema_sets);
	RUN(test_encode_learn);
	RUN(test_encode_every_type);
	RUN(test_encode_errors);
	RUN(test_decode);
	RUN(test_lookup_show);
	RUN(test_lookup_dump);
	RUN(test_lookup_schema);
	RUN(test_every_request_names_its_module);
	free(out);
	out = NULL;
}
