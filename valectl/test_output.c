// SPDX-License-Identifier: GPL-2.0
/*
 * valectl's unit test, from the parsed requests on (test_parse.c parses
 * them): the netlink messages built from them, the kernel's extended acks
 * mapped back to the arguments, the JSON writer, the printing of replies
 * and events synthesized here, and the manual's coverage of the grammar.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "schema.h"
#include "test.h"

/* ---- requests --------------------------------------------------------------------- */

static union {
	char buf[NL_TXSIZE];
	struct nlmsghdr align;
} tx;

static struct nlmsghdr *build(const char *line, struct nl_attrmap *map)
{
	CHECK_EQ(parse(line), EXIT_OK);
	return nl_build(&req, 0x1234, 77, tx.buf, sizeof(tx.buf), map);
}

static void test_build(void)
{
	struct nl_attrmap map;
	struct nlmsghdr *nlh;
	const struct genlmsghdr *genl;
	const struct nlattr *a, *in;
	int n = 0;

	nlh = build("switch add vale0 lookup learn", &map);
	CHECK(nlh != NULL);
	CHECK_EQ(nlh->nlmsg_type, 0x1234);
	CHECK_EQ(nlh->nlmsg_seq, 77);
	CHECK_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK_EQ(genl->cmd, VALE_CMD_SWITCH_NEW);
	CHECK_EQ(genl->version, VALE_GENL_VERSION);
	mnl_attr_for_each(a, nlh, sizeof(*genl)) {
		if (n == 0) {
			CHECK_EQ(mnl_attr_get_type(a), VALE_ATTR_SWITCH_NAME);
			CHECK(!strcmp(mnl_attr_get_str(a), "vale0"));
			CHECK_EQ(mnl_attr_get_payload_len(a), 6);	/* NUL-terminated */
		} else {
			CHECK_EQ(mnl_attr_get_type(a), VALE_ATTR_LOOKUP_NAME);
			CHECK(!strcmp(mnl_attr_get_str(a), "learn"));
		}
		CHECK_EQ(map.e[n].off, (const char *)a - (const char *)nlh);
		CHECK_EQ(map.e[n].arg, n);
		n++;
	}
	CHECK_EQ(n, 2);
	CHECK_EQ(map.n, 2);

	nlh = build("port show", &map);
	CHECK_EQ(nlh->nlmsg_flags, NLM_F_REQUEST | NLM_F_DUMP);
	CHECK_EQ(nlh->nlmsg_len, NLMSG_HDRLEN + sizeof(struct genlmsghdr));

	nlh = build("if add vi0 tx-rings 2 rx-slots 512", &map);
	n = 0;
	mnl_attr_for_each(a, nlh, sizeof(*genl)) {
		static const uint16_t types[] = {
			VALE_ATTR_IF_NAME, VALE_ATTR_PORT_TX_RINGS, VALE_ATTR_PORT_RX_SLOTS,
		};

		CHECK_EQ(mnl_attr_get_type(a), types[n]);
		if (n == 1)
			CHECK_EQ(mnl_attr_get_u32(a), 2);
		if (n == 2)
			CHECK_EQ(mnl_attr_get_u32(a), 512);
		n++;
	}
	CHECK_EQ(n, 3);

	/* the learning bridge's flush: the module named, the flag nested in
	 * LOOKUP_CONFIG (the settings of "lookup config": test_schema.c) */
	nlh = build("fdb flush vale0", &map);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK_EQ(genl->cmd, VALE_CMD_LOOKUP_CONFIG);
	n = 0;
	mnl_attr_for_each(a, nlh, sizeof(*genl)) {
		if (n == 1)
			CHECK(!strcmp(mnl_attr_get_str(a), "learn"));
		if (n == 2) {
			int m = 0;

			CHECK_EQ(mnl_attr_get_type(a) & NLA_TYPE_MASK, VALE_ATTR_LOOKUP_CONFIG);
			CHECK(mnl_attr_get_type(a) == VALE_ATTR_LOOKUP_CONFIG);
			mnl_attr_for_each_nested(in, a) {
				CHECK_EQ(mnl_attr_get_type(in), VALE_LEARN_FLUSH);
				CHECK_EQ(mnl_attr_get_payload_len(in), 0);
				m++;
			}
			CHECK_EQ(m, 1);
		}
		n++;
	}
	CHECK_EQ(n, 3);
	/* the switch, the module, the flush inside the nest, then the nest */
	CHECK_EQ(map.n, 4);
	CHECK_EQ(req.args[map.e[2].arg].attr, VALE_LEARN_FLUSH);
	CHECK_EQ(map.e[3].arg, map.e[2].arg);

	/* vale-ctl -a: both names from one argument */
	nlh = build("-a vale0:vi0", &map);
	genl = mnl_nlmsg_get_payload(nlh);
	CHECK_EQ(genl->cmd, VALE_CMD_PORT_ATTACH);
	n = 0;
	mnl_attr_for_each(a, nlh, sizeof(*genl)) {
		CHECK(!strcmp(mnl_attr_get_str(a), n ? "vi0" : "vale0"));
		n++;
	}
	CHECK_EQ(n, 2);

	/* too small a buffer */
	CHECK(nl_build(&req, 1, 1, tx.buf, 100, NULL) == NULL);
}

