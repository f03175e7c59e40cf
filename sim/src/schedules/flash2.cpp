// FlashAttention-2 (Dao 2023): one CTA per (query block, head); the CTA keeps its Q block and
// O accumulator on chip and streams K/V blocks, so O is written exactly once. The backward
// pass runs one CTA per (key block, head), recomputes S and P from Q, K and the saved
// logsumexp, and accumulates dQ with fp32 reductions in L2.
#include "flash_row_kernels.hpp"
#include "flash_tile_policy.hpp"
#include "gqa_reduce.hpp"
#include "plan_base.hpp"
#include "register_estimate.hpp"
#include "warp_mix.hpp"

namespace flashscope::sim::detail {
namespace {

class Flash2Forward final : public PlanBase {
public:
    Flash2Forward(const PlanContext& c, std::string name) : PlanBase(c, std::move(name)) {
        // The mixes every CTA repeats, built once and labelled for the engine's memo.
        const double kv_block = double(2 * grid().block_n() * d() * e());
        const double q_block = double(grid().block_m() * d() * e());
        m_mix = {prologue_mix(warp_tile(), q_block), forward_epilogue_mix(warp_tile()),
                 forward_step_mix(warp_tile(), false, kv_block),
                 forward_step_mix(warp_tile(), true, kv_block)};
        for (std::size_t k = 0; k < m_mix.size(); ++k) m_mix[k].id = static_cast<int>(k);
    }

    std::int64_t unit_count() const override { return ctx().q_heads() * grid().row_blocks(); }
    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // Q (block_m, d) + stages x [K (block_n, d) + V (block_n, d)]
        const std::int64_t sram = (bm + 2 * ctx().tile.stages * bn) * d() * e();
        return forward_registers(d(), bm, bn, warps(), k_flash2_fwd_addressing)
            .resources(threads(), sram);
    }
    std::int64_t step_count(std::int64_t unit) const override {
        return grid().visible_cols(split_unit(unit, grid().row_blocks()).block) + 2;
    }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i), jc = grid().visible_cols(i);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        if (s == 0) {                                  // prologue: Q block into SRAM
            out.accesses.push_back(read(Tensor::q, bh, i, 0, q_tile, k_by_row));
            out.sram_write_bytes = q_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[0];
            return;
        }
        if (s == jc + 1) {  // epilogue: O staged through SRAM, logsumexp
            out.accesses.push_back(write(Tensor::o, bh, i, 0, q_tile, k_by_row));
            out.accesses.push_back(write(Tensor::lse, bh, i, 0, rows * 4, k_by_row));
            out.fp32_flops = double(rows * d());
            out.sram_write_bytes = out.sram_read_bytes = q_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[1];
            return;
        }
        const std::int64_t j = s - 1, cols = grid().cols(j);
        const std::int64_t kv_tile = cols * d() * e();  // (block_n, head_dim)
        const std::int64_t kvh = ctx().kv_head_of(bh);
        out.accesses.push_back(read(Tensor::k, kvh, j, 0, kv_tile, k_shared));
        out.accesses.push_back(read(Tensor::v, kvh, j, 0, kv_tile, k_shared));
        out.mma_flops = 4.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_fwd_flops * double(rows * cols) + double(rows * d());
        out.sfu_ops = double(rows * cols + rows);
        out.sram_write_bytes = 2 * kv_tile;
        // Every warp owns block_m / warps query rows and reads the whole K and V tiles.
        out.sram_read_bytes = q_tile + warps() * 2 * kv_tile;
        out.pipelined = ctx().tile.stages > 1;
        // The block crosses the end of the keys or the causal diagonal of the Q block's first row.
        const std::int64_t first_key_after = (j + 1) * grid().block_n();
        const bool masked =
            first_key_after > grid().seq_k() ||
            (grid().causal() &&
             first_key_after - 1 > i * grid().block_m() + grid().seq_k() - grid().seq_q());
        if (cols == grid().block_n())
            out.warp_mix = &m_mix[masked ? 3 : 2];
        else
            out.build_mix() = forward_step_mix(warp_tile(), masked, double(2 * kv_tile));
    }

    // The unmasked full K/V blocks before the diagonal run alike: only K_j and V_j move on.
    std::int64_t step_run(std::int64_t unit, std::int64_t s) const override {
        const std::int64_t i = split_unit(unit, grid().row_blocks()).block;
        const std::int64_t jc = grid().visible_cols(i), j = s - 1;
        if (s < 1 || s > jc) return 1;
        // Block j is unmasked (and whole) while (j + 1) * block_n <= limit (see step()).
        std::int64_t limit = grid().seq_k();
        if (grid().causal())
            limit = std::min(limit, i * grid().block_m() + grid().seq_k() - grid().seq_q() + 1);
        const std::int64_t unmasked = limit > 0 ? limit / grid().block_n() : 0;
        return j < unmasked ? std::min(unmasked, jc) - j : 1;
    }

    // What each warp computes: block_m / warps query rows against a full K/V block.
    WarpTile warp_tile() const {
        return {grid().block_m() / warps(), grid().block_m(), grid().block_n(), d(), warps(), e()};
    }

