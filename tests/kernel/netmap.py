"""ctypes bindings of the netmap API 14 (include/net/netmap.h) for the tests.

The structures mirror the C headers byte for byte (sizes are asserted
below and pinned on the C side by tests/abi/abi_layout.c).  Two levels:

* ctrl(): one raw NIOCCTRL request built from loose parts, returning the
  errno (0 on success).  Error and fuzz tests use it to send requests the
  Port class would never build.
* Port: an fd bound to a port with NETMAP_REQ_REGISTER and its memory
  mapped, with ring access and send()/recv() helpers.

Ring and slot objects are ctypes structures laid over the mapping
(from_address), so they never pin the mmap object; Port.close() can always
unmap.  Do not use ring, slot or buffer objects after closing their port.
"""
import ctypes
import errno
import itertools
import mmap
import os
import select

# ---------------------------------------------------------------------------
# Constants (include/net/netmap.h)

NETMAP_API = 14
NETMAP_DEVICE = "/dev/netmap"
NETMAP_REQ_IFNAMSIZ = 64
NM_IFNAMSIZ = 16
NETMAP_REQ_MAXSIZE = 4096

NETMAP_REQ_REGISTER = 1
NETMAP_REQ_PORT_INFO_GET = 2
NETMAP_REQ_VALE_ATTACH = 3
NETMAP_REQ_VALE_DETACH = 4
NETMAP_REQ_VALE_LIST = 5
NETMAP_REQ_PORT_HDR_SET = 6
NETMAP_REQ_PORT_HDR_GET = 7
NETMAP_REQ_VALE_NEWIF = 8
NETMAP_REQ_VALE_DELIF = 9
NETMAP_REQ_VALE_POLLING_ENABLE = 10
NETMAP_REQ_VALE_POLLING_DISABLE = 11
NETMAP_REQ_POOLS_INFO_GET = 12
NETMAP_REQ_SYNC_KLOOP_START = 13
NETMAP_REQ_SYNC_KLOOP_STOP = 14
NETMAP_REQ_CSB_ENABLE = 15

NETMAP_REQ_OPT_EXTMEM = 1
NETMAP_REQ_OPT_SYNC_KLOOP_EVENTFDS = 2
NETMAP_REQ_OPT_CSB = 3
NETMAP_REQ_OPT_SYNC_KLOOP_MODE = 4
NETMAP_REQ_OPT_OFFSETS = 5
NETMAP_REQ_OPT_MAX = 6

NR_REG_DEFAULT = 0
NR_REG_ALL_NIC = 1
NR_REG_SW = 2
NR_REG_NIC_SW = 3
NR_REG_ONE_NIC = 4
NR_REG_PIPE_MASTER = 5
NR_REG_PIPE_SLAVE = 6
NR_REG_NULL = 7
NR_REG_ONE_SW = 8

NR_MONITOR_TX = 0x100
NR_MONITOR_RX = 0x200
NR_ZCOPY_MON = 0x400
NR_EXCLUSIVE = 0x800
NR_RX_RINGS_ONLY = 0x2000
NR_TX_RINGS_ONLY = 0x4000
NR_ACCEPT_VNET_HDR = 0x8000
NR_DO_RX_POLL = 0x10000
NR_NO_TX_POLL = 0x20000

NS_BUF_CHANGED = 0x0001
NS_REPORT = 0x0002
NS_FORWARD = 0x0004
NS_NO_LEARN = 0x0008
NS_INDIRECT = 0x0010
NS_MOREFRAG = 0x0020
NS_TXMON = 0x0040

NR_TIMESTAMP = 0x0002
NR_FORWARD = 0x0004

NI_PRIV_MEM = 0x1


def _IOC(direction, typ, nr, size):
    return (direction << 30) | (size << 16) | (ord(typ) << 8) | nr


def _IO(typ, nr):
    return _IOC(0, typ, nr, 0)


def _IOWR(typ, nr, size):
    return _IOC(3, typ, nr, size)


# ---------------------------------------------------------------------------
# Structures


class nmreq_header(ctypes.Structure):
    _fields_ = [
        ("nr_version", ctypes.c_uint16),
        ("nr_reqtype", ctypes.c_uint16),
        ("nr_reserved", ctypes.c_uint32),
        ("nr_name", ctypes.c_char * NETMAP_REQ_IFNAMSIZ),
        ("nr_options", ctypes.c_uint64),
        ("nr_body", ctypes.c_uint64),
    ]


