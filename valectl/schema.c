// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: lookup modules by their schema. A module declares every
 * attribute of its LOOKUP_CONFIG nest (include/uapi/linux/vale.h, enum
 * vale_schema_attr); VALE_CMD_LOOKUP_SCHEMA gives the declaration, read
 * here into a struct schema, and the rest of valectl uses it to turn
 * "KEY VALUE" words into attributes and attributes back into words and
 * JSON, with no code of its own for any module.
 *
 * The checks made here are the kernel's (vale/lookup_schema.c): types,
 * lengths, ranges, settings only; valectl makes them first to name the
 * key, the module and the switch in its message, and the kernel makes
 * them again whatever sent the request.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <linux/genetlink.h>

#include "schema.h"
#include "text.h"

/* ---- reading ----------------------------------------------------------------- */

static void attr_free(struct schema_attr *a)
{
	int i;

	free(a->name);
	free(a->doc);
	for (i = 0; i < a->nvalues; i++)
		free(a->values[i]);
	free(a->values);
	memset(a, 0, sizeof(*a));
}

void schema_free(struct schema *s)
{
	int i;

	for (i = 0; i < s->nattrs; i++)
		attr_free(&s->attrs[i]);
	for (i = 0; i < s->ntables; i++) {
		free(s->tables[i].name);
		free(s->tables[i].doc);
	}
	free(s->attrs);
	free(s->tables);
	free(s->module);
	memset(s, 0, sizeof(*s));
}

/* A NUL-terminated string attribute, copied into *to (freeing what was there). */
static int take_str(const struct nlattr *a, char **to)
{
	char *s;

	if (mnl_attr_validate(a, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	s = strdup(mnl_attr_get_str(a));
	if (!s)
		return -1;
	free(*to);
	*to = s;
	return 0;
}

static int parse_attr(const struct nlattr *nest, struct schema_attr *out)
{
	const struct nlattr *a;
	bool have_id = false, have_type = false;
	char **v;

	memset(out, 0, sizeof(*out));
	mnl_attr_for_each_nested(a, nest) {
		switch (mnl_attr_get_type(a)) {
		case VALE_SCHEMA_NAME:
			if (take_str(a, &out->name) < 0)
				goto bad;
			break;
		case VALE_SCHEMA_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0 || mnl_attr_get_u32(a) > UINT16_MAX)
				goto bad;
			out->id = (uint16_t)mnl_attr_get_u32(a);
			have_id = true;
			break;
		case VALE_SCHEMA_TYPE:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				goto bad;
			/* a type of a newer kernel stays unknown: shown in hex, never set */
			out->type = mnl_attr_get_u32(a) > UINT16_MAX ? UINT16_MAX :
				    (uint16_t)mnl_attr_get_u32(a);
			have_type = true;
			break;
		case VALE_SCHEMA_FLAGS:
			if (mnl_attr_validate(a, MNL_TYPE_U32) < 0)
				goto bad;
			out->flags = mnl_attr_get_u32(a);
			break;
		case VALE_SCHEMA_LOW:
		case VALE_SCHEMA_HIGH:
			if (mnl_attr_validate(a, MNL_TYPE_U64) < 0)
				goto bad;
			if (mnl_attr_get_type(a) == VALE_SCHEMA_LOW)
				out->min = mnl_attr_get_u64(a);
			else
				out->max = mnl_attr_get_u64(a);
			break;
		case VALE_SCHEMA_DOC:
			if (take_str(a, &out->doc) < 0)
				goto bad;
			break;
		case VALE_SCHEMA_VALUE_NAME:
			v = realloc(out->values, sizeof(*v) * (size_t)(out->nvalues + 1));
			if (!v)
				goto bad;
			out->values = v;
			v[out->nvalues] = NULL;
			if (take_str(a, &v[out->nvalues]) < 0)
				goto bad;
			out->nvalues++;
			break;
		}
	}
	if (out->name && have_id && have_type)
		return 0;
bad:
	attr_free(out);
	return -1;
}

static int parse_table(const struct nlattr *nest, struct schema_table *out)
{
	const struct nlattr *a;

	memset(out, 0, sizeof(*out));
	mnl_attr_for_each_nested(a, nest) {
		if (mnl_attr_get_type(a) == VALE_SCHEMA_NAME && take_str(a, &out->name) < 0)
			goto bad;
		if (mnl_attr_get_type(a) == VALE_SCHEMA_DOC && take_str(a, &out->doc) < 0)
			goto bad;
	}
	if (out->name)
		return 0;
bad:
	free(out->name);
	free(out->doc);
	memset(out, 0, sizeof(*out));
	return -1;
}

int schema_parse(const struct nlmsghdr *nlh, struct schema *s)
{
	const struct nlattr *a;
	void *n;

	schema_free(s);
	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct genlmsghdr))
		return -1;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		switch (mnl_attr_get_type(a)) {
		case VALE_ATTR_LOOKUP_NAME:
			if (take_str(a, &s->module) < 0)
				goto bad;
			break;
		case VALE_ATTR_LOOKUP_ATTR:
			n = realloc(s->attrs, sizeof(s->attrs[0]) * (size_t)(s->nattrs + 1));
			if (!n)
				goto bad;
			s->attrs = n;
			if (parse_attr(a, &s->attrs[s->nattrs]) < 0)
				goto bad;
			s->nattrs++;
			break;
		case VALE_ATTR_LOOKUP_TABLE_DEF:
			n = realloc(s->tables, sizeof(s->tables[0]) * (size_t)(s->ntables + 1));
			if (!n)
				goto bad;
			s->tables = n;
			if (parse_table(a, &s->tables[s->ntables]) < 0)
				goto bad;
			s->ntables++;
			break;
		}
	}
	if (s->module)
		return 0;
