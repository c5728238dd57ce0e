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


def collect():
    scenarios = []
    for path in sorted(glob.glob(os.path.join(HERE, "scen_*.py"))):
        module = importlib.import_module(os.path.basename(path)[:-3])
        scenarios.extend(s for s in module.SCENARIOS if not s.long or os.environ.get("PF_LONG") == "1")
    names = [s.name for s in scenarios]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise SystemExit(f"qemu: duplicate scenario names {dup}")
    return scenarios


if __name__ == "__main__":
    sys.path.insert(0, HERE)
    sys.exit(main(collect(), sys.argv))
