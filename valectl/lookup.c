// SPDX-License-Identifier: GPL-2.0
/*
 * valectl lookup: the lookup module of a switch and its configuration.
 *
 *	valectl lookup set SWITCH NAME		VALE_CMD_LOOKUP_SET: the kernel
 *						loads vale-lookup-NAME if needed
 *	valectl lookup config SWITCH KEYWORD VALUE...
 *						VALE_CMD_LOOKUP_CONFIG, the
 *						settings nested in LOOKUP_CONFIG
 *
 * The settings are parse.c's lookup_config_kws, each with the module's own
 * attribute: "ageing SECONDS" is the learning bridge's VALE_LEARN_AGEING.
 * The module judges them with its own policy; its extack names the
 * setting (or the nest, which points at the first setting).
 */
#include <string.h>

#include "objects.h"

static int lookup_name_cb(const struct nlmsghdr *nlh, void *data)
{
	char *name = data;
	nl_attrs_t tb;

	if (nl_parse(nlh, tb) == 0 && tb[VALE_ATTR_LOOKUP_NAME])
		snprintf(name, VALE_NAME_MAX, "%s", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
	return MNL_CB_OK;
}

/*
 * Before configuring a module: does the switch use it? Each module reads
 * LOOKUP_CONFIG with its own attribute numbers, so a route sent to the
 * learning bridge could read as an ageing time; ask first, one request.
 */
int lookup_expect(struct nl *nl, const struct vctl_req *req, const char *name)
{
	const struct vctl_arg *sw = vctl_find(req, VALE_ATTR_SWITCH_NAME);
	char have[VALE_NAME_MAX] = "";
	struct vctl_req sub;
	int ret;

	vctl_req_sub(&sub, req, VALE_CMD_SWITCH_GET, false);
	if (sw)
		sub.args[sub.nargs++] = *sw;
	ret = nl_run(nl, &sub, lookup_name_cb, have);
	if (ret != EXIT_OK)
		return ret;
	if (strcmp(have, name)) {
		fprintf(stderr, "Error: switch %s uses lookup module \"%s\", not \"%s\" "
			"(valectl lookup set %s %s)\n", sw ? sw->str : "?", have, name,
			sw ? sw->str : "SWITCH", name);
		return EXIT_ERR;
	}
	return EXIT_OK;
}

int do_lookup(struct nl *nl, const struct vctl_req *req)
{
	return nl_run(nl, req, NULL, NULL);
}