bad:
	schema_free(s);
	return -1;
}

const struct schema_attr *schema_attr_by_id(const struct schema *s, uint16_t id)
{
	int i;

	for (i = 0; s && i < s->nattrs; i++)
		if (s->attrs[i].id == id)
			return &s->attrs[i];
	return NULL;
}

const struct schema_attr *schema_attr_by_name(const struct schema *s, const char *name)
{
	int i;

	for (i = 0; s && i < s->nattrs; i++)
		if (!strcmp(s->attrs[i].name, name))
			return &s->attrs[i];
	return NULL;
}

const struct schema_table *schema_table_by_name(const struct schema *s, const char *name)
{
	int i;

	for (i = 0; s && i < s->ntables; i++)
		if (!strcmp(s->tables[i].name, name))
			return &s->tables[i];
	return NULL;
}

/* The largest value of an integer type, 0 for the others. */
static uint64_t type_max(uint16_t type)
{
	switch (type) {
	case VALE_TYPE_U8:
		return UINT8_MAX;
	case VALE_TYPE_U16:
		return UINT16_MAX;
	case VALE_TYPE_U32:
		return UINT32_MAX;
	case VALE_TYPE_U64:
		return UINT64_MAX;
	case VALE_TYPE_PORT:
		return VCTL_MAX_PORTS - 1;
	}
	return 0;
}

static size_t type_size(uint16_t type)
{
	switch (type) {
	case VALE_TYPE_U8:
		return 1;
	case VALE_TYPE_U16:
		return 2;
	case VALE_TYPE_U32:
	case VALE_TYPE_PORT:
		return 4;
	case VALE_TYPE_U64:
		return 8;
	}
	return 0;
}

static bool is_integer(uint16_t type)
{
	return type_max(type) != 0;
}

void schema_range(const struct schema_attr *a, uint64_t *min, uint64_t *max)
{
	*min = a->min;
	*max = a->max;
	if (is_integer(a->type) && !a->min && !a->max)
		*max = type_max(a->type);
	if (a->type == VALE_TYPE_STRING && !a->max)
		*max = 255;
}

const char *schema_type_name(uint16_t type)
{
	static const char *const names[VALE_TYPE_MAX + 1] = {
		[VALE_TYPE_FLAG] = "flag", [VALE_TYPE_U8] = "u8", [VALE_TYPE_U16] = "u16",
		[VALE_TYPE_U32] = "u32", [VALE_TYPE_U64] = "u64", [VALE_TYPE_STRING] = "string",
		[VALE_TYPE_MAC] = "mac", [VALE_TYPE_IP] = "ip", [VALE_TYPE_PORT] = "port",
		[VALE_TYPE_BINARY] = "binary", [VALE_TYPE_NESTED] = "nested",
	};
	static char buf[24];

	if (type <= VALE_TYPE_MAX && names[type])
		return names[type];
	snprintf(buf, sizeof(buf), "type %u", type);
	return buf;
}

