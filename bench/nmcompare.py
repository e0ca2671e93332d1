# SPDX-License-Identifier: GPL-2.0
"""What the benchmarks against netmap's own code share (run-pktgen-compare:
netmap's pkt-gen beside ours on our module; run-netmap-compare: netmap's
pkt-gen on netmap.ko beside the same pkt-gen on ours).

Both take a netmap checkout that the caller provides (NETMAP_SRC or
--netmap-src); nothing of it is fetched or kept in this tree, and nothing
is written into it: what is built from it goes under build/ (git-ignored).
On the host: the checks of the arguments, the builds (netmap's pkt-gen,
netmap.ko) and the VM boot; in the guest: one pkt-gen run (receiver, then
sender for -t seconds; the receiver's rate) and the table of the runs.
"""
import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(TOP, "build")
OURS = os.path.join(BUILD, "bin", "pkt-gen")
OUR_KO = os.path.join(BUILD, "modules", "vale.ko")
THEIRS_DIR = os.path.join(BUILD, "netmap-pkt-gen")
THEIRS = os.path.join(THEIRS_DIR, "pkt-gen")
KMOD_DIR = os.path.join(BUILD, "netmap-kmod")
LIBNETMAP = ("nmport", "nmreq", "nmctx", "nmctx-pthreads")
# PATH-LEN-PIN: PATH vale (sender on vale0:a, receiver on vale0:b, broadcast
# frames) or pipe (x{1 -> x}1); LEN 60 or 1514; PIN u (the guest scheduler
# places both) or p (sender on vCPU 0, receiver on vCPU 1).
ALL_CASES = tuple(f"{p}-{n}-{a}" for p in ("vale", "pipe") for n in (60, 1514)
                  for a in ("u", "p"))
PORTS = {"vale": ("vale0:a", "vale0:b"), "pipe": ("netmap:x{1", "netmap:x}1")}
PIN_LEGEND = "pin: u = unpinned, p = sender vCPU 0, receiver vCPU 1"
# The test VM's allocator debugging off, as in every VM benchmark
# (bench/run-bench: VM_BENCH_KERNEL_ARGS).
VM_ARGS = ["--smp", "2", "--append", "slub_debug=- page_poison=0"]


# ---- on the host ----------------------------------------------------------

def add_common_args(ap, secs, cases):
    ap.add_argument("-t", type=float, default=secs, help="seconds of traffic per run")
    ap.add_argument("-r", type=int, default=2, help="rounds; the best of each case counts")
    ap.add_argument("--cases", default=",".join(cases),
                    help="comma-separated PATH-LEN-PIN cases: " + ",".join(ALL_CASES))
    ap.add_argument("-j", metavar="FILE", help="append the figures as JSON lines to FILE")
    ap.add_argument("--netmap-src", help="netmap checkout (default $NETMAP_SRC)")
    ap.add_argument("--guest", action="store_true", help=argparse.SUPPRESS)


def check_common_args(ap, args):
    args.cases = [c for c in args.cases.split(",") if c]
    bad = [c for c in args.cases if c not in ALL_CASES]
    if bad or not args.cases:
        ap.error(f"unknown case(s) {','.join(bad)}; known: {','.join(ALL_CASES)}")
    if args.t <= 0 or args.r < 1:
        ap.error("-t must be > 0 and -r >= 1")


def netmap_src(args, prog, needs):
    """The netmap checkout to use: (path, None), or (None, exit status)
    after saying why not (status 0 when none was given: the benchmark is
    optional, and skipping it is not a failure)."""
    src = args.netmap_src or os.environ.get("NETMAP_SRC")
    if not src:
        return None, 0
    missing = [n for n in needs if not os.path.exists(os.path.join(src, n))]
    if missing:
        print(f"{prog}: {src} is not a netmap checkout (no {', '.join(missing)})",
              file=sys.stderr)
        return None, 2
    return os.path.abspath(src), None


