#include "naive_kernels.hpp"

#include "gqa_reduce.hpp"

namespace flashscope::sim::detail {
namespace {

// How many times a GEMM CTA reads each operand tile from shared memory. With mma.sync (sm80
// cuBLAS/CUTLASS tiles) the CTA arranges its warps 2 x (warps / 2): each warp row re-reads the
// second operand and each warp column the first. On Hopper cuBLAS runs wgmma with both operands
// in shared memory: each warpgroup reads its 64 output rows of the first operand once and the
// whole second one (H200, every naive GEMM: sm__inst_executed_pipe_tensor_op_gmma > 0 and
// sm__sass_data_bytes_mem_shared_op_gmma = A + B bytes per m64nNk16,
// docs/validation/h200-2026-12-01T1133-default.json).
struct OperandReads {
    std::int64_t first, second;
};
OperandReads operand_reads(const PlanContext& c, std::int64_t warps, std::int64_t output_rows) {
    if (c.gpu.has_wgmma()) return {1, std::max<std::int64_t>(1, output_rows / 64)};
    const std::int64_t m = warps >= 4 ? 2 : 1;
    return {warps / m, m};
}
// On Hopper cuBLAS's CTAs cover 256 output rows by at most 128 columns: two of the grid's
// 128-row blocks share one request for the tile of the other operand (H200, QK^T at d 64: 201 MB
// read from the L2, Q 32 times and K 16 times; PV, dO^T P and dS K read their 64-column operand
// 16 times, docs/validation/h200-2026-12-01T1133-default.json).
std::int64_t operand_sharing(const PlanContext& c) {
    return c.gpu.has_wgmma() ? 2 : 1;
}
// The tile as block `block` of the output rows requests it: the first of each pair.
TileAccess shared_operand(const PlanContext& c, std::int64_t block, TileAccess a) {
    a.sharing = operand_sharing(c);
    a.sharing_phase = block % a.sharing;
    return a;
}
// Requests of a shared operand tile over `blocks` output row blocks: one per CTA.
std::int64_t operand_requests(const PlanContext& c, std::int64_t blocks) {
    return ceil_div(blocks, operand_sharing(c));
}
// GEMM main loops stage 32-deep slices of K, as cuBLAS/CUTLASS sm80 tiles (128x128x32) do.
constexpr std::int64_t k_gemm_slice = 32;

TileAccess nn_tile(AccessKind kind, Tensor t, std::int64_t bh, std::int64_t i, std::int64_t j,
                   std::int64_t bytes, MemberAxis axis) {
    return {t, kind, bh, i, j, bytes, axis};
}

class ScoreGemm final : public PlanBase {
public:
    ScoreGemm(const PlanContext& c, std::string name, Tensor a, Tensor b, Tensor out, bool scale)
        : PlanBase(c, std::move(name)), m_a(a), m_b(b), m_out(out), m_scale(scale) {}

    std::int64_t unit_count() const override {
        return ctx().q_heads() * grid().col_blocks() * grid().row_blocks();
    }
    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // stages x [A slice (block_m, 32) + B slice (block_n, 32)]; accumulator (block_m, block_n)
        const std::int64_t sram = ctx().tile.stages * (bm + bn) * k_gemm_slice * e();
        return {threads(), sram, registers_for(bm * bn, threads())};
    }
    std::int64_t step_count(std::int64_t) const override { return 1; }

    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [i, j, bh] = locate(unit);
        const std::int64_t rows = grid().rows(i), cols = grid().cols(j);
        const std::int64_t a_tile = rows * d() * e(), b_tile = cols * d() * e();
        out.accesses.push_back(read(m_a, bh, i, 0, a_tile, k_by_row));
        out.accesses.push_back(
            shared_operand(ctx(), i, read(m_b, ctx().kv_head_of(bh), j, 0, b_tile, k_shared)));
        out.accesses.push_back(
            nn_tile(AccessKind::write, m_out, bh, i, j, rows * cols * e(), k_by_row));
        out.mma_flops = 2.0 * double(rows * cols * d());
        out.fp32_flops = m_scale ? double(rows * cols) : 0.0;
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_m());
        out.sram_write_bytes = a_tile + b_tile;
        out.sram_read_bytes = a_tile * w.first + b_tile * w.second;
        out.pipelined = ctx().tile.stages > 1;
    }
    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [i, j, bh] = locate(unit);
        const bool partial_i = grid().rows(i) < grid().block_m();
        const bool partial_j = grid().cols(j) < grid().block_n();
        return {bh * grid().col_blocks() + j, (partial_i ? 1 : 0) + (partial_j ? 2 : 0), i};
    }
    KernelCounts closed_form() const override {
        const std::int64_t nq = ctx().problem.seq_q, nk = ctx().problem.seq_k;
        const std::int64_t tr = grid().row_blocks(), tc = grid().col_blocks();
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_m());
        KernelCounts c;
        // every output tile reads its A rows and B rows once
        const Count a_bytes = Count(tc) * nq * d() * e(), b_bytes = Count(tr) * nk * d() * e();
        c.read_bytes = a_bytes + Count(operand_requests(ctx(), tr)) * nk * d() * e();
        c.write_bytes = Count(nq) * nk * e();
        c.mma_flops = 2.0 * double(nq) * double(nk) * double(d());
        c.fp32_flops = m_scale ? double(nq * nk) : 0.0;
        c.sram_write_bytes = a_bytes + b_bytes;
        c.sram_read_bytes = a_bytes * w.first + b_bytes * w.second;
        return scaled(c, ctx().q_heads());
    }

