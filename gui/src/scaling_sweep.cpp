#include "scaling_sweep.hpp"

#include <exception>

namespace flashscope::gui {

namespace {

sim::SimulationRequest at_seq(const sim::SimulationRequest& base, Algorithm algorithm,
                              std::int64_t seq) {
    auto request = base;
    request.algorithm = algorithm;
    request.model = sim::Model::analytic;
    request.timeline = false;
    request.tile = {};  // each algorithm with its own default tile
    request.problem.seq_q = seq;
    request.problem.seq_k = seq;
    return request;
}

std::optional<Metrics> try_totals(const sim::SimulationRequest& request) {
    try {
        return sim::simulate(request).totals;
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

}  // namespace

std::vector<std::int64_t> scaling_seqs() {
    std::vector<std::int64_t> seqs;
    for (std::int64_t n = 256; n <= (std::int64_t{1} << 18); n *= 2) seqs.push_back(n);
    return seqs;
}

std::int64_t naive_fit_limit(const sim::SimulationRequest& base, std::int64_t max_seq) {
    const auto footprint = [&](std::int64_t n) {
        const auto totals = try_totals(at_seq(base, Algorithm::naive, n));
        return totals ? totals->hbm_footprint_bytes : std::int64_t{0};
    };
    const std::int64_t capacity = base.gpu.hbm_size_bytes;
    if (footprint(max_seq) <= capacity) return 0;
    std::int64_t fits = 1;  // footprint(fits) <= capacity < footprint(fails)
    std::int64_t fails = max_seq;
    while (fails - fits > 1) {
        const std::int64_t mid = fits + (fails - fits) / 2;
        (footprint(mid) <= capacity ? fits : fails) = mid;
    }
    return fails;
}

ScalingSweep sweep_scaling(const sim::SimulationRequest& base, const ProgressCallback& keep_going) {
    ScalingSweep sweep;
    sweep.seqs = scaling_seqs();
    sweep.hbm_capacity_bytes = base.gpu.hbm_size_bytes;
    sweep.algorithms = all_algorithms();
    sweep.totals.resize(sweep.algorithms.size());
    const int total = static_cast<int>(sweep.seqs.size() * sweep.algorithms.size()) + 1;
    int done = 0;
    for (std::size_t a = 0; a < sweep.algorithms.size(); ++a) {
        for (auto seq : sweep.seqs) {
            report_progress(keep_going, done++, total);
            sweep.totals[a].push_back(try_totals(at_seq(base, sweep.algorithms[a], seq)));
        }
    }
    sweep.naive_limit_seq = naive_fit_limit(base, std::int64_t{1} << 22);
    report_progress(keep_going, total, total);
    return sweep;
}

}  // namespace flashscope::gui
