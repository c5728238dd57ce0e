"""Power cuts while the reports and the ledger are written: QEMU is SIGKILLed (no shutdown) at points
spread over the save window; the stick must stay consistent and the next boot must repair and go on.

The stick's writes are throttled (25 writes/s) so that the save window spans about a second and cuts
land inside single writes (JSON, text, rename, ledger append), not only between them. make test runs
a quick subset; make test-long (PF_LONG=1) runs all cut points.
"""
import csv
import io
import json
import os
import re

from rig import DEFAULT_INI, Scenario

INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
LEDGER_HEADER = ["time", "serial", "manufacturer", "product", "verdict", "errors", "warnings", "codes", "report"]
# A cut point is a fraction of the first boot's save window, or (negative) seconds before its end: the
# text report, the rename and the ledger append take the last tenth of the window.
QUICK = [0.1, 0.5, -0.12]
FULL = [round(0.05 * i, 2) for i in range(0, 18)] + [-0.005 * i for i in range(1, 31, 4)]  # 26 cut points
# Aimed at the ledger append: seconds after its "adding the ledger row" line (a few throttled writes).
QUICK_LEDGER = [0.1]
FULL_LEDGER = [0.02 * i for i in range(0, 12)]  # 12 more cut points


def torn(ledger):
    """True when the ledger bytes do not end with a whole row (what the next boot must repair)."""
    if not ledger:
        return False
    if not ledger.endswith(b"\n") or b"\0" in ledger:
        return True
    rows = list(csv.reader(io.StringIO(ledger.decode("utf-8", "replace"), newline="")))
    return len(rows[-1]) != len(LEDGER_HEADER)


def check_final_names(reports, when):
    """No file under a final report name is partial: JSON parses, text ends with its verdict line."""
    for name, data in reports.items():
        if name.endswith(".json"):
            try:
                doc = json.loads(data.decode("utf-8"))
            except (UnicodeDecodeError, ValueError) as e:
                raise AssertionError(f"{when}: {name} is not whole JSON ({len(data)} bytes): {e}")
            if doc.get("schema") != "preflight-report/1" or "verdict" not in doc:
                raise AssertionError(f"{when}: {name} lacks schema or verdict")
        elif name.endswith(".txt"):
            lines = data.decode("utf-8", "replace").rstrip("\n").split("\n")
            if not data.endswith(b"\n") or not lines[-1].startswith("Verdict: "):
                raise AssertionError(f"{when}: {name} does not end with its verdict line: {lines[-1][:60]!r}")


# fsck.fat -n findings that a cut inside a FAT update leaves and the FAT format cannot prevent (no
# journal): the two FAT copies written one after the other, clusters allocated to a file whose directory entry was not yet written (lost clusters,
# free count), a directory entry whose size ran ahead of its clusters (the next boot's repair cuts
# such a ledger back), the rename's two entries for a moment. docs/report.md lists them.
FAT_UNAVOIDABLE = ("FATs differ", "unused clusters", "cluster chain length is", "free cluster summary", "Reclaimed", "File size is", "Dirty bit",
                   "Truncating file", "share clusters", "Free cluster", "lost", "Unused cluster")


def fsck_damage(rc_out):
    """fsck.fat's findings, one each: a line with its indented continuation lines ("/path" then "  File size
    is ..."), without the banner, the summary, and "Auto-correcting." / "Using first FAT." notes."""
    rc, out = rc_out
    if rc == 0:
        return []
    found = []
    for line in out.splitlines():
        if not line.strip() or line.startswith(("fsck.fat ", "Leaving filesystem")):
            continue
        if re.match(r"^\S+: \d+ files, \d+/\d+ clusters$", line):
            continue
        if line[0] in " \t":
            if found and not line.strip().startswith(("Auto-correcting", "Using first FAT")):
                found[-1] += " " + line.strip()
            continue
        found.append(line.strip())
    return found


def phase(first, cut):
    """Where the cut landed, read from what the stick holds afterwards."""
    if cut.cut_at is None:
        return "nowhere: the run ended before the cut point"
    if "LEDGER.CSV" in cut.fsck[1].upper() and "cluster chain length" in cut.fsck[1]:
        return "inside the ledger append (chain grown, size not yet written)"
    before = {n for n in first.reports}
    now = cut.reports
    new = sorted(n for n in now if n not in before)
    json_final = any(n.endswith(".json") for n in new)
    both = [n for n in new if n.endswith(".tmp") and n[:-4] in now]
    if both:
        return f"inside a rename ({both[0]} and its final name both on the stick)"
    if any(n.endswith(".json.tmp") for n in new) and not json_final:
        return "inside the JSON report write or its rename (.json.tmp left)"
    if any(n.endswith(".txt.tmp") for n in new) and not any(n.endswith(".txt") for n in new):
        return "inside the text report write or its rename (.txt.tmp left)"
    if torn(now.get("ledger.csv", b"")):
        return "inside the ledger append (torn row)"
    if now.get("ledger.csv") != first.reports.get("ledger.csv"):
        return "after the ledger row"
    if any(n.endswith(".txt") for n in new):
        return "after the text report, before the ledger"
    if json_final:
        return "after the JSON report"
    return "before the first write"


