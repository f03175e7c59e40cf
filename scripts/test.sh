#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, and runs the whole test suite.
#   --sanitize   build the CPU parts with AddressSanitizer + UndefinedBehaviorSanitizer instead
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

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
# The parsers of user input, fuzzed a few seconds each (a clang build of fuzz/ beside this one).
if [ "$preset" = ci ]; then ./scripts/fuzz.sh; fi
