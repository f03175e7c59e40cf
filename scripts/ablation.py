#!/usr/bin/env python3
"""What each mechanism of the cycle model buys: a committed GPU run re-predicted with the GPU
preset as it is and with one mechanism switched off at a time (by a copy of the preset with that
mechanism's parameters neutralised), the time error per kernel family for each. CPU only.

    scripts/ablation.py docs/validation/h200-2026-12-01T1839-default.json [--flashscope BIN]

Prints a Markdown table (docs/VALIDATION.md, "What each mechanism buys").
"""
import argparse
import concurrent.futures
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile

# mechanism -> {preset key: value that switches it off}
ABLATIONS = [
    ("dependency latencies (mma, FMA, MUFU, ldmatrix, shuffle, barrier)",
     {"fp32_latency_cycles": 0.001, "mufu_latency_cycles": 0.001, "mma_latency_cycles": 0.001,
      "ldmatrix_latency_cycles": 0.001, "shfl_latency_cycles": 0.001, "barrier_cycles": 0.001}),
    ("issue slots (one warp instruction per clock per sub-partition)",
     {"issue_per_clk_per_smsp": 1000}),
    ("one warp's own mma.sync spacing", {"mma_one_warp_flops_per_clk_per_sm": "=bf16"}),
    ("L2 hit latency (a step's first access; loads a warp waits for, flash1's running output)",
     {"l2_latency_cycles": 0.001}),
    ("L2 atomic rate (dQ reductions)", {"l2_atomic_bytes_per_clk": 1e9}),
    ("HBM write rate apart from reads", {"hbm_write_bandwidth_gbps": "=read"}),
    ("the L2's write rate (stores and fills from HBM in, beside reads out)",
     {"l2_write_bytes_per_clk": "=l2_read"}),
    ("HBM read/write turnaround (copy rate)", {"hbm_copy_bandwidth_gbps": "=separate"}),
    ("FMA, MUFU and ALU work beside wgmma (flash3: FMA holds it back, all run slower)",
     {"wgmma_fma_hidden_share": 1, "wgmma_fma_rate_share": 1, "wgmma_mufu_rate_share": 1,
      "wgmma_alu_rate_share": 1}),
    ("FMA work beside mma.sync (flash1/flash2: FMA holds it back)", {"mma_fma_hidden_share": 1}),
    ("one SM's port to the L2 (global loads, stores and reductions, cp.async copies)",
     {"l2_sm_read_bytes_per_clk": 0, "l2_sm_write_bytes_per_clk": 0,
      "l2_sm_reduce_bytes_per_clk": 0, "l2_sm_line_read_bytes_per_clk": 0}),
    ("one warp's queued L2 loads (its outstanding requests)", {"l2_warp_load_cycles": 0}),
    ("the block scheduler's CTA starts", {"cta_launch_ns": 0}),
    ("a returning atomic's round trip (flash2 backward's dQ, ATOMG)", {"l2_atomic_latency_cycles": 0}),
    ("flash3's waits on its pipeline barriers (mbarrier try_wait)", {"mbarrier_wait_cycles": 0.001}),
]
FAMILIES = [("flash2_fwd", "flash2 forward"), ("flash2_bwd", "flash2 backward (main)"),
            ("flash1_fwd", "flash1 forward"), ("flash2_bwd_", "flash2 backward (row kernels)"),
            ("naive_", "naive (cuBLAS + softmax)"), ("flash3_fwd", "flash3 forward"),
            ("flash3_bwd", "flash3 backward (main)")]


def family_of(kernel):
    if kernel in ("flash2_fwd", "flash2_bwd", "flash1_fwd", "flash3_fwd", "flash3_bwd"):
        return kernel
    if kernel.startswith("flash2_bwd_"):
        return "flash2_bwd_"
    if kernel.startswith("naive_"):
        return "naive_"
    return None


def preset_variant(text, changes):
    bf16 = float(re.search(r"^\s+bf16:\s*([0-9.]+)", text, re.M).group(1))
    read = float(re.search(r"^hbm_bandwidth_gbps:\s*([0-9.]+)", text, re.M).group(1))
    write = float(re.search(r"^hbm_write_bandwidth_gbps:\s*([0-9.]+)", text, re.M).group(1))
    separate = 1 / (0.5 / read + 0.5 / write)  # half reads, half writes, no turnaround loss
    l2_read = float(re.search(r"^l2_bytes_per_clk:\s*([0-9.]+)", text, re.M).group(1))
    for key, value in changes.items():
        value = {"=bf16": bf16, "=read": read, "=separate": round(separate),
                 "=l2_read": l2_read}.get(value, value)
        text, n = re.subn(rf"^{key}:.*$", f"{key}: {value}", text, flags=re.M)
        assert n == 1, key
    return text


def errors(binary, validation, gpu, out):
    subprocess.run([binary, "validate", "--repredict", validation, "--gpu", gpu, "--out", out],
                   check=True, capture_output=True)
    by = {}
    for r in json.load(open(out))["records"]:
        fam = family_of(r["kernel"])
        m, p = r.get("measured", {}).get("time_s"), r.get("predicted", {}).get("time_s")
        if fam and m and p:
            by.setdefault(fam, []).append((p - m) / m)
    return by


def cell(values):
    return "%+.0f %% / %.0f %%" % (100 * statistics.median(values),
                                   100 * statistics.median([abs(v) for v in values]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("validation")
    ap.add_argument("--flashscope",
                    default=os.environ.get("FLASHSCOPE", "build/default/cli/flashscope"))
    args = ap.parse_args()
    preset = json.load(open(args.validation))["gpu_preset"]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    text = open(os.path.join(root, "configs", "gpus", preset + ".yaml")).read()
    rows = [("the model as it is", text)] + [(name, preset_variant(text, c)) for name, c in ABLATIONS]
    print("| switched off | " + " | ".join(label for _, label in FAMILIES) + " |")
    print("| --- |" + " --- |" * len(FAMILIES))
    with tempfile.TemporaryDirectory() as tmp:
        def one(i):
            gpu = os.path.join(tmp, f"gpu{i}.yaml")
            open(gpu, "w").write(rows[i][1])
            return errors(args.flashscope, args.validation, gpu, os.path.join(tmp, f"v{i}.json"))
        with concurrent.futures.ThreadPoolExecutor(2) as pool:
            results = list(pool.map(one, range(len(rows))))
        for (name, _), by in zip(rows, results):
            label = "nothing (" + name + ")" if name.startswith("the model") else name
            print(f"| {label} | " + " | ".join(cell(by[f]) if f in by else "—" for f, _ in FAMILIES) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
