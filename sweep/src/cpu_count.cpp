#include "flashscope/sweep/cpu_count.hpp"

#include <sched.h>

#include <thread>

namespace flashscope::sweep {

std::int64_t usable_cpu_count() {
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    const unsigned n = std::thread::hardware_concurrency();
    return n > 0 ? n : 1;
}

}  // namespace flashscope::sweep
