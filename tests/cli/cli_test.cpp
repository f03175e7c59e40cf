// The flashscope command as a user runs it: output formats, files, presets.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <regex>

#include "flashscope/sim/simulate.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using flashscope::sweep::test::ProcessResult;
using flashscope::sweep::test::run_flashscope;
using flashscope::sweep::test::TempDir;

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

TEST(CliSimulate, BareRunPrintsTheNaiveVersusFlash2Table) {
    const ProcessResult r = run_flashscope({"simulate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("h100-sxm5"), std::string::npos);
    EXPECT_NE(r.out.find("batch 4 x heads 16 (kv 16) x seq 4096/4096 x d 128, bf16"), std::string::npos);
    EXPECT_NE(r.out.find("naive/flash2"), std::string::npos);
    EXPECT_NE(r.out.find("HBM footprint"), std::string::npos);
}

TEST(CliSimulate, JsonMatchesTheLibraryFieldByField) {
    const ProcessResult r =
        run_flashscope({"simulate", "--algo", "flash1", "--seq", "1024", "--head-dim", "64",
                        "--format", "json", "--model", "analytic"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const boost::json::value v = boost::json::parse(r.out).as_array().at(0);
    EXPECT_EQ(v.at("schema").as_string(), "flashscope.result/1");
    using namespace flashscope;
    sim::SimulationRequest req;
    req.gpu = sim::gpu_preset("h100-sxm5");
    req.algorithm = Algorithm::flash1;
    req.model = sim::Model::analytic;
    req.problem.seq_q = req.problem.seq_k = 1024;
    req.problem.head_dim = 64;
    const sim::Result lib = sim::simulate(req);
    EXPECT_EQ(v.at("totals").at("hbm_read_bytes").as_int64(), lib.totals.hbm_read_bytes);
    EXPECT_EQ(v.at("algorithm").at("block_n").as_int64(), lib.tile.block_n);
    EXPECT_DOUBLE_EQ(v.at("totals").at("time_s").to_number<double>(), lib.totals.time_s);
}

TEST(CliSimulate, JsonIsAlwaysAnArrayOfPlainNumbers) {
    const std::vector<std::vector<std::string>> algos = {
        {"--algo", "flash2"}, {"--algo", "naive", "--algo", "flash1", "--algo", "flash2"}};
    for (const auto& choice : algos) {
        std::vector<std::string> args = {"simulate", "--seq", "512", "--format", "json"};
        args.insert(args.end(), choice.begin(), choice.end());
        const ProcessResult r = run_flashscope(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(boost::json::parse(r.out).as_array().size(), choice.size() / 2);
        // Boost.JSON's own writer would give 1.83E9 and 0E0.
        EXPECT_FALSE(std::regex_search(r.out, std::regex("[0-9][eE][-+]?[0-9]")))
            << r.out.substr(0, 400);
    }
}

TEST(CliSimulate, CsvRowsCarryEveryOptionColumn) {
    const ProcessResult csv = run_flashscope({"simulate", "--algo", "naive", "--algo", "flash2",
                                              "--seq", "512", "--format", "csv", "--naive-eager",
                                              "--dropout", "0.25", "--softmax-scale", "0.5"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(lines(csv.out), 3);
    EXPECT_EQ(csv.out.rfind("gpu,algo,model,pass", 0), 0u);
    EXPECT_NE(csv.out.find(",stages,softmax_scale,dropout,naive_eager,"), std::string::npos);
    EXPECT_NE(csv.out.find(",0.5,0.25,true,"), std::string::npos) << csv.out;
}

TEST(CliSimulate, OutWritesWhatStdoutWouldShowAndTakesItsFormatFromTheName) {
    const TempDir dir;
    const std::vector<std::string> job = {"simulate", "--seq", "512", "--model", "analytic"};
    const auto with = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = job;
        args.insert(args.end(), extra.begin(), extra.end());
        return run_flashscope(args);
    };
    const ProcessResult printed = with({"--format", "json"});
    const ProcessResult written = with({"-o", dir.path("r.json")});
    ASSERT_EQ(written.exit_code, 0) << written.err;
    EXPECT_TRUE(written.out.empty());
    EXPECT_EQ(dir.read("r.json"), printed.out);
    ASSERT_EQ(with({"--out", dir.path("r.txt")}).exit_code, 0);
    EXPECT_EQ(dir.read("r.txt"), with({}).out);
}

TEST(CliSimulate, TimelineIsWrittenAsCsv) {
    const TempDir dir;
    const ProcessResult r =
        run_flashscope({"simulate", "--algo", "flash2", "--seq", "1024", "--format", "csv",
                        "--timeline", dir.path("timeline.csv")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = dir.read("timeline.csv");
    EXPECT_EQ(text.substr(0, text.find('\n')),
              "algo,kernel,t_begin_s,t_end_s,hbm,l2,sram,tensor,fp32,sfu");
}

TEST(CliSimulate, OutputPathsAreCheckedBeforeAnythingIsWritten) {
    const TempDir dir;
    // If the timeline's folder were found missing only after the work, --out would exist by then.
    const ProcessResult r = run_flashscope({"simulate", "--seq", "1024", "-o", dir.path("r.json"),
                                            "--timeline", dir.path("missing/t.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "flashscope: error: --timeline " + dir.path("missing/t.csv") +
                         ": its folder " + dir.path("missing") + " does not exist\n");
    EXPECT_FALSE(std::filesystem::exists(dir.path("r.json")));
}

TEST(CliSimulate, NoFileIsLeftHalfWrittenOnError) {
    const TempDir dir;
    const ProcessResult r =
        run_flashscope({"simulate", "--kv-heads", "3", "--timeline", dir.path("t.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_FALSE(std::filesystem::exists(dir.path("t.csv")));
    EXPECT_TRUE(std::filesystem::is_empty(dir.path("")));  // nor a temporary file
}

TEST(CliGpus, ListsPresetsAndShowsOneWithSources) {
    const ProcessResult list = run_flashscope({"gpus"});
    ASSERT_EQ(list.exit_code, 0);
    for (const char* name : {"a100-sxm4-40gb", "a100-sxm4-80gb", "h100-sxm5", "h200-sxm"})
        EXPECT_NE(list.out.find(name), std::string::npos) << name;
    const ProcessResult one = run_flashscope({"gpus", "h200-sxm"});
    EXPECT_NE(one.out.find("hbm_bandwidth_gbps: 4545"), std::string::npos);
    EXPECT_NE(one.out.find("# [M]"), std::string::npos);
    const ProcessResult unknown = run_flashscope({"gpus", "nope"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_EQ(lines(unknown.err), 1);
}

}  // namespace
