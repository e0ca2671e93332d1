"""Fault injection on the control plane: the "vale" generic netlink family.

Each round makes a switch and a persistent interface, attaches one to the
other, reads the port and dumps the switch's ports, detaches, and removes
both, through pyctl, over a socket opened without failures; failslab and
fail_page_alloc fail this process's kernel allocations at random
(probability drawn per round) during one of those requests, drawn per round
too, so that each is tested as often (making a netdev alone has hundreds of
allocations: failing them in every request would rarely get past it). Every
request must
succeed or fail with ENOMEM, or with ENOBUFS: netlink could not allocate a
message, the request itself or the kernel's reply or ack, so the request
may or may not have been done. A round stops at its first failure and what
it made is removed without failures; that must always work (a leaked
reference shows up as EBUSY there). Afterwards no switch, port or
interface of ours is left, the names work again, and vale unloads.
Splats and leaks also fail the run in the harness (tests/vm/run
--debug-kernel).
"""
import errno
import os
import random
import sys

import pytest

from conftest import TOP, dmesg_mark, load_core, module_loaded, run
from faultinject import (SEED, Calls, Injector, assert_quiet, each_allocation_in_turn,
                         random_rounds, report, requires_fault_injection, run_steps)

sys.path.insert(0, os.path.join(TOP, "pyctl"))
import vale  # noqa: E402

pytestmark = requires_fault_injection

# Rounds (VALE_FI_CTL_ROUNDS overrides): a round makes and registers a
# netdev, about 1 s on the debug kernel (TCG, 2 cores).
ROUNDS = int(os.environ.get("VALE_FI_CTL_ROUNDS", "200"))
NAMES = 4  # switches valefc0..3 and interfaces vfcif0..3, reused
CLEAN = (errno.ENOMEM, errno.ENOBUFS)
STEPS = 8  # requests in a round
IF_ADD = 1  # the round's "if add", a netdev's registration


def ctl_round(call, v, rnd, rno, failing=None, how="random"):
    """The life of one switch and one interface, with failures injected in
    request number 'failing' only; returns how many of the requests were
    done before the first failure."""
    sw, vif = "valefc%d" % (rno % NAMES), "vfcif%d" % (rno % NAMES)
    steps = [
        ("switch add", v.add_switch, sw),
        ("if add", lambda name: v.add_if(name, tx_slots=rnd.choice((64, 128)),
                                         rx_slots=rnd.choice((64, 128))), vif),
        ("port attach", v.attach, sw, vif),
        ("port show", v.port, sw, vif),
        ("port dump", v.ports, sw),
        ("port detach", v.detach, sw, vif),
        ("if del", v.del_if, vif),
        ("switch del", v.del_switch, sw),
    ]
    return run_steps(call, steps, failing, how)


def undo(sw, vif):
    """Remove what a round left, with no failures injected, over a fresh
    socket (the round's may hold a reply it never read). Whatever exists
    must go: a reference the failed request forgot to drop shows here."""
    with vale.Vale() as v:
        if sw in names(v):
            if any(p.name == vif for p in v.ports(sw)):
                v.detach(sw, vif)
            v.del_switch(sw)
        if vale.control.netdev_exists(vif):
            v.del_if(vif)


def names(v):
    return [s.name for s in v.switches()]


def ours(v):
    """Our switches, ports and interfaces still there."""
    left = ["switch " + s for s in names(v) if s.startswith("valefc")]
    left += ["port %s:%s" % (p.switch, p.name) for p in v.ports() if p.name.startswith("vfcif")]
    left += ["netdev " + n for n in os.listdir("/sys/class/net") if n.startswith("vfcif")]
    return left


@pytest.fixture
def calls():
    load_core()
    inj = Injector()
    try:
        yield Calls(inj, clean=CLEAN)
    finally:
        inj.close()
        load_core()
        for i in range(NAMES):
            undo("valefc%d" % i, "vfcif%d" % i)


def test_control_requests_with_random_allocation_failures(calls):
    rnd = random.Random(SEED)
    mark = dmesg_mark()

    def one_round(rno):
        with vale.Vale() as v:
            return ctl_round(calls, v, rnd, rno, failing=rnd.randrange(STEPS))

    completed = random_rounds(calls, rnd, ROUNDS, one_round,
                              lambda rno: undo("valefc%d" % (rno % NAMES),
                                               "vfcif%d" % (rno % NAMES)), STEPS)
    report(calls, "control requests")
    assert_quiet(mark, "control requests")
    with vale.Vale() as v:
        assert ours(v) == [], "left after undoing every round"
        # The names work again, without failures.
        assert ctl_round(Calls(calls.inj), v, rnd, 0) == STEPS
        assert ours(v) == []
    assert 0 < completed < ROUNDS, "%d of %d rounds completed" % (completed, ROUNDS)
    run("rmmod", "vale")
    assert not module_loaded("vale")


# "if add" registers a netdev: some hundreds of allocations, each costing a
# round of about a second on the debug kernel; one in IF_ADD_STRIDE of them
# fails in turn (VALE_FI_IF_ADD_STRIDE=1: all), every one of the others'.
IF_ADD_STRIDE = int(os.environ.get("VALE_FI_IF_ADD_STRIDE", "8"))


def test_control_requests_with_each_allocation_failing_in_turn(calls):
    """Each request of a round failing at each of its allocation points in
    turn (fail-nth), the rest of the round undisturbed."""
    mark = dmesg_mark()
    points = {}
    for step in range(STEPS):
        def one_round(how):
            with vale.Vale() as v:
                return ctl_round(calls, v, random.Random(SEED), 0, failing=step, how=how)

        what, last = each_allocation_in_turn(
            calls, step, one_round, lambda: undo("valefc0", "vfcif0"), STEPS,
            stride=IF_ADD_STRIDE if step == IF_ADD else 1)
        points[what] = last
    report(calls, "control requests, fail-nth")
    print("allocation points per request:", points)
    assert_quiet(mark, "control requests, fail-nth")
    with vale.Vale() as v:
        assert ours(v) == []
        assert ctl_round(Calls(calls.inj), v, random.Random(SEED), 0) == STEPS
        assert ours(v) == []
    assert points["port attach"] > 0 and points["if add"] > 0
    run("rmmod", "vale")
    assert not module_loaded("vale")
