"""Hostile stick contents: folders where files are expected, a torn ledger, many and oddly named record files."""
import csv
import io
import os
import re
import struct

from rig import DEFAULT_INI, Scenario, mtools

VM_OK_INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
HEADER = "time,serial,manufacturer,product,verdict,errors,warnings,codes,report"
WHOLE_ROW = "2026-12-01T09:00:00Z,OLD-1,Contoso,Book 14,GO,0,0,,\\preflight\\reports\\OLD-1-20261201T090000.json"
# What a power cut mid-append leaves: the row cut inside a field, then a cluster's worth of zeros.
TORN_TAIL = b"2026-12-01T09:05:00Z,OLD-2,Contoso,\"Book" + b"\0" * 40
RECORD_CSV = ("Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model\n"
              "{serial},,,QEMU,Standard PC (Q35 + ICH9, 2009)\n")


def ledger_rows(run):
    data = run.reports.get("ledger.csv")
    if data is None:
        raise AssertionError("no ledger.csv")
    if b"\0" in data:
        raise AssertionError("ledger.csv still holds NUL bytes")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    bad = [r for r in rows if len(r) != 9]
    if bad:
        raise AssertionError(f"ledger rows without 9 fields: {bad}")
    return rows


def check_ini_folder(runs):
    run = runs[0]
    warnings = [w["message"] for w in run.report_json()["config"]["warnings"]]
    if not any("preflight.ini" in w and "is a folder, not a file" in w for w in warnings):
        raise AssertionError(f"config warnings do not say preflight.ini is a folder: {warnings}")
    if "is a folder, not a file" not in run.serial or "malformed line" in run.serial:
        raise AssertionError("console does not say the config is a folder (or read it as text)")


def check_ledger_folder(runs):
    run = runs[0]
    led = run.report_json()["ledger"]
    if led["state"] != "unusable" or "is a folder, not a file" not in led["detail"]:
        raise AssertionError(f"ledger {led}")
    if "could not be saved" in run.serial:
        raise AssertionError("console says the reports could not be saved although they were")
    if "Ledger: " not in run.serial or "rename or delete that folder" not in run.serial:
        raise AssertionError("console has no ledger line telling what to do")
    text = [n for n in run.reports if n.endswith(".txt")]
    if len(text) != 1 or b"Ledger: " not in run.reports[text[0]]:
        raise AssertionError(f"text report missing or without the ledger line: {text}")


def check_ledger_torn(runs):
    run = runs[0]
    led = run.report_json()["ledger"]
    if led["state"] != "repaired" or led["cut_bytes"] != len(TORN_TAIL) or led["rows_before"] != 1:
        raise AssertionError(f"ledger note {led}, expected repaired, {len(TORN_TAIL)} bytes cut, 1 row kept")
    rows = ledger_rows(run)
    if [r[1] for r in rows] != ["serial", "OLD-1", "TORN-1"]:
        raise AssertionError(f"ledger serials {[r[1] for r in rows]}")
    if rows[2][8] != run.result["report"]:
        raise AssertionError(f"new row names {rows[2][8]}, result line {run.result['report']}")


def check_found(where):
    def check(runs):
        rec = runs[0].report_json()["record"]
        if rec["match"] != "found" or rec["file"] != where:
            raise AssertionError(f"record {rec['match']} in {rec['file']!r}, expected found in {where!r}")
        searched = [l.strip() for l in runs[0].lines if "searched in" in l]
        print(f"qemu: {where}: {searched[-1] if searched else 'no search line'}; boot {runs[0].seconds:.1f} s",
              flush=True)
    return check


# 8.3 names: mtools needs minutes to invent short names for 10,000 long ones; the firmware's work is the same.
MANY = {f"preflight/records/R{i:05d}.CSV": RECORD_CSV.format(serial=f"OTHER-{i:05d}") for i in range(9999)}
MANY["preflight/records/R09999.CSV"] = RECORD_CSV.format(serial="MANY-1")
LONG_NAME = "Autopilot export " + "for the third floor cart, " * 7 + "final.csv"
ODD_NAME = "Geräte März 2026 ✓ 设备.csv"

