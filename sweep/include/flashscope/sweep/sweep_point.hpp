#pragma once
// One point of a sweep: a full simulate configuration, its position in the product and a stable id.
// The id is a digest of the canonical configuration text, so it is the same in every run, shard and
// thread count, and does not change when other values are added to the sweep file.
#include <boost/json/object.hpp>
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

// The requested configuration as rows write it ("point" in JSON lines): {"gpu": "h100-sxm5",
// "model": "cycle", ..., "stages": 0}. It is the one list of a point's fields: the canonical text
// and so the id are made from it.
boost::json::object point_json(const SweepPoint& point);

// "key=value" for each field of a point object, in its order, separated by spaces. Throws
// std::invalid_argument when a field is not a string, number or boolean.
std::string canonical_text(const boost::json::object& point);

// canonical_text(point_json(point)): "gpu=h100-sxm5 model=cycle algo=flash2 pass=fwd dtype=bf16
// causal=false batch=4 heads=16 kv_heads=16 seq_q=4096 seq_k=4096 head_dim=128 block_m=0 block_n=0
// warps=0 stages=0"
std::string canonical_config(const SweepPoint& point);

// The simulator request for this point on `gpu`.
sim::SimulationRequest request_for(const SweepPoint& point, const sim::GpuSpec& gpu);

// digest_hex(canonical_config(point)) (digest.hpp): 16 hex digits.
std::string point_id(const SweepPoint& point);

}  // namespace flashscope::sweep
