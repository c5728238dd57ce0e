#!/usr/bin/env python3
"""Writes a small PE32+ EFI application with a version resource: a stand-in for bootmgfw.efi.

Usage: mkpe.py OUT VERSION [--trailing N] [--machine x64|arm64] [--svn MAJOR.MINOR]
VERSION is "10.0.26100.1" (FileVersion and ProductVersion alike). The code section is
`xor eax, eax; ret` (returns EFI_SUCCESS) on x64. --trailing appends N bytes of data after the
sections (not in any section), which the Authenticode hash must cover. --svn adds the boot manager's
security version number as Windows tools find it: an RT_RCDATA (10) resource named
BOOTMGRSECURITYVERSIONNUMBER holding a 32-bit value, major in the high 16 bits, minor in the low.
Built from the PE/COFF specification's layouts; no toolchain involved.
"""
import struct
import sys

FILE_ALIGN = 0x200
SECT_ALIGN = 0x1000


def align(n, a):
    return (n + a - 1) // a * a


def utf16z(s):
    return s.encode("utf-16-le") + b"\0\0"


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def block(key, value, children=b"", wtype=1, value_len=None):
    """One VS_VERSIONINFO-style block: wLength, wValueLength, wType, key, pad, value, pad, children."""
    head = pad4(struct.pack("<HHH", 0, 0, wtype) + utf16z(key))
    body = pad4(head + value) + children
    if value_len is None:
        value_len = len(value) // 2 if wtype == 1 else len(value)
    return pad4(struct.pack("<HH", len(body), value_len) + body[4:])


def version_info(ver):
    a, b, c, d = (int(x) for x in ver.split("."))
    fixed = struct.pack("<13I", 0xFEEF04BD, 0x00010000, a << 16 | b, c << 16 | d, a << 16 | b, c << 16 | d,
                        0x3F, 0, 0x40004, 1, 0, 0, 0)
    strings = b"".join(block(k, utf16z(v)) for k, v in [
        ("CompanyName", "Preflight Test"), ("FileDescription", "Boot Manager stand-in"),
        ("FileVersion", f"{ver} (WinBuild.160101.0800)"), ("ProductVersion", ver)])
    table = block("040904B0", b"", strings)
    sfi = block("StringFileInfo", b"", table)
    vfi = block("VarFileInfo", b"", block("Translation", struct.pack("<HH", 0x409, 1200), wtype=0))
    return block("VS_VERSION_INFO", fixed, sfi + vfi, wtype=0)


def resources(rva, ver, svn=None):
    """Type 16 -> name 1 -> language 0x409 -> data entry -> VS_VERSIONINFO; with svn also, first (IDs in
    ascending order), type 10 -> the name BOOTMGRSECURITYVERSIONNUMBER -> language 0x409 -> four bytes."""
    def directory(entries, named=0):
        head = struct.pack("<IIHHHH", 0, 0, 0, 0, named, len(entries) - named)
        return head + b"".join(struct.pack("<II", k, v) for k, v in entries)
    data = version_info(ver)
    if svn is None:
        root = directory([(16, 0x80000000 | 24)])
        name = directory([(1, 0x80000000 | 48)])
        lang = directory([(0x409, 72)])
        entry = struct.pack("<IIII", rva + 88, len(data), 0, 0)
        return root + name + lang + entry + data
    major, minor = (int(x) for x in svn.split("."))
    value = struct.pack("<I", major << 16 | minor)
    text = "BOOTMGRSECURITYVERSIONNUMBER"
    string = pad4(struct.pack("<H", len(text)) + text.encode("utf-16-le"))
    # Offsets: root (2 entries), then per type a name directory, a language directory and a data entry.
    root_len, dir_len, entry_len = 16 + 16, 24, 16
    rc_name, rc_lang, rc_entry = root_len, root_len + dir_len, root_len + 2 * dir_len
    v_name, v_lang, v_entry = rc_entry + entry_len, rc_entry + entry_len + dir_len, rc_entry + entry_len + 2 * dir_len
    str_at = v_entry + entry_len
    value_at = str_at + len(string)
    data_at = value_at + len(value)
    root = directory([(10, 0x80000000 | rc_name), (16, 0x80000000 | v_name)])
    out = root + directory([(0x80000000 | str_at, 0x80000000 | rc_lang)], named=1) + directory([(0x409, rc_entry)])
    out += struct.pack("<IIII", rva + value_at, len(value), 0, 0)
    out += directory([(1, 0x80000000 | v_lang)]) + directory([(0x409, v_entry)])
    out += struct.pack("<IIII", rva + data_at, len(data), 0, 0)
    assert len(out) == str_at
    return out + string + value + data


