// FlashAttention (Dao et al. 2022), Algorithms 1 and 4 as written in the paper: one CTA per
// (batch, head); the outer loop walks K/V blocks, the inner loop Q blocks, and O, l, m (forward)
// or dQ (backward) are read from and written back to HBM at every inner step. The forward keeps
// the running O in fp32 between K/V blocks, as kernels/src/flash1_fwd_kernel.cuh does and
// FlashAttention-1's own kernels did (their o_tmp, flash1_released.cpp): a 16-bit O rounded at
// every step would lose the precision the algorithm promises. The first K/V block starts from
// zero (nothing to read, no initialising pass), and a Q block's last one writes O in the dtype
// and the logsumexp.
#include <algorithm>
#include <vector>

#include "flash_tile_policy.hpp"
#include "gqa_reduce.hpp"
#include "plan_base.hpp"
#include "register_estimate.hpp"
#include "warp_mix.hpp"

namespace flashscope::sim::detail {
namespace {

// Step layout shared by both passes: [init] then, per key block j, [load K_j V_j] [one step per
// visible query block] [tail steps].
class Flash1Plan : public PlanBase {
public:
    Flash1Plan(const PlanContext& c, std::string name, std::int64_t tail_steps)
        : PlanBase(c, std::move(name)), m_tail(tail_steps) {
        m_offsets.reserve(grid().col_blocks() + 1);
        std::int64_t s = 1;
        for (std::int64_t j = 0; j < grid().col_blocks(); ++j) {
            m_offsets.push_back(s);
            s += 1 + inner_count(j) + m_tail;
        }
        m_offsets.push_back(s);
    }

    std::int64_t unit_count() const override { return ctx().q_heads(); }
    std::int64_t step_count(std::int64_t) const override { return m_offsets.back(); }
    CohortKey cohort_key(std::int64_t unit) const override { return {unit, 0, 0}; }

protected:
    std::int64_t inner_count(std::int64_t j) const {
        return grid().row_blocks() - grid().first_visible_row(j);
    }
    struct Position {
        std::int64_t j;
        std::int64_t inner;  // -1: the K/V load step; inner_count(j)..: tail steps
    };
    Position locate(std::int64_t s) const {
        const auto it = std::upper_bound(m_offsets.begin(), m_offsets.end(), s) - 1;
        const std::int64_t j = it - m_offsets.begin();
        return {j, s - *it - 1};
    }
    void load_kv(std::int64_t bh, std::int64_t j, Step& out) const {
        const std::int64_t kv_tile = grid().cols(j) * d() * e();  // (block_n, head_dim)
        out.accesses.push_back(read(Tensor::k, ctx().kv_head_of(bh), j, 0, kv_tile, k_shared));
        out.accesses.push_back(read(Tensor::v, ctx().kv_head_of(bh), j, 0, kv_tile, k_shared));
        out.sram_write_bytes = 2 * kv_tile;
        out.pipelined = false;
    }

private:
    std::vector<std::int64_t> m_offsets;  // first step of each key block, then the total
    std::int64_t m_tail;
};

class Flash1Forward final : public Flash1Plan {
public:
    Flash1Forward(const PlanContext& c, std::string name) : Flash1Plan(c, std::move(name), 0) {}

    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // K, V (block_n, d) once per key block + stages x Q (block_m, d), as
        // kernels/src/flash1_fwd_kernel.cuh lays them out (O, l, m live in registers)
        const std::int64_t sram = (2 * bn + ctx().tile.stages * bm) * d() * e();
        return forward_registers(d(), bm, bn, warps(), k_flash1_fwd_addressing)
            .resources(threads(), sram);
    }

