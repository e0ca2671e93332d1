"""Shared helpers for the tests that run inside the test VM (tests/vm/run)."""
import os
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULES = os.path.join(TOP, "build", "modules")
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