/* ---- extack ------------------------------------------------------------------------ */

/*
 * The NLMSG_ERROR the kernel would send for the request in tx: capped
 * (NETLINK_CAP_ACK) or not, with a message, an offset, a missing type.
 */
struct nlmsghdr *make_error(void *buf, const struct nlmsghdr *sent, int error,
				   bool capped, const char *msg, int64_t offs, int64_t miss)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlmsgerr *e;
	size_t copy = capped ? sizeof(*sent) : sent->nlmsg_len;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(e->error) + copy);
	e->error = -error;
	memcpy(&e->msg, sent, copy);
	if (msg || offs >= 0 || miss >= 0)
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	if (msg)
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
	if (offs >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, (uint32_t)offs);
	if (miss >= 0)
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_MISS_TYPE, (uint32_t)miss);
	return nlh;
}

static char line[1024];

const char *format(const struct nl_attrmap *map, const struct nlmsghdr *err)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(err);

	nl_format_error(line, sizeof(line), &req, map, err, nl_err_tlv_offset(err), -e->error);
	return line;
}

static void test_extack(void)
{
	static union {
		char buf[16384];
		struct nlmsghdr align;
	} rb;
	struct nl_attrmap map;
	struct nlmsghdr *nlh, *err;
	uint32_t off;

	/* the offending "lookup l9" of switch add, capped and not */
	nlh = build("switch add vale0 lookup l9", &map);
	off = map.e[1].off;
	err = make_error(rb.buf, nlh, ENOENT, true, "lookup module not found", off, -1);
	CHECK(!strcmp(format(&map, err), "Error: lookup module not found "
			  "(argument \"lookup l9\"): No such file or directory"));
	err = make_error(rb.buf, nlh, ENOENT, false, "lookup module not found", off, -1);
	CHECK(!strcmp(format(&map, err), "Error: lookup module not found "
			  "(argument \"lookup l9\"): No such file or directory"));

	/* a positional argument */
	err = make_error(rb.buf, nlh, ENAMETOOLONG, true, "name too long", map.e[0].off, -1);
	CHECK(!strcmp(format(&map, err), "Error: name too long (argument \"vale0\"): "
			  "File name too long"));

	/* an offset inside an attribute (its payload) points at it too */
	err = make_error(rb.buf, nlh, EINVAL, true, "bad", map.e[0].off + 4, -1);
	CHECK(strstr(format(&map, err), "(argument \"vale0\")") != NULL);

	/* an offset that is no attribute of ours: just the message */
	err = make_error(rb.buf, nlh, EINVAL, true, "bad header", 4, -1);
	CHECK(!strcmp(format(&map, err), "Error: bad header: Invalid argument"));

	/* no message, no TLVs */
	err = make_error(rb.buf, nlh, EPERM, true, NULL, -1, -1);
	CHECK(!strcmp(format(&map, err), "Error: Operation not permitted"));

	/* an offset without a message */
	err = make_error(rb.buf, nlh, ERANGE, true, NULL, map.e[1].off, -1);
	CHECK(!strcmp(format(&map, err), "Error: Numerical result out of range "
			  "(argument \"lookup l9\")"));

	/* a missing attribute */
	err = make_error(rb.buf, nlh, EINVAL, true, "missing attribute", -1, VALE_ATTR_PORT_NAME);
	CHECK(!strcmp(format(&map, err), "Error: missing attribute (missing attribute "
			  "PORT_NAME): Invalid argument"));

	/* the flush and its nest point at the verb; the module at the switch */
	nlh = build("fdb flush vale0", &map);
	err = make_error(rb.buf, nlh, EINVAL, true, "bad flag", map.e[2].off, -1);
	CHECK(strstr(format(&map, err), "(argument \"flush\")") != NULL);
	err = make_error(rb.buf, nlh, EOPNOTSUPP, false, "runs l3", map.e[3].off, -1);
	CHECK(strstr(format(&map, err), "(argument \"flush\")") != NULL);
	err = make_error(rb.buf, nlh, EOPNOTSUPP, false, "switch vale0 runs lookup module l3",
			 map.e[1].off, -1);
	CHECK(!strcmp(format(&map, err), "Error: switch vale0 runs lookup module l3 "
			  "(argument \"vale0\"): Operation not supported"));

	/* vale-ctl's SW:PORT names the whole argument */
	nlh = build("-a vale0:nosuch", &map);
	err = make_error(rb.buf, nlh, ENXIO, true, "no such interface", map.e[1].off, -1);
	CHECK(!strcmp(format(&map, err), "Error: no such interface (argument \"vale0:nosuch\"): "
			  "No such device or address"));

	/* -C: the flag and its value */
	nlh = build("-n vi0 -C 1,2", &map);
	err = make_error(rb.buf, nlh, EINVAL, true, "too many slots", map.e[1].off, -1);
	CHECK(strstr(format(&map, err), "(argument \"-C 1,2\")") != NULL);
}