def need_ours(prog, paths):
    """Our builds exist? Says which is missing."""
    for need in paths:
        if not os.path.exists(need):
            print(f"{prog}: {need} missing: make KDIR=... modules programs first",
                  file=sys.stderr)
            return False
    return True


def build_pktgen(src):
    """netmap's pkt-gen and the libnetmap it needs, with netmap's own
    headers, under build/; out of date objects only. Returns its path."""
    inc = ["-I", os.path.join(src, "sys"), "-I", os.path.join(src, "apps", "include"),
           "-I", os.path.join(src, "libnetmap")]
    os.makedirs(THEIRS_DIR, exist_ok=True)
    objs = []
    for name in LIBNETMAP:
        c = os.path.join(src, "libnetmap", name + ".c")
        o = os.path.join(THEIRS_DIR, name + ".o")
        objs.append(o)
        if not os.path.exists(o) or os.path.getmtime(o) < os.path.getmtime(c):
            subprocess.run(["cc", "-O2", "-pipe", "-c", c, "-o", o] + inc, check=True)
    lib = os.path.join(THEIRS_DIR, "libnetmap.a")
    subprocess.run(["ar", "rcs", lib] + objs, check=True)
    pg = os.path.join(src, "apps", "pkt-gen", "pkt-gen.c")
    subprocess.run(["cc", "-O2", "-pipe", "-Wall", "-Wextra", "-Wno-address-of-packed-member",
                    "-DNO_PCAP", pg, "-o", THEIRS, lib, "-lpthread", "-lm", "-lrt"] + inc,
                   check=True)
    return THEIRS


def vm_kernel_dir():
    """The build directory of the kernel the test VM boots (as the
    Makefile's VM_KDIR: the release staged under build/vm/image/)."""
    mods = os.path.join(BUILD, "vm", "image", "root", "lib", "modules")
    kvers = sorted(os.listdir(mods)) if os.path.isdir(mods) else []
    return f"/lib/modules/{kvers[0]}/build" if kvers else None


def configure_args(kdir):
    """netmap's LINUX/configure for its module alone: no NIC drivers (the
    benchmark uses VALE ports and pipes), apps or utils."""
    return [f"--kernel-dir={kdir}", "--no-drivers", "--no-apps", "--no-utils"]


def build_kmod(src, kdir, out=KMOD_DIR, log=print):
    """netmap.ko from the checkout src for the kernel at kdir, built out of
    the checkout's tree: its configure runs in out (netmap's configure
    writes to the folder it runs in and reads src), then make there.
    configure (about a minute and a half of compile tests) runs again only
    when src, kdir or src's configure changed; make rebuilds what changed.
    Returns the path of netmap.ko; raises RuntimeError with the end of the
    build's log when a step fails."""
    configure = os.path.join(src, "LINUX", "configure")
    stamp = os.path.join(out, ".vale-configured")
    want = {"src": os.path.realpath(src), "args": configure_args(kdir),
            "configure_mtime": os.path.getmtime(configure)}
    try:
        with open(stamp) as f:
            have = json.load(f)
    except (OSError, ValueError):
        have = None
    logfile = out + ".log"
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(logfile, "w") as lf:
        def step(argv):
            lf.write("$ " + " ".join(argv) + "\n")
            lf.flush()
            if subprocess.run(argv, cwd=out, stdout=lf, stderr=subprocess.STDOUT).returncode:
                lf.close()
                with open(logfile) as f:
                    tail = f.read().splitlines()[-25:]
                raise RuntimeError(f"{' '.join(argv)} failed in {out}; the end of "
                                   f"{logfile}:\n" + "\n".join(tail))
        if have != want:
            log(f"configuring netmap.ko from {src} in {os.path.relpath(out, TOP)}/ "
                "(its compile tests take a minute or two)")
            shutil.rmtree(out, ignore_errors=True)
            os.makedirs(out)
            step([configure] + want["args"])
            with open(stamp, "w") as f:
                json.dump(want, f)
        step(["make", f"-j{os.cpu_count() or 1}"])
    ko = os.path.join(out, "netmap.ko")
    if not os.path.exists(ko):
        raise RuntimeError(f"netmap's build made no {ko} (log: {logfile})")
    return ko


