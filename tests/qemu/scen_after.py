"""QEMU scenarios for after.action: starting Windows Boot Manager from an internal disk (boot-windows)."""
import os

from rig import ROOT, Scenario

FAKEBOOT = os.path.join(ROOT, "build", "fakeboot.efi")


def fake_bootmgfw():
    with open(FAKEBOOT, "rb") as f:
        return f.read()


class LazyBytes(dict):
    """The ESP's files, read when the scenario runs (build/fakeboot.efi is built by make test)."""
    def items(self):
        return [("EFI/Microsoft/Boot/bootmgfw.efi", fake_bootmgfw())]


INI = ("[after]\naction = boot-windows\n[network]\nenabled = false\n"
       "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n")
RECORD = "Device Serial Number,Windows Product ID,Hardware Hash\r\nAFTER-1,,\r\n"


def check_started_after_result(runs):
    lines = runs[0].lines
    i = max(n for n, l in enumerate(lines) if l.startswith("PREFLIGHT RESULT"))
    if not any("Starting Windows Boot Manager" in l for l in lines[:i]):
        raise AssertionError("no 'Starting Windows Boot Manager' announcement before the result line")
    if not any("FAKE-BOOTMGFW started" in l for l in lines[i + 1:]):
        raise AssertionError("the boot manager did not run after the result line")


SCENARIOS = [
    # Verdict WARN (no TPM, allowed): Windows Boot Manager on the internal NVMe ESP is started.
    Scenario("after-boot-windows", smbios=["type=1,serial=AFTER-1"], ini=INI,
             files={"preflight/records/devices.csv": RECORD}, internal_esp=LazyBytes(),
             after_result="FAKE-BOOTMGFW started", verdict="WARN", findings=["ID-TPM-MISSING"],
             check=check_started_after_result),
]
