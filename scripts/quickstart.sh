#!/usr/bin/env bash
# Installs what is missing, builds flashscope, and runs the main job: naive attention against
# FlashAttention-2 on an H100 model (batch 4, 16 heads, seq 4096, d 128, bf16, forward).
#
# usage: scripts/quickstart.sh [--gui] [--cuda]
#   (default)  the simulator and the flashscope CLI only: all the main job needs
#   --gui      also flashscope-gui (installs Qt 6 and QCustomPlot)
#   --cuda     also the CUDA kernels, the CUPTI profiler and `flashscope bench`/`validate` (needs
#              nvcc); the default when nvidia-smi sees a GPU. The whole tile grid is compiled.
# Parts a previous run built stay built. FLASHSCOPE_WERROR=OFF builds without -Werror.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh

gui=OFF
cuda=OFF
for arg in "$@"; do
    case "$arg" in
        --gui) gui=ON ;;
        --cuda) cuda=ON ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "quickstart.sh: unknown option '$arg' (expected --gui or --cuda)" >&2; exit 2 ;;
    esac
done
if [ $cuda = ON ] && ! flashscope_have_nvcc; then
    echo "quickstart.sh: --cuda: nvcc not found; install the CUDA toolkit or put it on PATH" >&2
    exit 2
fi
if [ $cuda = OFF ] && flashscope_have_gpu; then
    if flashscope_have_nvcc; then
        cuda=ON
        echo "flashscope: a GPU is present: building the CUDA kernels too"
    else
        echo "flashscope: a GPU is present but nvcc is not: building without the CUDA kernels"
    fi
fi
# Never switch off what the tree already has (test.sh or an earlier --gui/--cuda built it).
[ "$(flashscope_cached FLASHSCOPE_WITH_GUI)" = ON ] && gui=ON
[ "$(flashscope_cached FLASHSCOPE_WITH_CUDA)" = ON ] && cuda=ON

flashscope_phase apt
packages=$(flashscope_packages_core)
[ $gui = ON ] && packages+=" $(flashscope_packages_gui)"
# shellcheck disable=SC2086  # a list of package names
flashscope_install_missing $packages

settings=(-DFLASHSCOPE_WITH_CUDA=$cuda -DFLASHSCOPE_WITH_GUI=$gui)
# Tests and benchmarks are test.sh's; a tree it configured keeps them.
[ -n "$(flashscope_cached FLASHSCOPE_BUILD_TESTS)" ] || settings+=(-DFLASHSCOPE_BUILD_TESTS=OFF -DFLASHSCOPE_BUILD_BENCH=OFF)
[ $cuda = ON ] && [ -z "$(flashscope_cached FLASHSCOPE_KERNEL_SET)" ] && settings+=(-DFLASHSCOPE_KERNEL_SET=full)
flashscope_phase configure
flashscope_configure "${settings[@]}"

targets=(flashscope)
[ $gui = ON ] && targets+=(flashscope-gui)
flashscope_phase build
cmake --build "$flashscope_build_dir" --target "${targets[@]}" -j "$(nproc)"

bin=$PWD/$flashscope_build_dir/cli
flashscope_phase run
echo
"$bin/flashscope" simulate
echo
echo "Next:"
echo "  export PATH=\"$bin:\$PATH\"   # then \`flashscope --help\` lists the commands"
echo "  ./scripts/test.sh            # the whole test suite, in the same build tree"
if [ $gui = ON ]; then
    echo "  $PWD/$flashscope_build_dir/gui/flashscope-gui"
else
    echo "  ./scripts/quickstart.sh --gui   # adds the GUI, flashscope-gui"
fi