private:
    std::array<InstructionMix, 4> m_mix;  // prologue, epilogue, block, masked block

    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        return row_cohort(bh, i, grid().rows(i) < grid().block_m(), grid().visible_cols(i));
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e();
        for (std::int64_t i = 0; i < grid().row_blocks(); ++i) {
            const std::int64_t rows = grid().rows(i), jc = grid().visible_cols(i);
            const std::int64_t keys = grid().cols_before(jc);
            c.read_bytes += rows * de + 2 * keys * de;
            c.write_bytes += rows * de + rows * 4;
            c.sram_write_bytes += 2 * rows * de + 2 * keys * de;
            c.sram_read_bytes += (jc + 1) * rows * de + warps() * 2 * keys * de;
            c.mma_flops += 4.0 * double(rows * keys * d());
            c.fp32_flops +=
                k_softmax_fwd_flops * double(rows * keys) + double((jc + 1) * rows * d());
            c.sfu_ops += double(rows * keys + jc * rows);
        }
        return scaled(c, ctx().q_heads());
    }
};

class Flash2Backward final : public PlanBase {
public:
    Flash2Backward(const PlanContext& c, std::string name) : PlanBase(c, std::move(name)) {
        const WarpTile t{
            grid().block_n() / warps(), grid().block_m(), grid().block_n(), d(), warps(), e()};
        const double kv_blocks = double(2 * grid().block_n() * d() * e());  // K and V in
        m_mix = {backward_step_mix(t, false), backward_step_mix(t, true),
                 prologue_mix(t, kv_blocks), backward_epilogue_mix(t)};
        for (std::size_t k = 0; k < m_mix.size(); ++k) m_mix[k].id = static_cast<int>(k);
    }

