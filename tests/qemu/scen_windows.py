"""QEMU scenarios for the installed Windows: boot managers on an internal disk's ESP judged against the store.

make test runs two: windows-trusted (a boot manager signed under the test CA playing Windows UEFI CA 2023,
in db) and windows-2011-revoked (one signed under the test CA playing Windows Production PCA 2011, which
the "bootmgr-revoked" store of ovmf/mkstore has in dbx, as the CVE-2023-24932 servicing does; after.action
boot-windows must refuse it and say why). Both are tests/data/bootmgr's committed images.

Stand-in boot managers come from tests/data/bootmgr/mkpe.py (a PE32+ with a version resource), signed by
sbsign with the Secure Boot test keys (build/ovmf/keys: DB is in db, "other" never enrolled). The "dbx"
store of ovmf/mkstore revokes Debian's unsigned shimx64.efi by its Authenticode hash (efitools'
hash-to-efi-sig-list): as bootmgfw.efi it must be found revoked, which checks common/pe.c's hash against
efitools' on a real 1 MB image. The rig asserts that the internal disk's bytes are unchanged.

make test-long also runs the Boot#### matching (windows-boot-entry: ovmf/mkstore's bootmgr-boot-entry store
holds Boot0007 for the internal ESP's fixed partition GUID; -other-esp: none when Windows is elsewhere), an
arm64 boot manager on x64 (windows-wrong-arch), a dual-signed one whose 2011 signature is revoked
(windows-dual-one-revoked) and the boot manager SVN entry in dbx (windows-svn-*: mkstore's bootmgr-svn).
"""
import os
import subprocess
import sys
import tempfile

from rig import DEFAULT_INI, ROOT, Scenario, test_keys

sys.path.insert(0, os.path.join(ROOT, "tests", "data", "bootmgr"))
import mkpe  # noqa: E402

INI = DEFAULT_INI + "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
# after.action = boot-windows: the chain-load must refuse a boot manager the firmware would refuse.
BOOT_INI = INI.replace("action = shutdown", "action = boot-windows")
BOOT = "EFI/Microsoft/Boot/"
SHIM = "/usr/lib/shim/shimx64.efi"


def stand_in(version, key, trailing=0):
    """A stand-in bootmgfw.efi of this version, signed with the test key (None: unsigned); trailing bytes of
    data after its sections make it as large as a real one (make bench)."""
    image = mkpe.build(version, trailing)
    return image if key is None else sign(image, key)


def sign(image, key):
    keys = test_keys()
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "in.efi"), os.path.join(d, "out.efi")
        with open(src, "wb") as f:
            f.write(image)
        subprocess.run(["sbsign", "--key", os.path.join(keys, key + ".key"), "--cert", os.path.join(keys, key + ".crt"),
                        "--output", out, src], check=True, capture_output=True, timeout=60)
        with open(out, "rb") as f:
            return f.read()


class Esp(dict):
    """The ESP's files, made when the scenario runs (the test keys exist by then)."""
    def __init__(self, make):
        super().__init__()
        self.make = make

    def items(self):
        return list(self.make().items())


def refusal_said(runs, reason):
    """boot-windows did not start it and said why, before the result line."""
    for run in runs:
        lines = run.lines
        i = max(n for n, l in enumerate(lines) if l.startswith("PREFLIGHT RESULT"))
        if not any("Not starting Windows: its boot manager would be refused by Secure Boot: " + reason
                   in l for l in lines[:i]):
            raise AssertionError(f"no refusal with its reason {reason!r} before the result line")


def windows_esp(bootmgfw):
    return Esp(lambda: {BOOT + "bootmgfw.efi": bootmgfw(), BOOT + "BCD": b"regf" + bytes(4092)})


def tampered():
    """Signed by a key in db, then one byte of its .data section changed (file offset 0x400)."""
    image = bytearray(stand_in("10.0.26100.1", "DB"))
    image[0x400] ^= 0xFF
    return bytes(image)


def cut_signature():
    """Signed by a key in db, the certificate table cut short: the security directory runs past the end."""
    return stand_in("10.0.26100.1", "DB")[:-100]


