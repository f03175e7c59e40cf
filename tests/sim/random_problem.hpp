#pragma once
// Random simulation requests across the whole accepted input range, for property tests: sizes
// log-uniform (so 1, 17 and 16M are all likely), with the edges (1 and each maximum) drawn on
// purpose, and a request printed as the `flashscope simulate` flags that reproduce it.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "flashscope/sim/simulate.hpp"

namespace flashscope::sim::testing {

// The limits AttentionProblem::validate() accepts.
inline constexpr std::int64_t k_accepted_max_seq = std::int64_t{1} << 24;
inline constexpr std::int64_t k_accepted_max_batch_heads = std::int64_t{1} << 20;

class RandomRequests {
public:
    explicit RandomRequests(std::uint64_t seed) : m_rng(seed) {}

    // Integers in [lo, hi], log-uniform; lo or hi themselves one time in ten.
    std::int64_t size(std::int64_t lo, std::int64_t hi) {
        if (hi <= lo) return lo;
        const double u = unit();
        if (u < 0.05) return lo;
        if (u < 0.10) return hi;
        const double x =
            std::exp(std::log(double(lo)) + unit() * std::log(double(hi + 1) / double(lo)));
        return std::clamp<std::int64_t>(static_cast<std::int64_t>(x), lo, hi);
    }
    std::int64_t pick(std::int64_t lo, std::int64_t hi) {  // uniform in [lo, hi]
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(m_rng);
    }
    bool chance(double p) { return unit() < p; }
    double unit() { return std::uniform_real_distribution<double>(0, 1)(m_rng); }

    // A problem inside every accepted limit; max_seq and max_batch_heads narrow the range.
    AttentionProblem problem(std::int64_t max_seq = k_accepted_max_seq,
                             std::int64_t max_batch_heads = k_accepted_max_batch_heads) {
        AttentionProblem p;
        p.batch = size(1, max_batch_heads);
        p.heads = size(1, max_batch_heads / p.batch);
        p.kv_heads = chance(0.5) ? p.heads : divisor_of(p.heads);
        p.seq_q = size(1, max_seq);
        p.seq_k = chance(0.5) ? p.seq_q : size(1, max_seq);
        p.head_dim = 8 * pick(1, k_max_head_dim / 8);
        p.dtype = std::array{DType::fp32, DType::fp16, DType::bf16}[pick(0, 2)];
        p.causal = chance(0.5);
        p.pass = std::array{Pass::fwd, Pass::bwd, Pass::fwdbwd}[pick(0, 2)];
        return p;
    }

    // A complete tile that TileConfig::validate() accepts; it may still not fit the GPU.
    TileConfig tile() {
        return {16 * pick(1, 16), 16 * pick(1, 16), std::int64_t{1} << pick(0, 4), pick(1, 4)};
    }

    // Any registered algorithm.
    Algorithm algorithm() {
        const std::vector<Algorithm> all = all_algorithms();
        return all[std::size_t(pick(0, std::int64_t(all.size()) - 1))];
    }

private:
    std::int64_t divisor_of(std::int64_t n) {
        std::vector<std::int64_t> divisors;
        for (std::int64_t d = 1; d * d <= n; ++d) {
            if (n % d != 0) continue;
            divisors.push_back(d);
            divisors.push_back(n / d);
        }
        return divisors[std::size_t(pick(0, std::int64_t(divisors.size()) - 1))];
    }

    std::mt19937_64 m_rng;
};

// The `flashscope simulate` command line that runs `req`.
inline std::string command_line(const SimulationRequest& req) {
    const AttentionProblem& p = req.problem;
    std::string s = "flashscope simulate --gpu " + req.gpu.name + " --model " +
                    std::string(to_string(req.model)) + " --algo " +
                    std::string(to_string(req.algorithm));
    s += " --batch " + std::to_string(p.batch) + " --heads " + std::to_string(p.heads) +
         " --kv-heads " + std::to_string(p.kv_heads) + " --seq-q " + std::to_string(p.seq_q) +
         " --seq-k " + std::to_string(p.seq_k) + " --head-dim " + std::to_string(p.head_dim) +
         " --dtype " + std::string(to_string(p.dtype)) + " --pass " +
         std::string(to_string(p.pass));
    if (p.causal) s += " --causal";
    const TileConfig& t = req.tile;
    if (t.block_m) s += " --block-m " + std::to_string(t.block_m);
    if (t.block_n) s += " --block-n " + std::to_string(t.block_n);
    if (t.warps) s += " --warps " + std::to_string(t.warps);
    if (t.stages) s += " --stages " + std::to_string(t.stages);
    if (req.gpu.l2_size_bytes == 0) s += "  (GPU with the L2 disabled)";
    return s;
}

}  // namespace flashscope::sim::testing
