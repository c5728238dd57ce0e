#!/usr/bin/env python3
"""Test helper for scripts/fleet against Azurite; runs inside the test's network namespace.

Usage: blobs.py populate ENDPOINT CONTAINER N CA_PEM WAIT_S
Waits (at most WAIT_S seconds) until Azurite answers over TLS, creates CONTAINER with Shared Key,
uploads N generated reports as block blobs through a write-only service SAS (16 threads, kept-alive
connections), and prints one JSON line: {"read_url": container URL with a read+list SAS,
"signature": the SAS sig value (the test greps every output for it), "devices": {...}}.
Azurite's development account and key are the ones Azurite publishes for local use.
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import ssl
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from gen_reports import MODELS, make_report  # noqa: E402

ACCOUNT = "devstoreaccount1"
KEY = base64.b64decode("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")
VERSION = "2021-08-06"


def sign(text):
    return base64.b64encode(hmac.new(KEY, text.encode(), hashlib.sha256).digest()).decode()


def service_sas(container, perms):
    """A container service SAS (Azure Storage REST, "Create a service SAS", version 2020-12-06 and later)."""
    expiry = (datetime.datetime.utcnow() + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [perms, "", expiry, "/blob/%s/%s" % (ACCOUNT, container), "", "", "https", VERSION, "c",
              "", "", "", "", "", "", ""]
    sig = sign("\n".join(fields))
    q = urllib.parse.urlencode([("sv", VERSION), ("spr", "https"), ("se", expiry), ("sr", "c"), ("sp", perms),
                                ("sig", sig)])
    return q, sig


def main():
    _, endpoint, container, n, ca, wait_s = sys.argv[1:7]
    n, wait_s = int(n), float(wait_s)
    u = urllib.parse.urlsplit(endpoint)
    ctx = ssl.create_default_context(cafile=ca)
    local = threading.local()

    def conn():
        if getattr(local, "c", None) is None:
            local.c = http.client.HTTPSConnection(u.hostname, u.port, context=ctx, timeout=20)
        return local.c

    def request(method, path, body=b"", headers=None):
        for attempt in (0, 1):
            c = conn()
            try:
                c.request(method, path, body=body, headers=headers or {})
                r = c.getresponse()
                return r.status, r.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                c.close()
                local.c = None
                if attempt:
                    raise

    deadline = time.monotonic() + wait_s
    while True:                       # bounded wait for Azurite's TLS port
        try:
            request("GET", "/")
            break
        except (OSError, http.client.HTTPException):
            local.c = None
            if time.monotonic() > deadline:
                sys.exit("blobs.py: Azurite did not answer within %.0f s" % wait_s)
            time.sleep(0.2)

    date = datetime.datetime.utcnow().strftime("%a, %d %b %Y %H:%M:%S GMT")
    canon = "x-ms-date:%s\nx-ms-version:%s\n" % (date, VERSION)
    to_sign = "PUT\n\n\n\n\n\n\n\n\n\n\n\n%s/%s/%s\nrestype:container" % (canon, ACCOUNT, container)
    st, body = request("PUT", "/%s?restype=container" % container,
                       headers={"x-ms-date": date, "x-ms-version": VERSION, "Content-Length": "0",
                                "Authorization": "SharedKey %s:%s" % (ACCOUNT, sign(to_sign))})
    if st != 201:
        sys.exit("blobs.py: create container: HTTP %d %s" % (st, body[:300]))

    write_q, _ = service_sas(container, "cw")
    newest = {}
    jobs = []
    for i in range(n):
        dev = i % (n * 4 // 5)            # a fifth of the devices have two runs; the later one wins
        serial = "AZ%06d" % dev
        make, model = MODELS[dev % len(MODELS)]
        when = datetime.datetime(2026, 12, 1, 8) + datetime.timedelta(seconds=17 * i)
        started = when.strftime("%Y-%m-%dT%H:%M:%S")
        findings = [] if i % 3 else [("REC-NOT-FOUND", "error", "record", "No Autopilot record has this serial.")]
        # Some blobs sit in a folder named after the stick, the rest straight in the container.
        name = "%s%s-%s.json" % ("tech-%d/" % (i % 4) if i % 2 else "", serial, when.strftime("%Y%m%dT%H%M%S"))
        doc = make_report(serial, make, model, started, findings, "USB%02d" % (i % 7))
        if i % 2 == 0:
            # Blobs at the root: half from sticks someone named, half with make usb's default label.
            d = json.loads(doc)
            d["stick"] = {"label": "TECH-LABEL-%d" % (i % 3) if i % 4 == 0 else "PREFLIGHT"}
            doc = json.dumps(d)
        jobs.append((name, doc.encode()))
        newest[serial] = "NO-GO" if findings else "GO"

    def put(job):
        name, data = job
        st, body = request("PUT", "/%s/%s?%s" % (container, urllib.parse.quote(name), write_q), body=data,
                           headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": VERSION,
                                    "Content-Type": "application/json", "Content-Length": str(len(data))})
        if st != 201:
            raise RuntimeError("PUT %s: HTTP %d %s" % (name, st, body[:200]))

    with ThreadPoolExecutor(16) as pool:
        list(pool.map(put, jobs))
    read_q, sig = service_sas(container, "rl")
    verdicts = {v: list(newest.values()).count(v) for v in ("GO", "NO-GO")}
    print(json.dumps({"read_url": "%s/%s?%s" % (endpoint, container, read_q), "signature": sig,
                      "devices": len(newest), "verdicts": verdicts}))


if __name__ == "__main__":
    main()
