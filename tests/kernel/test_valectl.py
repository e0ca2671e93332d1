"""valectl (valectl/) against the vale generic netlink family: every
command and its errors with the kernel's extack message and the argument
it points at, exit status 0/1/2, JSON output parsed with json.loads, the
monitor's events, netmap vale-ctl's classic flags, a dump of a full switch,
the same state seen through netmap's ioctl requests, and the lookup
modules (learn, l3, of, hello) configured, shown and dumped by their
schema, a setting of one module never reaching another (the regression
tests of the wrong-module data loss)."""
import itertools
import json
import os
import queue
import signal
import subprocess
import threading

import pytest

from conftest import BIN, module_loaded, run, MODULES
from netmap import (BROADCAST_MAC, Port, eth_frame, mac_addr, vale_attach, vale_detach,
                    vale_list_all)

VALECTL = os.path.join(BIN, "valectl")
HELLO_KO = os.path.join(MODULES, "lookup", "vale_lookup_hello.ko")
PLUGINS = ("vale_lookup_l3", "vale_lookup_of")
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]

_ids = itertools.count(1)


def vctl(*args, rc=0, user=None):
    """Run valectl; assert its exit status (None: any); return the result."""
    cmd = (NOBODY if user == "nobody" else []) + [VALECTL] + [str(a) for a in args]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if rc is not None:
        assert r.returncode == rc, "%s: status %d\nstdout: %s\nstderr: %s" % (
            " ".join(cmd), r.returncode, r.stdout, r.stderr)
    return r


def vjson(*args):
    """valectl -j ARGS, parsed."""
    return json.loads(vctl("-j", *args).stdout)


def fails(*args, errno_text, message=None, argument=None, user=None):
    """valectl ARGS exits with 1 and says so: strerror, the kernel's
    message, and the command line argument the kernel pointed at."""
    r = vctl(*args, rc=1, user=user)
    err = r.stderr
    assert err.startswith("Error: "), err
    assert errno_text in err, err
    if message:
        assert message in err, err
    if argument:
        assert '(argument "%s")' % argument in err, err
    assert r.stdout == ""
    return err


def usage_error(*args, says):
    r = vctl(*args, rc=2)
    assert says in r.stderr, r.stderr
    assert "Usage:" in r.stderr or "valectl -h" in r.stderr, r.stderr
    return r


def switches():
    return {s["switch"]: s for s in vjson("switch", "show")}


def ports(switch=None):
    return {(p["switch"], p["port"]): p
            for p in vjson("port", "show", *([switch] if switch else []))}


class Sandbox:
    """Switches and interfaces made by a test, named uniquely, undone at
    its end whatever happened (ports detached, interfaces and switches
    removed)."""

    def __init__(self):
        self.switches, self.ifs, self.attached = [], [], []

    def switch(self, *extra):
        name = "valectl%d" % next(_ids)
        vctl("switch", "add", name, *extra)
        self.switches.append(name)
        return name

    def switch_name(self):
        name = "valectl%d" % next(_ids)
        self.switches.append(name)
        return name

    def iface(self, *extra):
        name = "vctl%d" % next(_ids)
        vctl("if", "add", name, *extra)
        self.ifs.append(name)
        return name

    def attach(self, switch, ifname):
        vctl("port", "attach", switch, ifname)
        self.attached.append((switch, ifname))

    def cleanup(self):
        for sw, ifname in self.attached:
            vctl("port", "detach", sw, ifname, rc=None)
        for ifname in self.ifs:
            vctl("if", "del", ifname, rc=None)
        for sw in self.switches:
            vctl("switch", "del", sw, rc=None)


@pytest.fixture
def sb(core):
    s = Sandbox()
    yield s
    s.cleanup()


@pytest.fixture
def plugins(core):
    """The router (l3) and the flow table (of) loaded; unloaded after if
    loaded here (ask for it before sb: its switches go first)."""
    loaded = []
    for m in PLUGINS:
        if not module_loaded(m):
            run("insmod", os.path.join(MODULES, "lookup", m + ".ko"))
            loaded.append(m)
    yield
    for m in loaded:
        subprocess.run(["rmmod", m], check=False)


# ---- switch ----------------------------------------------------------------

def test_switch_add_show_del(sb):
    sw = sb.switch("lookup", "learn")
    s = switches()[sw]
    assert s == {"switch": sw, "index": s["index"], "lookup": "learn",
                 "config": {"ageing": 300}, "ports": 0, "persistent": True}
    assert isinstance(s["index"], int)
    # do: one switch, still an array
    assert vjson("switch", "show", sw) == [s]
    # the human table
    out = vctl("switch", "show").stdout.splitlines()
    assert out[0].split() == ["SWITCH", "INDEX", "LOOKUP", "PORTS", "PERSISTENT", "CONFIG"]
    assert [sw, str(s["index"]), "learn", "0", "yes", "ageing", "300"] in \
        [l.split() for l in out[1:]]
    # pretty JSON is the same document
    assert json.loads(vctl("-j", "-p", "switch", "show", sw).stdout) == [s]
    vctl("switch", "del", sw)
    assert sw not in switches()


