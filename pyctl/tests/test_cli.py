"""python3 -m vale, on the kernel model: what apply, down and show print
and their exit status."""
import errno
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


def test_a_missing_nic_is_refused_before_any_change(fake, tmp_path, capsys):
    p = tmp_path / "nic.toml"
    p.write_text('[switch.vale0]\nports = ["eth1"]\n')
    status, out, err = run(fake, capsys, "apply", str(p))
    assert (status, out) == (2, "")
    assert err.splitlines() == [
        'vale: %s: switch.vale0.ports[0]: no network interface "eth1" in this network '
        'namespace (a port not declared under [interface] is taken for a NIC)' % p,
        "vale: %s: 1 problem: nothing changed" % p]
    assert fake.calls == [] and fake.state() == ({}, {})


def test_a_refusal_half_way_is_undone_with_status_1(fake, tmp_path, capsys):
    p = tmp_path / "nic.toml"
    p.write_text('[switch.vale0]\nports = ["eth0"]\n')
    fake.refuse(2, code=errno.EBUSY, message="interface open in netmap mode")
    status, out, err = run(fake, capsys, "apply", str(p))
    assert status == 1
    assert out.splitlines() == ["switch add vale0", "undo: switch del vale0"]
    assert err.splitlines() == [
        "vale: port attach vale0 eth0: interface open in netmap mode (EBUSY)",
        "vale: hint: eth0 is not declared under [interface], so it is taken for a NIC",
        "vale: %s: stopped after 1 change of 2: undoing what was done" % p,
        "vale: %s: undone: the kernel is as it was before" % p]
    assert fake.state() == ({}, {})


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


# -- lookup modules by their schema: config, dump, schema, and config in files ----

HELLO = """\
[switch.vale0]
lookup = "hello"
ports = ["vi0"]

[switch.vale0.config]
mask = 15

[interface.vi0]
"""


@pytest.fixture
def model():
    from fakekernel import FakeSocket
    from vale.control import Vale
    m = FakeVale(lookups=("learn", "l3", "hello"))
    m.add_switch("vale0", "learn")
    m.add_switch("vale2", "hello")
    m.add_if("vi0")
    m.attach("vale0", "vi0")
    m.sock = FakeSocket(m)
    m.connect = lambda: Vale(sock=m.sock)
    return m


def vrun(model, capsys, *argv):
    status = main(list(argv), connect=model.connect)
    out, err = capsys.readouterr()
    return status, out, err


def test_config_shows_and_sets_any_modules_settings(model, capsys):
    assert vrun(model, capsys, "config", "vale0") == (0, "ageing=300\n", "")
    assert vrun(model, capsys, "config", "vale0", "ageing=60") == (0, "", "")
    assert vrun(model, capsys, "config", "vale0") == (0, "ageing=60\n", "")
    assert vrun(model, capsys, "config", "vale2", "mask=0x0f") == (0, "", "")
    status, out, _ = vrun(model, capsys, "config", "-j", "vale2")
    assert json.loads(out) == {"mask": 15}
    model.switches_["vale0"].fdb = [("02:00:00:00:00:01", 0, 1, False)]
    assert vrun(model, capsys, "config", "vale0", "flush") == (0, "", "")   # an action
    assert model.switches_["vale0"].fdb == []
    model.set_lookup("vale2", "l3")
    assert vrun(model, capsys, "config", "vale2") == \
        (0, "# vale2: lookup module l3 reports no settings\n", "")


def test_config_refusals(model, capsys):
    status, out, err = vrun(model, capsys, "config", "vale0", "agein=60")
    assert status == 2 and out == ""
    assert err == ('vale: lookup config vale0 agein 60: lookup module "learn": no attribute '
                   '"agein" (it takes: ageing, flush) (agein, EINVAL)\n')
    status, out, err = vrun(model, capsys, "config", "vale0", "ageing=0")
    assert status == 2 and "ageing: 0 is out of range 1..1000000 (ageing, ERANGE)" in err
    status, out, err = vrun(model, capsys, "config", "vale9", "ageing=1")
    assert status == 1 and "no such switch" in err
    assert [n for n, _ in model.sock.requests if n == "LOOKUP_CONFIG"] == []


def test_dump_prints_each_table(model, capsys):
    model.switches_["vale0"].fdb = [("02:00:00:00:00:01", 0, 3, False),
                                    ("02:00:00:00:00:02", 1, 0, True)]
    status, out, _ = vrun(model, capsys, "dump", "vale0")
    assert status == 0
    assert out.splitlines() == [
        "fdb",
        "  MAC                PORT  AGE  CONFIRMED",
        "  02:00:00:00:00:01  vi0   3    -",
        "  02:00:00:00:00:02  1     0    true"]
    status, out, _ = vrun(model, capsys, "dump", "-j", "-N", "vale0", "fdb")
    assert json.loads(out)[0] == {"table": "fdb", "mac": "02:00:00:00:00:01", "port": 0, "age": 3}
    model.switches_["vale2"].counters = {0: 12}
    assert vrun(model, capsys, "dump", "vale2")[1] == "counters\n  PORT  FRAMES\n  0     12\n"
    status, out, err = vrun(model, capsys, "dump", "vale2", "fdb")
    assert status == 1 and "no such table (tables: counters)" in err


