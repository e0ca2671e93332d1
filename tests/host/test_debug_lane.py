"""The debug lane of the VM harness (tests/vm/run --debug-kernel).

It must boot the debug kernel with its checkers on, pass a clean command
(whose boot log names lockdep harmlessly), and fail a run that leaks kernel
memory or makes lockdep report, even when the command succeeds.
Skipped until the debug kernel is built (make debug-kernel, about 34 minutes
on 2 cores), so that a fresh machine's make check does not pay for it.
"""
import os
import subprocess

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(TOP, "tests", "vm", "run")
BUILD_DEBUG_KERNEL = os.path.join(TOP, "scripts", "build-debug-kernel")
LEAK_KO = os.path.join(TOP, "build", "test-modules-debug", "vale_leak_test.ko")
LOCKDEP_KO = os.path.join(TOP, "build", "test-modules-debug", "vale_lockdep_test.ko")

pytestmark = pytest.mark.skipif(
    subprocess.run([BUILD_DEBUG_KERNEL, "--dir"], capture_output=True).returncode != 0,
    reason="the debug kernel is not built (make debug-kernel, about 34 min)")


def vm(*args, timeout=600):
    return subprocess.run([RUN, "--debug-kernel", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=TOP)


def test_debug_kernel_boots_with_its_checkers_and_passes_a_clean_command():
    r = vm("--no-load", "--", "sh", "-c",
           "uname -r; test -e /proc/lockdep_stats && "
           "test -e /sys/kernel/debug/kmemleak && "
           "test -e /sys/kernel/debug/failslab && "
           "test -e /sys/kernel/debug/fail_page_alloc && "
           "grep -q kmemleak=on /proc/cmdline && "
           "dmesg | grep -q 'RCU lockdep checking is enabled' && echo checkers-on")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [r.stdout.split()[0], "checkers-on"]
    assert r.stdout.split()[0].endswith("-vale-debug")


def insmod_fails_the_run(ko):
    """insmod ko, which succeeds, in a debug boot: the run must fail (125);
    returns what the harness said."""
    assert os.path.exists(ko), "make debug-test-modules first"
    r = vm("--no-load", "--", "insmod", ko)
    assert r.returncode == 125, r.stderr
    return r.stderr


def test_a_leak_in_the_guest_fails_a_passing_command():
    said = insmod_fails_the_run(LEAK_KO)
    assert "KERNEL MEMORY LEAK" in said
    assert "unreferenced object" in said
    assert "vale_leak_test" in said  # the backtrace names the module


def test_a_lockdep_report_in_the_guest_fails_a_passing_command():
    said = insmod_fails_the_run(LOCKDEP_KO)
    assert "KERNEL SPLAT" in said
    assert "possible circular locking dependency detected" in said
