// The flashscope command as a user runs it: exit codes, one-line errors, every output format.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

#include "flashscope/sim/simulate.hpp"

namespace {

struct CommandResult {
    int status;
    std::string out;
    std::string err;
};

CommandResult run(const std::string& args) {
    // ctest runs tests in parallel processes: give each its own stderr file
    static int calls = 0;
    const std::string err_file = ::testing::TempDir() + "flashscope_cli_stderr_" +
                                 std::to_string(getpid()) + "_" + std::to_string(calls++) + ".txt";
    const std::string cmd = std::string(FLASHSCOPE_CLI) + " " + args + " 2>" + err_file;
    CommandResult r{};
    FILE* pipe = popen(cmd.c_str(), "r");
    std::array<char, 4096> buf{};
    while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) r.out.append(buf.data(), n);
    r.status = WEXITSTATUS(pclose(pipe));
    std::ifstream in(err_file);
    std::stringstream s;
    s << in.rdbuf();
    r.err = s.str();
    std::filesystem::remove(err_file);
    return r;
}

int lines(const std::string& s) { return static_cast<int>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(CliSimulate, BareRunPrintsTheNaiveVersusFlash2Table) {
    const CommandResult r = run("simulate");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("h100-sxm5"), std::string::npos);
    EXPECT_NE(r.out.find("batch 4 x heads 16 (kv 16) x seq 4096/4096 x d 128, bf16"), std::string::npos);
    EXPECT_NE(r.out.find("naive/flash2"), std::string::npos);
    EXPECT_NE(r.out.find("HBM footprint"), std::string::npos);
}

TEST(CliSimulate, JsonMatchesTheLibraryFieldByField) {
    const CommandResult r = run("simulate --algo flash1 --seq 1024 --head-dim 64 --format json --model analytic");
    ASSERT_EQ(r.status, 0) << r.err;
    const boost::json::value v = boost::json::parse(r.out);
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
}

TEST(CliSimulate, SeveralAlgorithmsGiveAJsonArrayAndCsvRows) {
    const CommandResult json = run("simulate --algo naive --algo flash1 --algo flash2 --seq 512 --format json");
    ASSERT_EQ(json.status, 0) << json.err;
    EXPECT_EQ(boost::json::parse(json.out).as_array().size(), 3u);
    const CommandResult csv = run("simulate --algo naive --algo flash2 --seq 512 --format csv");
    ASSERT_EQ(csv.status, 0) << csv.err;
    EXPECT_EQ(lines(csv.out), 3);
    EXPECT_EQ(csv.out.rfind("gpu,algo,model,pass", 0), 0u);
}

TEST(CliSimulate, TimelineIsWrittenAsCsv) {
    const std::string path = ::testing::TempDir() + "timeline.csv";
    std::filesystem::remove(path);
    const CommandResult r = run("simulate --algo flash2 --seq 1024 --format csv --timeline " + path);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(path);
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header, "algo,kernel,t_begin_s,t_end_s,hbm,l2,sram,tensor,fp32,sfu");
}

TEST(CliErrors, BadInputIsOneLineNamingFieldValueAndLimit) {
    const struct {
        const char* args;
        const char* expected;
    } cases[] = {
        {"simulate --heads 16 --kv-heads 5", "kv_heads = 5: must divide heads (16)"},
        {"simulate --head-dim 512", "head_dim = 512: must be <= 256"},
        {"simulate --seq 0", "seq_q = 0: must be >= 1"},
        {"simulate --dtype fp8", "dtype = fp8"},
        {"simulate --algo flash9", "algo = flash9"},
        {"simulate --gpu nope", "gpu = nope: unknown preset"},
        {"simulate --algo flash2 --head-dim 256 --block-m 256 --block-n 256 --stages 4",
         "B of shared memory per CTA"},
        {"simulate --block-m 100", "block_m = 100"},
    };
    for (const auto& c : cases) {
        const CommandResult r = run(c.args);
        EXPECT_EQ(r.status, 1) << c.args;
        EXPECT_EQ(lines(r.err), 1) << c.args << ": " << r.err;
        EXPECT_NE(r.err.find(c.expected), std::string::npos) << c.args << ": " << r.err;
        EXPECT_TRUE(r.out.empty()) << c.args;
    }
}

