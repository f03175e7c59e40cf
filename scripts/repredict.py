#!/usr/bin/env python3
"""Re-predicts a committed validation file with the current simulator, without a GPU.

    scripts/repredict.py docs/validation/h200-2026-11-26-default.json [--flashscope BIN] [--gpu FILE]

Every configuration of the file's records is simulated again (`flashscope simulate`), joined by
kernel name with the measured record, and the time error is summarised per kernel: the median
signed and absolute error, p90, and the tile ranking's Spearman rho per problem. This is how a
model change is checked between GPU runs; the measured numbers are never used to set a parameter.
"""
import argparse
import collections
import concurrent.futures
import json
import statistics
import subprocess
import sys


def simulate(binary, gpu, problem, algorithm, tile):
    cmd = [binary, "simulate", "--gpu", gpu, "--algo", algorithm, "--pass", problem["pass"],
           "--batch", str(problem["batch"]), "--heads", str(problem["heads"]),
           "--kv-heads", str(problem["kv_heads"]), "--seq-q", str(problem["seq_q"]),
           "--seq-k", str(problem["seq_k"]), "--head-dim", str(problem["head_dim"]),
           "--dtype", problem["dtype"], "--format", "json"]
    if problem.get("causal"):
        cmd.append("--causal")
    if tile and tile.get("block_m"):
        cmd += ["--tile", "{block_m}x{block_n}x{warps}x{stages}".format(**tile)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return {k["name"]: k for k in json.loads(out)[0]["kernels"]}


def percentile(values, q):
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))]


def spearman(a, b):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        for rank, i in enumerate(order):
            r[i] = float(rank)
        return r
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    if n < 2:
        return None
    d2 = sum((x - y) ** 2 for x, y in zip(ra, rb))
    return 1 - 6 * d2 / (n * (n * n - 1))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("validation")
    ap.add_argument("--flashscope", default="build/default/cli/flashscope")
    ap.add_argument("--gpu", help="preset or YAML (default: the file's gpu_preset)")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    data = json.load(open(args.validation))
    gpu = args.gpu or data["gpu_preset"]
    records = [r for r in data["records"] if r.get("measured", {}).get("time_s")]
    configs = {}
    for r in records:
        key = json.dumps([r["problem"], r["algorithm"], r.get("tile")], sort_keys=True)
        configs[key] = (r["problem"], r["algorithm"], r.get("tile"))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {k: pool.submit(simulate, args.flashscope, gpu, *v) for k, v in configs.items()}
        predicted = {k: f.result() for k, f in futures.items()}

    errors = collections.defaultdict(list)
    tiles = collections.defaultdict(list)  # (problem, algorithm, kernel) -> [(measured, predicted)]
    for r in records:
        key = json.dumps([r["problem"], r["algorithm"], r.get("tile")], sort_keys=True)
        k = predicted[key].get(r["kernel"])
        if not k:
            continue
        m, p = r["measured"]["time_s"], k["time_s"]
        errors[r["kernel"]].append((p - m) / m)
        problem = json.dumps([r["problem"], r["algorithm"], r["kernel"]], sort_keys=True)
        tiles[problem].append((m, p))
    everything = [e for v in errors.values() for e in v]
    print(f"{'kernel':24} {'n':>4} {'signed':>8} {'|err|':>8} {'p90':>8}")
    for name, v in sorted(errors.items()):
        a = [abs(e) for e in v]
        print(f"{name:24} {len(v):4d} {statistics.median(v):+8.1%} {statistics.median(a):8.1%} "
              f"{percentile(a, 0.9):8.1%}")
    a = [abs(e) for e in everything]
    print(f"{'all':24} {len(a):4d} {statistics.median(everything):+8.1%} {statistics.median(a):8.1%} "
          f"{percentile(a, 0.9):8.1%}")
    rhos, best_ok = [], []
    for pairs in tiles.values():
        if len(pairs) < 3:
            continue
        rho = spearman([m for m, _ in pairs], [p for _, p in pairs])
        rhos.append(rho)
        fastest_measured = min(m for m, _ in pairs)
        model_pick = min(pairs, key=lambda x: x[1])[0]
        best_ok.append(model_pick <= 1.05 * fastest_measured)
    if rhos:
        print(f"tile ranking: {len(rhos)} problems, mean rho {statistics.mean(rhos):.2f}, "
              f"min {min(rhos):.2f}, model's fastest within 5 %: {sum(best_ok)}/{len(best_ok)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
