"""AArch64 (Windows on Arm) scenarios: build/aa64/preflight.efi on qemu-system-aarch64 virt + AAVMF, the stick
on USB (XHCI), swtpm as tpm-tis-device, virtio-net on the test network (scripts/qemu-run --arch aa64).

The checks are the x86-64 scenarios' own (scen_network, scen_records): the same C code must give the same
report on an Arm PC. Only what differs per architecture is asserted besides: the CPU's hypervisor signal
(MIDR), the hardware RNG's name, the boot file \\EFI\\BOOT\\BOOTAA64.EFI.
"""
import hwhash
import scen_network as net
import scen_records as rec
import scen_screen as screen
import scen_secureboot as sb
from rig import Scenario, both

SERIAL = "PF-ARM-0001"
UUID = "3c2b1a09-8f7e-4d6c-b5a4-93827161504f"
SMBIOS = ["type=1,manufacturer=Contoso,product=Contoso Arm 13,version=A01,serial=" + SERIAL + ",uuid=" + UUID
          + ",sku=CA13-BIZ,family=Contoso Arm",
          "type=2,manufacturer=Contoso,product=CA13 Mainboard,serial=MB-ARM-0001"]
# This device's hash as Get-WindowsAutopilotInfo would capture it on Windows on Arm (processor ARM64).
DEVICE = hwhash.Device(serial=SERIAL, uuid=UUID, manufacturer="Contoso", product="Contoso Arm 13", sku="CA13-BIZ",
                       family="Contoso Arm", system_version="A01", board_product="CA13 Mainboard",
                       processor_arch="arm64", offline_id_kind=2)
RECORDS = {"preflight/records/AutopilotHWID.csv": rec.csv(rec.row(SERIAL, DEVICE.base64(), tag="Arm cart",
                                                                  model="Contoso Arm 13"))}
# The same device's record, but its hash captured on an x64 PC: another device, whatever the serial says.
X64_HASH = hwhash.Device(serial=SERIAL, uuid=UUID, manufacturer="Contoso", product="Contoso Arm 13",
                         processor_arch="x64")
X64_RECORDS = {"preflight/records/AutopilotHWID.csv": rec.csv(rec.row(SERIAL, X64_HASH.base64(), model="Contoso Arm 13"))}
OFFLINE_INI = ("[after]\naction = shutdown\n[network]\nenabled = false\n"
               "[identity]\nallow_virtual_machine = true\n")
# The firmware needs about 2.5 times as long under TCG emulating another architecture: wide limits.
TIMEOUT = 240


def arm_identity(doc, psci="hvc"):
    """What only an AArch64 run reports: QEMU's emulated CPU recognised by MIDR, the boot file name, the FADT's
    PSCI conduit and hypervisor vendor as QEMU's virt machine builds them (hw/arm/virt.c: HVC unless EL2 is
    emulated, virtualization=on, then SMC; the vendor identity "QEMU" in the ACPI 6 FADT)."""
    ident = doc["identity"]
    if ident["hypervisor"] != "MIDR implementer 0 (software CPU model)":
        raise AssertionError(f"identity.hypervisor {ident['hypervisor']!r}")
    if ident["acpi_psci"] != psci or ident["acpi_hypervisor"] != "QEMU":
        raise AssertionError(f"FADT: identity.acpi_psci {ident['acpi_psci']!r} (expected {psci!r}), "
                             f"acpi_hypervisor {ident['acpi_hypervisor']!r}")
    if ident["firmware_vendor"] != "EDK II":  # AAVMF's FirmwareVendor (system table), whatever SMBIOS says
        raise AssertionError(f"identity.firmware_vendor {ident['firmware_vendor']!r}")
    if ident["serial"] != SERIAL or ident["manufacturer"] != "Contoso" or ident["product"] != "Contoso Arm 13":
        raise AssertionError(f"SMBIOS identity {ident['serial']} {ident['manufacturer']} {ident['product']}")
    disks = [d for d in ident["disks"] if d["boot_media"]]
    if [d["bus"] for d in disks] != ["usb"]:
        raise AssertionError(f"the stick is not the USB boot medium: {ident['disks']}")


def check_healthy(runs):
    doc = runs[0].report_json()
    arm_identity(doc)
    n = doc["network"]
    # RNDR (FEAT_RNG of -cpu max) or AAVMF's RNG protocol (virtio-rng): never the weak fallback here.
    if n["entropy"] not in ("rng-protocol", "rndr"):
        raise AssertionError(f"entropy {n['entropy']!r}")
    tpm = doc["identity"]["tpm"]
    if tpm["present"] is not True or tpm["version"] != "2.0" or not tpm["ek_certificate"]:
        raise AssertionError(f"TPM through TCG2 on tpm-tis-device: {tpm}")
    r = doc["record"]
    if r["match"] != "found" or r["hash_mismatches"] != [] or r["hash"]["processor_arch"] != "arm64":
        raise AssertionError(f"record {r['match']}, mismatches {r['hash_mismatches']}, arch {r['hash']['processor_arch']}")
    bad = [f["code"] for f in doc["findings"] if f["severity"] == "error"]
    if bad:
        raise AssertionError(f"error findings on a healthy Arm PC: {bad}")
    print(f"qemu: aa64-healthy: boot to result {runs[0].seconds:.1f} s (host), network phase {n['duration_ms']} ms, "
          f"DHCP {n['dhcp_ms']} ms, entropy {n['entropy']}", flush=True)


