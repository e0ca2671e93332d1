// SPDX-License-Identifier: GPL-2.0
/*
 * vale-bench -m of: the flow table's cases. Two ports; ofswitch holds N
 * exact 5-tuple flows (priority 100, output to port 1) over three
 * wildcard flows of lower priorities (other masks, so four subtables),
 * and every frame hits one of the N: the pool's tuples are drawn at
 * random from the N flows, so the caches see as many distinct flows as
 * the table holds. Each N with the exact-match cache (EMC) on and off.
 * null-hdrcopy160 is a module that asks for ofswitch's header copy and
 * sends every frame to port 1 without a look: what separates it from the
 * learning bridge is the core's cost of the copy, what separates
 * ofswitch from it is ofswitch's own.
 */
#include "bench.h"
#include "null_lookup.h"
#include "../lookup-modules/ofswitch/of_priv.h"	/* OF_HDR_COPY */

static struct vale_lookup_ops null_ops = NULL_LOOKUP_OPS("null-hdrcopy160", OF_HDR_COPY);

static int add_flows(struct of_table *t, const struct bench_tuple *tp, u32 n)
{
	struct of_flow_spec s;
	const char *why = NULL;
	u32 i;

	memset(&s, 0, sizeof(s));
	s.match.key.eth_type = 0x0800;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_proto = 17;
	s.match.mask.ip_proto = 0xff;
	memset(s.match.mask.ip_src, 0xff, 4);
	memset(s.match.mask.ip_dst, 0xff, 4);
	s.match.mask.tp_src = s.match.mask.tp_dst = 0xffff;
	s.priority = 100;
	s.n_actions = 1;
	s.actions[0].type = OF_ACT_OUTPUT;
	s.actions[0].port = 1;
	for (i = 0; i < n; i++) {
		memcpy(s.match.key.ip_src, tp[i].b, 4);
		memcpy(s.match.key.ip_dst, tp[i].b + 4, 4);
		s.match.key.tp_src = tp[i].b[8] << 8 | tp[i].b[9];
		s.match.key.tp_dst = tp[i].b[10] << 8 | tp[i].b[11];
		if (of_flow_add(t, &s, &why))
			goto fail;
	}
	/* Three wildcard flows under them: a /16, a port, the input port. */
	memset(&s.match, 0, sizeof(s.match));
	s.match.key.eth_type = 0x0800;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_dst[0] = 192;
	s.match.key.ip_dst[1] = 168;
	s.match.mask.ip_dst[0] = s.match.mask.ip_dst[1] = 0xff;
	s.priority = 50;
	if (of_flow_add(t, &s, &why))
		goto fail;
	s.match.mask.ip_dst[0] = s.match.mask.ip_dst[1] = 0;
	s.match.key.ip_dst[0] = s.match.key.ip_dst[1] = 0;
	s.match.key.ip_proto = 6;
	s.match.mask.ip_proto = 0xff;
	s.match.key.tp_dst = 22;
	s.match.mask.tp_dst = 0xffff;
	s.priority = 40;
	s.actions[0].type = OF_ACT_DROP;
	if (of_flow_add(t, &s, &why))
		goto fail;
	memset(&s.match, 0, sizeof(s.match));
	s.match.mask.in_port = 0xffff;
	s.priority = 1;
	s.actions[0].type = OF_ACT_FLOOD;
	if (of_flow_add(t, &s, &why))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "vale-bench: of: %s\n", why ? why : "flow refused");
	return -EINVAL;
}

static int setup(struct bench_run *run)
{
	const struct bench_case *c = run->c;
	struct bench_tuple *flows = calloc(c->n, sizeof(*flows));
	u32 i, k;
	int err;

	if (!flows)
		return -ENOMEM;
	for (i = 0; i < c->n; i++)
		for (k = 0; k < sizeof(flows[i].b); k++)
			flows[i].b[k] = (u8)bench_rand();
	err = add_flows(run->priv, flows, c->n);
	if (!err) {
		of_set_emc(run->priv, c->flag);
		for (i = 0; i < BENCH_POOL; i++)
			run->tuples[i] = flows[bench_rand() % c->n];
	}
	free(flows);
	return err;
}

static const struct bench_case cases[] = {
	{ "null-hdrcopy160-60B", "null-hdrcopy160",
	  "the core's header copy (160 B, ofswitch's) with a module that does nothing else: of's floor",
	  2, 60, BENCH_UNICAST, 0, false, "\"hdr_copy\": 160", NULL },
	{ "of-10flows-emc-60B", "of",
	  "ofswitch, 10 exact 5-tuple flows over 3 wildcard ones, exact-match cache on",
	  2, 60, BENCH_UNICAST, 10, true, "\"flows\": 10, \"emc\": true", setup },
	{ "of-10flows-noemc-60B", "of", "the same, cache off",
	  2, 60, BENCH_UNICAST, 10, false, "\"flows\": 10, \"emc\": false", setup },
	{ "of-1000flows-emc-60B", "of", "1,000 exact flows, cache on",
	  2, 60, BENCH_UNICAST, 1000, true, "\"flows\": 1000, \"emc\": true", setup },
	{ "of-1000flows-noemc-60B", "of", "1,000 exact flows, cache off",
	  2, 60, BENCH_UNICAST, 1000, false, "\"flows\": 1000, \"emc\": false", setup },
	{ "of-10000flows-emc-60B", "of", "10,000 exact flows, cache on",
	  2, 60, BENCH_UNICAST, 10000, true, "\"flows\": 10000, \"emc\": true", setup },
	{ "of-10000flows-noemc-60B", "of", "10,000 exact flows, cache off",
	  2, 60, BENCH_UNICAST, 10000, false, "\"flows\": 10000, \"emc\": false", setup },
};

static int init(void)
{
	int err = vale_lookup_register(&of_ops);

	if (err)
		return err;
	err = vale_lookup_register(&null_ops);
	if (err)
		vale_lookup_unregister(&of_ops);
	return err;
}

static void fini(void)
{
	vale_lookup_unregister(&null_ops);
	vale_lookup_unregister(&of_ops);
}

const struct bench_module bench_of = {
	.name = "of",
	.doc = "the flow table, ofswitch (lookup-modules/ofswitch)",
	.cases = cases,
	.ncases = ARRAY_SIZE(cases),
	.init = init,
	.exit = fini,
};
