// The built-in algorithms, one descriptor row each. A row's kernel roles are the only source of
// kernel names: sim/ schedules and kernels/ launch plans both ask kernel_name() for them.
#include "flashscope/core/algorithm.hpp"

namespace flashscope::detail {

std::vector<AlgorithmDescriptor> builtin_algorithms() {
    // Order matters: Algorithm::naive, ::flash1 and ::flash2 are indices 0, 1 and 2.
    return {
        {"naive",
         "standard attention: S and P written to and read from HBM by separate kernels",
         {Pass::fwd, Pass::bwd},
         {Pass::fwd, Pass::bwd},
         {{"qk", Pass::fwd},
          {"scale", Pass::fwd},  // eager mode only
          {"mask", Pass::fwd},   // eager mode, causal
          {"softmax", Pass::fwd},
          {"dropout", Pass::fwd},  // eager mode, dropout > 0
          {"pv", Pass::fwd},
          {"dv", Pass::bwd},
          {"dp", Pass::bwd},
          {"softmax_bwd", Pass::bwd},
          {"dq", Pass::bwd},
          {"dk", Pass::bwd},
          {"dkv_reduce", Pass::bwd}}},  // GQA only
        {"flash1",
         "FlashAttention: outer loop over K/V blocks, O, l, m re-read and re-written in HBM",
         {Pass::fwd, Pass::bwd},
         {Pass::fwd},  // no CUDA backward kernel
         {{"fwd", Pass::fwd}, {"bwd", Pass::bwd}, {"bwd_dkv_reduce", Pass::bwd}}},  // GQA only
        {"flash2",
         "FlashAttention-2: outer loop over Q blocks, O written once; backward recomputes P",
         {Pass::fwd, Pass::bwd},
         {Pass::fwd, Pass::bwd},
         {{"fwd", Pass::fwd},
          {"bwd_preprocess", Pass::bwd},
          {"bwd", Pass::bwd},
          {"bwd_convert_dq", Pass::bwd},
          {"bwd_dkv_reduce", Pass::bwd}}},  // GQA only
    };
}

}  // namespace flashscope::detail
