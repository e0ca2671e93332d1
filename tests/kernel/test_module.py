"""The core module: loads, exposes /dev/netmap root-only, unloads cleanly."""
import os
import stat

from conftest import dmesg_mark, dmesg_since, load_core, module_loaded, unload_core

SPLATS = ("WARNING:", "BUG:", "Oops", "refcount_t", "corruption")


def test_dev_netmap_is_a_root_only_char_device(core):
    st = os.stat("/dev/netmap")
    assert stat.S_ISCHR(st.st_mode)
    assert stat.S_IMODE(st.st_mode) == 0o600
    assert st.st_uid == 0


def test_unload_removes_the_device_and_logs_nothing_bad(core):
    mark = dmesg_mark()
    unload_core()
    assert not module_loaded("vale")
    assert not os.path.exists("/dev/netmap")
    load_core()
    assert os.path.exists("/dev/netmap")
    log = dmesg_since(mark)
    assert not [l for l in log if any(s in l for s in SPLATS)], log


def test_load_unload_twenty_times(core):
    mark = dmesg_mark()
    for _ in range(20):
        unload_core()
        load_core()
        with open("/dev/netmap", "rb"):
            pass
    log = dmesg_since(mark)
    assert not [l for l in log if any(s in l for s in SPLATS)], log
