// FlashAttention 1.x as its CUDA kernels ran (v1.0.9, csrc/flash_attn/src; the launch facts are
// in flash1_released_launch.hpp). Forward (fmha_fprop_kernel_1xN.h, device_1xN_loop): grid
// (batch, heads, num_splits) of 4-warp CTAs; each walks the K/V blocks in its outer loop and, per
// block, every num_splits-th 16-row query block, reading and rewriting an fp32 partial output
// (o_tmp) and the row logsumexp between K/V blocks. Backward (fmha_dgrad_kernel_1xN_loop.h):
// either one 8-warp CTA per (batch, head) walking all K/V blocks with dQ rewritten in fp32
// (dq_tmp) between them, or, when the split heuristic says so, one CTA per K/V block adding dQ
// by fp32 atomics, with a D = rowsum(dO * O) kernel before and a dQ conversion after.
#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "flash1_released_launch.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/occupancy.hpp"
#include "plan_base.hpp"

namespace flashscope::sim::detail {
namespace {

constexpr std::int64_t k_stat = 4;  // fp32 logsumexp / D per row

// Registers per thread: K and V fragments kept in registers (bytes / 4), the fp32 accumulators,
// plus registers_for's allowance; the released kernels compile to at most 255.
std::int64_t fa1_registers(std::int64_t fragment_bytes, std::int64_t accumulators,
                           std::int64_t threads) {
    return std::min<std::int64_t>(255, registers_for(fragment_bytes / 4 + accumulators, threads));
}

// The K/V-outer, 16-row-inner walk shared by the forward and both backward kernels: per unit,
// for each K/V block j with work, a load step, one step per query block, then `tail` steps.
class Fa1Walk : public PlanBase {
public:
    Fa1Walk(const PlanContext& c, std::string name, Fa1Kernel k, std::int64_t splits,
            std::int64_t tail)
        : PlanBase(c, std::move(name)), m_k(k), m_splits(splits), m_tail(tail) {
        const std::string runs = "FlashAttention 1.x runs " + std::to_string(k.block_m) + "x" +
                                 std::to_string(k.block_n) + " for this head_dim and seq_k";
        if (grid().block_m() != k.block_m)
            throw ConfigError("block_m", std::to_string(grid().block_m()), runs);
        if (grid().block_n() != k.block_n)
            throw ConfigError("block_n", std::to_string(grid().block_n()), runs);
    }

protected:
    const Fa1Kernel& kernel() const { return m_k; }
    std::int64_t splits() const { return m_splits; }
    std::int64_t begin(std::int64_t j) const {
        return std::min(grid().row_blocks(), fa1_first_query_block(m_k, grid().causal(), j));
    }
    // Query blocks of split z under K/V block j: q >= begin(j), q = z (mod splits).
    std::int64_t first_query(std::int64_t j, std::int64_t z) const {
        const std::int64_t b = begin(j);
        return b + ((z - b) % m_splits + m_splits) % m_splits;
    }
    std::int64_t query_count(std::int64_t j, std::int64_t z) const {
        const std::int64_t first = first_query(j, z), tr = grid().row_blocks();
        return first < tr ? (tr - 1 - first) / m_splits + 1 : 0;
    }
    // The last K/V block query block q sees: the diagonal one when causal.
    bool final_for(std::int64_t q, std::int64_t j) const {
        if (j == grid().col_blocks() - 1) return true;
        return grid().causal() && q * m_k.block_m < (j + 1) * m_k.block_n;
    }
    // Query rows in blocks [a, b).
    std::int64_t rows_between(std::int64_t a, std::int64_t b) const {
        return grid().rows_from(a) - grid().rows_from(b);
    }
    // Step layout of split z: the first step of each K/V block, then the total.
    const std::vector<std::int64_t>& starts(std::int64_t z) const {
        if (m_starts.empty()) {
            for (std::int64_t s = 0; s < m_splits; ++s) {
                std::vector<std::int64_t> v;
                std::int64_t step = 0;
                for (std::int64_t j = 0; j < grid().col_blocks(); ++j) {
                    v.push_back(step);
                    step += steps_of_block(j, s);
                }
                v.push_back(step);
                m_starts.push_back(std::move(v));
            }
        }
        return m_starts[std::size_t(z)];
    }
    virtual std::int64_t steps_of_block(std::int64_t j, std::int64_t z) const {
        const std::int64_t n = query_count(j, z);
        return n > 0 ? 1 + n + m_tail : 0;
    }
    struct Position {
        std::int64_t j;
        std::int64_t inner;  // -1: the K/V load; 0..n-1: query steps; n..: tail steps
    };
    Position locate(std::int64_t z, std::int64_t s) const {
        const auto& v = starts(z);
        const auto it = std::upper_bound(v.begin(), v.end() - 1, s) - 1;
        return {it - v.begin(), s - *it - 1};
    }
    std::int64_t walk_steps(std::int64_t z) const {
        return std::max<std::int64_t>(1, starts(z).back());
    }
    void load_kv(std::int64_t bh, std::int64_t j, Step& out) const {
        const std::int64_t kv_tile = grid().cols(j) * d() * e();  // (block_n, head_dim)
        out.accesses.push_back(read(Tensor::k, bh, j, 0, kv_tile, k_shared));
        out.accesses.push_back(read(Tensor::v, bh, j, 0, kv_tile, k_shared));
        out.sram_write_bytes = 2 * kv_tile;
        out.sram_read_bytes = 2 * kv_tile;  // into the registers of the warps that own them
        out.pipelined = false;
    }
    // CTAs of K/V block j over all splits that have work: min(splits, query blocks left).
    std::int64_t ctas_with_work(std::int64_t j) const {
        return std::min(m_splits, grid().row_blocks() - begin(j));
    }

private:
    Fa1Kernel m_k;
    std::int64_t m_splits, m_tail;
    mutable std::vector<std::vector<std::int64_t>> m_starts;
};

// Units (batch, head, split) with the batch fastest, as blockIdx.x = batch.
struct Unit {
    std::int64_t bh, z;
};
Unit unit_of(const PlanContext& c, std::int64_t unit) {
    const std::int64_t b = unit % c.problem.batch, h = unit / c.problem.batch % c.problem.heads;
    return {b * c.problem.heads + h, unit / (c.problem.batch * c.problem.heads)};
}

class Fa1Forward final : public Fa1Walk {
public:
    Fa1Forward(const PlanContext& c, std::string name, std::int64_t splits)
        : Fa1Walk(c, std::move(name), fa1_forward_kernel(c.problem), splits, 0) {}

