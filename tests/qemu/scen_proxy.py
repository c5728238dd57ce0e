"""QEMU scenarios for the checks through a proxy (network.proxy): Squid in the test network, the VM's
direct way out blocked, and the proxy's own log as the witness of the path taken."""
import os
import re
import time

import azurite
import endpoints
from rig import Scenario, testnet_env
from scen_graph import GRAPH_CODES, REC_ERRORS, found_extra, graph
from scen_network import N, S, D, expect, ini
from scen_upload import OK_URL, blob_is_report, sig, upload

PROXY = "proxy.contoso.test:3128"
PROXY_PATH = f"proxy {PROXY} (configured)"
PROXIED = ("tcp", "http", "https")
# Through Squid under TCG every handshake crosses one more process: a wider limit than the direct scenarios'.
TIMEOUT_MS = 6000


def squid_log(run, *patterns, wait_s=10):
    """Squid's access log, read while the test network is still up (the check runs before its down).
    Squid writes a line when a tunnel closes: wait (at most wait_s) until every pattern is there."""
    path = os.path.join(testnet_env(run.work)["SQUID_DIR"], "access.log")
    deadline = time.monotonic() + wait_s
    while True:
        with open(path, encoding="utf-8", errors="replace") as f:
            log = f.read()
        if all(re.search(p, log) for p in patterns) or time.monotonic() > deadline:
            return log
        time.sleep(0.2)


def paths_extra(doc):
    """Every tcp/http/https check went through the proxy; names and NTP stayed the device's own."""
    for c in doc["network"]["checks"]:
        want = PROXY_PATH if c["kind"] in PROXIED else "direct"
        if c["path"] != want:
            raise AssertionError(f"{c['kind']} {c['host']}: path {c['path']!r}, expected {want!r}")
    p = doc["network"]["proxy"]
    if p["source"] != "configured" or p["host"] != "proxy.contoso.test" or p["port"] != 3128:
        raise AssertionError(f"network.proxy {p}")


def healthy_check(runs):
    doc = runs[0].report_json()
    expect(("NET-PROXY-MANUAL", None, N))(runs)
    paths_extra(doc)
    n = doc["network"]
    if n["proxy"]["address"] != "192.168.77.3":
        raise AssertionError(f"proxy address {n['proxy']['address']}")
    bad = [(c["host"], c["status"], c["detail"]) for c in n["checks"] if c["status"] != "ok"]
    if bad:
        raise AssertionError(f"checks not ok through the proxy: {bad}")
    # TLS still runs end to end inside the tunnel: the test CA's chain, an ECDHE handshake.
    for c in n["checks"]:
        if c["kind"] == "https" and not (c["detail"] or "").startswith("TLS 1.2 ECDHE-"):
            raise AssertionError(f"{c['host']}: https detail {c['detail']!r}")
    # Squid saw every tunnel and the plain GET (the VM's direct traffic is dropped, so nothing else worked).
    pats = []
    for r in endpoints.ROWS:
        if r["kind"] in ("https", "tcp"):
            pats.append(rf"TCP_TUNNEL/200 \d+ CONNECT {re.escape(r['host'])}:{r['port']} ")
        elif r["kind"] == "http":
            pats.append(rf" GET http://{re.escape(r['host'])}/")
    log = squid_log(runs[0], *pats)
    for pat in pats:
        if not re.search(pat, log):
            raise AssertionError(f"Squid's log has no {pat!r}")
    tunnels = len(re.findall(r"TCP_TUNNEL/200", log))
    print(f"qemu: proxy-configured: {tunnels} tunnels in Squid's log, checks {n['checks_ms']} ms together",
          flush=True)


