/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A lookup module for the benchmarks that asks for a header copy and
 * sends every frame to port 1 without a look: what a rewriting module
 * costs the core by itself, the floor under l3 and ofswitch. Each user
 * fills a struct vale_lookup_ops with NULL_LOOKUP_OPS(name, hdr_copy).
 */
#ifndef _VALE_BENCH_NULL_LOOKUP_H
#define _VALE_BENCH_NULL_LOOKUP_H

static int null_create(void **priv, const char *name)
{
	(void)name;
	*priv = NULL;
	return 0;
}

static void null_destroy(void *priv)
{
	(void)priv;
}

static u32 null_lookup(void *priv, struct vale_pkt *pkt)
{
	(void)priv;
	(void)pkt;
	return 1;
}

#define NULL_LOOKUP_OPS(_name, _hdr_copy) {					\
	.name = (_name), .hdr_copy = (_hdr_copy),				\
	.create = null_create, .destroy = null_destroy, .lookup = null_lookup,	\
}

#endif /* _VALE_BENCH_NULL_LOOKUP_H */
