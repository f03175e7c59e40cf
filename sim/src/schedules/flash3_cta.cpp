#include "flash3_cta.hpp"

#include <algorithm>
#include <utility>

#include "flash_tile_policy.hpp"

namespace flashscope::sim::detail {
namespace {

constexpr std::int64_t k_wgmma_m = 64;       // rows of every wgmma.m64nNk16
constexpr std::int64_t k_wgmma_max_n = 256;  // PTX ISA: N is a multiple of 8 up to 256

TileConfig tile(std::int64_t bm, std::int64_t bn, std::int64_t consumer_warpgroups) {
    return {bm, bn, k_warpgroup_warps * (consumer_warpgroups + 1), 0};
}

bool valid_n(std::int64_t n) {
    return n > 0 && n % 8 == 0 && n <= k_wgmma_max_n;
}

}  // namespace

std::int64_t Flash3Warps::launch_registers() const {
    return std::min<std::int64_t>(255, k_hopper_register_file / threads() / 8 * 8);
}

Flash3Warps flash3_warps(std::int64_t warps) {
    switch (warps) {
        case 8:
            return {1, 56, 256};
        case 12:
            return {2, 24, 240};
        case 16:
            return {3, 32, 160};
        default:
            return {};
    }
}

WgmmaSplit wgmma_split(std::int64_t m, std::int64_t n, std::int64_t warpgroups) {
    const std::int64_t g = std::max<std::int64_t>(1, warpgroups);
    // Rows split over the warpgroups (each a multiple of 64), else whole rows with N split.
    for (const auto& [rows, cols] : {std::pair{m, n}, std::pair{n, m}})
        if (rows % (k_wgmma_m * g) == 0 && valid_n(cols)) return {rows / g, cols};
    for (const auto& [rows, cols] : {std::pair{m, n}, std::pair{n, m}})
        if (rows % k_wgmma_m == 0 && cols % g == 0 && valid_n(cols / g)) return {rows, cols / g};
    return {};
}

Flash3ForwardRegisters flash3_forward_registers(std::int64_t head_dim, std::int64_t block_n,
                                                const Flash3Warps& w) {
    const std::int64_t o = head_dim / 2, s = block_n / 2, p = block_n / 4, state = 4;
    const std::int64_t rs = o + s + p + state + k_flash3_addressing;
    if (rs <= w.consumer_registers) return {rs, true};
    return {rs - p, false};
}

std::int64_t flash3_backward_registers(std::int64_t head_dim, std::int64_t block_m,
                                       std::int64_t block_n, const Flash3Warps& w) {
    const std::int64_t threads = 32 * w.consumer_warps();
    const auto share = [&](std::int64_t elems) { return (elems + threads - 1) / threads; };
    const std::int64_t dkv = 2 * share(block_n * head_dim);
    const std::int64_t sdp = 2 * share(block_m * block_n);
    return dkv + sdp + k_flash3_addressing;
}

std::int64_t flash3_forward_sram(std::int64_t d, std::int64_t bm, std::int64_t bn,
                                 std::int64_t stages, std::int64_t elem, bool p_in_registers) {
    const std::int64_t q = bm * d * elem, kv = bn * d * elem;  // (block_m, d), (block_n, d)
    return q + stages * kv + std::max(stages * kv, q) + (p_in_registers ? 0 : bm * bn * elem);
}

std::int64_t flash3_backward_sram(std::int64_t d, std::int64_t bm, std::int64_t bn,
                                  std::int64_t stages, std::int64_t elem) {
    return 2 * bn * d * elem + stages * (2 * bm * d * elem + 8 * bm) + bm * bn * elem + bm * d * 4;
}

TileRefusal flash3_tile_refusal(const TileConfig& t, const AttentionProblem& p) {
    const Flash3Warps w = flash3_warps(t.warps);
    if (w.consumer_warpgroups == 0)
        return {"warps", text(t.warps),
                "flash3 runs a producer warpgroup and 1 to 3 consumer warpgroups: 8, 12 or 16"};
    const std::int64_t d = p.head_dim, g = w.consumer_warpgroups;
    if (t.block_m % k_frag != 0 || t.block_n % k_frag != 0)
        return {"tile", to_string(t), "flash3's blocks are whole 16-row wgmma k-steps"};
    if (p.pass != Pass::bwd) {
        // Each consumer warpgroup owns 64 query rows (hopper/: NumMmaWarpGroups = kBlockM / 64).
        if (t.block_m != k_wgmma_m * g)
            return {"block_m", text(t.block_m),
                    "flash3's forward gives each of its " + text(g) +
                        " consumer warpgroups 64 query rows: block_m must be " +
                        text(k_wgmma_m * g) + " with " + text(t.warps) + " warps"};
        if (!valid_n(t.block_n) || !valid_n(d))
            return {"block_n", text(t.block_n),
                    "S = QK^T and O += PV are wgmma.m64nNk16 with N = block_n and N = head_dim " +
                        text(d) + ", each at most 256"};
        const Flash3ForwardRegisters r = flash3_forward_registers(d, t.block_n, w);
        if (r.demand > w.consumer_registers)
            return {"tile", to_string(t),
                    "flash3's consumer threads need " + text(r.demand) +
                        " registers (O, S, row state, addresses); setmaxnreg gives " +
                        text(w.consumer_registers) + " with " + text(g) + " consumer warpgroups"};
    }
    if (p.pass != Pass::fwd) {
        // S and dP (block_m x block_n), dK and dV (block_n x d), dQ (block_m x d).
        const std::pair<std::int64_t, std::int64_t> gemms[] = {
            {t.block_m, t.block_n}, {t.block_n, d}, {t.block_m, d}};
        for (const auto& [m, n] : gemms)
            if (wgmma_split(m, n, g).rows == 0)
                return {"tile", to_string(t),
                        "flash3's backward cannot share its " + text(m) + "x" + text(n) +
                            " GEMM among " + text(g) +
                            " consumer warpgroups in whole m64 wgmma rows"};
        const std::int64_t regs = flash3_backward_registers(d, t.block_m, t.block_n, w);
        if (regs > w.consumer_registers)
            return {"tile", to_string(t),
                    "flash3's backward consumer threads need " + text(regs) +
                        " registers (dK, dV, S, dP, addresses); setmaxnreg gives " +
                        text(w.consumer_registers) + " with " + text(g) + " consumer warpgroups"};
    }
    return {};
}

TileConfig fa3_forward_tile(const AttentionProblem& p) {
    const std::int64_t d = p.head_dim;
    // tile_size_fwd_sm90, element_size 2, not local, TMA-loaded K/V, headdim_v = headdim.
    if (d <= 64) return tile(192, p.causal ? 128 : 192, 3);
    if (d <= 96) return tile(192, 144, 3);
    if (d <= 128) return tile(128, p.causal ? 128 : 176, 2);
    if (d <= 192) return tile(128, 128, 2);
    return tile(128, 80, 2);
}

TileConfig fa3_backward_tile(const AttentionProblem& p) {
    const std::int64_t d = p.head_dim;
    // run_mha_bwd_hdim{64,96,128,192,256}, Arch >= 90, no softcap.
    if (d <= 64) return tile(128, 128, 2);
    if (d <= 96) return tile(64, 128, 2);
    if (d <= 128) return p.causal ? tile(64, 128, 2) : tile(80, 128, 2);
    if (d <= 192) return tile(64, 96, 3);
    return tile(64, 80, 2);
}

}  // namespace flashscope::sim::detail
