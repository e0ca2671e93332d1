// SPDX-License-Identifier: GPL-2.0
/*
 * lookup-hello: the smallest useful lookup module, to copy from.
 *
 * It forwards by the last byte of the destination MAC address, and'ed with
 * its setting "mask": with the default mask 0xff a frame to
 * xx:xx:xx:xx:xx:05 goes to port 5, with mask 3 to port 1 (5 & 3). Broadcast
 * and multicast frames are flooded, and a frame for a port that does not
 * exist is dropped (the core counts it as a lookup drop). It counts the
 * frames it sends to each port, and shows them as its table "counters".
 *
 * What a module needs at the least is a name, create/destroy for its
 * per-switch state, and the lookup callback. This one also declares its
 * control attributes (hello_attrs: a setting and the columns of its table),
 * so that valectl and pyctl configure, show and dump it with no code of
 * their own, and has the kernel-only callbacks behind them: .config,
 * .get_config and the table's dump.
 *
 * The same file builds in user space against the core's user-space build
 * (see docs/writing-a-lookup-module.md and test_hello.c beside it), without
 * the kernel-only callbacks: the unit test calls hello_set_mask() itself.
 */
#include "hello.h"

#ifdef __KERNEL__
#include <linux/module.h>
#include <linux/slab.h>
#include <net/netlink.h>
#define hello_zalloc(size)	kzalloc(size, GFP_KERNEL)
#define hello_free(p)		kfree(p)
#define KERNEL_ONLY(f)		f
#else
#include <errno.h>
#include <stdlib.h>
#define THIS_MODULE		NULL
#define hello_zalloc(size)	calloc(1, size)
#define hello_free(p)		free(p)
#define KERNEL_ONLY(f)		NULL
#define READ_ONCE(x)		__atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v)	__atomic_store_n(&(x), (v), __ATOMIC_RELAXED)
#endif

/*
 * The attributes of the module's VALE_ATTR_LOOKUP_CONFIG nest. The numbers
 * are the module's own (each module numbers its attributes its own way:
 * the core never hands a request meant for another module to this one).
 * Tools know them by the names declared in hello_attrs below.
 */
enum hello_attr {
	HELLO_ATTR_UNSPEC,
	HELLO_ATTR_MASK,	/* u32, setting: and'ed with the MAC's last byte */
	HELLO_ATTR_PORT,	/* port number (table "counters") */
	HELLO_ATTR_FRAMES,	/* u64: frames sent to the port (table "counters") */
	HELLO_ATTR_PAD,		/* alignment of u64 payloads, never set by tools */
};

#define HELLO_MASK_DEFAULT	0xff

/* Per-switch state. */
struct hello_switch {
	uint32_t mask;			/* read by .lookup: one word, READ_ONCE */
	uint64_t frames[VALE_MAX_PORTS];
};

void hello_set_mask(void *priv, uint32_t mask)
{
	struct hello_switch *hs = priv;

	/* .lookup may be running on other CPUs: one word, written once. */
	WRITE_ONCE(hs->mask, mask);
}

uint32_t hello_mask(const void *priv)
{
	const struct hello_switch *hs = priv;

	return READ_ONCE(hs->mask);
}

uint64_t hello_frames(const void *priv, uint32_t port)
{
	const struct hello_switch *hs = priv;

	return port < VALE_MAX_PORTS ? hs->frames[port] : 0;
}

static int hello_create(void **priv, const char *switch_name)
{
	struct hello_switch *hs = hello_zalloc(sizeof(*hs));

	(void)switch_name;
	if (!hs)
		return -ENOMEM;
	hs->mask = HELLO_MASK_DEFAULT;
	*priv = hs;
	return 0;
}

static void hello_destroy(void *priv)
{
	hello_free(priv);
}

/*
 * The hot path. pkt->data holds at least pkt->len bytes of the frame:
 * check the length before reading a header. Runs on several CPUs at once
 * for one switch, so shared state is updated with care (the counters
 * here may lose increments under contention, which is fine for an
 * example; a real module keeps them per CPU).
 */