private:
    struct Where {
        std::int64_t i, j, bh;
    };
    Where locate(std::int64_t unit) const {
        const std::int64_t tr = grid().row_blocks(), tc = grid().col_blocks();
        return {unit % tr, unit / tr % tc, unit / (tr * tc)};
    }
    Tensor m_a, m_b, m_out;
    bool m_scale;
};

class RowGemm final : public QueryBlockPlan {
public:
    RowGemm(const PlanContext& c, std::string name, Tensor m, Tensor b, Tensor out)
        : QueryBlockPlan(c, std::move(name)), m_m(m), m_b(b), m_out(out) {}

    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // stages x [M tile (block_m, block_n) + B tile (block_n, d)]; accumulator (block_m, d)
        const std::int64_t sram = ctx().tile.stages * (bm * bn + bn * d()) * e();
        return {threads(), sram, registers_for(bm * d(), threads())};
    }
    std::int64_t step_count(std::int64_t) const override { return grid().col_blocks() + 1; }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i);
        if (s == grid().col_blocks()) {
            out.accesses.push_back(write(m_out, bh, i, 0, rows * d() * e(), k_by_row));
            out.pipelined = false;
            return;
        }
        const std::int64_t j = s, cols = grid().cols(j);
        const std::int64_t m_tile = rows * cols * e(), b_tile = cols * d() * e();
        out.accesses.push_back(nn_tile(AccessKind::read, m_m, bh, i, j, m_tile, k_by_row));
        out.accesses.push_back(
            shared_operand(ctx(), i, read(m_b, ctx().kv_head_of(bh), j, 0, b_tile, k_shared)));
        out.mma_flops = 2.0 * double(rows * cols * d());
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_m());
        out.sram_write_bytes = m_tile + b_tile;
        out.sram_read_bytes = m_tile * w.first + b_tile * w.second;
        out.pipelined = ctx().tile.stages > 1;
    }
    KernelCounts closed_form() const override {
        const std::int64_t nq = ctx().problem.seq_q, nk = ctx().problem.seq_k;
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_m());
        KernelCounts c;
        const Count m_bytes = Count(nq) * nk * e(),
                    b_bytes = Count(grid().row_blocks()) * nk * d() * e();
        c.read_bytes =
            m_bytes + Count(operand_requests(ctx(), grid().row_blocks())) * nk * d() * e();
        c.write_bytes = nq * d() * e();
        c.mma_flops = 2.0 * double(nq) * double(nk) * double(d());
        c.sram_write_bytes = m_bytes + b_bytes;
        c.sram_read_bytes = m_bytes * w.first + b_bytes * w.second;
        return scaled(c, ctx().q_heads());
    }

private:
    Tensor m_m, m_b, m_out;
};

class ColGemm final : public PlanBase {
public:
    ColGemm(const PlanContext& c, std::string name, Tensor m, Tensor a, Tensor out)
        : PlanBase(c, std::move(name)), m_m(m), m_a(a), m_out(out) {}