/* ---- JSON --------------------------------------------------------------------------- */

static char *out;
static size_t outlen;

static FILE *out_open(void)
{
	free(out);
	out = NULL;
	return open_memstream(&out, &outlen);
}

static void test_json(void)
{
	struct jw w;
	FILE *f = out_open();

	jw_init(&w, f, false);
	jw_arr_open(&w, NULL);
	jw_obj_open(&w, NULL);
	jw_str(&w, "s", "a\"b\\c\n\t\x01\xc3\xa9");
	jw_u64(&w, "n", 18446744073709551615ull);
	jw_bool(&w, "t", true);
	jw_bool(&w, "f", false);
	jw_null(&w, "z");
	jw_str(&w, "nul", NULL);
	jw_obj_open(&w, "o");
	jw_obj_close(&w);
	jw_arr_open(&w, "a");
	jw_u64(&w, NULL, 1);
	jw_u64(&w, NULL, 2);
	jw_arr_close(&w);
	jw_obj_close(&w);
	jw_obj_open(&w, NULL);
	jw_obj_close(&w);
	jw_arr_close(&w);
	jw_end(&w);
	fclose(f);
	CHECK(!strcmp(out, "[{\"s\":\"a\\\"b\\\\c\\n\\t\\u0001\\u00c3\\u00a9\","
		      "\"n\":18446744073709551615,\"t\":true,\"f\":false,\"z\":null,"
		      "\"nul\":null,\"o\":{},\"a\":[1,2]},{}]\n"));

	f = out_open();
	jw_init(&w, f, true);
	jw_arr_open(&w, NULL);
	jw_obj_open(&w, NULL);
	jw_str(&w, "k", "v");
	jw_u64(&w, "n", 1);
	jw_obj_close(&w);
	jw_arr_close(&w);
	jw_end(&w);
	fclose(f);
	CHECK(!strcmp(out, "[\n    {\n        \"k\": \"v\",\n        \"n\": 1\n    }\n]\n"));

	f = out_open();
	jw_init(&w, f, true);
	jw_arr_open(&w, NULL);
	jw_arr_close(&w);
	jw_end(&w);
	fclose(f);
	CHECK(!strcmp(out, "[]\n"));
}

/* ---- printing replies ------------------------------------------------------------------ */

static union {
	char buf[8192];
	struct nlmsghdr align;
} rep;

