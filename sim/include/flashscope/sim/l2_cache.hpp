#pragma once
// The L2 as the cycle model sees it: a capacity in bytes holding named tiles, least recently
// used first out, write-back: a dirty tile reaches HBM when evicted, or earlier when more than
// `dirty_limit` bytes are dirty (the oldest-written tiles are cleaned first; hardware writes dirty
// lines back in the background rather than holding the whole cache dirty). Capacity 0 disables
// it: reads go to HBM and writes straight through.
#include <boost/intrusive/list.hpp>
#include <boost/unordered/unordered_flat_map.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "flashscope/sim/tile_access.hpp"

namespace flashscope::sim {

struct TileKey {
    std::int64_t head_and_tensor;  // head * k_tensor_count + tensor
    std::int64_t row;
    std::int64_t col;
    bool operator==(const TileKey&) const = default;
};

struct TileKeyHash {
    std::size_t operator()(const TileKey& k) const noexcept;
};

// HBM traffic caused by one access (a miss's fill, evictions' write-backs).
struct HbmTraffic {
    std::int64_t read_bytes = 0;
    std::int64_t write_bytes = 0;
    bool bypassed = false;  // went straight to HBM: the cache could not hold it
};

class L2Cache {
public:
    // `dirty_weight` >= 1: the capacity a dirty byte takes, in clean bytes (the L2 keeps less
    // data resident when it is rewritten every pass than when it is only read).
    L2Cache(std::int64_t capacity_bytes, std::int64_t dirty_limit_bytes, double dirty_weight = 1);
    ~L2Cache();
    L2Cache(const L2Cache&) = delete;
    L2Cache& operator=(const L2Cache&) = delete;

    // Inline: the engine calls it for every tile of every step, and most calls are read hits.
    HbmTraffic access(const TileKey& key, std::int64_t bytes, AccessKind kind) {
        if (bytes > m_capacity) return bypass(bytes, kind);
        Entry* const found = find(key);
        if (!found) return miss(key, bytes, kind);
        Entry& e = *found;
        ++m_hits;
        touch(e);
        if (kind == AccessKind::read) return {};
        return write_hit(e);
    }

    std::int64_t capacity_bytes() const { return m_capacity; }
    std::int64_t resident_bytes() const { return m_resident; }
    std::int64_t dirty_bytes() const { return m_dirty; }
    std::int64_t hits() const { return m_hits; }
    std::int64_t misses() const { return m_misses; }

private:
    struct Entry {
        TileKey key;
        std::int64_t bytes = 0;
        std::uint64_t used = 0;  // when last accessed (m_clock); 0 while free
        bool dirty = false;
        std::int64_t extra = 0;  // capacity taken beyond `bytes` while dirty (dirty_weight)
        boost::intrusive::list_member_hook<> dirty_hook;  // in m_dirty_order while dirty
    };
    using DirtyOrder = boost::intrusive::list<
        Entry, boost::intrusive::member_hook<Entry, boost::intrusive::list_member_hook<>,
                                             &Entry::dirty_hook>>;
    HbmTraffic bypass(std::int64_t bytes, AccessKind kind);
    HbmTraffic miss(const TileKey& key, std::int64_t bytes, AccessKind kind);
    HbmTraffic write_hit(Entry& e);
    // Least recently used first out, by time of last use: every access appends (entry, time) to
    // m_uses, and the oldest use that is still an entry's last is the next victim. Cheaper than
    // relinking a list, whose neighbours are cache misses of their own.
    struct Use {
        Entry* entry;
        std::uint64_t at;
    };
    void touch(Entry& e) {
        e.used = ++m_clock;
        m_uses.push_back({&e, e.used});
        if (m_uses.size() > m_uses_limit) compact_uses();
    }
    void compact_uses();
    // Tiles of column 0 (every tile of an O(N d) tensor, the first column of an N x N one) are
    // found by (head_and_tensor, row) in m_by_row, without hashing: cohorts walk a tensor's rows
    // in order, so consecutive lookups share cache lines. Other tiles go through m_index.
    static constexpr std::int64_t k_by_row_limit = std::int64_t(1) << 24;
    static bool by_row(const TileKey& k) {
        return k.col == 0 && static_cast<std::uint64_t>(k.head_and_tensor) < k_by_row_limit &&
               static_cast<std::uint64_t>(k.row) < k_by_row_limit;
    }
    Entry* find(const TileKey& k) const {
        if (by_row(k)) {
            const auto h = static_cast<std::size_t>(k.head_and_tensor);
            const auto r = static_cast<std::size_t>(k.row);
            return h < m_by_row.size() && r < m_by_row[h].size() ? m_by_row[h][r] : nullptr;
        }
        const auto it = m_index.find(k);
        return it == m_index.end() ? nullptr : it->second;
    }
    void insert(Entry* e);
    void erase(const TileKey& k);
    void mark_dirty(Entry& e);
    void mark_clean(Entry& e);
    void evict_until_fits(HbmTraffic& traffic);
    void clean_until_under_limit(HbmTraffic& traffic);
    Entry* allocate();

    std::int64_t m_capacity;
    std::int64_t m_dirty_limit;
    double m_dirty_extra;  // dirty_weight - 1
    std::int64_t m_resident = 0;
    std::int64_t m_extra = 0;  // sum of the dirty entries' `extra`
    std::int64_t m_dirty = 0;
    std::int64_t m_hits = 0;
    std::int64_t m_misses = 0;
    boost::unordered_flat_map<TileKey, Entry*, TileKeyHash> m_index;
    std::vector<std::vector<Entry*>> m_by_row;  // [head_and_tensor][row]; null: not resident
    std::uint64_t m_clock = 0;
    std::vector<Use> m_uses;  // uses in time order; those from m_uses_head on not yet evicted
    std::size_t m_uses_head = 0;
    std::size_t m_uses_limit = 1024;  // compact beyond this
    DirtyOrder m_dirty_order;         // front = most recently written
    std::deque<Entry> m_storage;      // stable addresses for the intrusive list
    std::vector<Entry*> m_free;
};

}  // namespace flashscope::sim