def big_csv(path, size=2 * 1024 ** 3 + 64 * 1024 ** 2):
    """A records file over 2 GiB: rows of other devices with 4 KB hashes, the device's own row last."""
    row = b"FILLER-%07d,,AAAA" + b"A" * 3996 + b",Contoso,Contoso Book 14\n"
    with open(path, "wb") as f:
        f.write(RECORD_CSV.split("\n")[0].encode() + b"\n")
        written, i = 0, 0
        while written < size:
            block = b"".join(row % (i + k) for k in range(1000))
            f.write(block)
            written += len(block)
            i += 1000
        f.write(RECORD_CSV.split("\n")[1].format(serial="BIG-1").encode() + b"\n")


def fat_chain(img, path):
    """The cluster chain of a file on a FAT32 image, as mshowfat prints it (<833-842>)."""
    out = mtools("mshowfat", "-i", img, "::/" + path).stdout.decode()
    clusters = []
    for a, b in re.findall(r"<(\d+)(?:-(\d+))?>", out):
        clusters += list(range(int(a), int(b or a) + 1))
    if len(clusters) < 3:
        raise AssertionError(f"{path}: chain too short to damage: {out!r}")
    return clusters


def set_fat(img, cluster, value):
    """Writes one FAT32 entry in every FAT copy (the damage a bad stick or a bad tool leaves)."""
    with open(img, "r+b") as f:
        boot = f.read(512)
        bps, _, reserved, nfats = struct.unpack_from("<HBHB", boot, 11)
        fat_sectors = struct.unpack_from("<I", boot, 36)[0]
        for i in range(nfats):
            f.seek((reserved + i * fat_sectors) * bps + cluster * 4)
            f.write(struct.pack("<I", value))


def out_of_range(img):
    """bad.csv's second cluster points far past the end of the volume."""
    set_fat(img, fat_chain(img, "preflight/records/bad.csv")[1], 0x0FFFFF00 - 1)


def cross_linked(img):
    """bad.csv's second cluster continues into good.csv's chain: both files share clusters."""
    good = fat_chain(img, "preflight/records/good.csv")
    set_fat(img, fat_chain(img, "preflight/records/bad.csv")[1], good[1])


def damaged_files():
    rows = "".join(f"DMG-OTHER-{i:05d},,,Contoso,Contoso Book 14\n" for i in range(300))
    head = RECORD_CSV.split("\n")[0] + "\n"
    return {"preflight/records/bad.csv": head + rows,
            "preflight/records/good.csv": head + rows + RECORD_CSV.split("\n")[1].format(serial="DMG-1") + "\n"}


def check_damaged(where_bad, must_name):
    def check(runs):
        doc = runs[0].report_json()
        if doc["record"]["match"] not in ("found", "ambiguous") or doc["verdict"] not in ("GO", "WARN", "NO-GO"):
            raise AssertionError(f"record {doc['record']['match']}, verdict {doc['verdict']}")
        bad = [f for f in doc["findings"] if f["code"] == "REC-FILE-INVALID" and where_bad in (f["detail"] or "")]
        if must_name and not any(must_name in (f["detail"] or "") + f["message"] for f in bad):
            raise AssertionError(f"no REC-FILE-INVALID naming {where_bad} with {must_name!r}: "
                                 f"{[(f['code'], f['detail']) for f in doc['findings']]}")
        print(f"qemu: damaged FAT: {[(f['code'], f['detail']) for f in bad] or 'no finding'}; record "
              f"{doc['record']['match']} in {doc['record']['file']}", flush=True)
    return check


