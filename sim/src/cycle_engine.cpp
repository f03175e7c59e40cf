#include "flashscope/sim/cycle_engine.hpp"

#include <algorithm>
#include <array>
#include <boost/container/small_vector.hpp>
#include <deque>

#include "flashscope/core/count.hpp"
#include "flashscope/sim/predicted_instructions.hpp"

namespace flashscope::sim {
namespace {

// One access of a kept step, in the form the engine's loop uses: the tile's key for the first
// member, and the cohort's request (bytes times members).
struct KeptAccess {
    TileKey key;
    std::int64_t bytes;
    std::int64_t requested;
    std::int64_t requesting;  // members that request it (TileAccess::sharing)
    AccessKind kind;
    MemberAxis axis;
    bool memo;  // a shared tile the cache can hold: the round memo may know it
};

// A cohort's current step and what the engine derives from it, kept for the rest of the plan's
// step_run(): everything but the tiles' rows stays the same over the run.
// What every round reads comes first, the step itself (large: its own mix) last.
struct Kept {
    const InstructionMix* mix = nullptr;  // step.warp_mix
    int label = -1;                       // the mix's label when the engine sums it by label
    bool timed = false;                   // the mix is not empty: the issue model times the step
    bool accesses_any = false;
    bool pipelined = true;
    // The mix loads global memory itself (flash1's running output): its timing has the L2 hit's
    // latency in it, and a miss adds only what HBM takes beyond it.
    bool loads_itself = false;
    // The issue model's timing of the step for `timed_warps` warps per sub-partition.
    int timed_warps = -1;
    double compute_s = 0;
    double issue_s = 0;
    double port_s = 0;
    double stall_weight = 0;  // instructions issued with `stalls`, not yet in the kernel's sum
    std::int64_t sram_read = 0, sram_write = 0;                // the cohort's bytes
    double mma = 0, softmax = 0, fp32 = 0, sfu = 0, sram = 0;  // the cohort's work
    boost::container::small_vector<KeptAccess, 4> accesses;
    std::array<double, k_stall_count> stalls{};  // IssueTiming::stalls (read when re-timed)
    Step step;
};

struct Cohort {
    std::int64_t first_unit;
    std::int64_t members;
    std::int64_t steps;
    Kept* kept;
    std::int64_t next_step = 0;
    std::int64_t run_left = 0;  // steps the kept step still stands for, this one included
    std::int64_t run_rows = 0;  // row blocks this step's accesses lie beyond the kept step's
};

bool same_cohort(const CohortKey& previous, const CohortKey& k) {
    return k.group == previous.group && k.shape == previous.shape && k.row == previous.row + 1;
}

constexpr int idx(Resource r) {
    return static_cast<int>(r);
}

// Shared tiles already requested in this round (a handful: the K/V tiles of the heads in flight).
class RoundMemo {
public:
    bool seen(const TileKey& key, AccessKind kind) const {
        for (int i = 0; i < m_count; ++i) {
            const TileKey& k = m_keys[i];  // the row first: the field that differs most often
            if (k.row == key.row && k.head_and_tensor == key.head_and_tensor && k.col == key.col &&
                m_kinds[i] == kind)
                return true;
        }
        return false;
    }
    void remember(const TileKey& key, AccessKind kind) {
        if (m_count == k_capacity || kind == AccessKind::write) return;
        m_keys[m_count] = key;
        m_kinds[m_count++] = kind;
    }

private:
    static constexpr int k_capacity = 4;  // the K/V tiles of the last heads issued
    std::array<TileKey, k_capacity> m_keys{};
    std::array<AccessKind, k_capacity> m_kinds{};
    int m_count = 0;
};

}  // namespace

// Demands of one round, summed over the resident cohorts.
struct CycleEngine::Round {
    std::array<double, k_resource_count> busy_s{};  // time each resource needs this round
    std::int64_t hbm_read = 0, hbm_write = 0, l2_read = 0, l2_write = 0;
    // Each SM runs its CTAs' steps on its own clock: a round lasts what the average resident CTA's
    // step takes (a CTA in its prologue holds up its own SM, not the others). Timing each round by
    // its slowest CTA instead made every round wait for whichever CTA was starting or ending,
    // which CTAs of unequal length (causal) do at staggered times.
    double unit_s_sum = 0, units = 0;  // step times weighted by the CTAs in each cohort
    double issue_s = 0;    // issue slots one sub-partition used (the issue model's steps)
    double port_s = 0;     // time one sub-partition's share of the SM's L2 port was taken
    double l2_atomic = 0;  // bytes of fp32 reductions, which the L2 serves at its atomic rate
    double latency_s = 0;  // the longest first-byte latency of a resident cohort's accesses
};

CycleEngine::CycleEngine(const GpuSpec& gpu, DType dtype, std::int64_t stages, bool record_timeline,
                         std::int64_t timeline_points)
    : m_gpu(gpu),
      m_dtype(dtype),
      m_stages(stages),
      m_l2(std::min(gpu.l2_size_bytes, gpu.l2_resident_bytes), gpu.l2_dirty_limit_bytes,
           gpu.l2_resident_updated_bytes > 0
               ? double(gpu.l2_resident_bytes) / double(gpu.l2_resident_updated_bytes)
               : 1.0),
      m_issue(gpu, dtype),
      m_record(record_timeline),
      m_points(std::max<std::int64_t>(16, timeline_points)) {}

KernelResult CycleEngine::run(const KernelPlan& plan, const Occupancy& occ,
                              const CtaResources& cta) {
    const GpuSpec& g = m_gpu;
    const std::int64_t units = plan.unit_count();
    const std::int64_t per_unit = plan.ctas_per_unit();
    const std::int64_t slots = std::max<std::int64_t>(1, g.sm_count * occ.ctas_per_sm / per_unit);
    const double clock = g.sm_clock_hz;
    const double hbm_latency = g.hbm_latency_s;
    const double l2_latency = g.l2_latency_cycles / clock;
    // One SM's rates; a unit's own step can go no faster than one SM per CTA.
    const double sm_tensor =
        (plan.uses_wgmma() ? g.wgmma_flops_per_clk : g.tensor_flops_per_clk(m_dtype)) * clock;
    const double sm_fp32 = g.fp32_flops_per_clk * clock;
    const double sm_sfu = g.sfu_ops_per_clk * clock;
    const double sm_sram = g.sram_bytes_per_clk_per_sm * clock;
    const double inv_tensor = 1 / sm_tensor, inv_fp32 = 1 / sm_fp32, inv_sfu = 1 / sm_sfu;
    const double inv_sram = 1 / sm_sram, inv_ctas = 1 / double(per_unit);
    // Warps of one CTA on each sub-partition, for the issue model.
    const std::int64_t smsp = std::max<std::int64_t>(1, g.smsp_per_sm);
    const std::int64_t cta_warps = std::max<std::int64_t>(
        1, cta.issuing_warps > 0 ? cta.issuing_warps : (cta.threads + 31) / 32);
    const int cta_warps_per_smsp = static_cast<int>((cta_warps + smsp - 1) / smsp);
    const double spill_accesses = double(cta.spill_bytes_per_thread) / 8;
    // The plan's labelled mixes (InstructionMix::id) and the warp-steps that ran each.
    constexpr int k_labels = 8;
    std::array<std::pair<InstructionMix, double>, k_labels> labelled{};
    m_issue.new_kernel();
    // Registers ptxas would spill move once per step through local memory (L1): a store or a load
    // per spilled 8 bytes (H200, flash2 forward 128x64 d128: 90 B measured per thread and step
    // against 100 B of spill stores in ptxas' report).
    const auto with_spills = [&](const InstructionMix& mix) {
        InstructionMix out = mix;
        if (spill_accesses > 0) {
            out.phases[0][Instr::local] += spill_accesses;
            for (Phase& p : out.phases) p.stream_lags = false;
        }
        return out;
    };

    KernelResult result;
    result.name = plan.name();
    Metrics& m = result.metrics;
    std::array<double, k_resource_count> busy_total{};

    // With the timeline, when each wave of `slots` units ran (merged into at most m_points spans).
    const std::int64_t wave_count = (units + slots - 1) / slots;
    const std::int64_t waves_per_span =
        std::max<std::int64_t>(1, (wave_count + m_points - 1) / m_points);
    std::vector<WaveSpan>& spans = result.wave_spans;
    if (m_record) {
        spans.resize(static_cast<std::size_t>((wave_count + waves_per_span - 1) / waves_per_span));
        for (std::size_t i = 0; i < spans.size(); ++i) {
            spans[i].first_wave = std::int64_t(i) * waves_per_span;
            spans[i].last_wave = std::min(wave_count, std::int64_t(i + 1) * waves_per_span) - 1;
        }
    }
    const auto spans_of = [&](const Cohort& c, auto&& visit) {
        const std::int64_t first = c.first_unit / slots / waves_per_span;
        const std::int64_t last = (c.first_unit + c.members - 1) / slots / waves_per_span;
        for (std::int64_t s = first; s <= last; ++s) visit(spans[static_cast<std::size_t>(s)]);
    };

    std::vector<Cohort> active;
    active.reserve(static_cast<std::size_t>(std::min(slots, units)));
    std::int64_t next_unit = 0, free_slots = slots;
    // A kept step per resident cohort, reused: the deque keeps them in place (warp_mix may point
    // into one), `spare` lists those free.
    std::deque<Kept> kept_steps;
    std::vector<Kept*> spare;
    const auto take_kept = [&] {
        if (spare.empty()) return &kept_steps.emplace_back();
        Kept* s = spare.back();
        spare.pop_back();
        return s;
    };
    const double per_cta_warps = double(per_unit * cta_warps);
    // Asks the plan for cohort c's next step and derives what the rounds of its run reuse.
    const auto keep_next_step = [&](Cohort& c) {
        Kept& k = *c.kept;
        Step& step = k.step;
        step.clear();
        plan.step(c.first_unit, c.next_step, step);
        c.run_left = std::max<std::int64_t>(1, plan.step_run(c.first_unit, c.next_step));
        c.run_rows = 0;
        const double n = double(c.members);
        k.accesses.clear();
        for (const TileAccess& a : step.accesses) {
            const std::int64_t requesting = requesting_members(a, c.members);
            k.accesses.push_back(
                {{a.head * k_tensor_count + static_cast<std::int64_t>(a.tensor), a.row, a.col},
                 a.bytes,
                 checked_mul(a.bytes, requesting),
                 requesting,
                 a.kind,
                 a.member_axis,
                 a.member_axis == MemberAxis::shared && a.bytes <= m_l2.capacity_bytes()});
        }
        k.sram_read = checked_mul(step.sram_read_bytes, c.members);
        k.sram_write = checked_mul(step.sram_write_bytes, c.members);
        k.mma = step.mma_flops * n;
        k.softmax = (step.fp32_flops + step.sfu_ops) * n;
        k.fp32 = step.fp32_flops * n;
        k.sfu = step.sfu_ops * n;
        k.sram = double(step.sram_read_bytes + step.sram_write_bytes) * n;
        k.mix = step.warp_mix;
        k.timed = step.warp_mix && !step.warp_mix->empty();
        k.accesses_any = !step.accesses.empty();
        k.loads_itself = k.timed && k.mix->count(Instr::global_load) > 0;
        k.pipelined = step.pipelined;
        k.label = step.warp_mix && step.warp_mix->id >= 0 && step.warp_mix->id < k_labels
                      ? step.warp_mix->id
                      : -1;
        k.timed_warps = -1;
    };
    const double kernel_start = m_clock_s;
    bool first_round = true;
    std::array<double, k_stall_count> stall_sum{};
    double stall_weight = 0;
    // Folds a kept step's stalls into the kernel's, weighted by the instructions it issued.
    const auto add_stalls = [&](Kept& k) {
        for (std::size_t s = 0; s < stall_sum.size(); ++s)
            stall_sum[s] += k.stalls[s] * k.stall_weight;
        stall_weight += k.stall_weight;
        k.stall_weight = 0;
    };
    std::int64_t report_at = 0;

    while (next_unit < units || !active.empty()) {
        // Issue units in grid order onto free slots, merging identical neighbours into cohorts.
        std::int64_t started_ctas = 0;
        while (free_slots > 0 && next_unit < units) {
            CohortKey last = plan.cohort_key(next_unit);
            std::int64_t members = 1;
            while (members < free_slots && next_unit + members < units) {
                const CohortKey k = plan.cohort_key(next_unit + members);
                if (!same_cohort(last, k)) break;
                last = k;
                ++members;
            }
            active.push_back({next_unit, members, plan.step_count(next_unit), take_kept()});
            if (m_record)
                spans_of(active.back(), [&](WaveSpan& w) {
                    if (w.begin_s < 0) w.begin_s = m_clock_s;
                });
            next_unit += members;
            free_slots -= members;
            started_ctas += members * per_unit;
        }

        Round r;
        RoundMemo memo;
        std::int64_t resident_ctas = 0;
        for (const Cohort& c : active) resident_ctas += c.members * per_unit;
        // Warps that share a sub-partition this round: the CTAs resident on one SM, their warps
        // dealt over its sub-partitions.
        const std::int64_t ctas_on_sm = (resident_ctas + g.sm_count - 1) / g.sm_count;
        const int smsp_warps = static_cast<int>(std::clamp<std::int64_t>(
            warps_per_subpartition(ctas_on_sm, cta_warps, smsp), cta_warps_per_smsp, 1 << 16));
        for (Cohort& c : active) {
            if (c.run_left == 0) keep_next_step(c);
            Kept& k = *c.kept;
            const Step& step = k.step;
            const double n = double(c.members);
            std::int64_t unit_hbm = 0;
            for (const KeptAccess& a : k.accesses) {
                TileKey key = a.key;
                key.row += c.run_rows;
                const auto fetch = [&](std::int64_t times) {
                    const HbmTraffic t = m_l2.access(key, a.bytes, a.kind);
                    if (t.read_bytes | t.write_bytes) {
                        times = t.bypassed ? times : 1;
                        r.hbm_read = checked_add(r.hbm_read, checked_mul(t.read_bytes, times),
                                                 "hbm_read_bytes");
                        r.hbm_write = checked_add(r.hbm_write, checked_mul(t.write_bytes, times),
                                                  "hbm_write_bytes");
                        unit_hbm += t.read_bytes;
                    }
                };
                if (a.axis == MemberAxis::shared) {
                    // Cohorts started together walk the same K/V tiles in step: the second
                    // request for a tile in one round is a hit the LRU already knows about.
                    if (a.requesting > 0 && !(a.memo && memo.seen(key, a.kind))) {
                        // The L2 merges the cohort's requests for a shared tile; without it each
                        // CTA fetches its own copy.
                        fetch(a.requesting);
                        memo.remember(key, a.kind);
                    }
                } else {
                    std::int64_t& moves = a.axis == MemberAxis::row ? key.row : key.col;
                    for (std::int64_t member = 0; member < c.members; ++member, ++moves) fetch(1);
                }
                if (a.kind == AccessKind::reduce) r.l2_atomic += double(a.requested);
                if (a.kind == AccessKind::read)
                    r.l2_read = checked_add(r.l2_read, a.requested, "l2_read_bytes");
                else
                    r.l2_write = checked_add(r.l2_write, a.requested, "l2_write_bytes");
            }
            m.sram_read_bytes = checked_add(m.sram_read_bytes, k.sram_read, "sram_read_bytes");
            m.sram_write_bytes = checked_add(m.sram_write_bytes, k.sram_write, "sram_write_bytes");
            m.flops_matmul += k.mma;
            m.flops_softmax += k.softmax;
            const double warp_steps = n * per_cta_warps;
            if (k.label >= 0) {
                // Summed by label, counted once at the end of the kernel.
                auto& [mix, count] = labelled[static_cast<std::size_t>(k.label)];
                if (count == 0) mix = with_spills(*k.mix);
                count += warp_steps;
            } else if (k.mix) {
                add_predicted_instructions(m, with_spills(*k.mix), warp_steps);
            }
            r.busy_s[idx(Resource::tensor)] += k.mma;
            r.busy_s[idx(Resource::fp32)] += k.fp32;
            r.busy_s[idx(Resource::sfu)] += k.sfu;
            r.busy_s[idx(Resource::sram)] += k.sram;

            double compute = 0;
            if (k.timed) {
                // One step of every warp on the SM, from the sub-partitions' issue model: a warp
                // issues the GEMMs and the softmax in turn, other resident warps fill its waits.
                // The model's answer is the same for the same mix and warps: kept for the run.
                if (k.timed_warps != smsp_warps) {
                    const IssueTiming t =
                        step.warp_mix->id >= 0 &&
                                m_issue.knows(*step.warp_mix, smsp_warps, cta_warps_per_smsp)
                            ? m_issue.step(*step.warp_mix, smsp_warps, cta_warps_per_smsp)
                            : m_issue.step(with_spills(*step.warp_mix), smsp_warps,
                                           cta_warps_per_smsp);
                    k.timed_warps = smsp_warps;
                    k.compute_s = t.cycles / clock;
                    k.issue_s = t.issue_share * k.compute_s;
                    k.port_s = t.port_share * k.compute_s;
                    add_stalls(k);
                    k.stalls = t.stalls;
                }
                // Weighted by the instructions the cohort issues this round.
                k.stall_weight += k.issue_s * n;
                compute = k.compute_s;
                r.issue_s = std::max(r.issue_s, k.issue_s);
                r.port_s = std::max(r.port_s, k.port_s);
            } else {
                // Without a mix: the unit's pipes in turn, as if it had its SMs to itself; other
                // CTAs on the SM fill the gaps (the shared-resource bounds below).
                const double pipes = (step.mma_flops * inv_tensor + step.fp32_flops * inv_fp32 +
                                      step.sfu_ops * inv_sfu) *
                                     inv_ctas;
                compute = std::max(pipes, double(step.sram_read_bytes + step.sram_write_bytes) *
                                              inv_sram * inv_ctas);
            }
            const double latency = !k.accesses_any ? 0.0
                                   : k.loads_itself
                                       ? (unit_hbm > 0 ? hbm_latency - l2_latency : 0.0)
                                   : unit_hbm > 0 ? hbm_latency
                                                  : l2_latency;
            r.latency_s = std::max(r.latency_s, latency);
            const bool overlapped = k.pipelined && m_stages > 1;
            const double own =
                overlapped ? std::max(compute, latency / double(m_stages)) : compute + latency;
            r.unit_s_sum += own * n;
            r.units += n;
        }

        // Shared resources: the SMs that hold resident CTAs, the L2 and HBM of the whole chip.
        const double sms = double(std::min<std::int64_t>(g.sm_count, resident_ctas));
        r.busy_s[idx(Resource::tensor)] /= sms * sm_tensor;
        r.busy_s[idx(Resource::fp32)] /= sms * sm_fp32;
        r.busy_s[idx(Resource::sfu)] /= sms * sm_sfu;
        r.busy_s[idx(Resource::sram)] /= sms * sm_sram;
        // The L2 serves reads, stores and fills at its rates and reductions at its atomic rate.
        r.busy_s[idx(Resource::l2)] =
            g.l2_seconds(double(r.l2_read), double(r.l2_write) - r.l2_atomic, double(r.hbm_read)) +
            r.l2_atomic / (g.l2_atomic_bytes_per_clk * clock);
        r.busy_s[idx(Resource::hbm)] = g.hbm_seconds(double(r.hbm_read), double(r.hbm_write));
        r.busy_s[idx(Resource::issue)] = r.issue_s;
        r.busy_s[idx(Resource::l2port)] = r.port_s;
        double duration = 0;
        for (int i = 0; i < idx(Resource::latency); ++i) duration = std::max(duration, r.busy_s[i]);
        if (first_round) duration += r.latency_s;
        duration = std::max(duration, r.units > 0 ? r.unit_s_sum / r.units : 0.0);
        for (int i = 0; i < idx(Resource::latency); ++i) busy_total[i] += r.busy_s[i];
        // The block scheduler starts an SM's CTAs one after another (cta_launch_ns). At the
        // kernel's start the SMs are empty: the first wave's starts come before it is under way.
        // Later CTAs start as others retire, and the scheduler's rate only bounds the round.
        const double starts = double((started_ctas + g.sm_count - 1) / g.sm_count) * g.cta_launch_s;
        duration = first_round ? duration + starts : std::max(duration, starts);
        first_round = false;

        m.hbm_read_bytes = checked_add(m.hbm_read_bytes, r.hbm_read, "hbm_read_bytes");
        m.hbm_write_bytes = checked_add(m.hbm_write_bytes, r.hbm_write, "hbm_write_bytes");
        m.l2_read_bytes = checked_add(m.l2_read_bytes, r.l2_read, "l2_read_bytes");
        m.l2_write_bytes = checked_add(m.l2_write_bytes, r.l2_write, "l2_write_bytes");
        if (m_record) record(result.name, m_clock_s, duration, r);
        m_clock_s += duration;

        // Advance; finished cohorts free their slots.
        for (Cohort& c : active) {
            ++c.next_step;
            --c.run_left;
            ++c.run_rows;
        }
        const auto done = std::remove_if(active.begin(), active.end(), [&](const Cohort& c) {
            if (c.next_step < c.steps) return false;
            free_slots += c.members;
            add_stalls(*c.kept);
            spare.push_back(c.kept);
            if (m_record) spans_of(c, [&](WaveSpan& w) { w.end_s = std::max(w.end_s, m_clock_s); });
            return true;
        });
        active.erase(done, active.end());
        if (m_progress && next_unit >= report_at) {  // about a thousand reports per kernel
            m_progress(next_unit, units);
            report_at = next_unit + std::max<std::int64_t>(1, units / 1000);
        }
    }

    for (const auto& [mix, count] : labelled)
        if (count > 0) add_predicted_instructions(m, mix, count);

    // Launch and drain, which event timing includes: an idle interval on the timeline.
    if (m_record && g.kernel_launch_s > 0)
        record(result.name, m_clock_s, g.kernel_launch_s, Round{});
    m_clock_s += g.kernel_launch_s;
    m.time_s = m_clock_s - kernel_start;
    m.cycles = m.time_s * clock;
    if (m.time_s > 0) result.l2port_busy = busy_total[idx(Resource::l2port)] / m.time_s;
    if (stall_weight > 0)
        for (std::size_t s = 0; s < stall_sum.size(); ++s)
            result.issue_stalls[s] = stall_sum[s] / stall_weight;
    const auto busiest = std::max_element(busy_total.begin(), busy_total.end() - 1);
    // A kernel whose busiest resource is idle half the time waits on latency instead.
    result.bottleneck = *busiest >= 0.5 * m.time_s
                            ? static_cast<Resource>(busiest - busy_total.begin())
                            : Resource::latency;
    return result;
}

void CycleEngine::record(const std::string& kernel, double begin, double duration, const Round& r) {
    TimelineSample s;
    s.t_begin_s = begin;
    s.t_end_s = begin + duration;
    s.kernel = kernel;
    for (int i = 0; i < idx(Resource::latency); ++i)
        s.utilization[i] = duration > 0 ? std::min(1.0, r.busy_s[i] / duration) : 0.0;
    // Merge with the previous sample of the same kernel while the timeline is over budget.
    m_timeline.push_back(std::move(s));
    if (static_cast<std::int64_t>(m_timeline.size()) >= 2 * m_points) {
        std::vector<TimelineSample> merged;
        merged.reserve(m_timeline.size() / 2 + 1);
        for (std::size_t i = 0; i < m_timeline.size(); i += 2) {
            if (i + 1 == m_timeline.size() || m_timeline[i].kernel != m_timeline[i + 1].kernel) {
                merged.push_back(m_timeline[i]);
                if (i + 1 < m_timeline.size()) merged.push_back(m_timeline[i + 1]);
                continue;
            }
            const TimelineSample& a = m_timeline[i];
            const TimelineSample& b = m_timeline[i + 1];
            TimelineSample c = a;
            c.t_end_s = b.t_end_s;
            const double wa = a.t_end_s - a.t_begin_s, wb = b.t_end_s - b.t_begin_s;
            for (std::size_t k = 0; k < c.utilization.size(); ++k)
                c.utilization[k] =
                    wa + wb > 0 ? (a.utilization[k] * wa + b.utilization[k] * wb) / (wa + wb) : 0;
            merged.push_back(c);
        }
        m_timeline = std::move(merged);
    }
}

std::vector<TimelineSample> CycleEngine::take_timeline() {
    return std::move(m_timeline);
}

}  // namespace flashscope::sim
