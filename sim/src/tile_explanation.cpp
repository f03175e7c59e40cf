// One line of why a tile takes the time it does, and why one tile beats another: the words the
// tile advisor (flashscope tiles) and the GUI's tile explorer show.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "flashscope/sim/schedule.hpp"
#include "flashscope/sim/tile_advisor.hpp"

namespace flashscope::sim {
namespace {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}
std::string percent(double fraction) {
    return fixed(100 * fraction, 0) + " %";
}
std::string duration(double s) {
    return s >= 1e-3 ? fixed(s * 1e3, 3) + " ms" : fixed(s * 1e6, 1) + " us";
}
std::string gib(double bytes) {
    return fixed(bytes / double(std::int64_t{1} << 30), 2) + " GiB";
}

// The kernel that takes the most time: its bottleneck is the result's.
const KernelResult& slowest(const Result& r) {
    return *std::max_element(r.kernels.begin(), r.kernels.end(),
                             [](const KernelResult& a, const KernelResult& b) {
                                 return a.metrics.time_s < b.metrics.time_s;
                             });
}

// How busy each unit was over the kernel's time, as a fraction of the GPU's peak.
struct Busy {
    double tensor = 0, hbm = 0, l2 = 0, sram = 0, fp32 = 0, l2port = 0;
};
Busy busy(const KernelResult& k, const GpuSpec& gpu, DType dtype, bool wgmma) {
    const double t = k.metrics.time_s, sm_clk = double(gpu.sm_count) * gpu.sm_clock_hz;
    const Metrics& m = k.metrics;
    if (!(t > 0)) return {};
    Busy b;
    const double peak = wgmma ? gpu.wgmma_flops_per_clk : gpu.tensor_flops_per_clk(dtype);
    b.tensor = m.flops_matmul / (t * peak * sm_clk);
    b.hbm = double(m.hbm_read_bytes + m.hbm_write_bytes) / (t * gpu.hbm_bytes_per_s);
    b.l2 = gpu.l2_seconds(double(m.l2_read_bytes), double(m.l2_write_bytes),
                          double(m.hbm_read_bytes)) /
           t;
    b.sram = double(m.sram_read_bytes + m.sram_write_bytes) /
             (t * gpu.sram_bytes_per_clk_per_sm * sm_clk);
    b.fp32 = m.flops_softmax / (t * gpu.fp32_flops_per_clk * sm_clk);
    b.l2port = k.l2port_busy;
    return b;
}

// Bytes of the tensors a pass must read and write once (Q, K, V, O; and dO, dQ, dK, dV).
double compulsory_bytes(const AttentionProblem& p) {
    const double e = double(bytes_of(p.dtype)), d = double(p.head_dim);
    const double q = double(p.batch) * double(p.heads) * double(p.seq_q) * d * e;
    const double kv = double(p.batch) * double(p.kv_heads) * double(p.seq_k) * d * e;
    double bytes = 0;
    if (p.pass != Pass::bwd) bytes += 2 * q + 2 * kv;  // Q, O; K, V
    if (p.pass != Pass::fwd) bytes += 4 * q + 4 * kv;  // Q, O, dO, dQ; K, V, dK, dV
    return bytes;
}

std::string bottleneck_words(const Result& r, const KernelResult& k, const Busy& b) {
    const double hbm = double(r.totals.hbm_read_bytes + r.totals.hbm_write_bytes);
    switch (k.bottleneck) {
        case Resource::tensor:
            return "tensor-bound: " + percent(b.tensor) + " of the " +
                   (schedule_for(r.algorithm).uses_wgmma() ? "wgmma" : "mma.sync") + " peak";
        case Resource::hbm:
            return "HBM-bound: " + percent(b.hbm) + " of HBM bandwidth, traffic " +
                   fixed(hbm / compulsory_bytes(r.problem), 1) + "x the tensors moved once";
        case Resource::l2:
            return "L2-bound: " + percent(b.l2) + " of L2 bandwidth";
        case Resource::sram:
            return "shared-memory-bound: " + percent(b.sram) + " of SRAM bandwidth";
        case Resource::fp32:
            return "FP32-bound: " + percent(b.fp32) + " of the FP32 peak";
        case Resource::sfu:
            return "MUFU-bound: exp2 throughput limits the softmax";
        case Resource::issue:
            return "issue-bound: one warp instruction per clock per scheduler is the limit "
                   "(tensor pipe " +
                   percent(b.tensor) + " busy)";
        case Resource::l2port:
            return "L2-port-bound: each SM's port to the L2 busy " + percent(b.l2port) +
                   " of the time (its global loads, stores, reductions and copies)";
        case Resource::latency: {
            std::vector<std::pair<double, std::string>> units = {{b.tensor, "tensor"},
                                                                 {b.hbm, "HBM"},
                                                                 {b.l2, "L2"},
                                                                 {b.sram, "SRAM"},
                                                                 {b.l2port, "L2 port"}};
            std::sort(units.rbegin(), units.rend());
            return "latency-bound: nothing saturated (" + units[0].second + " " +
                   percent(units[0].first) + ", " + units[1].second + " " +
                   percent(units[1].first) + ")";
        }
    }
    return std::string(to_string(k.bottleneck)) + "-bound";
}

}  // namespace