def run_vm(guest_argv, extra=()):
    """One boot of the test VM running guest_argv; its exit status."""
    cmd = [os.path.join(TOP, "tests", "vm", "run"), *VM_ARGS, *extra, "--"] + guest_argv
    return subprocess.run(cmd, cwd=TOP).returncode


# ---- in the guest ---------------------------------------------------------

def cmds(prog, path, size, pin, ours=OURS):
    """(rx argv, tx argv) of one case: prog "theirs" is netmap's pkt-gen,
    any other ours (the build at ours)."""
    txport, rxport = PORTS[path]
    if prog == "theirs":
        # -w 0: no wait for a link; -W: the receiver stops 1 s after the last
        # frame and its rate runs from the first frame to the last
        rx = [THEIRS, "-i", rxport, "-f", "rx", "-N", "-w", "0", "-W"]
        tx = [THEIRS, "-i", txport, "-f", "tx", "-l", str(size), "-N", "-w", "0"]
    else:
        rx = [ours, "-i", rxport, "-f", "rx", "-T", "250"]
        # -v: the port's geometry, printed once it is open (see started())
        tx = [ours, "-i", txport, "-f", "tx", "-l", str(size), "-v"]
    if pin:
        rx += ["-a", "1"]
        tx += ["-a", "0"]
    return rx, tx


THEIR_SPEED = re.compile(r"Speed: ([0-9.]+) ?([KMG]?)pps")
OUR_SUMMARY = re.compile(r"^pkt-gen summary: .*\bpps=([0-9.]+)", re.M)
SCALE = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9}


def rx_pps(prog, text):
    """The receiver's rate in a pkt-gen's output, or None."""
    if prog == "theirs":
        m = THEIR_SPEED.findall(text)
        if not m:
            return None
        v, unit = m[-1]
        return float(v) * SCALE[unit]
    m = OUR_SUMMARY.search(text)
    return float(m.group(1)) if m else None


# What each prints once its port is open and it is about to start.
STARTED = {("theirs", "rx"): "reading from", ("theirs", "tx"): "frags ",
           ("ours", "rx"): "pkt-gen:", ("ours", "tx"): "frags/frame"}


def started(path, prog, who, proc, limit=60.0):
    """Wait until a pkt-gen has its port open and is about to start (on a
    loaded host that can take seconds, which must not eat into the run)."""
    mark = STARTED[("theirs" if prog == "theirs" else "ours", who)]
    end = time.monotonic() + limit
    while time.monotonic() < end and proc.poll() is None:
        with open(path) as f:
            if mark in f.read():
                return True
        time.sleep(0.05)
    return False