def test_switch_add_twice_is_eexist(sb):
    sw = sb.switch()
    fails("switch", "add", sw, errno_text="File exists", message="switch exists",
          argument=sw)


def test_unknown_switch_is_enoent_and_named(sb):
    sw = "valenosuch%d" % next(_ids)
    for args in (("switch", "del", sw), ("switch", "show", sw),
                 ("lookup", "set", sw, "learn"), ("fdb", "flush", sw),
                 ("lookup", "config", sw, "ageing", "10")):
        fails(*args, errno_text="No such file or directory", message="no such switch",
              argument=sw)
    # dumps: the message, the kernel sends no offset with a dump's end
    for args in (("port", "show", sw), ("fdb", "show", sw)):
        fails(*args, errno_text="No such file or directory", message="no such switch")
    fails("port", "show", sw, "p0", errno_text="No such file or directory",
          message="no such switch", argument=sw)


def test_switch_name_too_long_or_bad(sb):
    long_name = "vale" + "x" * 70
    fails("switch", "add", long_name, errno_text="Error", argument=long_name)
    assert long_name not in switches()
    fails("switch", "add", "notvale0", errno_text="Invalid argument",
          message="a switch name is", argument="notvale0")


def test_switch_del_with_ports_is_ebusy(sb):
    sw, vi = sb.switch(), sb.iface()
    sb.attach(sw, vi)
    fails("switch", "del", sw, errno_text="Device or resource busy",
          message="detach them first", argument=sw)


# ---- lookup ----------------------------------------------------------------

def test_unknown_lookup_module_is_enoent(sb):
    sw = sb.switch_name()
    fails("switch", "add", sw, "lookup", "nosuchmodule", errno_text="No such file or directory",
          message="lookup module not found", argument="lookup nosuchmodule")
    assert sw not in switches()
    sw = sb.switch()
    fails("lookup", "set", sw, "nosuchmodule", errno_text="No such file or directory",
          message="lookup module not found", argument="nosuchmodule")
    assert switches()[sw]["lookup"] == "learn"


def test_lookup_set_and_config(sb):
    sw = sb.switch()
    vctl("lookup", "set", sw, "learn")
    vctl("lookup", "config", sw, "ageing", "120")
    vctl("lookup", "config", sw, "ageing", "1000000")
    assert switches()[sw]["config"] == {"ageing": 1000000}
    # a unique prefix of the setting, a number in hex
    vctl("lookup", "config", sw, "age", "0x10", rc=1)    # "age": the fdb's column
    vctl("lookup", "config", sw, "agei", "0x10")
    assert switches()[sw]["config"] == {"ageing": 16}
    # out of the module's range: said before anything is sent, naming the module
    for bad in ("0", "1000001", "soon"):
        r = vctl("lookup", "config", sw, "ageing", bad, rc=1)
        assert r.stderr == ('Error: lookup module "learn" of switch %s: "ageing %s": a number '
                            'from 1 to 1000000\n' % (sw, bad)), r.stderr
    r = vctl("lookup", "config", sw, "ageing", rc=1)
    assert '"ageing" needs a value' in r.stderr
    r = vctl("lookup", "config", sw, "hash", "7", rc=1)
    assert r.stderr == ('Error: lookup module "learn" of switch %s has no setting "hash" '
                        '(settings: ageing; actions: flush)\n' % sw)
    r = vctl("lookup", "config", sw, "confirmed", rc=1)
    assert "only reported in its tables" in r.stderr
    assert switches()[sw]["config"] == {"ageing": 16}


def hello_loaded():
    """examples/lookup-hello loaded; True if it was loaded here."""
    if module_loaded("vale_lookup_hello"):
        return False
    run("insmod", HELLO_KO)
    return True