    std::int64_t unit_count() const override { return ctx().q_heads() * splits(); }
    CtaResources resources() const override { return forward_resources(ctx()); }
    std::int64_t step_count(std::int64_t unit) const override {
        return walk_steps(unit_of(ctx(), unit).z);
    }
    CohortKey cohort_key(std::int64_t unit) const override { return {unit, 0, 0}; }

    static CtaResources forward_resources(const PlanContext& c) {
        const Fa1Kernel k = fa1_forward_kernel(c.problem);
        const std::int64_t threads = 32 * k.warps;
        const bool loops = c.grid.col_blocks() > 1;
        // K and V (block_n, D) in registers; S (16, block_n) and O (16, D) per warp in fp32
        const std::int64_t regs =
            fa1_registers(2 * k.block_n * k.head_dim * 2,
                          k.block_m * k.block_n + k.warps * k.block_m * k.head_dim, threads);
        return {threads, fa1_forward_smem_bytes(k, loops), regs};
    }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, z] = unit_of(ctx(), unit);
        if (starts(z).back() == 0) return;  // a split with no query block: returns at once
        const auto [j, inner] = locate(z, s);
        if (inner < 0) return load_kv(bh, j, out);
        const std::int64_t q = first_query(j, z) + inner * splits();
        const std::int64_t rows = grid().rows(q), cols = grid().cols(j);
        const std::int64_t q_tile = rows * d() * e();  // (16, head_dim)
        const std::int64_t o_tmp = rows * d() * 4;     // (16, head_dim) fp32
        out.accesses.push_back(read(Tensor::q, bh, q, 0, q_tile, k_shared));
        if (j > 0) {
            out.accesses.push_back(read(Tensor::o_accum, bh, q, 0, o_tmp, k_shared));
            out.accesses.push_back(read(Tensor::lse, bh, q, 0, rows * k_stat, k_shared));
        }
        out.accesses.push_back(write(Tensor::lse, bh, q, 0, rows * k_stat, k_shared));
        if (final_for(q, j))
            out.accesses.push_back(write(Tensor::o, bh, q, 0, q_tile, k_shared));
        else
            out.accesses.push_back(write(Tensor::o_accum, bh, q, 0, o_tmp, k_shared));
        out.mma_flops = 4.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_fwd_flops * double(rows * cols) + 3.0 * double(rows * d());
        out.sfu_ops = double(rows * cols + 2 * rows);
        // Q stored once and read by every warp; each warp's fp32 share of O reduced through SRAM
        out.sram_write_bytes = q_tile + warps_of() * o_tmp;
        out.sram_read_bytes = warps_of() * q_tile + warps_of() * o_tmp;
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e(), w = warps_of(), tc = grid().col_blocks();
        for (std::int64_t j = 0; j < tc; ++j) {
            const std::int64_t b = begin(j), rows = grid().rows_from(b), cols = grid().cols(j);
            const std::int64_t kv = 2 * cols * de * ctas_with_work(j);
            std::int64_t final_rows = rows;
            if (j < tc - 1)
                final_rows =
                    grid().causal()
                        ? rows_between(b, std::min(grid().row_blocks(),
                                                   (j + 1) * kernel().block_n / kernel().block_m))
                        : 0;
            c.read_bytes += kv + rows * de + (j > 0 ? rows * (d() * 4 + k_stat) : 0);
            c.write_bytes += rows * k_stat + final_rows * de + (rows - final_rows) * d() * 4;
            c.sram_write_bytes += kv + rows * de + w * rows * d() * 4;
            c.sram_read_bytes += kv + w * rows * de + w * rows * d() * 4;
            c.mma_flops += 4.0 * double(rows * cols * d());
            c.fp32_flops += k_softmax_fwd_flops * double(rows * cols) + 3.0 * double(rows * d());
            c.sfu_ops += double(rows * cols + 2 * rows);
        }
        return scaled(c, ctx().q_heads());
    }

private:
    std::int64_t warps_of() const { return kernel().warps; }
};

