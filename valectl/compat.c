// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: netmap vale-ctl's classic flags, so that scripts written for
 * netmap keep working. Each flag becomes the request of the same meaning
 * on the genetlink family:
 *
 *	-n IF [-C CONF]	if add IF (CONF: tx_slots[,rx_slots[,tx_rings[,rx_rings]]],
 *			the first slot and ring numbers also setting the rx ones)
 *	-r IF		if del IF
 *	-a SW:IF	port attach SW IF
 *	-h SW:IF	port attach SW IF host (a NIC with its host stack, IF^)
 *	-d SW:IF	port detach SW IF
 *	-l [SW[:PORT]]	list ports as vale-ctl does: "SW:PORT bridge_idx B port_idx P"
 *			per port, or for one port "bridge_idx: B" and "port_idx:   P"
 *	-v		more output (the port index after -a, -h and -d)
 *
 * As in vale-ctl, with no argument at all (when called as "vale-ctl")
 * every port is listed. Unlike it, a usage error exits with 2 (iproute2's
 * convention), two command flags are a usage error rather than the last
 * one silently winning, and listing exits with 0. vale-ctl's -g (port
 * info), -p/-P (polling threads) and -m (memory id) have no counterpart
 * in the genetlink family: they are usage errors that say so.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"
#include "valectl.h"

/* vale-ctl's flags that cannot be valectl options. */
#define COMPAT_ONLY	"nradlgCmPv"

/*
 * Does the command line from argv[first] use vale-ctl's flags? -h and -p
 * are valectl's help and pretty when alone or before another option or
 * an object, vale-ctl's attach with host stack and polling before a name.
 */
bool compat_wanted(int argc, char **argv, int first)
{
	int i;

	for (i = first; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || !a[1] || !strcmp(a, "--"))
			return false;
		if (vctl_global_option(a) && strcmp(a, "-h") && strcmp(a, "-p"))
			continue;
		if (a[1] == '-')
			return false;	/* --help and the like: valectl's */
		if (strchr(COMPAT_ONLY, a[1]))
			return true;
		if (a[1] == 'h' || a[1] == 'p') {
			if (a[2])
				return true;
			if (i + 1 < argc && argv[i + 1][0] != '-' && !vctl_is_object(argv[i + 1]))
				return true;
		}
	}
	return false;
}

static int __attribute__((format(printf, 2, 3)))
compat_error(FILE *err, const char *fmt, ...)
{
	va_list ap;

	fputs("valectl: ", err);
	va_start(ap, fmt);
	vfprintf(err, fmt, ap);
	va_end(ap);
	fputs("\nUsage: valectl [-v] -n IF [-C CONF] | -r IF | -a SW:IF | -h SW:IF | -d SW:IF"
	      " | -l [SW[:PORT]]\n", err);
	return EXIT_USAGE;
}

/* "SW:PORT" into SWITCH_NAME and PORT_NAME, both pointing at argv[argi]. */
static int split_port(struct vctl_req *req, char *spec, int argi, int kwi,
		      bool port_optional, FILE *err)
{
	char (*names)[sizeof(req->names[0])] = req->names;
	char *colon = strchr(spec, ':');
	size_t swlen;

	if (!colon && port_optional) {
		if (!*spec)
			return compat_error(err, "empty switch name");
		vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, spec, 0, argi, kwi);
		return EXIT_OK;
	}
	if (!colon || colon == spec || !colon[1])
		return compat_error(err, "\"%s\": expected SWITCH:PORT, as vale0:p1", spec);
	swlen = (size_t)(colon - spec);
	/* The names are copied: argv stays as given, for error messages. */
	if (swlen >= sizeof(names[0]) || strlen(colon + 1) >= sizeof(names[1]))
		return compat_error(err, "\"%s\": name too long", spec);
	memcpy(names[0], spec, swlen);
	names[0][swlen] = '\0';
	strcpy(names[1], colon + 1);
	vctl_add_arg(req, VALE_ATTR_SWITCH_NAME, 0, VT_STR, names[0], 0, argi, kwi);
	vctl_add_arg(req, VALE_ATTR_PORT_NAME, 0, VT_STR, names[1], 0, argi, kwi);
	return EXIT_OK;
}