    std::int64_t unit_count() const override { return ctx().q_heads() * grid().col_blocks(); }
    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // stages x [M tile (block_m, block_n) + A tile (block_m, d)]; accumulator (block_n, d)
        const std::int64_t sram = ctx().tile.stages * (bm * bn + bm * d()) * e();
        return {threads(), sram, registers_for(bn * d(), threads())};
    }
    std::int64_t step_count(std::int64_t) const override { return grid().row_blocks() + 1; }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        const std::int64_t cols = grid().cols(j);
        if (s == grid().row_blocks()) {
            const std::int64_t bytes = cols * d() * e();  // (block_n, head_dim)
            out.accesses.push_back(expanded_gradient(m_out)
                                       ? store_dk(ctx(), m_out, bh, j, bytes, k_by_row)
                                       : write(m_out, bh, j, 0, bytes, k_by_row));
            out.pipelined = false;
            return;
        }
        const std::int64_t i = s, rows = grid().rows(i);
        const std::int64_t m_tile = rows * cols * e(), a_tile = rows * d() * e();
        out.accesses.push_back(nn_tile(AccessKind::read, m_m, bh, i, j, m_tile, k_by_col));
        out.accesses.push_back(shared_operand(ctx(), j, read(m_a, bh, i, 0, a_tile, k_shared)));
        out.mma_flops = 2.0 * double(rows * cols * d());
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_n());
        out.sram_write_bytes = m_tile + a_tile;
        out.sram_read_bytes = m_tile * w.first + a_tile * w.second;
        out.pipelined = ctx().tile.stages > 1;
    }
    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        return row_cohort(bh, j, grid().cols(j) < grid().block_n());
    }
    KernelCounts closed_form() const override {
        const std::int64_t nq = ctx().problem.seq_q, nk = ctx().problem.seq_k;
        const OperandReads w = operand_reads(ctx(), warps(), grid().block_n());
        KernelCounts c;
        const Count m_bytes = Count(nq) * nk * e(),
                    a_bytes = Count(grid().col_blocks()) * nq * d() * e();
        c.read_bytes =
            m_bytes + Count(operand_requests(ctx(), grid().col_blocks())) * nq * d() * e();
        c.write_bytes = nk * d() * e();
        c.mma_flops = 2.0 * double(nq) * double(nk) * double(d());
        c.sram_write_bytes = m_bytes + a_bytes;
        c.sram_read_bytes = m_bytes * w.first + a_bytes * w.second;
        return scaled(c, ctx().q_heads());
    }

private:
    static bool expanded_gradient(Tensor t) {
        return t == Tensor::d_k_expanded || t == Tensor::d_v_expanded;
    }
    Tensor m_m, m_a, m_out;
};

// Row-wise kernels: one CTA per query row; the model moves the block_m rows of a row block
// together so that their tiles line up with the GEMMs' tile grid.
class RowwisePlan : public QueryBlockPlan {
public:
    using QueryBlockPlan::QueryBlockPlan;
    std::int64_t ctas_per_unit() const override { return grid().block_m(); }

protected:
    double fused_mask() const { return ctx().problem.causal ? 1.0 : 0.0; }  // softmax's mask FLOP
};

// Rows the register kernel cannot hold (over 16384 keys, or not whole vectors). kernels/ runs
// its looped kernel there (three passes, the re-reads from L1/L2); modelled as two passes with
// the row cached in shared memory while it fits, read twice from global memory beyond.
class Softmax final : public RowwisePlan {
public:
    Softmax(const PlanContext& c, std::string name)
        : RowwisePlan(c, std::move(name)), m_cached(softmax_row_fits(c)) {}

    CtaResources resources() const override {
        return {128, m_cached ? ctx().problem.seq_k * e() : 0, 32};
    }
    std::int64_t step_count(std::int64_t) const override { return 2 * grid().col_blocks(); }