@pytest.mark.skipif(not os.path.exists(HELLO_KO), reason="examples/lookup-hello not built")
def test_a_module_valectl_has_no_code_for(sb):
    """examples/lookup-hello: configured, shown and dumped by its schema
    alone; the learning bridge's commands say it is not the bridge."""
    loaded = hello_loaded()
    sw = sb.switch()
    try:
        vctl("lookup", "set", sw, "hello")
        assert switches()[sw]["lookup"] == "hello"
        names = [a["name"] for a in vjson("lookup", "schema", "hello")[0]["attrs"]]
        assert "mask" in names
        vctl("lookup", "config", sw, "mask", "3")
        assert vctl("lookup", "show", sw).stdout == "lookup hello\nmask 3\n"
        assert switches()[sw]["config"] == {"mask": 3}
        row = [l.split() for l in vctl("switch", "show", sw).stdout.splitlines()][1]
        assert row[-2:] == ["mask", "3"]
        r = vctl("lookup", "config", sw, "mask", "256", rc=1)
        assert 'lookup module "hello" of switch %s: "mask 256": a number from 0 to 255' % sw \
            in r.stderr
        r = vctl("lookup", "config", sw, "ageing", "10", rc=1)
        assert r.stderr == ('Error: lookup module "hello" of switch %s has no setting "ageing" '
                            '(settings: mask)\n' % sw)
        assert switches()[sw]["config"] == {"mask": 3}
        assert isinstance(vjson("lookup", "dump", sw), list)
        for args in (("fdb", "show", sw), ("fdb", "flush", sw)):
            r = vctl(*args, rc=1)
            assert 'switch %s uses lookup module "hello", not "learn"' % sw in r.stderr
    finally:
        vctl("lookup", "set", sw, "learn")
        if loaded:
            subprocess.run(["rmmod", "vale_lookup_hello"], check=False)


# ---- if and port -----------------------------------------------------------

def test_if_attach_show_detach_del(sb):
    sw = sb.switch()
    vi = sb.iface("tx-rings", 2, "rx-rings", 3, "tx-slots", 128, "rx-slots", 256)
    assert run("ip", "link", "show", "dev", vi).returncode == 0
    sb.attach(sw, vi)

    p = ports(sw)[(sw, vi)]
    assert p["kind"] == "virtual"
    assert (p["tx_rings"], p["rx_rings"], p["tx_slots"], p["rx_slots"]) == (2, 3, 128, 256)
    assert isinstance(p["index"], int) and isinstance(p["mem_id"], int)
    assert "stats" not in p
    assert switches()[sw]["ports"] == 1
    # do, with both names
    assert vjson("port", "show", sw, vi) == [p]
    # every port, of every switch
    assert ports()[(sw, vi)] == p
    # -s: the counters, all integers
    st = vjson("-s", "port", "show", sw, vi)[0]["stats"]
    assert set(st) == {"tx_packets", "tx_bytes", "rx_packets", "rx_bytes", "drop_lookup",
                       "drop_bad", "drop_full", "drop_bad_buf"}
    assert all(isinstance(v, int) for v in st.values())
    # the human table, with -s the counters under the row
    out = vctl("-s", "port", "show", sw).stdout.splitlines()
    assert out[0].split() == ["SWITCH", "PORT", "INDEX", "KIND", "RINGS", "SLOTS", "MEM"]
    assert out[1].split()[:6] == [sw, vi, str(p["index"]), "virtual", "2/3", "128/256"]
    assert out[2].split()[0] == "TX:" and out[3].split()[0] == "dropped:"

    vctl("port", "detach", sw, vi)
    sb.attached.remove((sw, vi))
    assert (sw, vi) not in ports()
    vctl("if", "del", vi)
    sb.ifs.remove(vi)
    assert run("ip", "link", "show", "dev", vi, check=False).returncode != 0


def test_attach_makes_the_switch_if_needed(sb):
    vi = sb.iface()
    sw = sb.switch_name()
    sb.attach(sw, vi)
    s = switches()[sw]
    assert s["ports"] == 1 and s["persistent"] is False


def test_if_errors(sb):
    vi = sb.iface()
    fails("if", "add", vi, errno_text="File exists", message="an interface of that name exists",
          argument=vi)
    fails("if", "del", "vctlnosuch", errno_text="No such device or address",
          message="no such persistent interface", argument="vctlnosuch")
    long_name = "vctl" + "y" * 20
    fails("if", "add", long_name, errno_text="Error", argument=long_name)
    fails("if", "add", "vctlr%d" % next(_ids), "tx-rings", 99, errno_text="Error",
          argument="tx-rings 99")
    fails("if", "add", "vctls%d" % next(_ids), "rx-slots", 1, errno_text="Error",
          argument="rx-slots 1")
    sw = sb.switch()
    sb.attach(sw, vi)
    fails("if", "del", vi, errno_text="Device or resource busy", message="attached",
          argument=vi)


def test_port_errors(sb):
    sw, vi = sb.switch(), sb.iface()
    sb.attach(sw, vi)
    fails("port", "attach", sw, vi, errno_text="Device or resource busy",
          message="already attached", argument=vi)
    other = sb.switch()
    fails("port", "attach", other, vi, errno_text="Device or resource busy", argument=vi)
    fails("port", "attach", sw, "vctlnosuch", errno_text="No such device or address",
          message="no such interface", argument="vctlnosuch")
    fails("port", "detach", sw, "vctlnosuch", errno_text="No such device or address",
          argument="vctlnosuch")
    fails("port", "show", sw, "vctlnosuch", errno_text="No such file or directory",
          message="no such port", argument="vctlnosuch")
    fails("port", "attach", "notvale", vi, errno_text="Invalid argument",
          message="bad switch name", argument="notvale")