SCENARIOS = [
    Scenario("stick-ini-is-folder", smbios=["type=1,serial=INIDIR-1"], ini=None,
             files={"preflight/preflight.ini/": None}, stop_on=["PREFLIGHT RESULT"], timeout=120,
             check=check_ini_folder),
    Scenario("stick-ledger-is-folder", smbios=["type=1,serial=LEDDIR-1"], ini=VM_OK_INI,
             files={"preflight/reports/ledger.csv/": None}, check=check_ledger_folder),
    Scenario("stick-ledger-torn", smbios=["type=1,serial=TORN-1"], ini=VM_OK_INI,
             files={"preflight/reports/ledger.csv": (HEADER + "\n" + WHOLE_ROW + "\n").encode() + TORN_TAIL},
             check=check_ledger_torn),
    Scenario("stick-fat-out-of-range-cluster", smbios=["type=1,serial=DMG-1"], ini=VM_OK_INI, files=damaged_files(),
             damage=out_of_range, check=check_damaged("bad.csv", "damaged")),
    # A cross-link cannot be seen by a reader (the FAT driver follows it): the run must still end whole.
    Scenario("stick-fat-cross-linked", smbios=["type=1,serial=DMG-1"], ini=VM_OK_INI, files=damaged_files(),
             damage=cross_linked, check=check_damaged("bad.csv", None)),
    Scenario("stick-odd-file-names", smbios=["type=1,serial=ODD-1"], ini=VM_OK_INI,
             files={"preflight/records/" + ODD_NAME: RECORD_CSV.format(serial="ODD-1"),
                    "preflight/records/" + LONG_NAME: RECORD_CSV.format(serial="ODD-2")},
             check=check_found("\\preflight\\records\\" + ODD_NAME)),
]


# -- make usb's image: a GPT with one EFI System Partition ---------------------------------------------------
ESP_GUID = "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"


def check_gpt_stick(runs):
    import json as _json
    import os
    import subprocess
    import zipfile
    img = os.path.join(runs[0].work, "stick.img")
    table = _json.loads(subprocess.run(["sfdisk", "--json", img], check=True, capture_output=True,
                                       timeout=30).stdout)["partitiontable"]
    parts = table["partitions"]
    if table["label"] != "gpt" or len(parts) != 1 or parts[0]["type"] != ESP_GUID or parts[0]["start"] != 2048:
        raise AssertionError(f"partition table {table}")
    if not runs[0].reports or runs[0].result["report"] == "none":
        raise AssertionError("no report written into the partition's file system")
    # The zip of the same tree (make usb's second output): the folder layout a technician unpacks.
    zpath = os.path.join(runs[0].work, "stick.zip")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.run([os.path.join(root, "scripts", "mkimage"), "-o", os.path.join(runs[0].work, "z.img"),
                    "--zip", zpath, "--tree", os.path.join(root, "scripts", "usb-stick")],
                   check=True, capture_output=True, timeout=120)
    names = set(zipfile.ZipFile(zpath).namelist())
    want = {"EFI/BOOT/BOOTX64.EFI", "preflight/preflight.ini", "preflight/records/", "preflight/reports/"}
    if not want <= names:
        raise AssertionError(f"zip lacks {sorted(want - names)}: {sorted(names)}")


SCENARIOS.append(Scenario("stick-gpt-whole-disk", smbios=["type=1,serial=GPT-1"], ini=VM_OK_INI, gpt=True,
                          check=check_gpt_stick))


def check_from_zip(runs):
    if runs[0].result["report"] == "none" or not runs[0].reports:
        raise AssertionError("the stick made from the zip wrote no report")
    print(f"qemu: stick from make usb's zip: {runs[0].result}", flush=True)


SCENARIOS.append(Scenario("stick-from-usb-zip", smbios=["type=1,serial=ZIP-1"], ini=VM_OK_INI, from_zip=True,
                          check=check_from_zip))

# The two that take a minute or more each (10,000 files opened by name; a 2 GiB file): make test-long.
if os.environ.get("PF_LONG") == "1":
    SCENARIOS += [
        Scenario("stick-10000-record-files", smbios=["type=1,serial=MANY-1"], ini=VM_OK_INI, files=MANY, timeout=300,
                 check=check_found("\\preflight\\records\\R09999.CSV")),
        Scenario("stick-2gb-records-file", smbios=["type=1,serial=BIG-1"], ini=VM_OK_INI, size_mb=2400, timeout=300,
                 files={"preflight/records/big.csv": big_csv}, check=check_found("\\preflight\\records\\big.csv")),
    ]


