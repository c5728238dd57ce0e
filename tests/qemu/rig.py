"""QEMU scenario rig: one scenario = QEMU options + stick contents + expected report fields and findings.

Each scenario gets a fresh FAT image and OVMF VARS copy, boots under scripts/qemu-run with a wall-clock
limit, then the serial log is read and the reports are copied back out of the image and asserted.
"""
import concurrent.futures
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

import azurite

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EFI = os.path.join(ROOT, "build", "preflight.efi")
# Per architecture (Scenario.arch): the build (make ARCH=...) and the firmware's empty variable store.
EFIS = {"x64": EFI, "aa64": os.path.join(ROOT, "build", "aa64", "preflight.efi")}
VARS = {"x64": "/usr/share/OVMF/OVMF_VARS_4M.fd", "aa64": "/usr/share/AAVMF/AAVMF_VARS.fd"}
ARTIFACTS = os.path.join(ROOT, "build", "qemu-tests")
RESULT_RE = re.compile(r"^PREFLIGHT RESULT verdict=(GO|WARN|NO-GO) errors=(\d+) warnings=(\d+) report=(\S+)$")
ANSI_RE = re.compile(r"\x1b\[[0-9;=?]*[A-Za-z]")
BANNER_RE = re.compile(r"Preflight [^\s:]+: ")
MKSTORE = os.path.join(ROOT, "ovmf", "mkstore")
# What firmware and shim print when Secure Boot refuses an image: BdsDxe "Access Denied", the internal
# shell "Security Violation", shim "Verification failed". A refused run is stopped there (qemu-run --stop-on).
REFUSED_TEXTS = ["Access Denied", "Security Violation", "Verification failed"]

# Tests always end the VM themselves; the demo and real sticks use whatever the technician wants.
# Without a NIC the network phase would add NET-NO-NIC: scenarios that test the network say so (net=).
DEFAULT_INI = "[after]\naction = shutdown\n[network]\nenabled = false\n"
TESTNET = os.path.join(ROOT, "scripts", "testnet")


@dataclass
class Run:
    """What one boot produced."""
    serial: str
    lines: list
    result: dict
    reports: dict  # file name -> bytes, from \preflight\reports
    seconds: float
    exit_code: int
    work: str = None  # the scenario's scratch directory (TPM state in work/tpm)
    window: float = None  # with a watched boot: host seconds from MARK_SAVING to the result line
    screen: str = None  # with Scenario.screendump: the PNG of the screen when the VM was stopped
    cut_at: float = None  # with a cut: host seconds after MARK_SAVING when QEMU was killed

    def report_json(self):
        names = sorted(n for n in self.reports if n.endswith(".json"))
        if not names:
            raise AssertionError("no JSON report on the stick")
        return json.loads(self.reports[names[-1]].decode("utf-8"))


