"""Booted over the network (docs/netboot.md): OVMF PXE-boots the binary from the test network's TFTP."""
import json
import os

from rig import Scenario

MARK_TFTP = "sent "  # dnsmasq logs "sent FILE to ADDR" for each complete TFTP transfer


def pxe_nothing_kept(runs):
    run = runs[0]
    if "Booted from PXE." not in run.serial:
        raise AssertionError("the binary did not say it was booted from PXE")
    if "no file system, so the settings are the defaults and nothing of this run will be kept" not in run.serial:
        raise AssertionError("no notice that nothing of this run is kept")
    # What a PXE boot lacks is expected: no error line for it, no path in the result line.
    for line in run.lines:
        if "no file system:" in line or "efi/fs.c" in line or "cannot list disks" in line:
            raise AssertionError(f"an error for the missing file system: {line!r}")
    if run.result["report"] != "none":
        raise AssertionError(f"result line names report {run.result['report']!r}, expected none")
    # The defaults were used: records come from nowhere, and the VM is not allowed.
    for code in ("REC-NONE-AVAILABLE", "ID-VIRTUAL-MACHINE"):
        if code not in run.serial:
            raise AssertionError(f"{code} missing from the console")
    log = open(os.path.join(run.work, "net", "dnsmasq.log"), encoding="utf-8", errors="replace").read()
    if not any(MARK_TFTP in l and "preflight.efi" in l for l in log.splitlines()):
        raise AssertionError("dnsmasq's log shows no TFTP transfer of preflight.efi")
    # The server's folder holds only the binary: the screen says so, naming the file and the server.
    for text in ("The boot server has no usable preflight.ini beside preflight.efi (TFTP 192.168.77.1:",
                 "every setting is at its default", "The boot server has no preflight-files.txt"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")


def ramdisk_nothing_kept(runs):
    run = runs[0]
    if "Booted from HTTP boot RAM disk: http://192.168.77.1:8080/preflight-netboot.img." not in run.serial:
        raise AssertionError("the binary did not say it was booted from HTTP boot's RAM disk")
    if "no report.upload_url is set, so nothing of this run will be kept" not in run.serial:
        raise AssertionError("no notice that nothing of this run is kept")
    # The image's own preflight.ini and records were read, as from a stick.
    if "1 record(s) in 1 file(s)" not in run.serial or "allowed by identity.allow_virtual_machine" not in run.serial:
        raise AssertionError("the image's preflight.ini or records were not read")
    if run.result["report"] != "none":
        raise AssertionError(f"result line names report {run.result['report']!r}, expected none")
    log = open(os.path.join(run.work, "net", "netboot-http.log"), encoding="utf-8", errors="replace").read()
    if "GET /preflight-netboot.img" not in log:
        raise AssertionError("the HTTP server never sent the image")


RAMDISK_INI = "[after]\naction = shutdown\n[network]\nenabled = false\n[identity]\nallow_virtual_machine = true\n"
RAMDISK_CSV = "Device Serial Number,Windows Product ID,Hardware Hash\nHTTP-1,,\n"

SCENARIOS = [
    # About 25 s (testnet, PXE, the network phase): test-long only, as the other network boots will be.
    Scenario("netboot-pxe-nothing-kept", smbios=["type=1,serial=PXE-1"], ini=None, net=[], stick="pxe",
             stop_on=["PREFLIGHT RESULT"], verdict="NO-GO", check=pxe_nothing_kept, timeout=150, long=True),
    # About 35 s (the rig leaves OVMF's PXE entries out, so HTTPv4 is tried first); the image is make
    # netboot's kind (GPT + FAT32) with the site's preflight.ini and a record.
    Scenario("netboot-http-ramdisk", smbios=["type=1,serial=HTTP-1"], ini=RAMDISK_INI, gpt=True, net=[],
             files={"preflight/records/netboot.csv": RAMDISK_CSV}, stick="http", qemu=["-m", "1024"],
             check=ramdisk_nothing_kept, timeout=240, long=True),
]


def ramdisk_uploaded(runs):
    """The RAM disk's copy is gone at the reset: the blob in the container is the record."""
    import azurite
    from scen_upload import OK_URL, SERIAL, sig
    from rig import assert_secret_absent
    run = runs[0]
    assert_secret_absent(run, [sig(OK_URL.split("?")[1])], "SAS signature")
    if "the report goes to the Azure Blob container (report.upload_url); nothing stays on this PC" not in run.serial:
        raise AssertionError("no notice that the upload is the record")
    if "Upload: uploaded" not in run.serial:
        raise AssertionError("no 'Upload: uploaded' line")
    if run.result["report"] != "none":
        raise AssertionError(f"result line names report {run.result['report']!r}, expected none")
    blobs = azurite.blobs(run.work, "preflight")
    if len(blobs) != 1 or not next(iter(blobs)).startswith(SERIAL + "-"):
        raise AssertionError(f"blobs {list(blobs)}, expected one report of {SERIAL}")
    doc = json.loads(next(iter(blobs.values())))
    if doc["verdict"] != run.result["verdict"] or doc["identity"]["serial"] != SERIAL:
        raise AssertionError(f"the blob says {doc['verdict']} for {doc['identity']['serial']}, the screen "
                             f"{run.result['verdict']}")


def _upload_scenario():
    from scen_upload import INI as UPLOAD_INI, OK_URL, SERIAL
    # About 45 s: netboot-http-ramdisk plus the network phase and Azurite.
    return Scenario("netboot-http-upload", smbios=["type=1,manufacturer=Contoso,product=Contoso Book 14,serial=" + SERIAL],
                    ini=UPLOAD_INI.format(report="upload_url = %s\n" % OK_URL), gpt=True, net=[], azurite=["preflight"],
                    stick="http", qemu=["-m", "1024"], check=ramdisk_uploaded, timeout=240, long=True)


SCENARIOS.append(_upload_scenario())


def pxe_server_uploaded(runs):
    """PXE without a volume: preflight.ini, a record and the test CA from the TFTP folder; the report
    and its ledger row uploaded from memory; the blob says what the result line says."""
    import azurite
    from scen_upload import OK_URL, SERIAL, sig
    from rig import assert_secret_absent
    run = runs[0]
    assert_secret_absent(run, [sig(OK_URL.split("?")[1])], "SAS signature")
    for text in ("Reading the site's files from the boot server (TFTP 192.168.77.1, beside preflight.efi)",
                 "2 of 2 listed file(s) fetched from the boot server",
                 "1 record(s) in 1 file(s)", "allowed by identity.allow_virtual_machine",
                 "the report goes to the Azure Blob container (report.upload_url); nothing stays on this PC",
                 "Upload: uploaded", "Ledger row: uploaded as " + SERIAL + "-"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")
    if run.result["report"] != "none":
        raise AssertionError(f"result line names report {run.result['report']!r}, expected none")
    blobs = azurite.blobs(run.work, "preflight")
    reports = {k: v for k, v in blobs.items() if k.endswith(".json")}
    rows = {k: v for k, v in blobs.items() if k.endswith(".ledger.csv")}
    if len(reports) != 1 or len(rows) != 1 or len(blobs) != 2:
        raise AssertionError(f"blobs {sorted(blobs)}, expected one report and one ledger row of {SERIAL}")
    name, body = next(iter(reports.items()))
    doc = json.loads(body)
    sev = [f["severity"] for f in doc["findings"]]
    got = (doc["verdict"], sev.count("error"), sev.count("warn"), doc["identity"]["serial"], doc["record"]["match"])
    want = (run.result["verdict"], run.result["errors"], run.result["warnings"], SERIAL, "found")
    if got != want:
        raise AssertionError(f"the blob says {got}, the screen {want}")
    lines = next(iter(rows.values())).decode().splitlines()
    if len(lines) != 2 or not lines[0].startswith("time,serial,") or SERIAL not in lines[1] \
            or name not in lines[1] or "REPORT-UPLOADED" not in lines[1]:
        raise AssertionError(f"ledger row blob {lines!r}")


def _pxe_upload_scenario():
    from scen_upload import INI as UPLOAD_INI, OK_URL, SERIAL
    csv = "Device Serial Number,Windows Product ID,Hardware Hash\n%s,,\n" % SERIAL
    files = {"preflight.ini": UPLOAD_INI.format(report="upload_url = %s\n" % OK_URL),
             "preflight-files.txt": "# the site's files beside the binary\nrecords/pxe.csv\ncerts/testnet-ca.der\n",
             "records/pxe.csv": csv}
    # About 40 s: PXE, the TFTP fetch, the network phase and Azurite.
    return Scenario("netboot-pxe-server-upload", smbios=["type=1,manufacturer=Contoso,product=Contoso Book 14,serial=" + SERIAL],
                    ini=None, net=[], azurite=["preflight"], stick="pxe", netboot_files=files,
                    check=pxe_server_uploaded, timeout=240, long=True)


SCENARIOS.append(_pxe_upload_scenario())


BOOT_MAC = "52:54:00:12:34:56"  # scripts/testnet's GUEST_MAC: the NIC on the test network, booted from
ISOLATED_MAC = "52:54:00:99:99:99"


def pxe_boot_nic(runs):
    """Two wired adapters with link, one on a network of its own where DHCP never answers: the phase
    takes the one the PC booted from, and says so."""
    run = runs[0]
    for text in (f"Network: {BOOT_MAC} is the adapter this PC booted from: the checks use it.",
                 f"Network: DHCP on {BOOT_MAC}", "Network: 192.168.77.50, checking"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")
    if f"DHCP on {ISOLATED_MAC}" in run.serial or "NET-DHCP-FAILED" in run.serial:
        raise AssertionError("the network phase used the isolated adapter")
    # OVMF lists the adapter it booted from first (BDS connected it before Preflight connected the
    # rest), so here the first usable one is the boot one too: this checks that the boot device's MAC
    # is read and recognised among the adapters; that it wins over an earlier one is test_bootsrc's.
    order = [l.split()[1] for l in run.lines if l.strip().startswith("NIC ")]
    if sorted(order) != sorted([ISOLATED_MAC, BOOT_MAC]):
        raise AssertionError(f"adapters listed as {order}, expected both")


SCENARIOS.append(
    # About 45 s. The isolated NIC comes first on the command line (the lower PCI slot).
    Scenario("netboot-pxe-boot-nic", smbios=["type=1,serial=PXE-2"], ini=None, net=[], stick="pxe",
             qemu=["-netdev", "hubport,id=iso,hubid=9", "-device", f"virtio-net-pci,netdev=iso,mac={ISOLATED_MAC},romfile="],
             stop_on=["PREFLIGHT RESULT"], verdict="NO-GO", check=pxe_boot_nic, timeout=240, long=True))


def pxe_upload_refused(runs):
    """The SAS in the server's preflight.ini has expired: the screen names the refusal, nothing lands."""
    import azurite
    from scen_upload import EXPIRED_URL, sig
    from rig import assert_secret_absent
    run = runs[0]
    assert_secret_absent(run, [sig(EXPIRED_URL.split("?")[1])], "SAS signature")
    for text in ("2 of 2 listed file(s) fetched from the boot server", "Upload: failed: ", "answered HTTP 403"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")
    if "Ledger row: uploaded" in run.serial or run.result["report"] != "none":
        raise AssertionError("a ledger row or a report path after a refused upload")
    blobs = azurite.blobs(run.work, "preflight")
    if blobs:
        raise AssertionError(f"blobs {sorted(blobs)} after a refused upload")


def ramdisk_full_uploaded(runs):
    """HTTP boot's RAM disk has no room for the report: it is uploaded from memory instead."""
    import azurite
    from scen_upload import OK_URL, SERIAL, sig
    from rig import assert_secret_absent
    run = runs[0]
    assert_secret_absent(run, [sig(OK_URL.split("?")[1])], "SAS signature")
    for text in ("The RAM disk cannot take the report (EFI_VOLUME_FULL): it is uploaded from memory.",
                 "Upload: uploaded", "Ledger row: uploaded as " + SERIAL + "-"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")
    if "the reports could not be saved" in run.serial or run.result["report"] != "none":
        raise AssertionError("the run says the report was lost, or names a file in the RAM disk")
    reports = {k: v for k, v in azurite.blobs(run.work, "preflight").items() if k.endswith(".json")}
    if len(reports) != 1:
        raise AssertionError(f"report blobs {sorted(reports)}, expected one")
    doc = json.loads(next(iter(reports.values())))
    if doc["verdict"] != run.result["verdict"] or doc["identity"]["serial"] != SERIAL:
        raise AssertionError(f"the blob says {doc['verdict']} for {doc['identity']['serial']}")


def _failure_scenarios():
    from scen_upload import INI as UPLOAD_INI, EXPIRED_URL, OK_URL, SERIAL
    csv = "Device Serial Number,Windows Product ID,Hardware Hash\n%s,,\n" % SERIAL
    files = {"preflight.ini": UPLOAD_INI.format(report="upload_url = %s\n" % EXPIRED_URL),
             "preflight-files.txt": "records/pxe.csv\ncerts/testnet-ca.der\n", "records/pxe.csv": csv}
    smbios = ["type=1,manufacturer=Contoso,product=Contoso Book 14,serial=" + SERIAL]
    return [
        # About 60 s each.
        Scenario("netboot-pxe-upload-refused", smbios=smbios, ini=None, net=[], azurite=["preflight"], stick="pxe",
                 netboot_files=files, check=pxe_upload_refused, timeout=240, long=True),
        Scenario("netboot-http-ramdisk-full", smbios=smbios, ini=UPLOAD_INI.format(report="upload_url = %s\n" % OK_URL),
                 gpt=True, fill=True, net=[], azurite=["preflight"], stick="http", qemu=["-m", "1024"],
                 check=ramdisk_full_uploaded, timeout=240, long=True),
    ]


SCENARIOS.extend(_failure_scenarios())


SB_INI = RAMDISK_INI.replace("[identity]\n", "[identity]\nrequire_tpm = false\n")


def sb_http_runs(runs):
    run = runs[0]
    for text in ("Booted from HTTP boot RAM disk: http://192.168.77.1:8080/preflight-netboot.img.",
                 "Secure Boot    on", "1 record(s) in 1 file(s)"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")


def sb_shim_pxe_runs(runs):
    run = runs[0]
    log = open(os.path.join(run.work, "net", "dnsmasq.log"), encoding="utf-8", errors="replace").read()
    for name in ("preflight.efi", "grubx64.efi"):  # shim, then Preflight, both from the same TFTP folder
        if not any(MARK_TFTP in l and name in l for l in log.splitlines()):
            raise AssertionError(f"dnsmasq's log shows no TFTP transfer of {name}")
    for text in ("Secure Boot    on", "Booted from PXE.",
                 # make netboot's folder: its preflight.ini and list, beside shim (the DHCP answer's file)
                 "Reading the site's files from the boot server (TFTP 192.168.77.1, beside preflight.efi)",
                 "0 of 0 listed file(s) fetched from the boot server"):
        if text not in run.serial:
            raise AssertionError(f"{text!r} missing from the console")


SCENARIOS.extend([
    # Secure Boot (the test db key enrolled with Microsoft's 2011 keys, ovmf/mkstore "ms2011"): the image's
    # BOOTX64.EFI signed with the test db key boots over HTTP; unsigned, the firmware refuses it. About 40 s.
    Scenario("netboot-http-secureboot", smbios=["type=1,serial=HTTP-1"], ini=SB_INI, gpt=True, net=[],
             files={"preflight/records/netboot.csv": RAMDISK_CSV}, stick="http", qemu=["-m", "1024"],
             store="ms2011", sign="test-db", check=sb_http_runs, timeout=240, long=True),
    Scenario("netboot-http-secureboot-unsigned-refused", smbios=["type=1,serial=HTTP-1"], ini=SB_INI, gpt=True, net=[],
             stick="http", qemu=["-m", "1024"], store="ms2011", expect_refused=True, refused_text="Access Denied",
             timeout=120, long=True),
    # make netboot SIGN=shim over PXE (the folder scripts/netboot writes): Debian's Microsoft-signed shim
    # is the boot file and fetches grubx64.efi (Preflight signed with the test MOK, ovmf/mkstore
    # "ms2011-mok") from the same server; Preflight then fetches the folder's preflight.ini.
    Scenario("netboot-pxe-shim", smbios=["type=1,serial=PXE-3"], ini=None, net=[], stick="pxe", shim=True,
             store="ms2011-mok", stop_on=["PREFLIGHT RESULT"], check=sb_shim_pxe_runs, timeout=240, long=True),
])


FLEET_SERIALS = ["PF-FLEET-%d" % i for i in range(1, 5)]


def four_at_once(runs):
    """Four PCs PXE-boot from the same server at once: four reports in the container, one per serial,
    each with its own verdict as its screen said; scripts/fleet reads the container and counts four."""
    import subprocess
    import tempfile
    import azurite
    from rig import ROOT, TESTNET, testnet_env
    work = runs[0].work
    reports = {k: json.loads(v) for k, v in azurite.blobs(work, "preflight").items() if k.endswith(".json")}
    by_serial = {d["identity"]["serial"]: d for d in reports.values()}
    if sorted(by_serial) != FLEET_SERIALS or len(reports) != 4:
        raise AssertionError(f"report blobs {sorted(reports)}, expected one for each of {FLEET_SERIALS}")
    for i, run in enumerate(runs):
        if "Upload: uploaded" not in run.serial:
            raise AssertionError(f"guest {i}: no 'Upload: uploaded' line")
        if by_serial[FLEET_SERIALS[i]]["verdict"] != run.result["verdict"]:
            raise AssertionError(f"guest {i}: blob {by_serial[FLEET_SERIALS[i]]['verdict']}, screen {run.result['verdict']}")
    # The admin's view, inside the test network (its name resolves there only through this hosts file).
    env = testnet_env(work)
    hosts = os.path.join(work, "fleet-hosts")
    with open(hosts, "w") as f:
        f.write("127.0.0.1 localhost\n%s %s\n" % (env["GATEWAY"], azurite.HOST))
    out = tempfile.mkdtemp(dir=work)
    url = "https://%s:%d/preflight?%s" % (azurite.HOST, azurite.PORT, azurite.sas("preflight", "rl"))
    script = 'mount --bind "$1" /etc/hosts && exec python3 "$2" --ca-file "$3" -o "$4" "$5"'
    proc = subprocess.run([TESTNET, "run", os.path.join(work, "net"), "--", "unshare", "-m", "sh", "-c", script, "sh",
                           hosts, os.path.join(ROOT, "scripts", "fleet"), env["CA_PEM"], out, url],
                          capture_output=True, timeout=120)
    text = (proc.stdout + proc.stderr).decode(errors="replace")
    if proc.returncode != 0 or ", 4 devices:" not in text or "4 JSON reports" not in text:
        raise AssertionError(f"scripts/fleet: exit {proc.returncode}: {text[-400:]}")


def _fleet_scenario():
    from scen_upload import INI as UPLOAD_INI, OK_URL
    csv = "Device Serial Number,Windows Product ID,Hardware Hash\n" + "".join("%s,,\n" % s for s in FLEET_SERIALS[:2])
    files = {"preflight.ini": UPLOAD_INI.format(report="upload_url = %s\n" % OK_URL),
             "preflight-files.txt": "records/fleet.csv\ncerts/testnet-ca.der\n", "records/fleet.csv": csv}
    # Four VMs under TCG on the shared cores at once: several minutes. Two of the four have a record.
    return Scenario("netboot-pxe-four-at-once", ini=None, net=[], azurite=["preflight"], stick="pxe",
                    netboot_files=files, check=four_at_once, timeout=600, long=True,
                    guests=[["type=1,manufacturer=Contoso,product=Contoso Book 14,serial=" + s] for s in FLEET_SERIALS])


SCENARIOS.append(_fleet_scenario())
