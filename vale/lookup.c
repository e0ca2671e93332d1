// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of lookup modules, and giving a switch its module.
 *
 * Modules register by name. A switch holds a reference on the module it
 * uses (vale_module_get on .owner): rmmod of a module in use fails until
 * no switch uses it. Changing a switch's module publishes a new instance,
 * waits until no batch can still be running with the old one
 * (vale_synchronize), then destroys the old state and drops its module.
 */
#include "vale.h"

static struct vale_lookup_ops *vale_lookups[VALE_MAX_LOOKUPS];

static struct vale_lookup_ops *vale_lookup_find(const char *name)
{
	u32 i;

	for (i = 0; i < VALE_MAX_LOOKUPS; i++)
		if (vale_lookups[i] && !strcmp(vale_lookups[i]->name, name))
			return vale_lookups[i];
	return NULL;
}

int vale_lookup_register(struct vale_lookup_ops *ops)
{
	u32 i;
	int err = -ENOSPC;

	if (!ops->name || !ops->name[0] || strlen(ops->name) >= VALE_NAME_MAX ||
	    !ops->lookup || !ops->create || !ops->destroy || ops->hdr_copy > VALE_HDR_MAX ||
	    ops->sender_mem > VALE_SENDER_MEM_MAX || (ops->sender_mem && !ops->lookup_batch_mem) ||
	    vale_schema_check(ops))
		return -EINVAL;
	vale_core_lock();
	if (vale_lookup_find(ops->name)) {
		err = -EEXIST;
		goto out;
	}
	for (i = 0; i < VALE_MAX_LOOKUPS; i++) {
		if (!vale_lookups[i]) {
			vale_lookups[i] = ops;
			err = 0;
			break;
		}
	}
out:
	vale_core_unlock();
	return err;
}
VALE_EXPORT(vale_lookup_register);

/*
 * Switches hold module references, so a kernel module is never unloaded
 * while in use; in user space the caller makes sure of it.
 */
void vale_lookup_unregister(struct vale_lookup_ops *ops)
{
	u32 i;

	vale_core_lock();
	for (i = 0; i < VALE_MAX_LOOKUPS; i++)
		if (vale_lookups[i] == ops)
			vale_lookups[i] = NULL;
	vale_core_unlock();
}
VALE_EXPORT(vale_lookup_unregister);

/* The registered modules one by one (core lock held), for schema dumps. */
struct vale_lookup_ops *vale_lookup_at(u32 index)
{
	vale_assert_held(&vale_lock);
	return index < VALE_MAX_LOOKUPS ? vale_lookups[index] : NULL;
}

/* The module called name, if registered (core lock held). */
struct vale_lookup_ops *vale_lookup_get(const char *name)
{
	vale_assert_held(&vale_lock);
	return vale_lookup_find(name);
}

void vale_lookup_inst_free(struct vale_lookup_inst *li)
{
	if (!li)
		return;
	li->ops->destroy(li->priv);
	vale_module_put(li->ops->owner);
	vale_free(li);
}

static struct vale_lookup_inst *vale_lookup_inst_new(struct vale_lookup_ops *ops,
						     const char *sw_name, int *err)
{
	/* Never 0: a sender's zeroed scratch space belongs to no instance. */
	static u64 serial;
	struct vale_lookup_inst *li;

	vale_assert_held(&vale_lock);
	if (!vale_module_get(ops->owner)) {
		*err = -ENOENT;		/* being unloaded */
		return NULL;
	}
	li = vale_zalloc(sizeof(*li));
	if (!li) {
		*err = -ENOMEM;
		goto fail;
	}
	li->ops = ops;
	li->serial = ++serial;
	*err = ops->create(&li->priv, sw_name);
	if (*err)
		goto fail;
	return li;
fail:
	vale_free(li);
	vale_module_put(ops->owner);
	return NULL;
}

/*
 * Make sure a module called name is registered, loading "vale-lookup-NAME"
 * if needed. Called without the core lock, before the switch is resolved,
 * so that no switch pointer is held across the load.
 */
int vale_lookup_request(const char *name)
{
	bool found;

	if (!name[0] || strlen(name) >= VALE_NAME_MAX)
		return -EINVAL;
	vale_core_lock();
	found = vale_lookup_find(name);
	vale_core_unlock();
	if (!found)
		vale_request_module("vale-lookup-%s", name);
	return 0;
}

/*
 * Give sw the module called name (already registered: see
 * vale_lookup_request). The new module learns of the ports already
 * attached. Called with the core lock held.
 */
int vale_switch_set_lookup(struct vale_switch *sw, const char *name)
{
	struct vale_lookup_inst *li, *old;
	struct vale_lookup_ops *ops;
	int err;
	u32 i;

	vale_assert_held(&vale_lock);
	if (!name[0] || strlen(name) >= VALE_NAME_MAX)
		return -EINVAL;
	ops = vale_lookup_find(name);
	if (!ops)
		return -ENOENT;
	li = vale_lookup_inst_new(ops, sw->name, &err);
	if (!li)
		return err;
	for (i = 0; i < VALE_MAX_PORTS && ops->port_attach; i++) {
		if (!vale_deref_ctl(sw->ports[i], &vale_lock))
			continue;
		err = ops->port_attach(li->priv, i);
		if (err) {
			vale_lookup_inst_free(li);
			return err;
		}
	}
	old = vale_deref_ctl(sw->lookup, &vale_lock);
	vale_publish(sw->lookup, li);
	if (old) {
		vale_synchronize();
		vale_lookup_inst_free(old);
	}
	return 0;
}
