#include <gtest/gtest.h>

#include "flashscope/sweep/merge.hpp"
#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

class MergeTest : public ::testing::Test {
protected:
    SweepSpec m_spec = parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: [1024, 2048, 4096]\n", "m.yaml");
    std::vector<SweepPoint> m_points = expand(m_spec);
    test::TempDir m_dir;

    std::string rows(std::vector<std::size_t> indices, OutputFormat f = OutputFormat::csv) const {
        std::string text = file_header(f);
        for (std::size_t i : indices) text += run_point(m_points[i], m_spec.gpu_specs[0], 6, f).line;
        return text;
    }
    std::string merge_error(const std::vector<std::string>& names) const {
        std::vector<std::string> paths;
        for (const std::string& n : names) paths.push_back(m_dir.path(n));
        try {
            merge_shard_files(paths);
        } catch (const MergeError& e) {
            return e.what();
        }
        return "no error";
    }
};

TEST_F(MergeTest, ShardsJoinInIndexOrder) {
    m_dir.write("a.csv", rows({0, 3}));
    m_dir.write("b.csv", rows({1, 4}));
    m_dir.write("c.csv", rows({2, 5}));
    const MergeResult merged = merge_shard_files({m_dir.path("c.csv"), m_dir.path("a.csv"), m_dir.path("b.csv")});
    EXPECT_EQ(merged.rows, 6);
    EXPECT_EQ(merged.content, rows({0, 1, 2, 3, 4, 5}));
}

TEST_F(MergeTest, JsonLinesAndEmptyShardsJoinToo) {
    m_dir.write("a.jsonl", rows({0, 2, 4}, OutputFormat::jsonl));
    m_dir.write("b.jsonl", rows({1, 3, 5}, OutputFormat::jsonl));
    m_dir.write("empty.jsonl", "");
    EXPECT_EQ(merge_shard_files({m_dir.path("a.jsonl"), m_dir.path("b.jsonl"), m_dir.path("empty.jsonl")}).content,
              rows({0, 1, 2, 3, 4, 5}, OutputFormat::jsonl));
}

TEST_F(MergeTest, NamesMissingPoints) {
    m_dir.write("a.csv", rows({0, 2, 4}));
    m_dir.write("b.csv", rows({1, 5}));
    EXPECT_EQ(merge_error({"a.csv", "b.csv"}),
              "merge: 1 of 6 point(s) missing: index 3 (is a shard file absent or unfinished?)");
}

TEST_F(MergeTest, NamesDoubledPointsWithBothPlaces) {
    m_dir.write("a.csv", rows({0, 2, 4}));
    m_dir.write("b.csv", rows({1, 3, 5, 2}));
    const std::string error = merge_error({"a.csv", "b.csv"});
    EXPECT_NE(error.find("1 point(s) doubled: index 2 (id " + m_points[2].id + ") in " + m_dir.path("a.csv") +
                         ":3 and " + m_dir.path("b.csv") + ":5"),
              std::string::npos)
        << error;
}

TEST_F(MergeTest, RejectsMixedFormatsAndForeignFiles) {
    m_dir.write("a.csv", rows({0, 2, 4}));
    m_dir.write("b.jsonl", rows({1, 3, 5}, OutputFormat::jsonl));
    m_dir.write("x.csv", "name,value\n");
    EXPECT_NE(merge_error({"a.csv", "b.jsonl"}).find("mixes CSV and JSON-lines"), std::string::npos);
    EXPECT_NE(merge_error({"x.csv"}).find("x.csv:1: not a sweep output"), std::string::npos);
    EXPECT_NE(merge_error({"a.csv", "a.csv"}).find("is given twice"), std::string::npos);
}

}  // namespace
}  // namespace flashscope::sweep
