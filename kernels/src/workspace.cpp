#include "flashscope/kernels/workspace.hpp"

#include <limits>
#include <string>

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "aux_launchers.hpp"
#include "device_buffer.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "flashscope/kernels/registry.hpp"
#include "naive_launches.hpp"

namespace flashscope::kernels {

using detail::DeviceBuffer;

struct AttentionWorkspace::Impl {
    AttentionProblem problem;
    AttentionArgs args;
    DeviceBuffer q, k, v, o, lse, d_o, dq, dk, dv;
    DeviceBuffer d_sum, dq_accum, semaphores, dk_accum, dv_accum;  // backward side buffers
    DeviceBuffer o_accum, row_max, row_sum;                        // flash1 running state
    std::unique_ptr<detail::NaiveAttention> naive;

    std::int64_t q_elements() const { return problem.batch * problem.seq_q * problem.heads * problem.head_dim; }
    std::int64_t kv_elements() const { return problem.batch * problem.seq_k * problem.kv_heads * problem.head_dim; }
    std::int64_t rows() const { return problem.batch * problem.heads * problem.seq_q; }

    void ensure_backward_buffers() {
        if (d_sum.data() != nullptr) return;
        d_sum = DeviceBuffer(rows() * 4);
        dq_accum = DeviceBuffer(rows() * problem.head_dim * 4);
        semaphores = DeviceBuffer(problem.batch * problem.heads * ((problem.seq_q + 15) / 16) * 4);
        args.d_sum = d_sum.as<float>();
        args.dq_accum = dq_accum.as<float>();
        args.dq_semaphore = semaphores.as<int>();
        if (problem.group_size() > 1) {
            const std::int64_t bytes = problem.batch * problem.heads * problem.seq_k * problem.head_dim * 4;
            dk_accum = DeviceBuffer(bytes);
            dv_accum = DeviceBuffer(bytes);
            args.dk_accum = dk_accum.as<float>();
            args.dv_accum = dv_accum.as<float>();
        }
    }

    void ensure_flash1_buffers() {
        if (o_accum.data() != nullptr) return;
        o_accum = DeviceBuffer(rows() * problem.head_dim * 4);
        row_max = DeviceBuffer(rows() * 4);
        row_sum = DeviceBuffer(rows() * 4);
        args.o_accum = o_accum.as<float>();
        args.row_max = row_max.as<float>();
        args.row_sum = row_sum.as<float>();
    }

