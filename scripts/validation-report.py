#!/usr/bin/env python3
"""Per-kernel breakdown of a `flashscope validate` JSON file (schema flashscope.validation/1):
the median signed relative error of each field per kernel, DRAM writes summed per pass, and the
time error split at seq 4096, and the file's own summary. Produces the tables of
docs/VALIDATION.md (scripts/docs_check.py re-runs it there).

usage: scripts/validation-report.py FILE.json [--section summary|ranks|kernels|passes|time|tiles|records|all]
                                              [--algorithm NAME]   (only that algorithm's records)
                                              [--kernel NAME]      (only that kernel's records)
"""
import argparse
import collections
import json
import statistics
import sys

FIELDS = ["hbm_read_bytes", "hbm_write_bytes", "l2_read_bytes", "l2_write_bytes",
          "sram_read_bytes", "sram_write_bytes", "time_s"]


def median_pct(values):
    return "%+.1f %%" % (100 * statistics.median(values)) if values else "—"


def pct(value, signed=False):
    text = ("%+.1f %%" if signed and value else "%.1f %%") % (100 * value)
    return text.replace("-", "−")


def percentile(values, q):
    """Linear interpolation between the two nearest ranks, as validate/src/statistics.cpp."""
    values = sorted(values)
    pos = q * (len(values) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (pos - lo) * (values[hi] - values[lo])


def summary(run):
    """The error summary `flashscope validate` wrote into the file, one row per metric."""
    print("| metric | records | median \\|err\\| | p90 \\|err\\| | median err |")
    print("| --- | --- | --- | --- | --- |")
    for e in run["summary"]["errors"]:
        print(f"| {e['metric']} | {e['count']} | {pct(e['median_abs_relative_error'])} | "
              f"{pct(e['p90_abs_relative_error'])} | {pct(e['median_relative_error'], signed=True)} |")
    # The rule: the seq-1024 kernels (tens of microseconds) are reported apart.
    for label, keep in (("time_s, seq >= 4096", lambda q: q >= 4096),
                        ("time_s, seq < 4096", lambda q: q < 4096)):
        errors = [r["relative_error"]["time_s"] for r in run["records"]
                  if r["kernel"] != "l2_dirty_at_end" and r["relative_error"].get("time_s") is not None
                  and keep(r["problem"]["seq_q"])]
        if errors:
            absolute = [abs(e) for e in errors]
            print(f"| {label} | {len(errors)} | {pct(percentile(absolute, 0.5))} | "
                  f"{pct(percentile(absolute, 0.9))} | {pct(percentile(errors, 0.5), signed=True)} |")
    # Dirty bytes left in L2 after a pass's last kernel, drained and measured: one record a pass.
    dirty = [r["relative_error"]["hbm_write_bytes"] for r in run["records"]
             if r["kernel"] == "l2_dirty_at_end" and r["relative_error"].get("hbm_write_bytes") is not None]
    if dirty:
        print(f"| l2_dirty_at_end (per pass) | {len(dirty)} | {pct(percentile([abs(e) for e in dirty], 0.5))} | "
              f"{pct(percentile([abs(e) for e in dirty], 0.9))} | {pct(percentile(dirty, 0.5), signed=True)} |")


def ranks(run):
    """Spearman rank agreement across tiles, per problem and kernel."""
    print("| metric | groups | mean ρ | min ρ |")
    print("| --- | --- | --- | --- |")
    for r in run["summary"]["rank_agreement"]:
        print(f"| {r['metric']} | {r['groups']} | {r['mean_spearman']:.2f} | "
              f"{r['min_spearman']:.2f} |".replace("-", "−"))


def kernels(run):
    records = [r for r in run["records"] if r["kernel"] != "l2_dirty_at_end"]
    by_kernel = collections.defaultdict(list)
    for r in records:
        by_kernel[r["kernel"]].append(r["relative_error"])
    print("| kernel | records | " + " | ".join(f.replace("_bytes", "") for f in FIELDS) + " |")
    print("| --- " * (len(FIELDS) + 2) + "|")
    for kernel, errors in sorted(by_kernel.items()):
        cells = [median_pct([e[f] for e in errors if e.get(f) is not None]) for f in FIELDS]
        print(f"| {kernel} | {len(errors)} | " + " | ".join(cells) + " |")


def passes(run):
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
    print("DRAM writes per pass (median signed error):")
    for (algorithm, pass_), errors in sorted(by_pass.items()):
        print(f"  {algorithm} {pass_}: {median_pct(errors)} over {len(errors)} passes")


def time_by_size(run):
    records = [r for r in run["records"] if r["kernel"] != "l2_dirty_at_end"]
    by_size = collections.defaultdict(list)
    for r in records:
        if r["relative_error"].get("time_s") is not None:
            size = "seq >= 4096" if r["problem"]["seq_q"] >= 4096 else "seq < 4096"
            by_size[(r["kernel"], size)].append(r["relative_error"]["time_s"])
    print("time (median signed error):")
    for (kernel, size), errors in sorted(by_size.items()):
        print(f"  {kernel:24} {size:12} {median_pct(errors)} ({len(errors)} records)")


def best_tile(run):
    """Per problem and kernel, and per pass (its kernels' times summed per tile), with 3 or more
    tiles: is the tile the model predicts fastest within 5 % of the measured fastest (what a user
    who follows the model loses)?"""
    kernels = collections.defaultdict(list)
    passes = collections.defaultdict(lambda: collections.defaultdict(lambda: [0.0, 0.0, True]))
    for r in run["records"]:
        if r["kernel"] == "l2_dirty_at_end":
            continue
        m, p = r.get("measured", {}).get("time_s"), r.get("predicted", {}).get("time_s")
        group = json.dumps([r["problem"], r["algorithm"]], sort_keys=True)
        times = passes[group][json.dumps(r["tile"], sort_keys=True)]
        if not (m and p):
            times[2] = False
            continue
        kernels[json.dumps([r["problem"], r["algorithm"], r["kernel"]], sort_keys=True)].append((m, p))
        times[0] += m
        times[1] += p
    pass_groups = [[(m, p) for m, p, complete in tiles.values() if complete]
                   for tiles in passes.values()]
    for label, groups in (("kernel", kernels.values()), ("pass", pass_groups)):
        groups = [g for g in groups if len(g) >= 3]
        hits = sum(min(g, key=lambda x: x[1])[0] <= 1.05 * min(m for m, _ in g) for g in groups)
        print(f"per {label}: the model's fastest tile is within 5 % of the measured fastest in "
              f"{hits} of {len(groups)} problems")
    # The passes it misses: which tile it picks, which one the card ran fastest, what it costs.
    for group, tiles in sorted(passes.items()):
        done = {t: (m, p) for t, (m, p, complete) in tiles.items() if complete}
        if len(done) < 3:
            continue
        picked = min(done, key=lambda t: done[t][1])
        fastest = min(done, key=lambda t: done[t][0])
        if done[picked][0] <= 1.05 * done[fastest][0]:
            continue
        problem, algorithm = json.loads(group)
        name = lambda t: "{block_m}x{block_n}x{warps}".format(**json.loads(t))
        print(f"  missed: {algorithm} {problem['pass']} seq {problem['seq_q']} d "
              f"{problem['head_dim']}{' causal' if problem['causal'] else ''}: predicted "
              f"{name(picked)}, measured {name(fastest)} "
              f"(+{100 * (done[picked][0] / done[fastest][0] - 1):.0f} %)")


def records(run):
    """Every record's time, predicted against measured (the per-tile errors quoted in the text)."""
    print("kernel seq d causal tile predicted_us measured_us time_err")
    for r in run["records"]:
        m, p = r.get("measured", {}).get("time_s"), r.get("predicted", {}).get("time_s")
        if not (m and p):
            continue
        q, t = r["problem"], r["tile"]
        tile = f"{t['block_m']}x{t['block_n']}x{t['warps']}x{t['stages']}"
        print(f"{r['kernel']} {q['seq_q']} {q['head_dim']} {'yes' if q['causal'] else 'no'} "
              f"{tile} {p * 1e6:.1f} {m * 1e6:.1f} {pct(p / m - 1, signed=True)}")


SECTIONS = {"summary": summary, "ranks": ranks, "kernels": kernels, "passes": passes,
            "time": time_by_size, "tiles": best_tile, "records": records}


def main(argv):
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("file")
    parser.add_argument("--section", choices=list(SECTIONS) + ["all"], default="all")
    parser.add_argument("--algorithm", help="keep only this algorithm's records (flash3, ...)")
    parser.add_argument("--kernel", help="keep only this kernel's records (flash1_fwd, ...)")
    args = parser.parse_args(argv[1:])
    with open(args.file) as f:
        run = json.load(f)
    if run.get("schema") != "flashscope.validation/1":
        sys.exit(f"{args.file}: not a flashscope.validation/1 file")
    if args.algorithm:
        run["records"] = [r for r in run["records"] if r.get("algorithm") == args.algorithm]
        if not run["records"]:
            sys.exit(f"{args.file}: no records of algorithm {args.algorithm}")
    if args.kernel:
        run["records"] = [r for r in run["records"] if r.get("kernel") == args.kernel]
        if not run["records"]:
            sys.exit(f"{args.file}: no records of kernel {args.kernel}")
    chosen = SECTIONS.values() if args.section == "all" else [SECTIONS[args.section]]
    for i, section in enumerate(chosen):
        if i:
            print()
        section(run)


if __name__ == "__main__":
    main(sys.argv)
