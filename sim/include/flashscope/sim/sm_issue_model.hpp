#pragma once
// The SM issue model: how long one sub-partition (SMSP) of an SM takes to run one step of a
// kernel for every warp resident on it. Each SMSP issues one warp instruction per clock to its
// pipes (tensor, FMA, MUFU, ALU with the conversions, the shared-memory/LSU pipe that
// ldmatrix, shuffles, shared loads and stores and cp.async share, and the ADU's mbarrier waits); a
// warp issues in order and waits for the results its next instruction depends on; only other
// resident warps fill that wait. Warps of one CTA meet at barriers. wgmma is asynchronous: a warp
// issues it into the tensor pipe's queue and goes on; what needs its result waits for it
// (Phase::after), and warps that take turns (Phase::turn, ping-pong) queue their GEMMs one warp
// after the other; FMA-pipe instructions issued while wgmma work is queued hold that work back
// (measured: the two barely overlap), while MUFU and ALU instructions run beside it. Rates and
// latencies come from the GPU preset (measured by `flashscope calibrate`). Simulated instruction by
// instruction over a few steps, memoized per mix.
#include <array>
#include <vector>

#include "flashscope/core/dtype.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/instruction_mix.hpp"
#include "flashscope/sim/issue_stall.hpp"

namespace flashscope::sim {

// F2FP (the pack conversions, Instr::cvt) issues on the ALU pipe: Nsight Compute's
// smsp__inst_executed_pipe_alu of flash3's forward on the H200 is its FMNMX, F2FP, FSETP, FSEL ...
// executed counts summed, and 8.5 of its 40.9 M are F2FP (docs/MODEL.md, "The SM issue model").
// Shuffles go through the shared-memory data path that ldmatrix uses: beside an ldmatrix.x4
// stream on the H200 the two take the sum of their times, where ex2 or FFMA beside it run hidden
// (scripts/mio-share-probe.sh, docs/validation/h200-2026-12-02T0254-mio-share.txt).
// mbarrier waits (SYNCS) issue to the ADU pipe (Nsight Compute's smsp__inst_executed_pipe_adu on
// the H200 holds flash3 forward's SYNCS count), which nothing else in the mixes uses.
enum class Pipe : int { tensor, fma, mufu, alu, mio, adu };
inline constexpr int k_pipe_count = 6;

struct IssueTiming {
    double cycles = 0;                              // per step, steady state
    double issue_share = 0;                         // issue slots used / cycles
    double port_share = 0;                          // the SMSP's L2-port share busy / cycles
    std::array<double, k_pipe_count> pipe_share{};  // pipe busy cycles / cycles
    Pipe busiest = Pipe::tensor;
    // Warp-cycles of each reason per issued instruction (Nsight Compute's
    // smsp__average_warps_issue_stalled_<reason>_per_issue_active).
    std::array<double, k_stall_count> stalls{};
};

class SmIssueModel {
public:
    SmIssueModel(const GpuSpec& gpu, DType dtype);

    // Steady-state cycles for each of `warps` warps resident on one SMSP to run one step of
    // `mix`; they come from CTAs that have `cta_warps` warps on this SMSP and sync at barriers.
    IssueTiming step(const InstructionMix& mix, int warps, int cta_warps) const;
    // Whether a labelled mix's timing for these warps is already known in this kernel.
    bool knows(const InstructionMix& mix, int warps, int cta_warps) const {
        for (const Labelled& l : m_by_id)
            if (l.id == mix.id && l.warps == warps && l.cta_warps == cta_warps) return true;
        return false;
    }
    // Forgets the labels of the previous kernel's mixes (InstructionMix::id).
    void new_kernel() const { m_by_id.clear(); }

    // FLOP of one mma.sync of the dtype (m16n8k16, or m16n8k8 for TF32).
    static double flops_per_mma(DType dtype);

    double interval(Instr i) const { return m_interval[static_cast<std::size_t>(i)]; }
    double latency(Instr i) const { return m_latency[static_cast<std::size_t>(i)]; }

private:
    struct Run {
        double end = 0;        // cycle at which the last result is written
        double issued = 0;     // warp instructions
        double port_busy = 0;  // cycles the sub-partition's share of the L2 port was taken
        std::array<double, k_pipe_count> pipe_busy{};
        std::array<double, k_stall_count> stalled{};  // warp-cycles by reason
    };
    IssueTiming simulate(const InstructionMix& mix, int warps, int cta_warps) const;
    Run run(const InstructionMix& mix, int steps, int warps, int cta_warps) const;

    std::array<double, k_instr_count> m_interval{};  // cycles a warp instruction holds its pipe
    std::array<double, k_instr_count> m_latency{};   // cycles until its result can be used
    double m_issue_cycles = 1;                       // cycles between issues of one SMSP
    double m_mma_warp_cycles = 0;         // cycles between one warp's own mma.sync issues
    double m_shared_cycles_per_byte = 0;  // a sub-partition's shared-memory port
    // Cycles a global load, store or reduction (one warp instruction, 8 rows of an accumulator)
    // holds the sub-partition's share of its SM's port to the L2 (0: the port is not modelled).
    // They share one port, each at its own measured rate.
    double m_port_load = 0, m_port_store = 0, m_port_reduce = 0;
    double m_port_copy = 0;       // cp.async: 16 B per lane, whole lines
    double m_warp_load = 0;       // one warp's successive queued loads
    double m_atomic_latency = 0;  // a returning reduction's round trip past the port
    // wgmma: tensor-pipe cycles per column N of one warp's m64nNk16 share (16 x N x 16), and the
    // cycles its result trails the pipe (the measured latency less one m64n128k16's occupancy).
    double m_wgmma_cycles_per_col = 0;
    double m_wgmma_tail = 0;
    // Cycles an FMA-pipe instruction holds back the sub-partition's queued wgmma work, and its
    // mma.sync work in flight.
    double m_fma_stalls_wgmma = 0;
    double m_fma_stalls_mma = 0;
    // Interval factor of each pipe's instructions while wgmma work is queued (1: unaffected).
    std::array<double, k_pipe_count> m_beside_wgmma = {1, 1, 1, 1, 1, 1};

    struct Memo {
        InstructionMix mix;
        int warps;
        int cta_warps;
        IssueTiming timing;
    };
    mutable std::vector<Memo> m_memo;  // one engine per simulation: no sharing across threads
    struct Labelled {
        int id;
        int warps;
        int cta_warps;
        IssueTiming timing;
    };
    mutable std::vector<Labelled> m_by_id;  // this kernel's labelled mixes
};

Pipe pipe_of(Instr i);

}  // namespace flashscope::sim
