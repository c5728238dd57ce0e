#!/usr/bin/env python3
"""Writes an Autopilot-style CSV: header, ROWS rows, serials PF-BENCH-000001..., ~4 KB Base64 hashes.

Usage: gen_csv.py OUT ROWS [SEED]
Deterministic for a seed, so that runs compare the same bytes.
"""
import base64
import random
import sys


def main():
    out, rows = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    # A pool of hash bodies keeps generation fast; every row still gets its own bytes at the front.
    pool = [base64.b64encode(rnd.randbytes(3072)).decode() for _ in range(64)]
    with open(out, "w", newline="") as f:
        f.write("Device Serial Number,Windows Product ID,Hardware Hash,Group Tag,Assigned User\r\n")
        for i in range(1, rows + 1):
            h = base64.b64encode(i.to_bytes(6, "little")).decode() + pool[i % 64][8:]
            f.write(f"PF-BENCH-{i:06d},,{h},Bench,user{i}@contoso.example\r\n")


if __name__ == "__main__":
    main()
