#include "flash_tile_policy.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <tuple>
#include <vector>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_rules.hpp"
#include "published_tiles.hpp"

namespace flashscope::sim::detail {
namespace {

// The published tile for the problem's pass; forward and backward together share one tile in
// the simulator, so fwdbwd starts from the forward's.
TileConfig published_tile(Algorithm algorithm, const GpuSpec& gpu, const AttentionProblem& p) {
    if (algorithm == Algorithm::flash1) return fa1_tile(gpu, p);
    return p.pass == Pass::bwd ? fa2_backward_tile(gpu, p) : fa2_forward_tile(gpu, p);
}

// The block whose size sets how often the other operands are re-read from HBM: flash1's outer
// loop and flash2's backward walk key blocks (Q, O, dO re-read per key block); flash2's forward
// walks query blocks (K, V re-read per query block).
bool reuse_is_block_n(Algorithm algorithm, Pass pass) {
    return algorithm == Algorithm::flash1 || pass == Pass::bwd;
}

// The rules check_tile() enforces, without building a message: the fast path of the search.
bool fragments_fit(const TileConfig& t, const AttentionProblem& p) {
    if (p.head_dim % k_frag != 0) return false;
    if (p.pass != Pass::bwd && t.block_m % (k_frag * t.warps) != 0) return false;
    if (p.pass == Pass::fwd) return true;
    const std::int64_t score = (t.block_m / k_frag) * (t.block_n / k_frag);
    const std::int64_t dkv = (t.block_n / k_frag) * (p.head_dim / k_frag);
    return score % t.warps == 0 && dkv % t.warps == 0;
}

}  // namespace

TileConfig FlashTilePolicy::default_blocks(const GpuSpec& gpu,
                                           const AttentionProblem& problem) const {
    const TileConfig published = published_tile(algorithm(), gpu, problem);
    if (problem.head_dim % k_frag != 0) return published;  // no tile runs; simulate() says why
    // A flash CTA's SRAM and registers depend on the tile and the head dim, not on the sequence:
    // check a short one, so that the search below costs the same at 16M tokens as at 1k.
    AttentionProblem shape = problem;
    shape.seq_q = std::min<std::int64_t>(shape.seq_q, k_max_block);
    shape.seq_k = std::min<std::int64_t>(shape.seq_k, k_max_block);
    const auto runs = [&](TileConfig t) {
        if (!fragments_fit(t, shape)) return false;
        t.stages = fitting_stages(gpu, shape, *this, t);
        return tile_fits_gpu(gpu, shape, *this, t);
    };
    if (runs(published)) return published;
    // fp32, a GPU with less SRAM, or a fwdbwd tile the backward cannot use: the nearest tile that
    // runs, nearest by block sizes (log scale), then the larger re-use block, then the nearest
    // warp count (more rather than fewer).
    const bool by_n = reuse_is_block_n(algorithm(), problem.pass);
    std::vector<std::tuple<double, std::int64_t, double, std::int64_t, TileConfig>> candidates;
    for (std::int64_t bm = k_frag; bm <= k_max_block; bm += k_frag)
        for (std::int64_t bn = k_frag; bn <= k_max_block; bn += k_frag)
            for (std::int64_t w = 1; w <= k_max_warps; w *= 2) {
                const TileConfig t{bm, bn, w, 0};
                if (!fragments_fit(t, shape)) continue;
                candidates.emplace_back(
                    log2_ratio(bm, published.block_m) + log2_ratio(bn, published.block_n),
                    -(by_n ? bn : bm), log2_ratio(w, published.warps), -w, t);
            }
    std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<1>(a), std::get<2>(a), std::get<3>(a)) <
               std::tie(std::get<0>(b), std::get<1>(b), std::get<2>(b), std::get<3>(b));
    });
    for (const auto& c : candidates)
        if (runs(std::get<4>(c))) return std::get<4>(c);
    return published;  // nothing runs: simulate() names the limit the published tile breaks
}

std::int64_t FlashTilePolicy::default_warps(const TileConfig& blocks,
                                            const AttentionProblem& problem) const {
    // The published kernels use 4 warps for query blocks up to 64 rows, else 8 (4 or 8 in the
    // forward, 8 in the backward); fewer when the fragments do not go round.
    std::int64_t warps = problem.pass == Pass::fwd && blocks.block_m <= 64 ? 4 : 8;
    for (; warps > 1; warps /= 2) {
        TileConfig t = blocks;
        t.warps = warps;
        if (fragments_fit(t, problem)) break;
    }
    return warps;
}

void FlashTilePolicy::check_problem(const AttentionProblem& problem) const {
    if (problem.head_dim % k_frag != 0)
        throw ConfigError("head_dim", text(problem.head_dim),
                          std::string(to_string(algorithm())) +
                              " needs a multiple of 16 (16 x 16 tensor-core fragments)");
}

void FlashTilePolicy::check_tile(const TileConfig& tile, const AttentionProblem& problem) const {
    if (fragments_fit(tile, problem)) return;
    check_problem(problem);
    const std::int64_t d = problem.head_dim;
    // Forward: each warp owns whole 16-row fragments of the query block (block_m = 16 x warps x
    // m_tiles), as in kernels/src/flash2_fwd_kernel.cuh and flash1_fwd_kernel.cuh.
    if (problem.pass != Pass::bwd && tile.block_m % (k_frag * tile.warps) != 0)
        throw ConfigError("warps", text(tile.warps),
                          "block_m " + text(tile.block_m) + " gives " +
                              text(tile.block_m / tile.warps) +
                              " query rows per warp; each warp owns whole 16-row fragments, " +
                              "so block_m must be a multiple of " + text(k_frag * tile.warps));
    // Backward: the warps share out the score block (block_m, block_n) and the dK, dV
    // accumulators (block_n, head_dim) in whole 16 x 16 fragments, the same number each.
    if (problem.pass != Pass::fwd) {
        const std::int64_t score = (tile.block_m / k_frag) * (tile.block_n / k_frag);
        const std::int64_t dkv = (tile.block_n / k_frag) * (d / k_frag);
        if (score % tile.warps != 0 || dkv % tile.warps != 0)
            throw ConfigError("warps", text(tile.warps),
                              "the backward's " + text(tile.block_m) + "x" + text(tile.block_n) +
                                  " score block (" + text(score) + " fragments) and " +
                                  text(tile.block_n) + "x" + text(d) + " dK/dV block (" +
                                  text(dkv) + ") must split evenly into whole 16x16 " +
                                  "fragments per warp");
    }
}

}  // namespace flashscope::sim::detail
