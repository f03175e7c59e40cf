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
    bool memo;                  // a shared tile the cache can hold: the round memo may know it
    L2Cache::RowCursor cursor;  // where the L2 keeps the rows' use stamps, for the next rounds
};

// A cohort's current step, kept for the rest of the plan's step_run(): everything but the
// tiles' rows stays the same over the run. What the rounds read is in the cohort's RoundShare;
// this is what is read when the step is kept or re-timed.
struct Kept {
    const InstructionMix* mix = nullptr;  // step.warp_mix
    bool accesses_any = false;
    bool pipelined = true;
    // The mix loads global memory itself (flash1's running output): its timing has the L2 hit's
    // latency in it, and a miss adds only what HBM takes beyond it.
    bool loads_itself = false;
    double compute_s = 0;  // the step's compute time (the issue model's, or its pipes')
    std::array<double, k_stall_count> stalls{};  // IssueTiming::stalls
    Step step;
};

// What a round adds for a cohort while its kept step lasts, worked out once (when the step is
// kept, and again when the issue model's timing changes) with the operations the round would do
// on them, so the round's sums are the same. In the cohort itself: a round walks the resident
// cohorts in order, and this is most of what it reads.
struct RoundShare {
    int label = -1;      // the mix's label when the engine sums it by label
    bool timed = false;  // the mix is not empty: the issue model times the step
    // The issue model's timing of the step for `timed_warps` warps per sub-partition.
    int timed_warps = -1;
    double issue_s = 0;
    double port_s = 0;
    double issue_n = 0;       // issue_s times the cohort's members
    double stall_weight = 0;  // instructions issued with the kept stalls, not yet in the sum
    double warp_steps = 0;    // warps of the cohort that run the step
    // The step's first-byte latency and the cohort's time (its own step time times its
    // members), [0] when all its reads hit in the L2, [1] when one went to HBM.
    std::array<double, 2> latency{};
    std::array<double, 2> own_n{};
    std::int64_t sram_read = 0, sram_write = 0;                // the cohort's bytes
    std::int64_t l2_read = 0, l2_write = 0;                    // the cohort's requests
    double mma = 0, softmax = 0, fp32 = 0, sfu = 0, sram = 0;  // the cohort's work
    boost::container::small_vector<KeptAccess, 4> accesses;
};

struct Cohort {
    std::int64_t first_unit = 0;
    std::int64_t members = 0;
    std::int64_t steps = 0;
    Kept* kept = nullptr;
    std::int64_t next_step = 0;
    std::int64_t run_left = 0;  // steps the kept step still stands for, this one included
    std::int64_t run_rows = 0;  // row blocks this step's accesses lie beyond the kept step's
    bool done = false;          // finished; still in `active` until the next batch leaves
    RoundShare share;
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
        // Every slot is compared, used or not (an unused one never matches: its row, -1, is not
        // its key's, 0): a fixed count of compares of the row, where keys differ most, is
        // cheaper than a loop bound, and nearly every key asked about is new.
        for (int i = 0; i < k_capacity; ++i)
            if (m_rows[i] == key.row && m_keys[i] == key && m_kinds[i] == kind) return true;
        return false;
    }
    void remember(const TileKey& key, AccessKind kind) {
        if (m_count == k_capacity || kind == AccessKind::write) return;
        m_rows[m_count] = key.row;
        m_keys[m_count] = key;
        m_kinds[m_count++] = kind;
    }

private:
    static constexpr int k_capacity = 4;  // the K/V tiles of the last heads issued
    std::array<std::int64_t, k_capacity> m_rows{-1, -1, -1, -1};  // m_keys[i].row once used
    std::array<TileKey, k_capacity> m_keys{};
    std::array<AccessKind, k_capacity> m_kinds{};
    int m_count = 0;
};

// The HBM traffic of a round so far, and the bytes of its reductions.
struct RoundTraffic {
    std::int64_t hbm_read = 0, hbm_write = 0;
    double l2_atomic = 0;  // bytes of fp32 reductions, which the L2 serves at its atomic rate
};

