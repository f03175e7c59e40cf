#pragma once
// One factory per algorithm, each defined in its own file; schedule_registry.cpp lists them.
#include <memory>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim::detail {

std::unique_ptr<Schedule> make_naive_schedule();
std::unique_ptr<Schedule> make_flash1_schedule();
std::unique_ptr<Schedule> make_flash2_schedule();

}  // namespace flashscope::sim::detail
