// SPDX-License-Identifier: BSD-2-Clause
/*
 * Port spec parser: "[netmap:]name[rings][/flags][@memid]" into a
 * NETMAP_REQ_REGISTER request.  The grammar is netmap's (libnetmap) so
 * that command lines written for netmap tools work unchanged; the only
 * leniency is that the "netmap:" prefix may be omitted.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nmport_priv.h"

/* Characters that end the port name and start the suffix. */
#define SUFFIX_START	"-*^/@"

void nmport_seterr(char *err, size_t errlen, int errnum, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	errno = errnum;
}

static int is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* Length of the run of identifier characters at s, stopping before end. */
static size_t ident_len(const char *s, const char *end)
{
	const char *p = s;

	while (p < end && is_ident_char(*p))
		p++;
	return (size_t)(p - s);
}

/*
 * Check the port name [name, end): "ident", "ident{pipe", "ident}pipe",
 * or for VALE "valeSW:ident" with the same pipe forms.  The kernel gets
 * the name verbatim, so anything it would misread is refused here.
 */
static int check_name(const char *spec, const char *name, const char *end,
		      char *err, size_t errlen)
{
	const char *p = name;
	size_t n;

	if (p == end) {
		nmport_seterr(err, errlen, EINVAL, "%s: empty port name", spec);
		return -1;
	}
	if (!strncmp(p, NM_BDG_NAME, strlen(NM_BDG_NAME))) {
		/* switch name: possibly empty identifier, then ':' */
		p += strlen(NM_BDG_NAME);
		p += ident_len(p, end);
		if (p == end || *p != ':') {
			nmport_seterr(err, errlen, EINVAL,
				      "%s: VALE port '%.*s' needs the form valeSWITCH:PORT",
				      spec, (int)(end - name), name);
			return -1;
		}
		p++;
	}
	n = ident_len(p, end);
	if (n == 0) {
		nmport_seterr(err, errlen, EINVAL,
			      "%s: invalid port name '%.*s' (letters, digits and '_' only)",
			      spec, (int)(end - name), name);
		return -1;
	}
	p += n;
	if (p == end)
		return 0;
	if (*p == '{' || *p == '}') {
		const char *pipe = p + 1;

		n = ident_len(pipe, end);
		if (n == 0 || pipe + n != end) {
			nmport_seterr(err, errlen, EINVAL,
				      "%s: invalid pipe id '%.*s' after '%c'",
				      spec, (int)(end - pipe), pipe, *p);
			return -1;
		}
		return 0;
	}
	nmport_seterr(err, errlen, EINVAL, "%s: unexpected '%c' in port name",
		      spec, *p);
	return -1;
}

/*
 * Decimal number at *s into *val, at most max; advances *s.  Refuses
 * signs and blanks, which strtoul would quietly accept.
 */
static int parse_num(const char **s, unsigned long max, unsigned long *val)
{
	const char *p = *s;
	unsigned long v = 0;

	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		v = v * 10 + (unsigned long)(*p - '0');
		if (v > max)
			return -1;
	}
	*val = v;
	*s = p;
	return 0;
}

/* The ring selector at the start of the suffix, if any. */
static int parse_rings(const char *spec, const char **s,
		       struct nmreq_register *reg, char *err, size_t errlen)
{
	const char *p = *s;
	unsigned long n;

	reg->nr_mode = NR_REG_ALL_NIC;
	switch (*p) {
	case '-':
		p++;
		if (parse_num(&p, NETMAP_RING_MASK - 1, &n) < 0) {
			nmport_seterr(err, errlen, EINVAL,
				      "%s: '-' must be followed by a ring number below %d",
				      spec, NETMAP_RING_MASK);
			return -1;
		}
		reg->nr_mode = NR_REG_ONE_NIC;
		reg->nr_ringid = (uint16_t)n;
		break;
	case '^':
		p++;
		reg->nr_mode = NR_REG_SW;
		if (*p >= '0' && *p <= '9') {
			if (parse_num(&p, NETMAP_RING_MASK - 1, &n) < 0) {
				nmport_seterr(err, errlen, EINVAL,
					      "%s: host ring number must be below %d",
					      spec, NETMAP_RING_MASK);
				return -1;
			}
			reg->nr_mode = NR_REG_ONE_SW;
			reg->nr_ringid = (uint16_t)n;
		}
		break;
	case '*':
		p++;
		reg->nr_mode = NR_REG_NIC_SW;
		break;
	}
	*s = p;
	return 0;
}

