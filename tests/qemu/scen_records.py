"""QEMU scenarios for Autopilot records on the stick: CSV and Graph JSON files, matching, hash verification.

Hashes come from tests/qemu/hwhash.py (the oracle, written apart from common/hwhash.c); each scenario
asserts the JSON report's record object and REC-* findings, not only the console.
"""
import hwhash
from rig import Scenario, both

INI = ("[after]\naction = shutdown\n[network]\nenabled = false\n"
       "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n")

SERIAL = "PF-REC-0001"
UUID = "6b1f3c2e-1d2a-4e5f-9a8b-0c1d2e3f4a5b"
SMBIOS = ["type=1,manufacturer=Contoso,product=Contoso Book 14,version=A01,serial=" + SERIAL
          + ",uuid=" + UUID + ",sku=CB14-EDU,family=Contoso Book",
          "type=2,manufacturer=Contoso,product=CB14 Mainboard,serial=MB-REC-0001"]
RECDIR = "\\preflight\\records\\"
ALL_REC = ["REC-NONE-AVAILABLE", "REC-FILE-INVALID", "REC-NOT-FOUND", "REC-AMBIGUOUS", "REC-MANUFACTURER-MISMATCH",
           "REC-MODEL-MISMATCH", "REC-HASH-MISMATCH", "REC-HASH-UNDECODABLE", "REC-NO-PROFILE",
           "REC-ENROLLMENT-STATE", "REC-NO-ASSIGNED-USER"]

# This device's hash as Get-WindowsAutopilotInfo would capture it (no NIC, no TPM under the rig).
DEVICE = hwhash.Device(serial=SERIAL, uuid=UUID, manufacturer="Contoso", product="Contoso Book 14", sku="CB14-EDU",
                       family="Contoso Book", system_version="A01", firmware_vendor="EDK II",
                       board_product="CB14 Mainboard", disks=[{"serial": "S4EWNX0R123456", "capacity": 476940}],
                       macs=[("52:54:00:12:34:56", "ethernet"), ("52:54:00:ab:cd:ef", "wifi")],
                       chassis_type=10, power_role=2, processor_arch="x64", offline_id_kind=2)
# The same device captured with a TPM 2.0 (the rig boots it without one).
WITH_TPM = hwhash.Device(serial=SERIAL, uuid=UUID, manufacturer="Contoso", product="Contoso Book 14", tpm_version="2.0",
                         offline_id_kind=1, tpm_ek_pub=bytes(range(256)) + b"\x01\x00\x01")
# Another board: its own serial and UUID (the rest as DEVICE).
OTHER = hwhash.Device(serial="PF-OTHER-9999", uuid="0f0e0d0c-0b0a-0908-0706-050403020100", manufacturer="Contoso",
                      product="Contoso Book 14", firmware_vendor="EDK II")
OTHER_UUID_WINDOWS = "0F0E0D0C-0B0A-0908-0706-050403020100"
UUID_WINDOWS = UUID.upper()

HEADER = "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User,Manufacturer name,Device model"
USER = "tech.user@contoso.example"


