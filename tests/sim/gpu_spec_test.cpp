#include "flashscope/sim/gpu_spec.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <tuple>

#include "flashscope/core/error.hpp"

using namespace flashscope;
using namespace flashscope::sim;

TEST(GpuPresets, AllFourParseWithTheirDatasheetPeaks) {
    const auto names = gpu_preset_names();
    ASSERT_EQ(names.size(), 4u);
    const GpuSpec h100 = gpu_preset("h100-sxm5");
    EXPECT_EQ(h100.sm_count, 132);
    // Hopper presets carry the measured mma.sync rate, below the 4096 FLOP/clk/SM wgmma peak
    // (989.4 dense TFLOPS at the datasheet clock: 132 x 4096 x 1.83 GHz).
    EXPECT_NEAR(4096.0 * 132 * h100.sm_clock_hz / 1e12, 989.4, 0.5);
    EXPECT_LT(h100.tensor_flops_per_clk(DType::bf16), 4096);
    EXPECT_NEAR(h100.tensor_flops_per_clk(DType::fp32), h100.tensor_flops_per_clk(DType::bf16) / 2,
                1);
    EXPECT_EQ(h100.sram_per_block_bytes, 227 * 1024);
    const GpuSpec a100 = gpu_preset("a100-sxm4-40gb");
    EXPECT_NEAR(a100.tensor_flops_per_clk(DType::bf16) * 108 * a100.sm_clock_hz / 1e12, 312, 0.5);
    // Measured usable memory (calibrate): below the datasheet's 141 GB (GiB), above 139 GiB.
    EXPECT_GT(gpu_preset("h200-sxm").hbm_size_bytes, std::int64_t{139} << 30);
    EXPECT_LT(gpu_preset("h200-sxm").hbm_size_bytes, std::int64_t{141} << 30);
}

TEST(GpuPresets, EveryValueCarriesASourceComment) {
    for (const auto& name : gpu_preset_names()) {
        const std::string text(gpu_preset_yaml(name));
        std::istringstream lines(text);
        std::string line;
        while (std::getline(lines, line)) {
            const bool scalar = std::regex_search(line, std::regex(R"(^[a-z_0-9]+:\s*[0-9])"));
            if (scalar) {
                EXPECT_NE(line.find("# ["), std::string::npos) << name << ": " << line;
            }
        }
    }
}

TEST(GpuSpecYaml, UnknownKeyIsAnErrorNamingIt) {
    std::string text(gpu_preset_yaml("h100-sxm5"));
    text += "warp_size_bogus: 32\n";
    try {
        parse_gpu_yaml(text, "mine.yaml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "mine.yaml: warp_size_bogus");
    }
}

TEST(GpuSpecYaml, MissingKeyIsAnErrorNamingIt) {
    std::string text(gpu_preset_yaml("h100-sxm5"));
    text = std::regex_replace(text, std::regex("l2_bytes_per_clk:[^\n]*\n"), "");
    try {
        parse_gpu_yaml(text, "mine.yaml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "mine.yaml: l2_bytes_per_clk");
    }
}

TEST(GpuSpecYaml, UserFileLoadsThroughResolveAndZeroL2IsAllowed) {
    std::string text(gpu_preset_yaml("a100-sxm4-80gb"));
    text = std::regex_replace(text, std::regex("l2_size_mib: 40"), "l2_size_mib: 0");
    text = std::regex_replace(text, std::regex("name: a100-sxm4-80gb"), "name: my-gpu");
    const std::string path = ::testing::TempDir() + "my-gpu.yaml";
    std::ofstream(path) << text;
    const GpuSpec g = resolve_gpu(path);
    EXPECT_EQ(g.name, "my-gpu");
    EXPECT_FALSE(g.l2_enabled());
    EXPECT_THROW(resolve_gpu("no-such-gpu"), ConfigError);
    EXPECT_THROW(resolve_gpu("/no/such/file.yaml"), ConfigError);
}

TEST(GpuSpecYaml, NonNumericValueNamesKey) {
    std::string text(gpu_preset_yaml("h100-sxm5"));
    text = std::regex_replace(text, std::regex("sm_count: 132"), "sm_count: many");
    try {
        parse_gpu_yaml(text, "x.yaml");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "x.yaml: sm_count");
    }
}

TEST(GpuSpecYaml, ValuesTooLargeToCountWithAreErrorsNamingTheKey) {
    const std::string preset(gpu_preset_yaml("h100-sxm5"));
    for (const auto& [from, to, key] :
         {std::tuple{"sm_count: 132", "sm_count: 1e12", "sm_count"},
          std::tuple{"sm_count: 132", "sm_count: 1e300", "sm_count"},
          std::tuple{"l2_size_mib: 50", "l2_size_mib: 1e15", "l2_size_mib"},
          std::tuple{"l2_resident_mib: 42", "l2_resident_mib: 1e15", "l2_resident_mib"}}) {
        const std::string text = std::regex_replace(preset, std::regex(from), to);
        ASSERT_NE(text, preset) << from;
        try {
            parse_gpu_yaml(text, "x.yaml");
            FAIL() << to;
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.field(), key) << to;
            EXPECT_EQ(e.limit().rfind("must be <= ", 0), 0u) << e.what();
        }
    }
}

