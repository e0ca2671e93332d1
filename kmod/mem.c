// SPDX-License-Identifier: GPL-2.0
/*
 * Memory regions shared with user space.
 *
 * A region is one vmalloc_user() area holding three pools, each starting on
 * a page boundary: netmap_if objects, netmap_ring objects and packet
 * buffers, laid out as netmap lays them out, so that user space finds a
 * ring at netmap_if + ring_ofs[i] and a buffer at ring + buf_ofs +
 * index * buffer size. The whole area is mapped by mmap() of /dev/netmap.
 *
 * The pools exist only while the region has users: the first user
 * allocates them, the last one frees them. Free objects are tracked with a
 * bitmap per pool (a set bit is a free object), searched from a moving hint.
 *
 * Limits (docs/security.md, "Resource limits"): every region's area is
 * charged to the memory cgroup of the process that made it
 * (__GFP_ACCOUNT), and all regions together stay within mem_budget_mb.
 * A request past the budget fails with ENOMEM and a rate-limited warning
 * naming the limit (the netmap ioctls have no other message channel).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/atomic.h>
#include <linux/idr.h>
#include <linux/mm.h>
#include <linux/netlink.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "nm_priv.h"

/* The global region's geometry; netmap's parameter names. */
static uint if_num = 128, if_size = 1024;
static uint ring_num = 256, ring_size = 36864;
static uint buf_num = 32768, buf_size = 2048;
module_param(if_num, uint, 0444);
MODULE_PARM_DESC(if_num, "netmap_if objects in the global region");
module_param(if_size, uint, 0444);
MODULE_PARM_DESC(if_size, "bytes per netmap_if object");
module_param(ring_num, uint, 0444);
MODULE_PARM_DESC(ring_num, "netmap_ring objects in the global region");
module_param(ring_size, uint, 0444);
MODULE_PARM_DESC(ring_size, "bytes per netmap_ring object (bounds the slots per ring)");
module_param(buf_num, uint, 0444);
MODULE_PARM_DESC(buf_num, "packet buffers in the global region");
module_param(buf_size, uint, 0444);
MODULE_PARM_DESC(buf_size, "bytes per packet buffer (a multiple of 64)");

/* 0: a quarter of the RAM, as it is at the time of the request. */
static uint mem_budget_mb;
module_param(mem_budget_mb, uint, 0644);
MODULE_PARM_DESC(mem_budget_mb, "MiB all memory regions together may take (0: a quarter of RAM)");
static atomic_long_t nm_mem_charged;	/* bytes of all regions' areas */

struct nm_mem nm_global_mem;
static LIST_HEAD(nm_mems);
static DEFINE_MUTEX(nm_mems_lock);
static DEFINE_IDA(nm_mem_ids);	/* ids of private regions; 1 is the global one */

/* Set the geometry of a region and check that it makes sense. */
static int nm_mem_configure(struct nm_mem *mem, const u32 num[NM_POOLS],
			    const u32 size[NM_POOLS])
{
	static const u32 min_num[NM_POOLS] = { 1, 2, 4 };
	static const u32 min_size[NM_POOLS] = {
		sizeof(struct netmap_if) + 2 * sizeof(ssize_t),
		sizeof(struct netmap_ring) + 2 * sizeof(struct netmap_slot),
		64,
	};
	u64 offset = 0;
	int i;

	for (i = 0; i < NM_POOLS; i++) {
		struct nm_pool *p = &mem->pools[i];

		if (num[i] < min_num[i] || size[i] < min_size[i] ||
		    size[i] > NM_MAX_OBJSIZE || size[i] % 64 || num[i] >= NM_LOC_EXTRA)
			return -EINVAL;
		if (i == NM_POOL_RING && num[i] > NM_LOC_MAX_RINGS)
			return -EINVAL;
		p->objtotal = num[i];
		p->objsize = size[i];
		p->offset = offset;
		offset = PAGE_ALIGN(offset + (u64)num[i] * size[i]);
		if (offset >= (1ULL << 32))	/* fits the legacy u32 nr_memsize */
			return -EINVAL;
	}
	mem->size = offset;
	return 0;
}