/* One "/flags" group; *s points after the '/'. */
static int parse_flags(const char *spec, const char **s,
		       struct nmreq_register *reg, char *err, size_t errlen)
{
	const char *p = *s;

	if (*p == '\0' || *p == '/' || *p == '@') {
		nmport_seterr(err, errlen, EINVAL,
			      "%s: '/' must be followed by flags (x, R, T, t, r, z)",
			      spec);
		return -1;
	}
	for (; *p && *p != '/' && *p != '@'; p++) {
		switch (*p) {
		case 'x':
			reg->nr_flags |= NR_EXCLUSIVE;
			break;
		case 'R':
			reg->nr_flags |= NR_RX_RINGS_ONLY;
			break;
		case 'T':
			reg->nr_flags |= NR_TX_RINGS_ONLY;
			break;
		case 't':
			reg->nr_flags |= NR_MONITOR_TX;
			break;
		case 'r':
			reg->nr_flags |= NR_MONITOR_RX;
			break;
		case 'z':
			reg->nr_flags |= NR_ZCOPY_MON;
			break;
		default:
			nmport_seterr(err, errlen, EINVAL,
				      "%s: unknown flag '%c' (valid: x R T t r z)",
				      spec, *p);
			return -1;
		}
	}
	*s = p;
	return 0;
}

/* "@memid"; *s points after the '@'. */
static int parse_memid(const char *spec, const char **s,
		       struct nmreq_register *reg, char *err, size_t errlen)
{
	const char *p = *s;
	unsigned long n;

	if (*p < '0' || *p > '9') {
		/* libnetmap's "@option:..." extensions (extmem, conf, ...) */
		nmport_seterr(err, errlen, EOPNOTSUPP,
			      "%s: '@%s' not supported (only a numeric memory id)",
			      spec, p);
		return -1;
	}
	if (parse_num(&p, UINT16_MAX, &n) < 0 || n == 0) {
		nmport_seterr(err, errlen, EINVAL,
			      "%s: memory id must be in 1..%u", spec, UINT16_MAX);
		return -1;
	}
	if (reg->nr_mem_id) {
		nmport_seterr(err, errlen, EINVAL, "%s: memory id given twice",
			      spec);
		return -1;
	}
	reg->nr_mem_id = (uint16_t)n;
	*s = p;
	return 0;
}

int nmport_parse(const char *spec, struct nmreq_header *hdr,
		 struct nmreq_register *reg, char *err, size_t errlen)
{
	const char *name, *end, *p;

	memset(hdr, 0, sizeof(*hdr));
	memset(reg, 0, sizeof(*reg));
	if (!spec) {
		nmport_seterr(err, errlen, EINVAL, "no port given");
		return -1;
	}

	name = spec;
	if (!strncmp(name, "netmap:", 7))
		name += 7;
	/* "valeX:" is part of the name, so its ':' must not end it. */
	end = name + strcspn(name, SUFFIX_START);
	if (check_name(spec, name, end, err, errlen) < 0)
		return -1;
	if ((size_t)(end - name) >= sizeof(hdr->nr_name)) {
		nmport_seterr(err, errlen, ENAMETOOLONG,
			      "%s: port name longer than %zu characters", spec,
			      sizeof(hdr->nr_name) - 1);
		return -1;
	}
	hdr->nr_version = NETMAP_API;
	hdr->nr_reqtype = NETMAP_REQ_REGISTER;
	memcpy(hdr->nr_name, name, (size_t)(end - name));

	p = end;
	if (parse_rings(spec, &p, reg, err, errlen) < 0)
		return -1;
	/* flags and memory id, in any order, as libnetmap accepts */
	while (*p) {
		int rc;

		if (*p == '/') {
			p++;
			rc = parse_flags(spec, &p, reg, err, errlen);
		} else if (*p == '@') {
			p++;
			rc = parse_memid(spec, &p, reg, err, errlen);
		} else {
			nmport_seterr(err, errlen, EINVAL,
				      "%s: unexpected '%s' after the ring selection",
				      spec, p);
			rc = -1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}
