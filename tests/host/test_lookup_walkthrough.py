"""docs/writing-a-lookup-module.md: its commands work as written (the
user-space unit test of the example and its out-of-tree build; loading and
setting it on a switch is covered in the VM by
tests/kernel/test_vale_lookup_module.py)."""
import glob
import os
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(TOP, "examples", "lookup-hello")


def vm_kdir():
    kvers = os.listdir(os.path.join(TOP, "build", "vm", "image", "root", "lib", "modules"))
    return "/lib/modules/%s/build" % kvers[0]


def test_example_unit_test_passes_in_user_space():
    r = subprocess.run(["make", "-C", EXAMPLE, "test"], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "10 passed, 0 failed" in r.stdout
    os.remove(os.path.join(EXAMPLE, "test_hello"))


def test_example_builds_out_of_tree_against_the_core():
    assert os.path.exists(os.path.join(TOP, "Module.symvers")), "make modules first"
    r = subprocess.run(["make", "-C", EXAMPLE, "KDIR=" + vm_kdir()],
                       capture_output=True, text=True)
    try:
        assert r.returncode == 0, r.stdout + r.stderr
        assert os.path.exists(os.path.join(EXAMPLE, "vale_lookup_hello.ko"))
        assert "WARNING" not in r.stdout + r.stderr  # e.g. undefined symbols
    finally:
        for f in set(glob.glob(os.path.join(EXAMPLE, "*.mod*")) +
                     glob.glob(os.path.join(EXAMPLE, "*.o"))):
            os.remove(f)