class nmreq_option(ctypes.Structure):
    _fields_ = [
        ("nro_next", ctypes.c_uint64),
        ("nro_reqtype", ctypes.c_uint32),
        ("nro_status", ctypes.c_uint32),
        ("nro_size", ctypes.c_uint64),
    ]


class nmreq_register(ctypes.Structure):
    _fields_ = [
        ("nr_offset", ctypes.c_uint64),
        ("nr_memsize", ctypes.c_uint64),
        ("nr_tx_slots", ctypes.c_uint32),
        ("nr_rx_slots", ctypes.c_uint32),
        ("nr_tx_rings", ctypes.c_uint16),
        ("nr_rx_rings", ctypes.c_uint16),
        ("nr_host_tx_rings", ctypes.c_uint16),
        ("nr_host_rx_rings", ctypes.c_uint16),
        ("nr_mem_id", ctypes.c_uint16),
        ("nr_ringid", ctypes.c_uint16),
        ("nr_mode", ctypes.c_uint32),
        ("nr_extra_bufs", ctypes.c_uint32),
        ("nr_flags", ctypes.c_uint64),  # 4 bytes of padding before it
    ]


class nmreq_port_info_get(ctypes.Structure):
    _fields_ = [
        ("nr_memsize", ctypes.c_uint64),
        ("nr_tx_slots", ctypes.c_uint32),
        ("nr_rx_slots", ctypes.c_uint32),
        ("nr_tx_rings", ctypes.c_uint16),
        ("nr_rx_rings", ctypes.c_uint16),
        ("nr_host_tx_rings", ctypes.c_uint16),
        ("nr_host_rx_rings", ctypes.c_uint16),
        ("nr_mem_id", ctypes.c_uint16),
        ("pad", ctypes.c_uint16 * 3),
    ]


class nmreq_pools_info(ctypes.Structure):
    _fields_ = [
        ("nr_memsize", ctypes.c_uint64),
        ("nr_mem_id", ctypes.c_uint16),
        ("pad1", ctypes.c_uint16 * 3),
        ("nr_if_pool_offset", ctypes.c_uint64),
        ("nr_if_pool_objtotal", ctypes.c_uint32),
        ("nr_if_pool_objsize", ctypes.c_uint32),
        ("nr_ring_pool_offset", ctypes.c_uint64),
        ("nr_ring_pool_objtotal", ctypes.c_uint32),
        ("nr_ring_pool_objsize", ctypes.c_uint32),
        ("nr_buf_pool_offset", ctypes.c_uint64),
        ("nr_buf_pool_objtotal", ctypes.c_uint32),
        ("nr_buf_pool_objsize", ctypes.c_uint32),
    ]


class nmreq_vale_attach(ctypes.Structure):
    _fields_ = [
        ("reg", nmreq_register),
        ("port_index", ctypes.c_uint32),
        ("pad1", ctypes.c_uint32),
    ]


class netmap_slot(ctypes.Structure):
    _fields_ = [
        ("buf_idx", ctypes.c_uint32),
        ("len", ctypes.c_uint16),
        ("flags", ctypes.c_uint16),
        ("ptr", ctypes.c_uint64),
    ]


