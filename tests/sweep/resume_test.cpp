#include "flashscope/sweep/resume.hpp"

#include <gtest/gtest.h>

#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/sweep_identity.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep {
namespace {

struct Fixture {
    SweepSpec spec =
        parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: [1024, 2048]\n", "r.yaml");
    std::vector<SweepPoint> points = expand(spec);
    RowContext context{4, sweep_identity(spec, points), OutputFormat::csv};
    std::string row(std::size_t i) const {
        return run_point(points[i], spec.gpu_specs[0], context).line;
    }
};

std::string resume_error(const std::string& path, const Fixture& f, Shard shard = {}) {
    try {
        read_existing_rows(path, f.context, f.points, shard);
    } catch (const ResumeError& e) {
        return e.what();
    }
    return "no error";
}

TEST(Resume, ReadsRowsAndDropsAnIncompleteLastLine) {
    const Fixture f;
    const test::TempDir dir;
    const std::string partial = f.row(3).substr(0, 30);
    dir.write("out.csv", file_header(OutputFormat::csv) + f.row(0) + f.row(2) + partial);
    const ExistingRows existing =
        read_existing_rows(dir.path("out.csv"), f.context, f.points, Shard{});
    EXPECT_EQ(existing.rows.size(), 2);
    EXPECT_TRUE(existing.rows.contains(0));
    EXPECT_TRUE(existing.rows.contains(2));
    EXPECT_FALSE(existing.rows.contains(3));
    EXPECT_EQ(existing.rows.rows().at(2), f.row(2));
    EXPECT_EQ(existing.not_ok, 0);
}

TEST(Resume, MissingFileMeansNothingDone) {
    const Fixture f;
    EXPECT_EQ(read_existing_rows("/nonexistent/out.csv", f.context, f.points, Shard{}).rows.size(),
              0);
}

TEST(Resume, RejectsRowsOfAnotherSweepShardOrTwice) {
    const Fixture f;
    const test::TempDir dir;
    Fixture other;
    other.spec =
        parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: [512, 2048]\n", "o.yaml");
    other.points = expand(other.spec);
    other.context.sweep_id = sweep_identity(other.spec, other.points);
    dir.write("other.csv", file_header(OutputFormat::csv) + other.row(0));
    EXPECT_NE(resume_error(dir.path("other.csv"), f)
                  .find("other.csv:2: the row is of sweep " + other.context.sweep_id),
              std::string::npos);
    dir.write("shard.csv", file_header(OutputFormat::csv) + f.row(1));
    EXPECT_NE(resume_error(dir.path("shard.csv"), f, Shard{0, 2})
                  .find("shard.csv:2: point index 1 belongs to another shard"),
              std::string::npos);
    dir.write("twice.csv", file_header(OutputFormat::csv) + f.row(1) + f.row(1));
    EXPECT_NE(resume_error(dir.path("twice.csv"), f).find("twice.csv:3: point " + f.points[1].id),
              std::string::npos);
    dir.write("header.csv", "a,b,c\n");
    EXPECT_NE(resume_error(dir.path("header.csv"), f).find("header.csv:1: the header is not"),
              std::string::npos);
}

TEST(Resume, RejectsARowWithAnExtraFieldNamingItsLine) {
    const Fixture f;
    const test::TempDir dir;
    std::string damaged = f.row(1);
    damaged.insert(damaged.size() - 1, ",x");
    dir.write("out.csv", file_header(OutputFormat::csv) + f.row(0) + damaged + f.row(2));
    EXPECT_EQ(resume_error(dir.path("out.csv"), f),
              dir.path("out.csv") + ":3: not a well-formed sweep row: it has " +
                  std::to_string(sweep_csv_columns().size() + 1) + " fields, the header " +
                  std::to_string(sweep_csv_columns().size()) +
                  "; delete that line (its point is simulated again), or "
                  "use another --out, or delete " +
                  dir.path("out.csv") + " to start over");
}

TEST(Resume, RejectsRowsWhoseSweepIdentityDiffers) {
    // Same points, same ids: only the identity tells these rows apart (a GPU file or the model
    // changed).
    const Fixture f;
    Fixture changed;
    changed.context.sweep_id = "00000000deadbeef";
    const test::TempDir dir;
    for (OutputFormat format : {OutputFormat::csv, OutputFormat::jsonl}) {
        changed.context.format = format;
        Fixture reader;
        reader.context.format = format;
        dir.write("out", file_header(format) + changed.row(0));
        const std::string line = format == OutputFormat::csv ? ":2: " : ":1: ";
        EXPECT_NE(resume_error(dir.path("out"), reader)
                      .find(dir.path("out") + line +
                            "the row is of sweep 00000000deadbeef, "
                            "this run's sweep is " +
                            f.context.sweep_id),
                  std::string::npos)
            << resume_error(dir.path("out"), reader);
    }
}

TEST(Resume, CountsRowsThatAreNotOk) {
    Fixture f;
    f.spec =
        parse_sweep_spec("algo: flash2\nmodel: analytic\nheads: 12\nkv_heads: [4, 8]\n", "r.yaml");
    f.points = expand(f.spec);
    f.context = {2, sweep_identity(f.spec, f.points), OutputFormat::csv};
    const test::TempDir dir;
    dir.write("out.csv", file_header(OutputFormat::csv) + f.row(0) + f.row(1));
    const ExistingRows existing =
        read_existing_rows(dir.path("out.csv"), f.context, f.points, Shard{});
    EXPECT_EQ(existing.rows.size(), 2);
    EXPECT_EQ(existing.not_ok, 1);  // kv_heads 8 does not divide 12
}

}  // namespace
}  // namespace flashscope::sweep
