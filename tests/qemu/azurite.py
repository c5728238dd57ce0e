"""Azurite (Microsoft's Azure Storage emulator) inside a scenario's test network, for the report upload.

The rig starts it (Scenario.azurite) on the test network's gateway address (with IPv6 in the test network, on
every address of the namespace), port 10000, with TLS from the
test CA for devstoreaccount1.blob.core.windows.net (the name the test network's DNS serves), and stops it
by its PID. Requests from the host side run inside the namespace (`ip netns exec`): this module is also
the script they run ("ns create" / "ns get"). Azurite's development account and key are the ones
Azurite publishes for local use.
"""
import base64
import datetime
import hashlib
import hmac
import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
AZURITE = os.path.join(ROOT, "build", "azurite", "node_modules", ".bin", "azurite-blob")
ACCOUNT = "devstoreaccount1"
KEY = base64.b64decode("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==")
HOST = ACCOUNT + ".blob.core.windows.net"
PORT = 10000
VERSION = "2021-08-06"
READY_S = 30


def sign(text):
    return base64.b64encode(hmac.new(KEY, text.encode(), hashlib.sha256).digest()).decode()


def sas(container, perms, hours=2.0):
    """A container service SAS ("Create a service SAS", signed version 2020-12-06 and later); hours < 0
    makes one that has expired."""
    expiry = (datetime.datetime.utcnow() + datetime.timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [perms, "", expiry, "/blob/%s/%s" % (ACCOUNT, container), "", "", "https", VERSION, "c",
              "", "", "", "", "", "", ""]
    return urllib.parse.urlencode([("sv", VERSION), ("spr", "https"), ("se", expiry), ("sr", "c"), ("sp", perms),
                                   ("sig", sign("\n".join(fields)))])


def signature(query):
    return urllib.parse.parse_qs(query)["sig"][0]


def upload_url(container, perms="cw", hours=2.0):
    return "https://%s:%d/%s?%s" % (HOST, PORT, container, sas(container, perms, hours))


# ---- host side (the rig) ----

def _env(work):
    env = {}
    with open(os.path.join(work, "net", "env")) as f:
        for line in f:
            k, sep, v = line.strip().partition("=")
            if sep:
                env[k] = v.strip('"')
    return env


def _in_ns(work, *args, timeout=60):
    env = _env(work)
    proc = subprocess.run(["ip", "netns", "exec", env["NETNS"], sys.executable, os.path.abspath(__file__), "ns",
                           *args, env["GATEWAY"], env["CA_PEM"]], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError("azurite: %s: %s" % (args[0], (proc.stderr or proc.stdout)[-400:]))
    return proc.stdout


def up(work, containers):
    """Starts Azurite for a scenario (its PID in work/azurite.pid) and creates the containers."""
    if not os.access(AZURITE, os.X_OK):
        raise AssertionError("azurite: %s missing: run scripts/deps test" % AZURITE)
    env = _env(work)
    certs = os.path.join(work, "net", "certs")
    log = open(os.path.join(work, "azurite.log"), "w")
    # With IPv6 in the test network (GATEWAY6), the name's AAAA record is the gateway's IPv6 address: Azurite
    # then listens on every address of the namespace, both families (its own namespace, so nothing else sees it).
    host = "::" if env.get("GATEWAY6") else env["GATEWAY"]
    proc = subprocess.Popen(["ip", "netns", "exec", env["NETNS"], AZURITE, "--blobHost", host,
                             "--blobPort", str(PORT), "--inMemoryPersistence", "--silent", "--disableTelemetry",
                             "--cert", os.path.join(certs, HOST + ".pem"), "--key", os.path.join(certs, "server.key")],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    with open(os.path.join(work, "azurite.pid"), "w") as f:
        f.write(str(proc.pid))
    for c in containers:
        _in_ns(work, "create", "https://%s:%d" % (HOST, PORT), c, str(READY_S), timeout=READY_S + 30)


def down(work):
    """Stops the scenario's Azurite by its PID (TERM, then KILL after 5 s)."""
    path = os.path.join(work, "azurite.pid")
    if not os.path.exists(path):
        return
    pid = int(open(path).read())
    os.unlink(path)
    try:
        os.kill(pid, 15)
        for _ in range(50):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
            time.sleep(0.1)
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass


def blobs(work, container):
    """{blob name: bytes} of a container."""
    out = _in_ns(work, "get", "https://%s:%d" % (HOST, PORT), container)
    return {k: base64.b64decode(v) for k, v in json.loads(out).items()}


# ---- inside the namespace ----

def _request(endpoint, gw, ca, method, path, headers=None):
    """One request to the production-style name (certificate and Host header), connected to the
    gateway address: the namespace has no resolver of its own for it."""
    u = urllib.parse.urlsplit(endpoint)
    c = http.client.HTTPSConnection(u.hostname, u.port, context=ssl.create_default_context(cafile=ca), timeout=10)
    c._create_connection = lambda addr, timeout=None, source=None: socket.create_connection((gw, addr[1]), timeout)
    try:
        c.request(method, path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def _shared_key(method, container, query_lines):
    date = datetime.datetime.utcnow().strftime("%a, %d %b %Y %H:%M:%S GMT")
    canon = "x-ms-date:%s\nx-ms-version:%s\n" % (date, VERSION)
    to_sign = "%s\n\n\n\n\n\n\n\n\n\n\n\n%s/%s/%s\n%s" % (method, canon, ACCOUNT, container, "\n".join(query_lines))
    return {"x-ms-date": date, "x-ms-version": VERSION, "Content-Length": "0",
            "Authorization": "SharedKey %s:%s" % (ACCOUNT, sign(to_sign))}


def ns_main(args):
    what, endpoint, container = args[:3]
    gw, ca = args[-2], args[-1]
    if what == "create":
        deadline = time.monotonic() + float(args[3])
        while True:                   # bounded wait for Azurite's TLS port
            try:
                st, body = _request(endpoint, gw, ca, "PUT", "/%s?restype=container" % container,
                                    _shared_key("PUT", container, ["restype:container"]))
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("Azurite did not answer within %s s" % args[3])
                time.sleep(0.2)
        if st != 201:
            sys.exit("create container %s: HTTP %d %s" % (container, st, body[:200]))
    elif what == "get":
        st, body = _request(endpoint, gw, ca, "GET", "/%s?restype=container&comp=list&%s" % (container, sas(container, "rl")))
        if st != 200:
            sys.exit("list %s: HTTP %d %s" % (container, st, body[:200]))
        import xml.etree.ElementTree as ET
        names = [n.text for n in ET.fromstring(body).iter("Name")]
        out = {}
        for n in names:
            st, data = _request(endpoint, gw, ca, "GET", "/%s/%s?%s" % (container, urllib.parse.quote(n), sas(container, "r")))
            if st != 200:
                sys.exit("get %s: HTTP %d" % (n, st))
            out[n] = base64.b64encode(data).decode()
        print(json.dumps(out))


if __name__ == "__main__" and sys.argv[1:2] == ["ns"]:
    ns_main(sys.argv[2:])
