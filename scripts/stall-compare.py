#!/usr/bin/env python3
"""Where the SM issue model's warps wait, against where Nsight Compute found the card's waiting.

For every case CSV of a model probe (scripts/model-probe.sh, NAME = algo-pass-tile-dD-causal.csv,
b2 h16 seq 4096 bf16), the main kernel's smsp__average_warps_issue_stalled_<reason>_per_issue_active
beside `flashscope simulate ... --format json`'s issue_stalls of the same kernel: warp-cycles per
issued instruction by reason. Reasons the model does not tell apart (dispatch, drain, branch
resolving, no instruction, ...) are summed into "other".

usage: scripts/stall-compare.py PROBE.tgz|DIR [--flashscope BIN] [--gpu NAME]
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile

REASONS = ["wait", "short_scoreboard", "long_scoreboard", "barrier", "math_pipe_throttle",
           "mio_throttle", "lg_throttle", "not_selected", "selected"]
CASE = re.compile(r"^(flash\d)-(fwd|bwd)-(\d+x\d+x\d+x\d+)-d(\d+)-(yes|no)\.csv$")


def measured_stalls(path, kernel_word):
    lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith('"ID"'))
    rows = list(csv.reader(lines[start:]))
    header = rows[0]
    for row in rows[2:]:
        name = row[header.index("Kernel Name")]
        if kernel_word not in name or "preprocess" in name or "convert" in name:
            continue
        stalls = {"other": 0.0}
        for column, value in zip(header, row):
            m = re.match(r"smsp__average_warps_issue_stalled_(\w+)_per_issue_active\.ratio$", column)
            if not m or not value:
                continue
            v = float(value.replace(",", ""))
            reason = m.group(1)
            if reason in REASONS:
                stalls[reason] = v
            else:
                stalls["other"] += v
        return stalls
    return None


def predicted_stalls(binary, gpu, algo, pass_, tile, head_dim, causal):
    command = [binary, "simulate", "--gpu", gpu, "--algo", algo, "--pass", pass_, "--dtype", "bf16",
               "--batch", "2", "--heads", "16", "--seq", "4096", "--head-dim", head_dim,
               "--tile", tile, "--format", "json"] + (["--causal"] if causal == "yes" else [])
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    for kernel in result[0]["kernels"]:
        if kernel["name"] == f"{algo}_{pass_}":
            return kernel.get("issue_stalls")
    return None


def main(argv):
    parser = argparse.ArgumentParser(usage=__doc__)
    parser.add_argument("probe")
    parser.add_argument("--flashscope", default="build/default/cli/flashscope")
    parser.add_argument("--gpu", default="h200-sxm")
    args = parser.parse_args(argv[1:])
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.probe
        if os.path.isfile(args.probe):
            with tarfile.open(args.probe) as archive:
                archive.extractall(scratch, filter="data")
            folder = scratch
        cases = []
        for root, _, files in os.walk(folder):
            cases += [(root, f) for f in sorted(files) if CASE.match(f)]
        print("warp-cycles per issued instruction: Nsight Compute / model")
        print("| case | " + " | ".join(REASONS) + " | other | total |")
        print("| --- " * (len(REASONS) + 3) + "|")
        for root, name in cases:
            algo, pass_, tile, head_dim, causal = CASE.match(name).groups()
            measured = measured_stalls(os.path.join(root, name), f"{algo}_{pass_}")
            predicted = predicted_stalls(args.flashscope, args.gpu, algo, pass_, tile, head_dim, causal)
            if not measured or not predicted:
                continue
            cells = [f"{measured.get(r, 0):.2f} / {predicted.get(r, 0):.2f}" for r in REASONS]
            total = f"{sum(measured.values()):.2f} / {sum(predicted.values()):.2f}"
            print(f"| {name[:-4]} | " + " | ".join(cells) + f" | {measured['other']:.2f} / — | {total} |")


if __name__ == "__main__":
    main(sys.argv)
