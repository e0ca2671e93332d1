// SPDX-License-Identifier: GPL-2.0
/*
 * The expiry tick of ofswitch (kernel only): a delayed work per table
 * reaps the flows whose idle or hard timeout has passed, once a second,
 * whether packets and control requests come or not. Lookups already
 * ignore an expired flow (of_flow_live) and dumps hide it; the tick
 * unlinks it, which is safe against concurrent lookups because
 * of_expire() retires what it unlinks to the RCU graveyard, so that the
 * flow count forgets it and its memory comes back.
 *
 * Locking: the work takes the table's lock and never the core's, so
 * of_tick_destroy(), called by the core with its lock held, can wait for
 * a running tick to finish.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/workqueue.h>

#include "of_priv.h"

#define OF_TICK_PERIOD	HZ	/* timeouts are in seconds */

struct of_tick {
	struct delayed_work work;
	struct of_table *t;
};

static void of_tick_fn(struct work_struct *w)
{
	struct of_tick *tk = container_of(to_delayed_work(w), struct of_tick, work);

	vale_mutex_lock(&tk->t->lock);
	of_expire(tk->t);
	vale_mutex_unlock(&tk->t->lock);
	queue_delayed_work(system_power_efficient_wq, &tk->work, OF_TICK_PERIOD);
}

/* .create in the kernel: the table, and its tick started. */
int of_tick_create(void **priv, const char *switch_name)
{
	struct of_tick *tk = kzalloc(sizeof(*tk), GFP_KERNEL);
	int err;

	if (!tk)
		return -ENOMEM;
	err = of_table_create(priv, switch_name);
	if (err) {
		kfree(tk);
		return err;
	}
	tk->t = *priv;
	tk->t->tick = tk;
	INIT_DELAYED_WORK(&tk->work, of_tick_fn);
	queue_delayed_work(system_power_efficient_wq, &tk->work, OF_TICK_PERIOD);
	return 0;
}

/* .destroy in the kernel: no lookup runs any more; stop the tick first. */
void of_tick_destroy(void *priv)
{
	struct of_table *t = priv;

	cancel_delayed_work_sync(&t->tick->work);
	kfree(t->tick);
	of_table_destroy(t);
}