# -- the same healthy device with its stick on USB (XHCI) and on virtio-blk ---------------------------------
# Every other scenario boots the stick on USB as a PC does; this one boots the demo's healthy device (Secure
# Boot on with the 2023 certificates, TPM with EK certificate, test network, its record) once each way on
# the same stick, and the reports must say the same.
DEMO = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "scripts",
                    "demo-stick", "preflight", "records")
DEMO_SMBIOS = ["type=1,manufacturer=Contoso,product=Contoso Book 14,version=A01,serial=CNT-DEMO-0001,"
               "uuid=6b1f3c2e-1d2a-4e5f-9a8b-0c1d2e3f4a5b,sku=CB14-EDU,family=Contoso Book",
               "type=2,manufacturer=Contoso,product=CB14 Mainboard,serial=MB-DEMO-0001",
               "type=3,manufacturer=Contoso,serial=CH-DEMO-0001"]
DEMO_INI = "[after]\naction = shutdown\n[identity]\nallow_virtual_machine = true\n"
# What differs from boot to boot whatever the stick (measured): times, durations, the clock skew's second,
# and the ledger (the second boot finds the first one's row).
VARYING = re.compile(r"(^|\.)(started|time|ms|[a-z_]*_ms|clock_skew_s)$|^ledger\.")
NOW = re.compile(r"(time )\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")  # "judged against network time ..."


def flat(doc, prefix=""):
    if isinstance(doc, dict):
        out = {}
        for k, v in doc.items():
            out.update(flat(v, f"{prefix}{k}."))
        return out
    if isinstance(doc, list):
        out = {}
        for i, v in enumerate(doc):
            out.update(flat(v, f"{prefix}{i}."))
        return out
    return {prefix[:-1]: NOW.sub(r"\1(now)", doc) if isinstance(doc, str) else doc}


def check_usb_virtio(runs):
    usb, virtio = runs
    if usb.result["verdict"] != virtio.result["verdict"] or usb.result["errors"] != virtio.result["errors"] \
            or usb.result["warnings"] != virtio.result["warnings"]:
        raise AssertionError(f"result on USB {usb.result}, on virtio {virtio.result}")
    a, b = flat(usb.report_json()), flat(virtio.report_json())
    differ = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k) and not VARYING.search(k))
    # The one difference a PC would show too: the stick as a disk. On USB the firmware's DiskInfo names it
    # (bus usb, SCSI INQUIRY model); OVMF's virtio-blk driver offers no DiskInfo (docs/architecture.md).
    sticks = {k.rsplit(".", 1)[0] for k in differ if re.match(r"identity\.disks\.\d+\.(bus|model)$", k)}
    for d in sticks:
        if a.get(d + ".boot_media") is not True or b.get(d + ".boot_media") is not True \
                or a.get(d + ".bus") != "usb" or b.get(d + ".bus") is not None:
            raise AssertionError(f"disk {d}: on USB {a.get(d + '.bus')}/{a.get(d + '.boot_media')}, "
                                 f"on virtio {b.get(d + '.bus')}/{b.get(d + '.boot_media')}")
    rest = [k for k in differ if k.rsplit(".", 1)[0] not in sticks]
    if rest:
        raise AssertionError("the reports differ between USB and virtio: " +
                             "; ".join(f"{k}: {a.get(k)!r} / {b.get(k)!r}" for k in rest[:8]))
    if not sticks:
        raise AssertionError("the stick is not among the disks, or named the same on USB and virtio")
    print(f"qemu: stick on USB and on virtio: {usb.result['verdict']} both, {len(a)} report fields the same but "
          f"times and the stick's disk entry ({a[sorted(sticks)[0] + '.model']!r} on usb); boot "
          f"{usb.seconds:.1f} s on USB, {virtio.seconds:.1f} s on virtio", flush=True)


def demo_records():
    return {"preflight/records/" + n: open(os.path.join(DEMO, n), "rb").read() for n in sorted(os.listdir(DEMO))}


SCENARIOS.append(Scenario("healthy-usb-and-virtio", smbios=DEMO_SMBIOS, ini=DEMO_INI, files=demo_records(),
                          store="ms2023", sign="test-db", tpm="ek", net=[], runs=2, stick=("usb", "virtio"),
                          timeout=120, verdict="GO", check=check_usb_virtio))
