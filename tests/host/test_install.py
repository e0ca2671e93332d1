"""make install into a DESTDIR: the exact list of files, each where a Debian
or Ubuntu host looks for it, and the installed tools runnable from there
(issue 14). The VM suite tests/install takes the same install for real
(modules loaded by alias from the kernel's tree)."""
import os
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(TOP, "VERSION")) as _f:
    VERSION = _f.read().strip()
PY = "python%d.%d" % sys.version_info[:2]
PYCTL = sorted(f[:-3] for f in os.listdir(os.path.join(TOP, "pyctl", "vale")) if f.endswith(".py"))


def built_kver():
    ko = os.path.join(TOP, "build", "modules", "vale.ko")
    if not os.path.exists(ko):
        pytest.fail("build/modules/vale.ko is missing: make modules first")
    info = subprocess.run(["/sbin/modinfo", "-F", "vermagic", ko], capture_output=True,
                          text=True, check=True).stdout
    return info.split()[0]


def expected_files(kver, prefix):
    pydir = f"{prefix}/lib/{PY}/dist-packages"
    dist = f"{pydir}/vale-{VERSION}.dist-info"
    files = [f"/lib/modules/{kver}/updates/vale/{m}.ko"
             for m in ("vale", "vale_lookup_l3", "vale_lookup_of")]
    files += [f"{prefix}/bin/{p}" for p in ("pkt-gen", "vale", "valectl")]
    files += [f"{prefix}/share/man/man8/valectl.8"]
    files += [f"{prefix}/include/{h}" for h in ("net/netmap.h", "net/netmap_legacy.h",
                                                 "uapi/linux/vale.h", "vale/lookup.h",
                                                 "vale/uport.h")]
    files += [f"{prefix}/lib/libvale-user.a", f"{prefix}/lib/pkgconfig/vale-module.pc",
              f"{prefix}/lib/vale/symvers/{kver}/Module.symvers"]
    files += [f"{pydir}/vale/{m}.py" for m in PYCTL]
    files += [f"{pydir}/vale/__pycache__/{m}.cpython-{sys.version_info[0]}{sys.version_info[1]}.pyc"
              for m in PYCTL]
    files += [f"{dist}/{f}" for f in ("INSTALLER", "METADATA", "RECORD", "entry_points.txt",
                                      "top_level.txt")]
    files += ["/lib/systemd/system/vale-topology.service",
              "/lib/systemd/system-generators/vale-topology-generator"]
    return sorted(files)


def install(dest, *args):
    return subprocess.run(["make", "-C", TOP, "--no-print-directory", "install",
                           f"DESTDIR={dest}", *args], capture_output=True, text=True)


def listing(dest):
    return sorted("/" + os.path.relpath(os.path.join(d, f), dest)
                  for d, _, fs in os.walk(dest) for f in fs)


@pytest.mark.parametrize("prefix", ["/usr/local", "/opt/vale"])
def test_install_puts_exactly_these_files(tmp_path, prefix):
    kver = built_kver()
    r = install(tmp_path, f"PREFIX={prefix}")
    assert r.returncode == 0, r.stdout + r.stderr
    assert listing(tmp_path) == expected_files(kver, prefix)
    # Under DESTDIR the module index is the target's business: say so.
    assert f"depmod skipped; on the target run: depmod -a {kver}" in r.stdout
    for prog in ("valectl", "pkt-gen", "vale"):
        assert os.access(tmp_path / prefix.lstrip("/") / "bin" / prog, os.X_OK), prog
    # The boot-time unit runs the vale command of this PREFIX.
    with open(tmp_path / "lib/systemd/system/vale-topology.service") as f:
        assert f"ExecStart={prefix}/bin/vale apply /etc/vale/topology.toml" in f.read()


def test_installed_commands_report_the_release(tmp_path):
    assert install(tmp_path).returncode == 0
    bindir = tmp_path / "usr/local/bin"
    for prog in ("valectl", "pkt-gen"):
        out = subprocess.run([bindir / prog, "--version"], capture_output=True, text=True,
                             check=True).stdout
        assert out.startswith(f"{prog} {VERSION} "), out
    # The console script runs the package installed beside it: point its
    # path at the DESTDIR copy, as the target's PYDIR would be.
    pydir = tmp_path / f"usr/local/lib/{PY}/dist-packages"
    out = subprocess.run([sys.executable, bindir / "vale", "--version"], capture_output=True,
                         text=True, env=dict(os.environ, PYTHONPATH=str(pydir))).stdout
    assert out.startswith(f"vale {VERSION} "), out
    with open(pydir / f"vale-{VERSION}.dist-info" / "RECORD") as f:
        record = sorted(line.split(",")[0] for line in f)
    assert f"vale/cli.py" in record and f"vale-{VERSION}.dist-info/RECORD" in record
    for v in subprocess.run(["/sbin/modinfo", "-F", "version",
                             *sorted((tmp_path / "lib/modules").rglob("*.ko"))],
                            capture_output=True, text=True, check=True).stdout.split():
        assert v == VERSION


def test_uninstall_takes_back_every_file(tmp_path):
    assert install(tmp_path).returncode == 0
    r = subprocess.run(["make", "-C", TOP, "--no-print-directory", "uninstall",
                        f"DESTDIR={tmp_path}"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert listing(tmp_path) == []


def test_version_is_one_release_everywhere():
    with open(os.path.join(TOP, "pyctl", "pyproject.toml")) as f:
        assert f'version = "{VERSION}"' in f.read()
    sys.path.insert(0, os.path.join(TOP, "pyctl"))
    try:
        import vale
        assert vale.__version__ == VERSION
    finally:
        sys.path.pop(0)


def test_install_by_a_user_whose_path_lacks_sbin(tmp_path):
    """modinfo and depmod are in /usr/sbin, not on an ordinary user's PATH:
    the release the modules are for must still be read off vale.ko."""
    kver = built_kver()
    r = subprocess.run(["make", "-C", TOP, "--no-print-directory", "install", f"DESTDIR={tmp_path}"],
                       capture_output=True, text=True,
                       env=dict(os.environ, PATH="/usr/local/bin:/usr/bin:/bin"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert listing(tmp_path) == expected_files(kver, "/usr/local")
