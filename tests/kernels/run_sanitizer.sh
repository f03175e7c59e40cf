#!/bin/sh
# run_sanitizer.sh TOOL SANITIZER BINARY: compute-sanitizer --tool TOOL on BINARY.
# Exits 77 (skipped) when compute-sanitizer or a CUDA device is missing.
tool=$1 sanitizer=$2 binary=$3
if [ -z "$sanitizer" ] || [ ! -x "$sanitizer" ]; then
  sanitizer=$(command -v compute-sanitizer || true)
fi
if [ -z "$sanitizer" ]; then echo "compute-sanitizer not found: skipped"; exit 77; fi
"$binary" >/dev/null 2>&1
status=$?
if [ "$status" -eq 77 ]; then echo "no CUDA device: skipped"; exit 77; fi
exec "$sanitizer" --tool "$tool" --error-exitcode 1 "$binary"
