"""Plans: desired topology + live state -> actions.  Checked case by case,
and on random topologies against a model of the kernel (fakekernel): one
apply reaches the file, a second finds nothing to do, down removes what
the file declares and nothing else."""
import random

from fakekernel import FakeVale
from test_topology import _random_topology

from vale import topology
from vale.objects import Interface, Switch
from vale.plan import Action, Live, plan_apply, plan_down

TOPO = topology.loads("""
[switch.vale0]
lookup = "learn"
ports = ["vi0", "vi1"]
config = { ageing = 300 }

[interface.vi0]
[interface.vi1]
tx_slots = 256
""")


def words(plan):
    return [str(a) for a in plan]


def apply(fake, topo, **kw):
    plan = plan_apply(topo, fake.live(ifnames=topo.interfaces), **kw)
    for a in plan.actions + plan.refresh:
        a.run(fake)
    return plan


def down(fake, topo):
    plan = plan_down(topo, fake.live(ifnames=topo.interfaces))
    for a in plan:
        a.run(fake)
    return plan


def test_from_nothing():
    plan = plan_apply(TOPO, Live())
    assert words(plan) == [
        "if add vi0",
        "if add vi1 tx_slots 256",
        "switch add vale0 lookup learn",
        "lookup config vale0 ageing 300",
        "port attach vale0 vi0",
        "port attach vale0 vi1",
    ]
    assert plan.notes == []
    assert str(plan) == "".join(w + "\n" for w in words(plan))


def test_second_apply_changes_nothing():
    fake = FakeVale()
    assert len(apply(fake, TOPO)) == 6
    before = fake.state()
    plan = apply(fake, TOPO)
    assert words(plan) == []
    assert fake.state() == before
    # the kernel reports the ageing, and it is already 300: nothing to send
    assert plan.refresh == [] and plan.notes == []


def test_unreported_configuration_is_refreshed():
    fake = FakeVale(report_config=False)    # a kernel whose SWITCH_GET has no LOOKUP_CONFIG
    apply(fake, TOPO)
    plan = apply(fake, TOPO)
    assert words(plan) == []
    # sent again, not counted as a change
    assert [str(a) for a in plan.refresh] == ["lookup config vale0 ageing 300"]


def test_reported_configuration_is_compared():
    fake = FakeVale()
    apply(fake, TOPO)
    assert words(apply(fake, TOPO)) == []
    edited = topology.loads(topology.dumps(TOPO).replace("ageing = 300", "ageing = 10"))
    assert words(apply(fake, edited)) == ["lookup config vale0 ageing 10"]


def test_edit_applies_exactly_the_difference():
    fake = FakeVale()
    apply(fake, TOPO)
    edited = topology.loads("""
[switch.vale0]
lookup = "l3"
ports = ["vi1", "vi2"]

[switch.vale1]
ports = ["vi0"]

[interface.vi0]
[interface.vi1]
tx_slots = 512
[interface.vi2]
""")
    plan = apply(fake, edited)
    assert words(plan) == [
        "port detach vale0 vi0",        # moves to vale1
        "port detach vale0 vi1",        # geometry changed: made again
        "if del vi1",
        "if add vi1 tx_slots 512",
        "if add vi2",
        "lookup set vale0 l3",
        "switch add vale1",
        "port attach vale0 vi1",
        "port attach vale0 vi2",
        "port attach vale1 vi0",
    ]
    assert words(apply(fake, edited)) == []


def test_a_remade_interface_goes_back_to_its_undeclared_switch():
    fake = FakeVale()
    fake.add_if("vi0", tx_slots=256)
    fake.attach("vale7", "vi0")
    fake.add_if("vi1")
    fake.attach("vale7", "vi1")
    t = topology.loads("[interface.vi0]\ntx_slots = 512\n")
    assert words(apply(fake, t)) == ["port detach vale7 vi0", "if del vi0",
                                     "if add vi0 tx_slots 512", "port attach vale7 vi0"]
    assert fake.ifs["vi0"]["tx_slots"] == 512 and fake._find("vi0")[0].name == "vale7"
    assert words(apply(fake, t)) == []


def test_undeclared_things_are_left_alone_unless_prune():
    fake = FakeVale()
    apply(fake, TOPO)
    fake.add_if("vi9")
    fake.attach("vale9", "vi9")         # makes vale9 (not persistent)
    fake.add_switch("vale8")
    fake.add_if("vi8")
    small = topology.loads('[switch.vale0]\nports = ["vi0"]\n[interface.vi0]\n')
    assert words(plan_apply(small, fake.live(ifnames=small.interfaces))) == \
        ["port detach vale0 vi1"]
    plan = plan_apply(small, fake.live(ifnames=["vi8"]), prune=True)
    assert words(plan) == [
        "port detach vale0 vi1",
        "port detach vale9 vi9",        # vale9 goes with it
        "if del vi1",
        "if del vi9",
        "if del vi8",
        "switch del vale8",
    ]
    for a in plan:
        a.run(fake)
    assert set(fake.switches_) == {"vale0"} and set(fake.ifs) == {"vi0"}


