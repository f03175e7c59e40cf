#pragma once
// Shared set-up of the simulator tests: requests on a preset, and the same GPU with no L2.
#include "flashscope/core/error.hpp"
#include "flashscope/sim/schedule.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::sim::testing {

inline SimulationRequest request(Algorithm algo, Model model = Model::analytic,
                                 const char* gpu = "h100-sxm5") {
    SimulationRequest r;
    r.gpu = gpu_preset(gpu);
    r.algorithm = algo;
    r.model = model;
    r.problem.batch = 2;
    r.problem.heads = 4;
    r.problem.kv_heads = 4;
    r.problem.seq_q = r.problem.seq_k = 1024;
    r.problem.head_dim = 64;
    r.tile = {64, 64, 4, 2};
    return r;
}

inline SimulationRequest without_l2(SimulationRequest r) {
    r.gpu.l2_size_bytes = 0;
    return r;
}

// Whether the algorithm refuses the problem outright (flash1_released: GQA, fp32, head_dim 256;
// flash3: fp32), or the GPU (flash3 before Hopper; the tests' default GPU is an H100).
inline bool refuses(Algorithm algo, const AttentionProblem& problem,
                    const GpuSpec& gpu = gpu_preset("h100-sxm5")) {
    try {
        schedule_for(algo).check_problem(problem);
        schedule_for(algo).check_gpu(gpu);
        return false;
    } catch (const ConfigError&) {
        return true;
    }
}

// The test's tile, or the algorithm's own where its kernels fix the tile (flash1_released).
inline TileConfig tile_for(Algorithm algo, const TileConfig& tile,
                           const AttentionProblem& problem) {
    try {
        schedule_for(algo).check_tile(tile, problem);
        return tile;
    } catch (const ConfigError&) {
        return {};
    }
}

inline std::int64_t hbm_bytes(const Result& r) {
    return r.totals.hbm_read_bytes + r.totals.hbm_write_bytes;
}

}  // namespace flashscope::sim::testing
