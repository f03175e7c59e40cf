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

}  // namespace flashscope::sim