def test_schema_command(model, capsys):
    status, out, _ = vrun(model, capsys, "schema", "learn")
    lines = out.splitlines()
    assert lines[0] == "module learn"
    assert lines[1].split() == ["ATTR", "ID", "TYPE", "KIND", "RANGE", "DOC"]
    assert lines[2].split() == ["ageing", "1", "u32", "setting", "1..1000000", "the", "ageing"]
    assert lines[-1] == "  table fdb: the addresses learned"
    status, out, _ = vrun(model, capsys, "schema", "-j")
    assert [s["module"] for s in json.loads(out)] == ["hello", "l3", "learn"]
    status, out, _ = vrun(model, capsys, "schema", "l3")
    assert "(values: unspec, port_set, port_del, addr_add" in out
    status, out, err = vrun(model, capsys, "schema", "nope")
    assert status == 1 and "ENOENT" in err


def test_apply_a_custom_modules_settings_idempotently(fake, tmp_path, capsys):
    fake.lookups.add("hello")
    p = tmp_path / "hello.toml"
    p.write_text(HELLO)
    status, out, err = run(fake, capsys, "apply", str(p))
    assert (status, err) == (0, "")
    assert out.splitlines() == ["if add vi0", "switch add vale0 lookup hello",
                                "lookup config vale0 mask 15", "port attach vale0 vi0",
                                "%s: 4 changes made" % p]
    assert fake.switch("vale0").config == {"mask": 15}
    assert run(fake, capsys, "apply", "-v", str(p))[1] == \
        "%s: no change, the kernel matches it\n" % p
    # show --toml writes the module's settings; applied, it changes nothing
    status, shown, _ = run(fake, capsys, "show", "--toml")
    assert "config = { mask = 15 }" in shown
    q = tmp_path / "shown.toml"
    q.write_text(shown)
    fake.calls.clear()
    assert run(fake, capsys, "apply", "-v", str(q))[1] == \
        "%s: no change, the kernel matches it\n" % q
    assert fake.calls == []
    # an edit is one change, of that setting alone
    p.write_text(HELLO.replace("mask = 15", "mask = 3"))
    assert run(fake, capsys, "apply", str(p))[1].splitlines() == \
        ["lookup config vale0 mask 3", "%s: 1 change made" % p]


def test_apply_refuses_an_unknown_setting_before_any_change(fake, tmp_path, capsys):
    fake.lookups.add("hello")
    p = tmp_path / "bad.toml"
    p.write_text(HELLO.replace("mask = 15", "mask = 15\nageing = 60"))
    for argv, last in ((["apply", "--dry-run", str(p)], "apply would change nothing"),
                       (["apply", str(p)], "nothing changed")):
        status, out, err = run(fake, capsys, *argv)
        assert status == 2
        assert out == "" if last == "nothing changed" else "4 changes to make (dry run" in out
        assert err == ('vale: %s: switch.vale0.config.ageing: lookup module "hello": no setting '
                       '"ageing" (its settings: mask)\nvale: %s: 1 problem: %s\n' % (p, p, last))
        assert fake.calls == [] and fake.state() == ({}, {})


def test_apply_notes_a_module_not_loaded_yet(fake, tmp_path, capsys):
    fake.loadable.add("hello")      # modprobe knows vale-lookup-hello
    p = tmp_path / "t.toml"
    p.write_text(HELLO)
    status, out, err = run(fake, capsys, "apply", "-n", str(p))
    assert status == 0
    assert out.splitlines()[0] == ('note: lookup module "hello" is not loaded: '
                                   'switch.vale0.config is checked when vale0 gets it')


def test_monitor_lines_for_the_new_events():
    from vale.cli import format_event
    from vale.objects import Event, Switch
    assert format_event(Event("if_new", attrs={"VALE_ATTR_IF_NAME": "vi0"})) == "if_new vi0"
    assert format_event(Event("lookup_config", Switch("vale0", lookup="learn",
                                                      config={"ageing": 60}))) == \
        "lookup_config vale0 ageing=60"
    assert format_event(Event("lookup_set", Switch("vale0", lookup="l3"))) == "lookup_set vale0 l3"
    assert format_event(Event("switch_new", Switch("vale0", lookup="l3"))) == "switch_new vale0"


def test_parser_of_the_new_commands():
    a = parser().parse_args(["config", "vale0", "ageing=5", "flush"])
    assert (a.switch, a.settings) == ("vale0", ["ageing=5", "flush"])
    a = parser().parse_args(["dump", "-N", "vale0", "fdb"])
    assert (a.switch, a.table, a.numeric) == ("vale0", "fdb", True)
    a = parser().parse_args(["schema"])
    assert a.module is None