static uint32_t hello_lookup(void *priv, struct vale_pkt *pkt)
{
	struct hello_switch *hs = priv;
	const uint8_t *dst = pkt->data;
	uint32_t port;

	if (pkt->len < 14)
		return VALE_DROP;		/* not even an Ethernet header */
	if (dst[0] & 1)
		return VALE_BROADCAST;		/* broadcast and multicast */
	port = dst[5] & READ_ONCE(hs->mask);
	if (port >= VALE_MAX_PORTS)
		return VALE_DROP;
	hs->frames[port]++;
	return port;
}

#ifdef __KERNEL__
/*
 * A configuration request meant for this module. The core has checked
 * every attribute against hello_attrs (a u32 in 0 .. 0xff for "mask"; the
 * table's columns are refused, being dump-only): only what the attributes
 * mean together is left to check here, and there is nothing of that kind.
 */
static int hello_config(void *priv, const struct nlattr *const *tb,
			struct netlink_ext_ack *extack)
{
	if (tb[HELLO_ATTR_MASK])
		hello_set_mask(priv, nla_get_u32(tb[HELLO_ATTR_MASK]));
	return 0;
}

/* The settings, in the attributes .config takes (SWITCH_GET, events). */
static int hello_get_config(void *priv, struct sk_buff *skb)
{
	return nla_put_u32(skb, HELLO_ATTR_MASK, hello_mask(priv));
}

/* The table "counters": a row per port the module sent frames to. */
static int hello_dump_counters(void *priv, struct sk_buff *skb, uint64_t *pos)
{
	uint64_t frames;
	uint32_t port;

	for (port = *pos; port < VALE_MAX_PORTS; port++) {
		frames = hello_frames(priv, port);
		if (!frames)
			continue;
		if (nla_put_u32(skb, HELLO_ATTR_PORT, port) ||
		    nla_put_u64_64bit(skb, HELLO_ATTR_FRAMES, frames, HELLO_ATTR_PAD))
			return -EMSGSIZE;
		*pos = port + 1;
		return 1;
	}
	*pos = VALE_MAX_PORTS;
	return 0;
}
#endif

/*
 * The declaration tools read (VALE_CMD_LOOKUP_SCHEMA): "valectl lookup
 * config vale0 mask 3" is checked against it by the core before .config
 * sees it, "valectl lookup show" prints the settings, "valectl lookup dump"
 * the tables with these column names.
 */
static const struct vale_lookup_attr hello_attrs[] = {
	{ .name = "mask", .id = HELLO_ATTR_MASK, .type = VALE_TYPE_U32,
	  .flags = VALE_SCHEMA_F_SETTING, .min = 0, .max = 0xff,
	  .doc = "bits of the destination MAC's last byte that give the port (default 0xff)" },
	{ .name = "port", .id = HELLO_ATTR_PORT, .type = VALE_TYPE_PORT,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "a port of the switch" },
	{ .name = "frames", .id = HELLO_ATTR_FRAMES, .type = VALE_TYPE_U64,
	  .flags = VALE_SCHEMA_F_DUMP_ONLY, .doc = "frames the module sent to the port" },
	{ }
};

static const struct vale_lookup_table hello_tables[] = {
	{ .name = "counters", .doc = "frames sent to each port",
	  .dump = KERNEL_ONLY(hello_dump_counters) },
	{ }
};

struct vale_lookup_ops hello_ops = {
	.name = "hello",		/* what users set on a switch */
	.owner = THIS_MODULE,		/* rmmod is refused while a switch uses it */
	.create = hello_create,		/* per-switch state, in *priv */
	.destroy = hello_destroy,
	.lookup = hello_lookup,		/* the hot path */
	.attrs = hello_attrs,		/* what it takes and reports */
	.tables = hello_tables,		/* what it dumps */
	.config = KERNEL_ONLY(hello_config),
	.get_config = KERNEL_ONLY(hello_get_config),
};

#ifdef __KERNEL__
static int __init hello_init(void)
{
	return vale_lookup_register(&hello_ops);
}

static void __exit hello_exit(void)
{
	vale_lookup_unregister(&hello_ops);
}

module_init(hello_init);
module_exit(hello_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VALE lookup module example: forward by the last byte of the MAC");
/* So that "valectl lookup set vale0 hello" loads it on demand. */
MODULE_ALIAS("vale-lookup-hello");
#endif