def reap(proc, timeout):
    """Wait for proc; returns its rusage (or None if it had to be killed)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        pid, status, ru = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return ru
        time.sleep(0.05)
    proc.kill()
    os.wait4(proc.pid, 0)
    return None


PERF_EVENTS = "syscalls:sys_enter_poll,syscalls:sys_enter_ioctl"


def perf_counts(path):
    """{poll: n, ioctl: n} from perf stat -x, output."""
    calls = {}
    try:
        with open(path) as f:
            for line in f:
                w = line.strip().split(",")
                if len(w) > 2 and w[2].startswith("syscalls:sys_enter_"):
                    try:
                        calls[w[2][len("syscalls:sys_enter_"):]] = int(w[0])
                    except ValueError:
                        pass
    except OSError:
        pass
    return calls


def run_one(prog, case, secs, tmp, diag=False, ours=OURS):
    """One run of case with prog's pkt-gen: receiver, then sender for secs.
    Returns {prog, case, rx_pps, tx, rx: rusage...}; diag adds the poll()
    and ioctl() calls per second of both (perf, over the middle of the run)."""
    path, size, pin = case.split("-")
    rxcmd, txcmd = cmds(prog, path, int(size), pin == "p", ours)
    rxout, txout = os.path.join(tmp, "rx.out"), os.path.join(tmp, "tx.out")
    with open(rxout, "w") as f:
        rx = subprocess.Popen(rxcmd, stdout=f, stderr=subprocess.STDOUT)
    tx, perfs, window = None, [], max(secs - 1.0, 0.5)
    try:
        if not started(rxout, prog, "rx", rx):
            raise RuntimeError(f"{prog} receiver did not start: " + open(rxout).read())
        time.sleep(0.2)
        with open(txout, "w") as f:
            tx = subprocess.Popen(txcmd, stdout=f, stderr=subprocess.STDOUT)
        if not started(txout, prog, "tx", tx):
            raise RuntimeError(f"{prog} sender did not start: " + open(txout).read())
        if diag:
            time.sleep(0.5)
            for who, p in (("tx", tx), ("rx", rx)):
                perfs.append(subprocess.Popen(
                    ["perf", "stat", "-x,", "-e", PERF_EVENTS, "-p", str(p.pid),
                     "-o", os.path.join(tmp, who + ".perf"), "--", "sleep", str(window)],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            for p in perfs:
                p.wait()
            time.sleep(max(secs - 0.5 - window, 0))
        else:
            time.sleep(secs)
        tx.send_signal(signal.SIGINT)
        txru = reap(tx, 30)
        if prog != "theirs":
            time.sleep(0.5)		# what is in flight
            rx.send_signal(signal.SIGINT)
        rxru = reap(rx, 30)	# theirs stops by itself (-W)
    finally:
        for p in (rx, tx):
            if p is not None and p.returncode is None:
                p.kill()
    rxtext = open(rxout).read()
    pps = rx_pps(prog, rxtext)
    if pps is None:
        raise RuntimeError(f"{prog} {case}: no receive rate:\n{rxtext}\n{open(txout).read()}")
    res = {"prog": prog, "case": case, "rx_pps": pps}
    for who, ru in (("tx", txru), ("rx", rxru)):
        if ru is not None:
            res[who] = {"user": ru.ru_utime, "sys": ru.ru_stime, "vcsw": ru.ru_nvcsw,
                        "ivcsw": ru.ru_nivcsw}
        if diag:
            calls = perf_counts(os.path.join(tmp, who + ".perf"))
            res[who + "_calls_per_s"] = {k: round(v / window) for k, v in calls.items()}
    return res


def best_of(runs, by):
    """{(case, runs' by field): best rx_pps}."""
    best = {}
    for r in runs:
        key = (r["case"], r[by])
        best[key] = max(best.get(key, 0.0), r["rx_pps"])
    return best


def ratio(num, den):
    return num / den if den else None


def table(runs, cases, by, cols):
    """The lines of the table of runs (dicts with case, round, rx_pps and
    the field by): a row per case; a column per value of by in cols,
    (value, label) with the reference first, showing each round's Mpps in
    round order; then, for every other column, its best over the
    reference's best."""
    rounds = max((r["round"] for r in runs), default=1)
    mpps = {(r["case"], r[by], r["round"]): r["rx_pps"] / 1e6 for r in runs}
    best = best_of(runs, by)
    width = max(7 * rounds + (rounds - 1), max(len(f"{c[1]} Mpps") for c in cols))
    ref, ref_label = cols[0]
    head = f"{'case':<12}" + "".join(f"  {label + ' Mpps':>{width}}" for _, label in cols)
    head += "".join(f"  {label + '/' + ref_label:>12}" for _, label in cols[1:])
    lines = [head]
    for case in cases:
        line = f"{case:<12}"
        for col, _ in cols:
            vals = " ".join(f"{mpps[(case, col, n)]:7.3f}" if (case, col, n) in mpps
                            else f"{'-':>7}" for n in range(1, rounds + 1))
            line += f"  {vals:>{width}}"
        for col, _ in cols[1:]:
            q = ratio(best.get((case, col), 0.0), best.get((case, ref), 0.0))
            line += f"  {'-' if q is None else f'{q:.2f}':>12}"
        lines.append(line)
    return lines