    // Pass 1 (steps 0..Tc-1) reads S for the row max and sum; pass 2 writes P, reading S again
    // from SRAM when the row is cached there, else from global memory.
    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t tc = grid().col_blocks(), j = s % tc;
        const std::int64_t bytes = grid().rows(i) * grid().cols(j) * e();  // (block_m, block_n)
        const double elems = double(grid().rows(i) * grid().cols(j));
        if (s < tc || !m_cached)
            out.accesses.push_back(nn_tile(AccessKind::read, Tensor::s, bh, i, j, bytes, k_by_row));
        if (s < tc) {
            out.fp32_flops = elems * (3.0 + fused_mask());  // scale, max, sum (+ mask)
            out.sfu_ops = elems;                            // exp for the running sum
            if (m_cached) out.sram_write_bytes = bytes;
        } else {
            out.accesses.push_back(
                nn_tile(AccessKind::write, Tensor::p, bh, i, j, bytes, k_by_row));
            out.fp32_flops = elems * 2.0;  // subtract max, divide by sum
            out.sfu_ops = elems;
            if (m_cached) out.sram_read_bytes = bytes;
        }
    }
    KernelCounts closed_form() const override {
        const Count nn = Count(ctx().problem.seq_q) * ctx().problem.seq_k;
        KernelCounts c;
        c.read_bytes = nn * e() * (m_cached ? 1 : 2);
        c.write_bytes = nn * e();
        c.fp32_flops = double(nn) * (5.0 + fused_mask());
        c.sfu_ops = 2.0 * double(nn);
        if (m_cached) c.sram_read_bytes = c.sram_write_bytes = nn * e();
        return scaled(c, ctx().q_heads());
    }

private:
    bool m_cached;
};

// The whole row in registers (softmax_row_in_registers): a thread loads all its 16-byte vectors
// at once, so a row costs one memory latency, and the kernel streams at the memory's rate. Step 0
// reads the row (max, exp, sum), step 1 writes P.
class RegisterSoftmax final : public RowwisePlan {
public:
    using RowwisePlan::RowwisePlan;

    CtaResources resources() const override {
        // The row's values as fp32 (8 per vector) stay live across the two block reductions;
        // 16 more for addressing and the reductions (ptxas, sm_90: 26, 32, 48, 80 registers for
        // 1, 2, 4, 8 vectors; docs/validation/ptxas/).
        const std::int64_t vectors =
            (ctx().problem.seq_k + k_softmax_threads * 8 - 1) / (k_softmax_threads * 8);
        return {k_softmax_threads, 0, 8 * vectors + 16};
    }
    std::int64_t step_count(std::int64_t) const override { return 2; }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const AccessKind kind = s == 0 ? AccessKind::read : AccessKind::write;
        const Tensor t = s == 0 ? Tensor::s : Tensor::p;
        for (std::int64_t j = 0; j < grid().col_blocks(); ++j)
            out.accesses.push_back(
                nn_tile(kind, t, bh, i, j, grid().rows(i) * grid().cols(j) * e(), k_by_row));
        const double elems = double(grid().rows(i) * ctx().problem.seq_k);
        out.fp32_flops = elems * (s == 0 ? 3.0 + fused_mask() : 1.0);  // max, shift, sum; scale
        out.sfu_ops = s == 0 ? elems : 0.0;
        if (s == 0) {
            out.sram_read_bytes = grid().rows(i) * k_reduction_reads;
            out.sram_write_bytes = grid().rows(i) * k_reduction_writes;
        }
        out.pipelined = false;
    }
    KernelCounts closed_form() const override {
        const Count nn = Count(ctx().problem.seq_q) * ctx().problem.seq_k;
        KernelCounts c;
        c.read_bytes = c.write_bytes = nn * e();
        c.fp32_flops = double(nn) * (4.0 + fused_mask());
        c.sfu_ops = double(nn);
        c.sram_read_bytes = ctx().problem.seq_q * k_reduction_reads;
        c.sram_write_bytes = ctx().problem.seq_q * k_reduction_writes;
        return scaled(c, ctx().q_heads());
    }

private:
    // The row's max and sum are two block reductions through shared memory: each warp's lane 0
    // stores its partial (one 128-byte wavefront), then every warp reads the 8 partials as 4
    // 8-byte broadcast loads. Per row (Nsight Compute, seq 16384: 65.9 load and 16.3 store
    // wavefronts per row; validation/h200-2026-12-01T1133-default.json):
    static constexpr std::int64_t k_reduction_warps = k_softmax_threads / 32;
    static constexpr std::int64_t k_reduction_reads = 2 * k_reduction_warps * 4 * 128;
    static constexpr std::int64_t k_reduction_writes = 2 * k_reduction_warps * 128;
};