class timeval(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_usec", ctypes.c_long)]


class netmap_ring(ctypes.Structure):
    """The fixed part of struct netmap_ring; slot[] follows at offset 256."""
    _fields_ = [
        ("buf_ofs", ctypes.c_int64),
        ("num_slots", ctypes.c_uint32),
        ("nr_buf_size", ctypes.c_uint32),
        ("ringid", ctypes.c_uint16),
        ("dir", ctypes.c_uint16),
        ("head", ctypes.c_uint32),
        ("cur", ctypes.c_uint32),
        ("tail", ctypes.c_uint32),
        ("flags", ctypes.c_uint32),
        ("ts", timeval),
        ("offset_mask", ctypes.c_uint64),
        ("buf_align", ctypes.c_uint64),
        ("_pad", ctypes.c_uint8 * (128 - 72)),  # sem[] is 128-aligned
        ("sem", ctypes.c_uint8 * 128),
    ]


class netmap_if(ctypes.Structure):
    """The fixed part of struct netmap_if; ssize_t ring_ofs[] follows."""
    _fields_ = [
        ("ni_name", ctypes.c_char * NM_IFNAMSIZ),
        ("ni_version", ctypes.c_uint32),
        ("ni_flags", ctypes.c_uint32),
        ("ni_tx_rings", ctypes.c_uint32),
        ("ni_rx_rings", ctypes.c_uint32),
        ("ni_bufs_head", ctypes.c_uint32),
        ("ni_host_tx_rings", ctypes.c_uint32),
        ("ni_host_rx_rings", ctypes.c_uint32),
        ("ni_spare1", ctypes.c_uint32 * 3),
    ]


_SIZES = {
    nmreq_header: 88, nmreq_register: 56, nmreq_pools_info: 64,
    nmreq_port_info_get: 32, nmreq_option: 24, nmreq_vale_attach: 64,
    netmap_slot: 16, netmap_ring: 256, netmap_if: 56,
}
for _t, _n in _SIZES.items():
    assert ctypes.sizeof(_t) == _n, (_t.__name__, ctypes.sizeof(_t), _n)
assert netmap_ring.sem.offset == 128 and netmap_ring.ts.offset == 40
assert nmreq_register.nr_flags.offset == 48

NIOCCTRL = _IOWR("i", 151, ctypes.sizeof(nmreq_header))
NIOCTXSYNC = _IO("i", 148)
NIOCRXSYNC = _IO("i", 149)
assert (NIOCCTRL, NIOCTXSYNC, NIOCRXSYNC) == (0xC0586997, 0x6994, 0x6995)

# ---------------------------------------------------------------------------
# System calls.  ctypes releases the GIL around foreign calls, so a thread
# blocked in one does not stop the others, and errno comes back exactly.

_libc = ctypes.CDLL(None, use_errno=True)
_libc.ioctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p]
_libc.ioctl.restype = ctypes.c_int


def ioctl(fd, cmd, arg=0):
    """ioctl(fd, cmd, arg) with arg an address (int) or a ctypes object;
    returns 0 or the errno."""
    # arg stays bound for the call: a temporary ctypes object passed in is
    # only kept alive by this frame (CPython 3.11 moves call arguments into
    # the callee's locals), so rebinding it would free it before the ioctl.
    if arg is None:
        addr = 0
    elif isinstance(arg, int):
        addr = arg
    else:
        addr = ctypes.addressof(arg)
    ctypes.set_errno(0)
    if _libc.ioctl(fd, cmd, addr) < 0:
        return ctypes.get_errno()
    return 0


def _check(err, what):
    if err:
        raise OSError(err, "%s: %s" % (what, os.strerror(err)))


def open_dev():
    return os.open(NETMAP_DEVICE, os.O_RDWR | os.O_CLOEXEC)


def _addr(x):
    if x is None:
        return 0
    if isinstance(x, int):
        return x
    return ctypes.addressof(x)


def make_header(reqtype, body=None, name=b"", version=NETMAP_API, options=0,
                reserved=0):
    """An nmreq_header.  name is copied raw (str is encoded): a name of
    exactly 64 bytes carries no NUL.  body and options are ctypes objects
    (their address is taken) or raw integer addresses."""
    if isinstance(name, str):
        name = name.encode()
    hdr = nmreq_header()
    hdr.nr_version = version
    hdr.nr_reqtype = reqtype
    hdr.nr_reserved = reserved
    name = bytes(name[:NETMAP_REQ_IFNAMSIZ])
    ctypes.memmove(ctypes.addressof(hdr) + nmreq_header.nr_name.offset,
                   name, len(name))
    hdr.nr_options = _addr(options)
    hdr.nr_body = _addr(body)
    return hdr


def ctrl(reqtype, body, name=b"", version=NETMAP_API, options=0, fd=None,
         reserved=0):
    """Send one NIOCCTRL request; return 0 or the errno.

    body/options: ctypes objects (kept alive by the caller, the kernel
    writes replies into them) or raw integer addresses.  Without fd the
    request goes through a fresh /dev/netmap fd that is closed afterwards.
    """
    hdr = make_header(reqtype, body, name, version, options, reserved)
    own = fd is None
    if own:
        fd = open_dev()
    try:
        return ioctl(fd, NIOCCTRL, hdr)
    finally:
        if own:
            os.close(fd)


