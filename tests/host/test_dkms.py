"""DKMS builds the kernel modules against a kernel's headers, from the
sources `make dkms-source` gives it (dkms/dkms.conf.in), and what it builds
loads and works in that kernel: here the VM's (issue 14).

DKMS runs with trees of its own under a temporary folder in build/ (which
the VM sees, as it does not see the host's /tmp): --sourcetree,
--dkmstree, --installtree, so the host's /usr/src and /var/lib/dkms are
left alone."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
IMAGE_MODULES = os.path.join(TOP, "build", "vm", "image", "root", "lib", "modules")
with open(os.path.join(TOP, "VERSION")) as _f:
    VERSION = _f.read().strip()
KMODS = ("vale", "vale_lookup_l3", "vale_lookup_of")


def vm_kver():
    kvers = os.listdir(IMAGE_MODULES) if os.path.isdir(IMAGE_MODULES) else []
    if not kvers:
        pytest.skip("no VM kernel under build/vm: run 'make deps'")
    return kvers[0]


@pytest.fixture(scope="module")
def dkms_built():
    if not shutil.which("dkms"):
        pytest.fail("dkms is not installed: run 'make deps'")
    if os.geteuid() != 0:
        pytest.skip("dkms runs as root only")
    kver = vm_kver()
    os.makedirs(os.path.join(TOP, "build"), exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="dkms-test-", dir=os.path.join(TOP, "build")))
    src, tree, inst = tmp / "src", tmp / "tree", tmp / "inst"
    tree.mkdir()
    inst.mkdir()
    subprocess.run(["make", "-s", "-C", TOP, "dkms-source", f"DESTDIR={src}"], check=True)
    trees = ["--sourcetree", str(src / "usr" / "src"), "--dkmstree", str(tree),
             "--installtree", str(inst)]
    for step in (["add"], ["build", "-k", kver]):
        r = subprocess.run(["dkms", *step, "-m", "vale", "-v", VERSION, *trees],
                           capture_output=True, text=True, timeout=900)
        assert r.returncode == 0, f"dkms {step[0]}: {r.stdout}{r.stderr}"
    built = tree / "vale" / VERSION / kver / "x86_64" / "module"
    yield kver, built, tmp
    shutil.rmtree(tmp)


def test_dkms_source_holds_only_what_the_modules_are_built_from(dkms_built):
    # Read after the build, which works in DKMS's own copy (dkmstree).
    _, _, tmp = dkms_built
    src = tmp / "src" / "usr" / "src" / f"vale-{VERSION}"
    with open(src / "dkms.conf") as f:
        conf = f.read()
    assert f'PACKAGE_VERSION="{VERSION}"' in conf
    assert 'AUTOINSTALL="yes"' in conf
    assert not (src / "build").exists() and not (src / "tests").exists()
    assert (src / "kmods.mk").exists() and (src / "Kbuild").exists()


def test_dkms_builds_every_module_for_the_vm_kernel(dkms_built):
    kver, built, _ = dkms_built
    assert sorted(p.name for p in built.iterdir()) == sorted(m + ".ko" for m in KMODS)
    for m in KMODS:
        info = subprocess.run(["modinfo", "-F", "vermagic", str(built / f"{m}.ko")],
                              capture_output=True, text=True, check=True).stdout
        assert info.split()[0] == kver, (m, info)
        ver = subprocess.run(["modinfo", "-F", "version", str(built / f"{m}.ko")],
                             capture_output=True, text=True, check=True).stdout.strip()
        assert ver == VERSION, (m, ver)


def test_dkms_built_modules_run_a_switch_in_the_vm(dkms_built):
    _, built, tmp = dkms_built
    # tests/vm/run loads every .ko of the folder, the core first.
    load = tmp / "load"
    load.mkdir()
    for m in KMODS:
        shutil.copy(built / f"{m}.ko", load)
    valectl = os.path.join(TOP, "build", "bin", "valectl")
    script = (f"{valectl} switch add valedk && {valectl} lookup set valedk l3 && "
              f"{valectl} lookup set valedk of && {valectl} switch show valedk && "
              f"grep -c '^vale' /proc/modules")
    r = subprocess.run([os.path.join(TOP, "tests", "vm", "run"), "--modules", str(load),
                        "--timeout", "300", "--", "sh", "-c", script],
                       capture_output=True, text=True, timeout=400, cwd=TOP)
    assert r.returncode == 0, r.stdout + r.stderr
    out = r.stdout.replace("\r", "")
    assert "valedk" in out and " of" in out, out
    assert out.split()[-1] == "3", out
