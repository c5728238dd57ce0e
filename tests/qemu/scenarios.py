#!/usr/bin/env python3
"""QEMU + OVMF scenarios: each boots the real preflight.efi and asserts the reports it writes.

Scenarios live in tests/qemu/scen_*.py, one module per area, each with a SCENARIOS list.
Usage: tests/qemu/scenarios.py [NAME...]   (no name: all scenarios)
"""
import glob
import importlib
import os
import sys

from rig import main

HERE = os.path.dirname(os.path.abspath(__file__))


# Variants that run in make test-long only, beside each scenario's own `long=True`: make test keeps a sibling
# of each (named after the #) through the same firmware path, and host unit tests cover the rule that tells
# them apart. They went here to keep make test under its 15 minutes on 2 cores.
TEST_LONG_ONLY = {
    "tpm-never-answers",                       # the firmware's own 92 s TIS bound (# tpm-missing)
    "placeholder-default-string", "placeholder-system-serial", "placeholder-none",   # (# placeholder-oem,
    "placeholder-not-specified", "placeholder-digits", "placeholder-repeated",       # placeholder-zero)
    "serial-absent",                           # (# serial-empty)
    "graph-userless-blocked-selfdeploy",       # (# graph-userless-blocked-preprov)
    "graph-userless-blocked-user-driven",
    "graph-user-join-none", "graph-user-join-group-out",   # (# graph-user-join-group)
    "graph-user-quota", "graph-user-policy-forbidden",     # (# graph-user-configs-forbidden)
    "graph-user-forbidden", "graph-user-missing",          # (# graph-user-disabled, graph-user-no-license)
    "graph-throttled",                         # (# graph-throttled-then-ok)
    "graph-signin-expired",                    # (# graph-signin-declined)
    "net-tcp-drop",                            # (# net-blackhole-bounded, net-tcp-reset)
    "net-https-500",                           # (# net-http-500)
    "net-one-link-down",                       # (# net-no-link)
    "rec-graph-pages-array",                   # (# rec-graph-page)
    "rec-utf16le-ps51",                        # (# config-utf16le; test_recfile)
    "upload-sas-expired", "upload-bad-url",    # (# upload-sas-expired-large, upload-unreachable)
    "stick-fat-cross-linked",                  # (# stick-fat-out-of-range-cluster)
}


def collect():
    every = []
    for path in sorted(glob.glob(os.path.join(HERE, "scen_*.py"))):
        every.extend(importlib.import_module(os.path.basename(path)[:-3]).SCENARIOS)
    names = [s.name for s in every]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SystemExit(f"qemu: duplicate scenario names {dup}")
    stale = sorted(TEST_LONG_ONLY - set(names))  # a renamed scenario must not silently leave the list
    if stale:
        raise SystemExit(f"qemu: TEST_LONG_ONLY names no scenario: {stale}")
    if os.environ.get("PF_LONG") == "1":
        return every
    return [s for s in every if not (s.long or s.name in TEST_LONG_ONLY)]

if __name__ == "__main__":
    sys.path.insert(0, HERE)
    sys.exit(main(collect(), sys.argv))
