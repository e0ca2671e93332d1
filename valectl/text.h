/* SPDX-License-Identifier: GPL-2.0 */
/*
 * valectl: addresses, prefixes, MAC addresses and numbers as text, both
 * ways (text.c), for the router's and the flow table's arguments. The
 * parsers take a length so that they can read a field inside a word
 * ("nw_src=10.0.0.0/24"); they accept nothing but the exact form and
 * say why not in *why (a constant string).
 */
#ifndef _VALECTL_TEXT_H
#define _VALECTL_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* An IPv4 or IPv6 address: 4 or 16 (bytes written to out), or -1. */
int vctl_addr_parse(const char *s, size_t n, uint8_t out[16], const char **why);

/*
 * ADDR or ADDR/LEN: 4 or 16, the prefix length in *plen (the whole
 * address without /LEN), or -1. Bits past the prefix must be zero.
 */
int vctl_prefix_parse(const char *s, size_t n, uint8_t out[16], unsigned int *plen,
		      const char **why);

/* "02:00:00:00:00:01": exactly six pairs of hex digits; 0 or -1. */
int vctl_mac_parse(const char *s, size_t n, uint8_t mac[6], const char **why);

/* A decimal or 0x-hexadecimal number up to max; 0 or -1. */
int vctl_num_parse(const char *s, size_t n, uint64_t max, uint64_t *v, const char **why);

#define VCTL_ADDR_STRLEN	48	/* an IPv6 address and "/128" */

void vctl_addr_format(char *buf, size_t size, const uint8_t *a, size_t len);
void vctl_prefix_format(char *buf, size_t size, const uint8_t *a, size_t len, unsigned int plen);
void vctl_mac_format(char buf[18], const uint8_t *mac);

#endif /* _VALECTL_TEXT_H */
