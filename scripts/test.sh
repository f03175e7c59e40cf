#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite: ctest,
# then the Python package's pytest suite (pip-installed into build/venv).
#   --sanitize   build the CPU parts with AddressSanitizer + UndefinedBehaviorSanitizer instead
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
source scripts/lib/python.sh

preset=ci
for arg in "$@"; do
    case "$arg" in
        --sanitize) preset=sanitize ;;
        *) echo "usage: $0 [--sanitize]" >&2; exit 2 ;;
    esac
done

flashscope_install_missing
flashscope_configure "$preset"
cmake --build --preset "$preset" -j "$(nproc)"
export QT_QPA_PLATFORM=offscreen
ctest --preset "$preset" -j "$(nproc)"
flashscope_python_tests "build/$preset/cli/flashscope"
# The parsers of user input, fuzzed a few seconds each (a clang build of fuzz/ beside this one).
if [ "$preset" = ci ]; then ./scripts/fuzz.sh; fi