def test_ephemeral_port_cannot_be_detached(sb):
    sw = sb.switch_name()
    with Port("%s:eph" % sw, tx_slots=64, rx_slots=64):
        assert ports(sw)[(sw, "eph")]["kind"] == "ephemeral"
        fails("port", "detach", sw, "eph", errno_text="Invalid argument",
              message="ephemeral", argument="eph")


# ---- usage errors: status 2, nothing sent ------------------------------------

@pytest.mark.parametrize("args,says", [
    (("switch", "add"), "missing SWITCH"),
    (("switch", "add", "vale0", "lookup"), '"lookup" needs a value'),
    (("port", "attach", "vale0"), "missing IFNAME"),
    (("port", "detach"), "missing SWITCH"),
    (("if", "add"), "missing IFNAME"),
    (("if", "add", "vi0", "tx-rings", "many"), "needs a number"),
    (("if", "add", "vi0", "colour", "red"), 'unknown keyword "colour"'),
    (("lookup", "set", "vale0"), "missing NAME"),
    (("lookup", "config", "vale0"), "nothing to set"),
    (("fdb", "show"), "missing SWITCH"),
    (("frob",), 'unknown object "frob"'),
    (("switch", "frob"), 'unknown command "frob"'),
    (("-x", "switch"), 'unknown option "-x"'),
    (("switch", "show", "-j"), "options go before the object"),
    (("-a", "vale0"), "expected SWITCH:PORT"),
    (("-n",), '"-n" needs an argument'),
])
def test_usage_errors_exit_2(core, args, says):
    usage_error(*args, says=says)


def test_help_and_version(core):
    r = vctl("-h")
    assert "valectl switch add" in r.stdout and "valectl monitor" in r.stdout
    assert vctl("port", "help").stdout.startswith("Usage: valectl port attach")
    assert "valectl" in vctl("-V").stdout


# ---- privileges ----------------------------------------------------------------

def test_unprivileged_caller_gets_eperm(sb):
    sw = sb.switch_name()
    fails("switch", "add", sw, errno_text="Operation not permitted", user="nobody")
    assert sw not in switches()
    sw = sb.switch()
    fails("switch", "del", sw, errno_text="Operation not permitted", user="nobody")
    fails("if", "add", "vctlnobody", errno_text="Operation not permitted", user="nobody")
    # reading needs no privilege
    r = vctl("-j", "switch", "show", sw, user="nobody")
    assert json.loads(r.stdout)[0]["switch"] == sw


# ---- fdb and counters --------------------------------------------------------------

def test_fdb_show_flush_and_counters(sb):
    sw = sb.switch()
    with Port("%s:a" % sw, tx_slots=64, rx_slots=64) as a, \
            Port("%s:b" % sw, tx_slots=64, rx_slots=64) as b:
        frames = [eth_frame(BROADCAST_MAC, mac_addr(0xa1), 60, seq=i) for i in range(3)]
        assert a.send(frames) == 3
        a.txsync()
        b.rxsync()
        b.send([eth_frame(mac_addr(0xa1), mac_addr(0xb2), 60)])
        b.txsync()

        fdb = {e["mac"]: e for e in vjson("fdb", "show", sw)}
        pa = ports(sw)[(sw, "a")]
        e = fdb["02:00:00:00:00:a1"]
        assert e["port"] == "a" and e["port_index"] == pa["index"]
        assert isinstance(e["age"], int) and isinstance(e["confirmed"], bool)
        assert fdb["02:00:00:00:00:b2"]["port"] == "b"
        out = vctl("fdb", "show", sw).stdout.splitlines()
        assert out[0].split() == ["MAC", "PORT", "INDEX", "AGE", "CONFIRMED"]
        assert "02:00:00:00:00:a1" in [l.split()[0] for l in out[1:]]

        st = vjson("-s", "port", "show", sw, "a")[0]["stats"]
        assert st["tx_packets"] == 3 and st["tx_bytes"] == 180
        st = vjson("-s", "port", "show", sw, "b")[0]["stats"]
        assert st["rx_packets"] == 3 and st["tx_packets"] == 1

        vctl("fdb", "flush", sw)
        assert vjson("fdb", "show", sw) == []
        assert vctl("fdb", "show", sw).stdout == ""


# ---- a full switch: a dump over many messages ------------------------------------------

def test_dump_of_254_ports(sb):
    sw = sb.switch_name()
    opened = []
    try:
        for i in range(254):
            opened.append(Port("%s:p%d" % (sw, i), tx_slots=8, rx_slots=8))
        got = ports(sw)
        assert sorted(got) == sorted((sw, "p%d" % i) for i in range(254))
        assert len({p["index"] for p in got.values()}) == 254
        assert len(vctl("port", "show", sw).stdout.splitlines()) == 255
        assert switches()[sw]["ports"] == 254
    finally:
        for p in opened:
            p.close()


