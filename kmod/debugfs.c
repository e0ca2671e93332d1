// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vale/: what the module holds, for tests and
 * post-mortems. "regions" lists each memory region and the objects of each
 * pool in use, so a test can see that closing everything frees everything.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "nm_priv.h"

static struct dentry *nm_debugfs_dir;

static int nm_regions_show(struct seq_file *m, void *unused)
{
	nm_mem_show_all(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(nm_regions);

/* debugfs is a debugging aid: the module works without it. */
void nm_debugfs_init(void)
{
	nm_debugfs_dir = debugfs_create_dir("vale", NULL);
	debugfs_create_file("regions", 0400, nm_debugfs_dir, NULL, &nm_regions_fops);
}

void nm_debugfs_exit(void)
{
	debugfs_remove_recursive(nm_debugfs_dir);
}
