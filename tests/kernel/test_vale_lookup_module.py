"""A lookup module in its own kernel module (examples/lookup-hello): loaded,
set on a switch over netlink, forwarding as it says, swapped under traffic,
and protected against rmmod while a switch uses it."""
import os
import subprocess
import threading

import pytest
from pyroute2.netlink.exceptions import NetlinkError

from conftest import MODULES, dmesg_mark, dmesg_since, module_loaded, run
from netmap import Port
from vale_genl import request

HELLO_KO = os.path.join(MODULES, "lookup", "vale_lookup_hello.ko")


def set_lookup(switch, name):
    request("LOOKUP_SET", [("VALE_ATTR_SWITCH_NAME", switch), ("VALE_ATTR_LOOKUP_NAME", name)])


def send(port, frames):
    n = port.send(frames)
    port.txsync()
    return n


def recv(port):
    port.rxsync()
    return port.recv()


def frame(dst_last_byte, payload=b"hello"):
    dst = bytes([0x02, 0, 0, 0, 0, dst_last_byte])
    src = bytes([0x02, 0, 0, 0, 0, 0x99])
    return (dst + src + b"\x88\xb5" + payload).ljust(60, b"\0")


@pytest.fixture
def hello():
    if not module_loaded("vale_lookup_hello"):
        run("insmod", HELLO_KO)
    yield
    if module_loaded("vale_lookup_hello"):
        subprocess.run(["rmmod", "vale_lookup_hello"], check=False)


def test_hello_forwards_by_last_mac_byte(hello):
    ports = [Port("valeh1:p%d" % i, tx_slots=64, rx_slots=64) for i in range(3)]
    try:
        set_lookup("valeh1", "hello")
        send(ports[0], [frame(2)])
        assert len(recv(ports[2])) == 1
        assert recv(ports[1]) == []
        send(ports[2], [frame(1)])
        assert len(recv(ports[1])) == 1
        assert recv(ports[0]) == []
    finally:
        for p in ports:
            p.close()


def test_rmmod_refused_while_a_switch_uses_it(hello):
    a, b = Port("valeh2:a", tx_slots=64, rx_slots=64), Port("valeh2:b", tx_slots=64, rx_slots=64)
    try:
        set_lookup("valeh2", "hello")
        r = subprocess.run(["rmmod", "vale_lookup_hello"], capture_output=True, text=True)
        assert r.returncode != 0
        assert "in use" in r.stderr
        assert module_loaded("vale_lookup_hello")
        set_lookup("valeh2", "learn")
        run("rmmod", "vale_lookup_hello")
        assert not module_loaded("vale_lookup_hello")
    finally:
        a.close()
        b.close()


def test_unknown_module_is_refused_with_enoent():
    a = Port("valeh3:a", tx_slots=64, rx_slots=64)
    try:
        with pytest.raises(NetlinkError) as err:
            set_lookup("valeh3", "nosuchmodule")
        assert err.value.code == 2  # ENOENT
    finally:
        a.close()


def test_swap_under_traffic_keeps_forwarding(hello):
    """Both modules send these frames to b (hello: port 1; learn: flood),
    so b keeps receiving across 40 swaps, and never more than was sent."""
    a, b = Port("valeh4:a", tx_slots=256, rx_slots=256), Port("valeh4:b", tx_slots=256, rx_slots=256)
    stop = threading.Event()
    sent = [0]

    def sender():
        while not stop.is_set():
            sent[0] += send(a, [frame(1)] * 32)

    mark = dmesg_mark()
    got = 0
    t = threading.Thread(target=sender)
    t.start()
    try:
        for i in range(40):
            set_lookup("valeh4", "hello" if i % 2 == 0 else "learn")
            got += len(recv(b))
    finally:
        stop.set()
        t.join()
    got += len(recv(b))
    set_lookup("valeh4", "learn")
    a.close()
    b.close()
    assert 0 < got <= sent[0]
    assert not [l for l in dmesg_since(mark) if "WARNING" in l or "BUG" in l]
