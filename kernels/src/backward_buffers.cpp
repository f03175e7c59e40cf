#include "backward_buffers.hpp"

namespace flashscope::kernels::detail {

void BackwardBuffers::attach_dq_state(AttentionArgs& args) {
    const std::int64_t rows = args.batch * args.heads * args.seq_q;
    if (m_d_sum.data() == nullptr) {
        m_d_sum = DeviceBuffer(rows * 4);
        m_dq_accum = DeviceBuffer(rows * args.head_dim * 4);
        m_semaphores = DeviceBuffer(args.batch * args.heads * ((args.seq_q + 15) / 16) * 4);
    }
    args.d_sum = m_d_sum.as<float>();
    args.dq_accum = m_dq_accum.as<float>();
    args.dq_semaphore = m_semaphores.as<int>();
}

void BackwardBuffers::attach_gqa_accumulators(AttentionArgs& args) {
    if (args.group() == 1) return;
    if (m_dk_accum.data() == nullptr) {
        const std::int64_t bytes = args.batch * args.heads * args.seq_k * args.head_dim * 4;
        m_dk_accum = DeviceBuffer(bytes);
        m_dv_accum = DeviceBuffer(bytes);
    }
    args.dk_accum = m_dk_accum.as<float>();
    args.dv_accum = m_dv_accum.as<float>();
}

std::int64_t BackwardBuffers::bytes() const {
    return m_d_sum.bytes() + m_dq_accum.bytes() + m_semaphores.bytes() + m_dk_accum.bytes() +
           m_dv_accum.bytes();
}

}  // namespace flashscope::kernels::detail
