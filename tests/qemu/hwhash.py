"""Test oracle: builds Autopilot hardware hashes ("OA" blob of typed records, Base64) from chosen fields.

Written from ../shared/docs/autopilot.md, independently of common/hwhash.c. Layout: "OA", a u16 (LE)
offset where the records end, records from offset 4 as {u8 type, u8 0, u16 length including the
4-byte header, payload}, then a trailer (checksum/signature stand-in) that decoders do not read.
Strings are UTF-8 with their NUL counted in the length, as Windows writes them.

Usage as a tool: hwhash.py --serial S [--uuid U] [--manufacturer M] [--product P] [--mac 14:aa:bb:..]
                 [--disk SERIAL[:CAPACITY[:BUS]]] ...   prints the Base64 hash.
"""
import argparse
import base64
import hashlib
import struct
import sys
import uuid as uuidlib

# Record types (autopilot.md, "Hardware hash").
T_VERSIONS, T_PROCESSOR, T_DISK_INFO, T_DISK_SERIAL, T_NIC = 1, 2, 6, 7, 8
T_CHASSIS, T_OFFLINE_ID, T_UUID, T_TPM_VERSION, T_SERIAL = 10, 11, 12, 13, 14
T_FIRMWARE_VENDOR, T_MANUFACTURER, T_PRODUCT, T_SKU, T_FAMILY = 15, 16, 17, 18, 19
T_FIRMWARE_VENDOR2, T_BOARD_PRODUCT, T_BOARD_VERSION, T_SYSTEM_VERSION = 20, 21, 22, 23
T_PRODUCT_KEY_ID, T_TPM_EK_PUB, T_PRODUCT_KEY_PART, T_DISK_SERIAL_KERNEL = 24, 25, 26, 28

# String record type -> the report's key under record.hash.
STRING_TYPES = {
    "serial": T_SERIAL, "manufacturer": T_MANUFACTURER, "product": T_PRODUCT, "sku": T_SKU,
    "family": T_FAMILY, "system_version": T_SYSTEM_VERSION, "firmware_vendor": T_FIRMWARE_VENDOR,
    "firmware_vendor2": T_FIRMWARE_VENDOR2, "board_product": T_BOARD_PRODUCT, "board_version": T_BOARD_VERSION,
    "tpm_version": T_TPM_VERSION, "product_key_id": T_PRODUCT_KEY_ID, "product_key_part": T_PRODUCT_KEY_PART,
}
BUS = {"scsi": 1, "ata": 3, "raid": 8, "sas": 10, "sata": 11, "nvme": 17}
MEDIUM = {"wireless": 1, "wifi": 9, "bluetooth": 10, "ethernet": 14}
ARCH = {"x86": 0, "x64": 9, "arm64": 12}


def record(rtype, payload):
    """One record: type, an unused byte, the length counting this 4-byte header, the payload."""
    return struct.pack("<BBH", rtype, 0, len(payload) + 4) + payload


def string_record(rtype, text):
    return record(rtype, text.encode("utf-8") + b"\0")


def uuid_smbios_bytes(text):
    """A UUID as text ("6b1f3c2e-...") in SMBIOS type 1 byte order: first three fields little-endian."""
    return uuidlib.UUID(text).bytes_le


def mac_bytes(text):
    digits = "".join(c for c in text if c not in ":-. ")
    if len(digits) != 12:
        raise ValueError(f"MAC {text!r}: need 12 hex digits")
    return bytes.fromhex(digits)


def blob(records, trailer=b"\xa5" * 16, end=None, magic=b"OA"):
    """The binary hash: magic, end-of-records offset (computed unless given), records, trailer."""
    body = b"".join(records)
    if end is None:
        end = 4 + len(body)
    return magic + struct.pack("<H", end) + body + trailer


def b64(data):
    return base64.b64encode(data).decode("ascii")