def pools_info(name, mem_id=0, fd=None):
    """NETMAP_REQ_POOLS_INFO_GET for the allocator of port 'name'."""
    req = nmreq_pools_info()
    req.nr_mem_id = mem_id
    _check(ctrl(NETMAP_REQ_POOLS_INFO_GET, req, name, fd=fd), "POOLS_INFO_GET")
    return req


def port_info(name, mem_id=0, fd=None):
    """NETMAP_REQ_PORT_INFO_GET for port 'name' (no registration needed)."""
    req = nmreq_port_info_get()
    req.nr_mem_id = mem_id
    _check(ctrl(NETMAP_REQ_PORT_INFO_GET, req, name, fd=fd), "PORT_INFO_GET")
    return req


_names = itertools.count(1)


def unique_name(prefix="t"):
    """A port base name not used before by this process (short enough
    that "NAME{ID" fits the 16 bytes of netmap_if.ni_name)."""
    return "%s%d" % (prefix, next(_names))


# ---------------------------------------------------------------------------
# Rings


def nm_next(i, num_slots):
    i += 1
    return 0 if i == num_slots else i


class Ring:
    """One netmap_ring inside a Port's mapping."""

    def __init__(self, port, addr, kind, index):
        self.port = port
        self.addr = addr
        self.kind = kind  # "tx" or "rx"
        self.index = index
        self.r = netmap_ring.from_address(addr)
        # Read-only geometry, cached (the user may not change it).
        self.num_slots = self.r.num_slots
        self.nr_buf_size = self.r.nr_buf_size
        self.buf_ofs = self.r.buf_ofs
        if not 0 < self.num_slots <= 1 << 20:
            raise ValueError("ring %s%d: absurd num_slots %d"
                             % (kind, index, self.num_slots))
        end = addr + ctypes.sizeof(netmap_ring) + 16 * self.num_slots
        if end > port.base + port.memsize:
            raise ValueError("ring %s%d: slots run past the mapping" % (kind, index))
        self._slots = (netmap_slot * self.num_slots).from_address(
            addr + ctypes.sizeof(netmap_ring))

    def __repr__(self):
        return "<%s ring %d head %d cur %d tail %d of %d>" % (
            self.kind, self.index, self.head, self.cur, self.tail, self.num_slots)

    # user/kernel indexes
    head = property(lambda s: s.r.head, lambda s, v: setattr(s.r, "head", v))
    cur = property(lambda s: s.r.cur, lambda s, v: setattr(s.r, "cur", v))
    tail = property(lambda s: s.r.tail, lambda s, v: setattr(s.r, "tail", v))
    flags = property(lambda s: s.r.flags, lambda s, v: setattr(s.r, "flags", v))
    dir = property(lambda s: s.r.dir)
    ringid = property(lambda s: s.r.ringid)

    def slot(self, i):
        if not 0 <= i < self.num_slots:
            raise IndexError("slot %d of a %d-slot ring" % (i, self.num_slots))
        return self._slots[i]

    def slots(self):
        return [self._slots[i] for i in range(self.num_slots)]

    def next(self, i):
        return nm_next(i, self.num_slots)

    def space(self):
        """Slots owned by the user: [head, tail)."""
        h, t = self.r.head, self.r.tail
        return t - h if t >= h else t + self.num_slots - h

    def buf_addr(self, idx):
        return self.addr + self.buf_ofs + idx * self.nr_buf_size

    def buf(self, idx):
        """Buffer idx as a writable memoryview of nr_buf_size bytes."""
        return self.port.buf_view(self.buf_addr(idx), self.nr_buf_size)

    def read(self, idx, length):
        return bytes(self.port.buf_view(self.buf_addr(idx), length))

    def write(self, idx, data):
        if len(data) > self.nr_buf_size:
            raise ValueError("%d bytes do not fit a %d-byte buffer"
                             % (len(data), self.nr_buf_size))
        self.port.buf_view(self.buf_addr(idx), len(data))[:] = data


