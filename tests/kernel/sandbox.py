"""Run test code in a forked child with fewer privileges or in another
network namespace, as a hostile local user or a container would.

    with Child(drop_caps=True) as c:       # uid 0, every capability gone
        c.call(fn, *args)                   # fn(*args) in the child, its result
    with Child(netns=True) as c:            # a fresh network namespace
        ...

The child runs the functions the parent sends it, one at a time, and
answers with their results (anything JSON can carry), so a test can
interleave steps in both namespaces, each holding its ports open between
steps.  An exception in the child is raised in the parent with the
child's traceback.  Module-level functions only: they are looked up by
module and name in the child (which is a fork, so they are all there).
"""
import ctypes
import importlib
import json
import os
import socket
import traceback

CLONE_NEWNET = 0x40000000
PR_CAPBSET_DROP = 24
_LINUX_CAPABILITY_VERSION_3 = 0x20080522

_libc = ctypes.CDLL(None, use_errno=True)


class _cap_header(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _cap_data(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_all_caps():
    """Empty the bounding, permitted, effective and inheritable sets of
    this process (the uid stays 0), as setpriv --inh-caps=-all
    --bounding-set=-all does for what it runs."""
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            break  # EINVAL past the last capability
    data = (_cap_data * 2)()
    if _libc.capset(ctypes.byref(_cap_header(_LINUX_CAPABILITY_VERSION_3, 0)), data) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "capset: " + os.strerror(e))
    assert effective_caps() == 0


def effective_caps():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    raise AssertionError("no CapEff in /proc/self/status")


def unshare_net():
    if _libc.unshare(CLONE_NEWNET) != 0:
        e = ctypes.get_errno()
        raise OSError(e, "unshare(CLONE_NEWNET): " + os.strerror(e))


def net_ns_id(pid="self"):
    """The inode of a process's network namespace: equal means same."""
    return os.stat("/proc/%s/ns/net" % pid).st_ino


class Child:
    def __init__(self, drop_caps=False, netns=False):
        self.sock, theirs = socket.socketpair()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            self.sock.close()
            status = 1
            try:
                if netns:
                    unshare_net()
                if drop_caps:
                    drop_all_caps()
                self._serve(theirs)
                status = 0
            finally:
                os._exit(status)
        theirs.close()
        self.file = self.sock.makefile("rw")

    @staticmethod
    def _serve(sock):
        f = sock.makefile("rw")
        for line in f:
            mod, name, args = json.loads(line)
            try:
                reply = {"ok": getattr(importlib.import_module(mod), name)(*args)}
            except BaseException:  # noqa: B902 - everything goes back to the test
                reply = {"error": traceback.format_exc()}
            f.write(json.dumps(reply) + "\n")
            f.flush()

    def call(self, fn, *args):
        """fn(*args) in the child; its result."""
        self.file.write(json.dumps([fn.__module__, fn.__name__, list(args)]) + "\n")
        self.file.flush()
        line = self.file.readline()
        if not line:
            raise AssertionError("the child died during %s%r" % (fn.__name__, args))
        reply = json.loads(line)
        if "error" in reply:
            raise AssertionError("in the child, %s%r:\n%s" % (fn.__name__, args,
                                                              reply["error"]))
        return reply["ok"]

    def close(self):
        if self.pid is None:
            return
        self.file.close()
        self.sock.close()
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, status

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
