#pragma once
// One kernel of a schedule: its grid of scheduling units and, per unit, a sequence of steps.
// A unit is one CTA, or for row-wise kernels a group of identical CTAs that the model moves in
// lockstep (ctas_per_unit). Units are issued in grid order, as the hardware block scheduler does.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/core/count.hpp"
#include "flashscope/sim/instruction_mix.hpp"
#include "flashscope/sim/tile_access.hpp"

namespace flashscope::sim {

struct Step {
    std::vector<TileAccess> accesses;  // loads before compute, stores after, in order
    double mma_flops = 0;              // tensor-core FLOP
    double fp32_flops = 0;             // softmax and elementwise FLOP on the FP32 pipe
    double sfu_ops = 0;                // exponentials
    std::int64_t sram_read_bytes = 0;
    std::int64_t sram_write_bytes = 0;
    bool pipelined = true;  // false: the step waits for its loads (prologue, single-stage tiles)
    // What each warp of the CTA issues in this step, for the SM issue model: a mix the plan keeps
    // (labelled, reused step after step) or own_mix, built for this step. Null: the step is timed
    // by its pipes' throughput alone (elementwise kernels, library GEMMs).
    const InstructionMix* warp_mix = nullptr;
    InstructionMix own_mix;
    InstructionMix& build_mix() {
        own_mix = InstructionMix{};
        warp_mix = &own_mix;
        return own_mix;
    }

    Step() = default;
    Step(const Step&) = delete;  // warp_mix may point into it
    Step& operator=(const Step&) = delete;

    void clear() {
        accesses.clear();
        warp_mix = nullptr;
        mma_flops = fp32_flops = sfu_ops = 0;
        sram_read_bytes = sram_write_bytes = 0;
        pipelined = true;
    }
};

struct CtaResources {
    std::int64_t threads = 128;
    std::int64_t sram_bytes = 0;
    std::int64_t registers_per_thread = 0;  // allocated, at most 255 (the ISA's limit)
    // Local-memory bytes per thread that ptxas spills the registers beyond 255 to: each spilled
    // word is stored and reloaded through L1. 0 when everything fits.
    std::int64_t spill_bytes_per_thread = 0;
    // Warps that run the step's instruction mix; 0: all of them. A warp-specialized CTA
    // (flash3) leaves out its producer warps, which issue a few TMA copies per step.
    std::int64_t issuing_warps = 0;
};

// Whether two consecutive units run the same program: same steps, the same shared tiles, and
// private tiles that differ only by a row offset. The engine merges such units into cohorts.
struct CohortKey {
    std::int64_t group = 0;  // tiles shared by the cohort (e.g. the head)
    std::int64_t shape = 0;  // step count and partial-tile class
    std::int64_t row = 0;    // the private row index; members must be consecutive rows
    bool operator==(const CohortKey&) const = default;
};

// What a kernel moves and computes when nothing is cached: the closed form that the analytic
// model reports, and that the cycle model must reproduce exactly with the L2 disabled.
// Byte counts are checked: a grid too large for 64 bits throws CountOverflow.
struct KernelCounts {
    Count read_bytes = 0;    // global loads
    Count write_bytes = 0;   // global stores
    Count reduce_bytes = 0;  // fp32 reductions: one read and one write of HBM each
    Count sram_read_bytes = 0;
    Count sram_write_bytes = 0;
    double mma_flops = 0;
    double fp32_flops = 0;
    double sfu_ops = 0;
};

class KernelPlan {
public:
    virtual ~KernelPlan() = default;
    virtual std::string name() const = 0;
    virtual std::int64_t unit_count() const = 0;
    virtual std::int64_t ctas_per_unit() const { return 1; }
    virtual CtaResources resources() const = 0;
    // Whether the kernel's GEMMs are Hopper's wgmma (rate wgmma_flops_per_clk_per_sm) rather than
    // mma.sync (tensor_flops_per_clk_per_sm).
    virtual bool uses_wgmma() const { return false; }
    virtual std::int64_t step_count(std::int64_t unit) const = 0;
    virtual void step(std::int64_t unit, std::int64_t index, Step& out) const = 0;
    // How many steps from `index` on (at least 1, at most to the unit's last step) are step
    // `index` with every access one row block further per step and nothing else changed: the
    // engine then asks step() once per run and advances the rows itself. 1 by default; a plan
    // that says more must keep it exact (tests/sim/step_run_test.cpp checks every plan).
    virtual std::int64_t step_run(std::int64_t unit, std::int64_t index) const {
        (void)unit;
        (void)index;
        return 1;
    }
    virtual CohortKey cohort_key(std::int64_t unit) const = 0;
    // Closed-form totals over the whole grid, derived independently of step().
    virtual KernelCounts closed_form() const = 0;

    std::int64_t cta_count() const { return unit_count() * ctas_per_unit(); }
};

}  // namespace flashscope::sim