static struct nlmsghdr *reply(uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(rep.buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = 0x1234;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = VALE_GENL_VERSION;
	return nlh;
}

static struct nlmsghdr *switch_reply(uint8_t cmd, const char *name, uint32_t index,
				     const char *lookup, uint32_t ports, bool persistent)
{
	struct nlmsghdr *nlh = reply(cmd);

	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, name);
	mnl_attr_put_u32(nlh, VALE_ATTR_SWITCH_INDEX, index);
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, lookup);
	mnl_attr_put_u32(nlh, VALE_ATTR_SWITCH_PORTS, ports);
	if (persistent)
		mnl_attr_put(nlh, VALE_ATTR_SWITCH_PERSISTENT, 0, NULL);
	return nlh;
}

/* The learning bridge's settings, as a SWITCH_GET reply carries them. */
static struct nlmsghdr *with_ageing(struct nlmsghdr *nlh, uint32_t ageing)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);

	mnl_attr_put_u32(nlh, VALE_LEARN_AGEING, ageing);
	mnl_attr_put_u32(nlh, 77, 1);	/* a setting valectl does not know: left out */
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct nlmsghdr *port_reply(uint8_t cmd, const char *sw, const char *port,
				   uint32_t index, uint32_t kind)
{
	struct nlmsghdr *nlh = reply(cmd);
	struct nlattr *st;

	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, sw);
	mnl_attr_put_strz(nlh, VALE_ATTR_PORT_NAME, port);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_INDEX, index);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_KIND, kind);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_TX_RINGS, 1);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_RX_RINGS, 2);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_TX_SLOTS, 1024);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_RX_SLOTS, 512);
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_MEM_ID, 3);
	st = mnl_attr_nest_start(nlh, VALE_ATTR_PORT_STATS);
	mnl_attr_put_u64(nlh, VALE_STATS_TX_PACKETS, 10);
	mnl_attr_put_u64(nlh, VALE_STATS_TX_BYTES, 600);
	mnl_attr_put_u64(nlh, VALE_STATS_RX_PACKETS, 5);
	mnl_attr_put_u64(nlh, VALE_STATS_RX_BYTES, 300);
	mnl_attr_put_u64(nlh, VALE_STATS_DROP_LOOKUP, 1);
	mnl_attr_put_u64(nlh, VALE_STATS_DROP_BAD, 2);
	mnl_attr_put_u64(nlh, VALE_STATS_DROP_FULL, 3);
	mnl_attr_put_u64(nlh, VALE_STATS_DROP_BAD_BUF, 4);
	mnl_attr_nest_end(nlh, st);
	return nlh;
}

/* The flow table's settings, decoded by its schema as any module's. */
static struct nlmsghdr *with_of_settings(struct nlmsghdr *nlh)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);

	mnl_attr_put_u32(nlh, VALE_OF_ATTR_CONTROLLER, 255);
	mnl_attr_put_u8(nlh, VALE_OF_ATTR_EMC, 1);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void test_print_switch(void)
{
	struct schema_set set;
	struct printer p;
	FILE *f;

	test_schema_set(&set);
	CHECK_EQ(parse("-j switch show"), EXIT_OK);
	f = out_open();
	switch_show_begin(&p, &req, f);
	p.schemas = &set;
	switch_show_cb(with_ageing(switch_reply(VALE_CMD_SWITCH_GET, "vale0", 0, "learn", 2, true),
				   60), &p);
	switch_show_cb(switch_reply(VALE_CMD_SWITCH_GET, "vale1", 1, "l3", 0, false), &p);
	switch_show_cb(with_of_settings(switch_reply(VALE_CMD_SWITCH_GET, "vale2", 2, "of", 0,
						     true)), &p);
	CHECK_EQ(printer_end(&p), 0);
	fclose(f);
	CHECK(!strcmp(out, "[{\"switch\":\"vale0\",\"index\":0,\"lookup\":\"learn\","
		      "\"config\":{\"ageing\":60},\"ports\":2,"
		      "\"persistent\":true},{\"switch\":\"vale1\",\"index\":1,\"lookup\":\"l3\","
		      "\"ports\":0,\"persistent\":false},{\"switch\":\"vale2\",\"index\":2,"
		      "\"lookup\":\"of\",\"config\":{\"controller\":255,\"emc\":1},\"ports\":0,"
		      "\"persistent\":true}]\n"));

	/* no schema for the module (an old kernel): its settings left out */
	f = out_open();
	switch_show_begin(&p, &req, f);
	switch_show_cb(with_ageing(switch_reply(VALE_CMD_SWITCH_GET, "vale0", 0, "learn", 2, true),
				   60), &p);
	CHECK_EQ(printer_end(&p), 0);
	fclose(f);
	CHECK(!strcmp(out, "[{\"switch\":\"vale0\",\"index\":0,\"lookup\":\"learn\","
		      "\"config\":{},\"ports\":2,\"persistent\":true}]\n"));

	/* an empty dump: an empty array */
	f = out_open();
	switch_show_begin(&p, &req, f);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, "[]\n"));

	CHECK_EQ(parse("switch show"), EXIT_OK);
	f = out_open();
	switch_show_begin(&p, &req, f);
	p.schemas = &set;
	switch_show_cb(with_ageing(switch_reply(VALE_CMD_SWITCH_GET, "vale0", 0, "learn", 2, true),
				   300), &p);
	switch_show_cb(switch_reply(VALE_CMD_SWITCH_GET, "vale_long_name", 12, "l3", 100, false), &p);
	switch_show_cb(with_of_settings(switch_reply(VALE_CMD_SWITCH_GET, "vale2", 2, "of", 0,
						     true)), &p);
	CHECK_EQ(printer_end(&p), 0);
	fclose(f);
	CHECK(!strcmp(out,
		      "SWITCH          INDEX  LOOKUP  PORTS  PERSISTENT  CONFIG\n"
		      "vale0               0  learn       2  yes         ageing 300\n"
		      "vale_long_name     12  l3        100  no          -\n"
		      "vale2               2  of          0  yes         controller 255 emc 1\n"));
	schema_set_free(&set);

	/* an empty dump: no heading */
	f = out_open();
	switch_show_begin(&p, &req, f);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, ""));
}