class Port:
    """An fd registered to a port (NETMAP_REQ_REGISTER) with its memory
    mapped.  Raises OSError(errno) when the registration fails."""

    def __init__(self, name, mode=NR_REG_ALL_NIC, ringid=0, flags=0,
                 tx_rings=0, rx_rings=0, tx_slots=0, rx_slots=0,
                 extra_bufs=0, mem_id=0):
        self.name = name if isinstance(name, str) else name.decode()
        self.fd = -1
        self.mem = None
        self.base = 0
        self.closed = False
        self.fd = open_dev()
        try:
            req = nmreq_register()
            req.nr_mode = mode
            req.nr_ringid = ringid
            req.nr_flags = flags
            req.nr_tx_rings = tx_rings
            req.nr_rx_rings = rx_rings
            req.nr_tx_slots = tx_slots
            req.nr_rx_slots = rx_slots
            req.nr_extra_bufs = extra_bufs
            req.nr_mem_id = mem_id
            # header and body both stay alive in self for the call
            self.hdr = make_header(NETMAP_REQ_REGISTER, req, self.name)
            self.req = req
            _check(ioctl(self.fd, NIOCCTRL, self.hdr), "REGISTER %s" % self.name)
            self.memsize = req.nr_memsize
            self.offset = req.nr_offset
            if not 0 < self.memsize < 1 << 40 or self.offset >= self.memsize:
                raise ValueError("REGISTER %s: bad nr_memsize %d / nr_offset %d"
                                 % (self.name, self.memsize, self.offset))
            self.mem = mmap.mmap(self.fd, self.memsize, mmap.MAP_SHARED,
                                 mmap.PROT_READ | mmap.PROT_WRITE)
            # The base address without keeping a buffer export on the
            # mmap (that would make mmap.close() fail).
            probe = ctypes.c_char.from_buffer(self.mem)
            self.base = ctypes.addressof(probe)
            del probe
            self.nifp = netmap_if.from_address(self.base + self.offset)
        except BaseException:
            self.close()
            raise
        self._rings = {}

    # -- the netmap_if ----------------------------------------------------
    @property
    def ni_name(self):
        return self.nifp.ni_name.decode(errors="replace")

    def ring_ofs(self, i):
        """ring_ofs[i] of the netmap_if (signed)."""
        nrings = (self.nifp.ni_tx_rings + self.nifp.ni_host_tx_rings +
                  self.nifp.ni_rx_rings + self.nifp.ni_host_rx_rings)
        if not 0 <= i < nrings:
            raise IndexError("ring_ofs[%d] of %d" % (i, nrings))
        addr = self.base + self.offset + ctypes.sizeof(netmap_if) + 8 * i
        if addr + 8 > self.base + self.memsize:
            raise ValueError("ring_ofs[%d] lies past the mapping" % i)
        return ctypes.c_ssize_t.from_address(addr).value

    def _ring(self, kind, i):
        self._alive()
        key = (kind, i)
        ring = self._rings.get(key)
        if ring is None:
            ntx = self.nifp.ni_tx_rings + self.nifp.ni_host_tx_rings
            nrx = self.nifp.ni_rx_rings + self.nifp.ni_host_rx_rings
            if kind == "tx":
                if not 0 <= i < ntx:
                    raise IndexError("tx ring %d of %d" % (i, ntx))
                ofs = self.ring_ofs(i)
            else:
                if not 0 <= i < nrx:
                    raise IndexError("rx ring %d of %d" % (i, nrx))
                ofs = self.ring_ofs(i + ntx)
            addr = self.base + self.offset + ofs
            if ofs == 0 or not self.base <= addr <= self.base + self.memsize - 256:
                raise ValueError("%s ring %d: ring_ofs %d is not in the mapping"
                                 % (kind, i, ofs))
            ring = self._rings[key] = Ring(self, addr, kind, i)
        return ring

    def txring(self, i=0):
        return self._ring("tx", i)

    def rxring(self, i=0):
        return self._ring("rx", i)

    def buf_view(self, addr, length):
        """A writable memoryview of length bytes at addr, which must lie
        inside the mapping (so that a bogus buf_idx from the kernel makes
        an exception, not a crash)."""
        self._alive()
        if length < 0 or addr < self.base or addr + length > self.base + self.memsize:
            raise IndexError("buffer at offset %d (+%d) outside the %d-byte mapping"
                             % (addr - self.base, length, self.memsize))
        return memoryview((ctypes.c_ubyte * length).from_address(addr)).cast("B")

    def buf(self, idx, ring=None):
        """Buffer number idx (addressed through ring, default tx ring 0)."""
        return (ring or self.txring(0)).buf(idx)

    # -- extra buffers -----------------------------------------------------
    def extra_bufs(self):
        """Indexes of the list starting at ni_bufs_head (first 4 bytes of
        each buffer = next index, 0 terminates)."""
        out, seen = [], set()
        idx = self.nifp.ni_bufs_head
        ring = self.txring(0)
        while idx:
            if idx in seen:
                raise ValueError("extra buffer list loops at %d" % idx)
            seen.add(idx)
            out.append(idx)
            idx = int.from_bytes(ring.read(idx, 4), "little")
        return out

    # -- data path ---------------------------------------------------------
    def send(self, frames, ring=0):
        """Copy frames into free slots of tx ring 'ring' from head on and
        advance head = cur past them; return how many were placed.  No
        sync: call txsync()."""
        r = self.txring(ring)
        i, n = r.head, 0
        tail = r.tail
        for f in frames:
            if i == tail:
                break
            s = r.slot(i)
            r.write(s.buf_idx, f)
            s.len = len(f)
            s.flags = 0
            i = r.next(i)
            n += 1
        r.head = r.cur = i
        return n

    def recv(self, ring=0):
        """Frames in [head, tail) of rx ring 'ring', then released
        (head = cur = tail; the kernel learns it at the next rxsync)."""
        r = self.rxring(ring)
        out = []
        i, tail = r.head, r.tail
        if tail >= r.num_slots:
            raise ValueError("rx ring %d: tail %d out of range" % (ring, tail))
        while i != tail:
            s = r.slot(i)
            if s.len > r.nr_buf_size:
                raise ValueError("rx slot %d: len %d > buffer size %d"
                                 % (i, s.len, r.nr_buf_size))
            out.append(r.read(s.buf_idx, s.len))
            i = r.next(i)
        r.head = r.cur = tail
        return out

    def txsync(self, check=True):
        """NIOCTXSYNC; raises OSError on failure, or returns the errno
        (0 on success) with check=False."""
        self._alive()
        err = ioctl(self.fd, NIOCTXSYNC)
        if check:
            _check(err, "NIOCTXSYNC %s" % self.name)
        return err

    def rxsync(self, check=True):
        self._alive()
        err = ioctl(self.fd, NIOCRXSYNC)
        if check:
            _check(err, "NIOCRXSYNC %s" % self.name)
        return err

    def poll(self, events=select.POLLIN, timeout_ms=0):
        """poll() on the fd; returns the revents (0 on timeout)."""
        self._alive()
        p = select.poll()
        p.register(self.fd, events)
        res = p.poll(timeout_ms)
        return res[0][1] if res else 0

    # -- life cycle --------------------------------------------------------
    def _alive(self):
        if self.closed:
            raise ValueError("port %s is closed" % self.name)

    def close(self):
        if self.closed:
            return
        self.closed = True
        self._rings = {}
        self.nifp = None
        if self.mem is not None:
            self.mem.close()  # also closes mmap's dup of the fd
            self.mem = None
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        return "<Port %s fd %d%s>" % (self.name, self.fd,
                                      " closed" if self.closed else "")


