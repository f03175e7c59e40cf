#!/usr/bin/env python3
"""PyTorch baselines for `flashscope bench`: scaled_dot_product_attention with the flash, cuDNN and
memory-efficient backends, and the eager naive expression (matmul, mask, softmax, matmul), timed the
same way (CUDA events, L2 flushed before each timed run, median of runs) on the same shapes.

FLOPs = 4*B*H*N_q*N_k*d, halved when causal; backward 2.5x, forward+backward 3.5x.
Note: PyTorch's is_causal is top-left aligned, flashscope's causal mask bottom-right aligned; they
agree when seq_q == seq_k (the shapes benchmarked here). The eager naive path uses a bottom-right mask.
"""
import argparse
import json
import statistics
import sys

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

BACKENDS = {
    "flash": SDPBackend.FLASH_ATTENTION,
    "cudnn": SDPBackend.CUDNN_ATTENTION,
    "efficient": SDPBackend.EFFICIENT_ATTENTION,
}


def flops(b, h, sq, sk, d, causal, pass_):
    f = 4.0 * b * h * sq * sk * d
    if causal:
        f /= 2
    return f * {"fwd": 1.0, "bwd": 2.5, "fwdbwd": 3.5}[pass_]


def naive_attention(q, k, v, causal, scale):
    s = torch.matmul(q, k.transpose(-2, -1)) * scale
    if causal:
        sq, sk = q.shape[-2], k.shape[-2]
        mask = torch.ones(sq, sk, dtype=torch.bool, device=q.device).tril(diagonal=sk - sq)
        s = s.masked_fill(~mask, float("-inf"))
    p = torch.softmax(s, dim=-1)
    return torch.matmul(p, v)


def time_fn(fn, warmup, repeat, flush):
    for _ in range(warmup):
        fn()
    times = []
    start, stop = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    for _ in range(repeat):
        flush.zero_()
        start.record()
        fn()
        stop.record()
        stop.synchronize()
        times.append(start.elapsed_time(stop))
    return statistics.median(times), min(times)


def bench_one(name, args, q, k, v, dout, flush):
    """Median and minimum ms of one backend on one configuration (args: batch .. pass_)."""
    scale = 1.0 / (args.head_dim ** 0.5)
    if name == "naive":
        forward = lambda: naive_attention(q, k, v, args.causal, scale)
    else:
        backend = BACKENDS[name]

        def forward():
            with sdpa_kernel([backend]):
                return F.scaled_dot_product_attention(q, k, v, is_causal=args.causal, scale=scale)

    if args.pass_ == "fwd":
        with torch.no_grad():
            return time_fn(forward, args.warmup, args.repeat, flush)
    if args.pass_ == "fwdbwd":
        def step():
            out = forward()
            out.backward(dout)
        return time_fn(step, args.warmup, args.repeat, flush)
    out = forward()  # bwd: the graph of one forward, backward replayed
    return time_fn(lambda: out.backward(dout, retain_graph=True), args.warmup, args.repeat, flush)


def parse_shape(text):
    b, h, n, d = (int(x) for x in text.lower().split("x"))
    return b, h, n, d


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", action="append", default=None,
                        help="BxHxNxD, repeatable (default 4x16x4096x128)")
    parser.add_argument("--dtype", default="bf16", choices=["bf16", "fp16"])
    parser.add_argument("--causal", default="no", help="no, yes or no,yes")
    parser.add_argument("--pass", dest="passes", default="fwd", help="fwd, bwd, fwdbwd or a comma list")
    parser.add_argument("--backends", default="flash,cudnn,efficient,naive")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--format", default="table", choices=["table", "json"])
    args = parser.parse_args()

    dtype = torch.bfloat16 if args.dtype == "bf16" else torch.float16
    l2 = torch.cuda.get_device_properties(0).L2_cache_size
    flush = torch.empty(max(2 * l2, 64 << 20), dtype=torch.uint8, device="cuda")
    records = []
    if args.format == "table":
        print(f"device: {torch.cuda.get_device_name(0)}  torch {torch.__version__}")
        print(f"{'backend':<10} {'pass':<7} {'dtype':<5} {'shape (BxHxNxD)':<20} {'causal':<6} "
              f"{'median_ms':>10} {'min_ms':>10} {'TFLOP/s':>9}")
    for shape_text in args.shape or ["4x16x4096x128"]:
        b, h, n, d = parse_shape(shape_text)
        for causal in [c == "yes" for c in args.causal.split(",")]:
            for pass_ in args.passes.split(","):
                run = argparse.Namespace(batch=b, heads=h, seq=n, head_dim=d, causal=causal, pass_=pass_,
                                         warmup=args.warmup, repeat=args.repeat)
                gen = torch.Generator(device="cuda").manual_seed(1)
                make = lambda: (torch.rand((b, h, n, d), device="cuda", dtype=dtype, generator=gen) * 2 - 1
                                ).requires_grad_(pass_ != "fwd")
                q, k, v = make(), make(), make()
                dout = torch.rand((b, h, n, d), device="cuda", dtype=dtype, generator=gen) * 2 - 1
                for name in args.backends.split(","):
                    rec = {"device": torch.cuda.get_device_name(0), "backend": name, "pass": pass_,
                           "dtype": args.dtype, "batch": b, "heads": h, "seq": n, "head_dim": d, "causal": causal}
                    try:
                        median, best = bench_one(name, run, q, k, v, dout, flush)
                        rec.update(median_ms=median, min_ms=best,
                                   tflops=flops(b, h, n, n, d, causal, pass_) / (median * 1e-3) / 1e12)
                    except (RuntimeError, torch.cuda.OutOfMemoryError) as error:  # unavailable backend, OOM
                        rec.update(error=str(error).splitlines()[0][:120])
                    for t in (q, k, v):
                        t.grad = None
                    torch.cuda.empty_cache()
                    records.append(rec)
                    if args.format == "table":
                        print_record(rec)
                del q, k, v, dout
                torch.cuda.empty_cache()
    if args.format == "json":
        json.dump(records, sys.stdout, indent=1)
        print()


def print_record(r):
    shape_text = f"{r['batch']}x{r['heads']}x{r['seq']}x{r['head_dim']}"
    head = f"{r['backend']:<10} {r['pass']:<7} {r['dtype']:<5} {shape_text:<20} {'yes' if r['causal'] else 'no':<6}"
    if "error" in r:
        print(f"{head} error: {r['error']}", flush=True)
    else:
        print(f"{head} {r['median_ms']:>10.3f} {r['min_ms']:>10.3f} {r['tflops']:>9.1f}", flush=True)


if __name__ == "__main__":
    main()
