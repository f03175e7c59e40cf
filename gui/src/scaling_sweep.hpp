#pragma once
// The scaling view's data: HBM bytes, footprint and time against sequence length (seq_q = seq_k
// = N) for every registered algorithm with the analytic model, and the N where naive's N x N
// buffers stop fitting the GPU's memory.
#include <cstdint>
#include <optional>
#include <vector>

#include "flashscope/sim/simulate.hpp"
#include "progress.hpp"

namespace flashscope::gui {

struct ScalingSweep {
    std::vector<std::int64_t> seqs;
    std::vector<Algorithm> algorithms;  // those registered when the sweep ran
    // Indexed like `algorithms`, then by seqs; empty when the simulator rejected the point.
    std::vector<std::vector<std::optional<Metrics>>> totals;
    std::int64_t hbm_capacity_bytes = 0;
    // Smallest N whose naive footprint exceeds the GPU's memory; 0 when none up to the limit.
    std::int64_t naive_limit_seq = 0;

    bool empty() const { return seqs.empty(); }
};

// Powers of two from 256 to 262144.
std::vector<std::int64_t> scaling_seqs();

ScalingSweep sweep_scaling(const sim::SimulationRequest& base, const ProgressCallback& keep_going);

// Bisection over N with the naive schedule's footprint; 0 when it fits up to `max_seq`.
std::int64_t naive_fit_limit(const sim::SimulationRequest& base, std::int64_t max_seq);

}  // namespace flashscope::gui
