#!/usr/bin/env python3
"""One attention call for a profiler to capture (scripts/ncu-fixtures.sh, gpu-check.d/60-ncu-foreign.sh).

PyTorch SDPA with one backend (flash, cudnn) or the eager expression softmax(q @ k^T * scale) @ v,
forward or backward. Everything else (inputs, a warm-up call, the backward's forward) runs outside
the profiled region: the region is opened with cudaProfilerStart and closed with cudaProfilerStop,
so `ncu --profile-from-start off` records exactly the pass asked for, whatever thread autograd uses.
Before the region the L2 is left cold and clean (a buffer of 4x the L2 is written, then read), the
state the simulator starts a pass in.
"""
import argparse
import sys

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

BACKENDS = {"flash": SDPBackend.FLASH_ATTENTION, "cudnn": SDPBackend.CUDNN_ATTENTION}
DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16}


def attention(backend, q, k, v, scale):
    if backend == "eager":
        return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=-1) @ v
    with sdpa_kernel([BACKENDS[backend]]):
        return F.scaled_dot_product_attention(q, k, v, scale=scale)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--backend", choices=["flash", "cudnn", "eager"], required=True)
    p.add_argument("--pass", dest="pass_", choices=["fwd", "bwd"], required=True)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--heads", type=int, default=8)
    p.add_argument("--seq", type=int, default=1024)
    p.add_argument("--head-dim", type=int, default=128)
    p.add_argument("--dtype", choices=sorted(DTYPES), default="bf16")
    a = p.parse_args()
    if not torch.cuda.is_available():
        sys.exit("sdpa_case.py: no CUDA device")
    torch.manual_seed(0)
    shape = (a.batch, a.heads, a.seq, a.head_dim)
    q, k, v = (torch.randn(shape, device="cuda", dtype=DTYPES[a.dtype], requires_grad=True) for _ in range(3))
    dout = torch.randn(shape, device="cuda", dtype=DTYPES[a.dtype])
    scale = a.head_dim ** -0.5

    attention(a.backend, q, k, v, scale).backward(dout)  # warm-up: plans, workspaces, autotuning
    for t in (q, k, v):
        t.grad = None  # else the measured backward would add into them: extra kernels
    out = attention(a.backend, q, k, v, scale) if a.pass_ == "bwd" else None
    l2_bytes = torch.cuda.get_device_properties(0).L2_cache_size
    flush = torch.empty(l2_bytes, device="cuda", dtype=torch.float32)  # 4 bytes each: 4x the L2
    flush.fill_(1.0)
    flush.sum().item()  # reading last leaves clean lines: no write-back inside the region
    torch.cuda.synchronize()

    torch.cuda.cudart().cudaProfilerStart()
    if a.pass_ == "fwd":
        attention(a.backend, q, k, v, scale)
    else:
        out.backward(dout)
    torch.cuda.synchronize()
    torch.cuda.cudart().cudaProfilerStop()


if __name__ == "__main__":
    main()
