// The flashscope sweep and merge commands, run as processes.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include "process.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep::test {
namespace {

const std::string k_small = SWEEP_TEST_DATA "/small.yaml";  // 24 points, 8 infeasible
const std::string k_slow = SWEEP_TEST_DATA "/slow.yaml";    // 16 points, ~3 s on one core

std::int64_t line_count(const std::string& text) { return std::count(text.begin(), text.end(), '\n'); }

ProcessResult sweep_to(const TempDir& dir, const std::string& file, std::vector<std::string> extra,
                       const std::string& spec = k_small) {
    std::vector<std::string> args = {"sweep", spec, "--out", dir.path(file), "--quiet"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_flashscope(args);
}

TEST(SweepCommand, WritesEveryPointWithInfeasibleRows) {
    const TempDir dir;
    const ProcessResult r = sweep_to(dir, "all.csv", {"--jobs", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string text = dir.read("all.csv");
    EXPECT_EQ(line_count(text), 1 + 24);
    std::int64_t infeasible = 0;
    for (std::size_t at = text.find(",infeasible,"); at != std::string::npos; at = text.find(",infeasible,", at + 1))
        ++infeasible;
    EXPECT_EQ(infeasible, 8);
}

TEST(SweepCommand, OneAndTwoJobsGiveIdenticalRows) {
    const TempDir dir;
    for (const char* format : {"csv", "jsonl"}) {
        ASSERT_EQ(sweep_to(dir, "one", {"--jobs", "1", "--format", format}).exit_code, 0);
        ASSERT_EQ(sweep_to(dir, "two", {"--jobs", "2", "--format", format}).exit_code, 0);
        EXPECT_EQ(dir.read("one"), dir.read("two")) << format;
        EXPECT_EQ(line_count(dir.read("one")), (std::string(format) == "csv" ? 25 : 24));
    }
}

TEST(SweepCommand, StdoutGetsTheSameRowsInOrder) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "file.csv", {"--jobs", "2"}).exit_code, 0);
    const ProcessResult r = run_flashscope({"sweep", k_small, "--jobs", "2"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, dir.read("file.csv"));
    EXPECT_NE(r.err.find("sweep: 24/24 100.0%"), std::string::npos) << r.err;  // plain progress, not a TTY
}

TEST(SweepCommand, ShardsMergedEqualTheUnshardedRun) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "full.csv", {}).exit_code, 0);
    std::vector<std::string> merge = {"merge", "--out", dir.path("merged.csv")};
    for (int i = 0; i < 5; ++i) {
        const std::string name = "shard" + std::to_string(i) + ".csv";
        ASSERT_EQ(sweep_to(dir, name, {"--shard", std::to_string(i) + "/5", "--jobs", "2"}).exit_code, 0);
        EXPECT_LT(line_count(dir.read(name)), 1 + 24);
        merge.push_back(dir.path(name));
    }
    const ProcessResult merged = run_flashscope(merge);
    ASSERT_EQ(merged.exit_code, 0) << merged.err;
    EXPECT_EQ(dir.read("merged.csv"), dir.read("full.csv"));

    merge.pop_back();  // shard 4 absent: its points are named
    merge[2] = dir.path("partial.csv");
    const ProcessResult missing = run_flashscope(merge);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("point(s) missing: index 4, 9, 14, 19"), std::string::npos) << missing.err;
}

TEST(SweepCommand, SlurmArrayVariablesSelectTheShard) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "flag.csv", {"--shard", "1/3"}).exit_code, 0);
    const ProcessResult env = run_flashscope({"sweep", k_small, "--out", dir.path("env.csv"), "--quiet"},
                                             {"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=3",
                                              "SLURM_ARRAY_TASK_MIN=1"});
    ASSERT_EQ(env.exit_code, 0) << env.err;
    EXPECT_EQ(dir.read("env.csv"), dir.read("flag.csv"));
}

TEST(SweepCommand, ResumeAfterAKilledRunCompletesWithoutDoubles) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "reference.csv", {"--jobs", "2"}, k_slow).exit_code, 0);
    const std::string reference = dir.read("reference.csv");
    ASSERT_EQ(line_count(reference), 1 + 16);

    const pid_t pid = spawn_flashscope({"sweep", k_slow, "--out", dir.path("killed.csv"), "--jobs", "1", "--chunk", "1"},
                                       dir.path("stdout"), dir.path("stderr"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line_count(dir.read("killed.csv")) < 1 + 3 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    ASSERT_EQ(wait_for_exit(pid), 128 + SIGKILL) << "the run finished before it could be killed";

    const std::string partial = dir.read("killed.csv");
    const std::int64_t rows_left = line_count(partial) - 1;
    EXPECT_GE(rows_left, 3);
    EXPECT_LT(rows_left, 16);
    EXPECT_EQ(reference.compare(0, partial.size(), partial), 0) << "the killed file is not a valid prefix";

    const ProcessResult resumed = sweep_to(dir, "killed.csv", {"--resume", "--jobs", "2"}, k_slow);
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(dir.read("killed.csv"), reference);

    const ProcessResult again = run_flashscope({"sweep", k_slow, "--out", dir.path("killed.csv"), "--resume"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("16 already in"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("0 to run"), std::string::npos) << again.err;
    EXPECT_EQ(dir.read("killed.csv"), reference);
}

TEST(SweepCommand, BadSweepFileIsOneLineNamingKeyAndLine) {
    const TempDir dir;
    dir.write("bad.yaml", "algo: flash2\nseq: [1024, 2048]\nblock_m: [64, sixty-four]\n");
    const ProcessResult r = run_flashscope({"sweep", dir.path("bad.yaml")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err, "flashscope: error: " + dir.path("bad.yaml") + ":3: block_m: 'sixty-four' is not a whole number\n");
    EXPECT_TRUE(r.out.empty());
}

TEST(SweepCommand, RowsCarrySimulateCsvFields) {
    const TempDir dir;
    dir.write("one.yaml", "algo: flash2\nmodel: analytic\nseq: 2048\nhead_dim: 64\n");
    const ProcessResult sweep = run_flashscope({"sweep", dir.path("one.yaml"), "--quiet"});
    const ProcessResult sim = run_flashscope({"simulate", "--algo", "flash2", "--model", "analytic", "--seq", "2048",
                                              "--head-dim", "64", "--format", "csv"});
    ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    const std::string sweep_row = sweep.out.substr(sweep.out.find('\n') + 1);
    const std::string sim_row = sim.out.substr(sim.out.find('\n') + 1);
    EXPECT_EQ(sweep_row.substr(sweep_row.find(",ok,,") + 5), sim_row);
    EXPECT_EQ(sweep.out.substr(0, sweep.out.find('\n') + 1), "id,index,points,status,reason," + sim.out.substr(0, sim.out.find('\n') + 1));
}

}  // namespace
}  // namespace flashscope::sweep::test
