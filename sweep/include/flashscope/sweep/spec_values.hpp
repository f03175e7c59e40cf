#pragma once
// The values of a sweep file, normalised and checked one at a time while the file is read, so that
// nothing runs for a file with a mistake in it:
// - value_text() is what a value is compared by: 64 and 0064 are one value, `no` and `false` too,
//   and a value listed twice is an error however it is written;
// - check_value() refuses a value that `simulate` refuses whatever the other options are (batch -4,
//   head_dim 100, block_m 100). A combination that cannot run (a tile too large for a GPU, kv_heads
//   that do not divide heads) is not checked here: it becomes an "infeasible" row;
// - GPU files are read relative to the sweep file, not the current directory.
#include <cstdint>
#include <string>
#include <string_view>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/dtype.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sweep {

std::string value_text(std::int64_t value);
std::string value_text(bool value);
std::string value_text(
    const std::string& value);  // names, and GPU entries as load_sweep_gpu() gives them
std::string value_text(sim::Model value);
std::string value_text(Algorithm value);
std::string value_text(Pass value);
std::string value_text(DType value);

// The problem text for a value written as `now` whose normalised text equals that of `earlier`:
// "'1024' is listed twice", or "'0064' is listed twice ('64' and '0064' are both 64)".
std::string listed_twice(const std::string& earlier, const std::string& now,
                         const std::string& normalised);

// Throws ConfigError (field, value and limit) when `key`'s value is one that no point may use.
// Keys without such a check pass.
void check_value(std::string_view key, std::int64_t value);

// A `gpu` entry: a preset name, or a .yaml/.yml file whose relative path starts at the directory of
// the sweep file `spec_origin`.
struct SweepGpu {
    std::string name;  // as written, a path lexically normalised (./a/../b.yaml -> b.yaml)
    std::string yaml;  // the preset's or the file's text: part of the sweep's identity
    sim::GpuSpec spec;
};
// Throws ConfigError naming the file it tried when a GPU file cannot be read or parsed.
SweepGpu load_sweep_gpu(const std::string& written, const std::string& spec_origin);

}  // namespace flashscope::sweep
