#!/usr/bin/env python3
"""The SM issue model's instruction mix against Nsight Compute, per pipe, for the kernels of a
committed `scripts/model-probe.sh` run (default: docs/validation/h200-2026-11-30-model-probe.tgz).

    python3 scripts/instruction-check.py [PROBE.tgz]

For every case the same configuration is simulated (`flashscope simulate`, the binary in
$FLASHSCOPE or build/default/cli/flashscope) and the predicted executed warp instructions are set
beside the measured ones: (predicted - measured) / measured per class. Prints a Markdown table.
"""
import csv
import io
import json
import os
import subprocess
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# predicted field -> Nsight Compute metric
CLASSES = [("inst_tensor", "sm__inst_executed_pipe_tensor_op_hmma.sum", "mma.sync"),
           ("inst_ldsm", "smsp__sass_inst_executed_op_ldsm.sum", "ldmatrix"),
           ("inst_xu", "smsp__inst_executed_pipe_xu.sum", "MUFU"),
           ("inst_fp32", "smsp__inst_executed_pipe_fma.sum", "FMA pipe"),
           ("inst_alu", "smsp__inst_executed_pipe_alu.sum", "ALU pipe"),
           ("inst_total", "smsp__inst_executed.sum", "all")]


def measured(text):
    rows = list(csv.reader(io.StringIO(text)))
    header = next(i for i, r in enumerate(rows) if r and r[0] == "ID")
    values = dict(zip(rows[header], rows[header + 2]))  # the row after the units
    return {k: float(v.replace(",", "")) for k, v in values.items()
            if k.endswith(".sum") and v.replace(",", "").replace(".", "").isdigit()}


def predicted(binary, algo, pass_, tile, head_dim, causal):
    cmd = [binary, "simulate", "--gpu", "h200-sxm", "--algo", algo, "--pass", pass_, "--batch", "2",
           "--heads", "16", "--seq", "4096", "--head-dim", head_dim, "--tile", tile, "--format",
           "json"]
    if causal == "yes":
        cmd.append("--causal")
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return {k["name"]: k for k in out[0]["kernels"]}[f"{algo}_{pass_}"]


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        ROOT, "docs", "validation", "h200-2026-11-30-model-probe.tgz")
    binary = os.environ.get("FLASHSCOPE", os.path.join(ROOT, "build", "default", "cli", "flashscope"))
    print("| kernel (b2 h16 n4096, bf16) | " + " | ".join(c[2] for c in CLASSES) + " |")
    print("| --- |" + " --- |" * len(CLASSES))
    with tarfile.open(path) as tar:
        csvs = [m for m in tar.getmembers() if m.name.endswith(".csv")]
        for member in sorted(csvs, key=lambda m: m.name):
            name = os.path.basename(member.name)[:-4]  # algo-pass-tile-dD-causal
            algo, pass_, tile, dim, causal = name.split("-")
            m = measured(tar.extractfile(member).read().decode())
            p = predicted(binary, algo, pass_, tile, dim[1:], causal)
            cells = ["%+.0f %%" % (100 * (p[f] - m[k]) / m[k]) if m.get(k) else "—"
                     for f, k, _ in CLASSES]
            label = f"{algo} {pass_} {tile} d{dim[1:]}" + (" causal" if causal == "yes" else "")
            print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
