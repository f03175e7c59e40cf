// Printable names of the simulator's enums.
#include <array>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/issue_stall.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/tile_access.hpp"

namespace flashscope::sim {

std::string_view to_string(Tensor tensor) {
    // in the order of the Tensor enum, a row per group (clang-format would put one per line)
    // clang-format off
    static constexpr std::array<std::string_view, k_tensor_count> names = {
        "Q", "K", "V", "O", "LSE", "m", "l",
        "dO", "dQ", "dK", "dV", "D", "dQaccum", "dK_expanded", "dV_expanded",
        "S", "P", "dP", "dS", "S_scaled", "dP_times_P", "dS_scaled", "dK_transposed",
        "Oaccum"};
    // clang-format on
    return names[static_cast<std::size_t>(tensor)];
}

std::string_view to_string(Model model) {
    return model == Model::analytic ? "analytic" : "cycle";
}

Model parse_model(std::string_view text) {
    if (text == "analytic") return Model::analytic;
    if (text == "cycle") return Model::cycle;
    throw ConfigError("model", std::string(text), "must be analytic or cycle");
}

std::string_view to_string(Resource resource) {
    static constexpr std::array<std::string_view, k_resource_count> names = {
        "hbm", "l2", "sram", "tensor", "fp32", "sfu", "issue", "l2port", "latency"};
    return names[static_cast<std::size_t>(resource)];
}

std::string_view to_string(Stall stall) {
    static constexpr std::array<std::string_view, k_stall_count> names = {
        "wait",         "short_scoreboard", "long_scoreboard", "barrier", "math_pipe_throttle",
        "mio_throttle", "lg_throttle",      "not_selected",    "selected"};
    return names[static_cast<std::size_t>(stall)];
}

}  // namespace flashscope::sim
