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
    L2Cache(std::int64_t capacity_bytes, std::int64_t dirty_limit_bytes);
    ~L2Cache();
    L2Cache(const L2Cache&) = delete;
    L2Cache& operator=(const L2Cache&) = delete;

    // Inline: the engine calls it for every tile of every step, and most calls are read hits.
    HbmTraffic access(const TileKey& key, std::int64_t bytes, AccessKind kind) {
        if (bytes > m_capacity) return bypass(bytes, kind);
        const auto it = m_index.find(key);
        if (it == m_index.end()) return miss(key, bytes, kind);
        Entry& e = *it->second;
        ++m_hits;
        if (&m_lru.front() != &e) {
            m_lru.erase(m_lru.iterator_to(e));
            m_lru.push_front(e);
        }
        if (kind == AccessKind::read) return {};
        return write_hit(e);
    }

    std::int64_t capacity_bytes() const { return m_capacity; }
    std::int64_t resident_bytes() const { return m_resident; }
    std::int64_t dirty_bytes() const { return m_dirty; }
    std::int64_t hits() const { return m_hits; }
    std::int64_t misses() const { return m_misses; }

private:
    struct Entry : boost::intrusive::list_base_hook<> {
        TileKey key;
        std::int64_t bytes = 0;
        bool dirty = false;
        boost::intrusive::list_member_hook<> dirty_hook;  // in m_dirty_order while dirty
    };
    using DirtyOrder = boost::intrusive::list<
        Entry, boost::intrusive::member_hook<Entry, boost::intrusive::list_member_hook<>,
                                             &Entry::dirty_hook>>;
    HbmTraffic bypass(std::int64_t bytes, AccessKind kind);
    HbmTraffic miss(const TileKey& key, std::int64_t bytes, AccessKind kind);
    HbmTraffic write_hit(Entry& e);
    void mark_dirty(Entry& e);
    void mark_clean(Entry& e);
    void evict_until_fits(HbmTraffic& traffic);
    void clean_until_under_limit(HbmTraffic& traffic);
    Entry* allocate();

    std::int64_t m_capacity;
    std::int64_t m_dirty_limit;
    std::int64_t m_resident = 0;
    std::int64_t m_dirty = 0;
    std::int64_t m_hits = 0;
    std::int64_t m_misses = 0;
    boost::unordered_flat_map<TileKey, Entry*, TileKeyHash> m_index;
    boost::intrusive::list<Entry> m_lru;  // front = most recent
    DirtyOrder m_dirty_order;             // front = most recently written
    std::deque<Entry> m_storage;          // stable addresses for the intrusive list
    std::vector<Entry*> m_free;
};

}  // namespace flashscope::sim
