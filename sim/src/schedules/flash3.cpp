// FlashAttention-3 (Shah, Bikshandi, Zhang, Thakkar, Ramani, Dao 2024) on Hopper:
// FlashAttention-2's work split (one CTA per query block forward, per key block backward) run by a
// warp-specialized CTA. A producer warp's one thread loads tiles with TMA into a two-stage ring of
// shared-memory buffers (no register staging, no LSU instructions: the copy engine moves the
// bytes); consumer warpgroups run the GEMMs as asynchronous wgmma and the softmax, take turns at
// the tensor cores (ping-pong) and overlap each block's softmax with their own GEMMs. O leaves
// through shared memory by a TMA store; the backward's dQ is reduced into the fp32 accumulator by
// TMA reduce-add.
#include <algorithm>
#include <cmath>
#include <tuple>
#include <vector>

#include "flash3_cta.hpp"
#include "flash3_mix.hpp"
#include "flash_row_kernels.hpp"
#include "flash_tile_policy.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_rules.hpp"
#include "gqa_reduce.hpp"
#include "plan_base.hpp"

namespace flashscope::sim::detail {
namespace {

// The warp-specialized CTA of a flash3 kernel: its threads, registers and shared memory.
CtaResources flash3_cta(const Flash3Warps& w, std::int64_t sram) {
    CtaResources r;
    r.threads = w.threads();
    r.sram_bytes = sram;
    r.registers_per_thread = w.launch_registers();
    r.issuing_warps = w.consumer_warps();
    return r;
}

class Flash3Forward final : public PlanBase {
public:
    Flash3Forward(const PlanContext& c, std::string name)
        : PlanBase(c, std::move(name)), m_warps(flash3_warps(warps())) {
        const Flash3ForwardRegisters regs =
            flash3_forward_registers(d(), grid().block_n(), m_warps);
        m_tile = {grid().block_m(),
                  grid().block_n(),
                  d(),
                  m_warps.consumer_warpgroups,
                  e(),
                  regs.p_in_registers,
                  flash3_ping_pong(m_warps.consumer_warpgroups, d())};
        m_mix = {flash3_prologue_mix(),
                 flash3_forward_epilogue_mix(m_tile),
                 flash3_forward_step_mix(m_tile, false, false),
                 flash3_forward_step_mix(m_tile, false, true),
                 flash3_forward_step_mix(m_tile, true, false),
                 flash3_forward_step_mix(m_tile, true, true)};
        for (std::size_t k = 0; k < m_mix.size(); ++k) m_mix[k].id = static_cast<int>(k);
    }

    bool uses_wgmma() const override { return true; }
    std::int64_t unit_count() const override { return ctx().q_heads() * grid().row_blocks(); }
    CtaResources resources() const override {
        return flash3_cta(
            m_warps, flash3_forward_sram(d(), grid().block_m(), grid().block_n(), ctx().tile.stages,
                                         e(), m_tile.p_in_registers));
    }
    std::int64_t step_count(std::int64_t unit) const override {
        return grid().visible_cols(split_unit(unit, grid().row_blocks()).block) + 2;
    }

    void step(std::int64_t unit, std::int64_t s, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i), jc = grid().visible_cols(i);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        if (s == 0) {                                  // prologue: Q by TMA into shared memory
            out.accesses.push_back(read(Tensor::q, bh, i, 0, q_tile, k_by_row));
            out.sram_write_bytes = q_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[0];
            return;
        }
        if (s == jc + 1) {  // epilogue: the last PV, O staged in shared memory, TMA store
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
        // TMA writes K and V; wgmma reads them from shared memory once per consumer warpgroup,
        // Q once (each warpgroup its rows), P when it is not in registers (written, then read).
        const std::int64_t p_tile = m_tile.p_in_registers ? 0 : rows * cols * e();
        out.sram_write_bytes = 2 * kv_tile + p_tile;
        out.sram_read_bytes = q_tile + 2 * m_warps.consumer_warpgroups * kv_tile + p_tile;
        out.pipelined = ctx().tile.stages > 1;
        const std::int64_t first_key_after = (j + 1) * grid().block_n();
        const bool masked =
            first_key_after > grid().seq_k() ||
            (grid().causal() &&
             first_key_after - 1 > i * grid().block_m() + grid().seq_k() - grid().seq_q());
        const std::size_t first = j == 0 ? 2 : 0;
        if (cols == grid().block_n())
            out.warp_mix = &m_mix[2 + first + (masked ? 1 : 0)];
        else
            out.build_mix() = flash3_forward_step_mix(m_tile, j == 0, masked);
    }

    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        return row_cohort(bh, i, grid().rows(i) < grid().block_m(), grid().visible_cols(i));
    }