@dataclass
class Scenario:
    name: str
    arch: str = "x64"                                 # "aa64": an Arm PC (qemu-system-aarch64 virt + AAVMF,
                                                      # build/aa64/preflight.efi, the stick on USB; qemu-run)
    smbios: list = field(default_factory=list)        # -smbios arguments
    qemu: list = field(default_factory=list)          # extra QEMU arguments
    ini: str = DEFAULT_INI                            # \preflight\preflight.ini (None: no file)
    files: dict = field(default_factory=dict)         # stick path -> str, bytes, or callable(host path) that
                                                      # writes the file (large files); a path ending in / a folder
    size_mb: int = None                               # the stick's size (scripts/mkimage --size-mb; default 64)
    damage: object = None                             # callable(image path) that damages the built stick
    gpt: bool = False                                 # a whole-disk stick (make usb): GPT + ESP (mkimage --gpt)
    rng: bool = True                                  # virtio-rng-pci: an EFI_RNG_PROTOCOL, as real PCs have
    from_zip: bool = False                            # the stick is make usb's zip unpacked onto a fresh FAT32
                                                      # file system (mkfs.vfat), then the scenario's files
    smbios_entry: str = None                          # "64" for an SMBIOS 3 entry point
    readonly: bool = False
    runs: int = 1
    timeout: int = 90
    verdict: str = None                               # expected verdict
    findings: list = field(default_factory=list)      # codes that must be present
    no_findings: list = field(default_factory=list)   # codes that must be absent
    fields: dict = field(default_factory=dict)        # dotted JSON path -> expected value
    check: object = None                              # callable(list_of_runs) for anything else
    tpm: str = None                                   # swtpm TPM 2.0: "ek" (EK + certificates), "no-ek" (EK key only)
    tpm_setup: list = field(default_factory=list)     # extra swtpm_setup arguments (e.g. --vmid)
    tpm_freeze: str = None                            # serial text after which swtpm stops answering
    tpm_kill_after: int = None                        # seconds after the freeze when swtpm is killed (qemu-run)
    net: list = None                                  # hermetic test network with these faults ([] healthy; None: no NIC)
    net_hosts: list = field(default_factory=list)     # more names the test network serves (testnet --host)
    azurite: list = None                              # Azurite in the test network with these containers
                                                      # (tests/qemu/azurite.py); stopped by PID after the check
    fill: bool = False                                # fill the stick so that no report fits
    internal_esp: dict = None                         # files of an internal (NVMe) FAT disk, e.g. a Windows ESP
    esp_gpt: bool = False                             # internal_esp as a GPT disk with one EFI System Partition
    esp_bootindex: int = None                         # internal_esp's QEMU bootindex (OVMF keeps Boot#### on it in BootOrder)
    second_esp: dict = None                           # files of a second internal GPT ESP (another NVMe disk)
                                                      # (else a whole-disk FAT without a partition table)
    after_result: str = None                          # text that must follow the result line (a chain-loaded image)
    link_down: list = field(default_factory=list)     # netdev/device ids whose link is down from power-on (n0: testnet)
    store: str = None                                 # Secure Boot VARS profile of ovmf/mkstore (implies the secboot code)
    sign: str = None                                  # "test-db": signed with the test db key; "other": a key never enrolled
    shim: bool = False                                # shim stick (make usb SIGN=shim): Preflight signed with the test MOK
    expect_refused: bool = False                      # Secure Boot must refuse it: no banner, no result line
    refused_text: str = None                          # with expect_refused: text the console must show
    disks: dict = field(default_factory=dict)         # internal disk name -> size in MiB: work/disk-NAME.img,
                                                      # "{disk:NAME}" in qemu args is its path; never written to
    report_dir: str = "preflight/reports"             # the one folder of the stick Preflight may change
    stop_on: list = field(default_factory=list)       # serial texts after which the VM is stopped (a prompt)
    stick_opts: str = None                            # more -drive options for the stick (qemu-run --stick-opts)
    stick: object = "usb"                             # how the stick is attached (qemu-run --stick): "usb", a
                                                      # USB mass-storage stick on XHCI as a PC sees it, or "virtio";
                                                      # a tuple gives each boot's (the same stick both ways);
                                                      # "pxe": no stick, the binary from the test network's
                                                      # TFTP (testnet --netboot; needs net), no report to read;
                                                      # "http": the stick image (gpt) is HTTP boot's RAM disk
    guests: list = None                               # several VMs at once on one test network (testnet --guests):
                                                      # each one's -smbios list; they boot together, each with
                                                      # its own VARS, serialN.log and tap (needs net)
    netboot_files: dict = None                        # with stick "pxe": files beside preflight.efi in the boot
                                                      # server's folder (name -> text), e.g. preflight.ini and
                                                      # preflight-files.txt; the test CA is there as
                                                      # certs/testnet-ca.der
    screendump: bool = False                          # with stop_on: the screen as work/screenN.png (Run.screen)
    cut: float = None                                 # power cut: boot 0 measures the save window, boot 1 is
                                                      # SIGKILLed at this fraction of it (negative: seconds
                                                      # before its end), boot 2 recovers
    cut_ledger: bool = False                          # with cut: sc.cut is seconds after MARK_LEDGER instead
    long: bool = False                                # only in make test-long (PF_LONG=1): a variant whose
                                                      # code path a make test scenario already covers



def assert_secret_absent(run, secrets, what):
    """None of the secrets (e.g. a token, a signature and its encodings) is on the serial console or in
    any file of the reports folder."""
    for s in secrets:
        if s in run.serial:
            raise AssertionError(f"the {what} appears on the serial console")
        for name, data in run.reports.items():
            if s.encode() in data:
                raise AssertionError(f"the {what} appears in the reports folder ({name})")


def both(*checks):
    """A scenario check made of several: each runs on the same boots, in order."""
    def check(runs):
        for c in checks:
            c(runs)
    return check


# Whole-disk images (Scenario.gpt): mtools reaches their file system at the partition's offset.
MTOOLS_AT = {}


def mtools(*args, check=True):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    args = list(args)
    for i in range(1, len(args)):
        if args[i - 1] == "-i" and args[i] in MTOOLS_AT:
            args[i] = MTOOLS_AT[args[i]]
    return subprocess.run(args, env=env, check=check, capture_output=True, timeout=60)


def build_from_zip(sc, work, tree):
    """What a technician does with build/preflight-usb.zip: a fresh FAT32 stick, the zip unpacked onto it."""
    import zipfile
    zpath = os.path.join(work, "preflight-usb.zip")
    subprocess.run([os.path.join(ROOT, "scripts", "mkimage"), "-o", os.path.join(work, "zip-source.img"), "--efi",
                    signed_efi(sc, work), "--zip", zpath, "--tree", os.path.join(ROOT, "scripts", "usb-stick")],
                   check=True, capture_output=True, timeout=120)
    os.unlink(os.path.join(work, "zip-source.img"))
    with zipfile.ZipFile(zpath) as z:
        z.extractall(tree)


