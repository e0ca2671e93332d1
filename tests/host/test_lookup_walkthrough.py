"""docs/writing-a-lookup-module.md, run as written.

The page marks its shell blocks: `<!-- walkthrough: host -->` (run on the
host), `<!-- walkthrough: vm -->` (typed in the guest's shell) and
`<!-- walkthrough: vm-boot -->` (the command that boots that shell). The
host blocks run in one bash, in the page's order, with HOME a fresh folder
outside the tree (so ~/hello is a copy of examples/lookup-hello there and
the development kit goes to ~/vale-dev) and VALE the tree; then the guest
blocks run in one boot of the VM, by the boot command as written but
without --interactive, given the blocks as a script (as the page says to
script them). The folder is under /var/tmp, not /tmp: the guest mounts a
tmpfs of its own on /tmp and would not see it.

Needs what `make check` builds first: build/bin (valectl, pkt-gen,
vale-bench) and the VM (make deps).
"""
import os
import re
import shutil
import subprocess
import tempfile

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DOC = os.path.join(TOP, "docs", "writing-a-lookup-module.md")
BLOCK = re.compile(r"<!-- walkthrough: ([a-z-]+) -->\n```sh\n(.*?)```", re.S)


def blocks(kind):
    with open(DOC) as f:
        return [body for k, body in BLOCK.findall(f.read()) if k == kind]


def doc_text():
    with open(DOC) as f:
        return f.read()


def vm_kver():
    return os.listdir(os.path.join(TOP, "build", "vm", "image", "root", "lib", "modules"))[0]


def user_env(home):
    """The environment of a user in a shell: no make variables inherited
    from `make check`, no kit path but what the page sets."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "KDIR",
                        "PKG_CONFIG_PATH", "VALE_DEV", "CFLAGS")}
    env.update(HOME=home, VALE=TOP, PWD=home)
    return env


@pytest.fixture(scope="module")
def host():
    """The host part, once: (home, its CompletedProcess)."""
    home = tempfile.mkdtemp(prefix="vale-walkthrough-", dir="/var/tmp")
    assert not os.path.realpath(home).startswith(os.path.realpath(TOP) + os.sep)
    script = os.path.join(home, "host.sh")
    with open(script, "w") as f:
        f.write("".join(blocks("host")))
    r = subprocess.run(["bash", "-e", "-x", script], cwd=home, env=user_env(home),
                       capture_output=True, text=True, timeout=1200)
    yield home, r
    shutil.rmtree(home, ignore_errors=True)


def test_the_page_marks_its_blocks():
    assert len(blocks("host")) >= 4
    assert len(blocks("vm")) >= 3
    assert len(blocks("vm-boot")) == 1
    assert "--interactive" in blocks("vm-boot")[0]


def test_host_commands_build_test_and_measure_the_copy(host):
    home, r = host
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    hello = os.path.join(home, "hello")
    kver = vm_kver()
    # the kit, for the VM's kernel, said so
    assert "Module.symvers is for kernel %s " % kver in out
    kit = os.path.join(home, "vale-dev")
    for f in ("include/vale/lookup.h", "include/vale/uport.h", "include/uapi/linux/vale.h",
              "include/net/netmap.h", "lib/libvale-user.a", "lib/pkgconfig/vale-module.pc",
              "lib/vale/symvers/%s/Module.symvers" % kver):
        assert os.path.isfile(os.path.join(kit, f)), f
    # the unit test: as many checks as the page says, none failed
    said = re.search(r"prints `(\d+) passed, 0 failed`", doc_text())
    assert said, "the page says how many checks the unit test makes"
    assert "%s passed, 0 failed" % said.group(1) in r.stdout
    # the module, for the VM's kernel, from the copy, with every symbol resolved
    assert "lookup-hello: building for kernel %s" % kver in r.stdout
    ko = os.path.join(hello, "vale_lookup_hello.ko")
    magic = subprocess.run(["modinfo", "-F", "vermagic", ko], capture_output=True,
                           text=True, check=True).stdout
    assert magic.startswith(kver + " ")
    assert "WARNING" not in out  # modpost: undefined symbols, missing symvers
    # vale-bench measured it beside the learning bridge
    assert re.search(r"^hello-2ports-60B .*%", r.stdout, re.M), r.stdout


def test_guest_commands_configure_show_and_dump_the_module(host):
    home, r = host
    assert r.returncode == 0, "the host part failed"
    hello = os.path.join(home, "hello")
    script = os.path.join(home, "vm.sh")
    with open(script, "w") as f:
        f.write("".join(blocks("vm")))
    boot = blocks("vm-boot")[0].strip().replace(" --interactive", "")
    r = subprocess.run(["bash", "-c", boot + " -e -x " + script], cwd=hello,
                       env=user_env(home), capture_output=True, text=True, timeout=900)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out
    # the schema: its setting, its columns, its table
    for word in ("mask", "port", "frames", "counters"):
        assert word in out
    # the setting, as valectl lookup show prints it
    assert re.search(r"mask\W+3\b", out), out
    # the table: pkt-gen's 100 frames to ..:05 went to port 5 & 3 = vi1
    assert re.search(r"vi1\W+(frames\W+)?100\b", out), out
    # valectl monitor saw the module set and configured, as it happened
    assert re.search(r"^lookup.set vale1 .*hello", out, re.M), out
    assert re.search(r"^lookup.config vale1 .*mask\W+3\b", out, re.M), out
    # the learning bridge's command refused on a hello switch, naming hello
    assert "refused, as it should be" in out
    # pyctl: set_config(mask=1) read back, then apply set it to 3 again
    assert re.search(r"'mask': 1\b", out), out
    assert re.search(r"mask = 3\b", out), out
