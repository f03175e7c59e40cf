// Impossible configurations are errors that name the field, the value and the limit.
#include <gtest/gtest.h>

#include "flashscope/core/error.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

ConfigError error_of(const SimulationRequest& req) {
    try {
        simulate(req);
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return ConfigError("", "", "");
}

}  // namespace

TEST(Errors, TileThatDoesNotFitSramStatesBytesNeededAndAvailable) {
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.head_dim = 256;
    req.tile = {256, 256, 8, 4};
    const ConfigError e = error_of(req);
    EXPECT_EQ(e.field(), "tile (flash2_fwd)");
    // Q (256 x 256) + 4 stages x 2 x (256 x 256) bf16
    EXPECT_EQ(e.value(), std::to_string((256 + 8 * 256) * 256 * 2) + " B of shared memory per CTA");
    EXPECT_NE(e.limit().find("232448"), std::string::npos);
}

TEST(Errors, TooManyRegistersPerThread) {
    // One warp carrying a 128 x 256 fp32 O accumulator from block to block: more than a thread
    // can address, and the design keeps it in registers (only transient values may spill).
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.head_dim = 256;
    req.tile = {128, 128, 1, 1};
    EXPECT_NE(std::string(error_of(req).what()).find("registers per thread"), std::string::npos);
}

TEST(Errors, MoreRegistersThanTheGpuAllows) {
    SimulationRequest req = request(Algorithm::flash2);
    req.gpu.max_registers_per_thread = 64;
    req.tile = {128, 128, 4, 2};
    EXPECT_NE(std::string(error_of(req).what()).find("registers per thread"), std::string::npos);
}

TEST(Errors, MoreWarpsThanQueryFragments) {
    SimulationRequest req = request(Algorithm::flash2);
    req.tile = {32, 64, 4, 2};
    EXPECT_EQ(error_of(req).field(), "warps");
}

TEST(Errors, ProblemErrorsPassThroughSimulate) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.kv_heads = 3;
    EXPECT_EQ(error_of(req).field(), "kv_heads");
    req = request(Algorithm::naive);
    req.problem.head_dim = 300;
    EXPECT_EQ(error_of(req).field(), "head_dim");
    req = request(Algorithm::flash1);
    req.tile.block_n = 24;
    EXPECT_EQ(error_of(req).field(), "block_n");
}