    KernelCounts closed_form() const override {
        KernelCounts c;
        const std::int64_t de = d() * e(), g = m_warps.consumer_warpgroups;
        for (std::int64_t i = 0; i < grid().row_blocks(); ++i) {
            const std::int64_t rows = grid().rows(i), jc = grid().visible_cols(i);
            const std::int64_t keys = grid().cols_before(jc);
            const std::int64_t p = m_tile.p_in_registers ? 0 : rows * keys * e();
            c.read_bytes += rows * de + 2 * keys * de;
            c.write_bytes += rows * de + rows * 4;
            c.sram_write_bytes += 2 * rows * de + 2 * keys * de + p;
            c.sram_read_bytes += (jc + 1) * rows * de + 2 * g * keys * de + p;
            c.mma_flops += 4.0 * double(rows * keys * d());
            c.fp32_flops +=
                k_softmax_fwd_flops * double(rows * keys) + double((jc + 1) * rows * d());
            c.sfu_ops += double(rows * keys + jc * rows);
        }
        return scaled(c, ctx().q_heads());
    }

private:
    Flash3Warps m_warps;
    Flash3Tile m_tile{};
    // prologue, epilogue, block, masked block, first block, masked first block
    std::array<InstructionMix, 6> m_mix;
};

class Flash3Backward final : public PlanBase {
public:
    Flash3Backward(const PlanContext& c, std::string name)
        : PlanBase(c, std::move(name)), m_warps(flash3_warps(warps())) {
        m_tile = {
            grid().block_m(), grid().block_n(), d(), m_warps.consumer_warpgroups, e(), true, false};
        m_mix = {flash3_prologue_mix(), flash3_backward_epilogue_mix(m_tile),
                 flash3_backward_step_mix(m_tile, false), flash3_backward_step_mix(m_tile, true)};
        for (std::size_t k = 0; k < m_mix.size(); ++k) m_mix[k].id = static_cast<int>(k);
    }

