// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the lookup modules' declarations (vale/lookup_schema.c):
 * what registration refuses, and every check a request's attribute goes
 * through before a module sees it. The kernel's genl code hands each
 * attribute's payload to the same functions.
 */
#include "../../vale/vale.h"
#include "check.h"

int check_passed, check_failed;

static u32 dummy_lookup(void *priv, struct vale_pkt *pkt)
{
	(void)priv;
	(void)pkt;
	return VALE_DROP;
}

static int dummy_create(void **priv, const char *sw)
{
	(void)sw;
	*priv = NULL;
	return 0;
}

static void dummy_destroy(void *priv)
{
	(void)priv;
}

static const char *const op_names[] = { "none", "add", "del", NULL };

enum { A_MASK = 1, A_FLUSH, A_OP, A_NAME, A_MAC, A_IP, A_PORT, A_KEY, A_HITS, A_NEST, A_BIG };

static const struct vale_lookup_attr good_attrs[] = {
	{ .id = A_MASK, .name = "mask", .type = VALE_TYPE_U32, .flags = VALE_SCHEMA_F_SETTING,
	  .min = 1, .max = 255 },
	{ .id = A_FLUSH, .name = "flush", .type = VALE_TYPE_FLAG, .flags = VALE_SCHEMA_F_ACTION },
	{ .id = A_OP, .name = "op", .type = VALE_TYPE_U8, .max = 2, .values = op_names },
	{ .id = A_NAME, .name = "label", .type = VALE_TYPE_STRING, .max = 4 },
	{ .id = A_MAC, .name = "mac", .type = VALE_TYPE_MAC },
	{ .id = A_IP, .name = "ip", .type = VALE_TYPE_IP },
	{ .id = A_PORT, .name = "port", .type = VALE_TYPE_PORT },
	{ .id = A_KEY, .name = "key", .type = VALE_TYPE_BINARY, .min = 2, .max = 3 },
	{ .id = A_HITS, .name = "hits", .type = VALE_TYPE_U64, .flags = VALE_SCHEMA_F_DUMP_ONLY },
	{ .id = A_NEST, .name = "nest", .type = VALE_TYPE_NESTED },
	{ .id = A_BIG, .name = "big", .type = VALE_TYPE_U16 },
	{ }
};

static struct vale_lookup_ops ops_with(const struct vale_lookup_attr *attrs,
				       const struct vale_lookup_table *tables)
{
	struct vale_lookup_ops ops = {
		.name = "schematest", .create = dummy_create, .destroy = dummy_destroy,
		.lookup = dummy_lookup, .attrs = attrs, .tables = tables,
	};
	return ops;
}

/* Registration refuses each broken declaration, and takes a good one. */
static void test_register(void)
{
	static const struct vale_lookup_attr dup_id[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U8 },
		{ .id = 1, .name = "b", .type = VALE_TYPE_U8 }, { } };
	static const struct vale_lookup_attr dup_name[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U8 },
		{ .id = 2, .name = "a", .type = VALE_TYPE_U8 }, { } };
	static const struct vale_lookup_attr bad_name[] = {
		{ .id = 1, .name = "Has Space", .type = VALE_TYPE_U8 }, { } };
	static const struct vale_lookup_attr zero_id[] = {
		{ .id = 0, .name = "a", .type = VALE_TYPE_U8 }, { } };
	static const struct vale_lookup_attr big_id[] = {
		{ .id = VALE_LOOKUP_ATTR_MAX + 1, .name = "a", .type = VALE_TYPE_U8 }, { } };
	static const struct vale_lookup_attr bad_type[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_MAX + 1 }, { } };
	static const struct vale_lookup_attr bad_range[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U8, .max = 256 }, { } };
	static const struct vale_lookup_attr inverted[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U32, .min = 5, .max = 4 }, { } };
	static const struct vale_lookup_attr action_not_flag[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U32, .flags = VALE_SCHEMA_F_ACTION }, { } };
	static const struct vale_lookup_attr dump_setting[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U32,
		  .flags = VALE_SCHEMA_F_DUMP_ONLY | VALE_SCHEMA_F_SETTING }, { } };
	static const struct vale_lookup_attr names_on_mac[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_MAC, .values = op_names }, { } };
	static const struct vale_lookup_attr empty_binary[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_BINARY }, { } };
	static const struct vale_lookup_attr unknown_flag[] = {
		{ .id = 1, .name = "a", .type = VALE_TYPE_U8, .flags = 0x80 }, { } };
	static const struct vale_lookup_table dup_table[] = {
		{ .name = "t" }, { .name = "t" }, { } };
	static const struct vale_lookup_table bad_table[] = { { .name = "T!" }, { } };
	static const struct vale_lookup_table tables[] = { { .name = "rows" }, { } };
	static const struct vale_lookup_attr *const bad[] = {
		dup_id, dup_name, bad_name, zero_id, big_id, bad_type, bad_range, inverted,
		action_not_flag, dump_setting, names_on_mac, empty_binary, unknown_flag,
	};
	struct vale_lookup_ops ops;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ops = ops_with(bad[i], NULL);
		CHECK_EQ(vale_lookup_register(&ops), -EINVAL);
	}
	ops = ops_with(good_attrs, dup_table);
	CHECK_EQ(vale_lookup_register(&ops), -EINVAL);
	ops = ops_with(good_attrs, bad_table);
	CHECK_EQ(vale_lookup_register(&ops), -EINVAL);
	ops = ops_with(good_attrs, tables);
	CHECK_EQ(vale_lookup_register(&ops), 0);
	CHECK(vale_schema_table(&ops, "rows") == &tables[0]);
	CHECK(vale_schema_table(&ops, "nope") == NULL);
	CHECK_EQ(vale_schema_max_id(&ops), A_BIG);
	CHECK(vale_schema_attr(&ops, A_MAC) == &good_attrs[4]);
	CHECK(vale_schema_attr(&ops, 99) == NULL);
	vale_lookup_unregister(&ops);
	/* No declaration at all is fine: a module without control. */
	ops = ops_with(NULL, NULL);
	CHECK_EQ(vale_lookup_register(&ops), 0);
	CHECK_EQ(vale_schema_max_id(&ops), 0);
	vale_lookup_unregister(&ops);
}

