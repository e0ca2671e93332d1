// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: the command line, "valectl [OPTIONS] OBJECT VERB ARGS", parsed
 * into a struct vctl_req with tables: one per object listing its verbs,
 * each verb with its positional arguments and a table of keywords, each
 * keyword naming the attribute its value goes into. Nothing here talks
 * to the kernel (test_parse.c runs it without one).
 *
 * Words match exactly or by a unique prefix ("valectl sw sh"), as in
 * iproute2. Errors print a message and the object's usage on err and
 * return EXIT_USAGE.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "valectl.h"

/* A keyword argument: "NAME VALUE" into attribute attr (nested in nest). */
struct kw {
	const char *name;
	uint16_t attr;
	uint16_t nest;
	enum vctl_type type;
};

/* A positional argument. */
struct pos {
	uint16_t attr;
	const char *metavar;
	bool optional;		/* it and all after it */
};

#define VF_DUMP		0x1	/* always a dump */
#define VF_DUMP_SHORT	0x2	/* a dump unless every positional is given */
#define VF_NEED_KW	0x4	/* at least one keyword */

struct verb {
	const char *names[4];	/* the name, then aliases */
	enum vctl_op op;
	uint8_t cmd;
	unsigned int flags;
	struct pos pos[3];
	const struct kw *kws;	/* ends with a NULL name */
	/* the arguments after the verb, when the tables above can't say them */
	int (*parse)(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
};

struct object {
	const char *name;
	const struct verb *verbs;	/* ends with a NULL name */
	enum vctl_op dflt;		/* the verb when none is given */
	const char *usage;
	/* the arguments after the verb, when the tables above can't say them */
	int (*parse)(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
};

#define NO_KW	((const struct kw *)NULL)

static const struct kw switch_add_kws[] = {
	{ "lookup", VALE_ATTR_LOOKUP_NAME, 0, VT_STR },
	{ NULL, 0, 0, VT_STR },
};

static const struct kw port_attach_kws[] = {
	{ "host", VALE_ATTR_PORT_HOST, 0, VT_FLAG },	/* and its host stack, NAME^ */
	{ NULL, 0, 0, VT_STR },
};

static const struct kw if_add_kws[] = {
	{ "tx-rings", VALE_ATTR_PORT_TX_RINGS, 0, VT_U32 },
	{ "rx-rings", VALE_ATTR_PORT_RX_RINGS, 0, VT_U32 },
	{ "tx-slots", VALE_ATTR_PORT_TX_SLOTS, 0, VT_U32 },
	{ "rx-slots", VALE_ATTR_PORT_RX_SLOTS, 0, VT_U32 },
	{ NULL, 0, 0, VT_STR },
};

#define SW	{ VALE_ATTR_SWITCH_NAME, "SWITCH", false }
#define SW_OPT	{ VALE_ATTR_SWITCH_NAME, "SWITCH", true }

static const struct verb switch_verbs[] = {
	{ { "add", "new", "create" }, OP_SWITCH_ADD, VALE_CMD_SWITCH_NEW, 0,
	  { SW }, switch_add_kws, NULL },
	{ { "del", "delete", "remove" }, OP_SWITCH_DEL, VALE_CMD_SWITCH_DEL, 0,
	  { SW }, NO_KW, NULL },
	{ { "show", "list", "ls" }, OP_SWITCH_SHOW, VALE_CMD_SWITCH_GET, VF_DUMP_SHORT,
	  { SW_OPT }, NO_KW, NULL },
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

static const struct verb port_verbs[] = {
	{ { "attach", "add" }, OP_PORT_ATTACH, VALE_CMD_PORT_ATTACH, 0,
	  { SW, { VALE_ATTR_PORT_NAME, "IFNAME", false } }, port_attach_kws, NULL },
	{ { "detach", "del", "delete" }, OP_PORT_DETACH, VALE_CMD_PORT_DETACH, 0,
	  { SW, { VALE_ATTR_PORT_NAME, "IFNAME", false } }, NO_KW, NULL },
	{ { "show", "list", "ls" }, OP_PORT_SHOW, VALE_CMD_PORT_GET, VF_DUMP_SHORT,
	  { SW_OPT, { VALE_ATTR_PORT_NAME, "PORT", true } }, NO_KW, NULL },
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

static const struct verb if_verbs[] = {
	{ { "add", "new", "create" }, OP_IF_ADD, VALE_CMD_IF_NEW, 0,
	  { { VALE_ATTR_IF_NAME, "IFNAME", false } }, if_add_kws, NULL },
	{ { "del", "delete", "remove" }, OP_IF_DEL, VALE_CMD_IF_DEL, 0,
	  { { VALE_ATTR_IF_NAME, "IFNAME", false } }, NO_KW, NULL },
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

/*
 * The keys of "lookup config" are the module's (its schema, read from the
 * kernel when the command runs: lookup.c); "lookup schema" takes a
 * module or a switch.
 */
static const struct verb lookup_verbs[] = {
	{ { "set" }, OP_LOOKUP_SET, VALE_CMD_LOOKUP_SET, 0,
	  { SW, { VALE_ATTR_LOOKUP_NAME, "NAME", false } }, NO_KW, NULL },
	{ { "config", "configure" }, OP_LOOKUP_CONFIG, VALE_CMD_LOOKUP_CONFIG, 0,
	  { { 0, NULL, false } }, NO_KW, lookup_config_parse },
	{ { "show", "list", "ls" }, OP_LOOKUP_SHOW, VALE_CMD_SWITCH_GET, 0,
	  { SW }, NO_KW, NULL },
	{ { "dump" }, OP_LOOKUP_DUMP, VALE_CMD_LOOKUP_DUMP, VF_DUMP,
	  { SW, { VALE_ATTR_LOOKUP_TABLE, "TABLE", true } }, NO_KW, NULL },
	{ { "schema" }, OP_LOOKUP_SCHEMA, VALE_CMD_LOOKUP_SCHEMA, 0,
	  { { 0, NULL, false } }, NO_KW, lookup_schema_parse },
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

/* The learning bridge's table "fdb" and its action "flush" (fdb.c). */
static const struct verb fdb_verbs[] = {
	{ { "show", "list", "ls" }, OP_FDB_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP,
	  { { 0, NULL, false } }, NO_KW, fdb_parse },
	{ { "flush" }, OP_FDB_FLUSH, VALE_CMD_LOOKUP_CONFIG, 0,
	  { { 0, NULL, false } }, NO_KW, fdb_parse },
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

/* The l3 router's objects and the flow table: their arguments are parsed
 * by route.c and flow.c (addresses, prefixes, flow text). */
#define VERB(n1, n2, op, cmd, flags) \
	{ { n1, n2 }, op, cmd, flags, { { 0, NULL, false } }, NO_KW, NULL }
#define VERB_END	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL }

static const struct verb route_verbs[] = {
	VERB("add", NULL, OP_ROUTE_ADD, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("del", "delete", OP_ROUTE_DEL, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("show", "list", OP_ROUTE_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB_END,
};

static const struct verb neigh_verbs[] = {
	VERB("add", "replace", OP_NEIGH_ADD, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("del", "delete", OP_NEIGH_DEL, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("show", "list", OP_NEIGH_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB_END,
};

static const struct verb addr_verbs[] = {
	VERB("add", NULL, OP_ADDR_ADD, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("del", "delete", OP_ADDR_DEL, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("show", "list", OP_ADDR_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB_END,
};

static const struct verb router_verbs[] = {
	VERB("port", NULL, OP_ROUTER_PORT, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("flush", NULL, OP_ROUTER_FLUSH, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("show", "list", OP_ROUTER_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB_END,
};

static const struct verb flow_verbs[] = {
	VERB("add", NULL, OP_FLOW_ADD, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("mod", "modify", OP_FLOW_MOD, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("del", "delete", OP_FLOW_DEL, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("show", "dump", OP_FLOW_SHOW, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB("miss", NULL, OP_FLOW_MISS, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("controller", NULL, OP_FLOW_CONTROLLER, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("emc", NULL, OP_FLOW_EMC, VALE_CMD_LOOKUP_CONFIG, 0),
	VERB("table", NULL, OP_FLOW_TABLE, VALE_CMD_LOOKUP_DUMP, VF_DUMP),
	VERB_END,
};

static const struct verb monitor_verbs[] = {
	{ { NULL }, OP_NONE, 0, 0, { { 0, NULL, false } }, NO_KW, NULL },
};

static const struct object objects[] = {
	{ "switch", switch_verbs, OP_SWITCH_SHOW,
	  "valectl switch add SWITCH [lookup NAME]\n"
	  "valectl switch del SWITCH\n"
	  "valectl switch show [SWITCH]\n", NULL },
	{ "port", port_verbs, OP_PORT_SHOW,
	  "valectl port attach SWITCH IFNAME [host]\n"
	  "valectl port detach SWITCH IFNAME\n"
	  "valectl [-s] port show [SWITCH [PORT]]\n", NULL },
	{ "if", if_verbs, OP_NONE,
	  "valectl if add IFNAME [tx-rings N] [rx-rings N] [tx-slots N] [rx-slots N]\n"
	  "valectl if del IFNAME\n", NULL },
	{ "lookup", lookup_verbs, OP_NONE,
	  "valectl lookup set SWITCH NAME\n"
	  "valectl lookup config SWITCH KEY [VALUE] [KEY [VALUE]]...\n"
	  "valectl [-N] lookup show SWITCH\n"
	  "valectl [-N] lookup dump SWITCH [TABLE]\n"
	  "valectl lookup schema [MODULE | SWITCH]\n"
	  "KEY := a setting or an action of the switch's module (\"valectl lookup schema SWITCH\"):\n"
	  "       the learning bridge's \"ageing SECONDS\" and \"flush\"; a flag takes no VALUE\n",
	  NULL },
	{ "fdb", fdb_verbs, OP_FDB_SHOW,
	  "valectl fdb show SWITCH\n"
	  "valectl fdb flush SWITCH\n", NULL },
	{ "route", route_verbs, OP_ROUTE_SHOW,
	  "valectl route add SWITCH PREFIX port N [via ADDR]\n"
	  "valectl route del SWITCH PREFIX\n"
	  "valectl [-N] route show SWITCH\n"
	  "PREFIX := ADDR[/LEN] | default\n"
	  "N := a port number (INDEX of \"port show\") or name (PORT of \"port show\")\n",
	  route_parse },
	{ "neigh", neigh_verbs, OP_NEIGH_SHOW,
	  "valectl neigh add SWITCH ADDR lladdr MAC port N\n"
	  "valectl neigh del SWITCH ADDR port N\n"
	  "valectl [-N] neigh show SWITCH\n", route_parse },
	{ "addr", addr_verbs, OP_ADDR_SHOW,
	  "valectl addr add SWITCH ADDR port N\n"
	  "valectl addr del SWITCH ADDR port N\n"
	  "valectl [-N] addr show SWITCH\n", route_parse },
	{ "router", router_verbs, OP_ROUTER_SHOW,
	  "valectl router port set SWITCH N mac MAC\n"
	  "valectl router port del SWITCH N\n"
	  "valectl router flush SWITCH\n"
	  "valectl [-s] [-N] router show SWITCH\n", route_parse },
	{ "flow", flow_verbs, OP_FLOW_SHOW,
	  "valectl flow add SWITCH FLOW\n"
	  "valectl flow mod SWITCH FLOW [strict]\n"
	  "valectl flow del SWITCH [FLOW] [strict]\n"
	  "valectl [-N] flow show SWITCH [MATCH]\n"
	  "valectl flow miss SWITCH ACTIONS\n"
	  "valectl flow controller SWITCH PORT|none\n"
	  "valectl flow emc SWITCH on|off\n"
	  "valectl [-N] flow table SWITCH\n"
	  "FLOW := \"[priority=N,][FIELD=VALUE,...]actions=ACTION[,ACTION...]\"\n"
	  "MATCH := \"[priority=N,][FIELD=VALUE,...]\": the flows that match these fields\n"
	  "PORT := a number or a name: in_port=PORT, output:PORT (all after the first ':'\n"
	  "        up to the next ','), a bare PORT action\n", flow_parse },
	{ "monitor", monitor_verbs, OP_MONITOR,
	  "valectl monitor\n", NULL },
	{ NULL, NULL, OP_NONE, NULL, NULL },
};

static const char options_usage[] =
	"Usage: valectl [OPTIONS] OBJECT VERB [ARGS]\n"
	"       valectl [-v] -n IF [-C CONF] | -r IF | -a SW:IF | -h SW:IF | -d SW:IF | -l [SW[:PORT]]\n"
	"OPTIONS: -j/--json  -p/--pretty  -s/--stats  -N/--numeric  -h/--help  -V/--version\n"
	"OBJECT:  switch port if lookup fdb route neigh addr router flow monitor\n";

void vctl_usage(FILE *f, const char *object)
{
	const struct object *o;

	if (!object) {
		fputs(options_usage, f);
		fputc('\n', f);
	}
	for (o = objects; o->name; o++) {
		const char *p, *nl;

		if (object && strcmp(object, o->name))
			continue;
		for (p = o->usage; *p; p = nl + 1) {
			nl = strchr(p, '\n');
			fprintf(f, "%s%.*s\n", p == o->usage && object ? "Usage: " : "       ",
				(int)(nl - p), p);
		}
	}
}

static const struct {
	const char *names[3];
	char opt;
} global_options[] = {
	{ { "-j", "--json", "-json" }, 'j' },
	{ { "-p", "--pretty", "-pretty" }, 'p' },
	{ { "-s", "--stats", "-stats" }, 's' },
	{ { "-N", "--numeric", "-numeric" }, 'N' },
	{ { "-h", "--help", "-help" }, 'h' },
	{ { "-V", "--version", "-Version" }, 'V' },
};

/* ---- helpers --------------------------------------------------------------- */

static const char *const attr_names[VALE_ATTR_MAX + 1] = {
	[VALE_ATTR_SWITCH_NAME]		= "SWITCH_NAME",
	[VALE_ATTR_SWITCH_INDEX]	= "SWITCH_INDEX",
	[VALE_ATTR_SWITCH_PORTS]	= "SWITCH_PORTS",
	[VALE_ATTR_SWITCH_PERSISTENT]	= "SWITCH_PERSISTENT",
	[VALE_ATTR_LOOKUP_NAME]		= "LOOKUP_NAME",
	[VALE_ATTR_LOOKUP_CONFIG]	= "LOOKUP_CONFIG",
	[VALE_ATTR_PORT_NAME]		= "PORT_NAME",
	[VALE_ATTR_PORT_INDEX]		= "PORT_INDEX",
	[VALE_ATTR_PORT_KIND]		= "PORT_KIND",
	[VALE_ATTR_PORT_TX_RINGS]	= "PORT_TX_RINGS",
	[VALE_ATTR_PORT_RX_RINGS]	= "PORT_RX_RINGS",
	[VALE_ATTR_PORT_TX_SLOTS]	= "PORT_TX_SLOTS",
	[VALE_ATTR_PORT_RX_SLOTS]	= "PORT_RX_SLOTS",
	[VALE_ATTR_PORT_MEM_ID]		= "PORT_MEM_ID",
	[VALE_ATTR_PORT_STATS]		= "PORT_STATS",
	[VALE_ATTR_IF_NAME]		= "IF_NAME",
	[VALE_ATTR_PAD]			= "PAD",
	[VALE_ATTR_PORT_HOST]		= "PORT_HOST",
	[VALE_ATTR_LOOKUP_TABLE]	= "LOOKUP_TABLE",
	[VALE_ATTR_LOOKUP_ATTR]		= "LOOKUP_ATTR",
	[VALE_ATTR_LOOKUP_TABLE_DEF]	= "LOOKUP_TABLE_DEF",
};

const char *vctl_attr_name(uint16_t attr)
{
	static char buf[16];

	if (attr <= VALE_ATTR_MAX && attr_names[attr])
		return attr_names[attr];
	snprintf(buf, sizeof(buf), "%u", attr);
	return buf;
}

static const char *const op_names[__OP_MAX] = {
	[OP_NONE] = "none", [OP_HELP] = "help", [OP_VERSION] = "version",
	[OP_SWITCH_ADD] = "switch add", [OP_SWITCH_DEL] = "switch del",
	[OP_SWITCH_SHOW] = "switch show", [OP_PORT_ATTACH] = "port attach",
	[OP_PORT_DETACH] = "port detach", [OP_PORT_SHOW] = "port show",
	[OP_IF_ADD] = "if add", [OP_IF_DEL] = "if del",
	[OP_LOOKUP_SET] = "lookup set", [OP_LOOKUP_CONFIG] = "lookup config",
	[OP_LOOKUP_SHOW] = "lookup show", [OP_LOOKUP_DUMP] = "lookup dump",
	[OP_LOOKUP_SCHEMA] = "lookup schema",
	[OP_FDB_SHOW] = "fdb show", [OP_FDB_FLUSH] = "fdb flush",
	[OP_MONITOR] = "monitor", [OP_COMPAT_LIST] = "compat list",
	[OP_ROUTE_ADD] = "route add", [OP_ROUTE_DEL] = "route del",
	[OP_ROUTE_SHOW] = "route show", [OP_NEIGH_ADD] = "neigh add",
	[OP_NEIGH_DEL] = "neigh del", [OP_NEIGH_SHOW] = "neigh show",
	[OP_ADDR_ADD] = "addr add", [OP_ADDR_DEL] = "addr del", [OP_ADDR_SHOW] = "addr show",
	[OP_ROUTER_PORT] = "router port", [OP_ROUTER_FLUSH] = "router flush",
	[OP_ROUTER_SHOW] = "router show", [OP_FLOW_ADD] = "flow add",
	[OP_FLOW_MOD] = "flow mod", [OP_FLOW_DEL] = "flow del", [OP_FLOW_SHOW] = "flow show",
	[OP_FLOW_MISS] = "flow miss", [OP_FLOW_CONTROLLER] = "flow controller",
	[OP_FLOW_EMC] = "flow emc", [OP_FLOW_TABLE] = "flow table",
};

const char *vctl_op_name(enum vctl_op op)
{
	return op < __OP_MAX && op_names[op] ? op_names[op] : "?";
}

const struct vctl_arg *vctl_find(const struct vctl_req *req, uint16_t attr)
{
	int i;

	for (i = 0; i < req->nargs; i++)
		if (req->args[i].attr == attr && !req->args[i].nest)
			return &req->args[i];
	return NULL;
}

const char *vctl_str(const struct vctl_req *req, uint16_t attr)
{
	const struct vctl_arg *a = vctl_find(req, attr);

	return a && a->type == VT_STR ? a->str : NULL;
}

int vctl_add_arg(struct vctl_req *req, uint16_t attr, uint16_t nest,
		 enum vctl_type type, const char *str, uint32_t u32,
		 int argi, int kwi)
{
	struct vctl_arg *a;

	if (req->nargs >= VCTL_MAX_ARGS)
		return -1;
	a = &req->args[req->nargs++];
	memset(a, 0, sizeof(*a));
	a->attr = attr;
	a->nest = nest;
	a->type = type;
	a->str = str;
	a->u32 = u32;
	a->argi = argi;
	a->kwi = kwi;
	return 0;
}

const uint8_t *vctl_bin(const struct vctl_req *req, const struct vctl_arg *a)
{
	if (a->len <= sizeof(a->bin))
		return a->bin;
	return a->blob_off + a->len <= req->blob_len ? req->blob + a->blob_off : a->bin;
}

int vctl_set_bin(struct vctl_req *req, struct vctl_arg *a, const void *data, size_t len)
{
	if (len <= sizeof(a->bin)) {
		memcpy(a->bin, data, len);
		a->len = (uint16_t)len;
		return 0;
	}
	if (len > sizeof(req->blob) - req->blob_len)
		return -1;
	memcpy(req->blob + req->blob_len, data, len);
	a->blob_off = req->blob_len;
	a->len = (uint16_t)len;
	req->blob_len = (uint16_t)(req->blob_len + len);
	return 0;
}

int vctl_add_module(struct vctl_req *req, const char *module)
{
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);

	return vctl_add_arg(req, VALE_ATTR_LOOKUP_NAME, 0, VT_STR, module, 0,
			    sw ? sw->argi : -1, -1);
}

/* A new argument, zeroed but for these; NULL when there are too many. */
struct vctl_arg *vctl_push(struct vctl_req *req, uint16_t attr, uint16_t nest,
			   uint16_t nest2, enum vctl_type type, int argi)
{
	if (vctl_add_arg(req, attr, nest, type, NULL, 0, argi, -1) < 0)
		return NULL;
	req->args[req->nargs - 1].nest2 = nest2;
	return &req->args[req->nargs - 1];
}

/* A decimal u32, nothing else: no sign, no spaces, no trailing text. */
int vctl_parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno || *end || x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/*
 * The entry of a table whose name (or alias) is word, or of which word is
 * a prefix of exactly one name. Tables are arrays of stride bytes whose
 * first member is an array of nnames names.
 */
static const void *match(const char *word, const void *table, size_t stride,
			 int nnames, bool *ambiguous)
{
	const char *p;
	const void *found = NULL;
	size_t len = strlen(word);
	int n;

	*ambiguous = false;
	if (!len)
		return NULL;
	for (p = table; ((const char *const *)p)[0]; p += stride)
		for (n = 0; n < nnames && ((const char *const *)p)[n]; n++)
			if (!strcmp(((const char *const *)p)[n], word))
				return p;
	for (p = table; ((const char *const *)p)[0]; p += stride) {
		for (n = 0; n < nnames && ((const char *const *)p)[n]; n++) {
			if (strncmp(((const char *const *)p)[n], word, len))
				continue;
			if (found && found != p) {
				*ambiguous = true;
				return NULL;
			}
			found = p;
		}
	}
	return found;
}

/* The index of word in names (NULL-terminated), exactly or by a unique
 * prefix; -1 if none, -2 if ambiguous. For the objects' own parsers. */
int vctl_keyword(const char *word, const char *const *names)
{
	bool ambiguous;
	const char *const *p = match(word, names, sizeof(names[0]), 1, &ambiguous);

	return p ? (int)(p - names) : ambiguous ? -2 : -1;
}

static const struct object *find_object(const char *word, bool *ambiguous)
{
	return match(word, objects, sizeof(objects[0]), 1, ambiguous);
}

static const struct verb *find_verb(const struct object *o, const char *word, bool *ambiguous)
{
	return match(word, o->verbs, sizeof(o->verbs[0]), 4, ambiguous);
}

static const struct kw *find_kw(const struct kw *kws, const char *word, bool *ambiguous)
{
	return match(word, kws, sizeof(kws[0]), 1, ambiguous);
}

static bool kw_exact(const struct kw *kws, const char *word)
{
	for (; kws && kws->name; kws++)
		if (!strcmp(kws->name, word))
			return true;
	return false;
}

static const struct verb *verb_of(const struct object *o, enum vctl_op op)
{
	const struct verb *v;

	for (v = o->verbs; v->names[0]; v++)
		if (v->op == op)
			return v;
	return NULL;
}

/* Every object, command (its first name) and keyword, e.g. to check the manual. */
void vctl_for_each_word(void (*fn)(const char *word, void *data), void *data)
{
	const struct object *o;
	const struct verb *v;
	const struct kw *k;
	size_t i;

	for (o = objects; o->name; o++) {
		fn(o->name, data);
		for (v = o->verbs; v->names[0]; v++) {
			fn(v->names[0], data);
			for (k = v->kws; k && k->name; k++)
				fn(k->name, data);
		}
	}
	for (i = 0; i < sizeof(global_options) / sizeof(global_options[0]); i++) {
		fn(global_options[i].names[0], data);
		fn(global_options[i].names[1], data);
	}
}

/* Is word an object of the command line (for telling vale-ctl flags apart)? */
bool vctl_is_object(const char *word)
{
	bool ambiguous;

	return !strcmp(word, "help") || find_object(word, &ambiguous) || ambiguous;
}

/* ---- the parser ------------------------------------------------------------- */

int vctl_usage_error(FILE *err, const char *object, const char *fmt, ...)
{
	va_list ap;

	fputs("valectl: ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputc('\n', err);
	if (object)
		vctl_usage(err, object);
	else
		fputs("Try \"valectl -h\" for help.\n", err);
	return EXIT_USAGE;
}


/* The letter of a global option (-j, --json, -json: 'j'), 0 if it is none. */
char vctl_global_option(const char *arg)
{
	size_t i;
	int n;

	for (i = 0; i < sizeof(global_options) / sizeof(global_options[0]); i++)
		for (n = 0; n < 3; n++)
			if (!strcmp(arg, global_options[i].names[n]))
				return global_options[i].opt;
	return 0;
}

/* Global options before the object; *i is left at the first word. */
static int parse_options(int argc, char **argv, struct vctl_req *req, FILE *err, int *i)
{
	for (*i = 1; *i < argc; (*i)++) {
		const char *a = argv[*i];

		if (a[0] != '-' || !a[1])
			break;
		if (!strcmp(a, "--")) {
			(*i)++;
			break;
		}
		switch (vctl_global_option(a)) {
		case 'j':
			req->json = true;
			break;
		case 'p':
			req->pretty = true;
			break;
		case 's':
			req->stats++;
			break;
		case 'N':
			req->numeric = true;
			break;
		case 'h':
			req->op = OP_HELP;
			break;
		case 'V':
			req->op = OP_VERSION;
			break;
		default:
			return vctl_usage_error(err, NULL, "unknown option \"%s\"", a);
		}
	}
	return EXIT_OK;
}

static int parse_words(int argc, char **argv, int i, struct vctl_req *req, FILE *err)
{
	const struct object *o;
	const struct verb *v;
	bool ambiguous, seen[VCTL_MAX_ARGS] = { false };
	int p, nkw = 0;

	if (!strcmp(argv[i], "help")) {
		req->op = OP_HELP;
		if (i + 1 < argc) {
			o = find_object(argv[i + 1], &ambiguous);
			if (!o)
				return vctl_usage_error(err, NULL, "unknown object \"%s\"", argv[i + 1]);
			req->help_obj = o->name;
		}
		return EXIT_OK;
	}
	o = find_object(argv[i], &ambiguous);
	if (!o)
		return vctl_usage_error(err, NULL, ambiguous ? "ambiguous object \"%s\"" :
				   "unknown object \"%s\"", argv[i]);
	i++;

	if (i < argc && !strcmp(argv[i], "help")) {
		req->op = OP_HELP;
		req->help_obj = o->name;
		return EXIT_OK;
	}
	for (p = i; p < argc; p++)
		if (vctl_global_option(argv[p]))
			return vctl_usage_error(err, o->name, "\"%s\": options go before the object",
					   argv[p]);

	if (o->dflt == OP_MONITOR) {
		if (i < argc)
			return vctl_usage_error(err, o->name, "monitor takes no argument: \"%s\"", argv[i]);
		req->op = OP_MONITOR;
		return EXIT_OK;
	}
	if (i < argc) {
		v = find_verb(o, argv[i], &ambiguous);
		if (!v) {
			fprintf(err, "valectl: %s \"%s\" for %s\n",
				ambiguous ? "ambiguous command" : "unknown command",
				argv[i], o->name);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		i++;
	} else {
		v = o->dflt != OP_NONE ? verb_of(o, o->dflt) : NULL;
		if (!v)
			return vctl_usage_error(err, o->name, "%s: a command is needed", o->name);
	}
	req->op = v->op;
	req->cmd = v->cmd;
	if (v->flags & VF_DUMP)
		req->dump = true;
	if (v->parse)
		return v->parse(argc, argv, i, req, err);
	if (o->parse)
		return o->parse(argc, argv, i, req, err);

	/* positional arguments: every word until the first keyword */
	for (p = 0; p < 3 && v->pos[p].metavar; p++) {
		if (i >= argc || kw_exact(v->kws, argv[i])) {
			if (v->pos[p].optional)
				break;
			fprintf(err, "valectl: %s %s: missing %s\n", o->name, v->names[0],
				v->pos[p].metavar);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		if (!argv[i][0])
			return vctl_usage_error(err, o->name, "empty %s", v->pos[p].metavar);
		vctl_add_arg(req, v->pos[p].attr, 0, VT_STR, argv[i], 0, i, -1);
		i++;
	}
	if (v->flags & VF_DUMP)
		req->dump = true;
	if ((v->flags & VF_DUMP_SHORT) && v->pos[p].metavar)
		req->dump = true;

	/* keywords */
	while (i < argc) {
		const struct kw *k = v->kws ? find_kw(v->kws, argv[i], &ambiguous) : NULL;
		int idx;
		uint32_t n = 0;

		if (!k) {
			fprintf(err, "valectl: %s %s: %s \"%s\"\n", o->name, v->names[0],
				ambiguous ? "ambiguous keyword" :
				v->kws ? "unknown keyword" : "unexpected argument", argv[i]);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		idx = (int)(k - v->kws);
		if (seen[idx]) {
			fprintf(err, "valectl: %s %s: \"%s\" given twice\n", o->name,
				v->names[0], k->name);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		seen[idx] = true;
		if (k->type == VT_FLAG) {	/* a keyword alone */
			if (vctl_add_arg(req, k->attr, k->nest, VT_FLAG, NULL, 0, i, i) < 0)
				return vctl_usage_error(err, o->name, "too many arguments at \"%s\"",
							argv[i]);
			nkw++;
			i++;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(err, "valectl: %s %s: \"%s\" needs a value\n", o->name,
				v->names[0], k->name);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		if (k->type == VT_U32 && vctl_parse_u32(argv[i + 1], &n) < 0) {
			fprintf(err, "valectl: %s %s: \"%s\" needs a number from 0 to %u, not \"%s\"\n",
				o->name, v->names[0], k->name, UINT32_MAX, argv[i + 1]);
			vctl_usage(err, o->name);
			return EXIT_USAGE;
		}
		if (k->type == VT_STR && !argv[i + 1][0])
			return vctl_usage_error(err, o->name, "empty value for \"%s\"", k->name);
		if (vctl_add_arg(req, k->attr, k->nest, k->type,
				 k->type == VT_STR ? argv[i + 1] : NULL, n, i + 1, i) < 0)
			return vctl_usage_error(err, o->name, "too many arguments at \"%s\"", argv[i]);
		nkw++;
		i += 2;
	}
	if ((v->flags & VF_NEED_KW) && !nkw) {
		fprintf(err, "valectl: %s %s: nothing to set\n", o->name, v->names[0]);
		vctl_usage(err, o->name);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static bool is_vale_ctl(const char *argv0)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;

	base = base ? base + 1 : argv0;
	return base && !strcmp(base, "vale-ctl");
}

int vctl_parse(int argc, char **argv, struct vctl_req *req, FILE *err)
{
	int i, ret;

	memset(req, 0, sizeof(*req));
	req->argc = argc;
	req->argv = argv;

	if (is_vale_ctl(argc > 0 ? argv[0] : NULL) || compat_wanted(argc, argv, 1))
		return compat_parse(argc, argv, 1, req, err);

	ret = parse_options(argc, argv, req, err, &i);
	if (ret != EXIT_OK)
		return ret;
	if (req->op == OP_HELP || req->op == OP_VERSION) {
		if (i < argc && req->op == OP_HELP) {
			bool ambiguous;
			const struct object *o = find_object(argv[i], &ambiguous);

			if (o)
				req->help_obj = o->name;
		}
		return EXIT_OK;
	}
	if (i >= argc)
		return vctl_usage_error(err, NULL, "%s", "an object is needed");
	return parse_words(argc, argv, i, req, err);
}
