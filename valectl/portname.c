// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: switch ports by name where the router and the flow table take
 * port numbers ("route add vale0 10.0.0.0/24 port eth0",
 * "in_port=a,actions=output:eth0^"), as ovs-ofctl takes port names, and
 * ports printed by name in their show commands.
 *
 * Parsing stays free of the kernel: a word that is not a number is kept
 * in its argument as a name, and vctl_resolve_ports turns the names into
 * numbers afterwards through a resolver callback, asked once per name:
 * valectl's is a VALE_CMD_PORT_GET (vctl_nl_resolve), the unit test's a
 * table. A name is the port's name on its switch, as "valectl port show"
 * lists it ("a", "eth0", "eth0^"), or netmap's whole "SWITCH:NAME": port
 * names hold no ':' (the kernel takes [A-Za-z0-9_.-] after "valeX:", and
 * Linux interface names have no ':'), so that prefix is unambiguous.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "objects.h"
#include "text.h"

/* All digits, or 0x and hex digits: what vctl_num_parse reads as a number. */
bool vctl_port_is_number(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		for (i = 2; i < n; i++)
			if (!strchr("0123456789abcdefABCDEF", s[i]))
				return false;
		return true;
	}
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

int vctl_port_name_arg(struct vctl_arg *a, const char *s, size_t n)
{
	/* SWITCH:NAME at most: each part is shorter than VALE_NAME_MAX */
	if (!n || n >= 2 * VALE_NAME_MAX)
		return -1;
	a->port = s;
	a->port_len = (int)n;
	a->u32 = VCTL_NO_PORT;	/* until resolved */
	return 0;
}

/* The name the kernel knows ("a" of "vale0:a") in out, or false if no
 * port of switch sw can have that name. */
static bool kernel_name(const struct vctl_arg *a, const char *sw, char out[VALE_NAME_MAX])
{
	const char *name = a->port, *colon = memchr(name, ':', (size_t)a->port_len);
	size_t len = (size_t)a->port_len;

	if (colon) {
		size_t swlen = (size_t)(colon - name);

		if (!sw || strlen(sw) != swlen || strncmp(name, sw, swlen))
			return false;	/* another switch's port */
		len -= swlen + 1;
		name = colon + 1;
	}
	if (!len || len >= VALE_NAME_MAX || memchr(name, ':', len))
		return false;
	memcpy(out, name, len);
	out[len] = '\0';
	return true;
}

/* A bare word in a flow's actions: an action to the user, who may have
 * mistyped one, so the error says both. */
static bool bare_action(const struct vctl_req *req, const struct vctl_arg *a)
{
	const char *word = a->argi >= 0 && a->argi < req->argc ? req->argv[a->argi] : NULL;

	return word && a->nest2 == VALE_OF_ATTR_ACTIONS && a->attr == VALE_OF_ACTION_OUTPUT &&
	       a->tlen == a->port_len && word + a->off == a->port;
}

static int resolve_error(const struct vctl_req *req, const struct vctl_arg *a, const char *sw,
			 int error, FILE *err)
{
	char text[256];

	nl_arg_text(text, sizeof(text), req, a);
	if (error == ENOENT && bare_action(req, a))
		fprintf(err, "Error: \"%.*s\" is no action, nor a port of switch %s: %s\n",
			a->port_len, a->port, sw, strerror(error));
	else if (error == ENOENT)
		fprintf(err, "Error: no port \"%.*s\" on switch %s (argument \"%s\"): %s\n",
			a->port_len, a->port, sw, text, strerror(error));
	else
		fprintf(err, "Error: cannot look up port \"%.*s\" on switch %s (argument \"%s\"): "
			"%s\n", a->port_len, a->port, sw, text, strerror(error));
	return EXIT_ERR;
}

int vctl_resolve_ports(struct vctl_req *req, vctl_resolver_t resolve, void *ctx, FILE *err)
{
	const char *sw = vctl_str(req, VALE_ATTR_SWITCH_NAME);
	bool done[VCTL_MAX_ARGS] = { false };
	char name[VALE_NAME_MAX];
	int i, j, ret;

	for (i = 0; i < req->nargs; i++) {
		struct vctl_arg *a = &req->args[i];
		uint32_t index = 0;

		if (a->port_len <= 0)
			continue;
		for (j = 0; j < i; j++) {
			const struct vctl_arg *b = &req->args[j];

			if (done[j] && b->port_len == a->port_len &&
			    !memcmp(b->port, a->port, (size_t)a->port_len))
				break;
		}
		if (j < i) {
			a->u32 = req->args[j].u32;	/* asked already */
			done[i] = true;
			continue;
		}
		if (!kernel_name(a, sw, name))
			return resolve_error(req, a, sw ? sw : "?", ENOENT, err);
		ret = resolve(ctx, sw, name, &index);
		if (ret == 0 && index >= VCTL_MAX_PORTS)
			ret = -ERANGE;
		if (ret)
			return resolve_error(req, a, sw, -ret, err);
		a->u32 = index;
		done[i] = true;
	}
	return EXIT_OK;
}

