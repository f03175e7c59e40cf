#include "flashscope/sim/analytic_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace flashscope::sim {

KernelResult analytic_kernel(const GpuSpec& g, DType dtype, const KernelPlan& plan,
                             const Occupancy& occ) {
    const KernelCounts c = plan.closed_form();
    KernelResult r;
    r.name = plan.name();
    Metrics& m = r.metrics;
    m.hbm_read_bytes = (c.read_bytes + c.reduce_bytes).value();
    m.hbm_write_bytes = (c.write_bytes + c.reduce_bytes).value();
    m.l2_read_bytes = c.read_bytes.value();
    m.l2_write_bytes = (c.write_bytes + c.reduce_bytes).value();
    m.sram_read_bytes = c.sram_read_bytes.value();
    m.sram_write_bytes = c.sram_write_bytes.value();
    m.flops_matmul = c.mma_flops;
    m.flops_softmax = c.fp32_flops + c.sfu_ops;

    const std::int64_t ctas = plan.cta_count();
    const double slots = double(g.sm_count * occ.ctas_per_sm);
    const double waves = double(ctas) / slots;
    // SMs kept busy on average: all but the idle ones of the last, partial wave.
    const double waves_issued = std::ceil(waves);
    const double busy_sms = waves <= 1 ? std::min<double>(double(g.sm_count), double(ctas))
                                       : double(g.sm_count) * waves / waves_issued;
    const double clock = g.sm_clock_hz;
    // Little's law: a CTA keeps at most its SRAM tiles in flight, so few CTAs cannot fill HBM.
    const double in_flight = double(std::min<std::int64_t>(ctas, std::int64_t(slots))) *
                             double(std::max<std::int64_t>(plan.resources().sram_bytes, 4096));
    const double latency_bound = in_flight / g.hbm_latency_s;

    std::array<double, k_resource_count> t{};
    // Reads and writes share the HBM channels, each at its own measured rate, mixed streams at
    // the copy rate; few CTAs in flight bound them all.
    const double hbm_bytes = double(m.hbm_read_bytes) + double(m.hbm_write_bytes);
    t[static_cast<int>(Resource::hbm)] =
        std::max(g.hbm_seconds(double(m.hbm_read_bytes), double(m.hbm_write_bytes)),
                 hbm_bytes / latency_bound);
    t[static_cast<int>(Resource::l2)] =
        g.l2_seconds(double(m.l2_read_bytes), double(m.l2_write_bytes), double(m.hbm_read_bytes));
    t[static_cast<int>(Resource::sram)] = (double(m.sram_read_bytes) + double(m.sram_write_bytes)) /
                                          (busy_sms * g.sram_bytes_per_clk_per_sm * clock);
    t[static_cast<int>(Resource::tensor)] =
        c.mma_flops /
        (busy_sms * (plan.uses_wgmma() ? g.wgmma_flops_per_clk : g.tensor_flops_per_clk(dtype)) *
         clock);
    t[static_cast<int>(Resource::fp32)] = c.fp32_flops / (busy_sms * g.fp32_flops_per_clk * clock);
    t[static_cast<int>(Resource::sfu)] = c.sfu_ops / (busy_sms * g.sfu_ops_per_clk * clock);
    const auto busiest = std::max_element(t.begin(), t.end() - 1);
    r.bottleneck = static_cast<Resource>(busiest - t.begin());
    // Each wave's first loads wait a full memory latency.
    m.time_s = *busiest + waves_issued * g.hbm_latency_s + g.kernel_launch_s;
    m.cycles = m.time_s * clock;
    return r;
}

}  // namespace flashscope::sim
