#!/usr/bin/env bash
# Installs what is missing, builds everything with warnings as errors, and runs the whole test
# suite: ctest, the Python package's pytest suite (pip-installed into build/venv) and, briefly, the
# fuzzers of fuzz/. It builds in quickstart.sh's tree (build/default), so what quickstart compiled
# is reused; with nvcc present the CUDA kernels are compiled too (the `ci` kernel set unless the
# tree already has the full grid) and GPU tests skip without a device. Skipped tests are listed
# with their reasons at the end of the ctest run.
#   --sanitize   build the CPU parts with AddressSanitizer + UndefinedBehaviorSanitizer instead
#                (tree build/sanitize)
#   -- ARGS      passed to ctest, e.g. `-- -L unit` or `-- -R Roofline`
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/setup.sh
source scripts/lib/python.sh

ctest_args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --sanitize) flashscope_preset=sanitize; flashscope_build_dir=build/sanitize ;;
        --) shift; ctest_args=("$@"); break ;;
        *) echo "usage: $0 [--sanitize] [-- CTEST_ARGS...]" >&2; exit 2 ;;
    esac
    shift
done

# shellcheck disable=SC2046  # lists of package names
flashscope_install_missing $(flashscope_packages_core) $(flashscope_packages_gui) $(flashscope_packages_tests)

if [ $flashscope_preset = default ]; then
    cuda=OFF
    if flashscope_have_nvcc || [ "$(flashscope_cached FLASHSCOPE_WITH_CUDA)" = ON ]; then cuda=ON; fi
    settings=(-DFLASHSCOPE_WITH_CUDA=$cuda -DFLASHSCOPE_WITH_GUI=ON -DFLASHSCOPE_BUILD_TESTS=ON
              -DFLASHSCOPE_BUILD_BENCH=ON)
    [ $cuda = ON ] && [ -z "$(flashscope_cached FLASHSCOPE_KERNEL_SET)" ] && settings+=(-DFLASHSCOPE_KERNEL_SET=ci)
    flashscope_configure "${settings[@]}"
else
    flashscope_configure
fi
cmake --build "$flashscope_build_dir" -j "$(nproc)"

export QT_QPA_PLATFORM=offscreen
junit=$PWD/$flashscope_build_dir/ctest-results.xml
status=0
ctest --test-dir "$flashscope_build_dir" -j "$(nproc)" --output-on-failure --output-junit "$junit" \
    ${ctest_args[@]+"${ctest_args[@]}"} || status=$?
python3 scripts/lib/skipped_tests.py "$junit"
[ $status -eq 0 ] || exit $status
# A ctest selection (`-- -R X`) runs that alone; the whole suite goes on to pytest and the fuzzers.
[ ${#ctest_args[@]} -eq 0 ] || exit 0
flashscope_python_tests "$flashscope_build_dir/cli/flashscope"
# The parsers of user input, fuzzed a few seconds each (a clang build of fuzz/ beside this one).
if [ $flashscope_preset = default ]; then ./scripts/fuzz.sh; fi
