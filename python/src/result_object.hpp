#pragma once
// What flashscope.simulate() returns: the simulator's Result and the GPU it ran on (the CLI's
// JSON carries both).
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::python {

struct SimulationResult {
    sim::Result result;
    sim::GpuSpec gpu;
};

}  // namespace flashscope::python
