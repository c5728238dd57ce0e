"""Hostile stick contents: folders where files are expected, a torn ledger, many and oddly named record files."""
import csv
import io

from rig import DEFAULT_INI, Scenario

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

SCENARIOS = [
    Scenario("stick-ini-is-folder", smbios=["type=1,serial=INIDIR-1"], ini=None,
             files={"preflight/preflight.ini/": None}, stop_on=["PREFLIGHT RESULT"], timeout=120,
             check=check_ini_folder),
    Scenario("stick-ledger-is-folder", smbios=["type=1,serial=LEDDIR-1"], ini=VM_OK_INI,
             files={"preflight/reports/ledger.csv/": None}, check=check_ledger_folder),
    Scenario("stick-ledger-torn", smbios=["type=1,serial=TORN-1"], ini=VM_OK_INI,
             files={"preflight/reports/ledger.csv": (HEADER + "\n" + WHOLE_ROW + "\n").encode() + TORN_TAIL},
             check=check_ledger_torn),
    Scenario("stick-10000-record-files", smbios=["type=1,serial=MANY-1"], ini=VM_OK_INI, files=MANY, timeout=300,
             check=check_found("\\preflight\\records\\R09999.CSV")),
    Scenario("stick-odd-file-names", smbios=["type=1,serial=ODD-1"], ini=VM_OK_INI,
             files={"preflight/records/" + ODD_NAME: RECORD_CSV.format(serial="ODD-1"),
                    "preflight/records/" + LONG_NAME: RECORD_CSV.format(serial="ODD-2")},
             check=check_found("\\preflight\\records\\" + ODD_NAME)),
]
