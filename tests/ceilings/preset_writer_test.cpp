// The preset writer: every key comes back with its value and its source, in the committed
// presets' order, and the simulator loads what it writes.
#include "flashscope/ceilings/preset_writer.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/gpu_spec.hpp"

using namespace flashscope::ceilings;

namespace {

const std::string k_tensor = "tensor_flops_per_clk_per_sm.";

// Distinct values that need every digit to come back exactly (thirds are not decimal fractions).
PresetText every_key_preset() {
    PresetText p;
    p.name = "test-gpu";
    p.description = "NVIDIA Test: GPU # 1 \"quoted\"";
    p.header = {"a header line", "Command: flashscope calibrate --name test-gpu"};
    p.notes = {"a note: not a key"};
    double v = 1.0;
    for (const auto& key : preset_keys()) {
        v = v * 1.5 + 1.0 / 3.0;
        p.values[key] = {v, "[M] source of " + key + ": 'how' #2"};
    }
    return p;
}

YAML::Node value_node(const YAML::Node& root, const std::string& key) {
    if (key.rfind(k_tensor, 0) == 0)
        return root["tensor_flops_per_clk_per_sm"][key.substr(k_tensor.size())];
    return root[key];
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

// The committed preset's values as a writer input, with its own comments as sources.
PresetText committed_preset(const std::string& file, std::vector<std::string>* absent) {
    const YAML::Node root = YAML::Load(read_file(file));
    PresetText p;
    p.name = root["name"].as<std::string>();
    p.description = root["description"].as<std::string>();
    for (const auto& key : preset_keys()) {
        const YAML::Node node = value_node(root, key);
        if (!node) {
            absent->push_back(key);
            continue;
        }
        p.values[key] = {node.as<double>(), "from " + file};
    }
    return p;
}

}  // namespace

TEST(PresetWriter, EveryValueComesBackExactly) {
    const PresetText p = every_key_preset();
    const YAML::Node root = YAML::Load(preset_yaml(p));
    EXPECT_EQ(root["name"].as<std::string>(), p.name);
    EXPECT_EQ(root["description"].as<std::string>(), p.description);
    for (const auto& key : preset_keys()) {
        const YAML::Node node = value_node(root, key);
        ASSERT_TRUE(node) << key;
        EXPECT_EQ(node.as<double>(), p.values.at(key).value) << key;
    }
    // name, description, the tensor mapping and one entry per other key: nothing else.
    EXPECT_EQ(root.size(), 2 + 1 + preset_keys().size() - 3);
}

TEST(PresetWriter, KeysFollowTheFileOrderWithTheirSourceOnTheirLine) {
    const PresetText p = every_key_preset();
    std::istringstream text(preset_yaml(p));
    std::string line;
    std::size_t next = 0;
    while (std::getline(text, line)) {
        if (next == preset_keys().size()) break;
        const std::string& key = preset_keys()[next];
        const std::string leaf =
            key.rfind(k_tensor, 0) == 0 ? "  " + key.substr(k_tensor.size()) : key;
        if (line.rfind(leaf + ": ", 0) != 0) continue;
        // The comment starts at the committed presets' column 37, or one space after a longer
        // value.
        const std::size_t value_end = leaf.size() + 2 + number_text(p.values.at(key).value).size();
        EXPECT_EQ(line.substr(value_end),
                  std::string(std::max<std::size_t>(37, value_end + 1) - value_end, ' ') + "# " +
                      p.values.at(key).source)
            << line;
        ++next;
    }
    EXPECT_EQ(next, preset_keys().size()) << "key out of order: " << preset_keys()[next];
}

TEST(PresetWriter, HeaderAndNotesAreComments) {
    const std::string text = preset_yaml(every_key_preset());
    EXPECT_EQ(text.rfind("# a header line\n", 0), 0u);
    EXPECT_NE(text.find("\n# a note: not a key\n"), std::string::npos);
}

TEST(PresetWriter, TheCommittedH200PresetRoundTripsThroughTheSimulator) {
    const std::string file = std::string(FLASHSCOPE_SOURCE_DIR) + "/configs/gpus/h200-sxm.yaml";
    std::vector<std::string> absent;
    const PresetText p = committed_preset(file, &absent);
    if (!absent.empty())
        GTEST_SKIP() << "the committed preset predates key " << absent.front()
                     << " (the SM issue model's keys)";
    const flashscope::sim::GpuSpec expected = flashscope::sim::load_gpu_file(file);
    const flashscope::sim::GpuSpec got = flashscope::sim::parse_gpu_yaml(preset_yaml(p), "test");
    EXPECT_EQ(got.sm_count, expected.sm_count);
    EXPECT_EQ(got.sm_clock_hz, expected.sm_clock_hz);
    EXPECT_EQ(got.registers_per_sm, expected.registers_per_sm);
    EXPECT_EQ(got.sram_per_sm_bytes, expected.sram_per_sm_bytes);
    EXPECT_EQ(got.sram_per_block_bytes, expected.sram_per_block_bytes);
    EXPECT_EQ(got.l2_size_bytes, expected.l2_size_bytes);
    EXPECT_EQ(got.l2_dirty_limit_bytes, expected.l2_dirty_limit_bytes);
    EXPECT_EQ(got.l2_bytes_per_clk, expected.l2_bytes_per_clk);
    EXPECT_EQ(got.hbm_size_bytes, expected.hbm_size_bytes);
    EXPECT_EQ(got.hbm_bytes_per_s, expected.hbm_bytes_per_s);
    EXPECT_EQ(got.hbm_latency_s, expected.hbm_latency_s);
    EXPECT_EQ(got.kernel_launch_s, expected.kernel_launch_s);
    EXPECT_EQ(got.tensor_flops_per_clk_bf16, expected.tensor_flops_per_clk_bf16);
    EXPECT_EQ(got.tensor_flops_per_clk_fp32, expected.tensor_flops_per_clk_fp32);
    EXPECT_EQ(got.sfu_ops_per_clk, expected.sfu_ops_per_clk);
}

TEST(PresetWriter, RefusesAMissingKey) {
    PresetText p = every_key_preset();
    p.values.erase("mma_latency_cycles");
    try {
        (void)preset_yaml(p);
        FAIL() << "no error";
    } catch (const flashscope::ConfigError& e) {
        EXPECT_EQ(e.field(), "mma_latency_cycles");
        EXPECT_EQ(e.value(), "missing");
    }
}

TEST(PresetWriter, RefusesAnUnknownKey) {
    PresetText p = every_key_preset();
    p.values["l2_bandwidth"] = {1, ""};
    EXPECT_THROW((void)preset_yaml(p), flashscope::ConfigError);
}

TEST(PresetWriter, RefusesAValueThatIsNotFinite) {
    PresetText p = every_key_preset();
    p.values["barrier_cycles"].value = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW((void)preset_yaml(p), flashscope::ConfigError);
    p.values["barrier_cycles"].value = std::numeric_limits<double>::infinity();
    EXPECT_THROW((void)preset_yaml(p), flashscope::ConfigError);
}

TEST(PresetWriter, RefusesANameThatIsNotAPlainWord) {
    PresetText p = every_key_preset();
    for (const char* name : {"", "my gpu", "a:b", "x#1"}) {
        p.name = name;
        EXPECT_THROW((void)preset_yaml(p), flashscope::ConfigError) << name;
    }
}

TEST(PresetWriter, RefusesASourceThatWouldEndTheComment) {
    PresetText p = every_key_preset();
    p.values["sm_count"].source = "two\nsm_count: 1";
    EXPECT_THROW((void)preset_yaml(p), flashscope::ConfigError);
}

TEST(PresetWriter, NumbersAreShortestExactText) {
    EXPECT_EQ(number_text(132), "132");
    EXPECT_EQ(number_text(1805.5), "1805.5");
    EXPECT_EQ(number_text(0.25), "0.25");
    EXPECT_EQ(std::stod(number_text(1.0 / 3.0)), 1.0 / 3.0);
}

TEST(PresetWriter, NamesComeFromTheDeviceName) {
    EXPECT_EQ(preset_name_from_device("NVIDIA H200"), "nvidia-h200");
    EXPECT_EQ(preset_name_from_device("NVIDIA H100 80GB HBM3"), "nvidia-h100-80gb-hbm3");
    EXPECT_EQ(preset_name_from_device("  A100-SXM4-40GB  "), "a100-sxm4-40gb");
    EXPECT_EQ(preset_name_from_device("!!"), "gpu");
}
