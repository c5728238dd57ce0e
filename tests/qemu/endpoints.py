"""Preflight's endpoint table read from common/endpoint.c, so scenarios fault a service by its id
(the same ids network.required_services takes) without a second copy of the host list."""
import os
import re

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "common", "endpoint.c")


def _load():
    with open(SRC, encoding="utf-8") as f:
        text = f.read()
    names = dict(re.findall(r'#define (SVC_\w+) "([^"]+)"', text))
    ids = {name: sid for sid, name in re.findall(r'\{ "([a-z0-9-]+)", (SVC_\w+) \}', text)}
    ids = {names[k]: v for k, v in ids.items()}
    kinds = {"HTTP": "http", "HTTPS": "https", "PF_EP_TCP": "tcp", "PF_EP_NTP": "ntp", "PF_EP_DNS": "dns"}
    rows = []
    for kind, host, port, optional, svc in re.findall(
            r'EPP?\((\w+), "([^"]+)", (\d+), \w, (true|false), "[^"]*", (SVC_\w+)', text):
        rows.append({"kind": kinds[kind], "host": host, "port": int(port), "optional": optional == "true",
                     "service": names[svc], "id": ids[names[svc]]})
    if len(rows) < 12 or len(ids) < 10:
        raise RuntimeError(f"{SRC}: parsed only {len(rows)} endpoint rows and {len(ids)} services")
    return rows, ids


ROWS, SERVICE_IDS = _load()


def hosts(service_id):
    """The table's hosts of one service id ("activation", "windows-update", ...)."""
    got = [r["host"] for r in ROWS if r["id"] == service_id]
    if not got:
        raise KeyError(f"no endpoint of service {service_id!r} in {SRC}")
    return got


def name(service_id):
    return next(r["service"] for r in ROWS if r["id"] == service_id)
