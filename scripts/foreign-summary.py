#!/usr/bin/env python3
"""Median signed error per foreign-kernel case of a committed `60-ncu-foreign.sh` run (the
validation files inside its .tar.gz), as the Markdown table of docs/VALIDATION.md.

    python3 scripts/foreign-summary.py [docs/validation/h200-2026-11-30-ncu-foreign.tar.gz]
"""
import json
import os
import statistics
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = [("sdpa_flash_fwd", "PyTorch FlashAttention-2 forward"),
         ("sdpa_flash_bwd", "PyTorch FlashAttention-2 backward"),
         ("sdpa_cudnn_fwd", "cuDNN forward"),
         ("sdpa_cudnn_bwd", "cuDNN backward")]
FIELDS = [("time_s", "time"), ("flops_matmul", "FLOPs"), ("hbm_read_bytes", "hbm_read"),
          ("l2_read_bytes", "l2_read")]


def cell(records, field):
    errors = [r["relative_error"][field] for r in records
              if r.get("relative_error", {}).get(field) is not None]
    return "%+.1f %%" % (100 * statistics.median(errors)) if errors else "—"


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "docs", "validation", "h200-2026-11-30-ncu-foreign.tar.gz")
    print("| kernels | compared | kernel names | " + " | ".join(l for _, l in FIELDS) + " |")
    print("| --- | --- | --- |" + " --- |" * len(FIELDS))
    with tarfile.open(path) as tar:
        for case, label in CASES:
            records = json.load(tar.extractfile(case + ".validation.json"))["records"]
            names = ", ".join(sorted({r["kernel"] for r in records}))
            print(f"| {label} | {len(records)} | {names} | " +
                  " | ".join(cell(records, f) for f, _ in FIELDS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
