#include <gtest/gtest.h>

#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/resume.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

struct Fixture {
    SweepSpec spec = parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: [1024, 2048]\n", "r.yaml");
    std::vector<SweepPoint> points = expand(spec);
    std::string row(std::size_t i) const {
        return run_point(points[i], spec.gpu_specs[0], 4, OutputFormat::csv).line;
    }
};

TEST(Resume, ReadsRowsAndDropsAnIncompleteLastLine) {
    const Fixture f;
    const test::TempDir dir;
    const std::string partial = f.row(3).substr(0, 30);
    dir.write("out.csv", file_header(OutputFormat::csv) + f.row(0) + f.row(2) + partial);
    const RowStore rows = read_existing_rows(dir.path("out.csv"), OutputFormat::csv, f.points, Shard{});
    EXPECT_EQ(rows.size(), 2);
    EXPECT_TRUE(rows.contains(0));
    EXPECT_TRUE(rows.contains(2));
    EXPECT_FALSE(rows.contains(3));
    EXPECT_EQ(rows.rows().at(2), f.row(2));
}

TEST(Resume, MissingFileMeansNothingDone) {
    const Fixture f;
    EXPECT_EQ(read_existing_rows("/nonexistent/out.csv", OutputFormat::csv, f.points, Shard{}).size(), 0);
}

TEST(Resume, RejectsRowsOfAnotherSweepShardOrTwice) {
    const Fixture f;
    const test::TempDir dir;
    const Fixture other{parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: [512, 2048]\n", "o.yaml")};
    dir.write("other.csv", file_header(OutputFormat::csv) + other.row(0));
    EXPECT_THROW(read_existing_rows(dir.path("other.csv"), OutputFormat::csv, f.points, Shard{}), ResumeError);
    dir.write("shard.csv", file_header(OutputFormat::csv) + f.row(1));
    EXPECT_THROW(read_existing_rows(dir.path("shard.csv"), OutputFormat::csv, f.points, Shard{0, 2}), ResumeError);
    dir.write("twice.csv", file_header(OutputFormat::csv) + f.row(1) + f.row(1));
    try {
        read_existing_rows(dir.path("twice.csv"), OutputFormat::csv, f.points, Shard{});
        FAIL() << "no error";
    } catch (const ResumeError& e) {
        EXPECT_NE(std::string(e.what()).find("twice.csv:3: point " + f.points[1].id), std::string::npos) << e.what();
    }
    dir.write("header.csv", "a,b,c\n");
    EXPECT_THROW(read_existing_rows(dir.path("header.csv"), OutputFormat::csv, f.points, Shard{}), ResumeError);
}

}  // namespace
}  // namespace flashscope::sweep