class Device:
    """The fields of one device's hash; build() gives the records, expected() what a decoder must report."""

    def __init__(self, serial=None, uuid=None, manufacturer=None, product=None, sku=None, family=None,
                 system_version=None, firmware_vendor=None, firmware_vendor2=None, board_product=None,
                 board_version=None, tpm_version=None, product_key_id=None, product_key_part=None,
                 macs=(), disks=(), disk_serials_kernel=(), chassis_type=None, power_role=None,
                 processor_arch=None, offline_id_kind=None, tpm_ek_pub=None, unknown=((99, b"\x01\x02\x03"),)):
        self.strings = {k: v for k, v in dict(
            serial=serial, manufacturer=manufacturer, product=product, sku=sku, family=family,
            system_version=system_version, firmware_vendor=firmware_vendor, firmware_vendor2=firmware_vendor2,
            board_product=board_product, board_version=board_version, tpm_version=tpm_version,
            product_key_id=product_key_id, product_key_part=product_key_part).items() if v is not None}
        self.uuid = uuid
        self.macs = [(m, "ethernet") if isinstance(m, str) else tuple(m) for m in macs]   # (mac, medium name)
        self.disks = [d if isinstance(d, dict) else {"serial": d} for d in disks]          # serial, capacity, bus
        self.disk_serials_kernel = list(disk_serials_kernel)
        self.chassis_type, self.power_role = chassis_type, power_role
        self.processor_arch, self.offline_id_kind = processor_arch, offline_id_kind
        self.tpm_ek_pub = tpm_ek_pub
        self.unknown = list(unknown)

    def records(self):
        out = [record(T_VERSIONS, bytes([10, 0, 0x61, 0x4A, 0, 0, 0, 0]))]
        if self.processor_arch is not None:
            out.append(record(T_PROCESSOR, bytes([ARCH[self.processor_arch], 0, 8, 0])))
        for d in self.disks:
            info = struct.pack("<I", d.get("capacity", 512000)) + bytes(4) + bytes([BUS[d.get("bus", "nvme")]])
            out.append(record(T_DISK_INFO, info + bytes(3)))
            out.append(string_record(T_DISK_SERIAL, d["serial"]))
        for s in self.disk_serials_kernel:
            out.append(string_record(T_DISK_SERIAL_KERNEL, s))
        for mac, medium in self.macs:
            out.append(record(T_NIC, bytes([MEDIUM[medium], 0, 0, 0]) + mac_bytes(mac) + bytes(2)))
        if self.chassis_type is not None:
            out.append(record(T_CHASSIS, bytes([self.chassis_type, self.power_role or 0])))
        if self.offline_id_kind is not None:
            out.append(record(T_OFFLINE_ID, bytes(4) + bytes([self.offline_id_kind, 0, 0, 0])))
        if self.uuid is not None:
            out.append(record(T_UUID, uuid_smbios_bytes(self.uuid)))
        for name, rtype in sorted(STRING_TYPES.items(), key=lambda kv: kv[1]):
            if name in self.strings:
                out.append(string_record(rtype, self.strings[name]))
        if self.tpm_ek_pub is not None:
            out.append(record(T_TPM_EK_PUB, self.tpm_ek_pub))
        for rtype, payload in self.unknown:
            out.append(record(rtype, payload))
        return out

    def binary(self):
        return blob(self.records())

    def base64(self):
        return b64(self.binary())

    def expected(self):
        """record.hash as the report must show it (fields this builder sets; others absent/null)."""
        # Decoders trim trailing NULs and blanks from strings (autopilot.md).
        exp = {name: self.strings[name].rstrip() if name in self.strings else None for name in STRING_TYPES}
        exp["uuid"] = str(uuidlib.UUID(self.uuid)).upper() if self.uuid else None
        exp["records"] = len(self.records())
        exp["truncated"] = False
        exp["disk_serials"] = [d["serial"].rstrip() for d in self.disks]
        exp["disk_serials_kernel"] = [s.rstrip() for s in self.disk_serials_kernel]
        exp["disks"] = [{"capacity": d.get("capacity", 512000), "bus_type": BUS[d.get("bus", "nvme")],
                         "bus": d.get("bus", "nvme")} for d in self.disks]
        exp["nics"] = [{"mac": mac_bytes(m).hex(":"), "medium_type": MEDIUM[med], "medium": med}
                       for m, med in self.macs]
        exp["chassis_type"] = self.chassis_type
        exp["power_role"] = None if self.chassis_type is None else (self.power_role or 0)
        exp["processor_arch"] = self.processor_arch
        exp["offline_id_kind"] = self.offline_id_kind
        exp["tpm_ek_pub_bytes"] = None if self.tpm_ek_pub is None else len(self.tpm_ek_pub)
        exp["tpm_ek_pub_sha256"] = None if self.tpm_ek_pub is None else hashlib.sha256(self.tpm_ek_pub).hexdigest()
        return exp


def compare(report_hash, device):
    """Differences between a report's record.hash and what device should decode to (empty: equal)."""
    if report_hash is None:
        return ["record.hash is null"]
    problems = []
    for key, want in device.expected().items():
        got = report_hash.get(key, "<missing>")
        if got != want:
            problems.append(f"record.hash.{key}: built {want!r}, report has {got!r}")
    return problems


def main(argv):
    ap = argparse.ArgumentParser(description="Build an Autopilot hardware hash (Base64) from fields.")
    for name in STRING_TYPES:
        ap.add_argument("--" + name.replace("_", "-"))
    ap.add_argument("--uuid")
    ap.add_argument("--mac", action="append", default=[], help="MAC[/medium], medium one of " + ",".join(MEDIUM))
    ap.add_argument("--disk", action="append", default=[], help="SERIAL[:CAPACITY[:BUS]]")
    ap.add_argument("--chassis-type", type=int)
    ap.add_argument("--arch", choices=sorted(ARCH))
    a = ap.parse_args(argv)
    macs = [tuple(m.split("/", 1)) if "/" in m else (m, "ethernet") for m in a.mac]
    disks = []
    for d in a.disk:
        parts = d.split(":")
        disks.append({"serial": parts[0], "capacity": int(parts[1]) if len(parts) > 1 else 512000,
                      "bus": parts[2] if len(parts) > 2 else "nvme"})
    strings = {n: getattr(a, n) for n in STRING_TYPES}
    dev = Device(uuid=a.uuid, macs=macs, disks=disks, chassis_type=a.chassis_type, processor_arch=a.arch, **strings)
    print(dev.base64())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
