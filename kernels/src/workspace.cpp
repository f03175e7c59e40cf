#include "flashscope/kernels/workspace.hpp"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <limits>
#include <map>
#include <string>

#include "aux_launchers.hpp"
#include "device_buffer.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "launch_plan.hpp"

namespace flashscope::kernels {

using detail::DeviceBuffer;

struct AttentionWorkspace::Impl {
    AttentionProblem problem;
    AttentionArgs args;  // the tensors; plans add their side buffers to copies of it
    DeviceBuffer q, k, v, o, lse, d_o, dq, dk, dv;
    std::map<Algorithm, std::unique_ptr<detail::LaunchPlan>> plans;  // made on first use, kept

    std::int64_t q_elements() const {
        return problem.batch * problem.seq_q * problem.heads * problem.head_dim;
    }
    std::int64_t kv_elements() const {
        return problem.batch * problem.seq_k * problem.kv_heads * problem.head_dim;
    }
    std::int64_t rows() const { return problem.batch * problem.heads * problem.seq_q; }

    detail::LaunchPlan& plan(Algorithm algorithm) {
        auto& plan = plans[algorithm];
        if (!plan) plan = detail::make_launch_plan(algorithm, args);
        return *plan;
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
        throw ConfigError("dtype", "fp32",
                          "the CUDA kernels take fp16 or bf16 (fp32 accumulation inside)");
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
    a = detail::shape_args(problem);
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
}

AttentionWorkspace::~AttentionWorkspace() = default;

std::vector<KernelLaunch> AttentionWorkspace::launches(Algorithm algo, Pass pass,
                                                       const TileConfig& tile, bool deterministic) {
    tile.validate();
    std::vector<KernelLaunch> out;
    for (auto& step : detail::planned(m_impl->plan(algo), algo, pass, tile, deterministic))
        out.push_back({std::move(step.name), step.bind()});
    return out;
}

std::int64_t AttentionWorkspace::device_bytes() const {
    const Impl& w = *m_impl;
    std::int64_t total = 0;
    for (const DeviceBuffer* b : {&w.q, &w.k, &w.v, &w.o, &w.lse, &w.d_o, &w.dq, &w.dk, &w.dv})
        total += b->bytes();
    for (const auto& [algorithm, plan] : w.plans) total += plan->device_bytes();
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
        FLASHSCOPE_CUDA_CHECK(
            cudaMemcpy(out.data(), w.lse.data(), out.size() * 4, cudaMemcpyDeviceToHost));
        return out;
    }
    const bool is_q =
        tensor == Tensor::q || tensor == Tensor::o || tensor == Tensor::d_o || tensor == Tensor::dq;
    const DeviceBuffer* buffer = nullptr;
    switch (tensor) {
        case Tensor::q:
            buffer = &w.q;
            break;
        case Tensor::k:
            buffer = &w.k;
            break;
        case Tensor::v:
            buffer = &w.v;
            break;
        case Tensor::o:
            buffer = &w.o;
            break;
        case Tensor::d_o:
            buffer = &w.d_o;
            break;
        case Tensor::dq:
            buffer = &w.dq;
            break;
        case Tensor::dk:
            buffer = &w.dk;
            break;
        case Tensor::dv:
            buffer = &w.dv;
            break;
        case Tensor::lse:
            break;
    }
    const std::int64_t seq = is_q ? p.seq_q : p.seq_k;
    const std::int64_t heads = is_q ? p.heads : p.kv_heads;
    const std::int64_t d = p.head_dim;
    std::vector<std::uint16_t> raw(static_cast<std::size_t>(p.batch * seq * heads * d));
    FLASHSCOPE_CUDA_CHECK(
        cudaMemcpy(raw.data(), buffer->data(), raw.size() * 2, cudaMemcpyDeviceToHost));
    std::vector<float> out(raw.size());
    for (std::int64_t b = 0; b < p.batch; ++b)
        for (std::int64_t s = 0; s < seq; ++s)
            for (std::int64_t h = 0; h < heads; ++h)
                for (std::int64_t c = 0; c < d; ++c) {
                    const std::uint16_t bits =
                        raw[static_cast<std::size_t>(((b * seq + s) * heads + h) * d + c)];
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

void AttentionWorkspace::set_input(Tensor tensor, std::int64_t batch, std::int64_t head,
                                   std::int64_t row, std::int64_t col, float value) {
    Impl& w = *m_impl;
    const AttentionProblem& p = w.problem;
    DeviceBuffer* buffer = nullptr;
    switch (tensor) {
        case Tensor::q:
            buffer = &w.q;
            break;
        case Tensor::k:
            buffer = &w.k;
            break;
        case Tensor::v:
            buffer = &w.v;
            break;
        case Tensor::d_o:
            buffer = &w.d_o;
            break;
        default:
            throw ConfigError("tensor", "an output", "set_input writes Q, K, V or dO");
    }
    const bool is_q = tensor == Tensor::q || tensor == Tensor::d_o;
    const std::int64_t seq = is_q ? p.seq_q : p.seq_k;
    const std::int64_t heads = is_q ? p.heads : p.kv_heads;
    if (batch < 0 || batch >= p.batch || head < 0 || head >= heads || row < 0 || row >= seq ||
        col < 0 || col >= p.head_dim)
        throw ConfigError("set_input",
                          std::to_string(batch) + "," + std::to_string(head) + "," +
                              std::to_string(row) + "," + std::to_string(col),
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
