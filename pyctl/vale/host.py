"""What the host says about names the kernel's requests will look up,
outside the "vale" family: the network interfaces of this network
namespace (a NIC is attached by name) and the lookup modules modprobe can
load (LOOKUP_SET and SWITCH_NEW load "vale-lookup-NAME" on demand).
`apply` asks before it changes anything (vale.apply_check).
"""
import os
import socket
import subprocess
from dataclasses import dataclass
from typing import Optional

ARPHRD_ETHER = 1        # include/uapi/linux/if_arp.h
IFF_LOOPBACK = 0x8      # include/uapi/linux/if.h
ETH_ALEN = 6
SYS_NET = "/sys/class/net"


@dataclass(frozen=True)
class NetDev:
    """A network interface, as far as this namespace's sysfs tells (None:
    not told, when /sys is another namespace's)."""
    name: str
    index: int
    type: Optional[int] = None          # ARPHRD_*
    loopback: Optional[bool] = None
    addr_len: Optional[int] = None
    master: Optional[str] = None        # the bridge or bond it is enslaved to
    master_kind: Optional[str] = None   # "bridge", "bond"

    def unusable(self):
        """Why the kernel can never make it a port (drivers/nic.c
        nm_nic_usable), or None; only what sysfs shows is known."""
        if self.loopback:
            return "the loopback interface cannot be a port"
        if (self.type is not None and self.type != ARPHRD_ETHER) or \
                (self.addr_len is not None and self.addr_len != ETH_ALEN):
            return "not an Ethernet interface"
        return None

    def taken(self):
        """Who else receives its frames (nm_nic_taken: the kernel says
        EBUSY), or None.  Bridges and bonds only: sysfs names them; the
        kernel refuses the rest (a team, a macvlan's lower device) itself."""
        if self.master_kind is None:
            return None
        return "a port of Linux bridge %s" % self.master if self.master_kind == "bridge" \
            else "enslaved to bond %s" % self.master


def _read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def netdev(name):
    """The network interface called name in this process's network
    namespace, or None.  Its existence is asked of the kernel (SIOCGIFINDEX,
    which acts in the caller's namespace); sysfs describes it only where
    it shows the same interface (a /sys mounted for another namespace
    may show another one of that name, or none)."""
    if not name or "/" in name or name in (".", ".."):
        return None
    try:
        index = socket.if_nametoindex(name)
    except OSError:
        return None
    base = os.path.join(SYS_NET, name)
    if _read(os.path.join(base, "ifindex")) != str(index):
        return NetDev(name, index)
    flags = _read(os.path.join(base, "flags"))
    kind = None
    master = None
    if os.path.isdir(os.path.join(base, "brport")):
        kind = "bridge"
    elif os.path.isdir(os.path.join(base, "bonding_slave")):
        kind = "bond"
    if kind is not None:
        link = os.path.join(base, "master")
        master = os.path.basename(os.readlink(link)) if os.path.islink(link) else "?"
    num = _read(os.path.join(base, "type")), _read(os.path.join(base, "addr_len"))
    return NetDev(name, index,
                  type=int(num[0]) if num[0] and num[0].isdigit() else None,
                  loopback=bool(int(flags, 16) & IFF_LOOPBACK) if flags else None,
                  addr_len=int(num[1]) if num[1] and num[1].isdigit() else None,
                  master=master, master_kind=kind)


def _modprobe():
    """The program the kernel runs to load modules (its request_module
    uses this one), else modprobe where it usually is."""
    path = _read("/proc/sys/kernel/modprobe")
    for p in (path, "/sbin/modprobe", "/usr/sbin/modprobe"):
        if p and os.access(p, os.X_OK):
            return p
    return None


def _modules_alias():
    return os.path.join("/lib/modules", os.uname().release, "modules.alias")


def _alias_known(alias):
    """Whether modules.alias of the running kernel names alias (when
    there is no modprobe to ask)."""
    try:
        with open(_modules_alias()) as f:
            return any(line.split()[1:2] == [alias] for line in f
                       if line.startswith("alias "))
    except OSError:
        return False


def lookup_loadable(module):
    """Can the kernel load lookup module 'module' when a switch asks for
    it: does modprobe know "vale-lookup-MODULE" (an alias the module
    declares, found in modules.alias, modprobe.d or built in)?"""
    alias = "vale-lookup-" + module
    prog = _modprobe()
    if prog is None:
        return _alias_known(alias)
    try:
        r = subprocess.run([prog, "-n", "-q", alias], stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return _alias_known(alias)
    return r.returncode == 0