static void test_print_port(void)
{
	struct printer p;
	FILE *f;

	CHECK_EQ(parse("-j port show"), EXIT_OK);
	f = out_open();
	port_show_begin(&p, &req, f);
	port_show_cb(port_reply(VALE_CMD_PORT_GET, "vale0", "vi0", 0, VALE_PORT_VIRTUAL), &p);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, "[{\"switch\":\"vale0\",\"port\":\"vi0\",\"index\":0,\"kind\":\"virtual\","
		      "\"tx_rings\":1,\"rx_rings\":2,\"tx_slots\":1024,\"rx_slots\":512,"
		      "\"mem_id\":3}]\n"));

	CHECK_EQ(parse("-j -s port show"), EXIT_OK);
	f = out_open();
	port_show_begin(&p, &req, f);
	port_show_cb(port_reply(VALE_CMD_PORT_GET, "vale0", "p1", 1, VALE_PORT_EPHEMERAL), &p);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, "[{\"switch\":\"vale0\",\"port\":\"p1\",\"index\":1,\"kind\":\"ephemeral\","
		      "\"tx_rings\":1,\"rx_rings\":2,\"tx_slots\":1024,\"rx_slots\":512,"
		      "\"mem_id\":3,\"stats\":{\"tx_packets\":10,\"tx_bytes\":600,"
		      "\"rx_packets\":5,\"rx_bytes\":300,\"drop_lookup\":1,\"drop_bad\":2,"
		      "\"drop_full\":3,\"drop_bad_buf\":4}}]\n"));

	CHECK_EQ(parse("-s port show"), EXIT_OK);
	f = out_open();
	port_show_begin(&p, &req, f);
	port_show_cb(port_reply(VALE_CMD_PORT_GET, "vale0", "eth1", 2, VALE_PORT_NIC), &p);
	port_show_cb(port_reply(VALE_CMD_PORT_GET, "vale0", "p", 3, 9), &p);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out,
		      "SWITCH  PORT  INDEX  KIND  RINGS     SLOTS  MEM\n"
		      "vale0   eth1      2  nic     1/2  1024/512    3\n"
		      "    TX: 10 packets 600 bytes  RX: 5 packets 300 bytes\n"
		      "    dropped: lookup 1 bad 2 full 3 bad-buf 4\n"
		      "vale0   p         3  9       1/2  1024/512    3\n"
		      "    TX: 10 packets 600 bytes  RX: 5 packets 300 bytes\n"
		      "    dropped: lookup 1 bad 2 full 3 bad-buf 4\n"));
}

