// SPDX-License-Identifier: BSD-2-Clause
/*
 * fake_netmap.so: an LD_PRELOAD stand-in for /dev/netmap, so that
 * libnmport and pkt-gen can be tested end to end without the kernel
 * module.  Test scaffolding only; it models just enough of netmap:
 *
 *   "NAME{ID" / "NAME}ID"  a pipe: tx ring i of one end feeds rx ring i of
 *                          the other, by swapping buffers as netmap's
 *                          pipes do (a tx slot rarely gets its buffer back)
 *   "NAME"                 a loopback port: tx ring i feeds its own rx ring i
 *
 * Both ends share a file in $FAKENM_DIR (default /dev/shm) named after the
 * port, holding a process-shared lock, the kernel's ring state, the
 * netmap_ifs, the rings and the buffers; mmap() of the device maps it.
 * NR_REG_ALL_NIC and NR_REG_ONE_NIC are supported; ring count from the
 * first registration's nr_tx_rings hint (default 1), slots from
 * nr_tx_slots (default 1024), 2048-byte buffers.  poll() syncs and
 * re-checks every 20 us.  FAKENM_CORRUPT=N flips one payload byte in
 * every Nth frame moved, to test receivers' checks.  FAKENM_COPY=1 moves
 * frames by copying their bytes into the rx slot's own buffer instead, as
 * a VALE switch does: a tx slot keeps its buffer for good.  With it,
 * FAKENM_STALE=N leaves one 64-byte block (never the first) of every Nth
 * single-slot frame of 128 bytes or more uncopied: the rx buffer keeps
 * what an earlier frame left there, as a switch that lost part of a copy.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <net/netmap_user.h>

#define MAXFD		1024
#define MAXR		16
#define BUFSZ		2048

struct kring {
	uint32_t hwcur, hwtail;
};

struct shared {
	int ready;			/* atomic: initialised */
	pthread_mutex_t lock;
	uint32_t nrings, nslots, nends;
	uint64_t size;
	uint64_t nif_ofs[2];		/* netmap_if of each end */
	uint64_t ring_ofs[2][2][MAXR];	/* [end][0 tx / 1 rx][ring] */
	struct kring k[2][2][MAXR];
	uint64_t moved;			/* frames moved, for FAKENM_CORRUPT */
	uint64_t copied;		/* frames copied, for FAKENM_STALE */
};

struct fdstate {
	int used;
	int shm_fd;
	struct shared *sh;
	size_t size;
	int end;
	int first, last;		/* bound rings */
};

static struct fdstate fds[MAXFD];
static pthread_mutex_t fds_lock = PTHREAD_MUTEX_INITIALIZER;

static int (*real_open)(const char *, int, ...);
static int (*real_close)(int);
static int (*real_ioctl)(int, unsigned long, ...);
static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_poll)(struct pollfd *, nfds_t, int);

static void resolve(void)
{
	if (real_open)
		return;
	real_open = dlsym(RTLD_NEXT, "open");
	real_close = dlsym(RTLD_NEXT, "close");
	real_ioctl = dlsym(RTLD_NEXT, "ioctl");
	real_mmap = dlsym(RTLD_NEXT, "mmap");
	real_poll = dlsym(RTLD_NEXT, "poll");
}

static struct fdstate *fake(int fd)
{
	return fd >= 0 && fd < MAXFD && fds[fd].used ? &fds[fd] : NULL;
}

static struct netmap_ring *ring_of(struct shared *sh, int end, int dir, int i)
{
	return (struct netmap_ring *)((char *)sh + sh->ring_ofs[end][dir][i]);
}

static uint32_t nxt(uint32_t i, uint32_t n)
{
	return i + 1 == n ? 0 : i + 1;
}

/* ------------------------------------------------------------------ */

static size_t ring_bytes(uint32_t nslots)
{
	size_t s = sizeof(struct netmap_ring) + nslots * sizeof(struct netmap_slot);

	return (s + 4095) & ~(size_t)4095;
}