def pipe(base=None, **kw):
    """Open both ends of pipe base{1 / base}1: (master, slave)."""
    base = base or unique_name()
    master = Port(base + "{1", **kw)
    try:
        slave = Port(base + "}1", **kw)
    except BaseException:
        master.close()
        raise
    return master, slave


def errname(e):
    return errno.errorcode.get(e, str(e)) if e else "0"


# ---------------------------------------------------------------------------
# VALE switch requests and Ethernet frames (for tests/kernel/test_vale_*.py)


class nmreq_vale_detach(ctypes.Structure):
    _fields_ = [("port_index", ctypes.c_uint32), ("pad1", ctypes.c_uint32)]


class nmreq_vale_list(ctypes.Structure):
    _fields_ = [
        ("nr_bridge_idx", ctypes.c_uint16),
        ("pad1", ctypes.c_uint16),
        ("nr_port_idx", ctypes.c_uint32),
    ]


class nmreq_vale_newif(ctypes.Structure):
    _fields_ = [
        ("nr_tx_slots", ctypes.c_uint32),
        ("nr_rx_slots", ctypes.c_uint32),
        ("nr_tx_rings", ctypes.c_uint16),
        ("nr_rx_rings", ctypes.c_uint16),
        ("nr_mem_id", ctypes.c_uint16),
        ("pad1", ctypes.c_uint16),
    ]


for _t, _n in {nmreq_vale_detach: 8, nmreq_vale_list: 8, nmreq_vale_newif: 16}.items():
    assert ctypes.sizeof(_t) == _n, (_t.__name__, ctypes.sizeof(_t), _n)