// Per query step of the backward: S, dP, dV, dK and dQ products (10 r c d), the softmax gradient.
class Fa1Backward final : public Fa1Walk {
public:
    Fa1Backward(const PlanContext& c, std::string name, bool seq_parallel)
        : Fa1Walk(c, std::move(name), fa1_backward_kernel(c.problem), 1, 1),
          m_seq_parallel(seq_parallel) {}

    std::int64_t unit_count() const override {
        return ctx().q_heads() * (m_seq_parallel ? grid().col_blocks() : 1);
    }
    CtaResources resources() const override { return backward_resources(ctx()); }
    static CtaResources backward_resources(const PlanContext& c) {
        const Fa1Kernel k = fa1_backward_kernel(c.problem);
        const std::int64_t threads = 32 * k.warps;
        // K (block_n, D) in registers, dK and dV (block_n, D) and S (16, block_n) in fp32
        const std::int64_t regs =
            fa1_registers(k.block_n * k.head_dim * 2 * (k.v_in_registers ? 2 : 1),
                          2 * k.block_n * k.head_dim + k.block_m * k.block_n, threads);
        return {threads, fa1_backward_smem_bytes(k), regs};
    }
    std::int64_t step_count(std::int64_t unit) const override {
        if (!m_seq_parallel) return walk_steps(0);
        const std::int64_t j = unit_of(ctx(), unit).z;
        return block_steps(j);
    }
    CohortKey cohort_key(std::int64_t unit) const override { return {unit, 0, 0}; }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, z] = unit_of(ctx(), unit);
        const Position at = m_seq_parallel ? Position{z, s - 1} : locate(0, s);
        const std::int64_t j = at.j, inner = at.inner;
        const std::int64_t n = query_count(j, 0), cols = grid().cols(j);
        const std::int64_t kv_tile = cols * d() * e();  // (block_n, head_dim)
        if (n == 0 || inner == n) {  // dK_j, dV_j (zeros when no query reaches block j)
            out.accesses.push_back(write(Tensor::d_k, bh, j, 0, kv_tile, k_shared));
            out.accesses.push_back(write(Tensor::d_v, bh, j, 0, kv_tile, k_shared));
            out.pipelined = false;
            return;
        }
        if (inner < 0) return load_kv(bh, j, out);
        const std::int64_t q = begin(j) + inner, rows = grid().rows(q);
        const std::int64_t q_tile = rows * d() * e(), dq_tmp = rows * d() * 4;
        for (Tensor t : {Tensor::q, Tensor::d_o})
            out.accesses.push_back(read(t, bh, q, 0, q_tile, k_shared));
        out.accesses.push_back(read(Tensor::lse, bh, q, 0, rows * k_stat, k_shared));
        const bool computes_d = !m_seq_parallel && j == 0;  // D = rowsum(dO * O), stored, read back
        if (computes_d) {
            out.accesses.push_back(read(Tensor::o, bh, q, 0, q_tile, k_shared));
            out.accesses.push_back(write(Tensor::delta, bh, q, 0, rows * k_stat, k_shared));
        }
        out.accesses.push_back(read(Tensor::delta, bh, q, 0, rows * k_stat, k_shared));
        if (m_seq_parallel) {
            out.accesses.push_back(reduce(Tensor::d_q_accum, bh, q, dq_tmp, k_shared));
        } else {
            if (j > 0) out.accesses.push_back(read(Tensor::d_q_accum, bh, q, 0, dq_tmp, k_shared));
            if (final_for(q, j))
                out.accesses.push_back(write(Tensor::d_q, bh, q, 0, q_tile, k_shared));
            else
                out.accesses.push_back(write(Tensor::d_q_accum, bh, q, 0, dq_tmp, k_shared));
        }
        out.mma_flops = 10.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_bwd_flops * double(rows * cols) + double(rows * d()) +
                         (computes_d ? 2.0 * double(rows * d()) : 0.0);
        out.sfu_ops = double(rows * cols);
        const std::int64_t w = kernel().warps, p_tile = rows * cols * e();
        out.sram_write_bytes = 2 * q_tile + 2 * p_tile + w * dq_tmp;
        out.sram_read_bytes = 2 * w * q_tile + 2 * q_tile + 2 * p_tile + w * dq_tmp +
                              (kernel().v_in_registers ? 0 : kv_tile);
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e(), tc = grid().col_blocks(), w = kernel().warps;
        for (std::int64_t j = 0; j < tc; ++j) {
            const std::int64_t b = begin(j), rows = grid().rows_from(b), cols = grid().cols(j);
            const std::int64_t kv = cols * de;
            c.write_bytes += 2 * kv;  // dK_j, dV_j
            if (rows == 0) continue;
            const bool computes_d = !m_seq_parallel && j == 0;
            c.read_bytes += 2 * kv + rows * (2 * de + 2 * k_stat) + (computes_d ? rows * de : 0);
            if (computes_d) c.write_bytes += rows * k_stat;
            if (m_seq_parallel) {
                c.reduce_bytes += rows * d() * 4;
            } else {
                std::int64_t final_rows = rows;
                if (j < tc - 1)
                    final_rows = grid().causal()
                                     ? rows_between(b, std::min(grid().row_blocks(),
                                                                (j + 1) * kernel().block_n /
                                                                    kernel().block_m))
                                     : 0;
                if (j > 0) c.read_bytes += rows * d() * 4;
                c.write_bytes += final_rows * de + (rows - final_rows) * d() * 4;
            }
            const std::int64_t p = rows * cols * e();
            c.sram_write_bytes += 2 * kv + 2 * rows * de + 2 * p + w * rows * d() * 4;
            c.sram_read_bytes += 2 * kv + 2 * w * rows * de + 2 * rows * de + 2 * p +
                                 w * rows * d() * 4 +
                                 (kernel().v_in_registers ? 0 : (grid().row_blocks() - b) * kv);
            c.mma_flops += 10.0 * double(rows * cols * d());
            c.fp32_flops += k_softmax_bwd_flops * double(rows * cols) + double(rows * d()) +
                            (computes_d ? 2.0 * double(rows * d()) : 0.0);
            c.sfu_ops += double(rows * cols);
        }
        return scaled(c, ctx().q_heads());
    }