    void step(std::int64_t bh, std::int64_t s, Step& out) const override {
        if (s == 0) {  // the running state starts in registers; rows that see no key get O = 0
            for (std::int64_t i = 0; i < grid().row_blocks() && grid().visible_cols(i) == 0; ++i) {
                out.accesses.push_back(
                    write(Tensor::o, bh, i, 0, grid().rows(i) * d() * e(), k_shared));
                out.accesses.push_back(write(Tensor::lse, bh, i, 0, grid().rows(i) * 4, k_shared));
            }
            return;
        }
        const auto [j, inner] = locate(s);
        if (inner < 0) return load_kv(bh, j, out);
        const std::int64_t i = grid().first_visible_row(j) + inner;
        const std::int64_t rows = grid().rows(i), cols = grid().cols(j);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        out.accesses.push_back(read(Tensor::q, bh, i, 0, q_tile, k_shared));
        if (j > 0) {  // the running O (fp32), max and sum, straight into registers
            out.accesses.push_back(read(Tensor::o_accum, bh, i, 0, rows * d() * 4, k_shared));
            for (Tensor t : {Tensor::row_max, Tensor::row_sum})
                out.accesses.push_back(read(t, bh, i, 0, rows * 4, k_shared));
        }
        if (j == grid().visible_cols(i) - 1) {
            out.accesses.push_back(write(Tensor::o, bh, i, 0, q_tile, k_shared));
            out.accesses.push_back(write(Tensor::lse, bh, i, 0, rows * 4, k_shared));
        } else {
            out.accesses.push_back(write(Tensor::o_accum, bh, i, 0, rows * d() * 4, k_shared));
            for (Tensor t : {Tensor::row_max, Tensor::row_sum})
                out.accesses.push_back(write(t, bh, i, 0, rows * 4, k_shared));
        }
        out.mma_flops = 4.0 * double(rows * cols * d());
        // softmax, then O = diag(l_new)^-1 (diag(l) e^(m - m_new) O + e^(m~ - m_new) P V)
        out.fp32_flops = k_softmax_fwd_flops * double(rows * cols) + 3.0 * double(rows * d());
        out.sfu_ops = double(rows * cols + 2 * rows);
        // Q through shared memory (read once by the warps owning its rows); K and V by every warp
        out.sram_write_bytes = q_tile;
        out.sram_read_bytes = q_tile + warps() * 2 * cols * d() * e();
        out.pipelined = false;  // the next step's loads wait for this step's stores to O
        const WarpTile tile{
            grid().block_m() / warps(), grid().block_m(), grid().block_n(), d(), warps(), e()};
        const std::int64_t first_key_after = (j + 1) * grid().block_n();
        const bool masked =
            first_key_after > grid().seq_k() ||
            (grid().causal() &&
             first_key_after - 1 > i * grid().block_m() + grid().seq_k() - grid().seq_q());
        InstructionMix& mix = out.build_mix();
        mix = forward_step_mix(tile, masked, double(q_tile));
        add_running_output_io(mix, tile);
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e(), state = d() * 4 + 8;  // fp32 O row, max and sum
        // Queries whose last visible K/V block is j: they write O and the logsumexp there.
        // Rows that see no key write O = 0 and their logsumexp up front.
        std::vector<std::int64_t> finishing(static_cast<std::size_t>(grid().col_blocks()), 0);
        for (std::int64_t i = 0; i < grid().row_blocks(); ++i) {
            if (grid().visible_cols(i) > 0)
                finishing[static_cast<std::size_t>(grid().visible_cols(i) - 1)] += grid().rows(i);
            else
                c.write_bytes += grid().rows(i) * (de + 4);
        }
        for (std::int64_t j = 0; j < grid().col_blocks(); ++j) {
            const std::int64_t cols = grid().cols(j);
            const std::int64_t queries = grid().rows_from(grid().first_visible_row(j));
            const std::int64_t done = finishing[static_cast<std::size_t>(j)];
            c.read_bytes += 2 * cols * de + queries * de + (j > 0 ? queries * state : 0);
            c.write_bytes += done * (de + 4) + (queries - done) * state;
            c.sram_write_bytes += 2 * cols * de + queries * de;
            c.sram_read_bytes += queries * de + inner_count(j) * warps() * 2 * cols * de;
            c.mma_flops += 4.0 * double(queries * cols * d());
            c.fp32_flops +=
                k_softmax_fwd_flops * double(queries * cols) + 3.0 * double(queries * d());
            c.sfu_ops += double(queries * cols + 2 * queries);
        }
        return scaled(c, ctx().q_heads());
    }
};

class Flash1Backward final : public Flash1Plan {
public:
    Flash1Backward(const PlanContext& c, std::string name) : Flash1Plan(c, std::move(name), 1) {}

    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // K, V (block_n, d) + stages x [Q, O, dO, dQ (block_m, d)] + dS (block_m, block_n)
        const std::int64_t sram =
            (2 * bn + ctx().tile.stages * 4 * bm) * d() * e() + bm * bn * e() + 8 * bm;
        // No flash1 backward kernel is built; its loop holds what flash2's does.
        return backward_registers(d(), bm, bn, warps(), k_backward_addressing)
            .resources(threads(), sram);
    }

