"""QEMU scenarios for Secure Boot: OVMF's Secure Boot firmware with stores built by ovmf/mkstore.

Stores (ovmf/mkstore profiles): "ms2011" test PK/KEK/DB + Microsoft's 2011 CAs; "ms2023" + the 2023 CAs;
"ms2011-mok" ms2011 + shim's MokList with the test MOK; "setup" no keys (setup mode, Secure Boot off).
sign="test-db" signs Preflight with the test key in db, "other" with a key never enrolled; shim=True builds
the stick like `make usb SIGN=shim` (Debian's Microsoft-signed shim, Preflight signed with the test MOK).
A refused image never powers the VM off: the rig stops QEMU once the firmware or shim says so.
"""
from rig import DEFAULT_INI, Scenario

# No TPM and no NIC are attached: only what Secure Boot changes is looked at.
SB_INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
REFUSED_TIMEOUT = 60


def no_text(runs, text):
    for run in runs:
        if text in run.serial:
            raise AssertionError(f"{text!r} on the console: the image got further than expected")

SCENARIOS = [
    Scenario("sb-signed-runs", ini=SB_INI, store="ms2011", sign="test-db",
             fields={"identity.secure_boot": True}),
    Scenario("sb-unsigned-refused", ini=SB_INI, store="ms2011", expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT),
    Scenario("sb-other-key-refused", ini=SB_INI, store="ms2011", sign="other", expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT),
    Scenario("sb-shim-mok-runs", ini=SB_INI, store="ms2011-mok", shim=True,
             fields={"identity.secure_boot": True}),
    Scenario("sb-shim-no-mok-refused", ini=SB_INI, store="ms2011", shim=True, expect_refused=True,
             refused_text="Verification failed", timeout=REFUSED_TIMEOUT),
    Scenario("sb-setup-mode", ini=SB_INI, store="setup",
             fields={"identity.secure_boot": False}),
    Scenario("sb-ms2023", ini=SB_INI, store="ms2023", sign="test-db",
             fields={"identity.secure_boot": True}),
    Scenario("sb-dbx", ini=SB_INI, store="dbx", sign="test-db",
             fields={"identity.secure_boot": True}),
    # dbx revokes Debian's shim by hash: the firmware refuses shim itself, which never gets to say anything.
    Scenario("sb-dbx-shim-refused", ini=SB_INI, store="dbx", shim=True, expect_refused=True,
             refused_text="Access Denied", timeout=REFUSED_TIMEOUT,
             check=lambda runs: no_text(runs, "Verification failed")),
]
