#!/usr/bin/env python3
"""Deterministic Preflight JSON reports for scripts/fleet's benchmark and tests.

Usage: gen_reports.py DIR N [SEED]
Writes N reports (about 20 KB each, the size of a real run with its Secure Boot stores and 31
network checks) as DIR/stick-NN/preflight/reports/<serial>-<time>.json, ten sticks, about 2.5
runs per device over 30 days, and DIR/expected.json: the device count and the verdicts of each
device's newest run, which scripts/fleet must reproduce. The same N and SEED give the same files.
make_report() is also used by tests/fleet to build small fixtures.
"""
import datetime
import json
import os
import random
import sys
import zlib

MODELS = [("HP", "EliteBook 840 G9"), ("HP", "ProBook 450 G10"), ("Dell Inc.", "Latitude 5440"),
          ("Dell Inc.", "Latitude 7440"), ("LENOVO", "21HD"), ("LENOVO", "20XW"), ("Microsoft Corporation",
          "Surface Laptop 5"), ("Fujitsu", "LIFEBOOK U7413"), ("Acer", "TravelMate P214"),
          ("Panasonic", "CF-FV3"), ("Dynabook", "Portege X40L-K"), ("ASUS", "ExpertBook B5")]
# (code, severity, step, message) profiles; the verdict follows from the severities.
PROFILES = [
    [],
    [("ID-SECURE-BOOT-OFF", "info", "esp-device-setup", "Secure Boot is disabled.")],
    [("ID-TPM-NO-EK-CERT", "warn", "esp-device-setup", "The TPM has no EK certificate in NV.")],
    [("NET-NCSI-FAILED", "warn", "network", "The connectivity test page did not answer as expected.")],
    [("REC-NOT-FOUND", "error", "record", "No Autopilot record has this device's serial.")],
    [("NET-TLS-UNTRUSTED", "error", "network", "login.microsoftonline.com: the certificate chain is not trusted."),
     ("ID-TPM-NO-EK-CERT", "warn", "esp-device-setup", "The TPM has no EK certificate in NV.")],
    [("ID-TPM-MISSING", "error", "esp-device-setup", "No TPM was found.")],
    [("NET-CLOCK-SKEW", "error", "network", "The firmware clock is 3 h 12 min behind server time.")],
]
PROFILE_WEIGHTS = [40, 10, 8, 6, 12, 6, 4, 4]


