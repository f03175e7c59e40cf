#!/usr/bin/env python3
"""Where a kernel's warps stalled, from Nsight Compute's source page: the share of all warp-state
samples per stall reason, and the instructions that collected the most samples with their top
reasons. The CSVs are what `MODEL_PROBE_SOURCE=1 scripts/model-probe.sh` writes (NAME-source.csv).

    python3 scripts/stall-summary.py NAME-source.csv [--top 20]
"""
import argparse
import collections
import csv
import re


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--top", type=int, default=20, help="instructions to list (default 20)")
    args = ap.parse_args()
    rows = [r for r in csv.reader(open(args.csv)) if r]
    head = next(i for i, r in enumerate(rows) if "Address" in r and "Source" in r)
    names = rows[head]
    col = names.index
    reasons = [n for n in names if n.startswith("stall_") and "(Not Issued)" not in n]
    total = collections.Counter()
    lines = []
    for r in rows[head + 1:]:
        if len(r) < len(names):
            continue
        counts = {n: int(r[col(n)] or 0) for n in reasons}
        total.update(counts)
        samples = int(r[col("Warp Stall Sampling (All Samples)")] or 0)
        source = re.sub(r"\s+", " ", r[col("Source")]).strip()
        lines.append((samples, r[col("Address")], source, counts,
                      int(r[col("Instructions Executed")] or 0)))
    all_samples = sum(total.values())
    if all_samples == 0:
        raise SystemExit(f"{args.csv}: no warp-state samples")
    print(f"{args.csv}: {all_samples} samples")
    for name, n in total.most_common():
        if n:
            print(f"  {name[6:]:18s} {100 * n / all_samples:5.1f} %")
    print(f"the {args.top} instructions with the most samples (% of all; top reasons):")
    for samples, address, source, counts, executed in sorted(lines, key=lambda x: -x[0])[:args.top]:
        top = sorted(counts.items(), key=lambda kv: -kv[1])[:3]
        why = " ".join(f"{k[6:]}={100 * v / all_samples:.1f}" for k, v in top if v)
        print(f"  {100 * samples / all_samples:5.1f} %  {address[-6:]}  {source[:56]:56s} "
              f"executed {executed}  {why}")


if __name__ == "__main__":
    main()
