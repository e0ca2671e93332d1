/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl: how each object prints, shared by its show command and by
 * monitor (whose events carry the same attributes as a GET reply).
 * *_json writes the members of the object's JSON object; *_line writes
 * its one-line "NAME key value ..." form.
 */
#ifndef _VALECTL_OBJECTS_H
#define _VALECTL_OBJECTS_H

#include "json.h"
#include "nl.h"
#include "output.h"

void switch_json(struct jw *w, nl_attrs_t tb);
void switch_line(FILE *f, nl_attrs_t tb);
void port_json(struct jw *w, nl_attrs_t tb, bool stats);
void port_line(FILE *f, nl_attrs_t tb, bool stats);
const char *port_kind_name(uint32_t kind);

/* The show commands: begin, then the callback per reply, then printer_end. */
void switch_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int switch_show_cb(const struct nlmsghdr *nlh, void *printer);
void port_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int port_show_cb(const struct nlmsghdr *nlh, void *printer);
void fdb_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int fdb_show_cb(const struct nlmsghdr *nlh, void *printer);
/* fdb: the names of the switch's ports by index, when known */
struct fdb_names {
	int n;
	struct { uint32_t index; char name[VALE_NAME_MAX]; } *e;
};

/* route.c: route, neigh, addr and router show (from a LOOKUP_DUMP) */
void l3_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int l3_show_cb(const struct nlmsghdr *nlh, void *printer);
int l3_show_end(struct printer *p);	/* router show prints here; -1 out of memory */

/* flow.c: flow show and flow table (from a LOOKUP_DUMP) */
int flow_show_cb(const struct nlmsghdr *nlh, void *printer);
/* One flow's text (the words of "flow add", stats first if asked) from
 * its LOOKUP_CONFIG nest; -1 if the nest is no flow. */
int flow_format(char *buf, size_t size, const struct nlattr *config, bool stats);

/* monitor: one event, one line (JSON with -j) on p->f */
int monitor_event_cb(const struct nlmsghdr *nlh, void *printer);

/* Run a show command: begin, request, end. */
int show_run(struct nl *nl, const struct vctl_req *req,
	     void (*begin)(struct printer *, const struct vctl_req *, FILE *),
	     nl_cb_t cb, void *priv);

#endif /* _VALECTL_OBJECTS_H */