def vale_newif(name, tx_slots=0, rx_slots=0, tx_rings=0, rx_rings=0, mem_id=0):
    """NETMAP_REQ_VALE_NEWIF: a persistent port and netdev 'name'; errno."""
    req = nmreq_vale_newif(nr_tx_slots=tx_slots, nr_rx_slots=rx_slots,
                           nr_tx_rings=tx_rings, nr_rx_rings=rx_rings,
                           nr_mem_id=mem_id)
    return ctrl(NETMAP_REQ_VALE_NEWIF, req, name)


def vale_delif(name):
    """NETMAP_REQ_VALE_DELIF (no body); errno."""
    return ctrl(NETMAP_REQ_VALE_DELIF, None, name)


def vale_attach(name, mode=NR_REG_ALL_NIC):
    """NETMAP_REQ_VALE_ATTACH "valeX:IF": (errno, port_index)."""
    req = nmreq_vale_attach()
    req.reg.nr_mode = mode
    req.port_index = 0xFFFFFFFF
    err = ctrl(NETMAP_REQ_VALE_ATTACH, req, name)
    return err, req.port_index


def vale_detach(name):
    """NETMAP_REQ_VALE_DETACH "valeX:IF": (errno, port_index)."""
    req = nmreq_vale_detach(port_index=0xFFFFFFFF)
    err = ctrl(NETMAP_REQ_VALE_DETACH, req, name)
    return err, req.port_index


def vale_list(name="", bridge_idx=0, port_idx=0, fd=None):
    """NETMAP_REQ_VALE_LIST: (errno, name written back, bridge, port)."""
    req = nmreq_vale_list(nr_bridge_idx=bridge_idx, nr_port_idx=port_idx)
    hdr = make_header(NETMAP_REQ_VALE_LIST, req, name)
    own = fd is None
    if own:
        fd = open_dev()
    try:
        err = ioctl(fd, NIOCCTRL, hdr)
    finally:
        if own:
            os.close(fd)
    return err, hdr.nr_name.decode(), req.nr_bridge_idx, req.nr_port_idx


def vale_list_all():
    """Every switch port as netmap's vale-ctl -l finds them: start at
    (0, 0), and after each answer clear the name and ask again from the
    next port number.  Returns [(name, bridge_idx, port_idx)]."""
    out, b, p = [], 0, 0
    fd = open_dev()
    try:
        for _ in range(64 * 256):
            err, name, b, p = vale_list("", b, p, fd=fd)
            if err:
                if err != errno.ENOENT:
                    raise OSError(err, "VALE_LIST: %s" % os.strerror(err))
                return out
            out.append((name, b, p))
            p += 1
    finally:
        os.close(fd)
    raise AssertionError("VALE_LIST iteration does not end")


BROADCAST_MAC = b"\xff" * 6
ETH_P_TEST = b"\x88\xb5"  # IEEE local experimental ethertype


def mac_addr(n):
    """A locally administered unicast MAC address numbered n."""
    return b"\x02\x00\x00" + (n & 0xFFFFFF).to_bytes(3, "big")


def eth_frame(dst, src, size, seq=0, tag=0):
    """An Ethernet frame of 'size' bytes: dst, src, ethertype, then the
    tag and sequence number and a payload derived from them all."""
    import random as _random
    import struct as _struct
    head = dst + src + ETH_P_TEST + _struct.pack("<II", tag, seq)
    rnd = _random.Random(((tag * 1000003 + seq) * 65599 + size) ^ 0x5A5A)
    return (head + rnd.randbytes(max(0, size - len(head))))[:size]


def send_packets(port, packets, ring=0):
    """Put packets on tx ring 'ring', splitting each one larger than a
    buffer over several slots chained with NS_MOREFRAG; stop at the first
    that does not fit whole.  Returns how many were placed (no sync)."""
    r = port.txring(ring)
    i, n, bs = r.head, 0, r.nr_buf_size
    for pkt in packets:
        chunks = [pkt[o:o + bs] for o in range(0, max(len(pkt), 1), bs)]
        if len(chunks) > (r.tail - i) % r.num_slots:
            break
        for k, c in enumerate(chunks):
            s = r.slot(i)
            r.write(s.buf_idx, c)
            s.len = len(c)
            s.flags = NS_MOREFRAG if k + 1 < len(chunks) else 0
            i = r.next(i)
        n += 1
    r.head = r.cur = i
    return n


