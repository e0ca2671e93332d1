// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: control of the VALE switch over the "vale" generic netlink
 * family. main() parses the command line (parse.c, compat.c for netmap
 * vale-ctl's flags), then hands the request to its object's file.
 * Exit status as iproute2's: 0 done, 1 the kernel or the system said no,
 * 2 the command line is wrong.
 */
#include <stdio.h>
#include <stdlib.h>

#include "nl.h"
#include "valectl.h"

typedef int (*handler_t)(struct nl *nl, const struct vctl_req *req);

static const handler_t handlers[__OP_MAX] = {
	[OP_SWITCH_ADD]		= do_switch,
	[OP_SWITCH_DEL]		= do_switch,
	[OP_SWITCH_SHOW]	= do_switch,
	[OP_PORT_ATTACH]	= do_port,
	[OP_PORT_DETACH]	= do_port,
	[OP_PORT_SHOW]		= do_port,
	[OP_IF_ADD]		= do_if,
	[OP_IF_DEL]		= do_if,
	[OP_LOOKUP_SET ... OP_LOOKUP_SCHEMA] = do_lookup,
	[OP_FDB_SHOW]		= do_fdb,
	[OP_FDB_FLUSH]		= do_fdb,
	[OP_MONITOR]		= do_monitor,
	[OP_COMPAT_LIST]	= compat_list,
	[OP_ROUTE_ADD ... OP_ROUTER_SHOW] = do_route,
	[OP_FLOW_ADD ... OP_FLOW_TABLE] = do_flow,
};

int main(int argc, char **argv)
{
	struct vctl_req req;
	struct nl nl;
	int ret;

	ret = vctl_parse(argc, argv, &req, stderr);
	if (ret != EXIT_OK)
		return ret;
	switch (req.op) {
	case OP_HELP:
		vctl_usage(stdout, req.help_obj);
		return EXIT_OK;
	case OP_VERSION:
		printf("valectl %s (generic netlink family \"%s\" version %d)\n",
		       VALECTL_VERSION, VALE_GENL_NAME, VALE_GENL_VERSION);
		return EXIT_OK;
	default:
		break;
	}
	if (req.op >= __OP_MAX || !handlers[req.op]) {
		fprintf(stderr, "valectl: internal error: no handler for \"%s\"\n",
			vctl_op_name(req.op));
		return EXIT_ERR;
	}
	if (nl_open(&nl) < 0)
		return EXIT_ERR;
	ret = handlers[req.op](&nl, &req);
	nl_close(&nl);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("valectl: writing the output");
		return EXIT_ERR;
	}
	return ret;
}