private:
    std::int64_t block_steps(std::int64_t j) const {
        const std::int64_t n = query_count(j, 0);
        return n > 0 ? n + 2 : 1;
    }
    std::int64_t steps_of_block(std::int64_t j, std::int64_t) const override {
        return block_steps(j);
    }
    bool m_seq_parallel;
};

// The row-wise kernels around the seq-parallel backward, over 16-row query blocks.
enum class RowKernel { zero_dq_accum, convert_dq };
class Fa1RowPass final : public QueryBlockPlan {
public:
    Fa1RowPass(const PlanContext& c, std::string name, RowKernel kind)
        : QueryBlockPlan(c, std::move(name)), m_kind(kind) {}
    CtaResources resources() const override { return {128, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return 1; }
    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i);
        if (m_kind == RowKernel::convert_dq)
            out.accesses.push_back(read(Tensor::d_q_accum, bh, i, 0, rows * d() * 4, k_by_row));
        out.accesses.push_back(m_kind == RowKernel::convert_dq
                                   ? write(Tensor::d_q, bh, i, 0, rows * d() * e(), k_by_row)
                                   : write(Tensor::d_q_accum, bh, i, 0, rows * d() * 4, k_by_row));
    }
    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t rows = ctx().problem.seq_q;
        if (m_kind == RowKernel::convert_dq) {
            c.read_bytes = rows * d() * 4;
            c.write_bytes = rows * d() * e();
        } else {
            c.write_bytes = rows * d() * 4;
        }
        return scaled(c, ctx().q_heads());
    }

