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
    # Second round (make test was 17.7 min on a quiet 2-core machine): make test keeps per area the ones after #.
    "graph-http-endpoint", "graph-long-token", "graph-signin-declined", "graph-signin-unreachable",
    "graph-token-missing", "graph-user-configs-forbidden", "graph-user-enrol-limit", "graph-user-esp-user-group",
    "graph-user-join-group", "graph-user-no-license", "graph-user-phase-limit", "graph-userless-blocked-preprov",
    # (# graph-online-found, graph-auth-failed, graph-signin-found, graph-user-disabled, graph-throttled-then-ok,
    #    graph-unreachable, graph-proxy-online-found; test_graph*, test_signin)
    "net-healthy-no-rng", "net-static-policy-restored", "net-dhcp-firmware", "net-slow", "net-expired",
    "net-wrong-name", "net-tls-env", "net-win32-content-inspected", "net-extra-endpoints", "net-disabled",
    # (# net-healthy, net-no-nic, net-no-link, net-no-dhcp, net-nxdomain, net-dns-silent, net-tcp-reset,
    #    net-blackhole-bounded, net-untrusted-ca, net-captive-portal, net-clock-skew, net-http-500,
    #    net-services-blocked; test_netresult, test_trust)
    "rec-ambiguous", "rec-broken-beside-good", "rec-graph-not-assigned", "rec-hash-tpm-gone",
    "rec-hash-undecodable", "rec-model-mismatch", "rec-no-assigned-user",
    # (# rec-found, rec-not-found, rec-no-files, rec-hash-other-device, rec-partner-csv, rec-graph-page,
    #    rec-manufacturer-mismatch; test_records, test_hwhash)
    "sb-2023-required", "sb-dbx-shim-refused", "sb-other-key-refused", "sb-setup-mode-required",
    "sb-shim-no-mok-refused",   # (# sb-signed-runs, sb-unsigned-refused, sb-shim-mok-runs, sb-setup-mode, sb-dbx)
    "upload-503-then-ok", "upload-container-missing", "upload-sas-file-broad", "upload-no-network",
    # (# upload-ok, upload-early-403-https, upload-unreachable, upload-via-proxy, upload-sas-expired-large)
    "stick-ini-is-folder", "stick-ledger-is-folder", "stick-odd-file-names",   # (# stick-ledger-torn, ...)
    "proxy-http09", "wpad-pac-loop",           # (# proxy-unreachable, wpad-pac-syntax)
    "tpm-missing-allowed",                     # (# tpm-missing)
    # Third round, for the AArch64 pair that joined make test (aa64-screen, aa64-sb-unsigned-refused):
    "repeat-3-ipv6",                           # (# repeat-3-healthy, ipv6-dual, ipv6-only)
}


def collect(named=()):
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
    unknown = sorted(set(named) - set(names))
    if unknown:
        raise SystemExit(f"qemu: no scenario named {unknown}")
    if named or os.environ.get("PF_LONG") == "1":  # a scenario asked for by name runs, long or not
        return every
    return [s for s in every if not (s.long or s.name in TEST_LONG_ONLY)]

if __name__ == "__main__":
    sys.path.insert(0, HERE)
    sys.exit(main(collect(sys.argv[1:]), sys.argv))
