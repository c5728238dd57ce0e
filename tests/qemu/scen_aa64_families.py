"""AArch64 variants of the other families' scenarios (make test-long): the same definitions, booted as an Arm PC.

Each `aa64-<name>` is the x86-64 scenario <name> with arch="aa64" (qemu-system-aarch64 virt + AAVMF,
build/aa64/preflight.efi as \\EFI\\BOOT\\BOOTAA64.EFI, scripts/qemu-run --arch aa64), long=True and a wider
time limit; stick files, stores, faults, expected verdicts, findings and checks are the x86-64 scenario's
own objects, never copies, so a change to a family reaches its Arm variant too. What cannot run unchanged
on an Arm PC is left out and said why below, not adapted here.
"""
import dataclasses
import glob
import importlib
import os

HERE = os.path.dirname(os.path.abspath(__file__))

# The firmware needs about 2.5 times as long under TCG when it emulates another architecture (scen_aa64.py).
TCG_FACTOR = 2.5

# One or a few per family, chosen for the code paths that could differ on Arm: the firmware's network stack
# (AAVMF's own build of edk2's drivers), timers (the generic timer instead of the HPET/TSC), the USB stick's
# writes on a power cut, TPM on tpm-tis-device, the proxy and PAC engine, Graph, the upload, the display.
# Left out: the Windows boot manager family (its stand-ins are x86-64 binaries: another engineer compares
# the PE machine with the CPU), records whose hash carries processor_arch x64 (on an Arm PC that is the
# REC-HASH-MISMATCH aa64-record-x64-hash asserts), the SMBIOS 2.x entry point (virt has SMBIOS 3 only),
# netboot (AAVMF's PXE and HTTP boot are another firmware feature), and the 240-300 s repeat runs. Tried and
# left out: identity-unusual-values (it asserts the SMBIOS 2.x entry point "_SM_"; virt has SMBIOS 3 only)
# and screen-800x600 (QEMU's VGA: the screendump stayed 640x480, AAVMF does not set the VGA device's mode;
# aa64-screen reads the result page from ramfb instead).
CHOSEN = [
    "rec-not-found", "rec-no-files", "rec-hash-other-device",                    # records
    "graph-online-found", "graph-signin-found", "graph-user-disabled",           # Graph
    "proxy-auth", "wpad-dhcp-corp", "wpad-pac-syntax", "upload-via-proxy",        # proxy and WPAD
    "stick-ledger-torn", "stick-gpt-whole-disk", "stick-from-usb-zip",           # the stick
    "powercut-050", "powercut-ledger-100ms",                                    # power cuts
    "upload-ok",                                                                 # upload
    "tpm-ek-cert", "tpm-no-ek-cert",                                             # TPM
    "placeholder-oem", "config-problems", "readonly-stick", "full-stick", "ledger-two-runs",   # identity, stick
    "net-no-dhcp", "net-captive-portal", "net-untrusted-ca", "net-blackhole-bounded",   # network
    "sb-ms2023", "sb-setup-mode",                                                # Secure Boot stores
    # shim (make usb ARCH=aa64 SIGN=shim): Debian's arm64 shimaa64.efi, signed by Microsoft's UEFI CA 2011,
    # under a store trusting that CA, Preflight signed with the test MOK in MokList: runs; without the MOK,
    # and without the third-party CA in db: refused.
    "sb-shim-mok-runs", "sb-shim-no-mok-refused", "sb-no-third-party-shim-refused",
]


def arm_variant(sc):
    """The scenario as an Arm PC runs it: only the machine, the name, the lane and the time limit change."""
    if sc.arch != "x64":
        raise SystemExit(f"scen_aa64_families: {sc.name} is already an {sc.arch} scenario")
    return dataclasses.replace(sc, name="aa64-" + sc.name, arch="aa64", long=True,
                               timeout=int(sc.timeout * TCG_FACTOR))


def variants():
    every = {}
    for path in sorted(glob.glob(os.path.join(HERE, "scen_*.py"))):
        name = os.path.basename(path)[:-3]
        if name.startswith("scen_aa64"):
            continue
        for s in importlib.import_module(name).SCENARIOS:
            every[s.name] = s
    missing = [n for n in CHOSEN if n not in every]
    if missing:  # a renamed scenario must not silently leave the Arm set
        raise SystemExit(f"scen_aa64_families: no scenario named {missing}")
    return [arm_variant(every[n]) for n in CHOSEN]


SCENARIOS = variants()
