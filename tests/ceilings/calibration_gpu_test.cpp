// `flashscope calibrate`'s microbenchmarks on the device: each value lies where the datasheet or
// the architecture puts it, so a benchmark that measures the wrong thing (folded instructions,
// two CTAs per SM, a missed dependency) fails here. One calibration serves every test.
#include <gtest/gtest.h>

#include <memory>

#include "flashscope/ceilings/calibration.hpp"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/gpu_spec.hpp"

using namespace flashscope::ceilings;

namespace {

class Calibration : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!device_present()) return;
        s_device = std::make_unique<DeviceFacts>(device_facts(0));
        CalibrationOptions options;
        options.runs = 3;
        options.l2_dirty_limit_mib = {23.2, "[B] test"};
        s_preset = std::make_unique<PresetText>(run_calibration(options, nullptr));
    }
    void SetUp() override {
        if (!s_preset) GTEST_SKIP() << "no CUDA device";
        if (s_device->cc_major < 8) GTEST_SKIP() << "mma.sync bf16 needs compute capability 8.0";
    }
    static double value(const std::string& key) { return s_preset->values.at(key).value; }
    static bool hopper() { return s_device->cc_major == 9; }

    static std::unique_ptr<DeviceFacts> s_device;
    static std::unique_ptr<PresetText> s_preset;
};
std::unique_ptr<DeviceFacts> Calibration::s_device;
std::unique_ptr<PresetText> Calibration::s_preset;

void expect_within(double measured, double reference, double fraction, const std::string& what) {
    EXPECT_GE(measured, reference * (1 - fraction)) << what;
    EXPECT_LE(measured, reference * (1 + fraction)) << what;
}

}  // namespace

// [WP] A100 whitepaper: 1024 dense fp16/bf16 FMA per clock per SM (2048 flops), which mma.sync
// reaches on an A100; TF32 at half that. No datasheet gives Hopper's mma.sync rate: it lies
// between the A100's per-SM rate and the H100 whitepaper's 4096 (wgmma's dense peak).
TEST_F(Calibration, MmaSyncRateIsWithinTheDatasheetsBounds) {
    const double bf16 = value("tensor_flops_per_clk_per_sm.bf16");
    const double tf32 = value("tensor_flops_per_clk_per_sm.fp32");
    if (hopper()) {
        EXPECT_GE(bf16, 2048 * 0.8);
        EXPECT_LE(bf16, 4096);
        EXPECT_GE(tf32, 1024 * 0.8);
        EXPECT_LE(tf32, 2048);
    } else {
        expect_within(bf16, 2048, 0.2, "bf16");
        expect_within(tf32, 1024, 0.2, "tf32: half [WP]");
    }
    // fp16 and bf16 run on the same datapath [WP].
    expect_within(value("tensor_flops_per_clk_per_sm.fp16"), bf16, 0.05, "fp16 vs bf16");
}

// [WP] 64 FP32 lanes per SM on the A100, 128 on Hopper; 2 flops per FMA. The loop's own
// instructions take at most a few percent.
TEST_F(Calibration, FfmaRateMatchesTheFp32Lanes) {
    const double lanes = hopper() ? 128 : 64;
    EXPECT_GE(value("fp32_flops_per_clk_per_sm"), 2 * lanes * 0.9);
    EXPECT_LE(value("fp32_flops_per_clk_per_sm"), 2 * lanes * 1.02);
}

// [CG] 16 results per clock per SM for exp2 (MUFU), for compute capability 8.x and 9.0.
TEST_F(Calibration, MufuRateIsSixteenPerClock) {
    expect_within(value("sfu_ops_per_clk_per_sm"), 16, 0.2, "ex2");
}

// [CG] 32 banks of 4 bytes: at most 128 bytes per clock per SM.
TEST_F(Calibration, SharedLoadBandwidthIsThirtyTwoBanks) {
    expect_within(value("sram_bytes_per_clk_per_sm"), 128, 0.2, "ldmatrix.x4");
}

// One warp scheduler per sub-partition dispatches at most one instruction per clock [WP]; well
// below one would mean the mix was not independent enough to fill it.
TEST_F(Calibration, IssueRateIsAtMostOnePerClockPerSubPartition) {
    EXPECT_LE(value("issue_per_clk_per_smsp"), 1.02);
    EXPECT_GE(value("issue_per_clk_per_smsp"), 0.7);
}

TEST_F(Calibration, OtherPipesRunAtPlausibleRates) {
    // Per SM: between one quarter-warp and four warps of results per clock.
    for (const char* key :
         {"alu_ops_per_clk_per_sm", "cvt_ops_per_clk_per_sm", "shfl_ops_per_clk_per_sm"}) {
        EXPECT_GE(value(key), 8) << key;
        EXPECT_LE(value(key), 128) << key;
    }
}

// Wide ranges on purpose: they catch a chain that is not dependent (latency near the issue
// interval) or a benchmark that measures something else (hundreds of cycles), not a new chip.
TEST_F(Calibration, LatenciesLieInTheirPlausibleRanges) {
    const struct {
        const char* key;
        double lo, hi;
    } ranges[] = {
        {"fp32_latency_cycles", 3, 8},    {"mufu_latency_cycles", 8, 40},
        {"mma_latency_cycles", 12, 64},   {"ldmatrix_latency_cycles", 12, 64},
        {"shfl_latency_cycles", 8, 64},   {"barrier_cycles", 4, 100},
        {"l2_latency_cycles", 150, 1000}, {"hbm_latency_ns", 150, 2000},
    };
    for (const auto& r : ranges) {
        EXPECT_GE(value(r.key), r.lo) << r.key;
        EXPECT_LE(value(r.key), r.hi) << r.key;
    }
    EXPECT_GT(value("hbm_latency_ns") * 1e-9 * value("sm_clock_mhz") * 1e6,
              value("l2_latency_cycles"));
}