    void step(std::int64_t bh, std::int64_t s, Step& out) const override {
        if (s == 0) {  // Algorithm 4: dQ = 0 in HBM
            for (std::int64_t i = 0; i < grid().row_blocks(); ++i)
                out.accesses.push_back(
                    write(Tensor::d_q, bh, i, 0, grid().rows(i) * d() * e(), k_shared));
            out.pipelined = false;
            return;
        }
        const auto [j, inner] = locate(s);
        if (inner < 0) return load_kv(bh, j, out);
        const std::int64_t cols = grid().cols(j);
        const std::int64_t kv_tile = cols * d() * e();  // (block_n, head_dim)
        if (inner == inner_count(j)) {                  // write dK_j, dV_j
            out.accesses.push_back(store_dk(ctx(), Tensor::d_k_expanded, bh, j, kv_tile, k_shared));
            out.accesses.push_back(store_dk(ctx(), Tensor::d_v_expanded, bh, j, kv_tile, k_shared));
            out.fp32_flops = double(cols * d());
            out.pipelined = false;
            return;
        }
        const std::int64_t i = grid().first_visible_row(j) + inner;
        const std::int64_t rows = grid().rows(i);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        for (Tensor t : {Tensor::q, Tensor::o, Tensor::d_o, Tensor::d_q})
            out.accesses.push_back(read(t, bh, i, 0, q_tile, k_shared));
        for (Tensor t : {Tensor::row_max, Tensor::row_sum})
            out.accesses.push_back(read(t, bh, i, 0, rows * 4, k_shared));
        out.accesses.push_back(write(Tensor::d_q, bh, i, 0, q_tile, k_shared));
        out.mma_flops = 10.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_bwd_flops * double(rows * cols) + 2.0 * double(rows * d());
        out.sfu_ops = double(rows * cols);
        out.sram_write_bytes = 4 * q_tile + 8 * rows + rows * cols * e();
        out.sram_read_bytes =
            warps() * 2 * q_tile + 2 * q_tile + 2 * rows * cols * e() + 2 * kv_tile;
        out.pipelined = false;
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e(), nq = ctx().problem.seq_q;
        c.write_bytes = nq * de;
        for (std::int64_t j = 0; j < grid().col_blocks(); ++j) {
            const std::int64_t cols = grid().cols(j);
            const std::int64_t queries = grid().rows_from(grid().first_visible_row(j));
            c.read_bytes += 2 * cols * de + queries * (4 * de + 8);
            c.write_bytes += queries * de + 2 * cols * de;
            c.mma_flops += 10.0 * double(queries * cols * d());
            c.fp32_flops += k_softmax_bwd_flops * double(queries * cols) +
                            2.0 * double(queries * d()) + double(cols * d());
            c.sfu_ops += double(queries * cols);
            c.sram_write_bytes += 2 * cols * de + queries * (4 * de + 8 + cols * e());
            c.sram_read_bytes += queries * (warps() * 2 * de + 2 * de + 2 * cols * e()) +
                                 inner_count(j) * 2 * cols * de;
        }
        return scaled(c, ctx().q_heads());
    }
};

class Flash1Schedule final : public FlashTilePolicy {
public:
    using FlashTilePolicy::FlashTilePolicy;
    KernelPlans forward(const PlanContext& c) const override {
        KernelPlans plans;
        plans.push_back(std::make_unique<Flash1Forward>(c, kernel_name("fwd")));
        return plans;
    }
    KernelPlans backward(const PlanContext& c) const override {
        KernelPlans plans;
        plans.push_back(std::make_unique<Flash1Backward>(c, kernel_name("bwd")));
        if (c.gqa()) plans.push_back(make_gqa_reduce(c, kernel_name("bwd_dkv_reduce")));
        return plans;
    }
    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        // Q, K, V, O and the statistics l and m
        const Count fwd = 2 * c.q_bytes() + 2 * c.kv_bytes() + 2 * c.q_stat_bytes();
        if (pass == Pass::fwd) return fwd;
        // + dO, dQ, dK, dV
        return fwd + 2 * c.q_bytes() + 2 * c.kv_bytes() + expanded_dkv_bytes(c);
    }
};

}  // namespace

std::unique_ptr<Schedule> make_flash1_schedule(Algorithm algorithm) {
    return std::make_unique<Flash1Schedule>(algorithm);
}

}  // namespace flashscope::sim::detail