/* -C tx_slots[,rx_slots[,tx_rings[,rx_rings]]]: a zero keeps the default. */
static int ring_config(struct vctl_req *req, const char *conf, int argi, int kwi, FILE *err)
{
	uint32_t v[4] = { 0, 0, 0, 0 };
	static const uint16_t attrs[4] = {
		VALE_ATTR_PORT_TX_SLOTS, VALE_ATTR_PORT_RX_SLOTS,
		VALE_ATTR_PORT_TX_RINGS, VALE_ATTR_PORT_RX_RINGS,
	};
	char buf[128], *tok, *save = NULL;
	int n = 0, i;

	if (strlen(conf) >= sizeof(buf))
		return compat_error(err, "-C \"%s\": too long", conf);
	strcpy(buf, conf);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (n == 4)
			return compat_error(err, "-C \"%s\": at most 4 numbers "
					    "(tx_slots,rx_slots,tx_rings,rx_rings)", conf);
		if (vctl_parse_u32(tok, &v[n]) < 0)
			return compat_error(err, "-C \"%s\": not a list of numbers", conf);
		n++;
	}
	if (!n)
		return compat_error(err, "-C \"%s\": no number", conf);
	/* as vale-ctl: the first slot (ring) number is for both directions */
	if (n == 1)
		v[1] = v[0];
	if (n == 3)
		v[3] = v[2];
	for (i = 0; i < 4; i++)
		if (v[i])
			vctl_add_arg(req, attrs[i], 0, VT_U32, NULL, v[i], argi, kwi);
	return EXIT_OK;
}

int compat_parse(int argc, char **argv, int first, struct vctl_req *req, FILE *err)
{
	int i, cmd_i = -1, cmd_kw = -1, conf_i = -1, conf_kw = -1, ret;
	char cmd = 0;
	char *name = NULL, *conf = NULL;

	req->compat = true;
	for (i = first; i < argc; i++) {
		char *a = argv[i], *optarg = NULL;
		int argi = i, kwi = i;

		if (a[0] != '-' || !a[1])
			return compat_error(err, "unexpected argument \"%s\"", a);
		if (a[1] == 'v' && strspn(a + 1, "v") == strlen(a + 1)) {
			req->verbose += (int)strlen(a + 1);	/* -v, -vv */
			continue;
		}
		if (a[1] == '-' || (a[2] && !strchr("nradhlgCmpP", a[1])))
			return compat_error(err, "unknown flag \"%s\"", a);
		if (strchr("nradhgCmpP", a[1])) {
			if (a[2]) {
				optarg = a + 2;
			} else if (i + 1 < argc) {
				optarg = argv[++i];
				argi = i;
			} else {
				return compat_error(err, "\"%s\" needs an argument", a);
			}
		} else if (a[1] == 'l') {
			if (a[2]) {
				optarg = a + 2;
			} else if (i + 1 < argc && argv[i + 1][0] != '-') {
				optarg = argv[++i];
				argi = i;
			}
		}

		switch (a[1]) {
		case 'C':
			conf = optarg;
			conf_i = argi;
			conf_kw = kwi;
			continue;
		case 'g':
			return compat_error(err, "\"%s\": port info (vale-ctl -g) is not available, "
					    "see \"valectl port show\"", a);
		case 'p':
		case 'P':
			return compat_error(err, "\"%s\": polling threads (vale-ctl -p/-P) are not "
					    "supported", a);
		case 'm':
			return compat_error(err, "\"%s\": memory ids (vale-ctl -m) are not supported", a);
		case 'n':
		case 'r':
		case 'a':
		case 'h':
		case 'd':
		case 'l':
			if (cmd)
				return compat_error(err, "\"%s\": one command flag at a time", a);
			cmd = a[1];
			name = optarg;
			cmd_i = argi;
			cmd_kw = kwi;
			if (!optarg)
				cmd_i = -1;
			continue;
		default:
			return compat_error(err, "unknown flag \"%s\"", a);
		}
	}

	if (!cmd) {
		/* vale-ctl lists with no argument at all, else it is a usage error */
		if (argc - first > 0)
			return compat_error(err, "no command flag (-n -r -a -h -d -l)");
		cmd = 'l';
	}
	if (conf && cmd != 'n')
		return compat_error(err, "-C goes with -n");
	if (name && !*name)
		return compat_error(err, "empty name");

	switch (cmd) {
	case 'n':
		req->op = OP_IF_ADD;
		req->cmd = VALE_CMD_IF_NEW;
		vctl_add_arg(req, VALE_ATTR_IF_NAME, 0, VT_STR, name, 0, cmd_i, -1);
		if (conf)
			return ring_config(req, conf, conf_i, conf_kw, err);
		return EXIT_OK;
	case 'r':
		req->op = OP_IF_DEL;
		req->cmd = VALE_CMD_IF_DEL;
		vctl_add_arg(req, VALE_ATTR_IF_NAME, 0, VT_STR, name, 0, cmd_i, -1);
		return EXIT_OK;
	case 'a':
	case 'h':
	case 'd':
		req->op = cmd == 'd' ? OP_PORT_DETACH : OP_PORT_ATTACH;
		req->cmd = cmd == 'd' ? VALE_CMD_PORT_DETACH : VALE_CMD_PORT_ATTACH;
		ret = split_port(req, name, cmd_i, -1, false, err);
		if (ret == EXIT_OK && cmd == 'h')	/* the flag is the -h */
			vctl_add_arg(req, VALE_ATTR_PORT_HOST, 0, VT_FLAG, NULL, 0, cmd_kw, cmd_kw);
		return ret;
	case 'l':
		req->op = OP_COMPAT_LIST;
		if (!name)
			return EXIT_OK;
		/* as vale-ctl: only names of switch ports */
		if (strncmp(name, "vale", 4))
			return compat_error(err, "invalid vale port name: \"%s\"", name);
		ret = split_port(req, name, cmd_i, -1, true, err);
		return ret;
	}
	return EXIT_USAGE;
}