def quote(field):
    """RFC 4180: fields with a comma, quote or line break are quoted, inner quotes doubled."""
    if any(c in field for c in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def row(serial, hash_b64="", tag="Kiosk", user=USER, make="Contoso", model="Contoso Book 14", pid=""):
    return ",".join(quote(f) for f in [serial, pid, hash_b64, tag, user, make, model])


def csv(*rows, header=HEADER):
    return ("\r\n".join((header,) + rows) + "\r\n").encode("utf-8")


FILLER = [row(f"PF-FILL-{i:04d}", hwhash.Device(serial=f"PF-FILL-{i:04d}").base64()) for i in range(3)]


def finding(doc, code):
    found = [f for f in doc["findings"] if f["code"] == code]
    if len(found) != 1:
        raise AssertionError(f"expected one {code} finding, report has {len(found)}: {[f['code'] for f in doc['findings']]}")
    return found[0]


def expect_hash(device):
    """Check: record.hash holds exactly what the oracle built into device."""
    def check(runs):
        problems = hwhash.compare(runs[0].report_json()["record"]["hash"], device)
        if problems:
            raise AssertionError("; ".join(problems))
    return check


def severity(code, want):
    def check(runs):
        got = finding(runs[0].report_json(), code)["severity"]
        if got != want:
            raise AssertionError(f"{code} severity {got}, expected {want}")
    return check



def no_errors(runs):
    if runs[0].result["errors"] != 0:
        raise AssertionError(f"errors={runs[0].result['errors']}: {[f['code'] for f in runs[0].report_json()['findings']]}")


def console_count(records, files):
    """Check: the console's summary line of the search."""
    def check(runs):
        want = f"{records} record(s) in {files} file(s) searched in "
        if not any(want in line for line in runs[0].lines):
            raise AssertionError(f"console has no '{want}... ms' line")
    return check


def console_has(*texts):
    """Check: the technician's screen (mirrored to serial) shows these lines."""
    def check(runs):
        for t in texts:
            if not any(t in line for line in runs[0].lines):
                raise AssertionError(f"console lacks {t!r}")
    return check


def rec(name, files, **kw):
    files = {"preflight/records/" + k: v for k, v in files.items()}
    return Scenario("rec-" + name, smbios=SMBIOS, ini=INI, files=files, **kw)


# -- matching record -------------------------------------------------------------------------------

def check_found(runs):
    doc = runs[0].report_json()
    r = doc["record"]
    if r["hash_mismatches"] != []:
        raise AssertionError(f"hash_mismatches {r['hash_mismatches']}")
    if r["hash"]["uuid_match"] != "stored-order":
        raise AssertionError(f"uuid_match {r['hash']['uuid_match']!r}")


FOUND_FIELDS = {"record.match": "found", "record.source": "csv", "record.file": RECDIR + "devices.csv",
                "record.line": 4, "record.serial": SERIAL.lower(), "record.manufacturer": "Contoso Inc.",
                "record.model": "contoso  book 14", "record.group_tag": 'Lab "A", Floor 2', "record.assigned_user": USER,
                "record.product_id": "00330-80000-00000-AA123", "record.hash_error": None,
                "record.files_seen": 1, "record.files_used": 1, "record.records_seen": 3,
                "record.invalid_files": []}


# -- ambiguous -------------------------------------------------------------------------------------

def check_ambiguous(runs):
    doc = runs[0].report_json()
    fd = finding(doc, "REC-AMBIGUOUS")
    for where in (RECDIR + "a-oem.csv line 2", RECDIR + "b-autopilot.csv line 3"):
        if where not in fd["detail"]:
            raise AssertionError(f"REC-AMBIGUOUS detail {fd['detail']!r} does not name {where!r}")
    got = [(m["file"], m["line"]) for m in doc["record"]["matches"]]
    if got != [(RECDIR + "a-oem.csv", 2), (RECDIR + "b-autopilot.csv", 3)]:
        raise AssertionError(f"record.matches {got}")


# -- hash of another device ------------------------------------------------------------------------

def check_hash_mismatch(runs):
    doc = runs[0].report_json()
    fd = finding(doc, "REC-HASH-MISMATCH")
    if fd["severity"] != "error":
        raise AssertionError(f"REC-HASH-MISMATCH severity {fd['severity']} (serial and UUID differ: board swapped)")
    for text in ("serial", "uuid"):
        if text not in fd["message"]:
            raise AssertionError(f"message {fd['message']!r} does not name {text}")
    for text in ('"PF-OTHER-9999"', f'"{SERIAL}"', f'"{OTHER_UUID_WINDOWS}"', f'"{UUID_WINDOWS}"',
                 RECDIR + "devices.csv line 2"):
        if text not in fd["detail"]:
            raise AssertionError(f"detail {fd['detail']!r} lacks {text}")
    mm = {m["field"]: (m["record"], m["live"]) for m in doc["record"]["hash_mismatches"]}
    want = {"serial": ("PF-OTHER-9999", SERIAL), "uuid": (OTHER_UUID_WINDOWS, UUID_WINDOWS)}
    if mm != want:
        raise AssertionError(f"hash_mismatches {mm}, expected {want}")
    if doc["record"]["hash"]["uuid_match"] != "differs":
        raise AssertionError(f"uuid_match {doc['record']['hash']['uuid_match']!r}")


# -- undecodable hash ------------------------------------------------------------------------------

# Valid Base64 of an OA blob whose second record claims 200 bytes where 12 remain.
LYING = hwhash.b64(hwhash.blob([hwhash.string_record(14, SERIAL), b"\x10\x00\xc8\x00Contoso\x00"]))


def check_undecodable(runs):
    doc = runs[0].report_json()
    fd = finding(doc, "REC-HASH-UNDECODABLE")
    if fd["severity"] != "warn":
        raise AssertionError(f"severity {fd['severity']}")
    if "record runs past the end of records" not in fd["message"] or RECDIR + "devices.csv line 2" not in fd["detail"]:
        raise AssertionError(f"finding does not say why and where: {fd}")


# -- UTF-16LE CSV as Windows PowerShell 5.1 writes it ----------------------------------------------

PS51 = ("\ufeff" + "Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n"
        + FILLER[0].rsplit(",", 2)[0] + "\r\n"
        + f"{SERIAL},,{DEVICE.base64()},Straße-Ω,anna.müller@contoso.example\r\n\r\n").encode("utf-16-le")

# -- Graph JSON page -------------------------------------------------------------------------------


def graph_device(serial, hash_b64, **extra):
    d = {"@odata.type": "#microsoft.graph.windowsAutopilotDeviceIdentity", "id": "a1b2c3d4-0000-4000-8000-" + serial[-12:].rjust(12, "0"),
         "serialNumber": serial, "manufacturer": "Contoso", "model": "Contoso Book 14", "groupTag": "Sales",
         "purchaseOrderIdentifier": "PO-77", "productKey": "", "enrollmentState": "notContacted",
         "lastContactedDateTime": "0001-01-01T00:00:00Z", "addressableUserName": "Anna Example",
         "userPrincipalName": "anna@contoso.example", "azureActiveDirectoryDeviceId": "00000000-0000-0000-0000-000000000000",
         "managedDeviceId": "00000000-0000-0000-0000-000000000000", "displayName": "", "skuNumber": "CB14-EDU",
         "systemFamily": "Contoso Book", "deploymentProfileAssignmentStatus": "assignedInSync",
         "deploymentProfileAssignedDateTime": "2024-05-01T10:00:00Z", "remediationState": "unknown",
         "hardwareIdentifier": hash_b64, "userlessEnrollmentStatus": "unknown"}
    d.update(extra)
    return d


def graph_page(*devices):
    import json
    return json.dumps({"@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/windowsAutopilotDeviceIdentities",
                       "@odata.count": len(devices), "value": list(devices),
                       "@odata.nextLink": "https://graph.microsoft.com/beta/deviceManagement/windowsAutopilotDeviceIdentities?$skiptoken=x"},
                      indent=2).encode("utf-8")


GRAPH_FILE = graph_page(graph_device("PF-FILL-0100", ""), graph_device("PF-FILL-0101", "", enrollmentState="enrolled"),
                        graph_device(SERIAL, DEVICE.base64()))
GRAPH_NOT_ASSIGNED = graph_page(graph_device(SERIAL, DEVICE.base64(), deploymentProfileAssignmentStatus="notAssigned",
                                             enrollmentState="failed"))

# -- an OEM/partner CSV: UTF-8 with BOM, LF, every field quoted, no hash, upper-case name --------------

PARTNER = ('\ufeff"Device Serial Number","Windows Product ID","Hardware Hash","Manufacturer name","Device model"\n'
           '"PF-FILL-0200","","","Contoso","Contoso Book 14"\n'
           f'"{SERIAL}","","","Contoso Corporation","Contoso Book 14"\n\n\n').encode("utf-8")

# -- an array of Graph pages, as a script that saves every page of a paged list writes it -----------

GRAPH_PAGES = ("[" + GRAPH_FILE.decode() + "," + graph_page(graph_device("PF-FILL-0300", "")).decode() + "]").encode()

# -- a broken file beside a good one ---------------------------------------------------------------

BROKEN = csv(FILLER[0], 'PF-FILL-0009,,"unclosed quote,Kiosk,,Contoso,Contoso Book 14', FILLER[1])


def check_broken(runs):
    doc = runs[0].report_json()
    bad = doc["record"]["invalid_files"]
    want = [{"file": RECDIR + "broken.csv", "line": 3, "reason": "quote opened on line 3 is not closed"}]
    if bad != want:
        raise AssertionError(f"record.invalid_files {bad}, expected {want}")
    fd = finding(doc, "REC-FILE-INVALID")
    if fd["severity"] != "warn" or RECDIR + "broken.csv, line 3" not in fd["detail"] or "not closed" not in fd["detail"]:
        raise AssertionError(f"REC-FILE-INVALID does not name file, line and reason: {fd}")


def check_no_user(runs):
    fd = finding(runs[0].report_json(), "REC-NO-ASSIGNED-USER")
    if fd["severity"] != "info":
        raise AssertionError(f"REC-NO-ASSIGNED-USER {fd}")
    if RECDIR + "devices.csv line 2" not in fd["detail"]:
        raise AssertionError(f"detail {fd['detail']!r} does not name the record")


SCENARIOS = [
    rec("found", {"devices.csv": csv(FILLER[0], FILLER[1],
                                     row(SERIAL.lower(), DEVICE.base64(), tag='Lab "A", Floor 2', make="Contoso Inc.", model="contoso  book 14",
                                         pid="00330-80000-00000-AA123"))},
        verdict="WARN", no_findings=ALL_REC, fields=FOUND_FIELDS,
        check=both(no_errors, check_found, expect_hash(DEVICE), console_count(3, 1),
                   console_has("Hardware hash  decoded; no field disagrees with this device"))),
    rec("not-found", {"devices.csv": csv(*FILLER)}, verdict="NO-GO", findings=["REC-NOT-FOUND"],
        no_findings=["REC-NONE-AVAILABLE", "REC-AMBIGUOUS", "REC-FILE-INVALID"],
        fields={"record.match": "not-found", "record.file": None, "record.line": None, "record.serial": None,
                "record.hash": None, "record.records_seen": 3, "record.files_used": 1},
        check=console_count(3, 1)),
    rec("no-files", {}, verdict="NO-GO", findings=["REC-NONE-AVAILABLE"],
        no_findings=["REC-NOT-FOUND", "REC-FILE-INVALID"],
        fields={"record.match": "no-records", "record.file": None, "record.source": None, "record.files_seen": 0},
        check=console_count(0, 0)),
    rec("ambiguous", {"a-oem.csv": csv(row(SERIAL, DEVICE.base64()), FILLER[0]),
                      "b-autopilot.csv": csv(FILLER[1], row(SERIAL, DEVICE.base64(), tag="Other"))},
        verdict="WARN", findings=["REC-AMBIGUOUS"], no_findings=["REC-NOT-FOUND", "REC-HASH-MISMATCH"],
        fields={"record.match": "ambiguous", "record.file": RECDIR + "a-oem.csv", "record.line": 2,
                "record.group_tag": "Kiosk"},
        check=both(no_errors, check_ambiguous)),
    rec("model-mismatch", {"devices.csv": csv(row(SERIAL, DEVICE.base64(), model="Fabrikam Tablet 9"))},
        verdict="NO-GO", findings=["REC-MODEL-MISMATCH"], no_findings=["REC-MANUFACTURER-MISMATCH", "REC-HASH-MISMATCH"],
        fields={"record.match": "found", "record.model": "Fabrikam Tablet 9"}),
    rec("manufacturer-mismatch", {"devices.csv": csv(row(SERIAL, DEVICE.base64(), make="Fabrikam, Inc."))},
        verdict="NO-GO", findings=["REC-MANUFACTURER-MISMATCH"], no_findings=["REC-MODEL-MISMATCH", "REC-HASH-MISMATCH"],
        fields={"record.match": "found", "record.manufacturer": "Fabrikam, Inc."}),
    rec("hash-other-device", {"devices.csv": csv(row(SERIAL, OTHER.base64()))},
        verdict="NO-GO", findings=["REC-HASH-MISMATCH"], no_findings=["REC-HASH-UNDECODABLE", "REC-NOT-FOUND"],
        fields={"record.match": "found", "record.hash.serial": "PF-OTHER-9999"},
        check=both(check_hash_mismatch, expect_hash(OTHER), console_has("Hardware hash  differs: serial, uuid"))),
    rec("hash-tpm-gone", {"devices.csv": csv(row(SERIAL, WITH_TPM.base64()))},
        verdict="WARN", findings=["REC-HASH-MISMATCH"], no_findings=["REC-HASH-UNDECODABLE"],
        fields={"record.match": "found",
                "record.hash_mismatches": [{"field": "tpm", "record": "present (2.0)", "live": "absent"}]},
        check=both(no_errors, expect_hash(WITH_TPM), severity("REC-HASH-MISMATCH", "warn"))),
    rec("hash-undecodable", {"devices.csv": csv(row(SERIAL, LYING))},
        verdict="WARN", findings=["REC-HASH-UNDECODABLE"], no_findings=["REC-HASH-MISMATCH"],
        fields={"record.match": "found", "record.hash": None, "record.hash_error": "record runs past the end of records",
                "record.hash_mismatches": []},
        check=both(no_errors, check_undecodable)),
    rec("utf16le-ps51", {"AutopilotHWID.csv": PS51}, verdict="WARN", no_findings=ALL_REC,
        fields={"record.match": "found", "record.file": RECDIR + "AutopilotHWID.csv", "record.line": 3,
                "record.group_tag": "Straße-Ω", "record.assigned_user": "anna.müller@contoso.example",
                "record.manufacturer": None, "record.records_seen": 2},
        check=both(no_errors, expect_hash(DEVICE))),
    rec("graph-page", {"export.json": GRAPH_FILE}, verdict="WARN", no_findings=ALL_REC,
        fields={"record.match": "found", "record.source": "graph-file", "record.file": RECDIR + "export.json",
                "record.line": 2, "record.group_tag": "Sales", "record.assigned_user": "anna@contoso.example",
                "record.enrollment_state": "notContacted", "record.profile_status": "assignedInSync",
                "record.manufacturer": "Contoso", "record.model": "Contoso Book 14", "record.records_seen": 3},
        check=both(no_errors, expect_hash(DEVICE), console_has(
            "File           " + RECDIR + "export.json entry 2", "Profile        assignedInSync, enrollment notContacted"))),
    rec("graph-not-assigned", {"export.json": GRAPH_NOT_ASSIGNED}, verdict="NO-GO",
        findings=["REC-NO-PROFILE", "REC-ENROLLMENT-STATE"], no_findings=["REC-NOT-FOUND", "REC-HASH-MISMATCH"],
        fields={"record.match": "found", "record.line": 0, "record.profile_status": "notAssigned",
                "record.enrollment_state": "failed"}),
    # "Contoso Corporation" is SMBIOS's "Contoso" only with tolerance, and a row without hash or product
    # ID is a tuple, which Autopilot compares exactly (REC-TUPLE-SPELLING, docs/findings.md).
    rec("partner-csv", {"OEM.CSV": PARTNER}, verdict="NO-GO", findings=["REC-NO-ASSIGNED-USER", "REC-TUPLE-SPELLING"],
        no_findings=["REC-NOT-FOUND", "REC-FILE-INVALID", "REC-MANUFACTURER-MISMATCH", "REC-HASH-MISMATCH",
                     "REC-HASH-UNDECODABLE"],
        fields={"record.match": "found", "record.file": RECDIR + "OEM.CSV", "record.line": 3,
                "record.manufacturer": "Contoso Corporation", "record.hash": None, "record.hash_error": None,
                "record.assigned_user": None},
        check=both(severity("REC-TUPLE-SPELLING", "error"),
                   console_has("Hardware hash  (not in the record)", "Assigned user  (not in the record)"))),
    rec("graph-pages-array", {"pages.json": GRAPH_PAGES}, verdict="WARN", no_findings=ALL_REC,
        fields={"record.match": "found", "record.source": "graph-file", "record.line": 2, "record.records_seen": 4},
        check=both(no_errors, expect_hash(DEVICE))),
    rec("broken-beside-good", {"broken.csv": BROKEN, "good.csv": csv(FILLER[2], row(SERIAL, DEVICE.base64()))},
        verdict="WARN", findings=["REC-FILE-INVALID"], no_findings=["REC-NOT-FOUND", "REC-NONE-AVAILABLE"],
        fields={"record.match": "found", "record.file": RECDIR + "good.csv", "record.line": 3,
                "record.files_seen": 2, "record.files_used": 1},
        check=both(no_errors, check_broken)),
    rec("no-assigned-user", {"devices.csv": csv(row(SERIAL, DEVICE.base64(), user=""))}, verdict="WARN",
        findings=["REC-NO-ASSIGNED-USER"], no_findings=["REC-NOT-FOUND", "REC-HASH-MISMATCH"],
        fields={"record.match": "found", "record.assigned_user": ""},
        check=both(no_errors, check_no_user)),
]
