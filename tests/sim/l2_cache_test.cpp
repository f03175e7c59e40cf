#include "flashscope/sim/l2_cache.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <list>
#include <random>
#include <utility>

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

namespace {

// The cache's documented behaviour in the plainest code: an LRU list and a dirty list.
class ReferenceL2 {
public:
    ReferenceL2(std::int64_t capacity, std::int64_t dirty_limit)
        : m_capacity(capacity), m_dirty_limit(dirty_limit) {}

    HbmTraffic access(const TileKey& key, std::int64_t bytes, AccessKind kind) {
        HbmTraffic t;
        const bool writes = kind != AccessKind::read;
        if (bytes > m_capacity) {
            if (kind != AccessKind::write) t.read_bytes = bytes;
            if (writes) t.write_bytes = bytes;
            t.bypassed = true;
            return t;
        }
        auto it = find(m_lru, key);
        if (it == m_lru.end()) {
            if (kind != AccessKind::write) t.read_bytes = bytes;
            m_lru.push_front({key, bytes});
            m_resident += bytes;
        } else {
            m_lru.splice(m_lru.begin(), m_lru, it);
        }
        if (writes) {
            auto d = find(m_dirty_order, key);
            if (d == m_dirty_order.end()) {
                m_dirty_order.push_front({key, bytes});
                m_dirty += bytes;
            } else {
                m_dirty_order.splice(m_dirty_order.begin(), m_dirty_order, d);
            }
        }
        while (m_resident > m_capacity) {
            const Tile victim = m_lru.back();
            m_lru.pop_back();
            m_resident -= victim.bytes;
            if (auto d = find(m_dirty_order, victim.key); d != m_dirty_order.end()) {
                t.write_bytes += victim.bytes;
                m_dirty -= victim.bytes;
                m_dirty_order.erase(d);
            }
        }
        while (m_dirty > m_dirty_limit) {
            t.write_bytes += m_dirty_order.back().bytes;
            m_dirty -= m_dirty_order.back().bytes;
            m_dirty_order.pop_back();
        }
        return t;
    }
    std::int64_t dirty_bytes() const { return m_dirty; }
    std::int64_t resident_bytes() const { return m_resident; }

private:
    struct Tile {
        TileKey key;
        std::int64_t bytes;
    };
    static std::list<Tile>::iterator find(std::list<Tile>& tiles, const TileKey& key) {
        return std::find_if(tiles.begin(), tiles.end(),
                            [&](const Tile& t) { return t.key == key; });
    }
    std::int64_t m_capacity, m_dirty_limit, m_resident = 0, m_dirty = 0;
    std::list<Tile> m_lru, m_dirty_order;  // front: most recent
};

}  // namespace

// The cache's bookkeeping (uses by time, tiles of column 0 indexed by row, the others hashed)
// answers exactly as the plain LRU does over a long random sequence of reads, writes and
// reductions of tiles of either kind, sizes up to over the capacity.
TEST(L2Cache, MatchesAPlainLruOverRandomAccesses) {
    std::mt19937_64 rng(7);
    for (const auto& [capacity, dirty_limit] :
         {std::pair<std::int64_t, std::int64_t>{5000, 5000}, {5000, 1500}, {20000, 0}}) {
        L2Cache l2(capacity, dirty_limit);
        ReferenceL2 ref(capacity, dirty_limit);
        for (int i = 0; i < 200000; ++i) {
            const auto pick = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
            const TileKey key{pick(6), pick(40), pick(3) == 0 ? pick(4) : 0};
            // A tile keeps its size (as in the model); one in 50 is larger than the cache.
            const std::int64_t bytes = key.row % 50 == 49
                                           ? capacity + 1
                                           : 100 + (key.head_and_tensor * 37 + key.row) % 400;
            const auto kind = static_cast<AccessKind>(pick(3));
            const HbmTraffic a = l2.access(key, bytes, kind), b = ref.access(key, bytes, kind);
            ASSERT_EQ(a.read_bytes, b.read_bytes) << "access " << i;
            ASSERT_EQ(a.write_bytes, b.write_bytes) << "access " << i;
            ASSERT_EQ(a.bypassed, b.bypassed) << "access " << i;
            ASSERT_EQ(l2.dirty_bytes(), ref.dirty_bytes()) << "access " << i;
            ASSERT_EQ(l2.resident_bytes(), ref.resident_bytes()) << "access " << i;
        }
    }
}

