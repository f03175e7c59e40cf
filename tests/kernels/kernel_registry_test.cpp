// The registry of built kernel instantiations; needs no GPU.
#include <gtest/gtest.h>

#include <string>

#include "flashscope/kernels/registry.hpp"
#include "flashscope/kernels/workspace.hpp"

namespace flashscope::test {
namespace {

using kernels::KernelKey;
using kernels::KernelRegistry;

KernelKey key(Algorithm algo, Pass pass, DType dtype, std::int64_t d, TileConfig tile = {}) {
    return KernelKey{algo, pass, dtype, d, tile};
}

TEST(KernelRegistry, EveryTemplateHasAnInstantiationInEverySet) {
    // Both sets build flash2 fwd/bwd and flash1 fwd for bf16 at d=128 and fp16 at d=64.
    for (auto [dtype, d] : {std::pair{DType::bf16, 128}, std::pair{DType::fp16, 64}}) {
        EXPECT_FALSE(kernels::built_tiles(Algorithm::flash2, Pass::fwd, dtype, d).empty());
        EXPECT_FALSE(kernels::built_tiles(Algorithm::flash2, Pass::bwd, dtype, d).empty());
        EXPECT_FALSE(kernels::built_tiles(Algorithm::flash1, Pass::fwd, dtype, d).empty());
    }
    EXPECT_TRUE(kernels::built_tiles(Algorithm::flash1, Pass::bwd, DType::bf16, 128).empty());
}

TEST(KernelRegistry, ListedTilesAreCompleteValidAndUnique) {
    const auto& entries = KernelRegistry::instance().entries();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const KernelKey& k = entries[i].key;
        SCOPED_TRACE(kernels::to_string(k));
        EXPECT_TRUE(k.tile.is_complete());
        EXPECT_NO_THROW(k.tile.validate());
        EXPECT_GT(entries[i].smem_bytes, 0);
        EXPECT_LE(entries[i].smem_bytes, 227 * 1024) << "does not fit an H100's shared memory";
        if (k.pass == Pass::bwd && k.algo == Algorithm::flash2) {
            EXPECT_EQ(k.tile.warps * 16, k.tile.block_n) << "a warp owns 16 key rows";
        } else if (k.pass == Pass::bwd && to_string(k.algo) == "flash3" && k.head_dim == 256) {
            EXPECT_EQ(k.tile, (TileConfig{64, 64, 12, 2}))
                << "head_dim 256: two consumer warpgroups share 64 keys and split head_dim";
        } else if (k.pass == Pass::bwd && to_string(k.algo) == "flash3") {
            EXPECT_EQ((k.tile.warps / 4 - 1) * 64, k.tile.block_n)
                << "a producer warpgroup and a consumer warpgroup per 64 key rows";
        }
        for (std::size_t j = i + 1; j < entries.size(); ++j)
            EXPECT_FALSE(entries[j].key == k) << "listed twice";
    }
}

TEST(KernelRegistry, ExactRequestFindsThatInstantiation) {
    const std::vector<TileConfig> tiles =
        kernels::built_tiles(Algorithm::flash2, Pass::fwd, DType::bf16, 128);
    ASSERT_FALSE(tiles.empty());
    for (const TileConfig& t : tiles) {
        const auto& entry =
            KernelRegistry::instance().find(key(Algorithm::flash2, Pass::fwd, DType::bf16, 128, t));
        EXPECT_EQ(entry.key.tile, t);
    }
}

TEST(KernelRegistry, OpenTileTakesTheDefault) {
    const auto& entry =
        KernelRegistry::instance().find(key(Algorithm::flash2, Pass::fwd, DType::bf16, 128));
    EXPECT_TRUE(entry.is_default);
    EXPECT_TRUE(entry.key.tile.is_complete());
}

TEST(KernelRegistry, PartlyOpenTileMatchesTheGivenFields) {
    const auto tiles = kernels::built_tiles(Algorithm::flash2, Pass::fwd, DType::bf16, 128);
    ASSERT_FALSE(tiles.empty());
    const TileConfig want = tiles.back();
    const auto& entry =
        KernelRegistry::instance().find(key(Algorithm::flash2, Pass::fwd, DType::bf16, 128,
                                            TileConfig{want.block_m, want.block_n, 0, 0}));
    EXPECT_EQ(entry.key.tile.block_m, want.block_m);
    EXPECT_EQ(entry.key.tile.block_n, want.block_n);
}

TEST(KernelRegistry, UnbuiltRequestNamesItselfAndTheNearestBuilt) {
    const KernelKey request =
        key(Algorithm::flash2, Pass::fwd, DType::bf16, 128, TileConfig{16, 16, 1, 1});
    try {
        KernelRegistry::instance().find(request);
        FAIL() << "expected NotBuiltError";
    } catch (const kernels::NotBuiltError& e) {
        const std::string text = e.what();
        EXPECT_EQ(e.field(), "kernel");
        EXPECT_NE(text.find("block_m=16 block_n=16 warps=1 stages=1"), std::string::npos) << text;
        EXPECT_NE(text.find("built nearest: flash2 fwd bf16 d=128"), std::string::npos) << text;
    }
}

TEST(KernelRegistry, UnbuiltHeadDimSuggestsBuiltOnes) {
    try {
        KernelRegistry::instance().find(key(Algorithm::flash2, Pass::bwd, DType::bf16, 96));
        FAIL() << "expected NotBuiltError";
    } catch (const kernels::NotBuiltError& e) {
        EXPECT_NE(std::string(e.what()).find("d=96"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("flash2 bwd"), std::string::npos);
    }
}

TEST(KernelRegistry, NaiveIsNotTiled) {
    const auto tiles = kernels::built_tiles(Algorithm::naive, Pass::fwd, DType::bf16, 96);
    ASSERT_EQ(tiles.size(), 1u);
    EXPECT_EQ(tiles[0], TileConfig{});
}

}  // namespace
}  // namespace flashscope::test
