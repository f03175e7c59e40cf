#!/usr/bin/env python3
"""Static instruction counts of a CUDA kernel's loops, by opcode, from its SASS: the evidence
behind the compiler-overhead terms of the SM issue model's instruction mixes
(sim/src/schedules/warp_mix.cpp).

    python3 scripts/sass-classes.py OBJECT_OR_CUBIN [--min 20]

Runs `cuobjdump -sass` (on PATH, or $CUOBJDUMP; on a machine without the CUDA toolkit's
binutils, `pip install nvidia-cuda-cuobjdump` provides it), finds each loop (a branch back to an
earlier address) of at least --min instructions, and prints its range, its length and its opcodes
by count. The innermost whole step of a tiled kernel is its longest loop; rolled copy loops inside
it show up as loops of their own. Static counts: a loop body runs once per iteration, so for
straight-line loop bodies the count per iteration is what Nsight Compute's
smsp__inst_executed.sum divided by warps and iterations reports.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

INSTRUCTION = re.compile(r"\s*/\*([0-9a-f]{4,})\*/\s+(.*?)\s*;")
BACK_BRANCH = re.compile(r"\bBRA\b.*?0x([0-9a-f]+)")


def opcode(text):
    return re.sub(r"^@!?U?P\w+\s+", "", text).split()[0].split(".")[0]


def kernels(sass):
    name, body = None, []
    for line in sass.splitlines():
        if "Function :" in line:
            if name:
                yield name, body
            name, body = line.split("Function :")[1].strip(), []
        m = INSTRUCTION.match(line)
        if m:
            body.append((int(m.group(1), 16), m.group(2)))
    if name:
        yield name, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("object", help="an object file or cubin with SASS")
    parser.add_argument("--min", type=int, default=20, help="shortest loop listed (instructions)")
    args = parser.parse_args()
    minimum = args.min
    tool = os.environ.get("CUOBJDUMP", "cuobjdump")
    try:
        sass = subprocess.run([tool, "-sass", args.object], check=True, capture_output=True,
                              text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"sass-classes.py: {tool} -sass {args.object} failed: {e}", file=sys.stderr)
        return 1
    for name, body in kernels(sass):
        print(name)
        index = {address: i for i, (address, _) in enumerate(body)}
        for end, (address, text) in enumerate(body):
            m = BACK_BRANCH.search(text)
            start = index.get(int(m.group(1), 16)) if m else None
            if start is None or int(m.group(1), 16) > address or end - start + 1 < minimum:
                continue
            counts = collections.Counter(opcode(t) for _, t in body[start:end + 1])
            top = " ".join(f"{k} {v}" for k, v in counts.most_common())
            print(f"  loop {body[start][0]:#06x}-{address:#06x}: {end - start + 1} instructions: {top}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
