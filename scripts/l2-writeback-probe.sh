#!/usr/bin/env bash
# When does the L2 write dirty lines back to DRAM? Builds scripts/probes/l2_writeback.cu and runs
# it under Nsight Compute (every kernel in sequence, caches left alone between them), one CSV row
# per kernel with its DRAM bytes and time: for each size W, a W-byte write, the evicting read
# after it (what the write left dirty), the same W bytes written 20 times, and its evicting read.
# Run on a GPU machine: OUT=dir scripts/l2-writeback-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/l2-writeback}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native "$root/scripts/probes/l2_writeback.cu" -o "$out/l2_writeback"
ncu_bin=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
"$ncu_bin" --csv --page raw --print-units base --cache-control none --replay-mode application \
    --metrics dram__bytes_write.sum,dram__bytes_read.sum,gpu__time_duration.sum \
    "$out/l2_writeback" >"$out/l2-writeback.csv" 2>"$out/l2-writeback.log"
python3 - "$out/l2-writeback.csv" <<'PY'
import csv, sys
rows = [r for r in csv.reader(open(sys.argv[1])) if r]
head = next(i for i, r in enumerate(rows) if "Kernel Name" in r)
h = rows[head]
col = {k: h.index(k) for k in ("Kernel Name", "dram__bytes_write.sum", "dram__bytes_read.sum",
                                "gpu__time_duration.sum")}
sizes = [2, 4, 8, 12, 16, 24, 32, 48]
data = [r for r in rows[head + 1:] if len(r) == len(h) and r[0].isdigit()]  # not the units row
per = 6  # kernels per size
print("size_MiB kernel                 dram_write_MB dram_read_MB time_us")
for k, r in enumerate(data):
    size = sizes[k // per] if k // per < len(sizes) else -1
    name = r[col["Kernel Name"]].split("(")[0].split("::")[-1]
    num = lambda key: float(r[col[key]].replace(",", ""))
    print(f"{size:8d} {name:22s} {num('dram__bytes_write.sum') / 1e6:13.2f} "
          f"{num('dram__bytes_read.sum') / 1e6:12.2f} {num('gpu__time_duration.sum') / 1e3:8.1f}")
PY
