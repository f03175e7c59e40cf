#include <gtest/gtest.h>

#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"

namespace flashscope::sweep {
namespace {

std::vector<std::string> split_csv(const std::string& line) {  // no quoted cells in these rows
    std::vector<std::string> cells;
    std::string cell;
    for (char c : line) {
        if (c == ',' || c == '\n') {
            cells.push_back(cell);
            cell.clear();
        } else {
            cell += c;
        }
    }
    return cells;
}

TEST(RowFormat, CsvColumnsAreSimulateColumnsAfterIdIndexPointsStatusReason) {
    std::vector<std::string> expected = {"id", "index", "points", "status", "reason"};
    for (const std::string& c : sim::csv_columns()) expected.push_back(c);
    EXPECT_EQ(sweep_csv_columns(), expected);
}

TEST(RowFormat, OkRowCarriesSimulateValues) {
    const SweepSpec spec = parse_sweep_spec("algo: flash2\nmodel: analytic\nseq: 2048\n", "r.yaml");
    const SweepPoint point = expand(spec).front();
    const PointRow row = run_point(point, spec.gpu_specs[0], 1, OutputFormat::csv);
    EXPECT_TRUE(row.ok);
    sim::SimulationRequest req;
    req.gpu = spec.gpu_specs[0];
    req.problem.seq_q = req.problem.seq_k = 2048;
    req.model = sim::Model::analytic;
    std::vector<std::string> expected = {point.id, "0", "1", "ok", ""};
    for (const std::string& v : sim::csv_values(sim::simulate(req))) expected.push_back(v);
    EXPECT_EQ(split_csv(row.line), expected);
}

TEST(RowFormat, InfeasiblePointIsARowWithItsReason) {
    const SweepSpec spec = parse_sweep_spec("algo: flash2\nmodel: analytic\nhead_dim: 512\n", "r.yaml");
    const SweepPoint point = expand(spec).front();
    const PointRow csv = run_point(point, spec.gpu_specs[0], 1, OutputFormat::csv);
    EXPECT_FALSE(csv.ok);
    EXPECT_NE(csv.line.find(",infeasible,head_dim = 512"), std::string::npos) << csv.line;
    EXPECT_EQ(split_csv(csv.line).size(), sweep_csv_columns().size());
    const PointRow json = run_point(point, spec.gpu_specs[0], 1, OutputFormat::jsonl);
    EXPECT_NE(json.line.find("\"status\":\"infeasible\""), std::string::npos);
    EXPECT_NE(json.line.find("\"field\":\"head_dim\""), std::string::npos);
}

TEST(RowFormat, RowKeyRoundTripsInBothFormats) {
    const SweepSpec spec = parse_sweep_spec("algo: [naive, flash2]\nmodel: analytic\nseq: 1024\n", "r.yaml");
    const auto points = expand(spec);
    for (OutputFormat f : {OutputFormat::csv, OutputFormat::jsonl}) {
        const std::string line = run_point(points[1], spec.gpu_specs[0], 2, f).line;
        ASSERT_EQ(line.back(), '\n');
        const RowKey key = parse_row_key(std::string_view(line).substr(0, line.size() - 1), f);
        EXPECT_EQ(key.id, points[1].id);
        EXPECT_EQ(key.index, 1);
        EXPECT_EQ(key.points, 2);
    }
    EXPECT_THROW(parse_row_key("hello,world", OutputFormat::csv), std::runtime_error);
    EXPECT_THROW(parse_row_key("{\"id\":1}", OutputFormat::jsonl), std::runtime_error);
}

TEST(RowFormat, FormatFollowsTheOutputExtension) {
    EXPECT_EQ(format_for_path("a/b.jsonl"), OutputFormat::jsonl);
    EXPECT_EQ(format_for_path("b.csv"), OutputFormat::csv);
    EXPECT_EQ(format_for_path(""), OutputFormat::csv);
    EXPECT_THROW(parse_output_format("xml"), ConfigError);
}

}  // namespace
}  // namespace flashscope::sweep
