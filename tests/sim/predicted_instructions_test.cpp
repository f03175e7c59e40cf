// The instruction fields the model predicts: from the schedules' per-warp instruction mixes in
// the cycle model, empty where no mix exists (the analytic model, library GEMMs).
#include "flashscope/sim/predicted_instructions.hpp"

#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(PredictedInstructions, EachClassGoesToThePipeTheHardwareCountsItOn) {
    InstructionMix mix;
    Phase& p = mix.next(1);
    p[Instr::mma] = 8;
    p[Instr::ldsm] = 3;
    p[Instr::shfl] = 2;
    p[Instr::mufu] = 5;
    p[Instr::cvt] = 7;
    Metrics m;
    add_predicted_instructions(m, mix, 4);
    EXPECT_DOUBLE_EQ(m.inst_tensor.value_or(-1), 32);
    EXPECT_DOUBLE_EQ(m.inst_ldsm.value_or(-1), 12);
    EXPECT_DOUBLE_EQ(m.inst_lsu.value_or(-1), 20);  // ldmatrix and shuffles
    EXPECT_DOUBLE_EQ(m.inst_xu.value_or(-1), 20);
    EXPECT_DOUBLE_EQ(m.inst_alu.value_or(-1), 28);  // the pack conversions (F2FP) are ALU work
    EXPECT_DOUBLE_EQ(m.inst_total.value_or(-1), 4 * (8 + 3 + 2 + 5 + 7));
    EXPECT_FALSE(m.local_load_bytes.has_value());  // the mix has no spills
    Metrics none;
    add_predicted_instructions(none, InstructionMix{}, 4);
    EXPECT_FALSE(none.inst_total.has_value());
}

TEST(PredictedInstructions, TensorInstructionsAreTheMatmulFlopsOverOneMmaSync) {
    // mma.sync m16n8k16: 2 * 16 * 8 * 16 FLOP per warp instruction.
    const Result r = simulate(request(Algorithm::flash2, Model::cycle));
    bool any = false;
    for (const auto& k : r.kernels) {
        if (!k.metrics.inst_tensor) continue;
        any = true;
        EXPECT_NEAR(*k.metrics.inst_tensor * 4096.0, k.metrics.flops_matmul,
                    1e-9 * k.metrics.flops_matmul)
            << k.name;
    }
    EXPECT_TRUE(any) << "flash2's steps state an instruction mix";
}

TEST(PredictedInstructions, TheAnalyticModelPredictsNone) {
    const Result r = simulate(request(Algorithm::flash2, Model::analytic));
    for (const auto& k : r.kernels) EXPECT_FALSE(k.metrics.inst_total.has_value()) << k.name;
}