def build_image(sc, work):
    tree = os.path.join(work, "tree")
    os.makedirs(tree)
    if sc.from_zip:
        build_from_zip(sc, work, tree)  # the scenario's files are written over the unpacked tree below
    files = dict(sc.files)
    if sc.ini is not None:
        files.setdefault("preflight/preflight.ini", sc.ini)
    for path, content in files.items():
        dest = os.path.join(tree, *path.split("/"))
        if path.endswith("/"):  # a folder (for example where a file is expected)
            os.makedirs(dest, exist_ok=True)
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        if callable(content):
            content(dest)
            continue
        with open(dest, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
    img = os.path.join(work, "stick.img")
    if sc.from_zip:
        subprocess.run(["mkfs.vfat", "-F", "32", "-n", "STICK", "-C", img, str(64 * 1024)], check=True,
                       capture_output=True, timeout=60)
        for entry in sorted(os.listdir(tree)):
            mtools("mcopy", "-o", "-s", "-i", img, os.path.join(tree, entry), "::/")
        shutil.rmtree(tree, ignore_errors=True)
        return img
    cmd = [os.path.join(ROOT, "scripts", "mkimage"), "-o", img, "--efi", signed_efi(sc, work), "--tree", tree]
    if sc.shim:
        cmd += ["--shim", "--mok-cert", os.path.join(test_keys(), "MOK.crt")]
    if sc.size_mb:
        cmd += ["--size-mb", str(sc.size_mb)]
    if sc.gpt:
        cmd.append("--gpt")
        MTOOLS_AT[img] = img + "@@1M"  # scripts/mkimage starts the partition at 1 MiB
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    shutil.rmtree(tree, ignore_errors=True)  # the image holds it now (a 2 GB file need not stay twice)
    if sc.fill:
        fill_image(img, work)
    if sc.damage:
        sc.damage(img)
    return img


def test_keys():
    """build/ovmf/keys: the Secure Boot test keys (ovmf/mkstore makes them once)."""
    proc = subprocess.run([MKSTORE, "--keys"], check=True, capture_output=True, timeout=120)
    return proc.stdout.decode().strip()


def signed_efi(sc, work):
    """The EFI file for the stick: as built, or signed with a test key (sbsign)."""
    key = {"test-db": "DB", "other": "other", None: None}[sc.sign]
    if sc.shim:
        key = key or "MOK"
    if key is None:
        return EFIS[sc.arch]
    keys = test_keys()
    out = os.path.join(work, "preflight-signed.efi")
    subprocess.run(["sbsign", "--key", os.path.join(keys, key + ".key"), "--cert", os.path.join(keys, key + ".crt"),
                    "--output", out, EFIS[sc.arch]], check=True, capture_output=True, timeout=60)
    return out


def store_path(profile, arch="x64"):
    """The cached VARS store of a profile (built on first use; ovmf/mkstore serialises builds)."""
    proc = subprocess.run([MKSTORE, "--arch", arch, "--cached", profile], capture_output=True, timeout=600)
    if proc.returncode != 0:
        raise AssertionError(f"ovmf/mkstore {profile} failed: {proc.stderr.decode(errors='replace')[-400:]}")
    return proc.stdout.decode().strip()


def fill_image(img, work, leave=1024):
    """Fills the stick's free space with one file, leaving less than one small report's worth."""
    out = mtools("mdir", "-i", img, "::/").stdout.decode(errors="replace")
    m = re.search(r"([\d ]+) bytes free", out)
    if not m:
        raise AssertionError(f"cannot read the stick's free space: {out[-200:]}")
    free = int(m.group(1).replace(" ", ""))
    filler = os.path.join(work, "filler.bin")
    with open(filler, "wb") as f:
        f.truncate(max(free - leave, 0))
    mtools("mcopy", "-i", img, filler, "::/filler.bin")
    os.unlink(filler)


# Partition GUIDs of the internal GPT ESPs by image name (the second ESP differs, so two never look alike).
ESP_PARTUUID = {"esp.img": "5b1d8a3e-7c2f-4e6a-9d41-0a6f3c2e8b17", "esp2.img": "9e27c4d1-3a58-4b0f-8c6e-2d71f5a9b403"}


def build_esp(sc, work, name="esp.img", files=None, gpt=None):
    """A small FAT disk with the scenario's internal_esp files, made once per scenario."""
    img = os.path.join(work, name)
    files = sc.internal_esp if files is None else files
    gpt = sc.esp_gpt if gpt is None else gpt
    if not os.path.exists(img):
        fat = img
        if gpt:
            # uefi-notes.md "Stand-in Windows boot managers": GPT, ESP type, FAT32 at 1 MiB.
            with open(img, "wb") as f:
                f.truncate(64 * 1024 * 1024)
            # A fixed partition GUID: ovmf/mkstore's bootmgr-boot-entry store has a Boot#### pointing at it
            # (WINDOWS_ESP_PARTUUID there, with the same start and size).
            subprocess.run(["sfdisk", "-q", img], input=b"label: gpt\nstart=2048, size=122880, "
                           b"type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, uuid=" + ESP_PARTUUID[name].encode() + b"\n",
                           check=True, capture_output=True, timeout=60)
            subprocess.run(["mkfs.vfat", "-F", "32", "-n", "ESP", "--offset", "2048", img, str(60 * 1024)], check=True,
                           capture_output=True, timeout=60)
            fat = img + "@@1048576"
        else:
            subprocess.run(["mkfs.vfat", "-n", "ESP", "-C", img, str(32 * 1024)], check=True, capture_output=True,
                           timeout=60)
        for path, content in files.items():
            parts = path.split("/")
            for i in range(1, len(parts)):
                mtools("mmd", "-D", "s", "-i", fat, "::/" + "/".join(parts[:i]), check=False)
            src = os.path.join(work, "esp-file")
            with open(src, "wb") as f:
                f.write(content)
            mtools("mcopy", "-o", "-i", fat, src, "::/" + path)
    return img


def build_disks(sc, work):
    """The scenario's internal disks as raw files with a non-zero pattern, so a write anywhere shows."""
    paths = {}
    for name, mib in sc.disks.items():
        path = os.path.join(work, f"disk-{name}.img")
        seed = hashlib.sha256(name.encode()).digest()
        with open(path, "wb") as f:
            block = (seed * (1024 * 1024 // len(seed)))
            for _ in range(mib):
                f.write(block)
        paths[name] = path
    return paths


def file_sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def stick_files(img, work):
    """{path: SHA-256 of the content, or "dir"} of every file and folder on a FAT image (mtools)."""
    out = tempfile.mkdtemp(prefix="stick-", dir=work)
    # No match on an empty stick: that is an empty state, not an error.
    mtools("mcopy", "-s", "-n", "-i", img, "::/*", out + "/", check=False)
    state = {}
    for dirpath, dirs, files in os.walk(out):
        rel = os.path.relpath(dirpath, out).replace(os.sep, "/")
        rel = "" if rel == "." else rel + "/"
        for d in dirs:
            state[rel + d + "/"] = "dir"
        for name in files:
            state[rel + name] = file_sha256(os.path.join(dirpath, name))
    shutil.rmtree(out, ignore_errors=True)
    return state


def changes_outside(before, after, allowed):
    """Paths added, removed or changed that are not inside the folder `allowed` (case-insensitive, as FAT)."""
    prefix = allowed.strip("/").lower() + "/"
    changed = sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))
    return [p for p in changed if not p.lower().startswith(prefix)]


def assert_untouched(sc, img, work, stick_before, disks_before):
    """Only the reports folder of the stick changed; every internal disk is byte for byte as it was."""
    outside = changes_outside(stick_before, stick_files(img, work), sc.report_dir)
    if outside:
        raise AssertionError(f"the stick changed outside {sc.report_dir}: {outside[:8]}")
    for path, digest in disks_before.items():
        if file_sha256(path) != digest:
            raise AssertionError(f"internal disk {os.path.basename(path)} was written to")


def read_reports(img, work, idx):
    out = os.path.join(work, f"reports{idx}")
    os.makedirs(out)
    mtools("mcopy", "-s", "-n", "-i", img, "::/preflight/reports", out, check=False)
    found = {}
    base = os.path.join(out, "reports")
    if os.path.isdir(base):
        for name in os.listdir(base):
            if os.path.isdir(os.path.join(base, name)):  # a folder where a file belongs (hostile stick)
                continue
            with open(os.path.join(base, name), "rb") as f:
                found[name] = f.read()
    return found


def make_tpm_state(sc, work):
    """A fresh swtpm state in work/tpm, made once per scenario (about 1 s)."""
    d = os.path.join(work, "tpm")
    os.makedirs(d)
    cmd = ["swtpm_setup", "--tpm2", "--tpmstate", d, "--createek", "--lock-nvram"] + list(sc.tpm_setup)
    if sc.tpm == "ek":
        cmd += ["--create-ek-cert", "--create-platform-cert"]
    elif sc.tpm != "no-ek":
        raise ValueError(f"tpm={sc.tpm!r}: expected 'ek' or 'no-ek'")
    subprocess.run(cmd, check=True, capture_output=True, timeout=60)
    return d


# Printed by efi/main.c just before the stick is first written to, and by efi/report_io.c between the
# reports and the ledger append; power cuts are aimed from them.
MARK_SAVING = b"Saving the reports in "
MARK_LEDGER = b"adding the ledger row..."


def run_watched(cmd, log, pidfile, limit, cut_after=None, cut_mark=MARK_SAVING):
    """Runs qemu-run, watching the serial log on the host's clock: when MARK_SAVING and the result line
    appear, and with cut_after, SIGKILLs QEMU (its own PID, from -pidfile) that many seconds after
    cut_mark: a power cut, no shutdown. Returns (returncode, window, cut_at)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    t_end = time.monotonic() + limit
    mark = result = cut_at = aim = None
    try:
        while proc.poll() is None:
            if time.monotonic() > t_end:
                raise AssertionError(f"qemu-run still running after {limit} s")
            try:
                with open(log, "rb") as f:
                    text = f.read()
            except FileNotFoundError:
                text = b""
            now = time.monotonic()
            if mark is None and MARK_SAVING in text:
                mark = now
            if result is None and b"PREFLIGHT RESULT" in text:
                result = now
            if aim is None and cut_mark in text:
                aim = now
            if cut_after is not None and aim is not None and cut_at is None and now - aim >= cut_after:
                try:
                    with open(pidfile) as f:
                        os.kill(int(f.read().strip()), signal.SIGKILL)
                    cut_at = now - aim
                except (FileNotFoundError, ProcessLookupError, ValueError):
                    cut_after = None  # QEMU ended first (it removes its pidfile): nothing to cut
            time.sleep(0.002)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=30)
        proc.stderr.close()
    window = result - mark if mark is not None and result is not None else None
    return proc.returncode, window, cut_at


def boot(sc, img, vars_fd, work, idx, cut_after=None, cut_mark=MARK_SAVING):
    log = os.path.join(work, f"serial{idx}.log")
    cmd = [os.path.join(ROOT, "scripts", "qemu-run"), "--arch", sc.arch, "--image", img, "--serial", log,
           "--vars", vars_fd, "--timeout", str(sc.timeout)]
    if sc.readonly:
        cmd.append("--readonly")
    if sc.stick_opts:
        cmd += ["--stick-opts", sc.stick_opts]
    stick = sc.stick if isinstance(sc.stick, str) else sc.stick[idx]
    cmd += ["--stick", "none" if stick in ("pxe", "http") else stick]
    if sc.smbios_entry:
        cmd += ["--smbios-entry", sc.smbios_entry]
    if sc.tpm:
        cmd += ["--tpm", os.path.join(work, "tpm")]
    if sc.tpm_freeze:
        cmd += ["--tpm-freeze-on", sc.tpm_freeze]
    if sc.tpm_kill_after is not None:
        cmd += ["--tpm-kill-after", str(sc.tpm_kill_after)]
    for name in sc.link_down:
        cmd += ["--link-down", name]
    if sc.store:
        cmd.append("--secboot")
    if sc.expect_refused:
        for text in REFUSED_TEXTS:
            cmd += ["--stop-on", text]
    for text in sc.stop_on:
        cmd += ["--stop-on", text]
    screen = os.path.join(work, f"screen{idx}.png") if sc.screendump else None
    if screen:
        cmd += ["--screendump", screen]
    extra = ["-device", "virtio-rng-pci"] if sc.rng else []
    if stick == "http":
        # OVMF offers PXEv4, PXEv6, HTTPv4, HTTPv6 for the NIC, in that order, and waits at each PXE
        # entry (about 2 min in all). Its fw_cfg switches (OvmfPkg's PxeBcPcdProducerLib, read at
        # every boot) leave the PXE entries out of the boot order, so HTTPv4 is tried first.
        extra += ["-fw_cfg", "name=opt/org.tianocore/IPv4PXESupport,string=n",
                  "-fw_cfg", "name=opt/org.tianocore/IPv6PXESupport,string=n"]
    for s in (sc.guests[idx] if sc.guests else sc.smbios):
        extra += ["-smbios", s]
    disk_paths = {name: os.path.join(work, f"disk-{name}.img") for name in sc.disks}
    for arg in sc.qemu:
        for name, path in disk_paths.items():
            arg = arg.replace("{disk:" + name + "}", path)
        extra.append(arg)
    pidfile = os.path.join(work, f"qemu{idx}.pid")
    if sc.cut is not None:
        extra += ["-pidfile", pidfile]
    if sc.internal_esp is not None:
        extra += ["-drive", f"file={build_esp(sc, work)},if=none,id=esp,format=raw",
                  "-device", "nvme,drive=esp,serial=INTERNAL-ESP"
                  + ("" if sc.esp_bootindex is None else f",bootindex={sc.esp_bootindex}")]
    if sc.second_esp is not None:
        extra += ["-drive", f"file={build_esp(sc, work, 'esp2.img', sc.second_esp, True)},if=none,id=esp2,format=raw",
                  "-device", "nvme,drive=esp2,serial=INTERNAL-ESP2"]
    if sc.net is not None:  # QEMU runs inside the test network's namespace, on its tap
        extra += testnet_env(work)[f"QEMU_NET_ARGS_{idx}" if sc.guests else "QEMU_NET_ARGS"].split()
        cmd = [TESTNET, "run", os.path.join(work, "net"), "--"] + cmd
    if extra:
        cmd += ["--"] + extra
    t0 = time.monotonic()
    window = cut_at = None
    if sc.cut is not None:
        rc, window, cut_at = run_watched(cmd, log, pidfile, sc.timeout + 30, cut_after, cut_mark)
        proc = subprocess.CompletedProcess(cmd, rc, b"", b"")
    else:
        proc = subprocess.run(cmd, capture_output=True, timeout=sc.timeout + 30)
    seconds = time.monotonic() - t0
    text = open(log, "rb").read().decode("utf-8", "replace") if os.path.exists(log) else ""
    clean = ANSI_RE.sub("", text).replace("\r", "")
    lines = [l for l in clean.split("\n") if l.strip()]
    result = {}
    last = len(lines) - 1
    if sc.after_result is not None:  # the result line is the last line before the chain-loaded image's output
        marks = [i for i, l in enumerate(lines) if sc.after_result in l]
        if not marks:
            raise AssertionError(f"{sc.after_result!r} never appeared on the console; tail: {lines[-5:]}")
        last = marks[0] - 1
    if last >= 0:
        m = RESULT_RE.match(lines[last].strip())
        if m:
            result = {"verdict": m.group(1), "errors": int(m.group(2)), "warnings": int(m.group(3)),
                      "report": m.group(4)}
    if proc.returncode == 124 and sc.expect_refused:  # a refused image may leave the firmware waiting
        return Run(clean, lines, result, {}, seconds, proc.returncode, work)
    if cut_at is not None:  # killed on purpose: whatever the stick holds now is what a power cut leaves
        return Run(clean, lines, result, read_reports(img, work, idx), seconds, proc.returncode, work, window,
                   cut_at=cut_at)
    if proc.returncode == 124:
        raise AssertionError(f"QEMU hit the {sc.timeout} s limit; serial tail: {lines[-5:]}")
    if proc.returncode != 0:
        raise AssertionError(f"QEMU exited {proc.returncode}: {proc.stderr.decode(errors='replace')[-400:]}")
    return Run(clean, lines, result, read_reports(img, work, idx), seconds, proc.returncode, work, window,
               screen=screen if screen and os.path.exists(screen) else None)


def lookup(doc, dotted):
    cur = doc
    for part in dotted.split("."):
        if isinstance(cur, list):
            cur = cur[int(part)]
        elif isinstance(cur, dict):
            if part not in cur:
                raise AssertionError(f"report has no field {dotted}")
            cur = cur[part]
        else:
            raise AssertionError(f"report field {dotted}: {part} is not inside an object")
    return cur


def assert_run(sc, run):
    if not run.result:
        raise AssertionError(f"last serial line is not a PREFLIGHT RESULT line: {run.lines[-3:]}")
    codes = None
    if not sc.readonly and not sc.fill and sc.stick not in ("pxe", "http"):  # those cannot hold a report
        doc = run.report_json()
        codes = [f["code"] for f in doc["findings"]]
        if doc["schema"] != "preflight-report/1":
            raise AssertionError(f"schema {doc['schema']!r}")
        if doc["verdict"] != run.result["verdict"]:
            raise AssertionError(f"report verdict {doc['verdict']} != result line {run.result['verdict']}")
        for path, want in sc.fields.items():
            got = lookup(doc, path)
            if got != want:
                raise AssertionError(f"{path}: expected {want!r}, report has {got!r}")
    if sc.verdict and run.result["verdict"] != sc.verdict:
        raise AssertionError(f"verdict {run.result['verdict']}, expected {sc.verdict}; findings {codes}")
    for c in sc.findings:
        if codes is not None and c not in codes:
            raise AssertionError(f"finding {c} missing; report has {codes}")
    for c in sc.no_findings:
        if codes is not None and c in codes:
            raise AssertionError(f"finding {c} present but must not be; report has {codes}")


def assert_refused(sc, run):
    """Secure Boot refused the stick: Preflight never started."""
    banner = [l for l in run.lines if BANNER_RE.search(l)]
    if banner or run.result or any("PREFLIGHT RESULT" in l for l in run.lines):
        raise AssertionError(f"expected Secure Boot to refuse the image, but Preflight ran: {(banner or run.lines)[-2:]}")
    if sc.refused_text and sc.refused_text not in run.serial:
        raise AssertionError(f"{sc.refused_text!r} never appeared on the console; tail: {run.lines[-5:]}")


def testnet_env(work):
    env = {}
    with open(os.path.join(work, "net", "env")) as f:
        for line in f:
            k, sep, v = line.strip().partition("=")
            if sep and not k.startswith("#"):
                env[k] = v.strip('"')
    return env


def testnet_up(sc, work, img):
    """scripts/testnet in work/net with the scenario's faults; its test CA goes onto the stick."""
    cmd = [TESTNET, "up", os.path.join(work, "net")]
    for f in sc.net:
        cmd += ["--fault", f]
    if sc.guests:
        cmd += ["--guests", str(len(sc.guests))]
    for h in sc.net_hosts + ([azurite.HOST] if sc.azurite is not None else []):
        cmd += ["--host", h]
    if sc.stick == "pxe":  # the TFTP folder a PXE server holds: the binary the stick would carry
        tftp = os.path.join(work, "tftp")
        os.makedirs(tftp)
        if sc.shim:  # the folder make netboot SIGN=shim writes: shim as the boot file, Preflight as grubx64.efi
            subprocess.run([os.path.join(ROOT, "scripts", "netboot"), "-o", tftp, "--efi", signed_efi(sc, work),
                            "--shim", "--mok-cert", os.path.join(test_keys(), "MOK.crt")],
                           check=True, capture_output=True, timeout=300)
        else:
            shutil.copy(signed_efi(sc, work), os.path.join(tftp, "preflight.efi"))
        for name, text in (sc.netboot_files or {}).items():
            path = os.path.join(tftp, name)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        cmd += ["--netboot", tftp]
    if sc.stick == "http":  # the folder make netboot writes: the image, served over HTTP (copied again below)
        tftp = os.path.join(work, "tftp")
        os.makedirs(tftp)
        shutil.copy(img, os.path.join(tftp, "preflight-netboot.img"))
        cmd += ["--netboot", tftp]
    proc = subprocess.run(cmd, capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise AssertionError(f"testnet up failed: {proc.stderr.decode(errors='replace')[-400:]}")
    mtools("mcopy", "-o", "-i", img, testnet_env(work)["CA_DER"], "::/preflight/certs/testnet-ca.der")
    if sc.stick == "pxe" and sc.netboot_files is not None:  # made by testnet up: into the server's folder now
        certs = os.path.join(work, "tftp", "certs")
        os.makedirs(certs, exist_ok=True)
        shutil.copy(testnet_env(work)["CA_DER"], os.path.join(certs, "testnet-ca.der"))
        for base, dirs, files in os.walk(os.path.join(work, "tftp")):  # dnsmasq's TFTP runs as its own user
            for n in dirs:
                os.chmod(os.path.join(base, n), 0o755)
            for n in files:
                os.chmod(os.path.join(base, n), 0o644)
    if sc.stick == "http":
        shutil.copy(img, os.path.join(work, "tftp", "preflight-netboot.img"))


def testnet_down(work):
    if os.path.exists(os.path.join(work, "net", "env")):
        subprocess.run([TESTNET, "down", os.path.join(work, "net")], capture_output=True, timeout=60)


def power_cut_runs(sc, img, vars_fd, work, stick_before, disks_before):
    """Boot 0 runs whole and measures the save window (host clock, from MARK_SAVING to the result line);
    boot 1 is cut at sc.cut of it; boot 2 runs on the same stick afterwards."""
    first = boot(sc, img, vars_fd, work, 0)
    assert_run(sc, first)
    if not first.window:
        raise AssertionError("the first boot showed no save window (no 'Saving the reports' line?)")
    # A late cut point may come after this boot's own end (its window is never exactly the first's):
    # then nothing was cut, and the checks below still hold.
    if sc.cut_ledger:
        cut = boot(sc, img, vars_fd, work, 1, cut_after=sc.cut, cut_mark=MARK_LEDGER)
    else:
        after_mark = sc.cut * first.window if sc.cut >= 0 else max(first.window + sc.cut, 0)
        cut = boot(sc, img, vars_fd, work, 1, cut_after=after_mark)
    assert_untouched(sc, img, work, stick_before, disks_before)
    cut.fsck = fsck(img)
    shutil.copy(img, os.path.join(work, "stick-after-cut.img"))  # kept with a failed scenario's files
    after = boot(sc, img, vars_fd, work, 2)
    assert_run(sc, after)
    assert_untouched(sc, img, work, stick_before, disks_before)
    after.fsck = fsck(img)
    return [first, cut, after]


def guest_runs(sc, img, vars_fd, work):
    """sc.guests VMs booted at the same moment (threads, each QEMU bounded by its own limit), each with a
    copy of the VARS; every run must reach its result line."""
    import threading
    out = [None] * len(sc.guests)

    def one(i):
        v = os.path.join(work, f"vars{i}.fd")
        shutil.copy(vars_fd, v)
        try:
            out[i] = boot(sc, img, v, work, i)
        except Exception as e:  # handed to the caller below
            out[i] = e
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(sc.guests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(sc.timeout + 120)
    for i, r in enumerate(out):
        if r is None or isinstance(r, Exception):
            raise AssertionError(f"guest {i}: {r or 'did not finish'}")
        assert_run(sc, r)
    return out


def fsck(img):
    """fsck.fat -n (never changes the image): (exit status, its messages)."""
    proc = subprocess.run(["fsck.fat", "-n", img], capture_output=True, timeout=120)
    return proc.returncode, (proc.stdout + proc.stderr).decode(errors="replace")


def run_scenario(sc):
    work = tempfile.mkdtemp(prefix=f"pf-{sc.name}-")
    t0 = time.monotonic()
    phases = {}  # where a scenario's time goes (host clock), printed with its result for CI engineers

    def lap(name, since):
        phases[name] = phases.get(name, 0.0) + time.monotonic() - since
        return time.monotonic()

    try:
        t = time.monotonic()
        img = build_image(sc, work)
        t = lap("image", t)
        if sc.net is not None:
            testnet_up(sc, work, img)
            t = lap("net", t)
        if sc.azurite is not None:
            azurite.up(work, sc.azurite)
            t = lap("azurite", t)
        vars_fd = os.path.join(work, "vars.fd")
        shutil.copy(store_path(sc.store, sc.arch) if sc.store else VARS[sc.arch], vars_fd)
        if sc.tpm:
            make_tpm_state(sc, work)
            t = lap("tpm", t)
        internal = list(build_disks(sc, work).values())
        if sc.internal_esp is not None:
            internal.append(build_esp(sc, work))
        if sc.second_esp is not None:
            internal.append(build_esp(sc, work, "esp2.img", sc.second_esp, True))
        stick_before = stick_files(img, work)
        disks_before = {p: file_sha256(p) for p in internal}
        runs = []
        t = lap("image", t)
        if sc.cut is not None:
            runs = power_cut_runs(sc, img, vars_fd, work, stick_before, disks_before)
        if sc.guests:
            runs = guest_runs(sc, img, vars_fd, work)
        for i in range(sc.runs if sc.cut is None and not sc.guests else 0):
            run = boot(sc, img, vars_fd, work, i)
            assert_untouched(sc, img, work, stick_before, disks_before)
            if sc.expect_refused:
                assert_refused(sc, run)
            else:
                assert_run(sc, run)
            runs.append(run)
        t = lap("boot", t)
        if sc.check:
            sc.check(runs)
        t = lap("check", t)
        azurite.down(work)
        testnet_down(work)
        shutil.rmtree(work, ignore_errors=True)
        lap("down", t)
        return sc.name, None, time.monotonic() - t0, " ".join(f"{k} {v:.1f}" for k, v in phases.items() if v >= 0.05)
    except Exception as e:  # a failed scenario keeps its files for a look
        azurite.down(work)
        testnet_down(work)
        keep = os.path.join(ARTIFACTS, sc.name)
        shutil.rmtree(keep, ignore_errors=True)
        os.makedirs(ARTIFACTS, exist_ok=True)
        shutil.move(work, keep)
        return sc.name, f"{type(e).__name__}: {e} (files kept in {keep})", time.monotonic() - t0, ""


def main(scenarios, argv):
    only = set(argv[1:])
    chosen = [s for s in scenarios if not only or s.name in only]
    # The longest limits first (e.g. a TPM that never answers), so the two workers finish together.
    chosen.sort(key=lambda s: -s.timeout)
    for arch in sorted({s.arch for s in chosen}):
        if not os.path.exists(EFIS[arch]):
            print(f"qemu: {EFIS[arch]} missing; run make ARCH={arch} first", file=sys.stderr)
            return 2
    # Secure Boot stores once each, before the pool (about 5 s per profile), so no scenario pays for it.
    for arch, profile in sorted({(s.arch, s.store) for s in chosen if s.store}):
        t0 = time.monotonic()
        try:
            store_path(profile, arch)
        except (AssertionError, subprocess.SubprocessError) as e:
            print(f"qemu: Secure Boot store {profile} failed (its scenarios will fail): {e}", file=sys.stderr)
            continue
        print(f"qemu: Secure Boot store {profile} ({arch}) ready ({time.monotonic() - t0:.1f} s)", flush=True)
    passed = failed = 0
    # One certificate cache for every test network of this run (scripts/testnet: TESTNET_PKI_CACHE): keys and
    # leaves are made once instead of once per scenario (about 3 s of openssl each).
    pki_cache = tempfile.mkdtemp(prefix="pf-testnet-pki-")
    os.environ.setdefault("TESTNET_PKI_CACHE", pki_cache)
    # Two at a time: the machines have two cores and TCG is mostly single-threaded per VM.
    with concurrent.futures.ThreadPoolExecutor(max_workers=int(os.environ.get("PF_QEMU_JOBS", "2"))) as ex:
        for name, err, secs, phases in ex.map(run_scenario, chosen):
            if err:
                failed += 1
                print(f"qemu: FAIL {name} ({secs:.1f} s): {err}", flush=True)
            else:
                passed += 1
                print(f"qemu: pass {name} ({secs:.1f} s: {phases})", flush=True)
    shutil.rmtree(pki_cache, ignore_errors=True)
    print(f"qemu: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1
