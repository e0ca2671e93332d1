// SPDX-License-Identifier: BSD-2-Clause
/*
 * Opening and closing ports: one NETMAP_REQ_REGISTER on a fresh
 * /dev/netmap descriptor, then one mmap() of the whole region.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "nmport_priv.h"

/* The inclusive range [first, first + n - 1]; empty when n is 0. */
static void set_range(int *first, int *last, unsigned int base,
		      unsigned int n)
{
	*first = (int)base;
	*last = (int)(base + n) - 1;
}

/*
 * A single-ring selection past the rings of one direction binds that
 * direction's ring 0, as the netmap kernel does (a port may have more rx
 * than tx rings).
 */
static unsigned int one_ring(unsigned int ringid, unsigned int nrings)
{
	return ringid < nrings ? ringid : 0;
}

void nmport_bind_rings(struct nmport *p, const struct nmport_geom *g)
{
	const struct nmreq_register *r = &p->reg;

	switch (r->nr_mode) {
	case NR_REG_ALL_NIC:
	case NR_REG_DEFAULT:
		set_range(&p->first_tx_ring, &p->last_tx_ring, 0, g->tx);
		set_range(&p->first_rx_ring, &p->last_rx_ring, 0, g->rx);
		break;
	case NR_REG_SW:
		set_range(&p->first_tx_ring, &p->last_tx_ring, g->tx, g->host_tx);
		set_range(&p->first_rx_ring, &p->last_rx_ring, g->rx, g->host_rx);
		break;
	case NR_REG_NIC_SW:
		set_range(&p->first_tx_ring, &p->last_tx_ring, 0,
			  g->tx + g->host_tx);
		set_range(&p->first_rx_ring, &p->last_rx_ring, 0,
			  g->rx + g->host_rx);
		break;
	case NR_REG_ONE_NIC:
		set_range(&p->first_tx_ring, &p->last_tx_ring,
			  one_ring(r->nr_ringid, g->tx), g->tx ? 1 : 0);
		set_range(&p->first_rx_ring, &p->last_rx_ring,
			  one_ring(r->nr_ringid, g->rx), g->rx ? 1 : 0);
		break;
	case NR_REG_ONE_SW:
		set_range(&p->first_tx_ring, &p->last_tx_ring,
			  g->tx + one_ring(r->nr_ringid, g->host_tx),
			  g->host_tx ? 1 : 0);
		set_range(&p->first_rx_ring, &p->last_rx_ring,
			  g->rx + one_ring(r->nr_ringid, g->host_rx),
			  g->host_rx ? 1 : 0);
		break;
	default:	/* NR_REG_NULL and anything unknown: no rings */
		set_range(&p->first_tx_ring, &p->last_tx_ring, 0, 0);
		set_range(&p->first_rx_ring, &p->last_rx_ring, 0, 0);
		break;
	}
	if (r->nr_flags & NR_RX_RINGS_ONLY)
		set_range(&p->first_tx_ring, &p->last_tx_ring, 0, 0);
	if (r->nr_flags & NR_TX_RINGS_ONLY)
		set_range(&p->first_rx_ring, &p->last_rx_ring, 0, 0);
	p->cur_tx_ring = p->first_tx_ring;
}

static void apply_opts(struct nmreq_register *reg,
		       const struct nmport_opts *o)
{
	reg->nr_tx_rings = o->tx_rings;
	reg->nr_rx_rings = o->rx_rings;
	reg->nr_tx_slots = o->tx_slots;
	reg->nr_rx_slots = o->rx_slots;
	reg->nr_extra_bufs = o->extra_bufs;
	reg->nr_flags |= o->flags;
	if (o->mode) {
		reg->nr_mode = o->mode;
		reg->nr_ringid = o->ringid;
	}
}

/* Register p->hdr/p->reg on p->fd and map the region. */
static int do_register(struct nmport *p, const char *spec, char *err,
		       size_t errlen)
{
	struct nmport_geom g;

	p->hdr.nr_body = (uintptr_t)&p->reg;
	if (ioctl(p->fd, NIOCCTRL, &p->hdr) < 0) {
		int e = errno;

		nmport_seterr(err, errlen, e, "%s: cannot register: %s", spec,
			      strerror(e));
		return -1;
	}
	if (p->reg.nr_memsize == 0 || p->reg.nr_offset >= p->reg.nr_memsize) {
		nmport_seterr(err, errlen, EPROTO,
			      "%s: kernel reply has nr_offset %llu outside nr_memsize %llu",
			      spec, (unsigned long long)p->reg.nr_offset,
			      (unsigned long long)p->reg.nr_memsize);
		return -1;
	}
	p->memsize = p->reg.nr_memsize;
	p->mem = mmap(NULL, (size_t)p->memsize, PROT_READ | PROT_WRITE,
		      MAP_SHARED, p->fd, 0);
	if (p->mem == MAP_FAILED) {
		int e = errno;

		p->mem = NULL;
		nmport_seterr(err, errlen, e, "%s: cannot mmap %llu bytes: %s",
			      spec, (unsigned long long)p->memsize, strerror(e));
		return -1;
	}
	p->nifp = NETMAP_IF(p->mem, p->reg.nr_offset);

	/*
	 * The netmap_if is what the ring offsets are laid out by, so its
	 * counts (not the request's) decide the indexes.
	 */
	g.tx = p->nifp->ni_tx_rings;
	g.rx = p->nifp->ni_rx_rings;
	g.host_tx = p->nifp->ni_host_tx_rings;
	g.host_rx = p->nifp->ni_host_rx_rings;
	nmport_bind_rings(p, &g);
	return 0;
}

struct nmport *nmport_open_opts(const char *spec,
				const struct nmport_opts *opts,
				char *err, size_t errlen)
{
	struct nmport *p;
	int e;

	p = calloc(1, sizeof(*p));
	if (!p) {
		nmport_seterr(err, errlen, ENOMEM, "out of memory");
		return NULL;
	}
	p->fd = -1;
	if (nmport_parse(spec, &p->hdr, &p->reg, err, errlen) < 0)
		goto fail;
	if (opts)
		apply_opts(&p->reg, opts);

	p->fd = open(NETMAP_DEVICE_NAME, O_RDWR | O_CLOEXEC);
	if (p->fd < 0) {
		e = errno;
		nmport_seterr(err, errlen, e, "cannot open %s: %s%s",
			      NETMAP_DEVICE_NAME, strerror(e),
			      e == ENOENT ? " (is the vale module loaded?)" : "");
		goto fail;
	}
	if (do_register(p, spec, err, errlen) < 0)
		goto fail;
	return p;

fail:
	e = errno;
	nmport_close(p);
	errno = e;
	return NULL;
}

struct nmport *nmport_open(const char *spec, char *err, size_t errlen)
{
	return nmport_open_opts(spec, NULL, err, errlen);
}

void nmport_close(struct nmport *p)
{
	if (!p)
		return;
	if (p->mem)
		munmap(p->mem, (size_t)p->memsize);
	if (p->fd >= 0)
		close(p->fd);
	free(p);
}
