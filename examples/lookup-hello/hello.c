// SPDX-License-Identifier: GPL-2.0
/*
 * lookup-hello: the smallest useful lookup module, to copy from.
 *
 * It forwards by the last byte of the destination MAC address: a frame to
 * xx:xx:xx:xx:xx:05 goes to port 5 of the switch, ff:ff:ff:ff:ff:ff is
 * flooded, and a frame for a port that does not exist is dropped (the
 * core counts it as a lookup drop). No state, no learning: what a module
 * needs at the least is a name, create/destroy for its per-switch state,
 * and the lookup callback.
 *
 * The same file builds in user space against the core's user-space build
 * (see docs/writing-a-lookup-module.md and test_hello.c beside it).
 */
#include <vale/lookup.h>

#ifdef __KERNEL__
#include <linux/module.h>
#include <linux/slab.h>
#define hello_zalloc(size)	kzalloc(size, GFP_KERNEL)
#define hello_free(p)		kfree(p)
#else
#include <errno.h>
#include <stdlib.h>
#define THIS_MODULE		NULL
#define hello_zalloc(size)	calloc(1, size)
#define hello_free(p)		free(p)
#endif

/* Per-switch state: here only a counter, to show where state goes. */
struct hello_switch {
	unsigned long lookups;
};

static int hello_create(void **priv, const char *switch_name)
{
	struct hello_switch *hs = hello_zalloc(sizeof(*hs));

	(void)switch_name;
	if (!hs)
		return -ENOMEM;
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
 * for one switch, so shared state is updated with care (the counter here
 * may lose increments under contention, which is fine for a counter).
 */
static uint32_t hello_lookup(void *priv, struct vale_pkt *pkt)
{
	struct hello_switch *hs = priv;
	const uint8_t *dst = pkt->data;

	hs->lookups++;
	if (pkt->len < 14)
		return VALE_DROP;		/* not even an Ethernet header */
	if (dst[0] & 1)
		return VALE_BROADCAST;		/* broadcast and multicast */
	if (dst[5] >= VALE_MAX_PORTS)
		return VALE_DROP;
	return dst[5];
}

struct vale_lookup_ops hello_ops = {
	.name = "hello",
	.owner = THIS_MODULE,
	.create = hello_create,
	.destroy = hello_destroy,
	.lookup = hello_lookup,
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