TEST(CliErrors, TimelineIsNotLeftHalfWrittenOnError) {
    const std::string path = ::testing::TempDir() + "no_timeline.csv";
    std::filesystem::remove(path);
    const CommandResult r = run("simulate --kv-heads 3 --timeline " + path);
    EXPECT_EQ(r.status, 1);
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(CliGpus, ListsPresetsAndShowsOneWithSources) {
    const CommandResult list = run("gpus");
    ASSERT_EQ(list.status, 0);
    for (const char* name : {"a100-sxm4-40gb", "a100-sxm4-80gb", "h100-sxm5", "h200-sxm"})
        EXPECT_NE(list.out.find(name), std::string::npos) << name;
    const CommandResult one = run("gpus h200-sxm");
    EXPECT_NE(one.out.find("hbm_bandwidth_gbps: 4545"), std::string::npos);
    EXPECT_NE(one.out.find("# [M]"), std::string::npos);
    EXPECT_EQ(run("gpus nope").status, 1);
}

TEST(CliSimulate, TimelineAsJsonIsAChromeTraceOfTheKernels) {
    const std::string path = ::testing::TempDir() + "timeline_trace.json";
    std::filesystem::remove(path);
    const CommandResult r = run("simulate --algo flash2 --seq 1024 --timeline " + path);
    ASSERT_EQ(r.status, 0) << r.err;
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    int kernels = 0;
    const boost::json::value trace = boost::json::parse(text.str());
    for (const auto& e : trace.at("traceEvents").as_array())
        if (e.at("ph") == "X" && e.at("name") == "flash2_fwd") ++kernels;
    EXPECT_EQ(kernels, 1);
    const CommandResult csv = run("simulate --algo flash2 --seq 1024 --timeline " + path + " --timeline-format csv");
    ASSERT_EQ(csv.status, 0) << csv.err;
    std::ifstream again(path);
    std::string header;
    std::getline(again, header);
    EXPECT_EQ(header.rfind("algo,kernel,t_begin_s", 0), 0u);
    EXPECT_EQ(run("simulate --timeline " + path + " --timeline-format svg").status, 1);
}

TEST(CliValidateNcu, JoinsAnNsightComputeReportWithoutAGpu) {
    const std::string report = std::string(FLASHSCOPE_SOURCE_DIR) + "/tests/validate/data/ncu/sdpa_flash_bwd.raw.csv";
    const std::string out = ::testing::TempDir() + "ncu_validation.json";
    const std::string trace = ::testing::TempDir() + "ncu_trace.json";
    const CommandResult r = run("validate --ncu " + report + " --batch 1 --heads 8 --seq 1024 --pass bwd --out " +
                                out + " --trace " + trace);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find(" launches; 3 compared"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("relative error = (predicted - measured) / measured"), std::string::npos) << r.out;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    const boost::json::value v = boost::json::parse(text.str());
    EXPECT_EQ(v.at("schema").as_string(), "flashscope.validation/1");
    EXPECT_EQ(v.at("records").as_array().size(), 3u);
    std::ifstream trace_in(trace);
    std::stringstream trace_text;
    trace_text << trace_in.rdbuf();
    std::set<std::string> processes;
    const boost::json::value events = boost::json::parse(trace_text.str());
    for (const auto& e : events.at("traceEvents").as_array())
        if (e.at("name") == "process_name") processes.insert(std::string(e.at("args").at("name").as_string()));
    EXPECT_TRUE(processes.count("simulated flash2 (h200-sxm, cycle model)")) << trace_text.str().substr(0, 400);
    EXPECT_EQ(processes.size(), 2u);  // the measured/predicted process and the simulated timeline
}

TEST(CliValidateNcu, ProblemFlagsNeedAReportAndAMissingReportIsOneLine) {
    const CommandResult flags = run("validate --seq 1024");
    EXPECT_NE(flags.status, 0);
    EXPECT_NE(flags.err.find("--ncu"), std::string::npos) << flags.err;
    const CommandResult missing = run("validate --ncu /nonexistent/report.csv --out " + ::testing::TempDir() + "x.json");
    EXPECT_EQ(missing.status, 1);
    EXPECT_EQ(lines(missing.err), 1) << missing.err;
    EXPECT_NE(missing.err.find("/nonexistent/report.csv"), std::string::npos) << missing.err;
}
