// FlashAttention (2022)'s launches: one tiled forward kernel whose running output, row max and row
// sum live in fp32 buffers of their own. No backward kernel (the descriptor measures fwd only).
#include <stdexcept>

#include "device_buffer.hpp"
#include "launch_plan.hpp"

namespace flashscope::kernels::detail {
namespace {

class Flash1LaunchPlan final : public LaunchPlan {
public:
    Flash1LaunchPlan(Algorithm algorithm, const AttentionArgs& tensors)
        : m_algorithm(algorithm), m_args(tensors) {}

    std::int64_t device_bytes() const override {
        return m_o_accum.bytes() + m_row_max.bytes() + m_row_sum.bytes();
    }

    std::vector<PlannedLaunch> plan(Pass pass, const LaunchRequest& request) override {
        if (pass != Pass::fwd) throw std::logic_error("flash1 has no backward kernel");
        return {{kernel_name(m_algorithm, "fwd"), [this, request] {
                     return bind_instantiation(m_algorithm, Pass::fwd, running_state_args(),
                                               request);
                 }}};
    }

private:
    const AttentionArgs& running_state_args() {
        if (m_o_accum.data() == nullptr) {
            const std::int64_t rows = m_args.batch * m_args.heads * m_args.seq_q;
            m_o_accum = DeviceBuffer(rows * m_args.head_dim * 4);  // (batch, heads, seq_q, d)
            m_row_max = DeviceBuffer(rows * 4);                    // (batch, heads, seq_q)
            m_row_sum = DeviceBuffer(rows * 4);                    // (batch, heads, seq_q)
            m_args.o_accum = m_o_accum.as<float>();
            m_args.row_max = m_row_max.as<float>();
            m_args.row_sum = m_row_sum.as<float>();
        }
        return m_args;
    }

    Algorithm m_algorithm;
    AttentionArgs m_args;
    DeviceBuffer m_o_accum, m_row_max, m_row_sum;
};

}  // namespace

std::unique_ptr<LaunchPlan> make_flash1_launch_plan(Algorithm algorithm,
                                                    const AttentionArgs& tensors) {
    return std::make_unique<Flash1LaunchPlan>(algorithm, tensors);
}

}  // namespace flashscope::kernels::detail