    std::int64_t unit_count() const override { return ctx().q_heads() * grid().col_blocks(); }
    CtaResources resources() const override {
        const std::int64_t bm = grid().block_m(), bn = grid().block_n();
        // K, V (block_n, d) resident; stages x [Q, dO (block_m, d) + LSE, D]; dS (block_m, block_n)
        const std::int64_t sram =
            2 * bn * d() * e() + ctx().tile.stages * (2 * bm * d() * e() + 8 * bm) + bm * bn * e();
        return backward_registers(d(), bm, bn, warps(), k_backward_addressing)
            .resources(threads(), sram);
    }
    std::int64_t step_count(std::int64_t unit) const override {
        const std::int64_t j = split_unit(unit, grid().col_blocks()).block;
        return grid().row_blocks() - grid().first_visible_row(j) + 2;
    }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        const std::int64_t cols = grid().cols(j), i0 = grid().first_visible_row(j);
        const std::int64_t kv_tile = cols * d() * e();  // (block_n, head_dim)
        const std::int64_t last = grid().row_blocks() - i0 + 1;
        if (s == 0) {
            const std::int64_t kvh = ctx().kv_head_of(bh);
            out.accesses.push_back(read(Tensor::k, kvh, j, 0, kv_tile, k_by_row));
            out.accesses.push_back(read(Tensor::v, kvh, j, 0, kv_tile, k_by_row));
            out.sram_write_bytes = 2 * kv_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[2];
            return;
        }
        if (s == last) {
            out.accesses.push_back(store_dk(ctx(), Tensor::d_k_expanded, bh, j, kv_tile, k_by_row));
            out.accesses.push_back(store_dk(ctx(), Tensor::d_v_expanded, bh, j, kv_tile, k_by_row));
            out.fp32_flops = double(cols * d());  // dK *= scale
            out.pipelined = false;
            out.warp_mix = &m_mix[3];
            return;
        }
        const std::int64_t i = i0 + s - 1, rows = grid().rows(i);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        out.accesses.push_back(read(Tensor::q, bh, i, 0, q_tile, k_shared));
        out.accesses.push_back(read(Tensor::d_o, bh, i, 0, q_tile, k_shared));
        out.accesses.push_back(read(Tensor::lse, bh, i, 0, rows * 4, k_shared));
        out.accesses.push_back(read(Tensor::delta, bh, i, 0, rows * 4, k_shared));
        out.accesses.push_back(reduce(Tensor::d_q_accum, bh, i, rows * d() * 4, k_shared));
        // S = QK^T, dV += P^T dO, dP = dO V^T, dK += dS^T Q, dQ_i = dS K: five GEMMs
        out.mma_flops = 10.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_bwd_flops * double(rows * cols);
        out.sfu_ops = double(rows * cols);
        out.sram_write_bytes = 2 * q_tile + 8 * rows + rows * cols * e();
        // Warps split the key block, so each reads all of Q and dO (twice).
        out.sram_read_bytes =
            backward_step_sram_read(grid().block_m(), grid().block_n(), d(), e(), warps());
        out.pipelined = ctx().tile.stages > 1;
        // Each warp owns block_n / warps key rows; the Q block is masked where it crosses the
        // diagonal of the key block's first key or the end of the queries.
        const bool masked =
            (i + 1) * grid().block_m() > grid().seq_q() ||
            (grid().causal() && j * grid().block_n() + grid().block_n() - 1 >
                                    i * grid().block_m() + grid().seq_k() - grid().seq_q());
        out.warp_mix = &m_mix[masked ? 1 : 0];
    }

    // The unmasked whole Q blocks below the diagonal run alike: only their row moves on.
    std::int64_t step_run(std::int64_t unit, std::int64_t s) const override {
        const std::int64_t j = split_unit(unit, grid().col_blocks()).block;
        const std::int64_t i0 = grid().first_visible_row(j), i = i0 + s - 1;
        if (s < 1 || s > grid().row_blocks() - i0) return 1;
        // Row block i is unmasked while it is whole and, with a causal mask, past the diagonal
        // of the key block's last key (see step()); the diagonal condition holds for every
        // later row block once it holds.
        const std::int64_t whole = grid().seq_q() / grid().block_m();
        const bool masked =
            i >= whole ||
            (grid().causal() && j * grid().block_n() + grid().block_n() - 1 >
                                    i * grid().block_m() + grid().seq_k() - grid().seq_q());
        return masked ? 1 : whole - i;
    }

    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, j] = split_unit(unit, grid().col_blocks());
        return row_cohort(bh, j, grid().cols(j) < grid().block_n(), step_count(unit));
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e();
        for (std::int64_t j = 0; j < grid().col_blocks(); ++j) {
            const std::int64_t cols = grid().cols(j), i0 = grid().first_visible_row(j);
            const std::int64_t queries = grid().rows_from(i0), steps = grid().row_blocks() - i0;
            c.read_bytes += 2 * cols * de + queries * (2 * de + 8);
            c.reduce_bytes += queries * d() * 4;
            c.write_bytes += 2 * cols * de;
            c.mma_flops += 10.0 * double(queries * cols * d());
            c.fp32_flops += k_softmax_bwd_flops * double(queries * cols) + double(cols * d());
            c.sfu_ops += double(queries * cols);
            c.sram_write_bytes += 2 * cols * de + queries * (2 * de + 8 + cols * e());
            c.sram_read_bytes += steps * backward_step_sram_read(grid().block_m(), grid().block_n(),
                                                                 d(), e(), warps());
        }
        return scaled(c, ctx().q_heads());
    }

private:
    std::array<InstructionMix, 4> m_mix;  // a Q block, a masked Q block, prologue, epilogue
};

class Flash2Schedule final : public FlashTilePolicy {
public:
    using FlashTilePolicy::FlashTilePolicy;
    KernelPlans forward(const PlanContext& c) const override {
        KernelPlans plans;
        plans.push_back(std::make_unique<Flash2Forward>(c, kernel_name("fwd")));
        return plans;
    }
    KernelPlans backward(const PlanContext& c) const override {
        return backward_with_row_kernels<Flash2Backward>(
            c, [this](std::string_view role) { return kernel_name(role); });
    }
    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        return flash_footprint_bytes(c, pass);
    }
};

}  // namespace

std::unique_ptr<Schedule> make_flash2_schedule(Algorithm algorithm) {
    return std::make_unique<Flash2Schedule>(algorithm);
}

}  // namespace flashscope::sim::detail
