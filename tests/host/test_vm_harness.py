"""The VM harness itself: exit status, splat detection and timeouts.

These run on the host and boot their own VMs, because what they check is
the harness's verdict on a guest, which no test inside the guest can see.
"""
import os
import subprocess

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.path.join(TOP, "tests", "vm", "run")
WARN_KO = os.path.join(TOP, "build", "test-modules", "vale_warn_test.ko")


def vm(*args, timeout=300):
    return subprocess.run([RUN, *args], capture_output=True, text=True,
                          timeout=timeout, cwd=TOP)


def test_command_exit_status_is_propagated():
    r = vm("--no-load", "--", "sh", "-c", "echo in-guest; exit 3")
    assert r.returncode == 3, r.stderr
    assert "in-guest" in r.stdout


def test_the_end_of_a_long_output_is_not_lost():
    # The command's output crosses a slow emulated UART; the end of it
    # (where pytest prints its summary) must arrive before the VM stops.
    r = vm("--no-load", "--", "sh", "-c", "seq 1 30000; echo last-line")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.split()
    assert lines[-1] == "last-line"
    assert lines[:-1] == [str(i) for i in range(1, 30001)]


def test_command_runs_in_the_repository_with_project_modules_loaded():
    r = vm("--", "sh", "-c", "pwd; grep -c '^vale ' /proc/modules")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == [TOP, "1"]


def test_a_warn_in_the_guest_fails_a_passing_command():
    assert os.path.exists(WARN_KO), "make test-modules first"
    r = vm("--no-load", "--", "insmod", WARN_KO)
    assert r.returncode != 0
    assert "KERNEL SPLAT" in r.stderr
    assert "WARNING:" in r.stderr


def test_timeout_kills_the_vm_and_says_so():
    r = vm("--no-load", "--timeout", "20", "--", "sleep", "600")
    assert r.returncode == 124
    assert "TIMEOUT" in r.stderr


def test_bad_option_is_rejected_before_booting():
    r = vm("--smp", "two", "--", "true")
    assert r.returncode == 2
    assert "not a number" in r.stderr
