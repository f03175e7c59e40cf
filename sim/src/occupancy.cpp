#include "flashscope/sim/occupancy.hpp"

#include <algorithm>

#include "flashscope/core/error.hpp"

namespace flashscope::sim {

Occupancy occupancy_of(const GpuSpec& gpu, const std::string& kernel, const CtaResources& cta) {
    const std::string where = "tile (" + kernel + ")";
    if (cta.sram_bytes > gpu.sram_per_block_bytes)
        throw ConfigError(where, std::to_string(cta.sram_bytes) + " B of shared memory per CTA",
                          gpu.name + " allows " + std::to_string(gpu.sram_per_block_bytes) +
                              " B per block; use smaller block_m/block_n or fewer stages");
    if (cta.registers_per_thread > gpu.max_registers_per_thread)
        throw ConfigError(where, std::to_string(cta.registers_per_thread) + " registers per thread",
                          gpu.name + " allows " + std::to_string(gpu.max_registers_per_thread) +
                              "; use more warps or a smaller tile");
    if (cta.threads > gpu.max_threads_per_cta)
        throw ConfigError(where, std::to_string(cta.threads) + " threads per CTA",
                          gpu.name + " allows " + std::to_string(gpu.max_threads_per_cta));

    struct Bound {
        std::int64_t ctas;
        const char* name;
    };
    // Registers are allocated per warp in units of 256 (CUDA occupancy calculator).
    const std::int64_t regs_per_warp = (cta.registers_per_thread * 32 + 255) / 256 * 256;
    const std::int64_t warps = (cta.threads + 31) / 32;
    const Bound bounds[] = {
        {cta.sram_bytes > 0 ? gpu.sram_per_sm_bytes / cta.sram_bytes : gpu.max_ctas_per_sm, "sram"},
        {gpu.registers_per_sm / std::max<std::int64_t>(1, regs_per_warp * warps), "registers"},
        {gpu.max_threads_per_sm / cta.threads, "threads"},
        {gpu.max_ctas_per_sm, "ctas"},
    };
    const Bound* tightest =
        std::min_element(std::begin(bounds), std::end(bounds),
                         [](const Bound& a, const Bound& b) { return a.ctas < b.ctas; });
    if (tightest->ctas < 1)
        throw ConfigError(where, "1 CTA per SM",
                          std::string("does not fit the SM's ") + tightest->name);
    Occupancy occ;
    occ.ctas_per_sm = tightest->ctas;
    occ.limit = tightest->name;
    occ.warp_fraction = double(occ.ctas_per_sm * warps) / double(gpu.max_threads_per_sm / 32);
    return occ;
}

std::int64_t warps_per_subpartition(std::int64_t ctas, std::int64_t cta_warps,
                                    std::int64_t subpartitions) {
    const std::int64_t parts = std::max<std::int64_t>(1, subpartitions);
    const std::int64_t warps =
        std::max<std::int64_t>(1, ctas) * std::max<std::int64_t>(1, cta_warps);
    return (warps + parts - 1) / parts;
}

}  // namespace flashscope::sim
