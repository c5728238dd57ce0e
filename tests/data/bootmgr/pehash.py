#!/usr/bin/env python3
"""Reference Authenticode SHA-256 of a PE file, written from Microsoft's "Windows Authenticode Portable
Executable Signature Format" (the hashing steps), independent of common/pe.c. Prints the hex digest."""
import hashlib
import struct
import sys


def authenticode_sha256(data):
    lfanew = struct.unpack_from("<I", data, 0x3C)[0]
    assert data[lfanew:lfanew + 4] == b"PE\0\0"
    nsect, optsize = struct.unpack_from("<H", data, lfanew + 6)[0], struct.unpack_from("<H", data, lfanew + 20)[0]
    opt = lfanew + 24
    magic = struct.unpack_from("<H", data, opt)[0]
    dd = opt + (112 if magic == 0x20B else 96)
    checksum = opt + 64
    secent = dd + 4 * 8
    headers = struct.unpack_from("<I", data, opt + 60)[0]
    cert_off, cert_size = struct.unpack_from("<II", data, secent)
    h = hashlib.sha256()
    h.update(data[:checksum])
    h.update(data[checksum + 4:secent])
    h.update(data[secent + 8:headers])
    done = headers
    table = opt + optsize
    sects = []
    for i in range(nsect):
        size, ptr = struct.unpack_from("<II", data, table + 40 * i + 16)
        sects.append((ptr, size))
    for ptr, size in sorted(sects, key=lambda s: s[0]):
        if size:
            h.update(data[ptr:ptr + size])
            done += size
    if len(data) > done:
        h.update(data[done:len(data) - cert_size])
    return h.hexdigest()


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        print(authenticode_sha256(f.read()))
