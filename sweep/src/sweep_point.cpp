#include "flashscope/sweep/sweep_point.hpp"

#include <cstdio>

namespace flashscope::sweep {

std::string canonical_config(const SweepPoint& p) {
    const AttentionProblem& q = p.problem;
    std::string s;
    const auto add = [&s](const char* key, const std::string& value) {
        if (!s.empty()) s += ' ';
        s += key;
        s += '=';
        s += value;
    };
    add("gpu", p.gpu);
    add("model", std::string(to_string(p.model)));
    add("algo", std::string(to_string(p.algorithm)));
    add("pass", std::string(to_string(q.pass)));
    add("dtype", std::string(to_string(q.dtype)));
    add("causal", q.causal ? "true" : "false");
    add("batch", std::to_string(q.batch));
    add("heads", std::to_string(q.heads));
    add("kv_heads", std::to_string(q.kv_heads));
    add("seq_q", std::to_string(q.seq_q));
    add("seq_k", std::to_string(q.seq_k));
    add("head_dim", std::to_string(q.head_dim));
    add("block_m", std::to_string(p.tile.block_m));
    add("block_n", std::to_string(p.tile.block_n));
    add("warps", std::to_string(p.tile.warps));
    add("stages", std::to_string(p.tile.stages));
    return s;
}

std::string point_id(const SweepPoint& point) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
    for (unsigned char c : canonical_config(point)) {
        hash ^= c;
        hash *= 0x100000001b3ULL;  // FNV prime
    }
    // MurmurHash3's 64-bit finaliser, so configurations differing in one character get ids that
    // differ everywhere, not only in their last digits.
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccdULL;
    hash ^= hash >> 33;
    hash *= 0xc4ceb9fe1a85ec53ULL;
    hash ^= hash >> 33;
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
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
