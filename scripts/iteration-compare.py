#!/usr/bin/env python3
"""A tiled kernel's fixed cost and one loop iteration's, measured against predicted.

    python3 scripts/iteration-compare.py PROBE.txt --algo flash3 [--gpu h200-sxm]

PROBE.txt is what scripts/lib/iteration_probe.sh printed on the card (scripts/flash3-iteration-
probe.sh, scripts/flash2-bwd-cta-cost-probe.sh): one pass time per tile and sequence length, the
CTAs fixed and the loop growing. Each point is simulated the same way (`flashscope simulate`, the
binary in $FLASHSCOPE or build/default/cli/flashscope, batch 2 x 16 heads, bf16, the whole pass),
and both series are fitted with a line in the loop's iterations: its intercept is the CTAs' fixed
cost (prologue, epilogue, start, over all waves), its slope one iteration's over all waves.
Prints a Markdown table.
"""
import argparse
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def line_fit(xs, ys):
    n = len(xs)
    mx, my = sum(xs) / n, sum(ys) / n
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    return my - slope * mx, slope


def predicted_us(binary, gpu, algo, pass_, tile, head_dim, seq_q, seq_k):
    cmd = [binary, "simulate", "--gpu", gpu, "--algo", algo, "--pass", pass_, "--dtype", "bf16",
           "--batch", "2", "--heads", "16", "--seq-q", str(seq_q), "--seq-k", str(seq_k),
           "--head-dim", str(head_dim), "--tile", tile, "--format", "json"]
    out = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return 1e6 * sum(k["time_s"] for k in out[0]["kernels"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("probe")
    parser.add_argument("--algo", required=True)
    parser.add_argument("--gpu", default="h200-sxm")
    args = parser.parse_args()
    binary = os.environ.get("FLASHSCOPE", os.path.join(ROOT, "build", "default", "cli", "flashscope"))
    with open(args.probe) as f:
        lines = [line.split() for line in f if line.strip()]
    header, rows = lines[0], lines[1:]
    pass_ = header[-1].split("_")[0]  # fwd_pass_us / bwd_pass_us
    cases = {}
    for d, tile, seq_q, seq_k, us in rows:
        cases.setdefault((int(d), tile), []).append((int(seq_q), int(seq_k), float(us)))
    print(f"| {args.algo} {pass_}, tile | d | iterations | fixed cost: measured | predicted "
          "| one iteration: measured | predicted | error |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for (d, tile), points in cases.items():
        block_m, block_n = (int(v) for v in tile.split("x")[:2])
        seq_q = {p[0] for p in points}
        # The loop runs over the sequence that varies: keys in the forward, queries backward.
        looped_k = len(seq_q) == 1
        iterations = [p[1] // block_n if looped_k else p[0] // block_m for p in points]
        measured = [p[2] for p in points]
        predicted = [predicted_us(binary, args.gpu, args.algo, pass_, tile, d, p[0], p[1])
                     for p in points]
        m0, m1 = line_fit(iterations, measured)
        p0, p1 = line_fit(iterations, predicted)
        print(f"| {tile} | {d} | {min(iterations)}–{max(iterations)} | {m0:.1f} µs | {p0:.1f} µs "
              f"| {m1:.2f} µs | {p1:.2f} µs | {100 * (p1 / m1 - 1):+.1f} % |")


if __name__ == "__main__":
    main()
