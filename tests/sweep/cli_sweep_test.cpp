// The flashscope sweep and merge commands, run as processes.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "flashscope/sim/gpu_spec.hpp"
#include "process.hpp"
#include "temp_dir.hpp"

namespace flashscope::sweep::test {
namespace {

const std::string k_small = SWEEP_TEST_DATA "/small.yaml";  // 24 points, 8 infeasible
const std::string k_slow = SWEEP_TEST_DATA "/slow.yaml";    // 16 points, ~3 s on one core

std::int64_t line_count(const std::string& text) {
    return std::count(text.begin(), text.end(), '\n');
}

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
    for (std::size_t at = text.find(",infeasible,"); at != std::string::npos;
         at = text.find(",infeasible,", at + 1))
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
    EXPECT_NE(r.err.find("sweep: 24/24 100.0%"), std::string::npos)
        << r.err;  // plain progress, not a TTY
}

TEST(SweepCommand, ShardsMergedEqualTheUnshardedRun) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "full.csv", {}).exit_code, 0);
    std::vector<std::string> merge = {"merge", "--out", dir.path("merged.csv")};
    for (int i = 0; i < 5; ++i) {
        const std::string name = "shard" + std::to_string(i) + ".csv";
        ASSERT_EQ(
            sweep_to(dir, name, {"--shard", std::to_string(i) + "/5", "--jobs", "2"}).exit_code, 0);
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
    EXPECT_NE(missing.err.find("point(s) missing: index 4, 9, 14, 19"), std::string::npos)
        << missing.err;
}

const std::vector<std::string> k_array_task = {"SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=3",
                                               "SLURM_ARRAY_TASK_MIN=1"};  // task 2 of --array=1-3

TEST(SweepCommand, ShardAutoInsideASlurmArrayRunsTheTasksShare) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "flag.csv", {"--shard", "1/3"}).exit_code, 0);
    const ProcessResult env = run_flashscope(
        {"sweep", k_small, "--out", dir.path("env.csv"), "--shard", "auto"}, k_array_task);
    ASSERT_EQ(env.exit_code, 0) << env.err;
    EXPECT_EQ(dir.read("env.csv"), dir.read("flag.csv"));
    EXPECT_NE(env.err.find("shard 1/3: 8"), std::string::npos) << env.err;
}

TEST(SweepCommand, NoShardInsideASlurmArrayRunsEveryPointAndSaysSo) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "all.csv", {}).exit_code, 0);
    const ProcessResult env =
        run_flashscope({"sweep", k_small, "--out", dir.path("env.csv")}, k_array_task);
    ASSERT_EQ(env.exit_code, 0) << env.err;
    EXPECT_EQ(dir.read("env.csv"), dir.read("all.csv"));
    EXPECT_NE(env.err.find("sweep: note: this is Slurm array task 2 but --shard is not given: "
                           "running every point"),
              std::string::npos)
        << env.err;
}

TEST(SweepCommand, ShardAutoOutsideASlurmArrayRunsEveryPoint) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "all.csv", {}).exit_code, 0);
    // Set empty, in case the tests themselves run inside a Slurm job array: empty counts as absent.
    const ProcessResult r =
        run_flashscope({"sweep", k_small, "--out", dir.path("auto.csv"), "--shard", "auto"},
                       {"SLURM_ARRAY_TASK_ID=", "SLURM_ARRAY_TASK_COUNT="});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(dir.read("auto.csv"), dir.read("all.csv"));
    EXPECT_NE(r.err.find("note: --shard auto outside a Slurm job array: running every point"),
              std::string::npos)
        << r.err;
    const ProcessResult bad = sweep_to(dir, "bad.csv", {"--shard", "automatic"});
    EXPECT_EQ(bad.exit_code, 2);  // a usage error
    EXPECT_NE(bad.err.find("--shard automatic: expected auto, or I/N"), std::string::npos)
        << bad.err;
}

TEST(SweepCommand, ResumeAfterAKilledRunCompletesWithoutDoubles) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "reference.csv", {"--jobs", "2"}, k_slow).exit_code, 0);
    const std::string reference = dir.read("reference.csv");
    ASSERT_EQ(line_count(reference), 1 + 16);

    const pid_t pid = spawn_flashscope(
        {"sweep", k_slow, "--out", dir.path("killed.csv"), "--jobs", "1", "--chunk", "1"},
        dir.path("stdout"), dir.path("stderr"));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (line_count(dir.read("killed.csv")) < 1 + 3 &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    ASSERT_EQ(wait_for_exit(pid), 128 + SIGKILL) << "the run finished before it could be killed";

    const std::string partial = dir.read("killed.csv");
    const std::int64_t rows_left = line_count(partial) - 1;
    EXPECT_GE(rows_left, 3);
    EXPECT_LT(rows_left, 16);
    EXPECT_EQ(reference.compare(0, partial.size(), partial), 0)
        << "the killed file is not a valid prefix";

    const ProcessResult resumed = sweep_to(dir, "killed.csv", {"--resume", "--jobs", "2"}, k_slow);
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(dir.read("killed.csv"), reference);

    const ProcessResult again =
        run_flashscope({"sweep", k_slow, "--out", dir.path("killed.csv"), "--resume"});
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("16 already in"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("0 to run"), std::string::npos) << again.err;
    EXPECT_EQ(dir.read("killed.csv"), reference);
}