void schema_set_free(struct schema_set *set)
{
	int i;

	for (i = 0; i < set->n; i++)
		schema_free(&set->s[i]);
	free(set->s);
	set->s = NULL;
	set->n = 0;
}

int schema_set_add(struct schema_set *set, struct schema *s)
{
	struct schema *n = realloc(set->s, sizeof(*n) * (size_t)(set->n + 1));

	if (!n)
		return -1;
	set->s = n;
	set->s[set->n++] = *s;
	memset(s, 0, sizeof(*s));
	return 0;
}

const struct schema *schema_set_get(struct schema_set *set, const char *module)
{
	struct schema s = { .module = NULL };
	int i;

	if (!module)
		return NULL;
	for (i = 0; i < set->n; i++)
		if (set->s[i].module && !strcmp(set->s[i].module, module))
			return set->s[i].missing ? NULL : &set->s[i];
	if (!set->load)
		return NULL;
	if (set->load(set->ctx, module, &s) < 0 || !s.module || strcmp(s.module, module)) {
		/* remembered as a module without a schema: not asked again */
		schema_free(&s);
		s.module = strdup(module);
		s.missing = true;
		if (!s.module || schema_set_add(set, &s) < 0)
			schema_free(&s);
		return NULL;
	}
	if (schema_set_add(set, &s) < 0) {
		schema_free(&s);
		return NULL;
	}
	return &set->s[set->n - 1];
}

/* ---- from the kernel ----------------------------------------------------------- */

static int schema_cb(const struct nlmsghdr *nlh, void *data)
{
	struct schema *s = data;

	if (!s->module)
		schema_parse(nlh, s);
	return MNL_CB_OK;
}

int schema_fetch(struct nl *nl, const struct vctl_req *req, const struct vctl_arg *by,
		 struct schema *s)
{
	struct vctl_req sub;
	int ret;

	memset(s, 0, sizeof(*s));
	vctl_req_sub(&sub, req, VALE_CMD_LOOKUP_SCHEMA, false);
	sub.args[sub.nargs++] = *by;
	ret = nl_run(nl, &sub, schema_cb, s);
	if (ret != EXIT_OK)
		return ret;
	if (!s->module) {
		if (!req->quiet)
			fprintf(stderr, "Error: the kernel's lookup module schema could not be read\n");
		return EXIT_ERR;
	}
	return EXIT_OK;
}

static int set_cb(const struct nlmsghdr *nlh, void *data)
{
	struct schema_set *set = data;
	struct schema s = { .module = NULL };

	if (schema_parse(nlh, &s) == 0 && schema_set_add(set, &s) < 0)
		schema_free(&s);
	return MNL_CB_OK;
}

void schema_set_load(struct nl *nl, const struct vctl_req *req, struct schema_set *set)
{
	struct vctl_req sub;

	vctl_req_sub(&sub, req, VALE_CMD_LOOKUP_SCHEMA, true);
	sub.quiet = true;
	nl_run(nl, &sub, set_cb, set);
}

/* ---- text to attributes ---------------------------------------------------------- */

/* What a value of a must be, for messages: "a number from 1 to 1000000". */
static void describe(char *buf, size_t size, const struct schema_attr *a)
{
	uint64_t min, max;
	size_t n;
	int i;

	schema_range(a, &min, &max);
	switch (a->type) {
	case VALE_TYPE_FLAG:
		snprintf(buf, size, "no value");
		return;
	case VALE_TYPE_PORT:
		snprintf(buf, size, "a port number from %llu to %llu, or a port name",
			 (unsigned long long)min, (unsigned long long)max);
		return;
	case VALE_TYPE_U8:
	case VALE_TYPE_U16:
	case VALE_TYPE_U32:
	case VALE_TYPE_U64:
		n = (size_t)snprintf(buf, size, "a number from %llu to %llu",
				     (unsigned long long)min, (unsigned long long)max);
		for (i = 0; i < a->nvalues && n < size; i++)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : ", or one of: ",
					      a->values[i]);
		return;
	case VALE_TYPE_STRING:
		snprintf(buf, size, "a string of at most %llu bytes", (unsigned long long)max);
		return;
	case VALE_TYPE_MAC:
		snprintf(buf, size, "a MAC address (02:00:00:00:00:01)");
		return;
	case VALE_TYPE_IP:
		snprintf(buf, size, "an IPv4 or IPv6 address");
		return;
	case VALE_TYPE_BINARY:
		if (min == max)
			snprintf(buf, size, "%llu bytes in hex (0a1b2c...)", (unsigned long long)max);
		else
			snprintf(buf, size, "%llu to %llu bytes in hex (0a1b2c...)",
				 (unsigned long long)min, (unsigned long long)max);
		return;
	case VALE_TYPE_NESTED:
		snprintf(buf, size, "a nested attribute, which only the module's own commands "
			 "give");
		return;
	}
	snprintf(buf, size, "a value of %s, which valectl does not know", schema_type_name(a->type));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Hex bytes: "0a1b2c", "0x0a1b2c" or "0a:1b:2c"; their number, or -1. */
