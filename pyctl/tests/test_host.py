"""vale.host: what this host says about interfaces and lookup modules."""
import os
import stat

from vale import host
from vale.host import NetDev


def test_interfaces_of_this_namespace():
    lo = host.netdev("lo")      # every network namespace has one
    assert lo.index == 1 and lo.loopback
    assert lo.unusable() == "the loopback interface cannot be a port"
    assert lo.taken() is None
    for name in ("no-such-if0", "", "a/b", ".."):
        assert host.netdev(name) is None


def test_what_the_kernel_refuses_of_a_nic():
    assert NetDev("eth0", 2, type=host.ARPHRD_ETHER, loopback=False, addr_len=6).unusable() \
        is None
    assert NetDev("ib0", 2, type=32, loopback=False, addr_len=20).unusable() == \
        "not an Ethernet interface"
    assert NetDev("eth0", 2).unusable() is None     # sysfs of another namespace: not known
    assert NetDev("eth1", 3, master="br0", master_kind="bridge").taken() == \
        "a port of Linux bridge br0"
    assert NetDev("eth2", 4, master="bond0", master_kind="bond").taken() == \
        "enslaved to bond bond0"


def test_a_lookup_module_is_loadable_if_modprobe_knows_its_alias(tmp_path, monkeypatch):
    prog = tmp_path / "modprobe"
    log = tmp_path / "args"
    prog.write_text('#!/bin/sh\nprintf "%%s\\n" "$*" >> %s\n[ "$3" = vale-lookup-yes ]\n' % log)
    prog.chmod(prog.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(host, "_modprobe", lambda: str(prog))
    assert host.lookup_loadable("yes") and not host.lookup_loadable("no")
    assert log.read_text().splitlines() == ["-n -q vale-lookup-yes", "-n -q vale-lookup-no"]


def test_without_modprobe_modules_alias_is_read(tmp_path, monkeypatch):
    aliases = tmp_path / "modules.alias"
    aliases.write_text("# Aliases extracted from modules themselves.\n"
                       "alias vale-lookup-l3 vale_lookup_l3\nalias vale-lookup-of vale_lookup_of\n")
    monkeypatch.setattr(host, "_modprobe", lambda: None)
    monkeypatch.setattr(host, "_modules_alias", lambda: str(aliases))
    assert host.lookup_loadable("l3") and host.lookup_loadable("of")
    assert not host.lookup_loadable("l") and not host.lookup_loadable("hello")
    monkeypatch.setattr(host, "_modules_alias", lambda: os.path.join(str(tmp_path), "none"))
    assert not host.lookup_loadable("l3")