def build(ver, trailing=0, machine=0x8664, svn=None):
    code = b"\x31\xc0\xc3" if machine == 0x8664 else b"\x00\x00\x80\xd2\xc0\x03\x5f\xd6"  # mov x0,#0; ret
    sections = [(b".text", code, 0x60000020), (b".data", b"Preflight stand-in boot manager\0", 0xC0000040)]
    rsrc_rva = SECT_ALIGN * (len(sections) + 1)
    sections.append((b".rsrc", resources(rsrc_rva, ver, svn), 0x40000040))
    n = len(sections)
    headers = align(0x80 + 24 + 240 + 40 * n, FILE_ALIGN)
    out_sections, raw, off = [], b"", headers
    for i, (name, body, flags) in enumerate(sections):
        rawsize = align(len(body), FILE_ALIGN)
        out_sections.append(struct.pack("<8sIIIIIIHHI", name, len(body), SECT_ALIGN * (i + 1), rawsize, off,
                                        0, 0, 0, 0, flags))
        raw += body + b"\0" * (rawsize - len(body))
        off += rawsize
    image_size = SECT_ALIGN * (n + 1)
    dirs = [(0, 0)] * 16
    dirs[2] = (rsrc_rva, len(sections[2][1]))
    opt = struct.pack("<HBBIIIII", 0x20B, 14, 0, FILE_ALIGN, len(raw) - FILE_ALIGN, 0, SECT_ALIGN, SECT_ALIGN)
    opt += struct.pack("<QIIHHHHHHIIIIHHQQQQII", 0x10000000, SECT_ALIGN, FILE_ALIGN, 0, 0, 0, 0, 0, 0, 0,
                       image_size, headers, 0, 10, 0x0160, 0x100000, 0x1000, 0x100000, 0x1000, 0, 16)
    opt += b"".join(struct.pack("<II", *d) for d in dirs)
    assert len(opt) == 240
    coff = struct.pack("<HHIIIHH", machine, n, 0, 0, 0, len(opt), 0x0022)
    dos = b"MZ" + b"\0" * 0x3A + struct.pack("<I", 0x80)
    dos += b"\0" * (0x80 - len(dos))
    head = dos + b"PE\0\0" + coff + opt + b"".join(out_sections)
    head += b"\0" * (headers - len(head))
    return head + raw + bytes((i * 7 + 3) & 0xFF for i in range(trailing))


def main(argv):
    args = argv[1:]
    trailing, machine = 0, 0x8664
    if "--trailing" in args:
        i = args.index("--trailing")
        trailing = int(args[i + 1])
        del args[i:i + 2]
    if "--machine" in args:
        i = args.index("--machine")
        machine = {"x64": 0x8664, "arm64": 0xAA64}[args[i + 1]]
        del args[i:i + 2]
    svn = None
    if "--svn" in args:
        i = args.index("--svn")
        svn = args[i + 1]
        del args[i:i + 2]
    out, ver = args
    with open(out, "wb") as f:
        f.write(build(ver, trailing, machine, svn))


if __name__ == "__main__":
    main(sys.argv)
