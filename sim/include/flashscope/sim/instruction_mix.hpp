#pragma once
// What one warp issues in one step of a kernel, by instruction class, in phases that depend on
// each other (S = QK^T, then the softmax on S, then P.V). Schedules derive it from the algorithm
// and the tile; the SM issue model (sm_issue_model.hpp) turns it into cycles. A phase depends on
// every phase before it unless it names the one it needs (`after`): with asynchronous wgmma a
// warp issues the next block's GEMM and goes on with the softmax of this one (FlashAttention-3).
#include <array>
#include <cstdint>

namespace flashscope::sim {

enum class Instr : int {
    mma,          // mma.sync m16n8k16 (tensor pipe)
    fp32,         // FFMA, FMUL, FADD (FMA pipe)
    mufu,         // ex2 (MUFU / XU pipe)
    alu,          // integer, logic, compare, FMNMX, select
    cvt,          // F32 -> 16-bit pack conversions (F2FP: issued on the ALU pipe)
    shfl,         // shfl.sync
    ldsm,         // ldmatrix.x4: 512 B of shared memory
    shared,       // other shared loads and stores, 16 B per thread: 512 B
    cp_async,     // cp.async 16 B per thread into shared memory: 512 B
    global,       // plain global stores or reductions (Phase::reduces), 8 B per thread over 8 rows
    barrier,      // bar.sync of the CTA
    local,        // spilled registers: a local store or load, 8 B per thread
    global_load,  // plain global loads (LDG), 8 B per thread over 8 rows, whose values it uses
    wgmma,        // wgmma.mma_async m64nNk16 (Hopper): the warp's 16 rows; issued, not waited for
    lds,          // a narrow shared load or store (4 B a lane, or 8 B over a quad): one wavefront
    mbar_wait,    // mbarrier.try_wait on a pipeline barrier whose phase has completed (SYNCS)
};
inline constexpr int k_instr_count = 16;

// Instructions that may start once the previous phase's results exist.
struct Phase {
    std::array<double, k_instr_count> count{};  // warp instructions of each class
    // Length of the longest dependency chain, in instructions of one class: e.g. the k-loop of a
    // GEMM (head_dim / 16 mma.sync per accumulator). Classes with more instructions than this run
    // count / depth independent chains.
    double depth = 1;
    // N of the phase's wgmma.m64nNk16: the tensor pipe holds each for N columns' worth of cycles.
    double wgmma_n = 0;
    // Bytes one warp's share of each of the phase's wgmma reads from shared memory: B, and A too
    // when it is not in registers (SS). An SS m64n64k16 needs the whole shared-memory bandwidth
    // (4 KB in its 32 cycles), a narrower SS one more than there is.
    double wgmma_shared_bytes = 0;
    // The phase (index within the step) whose results this one needs: k_after_all (every phase
    // issued before, the default), k_after_none (nothing of this step), or an earlier index.
    static constexpr int k_after_all = -1;
    static constexpr int k_after_none = -2;
    int after = k_after_all;
    // Ping-pong (FlashAttention-3's scheduler barrier): the CTA's warps on a sub-partition take
    // turns at the tensor core. A warp issues a run of `turn` phases only while it holds the turn,
    // and hands it to the next warp when it issues its first instruction past the run.
    bool turn = false;
    // The phase's `global` instructions are reductions (atomicAdd), not stores: the L2 port
    // takes them at its reduction rate.
    bool reduces = false;
    // > 0: the phase consumes the previous one slice by slice, in this many slices (P.V takes P
    // 16 keys at a time, as each slice's exponentials are done). The compiler interleaves the two
    // in the warp's program, slice c of this phase alongside slice c + 1 of the previous one, and
    // slice c waits only for slice c's results (the SASS of our forward kernels issues MUFU.EX2
    // and the P.V HMMA interleaved: docs/MODEL.md, "Streamed phases").
    int streams = 0;
    // ... one slice behind, when a thread has the registers for a second slice of P; a kernel
    // that spills gets no such slack, and its compiler alternates whole slices: produce slice c,
    // then consume it (the SASS of flash2 forward 128x128, 4 warps, d 64, at 255 registers).
    bool stream_lags = true;

    double& operator[](Instr i) { return count[static_cast<std::size_t>(i)]; }
    double operator[](Instr i) const { return count[static_cast<std::size_t>(i)]; }
    bool operator==(const Phase&) const = default;
};

struct InstructionMix {
    static constexpr int k_max_phases = 8;
    std::array<Phase, k_max_phases> phases{};
    int phase_count = 0;
    // A plan may label the mixes it reuses step after step (0, 1, ...): within one kernel the
    // engine then memoizes their timing and sums their instruction counts by label. -1: none.
    int id = -1;

    bool empty() const { return phase_count == 0; }
    // Opens a new phase (the last one is extended past k_max_phases); returns it.
    Phase& next(double depth) {
        if (phase_count < k_max_phases) ++phase_count;
        Phase& p = phases[static_cast<std::size_t>(phase_count - 1)];
        p.depth = depth > p.depth ? depth : p.depth;
        return p;
    }
    double count(Instr i) const {
        double t = 0;
        for (int p = 0; p < phase_count; ++p) t += phases[static_cast<std::size_t>(p)][i];
        return t;
    }
    // Phases past phase_count are never used: compare the used ones (the issue model's memo).
    bool operator==(const InstructionMix& o) const {
        if (phase_count != o.phase_count || id != o.id) return false;
        for (int p = 0; p < phase_count; ++p)
            if (!(phases[static_cast<std::size_t>(p)] == o.phases[static_cast<std::size_t>(p)]))
                return false;
        return true;
    }
};

}  // namespace flashscope::sim
