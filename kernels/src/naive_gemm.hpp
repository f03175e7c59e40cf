#pragma once
// Batched GEMM through cuBLAS with row-major operands: for each batch entry i,
// C_i (m, n) = alpha * op(A_i) op(B_i) + beta * C_i, fp32 accumulation. Pointer arrays let each
// entry address any (batch, head) with any strides, which is how GQA maps a query head to its kv
// head.
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <vector>

#include "device_buffer.hpp"

namespace flashscope::kernels::detail {

struct GemmShape {
    bool trans_a = false;  // A stored (k, m) row-major
    bool trans_b = false;  // B stored (n, k) row-major
    std::int64_t m = 0, n = 0, k = 0;
    std::int64_t lda = 0, ldb = 0, ldc = 0;  // row strides in elements
    cudaDataType_t ab_type = CUDA_R_16BF;
    cudaDataType_t c_type = CUDA_R_16BF;
    float alpha = 1.f;
    float beta = 0.f;
};

class BatchedGemm {
public:
    BatchedGemm(const GemmShape& shape, const std::vector<const void*>& a,
                const std::vector<const void*>& b, const std::vector<void*>& c);
    void run(cublasHandle_t handle, cudaStream_t stream) const;
    std::int64_t device_bytes() const { return m_pointers.bytes(); }

private:
    GemmShape m_shape;
    std::int64_t m_count = 0;
    DeviceBuffer m_pointers;  // [A pointers | B pointers | C pointers]
};

}  // namespace flashscope::kernels::detail
