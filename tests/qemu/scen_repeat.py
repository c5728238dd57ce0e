"""--repeat (debug.repeat): the whole check three times in one boot on the healthy test network, with a record
file and the online Graph lookup; what a run takes from the firmware must be back at run 1's level after each."""
import re

from rig import Scenario

SERIAL = "PF-GRAPH-0001"  # the device the test network's fake Graph knows
SMBIOS = ["type=1,manufacturer=Contoso,product=Contoso Book 14,version=A01,serial=" + SERIAL]
INI = ("[after]\naction = shutdown\n"
       "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
       "[network]\ntimeout_ms = 3000\ndhcp_timeout_ms = 15000\n"
       "[graph]\nenabled = true\ntoken_file = \\preflight\\graph-token.txt\n"
       "[debug]\nrepeat = 3\n")
# Other devices only: the file is read each run, and the device itself is found online (not ambiguous).
RECORDS = ("Device Serial Number,Windows Product ID,Hardware Hash,Manufacturer name,Device model\n"
           "PF-OTHER-0001,,,Contoso,Contoso Book 14\nPF-OTHER-0002,,,Contoso,Contoso Book 14\n")
USAGE_RE = re.compile(r"repeat: after run (\d) of 3: pool (\d+) bytes in (\d+) blocks \(peak (\d+)\), (\d+) files, (\d+) events, "
                      r"(\d+) network children(.*)$")


def check_repeat(runs, ipv4=True):
    """ipv4: the last run's checks must be ok over IPv4 (an IPv6-only network has none)."""
    run = runs[0]
    seen = [m for m in (USAGE_RE.search(l) for l in run.lines) if m]
    if [m.group(1) for m in seen] != ["1", "2", "3"]:
        raise AssertionError(f"expected usage lines after runs 1, 2, 3: {[m.group(0) for m in seen]}")
    levels = [tuple(int(m.group(i)) for i in (2, 3, 5, 6, 7)) for m in seen]
    peak = int(seen[-1].group(4))
    first = levels[0]
    for k, level in enumerate(levels[1:], start=2):
        grew = [name for name, a, b in zip(("pool bytes", "pool blocks", "files", "events", "children"), first, level)
                if b > a]
        if grew or seen[k - 1].group(8):
            raise AssertionError(f"run {k} holds more than run 1: {grew}: {level} vs {first}")
    if peak < 100000:  # a run reads records, TLS and reports through pf_malloc: the counter must have seen it
        raise AssertionError(f"pool peak {peak} bytes: the counter did not see the runs' allocations")
    if first[3] != 0 or first[4] != 0 or first[2] != 1:
        raise AssertionError(f"after run 1: {first[2]} files (only the volume may stay open), {first[3]} events, "
                             f"{first[4]} children: must be 1, 0, 0")
    jsons = sorted(n for n in run.reports if n.endswith(".json"))
    ledger = run.reports.get("ledger.csv", b"").decode().strip().split("\n")
    if len(jsons) != 3 or len(ledger) != 4:
        raise AssertionError(f"3 runs: {len(jsons)} JSON reports, {len(ledger) - 1} ledger rows")
    doc = run.report_json()
    bad = [(c["host"], c["status"]) for c in doc["network"]["checks"] if ipv4 and c["status"] != "ok"]
    if bad or doc["record"]["match"] != "found":
        raise AssertionError(f"last run: checks not ok {bad}, record {doc['record']['match']}")
    print(f"qemu: repeat-3: after runs 1..3 (pool bytes, blocks, files, events, children): {levels}, "
          f"pool peak {peak} bytes; "
          f"{len(doc['network']['checks'])} network checks{' ok over IPv4' if ipv4 else ''} in the last run, "
          f"record {doc['record']['match']}", flush=True)


def check_repeat_ipv6(runs):
    """The same with IPv6 offered: each run switches the IPv6 policy to automatic and back, opens DNS6 and TCP6
    children and TLS over them; none of it may stay behind."""
    check_repeat(runs)
    doc = runs[0].report_json()
    v = doc["network"]["ipv6"]
    bad = [(c["host"], c["ipv6"]["status"]) for c in doc["network"]["checks"]
           if c["kind"] != "ntp" and c["ipv6"]["status"] != "ok"]
    if not v["offered"] or bad:
        raise AssertionError(f"last run: IPv6 {v}, not ok over IPv6 {bad}")


def check_repeat_ipv6_only(runs):
    """IPv6 only: each run keeps the IPv6 configuration past the phase for the Graph lookup (the device is found
    online over DNS6, TCP6 and TLS: the record file lists other devices only) and puts it back afterwards."""
    check_repeat(runs, ipv4=False)
    doc = runs[0].report_json()
    n = doc["network"]
    if n["ipv4"] is not None or not n["ipv6"]["offered"]:
        raise AssertionError(f"last run: ipv4 {n['ipv4']}, IPv6 {n['ipv6']}: not IPv6-only")
    if any(f["code"].startswith("GRAPH-") and f["severity"] != "info" for f in doc["findings"]):
        raise AssertionError(f"Graph findings {[(f['code'], f['detail']) for f in doc['findings'] if f['code'].startswith('GRAPH-')]}")


SCENARIOS = [
    Scenario("repeat-3-healthy", smbios=SMBIOS, ini=INI, net=[], timeout=240,
             files={"preflight/graph-token.txt": "good-token\n", "preflight/records/devices.csv": RECORDS},
             check=check_repeat),
    # The wait for an address far above the 2-3 s SLAAC takes here (it ends with the address): a loaded machine.
    Scenario("repeat-3-ipv6", smbios=SMBIOS, ini=INI.replace("[graph]", "ipv6_wait_ms = 20000\n[graph]"), net=["ipv6"],
             timeout=300,
             files={"preflight/graph-token.txt": "good-token\n", "preflight/records/devices.csv": RECORDS},
             check=check_repeat_ipv6),
    # IPv6 only (no DHCPv4): the Graph lookup after the phase over IPv6, three times without a leak (long).
    Scenario("repeat-3-ipv6-only", smbios=SMBIOS, net=["ipv6-only"], timeout=300, long=True,
             ini=INI.replace("dhcp_timeout_ms = 15000\n", "dhcp_timeout_ms = 4000\nipv6_wait_ms = 20000\n"),
             files={"preflight/graph-token.txt": "good-token\n", "preflight/records/devices.csv": RECORDS},
             check=check_repeat_ipv6_only),
]