TEST(SweepCommand, BadSweepFileIsOneLineNamingKeyAndLine) {
    const TempDir dir;
    dir.write("bad.yaml", "algo: flash2\nseq: [1024, 2048]\nblock_m: [64, sixty-four]\n");
    const ProcessResult r = run_flashscope({"sweep", dir.path("bad.yaml")});
    EXPECT_EQ(r.exit_code, 2);  // a usage error, before any work
    EXPECT_EQ(r.err, "flashscope: error: " + dir.path("bad.yaml") +
                         ":3: block_m: 'sixty-four' must be a whole number in [0, 256]\n");
    EXPECT_TRUE(r.out.empty());
}

TEST(SweepCommand, RowsCarrySimulateCsvFields) {
    const TempDir dir;
    dir.write("one.yaml", "algo: flash2\nmodel: analytic\nseq: 2048\nhead_dim: 64\n");
    const ProcessResult sweep = run_flashscope({"sweep", dir.path("one.yaml"), "--quiet"});
    const ProcessResult sim =
        run_flashscope({"simulate", "--algo", "flash2", "--model", "analytic", "--seq", "2048",
                        "--head-dim", "64", "--format", "csv"});
    ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
    ASSERT_EQ(sim.exit_code, 0) << sim.err;
    const std::string sweep_row = sweep.out.substr(sweep.out.find('\n') + 1);
    const std::string sim_row = sim.out.substr(sim.out.find('\n') + 1);
    const std::size_t simulate_begin = sweep_row.find(",ok,,") + 5;
    const std::size_t point_begin = sweep_row.rfind(",gpu=");
    EXPECT_EQ(sweep_row.substr(simulate_begin, point_begin - simulate_begin) + "\n", sim_row);
    const std::string sim_header = sim.out.substr(0, sim.out.find('\n'));
    EXPECT_EQ(sweep.out.substr(0, sweep.out.find('\n') + 1),
              "id,index,points,sweep_id,status,reason," + sim_header + ",point\n");
}

// The examples of issue 13: each once wrong with exit 0, now refused with file:line.

