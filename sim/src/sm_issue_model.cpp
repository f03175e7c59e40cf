#include "flashscope/sim/sm_issue_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>
#include <utility>

namespace flashscope::sim {
namespace {

constexpr std::size_t at(Instr i) {
    return static_cast<std::size_t>(i);
}
constexpr std::size_t at(Pipe p) {
    return static_cast<std::size_t>(p);
}
// The finest a streamed phase is cut (Phase::streams): 16-key slices of a 512-key block.
constexpr int k_max_slices = 32;

bool is_load(Instr i) {
    return i == Instr::ldsm || i == Instr::shared || i == Instr::cp_async || i == Instr::global ||
           i == Instr::local || i == Instr::global_load || i == Instr::lds || i == Instr::mbar_wait;
}

// One instruction of a warp's program.
struct Op {
    Instr kind;
    int dep;          // index of the instruction whose result it needs; -1: the phase it depends on
    int feed;         // index of the ldmatrix that loads its operands, or -1
    int phase;        // index of its phase in the program (a streamed pair shares one)
    bool opens_step;  // in a step's first phase: needs nothing from the previous step
    int step_phase;   // index of its phase within the step (the mix's phase)
    int after;        // its phase's Phase::after
    bool turn;        // its phase's Phase::turn
    int slice = -1;   // in a streamed pair (Phase::streams): its slice
    bool consumer = false;  // ... and whether it is of the consuming phase
};

// Where each instruction of one phase goes in the program, in (group, key) order: its class and
// index within its class; `slice` in a streamed pair.
struct Slot {
    int group;
    double key;
    Instr kind;
    int k;
    int slice;
    bool consumer;
};

// A phase's classes spread evenly over the keys [0, 1) (loads slightly ahead of the compute they
// feed), the barrier in a last group. In a streamed pair (`slices` > 0) the producer's slice c is
// group 2c; the consumer's slice c joins the producer's slice c + 1 (group 2c + 2, its keys moved
// up one slice to interleave) when it lags, else it follows slice c whole (group 2c + 1).
std::array<int, k_instr_count> slots_of(const Phase& ph, int slices, bool consumer, bool lags,
                                        std::vector<Slot>& slots) {
    std::array<int, k_instr_count> n{};
    for (int c = 0; c < k_instr_count; ++c) {
        const double want = ph.count[static_cast<std::size_t>(c)];
        int count = static_cast<int>(std::llround(want));
        if (want > 0 && count == 0) count = 1;
        n[static_cast<std::size_t>(c)] = count;
        const auto kind = static_cast<Instr>(c);
        for (int k = 0; k < count; ++k) {
            const double position = is_load(kind) ? double(k) / count : (k + 0.5) / count;
            const int slice =
                slices > 0 ? std::min(slices - 1, static_cast<int>(position * slices)) : -1;
            int group = slice < 0 ? 0 : 2 * slice;
            double key = position;
            if (consumer) {
                group = lags ? 2 * slice + 2 : 2 * slice + 1;
                if (lags) key += 1.0 / slices;
            }
            if (kind == Instr::barrier) group = 2 * k_max_slices + 2;
            slots.push_back({group, key, kind, k, slice, consumer});
        }
    }
    return n;
}

// A warp's program for `steps` steps: every phase's slots in key order, each instruction
// depending on the instruction of its class `chains` earlier, and mma.sync on the ldmatrix that
// loads its fragments. A phase that streams (Phase::streams) is merged with the one before it,
// lagging it by one slice.
std::vector<Op> program_of(const InstructionMix& mix, int steps) {
    std::vector<Op> ops;
    int phase_index = 0;
    for (int s = 0; s < steps; ++s) {
        for (int p = 0; p < mix.phase_count; ++p, ++phase_index) {
            const Phase& ph = mix.phases[static_cast<std::size_t>(p)];
            const Phase* streamed =
                p + 1 < mix.phase_count ? &mix.phases[static_cast<std::size_t>(p + 1)] : nullptr;
            if (streamed && streamed->streams <= 0) streamed = nullptr;
            const int slices = streamed ? std::min(streamed->streams, k_max_slices) : 0;
            std::vector<Slot> slots;
            std::array<std::array<int, k_instr_count>, 2> n{};
            n[0] = slots_of(ph, slices, false, false, slots);
            if (streamed) n[1] = slots_of(*streamed, slices, true, streamed->stream_lags, slots);
            std::stable_sort(slots.begin(), slots.end(), [](const Slot& a, const Slot& b) {
                return a.group != b.group ? a.group < b.group : a.key < b.key;
            });
            const std::size_t base = ops.size();
            // program index by class order, per phase of the pair
            std::array<std::array<std::vector<int>, k_instr_count>, 2> index_of;
            for (int r = 0; r < 2; ++r)
                for (int c = 0; c < k_instr_count; ++c)
                    index_of[r][static_cast<std::size_t>(c)].resize(
                        static_cast<std::size_t>(n[r][static_cast<std::size_t>(c)]));
            for (std::size_t i = 0; i < slots.size(); ++i)
                index_of[slots[i].consumer][at(slots[i].kind)]
                        [static_cast<std::size_t>(slots[i].k)] = static_cast<int>(base + i);
            for (std::size_t i = 0; i < slots.size(); ++i) {
                const Slot& sl = slots[i];
                const int r = sl.consumer;
                const Phase& own = r ? *streamed : ph;
                const auto& index = index_of[r];
                const int count = n[r][at(sl.kind)];
                const int chains =
                    std::max(1, static_cast<int>(std::ceil(count / std::max(1.0, own.depth))));
                // wgmma accumulates in the tensor pipe: consecutive ones on one accumulator do
                // not wait for each other (the measured rate runs chains of 8 at full speed).
                const int dep = sl.k >= chains && sl.kind != Instr::wgmma
                                    ? index[at(sl.kind)][static_cast<std::size_t>(sl.k - chains)]
                                    : -1;
                int feed = -1;
                const int loads = n[r][at(Instr::ldsm)];
                if (sl.kind == Instr::mma && loads > 0)
                    feed = index[at(Instr::ldsm)][static_cast<std::size_t>(
                        std::min<long>(loads - 1, long(sl.k) * loads / count))];
                ops.push_back({sl.kind, dep, feed, phase_index, p == 0 && !r, p + r, own.after,
                               own.turn, sl.slice, sl.consumer});
            }
            if (streamed) ++p;
        }
    }
    return ops;
}

// What a warp waiting for an instruction of this class waits on, as Nsight Compute says it.
Stall waiting_on(Instr kind) {
    switch (kind) {
        case Instr::mufu:
        case Instr::shfl:
        case Instr::ldsm:
        case Instr::shared:
        case Instr::lds:
        case Instr::local:
            return Stall::short_scoreboard;
        case Instr::global_load:
        case Instr::global:
        case Instr::cp_async:
        case Instr::mbar_wait:  // the branch on its result waits on the long scoreboard
            return Stall::long_scoreboard;
        default:
            return Stall::wait;
    }
}

}  // namespace

Pipe pipe_of(Instr i) {
    switch (i) {
        case Instr::mma:
        case Instr::wgmma:
            return Pipe::tensor;
        case Instr::fp32:
            return Pipe::fma;
        case Instr::mufu:
            return Pipe::mufu;
        case Instr::alu:
        case Instr::barrier:
        case Instr::cvt:
            return Pipe::alu;
        case Instr::shfl:  // through the shared-memory data path (scripts/mio-share-probe.sh)
        case Instr::ldsm:
        case Instr::shared:
        case Instr::lds:
        case Instr::cp_async:
        case Instr::global:
        case Instr::global_load:
        case Instr::local:
            return Pipe::mio;
        case Instr::mbar_wait:
            return Pipe::adu;
    }
    return Pipe::alu;
}

double SmIssueModel::flops_per_mma(DType dtype) {
    return dtype == DType::fp32 ? 2.0 * 16 * 8 * 8 : 2.0 * 16 * 8 * 16;
}

SmIssueModel::SmIssueModel(const GpuSpec& g, DType dtype) {
    const double smsp = double(g.smsp_per_sm);
    const auto per_warp = [&](double lanes_per_clk_per_sm) {
        return 32.0 / (lanes_per_clk_per_sm / smsp);
    };
    const double shared_bytes_per_clk = g.sram_bytes_per_clk_per_sm / smsp;
    m_shared_cycles_per_byte = 1 / shared_bytes_per_clk;
    m_interval[at(Instr::mma)] = flops_per_mma(dtype) / (g.tensor_flops_per_clk(dtype) / smsp);
    m_interval[at(Instr::fp32)] = per_warp(g.fp32_flops_per_clk / 2);  // an FMA is 2 FLOP
    m_interval[at(Instr::mufu)] = per_warp(g.sfu_ops_per_clk);
    m_interval[at(Instr::alu)] = per_warp(g.alu_ops_per_clk);
    m_interval[at(Instr::cvt)] = per_warp(g.cvt_ops_per_clk);
    m_interval[at(Instr::shfl)] = per_warp(g.shfl_ops_per_clk);
    m_interval[at(Instr::ldsm)] = 512 / shared_bytes_per_clk;
    m_interval[at(Instr::shared)] = 512 / shared_bytes_per_clk;
    m_interval[at(Instr::lds)] = 128 / shared_bytes_per_clk;
    m_interval[at(Instr::cp_async)] = 512 / shared_bytes_per_clk;
    m_interval[at(Instr::global)] = 128 / shared_bytes_per_clk;
    m_interval[at(Instr::barrier)] = 1;
    m_interval[at(Instr::local)] = 256 / shared_bytes_per_clk;
    m_interval[at(Instr::global_load)] = 256 / shared_bytes_per_clk;
    m_interval[at(Instr::mbar_wait)] = 1;  // a few a step: its pipe's rate does not bind
    m_latency[at(Instr::mma)] = g.mma_latency_cycles;
    m_latency[at(Instr::fp32)] = g.fp32_latency_cycles;
    m_latency[at(Instr::mufu)] = g.mufu_latency_cycles;
    m_latency[at(Instr::alu)] = g.fp32_latency_cycles;
    m_latency[at(Instr::cvt)] = g.fp32_latency_cycles;
    m_latency[at(Instr::shfl)] = g.shfl_latency_cycles;
    m_latency[at(Instr::ldsm)] = g.ldmatrix_latency_cycles;
    m_latency[at(Instr::shared)] = g.ldmatrix_latency_cycles;
    m_latency[at(Instr::lds)] = g.ldmatrix_latency_cycles;
    m_latency[at(Instr::cp_async)] = 1;  // completion is the copy pipeline's business
    m_latency[at(Instr::global)] = 1;    // stores and reductions: fire and forget
    m_latency[at(Instr::barrier)] = g.barrier_cycles;
    m_latency[at(Instr::local)] = g.ldmatrix_latency_cycles;  // an L1 hit, as a shared load
    // A load of data another step wrote (flash1's running output): L1 does not keep global
    // stores, so at best an L2 hit (the pointer chase's latency; queueing under load not counted).
    m_latency[at(Instr::global_load)] = g.l2_latency_cycles;
    m_latency[at(Instr::mbar_wait)] = g.mbarrier_wait_cycles;
    m_issue_cycles = 1 / g.issue_per_clk_per_smsp;
    // One SM's port to the L2, measured with the accumulator layout the mixes' global accesses
    // have (calibrate; a stream of whole-line reads and writes took each byte at its own
    // direction's cost there: 43 B/clk predicted that way for equal parts, 46 measured). A
    // sub-partition gets a quarter; an instruction costs what 256 B of that pattern cost.
    const auto port = [&](double bytes_per_clk) {
        return bytes_per_clk > 0 ? 256 / (bytes_per_clk / smsp) : 0.0;
    };
    m_port_load = port(g.l2_sm_read_bytes_per_clk);
    m_port_store = port(g.l2_sm_write_bytes_per_clk);
    m_port_reduce = port(g.l2_sm_reduce_bytes_per_clk);
    // cp.async copies (512 B a warp instruction) take the same port at the whole-line rate:
    // a warp cannot issue the next block's copies while the port is busy with other traffic.
    m_port_copy = 2 * port(g.l2_sm_line_read_bytes_per_clk);
    m_warp_load = g.l2_warp_load_cycles;
    // A reduction that returns (ATOMG: the float2 atomicAdd of sm_90) is back this long after the
    // port has taken it (0: reductions do not return, RED).
    m_atomic_latency = g.l2_atomic_latency_cycles;
    // One warp per sub-partition reaches a lower mma.sync rate than several (measured): a warp
    // cannot issue its next mma.sync sooner than this, whatever the pipe's occupancy.
    // Measured in bf16; other dtypes in proportion to their full rate.
    const double one_warp =
        g.mma_one_warp_flops_per_clk * g.tensor_flops_per_clk(dtype) / g.tensor_flops_per_clk_bf16;
    m_mma_warp_cycles = flops_per_mma(dtype) / (one_warp / smsp);
    // Measured (calibrate, "mma.sync beside FFMA"): FFMA holds mma.sync back as it holds wgmma.
    m_fma_stalls_mma = (1 - g.mma_fma_hidden_share) * m_interval[at(Instr::fp32)];
    if (g.has_wgmma()) {
        // A warp's share of m64nNk16 is 16 x N x 16 multiply-adds on its sub-partition's
        // quarter of the tensor pipe.
        m_wgmma_cycles_per_col = 2.0 * 16 * 16 / (g.wgmma_flops_per_clk / smsp);
        m_wgmma_tail = std::max(0.0, g.wgmma_latency_cycles - 128 * m_wgmma_cycles_per_col);
        // Measured (calibrate, "wgmma beside FFMA"): while the FMA pipe runs, the queued wgmma
        // waits for all but this share of it.
        m_fma_stalls_wgmma = (1 - g.wgmma_fma_hidden_share) * m_interval[at(Instr::fp32)];
        // ... and the FMA, MUFU and ALU pipes run slower beside it (measured the same way).
        m_beside_wgmma[at(Pipe::fma)] = 1 / g.wgmma_fma_rate_share;
        m_beside_wgmma[at(Pipe::mufu)] = 1 / g.wgmma_mufu_rate_share;
        m_beside_wgmma[at(Pipe::alu)] = 1 / g.wgmma_alu_rate_share;
    }
    m_interval[at(Instr::wgmma)] = 0;  // per phase: wgmma_n columns (run())
    m_latency[at(Instr::wgmma)] = m_wgmma_tail;
}

IssueTiming SmIssueModel::step(const InstructionMix& mix, int warps, int cta_warps) const {
    if (mix.id >= 0) {
        for (const Labelled& l : m_by_id)
            if (l.id == mix.id && l.warps == warps && l.cta_warps == cta_warps) return l.timing;
        InstructionMix unlabelled = mix;
        unlabelled.id = -1;
        const IssueTiming t = step(unlabelled, warps, cta_warps);
        m_by_id.push_back({mix.id, warps, cta_warps, t});
        return t;
    }
    for (const Memo& m : m_memo)
        if (m.warps == warps && m.cta_warps == cta_warps && m.mix == mix) return m.timing;
    IssueTiming t = simulate(mix, warps, cta_warps);
    m_memo.push_back({mix, warps, cta_warps, t});
    return t;
}

IssueTiming SmIssueModel::simulate(const InstructionMix& mix, int warps, int cta_warps) const {
    IssueTiming result;
    if (mix.empty() || warps < 1) return result;
    cta_warps = std::clamp(cta_warps, 1, warps);
    // The steady-state step is the marginal cost of two more steps: every warp running three
    // steps minus every warp running one (the first fills the pipes). Measured on whole runs, not
    // per step, because the scheduler may let one warp run ahead of the others.
    const Run one = run(mix, 1, warps, cta_warps);
    const Run three = run(mix, 3, warps, cta_warps);
    result.cycles = std::max((three.end - one.end) / 2, 1e-9);
    const double per_cycle = 1.0 / (2 * result.cycles);
    result.issue_share = (three.issued - one.issued) * m_issue_cycles * per_cycle;
    result.port_share = (three.port_busy - one.port_busy) * per_cycle;
    for (std::size_t p = 0; p < result.pipe_share.size(); ++p)
        result.pipe_share[p] = (three.pipe_busy[p] - one.pipe_busy[p]) * per_cycle;
    const double issued = three.issued - one.issued;
    if (issued > 0)
        for (std::size_t k = 0; k < result.stalls.size(); ++k)
            result.stalls[k] = std::max(0.0, three.stalled[k] - one.stalled[k]) / issued;
    result.busiest =
        static_cast<Pipe>(std::max_element(result.pipe_share.begin(), result.pipe_share.end()) -
                          result.pipe_share.begin());
    return result;
}

SmIssueModel::Run SmIssueModel::run(const InstructionMix& mix, int steps, int warps,
                                    int cta_warps) const {
    Run result;
    const std::vector<Op> ops = program_of(mix, steps);
    const int n = static_cast<int>(ops.size());
    if (n == 0) return result;

    struct Warp {
        int pc = 0;
        std::vector<double> done;  // completion time of each issued instruction
        double phase_end = 0;      // results of the previous phase available
        double current_end = 0;    // latest completion within the current phase
        int phase = 0;
        double blocked_until = 0;  // barrier release
        double next_mma = 0;       // its own mma.sync issue spacing
        bool at_barrier = false;
        std::array<double, InstructionMix::k_max_phases> step_done{};  // per phase of this step
        std::array<double, k_max_slices> slice_done{};  // a streamed pair's producer, per slice
        bool in_turn = false;                           // within a run of turn phases
        double load_free = 0;  // when its queued loads let the next one's data return
        double since = 0;      // the first cycle it could have issued again after its last issue
        // When this step's and the previous step's returning atomics are back from the L2.
        double reduce_done = 0, prev_reduce_done = 0;
        // The class of the instruction that completes last in the current / previous phase and
        // in each phase of this step: what a warp waiting for a phase's results waits on.
        Instr current_end_kind = Instr::alu, phase_end_kind = Instr::alu;
        std::array<Instr, InstructionMix::k_max_phases> step_done_kind{};
    };
    std::vector<Warp> w(static_cast<std::size_t>(warps));
    for (Warp& x : w) x.done.assign(static_cast<std::size_t>(n), 0.0);
    std::array<double, k_pipe_count> pipe_free{};
    std::array<double, k_pipe_count> pipe_busy{};
    double port = 0, issued = 0;
    double l2_port = 0;  // when the sub-partition's share of the SM's L2 port is free
    const auto phase_of = [&](const Op& op) -> const Phase& {
        return mix.phases[static_cast<std::size_t>(op.step_phase)];
    };
    const auto port_cycles = [&](const Op& op) {
        if (op.kind == Instr::global_load) return m_port_load;
        if (op.kind == Instr::cp_async) return m_port_copy;
        if (op.kind != Instr::global) return 0.0;
        return phase_of(op).reduces ? m_port_reduce : m_port_store;
    };
    // Ping-pong: which warp of each CTA's group on this sub-partition holds the turn.
    std::vector<int> holder(static_cast<std::size_t>((warps + cta_warps - 1) / cta_warps), 0);
    const auto holds_turn = [&](int i) {
        return holder[static_cast<std::size_t>(i / cta_warps)] == i % cta_warps;
    };
    const auto pass_turn = [&](int i) {
        int& h = holder[static_cast<std::size_t>(i / cta_warps)];
        const int size = std::min(cta_warps, warps - i / cta_warps * cta_warps);
        h = (h + 1) % size;
        w[static_cast<std::size_t>(i)].in_turn = false;
    };
    const auto eligible = [&](int i) {
        const Warp& x = w[static_cast<std::size_t>(i)];
        if (x.pc >= n || x.at_barrier) return false;
        return !ops[static_cast<std::size_t>(x.pc)].turn || holds_turn(i);
    };

    // When the warp's next instruction can issue and, with `with_why`, what it waits for until
    // then. The scheduler asks for the time alone, of every warp at every issue: without the
    // reason the bounds compile to plain maxima.
    const auto ready_at = [&](const Warp& x, auto with_why) {
        constexpr bool track = decltype(with_why)::value;
        const Op& op = ops[static_cast<std::size_t>(x.pc)];
        double r = 0;
        Stall why = Stall::selected;
        const auto bound = [&](double t, auto reason) {
            if constexpr (track) {
                if (t > r) {
                    r = t;
                    why = reason();
                }
            } else {
                r = std::max(r, t);
            }
        };
        // The reasons are lambdas, read only when the reason is asked for.
        const auto is = [](Stall s) { return [s] { return s; }; };
        bound(x.blocked_until, is(Stall::barrier));
        // wgmma waits in the tensor pipe's queue, not at issue.
        if (op.kind != Instr::wgmma) {
            const Pipe pipe = pipe_of(op.kind);
            bound(pipe_free[at(pipe)],
                  is(pipe == Pipe::mio ? Stall::mio_throttle : Stall::math_pipe_throttle));
        }
        // A warp's own mma.sync spacing is the compiler's stall count on each HMMA: "wait".
        if (op.kind == Instr::mma) bound(x.next_mma, is(Stall::wait));
        // A store, reduction or copy waits for the L2 port (the LSU's queue for it is full:
        // lg_throttle). A load does not: the queue takes a burst of them and the warp goes on,
        // its data returning as the port serves them (scripts/l2-port-queue-probe.sh: 48
        // fragment loads beside an independent FFMA chain take the longer of the two, not the sum).
        if (port_cycles(op) > 0 && op.kind != Instr::global_load)
            bound(l2_port, is(Stall::lg_throttle));
        const int after = op.after;
        if (op.dep >= 0) {
            bound(x.done[static_cast<std::size_t>(op.dep)],
                  [&] { return waiting_on(ops[static_cast<std::size_t>(op.dep)].kind); });
        } else if (op.kind != Instr::barrier && !op.opens_step) {
            if (after >= 0)
                bound(x.step_done[static_cast<std::size_t>(after)], [&] {
                    return waiting_on(x.step_done_kind[static_cast<std::size_t>(after)]);
                });
            else if (after != Phase::k_after_none)
                op.phase == x.phase
                    ? bound(x.phase_end, [&] { return waiting_on(x.phase_end_kind); })
                    : bound(x.current_end, [&] { return waiting_on(x.current_end_kind); });
        }
        if (op.feed >= 0)
            bound(x.done[static_cast<std::size_t>(op.feed)], is(Stall::short_scoreboard));
        // A returning atomic holds its registers until the L2 answers, and the next step's first
        // instructions reuse them (flash2 backward's SASS: IMAD on the long scoreboard after the
        // ATOMG of the dQ reduction, 8.5 % of Nsight Compute's stall samples).
        if (op.opens_step) bound(x.prev_reduce_done, is(Stall::long_scoreboard));
        // A streamed phase's instruction needs its slice of the phase it consumes (the program
        // puts it after all of that slice).
        if (op.consumer)
            bound(x.slice_done[static_cast<std::size_t>(op.slice)], is(Stall::short_scoreboard));
        return std::pair{r, why};
    };
    const auto ready_time = [&](const Warp& x) { return ready_at(x, std::false_type{}).first; };
    // A completion time that moves later, and the class of the instruction that moved it.
    const auto later = [](double& time, Instr& kind, double done, Instr by) {
        if (done > time) {
            time = done;
            kind = by;
        }
    };
    // A streamed pair's producing instruction done at `done`: its slice's results are due then.
    const auto produced = [](Warp& x, const Op& op, double done) {
        if (op.slice < 0 || op.consumer) return;
        double& slice = x.slice_done[static_cast<std::size_t>(op.slice)];
        slice = std::max(slice, done);
    };
    int last_wgmma = -1;  // the warp that queued the last wgmma
    // wgmma whose tensor-pipe work is not done yet: while there are any, the FMA, MUFU and ALU
    // pipes run at their rates beside wgmma, and an FMA-pipe instruction delays them
    // (m_fma_stalls_wgmma).
    struct Queued {
        int warp;
        int pc;
        double pipe_end;
    };
    std::vector<Queued> queued;
    std::vector<Queued> mma_in_flight;  // mma.sync not yet through the pipe (or its warp's spacing)
    const bool tracks_wgmma = m_wgmma_cycles_per_col > 0;
    const auto running = [](std::vector<Queued>& work, double t) {
        std::erase_if(work, [&](const Queued& q) { return q.pipe_end <= t; });
        return !work.empty();
    };
    // Tensor work held back at time t: its pipe slot and results, and for mma.sync (`spacing`)
    // each warp's next issue.
    const auto delay_tensor_work = [&](std::vector<Queued>& work, double by, double t,
                                       bool spacing) {
        if (by <= 0) return;
        double& pipe = pipe_free[at(Pipe::tensor)];
        if (pipe > t) pipe += by;
        if (spacing)
            for (Warp& y : w)
                if (y.next_mma > t) y.next_mma += by;
        for (Queued& q : work) {
            q.pipe_end += by;
            Warp& y = w[static_cast<std::size_t>(q.warp)];
            const Op& wop = ops[static_cast<std::size_t>(q.pc)];
            double& done = y.done[static_cast<std::size_t>(q.pc)];
            done += by;
            const auto p = static_cast<std::size_t>(wop.step_phase);
            later(y.step_done[p], y.step_done_kind[p], done, wop.kind);
            if (y.phase == wop.phase) {
                produced(y, wop, done);
                later(y.current_end, y.current_end_kind, done, wop.kind);
            } else if (y.phase == wop.phase + 1)
                later(y.phase_end, y.phase_end_kind, done, wop.kind);
            result.end = std::max(result.end, done);
        }
    };

    int finished = 0;
    int last = -1;
    while (finished < warps) {
        // The ready warp that can issue first; the last one issued wins ties (greedy-then-oldest).
        int pick = -1;
        double best = std::numeric_limits<double>::infinity();
        for (int i = 0; i < warps; ++i) {
            if (!eligible(i)) continue;
            const double r = ready_time(w[static_cast<std::size_t>(i)]);
            if (r < best || (r == best && i == last)) {
                best = r;
                pick = i;
            }
        }
        if (pick < 0) break;  // every live warp waits at a barrier that can't release: no program
        // Warps held at the L2 port (Nsight Compute's lg_throttle) get it in turn, as the LSU's
        // queue frees, rather than one warp's whole run of accesses first.
        if (pick == last &&
            port_cycles(ops[static_cast<std::size_t>(w[static_cast<std::size_t>(pick)].pc)]) > 0) {
            for (int k = 1; k < warps; ++k) {
                const int i = (pick + k) % warps;
                if (!eligible(i)) continue;
                const Warp& y = w[static_cast<std::size_t>(i)];
                if (port_cycles(ops[static_cast<std::size_t>(y.pc)]) <= 0) continue;
                const double r = ready_time(y);
                if (r > best) continue;
                pick = i;
                best = r;
                break;
            }
        }
        // Without turns, warps that have a wgmma ready by the time the port is free queue them in
        // rotation (the scheduler picks among eligible warps), so their GEMMs share the pipe and
        // finish together: what FlashAttention-3's ping-pong barrier exists to prevent.
        if (ops[static_cast<std::size_t>(w[static_cast<std::size_t>(pick)].pc)].kind ==
                Instr::wgmma &&
            pick == last_wgmma) {
            const double by = std::max(port, best);
            for (int k = 1; k < warps; ++k) {
                const int i = (pick + k) % warps;
                if (!eligible(i)) continue;
                const Warp& y = w[static_cast<std::size_t>(i)];
                const Op& next = ops[static_cast<std::size_t>(y.pc)];
                if (next.kind != Instr::wgmma || next.turn) continue;
                const double r = ready_time(y);
                if (r > by) continue;
                pick = i;
                best = r;
                break;
            }
        }
        Warp& x = w[static_cast<std::size_t>(pick)];
        const Op& op = ops[static_cast<std::size_t>(x.pc)];
        const double t = std::max(port, best);
        port = t + m_issue_cycles;
        {
            // Since it could last have issued, the warp waited for `why`, then for its turn.
            const auto [ready, why] = ready_at(x, std::true_type{});
            const double waited = std::max(0.0, std::min(ready, t) - x.since);
            result.stalled[static_cast<std::size_t>(why)] += waited;
            result.stalled[static_cast<std::size_t>(Stall::not_selected)] +=
                std::max(0.0, t - std::max(ready, x.since));
            result.stalled[static_cast<std::size_t>(Stall::selected)] += 1;
            x.since = t + m_issue_cycles;
        }
        issued += 1;
        last = pick;
        if (op.phase != x.phase) {  // entering a new phase: the previous one's results are due
            x.phase_end = x.current_end;
            x.phase_end_kind = x.current_end_kind;
            x.phase = op.phase;
            if (op.step_phase == 0) {
                x.step_done.fill(0.0);
                x.prev_reduce_done = x.reduce_done;
                x.reduce_done = 0;
            }
            if (op.slice >= 0) x.slice_done.fill(0.0);
        }
        // The turn passes as the warp issues the last instruction of its run of turn phases
        // (FlashAttention-3 arrives at the next warpgroup's barrier right after its GEMMs).
        if (op.turn) {
            x.in_turn = true;
            const std::size_t next = static_cast<std::size_t>(x.pc) + 1;
            if (next >= ops.size() || !ops[next].turn) pass_turn(pick);
        }
        if (op.kind == Instr::mma) x.next_mma = t + m_mma_warp_cycles;
        const Pipe pipe = pipe_of(op.kind);
        double done = 0;
        if (op.kind == Instr::wgmma) {
            // Queued: the pipe takes it when free and holds it for its N columns, or for as long
            // as its shared-memory operands take through the sub-partition's share of the
            // shared-memory bandwidth, if longer (SS with N < 64).
            const double start = std::max(t, pipe_free[at(pipe)]);
            const double cost =
                std::max(m_wgmma_cycles_per_col * phase_of(op).wgmma_n,
                         phase_of(op).wgmma_shared_bytes * m_shared_cycles_per_byte);
            pipe_free[at(pipe)] = start + cost;
            pipe_busy[at(pipe)] += cost;
            done = start + cost + m_latency[at(op.kind)];
            last_wgmma = pick;
            if (tracks_wgmma) queued.push_back({pick, x.pc, start + cost});
        } else {
            const bool beside = tracks_wgmma && running(queued, t);
            const double interval =
                m_interval[at(op.kind)] * (beside ? m_beside_wgmma[at(pipe)] : 1.0);
            pipe_free[at(pipe)] = t + interval;
            pipe_busy[at(pipe)] += interval;
            // Through the L2 port: its bytes take their time before a load's data returns.
            const double through_port = port_cycles(op);
            if (through_port > 0) {
                l2_port = std::max(l2_port, t) + through_port;
                result.port_busy += through_port;
            }
            if (op.kind == Instr::global_load) {
                // Queued loads return as the port serves them, and one warp's no faster than
                // its own outstanding requests allow (calibrate: l2_warp_load_cycles).
                x.load_free = std::max(x.load_free, t) + m_warp_load;
                done = std::max(l2_port, x.load_free) + m_latency[at(op.kind)];
            } else {
                done = t + through_port + m_latency[at(op.kind)];
                if (m_atomic_latency > 0 && op.kind == Instr::global && phase_of(op).reduces)
                    x.reduce_done = std::max(x.reduce_done, l2_port + m_atomic_latency);
            }
            if (pipe == Pipe::fma && beside)
                delay_tensor_work(queued, m_fma_stalls_wgmma, t, false);
            if (pipe == Pipe::fma && m_fma_stalls_mma > 0 && running(mma_in_flight, t))
                delay_tensor_work(mma_in_flight, m_fma_stalls_mma, t, true);
            if (op.kind == Instr::mma && m_fma_stalls_mma > 0)
                mma_in_flight.push_back({pick, x.pc, std::max(pipe_free[at(pipe)], x.next_mma)});
        }
        x.done[static_cast<std::size_t>(x.pc)] = done;
        produced(x, op, done);
        later(x.current_end, x.current_end_kind, done, op.kind);
        const auto step_phase = static_cast<std::size_t>(op.step_phase);
        later(x.step_done[step_phase], x.step_done_kind[step_phase], done, op.kind);
        result.end = std::max(result.end, done);
        ++x.pc;
        if (op.kind == Instr::barrier) {
            // Wait for the CTA's other warps on this SMSP; the last to arrive releases them all.
            x.at_barrier = true;
            const int first = pick / cta_warps * cta_warps;
            const int end = std::min(warps, first + cta_warps);
            bool all = true;
            double release = 0;
            for (int i = first; i < end; ++i) {
                const Warp& y = w[static_cast<std::size_t>(i)];
                all = all && y.at_barrier;
                release = std::max(release, y.done[static_cast<std::size_t>(y.pc - 1)]);
            }
            if (all)
                for (int i = first; i < end; ++i) {
                    w[static_cast<std::size_t>(i)].at_barrier = false;
                    w[static_cast<std::size_t>(i)].blocked_until = release;
                }
        }
        if (x.pc >= n) ++finished;
    }
    result.issued = issued;
    result.pipe_busy = pipe_busy;
    return result;
}

}  // namespace flashscope::sim