static void init_shared(struct shared *sh, uint32_t nrings, uint32_t nslots,
			uint32_t nends, const char *name)
{
	pthread_mutexattr_t a;
	uint64_t off = (sizeof(*sh) + 4095) & ~4095ull, bufs;
	uint32_t e, d, i, j, bi = 0;

	pthread_mutexattr_init(&a);
	pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
	pthread_mutex_init(&sh->lock, &a);
	sh->nrings = nrings;
	sh->nslots = nslots;
	sh->nends = nends;
	for (e = 0; e < nends; e++) {
		sh->nif_ofs[e] = off;
		off += 4096;
		for (d = 0; d < 2; d++)
			for (i = 0; i < nrings; i++) {
				sh->ring_ofs[e][d][i] = off;
				off += ring_bytes(nslots);
			}
	}
	bufs = off;
	for (e = 0; e < nends; e++) {
		struct netmap_if *nif = (void *)((char *)sh + sh->nif_ofs[e]);

		snprintf(nif->ni_name, sizeof(nif->ni_name), "%s", name);
		*(uint32_t *)&nif->ni_version = NETMAP_API;
		*(uint32_t *)&nif->ni_tx_rings = nrings;
		*(uint32_t *)&nif->ni_rx_rings = nrings;
		for (d = 0; d < 2; d++)
			for (i = 0; i < nrings; i++) {
				struct netmap_ring *r = ring_of(sh, (int)e, (int)d, (int)i);
				ssize_t *ro = (ssize_t *)&nif->ring_ofs[d * nrings + i];

				*ro = (ssize_t)(sh->ring_ofs[e][d][i] - sh->nif_ofs[e]);
				*(int64_t *)&r->buf_ofs = (int64_t)(bufs - sh->ring_ofs[e][d][i]);
				*(uint32_t *)&r->num_slots = nslots;
				*(uint32_t *)&r->nr_buf_size = BUFSZ;
				*(uint16_t *)&r->ringid = (uint16_t)i;
				*(uint16_t *)&r->dir = d == 0;
				for (j = 0; j < nslots; j++)
					r->slot[j].buf_idx = bi++;
				r->head = r->cur = 0;
				r->tail = d == 0 ? nslots - 1 : 0;
				sh->k[e][d][i].hwcur = 0;
				sh->k[e][d][i].hwtail = r->tail;
			}
	}
	sh->size = bufs + (uint64_t)bi * BUFSZ;
}

static size_t total_size(uint32_t nrings, uint32_t nslots, uint32_t nends)
{
	size_t hdr = (sizeof(struct shared) + 4095) & ~(size_t)4095;

	return hdr + nends * (4096 + 2 * nrings * ring_bytes(nslots)) +
	       (size_t)nends * 2 * nrings * nslots * BUFSZ;
}

/* Map (creating if needed) the shared state of port base. */
static int attach(struct fdstate *s, const char *base, const char *name,
		  uint32_t nends, uint32_t nrings, uint32_t nslots)
{
	const char *dir = getenv("FAKENM_DIR");
	char path[512];
	struct stat st = { 0 };
	int fd, created = 0;
	size_t size;

	snprintf(path, sizeof(path), "%s/fakenm-%s", dir ? dir : "/dev/shm", base);
	fd = real_open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		created = 1;
		size = total_size(nrings, nslots, nends);
		if (ftruncate(fd, (off_t)size) < 0)
			goto fail;
	} else {
		fd = real_open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return -1;
		for (int i = 0; i < 1000; i++) {	/* creator still sizing it */
			if (fstat(fd, &st) == 0 && st.st_size > 0)
				break;
			usleep(1000);
		}
		size = (size_t)st.st_size;
	}
	s->sh = real_mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s->sh == MAP_FAILED)
		goto fail;
	if (created) {
		init_shared(s->sh, nrings, nslots, nends, name);
		__atomic_store_n(&s->sh->ready, 1, __ATOMIC_RELEASE);
	} else {
		while (!__atomic_load_n(&s->sh->ready, __ATOMIC_ACQUIRE))
			usleep(100);
	}
	s->shm_fd = fd;
	s->size = size;
	return 0;
fail:
	real_close(fd);
	return -1;
}

static int do_register(struct fdstate *s, struct nmreq_header *h)
{
	struct nmreq_register *r = (void *)(uintptr_t)h->nr_body;
	char base[NETMAP_REQ_IFNAMSIZ], *sep;
	uint32_t nrings, nslots;

	if (h->nr_reqtype != NETMAP_REQ_REGISTER || h->nr_version != NETMAP_API)
		return EINVAL;
	snprintf(base, sizeof(base), "%s", h->nr_name);
	for (sep = base; *sep; sep++)
		if (*sep == ':' || *sep == '/')
			*sep = '_';
	sep = strpbrk(base, "{}");
	s->end = 0;
	if (sep) {
		s->end = *sep == '}';
		*sep = '-';		/* both ends share one file */
	}
	nrings = r->nr_tx_rings ? r->nr_tx_rings : 1;
	if (nrings > MAXR)
		nrings = MAXR;
	nslots = r->nr_tx_slots ? r->nr_tx_slots : 1024;
	if (attach(s, base, h->nr_name, sep ? 2 : 1, nrings, nslots) < 0)
		return errno ? errno : EIO;
	switch (r->nr_mode) {
	case NR_REG_ALL_NIC:
		s->first = 0;
		s->last = (int)s->sh->nrings - 1;
		break;
	case NR_REG_ONE_NIC:
		if (r->nr_ringid >= s->sh->nrings)
			return EINVAL;
		s->first = s->last = r->nr_ringid;
		break;
	default:
		return EINVAL;	/* no host rings here */
	}
	r->nr_offset = s->sh->nif_ofs[s->end];
	r->nr_memsize = s->size;
	r->nr_tx_rings = r->nr_rx_rings = (uint16_t)s->sh->nrings;
	r->nr_tx_slots = r->nr_rx_slots = s->sh->nslots;
	r->nr_host_tx_rings = r->nr_host_rx_rings = 0;
	r->nr_mem_id = 1;
	r->nr_extra_bufs = 0;
	return 0;
}

