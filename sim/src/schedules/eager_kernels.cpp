#include "eager_kernels.hpp"

#include "gqa_reduce.hpp"

namespace flashscope::sim::detail {
namespace {

// SoftMax.cu (host_softmax, host_softmax_backward): the persistent warp kernels take rows of at
// most 1024 elements and 4096 bytes.
constexpr std::int64_t k_persistent_max_elements = 1024;
constexpr std::int64_t k_persistent_max_bytes = 4096;
// cunn_SoftMaxForwardSmem asks for sharedMemPerBlock as dynamic shared memory: 48 KiB, the
// per-block limit without opt-in on every CUDA GPU since compute capability 3.0 (CUDA C++
// Programming Guide, "Technical Specifications per Compute Capability"), less one float per warp
// of its up-to-1024-thread block for the reduction.
constexpr std::int64_t k_shared_mem_per_block = 48 * 1024;
constexpr std::int64_t k_softmax_reduction_bytes = 32 * 4;

// One pass of a row-wise kernel over the row's column tiles.
struct RowPass {
    std::vector<Tensor> reads;  // from global memory
    bool sram_fill = false;     // the tiles read are also stored to shared memory
    int sram_reads = 0;         // reads of the cached row from shared memory
    bool writes = false;        // writes the output tile
    double fp32 = 0;            // per element
    double sfu = 0;             // per element
};

// A row-wise kernel: one CTA per query row (moved block_m rows at a time so that its tiles line
// up with the GEMMs' tile grid), walking the row's column tiles once per pass.
class RowPassPlan final : public QueryBlockPlan {
public:
    RowPassPlan(const PlanContext& c, std::string name, std::vector<RowPass> passes, Tensor out,
                std::int64_t sram_bytes)
        : QueryBlockPlan(c, std::move(name)),
          m_passes(std::move(passes)),
          m_out(out),
          m_sram(sram_bytes) {}

    std::int64_t ctas_per_unit() const override { return grid().block_m(); }
    CtaResources resources() const override { return {128, m_sram, 32}; }
    std::int64_t step_count(std::int64_t) const override {
        return std::int64_t(m_passes.size()) * grid().col_blocks();
    }
    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t tc = grid().col_blocks(), j = s % tc;
        const RowPass& pass = m_passes[std::size_t(s / tc)];
        const std::int64_t bytes = grid().rows(i) * grid().cols(j) * e();  // (block_m, block_n)
        const double elems = double(grid().rows(i) * grid().cols(j));
        for (Tensor t : pass.reads) out.accesses.push_back(read(t, bh, i, j, bytes, k_by_row));
        if (pass.writes) out.accesses.push_back(write(m_out, bh, i, j, bytes, k_by_row));
        out.fp32_flops = pass.fp32 * elems;
        out.sfu_ops = pass.sfu * elems;
        out.sram_write_bytes = pass.sram_fill ? bytes : 0;
        out.sram_read_bytes = pass.sram_reads * bytes;
    }
    KernelCounts closed_form() const override {
        const Count nn = Count(ctx().problem.seq_q) * ctx().problem.seq_k * e();
        const double elems = double(ctx().problem.seq_q) * double(ctx().problem.seq_k);
        KernelCounts c;
        for (const RowPass& pass : m_passes) {
            c.read_bytes += nn * std::int64_t(pass.reads.size());
            if (pass.writes) c.write_bytes += nn;
            if (pass.sram_fill) c.sram_write_bytes += nn;
            c.sram_read_bytes += nn * pass.sram_reads;
            c.fp32_flops += pass.fp32 * elems;
            c.sfu_ops += pass.sfu * elems;
        }
        return scaled(c, ctx().q_heads());
    }

private:
    std::vector<RowPass> m_passes;
    Tensor m_out;
    std::int64_t m_sram;
};

class TransposeCopy final : public PlanBase {
public:
    using PlanBase::PlanBase;
    std::int64_t unit_count() const override { return ctx().q_heads() * grid().col_blocks(); }
    CtaResources resources() const override { return {128, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return 1; }
    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        const std::int64_t bytes = grid().cols(j) * d() * e();  // (block_n, head_dim)
        out.accesses.push_back(read(Tensor::d_k_transposed, bh, j, 0, bytes, k_by_row));
        out.accesses.push_back(store_dk(ctx(), Tensor::d_k_expanded, bh, j, bytes, k_by_row));
    }
    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        return row_cohort(bh, j, grid().cols(j) < grid().block_n());
    }
    KernelCounts closed_form() const override {
        KernelCounts c;
        c.read_bytes = c.write_bytes = Count(ctx().problem.seq_k) * d() * e();
        return scaled(c, ctx().q_heads());
    }
};

