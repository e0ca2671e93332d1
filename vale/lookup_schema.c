// SPDX-License-Identifier: GPL-2.0
/*
 * A lookup module's declaration of its control attributes (its schema,
 * struct vale_lookup_attr): checked once when the module registers, then
 * used to check every attribute of a request before the module sees it.
 *
 * OS-independent, so that the user-space tests pin the same checks the
 * kernel makes: the caller (kmod/genl.c) walks the netlink attributes and
 * hands each payload here.
 */
#include "vale.h"

/* The largest value of an integer type, for a declaration without a range. */
static u64 vale_type_max(u16 type)
{
	switch (type) {
	case VALE_TYPE_U8:
		return 0xff;
	case VALE_TYPE_U16:
		return 0xffff;
	case VALE_TYPE_U32:
		return 0xffffffffu;
	case VALE_TYPE_U64:
		return ~0ull;
	case VALE_TYPE_PORT:
		return VALE_MAX_PORTS - 1;
	}
	return 0;
}

static bool vale_type_integer(u16 type)
{
	return vale_type_max(type) != 0;
}

/* Bytes of an integer type's payload. */
static u32 vale_type_size(u16 type)
{
	switch (type) {
	case VALE_TYPE_U8:
		return 1;
	case VALE_TYPE_U16:
		return 2;
	case VALE_TYPE_U32:
	case VALE_TYPE_PORT:
		return 4;
	case VALE_TYPE_U64:
		return 8;
	}
	return 0;
}

const struct vale_lookup_attr *vale_schema_attr(const struct vale_lookup_ops *ops, u32 id)
{
	const struct vale_lookup_attr *a;

	for (a = ops->attrs; a && a->name; a++)
		if (a->id == id)
			return a;
	return NULL;
}

u32 vale_schema_max_id(const struct vale_lookup_ops *ops)
{
	const struct vale_lookup_attr *a;
	u32 max = 0;

	for (a = ops->attrs; a && a->name; a++)
		if (a->id > max)
			max = a->id;
	return max;
}

/* The range a declaration allows an integer, with 0 .. 0 meaning all of it. */
static void vale_schema_range(const struct vale_lookup_attr *a, u64 *min, u64 *max)
{
	*min = a->min;
	*max = a->max;
	if (!a->min && !a->max)
		*max = vale_type_max(a->type);
}

static bool vale_schema_name_ok(const char *name)
{
	size_t n = strlen(name);
	size_t i;

	if (!n || n >= VALE_NAME_MAX)
		return false;
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
	}
	return true;
}

/*
 * A module's declaration, when it registers: names are lower-case words
 * (tools take them as keywords), unique, ids unique and in range, types
 * known, ranges within the type, flags sensible. 0 or -EINVAL (and what
 * is wrong, logged: a module's author reads it in the kernel log).
 */
int vale_schema_check(const struct vale_lookup_ops *ops)
{
	const struct vale_lookup_attr *a, *b;
	const struct vale_lookup_table *t, *u;
	u64 min, max;

	for (a = ops->attrs; a && a->name; a++) {
		const char *why = NULL;

		if (!vale_schema_name_ok(a->name))
			why = "its name is not a lower-case word";
		else if (a->id < 1 || a->id > VALE_LOOKUP_ATTR_MAX)
			why = "its id is not in 1 .. VALE_LOOKUP_ATTR_MAX";
		else if (a->type < VALE_TYPE_FLAG || a->type > VALE_TYPE_MAX)
			why = "its type is unknown";
		else if (a->flags & ~(u32)(VALE_SCHEMA_F_SETTING | VALE_SCHEMA_F_ACTION |
					   VALE_SCHEMA_F_DUMP_ONLY))
			why = "it has unknown flags";
		else if ((a->flags & VALE_SCHEMA_F_ACTION) && a->type != VALE_TYPE_FLAG)
			why = "an action is a flag";
		else if ((a->flags & VALE_SCHEMA_F_DUMP_ONLY) &&
			 (a->flags & (VALE_SCHEMA_F_SETTING | VALE_SCHEMA_F_ACTION)))
			why = "a dump-only attribute cannot be a setting or an action";
		else if (a->values && !vale_type_integer(a->type))
			why = "only integers have value names";
		if (!why && vale_type_integer(a->type)) {
			vale_schema_range(a, &min, &max);
			if (min > max || max > vale_type_max(a->type))
				why = "its range does not fit its type";
		}
		if (!why && a->type == VALE_TYPE_BINARY && (a->min > a->max || !a->max))
			why = "a binary needs min <= max, max > 0";
		for (b = ops->attrs; !why && b != a; b++) {
			if (b->id == a->id)
				why = "its id is used twice";
			else if (!strcmp(b->name, a->name))
				why = "its name is used twice";
		}
		if (why) {
			vale_log("lookup module %s: attribute \"%s\" (%u): %s", ops->name,
				 a->name, a->id, why);
			return -EINVAL;
		}
	}
	for (t = ops->tables; t && t->name; t++) {
		const char *why = NULL;

		if (!vale_schema_name_ok(t->name))
			why = "its name is not a lower-case word";
		for (u = ops->tables; !why && u != t; u++)
			if (!strcmp(u->name, t->name))
				why = "its name is used twice";
		if (why) {
			vale_log("lookup module %s: table \"%s\": %s", ops->name, t->name, why);
			return -EINVAL;
		}
	}
	return 0;
}

