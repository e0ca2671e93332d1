"""Shared helpers for the tests that run inside the test VM (tests/vm/run)."""
import os
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# tests/vm/run says where the modules built for the booted kernel are
# (build/modules-debug on the debug kernel).
MODULES = os.environ.get("VALE_MODULES") or os.path.join(TOP, "build", "modules")
BIN = os.path.join(TOP, "build", "bin")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("VALE_IN_VM") != "1":
        skip = pytest.mark.skip(reason="kernel tests run inside tests/vm/run")
        for item in items:
            item.add_marker(skip)


def run(*cmd, check=True, **kw):
    """Run a command, returning its CompletedProcess with text output."""
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def module_loaded(name):
    with open("/proc/modules") as f:
        return any(line.split()[0] == name for line in f)


def load_core():
    if not module_loaded("vale"):
        run("insmod", os.path.join(MODULES, "vale.ko"))


def unload_core():
    if module_loaded("vale"):
        run("rmmod", "vale")


def _kmsg_records():
    """Yield (sequence number, message) for every record in /dev/kmsg."""
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_NONBLOCK)
    try:
        while True:
            try:
                rec = os.read(fd, 65536)
            except BlockingIOError:
                return
            except BrokenPipeError:  # overwritten while reading: go on
                continue
            if not rec:
                return
            head, _, msg = rec.partition(b";")
            yield int(head.split(b",")[1]), msg.decode(errors="replace").rstrip("\n")
    finally:
        os.close(fd)


def dmesg_mark():
    """The sequence number of the newest kernel message."""
    seq = 0
    for seq, _ in _kmsg_records():
        pass
    return seq


def dmesg_since(seq):
    """Kernel messages logged after dmesg_mark() returned seq."""
    return [msg for s, msg in _kmsg_records() if s > seq]


@pytest.fixture
def core():
    """The core module loaded, as the harness leaves it."""
    load_core()
    yield
    load_core()


# ---- netmap ports ----------------------------------------------------------

@pytest.fixture
def ports(core):
    """Factory for netmap ports, all closed when the test ends:
    ports.open(name, **register_args) -> netmap.Port
    ports.pipe(base=None, **register_args) -> (master, slave)
    ports.fd() -> a bare /dev/netmap fd."""
    import netmap

    class Ports:
        def __init__(self):
            self.opened = []
            self.fds = []

        def open(self, name, **kw):
            p = netmap.Port(name, **kw)
            self.opened.append(p)
            return p

        def pipe(self, base=None, **kw):
            m, s = netmap.pipe(base, **kw)
            self.opened += [m, s]
            return m, s

        def fd(self):
            fd = netmap.open_dev()
            self.fds.append(fd)
            return fd

        def close_all(self):
            for p in reversed(self.opened):
                p.close()
            for fd in self.fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
            self.opened, self.fds = [], []

    p = Ports()
    yield p
    p.close_all()


def vale_regions():
    """The memory regions as /sys/kernel/debug/vale/regions shows them:
    {id: {"size": int, "users": int, "if": (used, total), "ring": ...,
    "buf": ...}}, or None without debugfs."""
    try:
        with open("/sys/kernel/debug/vale/regions") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    out = {}
    for line in lines:
        w = line.split()
        d = {}
        for k, v in zip(w[0::2], w[1::2]):
            d[k] = tuple(int(x) for x in v.split("/")) if "/" in v else int(v)
        out[d["id"]] = d
    return out


def assert_no_region_in_use():
    """Every region is unused and its pools freed (skipped without debugfs)."""
    regions = vale_regions()
    if regions is None:
        return
    for rid, r in regions.items():
        assert r["users"] == 0, "region %d still in use: %r" % (rid, r)
        for pool in ("if", "ring", "buf"):
            assert r[pool][0] == 0, "region %d: %s objects left: %r" % (rid, pool, r)
