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

TEST(Errors, QueryRowsPerWarpNotWholeFragmentsAreRefused) {
    SimulationRequest req = request(Algorithm::flash2);
    req.tile = {112, 64, 4, 2};  // 28 query rows per warp: no kernel can split 16-row fragments so
    const ConfigError e = error_of(req);
    EXPECT_EQ(e.field(), "warps");
    EXPECT_NE(std::string(e.what()).find("28 query rows per warp"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("multiple of 64"), std::string::npos) << e.what();
    req.algorithm = Algorithm::flash1;
    EXPECT_EQ(error_of(req).field(), "warps");
}

TEST(Errors, BackwardWarpsMustSplitFragmentsEvenly) {
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.pass = Pass::bwd;
    req.problem.head_dim = 16;
    req.tile = {16, 16, 2, 1};  // one 16x16 score fragment, one dK fragment, two warps
    const ConfigError e = error_of(req);
    EXPECT_EQ(e.field(), "warps");
    EXPECT_NE(std::string(e.what()).find("whole 16x16"), std::string::npos) << e.what();
    req.tile = {16, 16, 1, 1};
    EXPECT_NO_THROW(simulate(req));
}

TEST(Errors, FlashHeadDimMustTileIntoFragments) {
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.head_dim = 72;
    EXPECT_EQ(error_of(req).field(), "head_dim");
    req.algorithm = Algorithm::naive;  // GEMMs pad; naive takes any head dim
    EXPECT_NO_THROW(simulate(req));
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