class SoftmaxBackward final : public RowwisePlan {
public:
    SoftmaxBackward(const PlanContext& c, std::string name) : RowwisePlan(c, std::move(name)) {}

    CtaResources resources() const override { return {128, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return grid().col_blocks() + 1; }
    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i);
        if (s == 0) {  // delta = rowsum(dO * O)
            out.accesses.push_back(read(Tensor::o, bh, i, 0, rows * d() * e(), k_by_row));
            out.accesses.push_back(read(Tensor::d_o, bh, i, 0, rows * d() * e(), k_by_row));
            out.fp32_flops = double(2 * rows * d());
            out.pipelined = false;
            return;
        }
        const std::int64_t j = s - 1, bytes = rows * grid().cols(j) * e();  // (block_m, block_n)
        out.accesses.push_back(nn_tile(AccessKind::read, Tensor::p, bh, i, j, bytes, k_by_row));
        out.accesses.push_back(nn_tile(AccessKind::read, Tensor::d_p, bh, i, j, bytes, k_by_row));
        out.accesses.push_back(nn_tile(AccessKind::write, Tensor::d_s, bh, i, j, bytes, k_by_row));
        out.fp32_flops = 2.0 * double(rows * grid().cols(j));
    }
    KernelCounts closed_form() const override {
        const std::int64_t nq = ctx().problem.seq_q;
        const Count nn = Count(nq) * ctx().problem.seq_k;
        KernelCounts c;
        c.read_bytes = 2 * nq * d() * e() + 2 * nn * e();
        c.write_bytes = nn * e();
        c.fp32_flops = double(2 * nq * d()) + 2.0 * double(nn);
        return scaled(c, ctx().q_heads());
    }
};

class Elementwise final : public RowwisePlan {
public:
    Elementwise(const PlanContext& c, std::string name, Tensor t)
        : RowwisePlan(c, std::move(name)), m_tensor(t) {}

    CtaResources resources() const override { return {256, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return grid().col_blocks(); }
    void step(std::int64_t unit, std::int64_t j, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t bytes = grid().rows(i) * grid().cols(j) * e();  // (block_m, block_n)
        out.accesses.push_back(nn_tile(AccessKind::read, m_tensor, bh, i, j, bytes, k_by_row));
        out.accesses.push_back(nn_tile(AccessKind::write, m_tensor, bh, i, j, bytes, k_by_row));
        out.fp32_flops = double(grid().rows(i) * grid().cols(j));
    }
    KernelCounts closed_form() const override {
        const Count nn = Count(ctx().problem.seq_q) * ctx().problem.seq_k;
        KernelCounts c;
        c.read_bytes = c.write_bytes = nn * e();
        c.fp32_flops = double(nn);
        return scaled(c, ctx().q_heads());
    }

private:
    Tensor m_tensor;
};

}  // namespace

std::unique_ptr<KernelPlan> make_score_gemm(const PlanContext& c, std::string name, Tensor a,
                                            Tensor b, Tensor out, bool scale_epilogue) {
    return std::make_unique<ScoreGemm>(c, std::move(name), a, b, out, scale_epilogue);
}
std::unique_ptr<KernelPlan> make_row_gemm(const PlanContext& c, std::string name, Tensor m,
                                          Tensor b, Tensor out) {
    return std::make_unique<RowGemm>(c, std::move(name), m, b, out);
}
std::unique_ptr<KernelPlan> make_col_gemm(const PlanContext& c, std::string name, Tensor m,
                                          Tensor a, Tensor out) {
    return std::make_unique<ColGemm>(c, std::move(name), m, a, out);
}
std::unique_ptr<KernelPlan> make_softmax(const PlanContext& c, std::string name) {
    if (softmax_row_in_registers(c)) return std::make_unique<RegisterSoftmax>(c, std::move(name));
    return std::make_unique<Softmax>(c, std::move(name));
}
std::unique_ptr<KernelPlan> make_softmax_backward(const PlanContext& c, std::string name) {
    return std::make_unique<SoftmaxBackward>(c, std::move(name));
}
std::unique_ptr<KernelPlan> make_elementwise(const PlanContext& c, std::string name, Tensor t) {
    return std::make_unique<Elementwise>(c, std::move(name), t);
}

}  // namespace flashscope::sim::detail
