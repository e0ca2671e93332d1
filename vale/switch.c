// SPDX-License-Identifier: GPL-2.0
/*
 * Switches and their ports: the table of switches, names, attach and
 * detach. A switch is made by its first port (or explicitly, persistent)
 * and goes with its last port unless persistent. Ports are numbered from 0
 * in the order they attach, reusing the lowest free number.
 */
#include "vale.h"

static struct vale_switch *vale_switches[VALE_MAX_SWITCHES];
vale_mutex_t vale_lock;
void (*vale_event_hook)(struct vale_switch *sw, struct vale_port *vp, enum vale_event ev);

static void vale_event(struct vale_switch *sw, struct vale_port *vp, enum vale_event ev)
{
	if (vale_event_hook)
		vale_event_hook(sw, vp, ev);
}

void vale_core_lock(void)
{
	vale_mutex_lock(&vale_lock);
}

void vale_core_unlock(void)
{
	vale_mutex_unlock(&vale_lock);
}

int vale_core_init(void)
{
	vale_mutex_init(&vale_lock);
	return vale_lookup_register(vale_builtin_lookup);
}

void vale_core_exit(void)
{
	vale_lookup_unregister(vale_builtin_lookup);
	vale_mutex_destroy(&vale_lock);
}

static bool vale_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
}

/* Does the name designate a switch port ("vale<ANY>:<PORT>")? */
bool vale_switch_name(const char *name)
{
	return !strncmp(name, "vale", 4);
}

/* A valid switch name: "vale" then [A-Za-z0-9_.-], shorter than VALE_NAME_MAX. */
bool vale_switch_name_valid(const char *name)
{
	const char *c;

	if (!vale_switch_name(name) || strlen(name) >= VALE_NAME_MAX)
		return false;
	for (c = name; *c; c++)
		if (!vale_name_char(*c))
			return false;
	return true;
}

/*
 * Split "valeX:port" into the switch name "valeX" and the port name.
 * Both parts are non-empty runs of [A-Za-z0-9_.-]; sw and port have
 * VALE_NAME_MAX bytes. Returns 0 or -EINVAL.
 */
int vale_split_name(const char *name, char *sw, char *port)
{
	const char *colon = strchr(name, ':');
	size_t swlen;
	const char *c;

	if (!vale_switch_name(name) || !colon || !colon[1])
		return -EINVAL;
	swlen = colon - name;
	if (swlen >= VALE_NAME_MAX || strlen(colon + 1) >= VALE_NAME_MAX)
		return -EINVAL;
	for (c = name; c < colon; c++)
		if (!vale_name_char(*c))
			return -EINVAL;
	for (c = colon + 1; *c; c++)
		if (!vale_name_char(*c))
			return -EINVAL;
	memcpy(sw, name, swlen);
	sw[swlen] = '\0';
	strcpy(port, colon + 1);
	return 0;
}

/*
 * The switch of that name in namespace ns. Called with the core lock
 * held, as are all the functions below.
 */
struct vale_switch *vale_switch_find(const void *ns, const char *name)
{
	u32 i;

	vale_assert_held(&vale_lock);
	for (i = 0; i < VALE_MAX_SWITCHES; i++)
		if (vale_switches[i] && vale_switches[i]->ns == ns &&
		    !strcmp(vale_switches[i]->name, name))
			return vale_switches[i];
	return NULL;
}

/* The switch at that index in the table, of any namespace: callers filter. */
struct vale_switch *vale_switch_at(u32 index)
{
	vale_assert_held(&vale_lock);
	return index < VALE_MAX_SWITCHES ? vale_switches[index] : NULL;
}

/*
 * Make a switch in namespace ns (persistent: it stays when its last port
 * leaves), with the lookup module called lookup (NULL: the built-in one,
 * the learning bridge; see vale_lookup_request), and announce it with its
 * module. The table of switches is shared by all namespaces.
 */
int vale_switch_new(void *ns, const char *name, bool persistent, const char *lookup,
		    struct vale_switch **swp)
{
	struct vale_switch *sw;
	u32 i;
	int err;

	vale_assert_held(&vale_lock);
	if (strlen(name) >= VALE_NAME_MAX)
		return -EINVAL;
	if (vale_switch_find(ns, name))
		return -EEXIST;
	for (i = 0; i < VALE_MAX_SWITCHES && vale_switches[i]; i++)
		;
	if (i == VALE_MAX_SWITCHES)
		return -ENOSPC;
	sw = vale_zalloc(sizeof(*sw));
	if (!sw)
		return -ENOMEM;
	strcpy(sw->name, name);
	sw->ns = ns;
	sw->index = i;
	err = vale_switch_set_lookup(sw, lookup ?: vale_builtin_lookup->name);
	if (err) {
		vale_free(sw);
		return err;
	}
	sw->persistent = persistent;
	vale_switches[i] = sw;
	vale_event(sw, NULL, VALE_EV_SWITCH_NEW);
	*swp = sw;
	return 0;
}