def recv_packets(port, ring=0):
    """Whole packets in [head, tail) of rx ring 'ring', slots chained with
    NS_MOREFRAG joined: [(bytes, number of slots)].  Releases them all; a
    chain still open at tail is an error."""
    r = port.rxring(ring)
    out, parts = [], []
    i, tail = r.head, r.tail
    if tail >= r.num_slots:
        raise ValueError("rx ring %d: tail %d out of range" % (ring, tail))
    while i != tail:
        s = r.slot(i)
        if s.len > r.nr_buf_size:
            raise ValueError("rx slot %d: len %d > buffer size %d"
                             % (i, s.len, r.nr_buf_size))
        parts.append(r.read(s.buf_idx, s.len))
        if not s.flags & NS_MOREFRAG:
            out.append((b"".join(parts), len(parts)))
            parts = []
        i = r.next(i)
    if parts:
        raise ValueError("rx ring %d: packet of %d slots unfinished at tail"
                         % (ring, len(parts)))
    r.head = r.cur = tail
    return out


# ---------------------------------------------------------------------------
# The request format before NIOCCTRL (include/net/netmap_legacy.h): NIOCGINFO
# and NIOCREGIF with a struct nmreq, as nm_open() and vale-ctl send them.

NETMAP_HW_RING = 0x4000
NETMAP_SW_RING = 0x2000
NETMAP_RING_MASK = 0x0FFF
NETMAP_NO_TX_POLL = 0x1000
NETMAP_DO_RX_POLL = 0x8000
NR_REG_MASK = 0xF

NETMAP_BDG_ATTACH = 1
NETMAP_BDG_DETACH = 2
NETMAP_BDG_REGOPS = 3
NETMAP_BDG_LIST = 4
NETMAP_BDG_VNET_HDR = 5
NETMAP_BDG_NEWIF = 6
NETMAP_BDG_DELIF = 7
NETMAP_PT_HOST_CREATE = 8
NETMAP_PT_HOST_DELETE = 9
NETMAP_BDG_HOST = 1


class nmreq(ctypes.Structure):
    _fields_ = [
        ("nr_name", ctypes.c_char * NM_IFNAMSIZ),
        ("nr_version", ctypes.c_uint32),
        ("nr_offset", ctypes.c_uint32),
        ("nr_memsize", ctypes.c_uint32),
        ("nr_tx_slots", ctypes.c_uint32),
        ("nr_rx_slots", ctypes.c_uint32),
        ("nr_tx_rings", ctypes.c_uint16),
        ("nr_rx_rings", ctypes.c_uint16),
        ("nr_ringid", ctypes.c_uint16),
        ("nr_cmd", ctypes.c_uint16),
        ("nr_arg1", ctypes.c_uint16),
        ("nr_arg2", ctypes.c_uint16),
        ("nr_arg3", ctypes.c_uint32),
        ("nr_flags", ctypes.c_uint32),
        ("spare2", ctypes.c_uint32 * 1),
    ]


assert ctypes.sizeof(nmreq) == 60 and nmreq.nr_flags.offset == 52

NIOCGINFO = _IOWR("i", 145, ctypes.sizeof(nmreq))
NIOCREGIF = _IOWR("i", 146, ctypes.sizeof(nmreq))
assert (NIOCGINFO, NIOCREGIF) == (0xC03C6991, 0xC03C6992)


def make_nmreq(name=b"", version=NETMAP_API, **fields):
    """A struct nmreq; name is copied raw (str is encoded), so 16 bytes
    carry no NUL; fields are nmreq field names without the nr_ prefix."""
    if isinstance(name, str):
        name = name.encode()
    req = nmreq()
    name = bytes(name[:NM_IFNAMSIZ])
    ctypes.memmove(ctypes.addressof(req), name, len(name))
    req.nr_version = version
    for k, v in fields.items():
        setattr(req, "nr_" + k, v)
    return req


def legacy(cmd, req, fd=None):
    """ioctl(fd, NIOCGINFO or NIOCREGIF, req); the errno (0 on success).
    Without fd, through a fresh /dev/netmap fd closed afterwards."""
    own = fd is None
    if own:
        fd = open_dev()
    try:
        return ioctl(fd, cmd, req)
    finally:
        if own:
            os.close(fd)
