#!/usr/bin/env python3
"""What PyTorch's eager autograd runs for softmax(q @ k.transpose(-2, -1) * scale) @ v, to compare
with `flashscope simulate --algo naive --naive-eager` (docs/MODEL.md, "naive, eager").

    python3 scripts/eager-autograd.py                      # CPU: the aten ops, forward and backward
    python3 scripts/eager-autograd.py --device cuda --batch 1 --heads 32 --seq 16384 --head-dim 128
        # GPU: the CUDA kernels launched and torch.cuda.max_memory_allocated() per pass

Views (transpose, expand, _reshape_alias, _unsafe_view, detach) launch nothing and are left out.
"""
import argparse

import torch
from torch.utils._python_dispatch import TorchDispatchMode

VIEWS = ("transpose", "expand", "_reshape_alias", "_unsafe_view", "detach", "is_same_size", "view")


class AtenOps(TorchDispatchMode):
    def __init__(self):
        super().__init__()
        self.ops = []

    def __torch_dispatch__(self, func, types, args=(), kwargs=None):
        name = str(func).split(".")[1]
        if name not in VIEWS:
            self.ops.append(name)
        return func(*args, **(kwargs or {}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--heads", type=int, default=2)
    parser.add_argument("--seq", type=int, default=256)
    parser.add_argument("--head-dim", type=int, default=64)
    parser.add_argument("--dtype", default="float16")
    args = parser.parse_args()
    dtype = getattr(torch, args.dtype) if args.device != "cpu" else torch.float32
    shape = (args.batch, args.heads, args.seq, args.head_dim)
    q, k, v = (torch.randn(shape, device=args.device, dtype=dtype, requires_grad=True) for _ in range(3))
    do = torch.randn(shape, device=args.device, dtype=dtype)
    scale = args.head_dim ** -0.5

    def forward():
        return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=-1) @ v

    if args.device == "cpu":
        with AtenOps() as fwd:
            o = forward()
        with AtenOps() as bwd:
            o.backward(do)
        print("forward: ", ", ".join(fwd.ops))
        print("backward:", ", ".join(bwd.ops))
        return

    from torch.profiler import ProfilerActivity, profile

    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    with profile(activities=[ProfilerActivity.CUDA]) as prof:
        o = forward()
        torch.cuda.synchronize()
        fwd_peak = torch.cuda.max_memory_allocated() - base
        torch.cuda.reset_peak_memory_stats()
        o.backward(do)
        torch.cuda.synchronize()
    all_peak = torch.cuda.max_memory_allocated() - base
    kernels = [e.name for e in prof.events() if e.device_type.name == "CUDA"]
    for name in kernels:
        print(name[:160])
    nn = args.batch * args.heads * args.seq * args.seq * q.element_size()
    print(f"{len(kernels)} kernels; peak beyond q, k, v, dO: forward {fwd_peak / 2**30:.2f} GiB, "
          f"backward {all_peak / 2**30:.2f} GiB ({all_peak / nn:.2f} N x N matrices)")


if __name__ == "__main__":
    main()
