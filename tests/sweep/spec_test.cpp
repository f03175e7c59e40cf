#include <gtest/gtest.h>

#include <filesystem>

#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/sweep_spec.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

std::string error_of(const std::string& yaml) {
    try {
        parse_sweep_spec(yaml, "s.yaml");
    } catch (const SpecError& e) {
        return e.what();
    }
    return "no error";
}

TEST(SweepSpec, EmptyMappingKeepsSimulateDefaults) {
    const SweepSpec s = parse_sweep_spec("name: defaults\n", "s.yaml");
    EXPECT_EQ(s.name, "defaults");
    EXPECT_EQ(s.gpus, std::vector<std::string>{"h100-sxm5"});
    ASSERT_EQ(s.gpu_specs.size(), 1u);
    EXPECT_EQ(s.values("algo"), (std::vector<std::string>{"naive", "flash2"}));
    EXPECT_EQ(s.values("seq_q"), std::vector<std::string>{"4096"});
    EXPECT_EQ(s.values("model"), std::vector<std::string>{"cycle"});
}

TEST(SweepSpec, ScalarsAndListsBothGiveValues) {
    const SweepSpec s = parse_sweep_spec(
        "block_m: [64, 128]\nwarps: 4\ncausal: [false, true]\n"
        "seq_q: 1024\nseq_k: [2048, 4096]\n",
        "s.yaml");
    EXPECT_EQ(s.values("block_m"), (std::vector<std::string>{"64", "128"}));
    EXPECT_EQ(s.values("warps"), std::vector<std::string>{"4"});
    EXPECT_EQ(s.values("causal"), (std::vector<std::string>{"false", "true"}));
    EXPECT_EQ(s.values("seq_k"), (std::vector<std::string>{"2048", "4096"}));
}

TEST(SweepSpec, UnknownKeyNamesKeyAndLine) {
    EXPECT_EQ(error_of("seq: 1024\nblok_m: 64\n").rfind("s.yaml:2: blok_m: unknown key", 0), 0u)
        << error_of("seq: 1024\nblok_m: 64\n");
}

TEST(SweepSpec, BadNumberInListNamesItsLine) {
    EXPECT_EQ(error_of("algo: flash2\nblock_m:\n  - 64\n  - abc\n"),
              "s.yaml:4: block_m: 'abc' must be a whole number in [0, 256]");
    EXPECT_EQ(error_of("seq: 1.5\n"),
              "s.yaml:1: seq: '1.5' must be a whole number in [1, 16777216]");
}

TEST(SweepSpec, UnknownNamesAreErrorsWithTheirLine) {
    EXPECT_NE(error_of("dtype: [bf16, fp8]\n").find("s.yaml:1: dtype:"), std::string::npos);
    EXPECT_NE(error_of("\n\nalgo: flash9\n").find("s.yaml:3: algo:"), std::string::npos);
    EXPECT_NE(error_of("gpu: [h100-sxm5, tpu-v5]\n").find("s.yaml:1: gpu:"), std::string::npos);
    EXPECT_NE(error_of("causal: maybe\n").find("s.yaml:1: causal: 'maybe' must be true or false"),
              std::string::npos);
}

TEST(SweepSpec, DuplicatesEmptyListsAndConflictsAreRejected) {
    EXPECT_EQ(error_of("seq: [1024, 2048, 1024]\n"), "s.yaml:1: seq: '1024' is listed twice");
    EXPECT_EQ(error_of("seq: 1024\nwarps: 4\nseq: 2048\n"), "s.yaml:3: seq: the key appears twice");
    EXPECT_EQ(error_of("block_n: []\n"),
              "s.yaml:1: block_n: the list is empty; give at least one value");
    EXPECT_EQ(error_of("seq: 1024\nseq_k: 2048\n"),
              "s.yaml:2: seq_k: '2048' conflicts with seq 1024; give one or the other");
    EXPECT_EQ(error_of("tile: 128x64x4x2\nwarps: 8\n"),
              "s.yaml:2: warps: '8' conflicts with tile 128x64x4x2; give one or the other");
    EXPECT_EQ(error_of("heads: {a: 1}\n"), "s.yaml:1: heads: expected a value or a list of values");
}

TEST(SweepSpec, ValuesAreNormalisedBeforeDuplicatesAreFound) {
    EXPECT_EQ(error_of("algo: flash2\nhead_dim: [64, 0064]\n"),
              "s.yaml:2: head_dim: '0064' is listed twice ('64' and '0064' are both 64)");
    EXPECT_EQ(error_of("causal: [false, true, no]\n"),
              "s.yaml:1: causal: 'no' is listed twice ('false' and 'no' are both false)");
    const SweepSpec s = parse_sweep_spec("seq: [+1024, 02048]\nhead_dim: 0064\n", "s.yaml");
    EXPECT_EQ(s.values("seq"), (std::vector<std::string>{"1024", "2048"}));
    EXPECT_EQ(s.values("head_dim"), std::vector<std::string>{"64"});
}

