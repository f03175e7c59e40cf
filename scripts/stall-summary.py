#!/usr/bin/env python3
"""Where a kernel's warps stalled, from Nsight Compute's source page: the share of all warp-state
samples per stall reason, and the instructions that collected the most samples with their top
reasons. The CSVs are what `MODEL_PROBE_SOURCE=1 scripts/model-probe.sh` writes (NAME-source.csv).

    python3 scripts/stall-summary.py NAME-source.csv [--top 20]
    python3 scripts/stall-summary.py NAME-source.csv --by-opcode    (executed and samples per opcode)
    python3 scripts/stall-summary.py NAME-source.csv --sequence     (the hottest loop's opcodes in order)
    python3 scripts/stall-summary.py NAME-source.csv --phases       (a forward loop's samples by phase)

NAME-source.csv may be a member of a committed probe archive: PROBE.tgz:probe/NAME-source.csv.
"""
import argparse
import collections
import csv
import re
import tarfile


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("--top", type=int, default=20, help="instructions to list (default 20)")
    ap.add_argument("--by-opcode", action="store_true",
                    help="per opcode: executed warp instructions and its share of each reason")
    ap.add_argument("--sequence", action="store_true",
                    help="the instructions executed most often (the main loop), one letter each")
    ap.add_argument("--phases", action="store_true",
                    help="a forward kernel's loop cut at its first ldmatrix, the first FMNMX after "
                         "it, the first MUFU and its last HMMA: each part's share of the samples")
    args = ap.parse_args()
    rows = [r for r in csv.reader(read_text(args.csv).splitlines()) if r]
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
    if args.by_opcode:
        return by_opcode(args.csv, lines, all_samples)
    if args.sequence:
        return sequence(lines)
    if args.phases:
        return phases(lines)
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


def read_text(path):
    """A file, or a member of a committed probe archive named ARCHIVE.tgz:MEMBER."""
    if ".tgz:" in path:
        archive, member = path.split(".tgz:", 1)
        with tarfile.open(archive + ".tgz") as tar:
            return tar.extractfile(member).read().decode()
    with open(path) as f:
        return f.read()


def opcode(source):
    """The opcode without its predicate and modifiers: `@!P0 HMMA.16816.F32.BF16 ...` -> HMMA."""
    words = re.sub(r"^@!?U?P[T0-9]+\s+", "", source).split()
    return words[0].split(".")[0] if words else "?"


def by_opcode(path, lines, all_samples):
    executed = collections.Counter()
    reasons = collections.defaultdict(collections.Counter)
    for _, _, source, counts, n in lines:
        executed[opcode(source)] += n
        reasons[opcode(source)].update(counts)
    print(f"{path}: executed warp instructions (millions) and % of all samples per opcode")
    for op, n in executed.most_common():
        top = sorted(reasons[op].items(), key=lambda kv: -kv[1])[:3]
        why = " ".join(f"{k[6:]}={100 * v / all_samples:.1f}" for k, v in top if v)
        print(f"  {op:10s} {n / 1e6:9.2f}  {why}")
    print(f"  {'all':10s} {sum(executed.values()) / 1e6:9.2f}")


# One letter per opcode class for --sequence: tensor-core, exponentials, FP32, max, ldmatrix,
# packing, shuffles, barriers, global and shared accesses, spills; '.' for the rest.
LETTERS = {"HMMA": "H", "HGMMA": "H", "MUFU": "X", "FMUL": "f", "FFMA": "f", "FADD": "f",
           "FMNMX": "m", "LDSM": "L", "F2FP": "c", "SHFL": "s", "BAR": "B", "LDG": "G",
           "STG": "S", "LDGSTS": "A", "ATOMG": "T", "STS": "W", "LDS": "l", "LDL": "<", "STL": ">",
           "DEPBAR": "D"}


def loop_body(lines):
    """The loop body: the instructions of the execution count that does the most work."""
    counts = collections.Counter(n for *_, n in lines if n > 0)
    hottest = max(counts, key=lambda n: counts[n] * n)
    return hottest, [line for line in lines if line[4] == hottest]


def phases(lines):
    # With one warp per sub-partition a warp's samples are its timeline: each phase's share of
    # the loop's samples is its share of a step's time.
    _, body = loop_body(lines)
    ops = [opcode(source) for _, _, source, _, _ in body]
    first_ldsm = ops.index("LDSM")
    first_max = ops.index("FMNMX", first_ldsm)
    first_exp = ops.index("MUFU", first_max)
    last_mma = len(ops) - 1 - ops[::-1].index("HMMA")
    cuts = [("loop head, loads", 0, first_ldsm), ("S = QK^T", first_ldsm, first_max),
            ("row max, shuffles", first_max, first_exp), ("exp and P.V", first_exp, last_mma + 1),
            ("tail, stores", last_mma + 1, len(ops))]
    total = sum(line[0] for line in body)
    print(f"{len(body)} loop instructions, {total} samples:")
    for name, a, b in cuts:
        print(f"  {name:18s} {b - a:4d} instructions  {100 * sum(l[0] for l in body[a:b]) / total:5.1f} %")


def sequence(lines):
    hottest, body_lines = loop_body(lines)
    body = [opcode(source) for _, _, source, _, _ in body_lines]
    print(f"{len(body)} instructions executed {hottest} times each, in program order:")
    print("".join(LETTERS.get(op, ".") for op in body))
    print("H tensor core, X MUFU, f FP32, m FMNMX, L ldmatrix, c F2FP, s shuffle, B barrier, "
          "G/S global load/store, A cp.async, T atomic, l/W shared load/store, </> spill, D wait")


if __name__ == "__main__":
    main()