bool persistent_row(const PlanContext& c) {
    return c.problem.seq_k <= k_persistent_max_elements &&
           c.problem.seq_k * c.elem <= k_persistent_max_bytes;
}

}  // namespace

std::unique_ptr<KernelPlan> make_eager_elementwise(const PlanContext& c, std::string name,
                                                   std::vector<Tensor> inputs, Tensor out) {
    std::vector<RowPass> passes{{std::move(inputs), false, 0, true, 1.0, 0.0}};
    return std::make_unique<RowPassPlan>(c, std::move(name), std::move(passes), out, 0);
}

EagerSoftmaxPath eager_softmax_forward_path(const PlanContext& c) {
    if (persistent_row(c)) return EagerSoftmaxPath::persistent;
    // can_use_smem: dim_size < (sharedMemPerBlock - warps * sizeof(float)) / elem, and
    // dim_size a multiple of the 16-byte vector (alignment of PyTorch's allocations holds).
    const std::int64_t vector = 16 / c.elem;
    const bool fits =
        c.problem.seq_k < (k_shared_mem_per_block - k_softmax_reduction_bytes) / c.elem;
    return fits && c.problem.seq_k % vector == 0 ? EagerSoftmaxPath::smem
                                                 : EagerSoftmaxPath::global;
}

EagerSoftmaxPath eager_softmax_backward_path(const PlanContext& c) {
    return persistent_row(c) ? EagerSoftmaxPath::persistent : EagerSoftmaxPath::global;
}

// Work per element: max (1); subtract, exp, sum (2 + exp); subtract, exp, divide (2 + exp).
std::unique_ptr<KernelPlan> make_eager_softmax(const PlanContext& c, std::string name) {
    const Tensor in = Tensor::s_scaled;
    std::vector<RowPass> passes;
    std::int64_t sram = 0;
    switch (eager_softmax_forward_path(c)) {
        case EagerSoftmaxPath::persistent:
            passes = {{{in}, false, 0, true, 5.0, 2.0}};
            break;
        case EagerSoftmaxPath::smem:  // max while filling SRAM, sum from SRAM, write from SRAM
            passes = {{{in}, true, 0, false, 1.0, 0.0},
                      {{}, false, 1, false, 2.0, 1.0},
                      {{}, false, 1, true, 2.0, 1.0}};
            sram = k_shared_mem_per_block;
            break;
        case EagerSoftmaxPath::global:  // cunn_SoftMaxForward: max, sum of exp, write
            passes = {{{in}, false, 0, false, 1.0, 0.0},
                      {{in}, false, 0, false, 2.0, 1.0},
                      {{in}, false, 0, true, 2.0, 1.0}};
            break;
    }
    return std::make_unique<RowPassPlan>(c, std::move(name), std::move(passes), Tensor::p, sram);
}

// Work per element: rowsum(tmp) (1); tmp - P * sum (2).
std::unique_ptr<KernelPlan> make_eager_softmax_backward(const PlanContext& c, std::string name) {
    const Tensor tmp = Tensor::d_p_times_p;
    std::vector<RowPass> passes;
    if (eager_softmax_backward_path(c) == EagerSoftmaxPath::persistent)
        passes = {{{tmp, Tensor::p}, false, 0, true, 3.0, 0.0}};
    else  // cunn_SoftMaxBackward: sum over tmp, then one pass over tmp and P
        passes = {{{tmp}, false, 0, false, 1.0, 0.0}, {{tmp, Tensor::p}, false, 0, true, 2.0, 0.0}};
    return std::make_unique<RowPassPlan>(c, std::move(name), std::move(passes), Tensor::d_s_scaled,
                                         0);
}

std::unique_ptr<KernelPlan> make_eager_transpose_copy(const PlanContext& c, std::string name) {
    return std::make_unique<TransposeCopy>(c, std::move(name));
}

}  // namespace flashscope::sim::detail
