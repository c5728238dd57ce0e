"""QEMU scenarios for hardware identity: TPM 2.0 (swtpm) with and without EK certificate, no TPM, disks, NICs.

The TPM oracle is independent of the app: after the boot, a copy of the same swtpm state is served on a
host socket and read with tpm2-tools (NV index, persistent EK, fixed properties) and openssl (issuer,
subject in RFC 2253 form, the EK's PKCS #1 public key digest); the report must say the same.
"""
import hashlib
import os
import re
import shutil
import subprocess
import time

from rig import DEFAULT_INI, Scenario
from scen_network import NET_CODES

# The network checks have their own scenarios: off here, so that verdicts speak of identity only.
VM_OK_INI = DEFAULT_INI + "[network]\nenabled = false\n[identity]\nallow_virtual_machine = true\n"
NO_TPM_WARN_INI = VM_OK_INI + "require_tpm = false\n"
# tpm-never-answers: the one command to the stopped TPM waits for the firmware's own bound (edk2
# Tpm2DeviceLibDTpm/Tpm2Tis.c: TIS_TIMEOUT_MAX 90 s, counted in 30 us delays only, about 92 s wall time
# here), then the firmware cancels. swtpm is killed 100 s after the freeze, past that wait, because QEMU
# forwards the cancel to the stopped swtpm and stalls the VM until it replies (see scripts/qemu-run).
# Boot, network phase and shutdown come on top; the limit (host clock) leaves a wide margin over all
# that, yet stays below what a second 90 s wait would cost.
TPM_HANG_INI = ("[after]\naction = shutdown\n[identity]\nallow_virtual_machine = true\n"
                "[network]\ntimeout_ms = 3000\ndhcp_timeout_ms = 15000\n")
TPM_KILL_AFTER_S = 100
TPM_HANG_LIMIT_S = 175
# An EK certificate subject with characters RFC 2253 escapes (swtpm_setup puts --vmid into the CN).
VMID = "Preflight, Test+VM #1"


