#!/usr/bin/env python3
"""Per-kernel breakdown of a `flashscope validate` JSON file (schema flashscope.validation/1):
the median signed relative error of each field per kernel, DRAM writes summed per pass, and the
time error split at seq 4096. Produces the tables of docs/VALIDATION.md.

usage: scripts/validation-report.py FILE.json
"""
import collections
import json
import statistics
import sys

FIELDS = ["hbm_read_bytes", "hbm_write_bytes", "l2_read_bytes", "l2_write_bytes",
          "sram_read_bytes", "sram_write_bytes", "time_s"]


def median_pct(values):
    return "%+.1f %%" % (100 * statistics.median(values)) if values else "—"


def main(path):
    with open(path) as f:
        run = json.load(f)
    if run.get("schema") != "flashscope.validation/1":
        sys.exit(f"{path}: not a flashscope.validation/1 file")
    records = [r for r in run["records"] if r["kernel"] != "l2_dirty_at_end"]

    by_kernel = collections.defaultdict(list)
    for r in records:
        by_kernel[r["kernel"]].append(r["relative_error"])
    print("| kernel | records | " + " | ".join(f.replace("_bytes", "") for f in FIELDS) + " |")
    print("| --- " * (len(FIELDS) + 2) + "|")
    for kernel, errors in sorted(by_kernel.items()):
        cells = [median_pct([e[f] for e in errors if e.get(f) is not None]) for f in FIELDS]
        print(f"| {kernel} | {len(errors)} | " + " | ".join(cells) + " |")

    # DRAM writes of a whole pass, its end-of-pass write-back record included.
    passes = collections.defaultdict(lambda: [0, 0])
    for r in run["records"]:
        key = json.dumps([r["problem"], r["algorithm"], r["tile"]], sort_keys=True)
        passes[key][0] += r["predicted"].get("hbm_write_bytes") or 0
        passes[key][1] += r["measured"].get("hbm_write_bytes") or 0
    by_pass = collections.defaultdict(list)
    for key, (predicted, measured) in passes.items():
        problem, algorithm, _ = json.loads(key)
        if measured > 0:
            by_pass[(algorithm, problem["pass"])].append((predicted - measured) / measured)
    print("\nDRAM writes per pass (median signed error):")
    for (algorithm, pass_), errors in sorted(by_pass.items()):
        print(f"  {algorithm} {pass_}: {median_pct(errors)} over {len(errors)} passes")

    by_size = collections.defaultdict(list)
    for r in records:
        if r["relative_error"].get("time_s") is not None:
            size = "seq >= 4096" if r["problem"]["seq_q"] >= 4096 else "seq < 4096"
            by_size[(r["kernel"], size)].append(r["relative_error"]["time_s"])
    print("\ntime (median signed error):")
    for (kernel, size), errors in sorted(by_size.items()):
        print(f"  {kernel:24} {size:12} {median_pct(errors)} ({len(errors)} records)")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
