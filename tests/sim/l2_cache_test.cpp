#include "flashscope/sim/l2_cache.hpp"

#include <gtest/gtest.h>

using namespace flashscope::sim;

namespace {
TileKey key(std::int64_t row) {
    return {0, row, 0};
}
}  // namespace

TEST(L2Cache, ReadMissFillsThenHits) {
    L2Cache l2(1000, 1000);
    EXPECT_EQ(l2.access(key(1), 400, AccessKind::read).read_bytes, 400);
    EXPECT_EQ(l2.access(key(1), 400, AccessKind::read).read_bytes, 0);
    EXPECT_EQ(l2.hits(), 1);
    EXPECT_EQ(l2.resident_bytes(), 400);
}

TEST(L2Cache, EvictsLeastRecentlyUsedFirst) {
    L2Cache l2(1000, 1000);
    l2.access(key(1), 400, AccessKind::read);
    l2.access(key(2), 400, AccessKind::read);
    l2.access(key(1), 400, AccessKind::read);  // 2 is now the oldest
    l2.access(key(3), 400, AccessKind::read);  // evicts 2
    EXPECT_EQ(l2.access(key(1), 400, AccessKind::read).read_bytes, 0);
    EXPECT_EQ(l2.access(key(2), 400, AccessKind::read).read_bytes, 400);
}

TEST(L2Cache, DirtyDataReachesHbmOnlyWhenEvicted) {
    L2Cache l2(1000, 1000);
    const HbmTraffic w = l2.access(key(1), 600, AccessKind::write);
    EXPECT_EQ(w.read_bytes, 0);  // a whole-tile write needs no fill
    EXPECT_EQ(w.write_bytes, 0);
    EXPECT_EQ(l2.dirty_bytes(), 600);
    const HbmTraffic t = l2.access(key(2), 600, AccessKind::read);
    EXPECT_EQ(t.write_bytes, 600);  // write-back of the evicted dirty tile
    EXPECT_EQ(l2.dirty_bytes(), 0);
}

TEST(L2Cache, ReductionFillsOnMissAndStaysDirty) {
    L2Cache l2(1000, 1000);
    const HbmTraffic t = l2.access(key(1), 256, AccessKind::reduce);
    EXPECT_EQ(t.read_bytes, 256);
    EXPECT_EQ(l2.access(key(1), 256, AccessKind::reduce).read_bytes, 0);
    EXPECT_EQ(l2.dirty_bytes(), 256);
}

TEST(L2Cache, ZeroCapacityIsWriteThrough) {
    L2Cache l2(0, 0);
    EXPECT_EQ(l2.access(key(1), 64, AccessKind::read).read_bytes, 64);
    EXPECT_EQ(l2.access(key(1), 64, AccessKind::read).read_bytes, 64);
    EXPECT_EQ(l2.access(key(2), 64, AccessKind::write).write_bytes, 64);
    const HbmTraffic r = l2.access(key(3), 64, AccessKind::reduce);
    EXPECT_EQ(r.read_bytes + r.write_bytes, 128);
    EXPECT_EQ(l2.dirty_bytes(), 0);
}

TEST(L2Cache, WritesBackTheOldestDirtyTilesBeyondTheDirtyLimit) {
    L2Cache l2(1000, 500);
    EXPECT_EQ(l2.access(key(1), 300, AccessKind::write).write_bytes, 0);
    EXPECT_EQ(l2.access(key(2), 300, AccessKind::write).write_bytes, 300);  // tile 1 cleaned early
    EXPECT_EQ(l2.dirty_bytes(), 300);
    EXPECT_EQ(l2.resident_bytes(), 600);  // ...but still cached
    EXPECT_EQ(l2.access(key(1), 300, AccessKind::read).read_bytes, 0);
    // re-writing the clean tile makes it the newest dirty one; tile 2 goes back instead
    EXPECT_EQ(l2.access(key(1), 300, AccessKind::write).write_bytes, 300);
    const HbmTraffic evict =
        l2.access(key(3), 800, AccessKind::read);  // evicts 2 (clean), 1 (dirty)
    EXPECT_EQ(evict.write_bytes, 300);
    EXPECT_EQ(l2.dirty_bytes(), 0);
}
