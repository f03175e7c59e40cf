#include "warp_mix.hpp"

#include <algorithm>
#include <cmath>

namespace flashscope::sim::detail {
namespace {

double d(std::int64_t v) {
    return double(v);
}

// A GEMM of one warp: (m x k) times (k x n) into fp32 accumulators, mma.sync m16n8k16, the
// operands `ldsm` ldmatrix.x4 loads; each load takes one address update (alu).
void gemm(Phase& p, double m, double n, double k, double ldsm) {
    p[Instr::mma] += (m / 16) * (n / 8) * (k / 16);
    p[Instr::ldsm] += ldsm;
    p[Instr::alu] += ldsm;
}

// cp.async copies of `bytes` by the CTA's threads: per warp, one 16-byte copy per thread each, an
// address update each, and the commit/wait pair.
void copy_async(Phase& p, double bytes, const WarpTile& t) {
    const double per_thread = bytes / 16 / d(t.warps * 32);
    p[Instr::cp_async] += per_thread;
    p[Instr::alu] += per_thread + 2;
}

}  // namespace

InstructionMix forward_step_mix(const WarpTile& t, bool masked, double copy_bytes) {
    const double rows = d(t.rows), bn = d(t.block_n), hd = d(t.head_dim);
    const double mt = rows / 16;          // 16-row MMA tiles of the warp
    const double elems = rows * bn / 32;  // score elements per thread
    InstructionMix mix;
    // S = QK^T: Q fragments (16 x 16) and K fragment pairs (16 keys x 16) by ldmatrix.x4.
    Phase& s = mix.next(hd / 16);
    gemm(s, rows, bn, hd, mt * hd / 16 + (bn / 16) * (hd / 16));
    copy_async(s, copy_bytes, t);
    // Scale (and mask), then each row's max over the thread's columns: one chain per row half.
    Phase& mx = mix.next(bn / 4);
    mx[Instr::fp32] += elems;
    mx[Instr::alu] += elems;
    if (masked) mx[Instr::alu] += 4 * elems;  // row/column indices, two compares, a select
    // The max across the quad: two shuffles and two max per row half (dependent).
    Phase& q = mix.next(2);
    q[Instr::shfl] += 4 * mt;
    q[Instr::alu] += 6 * mt;  // the max with the running max, the fully-masked guard
    // exp2(s - max), the row sums, the correction of the running sum and of O.
    Phase& e = mix.next(bn / 4);
    e[Instr::fp32] += 2 * elems + 2 * mt * 2 + rows * hd / 32;
    e[Instr::mufu] += elems + 2 * mt;
    // O += PV: P packed to 16 bit as A fragments, V by ldmatrix.x4.trans, 16 keys at a time as
    // their exponentials are done.
    Phase& pv = mix.next(bn / 16);
    pv.streams = static_cast<int>(bn / 16);
    pv[Instr::cvt] += elems / 2;
    gemm(pv, rows, hd, bn, (bn / 16) * (hd / 16));
    pv[Instr::barrier] += 1;
    pv[Instr::alu] += 8;  // loop counter, stage index, mask test
    return mix;
}

void add_running_output_io(InstructionMix& mix, const WarpTile& t) {
    // The warp's rows of O (fp32) plus max and sum: read before the block, written after it,
    // 8 bytes per thread per access (float2), by the lanes of each accumulator fragment.
    const double rows = d(t.rows), hd = d(t.head_dim);
    const double accesses = rows * hd / 64 + rows / 8;
    Phase& last = mix.phases[static_cast<std::size_t>(mix.phase_count - 1)];
    last[Instr::fp32] += rows * hd / 32;  // rescale the loaded O to the new max
    if (mix.phase_count + 2 > InstructionMix::k_max_phases) {
        mix.phases[0][Instr::global_load] += accesses;
        mix.phases[0][Instr::alu] += accesses;
        last[Instr::global] += accesses;
        return;
    }
    // As the kernel orders them: the loads ahead of the block's GEMM (a warp whose loads the L2
    // port cannot take yet waits at them: Nsight Compute's lg_throttle), whose S = QK^T does not
    // need them; the stores once the block's last phase has its results.
    for (int p = mix.phase_count; p > 0; --p)
        mix.phases[static_cast<std::size_t>(p)] = mix.phases[static_cast<std::size_t>(p - 1)];
    ++mix.phase_count;
    Phase& load = mix.phases[0];
    load = Phase{};
    load[Instr::global_load] = accesses;
    load[Instr::alu] = accesses;
    mix.phases[1].after = Phase::k_after_none;
    mix.next(1)[Instr::global] = accesses;
}

InstructionMix prologue_mix(const WarpTile& t, double copy_bytes) {
    InstructionMix mix;
    Phase& p = mix.next(1);
    copy_async(p, copy_bytes, t);
    p[Instr::alu] += 16;  // block indices, pointers
    p[Instr::barrier] += 1;
    return mix;
}

InstructionMix forward_epilogue_mix(const WarpTile& t) {
    const double rows = d(t.rows), hd = d(t.head_dim), mt = rows / 16;
    InstructionMix mix;
    Phase& sum = mix.next(2);
    sum[Instr::shfl] += 4 * mt;
    sum[Instr::fp32] += 4 * mt;
    sum[Instr::mufu] += 2 * mt;  // 1 / sum and log2(sum)
    Phase& out = mix.next(1);
    out[Instr::fp32] += rows * hd / 32;
    out[Instr::cvt] += rows * hd / 64;
    out[Instr::global] += rows * hd / 64 + 2 * mt / 4;  // 4-byte stores of O, the logsumexp
    out[Instr::alu] += rows * hd / 64 + 8;
    return mix;
}

InstructionMix backward_epilogue_mix(const WarpTile& t) {
    const double per_tensor = d(t.rows) * d(t.head_dim) / 64;  // packed pairs per lane, per tensor
    InstructionMix mix;
    Phase& out = mix.next(1);
    out[Instr::fp32] += 2 * per_tensor;  // dK *= scale
    out[Instr::cvt] += 2 * per_tensor;
    out[Instr::global] += 2 * per_tensor;  // 4-byte stores of dK and dV
    out[Instr::alu] += 2 * per_tensor + 8;
    return mix;
}

DqUnit backward_dq_unit(std::int64_t block_m, std::int64_t head_dim, std::int64_t warps) {
    const auto fits = [&](std::int64_t r, std::int64_t c) {
        return block_m % r == 0 && head_dim % c == 0 && (block_m / r) * (head_dim / c) % warps == 0;
    };
    const std::int64_t rows = fits(32, 32) ? 32 : 16;
    const std::int64_t cols = fits(32, 32) ? 32 : fits(16, 64) ? 64 : fits(16, 32) ? 32 : 16;
    const std::int64_t units = (block_m / rows) * (head_dim / cols);
    return {rows, cols, std::max<std::int64_t>(1, (units + warps - 1) / warps)};
}

std::int64_t backward_step_sram_read(std::int64_t block_m, std::int64_t block_n,
                                     std::int64_t head_dim, std::int64_t elem, std::int64_t warps) {
    const DqUnit u = backward_dq_unit(block_m, head_dim, warps);
    const std::int64_t q_tile = block_m * head_dim * elem, kv_tile = block_n * head_dim * elem;
    return warps * 4 * q_tile + 2 * kv_tile  // S^T, dV, dP^T, dK: Q and dO twice; K, V rows
           + head_dim / u.cols * block_m * block_n * elem  // dQ: dS^T per column group of units
           + block_m / u.rows * kv_tile                    // ... and K per row group
           + warps * (block_m / 4) * 256;  // LSE and D: an 8-byte load per 8 columns each
}

InstructionMix backward_step_mix(const WarpTile& t, bool masked) {
    const double bm = d(t.block_m), bn = d(t.block_n), hd = d(t.head_dim);
    const double rows = d(t.rows);        // the warp's key rows (16)
    const double elems = rows * bm / 32;  // entries of S^T per thread
    const double frags = bm / 8;          // the thread's 8-column fragments of S^T
    InstructionMix mix;
    // S^T = K Q^T: K fragments, Q fragment pairs.
    Phase& s = mix.next(hd / 16);
    gemm(s, rows, bm, hd, (rows / 16) * (hd / 16) + (bm / 16) * (hd / 16));
    copy_async(s, 2 * bm * hd * d(t.elem) + 8 * bm, t);  // the next Q and dO blocks, LSE, D
    // P^T = exp2(S^T * scale - lse), masked entries 0; it stays fp32 for dS^T. The logsumexp
    // pair of each fragment's two columns: an 8-byte load, two multiplies by log2(e).
    Phase& p = mix.next(1);
    p[Instr::lds] += frags;
    p[Instr::fp32] += elems + 2 * frags;
    p[Instr::alu] += elems;
    if (masked) p[Instr::alu] += 4 * elems;
    p[Instr::mufu] += elems;
    // dV += P^T dO: P^T packed to 16-bit A fragments as they are needed, dO by ldmatrix.x4.trans.
    Phase& dv = mix.next(bm / 16);
    dv[Instr::cvt] += elems / 2;
    gemm(dv, rows, hd, bm, (bm / 16) * (hd / 16));
    // dP^T = V dO^T.
    Phase& dp = mix.next(hd / 16);
    gemm(dp, rows, bm, hd, (rows / 16) * (hd / 16) + (bm / 16) * (hd / 16));
    // dS^T = P^T (dP^T - D), packed once into 16-bit pairs that are both the 4-byte stores to
    // shared memory (the dQ GEMM's operand) and dK's A fragments; D's pair per fragment by an
    // 8-byte load; the barrier.
    Phase& ds = mix.next(1);
    ds[Instr::lds] += frags + 2 * frags;
    ds[Instr::fp32] += 2 * elems;
    ds[Instr::cvt] += elems / 2;
    ds[Instr::alu] += elems / 2;
    ds[Instr::barrier] += 1;
    // dK += dS^T Q.
    Phase& dk = mix.next(bm / 16);
    gemm(dk, rows, hd, bm, (bm / 16) * (hd / 16));
    // dQ (block_m x head_dim) += dS K in units (backward_dq_unit), added to the fp32 accumulator
    // with 8-byte reductions; then the barrier at the top of the next block.
    const DqUnit unit = backward_dq_unit(t.block_m, t.head_dim, t.warps);
    const double dq_rows = d(unit.rows), dq_cols = d(unit.cols), units = d(unit.per_warp);
    const double row_tiles = dq_rows / 16;
    Phase& dq = mix.next(bn / 16);
    gemm(dq, units * dq_rows, dq_cols, bn, units * (bn / 16) * (row_tiles + dq_cols / 16));
    dq[Instr::global] += units * row_tiles * 2 * (dq_cols / 8);  // float2 reductions, 256 B each
    dq.reduces = true;
    dq[Instr::alu] += units * row_tiles * (dq_cols / 8) * 2 + 8;
    dq[Instr::barrier] += 1;
    return mix;
}

}  // namespace flashscope::sim::detail
