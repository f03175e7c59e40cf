#include <gtest/gtest.h>

#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/sweep_spec.hpp"

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
    EXPECT_EQ(s.algorithms, (std::vector<Algorithm>{Algorithm::naive, Algorithm::flash2}));
    EXPECT_EQ(s.seq_q, std::vector<std::int64_t>{4096});
    EXPECT_TRUE(s.seq_k_follows_q);
    EXPECT_EQ(s.models, std::vector<sim::Model>{sim::Model::cycle});
}

TEST(SweepSpec, ScalarsAndListsBothGiveValues) {
    const SweepSpec s = parse_sweep_spec("block_m: [64, 128]\nwarps: 4\ncausal: [false, true]\n"
                                         "seq_q: 1024\nseq_k: [2048, 4096]\n", "s.yaml");
    EXPECT_EQ(s.block_m, (std::vector<std::int64_t>{64, 128}));
    EXPECT_EQ(s.warps, std::vector<std::int64_t>{4});
    EXPECT_EQ(s.causal, (std::vector<bool>{false, true}));
    EXPECT_FALSE(s.seq_k_follows_q);
    EXPECT_EQ(s.seq_k, (std::vector<std::int64_t>{2048, 4096}));
}

TEST(SweepSpec, UnknownKeyNamesKeyAndLine) {
    EXPECT_EQ(error_of("seq: 1024\nblok_m: 64\n").rfind("s.yaml:2: blok_m: unknown key", 0), 0u)
        << error_of("seq: 1024\nblok_m: 64\n");
}

TEST(SweepSpec, BadNumberInListNamesItsLine) {
    EXPECT_EQ(error_of("algo: flash2\nblock_m:\n  - 64\n  - abc\n"), "s.yaml:4: block_m: 'abc' is not a whole number");
    EXPECT_EQ(error_of("seq: 1.5\n"), "s.yaml:1: seq: '1.5' is not a whole number");
}

TEST(SweepSpec, UnknownNamesAreErrorsWithTheirLine) {
    EXPECT_NE(error_of("dtype: [bf16, fp8]\n").find("s.yaml:1: dtype:"), std::string::npos);
    EXPECT_NE(error_of("\n\nalgo: flash3\n").find("s.yaml:3: algo:"), std::string::npos);
    EXPECT_NE(error_of("gpu: [h100-sxm5, tpu-v5]\n").find("s.yaml:1: gpu:"), std::string::npos);
    EXPECT_NE(error_of("causal: maybe\n").find("s.yaml:1: causal: 'maybe' is not true or false"), std::string::npos);
}

TEST(SweepSpec, DuplicatesEmptyListsAndConflictsAreRejected) {
    EXPECT_EQ(error_of("seq: [1024, 2048, 1024]\n"), "s.yaml:1: seq: '1024' is listed twice");
    EXPECT_EQ(error_of("seq: 1024\nwarps: 4\nseq: 2048\n"), "s.yaml:3: seq: the key appears twice");
    EXPECT_EQ(error_of("block_n: []\n"), "s.yaml:1: block_n: the list is empty; give at least one value");
    EXPECT_EQ(error_of("seq: 1024\nseq_k: 2048\n"),
              "s.yaml:1: seq: give either seq (both lengths) or seq_q/seq_k, not both");
    EXPECT_EQ(error_of("heads: {a: 1}\n"), "s.yaml:1: heads: expected a value or a list of values");
}

TEST(SweepSpec, BrokenYamlAndNonMappingsNameTheLine) {
    EXPECT_EQ(error_of("seq: [1024, 2048\nwarps: 4\n").rfind("s.yaml:", 0), 0u);
    EXPECT_NE(error_of("seq: [1024, 2048\nwarps: 4\n").find("not valid YAML"), std::string::npos);
    EXPECT_EQ(error_of("- 1\n- 2\n"), "s.yaml:1: a sweep file is a mapping of keys to values or lists");
}

TEST(SweepSpec, MissingFileIsAnError) {
    EXPECT_THROW(load_sweep_spec("/nonexistent/sweep.yaml"), SpecError);
}

}  // namespace
}  // namespace flashscope::sweep
