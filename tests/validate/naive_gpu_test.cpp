#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "flashscope/kernels/workspace.hpp"
#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/range_profiler.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/validate/device_preset.hpp"

using namespace flashscope;

namespace {

// The naive path's traffic is simple (whole matrices streamed through HBM), so the simulator's
// DRAM bytes must be close to the counters' for each of its kernels.
class NaiveAgainstSimulator : public ::testing::TestWithParam<Pass> {};

}  // namespace

TEST_P(NaiveAgainstSimulator, DramBytesWithinTenPercentPerKernel) {
    if (!profiler::device_present()) GTEST_SKIP() << "no CUDA device";
    std::unique_ptr<profiler::RangeProfiler> prof;
    try {
        prof = std::make_unique<profiler::RangeProfiler>();
    } catch (const profiler::ProfilerError& e) {
        GTEST_SKIP() << e.what();
    }
    const auto preset =
        validate::preset_for_device(prof->device().name, prof->device().memory_bytes);
    if (!preset) GTEST_SKIP() << "no simulator preset for " << prof->device().name;

    AttentionProblem problem;
    problem.batch = 1;
    problem.heads = problem.kv_heads = 8;
    problem.seq_q = problem.seq_k = 4096;
    problem.head_dim = 64;
    problem.pass = GetParam();

    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset(*preset);
    request.problem = problem;
    request.algorithm = Algorithm::naive;
    const auto predicted = sim::simulate(request);
    std::map<std::string, double> predicted_bytes;
    for (const auto& k : predicted.kernels)
        predicted_bytes[k.name] = double(k.metrics.hbm_read_bytes + k.metrics.hbm_write_bytes);

    kernels::AttentionWorkspace workspace(problem, 7);
    std::vector<profiler::RangeLaunch> launches;
    for (auto& l : workspace.launches(Algorithm::naive, problem.pass, {}))
        launches.push_back({l.name, l.run});
    profiler::ProfileOptions options;
    options.timing_runs = 0;
    options.l2 = profiler::L2Protocol::chained;  // as the simulator's cycle model runs a pass
    const auto measured = prof->profile(launches, options);
    ASSERT_FALSE(measured.ranges.empty());
    for (const auto& range : measured.ranges) {
        ASSERT_TRUE(predicted_bytes.count(range.name)) << range.name << " not predicted";
        const auto m = profiler::metrics_from_counters(range.counters);
        const double bytes = double(m.hbm_read_bytes + m.hbm_write_bytes);
        const double expected = predicted_bytes[range.name];
        EXPECT_LT(std::abs(bytes - expected) / bytes, 0.10)
            << range.name << ": measured " << bytes << " B, predicted " << expected << " B";
    }
}

INSTANTIATE_TEST_SUITE_P(Passes, NaiveAgainstSimulator, ::testing::Values(Pass::fwd, Pass::bwd),
                         [](const auto& param_info) {
                             return std::string(to_string(param_info.param));
                         });