# ---- the same state as netmap's ioctl requests -----------------------------------------

def test_same_state_as_netmap_ioctls(sb):
    sw = sb.switch()
    vi, vi2 = sb.iface(), sb.iface()
    # attached with valectl: netmap's VALE_LIST sees it
    sb.attach(sw, vi)
    idx = ports(sw)[(sw, vi)]["index"]
    bridge = switches()[sw]["index"]
    assert ("%s:%s" % (sw, vi), bridge, idx) in vale_list_all()
    # attached with NETMAP_REQ_VALE_ATTACH: valectl sees it, and detaches it
    err, pidx = vale_attach("%s:%s" % (sw, vi2))
    assert err == 0
    assert ports(sw)[(sw, vi2)]["index"] == pidx
    vctl("port", "detach", sw, vi2)
    assert ("%s:%s" % (sw, vi2)) not in [n for n, _, _ in vale_list_all()]
    # and the other way round
    vctl("port", "attach", sw, vi2)
    idx2 = ports(sw)[(sw, vi2)]["index"]
    assert vale_detach("%s:%s" % (sw, vi2)) == (0, idx2)
    assert (sw, vi2) not in ports(sw)


# ---- vale-ctl's flags ------------------------------------------------------------------

def test_compat_flags(sb):
    sw = sb.switch_name()
    vi = "vctl%d" % next(_ids)
    vctl("-n", vi, "-C", "128,256,2")
    sb.ifs.append(vi)
    vctl("-a", "%s:%s" % (sw, vi))
    sb.attached.append((sw, vi))
    p = ports(sw)[(sw, vi)]
    assert (p["tx_slots"], p["rx_slots"], p["tx_rings"], p["rx_rings"]) == (128, 256, 2, 2)
    bridge = switches()[sw]["index"]

    # -l: vale-ctl's lines, in the same order as its VALE_LIST walk
    lines = vctl("-l").stdout.splitlines()
    assert "%s:%s bridge_idx %d port_idx %d" % (sw, vi, bridge, p["index"]) in lines
    assert lines == ["%s bridge_idx %d port_idx %d" % t for t in vale_list_all()]
    assert vctl("-l", "%s:%s" % (sw, vi)).stdout == \
        "bridge_idx: %d\nport_idx:   %d\n" % (bridge, p["index"])
    assert vctl("-v", "-l", sw).stdout.splitlines() == \
        ["%s:%s bridge_idx %d port_idx %d" % (sw, vi, bridge, p["index"])]
    # -v after attach prints the port index, as vale-ctl
    vctl("-d", "%s:%s" % (sw, vi))
    assert vctl("-v", "-a", "%s:%s" % (sw, vi)).stdout.startswith("port_index: ")
    # errors: the kernel's, pointing at the SW:PORT argument
    fails("-a", "%s:vctlnosuch" % sw, errno_text="No such device or address",
          argument="%s:vctlnosuch" % sw)
    # -h: attach with the host stack, the kernel judges (no such NIC here)
    r = vctl("-h", "%s:vctlnonic" % sw, rc=1)
    assert "Error:" in r.stderr
    vctl("-d", "%s:%s" % (sw, vi))
    sb.attached.remove((sw, vi))
    vctl("-r", vi)
    sb.ifs.remove(vi)
    fails("-r", vi, errno_text="No such device or address", argument=vi)


# ---- monitor -------------------------------------------------------------------------