/*
 * A switch made by its first port (it goes with its last), in no
 * namespace: for user-space programs and tests, which have one.
 */
int vale_switch_create(const char *name, struct vale_switch **swp)
{
	return vale_switch_new(NULL, name, false, NULL, swp);
}

/* Destroy a switch that has no port left and is not persistent. */
void vale_switch_put_if_unused(struct vale_switch *sw)
{
	vale_assert_held(&vale_lock);
	if (sw->nports || sw->persistent)
		return;
	vale_event(sw, NULL, VALE_EV_SWITCH_DEL);
	vale_switches[sw->index] = NULL;
	/* No port means no sender: nobody can be using the lookup state. */
	vale_lookup_inst_free(vale_deref_ctl(sw->lookup, &vale_lock));
	vale_free(sw);
}

struct vale_port *vale_switch_port(struct vale_switch *sw, const char *name)
{
	struct vale_port *port;
	u32 i;

	vale_assert_held(&vale_lock);
	for (i = 0; i < VALE_MAX_PORTS; i++) {
		port = vale_deref_ctl(sw->ports[i], &vale_lock);
		if (port && !strcmp(port->name, name))
			return port;
	}
	return NULL;
}

void vale_rx_ring_init(struct vale_rx_ring *rx, struct netmap_ring *ring, u32 num_slots)
{
	u32 i;

	rx->ring = ring;
	rx->num_slots = num_slots;
	rx->hwcur = rx->hwlease = rx->hwtail = 0;
	for (i = 0; i < num_slots; i++)
		rx->lease_end[i] = VALE_NOSLOT;
}

/*
 * A port with its ring bookkeeping; the caller points the rings at its
 * netmap_rings (tx[i].ring, vale_rx_ring_init()) and sets the buffers.
 */
struct vale_port *vale_port_alloc(const char *name, u16 num_tx, u32 tx_slots,
				  u16 num_rx, u32 rx_slots)
{
	struct vale_port *port;
	u32 i;

	if (!num_tx || !num_rx || strlen(name) >= VALE_NAME_MAX)
		return NULL;
	port = vale_zalloc(sizeof(*port));
	if (!port)
		return NULL;
	strcpy(port->name, name);
	port->num_tx_rings = num_tx;
	port->num_rx_rings = num_rx;
	port->tx = vale_zalloc(num_tx * sizeof(*port->tx));
	port->rx = vale_zalloc(num_rx * sizeof(*port->rx));
	if (!port->tx || !port->rx)
		goto fail;
	for (i = 0; i < num_tx; i++) {
		port->tx[i].num_slots = tx_slots;
		if (vale_tx_scratch_alloc(&port->tx[i]))
			goto fail;
	}
	for (i = 0; i < num_rx; i++) {
		struct vale_rx_ring *rx = &port->rx[i];

		vale_spin_init(&rx->lock);
		rx->num_slots = rx_slots;
		rx->lease_end = vale_zalloc(rx_slots * sizeof(u32));
		if (!rx->lease_end)
			goto fail;
		vale_rx_ring_init(rx, NULL, rx_slots);
	}
	return port;
fail:
	vale_port_free(port);
	return NULL;
}

void vale_port_free(struct vale_port *port)
{
	u32 i;

	if (!port)
		return;
	for (i = 0; port->tx && i < port->num_tx_rings; i++)
		vale_tx_scratch_free(&port->tx[i]);
	for (i = 0; port->rx && i < port->num_rx_rings; i++)
		vale_free(port->rx[i].lease_end);
	vale_free(port->tx);
	vale_free(port->rx);
	vale_free(port);
}

/* Put a port on sw, unannounced: 0 or -errno. Core lock held. */
static int vale_port_link(struct vale_switch *sw, struct vale_port *port)
{
	struct vale_lookup_inst *li;
	u32 i;
	int err;

	if (vale_deref_ctl(port->sw, &vale_lock))
		return -EBUSY;
	if (vale_switch_port(sw, port->name))
		return -EEXIST;
	for (i = 0; i < VALE_MAX_PORTS && vale_deref_ctl(sw->ports[i], &vale_lock); i++)
		;
	if (i == VALE_MAX_PORTS)
		return -ENOSPC;
	li = vale_deref_ctl(sw->lookup, &vale_lock);
	if (li->ops->port_attach) {
		err = li->ops->port_attach(li->priv, i);
		if (err)
			return err;
	}
	port->index = i;
	sw->nports++;
	vale_publish(port->sw, sw);
	vale_publish(sw->ports[i], port);
	if (i >= sw->port_limit)
		WRITE_ONCE(sw->port_limit, i + 1);
	return 0;
}

