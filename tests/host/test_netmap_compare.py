"""The comparison with netmap.ko (bench/run-netmap-compare, the last step of
make bench), without netmap's source: the line make bench prints without a
checkout, the refusal of a folder that is not one, the table and the JSON
figures made from given runs, and the out-of-tree build of netmap.ko run
against a stand-in checkout whose configure and make record what they were
asked (issue 15).
"""
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys

import pytest

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BENCH = os.path.join(TOP, "bench")
sys.path.insert(0, BENCH)
import nmcompare as nm  # noqa: E402


def script(name):
    """A bench script (no .py suffix) as a module."""
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"),
                                                  os.path.join(BENCH, name))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


cmp = script("run-netmap-compare")


def env_without_src(**more):
    env = {k: v for k, v in os.environ.items() if k != "NETMAP_SRC"}
    env.update(more)
    return env


def run(argv, **env):
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, cwd=TOP,
                          env=env_without_src(**env))


def test_without_netmap_src_it_says_skipped_and_how_to_enable_it():
    r = run([os.path.join(BENCH, "run-netmap-compare")])
    assert r.returncode == 0, r.stderr
    assert r.stdout == cmp.SKIPPED + "\n"
    assert r.stdout.startswith("netmap comparison skipped: set NETMAP_SRC=")


def test_make_bench_prints_the_skip_line_as_its_last_step(tmp_path, capfd, monkeypatch):
    monkeypatch.delenv("NETMAP_SRC", raising=False)
    jfile = tmp_path / "results.jsonl"
    script("run-bench").netmap_compare(None, 6, 2, str(jfile))
    out = capfd.readouterr().out
    assert out == cmp.SKIPPED + "\n"
    assert not jfile.exists()


@pytest.mark.parametrize("src", [None, "/x/netmap"])
def test_make_bench_hands_netmap_src_to_run_bench(src):
    # MAKE=true: -n still runs the recipe's $(MAKE) line (the modules' build)
    argv = ["make", "-n", "--no-print-directory", "bench", "MAKE=true"] + \
        ([f"NETMAP_SRC={src}"] if src else [])
    out = run(argv).stdout
    line = [ln for ln in out.splitlines() if ln.startswith("bench/run-bench ")]
    assert len(line) == 1, out
    assert line[0].endswith(f"--netmap-src '{src}'") if src else "--netmap-src" not in line[0]


def test_a_folder_that_is_not_a_netmap_checkout_is_refused_untouched(tmp_path):
    (tmp_path / "README").write_text("not netmap\n")
    r = run([os.path.join(BENCH, "run-netmap-compare")], NETMAP_SRC=str(tmp_path))
    assert r.returncode == 2
    assert f"{tmp_path} is not a netmap checkout (no LINUX/configure" in r.stderr
    assert os.listdir(tmp_path) == ["README"]


def test_run_pktgen_compare_still_does_nothing_without_netmap_src():
    r = run([os.path.join(BENCH, "run-pktgen-compare")])
    assert r.returncode == 0, r.stderr
    assert "set NETMAP_SRC" in r.stdout


# Two rounds of two cases, netmap.ko and ours; ours misses round 2 of pipe.
RUNS = [
    {"case": "vale-60-u", "module": "netmap", "round": 1, "rx_pps": 400000.0},
    {"case": "pipe-60-p", "module": "netmap", "round": 1, "rx_pps": 1800000.0},
    {"case": "vale-60-u", "module": "ours", "round": 1, "rx_pps": 300000.0},
    {"case": "pipe-60-p", "module": "ours", "round": 1, "rx_pps": 1200000.0},
    {"case": "vale-60-u", "module": "netmap", "round": 2, "rx_pps": 500000.0},
    {"case": "pipe-60-p", "module": "netmap", "round": 2, "rx_pps": 1500000.0},
    {"case": "vale-60-u", "module": "ours", "round": 2, "rx_pps": 450000.0},
]


def test_the_table_shows_each_round_and_ours_over_netmap_of_the_best():
    lines = nm.table(RUNS, ["vale-60-u", "pipe-60-p"], "module",
                     [("netmap", "netmap"), ("ours", "ours")])
    assert lines == [
        "case              netmap Mpps        ours Mpps   ours/netmap",
        "vale-60-u       0.400   0.500    0.300   0.450          0.90",
        "pipe-60-p       1.800   1.500    1.200       -          0.67",
    ]


def test_a_case_without_a_reference_run_has_no_ratio():
    lines = nm.table(RUNS[2:3], ["vale-60-u"], "module", [("netmap", "a"), ("ours", "b")])
    assert lines[0].split() == ["case", "a", "Mpps", "b", "Mpps", "b/a"]
    assert lines[1].split() == ["vale-60-u", "-", "0.300", "-"]


