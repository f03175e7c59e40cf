#include <gtest/gtest.h>

#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sweep/digest.hpp"
#include "flashscope/sweep/point_runner.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/row_reader.hpp"

namespace flashscope::sweep {
namespace {

const std::string k_sweep_id = "0123456789abcdef";

RowContext context(std::int64_t points, OutputFormat format) {
    return {points, k_sweep_id, format};
}

std::string without_newline(const std::string& line) {
    return line.substr(0, line.size() - 1);
}

std::string problem_of(const std::string& line, OutputFormat format) {
    try {
        read_row(without_newline(line), format);
    } catch (const RowError& e) {
        return e.what();
    }
    return "no error";
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from << " not in " << text;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(RowFormat, CsvColumnsAreSimulateColumnsBetweenTheKeysAndThePoint) {
    std::vector<std::string> expected = {"id", "index", "points", "sweep_id", "status", "reason"};
    for (const std::string& c : sim::csv_columns()) expected.push_back(c);
    expected.emplace_back("point");
    EXPECT_EQ(sweep_csv_columns(), expected);
    EXPECT_EQ(sweep_csv_columns()[k_csv_key_columns + first_result_column()], "hbm_read_bytes");
}

TEST(RowFormat, OkRowCarriesSimulateValuesAndItsPoint) {
    const SweepSpec spec = parse_sweep_spec("algo: flash2\nmodel: analytic\nseq: 2048\n", "r.yaml");
    const SweepPoint point = expand(spec).front();
    const PointRow row = run_point(point, spec.gpu_specs[0], context(1, OutputFormat::csv));
    EXPECT_TRUE(row.ok);
    sim::SimulationRequest req;
    req.gpu = spec.gpu_specs[0];
    req.problem.seq_q = req.problem.seq_k = 2048;
    req.model = sim::Model::analytic;
    std::vector<std::string> expected = {point.id, "0", "1", k_sweep_id, "ok", ""};
    for (const std::string& v : sim::csv_values(sim::simulate(req))) expected.push_back(v);
    expected.push_back(canonical_config(point));
    EXPECT_EQ(split_csv_line(without_newline(row.line)), expected);
    EXPECT_EQ(digest_hex(expected.back()), point.id);
}

TEST(RowFormat, InfeasiblePointIsARowWithItsReason) {
    const SweepSpec spec =
        parse_sweep_spec("algo: flash2\nmodel: analytic\nheads: 12\nkv_heads: 8\n", "r.yaml");
    const SweepPoint point = expand(spec).front();
    const PointRow csv = run_point(point, spec.gpu_specs[0], context(1, OutputFormat::csv));
    EXPECT_FALSE(csv.ok);
    EXPECT_NE(csv.line.find(",infeasible,kv_heads = 8: must divide heads"), std::string::npos)
        << csv.line;
    EXPECT_EQ(split_csv_line(without_newline(csv.line)).size(), sweep_csv_columns().size());
    const PointRow json = run_point(point, spec.gpu_specs[0], context(1, OutputFormat::jsonl));
    EXPECT_NE(json.line.find("\"status\":\"infeasible\""), std::string::npos);
    EXPECT_NE(json.line.find("\"field\":\"kv_heads\""), std::string::npos);
}

TEST(RowReader, RowsReadBackInBothFormatsAndStatuses) {
    const SweepSpec spec = parse_sweep_spec(
        "algo: [naive, flash2]\nmodel: analytic\nblock_m: [64, 256]\n"
        "block_n: 64\nwarps: 4\n",
        "r.yaml");
    const auto points = expand(spec);
    for (OutputFormat f : {OutputFormat::csv, OutputFormat::jsonl}) {
        for (std::size_t i :
             {0u, 3u}) {  // 64 x 64 fits; 256 x 64 with 4 warps needs too many registers
            const PointRow made = run_point(points[i], spec.gpu_specs[0], context(4, f));
            const SweepRow row = read_row(without_newline(made.line), f);
            EXPECT_EQ(row.id, points[i].id);
            EXPECT_EQ(row.index, static_cast<std::int64_t>(i));
            EXPECT_EQ(row.points, 4);
            EXPECT_EQ(row.sweep_id, k_sweep_id);
            EXPECT_EQ(row.status, i == 0 ? RowStatus::ok : RowStatus::infeasible) << made.line;
        }
    }
}

TEST(RowReader, CsvRowWithAnExtraFieldOrAnEditedPointIsRefused) {
    const SweepSpec spec = parse_sweep_spec("algo: flash2\nmodel: analytic\nseq: 1024\n", "r.yaml");
    const std::string line =
        run_point(expand(spec).front(), spec.gpu_specs[0], context(1, OutputFormat::csv)).line;
    const std::string columns = std::to_string(sweep_csv_columns().size());
    EXPECT_EQ(problem_of(replaced(line, "\n", ",x\n"), OutputFormat::csv),
              "it has " + std::to_string(sweep_csv_columns().size() + 1) + " fields, the header " +
                  columns);
    EXPECT_NE(problem_of(replaced(line, "seq_q=1024", "seq_q=2048"), OutputFormat::csv)
                  .find("is not the digest of"),
              std::string::npos);
    EXPECT_EQ(problem_of(replaced(line, ",ok,", ",done,"), OutputFormat::csv),
              "field 'status' is 'done', not ok, infeasible or error");
    EXPECT_EQ(problem_of(replaced(line, ",ok,", ",infeasible,"), OutputFormat::csv),
              "status infeasible without a reason");
    EXPECT_EQ(problem_of(replaced(line, ",0,1,", ",1,1,"), OutputFormat::csv),
              "index 1 is not below points 1");
    EXPECT_EQ(problem_of("hello,world\n", OutputFormat::csv),
              "it has 2 fields, the header " + columns);
}

TEST(RowReader, JsonRowWithAnExtraOrMissingFieldIsRefused) {
    const SweepSpec spec = parse_sweep_spec("algo: flash2\nmodel: analytic\nseq: 1024\n", "r.yaml");
    const std::string line =
        run_point(expand(spec).front(), spec.gpu_specs[0], context(1, OutputFormat::jsonl)).line;
    EXPECT_EQ(problem_of(replaced(line, "{\"id\"", "{\"extra\":1,\"id\""), OutputFormat::jsonl),
              "it has a field 'extra' that rows of status ok do not have");
    EXPECT_EQ(
        problem_of(replaced(line, "\"sweep_id\":\"" + k_sweep_id + "\",", ""), OutputFormat::jsonl),
        "the field 'sweep_id' is missing");
    EXPECT_NE(problem_of(replaced(line, "\"seq_q\":1024", "\"seq_q\":2048"), OutputFormat::jsonl)
                  .find("is not the digest of"),
              std::string::npos);
    EXPECT_EQ(problem_of(replaced(line, "flashscope.result/1", "flashscope.result/0"),
                         OutputFormat::jsonl),
              "field 'result' is not a flashscope.result/1 object");
    EXPECT_EQ(problem_of("{\"id\":1}\n", OutputFormat::jsonl), "field 'id' is not a string");
    EXPECT_EQ(problem_of("[1, 2]\n", OutputFormat::jsonl), "it is not a JSON object");
}

TEST(RowReader, QuotedCsvCellsSplitAsWritten) {
    EXPECT_EQ(split_csv_line("a,\"b,c\",\"say \"\"hi\"\"\",,\"\""),
              (std::vector<std::string>{"a", "b,c", "say \"hi\"", "", ""}));
    EXPECT_THROW(split_csv_line("a,\"b"), RowError);
    EXPECT_THROW(split_csv_line("a,\"b\"c"), RowError);
}

TEST(RowFormat, FormatFollowsTheOutputExtension) {
    EXPECT_EQ(format_for_path("a/b.jsonl"), OutputFormat::jsonl);
    EXPECT_EQ(format_for_path("b.csv"), OutputFormat::csv);
    EXPECT_EQ(format_for_path(""), OutputFormat::csv);
    EXPECT_THROW(parse_output_format("xml"), ConfigError);
}

}  // namespace
}  // namespace flashscope::sweep
