"""The guest half of test_boot_unit.py: run in the VM (tests/vm/run
--systemd) once systemd has booted with vale-topology.service enabled; it
collects what the host half asserts on, as JSON into the file argv[1]:

  boot       the manager's timestamps (monotonic, microseconds); basic:
             when basic.target was reached
  topology   vale-topology.service's state and timestamps after the boot
  device     the NIC's device unit; nic: the unit that made the NIC (late)
  dropin     what the generator wrote
  live_boot  python3 -m vale show --json after the boot
  journal    journalctl -u vale-topology.service
  verify     systemd-analyze verify vale-topology.service
  stop, live_stop, nic_after_stop   systemctl stop, then the same
  nofile, live_nofile   systemctl start without the topology file
  reload, journal_generator   daemon-reload with a file that is not TOML,
             and what the journal then says of the generator

Each command's status and output are kept; nothing is asserted here, so that
the host reports every failure with what the guest saw.
"""
import json
import os
import subprocess
import sys

UNIT = "vale-topology.service"
TOPOLOGY = "/etc/vale/topology.toml"
NIC = "vt-nic0"
DEVICE = "sys-subsystem-net-devices-vt\\x2dnic0.device"
DROPIN = "/run/systemd/generator/vale-topology.service.d/50-devices.conf"


def run(*cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    return {"cmd": list(cmd), "status": r.returncode, "out": r.stdout, "err": r.stderr}


def show(unit, *props):
    """systemctl show's properties as a dict (unit None: the manager's)."""
    cmd = ["systemctl", "show"] + ([unit] if unit else [])
    for p in props:
        cmd += ["-p", p]
    r = run(*cmd)
    out = dict(line.split("=", 1) for line in r["out"].splitlines() if "=" in line)
    out["_status"] = r["status"]
    return out


def live():
    r = run("vale", "show", "--json")
    try:
        r["json"] = json.loads(r["out"])
    except ValueError:
        r["json"] = None
    return r


UNIT_PROPS = ("ActiveState", "SubState", "Result", "ConditionResult", "ExecMainStatus",
              "ExecMainStartTimestampMonotonic", "ExecMainExitTimestampMonotonic",
              "InactiveExitTimestampMonotonic", "After", "Wants", "DropInPaths")


def main(path):
    res = {}
    res["wait"] = run("systemctl", "is-system-running", "--wait")
    res["boot"] = show(None, "UserspaceTimestampMonotonic", "FinishTimestampMonotonic")
    res["basic"] = show("basic.target", "ActiveEnterTimestampMonotonic")
    res["topology"] = show(UNIT, *UNIT_PROPS)
    res["device"] = show(DEVICE, "ActiveState", "ActiveEnterTimestampMonotonic")
    res["nic"] = show("vale-boot-nic.service", "ActiveState", "Result",
                      "ExecMainStartTimestampMonotonic", "ExecMainExitTimestampMonotonic")
    try:
        with open(DROPIN) as f:
            res["dropin"] = f.read()
    except OSError as e:
        res["dropin"] = "(%s)" % e
    res["vale_loaded"] = any(line.split()[0] == "vale" for line in open("/proc/modules"))
    res["live_boot"] = live()
    res["journal"] = run("journalctl", "-b", "-u", UNIT, "--no-pager", "-o", "cat")
    res["verify"] = run("systemd-analyze", "verify", UNIT)
    # Stop: the topology taken down, the NIC left as it was.
    res["stop"] = run("systemctl", "stop", UNIT)
    res["topology_stop"] = show(UNIT, "ActiveState", "Result")
    res["live_stop"] = live()
    res["nic_after_stop"] = run("ip", "-o", "link", "show", NIC)
    # Without the file the unit does nothing.
    os.rename(TOPOLOGY, TOPOLOGY + ".away")
    res["nofile"] = run("systemctl", "start", UNIT)
    res["topology_nofile"] = show(UNIT, "ActiveState", "ConditionResult", "Result")
    res["live_nofile"] = live()
    # A file that is not TOML: the generator's message, at daemon-reload.
    with open(TOPOLOGY, "w") as f:
        f.write("[switch.valeboot0\n")
    res["reload"] = run("systemctl", "daemon-reload")
    # (as docs/boot-topology.md says: journalctl -b | grep vale-topology-generator)
    j = run("journalctl", "-b", "--no-pager")
    j["out"] = "".join(ln for ln in j["out"].splitlines(True) if "vale-topology-generator" in ln)
    res["journal_generator"] = j
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
    def at(props, name):
        return "%.1f s" % (int(props.get(name) or 0) / 1e6)
    print("boot-unit guest: systemd started at %s, basic.target %s, the NIC %s, %s %s "
          "from %s to %s, boot finished at %s (%s); results in %s" % (
              at(res["boot"], "UserspaceTimestampMonotonic"),
              at(res["basic"], "ActiveEnterTimestampMonotonic"),
              at(res["device"], "ActiveEnterTimestampMonotonic"),
              UNIT, res["topology"].get("ActiveState"),
              at(res["topology"], "ExecMainStartTimestampMonotonic"),
              at(res["topology"], "ExecMainExitTimestampMonotonic"),
              at(res["boot"], "FinishTimestampMonotonic"), res["wait"]["out"].strip(), path))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