def test_the_json_figures_are_each_modules_best_with_the_ratio_on_ours():
    rows = cmp.json_rows(RUNS, ["vale-60-u", "pipe-60-p"], 6.0, 2, "v1")
    by = {r["case"]: r for r in rows}
    assert sorted(by) == ["nmcmp-netmap.ko-pipe-60B-pinned", "nmcmp-netmap.ko-vale-60B",
                          "nmcmp-vale.ko-pipe-60B-pinned", "nmcmp-vale.ko-vale-60B"]
    ours = by["nmcmp-vale.ko-vale-60B"]
    assert ours["where"] == "vm" and ours["module"] == "vale" and not ours["pinned"]
    assert ours["mpps"] == 0.45 and ours["netmap_mpps"] == 0.5
    assert ours["ratio_to_netmap"] == 0.9
    assert ours["samples_mpps"] == [0.3, 0.45]
    assert ours["gbps"] == round(450000 * 60 * 8 / 1e9, 4)
    theirs = by["nmcmp-netmap.ko-pipe-60B-pinned"]
    assert theirs["mpps"] == 1.8 and theirs["pinned"] and theirs["len"] == 60
    assert "ratio_to_netmap" not in theirs
    assert by["nmcmp-vale.ko-pipe-60B-pinned"]["ratio_to_netmap"] == round(1.2 / 1.8, 3)
    json.dumps(rows)


# A stand-in for netmap's LINUX/configure: it records its folder and
# arguments, and writes a makefile that counts its runs and makes netmap.ko.
FAKE_CONFIGURE = """#!/bin/sh
[ -n "$FAIL_CONFIGURE" ] && { echo "configure: no kernel here"; exit 1; }
echo "$PWD $*" >> "$LOG"
printf 'all:\\n\\techo make >> $(LOG)\\n\\ttouch netmap.ko\\n' > GNUmakefile
"""


@pytest.fixture
def fake_src(tmp_path):
    src = tmp_path / "netmap"
    (src / "LINUX").mkdir(parents=True)
    conf = src / "LINUX" / "configure"
    conf.write_text(FAKE_CONFIGURE)
    conf.chmod(0o755)
    return src


def tree(path):
    return sorted((os.path.relpath(os.path.join(d, f), path), os.path.getmtime(os.path.join(d, f)))
                  for d, _, files in os.walk(path) for f in files)


def test_netmap_ko_is_configured_and_built_outside_the_checkout(tmp_path, fake_src,
                                                                monkeypatch):
    log = tmp_path / "log"
    monkeypatch.setenv("LOG", str(log))
    out = str(tmp_path / "build" / "netmap-kmod")
    before = tree(fake_src)
    said = []
    ko = nm.build_kmod(str(fake_src), "/k/build", out, log=said.append)
    assert ko == os.path.join(out, "netmap.ko") and os.path.exists(ko)
    assert log.read_text().splitlines() == [
        f"{out} --kernel-dir=/k/build --no-drivers --no-apps --no-utils", "make"]
    assert len(said) == 1 and "configuring netmap.ko" in said[0]
    assert tree(fake_src) == before
    assert os.path.exists(out + ".log")

    # again: make only; another kernel: configure again, in a fresh folder
    nm.build_kmod(str(fake_src), "/k/build", out, log=said.append)
    assert log.read_text().splitlines()[2:] == ["make"]
    (tmp_path / "build" / "netmap-kmod" / "leftover").write_text("")
    nm.build_kmod(str(fake_src), "/k2/build", out, log=said.append)
    assert log.read_text().splitlines()[3:] == [
        f"{out} --kernel-dir=/k2/build --no-drivers --no-apps --no-utils", "make"]
    assert not os.path.exists(os.path.join(out, "leftover"))
    assert tree(fake_src) == before


def test_a_failed_netmap_configure_shows_the_end_of_its_log(tmp_path, fake_src, monkeypatch):
    monkeypatch.setenv("LOG", str(tmp_path / "log"))
    monkeypatch.setenv("FAIL_CONFIGURE", "1")
    out = str(tmp_path / "netmap-kmod")
    with pytest.raises(RuntimeError) as e:
        nm.build_kmod(str(fake_src), "/k/build", out, log=lambda s: None)
    assert "configure: no kernel here" in str(e.value)
    assert "--kernel-dir=/k/build" in str(e.value)
    # a failed configure is not remembered: the next build configures again
    monkeypatch.delenv("FAIL_CONFIGURE")
    nm.build_kmod(str(fake_src), "/k/build", out, log=lambda s: None)
    assert (tmp_path / "log").read_text().splitlines()[0].endswith("--no-utils")
