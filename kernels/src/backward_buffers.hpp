#pragma once
// fp32 side buffers of a backward pass, allocated on first use and attached to a plan's args.
#include <cstdint>

#include "device_buffer.hpp"
#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels::detail {

class BackwardBuffers {
public:
    // D = rowsum(dO o O) (batch, heads, seq_q), the dQ accumulator (batch, heads, seq_q, d) and its
    // ordering semaphores (batch, heads, ceil(seq_q / 16)): a tiled backward that adds into dQ.
    void attach_dq_state(AttentionArgs& args);
    // GQA only: dK and dV per query head (batch, heads, seq_k, d), summed over the group by
    // dkv_reduce. Does nothing without GQA.
    void attach_gqa_accumulators(AttentionArgs& args);
    std::int64_t bytes() const;

private:
    DeviceBuffer m_d_sum, m_dq_accum, m_semaphores, m_dk_accum, m_dv_accum;
};

}  // namespace flashscope::kernels::detail
