#include "fake_algorithm.hpp"

#include <memory>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::test {
namespace {

using sim::CohortKey;
using sim::CtaResources;
using sim::KernelCounts;
using sim::PlanContext;
using sim::Step;
using sim::Tensor;
using sim::TileAccess;

// One unit per (query head, query block): read a tile of `in`, write the same tile of `out`.
class CopyPlan final : public sim::KernelPlan {
public:
    CopyPlan(const PlanContext& ctx, std::string name, Tensor in, Tensor out)
        : m_ctx(ctx), m_name(std::move(name)), m_in(in), m_out(out) {}

    std::string name() const override { return m_name; }
    std::int64_t unit_count() const override { return m_ctx.q_heads() * m_ctx.grid.row_blocks(); }
    CtaResources resources() const override {
        return {128, m_ctx.tile.block_m * m_ctx.d() * m_ctx.elem, 32};  // (block_m, head_dim)
    }
    std::int64_t step_count(std::int64_t) const override { return 1; }
    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const std::int64_t head = unit / m_ctx.grid.row_blocks(),
                           i = unit % m_ctx.grid.row_blocks();
        const std::int64_t bytes =
            m_ctx.grid.rows(i) * m_ctx.d() * m_ctx.elem;  // (block_m, head_dim)
        out.accesses.push_back(
            {m_in, sim::AccessKind::read, head, i, 0, bytes, sim::MemberAxis::row});
        out.accesses.push_back(
            {m_out, sim::AccessKind::write, head, i, 0, bytes, sim::MemberAxis::row});
        out.fp32_flops = double(m_ctx.grid.rows(i) * m_ctx.d());  // one scale per element
        out.sram_write_bytes = bytes;
        out.sram_read_bytes = bytes;
        out.pipelined = false;
    }
    CohortKey cohort_key(std::int64_t unit) const override {
        const std::int64_t head = unit / m_ctx.grid.row_blocks(),
                           i = unit % m_ctx.grid.row_blocks();
        return {head, m_ctx.grid.rows(i) < m_ctx.grid.block_m() ? 1 : 0, i};
    }
    KernelCounts closed_form() const override {
        KernelCounts c;
        c.read_bytes = c.write_bytes = m_ctx.q_bytes();
        c.sram_read_bytes = c.sram_write_bytes = m_ctx.q_bytes();
        c.fp32_flops = double(m_ctx.q_heads() * m_ctx.problem.seq_q * m_ctx.d());
        return c;
    }

private:
    PlanContext m_ctx;
    std::string m_name;
    Tensor m_in, m_out;
};

class FakeSchedule final : public sim::Schedule {
public:
    using Schedule::Schedule;
    TileConfig default_blocks(const sim::GpuSpec&, const AttentionProblem&) const override {
        return TileConfig{64, 64, 0, 0};
    }
    std::int64_t default_warps(const TileConfig&, const AttentionProblem&) const override {
        return 4;
    }
    std::int64_t deepest_stages() const override { return 1; }
    sim::KernelPlans forward(const PlanContext& c) const override {
        sim::KernelPlans plans;
        plans.push_back(std::make_unique<CopyPlan>(c, kernel_name("fwd"), Tensor::q, Tensor::o));
        return plans;
    }
    sim::KernelPlans backward(const PlanContext& c) const override {
        sim::KernelPlans plans;
        plans.push_back(
            std::make_unique<CopyPlan>(c, kernel_name("bwd"), Tensor::d_o, Tensor::d_q));
        return plans;
    }
    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        return (pass == Pass::fwd ? 2 : 4) * c.q_bytes();
    }
};

Algorithm register_fake() {
    const Algorithm fake = register_algorithm({"fake",
                                               "test-only: copies Q to O, dO to dQ",
                                               {Pass::fwd, Pass::bwd},
                                               {Pass::fwd},
                                               {{"fwd", Pass::fwd}, {"bwd", Pass::bwd}}});
    sim::register_schedule(make_fake_schedule(fake));
    return fake;
}

}  // namespace

std::unique_ptr<sim::Schedule> make_fake_schedule(Algorithm algorithm) {
    return std::make_unique<FakeSchedule>(algorithm);
}

Algorithm fake_algorithm() {
    static const Algorithm fake = register_fake();
    return fake;
}

double fake_pass_hbm_bytes(const AttentionProblem& p) {
    return 2.0 * double(p.batch) * double(p.heads) * double(p.seq_q) * double(p.head_dim) *
           double(bytes_of(p.dtype));
}

}  // namespace flashscope::test
