// What the GUI computes after an edit, for the typical configuration (h100-sxm5, B4 H16 seq
// 4096 d128 bf16, flash2 fwd, cycle model): the early snapshot that updates every view but the
// tile explorer, and the full job with the 256-tile sweep. Results: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include "simulation_snapshot.hpp"

using namespace flashscope::gui;

namespace {

void BM_ViewsUpdate(benchmark::State& state) {
    for (auto _ : state) {
        bool early_seen = false;
        // Stop the job once the early snapshot arrived: what the views wait for.
        try {
            compute_snapshot(
                GuiConfiguration{}, [&](int, int) { return !early_seen; },
                [&](const SimulationSnapshot&) { early_seen = true; });
        } catch (const std::exception&) {
        }
        benchmark::DoNotOptimize(early_seen);
    }
}

void BM_FullJobWithTileSweep(benchmark::State& state) {
    for (auto _ : state) benchmark::DoNotOptimize(compute_snapshot(GuiConfiguration{}, {}));
}

}  // namespace

BENCHMARK(BM_ViewsUpdate)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_FullJobWithTileSweep)->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
