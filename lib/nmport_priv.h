/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Interfaces shared by the files of libnmport, not part of its API.
 */
#ifndef NMPORT_PRIV_H
#define NMPORT_PRIV_H

#include <stddef.h>
#include "nmport.h"

/* printf into the caller's error buffer (if any) and set errno. */
void nmport_seterr(char *err, size_t errlen, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * Rings per kind as the netmap_if lays them out; host rings follow the
 * hardware rings of the same direction.
 */
struct nmport_geom {
	unsigned int tx, rx;		/* hardware rings */
	unsigned int host_tx, host_rx;	/* host (software) rings */
};

/*
 * Fill p->first/last_tx/rx_ring from the registration in p->reg and the
 * geometry g, as the kernel binds them.  Pure: unit-tested without a kernel.
 */
void nmport_bind_rings(struct nmport *p, const struct nmport_geom *g);

#endif /* NMPORT_PRIV_H */
