"""The fault injection knobs of the debug kernel, shared by the
test_fault_injection*.py suites: failslab and fail_page_alloc limited to
this task (task-filter, make-it-fail) or to its N-th allocation (fail-nth),
and a wrapper that runs one system call (or one control request) under
them and checks that it failed cleanly, if it failed.

Skip the suites with `requires_fault_injection` on kernels without fault
injection (Debian's: the normal lane).
"""
import errno
import os
import random

import pytest

from conftest import dmesg_mark, dmesg_since

DEBUGFS = "/sys/kernel/debug"
FAILSLAB = DEBUGFS + "/failslab"
FAIL_PAGE_ALLOC = DEBUGFS + "/fail_page_alloc"

requires_fault_injection = pytest.mark.skipif(
    not (os.path.isdir(FAILSLAB) and os.path.isdir(FAIL_PAGE_ALLOC)
         and os.path.exists("/proc/self/make-it-fail")),
    reason="no failslab/fail_page_alloc in debugfs: this kernel has no fault "
           "injection (it runs on the debug kernel: make check-debug)")

# The seed of every random choice (VALE_FI_SEED replays a run; printed).
SEED = int(os.environ.get("VALE_FI_SEED", "0")) or random.randrange(1 << 30)

SPLATS = ("WARNING:", "BUG:", "Oops", "KASAN", "UBSAN", "refcount_t",
          "corruption", "possible circular", "possible recursive",
          "inconsistent lock", "ODEBUG", "unreferenced object")


class Injector:
    """The failslab and fail_page_alloc attributes, this task's
    make-it-fail and fail-nth. Everything is switched off by close()."""

    def __init__(self):
        self.mif = os.open("/proc/self/make-it-fail", os.O_WRONLY)
        self.nth = os.open("/proc/thread-self/fail-nth", os.O_RDWR)
        for d in (FAILSLAB, FAIL_PAGE_ALLOC):
            self._set(d, "probability", 0)
            self._set(d, "interval", 1)
            self._set(d, "times", -1)
            self._set(d, "space", 0)
            self._set(d, "verbose", 0)
            self._set(d, "task-filter", "Y")
            # Our allocations may sleep (GFP_KERNEL): fail those too.
            self._set(d, "ignore-gfp-wait", "N")
        self._set(FAIL_PAGE_ALLOC, "min-order", 0)
        # Spares the test's own user pages (page faults on its heap).
        self._set(FAIL_PAGE_ALLOC, "ignore-gfp-highmem", "Y")

    @staticmethod
    def _set(d, name, value):
        with open(os.path.join(d, name), "w") as f:
            f.write("%s\n" % value)

    def probability(self, percent):
        for d in (FAILSLAB, FAIL_PAGE_ALLOC):
            self._set(d, "probability", percent)

    def verbose(self, level):
        """2: log the stack of each injected failure."""
        for d in (FAILSLAB, FAIL_PAGE_ALLOC):
            self._set(d, "verbose", level)

    def task_on(self):
        os.write(self.mif, b"1")

    def task_off(self):
        os.write(self.mif, b"0")

    def arm_nth(self, n):
        os.pwrite(self.nth, b"%d" % n, 0)

    def disarm_nth(self):
        """Returns how many allocations were left before the armed failure
        (0: it was injected)."""
        left = int(os.pread(self.nth, 32, 0).strip() or b"0")
        os.pwrite(self.nth, b"0", 0)
        return left

    def close(self):
        self.task_off()
        self.disarm_nth()
        self.probability(0)
        os.close(self.mif)
        os.close(self.nth)


