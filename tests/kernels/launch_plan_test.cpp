// The kernels/ half of the algorithm seam, checked without a GPU: for every pass an algorithm's
// descriptor says kernels/ measures, its launch plan launches exactly the kernels the simulator
// names, in the same order, so validate's join of simulated and measured records is complete by
// construction.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/registry.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/validate/join.hpp"

namespace flashscope::test {
namespace {

constexpr const char* k_planless = "planless_test_algorithm";

// Registered once per process: measures a forward pass but has no kernels/src/algorithms/ file.
Algorithm planless_algorithm() {
    static const Algorithm a = register_algorithm({k_planless,
                                                   "test-only: a descriptor without a launch plan",
                                                   {Pass::fwd},
                                                   {Pass::fwd},
                                                   {{"fwd", Pass::fwd}}});
    return a;
}

// MHA; causal GQA with seq_q < seq_k and ragged blocks; causal MQA in fp16.
std::vector<AttentionProblem> problems() {
    AttentionProblem mha;
    mha.batch = 2;
    mha.heads = mha.kv_heads = 4;
    mha.seq_q = mha.seq_k = 512;
    mha.head_dim = 64;
    AttentionProblem gqa = mha;
    gqa.kv_heads = 2;
    gqa.seq_q = 300;
    gqa.seq_k = 700;
    gqa.head_dim = 128;
    gqa.causal = true;
    AttentionProblem mqa = gqa;
    mqa.kv_heads = 1;
    mqa.dtype = DType::fp16;
    return {mha, gqa, mqa};
}

sim::Result simulated(Algorithm algorithm, Pass pass, const AttentionProblem& problem) {
    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset("h100-sxm5");
    request.problem = problem;
    request.problem.pass = pass;
    request.algorithm = algorithm;
    request.model = sim::Model::analytic;  // default options: naive fused, no eager kernels
    return sim::simulate(request);
}

std::vector<std::string> names_of(const sim::Result& result) {
    std::vector<std::string> names;
    for (const auto& k : result.kernels) names.push_back(k.name);
    return names;
}

struct Measured {
    Algorithm algorithm;
    Pass pass;
};

// Every (algorithm, pass) kernels/ measures and the simulator schedules, fwdbwd included (a pass
// measured before its schedule exists, as flash3's today, has nothing to join yet).
std::vector<Measured> measured_passes() {
    std::vector<Measured> out;
    for (Algorithm a : all_algorithms()) {
        if (to_string(a) == k_planless) continue;
        for (Pass pass : {Pass::fwd, Pass::bwd, Pass::fwdbwd})
            if (descriptor(a).measures(pass) && descriptor(a).simulates(pass))
                out.push_back({a, pass});
    }
    return out;
}

TEST(LaunchPlans, EveryMeasuredPassLaunchesTheSimulatedKernelsInOrder) {
    const auto passes = measured_passes();
    ASSERT_GE(passes.size(), 7U)
        << "naive fwd/bwd/fwdbwd, flash1 fwd, flash2 fwd/bwd/fwdbwd at least";
    for (const auto& [algorithm, pass] : passes)
        for (const auto& problem : problems()) {
            SCOPED_TRACE(std::string(to_string(algorithm)) + " " + std::string(to_string(pass)) +
                         " kv_heads " + std::to_string(problem.kv_heads));
            const auto planned = kernels::planned_kernel_names(problem, algorithm, pass);
            EXPECT_FALSE(planned.empty());
            EXPECT_EQ(planned, names_of(simulated(algorithm, pass, problem)));
        }
}

TEST(LaunchPlans, SimulatedAndMeasuredRecordsJoinByConstruction) {
    for (const auto& [algorithm, pass] : measured_passes())
        for (auto problem : problems()) {
            problem.pass = pass;
            const TileConfig tile{};  // validate keys both sides by the case's tile
            std::vector<validate::PredictedKernel> predicted;
            for (const auto& k : simulated(algorithm, pass, problem).kernels)
                predicted.push_back({{problem, algorithm, tile, k.name}, k.metrics});
            std::vector<validate::MeasuredKernel> measured;
            for (const auto& name : kernels::planned_kernel_names(problem, algorithm, pass)) {
                validate::MeasuredKernel m;
                m.key = {problem, algorithm, tile, name};
                measured.push_back(m);
            }
            const auto joined = validate::join(predicted, measured);
            EXPECT_TRUE(joined.measured_only.empty())
                << to_string(algorithm) << " " << to_string(pass);
            EXPECT_TRUE(joined.predicted_only.empty())
                << to_string(algorithm) << " " << to_string(pass);
            EXPECT_EQ(joined.records.size(), predicted.size());
        }
}

TEST(LaunchPlans, APassKernelsDoNotMeasureIsRefusedNamingThePass) {
    std::size_t refused = 0;
    for (Algorithm a : all_algorithms())
        for (Pass pass : {Pass::fwd, Pass::bwd}) {
            // simulated-only algorithms (flash1_released) have no plan at all
            if (to_string(a) == k_planless || !kernels::has_launch_plan(a) ||
                descriptor(a).measures(pass))
                continue;
            try {
                kernels::planned_kernel_names(problems().front(), a, pass);
                ADD_FAILURE() << to_string(a) << " " << to_string(pass) << " was planned";
            } catch (const ConfigError& e) {
                EXPECT_EQ(e.field(), "pass");
                EXPECT_EQ(e.value(), std::string(to_string(pass)));
                ++refused;
            }
            EXPECT_TRUE(kernels::built_tiles(a, pass, DType::bf16, 128).empty());
        }
    EXPECT_GE(refused, 1U) << "flash1's backward is simulated only";
}

TEST(LaunchPlans, EveryAlgorithmWithMeasuredPassesHasAPlan) {
    for (Algorithm a : all_algorithms()) {
        if (to_string(a) == k_planless || descriptor(a).measured_passes.empty()) continue;
        EXPECT_TRUE(kernels::has_launch_plan(a)) << to_string(a);
    }
}

TEST(LaunchPlans, ADescriptorWithoutAPlanIsAClearError) {
    const Algorithm a = planless_algorithm();
    EXPECT_FALSE(kernels::has_launch_plan(a));
    EXPECT_FALSE(kernels::takes_tile(a));
    EXPECT_FALSE(kernels::has_deterministic_mode(a));
    EXPECT_TRUE(kernels::built_tiles(a, Pass::fwd, DType::bf16, 128).empty());
    try {
        kernels::planned_kernel_names(problems().front(), a, Pass::fwd);
        FAIL() << "planned without a plan";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "algo");
        EXPECT_EQ(e.value(), k_planless);
        EXPECT_NE(e.limit().find("kernels/src/algorithms/" + std::string(k_planless) + ".cpp"),
                  std::string::npos)
            << e.limit();
    }
}

TEST(LaunchPlans, PlansSayWhetherTheyTakeATileAndHaveADeterministicMode) {
    EXPECT_FALSE(kernels::takes_tile(Algorithm::naive));
    EXPECT_TRUE(kernels::takes_tile(Algorithm::flash1));
    EXPECT_TRUE(kernels::takes_tile(Algorithm::flash2));
    EXPECT_FALSE(kernels::has_deterministic_mode(Algorithm::naive));
    EXPECT_FALSE(kernels::has_deterministic_mode(Algorithm::flash1));
    EXPECT_TRUE(kernels::has_deterministic_mode(Algorithm::flash2));
    EXPECT_EQ(kernels::built_tiles(Algorithm::naive, Pass::bwd, DType::fp16, 96),
              std::vector<TileConfig>{TileConfig{}});
}

}  // namespace
}  // namespace flashscope::test
