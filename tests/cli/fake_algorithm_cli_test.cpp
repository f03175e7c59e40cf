// The CLI's simulate command, run in this process over a fourth algorithm registered only in
// this test binary: nothing in its path may assume three algorithms.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.hpp"
#include "fake_algorithm.hpp"
#include "flashscope/core/error.hpp"

namespace flashscope {
namespace {

// stdout of `flashscope <command_line>` with the simulate command only.
std::string simulate_output(const std::string& command_line) {
    CLI::App app;
    cli::add_simulate_command(app);
    std::ostringstream out;
    std::streambuf* saved = std::cout.rdbuf(out.rdbuf());
    try {
        app.parse(command_line, false);
    } catch (...) {
        std::cout.rdbuf(saved);
        throw;
    }
    std::cout.rdbuf(saved);
    return out.str();
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> cells;
    std::stringstream s(line);
    for (std::string cell; std::getline(s, cell, ',');) cells.push_back(cell);
    return cells;
}

constexpr const char* k_small = " --batch 1 --heads 4 --seq 1000 --head-dim 64 --model analytic";

TEST(CliFakeAlgorithm, CsvRowCarriesItsNameAndClosedFormBytes) {
    flashscope::test::fake_algorithm();
    const std::string out = simulate_output(
        std::string("simulate --algo naive --algo fake --format csv --pass fwdbwd") + k_small);
    std::stringstream lines(out);
    std::string header, naive_row, fake_row;
    std::getline(lines, header);
    std::getline(lines, naive_row);
    std::getline(lines, fake_row);
    const auto cols = split(header), row = split(fake_row);
    ASSERT_EQ(row.size(), cols.size());
    std::map<std::string, std::string> field;
    for (std::size_t i = 0; i < cols.size(); ++i) field[cols[i]] = row[i];
    EXPECT_EQ(field["algo"], "fake");
    EXPECT_EQ(field["kernels"], "2");
    AttentionProblem p;
    p.batch = 1;
    p.heads = p.kv_heads = 4;
    p.seq_q = p.seq_k = 1000;
    p.head_dim = 64;
    const double hbm = std::stod(field["hbm_read_bytes"]) + std::stod(field["hbm_write_bytes"]);
    EXPECT_DOUBLE_EQ(hbm, 2 * flashscope::test::fake_pass_hbm_bytes(p));
}

TEST(CliFakeAlgorithm, TableAndJsonNameItsKernels) {
    flashscope::test::fake_algorithm();
    const std::string table = simulate_output(
        std::string("simulate --algo fake --algo flash1 --algo flash2 --algo naive") + k_small);
    EXPECT_NE(table.find("fake"), std::string::npos);
    const boost::json::value json =
        boost::json::parse(
            simulate_output(std::string("simulate --algo fake --format json") + k_small))
            .as_array()
            .at(0);
    EXPECT_EQ(json.at("algorithm").at("name").as_string(), "fake");
    EXPECT_EQ(json.at("kernels").as_array().at(0).at("name").as_string(), "fake_fwd");
}

TEST(CliFakeAlgorithm, UnknownAlgorithmErrorListsIt) {
    flashscope::test::fake_algorithm();
    try {
        simulate_output("simulate --algo flash9");
        FAIL() << "flash9 was accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "algo");
        EXPECT_NE(e.limit().find("naive, flash1, flash2, flash1_released, flash3, fake"),
                  std::string::npos)
            << e.limit();
    }
}

}  // namespace
}  // namespace flashscope
