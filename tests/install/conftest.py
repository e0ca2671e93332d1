"""The installed-tree tests: they run in a guest booted with
`tests/vm/run --install-root` (a writable module tree, /usr/local and /etc,
the kernel's module autoloading on, nothing loaded), where `make install`
puts the project where a real host would have it."""
import os
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def pytest_collection_modifyitems(config, items):
    if os.environ.get("VALE_IN_VM") != "1" or not os.access(f"/lib/modules/{os.uname().release}",
                                                            os.W_OK):
        skip = pytest.mark.skip(reason="run inside tests/vm/run --install-root")
        for item in items:
            item.add_marker(skip)


def run(*cmd, check=True, **kw):
    """Run a command with the installed tools first on PATH."""
    env = dict(os.environ, PATH="/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin")
    return subprocess.run(cmd, check=check, capture_output=True, text=True, env=env, **kw)


def loaded():
    """The names of the modules loaded now."""
    with open("/proc/modules") as f:
        return {line.split()[0] for line in f}
