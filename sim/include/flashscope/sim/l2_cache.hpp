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
    struct Slot;
    struct Entry;

public:
    // `dirty_weight` >= 1: the capacity a dirty byte takes, in clean bytes (the L2 keeps less
    // data resident when it is rewritten every pass than when it is only read).
    L2Cache(std::int64_t capacity_bytes, std::int64_t dirty_limit_bytes, double dirty_weight = 1);
    ~L2Cache();
    L2Cache(const L2Cache&) = delete;
    L2Cache& operator=(const L2Cache&) = delete;

    // Where a reader last found the slots of a tensor's tiles of column 0 (the page of slots that
    // holds their row, below). A reader that walks a tensor's rows in order, as a cohort walks its
    // K/V blocks, then finds the next rows' slots without the two lookups before the page. Pages
    // never move or go away, so a cursor stays valid as long as the cache.
    class RowCursor {
        friend class L2Cache;
        // The slot of tile k if the cursor is aimed at its page, else null.
        Slot* slot_of(const TileKey& k) const {
            const auto offset = static_cast<std::uint64_t>(k.row - m_first_row);
            return m_page && offset < k_page_slots && k.head_and_tensor == m_head_and_tensor &&
                           k.col == 0
                       ? m_page + offset
                       : nullptr;
        }
        void aim(Slot* page, std::int64_t head_and_tensor, std::int64_t first_row) {
            m_page = page;
            m_head_and_tensor = head_and_tensor;
            m_first_row = first_row;
        }
        Slot* m_page = nullptr;  // null: not aimed yet
        std::int64_t m_head_and_tensor = -1;
        std::int64_t m_first_row = 0;  // the page's first row
    };

    // Inline: the engine calls it for every tile of every step, and most calls are read hits,
    // which touch only the tile's slot (its last use is stamped there). `cursor` is the
    // caller's own, for its next accesses to nearby rows.
    HbmTraffic access(const TileKey& key, std::int64_t bytes, AccessKind kind, RowCursor& cursor) {
        if (bytes > m_capacity) return bypass(bytes, kind);
        Slot* const found = find(key, cursor);
        if (!found) return miss(key, bytes, kind, cursor);
        ++m_hits;
        touch(*found);
        if (kind == AccessKind::read) return {};
        return write_hit(*found->entry);
    }
    HbmTraffic access(const TileKey& key, std::int64_t bytes, AccessKind kind) {
        RowCursor cursor;
        return access(key, bytes, kind, cursor);
    }

    std::int64_t capacity_bytes() const { return m_capacity; }
    std::int64_t resident_bytes() const { return m_resident; }
    std::int64_t dirty_bytes() const { return m_dirty; }
    std::int64_t hits() const { return m_hits; }
    std::int64_t misses() const { return m_misses; }

private:
    // Where a resident tile's last use is stamped, and its entry. Tiles of column 0 have their
    // slot in m_by_row, so that a read hit touches no other memory; the others in their entry.
    // A free slot has `used` 0 and no entry.
    struct Slot {
        std::uint64_t used = 0;  // when last accessed (m_clock)
        Entry* entry = nullptr;
    };
    struct Entry {
        TileKey key;
        std::int64_t bytes = 0;
        bool dirty = false;
        std::int64_t extra = 0;  // capacity taken beyond `bytes` while dirty (dirty_weight)
        Slot* slot = nullptr;    // the tile's slot: in m_by_row, or `own_slot`
        Slot own_slot;           // the slot of a tile found through m_index
        boost::intrusive::list_member_hook<> dirty_hook;  // in m_dirty_order while dirty
    };
    using DirtyOrder = boost::intrusive::list<
        Entry, boost::intrusive::member_hook<Entry, boost::intrusive::list_member_hook<>,
                                             &Entry::dirty_hook>>;
    HbmTraffic bypass(std::int64_t bytes, AccessKind kind);
    HbmTraffic miss(const TileKey& key, std::int64_t bytes, AccessKind kind, RowCursor& cursor);
    HbmTraffic write_hit(Entry& e);
    // Least recently used first out, by time of last use: every access appends (slot, time) to
    // m_uses, and the oldest use that is still its slot's last is the next victim. Cheaper than
    // relinking a list, whose neighbours are cache misses of their own.
    struct Use {
        Slot* slot;
        std::uint64_t at;
    };
    void touch(Slot& s) {
        s.used = ++m_clock;
        m_uses[m_uses_tail++] = {&s, s.used};
        if (m_uses_tail == m_uses.size()) compact_uses();
    }
    void compact_uses();
    // Tiles of column 0 (every tile of an O(N d) tensor, the first column of an N x N one) are
    // found by (head_and_tensor, row) in m_by_row, without hashing: cohorts walk a tensor's rows
    // in order, so consecutive lookups share cache lines. Other tiles go through m_index.
    // The rows' slots are kept in pages that never move, so that m_uses and cursors can point
    // at them.
    static constexpr std::int64_t k_by_row_limit = std::int64_t(1) << 24;
    static constexpr int k_page_bits = 6;  // 64 slots (1 KiB) a page
    static constexpr std::size_t k_page_slots = std::size_t(1) << k_page_bits;
    using Page = std::unique_ptr<Slot[]>;
    static bool by_row(const TileKey& k) {
        return k.col == 0 && (static_cast<std::uint64_t>(k.head_and_tensor) |
                              static_cast<std::uint64_t>(k.row)) < k_by_row_limit;
    }
    // The resident tile's slot, or null: at the cursor if it is aimed at the tile's page, else
    // through aim(), out of line.
    Slot* find(const TileKey& k, RowCursor& cursor) const {
        if (Slot* const s = cursor.slot_of(k)) return s->entry ? s : nullptr;
        return aim(k, cursor);
    }
    Slot* aim(const TileKey& k, RowCursor& cursor) const;  // find(), aiming the cursor at k
    // The slot of a tile of column 0, resident or not: at the cursor if it is aimed at the
    // tile's page, else in its page (created if need be), the cursor then aimed there.
    Slot& by_row_slot(const TileKey& k, RowCursor& cursor);
    void insert(Entry* e, RowCursor& cursor);
    void erase(Entry& e);  // frees its slot
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
    std::vector<std::vector<Page>> m_by_row;  // [head_and_tensor][row / k_page_slots]
    std::uint64_t m_clock = 0;
    // Uses in time order: [m_uses_head, m_uses_tail) not yet evicted; compacted when full.
    static constexpr std::size_t k_min_uses = 1024;
    std::vector<Use> m_uses = std::vector<Use>(k_min_uses);
    std::size_t m_uses_head = 0;
    std::size_t m_uses_tail = 0;
    DirtyOrder m_dirty_order;     // front = most recently written
    std::deque<Entry> m_storage;  // stable addresses for the intrusive list and m_uses
    std::vector<Entry*> m_free;
};

}  // namespace flashscope::sim