def check_power_cut(runs):
    first, cut, after = runs
    where = phase(first, cut)
    check_final_names(cut.reports, "after the cut")
    check_final_names(after.reports, "after the next boot")
    damage = fsck_damage(cut.fsck)
    unexplained = [l for l in damage if not any(k.lower() in l.lower() for k in FAT_UNAVOIDABLE)]
    if unexplained:
        raise AssertionError(f"cut {where}: fsck.fat -n reports damage beyond FAT's own limits: {unexplained[:6]}")
    after_damage = [l for l in fsck_damage(after.fsck) if not any(k.lower() in l.lower() for k in FAT_UNAVOIDABLE)]
    if after_damage:
        raise AssertionError(f"cut {where}: after the next boot fsck.fat -n reports {after_damage[:6]}")
    # The next boot: a torn ledger is repaired with a note, then a whole row is appended.
    doc = after.report_json()
    led = doc["ledger"]
    cut_ledger = cut.reports.get("ledger.csv", b"")
    if torn(cut_ledger):
        if led["state"] != "repaired" or not led["cut_bytes"]:
            raise AssertionError(f"cut {where}: ledger was torn but the next boot says {led}")
    elif led["state"] not in ("ok", "absent"):
        raise AssertionError(f"cut {where}: ledger whole but the next boot says {led}")
    data = after.reports.get("ledger.csv", b"")
    if torn(data):
        raise AssertionError(f"cut {where}: the ledger is still torn after the next boot")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    if rows[0] != LEDGER_HEADER:
        raise AssertionError(f"ledger header {rows[0]}")
    serials = [r[1] for r in rows[1:]]
    cut_row = 1 if cut_ledger != first.reports.get("ledger.csv") and not torn(cut_ledger) else 0
    if len(serials) != 3 + cut_row or rows[-1][8] != after.result["report"]:
        raise AssertionError(f"cut {where}: ledger rows {serials}, expected {3 + cut_row}, last naming "
                             f"{after.result['report']}: {rows[-1]}")
    at = f"{cut.cut_at:.3f} s" if cut.cut_at is not None else "(none)"
    print(f"qemu: power cut at {at} of a {first.window:.3f} s (then {cut.window or 0:.3f} s, {after.window or 0:.3f} s) "
          f"save window: {where}; fsck {'clean' if not damage else '; '.join(damage[:3])}; "
          f"next boot: ledger {led['state']}" + (f" ({led['cut_bytes']} bytes cut)" if led["cut_bytes"] else ""),
          flush=True)


# A stick used before: the ledger and a report exist, so the measuring boot and the cut boot do the same
# writes (creating the ledger would make the first boot's window longer than the second's).
OLD_ROW = "2026-12-01T09:00:00Z,AAA-OLD,Contoso,Book 14,GO,0,0,,\\preflight\\reports\\AAA-OLD-20261201T090000.json\n"
FILES = {"preflight/reports/ledger.csv": ",".join(LEDGER_HEADER) + "\n" + OLD_ROW,
         "preflight/reports/AAA-OLD-20261201T090000.json": json.dumps({"schema": "preflight-report/1", "verdict": "GO"}),
         "preflight/reports/AAA-OLD-20261201T090000.txt": "Preflight report\n\nVerdict: GO (0 errors, 0 warnings)\n"}
LONG = os.environ.get("PF_LONG") == "1"


def cut_scenario(name, f, ledger=False):
    return Scenario(name, smbios=["type=1,manufacturer=Contoso,product=Book 14,serial=CUT-1"], ini=INI, files=FILES,
                    stick_opts="throttling.iops-write=25", cut=f, cut_ledger=ledger, timeout=120,
                    check=check_power_cut)


SCENARIOS = [cut_scenario(f"powercut-{int(f * 100):03d}" if f >= 0 else f"powercut-end-{int(round(-f * 1000)):03d}ms", f)
             for f in (FULL if LONG else QUICK)]
SCENARIOS += [cut_scenario(f"powercut-ledger-{int(round(f * 1000)):03d}ms", f, ledger=True)
              for f in (FULL_LEDGER if LONG else QUICK_LEDGER)]