std::string explain_tile(const Result& r, const GpuSpec& gpu) {
    if (r.kernels.empty()) return "no kernels";
    const KernelResult& k = slowest(r);
    std::string line = bottleneck_words(
        r, k, busy(k, gpu, r.problem.dtype, schedule_for(r.algorithm).uses_wgmma()));
    line += "; " + std::to_string(k.ctas_per_sm) + " CTA" + (k.ctas_per_sm == 1 ? "" : "s") +
            "/SM limited by " + k.occupancy_limit;
    if (k.waves < 1) line += "; " + fixed(k.waves, 2) + " waves leave SMs idle";
    return line;
}

std::string compare_tiles(const Result& best, const Result& runner_up, const GpuSpec& gpu) {
    const double tb = best.totals.time_s, tr = runner_up.totals.time_s;
    // Below the model's resolution a ranking is a tie; say so rather than invent a winner.
    constexpr double k_tie = 0.005;
    const bool tie = tr - tb < k_tie * tr;
    std::string line = to_string(best.tile) + " beats " + to_string(runner_up.tile) + " by " +
                       fixed(100 * (tr - tb) / tr, 1) + " % (" + duration(tb) + " vs " +
                       duration(tr) + ")" + (tie ? ", a tie within 0.5 %" : "");
    if (best.kernels.empty() || runner_up.kernels.empty()) return line;
    const KernelResult& kb = slowest(best);
    const KernelResult& kr = slowest(runner_up);
    const bool wgmma = schedule_for(best.algorithm).uses_wgmma();
    const Busy bb = busy(kb, gpu, best.problem.dtype, wgmma),
               br = busy(kr, gpu, runner_up.problem.dtype, wgmma);

    // Each difference in the winner's favour, with how large it is (relative), largest first.
    std::vector<std::pair<double, std::string>> reasons;
    const auto traffic = [&](double b, double r, const char* what) {
        if (b < 0.95 * r)
            reasons.emplace_back(1 - b / r, "it moves " + percent(1 - b / r) + " less " + what +
                                                " (" + gib(b) + " vs " + gib(r) + ")");
    };
    traffic(double(best.totals.hbm_read_bytes + best.totals.hbm_write_bytes),
            double(runner_up.totals.hbm_read_bytes + runner_up.totals.hbm_write_bytes),
            "HBM traffic");
    traffic(double(best.totals.l2_read_bytes + best.totals.l2_write_bytes),
            double(runner_up.totals.l2_read_bytes + runner_up.totals.l2_write_bytes), "L2 traffic");
    if (kb.ctas_per_sm > kr.ctas_per_sm)
        reasons.emplace_back(1 - double(kr.ctas_per_sm) / double(kb.ctas_per_sm),
                             std::to_string(kb.ctas_per_sm) + " CTAs/SM instead of " +
                                 std::to_string(kr.ctas_per_sm) + " (the runner-up is limited by " +
                                 kr.occupancy_limit + ")");
    if (bb.tensor > br.tensor + 0.05)
        reasons.emplace_back(bb.tensor - br.tensor, "tensor pipe " + percent(bb.tensor) +
                                                        " busy instead of " + percent(br.tensor));
    const auto fill = [](double waves) { return waves / std::ceil(std::max(waves, 1e-9)); };
    if (fill(kb.waves) > fill(kr.waves) + 0.05)
        reasons.emplace_back(fill(kb.waves) - fill(kr.waves),
                             "fuller waves (" + fixed(kb.waves, 2) + " vs " + fixed(kr.waves, 2) +
                                 " waves of CTAs)");
    std::sort(reasons.rbegin(), reasons.rend());
    if (reasons.empty())
        return line + ": same traffic, residency and waves within 5 %" +
               (tie ? "" : "; the difference is in how the model overlaps their steps");
    line += ": " + reasons[0].second;
    if (reasons.size() > 1) line += "; " + reasons[1].second;
    return line;
}

}  // namespace flashscope::sim
