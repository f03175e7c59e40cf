#include "naive_launches.hpp"

#include "aux_launchers.hpp"
#include "flashscope/core/dtype.hpp"
#include "flashscope/kernels/cuda_error.hpp"

namespace flashscope::kernels::detail {

namespace {

// Pointer to (batch, head) of a tensor of 2-byte elements.
const void* at(const TensorRef& ref, std::int64_t batch, std::int64_t head) {
    return static_cast<const char*>(ref.data) + 2 * (batch * ref.batch_stride + head * ref.head_stride);
}

}  // namespace

NaiveAttention::NaiveAttention(const AttentionArgs& args) {
    const std::int64_t bytes = args.batch * args.heads * args.seq_q * args.seq_k * bytes_of(args.dtype);
    m_s = DeviceBuffer(bytes);
    m_p = DeviceBuffer(bytes);
    m_dp = DeviceBuffer(bytes);
    m_ds = DeviceBuffer(bytes);
    FLASHSCOPE_CUBLAS_CHECK(cublasCreate(&m_handle));
}

NaiveAttention::~NaiveAttention() {
    if (m_handle != nullptr) cublasDestroy(m_handle);
}

std::int64_t NaiveAttention::device_bytes() const {
    std::int64_t total = m_s.bytes() + m_p.bytes() + m_dp.bytes() + m_ds.bytes();
    for (const auto& gemm : m_gemms) total += gemm->device_bytes();
    return total;
}

void NaiveAttention::append(Pass pass, const AttentionArgs& args, std::vector<KernelLaunch>& out) {
    const std::int64_t square = args.seq_q * args.seq_k;  // elements of one (seq_q, seq_k) matrix
    const cudaDataType_t type = args.dtype == DType::bf16 ? CUDA_R_16BF : CUDA_R_16F;
    const bool gqa = args.group() > 1;
    auto nn = [&](const void* base, std::int64_t bh) {  // (seq_q, seq_k) matrix of entry bh
        return static_cast<const char*>(base) + 2 * bh * square;
    };

    // Pointer lists, one entry per (batch, head); K/V entries point at the group's kv head.
    std::vector<const void*> q, k, v, o, d_o, s, p, dp, ds;
    std::vector<void*> dq, dk_out, dv_out;
    for (std::int64_t b = 0; b < args.batch; ++b)
        for (std::int64_t h = 0; h < args.heads; ++h) {
            const std::int64_t bh = b * args.heads + h;
            const std::int64_t kvh = h / args.group();
            q.push_back(at(args.q, b, h));
            k.push_back(at(args.k, b, kvh));
            v.push_back(at(args.v, b, kvh));
            o.push_back(at(args.o, b, h));
            d_o.push_back(at(args.d_o, b, h));
            s.push_back(nn(m_s.data(), bh));
            p.push_back(nn(m_p.data(), bh));
            dp.push_back(nn(m_dp.data(), bh));
            ds.push_back(nn(m_ds.data(), bh));
            dq.push_back(const_cast<void*>(at(args.dq, b, h)));
            if (gqa) {
                dk_out.push_back(args.dk_accum + bh * args.seq_k * args.head_dim);
                dv_out.push_back(args.dv_accum + bh * args.seq_k * args.head_dim);
            } else {
                dk_out.push_back(const_cast<void*>(at(args.dk, b, h)));
                dv_out.push_back(const_cast<void*>(at(args.dv, b, h)));
            }
        }
    auto to_mut = [](const std::vector<const void*>& list) {
        std::vector<void*> result;
        for (const void* x : list) result.push_back(const_cast<void*>(x));
        return result;
    };
    auto add_gemm = [&](const char* name, const GemmShape& shape, const std::vector<const void*>& a,
                        const std::vector<const void*>& b, const std::vector<void*>& c) {
        auto gemm = std::make_shared<BatchedGemm>(shape, a, b, c);
        m_gemms.push_back(gemm);
        cublasHandle_t handle = m_handle;
        out.push_back({name, [gemm, handle](cudaStream_t stream) { gemm->run(handle, stream); }});
    };
    const float scale = args.scale;
    const std::int64_t sq = args.seq_q, sk = args.seq_k, d = args.head_dim;
    void* s_data = m_s.data();
    void* p_data = m_p.data();
    void* dp_data = m_dp.data();
    void* ds_data = m_ds.data();

    if (pass == Pass::fwd) {
        // S = Q K^T: (seq_q, seq_k), unscaled: naive_softmax applies the scale in fp32 (a scaled
        // S in fp16 would overflow for large scales).
        add_gemm("naive_qk", {false, true, sq, sk, d, args.q.row_stride, args.k.row_stride, sk, type, type, 1.f, 0.f},
                 q, k, to_mut(s));
        out.push_back({"naive_softmax", [args, s_data, p_data](cudaStream_t stream) {
                           naive_softmax(args, s_data, p_data, stream);
                       }});
        // O = P V: (seq_q, d)
        add_gemm("naive_pv", {false, false, sq, d, sk, sk, args.v.row_stride, args.o.row_stride, type, type, 1.f, 0.f},
                 p, v, to_mut(o));
        return;
    }
    const cudaDataType_t grad_type = gqa ? CUDA_R_32F : type;
    const std::int64_t dkv_ld_k = gqa ? d : args.dk.row_stride;
    const std::int64_t dkv_ld_v = gqa ? d : args.dv.row_stride;
    // dV = P^T dO: (seq_k, d)
    add_gemm("naive_dv", {true, false, sk, d, sq, sk, args.d_o.row_stride, dkv_ld_v, type, grad_type, 1.f, 0.f}, p,
             d_o, dv_out);
    // dP = dO V^T: (seq_q, seq_k)
    add_gemm("naive_dp", {false, true, sq, sk, d, args.d_o.row_stride, args.v.row_stride, sk, type, type, 1.f, 0.f},
             d_o, v, to_mut(dp));
    out.push_back({"naive_softmax_bwd", [args, p_data, dp_data, ds_data](cudaStream_t stream) {
                       naive_softmax_bwd(args, p_data, dp_data, ds_data, stream);
                   }});
    // dQ = scale * dS K: (seq_q, d)
    add_gemm("naive_dq", {false, false, sq, d, sk, sk, args.k.row_stride, args.dq.row_stride, type, type, scale, 0.f},
             ds, k, dq);
    // dK = scale * dS^T Q: (seq_k, d)
    add_gemm("naive_dk", {true, false, sk, d, sq, sk, args.q.row_stride, dkv_ld_k, type, grad_type, scale, 0.f}, ds,
             q, dk_out);
    if (gqa)
        out.push_back({"naive_dkv_reduce", [args](cudaStream_t stream) { dkv_reduce(args, stream); }});
}

}  // namespace flashscope::kernels::detail
