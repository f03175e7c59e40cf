#!/usr/bin/env python3
"""What the flash3 schedule predicts next to measurements it was never fitted to, as the Markdown
tables of docs/VALIDATION.md ("flash3 against Hopper kernels"). Checks, not targets: no preset
value or schedule constant is chosen from these rows.

    python3 scripts/flash3-checks.py --section sdpa [--flashscope PATH]
        cuDNN SDPA on the H200 (docs/validation/h200-2026-11-30-cudnn-sdpa.csv): measured TFLOP/s
        beside flash3's and flash2's predictions on the h200-sxm preset
    python3 scripts/flash3-checks.py --section ncu
        the committed Nsight Compute reports of cuDNN (h200-2026-11-30-ncu-foreign.tar.gz) joined
        to flash3 by `flashscope validate --ncu` (configs/ncu/kernels.yaml maps cuDNN's sm90
        kernels to flash3): per-kernel predicted and measured time
    python3 scripts/flash3-checks.py --section paper
        FlashAttention-3's published H100 figures (Shah et al. 2024, as in the team's anchors) beside
        flash3's prediction on the h100-sxm5 preset, FA3's benchmark shapes (batch x seq = 16k,
        hidden 2048)

The binary is --flashscope's, else $FLASHSCOPE's (docs_check.py sets it), else build/default's.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tarfile
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VALIDATION = os.path.join(ROOT, "docs", "validation")


def simulate(flashscope, gpu, algo, b, h, n, d, causal, pass_):
    cmd = [flashscope, "simulate", "--gpu", gpu, "--algo", algo, "--batch", str(b), "--heads",
           str(h), "--seq", str(n), "--head-dim", str(d), "--dtype", "bf16", "--pass", pass_,
           "--format", "json"]
    if causal:
        cmd.append("--causal")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out)[0]


def tflops(result, b, h, n, d, causal, pass_):
    flops = 4.0 * b * h * n * n * d * (0.5 if causal else 1.0) * (2.5 if pass_ == "bwd" else 1.0)
    return flops / result["totals"]["time_s"] / 1e12


def section_sdpa(flashscope):
    path = os.path.join(VALIDATION, "h200-2026-11-30-cudnn-sdpa.csv")
    rows = list(csv.DictReader(l for l in open(path, encoding="utf-8") if not l.startswith("#")))
    print("| shape (B×H×N×d) | causal | cuDNN fwd | flash3 fwd | flash2 fwd | cuDNN bwd | "
          "flash3 bwd | flash2 bwd |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    ratios = {"fwd": [], "bwd": []}
    for r in rows:
        b, h, n, d = (int(r[k]) for k in ("batch", "heads", "seq", "head_dim"))
        causal = r["causal"] == "1"
        cells = []
        for pass_ in ("fwd", "bwd"):
            measured = float(r[f"cudnn_{pass_}_tflops"])
            f3 = tflops(simulate(flashscope, "h200-sxm", "flash3", b, h, n, d, causal, pass_),
                        b, h, n, d, causal, pass_)
            f2 = tflops(simulate(flashscope, "h200-sxm", "flash2", b, h, n, d, causal, pass_),
                        b, h, n, d, causal, pass_)
            ratios[pass_].append(f3 / measured)
            cells += [f"{measured:.0f}", f"{f3:.0f} ({100 * (f3 / measured - 1):+.0f} %)", f"{f2:.0f}"]
        print(f"| {b}×{h}×{n}×{d} | {'yes' if causal else 'no'} | " + " | ".join(cells) + " |")
    for pass_ in ("fwd", "bwd"):
        v = sorted(ratios[pass_])
        print(f"\nflash3 {pass_} / cuDNN {pass_}: median {v[len(v) // 2]:.2f}, "
              f"range {v[0]:.2f} to {v[-1]:.2f} over {len(v)} shapes")


def section_ncu(flashscope):
    archive = os.path.join(VALIDATION, "h200-2026-11-30-ncu-foreign.tar.gz")
    print("| cuDNN kernel (b2 h16 n4096 d128 bf16) | compared with | predicted | measured | "
          "time err |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(archive) as tar:
        for pass_ in ("fwd", "bwd"):
            name = f"sdpa_cudnn_{pass_}.raw.csv"
            tar.extract(name, tmp)
            out = os.path.join(tmp, f"{pass_}.json")
            subprocess.run([flashscope, "validate", "--ncu", os.path.join(tmp, name),
                            "--batch", "2", "--heads", "16", "--seq", "4096", "--head-dim", "128",
                            "--pass", pass_, "--out", out], check=True, capture_output=True)
            for r in json.load(open(out, encoding="utf-8"))["records"]:
                p, m = r["predicted"]["time_s"], r["measured"]["time_s"]
                t = r["tile"]
                tile = f"{t['block_m']}x{t['block_n']}x{t['warps']}x{t['stages']}"
                print(f"| {pass_} | {r['kernel']} {tile} | {p * 1e6:.1f} us | {m * 1e6:.1f} us | "
                      f"{100 * (p / m - 1):+.1f} % |")


# FlashAttention-3 paper (Shah et al. 2024), H100 SXM5, 16-bit, non-causal, as the team's anchors
# quote them: d = 128 forward about 648 TFLOP/s and backward about 561.
PAPER = [(128, "fwd", 648), (128, "bwd", 561)]


def section_paper(flashscope):
    print("| H100 SXM5, d, pass, seq | FA3 paper | flash3 predicted | flash2 predicted |")
    print("| --- | --- | --- | --- |")
    for d, pass_, published in PAPER:
        for n in (4096, 16384):
            b, h = 16384 // n, 2048 // d
            f3 = tflops(simulate(flashscope, "h100-sxm5", "flash3", b, h, n, d, False, pass_),
                        b, h, n, d, False, pass_)
            f2 = tflops(simulate(flashscope, "h100-sxm5", "flash2", b, h, n, d, False, pass_),
                        b, h, n, d, False, pass_)
            print(f"| d {d}, {pass_}, {b}×{h}×{n} | ≈ {published} | {f3:.0f} | {f2:.0f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--section", choices=["sdpa", "ncu", "paper"], required=True)
    parser.add_argument("--flashscope", default=os.environ.get(
        "FLASHSCOPE", os.path.join(ROOT, "build", "default", "cli", "flashscope")))
    args = parser.parse_args()
    {"sdpa": section_sdpa, "ncu": section_ncu, "paper": section_paper}[args.section](
        args.flashscope)
    return 0


if __name__ == "__main__":
    sys.exit(main())
