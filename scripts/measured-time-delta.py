#!/usr/bin/env python3
"""How much the measured kernel times of one validation run differ from another's, for the same
configurations: the median of (B - A) per kernel and sequence length, in microseconds. Used to
show what the held timer changed (docs/VALIDATION.md, Protocol notes):

usage: scripts/measured-time-delta.py A.json B.json
"""
import collections
import json
import statistics
import sys


def key(record):
    p = record["problem"]
    return (record["kernel"], record["algorithm"], p["seq_q"], p["seq_k"], p["head_dim"],
            p["causal"], p["pass"], json.dumps(record["tile"], sort_keys=True))


def measured_times(path):
    with open(path) as f:
        records = json.load(f)["records"]
    return {key(r): r["measured"]["time_s"] for r in records if "time_s" in r["measured"]}


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    before, after = measured_times(argv[1]), measured_times(argv[2])
    deltas = collections.defaultdict(list)
    for k, t in after.items():
        if k in before:
            deltas[(k[0], k[2])].append((t - before[k]) * 1e6)
    print("kernel                    seq   records  median B - A (us)")
    for (kernel, seq), values in sorted(deltas.items()):
        print(f"{kernel:<24} {seq:>6} {len(values):>8}  {statistics.median(values):+10.2f}")


if __name__ == "__main__":
    main(sys.argv)