/* ------------------------------------------------------------------ */

static void corrupt_maybe(struct shared *sh, struct netmap_ring *r,
			  struct netmap_slot *sl)
{
	static long every = -1;

	if (every < 0) {
		const char *e = getenv("FAKENM_CORRUPT");

		every = e ? atol(e) : 0;
	}
	if (every > 0 && ++sh->moved % (uint64_t)every == 0 && sl->len > 50)
		NETMAP_BUF(r, sl->buf_idx)[sl->len - 1] ^= 0x5a;
}

static long env_long(const char *name, long *cache)
{
	if (*cache < 0) {
		const char *e = getenv(name);

		*cache = e ? atol(e) : 0;
	}
	return *cache;
}

/* FAKENM_COPY: the bytes of ts go into rs's buffer; both keep their buffers. */
static void copy_slot(struct shared *sh, struct netmap_ring *tx, struct netmap_slot *ts,
		      struct netmap_ring *rx, struct netmap_slot *rs)
{
	static long stale = -1;
	uint32_t len = ts->len <= BUFSZ ? ts->len : BUFSZ;
	char *src = NETMAP_BUF(tx, ts->buf_idx), *dst = NETMAP_BUF(rx, rs->buf_idx);
	uint32_t nblocks = (len + 63) / 64, b, end;

	if (env_long("FAKENM_STALE", &stale) > 0 && len >= 128 &&
	    !(ts->flags & NS_MOREFRAG) && ++sh->copied % (uint64_t)stale == 0) {
		/* blocks 1 .. nblocks-1 in turn */
		b = 1 + (uint32_t)(sh->copied / (uint64_t)stale % (nblocks - 1));
		end = 64 * b + 64 < len ? 64 * b + 64 : len;
		memcpy(dst, src, 64 * b);
		memcpy(dst + end, src + end, len - end);
	} else {
		memcpy(dst, src, len);
	}
	rs->len = (uint16_t)len;
	rs->flags = ts->flags & NS_MOREFRAG;
}

/* Move what tx ring i of end e has queued to the peer's rx ring i. */
static void txsync_ring(struct shared *sh, int e, int i)
{
	int peer = sh->nends == 2 ? !e : e;
	struct netmap_ring *tx = ring_of(sh, e, 0, i), *rx = ring_of(sh, peer, 1, i);
	struct kring *kt = &sh->k[e][0][i], *kr = &sh->k[peer][1][i];
	uint32_t n = sh->nslots, head = tx->head;
	static long copy = -1;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (head >= n)
		return;		/* a broken head: netmap would reset */
	while (kt->hwcur != head) {
		/* room in rx: up to the slot before what its user holds */
		if (nxt(kr->hwtail, n) == kr->hwcur)
			break;
		struct netmap_slot *ts = &tx->slot[kt->hwcur];
		struct netmap_slot *rs = &rx->slot[kr->hwtail];
		uint32_t b = rs->buf_idx;

		if (env_long("FAKENM_COPY", &copy) > 0) {
			copy_slot(sh, tx, ts, rx, rs);
		} else {
			rs->buf_idx = ts->buf_idx;
			ts->buf_idx = b;
			rs->len = ts->len;
			rs->flags = ts->flags & NS_MOREFRAG;
			ts->flags = 0;
		}
		if (!(rs->flags & NS_MOREFRAG))
			corrupt_maybe(sh, rx, rs);
		kt->hwcur = nxt(kt->hwcur, n);
		kr->hwtail = nxt(kr->hwtail, n);
	}
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rx->tail = kr->hwtail;
	kt->hwtail = (kt->hwcur + n - 1) % n;
	tx->tail = kt->hwtail;
}