static void nm_mem_register(struct nm_mem *mem, u16 id)
{
	mutex_init(&mem->lock);
	spin_lock_init(&mem->buf_lock);
	mem->id = id;
	mutex_lock(&nm_mems_lock);
	list_add_tail(&mem->list, &nm_mems);
	mutex_unlock(&nm_mems_lock);
}

int nm_mem_global_init(void)
{
	const u32 num[NM_POOLS] = { if_num, ring_num, buf_num };
	const u32 size[NM_POOLS] = { if_size, ring_size, buf_size };
	int err;

	err = nm_mem_configure(&nm_global_mem, num, size);
	if (err) {
		pr_err("bad geometry of the global region (if/ring/buf num and size)\n");
		return err;
	}
	nm_mem_register(&nm_global_mem, 1);
	return 0;
}

/*
 * A region for one port only (switch ports: isolation between ports), of
 * num[i] objects of size[i] bytes per pool. Its pools are allocated by
 * the first nm_mem_use(), as for the global region.
 */
struct nm_mem *nm_mem_private_new(const u32 num[NM_POOLS], const u32 size[NM_POOLS])
{
	struct nm_mem *mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	int id, err;

	if (!mem)
		return ERR_PTR(-ENOMEM);
	err = nm_mem_configure(mem, num, size);
	if (err)
		goto fail;
	id = ida_alloc_range(&nm_mem_ids, 2, U16_MAX, GFP_KERNEL);
	if (id < 0) {
		err = id;
		goto fail;
	}
	mem->private_region = true;
	nm_mem_register(mem, id);
	return mem;
fail:
	kfree(mem);
	return ERR_PTR(err);
}

/* The region's last use is gone (nm_mem_unuse), so are its pools. */
void nm_mem_private_free(struct nm_mem *mem)
{
	mutex_lock(&nm_mems_lock);
	list_del(&mem->list);
	mutex_unlock(&nm_mems_lock);
	ida_free(&nm_mem_ids, mem->id);
	kfree(mem);
}

void nm_mem_global_exit(void)
{
	mutex_lock(&nm_mems_lock);
	list_del(&nm_global_mem.list);
	mutex_unlock(&nm_mems_lock);
	/* Every file and port is gone by now: a user left is a bug. */
	if (nm_global_mem.users)
		pr_err("global region still has %u users at exit\n", nm_global_mem.users);
}

struct nm_mem *nm_mem_find(u16 id)
{
	struct nm_mem *mem, *found = NULL;

	mutex_lock(&nm_mems_lock);
	list_for_each_entry(mem, &nm_mems, list) {
		if (mem->id == id) {
			found = mem;
			break;
		}
	}
	mutex_unlock(&nm_mems_lock);
	return found;
}

static size_t nm_mem_budget(void)
{
	uint mb = READ_ONCE(mem_budget_mb);

	if (!mb)
		return (totalram_pages() << PAGE_SHIFT) / 4;
	return (size_t)mb << 20;
}

/* Charge a region's area to the module-wide budget, or say why not. */
static int nm_mem_charge(struct nm_mem *mem, struct netlink_ext_ack *extack)
{
	size_t budget = nm_mem_budget();
	long total = atomic_long_add_return(mem->size, &nm_mem_charged);

	if (total > budget) {
		atomic_long_sub(mem->size, &nm_mem_charged);
		NL_SET_ERR_MSG(extack, "the memory regions' budget (module parameter mem_budget_mb) is used up");
		pr_warn_ratelimited("memory region of %zu KiB refused: the regions' budget (mem_budget_mb=%zu) would be exceeded (%ld KiB in use)\n",
				    mem->size >> 10, budget >> 20, (total - (long)mem->size) >> 10);
		return -ENOMEM;
	}
	return 0;
}

static void nm_mem_free_pools(struct nm_mem *mem)
{
	int i;

	for (i = 0; i < NM_POOLS; i++) {
		bitmap_free(mem->pools[i].bitmap);
		mem->pools[i].bitmap = NULL;
	}
	kvfree(mem->bufmap);
	mem->bufmap = NULL;
	kvfree(mem->ring_kring);
	mem->ring_kring = NULL;
	if (mem->base) {
		vfree(mem->base);
		mem->base = NULL;
		atomic_long_sub(mem->size, &nm_mem_charged);
	}
}

