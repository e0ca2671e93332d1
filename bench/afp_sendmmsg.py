#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""afp_sendmmsg: a frame generator on an AF_PACKET socket, for
bench/run-nic-bench: the same broadcast frame sent as fast as sendmmsg(2)
goes, in batches, out of one interface, for a while.

    afp_sendmmsg.py IFNAME LEN SECS

prints {"sent": N, "secs": T} (T: the time spent sending). Python only
prepares the batch once and loops over one libc call per batch, so the
kernel's transmit path (and whatever the interface's peer does with the
frames in the same softirq) is what is measured, not a netmap port.
"""
import ctypes
import ctypes.util
import json
import os
import socket
import sys
import time

BATCH = 512
ETH_P_TEST = 0x88B5     # IEEE local experimental: no stack takes it


class iovec(ctypes.Structure):
    _fields_ = [("iov_base", ctypes.c_void_p), ("iov_len", ctypes.c_size_t)]


class msghdr(ctypes.Structure):
    _fields_ = [("msg_name", ctypes.c_void_p), ("msg_namelen", ctypes.c_uint32),
                ("msg_iov", ctypes.POINTER(iovec)), ("msg_iovlen", ctypes.c_size_t),
                ("msg_control", ctypes.c_void_p), ("msg_controllen", ctypes.c_size_t),
                ("msg_flags", ctypes.c_int)]


class mmsghdr(ctypes.Structure):
    _fields_ = [("msg_hdr", msghdr), ("msg_len", ctypes.c_uint)]


def frame(ifname, length):
    with open("/sys/class/net/%s/address" % ifname) as f:
        src = bytes.fromhex(f.read().strip().replace(":", ""))
    head = b"\xff" * 6 + src + ETH_P_TEST.to_bytes(2, "big")
    return head + bytes(max(0, length - len(head)))


def main():
    ifname, length, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.bind((ifname, 0))
    buf = ctypes.create_string_buffer(frame(ifname, length))
    iov = iovec(ctypes.cast(buf, ctypes.c_void_p), length)
    msgs = (mmsghdr * BATCH)()
    for m in msgs:
        m.msg_hdr.msg_iov = ctypes.pointer(iov)
        m.msg_hdr.msg_iovlen = 1
    sent = 0
    start = time.monotonic()
    end = start + secs
    while time.monotonic() < end:
        n = libc.sendmmsg(s.fileno(), msgs, BATCH, 0)
        if n < 0:
            err = ctypes.get_errno()
            if err in (105, 11):    # ENOBUFS, EAGAIN: a full queue, try again
                continue
            raise OSError(err, os.strerror(err))
        sent += n
    print(json.dumps({"sent": sent, "secs": time.monotonic() - start}))


if __name__ == "__main__":
    main()
