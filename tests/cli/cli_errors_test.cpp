// The error contract, example by example: a usage error is exactly one line on stderr that names
// the flag (and the value and the limit), exit 2, nothing on stdout; a failure while working, 1.
#include <gtest/gtest.h>

#include <algorithm>

#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using flashscope::sweep::test::ProcessResult;
using flashscope::sweep::test::run_flashscope;
using flashscope::sweep::test::TempDir;

struct UsageCase {
    std::vector<std::string> args;
    std::string
        line;  // the whole stderr line after "flashscope: error: " (a prefix where marked ...)
};

void expect_usage_error(const UsageCase& c) {
    std::string shown;
    for (const std::string& a : c.args)
        shown += (shown.empty() ? "" : " ") + (a.empty() ? "''" : a);
    const ProcessResult r = run_flashscope(c.args);
    EXPECT_EQ(r.exit_code, 2) << shown << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << shown << "\n" << r.err;
    const bool prefix = c.line.ends_with("...");
    const std::string expected =
        "flashscope: error: " + c.line.substr(0, c.line.size() - (prefix ? 3 : 0));
    if (prefix)
        EXPECT_EQ(r.err.rfind(expected, 0), 0u) << shown << "\n" << r.err;
    else
        EXPECT_EQ(r.err, expected + "\n") << shown;
    EXPECT_TRUE(r.out.empty()) << shown;
}

TEST(CliErrors, SimulateUsageErrorsAreOneLineNamingTheFlag) {
    const TempDir dir;
    const std::vector<UsageCase> cases = {
        // the examples of issue 13
        {{"simulate", "--seq", "99999999999999999999"},
         "--seq 99999999999999999999: must be a whole number in [1, 16777216]"},
        {{"simulate", "--seq", "4096", "--seq-q", "1024"},
         "--seq-q 1024: conflicts with --seq 4096; give one or the other"},
        {{"simulate", "--dropout", "0.1"},
         "--dropout 0.1: changes nothing without naive eager mode (--naive-eager)"},
        {{"simulate", "--algo", "flash2", "--algo", "flash2"}, "--algo flash2: is given twice"},
        {{"simulate", "--timeline", ""}, "--timeline \"\": needs a file name"},
        {{"simulate", "--tile", "128x64x4x2", "--block-m", "64"},
         "--block-m 64: conflicts with --tile 128x64x4x2; give one or the other"},
        // problems too large to count: printed "naive HBM read 0 B" and "-5424 PiB" before
        {{"simulate", "--seq", "16777216", "--model", "analytic", "--batch", "128", "--heads",
          "128"},
         "batch*heads*seq_q*seq_k*elem 128*128*16777216*16777216*2 = 9.22e+18: exceeds 2^63-1, "
         "the largest count flashscope holds; reduce batch, heads or seq"},
        {{"simulate", "--seq", "16777216", "--model", "analytic", "--batch", "1024", "--heads",
          "1024", "--head-dim", "256", "--dtype", "fp32"},
         "batch*heads*seq_q*seq_k*elem 1024*1024*16777216*16777216*4 = 1.18e+21: ..."},
        {{"simulate", "--seq", "16777216", "--batch", "64", "--heads", "128"},
         "naive_qk sram_read_bytes 1688849860263936 * 8192: exceeds 2^63-1, ..."},
        // bad flags and values
        {{"simulate", "--bogus"}, "The following argument was not expected: --bogus"},
        {{"simulate", "--batch", "-4"}, "--batch -4: must be a whole number in [1, 1048576]"},
        {{"simulate", "--batch", "four"}, "--batch four: must be a whole number in [1, 1048576]"},
        {{"simulate", "--head-dim", "512"}, "--head-dim 512: must be a whole number in [1, 256]"},
        {{"simulate", "--seq", "0"}, "--seq 0: must be a whole number in [1, 16777216]"},
        {{"simulate", "--dropout", "1"}, "--dropout 1: must be a number in [0, 1)"},
        {{"simulate", "--softmax-scale", "nan"},
         "--softmax-scale nan: must be a number in [0, inf)"},
        {{"simulate", "--dtype", "fp8"}, "--dtype fp8: ..."},
        {{"simulate", "--algo", "flash9"}, "--algo flash9: ..."},
        {{"simulate", "--gpu", "tpu"}, "--gpu tpu: unknown preset..."},
        {{"simulate", "--block-m", "100"},
         "--block-m 100: must be a multiple of 16 in [16, 256] (tensor-core fragment size)"},
        {{"simulate", "--tile", "128x64x4"},
         "--tile 128x64x4: must be BLOCK_MxBLOCK_NxWARPSxSTAGES, e.g. 128x64x4x2"},
        {{"simulate", "--tile", "128x64x3x2"},
         "--tile 128x64x3x2: warps 3 must be a power of two in [1, 16] or 12 (three warpgroups)"},
        {{"simulate", "--heads", "16", "--kv-heads", "5"}, "--kv-heads 5: must divide heads (16)"},
        {{"simulate", "--format", "yaml"}, "--format yaml: must be table, json or csv"},
        // conflicting and ineffective flags
        {{"simulate", "--batch", "4", "--batch", "8"}, "--batch 8: is given twice (first as 4)"},
        {{"simulate", "--causal", "--causal"}, "--causal: is given twice"},
        {{"simulate", "--naive-eager", "--algo", "flash2"},
         "--naive-eager: changes only the naive algorithm, which does not run (--algo)"},
        {{"simulate", "--model", "analytic", "--timeline", dir.path("t.csv")},
         "--timeline " + dir.path("t.csv") + ": needs --model cycle"},
        // output paths, before the work
        {{"simulate", "--out", dir.path("no/such/folder.json")},
         "--out " + dir.path("no/such/folder.json") + ": its folder ..."},
        {{"simulate", "--out", dir.path("")},
         "--out " + dir.path("") + ": is a folder; give a file name"},
        // infeasible on the chosen GPU: a bad value too
        {{"simulate", "--algo", "flash2", "--head-dim", "256", "--block-m", "256", "--block-n",
          "256", "--stages", "4"},
         "tile (flash2_fwd) 1179648 B of shared memory per CTA: ..."},
    };
    for (const UsageCase& c : cases) expect_usage_error(c);
}

