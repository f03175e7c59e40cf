#pragma once
// The parts of the Python module, one file each; module.cpp calls them in order.
#include <nanobind/nanobind.h>

namespace flashscope::python {

void bind_errors(nanobind::module_& m);    // errors.cpp: ConfigError, SweepSpecError
void bind_gpu(nanobind::module_& m);       // gpu.cpp: Gpu, gpus(), load_gpu()
void bind_result(nanobind::module_& m);    // result.cpp: Problem, Tile, Metrics, Kernel, Result
void bind_simulate(nanobind::module_& m);  // simulate.cpp: simulate()
void bind_sweep(nanobind::module_& m);     // sweep.cpp: the sweep engine behind flashscope.sweep()
void bind_validation(nanobind::module_& m);  // validation.cpp: read_validation()

}  // namespace flashscope::python
