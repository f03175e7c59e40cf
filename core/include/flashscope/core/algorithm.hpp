#pragma once
// The attention algorithms flashscope models and runs.
#include <array>
#include <string_view>

namespace flashscope {

enum class Algorithm {
    naive,   // S = QK^T and P = softmax(S) materialised in HBM by separate kernels
    flash1,  // FlashAttention (2022): outer loop over K/V blocks, O re-read and re-written
    flash2,  // FlashAttention-2: outer loop over Q blocks, O written once
};

inline constexpr std::array<Algorithm, 3> k_all_algorithms = {Algorithm::naive, Algorithm::flash1,
                                                             Algorithm::flash2};

std::string_view to_string(Algorithm algorithm);
Algorithm parse_algorithm(std::string_view text);  // throws ConfigError naming "algo"

}  // namespace flashscope
