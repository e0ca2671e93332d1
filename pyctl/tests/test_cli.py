"""python3 -m vale, on the kernel model: what apply, down and show print
and their exit status."""
import json

import pytest

from fakekernel import FakeVale

from vale import topology
from vale.cli import main, parser

TOPO = """\
[switch.vale0]
lookup = "learn"
ports = ["vi0", "vi1"]
config = { ageing = 300 }

[interface.vi0]
[interface.vi1]
"""


@pytest.fixture
def fake():
    return FakeVale()


@pytest.fixture
def topo(tmp_path):
    p = tmp_path / "topo.toml"
    p.write_text(TOPO)
    return str(p)


def run(fake, capsys, *argv):
    status = main(list(argv), connect=lambda: fake)
    out, err = capsys.readouterr()
    return status, out, err


def test_apply_twice(fake, topo, capsys):
    status, out, err = run(fake, capsys, "apply", topo)
    assert status == 0 and err == ""
    assert out.splitlines() == [
        "if add vi0", "if add vi1", "switch add vale0 lookup learn",
        "lookup config vale0 ageing 300", "port attach vale0 vi0", "port attach vale0 vi1",
        "%s: 6 changes made" % topo]
    status, out, err = run(fake, capsys, "apply", topo)
    assert status == 0
    assert out == "%s: no change, the kernel matches it\n" % topo
    # the kernel reports the ageing: an edited one is a change, an unchanged one is not sent
    fake.config_lookup("vale0", ageing=10)
    fake.calls.clear()
    status, out, err = run(fake, capsys, "apply", "-v", topo)
    assert status == 0 and "refresh" not in out
    assert out.splitlines() == ["lookup config vale0 ageing 300", "%s: 1 change made" % topo]
    assert fake.calls == ["lookup config vale0"]
    fake.calls.clear()
    status, out, err = run(fake, capsys, "apply", "-v", topo)
    assert out == "%s: no change, the kernel matches it\n" % topo and fake.calls == []


def test_dry_run_does_nothing(fake, topo, capsys):
    status, out, _ = run(fake, capsys, "apply", "--dry-run", topo)
    assert status == 0
    assert out.splitlines()[-1] == "%s: 6 changes to make (dry run: nothing done)" % topo
    assert "port attach vale0 vi1" in out
    assert fake.calls == [] and fake.state() == ({}, {})


def test_down(fake, topo, capsys):
    run(fake, capsys, "apply", topo)
    status, out, _ = run(fake, capsys, "down", "-n", topo)
    assert status == 0 and "5 changes to make" in out and fake.switches_
    status, out, _ = run(fake, capsys, "down", topo)
    assert status == 0 and out.splitlines()[-1] == "%s: 5 changes made" % topo
    assert fake.state() == ({}, {})
    status, out, _ = run(fake, capsys, "down", topo)
    assert out == "%s: no change, none of it is there\n" % topo


def test_refusal_stops_with_status_1(fake, tmp_path, capsys):
    p = tmp_path / "nic.toml"
    p.write_text('[switch.vale0]\nports = ["eth1"]\n')
    status, out, err = run(fake, capsys, "apply", str(p))
    assert status == 1
    assert out == "switch add vale0\n"
    assert err.splitlines() == [
        "vale: port attach vale0 eth1: no such interface to attach (make one with IF_NEW) (ENXIO)",
        "vale: hint: eth1 is not declared under [interface], so it is taken for a NIC "
        "(or this kernel attaches no NICs)",
        "vale: %s: stopped after 1 change of 2" % p]


def test_bad_file_is_status_2_before_any_request(tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text('[switch.br0]\n')

    def connect():
        raise AssertionError("connected")
    assert main(["apply", str(p)], connect=connect) == 2
    err = capsys.readouterr().err
    assert err.startswith("vale: %s: switch.br0: a switch name is" % p)


def test_usage_is_status_2(capsys):
    with pytest.raises(SystemExit) as ei:
        main(["frobnicate"])
    assert ei.value.code == 2


def test_show(fake, topo, capsys):
    run(fake, capsys, "apply", topo)
    fake.open_ephemeral("vale0", "p7")
    status, out, _ = run(fake, capsys, "show")
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "vale0  lookup learn  3 ports  persistent  ageing 300"
    assert lines[1].split() == ["PORT", "NAME", "KIND", "RINGS", "SLOTS", "TX-PKTS",
                                "TX-BYTES", "RX-PKTS", "RX-BYTES", "DROPS"]
    assert lines[4].split()[:3] == ["2", "p7", "ephemeral"]


def test_show_toml_round_trip(fake, topo, tmp_path, capsys):
    run(fake, capsys, "apply", topo)
    fake.open_ephemeral("vale0", "p7")
    fake.add_if("vi5", tx_slots=256)
    fake.attach("vale3", "vi5")
    status, out, _ = run(fake, capsys, "show", "--toml")
    assert status == 0
    assert "# vale0:p7 (ephemeral, left out)" in out
    shown = tmp_path / "shown.toml"
    shown.write_text(out)
    t = topology.load(str(shown))
    assert t.switches["vale3"].ports == ["vi5"] and t.interfaces["vi5"].tx_slots == 256
    status, out, _ = run(fake, capsys, "apply", str(shown))
    assert status == 0 and out == "%s: no change, the kernel matches it\n" % shown


def test_show_json(fake, topo, capsys):
    run(fake, capsys, "apply", topo)
    status, out, _ = run(fake, capsys, "show", "--json")
    doc = json.loads(out)
    assert [s["name"] for s in doc["switches"]] == ["vale0"]
    assert [p["name"] for p in doc["ports"]] == ["vi0", "vi1"]
    assert doc["ports"][0]["stats"]["rx_packets"] == 0


def test_show_empty(fake, capsys):
    assert run(fake, capsys, "show") == (0, "no switches\n", "")


def test_parser():
    a = parser().parse_args(["apply", "-n", "--prune", "t.toml"])
    assert (a.cmd, a.file, a.dry_run, a.prune) == ("apply", "t.toml", True, True)
    a = parser().parse_args(["monitor", "-c", "3", "-t", "1.5"])
    assert (a.count, a.timeout) == (3, 1.5)
