// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of lookup-hello in user space: a switch with three ports of
 * the core's user-space build (<vale/uport.h>), the module set on it,
 * frames sent, and where they land checked; then the setting "mask" and
 * the counters the table "counters" reports. This is how to test a module
 * before loading it.
 */
#include <stdio.h>
#include <string.h>

#include <vale/uport.h>

#include "hello.h"

static int passed, failed;
#define EXPECT(c) do {							\
	if (c)								\
		passed++;						\
	else {								\
		failed++;						\
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #c);	\
	}								\
} while (0)

/* A frame to 02:00:00:00:00:<last_byte> (or to ff:ff:ff:ff:ff:ff). */
static void send_to(struct uport *from, int last_byte)
{
	uint8_t f[60] = { 0x02, 0, 0, 0, 0, (uint8_t)last_byte,
			  0x02, 0, 0, 0, 0, 0x99, 0x08, 0x00 };

	if (last_byte < 0)
		memset(f, 0xff, 6);
	uport_send(from, 0, f, sizeof(f));
	uport_txsync(from, 0);
}

static uint32_t pending(struct uport *up)
{
	uint32_t n;

	uport_rxsync(up, 0);
	n = uport_rx_pending(up, 0);
	uport_drain(up);
	return n;
}

#define BROADCAST (-1)

int main(void)
{
	struct vale_switch *sw;
	struct uport *p[3];
	void *hs;
	int i;

	EXPECT(vale_core_init() == 0);
	/* The core checks the module's declaration (hello_attrs) here. */
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
	hs = uport_lookup_priv(sw);
	vale_core_unlock();
	EXPECT(hs != NULL);

	/* The default mask, 0xff: the last byte is the port. */
	EXPECT(hello_mask(hs) == 0xff);
	send_to(p[0], 2);		/* to port 2 only */
	EXPECT(pending(p[2]) == 1 && pending(p[1]) == 0);
	send_to(p[2], 1);		/* to port 1 only */
	EXPECT(pending(p[1]) == 1 && pending(p[0]) == 0);
	send_to(p[1], 7);		/* no port 7: dropped */
	EXPECT(pending(p[0]) == 0 && pending(p[2]) == 0);
	send_to(p[0], BROADCAST);	/* every port but the sender */
	EXPECT(pending(p[1]) == 1 && pending(p[2]) == 1 && pending(p[0]) == 0);

	/* mask 3, as "valectl lookup config valehello mask 3" sets it. */
	hello_set_mask(hs, 3);
	EXPECT(hello_mask(hs) == 3);
	send_to(p[0], 6);		/* 6 & 3: port 2 */
	EXPECT(pending(p[2]) == 1 && pending(p[1]) == 0);
	send_to(p[0], 0x41);		/* 0x41 & 3: port 1 */
	EXPECT(pending(p[1]) == 1 && pending(p[2]) == 0);
	send_to(p[2], 0xfe);		/* 0xfe & 3: back to port 2, the sender: dropped */
	EXPECT(pending(p[0]) == 0 && pending(p[1]) == 0 && pending(p[2]) == 0);
	send_to(p[0], BROADCAST);	/* broadcast does not look at the mask */
	EXPECT(pending(p[1]) == 1 && pending(p[2]) == 1);

	/* The table "counters": frames the module sent to each port. */
	EXPECT(hello_frames(hs, 0) == 0);
	EXPECT(hello_frames(hs, 1) == 2);	/* 1, then 0x41 & 3 */
	EXPECT(hello_frames(hs, 2) == 3);	/* 2, 6 & 3, 0xfe & 3 */
	EXPECT(hello_frames(hs, 7) == 1);	/* the module's count: the core dropped it */
	EXPECT(hello_frames(hs, 255) == 0);

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
