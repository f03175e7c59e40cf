#!/usr/bin/env python3
"""How much faster the kernels of one validation run are than another's: per kernel, the median
of measured time(BEFORE) / time(AFTER) over the records the two runs share (same problem, tile,
algorithm and kernel). For the effect of a kernel change between two committed GPU runs.

    python3 scripts/compare-runs.py BEFORE.json AFTER.json [--min-seq N] [--field cycles]

--field cycles compares SM cycles instead of seconds: the clock is not locked and each record
carries the one its range ran at, so cycles take the clock's drift between runs out.
Prints a Markdown table: kernel, shared records, median, min and max speedup.
"""
import argparse
import json
import statistics
import sys


def key(record):
    return (json.dumps(record["problem"], sort_keys=True), json.dumps(record["tile"], sort_keys=True),
            record["algorithm"], record["kernel"])


def measured(path, field, min_seq):
    with open(path) as f:
        records = json.load(f)["records"]
    return {key(r): r["measured"][field] for r in records
            if field in r.get("measured", {}) and r["problem"]["seq_q"] >= min_seq}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("before")
    parser.add_argument("after")
    parser.add_argument("--min-seq", type=int, default=0, help="only problems with seq_q >= N")
    parser.add_argument("--field", choices=["time_s", "cycles"], default="time_s")
    args = parser.parse_args()
    before = measured(args.before, args.field, args.min_seq)
    after = measured(args.after, args.field, args.min_seq)
    by_kernel = {}
    for k, t in after.items():
        if k in before and t > 0:
            by_kernel.setdefault(k[3], []).append(before[k] / t)
    if not by_kernel:
        print("compare-runs.py: the two runs share no records", file=sys.stderr)
        return 1
    print("| kernel | records | median speedup | min | max |")
    print("| --- | --- | --- | --- | --- |")
    for kernel, r in sorted(by_kernel.items()):
        print(f"| {kernel} | {len(r)} | {statistics.median(r):.2f}x | {min(r):.2f}x | {max(r):.2f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
