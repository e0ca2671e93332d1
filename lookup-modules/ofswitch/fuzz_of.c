// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target of ofswitch's packet path (make fuzz-of): the parser,
 * then a whole lookup (cache, classifier, actions that push, pop and
 * rewrite VLAN tags and addresses) on a fixed table, on arbitrary bytes.
 * The first input byte is the input port, the rest the frame. Every read
 * must stay within the frame and every rewrite within VALE_HDR_MAX.
 *
 * With -DOF_FUZZ_REPLAY it is a plain program that runs the target once
 * on each file named on its command line (the corpus replay of check-of).
 */
#include "of_priv.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

static struct of_table *fuzz_table(void)
{
	static struct of_table *t;
	struct of_flow_spec s;
	const char *why;
	void *priv;

	if (t)
		return t;
	if (of_ops.create(&priv, "valefuzz"))
		abort();
	t = priv;
	memset(&s, 0, sizeof(s));
	s.match.mask.in_port = 0xffff;
	s.actions[0].type = OF_ACT_PUSH_VLAN;
	s.actions[0].arg16 = 5;
	s.actions[1].type = OF_ACT_PUSH_VLAN;
	s.actions[1].arg16 = 6;
	s.actions[2].type = OF_ACT_OUTPUT;
	s.actions[2].port = 1;
	s.n_actions = 3;
	of_flow_add(t, &s, &why);
	s.match.key.in_port = 1;
	s.actions[0].type = OF_ACT_POP_VLAN;
	s.actions[1].type = OF_ACT_SET_VLAN;
	s.actions[2].type = OF_ACT_SET_ETH_DST;
	s.actions[3].type = OF_ACT_FLOOD;
	s.n_actions = 4;
	of_flow_add(t, &s, &why);
	memset(&s, 0, sizeof(s));
	s.match.key.eth_type = 0x86dd;
	s.match.mask.eth_type = 0xffff;
	s.match.key.ip_proto = 17;
	s.match.mask.ip_proto = 0xff;
	s.match.key.tp_dst = 53;
	s.match.mask.tp_dst = 0xffff;
	s.priority = 9;
	s.actions[0].type = OF_ACT_CONTROLLER;
	s.n_actions = 1;
	of_flow_add(t, &s, &why);
	return t;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct of_table *t = fuzz_table();
	struct vale_pkt pkt;
	struct of_key key;
	u8 *buf;
	u32 len, copy;

	if (size < 1 || size > 4096)
		return 0;
	len = size - 1;
	/* An exact-size copy, so that ASan sees any read past the frame. */
	buf = malloc(len ? len : 1);
	memcpy(buf, data + 1, len);
	of_parse(buf, len, data[0] % 4, &key);
	free(buf);

	copy = min(len, (u32)OF_HDR_COPY);
	buf = malloc(VALE_HDR_MAX);
	memcpy(buf, data + 1, copy);
	memset(&pkt, 0, sizeof(pkt));
	pkt.data = buf;
	pkt.len = pkt.hdr_len = copy;
	pkt.total_len = len;
	pkt.src_port = data[0] % 4;
	of_ops.lookup(t, &pkt);
	if (pkt.hdr_len > VALE_HDR_MAX)
		abort();
	free(buf);
	return 0;
}

#ifdef OF_FUZZ_REPLAY
int main(int argc, char **argv)
{
	static u8 in[4096];
	int i, n = 0;

	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		size_t got;

		if (!f) {
			perror(argv[i]);
			return 1;
		}
		got = fread(in, 1, sizeof(in), f);
		fclose(f);
		LLVMFuzzerTestOneInput(in, got);
		n++;
	}
	printf("fuzz_of-replay: %d inputs, no crash\n", n);
	return 0;
}
#endif
