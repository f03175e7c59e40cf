#!/usr/bin/env python3
"""The summary table of a scripts/gpu-check.sh run: flashscope bench against PyTorch SDPA, per pass,
shape and mask, from the two JSON-lines files the run writes (bench-flashscope.jsonl,
bench-sdpa.jsonl). TFLOP/s unless marked ms; the ratios are flash2 / PyTorch flash, flash3 /
cuDNN and naive / eager time.

    scripts/gpu-check-table.py FLASHSCOPE.jsonl SDPA.jsonl [--markdown]
"""
import argparse
import json

COLUMNS = ["pass", "shape BxHxNxD", "causal", "flash2", "pt-flash", "f2/pt", "cudnn", "flash3",
           "f3/cudnn", "flash1", "naive ms", "eager ms", "n/e"]


def rows_of(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def find(rows, **want):
    for r in rows:
        if all(r.get(k) == v for k, v in want.items()):
            return r
    return {}


def ratio(a, b, key):
    return f"{a[key] / b[key]:.2f}" if a.get(key) and b.get(key) else "-"


def table(ours, torch):
    tf = lambda r: f"{r['tflops']:.0f}" if r.get("tflops") else "-"
    ms = lambda r: f"{r['median_ms']:.2f}" if r.get("median_ms") else "-"
    keys = sorted({(r["pass"], r["head_dim"], r["seq_q"], r["batch"], r["heads"], r["causal"])
                   for r in ours}, key=lambda k: (k[0] != "fwd", -k[1], k[2], k[5]))
    out = []
    for p, d, n, b, h, c in keys:
        mine = lambda algo: find(ours, algo=algo, head_dim=d, seq_q=n, causal=c, **{"pass": p})
        pt = lambda backend: find(torch, backend=backend, head_dim=d, seq=n, causal=c, **{"pass": p})
        f1, f2, f3, nv = mine("flash1"), mine("flash2"), mine("flash3"), mine("naive")
        pf, cd, en = pt("flash"), pt("cudnn"), pt("naive")
        naive_eager = (f"{nv['median_ms'] / en['median_ms']:.2f}"
                       if nv.get("median_ms") and en.get("median_ms") else "-")
        out.append([p, f"{b}x{h}x{n}x{d}", "yes" if c else "no", tf(f2), tf(pf),
                    ratio(f2, pf, "tflops"), tf(cd), tf(f3), ratio(f3, cd, "tflops"), tf(f1),
                    ms(nv), ms(en), naive_eager])
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("flashscope")
    parser.add_argument("sdpa")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    rows = table(rows_of(args.flashscope), rows_of(args.sdpa))
    if args.markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("| " + " | ".join(["---"] * 3 + ["---:"] * (len(COLUMNS) - 3)) + " |")
        for r in rows:
            print("| " + " | ".join(r) + " |")
        return
    widths = [max(len(c), *(len(r[i]) for r in rows)) if rows else len(c)
              for i, c in enumerate(COLUMNS)]
    for r in [COLUMNS] + rows:
        print("  ".join(v.ljust(w) if i < 3 else v.rjust(w) for i, (v, w) in
                        enumerate(zip(r, widths))).rstrip())
    print("(TFLOP/s unless ms)")


if __name__ == "__main__":
    main()
