#pragma once
// How many CTAs of a kernel fit on one SM at once, and what limits them.
#include <string>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/kernel_plan.hpp"

namespace flashscope::sim {

struct Occupancy {
    std::int64_t ctas_per_sm = 0;
    std::string limit;  // "sram", "registers", "threads" or "ctas"
    double warp_fraction = 0;
};

// Throws ConfigError (field "tile") when a single CTA of `kernel` cannot run at all.
Occupancy occupancy_of(const GpuSpec& gpu, const std::string& kernel, const CtaResources& cta);

// Warps resident on each of an SM's `subpartitions` when `ctas` CTAs of `cta_warps` warps run
// there: the SM deals its warps over the sub-partitions (four CTAs of two warps put two on each,
// not four), and one CTA puts at least one warp on a sub-partition it uses.
std::int64_t warps_per_subpartition(std::int64_t ctas, std::int64_t cta_warps,
                                    std::int64_t subpartitions);

}  // namespace flashscope::sim
