#!/usr/bin/env python3
"""check_sass.py CUOBJDUMP OBJECT_LIST PATTERN: disassembles every object of OBJECT_LIST (one path a
line, as kernels/CMakeLists.txt writes kernel_objects.txt) and checks each kernel whose mangled
name contains PATTERN: its SASS must hold HGMMA (warpgroup MMA) and UTMALDG (TMA loads), and no
LDL/STL (local memory: spills or a register array indexed at run time). Exits 77 (ctest's skip)
without cuobjdump, 1 on a failed check or when no such kernel was found."""
import re
import shutil
import subprocess
import sys


def functions(sass):
    """(name, body) for every 'Function : name' section of cuobjdump -sass output."""
    parts = re.split(r"^\s*Function : (\S+)\s*$", sass, flags=re.M)
    return list(zip(parts[1::2], parts[2::2]))


def main():
    tool, object_list, pattern = sys.argv[1], sys.argv[2], sys.argv[3]
    if not tool or not shutil.which(tool):
        tool = shutil.which("cuobjdump") or ""
    if not tool:
        print("cuobjdump not found: skipped")
        return 77
    with open(object_list) as f:
        objects = [line.strip() for line in f if line.strip().endswith(".o")]
    checked, failures = 0, []
    for obj in objects:
        if pattern not in obj:
            continue
        run = subprocess.run([tool, "-sass", obj], capture_output=True, text=True)
        if run.returncode != 0:
            if "does not contain device code" in run.stderr + run.stdout:
                continue  # a host object whose name matches (flash3_checks.cpp.o)
            run.check_returncode()
        sass = run.stdout
        for name, body in functions(sass):
            if pattern not in name:
                continue
            checked += 1
            count = {op: len(re.findall(r"\b" + op + r"\b", body)) for op in ("HGMMA", "UTMALDG", "LDL", "STL")}
            ok = count["HGMMA"] > 0 and count["UTMALDG"] > 0 and count["LDL"] == 0 and count["STL"] == 0
            print(f"{'ok  ' if ok else 'FAIL'} {name}: " + " ".join(f"{k}={v}" for k, v in count.items()))
            if not ok:
                failures.append(name)
    if checked == 0:
        print(f"no kernel matching {pattern!r} in the objects of {object_list}")
        return 1
    print(f"{checked} kernels checked, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
