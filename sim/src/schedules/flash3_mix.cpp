#include "flash3_mix.hpp"

#include "flash3_cta.hpp"

namespace flashscope::sim::detail {
namespace {

double d(std::int64_t v) {
    return double(v);
}

enum class Operand { shared, registers };  // where a wgmma's A comes from (B: shared memory)

// A GEMM (m x n, depth k) of the consumer warpgroups: each warp issues its warpgroup's
// wgmma.m64nNk16, (rows per warpgroup / 64) x (k / 16) of them. Each reads its 16 x N slice of B
// (and its 64 x 16 of A when SS) from shared memory once per warpgroup: a warp's share is a
// quarter.
void gemm(Phase& p, std::int64_t m, std::int64_t n, std::int64_t k, std::int64_t warpgroups,
          Operand a, std::int64_t elem) {
    const WgmmaSplit s = wgmma_split(m, n, warpgroups);
    if (s.rows == 0) return;  // check_tile refuses such tiles before any mix is built
    p[Instr::wgmma] += d(s.rows / 64) * d(k) / 16;
    p.wgmma_n = d(s.n);
    const double b = d(s.n) * 16 * d(elem),
                 a_bytes = a == Operand::shared ? 64.0 * 16 * d(elem) : 0;
    p.wgmma_shared_bytes = (a_bytes + b) / 4;
}

// Opens a phase that needs the results of phase `after` of this step (or k_after_*).
Phase& phase(InstructionMix& mix, double depth, int after, bool turn = false) {
    Phase& p = mix.next(depth);
    p.after = after;
    p.turn = turn;
    return p;
}

Operand p_operand(const Flash3Tile& t) {
    return t.p_in_registers ? Operand::registers : Operand::shared;
}

int last_index(const InstructionMix& mix) {
    return mix.phase_count - 1;
}

// A consumer's wait on a pipeline barrier whose phase the producer completed before (its TMA
// landed), and its release of a buffer (an mbarrier arrive: an issue slot, nothing waits on it).
// scripts/fa3-iteration-probe.sh measured the forward's two waits and two releases at +43 cycles
// an iteration with two warpgroups and +68 with one.
void wait_on_barriers(Phase& p, double waits) {
    p[Instr::mbar_wait] += waits;
}
void release_buffer(Phase& p) {
    p[Instr::alu] += 1;
}

}  // namespace

bool flash3_ping_pong(std::int64_t warpgroups, std::int64_t head_dim) {
    return warpgroups >= 2 && head_dim <= 128;
}

InstructionMix flash3_forward_step_mix(const Flash3Tile& t, bool first, bool masked) {
    const double bn = d(t.block_n), hd = d(t.head_dim);
    const double elems = 16 * bn / 32;  // score elements per thread: 16 rows of the warp
    const bool pp = t.ping_pong;
    InstructionMix mix;
    wait_on_barriers(phase(mix, 1, Phase::k_after_none), 1);  // K_j loaded
    // S_j = Q K_j^T: Q and K_j from shared memory (SS), after the K_j barrier's wait.
    Phase& qk = phase(mix, 1, Phase::k_after_all, pp);
    gemm(qk, 64 * t.warpgroups, t.block_n, t.head_dim, t.warpgroups, Operand::shared, t.elem);
    qk[Instr::alu] += 2;
    const int s_ready = last_index(mix);
    if (!first) {
        // O *= the previous block's correction, before the PV wgmma accumulates into it; and the
        // wait for V_{j-1}.
        Phase& rescale = phase(mix, 1, Phase::k_after_none, pp);
        rescale[Instr::fp32] += 16 * hd / 32;
        wait_on_barriers(rescale, 1);
        // O += P_{j-1} V_{j-1}: P from registers (RS) or shared memory (SS), V after its wait.
        Phase& pv = phase(mix, 1, last_index(mix), pp);
        gemm(pv, 64 * t.warpgroups, t.head_dim, t.block_n, t.warpgroups, p_operand(t), t.elem);
        pv[Instr::alu] += 2;
    }
    // The softmax of S_j: row max over the thread's columns (the scale folds into exp2's FFMA),
    // the quad's max by shuffles, exp2 and the row sums.
    Phase& mx = phase(mix, bn / 4, s_ready);
    release_buffer(mx);  // K_j, once S_j is done
    mx[Instr::alu] += elems;
    if (masked) mx[Instr::alu] += 4 * elems;  // row/column indices, two compares, a select
    Phase& q = phase(mix, 2, last_index(mix));
    q[Instr::shfl] += 4;  // two rows per thread, two butterfly steps each
    q[Instr::alu] += 6;
    Phase& e = phase(mix, bn / 4, last_index(mix));
    e[Instr::fp32] += 2 * elems + 4;  // exp2's argument, the row sum; the rows' corrections
    e[Instr::mufu] += elems + 2;
    // Wait for P_{j-1} V_{j-1} (wait_group 0), release V_{j-1}, pack P_j to 16 bit.
    Phase& pack = phase(mix, 1, Phase::k_after_all);
    pack[Instr::cvt] += elems / 2;
    pack[Instr::alu] += 6;
    if (!first) release_buffer(pack);                                      // V_{j-1}
    if (!t.p_in_registers) pack[Instr::shared] += elems * d(t.elem) / 16;  // st.shared.v4 of P
    return mix;
}

InstructionMix flash3_forward_epilogue_mix(const Flash3Tile& t) {
    const double hd = d(t.head_dim);
    InstructionMix mix;
    Phase& rescale = phase(mix, 1, Phase::k_after_all);
    rescale[Instr::fp32] += 16 * hd / 32;
    Phase& pv = phase(mix, 1, 0);
    gemm(pv, 64 * t.warpgroups, t.head_dim, t.block_n, t.warpgroups, p_operand(t), t.elem);
    Phase& sum = phase(mix, 2, Phase::k_after_all);
    sum[Instr::shfl] += 4;
    sum[Instr::fp32] += 4;
    sum[Instr::mufu] += 2;  // 1 / sum and log2(sum)
    Phase& out = phase(mix, 1, Phase::k_after_all);
    out[Instr::fp32] += 16 * hd / 32;
    out[Instr::cvt] += 16 * hd / 64;
    out[Instr::shared] += 16 * hd * d(t.elem) / 512;  // O to shared memory for the TMA store
    out[Instr::global] += 1;                          // the logsumexp of the warp's rows
    out[Instr::alu] += 8;
    return mix;
}

InstructionMix flash3_backward_step_mix(const Flash3Tile& t, bool masked) {
    const std::int64_t g = t.warpgroups;
    const double consumer_threads = d(32 * 4 * g);
    const double elems = d(t.block_m * t.block_n) / consumer_threads;  // per thread
    InstructionMix mix;
    wait_on_barriers(phase(mix, 1, Phase::k_after_none), 2);  // Q_i and dO_i loaded
    // S = Q K^T and dP = dO V^T, after the Q and dO barriers' waits.
    Phase& sdp = phase(mix, 1, Phase::k_after_all);
    gemm(sdp, t.block_m, t.block_n, t.head_dim, g, Operand::shared, t.elem);
    sdp[Instr::wgmma] *= 2;
    sdp[Instr::alu] += 4;
    // P = exp2(S * scale - lse), dS = P (dP - D): the logsumexp and D from shared memory, P and
    // dS packed to 16 bit, dS stored to shared memory for the dK and dQ GEMMs.
    Phase& p = phase(mix, 1, Phase::k_after_all);
    p[Instr::shared] += 2 * elems / 32 + elems * d(t.elem) / 16;
    p[Instr::fp32] += 3 * elems;
    p[Instr::mufu] += elems;
    p[Instr::cvt] += elems;
    p[Instr::alu] += masked ? 5 * elems : elems;
    const int ds_ready = last_index(mix);
    // dV += P^T dO and dK += dS^T Q.
    Phase& dkv = phase(mix, 1, ds_ready);
    gemm(dkv, t.block_n, t.head_dim, t.block_m, g, Operand::registers, t.elem);
    dkv[Instr::wgmma] *= 2;
    // dQ = dS K, needing dS only; its fp32 block to shared memory for the TMA reduce-add.
    Phase& dq = phase(mix, 1, ds_ready);
    gemm(dq, t.block_m, t.head_dim, t.block_n, g, Operand::shared, t.elem);
    Phase& stage = phase(mix, 1, last_index(mix));
    stage[Instr::shared] += d(t.block_m * t.head_dim * 4) / (consumer_threads / 32) / 512;
    stage[Instr::alu] += 4;  // the barrier with the dQ writer
    release_buffer(stage);   // Q_i
    release_buffer(stage);   // dO_i
    return mix;
}

InstructionMix flash3_prologue_mix() {
    InstructionMix mix;
    Phase& p = mix.next(1);
    p[Instr::alu] += 16;  // setmaxnreg, block indices, descriptors, the Q (or K/V) barrier wait
    return mix;
}

InstructionMix flash3_backward_epilogue_mix(const Flash3Tile& t) {
    const double consumer_threads = d(32 * 4 * t.warpgroups);
    const double elems = d(t.block_n * t.head_dim) / consumer_threads;  // of dK, and of dV
    InstructionMix mix;
    Phase& out = mix.next(1);
    out[Instr::fp32] += elems;  // dK *= scale
    out[Instr::cvt] += elems;   // dK and dV packed
    out[Instr::shared] += 2 * elems * 32 * d(t.elem) / 512;
    out[Instr::alu] += 8;
    return mix;
}

}  // namespace flashscope::sim::detail