def test_prune_keeps_a_switch_with_ephemeral_ports():
    fake = FakeVale()
    fake.add_switch("vale5")
    fake.open_ephemeral("vale5", "p0")
    plan = plan_apply(topology.Topology(), fake.live(), prune=True)
    assert words(plan) == []
    assert plan.notes == ["switch vale5 kept: 1 ephemeral port(s) still on it"]


def test_ephemeral_ports_are_left_alone():
    fake = FakeVale()
    fake.open_ephemeral("vale0", "p0")      # vale0 exists, not persistent
    plan = apply(fake, TOPO)
    # vale0 is there, with the default ageing the file asks for: not sent
    assert words(plan) == ["if add vi0", "if add vi1 tx_slots 256",
                           "port attach vale0 vi0", "port attach vale0 vi1"]
    assert plan.refresh == []
    assert fake.switches_["vale0"].ports[0] == ("p0", "ephemeral")
    assert words(apply(fake, TOPO)) == []


def test_a_switch_that_would_vanish_is_made_again():
    fake = FakeVale()
    fake.add_if("vi0")
    fake.attach("vale0", "vi0")             # vale0: not persistent, one port
    t = topology.loads('[switch.vale0]\nports = []\n[interface.vi0]\n')
    plan = apply(fake, t)
    assert words(plan) == ["port detach vale0 vi0", "switch add vale0"]
    assert fake.switches_["vale0"].persistent
    assert words(apply(fake, t)) == []


def test_lookup_change_resends_configuration():
    live = Live(switches={"vale0": Switch("vale0", 0, "l3", 0, True)})
    plan = plan_apply(TOPO, live)
    assert words(plan)[2:4] == ["lookup set vale0 learn", "lookup config vale0 ageing 300"]
    assert plan.refresh == []
    assert plan.actions[3].module == "learn"


def test_geometry_unknown_for_an_interface_on_no_switch():
    live = Live(interfaces={"vi1": Interface("vi1")})
    plan = plan_apply(TOPO, live)
    assert "if add vi1 tx_slots 256" not in words(plan)
    assert plan.notes == ["interface vi1: its geometry is not known (it is on no switch), "
                          "so it is left as it is"]


def test_nic_ports_are_attached_by_name():
    t = topology.loads('[switch.vale0]\nports = ["eth1"]\n')
    assert words(plan_apply(t, Live())) == ["switch add vale0", "port attach vale0 eth1"]


def test_a_nic_and_its_host_stack_are_one_attach():
    fake = FakeVale()
    t = topology.loads('[switch.vale0]\nports = ["eth0", "eth0^"]\n')
    assert words(apply(fake, t)) == ["switch add vale0", "port attach vale0 eth0 host"]
    assert [(p.name, p.kind, p.host) for p in fake.ports()] == \
        [("eth0", "nic", True), ("eth0^", "host", False)]
    assert words(apply(fake, t)) == []
    # shown and applied again: the same
    assert words(apply(fake, topology.loads(topology.dumps(topology.from_live(fake.live()))))) \
        == []
    # without its host stack: off and on again, without it
    t2 = topology.loads('[switch.vale0]\nports = ["eth0"]\n')
    assert words(apply(fake, t2)) == ["port detach vale0 eth0", "port attach vale0 eth0"]
    assert [(p.name, p.host) for p in fake.ports()] == [("eth0", False)]
    assert words(apply(fake, t)) == ["port detach vale0 eth0", "port attach vale0 eth0 host"]
    # down: one detach takes both; the switch (made by apply) goes
    assert words(down(fake, t)) == ["port detach vale0 eth0", "switch del vale0"]
    assert fake.state() == ({}, {})


def test_a_nic_moves_with_its_host_stack():
    fake = FakeVale()
    fake.attach("vale5", "eth0", host=True)
    t = topology.loads('[switch.vale0]\nports = ["eth0", "eth0^"]\n')
    # the plan counts both ports: vale5 (made by the attach) goes with them
    assert words(apply(fake, t)) == ["port detach vale5 eth0", "switch add vale0",
                                     "port attach vale0 eth0 host"]
    assert set(fake.switches_) == {"vale0"}


def test_down():
    fake = FakeVale()
    apply(fake, TOPO)
    fake.add_if("vi9")
    fake.attach("vale9", "vi9")
    plan = down(fake, TOPO)
    assert words(plan) == ["port detach vale0 vi0", "port detach vale0 vi1",
                           "if del vi0", "if del vi1", "switch del vale0"]
    assert set(fake.switches_) == {"vale9"} and set(fake.ifs) == {"vi9"}
    assert words(down(fake, TOPO)) == []