/*
 * Take n ports off sw, unannounced, with one grace period for them all:
 * unpublish both ways first, as destinations (the table) and as senders
 * (their switch), then wait for every batch that may have seen either.
 * The switch stays, even without ports. Core lock held.
 */
static void vale_ports_unlink(struct vale_switch *sw, struct vale_port *const *ports, u32 n)
{
	struct vale_lookup_inst *li;
	u32 i;

	for (i = 0; i < n; i++) {
		vale_publish(sw->ports[ports[i]->index], NULL);
		vale_publish(ports[i]->sw, NULL);
	}
	while (sw->port_limit && !vale_deref_ctl(sw->ports[sw->port_limit - 1], &vale_lock))
		WRITE_ONCE(sw->port_limit, sw->port_limit - 1);
	vale_synchronize();
	li = vale_deref_ctl(sw->lookup, &vale_lock);
	for (i = 0; i < n; i++) {
		if (li->ops->port_detach)
			li->ops->port_detach(li->priv, ports[i]->index);
		sw->nports--;
	}
}

/*
 * Put n ports on sw together (a NIC and its host stack), all or none.
 * They are announced only once all are on, so that each event describes
 * its port as PORT_GET does from then on; a group that fails half way is
 * never announced. On failure the switch is left as it was (the caller
 * destroys one it made). Core lock held.
 */
int vale_ports_attach(struct vale_switch *sw, struct vale_port *const *ports, u32 n)
{
	u32 i;
	int err;

	vale_assert_held(&vale_lock);
	for (i = 0; i < n; i++) {
		err = vale_port_link(sw, ports[i]);
		if (err) {
			if (i)
				vale_ports_unlink(sw, ports, i);
			return err;
		}
	}
	for (i = 0; i < n; i++)
		vale_event(sw, ports[i], VALE_EV_PORT_ATTACH);
	return 0;
}

int vale_port_attach(struct vale_switch *sw, struct vale_port *port)
{
	return vale_ports_attach(sw, &port, 1);
}

/*
 * Take n ports off their switch together (a NIC and its host stack, as
 * vale_ports_attach put them there), each announced while all are still
 * on, as attach announced them; the ports must share one switch (else
 * nothing is done), and a single port on none is left alone. When this
 * returns, no sender is still delivering to them or forwarding from them
 * under the old table, so the caller may free their rings. The switch
 * may be gone afterwards. Core lock held.
 */
void vale_ports_detach(struct vale_port *const *ports, u32 n)
{
	struct vale_switch *sw = n ? vale_deref_ctl(ports[0]->sw, &vale_lock) : NULL;
	u32 i;

	vale_assert_held(&vale_lock);
	if (!sw)
		return;
	for (i = 1; i < n; i++) {
		if (vale_deref_ctl(ports[i]->sw, &vale_lock) != sw) {
			vale_warn_once("ports detached together must share a switch");
			return;
		}
	}
	for (i = 0; i < n; i++)
		vale_event(sw, ports[i], VALE_EV_PORT_DETACH);
	vale_ports_unlink(sw, ports, n);
	vale_switch_put_if_unused(sw);
}

void vale_port_detach(struct vale_port *port)
{
	vale_ports_detach(&port, 1);
}

void vale_port_stats(const struct vale_port *port, struct vale_port_stats *st)
{
	u32 i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < port->num_tx_rings; i++) {
		const struct vale_tx_ring *tx = &port->tx[i];

		st->tx_pkts += READ_ONCE(tx->pkts);
		st->tx_bytes += READ_ONCE(tx->bytes);
		st->drop_lookup += READ_ONCE(tx->drop_lookup);
		st->drop_bad += READ_ONCE(tx->drop_bad);
	}
	for (i = 0; i < port->num_rx_rings; i++) {
		const struct vale_rx_ring *rx = &port->rx[i];

		st->rx_pkts += READ_ONCE(rx->rx_pkts);
		st->rx_bytes += READ_ONCE(rx->rx_bytes);
		st->drop_full += READ_ONCE(rx->drop_full);
		st->drop_bad_buf += READ_ONCE(rx->drop_bad_buf);
	}
}