static int hex_parse(const char *s, uint8_t *out, size_t size)
{
	size_t n = 0;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	while (*s) {
		int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);

		if (hi < 0 || lo < 0 || n >= size)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
		if (*s == ':' && s[1])
			s++;
	}
	return (int)n;
}

int schema_parse_value(const struct schema_attr *a, const char *value, struct vctl_req *req,
		       struct vctl_arg *arg, char *why, size_t whysize)
{
	static const enum vctl_type vt[] = {
		[VALE_TYPE_U8] = VT_U8, [VALE_TYPE_U16] = VT_U16, [VALE_TYPE_U32] = VT_U32,
		[VALE_TYPE_U64] = VT_U64, [VALE_TYPE_PORT] = VT_U32,
	};
	size_t len = strlen(value);
	uint8_t buf[VCTL_BLOB_MAX];
	uint64_t min, max, v = 0;
	const char *w;
	int i, n;

	schema_range(a, &min, &max);
	switch (a->type) {
	case VALE_TYPE_FLAG:
		arg->type = VT_FLAG;
		return 0;
	case VALE_TYPE_PORT:
		if (len && !vctl_port_is_number(value, len)) {
			arg->type = VT_U32;
			if (vctl_port_name_arg(arg, value, len) < 0)
				goto bad;
			return 0;
		}
		/* fall through */
	case VALE_TYPE_U8:
	case VALE_TYPE_U16:
	case VALE_TYPE_U32:
	case VALE_TYPE_U64:
		for (i = 0; i < a->nvalues; i++)
			if (a->values[i][0] && !strcmp(a->values[i], value))
				break;
		if (i < a->nvalues)
			v = (uint64_t)i;
		else if (vctl_num_parse(value, len, UINT64_MAX, &v, &w) < 0)
			goto bad;
		if (v < min || v > max)
			goto bad;
		arg->type = vt[a->type];
		arg->u64 = v;
		arg->u32 = (uint32_t)v;
		return 0;
	case VALE_TYPE_STRING:
		if (len > max)
			goto bad;
		arg->type = VT_STR;
		arg->str = value;
		return 0;
	case VALE_TYPE_MAC:
		if (vctl_mac_parse(value, len, buf, &w) < 0)
			goto bad;
		arg->type = VT_BIN;
		return vctl_set_bin(req, arg, buf, 6);
	case VALE_TYPE_IP:
		n = vctl_addr_parse(value, len, buf, &w);
		if (n < 0)
			goto bad;
		arg->type = VT_BIN;
		return vctl_set_bin(req, arg, buf, (size_t)n);
	case VALE_TYPE_BINARY:
		n = hex_parse(value, buf, sizeof(buf));
		if (n < 0 || (uint64_t)n < min || (uint64_t)n > max)
			goto bad;
		arg->type = VT_BIN;
		if (vctl_set_bin(req, arg, buf, (size_t)n) < 0) {
			snprintf(why, whysize, "too long for one request of valectl");
			return -1;
		}
		return 0;
	}
bad:
	describe(why, whysize, a);
	return -1;
}

/* The module's settings and actions, for messages: "ageing; actions: flush". */
static void settable_list(char *buf, size_t size, const struct schema *s)
{
	size_t n = 0;
	int pass, i, k;

	buf[0] = '\0';
	for (pass = 0; pass < 2; pass++) {
		uint32_t flag = pass ? VALE_SCHEMA_F_ACTION : VALE_SCHEMA_F_SETTING;

		for (i = k = 0; i < s->nattrs && n < size; i++) {
			if (!(s->attrs[i].flags & flag))
				continue;
			n += (size_t)snprintf(buf + n, size - n, "%s%s", k ? ", " :
					      pass ? (n ? "; actions: " : "none; actions: ") : "",
					      s->attrs[i].name);
			k++;
		}
	}
	if (!buf[0])
		snprintf(buf, size, "none");
}