int port_index_cb(const struct nlmsghdr *nlh, void *data)
{
	nl_attrs_t tb;

	if (nl_parse(nlh, tb) == 0 && tb[VALE_ATTR_PORT_INDEX])
		*(int64_t *)data = nl_get_u32(tb[VALE_ATTR_PORT_INDEX]);
	return MNL_CB_OK;
}

struct nl_ctx {
	struct nl *nl;
	const struct vctl_req *req;
};

/* valectl's resolver: one VALE_CMD_PORT_GET */
static int nl_resolve(void *ctx, const char *sw, const char *port, uint32_t *index)
{
	const struct nl_ctx *c = ctx;
	struct vctl_req sub;
	int64_t idx = -1;

	vctl_req_sub(&sub, c->req, VALE_CMD_PORT_GET, false);
	sub.quiet = true;	/* vctl_resolve_ports says which word failed */
	if (vctl_add_arg(&sub, VALE_ATTR_SWITCH_NAME, 0, VT_STR, sw, 0, -1, -1) < 0 ||
	    vctl_add_arg(&sub, VALE_ATTR_PORT_NAME, 0, VT_STR, port, 0, -1, -1) < 0)
		return -E2BIG;
	errno = 0;
	if (nl_run(c->nl, &sub, port_index_cb, &idx) != EXIT_OK)
		return errno ? -errno : -EIO;	/* the kernel's error, left by nl_run */
	if (idx < 0)
		return -EBADMSG;	/* a reply without the index */
	*index = (uint32_t)idx;
	return 0;
}

int port_names_resolve(struct nl *nl, const struct vctl_req *req, struct vctl_req *named)
{
	struct nl_ctx ctx = { nl, req };

	*named = *req;
	return vctl_resolve_ports(named, nl_resolve, &ctx, stderr);
}

/* ---- printing ------------------------------------------------------------ */

static int names_cb(const struct nlmsghdr *nlh, void *data)
{
	struct port_names *names = data;
	nl_attrs_t tb;
	void *n;

	if (nl_parse(nlh, tb) < 0 || !tb[VALE_ATTR_PORT_NAME] || !tb[VALE_ATTR_PORT_INDEX])
		return MNL_CB_OK;
	n = realloc(names->e, sizeof(names->e[0]) * (size_t)(names->n + 1));
	if (!n)
		return MNL_CB_OK;	/* the names are a nicety */
	names->e = n;
	names->e[names->n].index = nl_get_u32(tb[VALE_ATTR_PORT_INDEX]);
	snprintf(names->e[names->n].name, sizeof(names->e[0].name), "%s",
		 nl_get_str(tb[VALE_ATTR_PORT_NAME]));
	names->n++;
	return MNL_CB_OK;
}

void port_names_load(struct nl *nl, const struct vctl_req *req, struct port_names *names)
{
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	struct vctl_req sub;

	names->n = 0;
	names->e = NULL;
	vctl_req_sub(&sub, req, VALE_CMD_PORT_GET, true);
	if (sw)
		sub.args[sub.nargs++] = *sw;
	sub.quiet = true;	/* the command's own request reports a bad switch */
	nl_run(nl, &sub, names_cb, names);
}

void port_names_free(struct port_names *names)
{
	free(names->e);
	names->e = NULL;
	names->n = 0;
}

const char *port_name_of(const struct port_names *names, uint32_t index)
{
	int i;

	for (i = 0; names && i < names->n; i++)
		if (names->e[i].index == index)
			return names->e[i].name;
	return NULL;
}

const char *port_name_text(const struct port_names *names, uint32_t index)
{
	const char *name = port_name_of(names, index);
	size_t n = name ? strlen(name) : 0;

	/* a number would read as another port; the separators of a flow
	 * (", \t"), '=' and ':' would split the word */
	if (!n || vctl_port_is_number(name, n) || strpbrk(name, ", \t=:"))
		return NULL;
	return name;
}

const char *port_word(const struct port_names *names, uint32_t index, char buf[16])
{
	const char *name = port_name_text(names, index);

	if (name)
		return name;
	snprintf(buf, 16, "%u", index);
	return buf;
}
