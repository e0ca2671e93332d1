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

/* The module's settings (LOOKUP_CONFIG) are decoded by its schema in
 * schemas (NULL, or no schema for the module: left out). */
void switch_json(struct jw *w, nl_attrs_t tb, struct schema_set *schemas);
void switch_line(FILE *f, nl_attrs_t tb, struct schema_set *schemas);
void port_json(struct jw *w, nl_attrs_t tb, bool stats);
void port_line(FILE *f, nl_attrs_t tb, bool stats);
const char *port_kind_name(uint32_t kind);

/* The show commands: begin, then the callback per reply, then printer_end. */
void switch_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int switch_show_cb(const struct nlmsghdr *nlh, void *printer);
void port_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int port_show_cb(const struct nlmsghdr *nlh, void *printer);
void fdb_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int fdb_show_cb(const struct nlmsghdr *nlh, void *printer);	/* p->priv: port names */


/*
 * portname.c: the names of a switch's ports by number, for the show
 * commands (fdb show's PORT column, route and flow show's ports).
 */
struct port_names {
	int n;
	struct { uint32_t index; char name[VALE_NAME_MAX]; } *e;
};
/* Every port of req's switch, by one quiet PORT_GET dump: a nicety, so
 * a failure leaves names empty (numbers are printed then). */
void port_names_load(struct nl *nl, const struct vctl_req *req, struct port_names *names);
void port_names_free(struct port_names *names);
const char *port_name_of(const struct port_names *names, uint32_t index);	/* or NULL */
/* The name to print for a port where valectl reads it back as this very
 * port, NULL where only its number is safe (no such port, a name that is
 * all digits or holds a separator of the flow syntax). */
const char *port_name_text(const struct port_names *names, uint32_t index);
/* port_name_text, or else the number written in buf */
const char *port_word(const struct port_names *names, uint32_t index, char buf[16]);
/* A PORT_GET reply's PORT_INDEX into *(int64_t *)data. */
int port_index_cb(const struct nlmsghdr *nlh, void *data);

/* route.c: route, neigh, addr and router show (from a LOOKUP_DUMP) */
void l3_show_begin(struct printer *p, const struct vctl_req *req, FILE *f);
int l3_show_cb(const struct nlmsghdr *nlh, void *printer);
int l3_show_end(struct printer *p);	/* router show prints here; -1 out of memory */

/* flow.c: flow show and flow table (from a LOOKUP_DUMP); p->priv is a
 * struct flow_filter or NULL (every flow) */
int flow_show_cb(const struct nlmsghdr *nlh, void *printer);
/* The dump flow show or flow table sends: switch, module, table. */
void flow_dump_req(const struct vctl_req *req, struct vctl_req *dump);
/* One flow's text (the words of "flow add", stats first if asked) from
 * its LOOKUP_CONFIG nest, ports named from names (NULL: numbers); -1 if
 * the nest is no flow. */
int flow_format(char *buf, size_t size, const struct nlattr *config, bool stats,
		const struct port_names *names);

/* flow_filter.c: flow show's MATCH, the fields a flow's match must have */
struct flow_filter {
	const struct nlattr *config;	/* the filter's LOOKUP_CONFIG nest, NULL: none */
	union {
		char buf[NL_TXSIZE];
		struct nlmsghdr align;
	} msg;
};
/* From flow show's request, its port names resolved; -1 if it cannot be built. */
int flow_filter_init(struct flow_filter *ff, const struct vctl_req *req);
bool flow_filter_match(const struct flow_filter *ff, const struct nlattr *config);

/* monitor: one event, one line (JSON with -j) on p->f */
int monitor_event_cb(const struct nlmsghdr *nlh, void *printer);

/* Run a show command: begin, request, end. */
int show_run(struct nl *nl, const struct vctl_req *req,
	     void (*begin)(struct printer *, const struct vctl_req *, FILE *),
	     nl_cb_t cb, void *priv);

#endif /* _VALECTL_OBJECTS_H */
