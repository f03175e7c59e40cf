#include "flashscope/sweep/merge.hpp"

#include <gtest/gtest.h>

#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/sweep_identity.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

struct Sweep {
    SweepSpec spec;
    std::vector<SweepPoint> points = expand(spec);
    std::string sweep_id = sweep_identity(spec, points);

    std::string rows(std::vector<std::size_t> indices, OutputFormat f = OutputFormat::csv) const {
        std::string text = file_header(f);
        const RowContext context{static_cast<std::int64_t>(points.size()), sweep_id, f};
        for (std::size_t i : indices) text += run_point(points[i], spec.gpu_specs[0], context).line;
        return text;
    }
};

class MergeTest : public ::testing::Test {
protected:
    Sweep m_sweep{parse_sweep_spec(
        "algo: [naive, flash2]\nmodel: analytic\nseq: [1024, 2048, 4096]\n", "m.yaml")};
    std::vector<SweepPoint>& m_points = m_sweep.points;
    test::TempDir m_dir;

    std::string rows(std::vector<std::size_t> indices, OutputFormat f = OutputFormat::csv) const {
        return m_sweep.rows(std::move(indices), f);
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
    const MergeResult merged =
        merge_shard_files({m_dir.path("c.csv"), m_dir.path("a.csv"), m_dir.path("b.csv")});
    EXPECT_EQ(merged.rows, 6);
    EXPECT_EQ(merged.content, rows({0, 1, 2, 3, 4, 5}));
}

TEST_F(MergeTest, JsonLinesAndEmptyShardsJoinToo) {
    m_dir.write("a.jsonl", rows({0, 2, 4}, OutputFormat::jsonl));
    m_dir.write("b.jsonl", rows({1, 3, 5}, OutputFormat::jsonl));
    m_dir.write("empty.jsonl", "");
    EXPECT_EQ(
        merge_shard_files({m_dir.path("a.jsonl"), m_dir.path("b.jsonl"), m_dir.path("empty.jsonl")})
            .content,
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
    EXPECT_NE(error.find("1 point(s) doubled: index 2 (id " + m_points[2].id + ") in " +
                         m_dir.path("a.csv") + ":3 and " + m_dir.path("b.csv") + ":5"),
              std::string::npos)
        << error;
}

TEST_F(MergeTest, RejectsMixedFormatsAndForeignFiles) {
    m_dir.write("a.csv", rows({0, 2, 4}));
    m_dir.write("b.jsonl", rows({1, 3, 5}, OutputFormat::jsonl));
    m_dir.write("x.csv", "name,value\n");
    m_dir.write("old.csv", "id,index,points,status,reason\n");
    EXPECT_NE(merge_error({"a.csv", "b.jsonl"}).find("mixes CSV and JSON-lines"),
              std::string::npos);
    EXPECT_NE(merge_error({"x.csv"}).find("x.csv:1: not a sweep output"), std::string::npos);
    EXPECT_NE(merge_error({"old.csv"}).find("old.csv:1: the header is not this version's"),
              std::string::npos);
    EXPECT_NE(merge_error({"a.csv", "a.csv"}).find("is given twice"), std::string::npos);
}

TEST_F(MergeTest, RejectsShardsOfTwoSweepsWithTheSameShape) {
    // The same six points in the cycle model: other ids, and so another sweep. Shard 0/2 of one and
    // shard 1/2 of the other cover every index once, which merge accepted before sweep ids.
    const Sweep cycle{parse_sweep_spec(
        "algo: [naive, flash2]\nmodel: cycle\nseq: [1024, 2048, 4096]\n", "c.yaml")};
    for (OutputFormat f : {OutputFormat::csv, OutputFormat::jsonl}) {
        m_dir.write("analytic", rows({0, 2, 4}, f));
        m_dir.write("cycle", cycle.rows({1, 3, 5}, f));
        const std::string first_row = f == OutputFormat::csv ? ":2" : ":1";
        EXPECT_EQ(merge_error({"analytic", "cycle"}),
                  m_dir.path("cycle") + first_row + ": the row is of sweep " + cycle.sweep_id +
                      " but " + m_dir.path("analytic") + first_row + " is of sweep " +
                      m_sweep.sweep_id +
                      ": files of different sweeps (another sweep file, or one changed between the "
                      "shards' runs); "
                      "merge the shards of one sweep");
    }
}

TEST_F(MergeTest, RejectsARowWithAnExtraFieldNamingItsLine) {
    std::string text = rows({0, 2, 4});
    text.insert(text.find('\n', text.find('\n') + 1), ",surprise");  // the end of line 2
    m_dir.write("a.csv", text);
    m_dir.write("b.csv", rows({1, 3, 5}));
    EXPECT_EQ(merge_error({"a.csv", "b.csv"}),
              m_dir.path("a.csv") + ":2: not a well-formed sweep row: it has " +
                  std::to_string(sweep_csv_columns().size() + 1) + " fields, the header " +
                  std::to_string(sweep_csv_columns().size()) +
                  "; fix or delete that line and run its shard again with --resume");
    std::string json = rows({1, 3, 5}, OutputFormat::jsonl);
    json.insert(json.find('\n'), "x");
    m_dir.write("b.jsonl", json);
    EXPECT_EQ(merge_error({"b.jsonl"})
                  .rfind(m_dir.path("b.jsonl") +
                             ":1: not a well-formed sweep row: it is not a JSON object",
                         0),
              0u);
}

TEST_F(MergeTest, RejectsOnePointAtTwoIndices) {
    // What an older flashscope wrote for `seq: [1024, 01024]`: the same point at index 0 and 1.
    std::string text = rows({0, 1});
    const std::string row0 =
        text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n'));
    std::string twin = row0;
    twin.replace(twin.find(",0,"), 3, ",1,");
    m_dir.write("a.csv", file_header(OutputFormat::csv) + row0 + twin);
    EXPECT_NE(merge_error({"a.csv"}).find("a.csv:3: point " + m_points[0].id +
                                          " is at index 1 here and at 0"),
              std::string::npos)
        << merge_error({"a.csv"});
}

TEST_F(MergeTest, ARowClaimingAHugeSweepIsRefusedAtOnce) {
    // Found by fuzz/sweep_rows_fuzz: merge listed every missing index of the claimed sweep.
    std::string row = rows({0});
    row = row.substr(file_header(OutputFormat::csv).size());
    const std::size_t points_cell = row.find(",6,");
    ASSERT_NE(points_cell, std::string::npos);
    row.replace(points_cell, 3, ",999999999999999,");
    m_dir.write("huge.csv", file_header(OutputFormat::csv) + row);
    EXPECT_EQ(merge_error({"huge.csv"}),
              "merge: 999999999999998 of 999999999999999 point(s) missing: index 1, 2, 3, 4, 5, 6, "
              "7, 8, 9, "
              "10, and 999999999999988 more (is a shard file absent or unfinished?)");
}

}  // namespace
}  // namespace flashscope::sweep