/* Print, as the command line says, NIC eth0 with PORT_HOST then eth0^. */
static void print_nic_and_host(const char *line)
{
	struct nlmsghdr *nlh;
	struct printer p;
	FILE *f;

	CHECK_EQ(parse(line), EXIT_OK);
	f = out_open();
	port_show_begin(&p, &req, f);
	nlh = port_reply(VALE_CMD_PORT_GET, "vale0", "eth0", 0, VALE_PORT_NIC);
	mnl_attr_put(nlh, VALE_ATTR_PORT_HOST, 0, NULL);
	port_show_cb(nlh, &p);
	port_show_cb(port_reply(VALE_CMD_PORT_GET, "vale0", "eth0^", 1, VALE_PORT_HOST), &p);
	printer_end(&p);
	fclose(f);
}

/* A NIC with its host stack (PORT_HOST) and the host port itself. */
static void test_print_port_host(void)
{
	const struct nlattr *a, *host = NULL;
	struct nlmsghdr *nlh;

	nlh = build("port attach vale0 eth0 host", NULL);
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		if (mnl_attr_get_type(a) == VALE_ATTR_PORT_HOST)
			host = a;
	CHECK(host && mnl_attr_get_payload_len(host) == 0);

	print_nic_and_host("-j port show");
	CHECK(!strcmp(out, "[{\"switch\":\"vale0\",\"port\":\"eth0\",\"index\":0,\"kind\":\"nic\","
		      "\"host\":true,\"tx_rings\":1,\"rx_rings\":2,\"tx_slots\":1024,"
		      "\"rx_slots\":512,\"mem_id\":3},{\"switch\":\"vale0\",\"port\":\"eth0^\","
		      "\"index\":1,\"kind\":\"host\",\"tx_rings\":1,\"rx_rings\":2,"
		      "\"tx_slots\":1024,\"rx_slots\":512,\"mem_id\":3}]\n"));

	print_nic_and_host("port show");
	CHECK(!strcmp(out,
		      "SWITCH  PORT   INDEX  KIND      RINGS     SLOTS  MEM\n"
		      "vale0   eth0       0  nic+host    1/2  1024/512    3\n"
		      "vale0   eth0^      1  host        1/2  1024/512    3\n"));
}

/* A row of the learning bridge's table "fdb", as LOOKUP_DUMP sends it. */
static struct nlmsghdr *fdb_row(const uint8_t *mac, size_t maclen, uint32_t port, uint32_t age,
				bool confirmed)
{
	struct nlmsghdr *nlh = reply(VALE_CMD_LOOKUP_DUMP);
	struct nlattr *n;

	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, "vale0");
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_TABLE, "fdb");
	n = mnl_attr_nest_start(nlh, VALE_ATTR_LOOKUP_CONFIG);
	mnl_attr_put(nlh, VALE_LEARN_MAC, maclen, mac);
	mnl_attr_put_u32(nlh, VALE_LEARN_PORT, port);
	mnl_attr_put_u32(nlh, VALE_LEARN_AGE, age);
	if (confirmed)
		mnl_attr_put(nlh, VALE_LEARN_CONFIRMED, 0, NULL);
	mnl_attr_nest_end(nlh, n);
	return nlh;
}

