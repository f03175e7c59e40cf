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
          {"softmax_bwd_mul", Pass::bwd},  // eager mode: PyTorch's dP * P before softmax_bwd
          {"softmax_bwd", Pass::bwd},
          {"scale_bwd", Pass::bwd},  // eager mode
          {"dq", Pass::bwd},
          {"dk", Pass::bwd},
          {"dk_transpose", Pass::bwd},  // eager mode: autograd's copy of dK^T into K's layout
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
        {"flash1_released",
         "FlashAttention 1.x CUDA kernels as released (v1.0.9): 16-row steps inside each K/V "
         "block, fp32 partial O and dQ in HBM, seq splits by its heuristics",
         {Pass::fwd, Pass::bwd},
         {},  // simulated only: kernels/ has no copy of these kernels
         {{"fwd", Pass::fwd},
          {"bwd_zero_dq_accum", Pass::bwd},  // seq-parallel backward: torch::zeros for dq_tmp
          {"bwd_dot_do_o", Pass::bwd},       // seq-parallel backward
          {"bwd", Pass::bwd},                // one CTA per (batch, head)
          {"bwd_seq_parallel", Pass::bwd},   // one CTA per (batch, head, K/V block)
          {"bwd_convert_dq", Pass::bwd}}},   // seq-parallel backward: dq.copy_(dq_tmp)
        {"flash3",
         "FlashAttention-3 (Hopper): TMA loads, wgmma, a producer warp and consumer warpgroups "
         "that ping-pong and overlap the softmax with their GEMMs",
         {Pass::fwd, Pass::bwd},
         {Pass::fwd, Pass::bwd},  // kernels/ has both (sm_90a)
         {{"fwd", Pass::fwd},
          {"bwd_preprocess", Pass::bwd},
          {"bwd", Pass::bwd},
          {"bwd_convert_dq", Pass::bwd},
          {"bwd_dkv_reduce", Pass::bwd}}},  // GQA only
    };
}

}  // namespace flashscope::detail