static void rxsync_ring(struct shared *sh, int e, int i)
{
	struct netmap_ring *rx = ring_of(sh, e, 1, i);
	struct kring *kr = &sh->k[e][1][i];

	if (rx->head < sh->nslots)
		kr->hwcur = rx->head;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	rx->tail = kr->hwtail;
}

static void sync_fd(struct fdstate *s, int tx, int rx)
{
	int i;

	pthread_mutex_lock(&s->sh->lock);
	for (i = s->first; i <= s->last; i++) {
		if (rx)
			rxsync_ring(s->sh, s->end, i);
		if (tx)
			txsync_ring(s->sh, s->end, i);
	}
	pthread_mutex_unlock(&s->sh->lock);
}

static short ready(struct fdstate *s, short events)
{
	short rev = 0;
	int i;

	for (i = s->first; i <= s->last; i++) {
		struct netmap_ring *t = ring_of(s->sh, s->end, 0, i);
		struct netmap_ring *r = ring_of(s->sh, s->end, 1, i);

		if ((events & POLLOUT) && t->head != t->tail)
			rev |= POLLOUT;
		if ((events & POLLIN) && r->head != r->tail)
			rev |= POLLIN;
	}
	return rev;
}

/* ------------------------------------------------------------------ */

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;
	int fd;

	resolve();
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	if (strcmp(path, "/dev/netmap"))
		return real_open(path, flags, mode);
	fd = real_open("/dev/null", O_RDWR | (flags & O_CLOEXEC));
	if (fd < 0 || fd >= MAXFD)
		return fd;
	pthread_mutex_lock(&fds_lock);
	memset(&fds[fd], 0, sizeof(fds[fd]));
	fds[fd].used = 1;
	fds[fd].shm_fd = -1;
	pthread_mutex_unlock(&fds_lock);
	return fd;
}

int open64(const char *path, int flags, ...)
	__attribute__((alias("open")));

int close(int fd)
{
	struct fdstate *s;

	resolve();
	s = fake(fd);
	if (s) {
		if (s->shm_fd >= 0)
			real_close(s->shm_fd);
		if (s->sh)
			munmap(s->sh, s->size);
		pthread_mutex_lock(&fds_lock);
		s->used = 0;
		pthread_mutex_unlock(&fds_lock);
	}
	return real_close(fd);
}

int ioctl(int fd, unsigned long req, ...)
{
	struct fdstate *s;
	va_list ap;
	void *arg;
	int err;

	resolve();
	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	s = fake(fd);
	if (!s)
		return real_ioctl(fd, req, arg);
	if (req == NIOCCTRL) {
		if (s->sh) {
			errno = EBUSY;
			return -1;
		}
		err = do_register(s, arg);
		if (err) {
			errno = err;
			return -1;
		}
		return 0;
	}
	if (!s->sh) {
		errno = ENXIO;
		return -1;
	}
	if (req == NIOCTXSYNC || req == NIOCRXSYNC) {
		sync_fd(s, req == NIOCTXSYNC, req == NIOCRXSYNC);
		return 0;
	}
	errno = ENOTTY;
	return -1;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	struct fdstate *s;

	resolve();
	s = fake(fd);
	if (!s)
		return real_mmap(addr, len, prot, flags, fd, off);
	if (!s->sh || off != 0 || len > s->size) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	return real_mmap(addr, len, prot, flags, s->shm_fd, 0);
}

void *mmap64(void *addr, size_t len, int prot, int flags, int fd, off_t off)
	__attribute__((alias("mmap")));

int poll(struct pollfd *pfd, nfds_t n, int timeout)
{
	struct timespec t0, now, nap = { 0, 20000 };
	nfds_t i;
	int ours = 0, cnt;

	resolve();
	for (i = 0; i < n; i++)
		if (fake(pfd[i].fd))
			ours = 1;
	if (!ours)
		return real_poll(pfd, n, timeout);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		cnt = 0;
		for (i = 0; i < n; i++) {
			struct fdstate *s = fake(pfd[i].fd);

			pfd[i].revents = 0;
			if (!s)
				continue;
			if (!s->sh) {
				pfd[i].revents = POLLERR;
				cnt++;
				continue;
			}
			/* like netmap: poll always txsyncs, rxsyncs for POLLIN */
			sync_fd(s, 1, pfd[i].events & POLLIN);
			pfd[i].revents = ready(s, pfd[i].events);
			if (pfd[i].revents)
				cnt++;
		}
		if (cnt)
			return cnt;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timeout >= 0 &&
		    (now.tv_sec - t0.tv_sec) * 1000 +
		    (now.tv_nsec - t0.tv_nsec) / 1000000 >= timeout)
			return 0;
		nanosleep(&nap, NULL);
	}
}