private:
    RowKernel m_kind;
};

// fmha_bwd_dot_do_o_kernel: grid (batch, heads, ceil(seq_q / 128)); CTA z takes the 16-row
// blocks z, z + gridDim.z, ... (compute_dot_do_o), 256 threads, no shared memory.
class Fa1DotDoO final : public PlanBase {
public:
    using PlanBase::PlanBase;
    std::int64_t unit_count() const override { return ctx().q_heads() * chunks(); }
    CtaResources resources() const override { return {256, 0, 32}; }
    std::int64_t step_count(std::int64_t unit) const override {
        const std::int64_t z = unit_of(ctx(), unit).z, tr = grid().row_blocks();
        return z < tr ? (tr - 1 - z) / chunks() + 1 : 1;
    }
    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, z] = unit_of(ctx(), unit);
        const std::int64_t q = z + s * chunks();
        if (q >= grid().row_blocks()) return;
        const std::int64_t rows = grid().rows(q);
        out.accesses.push_back(read(Tensor::d_o, bh, q, 0, rows * d() * e(), k_shared));
        out.accesses.push_back(read(Tensor::o, bh, q, 0, rows * d() * e(), k_shared));
        out.accesses.push_back(write(Tensor::delta, bh, q, 0, rows * k_stat, k_shared));
        out.fp32_flops = 2.0 * double(rows * d());
    }
    CohortKey cohort_key(std::int64_t unit) const override { return {unit, 0, 0}; }
    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t rows = ctx().problem.seq_q;
        c.read_bytes = 2 * rows * d() * e();
        c.write_bytes = rows * k_stat;
        c.fp32_flops = 2.0 * double(rows * d());
        return scaled(c, ctx().q_heads());
    }

private:
    std::int64_t chunks() const { return ceil_div(ctx().problem.seq_q, 128); }
};

std::int64_t ctas_per_sm(const PlanContext& c, const std::string& name, const CtaResources& r) {
    if (c.gpu.sm_count <= 0)
        throw std::logic_error("flash1_released needs the GPU in its PlanContext");
    return occupancy_of(c.gpu, name, r).ctas_per_sm;
}

