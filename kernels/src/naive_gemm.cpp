#include "naive_gemm.hpp"

#include <stdexcept>

#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {

BatchedGemm::BatchedGemm(const GemmShape& shape, const std::vector<const void*>& a,
                         const std::vector<const void*>& b, const std::vector<void*>& c)
    : m_shape(shape), m_count(static_cast<std::int64_t>(a.size())) {
    if (b.size() != a.size() || c.size() != a.size())
        throw std::invalid_argument("BatchedGemm: pointer counts differ");
    std::vector<const void*> all;
    all.reserve(3 * a.size());
    all.insert(all.end(), a.begin(), a.end());
    all.insert(all.end(), b.begin(), b.end());
    all.insert(all.end(), c.begin(), c.end());
    m_pointers = DeviceBuffer(static_cast<std::int64_t>(all.size() * sizeof(void*)));
    FLASHSCOPE_CUDA_CHECK(cudaMemcpy(m_pointers.data(), all.data(), all.size() * sizeof(void*),
                                     cudaMemcpyHostToDevice));
}

void BatchedGemm::run(cublasHandle_t handle, cudaStream_t stream) const {
    // cuBLAS is column-major: a row-major (r, c) matrix is a column-major (c, r) one, so
    // C^T (n, m) = op(B)^T op(A)^T, with B and A swapped and their transposes kept.
    FLASHSCOPE_CUBLAS_CHECK(cublasSetStream(handle, stream));
    const auto* pointers = static_cast<const void* const*>(m_pointers.data());
    const void* const* a = pointers;
    const void* const* b = pointers + m_count;
    void* const* c = const_cast<void* const*>(pointers + 2 * m_count);
    const auto op = [](bool trans) { return trans ? CUBLAS_OP_T : CUBLAS_OP_N; };
    const GemmShape& s = m_shape;
    FLASHSCOPE_CUBLAS_CHECK(cublasGemmBatchedEx(
        handle, op(s.trans_b), op(s.trans_a), static_cast<int>(s.n), static_cast<int>(s.m),
        static_cast<int>(s.k), &s.alpha, b, s.ab_type, static_cast<int>(s.ldb), a, s.ab_type,
        static_cast<int>(s.lda), &s.beta, c, s.c_type, static_cast<int>(s.ldc),
        static_cast<int>(m_count), CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

}  // namespace flashscope::kernels::detail