/*
 * The area is mapped page by page (nm_mem_mmap), so it need not be a
 * vmalloc_user() one: plain __vmalloc() takes __GFP_ACCOUNT.
 */
static int nm_mem_alloc_pools(struct nm_mem *mem, struct netlink_ext_ack *extack)
{
	int i;

	if (nm_mem_charge(mem, extack))
		return -ENOMEM;
	mem->base = __vmalloc(mem->size, GFP_KERNEL_ACCOUNT | __GFP_ZERO | __GFP_NOWARN);
	if (!mem->base) {
		atomic_long_sub(mem->size, &nm_mem_charged);
		return -ENOMEM;
	}
	mem->bufmap = kvcalloc(mem->pools[NM_POOL_BUF].objtotal, sizeof(u32), GFP_KERNEL_ACCOUNT);
	mem->ring_kring = kvcalloc(mem->pools[NM_POOL_RING].objtotal, sizeof(*mem->ring_kring),
				   GFP_KERNEL_ACCOUNT);
	if (!mem->bufmap || !mem->ring_kring) {
		nm_mem_free_pools(mem);
		return -ENOMEM;
	}
	for (i = 0; i < NM_POOLS; i++) {
		struct nm_pool *p = &mem->pools[i];

		p->bitmap = bitmap_alloc(p->objtotal, GFP_KERNEL_ACCOUNT);
		if (!p->bitmap) {
			nm_mem_free_pools(mem);
			return -ENOMEM;
		}
		bitmap_fill(p->bitmap, p->objtotal);
		p->nfree = p->objtotal;
		p->hint = 0;
	}
	/* Buffers 0 and 1 are never handed out. */
	__clear_bit(0, mem->pools[NM_POOL_BUF].bitmap);
	__clear_bit(1, mem->pools[NM_POOL_BUF].bitmap);
	mem->pools[NM_POOL_BUF].nfree -= 2;
	return 0;
}

/* extack (may be NULL): why the pools could not be made, when a limit says. */
int nm_mem_use(struct nm_mem *mem, struct netlink_ext_ack *extack)
{
	int err = 0;

	mutex_lock(&mem->lock);
	if (!mem->users)
		err = nm_mem_alloc_pools(mem, extack);
	if (!err)
		mem->users++;
	mutex_unlock(&mem->lock);
	return err;
}

void nm_mem_unuse(struct nm_mem *mem)
{
	mutex_lock(&mem->lock);
	if (!--mem->users)
		nm_mem_free_pools(mem);
	mutex_unlock(&mem->lock);
}

/* Take a free object of a pool; the caller has a use of the region. */
int nm_mem_obj_alloc(struct nm_mem *mem, enum nm_pool_id pool, u32 *idx)
{
	struct nm_pool *p = &mem->pools[pool];
	unsigned long i;
	int err = 0;

	mutex_lock(&mem->lock);
	i = find_next_bit(p->bitmap, p->objtotal, p->hint);
	if (i >= p->objtotal)
		i = find_first_bit(p->bitmap, p->objtotal);
	if (i >= p->objtotal) {
		err = -ENOMEM;
	} else {
		__clear_bit(i, p->bitmap);
		p->nfree--;
		p->hint = i + 1;
		*idx = i;
	}
	mutex_unlock(&mem->lock);
	return err;
}

/*
 * Give an object back. Indexes come from the kernel's own records, never
 * from user space (buffers: nm_mem_buf_free), so a bad or free one is a bug.
 */
void nm_mem_obj_free(struct nm_mem *mem, enum nm_pool_id pool, u32 idx)
{
	struct nm_pool *p = &mem->pools[pool];

	if (WARN_ON_ONCE(pool == NM_POOL_BUF ? !nm_buf_idx_valid(mem, idx) : idx >= p->objtotal))
		return;
	mutex_lock(&mem->lock);
	if (!WARN_ONCE(__test_and_set_bit(idx, p->bitmap), "freeing free object %u of pool %d\n",
		       idx, pool))
		p->nfree++;
	mutex_unlock(&mem->lock);
}

