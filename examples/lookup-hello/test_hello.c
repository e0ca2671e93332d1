// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lookup-hello in user space: a switch with three ports of
 * the core's user-space build, the module set on it, frames sent, and
 * where they land checked. This is how to test a module before loading it.
 */
#include <stdio.h>

#include "../../vale/user/uport.h"

extern struct vale_lookup_ops hello_ops;

static int passed, failed;
#define EXPECT(c) do {							\
	if (c)								\
		passed++;						\
	else {								\
		failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);	\
	}								\
} while (0)

static void send_to(struct uport *from, u8 last_byte)
{
	u8 f[60] = { 0x02, 0, 0, 0, 0, last_byte, 0x02, 0, 0, 0, 0, 0x99, 0x08, 0x00 };

	uport_send(from, 0, f, sizeof(f));
	uport_txsync(from, 0);
}

static u32 pending(struct uport *up)
{
	u32 n;

	uport_rxsync(up, 0);
	n = uport_rx_pending(up, 0);
	uport_drain(up);
	return n;
}

int main(void)
{
	struct vale_switch *sw;
	struct uport *p[3];
	int i;

	EXPECT(vale_core_init() == 0);
	EXPECT(vale_lookup_register(&hello_ops) == 0);
	vale_core_lock();
	EXPECT(vale_switch_create("valehello", &sw) == 0);
	for (i = 0; i < 3; i++) {
		char name[8];

		snprintf(name, sizeof(name), "p%d", i);
		p[i] = uport_new(name, 1, 1, 64);
		EXPECT(vale_port_attach(sw, p[i]->vp) == 0);
	}
	EXPECT(vale_switch_set_lookup(sw, "hello") == 0);
	vale_core_unlock();

	send_to(p[0], 2);		/* to port 2 only */
	EXPECT(pending(p[2]) == 1 && pending(p[1]) == 0);
	send_to(p[2], 1);		/* to port 1 only */
	EXPECT(pending(p[1]) == 1 && pending(p[0]) == 0);
	send_to(p[1], 7);		/* no port 7: dropped */
	EXPECT(pending(p[0]) == 0 && pending(p[2]) == 0);

	vale_core_lock();
	for (i = 0; i < 3; i++)
		vale_port_detach(p[i]->vp);	/* the last one takes the switch */
	vale_core_unlock();
	for (i = 0; i < 3; i++)
		uport_free(p[i]);
	vale_lookup_unregister(&hello_ops);
	vale_core_exit();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
