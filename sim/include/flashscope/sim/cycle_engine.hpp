#pragma once
// The cycle-approximate model. Kernels run one after another on a shared L2. Within a kernel,
// units (CTAs) are issued in grid order onto the free SM slots that occupancy allows; resident
// units advance one step per round; a round lasts as long as its busiest shared resource (HBM,
// L2, tensor cores, FP32, SFU, SRAM) or its slowest unit's own latency-bound step.
// Consecutive units with the same program form a cohort and are simulated once (see MODEL.md).
#include <functional>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/kernel_plan.hpp"
#include "flashscope/sim/l2_cache.hpp"
#include "flashscope/sim/occupancy.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/sm_issue_model.hpp"

namespace flashscope::sim {

class CycleEngine {
public:
    CycleEngine(const GpuSpec& gpu, DType dtype, std::int64_t stages, bool record_timeline,
                std::int64_t timeline_points);

    // Runs one kernel to completion; the L2 keeps its contents for the next kernel. `cta` is the
    // plan's resources as the occupancy was computed from (the plan's own unless the request
    // gave the kernel's measured registers).
    KernelResult run(const KernelPlan& plan, const Occupancy& occupancy, const CtaResources& cta);
    KernelResult run(const KernelPlan& plan, const Occupancy& occupancy) {
        return run(plan, occupancy, plan.resources());
    }

    // Called now and then during run() with the units issued so far and the kernel's unit count.
    using Progress = std::function<void(std::int64_t issued, std::int64_t units)>;
    void set_progress(Progress progress) { m_progress = std::move(progress); }

    std::int64_t l2_dirty_bytes() const { return m_l2.dirty_bytes(); }
    std::vector<TimelineSample> take_timeline();

private:
    struct Round;
    void record(const std::string& kernel, double begin, double duration, const Round& round);

    const GpuSpec& m_gpu;
    DType m_dtype;
    std::int64_t m_stages;
    L2Cache m_l2;
    SmIssueModel m_issue;
    double m_clock_s = 0;  // simulated time since the first kernel started
    bool m_record;
    std::int64_t m_points;  // timeline budget; also the most wave spans kept per kernel
    std::vector<TimelineSample> m_timeline;
    Progress m_progress;
};

}  // namespace flashscope::sim