// Readers that keep a cursor each, as the engine's cohorts do, and mostly walk a tensor's rows
// in order across pages of slots, now and then jumping to another tensor, row or column, get the
// answers of the plain LRU and the same hits as lookups without cursors: a cursor only finds a
// slot faster.
TEST(L2Cache, CursorsAnswerAsLookupsDo) {
    std::mt19937_64 rng(11);
    const auto pick = [&](std::uint64_t n) { return static_cast<std::int64_t>(rng() % n); };
    L2Cache l2(60000, 8000), without(60000, 8000);
    ReferenceL2 ref(60000, 8000);
    std::array<L2Cache::RowCursor, 4> cursors;
    std::array<TileKey, 4> at{{{0, 40, 0}, {1, 60, 0}, {2, 80, 0}, {0, 99, 0}}};
    for (int i = 0; i < 200000; ++i) {
        const auto reader = static_cast<std::size_t>(pick(cursors.size()));
        TileKey& walk = at[reader];
        switch (pick(40)) {
            case 0:
                walk = {pick(3), 40 + pick(60), 0};
                break;
            case 1:
                walk.head_and_tensor = pick(3);
                break;
            default:
                walk.row = 40 + (walk.row - 39) % 60;  // rows 40-99: across two pages of slots
        }
        TileKey k = walk;
        if (pick(20) == 0) k.col = 1 + pick(3);  // a tile of another column, found by hashing
        const std::int64_t bytes = 100 + (k.head_and_tensor * 37 + k.row * 11 + k.col * 5) % 400;
        const auto kind = pick(10) != 0 ? AccessKind::read : static_cast<AccessKind>(pick(3));
        const HbmTraffic a = l2.access(k, bytes, kind, cursors[reader]);
        const HbmTraffic b = ref.access(k, bytes, kind);
        without.access(k, bytes, kind);
        ASSERT_EQ(a.read_bytes, b.read_bytes) << "access " << i;
        ASSERT_EQ(a.write_bytes, b.write_bytes) << "access " << i;
        ASSERT_EQ(l2.dirty_bytes(), ref.dirty_bytes()) << "access " << i;
        ASSERT_EQ(l2.resident_bytes(), ref.resident_bytes()) << "access " << i;
        ASSERT_EQ(l2.hits(), without.hits()) << "access " << i;
    }
    EXPECT_GT(l2.hits(), 100000);
}

TEST(L2Cache, DirtyDataTakesMoreOfTheCapacityByItsWeight) {
    // A dirty byte weighs 2: a 1000-byte cache keeps 900 clean bytes, but with one tile rewritten
    // (600 by weight) a third tile no longer fits beside the other two.
    L2Cache l2(1000, 1000, 2.0);
    for (int row = 0; row < 3; ++row) l2.access(key(row), 300, AccessKind::read);
    EXPECT_EQ(l2.resident_bytes(), 900);
    l2.access(key(0), 300, AccessKind::write);
    EXPECT_EQ(l2.resident_bytes(), 600);  // 300 dirty (600) + 300 clean: tile 1 left
    const HbmTraffic t = l2.access(key(1), 300, AccessKind::read);
    EXPECT_EQ(t.read_bytes, 300);
    EXPECT_EQ(l2.resident_bytes(), 600);  // tile 2, the least recently used, made room
    L2Cache plain(1000, 1000);
    for (int row = 0; row < 3; ++row) plain.access(key(row), 300, AccessKind::read);
    plain.access(key(0), 300, AccessKind::write);
    EXPECT_EQ(plain.resident_bytes(), 900);
}