def auth_check(runs):
    doc = runs[0].report_json()
    found = [f for f in doc["findings"] if f["code"] == "NET-PROXY-AUTH"]
    if not found:
        raise AssertionError(f"no NET-PROXY-AUTH: {[f['code'] for f in doc['findings']]}")
    for f in found:
        if "Basic" not in f["message"] or "SYSTEM" not in f["message"] or "schemes=Basic" not in f["detail"]:
            raise AssertionError(f"NET-PROXY-AUTH does not name the scheme and the cause: {f}")
    steps = {f["step"] for f in found}
    if not {N, S, D} <= steps:
        raise AssertionError(f"NET-PROXY-AUTH for steps {steps}, expected network, sign-in, esp-device-setup")
    n = doc["network"]
    for c in n["checks"]:
        want = "proxy-auth" if c["kind"] in PROXIED else "ok"
        if c["status"] != want:
            raise AssertionError(f"{c['kind']} {c['host']}: {c['status']} ({c['detail']}), expected {want}")
    paths_extra(doc)
    if doc["verdict"] != "NO-GO":
        raise AssertionError(f"verdict {doc['verdict']}")
    log = squid_log(runs[0], r"TCP_DENIED/407 \d+ CONNECT ztd\.dds\.microsoft\.com:443 ")
    if not re.search(r"TCP_DENIED/407 \d+ CONNECT ztd\.dds\.microsoft\.com:443 ", log):
        raise AssertionError("Squid's log has no 407 for CONNECT ztd.dds.microsoft.com:443")
    if "TCP_TUNNEL/200" in log:
        raise AssertionError("Squid opened a tunnel without a login")
    print(f"qemu: proxy-auth: {len(found)} NET-PROXY-AUTH, e.g. {found[0]['message']!r}", flush=True)


def deny_check(runs):
    doc = runs[0].report_json()
    expect(("NET-PROXY-DENIED", "login.live.com", S), ("NET-PROXY-MANUAL", None, N),
           statuses={"login.live.com": "proxy-refused", "login.microsoftonline.com": "ok"})(runs)
    c = next(c for c in doc["network"]["checks"] if c["host"] == "login.live.com")
    if "HTTP 403" not in c["detail"]:
        raise AssertionError(f"login.live.com detail {c['detail']!r} does not name the proxy's 403")
    pat = r"TCP_DENIED/403 \d+ CONNECT login\.live\.com:443 "
    if not re.search(pat, squid_log(runs[0], pat)):
        raise AssertionError("Squid's log has no 403 for CONNECT login.live.com:443")


def unreachable_check(runs):
    doc = runs[0].report_json()
    expect(("NET-PROXY-UNREACHABLE", None, N), ("NET-PROXY-MANUAL", None, N))(runs)
    f = next(f for f in doc["findings"] if f["code"] == "NET-PROXY-UNREACHABLE")
    if "does not exist" not in f["detail"]:
        raise AssertionError(f"NET-PROXY-UNREACHABLE detail {f['detail']!r} does not say the name does not exist")
    for c in doc["network"]["checks"]:
        want = "proxy-failed" if c["kind"] in PROXIED else "ok"
        if c["status"] != want:
            raise AssertionError(f"{c['kind']} {c['host']}: {c['status']}, expected {want}")
    print(f"qemu: proxy-unreachable: {f['message']!r} {f['detail']!r}", flush=True)
    if doc["network"]["proxy"]["address"] is not None:
        raise AssertionError(f"proxy address {doc['network']['proxy']['address']} for a name that does not exist")


def bad_proxy_check(runs, words):
    """A proxy that answers an HTTP/0.9 body, or closes mid-header: NET-PROXY-UNREACHABLE naming it, each
    tcp/http/https check proxy-failed with the answer shown (printable), never a hang or a crash."""
    doc = runs[0].report_json()
    expect(("NET-PROXY-UNREACHABLE", None, N), ("NET-PROXY-MANUAL", None, N))(runs)
    f = next(f for f in doc["findings"] if f["code"] == "NET-PROXY-UNREACHABLE")
    if "proxy=192.168.77.5:3128" not in f["detail"]:
        raise AssertionError(f"NET-PROXY-UNREACHABLE detail {f['detail']!r}")
    for c in doc["network"]["checks"]:
        if c["kind"] in PROXIED and (c["status"] != "proxy-failed" or words not in (c["detail"] or "")):
            raise AssertionError(f"{c['kind']} {c['host']}: {c['status']} {c['detail']!r}, expected proxy-failed "
                                 f"saying {words!r}")
    print(f"qemu: bad proxy: {f['detail']!r}", flush=True)


