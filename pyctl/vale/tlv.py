"""Netlink attributes by hand, for the lookup modules' own LOOKUP_CONFIG
nests ("l3", "of"): each numbers its attributes its own way, so pyctl
carries the nest as bytes (netlink.valemsg) and writes and reads it
here.  Numbers in host order, as netlink has them."""
import struct

NLA_F_NESTED = 0x8000
TYPE_MASK = 0x3FFF


def attr(t, payload=b"", nested=False):
    """One attribute, padded to 4 bytes."""
    n = 4 + len(payload)
    return struct.pack("=HH", n, t | (NLA_F_NESTED if nested else 0)) + payload + \
        b"\0" * ((4 - n % 4) % 4)


def u8(t, v):
    return attr(t, struct.pack("=B", v))


def u16(t, v):
    return attr(t, struct.pack("=H", v))


def u32(t, v):
    return attr(t, struct.pack("=I", v))


def u64(t, v):
    return attr(t, struct.pack("=Q", v))


def nest(t, *attrs):
    return attr(t, b"".join(attrs), nested=True)


def decode(data):
    """[(type, payload)] of the attributes in data, in order."""
    out, pos = [], 0
    while pos + 4 <= len(data):
        n, t = struct.unpack_from("=HH", data, pos)
        if n < 4 or pos + n > len(data):
            break
        out.append((t & TYPE_MASK, bytes(data[pos + 4:pos + n])))
        pos += (n + 3) & ~3
    return out


def number(payload):
    """A u8, u16, u32 or u64 payload as an int, None for another size."""
    fmt = {1: "=B", 2: "=H", 4: "=I", 8: "=Q"}.get(len(payload))
    return struct.unpack(fmt, payload)[0] if fmt else None