TEST(SweepCommand, ValueListedTwiceIsRefusedBeforeAnyWork) {
    const TempDir dir;
    dir.write("dup.yaml", "algo: flash2\nmodel: analytic\nhead_dim: [64, 0064]\n");
    const ProcessResult r =
        run_flashscope({"sweep", dir.path("dup.yaml"), "--out", dir.path("dup.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "flashscope: error: " + dir.path("dup.yaml") +
                         ":3: head_dim: '0064' is listed twice ('64' and '0064' are both 64)\n");
    EXPECT_FALSE(std::filesystem::exists(dir.path("dup.csv")));
}

TEST(SweepCommand, InvalidValueIsAnErrorNotAnInfeasibleRow) {
    const TempDir dir;
    dir.write("neg.yaml", "algo: flash2\nbatch: [4, -4]\n");
    const ProcessResult r =
        run_flashscope({"sweep", dir.path("neg.yaml"), "--out", dir.path("neg.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(r.err, "flashscope: error: " + dir.path("neg.yaml") +
                         ":2: batch: '-4' must be a whole number in [1, 1048576]\n");
    EXPECT_FALSE(std::filesystem::exists(dir.path("neg.csv")));
}

TEST(SweepCommand, MergeRefusesShardsOfTwoSweeps) {
    // Shard 0/2 of an analytic sweep and shard 1/2 of the same sweep in the cycle model: together
    // they cover every index once, and merge accepted them with exit 0 before rows carried
    // sweep_id.
    const TempDir dir;
    const std::string common = "algo: [naive, flash2]\nseq: [1024, 2048]\nbatch: 1\nheads: 2\n";
    dir.write("analytic.yaml", common + "model: analytic\n");
    dir.write("cycle.yaml", common + "model: cycle\n");
    ASSERT_EQ(sweep_to(dir, "a.csv", {"--shard", "0/2"}, dir.path("analytic.yaml")).exit_code, 0);
    ASSERT_EQ(sweep_to(dir, "c.csv", {"--shard", "1/2"}, dir.path("cycle.yaml")).exit_code, 0);
    const ProcessResult r =
        run_flashscope({"merge", dir.path("a.csv"), dir.path("c.csv"), "--out", dir.path("m.csv")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(dir.path("c.csv") + ":2: the row is of sweep "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(" but " + dir.path("a.csv") + ":2 is of sweep "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("merge the shards of one sweep"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path("m.csv")));
}

TEST(SweepCommand, ResumeRefusesARowWithAnExtraField) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "out.csv", {}).exit_code, 0);
    std::string text = dir.read("out.csv");
    const std::size_t end_of_line_3 = text.find('\n', text.find('\n', text.find('\n') + 1) + 1);
    text.insert(end_of_line_3, ",extra");
    dir.write("out.csv", text);
    const ProcessResult r = sweep_to(dir, "out.csv", {"--resume"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(dir.path("out.csv") + ":3: not a well-formed sweep row: it has "),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("delete that line (its point is simulated again)"), std::string::npos)
        << r.err;
    EXPECT_EQ(dir.read("out.csv"), text) << "the refused file was changed";
}

TEST(SweepCommand, MergeRefusesARowWithAnExtraField) {
    const TempDir dir;
    ASSERT_EQ(sweep_to(dir, "a.jsonl", {"--shard", "0/2"}).exit_code, 0);
    ASSERT_EQ(sweep_to(dir, "b.jsonl", {"--shard", "1/2"}).exit_code, 0);
    std::string text = dir.read("b.jsonl");
    text.insert(text.find('\n') - 1, ",\"extra\":1");  // inside the first row's object
    dir.write("b.jsonl", text);
    const ProcessResult r = run_flashscope(
        {"merge", dir.path("a.jsonl"), dir.path("b.jsonl"), "--out", dir.path("m.jsonl")});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(
        r.err.find(dir.path("b.jsonl") + ":1: not a well-formed sweep row: it has a field 'extra'"),
        std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path("m.jsonl")));
}

TEST(SweepCommand, ResumeRefusesAFileWhoseGpuChanged) {
    // The same points on an edited GPU file: the ids agree, the sweep identity does not.
    const TempDir dir;
    std::string gpu = std::string(sim::gpu_preset_yaml("a100-sxm4-40gb"));
    dir.write("g.yaml", gpu);
    dir.write("s.yaml", "gpu: g.yaml\nmodel: analytic\nalgo: flash2\nseq: [1024, 2048]\n");
    ASSERT_EQ(run_flashscope({"sweep", dir.path("s.yaml"), "--out", dir.path("out.csv"), "--quiet"})
                  .exit_code,
              0);
    gpu.replace(gpu.find("hbm_bandwidth_gbps: 1555"), 24, "hbm_bandwidth_gbps: 1600");
    dir.write("g.yaml", gpu);
    const ProcessResult r =
        run_flashscope({"sweep", dir.path("s.yaml"), "--out", dir.path("out.csv"), "--resume"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(dir.path("out.csv") + ":2: the row is of sweep "), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("a GPU file it names"), std::string::npos) << r.err;
}

TEST(SweepCommand, GpuPathsAreRelativeToTheSweepFile) {
    const TempDir dir;
    std::filesystem::create_directories(dir.path("sweeps/gpus"));
    std::string gpu = std::string(sim::gpu_preset_yaml("h200-sxm"));
    gpu.replace(gpu.find("name: h200-sxm"), 14, "name: my-h200");
    dir.write("sweeps/gpus/mine.yaml", gpu);
    dir.write("sweeps/s.yaml", "gpu: gpus/mine.yaml\nmodel: analytic\nalgo: flash2\n");
    // This process runs elsewhere (the build tree), so only the sweep file's folder finds the GPU.
    ASSERT_NE(std::filesystem::current_path(), std::filesystem::path(dir.path("sweeps")));
    const ProcessResult r = run_flashscope({"sweep", dir.path("sweeps/s.yaml"), "--quiet"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(",ok,,my-h200,flash2,"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("gpu=gpus/mine.yaml "), std::string::npos) << r.out;
}

TEST(SweepCommand, FailOnInfeasibleExitsOneAfterWritingEveryRow) {
    const TempDir dir;
    const ProcessResult r = sweep_to(dir, "out.csv", {"--fail-on-infeasible"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "flashscope: error: 8 of 24 rows are infeasible or failed (--fail-on-infeasible); "
              "their status "
              "and reason columns say why\n");
    EXPECT_EQ(line_count(dir.read("out.csv")), 1 + 24);
    // Resumed rows count too: nothing is left to run, and the file still holds 8 infeasible rows.
    EXPECT_EQ(sweep_to(dir, "out.csv", {"--resume", "--fail-on-infeasible"}).exit_code, 1);
    EXPECT_EQ(sweep_to(dir, "out.csv", {"--resume"}).exit_code, 0);

    dir.write("fine.yaml", "model: analytic\nseq: [1024, 2048]\n");
    EXPECT_EQ(sweep_to(dir, "fine.csv", {"--fail-on-infeasible"}, dir.path("fine.yaml")).exit_code,
              0);
}

}  // namespace
}  // namespace flashscope::sweep::test
