#pragma once
// How the L2 is prepared around the profiled ranges of a list of launches.
//
//   isolated: flush before every launch (outside its range); after every launch a drain range
//             whose DRAM writes (the launch's stores still dirty in L2) are added to the launch's.
//             Each kernel is measured as if it ran alone on a cold cache.
//   chained:  flush once before the first launch; the launches then share the L2 as they do in a
//             real pass (and in the simulator's cycle model, which keeps its L2 across the
//             kernels of a pass); one drain range after the last launch measures what is still
//             dirty at the end (the simulator's l2_dirty_at_end_bytes).
//   none:     no flush, no drain.
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace flashscope::profiler {

enum class L2Protocol { isolated, chained, none };
std::string_view to_string(L2Protocol protocol);
L2Protocol parse_l2_protocol(std::string_view text);  // throws ConfigError naming "l2"

// Where each launch's range and drain range sit among the ranges CUPTI records.
struct RangeLayout {
    std::vector<bool> flush_before;                       // per launch
    std::vector<std::size_t> kernel_range;                // per launch
    std::vector<std::optional<std::size_t>> drain_range;  // per launch
    std::size_t range_count = 0;
};

RangeLayout range_layout(std::size_t launches, L2Protocol protocol);

}  // namespace flashscope::profiler