def _static_part(rng):
    """The big, run-independent part of a report (Secure Boot stores, network checks), as JSON text."""
    def cert(cn, i):
        return {"subject": "CN=%s,O=Microsoft Corporation,C=US" % cn, "issuer": "CN=Microsoft Root,C=US",
                "subject_cn": cn, "issuer_cn": "Microsoft Root", "not_before": "2023-06-13T18:58:29Z",
                "not_after": "2038-06-13T19:08:29Z", "sha256": "%064x" % rng.getrandbits(256),
                "sha1": "%040x" % rng.getrandbits(160), "owner": "77fa9abd-0359-4d32-bd60-28f4e78f784b",
                "known": None, "lookalike": False, "expired": False, "parse_error": False, "n": i}
    stores = {}
    for name, n in (("PK", 1), ("KEK", 2), ("db", 4), ("dbx", 1)):
        stores[name] = {"present": True, "size": 1500 * n, "lists": n, "certificates": [cert("%s CA %d" % (name, i), i)
                        for i in range(n)], "sha256_hashes": 0 if name != "dbx" else 431, "other_hashes": 0,
                        "unknown_entries": 0, "error": None}
    sb = {"enabled": True, "setup_mode": False, "audit_mode": False, "deployed_mode": False, "started_by": "direct",
          "verified": True, "time_source": "network", "time": "2026-11-01T08:00:00Z", "stores": stores}
    checks = []
    for i in range(31):
        host = "host%02d.example.microsoft.com" % i
        checks.append({"kind": "https", "host": host, "port": 443, "status": "ok", "ms": 40 + i, "start_ms": i % 3,
                       "step": "network", "address": "192.0.2.%d" % (i + 1), "service": "service-%d" % (i // 2),
                       "detail": "HTTP 200, certificate CN=%s issued by Microsoft Azure RSA TLS Issuing CA 03" % host})
    net = {"nics": ["52:54:00:12:34:56"], "ipv4": "10.20.30.40", "gateway": "10.20.30.1",
           "dns_servers": ["10.20.30.1"], "checks": checks, "clock_skew_s": 1, "checks_ms": 480, "dhcp_ms": 310,
           "duration_ms": 900, "policy_before": "dhcp", "static_before": None, "dhcp_method": "dhcp4-first-offer",
           "services": [{"service": "service-%d" % i, "state": "ok", "hosts": 2, "run": 2, "failed": 0}
                        for i in range(16)]}
    return '"secure_boot":%s,"network":%s' % (json.dumps(sb), json.dumps(net))


def make_report(serial, make, model, started, findings, boot_disk_serial=None, static=""):
    """One report as JSON text; findings = [(code, severity, step, message), ...]."""
    sev = [f[1] for f in findings]
    verdict = "NO-GO" if "error" in sev else "WARN" if "warn" in sev else "GO"
    doc = {"schema": "preflight-report/1", "tool_version": "0.1.0", "started": started, "duration_ms": 5123,
           "verdict": verdict, "errors": sev.count("error"), "warnings": sev.count("warn"),
           "findings": [{"code": c, "severity": s, "step": st, "message": m, "detail": None} for c, s, st, m in findings],
           "identity": {"manufacturer": make, "product": model, "version": None, "serial": serial,
                        "uuid": "4C4C4544-0000-1000-8000-%012d" % zlib.crc32(serial.encode()), "sku": None,
                        "family": None, "baseboard_serial": None, "chassis_type": 10, "virtual_machine": False,
                        "secure_boot": True, "tpm": {"present": True, "version": "2.0", "manufacturer": "INTC",
                                                     "ek_certificate": True},
                        "disks": [{"model": "NVMe SSD 512GB", "serial": "S%s" % serial, "bus": "nvme",
                                   "boot_media": False},
                                  {"model": "USB Flash Disk", "serial": boot_disk_serial, "bus": "usb",
                                   "boot_media": True}]},
           "record": {"source": "csv", "file": "\\preflight\\records\\AutopilotHWID.csv", "line": 2, "match": "found",
                      "serial": serial, "manufacturer": make, "model": model, "group_tag": None}}
    head = json.dumps(doc)
    return head[:-1] + "," + static + "}" if static else head


def generate(out, n, seed=13):
    rng = random.Random(seed)
    static = _static_part(rng)
    devices = max(1, n * 2 // 5)
    base = datetime.datetime(2026, 11, 1, 7, 0, 0)
    span = 30 * 86400
    newest = {}
    made = set()
    for i in range(n):
        dev = rng.randrange(devices)
        serial = "PF%07d" % dev
        make, model = MODELS[dev % len(MODELS)]
        when = base + datetime.timedelta(seconds=i * span // n)
        started = when.strftime("%Y-%m-%dT%H:%M:%S")
        findings = rng.choices(PROFILES, PROFILE_WEIGHTS)[0]
        stick = i % 10
        d = os.path.join(out, "stick-%02d" % stick, "preflight", "reports")
        if d not in made:
            os.makedirs(d, exist_ok=True)
            made.add(d)
        text = make_report(serial, make, model, started, findings, "USB%04d" % stick, static)
        with open(os.path.join(d, "%s-%s.json" % (serial, when.strftime("%Y%m%dT%H%M%S"))), "w") as f:
            f.write(text)
        sev = [x[1] for x in findings]
        newest[serial] = "NO-GO" if "error" in sev else "WARN" if "warn" in sev else "GO"
    counts = {v: list(newest.values()).count(v) for v in ("GO", "WARN", "NO-GO")}
    with open(out.rstrip("/") + ".expected.json", "w") as f:
        json.dump({"reports": n, "devices": len(newest), "verdicts": counts}, f)


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    generate(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) == 4 else 13)
