"""Fault injection on NIC ports (drivers/nic.c): attaching a netdev to a
switch, with or without its host stack, and detaching it, while failslab
and fail_page_alloc fail this process's kernel allocations.

A NIC attach takes the most state of any request: the port and its
rings, the rx handler on the netdev, the host port, the netdev's
reference. Each round attaches one end of a veth pair to a switch and
detaches it again; failures are injected into the attach or the detach,
at random (probability drawn per round) and then at each allocation
point of each in turn (fail-nth). Every request must succeed or fail
with ENOMEM or ENOBUFS (netlink could not allocate a message), and a
failed request must leave nothing: the netdev goes back to the kernel
without our rx handler, so afterwards a Linux bridge can take it, it
carries frames through a switch again, no port or switch of ours is
left, and vale unloads. Splats and leaks fail the run in the harness
(tests/vm/run --debug-kernel).
"""
import errno
import os
import random
import socket
import subprocess
import sys
import time

import pytest

from conftest import TOP, dmesg_mark, load_core, module_loaded, run
from faultinject import (SEED, Calls, Injector, assert_quiet, each_allocation_in_turn,
                         random_rounds, report, requires_fault_injection, run_steps)
from netmap import Port

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402

pytestmark = requires_fault_injection

ROUNDS = int(os.environ.get("VALE_FI_NIC_ROUNDS", "200"))
CLEAN = (errno.ENOMEM, errno.ENOBUFS)
SW, NIC, PEER = "valefn0", "vfnic0", "vfnic0p"
STEPS = 3  # requests in a round: port attach, port show, port detach


def ip(*args):
    subprocess.run(["ip"] + list(args), check=True, capture_output=True)


def nic_round(call, v, host, failing=None, how="random"):
    """Attach NIC (with its host port if 'host') to the switch, read it
    back, detach it, with failures injected in step 'failing' of
    ("port attach", "port show", "port detach"). Returns the number of
    steps done."""
    steps = [("port attach", v.attach, SW, NIC, host),
             ("port show", v.port, SW, NIC),
             ("port detach", v.detach, SW, NIC)]
    return run_steps(call, steps, failing, how)


def undo():
    """Take the NIC off the switch, with no failures, over a fresh socket.
    A reference a failed request forgot to drop shows up here as EBUSY."""
    with vale.Vale() as v:
        if any(p.switch == SW and p.name == NIC for p in v.ports()):
            v.detach(SW, NIC)


def ours(v):
    return ["port %s:%s" % (p.switch, p.name) for p in v.ports()
            if p.name.startswith(NIC)]


def assert_nic_is_free():
    """The netdev has no rx handler left: a Linux bridge can enslave it."""
    ip("link", "add", "vfnbr0", "type", "bridge")
    try:
        ip("link", "set", NIC, "master", "vfnbr0")
        ip("link", "set", NIC, "nomaster")
    finally:
        ip("link", "del", "vfnbr0")


def assert_frames_cross(v):
    """Attached again without failures, the NIC carries a frame sent on its
    peer to an ephemeral port of the switch."""
    v.attach(SW, NIC)
    try:
        with Port(SW + ":p") as port, \
                socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
            s.bind((PEER, 0))
            frame = b"\xff" * 6 + b"\x02\x00\x00\x00\x00\x77" + b"\x88\xb5" + b"fi" * 23
            deadline = time.monotonic() + 10
            got = []
            while not got and time.monotonic() < deadline:
                s.send(frame)
                time.sleep(0.05)
                port.rxsync()
                got = [f for f in port.recv() if f[6:12] == frame[6:12]]
            assert got and got[0][:len(frame)] == frame, "no frame crossed the NIC port"
    finally:
        v.detach(SW, NIC)


@pytest.fixture
def calls():
    load_core()
    for m in ("veth", "bridge"):
        run("modprobe", m)
    ip("link", "add", NIC, "type", "veth", "peer", "name", PEER)
    ip("link", "set", NIC, "up")
    ip("link", "set", PEER, "up")
    with vale.Vale() as v:
        v.add_switch(SW)
    inj = Injector()
    try:
        yield Calls(inj, clean=CLEAN)
    finally:
        inj.close()
        try:
            load_core()
            undo()
            with vale.Vale() as v:
                if SW in [s.name for s in v.switches()]:
                    v.del_switch(SW)
        finally:
            subprocess.run(["ip", "link", "del", NIC], capture_output=True)


def finish(calls, mark, what):
    report(calls, what)
    assert_quiet(mark, what)
    with vale.Vale() as v:
        assert ours(v) == [], "left after undoing every round"
    assert_nic_is_free()
    with vale.Vale() as v:
        assert_frames_cross(v)
        assert ours(v) == []
        v.del_switch(SW)
    run("rmmod", "vale")
    assert not module_loaded("vale")


def test_nic_attach_detach_with_random_allocation_failures(calls):
    rnd = random.Random(SEED)
    mark = dmesg_mark()

    def one_round(_):
        with vale.Vale() as v:
            return nic_round(calls, v, rnd.random() < 0.5, failing=rnd.choice((0, 2)))

    completed = random_rounds(calls, rnd, ROUNDS, one_round, lambda _: undo(), STEPS)
    assert 0 < completed < ROUNDS, "%d of %d rounds completed" % (completed, ROUNDS)
    finish(calls, mark, "NIC attach/detach, random")


@pytest.mark.parametrize("host", [False, True], ids=["nic", "nic+host"])
def test_nic_attach_detach_with_each_allocation_failing_in_turn(calls, host):
    mark = dmesg_mark()
    points = {}
    for step in (0, 2):     # port attach, port detach
        def one_round(how):
            with vale.Vale() as v:
                return nic_round(calls, v, host, failing=step, how=how)

        what, last = each_allocation_in_turn(calls, step, one_round, undo, STEPS, limit=2000)
        points[what] = last
    print("allocation points:", points)
    assert points["port attach"] > 0, "no failure was injected into the attach"
    finish(calls, mark, "NIC attach/detach, fail-nth")
