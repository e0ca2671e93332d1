// SPDX-License-Identifier: GPL-2.0
/*
 * valectl: addresses, prefixes, MAC addresses and numbers as text. Strict
 * on purpose: "10.1" or "1.2.3.4 " are no addresses here (inet_pton
 * agrees), "0x" is no number, a MAC has six pairs of hex digits.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

/* s[0, n) as a C string in buf, or NULL when it does not fit. */
static const char *cstr(char *buf, size_t size, const char *s, size_t n)
{
	if (n >= size || memchr(s, '\0', n))
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

int vctl_addr_parse(const char *s, size_t n, uint8_t out[16], const char **why)
{
	char buf[INET6_ADDRSTRLEN + 1];

	*why = "not an IPv4 or IPv6 address";
	if (!cstr(buf, sizeof(buf), s, n))
		return -1;
	if (inet_pton(AF_INET, buf, out) == 1)
		return 4;
	if (strchr(buf, ':') && inet_pton(AF_INET6, buf, out) == 1)
		return 16;
	return -1;
}

int vctl_prefix_parse(const char *s, size_t n, uint8_t out[16], unsigned int *plen,
		      const char **why)
{
	const char *slash = memchr(s, '/', n);
	size_t alen = slash ? (size_t)(slash - s) : n;
	uint64_t len;
	int bytes, i;

	bytes = vctl_addr_parse(s, alen, out, why);
	if (bytes < 0)
		return -1;
	*plen = 8u * (unsigned int)bytes;
	if (!slash)
		return bytes;
	/* decimal only: "/0x18" is no prefix length */
	if (n - alen < 2 || !isdigit((unsigned char)slash[1]) ||
	    vctl_num_parse(slash + 1, n - alen - 1, 8u * (unsigned int)bytes, &len, why) < 0 ||
	    (n - alen > 2 && slash[1] == '0')) {
		*why = bytes == 4 ? "the prefix length is 0 to 32" : "the prefix length is 0 to 128";
		return -1;
	}
	*plen = (unsigned int)len;
	for (i = 0; i < bytes; i++) {
		unsigned int bits = len > 8u * (unsigned int)i ? (unsigned int)len - 8u * (unsigned int)i : 0;
		uint8_t mask = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);

		if (out[i] & ~mask) {
			*why = "address bits set past the prefix length";
			return -1;
		}
	}
	return bytes;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int vctl_mac_parse(const char *s, size_t n, uint8_t mac[6], const char **why)
{
	int i;

	*why = "not a MAC address (six pairs of hex digits: 02:00:00:00:00:01)";
	if (n != 17)
		return -1;
	for (i = 0; i < 6; i++) {
		int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
			return -1;
		mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int vctl_num_parse(const char *s, size_t n, uint64_t max, uint64_t *v, const char **why)
{
	unsigned int base = 10;
	uint64_t x = 0;
	size_t i = 0;

	*why = "not a number";
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i >= n)
		return -1;
	for (; i < n; i++) {
		int d = base == 16 ? hexval(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);

		if (d < 0)
			return -1;
		if (x > (UINT64_MAX - (uint64_t)d) / base) {
			*why = "number too large";
			return -1;
		}
		x = x * base + (uint64_t)d;
	}
	if (x > max) {
		*why = "number out of range";
		return -1;
	}
	*v = x;
	return 0;
}

void vctl_addr_format(char *buf, size_t size, const uint8_t *a, size_t len)
{
	if (!inet_ntop(len == 4 ? AF_INET : AF_INET6, a, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

void vctl_prefix_format(char *buf, size_t size, const uint8_t *a, size_t len, unsigned int plen)
{
	char addr[INET6_ADDRSTRLEN];

	vctl_addr_format(addr, sizeof(addr), a, len);
	snprintf(buf, size, "%s/%u", addr, plen);
}

void vctl_mac_format(char buf[18], const uint8_t *m)
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}
