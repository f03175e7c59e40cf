#pragma once
// naive attention as a framework runs it: cuBLAS GEMMs around row-softmax kernels, S, P (and in
// backward dP, dS) materialised in HBM.
#include <memory>
#include <vector>

#include <cublas_v2.h>

#include "device_buffer.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "naive_gemm.hpp"

namespace flashscope::kernels::detail {

class NaiveAttention {
public:
    // Allocates S, P, dP, dS (batch*heads, seq_q, seq_k) and the GEMMs' pointer arrays.
    explicit NaiveAttention(const AttentionArgs& args);
    ~NaiveAttention();
    NaiveAttention(const NaiveAttention&) = delete;
    NaiveAttention& operator=(const NaiveAttention&) = delete;

    // Appends the launches of Pass::fwd or Pass::bwd. `args` must carry dk_accum/dv_accum for GQA bwd.
    void append(Pass pass, const AttentionArgs& args, std::vector<KernelLaunch>& out);
    std::int64_t device_bytes() const;

private:
    cublasHandle_t m_handle = nullptr;
    DeviceBuffer m_s, m_p, m_dp, m_ds;  // (batch*heads, seq_q, seq_k) each
    std::vector<std::shared_ptr<BatchedGemm>> m_gemms;
};

}  // namespace flashscope::kernels::detail
