#pragma once
// naive attention as a framework runs it: cuBLAS GEMMs around row-softmax kernels, S, P (and in
// backward dP, dS) materialised in HBM. Each launch is built on first request and kept: its
// matrices, pointer arrays and cuBLAS handle are allocated once per workspace.
#include <cublas_v2.h>

#include <cstdint>
#include <map>
#include <memory>

#include "backward_buffers.hpp"
#include "device_buffer.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "launch_plan.hpp"
#include "naive_gemm.hpp"

namespace flashscope::kernels::detail {

enum class NaiveGemm {
    qk,  // S = scale * Q K^T: (seq_q, seq_k)
    pv,  // O = P V: (seq_q, d)
    dv,  // dV = P^T dO: (seq_k, d)
    dp,  // dP = dO V^T: (seq_q, seq_k)
    dq,  // dQ = scale * dS K: (seq_q, d)
    dk,  // dK = scale * dS^T Q: (seq_k, d)
};

class NaiveAttention {
public:
    explicit NaiveAttention(const AttentionArgs& tensors) : m_args(tensors) {}  // allocates nothing
    ~NaiveAttention();
    NaiveAttention(const NaiveAttention&) = delete;
    NaiveAttention& operator=(const NaiveAttention&) = delete;

    BoundLaunch gemm(NaiveGemm which);
    BoundLaunch softmax();      // P = softmax(S) row by row, causal mask applied
    BoundLaunch softmax_bwd();  // dS = P o (dP - rowsum(dO o O))
    BoundLaunch dkv_reduce();   // GQA: dK, dV summed over each group's query heads
    std::int64_t device_bytes() const;

private:
    enum class Matrix { s, p, dp, ds };  // (batch*heads, seq_q, seq_k) each
    void* matrix(Matrix which);          // allocated on first use
    const AttentionArgs& backward_args();

    AttentionArgs m_args;
    BackwardBuffers m_backward;
    cublasHandle_t m_handle = nullptr;
    std::map<Matrix, DeviceBuffer> m_matrices;
    std::map<NaiveGemm, std::shared_ptr<BatchedGemm>> m_gemms;
};

}  // namespace flashscope::kernels::detail