TEST(SweepSpec, ValuesNoPointCanUseAreErrorsBeforeAnyWork) {
    EXPECT_EQ(error_of("algo: flash2\nbatch: -4\n"),
              "s.yaml:2: batch: '-4' must be a whole number in [1, 1048576]");
    EXPECT_EQ(error_of("heads: [16, 0]\n"),
              "s.yaml:1: heads: '0' must be a whole number in [1, 1048576]");
    EXPECT_EQ(error_of("seq_q: 1024\nseq_k: [1024, -1]\n"),
              "s.yaml:2: seq_k: '-1' must be a whole number in [1, 16777216]");
    EXPECT_EQ(error_of("head_dim: [64, 100]\n"),
              "s.yaml:1: head_dim: '100' must be a multiple of 8 (16-byte rows for the tensor-core "
              "loads)");
    EXPECT_EQ(error_of("head_dim: 512\n"),
              "s.yaml:1: head_dim: '512' must be a whole number in [1, 256]");
    EXPECT_EQ(error_of("block_m: [64, 100]\n"),
              "s.yaml:1: block_m: '100' must be a multiple of 16 in [16, 256] (tensor-core "
              "fragment size)");
    EXPECT_EQ(error_of("warps: 3\n"),
              "s.yaml:1: warps: '3' must be a power of two in [1, 16] or 12 (three warpgroups)");
    EXPECT_EQ(error_of("stages: -1\n"), "s.yaml:1: stages: '-1' must be a whole number in [0, 4]");
}

TEST(SweepSpec, CombinationsThatCannotRunAreNotErrors) {
    // 8 does not divide 12 and a 256 x 256 tile does not fit: rows with status infeasible, not
    // errors.
    const SweepSpec s = parse_sweep_spec(
        "heads: 12\nkv_heads: [4, 8]\nblock_m: [0, 256]\nblock_n: [0, 256]\n", "s.yaml");
    EXPECT_EQ(s.values("kv_heads"), (std::vector<std::string>{"4", "8"}));
    EXPECT_EQ(s.values("block_m"), (std::vector<std::string>{"0", "256"}));
}

TEST(SweepSpec, GpuFilesAreReadRelativeToTheSweepFile) {
    const test::TempDir dir;
    std::filesystem::create_directories(dir.path("sweeps/gpus"));
    std::string gpu = std::string(sim::gpu_preset_yaml("h100-sxm5"));
    gpu.replace(gpu.find("name: h100-sxm5"), 15, "name: my-gpu");
    dir.write("sweeps/gpus/mine.yaml", gpu);
    dir.write("sweeps/s.yaml", "gpu: [h100-sxm5, ./gpus/../gpus/mine.yaml]\n");
    const SweepSpec s =
        load_sweep_spec(dir.path("sweeps/s.yaml"));  // this process's directory is elsewhere
    EXPECT_EQ(s.gpus, (std::vector<std::string>{"h100-sxm5", "gpus/mine.yaml"}));
    ASSERT_EQ(s.gpu_specs.size(), 2u);
    EXPECT_EQ(s.gpu_specs[1].name, "my-gpu");
    EXPECT_EQ(s.gpu_yaml[1], gpu);
    dir.write("sweeps/twice.yaml", "gpu:\n  - gpus/mine.yaml\n  - ./gpus/mine.yaml\n");
    try {
        load_sweep_spec(dir.path("sweeps/twice.yaml"));
        FAIL() << "no error";
    } catch (const SpecError& e) {
        EXPECT_EQ(std::string(e.what()),
                  dir.path("sweeps/twice.yaml") +
                      ":3: gpu: './gpus/mine.yaml' is listed twice "
                      "('gpus/mine.yaml' and './gpus/mine.yaml' are both gpus/mine.yaml)");
    }

    dir.write("sweeps/missing.yaml", "algo: flash2\ngpu: other.yaml\n");
    try {
        load_sweep_spec(dir.path("sweeps/missing.yaml"));
        FAIL() << "no error";
    } catch (const SpecError& e) {
        EXPECT_NE(std::string(e.what()).find(":2: gpu: gpu = " + dir.path("sweeps/other.yaml") +
                                             ": cannot open"),
                  std::string::npos)
            << e.what();
    }
}

TEST(SweepSpec, EverySimulateOptionIsAKey) {
    const SweepSpec s = parse_sweep_spec(
        "algo: naive\nnaive_eager: true\ndropout: [0, 0.1]\nsoftmax_scale: 0.125\n"
        "tile: [128x64x4x2, 64x64x4x1]\n",
        "s.yaml");
    EXPECT_EQ(s.values("dropout"), (std::vector<std::string>{"0", "0.1"}));
    EXPECT_EQ(s.values("tile"), (std::vector<std::string>{"128x64x4x2", "64x64x4x1"}));
    EXPECT_EQ(s.values("naive_eager"), std::vector<std::string>{"true"});
    EXPECT_EQ(s.values("softmax_scale"), std::vector<std::string>{"0.125"});
}

TEST(SweepSpec, IneffectiveCombinationsAreRefusedWithTheirLine) {
    EXPECT_EQ(error_of("algo: naive\ndropout: [0, 0.1]\n"),
              "s.yaml:2: dropout: '0.1' changes nothing without naive eager mode (naive_eager)");
    EXPECT_EQ(error_of("algo: flash2\nnaive_eager: true\n"),
              "s.yaml:2: naive_eager: 'true' changes only the naive algorithm, which does not run "
              "(algo)");
    EXPECT_EQ(error_of("naive_eager: true\ndropout: [0, 0.1]\nsoftmax_scale: 0.125\n"), "no error");
}

TEST(SweepSpec, BrokenYamlAndNonMappingsNameTheLine) {
    EXPECT_EQ(error_of("seq: [1024, 2048\nwarps: 4\n").rfind("s.yaml:", 0), 0u);
    EXPECT_NE(error_of("seq: [1024, 2048\nwarps: 4\n").find("not valid YAML"), std::string::npos);
    EXPECT_EQ(error_of("- 1\n- 2\n"),
              "s.yaml:1: a sweep file is a mapping of keys to values or lists");
}

TEST(SweepSpec, MissingFileIsAnError) {
    EXPECT_THROW(load_sweep_spec("/nonexistent/sweep.yaml"), SpecError);
}

}  // namespace
}  // namespace flashscope::sweep
