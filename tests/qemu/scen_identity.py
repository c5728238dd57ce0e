"""QEMU scenarios for the foundation: SMBIOS identity, placeholders, VM, reports, ledger, config."""
from rig import DEFAULT_INI, Scenario

# Identity scenarios look at SMBIOS only: no NIC, no TPM is attached, so those checks are turned down.
VM_OK_INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n[network]\nenabled = false\n"
NOT_IDENTITY = ["ID-TPM-NO-EK-CERT", "NET-NO-NIC"]

# Identity values unlike QEMU's own: inner spaces, a 64-character string, UTF-8, punctuation.
LONG64 = "L" * 20 + "-0123456789-abcdefghijklmnopqrstuvwxyz-" + "Z" * 5
assert len(LONG64) == 64
UUID = "4c4c4544-0051-3510-8052-b4c04f4e4d32"
UUID_WINDOWS = "4C4C4544-0051-3510-8052-B4C04F4E4D32"
IDENTITY_SMBIOS = [
    "type=1,manufacturer=Contöso  Hardware GmbH,product=" + LONG64 + ",version=Rev. 2 (A),,B"
    ",serial=CZC 1234-ÄBC/9,uuid=" + UUID + ",sku=SKU #42,family=Fleet Laptops",
    "type=2,manufacturer=Contöso,product=Board X1,version=1.0,serial=BRD-000-777",
    "type=3,manufacturer=Contöso,serial=CH-555",
]
def acpi_was_read(runs):
    """The nulls above are the FADT's answer, not a table that could not be read (efi/main.c says so)."""
    if "The ACPI tables could not be read" in runs[0].serial:
        raise AssertionError("the ACPI tables could not be read")


IDENTITY_FIELDS = {
    "identity.manufacturer": "Contöso  Hardware GmbH",
    "identity.product": LONG64,
    "identity.version": "Rev. 2 (A),B",
    "identity.serial": "CZC 1234-ÄBC/9",
    "identity.uuid": UUID_WINDOWS,
    "identity.sku": "SKU #42",
    "identity.family": "Fleet Laptops",
    "identity.baseboard_serial": "BRD-000-777",
    "identity.virtual_machine": True,
    "identity.secure_boot": False,
}


def placeholder(name, serial, white_box=False):
    """white_box: manufacturer and model are the board vendor's placeholders too (ID-MODEL-PLACEHOLDER, info);
    otherwise QEMU's real names, which must not be taken for placeholders."""
    names = ",manufacturer=To Be Filled By O.E.M.,product=To Be Filled By O.E.M." if white_box else ""
    model = (["ID-MODEL-PLACEHOLDER"], []) if white_box else ([], ["ID-MODEL-PLACEHOLDER"])
    return Scenario(f"placeholder-{name}", smbios=[f"type=1,serial={serial}{names}"], ini=VM_OK_INI,
                    verdict="NO-GO", findings=["ID-SERIAL-PLACEHOLDER"] + model[0],
                    no_findings=["ID-SERIAL-MISSING"] + model[1], fields={"identity.serial": serial})


def check_ledger(runs):
    ledger = runs[-1].reports.get("ledger.csv")
    if ledger is None:
        raise AssertionError("no ledger.csv after two runs")
    rows = ledger.decode("utf-8").splitlines()
    if rows[0] != "time,serial,manufacturer,product,verdict,errors,warnings,codes,report":
        raise AssertionError(f"ledger header {rows[0]!r}")
    if len(rows) != 3:
        raise AssertionError(f"ledger has {len(rows) - 1} rows after 2 runs: {rows}")
    for i, (row, run) in enumerate(zip(rows[1:], runs)):
        if run.result["report"] not in row or ",LEDGER-SN-1," not in row:
            raise AssertionError(f"ledger row {i + 1} {row!r} does not name serial and report {run.result['report']}")
    jsons = [n for n in runs[-1].reports if n.endswith(".json")]
    if len(jsons) != 2:
        raise AssertionError(f"expected two JSON reports after two runs, found {jsons}")


def check_readonly(runs):
    run = runs[0]
    if run.result["report"] != "none":
        raise AssertionError(f"read-only stick but result line names report {run.result['report']}")
    if "write-protected" not in run.serial:
        raise AssertionError("read-only stick: no write-protected message on the console")
    if run.reports:
        raise AssertionError(f"read-only stick gained files: {sorted(run.reports)}")


def check_full(runs):
    run = runs[0]
    if run.result["report"] != "none":
        raise AssertionError(f"full stick but result line names report {run.result['report']}")
    if "the stick is full" not in run.serial:
        raise AssertionError("full stick: no 'the stick is full' message on the console")
    if run.result["verdict"] != "NO-GO" or "ID-SERIAL-PLACEHOLDER" not in run.serial:
        raise AssertionError("full stick: the verdict and its findings were not shown")
    if run.reports:  # no half report under any name, no .tmp left behind
        raise AssertionError(f"full stick: files left in the reports folder: {sorted(run.reports)}")


def check_config_warnings(runs):
    doc = runs[0].report_json()
    warnings = doc["config"]["warnings"]
    lines = sorted(w["line"] for w in warnings)
    if lines != [3, 5, 6]:
        raise AssertionError(f"config warnings on lines {lines}, expected [3, 5, 6]: {warnings}")
    # The values that were valid still took effect.
    if doc["config"]["after_action"] != "shutdown":
        raise AssertionError("after.action from the file was not applied")