static int check_value(u32 id, const void *data, u32 len)
{
	const char *why = NULL;
	int err = vale_schema_check_value(&good_attrs[id - 1], data, len, &why);

	CHECK(err ? why != NULL : 1);
	return err;
}

/* Each type's lengths and ranges, as the kernel checks a request. */
static void test_values(void)
{
	u32 v32;
	u16 v16 = 7;
	u8 v8;
	u64 v64 = 1;
	u8 mac[6] = { 2, 0, 0, 0, 0, 1 }, ip6[16] = { 0 }, key[4] = { 0 };

	v32 = 1;
	CHECK_EQ(check_value(A_MASK, &v32, 4), 0);
	v32 = 255;
	CHECK_EQ(check_value(A_MASK, &v32, 4), 0);
	v32 = 0;
	CHECK_EQ(check_value(A_MASK, &v32, 4), -ERANGE);	/* below min */
	v32 = 256;
	CHECK_EQ(check_value(A_MASK, &v32, 4), -ERANGE);	/* above max */
	CHECK_EQ(check_value(A_MASK, &v16, 2), -EINVAL);	/* short */
	CHECK_EQ(check_value(A_MASK, &v64, 8), -EINVAL);	/* long */
	CHECK_EQ(check_value(A_FLUSH, NULL, 0), 0);
	CHECK_EQ(check_value(A_FLUSH, &v8, 1), -EINVAL);
	v8 = 2;
	CHECK_EQ(check_value(A_OP, &v8, 1), 0);
	v8 = 3;
	CHECK_EQ(check_value(A_OP, &v8, 1), -ERANGE);
	CHECK_EQ(check_value(A_NAME, "abcd", 5), 0);
	CHECK_EQ(check_value(A_NAME, "abcde", 6), -EINVAL);	/* longer than max */
	CHECK_EQ(check_value(A_NAME, "ab", 2), -EINVAL);		/* no NUL */
	CHECK_EQ(check_value(A_NAME, "a\0b", 4), -EINVAL);	/* NUL inside */
	CHECK_EQ(check_value(A_NAME, "", 0), -EINVAL);
	CHECK_EQ(check_value(A_MAC, mac, 6), 0);
	CHECK_EQ(check_value(A_MAC, mac, 5), -EINVAL);
	CHECK_EQ(check_value(A_IP, ip6, 4), 0);
	CHECK_EQ(check_value(A_IP, ip6, 16), 0);
	CHECK_EQ(check_value(A_IP, ip6, 6), -EINVAL);
	v32 = 253;
	CHECK_EQ(check_value(A_PORT, &v32, 4), 0);
	v32 = 254;
	CHECK_EQ(check_value(A_PORT, &v32, 4), -ERANGE);	/* VALE_BROADCAST is no port */
	CHECK_EQ(check_value(A_KEY, key, 2), 0);
	CHECK_EQ(check_value(A_KEY, key, 3), 0);
	CHECK_EQ(check_value(A_KEY, key, 1), -EINVAL);
	CHECK_EQ(check_value(A_KEY, key, 4), -EINVAL);
	CHECK_EQ(check_value(A_HITS, &v64, 8), -EINVAL);	/* dump-only */
	CHECK_EQ(check_value(A_NEST, key, 4), 0);		/* the module's own */
	v16 = 0xffff;
	CHECK_EQ(check_value(A_BIG, &v16, 2), 0);		/* no range: the whole type */
}

int main(void)
{
	CHECK_EQ(vale_core_init(), 0);
	RUN(test_register);
	RUN(test_values);
	vale_core_exit();
	return check_summary();
}