/* A free buffer, recorded as held at loc (NM_LOC_*). */
int nm_mem_buf_alloc(struct nm_mem *mem, u32 loc, u32 *idx)
{
	int err = nm_mem_obj_alloc(mem, NM_POOL_BUF, idx);

	if (err)
		return err;
	spin_lock(&mem->buf_lock);
	mem->bufmap[*idx] = loc;
	spin_unlock(&mem->buf_lock);
	return 0;
}

/* Give back a buffer the kernel's record says its caller holds. */
void nm_mem_buf_free(struct nm_mem *mem, u32 idx)
{
	spin_lock(&mem->buf_lock);
	mem->bufmap[idx] = 0;
	spin_unlock(&mem->buf_lock);
	nm_mem_obj_free(mem, NM_POOL_BUF, idx);
}

/*
 * Map the region (or the part the offset selects) into user space, page
 * by page, as remap_vmalloc_range() does for vmalloc_user() areas.
 */
int nm_mem_mmap(struct nm_mem *mem, struct vm_area_struct *vma)
{
	unsigned long len = vma->vm_end - vma->vm_start;
	unsigned long off;
	int err = 0;

	mutex_lock(&mem->lock);
	if (!mem->base) {
		err = -ENXIO;
	} else if (vma->vm_pgoff >= mem->size >> PAGE_SHIFT ||
		   len > mem->size - (vma->vm_pgoff << PAGE_SHIFT)) {
		err = -EINVAL;
	} else {
		void *start = mem->base + (vma->vm_pgoff << PAGE_SHIFT);

		for (off = 0; off < len && !err; off += PAGE_SIZE)
			err = vm_insert_page(vma, vma->vm_start + off, vmalloc_to_page(start + off));
		if (!err)
			vma->vm_flags |= VM_DONTEXPAND | VM_DONTDUMP;
	}
	mutex_unlock(&mem->lock);
	return err;
}

void nm_mem_fill_info(struct nm_mem *mem, struct nmreq_pools_info *info)
{
	const struct nm_pool *p = mem->pools;

	info->nr_memsize = mem->size;
	info->nr_mem_id = mem->id;
	info->nr_if_pool_offset = p[NM_POOL_IF].offset;
	info->nr_if_pool_objtotal = p[NM_POOL_IF].objtotal;
	info->nr_if_pool_objsize = p[NM_POOL_IF].objsize;
	info->nr_ring_pool_offset = p[NM_POOL_RING].offset;
	info->nr_ring_pool_objtotal = p[NM_POOL_RING].objtotal;
	info->nr_ring_pool_objsize = p[NM_POOL_RING].objsize;
	info->nr_buf_pool_offset = p[NM_POOL_BUF].offset;
	info->nr_buf_pool_objtotal = p[NM_POOL_BUF].objtotal;
	info->nr_buf_pool_objsize = p[NM_POOL_BUF].objsize;
}

/* debugfs "regions": one line per region, objects in use per pool. */
void nm_mem_show_all(struct seq_file *m)
{
	static const char *const names[NM_POOLS] = { "if", "ring", "buf" };
	struct nm_mem *mem;
	int i;

	mutex_lock(&nm_mems_lock);
	list_for_each_entry(mem, &nm_mems, list) {
		mutex_lock(&mem->lock);
		seq_printf(m, "id %u size %zu users %u", mem->id, mem->size, mem->users);
		for (i = 0; i < NM_POOLS; i++) {
			const struct nm_pool *p = &mem->pools[i];
			/* The two reserved buffers are not "in use" by anyone. */
			u32 reserved = i == NM_POOL_BUF ? 2 : 0;

			seq_printf(m, " %s %u/%u", names[i],
				   mem->base ? p->objtotal - p->nfree - reserved : 0,
				   p->objtotal);
		}
		seq_putc(m, '\n');
		mutex_unlock(&mem->lock);
	}
	mutex_unlock(&nm_mems_lock);
}

/* Switch ports use the global region's buffer size, so copies always fit. */
u32 nm_mem_buf_size(void)
{
	return buf_size;
}
