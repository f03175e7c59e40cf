#!/usr/bin/env python3
"""Median signed error per foreign-kernel case of a committed `60-ncu-foreign.sh` run (the
validation files inside its .tar.gz), as the Markdown table of docs/VALIDATION.md. The
measurements are the run's; the predictions are today's model's (`flashscope validate
--repredict`, the binary in $FLASHSCOPE or build/default/cli/flashscope).

    python3 scripts/foreign-summary.py [docs/validation/h200-2026-11-30-ncu-foreign.tar.gz]
"""
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile

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


def repredicted(binary, tar, member):
    """The member's records predicted by today's model; where today's model refuses the
    configuration (e.g. a tile past the register limit), the records as predicted at run time
    and the one-line reason."""
    with tempfile.TemporaryDirectory() as tmp:
        measured = os.path.join(tmp, "measured.json")
        with open(measured, "wb") as f:
            f.write(tar.extractfile(member).read())
        out = os.path.join(tmp, "repredicted.json")
        run = subprocess.run([binary, "validate", "--repredict", measured, "-o", out],
                             capture_output=True, text=True)
        if run.returncode != 0:
            with open(measured) as f:
                return json.load(f)["records"], run.stderr.strip().removeprefix("flashscope: error: ")
        with open(out) as f:
            return json.load(f)["records"], None


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "docs", "validation", "h200-2026-11-30-ncu-foreign.tar.gz")
    print("| kernels | compared | kernel names | " + " | ".join(l for _, l in FIELDS) + " |")
    print("| --- | --- | --- |" + " --- |" * len(FIELDS))
    binary = os.environ.get("FLASHSCOPE", os.path.join(ROOT, "build", "default", "cli", "flashscope"))
    with tarfile.open(path) as tar:
        for case, label in CASES:
            records, refused = repredicted(binary, tar, case + ".validation.json")
            names = ", ".join(sorted({r["kernel"] for r in records}))
            if refused:
                label += f" (as predicted at run time; today's model refuses it: {refused})"
            print(f"| {label} | {len(records)} | {names} | " +
                  " | ".join(cell(records, f) for f, _ in FIELDS) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
