#pragma once
// The simulator's entry point: a configuration (problem + algorithm + tile + GPU) in, a Result
// out. Throws ConfigError for any configuration that cannot run, naming field, value and limit.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim {

// A kernel's register use as its compiler allocated it (ptxas, or a launch's attributes), to
// replace the schedule's estimate for the kernel of that name: the occupancy and the spill traffic
// then follow the kernel that ran. For validating built or foreign kernels; a tile no kernel has
// keeps the estimate. An entry without a key (head_dim 0, no dtype, an all-zero tile) must name a
// kernel of the configuration; a keyed one (a table of built kernels, e.g. from ptxas) applies
// where its keys match and is passed over elsewhere.
struct KernelRegisters {
    std::string kernel;            // a plan's name, e.g. "flash2_fwd"
    std::int64_t registers = 0;    // per thread, 1..255
    std::int64_t spill_bytes = 0;  // local-memory bytes per thread (ptxas spill stores)
    std::int64_t head_dim = 0;     // 0: any
    std::optional<DType> dtype;    // none: any
    TileConfig tile;               // all zero: any
    bool keyed() const { return head_dim != 0 || dtype.has_value() || tile != TileConfig{}; }
    // Whether it gives the registers of `name`, a kernel of this problem at this tile.
    bool applies_to(const std::string& name, const AttentionProblem& problem,
                    const TileConfig& at) const {
        return kernel == name && (head_dim == 0 || head_dim == problem.head_dim) &&
               (!dtype || *dtype == problem.dtype) && (tile == TileConfig{} || tile == at);
    }
};

struct SimulationRequest {
    GpuSpec gpu;
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;  // zero fields are chosen by resolve_tile()
    Model model = Model::cycle;
    ScheduleOptions options;
    bool timeline = false;  // cycle model only
    std::int64_t timeline_points = 2000;
    std::vector<KernelRegisters> kernel_registers;  // empty: every kernel's estimate
    // Cycle model: called now and then with the fraction of the work issued (0..1), for a
    // progress display. Empty: none.
    std::function<void(double fraction)> progress;
};

Result simulate(const SimulationRequest& request);

}  // namespace flashscope::sim