static u64 vale_get_uint(const void *data, u32 size)
{
	u64 v = 0;

	/* Netlink integers are in host order, as the module reads them. */
	switch (size) {
	case 1:
		v = *(const u8 *)data;
		break;
	case 2: {
		u16 x;

		memcpy(&x, data, 2);
		v = x;
		break;
	}
	case 4: {
		u32 x;

		memcpy(&x, data, 4);
		v = x;
		break;
	}
	case 8:
		memcpy(&v, data, 8);
		break;
	}
	return v;
}

/*
 * One attribute of a request against its declaration: its payload's
 * length and value. 0, or -ERANGE (a value out of range) or -EINVAL with
 * *why a message for the user
 * (a string literal, as extack wants).
 */
int vale_schema_check_value(const struct vale_lookup_attr *a, const void *data, u32 len,
			    const char **why)
{
	u64 min, max, v;

	if (a->flags & VALE_SCHEMA_F_DUMP_ONLY) {
		*why = "the module only reports this attribute: it cannot be set";
		return -EINVAL;
	}
	if (vale_type_integer(a->type)) {
		if (len != vale_type_size(a->type)) {
			*why = "wrong length for the attribute's integer type";
			return -EINVAL;
		}
		v = vale_get_uint(data, len);
		vale_schema_range(a, &min, &max);
		if (v < min || v > max) {
			*why = a->type == VALE_TYPE_PORT && v > VALE_MAX_PORTS - 1 ?
			       "not a port number (0 .. 253)" :
			       "value out of the range the module declares";
			return -ERANGE;	/* as the netlink core's range policies */
		}
		return 0;
	}
	switch (a->type) {
	case VALE_TYPE_FLAG:
		if (len) {
			*why = "a flag has no payload";
			return -EINVAL;
		}
		return 0;
	case VALE_TYPE_STRING:
		max = a->max ? a->max : 255;
		if (!len || ((const char *)data)[len - 1] != '\0' || strlen(data) != len - 1) {
			*why = "a string must end with its only NUL";
			return -EINVAL;
		}
		if (len - 1 > max) {
			*why = "string longer than the module declares";
			return -EINVAL;
		}
		return 0;
	case VALE_TYPE_MAC:
		if (len != 6) {
			*why = "a MAC address is 6 bytes";
			return -EINVAL;
		}
		return 0;
	case VALE_TYPE_IP:
		if (len != 4 && len != 16) {
			*why = "an IP address is 4 (IPv4) or 16 (IPv6) bytes";
			return -EINVAL;
		}
		return 0;
	case VALE_TYPE_BINARY:
		if (len < a->min || len > a->max) {
			*why = "binary length out of the range the module declares";
			return -EINVAL;
		}
		return 0;
	case VALE_TYPE_NESTED:
		return 0;	/* the module parses it (the core checked it is well formed) */
	}
	*why = "attribute of an unknown type";
	return -EINVAL;
}

const struct vale_lookup_table *vale_schema_table(const struct vale_lookup_ops *ops,
						  const char *name)
{
	const struct vale_lookup_table *t;

	for (t = ops->tables; t && t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}
