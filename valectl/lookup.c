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
#include "objects.h"

int do_lookup(struct nl *nl, const struct vctl_req *req)
{
	return nl_run(nl, req, NULL, NULL);
}