static bool settable(const struct schema_attr *a)
{
	return (a->flags & (VALE_SCHEMA_F_SETTING | VALE_SCHEMA_F_ACTION)) &&
	       !(a->flags & VALE_SCHEMA_F_DUMP_ONLY);
}

/* The commands that configure a module valectl knows besides its schema. */
static const char *own_commands(const char *module)
{
	if (!strcmp(module, "l3"))
		return "\"valectl route\", \"neigh\", \"addr\" and \"router\" configure it";
	if (!strcmp(module, "of"))
		return "\"valectl flow\" configures it";
	if (!strcmp(module, "learn"))
		return "\"valectl fdb\" shows its table";
	return "only a tool of its own configures it";
}

/* The attribute of key: exact, or a unique prefix of a setting or action's name. */
static const struct schema_attr *find_key(const struct schema *s, const char *key,
					  bool *ambiguous)
{
	const struct schema_attr *a = schema_attr_by_name(s, key), *found = NULL;
	size_t len = strlen(key);
	int i;

	*ambiguous = false;
	if (a || !len)
		return a;
	for (i = 0; i < s->nattrs; i++) {
		if (!settable(&s->attrs[i]) || strncmp(s->attrs[i].name, key, len))
			continue;
		if (found) {
			*ambiguous = true;
			return NULL;
		}
		found = &s->attrs[i];
	}
	return found;
}

static int __attribute__((format(printf, 4, 5)))
encode_error(FILE *err, const struct schema *s, const char *sw, const char *fmt, ...)
{
	va_list ap;

	fprintf(err, "Error: lookup module \"%s\" of switch %s", s->module, sw);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	return EXIT_ERR;
}

int schema_encode_config(const struct schema *s, const char *sw, struct vctl_req *req, FILE *err)
{
	char list[512], why[512];
	int i = req->kv_first, j;

	if (!sw)
		sw = "?";
	settable_list(list, sizeof(list), s);
	if (vctl_add_module(req, s->module) < 0)
		return encode_error(err, s, sw, ": too many arguments");
	while (i < req->argc) {
		const char *key = req->argv[i];
		const struct schema_attr *a;
		struct vctl_arg *arg;
		bool ambiguous;

		a = find_key(s, key, &ambiguous);
		if (!a && ambiguous)
			return encode_error(err, s, sw, ": \"%s\" is ambiguous (settings: %s)",
					    key, list);
		if (!a)
			return encode_error(err, s, sw, " has no setting \"%s\" (settings: %s)",
					    key, list);
		if (a->flags & VALE_SCHEMA_F_DUMP_ONLY)
			return encode_error(err, s, sw, ": \"%s\" is only reported in its tables "
					    "(valectl lookup dump %s), not a setting (settings: %s)",
					    a->name, sw, list);
		if (!settable(a))
			return encode_error(err, s, sw, ": \"%s\" is not a setting (settings: %s); "
					    "%s", a->name, list, own_commands(s->module));
		if (a->type == VALE_TYPE_NESTED)
			return encode_error(err, s, sw, ": \"%s\" is nested: valectl cannot set it "
					    "from words; %s", a->name, own_commands(s->module));
		for (j = 0; j < req->nargs; j++)
			if (req->args[j].nest == VALE_ATTR_LOOKUP_CONFIG && req->args[j].attr == a->id)
				return encode_error(err, s, sw, ": \"%s\" given twice", a->name);
		arg = vctl_push(req, a->id, VALE_ATTR_LOOKUP_CONFIG, 0, VT_FLAG, i);
		if (!arg)
			return encode_error(err, s, sw, ": too many settings");
		arg->kwi = i;
		if (a->type == VALE_TYPE_FLAG) {
			i++;
			continue;
		}
		if (i + 1 >= req->argc) {
			describe(why, sizeof(why), a);
			return encode_error(err, s, sw, ": \"%s\" needs a value: %s", a->name, why);
		}
		arg->argi = i + 1;
		if (schema_parse_value(a, req->argv[i + 1], req, arg, why, sizeof(why)) < 0)
			return encode_error(err, s, sw, ": \"%s %s\": %s", key, req->argv[i + 1], why);
		i += 2;
	}
	return EXIT_OK;
}