def test_down_keeps_a_switch_with_undeclared_ports():
    fake = FakeVale()
    apply(fake, TOPO)
    fake.add_if("vi9")
    fake.attach("vale0", "vi9")
    plan = down(fake, TOPO)
    assert "switch del vale0" not in words(plan)
    assert plan.notes == ["switch vale0 kept: 1 port(s) the file does not declare still on it"]


def test_down_detaches_a_declared_interface_from_an_undeclared_switch():
    fake = FakeVale()
    fake.add_if("vi0")
    fake.attach("vale7", "vi0")
    t = topology.loads("[interface.vi0]\n")
    assert words(down(fake, t)) == ["port detach vale7 vi0", "if del vi0"]
    assert fake.state() == ({}, {})


def test_action_words_and_run():
    assert str(Action("attach", "vale0", "vi0")) == "port attach vale0 vi0"
    assert str(Action("attach", "vale0", "eth0", args=(("host", True),))) == \
        "port attach vale0 eth0 host"
    assert str(Action("lookup_set", "vale0", args=(("lookup", "l3"),))) == "lookup set vale0 l3"
    assert str(Action("if_add", "vi0", args=(("tx_rings", 2),))) == "if add vi0 tx_rings 2"
    fake = FakeVale()
    Action("if_add", "vi0", args=(("tx_rings", 2),)).run(fake)
    assert fake.ifs["vi0"]["tx_rings"] == 2


def test_show_output_applied_is_a_no_op():
    fake = FakeVale()
    apply(fake, TOPO)
    fake.open_ephemeral("vale0", "p0")
    fake.add_if("vi5")
    fake.attach("vale3", "vi5")
    shown = topology.loads(topology.dumps(topology.from_live(fake.live())))
    assert words(apply(fake, shown)) == []


def _random_kernel(rnd):
    fake = FakeVale()
    fake.netdevs = {"lo"}   # a file declaring a NIC as an interface is not tested here
    for i in range(rnd.randrange(6)):
        name = "vi%d" % rnd.randrange(8)
        if name not in fake.ifs:
            fake.add_if(name, tx_slots=rnd.choice([256, 1024]))
    for name in list(fake.ifs):
        if rnd.random() < 0.6:
            fake.attach("vale%d" % rnd.randrange(3), name)
    for i in range(rnd.randrange(3)):
        name = "vale%d" % rnd.randrange(4)
        if name not in fake.switches_:
            fake.add_switch(name, lookup=rnd.choice([None, "l3"]))
    if rnd.random() < 0.3:
        fake.open_ephemeral("vale%d" % rnd.randrange(3), "p0")
    return fake


def test_random_apply_converges_and_down_cleans_up():
    rnd = random.Random(1)
    for _ in range(500):
        topo = _random_topology(rnd)
        topo.switches = {n: s for n, s in topo.switches.items()
                         if all(p in topo.interfaces for p in s.ports)}  # no NICs here
        fake = _random_kernel(rnd)
        prune = rnd.random() < 0.3
        # a persistent interface on no switch is no switch port: only its
        # netdev shows, so only a file that names it finds it
        hidden = {n for n in fake.ifs if fake._find(n)[0] is None}
        declared_ports = {p for s in topo.switches.values() for p in s.ports}
        kept = {(s.name, p) for s in fake.switches_.values() for p, k in s.ports.values()
                if k != "ephemeral" and s.name not in topo.switches and p not in declared_ports}
        apply(fake, topo, prune=prune)
        if not prune:
            assert kept <= {(s.name, p) for s in fake.switches_.values()
                            for p, _ in s.ports.values()}
        # the kernel matches the file
        for name, spec in topo.switches.items():
            sw = fake.switches_[name]
            assert [p for _, (p, k) in sorted(sw.ports.items()) if k != "ephemeral"] \
                == spec.ports or sorted(p for p, k in sw.ports.values() if k != "ephemeral") \
                == sorted(spec.ports)
            if spec.lookup:
                assert sw.lookup == spec.lookup
            assert spec.config.items() <= sw.config.items()
        for name, spec in topo.interfaces.items():
            assert spec.geometry().items() <= fake.ifs[name].items() or name in hidden
        if prune:
            assert set(fake.ifs) <= set(topo.interfaces) | hidden
        # again: nothing to do
        before = fake.state()
        assert words(apply(fake, topo, prune=prune)) == []
        assert fake.state() == before
        # down: what the file declares is gone, the rest is untouched
        others = {n for n in fake.ifs if n not in topo.interfaces}
        down(fake, topo)
        assert not set(topo.interfaces) & set(fake.ifs)
        assert others <= set(fake.ifs)
        for name in topo.switches:
            sw = fake.switches_.get(name)
            assert sw is None or any(p not in topo.switches[name].ports
                                     for p, _ in sw.ports.values())
        assert words(down(fake, topo)) == []