// wgmma (Hopper): the rate at or below the dense 16-bit datasheet peak per SM (4096) and above
// what mma.sync reaches; the latency at least one m64n128k16's pipe occupancy (64 cycles at that
// rate) and not hundreds of cycles beyond. Other cards write 0 for both.
TEST_F(Calibration, WgmmaRateAndLatencyArePlausibleOnHopper) {
    if (s_device->cc_major != 9) {
        EXPECT_EQ(value("wgmma_flops_per_clk_per_sm"), 0);
        EXPECT_EQ(value("wgmma_latency_cycles"), 0);
        return;
    }
    EXPECT_LE(value("wgmma_flops_per_clk_per_sm"), 4096 * 1.02);
    EXPECT_GT(value("wgmma_flops_per_clk_per_sm"), value("tensor_flops_per_clk_per_sm.bf16"));
    const double occupancy = 2.0 * 64 * 128 * 16 / value("wgmma_flops_per_clk_per_sm");
    EXPECT_GE(value("wgmma_latency_cycles"), occupancy * 0.95);
    EXPECT_LE(value("wgmma_latency_cycles"), occupancy + 300);
}

TEST_F(Calibration, ClockUnderLoadIsAtMostThePeak) {
    EXPECT_LE(value("sm_clock_mhz"), s_device->clock_attribute_mhz * 1.01);
    EXPECT_GE(value("sm_clock_mhz"), s_device->clock_attribute_mhz * 0.4);
}

TEST_F(Calibration, BandwidthsAreOrdered) {
    const double clock_hz = value("sm_clock_mhz") * 1e6;
    const double l2 = value("l2_bytes_per_clk") * clock_hz, hbm = value("hbm_bandwidth_gbps") * 1e9;
    EXPECT_GT(l2, hbm);
    EXPECT_GT(hbm, 0.5e12);
    EXPECT_GT(value("l2_atomic_bytes_per_clk"), 0);
    EXPECT_LT(value("l2_atomic_bytes_per_clk"), value("l2_bytes_per_clk"));
    // Stores enter the L2 no faster than reads leave it (H200: 53 %).
    EXPECT_GT(value("l2_write_bytes_per_clk"), 0);
    EXPECT_LE(value("l2_write_bytes_per_clk"), 1.05 * value("l2_bytes_per_clk"));
    EXPECT_GT(value("kernel_launch_us"), 0.5);
    EXPECT_LT(value("kernel_launch_us"), 50);
}

// A returning atomic comes back later than a load from the same L2 lines (it is computed there),
// but not an L2 latency later; before sm_90 the key is 0 (RED).
TEST_F(Calibration, AnAtomicReturnsAfterALoadWould) {
    if (s_device->cc_major < 9) {
        EXPECT_EQ(value("l2_atomic_latency_cycles"), 0);
        return;
    }
    EXPECT_GT(value("l2_atomic_latency_cycles"), value("l2_latency_cycles"));
    EXPECT_LT(value("l2_atomic_latency_cycles"), 2 * value("l2_latency_cycles"));
}

// The block scheduler starts an SM's CTAs faster than a kernel launches, and not for free.
TEST_F(Calibration, ACtaStartsFasterThanAKernel) {
    EXPECT_GT(value("cta_launch_ns"), 5);
    EXPECT_LT(value("cta_launch_ns") * 1e-3, value("kernel_launch_us"));
}

TEST_F(Calibration, DeviceAttributesAreTheDevices) {
    EXPECT_EQ(value("sm_count"), s_device->sm_count);
    EXPECT_EQ(value("l2_size_mib") * 1024 * 1024, double(s_device->l2_bytes));
}

TEST_F(Calibration, ResidentL2IsAPartOfTheL2) {
    // What the residency sweep keeps at the L2's rate: more than a quarter of the L2 (its
    // smallest size), never more than the L2 plus one sweep step.
    const double l2_mib = double(s_device->l2_bytes) / (1024 * 1024);
    EXPECT_GE(value("l2_resident_mib"), l2_mib / 4);
    EXPECT_LE(value("l2_resident_mib"), l2_mib * 16 / 15);
}

TEST_F(Calibration, OneWarpsQueuedLoadsLieBetweenThePortAndTheLatency) {
    // A lone warp's fragment loads (256 B each) come back no closer together than the whole
    // port takes them, and closer than one L2 latency (it has more than one in flight).
    const double port_cycles = 256 / value("l2_sm_read_bytes_per_clk");
    EXPECT_GE(value("l2_warp_load_cycles"), port_cycles);
    EXPECT_LT(value("l2_warp_load_cycles"), value("l2_latency_cycles"));
}

// The preset as written loads in the simulator with the values measured. Skipped while the
// simulator's schema lacks a key the writer writes (the SM issue model's keys).
TEST_F(Calibration, ThePresetLoadsInTheSimulator) {
    const std::string text = preset_yaml(*s_preset);
    flashscope::sim::GpuSpec spec;
    try {
        spec = flashscope::sim::parse_gpu_yaml(text, "calibrated");
    } catch (const flashscope::ConfigError& e) {
        if (e.value() == "unknown key") GTEST_SKIP() << e.what();
        throw;
    }
    EXPECT_EQ(spec.sm_count, s_device->sm_count);
    EXPECT_EQ(spec.sm_clock_hz, value("sm_clock_mhz") * 1e6);
    EXPECT_EQ(spec.tensor_flops_per_clk_bf16, value("tensor_flops_per_clk_per_sm.bf16"));
    EXPECT_EQ(spec.l2_latency_cycles, value("l2_latency_cycles"));
}