class Flash1ReleasedSchedule final : public Schedule {
public:
    using Schedule::Schedule;

    // The kernels fix their tile: 16 query rows by 128 or 256 keys (Fa1Kernel).
    TileConfig default_blocks(const GpuSpec&, const AttentionProblem& p) const override {
        check_fa1_problem(p);
        const Fa1Kernel k = fa1_forward_kernel(p);
        return {k.block_m, k.block_n, 0, 0};
    }
    std::int64_t default_warps(const TileConfig&, const AttentionProblem&) const override {
        return 4;
    }
    std::int64_t deepest_stages() const override { return 2; }  // Smem_tile_q: 2 buffers
    void check_problem(const AttentionProblem& p) const override { check_fa1_problem(p); }
    void check_tile(const TileConfig& tile, const AttentionProblem&) const override {
        if (tile.block_m != 16)
            throw ConfigError("block_m", std::to_string(tile.block_m),
                              "FlashAttention 1.x steps 16 query rows");
    }

    KernelPlans forward(const PlanContext& c) const override {
        check_fa1_problem(c.problem);
        const std::string name = kernel_name("fwd");
        const std::int64_t per_sm = ctas_per_sm(c, name, Fa1Forward::forward_resources(c));
        const int splits = fa1_forward_splits(int(c.q_heads()), int(c.gpu.sm_count), int(per_sm));
        KernelPlans plans;
        plans.push_back(std::make_unique<Fa1Forward>(c, name, splits));
        return plans;
    }

    KernelPlans backward(const PlanContext& c) const override {
        check_fa1_problem(c.problem);
        const Fa1Kernel k = fa1_backward_kernel(c.problem);
        const std::int64_t per_sm =
            ctas_per_sm(c, kernel_name("bwd"), Fa1Backward::backward_resources(c));
        const int splits =
            fa1_backward_splits(int(c.q_heads()), int(c.gpu.sm_count), int(per_sm),
                                c.grid.col_blocks() * k.block_n, k.block_n, c.problem.causal);
        KernelPlans plans;
        if (splits == 1) {
            plans.push_back(std::make_unique<Fa1Backward>(c, kernel_name("bwd"), false));
            return plans;
        }
        plans.push_back(std::make_unique<Fa1RowPass>(c, kernel_name("bwd_zero_dq_accum"),
                                                     RowKernel::zero_dq_accum));
        plans.push_back(std::make_unique<Fa1DotDoO>(c, kernel_name("bwd_dot_do_o")));
        plans.push_back(std::make_unique<Fa1Backward>(c, kernel_name("bwd_seq_parallel"), true));
        plans.push_back(
            std::make_unique<Fa1RowPass>(c, kernel_name("bwd_convert_dq"), RowKernel::convert_dq));
        return plans;
    }

    // Forward: Q, K, V, O, the fp32 logsumexp and, when it loops over K/V blocks, o_tmp (fp32).
    // Backward: + dO, dQ, dK, dV, D (fp32 per row) and dq_tmp (fp32) when it loops or splits.
    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        const Count stats = c.q_stat_bytes();
        const Count fp32_rows = Count(c.q_heads()) * c.problem.seq_q * c.d() * 4;
        const bool loops = c.grid.col_blocks() > 1;
        const Count tensors = 2 * c.q_bytes() + 2 * c.kv_bytes() + stats;
        const Count fwd = tensors + (loops ? fp32_rows : Count(0));
        if (pass == Pass::fwd) return fwd;
        const Count bwd =
            tensors + 2 * c.q_bytes() + 2 * c.kv_bytes() + stats + (loops ? fp32_rows : Count(0));
        return pass == Pass::bwd ? bwd : std::max(fwd, bwd);
    }
};

}  // namespace

std::unique_ptr<Schedule> make_flash1_released_schedule(Algorithm algorithm) {
    return std::make_unique<Flash1ReleasedSchedule>(algorithm);
}

}  // namespace flashscope::sim::detail
