"""QEMU scenarios for the report upload to Azure Blob Storage (efi/report_upload.c, docs/upload.md).

Azurite runs inside each scenario's test network (tests/qemu/azurite.py) with TLS from the test CA for
devstoreaccount1.blob.core.windows.net; the stick carries a container URL with a service SAS signed with
Azurite's development key. flaky.blob.core.windows.net is the test network's own server: 503 ServerBusy
with Retry-After once per blob, then 201; early.blob.core.windows.net answers 403 AuthenticationFailed after
the request head and closes with the body unread. Every scenario checks that the SAS signature appears in no
output: serial console, reports, ledger.
"""
import csv
import io
import json
import urllib.parse

import azurite
from rig import Scenario, assert_secret_absent

SERIAL = "PF-UPLOAD-0001"
INI = ("[after]\naction = shutdown\n"
       "[identity]\nallow_virtual_machine = true\nrequire_tpm = false\n"
       "[network]\ntimeout_ms = 4000\ndhcp_timeout_ms = 15000\nipv6_wait_ms = 0\n"  # no IPv6 on these networks (scen_network.NET_INI)
       "endpoints = http:www.msftconnecttest.com:80, ntp:time.windows.com:123\n"
       "[report]\n{report}")


def sig_kept(secret):
    """The signature (and its URL-encoded form) appears nowhere Preflight writes or prints."""
    forms = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret)}

    def check(run):
        assert_secret_absent(run, sorted(forms), "SAS signature")
    return check


def ledger_codes(run):
    rows = list(csv.DictReader(io.StringIO(run.reports["ledger.csv"].decode("utf-8"))))
    return rows[-1]["codes"].split()


def upload(name, report, secret, state, findings, extra=None, ini=INI, **kw):
    """A scenario whose report.upload_* is `report`; the JSON upload object must be in `state` and the
    findings present (their severities as given)."""
    def check(runs):
        run = runs[0]
        sig_kept(secret)(run)
        doc = run.report_json()
        u = doc["upload"]
        if not u or u["state"] != state:
            raise AssertionError(f"upload {u}, expected state {state}")
        if u["url"] and "sig=***" not in u["url"]:
            raise AssertionError(f"upload.url {u['url']!r} does not mask the signature")
        got = {f["code"]: f["severity"] for f in doc["findings"] if f["code"].startswith("REPORT-")}
        if got != findings:
            raise AssertionError(f"REPORT findings {got}, expected {findings}: "
                                 f"{[(f['code'], f['message'], f['detail']) for f in doc['findings']]}")
        if "Upload: " + ("uploaded" if state == "uploaded" else state) not in run.serial:
            raise AssertionError("no 'Upload:' line on the console")
        # The ledger row is written after the upload: its codes carry the outcome.
        want = [c for c in findings]
        if not set(want) <= set(ledger_codes(run)):
            raise AssertionError(f"ledger codes {ledger_codes(run)} lack {want}")
        if extra:
            extra(doc, run)
    return Scenario("upload-" + name, smbios=["type=1,manufacturer=Contoso,product=Contoso Book 14,serial=" + SERIAL],
                    ini=ini.format(report=report), check=check, timeout=120, **kw)


OUTCOME_KEYS = {"verdict", "errors", "warnings", "steps"}


def blob_is_report(container, attempts=1):
    """The container holds exactly the report, named as on the stick, byte for byte what the stick had
    before the outcome was added: the two differ only in the upload object."""
    def extra(doc, run):
        if doc["upload"]["http_status"] != 201 or doc["upload"]["attempts"] != attempts:
            raise AssertionError(f"upload {doc['upload']}")
        # The report says which stick (make usb's label) and carries each finding's fix.
        if doc["stick"]["label"] != "PREFLIGHT":
            raise AssertionError(f"stick {doc['stick']}")
        up = [f for f in doc["findings"] if f["code"] == "REPORT-UPLOADED"][0]
        if not up["fix"] or not up["fix"].startswith("Nothing to do"):
            raise AssertionError(f"REPORT-UPLOADED fix {up['fix']!r}")
        blobs = azurite.blobs(run.work, container)
        local = sorted(n for n in run.reports if n.endswith(".json"))[-1]
        if list(blobs) != [local]:
            raise AssertionError(f"blobs {list(blobs)}, expected [{local}]")
        sent = json.loads(blobs[local])
        if sent["upload"]["state"] != "uploading":
            raise AssertionError(f"the uploaded report's upload object {sent['upload']}")
        # What the upload added: its own object, its REPORT-* findings and what they change in the
        # verdict and the steps. Everything else is the same.
        a, b = dict(sent), dict(doc)
        for d in (a, b):
            d.pop("upload")
            d["findings"] = [f for f in d["findings"] if not f["code"].startswith("REPORT-")]
        diff = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
        if not set(diff) <= OUTCOME_KEYS:
            raise AssertionError(f"the blob differs from the report on the stick in {diff}")
    return extra


