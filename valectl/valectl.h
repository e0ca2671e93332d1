/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl: the control tool of the VALE switch, on the "vale" generic
 * netlink family (include/uapi/linux/vale.h).
 *
 * The command line is parsed (parse.c, compat.c) into a struct vctl_req
 * without touching the kernel: the operation, the genetlink command and
 * the attributes to send, each remembering which argument of the command
 * line it came from so that the kernel's extack can point back at it.
 * valectl.c dispatches the request to the file of its object (switch.c,
 * port.c, if.c, lookup.c, fdb.c, monitor.c), which talks to the kernel
 * through nl.c and prints through json.c. Lookup modules are configured,
 * shown and dumped through their schema (schema.c), read from the kernel.
 */
#ifndef _VALECTL_H
#define _VALECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vale.h>

/* The project's release (the VERSION file, passed by the Makefile). */
#define VALECTL_VERSION	VALE_VERSION

/* Exit status, as iproute2. */
#define EXIT_OK		0
#define EXIT_ERR	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* the command line is wrong */

enum vctl_op {
	OP_NONE,
	OP_HELP,		/* -h, --help, "help", "OBJECT help" */
	OP_VERSION,		/* -V */
	OP_SWITCH_ADD,
	OP_SWITCH_DEL,
	OP_SWITCH_SHOW,
	OP_PORT_ATTACH,
	OP_PORT_DETACH,
	OP_PORT_SHOW,
	OP_IF_ADD,
	OP_IF_DEL,
	OP_LOOKUP_SET,
	OP_LOOKUP_CONFIG,	/* KEY [VALUE]... from argv[req->kv_first] on */
	OP_LOOKUP_SHOW,
	OP_LOOKUP_DUMP,
	OP_LOOKUP_SCHEMA,
	OP_FDB_SHOW,
	OP_FDB_FLUSH,
	OP_MONITOR,
	OP_COMPAT_LIST,		/* vale-ctl -l [SWITCH[:PORT]] or no argument */
	/* the l3 router's objects (route.c) */
	OP_ROUTE_ADD,
	OP_ROUTE_DEL,
	OP_ROUTE_SHOW,
	OP_NEIGH_ADD,
	OP_NEIGH_DEL,
	OP_NEIGH_SHOW,
	OP_ADDR_ADD,
	OP_ADDR_DEL,
	OP_ADDR_SHOW,
	OP_ROUTER_PORT,		/* router port set|del: the sub-verb sets the l3 op */
	OP_ROUTER_FLUSH,
	OP_ROUTER_SHOW,
	/* the flow table (flow.c) */
	OP_FLOW_ADD,
	OP_FLOW_MOD,
	OP_FLOW_DEL,
	OP_FLOW_SHOW,
	OP_FLOW_MISS,
	OP_FLOW_CONTROLLER,
	OP_FLOW_EMC,
	OP_FLOW_TABLE,
	__OP_MAX,
};

/*
 * VT_NEST is no value: it marks a nest (attr, inside nest if nest is not
 * 0) that is sent even when empty, and is the argument named when the
 * kernel points at the nest as a whole.
 */
enum vctl_type { VT_STR, VT_U32, VT_U8, VT_U16, VT_U64, VT_BIN, VT_FLAG, VT_NEST };

/* One attribute to send, and where on the command line it came from. */
struct vctl_arg {
	uint16_t attr;
	uint16_t nest;		/* 0, or the attribute it is nested in */
	uint16_t nest2;		/* 0, or a second nest inside nest */
	enum vctl_type type;
	const char *str;
	uint32_t u32;		/* VT_U32, VT_U16, VT_U8 */
	uint64_t u64;		/* VT_U64 */
	uint8_t bin[16];	/* VT_BIN: len bytes, here or, longer, in req->blob */
	uint16_t len;
	uint16_t blob_off;	/* VT_BIN longer than bin: where in req->blob */
	int argi;		/* argv index of the value */
	int kwi;		/* argv index of its keyword, -1 if positional */
	int off, tlen;		/* tlen > 0: the text is argv[argi][off, off + tlen),
				 * a field of a word such as a flow's "tp_dst=80" */
	const char *port;	/* port_len > 0: a port given by name, port[0, port_len), */
	int port_len;		/* its number (u32) set by vctl_resolve_ports */
};

#define VCTL_MAX_ARGS	64
#define VCTL_BLOB_MAX	2048	/* bytes of the VT_BIN values longer than 16 */
#define VCTL_MAX_PORTS	254	/* VALE_MAX_PORTS of include/vale/lookup.h */
#define VCTL_NO_PORT	255	/* VALE_DROP: no port (no controller) */

struct vctl_req {
	enum vctl_op op;
	uint8_t cmd;		/* VALE_CMD_*, 0 for none */
	bool dump;
	int nargs;
	struct vctl_arg args[VCTL_MAX_ARGS];
	uint8_t blob[VCTL_BLOB_MAX];
	uint16_t blob_len;
	int kv_first;		/* OP_LOOKUP_CONFIG: argv index of the first KEY */