    bool uses_wgmma() const override { return true; }
    std::int64_t unit_count() const override { return ctx().q_heads() * grid().col_blocks(); }
    CtaResources resources() const override {
        return flash3_cta(m_warps, flash3_backward_sram(d(), grid().block_m(), grid().block_n(),
                                                        ctx().tile.stages, e()));
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
        if (s == 0) {  // K and V by TMA, resident for the whole loop
            const std::int64_t kvh = ctx().kv_head_of(bh);
            out.accesses.push_back(read(Tensor::k, kvh, j, 0, kv_tile, k_by_row));
            out.accesses.push_back(read(Tensor::v, kvh, j, 0, kv_tile, k_by_row));
            out.sram_write_bytes = 2 * kv_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[0];
            return;
        }
        if (s == last) {  // dK, dV staged in shared memory, TMA stores
            out.accesses.push_back(store_dk(ctx(), Tensor::d_k_expanded, bh, j, kv_tile, k_by_row));
            out.accesses.push_back(store_dk(ctx(), Tensor::d_v_expanded, bh, j, kv_tile, k_by_row));
            out.fp32_flops = double(cols * d());  // dK *= scale
            out.sram_write_bytes = out.sram_read_bytes = 2 * kv_tile;
            out.pipelined = false;
            out.warp_mix = &m_mix[1];
            return;
        }
        const std::int64_t i = i0 + s - 1, rows = grid().rows(i);
        const std::int64_t q_tile = rows * d() * e();  // (block_m, head_dim)
        out.accesses.push_back(read(Tensor::q, bh, i, 0, q_tile, k_shared));
        out.accesses.push_back(read(Tensor::d_o, bh, i, 0, q_tile, k_shared));
        out.accesses.push_back(read(Tensor::lse, bh, i, 0, rows * 4, k_shared));
        out.accesses.push_back(read(Tensor::delta, bh, i, 0, rows * 4, k_shared));
        out.accesses.push_back(reduce(Tensor::d_q_accum, bh, i, rows * d() * 4, k_shared));
        out.mma_flops = 10.0 * double(rows * cols * d());
        out.fp32_flops = k_softmax_bwd_flops * double(rows * cols);
        out.sfu_ops = double(rows * cols);
        out.sram_write_bytes = step_sram_write(rows, cols);
        out.sram_read_bytes = step_sram_read(rows, cols, 1);
        out.pipelined = ctx().tile.stages > 1;
        const bool masked =
            (i + 1) * grid().block_m() > grid().seq_q() ||
            (grid().causal() && j * grid().block_n() + grid().block_n() - 1 >
                                    i * grid().block_m() + grid().seq_k() - grid().seq_q());
        out.warp_mix = &m_mix[masked ? 3 : 2];
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
            const std::int64_t queries = grid().rows_from(i0);
            c.read_bytes += 2 * cols * de + queries * (2 * de + 8);
            c.reduce_bytes += queries * d() * 4;
            c.write_bytes += 2 * cols * de;
            c.mma_flops += 10.0 * double(queries * cols * d());
            c.fp32_flops += k_softmax_bwd_flops * double(queries * cols) + double(cols * d());
            c.sfu_ops += double(queries * cols);
            const std::int64_t steps = grid().row_blocks() - i0;
            c.sram_write_bytes += 4 * cols * de + step_sram_write(queries, cols);
            c.sram_read_bytes += 2 * cols * de + step_sram_read(queries, cols, steps);
        }
        return scaled(c, ctx().q_heads());
    }

private:
    // Per Q block (`rows` queries; linear in rows, so it also sums over blocks): TMA writes Q,
    // dO, the logsumexp and D; the consumers write dS (16-bit) and the fp32 dQ block.
    std::int64_t step_sram_write(std::int64_t rows, std::int64_t cols) const {
        return 2 * rows * d() * e() + 8 * rows + rows * cols * e() + rows * d() * 4;
    }
    // wgmma's shared operands over `steps` Q blocks of `rows` queries in all: Q and dO (S, dP
    // and dK, dV), K and V (S, dP) and K again (dQ) by each consumer warpgroup, dS (dK, dQ); the
    // TMA reduce-add reads dQ.
    std::int64_t step_sram_read(std::int64_t rows, std::int64_t cols, std::int64_t steps) const {
        const std::int64_t g = m_warps.consumer_warpgroups, kv = cols * d() * e();
        return 2 * 2 * rows * d() * e() + steps * g * 3 * kv + 2 * rows * cols * e() +
               rows * d() * 4;
    }

    Flash3Warps m_warps;
    Flash3Tile m_tile{};
    std::array<InstructionMix, 4> m_mix;  // prologue, epilogue, a Q block, a masked Q block
};

class Flash3Schedule final : public Schedule {
public:
    using Schedule::Schedule;

    bool uses_wgmma() const override { return true; }
    std::vector<std::int64_t> candidate_warps() const override { return {8, 12, 16}; }
    std::int64_t deepest_stages() const override { return 2; }  // hopper/: kStages = 2

