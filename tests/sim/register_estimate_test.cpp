// Registers per thread of the flash kernels, estimated from the tile: capped at the 255 a thread
// can address, the rest spilled to local memory. (tests/kernels compares the estimate with ptxas.)
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

KernelResult main_kernel(Algorithm algorithm, Pass pass, std::int64_t head_dim,
                         const TileConfig& tile) {
    SimulationRequest req = request(algorithm);
    req.model = Model::analytic;
    req.problem.pass = pass;
    req.problem.head_dim = head_dim;
    req.tile = tile;
    const Result r = simulate(req);
    const std::string name = std::string(to_string(algorithm)) + "_" + std::string(to_string(pass));
    for (const auto& k : r.kernels)
        if (k.name == name) return k;
    ADD_FAILURE() << "no kernel " << name;
    return {};
}

}  // namespace

TEST(RegisterEstimate, ATileBeyondTheRegisterLimitSpillsItsTransientValues) {
    // Two 16-row tiles per warp at d = 128: O (128 values per thread) stays in registers, the
    // scores of a 128-key block (128 more) do not fit beside it.
    const KernelResult k = main_kernel(Algorithm::flash2, Pass::fwd, 128, {128, 128, 4, 2});
    EXPECT_EQ(k.registers_per_thread, 255);
    EXPECT_GE(k.spill_bytes_per_thread, (2 * 16 * 128 / 32 + 2 * 16 * 128 / 32 - 255) * 4);
    EXPECT_EQ(k.spill_bytes_per_thread % 4, 0);
}

TEST(RegisterEstimate, ASmallTileKeepsEverythingInRegisters) {
    const KernelResult k = main_kernel(Algorithm::flash2, Pass::fwd, 64, {64, 32, 4, 2});
    EXPECT_EQ(k.spill_bytes_per_thread, 0);
    // At least the thread's share of O (16 x 64 per warp) and S (16 x 32), in fp32.
    EXPECT_GE(k.registers_per_thread, (16 * 64 + 16 * 32) / 32);
    EXPECT_LT(k.registers_per_thread, 255);
}

TEST(RegisterEstimate, MoreWarpsNeverNeedMoreRegistersPerThread) {
    for (std::int64_t d : {64, 128})
        for (Pass pass : {Pass::fwd, Pass::bwd}) {
            const auto four = main_kernel(Algorithm::flash2, pass, d, {128, 64, 4, 2});
            const auto eight = main_kernel(Algorithm::flash2, pass, d, {128, 64, 8, 2});
            EXPECT_LE(eight.registers_per_thread, four.registers_per_thread) << d;
            EXPECT_LE(eight.spill_bytes_per_thread, four.spill_bytes_per_thread) << d;
        }
}

TEST(RegisterEstimate, WiderHeadsNeedMoreRegisters) {
    for (Pass pass : {Pass::fwd, Pass::bwd}) {
        const auto narrow = main_kernel(Algorithm::flash2, pass, 64, {64, 64, 4, 2});
        const auto wide = main_kernel(Algorithm::flash2, pass, 128, {64, 64, 4, 2});
        EXPECT_GT(wide.registers_per_thread + wide.spill_bytes_per_thread / 4,
                  narrow.registers_per_thread + narrow.spill_bytes_per_thread / 4);
    }
}

// A built kernel's registers, as ptxas gave them, replace the estimate for that kernel alone: the
// occupancy follows (65536 registers over 128 threads: 3 CTAs per SM fit 168 each, not 176).
namespace {

KernelRegisters measured_registers(const char* kernel, std::int64_t registers) {
    KernelRegisters k;
    k.kernel = kernel;
    k.registers = registers;
    return k;
}

}  // namespace

TEST(RegisterEstimate, MeasuredRegistersReplaceTheEstimateForTheirKernel) {
    SimulationRequest req = request(Algorithm::flash2);
    req.gpu = gpu_preset("h200-sxm");
    req.model = Model::cycle;
    req.problem.batch = 2;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.head_dim = 64;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.tile = {128, 32, 4, 2};
    const Result estimated = simulate(req);
    req.kernel_registers = {measured_registers("flash2_fwd", 176)};
    const Result measured = simulate(req);
    ASSERT_EQ(estimated.kernels.size(), 1u);
    EXPECT_NE(estimated.kernels[0].registers_per_thread, 176);
    EXPECT_EQ(measured.kernels[0].registers_per_thread, 176);
    EXPECT_EQ(measured.kernels[0].ctas_per_sm, 65536 / (128 * 176));
    EXPECT_GT(measured.kernels[0].metrics.time_s, estimated.kernels[0].metrics.time_s);

    req.kernel_registers = {
        measured_registers("flash2_bwd", 176)};  // no such kernel in a forward pass
    EXPECT_THROW(simulate(req), ConfigError);
    for (const std::int64_t bad : {0, 256}) {
        req.kernel_registers = {measured_registers("flash2_fwd", bad)};
        try {
            simulate(req);
            ADD_FAILURE() << bad;
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.field(), "registers of flash2_fwd");
        }
    }
}
