#pragma once
// One point of a sweep: a full simulation configuration, its position in the product and a stable
// id. The id is a digest of the canonical configuration text, so it is the same in every run, shard
// and thread count, and does not change when other values are added to the sweep file.
#include <boost/json/object.hpp>
#include <cstdint>
#include <string>

#include "flashscope/sim/simulation_config.hpp"

namespace flashscope::sweep {

struct SweepPoint {
    std::int64_t index = 0;        // position in the product order
    std::int64_t gpu_slot = 0;     // index into SweepSpec::gpus / gpu_specs
    sim::SimulationConfig config;  // the tile as requested; 0 fields are chosen by the simulator
    std::string id;                // point_id(*this)
};

// The requested configuration as rows write it ("point" in JSON lines): every option of the options
// table but the shorthands, in its order, {"gpu": "h100-sxm5", "model": "cycle", ...,
// "naive_eager": false} (sim::config_to_json). It is the one list of a point's fields: the
// canonical text and so the id are made from it.
boost::json::object point_json(const SweepPoint& point);

// "key=value" for each field of a point object, in its order, separated by spaces; softmax_scale,
// dropout and naive_eager (sweep keys since sweep schema 2) only when they differ from the
// default, so that points without them keep their ids. Throws std::invalid_argument when a field
// is not a string, number or boolean.
std::string canonical_text(const boost::json::object& point);

// canonical_text(point_json(point)): "gpu=h100-sxm5 model=cycle algo=flash2 pass=fwd dtype=bf16
// causal=false batch=4 heads=16 kv_heads=16 seq_q=4096 seq_k=4096 head_dim=128 block_m=0 block_n=0
// warps=0 stages=0"
std::string canonical_config(const SweepPoint& point);

// digest_hex(canonical_config(point)) (digest.hpp): 16 hex digits.
std::string point_id(const SweepPoint& point);

}  // namespace flashscope::sweep
