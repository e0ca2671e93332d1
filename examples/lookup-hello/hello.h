/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lookup-hello, as its user-space unit test (test_hello.c) sees it: the
 * module's ops, and the functions behind its kernel-only callbacks, which
 * the test calls directly on the module's per-switch state
 * (uport_lookup_priv() of <vale/uport.h> finds it).
 */
#ifndef _HELLO_H
#define _HELLO_H

#include <vale/lookup.h>

extern struct vale_lookup_ops hello_ops;

/* What .config does with the setting "mask". */
void hello_set_mask(void *priv, uint32_t mask);
/* The setting "mask", as .get_config reports it. */
uint32_t hello_mask(const void *priv);
/* Frames the module sent to port (a row of the table "counters"). */
uint64_t hello_frames(const void *priv, uint32_t port);

#endif /* _HELLO_H */
