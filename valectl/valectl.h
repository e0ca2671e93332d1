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
 * through nl.c and prints through json.c.
 */
#ifndef _VALECTL_H
#define _VALECTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <linux/vale.h>

#define VALECTL_VERSION	"1.0"

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
	OP_LOOKUP_CONFIG,
	OP_FDB_SHOW,
	OP_FDB_FLUSH,
	OP_MONITOR,
	OP_COMPAT_LIST,		/* vale-ctl -l [SWITCH[:PORT]] or no argument */
	__OP_MAX,
};

enum vctl_type { VT_STR, VT_U32 };

/* One attribute to send, and where on the command line it came from. */
struct vctl_arg {
	uint16_t attr;
	uint16_t nest;		/* 0, or the attribute it is nested in */
	enum vctl_type type;
	const char *str;
	uint32_t u32;
	int argi;		/* argv index of the value */
	int kwi;		/* argv index of its keyword, -1 if positional */
};

#define VCTL_MAX_ARGS	16

struct vctl_req {
	enum vctl_op op;
	uint8_t cmd;		/* VALE_CMD_*, 0 for none */
	bool dump;
	int nargs;
	struct vctl_arg args[VCTL_MAX_ARGS];

	/* global options */
	bool json;
	bool pretty;
	int stats;
	int verbose;
	bool compat;		/* given as netmap vale-ctl flags */
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
char vctl_global_option(const char *arg);
bool vctl_is_object(const char *word);
void vctl_for_each_word(void (*fn)(const char *word, void *data), void *data);
const char *vctl_attr_name(uint16_t attr);
const char *vctl_op_name(enum vctl_op op);

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

#endif /* _VALECTL_H */