def failed_with(status, error, attempts=1):
    """error: the storage error code, or a set of the codes accepted."""
    def extra(doc, run):
        u = doc["upload"]
        codes = error if isinstance(error, set) else {error}
        if u["http_status"] != status or u["error"] not in codes or u["attempts"] != attempts:
            raise AssertionError(f"upload {u}, expected HTTP {status} {error} after {attempts}")
        f = [f for f in doc["findings"] if f["code"] == "REPORT-UPLOAD-FAILED"][0]
        if str(status) not in f["message"] or u["error"] not in f["message"]:
            raise AssertionError(f"REPORT-UPLOAD-FAILED {f['message']!r} does not name HTTP {status} {error}")
    return extra


def over_ipv6_only(doc, run):
    """ipv6-only: no IPv4 address at all, so the blob can only have come over IPv6 (DNS6 AAAA, TCP6, TLS)."""
    n = doc["network"]
    if n["ipv4"] is not None or not n["ipv6"]["offered"]:
        raise AssertionError(f"network ipv4 {n['ipv4']}, ipv6 {n['ipv6']}: not an IPv6-only run")
    if not any(f["code"] == "NET-IPV6-ONLY" for f in doc["findings"]):
        raise AssertionError("no NET-IPV6-ONLY finding")
    blob_is_report("preflight")(doc, run)
    print(f"qemu: upload over IPv6 only: {n['ipv6']['addresses']}, upload {doc['upload']['ms']} ms", flush=True)


# IPv6 only (scripts/testnet ipv6-only): IPv6 looked at (its default wait, raised as scen_ipv6 does for a loaded
# machine), DHCPv4 given up on soon.
V6_INI = INI.replace("dhcp_timeout_ms = 15000\nipv6_wait_ms = 0\n", "dhcp_timeout_ms = 4000\nipv6_wait_ms = 20000\n")

# The built-in endpoint table (every name the test network serves) instead of two endpoints: a report
# of about 20 KB, more than the storage reads before it judges the SAS.
BIG_INI = INI.replace("endpoints = http:www.msftconnecttest.com:80, ntp:time.windows.com:123\n", "")
BIG_REPORT = 18 * 1024


def answered_early(status, error):
    """The storage answered (and closed) before it had read the whole report: its answer still counts."""
    named = failed_with(status, error)

    def extra(doc, run):
        local = sorted(n for n in run.reports if n.endswith(".json"))[-1]
        if len(run.reports[local]) < BIG_REPORT:
            raise AssertionError(f"the report is {len(run.reports[local])} bytes, not the {BIG_REPORT} or more "
                                 "that make the storage answer before the body")
        if "connection closed while sending" in (doc["upload"]["reason"] or ""):
            raise AssertionError(f"upload.reason {doc['upload']['reason']!r}: the answer was not read")
        named(doc, run)
    return extra


def reason_has(text):
    def extra(doc, run):
        if text not in (doc["upload"]["reason"] or ""):
            raise AssertionError(f"upload.reason {doc['upload']['reason']!r} lacks {text!r}")
    return extra


def retried(doc, run):
    """503 with Retry-After 1 once: waited, then 201 on the second attempt."""
    u = doc["upload"]
    if u["attempts"] != 2 or u["http_status"] != 201:
        raise AssertionError(f"upload {u}, expected HTTP 201 on the second attempt")
    if "The storage asks to wait 1 s" not in run.serial:
        raise AssertionError("no wait for Retry-After on the console")


OK_URL = azurite.upload_url("preflight")
BROAD_URL = azurite.upload_url("preflight", perms="racwdl")
EXPIRED_URL = azurite.upload_url("preflight", hours=-1)
MISSING_URL = azurite.upload_url("missing")
FLAKY_QUERY = azurite.sas("preflight", "cw")
FLAKY_URL = "https://flaky.blob.core.windows.net/preflight?" + FLAKY_QUERY
EARLY_HOST = "early.blob.core.windows.net"
EARLY_QUERY = azurite.sas("preflight", "cw", hours=-1)
sig = azurite.signature

