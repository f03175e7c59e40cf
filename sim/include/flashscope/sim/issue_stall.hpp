#pragma once
// The reasons a warp does not issue, as the SM issue model tells them apart.
#include <string_view>

namespace flashscope::sim {

// Why a warp did not issue, in Nsight Compute's warp-state names: waiting for a fixed-latency
// result (wait: mma.sync, FMA, ALU, conversions), for shared memory, MUFU or a shuffle
// (short_scoreboard), for global memory (long_scoreboard), at a barrier, for a busy pipe
// (math_pipe_throttle, mio_throttle), at the L2 port (lg_throttle), ready while another warp
// issued (not_selected), and issuing (selected: one per instruction).
enum class Stall : int {
    wait,
    short_scoreboard,
    long_scoreboard,
    barrier,
    math_pipe_throttle,
    mio_throttle,
    lg_throttle,
    not_selected,
    selected
};
inline constexpr int k_stall_count = 9;
std::string_view to_string(Stall stall);

}  // namespace flashscope::sim
