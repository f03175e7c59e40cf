#pragma once
// What a simulation returns: per kernel and in total, the shared result fields plus the
// scheduling facts (occupancy, waves, bottleneck) and, on request, a utilization timeline.
#include <array>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/metrics.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/issue_stall.hpp"

namespace flashscope::sim {

enum class Model { analytic, cycle };
std::string_view to_string(Model model);
Model parse_model(std::string_view text);  // throws ConfigError naming "model"

// Resources whose busy time the models track: memory, the SM's pipes, and its issue slots (one
// warp instruction per clock per sub-partition). "latency" means no resource was saturated.
// l2port: one SM's port to the L2 (its global accesses, reductions and copies), as busy as the
// busiest sub-partition's share of it.
enum class Resource { hbm, l2, sram, tensor, fp32, sfu, issue, l2port, latency };
inline constexpr int k_resource_count = 9;
std::string_view to_string(Resource resource);

// A wave of CTAs: the units issued onto one full set of SM slots, from the first one's issue to the
// last one's end. Waves of a kernel overlap where slots free unevenly; with many waves, consecutive
// ones are merged into one span (first_wave..last_wave).
struct WaveSpan {
    std::int64_t first_wave = 0;
    std::int64_t last_wave = 0;
    double begin_s = -1;  // simulated time since the pass began
    double end_s = 0;
};

struct KernelResult {
    std::string name;
    Metrics metrics;
    std::int64_t ctas = 0;
    std::int64_t ctas_per_sm = 0;  // resident CTAs per SM allowed by SRAM, registers, threads
    std::string occupancy_limit;   // which of those bounds ctas_per_sm
    double occupancy = 0;          // resident warps / max warps per SM
    double waves = 0;              // ctas / (sm_count * ctas_per_sm)
    Resource bottleneck = Resource::latency;
    double l2port_busy = 0;  // share of the kernel's time one SM's port to the L2 was taken
    // The SM issue model's warp-cycles of each reason (Stall) per issued instruction, over the
    // kernel's timed steps; all 0 for a kernel without instruction mixes.
    std::array<double, k_stall_count> issue_stalls{};
    std::int64_t sram_per_cta_bytes = 0;
    std::int64_t registers_per_thread = 0;
    std::int64_t spill_bytes_per_thread = 0;  // local memory per thread (CtaResources)
    std::vector<WaveSpan> wave_spans;         // recorded with the timeline only
};

// Utilization (0..1) of each resource over one interval of simulated time.
struct TimelineSample {
    double t_begin_s = 0;
    double t_end_s = 0;
    std::string kernel;
    std::array<double, k_resource_count - 1> utilization{};  // indexed by Resource, no latency
};

struct Result {
    std::string gpu;
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;  // as resolved
    Model model = Model::cycle;
    bool naive_eager = false;
    Metrics totals;
    std::vector<KernelResult> kernels;
    std::int64_t l2_dirty_at_end_bytes = 0;   // written by the pass, still in L2 when it ends
    Resource bottleneck = Resource::latency;  // of the kernel that takes the most time
    bool fits_hbm = true;                     // hbm_footprint_bytes <= the GPU's memory
    std::vector<TimelineSample> timeline;
};

}  // namespace flashscope::sim