def proxied(name, faults, check, proxy=PROXY, long=False):
    return Scenario(f"proxy-{name}", smbios=[f"type=1,serial=PROXY-{name.upper()}"], net=faults, timeout=150,
                    ini=ini(TIMEOUT_MS, 15000, f"proxy = {proxy}\n"), check=check, long=long)


SCENARIOS = [
    # The direct way out is closed and Squid is the only way: every tcp/http/https check through it.
    proxied("configured", ["proxy", "no-direct"], healthy_check),
    # Squid asks for a Basic login: one NET-PROXY-AUTH per step, naming the scheme.
    proxied("auth", ["proxy-auth", "no-direct"], auth_check),
    # Squid refuses one host with 403.
    proxied("deny", ["proxy-deny:login.live.com", "no-direct"], deny_check),
    # A proxy name that does not exist: one finding for the proxy, every check through it says why.
    proxied("unreachable", [], unreachable_check, proxy="proxy.nowhere.test:3128"),
    # Something on the proxy's port that is no HTTP proxy (given as an address: no DNS for it).
    proxied("http09", ["bad-proxy:http09"], lambda runs: bad_proxy_check(runs, "is not HTTP"),
            proxy="192.168.77.5:3128"),
    proxied("midheader", ["bad-proxy:midheader"], lambda runs: bad_proxy_check(runs, "in the middle of its answer"),
            proxy="192.168.77.5:3128", long=True),
]


# After the checks, the other exchanges take the same way out: the online lookup (and the user checks) and
# the report upload, each CONNECT in Squid's log (the VM's direct traffic is dropped).
PROXY_INI = f"[network]\nproxy = {PROXY}\n"


def tunnelled(host, port=443):
    def extra(doc, run):
        pat = rf"TCP_TUNNEL/200 \d+ CONNECT {re.escape(host)}:{port} "
        if not re.search(pat, squid_log(run, pat)):
            raise AssertionError(f"Squid's log has no tunnel to {host}:{port}")
    return extra


def graph_through_proxy(doc, run):
    found_extra(doc, run)
    tunnelled("graph.microsoft.com")(doc, run)


def upload_through_proxy(doc, run):
    blob_is_report("preflight")(doc, run)
    tunnelled(azurite.HOST, azurite.PORT)(doc, run)  # Azurite's port: the tunnel, not the dropped direct way


SCENARIOS += [
    graph("proxy-online-found", graph_ini="token_file = \\preflight\\graph-token.txt\n" + PROXY_INI,
          net=["proxy", "no-direct"], fields={"record.match": "found", "record.source": "graph-online"},
          no_findings=GRAPH_CODES + REC_ERRORS, extra=graph_through_proxy),
    upload("via-proxy", f"upload_url = {OK_URL}\n" + PROXY_INI, sig(OK_URL.split("?")[1]), "uploaded",
           {"REPORT-UPLOADED": "info"}, net=["proxy", "no-direct"], azurite=["preflight"],
           extra=upload_through_proxy),
]


def graph_proxy_login(doc, run):
    """The lookup meets the proxy's 407: GRAPH-UNREACHABLE names the proxy, the status and the scheme."""
    f = next((f for f in doc["findings"] if f["code"] == "GRAPH-UNREACHABLE"), None)
    want = ("proxy-auth", "proxy.contoso.test:3128", "HTTP 407", "Basic")
    if not f or not all(w in (f["message"] + " " + (f["detail"] or "")) for w in want):
        raise AssertionError(f"GRAPH-UNREACHABLE does not name {want}: {f}")
    print(f"qemu: graph-proxy-auth: {f['message']!r}", flush=True)


SCENARIOS += [
    graph("proxy-auth", graph_ini="token_file = \\preflight\\graph-token.txt\n" + PROXY_INI,
          net=["proxy-auth", "no-direct"], findings=["GRAPH-UNREACHABLE", "NET-PROXY-AUTH"], extra=graph_proxy_login,
          long=True),
]


# ---------------------------------------------------------------------------
# WPAD and PAC files: the way Windows finds a proxy at OOBE (scripts/testnet-pac/*.pac).
PAC_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "testnet-pac")
DHCP_PAC_URL = "http://192.168.77.4/wpad.dat"
DNS_PAC_URL = "http://wpad.contoso.test/wpad.dat"


