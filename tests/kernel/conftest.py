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


def dmesg_mark():
    """Return an object that tells which kernel messages appeared since."""
    with open("/dev/kmsg", "rb") as f:
        os.set_blocking(f.fileno(), False)
        seq = 0
        while True:
            try:
                rec = f.read(8192)
            except BlockingIOError:
                break
            if not rec:
                break
            seq = int(rec.split(b";")[0].split(b",")[1])
    return seq


def dmesg_since(seq):
    out = []
    with open("/dev/kmsg", "rb") as f:
        os.set_blocking(f.fileno(), False)
        while True:
            try:
                rec = f.read(8192)
            except BlockingIOError:
                break
            if not rec:
                break
            head, _, msg = rec.partition(b";")
            if int(head.split(b",")[1]) > seq:
                out.append(msg.decode(errors="replace").rstrip("\n"))
    return out


@pytest.fixture
def core():
    """The core module loaded, as the harness leaves it."""
    load_core()
    yield
    load_core()
