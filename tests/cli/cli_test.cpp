// The flashscope command as a user runs it: output formats, files, presets.
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "flashscope/sim/simulate.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using flashscope::sweep::test::lines;
using flashscope::sweep::test::ProcessResult;
using flashscope::sweep::test::run_flashscope;
using flashscope::sweep::test::TempDir;

TEST(CliSimulate, BareRunPrintsTheNaiveVersusFlash2Table) {
    const ProcessResult r = run_flashscope({"simulate"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("h100-sxm5"), std::string::npos);
    EXPECT_NE(r.out.find("batch 4 x heads 16 (kv 16) x seq 4096/4096 x d 128, bf16"),
              std::string::npos);
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
              "algo,kernel,t_begin_s,t_end_s,hbm,l2,sram,tensor,fp32,sfu,issue,l2port");
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
    EXPECT_NE(one.out.find("hbm_bandwidth_gbps: 44"), std::string::npos) << one.out;
    EXPECT_NE(one.out.find("# [M]"), std::string::npos);
    const ProcessResult unknown = run_flashscope({"gpus", "nope"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_EQ(lines(unknown.err), 1);
}

TEST(CliSimulate, TimelineAsJsonIsAChromeTraceOfTheKernels) {
    const TempDir dir;
    const ProcessResult r = run_flashscope(
        {"simulate", "--algo", "flash2", "--seq", "1024", "--timeline", dir.path("t.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int kernels = 0;
    const boost::json::value trace = boost::json::parse(dir.read("t.json"));
    for (const auto& e : trace.at("traceEvents").as_array())
        if (e.at("ph") == "X" && e.at("name") == "flash2_fwd") ++kernels;
    EXPECT_EQ(kernels, 1);
    const ProcessResult csv =
        run_flashscope({"simulate", "--algo", "flash2", "--seq", "1024", "--timeline",
                        dir.path("t.json"), "--timeline-format", "csv"});
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const std::string text = dir.read("t.json");
    EXPECT_EQ(text.rfind("algo,kernel,t_begin_s", 0), 0u);
}

TEST(CliSimulate, TimelineFormatMisuseIsAUsageError) {
    const TempDir dir;
    const ProcessResult svg =
        run_flashscope({"simulate", "--timeline", dir.path("t.svg"), "--timeline-format", "svg"});
    EXPECT_EQ(svg.exit_code, 2);
    EXPECT_EQ(svg.err, "flashscope: error: --timeline-format svg: must be csv or chrome\n");
    const ProcessResult alone = run_flashscope({"simulate", "--timeline-format", "chrome"});
    EXPECT_EQ(alone.exit_code, 2);
    EXPECT_EQ(lines(alone.err), 1) << alone.err;
    EXPECT_NE(alone.err.find("--timeline-format chrome: needs --timeline"), std::string::npos)
        << alone.err;
    EXPECT_TRUE(std::filesystem::is_empty(dir.path("")));
}

TEST(CliValidateNcu, JoinsAnNsightComputeReportWithoutAGpu) {
    const TempDir dir;
    const std::string report =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/tests/validate/data/ncu/sdpa_flash_bwd.raw.csv";
    const ProcessResult r = run_flashscope({"validate", "--ncu", report, "--batch", "1", "--heads",
                                            "8", "--seq", "1024", "--pass", "bwd", "-o",
                                            dir.path("v.json"), "--trace", dir.path("trace.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(" launches; 3 compared"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("relative error = (predicted - measured) / measured"), std::string::npos)
        << r.out;
    const boost::json::value v = boost::json::parse(dir.read("v.json"));
    EXPECT_EQ(v.at("schema").as_string(), "flashscope.validation/1");
    EXPECT_EQ(v.at("records").as_array().size(), 3u);
    const std::string trace_text = dir.read("trace.json");
    std::set<std::string> processes;
    const boost::json::value events = boost::json::parse(trace_text);
    for (const auto& e : events.at("traceEvents").as_array())
        if (e.at("name") == "process_name")
            processes.insert(std::string(e.at("args").at("name").as_string()));
    EXPECT_TRUE(processes.count("simulated flash2 (h200-sxm, cycle model)"))
        << trace_text.substr(0, 400);
    EXPECT_EQ(processes.size(), 2u);  // the measured/predicted process and the simulated timeline
}

TEST(CliValidateNcu, TheReportsProblemComesFromSimulatesOptions) {
    const TempDir dir;
    const std::string report =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/tests/validate/data/ncu/sdpa_flash_bwd.raw.csv";
    const auto validate = [&](std::vector<std::string> extra) {
        std::vector<std::string> args = {"validate", "--ncu", report, "-o", dir.path("v.json")};
        args.insert(args.end(), extra.begin(), extra.end());
        return run_flashscope(args);
    };
    // The table's checks, as simulate makes them: a shorthand with a field it covers, a bad value.
    const ProcessResult both = validate({"--seq", "1024", "--seq-q", "512"});
    EXPECT_EQ(both.exit_code, 2);
    EXPECT_EQ(both.err,
              "flashscope: error: --seq-q 512: conflicts with --seq 1024; give one or the other\n");
    const ProcessResult zero = validate({"--head-dim", "0"});
    EXPECT_EQ(zero.exit_code, 2);
    EXPECT_EQ(lines(zero.err), 1) << zero.err;
    EXPECT_EQ(zero.err.rfind("flashscope: error: --head-dim 0: ", 0), 0u) << zero.err;
    const ProcessResult dropout = validate({"--dropout", "0.1"});
    EXPECT_EQ(dropout.exit_code, 2);
    EXPECT_NE(dropout.err.find("--dropout 0.1: changes nothing without naive eager mode"),
              std::string::npos)
        << dropout.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path("v.json")));
}

TEST(CliValidateNcu, FlagsOfTheOtherModeAreOneLineUsageErrors) {
    const ProcessResult problem = run_flashscope({"validate", "--seq", "1024"});
    EXPECT_EQ(problem.exit_code, 2);
    EXPECT_EQ(lines(problem.err), 1) << problem.err;
    EXPECT_EQ(problem.err.rfind("flashscope: error: --seq: ", 0), 0u) << problem.err;
    EXPECT_NE(problem.err.find("needs --ncu"), std::string::npos) << problem.err;
    const ProcessResult rules = run_flashscope({"validate", "--kernel-rules", "r.yaml"});
    EXPECT_EQ(rules.exit_code, 2);
    EXPECT_NE(rules.err.find("--kernel-rules: "), std::string::npos) << rules.err;
    const ProcessResult quick = run_flashscope({"validate", "--ncu", "r.csv", "--quick"});
    EXPECT_EQ(quick.exit_code, 2);
    EXPECT_EQ(quick.err,
              "flashscope: error: --quick: belongs to the suite's run; not with --ncu\n");
    const ProcessResult list = run_flashscope({"validate", "--ncu", "r.csv", "--ncu-metrics"});
    EXPECT_EQ(list.exit_code, 2);
    EXPECT_EQ(lines(list.err), 1) << list.err;
    const ProcessResult runs = run_flashscope({"validate", "--runs", "0"});
    EXPECT_EQ(runs.exit_code, 2);
    EXPECT_EQ(runs.err.rfind("flashscope: error: --runs 0: ", 0), 0u) << runs.err;
}

TEST(CliValidateNcu, AMissingReportIsAOneLineUsageError) {
    const TempDir dir;
    const ProcessResult missing =
        run_flashscope({"validate", "--ncu", "/nonexistent/report.csv", "-o", dir.path("x.json")});
    EXPECT_EQ(missing.exit_code, 2);  // a bad input file, as for simulate's --gpu FILE
    EXPECT_EQ(missing.err,
              "flashscope: error: --ncu /nonexistent/report.csv: cannot open the report\n");
    EXPECT_TRUE(std::filesystem::is_empty(dir.path("")));
}

}  // namespace

TEST(CliValidateRepredict, KeepsTheMeasurementsAndPredictsAgain) {
    const TempDir dir;
    const std::string file =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/docs/validation/h200-2026-11-26-quick.json";
    // On the analytic model, so that the predictions surely differ from the file's cycle model.
    const ProcessResult r = run_flashscope(
        {"validate", "--repredict", file, "--model", "analytic", "-o", dir.path("v.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const boost::json::value before = boost::json::parse(flashscope::sweep::test::read_file(file));
    const boost::json::value after = boost::json::parse(dir.read("v.json"));
    EXPECT_EQ(after.at("model").as_string(), "analytic");
    EXPECT_EQ(after.at("date"), before.at("date"));
    const auto& old_records = before.at("records").as_array();
    const auto& new_records = after.at("records").as_array();
    ASSERT_EQ(new_records.size(), old_records.size());
    int changed = 0;
    for (std::size_t i = 0; i < new_records.size(); ++i) {
        EXPECT_EQ(new_records[i].at("measured"), old_records[i].at("measured"));
        EXPECT_EQ(new_records[i].at("kernel"), old_records[i].at("kernel"));
        changed += new_records[i].at("predicted") != old_records[i].at("predicted");
    }
    EXPECT_GT(changed, 0);
}

// l2_read_bytes is what the SMs received, less returning atomics' values: a run whose raw
// counters hold the SM-side count is read anew; one without keeps its measured value.
TEST(CliValidateRepredict, ReadsL2ReadsAgainFromTheSmSideCounter) {
    const TempDir dir;
    const std::string file =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/docs/validation/h200-2026-11-26-quick.json";
    boost::json::value run = boost::json::parse(flashscope::sweep::test::read_file(file));
    auto& records = run.at("records").as_array();
    auto& counters = records[0].at("counters").as_object();
    counters["l1tex__m_xbar2l1tex_read_sectors.sum"] = 1000.0;
    counters["lts__t_sectors_srcunit_tex_op_atom.sum"] = 100.0;
    std::ofstream(dir.path("in.json")) << boost::json::serialize(run);
    const ProcessResult r = run_flashscope(
        {"validate", "--repredict", dir.path("in.json"), "-o", dir.path("out.json")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const boost::json::value after = boost::json::parse(dir.read("out.json"));
    const auto& out = after.at("records").as_array();
    EXPECT_EQ(out[0].at("measured").at("l2_read_bytes").to_number<std::int64_t>(), 900 * 32);
    EXPECT_EQ(out[2].at("measured").at("l2_read_bytes"),
              records[2].at("measured").at("l2_read_bytes"));
}

// A built kernel's ptxas registers replace the estimate for the records of that kernel: here
// flash2 forward d 64 128x32x4, given 255 registers and spills (the estimate fits 3 CTAs per SM).
TEST(CliValidateRepredict, PtxasRegistersSetTheOccupancyOfTheBuiltKernels) {
    const TempDir dir;
    const std::string file =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/docs/validation/h200-2026-11-26-quick.json";
    std::ofstream(dir.path("ptxas.json"))
        << R"({"format": "flashscope ptxas resource usage 1", "kernels": [)"
        << R"j({"function": "void flashscope::kernels::detail::flash2_fwd_kernel<__nv_bfloat16, 64, 128, 32, 4, 2>(flashscope::kernels::AttentionArgs)", )j"
        << R"("arch": "sm_90", "registers": 255, "spill_store_bytes": 400}]})";
    const ProcessResult plain =
        run_flashscope({"validate", "--repredict", file, "-o", dir.path("a.json")});
    const ProcessResult ptxas = run_flashscope({"validate", "--repredict", file, "--ptxas",
                                                dir.path("ptxas.json"), "-o", dir.path("b.json")});
    ASSERT_EQ(plain.exit_code, 0) << plain.err;
    ASSERT_EQ(ptxas.exit_code, 0) << ptxas.err;
    EXPECT_NE(ptxas.err.find("ptxas registers (sm_90) for 2 of "), std::string::npos) << ptxas.err;
    const auto a = boost::json::parse(dir.read("a.json")).at("records").as_array();
    const auto b = boost::json::parse(dir.read("b.json")).at("records").as_array();
    ASSERT_EQ(a.size(), b.size());
    int slower = 0, same = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& tile = a[i].at("tile");
        const bool built = a[i].at("kernel") == "flash2_fwd" &&
                           a[i].at("problem").at("head_dim") == 64 && tile.at("block_m") == 128 &&
                           tile.at("block_n") == 32;
        const double before = a[i].at("predicted").at("time_s").to_number<double>();
        const double after = b[i].at("predicted").at("time_s").to_number<double>();
        if (built)
            slower += after > before * 1.05;
        else
            same += after == before;
    }
    EXPECT_EQ(slower, 2);  // causal and not
    EXPECT_EQ(same, int(a.size()) - 2);
}

TEST(CliValidateRepredict, PtxasFlagsAreOneLineUsageErrors) {
    const ProcessResult alone = run_flashscope({"validate", "--ptxas", "r.json", "-o", "x.json"});
    EXPECT_EQ(alone.exit_code, 2);
    EXPECT_EQ(alone.err, "flashscope: error: --ptxas: belongs to --repredict\n");
    const ProcessResult arch = run_flashscope(
        {"validate", "--repredict", "v.json", "--ptxas-arch", "sm_80", "-o", "x.json"});
    EXPECT_EQ(arch.exit_code, 2);
    EXPECT_EQ(
        arch.err,
        "flashscope: error: --ptxas-arch: says whose entries of --ptxas apply; give --ptxas\n");
    const TempDir dir;
    std::ofstream(dir.path("bad.json")) << R"({"kernels": []})";
    const std::string file =
        std::string(FLASHSCOPE_SOURCE_DIR) + "/docs/validation/h200-2026-11-26-quick.json";
    const ProcessResult bad = run_flashscope({"validate", "--repredict", file, "--ptxas",
                                              dir.path("bad.json"), "-o", dir.path("x.json")});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find("ptxas"), std::string::npos) << bad.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path("x.json")));
}

TEST(CliValidateRepredict, SuiteFlagsAreOneLineUsageErrors) {
    const ProcessResult r =
        run_flashscope({"validate", "--repredict", "v.json", "--quick", "-o", "x.json"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err,
              "flashscope: error: --quick: belongs to the suite's run; not with --repredict\n");
}