/* ---- -l -------------------------------------------------------------------- */

struct sw_index {
	char name[VALE_NAME_MAX];
	uint32_t index;
};

struct list_ctx {
	struct sw_index *sw;
	int nsw;
	struct lport {
		char name[2 * VALE_NAME_MAX];
		uint32_t bridge, port;
	} *ports;
	int nports, cap;
	bool oom;
};

static int sw_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *c = data;
	nl_attrs_t tb;
	struct sw_index *n;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_SWITCH_NAME] || !tb[VALE_ATTR_SWITCH_INDEX])
		return MNL_CB_OK;
	n = realloc(c->sw, sizeof(*n) * (size_t)(c->nsw + 1));
	if (!n) {
		c->oom = true;
		return MNL_CB_ERROR;
	}
	c->sw = n;
	snprintf(n[c->nsw].name, sizeof(n[0].name), "%s", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	n[c->nsw].index = nl_get_u32(tb[VALE_ATTR_SWITCH_INDEX]);
	c->nsw++;
	return MNL_CB_OK;
}

static uint32_t sw_index(const struct list_ctx *c, const char *name)
{
	int i;

	for (i = 0; i < c->nsw; i++)
		if (!strcmp(c->sw[i].name, name))
			return c->sw[i].index;
	return UINT32_MAX;
}

static int port_cb(const struct nlmsghdr *nlh, void *data)
{
	struct list_ctx *c = data;
	nl_attrs_t tb;
	const char *sw, *port;

	if (nl_parse(nlh, tb) < 0)
		return MNL_CB_OK;
	sw = nl_get_str(tb[VALE_ATTR_SWITCH_NAME]);
	port = nl_get_str(tb[VALE_ATTR_PORT_NAME]);
	if (!sw || !port)
		return MNL_CB_OK;
	if (c->nports == c->cap) {
		int cap = c->cap ? 2 * c->cap : 64;
		struct lport *n = realloc(c->ports, sizeof(*n) * (size_t)cap);

		if (!n) {
			c->oom = true;
			return MNL_CB_ERROR;
		}
		c->ports = n;
		c->cap = cap;
	}
	snprintf(c->ports[c->nports].name, sizeof(c->ports[0].name), "%s:%s", sw, port);
	c->ports[c->nports].bridge = sw_index(c, sw);
	c->ports[c->nports].port = nl_get_u32(tb[VALE_ATTR_PORT_INDEX]);
	c->nports++;
	return MNL_CB_OK;
}

static int cmp_port(const void *a, const void *b)
{
	const struct lport *x = a, *y = b;

	if (x->bridge != y->bridge)
		return x->bridge < y->bridge ? -1 : 1;
	return x->port < y->port ? -1 : x->port > y->port;
}

int compat_list(struct nl *nl, const struct vctl_req *req)
{
	struct list_ctx c = { 0 };
	struct vctl_req sub;
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	const struct vctl_arg *port = vctl_find(req, VALE_ATTR_PORT_NAME);
	int ret, i;

	/* the switch indexes: of one switch, or of all */
	vctl_req_sub(&sub, req, VALE_CMD_SWITCH_GET, !sw);
	if (sw)
		sub.args[sub.nargs++] = *sw;
	ret = nl_run(nl, &sub, sw_cb, &c);
	if (ret != EXIT_OK)
		goto out;

	/* the ports: one, of one switch, or all */
	vctl_req_sub(&sub, req, VALE_CMD_PORT_GET, !port);
	if (sw)
		sub.args[sub.nargs++] = *sw;
	if (port)
		sub.args[sub.nargs++] = *port;
	ret = nl_run(nl, &sub, port_cb, &c);
	if (ret != EXIT_OK)
		goto out;
	if (c.oom) {
		fprintf(stderr, "Error: out of memory\n");
		ret = EXIT_ERR;
		goto out;
	}

	if (port) {
		for (i = 0; i < c.nports; i++)
			printf("bridge_idx: %u\nport_idx:   %u\n", c.ports[i].bridge, c.ports[i].port);
	} else {
		qsort(c.ports, (size_t)c.nports, sizeof(c.ports[0]), cmp_port);
		for (i = 0; i < c.nports; i++)
			printf("%s bridge_idx %u port_idx %u\n", c.ports[i].name,
			       c.ports[i].bridge, c.ports[i].port);
	}
out:
	free(c.sw);
	free(c.ports);
	return ret;
}
