#!/usr/bin/env python3
"""Summaries of the shipped sweeps (configs/sweeps/) as docs/SWEEPS.md quotes them.

    flashscope sweep configs/sweeps/gpus.yaml --out gpus.csv
    python3 scripts/sweep_summaries.py gpus gpus.csv         # likewise: tiles, seq_fit

docs_facts.py derives SWEEPS.md's numbers from the same functions, so the text and this output
cannot drift apart (scripts/docs_check.py).
"""
import collections
import csv
import io
import sys


def read_rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def _ok(rows):
    return [r for r in rows if r["status"] == "ok"]


def gpus_summary(rows):
    """gpus.yaml: time_s from the A100 40 GB to the H200 per algo, and flash2 against naive."""
    time = {(r["gpu"], r["algo"], r["pass"], r["head_dim"], r["seq_q"]): float(r["time_s"]) for r in _ok(rows)}
    cases = sorted({k[2:] for k in time})
    speedup, bottlenecks = {}, collections.defaultdict(set)
    for algo in ("naive", "flash1", "flash2"):
        ratios = [time[("a100-sxm4-40gb", algo) + c] / time[("h200-sxm", algo) + c] for c in cases]
        speedup[algo] = (min(ratios), max(ratios))
    for r in _ok(rows):
        bottlenecks[r["algo"]].add(r["bottleneck"])
    gains = sorted((time[(g, "naive") + c] / time[(g, "flash2") + c], g) + c
                   for g in sorted({k[0] for k in time}) for c in cases)

    def gain(gpu, algo, case):
        return time[(gpu, "naive") + case] / time[(gpu, algo) + case]

    # Per pass: in how many cases flash2's gain over naive grows from the A100 40 GB to the H200.
    grows = {p: sum(gain("h200-sxm", "flash2", c) > gain("a100-sxm4-40gb", "flash2", c) for c in cases if c[0] == p)
             for p in sorted({c[0] for c in cases})}
    cases_per_pass = {p: sum(c[0] == p for c in cases) for p in grows}
    flash1_behind = sum(gain(g, "flash1", c) < 1 for g in sorted({k[0] for k in time}) for c in cases)
    return {"speedup": speedup, "bottlenecks": bottlenecks, "least": gains[0], "most": gains[-1],
            "flash2_gain_grows": grows, "cases_per_pass": cases_per_pass,
            "flash1_behind_naive": (flash1_behind, len(cases) * len({k[0] for k in time}))}


def tiles_summary(rows):
    """tiles.yaml: infeasible rows, and per (head_dim, causal) the fastest tile and the spread."""
    best = {}
    for key in sorted({(int(r["head_dim"]), r["causal"]) for r in _ok(rows)}):
        group = sorted((r for r in _ok(rows) if (int(r["head_dim"]), r["causal"]) == key),
                       key=lambda r: float(r["time_s"]))
        fastest = group[0]
        tile = f"{fastest['block_m']}x{fastest['block_n']}, {fastest['warps']} warps, {fastest['stages']} stages"
        best[key] = (tile, float(group[-1]["time_s"]) / float(fastest["time_s"]))
    return {"points": len(rows), "infeasible": sum(r["status"] == "infeasible" for r in rows), "best": best}


def seq_fit_summary(rows):
    """seq_fit.yaml: per GPU and algo, the shortest sequence that no longer fits in HBM (None: all fit)."""
    first_misfit = {}
    for r in sorted(_ok(rows), key=lambda r: int(r["seq_q"])):
        key = (r["gpu"], r["algo"])
        first_misfit.setdefault(key, None)
        if r["fits_hbm"] == "false" and first_misfit[key] is None:
            first_misfit[key] = int(r["seq_q"])
    return first_misfit


def tokens(n):
    """32768 -> '32k'."""
    return f"{n // 1024}k" if n % 1024 == 0 else str(n)


def print_gpus(s):
    print("A100 40 GB -> H200, time_s ratio over pass, head_dim and seq:")
    for algo, (low, high) in s["speedup"].items():
        print(f"  {algo:7s} {low:.2f}x .. {high:.2f}x   bottleneck: {', '.join(sorted(s['bottlenecks'][algo]))}")
    for name in ("least", "most"):
        ratio, gpu, pas, head_dim, seq = s[name]
        print(f"flash2 over naive, {name}: {ratio:.2f}x ({gpu}, {pas}, head_dim {head_dim}, seq {seq})")


def print_tiles(s):
    print(f"{s['infeasible']} of {s['points']} points infeasible")
    for (head_dim, causal), (tile, spread) in s["best"].items():
        print(f"head_dim {head_dim} causal {causal}: fastest {tile}; slowest feasible {spread:.2f}x slower")


def print_seq_fit(s):
    for (gpu, algo), seq in s.items():
        print(f"{gpu} {algo}: " + (f"does not fit from seq {tokens(seq)}" if seq else "fits at every seq"))


def main():
    summaries = {"gpus": (gpus_summary, print_gpus), "tiles": (tiles_summary, print_tiles),
                 "seq_fit": (seq_fit_summary, print_seq_fit)}
    if len(sys.argv) != 3 or sys.argv[1] not in summaries:
        sys.exit(f"usage: {sys.argv[0]} {{{','.join(summaries)}}} SWEEP.csv (- for stdin)")
    text = sys.stdin.read() if sys.argv[2] == "-" else open(sys.argv[2], encoding="utf-8").read()
    summarize, show = summaries[sys.argv[1]]
    show(summarize(read_rows(text)))


if __name__ == "__main__":
    main()
