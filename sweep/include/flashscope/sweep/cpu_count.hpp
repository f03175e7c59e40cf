#pragma once
// Cores this process may run on (its CPU affinity, which Slurm and taskset restrict).
#include <cstdint>

namespace flashscope::sweep {

std::int64_t usable_cpu_count();

}  // namespace flashscope::sweep