class HostTpm:
    """swtpm serving a copy of a scenario's TPM state on a host socket; stopped by PID, waits bounded."""

    def __init__(self, state):
        self.dir = state + "-oracle"
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.copytree(state, self.dir, ignore=shutil.ignore_patterns("swtpm.sock", "*.log", ".lock"))
        self.sock = os.path.join(self.dir, "srv")
        self.proc = None

    def __enter__(self):
        # tpm2-tss's swtpm TCTI expects the control socket at <path>.ctrl.
        self.proc = subprocess.Popen(
            ["swtpm", "socket", "--tpm2", "--tpmstate", f"dir={self.dir}", "--flags", "startup-clear",
             "--server", f"type=unixio,path={self.sock}", "--ctrl", f"type=unixio,path={self.sock}.ctrl"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 5
        while not (os.path.exists(self.sock) and os.path.exists(self.sock + ".ctrl")):
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.__exit__(None, None, None)
                raise AssertionError("host swtpm for the oracle did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def tool(self, *args):
        p = subprocess.run(list(args) + ["-T", f"swtpm:path={self.sock}"], capture_output=True, timeout=30)
        return p.returncode, p.stdout, p.stderr


def openssl(*args, data):
    p = subprocess.run(["openssl"] + list(args), input=data, capture_output=True, timeout=30, check=True)
    return p.stdout


def fixed_properties(text):
    """tpm2_getcap properties-fixed output as {name: raw int}."""
    props, name = {}, None
    for line in text.splitlines():
        if line and not line.startswith(" ") and line.endswith(":"):
            name = line[:-1]
        elif line.strip().startswith("raw:") and name:
            props[name] = int(line.split(":", 1)[1].strip(), 0)
    return props


def oracle(run):
    """What tpm2-tools and openssl read from the scenario's TPM state."""
    out = {}
    with HostTpm(os.path.join(run.work, "tpm")) as tpm:
        rc, text, err = tpm.tool("tpm2_getcap", "properties-fixed")
        if rc:
            raise AssertionError(f"oracle: tpm2_getcap failed: {err.decode(errors='replace')}")
        props = fixed_properties(text.decode())
        out["manufacturer"] = props["TPM2_PT_MANUFACTURER"].to_bytes(4, "big").rstrip(b"\0 ").decode()
        v1, v2 = props["TPM2_PT_FIRMWARE_VERSION_1"], props["TPM2_PT_FIRMWARE_VERSION_2"]
        out["firmware"] = f"{v1 >> 16}.{v1 & 0xFFFF}.{v2 >> 16}.{v2 & 0xFFFF}"
        cert = os.path.join(tpm.dir, "ek.der")
        rc, _, _ = tpm.tool("tpm2_nvread", "0x01c00002", "-o", cert)
        if rc == 0:
            der = open(cert, "rb").read()
            names = openssl("x509", "-inform", "der", "-noout", "-issuer", "-subject", "-nameopt", "RFC2253",
                            data=der).decode().splitlines()
            out["issuer"] = names[0].split("=", 1)[1]
            out["subject"] = names[1].split("=", 1)[1]
        pem = os.path.join(tpm.dir, "ek.pem")
        rc, _, err = tpm.tool("tpm2_readpublic", "-c", "0x81010001", "-f", "pem", "-o", pem)
        if rc:
            raise AssertionError(f"oracle: tpm2_readpublic failed: {err.decode(errors='replace')}")
        pkcs1 = openssl("rsa", "-pubin", "-RSAPublicKey_out", "-outform", "DER", data=open(pem, "rb").read())
        out["ek_pub_sha256"] = hashlib.sha256(pkcs1).hexdigest()
        # Allocated PCR banks: those with a non-empty selection ("- sha256: [ 0, 1, ... ]").
        rc, text, err = tpm.tool("tpm2_getcap", "pcrs")
        if rc:
            raise AssertionError(f"oracle: tpm2_getcap pcrs failed: {err.decode(errors='replace')}")
        out["active_pcr_banks"] = sorted(m.group(1) for m in re.finditer(r"-\s*(\w+):\s*\[\s*([^\]\s][^\]]*)\]",
                                                                          text.decode()))
    return out


def check_tpm(want_cert):
    def check(runs):
        tpm = runs[0].report_json()["identity"]["tpm"]
        want = oracle(runs[0])
        got = {"present": tpm["present"], "version": tpm["version"], "manufacturer": tpm["manufacturer"],
               "firmware": tpm["firmware_version"], "ek_certificate": tpm["ek_certificate"],
               "ek_pub_sha256": tpm["ek_pub_sha256"],
               "active_pcr_banks": sorted((tpm["active_pcr_banks"] or "").split(",")) if tpm["active_pcr_banks"] else []}
        expect = {"present": True, "version": "2.0", "manufacturer": want["manufacturer"],
                  "firmware": want["firmware"], "ek_certificate": want_cert, "ek_pub_sha256": want["ek_pub_sha256"],
                  "active_pcr_banks": want["active_pcr_banks"]}
        if want_cert:
            if "subject" not in want:
                raise AssertionError("oracle: tpm2_nvread found no EK certificate in a state made with one")
            got.update(issuer=tpm["ek_issuer"], subject=tpm["ek_subject"])
            expect.update(issuer=want["issuer"], subject=want["subject"])
        elif "subject" in want or tpm["ek_issuer"] is not None or tpm["ek_subject"] is not None:
            raise AssertionError(f"no EK certificate expected; oracle {want}, report {tpm}")
        if got != expect:
            diff = {k: (got.get(k), expect.get(k)) for k in expect if got.get(k) != expect.get(k)}
            raise AssertionError(f"TPM fields differ from the oracle (report, oracle): {diff}")
    return check


def id_findings(want, *more):
    """The identity findings above info must be exactly want ({code: severity}); then the more checks.
    Verdicts are not asserted: record and network findings of other areas would decide them."""
    def check(runs):
        got = {f["code"]: f["severity"] for f in runs[0].report_json()["findings"]
               if f["code"].startswith("ID-") and f["severity"] != "info"}
        if got != want:
            raise AssertionError(f"identity findings {got}, expected {want}")
        for c in more:
            c(runs)
    return check


def check_tpm_hang(runs):
    """swtpm stopped before the app's first TPM command: the firmware gives up on that one command, the app
    sends no other, finishes, and the firmware's timers still work (the network phase needs them)."""
    run = runs[0]
    doc = run.report_json()
    tpm = doc["identity"]["tpm"]
    # The firmware gives up (EFI_DEVICE_ERROR) or, once swtpm is gone, hands back QEMU's TPM_RC_FAILURE;
    # either way only after its own wait, and the app then sends nothing more.
    waited = re.search(r"TPM: (?:SubmitCommand failed after|a command took) (\d+) ms", run.serial)
    if not waited or "no further TPM commands are sent" not in run.serial:
        raise AssertionError("no TPM give-up message: was the TPM really stopped before the app used it?")
    # How long the firmware waited is only printed: the guest measured it, and under TCG the guest's
    # clock drifts with host load (77 s for the firmware's 90 s was seen on a busy machine).
    if run.serial.count("no further TPM commands are sent") != 1:
        raise AssertionError("more than one TPM command was given up on: the app kept talking to a dead TPM")
    if "The TPM could not be read completely" not in run.serial:
        raise AssertionError("gather_tpm did not report the failure to main")
    # What the firmware knew without asking the TPM still shows: TCG2 capability data. The rest is null.
    if tpm["present"] is not True or tpm["version"] != "2.0" or tpm["manufacturer"] != "IBM":
        raise AssertionError(f"hung TPM: expected present, 2.0 and IBM from the TCG2 capability data: {tpm}")
    unread = {k: tpm[k] for k in ("firmware_version", "ek_certificate", "ek_issuer", "ek_subject", "ek_pub_sha256")
              if tpm[k] is not None}
    if unread:
        raise AssertionError(f"hung TPM: fields that need the TPM must be null: {unread}")
    # Timers after the hang: DHCP, every endpoint check and the shutdown all run on timer events.
    net = doc.get("network")
    if not isinstance(net, dict) or net.get("ipv4") is None:
        raise AssertionError(f"no network result after the TPM hang: {net!r}")
    found = [(f["code"], f["detail"]) for f in doc["findings"] if f["code"].startswith("NET-")]
    bad = [(c["host"], c["status"]) for c in net["checks"] if c["status"] != "ok"]
    if found or bad or not net["checks"]:
        raise AssertionError(f"network checks failed after the TPM hang: findings {found}, checks {bad}")
    if run.seconds > TPM_HANG_LIMIT_S:
        raise AssertionError(f"run took {run.seconds:.1f} s, "
                             f"over the firmware's bound plus margin ({TPM_HANG_LIMIT_S} s)")
    print(f"qemu: tpm-never-answers: {run.seconds:.1f} s boot to shutdown, TPM command {waited.group(1)} ms; "
          f"network phase {net['duration_ms']} ms, {len(net['checks'])} checks ok", flush=True)


# Disks: raw files made by the rig (Scenario.disks), so the rig can show none was written to; serials are ours.
DISK_QEMU = [
    "-blockdev", "driver=raw,node-name=nvme0,file.driver=file,file.filename={disk:nvme0}",
    "-device", "nvme,drive=nvme0,serial=NVME-SN-4711",
    "-blockdev", "driver=raw,node-name=ata0,file.driver=file,file.filename={disk:ata0}",
    "-device", "ide-hd,drive=ata0,bus=ide.0,serial=ATA-SN-0815,model=Contoso SSD 256",
    "-blockdev", "driver=raw,node-name=vblk0,file.driver=file,file.filename={disk:vblk0}",
    "-device", "virtio-blk-pci,drive=vblk0,serial=VBLK-SN-42",
]
DISK_FILES = {"nvme0": 16, "ata0": 16, "vblk0": 16}
# Two NICs of different drivers with chosen MACs; no peer is needed to be listed.
NIC_QEMU = [
    "-device", "virtio-net-pci,mac=52:54:00:c0:ff:ee",
    "-device", "e1000e,mac=02:00:5e:10:20:30",
]


def check_disks(runs):
    disks = runs[0].report_json()["identity"]["disks"]
    by_serial = {d["serial"]: d for d in disks if d["serial"]}
    want = {"NVME-SN-4711": ("nvme", "QEMU NVMe Ctrl"), "ATA-SN-0815": ("sata", "Contoso SSD 256")}
    for serial, (bus, model) in want.items():
        d = by_serial.get(serial)
        if not d:
            raise AssertionError(f"disk serial {serial} missing; disks {disks}")
        if d["bus"] != bus or d["model"] != model or d["boot_media"]:
            raise AssertionError(f"disk {serial}: expected bus {bus}, model {model}, not boot media: {d}")
    # virtio-blk: OVMF's VirtioBlkDxe offers no EFI_DISK_INFO, so its serial cannot be read (documented).
    if "VBLK-SN-42" in by_serial:
        raise AssertionError("virtio-blk serial visible: update docs/architecture.md limitations")
    boot = [d for d in disks if d["boot_media"]]
    if len(boot) != 1:
        raise AssertionError(f"expected exactly one boot_media disk (the stick), got {disks}")
    if len(disks) != 4:
        raise AssertionError(f"expected 4 disks (stick, NVMe, SATA, virtio), got {len(disks)}: {disks}")


def check_nics(runs):
    nics = runs[0].report_json()["identity"]["nics"]
    macs = sorted(n["mac"] for n in nics)
    if macs != ["02:00:5e:10:20:30", "52:54:00:c0:ff:ee"]:
        raise AssertionError(f"NIC MACs {macs}")
    for n in nics:
        if n["wireless"] is not False:
            raise AssertionError(f"NIC {n['mac']} reported wireless={n['wireless']}")


SCENARIOS = [
    Scenario("tpm-ek-cert", smbios=["type=1,serial=TPM-EK-1"], ini=VM_OK_INI, tpm="ek", tpm_setup=["--vmid", VMID],
             check=id_findings({}, check_tpm(True))),
    Scenario("tpm-no-ek-cert", smbios=["type=1,serial=TPM-NOEK-1"], ini=VM_OK_INI, tpm="no-ek",
             check=id_findings({"ID-TPM-NO-EK-CERT": "warn"}, check_tpm(False))),
    # The banner comes before any TPM command of the app, and OVMF is done with the TPM by then.
    # The network is on here: it runs after the TPM hang and needs working timer events.
    Scenario("tpm-never-answers", smbios=["type=1,serial=TPM-HANG-1"], ini=TPM_HANG_INI, tpm="ek", net=[],
             tpm_freeze="Windows Autopilot readiness check", tpm_kill_after=TPM_KILL_AFTER_S,
             timeout=TPM_HANG_LIMIT_S + 20,
             no_findings=NET_CODES, check=id_findings({}, check_tpm_hang)),
    Scenario("tpm-missing", smbios=["type=1,serial=NOTPM-1"], ini=VM_OK_INI, verdict="NO-GO",
             fields={"identity.tpm.present": False, "identity.tpm.version": None},
             check=id_findings({"ID-TPM-MISSING": "error"})),
    Scenario("tpm-missing-allowed", smbios=["type=1,serial=NOTPM-2"], ini=NO_TPM_WARN_INI,
             fields={"identity.tpm.present": False}, check=id_findings({"ID-TPM-MISSING": "warn"})),
    Scenario("disks-serials", smbios=["type=1,serial=DISKS-1"], ini=VM_OK_INI, qemu=DISK_QEMU, disks=DISK_FILES,
             check=check_disks),
    Scenario("nics-two-macs", smbios=["type=1,serial=NICS-1"], ini=VM_OK_INI, qemu=NIC_QEMU, check=check_nics),
]