def pac_sha256(name):
    import hashlib
    with open(os.path.join(PAC_DIR, name + ".pac"), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def pac_info(doc, url, source, name):
    p = doc["network"]["proxy"]
    if p["source"] != "pac" or p["pac_url"] != url or p["pac"]["from"] != source:
        raise AssertionError(f"network.proxy {p}")
    if p["pac"]["sha256"] != pac_sha256(name) or p["pac"]["error"] is not None:
        raise AssertionError(f"PAC file as read: {p['pac']}, expected sha256 {pac_sha256(name)}")
    return p


def corp_pac_check(runs):
    """corp.pac: login.live.com direct (an exception), the update hosts straight to the proxy, every other
    tcp/http/https host first to a proxy port that refuses, then to Squid (WinHTTP's fallback)."""
    doc = runs[0].report_json()
    expect()(runs)  # no NET finding at all: the PAC works, and it was published by WPAD (no NET-PROXY-MANUAL)
    p = pac_info(doc, DHCP_PAC_URL, "wpad-dhcp", "corp")
    if [(x["host"], x["port"]) for x in p["proxies"]] != [("proxy.contoso.test", 3129), ("proxy.contoso.test", 3128)]:
        raise AssertionError(f"PAC proxies {p['proxies']}")
    via = f"proxy proxy.contoso.test:3128 via PAC {DHCP_PAC_URL}"
    pats = []
    for c in doc["network"]["checks"]:
        if c["kind"] not in PROXIED:
            if c["path"] != "direct" or c["pac_answer"] is not None:
                raise AssertionError(f"{c['kind']} {c['host']}: path {c['path']}, PAC answer {c['pac_answer']}")
            continue
        if c["host"] == "login.live.com":
            if c["path"] != "direct" or c["pac_answer"] != "DIRECT":
                raise AssertionError(f"login.live.com: {c['path']} ({c['pac_answer']}), expected direct by the PAC")
            continue
        if c["path"] != via or c["status"] != "ok":
            raise AssertionError(f"{c['host']}: {c['status']} by {c['path']!r}, expected ok by {via!r}")
        update = c["host"].endswith(".windowsupdate.com") or c["host"].endswith(".delivery.mp.microsoft.com")
        if not update and "(after proxy proxy.contoso.test:3129:" not in (c["detail"] or ""):
            raise AssertionError(f"{c['host']}: detail {c['detail']!r} does not tell the fallback from :3129")
        pats.append(rf"CONNECT {re.escape(c['host'])}:{c['port']} " if c["kind"] != "http"
                    else rf" GET http://{re.escape(c['host'])}/")
    log = squid_log(runs[0], *pats)
    missing = [x for x in pats if not re.search(x, log)]
    if missing or "login.live.com" in log:
        raise AssertionError(f"Squid's log: missing {missing[:3]}, login.live.com present: {'login.live.com' in log}")
    print(f"qemu: wpad-dhcp-corp: {len(pats)} checks through Squid by the PAC, PAC {p['pac']['size']} bytes "
          f"evaluated in {p['pac']['eval_ms']} ms for {len(pats) + 2} URLs", flush=True)


def dns_pac_check(runs):
    doc = runs[0].report_json()
    expect()(runs)
    p = pac_info(doc, DNS_PAC_URL, "wpad-dns", "simple")
    if p["wpad"]["dns_names"] != ["wpad.corp.contoso.test", "wpad.contoso.test"] or p["wpad"]["from"] != "wpad-dns":
        raise AssertionError(f"WPAD by DNS: {p['wpad']}")
    paths_through = {c["path"] for c in doc["network"]["checks"] if c["kind"] in PROXIED}
    if paths_through != {f"proxy proxy.contoso.test:3128 via PAC {DNS_PAC_URL}"}:
        raise AssertionError(f"paths {paths_through}")


def pac_failed(*words, bound_ms=None, source="none"):
    """The PAC file cannot be used: NET-PAC-FAILED (warn) naming why, every check direct and ok."""
    def check(runs):
        doc = runs[0].report_json()
        expect(("NET-PAC-FAILED", None, N))(runs)
        f = next(f for f in doc["findings"] if f["code"] == "NET-PAC-FAILED")
        if f["severity"] != "warn" or not all(w in f["message"] for w in words):
            raise AssertionError(f"NET-PAC-FAILED {f['severity']} {f['message']!r} does not say {words}")
        n = doc["network"]
        bad = [(c["host"], c["path"], c["status"]) for c in n["checks"] if c["path"] != "direct" or c["status"] != "ok"]
        if bad or n["proxy"]["source"] != source:
            raise AssertionError(f"checks not all direct and ok: {bad[:3]}; proxy source {n['proxy']['source']}")
        # An upper bound only, wide (guest clock under load): the PAC phase is bounded by the budget.
        if bound_ms and n["duration_ms"] > bound_ms:
            raise AssertionError(f"network phase {n['duration_ms']} ms > {bound_ms} ms")
        print(f"qemu: {runs[0].report_json()['identity']['serial']}: {f['message']!r}", flush=True)
    return check


def wpad(name, faults, check, extra_ini="", long=False):
    return Scenario(f"wpad-{name}", smbios=[f"type=1,serial=WPAD-{name.upper()}"], net=faults, timeout=150,
                    ini=ini(TIMEOUT_MS, 15000, extra_ini), check=check, long=long)


SCENARIOS += [
    wpad("dhcp-corp", ["proxy", "wpad-dhcp:corp"], corp_pac_check),
    wpad("dns-simple", ["proxy", "no-direct", "wpad-dns:simple"], dns_pac_check),
    wpad("auth", ["proxy-auth", "no-direct", "wpad-dhcp:simple"],
         lambda runs: expect(("NET-PROXY-AUTH", None, N), ("NET-PROXY-AUTH", None, S), ("NET-PROXY-AUTH", None, D),
                             ("NET-PROXY-AUTH", None, "esp-account-setup"))(runs), long=True),
    wpad("pac-syntax", ["wpad-dhcp:syntax"], pac_failed("line 3", "SyntaxError")),
    # Cut off by the engine's budget (1 s): the phase stays within the checks' limit plus a wide margin.
    wpad("pac-loop", ["wpad-dhcp:loop"], pac_failed("cut off", bound_ms=TIMEOUT_MS + 15000)),
    # The script runs, its answers are no proxy list: each check direct, as WinHTTP goes.
    wpad("pac-garbage", ["wpad-dhcp:garbage"], pac_failed("PROXIES proxy.contoso.test", source="pac"), long=True),
    wpad("pac-huge", ["wpad-dhcp:huge"], pac_failed("larger than"), long=True),
]


# ---------------------------------------------------------------------------
# TLS inspection through the proxy (proxy-bump: Squid with ssl-bump and the Contoso inspection CA), and a
# proxy that asks for Windows-integrated logins (proxy-auth-ntlm: Negotiate, NTLM, then Basic).
INSPECTOR = "issuer CN=Contoso TLS Inspection CA,O=Contoso"


def bump_check(path, source):
    """Every https check reached its host through Squid, which bumped the tunnel: tls-untrusted naming the
    Contoso inspection CA and the proxy, one NET-TLS-UNTRUSTED per host; tcp and http through the proxy ok."""
    def check(runs):
        doc = runs[0].report_json()
        n = doc["network"]
        if n["proxy"]["source"] != source:
            raise AssertionError(f"network.proxy.source {n['proxy']['source']}, expected {source}")
        https = [c for c in n["checks"] if c["kind"] == "https"]
        for c in n["checks"]:
            want_path = path if c["kind"] in PROXIED else "direct"
            want = "tls-untrusted" if c["kind"] == "https" else "ok"
            if c["path"] != want_path or c["status"] != want:
                raise AssertionError(f"{c['kind']} {c['host']}: {c['status']} by {c['path']!r} ({c['detail']}), "
                                     f"expected {want} by {want_path!r}")
            if c["kind"] == "https" and INSPECTOR not in (c["detail"] or ""):
                raise AssertionError(f"{c['host']}: detail {c['detail']!r} does not name the inspecting CA")
        found = [f for f in doc["findings"] if f["code"] == "NET-TLS-UNTRUSTED"]
        for c in https:
            f = next((f for f in found if f"host={c['host']} " in f["detail"]), None)
            if (not f or "through proxy proxy.contoso.test:3128, which likely inspects TLS" not in f["message"]
                    or "via=proxy.contoso.test:3128" not in f["detail"]):
                raise AssertionError(f"{c['host']}: NET-TLS-UNTRUSTED does not name the inspecting proxy: {f}")
        other = sorted({f["code"] for f in doc["findings"] if f["code"].startswith("NET-")} -
                       {"NET-TLS-UNTRUSTED", "NET-PROXY-MANUAL"})
        if other or (source == "configured") != any(f["code"] == "NET-PROXY-MANUAL" for f in doc["findings"]):
            raise AssertionError(f"NET findings {sorted({f['code'] for f in doc['findings']})}")
        states = {s["service"]: s["state"] for s in n["services"]}
        if states.get("Autopilot Deployment Service") != "TLS inspected":
            raise AssertionError(f"service states {states}")
        if doc["verdict"] != "NO-GO":
            raise AssertionError(f"verdict {doc['verdict']}")
        # Squid saw each CONNECT: it logs a bumped tunnel when it ends, here when Squid gives up on a client
        # that refused its certificate (scripts/testnet's proxy-bump: request_start_timeout, read_timeout).
        pats = [rf"/200 \d+ CONNECT {re.escape(c['host'])}:443 " for c in https]
        log = squid_log(runs[0], *pats, wait_s=40)
        missing = [p for p in pats if not re.search(p, log)]
        if missing:
            raise AssertionError(f"Squid's log has no {missing[:3]} ({len(missing)} missing)")
        print(f"qemu: bump: {len(found)} NET-TLS-UNTRUSTED by {path!r}, e.g. {found[0]['message']!r}", flush=True)
    return check


def ntlm_check(runs):
    doc = runs[0].report_json()
    found = [f for f in doc["findings"] if f["code"] == "NET-PROXY-AUTH"]
    if not found or doc["verdict"] != "NO-GO":
        raise AssertionError(f"verdict {doc['verdict']}, NET-PROXY-AUTH {found}")
    for f in found:
        if ("Negotiate, NTLM, Basic" not in f["message"] or "schemes=Negotiate, NTLM, Basic " not in f["detail"]
                or "SYSTEM" not in f["message"]):
            raise AssertionError(f"NET-PROXY-AUTH does not name the schemes Squid sent: {f}")
    for c in doc["network"]["checks"]:
        want = "proxy-auth" if c["kind"] in PROXIED else "ok"
        if c["status"] != want:
            raise AssertionError(f"{c['kind']} {c['host']}: {c['status']} ({c['detail']}), expected {want}")
    paths_extra(doc)
    pat = r"TCP_DENIED/407 \d+ CONNECT login\.microsoftonline\.com:443 "
    log = squid_log(runs[0], pat)
    if not re.search(pat, log) or "TCP_TUNNEL" in log:
        raise AssertionError("Squid's log has no 407 for CONNECT login.microsoftonline.com:443, or a tunnel")
    print(f"qemu: proxy-auth-ntlm: {len(found)} NET-PROXY-AUTH, e.g. {found[0]['message']!r}", flush=True)


SCENARIOS += [
    proxied("bump", ["proxy-bump", "no-direct"], bump_check(PROXY_PATH, "configured"), long=True),
    wpad("bump", ["proxy-bump", "no-direct", "wpad-dhcp:simple"],
         bump_check(f"proxy proxy.contoso.test:3128 via PAC {DHCP_PAC_URL}", "pac"), long=True),
    proxied("auth-ntlm", ["proxy-auth-ntlm", "no-direct"], ntlm_check, long=True),
]


# ---------------------------------------------------------------------------
# A PAC file over https (DHCP option 252 = https://wpad.contoso.test/wpad.dat): fetched with the checks' TLS
# client and certificate checks, as WinHTTP fetches one; behind a certificate the device does not trust it
# cannot be used, and NET-PAC-FAILED says why.
HTTPS_PAC_URL = "https://wpad.contoso.test/wpad.dat"


def https_pac_check(runs):
    doc = runs[0].report_json()
    expect()(runs)
    pac_info(doc, HTTPS_PAC_URL, "wpad-dhcp", "simple")
    via = f"proxy proxy.contoso.test:3128 via PAC {HTTPS_PAC_URL}"
    bad = [(c["host"], c["path"], c["status"]) for c in doc["network"]["checks"]
           if c["kind"] in PROXIED and (c["path"] != via or c["status"] != "ok")]
    if bad:
        raise AssertionError(f"checks not ok by {via!r}: {bad[:3]}")
    pat = r"TCP_TUNNEL/200 \d+ CONNECT login\.microsoftonline\.com:443 "
    if not re.search(pat, squid_log(runs[0], pat)):
        raise AssertionError("Squid's log has no tunnel to login.microsoftonline.com")


SCENARIOS += [
    wpad("https-pac", ["proxy", "no-direct", "wpad-https:simple"], https_pac_check, long=True),
    wpad("https-pac-untrusted", ["wpad-https:simple", "untrusted-ca:wpad.contoso.test"],
         pac_failed(HTTPS_PAC_URL, "not fetched from wpad.contoso.test", "not from a trusted root",
                    "Contoso TLS Inspection CA"), long=True),
]


# ---------------------------------------------------------------------------
# DHCPINFORM: on the firmware's own DHCP path (network.dhcp_first_offer = false, dhcp_method ip4config2) the
# lease's options cannot be read, so the product asks the server for 252 with a DHCPINFORM, as Windows' DHCP
# client does for WinHTTP, and follows the PAC file it names (wpad-dhcp: dnsmasq answers 252 to whoever asks).
def inform_check(runs):
    doc = runs[0].report_json()
    expect()(runs)
    p = pac_info(doc, DHCP_PAC_URL, "wpad-dhcp-inform", "simple")
    if (p["wpad"]["from"] != "wpad-dhcp-inform" or p["wpad"]["inform"] != "DHCPACK with option 252"
            or not isinstance(p["wpad"]["inform_ms"], int) or p["wpad"]["inform_ms"] > 1000 + 2000):  # 1 s wait, clock margin
        raise AssertionError(f"network.proxy.wpad {p['wpad']}")
    if doc["network"]["dhcp_method"] != "ip4config2":
        raise AssertionError(f"dhcp_method {doc['network']['dhcp_method']}: not the firmware's DHCP path")
    via = f"proxy proxy.contoso.test:3128 via PAC {DHCP_PAC_URL}"
    bad = [(c["host"], c["path"], c["status"]) for c in doc["network"]["checks"]
           if c["kind"] in PROXIED and (c["path"] != via or c["status"] != "ok")]
    if bad:
        raise AssertionError(f"checks not ok by {via!r}: {bad[:3]}")
    # dnsmasq's own log: the DHCPINFORM from the lease's address, answered with 252.
    log_path = os.path.join(os.path.dirname(testnet_env(runs[0].work)["CA_PEM"]), "dnsmasq.log")
    with open(log_path, encoding="utf-8", errors="replace") as f:
        log = f.read()
    inform = log.find("DHCPINFORM(pftap0) 192.168.77.50")
    if inform < 0 or "option:252" not in log[inform:]:
        raise AssertionError("dnsmasq's log: no DHCPINFORM from 192.168.77.50 answered with option 252")
    print(f"qemu: wpad-dhcp-inform: {p['wpad']['inform']!r} in {p['wpad']['inform_ms']} ms", flush=True)


def inform_absent_check(runs):
    """The healthy network: the DHCPINFORM is answered without 252, every check direct."""
    doc = runs[0].report_json()
    expect()(runs)
    w = doc["network"]["proxy"]["wpad"]
    if w["found"] or w["inform"] != "DHCPACK without option 252" or not isinstance(w["inform_ms"], int):
        raise AssertionError(f"network.proxy.wpad {w}")


SCENARIOS += [
    wpad("dhcp-inform", ["proxy", "no-direct", "wpad-dhcp:simple"], inform_check, extra_ini="dhcp_first_offer = false\n",
         long=True),
    wpad("inform-none", [], inform_absent_check, long=True),
]
