"""Small network tools for the NIC port tests, run inside a network
namespace with `ip netns exec NS python3 nettool.py CMD ...` (the VM has
no ping or netcat; iperf3 may be missing). Each prints one JSON line.

  ping DST [COUNT] [TIMEOUT]        ICMP echo over a raw socket
  tcp-recv PORT [TIMEOUT]           accept one connection, hash all it sends
  tcp-send DST PORT NBYTES [SEED]   connect and send NBYTES of seeded data
  udp-recv PORT COUNT [TIMEOUT]     receive datagrams, check their payloads
  udp-send DST PORT COUNT [SIZE]    send COUNT numbered datagrams
  arp-request IFACE SRC_IP DST_IP   one broadcast ARP who-has, raw
  sniff-arp IFACE DST_IP [TIMEOUT]  wait for an ARP who-has of DST_IP
  raw-send IFACE HEX [COUNT]        send raw Ethernet frames
  raw-recv IFACE ETHERTYPE COUNT [TIMEOUT]  receive raw frames of a type
"""
import hashlib
import json
import os
import random
import select
import socket
import struct
import sys
import time


def out(**kw):
    print(json.dumps(kw), flush=True)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ping(dst, count=3, timeout=5.0):
    count, timeout = int(count), float(timeout)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    ident = os.getpid() & 0xFFFF
    got = 0
    for seq in range(count):
        payload = b"vale-nic-%d" % seq
        hdr = struct.pack("!BBHHH", 8, 0, 0, ident, seq)
        pkt = struct.pack("!BBHHH", 8, 0, csum(hdr + payload), ident, seq) + payload
        s.sendto(pkt, (dst, 0))
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            r, _, _ = select.select([s], [], [], end - time.monotonic())
            if not r:
                break
            data, addr = s.recvfrom(2048)
            ihl = (data[0] & 0xF) * 4
            t, _, _, i, sq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
            if t == 0 and i == ident and sq == seq and addr[0] == dst:
                got += 1
                break
    out(sent=count, received=got)
    return 0 if got == count else 1


def data_stream(nbytes, seed):
    rnd = random.Random(seed)
    left = nbytes
    while left:
        n = min(left, 65536)
        yield rnd.randbytes(n)
        left -= n


def tcp_recv(port, timeout=120.0):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind(("0.0.0.0", int(port)))
    ls.listen(1)
    print("listening", file=sys.stderr, flush=True)
    ls.settimeout(float(timeout))
    c, _ = ls.accept()
    c.settimeout(float(timeout))
    h, n = hashlib.sha256(), 0
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    out(bytes=n, sha256=h.hexdigest())
    return 0


def tcp_send(dst, port, nbytes, seed=1, timeout=120.0):
    h = hashlib.sha256()
    end = time.monotonic() + 10
    while True:
        try:
            s = socket.create_connection((dst, int(port)), timeout=float(timeout))
            break
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.2)
    for chunk in data_stream(int(nbytes), int(seed)):
        h.update(chunk)
        s.sendall(chunk)
    s.shutdown(socket.SHUT_WR)
    s.recv(1)
    s.close()
    out(bytes=int(nbytes), sha256=h.hexdigest())
    return 0


def udp_payload(seq, size):
    head = struct.pack("!I", seq)
    return head + random.Random(seq).randbytes(size - len(head))


def udp_recv(port, count, timeout=30.0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("0.0.0.0", int(port)))
    print("listening", file=sys.stderr, flush=True)
    seen, bad = set(), 0
    end = time.monotonic() + float(timeout)
    while len(seen) < int(count) and time.monotonic() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
        if not r:
            break
        data = s.recv(65536)
        seq = struct.unpack("!I", data[:4])[0]
        if data != udp_payload(seq, len(data)):
            bad += 1
        seen.add(seq)
    out(received=len(seen), bad=bad)
    return 0


def udp_send(dst, port, count, size=1200):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for seq in range(int(count)):
        s.sendto(udp_payload(seq, int(size)), (dst, int(port)))
        if seq % 16 == 15:
            time.sleep(0.002)  # no burst larger than a socket buffer
    out(sent=int(count))
    return 0


def mac_of(iface):
    with open("/sys/class/net/%s/address" % iface) as f:
        return bytes.fromhex(f.read().strip().replace(":", ""))


def arp_request(iface, src_ip, dst_ip):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    mac = mac_of(iface)
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, mac, socket.inet_aton(src_ip),
                      b"\0" * 6, socket.inet_aton(dst_ip))
    s.send(b"\xff" * 6 + mac + b"\x08\x06" + arp)
    out(sent=1)
    return 0


def sniff_arp(iface, dst_ip, timeout=10.0):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0806))
    s.bind((iface, 0))
    print("listening", file=sys.stderr, flush=True)
    want = socket.inet_aton(dst_ip)
    end = time.monotonic() + float(timeout)
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
        if not r:
            break
        data, addr = s.recvfrom(2048)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if len(data) >= 42 and data[20:22] == b"\0\1" and data[38:42] == want:
            out(seen=True, src=data[6:12].hex())
            return 0
    out(seen=False)
    return 0


def raw_send(iface, hexframe, count=1):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    frame = bytes.fromhex(hexframe)
    for _ in range(int(count)):
        s.send(frame)
    out(sent=int(count))
    return 0


def raw_recv(iface, ethertype, count, timeout=10.0):
    et = int(ethertype, 0)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(et))
    s.bind((iface, 0))
    print("listening", file=sys.stderr, flush=True)
    frames = []
    end = time.monotonic() + float(timeout)
    while len(frames) < int(count) and time.monotonic() < end:
        r, _, _ = select.select([s], [], [], max(0, end - time.monotonic()))
        if not r:
            break
        data, addr = s.recvfrom(65536)
        if addr[2] != socket.PACKET_OUTGOING:
            frames.append(data.hex())
    out(frames=frames)
    return 0


CMDS = {
    "ping": ping, "tcp-recv": tcp_recv, "tcp-send": tcp_send,
    "udp-recv": udp_recv, "udp-send": udp_send,
    "arp-request": arp_request, "sniff-arp": sniff_arp,
    "raw-send": raw_send, "raw-recv": raw_recv,
}

if __name__ == "__main__":
    sys.exit(CMDS[sys.argv[1]](*sys.argv[2:]))