static void test_print_fdb(void)
{
	struct printer p;
	struct port_names names;
	struct nlmsghdr *nlh;
	static const uint8_t mac[6] = { 0x02, 0x00, 0x00, 0xab, 0xcd, 0xef };
	FILE *f;

	names.n = 1;
	names.e = calloc(1, sizeof(names.e[0]));
	names.e[0].index = 1;
	strcpy(names.e[0].name, "vi1");

	CHECK_EQ(parse("-j fdb show vale0"), EXIT_OK);
	f = out_open();
	fdb_show_begin(&p, &req, f);
	p.priv = &names;
	fdb_show_cb(fdb_row(mac, 6, 1, 7, true), &p);
	fdb_show_cb(fdb_row(mac, 6, 4, 0, false), &p);
	/* a MAC of the wrong size is no entry; nor is a row of another table */
	fdb_show_cb(fdb_row(mac, 4, 1, 7, false), &p);
	nlh = fdb_row(mac, 6, 1, 7, false);
	fdb_show_cb(nlh, &p);
	{
		struct nlattr *t = mnl_attr_next(mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN));

		strcpy(mnl_attr_get_payload(t), "xyz");		/* "fdb" becomes "xyz" */
	}
	fdb_show_cb(nlh, &p);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, "[{\"mac\":\"02:00:00:ab:cd:ef\",\"port_index\":1,\"port\":\"vi1\","
		      "\"age\":7,\"confirmed\":true},{\"mac\":\"02:00:00:ab:cd:ef\","
		      "\"port_index\":4,\"age\":0,\"confirmed\":false},{\"mac\":\"02:00:00:ab:cd:ef\","
		      "\"port_index\":1,\"port\":\"vi1\",\"age\":7,\"confirmed\":false}]\n"));

	CHECK_EQ(parse("fdb show vale0"), EXIT_OK);
	f = out_open();
	fdb_show_begin(&p, &req, f);
	p.priv = &names;
	fdb_show_cb(fdb_row(mac, 6, 1, 7, false), &p);
	printer_end(&p);
	fclose(f);
	CHECK(!strcmp(out, "MAC                PORT  INDEX  AGE  CONFIRMED\n"
		      "02:00:00:ab:cd:ef  vi1       1    7  no\n"));
	free(names.e);
}

/* An IF_NEW or IF_DEL event. */
static struct nlmsghdr *if_event(uint8_t cmd, const char *name)
{
	struct nlmsghdr *nlh = reply(cmd);

	mnl_attr_put_strz(nlh, VALE_ATTR_IF_NAME, name);
	return nlh;
}

static void test_print_events(void)
{
	struct schema_set set;
	struct printer p;
	struct nlmsghdr *nlh;
	FILE *f;

	test_schema_set(&set);
	CHECK_EQ(parse("-j monitor"), EXIT_OK);
	f = out_open();
	memset(&p, 0, sizeof(p));
	p.req = &req;
	p.f = f;
	p.schemas = &set;
	jw_init(&p.jw, f, false);
	monitor_event_cb(switch_reply(VALE_CMD_SWITCH_NEW, "vale0", 0, "learn", 0, true), &p);
	monitor_event_cb(port_reply(VALE_CMD_PORT_ATTACH, "vale0", "vi0", 0, VALE_PORT_VIRTUAL), &p);
	nlh = reply(VALE_CMD_LOOKUP_SET);
	mnl_attr_put_strz(nlh, VALE_ATTR_SWITCH_NAME, "vale0");
	mnl_attr_put_strz(nlh, VALE_ATTR_LOOKUP_NAME, "l3");
	monitor_event_cb(nlh, &p);
	monitor_event_cb(reply(42), &p);
	monitor_event_cb(with_ageing(switch_reply(VALE_CMD_LOOKUP_CONFIG, "vale0", 0, "learn", 1,
						  true), 30), &p);
	monitor_event_cb(if_event(VALE_CMD_IF_NEW, "vi0"), &p);
	monitor_event_cb(if_event(VALE_CMD_IF_DEL, "vi0"), &p);
	fclose(f);
	CHECK(!strcmp(out,
		      "{\"event\":\"switch_new\",\"switch\":\"vale0\",\"index\":0,\"lookup\":\"learn\","
		      "\"ports\":0,\"persistent\":true}\n"
		      "{\"event\":\"port_attach\",\"switch\":\"vale0\",\"port\":\"vi0\",\"index\":0,"
		      "\"kind\":\"virtual\",\"tx_rings\":1,\"rx_rings\":2,\"tx_slots\":1024,"
		      "\"rx_slots\":512,\"mem_id\":3}\n"
		      "{\"event\":\"lookup_set\",\"switch\":\"vale0\",\"lookup\":\"l3\","
		      "\"persistent\":false}\n"
		      "{\"event\":\"cmd_42\"}\n"
		      "{\"event\":\"lookup_config\",\"switch\":\"vale0\",\"index\":0,"
		      "\"lookup\":\"learn\",\"config\":{\"ageing\":30},\"ports\":1,"
		      "\"persistent\":true}\n"
		      "{\"event\":\"if_new\",\"ifname\":\"vi0\"}\n"
		      "{\"event\":\"if_del\",\"ifname\":\"vi0\"}\n"));

	CHECK_EQ(parse("monitor"), EXIT_OK);
	f = out_open();
	p.req = &req;
	p.f = f;
	monitor_event_cb(with_ageing(switch_reply(VALE_CMD_SWITCH_DEL, "vale0", 0, "learn", 0, false),
				     120), &p);
	monitor_event_cb(port_reply(VALE_CMD_PORT_DETACH, "vale0", "vi0", 0, VALE_PORT_VIRTUAL), &p);
	monitor_event_cb(switch_reply(VALE_CMD_SWITCH_NEW, "vale1", 1, "l3", 0, true), &p);
	monitor_event_cb(with_of_settings(switch_reply(VALE_CMD_LOOKUP_CONFIG, "vale2", 2, "of", 0,
						       true)), &p);
	monitor_event_cb(if_event(VALE_CMD_IF_NEW, "vi1"), &p);
	monitor_event_cb(if_event(VALE_CMD_IF_DEL, "vi1"), &p);
	fclose(f);
	CHECK(!strcmp(out,
		      "switch del vale0 index 0 lookup learn ageing 120 ports 0\n"
		      "port detach vale0 vi0 index 0 kind virtual rings 1/2 slots 1024/512 mem 3\n"
		      "switch new vale1 index 1 lookup l3 ports 0 persistent\n"
		      "lookup config vale2 index 2 lookup of controller 255 emc 1 ports 0 persistent\n"
		      "if new vi1\n"
		      "if del vi1\n"));
	schema_set_free(&set);
}

