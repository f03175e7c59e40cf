#include "naive_launches.hpp"

#include <vector>

#include "aux_launchers.hpp"
#include "flashscope/core/dtype.hpp"
#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {

namespace {

// Pointer to (batch, head) of a tensor of 2-byte elements.
void* at(const TensorRef& ref, std::int64_t batch, std::int64_t head) {
    return static_cast<char*>(ref.data) + 2 * (batch * ref.batch_stride + head * ref.head_stride);
}

enum class Operand { q, k, v, o, d_o, dq, dk_out, dv_out, s, p, dp, ds };

}  // namespace

NaiveAttention::~NaiveAttention() {
    if (m_handle != nullptr) cublasDestroy(m_handle);
}

std::int64_t NaiveAttention::device_bytes() const {
    std::int64_t total = m_backward.bytes();
    for (const auto& [which, buffer] : m_matrices) total += buffer.bytes();
    for (const auto& [which, gemm] : m_gemms) total += gemm->device_bytes();
    return total;
}

void* NaiveAttention::matrix(Matrix which) {
    DeviceBuffer& buffer = m_matrices[which];
    if (buffer.data() == nullptr)
        buffer = DeviceBuffer(m_args.batch * m_args.heads * m_args.seq_q * m_args.seq_k *
                              bytes_of(m_args.dtype));
    return buffer.data();
}

const AttentionArgs& NaiveAttention::backward_args() {
    m_backward.attach_gqa_accumulators(m_args);
    return m_args;
}

BoundLaunch NaiveAttention::gemm(NaiveGemm which) {
    auto& gemm = m_gemms[which];
    if (!gemm) {
        const bool backward = which != NaiveGemm::qk && which != NaiveGemm::pv;
        const AttentionArgs& a = backward ? backward_args() : m_args;
        const bool gqa = a.group() > 1;
        const std::int64_t sq = a.seq_q, sk = a.seq_k, d = a.head_dim;
        const std::int64_t square = sq * sk;  // elements of one (seq_q, seq_k) matrix
        // Pointer list of an operand, one entry per (batch, head); K/V entries point at the
        // group's kv head, GQA's dK/dV outputs at the per-query-head fp32 accumulators.
        auto pointers = [&](Operand operand) {
            std::vector<void*> out;
            for (std::int64_t b = 0; b < a.batch; ++b)
                for (std::int64_t h = 0; h < a.heads; ++h) {
                    const std::int64_t bh = b * a.heads + h;
                    const std::int64_t kvh = h / a.group();
                    auto nn = [&](Matrix m) {
                        return static_cast<char*>(matrix(m)) + 2 * bh * square;
                    };
                    switch (operand) {
                        case Operand::q:
                            out.push_back(at(a.q, b, h));
                            break;
                        case Operand::k:
                            out.push_back(at(a.k, b, kvh));
                            break;
                        case Operand::v:
                            out.push_back(at(a.v, b, kvh));
                            break;
                        case Operand::o:
                            out.push_back(at(a.o, b, h));
                            break;
                        case Operand::d_o:
                            out.push_back(at(a.d_o, b, h));
                            break;
                        case Operand::dq:
                            out.push_back(at(a.dq, b, h));
                            break;
                        case Operand::dk_out:
                            out.push_back(gqa ? static_cast<void*>(a.dk_accum + bh * sk * d)
                                              : at(a.dk, b, h));
                            break;
                        case Operand::dv_out:
                            out.push_back(gqa ? static_cast<void*>(a.dv_accum + bh * sk * d)
                                              : at(a.dv, b, h));
                            break;
                        case Operand::s:
                            out.push_back(nn(Matrix::s));
                            break;
                        case Operand::p:
                            out.push_back(nn(Matrix::p));
                            break;
                        case Operand::dp:
                            out.push_back(nn(Matrix::dp));
                            break;
                        case Operand::ds:
                            out.push_back(nn(Matrix::ds));
                            break;
                    }
                }
            return out;
        };
        auto input = [&](Operand operand) {
            const auto list = pointers(operand);
            return std::vector<const void*>(list.begin(), list.end());
        };
        const cudaDataType_t type = a.dtype == DType::bf16 ? CUDA_R_16BF : CUDA_R_16F;
        const cudaDataType_t grad_type = gqa ? CUDA_R_32F : type;
        const std::int64_t ld_dk = gqa ? d : a.dk.row_stride;
        const std::int64_t ld_dv = gqa ? d : a.dv.row_stride;
        const float scale = a.scale;
        switch (which) {
            case NaiveGemm::qk:  // S = Q K^T unscaled: naive_softmax applies the scale in fp32
                                 // (a scaled S in fp16 would overflow for large scales)
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{false, true, sq, sk, d, a.q.row_stride, a.k.row_stride, sk, type,
                              type, 1.f, 0.f},
                    input(Operand::q), input(Operand::k), pointers(Operand::s));
                break;
            case NaiveGemm::pv:
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{false, false, sq, d, sk, sk, a.v.row_stride, a.o.row_stride, type,
                              type, 1.f, 0.f},
                    input(Operand::p), input(Operand::v), pointers(Operand::o));
                break;
            case NaiveGemm::dv:
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{true, false, sk, d, sq, sk, a.d_o.row_stride, ld_dv, type, grad_type,
                              1.f, 0.f},
                    input(Operand::p), input(Operand::d_o), pointers(Operand::dv_out));
                break;
            case NaiveGemm::dp:
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{false, true, sq, sk, d, a.d_o.row_stride, a.v.row_stride, sk, type,
                              type, 1.f, 0.f},
                    input(Operand::d_o), input(Operand::v), pointers(Operand::dp));
                break;
            case NaiveGemm::dq:
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{false, false, sq, d, sk, sk, a.k.row_stride, a.dq.row_stride, type,
                              type, scale, 0.f},
                    input(Operand::ds), input(Operand::k), pointers(Operand::dq));
                break;
            case NaiveGemm::dk:
                gemm = std::make_shared<BatchedGemm>(
                    GemmShape{true, false, sk, d, sq, sk, a.q.row_stride, ld_dk, type, grad_type,
                              scale, 0.f},
                    input(Operand::ds), input(Operand::q), pointers(Operand::dk_out));
                break;
        }
    }
    if (m_handle == nullptr) FLASHSCOPE_CUBLAS_CHECK(cublasCreate(&m_handle));
    std::shared_ptr<const BatchedGemm> bound = gemm;
    cublasHandle_t handle = m_handle;
    return [bound, handle](cudaStream_t stream) { bound->run(handle, stream); };
}

BoundLaunch NaiveAttention::softmax() {
    const AttentionArgs a = m_args;
    void* s = matrix(Matrix::s);
    void* p = matrix(Matrix::p);
    return [a, s, p](cudaStream_t stream) { naive_softmax(a, s, p, stream); };
}

BoundLaunch NaiveAttention::softmax_bwd() {
    const AttentionArgs a = backward_args();
    void* p = matrix(Matrix::p);
    void* dp = matrix(Matrix::dp);
    void* ds = matrix(Matrix::ds);
    return [a, p, dp, ds](cudaStream_t stream) { naive_softmax_bwd(a, p, dp, ds, stream); };
}

BoundLaunch NaiveAttention::dkv_reduce() {
    const AttentionArgs a = backward_args();
    return [a](cudaStream_t stream) { detail::dkv_reduce(a, stream); };
}

}  // namespace flashscope::kernels::detail