/* ---- attributes to text -------------------------------------------------------------- */

static void hex_text(char *buf, size_t size, const uint8_t *p, size_t len)
{
	size_t i, n = 0;

	if (!len) {
		snprintf(buf, size, "\"\"");
		return;
	}
	buf[0] = '\0';
	for (i = 0; i < len && n + 3 <= size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%02x", p[i]);
}

/* A string, in quotes when it would not read back as one word. */
static void str_text(char *buf, size_t size, const char *s)
{
	size_t n = 0;
	const char *p;

	if (*s && !strpbrk(s, " \t\n\"'\\=")) {
		snprintf(buf, size, "%s", s);
		return;
	}
	if (size < 3) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[n++] = '"';
	for (p = s; *p && n + 3 < size; p++) {
		if (*p == '"' || *p == '\\')
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	buf[n++] = '"';
	buf[n] = '\0';
}

static uint64_t get_uint(const struct nlattr *nla, size_t size)
{
	switch (size) {
	case 1:
		return mnl_attr_get_u8(nla);
	case 2:
		return mnl_attr_get_u16(nla);
	case 4:
		return mnl_attr_get_u32(nla);
	default:
		return mnl_attr_get_u64(nla);
	}
}

/* Does nla's payload fit a's type? */
static bool fits(const struct schema_attr *a, const struct nlattr *nla)
{
	uint16_t len = mnl_attr_get_payload_len(nla);

	if (is_integer(a->type))
		return len == type_size(a->type);
	switch (a->type) {
	case VALE_TYPE_FLAG:
		return len == 0;
	case VALE_TYPE_STRING:
		return mnl_attr_validate(nla, MNL_TYPE_NUL_STRING) == 0;
	case VALE_TYPE_MAC:
		return len == 6;
	case VALE_TYPE_IP:
		return len == 4 || len == 16;
	case VALE_TYPE_BINARY:
	case VALE_TYPE_NESTED:
		return true;
	}
	return false;
}

void schema_format_value(char *buf, size_t size, const struct schema_attr *a,
			 const struct nlattr *nla, const struct port_names *names)
{
	const uint8_t *p = mnl_attr_get_payload(nla);
	uint16_t len = mnl_attr_get_payload_len(nla);
	char num[16];
	uint64_t v;

	if (!size)
		return;
	if (!a || !fits(a, nla)) {
		hex_text(buf, size, p, len);
		return;
	}
	if (is_integer(a->type)) {
		v = get_uint(nla, type_size(a->type));
		if (a->type == VALE_TYPE_PORT && v < VCTL_MAX_PORTS)
			snprintf(buf, size, "%s", port_word(names, (uint32_t)v, num));
		else if (v < (uint64_t)a->nvalues && a->values[v][0])
			snprintf(buf, size, "%s", a->values[v]);
		else
			snprintf(buf, size, "%llu", (unsigned long long)v);
		return;
	}
	switch (a->type) {
	case VALE_TYPE_FLAG:
		buf[0] = '\0';
		return;
	case VALE_TYPE_STRING:
		str_text(buf, size, mnl_attr_get_str(nla));
		return;
	case VALE_TYPE_MAC:
		if (size >= 18)
			vctl_mac_format(buf, p);
		else
			buf[0] = '\0';
		return;
	case VALE_TYPE_IP:
		vctl_addr_format(buf, size, p, len);
		return;
	case VALE_TYPE_NESTED:
		snprintf(buf, size, "<nested, %u bytes>", len);
		return;
	default:
		hex_text(buf, size, p, len);
	}
}

void schema_json_member(struct jw *w, const char *key, const struct schema_attr *a,
			const struct nlattr *nla, const struct port_names *names)
{
	char text[1024], kname[128];
	const char *name;
	uint64_t v;

	if (a && fits(a, nla) && a->type == VALE_TYPE_FLAG) {
		jw_bool(w, key, true);
		return;
	}
	if (a && fits(a, nla) && is_integer(a->type)) {
		v = get_uint(nla, type_size(a->type));
		if (a->type == VALE_TYPE_PORT) {
			jw_u64(w, key, v);
			name = v < VCTL_MAX_PORTS ? port_name_of(names, (uint32_t)v) : NULL;
			snprintf(kname, sizeof(kname), "%s_name", key);
			if (name)
				jw_str(w, kname, name);
		} else if (v < (uint64_t)a->nvalues && a->values[v][0]) {
			jw_str(w, key, a->values[v]);
		} else {
			jw_u64(w, key, v);
		}
		return;
	}
	if (a && fits(a, nla) && a->type == VALE_TYPE_STRING) {
		jw_str(w, key, mnl_attr_get_str(nla));	/* as it is, not quoted */
		return;
	}
	schema_format_value(text, sizeof(text), a, nla, names);
	jw_str(w, key, text);
}

/* The key of an attribute: its name, or "attrN" when undeclared. */
static const char *key_of(const struct schema_attr *a, const struct nlattr *nla, char buf[16])
{
	if (a)
		return a->name;
	snprintf(buf, 16, "attr%u", mnl_attr_get_type(nla));
	return buf;
}

/* Append "sep key[sep2 value]" to buf (n used); a flag is its key alone. */
static size_t append(char *buf, size_t size, size_t n, const char *sep, const char *key,
		     const char *sep2, const char *value, bool flag)
{
	int r;

	if (n >= size)
		return n;
	r = flag ? snprintf(buf + n, size - n, "%s%s", sep, key) :
	      snprintf(buf + n, size - n, "%s%s%s%s", sep, key, sep2, value);
	return r < 0 ? n : n + (size_t)r;
}

static bool is_flag(const struct schema_attr *a, const struct nlattr *nla)
{
	return a && a->type == VALE_TYPE_FLAG && fits(a, nla);
}

void schema_settings_text(char *buf, size_t size, const struct schema *s,
			  const struct nlattr *config, const struct port_names *names)
{
	const struct nlattr *nla;
	char value[1024];
	size_t n = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if (!s || !config)
		return;
	mnl_attr_for_each_nested(nla, config) {
		const struct schema_attr *a = schema_attr_by_id(s, mnl_attr_get_type(nla));

		if (!a)
			continue;
		schema_format_value(value, sizeof(value), a, nla, names);
		n = append(buf, size, n, n ? " " : "", a->name, " ", value, is_flag(a, nla));
	}
}

void schema_settings_json(struct jw *w, const struct schema *s, const struct nlattr *config,
			  const struct port_names *names)
{
	const struct nlattr *nla;

	if (!s || !config)
		return;
	mnl_attr_for_each_nested(nla, config) {
		const struct schema_attr *a = schema_attr_by_id(s, mnl_attr_get_type(nla));

		if (a)
			schema_json_member(w, a->name, a, nla, names);
	}
}

void schema_row_text(char *buf, size_t size, const struct schema *s,
		     const struct nlattr *config, const struct port_names *names)
{
	const struct nlattr *nla;
	char value[1024], k[16];
	size_t n = 0;

	if (!size)
		return;
	buf[0] = '\0';
	if (!config)
		return;
	mnl_attr_for_each_nested(nla, config) {
		const struct schema_attr *a = schema_attr_by_id(s, mnl_attr_get_type(nla));

		schema_format_value(value, sizeof(value), a, nla, names);
		n = append(buf, size, n, n ? " " : "", key_of(a, nla, k), "=", value,
			   is_flag(a, nla));
	}
}

void schema_row_json(struct jw *w, const struct schema *s, const struct nlattr *config,
		     const struct port_names *names)
{
	const struct nlattr *nla;
	char k[16];

	if (!config)
		return;
	mnl_attr_for_each_nested(nla, config) {
		const struct schema_attr *a = schema_attr_by_id(s, mnl_attr_get_type(nla));

		schema_json_member(w, key_of(a, nla, k), a, nla, names);
	}
}

/* ---- the schema itself ------------------------------------------------------------------ */

static bool has_range(const struct schema_attr *a)
{
	return is_integer(a->type) || a->type == VALE_TYPE_STRING || a->type == VALE_TYPE_BINARY;
}

static void range_text(char *buf, size_t size, const struct schema_attr *a)
{
	uint64_t min, max;

	schema_range(a, &min, &max);
	if (is_integer(a->type))
		snprintf(buf, size, "%llu..%llu", (unsigned long long)min, (unsigned long long)max);
	else if (a->type == VALE_TYPE_STRING)
		snprintf(buf, size, "0..%llu bytes", (unsigned long long)max);
	else if (a->type == VALE_TYPE_BINARY)
		snprintf(buf, size, "%llu..%llu bytes", (unsigned long long)min,
			 (unsigned long long)max);
	else
		snprintf(buf, size, "-");
}

static const struct {
	uint32_t flag;
	const char *name;
} flag_names[] = {
	{ VALE_SCHEMA_F_SETTING, "setting" },
	{ VALE_SCHEMA_F_ACTION, "action" },
	{ VALE_SCHEMA_F_DUMP_ONLY, "dump-only" },
};

#define NFLAGS	(sizeof(flag_names) / sizeof(flag_names[0]))

static void flags_text(char *buf, size_t size, uint32_t flags)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < NFLAGS && n < size; i++)
		if (flags & flag_names[i].flag)
			n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "",
					      flag_names[i].name);
	if (!buf[0])
		snprintf(buf, size, "-");
}

