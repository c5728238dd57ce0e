"""QEMU scenarios for Secure Boot: OVMF's Secure Boot firmware with stores built by ovmf/mkstore.

Stores (ovmf/mkstore profiles): "ms2011" test PK/KEK/DB + Microsoft's 2011 CAs; "ms2023" + the 2023 CAs;
"ms2011-mok" ms2011 + shim's MokList with the test MOK; "setup" no keys (setup mode, Secure Boot off).
sign="test-db" signs Preflight with the test key in db, "other" with a key never enrolled; shim=True builds
the stick like `make usb SIGN=shim` (Debian's Microsoft-signed shim, Preflight signed with the test MOK).
A refused image never powers the VM off: the rig stops QEMU once the firmware or shim says so.
"""
import os

import sb_oracle
from rig import DEFAULT_INI, ROOT, Scenario, test_keys

# No TPM and no NIC are attached: only what Secure Boot changes is looked at.
SB_INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
REFUSED_TIMEOUT = 60
MS = os.path.join(ROOT, "tests", "data", "microsoft-secureboot")
# What ovmf/mkstore enrolls per profile, written out again here so a change there must be made twice.
KEK_2011 = ["miccorkekca2011_2011-06-24.der"]
DB_2011 = ["micwinpropca2011_2011-10-19.der", "miccoruefca2011_2011-06-27.der"]
KEK_2023 = KEK_2011 + ["microsoft-corporation-kek-2k-ca-2023.der"]
DB_2023 = DB_2011 + ["windows-uefi-ca-2023.der", "microsoft-uefi-ca-2023.der",
                     "microsoft-option-rom-uefi-ca-2023.der"]
# ovmf/mkstore's no-third-party: Windows' CAs only in db (a Secured-core or Windows on Arm PC as shipped).
DB_NO_THIRD_PARTY = ["micwinpropca2011_2011-10-19.der", "windows-uefi-ca-2023.der"]
MISSING_2023 = ["SB-KEK-2023-MISSING", "SB-DB-WINDOWS-2023-MISSING", "SB-DB-UEFI-2023-MISSING"]
DBX_FILES = ["/usr/lib/shim/shimx64.efi", "/usr/lib/shim/mmx64.efi", "/usr/lib/shim/fbx64.efi"]


def no_text(runs, text):
    for run in runs:
        if text in run.serial:
            raise AssertionError(f"{text!r} on the console: the image got further than expected")



def stores_match(kek, db, dbx_hashes=0):
    """PK, KEK and db in the report equal, field for field, what openssl says about the enrolled DER files."""
    def check(runs):
        keys = test_keys()
        for run in runs:
            doc = run.report_json()
            sb_oracle.assert_store(doc, "PK", [os.path.join(keys, "PK.der")])
            sb_oracle.assert_store(doc, "KEK", [os.path.join(keys, "KEK.der")] + [os.path.join(MS, f) for f in kek])
            sb_oracle.assert_store(doc, "db", [os.path.join(keys, "DB.der")] + [os.path.join(MS, f) for f in db])
            dbx = doc["secure_boot"]["stores"]["dbx"]
            if dbx["present"] != bool(dbx_hashes) or dbx["sha256_hashes"] != dbx_hashes:
                raise AssertionError(f"dbx: present {dbx['present']}, {dbx['sha256_hashes']} SHA-256 hashes; "
                                     f"expected {dbx_hashes}")
            expired = [f for f in doc["findings"] if f["code"] == "SB-CERT-EXPIRED"]
            want = [c for c in (sb_oracle.cert_facts(os.path.join(MS, f)) for f in kek + db)
                    if sb_oracle.expired(c)]
            text = " ".join(f.get("detail", "") for f in expired)
            for c in want:  # every certificate expired by the host clock is named (the guest RTC follows it)
                if c["subject_cn"] not in text:
                    raise AssertionError(f"{c['subject_cn']} expired {c['not_after']} but SB-CERT-EXPIRED says {text!r}")
    return check


def console_has(runs, text):
    """The technician's screen (mirrored on the serial console) shows this line."""
    for run in runs:
        if text not in run.serial:
            raise AssertionError(f"{text!r} not on the console")


def severities(want, then=None):
    """Findings carry these severities (the verdict alone hides them: no record and no NIC are NO-GO)."""
    def check(runs):
        for run in runs:
            got = {f["code"]: f["severity"] for f in run.report_json()["findings"]}
            for code, sev in want.items():
                if got.get(code) != sev:
                    raise AssertionError(f"{code}: severity {got.get(code)!r}, expected {sev!r}")
        if then:
            then(runs)
    return check