// Adds the HBM traffic of one request (`times` copies when the cache could not hold the tile).
// Out of line: most requests are hits, which have none.
void add_traffic(const HbmTraffic& t, std::int64_t times, RoundTraffic& traffic) {
    times = t.bypassed ? times : 1;
    traffic.hbm_read =
        checked_add(traffic.hbm_read, checked_mul(t.read_bytes, times), "hbm_read_bytes");
    traffic.hbm_write =
        checked_add(traffic.hbm_write, checked_mul(t.write_bytes, times), "hbm_write_bytes");
}

// Requests tile `key` of access a from the L2. Returns whether HBM was read.
bool request(L2Cache& l2, const TileKey& key, KeptAccess& a, std::int64_t times,
             RoundTraffic& traffic) {
    const HbmTraffic t = l2.access(key, a.bytes, a.kind, a.cursor);
    if (!(t.read_bytes | t.write_bytes)) return false;
    add_traffic(t, times, traffic);
    return t.read_bytes > 0;
}

// Requests cohort c's tiles of its current step from the L2, in the step's order. Returns
// whether any of them was read from HBM.
bool request_tiles(L2Cache& l2, Cohort& c, RoundMemo& memo, RoundTraffic& traffic) {
    bool from_hbm = false;
    for (KeptAccess& a : c.share.accesses) {
        TileKey key = a.key;
        key.row += c.run_rows;
        if (a.axis == MemberAxis::shared) {
            // Cohorts started together walk the same K/V tiles in step: the second request for
            // a tile in one round is a hit the LRU already knows about.
            if (a.requesting > 0 && !(a.memo && memo.seen(key, a.kind))) {
                // The L2 merges the cohort's requests for a shared tile; without it each CTA
                // fetches its own copy.
                from_hbm |= request(l2, key, a, a.requesting, traffic);
                memo.remember(key, a.kind);
            }
        } else {
            std::int64_t& moves = a.axis == MemberAxis::row ? key.row : key.col;
            for (std::int64_t member = 0; member < c.members; ++member, ++moves)
                from_hbm |= request(l2, key, a, 1, traffic);
        }
        if (a.kind == AccessKind::reduce) traffic.l2_atomic += double(a.requested);
    }
    return from_hbm;
}

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
    // What a round adds for cohort c that depends on its step's compute time: its latency and
    // its time, whether a read went to HBM or not (as the round would work them out).
    const auto derive_times = [&](Cohort& c) {
        const Kept& k = *c.kept;
        RoundShare& sh = c.share;
        const bool overlapped = k.pipelined && m_stages > 1;
        for (const bool from_hbm : {false, true}) {
            const double latency = !k.accesses_any  ? 0.0
                                   : k.loads_itself ? (from_hbm ? hbm_latency - l2_latency : 0.0)
                                   : from_hbm       ? hbm_latency
                                                    : l2_latency;
            const double own = overlapped ? std::max(k.compute_s, latency / double(m_stages))
                                          : k.compute_s + latency;
            sh.latency[from_hbm] = latency;
            sh.own_n[from_hbm] = own * double(c.members);
        }
    };
    // Asks the plan for cohort c's next step and derives what the rounds of its run reuse.
    const auto keep_next_step = [&](Cohort& c) {
        Kept& k = *c.kept;
        RoundShare& sh = c.share;
        Step& step = k.step;
        step.clear();
        plan.step(c.first_unit, c.next_step, step);
        c.run_left = std::max<std::int64_t>(1, plan.step_run(c.first_unit, c.next_step));
        c.run_rows = 0;
        const double n = double(c.members);
        sh.accesses.clear();
        sh.l2_read = sh.l2_write = 0;
        for (const TileAccess& a : step.accesses) {
            const std::int64_t requesting = requesting_members(a, c.members);
            const std::int64_t requested = checked_mul(a.bytes, requesting);
            sh.accesses.push_back(
                {{a.head * k_tensor_count + static_cast<std::int64_t>(a.tensor), a.row, a.col},
                 a.bytes,
                 requested,
                 requesting,
                 a.kind,
                 a.member_axis,
                 a.member_axis == MemberAxis::shared && a.bytes <= m_l2.capacity_bytes(),
                 {}});
            // Integers: summed here or request by request in the round, the totals are the same.
            if (a.kind == AccessKind::read)
                sh.l2_read = checked_add(sh.l2_read, requested, "l2_read_bytes");
            else
                sh.l2_write = checked_add(sh.l2_write, requested, "l2_write_bytes");
        }
        sh.sram_read = checked_mul(step.sram_read_bytes, c.members);
        sh.sram_write = checked_mul(step.sram_write_bytes, c.members);
        sh.mma = step.mma_flops * n;
        sh.softmax = (step.fp32_flops + step.sfu_ops) * n;
        sh.fp32 = step.fp32_flops * n;
        sh.sfu = step.sfu_ops * n;
        sh.sram = double(step.sram_read_bytes + step.sram_write_bytes) * n;
        sh.warp_steps = n * per_cta_warps;
        k.mix = step.warp_mix;
        sh.timed = step.warp_mix && !step.warp_mix->empty();
        k.accesses_any = !step.accesses.empty();
        k.loads_itself = sh.timed && k.mix->count(Instr::global_load) > 0;
        k.pipelined = step.pipelined;
        sh.label = step.warp_mix && step.warp_mix->id >= 0 && step.warp_mix->id < k_labels
                       ? step.warp_mix->id
                       : -1;
        // The first step with a label gives the mix its warp-steps are counted with.
        if (sh.label >= 0 && labelled[static_cast<std::size_t>(sh.label)].second == 0)
            labelled[static_cast<std::size_t>(sh.label)].first = with_spills(*k.mix);
        sh.timed_warps = -1;
        if (!sh.timed) {
            // Without a mix: the unit's pipes in turn, as if it had its SMs to itself; other
            // CTAs on the SM fill the gaps (the shared-resource bounds of the round).
            const double pipes = (step.mma_flops * inv_tensor + step.fp32_flops * inv_fp32 +
                                  step.sfu_ops * inv_sfu) *
                                 inv_ctas;
            k.compute_s = std::max(
                pipes, double(step.sram_read_bytes + step.sram_write_bytes) * inv_sram * inv_ctas);
            derive_times(c);
        }
    };
    const double kernel_start = m_clock_s;
    bool first_round = true;
    std::array<double, k_stall_count> stall_sum{};
    double stall_weight = 0;
    // Folds cohort c's stalls into the kernel's, weighted by the instructions it issued.
    const auto add_stalls = [&](const Cohort& c) {
        for (std::size_t s = 0; s < stall_sum.size(); ++s)
            stall_sum[s] += c.kept->stalls[s] * c.share.stall_weight;
        stall_weight += c.share.stall_weight;
    };
    // One step of every warp on the SM, from the sub-partitions' issue model: a warp issues the
    // GEMMs and the softmax in turn, other resident warps fill its waits. The model's answer is
    // the same for the same mix and warps: kept for the run.
    const auto time_step = [&](Cohort& c, int smsp_warps) {
        Kept& k = *c.kept;
        RoundShare& sh = c.share;
        const InstructionMix& mix = *k.mix;
        const IssueTiming t = mix.id >= 0 && m_issue.knows(mix, smsp_warps, cta_warps_per_smsp)
                                  ? m_issue.step(mix, smsp_warps, cta_warps_per_smsp)
                                  : m_issue.step(with_spills(mix), smsp_warps, cta_warps_per_smsp);
        sh.timed_warps = smsp_warps;
        k.compute_s = t.cycles / clock;
        sh.issue_s = t.issue_share * k.compute_s;
        sh.port_s = t.port_share * k.compute_s;
        sh.issue_n = sh.issue_s * double(c.members);
        add_stalls(c);
        sh.stall_weight = 0;
        k.stalls = t.stalls;
        derive_times(c);
    };
    std::int64_t report_at = 0;
    std::int64_t resident_ctas = 0;

    std::size_t done_cohorts = 0;  // finished cohorts still in `active`
    while (next_unit < units || active.size() > done_cohorts) {
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
            Cohort& c = active.emplace_back();
            c.first_unit = next_unit;
            c.members = members;
            c.steps = plan.step_count(next_unit);
            c.kept = take_kept();
            if (m_record)
                spans_of(active.back(), [&](WaveSpan& w) {
                    if (w.begin_s < 0) w.begin_s = m_clock_s;
                });
            next_unit += members;
            free_slots -= members;
            started_ctas += members * per_unit;
        }
        resident_ctas += started_ctas;

        Round r;
        RoundMemo memo;
        RoundTraffic traffic;
        // Warps that share a sub-partition this round: the CTAs resident on one SM, their warps
        // dealt over its sub-partitions.
        const std::int64_t ctas_on_sm = (resident_ctas + g.sm_count - 1) / g.sm_count;
        const int smsp_warps = static_cast<int>(std::clamp<std::int64_t>(
            warps_per_subpartition(ctas_on_sm, cta_warps, smsp), cta_warps_per_smsp, 1 << 16));
        bool any_done = false;
        for (Cohort& c : active) {
            if (c.done) continue;
            if (c.run_left == 0) keep_next_step(c);
            RoundShare& sh = c.share;
            const bool from_hbm = request_tiles(m_l2, c, memo, traffic);
            r.l2_read = checked_add(r.l2_read, sh.l2_read, "l2_read_bytes");
            r.l2_write = checked_add(r.l2_write, sh.l2_write, "l2_write_bytes");
            m.sram_read_bytes = checked_add(m.sram_read_bytes, sh.sram_read, "sram_read_bytes");
            m.sram_write_bytes = checked_add(m.sram_write_bytes, sh.sram_write, "sram_write_bytes");
            m.flops_matmul += sh.mma;
            m.flops_softmax += sh.softmax;
            if (sh.label >= 0)  // summed by label, counted once at the end of the kernel
                labelled[static_cast<std::size_t>(sh.label)].second += sh.warp_steps;
            else if (c.kept->mix)
                add_predicted_instructions(m, with_spills(*c.kept->mix), sh.warp_steps);
            r.busy_s[idx(Resource::tensor)] += sh.mma;
            r.busy_s[idx(Resource::fp32)] += sh.fp32;
            r.busy_s[idx(Resource::sfu)] += sh.sfu;
            r.busy_s[idx(Resource::sram)] += sh.sram;
            if (sh.timed) {
                if (sh.timed_warps != smsp_warps) time_step(c, smsp_warps);
                // Weighted by the instructions the cohort issues this round.
                sh.stall_weight += sh.issue_n;
                r.issue_s = std::max(r.issue_s, sh.issue_s);
                r.port_s = std::max(r.port_s, sh.port_s);
            }
            r.latency_s = std::max(r.latency_s, sh.latency[from_hbm]);
            r.unit_s_sum += sh.own_n[from_hbm];
            r.units += double(c.members);
            // Advance (nothing after this loop reads the steps).
            ++c.next_step;
            --c.run_left;
            ++c.run_rows;
            any_done |= c.next_step >= c.steps;
        }
        r.hbm_read = traffic.hbm_read;
        r.hbm_write = traffic.hbm_write;
        r.l2_atomic = traffic.l2_atomic;

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

        // Finished cohorts free their slots now, and leave `active` in batches: removing one
        // moves every cohort behind it, and cohorts are large (their round shares).
        if (any_done) {
            for (Cohort& c : active) {
                if (c.done || c.next_step < c.steps) continue;
                c.done = true;
                ++done_cohorts;
                free_slots += c.members;
                resident_ctas -= c.members * per_unit;
                add_stalls(c);
                spare.push_back(c.kept);
                if (m_record)
                    spans_of(c, [&](WaveSpan& w) { w.end_s = std::max(w.end_s, m_clock_s); });
            }
            if (done_cohorts * 8 >= active.size()) {
                std::erase_if(active, [](const Cohort& c) { return c.done; });
                done_cohorts = 0;
            }
        }
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