/* Attributes of the wrong size in a reply are left out, not trusted. */
static void test_reply_validation(void)
{
	struct nlmsghdr *nlh = reply(VALE_CMD_PORT_GET);
	nl_attrs_t tb;
	uint16_t two = 2;

	mnl_attr_put(nlh, VALE_ATTR_PORT_INDEX, sizeof(two), &two);	/* not a u32 */
	mnl_attr_put(nlh, VALE_ATTR_PORT_NAME, 3, "abc");		/* no NUL */
	mnl_attr_put_u32(nlh, VALE_ATTR_PORT_KIND, 1);
	mnl_attr_put_u32(nlh, VALE_ATTR_MAX + 5, 1);			/* newer kernel */
	CHECK_EQ(nl_parse(nlh, tb), 0);
	CHECK(tb[VALE_ATTR_PORT_INDEX] == NULL);
	CHECK(tb[VALE_ATTR_PORT_NAME] == NULL);
	CHECK(tb[VALE_ATTR_PORT_KIND] != NULL);
	CHECK_EQ(nl_get_u32(tb[VALE_ATTR_PORT_INDEX]), 0);
	CHECK(nl_get_str(tb[VALE_ATTR_PORT_NAME]) == NULL);
}

/* The manual covers every object, command, keyword and option. */
static void man_has(const char *word, void *data)
{
	const char *man = data;
	char esc[64];
	size_t i, j;

	/* groff writes "-" as "\-" */
	for (i = j = 0; word[i] && j < sizeof(esc) - 2; i++) {
		if (word[i] == '-')
			esc[j++] = '\\';
		esc[j++] = word[i];
	}
	esc[j] = '\0';
	if (strstr(man, esc)) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL: %s does not mention \"%s\"\n", VALECTL_MAN, word);
	}
}

static void test_manual(void)
{
	FILE *f = fopen(VALECTL_MAN, "r");
	char *man = NULL;
	size_t len = 0;
	static const char *const more[] = {
		"EXIT STATUS", "\\-n", "\\-r", "\\-a", "\\-h", "\\-d", "\\-l", "\\-C", "\\-v",
		"\\-s", "\\-j", "\\-p", "\\-V", "vale-ctl",
	};
	size_t i;

	CHECK(f != NULL);
	if (!f)
		return;
	man = calloc(1, 1 << 20);
	len = fread(man, 1, (1 << 20) - 1, f);
	fclose(f);
	CHECK(len > 0);
	vctl_for_each_word(man_has, man);
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		CHECK(strstr(man, more[i]) != NULL);
	free(man);
}

void test_output(void)
{
	RUN(test_build);
	RUN(test_extack);
	RUN(test_json);
	RUN(test_print_switch);
	RUN(test_print_port);
	RUN(test_print_port_host);
	RUN(test_print_fdb);
	RUN(test_print_events);
	RUN(test_reply_validation);
	RUN(test_manual);
	free(out);
}
