"""Test oracle for the Secure Boot section: what `openssl x509` on the host says about a certificate.

The report's certificate fields (subject, issuer, CNs, validity, SHA-256, SHA-1) must equal what openssl
prints for the same DER file; this module runs openssl and compares, so the firmware's parser is checked
against an independent implementation.
"""
import datetime
import re
import subprocess

MONTHS = {m: i + 1 for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}


def _openssl(der_path, *args):
    proc = subprocess.run(["openssl", "x509", "-inform", "der", "-in", der_path, "-noout", *args],
                          capture_output=True, timeout=30, check=True)
    return proc.stdout.decode("utf-8", "replace").strip()


def _date(text):
    """'Jun 27 21:32:45 2026 GMT' -> '2026-06-27T21:32:45Z'."""
    m = re.match(r"(\w{3})\s+(\d+) (\d\d):(\d\d):(\d\d) (\d{4}) GMT", text)
    if not m:
        raise AssertionError(f"openssl printed an unexpected date {text!r}")
    mon, day, hh, mi, ss, year = m.groups()
    return f"{int(year):04d}-{MONTHS[mon]:02d}-{int(day):02d}T{hh}:{mi}:{ss}Z"


def _cn(rfc2253):
    """The first CN= value of an RFC 2253 line (most specific RDN first), unescaped simply."""
    m = re.search(r"(?:^|,)CN=((?:\\.|[^,])*)", rfc2253)
    return m.group(1).replace("\\", "") if m else None


def cert_facts(der_path):
    """The fields the report must show for this certificate, as openssl computes them."""
    subject = _openssl(der_path, "-subject", "-nameopt", "RFC2253").split("=", 1)[1]
    issuer = _openssl(der_path, "-issuer", "-nameopt", "RFC2253").split("=", 1)[1]
    dates = dict(line.split("=", 1) for line in _openssl(der_path, "-dates").splitlines())
    fp256 = _openssl(der_path, "-fingerprint", "-sha256").split("=", 1)[1].replace(":", "").lower()
    fp1 = _openssl(der_path, "-fingerprint", "-sha1").split("=", 1)[1].replace(":", "").lower()
    return {"subject": subject, "issuer": issuer, "subject_cn": _cn(subject), "issuer_cn": _cn(issuer),
            "not_before": _date(dates["notBefore"]), "not_after": _date(dates["notAfter"]),
            "sha256": fp256, "sha1": fp1}


def expired(facts, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    return facts["not_after"] < now.strftime("%Y-%m-%dT%H:%M:%SZ")


def assert_store(doc, store, der_paths):
    """The report's secure_boot.stores[store] holds exactly these certificates, field for field."""
    sb = doc.get("secure_boot")
    if not isinstance(sb, dict):
        raise AssertionError(f"report has no secure_boot object: {sb!r}")
    got = sb["stores"][store]["certificates"]
    want = [cert_facts(p) for p in der_paths]
    by_hash = {c.get("sha256"): c for c in got}
    if sorted(by_hash) != sorted(w["sha256"] for w in want):
        raise AssertionError(f"{store}: certificates {[c.get('subject_cn') for c in got]}, expected "
                             f"{[w['subject_cn'] for w in want]}")
    for w in want:
        c = by_hash[w["sha256"]]
        for k, v in w.items():
            if c.get(k) != v:
                raise AssertionError(f"{store} {w['subject_cn']}: {k} is {c.get(k)!r}, openssl says {v!r}")