SCENARIOS = [
    upload("ok", "upload_url = %s\n" % OK_URL, sig(OK_URL.split("?")[1]), "uploaded", {"REPORT-UPLOADED": "info"},
           net=[], azurite=["preflight"], extra=blob_is_report("preflight")),
    # An IPv6-only network: the upload after the checks goes over DNS6, TCP6 and TLS too (long).
    upload("ipv6-only", "upload_url = %s\n" % OK_URL, sig(OK_URL.split("?")[1]), "uploaded", {"REPORT-UPLOADED": "info"},
           net=["ipv6-only"], azurite=["preflight"], ini=V6_INI, extra=over_ipv6_only, long=True),
    # The same behind DNS64/NAT64: Azurite IPv4-only in the namespace, reached through tayga (long).
    upload("ipv6-only-nat64", "upload_url = %s\n" % OK_URL, sig(OK_URL.split("?")[1]), "uploaded",
           {"REPORT-UPLOADED": "info"}, net=["ipv6-only-nat64"], azurite=["preflight"], ini=V6_INI,
           extra=over_ipv6_only, long=True),
    # The SAS kept in a file of its own (the INI can be shared); it grants read, delete and list too.
    upload("sas-file-broad", "upload_sas_file = \\preflight\\upload-sas.txt\n", sig(BROAD_URL.split("?")[1]), "uploaded",
           {"REPORT-UPLOADED": "info", "REPORT-UPLOAD-SAS-BROAD": "warn"}, net=[], azurite=["preflight"],
           files={"preflight/upload-sas.txt": BROAD_URL + "\r\n"}, extra=blob_is_report("preflight")),
    upload("sas-expired", "upload_url = %s\n" % EXPIRED_URL, sig(EXPIRED_URL.split("?")[1]), "failed",
           {"REPORT-UPLOAD-FAILED": "warn"}, net=[], azurite=["preflight"],
           # Azure Storage says AuthenticationFailed for an expired SAS; Azurite says AuthorizationFailure.
           extra=failed_with(403, {"AuthenticationFailed", "AuthorizationFailure"})),
    # An expired SAS and a large report: Azurite answers 403 after the request head and closes while
    # the body is still coming (issue 21); the answer is read and named, no second attempt.
    upload("sas-expired-large", "upload_url = %s\n" % EXPIRED_URL, sig(EXPIRED_URL.split("?")[1]), "failed",
           {"REPORT-UPLOAD-FAILED": "warn"}, net=[], azurite=["preflight"], ini=BIG_INI,
           extra=answered_early(403, {"AuthenticationFailed", "AuthorizationFailure"})),
    # The test network's early.blob.core.windows.net answers 403 AuthenticationFailed right after the
    # request head and closes with the body unread (the kernel resets the connection): the same over
    # HTTPS and plain HTTP, whatever Azurite's timing.
    upload("early-403-https", "upload_url = https://%s/preflight?%s\n" % (EARLY_HOST, EARLY_QUERY), sig(EARLY_QUERY),
           "failed", {"REPORT-UPLOAD-FAILED": "warn"}, net=[], net_hosts=[EARLY_HOST], ini=BIG_INI,
           extra=answered_early(403, "AuthenticationFailed")),
    upload("early-403-http", "upload_url = http://%s/preflight?%s\n" % (EARLY_HOST, EARLY_QUERY), sig(EARLY_QUERY),
           "failed", {"REPORT-UPLOAD-FAILED": "warn"}, net=[], net_hosts=[EARLY_HOST], ini=BIG_INI,
           extra=answered_early(403, "AuthenticationFailed"), long=True),
    upload("container-missing", "upload_url = %s\n" % MISSING_URL, sig(MISSING_URL.split("?")[1]), "failed",
           {"REPORT-UPLOAD-FAILED": "warn"}, net=[], azurite=[], extra=failed_with(404, "ContainerNotFound")),
    # The storage name does not resolve: tried twice (no answer), the local report stands.
    upload("unreachable", "upload_url = %s\n" % OK_URL, sig(OK_URL.split("?")[1]), "failed",
           {"REPORT-UPLOAD-FAILED": "warn"}, net=["nxdomain:" + azurite.HOST],
           extra=reason_has("no usable answer from " + azurite.HOST)),
    upload("503-then-ok", "upload_url = %s\n" % FLAKY_URL, sig(FLAKY_QUERY), "uploaded", {"REPORT-UPLOADED": "info"},
           net=[], net_hosts=["flaky.blob.core.windows.net"],
           extra=retried),
    # No network: nothing attempted.
    upload("no-network", "upload_url = %s\n" % OK_URL, sig(OK_URL.split("?")[1]), "skipped",
           {"REPORT-UPLOAD-FAILED": "warn"}, extra=reason_has("no network address")),
    # Not a URL with a SAS: said without repeating the value.
    upload("bad-url", "upload_url = https://devstoreaccount1.blob.core.windows.net/preflight?sv=2021-08-06&sp=cw\n",
           "sv=2021-08-06&sp=cw", "skipped", {"REPORT-UPLOAD-FAILED": "warn"}, net=[],
           extra=reason_has("report.upload_url is not an Azure Blob container URL with a SAS")),
]