def check_rndr(runs):
    """No EFI_RNG_PROTOCOL (no virtio-rng): the TLS engine is seeded by RNDR, and every https check works."""
    doc = runs[0].report_json()
    arm_identity(doc)
    n = doc["network"]
    bad = [(c["host"], c["status"]) for c in n["checks"] if c["status"] != "ok"]
    if n["entropy"] != "rndr" or bad:
        raise AssertionError(f"entropy {n['entropy']!r} (expected rndr), checks not ok: {bad}")


def mismatch_is_arch(runs):
    doc = runs[0].report_json()
    got = [(m["field"], m["record"], m["live"]) for m in doc["record"]["hash_mismatches"]]
    if got != [("processor_arch", "x64", "arm64")] or doc["identity"]["processor_arch"] != "arm64":
        raise AssertionError(f"hash_mismatches {got}, identity.processor_arch {doc['identity']['processor_arch']!r}")


def check_arm(name, psci="hvc"):
    def check(runs):
        arm_identity(runs[0].report_json(), psci)
        print(f"qemu: {name}: boot to result {runs[0].seconds:.1f} s (host)", flush=True)
    return check


SCENARIOS = [
    # make test runs this one, the unsigned build refused and the result page (aa64-screen): the whole path on an Arm PC with Secure Boot on (AAVMF, a store
    # of ovmf/mkstore with the 2023 keys, Preflight signed with the test db key), TPM, network with TLS,
    # the device's record: GO.
    Scenario("aa64-healthy", arch="aa64", smbios=SMBIOS, net=[], tpm="ek", files=RECORDS, timeout=TIMEOUT,
             store="ms2023", sign="test-db", ini=net.ini(), verdict="GO",
             fields={"identity.secure_boot": True, "secure_boot.verified": True},
             # The stores themselves are compared with openssl in aa64-sb-no-third-party-ca (make test-long):
             # here that would add about 15 s to make test.
             check=both(net.expect(extra=net.healthy_extra), check_healthy)),
    # The rest in make test-long.
    Scenario("aa64-offline", arch="aa64", smbios=SMBIOS, net=None, tpm="ek", timeout=TIMEOUT, long=True,
             ini=OFFLINE_INI.replace("enabled = false", "enabled = true"), verdict="NO-GO", findings=["NET-NO-NIC"],
             check=check_arm("aa64-offline")),
    Scenario("aa64-sb-unsigned-refused", arch="aa64", ini=sb.SB_INI, store="ms2023", expect_refused=True,
             refused_text="Access Denied", timeout=sb.REFUSED_TIMEOUT * 2),
    # Many Arm PCs ship without Microsoft's third-party CA in db: said on this architecture too.
    Scenario("aa64-sb-no-third-party-ca", arch="aa64", ini=sb.SB_INI, store="no-third-party", sign="test-db",
             timeout=TIMEOUT, long=True, findings=["SB-DB-THIRD-PARTY-CA-MISSING"],
             fields={"identity.secure_boot": True},
             check=sb.severities({"SB-DB-THIRD-PARTY-CA-MISSING": "info"},
                                 sb.stores_match(sb.KEK_2023, sb.DB_NO_THIRD_PARTY))),
    Scenario("aa64-rndr", arch="aa64", smbios=SMBIOS, net=[], rng=False, timeout=TIMEOUT, long=True, ini=net.ini(),
             check=check_rndr),
    # The result page on an Arm PC's display (AAVMF's ramfb: 800x600), read back with its QR code.
    Scenario("aa64-screen", arch="aa64", smbios=SMBIOS, ini=screen.INI, timeout=TIMEOUT,
             qemu=["-device", "ramfb"], stop_on=["PREFLIGHT RESULT"], screendump=True,
             check=screen.screen_check(800, 600)),
    Scenario("aa64-record-x64-hash", arch="aa64", smbios=SMBIOS, files=X64_RECORDS, timeout=TIMEOUT, long=True,
             ini=OFFLINE_INI, verdict="NO-GO", findings=["REC-HASH-MISMATCH"],
             check=sb.severities({"REC-HASH-MISMATCH": "error"}, lambda runs: mismatch_is_arch(runs))),
    # EL2 emulated (virtualization=on): QEMU's FADT then asks for PSCI over SMC, as the Snapdragon laptops'
    # firmware does; the FADT's hypervisor vendor still says QEMU, so this is still a VM (no ID-VM-HINT).
    Scenario("aa64-acpi-el2-smc", arch="aa64", smbios=SMBIOS, files=RECORDS, timeout=TIMEOUT, long=True,
             ini=OFFLINE_INI, qemu=["-machine", "virtualization=on"], findings=["ID-VIRTUAL-MACHINE"],
             no_findings=["ID-VM-HINT"], check=check_arm("aa64-acpi-el2-smc", psci="smc")),
    Scenario("aa64-no-tpm", arch="aa64", smbios=SMBIOS, files=RECORDS, timeout=TIMEOUT, long=True,
             ini=OFFLINE_INI, verdict="NO-GO", findings=["ID-TPM-MISSING"], fields={"identity.tpm.present": False},
             check=check_arm("aa64-no-tpm")),
]
