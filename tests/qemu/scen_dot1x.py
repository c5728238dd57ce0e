"""QEMU scenarios for 802.1X on the port: hostapd (wired driver) as the authenticator on the VM's tap, the port
closed (no DHCP) or open anyway (MAB / guest VLAN), and the healthy network without any authenticator."""
import os
import re
import subprocess
import time

from rig import Scenario, testnet_env
from scen_network import N, GUEST_MAC, expect, ini

TIMEOUT_MS = 3000
DOT1X_MS = 3000


def tap_mac(run):
    """The tap's own MAC inside the test namespace: hostapd's wired driver sends from it."""
    env = testnet_env(run.work)
    out = subprocess.run(["ip", "-n", env["NETNS"], "-o", "link", "show", env["TAP"]], capture_output=True,
                         text=True, timeout=10).stdout
    m = re.search(r"link/ether ([0-9a-f:]{17})", out)
    if not m:
        raise AssertionError(f"no MAC for the tap: {out!r}")
    return m.group(1)


def hostapd_log(run, pattern=None):
    """hostapd's log while the test network is up (the check runs before its down); waits (at most 5 s) for pattern."""
    path = os.path.join(run.work, "net", "hostapd.log")
    deadline = time.monotonic() + 5
    while True:
        with open(path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        if pattern is None or re.search(pattern, log) or time.monotonic() > deadline:
            return log


EAPOL_START_SEEN = re.escape(GUEST_MAC) + r" IEEE 802\.1X: received EAPOL-Start"


def dot1x_of(doc, asks):
    d = doc["network"]["dot1x"]
    if d["probed"] is not True or d["port_asks"] is not asks or d["timeout_ms"] != DOT1X_MS or d["starts"] < 1:
        raise AssertionError(f"network.dot1x {d}")
    return d


def asked(run, doc):
    """hostapd answered the VM's EAPOL-Start with EAP-Request/Identity: the report names it and hostapd saw it."""
    d = dot1x_of(doc, True)
    mac = tap_mac(run)
    if d["frame"] != "eap-request-identity" or d["authenticator"] != mac or d["eap_method"] is not None:
        raise AssertionError(f"network.dot1x {d}, expected eap-request-identity from {mac}")
    if d["ms"] > 2000:  # an upper bound only (guest-measured): hostapd answers within milliseconds
        raise AssertionError(f"network.dot1x.ms {d['ms']}")
    if not re.search(EAPOL_START_SEEN, hostapd_log(run, EAPOL_START_SEEN)):
        raise AssertionError("hostapd's log has no EAPOL-Start from the VM")
    if "802.1X: the port asks for it (EAP-Request/Identity from " + mac not in run.serial:
        raise AssertionError("the screen does not show the 802.1X line")
    return d


def closed_check(runs):
    run = runs[0]
    doc = run.report_json()
    expect(("NET-DHCP-FAILED", None, N), ("NET-8021X-REQUIRED", None, N))(runs)
    d = asked(run, doc)
    f = next(f for f in doc["findings"] if f["code"] == "NET-8021X-REQUIRED")
    if f["severity"] != "error" or "802.1X is the cause" not in f["message"] or "no IPv4 address came from DHCP" not in f["message"]:
        raise AssertionError(f"NET-8021X-REQUIRED: {f}")
    dhcp = next(f for f in doc["findings"] if f["code"] == "NET-DHCP-FAILED")
    if "802.1X" not in dhcp["message"]:
        raise AssertionError(f"NET-DHCP-FAILED does not name 802.1X: {dhcp['message']!r}")
    if "MAC authentication bypass or a provisioning VLAN" not in run.serial:
        raise AssertionError("the fix (MAB or a provisioning VLAN) is not on the screen")
    if doc["network"]["ipv4"] is not None:
        raise AssertionError(f"ipv4 {doc['network']['ipv4']} on a closed port")
    print(f"qemu: dot1x-closed: {f['message']!r} [{f['detail']}]; NET-DHCP-FAILED: {dhcp['message']!r}; "
          f"answer after {d['ms']} ms", flush=True)


def open_check(runs):
    run = runs[0]
    doc = run.report_json()
    expect(("NET-8021X-BYPASSED", None, N))(runs)
    d = asked(run, doc)
    f = next(f for f in doc["findings"] if f["code"] == "NET-8021X-BYPASSED")
    if f["severity"] != "warn" or "MAC authentication bypass or a guest VLAN" not in f["message"]:
        raise AssertionError(f"NET-8021X-BYPASSED: {f}")
    n = doc["network"]
    bad = [(c["host"], c["status"]) for c in n["checks"] if c["status"] != "ok"]
    if bad or n["ipv4"] != "192.168.77.50":
        raise AssertionError(f"open port: ipv4 {n['ipv4']}, checks not ok {bad}")
    print(f"qemu: dot1x-open: {f['message']!r} [{f['detail']}]", flush=True)


def none_check(runs):
    """The healthy network has no authenticator: nothing answers, and the probe (which runs alongside DHCP
    and the checks) does not lengthen the phase by its bound."""
    doc = runs[0].report_json()
    expect()(runs)
    n = doc["network"]
    d = dot1x_of(doc, False)
    if d["frame"] != "nothing" or d["authenticator"] is not None:
        raise AssertionError(f"network.dot1x {d} on a network without 802.1X")
    bad = [(c["host"], c["status"]) for c in n["checks"] if c["status"] != "ok"]
    if bad:
        raise AssertionError(f"checks not ok: {bad}")
    # The phase also waits (alongside DHCP and the checks) for IPv6 to be offered or not (docs/network.md "IPv6").
    ipv6_ms = n["ipv6"]["ms"] or 0
    work = max(n["dhcp_ms"] + n["checks_ms"], ipv6_ms)
    print(f"qemu: dot1x-none: probe {d['ms']} ms ({d['starts']} EAPOL-Starts), DHCP {n['dhcp_ms']} ms + checks "
          f"{n['checks_ms']} ms, IPv6 wait {ipv6_ms} ms: {work} ms, phase {n['duration_ms']} ms", flush=True)
    # Wide upper bounds: the probe listens while DHCP, the checks and the IPv6 wait run (at least 500 ms, at most
    # its bound), so the phase is about max(DHCP + checks, IPv6 wait, 500 ms), never that + the bound.
    if n["duration_ms"] > max(work, 500) + 1500:
        raise AssertionError(f"phase {n['duration_ms']} ms: the probe lengthened it (DHCP + checks {work} ms)")
    if d["ms"] > DOT1X_MS + 1500:
        raise AssertionError(f"probe listened {d['ms']} ms, bound {DOT1X_MS}")


def disabled_check(runs):
    """network.dot1x_timeout_ms = 0: no EAPOL-Start leaves the VM, even with an authenticator on the port."""
    doc = runs[0].report_json()
    expect()(runs)
    d = doc["network"]["dot1x"]
    if d["probed"] is not False or d["port_asks"] is not False or d["starts"] != 0 or d["frame"] is not None:
        raise AssertionError(f"network.dot1x {d} with dot1x_timeout_ms = 0")
    if re.search(EAPOL_START_SEEN, hostapd_log(runs[0])):
        raise AssertionError("hostapd saw an EAPOL-Start although the probe is off")


def dot1x(name, faults, check, dhcp=15000, extra_ini=f"dot1x_timeout_ms = {DOT1X_MS}\n", verdict=None, long=False):
    return Scenario(f"dot1x-{name}", smbios=[f"type=1,serial=DOT1X-{name.upper()}"], net=faults, timeout=120,
                    ini=ini(TIMEOUT_MS, dhcp, extra_ini), verdict=verdict, check=check, long=long)


SCENARIOS = [
    # The port stays closed until authentication (no DHCP on the segment): 802.1X named as the cause.
    dot1x("closed", ["dot1x-closed"], closed_check, dhcp=4000, verdict="NO-GO"),
    # The port asks but lets the device in anyway (MAB / guest VLAN): a warning, every check ok.
    dot1x("open", ["dot1x-open"], open_check),
    # No authenticator: port_asks false, and the phase does not grow by the probe's bound.
    # (make test-long: net-healthy checks port_asks false on every make test run.)
    dot1x("none", [], none_check, long=True),
    # The probe switched off: nothing sent.
    dot1x("disabled", ["dot1x-open"], disabled_check, extra_ini="dot1x_timeout_ms = 0\n", long=True),
]