static void schema_json(struct jw *w, const struct schema *s)
{
	int i, k;
	size_t f;

	jw_obj_open(w, NULL);
	jw_str(w, "lookup", s->module);
	jw_arr_open(w, "attrs");
	for (i = 0; i < s->nattrs; i++) {
		const struct schema_attr *a = &s->attrs[i];
		uint64_t min, max;

		jw_obj_open(w, NULL);
		jw_str(w, "name", a->name);
		jw_u64(w, "id", a->id);
		jw_str(w, "type", schema_type_name(a->type));
		jw_arr_open(w, "flags");
		for (f = 0; f < NFLAGS; f++)
			if (a->flags & flag_names[f].flag)
				jw_str(w, NULL, flag_names[f].name);
		jw_arr_close(w);
		if (has_range(a)) {
			schema_range(a, &min, &max);
			jw_u64(w, "min", min);
			jw_u64(w, "max", max);
		}
		if (a->doc)
			jw_str(w, "doc", a->doc);
		if (a->nvalues) {
			jw_arr_open(w, "values");
			for (k = 0; k < a->nvalues; k++)
				jw_str(w, NULL, a->values[k]);
			jw_arr_close(w);
		}
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_arr_open(w, "tables");
	for (i = 0; i < s->ntables; i++) {
		jw_obj_open(w, NULL);
		jw_str(w, "name", s->tables[i].name);
		if (s->tables[i].doc)
			jw_str(w, "doc", s->tables[i].doc);
		jw_obj_close(w);
	}
	jw_arr_close(w);
	jw_obj_close(w);
}

void schema_print(struct printer *p, const struct schema *s)
{
	static const char *const heads[] = { "ATTRIBUTE", "ID", "TYPE", "RANGE", "FLAGS", "DOC" };
	struct table t;
	char id[16], range[64], flags[64], values[2048];
	size_t n;
	int i, k;

	if (p->req->json) {
		schema_json(&p->jw, s);
		return;
	}
	fprintf(p->f, "%slookup %s\n", p->priv ? "\n" : "", s->module);
	p->priv = p;	/* a blank line before the next module */
	table_init(&t, heads, 6, "lrllll");
	for (i = 0; i < s->nattrs; i++) {
		const struct schema_attr *a = &s->attrs[i];

		snprintf(id, sizeof(id), "%u", a->id);
		range_text(range, sizeof(range), a);
		flags_text(flags, sizeof(flags), a->flags);
		table_row(&t, a->name, id, schema_type_name(a->type), range, flags,
			  a->doc ? a->doc : "");
		if (!a->nvalues)
			continue;
		n = (size_t)snprintf(values, sizeof(values), "    values:");
		for (k = 0; k < a->nvalues && n < sizeof(values); k++)
			n += (size_t)snprintf(values + n, sizeof(values) - n, " %d %s%s", k,
					      a->values[k], k + 1 < a->nvalues ? "," : "");
		table_note(&t, "%s\n", values);
	}
	if (table_print(&t, p->f) < 0)
		p->t.error = 1;
	table_free(&t);
	for (i = 0; i < s->ntables; i++)
		fprintf(p->f, "table %s%s%s\n", s->tables[i].name, s->tables[i].doc ? ": " : "",
			s->tables[i].doc ? s->tables[i].doc : "");
}
