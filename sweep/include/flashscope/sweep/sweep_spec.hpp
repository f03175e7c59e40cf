#pragma once
// A sweep file: for each simulation option (flashscope/sim/simulation_options.hpp: simulate's
// flags, underscored: gpu, model, algo, pass, dtype, causal, batch, heads, kv_heads, seq, seq_q,
// seq_k, head_dim, tile, block_m, block_n, warps, stages, softmax_scale, dropout, naive_eager) one
// value or a list of values; options not given keep simulate's defaults (algo: naive and flash2).
// Optional `name` and `description` are free text. The sweep is the product of all lists (see
// product.hpp). Values are normalised and checked as they are read (spec_values.hpp).
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::sweep {

struct SweepSpec {
    std::string origin;  // the file name, for messages
    std::string name;
    std::string description;

    // In product order, the gpu axis always among them; values normalised (0064 reads as 64, a
    // GPU file's path lexically normal).
    std::vector<sim::OptionAxis> axes;
    std::vector<std::string> gpus;        // the gpu axis' values: preset names or .yaml paths
                                          // (relative to the file)
    std::vector<sim::GpuSpec> gpu_specs;  // resolved, parallel to gpus
    std::vector<std::string> gpu_yaml;    // their YAML text, parallel to gpus

    // The values of `key` in the product: its axis' texts, or its default's text alone.
    std::vector<std::string> values(std::string_view key) const;
};

// The keys a sweep file may use, in the product's order (outermost first).
const std::vector<std::string_view>& sweep_keys();

// Throws SpecError naming the origin, the line and the key of the first problem.
SweepSpec parse_sweep_spec(std::string_view yaml_text, const std::string& origin);
SweepSpec load_sweep_spec(const std::string& path);

}  // namespace flashscope::sweep
