#pragma once
// A sweep file: for each `flashscope simulate` option (underscored: gpu, batch, heads, kv_heads,
// seq, seq_q, seq_k, head_dim, dtype, causal, algo, pass, block_m, block_n, warps, stages, model)
// one value or a list of values; unlisted options keep simulate's defaults. Optional `name` and
// `description` are free text. The sweep is the product of all lists (see product.hpp). Values are
// normalised and checked as they are read (spec_values.hpp).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sweep {

struct SweepSpec {
    std::string origin;  // the file name, for messages
    std::string name;
    std::string description;

    std::vector<std::string> gpus = {
        "h100-sxm5"};  // preset names or .yaml paths (relative to the file)
    std::vector<sim::GpuSpec> gpu_specs;            // resolved, parallel to gpus
    std::vector<std::string> gpu_yaml;              // their YAML text, parallel to gpus
    std::vector<sim::Model> models = {sim::Model::cycle};
    std::vector<Algorithm> algorithms = {Algorithm::naive, Algorithm::flash2};
    std::vector<Pass> passes = {Pass::fwd};
    std::vector<DType> dtypes = {DType::bf16};
    std::vector<bool> causal = {false};
    std::vector<std::int64_t> batch = {4};
    std::vector<std::int64_t> heads = {16};
    std::vector<std::int64_t> kv_heads;  // empty: each point's kv_heads equals its heads
    // With `seq`, seq_q lists its values and seq_k follows seq_q (seq_k_follows_q).
    std::vector<std::int64_t> seq_q = {4096};
    std::vector<std::int64_t> seq_k = {4096};
    bool seq_k_follows_q = true;
    std::vector<std::int64_t> head_dim = {128};
    std::vector<std::int64_t> block_m = {0};  // 0: chosen by FlashAttention's rule
    std::vector<std::int64_t> block_n = {0};
    std::vector<std::int64_t> warps = {0};
    std::vector<std::int64_t> stages = {0};
};

// The keys a sweep file may use, in the product's order (outermost first).
const std::vector<std::string_view>& sweep_keys();

// Throws SpecError naming the origin, the line and the key of the first problem.
SweepSpec parse_sweep_spec(std::string_view yaml_text, const std::string& origin);
SweepSpec load_sweep_spec(const std::string& path);

}  // namespace flashscope::sweep