class Monitor:
    """valectl [OPTS] monitor in the background, its lines in a queue."""

    def __init__(self, *opts):
        self.p = subprocess.Popen([VALECTL, *opts, "monitor"], stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()
        self._sync()

    def _read(self):
        for line in self.p.stdout:
            self.lines.put(line.rstrip("\n"))

    def line(self, timeout=10):
        return self.lines.get(timeout=timeout)

    def _sync(self):
        """Poke with a switch until its events come: subscribed from then on."""
        for _ in range(40):
            sw = "valesync%d" % next(_ids)
            vctl("switch", "add", sw)
            vctl("switch", "del", sw)
            try:
                first = self.line(timeout=0.5)
            except queue.Empty:
                continue
            while sw not in first or "del" not in first:
                first = self.line()
            return
        raise AssertionError("monitor never subscribed: %s" % self.p.stderr.read())

    def stop(self):
        self.p.send_signal(signal.SIGINT)
        rc = self.p.wait(timeout=10)
        self.t.join(timeout=10)
        return rc


def test_monitor_json_events(sb):
    m = Monitor("-j")
    try:
        sw = sb.switch("lookup", "learn")
        vi = sb.iface()
        sb.attach(sw, vi)
        vctl("lookup", "set", sw, "learn")
        vctl("port", "detach", sw, vi)
        sb.attached.remove((sw, vi))
        vctl("switch", "del", sw)
        sb.switches.remove(sw)
        events = [json.loads(m.line()) for _ in range(6)]
    finally:
        assert m.stop() == 0
    assert [e["event"] for e in events] == [
        "switch_new", "if_new", "port_attach", "lookup_set", "port_detach", "switch_del"]
    assert events[0] == {"event": "switch_new", "switch": sw, "index": events[0]["index"],
                         "lookup": "learn", "config": {"ageing": 300}, "ports": 0,
                         "persistent": True}
    assert events[1] == {"event": "if_new", "ifname": vi}
    for e in (events[2], events[4]):
        assert e["switch"] == sw and e["port"] == vi and e["kind"] == "virtual"
    assert events[3]["switch"] == sw and events[3]["lookup"] == "learn"
    assert events[5]["switch"] == sw


def test_monitor_text_events(sb):
    m = Monitor()
    try:
        sw = sb.switch()
        line = m.line()
    finally:
        assert m.stop() == 0
    assert line.startswith("switch new %s index " % sw), line
    assert line.endswith(" persistent"), line


def test_monitor_module_and_interface_events(plugins, sb):
    """switch add with a module: the module it runs; lookup config, if add
    and if del: events of their own, the settings decoded by the schema."""
    m = Monitor("-j")
    try:
        r3 = sb.switch("lookup", "l3")
        vi = sb.iface()
        lsw = sb.switch()
        vctl("lookup", "config", lsw, "ageing", "42")
        of = sb.switch("lookup", "of")
        vctl("lookup", "config", of, "emc", "0")
        vctl("if", "del", vi)
        sb.ifs.remove(vi)
        events = [json.loads(m.line()) for _ in range(7)]
    finally:
        assert m.stop() == 0
    assert [(e["event"], e.get("switch", e.get("ifname"))) for e in events] == [
        ("switch_new", r3), ("if_new", vi), ("switch_new", lsw), ("lookup_config", lsw),
        ("switch_new", of), ("lookup_config", of), ("if_del", vi)]
    assert events[0]["lookup"] == "l3" and "config" not in events[0]
    assert events[3] == {"event": "lookup_config", "switch": lsw, "index": events[3]["index"],
                         "lookup": "learn", "config": {"ageing": 42}, "ports": 0,
                         "persistent": True}
    assert events[4]["lookup"] == "of" and events[4]["config"] == {"controller": 255, "emc": 1}
    assert events[5]["config"] == {"controller": 255, "emc": 0}
    assert events[6] == {"event": "if_del", "ifname": vi}

    m = Monitor()
    try:
        sw = sb.switch("lookup", "l3")
        vctl("lookup", "config", lsw, "ageing", "43")
        vi = sb.iface()
        lines = [m.line() for _ in range(3)]
    finally:
        assert m.stop() == 0
    assert lines[0].startswith("switch new %s index " % sw) and " lookup l3 ports 0 " in lines[0]
    assert lines[1].startswith("lookup config %s index " % lsw)
    assert " lookup learn ageing 43 ports 0 persistent" in lines[1]
    assert lines[2] == "if new %s" % vi


@pytest.mark.skipif(not os.path.exists(HELLO_KO), reason="examples/lookup-hello not built")
def test_monitor_decodes_a_module_loaded_after_it_started(sb):
    """A module registered after monitor started: its schema is read when
    its first event comes."""
    if module_loaded("vale_lookup_hello"):
        pytest.skip("vale_lookup_hello is loaded already")
    sw = sb.switch()
    m = Monitor("-j")
    try:
        run("insmod", HELLO_KO)
        vctl("lookup", "set", sw, "hello")
        vctl("lookup", "config", sw, "mask", "5")
        vctl("lookup", "set", sw, "learn")
        events = [json.loads(m.line()) for _ in range(3)]
    finally:
        assert m.stop() == 0
        subprocess.run(["rmmod", "vale_lookup_hello"], check=False)
    assert [(e["event"], e["lookup"]) for e in events] == [
        ("lookup_set", "hello"), ("lookup_config", "hello"), ("lookup_set", "learn")]
    assert events[1]["config"] == {"mask": 5}


# ---- lookup modules by their schema --------------------------------------------------

def test_wrong_module_setting_on_a_router_is_refused_and_its_routes_stay(plugins, sb):
    """Regression: "lookup config SW ageing 9" on an l3 switch exited 0 and
    flushed the router (ageing's number is l3's op, 9 its FLUSH)."""
    sw = sb.switch("lookup", "l3")
    with Port("%s:a" % sw, tx_slots=64, rx_slots=64):
        vctl("router", "port", "set", sw, "a", "mac", "02:00:00:00:aa:00")
        vctl("addr", "add", sw, "10.0.0.1", "port", "a")
        vctl("neigh", "add", sw, "10.0.0.2", "lladdr", "02:00:00:00:bb:00", "port", "a")
        vctl("route", "add", sw, "10.0.2.0/24", "port", "a", "via", "10.0.0.2")
        shows = ("route", "neigh", "addr", "router")
        before = {what: vctl(what, "show", sw).stdout for what in shows}
        assert before["route"] == "10.0.2.0/24 via 10.0.0.2 port a\n"
        assert "routes 1 neighbours 1 addresses 1" in before["router"]

        r = vctl("lookup", "config", sw, "ageing", "9", rc=1)
        assert r.stderr == ('Error: lookup module "l3" of switch %s has no setting "ageing" '
                            '(settings: none)\n' % sw), r.stderr
        assert r.stdout == ""
        # the router's own attributes are no settings either
        r = vctl("lookup", "config", sw, "op", "flush", rc=1)
        assert '"op" is not a setting' in r.stderr and "valectl route" in r.stderr
        r = vctl("lookup", "config", sw, "op", "9", rc=1)
        assert '"op" is not a setting' in r.stderr
        # nor do the learning bridge's commands reach it
        r = vctl("fdb", "flush", sw, rc=1)
        assert 'uses lookup module "l3", not "learn"' in r.stderr

        assert {what: vctl(what, "show", sw).stdout for what in shows} == before


def test_wrong_module_setting_on_a_flow_table_is_refused_and_its_flows_stay(plugins, sb):
    """Regression: "lookup config SW ageing 3" on an of switch deleted every flow."""
    sw = sb.switch("lookup", "of")
    vctl("flow", "add", sw, "priority=7,dl_type=0x0800,actions=drop")
    vctl("flow", "add", sw, "priority=9,dl_type=0x86dd,actions=flood")

    def flows():
        return sorted((f["priority"], f["flow"]) for f in vjson("flow", "show", sw))
    before = flows()
    assert len(before) == 2

    r = vctl("lookup", "config", sw, "ageing", "3", rc=1)
    assert r.stderr == ('Error: lookup module "of" of switch %s has no setting "ageing" '
                        '(settings: controller, emc)\n' % sw), r.stderr
    for args in (("op", "3"), ("priority", "1"), ("match", "00")):
        r = vctl("lookup", "config", sw, *args, rc=1)
        assert 'lookup module "of" of switch %s' % sw in r.stderr
    r = vctl("fdb", "flush", sw, rc=1)
    assert 'uses lookup module "of", not "learn"' in r.stderr
    assert flows() == before
    # its own settings are taken, without an op, and leave the flows be
    vctl("lookup", "config", sw, "controller", "255", "emc", "1")
    assert flows() == before


def test_lookup_show_dump_schema_of_the_learning_bridge(sb):
    sw = sb.switch()
    vctl("lookup", "config", sw, "ageing", "77")
    assert vctl("lookup", "show", sw).stdout == "lookup learn\nageing 77\n"
    assert vjson("lookup", "show", sw) == [{"switch": sw, "lookup": "learn",
                                           "config": {"ageing": 77}}]
    with Port("%s:a" % sw, tx_slots=64, rx_slots=64) as a, \
            Port("%s:b" % sw, tx_slots=64, rx_slots=64):
        assert a.send([eth_frame(BROADCAST_MAC, mac_addr(0xa1), 60)]) == 1
        a.txsync()
        pa = ports(sw)[(sw, "a")]["index"]
        rows = vjson("lookup", "dump", sw)
        assert len(rows) == 1
        row = rows[0]
        assert isinstance(row.pop("age"), int)
        assert row == {"table": "fdb", "mac": "02:00:00:00:00:a1", "port": pa,
                       "port_name": "a"}
        again = vjson("lookup", "dump", sw, "fdb")
        assert [dict(r, age=0) for r in again] == [dict(row, age=0)]
        text = vctl("lookup", "dump", sw).stdout.splitlines()
        assert text[0] == "fdb:"
        assert text[1].startswith("    mac=02:00:00:00:00:a1 port=a age=")
        assert "port=%d " % pa in vctl("-N", "lookup", "dump", sw).stdout
        # the friendly form shows the same table
        assert [e["mac"] for e in vjson("fdb", "show", sw)] == ["02:00:00:00:00:a1"]
        # the action
        vctl("lookup", "config", sw, "flush")
        assert vjson("lookup", "dump", sw) == []
        assert vctl("lookup", "dump", sw).stdout == ""
    r = vctl("lookup", "dump", sw, "routes", rc=1)
    assert r.stderr == ('Error: lookup module "learn" of switch %s has no table "routes" '
                        '(tables: fdb)\n' % sw)

    schema = vjson("lookup", "schema", "learn")
    assert vjson("lookup", "schema", sw) == schema
    (learn,) = schema
    attrs = {a["name"]: a for a in learn["attrs"]}
    assert list(attrs) == ["ageing", "flush", "mac", "port", "age", "confirmed"]
    assert attrs["ageing"]["type"] == "u32" and attrs["ageing"]["flags"] == ["setting"]
    assert (attrs["ageing"]["min"], attrs["ageing"]["max"]) == (1, 1000000)
    assert attrs["flush"]["flags"] == ["action"] and attrs["flush"]["type"] == "flag"
    assert attrs["mac"]["type"] == "mac" and attrs["port"]["type"] == "port"
    assert all(attrs[n]["flags"] == ["dump-only"] for n in ("mac", "port", "age", "confirmed"))
    assert [t["name"] for t in learn["tables"]] == ["fdb"]
    text = vctl("lookup", "schema", "learn").stdout.splitlines()
    assert text[0] == "lookup learn" and text[1].split() == \
        ["ATTRIBUTE", "ID", "TYPE", "RANGE", "FLAGS", "DOC"]
    assert text[2].split()[:5] == ["ageing", "1", "u32", "1..1000000", "setting"]
    assert text[-1].startswith("table fdb: ")
    assert "learn" in [m["lookup"] for m in vjson("lookup", "schema")]
    fails("lookup", "schema", "nosuchmodule", errno_text="No such file or directory",
          argument="nosuchmodule")
    fails("lookup", "schema", "valenosuch", errno_text="No such file or directory",
          message="no such switch", argument="valenosuch")


def test_lookup_show_dump_schema_of_the_router_and_the_flow_table(plugins, sb):
    r3 = sb.switch("lookup", "l3")
    assert vctl("lookup", "show", r3).stdout == "lookup l3\n"
    assert vjson("lookup", "show", r3) == [{"switch": r3, "lookup": "l3", "config": {}}]
    (l3,) = vjson("lookup", "schema", r3)
    assert l3["lookup"] == "l3"
    assert [t["name"] for t in l3["tables"]] == ["stats", "ports", "addresses", "neighbours",
                                                 "routes"]
    op = [a for a in l3["attrs"] if a["name"] == "op"][0]
    assert op["values"][5] == "route_add" and op["flags"] == []
    assert not [a for a in l3["attrs"] if "setting" in a["flags"]]
    with Port("%s:a" % r3, tx_slots=64, rx_slots=64):
        a = ports(r3)[(r3, "a")]["index"]
        vctl("router", "port", "set", r3, "a", "mac", "02:00:00:00:aa:00")
        vctl("route", "add", r3, "10.0.2.0/24", "port", "a", "via", "10.0.0.2")
        (route,) = vjson("lookup", "dump", r3, "routes")
        assert route == {"table": "routes", "op": "route_add", "prefix": "10.0.2.0",
                         "prefix_len": 24, "port": a, "port_name": "a", "gateway": "10.0.0.2"}
        rows = vjson("lookup", "dump", r3)
        assert [r["table"] for r in rows] == ["stats", "ports", "routes"]
        assert rows[0]["stats"].startswith("<nested, ")
        text = vctl("lookup", "dump", r3).stdout.splitlines()
        assert text[0] == "stats:" and text[2] == "ports:" and text[4] == "routes:"
        assert sorted(text[5].split()) == sorted(
            ["op=route_add", "prefix=10.0.2.0", "prefix_len=24", "port=a", "gateway=10.0.0.2"])
        # the friendly form reads the same table
        assert vctl("route", "show", r3).stdout == "10.0.2.0/24 via 10.0.0.2 port a\n"

    of = sb.switch("lookup", "of")
    assert vctl("lookup", "show", of).stdout == "lookup of\ncontroller 255\nemc 1\n"
    vctl("lookup", "config", of, "controller", "3", "emc", "0")
    assert vjson("lookup", "show", of) == [{"switch": of, "lookup": "of",
                                           "config": {"controller": 3, "emc": 0}}]
    assert switches()[of]["config"] == {"controller": 3, "emc": 0}
    row = [l.split() for l in vctl("switch", "show", of).stdout.splitlines()][1]
    assert row[-4:] == ["controller", "3", "emc", "0"]
    t = vjson("flow", "table", of)[0]
    assert t["controller"] == 3 and t["emc"] is False
    vctl("flow", "add", of, "priority=7,dl_type=0x0800,actions=drop")
    (flow,) = vjson("lookup", "dump", of, "flows")
    assert flow["table"] == "flows" and flow["op"] == "flow" and flow["priority"] == 7
    assert flow["match"].startswith("<nested, ")
    (table,) = vjson("lookup", "dump", of, "table")
    assert table["op"] == "table" and table["controller"] == 3 and table["emc"] == 0
    (ofs,) = vjson("lookup", "schema", "of")
    settings = [a["name"] for a in ofs["attrs"] if "setting" in a["flags"]]
    assert settings == ["controller", "emc"]
    assert [t["name"] for t in ofs["tables"]] == ["table", "flows"]
    r = vctl("lookup", "config", of, "emc", "2", rc=1)
    assert '"emc 2": a number from 0 to 1' in r.stderr
    r = vctl("lookup", "config", of, "actions", "00", rc=1)
    assert '"actions" is not a setting' in r.stderr
