#!/usr/bin/env bash
# Builds the libFuzzer harnesses of fuzz/ (clang, ASan + UBSan, tree build/fuzz: only the
# harnesses and the libraries they read with) and fuzzes each one from its committed seeds.
#   (no argument)  each harness for FLASHSCOPE_FUZZ_SECONDS seconds (default 4) via ctest -L fuzz,
#                  as ./scripts/test.sh does
#   --runs N       each harness for N executions, one after another, printing executions/s (the
#                  long run recorded in docs/RELIABILITY.md)
# New inputs go to build/fuzz/fuzz/corpus/, findings to build/fuzz/fuzz/<harness>-crash-*; the
# seeds in fuzz/corpus/ are never written. Without clang's libFuzzer it says so and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=
case "${1:-}" in
    "") ;;
    --runs) runs=${2:?--runs needs a number} ;;
    *) echo "usage: $0 [--runs N]" >&2; exit 2 ;;
esac

have_libfuzzer() {
    command -v clang++ >/dev/null 2>&1 &&
        echo 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }' |
            clang++ -fsanitize=fuzzer -x c++ - -o /dev/null >/dev/null 2>&1
}
if ! have_libfuzzer && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "flashscope: installing clang libclang-rt-dev (libFuzzer) for the fuzz tests"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends clang libclang-rt-dev \
        >/dev/null || true
fi
if ! have_libfuzzer; then
    echo "flashscope: fuzz tests SKIPPED: no clang++ with libFuzzer (apt-get install clang libclang-rt-dev)"
    exit 0
fi

build=build/fuzz
args=()
command -v ccache >/dev/null 2>&1 && args+=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
[ -f $build/build.ninja ] || cmake --preset fuzz "${args[@]}" >/dev/null
cmake --build --preset fuzz -j "$(nproc)"

if [ -z "$runs" ]; then
    ctest --preset fuzz -j "$(nproc)"
    exit
fi
status=0
for harness in fuzz/*_fuzz.cpp; do
    name=$(basename "$harness" .cpp)
    if [ ! -x $build/fuzz/"$name" ]; then echo "$name: not built (see cmake's fuzz: messages)"; continue; fi
    mkdir -p $build/fuzz/corpus/"$name"
    log=$build/fuzz/$name.log
    $build/fuzz/"$name" -runs="$runs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=$build/fuzz/"$name"- $build/fuzz/corpus/"$name" fuzz/corpus/"$name" \
        >"$log" 2>&1 || status=1
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    if grep -q "^==.*ERROR\|^SUMMARY" "$log"; then result="FINDING (see $log)"; status=1; else result="no findings"; fi
    printf '%-22s %10s executions %6s exec/s  %s\n' "$name" "${execs:-?}" "${rate:-?}" "$result"
done
exit $status
