// SPDX-License-Identifier: GPL-2.0
/*
 * valectl monitor: the "events" group of the family, one line per event
 * until interrupted (SIGINT, SIGTERM: exit status 0):
 *
 *	switch new vale0 index 0 lookup learn ageing 300 ports 0 persistent
 *	if new vi0
 *	port attach vale0 vi0 index 0 kind virtual rings 1/1 slots 1024/1024 mem 1
 *	lookup config vale0 index 0 lookup learn ageing 60 ports 1 persistent
 *
 * The module's settings in switch events are decoded by its schema: every
 * registered module's is read when monitor starts, a module met later on
 * a second socket (the first one only listens).
 *
 * or with -j one JSON object per line, "event" naming the command that
 * made the change and the other members as in "switch show" and
 * "port show":
 *
 *	{"event":"port_attach","switch":"vale0","port":"vi0","index":0,...}
 *
 * Every line is flushed as it is written, for the pipes of scripts.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include <linux/genetlink.h>

#include "schema.h"

static const struct {
	const char *text, *json;
	enum { EV_SWITCH, EV_PORT, EV_OTHER } kind;
} events[VALE_CMD_MAX + 1] = {
	[VALE_CMD_SWITCH_NEW]	 = { "switch new", "switch_new", EV_SWITCH },
	[VALE_CMD_SWITCH_DEL]	 = { "switch del", "switch_del", EV_SWITCH },
	[VALE_CMD_SWITCH_GET]	 = { "switch", "switch", EV_SWITCH },
	[VALE_CMD_PORT_ATTACH]	 = { "port attach", "port_attach", EV_PORT },
	[VALE_CMD_PORT_DETACH]	 = { "port detach", "port_detach", EV_PORT },
	[VALE_CMD_PORT_GET]	 = { "port", "port", EV_PORT },
	[VALE_CMD_IF_NEW]	 = { "if new", "if_new", EV_OTHER },
	[VALE_CMD_IF_DEL]	 = { "if del", "if_del", EV_OTHER },
	[VALE_CMD_LOOKUP_SET]	 = { "lookup set", "lookup_set", EV_SWITCH },
	[VALE_CMD_LOOKUP_CONFIG] = { "lookup config", "lookup_config", EV_SWITCH },
};

/* The names an event of another kind may carry. */
static void other_json(struct jw *w, nl_attrs_t tb)
{
	if (tb[VALE_ATTR_SWITCH_NAME])
		jw_str(w, "switch", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
	if (tb[VALE_ATTR_PORT_NAME])
		jw_str(w, "port", nl_get_str(tb[VALE_ATTR_PORT_NAME]));
	if (tb[VALE_ATTR_IF_NAME])
		jw_str(w, "ifname", nl_get_str(tb[VALE_ATTR_IF_NAME]));
	if (tb[VALE_ATTR_LOOKUP_NAME])
		jw_str(w, "lookup", nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
}

static void other_line(FILE *f, nl_attrs_t tb)
{
	const char *sep = "";

	if (tb[VALE_ATTR_SWITCH_NAME]) {
		fprintf(f, "%s", nl_get_str(tb[VALE_ATTR_SWITCH_NAME]));
		sep = " ";
	}
	if (tb[VALE_ATTR_PORT_NAME]) {
		fprintf(f, "%s%s", sep, nl_get_str(tb[VALE_ATTR_PORT_NAME]));
		sep = " ";
	}
	if (tb[VALE_ATTR_IF_NAME]) {
		fprintf(f, "%s%s", sep, nl_get_str(tb[VALE_ATTR_IF_NAME]));
		sep = " ";
	}
	if (tb[VALE_ATTR_LOOKUP_NAME])
		fprintf(f, "%slookup %s", sep, nl_get_str(tb[VALE_ATTR_LOOKUP_NAME]));
}

int monitor_event_cb(const struct nlmsghdr *nlh, void *printer)
{
	struct printer *p = printer;
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	nl_attrs_t tb;
	char unknown[24], unknown_json[24];
	const char *text, *json;
	int kind = EV_OTHER;

	if (nl_parse(nlh, tb) < 0)
		return MNL_CB_OK;
	if (genl->cmd <= VALE_CMD_MAX && events[genl->cmd].text) {
		text = events[genl->cmd].text;
		json = events[genl->cmd].json;
		kind = events[genl->cmd].kind;
	} else {
		snprintf(unknown, sizeof(unknown), "cmd %u", genl->cmd);
		snprintf(unknown_json, sizeof(unknown_json), "cmd_%u", genl->cmd);
		text = unknown;
		json = unknown_json;
	}

	if (p->req->json) {
		jw_obj_open(&p->jw, NULL);
		jw_str(&p->jw, "event", json);
		if (kind == EV_SWITCH)
			switch_json(&p->jw, tb, p->schemas);
		else if (kind == EV_PORT)
			port_json(&p->jw, tb, p->req->stats > 0);
		else
			other_json(&p->jw, tb);
		jw_obj_close(&p->jw);
		jw_end(&p->jw);
	} else {
		fprintf(p->f, "%s ", text);
		if (kind == EV_SWITCH)
			switch_line(p->f, tb, p->schemas);
		else if (kind == EV_PORT)
			port_line(p->f, tb, p->req->stats > 0);
		else
			other_line(p->f, tb);
		fputc('\n', p->f);
	}
	fflush(p->f);
	return MNL_CB_OK;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* A module the set lacks, met in an event: asked on a socket of its own. */
struct aux {
	struct nl nl;
	bool open, failed;
	const struct vctl_req *req;
};

static int load_schema(void *ctx, const char *module, struct schema *out)
{
	struct aux *aux = ctx;
	struct vctl_req q;
	struct vctl_arg by;

	if (!aux->open && !aux->failed) {
		aux->failed = nl_open(&aux->nl) < 0;
		aux->open = !aux->failed;
	}
	if (!aux->open)
		return -1;
	vctl_req_sub(&q, aux->req, 0, false);
	q.quiet = true;
	memset(&by, 0, sizeof(by));
	by.attr = VALE_ATTR_LOOKUP_NAME;
	by.type = VT_STR;
	by.str = module;
	by.argi = by.kwi = -1;
	return schema_fetch(&aux->nl, &q, &by, out) == EXIT_OK ? 0 : -1;
}

int do_monitor(struct nl *nl, const struct vctl_req *req)
{
	struct aux aux = { .open = false, .failed = false, .req = req };
	struct schema_set schemas = { 0, NULL, load_schema, &aux };
	struct sigaction sa;
	struct printer p;
	int ret;

	if (!nl->events_grp) {
		fprintf(stderr, "Error: the \"%s\" family has no \"%s\" group\n",
			VALE_GENL_NAME, VALE_MCGRP_EVENTS);
		return EXIT_ERR;
	}
	/* the schemas first: the socket only listens from here on */
	schema_set_load(nl, req, &schemas);
	if (nl_subscribe(nl, nl->events_grp) < 0) {
		schema_set_free(&schemas);
		return EXIT_ERR;
	}

	/* no SA_RESTART: the signal ends the wait in recvmsg() */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	memset(&p, 0, sizeof(p));
	p.req = req;
	p.f = stdout;
	jw_init(&p.jw, stdout, false);	/* one object per line, never pretty */
	p.schemas = &schemas;
	ret = nl_listen(nl, monitor_event_cb, &p, &stop);
	schema_set_free(&schemas);
	if (aux.open)
		nl_close(&aux.nl);
	return ret;
}