    void check_gpu(const GpuSpec& gpu) const override {
        if (!gpu.has_wgmma())
            throw ConfigError("gpu", gpu.name,
                              "flash3 needs Hopper's wgmma and TMA (compute capability 9.0); "
                              "this preset has wgmma_flops_per_clk_per_sm 0");
    }
    void check_problem(const AttentionProblem& p) const override {
        if (p.dtype == DType::fp32)
            throw ConfigError("dtype", "fp32",
                              "flash3 runs fp16 and bf16 (wgmma with 16-bit operands, as "
                              "FlashAttention-3)");
        if (p.head_dim % 16 != 0 || p.head_dim > 256)
            throw ConfigError("head_dim", std::to_string(p.head_dim),
                              "flash3 needs a multiple of 16 up to 256 (wgmma k16 steps, N <= "
                              "256)");
    }
    void check_tile(const TileConfig& tile, const AttentionProblem& problem) const override {
        check_problem(problem);
        const TileRefusal r = flash3_tile_refusal(tile, problem);
        if (!r.empty()) throw ConfigError(r.field, r.value, r.limit);
    }

    TileConfig default_blocks(const GpuSpec& gpu, const AttentionProblem& problem) const override {
        const TileConfig published =
            problem.pass == Pass::bwd ? fa3_backward_tile(problem) : fa3_forward_tile(problem);
        if (problem.head_dim % 16 != 0 || problem.head_dim > 256 || !gpu.has_wgmma())
            return published;              // simulate() says why nothing runs
        AttentionProblem shape = problem;  // SRAM and registers do not depend on the length
        shape.seq_q = std::min<std::int64_t>(shape.seq_q, k_max_block);
        shape.seq_k = std::min<std::int64_t>(shape.seq_k, k_max_block);
        const auto runs = [&](TileConfig t) {
            if (!flash3_tile_refusal(t, shape).empty()) return false;
            t.stages = fitting_stages(gpu, shape, *this, t);
            return tile_fits_gpu(gpu, shape, *this, t);
        };
        if (runs(published)) return published;
        // A fwdbwd tile that the backward cannot use: the nearest tile that runs both (block
        // sizes on a log scale, then the larger query block, then the published warps).
        std::vector<std::tuple<double, std::int64_t, double, TileConfig>> candidates;
        for (std::int64_t bm = 16; bm <= k_max_block; bm += 16)
            for (std::int64_t bn = 16; bn <= k_max_block; bn += 16)
                for (std::int64_t w : candidate_warps())
                    candidates.emplace_back(
                        log2_ratio(bm, published.block_m) + log2_ratio(bn, published.block_n), -bm,
                        log2_ratio(w, published.warps), TileConfig{bm, bn, w, 0});
        std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
            return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a)) <
                   std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b));
        });
        for (const auto& c : candidates)
            if (runs(std::get<3>(c))) return std::get<3>(c);
        return published;
    }

    std::int64_t default_warps(const TileConfig& blocks,
                               const AttentionProblem& problem) const override {
        // A forward's warpgroups follow its query block (64 rows each); the backward's two.
        if (problem.pass != Pass::bwd && blocks.block_m % 64 == 0 && blocks.block_m <= 192)
            return k_warpgroup_warps * (blocks.block_m / 64 + 1);
        return 12;
    }

    KernelPlans forward(const PlanContext& c) const override {
        KernelPlans plans;
        plans.push_back(std::make_unique<Flash3Forward>(c, kernel_name("fwd")));
        return plans;
    }
    KernelPlans backward(const PlanContext& c) const override {
        return backward_with_row_kernels<Flash3Backward>(
            c, [this](std::string_view role) { return kernel_name(role); });
    }
    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        return flash_footprint_bytes(c, pass);
    }
};

}  // namespace

std::unique_ptr<Schedule> make_flash3_schedule(Algorithm algorithm) {
    return std::make_unique<Flash3Schedule>(algorithm);
}

}  // namespace flashscope::sim::detail
