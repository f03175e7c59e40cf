#!/usr/bin/env bash
# Installs what is missing, builds flashscope, and runs the main job: naive attention against
# FlashAttention-2 on an H100 model (batch 4, 16 heads, seq 4096, d 128, bf16, forward).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

flashscope_install_missing
flashscope_configure default
cmake --build --preset default -j "$(nproc)"

echo
./build/default/cli/flashscope simulate
echo
echo "Next: ./scripts/test.sh runs the tests; ./build/default/cli/flashscope --help lists the commands."
if [ -x build/default/gui/flashscope-gui ]; then
    echo "The GUI: ./build/default/gui/flashscope-gui"
fi