	/* global options */
	bool json;
	bool pretty;
	int stats;
	int verbose;
	bool compat;		/* given as netmap vale-ctl flags */
	bool numeric;		/* -N: ports printed as numbers, not names */
	const char *help_obj;	/* OP_HELP: the object asked about, or NULL */
	bool quiet;		/* an auxiliary request: errors not reported */
	char names[2][2 * VALE_NAME_MAX];	/* vale-ctl's SW:PORT, split */

	int argc;
	char **argv;
};

/* parse.c */
int vctl_parse(int argc, char **argv, struct vctl_req *req, FILE *err);
void vctl_usage(FILE *f, const char *object);
const struct vctl_arg *vctl_find(const struct vctl_req *req, uint16_t attr);
const char *vctl_str(const struct vctl_req *req, uint16_t attr);
int vctl_add_arg(struct vctl_req *req, uint16_t attr, uint16_t nest,
		 enum vctl_type type, const char *str, uint32_t u32,
		 int argi, int kwi);
int vctl_parse_u32(const char *s, uint32_t *v);
int vctl_keyword(const char *word, const char *const *names);
struct vctl_arg *vctl_push(struct vctl_req *req, uint16_t attr, uint16_t nest,
			   uint16_t nest2, enum vctl_type type, int argi);
int vctl_usage_error(FILE *err, const char *object, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
char vctl_global_option(const char *arg);
bool vctl_is_object(const char *word);
void vctl_for_each_word(void (*fn)(const char *word, void *data), void *data);
const char *vctl_attr_name(uint16_t attr);
const char *vctl_op_name(enum vctl_op op);
/* The bytes of a VT_BIN argument (in a->bin or req->blob). */
const uint8_t *vctl_bin(const struct vctl_req *req, const struct vctl_arg *a);
/* A VT_BIN argument of len bytes (a copy of data): 0, or -1 if they do not fit. */
int vctl_set_bin(struct vctl_req *req, struct vctl_arg *a, const void *data, size_t len);

struct nl;

/* compat.c */
bool compat_wanted(int argc, char **argv, int first);
int compat_parse(int argc, char **argv, int first, struct vctl_req *req, FILE *err);
int compat_list(struct nl *nl, const struct vctl_req *req);

/* the objects: each returns an exit status */
int do_switch(struct nl *nl, const struct vctl_req *req);
int do_port(struct nl *nl, const struct vctl_req *req);
int do_if(struct nl *nl, const struct vctl_req *req);
int do_lookup(struct nl *nl, const struct vctl_req *req);
int do_fdb(struct nl *nl, const struct vctl_req *req);
int do_monitor(struct nl *nl, const struct vctl_req *req);
int do_route(struct nl *nl, const struct vctl_req *req);
int do_flow(struct nl *nl, const struct vctl_req *req);

/*
 * The objects with a grammar of their own (route.c, flow.c): called with
 * req->op set from the verb and i at the word after it; they add the
 * arguments and return an exit status (EXIT_USAGE after printing why).
 */
int route_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
int flow_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
/* lookup.c, fdb.c: verbs with a grammar of their own, called the same way */
int lookup_config_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
int lookup_schema_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err);
int fdb_parse(int argc, char **argv, int i, struct vctl_req *req, FILE *err);

/*
 * The module a request of a module's own command is meant for
 * (VALE_ATTR_LOOKUP_NAME): every LOOKUP_CONFIG and LOOKUP_DUMP valectl
 * sends names it, so that the kernel refuses it on a switch that runs
 * another module. Pointed at by the switch's argument; -1 if full.
 */
int vctl_add_module(struct vctl_req *req, const char *module);

/*
 * portname.c: ports by name where a port number is taken. A word that is
 * all digits (or 0x and hex digits) is a number, as in ovs-ofctl;
 * anything else names a port, resolved later by vctl_resolve_ports, which
 * asks resolve (0 or -errno) once per name and says which word failed.
 */
bool vctl_port_is_number(const char *s, size_t n);
int vctl_port_name_arg(struct vctl_arg *a, const char *s, size_t n);	/* 0, -1 too long */
typedef int (*vctl_resolver_t)(void *ctx, const char *sw, const char *port, uint32_t *index);
int vctl_resolve_ports(struct vctl_req *req, vctl_resolver_t resolve, void *ctx, FILE *err);
/* *named = req, its port names resolved by VALE_CMD_PORT_GET (errors on stderr) */
int port_names_resolve(struct nl *nl, const struct vctl_req *req, struct vctl_req *named);

/* lookup.c: EXIT_OK if the switch of req uses lookup module name, else says so
 * (a friendlier message than the kernel's refusal, which is the safety net) */
int lookup_expect(struct nl *nl, const struct vctl_req *req, const char *name);

#endif /* _VALECTL_H */
