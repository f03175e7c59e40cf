#include "flashscope/sweep/sweep_point.hpp"

#include <cstdio>
#include <stdexcept>

#include "flashscope/sweep/digest.hpp"

namespace flashscope::sweep {

boost::json::object point_json(const SweepPoint& p) {
    const AttentionProblem& q = p.problem;
    return {{"gpu", p.gpu},
            {"model", std::string(to_string(p.model))},
            {"algo", std::string(to_string(p.algorithm))},
            {"pass", std::string(to_string(q.pass))},
            {"dtype", std::string(to_string(q.dtype))},
            {"causal", q.causal},
            {"batch", q.batch},
            {"heads", q.heads},
            {"kv_heads", q.kv_heads},
            {"seq_q", q.seq_q},
            {"seq_k", q.seq_k},
            {"head_dim", q.head_dim},
            {"block_m", p.tile.block_m},
            {"block_n", p.tile.block_n},
            {"warps", p.tile.warps},
            {"stages", p.tile.stages}};
}

std::string canonical_text(const boost::json::object& point) {
    std::string s;
    for (const auto& [key, value] : point) {
        if (!s.empty()) s += ' ';
        s.append(key.data(), key.size());
        s += '=';
        if (value.is_string()) {
            s.append(value.get_string().data(), value.get_string().size());
        } else if (value.is_int64()) {
            s += std::to_string(value.get_int64());
        } else if (value.is_uint64()) {
            s += std::to_string(value.get_uint64());
        } else if (value.is_bool()) {
            s += value.get_bool() ? "true" : "false";
        } else if (value.is_double()) {
            char text[32];
            std::snprintf(text, sizeof text, "%.17g", value.get_double());  // round-trips exactly
            s += text;
        } else {
            throw std::invalid_argument("field '" + std::string(key) +
                                        "' is not a string, number or boolean");
        }
    }
    return s;
}

std::string canonical_config(const SweepPoint& point) {
    return canonical_text(point_json(point));
}

std::string point_id(const SweepPoint& point) {
    return digest_hex(canonical_config(point));
}

sim::SimulationRequest request_for(const SweepPoint& point, const sim::GpuSpec& gpu) {
    sim::SimulationRequest request;
    request.gpu = gpu;
    request.problem = point.problem;
    request.algorithm = point.algorithm;
    request.tile = point.tile;
    request.model = point.model;
    return request;
}

}  // namespace flashscope::sweep