TEST(CliErrors, OtherCommandsFollowTheSameContract) {
    const TempDir dir;
    dir.write("ok.yaml", "algo: flash2\nmodel: analytic\nseq: 512\n");
    dir.write("bad.yaml", "algo: flash2\nbatch: -4\n");
    dir.write("eager.yaml", "algo: flash2\nnaive_eager: true\n");
    const std::vector<UsageCase> cases = {
        {{"sweep", dir.path("bad.yaml")},
         dir.path("bad.yaml") + ":2: batch: '-4' must be a whole number in [1, 1048576]"},
        {{"sweep", dir.path("eager.yaml")},
         dir.path("eager.yaml") +
             ":2: naive_eager: 'true' changes only the naive algorithm, which does not run (algo)"},
        {{"sweep", dir.path("missing.yaml")},
         dir.path("missing.yaml") + ": cannot open the sweep file"},
        {{"sweep", dir.path("ok.yaml"), "--jobs", "x"},
         "--jobs x: must be a whole number in [0, 4096]"},
        {{"sweep", dir.path("ok.yaml"), "--chunk", "0"},
         "--chunk 0: must be a whole number in [1, 1073741824]"},
        {{"sweep", dir.path("ok.yaml"), "-o", dir.path("no/x.csv")},
         "--out " + dir.path("no/x.csv") + ": its folder ..."},
        {{"sweep"}, "spec is required"},
        {{"merge", "-o", "", dir.path("ok.yaml")}, "--out \"\": needs a file name"},
        {{"frobnicate"}, "The following argument was not expected: frobnicate"},
    };
    for (const UsageCase& c : cases) expect_usage_error(c);
}

TEST(CliErrors, FailuresWhileWorkingExitOne) {
    const TempDir dir;
    dir.write("a.csv", "not,a,sweep,file\n");
    const ProcessResult r = run_flashscope({"merge", dir.path("a.csv")});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_EQ(r.err.rfind("flashscope: error: ", 0), 0u) << r.err;
}

}  // namespace