SCENARIOS = [
    # Keys of 2011 only: the 2023 updates are missing (warn), the 2011 CAs are past notAfter (info).
    Scenario("sb-signed-runs", ini=SB_INI, store="ms2011", sign="test-db", findings=MISSING_2023 + ["SB-CERT-EXPIRED"],
             no_findings=["SB-SETUP-MODE", "ID-SECURE-BOOT-OFF", "SB-CERT-LOOKALIKE", "SB-LIST-INVALID"],
             fields={"identity.secure_boot": True, "secure_boot.enabled": True, "secure_boot.setup_mode": False,
                     "secure_boot.started_by": "direct", "secure_boot.verified": True,
                     "secure_boot.time_source": "rtc"},
             check=severities({"SB-KEK-2023-MISSING": "warn", "SB-DB-WINDOWS-2023-MISSING": "warn",
                               "SB-DB-UEFI-2023-MISSING": "info", "SB-CERT-EXPIRED": "info"},
                              stores_match(KEK_2011, DB_2011))),
    # A fleet that requires the 2023 keys: the same device is NO-GO.
    Scenario("sb-2023-required", ini=SB_INI + "require_2023_secure_boot_keys = true\n", store="ms2011",
             sign="test-db", findings=MISSING_2023,
             check=severities({"SB-KEK-2023-MISSING": "error", "SB-DB-WINDOWS-2023-MISSING": "error",
                               "SB-DB-UEFI-2023-MISSING": "info"})),
    Scenario("sb-unsigned-refused", ini=SB_INI, store="ms2011", expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT),
    Scenario("sb-other-key-refused", ini=SB_INI, store="ms2011", sign="other", expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT),
    Scenario("sb-shim-mok-runs", ini=SB_INI, store="ms2011-mok", shim=True,
             fields={"identity.secure_boot": True, "secure_boot.started_by": "shim",
                     "secure_boot.verified": True},
             check=lambda runs: console_has(runs, "Preflight was started through shim (signature verified)")),
    Scenario("sb-shim-no-mok-refused", ini=SB_INI, store="ms2011", shim=True, expect_refused=True,
             refused_text="Verification failed", timeout=REFUSED_TIMEOUT),
    Scenario("sb-setup-mode", ini=SB_INI, store="setup", findings=["SB-SETUP-MODE", "ID-SECURE-BOOT-OFF"],
             check=severities({"SB-SETUP-MODE": "warn", "ID-SECURE-BOOT-OFF": "info"}),
             fields={"identity.secure_boot": False, "secure_boot.setup_mode": True,
                     "secure_boot.verified": False, "secure_boot.stores.PK.present": False}),
    Scenario("sb-setup-mode-required", ini=SB_INI + "require_secure_boot = true\n", store="setup",
             check=severities({"SB-SETUP-MODE": "error", "ID-SECURE-BOOT-OFF": "error"})),
    # Every 2023 key present: none of the missing-key findings.
    Scenario("sb-ms2023", ini=SB_INI, store="ms2023", sign="test-db", no_findings=MISSING_2023 + ["SB-SETUP-MODE"],
             fields={"identity.secure_boot": True}, check=stores_match(KEK_2023, DB_2023)),
    Scenario("sb-dbx", ini=SB_INI, store="dbx", sign="test-db", no_findings=MISSING_2023 + ["SB-LIST-INVALID"],
             fields={"identity.secure_boot": True},
             check=stores_match(KEK_2023, DB_2023, dbx_hashes=len(DBX_FILES))),
    # Microsoft's third-party CA kept out of db: said from the store read (info: Windows boots), and the
    # consequence shown: Debian's shim (signed by that CA) is refused by the firmware itself.
    Scenario("sb-no-third-party-ca", ini=SB_INI, store="no-third-party", sign="test-db", long=True,
             findings=["SB-DB-THIRD-PARTY-CA-MISSING"], no_findings=MISSING_2023 + ["SB-DB-UEFI-2023-MISSING"],
             fields={"identity.secure_boot": True},
             check=severities({"SB-DB-THIRD-PARTY-CA-MISSING": "info"}, stores_match(KEK_2023, DB_NO_THIRD_PARTY))),
    Scenario("sb-no-third-party-shim-refused", ini=SB_INI, store="no-third-party", shim=True, expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT, long=True,
             check=lambda runs: no_text(runs, "Verification failed")),
    # dbx revokes Debian's shim by hash: the firmware refuses shim itself, which never gets to say anything.
    Scenario("sb-dbx-shim-refused", ini=SB_INI, store="dbx", shim=True, expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT,
             check=lambda runs: no_text(runs, "Verification failed")),
]