def committed(name):
    def read():
        with open(os.path.join(ROOT, "tests", "data", "bootmgr", name), "rb") as f:
            return f.read()
    return read


def shim_signed():
    """Debian's shim signed by sbsign, which pads it to 8 bytes first: its Authenticode hash is then the
    one efitools computed for the dbx store (from the padded unsigned file)."""
    with open(SHIM, "rb") as f:
        return sign(f.read(), "other")


SCENARIOS = [
    # Signed under the CA playing Windows UEFI CA 2023, which db holds: trusted, its build read. NO-GO comes
    # from REC-NONE-AVAILABLE (no records on the stick); no WIN-* finding.
    Scenario("windows-trusted", ini=INI, store="bootmgr-revoked", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-2023.efi")), verdict="NO-GO",
             no_findings=["WIN-NOT-FOUND", "WIN-BOOTMGR-REFUSED", "WIN-DB-LACKS-SIGNER-CA", "WIN-BOOTMGR-2011-ONLY",
                          "WIN-BUILD-UNSUPPORTED", "WIN-BUILD-OUT-OF-SERVICING"],
             fields={"windows.found": True, "windows.verdict": "trusted", "windows.build": 26100,
                     "windows.file_version": "10.0.26100.2454", "windows.bcd": True, "windows.esps": 1,
                     "windows.partition": "1", "windows.release": "Windows 11 24H2 or 25H2",
                     "windows.ca": "Preflight Test Windows UEFI CA 2023",
                     "windows.signer_subject": "CN=Preflight Test Windows (UEFI CA 2023),O=Preflight Test,C=US"}),
    # Signed under the CA playing PCA 2011, revoked in dbx by certificate: Windows would not start (NO-GO),
    # and boot-windows does not start it but says why.
    Scenario("windows-2011-revoked", ini=BOOT_INI, store="bootmgr-revoked", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-2011.efi")), verdict="NO-GO",
             findings=["WIN-BOOTMGR-REFUSED"], fields={"windows.verdict": "revoked-cert"},
             stop_on=["PREFLIGHT RESULT"],
             check=lambda runs: refusal_said(runs, "dbx holds \"Preflight Test Windows Production PCA 2011\"")),
    # Its Authenticode hash is in dbx (efitools' hash of Debian's shim, signed here by a key outside db).
    Scenario("windows-dbx-hash", ini=INI, store="dbx", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(shim_signed), verdict="NO-GO", findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "revoked-hash"}, long=True),
    # Signed by a key db does not hold.
    Scenario("windows-unknown-signer", ini=INI, store="ms2023", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(lambda: stand_in("10.0.26100.1", "other")), verdict="NO-GO",
             findings=["WIN-DB-LACKS-SIGNER-CA"], fields={"windows.verdict": "not-in-db"}, long=True),
    # Unsigned, Windows 10 22H2 (past its end of servicing on 2025-10-14).
    Scenario("windows-unsigned", ini=INI, store="ms2023", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(lambda: stand_in("10.0.19045.1", None)), verdict="NO-GO",
             findings=["WIN-BOOTMGR-REFUSED", "WIN-BUILD-OUT-OF-SERVICING"], fields={"windows.verdict": "unsigned"},
             long=True),
    # Changed after signing, and a signature cut off: refused.
    Scenario("windows-tampered", ini=INI, store="ms2023", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(tampered), verdict="NO-GO", findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "tampered"}, long=True),
    Scenario("windows-cut-signature", ini=INI, store="ms2023", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(cut_signature), verdict="NO-GO", findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "damaged"}, long=True),
    # Two internal ESPs, Windows on one of them: both counted, that one judged.
    Scenario("windows-two-esps", ini=INI, store="bootmgr-revoked", sign="test-db", esp_gpt=True,
             internal_esp={"EFI/BOOT/readme.txt": b"an ESP without Windows"},
             second_esp=windows_esp(committed("bootmgr-2023.efi")), verdict="NO-GO",
             no_findings=["WIN-NOT-FOUND", "WIN-BOOTMGR-REFUSED"],
             fields={"windows.esps": 2, "windows.verdict": "trusted"}, long=True),
    # The Boot#### an installed Windows leaves (ovmf/mkstore's bootmgr-boot-entry store: Boot0007 "Windows Boot
    # Manager" -> .../HD(1,GPT,<esp.img's partition GUID>)/\EFI\Microsoft\Boot\bootmgfw.efi, BootOrder = 0007):
    # matched by partition GUID and path, its description and BootOrder position reported. OVMF rebuilds
    # BootOrder from QEMU's bootindex list: the stick (bootindex 0) first, then this disk's options (1), in
    # their previous order: Boot0007 at position 1.
    Scenario("windows-boot-entry", ini=INI, store="bootmgr-boot-entry", sign="test-db", esp_gpt=True, esp_bootindex=1,
             internal_esp=windows_esp(committed("bootmgr-2023.efi")), verdict="NO-GO",
             no_findings=["WIN-BOOTMGR-REFUSED", "WIN-BOOTMGR-WRONG-ARCH"],
             fields={"windows.boot_entry": "Boot0007", "windows.boot_description": "Windows Boot Manager",
                     "windows.boot_order_position": 1, "windows.verdict": "trusted", "windows.svn": "7.0",
                     "windows.machine": "x64"}, long=True),
    # The same entry while Windows sits on the second ESP (another partition GUID): no entry points at it.
    Scenario("windows-boot-entry-other-esp", ini=INI, store="bootmgr-boot-entry", sign="test-db", esp_gpt=True,
             internal_esp={"EFI/BOOT/readme.txt": b"an ESP without Windows"},
             second_esp=windows_esp(committed("bootmgr-2023.efi")), verdict="NO-GO",
             fields={"windows.boot_entry": None, "windows.boot_order_position": None, "windows.esps": 2,
                     "windows.verdict": "trusted"}, long=True),
    # An arm64 boot manager on this x64 device: it cannot start here, whatever its (trusted) signature.
    Scenario("windows-wrong-arch", ini=INI, store="bootmgr-boot-entry", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-arm64.efi")), verdict="NO-GO",
             findings=["WIN-BOOTMGR-WRONG-ARCH"], no_findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.machine": "arm64", "windows.verdict": "trusted"}, long=True),
    # Dual-signed (PCA 2011 stand-in, then Windows UEFI CA 2023 stand-in) while dbx revokes the 2011 one: the
    # released edk2 rule refuses the image although its second signature is admitted.
    Scenario("windows-dual-one-revoked", ini=INI, store="bootmgr-revoked", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-dual.efi")), verdict="NO-GO", findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "revoked-cert", "windows.signatures.0.verdict": "revoked-cert",
                     "windows.signatures.1.verdict": "trusted", "windows.signatures.1.nested": False}, long=True),
    # dbx holds the boot manager SVN entry 7.0: the firmware admits the PCA 2011 stand-in (SVN 3.0), which then
    # stops itself; the 2023 one (SVN 7.0) starts. Both read dbx_svn from the firmware's own dbx.
    Scenario("windows-svn-revoked", ini=INI, store="bootmgr-svn", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-2011.efi")), verdict="NO-GO", findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "revoked-svn", "windows.dbx_svn": "7.0", "windows.svn": "3.0"}, long=True),
    Scenario("windows-svn-current", ini=INI, store="bootmgr-svn", sign="test-db", esp_gpt=True,
             internal_esp=windows_esp(committed("bootmgr-2023.efi")), verdict="NO-GO", no_findings=["WIN-BOOTMGR-REFUSED"],
             fields={"windows.verdict": "trusted", "windows.dbx_svn": "7.0", "windows.svn": "7.0"}, long=True),
    # No internal disk: WIN-NOT-FOUND (info); a stick that holds \EFI\Microsoft\Boot is not the installed Windows.
    Scenario("windows-none-stick-ignored", ini=INI, store="ms2023", sign="test-db",
             files={BOOT + "bootmgfw.efi": b"MZ not the installed Windows"}, verdict="NO-GO", findings=["WIN-NOT-FOUND"],
             fields={"windows.found": False, "windows.esps": 0}, long=True),
]