    void append_flash(Algorithm algo, Pass pass, const TileConfig& tile, bool deterministic,
                      std::vector<KernelLaunch>& out) {
        KernelKey key{algo, pass, problem.dtype, problem.head_dim, tile};
        const KernelEntry* entry = nullptr;
        if (pass == Pass::bwd) {
            // A forward tile asked for with fwdbwd may not exist backward: fall back on the default.
            try {
                entry = &KernelRegistry::instance().find(key);
            } catch (const NotBuiltError&) {
                if (tile.block_m == 0 && tile.block_n == 0) throw;
                key.tile = TileConfig{};
                entry = &KernelRegistry::instance().find(key);
            }
        } else {
            entry = &KernelRegistry::instance().find(key);
        }
        const KernelLauncher launcher = entry->launch;
        if (pass == Pass::fwd) {
            if (algo == Algorithm::flash1) ensure_flash1_buffers();
            const AttentionArgs a = args;
            out.push_back({algo == Algorithm::flash1 ? "flash1_fwd" : "flash2_fwd",
                           [a, launcher](cudaStream_t stream) { launcher(a, false, stream); }});
            return;
        }
        ensure_backward_buffers();
        const AttentionArgs a = args;
        out.push_back({"flash2_bwd_preprocess", [a](cudaStream_t stream) { detail::flash2_bwd_preprocess(a, stream); }});
        out.push_back({"flash2_bwd", [a, launcher, deterministic](cudaStream_t stream) {
                           launcher(a, deterministic, stream);
                       }});
        out.push_back({"flash2_bwd_convert_dq", [a](cudaStream_t stream) { detail::flash2_bwd_convert_dq(a, stream); }});
        if (problem.group_size() > 1)
            out.push_back({"flash2_bwd_dkv_reduce", [a](cudaStream_t stream) { detail::dkv_reduce(a, stream); }});
    }
};

namespace {

detail::DeviceBuffer allocate_filled(std::int64_t elements, DType dtype, std::uint64_t seed) {
    DeviceBuffer buffer(elements * bytes_of(dtype));
    detail::fill_uniform(buffer.data(), dtype, elements, seed, nullptr);
    return buffer;
}

TensorRef bshd(void* data, std::int64_t seq, std::int64_t heads, std::int64_t head_dim) {
    return TensorRef{data, seq * heads * head_dim, head_dim, heads * head_dim};
}

}  // namespace

AttentionWorkspace::AttentionWorkspace(const AttentionProblem& problem, std::uint64_t seed)
    : m_impl(std::make_unique<Impl>()) {
    problem.validate();
    if (problem.dtype == DType::fp32)
        throw ConfigError("dtype", "fp32", "the CUDA kernels take fp16 or bf16 (fp32 accumulation inside)");
    if (problem.effective_scale() > std::numeric_limits<float>::max())
        throw ConfigError("softmax_scale", std::to_string(problem.effective_scale()),
                          "the kernels compute in fp32: at most 3.4e38");
    Impl& w = *m_impl;
    w.problem = problem;
    const DType dt = problem.dtype;
    w.q = allocate_filled(w.q_elements(), dt, seed * 16 + 1);
    w.k = allocate_filled(w.kv_elements(), dt, seed * 16 + 2);
    w.v = allocate_filled(w.kv_elements(), dt, seed * 16 + 3);
    w.d_o = allocate_filled(w.q_elements(), dt, seed * 16 + 4);
    w.o = DeviceBuffer(w.q_elements() * bytes_of(dt));
    w.lse = DeviceBuffer(w.rows() * 4);
    w.dq = DeviceBuffer(w.q_elements() * bytes_of(dt));
    w.dk = DeviceBuffer(w.kv_elements() * bytes_of(dt));
    w.dv = DeviceBuffer(w.kv_elements() * bytes_of(dt));
    FLASHSCOPE_CUDA_CHECK(cudaDeviceSynchronize());

    AttentionArgs& a = w.args;
    const std::int64_t d = problem.head_dim;
    a.q = bshd(w.q.data(), problem.seq_q, problem.heads, d);
    a.o = bshd(w.o.data(), problem.seq_q, problem.heads, d);
    a.d_o = bshd(w.d_o.data(), problem.seq_q, problem.heads, d);
    a.dq = bshd(w.dq.data(), problem.seq_q, problem.heads, d);
    a.k = bshd(w.k.data(), problem.seq_k, problem.kv_heads, d);
    a.v = bshd(w.v.data(), problem.seq_k, problem.kv_heads, d);
    a.dk = bshd(w.dk.data(), problem.seq_k, problem.kv_heads, d);
    a.dv = bshd(w.dv.data(), problem.seq_k, problem.kv_heads, d);
    a.lse = w.lse.as<float>();
    a.batch = problem.batch;
    a.heads = problem.heads;
    a.kv_heads = problem.kv_heads;
    a.seq_q = problem.seq_q;
    a.seq_k = problem.seq_k;
    a.head_dim = d;
    a.scale = static_cast<float>(problem.effective_scale());
    a.causal = problem.causal;
    a.dtype = dt;
}

AttentionWorkspace::~AttentionWorkspace() = default;

std::vector<KernelLaunch> AttentionWorkspace::launches(Algorithm algo, Pass pass, const TileConfig& tile,
                                                       bool deterministic) {
    Impl& w = *m_impl;
    tile.validate();
    if (deterministic && algo != Algorithm::flash2)
        throw ConfigError("deterministic", "true", "only flash2's backward has a deterministic mode");
    if (algo == Algorithm::flash1 && pass != Pass::fwd)
        throw ConfigError("pass", std::string(to_string(pass)), "flash1 has a forward pass only");
    std::vector<KernelLaunch> out;
    const bool fwd = pass == Pass::fwd || pass == Pass::fwdbwd;
    const bool bwd = pass == Pass::bwd || pass == Pass::fwdbwd;
    if (algo == Algorithm::naive) {
        if (bwd) w.ensure_backward_buffers();  // dk/dv accumulators for GQA
        if (!w.naive) w.naive = std::make_unique<detail::NaiveAttention>(w.args);
        if (fwd) w.naive->append(Pass::fwd, w.args, out);
        if (bwd) w.naive->append(Pass::bwd, w.args, out);
        return out;
    }
    if (fwd) w.append_flash(algo, Pass::fwd, tile, deterministic, out);
    if (bwd) w.append_flash(algo, Pass::bwd, tile, deterministic, out);
    return out;
}

std::int64_t AttentionWorkspace::device_bytes() const {
    const Impl& w = *m_impl;
    std::int64_t total = 0;
    for (const DeviceBuffer* b : {&w.q, &w.k, &w.v, &w.o, &w.lse, &w.d_o, &w.dq, &w.dk, &w.dv, &w.d_sum, &w.dq_accum,
                                  &w.semaphores, &w.dk_accum, &w.dv_accum, &w.o_accum, &w.row_max, &w.row_sum})
        total += b->bytes();
    if (w.naive) total += w.naive->device_bytes();
    return total;
}

void AttentionWorkspace::poison_outputs() {
    Impl& w = *m_impl;
    const DType dt = w.problem.dtype;
    detail::fill_nan(w.o.data(), dt, w.q_elements(), nullptr);
    detail::fill_nan(w.dq.data(), dt, w.q_elements(), nullptr);
    detail::fill_nan(w.dk.data(), dt, w.kv_elements(), nullptr);
    detail::fill_nan(w.dv.data(), dt, w.kv_elements(), nullptr);
    detail::fill_nan(w.lse.data(), DType::fp32, w.rows(), nullptr);
    FLASHSCOPE_CUDA_CHECK(cudaDeviceSynchronize());
}

std::vector<float> AttentionWorkspace::download(Tensor tensor) const {
    const Impl& w = *m_impl;
    const AttentionProblem& p = w.problem;
    if (tensor == Tensor::lse) {
        std::vector<float> out(static_cast<std::size_t>(w.rows()));
        FLASHSCOPE_CUDA_CHECK(cudaMemcpy(out.data(), w.lse.data(), out.size() * 4, cudaMemcpyDeviceToHost));
        return out;
    }
    const bool is_q = tensor == Tensor::q || tensor == Tensor::o || tensor == Tensor::d_o || tensor == Tensor::dq;
    const DeviceBuffer* buffer = nullptr;
    switch (tensor) {
        case Tensor::q: buffer = &w.q; break;
        case Tensor::k: buffer = &w.k; break;
        case Tensor::v: buffer = &w.v; break;
        case Tensor::o: buffer = &w.o; break;
        case Tensor::d_o: buffer = &w.d_o; break;
        case Tensor::dq: buffer = &w.dq; break;
        case Tensor::dk: buffer = &w.dk; break;
        case Tensor::dv: buffer = &w.dv; break;
        case Tensor::lse: break;
    }
    const std::int64_t seq = is_q ? p.seq_q : p.seq_k;
    const std::int64_t heads = is_q ? p.heads : p.kv_heads;
    const std::int64_t d = p.head_dim;
    std::vector<std::uint16_t> raw(static_cast<std::size_t>(p.batch * seq * heads * d));
    FLASHSCOPE_CUDA_CHECK(cudaMemcpy(raw.data(), buffer->data(), raw.size() * 2, cudaMemcpyDeviceToHost));
    std::vector<float> out(raw.size());
    for (std::int64_t b = 0; b < p.batch; ++b)
        for (std::int64_t s = 0; s < seq; ++s)
            for (std::int64_t h = 0; h < heads; ++h)
                for (std::int64_t c = 0; c < d; ++c) {
                    const std::uint16_t bits = raw[static_cast<std::size_t>(((b * seq + s) * heads + h) * d + c)];
                    float value = 0.f;
                    if (p.dtype == DType::bf16) {
                        __nv_bfloat16_raw r;
                        r.x = bits;
                        value = __bfloat162float(__nv_bfloat16(r));
                    } else {
                        __half_raw r;
                        r.x = bits;
                        value = __half2float(__half(r));
                    }
                    out[static_cast<std::size_t>(((b * heads + h) * seq + s) * d + c)] = value;
                }
    return out;
}

void AttentionWorkspace::set_input(Tensor tensor, std::int64_t batch, std::int64_t head, std::int64_t row,
                                   std::int64_t col, float value) {
    Impl& w = *m_impl;
    const AttentionProblem& p = w.problem;
    DeviceBuffer* buffer = nullptr;
    switch (tensor) {
        case Tensor::q: buffer = &w.q; break;
        case Tensor::k: buffer = &w.k; break;
        case Tensor::v: buffer = &w.v; break;
        case Tensor::d_o: buffer = &w.d_o; break;
        default: throw ConfigError("tensor", "an output", "set_input writes Q, K, V or dO");
    }
    const bool is_q = tensor == Tensor::q || tensor == Tensor::d_o;
    const std::int64_t seq = is_q ? p.seq_q : p.seq_k;
    const std::int64_t heads = is_q ? p.heads : p.kv_heads;
    if (batch < 0 || batch >= p.batch || head < 0 || head >= heads || row < 0 || row >= seq || col < 0 ||
        col >= p.head_dim)
        throw ConfigError("set_input", std::to_string(batch) + "," + std::to_string(head) + "," + std::to_string(row) +
                                           "," + std::to_string(col),
                          "outside the tensor");
    std::uint16_t bits = 0;
    if (p.dtype == DType::bf16) {
        const __nv_bfloat16_raw r = __nv_bfloat16(__float2bfloat16(value));
        bits = r.x;
    } else {
        const __half_raw r = __half(__float2half(value));
        bits = r.x;
    }
    const std::int64_t offset = ((batch * seq + row) * heads + head) * p.head_dim + col;
    FLASHSCOPE_CUDA_CHECK(cudaMemcpy(static_cast<std::uint16_t*>(buffer->data()) + offset, &bits, 2,
                                     cudaMemcpyHostToDevice));
}

bool device_available() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        cudaGetLastError();  // clear the sticky-free error state
        return false;
    }
    return count > 0;
}

}  // namespace flashscope::kernels
