#pragma once
// One point of a sweep: a full simulate configuration, its position in the product and a stable id.
// The id is a hash of the canonical configuration text, so it is the same in every run, shard and
// thread count, and does not change when other values are added to the sweep file.
#include <cstdint>
#include <string>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::sweep {

struct SweepPoint {
    std::int64_t index = 0;      // position in the product order
    std::int64_t gpu_slot = 0;   // index into SweepSpec::gpus / gpu_specs
    std::string gpu;             // as written in the sweep file
    sim::Model model = sim::Model::cycle;
    Algorithm algorithm = Algorithm::flash2;
    AttentionProblem problem;
    TileConfig tile;  // as requested; 0 fields are chosen by the simulator
    std::string id;   // point_id(*this)
};

// "gpu=h100-sxm5 model=cycle algo=flash2 pass=fwd dtype=bf16 causal=false batch=4 heads=16
//  kv_heads=16 seq_q=4096 seq_k=4096 head_dim=128 block_m=0 block_n=0 warps=0 stages=0"
std::string canonical_config(const SweepPoint& point);

// The simulator request for this point on `gpu`.
sim::SimulationRequest request_for(const SweepPoint& point, const sim::GpuSpec& gpu);

// 16 hex digits: FNV-1a (64 bit) of canonical_config(), then MurmurHash3's fmix64 finaliser.
std::string point_id(const SweepPoint& point);

}  // namespace flashscope::sweep
