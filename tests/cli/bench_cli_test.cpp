// flashscope bench's command line, checked before any device is touched: which algorithms, passes,
// tiles and modes exist comes from the descriptors and launch plans, and a request for something
// that does not is a one-line error naming the flag, with or without a GPU.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.hpp"
#include "flashscope/core/error.hpp"

namespace {

// Parses `flashscope bench <args>` and runs its callback; returns the ConfigError it throws.
flashscope::ConfigError bench_error(std::vector<std::string> args) {
    CLI::App app;
    flashscope::cli::add_bench_command(app);
    args.insert(args.begin(), "bench");
    std::reverse(args.begin(), args.end());  // CLI11 takes the arguments last-first
    try {
        app.parse(args);
    } catch (const flashscope::ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return flashscope::ConfigError("", "", "");
}

TEST(CliBench, APassAnAlgorithmHasNoKernelsForIsRefused) {
    const auto e = bench_error({"--algo", "flash1", "--pass", "bwd"});
    EXPECT_EQ(e.field(), "algo");
    EXPECT_EQ(e.value(), "flash1");
    EXPECT_EQ(e.limit(), "has no CUDA kernels for the bwd pass");
}

TEST(CliBench, UnknownAndRepeatedAlgorithmsAreRefused) {
    EXPECT_EQ(bench_error({"--algo", "flash9"}).field(), "algo");
    const auto e = bench_error({"--algo", "flash2,flash2"});
    EXPECT_EQ(e.field(), "algo");
    EXPECT_EQ(e.limit(), "is listed twice");
}

TEST(CliBench, DeterministicWithoutABackwardIsRefused) {
    EXPECT_EQ(bench_error({"--deterministic"}).field(), "deterministic");
    EXPECT_EQ(bench_error({"--deterministic", "--pass", "bwd", "--algo", "naive"}).field(),
              "deterministic");
}

TEST(CliBench, MalformedTileAndMissingOutputFolderAreRefused) {
    const auto tile = bench_error({"--tile", "128x64x4"});
    EXPECT_EQ(tile.field(), "tile");
    EXPECT_EQ(tile.value(), "128x64x4");
    const std::string out =
        (std::filesystem::temp_directory_path() / "flashscope-no-such-folder-XYZ" / "b.json")
            .string();
    const auto folder = bench_error({"--out", out});
    EXPECT_EQ(folder.field(), "out");
    EXPECT_EQ(folder.value(), out);
}

}  // namespace
