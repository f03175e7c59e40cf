// Simulator speed targets (issue 2): cycle model >= 200 configurations/s and analytic model
// >= 100 000/s on one core at batch 4, 16 heads, seq 4096, d 128, flash2 forward; one cycle
// simulation at seq 131072 in under 2 s. Results: docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>

#include "flashscope/sim/simulate.hpp"

using namespace flashscope;
using namespace flashscope::sim;

namespace {

SimulationRequest main_job(Model model, Algorithm algo = Algorithm::flash2) {
    SimulationRequest r;
    r.gpu = gpu_preset("h100-sxm5");
    r.model = model;
    r.algorithm = algo;
    r.tile = {128, 64, 4, 2};  // FlashAttention-2's forward tile for d = 128
    return r;
}

void run(benchmark::State& state, SimulationRequest req) {
    for (auto _ : state) benchmark::DoNotOptimize(simulate(req));
    state.counters["configs/s"] =
        benchmark::Counter(double(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_CycleFlash2Fwd4k(benchmark::State& s) {
    run(s, main_job(Model::cycle));
}
void BM_AnalyticFlash2Fwd4k(benchmark::State& s) {
    run(s, main_job(Model::analytic));
}
void BM_CycleNaiveFwd4k(benchmark::State& s) {
    run(s, main_job(Model::cycle, Algorithm::naive));
}
void BM_CycleFlash2FwdBwd4k(benchmark::State& s) {
    SimulationRequest r = main_job(Model::cycle);
    r.problem.pass = Pass::fwdbwd;
    r.tile.warps = 8;  // the backward kernel's dK/dV accumulators need 8 warps at d = 128
    run(s, r);
}
void BM_CycleFlash2Fwd128k(benchmark::State& s, bool causal) {
    SimulationRequest r = main_job(Model::cycle);
    r.problem.seq_q = r.problem.seq_k = 131072;
    r.problem.causal = causal;
    run(s, r);
}

}  // namespace

BENCHMARK(BM_CycleFlash2Fwd4k);
BENCHMARK(BM_AnalyticFlash2Fwd4k);
BENCHMARK(BM_CycleNaiveFwd4k);
BENCHMARK(BM_CycleFlash2FwdBwd4k);
BENCHMARK_CAPTURE(BM_CycleFlash2Fwd128k, noncausal, false)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_CycleFlash2Fwd128k, causal, true)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(2);
BENCHMARK_MAIN();