class Calls:
    """Runs the system calls under test with failures switched on, checks
    that each failure is clean, and counts the outcomes per call."""

    def __init__(self, inj, clean=(errno.ENOMEM,)):
        self.inj = inj
        self.clean = set(clean)  # the errnos of a clean failure
        self.mode = None      # None, "random" or ("nth", call index, n)
        self.index = 0        # calls made in this round
        self.injected = False
        self.trace = []       # what the calls of this round were
        self.stats = {}
        self.unclean = None   # the first call that failed uncleanly

    def start_round(self, mode):
        self.mode, self.index, self.injected, self.trace = mode, 0, False, []

    def __call__(self, what, fn, *args):
        """fn(*args) -> (result, 0) or (None, errno)."""
        nth = isinstance(self.mode, tuple) and self.mode[1] == self.index
        self.index += 1
        self.trace.append(what)
        if nth:
            self.inj.arm_nth(self.mode[2])
        elif self.mode == "random":
            self.inj.task_on()
        err, text = 0, ""
        try:
            res = fn(*args)
        except OSError as e:
            res, err, text = None, e.errno, str(e)
        except MemoryError:  # Python's malloc met an ENOMEM
            res, err = None, errno.ENOMEM
        finally:
            if nth:
                self.injected = self.inj.disarm_nth() == 0
            elif self.mode == "random":
                self.inj.task_off()
        key = (what, errno.errorcode.get(err, str(err)) if err else "ok")
        self.stats[key] = self.stats.get(key, 0) + 1
        if err and err not in self.clean and self.unclean is None:
            self.unclean = "%s failed with %s, not a clean %s (call %d, mode %s, seed %d): %s" % (
                what, errno.errorcode.get(err, err),
                "/".join(errno.errorcode[e] for e in sorted(self.clean)),
                self.index - 1, self.mode, SEED, text)
        return res, err

    def check(self, replay=None):
        """Fail on an unclean failure; replay() (the same round, for
        fail-nth) once more with the injected failure's stack logged."""
        if self.unclean is None:
            return
        msg, log = self.unclean, []
        if replay is not None:
            self.inj.verbose(2)
            mark = dmesg_mark()
            try:
                replay()
            finally:
                self.inj.verbose(0)
            log = dmesg_since(mark)
            start = [i for i, l in enumerate(log) if "FAULT_INJECTION" in l]
            log = log[start[-1]:start[-1] + 40] if start else log[-40:]
        pytest.fail("\n".join([msg, "the failed allocation:" if log else ""] + log))


def run_steps(call, steps, failing, how):
    """Each (what, fn, *args) of 'steps' through 'call', with failures
    injected in step number 'failing' only, the way 'how' says: "random",
    or ("nth", N) to fail its N-th allocation. Returns how many steps were
    done before the first failure."""
    for done, (what, fn, *args) in enumerate(steps):
        call.mode = None
        if done == failing:
            call.mode = how if how == "random" else ("nth", call.index, how[1])
        _, err = call(what, fn, *args)
        if err:
            return done
    return len(steps)


def random_rounds(calls, rnd, rounds, do_round, undo, steps):
    """'rounds' rounds of do_round(rno) (-> how many of its 'steps' were
    done; it injects through run_steps(..., "random")), each at a failure
    probability drawn from rnd, each checked and then undo(rno)ne.
    Returns how many rounds completed."""
    completed = 0
    for rno in range(rounds):
        calls.inj.probability(rnd.choice((1, 5, 10, 25, 50)))
        calls.start_round(None)
        try:
            done = do_round(rno)
        finally:
            calls.inj.probability(0)
            calls.start_round(None)
        calls.check()
        completed += done == steps
        undo(rno)
    return completed


def each_allocation_in_turn(calls, step, do_round, undo, steps, stride=1, limit=5000):
    """Rounds do_round(("nth", N)) (-> steps done; it injects through
    run_steps(..., ("nth", N)) into step number 'step') for N = 1, 1 +
    stride, ... until that step makes fewer allocations, each checked and
    undo()ne; the undisturbed last round must complete all 'steps'.
    Returns (the step's name, the N of its last allocation failed)."""
    n = 1
    while True:
        calls.start_round(None)
        done = do_round(("nth", n))
        injected, what = calls.injected, calls.trace[step]
        calls.start_round(None)
        calls.check()
        undo()
        if not injected:
            assert done == steps, "an undisturbed round failed at step %d" % done
            return what, n - 1
        n += stride
        assert n < limit, "%s never runs out of allocations" % what


def assert_quiet(mark, what):
    bad = [l for l in dmesg_since(mark) if any(s in l for s in SPLATS)]
    assert not bad, "%s: the kernel complained:\n%s" % (what, "\n".join(bad[:30]))


def report(calls, what):
    print("%s: seed %d, outcomes: %s" % (what, SEED, ", ".join(
        "%s %s: %d" % (w, r, n) for (w, r), n in sorted(calls.stats.items()))))