TEST(GpuSpecYaml, TextKeysMustBeSingleValuesAndKeysAppearOnce) {
    // Found by fuzz/gpu_yaml_fuzz: an empty description escaped as a yaml-cpp exception.
    const std::string preset(gpu_preset_yaml("h100-sxm5"));
    const std::string empty =
        std::regex_replace(preset, std::regex("description: [^\n]*"), "description:");
    const std::string twice = preset + "sm_count: 7\n";
    for (const auto& [text, field] :
         {std::pair{empty, "x.yaml: description"}, std::pair{twice, "x.yaml: sm_count"}}) {
        try {
            parse_gpu_yaml(text, "x.yaml");
            FAIL() << field;
        } catch (const ConfigError& e) {
            EXPECT_EQ(e.field(), field);
        }
    }
}

// wgmma is Hopper's: the Hopper presets carry calibrate's measured rate (the dense 16-bit peak per
// SM) and a latency that is marked as not yet measured; the A100s carry 0 for both (no wgmma).
TEST(GpuPresets, WgmmaKeysAreHoppersAndMeasured) {
    for (const char* name : {"h100-sxm5", "h200-sxm"}) {
        const GpuSpec g = gpu_preset(name);
        EXPECT_TRUE(g.has_wgmma()) << name;
        EXPECT_DOUBLE_EQ(g.wgmma_flops_per_clk, 4096) << name;
        EXPECT_GT(g.wgmma_flops_per_clk, g.tensor_flops_per_clk(DType::bf16)) << name;
        // At least one m64n128k16's pipe occupancy at that rate.
        EXPECT_GE(g.wgmma_latency_cycles, 2.0 * 64 * 128 * 16 / g.wgmma_flops_per_clk) << name;
        // Every wgmma key says where it was measured ([M] on this card, [H] on the H200).
        const std::string text(gpu_preset_yaml(name));
        for (const char* key :
             {"wgmma_flops_per_clk_per_sm:", "wgmma_latency_cycles:", "wgmma_fma_hidden_share:",
              "wgmma_fma_rate_share:", "wgmma_mufu_rate_share:", "wgmma_alu_rate_share:",
              "mbarrier_wait_cycles:"}) {
            const auto at = text.find(key);
            ASSERT_NE(at, std::string::npos) << name << " " << key;
            const std::string line = text.substr(at, text.find('\n', at) - at);
            EXPECT_NE(line.find("calibrate"), std::string::npos) << name << ": " << line;
            EXPECT_EQ(line.find("NOT YET MEASURED"), std::string::npos) << name << ": " << line;
        }
        // FMA work and wgmma barely overlap; MUFU and ALU work run beside it, slower.
        EXPECT_LT(g.wgmma_fma_hidden_share, 0.5) << name;
        EXPECT_LT(g.wgmma_mufu_rate_share, 1) << name;
    }
    for (const char* name : {"a100-sxm4-40gb", "a100-sxm4-80gb"}) {
        const GpuSpec g = gpu_preset(name);
        EXPECT_FALSE(g.has_wgmma()) << name;
        EXPECT_EQ(g.wgmma_latency_cycles, 0) << name;
        EXPECT_EQ(g.mbarrier_wait_cycles, 0) << name;
    }
}

TEST(GpuSpecYaml, WgmmaRateNeedsALatencyAndIsNeverNegative) {
    GpuSpec g = gpu_preset("h200-sxm");
    g.wgmma_latency_cycles = 0;
    try {
        g.validate();
        FAIL() << "a wgmma rate without a latency validated";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "wgmma_latency_cycles");
    }
    g = gpu_preset("h200-sxm");
    g.wgmma_flops_per_clk = -1;
    EXPECT_THROW(g.validate(), ConfigError);
}

// The L2 sends reads out at its read rate while it takes stores and fills from HBM in at its write
// rate: the slower direction bounds it.
TEST(GpuSpec, TheL2SendsReadsOutAtOneRateAndTakesStoresAndFillsInAtAnother) {
    GpuSpec g = gpu_preset("h200-sxm");
    g.sm_clock_hz = 1e9;
    g.l2_bytes_per_clk = 1000;       // 1 TB/s out
    g.l2_write_bytes_per_clk = 250;  // 0.25 TB/s in
    EXPECT_NEAR(g.l2_seconds(4000, 0, 0), 4e-9, 1e-15);
    EXPECT_NEAR(g.l2_seconds(0, 1000, 0), 4e-9, 1e-15);
    EXPECT_NEAR(g.l2_seconds(4000, 1000, 1000), 8e-9, 1e-15);    // stores and fills: 2000 in
    EXPECT_NEAR(g.l2_seconds(12000, 1000, 1000), 12e-9, 1e-15);  // reads out the longer
}