def check_utf16_applied(runs):
    """Every key of the UTF-16LE file took effect: VM allowed (info), TPM not required (warn)."""
    sev = {f["code"]: f["severity"] for f in runs[0].report_json()["findings"]}
    if sev.get("ID-VIRTUAL-MACHINE") != "info" or sev.get("ID-TPM-MISSING") != "warn":
        raise AssertionError(f"UTF-16LE config not applied: {sev}")


def check_tuple_lenovo(runs):
    """REC-TUPLE-SPELLING names both spellings; the record's product ID makes it a warning."""
    fd = [f for f in runs[0].report_json()["findings"] if f["code"] == "REC-TUPLE-SPELLING"]
    if len(fd) != 1 or fd[0]["severity"] != "warn":
        raise AssertionError(f"REC-TUPLE-SPELLING: {fd}")
    for want in ('model record="ThinkPad T14 Gen 2i" smbios_product="20W0003AUS"', "equals SMBIOS version or family",
                 'manufacturer record="Lenovo" smbios="LENOVO" (differs in letter case)', "Windows product ID"):
        if want not in fd[0]["detail"]:
            raise AssertionError(f"REC-TUPLE-SPELLING detail lacks {want!r}: {fd[0]['detail']!r}")


SCENARIOS = [
    Scenario("identity-unusual-values", smbios=IDENTITY_SMBIOS, ini=VM_OK_INI,
             no_findings=["ID-SERIAL-MISSING", "ID-SERIAL-PLACEHOLDER"] + NOT_IDENTITY,
             fields=dict(IDENTITY_FIELDS, **{"identity.smbios_entry": "_SM_"}),
             findings=["ID-VIRTUAL-MACHINE", "ID-SECURE-BOOT-OFF"]),
    Scenario("identity-smbios3-entry", smbios=IDENTITY_SMBIOS, ini=VM_OK_INI, smbios_entry="64",
             findings=["ID-TPM-MISSING"], no_findings=["ID-SERIAL-MISSING", "ID-SERIAL-PLACEHOLDER"] + NOT_IDENTITY,
             fields=dict(IDENTITY_FIELDS, **{"identity.smbios_entry": "_SM3_"})),
    # The ACPI FADT on x86-64: no PSCI conduit (an Arm field), and q35's ACPI 2.0 FADT (244 bytes) has no
    # hypervisor vendor field: both null (the Arm values: scen_aa64.py).
    Scenario("vm-is-error-by-default", smbios=["type=1,serial=VM-SERIAL-1"], verdict="NO-GO",
             findings=["ID-VIRTUAL-MACHINE"], no_findings=["ID-SERIAL-MISSING", "ID-SERIAL-PLACEHOLDER", "ID-VM-HINT"],
             fields={"identity.manufacturer": "QEMU", "findings.0.severity": "error", "identity.acpi_psci": None,
                     "identity.acpi_hypervisor": None}, check=acpi_was_read),
    Scenario("serial-empty", smbios=["type=1,manufacturer=Contoso,serial="], ini=VM_OK_INI, verdict="NO-GO",
             findings=["ID-SERIAL-MISSING"], no_findings=["ID-SERIAL-PLACEHOLDER"]),
    Scenario("serial-absent", ini=VM_OK_INI, verdict="NO-GO", findings=["ID-SERIAL-MISSING"],
             fields={"identity.serial": None}),
    placeholder("default-string", "Default string"),
    placeholder("oem", "To be filled by O.E.M.", white_box=True),
    placeholder("system-serial", "System Serial Number"),
    placeholder("zero", "0"),
    placeholder("none", "None"),
    placeholder("not-specified", "Not Specified"),
    placeholder("digits", "123456789"),
    placeholder("repeated", "00000000"),
    Scenario("readonly-stick", smbios=["type=1,serial=RO-1"], ini=VM_OK_INI, readonly=True, check=check_readonly),
    Scenario("full-stick", smbios=["type=1,serial=Default string"], ini=VM_OK_INI, fill=True, check=check_full),
    Scenario("ledger-two-runs", smbios=["type=1,serial=LEDGER-SN-1"], ini=VM_OK_INI, runs=2, check=check_ledger),
    Scenario("config-problems", smbios=["type=1,serial=CFG-1"],
             ini="[after]\naction = shutdown\nthis line is not ini\n[network]\ntimout_ms = 5\ntimeout_ms = soon\n",
             check=check_config_warnings),
    Scenario("config-utf16le", smbios=["type=1,serial=U16-1"],
             ini="\ufeff[after]\r\naction = shutdown\r\n[network]\r\nenabled = false\r\n[identity]\r\nallow_virtual_machine = yes\r\n"
                 "require_tpm = no\r\n".encode("utf-16-le"),
             no_findings=["NET-NO-NIC"], fields={"config.warnings": []}, check=check_utf16_applied),
    # A Lenovo as linuxhw/DMI shows them (machine type in Product Name, friendly name in Version) and a
    # partner row with the friendly name: a tuple would not match (docs/findings.md, REC-TUPLE-SPELLING).
    Scenario("tuple-lenovo-version", long=True,
             smbios=["type=1,manufacturer=LENOVO,product=20W0003AUS,version=ThinkPad T14 Gen 2i,serial=PF-LNV-0001"],
             ini=VM_OK_INI,
             files={"preflight/records/oem.csv":
                    "Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model\n"
                    "PF-LNV-0001,00330-80000-00000-AA456,,Lenovo,ThinkPad T14 Gen 2i\n"},
             findings=["REC-TUPLE-SPELLING"], no_findings=["REC-MANUFACTURER-MISMATCH", "REC-MODEL-MISMATCH", "REC-NOT-FOUND"],
             fields={"record.match": "found", "record.model": "ThinkPad T14 Gen 2i"}, check=check_tuple_lenovo),
]
